#pragma once
// Whole-environment retries (used by `up`): after a failed attempt envctl tears down and tries again after
// 1 s, 2 s, 4 s ... (each ±20 %), `attempts` attempts in all. Failures that retrying cannot fix are not retried.

#include <functional>
#include <optional>
#include <string_view>

#include "envctl/core/duration.hpp"
#include "envctl/core/exit_code.hpp"

namespace envctl::health {
struct ServiceReport;
}

namespace envctl::orchestration {

struct BackoffPolicy {
    int attempts = 3;                                  // attempts in all (1 = no retry)
    Duration initial{std::chrono::seconds(1)};         // delay before the 2nd attempt
    double factor = 2.0;                               // each further delay is this many times the previous
    Duration max_delay{std::chrono::seconds(60)};      // cap before jitter
    double jitter = 0.2;                               // ±20 %
};

// A random source returning a uniform value in [0, 1). The default is a seeded std::mt19937_64.
using UniformRandom = std::function<double()>;
UniformRandom default_random();

// The delay after failed attempt number `failed_attempt` (1-based), or nullopt when it was the last one.
// base = min(initial * factor^(failed_attempt-1), max_delay); delay = base * (1 + jitter * (2u - 1)).
std::optional<Duration> backoff_delay(const BackoffPolicy& policy, int failed_attempt, const UniformRandom& random);

// Why an attempt failed, and whether another attempt can help.
enum class FailureKind {
    timed_out,          // a service's readiness budget ran out                      retry   exit 3
    container_exited,   // a service's container exited                              retry   exit 4
    engine_error,       // the engine failed mid-run (create/start/list)              retry   exit 5
    engine_fault,       // the engine cannot work here (network setup, OCI runtime,   no      exit 7
                        // an image unknown after pulling, HTTP 4xx): engine_fault.hpp
    probe_failed,       // the probe says broken (e.g. password refused by a volume)  no      exit 4
    invalid_settings,   // usage / settings error                                     no      exit 2
    preflight,          // a port held by another program, a missing image, no engine no      exit 7
    migration,          // a migration or schema-compliance error                     no      exit 6
    locked,             // the project lock is held                                   no      exit 8
    interrupted,        // SIGINT / SIGTERM                                           no      exit 130
    internal,           // a bug                                                      no      exit 1
};

std::string_view to_string(FailureKind kind);
bool retryable(FailureKind kind);
ExitCode exit_code(FailureKind kind);
// For an envctl::Error caught during an attempt: by its exit code (service_failed -> container_exited,
// not_started -> engine_error, ...).
FailureKind classify(ExitCode code);
// For a service the prober did not find ready (a ready one is not a failure: internal).
FailureKind classify(const health::ServiceReport& report);

}  // namespace envctl::orchestration
