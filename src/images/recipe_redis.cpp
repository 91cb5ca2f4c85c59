// localhost/envctl/redis:7: Debian's redis-server behind the upstream image's interface.
#include "recipe_defs.hpp"

namespace envctl::images::detail {
namespace {

// As the upstream image: arguments starting with "-" (or a .conf file) go to redis-server, data in /data. Root
// only fixes /data's ownership, then redis-server runs as "redis", as PID 1 (SIGTERM: save and exit at once).
// Inside the container it listens on every interface without protected mode (the port is published on the
// host's 127.0.0.1 only); later arguments override these defaults.
constexpr const char* kEntrypoint = R"SH(#!/bin/sh
# envctl-redis-entrypoint: written by envctl (localhost/envctl/redis:7).
set -eu
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi
if [ "$1" != redis-server ]; then
    exec "$@"
fi
shift
if [ "$(id -u)" = 0 ]; then
    mkdir -p /data
    find /data \! -user redis -exec chown redis:redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups --inh-caps=-all "$0" redis-server "$@"
fi
cd /data
if [ "$#" -gt 0 ] && [ "${1%.conf}" != "$1" ]; then
    conf="$1"; shift
    exec /usr/bin/redis-server "$conf" --bind 0.0.0.0 --protected-mode no --port 6379 --dir /data "$@"
fi
exec /usr/bin/redis-server --bind 0.0.0.0 --protected-mode no --port 6379 --dir /data "$@"
)SH";

}  // namespace

Recipe redis_recipe() {
    Recipe r = debian_service_recipe("redis", "localhost/envctl/redis:7",
                                     "Redis 7 (Debian redis-server) for redis-dapr and authentik-redis",
                                     {"redis-server"}, "envctl-redis-entrypoint", kEntrypoint);
    r.hooks = {
        {HookStage::customize, R"(mkdir -p "$1/data")"},
        {HookStage::customize, R"(chroot "$1" chown redis:redis /data)"},
    };
    r.changes.insert(r.changes.end(), {R"(CMD ["redis-server"])", "STOPSIGNAL SIGTERM", "EXPOSE 6379", "WORKDIR /data"});
    r.build_timeout = std::chrono::minutes(15);
    return r;
}

}  // namespace envctl::images::detail
