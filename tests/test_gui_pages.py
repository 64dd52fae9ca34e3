"""Every page of the window, rendered headless and saved as a picture (set GONGKAI_SHOTS to a
folder to keep them), plus what a clerk would stumble on if it were wrong: each page fits a
1280 × 800 window, nothing is cut off, the navigator shows every part with its state."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gui_driver import Clerk

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

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
    assert [nav.item(i).text() for i in range(nav.count())][:3] == [
        T.NAV_META, doc.format.section("overview").nav, doc.format.section("proactive").nav]
    assert nav.item(2).text() == "二、主动公开"  # forms/' short name, not the heading
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


# ---------------------------------------------------------------------------------------------
# The start page of a supervising office: thousands of reports, refreshed by what changed


def _store_with(tmp_path, n: int):
    from gongkai_desktop.storage.store import Store
    from sample import full_report

    db = tmp_path / "reports.db"
    with Store.open(db, backups=False) as store:
        ids = [store.add(full_report(2020 + i % 5, organ=f"某某县第{i + 1}局")) for i in range(n)]
        store.list_reports()
    return db, ids


def test_back_to_the_list_refreshes_only_what_changed(qtbot, monkeypatch, tmp_path):
    db, ids = _store_with(tmp_path, 6)
    clerk = Clerk(qtbot, monkeypatch, db)
    win = clerk.start()
    start = win.start
    assert sorted(r.id for r in start.model.rows) == sorted(ids)
    years = [r.year for r in start.model.rows]
    assert years == sorted(years, reverse=True)  # newest year first, as sorted by the model
    rid = ids[2]
    win.open_report(rid)
    clerk.doc.set_cells([(("requests", "new", "natural_person"), 99999)])  # totals no longer add up
    calls = []
    real = win.ctx.store.list_reports
    monkeypatch.setattr(win.ctx.store, "list_reports", lambda **kw: calls.append(kw) or real(**kw))
    resets = []
    start.model.modelReset.connect(lambda: resets.append(True))
    win.show_start()
    assert calls and all(kw.get("changed_since") is not None for kw in calls)  # never the whole list
    assert resets == []
    assert start.selected_id() == rid  # back on the report just left
    row = start.model.rows[start.model.row_of(rid)]
    assert row.errors > 0
    assert "错误" in start.model.data(start.model.index(start.model.row_of(rid), 5))
    # a deleted report leaves the list without a full reload; the trash lists it
    win.ctx.store.delete(ids[0])
    start.refresh()
    assert ids[0] not in {r.id for r in start.model.rows} and resets == []
    start.toggle_trash()
    assert [r.id for r in start.model.rows] == [ids[0]]
    start.toggle_trash()
    assert len(start.model.rows) == 5


def test_the_list_sorts_itself_and_the_selection_follows(qtbot, monkeypatch, tmp_path):
    db, ids = _store_with(tmp_path, 5)
    clerk = Clerk(qtbot, monkeypatch, db)
    start = clerk.start().start
    start.select_id(ids[3])
    start.table.sortByColumn(0, Qt.AscendingOrder)  # 机关
    organs = [r.organ for r in start.model.rows]
    assert organs == sorted(organs)
    assert start.selected_id() == ids[3]
    start.table.sortByColumn(1, Qt.AscendingOrder)  # 年度
    assert [r.year for r in start.model.rows] == sorted(r.year for r in start.model.rows)
    assert start.selected_id() == ids[3]


def test_stale_summaries_are_recomputed_with_a_progress_dialog(qtbot, monkeypatch, tmp_path):
    import sqlite3

    from gongkai_desktop.ui import start_page as SP

    db, ids = _store_with(tmp_path, 3)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE reports SET summary_stale = summary_stale + 1, errors = 7, warnings = 7")
    conn.close()
    shown = []

    class Dialog(SP.QProgressDialog):
        def setValue(self, value):  # noqa: N802 - Qt API
            shown.append((value, self.maximum(), self.minimumDuration(), self.labelText()))
            super().setValue(value)

    monkeypatch.setattr(SP, "QProgressDialog", Dialog)
    clerk = Clerk(qtbot, monkeypatch, db)
    start = clerk.start().start
    assert shown[-1][:2] == (3, 3)
    assert {d for _, _, d, _ in shown} == {500}  # shown only when it takes more than half a second
    assert "3 / 3" in shown[-1][3]
    assert start.ctx.store.stale_count() == 0
    assert all((r.errors, r.warnings) != (7, 7) for r in start.model.rows)  # checked again, not the old counts


# ---------------------------------------------------------------------------------------------
# 基本信息: the 成文日期 says what is wrong, its example follows the report's year


@pytest.mark.parametrize("issued, says, not_says", [
    ((2021, 4, 15), "晚于 2021 年 3 月", "不在报告年度的次年"),  # the year is right: the month is the problem
    ((2022, 1, 5), "不在报告年度的次年", "晚于"),
])
def test_the_issue_date_warning_says_what_is_wrong(qtbot, monkeypatch, tmp_path, issued, says, not_says):
    from datetime import date

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    rid = win.ctx.store.create("某某市某某局", 2020)
    win.open_report(rid)
    clerk.doc.set_meta("issue_date", date(*issued))
    found = [f for f in clerk.doc.findings if f.rule_id == "M2"]
    assert len(found) == 1
    assert says in found[0].message and not_says not in found[0].message
    assert "2021年4月15日" in found[0].message or "2022年1月5日" in found[0].message


def test_the_issue_date_example_is_in_the_year_after_the_report(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    rid = win.ctx.store.create("某某市某某局", 2020)
    win.open_report(rid)
    page = clerk.page("meta")
    assert page.issue_date.placeholderText() == "如：2021年1月20日"
    assert "2021年1月20日" in page.guidance() and "2026" not in page.guidance()
    assert page.calendar.selectedDate().year() == 2021


# ---------------------------------------------------------------------------------------------
# Every dialog in Chinese (Linux: Qt's own file dialog, whatever LANG says)


@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_file_dialogs_are_chinese_with_dates_in_chinese_order(qtbot, tmp_path, mode):
    import re
    import sys

    from PySide6.QtWidgets import QAbstractButton, QHeaderView, QLabel

    from gongkai_desktop.ui import widgets as W
    from gongkai_desktop.ui.app import make_application

    if not sys.platform.startswith("linux"):
        pytest.skip("Windows and macOS show the system's own (Chinese) dialogs")
    make_application()
    (tmp_path / "某某局2025年度.json").write_text("{}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    d = W.file_dialog(None, T.IMPORT_TITLE, str(tmp_path), T.EXCHANGE_FILTER, mode)
    qtbot.addWidget(d)
    d.setViewMode(d.ViewMode.Detail)
    d.show()
    qtbot.waitExposed(d)
    proxy = d.proxyModel()
    root = proxy.mapFromSource(proxy.sourceModel().index(str(tmp_path)))
    qtbot.waitUntil(lambda: proxy.rowCount(root) > 0)  # the folder is read in the background
    words = [w.text() for w in d.findChildren(QLabel) + d.findChildren(QAbstractButton) if w.isVisible()]
    for header in d.findChildren(QHeaderView):
        if header.isVisible():
            words += [header.model().headerData(i, header.orientation()) or "" for i in range(header.count())]
    english = [w for w in words if re.search(r"[A-Za-z]{3,}", re.sub(r"\(\*[^)]*\)|&", "", w))]
    assert not english, english
    assert any("查找范围" in w for w in words) and any("名称" in w for w in words)
    # 修改日期 as 2026/12/1 (year first), not 「1 12 2026」
    dates = [proxy.data(proxy.index(r, 3, root)) for r in range(proxy.rowCount(root))]
    assert dates and all(re.match(r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}$", t) for t in dates), dates


# ---------------------------------------------------------------------------------------------
# 从上年结转新建


def test_carry_over_copies_the_opening_and_says_what_the_new_format_changes(qtbot, monkeypatch, tmp_path):
    from gongkai_desktop.report.formats import format_for_year, get_format
    from sample import full_report

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    src = full_report(2020)
    src.meta.opening = "本报告依据《中华人民共和国政府信息公开条例》编制。"
    rid = win.ctx.store.add(src)
    win.start.refresh(select=rid)
    win.start.carry_report()
    confirm = next(text for kind, title, text in clerk.shown if kind == "confirm")
    new = win.ctx.store.load(clerk.doc.id)
    assert new.meta.year == 2021 and new.meta.opening == src.meta.opening
    assert "开头段落" in confirm
    old_fmt, new_fmt = get_format(src.format_id), format_for_year(2021)
    assert old_fmt.id != new_fmt.id
    # what changes, in the formats' own words: 表二's columns, 表三's （六） sub-rows
    assert "表二的栏目改为" in confirm
    for c in new_fmt.tables["proactive"].columns():
        assert c.label in confirm
    assert "「（六）其他处理」" in confirm
    for row_id in ("other_no_correction", "other_no_fee"):
        assert new_fmt.tables["requests"].row(row_id).label in confirm
    # the carried cells named from the format's carry_over, not a copy of them
    carried = next(to for _, to in new_fmt.carry_pairs())
    assert new_fmt.tables["requests"].row(carried[1]).label in confirm
    # no format change: nothing about formats
    clerk.shown.clear()
    win.show_start()
    later = win.ctx.store.add(full_report(2023))
    win.start.refresh(select=later)
    win.start.carry_report()
    confirm = next(text for kind, title, text in clerk.shown if kind == "confirm")
    assert "格式" not in confirm and "开头段落" in confirm


def test_navigator_names_and_count_hints_come_from_the_formats(qtbot, monkeypatch, tmp_path):
    from gongkai_desktop.report.formats import all_formats

    for fmt in all_formats():
        assert all(s.nav and s.nav[0] == s.heading[0] for s in fmt.sections)  # 「三、…」 keeps its number
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    win.open_report(win.ctx.store.create("某某市某某局", 2024))
    fmt = clerk.doc.format
    names = [clerk.editor.nav.item(i).text() for i in range(clerk.editor.nav.count())]
    assert [s.nav for s in fmt.sections] == names[1:1 + len(fmt.sections)]
    for s in fmt.sections:
        if s.table is None:
            count = clerk.page(s.id).text.count.text()
            assert (s.length_hint in count) if s.length_hint else "（" not in count
    assert fmt.section("overview").length_hint == "宜约1000字"


def test_rule_content_on_the_meta_page_comes_from_the_rule_data(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    win.open_report(win.ctx.store.create("某某市某某局", 2024))
    page = clerk.page("meta")
    fmt = clerk.doc.format
    by_type = [r for r in fmt.rules if r.data.get("when", {}).get("organ_type")]
    assert {r.id for r in by_type} >= {"T3", "T5", "T6"}
    for r in by_type:
        assert r.title in page.organ_type_hint.text() and r.title in page.guidance()
    m1, m2 = fmt.rule("M2").data["months"]
    assert f"{m1}–{m2} 月" in page.date_hint.text()


def test_a_typed_value_is_parsed_once_on_its_way_to_the_store(qtbot, monkeypatch, tmp_path):
    from gongkai_desktop.report import values as V
    from gongkai_desktop.report.model import Report

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    win.open_report(win.ctx.store.create("某某市某某局", 2024))
    texts = []
    real_parse = Report.parse
    monkeypatch.setattr(Report, "parse", lambda self, key, text: texts.append(text) or real_parse(self, key, text))
    key = ("requests", "new", "natural_person")
    clerk.type_cell(key, "１,234")
    assert clerk.doc.report.values[key] == 1234
    assert win.ctx.store.load(clerk.doc.id).values[key] == 1234
    assert [t for t in texts if isinstance(t, str)] == ["１,234"]  # the text, parsed once
    assert len(texts) == 1
    # a parsed value that breaks a limit is still refused by the store, nothing written
    with pytest.raises(Exception):
        clerk.doc.set_cells([(key, V.MAX_VALUE + 1)])
    assert win.ctx.store.load(clerk.doc.id).values[key] == 1234


def test_the_window_declares_its_colours_once():
    """Every colour of the window is in ui/colors.py: a hex value or a named colour written in
    another module of ui/ would be a second declaration of one of them."""
    import re

    ui = Path(__file__).resolve().parents[1] / "gongkai_desktop" / "ui"
    literal = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b|(?:background|color|border):\s*(?:white|black|gr[ae]y)\b")
    found = {}
    for path in ui.rglob("*.py"):
        if path.name == "colors.py":
            continue
        hits = literal.findall(path.read_text(encoding="utf-8"))
        if hits:
            found[path.name] = hits
    assert not found
    from gongkai_desktop.ui import colors as C
    values = [v for v in vars(C).values() if isinstance(v, str) and v.startswith("#")]
    values += [v for d in (C.STATE, C.STATE_BG, C.FINDING_BG) for v in d.values()]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", v) for v in values)


def test_section_two_has_its_optional_text_box_like_three(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    win.open_report(win.ctx.store.create("某某市某某局", 2024))
    fmt = clerk.doc.format
    assert fmt.section("proactive").text == fmt.section("requests").text == "optional"
    three = clerk.page("requests")
    two = clerk.page("proactive")
    assert two.text is not None and three.text is not None
    assert type(two.text.parentWidget()) is type(three.text.parentWidget())  # the same box
    assert two.text.isVisible() and two.table.isVisible()
    clerk.type_text(two.text.edit, "本年度主动公开政府信息1268条。")
    two.flush()
    assert win.ctx.store.load(clerk.doc.id).sections["proactive"] == "本年度主动公开政府信息1268条。"


def test_many_stale_summaries_show_the_window_first_then_the_progress(qtbot, monkeypatch, tmp_path):
    import sqlite3

    from gongkai_desktop.ui import start_page as SP

    db, ids = _store_with(tmp_path, SP.STALE_AT_ONCE + 3)
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE reports SET summary_stale = summary_stale + 1")
    conn.close()
    parents = []

    class Dialog(SP.QProgressDialog):
        def __init__(self, *a):
            super().__init__(*a)
            parents.append(self.parentWidget())

    monkeypatch.setattr(SP, "QProgressDialog", Dialog)
    clerk = Clerk(qtbot, monkeypatch, db)
    win = _start_remembering(clerk, ids[4])
    start = win.start
    qtbot.waitUntil(lambda: len(start.model.rows) == len(ids))
    assert parents and parents[0] is win  # over the window, not before it
    assert start.selected_id() == ids[4]  # the report last worked on is still the one selected
    assert start.ctx.store.stale_count() == 0


def _start_remembering(clerk, last: int):
    from gongkai_desktop.ui.app import create_window
    from gongkai_desktop.ui.settings import Settings

    settings = Settings()
    settings.last_report = last
    clerk.win = create_window(str(clerk.db), settings)
    clerk.qtbot.addWidget(clerk.win)
    clerk.win.resize(1400, 900)
    clerk.win.show()
    return clerk.win


def test_the_words_before_a_table_can_be_dragged_away_on_a_low_screen(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start((910, 512))
    win.open_report(win.ctx.store.create("某某市某某局", 2024))
    page = clerk.page("requests")
    page.text_toggle.click()  # folded on so low a page: the clerk opens them
    QApplication.processEvents()
    split = page.split
    assert split.isCollapsible(0) and not split.isCollapsible(1)
    before = page.table.view.viewport().height()
    split.setSizes([0, sum(split.sizes())])
    QApplication.processEvents()
    assert split.sizes()[0] == 0 and page.table.view.viewport().height() > before


def test_the_print_dialog_is_chinese(qtbot):
    import re

    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    from gongkai_desktop.ui.app import make_application

    make_application()
    printer = QPrinter()
    d = QPrintDialog(printer)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    # hidden ones too: the options part (「打印页面」 …) opens on request
    words = [w.text() for w in d.findChildren(QLabel) + d.findChildren(QAbstractButton)]
    words += [w.title() for w in d.findChildren(QGroupBox)]
    words = [w for w in words if w]
    english = [w for w in words if re.search(r"[a-z]{2,}", w.replace("&", ""))]  # 「PDF」 is ours too
    assert not english, english


# ---------------------------------------------------------------------------------------------
# A laptop at 150 % (1366 × 768 is 910 × 512 logical): the table gets the height, the export
# page fits the width


def _body_rows_in_view(view) -> int:
    """Body rows of the table (below its header rows) wholly visible in the first view."""
    header_rows = view.model().header_rows
    bottom = view.viewport().height()
    return sum(1 for r in range(header_rows, view.model().rowCount())
               if 0 <= view.rowViewportPosition(r) and view.rowViewportPosition(r) + view.rowHeight(r) <= bottom)


def test_table_three_shows_its_rows_on_a_low_screen(qtbot, monkeypatch, tmp_path, shots):
    """At 150 % on 1366 × 768 the optional words before 表三 (here written) fold to one line so
    that at least six body rows show with their labels; opening them gives the words room."""
    from sample import full_report

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start((910, 512))
    rid = win.ctx.store.add(full_report(2025))
    win.open_report(rid)
    page = clerk.page("requests")
    clerk.settle(0.1)
    view = page.table.view
    assert page.text.edit.toPlainText()  # the sample has words before the table
    assert _body_rows_in_view(view) >= 6
    assert view.columnViewportPosition(0) == 0  # the labels in sight
    save(win, shots, "table-three-low")
    # the clerk opens the words: they show, and fold again on request
    toggle = page.text_toggle
    assert toggle.isVisible() and not page.text.edit.isVisible()
    toggle.click()
    clerk.settle(0.05)
    assert page.text.edit.isVisible()
    toggle.click()
    clerk.settle(0.05)
    assert not page.text.edit.isVisible()
    # 转到 a finding in the words opens them
    page.focus({"span": (0, 2)})
    clerk.settle(0.05)
    assert page.text.edit.isVisible()


def test_the_words_before_a_table_stay_open_when_there_is_room(qtbot, monkeypatch, tmp_path):
    from sample import full_report

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start((1280, 900))
    win.open_report(win.ctx.store.add(full_report(2025)))
    page = clerk.page("requests")
    clerk.settle(0.1)
    assert page.text.edit.isVisible()
    assert _body_rows_in_view(page.table.view) >= 6


@pytest.mark.parametrize("size", [(910, 512), (1160, 700)])
def test_the_export_page_fits_the_window_width(qtbot, monkeypatch, tmp_path, shots, size):
    """Nothing on the export page is cut on the right: the guidance panel steps aside when the
    page does not fit, the outputs wrap to the width, the file names wrap."""
    from sample import full_report

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start(size)
    win.open_report(win.ctx.store.add(full_report(2025)))
    page = clerk.page("export")
    clerk.settle(0.1)
    scroll = page.findChild(QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0  # never scrolls sideways
    right = scroll.viewport().mapTo(win, scroll.viewport().rect().topRight()).x()
    for w in [page.draft_banner, page.choose_btn, page.names, page.export_btn, page.package_btn,
              *page.checks.values()]:
        if w.isVisible():
            edge = w.mapTo(win, w.rect().topRight()).x()
            assert edge <= right and edge <= win.width(), w.objectName() or w.text()
    save(win, shots, f"export-{size[0]}")
    # the guidance panel comes back on a page that fits beside it
    clerk.page("overview")
    clerk.settle(0.05)
    assert clerk.editor.guide.isVisible()


def test_the_organ_column_gets_the_room_on_a_low_screen(qtbot, monkeypatch, tmp_path):
    """At 150 % the list showed 「【示例】某某市…」 while 格式 and 状态 kept their full width: the
    other columns give up width (down to their headings) so the organ's name shows."""
    from gongkai_desktop.ui.start_page import COLUMNS

    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start((910, 512))
    win.start.open_example()
    win.show_start()
    QApplication.processEvents()
    table = win.start.table
    organ = table.model().index(0, 0).data()
    assert organ.startswith("【示例】")
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance(organ)
    head = table.horizontalHeader().fontMetrics()
    for col in range(1, len(COLUMNS)):
        assert table.columnWidth(col) >= head.horizontalAdvance(COLUMNS[col]), COLUMNS[col]
    # a wide window: every column at its full width, the organ still stretching
    win.resize(1600, 900)
    QApplication.processEvents()
    widths = {col: table.columnWidth(col) for col in range(1, len(COLUMNS))}
    assert all(widths[c] >= w for c, (w, _) in win.start._column_widths.items())
