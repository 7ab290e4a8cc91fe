#!/usr/bin/env bash
# Whole-process wall time and peak RSS (median of RUNS) of `factorwatch observe` on two consecutive days of a
# ROWS x 50 factor file: the factor_quality collector with its plain statistics only (checks: false) against
# every check on (standardisation included). The budget: all checks within 2x of the plain statistics.
# Usage: bench/checks_bench.sh [RUNS] [ROWS]   (build first: swift build -c release --product factorwatch;
# FACTORWATCH_BIN=path picks another build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
ROWS="${2:-5000}"
OUT=bench/out/checks_$ROWS
BIN="${FACTORWATCH_BIN:-.build/release/factorwatch}"
mkdir -p "$OUT"
[ -f "$OUT/data/20261124.parquet" ] || python3 bench/make_check_files.py "$ROWS" "$OUT/data"

for mode in plain checks; do
    mkdir -p "$OUT/$mode/rules"
    if [ "$mode" = plain ]; then checks="false"; else checks="{ standardised: true }"; fi
    cat >"$OUT/$mode/factorwatch.yaml" <<YAML
timezone: Asia/Shanghai
state: state.db
collectors:
  factor_files: { dir: ../data, checks: $checks }
YAML
    echo "rules: []" >"$OUT/$mode/rules/none.yaml"
done

# measure NAME CMD...: prints "NAME wall_seconds peak_mib", medians over RUNS runs. Wall time is taken by
# Python's perf_counter (GNU time's 10 ms resolution is too coarse at 5,000 rows), peak RSS by GNU time.
measure() {
    local name=$1; shift
    local rss=()
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.txt" || { echo "$name failed:"; tail -5 "$OUT/time.txt"; return 1; }
        rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$OUT/time.txt")")
    done
    local wall mem
    wall=$(python3 -c '
import statistics, subprocess, sys, time
runs, command = int(sys.argv[1]), sys.argv[2:]
walls = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    walls.append(time.perf_counter() - start)
print(f"{statistics.median(walls):.4f}")' "$RUNS" "$@")
    mem=$(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$name $wall $mem"
}

echo "== factor_quality on $ROWS rows x 50 columns, two days, median of $RUNS runs =="
results="$OUT/results.txt"
: >"$results"
for mode in plain checks; do
    measure "$mode" "$BIN" observe --config "$OUT/$mode" --now 2026-11-24T20:00:00+08:00 | tee -a "$results"
done
awk '{ wall[$1] = $2; mem[$1] = $3 }
     END { printf "all checks / plain statistics: %.2fx wall, %.2fx peak RSS\n", wall["checks"] / wall["plain"],
           mem["checks"] / mem["plain"] }' "$results"
