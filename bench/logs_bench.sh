#!/usr/bin/env bash
# The logs collector on 200 MB of newly appended log lines, through `factorwatch eval` as cron runs it, against
# `grep -c -E` on the same file in the same run (median of RUNS), then the catastrophic pattern `(a+)+$` on a
# log of long lines of a's, bounded.
# Usage: bench/logs_bench.sh [RUNS] [MEGABYTES]   (build first: swift build -c release --product factorwatch;
# FACTORWATCH_BIN=path picks another build)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
MB="${2:-200}"
OUT="$(pwd)/bench/out/logs"
mkdir -p "$OUT"
BIN="$(realpath "${FACTORWATCH_BIN:-.build/release/factorwatch}")"
BIG="$OUT/big_$MB.log"
[ -f "$BIG" ] || python3 bench/make_log.py "$MB" "$BIG"
BYTES=$(stat -c %s "$BIG")

# setup PATTERN: a configuration whose only collector watches $OUT/app.log for PATTERN.
setup() {
    rm -rf "$OUT/run" && mkdir -p "$OUT/run/rules"
    cat >"$OUT/run/factorwatch.yaml" <<YAML
timezone: Asia/Shanghai
state: state.db
rules: [rules/logs.yaml]
collectors:
  logs:
    app: { path: app.log, patterns: { error: '$1' } }
routes:
  medium: { channels: [], repeat: 24h }
YAML
    cat >"$OUT/run/rules/logs.yaml" <<'YAML'
rules:
  - alert: LogErrors
    expr: log_matches{pattern="error"} > 0
    severity: medium
    summary: "{{ $value }} new error lines"
YAML
}

now_ns() { date +%s%N; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# scan SOURCE: one eval that reads SOURCE's bytes as newly appended (the position is set first by an eval of the
# empty log, timed too: the fixed cost of a run); prints "seconds matches idle_seconds".
scan() {
    : >"$OUT/run/app.log"
    local start end idle
    start=$(now_ns)
    (cd "$OUT/run" && "$BIN" eval --config "$OUT/run" --format json >/dev/null 2>&1 || true)
    end=$(now_ns)
    idle=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", (b - a) / 1e9}')
    cat "$1" >>"$OUT/run/app.log"
    start=$(now_ns)
    (cd "$OUT/run" && "$BIN" eval --config "$OUT/run" --format json >"$OUT/eval.json" 2>"$OUT/eval.err" || true)
    end=$(now_ns)
    awk -v a="$start" -v b="$end" -v m="$(matches)" -v i="$idle" 'BEGIN {printf "%.4f %s %s\n", (b - a) / 1e9, m, i}'
}

# The log_matches value in eval's JSON output.
matches() {
    python3 -c 'import json, sys
try:
    obs = json.load(open(sys.argv[1]))["observations"]
    print(next(int(o["value"]) for o in obs if o["metric"] == "log_matches"))
except Exception:
    print("?")' "$OUT/eval.json"
}

# compare LABEL PATTERN SOURCE: factorwatch and grep -c -E on SOURCE, RUNS times each, medians and ratio.
compare() {
    local label=$1 pattern=$2 source=$3 bytes
    bytes=$(stat -c %s "$source")
    setup "$pattern"
    local fw=() gr=() idles=() fw_matches="" gr_matches=""
    for _ in $(seq "$RUNS"); do
        read -r seconds fw_matches idle < <(scan "$source")
        fw+=("$seconds")
        idles+=("$idle")
        local start end
        start=$(now_ns)
        gr_matches=$(LC_ALL=C grep -c -E "$pattern" "$source" || true)
        end=$(now_ns)
        gr+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", (b - a) / 1e9}')")
    done
    local fw_s gr_s idle_s
    fw_s=$(printf '%s\n' "${fw[@]}" | median)
    idle_s=$(printf '%s\n' "${idles[@]}" | median)
    gr_s=$(printf '%s\n' "${gr[@]}" | median)
    echo "== $label: '$pattern' over $((bytes / 1000000)) MB of appended lines, median of $RUNS =="
    awk -v f="$fw_s" -v g="$gr_s" -v i="$idle_s" -v b="$bytes" -v fm="$fw_matches" -v gm="$gr_matches" 'BEGIN {
        printf "%-28s %9s %10s %10s\n", "tool", "wall s", "MB/s", "matches"
        printf "%-28s %9.3f %10.0f %10s\n", "factorwatch eval (logs)", f, b / 1e6 / f, fm
        printf "%-28s %9.3f %10.0f %10s\n", "grep -c -E (LC_ALL=C)", g, b / 1e6 / g, gm
        printf "%-28s %9.3f\n", "factorwatch eval, nothing new", i
        printf "factorwatch / grep wall-time ratio: %.2fx\n", f / g
    }'
    [ "$fw_matches" = "$gr_matches" ] || echo "WARNING: match counts differ ($fw_matches vs $gr_matches)"
}

compare "literal alternation" 'ERROR|Traceback' "$BIG"
compare "required literal + DFA" 'ERROR.*timeout after [0-9]+s' "$BIG"

# The catastrophic pattern on lines of 10,000 a's ended by b: a backtracking engine needs 2^10000 steps per line.
EVIL="$OUT/evil.log"
[ -f "$EVIL" ] || python3 -c 'import sys; line = "a" * 10000 + "b\n"; open(sys.argv[1], "w").write(line * 2000)' "$EVIL"
compare "catastrophic pattern, bounded" '(a+)+$' "$EVIL"
