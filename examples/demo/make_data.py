#!/usr/bin/env python3
"""Writes the demo's data tree: four daily factor files (pyarrow, as pandas writes them), a trading calendar in
Tushare trade_cal form and a risk-parameter file. The latest file is deliberately unhealthy so the demo fires:
it is two trading days old on 2026-11-24, has fewer than 4000 stocks, a factor with zero variance and a column
that is 25% missing. Run: python3 examples/demo/make_data.py"""
import datetime as dt
import json
import os

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
STYLE = ["size", "beta", "momentum", "residual_volatility", "non_linear_size", "book_to_price", "liquidity",
         "earnings_yield", "growth", "leverage"]
DAYS = ["20261116", "20261117", "20261118", "20261119"]


def codes(n, rng):
    numbers = rng.choice(np.arange(1, 700000), size=n, replace=False)
    suffix = np.where(numbers < 600000, ".SZ", ".SH")
    return [f"{x:06d}{s}" for x, s in zip(numbers, suffix)]


def main():
    out = os.path.join(HERE, "data", "barra_factors", "by_date")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261124)
    universe = codes(4200, rng)
    base = rng.standard_normal((len(universe), len(STYLE)))
    for index, day in enumerate(DAYS):
        latest = index == len(DAYS) - 1
        n = 3950 if latest else 4100
        drift = base[:n] * 0.97 + rng.standard_normal((n, len(STYLE))) * 0.2
        frame = pd.DataFrame(np.clip(drift, -3, 3), columns=STYLE)
        frame.insert(0, "ts_code", universe[:n])
        if latest:
            frame["growth"] = 0.0
            missing = rng.choice(n, size=n // 4, replace=False)
            frame.loc[missing, "leverage"] = np.nan
        frame.to_parquet(os.path.join(out, f"{day}.parquet"), index=False)

    calendar = os.path.join(HERE, "calendar")
    os.makedirs(calendar, exist_ok=True)
    closed = {dt.date(2026, 10, d) for d in range(1, 9)} | {dt.date(2027, 1, 1)}
    with open(os.path.join(calendar, "trade_cal.csv"), "w") as f:
        f.write("exchange,cal_date,is_open,pretrade_date\n")
        day, previous = dt.date(2026, 1, 1), ""
        while day <= dt.date(2027, 1, 31):
            is_open = day.weekday() < 5 and day not in closed
            f.write(f"SSE,{day:%Y%m%d},{1 if is_open else 0},{previous}\n")
            if is_open:
                previous = f"{day:%Y%m%d}"
            day += dt.timedelta(days=1)

    risk = os.path.join(HERE, "data", "barra_risk")
    os.makedirs(risk, exist_ok=True)
    cov = np.corrcoef(rng.standard_normal((len(STYLE), 250))) * 0.0004
    with open(os.path.join(risk, "risk_params_latest.json"), "w") as f:
        json.dump({"date": "2026-11-18", "factors": STYLE, "covariance": cov.round(10).tolist()}, f, indent=1)


if __name__ == "__main__":
    main()
