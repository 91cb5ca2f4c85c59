#pragma once
// What the native engine runs: every service of the run file with its settings fully resolved (image, ports
// with their host values, volume names with the project prefix, absolute mount sources, environment with ${VAR}
// references substituted). Built from descriptors + settings by build_project_spec(); tests may build it by hand.

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "envctl/compose/renderer.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::engine {

struct PublishedPort {
    std::string bind_address;  // ENVCTL_BIND_ADDRESS
    int host = 0;
    int container = 0;
    std::string protocol = "tcp";
};

struct VolumeMount {
    std::string volume;        // full podman name: <project>_<volume>
    std::string target;
};

struct BindMount {
    std::filesystem::path source;  // absolute
    std::string target;
    bool read_only = true;
};

// podman-compose's healthcheck options (CMD-SHELL test; the timings as the compose file writes them).
struct Healthcheck {
    std::string test;          // shell command
    std::string interval;      // e.g. "10s"; empty: podman's default
    std::string timeout;
    std::string start_period;
    std::optional<int> retries;
};

struct ServiceSpec {
    std::string name;
    std::string group;                       // label io.envctl.group
    std::string image;
    std::vector<std::string> entrypoint;     // empty: the image's
    std::vector<std::string> command;        // empty: the image's
    std::vector<std::pair<std::string, std::string>> environment;  // resolved values
    std::vector<PublishedPort> ports;
    std::vector<VolumeMount> volumes;
    std::vector<BindMount> mounts;
    std::optional<Healthcheck> healthcheck;  // nullopt: --no-healthcheck
    std::string memory;                      // e.g. "256m"; empty: no limit
    std::vector<std::string> cap_add;
    std::optional<std::string> shm_size;
    std::optional<std::string> user;
    std::optional<std::string> stop_signal;
    std::optional<int> stop_grace_seconds;
    std::vector<std::string> depends_on;
    std::string config_hash;                 // label io.envctl.config-hash
};

struct ProjectSpec {
    std::string project;                     // ENVCTL_PROJECT
    // The compose file the containers are labelled with (podman-compose's working_dir / config_files labels):
    // the run file, so podman-compose -f <run file> sees and manages native containers.
    std::filesystem::path compose_file;
    std::vector<ServiceSpec> services;       // in stack order
    subprocess::Environment environment;     // for every podman call

    const ServiceSpec* find(const std::string& service) const;
    // Every named volume of the project, full names, deduplicated.
    std::vector<std::string> volume_names() const;
};

// podman-compose's names.
std::string container_name(const std::string& project, const std::string& service);
std::string network_name(const std::string& project);

// Resolves `services` (already expanded with their dependencies) from the stack under the settings; each config
// hash is computed with `hash_options` (the run file's: compose::run_file_options). Throws envctl::Error(usage) for
// a bad port variable or an unset required ${VAR:?...} reference, naming it.
ProjectSpec build_project_spec(const settings::Settings& settings, const descriptors::Stack& stack,
                               const std::vector<std::string>& services, const compose::RenderOptions& hash_options);

}  // namespace envctl::engine
