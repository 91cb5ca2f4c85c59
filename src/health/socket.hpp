#pragma once
// Internal to the health module: a non-blocking TCP client socket with deadlines, for the tcp and redis probes.
// Every wait polls in short slices so a cancelled attempt (fail-fast, Ctrl-C) ends promptly.

#include <string>
#include <string_view>

#include "envctl/core/duration.hpp"
#include "envctl/health/probe.hpp"

namespace envctl::health::net {

class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket();
    Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Socket& operator=(Socket&& other) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }
    bool valid() const { return fd_ >= 0; }

private:
    int fd_ = -1;
};

// The outcome of an I/O step: empty error = success. `timed_out` when the deadline passed.
struct IoStatus {
    std::string error;    // "connection refused", "timeout after 2s", "connection closed", ...
    bool timed_out = false;
    bool ok() const { return error.empty(); }
};

// Connects to host:port before the deadline (ctx.timeout is only used for the message).
IoStatus connect(Socket& out, const std::string& host, int port, Deadline deadline, const AttemptContext& ctx);
IoStatus send_all(const Socket& s, std::string_view data, Deadline deadline, const AttemptContext& ctx);
// Reads until "\r\n" (kept out of `line`) or `limit` bytes.
IoStatus read_line(const Socket& s, std::string& line, Deadline deadline, const AttemptContext& ctx,
                   std::size_t limit = 512);
// Appends what arrives next (at least one byte) to `buffer`.
IoStatus read_some(const Socket& s, std::string& buffer, Deadline deadline, const AttemptContext& ctx);

}  // namespace envctl::health::net
