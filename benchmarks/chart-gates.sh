#!/usr/bin/env bash
# The chart gates against the bare helm commands they run.
#
#   benchmarks/chart-gates.sh [--runs N] [--out FILE]
#
# Measures, interleaved (A, B, A, B, ...):
#   A  ./build.sh ChartLint ChartRender ManifestValidate ChartPolicy     warm build, charts/beacon, all cases
#   B  the bare helm commands those gates run, one after another: helm lint --strict and helm template
#      for the defaults and every ci/*.yaml case, and helm template for every ci/invalid/*.yaml case
# Goal: A within 1.5x of B. Prints a Markdown table and the ratio of medians, and writes it to
# artifacts/benchmarks/chart-gates.md (or --out FILE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=9
out="$root/artifacts/benchmarks/chart-gates.md"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --out) out="${2:?--out needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
{
  echo "set -e"
  for values in "" $chart/ci/*.yaml; do
    flag="${values:+--values $values}"
    echo "'$helm' lint $chart --strict $flag"
    echo "'$helm' template release $chart --kube-version 1.31.0 $flag > /dev/null"
  done
  for values in $chart/ci/invalid/*.yaml; do
    echo "! '$helm' template release $chart --kube-version 1.31.0 --values $values > /dev/null 2>&1"
  done
} >"$work/bare-helm.sh"
bare="bash $work/bare-helm.sh"

log "measuring 2 commands x $runs runs, interleaved (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for ((r = 1; r <= runs; r++)); do
  time_one "$work/times.gates" "$gates"
  time_one "$work/times.bare" "$bare"
  printf '.' >&2
done
echo >&2

read -r gm gmin gmax gn < <(stats "$work/times.gates")
read -r bm bmin bmax bn < <(stats "$work/times.bare")
mkdir -p "$(dirname "$out")"
{
  echo "| Command | Median | Min | Max | Runs |"
  echo "|---|---:|---:|---:|---:|"
  echo "| \`$gates\` | $(sec "$gm") | $(sec "$gmin") | $(sec "$gmax") | $gn |"
  echo "| bare helm: lint + template per case, template per invalid case | $(sec "$bm") | $(sec "$bmin") | $(sec "$bmax") | $bn |"
  echo
  echo "Gates / bare helm (medians): **$(ratio "$gm" "$bm")** (goal: at most 1.5). $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores."
} | tee "$out"
