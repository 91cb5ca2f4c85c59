#include "envctl/images/check.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <set>

#include <fmt/format.h>

#include "envctl/compose/renderer.hpp"
#include "envctl/core/error.hpp"
#include "envctl/images/podman_images.hpp"
#include "envctl/images/recipe.hpp"

namespace envctl::images {
namespace {

constexpr std::size_t kParallelPullChecks = 4;

// Presence of each distinct image, one `podman image exists` each.
std::map<std::string, bool> presence(const std::vector<std::string>& images, Deadline deadline) {
    std::map<std::string, bool> present;
    for (const auto& image : images)
        if (!present.count(image)) present[image] = image_present(image, deadline);
    return present;
}

// Pullability of each absent image, a few at a time.
std::map<std::string, PullCheck> pullability(const std::vector<std::string>& absent, Deadline deadline) {
    std::map<std::string, PullCheck> result;
    for (std::size_t i = 0; i < absent.size(); i += kParallelPullChecks) {
        std::vector<std::pair<std::string, std::future<PullCheck>>> batch;
        for (std::size_t k = i; k < std::min(absent.size(), i + kParallelPullChecks); ++k)
            batch.emplace_back(absent[k], std::async(std::launch::async, check_pullable, absent[k], deadline));
        for (auto& [image, future] : batch) result[image] = future.get();
    }
    return result;
}

std::string fix_for(const descriptors::ServiceDescriptor& service, settings::ImageFlavour flavour,
                    const std::string& image, const std::map<std::string, bool>& present, const PullCheck& pull) {
    const bool runs_local = flavour == settings::ImageFlavour::local && service.local_image.has_value();
    const Recipe* recipe = service.local_image ? find_recipe(*service.local_image) : nullptr;
    if (runs_local) {
        if (recipe) return "envctl images build " + service.name;
        return fmt::format("no envctl recipe builds {}: make it yourself (podman load or podman import)", image);
    }
    if (service.local_image && recipe) {
        auto it = present.find(*service.local_image);
        if (it != present.end() && it->second)
            return fmt::format("use the local image {} (present): --images local or ENVCTL_IMAGES=local",
                               *service.local_image);
        return fmt::format("envctl images build {}, then --images local (or ENVCTL_IMAGES=local)", service.name);
    }
    if (pull.short_name)
        return fmt::format("name the registry of {} in the stack (e.g. docker.io/{}{}): podman here resolves no short "
                           "names", image, image.find('/') == std::string::npos ? "library/" : "", image);
    return fmt::format("needs registry access: pull {} on a machine that reaches its registry (podman pull, then "
                       "podman save / podman load here)", image);
}

}  // namespace

std::vector<MissingImage> missing_images(const settings::Settings& settings, const descriptors::Stack& stack,
                                         const std::vector<std::string>& services, Deadline deadline) {
    std::vector<std::string> needed;
    for (const auto& name : services) {
        const auto& s = stack.get(name);
        needed.push_back(compose::image_for(s, settings.images));
        if (s.local_image) needed.push_back(*s.local_image);  // for the fix: is the local one already here?
    }
    auto present = presence(needed, deadline);
    std::vector<std::string> absent;
    for (const auto& name : services) {
        auto image = compose::image_for(stack.get(name), settings.images);
        if (!present[image] && std::find(absent.begin(), absent.end(), image) == absent.end()) absent.push_back(image);
    }
    auto pulls = pullability(absent, deadline);

    std::vector<MissingImage> missing;
    for (const auto& name : services) {
        const auto& s = stack.get(name);
        auto image = compose::image_for(s, settings.images);
        if (present[image] || pulls[image].pullable) continue;
        missing.push_back({name, image, fix_for(s, settings.images, image, present, pulls[image]), pulls[image].detail});
    }
    return missing;
}

std::vector<ServiceImages> list_images(const settings::Settings& settings, const descriptors::Stack& stack,
                                       const std::vector<std::string>& services, Deadline deadline) {
    std::vector<ServiceImages> rows;
    std::map<std::string, std::optional<LocalState>> states;
    std::map<std::string, bool> present;
    auto is_present = [&](const std::string& image) {
        auto it = present.find(image);
        if (it == present.end()) it = present.emplace(image, image_present(image, deadline)).first;
        return it->second;
    };
    for (const auto& name : services) {
        const auto& s = stack.get(name);
        ServiceImages row;
        row.service = name;
        row.upstream = s.image;
        row.upstream_present = is_present(s.image);
        row.local = s.local_image;
        row.selected = compose::image_for(s, settings.images);
        if (s.local_image) {
            row.local_present = is_present(*s.local_image);
            if (const Recipe* recipe = find_recipe(*s.local_image)) {
                row.recipe = recipe->name;
                if (!recipe->stand_in_for.empty()) row.stand_in_for = recipe->stand_in_for;
                if (!states.count(recipe->name))
                    states[recipe->name] = row.local_present ? local_state(*recipe, deadline) : LocalState::absent;
                row.local_state = states[recipe->name];
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

RecipeSelection recipes_for_services(const descriptors::Stack& stack, const std::vector<std::string>& services) {
    RecipeSelection selection;
    std::set<const Recipe*> wanted;
    for (const auto& name : services) {
        const auto& s = stack.get(name);
        if (!s.local_image) {
            selection.without_local.push_back(name);
            continue;
        }
        const Recipe* recipe = find_recipe(*s.local_image);
        if (!recipe)
            throw usage_error(fmt::format("{}: no envctl recipe builds its local image {} (recipes: postgresql, "
                                          "redis, azurite, cosmosdb-server, busybox)", name, *s.local_image));
        wanted.insert(recipe);
    }
    // Recipe order, so builds run in the same order whatever the services' order.
    for (const auto& r : recipes())
        if (wanted.count(&r)) selection.recipes.push_back(&r);
    return selection;
}

}  // namespace envctl::images
