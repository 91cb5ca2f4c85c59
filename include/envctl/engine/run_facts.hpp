#pragma once
// What the run file's containers actually run beyond their compose block, for their config hashes
// (io.envctl.config-hash): each mount's absolute host path and a digest of what it holds (util/tree_digest.hpp),
// and the id of the service's image when that image is present locally. Editing a mounted file, rebuilding or
// re-pulling an image, or running the project from a second checkout recreates exactly the containers concerned;
// when nothing changed, every container is reused. The committed compose file never includes any of it.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "envctl/compose/run_file.hpp"
#include "envctl/core/duration.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::engine {

// The facts of each of `services` (one podman call for every image, when all are present).
compose::RunFacts gather_run_facts(const settings::Settings& settings, const descriptors::Stack& stack,
                                   const std::vector<std::string>& services, Deadline deadline);

// The part that needs no podman: one line per mount, "mount <absolute host path> <digest>".
std::string mount_facts(const settings::Settings& settings, const descriptors::ServiceDescriptor& service);

// The ids of those of `images` present in local storage (absent ones are left out). `env`: podman's environment.
std::map<std::string, std::string> local_image_ids(const std::vector<std::string>& images,
                                                   const std::map<std::string, std::string>& env, Deadline deadline);

// Gathers the facts now, writes the run file with them and returns its path and the options every config hash
// of this run is computed with.
struct PreparedRun {
    std::filesystem::path file;
    compose::RenderOptions options;
};
PreparedRun prepare_run_file(const settings::Settings& settings, const descriptors::Stack& stack,
                             const std::vector<std::string>& services, Deadline deadline);

}  // namespace envctl::engine
