#!/usr/bin/env python3
"""Nightly factor files in the layouts of the Leana Barra pipeline, and what pandas says is wrong with them.

    leana_fixtures.py DIR [--layout step2|step6] [--stocks N] [--first YYYYMMDD] [--days N]
    leana_fixtures.py --specific-risks FILE    the rule test's specific_risks.parquet (100 stocks, 92 clipped)

Writes DIR/by_date/YYYYMMDD.parquet for N consecutive weekdays (default 8, from 20251117: no exchange holiday in
between) and DIR/trade_cal.csv (Tushare's trade_cal columns, SSE, weekdays open, through 20260331), then prints
as JSON the standing problems of the last file computed with pandas and numpy: constant factors, empty
industry dummies, |corr(size, non_linear_size)| and the variance inflation factors.

The layouts, written here from their description (not from the pipeline's code):
- step2 (the full history transposed by date): ts_code first, then the ten style factors, then the industry
  dummies;
- step6 (the incremental nightly update): an integer trade_date (YYYYMMDD) first, then the same factor and
  dummy columns, and no stock-code column.
The style factors are raw, as that pipeline writes them (not standardised), under its names: size is the log
market cap, non_linear_size its cube (not orthogonalised, so collinear with size), volatility a daily
volatility around 0.025; growth and leverage are constant (their inputs are missing upstream). There are 30
industry dummies of which only 4 have members, so 26 are all zero. Exposures move little from day to day.
"""
import argparse
import datetime
import json
import os

import numpy as np
import pandas as pd

STYLE = ["size", "beta", "momentum", "volatility", "non_linear_size", "book_to_price", "liquidity",
         "earnings_yield", "growth", "leverage"]
INDUSTRIES = ["ind_" + name for name in (
    "oil", "coal", "metals", "power", "steel", "chem", "cement", "build", "freight", "autos", "machines", "arms",
    "grid", "chips", "software", "telecom", "appliances", "paper", "clothing", "drinks", "farming", "banks",
    "brokers", "property", "retail", "hotels", "media", "drugs", "water", "mixed")]
POPULATED = ["ind_chips", "ind_banks", "ind_drugs", "ind_machines"]
# Stocks per exchange and board: (suffix, first code, count).
BOARDS = [("SH", 600000, 1500), ("SH", 688000, 500), ("SZ", 1, 1300), ("SZ", 300000, 1050), ("BJ", 830000, 232)]


def codes(total):
    result = []
    for suffix, start, count in BOARDS:
        result += ["%06d.%s" % (start + i, suffix) for i in range(count)]
    assert total <= len(result), "at most %d stocks" % len(result)
    return result[:total]


def weekdays(first, count):
    day = datetime.datetime.strptime(first, "%Y%m%d").date()
    days = []
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def base_factors(rng, n):
    size = rng.normal(23.0, 1.0, n)
    return {
        "size": size,
        "beta": rng.normal(1.0, 0.3, n),
        "momentum": rng.normal(0.05, 0.25, n),
        "volatility": np.abs(rng.normal(0.025, 0.0058, n)) + 1e-4,
        "book_to_price": rng.lognormal(-0.7, 0.5, n),
        "liquidity": rng.normal(-3.0, 1.0, n),
        "earnings_yield": rng.normal(0.03, 0.05, n),
    }


def nightly(rng, state, n):
    """Moves every factor by 2% of its dispersion: rank correlations day over day stay above 0.99."""
    for name, values in state.items():
        state[name] = values + rng.normal(0, 0.02 * values.std(), n)
    state["volatility"] = np.abs(state["volatility"]) + 1e-4
    frame = {name: state[name].copy() for name in state}
    frame["non_linear_size"] = frame["size"] ** 3
    frame["growth"] = np.zeros(n)
    frame["leverage"] = np.ones(n)
    for name in ("book_to_price", "earnings_yield"):
        frame[name][rng.random(n) < 0.004] = np.nan
    return frame


def write(out, layout, stocks, first, days):
    rng = np.random.default_rng(20251117)
    tickers = codes(stocks)
    n = len(tickers)
    industry = rng.integers(0, len(POPULATED), n)
    state = base_factors(rng, n)
    by_date = os.path.join(out, "by_date")
    os.makedirs(by_date, exist_ok=True)
    for day in weekdays(first, days):
        values = nightly(rng, state, n)
        frame = pd.DataFrame({name: values[name] for name in STYLE})
        for name in INDUSTRIES:
            member = POPULATED.index(name) if name in POPULATED else -1
            frame[name] = (industry == member).astype(np.float64 if layout == "step2" else np.int64)
        stamp = day.strftime("%Y%m%d")
        if layout == "step2":
            frame.insert(0, "ts_code", tickers)
        else:
            frame.insert(0, "trade_date", np.int64(int(stamp)))
        frame.to_parquet(os.path.join(by_date, stamp + ".parquet"), index=False)
    calendar(out)
    return frame


def calendar(out):
    day, last = datetime.date(2025, 1, 1), datetime.date(2026, 3, 31)
    rows = []
    while day <= last:
        rows.append(("SSE", day.strftime("%Y%m%d"), 0 if day.weekday() >= 5 else 1))
        day += datetime.timedelta(days=1)
    pd.DataFrame(rows, columns=["exchange", "cal_date", "is_open"]).to_csv(os.path.join(out, "trade_cal.csv"),
                                                                          index=False)


def problems(frame):
    """The standing problems of a file, by pandas and numpy."""
    style = frame[STYLE]
    spread = style.std() / style.abs().mean().replace(0, np.nan)
    constant = sorted(name for name in STYLE if style[name].nunique() <= 1 or spread[name] < 1e-6)
    empty = sorted(name for name in INDUSTRIES if frame[name].sum() == 0)
    varying = [name for name in STYLE if name not in constant]
    inverse = np.linalg.inv(frame[varying].dropna().corr().to_numpy())
    vif = dict(zip(varying, np.diag(inverse)))
    corr = abs(frame["size"].corr(frame["non_linear_size"]))
    return {"constant": constant, "empty_industries": empty, "size_nonlinear_corr": corr,
            "vif": {name: float(value) for name, value in vif.items()}}


def specific_risks(path):
    """Specific risks as a clipping estimator leaves them when residual histories are short: 92 of 100 stocks
    at the 0.10 upper bound, 3 at the 0.01 lower one, 5 in between."""
    values = [0.10] * 92 + [0.01] * 3 + [0.02, 0.035, 0.05, 0.065, 0.08]
    frame = pd.DataFrame({"ts_code": codes(100), "specific_risk": values})
    frame.to_parquet(path, index=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?")
    parser.add_argument("--specific-risks", metavar="FILE")
    parser.add_argument("--layout", choices=["step2", "step6"], default="step2")
    parser.add_argument("--stocks", type=int, default=4582)
    parser.add_argument("--first", default="20251117")
    parser.add_argument("--days", type=int, default=8)
    args = parser.parse_args()
    if args.specific_risks:
        specific_risks(args.specific_risks)
        return
    frame = write(args.out, args.layout, args.stocks, args.first, args.days)
    print(json.dumps(problems(frame), sort_keys=True))


if __name__ == "__main__":
    main()
