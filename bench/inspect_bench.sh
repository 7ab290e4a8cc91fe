#!/usr/bin/env bash
# Whole-process wall time and peak RSS (median of 5) of per-column statistics on 5,000 x 50 and
# 1,000,000 x 50 factor files: pandas, pyarrow, duckdb, polars, and `factorwatch inspect`.
# Usage: bench/inspect_bench.sh [RUNS]   (build first: swift build -c release --product factorwatch;
# FACTORWATCH_BIN=path picks another build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
OUT=bench/out
mkdir -p "$OUT"
BIN="${FACTORWATCH_BIN:-.build/release/factorwatch}"

for rows in 5000 1000000; do
    [ -f "$OUT/factors_$rows.parquet" ] || python3 bench/make_files.py "$rows" "$OUT/factors_$rows.parquet"
done

# measure NAME CMD...: prints "NAME wall_seconds peak_mib" using medians over RUNS runs.
measure() {
    local name=$1; shift
    local walls=() rss=()
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s%N)
        /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.txt" || { echo "$name failed:"; tail -5 "$OUT/time.txt"; return 1; }
        end=$(date +%s%N)
        # Wall time from the clock in nanoseconds: /usr/bin/time's own figure has 10 ms steps.
        walls+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", (b - a) / 1e9}')")
        rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2/1024}' "$OUT/time.txt")")
    done
    local wall mem
    wall=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    mem=$(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$name $wall $mem"
}

has_inspect() {
    [ -x "$BIN" ] && "$BIN" inspect --help >/dev/null 2>&1
}

for rows in ${SIZES:-5000 1000000}; do
    file="$OUT/factors_$rows.parquet"
    echo "== $rows rows x 50 factors ($(du -h "$file" | cut -f1)), median of $RUNS runs =="
    results="$OUT/results_$rows.txt"
    : >"$results"
    for tool in pandas pyarrow duckdb polars; do
        measure "$tool" python3 bench/peers.py "$tool" "$file" | tee -a "$results"
    done
    if has_inspect; then
        measure factorwatch "$BIN" inspect "$file" --format json | tee -a "$results"
    else
        echo "factorwatch: skipped ($BIN has no 'inspect' command yet; build it with swift build -c release)"
    fi
    awk '
        { wall[$1] = $2; mem[$1] = $3; order[NR] = $1 }
        END {
            printf "%-12s %9s %10s %12s %12s\n", "tool", "wall s", "peak MiB", "vs pandas", "vs pyarrow"
            for (i = 1; i <= NR; i++) {
                t = order[i]
                printf "%-12s %9.3f %10.1f %11.2fx %11.2fx\n", t, wall[t], mem[t], wall["pandas"] / wall[t], wall["pyarrow"] / wall[t]
            }
        }' "$results"
done
