#!/usr/bin/env bash
# bench/verify.sh [BUILD_DIR]: issue 11's benchmark of `envctl verify`, printed as markdown on stdout (progress on
# stderr). The repository's own project (migrations, compose, dapr, .env.development) in a work folder, core profile
# (postgresql, redis-dapr, azurite), local images, ENVCTL_PORTS=auto, project verifybench:
#   - `envctl verify` of the running core profile, REPEAT times: wall time (median, max; target < 3 s with the
#     categories running concurrently) and the slowest category of each run (from --json);
#   - its cost on an idle environment: the CPU the project's containers use while idle (IDLE_SECONDS, from their
#     cgroups' cpuacct.usage or cpu.stat), against the CPU they use during the verify runs, plus the CPU of the envctl
#     process itself (user+system, with its children: the podman CLI and the connectivity helper's `podman run`).
# Needs the core profile's local images (envctl images build --profile core).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

build=${1:-build}
envctl=$(pwd)/$build/envctl
[[ -x $envctl ]] || { echo "verify.sh: no envctl at $envctl (build first)" >&2; exit 2; }
work=$(pwd)/bench/work/verify
runs=${REPEAT:-5}
idle_seconds=${IDLE_SECONDS:-10}
say() { echo "verify.sh: $*" >&2; }
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then echo met; else echo MISSED; fi; }

rm -rf "$work" && mkdir -p "$work/project"
cp -r migrations compose dapr .env.development "$work/project/"
export ENVCTL_LOCK_DIR="$work/locks" ENVCTL_PORTS=auto
unset POSTGRES_PORT REDIS_DAPR_PORT AZURITE_BLOB_PORT
e() { ENVCTL_PROJECT=verifybench "$envctl" -q --project-dir "$work/project" --images local --profile core "$@"; }
trap 'e down --volumes >/dev/null 2>&1 || true' EXIT
e down --volumes >/dev/null 2>&1 || true

# cpu_ns: the CPU time (ns) the project's containers have used so far, summed over their cgroups (v1 or v2).
cpu_ns() {
  local total=0 id path usage
  for id in $(podman ps -q --no-trunc --filter label=io.podman.compose.project=verifybench); do
    path=$(podman inspect --format '{{.State.CgroupPath}}' "$id")
    if [[ -r /sys/fs/cgroup/cpuacct$path/cpuacct.usage ]]; then
      usage=$(cat "/sys/fs/cgroup/cpuacct$path/cpuacct.usage")
    elif [[ -r /sys/fs/cgroup$path/cpu.stat ]]; then
      usage=$(( $(awk '/^usage_usec/ { print $2 }' "/sys/fs/cgroup$path/cpu.stat") * 1000 ))
    else
      usage=0
    fi
    total=$((total + usage))
  done
  echo "$total"
}

say "up of the core profile"
e up >>"$work/log.txt" 2>&1 || { say "up failed (see $work/log.txt)"; exit 1; }
# Let the start settle (PostgreSQL's checkpoint after the migrations, podman's cleanup processes).
sleep 5
quiesce

say "idle for ${idle_seconds}s"
idle_start=$(cpu_ns); t0=$(now_ms)
sleep "$idle_seconds"
idle_ns=$(( $(cpu_ns) - idle_start )); idle_ms=$(( $(now_ms) - t0 ))

say "$runs verify runs"
declare -a walls slowest envctl_cpu
busy_ns=0; busy_ms=0
for i in $(seq "$runs"); do
  quiesce
  before=$(cpu_ns); start=$(now_ms)
  /usr/bin/time -f "%U %S" -o "$work/time-$i.txt" \
    env ENVCTL_PROJECT=verifybench "$envctl" -q --project-dir "$work/project" --images local --profile core verify --json \
    >"$work/verify-$i.json" 2>>"$work/log.txt" || { say "verify failed (see $work/verify-$i.json)"; exit 1; }
  wall=$(( $(now_ms) - start ))
  busy_ns=$(( busy_ns + $(cpu_ns) - before )); busy_ms=$(( busy_ms + wall ))
  walls+=("$wall")
  slowest+=("$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
c = max(d["categories"], key=lambda c: c["duration_ms"])
print("%s %s" % (c["name"], c["duration_ms"]))' "$work/verify-$i.json")")
  envctl_cpu+=("$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$work/time-$i.txt")")
done
checks=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(len(d["checks"]), sum(c["status"] == "pass" for c in d["checks"]))' "$work/verify-1.json")
categories=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(", ".join("%s %s ms" % (c["name"], c["duration_ms"]) for c in d["categories"]))' "$work/verify-1.json")

med=$(median "${walls[@]}")
max=$(printf '%s\n' "${walls[@]}" | sort -n | tail -1)
idle_rate=$(awk -v ns="$idle_ns" -v ms="$idle_ms" 'BEGIN { printf "%.1f", ns / 1e6 / (ms / 1000) }')
busy_rate=$(awk -v ns="$busy_ns" -v ms="$busy_ms" 'BEGIN { printf "%.1f", ns / 1e6 / (ms / 1000) }')
extra_ms=$(awk -v busy="$busy_ns" -v rate="$idle_rate" -v ms="$busy_ms" -v n="$runs" 'BEGIN { printf "%.0f", (busy / 1e6 - rate * ms / 1000) / n }')
envctl_med=$(median "${envctl_cpu[@]}")

echo "### Verify: \`envctl verify\` of the running core profile ($runs runs)"
echo
echo "postgresql, redis-dapr, azurite under \`--images local\`; the run's checks: $checks (total, passed) — the"
echo "environment category's ready/port/connect (one busybox helper container on the project network), migrations"
echo "(database and isolation of services_db and content_db), dapr (files, the redis-dapr state store)."
echo
echo "| measure | value | target |"
echo "| --- | --- | --- |"
echo "| wall time, median (max) | $(secs "$med") ($(secs "$max")) | < 3 s: $(verdict "$med" 3000) |"
echo "| slowest category per run (ms) | ${slowest[*]} | |"
echo "| categories of run 1 | $categories | concurrent: the run takes as long as the slowest |"
echo "| the environment's containers, idle | $idle_rate ms CPU per second (over $(secs "$idle_ms")) | |"
echo "| the environment's containers, during verify | $busy_rate ms CPU per second (over $(secs "$busy_ms") of verify) | |"
echo "| extra container CPU per verify run | $extra_ms ms | |"
echo "| envctl's own CPU per run (user+system, with its children) | $envctl_med ms (median) | |"
echo
echo "Raw wall times (ms): ${walls[*]}; envctl CPU (ms): ${envctl_cpu[*]}."
