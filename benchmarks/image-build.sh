#!/usr/bin/env bash
# ImageBuild (both platforms) against the bare `dotnet publish -t:PublishContainer` command it drives: cold, warm (a
# changed source file) and unchanged (the registry's index reused), side by side in one run.
#
#   benchmarks/image-build.sh [--runs N] [--cold N] [--out FILE]
#
# Works on a clean clone of HEAD in a temp dir (so the tree is clean and the measured commit is HEAD; uncommitted edits
# are not measured). Starts a registry of its own (the distribution registry found the way Slipway finds it: docker-registry
# or registry on PATH, else the one in Slipway's tool cache; free loopback port, storage in a temp dir; stopped on exit),
# warms up (compiles the build, builds and pushes the distroless base) and captures the `> dotnet publish ...` line
# ImageBuild logs and the labels file it passes. Then, for each row, interleaved A, B, A, B, ...:
#   A  ./build.sh ImageBuild --skip <chart gates> --registry R --base-image B
#   B  the same SDK publish, pushing to R itself (as without Slipway): the logged line with ContainerRegistry=R instead of
#      ContainerArchiveOutputPath and another repository (beacon-bare, so it never overwrites the index A reuses),
#      with the environment ImageBuild sets
#   cold       src/Beacon/bin and obj deleted before each sample (restore, compile, no chunk cache); A with --rebuild-image,
#              since the registry holds the image of this commit already; --cold N samples each (default 5)
#   warm       a new line appended to src/Beacon/Program.cs before each sample (the tree is dirty: A builds); --runs N
#   unchanged  HEAD as committed, built once before: A reuses the registry's index; B republishes (up-to-date build); --runs N
# Also times ./build.sh Noop and splits A's wall time by the lines it logs. Goals: warm A at most 1.2x B, unchanged A at
# most 0.1x B. Prints Markdown and writes it to artifacts/benchmarks/image-build.md (or --out FILE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
cold=5
out="$root/artifacts/benchmarks/image-build.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --cold) cold="${2:?--cold needs a number}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
log() { echo "bench: $*" >&2; }
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"

