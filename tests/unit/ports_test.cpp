#include "envctl/preflight/ports.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// Listens on an ephemeral 127.0.0.1 port; returns {fd, port}.
std::pair<int, int> listen_somewhere() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 4), 0);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return {fd, ntohs(a.sin_port)};
}

}  // namespace

TEST(Ports, AHeldPortIsNotFreeAndItsHolderIsNamed) {
    auto [fd, port] = listen_somewhere();
    EXPECT_FALSE(envctl::preflight::port_free("127.0.0.1", port));
    auto holder = envctl::preflight::find_port_holder(port);
    ASSERT_TRUE(holder.has_value());
    EXPECT_EQ(holder->pid, ::getpid());
    EXPECT_NE(holder->describe(port).find("(PID " + std::to_string(::getpid()) + ")"), std::string::npos);
    ::close(fd);
    EXPECT_TRUE(envctl::preflight::port_free("127.0.0.1", port));
    EXPECT_FALSE(envctl::preflight::find_port_holder(port).has_value());
}
