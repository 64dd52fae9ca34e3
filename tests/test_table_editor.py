"""The statistics table editor (gongkai_desktop/ui/table_editor.py), driven like a clerk would."""

from __future__ import annotations

import os
from decimal import Decimal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QGuiApplication, QHelpEvent, QImage, QInputMethodEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from gongkai_desktop import texts as CT
from gongkai_desktop.report import values as V
from gongkai_desktop.errors import ReportLocked
from gongkai_desktop.report.formats import get_format
from gongkai_desktop.report.model import Report
from gongkai_desktop.report.rules import Finding, check
from gongkai_desktop.ui import table_editor as TE
from gongkai_desktop.ui import widgets as W
from gongkai_desktop.ui.table_editor import TableEditor

YEAR = {"gb2019": 2020, "gb2021": 2023}


class Harness:
    def __init__(self, qtbot, report: Report, table: str, fail: Exception | None = None):
        self.report = report
        self.calls: list[list] = []
        self.messages: list[str] = []
        self.units: list[tuple[str, str]] = []
        self.fail = fail

        def commit(changes):
            if self.fail is not None:
                raise self.fail
            self.calls.append(list(changes))
            for key, value in changes:
                self.report.values[key] = value

        self.ed = TableEditor(report, table, commit)
        self.ed.message.connect(self.messages.append)
        self.ed.unit_changed.connect(self._unit)
        qtbot.addWidget(self.ed)
        self.ed.resize(1000, 700)
        self.ed.show()
        qtbot.waitExposed(self.ed)
        with qtbot.waitActive(self.ed):
            self.ed.activateWindow()
        self.view = self.ed.view
        self.model = self.view.model()
        self.qtbot = qtbot

    def _unit(self, key: str, unit: str) -> None:
        self.units.append((key, unit))
        self.report.meta.units[key] = unit

    # -- helpers ----------------------------------------------------------------------------
    def index(self, key):
        cell = self.model.by_key[key]
        return self.model.index(cell.row, cell.col)

    def shown(self, key) -> str:
        return self.model.data(self.index(key), Qt.DisplayRole)

    def go(self, key) -> None:
        self.ed.focus_cell(key)
        assert self.ed.current_key() == key

    def type(self, text: str, finish=Qt.Key_Return) -> None:
        """Type into the current cell as from a keyboard, then press ``finish`` in the editor."""
        self.qtbot.keyClick(self.view, text[0])
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit), "typing should open the cell editor"
        if text[1:]:
            self.qtbot.keyClicks(editor, text[1:])
        self.qtbot.keyClick(editor, finish)

    def key(self, key, modifier=Qt.NoModifier) -> None:
        self.qtbot.keyClick(self.view, key, modifier)


@pytest.fixture
def make(qtbot):
    def make(format_id: str = "gb2021", table: str = "requests", report: Report | None = None, **kw) -> Harness:
        report = report or Report.new("某某市某某局", YEAR[format_id])
        return Harness(qtbot, report, table, **kw)
    return make


def R(row, col):  # noqa: N802 - a table 三 key
    return ("requests", row, col)


# ---------------------------------------------------------------------------------------------
# Layout


@pytest.mark.parametrize("format_id", ["gb2019", "gb2021"])
def test_spans_and_cells_follow_the_grid(make, format_id):
    fmt = get_format(format_id)
    for table_id, table in fmt.tables.items():
        h = make(format_id, table_id)
        grid = table.grid
        assert (h.model.rowCount(), h.model.columnCount()) == (grid.n_rows, grid.n_cols)
        assert h.view.horizontalHeader().isHidden() and h.view.verticalHeader().isHidden()
        for cell in grid.cells:
            assert h.view.rowSpan(cell.row, cell.col) == cell.rowspan, cell
            assert h.view.columnSpan(cell.row, cell.col) == cell.colspan, cell
            index = h.model.index(cell.row, cell.col)
            editable = bool(h.model.flags(index) & Qt.ItemIsEditable)
            if cell.value is None:
                assert not editable
                assert h.model.data(index, Qt.DisplayRole).replace("\n", "") == cell.text
                assert h.model.data(index, Qt.BackgroundRole) == TE.HEADER_BG
            else:
                assert editable == (cell.value not in fmt.derived)
                if cell.value in fmt.derived:
                    assert h.model.data(index, Qt.BackgroundRole) == TE.DERIVED_BG
                    assert "由软件自动计算" in h.model.data(index, Qt.ToolTipRole)
        # every column and row is visible and gets some room
        assert all(h.view.columnWidth(c) > 10 for c in range(grid.n_cols))
        assert all(h.view.rowHeight(r) > 10 for r in range(grid.n_rows))


def test_row_labels_get_more_room_than_value_columns(make):
    h = make("gb2021", "requests")
    label = h.view.columnWidth(2)  # the 1.属于国家秘密 … column
    value = h.view.columnWidth(3)
    assert label > 2 * value
    # a long label wraps: its row is taller than a plain row
    long_row = h.model.by_key[R("other_no_fee", "natural_person")].row
    plain_row = h.model.by_key[R("disclosed", "natural_person")].row
    assert h.view.rowHeight(long_row) > h.view.rowHeight(plain_row)


