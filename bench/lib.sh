# bench/lib.sh: what the container benchmarks share; sourced by bench/lifecycle.sh and bench/engines.sh.

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# quiesce: before a timed step, wait (at most 5 s) until no podman process is left from the step before: conmon
# runs `podman container cleanup` for every container that stopped, and those would steal the next step's CPU.
quiesce() {
  local i
  for ((i = 0; i < 100; i++)); do
    pgrep -x podman >/dev/null || return 0
    sleep 0.05
  done
}
