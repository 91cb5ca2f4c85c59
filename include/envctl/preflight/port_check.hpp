#pragma once
// doctor's host-port check: every port the selected services publish is free on ENVCTL_BIND_ADDRESS, or held by
// the service's own running container of this project (a healthy running environment passes). A port held by
// anything else is named with its holder (PID and program, as find_port_holder sees it). When podman runs
// rootless, a port below net.ipv4.ip_unprivileged_port_start is named too: rootless podman cannot publish it.

#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/preflight/check.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::preflight {

Check ports_check(const settings::Settings& settings, const descriptors::Stack& stack,
                  const std::vector<std::string>& services, const std::vector<engine::ContainerInfo>& project_containers);

}  // namespace envctl::preflight
