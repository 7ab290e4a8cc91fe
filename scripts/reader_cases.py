#!/usr/bin/env python3
"""Parquet files that stretch a reader, and pandas' statistics for each column.

    reader_cases.py DIR    write DIR/*.parquet and print {file: {column: {rows, nulls, mean, ...}}} as JSON

- categorical.parquet (pandas) and enum.parquet (polars): a text column whose dictionary has more entries than
  the file has rows (unused categories), with nulls;
- half.parquet (pyarrow): a float16 column with NaN and a null;
- decimal.parquet (pyarrow, as Spark writes money): decimal(12,4) values, with a null;
- boolean.parquet (pyarrow): booleans with a null (pandas' mean is the share of True);
- nulltype.parquet (pyarrow): a column of Arrow's null type beside a normal one.
"""
import decimal
import json
import os
import sys

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq


def figures(frame):
    out = {}
    for name in frame.columns:
        series = frame[name]
        entry = {"rows": len(series), "nulls": int(series.isnull().sum())}
        values = series.dropna()
        if len(values) and (series.dtype == bool or series.dtype == object and isinstance(values.iloc[0], bool)):
            values = values.astype(float)
        elif len(values) and isinstance(values.iloc[0], decimal.Decimal):
            values = values.astype(float)
        if pd.api.types.is_numeric_dtype(values) and len(values):
            entry["mean"] = float(values.astype(float).mean())
            if len(values) > 1:
                entry["std"] = float(values.astype(float).std())
        out[name] = entry
    return out


def main(out):
    os.makedirs(out, exist_ok=True)
    names = ["cat_%02d" % i for i in range(30)]
    used = [names[i % 12] for i in range(18)]
    used[3] = None
    frame = pd.DataFrame({"industry": pd.Categorical(used, categories=names), "x": np.arange(18.0)})
    frame.to_parquet(os.path.join(out, "categorical.parquet"), index=False)
    pl.DataFrame({"industry": pl.Series(used, dtype=pl.Enum(names)), "x": np.arange(18.0)}).write_parquet(
        os.path.join(out, "enum.parquet"))
    half = pa.array([1.5, float("nan"), None, -2.25, 0.5, float("nan")], type=pa.float16())
    pq.write_table(pa.table({"h": half}), os.path.join(out, "half.parquet"))
    money = [decimal.Decimal("12.3456"), None, decimal.Decimal("-0.5"), decimal.Decimal("1000.0001")]
    pq.write_table(pa.table({"d": pa.array(money, type=pa.decimal128(12, 4))}), os.path.join(out, "decimal.parquet"))
    pq.write_table(pa.table({"b": pa.array([True, False, None, True, True])}), os.path.join(out, "boolean.parquet"))
    pq.write_table(pa.table({"n": pa.nulls(4), "v": pa.array([1.0, 2.0, None, 4.0])}),
                   os.path.join(out, "nulltype.parquet"))
    result = {}
    for name in sorted(os.listdir(out)):
        if name.endswith(".parquet"):
            result[name] = figures(pd.read_parquet(os.path.join(out, name)))
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
