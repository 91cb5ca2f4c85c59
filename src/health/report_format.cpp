#include "envctl/health/report_format.hpp"

#include <fmt/format.h>

namespace envctl::health {

namespace {

std::string cause_name(FailCause c) {
    switch (c) {
    case FailCause::none: return "none";
    case FailCause::container_exited: return "container_exited";
    case FailCause::probe_failed: return "probe_failed";
    }
    return "unknown";
}

// "1.25s" / "480ms": seconds with up to two decimals from one second on.
std::string seconds(Duration d) {
    if (d < std::chrono::seconds(1)) return fmt::format("{}ms", d.count());
    return fmt::format("{:.2f}s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace

nlohmann::json to_json(const ProbeResult& result) {
    nlohmann::json j{{"target", result.target},
                     {"outcome", to_string(result.outcome)},
                     {"detail", result.detail},
                     {"latency_ms", result.latency.count()}};
    if (result.http_status) j["http_status"] = *result.http_status;
    if (!result.excerpt.empty()) j["excerpt"] = result.excerpt;
    return j;
}

nlohmann::json to_json(const HistoryEntry& entry) {
    nlohmann::json j = to_json(entry.result);
    j["at_ms"] = entry.at.count();
    return j;
}

nlohmann::json to_json(const ServiceReport& report) {
    nlohmann::json history = nlohmann::json::array();
    for (const auto& h : report.history) history.push_back(to_json(h));
    return nlohmann::json{
        {"name", report.name},
        {"target", report.target},
        {"verdict", to_string(report.verdict)},
        {"cause", cause_name(report.cause)},
        {"reason", report.reason},
        {"ready_after_ms", report.ready_after ? nlohmann::json(report.ready_after->count()) : nlohmann::json(nullptr)},
        {"decided_after_ms", report.decided_after.count()},
        {"attempts", report.attempts},
        {"history", history},
        {"history_dropped", report.history_dropped},
    };
}

std::string format_line(const HistoryEntry& entry) {
    return fmt::format("+{}  {}  {}  ({})", seconds(entry.at), to_string(entry.result.outcome),
                       entry.result.describe(), seconds(entry.result.latency));
}

std::string summary_line(const ServiceReport& report) {
    switch (report.verdict) {
    case Verdict::ready:
        return fmt::format("{}: ready after {} ({})", report.name, seconds(report.ready_after.value_or(Duration{0})),
                           report.reason);
    case Verdict::failed:
        return fmt::format("{}: failed after {}: {}", report.name, seconds(report.decided_after), report.reason);
    case Verdict::timed_out:
        return fmt::format("{}: timed out after {}: {}", report.name, seconds(report.decided_after), report.reason);
    case Verdict::cancelled: return fmt::format("{}: not decided ({})", report.name, report.reason);
    }
    return report.name;
}

}  // namespace envctl::health
