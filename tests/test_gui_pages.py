"""Every page of the window, rendered headless and saved as a picture (set GONGKAI_SHOTS to a
folder to keep them), plus what a clerk would stumble on if it were wrong: each page fits a
1280 × 800 window, nothing is cut off, the navigator shows every part with its state."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gui_driver import Clerk

from PySide6.QtWidgets import QApplication

from gongkai_desktop.ui import texts as T

pytestmark = pytest.mark.gui


@pytest.fixture
def shots(tmp_path):
    d = Path(os.environ.get("GONGKAI_SHOTS") or tmp_path / "shots")
    d.mkdir(parents=True, exist_ok=True)
    return d


def save(win, shots: Path, name: str) -> Path:
    for _ in range(3):
        QApplication.processEvents()
    path = shots / f"{name}.png"
    img = win.grab()
    assert img.save(str(path))
    assert img.width() > 600 and img.height() > 400
    return path


@pytest.mark.parametrize("size", [(1280, 800)])
def test_every_page_renders(qtbot, monkeypatch, tmp_path, shots, size):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start(size)
    save(win, shots, "01-start-empty")
    rid = win.start.open_example()
    assert rid is not None
    ed = clerk.editor
    # a few problems so the check page has something to show
    doc = clerk.doc
    doc.set_cells([(("requests", "new", "natural_person"), 999)])
    from datetime import date

    doc.set_meta("issue_date", date(2026, 6, 1))
    for i, nav_id in enumerate(ed.nav_ids()):
        ed.go(nav_id)
        page = ed.pages[nav_id]
        if nav_id == "print":
            clerk.wait(lambda: bool(page.images), timeout=60000)
        # the page heading is visible and not cut off
        assert page.heading.isVisibleTo(win) and page.heading.text()
        save(win, shots, f"{i + 2:02d}-{nav_id}")
    # 表四's 15 columns fit: the guidance panel made room for them
    ed.go("appeals")
    for _ in range(3):
        QApplication.processEvents()
    assert ed.pages["appeals"].overflow() == 0
    ed.go("overview")
    QApplication.processEvents()
    assert ed.guide.isVisible()
    # every navigator entry is fully visible without scrolling
    nav = ed.nav
    assert nav.verticalScrollBar().maximum() == 0
    assert [nav.item(i).text() for i in range(nav.count())][:2] == [T.NAV_META, T.NAV_SECTION["overview"]]
    # the start page with the list
    win.show_start()
    save(win, shots, "12-start-list")
    win.start.toggle_trash()
    save(win, shots, "13-trash")
    win.start.toggle_trash()
    # the new-report dialog
    from gongkai_desktop.ui.dialogs import NewReportDialog

    dlg = NewReportDialog(win)
    dlg.organ.setText("某某县人民政府")
    dlg.show()
    QApplication.processEvents()
    dlg.grab().save(str(shots / "14-new-report.png"))
    dlg.close()
    clerk.close()


def test_table_three_on_a_laptop_at_150_percent(qtbot, monkeypatch, tmp_path, shots):
    """1366 × 768 at 150 % is a 910 × 512 window in Qt's logical pixels (what QT_SCALE_FACTOR=1.5
    gives): the window fits, the guidance panel steps aside, the first view shows the row labels
    and they stay frozen while the values scroll sideways."""
    from sample import full_report

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start((910, 512))
    assert win.width() <= 910 and win.height() <= 512
    rid = win.ctx.store.add(full_report(2025))
    win.open_report(rid)
    page = clerk.page("requests")
    clerk.settle(0.1)
    ed, view = clerk.editor, page.table.view
    assert not ed.guide.isVisible()  # the table did not fit beside it
    assert view.horizontalScrollBar().value() == 0
    labels = page.table._model.label_cols
    first_label = next(c for c in page.table._model.cells if c.text.startswith("一、"))
    assert view.columnViewportPosition(first_label.col) == 0  # 「一、」 not cut
    assert view.frozen_width() == sum(view.columnWidth(c) for c in range(labels)) > 0
    bar = view.horizontalScrollBar()
    assert bar.maximum() > 0  # the values do not all fit: they scroll, the labels stay
    bar.setValue(bar.maximum())
    clerk.settle(0.05)
    assert view._frozen.isVisible()
    assert view._frozen.width() == view.frozen_width()
    save(win, shots, "table-150-percent")
