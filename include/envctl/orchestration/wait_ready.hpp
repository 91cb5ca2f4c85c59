#pragma once
// `envctl wait-ready` for CI jobs: starts and changes nothing. Within its timeout it waits for an `up` to begin,
// then for readiness, and returns as soon as every selected service is ready; it fails at once with the reason
// by the rule of wait_rule.hpp about failures (a new one at once, an old one after --grace). Any number of callers may wait at once: while an `up` runs they only read
// .envctl/state.json (no engine calls), and check the live environment once `up` says ready, or, when no `up`
// runs, once a second.

#include <string>
#include <vector>

#include "envctl/health/clock.hpp"
#include "envctl/orchestration/status.hpp"

namespace envctl::orchestration {

struct WaitOutcome {
    ExitCode code = ExitCode::ok;
    std::string message;
    StatusReport last;   // the last live check (empty when none was made)
};

struct WaitOptions {
    Duration timeout{std::chrono::minutes(5)};
    Duration grace{std::chrono::seconds(10)};  // how long a failure recorded before the wait began is given
};

WaitOutcome wait_ready(const settings::Settings& settings, const descriptors::Stack& stack,
                       const std::vector<std::string>& services, const WaitOptions& options, StatusDeps& deps,
                       health::Clock& clock = health::real_clock());

}  // namespace envctl::orchestration
