#pragma once
// One probe attempt and its result. A Probe is a target (for messages) plus a function that makes one attempt
// within a timeout; the concrete kinds are in probes.hpp, built from descriptors by probe_factory.hpp.

#include <atomic>
#include <functional>
#include <optional>
#include <string>

#include "envctl/core/duration.hpp"

namespace envctl::health {

// ok: ready. not_ready: try again later (refused, timeout, HTTP 503, ...). failed: the probe says the service is
// broken and waiting will not help (e.g. PostgreSQL refuses the configured password).
enum class Outcome { ok, not_ready, failed };
std::string to_string(Outcome o);

struct ProbeResult {
    Outcome outcome = Outcome::not_ready;
    std::string target;                // "http://127.0.0.1:8181/health" (never a password)
    std::string detail;                // "HTTP 503", "connection refused", "PONG", "timeout after 1s"
    Duration latency{0};
    std::optional<int> http_status;    // http/https: the status code received
    std::string excerpt;               // http/https: the first bytes of the body, on one line

    // "HTTP 503: starting" / "connection refused": detail plus the excerpt when there is one.
    std::string describe() const;
};

// What one attempt gets: its own timeout and a flag that asks it to stop early (set when the prober stops:
// fail-fast or an interrupt). Attempts also stop when envctl::interrupt::requested().
struct AttemptContext {
    Duration timeout{std::chrono::seconds(2)};
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const;
};

struct Probe {
    std::string target;
    // Makes one attempt; never throws (errors are results). Called concurrently from worker threads.
    std::function<ProbeResult(const AttemptContext&)> attempt;
};

// "timeout after 1s" (the detail every kind uses when its attempt ran out of time).
std::string timeout_detail(Duration timeout);

// Runs probe.attempt, fills target and latency, turns an escaped exception into a not_ready result, and passes
// target, detail and excerpt through the global Redactor.
ProbeResult run_attempt(const Probe& probe, const AttemptContext& ctx);

}  // namespace envctl::health
