#pragma once
// Building one local image: [1/2] mmdebstrap makes the root file system as a tarball in a temporary folder,
// [2/2] podman import turns it into the image, with the recipe's --change instructions and its hash label.
// The image is tagged only when both steps succeed; the temporary folder is always removed. An image whose
// io.envctl.recipe-sha256 label equals the recipe's hash is left alone (unless forced).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/images/recipe.hpp"

namespace envctl::images {

struct BuildOptions {
    bool force = false;                           // rebuild even when the recipe is unchanged
    std::optional<std::filesystem::path> work_root;  // where the temporary folder goes (default: the system's)
    Duration import_timeout{std::chrono::minutes(10)};
};

enum class BuildOutcome { built, up_to_date };

struct BuildResult {
    std::string image;
    BuildOutcome outcome = BuildOutcome::up_to_date;
    std::string image_id;  // the full id, without a "sha256:" prefix
    std::string recipe_hash;
    Duration elapsed{0};
};

// Builds `recipe` unless its image is current. Throws envctl::Error: preflight when mmdebstrap or podman is
// missing; internal naming the failed step ("mmdebstrap", "podman import") with the tail of its output;
// interrupted when envctl is interrupted. Nothing is tagged unless the build succeeded.
BuildResult build(const Recipe& recipe, const BuildOptions& options);

// What is there for a recipe: no image, an image of this recipe, or one of another recipe (or none: no label).
enum class LocalState { absent, current, stale };
LocalState local_state(const Recipe& recipe, Deadline deadline);
std::string to_string(LocalState s);

// The two commands, exposed for tests. `work` is the temporary folder: overlay/ holds the recipe's files,
// host-ca.crt the host's CA bundle (when the recipe needs it), rootfs.tar the output.
std::vector<std::string> mmdebstrap_argv(const Recipe& recipe, const std::filesystem::path& work);
std::vector<std::string> import_argv(const Recipe& recipe, const std::string& hash, long build_seconds,
                                     const std::filesystem::path& tarball);

}  // namespace envctl::images
