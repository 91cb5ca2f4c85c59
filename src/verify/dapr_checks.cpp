// The dapr category's built-in check: the files under dapr/ (the sidecars' components and configuration) parse and
// name only services of the stack. Its other checks (placement and sentry health and gRPC ports, the state store on
// redis-dapr) are declared in the services' descriptors.
#include <algorithm>

#include <fmt/format.h>

#include "envctl/descriptors/dapr_files.hpp"
#include "envctl/verify/suite.hpp"

namespace envctl::verify {

std::vector<Check> dapr_checks(std::shared_ptr<const SuiteInputs> in) {
    const bool has_dapr = std::any_of(in->services.begin(), in->services.end(), [&](const std::string& s) {
        return in->stack->get(s).group == descriptors::Group::dapr;
    });
    if (!has_dapr) return {};
    std::error_code ec;
    const bool present = std::filesystem::is_directory(in->settings->project_dir / "dapr", ec);
    return {{"dapr", "dapr/", "files", [in](Deadline) {
                 const auto found = descriptors::check_dapr_files(in->settings->project_dir / "dapr", *in->stack);
                 if (!found.problems.empty()) return Outcome{false, fmt::format("{}", fmt::join(found.problems, "; "))};
                 return Outcome{true, fmt::format("{} parse; they name {}", fmt::join(found.files, ", "),
                                                  found.targets.empty() ? "no service" : fmt::format("{}", fmt::join(found.targets, ", ")))};
             },
             present ? "" : "the project has no dapr/ folder"}};
}

}  // namespace envctl::verify
