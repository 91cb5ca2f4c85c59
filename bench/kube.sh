#!/usr/bin/env bash
# bench/kube.sh [BUILD_DIR]: --engine kube (podman kube play pods) against the native engine (--engine podman) in
# the same run: `envctl --images local --profile core up` from nothing (postgresql, redis-dapr and azurite to ready,
# both databases migrated) and `down --volumes`, REPEAT rounds (default 3), the two engines one after the other in
# each round so a drift of the machine's speed hits them alike; prints a markdown table of medians and ratios.
# Needs the local images (envctl --images local images build) and a build folder (default build-bench; e.g.
# cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DENVCTL_BUILD_TESTS=OFF). Run it under the shared
# lock: flock -o /tmp/envctl-podman.lock bench/kube.sh. Uses ports 25600-25602 and the projects kubebench_*.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

build=${1:-build-bench}
envctl=$(pwd)/$build/envctl
work=$(pwd)/bench/work/kube
rounds=${REPEAT:-3}
say() { echo "kube.sh: $*" >&2; }

[ -x "$envctl" ] || { say "no $envctl: build it first"; exit 1; }
rm -rf "$work" && mkdir -p "$work/project"
# The repository's project (compose files, migrations, env file) in a scratch folder, so state stays out of the tree.
cp -r compose migrations .env.development "$work/project/"
: >"$work/log.txt"

run() {  # run ENGINE ARGS...: envctl on the scratch project as project kubebench_ENGINE
  ENVCTL_PROJECT="kubebench_${1//-/_}" POSTGRES_PORT=25600 REDIS_DAPR_PORT=25601 AZURITE_BLOB_PORT=25602 \
    "$envctl" --project-dir "$work/project" --images local --profile core --engine "$1" "${@:2}"
}
# timed VAR ENGINE ARGS...: runs envctl (output to the log), stores its wall time in ms in VAR.
timed() {
  local var=$1; shift
  quiesce
  local start; start=$(now_ms)
  run "$@" >>"$work/log.txt" 2>&1 || { say "failed: envctl --engine $1 ${*:2} (see $work/log.txt)"; exit 1; }
  printf -v "$var" '%s' $(( $(now_ms) - start ))
}
cleanup() {
  run kube down --volumes >/dev/null 2>&1 || true
  run podman down --volumes >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a native_up native_down kube_up kube_down
for ((round = 1; round <= rounds; round++)); do
  say "round $round of $rounds"
  timed t podman up; native_up+=("$t")
  timed t podman down --volumes; native_down+=("$t")
  timed t kube up; kube_up+=("$t")
  timed t kube down --volumes; kube_down+=("$t")
done

nu=$(median "${native_up[@]}"); nd=$(median "${native_down[@]}")
ku=$(median "${kube_up[@]}"); kd=$(median "${kube_down[@]}")
cat <<TABLE
### --engine kube against the native engine: core profile, local images

$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, load average before: $load_before,
$(podman --version); medians of $rounds rounds, each engine's up from nothing (3 services ready, 2 databases migrated)
then \`down --volumes\`, the engines alternating within each round.

| step | native (--engine podman) | kube (--engine kube) | kube / native |
| --- | --- | --- | --- |
| up (core, to ready and migrated) | $(secs "$nu") | $(secs "$ku") | $(ratio "$ku" "$nu") |
| down --volumes | $(secs "$nd") | $(secs "$kd") | $(ratio "$kd" "$nd") |

Raw (ms): native up ${native_up[*]}; native down ${native_down[*]}; kube up ${kube_up[*]}; kube down ${kube_down[*]}.
TABLE
