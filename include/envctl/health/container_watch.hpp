#pragma once
// Tells the prober whether a service's container is still running, from Engine::list (one `podman ps` call per
// refresh, shared by every service). A failing list call is treated as "still running": the budget still bounds
// the wait.

#include <map>
#include <optional>
#include <string>

#include "envctl/engine/engine.hpp"
#include "envctl/health/clock.hpp"

namespace envctl::health {

class ContainerWatch {
public:
    ContainerWatch(engine::Engine& engine, Clock& clock, Duration refresh = std::chrono::milliseconds(500));

    // nullopt while the container runs (or is not known to have stopped); otherwise why it is not running:
    // "container exited (exit code 1)", "container is gone".
    std::optional<std::string> exit_reason(const std::string& service);

private:
    void refresh_if_stale();

    engine::Engine& engine_;
    Clock& clock_;
    Duration refresh_;
    std::optional<TimePoint> listed_at_;
    bool have_list_ = false;   // a list call has succeeded at least once
    std::map<std::string, engine::ContainerInfo> containers_;
};

}  // namespace envctl::health
