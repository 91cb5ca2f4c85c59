#pragma once
// The `podman create` command line of one service: what podman-compose 1.0.3 runs for the same service of the
// run file (same container name, labels, network alias, options, in its order), plus --stop-timeout, which
// podman-compose ignores.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "envctl/engine/service_spec.hpp"

namespace envctl::engine {

// The labels podman-compose 1.0.3 sets, after the service's own (io.envctl.group, io.envctl.config-hash).
std::vector<std::string> container_labels(const ProjectSpec& project, const ServiceSpec& service);

// argv after "podman": {"create", "--name=...", ...}. The service's environment is passed by name (`-e KEY`): the
// values go in podman's own environment (run_environment), never on a command line.
std::vector<std::string> create_args(const ProjectSpec& project, const ServiceSpec& service);
// The values create_args passes by name, to be added to podman's environment for that one command.
std::map<std::string, std::string> run_environment(const ServiceSpec& service);
// The same as {"run", "-d", "--name=...", ...}: creates and starts in one podman process.
std::vector<std::string> run_args(const ProjectSpec& project, const ServiceSpec& service);

// The healthcheck command podman-compose passes for a CMD-SHELL test: "/bin/sh -c <quoted test>".
std::string healthcheck_command(const Healthcheck& healthcheck);
// Python's shlex.quote, which podman-compose uses for healthcheck commands.
std::string shell_quote(std::string_view text);

}  // namespace envctl::engine
