#include "envctl/settings/port_plan.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "envctl/core/error.hpp"

namespace envctl::settings {

PortPlan plan_ports(const Variables& vars, const std::vector<std::string>& port_variables,
                    const std::map<std::string, int>& recorded) {
    PortPlan plan;
    for (const auto& name : port_variables) {
        if (plan.explicit_ports.count(name) || plan.recorded.count(name)) continue;
        if (vars.has(name) && vars.origin(name).explicit_value()) {
            plan.explicit_ports[name] = vars.port(name);
            continue;
        }
        auto it = recorded.find(name);
        if (it != recorded.end()) {
            plan.recorded[name] = it->second;
            continue;
        }
        if (std::find(plan.to_pick.begin(), plan.to_pick.end(), name) == plan.to_pick.end()) plan.to_pick.push_back(name);
    }
    return plan;
}

std::vector<int> pick_ports(std::size_t count, const std::set<int>& taken, const std::function<bool(int)>& is_free,
                            PortRange range, int start) {
    std::vector<int> out;
    const int size = range.last - range.first + 1;
    if (start < range.first || start > range.last) start = range.first;
    for (int i = 0; i < size && out.size() < count; ++i) {
        const int port = range.first + (start - range.first + i) % size;
        if (taken.count(port) || !is_free(port)) continue;
        out.push_back(port);
    }
    if (out.size() < count)
        throw Error(ExitCode::preflight,
                    fmt::format("ENVCTL_PORTS=auto: only {} of the {} host ports needed are free in {}-{} (other projects "
                                "hold the rest): `envctl down` the projects you no longer need",
                                out.size(), count, range.first, range.last));
    return out;
}

int scan_start(const std::string& project, PortRange range) {
    // FNV-1a: stable across runs and builds.
    std::uint32_t h = 2166136261u;
    for (unsigned char c : project) h = (h ^ c) * 16777619u;
    const int size = range.last - range.first + 1;
    return range.first + static_cast<int>(h % static_cast<std::uint32_t>(size));
}

}  // namespace envctl::settings
