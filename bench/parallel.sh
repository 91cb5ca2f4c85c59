#!/usr/bin/env bash
# bench/parallel.sh [BUILD_DIR]: issue 12's targets for parallel jobs, one run, printed as markdown on stdout
# (progress on stderr). The repository's own project (migrations, compose, .env.development) in a work folder, core
# profile, local images, ENVCTL_PORTS=auto, two projects of that one checkout (parbench_a, parbench_b):
#   - `envctl up` of A alone, fresh volumes (the reference for the side-by-side target);
#   - `envctl db lease` of services_db with the project's migrations, LEASES times one after another, whole
#     processes as a job runs them: p50 and p95 (target p50 < 250 ms), without spares (ENVCTL_DB_SPARES=0: each a
#     copy of the template) and with the default 4 spares, each job releasing its lease before the next one leases
#     (untimed: the release refills the spares, as a job's teardown does);
#   - 16 `envctl db lease` processes at once: wall time until all end (target all succeed, < 3 s), with
#     ENVCTL_DB_SPARES=0, the default 4 (4 renames, 12 copies) and 16 (what a CI running 16 jobs would set);
#   - `envctl db reset` of both databases vs `envctl reset` of the core profile, medians of REPEAT (target
#     db reset < 1 s and at least 5x faster);
#   - `envctl migrate` that only rebuilds both templates (dropped by hand) vs a no-op `migrate`: what building the
#     templates (the migrations applied a second time) costs; the same with the spares dropped too and
#     ENVCTL_DB_SPARES=0: what filling the default 4 spares per database adds to `migrate` (and to `up`);
#   - `envctl up` of B, fresh volumes, while A runs (target no slower than 1.5x A's up alone); both ready after.
# Needs the core profile's local images (envctl images build --profile core). Ports: auto (30000-32767).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

build=${1:-build}
envctl=$(pwd)/$build/envctl
[[ -x $envctl ]] || { echo "parallel.sh: no envctl at $envctl (build first)" >&2; exit 2; }
work=$(pwd)/bench/work/parallel
runs=${REPEAT:-3}
leases=${LEASES:-30}
say() { echo "parallel.sh: $*" >&2; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.3f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# percentile P: the nearest-rank percentile of the numbers on stdin
percentile() { sort -n | awk -v p="$1" '{ a[NR] = $1 } END { r = int((p * NR + 99) / 100); if (r < 1) r = 1; print a[r] }'; }
m() { printf '%s\n' "$@" | median; }
verdict() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then echo met; else echo MISSED; fi; }

