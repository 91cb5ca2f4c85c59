// localhost/envctl/azurite:3.35.0: the npm package azurite@3.35.0 on Debian 12's Node.js 18 (recipe_node.cpp).
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

}  // namespace

Recipe azurite_recipe() {
    Recipe r = node_service_recipe({.name = "azurite",
                                    .image = "localhost/envctl/azurite:3.35.0",
                                    .summary = "Azurite 3.35.0 (npm) on Debian's Node.js 18 for azurite",
                                    .extra_packages = {},
                                    .entrypoint = "envctl-azurite-entrypoint",
                                    .script = kEntrypoint,
                                    .npm_package = "azurite@3.35.0",
                                    .user = "azurite"});
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
    return r;
}

}  // namespace envctl::images::detail
