#!/usr/bin/env bash
# bench/pull.sh [BUILD_DIR]: the default path from a registry with nothing pulled yet, printed as markdown on stdout.
# Debian's docker-registry on 127.0.0.1 (a free port) serves the core profile's local images under their upstream
# names (pushed zstd-compressed), and a private registries.conf (CONTAINERS_REGISTRIES_CONF) makes it the mirror
# of docker.io, mcr.microsoft.com and ghcr.io. Then REPEAT rounds (default 3; medians), nothing pulled before any up:
#   - `envctl --profile core up` (upstream names, native engine): pulls, starts, waits ready, migrates;
#   - `podman-compose up -d` on the run file envctl rendered for the same profile, then polling until PostgreSQL
#     (pg_isready), Redis (PING) and Azurite (HTTP) answer: podman pulls each absent image as it creates its
#     container.
# Needs the core profile's local images (envctl images build --profile core), docker-registry, podman-compose,
# pg_isready, redis-cli and curl (scripts/setup --tests). Uses ports 25600-25602 and projects pullbench_*.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

build=${1:-build}
envctl=$build/envctl
work=$(pwd)/bench/work/pull
projects=(pullbench_envctl pullbench_compose)
ports=(25600 25601 25602)
say() { echo "pull.sh: $*" >&2; }

rm -rf "$work" && mkdir -p "$work/project"
cp -r migrations compose .env.development "$work/project/"
e() { "$envctl" -q --project-dir "$work/project" --profile core "$@"; }
export ENVCTL_LOCK_DIR="$work/locks" POSTGRES_PORT=${ports[0]} REDIS_DAPR_PORT=${ports[1]} AZURITE_BLOB_PORT=${ports[2]}

# The core profile's upstream and local image names, from envctl itself.
mapfile -t pairs < <(e images list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin)["services"]:
    print(s["upstream"]["image"], s["local"]["image"])' | sort -u)
upstream=()
for p in "${pairs[@]}"; do upstream+=("${p%% *}"); done

registry_pid=""
cleanup() {
  remove_projects "${projects[@]}"
  unpull
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  rm -rf "$work/registry"
}
# Untags the upstream names: the images stay under their local names.
unpull() { for i in "${upstream[@]}"; do podman image exists "$i" && podman rmi "$i" >/dev/null 2>&1 || true; done; }
trap cleanup EXIT
for i in "${upstream[@]}"; do
  if podman image exists "$i"; then say "$i is present before the run: remove it first (nothing to pull otherwise)"; exit 1; fi
done

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/registry/data"
cat >"$work/registry/config.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry/data}}
http: {addr: 127.0.0.1:$port}
YAML
docker-registry serve "$work/registry/config.yml" >"$work/registry/log.txt" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
{
  echo 'unqualified-search-registries = []'
  for r in docker.io mcr.microsoft.com ghcr.io; do
    printf '\n[[registry]]\nprefix = "%s"\nlocation = "%s"\n[[registry.mirror]]\nlocation = "127.0.0.1:%s"\ninsecure = true\n' "$r" "$r" "$port"
  done
} >"$work/registries.conf"
export CONTAINERS_REGISTRIES_CONF=$work/registries.conf
for p in "${pairs[@]}"; do
  up_name=${p%% *} local_name=${p##* }
  say "pushing $local_name as $up_name"
  podman push --quiet --tls-verify=false --compression-format zstd "$local_name" "127.0.0.1:$port/${up_name#*/}"
done
size=$(du -sh "$work/registry/data" | cut -f1)

# One round: envctl, then podman-compose, each from nothing pulled (the upstream names untagged before each).
# Each up ends when all is ready: envctl's when it returns (it waits ready and migrates); podman-compose's when
# PostgreSQL (pg_isready), Redis (PING) and Azurite (an HTTP answer) answer on their published ports.
runfile=$work/run-compose.yml
ready() {
  pg_isready -q -h 127.0.0.1 -p "${ports[0]}" &&
    [ "$(redis-cli -h 127.0.0.1 -p "${ports[1]}" ping 2>/dev/null)" = PONG ] &&
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${ports[2]}/" 2>/dev/null)" != 000 ]
}
nothing_pulled() {
  for i in "${upstream[@]}"; do
    if podman image exists "$i"; then say "$i is still present before a timed step"; exit 1; fi
  done
}
envctl_round() {  # sets t
  nothing_pulled
  quiesce
  local start; start=$(now_ms)
  ENVCTL_PROJECT=pullbench_envctl e up >"$work/envctl-up.txt" 2>&1 || { say "envctl up failed:"; cat "$work/envctl-up.txt" >&2; exit 1; }
  t=$(( $(now_ms) - start ))
  # The run file envctl rendered for the profile: what podman-compose runs.
  cp "$work/project/.envctl/run/compose.yml" "$runfile"
  ENVCTL_PROJECT=pullbench_envctl e down --volumes >/dev/null 2>&1
  unpull
}
compose_round() (  # prints the time; a subshell: the settings file's variables stay in it
  set -a; . "$work/project/.env.development"; set +a
  export ENVCTL_PROJECT=pullbench_compose POSTGRES_PORT=${ports[0]} REDIS_DAPR_PORT=${ports[1]} AZURITE_BLOB_PORT=${ports[2]}
  nothing_pulled
  quiesce
  start=$(now_ms)
  podman-compose -p pullbench_compose -f "$runfile" up -d >"$work/compose-up.txt" 2>&1 ||
    { say "podman-compose up -d failed:"; cat "$work/compose-up.txt" >&2; exit 1; }
  deadline=$(( $(now_ms) + 180000 ))
  until ready; do
    (( $(now_ms) < deadline )) || { say "podman-compose's services never answered"; exit 1; }
    sleep 0.05
  done
  echo $(( $(now_ms) - start ))
  podman-compose -p pullbench_compose -f "$runfile" down -v -t 0 >/dev/null 2>&1 || true
  remove_projects pullbench_compose
  unpull
)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rounds=${REPEAT:-3}
envctl_r=() compose_r=()
for ((round = 1; round <= rounds; round++)); do
  say "round $round of $rounds: envctl up"
  envctl_round; envctl_r+=("$t")
  say "round $round of $rounds: podman-compose up -d"
  t=$(compose_round); compose_r+=("$t")
done
t_envctl=$(median "${envctl_r[@]}") t_compose=$(median "${compose_r[@]}")

cat <<MD
### Pulling: core profile from a local registry, nothing pulled yet

$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores,
load average before: $load_before, $(podman --version), podman-compose $(podman-compose version 2>/dev/null | awk '/podman-compose.* version/ {print $NF}').
Debian's docker-registry on 127.0.0.1 serving the core profile's local images under their upstream names
(${#upstream[@]} images, $size in the registry, zstd layers), as the mirror of docker.io, mcr.microsoft.com and
ghcr.io. One run of $rounds rounds, envctl then podman-compose in each, every up from nothing pulled (the upstream
names removed before it); medians (raw times in ms below).

| step | envctl (\`--profile core up\`, native engine) | \`podman-compose up -d\` + polling | ratio |
| --- | --- | --- | --- |
| pull and start to all ready | $(secs "$t_envctl") (pulls the ${#upstream[@]} images at once, starts, waits ready, migrates 2 databases) | $(secs "$t_compose") (pulls each image as it creates its container; ready = pg_isready, PING, an HTTP answer; no migrations) | $(ratio "$t_envctl" "$t_compose") |

Raw: envctl ${envctl_r[*]}; podman-compose ${compose_r[*]}.
MD
