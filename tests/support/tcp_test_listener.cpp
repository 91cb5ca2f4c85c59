#include "support/tcp_test_listener.hpp"

#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace envctl::test {

TcpTestListener::TcpTestListener(std::string reply, bool silent) : reply_(std::move(reply)), silent_(silent) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (listen_fd_ >= 0) ::close(listen_fd_);
        throw std::runtime_error("TcpTestListener: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
}

TcpTestListener::~TcpTestListener() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
    for (int fd : held_) ::close(fd);
}

std::vector<std::string> TcpTestListener::received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
}

void TcpTestListener::run() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        accepted_ += 1;
        if (silent_) {
            held_.push_back(fd);
            continue;
        }
        if (!reply_.empty()) {
            pollfd in{fd, POLLIN, 0};
            char buf[512];
            if (::poll(&in, 1, 2000) > 0) {
                ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                std::lock_guard<std::mutex> lock(mutex_);
                received_.emplace_back(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
            }
            (void)::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
        }
        ::close(fd);
    }
}

}  // namespace envctl::test
