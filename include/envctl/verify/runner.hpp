#pragma once
// Runs verify's checks: every category at once, each under its own deadline, and the checks inside a category at
// once (one thread each). A check still running at its category's deadline is reported `timeout`; the runner then
// gives the late checks `cleanup_grace` to finish (their own cleanup runs on the deadline they were given) and
// leaves any that still run behind (detached) rather than hang.

#include <vector>

#include "envctl/health/clock.hpp"
#include "envctl/verify/check.hpp"

namespace envctl::verify {

struct RunOptions {
    Duration category_timeout{std::chrono::seconds(15)};
    Duration cleanup_grace{std::chrono::seconds(10)};
    Duration poll{std::chrono::milliseconds(100)};  // how often (on the clock) the runner looks at the deadlines
};

Report run_checks(std::vector<Check> checks, const RunOptions& options, health::Clock& clock);

}  // namespace envctl::verify
