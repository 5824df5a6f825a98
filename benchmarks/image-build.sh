#!/usr/bin/env bash
# ImageBuild (both platforms) against the bare `dotnet publish -t:PublishContainer` command it drives.
#
#   benchmarks/image-build.sh [--runs N] [--cold N] [--out FILE]
#
# Starts a registry of its own (the distribution registry binary from Slipway's tool cache, on a free
# loopback port, storage in a temp dir; stopped on exit), warms up once (builds and pushes the
# distroless base, compiles the build) and once more with --base-image <that base by digest> to capture
# the `> dotnet publish ...` line ImageBuild logs and the labels file it passes to the SDK. Then measures:
#   A  ./build.sh ImageBuild --skip <chart gates> --registry R --base-image B   (Version, PublishRegistry,
#      base selection, the SDK publish, ImageNormalizer's timestamp pinning, engine start and summary)
#   B  the same `dotnet publish` line replayed from the repository root, with the environment ImageBuild
#      sets (DOTNET_CONTAINER_INSECURE_REGISTRIES=R, DOTNET_CLI_TELEMETRY_OPTOUT=1, DOTNET_NOLOGO=1)
# cold: src/Beacon/bin and src/Beacon/obj deleted before each sample (restore and compile again), --cold
# samples each (default 1); warm: nothing changed, interleaved A, B, A, B, ..., --runs N each (default 5).
# Also times ./build.sh Noop (engine start-up) and splits A's wall time by the lines it logs. Goal: A
# within 1.2x of B. Prints Markdown and writes it to artifacts/benchmarks/image-build.md (or --out FILE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
cold=1
out="$root/artifacts/benchmarks/image-build.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --cold) cold="${2:?--cold needs a number}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "error: --runs must be a positive integer, got '$runs'" >&2; exit 2 ;; esac
case "$cold" in ''|*[!0-9]*) echo "error: --cold must be a non-negative integer, got '$cold'" >&2; exit 2 ;; esac

work="$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench.XXXXXX")"
registry_pid=""
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
log() { echo "bench: $*" >&2; }
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"

# The registry: the Debian distribution registry binary Slipway provisions into its tool cache.
binary="$(ls -d "${XDG_CACHE_HOME:-$HOME/.cache}"/slipway/tools/docker-registry/*/usr/bin/docker-registry 2>/dev/null | sort | tail -n 1 || true)"
[ -x "$binary" ] || { echo "error: no docker-registry in ${XDG_CACHE_HOME:-$HOME/.cache}/slipway/tools/docker-registry (run ./build.sh PublishRegistry once)" >&2; exit 1; }
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
registry="127.0.0.1:$port"
cat >"$work/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $registry
EOF
"$binary" serve "$work/config.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://$registry/v2/" && break; sleep 0.1; done
curl -fs -o /dev/null "http://$registry/v2/" || { echo "error: the registry did not start:" >&2; cat "$work/registry.log" >&2; exit 1; }
log "registry $registry ($binary)"

# ImageBuild without the chart gates it runs after in this build (benchmarks/chart-gates.sh measures those).
gates="--skip ChartLint ChartRender ManifestValidate ChartPolicy"
log "warm-up 1: ./build.sh ImageBuild $gates --registry $registry (compiles, builds and pushes the base)"
./build.sh ImageBuild $gates --registry "$registry" >"$work/warmup1.log" 2>&1 || { cat "$work/warmup1.log" >&2; exit 1; }
base="$(sed -n 's/.*│ Base image: \([^ ]*@sha256:[0-9a-f]*\) .*/\1/p' "$work/warmup1.log" | head -n 1)"
[ -n "$base" ] || { echo "error: no 'Base image: <ref>@sha256:...' line in the warm-up's log" >&2; exit 1; }
log "base $base"

image="./build.sh ImageBuild $gates --registry $registry --base-image $base"
log "warm-up 2: $image (captures the dotnet publish line and the labels file)"
# ImageBuild keeps its labels in the project's obj/ and passes them as CustomAfterMicrosoftCommonTargets; the bare
# command gets a copy, since the cold samples delete obj/.
./build.sh ImageBuild $gates --registry "$registry" --base-image "$base" >"$work/warmup2.log" 2>&1 || { cat "$work/warmup2.log" >&2; exit 1; }
publish="$(sed -n 's/.*│ > \(dotnet publish .*\)$/\1/p' "$work/warmup2.log" | head -n 1)"
[ -n "$publish" ] || { echo "error: no '> dotnet publish' line in the log" >&2; exit 1; }
labels="$(printf '%s' "$publish" | sed -n 's#.*-p:CustomAfterMicrosoftCommonTargets=\([^ ]*\).*#\1#p')"
[ -s "$labels" ] || { echo "error: the labels file '$labels' named on the dotnet publish line is missing" >&2; exit 1; }
cp "$labels" "$work/labels.targets"
publish="$(printf '%s' "$publish" | sed "s#-p:CustomAfterMicrosoftCommonTargets=[^ ]*#-p:CustomAfterMicrosoftCommonTargets=$work/labels.targets#")"
labels_note="a copy of the labels file ImageBuild wrote"
bare="DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 $publish"
log "bare: $bare"

