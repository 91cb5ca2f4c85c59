// localhost/envctl/azurite:3.35.0: the npm package azurite@3.35.0 on Debian 12's Node.js 18, installed inside the
// image's root (never on the host: the host's Node.js conflicts with Debian's npm).
#include <fmt/format.h>

#include "recipe_defs.hpp"

namespace envctl::images::detail {
namespace {

// Root only fixes /data's ownership, then node runs as "azurite", as PID 1: Azurite handles SIGTERM itself by
// closing its servers. Telemetry is off unless the command says otherwise (a local development image should not
// phone home).
constexpr const char* kEntrypoint = R"SH(#!/bin/sh
# envctl-azurite-entrypoint: written by envctl (localhost/envctl/azurite:3.35.0).
set -eu
case "${1:-}" in
    azurite|azurite-blob|azurite-queue)
        case " $* " in
            *" --disableTelemetry "*) ;;
            *) set -- "$@" --disableTelemetry ;;
        esac ;;
esac
if [ "$(id -u)" = 0 ]; then
    mkdir -p /data
    find /data \! -user azurite -exec chown azurite:azurite '{}' +
    exec setpriv --reuid=azurite --regid=azurite --init-groups --inh-caps=-all "$0" "$@"
fi
export HOME=/data
export NODE_OPTIONS="--require=/usr/local/lib/envctl/node-close-idle.js${NODE_OPTIONS:+ $NODE_OPTIONS}"
exec "$@"
)SH";

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

Recipe azurite_recipe() {
    Recipe r = debian_service_recipe("azurite", "localhost/envctl/azurite:3.35.0",
                                     "Azurite 3.35.0 (npm) on Debian's Node.js 18 for azurite",
                                     {"nodejs", "npm", "passwd"}, "envctl-azurite-entrypoint", kEntrypoint);
    r.files.push_back({"/usr/local/lib/envctl/node-close-idle.js", kCloseIdle, 0644});
    r.needs_host_ca = true;
    r.hooks = {
        {HookStage::customize,
         fmt::format(R"(chroot "$1" env NODE_EXTRA_CA_CERTS={} npm install --global --no-audit --no-fund )"
                     R"(--no-update-notifier --loglevel=error azurite@3.35.0)",
                     kHostCaPath)},
        {HookStage::customize, R"(rm -rf "$1/root/.npm")"},
        {HookStage::customize,
         R"(chroot "$1" useradd --system --user-group --home-dir /data --no-create-home --shell /usr/sbin/nologin azurite)"},
        {HookStage::customize, R"(mkdir -p "$1/data")"},
        {HookStage::customize, R"(chroot "$1" chown azurite:azurite /data)"},
    };
    // Every interface inside the container's own network namespace, as the upstream image: the port is reachable
    // only where envctl publishes it, on the host's 127.0.0.1 unless ENVCTL_BIND_ADDRESS says otherwise.
    r.changes.insert(r.changes.end(), {
        R"(CMD ["azurite", "--location", "/data", "--blobHost", "0.0.0.0", "--queueHost", "0.0.0.0", "--tableHost", "0.0.0.0"])",
        "STOPSIGNAL SIGTERM",
        "EXPOSE 10000",
        "EXPOSE 10001",
        "EXPOSE 10002",
        "WORKDIR /data",
    });
    r.build_timeout = std::chrono::minutes(25);
    return r;
}

}  // namespace envctl::images::detail
