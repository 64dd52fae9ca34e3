"""Store timings for a clerk's store and a supervising office's: one committed edit (p50/p99),
listing 1,000 and 10,000 reports (cached, after one edit, only what changed), recomputing every
summary (with progress), opening the file with backups on.

    python benchmarks/bench_store.py [--reports 1000 10000] [--edits 2000] [--sync FULL|NORMAL]

Everything happens in a temporary folder; the real user data directory is never touched.
Targets: an edit under 5 ms at p99; the window lists 1,000 reports in ≤ 0.3 s and 10,000 in
≤ 1 s including Qt, so the store's part must be a fraction of that; back to the list ≤ 0.1 s
(``list_reports(changed_since=…)``); opening must not wait for the hourly backup.
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

from gongkai_desktop.storage import backups as backups_mod  # noqa: E402
from gongkai_desktop.storage import store as store_mod  # noqa: E402
from gongkai_desktop.storage.store import Store  # noqa: E402
from sample import full_report  # noqa: E402

NEW_NP = ("requests", "new", "natural_person")


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def ms(x: float) -> str:
    return f"{x * 1000:9.2f} ms"


def timed(fn, n: int = 1) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def bench(n_reports: int, n_edits: int, sync: str, checker) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.db"
        os.environ["GONGKAI_DB"] = str(path)

        t0 = time.perf_counter()
        s = Store.open(path, checker=checker)
        t_create = time.perf_counter() - t0
        templates = {y: full_report(y, "模板") for y in range(2019, 2026)}
        t0 = time.perf_counter()
        ids = []
        for i in range(n_reports):
            year = 2019 + i % 7
            r = templates[year]
            r.meta.organ = f"某某市第{i // 7}局"
            r.uid = os.urandom(16).hex()
            ids.append(s.add(r))
        t_add = time.perf_counter() - t0

        t0 = time.perf_counter()
        listed = s.list_reports()  # every summary stale: load + check each, inline
        t_cold = time.perf_counter() - t0
        assert len(listed) == n_reports
        warm = timed(s.list_reports, 20)

        # the same recomputation through refresh_summaries (what the window runs with a progress bar)
        s._conn.execute("UPDATE reports SET summary_stale = 1")
        s._memo.clear()
        ticks = []
        t0 = time.perf_counter()
        s.refresh_summaries(progress=lambda done, total: ticks.append(done))
        t_refresh = time.perf_counter() - t0

        rid = ids[len(ids) // 2]
        edits = []
        for i in range(n_edits):
            t0 = time.perf_counter()
            s.set_value(rid, NEW_NP, i)
            edits.append(time.perf_counter() - t0)
        texts = []
        for i in range(200):
            t0 = time.perf_counter()
            s.set_section(rid, "overview", "正文" * 500 + str(i), base=None)
            texts.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        s.list_reports()  # the edited report (and its next year's) recomputed
        t_one_stale = time.perf_counter() - t0

        counter = s.change_counter()
        s.set_value(rid, NEW_NP, 1)
        t0 = time.perf_counter()
        changed = s.list_reports(changed_since=counter)
        t_changed = time.perf_counter() - t0
        t_counter = statistics.median(timed(s.change_counter, 50))

        loads: list[float] = []
        for i in ids[:100]:
            t0 = time.perf_counter()
            s.load(i)
            loads.append(time.perf_counter() - t0)
        s.close()
        size = path.stat().st_size

        opens = {}
        for label, backups in (("open, first backup of the day due", True), ("open, backup already taken", True),
                               ("open, backups=False", False)):
            t0 = time.perf_counter()
            s = Store.open(path, backups=backups, checker=checker)
            opened = time.perf_counter() - t0
            s.wait_for_backup()
            done = time.perf_counter() - t0
            opens[label] = (opened, done)
            s.close()
        kept = backups_mod.list_backups(path)

        print(f"--- {n_reports} reports: database {size / 1e6:.1f} MB, synchronous={sync}, "
              f"checker={'the rules' if checker is None else 'none (store only)'}")
        print(f"one committed edit (set_value), n={n_edits}:  p50 {ms(pct(edits, 50))}   "
              f"p99 {ms(pct(edits, 99))}   max {ms(max(edits))}")
        print(f"one committed section edit (1 kB text), n=200: p50 {ms(pct(texts, 50))}   "
              f"p99 {ms(pct(texts, 99))}")
        print(f"list {n_reports}, cached summaries:        p50 {ms(statistics.median(warm))}   max {ms(max(warm))}")
        print(f"list {n_reports}, after one edit:          {ms(t_one_stale)}")
        print(f"list changed_since (one edited, {len(changed)} rows):  {ms(t_changed)}   "
              f"change_counter() {ms(t_counter)}")
        print(f"list {n_reports}, all stale (load+check each, inline): {ms(t_cold)}  "
              f"({t_cold / n_reports * 1000:.2f} ms per report)")
        print(f"refresh_summaries, all stale, {len(ticks)} progress calls: {ms(t_refresh)}")
        print(f"load one report (with last year's), n=100:  p50 {ms(pct(loads, 50))}   p99 {ms(pct(loads, 99))}")
        print(f"add (import) {n_reports} reports: {ms(t_add)}  ({t_add / n_reports * 1000:.2f} ms each)")
        print(f"create a new database: {ms(t_create)}")
        for label, (opened, done) in opens.items():
            print(f"{label}: returns after {ms(opened)}; backup finished after {ms(done)}")
        print(f"backups kept: {len(kept)}, {sum(p.stat().st_size for p in kept) / 1e6:.1f} MB "
              f"(budget {backups_mod.budget(size) / 1e6:.0f} MB)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--edits", type=int, default=2000)
    ap.add_argument("--sync", choices=("FULL", "NORMAL"), default=store_mod.SYNCHRONOUS,
                    help="PRAGMA synchronous to measure (the store uses %(default)s)")
    ap.add_argument("--checker", choices=("rules", "none"), default="rules",
                    help="summaries with the real rules, or a no-op checker to time the store alone")
    args = ap.parse_args()
    store_mod.SYNCHRONOUS = args.sync
    checker = None if args.checker == "rules" else (lambda report: (0, 0))
    for n in args.reports:
        bench(n, args.edits, args.sync, checker)


if __name__ == "__main__":
    main()
