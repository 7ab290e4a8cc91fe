#!/usr/bin/env python3
"""One peer's per-column statistics of a factor file, as a monitoring job would compute them.
Usage: peers.py pandas|pyarrow|duckdb|polars FILE [--inprocess]"""
import sys
import time


def run_pandas(path):
    import pandas as pd
    df = pd.read_parquet(path)
    numeric = df.select_dtypes("number")
    return numeric.var(), numeric.mean(), df.isnull().mean()


def run_pyarrow(path):
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    table = pq.read_table(path)
    out = {}
    for name in table.column_names:
        column = table[name]
        out[name] = (column.null_count,)
        if name != "ts_code":
            out[name] += (pc.variance(column, ddof=1).as_py(), pc.mean(column).as_py(), pc.min_max(column))
    return out


def run_duckdb(path):
    import duckdb
    con = duckdb.connect()
    names = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()]
    parts = []
    for n in names:
        parts.append(f'count("{n}")')
        if n != "ts_code":
            parts += [f'var_samp("{n}")', f'avg("{n}")', f'min("{n}")', f'max("{n}")']
    return con.execute(f"SELECT {', '.join(parts)} FROM '{path}'").fetchall()


def run_polars(path):
    import polars as pl
    df = pl.read_parquet(path)
    numeric = df.select(pl.col(pl.Float64))
    return numeric.var(), numeric.mean(), df.null_count()


if __name__ == "__main__":
    tool, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    globals()[f"run_{tool}"](path)
    if "--inprocess" in sys.argv:
        print(f"{tool} in-process read+stats: {time.perf_counter() - start:.3f} s")
