#include <algorithm>

#include <fmt/format.h>

#include "envctl/verify/report.hpp"

namespace envctl::verify {

std::string to_text(const Report& report, bool table) {
    std::string out;
    if (table) {
        std::size_t cw = 8, sw = 7, nw = 5;
        for (const auto& c : report.checks) {
            cw = std::max(cw, c.category.size());
            sw = std::max(sw, c.service.size());
            nw = std::max(nw, c.name.size());
        }
        out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<7}  {:>8}  {}\n", "CATEGORY", cw, "SERVICE", sw, "CHECK", nw, "STATUS",
                           "TIME", "DETAIL");
        for (const auto& c : report.checks)
            out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<7}  {:>8}  {}\n", c.category, cw, c.service, sw, c.name, nw,
                               to_string(c.status), format_duration(c.duration), c.detail);
    } else {
        for (const auto& c : report.checks)
            out += fmt::format("{} {} {} {} ({}){}\n", to_string(c.status), c.category, c.service, c.name,
                               format_duration(c.duration), c.detail.empty() ? "" : ": " + c.detail);
    }
    for (const auto& c : report.categories)
        out += fmt::format("category {}: {} passed, {} failed, {} skipped, {} timed out in {}\n", c.name, c.passed, c.failed,
                           c.skipped, c.timeout, format_duration(c.duration));
    out += report.passed() ? "verify passed\n" : "verify FAILED\n";
    return out;
}

std::string list_text(const std::vector<Check>& checks) {
    std::string out;
    for (const auto& c : checks) out += fmt::format("{} {} {}\n", c.category, c.service, c.name);
    return out;
}

}  // namespace envctl::verify
