// localhost/envctl/postgresql:15: Debian's postgresql-15 behind the upstream image's interface.
#include "recipe_defs.hpp"

namespace envctl::images::detail {
namespace {

// Runs as root only to fix the data folder's ownership, then re-executes itself as "postgres" (setpriv, from
// util-linux). On an empty data folder it runs initdb (password logins over the network, scram-sha-256), creates
// POSTGRES_DB and runs /docker-entrypoint-initdb.d/*.sql and *.sh on a temporary socket-only server, as the
// upstream image does. postgres itself ends up as PID 1: SIGINT (the image's STOPSIGNAL) is a fast shutdown.
constexpr const char* kEntrypoint = R"SH(#!/bin/sh
# envctl-postgres-entrypoint: written by envctl (localhost/envctl/postgresql:15). The upstream image's interface:
# POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA, /docker-entrypoint-initdb.d; options go to postgres.
set -eu
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
bindir=/usr/lib/postgresql/15/bin

if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
    set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
    exec "$@"
fi
shift

if [ "$(id -u)" = 0 ]; then
    # A fresh volume belongs to root: hand the data folder to postgres, then drop root for good.
    mkdir -p "$PGDATA" /run/postgresql
    find "$PGDATA" /run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
    chmod 700 "$PGDATA"
    chmod 2775 /run/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups --inh-caps=-all "$0" postgres "$@"
fi
export HOME=/var/lib/postgresql

if [ -s "$PGDATA/PG_VERSION" ] && [ "$(cat "$PGDATA/PG_VERSION")" != 15 ]; then
    echo "envctl-postgres: $PGDATA holds a PostgreSQL $(cat "$PGDATA/PG_VERSION") cluster; this image runs 15." >&2
    echo "envctl-postgres: local and upstream images keep separate volumes; remove this one to start afresh." >&2
    exit 1
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ]; then
        echo "envctl-postgres: POSTGRES_PASSWORD is not set; it is needed to initialise $PGDATA" >&2
        exit 1
    fi
    user="${POSTGRES_USER:-postgres}"
    db="${POSTGRES_DB:-$user}"
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    "$bindir/initdb" --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    printf '\n# envctl: password logins from any address\nhost all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"

    "$bindir/pg_ctl" -D "$PGDATA" -w -t 60 -o "-c listen_addresses='' -c unix_socket_directories=/run/postgresql" start
    export PGHOST=/run/postgresql PGUSER="$user" PGDATABASE="$db"
    if [ "$db" != postgres ]; then
        "$bindir/psql" -v ON_ERROR_STOP=1 --no-psqlrc -q -d postgres -c "CREATE DATABASE \"$db\""
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sql) echo "envctl-postgres: running $f"; "$bindir/psql" -v ON_ERROR_STOP=1 --no-psqlrc -f "$f" ;;
            *.sh) echo "envctl-postgres: running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
            *) if [ -e "$f" ]; then echo "envctl-postgres: ignoring $f"; fi ;;
        esac
    done
    "$bindir/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop
    unset PGHOST PGUSER PGDATABASE
    echo "envctl-postgres: initialised $PGDATA (user $user, database $db)"
fi

exec "$bindir/postgres" -c listen_addresses='*' -c unix_socket_directories=/run/postgresql "$@"
)SH";

}  // namespace

Recipe postgresql_recipe() {
    Recipe r = debian_service_recipe("postgresql", "localhost/envctl/postgresql:15",
                                     "PostgreSQL 15 (Debian postgresql-15) for postgresql and authentik-postgresql",
                                     {"postgresql-15"}, "envctl-postgres-entrypoint", kEntrypoint,
                                     "/usr/lib/postgresql/15/bin");
    r.hooks = {
        // postgresql-common makes a "main" cluster on install; the image initialises its own in the volume.
        {HookStage::customize, R"(rm -rf "$1/etc/postgresql/15/main" "$1/var/lib/postgresql/15/main")"},
        {HookStage::customize, R"(mkdir -p "$1/docker-entrypoint-initdb.d" "$1/var/lib/postgresql/data")"},
        {HookStage::customize, R"(chroot "$1" chown postgres:postgres /var/lib/postgresql/data)"},
        {HookStage::customize, R"(chmod 700 "$1/var/lib/postgresql/data")"},
    };
    r.changes.insert(r.changes.end(), {
        R"(CMD ["postgres"])",
        "ENV PGDATA=/var/lib/postgresql/data",
        "ENV LANG=C.UTF-8",
        "STOPSIGNAL SIGINT",
        "EXPOSE 5432",
        "WORKDIR /var/lib/postgresql",
    });
    r.build_timeout = std::chrono::minutes(15);
    return r;
}

}  // namespace envctl::images::detail
