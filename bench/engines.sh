#!/usr/bin/env bash
# bench/engines.sh [BUILD_DIR]: the engines side by side on a stack of 20 busybox HTTP services in 3 dependency
# levels (7 + 7 + 6), one run of REPEAT rounds (default 3; medians), printed as a markdown table on stdout:
#   - envctl's native engine (--engine podman) and its podman-compose engine (--engine podman-compose), driven by
#     bench/engine_bench.cpp (envctl_engine_bench): create, then start level by level, each level once the
#     previous one answers HTTP; a second up with nothing changed; down with volumes;
#   - podman-compose itself: `up -d` then polling every port; `up -d` again; `down -v -t 0`;
#   - plain podman: 20 `podman run -d`, 8 at a time, then polling; one `podman rm -f -t 0` of the 20.
# Needs podman, podman-compose, busybox-static (for the image when localhost/envctl/busybox:1.35 is missing) and a
# configured build folder (default: build). Uses ports 25500-25519 on 127.0.0.1 and projects enginebench_*.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

build=${1:-build}
services=20
base_port=25500
image=localhost/envctl/busybox:1.35
work=$(pwd)/bench/work/engines
projects=(enginebench_native enginebench_composeengine enginebench_compose enginebench_plain)

say() { echo "engines.sh: $*" >&2; }
# elapsed VAR command...: runs the command (output to the log), stores its wall time in ms in VAR.
elapsed() {
  local var=$1; shift
  quiesce
  local start; start=$(now_ms)
  "$@" >>"$work/log.txt" 2>&1 || { say "failed: $* (see $work/log.txt)"; exit 1; }
  printf -v "$var" '%s' $(( $(now_ms) - start ))
}

cleanup() {
  remove_projects "${projects[@]}"
}

ensure_image() {
  podman image exists "$image" && return
  say "building $image from /bin/busybox"
  local root="$work/rootfs"
  rm -rf "$root" && mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/www"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  tar -C "$root" -cf "$work/rootfs.tar" .
  podman import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$image" >/dev/null
}

mkdir -p "$work" && : >"$work/log.txt"
say "building envctl_engine_bench in $build"
cmake --build "$build" --target envctl_engine_bench >/dev/null
bench=$build/bench/envctl_engine_bench
ensure_image
trap cleanup EXIT
cleanup

