#pragma once
// The few podman image commands the images module needs: inspect, exists, pullability, import, remove.
// Every call has a deadline; a missing podman is envctl::Error(preflight).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::images {

struct ImageInfo {
    std::string id;
    std::map<std::string, std::string> labels;
    std::int64_t size_bytes = 0;
};

// nullopt when the image is not present.
std::optional<ImageInfo> inspect_image(const std::string& image, Deadline deadline);
// `podman image exists`.
bool image_present(const std::string& image, Deadline deadline);

// Whether an absent image could be pulled. "Pullable" means: its registry answered with a manifest for it, within
// the deadline (`podman manifest inspect IMAGE`: one registry round trip, no layers downloaded; a registry that
// serves a single-image manifest, which podman 4.3 refuses to print as a list, counts as pullable). Images under
// localhost/ are never pullable: they are built on this machine.
struct PullCheck {
    bool pullable = false;
    std::string detail;  // why not ("registry unreachable: ...", "a local image: built, never pulled", ...)
    bool short_name = false;  // an unqualified name podman cannot resolve here (no unqualified-search registry)
};
PullCheck check_pullable(const std::string& image, Deadline deadline);

// Classifies `podman manifest inspect` output (exit code and stderr). Exposed for tests.
PullCheck classify_manifest_inspect(int exit_code, const std::string& err);

// True for images under localhost/ (built here, never pulled).
bool is_local_name(const std::string& image);

// `podman rmi ID` without force; false (and why, in `detail`) when podman refuses, e.g. a container uses it.
bool remove_image(const std::string& id, Deadline deadline, std::string* detail = nullptr);

// argv[0] for podman calls; throws Error(preflight) naming the package when it is not installed.
std::string podman_program();

}  // namespace envctl::images
