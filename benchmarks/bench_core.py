"""Core speed figures (printed, never asserted): checking a report in-process, and `gongkai
check FILE` as a whole process next to a bare interpreter start on the same machine.

    python benchmarks/bench_core.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from gongkai_desktop.storage import exchange  # noqa: E402
from gongkai_desktop.report.rules import check  # noqa: E402
from sample import full_report  # noqa: E402


def percentile(data, p):
    data = sorted(data)
    return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))]


def timed_runs(cmd, n=7):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    report = full_report(2025)
    report.previous = full_report(2024)
    check(report)  # warm
    times = []
    for _ in range(500):
        t = time.perf_counter()
        check(report)
        times.append(time.perf_counter() - t)
    print(f"check, full report with last year's (in-process): median {statistics.median(times)*1000:.2f} ms, "
          f"p99 {percentile(times, 99)*1000:.2f} ms  (target < 5 ms)")

    t = time.perf_counter()
    for _ in range(100):
        exchange.loads(exchange.dumps(report))
    print(f"exchange dump+load round trip: {(time.perf_counter() - t) * 10:.2f} ms")

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.json"
        exchange.dump_file(report, path)
        bare = timed_runs([sys.executable, "-c", "pass"])
        whole = timed_runs([sys.executable, "-m", "gongkai_desktop", "check", str(path)])
    print(f"bare interpreter start: median {statistics.median(bare):.3f} s")
    print(f"`gongkai check FILE` whole process: median {statistics.median(whole):.3f} s, "
          f"min {min(whole):.3f} s (target < 0.5 s); over bare start: {statistics.median(whole) - statistics.median(bare):.3f} s")


if __name__ == "__main__":
    main()
