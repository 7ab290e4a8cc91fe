#!/usr/bin/env python3
"""Generate the Parquet/CSV fixtures of Tests/ParquetTests/Fixtures and their expected.json.

Valid files come from the real writers (pyarrow, polars, duckdb, fastparquet) across codecs,
encodings and page versions; a few are written byte by byte (Thrift compact footer included) to
reach what no writer emits on demand: multi-member gzip, Hadoop-framed LZ4, unknown footer fields,
bit width 0 indices, and the corrupt variants. expected.json holds pandas' statistics per column.
"""
import gzip
import json
import math
import os
import struct
import sys

import cramjam
import duckdb
import fastparquet
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
from decimal import Decimal
from fractions import Fraction

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ParquetTests", "Fixtures")
ROWS = 600


def base_table(seed=7, rows=ROWS):
    rng = np.random.default_rng(seed)
    codes = [f"{i:06d}.{'SZ' if i % 2 else 'SH'}" for i in range(rows)]
    codes[5] = codes[4]  # a duplicate code
    codes = [None if i % 97 == 13 else c for i, c in enumerate(codes)]
    norm = rng.normal(0, 1, rows)
    norm[[3, 50, 51]] = np.nan
    norm[7] = np.inf
    norm[8] = -np.inf
    norm_mask = np.zeros(rows, bool)
    norm_mask[[10, 11, 300]] = True
    big = 1e9 + rng.uniform(-1e-3, 1e-3, rows)
    ints = rng.integers(-1000, 1000, rows)
    i32_mask = np.zeros(rows, bool)
    i32_mask[::41] = True
    flags = [None if i % 31 == 0 else bool(i % 3) for i in range(rows)]
    days = np.datetime64("2026-01-01") + rng.integers(0, 300, rows).astype("timedelta64[D]")
    stamps = np.datetime64("2026-11-24T02:30:00", "ns") + rng.integers(0, 10**12, rows).astype("timedelta64[ns]")
    decimals = [None if i % 17 == 0 else Decimal(int(x)) / 100 for i, x in enumerate(rng.integers(-10**6, 10**6, rows))]
    return pa.table({
        "ts_code": pa.array(codes, pa.string()),
        "f_norm": pa.array(norm, pa.float64(), mask=norm_mask),
        "f_const": pa.array(np.full(rows, 0.5), pa.float64()),
        "f_allnull": pa.array([None] * rows, pa.float64()),
        "f_big": pa.array(big, pa.float64()),
        "f_f32": pa.array(rng.normal(3, 2, rows).astype(np.float32), pa.float32()),
        "i8": pa.array(ints % 100, pa.int8()),
        "i16": pa.array(ints * 7, pa.int16()),
        "i32": pa.array(ints * 1000, pa.int32(), mask=i32_mask),
        "i64": pa.array(ints.astype(np.int64) * 10**12, pa.int64()),
        "u32": pa.array(np.abs(ints) * 3_000_000, pa.uint32()),
        "flag": pa.array(flags, pa.bool_()),
        "day": pa.array(days, pa.date32()),
        "ts_ns": pa.array(stamps, pa.timestamp("ns")),
        "ts_us_utc": pa.array(stamps.astype("datetime64[us]"), pa.timestamp("us", tz="UTC")),
        "dec": pa.array(decimals, pa.decimal128(10, 2)),
    })


def type_name(t):
    """Our reader's name for an Arrow type."""
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "string"
    if pa.types.is_dictionary(t):
        return type_name(t.value_type)
    if pa.types.is_date32(t):
        return "date"
    if pa.types.is_timestamp(t):
        return f"timestamp[{t.unit}{', UTC' if t.tz else ''}]"
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    names = {"bool": "bool", "double": "double", "float": "float"}
    return names.get(str(t), str(t))


