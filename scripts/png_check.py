#!/usr/bin/env python3
"""Decodes a screenshot of `factorwatch report` (PNG, 8-bit RGB or RGBA) and says whether its plots show data.

Usage: png_check.py SHOT.png
Finds the plot areas by their fill (#fafafa) and counts, in each band of plot rows, the pixels of the series
colour (#1f6fb4) and of the threshold colour (#d62728). Prints JSON:
{"width", "height", "bands": [{"top", "bottom", "series", "threshold"}], "series", "threshold", "white"}.
Only zlib and numpy: no imaging library needed."""
import json
import struct
import sys
import zlib

import numpy as np


def decode(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    channels = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8)
    stride = width * channels
    rows = raw.reshape(height, stride + 1)
    image = np.zeros((height, stride), dtype=np.int32)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = rows[y, 0], rows[y, 1:].astype(np.int32)
        if kind == 0:
            current = line
        elif kind == 2:
            current = (line + previous) % 256
        else:
            current = np.zeros(stride, dtype=np.int32)
            for x in range(stride):
                left = current[x - channels] if x >= channels else 0
                up = previous[x]
                corner = previous[x - channels] if x >= channels else 0
                if kind == 1:
                    predictor = left
                elif kind == 3:
                    predictor = (left + up) // 2
                else:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                current[x] = (line[x] + predictor) % 256
        image[y] = current
        previous = current
    return image.reshape(height, width, channels)[:, :, :3]


def near(image, colour, tolerance=40):
    return (np.abs(image - np.array(colour)).sum(axis=2) <= tolerance)


def main():
    image = decode(sys.argv[1])
    height, width = image.shape[:2]
    plot = near(image, (250, 250, 250), 0)
    series = near(image, (0x1F, 0x6F, 0xB4))
    threshold = near(image, (0xD6, 0x27, 0x28))
    plot_rows = plot.sum(axis=1) > width * 0.3
    # Runs of plot rows; a line across the plot (a threshold, a flat series) splits a run, so runs a few rows
    # apart are one plot.
    runs, top = [], None
    for y in range(height + 1):
        inside = y < height and plot_rows[y]
        if inside and top is None:
            top = y
        elif not inside and top is not None:
            if runs and top - runs[-1][1] <= 8:
                runs[-1] = (runs[-1][0], y)
            else:
                runs.append((top, y))
            top = None
    bands = [{"top": a, "bottom": b, "series": int(series[a:b].sum()), "threshold": int(threshold[a:b].sum())}
             for a, b in runs if b - a >= 20]
    white = float(near(image, (255, 255, 255), 0).mean())
    print(json.dumps({"width": width, "height": height, "bands": bands, "series": int(series.sum()),
                      "threshold": int(threshold.sum()), "white": white}))


if __name__ == "__main__":
    main()
