// What the images of npm-packaged services share (Azurite, the Cosmos DB stand-in): an npm package installed
// globally inside the image's root with Debian 12's Node.js 18 (never on the host: the host's Node.js conflicts with
// Debian's npm), a system user owning /data, and Node 18's server close made to close idle connections.
#include <fmt/format.h>

#include "recipe_defs.hpp"

namespace envctl::images::detail {
namespace {

// Node 18's server.close() waits for idle keep-alive connections until their keepAliveTimeout (5 s), so a
// connected client held `podman stop` for 5.5 s (measured); Node 19 and later close idle connections with the
// server. This preload does the same on 18: stop returns in under 1 s with a client connected (measured).
constexpr const char* kCloseIdle = R"JS('use strict';
// Written by envctl: close idle keep-alive connections when a server closes, as Node 19 and later do.
for (const name of ['http', 'https']) {
  const proto = require(name).Server.prototype;
  const close = proto.close;
  proto.close = function (...args) {
    const result = close.apply(this, args);
    if (typeof this.closeIdleConnections === 'function') this.closeIdleConnections();
    return result;
  };
}
)JS";

}  // namespace

Recipe node_service_recipe(const NodeService& service) {
    std::vector<std::string> packages{"nodejs", "npm", "passwd"};
    packages.insert(packages.end(), service.extra_packages.begin(), service.extra_packages.end());
    Recipe r = debian_service_recipe(service.name, service.image, service.summary, std::move(packages),
                                     service.entrypoint, service.script);
    r.files.push_back({kCloseIdlePreload, kCloseIdle, 0644});
    r.needs_host_ca = true;
    r.hooks = {
        {HookStage::customize,
         fmt::format(R"(chroot "$1" env NODE_EXTRA_CA_CERTS={} npm install --global --no-audit --no-fund )"
                     R"(--no-update-notifier --loglevel=error {})",
                     kHostCaPath, service.npm_package)},
        {HookStage::customize, R"(rm -rf "$1/root/.npm")"},
        {HookStage::customize,
         fmt::format(R"(chroot "$1" useradd --system --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin {})",
                     service.user)},
        {HookStage::customize, R"(mkdir -p "$1/data")"},
        {HookStage::customize, fmt::format(R"(chroot "$1" chown {0}:{0} /data)", service.user)},
    };
    r.build_timeout = std::chrono::minutes(25);
    return r;
}

}  // namespace envctl::images::detail
