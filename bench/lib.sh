# bench/lib.sh: what the container benchmarks share; sourced by bench/lifecycle.sh, bench/engines.sh and bench/pull.sh.

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# secs MS: "1.23 s"; ratio A B: A / B to two decimals; median N...: the middle value (the lower one of an even count).
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# quiesce: before a timed step, wait (at most 5 s) until no podman process is left from the step before: conmon
# runs `podman container cleanup` for every container that stopped, and those would steal the next step's CPU.
quiesce() {
  local i
  for ((i = 0; i < 100; i++)); do
    pgrep -x podman >/dev/null || return 0
    sleep 0.05
  done
}

# remove_projects PROJECT...: removes each compose project's containers, default network and volumes (found by
# podman-compose's project label, which envctl's engines set too); quiet, and never fails.
remove_projects() {
  local p v
  for p in "$@"; do
    podman rm -f -t 0 --filter "label=io.podman.compose.project=$p" >/dev/null 2>&1 || true
    podman network rm -f "${p}_default" >/dev/null 2>&1 || true
    for v in $(podman volume ls -q --filter "label=io.podman.compose.project=$p" 2>/dev/null); do
      podman volume rm -f "$v" >/dev/null 2>&1 || true
    done
  done
}