rm -rf "$work" && mkdir -p "$work/project"
cp -r migrations compose .env.development "$work/project/"
export ENVCTL_LOCK_DIR="$work/locks" ENVCTL_PORTS=auto
unset POSTGRES_PORT REDIS_DAPR_PORT AZURITE_BLOB_PORT
a() { ENVCTL_PROJECT=parbench_a "$envctl" -q --project-dir "$work/project" --images local --profile core "$@"; }
b() { ENVCTL_PROJECT=parbench_b "$envctl" -q --project-dir "$work/project" --images local --profile core "$@"; }
cleanup() {  # envctl's own teardown: containers, network, volumes, leases, and the ports it picked
  a down --volumes >/dev/null 2>&1 || true
  b down --volumes >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
# timed CMD...: the wall time of CMD in ms (its output goes to the log; a failure stops the benchmark).
timed() {
  quiesce
  local start; start=$(now_ms)
  "$@" >>"$work/log.txt" 2>&1 || { say "failed: $* (see $work/log.txt)"; exit 1; }
  echo $(( $(now_ms) - start ))
}

say "up of A alone"
up_a=$(timed a up)

# release_all [SPARES]: drops every lease, then the spares are filled to SPARES (default: ENVCTL_DB_SPARES's default).
release_all() {
  if [[ -n ${1:-} ]]; then ENVCTL_DB_SPARES=$1 a db release --all; else a db release --all; fi >>"$work/log.txt" 2>&1
}

say "$leases leases one after another, without spares"
release_all 0  # drops the spares up made
declare -a lease_ms spare_lease_ms
for i in $(seq "$leases"); do lease_ms+=("$(ENVCTL_DB_SPARES=0 timed a db lease)"); done
release_all 0

say "$leases leases one after another, each released before the next (4 spares)"
release_all
for i in $(seq "$leases"); do
  spare_lease_ms+=("$(timed a db lease --name "parbench_job_$i")")
  a db release "parbench_job_$i" >>"$work/log.txt" 2>&1
done

# sixteen SPARES: 16 `db lease` processes at once with the spares filled to SPARES first; sets wall16, failed, names.
sixteen() {
  say "16 leases at once, ENVCTL_DB_SPARES=$1"
  release_all "$1"
  rm -f "$work"/lease-*.json
  quiesce
  local start pids=() p
  start=$(now_ms)
  for i in $(seq 16); do ENVCTL_DB_SPARES=$1 a db lease --json >"$work/lease-$i.json" 2>>"$work/log.txt" & pids+=($!); done
  failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  wall16=$(( $(now_ms) - start ))
  names=$(cat "$work"/lease-*.json | python3 -c 'import json, sys
docs = [json.loads(d) for d in sys.stdin.read().replace("}\n{", "}\x00{").split("\x00") if d.strip()]
print(len({d["name"] for d in docs}))')
  release_all
  if [[ $failed == 0 && $names == 16 ]]; then
    all16="all 16 succeeded, 16 distinct names"; ok16=$(verdict "$wall16" 3000)
  else
    all16="$failed failed, $names distinct names"; ok16=MISSED
  fi
}
sixteen 0; wall16_0=$wall16; all16_0=$all16; ok16_0=$ok16
sixteen 4; wall16_4=$wall16; all16_4=$all16; ok16_4=$ok16
sixteen 16; wall16_16=$wall16; all16_16=$all16; ok16_16=$ok16
release_all  # back to the default 4

# The template's cost: its migrations are applied a second time (in a database of its own) after D's. Measured as a
# `migrate` that finds both databases current but their templates gone, against a no-op `migrate`.
pg_port=$(a env --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["variables"]["POSTGRES_PORT"])')
admin_sql() {
  (set -a; . "$work/project/.env.development"; PGPASSWORD=$POSTGRES_PASSWORD psql -qAt -h 127.0.0.1 -p "$pg_port" \
    -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "$1") >>"$work/log.txt" 2>&1
}
drop_templates() {
  for d in services_db content_db; do
    admin_sql "ALTER DATABASE ${d}__template IS_TEMPLATE false" && admin_sql "DROP DATABASE ${d}__template"
  done
}
drop_spares() {
  local d
  for d in $( (set -a; . "$work/project/.env.development"; PGPASSWORD=$POSTGRES_PASSWORD psql -qAt -h 127.0.0.1 \
      -p "$pg_port" -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
      -c "SELECT datname FROM pg_database WHERE starts_with(shobj_description(oid, 'pg_database'), 'envctl.spare/v1 ')")); do
    admin_sql "DROP DATABASE $d"
  done
}
say "migrate rebuilding the templates vs a no-op migrate, with and without filling spares, $runs each"
declare -a rebuild_ms rebuild0_ms noop_ms
for i in $(seq "$runs"); do
  noop_ms+=("$(timed a migrate)")
  drop_templates; drop_spares
  rebuild_ms+=("$(timed a migrate)")
  drop_templates; drop_spares
  rebuild0_ms+=("$(ENVCTL_DB_SPARES=0 timed a migrate)")
done

say "db reset and reset, $runs each"
declare -a dbreset_ms reset_ms
for i in $(seq "$runs"); do dbreset_ms+=("$(timed a db reset)"); done
for i in $(seq "$runs"); do reset_ms+=("$(timed a reset)"); done

say "up of B beside A"
up_b=$(timed b up)
a status >>"$work/log.txt" 2>&1 && b status >>"$work/log.txt" 2>&1 && both=yes || both=no
ports_a=$(a env --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["variables"]["POSTGRES_PORT"])')
ports_b=$(b env --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["variables"]["POSTGRES_PORT"])')

lp50=$(printf '%s\n' "${lease_ms[@]}" | percentile 50)
lp95=$(printf '%s\n' "${lease_ms[@]}" | percentile 95)
sp50=$(printf '%s\n' "${spare_lease_ms[@]}" | percentile 50)
sp95=$(printf '%s\n' "${spare_lease_ms[@]}" | percentile 95)
dbr=$(m "${dbreset_ms[@]}"); rst=$(m "${reset_ms[@]}"); rebuild=$(m "${rebuild_ms[@]}"); noop=$(m "${noop_ms[@]}")
rebuild0=$(m "${rebuild0_ms[@]}")

cat <<MD
### Parallel jobs: leases, data reset, environments side by side (issue 12)

\`bench/parallel.sh\`: the repository's migrations, core profile, local images, \`ENVCTL_PORTS=auto\`, two projects of
one checkout. Each time is one whole envctl process (settings, connection, work), as a job runs it. Raw times in ms.

| step | measured | target | |
| --- | --- | --- | --- |
| \`db lease\` of services_db, 4 spares (the default), each job releasing its lease, p50 of $leases | $(secs "$sp50") | < 0.250 s | $(verdict "$sp50" 250) |
| \`db lease\`, 4 spares, p95 of $leases | $(secs "$sp95") | | |
| \`db lease\` of services_db, no spares (a copy each), p50 of $leases | $(secs "$lp50") | < 0.250 s | $(verdict "$lp50" 250) |
| \`db lease\`, no spares, p95 of $leases | $(secs "$lp95") | | |
| 16 \`db lease\` processes at once, ENVCTL_DB_SPARES=16, wall time | $(secs "$wall16_16") ($all16_16) | < 3 s | $ok16_16 |
| 16 \`db lease\` processes at once, 4 spares (the default), wall time | $(secs "$wall16_4") ($all16_4) | < 3 s | $ok16_4 |
| 16 \`db lease\` processes at once, no spares, wall time | $(secs "$wall16_0") ($all16_0) | < 3 s | $ok16_0 |
| \`db reset\` of both databases, median of $runs | $(secs "$dbr") | < 1 s | $(verdict "$dbr" 1000) |
| \`reset\` of the core profile, median of $runs | $(secs "$rst") | | |
| \`reset\` / \`db reset\` | $(ratio "$rst" "$dbr")× | ≥ 5× | $(verdict 5 "$(ratio "$rst" "$dbr")") |
| \`migrate\` rebuilding both templates (databases current), ENVCTL_DB_SPARES=0, median of $runs | $(secs "$rebuild0") (no-op \`migrate\`: $(secs "$noop"); the templates' second application of the migrations: $(secs $(( rebuild0 - noop )))) | | |
| the same filling 4 spares per database (the default; \`up\` pays it too) | $(secs "$rebuild") (filling the spares: $(secs $(( rebuild - rebuild0 )))) | | |
| \`up\` of A alone (fresh volumes) | $(secs "$up_a") | | |
| \`up\` of B while A runs (fresh volumes) | $(secs "$up_b") ($(ratio "$up_b" "$up_a")× A's; both ready: $both; POSTGRES_PORT $ports_a and $ports_b) | ≤ 1.5× | $(verdict "$(ratio "$up_b" "$up_a")" 1.5) |

Raw: lease with spares ${spare_lease_ms[*]}; lease without ${lease_ms[*]}; db reset ${dbreset_ms[*]}; reset
${reset_ms[*]}; migrate rebuilding the templates with spares ${rebuild_ms[*]}, without ${rebuild0_ms[*]}; no-op migrate
${noop_ms[*]}.
MD