def read_with_pandas(path):
    try:
        return pd.read_parquet(path)
    except OSError:
        # pyarrow rejects duckdb's DELTA_BINARY_PACKED uint32 pages; duckdb reads its own file.
        result = duckdb.sql(f"SELECT * FROM '{path}'").arrow()
        return (result.read_all() if hasattr(result, "read_all") else result).to_pandas()


def exact_variance(values):
    """The sample variance in exact rational arithmetic: pandas' own result can be 1e-9 off."""
    if len(values) < 2:
        return None
    exact = [Fraction(float(v)) for v in values]
    mean = sum(exact) / len(exact)
    return float(sum((v - mean) ** 2 for v in exact) / (len(exact) - 1))


def expected_stats(path, frame=None):
    """pandas' own statistics of every column (numbers over the finite values, in float64)."""
    df = frame if frame is not None else read_with_pandas(path)
    schema = pq.read_schema(path) if frame is None else None
    if schema is not None:
        # A stored pandas index is a column to the reader; report it where the file has it.
        df = df.copy()
        for name in schema.names:
            if name not in df.columns:
                df[name] = df.index.to_numpy()
        df = df[schema.names]
    columns = []
    for name in df.columns:
        s = df[name]
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        entry = {
            "name": name,
            "rows": int(len(s)),
            "count": int(s.count()),
            "nulls": int(s.isnull().sum()),
            "null_fraction": float(s.isnull().mean()) if len(s) else 0.0,
            "numeric": bool(numeric),
        }
        if schema is not None:
            entry["type"] = type_name(schema.field(name).type)
        if numeric:
            values = s.astype("float64")
            finite = values[np.isfinite(values)]
            exact = exact_variance(finite)
            entry.update({
                "variance_exact": exact,
                "infinities": int(np.isinf(values).sum()),
                "mean": float(finite.mean()) if len(finite) else None,
                "variance": float(finite.var()) if len(finite) > 1 else None,
                "std": float(finite.std()) if len(finite) > 1 else None,
                "min": float(finite.min()) if len(finite) else None,
                "max": float(finite.max()) if len(finite) else None,
            })
        columns.append(entry)
    return {"rows": int(len(df)), "columns": columns}


# --- writers ---------------------------------------------------------------------------------

def write_pyarrow(table):
    files = {}
    for codec in ["none", "snappy", "gzip", "zstd", "lz4", "brotli"]:
        for version in ["1.0", "2.0"]:
            name = f"pyarrow_{codec}_v{version[0]}.parquet"
            pq.write_table(table, os.path.join(OUT, name), compression=codec, data_page_version=version,
                           row_group_size=250, data_page_size=1024)
            files[name] = None
    # Encodings a writer only uses when asked.
    plain_cols = {"f_norm": "BYTE_STREAM_SPLIT", "f_f32": "BYTE_STREAM_SPLIT", "f_big": "BYTE_STREAM_SPLIT",
                  "i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "i16": "DELTA_BINARY_PACKED",
                  "ts_code": "DELTA_BYTE_ARRAY"}
    for version in ["1.0", "2.0"]:
        name = f"pyarrow_encodings_v{version[0]}.parquet"
        pq.write_table(table, os.path.join(OUT, name), compression="zstd", data_page_version=version,
                       use_dictionary=["f_const", "day"], column_encoding=plain_cols, row_group_size=250,
                       data_page_size=1024)
        files[name] = None
    name = "pyarrow_delta_length.parquet"
    pq.write_table(table.select(["ts_code", "f_norm"]), os.path.join(OUT, name), use_dictionary=False,
                   column_encoding={"ts_code": "DELTA_LENGTH_BYTE_ARRAY"}, compression="snappy")
    files[name] = None
    name = "pyarrow_plain.parquet"
    pq.write_table(table, os.path.join(OUT, name), use_dictionary=False, compression="none", row_group_size=100)
    files[name] = None
    # Dictionary that falls back to PLAIN inside one chunk.
    name = "pyarrow_dict_fallback.parquet"
    pq.write_table(table, os.path.join(OUT, name), dictionary_pagesize_limit=512, data_page_size=512,
                   compression="snappy")
    files[name] = None
    # A stored pandas index.
    frame = table.select(["ts_code", "f_norm", "i32"]).to_pandas()
    frame.index = pd.Index([f"r{i}" for i in range(len(frame))])
    name = "pyarrow_pandas_index.parquet"
    frame.to_parquet(os.path.join(OUT, name), engine="pyarrow", index=True)
    files[name] = None
    # Legacy INT96 timestamps.
    name = "pyarrow_int96.parquet"
    pq.write_table(table.select(["ts_code", "ts_ns", "f_norm"]), os.path.join(OUT, name),
                   use_deprecated_int96_timestamps=True)
    files[name] = None
    # An empty table.
    name = "pyarrow_empty.parquet"
    pq.write_table(table.slice(0, 0), os.path.join(OUT, name))
    files[name] = None
    return files


