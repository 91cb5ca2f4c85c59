#pragma once
// One service as podman's REST API takes it (POST /libpod/containers/create, a libpod SpecGenerator document):
// the same container `podman create` makes from create_args() — name, labels, network and alias, ports, volumes,
// mounts, environment, healthcheck (with the CLI's defaults), memory limit, user, capabilities, stop settings.

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "envctl/engine/service_spec.hpp"

namespace envctl::engine {

nlohmann::json container_spec_json(const ProjectSpec& project, const ServiceSpec& service);

// "SIGINT", "INT", "sigterm" or "15"; nullopt for an unknown signal.
std::optional<int> parse_signal(std::string_view text);

}  // namespace envctl::engine
