"""Writes a synthetic pipeline log: timestamped INFO lines with an ERROR line every ~150 lines and a traceback
every ~2,000. Usage: python3 bench/make_log.py MEGABYTES PATH"""
import random
import sys


def main() -> None:
    megabytes, path = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20261201)
    codes = [f"{rng.randrange(600000, 605000):06d}.SH" for _ in range(200)] + [
        f"{rng.randrange(0, 3000):06d}.SZ" for _ in range(200)]
    words = ["loaded", "exposures", "for", "batch", "factor", "BETA", "MOMENTUM", "SIZE", "rows", "written",
             "update", "checksum", "ok", "cache", "hit", "Fetching", "tushare", "daily_basic", "WARN_COUNT=0"]
    target = megabytes * 1_000_000
    written = 0
    with open(path, "w") as out:
        chunk = []
        second = 0
        while written < target:
            second += 1
            stamp = f"2026-12-01 02:{(second // 60) % 60:02d}:{second % 60:02d},{second % 1000:03d}"
            roll = rng.randrange(2000)
            if roll == 0:
                line = f"{stamp} - Traceback (most recent call last):\n"
            elif roll < 13:
                line = f"{stamp} - ERROR - failed to load {rng.choice(codes)}: timeout after 30s\n"
            else:
                text = " ".join(rng.choice(words) for _ in range(rng.randrange(4, 14)))
                line = f"{stamp} - INFO - {rng.choice(codes)} {text} {rng.randrange(10**6)}\n"
            chunk.append(line)
            written += len(line)
            if len(chunk) >= 10000:
                out.write("".join(chunk))
                chunk = []
        out.write("".join(chunk))


if __name__ == "__main__":
    main()
