#pragma once
// The file a command actually runs: `.envctl/run/compose.yml` (chosen profile, stack file and images). Commands
// that run the environment never touch the committed compose/podman-compose.yml. The run file sits at the same
// depth as compose/, so relative mounts ("../compose/...") resolve the same way.

#include <filesystem>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::compose {

// Renders the given services (already expanded with their dependencies) to settings.run_compose_file() and
// returns its path. Rewrites the file only when its content changes.
std::filesystem::path write_run_file(const settings::Settings& settings, const descriptors::Stack& stack,
                                     const std::vector<std::string>& services);

}  // namespace envctl::compose
