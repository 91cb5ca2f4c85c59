#pragma once
// ENVCTL_PORTS=auto around settings::plan_ports: the project's choice is recorded in <state dir>/ports.json
// ({"schema": "envctl.ports/v1", "project", "bind_address", "ports": {VAR: port}}, 0600) and kept by every later
// command of the project until `down` releases it. New ports are picked under a host-wide lock
// (<lock folder>/ports.lock), never one another project of the host has recorded (the lock folder's
// ports-registry.json lists every recorded choice; a choice whose file is gone is forgotten), and only ports a
// listener could bind on ENVCTL_BIND_ADDRESS right now. `up`'s preflight checks them again before anything is
// published (exit 7 naming the variable).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::orchestration {

// Every variable the stack publishes a host port from (each once, in stack order).
std::vector<std::string> port_variables(const descriptors::Stack& stack);

// <state dir>/ports.json
std::filesystem::path port_choice_file(const settings::Settings& settings);

// The recorded choice in `file` (empty when there is none or it cannot be read).
std::map<std::string, int> read_port_choice(const std::filesystem::path& file);

// Under ENVCTL_PORTS=auto, or when the project has a recorded choice and this command does not say
// ENVCTL_PORTS=fixed explicitly: every port variable not given explicitly gets the recorded or a newly picked port
// (origin auto_port); new picks are recorded before this returns. Without `may_pick` (commands that create nothing)
// only a recorded choice is applied, and the variables it does not cover keep their values.
void apply_auto_ports(settings::Settings& settings, const std::vector<std::string>& variables, bool may_pick = true);

// `down`: forgets the project's recorded choice (whatever ENVCTL_PORTS says now). True when there was one.
bool release_ports(const settings::Settings& settings);

}  // namespace envctl::orchestration
