#!/usr/bin/env python3
"""Writes a year or more of daily factor files for the history tests and benchmarks.

Usage: history_fixtures.py DIR COUNT ROWS [FACTORS]
Writes DIR/calendar/trade_cal.csv (Tushare trade_cal form, SSE, with the National Day week and the Spring
Festival closed) and COUNT files DIR/by_date/YYYYMMDD.parquet (pyarrow, as pandas writes them), one per trading
day ending on 2026-11-20, each ROWS stocks by FACTORS style factors (default 6). Figures drift slowly; a few
days are deliberately odd (a column 30% missing, a factor's dispersion doubled) so history rules have
something to find. Prints the first and last dates."""
import datetime as dt
import os
import sys

import numpy as np
import pandas as pd

STYLE = ["size", "beta", "momentum", "residual_volatility", "liquidity", "growth", "leverage", "earnings_yield",
         "book_to_price", "non_linear_size"]
CLOSED = ({dt.date(y, 10, d) for y in (2024, 2025, 2026) for d in range(1, 8)}
          | {dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)}
          | {dt.date(2026, 2, 16) + dt.timedelta(days=i) for i in range(8)}
          | {dt.date(2026, 10, 8), dt.date(2025, 10, 8)})
LAST = dt.date(2026, 11, 20)


def calendar(folder):
    os.makedirs(folder, exist_ok=True)
    days = []
    with open(os.path.join(folder, "trade_cal.csv"), "w") as f:
        f.write("exchange,cal_date,is_open,pretrade_date\n")
        day, previous = dt.date(2023, 1, 1), ""
        while day <= dt.date(2027, 12, 31):
            is_open = day.weekday() < 5 and day not in CLOSED
            f.write(f"SSE,{day:%Y%m%d},{1 if is_open else 0},{previous}\n")
            if is_open:
                previous = f"{day:%Y%m%d}"
                days.append(day)
            day += dt.timedelta(days=1)
    return [d for d in days if d <= LAST]


def main():
    folder, count, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    factors = STYLE[: int(sys.argv[4]) if len(sys.argv) > 4 else 6]
    days = calendar(os.path.join(folder, "calendar"))[-count:]
    out = os.path.join(folder, "by_date")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(16)
    numbers = rng.choice(np.arange(1, 700000), size=rows, replace=False)
    codes = [f"{x:06d}{'.SZ' if x < 600000 else '.SH'}" for x in numbers]
    exposures = rng.standard_normal((rows, len(factors)))
    for index, day in enumerate(days):
        exposures = exposures * 0.98 + rng.standard_normal(exposures.shape) * 0.2
        frame = pd.DataFrame(exposures.copy(), columns=factors)
        frame.insert(0, "ts_code", codes)
        gaps = rng.choice(rows, size=rows // 100, replace=False)
        frame.loc[gaps, factors[-1]] = np.nan
        if index % 41 == 40:
            frame.loc[rng.choice(rows, size=rows * 3 // 10, replace=False), factors[1]] = np.nan
        if index % 47 == 46:
            frame[factors[0]] = frame[factors[0]] * 2
        frame.to_parquet(os.path.join(out, f"{day:%Y%m%d}.parquet"), index=False)
    print(days[0].strftime("%Y%m%d"), days[-1].strftime("%Y%m%d"))


if __name__ == "__main__":
    main()
