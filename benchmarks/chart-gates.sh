#!/usr/bin/env bash
# The chart gates against the bare helm commands they run.
#
#   benchmarks/chart-gates.sh [--runs N] [--out FILE]
#
# Measures, interleaved (A, B, C, D, E, A, B, ...), all on charts/beacon with every case:
#   A  ./build.sh ChartLint ChartRender ManifestValidate ChartPolicy      warm build, the default --max-parallel (the core count)
#   B  the bare helm commands those gates run, one after another: helm lint --strict and helm template for the
#      defaults and every ci/*.yaml case, and helm template for every ci/invalid/*.yaml case (expected to fail)
#   C  A with --max-parallel 1: one helm process at a time, as in B, so C - B is what the engine adds
#   D  B's commands, --max-parallel (the core count) at a time (xargs -P), as A runs them
#   E  ./build.sh Noop: the engine's start-up, plan, summary and exit with no helm at all
# Both sides use the helm the gates resolved, with their own HELM_*_HOME folders. Goal: A within 1.1x of B.
# Prints a Markdown table, the ratios of medians and the load average, and writes it to
# artifacts/benchmarks/chart-gates.md (or --out FILE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=9
out="$root/artifacts/benchmarks/chart-gates.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "error: --runs must be a positive integer, got '$runs'" >&2; exit 2 ;; esac

work="$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$root"
log() { echo "bench: $*" >&2; }
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"

gates="./build.sh ChartLint ChartRender ManifestValidate ChartPolicy"
log "warming: $gates (compiles the build, provisions helm)"
helm="$($gates 2>&1 | sed -n 's/.*│ helm v[^ ]* from .* (\(.*\))$/\1/p' | head -n 1)"
[ -x "$helm" ] || { echo "error: could not tell which helm the gates used" >&2; exit 1; }

chart=charts/beacon
jobs="$(nproc)"
for values in "" $chart/ci/*.yaml; do
  flag="${values:+--values $values}"
  echo "'$helm' lint $chart --strict $flag > /dev/null"
  echo "'$helm' template release $chart --kube-version 1.31.0 $flag > /dev/null"
done >"$work/bare-commands"
for values in $chart/ci/invalid/*.yaml; do
  echo "! '$helm' template release $chart --kube-version 1.31.0 --values $values > /dev/null 2>&1"
done >>"$work/bare-commands"
{ echo "set -e"; cat "$work/bare-commands"; } >"$work/bare-helm.sh"
bare="bash $work/bare-helm.sh"
bare_parallel="xargs -d '\\n' -P $jobs -I{} bash -c {} < $work/bare-commands"
sequential="$gates --max-parallel 1"
export HELM_CONFIG_HOME="$work/helm/config" HELM_CACHE_HOME="$work/helm/cache" HELM_DATA_HOME="$work/helm/data"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "measuring 5 commands x $runs runs, interleaved (load average: $load_before)"
for ((r = 1; r <= runs; r++)); do
  time_one "$work/times.gates" "$gates"
  time_one "$work/times.bare" "$bare"
  time_one "$work/times.sequential" "$sequential"
  time_one "$work/times.parallel" "$bare_parallel"
  time_one "$work/times.noop" "./build.sh Noop"
  printf '.' >&2
done
echo >&2
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

row() { read -r m min max n < <(stats "$2"); echo "| $1 | $(sec "$m") | $(sec "$min") | $(sec "$max") | $n |"; }
median() { stats "$1" | cut -d' ' -f1; }
mkdir -p "$(dirname "$out")"
{
  echo "| Command | Median | Min | Max | Runs |"
  echo "|---|---:|---:|---:|---:|"
  row "A \`$gates\`" "$work/times.gates"
  row "B bare helm, one at a time: lint + template per case, template per invalid case" "$work/times.bare"
  row "C \`$sequential\`" "$work/times.sequential"
  row "D bare helm, the same commands $jobs at a time" "$work/times.parallel"
  row "E \`./build.sh Noop\` (engine start-up and exit)" "$work/times.noop"
  echo
  echo "Gates / bare helm (A / B, medians): **$(ratio "$(median "$work/times.gates")" "$(median "$work/times.bare")")** (goal: at most 1.1)." \
    "One helm at a time on both sides (C / B): $(ratio "$(median "$work/times.sequential")" "$(median "$work/times.bare")");" \
    "both $jobs at a time (A / D): $(ratio "$(median "$work/times.gates")" "$(median "$work/times.parallel")")."
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores, $("$helm" version --short 2>/dev/null | head -n 1)," \
    "load average $load_before before and $load_after after."
} | tee "$out"
