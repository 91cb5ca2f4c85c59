#include "envctl/orchestration/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "envctl/health/prober.hpp"

namespace envctl::orchestration {

UniformRandom default_random() {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

std::optional<Duration> backoff_delay(const BackoffPolicy& policy, int failed_attempt, const UniformRandom& random) {
    if (failed_attempt < 1 || failed_attempt >= policy.attempts) return std::nullopt;
    double base = static_cast<double>(policy.initial.count()) * std::pow(policy.factor, failed_attempt - 1);
    base = std::min(base, static_cast<double>(policy.max_delay.count()));
    double u = random ? std::clamp(random(), 0.0, 1.0) : 0.5;
    double delay = base * (1.0 + policy.jitter * (2.0 * u - 1.0));
    return Duration{static_cast<Duration::rep>(std::llround(std::max(delay, 0.0)))};
}

std::string_view to_string(FailureKind kind) {
    switch (kind) {
    case FailureKind::timed_out: return "timed out";
    case FailureKind::container_exited: return "container exited";
    case FailureKind::engine_error: return "engine error";
    case FailureKind::engine_fault: return "engine fault";
    case FailureKind::probe_failed: return "probe failed";
    case FailureKind::invalid_settings: return "invalid settings";
    case FailureKind::preflight: return "preflight refused";
    case FailureKind::migration: return "migration failed";
    case FailureKind::locked: return "project locked";
    case FailureKind::interrupted: return "interrupted";
    case FailureKind::internal: return "internal error";
    }
    return "unknown";
}

bool retryable(FailureKind kind) {
    return kind == FailureKind::timed_out || kind == FailureKind::container_exited ||
           kind == FailureKind::engine_error;
}

ExitCode exit_code(FailureKind kind) {
    switch (kind) {
    case FailureKind::timed_out: return ExitCode::timed_out;
    case FailureKind::container_exited:
    case FailureKind::probe_failed: return ExitCode::service_failed;
    case FailureKind::engine_error: return ExitCode::not_started;
    case FailureKind::invalid_settings: return ExitCode::usage;
    case FailureKind::engine_fault:
    case FailureKind::preflight: return ExitCode::preflight;
    case FailureKind::migration: return ExitCode::migration;
    case FailureKind::locked: return ExitCode::locked;
    case FailureKind::interrupted: return ExitCode::interrupted;
    case FailureKind::internal: return ExitCode::internal;
    }
    return ExitCode::internal;
}

FailureKind classify(ExitCode code) {
    switch (code) {
    case ExitCode::timed_out: return FailureKind::timed_out;
    case ExitCode::service_failed: return FailureKind::container_exited;
    case ExitCode::not_started: return FailureKind::engine_error;
    case ExitCode::usage: return FailureKind::invalid_settings;
    case ExitCode::preflight: return FailureKind::preflight;
    case ExitCode::migration: return FailureKind::migration;
    case ExitCode::locked: return FailureKind::locked;
    case ExitCode::interrupted: return FailureKind::interrupted;
    default: return FailureKind::internal;
    }
}

FailureKind classify(const health::ServiceReport& report) {
    switch (report.verdict) {
    case health::Verdict::timed_out: return FailureKind::timed_out;
    case health::Verdict::failed:
        return report.cause == health::FailCause::probe_failed ? FailureKind::probe_failed
                                                               : FailureKind::container_exited;
    case health::Verdict::cancelled: return FailureKind::interrupted;
    case health::Verdict::ready: return FailureKind::internal;
    }
    return FailureKind::internal;
}

}  // namespace envctl::orchestration
