#pragma once
// podman's JSON, read and written in one place (nlohmann/json stays inside src/engine/podman_json.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "envctl/engine/engine.hpp"

namespace envctl::engine {

// `podman ps -a --format json` output -> containers. Throws envctl::Error(internal) naming what is malformed.
std::vector<ContainerInfo> parse_ps_json(std::string_view json);

// podman's State text ("created", "running", "exited", "stopped", "paused", ...) -> ContainerState.
ContainerState parse_state(std::string_view state);

// ["a","b"]: how podman-compose passes an entrypoint (`--entrypoint ["/bin/sh","-c"]`).
std::string json_string_array(const std::vector<std::string>& items);

}  // namespace envctl::engine
