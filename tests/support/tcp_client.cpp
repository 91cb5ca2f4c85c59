#include "support/tcp_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace envctl::test {
namespace {

using Clock = std::chrono::steady_clock;

int wait_for(int fd, short events, Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return 0;
    pollfd p{fd, events, 0};
    return ::poll(&p, 1, static_cast<int>(left));
}

}  // namespace

TcpClient::TcpClient(int port, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
        std::string why = std::strerror(errno);
        ::close(fd_);
        throw std::runtime_error("connect 127.0.0.1:" + std::to_string(port) + ": " + why);
    }
    int error = 0;
    socklen_t length = sizeof error;
    if (wait_for(fd_, POLLOUT, deadline) <= 0 || ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0 ||
        error != 0) {
        ::close(fd_);
        throw std::runtime_error("connect 127.0.0.1:" + std::to_string(port) + ": " +
                                 (error ? std::strerror(error) : "timed out"));
    }
}

TcpClient::~TcpClient() {
    if (fd_ >= 0) ::close(fd_);
}

void TcpClient::send(const std::string& bytes) {
    std::size_t sent = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_for(fd_, POLLOUT, deadline) <= 0) throw std::runtime_error("send: timed out");
        } else {
            throw std::runtime_error(std::string("send: ") + std::strerror(errno));
        }
    }
}

std::string TcpClient::receive_until(const std::string& marker, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    std::string got;
    char buffer[4096];
    while (got.find(marker) == std::string::npos) {
        if (wait_for(fd_, POLLIN, deadline) <= 0) break;
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n > 0) got.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0) break;
        else if (errno != EAGAIN && errno != EINTR) break;
    }
    return got;
}

std::optional<std::string> exchange_until(int port, const std::string& request, const std::string& marker,
                                          std::chrono::milliseconds budget, std::string* last) {
    const auto deadline = Clock::now() + budget;
    while (true) {
        try {
            TcpClient client(port, std::chrono::seconds(2));
            client.send(request);
            auto response = client.receive_until(marker, std::chrono::seconds(3));
            if (response.find(marker) != std::string::npos) return response;
            if (last) *last = "response without \"" + marker + "\": " + response;
        } catch (const std::exception& e) {
            if (last) *last = e.what();
        }
        if (Clock::now() + std::chrono::milliseconds(200) >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace envctl::test
