// One declared check (descriptor `verify:`) run as a whole: steps in order, then cleanup on its own deadline.
#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "envctl/verify/steps.hpp"

namespace envctl::verify {
namespace {

Outcome guarded(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    if (remaining(deadline) <= Duration{0}) return {false, "the deadline passed before this step", true};
    try {
        return run_step(step, env, deadline);
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

// The step, repeated every 250 ms while it fails and its retry_for (and the deadline) allow.
Outcome attempt(const descriptors::VerifyStep& step, StepEnv& env, Deadline deadline) {
    using namespace std::chrono_literals;
    const auto until = std::min<Clock::time_point>(Clock::now() + step.retry_for, deadline);
    for (int attempts = 1;; ++attempts) {
        auto outcome = guarded(step, env, deadline);
        if (outcome.ok || Clock::now() + 250ms >= until) {
            if (attempts > 1) outcome.detail += fmt::format(" (attempt {}, retried for {})", attempts, format_duration(step.retry_for));
            return outcome;
        }
        std::this_thread::sleep_for(250ms);
    }
}

}  // namespace

Outcome run_declared(const descriptors::VerifyCheck& check, StepEnv env, Deadline deadline, Duration cleanup_time) {
    for (auto& [name, value] : verify_run_values(verify_object_name(), std::chrono::system_clock::now()))
        env.values[name] = std::move(value);
    Outcome outcome{true, ""};
    std::vector<std::string> details;
    for (std::size_t i = 0; i < check.steps.size(); ++i) {
        const auto step = attempt(check.steps[i], env, deadline);
        details.push_back(step.detail);
        if (!step.ok) {
            outcome = {false, fmt::format("step {} ({}): {}", i + 1, to_string(check.steps[i].kind), step.detail), step.timed_out};
            break;
        }
    }
    if (outcome.ok) outcome.detail = fmt::format("{}", fmt::join(details, "; "));
    // Cleanup runs whatever happened, on a deadline of its own.
    const Deadline cleanup_deadline = Clock::now() + cleanup_time;
    std::vector<std::string> failed;
    for (std::size_t i = 0; i < check.cleanup.size(); ++i) {
        const auto step = guarded(check.cleanup[i], env, cleanup_deadline);
        if (!step.ok) failed.push_back(fmt::format("cleanup step {}: {}", i + 1, step.detail));
    }
    if (!failed.empty()) {
        outcome.ok = false;
        outcome.detail += fmt::format("; not cleaned up: {}", fmt::join(failed, "; "));
    }
    return outcome;
}

}  // namespace envctl::verify
