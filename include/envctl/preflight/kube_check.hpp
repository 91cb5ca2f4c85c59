#pragma once
// What `--engine kube` needs of podman beyond the container check: `podman kube play` makes every service a pod,
// and every pod has an infra container from podman's pause image, which podman 4.3 builds on first use
// (localhost/podman-pause:<version>) from the `catatonit` binary. Checked the way a play needs it: a throwaway pod
// (envctl-check-<id>-pod, labelled io.envctl.check) created and removed again. Without catatonit and without the
// image, podman says "finding pause binary", which known_fix() turns into the package to install.

#include "envctl/core/duration.hpp"
#include "envctl/preflight/check.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::preflight {

// The check "kube play pod" (60 s at most: the first one builds the pause image).
Check check_kube_pod(const settings::Settings& settings, Duration budget = std::chrono::seconds(60));

}  // namespace envctl::preflight