args() {  # args PROJECT: the driver's options for one project
  echo --project "$1" --dir "$work/$1" --services "$services" --base-port "$base_port" --image "$image"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

plain_run() {
  seq 0 $((services - 1)) | xargs -P 8 -I{} sh -c \
    "podman run -d --name ${p}_{} --label io.podman.compose.project=$p \
       -p 127.0.0.1:\$(($base_port + {})):8080 $image /bin/busybox httpd -f -p 8080 -h /"
}
plain_up_and_wait() { plain_run && "$bench" wait-ready $(args $p); }
pc_up_and_wait() { podman-compose -p $p -f "$file" up -d && "$bench" wait-ready $(args $p); }

# $rounds rounds, the four columns one after the other in each, so a drift of the machine's speed hits them alike;
# the tables show medians. podman-compose's second `up -d` (informational, ~45 s) runs in the first round only.
rounds=${REPEAT:-3}
declare -a native_up_r native_up2_r native_down_r ce_up_r ce_up2_r ce_down_r pc_up_r pc_down_r plain_up_r plain_down_r
pc_up2=0
for ((round = 1; round <= rounds; round++)); do
  say "round $round of $rounds: native engine"
  p=enginebench_native
  "$bench" compose-file $(args $p) >/dev/null
  elapsed t "$bench" up --engine podman $(args $p); native_up_r+=("$t")
  elapsed t "$bench" up --engine podman $(args $p); native_up2_r+=("$t")
  elapsed t "$bench" down --volumes $(args $p); native_down_r+=("$t")

  say "round $round of $rounds: podman-compose engine"
  p=enginebench_composeengine
  "$bench" compose-file $(args $p) >/dev/null
  elapsed t "$bench" up --engine podman-compose $(args $p); ce_up_r+=("$t")
  elapsed t "$bench" up --engine podman-compose $(args $p); ce_up2_r+=("$t")
  elapsed t "$bench" down --volumes $(args $p); ce_down_r+=("$t")

  say "round $round of $rounds: podman-compose itself"
  p=enginebench_compose
  file=$("$bench" compose-file $(args $p))
  elapsed t pc_up_and_wait; pc_up_r+=("$t")
  if (( round == 1 )); then elapsed pc_up2 pc_up_and_wait; fi
  elapsed t podman-compose -p $p -f "$file" down -v -t 0; pc_down_r+=("$t")

  say "round $round of $rounds: plain podman"
  p=enginebench_plain
  elapsed t plain_up_and_wait; plain_up_r+=("$t")
  names=$(for i in $(seq 0 $((services - 1))); do printf '%s_%s ' $p "$i"; done)
  # shellcheck disable=SC2086
  elapsed t podman rm -f -t 0 $names; plain_down_r+=("$t")
done
native_up=$(median "${native_up_r[@]}"); native_up2=$(median "${native_up2_r[@]}"); native_down=$(median "${native_down_r[@]}")
ce_up=$(median "${ce_up_r[@]}"); ce_up2=$(median "${ce_up2_r[@]}"); ce_down=$(median "${ce_down_r[@]}")
pc_up=$(median "${pc_up_r[@]}"); pc_down=$(median "${pc_down_r[@]}")
plain_up=$(median "${plain_up_r[@]}"); plain_down=$(median "${plain_down_r[@]}")

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
cat <<EOF
### Engines: $services busybox HTTP services in 3 dependency levels

$(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) cores, load average before: $load_before,
$(podman --version), podman-compose $(podman-compose version 2>/dev/null | awk '/podman-compose.* version/ {print $NF}').
One run of $rounds rounds; medians (raw times in ms below). "Up" ends when every service answers HTTP on its
published port.

| step | native engine (\`--engine podman\`) | podman-compose engine (\`--engine podman-compose\`) | \`podman-compose\` | plain podman |
| --- | --- | --- | --- | --- |
| up to all ready | $(secs $native_up) | $(secs $ce_up) | $(secs $pc_up) (\`up -d\`, then polling) | $(secs $plain_up) (20 × \`podman run -d\`, 8 at a time, then polling) |
| second up, nothing changed | $(secs $native_up2) | $(secs $ce_up2) | $(secs $pc_up2) (\`up -d\` again) | – |
| down with volumes | $(secs $native_down) | $(secs $ce_down) | $(secs $pc_down) (\`down -v -t 0\`) | $(secs $plain_down) (one \`podman rm -f -t 0\`) |

| ratio | value | target |
| --- | --- | --- |
| native up / plain \`podman run -d\` up | $(ratio $native_up $plain_up) | ≤ 1.3 (plus probe time) |
| \`podman-compose up -d\` / native up | $(ratio $pc_up $native_up) | ≥ 8 |
| podman-compose engine up / native up | $(ratio $ce_up $native_up) | |
| native down / one \`podman rm -f -t 0\` | $(ratio $native_down $plain_down) | ≤ 1.2 |
| \`podman-compose down -v -t 0\` / native down | $(ratio $pc_down $native_down) | |
| native second up / native up | $(ratio $native_up2 $native_up) | |

Raw: native up ${native_up_r[*]}; second up ${native_up2_r[*]}; down ${native_down_r[*]};
podman-compose engine up ${ce_up_r[*]}; second up ${ce_up2_r[*]}; down ${ce_down_r[*]};
podman-compose up -d ${pc_up_r[*]}; again ${pc_up2}; down ${pc_down_r[*]};
plain podman up ${plain_up_r[*]}; down ${plain_down_r[*]}.
EOF
