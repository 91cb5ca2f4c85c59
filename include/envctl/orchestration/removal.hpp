#pragma once
// What `up` and `reset` remove besides a failure's teardown (which removes every container of the project):
// after an interrupt, only what the interrupted command created or started; before a `reset`, the whole project's
// containers and volumes, or only the named services'.

#include <map>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/engine/engine.hpp"

namespace envctl::orchestration {

// The project's containers by service, as listed when a command began.
using ContainerSnapshot = std::map<std::string, engine::ContainerInfo>;

struct InterruptCleanup {
    std::vector<std::string> removed;        // services whose containers went
    std::vector<std::string> left_running;   // services whose containers ran before the command and still run
};

// After an interrupt: removes the containers of `services` (the command's) that were not already running, with
// the same id, in `before`; containers running before stay, and so does anything outside `services`. When nothing
// of the project is left, the project network goes too. Named volumes always stay.
InterruptCleanup remove_started_by_command(engine::Engine& engine, const ContainerSnapshot& before,
                                           const std::vector<std::string>& services, Deadline deadline);

// `reset`: removes containers and named volumes of the whole project (`named` empty) or of the named services
// only (their network stays, and so do the other services). Says what it removes on the log.
void reset_containers_and_volumes(engine::Engine& engine, const std::string& project,
                                  const std::vector<std::string>& named, Deadline deadline);

}  // namespace envctl::orchestration