def test_glossary_terms_have_help_texts(make):
    h = make("gb2021", "requests")
    gloss = get_format("gb2021").glossary
    tips = {c.text: h.model.data(h.model.index(c.row, c.col), Qt.ToolTipRole)
            for c in h.model.cells if c.value is None}
    assert gloss["三安全一稳定"] in tips["3.危及“三安全一稳定”"]
    assert gloss["三类内部事务信息"] in tips["5.属于三类内部事务信息"]
    assert gloss["四类过程性信息"] in tips["6.属于四类过程性信息"]
    assert tips["1.属于国家秘密"] is None


@pytest.mark.parametrize("format_id,table", [("gb2021", "proactive"), ("gb2021", "requests"),
                                             ("gb2021", "appeals"), ("gb2019", "proactive")])
def test_screenshot(make, tmp_path, format_id, table):
    h = make(format_id, table)
    h.ed.set_findings(check(h.report))
    image = h.ed.grab()
    assert not image.isNull() and image.width() > 200
    assert image.save(str(tmp_path / f"table_editor_{table}.png"))


# ---------------------------------------------------------------------------------------------
# Typing


def test_typed_values_are_committed_and_totals_follow(make):
    h = make()
    h.go(R("new", "natural_person"))
    h.type("12")
    assert h.calls == [[(R("new", "natural_person"), 12)]]
    assert h.ed.current_key() == R("carried", "natural_person")  # Enter moves down
    h.type("3")
    assert h.calls[-1] == [(R("carried", "natural_person"), 3)]
    assert h.shown(R("new", "natural_person")) == "12"
    assert h.shown(R("new", "total")) == "12"  # 总计 column
    h.go(R("new", "business"))
    h.type("4")
    assert h.shown(R("new", "total")) == "16"


def test_full_width_digits_from_the_keyboard_and_the_input_method(make):
    h = make()
    h.go(R("new", "natural_person"))
    # A key event carrying full-width text, as a Chinese keyboard layout sends it.
    QApplication.sendEvent(h.view, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, "１"))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    QApplication.sendEvent(editor, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, "２"))
    assert editor.text() == "１２"
    h.qtbot.keyClick(editor, Qt.Key_Return)
    assert h.calls == [[(R("new", "natural_person"), 12)]]
    # An input method commits a string to the view: editing starts with it.
    h.go(R("new", "business"))
    ev = QInputMethodEvent()
    ev.setCommitString("３４")
    QApplication.sendEvent(h.view, ev)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "３４"
    h.qtbot.keyClick(editor, Qt.Key_Return)
    assert h.calls[-1] == [(R("new", "business"), 34)]


def test_input_method_composition_reaches_the_editor(make):
    """The first 拼音 composition opens the editor and is not lost (QTBUG-54848)."""
    h = make()
    h.go(R("new", "natural_person"))
    QApplication.sendEvent(h.view, QInputMethodEvent("yi", []))
    editor = h.view.indexWidget(h.index(R("new", "natural_person")))
    assert isinstance(editor, QLineEdit)
    done = QInputMethodEvent()
    done.setCommitString("一")
    QApplication.sendEvent(editor, done)
    assert editor.text() == "一"
    h.qtbot.keyClick(editor, Qt.Key_Return)
    assert h.calls == [] and "不是数字" in h.messages[-1]


def test_new_findings_do_not_disturb_typing(make):
    h = make()
    key = R("new", "natural_person")
    h.go(key)
    h.qtbot.keyClick(h.view, "1")
    editor = h.view.indexWidget(h.index(key))
    h.qtbot.keyClicks(editor, "2")
    h.ed.set_findings([Finding("X9", "error", "请核对。", "X9", (key,))])  # a debounced check lands
    h.ed.refresh()
    assert editor.text() == "12"
    h.qtbot.keyClick(editor, Qt.Key_Return)
    assert h.calls == [[(key, 12)]]


