#pragma once
// Private: one function per recipe (src/images/recipe_<name>.cpp).

#include "envctl/images/recipe.hpp"

namespace envctl::images::detail {

Recipe postgresql_recipe();
Recipe redis_recipe();
Recipe azurite_recipe();
Recipe cosmosdb_recipe();
Recipe busybox_recipe();

// PATH for images made from a Debian root (podman import sets none).
inline constexpr const char* kDebianPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// What the three service images share: Debian's `packages` without documentation, the entrypoint script at
// /usr/local/bin/<entrypoint> as ENTRYPOINT, PATH (with `path_prefix` in front when given), and a title label.
// The caller adds its hooks and the rest of its changes (CMD, STOPSIGNAL, EXPOSE, WORKDIR).
Recipe debian_service_recipe(const std::string& name, const std::string& image, const std::string& summary,
                             std::vector<std::string> packages, const std::string& entrypoint, const char* script,
                             const std::string& path_prefix = "");

// An npm-packaged service (recipe_node.cpp): Debian's nodejs, npm and passwd (and `extra_packages`), `npm_package`
// ("azurite@3.35.0") installed globally inside the root, the system user `user` owning /data (its home), the
// entrypoint script as debian_service_recipe makes it, and the preload at kCloseIdlePreload (Node 18's server close
// also closes idle keep-alive connections; the entrypoint puts it in NODE_OPTIONS). The caller adds its CMD,
// STOPSIGNAL, EXPOSE and WORKDIR.
struct NodeService {
    std::string name, image, summary;
    std::vector<std::string> extra_packages;
    std::string entrypoint;
    const char* script = nullptr;
    std::string npm_package;
    std::string user;
};
inline constexpr const char* kCloseIdlePreload = "/usr/local/lib/envctl/node-close-idle.js";
Recipe node_service_recipe(const NodeService& service);

}  // namespace envctl::images::detail
