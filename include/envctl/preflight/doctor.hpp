#pragma once
// `envctl doctor`: preflight checks, each with its fix.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::preflight {

struct Check {
    std::string name;
    bool ok = false;
    std::string detail;  // what was seen (a runtime's error verbatim, versions, ...)
    std::string fix;     // what to do when not ok
};

inline constexpr const char* kDoctorImage = "localhost/envctl/busybox:1.35";

std::vector<Check> run_doctor(const settings::Settings& settings, const descriptors::Stack& stack,
                              const std::vector<std::string>& services);

// Known breakages of container runtimes on machines like ours, recognised in an error text.
std::string known_fix(const std::string& runtime_error);

nlohmann::json to_json(const std::vector<Check>& checks);
std::string to_text(const std::vector<Check>& checks);

}  // namespace envctl::preflight
