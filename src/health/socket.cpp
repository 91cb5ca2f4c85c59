#include "socket.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace envctl::health::net {

namespace {

constexpr Duration kSlice{std::chrono::milliseconds(50)};

std::string errno_text(int err) {
    if (err == ECONNREFUSED) return "connection refused";
    if (err == ECONNRESET || err == EPIPE) return "connection reset";
    if (err == EHOSTUNREACH || err == ENETUNREACH) return "host unreachable";
    return std::strerror(err);
}

// Waits for `events` on fd until the deadline. Returns "" when ready, else the reason.
IoStatus wait_for(int fd, short events, Deadline deadline, const AttemptContext& ctx) {
    while (true) {
        if (ctx.cancelled()) return {"cancelled", false};
        Duration left = remaining(deadline);
        if (left.count() <= 0) return {timeout_detail(ctx.timeout), true};
        pollfd p{fd, events, 0};
        int rc = ::poll(&p, 1, static_cast<int>(std::min(left, kSlice).count()));
        if (rc > 0) return {};
        if (rc < 0 && errno != EINTR) return {errno_text(errno), false};
    }
}

}  // namespace

Socket::~Socket() {
    if (fd_ >= 0) ::close(fd_);
}

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

IoStatus connect(Socket& out, const std::string& host, int port, Deadline deadline, const AttemptContext& ctx) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    std::string service = std::to_string(port);
    int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
    if (rc != 0) return {"cannot resolve " + host + ": " + ::gai_strerror(rc), false};
    IoStatus status{"no address for " + host, false};
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        Socket s(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
        if (!s.valid()) {
            status = {errno_text(errno), false};
            continue;
        }
        if (::connect(s.fd(), a->ai_addr, a->ai_addrlen) != 0 && errno != EINPROGRESS) {
            status = {errno_text(errno), false};
            continue;
        }
        status = wait_for(s.fd(), POLLOUT, deadline, ctx);
        if (!status.ok()) break;  // timeout or cancel: do not try the next address
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
            status = {errno_text(err), false};
            continue;
        }
        out = std::move(s);
        status = {};
        break;
    }
    ::freeaddrinfo(found);
    return status;
}

IoStatus send_all(const Socket& s, std::string_view data, Deadline deadline, const AttemptContext& ctx) {
    while (!data.empty()) {
        IoStatus st = wait_for(s.fd(), POLLOUT, deadline, ctx);
        if (!st.ok()) return st;
        ssize_t n = ::send(s.fd(), data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return {errno_text(errno), false};
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

IoStatus read_line(const Socket& s, std::string& line, Deadline deadline, const AttemptContext& ctx,
                   std::size_t limit) {
    line.clear();
    char buf[256];
    while (line.size() < limit) {
        IoStatus st = wait_for(s.fd(), POLLIN, deadline, ctx);
        if (!st.ok()) return st;
        ssize_t n = ::recv(s.fd(), buf, sizeof buf, 0);
        if (n == 0) return {line.empty() ? "connection closed" : "connection closed mid-reply", false};
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return {errno_text(errno), false};
        }
        line.append(buf, static_cast<std::size_t>(n));
        auto end = line.find("\r\n");
        if (end != std::string::npos) {
            line.resize(end);
            return {};
        }
    }
    return {};
}

IoStatus read_some(const Socket& s, std::string& buffer, Deadline deadline, const AttemptContext& ctx) {
    char buf[4096];
    for (;;) {
        IoStatus st = wait_for(s.fd(), POLLIN, deadline, ctx);
        if (!st.ok()) return st;
        ssize_t n = ::recv(s.fd(), buf, sizeof buf, 0);
        if (n == 0) return {"connection closed", false};
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return {errno_text(errno), false};
        }
        buffer.append(buf, static_cast<std::size_t>(n));
        return {};
    }
}

}  // namespace envctl::health::net
