#pragma once
// verify's outputs: the JSON documents (envctl.verify/v1, envctl.verify-list/v1), JUnit XML, and text (a table
// on a terminal, plain lines in CI). Secrets are redacted in JUnit here; the JSON and text are redacted where
// they are printed (cli::print_json, print_stdout).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/util/redactor.hpp"
#include "envctl/verify/check.hpp"

namespace envctl::verify {

nlohmann::ordered_json to_json(const Report& report);
nlohmann::ordered_json list_json(const std::vector<Check>& checks);

// One <testsuite> per category, one <testcase> per check; a failed or timed-out check carries a <failure> with its
// detail, a skipped one <skipped> with its reason. Every text passes through `redactor`, then is XML-escaped.
std::string to_junit(const Report& report, const Redactor& redactor);

// `table`: aligned columns for a terminal; else one plain line per check ("pass environment postgresql ready: ...").
std::string to_text(const Report& report, bool table);
std::string list_text(const std::vector<Check>& checks);

}  // namespace envctl::verify