def write_polars(table):
    frame = pl.from_arrow(table)
    files = {}
    for codec in ["zstd", "snappy", "lz4", "uncompressed"]:
        name = f"polars_{codec}.parquet"
        frame.write_parquet(os.path.join(OUT, name), compression=codec, row_group_size=200)
        files[name] = None
    return files


def write_duckdb(table):
    files = {}
    con = duckdb.connect()
    con.register("t", table)
    for codec, version in [("zstd", "V1"), ("snappy", "V2"), ("gzip", "V1"), ("uncompressed", "V2")]:
        name = f"duckdb_{codec}_{version.lower()}.parquet"
        path = os.path.join(OUT, name)
        con.execute(f"COPY t TO '{path}' (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 256, "
                    f"PARQUET_VERSION {version})")
        files[name] = None
    return files


def write_fastparquet(table):
    frame = table.drop_columns(["dec", "ts_us_utc", "flag", "day"]).to_pandas()
    files = {}
    for codec in [None, "GZIP", "SNAPPY", "ZSTD"]:
        name = f"fastparquet_{(codec or 'none').lower()}.parquet"
        fastparquet.write(os.path.join(OUT, name), frame, compression=codec, row_group_offsets=250,
                          write_index=True)
        files[name] = None
    return files


# --- a byte-level writer for what no writer produces on demand ---------------------------------

def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def zigzag(n):
    return varint((n << 1) ^ (n >> 63))


I32, I64, BIN, LIST, STRUCT, BOOL = 5, 6, 8, 9, 12, 1


def tstruct(fields):
    """fields: list of (id, type, value); value of a STRUCT is another field list, of a LIST a
    (element type, [values]) pair, of a BOOL a Python bool."""
    out = bytearray()
    last = 0
    for fid, ftype, value in sorted(fields, key=lambda f: f[0]):
        wire = (1 if value else 2) if ftype == BOOL else ftype
        delta = fid - last
        if 0 < delta <= 15:
            out.append((delta << 4) | wire)
        else:
            out.append(wire)
            out += zigzag(fid)
        last = fid
        if ftype != BOOL:
            out += tvalue(ftype, value)
    out.append(0)
    return bytes(out)


def tvalue(ftype, value):
    if ftype in (I32, I64):
        return zigzag(value)
    if ftype == BIN:
        data = value.encode() if isinstance(value, str) else value
        return varint(len(data)) + data
    if ftype == STRUCT:
        return tstruct(value)
    if ftype == LIST:
        etype, items = value
        head = bytes([(len(items) << 4) | etype]) if len(items) < 15 else bytes([0xF0 | etype]) + varint(len(items))
        return head + b"".join(tvalue(etype, item) for item in items)
    raise ValueError(ftype)


