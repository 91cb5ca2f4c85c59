#pragma once
// Chooses the engine: settings.engine (--engine podman|podman-compose, ENVCTL_ENGINE; default podman).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/engine/podman_backed_engine.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::engine {

// Per service of the stack (selected or not: `down` removes whatever runs): its stop grace and named volumes.
std::map<std::string, ServiceTeardown> teardown(const settings::Settings& settings, const descriptors::Stack& stack);

// `services`: the services of the run file (already expanded with their dependencies); empty means the
// profile's services with their dependencies. The podman-compose engine writes the run file on create().
std::unique_ptr<Engine> make(const settings::Settings& settings, const descriptors::Stack& stack,
                             const std::vector<std::string>& services);

}  // namespace envctl::engine
