"""Store timings: one committed edit (p50/p99), listing 1,000 reports, opening the file.

    python benchmarks/bench_store.py [--reports 1000] [--edits 2000] [--sync FULL|NORMAL]

Everything happens in a temporary folder; the real user data directory is never touched.
Targets (issue 2): an edit under 5 ms at p99, listing 1,000 reports under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from gongkai_desktop.storage import store as store_mod  # noqa: E402
from gongkai_desktop.storage.store import Store  # noqa: E402
from sample import full_report  # noqa: E402

NEW_NP = ("requests", "new", "natural_person")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def ms(x: float) -> str:
    return f"{x * 1000:8.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=2000)
    ap.add_argument("--sync", choices=("FULL", "NORMAL"), default=store_mod.SYNCHRONOUS,
                    help="PRAGMA synchronous to measure (the store uses %(default)s)")
    args = ap.parse_args()
    store_mod.SYNCHRONOUS = args.sync

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.db"
        os.environ["GONGKAI_DB"] = str(path)

        t0 = time.perf_counter()
        s = Store.open(path)
        t_create = time.perf_counter() - t0
        templates = {y: full_report(y, "模板") for y in range(2019, 2026)}
        t0 = time.perf_counter()
        ids = []
        for i in range(args.reports):
            year = 2019 + i % 7
            r = templates[year]
            r.meta.organ = f"某某市第{i // 7}局"
            ids.append(s.add(r))
        t_add = time.perf_counter() - t0

        t0 = time.perf_counter()
        s.list_reports()
        t_cold = time.perf_counter() - t0
        warm = []
        for _ in range(20):
            t0 = time.perf_counter()
            listed = s.list_reports()
            warm.append(time.perf_counter() - t0)
        assert len(listed) == args.reports

        rid = ids[len(ids) // 2]
        edits = []
        for i in range(args.edits):
            t0 = time.perf_counter()
            s.set_value(rid, NEW_NP, i)
            edits.append(time.perf_counter() - t0)
        texts = []
        for i in range(200):
            t0 = time.perf_counter()
            s.set_section(rid, "overview", "正文" * 500 + str(i))
            texts.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        s.list_reports()  # one stale row (the edited report) recomputed
        t_one_stale = time.perf_counter() - t0

        loads = []
        for i in ids[:100]:
            t0 = time.perf_counter()
            s.load(i)
            loads.append(time.perf_counter() - t0)
        s.close()
        size = path.stat().st_size

        opens = {}
        for label, backups in (("open (first backup of the day)", True), ("open (backup already taken)", True),
                               ("open (backups=False)", False)):
            t0 = time.perf_counter()
            s = Store.open(path, backups=backups)
            opens[label] = time.perf_counter() - t0
            s.close()

        print(f"database: {args.reports} reports, {size / 1e6:.1f} MB, synchronous={args.sync}")
        print(f"one committed edit (set_value), n={args.edits}:  p50 {ms(pct(edits, 50))}   "
              f"p99 {ms(pct(edits, 99))}   max {ms(max(edits))}")
        print(f"one committed section edit (1 kB text), n=200: p50 {ms(pct(texts, 50))}   "
              f"p99 {ms(pct(texts, 99))}")
        print(f"list {args.reports} reports, cached summaries:  p50 {ms(statistics.median(warm))}   "
              f"max {ms(max(warm))}")
        print(f"list {args.reports} reports, one stale row:     {ms(t_one_stale)}")
        print(f"list {args.reports} reports, all stale (load+check each): {ms(t_cold)}  "
              f"({t_cold / args.reports * 1000:.2f} ms per report)")
        print(f"load one report (with last year's), n=100:  p50 {ms(pct(loads, 50))}   p99 {ms(pct(loads, 99))}")
        print(f"add (import) {args.reports} reports: {ms(t_add)}  ({t_add / args.reports * 1000:.2f} ms each)")
        print(f"create a new database: {ms(t_create)}")
        for label, t in opens.items():
            print(f"{label}: {ms(t)}")


if __name__ == "__main__":
    main()
