#include <algorithm>

#include <fmt/format.h>

#include "envctl/verify/suite.hpp"

namespace envctl::verify {

const engine::ContainerInfo* running_container(const SuiteInputs& in, const std::string& service) {
    for (const auto& c : in.containers)
        if (c.service == service && c.state == engine::ContainerState::running) return &c;
    return nullptr;
}

std::string skip_reason(const SuiteInputs& in, const std::string& service) {
    if (std::find(in.selected.begin(), in.selected.end(), service) == in.selected.end()) return "not selected";
    if (running_container(in, service)) return "";
    for (const auto& c : in.containers) {
        if (c.service != service) continue;
        return c.exit_code ? fmt::format("container {} (exit code {})", engine::to_string(c.state), *c.exit_code)
                           : "container " + engine::to_string(c.state);
    }
    return "no container";
}

}  // namespace envctl::verify
