"""The supervising office's collection at scale (printed, never asserted): 1,000 organs' exchange
files imported, checked and summed (target ≤ 5 s), the dashboard built, the window's dashboard
opened and sorted (targets ≤ 0.5 s and ≤ 100 ms).

    python benchmarks/bench_collection.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gongkai_desktop.collection.gather import gather  # noqa: E402
from gongkai_desktop.collection.store import open_collection  # noqa: E402
from gongkai_desktop.storage import exchange  # noqa: E402
from gongkai_desktop.storage.store import Store  # noqa: E402
from region import region  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        t = time.perf_counter()
        reports = region(n, 2025)
        for i, r in enumerate(reports):
            exchange.dump_file(r, folder / f"{i:05d}.json")
        print(f"made {n} exchange files: {time.perf_counter() - t:.2f} s (setup, not timed below)")
        with Store.open(Path(tmp) / "office.db", backups=False) as store:
            coll = open_collection(store, 2025)
            t0 = time.perf_counter()
            received = gather([folder], workers=os.cpu_count() or 1)
            t1 = time.perf_counter()
            outcomes = coll.add(received, workers=os.cpu_count() or 1)  # as `gongkai collect` does
            t2 = time.perf_counter()
            board = coll.dashboard()
            t3 = time.perf_counter()
            agg = coll.aggregate()
            t4 = time.perf_counter()
            kept = sum(o.kept for o in outcomes)
            print(f"read {n} files: {t1 - t0:.2f} s; stored {kept}: {t2 - t1:.2f} s; "
                  f"dashboard (checks, near copies): {t3 - t2:.2f} s; sums: {t4 - t3:.3f} s")
            print(f"import + check + sum, total: {t4 - t0:.2f} s  (target ≤ 5 s)")
            t5 = time.perf_counter()
            coll.dashboard()
            print(f"dashboard again (from the store): {time.perf_counter() - t5:.2f} s")
            _window(store, len(board.rows))
        del agg


def _window(store, rows: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from gongkai_desktop.ui.collection_page import CollectionPage
    from gongkai_desktop.ui.context import AppContext

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(store)
    page = CollectionPage(ctx)
    page.year.blockSignals(True)
    page.year.setValue(2025)
    page.year.blockSignals(False)
    page.resize(1366, 768)
    t = time.perf_counter()
    page.refresh()
    page.show()
    app.processEvents()
    print(f"window: dashboard with {rows} rows shown: {time.perf_counter() - t:.2f} s  (target ≤ 0.5 s)")
    times = []
    for col in range(page.model.columnCount()):
        for order in (Qt.AscendingOrder, Qt.DescendingOrder):
            t = time.perf_counter()
            page.view.sortByColumn(col, order)
            app.processEvents()
            times.append(time.perf_counter() - t)
    times.sort()
    print(f"window: sort by a column, {len(times)} sorts: median {times[len(times) // 2] * 1000:.1f} ms, "
          f"max {times[-1] * 1000:.1f} ms  (target ≤ 100 ms)")
    page.close()


if __name__ == "__main__":
    main()
