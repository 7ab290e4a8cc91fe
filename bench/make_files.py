#!/usr/bin/env python3
"""Write the benchmark factor files: ROWS stocks x 50 double factors plus a ts_code column (pyarrow defaults)."""
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def main(rows, path):
    rng = np.random.default_rng(2026)
    columns = {"ts_code": pa.array([f"{i:06d}.{'SZ' if i % 2 else 'SH'}" for i in range(rows)])}
    for k in range(50):
        values = rng.normal(0, 1, rows)
        mask = rng.random(rows) < 0.01
        columns[f"factor_{k:02d}"] = pa.array(values, pa.float64(), mask=mask)
    pq.write_table(pa.table(columns), path)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
