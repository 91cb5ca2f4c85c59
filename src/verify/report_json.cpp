#include "envctl/verify/report.hpp"

namespace envctl::verify {

nlohmann::ordered_json to_json(const Report& report) {
    nlohmann::ordered_json j;
    j["schema"] = "envctl.verify/v1";
    j["project"] = report.project;
    j["passed"] = report.passed();
    j["checks"] = nlohmann::ordered_json::array();
    for (const auto& c : report.checks)
        j["checks"].push_back({{"category", c.category}, {"service", c.service}, {"name", c.name},
                               {"status", to_string(c.status)}, {"duration_ms", c.duration.count()}, {"detail", c.detail}});
    j["categories"] = nlohmann::ordered_json::array();
    for (const auto& c : report.categories)
        j["categories"].push_back({{"name", c.name}, {"passed", c.passed}, {"failed", c.failed}, {"skipped", c.skipped},
                                   {"timeout", c.timeout}, {"duration_ms", c.duration.count()}});
    return j;
}

nlohmann::ordered_json list_json(const std::vector<Check>& checks) {
    nlohmann::ordered_json j;
    j["schema"] = "envctl.verify-list/v1";
    j["checks"] = nlohmann::ordered_json::array();
    for (const auto& c : checks) j["checks"].push_back({{"category", c.category}, {"service", c.service}, {"name", c.name}});
    return j;
}

}  // namespace envctl::verify
