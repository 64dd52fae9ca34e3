"""The 汇总 workspace in the window: the dashboard of a collection, sorted and filtered."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402

from gongkai_desktop.collection import texts as CT  # noqa: E402
from gongkai_desktop.collection.expected import ExpectedOrgan  # noqa: E402
from gongkai_desktop.collection.gather import Received  # noqa: E402
from gongkai_desktop.collection.store import open_collection  # noqa: E402
from gongkai_desktop.storage.store import Store  # noqa: E402

from region import region  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def office(tmp_path):
    rs = region(25, 2025, seed=11)
    rs[2].values[("requests", "new", "business")] += 4
    store = Store.open(tmp_path / "office.db", backups=False)
    coll = open_collection(store, 2025)
    coll.set_expected([ExpectedOrgan(r.meta.organ, r.meta.organ_type) for r in rs]
                      + [ExpectedOrgan("某某区迟迟未报局", "department")])
    coll.add([Received(Path(f"{i}.json"), copy.deepcopy(r)) for i, r in enumerate(rs)])
    yield store, rs
    store.close()


def _page(qtbot, store):
    from gongkai_desktop.ui.collection_page import CollectionPage
    from gongkai_desktop.ui.context import AppContext

    page = CollectionPage(AppContext(store))
    qtbot.addWidget(page)
    page.year.setValue(2025)
    page.resize(1366, 768)
    page.show()
    page.refresh()
    return page


def _column(page, header):
    return page.model.headers().index(header)


def _cells(page, header):
    col = _column(page, header)
    return [page.model.index(r, col).data() for r in range(page.model.rowCount())]


def test_worst_first_then_sortable_and_filterable(qtbot, office):
    store, rs = office
    page = _page(qtbot, store)
    assert page.model.rowCount() == 26
    statuses = _cells(page, CT.COL_STATUS)
    assert statuses[0] == CT.STATUS_MISSING and statuses[1] == CT.STATUS_ERRORS
    assert _cells(page, CT.COL_ORGAN)[1] == rs[2].meta.organ
    # Numbers sort as numbers, organ names in natural order.
    new_col = _column(page, "新收")
    page.view.sortByColumn(new_col, Qt.DescendingOrder)
    values = [int(v) for v in _cells(page, "新收") if v]
    assert values == sorted(values, reverse=True)
    page.view.sortByColumn(_column(page, CT.COL_ORGAN), Qt.AscendingOrder)
    names = [n for n in _cells(page, CT.COL_ORGAN) if n.startswith("某某区第")]
    assert names.index("某某区第2局") < names.index("某某区第11局")
    # Filter by status and by name.
    page.status.setCurrentText(CT.STATUS_ERRORS)
    assert _cells(page, CT.COL_ORGAN) == [rs[2].meta.organ]
    page.status.setCurrentIndex(0)
    page.search.setText("迟迟")
    assert _cells(page, CT.COL_ORGAN) == ["某某区迟迟未报局"]
    assert "未报送 1" in page.summary.text()


def test_double_click_asks_to_open_the_report(qtbot, office):
    store, rs = office
    page = _page(qtbot, store)
    page.view.sortByColumn(_column(page, CT.COL_STATUS), Qt.AscendingOrder)
    index = page.model.index(1, 0)
    with qtbot.waitSignal(page.open_requested) as blocker:
        page.view.doubleClicked.emit(index)
    assert store.load(blocker.args[0]).meta.organ == rs[2].meta.organ


def test_a_collected_report_opens_read_only_on_its_findings(qtbot, office):
    from gongkai_desktop.errors import ReportLocked
    from gongkai_desktop.ui.context import AppContext
    from gongkai_desktop.ui.main_window import MainWindow
    from gongkai_desktop.ui.open_report import LOCK_COLLECTED

    store, rs = office
    win = MainWindow(AppContext(store))
    qtbot.addWidget(win)
    win.show()
    win.show_collection()
    page = win.collection
    page.view.sortByColumn(_column(page, CT.COL_STATUS), Qt.AscendingOrder)
    page.view.doubleClicked.emit(page.model.index(1, 0))  # the organ with an arithmetic error
    doc = win.ctx.document
    assert doc is not None and doc.report.meta.organ == rs[2].meta.organ
    assert doc.lock == LOCK_COLLECTED and "报送" in doc.lock_text()
    with pytest.raises(ReportLocked):
        doc._refuse_if_locked()
    before = store.load(doc.id).sections["overview"]
    win.show_start()
    assert store.load(doc.id).sections["overview"] == before