# time_image FILE: times A like time_one, and stamps the lines that mark its phases (appended to $work/phases).
time_image() {
  local t0 t1 rc=0
  t0="$(now_ns)"
  { ./build.sh ImageBuild $gates --registry "$registry" --base-image "$base" 2>&1 || echo "exit $?"; } | while IFS= read -r line; do
    case "$line" in
      "▶ ImageBuild"*) echo "target $(now_ns)" ;;
      *"│ Base image: "*) echo "base $(now_ns)" ;;
      *"│ > dotnet publish "*) echo "publish $(now_ns)" ;;
      *"Pushed image index "*) echo "sdk $(now_ns)" ;;
      *"│ Pushed $registry/"*) echo "pinned $(now_ns)" ;;
      "exit "*) echo "$line" ;;
    esac
  done >"$work/marks"
  t1="$(now_ns)"
  if grep -q '^exit ' "$work/marks"; then echo "error: '$image' failed" >&2; exit 1; fi
  echo $(( (t1 - t0) / 1000000 )) >>"$1"
  awk -v t0="$t0" -v t1="$t1" '{ m[$1] = $2 } END {
    if (!("target" in m && "publish" in m && "sdk" in m && "pinned" in m)) exit
    printf "%d %d %d %d %d\n", (m["target"] - t0) / 1e6, (m["publish"] - m["target"]) / 1e6,
      (m["sdk"] - m["publish"]) / 1e6, (m["pinned"] - m["sdk"]) / 1e6, (t1 - m["pinned"]) / 1e6 }' "$work/marks" >>"$work/phases.$2"
}

clean() { rm -rf src/Beacon/bin src/Beacon/obj; }
for ((r = 1; r <= cold; r++)); do
  log "cold $r/$cold (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  clean; time_image "$work/times.image.cold" cold
  clean; time_one "$work/times.bare.cold" "$bare"
done

log "warm: 2 commands x $runs runs, interleaved (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
# One untimed bare run first: a cold sample leaves the project built by whichever command ran last.
time_one "$work/times.discard" "$bare"
for ((r = 1; r <= runs; r++)); do
  time_image "$work/times.image" warm
  time_one "$work/times.bare" "$bare"
  printf '.' >&2
done
echo >&2
for ((r = 1; r <= runs; r++)); do time_one "$work/times.noop" "./build.sh Noop"; done
load="$(cut -d' ' -f1-3 /proc/loadavg)"

row() { local m min max n; read -r m min max n < <(stats "$2"); echo "| $1 | $(sec "$m") | $(sec "$min") | $(sec "$max") | $n |"; }
med() { stats "$1" | cut -d' ' -f1; }
# phase medians: column K of $work/phases.warm
phase() { cut -d' ' -f"$1" "$work/phases.$2" >"$work/phase"; med "$work/phase"; }
mkdir -p "$(dirname "$out")"
{
  echo "| Command | Median | Min | Max | Runs |"
  echo "|---|---:|---:|---:|---:|"
  if [ "$cold" -gt 0 ]; then
    row "cold: \`./build.sh ImageBuild\` (bin/obj deleted)" "$work/times.image.cold"
    row "cold: bare \`dotnet publish -t:PublishContainer\` (bin/obj deleted)" "$work/times.bare.cold"
  fi
  row "warm: \`./build.sh ImageBuild\`" "$work/times.image"
  row "warm: bare \`dotnet publish -t:PublishContainer\`" "$work/times.bare"
  row "\`./build.sh Noop\` (engine start-up)" "$work/times.noop"
  echo
  if [ "$cold" -gt 0 ]; then
    echo "ImageBuild / bare (medians): cold **$(ratio "$(med "$work/times.image.cold")" "$(med "$work/times.bare.cold")")**, warm **$(ratio "$(med "$work/times.image")" "$(med "$work/times.bare")")** (goal: at most 1.2)."
  else
    echo "ImageBuild / bare (medians): warm **$(ratio "$(med "$work/times.image")" "$(med "$work/times.bare")")** (goal: at most 1.2)."
  fi
  echo
  if [ -s "$work/phases.warm" ]; then
    echo "Where warm ImageBuild's time goes (medians of each phase over the warm runs, from when its log lines arrive):"
    echo
    echo "| Phase | Median |"
    echo "|---|---:|"
    echo "| engine start-up, Version, PublishRegistry (until \`▶ ImageBuild\`) | $(sec "$(phase 1 warm)") |"
    echo "| base selection (\`--base-image\` resolved in the registry) and the labels file, until \`> dotnet publish\` | $(sec "$(phase 2 warm)") |"
    echo "| the SDK publish, until its \`Pushed image index\` line | $(sec "$(phase 3 warm)") |"
    echo "| the SDK's exit and ImageNormalizer (timestamps pinned, app layer repacked per platform, index pushed) | $(sec "$(phase 4 warm)") |"
    echo "| summary, cleanup, exit | $(sec "$(phase 5 warm)") |"
    echo
  fi
  echo "Bare command (from the repository root, with $labels_note):"
  echo
  echo '```sh'
  echo "${bare//$work/<tmp>}" | sed "s#$root/##"
  echo '```'
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at the end $load, commit $(git rev-parse --short HEAD)."
} | tee "$out"