# The registry, found as RegistryBinaryProvisioner finds it: a distribution registry on PATH, else the newest in the tool cache.
find_registry() {
  local name candidate
  for name in docker-registry registry; do
    candidate="$(command -v "$name" 2>/dev/null || true)"
    if [ -n "$candidate" ] && "$candidate" --version 2>/dev/null | grep -q distribution; then echo "$candidate"; return 0; fi
  done
  for candidate in $(ls -d "${XDG_CACHE_HOME:-$HOME/.cache}"/slipway/tools/docker-registry/*/ 2>/dev/null | sort -r); do
    if [ -x "$candidate/usr/bin/docker-registry" ]; then echo "$candidate/usr/bin/docker-registry"; return 0; fi
  done
  return 1
}
binary="$(find_registry)" || { echo "error: no distribution registry: neither docker-registry nor registry on PATH, none in ${XDG_CACHE_HOME:-$HOME/.cache}/slipway/tools/docker-registry (run ./build.sh PublishRegistry once, or apt-get install docker-registry)" >&2; exit 1; }
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

commit="$(git -C "$root" rev-parse --short HEAD)"
git clone --quiet "$root" "$work/repo"
cd "$work/repo"
log "clean clone of $commit in $work/repo"

# ImageBuild without the chart gates it runs after in this build (benchmarks/chart-gates.sh measures those).
gates="--skip ChartLint ChartRender ManifestValidate ChartPolicy"
log "warm-up 1: ./build.sh ImageBuild $gates --registry $registry (compiles, builds and pushes the base)"
./build.sh ImageBuild $gates --registry "$registry" >"$work/warmup1.log" 2>&1 || { cat "$work/warmup1.log" >&2; exit 1; }
base="$(sed -n 's/.*│ Base image: \([^ ]*@sha256:[0-9a-f]*\) .*/\1/p' "$work/warmup1.log" | head -n 1)"
[ -n "$base" ] || { echo "error: no 'Base image: <ref>@sha256:...' line in the warm-up's log" >&2; exit 1; }
log "base $base"

image="./build.sh ImageBuild $gates --registry $registry --base-image $base"
log "warm-up 2: $image --rebuild-image (captures the dotnet publish line and the labels file)"
$image --rebuild-image >"$work/warmup2.log" 2>&1 || { cat "$work/warmup2.log" >&2; exit 1; }
# ImageBuild logs the SDK's command line (and its whole output) in the build log only, at debug level.
publish="$(sed -n 's/.* > \(dotnet publish .*\)$/\1/p' "$work/repo/.nuke/temp/build.log" | head -n 1)"
[ -n "$publish" ] || { echo "error: no '> dotnet publish' line in $work/repo/.nuke/temp/build.log" >&2; exit 1; }
labels="$(printf '%s' "$publish" | sed -n 's#.*-p:CustomAfterMicrosoftCommonTargets=\([^ ]*\).*#\1#p')"
[ -s "$labels" ] || { echo "error: the labels file '$labels' named on the dotnet publish line is missing" >&2; exit 1; }
# The bare command gets a copy of the labels file (the cold samples delete obj/), pushes to the registry itself, and
# into a repository of its own so that the index ImageBuild reuses stays in place.
cp "$labels" "$work/labels.targets"
publish="$(printf '%s' "$publish" | sed \
  -e "s#-p:CustomAfterMicrosoftCommonTargets=[^ ]*#-p:CustomAfterMicrosoftCommonTargets=$work/labels.targets#" \
  -e "s#-p:ContainerArchiveOutputPath=[^ ]*#-p:ContainerRegistry=$registry#" \
  -e "s#-p:ContainerRepository=[^ ]*#-p:ContainerRepository=beacon-bare#")"
bare="DOTNET_CONTAINER_INSECURE_REGISTRIES=$registry DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 $publish"
log "bare: $bare"

# time_image FILE ROW [ARGS...]: times A like time_one, and stamps the lines that mark its phases (appended to $work/phases.ROW).
time_image() {
  local file="$1" row="$2" t0 t1
  shift 2
  t0="$(now_ns)"
  { $image "$@" 2>&1 || echo "exit $?"; } | while IFS= read -r line; do
    case "$line" in
      "▶ ImageBuild"*) echo "target $(now_ns)" ;;
      *"│ dotnet publish -t:PublishContainer for "*) echo "publish $(now_ns)" ;;
      *"│ The SDK built "*) echo "sdk $(now_ns)" ;;
      *"│ Pushed $registry/"*) echo "pushed $(now_ns)" ;;
      *"│ Reused $registry/"*) echo "pushed $(now_ns)"; echo "reused 1" ;;
      "exit "*) echo "$line" ;;
    esac
  done >"$work/marks"
  t1="$(now_ns)"
  if grep -q '^exit ' "$work/marks"; then echo "error: '$image $*' failed" >&2; exit 1; fi
  if [ "$row" = unchanged ] && ! grep -q '^reused ' "$work/marks"; then echo "error: '$image' built instead of reusing the index of the unchanged commit" >&2; exit 1; fi
  echo $(( (t1 - t0) / 1000000 )) >>"$file"
  awk -v t0="$t0" -v t1="$t1" '{ m[$1] = $2 } END {
    if (!("target" in m && "pushed" in m)) exit
    if (!("publish" in m)) { m["publish"] = m["pushed"]; m["sdk"] = m["pushed"] }
    printf "%d %d %d %d %d\n", (m["target"] - t0) / 1e6, (m["publish"] - m["target"]) / 1e6,
      (m["sdk"] - m["publish"]) / 1e6, (m["pushed"] - m["sdk"]) / 1e6, (t1 - m["pushed"]) / 1e6 }' "$work/marks" >>"$work/phases.$row"
}

program=src/Beacon/Program.cs
clean() { rm -rf src/Beacon/bin src/Beacon/obj; }
edit() { echo "// benchmark edit $(now_ns)" >>"$program"; }

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= cold; r++)); do
  log "cold $r/$cold (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  clean; time_image "$work/times.image.cold" cold --rebuild-image
  clean; time_one "$work/times.bare.cold" "$bare"
