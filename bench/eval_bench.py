#!/usr/bin/env python3
"""Times `factorwatch eval` on the shipped demo against the guide's pandas monitor on the same files, in one run:
whole process, median of N runs, and peak RSS. factorwatch runs as cron would (state database present, nothing new
to notify). Usage: python3 bench/eval_bench.py [RUNS]  (build first: swift build -c release --product factorwatch)"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("FACTORWATCH_BIN", os.path.join(ROOT, ".build/release/factorwatch"))
DEMO = os.path.join(ROOT, "examples/demo")
NOW = "2026-11-24T02:45:00+08:00"


def measure(argv, runs):
    walls, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        # /usr/bin/time reports this child's own peak RSS (KiB).
        done = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(walls), statistics.median(peaks)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    if not os.access(BIN, os.X_OK):
        sys.exit(f"{BIN} not found: swift build -c release --product factorwatch")
    with tempfile.TemporaryDirectory() as scratch:
        os.makedirs(os.path.join(scratch, "channels"))
        with open(os.path.join(scratch, "channels", "log.yaml"), "w") as f:
            f.write(f"type: log\npath: {scratch}/alerts.log\nformat: json\n")
        config = os.path.join(scratch, "factorwatch.yaml")
        with open(config, "w") as f:
            f.write(f"""timezone: Asia/Shanghai
state: {scratch}/state.db
calendar: {DEMO}/calendar/trade_cal.csv
rules: [{ROOT}/rules/*.yaml]
collectors:
  factor_files: {{ dir: {DEMO}/data/barra_factors/by_date }}
  disk: {{ paths: [{DEMO}/data] }}
  files:
    risk_params: {{ glob: {DEMO}/data/barra_risk/risk_params_latest.json }}
routes:
  critical: {{ channels: [log] }}
  high: {{ channels: [log] }}
  medium: {{ channels: [log] }}
  low: {{ channels: [log] }}
""")
        eval_argv = [BIN, "eval", "--config", config, "--now", NOW]
        subprocess.run(eval_argv, stdout=subprocess.DEVNULL, check=False)  # first run notifies; later runs de-dup
        results = {
            "factorwatch eval": measure(eval_argv, runs),
            "pandas monitor": measure([sys.executable, os.path.join(ROOT, "bench/pandas_monitor.py"),
                                       os.path.join(DEMO, "data/barra_factors/by_date")], runs),
        }
    pandas_wall = results["pandas monitor"][0]
    print(f"demo ({len(os.listdir(os.path.join(DEMO, 'data/barra_factors/by_date')))} factor files), "
          f"median of {runs} runs, whole process")
    print(f"{'tool':<18} {'wall ms':>9} {'peak MiB':>9} {'vs pandas':>10}")
    for name, (wall, peak) in results.items():
        print(f"{name:<18} {wall * 1000:9.1f} {peak:9.1f} {pandas_wall / wall:9.1f}x")


if __name__ == "__main__":
    main()
