"""Fuzz the exchange-file import far beyond the suite's 2,000 files and print the figures.

    python benchmarks/fuzz_exchange.py [--examples 10000] [--seed N]

The same generator and the same three promises as tests/test_fuzz_exchange.py (no uncaught
exception, the store untouched by a refusal, accepted files round-trip unchanged through the
reader and the store). Everything happens in a temporary folder. Exits 1 on the first broken
promise, printing the file that broke it.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, given, seed as hseed, settings  # noqa: E402

from gongkai_desktop.storage.store import Store  # noqa: E402
from test_fuzz_exchange import check_one, exchange_files  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    outcomes: collections.Counter[str] = collections.Counter()
    sizes: list[int] = []
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-fuzz-") as folder, \
            Store.open(Path(folder) / "fuzz.db", backups=False) as store:

        @settings(max_examples=args.examples, deadline=None, database=None, derandomize=args.seed is None,
                  suppress_health_check=list(HealthCheck))
        @given(data=exchange_files())
        def run(data):
            t0 = time.perf_counter()
            outcome = check_one(data, store)
            times.append(time.perf_counter() - t0)
            outcomes[outcome] += 1
            sizes.append(len(data))

        if args.seed is not None:
            run = hseed(args.seed)(run)
        started = time.perf_counter()
        try:
            run()
        except BaseException as exc:  # the falsifying file is printed by hypothesis above
            print(f"BROKEN PROMISE after {sum(outcomes.values())} files: {type(exc).__name__}: {exc}")
            return 1
        wall = time.perf_counter() - started
    total = sum(outcomes.values())
    times.sort()
    print(f"files checked        {total}")
    print(f"  accepted           {outcomes['accepted']}  (round-tripped through reader and store)")
    print(f"  refused            {outcomes['refused']}  (Chinese message, store unchanged)")
    print("  uncaught errors    0")
    print(f"file size            median {sorted(sizes)[len(sizes) // 2]} B, max {max(sizes)} B")
    print(f"time per file        median {times[len(times) // 2] * 1000:.2f} ms, "
          f"p99 {times[int(len(times) * 0.99)] * 1000:.2f} ms")
    print(f"wall time            {wall:.1f} s (with generation)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
