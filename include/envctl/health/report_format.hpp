#pragma once
// Probe results and service reports as JSON (for .envctl/reports/*.json) and as text lines (the .txt twin and
// progress output). Everything in them has already passed the redactor (run_attempt redacts).

#include <string>

#include <nlohmann/json.hpp>

#include "envctl/health/prober.hpp"

namespace envctl::health {

// {"target", "outcome", "detail", "latency_ms", "http_status"?, "excerpt"?}
nlohmann::json to_json(const ProbeResult& result);
// {"at_ms", ...to_json(result)}
nlohmann::json to_json(const HistoryEntry& entry);
// {"name", "target", "verdict", "cause", "reason", "ready_after_ms" (number or null), "decided_after_ms",
//  "attempts", "history": [...], "history_dropped"}
nlohmann::json to_json(const ServiceReport& report);

// "+1.25s  not_ready  HTTP 503: starting  (12ms)"
std::string format_line(const HistoryEntry& entry);
// "opa: ready after 1.25s (HTTP 200)", "vault: timed out after 30s (not ready within 30s ...)"
std::string summary_line(const ServiceReport& report);

}  // namespace envctl::health
