#pragma once
// The concurrent prober: probes N services at once until each is decided.
//   ready     its probe succeeded; time to ready is counted from its container's start;
//   failed    its container exited (the container_exit callback says so), or its probe says it is broken;
//   timed_out its budget, counted from its container's start, ran out without a successful probe.
// Every service is polled every `poll_interval` (≤ 250 ms) with attempts of min(attempt_timeout, time left in its
// budget); attempts run on a bounded pool of threads, so one slow service never delays another's verdict.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "envctl/health/clock.hpp"
#include "envctl/health/probe.hpp"

namespace envctl::health {

enum class Verdict { ready, failed, timed_out, cancelled };  // cancelled: stopped by fail-fast or an interrupt
std::string to_string(Verdict v);

enum class FailCause { none, container_exited, probe_failed };

struct ServiceToProbe {
    std::string name;
    Probe probe;
    TimePoint started;     // when its container started, on the prober's clock
    Duration budget{std::chrono::seconds(30)};
};

struct HistoryEntry {
    Duration at{0};        // when the attempt began, counted from the container's start
    ProbeResult result;
};

struct ServiceReport {
    std::string name;
    std::string target;
    Verdict verdict = Verdict::cancelled;
    FailCause cause = FailCause::none;
    std::optional<Duration> ready_after;   // ready: from container start to the successful attempt's end
    Duration decided_after{0};             // from container start to the verdict
    std::string reason;                    // one line: "HTTP 200", "container exited (exit code 1)", ...
    int attempts = 0;
    // The first attempt, then the last `history_limit` ones; `history_dropped` attempts in between are not kept.
    std::vector<HistoryEntry> history;
    int history_dropped = 0;
};

struct ProberOptions {
    Duration poll_interval{std::chrono::milliseconds(250)};
    Duration attempt_timeout{std::chrono::seconds(2)};
    std::size_t max_parallel = 32;         // worker threads (never more than the number of services)
    std::size_t history_limit = 20;
    bool fail_fast = false;                // stop at the first failed or timed-out service
    // Returns why the service's container is no longer running ("container exited (exit code 1)"), or nullopt
    // while it runs. Called from the prober's own thread before every attempt and before a timed_out verdict.
    // Optional; see container_watch.hpp for one fed by Engine::list.
    std::function<std::optional<std::string>(const std::string& service)> container_exit;
    // Called from the prober's thread as each service is decided (live progress).
    std::function<void(const ServiceReport&)> on_event;
};

// Probes until every service is decided, fail-fast trips, or envctl is interrupted (the undecided services are
// then `cancelled`). Reports are in the order of `services`. Every wait is bounded by the budgets.
std::vector<ServiceReport> probe_until_decided(const std::vector<ServiceToProbe>& services,
                                               const ProberOptions& options, Clock& clock = real_clock());

// One live attempt per probe, all at once (for `status`): returns within about `total` (each attempt's timeout
// is what is left of it). Results are in the order of `probes`.
std::vector<ProbeResult> probe_round(const std::vector<Probe>& probes, Duration total, std::size_t max_parallel = 32);

}  // namespace envctl::health
