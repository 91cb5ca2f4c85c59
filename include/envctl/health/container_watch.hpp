#pragma once
// Tells the prober whether a service's container is still running, from Engine::list (one `podman ps` call per
// refresh, shared by every service). The list runs on the watch's own thread, with its own deadline: exit_reason()
// answers from the last list at once and only asks for a new one when that is older than `refresh`, so a slow or
// hanging engine never delays a probe (issue 14, finding 10). A failing list call is treated as "still running":
// the budget still bounds the wait.

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "envctl/engine/engine.hpp"
#include "envctl/health/clock.hpp"

namespace envctl::health {

class ContainerWatch {
public:
    using Containers = std::map<std::string, engine::ContainerInfo>;

    // `seed`: a list the caller just made (it counts as fresh), so exits already visible are seen at once.
    ContainerWatch(engine::Engine& engine, Clock& clock, Duration refresh = std::chrono::milliseconds(500),
                   std::optional<Containers> seed = std::nullopt,
                   Duration list_timeout = std::chrono::seconds(10));
    // Waits for a list still running: at most `list_timeout`, the engine call's own deadline.
    ~ContainerWatch();
    ContainerWatch(const ContainerWatch&) = delete;
    ContainerWatch& operator=(const ContainerWatch&) = delete;

    // nullopt while the container runs (or is not known to have stopped); otherwise why it is not running:
    // "container exited (exit code 1)", "container is gone". Never waits for the engine.
    std::optional<std::string> exit_reason(const std::string& service);

    // Waits up to `max` until no list is running (what a caller that wants the newest answer does; tests).
    // True when none is.
    bool wait_idle(Duration max);

private:
    void loop();

    engine::Engine& engine_;
    Clock& clock_;
    Duration refresh_;
    Duration list_timeout_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<TimePoint> asked_at_;   // when the last list was asked for (on clock_)
    bool wanted_ = false;                 // a list is asked for and not yet begun
    bool running_ = false;                // a list is running
    bool stop_ = false;
    bool have_list_ = false;              // a list call has succeeded at least once
    Containers containers_;
    std::thread worker_;                  // last: started once everything above exists
};

}  // namespace envctl::health
