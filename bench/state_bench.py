#!/usr/bin/env python3
"""The state database at scale, whole process, median of RUNS, CPU time (user + system) of the child:
  - 10,000 firing series: one rule over the files collector's 10,000 globs, every alert firing and de-duplicated
    (the steady state of a cron job);  target <= 0.2 s CPU
  - 10,000 rules over a few series, none firing;  target <= 0.15 s CPU
  - an idle run of the demo (nothing new, nothing to send, five minutes after the last one, as cron runs it),
    without and with the `system` collector: bytes written to files other than stdout/stderr and fsync calls,
    counted by strace;  target <= 4 KB
each against a bare `factorwatch --version` in the same run.
Usage: python3 bench/state_bench.py [RUNS]  (build first: swift build -c release --product factorwatch)"""
import os
import re
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


def cpu(argv, runs):
    """Median CPU seconds and wall seconds of the child over `runs` runs."""
    cpus, walls = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(cpus), statistics.median(walls)


def config(scratch, name, collectors, rules):
    os.makedirs(os.path.join(scratch, "channels"), exist_ok=True)
    with open(os.path.join(scratch, "channels", "log.yaml"), "w") as f:
        f.write(f"type: log\npath: {scratch}/alerts.log\nformat: json\n")
    path = os.path.join(scratch, name + ".yaml")
    with open(path, "w") as f:
        f.write(f"timezone: Asia/Shanghai\nstate: {scratch}/{name}.db\nrules: [{rules}]\n"
                f"collectors:\n{collectors}\nroutes:\n")
        for severity in ["critical", "high", "medium", "low"]:
            f.write(f"  {severity}: {{ channels: [log], repeat: 24h }}\n")
    return path


def firing_series(scratch, count):
    # The files collector's file_size_bytes: one stable series per glob (a disk percentage would move with
    # every write to the file system, and a changed value is rightly stored again).
    target = os.path.join(scratch, "sized.txt")
    with open(target, "w") as f:
        f.write("x" * 1000)
    with open(os.path.join(scratch, "firing.rules.yaml"), "w") as f:
        f.write("rules:\n  - alert: FileSeen\n    expr: file_size_bytes >= 0\n    severity: low\n"
                "    summary: '{{ $labels.name }} is {{ $value }} bytes'\n")
    globs = "".join(f"    f{i:05d}: {{ glob: {target} }}\n" for i in range(count))
    return config(scratch, "firing", "  files:\n" + globs.rstrip("\n"), f"{scratch}/firing.rules.yaml")


def many_rules(scratch, count):
    with open(os.path.join(scratch, "many.rules.yaml"), "w") as f:
        f.write("rules:\n")
        for i in range(count):
            f.write(f"  - alert: Rule{i}\n    expr: disk_used_percent{{path=\"{scratch}\"}} > {101 + i}\n"
                    f"    severity: medium\n    summary: 'rule {i}: {{{{ $labels.path }}}} at {{{{ $value }}}}%'\n")
    return config(scratch, "rules", f"  disk: {{ paths: [{scratch}] }}", f"{scratch}/many.rules.yaml")


def demo(scratch, name="demo", extra=""):
    return config(scratch, name, f"""  factor_files: {{ dir: {DEMO}/data/barra_factors/by_date }}
  disk: {{ paths: [{DEMO}/data] }}{extra}
  files:
    risk_params: {{ glob: {DEMO}/data/barra_risk/risk_params_latest.json }}""", f"{ROOT}/rules/*.yaml")


def written_bytes(argv):
    """Bytes the process writes to descriptors other than 1 and 2, and its fsync calls, as strace sees them."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as trace:
        subprocess.run(["strace", "-f", "-qq", "-e", "trace=write,pwrite64,writev,pwritev,fsync,fdatasync",
                        "-o", trace.name] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        total, syncs = 0, 0
        for line in trace:
            call = re.search(r"(\w+)\((\d+)", line)
            result = re.search(r"= (\d+)\s*$", line)
            if not call:
                continue
            if call.group(1) in ("fsync", "fdatasync"):
                syncs += 1
            elif result and call.group(2) not in ("1", "2"):
                total += int(result.group(1))
        return total, syncs


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    if not os.access(BIN, os.X_OK):
        sys.exit(f"{BIN} not found: swift build -c release --product factorwatch")
    with tempfile.TemporaryDirectory() as scratch:
        version = cpu([BIN, "--version"], runs)
        rows = [("factorwatch --version", version, None)]
        for name, path, target in [("10,000 firing series", firing_series(scratch, 10_000), 0.2),
                                   ("10,000 rules", many_rules(scratch, 10_000), 0.15)]:
            argv = [BIN, "eval", "--config", path, "--now", NOW]
            subprocess.run(argv, stdout=subprocess.DEVNULL, check=False)  # the first run notifies; then de-dup
            rows.append((name, cpu(argv, runs), target))
        print(f"median of {runs} runs, whole process, CPU = user + system")
        print(f"{'case':<24} {'CPU s':>8} {'wall s':>8} {'target':>8} {'vs --version':>13}")
        for name, (seconds, wall), target in rows:
            goal = f"{target:.2f}" if target else ""
            print(f"{name:<24} {seconds:8.3f} {wall:8.3f} {goal:>8} {seconds / max(version[0], 1e-9):12.1f}x")
        for name, extra in [("demo", ""), ("demo_system", "\n  system: {}")]:
            path = demo(scratch, name, extra)
            for minute in range(45, 48):  # the first run notifies and the next teaches the checks; then idle
                subprocess.run([BIN, "eval", "--config", path, "--now", f"2026-11-24T02:{minute}:00+08:00"],
                               stdout=subprocess.DEVNULL, check=False)
            total, syncs = written_bytes([BIN, "eval", "--config", path, "--now", "2026-11-24T02:52:00+08:00"])
            print(f"idle {name} run: {total} bytes written outside stdout/stderr, {syncs} fsync calls "
                  f"(target <= 4096 bytes)")


if __name__ == "__main__":
    main()