def hybrid_bitpacked(values, width):
    """One bit-packed run of the RLE/bit-packed hybrid."""
    groups = (len(values) + 7) // 8
    padded = list(values) + [0] * (groups * 8 - len(values))
    bits = 0
    acc = 0
    out = bytearray()
    for i, v in enumerate(padded):
        acc |= v << (i * width)
    out += acc.to_bytes(groups * width, "little") if width else b""
    return varint((groups << 1) | 1) + bytes(out)


def data_page(values_bytes, count, encoding=0, codec_fn=None, uncompressed=None, compressed=None, extra=(),
              page_type=0, header_values=None):
    body = codec_fn(values_bytes) if codec_fn else values_bytes
    header = [
        (1, I32, page_type),
        (2, I32, len(values_bytes) if uncompressed is None else uncompressed),
        (3, I32, len(body) if compressed is None else compressed),
    ]
    if page_type == 2:
        header.append((7, STRUCT, [(1, I32, count if header_values is None else header_values), (2, I32, 0)]))
    else:
        header.append((5, STRUCT, [(1, I32, count if header_values is None else header_values), (2, I32, encoding),
                                   (3, I32, 3), (4, I32, 3)]))
    header += list(extra)
    return tstruct(header) + body


def write_raw(name, pages, rows, codec=0, ptype=5, column="x", dictionary=False, footer_extra=(), chunk_size=None,
              dict_offset=None):
    """One REQUIRED column, one row group; pages are already serialised (header + body)."""
    data = b"".join(pages)
    start = 4
    meta = [
        (1, I32, ptype), (2, LIST, (I32, [0, 8] if dictionary else [0])), (3, LIST, (BIN, [column])),
        (4, I32, codec), (5, I64, rows), (6, I64, len(data)),
        (7, I64, len(data) if chunk_size is None else chunk_size),
        # A dictionary offset of 0 is how some writers say "none": the chunk then starts at the data offset.
        (9, I64, start if not dictionary or dict_offset == 0 else start + len(pages[0])),
    ]
    if dictionary:
        meta.append((11, I64, start if dict_offset is None else dict_offset))
    footer = tstruct([
        (1, I32, 1),
        (2, LIST, (STRUCT, [[(4, BIN, "schema"), (5, I32, 1)], [(1, I32, ptype), (3, I32, 0), (4, BIN, column)]])),
        (3, I64, rows),
        (4, LIST, (STRUCT, [[(1, LIST, (STRUCT, [[(2, I64, start), (3, STRUCT, meta)]])), (2, I64, len(data)),
                             (3, I64, rows)]])),
        (6, BIN, "factorwatch fixture writer"),
    ] + list(footer_extra))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b"PAR1" + data + footer + struct.pack("<I", len(footer)) + b"PAR1")


def doubles(values):
    return struct.pack(f"<{len(values)}d", *values)


def multi_member_gzip(data):
    half = len(data) // 2
    return gzip.compress(data[:half], mtime=0) + gzip.compress(data[half:], mtime=0)


def hadoop_lz4(data):
    out = bytearray()
    for start in range(0, len(data), 300):
        piece = data[start:start + 300]
        block = bytes(cramjam.lz4.compress_block(piece, store_size=False))
        out += struct.pack(">II", len(piece), len(block)) + block
    return bytes(out)


def zstd(data):
    return bytes(cramjam.zstd.compress(data))


