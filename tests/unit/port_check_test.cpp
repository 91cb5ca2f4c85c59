// doctor's port check: a port published by this project's own running container is fine; any other holder is
// named. The holder here is the test process itself, listening on an ephemeral port.
#include "envctl/preflight/port_check.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>


namespace {

using envctl::engine::ContainerInfo;
using envctl::engine::ContainerState;

struct Listener {
    int fd = -1;
    int port = 0;
    Listener() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        EXPECT_EQ(::listen(fd, 4), 0);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~Listener() { ::close(fd); }
};

envctl::settings::Settings settings_with(int port) {
    envctl::settings::Settings s;
    s.bind_address = "127.0.0.1";
    s.env_file = "/project/.env.development";
    s.vars.set("WEB_PORT", std::to_string(port), {});
    return s;
}

envctl::descriptors::Stack stack_with_web() {
    envctl::descriptors::Stack stack;
    envctl::descriptors::ServiceDescriptor web;
    web.name = "web";
    web.ports.push_back({"WEB_PORT", 8080, "tcp"});
    stack.services.push_back(web);
    return stack;
}

ContainerInfo container(ContainerState state, const std::string& service) {
    ContainerInfo c;
    c.service = service;
    c.name = "p_web_1";
    c.state = state;
    return c;
}

TEST(PortCheck, APortOfThisProjectsRunningContainerPasses) {
    Listener held;
    auto check = envctl::preflight::ports_check(settings_with(held.port), stack_with_web(), {"web"},
                                                {container(ContainerState::running, "web")});
    EXPECT_TRUE(check.ok) << check.detail;
    EXPECT_NE(check.detail.find("own running containers"), std::string::npos) << check.detail;
}

TEST(PortCheck, AnotherHolderIsNamedWithItsPid) {
    Listener held;
    const std::string pid = "(PID " + std::to_string(::getpid()) + ")";
    // No container of the project, the service's exited one, another service's running one.
    for (const auto& containers : std::vector<std::vector<ContainerInfo>>{
             {}, {container(ContainerState::exited, "web")}, {container(ContainerState::running, "api")}}) {
        auto check = envctl::preflight::ports_check(settings_with(held.port), stack_with_web(), {"web"}, containers);
        EXPECT_FALSE(check.ok);
        EXPECT_NE(check.detail.find("WEB_PORT=" + std::to_string(held.port)), std::string::npos) << check.detail;
        EXPECT_NE(check.detail.find(pid), std::string::npos) << check.detail;
        EXPECT_NE(check.fix.find("/project/.env.development"), std::string::npos) << check.fix;
    }
}

TEST(PortCheck, AFreePortPasses) {
    int port = 0;
    {
        Listener once;
        port = once.port;
    }
    auto check = envctl::preflight::ports_check(settings_with(port), stack_with_web(), {"web"}, {});
    EXPECT_TRUE(check.ok) << check.detail;
}

}  // namespace
