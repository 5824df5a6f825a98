#!/usr/bin/env bash
# ChartCoverage wall time versus rendering the same values cases without instrumentation.
#
# Usage: benchmarks/chart-coverage.sh [runs] [chart-dir]
#   runs       timed runs of each variant (default 7); one untimed warm-up of each comes first
#   chart-dir  the chart, relative to the repository root (default charts/beacon)
#   HELM       the helm binary for the bare loop (default: helm on PATH, else the newest in ~/.cache/slipway/tools/helm)
#
# Variants, interleaved run by run so drift (thermal, cache, other load) hits all of them alike:
#   coverage  ./build.sh ChartCoverage --chart-dir <chart>   (the whole build: engine start, helm resolution, 2+ renders per case)
#   bare      helm template over the same cases (defaults + ci/*.yaml), one process per case, output discarded
#   noop      ./build.sh Noop                                (the engine's own start-up cost, for reading the difference)
# Prints each variant's median in milliseconds and the ratio coverage / bare. Not wired into the build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-7}"
chart="${2:-charts/beacon}"
kube_version="1.31.0"
cd "$root"

helm="${HELM:-}"
if [ -z "$helm" ]; then
  helm="$(command -v helm || true)"
  [ -n "$helm" ] || helm="$(ls -1 "$HOME"/.cache/slipway/tools/helm/*/helm 2>/dev/null | sort -V | tail -n 1)"
fi
[ -x "$helm" ] || { echo "error: no helm binary; set HELM or run ./build.sh ChartRender once to provision it" >&2; exit 2; }

cases=("")
while IFS= read -r file; do cases+=("$file"); done < <(find "$chart/ci" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) 2>/dev/null | LC_ALL=C sort)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

coverage() { ./build.sh ChartCoverage --chart-dir "$chart" >/dev/null 2>&1; }
noop() { ./build.sh Noop >/dev/null 2>&1; }
bare() {
  local values
  for values in "${cases[@]}"; do
    if [ -z "$values" ]; then
      "$helm" template release "$chart" --kube-version "$kube_version" >/dev/null
    else
      "$helm" template release "$chart" --values "$values" --kube-version "$kube_version" >/dev/null
    fi
  done
}

time_ms() { local start; start="$(now_ms)"; "$@"; echo $(( $(now_ms) - start )); }

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "chart: $chart (${#cases[@]} cases), helm: $("$helm" version --short), runs: $runs (+1 warm-up)"
coverage; bare; noop

coverage_times=(); bare_times=(); noop_times=()
for ((run = 1; run <= runs; run++)); do
  coverage_times+=("$(time_ms coverage)")
  bare_times+=("$(time_ms bare)")
  noop_times+=("$(time_ms noop)")
  echo "run $run: coverage ${coverage_times[-1]} ms, bare ${bare_times[-1]} ms, noop ${noop_times[-1]} ms"
done

coverage_median="$(printf '%s\n' "${coverage_times[@]}" | median)"
bare_median="$(printf '%s\n' "${bare_times[@]}" | median)"
noop_median="$(printf '%s\n' "${noop_times[@]}" | median)"
echo "median: coverage ${coverage_median} ms, bare ${bare_median} ms, noop ${noop_median} ms"
awk -v c="$coverage_median" -v b="$bare_median" -v n="$noop_median" 'BEGIN {
  printf "ratio coverage / bare: %.2fx\n", c / b
  printf "ratio (coverage - noop) / bare: %.2fx (without the engine start-up)\n", (c - n) / b
}'
