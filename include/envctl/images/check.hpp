#pragma once
// Which images a set of services needs, under the chosen --images flavour, and which of them are missing
// (neither present nor pullable). `images check`, `images list` and `up`'s preflight use this.

#include <optional>
#include <string>
#include <vector>

#include "envctl/core/duration.hpp"
#include "envctl/descriptors/stack.hpp"
#include "envctl/images/builder.hpp"
#include "envctl/settings/settings.hpp"

namespace envctl::images {

struct MissingImage {
    std::string service;
    std::string image;   // the image the service runs under the flavour
    std::string fix;     // "envctl images build postgresql", or "needs registry access: ..."
    std::string detail;  // why it cannot be pulled
};

// The images `services` run under settings.images that are neither present nor pullable, one entry per service
// (in the order given). Each distinct image is checked once; absent ones are checked for pullability
// concurrently, each within min(15 s, the deadline). Throws envctl::Error(preflight) when podman is unusable.
std::vector<MissingImage> missing_images(const settings::Settings& settings, const descriptors::Stack& stack,
                                         const std::vector<std::string>& services, Deadline deadline);

// One service's images, for `images list`.
struct ServiceImages {
    std::string service;
    std::string upstream;
    bool upstream_present = false;
    std::optional<std::string> local;      // the descriptor's local_image
    bool local_present = false;
    std::optional<std::string> recipe;     // the recipe that builds the local image, if envctl has one
    std::optional<LocalState> local_state; // current / stale (built from another recipe) / absent
    std::optional<std::string> stand_in_for;  // the recipe's stand_in_for: the local image is a stand-in
    std::string selected;                  // what the service runs under the flavour
};
std::vector<ServiceImages> list_images(const settings::Settings& settings, const descriptors::Stack& stack,
                                       const std::vector<std::string>& services, Deadline deadline);

// The recipes the named services need (their local images), each once, in recipe order. Services without a
// local image are skipped (returned in `without_local`); a local image no recipe builds is a usage error.
struct RecipeSelection {
    std::vector<const Recipe*> recipes;
    std::vector<std::string> without_local;
};
RecipeSelection recipes_for_services(const descriptors::Stack& stack, const std::vector<std::string>& services);

}  // namespace envctl::images
