#!/usr/bin/python3
"""bench/pairs.py (ops/bench-pairs): medians per run and binary, B's rate as a share of A's."""
import json
import os
import subprocess
import sys
import tempfile

PAIRS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "pairs.py")


def write(directory, name, rps_by_run):
    raw = {run: {"rps": rps, "p99_ms": rps / 1000.0, "api_cpu_us_per_req": 10.0, "non_2xx": 0}
           for run, rps in rps_by_run.items()}
    raw["warmup_read"] = {"rps": 1.0}
    with open(os.path.join(directory, name), "w", encoding="utf-8") as f:
        json.dump({"raw": raw}, f)


def main():
    with tempfile.TemporaryDirectory() as d:
        # Medians: a 100 / 300 / 200 -> 200; b 150 / 90 / 400 -> 150 (75 % of a).
        for i, (a, b) in enumerate([(100, 150), (300, 90), (200, 400)], start=1):
            write(d, f"a-{i}.json", {"read_c16": a})
            write(d, f"b-{i}.json", {"read_c16": b})
        out = subprocess.run([sys.executable, PAIRS, d, "3"], check=True, capture_output=True,
                             text=True).stdout
        rows = [line.split() for line in out.splitlines() if line.startswith("read_c16")]
        assert len(rows) == 1, out
        row = rows[0]
        assert row[1:4] == ["200", "150", "75.0%"], out
        assert row[4:6] == ["0.20", "0.15"], out
        assert "warmup" not in out, out
    print("bench/pairs.py: medians and ratio as expected")


if __name__ == "__main__":
    main()
