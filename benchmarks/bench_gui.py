"""Window speed figures (printed, never asserted).

    python benchmarks/bench_gui.py [--runs 5]

- cold start: a fresh process (interpreter, imports, store, window) until the start page with
  the list of reports has been painted — measured from outside the process;
- opening a report: from the click to the first page painted;
- switching sections: every part of the report, first visit (the page is built) and later ones;
- typing: what one keystroke costs in a text section (nothing is written: saving waits for a
  400 ms pause) and what the save after the pause and one cell commit cost (a durable SQLite
  transaction plus a re-check).

Targets (issue 4): cold start under 1.5 s, opening and switching under 100 ms, typing never
waits on the disk. Runs headless (QT_QPA_PLATFORM=offscreen) unless DISPLAY is set and
--xcb is given. Everything happens in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

CHILD = r"""
import time, sys
t0 = time.perf_counter()
if sys.argv[2] == "packaged":
    sys.modules["numpy"] = None  # the frozen build excludes numpy (packaging/gongkai.spec)
from gongkai_desktop.ui.app import create_window, make_application
app = make_application()
w = create_window(sys.argv[1])
w.show()
from PySide6.QtWidgets import QApplication
QApplication.processEvents()
w.start.table.viewport().repaint()
QApplication.processEvents()
print("READY", time.perf_counter() - t0, len(w.start.model.rows), flush=True)
w.close()
"""


def ms(x: float) -> str:
    return f"{x * 1000:7.1f} ms"


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def make_db(folder: Path, n_reports: int = 30) -> Path:
    from gongkai_desktop.storage.store import Store
    from sample import full_report

    db = folder / "reports.db"
    with Store.open(db, backups=False) as store:
        for i in range(n_reports):
            year = 2019 + i % 7
            store.add(full_report(year, organ=f"某某市第{i // 7 + 1}局"))
        store.list_reports()  # fill the summary cache, as after the first start
    return db


def cold_start(db: Path, runs: int, env: dict, mode: str) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-c", CHILD, str(db), mode], capture_output=True, text=True, env=env,
                           cwd=ROOT, timeout=60)
        wall = time.perf_counter() - t
        line = next((ln for ln in p.stdout.splitlines() if ln.startswith("READY")), None)
        if line is None:
            raise SystemExit(f"the window did not start:\n{p.stderr}")
        out.append(wall)
    return out


def in_process(db: Path, runs: int) -> None:
    import gongkai_desktop.ui  # noqa: F401 - the None guard
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from gongkai_desktop.ui.app import create_window

    win = create_window(str(db))
    win.resize(1400, 900)
    win.show()
    QApplication.processEvents()
    ids = [r.id for r in win.start.model.rows]

    opens = []
    for i in range(runs * 2):
        win.show_start()
        QApplication.processEvents()
        rid = ids[i % len(ids)]
        t = time.perf_counter()
        win.open_report(rid)
        QApplication.processEvents()
        opens.append(time.perf_counter() - t)
    ed = win.editor
    first, later = {}, {}
    for nav_id in ed.nav_ids():
        t = time.perf_counter()
        ed.go(nav_id)
        QApplication.processEvents()
        first[nav_id] = time.perf_counter() - t
    # The print page renders its preview in a background thread; measuring switches while it runs
    # would measure the two threads sharing the interpreter, not switching.
    preview = ed.pages.get("print")
    deadline = time.perf_counter() + 30
    while preview is not None and getattr(preview, "busy", False) and time.perf_counter() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    for _ in range(runs):
        for nav_id in ed.nav_ids():
            if nav_id == "print":
                continue  # renders in the background; switching to it is measured in `first`
            t = time.perf_counter()
            ed.go(nav_id)
            QApplication.processEvents()
            later.setdefault(nav_id, []).append(time.perf_counter() - t)

    # typing in 一、总体情况
    page = ed.pages["overview"]
    page.text.edit.setFocus()
    keys = []
    for ch in "本年度主动公开政府信息一千二百六十八条" * 5:
        t = time.perf_counter()
        QApplication.sendEvent(page.text.edit, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
        keys.append(time.perf_counter() - t)
    writes_while_typing = page.text.timer.isActive()
    t = time.perf_counter()
    page.text.save()
    save = time.perf_counter() - t
    doc = win.ctx.document
    cells = []
    for v in range(runs * 4):
        t = time.perf_counter()
        doc.set_cells([(("requests", "new", "natural_person"), 100 + v)])
        cells.append(time.perf_counter() - t)
    check = doc.check_seconds
    win.close()

    print(f"open a report (click → first page painted): median {ms(statistics.median(opens))}, "
          f"max {ms(max(opens))}")
    print("switch to a part, first visit (page built):")
    for k, v in first.items():
        print(f"    {k:10s} {ms(v)}")
    print("switch to a part, later visits (median / max):")
    for k, v in later.items():
        print(f"    {k:10s} {ms(statistics.median(v))} / {ms(max(v))}")
    print(f"one keystroke in a text section: median {ms(statistics.median(keys))}, p99 {ms(pct(keys, 99))}, "
          f"max {ms(max(keys))} (saving deferred until the pause: {writes_while_typing})")
    print(f"the save after the pause (store + re-check): {ms(save)}")
    print(f"one cell commit (parse + store + re-check + repaint): median {ms(statistics.median(cells))}, "
          f"max {ms(max(cells))}; the check itself {ms(check)}")


def make_big_db(folder: Path, n_reports: int) -> Path:
    """A supervising office's store: ``n_reports`` reports (fourteen real ones, cloned in SQL —
    adding ten thousand one by one would take minutes), summaries cached as after a first start."""
    import sqlite3

    from gongkai_desktop.storage.store import Store
    from sample import full_report

    db = folder / f"reports-{n_reports}.db"
    with Store.open(db, backups=False) as store:
        seeds = [store.add(full_report(2019 + i % 7, organ=f"某某县第{i + 1}局")) for i in range(min(14, n_reports))]
        store.list_reports()
    conn = sqlite3.connect(db)
    cols = [r[1] for r in conn.execute("PRAGMA table_info(reports)") if r[1] not in ("id", "uid", "organ")]
    children = [t for t in ("cells", "declared", "sections", "explanations") if conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (t,)).fetchone()]
    child_cols = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] != "report_id"] for t in children}
    with conn:
        for i in range(len(seeds), n_reports):
            src = seeds[i % len(seeds)]
            cur = conn.execute(
                f"INSERT INTO reports (uid, organ, {', '.join(cols)}) SELECT lower(hex(randomblob(16))), ?, "
                f"{', '.join(cols)} FROM reports WHERE id = ?", (f"某某市某某区第{i + 1}个单位", src))
            for t in children:
                c = ", ".join(child_cols[t])
                conn.execute(f"INSERT INTO {t} (report_id, {c}) SELECT ?, {c} FROM {t} WHERE report_id = ?",
                             (cur.lastrowid, src))
    conn.close()
    return db


def start_page(sizes: list[int], folder: Path, runs: int, stale: bool = False) -> None:
    """The start page of a supervising office's store: the window with the list painted, the
    list after every summary went stale (a new program version), and back to the list from a
    report."""
    import sqlite3

    from PySide6.QtWidgets import QApplication

    from gongkai_desktop.ui.app import create_window

    from gongkai_desktop.storage.store import Store

    for n in sizes:
        db = make_big_db(folder, n)
        with Store.open(db, backups=False) as store:
            store.refresh_summaries()  # as after a first start (a changed rule or format file marks all stale)
        opens, backs = [], []
        for _ in range(runs):
            t = time.perf_counter()
            win = create_window(str(db))
            win.resize(1400, 900)
            win.show()
            QApplication.processEvents()
            win.start.table.viewport().repaint()
            opens.append(time.perf_counter() - t)
            assert len(win.start.model.rows) == n, len(win.start.model.rows)
            rid = win.start.model.rows[n // 2].id
            win.open_report(rid)
            QApplication.processEvents()
            win.ctx.document.set_cells([(("requests", "new", "natural_person"), 100 + len(backs))])
            t = time.perf_counter()
            win.show_start()
            QApplication.processEvents()
            win.start.table.viewport().repaint()
            backs.append(time.perf_counter() - t)
            assert win.start.selected_id() == rid
            win.close()
            QApplication.processEvents()
        print(f"start page, {n:6d} reports: window with the list {ms(statistics.median(opens))} (median of {runs}, "
              f"max {ms(max(opens))}); back to the list after an edit {ms(statistics.median(backs))} "
              f"(max {ms(max(backs))})", flush=True)
        if stale:
            conn = sqlite3.connect(db)
            with conn:
                conn.execute("UPDATE reports SET summary_stale = summary_stale + 1")
            conn.close()
            t = time.perf_counter()
            win = create_window(str(db))
            win.show()
            QApplication.processEvents()
            took = time.perf_counter() - t
            win.close()
            QApplication.processEvents()
            print(f"start page, {n:6d} reports, every summary stale (all checked again, progress dialog): "
                  f"{took:6.1f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reports", type=int, nargs="*", metavar="N",
                    help="only the start page of stores with N reports (e.g. --reports 1000 10000)")
    ap.add_argument("--stale", action="store_true", help="with --reports: also the list after every summary went stale")
    ap.add_argument("--xcb", action="store_true", help="use the real display (DISPLAY) instead of offscreen")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ)
        env["GONGKAI_SETTINGS"] = str(tmp / "settings.ini")
        env["GONGKAI_CACHE_DIR"] = str(tmp / "cache")
        env["PYTHONPATH"] = str(ROOT)
        if not args.xcb:
            env["QT_QPA_PLATFORM"] = "offscreen"
        os.environ.update({k: env[k] for k in ("GONGKAI_SETTINGS", "GONGKAI_CACHE_DIR")})
        os.environ.setdefault("QT_QPA_PLATFORM", env.get("QT_QPA_PLATFORM", "offscreen"))
        if args.reports:
            start_page(args.reports, tmp, args.runs, args.stale)
            return
        db = make_db(tmp)
        cold_start(db, 1, env, "dev")  # compile the .pyc files once, as an installed program has them
        for mode, what in (("dev", "this checkout"), ("packaged", "as frozen, without numpy")):
            starts = cold_start(db, args.runs, env, mode)
            print(f"cold start to a usable window, {what} ({len(starts)} runs, 30 reports listed): "
                  f"median {ms(statistics.median(starts))}, max {ms(max(starts))}")
        in_process(db, args.runs)


if __name__ == "__main__":
    main()
