#pragma once
// The pull step of `up`, `reset` and `images pull`: before any engine creates anything, every absent image the
// services run (under --images) is pulled, concurrently (at most 4 at once), one progress line per image (its
// size and time), under the pull deadline ENVCTL_PULL_TIMEOUT (default 10m) of its own: no service's readiness
// budget pays for a pull. Every engine gets its images this way.

#include <string>
#include <vector>

#include "envctl/cli/context.hpp"

namespace envctl::cli {

struct PullSummary {
    std::size_t present = 0;  // distinct images already there
    std::size_t pulled = 0;   // distinct images pulled now
};

// Pulls what `services` need and is absent. Refuses with Error(preflight) (exit 7, never retried):
//   - an absent local image (localhost/...): it is built, never pulled (the fix names `envctl images build`);
//   - a failed pull: each failure names its services, the image and the cause from the registry's answer
//     (not found, unauthorized with `podman login REGISTRY`, rate limited, unreachable, timed out).
PullSummary pull_absent(Context& ctx, const std::vector<std::string>& services);

}  // namespace envctl::cli
