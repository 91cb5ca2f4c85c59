#pragma once
// Does podman do what `up` needs of it? Checked with throwaway objects, one step after another, each with its own
// deadline: a busybox image (envctl's localhost/envctl/busybox:1.35 when present, else one made on the spot from
// the host's busybox-static), a container start, a bridge network, a container on it with a port published on
// ENVCTL_BIND_ADDRESS that answers from the host, and a second container that reaches the first by name
// (aardvark-dns). Everything it made is removed again, after an interrupt too. `doctor` and up's preflight share it.

#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/engine/engine.hpp"
#include "envctl/preflight/check.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::preflight {

// The image the check uses when it is present (built by `envctl images build busybox`).
inline constexpr const char* kDoctorImage = "localhost/envctl/busybox:1.35";
// The check's own names: image localhost/envctl-check/busybox:ID (when it has to make one), network
// envctl-check-ID, containers envctl-check-ID-runtime, -server and -client; the image and the containers are
// labelled io.envctl.check=ID (podman 4.3 cannot label a network).
inline constexpr const char* kCheckPrefix = "envctl-check-";
inline constexpr const char* kCheckLabel = "io.envctl.check";

struct ContainerCheckOptions {
    // A container with no network first (`doctor`), so a runtime fault is told apart from a network fault.
    bool runtime_step = true;
    Duration budget{std::chrono::seconds(60)};  // the whole check, removal included
};

// One Check per step that ran (the first failure ends the steps; removal always runs, and shows as a failed
// check only when something could not be removed). A failure's fix comes from known_fix() when podman's error
// shows a known breakage. Throws Error(interrupted) after removing what it made, when envctl is interrupted.
std::vector<Check> check_containers(const settings::Settings& settings, const ContainerCheckOptions& options = {});

// up's preflight: the network steps of check_containers (no runtime-only step), unless a container of the
// project is already running (then podman demonstrably runs it). Throws Error(preflight) naming the step,
// podman's error and the fix; five podman calls (a few seconds on a busy 2-core machine).
void require_container_network(const settings::Settings& settings,
                               const std::vector<engine::ContainerInfo>& project_containers);

}  // namespace envctl::preflight
