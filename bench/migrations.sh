#!/usr/bin/env bash
# Benchmark of the migrator: 500 generated small migrations applied from scratch, then a no-op re-run.
# Targets: the 500 under 3 s; the no-op under 50 ms (each is the whole `envctl migrate` command, compliance included).
# Starts its own throwaway PostgreSQL cluster (initdb + pg_ctl as the postgres user, scram, a free port, a temporary
# folder) and a generated project; removes both at the end. Prints its results as a markdown section on stdout.
#
# Usage: bench/migrations.sh [path/to/envctl]     (default: build/envctl, or $ENVCTL)
# Needs: PostgreSQL server binaries (/usr/lib/postgresql/*/bin), python3 (for a free port), run as root or postgres.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
envctl=${1:-${ENVCTL:-$repo/build/envctl}}
files=${BENCH_MIGRATIONS:-500}
noop_runs=${BENCH_NOOP_RUNS:-10}
[[ -x $envctl ]] || { echo "bench/migrations.sh: no envctl binary at $envctl (build first)" >&2; exit 2; }
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -n $pg_bin && -x $pg_bin/initdb ]] || { echo "bench/migrations.sh: PostgreSQL server binaries not found" >&2; exit 2; }

work=$(mktemp -d /tmp/envctl-bench-XXXXXX)
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_postgres "$pg_bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[[ -n ${BENCH_KEEP:-} ]] && trap - EXIT
[[ $(id -u) == 0 ]] && chown postgres "$work"

# --- the cluster ---
password="bench-$RANDOM-$RANDOM"
echo "$password" > "$work/pwfile"
[[ $(id -u) == 0 ]] && chown postgres "$work/pwfile"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres "$pg_bin/initdb" -D "$work/data" -U postgres --auth=scram-sha-256 --pwfile="$work/pwfile" \
  -E UTF8 --locale=C >"$work/initdb.log" 2>&1
as_postgres "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null

# --- the project: one database, $files migrations, and the schema document they build ---
project=$work/project
mkdir -p "$project/migrations/bench_db"
cat > "$project/.env.development" <<ENV
POSTGRES_PORT=$port
POSTGRES_USER=postgres
POSTGRES_PASSWORD=$password
POSTGRES_DB=postgres
POSTGRES_MULTIPLE_DATABASES=bench_db
BENCH_DB_PASSWORD=bench-owner-$RANDOM
MIGRATION_APPROACH=aggressive
MIGRATION_TIMEOUT=30s
ENV
{ echo "# Bench schema"; echo; echo '```sql'; } > "$project/migrations/BENCH-SCHEMA.md"
for ((i = 1; i <= files; i++)); do
  n=$(printf '%04d' "$i")
  if (( i % 2 )); then
    sql="CREATE TABLE t_$n (id integer PRIMARY KEY, name text NOT NULL DEFAULT '', created_on timestamptz NOT NULL DEFAULT now());"
  else
    prev=$(printf '%04d' $((i - 1)))
    sql="CREATE INDEX idx_t_${prev}_name ON t_$prev (name);"
  fi
  echo "$sql" > "$project/migrations/bench_db/${n}_step.sql"
  echo "$sql" >> "$project/migrations/BENCH-SCHEMA.md"
done
echo '```' >> "$project/migrations/BENCH-SCHEMA.md"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
run() { "$envctl" -q --project-dir "$project" migrate >"$work/last.out" 2>&1; }
# cpu: CPU time (user+sys, ms) of this script's finished children, from bash's `times` (run in this shell, not a
# subshell, so it sees them).
cpu=0
child_cpu() {
  times > "$work/times"
  cpu=$(tail -1 "$work/times" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1]*60 + u[2] + s[1]*60 + s[2]) * 1000 }')
}
load=$(cut -d' ' -f1 /proc/loadavg)

# --- from scratch ---
start=$(now_ms); child_cpu; cpu0=$cpu
run || { echo "bench/migrations.sh: migrate failed:" >&2; cat "$work/last.out" >&2; exit 1; }
scratch_ms=$(( $(now_ms) - start )); child_cpu; scratch_cpu=$(( cpu - cpu0 ))
grep -q "applied $files" "$work/last.out" || { echo "bench: expected $files applied:" >&2; cat "$work/last.out" >&2; exit 1; }

# --- no-op re-runs (median of $noop_runs) ---
noops=()
child_cpu; cpu0=$cpu
for ((i = 0; i < noop_runs; i++)); do
  start=$(now_ms)
  run || { cat "$work/last.out" >&2; exit 1; }
  noops+=($(( $(now_ms) - start )))
done
grep -q "up to date" "$work/last.out" || { echo "bench: the re-run applied something:" >&2; cat "$work/last.out" >&2; exit 1; }
child_cpu; noop_cpu=$(( (cpu - cpu0) / noop_runs ))
sorted=($(printf '%s\n' "${noops[@]}" | sort -n))
noop_median=${sorted[$(( noop_runs / 2 ))]}
noop_best=${sorted[0]}

verdict() { if (( $1 < $2 )); then echo "met"; else echo "MISSED"; fi; }
cat <<MD
## Migrations

\`bench/migrations.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores, load average $load when it started, PostgreSQL
$("$pg_bin/postgres" --version | awk '{print $3}'), a throwaway cluster with default durability settings, envctl at \`${envctl#$repo/}\`.
Each time is one whole \`envctl migrate\` process: settings, connections, advisory lock, ledger, migrations, and the
schema-compliance check. "envctl CPU" is the process's own user+system time; the rest of the wall time is the
server's work and waiting for a CPU.

| case | wall time | envctl CPU | target | |
| --- | --- | --- | --- | --- |
| $files generated migrations from scratch (database created, scratch catalog built beside them) | ${scratch_ms} ms | ${scratch_cpu} ms | < 3000 ms | $(verdict "$scratch_ms" 3000) |
| no-op re-run, median of $noop_runs (best ${noop_best} ms) | ${noop_median} ms | ${noop_cpu} ms | < 50 ms | $(verdict "$noop_median" 50) |
MD
