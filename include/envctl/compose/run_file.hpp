#pragma once
// The file a command actually runs: `.envctl/run/compose.yml` (chosen profile, stack file and images). Commands
// that run the environment never touch the committed compose/podman-compose.yml. The run file sits at the same
// depth as compose/, so relative mounts ("../compose/...") resolve the same way.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "envctl/compose/renderer.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::compose {

// What each service's container runs beyond its compose block, for its config hash: service -> text
// (engine/run_facts.hpp gathers it).
using RunFacts = std::map<std::string, std::string>;

// The options every config hash of the run file is computed with (the file itself and both engines): the chosen
// images and services, the values the file's variables resolve to, and the facts.
RenderOptions run_file_options(const settings::Settings& settings, const std::vector<std::string>& services,
                               RunFacts facts);

// Renders the given services (already expanded with their dependencies) to settings.run_compose_file() and
// returns its path. Rewrites the file only when its content changes.
std::filesystem::path write_run_file(const settings::Settings& settings, const descriptors::Stack& stack,
                                     const std::vector<std::string>& services, const RunFacts& facts);

}  // namespace envctl::compose
