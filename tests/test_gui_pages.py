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
