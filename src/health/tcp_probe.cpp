#include <fmt/format.h>

#include "envctl/health/probes.hpp"
#include "envctl/util/utf8.hpp"
#include "socket.hpp"

namespace envctl::health {

namespace {

std::string host_port(const std::string& host, int port) {
    bool ipv6 = host.find(':') != std::string::npos;
    return ipv6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

}  // namespace

Probe tcp_probe(const std::string& host, int port) {
    std::string target = "tcp://" + host_port(host, port);
    return Probe{target, [host, port, target](const AttemptContext& ctx) {
                     ProbeResult r;
                     r.target = target;
                     net::Socket s;
                     net::IoStatus st = net::connect(s, host, port, std::chrono::steady_clock::now() + ctx.timeout, ctx);
                     r.outcome = st.ok() ? Outcome::ok : Outcome::not_ready;
                     r.detail = st.ok() ? "connected" : st.error;
                     return r;
                 }};
}

Probe redis_probe(const std::string& host, int port) {
    std::string target = "redis://" + host_port(host, port);
    return Probe{target, [host, port, target](const AttemptContext& ctx) {
                     ProbeResult r;
                     r.target = target;
                     Deadline deadline = std::chrono::steady_clock::now() + ctx.timeout;
                     net::Socket s;
                     net::IoStatus st = net::connect(s, host, port, deadline, ctx);
                     if (st.ok()) st = net::send_all(s, "*1\r\n$4\r\nPING\r\n", deadline, ctx);
                     std::string reply;
                     if (st.ok()) st = net::read_line(s, reply, deadline, ctx);
                     if (!st.ok()) {
                         r.detail = st.error;
                         return r;
                     }
                     if (reply == "+PONG") {
                         r.outcome = Outcome::ok;
                         r.detail = "PONG";
                     } else if (reply.rfind("-NOAUTH", 0) == 0) {
                         r.outcome = Outcome::ok;  // it answers; the probe just has no password to give
                         r.detail = "NOAUTH (answering; a password is required)";
                     } else {
                         r.detail = reply.empty() ? "empty reply" : "unexpected reply: " + utf8::truncate(reply, 120);
                     }
                     return r;
                 }};
}

}  // namespace envctl::health
