#!/usr/bin/python3
"""Medians of alternated ops/bench runs of two binaries (ops/bench-pairs).

usage: pairs.py DIR PAIRS   (DIR holds a-1.json .. a-PAIRS.json and b-1.json .. b-PAIRS.json)
"""
import json
import os
import statistics
import sys


def runs(directory, which, pairs):
    out = []
    for p in range(1, pairs + 1):
        with open(os.path.join(directory, f"{which}-{p}.json"), encoding="utf-8") as f:
            out.append(json.load(f)["raw"])
    return out


def median(reports, run, key):
    values = [r[run][key] for r in reports if run in r and r[run].get(key) is not None]
    return statistics.median(values) if values else None


def main():
    directory, pairs = sys.argv[1], int(sys.argv[2])
    a, b = runs(directory, "a", pairs), runs(directory, "b", pairs)
    names = sorted({n for r in a + b for n, v in r.items()
                    if isinstance(v, dict) and "rps" in v and not n.startswith("warmup")})
    print(f"medians of {pairs} alternated pairs (a = before, b = after)")
    print(f"{'run':<24}{'a req/s':>10}{'b req/s':>10}{'b/a':>8}{'a p99':>9}{'b p99':>9}"
          f"{'a api us':>10}{'b api us':>10}{'a non2xx':>10}{'b non2xx':>10}")
    for n in names:
        ra, rb = median(a, n, "rps"), median(b, n, "rps")
        ratio = f"{rb / ra * 100:.1f}%" if ra and rb else "-"

        def f(v, fmt):
            return format(v, fmt) if v is not None else "-"
        print(f"{n:<24}{f(ra, '10.0f')}{f(rb, '10.0f')}{ratio:>8}"
              f"{f(median(a, n, 'p99_ms'), '9.2f')}{f(median(b, n, 'p99_ms'), '9.2f')}"
              f"{f(median(a, n, 'api_cpu_us_per_req'), '10.1f')}{f(median(b, n, 'api_cpu_us_per_req'), '10.1f')}"
              f"{f(median(a, n, 'non_2xx'), '10.0f')}{f(median(b, n, 'non_2xx'), '10.0f')}")


if __name__ == "__main__":
    main()