done

log "warm (changed source): 2 commands x $runs runs, interleaved (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
# One untimed run of each first: a cold sample leaves the project built by whichever command ran last.
edit; time_one "$work/times.discard" "$bare"
edit; time_image "$work/times.discard" discard
for ((r = 1; r <= runs; r++)); do
  edit; time_image "$work/times.image.warm" warm
  edit; time_one "$work/times.bare.warm" "$bare"
  printf '.' >&2
done
echo >&2

log "unchanged: 2 commands x $runs runs, interleaved (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
git checkout --quiet -- "$program"
# The clean build the reuse finds (the warm runs left an index from a dirty tree under the tag), then the bare one warm.
time_image "$work/times.discard" discard
time_one "$work/times.discard" "$bare"
for ((r = 1; r <= runs; r++)); do
  time_image "$work/times.image.unchanged" unchanged
  time_one "$work/times.bare.unchanged" "$bare"
  printf '.' >&2
done
echo >&2
for ((r = 1; r <= runs; r++)); do time_one "$work/times.noop" "./build.sh Noop"; done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

med() { stats "$1" | cut -d' ' -f1; }
cell() { local m min max n; read -r m min max n < <(stats "$1"); echo "$(sec "$m") ($(sec "$min")–$(sec "$max"), $n)"; }
# phase ROW K: median of column K of $work/phases.ROW
phase() { cut -d' ' -f"$2" "$work/phases.$1" >"$work/phase"; sec "$(med "$work/phase")"; }
mkdir -p "$(dirname "$out")"
{
  echo "| Row | \`./build.sh ImageBuild\` median (min–max, runs) | bare \`dotnet publish -t:PublishContainer\` | ImageBuild / bare | Goal |"
  echo "|---|---:|---:|---:|---:|"
  if [ "$cold" -gt 0 ]; then
    echo "| cold (bin/obj deleted; \`--rebuild-image\`) | $(cell "$work/times.image.cold") | $(cell "$work/times.bare.cold") | **$(ratio "$(med "$work/times.image.cold")" "$(med "$work/times.bare.cold")")** | |"
  fi
  echo "| warm (one source file changed) | $(cell "$work/times.image.warm") | $(cell "$work/times.bare.warm") | **$(ratio "$(med "$work/times.image.warm")" "$(med "$work/times.bare.warm")")** | at most 1.2 |"
  echo "| unchanged (the index reused) | $(cell "$work/times.image.unchanged") | $(cell "$work/times.bare.unchanged") | **$(ratio "$(med "$work/times.image.unchanged")" "$(med "$work/times.bare.unchanged")")** | at most 0.1 |"
  echo
  echo "\`./build.sh Noop\` (engine start-up): $(cell "$work/times.noop")."
  echo
  echo "Where ImageBuild's time goes (medians of each phase, from when its log lines arrive):"
  echo
  echo "| Phase | cold | warm | unchanged |"
  echo "|---|---:|---:|---:|"
  cols() { local row out=""; for row in cold warm unchanged; do if [ -s "$work/phases.$row" ]; then out="$out | $(phase "$row" "$1")"; else out="$out | –"; fi; done; echo "$out |"; }
  echo "| engine start-up, Version, PublishRegistry (until \`▶ ImageBuild\`)$(cols 1)"
  echo "| base selection, input hash (git, \`dotnet --version\`), registry lookup, labels file (until \`dotnet publish -t:PublishContainer for\`, or \`Reused\`)$(cols 2)"
  echo "| the SDK publish and its exit, until the \`The SDK built\` summary line$(cols 3)"
  echo "| ImageNormalizer (app layer repacked per platform from cached chunks, pushed once)$(cols 4)"
  echo "| summary, cleanup, exit$(cols 5)"
  echo
  echo "Bare command (from the clone's root, with a copy of the labels file ImageBuild wrote):"
  echo
  echo '```sh'
  echo "${bare//$work/<tmp>}"
  echo '```'
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at the start $load_start, at the end $load_end, commit $commit."
} | tee "$out"
