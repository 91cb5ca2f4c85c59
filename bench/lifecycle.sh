#!/usr/bin/env bash
# bench/lifecycle.sh [BUILD_DIR]: envctl's lifecycle commands against podman-compose doing the same by hand, one
# run, printed as a markdown section on stdout (progress on stderr). Ratios are taken within this run.
#   - on the end-to-end stack (tests/data/e2e/stack.yaml, profile e2e: two busybox HTTP services, one level each):
#     `envctl up` to all-ready vs `podman-compose up -d` followed by a polling loop over the same endpoints;
#     `envctl down --volumes` vs `podman-compose down -v`; `envctl status` vs `podman-compose ps`;
#   - on a stack of 20 busybox HTTP services: `envctl status` (target: under 0.15 s).
# Targets: up within 10 % of podman-compose's up plus the slowest service's readiness; down at least 3x faster than
# podman-compose down; status of 20 services under 0.15 s. Uses ports 27000-27030 and projects lifebench_*.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
repo=$(pwd)
build=${1:-build}
envctl="$repo/$build/envctl"
[[ -x $envctl ]] || { echo "lifecycle.sh: no envctl at $envctl (build first)" >&2; exit 2; }
work=$repo/bench/work/lifecycle
rm -rf "$work"; mkdir -p "$work"
runs=${REPEAT:-3}

