#!/usr/bin/env python3
"""Write two consecutive trading days of a factor file for the checks benchmark: ROWS stocks x 50 columns
(the ten CNE5 style factors, 30 industry dummies ind_01..ind_30, 10 more factors) plus ts_code.
Usage: make_check_files.py ROWS DIR   (writes DIR/20261123.parquet and DIR/20261124.parquet)"""
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

STYLE = ["size", "beta", "momentum", "residual_volatility", "non_linear_size", "book_to_price", "liquidity",
         "earnings_yield", "growth", "leverage"]


def main(rows, out):
    rng = np.random.default_rng(2026)
    os.makedirs(out, exist_ok=True)
    codes = np.array([f"{i:06d}.{'SZ' if i % 2 else 'SH'}" for i in range(rows)])
    industry = rng.integers(0, 30, rows)
    names = STYLE + [f"extra_{k:02d}" for k in range(10)]
    base = {name: rng.normal(0, 1, rows) for name in names}
    for date in ["20261123", "20261124"]:
        columns = {"ts_code": codes}
        for name in names:
            base[name] = 0.98 * base[name] + 0.2 * rng.normal(0, 1, rows)
            values = np.clip(base[name], -3, 3)
            columns[name] = pa.array(values, pa.float64(), mask=rng.random(rows) < 0.01)
        for k in range(30):
            columns[f"ind_{k + 1:02d}"] = pa.array((industry == k).astype(float))
        order = rng.permutation(rows)
        table = pa.table({name: (values.take(order) if isinstance(values, pa.Array) else pa.array(values[order]))
                          for name, values in columns.items()})
        pq.write_table(table, os.path.join(out, f"{date}.parquet"))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
