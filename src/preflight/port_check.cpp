#include "envctl/preflight/port_check.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "envctl/preflight/ports.hpp"

namespace envctl::preflight {
namespace {

// The first port an unprivileged process may bind (1024 unless the machine says otherwise).
int unprivileged_port_start() {
    std::ifstream in("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    int start = 1024;
    if (!(in >> start)) return 1024;
    return start;
}

}  // namespace

Check ports_check(const settings::Settings& s, const descriptors::Stack& stack, const std::vector<std::string>& services,
                  const std::vector<engine::ContainerInfo>& project_containers) {
    std::set<std::string> running;  // services whose container of this project runs: it holds their ports
    for (const auto& c : project_containers)
        if (c.state == engine::ContainerState::running) running.insert(c.service);
    const bool rootless = ::geteuid() != 0;
    const int lowest = rootless ? unprivileged_port_start() : 0;

    Check check{"host ports free", true, "", ""};
    std::vector<std::string> held;
    std::vector<std::string> low;
    int ours = 0;
    for (const auto& name : services) {
        for (const auto& p : stack.get(name).ports) {
            const auto* value = s.vars.find(p.variable);
            if (!value) continue;
            int port = std::atoi(value->c_str());
            if (running.count(name)) {
                ++ours;
                continue;
            }
            if (port < lowest) low.push_back(fmt::format("{} ({}={})", name, p.variable, port));
            if (port_free(s.bind_address, port)) continue;
            auto h = find_port_holder(port);
            held.push_back(fmt::format("{} ({}={}): {}", name, p.variable, port, h ? h->describe(port) : "in use"));
        }
    }
    std::vector<std::string> problems;
    std::vector<std::string> fixes;
    if (!held.empty()) {
        problems.push_back(fmt::format("{}", fmt::join(held, "; ")));
        fixes.push_back("stop the programs holding them, or choose other ports in " + s.env_file.string());
    }
    if (!low.empty()) {
        problems.push_back(fmt::format("podman runs rootless here and cannot publish ports below {}: {}", lowest,
                                       fmt::join(low, "; ")));
        fixes.push_back(fmt::format("choose ports of {} or above in {}, or (as root) sysctl -w "
                                    "net.ipv4.ip_unprivileged_port_start=PORT",
                                    lowest, s.env_file.string()));
    }
    if (!problems.empty()) {
        check.ok = false;
        check.detail = fmt::format("{}", fmt::join(problems, "; "));
        check.fix = fmt::format("{}", fmt::join(fixes, "; "));
        return check;
    }
    check.detail = ours == 0 ? "every port of the profile is free on " + s.bind_address
                             : fmt::format("every port of the profile is free on {} or published by this project's "
                                           "own running containers ({} of them)",
                                           s.bind_address, ours);
    return check;
}

}  // namespace envctl::preflight
