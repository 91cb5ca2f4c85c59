#pragma once
// `envctl doctor`: preflight checks, each with its fix.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/descriptors/stack.hpp"
#include "envctl/preflight/check.hpp"
#include "envctl/preflight/known_breakages.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::preflight {

std::vector<Check> run_doctor(const settings::Settings& settings, const descriptors::Stack& stack,
                              const std::vector<std::string>& services);

nlohmann::json to_json(const std::vector<Check>& checks);
std::string to_text(const std::vector<Check>& checks);

}  // namespace envctl::preflight
