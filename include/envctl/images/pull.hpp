#pragma once
// Pulling upstream images with `podman pull`, the one way every engine gets its images (envctl pulls before any
// engine creates anything: podman's REST API never pulls on create), or through podman's API service when one is
// given, which reports each pull's progress. Pulls run concurrently (bounded), each reported as it starts, runs and
// ends; the first failure cancels the others. A failure is classified from the
// registry's answer as podman prints it, so the user learns what to do: not found, unauthorized (podman login),
// rate limited, unreachable, or timed out.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/util/subprocess.hpp"

namespace envctl::images {

enum class PullCause { not_found, unauthorized, rate_limited, unreachable, timed_out, cancelled, other };
std::string_view to_string(PullCause cause);  // "not found", "unauthorized", "rate limited", ...

struct PullError {
    PullCause cause = PullCause::other;
    std::string registry;  // the registry that gave the answer (a mirror's when only a mirror answered)
    std::string answer;    // the registry's own words, one line ("manifest unknown", "toomanyrequests: ...")
    // One line for the user: the cause and what to do ("unauthorized at R: run `podman login R`").
    std::string explain() const;
};

// Classifies `podman pull IMAGE`'s stderr. A mirror's answer ("Mirrors also failed: [...]") wins over the
// upstream's own network error beside it: the mirror is where the image was looked for.
PullError classify_pull_error(const std::string& image, const std::string& err);

// The registry part of an image reference ("docker.io" for "docker.io/library/redis:7"; "docker.io" when the name
// has no registry part).
std::string registry_of(const std::string& image);

struct PullOutcome {
    std::string image;
    bool pulled = false;
    std::optional<PullError> error;  // when not pulled
    std::int64_t size_bytes = 0;     // the image's size once pulled
    Duration elapsed{0};
};

struct PullOptions {
    subprocess::Environment environment;  // podman's (CONTAINERS_REGISTRIES_CONF and the like pass through it)
    Deadline deadline;                    // for every pull together
    std::size_t parallelism = 4;
    std::function<void(const std::string& image)> on_start;   // called from the pulling threads
    std::function<void(const PullOutcome& outcome)> on_done;  // called from the pulling threads
    // podman's API service (engine::PodmanApi::socket()): pulls go through it, each reported as it runs through
    // on_progress ("pulling 2/3 blobs, 12.3 MB of 30.1 MB", see pull_progress.hpp). Empty, or a service that
    // cannot be reached: `podman pull`, which reports nothing until it ends.
    std::filesystem::path api_socket;
    std::function<void(const std::string& image, const std::string& status)> on_progress;  // from pulling threads
};

// Pulls each image (distinct names), at most `parallelism` at once; once one fails, the pulls under way are
// cancelled and none is started. Returns one outcome per image, in the order given. Throws Error(interrupted)
// when envctl is interrupted, Error(preflight) when podman is missing.
std::vector<PullOutcome> pull_images(const std::vector<std::string>& images, const PullOptions& options);

// "12.3 MB", "840 kB", "17 B" (powers of 1000, as podman prints sizes).
std::string format_size(std::int64_t bytes);

}  // namespace envctl::images
