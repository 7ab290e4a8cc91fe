#!/usr/bin/env python3
"""The daily history's costs, with peers in the same run:
  python3 bench/history_bench.py [FILES] [ROWS] [FACTORS]     (defaults 250 5000 10)
1. `factorwatch history backfill` over FILES daily factor files of ROWS stocks x FACTORS factors (written by
   scripts/history_fixtures.py, pyarrow), whole process: files/s and peak RSS; against pandas and pyarrow
   backfilling the same files into SQLite (per column: count, missing fraction, mean, std, min, max, and the
   day-over-day correlation joined on the stock code), each in one process.
2. `factorwatch report` on that history: wall time for 60 and 250 trading days, page size.
3. The state database's size per year of trading days (243 a year on the SSE).
(build first: swift build -c release --product factorwatch; FACTORWATCH_BIN=path picks another build)"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("FACTORWATCH_BIN", os.path.join(ROOT, ".build/release/factorwatch"))

PEER = r'''
import glob, sqlite3, sys
import numpy as np
kind, folder, db = sys.argv[1:4]
con = sqlite3.connect(db)
con.execute("CREATE TABLE figures (date TEXT, column TEXT, metric TEXT, value REAL)")
previous = None
for path in sorted(glob.glob(folder + "/*.parquet")):
    date = path[-16:-8]
    rows = []
    if kind == "pandas":
        import pandas as pd
        frame = pd.read_parquet(path)
        codes = frame["ts_code"]
        for name in frame.columns[1:]:
            s = frame[name]
            rows += [(date, name, "missing", float(s.isnull().mean())), (date, name, "mean", float(s.mean())),
                     (date, name, "std", float(s.std())), (date, name, "min", float(s.min())),
                     (date, name, "max", float(s.max()))]
        if previous is not None:
            joined = frame.merge(previous, on="ts_code", suffixes=("", "_prev"))
            for name in frame.columns[1:]:
                rows.append((date, name, "corr", float(joined[name].corr(joined[name + "_prev"]))))
        previous = frame
    else:
        import pyarrow.compute as pc, pyarrow.parquet as pq
        table = pq.read_table(path)
        for name in table.column_names[1:]:
            c = table[name]
            minmax = pc.min_max(c)
            rows += [(date, name, "missing", c.null_count / len(c)), (date, name, "mean", pc.mean(c).as_py()),
                     (date, name, "std", pc.stddev(c, ddof=1).as_py()), (date, name, "min", minmax["min"].as_py()),
                     (date, name, "max", minmax["max"].as_py())]
        if previous is not None:
            order = pc.index_in(table["ts_code"], previous["ts_code"])
            for name in table.column_names[1:]:
                now = table[name].to_numpy(zero_copy_only=False)
                before = pc.take(previous[name], order).to_numpy(zero_copy_only=False)
                ok = ~(np.isnan(now) | np.isnan(before))
                rows.append((date, name, "corr", float(np.corrcoef(now[ok], before[ok])[0, 1])))
        previous = table
    con.executemany("INSERT INTO figures VALUES (?,?,?,?)", rows)
    con.commit()
'''


def timed(argv):
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M %U %S"] + argv, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{argv[0]} failed: {done.stderr}")
    peak, user, system = done.stderr.strip().splitlines()[-1].split()
    return wall, int(peak) / 1024, float(user) + float(system)


def config(scratch):
    os.makedirs(f"{scratch}/channels", exist_ok=True)
    with open(f"{scratch}/channels/log.yaml", "w") as f:
        f.write(f"type: log\npath: {scratch}/alerts.log\n")
    with open(f"{scratch}/factorwatch.yaml", "w") as f:
        f.write(f"""timezone: Asia/Shanghai
state: {scratch}/state/fw.db
calendar: {scratch}/calendar/trade_cal.csv
host: bench-host
rules: [{ROOT}/rules/*.yaml]
collectors:
  factor_files: {{ dir: {scratch}/by_date }}
routes:
  medium: {{ channels: [log], repeat: 24h }}
""")


def main():
    files, rows, factors = (int(a) for a in (sys.argv[1:] + ["250", "5000", "10"][len(sys.argv) - 1:])[:3])
    scratch = tempfile.mkdtemp(prefix="fw-history-bench-")
    try:
        subprocess.run([sys.executable, f"{ROOT}/scripts/history_fixtures.py", scratch, str(files), str(rows),
                        str(factors)], check=True, stdout=subprocess.DEVNULL)
        config(scratch)
        print(f"backfill of {files} files x {rows} rows x {factors} factors (whole process, one run each)")
        results = {}
        results["factorwatch history backfill"] = timed([BIN, "history", "backfill", "--config", scratch, "--now",
                                                         "2026-11-21T02:45:00+08:00"])
        for kind in ("pandas", "pyarrow"):
            db = f"{scratch}/{kind}.db"
            results[f"{kind} (read, summarise, SQLite)"] = timed([sys.executable, "-c", PEER, kind,
                                                                f"{scratch}/by_date", db])
        base = results["factorwatch history backfill"]
        for name, (wall, peak, cpu) in results.items():
            print(f"  {name:34} {wall:6.1f} s wall ({files / wall:5.1f} files/s, {wall / base[0]:4.1f}x), "
                  f"{cpu:5.1f} s CPU ({files / cpu:5.1f} files/s, {cpu / base[2]:4.1f}x), peak {peak:6.1f} MiB "
                  f"({peak / base[1]:4.1f}x)")

        for days in (60, 250):
            walls = [timed([BIN, "report", "--config", scratch, "--out", f"{scratch}/r.html", "--days", str(days),
                            "--now", "2026-11-21T09:00:00+08:00"])[0] for _ in range(5)]
            size = os.path.getsize(f"{scratch}/r.html") / 1024
            print(f"report, {days} trading days x {factors} factors: median {statistics.median(walls) * 1000:.0f} ms "
                  f"of 5, page {size:.0f} KiB")

        db = f"{scratch}/state/fw.db"
        subprocess.run(["sqlite3", db, "VACUUM"], check=True)
        size = os.path.getsize(db)
        per_year = size / files * 243
        print(f"state database after {files} days: {size / 1024:.0f} KiB; {per_year / 1024 / 1024:.2f} MiB per year "
              f"of 243 trading days ({per_year / factors / 1024:.0f} KiB per factor per year)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
