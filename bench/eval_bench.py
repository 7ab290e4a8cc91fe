#!/usr/bin/env python3
"""Times `factorwatch eval` as cron runs it, whole process, median of N runs, with peak RSS, against its peers in the
same run:
  python3 bench/eval_bench.py [RUNS]
      the shipped demo: an unchanged tick (nothing new: the factor observations are reused) against a bare
      `factorwatch --version` (target <= 1.5x) and against the guide's pandas monitor on the same files
  python3 bench/eval_bench.py --rows ROWS [RUNS]
      two days of a ROWS x 50 factor file (bench/make_files.py), the latest one new at every tick (its
      modification time moved, so it is read): eval against `factorwatch inspect` of the latest file, the pandas
      monitor, and pyarrow, polars and duckdb computing the same per-column statistics (bench/peers.py)
(build first: swift build -c release --product factorwatch; FACTORWATCH_BIN=path picks another build)"""
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("FACTORWATCH_BIN", os.path.join(ROOT, ".build/release/factorwatch"))
DEMO = os.path.join(ROOT, "examples/demo")
NOW = "2026-11-24T02:45:00+08:00"


def measure(argv, runs, before=None):
    walls, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        # /usr/bin/time reports this child's own peak RSS (KiB).
        done = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        peaks.append(int(done.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(walls), statistics.median(peaks)


def write_config(scratch, collectors):
    os.makedirs(os.path.join(scratch, "channels"), exist_ok=True)
    with open(os.path.join(scratch, "channels", "log.yaml"), "w") as f:
        f.write(f"type: log\npath: {scratch}/alerts.log\nformat: json\n")
    config = os.path.join(scratch, "factorwatch.yaml")
    with open(config, "w") as f:
        f.write(f"""timezone: Asia/Shanghai
state: {scratch}/state.db
calendar: {DEMO}/calendar/trade_cal.csv
rules: [{ROOT}/rules/*.yaml]
collectors:
{collectors}
routes:
  critical: {{ channels: [log] }}
  high: {{ channels: [log] }}
  medium: {{ channels: [log] }}
  low: {{ channels: [log] }}
""")
    return config


def table(title, results, reference):
    print(title)
    print(f"{'tool':<34} {'wall ms':>9} {'peak MiB':>9} {'ratio':>8}")
    base = results[reference][0]
    for name, (wall, peak) in results.items():
        print(f"{name:<34} {wall * 1000:9.1f} {peak:9.1f} {wall / base:7.2f}x")
    print(f"(ratio: wall time over {reference}'s)")


def demo(runs):
    with tempfile.TemporaryDirectory() as scratch:
        config = write_config(scratch, f"""  factor_files: {{ dir: {DEMO}/data/barra_factors/by_date }}
  disk: {{ paths: [{DEMO}/data] }}
  files:
    risk_params: {{ glob: {DEMO}/data/barra_risk/risk_params_latest.json }}""")
        eval_argv = [BIN, "eval", "--config", config, "--now", NOW]
        # The first run notifies and reads the files, the second reads them with the checks' memory; from the
        # third on a tick finds nothing new.
        for _ in range(3):
            subprocess.run(eval_argv, stdout=subprocess.DEVNULL, check=False)
        results = {
            "factorwatch --version": measure([BIN, "--version"], runs),
            "factorwatch eval, unchanged tick": measure(eval_argv, runs),
            "pandas monitor": measure([sys.executable, os.path.join(ROOT, "bench/pandas_monitor.py"),
                                       os.path.join(DEMO, "data/barra_factors/by_date")], runs),
        }
        counts = {name: (cpu_seconds(argv, runs), instructions(argv))
                  for name, argv in [("factorwatch --version", [BIN, "--version"]),
                                     ("factorwatch eval, unchanged tick", eval_argv)]}
    files = len(os.listdir(os.path.join(DEMO, "data/barra_factors/by_date")))
    table(f"demo ({files} factor files), median of {runs} runs, whole process", results, "factorwatch --version")
    tick, pandas = results["factorwatch eval, unchanged tick"][0], results["pandas monitor"][0]
    print(f"unchanged tick: {pandas / tick:.1f}x faster than the pandas monitor")
    (version_cpu, version_ins), (tick_cpu, tick_ins) = counts.values()
    print(f"CPU (user + system, median): --version {version_cpu * 1000:.1f} ms, tick {tick_cpu * 1000:.1f} ms "
          f"= {tick_cpu / max(version_cpu, 1e-9):.2f}x (target <= 1.5x)")
    if version_ins and tick_ins:
        print(f"instructions (callgrind, one run): --version {version_ins / 1e6:.1f} M, tick {tick_ins / 1e6:.1f} M "
              f"= {tick_ins / version_ins:.2f}x")


def cpu_seconds(argv, runs):
    """Median user + system seconds of the child."""
    seconds = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seconds.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(seconds)


def instructions(argv):
    """Instructions of one run as callgrind counts them (None without valgrind)."""
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as out:
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg"] + argv,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = re.search(r"refs:\s+([\d,]+)", done.stderr)
    return int(found.group(1).replace(",", "")) if found else None


def large(rows, runs):
    # The previous day differs from the latest (noise, a few codes changed): the day-over-day checks do real work.
    directory = os.path.join(ROOT, f"bench/out/eval2_{rows}/by_date")
    os.makedirs(directory, exist_ok=True)
    for day, kind in (("20261123", ["previous"]), ("20261124", [])):
        path = os.path.join(directory, day + ".parquet")
        if not os.path.exists(path):
            subprocess.run([sys.executable, os.path.join(ROOT, "bench/make_files.py"), str(rows), path] + kind,
                           check=True)
    latest = os.path.join(directory, "20261124.parquet")
    clock = [time.time()]

    def new_file():
        # A new identity for the latest file at every tick, as the nightly build gives it.
        clock[0] += 1
        os.utime(latest, (clock[0], clock[0]))

    with tempfile.TemporaryDirectory() as scratch:
        config = write_config(scratch, f"  factor_files: {{ dir: {directory} }}")
        eval_argv = [BIN, "eval", "--config", config, "--now", "2026-11-24T20:00:00+08:00"]
        new_file()
        subprocess.run(eval_argv, stdout=subprocess.DEVNULL, check=False)
        peers = os.path.join(ROOT, "bench/peers.py")
        results = {"factorwatch eval, new file": measure(eval_argv, runs, before=new_file),
                   "factorwatch inspect": measure([BIN, "inspect", latest], runs),
                   "pandas monitor": measure([sys.executable, os.path.join(ROOT, "bench/pandas_monitor.py"),
                                              directory], runs)}
        for tool in ("pyarrow", "polars", "duckdb"):
            results[tool] = measure([sys.executable, peers, tool, latest], runs)
    table(f"{rows:,} x 50, two days, median of {runs} runs, whole process", results, "factorwatch eval, new file")
    wall = results["factorwatch eval, new file"][0]
    print(f"eval: {results['pandas monitor'][0] / wall:.2f}x faster than the pandas monitor, "
          f"{wall / results['factorwatch inspect'][0]:.2f}x inspect's time")


def main():
    if not os.access(BIN, os.X_OK):
        sys.exit(f"{BIN} not found: swift build -c release --product factorwatch")
    args = sys.argv[1:]
    if args[:1] == ["--rows"]:
        large(int(args[1]), int(args[2]) if len(args) > 2 else 5)
    else:
        demo(int(args[0]) if args else 9)


if __name__ == "__main__":
    main()
