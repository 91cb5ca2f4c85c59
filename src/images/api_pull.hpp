#pragma once
// One image pulled through podman's REST API with its progress: the docker-compatible POST /images/create, the one
// pull endpoint of podman 4.3 that reports bytes (libpod's /libpod/images/pull streams only podman's text lines).

#include <filesystem>
#include <functional>
#include <string>

#include "envctl/core/duration.hpp"
#include "envctl/images/pull_progress.hpp"

namespace envctl::images {

enum class ApiPullEnd { pulled, failed, cancelled, timed_out, unreachable };

struct ApiPullResult {
    ApiPullEnd end = ApiPullEnd::unreachable;
    std::string error;  // podman's message (failed), or why the service was not reached (unreachable)
};

// Pulls `image` through the service on `socket` within `deadline`, calling `on_progress` after each message of
// podman's stream. `cancelled` is polled (true ends the pull: cancelled). The caller learns of an interrupt from
// interrupt::requested(); an unreachable service is for the caller to work around (`podman pull`).
ApiPullResult pull_through_api(const std::filesystem::path& socket, const std::string& image, Deadline deadline,
                               const std::function<bool()>& cancelled,
                               const std::function<void(const PullTally&)>& on_progress);

}  // namespace envctl::images
