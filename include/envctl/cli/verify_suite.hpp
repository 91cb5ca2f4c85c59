#pragma once
// The validation suite as `verify`, `up --verify` and `wait-ready --verify` run it: the checks of the chosen
// categories over the selected services (the profile's are listed too, as skipped), every category under
// `timeout`, the result recorded for `status` (.envctl/verify.json).

#include <memory>
#include <string>
#include <vector>

#include "envctl/cli/context.hpp"
#include "envctl/core/duration.hpp"
#include "envctl/core/exit_code.hpp"
#include "envctl/verify/check.hpp"
#include "envctl/verify/suite.hpp"

namespace envctl::cli {

// The inputs every check is built from, without the engine (enough for --list).
std::shared_ptr<verify::SuiteInputs> suite_inputs(Context& ctx, const std::vector<std::string>& named);
// The checks of `categories` (each category's built-in checks, then what the descriptors declare).
std::vector<verify::Check> suite_checks(std::shared_ptr<const verify::SuiteInputs> in, const std::vector<std::string>& categories);

// Runs the suite; throws Error(not_started) when nothing selected is running. Records the result under `command`.
verify::Report run_suite(Context& ctx, const std::vector<std::string>& named, const std::vector<std::string>& categories,
                         Duration timeout, const std::string& command);
// 0 every check passed or was skipped; 4 a check failed; 3 (only timeouts) a category ran out of time.
ExitCode suite_exit_code(const verify::Report& report);
// "2 of 14 checks failed: environment redis-dapr connect (…); …" for up/wait-ready's error.
std::string suite_failure(const verify::Report& report);

}  // namespace envctl::cli