say() { echo "lifecycle.sh: $*" >&2; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.3f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# timed CMD...: prints the wall time of CMD in ms (its output goes to the log; a failure stops the benchmark).
timed() {
  quiesce
  local start; start=$(now_ms)
  "$@" >>"$work/log.txt" 2>&1 || { say "failed: $* (see $work/log.txt)"; exit 1; }
  echo $(( $(now_ms) - start ))
}
poll_http() {  # poll_http PORT...: until every port answers 200, every 50 ms, at most 60 s
  local deadline=$(( $(now_ms) + 60000 ))
  for port in "$@"; do
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null) == 200 ]]; do
      (( $(now_ms) < deadline )) || { say "port $port never answered"; exit 1; }
      sleep 0.05
    done
  done
}
cleanup() {
  for p in lifebench_envctl lifebench_compose lifebench_twenty; do
    podman rm -f -t 0 --filter "label=io.podman.compose.project=$p" >/dev/null 2>&1 || true
    podman network rm -f "${p}_default" >/dev/null 2>&1 || true
    podman volume ls -q | grep "^${p}_" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
cleanup

# --- the e2e stack, once for envctl and once for podman-compose (same rendered file, other project) ---
make_project() {  # make_project DIR PROJECT BASE_PORT STACK
  mkdir -p "$1"
  printf 'POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=bench-secret\nPOSTGRES_DB=bench\nE2E_SECRET_TOKEN=bench-token\n' >"$1/.env.development"
  printf 'ENVCTL_PROJECT=%s\nE2E_WEB_PORT=%s\nE2E_API_PORT=%s\nE2E_SICK_PORT=%s\nE2E_CRASH_PORT=%s\nE2E_SLOW_PORT=%s\n' \
    "$2" "$3" $(( $3 + 1 )) $(( $3 + 2 )) $(( $3 + 3 )) $(( $3 + 4 )) >>"$1/.env.development"
  cp "$4" "$1/stack.yaml"
}
make_project "$work/envctl" lifebench_envctl 27000 tests/data/e2e/stack.yaml
e() { "$envctl" -q --project-dir "$work/envctl" --stack "$work/envctl/stack.yaml" --profile e2e "$@"; }

declare -a up_envctl down_envctl status_envctl up_compose down_compose ps_compose
for i in $(seq "$runs"); do
  say "run $i/$runs: envctl"
  up_envctl+=("$(timed e up)")
  status_envctl+=("$(timed e status)")
  down_envctl+=("$(timed e down --volumes)")
done

# podman-compose on the file envctl rendered for the same profile, with the same settings in its environment.
e up >/dev/null 2>&1 && e down --volumes >/dev/null 2>&1
runfile="$work/envctl/.envctl/run/compose.yml"
set -a; . "$work/envctl/.env.development"; set +a
export ENVCTL_PROJECT=lifebench_compose E2E_WEB_PORT=27010 E2E_API_PORT=27011
pc() { podman-compose -p lifebench_compose -f "$runfile" "$@"; }
for i in $(seq "$runs"); do
  say "run $i/$runs: podman-compose"
  up_compose+=("$(timed bash -c "$(declare -f now_ms poll_http say); podman-compose -p lifebench_compose -f '$runfile' up -d && poll_http 27010 27011")")
  ps_compose+=("$(timed pc ps)")
  down_compose+=("$(timed pc down -v)")
  podman network rm -f lifebench_compose_default >/dev/null 2>&1 || true
done

# --- status of 20 services ---
twenty="$work/twenty"
mkdir -p "$twenty"
{
  echo "mode: replace"
  echo "services:"
  for n in $(seq 1 20); do
    cat <<YAML
  web$n:
    group: core
    image: localhost/envctl/busybox:1.35
    command: [/bin/sh, -c, "echo ok > /tmp/index.html && exec /bin/httpd -f -p 8080 -h /tmp"]
    ports:
      - {variable: WEB${n}_PORT, container: 8080}
    probe: {kind: http, port_variable: WEB${n}_PORT, path: /}
YAML
  done
} >"$twenty/stack.yaml"
printf 'POSTGRES_USER=postgres\nPOSTGRES_PASSWORD=bench-secret\nPOSTGRES_DB=bench\nENVCTL_PROJECT=lifebench_twenty\n' >"$twenty/.env.development"
for n in $(seq 1 20); do echo "WEB${n}_PORT=$(( 27010 + n ))" >>"$twenty/.env.development"; done
t() { "$envctl" -q --project-dir "$twenty" --stack "$twenty/stack.yaml" "$@"; }
say "20 services: up"
t up >>"$work/log.txt" 2>&1
declare -a status_twenty
for i in $(seq $(( runs * 3 ))); do status_twenty+=("$(timed t status)"); done
t down --volumes >>"$work/log.txt" 2>&1

m() { printf '%s\n' "$@" | median; }
ue=$(m "${up_envctl[@]}"); uc=$(m "${up_compose[@]}"); de=$(m "${down_envctl[@]}"); dc=$(m "${down_compose[@]}")
se=$(m "${status_envctl[@]}"); pcs=$(m "${ps_compose[@]}"); s20=$(m "${status_twenty[@]}")
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then echo met; else echo MISSED; fi; }

cat <<MD
### Lifecycle: envctl against podman-compose (medians of $runs runs; raw times in ms)

| step | envctl | podman-compose | ratio | target | |
| --- | --- | --- | --- | --- | --- |
| up to all ready (e2e stack, 2 services in 2 levels) | $(secs "$ue") | $(secs "$uc") (\`up -d\` + polling) | $(ratio "$ue" "$uc") | ≤ 1.10 | $(verdict "$(ratio "$ue" "$uc")" 1.10) |
| down with volumes | $(secs "$de") | $(secs "$dc") (\`down -v\`) | $(ratio "$dc" "$de")× faster | ≥ 3× | $(verdict 3 "$(ratio "$dc" "$de")") |
| status / ps | $(secs "$se") | $(secs "$pcs") (\`ps\`) | $(ratio "$pcs" "$se")× faster | | |
| status of 20 services | $(secs "$s20") | | | < 0.150 s | $(verdict "$s20" 150) |

Raw: envctl up ${up_envctl[*]}; podman-compose up ${up_compose[*]}; envctl down ${down_envctl[*]};
podman-compose down ${down_compose[*]}; envctl status ${status_envctl[*]}; podman-compose ps ${ps_compose[*]};
status of 20 ${status_twenty[*]}.
MD
