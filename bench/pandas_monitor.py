#!/usr/bin/env python3
"""The guide's pandas monitor, as the team runs it today: the latest factor file's age, per-factor variance and
missing fraction, stock coverage and disk usage, with hard-coded thresholds. Used as the peer in eval_bench."""
import datetime as dt
import os
import shutil
import sys

import pandas as pd


def main(data_dir):
    files = sorted(f for f in os.listdir(data_dir) if f.endswith(".parquet"))
    alerts = []
    if not files:
        alerts.append(("critical", "no factor data"))
    else:
        latest = files[-1]
        age = (dt.date(2026, 11, 24) - dt.datetime.strptime(latest[:8], "%Y%m%d").date()).days
        if age >= 2:
            alerts.append(("critical", f"no factor data for {age} days"))
        df = pd.read_parquet(os.path.join(data_dir, latest))
        numeric = df.select_dtypes("number")
        for column, variance in numeric.var().items():
            if variance < 0.001:
                alerts.append(("high", f"factor {column} variance {variance:.3g}"))
        if len(df) < 4000:
            alerts.append(("medium", f"only {len(df)} stocks"))
        for column, fraction in df.isnull().mean().items():
            if fraction > 0.2:
                alerts.append(("medium", f"{column} {fraction:.1%} missing"))
    usage = shutil.disk_usage(data_dir)
    if usage.used / usage.total > 0.9:
        alerts.append(("critical", "disk usage above 90%"))
    for severity, text in alerts:
        print(f"[{severity}] {text}")


if __name__ == "__main__":
    main(sys.argv[1])
