#pragma once
// One service as every rendering reads it: the compose file (compose/renderer.hpp), the native engine's resolved
// containers (engine/service_spec.hpp, then podman arguments and the REST document) and the Kubernetes manifests
// (rendering/kube.hpp). Built once from a descriptor under an image flavour: the flavour's image and volume
// names, the healthcheck timings, the labels. Values are still descriptor text: ${VAR} references (core/
// references.hpp) are resolved by each rendering its own way (kept for compose, substituted by the engines,
// secretKeyRef on a cluster), so no secret is ever part of the model.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/descriptors/service.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::rendering {

// The in-container healthcheck (a shell command, CMD-SHELL) with the timings every engine gives it.
struct Healthcheck {
    std::string test;          // descriptor text ($$ for a literal $)
    std::string interval;      // "10s"
    std::string timeout;       // "5s"
    std::string start_period;  // the ready budget, "30s" by default
    int retries = 0;
};

struct NamedVolume {
    std::string name;    // the flavour's name, without the project prefix: "postgresql-data" or "postgresql-data-local"
    std::string target;
};

struct ServiceModel {
    std::string name;
    std::string group;                                             // label io.envctl.group
    std::string image;                                             // the flavour's image
    std::vector<std::string> entrypoint;                           // empty: the image's
    std::vector<std::string> command;                              // empty: the image's
    std::vector<std::pair<std::string, std::string>> environment;  // values may hold ${VAR}
    std::vector<descriptors::Port> ports;                          // host port from a variable
    std::vector<NamedVolume> volumes;
    std::vector<descriptors::Mount> mounts;                        // sources relative to the project root
    std::vector<std::string> depends_on;
    descriptors::Probe probe;                                      // how envctl decides it is ready
    Duration ready_budget{};                                       // the descriptor's, or the default 30s
    std::optional<Healthcheck> healthcheck;                        // nullopt: none (no shell in the image)
    std::string memory;                                            // limit, e.g. "256m"
    std::vector<std::string> cap_add;
    std::optional<std::string> shm_size;
    std::optional<std::string> user;
    std::optional<std::string> stop_signal;
    std::optional<int> stop_grace_seconds;
    std::vector<std::pair<std::string, std::string>> labels;       // the service's own labels, in order
};

// The budget a service without its own ready_budget gets in a rendered file (the compose start_period).
inline constexpr Duration kDefaultReadyBudget = std::chrono::seconds(30);
// The healthcheck timings every engine and every rendering gives a service (compose, podman, Kubernetes probes).
inline constexpr int kHealthIntervalSeconds = 10;
inline constexpr int kHealthTimeoutSeconds = 5;
inline constexpr int kHealthRetries = 3;

ServiceModel service_model(const descriptors::ServiceDescriptor& service, settings::ImageFlavour images);

}  // namespace envctl::rendering