def test_typing_replaces_and_f2_edits_the_old_value(make):
    h = make()
    h.report.values[R("new", "natural_person")] = 5
    h.ed.refresh()
    h.go(R("new", "natural_person"))
    h.type("7")
    assert h.calls[-1] == [(R("new", "natural_person"), 7)]
    h.go(R("new", "natural_person"))
    h.key(Qt.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "7"
    h.qtbot.keyClicks(editor, "0")
    h.qtbot.keyClick(editor, Qt.Key_Return)
    assert h.calls[-1] == [(R("new", "natural_person"), 70)]


def test_unchanged_value_is_not_committed(make):
    h = make()
    h.report.values[R("new", "natural_person")] = 5
    h.ed.refresh()
    h.go(R("new", "natural_person"))
    h.type("5")
    assert h.calls == []
    assert h.ed.current_key() == R("carried", "natural_person")


@pytest.mark.parametrize("junk", ["abc", "/", "-3"])
def test_junk_is_refused_at_the_cell(make, junk):
    h = make()
    h.report.values[R("new", "natural_person")] = 5
    h.ed.refresh()
    h.go(R("new", "natural_person"))
    h.type(junk)
    assert h.calls == []
    assert h.shown(R("new", "natural_person")) == "5"
    assert h.report.values[R("new", "natural_person")] == 5
    assert h.ed.current_key() == R("new", "natural_person")  # stays for a retry
    assert h.messages and junk in h.messages[-1]
    assert "自然人" in h.messages[-1] or "数字" in h.messages[-1] or "「/」" in h.messages[-1]


def test_negative_allowed_where_the_format_allows_it(make):
    h = make("gb2019", "proactive")
    h.go(("proactive", "licensing", "change"))
    h.type("-3")
    assert h.calls == [[(("proactive", "licensing", "change"), -3)]]


def test_money_keeps_decimals_and_shows_its_unit(make):
    h = make("gb2021", "proactive")
    key = ("proactive", "fees", "fee_amount")
    h.go(key)
    h.type("0.092")
    assert h.calls == [[(key, Decimal("0.092"))]]
    assert h.shown(key) == "0.092"
    assert h.model.data(h.index(key), TE.UNIT_ROLE) == "万元"


def test_commit_failure_keeps_the_old_display(make):
    h = make(fail=ReportLocked(CT.REPORT_FINAL))
    h.go(R("new", "natural_person"))
    h.type("9")
    assert h.messages[-1] == CT.REPORT_FINAL
    assert h.shown(R("new", "natural_person")) == ""
    assert h.report.values[R("new", "natural_person")] is None


def test_derived_cells_are_not_editable(make):
    h = make()
    h.go(R("new", "total"))
    assert not h.model.flags(h.index(R("new", "total"))) & Qt.ItemIsEditable
    h.qtbot.keyClick(h.view, "5")
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    assert h.calls == []
    assert "自动计算" in h.messages[-1]
    h.ed.paste("5")
    assert h.calls == []


# ---------------------------------------------------------------------------------------------
# Keyboard navigation


def test_tab_enter_and_arrows_skip_headers_and_totals(make):
    h = make()
    h.go(R("new", "other_org"))
    h.key(Qt.Key_Tab)  # the 总计 column is skipped, Tab wraps to the next row
    assert h.ed.current_key() == R("carried", "natural_person")
    h.key(Qt.Key_Backtab)
    assert h.ed.current_key() == R("new", "other_org")
    h.key(Qt.Key_Right)  # nothing editable to the right: stays
    assert h.ed.current_key() == R("new", "other_org")
    h.key(Qt.Key_Left)
    assert h.ed.current_key() == R("new", "legal_service")
    h.go(R("other_other", "natural_person"))
    h.key(Qt.Key_Down)  # （七）总计 is skipped
    assert h.ed.current_key() == R("carry_forward", "natural_person")
    h.key(Qt.Key_Return)  # last row: stays
    assert h.ed.current_key() == R("carry_forward", "natural_person")
    h.key(Qt.Key_Up)
    assert h.ed.current_key() == R("other_other", "natural_person")


def test_tab_in_the_editor_commits_and_moves_right(make):
    h = make()
    h.go(R("new", "natural_person"))
    h.type("1", finish=Qt.Key_Tab)
    assert h.ed.current_key() == R("new", "business")
    h.type("2", finish=Qt.Key_Backtab)
    assert h.ed.current_key() == R("new", "natural_person")
    assert h.calls == [[(R("new", "natural_person"), 1)], [(R("new", "business"), 2)]]


def test_navigation_through_merged_value_cells(make):
    h = make("gb2021", "proactive")
    h.go(("proactive", "rules", "repealed"))
    order = []
    for _ in range(5):
        h.key(Qt.Key_Down)
        order.append(h.ed.current_key()[1:])
    assert order == [("normative", "repealed"), ("licensing", "decisions"), ("penalty", "decisions"),
                     ("coercion", "decisions"), ("fees", "fee_amount")]


def test_appeals_tab_skips_the_totals(make):
    h = make("gb2021", "appeals")
    h.go(("appeals", "counts", "review_pending"))
    h.key(Qt.Key_Tab)
    assert h.ed.current_key() == ("appeals", "counts", "direct_upheld")


# ---------------------------------------------------------------------------------------------
# Clipboard


def test_paste_block_from_excel(make):
    h = make()
    h.go(R("new", "natural_person"))
    # 3 rows × 4 columns, Windows line ends, a trailing newline, a quoted cell, one junk cell.
    block = '10\t"1,234"\t0\t1\r\n2\tabc\t0\t0\r\n３\t4\t5\t6\r\n'
    QGuiApplication.clipboard().setText(block)
    h.key(Qt.Key_V, Qt.ControlModifier)
    assert len(h.calls) == 1
    changes = dict(h.calls[0])
    assert len(changes) == 11
    assert changes[R("new", "natural_person")] == 10
    assert changes[R("new", "business")] == 1234
    assert changes[R("carried", "natural_person")] == 2
    assert changes[R("disclosed", "natural_person")] == 3
    assert changes[R("disclosed", "public_interest")] == 6
    assert R("carried", "business") not in changes
    message = h.messages[-1]
    assert message.startswith("已粘贴 11 个单元格，1 个被拒绝")
    assert "表三「二、上年结转政府信息公开申请数量」「商业企业」" in message and "abc" in message
    assert h.shown(R("new", "total")) == "1245"


def test_paste_skips_totals_unless_the_block_carries_them(make):
    h = make("gb2021", "appeals")
    h.go(("appeals", "counts", "review_upheld"))
    h.ed.paste("\t".join(str(i) for i in range(1, 13)) + "\n")  # 12 numbers: the typed cells
    got = dict(h.calls[-1])
    assert got[("appeals", "counts", "direct_upheld")] == 5
    assert got[("appeals", "counts", "after_review_pending")] == 12
    # 15 numbers: copied from a filled-in form, totals included → the totals stay in place.
    h.ed.paste("1\t2\t3\t4\t10\t5\t6\t7\t8\t26\t9\t10\t11\t12\t42\n")
    got = dict(h.calls[-1])
    assert got[("appeals", "counts", "direct_upheld")] == 5
    assert got[("appeals", "counts", "after_review_pending")] == 12
    assert ("appeals", "counts", "review_total") not in got
    assert "合计" in h.messages[-1]


def test_paste_over_the_total_row(make):
    h = make()
    rows = [r.id for r in get_format("gb2021").table("requests").rows()]
    h.go(R("new", "natural_person"))
    # The whole 自然人 column of a filled-in form, （七）总计 included: 25 values.
    h.ed.paste("\n".join(str(i) for i in range(len(rows))))
    got = dict(h.calls[-1])
    assert got[R("carry_forward", "natural_person")] == len(rows) - 1
    assert R("total", "natural_person") not in got
    # Without the total row (24 values) the last value still lands in 四、结转下年度继续办理.
    h.ed.paste("\n".join(str(i + 100) for i in range(len(rows) - 1)))
    got = dict(h.calls[-1])
    assert got[R("carry_forward", "natural_person")] == 100 + len(rows) - 2


def test_paste_outside_the_table_is_reported(make):
    h = make()
    h.go(R("carry_forward", "other_org"))
    h.ed.paste("1\t2\n3\t4\n")
    assert h.calls == [[(R("carry_forward", "other_org"), 1)]]
    assert "超出表格范围" in h.messages[-1]


def test_single_value_fills_the_selection(make):
    h = make()
    h.go(R("new", "natural_person"))
    h.key(Qt.Key_Right, Qt.ShiftModifier)
    h.key(Qt.Key_Down, Qt.ShiftModifier)
    h.ed.paste("0\n")
    assert sorted(k for k, _ in h.calls[-1]) == sorted([R("new", "natural_person"), R("new", "business"),
                                                        R("carried", "natural_person"), R("carried", "business")])


def test_delete_clears_the_selection_in_one_commit(make):
    h = make()
    for col in ("natural_person", "business", "total"):
        if col != "total":
            h.report.values[R("new", col)] = 3
    h.ed.refresh()
    h.go(R("new", "natural_person"))
    for _ in range(7):
        h.key(Qt.Key_Right, Qt.ShiftModifier)  # selection runs into the 总计 column
    sel = h.view.selectionModel()
    sel.select(h.index(R("new", "total")), sel.SelectionFlag.Select)
    h.key(Qt.Key_Delete)
    assert h.calls == [[(R("new", "natural_person"), None), (R("new", "business"), None)]]
    assert h.shown(R("new", "total")) == "0"


def test_copy_selection_as_tsv(make):
    h = make()
    h.report.values[R("new", "natural_person")] = 1
    h.report.values[R("new", "business")] = 2
    h.report.values[R("carried", "natural_person")] = 3
    h.ed.refresh()
    h.go(R("new", "natural_person"))
    h.key(Qt.Key_Right, Qt.ShiftModifier)
    h.key(Qt.Key_Down, Qt.ShiftModifier)
    h.key(Qt.Key_C, Qt.ControlModifier)
    assert QGuiApplication.clipboard().text() == "1\t2\n3\t\n"
    # and back in: the same block elsewhere
    h.go(R("disclosed", "natural_person"))
    h.key(Qt.Key_V, Qt.ControlModifier)
    got = dict(h.calls[-1])
    assert got[R("disclosed", "natural_person")] == 1 and got[R("partial", "natural_person")] == 3


def test_parse_tsv():
    assert TE.parse_tsv("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert TE.parse_tsv('"a\tb"\t"x ""y"""\n') == [["a\tb", 'x "y"']]
    assert TE.parse_tsv('"多行\n文字"\t5') == [["多行\n文字", "5"]]
    assert TE.parse_tsv("7") == [["7"]]
    assert TE.parse_tsv("\n") == []
    assert TE.parse_tsv("") == []


# ---------------------------------------------------------------------------------------------
# Findings, read-only, units, report replacement


def test_findings_highlight_cells(make):
    h = make()
    report = h.report
    for key in report.values:
        report.values[key] = 0
    report.values[R("new", "natural_person")] = 5  # 一＋二 ≠ （七）＋四 for 自然人
    h.ed.refresh()
    findings = check(report)
    h.ed.set_findings(findings)
    index = h.index(R("new", "natural_person"))
    assert h.model.data(index, Qt.BackgroundRole) == TE.FINDING_BG["error"]
    tip = h.model.data(index, Qt.ToolTipRole)
    r1 = next(f for f in findings if f.rule_id == "R1")
    assert r1.message in tip and "错误" in tip
    # untouched cells keep their colours; the derived cell involved turns red too
    assert h.model.data(h.index(R("new", "business")), Qt.BackgroundRole) is None
    assert h.model.data(h.index(R("total", "natural_person")), Qt.BackgroundRole) == TE.FINDING_BG["error"]
    warn = Finding("X9", "warning", "请核对。", "X9", (R("new", "business"),))
    h.ed.set_findings([warn])
    assert h.model.data(h.index(R("new", "business")), Qt.BackgroundRole) == TE.FINDING_BG["warning"]
    assert h.model.data(index, Qt.BackgroundRole) is None
    h.ed.set_findings([])
    assert h.model.data(h.index(R("new", "business")), Qt.BackgroundRole) is None


def test_blank_cell_findings_are_not_painted(make):
    h = make()
    h.ed.set_findings(check(h.report))  # everything blank: only the 表格不能留空 finding
    assert h.model.data(h.index(R("new", "natural_person")), Qt.BackgroundRole) is None


def test_read_only_refuses_edits(make):
    h = make("gb2019", "proactive")
    h.ed.set_read_only(True)
    key = ("proactive", "rules", "new_made")
    h.go(key)
    assert not h.model.flags(h.index(key)) & Qt.ItemIsEditable
    h.qtbot.keyClick(h.view, "5")
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    h.ed.paste("1\t2\n")
    h.key(Qt.Key_Delete)
    assert h.calls == []
    assert h.messages[-1] == CT.REPORT_FINAL
    assert all(not c.isEnabled() for c in h.ed._unit_combos.values())
    h.ed.set_read_only(False)
    h.type("5")
    assert h.calls == [[(key, 5)]]


def test_unit_choice(make):
    h = make("gb2019", "proactive")
    key = ("proactive", "procurement", "purchase_amount")
    combo = h.ed._unit_combos[key]
    assert h.ed._units_bar.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())] == ["万元", "元"]
    combo.textActivated.emit("元")
    assert h.units == [("proactive/procurement/purchase_amount", "元")]
    assert h.model.data(h.index(key), TE.UNIT_ROLE) == "元"
    assert h.report.unit_for(key) == "元"
    h2 = make("gb2021", "proactive")
    assert not h2.ed._units_bar.isVisible()


def test_refresh_and_set_report(make):
    h = make()
    h.go(R("new", "natural_person"))
    h.type("12")
    h.report.values[R("new", "natural_person")] = None  # the caller undid it
    h.ed.refresh()
    assert h.shown(R("new", "natural_person")) == ""
    other = Report.new("另一个局", 2023)
    other.values[R("new", "natural_person")] = 8
    h.ed.set_report(other)
    assert h.shown(R("new", "natural_person")) == "8" and h.shown(R("new", "total")) == "8"
    old = Report.new("另一个局", 2020)  # another format: the grid is rebuilt
    h.ed.set_report(old)
    assert h.model.rowCount() == get_format("gb2019").table("requests").grid.n_rows


def test_focus_cell_and_current_key(make):
    h = make()
    h.ed.focus_cell(R("withheld_process", "research"))
    assert h.ed.current_key() == R("withheld_process", "research")
    header = next(c for c in h.model.cells if c.value is None)
    h.view.setCurrentIndex(h.model.index(header.row, header.col))
    assert h.ed.current_key() is None


# ---------------------------------------------------------------------------------------------
# The display cache: data(), flags() and painting only look up what was worked out when the
# report, the findings, the fonts or read-only changed.


_ROLES = (Qt.DisplayRole, Qt.EditRole, Qt.ToolTipRole, Qt.FontRole, Qt.TextAlignmentRole,
          Qt.BackgroundRole, Qt.ForegroundRole, TE.UNIT_ROLE, TE.GLOSS_ROLE, TE.MARK_ROLE)


def _plain(value):
    if hasattr(value, "toString"):  # QFont
        return value.toString()
    if hasattr(value, "name") and hasattr(value, "alpha"):  # QColor
        return value.name()
    return value


def _shown(ed: TableEditor) -> dict:
    """Everything the table shows: flags and every role at every grid position."""
    m = ed._model
    out = {}
    for r in range(m.rowCount()):
        for c in range(m.columnCount()):
            ix = m.index(r, c)
            out[(r, c)] = (int(m.flags(ix).value),) + tuple(_plain(m.data(ix, role)) for role in _ROLES)
    return out


def test_display_cache_after_changes_equals_a_fresh_build(make, qtbot):
    h = make()
    key = R("new", "natural_person")
    h.go(key)
    h.type("12")  # a commit
    h.report.values[R("new", "business")] = 3  # undo/redo elsewhere, then refresh
    h.report.values[R("carried", "natural_person")] = 4
    h.ed.refresh()
    findings = [Finding("X9", "error", "请核对。", "X9", (key, R("new", "total"))),
                Finding("X8", "warning", "再看看。", "X8", (R("new", "business"),))]
    h.ed.set_findings(findings)
    h.ed.set_findings(findings[1:])
    h.ed.set_read_only(True)
    fresh = TableEditor(h.report, "requests", lambda changes: None)
    qtbot.addWidget(fresh)
    fresh.resize(h.ed.size())
    fresh.show()
    qtbot.waitExposed(fresh)
    fresh.set_findings(findings[1:])
    fresh.set_read_only(True)
    assert _shown(h.ed) == _shown(fresh)
    # the cached text is the report's value (totals included), for data() and for painting
    for k, cell in h.model.by_key.items():
        text = V.format_value(h.report.value(k))
        assert h.model.data(h.model.index(cell.row, cell.col), Qt.DisplayRole) == text, k
        assert h.model.looks[(cell.row, cell.col)][3] == text, k
    assert h.shown(key) == "12" and h.shown(R("new", "total")) == "15"
    assert h.model.data(h.index(R("new", "business")), Qt.BackgroundRole) == TE.FINDING_BG["warning"]
    assert h.model.data(h.index(key), Qt.BackgroundRole) is None
    assert not h.model.flags(h.index(key)) & Qt.ItemIsEditable


def test_a_commit_repaints_only_the_cells_it_changed(make):
    h = make()
    changed, resets = [], []
    h.model.dataChanged.connect(
        lambda tl, br, roles=(): changed.append(((tl.row(), tl.column()), (br.row(), br.column()))))
    h.model.modelReset.connect(lambda: resets.append(True))
    key = R("new", "natural_person")
    before = {k: V.format_value(h.report.value(k)) for k in h.model.by_key}
    h.go(key)
    h.type("12")
    assert h.calls == [[(key, 12)]]
    moved = {k for k in h.model.by_key if V.format_value(h.report.value(k)) != before[k]}
    assert {key, R("new", "total")} <= moved and len(moved) < 10
    spots = {(h.model.by_key[k].row, h.model.by_key[k].col) for k in moved}
    assert all(tl == br for tl, br in changed), changed  # cell by cell, never the whole grid
    assert {tl for tl, _ in changed} == spots
    assert resets == []
    # new findings repaint the cells whose highlight changes, and only those
    changed.clear()
    h.ed.set_findings([Finding("X9", "error", "请核对。", "X9", (key,))])
    pos = (h.model.by_key[key].row, h.model.by_key[key].col)
    assert changed == [(pos, pos)]
    changed.clear()
    h.ed.set_findings([Finding("X9", "error", "请核对。", "X9", (key,))])  # the same again
    assert changed == []


def test_findings_are_painted_from_the_cache(make):
    h = make()
    key = R("new", "business")
    h.go(R("disclosed", "other_org"))  # the selection and the current-cell frame elsewhere
    rect = h.view.visualRect(h.index(key))

    def pixel(x, y):
        h.view.viewport().repaint()
        return h.view.viewport().grab().toImage().pixelColor(x, y)

    inside = (rect.left() + 3, rect.bottom() - 3)  # clear of the number, the rules and the mark
    corner = (rect.right() - 1, rect.top() + 1)  # the finding's mark
    base = h.view.palette().color(h.view.palette().ColorRole.Base)
    assert pixel(*inside) == base
    h.ed.set_findings([Finding("X9", "error", "请核对。", "X9", (key,))])
    assert pixel(*inside) == TE.FINDING_BG["error"]
    assert pixel(*corner) == TE.FINDING_MARK["error"]
    h.ed.set_findings([Finding("X8", "warning", "再看看。", "X8", (key,))])
    assert pixel(*inside) == TE.FINDING_BG["warning"]
    h.ed.set_findings([])
    assert pixel(*inside) == base and pixel(*corner) == base
    total = R("new", "total")  # a computed total keeps its blue
    r = h.view.visualRect(h.index(total))
    assert pixel(r.left() + 3, r.bottom() - 3) == TE.DERIVED_BG


def test_showing_the_table_again_only_paints(make, monkeypatch):
    """A page switch repaints from the cache: no layout, no restyling, no data() calls."""
    h = make()
    h.ed.set_findings(check(h.report))
    h.view.setCurrentIndex(QModelIndex())  # no current-cell frame, which follows the focus
    h.view.viewport().repaint()
    first = h.view.viewport().grab().toImage()
    calls = []
    monkeypatch.setattr(h.ed, "_relayout", lambda: calls.append("relayout"))
    monkeypatch.setattr(h.model, "restyle", lambda keys=None: calls.append("restyle"))
    monkeypatch.setattr(h.model, "data", lambda *a: calls.append("data"))
    h.ed.hide()
    QApplication.processEvents()
    h.ed.show()
    h.qtbot.waitExposed(h.ed)
    h.view.viewport().repaint()
    QApplication.processEvents()
    assert calls == []
    assert h.view.viewport().grab().toImage() == first


# ---------------------------------------------------------------------------------------------
# Pinned header rows: the column headings stay in sight while the body scrolls (frozen panes)


def _settle(h, width, height):
    h.ed.resize(width, height)
    QApplication.processEvents()


def _band(h) -> QImage:
    """The pixels of the top band of the viewport (the header rows' height) as they are on
    screen: the window's backing store where the platform gives it (offscreen), so that a part
    left unrepainted after scrolling shows; else a fresh rendering of the widget."""
    QApplication.processEvents()
    view = h.view
    origin = view.viewport().mapTo(h.ed, QPoint(0, 0))
    band = sum(view.rowHeight(r) for r in range(h.model.header_rows))
    if QGuiApplication.platformName() == "offscreen":
        image = QGuiApplication.primaryScreen().grabWindow(h.ed.winId()).toImage()
    else:
        image = h.ed.grab().toImage()
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return image.copy(origin.x(), origin.y(), view.viewport().width(), band)


@pytest.mark.parametrize("format_id", ["gb2019", "gb2021"])
def test_header_rows_stay_pinned_while_the_body_scrolls(make, format_id):
    h = make(format_id, "requests")
    _settle(h, 900, 400)
    view, pinned = h.view, h.view._pinned
    band = view.pinned_height()
    assert h.model.header_rows == 3
    assert band == sum(view.rowHeight(r) for r in range(3)) > 0
    bar = view.verticalScrollBar()
    assert bar.maximum() > band
    headings = _band(h)
    assert pinned.isHidden()  # at the top the header rows are in their place anyway
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert not pinned.isHidden()
    vp = view.viewport().geometry()
    assert pinned.geometry() == QRect(vp.x(), vp.y(), vp.width(), band)
    assert _band(h) == headings  # 申请人情况 / 自然人 / 商业企业 …, exactly as at the top
    pinned.hide()  # without pinning the band would show the body
    assert _band(h) != headings
    view._sync_pinned()
    assert not pinned.isHidden()
    bar.setValue(0)
    QApplication.processEvents()
    assert pinned.isHidden()


def test_pinned_rows_follow_horizontal_scrolling(make):
    h = make()
    _settle(h, 600, 400)
    view = h.view
    hbar, vbar = view.horizontalScrollBar(), view.verticalScrollBar()
    assert hbar.maximum() > 0
    hbar.setValue(hbar.maximum() // 2)
    headings = _band(h)
    vbar.setValue(vbar.maximum())
    QApplication.processEvents()
    assert not view._pinned.isHidden()
    assert _band(h) == headings
    hbar.setValue(hbar.maximum())  # scrolled sideways while pinned: still in line with the body
    QApplication.processEvents()
    pinned = _band(h)
    vbar.setValue(0)
    QApplication.processEvents()
    assert _band(h) == pinned


def test_a_click_on_the_pinned_rows_selects_nothing(make):
    h = make()
    _settle(h, 900, 400)
    key = R("carry_forward", "natural_person")
    h.go(key)
    view, pinned = h.view, h.view._pinned
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert not pinned.isHidden()
    band = view.pinned_height()
    pos = QPoint(view.columnViewportPosition(h.model.by_key[key].col) + 5, band - 5)
    assert view.indexAt(pos).row() >= 3  # a body cell hidden under the band
    selected = view.selectionModel().selectedIndexes()
    h.qtbot.mouseClick(pinned, Qt.LeftButton, pos=pos)
    h.qtbot.mouseDClick(pinned, Qt.LeftButton, pos=pos)
    assert h.ed.current_key() == key
    assert view.selectionModel().selectedIndexes() == selected
    assert bar.value() == bar.maximum()
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    # the wheel over the band scrolls the table
    wheel = QWheelEvent(QPointF(pos), QPointF(pinned.mapToGlobal(pos)), QPoint(0, 0), QPoint(0, 120),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(pinned, wheel)
    assert bar.value() < bar.maximum()


def test_pinned_rows_show_their_help_texts(make, monkeypatch):
    h = make()
    _settle(h, 900, 400)
    view, pinned = h.view, h.view._pinned
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    QApplication.processEvents()
    heading = next(c for c in h.model.cells if c.text == "商业企业")
    monkeypatch.setitem(h.model.role_data[Qt.ToolTipRole], (heading.row, heading.col), "说明")
    shown = []
    monkeypatch.setattr(TE.QToolTip, "showText", lambda pos, text, w=None, rect=None, *a: shown.append((text, rect)))
    x = view.columnViewportPosition(heading.col) + 3
    y = sum(view.rowHeight(r) for r in range(heading.row)) + 3
    found = view.pinned_cell_at(QPoint(x, y))
    assert found is not None and found[0] == heading
    QApplication.sendEvent(pinned, QHelpEvent(QEvent.ToolTip, QPoint(x, y), pinned.mapToGlobal(QPoint(x, y))))
    assert shown == [(W.wrapped_tip("说明"), QRect(view.columnViewportPosition(heading.col), y - 3,
                                   view.columnWidth(heading.col), view.rowHeight(heading.row)))]


def test_keyboard_keeps_the_current_cell_below_the_pinned_rows(make):
    h = make()
    _settle(h, 900, 400)
    view = h.view
    band = view.pinned_height()
    assert band
    vp_height = view.viewport().height()

    def in_sight():
        rect = view.visualRect(view.currentIndex())
        assert rect.top() >= band and rect.bottom() < vp_height, (h.ed.current_key(), rect)

    h.go(R("new", "natural_person"))
    for _ in range(30):
        h.key(Qt.Key_Down)
        in_sight()
    assert h.ed.current_key() == R("carry_forward", "natural_person")
    assert not view._pinned.isHidden()
    for _ in range(30):
        h.key(Qt.Key_Up)
        in_sight()
    assert h.ed.current_key() == R("new", "natural_person")
    # from the bottom straight to a cell just below the headings, then typing there
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    h.go(R("carried", "business"))
    in_sight()
    h.type("4")
    assert h.calls[-1] == [(R("carried", "business"), 4)]
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    index = h.index(R("disclosed", "research"))
    view.scrollTo(index, view.ScrollHint.PositionAtTop)
    assert view.visualRect(index).top() == band


def test_no_pinned_band_without_header_rows_or_room(make):
    h = make("gb2021", "proactive")  # each block of 表二 carries its own header
    _settle(h, 900, 300)
    bar = h.view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert h.model.header_rows == 0 and h.view.pinned_height() == 0
    assert h.view._pinned.isHidden()
    t3 = make()  # 表三 in a window too low to give up the headings' height
    _settle(t3, 900, 2 * t3.view.pinned_height() - 20)
    bar = t3.view.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    assert t3.view.pinned_height() == 0 and t3.view._pinned.isHidden()


# ---------------------------------------------------------------------------------------------
# Frozen label columns: the row labels stay in sight while the values scroll sideways


def _left(h) -> QImage:
    """The pixels of the label columns' band at the left of the viewport, as on screen."""
    QApplication.processEvents()
    view = h.view
    origin = view.viewport().mapTo(h.ed, QPoint(0, 0))
    width = sum(view.columnWidth(c) for c in range(h.model.label_cols))
    if QGuiApplication.platformName() == "offscreen":
        image = QGuiApplication.primaryScreen().grabWindow(h.ed.winId()).toImage()
    else:
        image = h.ed.grab().toImage()
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    return image.copy(origin.x(), origin.y(), width, view.viewport().height())


@pytest.mark.parametrize("format_id", ["gb2019", "gb2021"])
def test_label_columns_stay_frozen_while_the_values_scroll_sideways(make, format_id):
    h = make(format_id, "requests")
    _settle(h, 620, 400)
    view, frozen = h.view, h.view._frozen
    assert h.model.label_cols == min(c.col for c in h.model.cells if c.value is not None) > 0
    band = view.frozen_width()
    assert band == sum(view.columnWidth(c) for c in range(h.model.label_cols)) > 0
    hbar = view.horizontalScrollBar()
    assert hbar.maximum() > 0 and hbar.value() == 0  # the first view starts at the labels
    labels = _left(h)
    assert frozen.isHidden()
    hbar.setValue(hbar.maximum())
    QApplication.processEvents()
    assert not frozen.isHidden()
    assert frozen.geometry() == QRect(view.viewport().x(), view.viewport().y(), band, view.viewport().height())
    assert _left(h) == labels  # 一、本年新收… exactly as before the scroll, 「一、」 not cut
    frozen.hide()  # without freezing the band would show values
    assert _left(h) != labels
    view._sync_pinned()
    # scrolled both ways: the corner shows the headings over the labels, the labels follow the rows
    vbar = view.verticalScrollBar()
    vbar.setValue(vbar.maximum())
    QApplication.processEvents()
    assert not frozen.isHidden() and not view._pinned.isHidden()
    corner = _left(h).copy(0, 0, band, view.pinned_height())
    assert corner == labels.copy(0, 0, band, view.pinned_height())
    # a value cell the keyboard goes to is never hidden under the labels
    h.go(R("new", "natural_person"))
    rect = view.visualRect(view.currentIndex())
    assert rect.left() >= band
    hbar.setValue(0)
    QApplication.processEvents()
    assert frozen.isHidden()


def test_frozen_labels_show_their_help_texts_and_ignore_clicks(make, monkeypatch):
    h = make()
    _settle(h, 620, 400)
    view, frozen = h.view, h.view._frozen
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    QApplication.processEvents()
    label = next(c for c in h.model.cells if c.text.startswith("二、上年结转"))
    monkeypatch.setitem(h.model.role_data[Qt.ToolTipRole], (label.row, label.col), "说明")
    shown = []
    monkeypatch.setattr(TE.QToolTip, "showText", lambda pos, text, w=None, rect=None, *a: shown.append(text))
    x = sum(view.columnWidth(c) for c in range(label.col)) + 3
    y = view.rowViewportPosition(label.row) + 3
    found = view.pane_cell_at(frozen, QPoint(x, y))
    assert found is not None and found[0] == label
    QApplication.sendEvent(frozen, QHelpEvent(QEvent.ToolTip, QPoint(x, y), frozen.mapToGlobal(QPoint(x, y))))
    assert len(shown) == 1 and "说明" in shown[0]
    key = h.ed.current_key()
    h.qtbot.mouseClick(frozen, Qt.LeftButton, pos=QPoint(x, y))
    assert h.ed.current_key() == key


def test_no_frozen_labels_when_they_would_crowd_out_the_values(make):
    h = make()
    _settle(h, 330, 400)
    view = h.view
    assert view.frozen_width() == 0
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().maximum())
    QApplication.processEvents()
    assert view._frozen.isHidden()


# ---------------------------------------------------------------------------------------------
# Tooltips


def test_a_long_cell_tooltip_wraps(make, monkeypatch):
    h = make()
    key = R("new", "natural_person")
    long = "表三第一列：" + "本年新收政府信息公开申请数量与上年度报告的结转数不一致，" * 6
    monkeypatch.setitem(h.model.role_data[Qt.ToolTipRole], (h.model.by_key[key].row, h.model.by_key[key].col), long)
    shown = []
    monkeypatch.setattr(TE.QToolTip, "showText", lambda pos, text, *a: shown.append(text))
    rect = h.view.visualRect(h.index(key))
    QApplication.sendEvent(h.view.viewport(), QHelpEvent(QEvent.ToolTip, rect.center(),
                                                         h.view.viewport().mapToGlobal(rect.center())))
    assert len(shown) == 1
    from PySide6.QtGui import QTextDocument
    doc = QTextDocument()
    doc.setHtml(shown[0])
    assert doc.toPlainText().replace("\u2029", "\n") == long  # the same words, literally
    assert shown[0] != long  # as rich text, which QToolTip wraps (plain text it never wraps)


def test_a_refusal_tooltip_goes_away_when_the_clerk_moves_on(make, monkeypatch):
    h = make()
    hidden = []
    monkeypatch.setattr(TE.QToolTip, "hideText", lambda: hidden.append(True))
    h.go(R("new", "natural_person"))
    h.type("abc")
    assert h.calls == [] and any("abc" in m for m in h.messages)
    assert hidden == []
    h.key(Qt.Key_Right)
    assert h.ed.current_key() == R("new", "business")
    assert hidden == [True]
    h.key(Qt.Key_Right)
    assert hidden == [True]  # nothing refused since: other tooltips are left alone
