#!/usr/bin/env bash
# Startup overhead of the Slipway engine, side by side with an equivalent trivial Cake build.
#
#   benchmarks/startup.sh [--runs N] [--knobs] [--no-cold] [--out FILE]
#
# Measures, interleaved (A, B, C, A, B, C, ... so machine noise hits every command alike):
#   A  ./build.sh --help                  warm: the build project is already compiled
#   B  ./build.sh Noop                    warm: plan, log file, run one empty target, summary
#   C  dotnet-cake build.cake --target=Default
#                                         cake.tool 7.0.0, one empty Task; Cake compiles the script
#                                         with Roslyn on every run, which is its real cost: kept
# then one cold sample: ./build.sh --help right after touching build/Build.cs (recompile).
# --knobs adds the build executable run directly (no build.sh) and Noop under DOTNET_* runtime settings,
# to see what dominates.
# Prints a Markdown table (median, min, max, runs) and the ratios of medians, and writes it to
# artifacts/benchmarks/startup.md (or --out FILE).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=15
knobs=0
cold=1
out="$root/artifacts/benchmarks/startup.md"

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) [ $# -ge 2 ] || { echo "error: --runs needs a number" >&2; exit 2; }; runs="$2"; shift 2 ;;
    --runs=*) runs="${1#--runs=}"; shift ;;
    --knobs) knobs=1; shift ;;
    --no-cold) cold=0; shift ;;
    --out) [ $# -ge 2 ] || { echo "error: --out needs a file" >&2; exit 2; }; out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "error: --runs must be a positive integer, got '$runs'" >&2; exit 2 ;; esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cache="${XDG_CACHE_HOME:-$HOME/.cache}/slipway/bench"
cake_version=7.0.0
cake_dir="$cache/cake-$cake_version"
cake="$cake_dir/dotnet-cake"

work="$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

cd "$root"
log() { echo "bench: $*" >&2; }
# shellcheck source=benchmarks/lib.sh
. "$root/benchmarks/lib.sh"

# 1. Warm state: ./build.sh compiles the build project when its inputs changed; do that now, untimed.
log "warming ./build.sh (compiles the build project if needed)"
./build.sh --help >/dev/null

# 2. Cake: the tool in a cache dir, a trivial script in a temp dir, one untimed warm-up run.
if [ ! -x "$cake" ]; then
  log "installing cake.tool $cake_version into $cake_dir"
  dotnet tool install --tool-path "$cake_dir" cake.tool --version "$cake_version" >/dev/null
fi
mkdir -p "$work/cake"
cat >"$work/cake/build.cake" <<'EOF'
var target = Argument("target", "Default");
Task("Default").Does(() => { });
RunTarget(target);
EOF
log "warming Cake"
(cd "$work/cake" && "$cake" build.cake --target=Default >/dev/null)

# 3. The commands, measured interleaved. Each is a name and a shell command run from the repo root.
names=("Slipway: ./build.sh --help" "Slipway: ./build.sh Noop" "Cake: trivial build (--target=Default)")
cmds=("./build.sh --help" "./build.sh Noop" "cd '$work/cake' && '$cake' build.cake --target=Default")
if [ "$knobs" = 1 ]; then
  # The engine's JIT shows in Noop (--help is mostly the runtime's own start), so the knobs vary Noop.
  names+=("_build --help (no build.sh)" "_build Noop (no build.sh)" "Noop, DOTNET_TieredPGO=0"
          "Noop, DOTNET_TieredCompilation=0" "Noop, DOTNET_TC_QuickJitForLoops=0" "Noop, DOTNET_ReadyToRun=0")
  b="'$root/.nuke/temp/bin/_build'"
  cmds+=("$b --help" "$b Noop" "DOTNET_TieredPGO=0 $b Noop" "DOTNET_TieredCompilation=0 $b Noop"
         "DOTNET_TC_QuickJitForLoops=0 $b Noop" "DOTNET_ReadyToRun=0 $b Noop")
fi

log "measuring ${#cmds[@]} commands x $runs runs, interleaved (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= runs; r++)); do
  for i in "${!cmds[@]}"; do time_one "$work/times.$i" "${cmds[$i]}"; done
  printf '.' >&2
done
echo >&2
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# Cold: the first ./build.sh after an edit to the build project (recompiles it). The mtime is restored
# afterwards; the content never changes, so the compiled build stays correct.
if [ "$cold" = 1 ]; then
  log "cold sample: touch build/Build.cs, then ./build.sh --help"
  mtime="$(stat -c %Y build/Build.cs)"
  touch build/Build.cs
  time_one "$work/cold" "./build.sh --help"
  touch -d "@$mtime" build/Build.cs
fi


declare -a med
{
  echo "# Slipway startup benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sm), .NET SDK $(dotnet --version)," \
       "cake.tool $cake_version, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')."
  echo "Wall time per process, $runs runs each, interleaved; load average $load_before before, $load_after after."
  echo
  echo "| Command | Median | Min | Max | Runs |"
  echo "|---|---:|---:|---:|---:|"
  for i in "${!cmds[@]}"; do
    read -r m lo hi n < <(stats "$work/times.$i")
    med[$i]=$m
    echo "| \`${names[$i]}\` | $(sec "$m") | $(sec "$lo") | $(sec "$hi") | $n |"
  done
  if [ "$cold" = 1 ]; then
    read -r m _ _ _ < <(stats "$work/cold")
    echo
    echo "Cold/recompile (\`touch build/Build.cs\`, then \`./build.sh --help\`; one sample): $(sec "$m")"
  fi
  echo
  echo "Ratios of medians:"
  echo
  help_ratio="$(ratio "${med[0]}" "${med[2]}")"
  echo "- Slipway \`--help\` / Cake trivial build: **$help_ratio**" \
       "(goal: at most 0.25: $(awk -v r="$help_ratio" 'BEGIN { print (r <= 0.25) ? "met" : "NOT met" }'))"
  echo "- Slipway \`Noop\` / Cake trivial build: **$(ratio "${med[1]}" "${med[2]}")**"
  if [ "$knobs" = 1 ]; then
    echo "- \`_build --help\` (no build.sh) / \`./build.sh --help\`: $(ratio "${med[3]}" "${med[0]}")"
    for ((i = 5; i < ${#cmds[@]}; i++)); do
      echo "- \`${names[$i]}\` / \`_build Noop\`: $(ratio "${med[$i]}" "${med[4]}")"
    done
  fi
} >"$work/report.md"

mkdir -p "$(dirname "$out")"
cp "$work/report.md" "$out"
cat "$work/report.md"
log "written to $out"
