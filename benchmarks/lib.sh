# Shared by the benchmark scripts: wall-time measurement of whole commands, and median statistics.
# The caller sets $work (a scratch dir) before using time_one.

now_ns() { date +%s%N; }

# time_one FILE CMD: runs CMD with output discarded, appends its wall time in ms to FILE; fails on a non-zero exit.
time_one() {
  local t0 t1 rc=0
  t0="$(now_ns)"
  bash -c "$2" >/dev/null 2>"$work/stderr" || rc=$?
  t1="$(now_ns)"
  if [ "$rc" != 0 ]; then
    echo "error: '$2' exited with $rc:" >&2; cat "$work/stderr" >&2; exit 1
  fi
  echo $(( (t1 - t0) / 1000000 )) >>"$1"
}

# stats FILE -> "median min max n" in ms (median of an even count: mean of the two middle values).
stats() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%d %d %d %d\n", m, v[1], v[NR], NR }'
}
sec() { awk -v ms="$1" 'BEGIN { printf "%.2f s", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
