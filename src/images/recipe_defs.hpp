#pragma once
// Private: one function per recipe (src/images/recipe_<name>.cpp).

#include "envctl/images/recipe.hpp"

namespace envctl::images::detail {

Recipe postgresql_recipe();
Recipe redis_recipe();
Recipe azurite_recipe();
Recipe busybox_recipe();

// PATH for images made from a Debian root (podman import sets none).
inline constexpr const char* kDebianPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// What the three service images share: Debian's `packages` without documentation, the entrypoint script at
// /usr/local/bin/<entrypoint> as ENTRYPOINT, PATH (with `path_prefix` in front when given), and a title label.
// The caller adds its hooks and the rest of its changes (CMD, STOPSIGNAL, EXPOSE, WORKDIR).
Recipe debian_service_recipe(const std::string& name, const std::string& image, const std::string& summary,
                             std::vector<std::string> packages, const std::string& entrypoint, const char* script,
                             const std::string& path_prefix = "");

}  // namespace envctl::images::detail
