#pragma once
// Is a host port free, and if not, which process holds it? Read from /proc/net/tcp{,6} and /proc/*/fd, so the
// answer names the program ("port 5432 is held by postgres (PID 812): /usr/lib/postgresql/15/bin/postgres ...").

#include <optional>
#include <string>

namespace envctl::preflight {

struct PortHolder {
    long pid = 0;            // 0 when the socket's owner is not visible to us
    std::string program;     // /proc/PID/comm
    std::string command_line;
    std::string describe(int port) const;
};

// True when a TCP listener could bind `address:port` right now.
bool port_free(const std::string& address, int port);
// The process listening on `port` (any address), when one is.
std::optional<PortHolder> find_port_holder(int port);

}  // namespace envctl::preflight