def write_crafted():
    rng = np.random.default_rng(11)
    values = list(rng.normal(5, 2, 200))
    raw = doubles(values)
    valid = {}
    write_raw("raw_gzip_multimember.parquet", [data_page(raw, 200, codec_fn=multi_member_gzip)], 200, codec=2)
    valid["raw_gzip_multimember.parquet"] = values
    write_raw("raw_hadoop_lz4.parquet", [data_page(raw, 200, codec_fn=hadoop_lz4)], 200, codec=5)
    valid["raw_hadoop_lz4.parquet"] = values
    # Unknown fields everywhere (nested structs, lists, maps of the future) must be skipped.
    future = [(40, STRUCT, [(1, I32, 5), (2, STRUCT, [(1, BIN, "deep"), (3, LIST, (I64, [1, 2, 3]))]),
                            (4, BOOL, True)]), (41, LIST, (STRUCT, [[(1, I32, 1)], [(2, BIN, "x")]]))]
    write_raw("raw_unknown_fields.parquet", [data_page(raw, 200, codec_fn=zstd, extra=future)], 200, codec=6,
              footer_extra=future)
    valid["raw_unknown_fields.parquet"] = values
    # Dictionary of one entry: indices of bit width 0. Dictionary offset recorded as 0.
    dict_page = data_page(doubles([2.5]), 1, page_type=2)
    indices = bytes([0]) + varint(200 << 1)  # bit width 0, one RLE run of 200
    write_raw("raw_bitwidth0.parquet", [dict_page, data_page(indices, 200, encoding=8)], 200, dictionary=True,
              dict_offset=0)
    valid["raw_bitwidth0.parquet"] = [2.5] * 200

    corrupt = {}
    write_raw("bad_lying_page_size.parquet", [data_page(raw, 200, compressed=len(raw) + 5000)], 200)
    corrupt["bad_lying_page_size.parquet"] = "runs past the end of its column chunk"
    write_raw("bad_lying_value_count.parquet", [data_page(raw, 200, header_values=5000)], 200)
    corrupt["bad_lying_value_count.parquet"] = "page claims 5000 values"
    write_raw("bad_short_values.parquet", [data_page(raw[:800], 200)], 200)
    corrupt["bad_short_values.parquet"] = "section holds 800 bytes"
    write_raw("bad_missing_pages.parquet", [data_page(raw[:800], 100)], 200)
    corrupt["bad_missing_pages.parquet"] = "column chunk ends after 100 of 200 values"
    oob = bytes([3]) + hybrid_bitpacked([0, 1, 5, 0, 1, 0, 0, 1], 3) + varint(192 << 1) + bytes([0])
    write_raw("bad_dictionary_index.parquet", [data_page(doubles([1.0, 2.0]), 2, page_type=2),
                                               data_page(oob, 200, encoding=8)], 200, dictionary=True)
    corrupt["bad_dictionary_index.parquet"] = "dictionary index 5 out of range"
    bomb = zstd(bytes(64 << 20))
    write_raw("bad_bomb_header.parquet", [data_page(b"", 200, uncompressed=1 << 30, compressed=len(bomb)) + bomb],
              200, codec=6)
    corrupt["bad_bomb_header.parquet"] = "uncompressed bytes"
    write_raw("bad_bomb_payload.parquet", [data_page(b"", 200, uncompressed=1600, compressed=len(bomb)) + bomb],
              200, codec=6)
    corrupt["bad_bomb_payload.parquet"] = "ZSTD decompression failed"
    write_raw("bad_chunk_past_footer.parquet", [data_page(raw, 200)], 200, chunk_size=10**9)
    corrupt["bad_chunk_past_footer.parquet"] = "lies outside the data area"
    write_raw("bad_row_count.parquet", [data_page(raw, 200)], 1 << 40)
    corrupt["bad_row_count.parquet"] = "rows (limit"
    return valid, corrupt


