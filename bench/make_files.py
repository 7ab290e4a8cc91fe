#!/usr/bin/env python3
"""Write the benchmark factor files: ROWS stocks x 50 double factors plus a ts_code column (pyarrow defaults).

  make_files.py ROWS PATH             the latest day
  make_files.py ROWS PATH previous    the trading day before it: the same universe with a few stocks changed
                                      (0.2% of the codes dropped, as many listed only the day before) and the
                                      exposures moved by a little noise, so the day-over-day checks see two
                                      different calculations rather than a republished copy"""
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def code(i):
    return f"{i:06d}.{'SZ' if i % 2 else 'SH'}"


def main(rows, path, previous=False):
    rng = np.random.default_rng(2026)
    ids = np.arange(rows)
    factors = []
    for _ in range(50):
        values = rng.normal(0, 1, rows)
        mask = rng.random(rows) < 0.01
        factors.append((values, mask))
    if previous:
        day = np.random.default_rng(2025)
        changed = max(1, rows // 500)
        kept = np.sort(day.choice(rows, rows - changed, replace=False))
        ids = np.concatenate([ids[kept], np.arange(rows, rows + changed)])
        order = np.argsort([code(i) for i in ids], kind="stable")
        ids = ids[order]
        moved = []
        for values, mask in factors:
            old = np.concatenate([values[kept], day.normal(0, 1, changed)])[order]
            old = old + day.normal(0, 0.05, rows)
            old_mask = np.concatenate([mask[kept], day.random(changed) < 0.01])[order]
            moved.append((old, old_mask))
        factors = moved
    columns = {"ts_code": pa.array([code(i) for i in ids])}
    for k, (values, mask) in enumerate(factors):
        columns[f"factor_{k:02d}"] = pa.array(values, pa.float64(), mask=mask)
    pq.write_table(pa.table(columns), path)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3:] == ["previous"])
