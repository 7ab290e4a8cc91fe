#!/usr/bin/env python3
"""Fixtures of the factor-file checks (README, "Factor-file checks") and the figures numpy/pandas/scipy give for them.

    check_fixtures.py generate [DIR]   write the fixtures (default Tests/FactorWatchTests/Checks/Fixtures)
    check_fixtures.py expected DIR     print, as JSON, every check's figures for the files in DIR/series/by_date
                                       and DIR/nocode/by_date, computed independently with pandas and scipy

series/by_date holds seven weekday files, 20261116 to 20261124, of 250 stocks: ts_code, the ten CNE5 style
factors (cap-weighted standardised, trimmed at 3 sigma), six industry dummies ind_01..ind_06 and mkt_cap. The
first six are healthy; 20261124 breaks every check: leverage removed and `extra` added, beta constant,
residual_volatility raw (0.01-0.15, not constant), bad and duplicate codes, momentum 30% missing, liquidity
three times as dispersed, book_to_price shuffled, earnings_yield with 5% outliers, non_linear_size nearly equal
to size, ind_06 all zero, ind_05 with five stocks, and rows whose dummies sum to 0 or 2.
nocode/by_date/20261124.parquet is the healthy file without its ts_code column.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy import stats

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "FactorWatchTests", "Checks",
                           "Fixtures")
STYLE = ["size", "beta", "momentum", "residual_volatility", "non_linear_size", "book_to_price", "liquidity",
         "earnings_yield", "growth", "leverage"]
DATES = ["20261116", "20261117", "20261118", "20261119", "20261120", "20261123", "20261124"]
ROWS = 250
INDUSTRIES = 6


def standardise(raw, weights):
    """Cap-weighted mean 0, equal-weighted std 1, trimmed at +-3."""
    z = (raw - np.average(raw, weights=weights)) / raw.std(ddof=1)
    return np.clip(z, -3, 3)


def healthy_days(rng):
    codes = np.array([f"{600000 + i:06d}.SH" if i % 3 == 0 else f"{i + 1:06d}.SZ" for i in range(ROWS)])
    cap = np.exp(rng.normal(10, 1, ROWS))
    industry = rng.integers(0, INDUSTRIES, ROWS)
    base = {name: rng.normal(0, 1, ROWS) for name in STYLE}
    days = []
    for _ in DATES:
        frame = {"ts_code": codes}
        for name in STYLE:
            base[name] = 0.98 * base[name] + 0.2 * rng.normal(0, 1, ROWS)
            values = standardise(base[name], cap)
            values[rng.random(ROWS) < 0.01] = np.nan
            frame[name] = values
        for k in range(INDUSTRIES):
            frame[f"ind_{k + 1:02d}"] = (industry == k).astype(float)
        frame["mkt_cap"] = cap
        order = rng.permutation(ROWS)
        days.append(pd.DataFrame(frame).iloc[order].reset_index(drop=True))
    return days


def break_everything(df, rng):
    df = df.copy()
    df = df.drop(columns=["leverage"])
    df["extra"] = rng.normal(0, 1, len(df))
    df["beta"] = 1.0
    df["residual_volatility"] = rng.uniform(0.01, 0.15, len(df))
    codes = np.array(df["ts_code"].tolist(), dtype=object)
    codes[0] = "000001.SS"
    codes[1] = "12345.SZ"
    codes[2] = None
    codes[3] = codes[4]
    df["ts_code"] = codes
    df.loc[rng.random(len(df)) < 0.3, "momentum"] = np.nan
    df["liquidity"] = df["liquidity"] * 3
    df["book_to_price"] = rng.permutation(df["book_to_price"].to_numpy())
    outliers = rng.choice(len(df), size=len(df) // 20, replace=False)
    df.loc[outliers, "earnings_yield"] = 10.0 * np.sign(rng.normal(0, 1, len(outliers)))
    df["non_linear_size"] = 0.95 * df["size"] + 0.25 * rng.normal(0, 1, len(df))
    df["ind_06"] = 0.0
    members = np.flatnonzero(df["ind_05"] == 1)
    df.loc[members[5:], "ind_05"] = 0.0
    df.loc[members[5:], "ind_01"] = 1.0
    df.loc[10, ["ind_01", "ind_02", "ind_03", "ind_04", "ind_05"]] = [1.0, 1.0, 0.0, 0.0, 0.0]
    df.loc[11, ["ind_01", "ind_02", "ind_03", "ind_04", "ind_05"]] = 0.0
    return df


def generate(out):
    rng = np.random.default_rng(20261124)
    days = healthy_days(rng)
    days[-1] = break_everything(days[-1], rng)
    series = os.path.join(out, "series", "by_date")
    os.makedirs(series, exist_ok=True)
    for date, df in zip(DATES, days):
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), os.path.join(series, f"{date}.parquet"))
    nocode = os.path.join(out, "nocode", "by_date")
    os.makedirs(nocode, exist_ok=True)
    healthy = days[-2].drop(columns=["ts_code"])
    pq.write_table(pa.Table.from_pandas(healthy, preserve_index=False), os.path.join(nocode, "20261124.parquet"))


def figures(path, previous, history, weights_column):
    """Every check's numbers for one file, from pandas/numpy/scipy only."""
    df = pd.read_parquet(path)
    factors = [c for c in df.columns if c != "ts_code" and pd.api.types.is_numeric_dtype(df[c])]
    style = [c for c in STYLE if c in df.columns]
    industries = [c for c in factors if c.startswith("ind_")]
    out = {"missing": df.isnull().mean().to_dict(), "constant": {}, "outliers": {}, "rank_corr": {},
           "std_ratio": {}, "missing_jump": {}, "cap_mean": {}, "exp_size_mean": {}, "std": {}}
    for c in factors:
        x = df[c].dropna()
        std, mean_abs = x.std(ddof=1), x.abs().mean()
        out["constant"][c] = bool(x.nunique() <= 1 or (mean_abs > 0 and std / mean_abs < 1e-6))
        out["std"][c] = std
        if c in industries:
            continue
        # Without a weight column every non-industry factor is weighted by exp(size), the weight column too.
        e = np.exp(df["size"])
        ok = df[c].notna() & e.notna()
        out["exp_size_mean"][c] = float(np.average(df[c][ok], weights=e[ok]))
        if c == weights_column:
            continue
        med = np.median(x)
        mad = np.median(np.abs(x - med))
        if mad > 0:
            z = np.abs(x - med) / (1.4826 * mad)
            out["outliers"][c] = float((z > 3).mean())
        w = df[weights_column]
        ok = df[c].notna() & w.notna()
        out["cap_mean"][c] = float(np.average(df[c][ok], weights=w[ok]))
        stds = [h["std"][c] for h in history if c in h["std"]]
        if len(stds) >= 5:
            out["std_ratio"][c] = std / float(np.median(stds[-20:]))
    for c in df.columns:
        misses = [h["missing"][c] for h in history if c in h["missing"]]
        if len(misses) >= 5 and c in factors:
            out["missing_jump"][c] = out["missing"][c] - float(np.median(misses[-20:]))
    if previous is not None and "ts_code" in df.columns:
        prev = pd.read_parquet(previous)
        cur = df.dropna(subset=["ts_code"])
        cur = cur[~cur["ts_code"].duplicated(keep=False)].set_index("ts_code")
        prev = prev[~prev["ts_code"].duplicated(keep=False)].set_index("ts_code")
        for c in factors:
            if c in prev.columns and c not in industries and c != weights_column:
                out["rank_corr"][c] = cur[c].corr(prev[c].reindex(cur.index), method="spearman")
    if "ts_code" in df.columns:
        codes = df["ts_code"]
        good = codes.fillna("").str.fullmatch(r"\d{6}\.(SH|SZ|BJ)")
        out["bad_codes"] = int((~good).sum())
        out["duplicate_codes"] = int(codes.dropna()[codes.dropna().duplicated()].nunique())
    out["industry_stocks"] = {c: float(df[c].sum()) for c in industries}
    out["industry_mismatch"] = int((df[industries].sum(axis=1) != 1).sum())
    if "size" in df.columns and "non_linear_size" in df.columns:
        out["size_nls_corr"] = abs(df["size"].corr(df["non_linear_size"]))
    usable = [c for c in style if not out["constant"][c]]
    complete = df[usable].dropna()
    vif = np.diag(np.linalg.inv(np.corrcoef(complete.to_numpy().T)))
    out["vif"] = dict(zip(usable, vif.tolist()))
    out["rows"] = len(df)
    out["columns"] = list(df.columns)
    return {k: ({c: v for c, v in d.items() if not pd.isna(v)} if isinstance(d, dict) else d) for k, d in out.items()}