def write_damaged(source):
    with open(os.path.join(OUT, source), "rb") as f:
        good = f.read()
    damaged = {
        "bad_truncated.parquet": (good[: len(good) // 2], "missing PAR1 magic at the end"),
        "bad_magic.parquet": (b"PAR0" + good[4:], "missing PAR1 magic at the start"),
        "bad_footer_length.parquet": (good[:-8] + struct.pack("<I", 0x7FFFFFF0) + b"PAR1", "footer length"),
        "bad_footer_garbage.parquet": (good[:-8 - 200] + bytes([0x19, 0xFC] + [0xFF] * 198) + good[-8:], "Thrift"),
        "bad_tiny.parquet": (b"PAR1PAR1", "too short"),
        "bad_encrypted.parquet": (good[:-4] + b"PARE", "encrypted"),
    }
    for name, (data, _) in damaged.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    # One damaged column chunk: the other columns must still read, since only requested chunks are read.
    plain = os.path.join(OUT, "pyarrow_plain.parquet")
    meta = pq.ParquetFile(plain).metadata.row_group(0).column(1)
    assert meta.path_in_schema == "f_norm"
    with open(plain, "rb") as f:
        data = bytearray(f.read())
    data[meta.data_page_offset:meta.data_page_offset + 8] = b"\xff" * 8
    with open(os.path.join(OUT, "bad_one_column.parquet"), "wb") as f:
        f.write(bytes(data))
    damaged["bad_one_column.parquet"] = (bytes(data), "column \"f_norm\"")
    nested = pa.table({"ts_code": ["a", "b"], "exposures": [[1.0, 2.0], [3.0]]})
    pq.write_table(nested, os.path.join(OUT, "bad_nested.parquet"))
    result = {name: message for name, (_, message) in damaged.items()}
    result["bad_nested.parquet"] = "exposures"
    return result


def write_csv(table):
    frame = table.select(["ts_code", "f_norm", "f_const", "f_allnull", "f_big", "i32", "flag"]).to_pandas()
    path = os.path.join(OUT, "factors.csv")
    frame.to_csv(path, index=False)
    # Quoting, CRLF and pandas' missing markers, written by hand.
    special = os.path.join(OUT, "quoted.csv")
    with open(special, "w", newline="") as f:
        f.write('ts_code,name,beta,size\r\n')
        f.write('000001.SZ,"Ping An, Bank",1.5,NA\r\n')
        f.write('000002.SZ,"Vanke ""A""",null,2.5\r\n')
        f.write('000003.SZ,,inf,-1e3\r\n')
        f.write('000004.SZ,"multi\nline",N/A,4\r\n')
        f.write('000005.SZ,None,2.25,\r\n')
    return {"factors.csv": pd.read_csv(path), "quoted.csv": pd.read_csv(special)}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith((".parquet", ".csv", ".json")):
            os.remove(os.path.join(OUT, name))
    table = base_table()
    files = {}
    files.update(write_pyarrow(table))
    files.update(write_polars(table))
    files.update(write_duckdb(table))
    files.update(write_fastparquet(table))
    expected = {"files": {}, "corrupt": {}}
    for name in sorted(files):
        expected["files"][name] = expected_stats(os.path.join(OUT, name))
    # Full columns for the read tests: numbers as repr text ("nan", "inf", "None" for null).
    expected["values"] = {}
    for name in ["pyarrow_snappy_v1.parquet", "pyarrow_encodings_v2.parquet", "duckdb_snappy_v2.parquet",
                 "polars_zstd.parquet", "fastparquet_none.parquet", "pyarrow_delta_length.parquet",
                 "pyarrow_dict_fallback.parquet"]:
        frame = read_with_pandas(os.path.join(OUT, name))
        arrow_norm = pq.read_table(os.path.join(OUT, name), columns=["f_norm"]).column(0).to_pylist()
        expected["values"][name] = {
            "ts_code": [None if pd.isnull(v) else str(v) for v in frame["ts_code"]],
            "f_norm": ["None" if v is None else repr(float(v)) for v in arrow_norm],
        }
    valid, corrupt = write_crafted()
    for name, values in valid.items():
        entry = expected_stats(None, pd.DataFrame({"x": values}))
        entry["columns"][0]["type"] = "double"
        expected["files"][name] = entry
    for name, frame in write_csv(table).items():
        expected["files"][name] = expected_stats(None, frame)
    expected["corrupt"].update(corrupt)
    expected["corrupt"].update(write_damaged("pyarrow_snappy_v1.parquet"))
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f"{len(os.listdir(OUT))} fixture files, {total / 1024:.0f} KiB")


if __name__ == "__main__":
    sys.exit(main())
