#!/usr/bin/env bash
# Builds the build project when its inputs changed, then execs it: signals reach the build itself, not this shell.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$root/build/_build.csproj"
bin="$root/.nuke/temp/bin"
stamp="$bin/.built"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK is not on PATH; install the SDK named in global.json (10.0.x) and run again." >&2
  exit 2
fi

inputs_changed() {
  [ -x "$bin/_build" ] && [ -f "$stamp" ] || return 0
  local inputs=() path newer
  for path in build src/Slipway src/Slipway.Release Directory.Build.props Directory.Packages.props global.json; do
    [ -e "$root/$path" ] && inputs+=("$root/$path")
  done
  newer="$(find "${inputs[@]}" \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)"
  [ -n "$newer" ]
}

if inputs_changed; then
  mkdir -p "$bin"
  # The stamp is taken before compiling, so an edit made during the build still counts as newer next time.
  touch "$stamp.next"
  echo "Compiling the build project..." >&2
  # Quiet unless it fails: MSBuild prints a summary even at -v quiet, so its output is kept and shown only then.
  compile_log="$root/.nuke/temp/compile.log"
  if ! dotnet build "$project" -c Release -o "$bin" --nologo -v quiet -clp:NoSummary -clp:ErrorsOnly >"$compile_log" 2>&1; then
    cat "$compile_log" >&2
    rm -f "$stamp.next"
    echo "error: the build project does not compile (see above; also in .nuke/temp/compile.log)." >&2
    exit 2
  fi
  mv "$stamp.next" "$stamp"
fi

exec "$bin/_build" "$@"