def expected(root):
    series = os.path.join(root, "series", "by_date")
    history, result = [], {}
    previous = None
    for date in DATES:
        path = os.path.join(series, f"{date}.parquet")
        result[date] = figures(path, previous, history, "mkt_cap")
        history.append(result[date])
        previous = path
    result["nocode"] = figures(os.path.join(root, "nocode", "by_date", "20261124.parquet"), None, [], "mkt_cap")
    # stats.spearmanr on the joined pairs checks pandas' ranking on one factor.
    last = result["20261124"]
    last["scipy_rank_corr_size"] = scipy_spearman(os.path.join(series, "20261124.parquet"),
                                                  os.path.join(series, "20261123.parquet"), "size")
    print(json.dumps(result, default=float, allow_nan=False))


def scipy_spearman(path, previous, column):
    cur = pd.read_parquet(path).dropna(subset=["ts_code"])
    cur = cur[~cur["ts_code"].duplicated(keep=False)].set_index("ts_code")
    prev = pd.read_parquet(previous).set_index("ts_code")
    joined = pd.concat([cur[column], prev[column].reindex(cur.index)], axis=1).dropna()
    return float(stats.spearmanr(joined.iloc[:, 0], joined.iloc[:, 1]).statistic)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "generate":
        generate(sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT)
    elif len(sys.argv) == 3 and sys.argv[1] == "expected":
        expected(sys.argv[2])
    else:
        sys.exit(__doc__)
