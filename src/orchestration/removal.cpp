#include "envctl/orchestration/removal.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "envctl/util/log.hpp"

namespace envctl::orchestration {

InterruptCleanup remove_started_by_command(engine::Engine& engine, const ContainerSnapshot& before,
                                           const std::vector<std::string>& services, Deadline deadline) {
    InterruptCleanup out;
    bool others_left = false;
    for (const auto& c : engine.list(deadline)) {
        auto was = before.find(c.service);
        bool ran_before = was != before.end() && was->second.state == engine::ContainerState::running &&
                          was->second.id == c.id;
        bool ours = std::find(services.begin(), services.end(), c.service) != services.end();
        if (ours && !ran_before) {
            out.removed.push_back(c.service);
            continue;
        }
        others_left = true;
        if (ran_before && c.state == engine::ContainerState::running) out.left_running.push_back(c.service);
    }
    std::sort(out.left_running.begin(), out.left_running.end());
    if (!others_left) {
        engine.remove_all(false, deadline);  // all of it was this command's: the network too
    } else if (!out.removed.empty()) {
        engine.remove_services(out.removed, false, deadline);
    }
    return out;
}

void reset_containers_and_volumes(engine::Engine& engine, const std::string& project,
                                  const std::vector<std::string>& named, Deadline deadline) {
    if (named.empty()) {
        log::info("reset: removing the containers, network and volumes of project {}", project);
        engine.remove_all(true, deadline);
        return;
    }
    log::info("reset: removing the containers and volumes of {} only (the other services of project {} stay)",
              fmt::join(named, ", "), project);
    engine.remove_services(named, true, deadline);
}

}  // namespace envctl::orchestration
