#pragma once
// `envctl wait-ready` for CI jobs: starts and changes nothing. Within its timeout it waits for an `up` to begin,
// then for readiness, and returns as soon as every selected service is ready; it fails at once with the reason
// when the last `up` failed for good. Any number of callers may wait at once: while an `up` runs they only read
// .envctl/state.json (no engine calls), and check the live environment once `up` says ready, or, when no `up`
// runs, once a second.

#include <string>
#include <vector>

#include "envctl/orchestration/status.hpp"

namespace envctl::orchestration {

struct WaitOutcome {
    ExitCode code = ExitCode::ok;
    std::string message;
    StatusReport last;   // the last live check (empty when none was made)
};

WaitOutcome wait_ready(const settings::Settings& settings, const descriptors::Stack& stack,
                       const std::vector<std::string>& services, Duration timeout, StatusDeps& deps);

}  // namespace envctl::orchestration
