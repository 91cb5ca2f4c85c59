#include <algorithm>
#include <cctype>

#include "envctl/health/probes.hpp"

namespace envctl::health {

namespace {

bool contains(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

// Messages that waiting cannot change: the server is up and refuses these credentials or this database.
bool is_broken(const std::string& detail) {
    std::string lower = detail;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (contains(lower, "starting up") || contains(lower, "shutting down") || contains(lower, "recovery mode"))
        return false;
    return contains(lower, "password authentication failed") || contains(lower, "no pg_hba.conf entry") ||
           (contains(lower, "does not exist") && (contains(lower, "role") || contains(lower, "database")));
}

}  // namespace

Probe postgres_probe(const db::ConnectionInfo& info) {
    std::string target = "postgres://" + info.describe();
    return Probe{target, [info, target](const AttemptContext& ctx) {
                     ProbeResult r;
                     r.target = target;
                     if (ctx.cancelled()) {
                         r.detail = "cancelled";
                         return r;
                     }
                     db::ConnectionInfo attempt_info = info;
                     attempt_info.connect_timeout = ctx.timeout;
                     db::PingResult ping = db::ping(attempt_info);
                     r.outcome = ping.ok ? Outcome::ok : (is_broken(ping.detail) ? Outcome::failed : Outcome::not_ready);
                     r.detail = ping.ok ? "SELECT 1 ok" : ping.detail;
                     return r;
                 }};
}

}  // namespace envctl::health
