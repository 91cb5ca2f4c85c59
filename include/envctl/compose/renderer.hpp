#pragma once
// Compose rendering: descriptors -> a compose file both podman-compose 1.0.3 and docker-compose 1.29 accept.
// Deterministic: the same descriptors give byte-identical output. Secrets and host ports are never literal:
// every host port is "${ENVCTL_BIND_ADDRESS:-127.0.0.1}:${VAR}:PORT" (or an equivalent form both implementations
// resolve), every secret a ${VAR} reference resolved from the child environment.
//
// Names both engines share (podman-compose's own conventions): network "<project>_default", volumes
// "<project>_<volume>", containers "<project>_<service>_1", labels io.podman.compose.project,
// com.docker.compose.project, com.docker.compose.service, com.docker.compose.container-number, plus
// io.envctl.group and io.envctl.config-hash.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "envctl/descriptors/stack.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::compose {

struct RenderOptions {
    settings::ImageFlavour images = settings::ImageFlavour::upstream;
    std::vector<std::string> services;               // empty: every service of the stack
    std::string generated_by = "envctl generate";   // named in the header comment
    // The project root relative to the output file's folder: ".." for compose/podman-compose.yml, "../.." for
    // .envctl/run/compose.yml. Mounts are written as <project_root>/<source>, so both files mount the same files.
    std::string project_root = "..";
    // The values every ${VAR} resolves to when the file runs (the run file: the child environment). When given,
    // each service's config hash also covers the values its block references, so a changed port or password
    // recreates the container. The committed file leaves it empty: it must not depend on anyone's settings.
    std::map<std::string, std::string> resolved_values;
    // What each service's container runs beyond its block (the run file only; engine/run_facts.hpp): service ->
    // its mounts' absolute host paths and content digests, its image's id. Covered by the service's config hash,
    // never written into the file, so the committed file stays machine-independent.
    std::map<std::string, std::string> run_facts;
};

std::string render(const descriptors::Stack& stack, const RenderOptions& options);

// The image a service runs under a flavour (local falls back to upstream when the service has no local image).
std::string image_for(const descriptors::ServiceDescriptor& service, settings::ImageFlavour flavour);
// The volume's name in the compose file under a flavour: local and upstream images never share a data volume.
std::string volume_name(const descriptors::Volume& volume, settings::ImageFlavour flavour);
// RenderOptions::project_root for a file written at `output_file`: the project root relative to its folder.
std::string project_root_from(const std::filesystem::path& project_dir, const std::filesystem::path& output_file);
// SHA-256 of the service's rendered settings: the io.envctl.config-hash label. Both engines use this.
std::string service_config_hash(const descriptors::ServiceDescriptor& service, const RenderOptions& options);

}  // namespace envctl::compose
