#pragma once
// Recipes for envctl's local images: a minimal Debian bookworm root file system made by mmdebstrap from the
// Debian mirror, imported with `podman import --change ...`. Everything that defines an image is in its Recipe,
// and the recipe's SHA-256 is stored on the image as the label io.envctl.recipe-sha256: an image is rebuilt only
// when its recipe changes. Local images live under localhost/envctl/, never under an upstream name.

#include <string>
#include <string_view>
#include <vector>

#include "envctl/core/duration.hpp"

namespace envctl::images {

inline constexpr std::string_view kRecipeLabel = "io.envctl.recipe-sha256";
// Informational: how long the root file system took to make (whole seconds), shown by `images list`.
inline constexpr std::string_view kBuildSecondsLabel = "io.envctl.build-seconds";
inline constexpr std::string_view kLocalPrefix = "localhost/envctl/";
inline constexpr std::string_view kSuite = "bookworm";

// A file put into the root file system (copied in before the customize hooks run).
struct RecipeFile {
    std::string path;     // absolute path inside the image
    std::string content;
    int mode = 0644;
};

enum class HookStage { extract, customize };

// An mmdebstrap hook: a command mmdebstrap runs with the root's path as "$1" (see mmdebstrap(1), HOOKS).
struct Hook {
    HookStage stage = HookStage::customize;
    std::string command;
};

struct Recipe {
    std::string name;                    // "postgresql": accepted by `envctl images build NAME`
    std::string image;                   // "localhost/envctl/postgresql:15"
    std::string summary;                 // one line for logs and `images list`
    // Not empty when the image is a stand-in that serves the same protocol on the same ports, not the real service:
    // what it stands in for ("the Cosmos DB emulator"), shown by `images list`.
    std::string stand_in_for;
    std::string variant = "essential";   // mmdebstrap --variant
    std::vector<std::string> packages;   // mmdebstrap --include
    std::vector<std::string> dpkg_options;  // mmdebstrap --dpkgopt (documentation and locales left out)
    std::vector<RecipeFile> files;
    std::vector<Hook> hooks;             // in order, after the files are copied in
    std::vector<std::string> changes;    // podman import --change instructions (the recipe label is added)
    // Upload the host's CA bundle to kHostCaPath for the hooks (network steps inside the root behind a
    // TLS-inspecting proxy); removed before the root is packed.
    bool needs_host_ca = false;
    Duration build_timeout{std::chrono::minutes(15)};  // the mmdebstrap step
};

// Where a recipe's hooks find the host's CA bundle when needs_host_ca is set.
inline constexpr std::string_view kHostCaPath = "/tmp/envctl-host-ca.crt";

// The five recipes: postgresql, redis, azurite, cosmosdb-server (a stand-in for the Cosmos DB emulator), busybox.
const std::vector<Recipe>& recipes();
// By recipe name ("postgresql") or image ("localhost/envctl/postgresql:15"); nullptr when none.
const Recipe* find_recipe(std::string_view name_or_image);

// SHA-256 over everything that defines the recipe (name, image, variant, suite, packages, dpkg options, files
// with modes, hooks, changes, needs_host_ca), in a canonical, length-prefixed serialisation.
std::string recipe_hash(const Recipe& recipe);

// The dpkg options every Debian-based recipe uses: no fsync per file, no documentation or translations.
std::vector<std::string> slim_dpkg_options();

}  // namespace envctl::images
