"""The statistics table editor: one widget for any table of any format.

Everything comes from ``Table.grid`` (the printed grid with its merged cells): the header cells
are part of the grid (grey, not editable), value cells hold numbers, derived cells (the totals,
``fmt.derived``) show what the report computes. Nothing here knows table 二, 三 or 四 — a new
format in ``forms/`` just works.

The editor never stores anything itself: every change (a typed value, a pasted block, cleared
cells) is parsed with :meth:`Report.parse` and handed to the ``commit`` callback as one list,
which saves it and makes it one undo step. A refused value is reported at the cell (tooltip) and
through :attr:`TableEditor.message`; nothing is committed and the cell keeps its old value.
"""

from __future__ import annotations

import csv
import io
import math
import re
from typing import Callable, Iterable

from PySide6.QtCore import (
    QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize,
    Qt, Signal,
)
from PySide6.QtGui import (
    QColor, QFont, QFontMetrics, QGuiApplication, QInputMethodEvent, QKeySequence, QPainter, QPen,
    QPolygon,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMenu, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QToolTip,
    QVBoxLayout, QWidget,
)

from .. import texts as CT
from ..core import values as V
from ..core.errors import GongkaiError, InvalidValue
from ..core.forms import CellKey, GridCell
from ..core.model import Report
from ..core.rules import SEVERITY_ORDER, findings_by_cell

# ---------------------------------------------------------------------------------------------
# Texts (Chinese, shown to the clerk)

TIP_DERIVED = "由软件自动计算，不能直接填写。\n{rule}"
TIP_GLOSS = "「{term}」：{gloss}"
TIP_FINDING = "{severity}：{message}"
TIP_EXPLAINED = "（已说明：{text}）"
PASTE_DONE = "已粘贴 {count} 个单元格。"
PASTE_REFUSED = "已粘贴 {count} 个单元格，{refused} 个被拒绝：{details}"
PASTE_OUTSIDE = "另有 {count} 个超出表格范围，未粘贴。"
PASTE_TOTALS = "{count} 个合计单元格由软件自动计算，未采用粘贴的值。"
PASTE_NO_TARGET = "请先点选要粘贴到的第一个数值单元格，再粘贴。"
PASTE_EMPTY = "剪贴板中没有可以粘贴的内容。"
CLEARED = "已清除 {count} 个单元格。"
UNIT_LABEL = "{name}的单位："
MENU_COPY = "复制"
MENU_PASTE = "粘贴"
MENU_CLEAR = "清除"
DETAIL_SEP = "；"
MAX_DETAILS = 3

# Cell colours. Stronger than the page banners' pale tints: a highlighted cell has to stand out
# in a grid of white cells, and stay distinct from the blue of the computed totals.
HEADER_BG = QColor("#ececec")
HEADER_FG = QColor("#1f1f1f")
DERIVED_BG = QColor("#e3eefa")
DERIVED_FG = QColor("#0d3c61")
FINDING_BG = {"error": QColor("#f7cfcb"), "warning": QColor("#ffe3a8")}
FINDING_MARK = {"error": QColor("#c62828"), "warning": QColor("#b26a00")}
GLOSS_MARK = QColor("#1565c0")
UNIT_FG = QColor("#6b6b6b")
GRID_LINE = QColor("#9a9a9a")

# Extra model roles (read by the delegate).
UNIT_ROLE = Qt.UserRole + 2
GLOSS_ROLE = Qt.UserRole + 3
MARK_ROLE = Qt.UserRole + 4

# Layout, in units of the font's CJK character width ("em"), so it scales with the font and DPI.
VALUE_MIN_DIGITS = "0000000"
VALUE_HEADER_EM = 4.5  # a column header wraps beyond this (社会公益/组织)
LABEL_MAX_EM = 16.0  # a row label wraps beyond this
LABEL_SQUEEZE_EM = 10.0  # … and in a narrow window down to this, to leave room for the numbers
GROUP_MAX_EM = 7.0  # a label spanning several rows (（三）不予公开) wraps beyond this
LABEL_MIN_EM = 2.0
VALUE_MAX_EM = 9.0  # value columns may widen to fill the page up to this


# A group label's leading enumerator (「（三）」, 「三、」) goes on a line of its own, so a narrow
# group column reads 「（三）/不予公开」 rather than 「（三）不/予公开」.
_ENUMERATOR = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)(?=.)")


def _same(a: V.Value | None, b: V.Value | None) -> bool:
    """Equal and written the same (0.092 ≠ 0.0920 for money: keep what the clerk typed)."""
    return type(a) is type(b) and V.format_value(a) == V.format_value(b)


def parse_tsv(text: str) -> list[list[str]]:
    """A block copied from Excel or WPS: tab-separated, CR/LF or LF rows, a trailing newline,
    cells with tabs, newlines or quotes wrapped in double quotes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if text == "":
        return []
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=False))
    return [row if row else [""] for row in rows]


def _tsv_cell(text: str) -> str:
    if any(ch in text for ch in '\t\n"'):
        return '"' + text.replace('"', '""') + '"'
    return text


# ---------------------------------------------------------------------------------------------
# Model


class _GridModel(QAbstractTableModel):
    """The grid of one table: header cells, value cells and derived cells, with display caches
    (values are re-read from the report only on :meth:`reload_values`, never per paint)."""

    def __init__(self, editor: "TableEditor"):
        super().__init__(editor)
        self._ed = editor
        self.n_rows = 0
        self.n_cols = 0
        self.cells: list[GridCell] = []
        self.top: dict[tuple[int, int], GridCell] = {}  # top-left corner → cell
        self.cover: dict[tuple[int, int], GridCell] = {}  # every grid position → its cell
        self.by_key: dict[CellKey, GridCell] = {}
        self.value_rows: list[list[GridCell]] = []  # grid rows holding value cells, in order
        self.row_labels: set[tuple[int, int]] = set()
        self.shown: dict[tuple[int, int], str] = {}  # header text as displayed (line breaks)
        self.notes: set[tuple[int, int]] = set()  # parenthesised header notes: not bold
        self.gloss: dict[tuple[int, int], str] = {}
        self.derived: set[CellKey] = set()
        self.derived_tip: dict[CellKey, str] = {}
        self.names: dict[CellKey, str] = {}
        self.texts: dict[CellKey, str] = {}
        self.units: dict[CellKey, str] = {}
        self.findings: dict[CellKey, tuple[str, str]] = {}  # key → (severity, tooltip text)
        self.header_font = QFont()  # column headers and captions
        self.label_font = QFont()  # row labels
        self.value_font = QFont()

    # -- building -------------------------------------------------------------------------------
    def build(self, report: Report, table_id: str) -> None:
        self.beginResetModel()
        fmt = report.format
        table = fmt.table(table_id)
        grid = table.grid
        self.n_rows, self.n_cols = grid.n_rows, grid.n_cols
        self.cells = list(grid.cells)
        self.top = {(c.row, c.col): c for c in self.cells}
        self.cover = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    self.cover[(r, k)] = c
        self.by_key = {c.value: c for c in self.cells if c.value is not None}
        rows: dict[int, list[GridCell]] = {}
        for c in self.cells:
            if c.value is not None:
                rows.setdefault(c.row, []).append(c)
        self.value_rows = [sorted(rows[r], key=lambda c: c.col) for r in sorted(rows)]
        value_grid_rows = set(rows)
        # A header cell beside value cells is a row label (left-aligned like the printed form);
        # one above them is a column header or a caption (centred).
        self.row_labels = {
            (c.row, c.col) for c in self.cells
            if c.value is None and any(r in value_grid_rows for r in range(c.row, c.row + c.rowspan))
        }
        self.shown = {}
        for c in self.cells:
            if (c.row, c.col) in self.row_labels and c.rowspan > 1 and c.colspan == 1:
                self.shown[(c.row, c.col)] = _ENUMERATOR.sub(r"\1\n", c.text)
            elif c.value is None:
                self.shown[(c.row, c.col)] = c.text
        self.notes = {(c.row, c.col) for c in self.cells
                      if c.value is None and c.text.startswith("（") and c.text.endswith("）")}
        self.gloss = {}
        for c in self.cells:
            if c.value is None and c.text:
                tips = [TIP_GLOSS.format(term=t, gloss=g) for t, g in fmt.glossary.items() if t in c.text]
                if tips:
                    self.gloss[(c.row, c.col)] = "\n".join(tips)
        self.derived = {k for k in self.by_key if k in fmt.derived}
        self.derived_tip = {k: TIP_DERIVED.format(rule=fmt.derived[k].rule.title) for k in self.derived}
        self.names = {k: fmt.cell_name(k) for k in self.by_key}
        self.findings = {}
        self._read_values(report)
        self.endResetModel()

    def _read_values(self, report: Report) -> None:
        self.texts = {k: V.format_value(report.value(k)) for k in self.by_key}
        self.units = {}
        for k in self.by_key:
            unit = report.unit_for(k)
            if unit:
                self.units[k] = unit

    def reload_values(self, report: Report) -> None:
        old = (self.texts, self.units)
        self._read_values(report)
        changed = [k for k in self.by_key
                   if old[0].get(k) != self.texts.get(k) or old[1].get(k) != self.units.get(k)]
        self._changed(changed)

    def set_findings(self, findings: Iterable) -> None:
        old = self.findings
        self.findings = {}
        for key, found in findings_by_cell(findings).items():
            if key not in self.by_key:
                continue
            found = sorted(found, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))
            lines = []
            for f in found:
                line = TIP_FINDING.format(severity=f.severity_label, message=f.message)
                if f.explanation:
                    line += TIP_EXPLAINED.format(text=f.explanation)
                lines.append(line)
            self.findings[key] = (found[0].severity, "\n".join(lines))
        self._changed([k for k in old.keys() | self.findings.keys() if old.get(k) != self.findings.get(k)])

    def _changed(self, keys: list[CellKey] | None = None) -> None:
        """Repaint ``keys`` (a typed value and the totals it feeds), or every cell."""
        if not (self.n_rows and self.n_cols):
            return
        if keys is None or len(keys) > 40:
            self.dataChanged.emit(self.index(0, 0), self.index(self.n_rows - 1, self.n_cols - 1))
            return
        for key in keys:
            cell = self.by_key[key]
            index = self.index(cell.row, cell.col)
            self.dataChanged.emit(index, index)

    # -- queries --------------------------------------------------------------------------------
    def cell_at(self, index: QModelIndex) -> GridCell | None:
        if not index.isValid():
            return None
        return self.cover.get((index.row(), index.column()))

    def is_bold(self, cell: GridCell) -> bool:
        """Column headers and captions are bold; row labels and notes are not."""
        pos = (cell.row, cell.col)
        return cell.value is None and pos not in self.row_labels and pos not in self.notes

    def is_editable(self, cell: GridCell | None) -> bool:
        return cell is not None and cell.value is not None and cell.value not in self.derived

    # -- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else self.n_rows

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else self.n_cols

    def flags(self, index: QModelIndex):
        cell = self.cell_at(index)
        if cell is None:
            return Qt.NoItemFlags
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.is_editable(cell) and not self._ed._read_only:
            flags |= Qt.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        cell = self.top.get((index.row(), index.column()))
        if cell is None:
            return None
        key = cell.value
        if role in (Qt.DisplayRole, Qt.EditRole):
            return self.shown[(cell.row, cell.col)] if key is None else self.texts.get(key, "")
        if key is None:  # a header cell
            if role == Qt.BackgroundRole:
                return HEADER_BG
            if role == Qt.ForegroundRole:
                return HEADER_FG
            if role == Qt.FontRole:
                return self.header_font if self.is_bold(cell) else self.label_font
            if role == Qt.TextAlignmentRole:
                if (cell.row, cell.col) in self.row_labels and cell.rowspan == 1:
                    return int(Qt.AlignLeft | Qt.AlignVCenter)
                return int(Qt.AlignCenter)
            if role in (Qt.ToolTipRole, GLOSS_ROLE):
                return self.gloss.get((cell.row, cell.col))
            return None
        finding = self.findings.get(key)
        derived = key in self.derived
        if role == Qt.BackgroundRole:
            if finding and finding[0] in FINDING_BG:
                return FINDING_BG[finding[0]]
            return DERIVED_BG if derived else None
        if role == Qt.ForegroundRole:
            return DERIVED_FG if derived else None
        if role == Qt.FontRole:
            return self.value_font
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignCenter)
        if role == UNIT_ROLE:
            return self.units.get(key)
        if role == MARK_ROLE:
            return finding[0] if finding else None
        if role == Qt.ToolTipRole:
            parts = [self.names[key]]
            if derived:
                parts.append(self.derived_tip[key])
            if finding:
                parts.append(finding[1])
            return "\n".join(parts)
        return None


# ---------------------------------------------------------------------------------------------
# Delegate: painting (so the measured layout and the painted text agree) and the line editor


class _CellDelegate(QStyledItemDelegate):
    def __init__(self, editor: "TableEditor"):
        super().__init__(editor)
        self._ed = editor

    # -- painting -------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        view = self._ed._view
        # The model's own method, not QModelIndex.data(): no QVariant round trip per role, and
        # no reference to None lost per empty role (PySide6 6.12, see ui/__init__.py).
        data = self._ed._model.data
        rect = option.rect
        painter.save()
        # Fill every cell (the style may have painted a selection underneath) and draw its
        # right and bottom rule: the view's own grid leaves stubs inside merged cells.
        bg = data(index, Qt.BackgroundRole)
        painter.fillRect(rect, bg if bg is not None else option.palette.color(option.palette.ColorRole.Base))
        painter.setPen(GRID_LINE)
        painter.drawLine(rect.topRight(), rect.bottomRight())
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        if index.row() == 0:
            painter.drawLine(rect.topLeft(), rect.topRight())
        if index.column() == 0:
            painter.drawLine(rect.topLeft(), rect.bottomLeft())
        margin = self._ed._text_margin
        text_rect = rect.adjusted(margin, 0, -margin, 0)
        fg = data(index, Qt.ForegroundRole) or option.palette.color(option.palette.ColorRole.Text)
        font = data(index, Qt.FontRole) or option.font
        painter.setFont(font)
        text = data(index, Qt.DisplayRole) or ""
        align = Qt.AlignmentFlag(data(index, Qt.TextAlignmentRole) or int(Qt.AlignCenter))
        gloss = data(index, GLOSS_ROLE)
        unit = data(index, UNIT_ROLE)
        fm = QFontMetrics(font)
        if gloss:
            text_rect.adjust(0, 0, -self._ed._marker_size, 0)
        if unit:
            # The number, then the unit in grey, centred together as one piece.
            uw = fm.horizontalAdvance(" " + unit)
            tw = fm.horizontalAdvance(text) if text else 0
            left = text_rect.center().x() - (tw + uw) // 2
            if text:
                painter.setPen(fg)
                painter.drawText(QRect(left, rect.top(), tw, rect.height()), Qt.AlignLeft | Qt.AlignVCenter, text)
            painter.setPen(UNIT_FG)
            painter.drawText(QRect(left + tw, rect.top(), uw + 2, rect.height()),
                             Qt.AlignLeft | Qt.AlignVCenter, " " + unit)
        elif text:
            wrap = self._ed._wrap.get((index.row(), index.column()))
            if wrap is not None and wrap < text_rect.width():
                # Wrapped header text in balanced lines (社会公益/组织, not 社会公益组/织).
                x = text_rect.left() if align & Qt.AlignLeft else text_rect.center().x() - wrap // 2
                text_rect = QRect(x, text_rect.top(), wrap, text_rect.height())
            painter.setPen(fg)
            painter.drawText(text_rect, int(align) | Qt.TextWordWrap, text)
        if gloss:
            self._paint_gloss_marker(painter, rect)
        mark = data(index, MARK_ROLE)
        if mark in FINDING_MARK:
            s = self._ed._marker_size
            painter.setPen(Qt.NoPen)
            painter.setBrush(FINDING_MARK[mark])
            painter.drawPolygon(QPolygon([rect.topRight() + QPoint(1, 0),
                                          rect.topRight() + QPoint(1 - s, 0),
                                          rect.topRight() + QPoint(1, s)]))
        if option.state & QStyle.State_Selected:
            hl = QColor(option.palette.color(option.palette.ColorRole.Highlight))
            hl.setAlpha(70)
            painter.fillRect(rect, hl)
        if index == view.currentIndex() and (view.hasFocus() or view.state() == QAbstractItemView.EditingState):
            pen = QPen(option.palette.color(option.palette.ColorRole.Highlight))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.setBrush(Qt.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.restore()

    def _paint_gloss_marker(self, painter: QPainter, rect: QRect) -> None:
        """A small ⓘ in the cell's top-right corner: this label has a help text on hover."""
        d = self._ed._marker_size - 2
        box = QRect(rect.right() - d - 2, rect.top() + 3, d, d)
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setPen(QPen(GLOSS_MARK, max(1.0, d / 10)))
        painter.setBrush(Qt.NoBrush)
        painter.drawEllipse(box)
        f = QFont(painter.font())
        f.setPixelSize(max(5, int(d * 0.75)))
        f.setBold(True)
        painter.setFont(f)
        painter.drawText(box, Qt.AlignCenter, "i")

    # -- editing --------------------------------------------------------------------------------
    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802
        # A plain line edit: no validator, no key filtering, so an input method composes freely
        # (full-width digits are accepted by the parser).
        le = QLineEdit(parent)
        le.setFrame(False)
        le.setAlignment(Qt.AlignCenter)
        le.setFont(self._ed._model.value_font)
        le.setProperty("cell", QPersistentModelIndex(index))
        return le

    def updateEditorGeometry(self, editor: QWidget, option, index: QModelIndex) -> None:  # noqa: N802
        # Inside the cell's rules and the current-cell frame, which stay visible while editing.
        editor.setGeometry(option.rect.adjusted(3, 3, -3, -3))

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:  # noqa: N802
        # Qt calls this again whenever the cell's data changes (new findings, a recomputed
        # total) — never overwrite what the clerk is typing.
        if editor.property("filled"):
            return
        editor.setProperty("filled", True)
        if self._ed._typing:
            editor.clear()  # typing over a cell replaces its content, as in Excel/WPS
        else:
            editor.setText(self._ed._model.data(index, Qt.EditRole) or "")

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:  # noqa: N802
        # Reached when the editor loses focus (a click elsewhere): same path as Enter, no move.
        self._ed._apply_text(index, editor.text())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Show and isinstance(obj, QLineEdit):
            # The view selects the whole text when it opens an editor; F2 or a double click
            # should rather put the cursor at the end, as in Excel/WPS.
            obj.deselect()
            obj.end(False)
        if event.type() == QEvent.KeyPress and isinstance(obj, QLineEdit):
            key = event.key()
            shift = bool(event.modifiers() & Qt.ShiftModifier)
            move = None
            if key in (Qt.Key_Return, Qt.Key_Enter):
                move = "up" if shift else "down"
            elif key == Qt.Key_Tab:
                move = "next"
            elif key == Qt.Key_Backtab:
                move = "prev"
            elif key == Qt.Key_Up:
                move = "up"
            elif key == Qt.Key_Down:
                move = "down"
            if move is not None:
                self._ed._finish_edit(obj, move)
                return True
        return super().eventFilter(obj, event)


# ---------------------------------------------------------------------------------------------
# View


class _GridView(QTableView):
    def __init__(self, editor: "TableEditor"):
        super().__init__(editor)
        self._ed = editor
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        for h in (self.horizontalHeader(), self.verticalHeader()):
            h.setMinimumSectionSize(1)
            h.setSectionResizeMode(QHeaderView.Fixed)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                             | QAbstractItemView.AnyKeyPressed)
        self.setTabKeyNavigation(True)
        self.setAttribute(Qt.WA_InputMethodEnabled, True)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.setShowGrid(False)  # drawn by the delegate, merged cells included
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def moveCursor(self, action, modifiers):  # noqa: N802 - Qt API
        A = QAbstractItemView.CursorAction
        direction = {A.MoveUp: "up", A.MoveDown: "down", A.MoveLeft: "left", A.MoveRight: "right",
                     A.MoveNext: "next", A.MovePrevious: "prev"}.get(action)
        if direction is None:
            return super().moveCursor(action, modifiers)
        target = self._ed._neighbor(self.currentIndex(), direction)
        return target if target is not None else self.currentIndex()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        ed = self._ed
        if event.matches(QKeySequence.Copy):
            ed.copy_selection()
            return
        if event.matches(QKeySequence.Paste):
            ed.paste()
            return
        if event.matches(QKeySequence.Cut):
            ed.copy_selection()
            ed.clear_selection()
            return
        mods = event.modifiers() & ~Qt.KeypadModifier
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and mods == Qt.NoModifier:
            ed.clear_selection()
            return
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.state() != QAbstractItemView.EditingState:
            ed._move("up" if mods & Qt.ShiftModifier else "down")
            return
        text = event.text()
        if (text and text.isprintable() and not text.isspace()
                and not mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)):
            if not ed._may_type(self.currentIndex()):
                return
            ed._typing = True
            try:
                super().keyPressEvent(event)
            finally:
                ed._typing = False
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:  # noqa: N802
        # An input method (拼音, full-width digits) starts editing like a typed key does. Qt
        # opens the editor but does not pass it the event that did so (QTBUG-54848), so the
        # first composition would be lost: hand it over to the new editor ourselves.
        if not (event.commitString() or event.preeditString()) or self.state() == QAbstractItemView.EditingState:
            super().inputMethodEvent(event)
            return
        index = self.currentIndex()
        if not self._ed._may_type(index):
            event.accept()
            return
        self._ed._typing = True
        try:
            self.edit(index)
        finally:
            self._ed._typing = False
        editor = self.indexWidget(index)
        if editor is None:
            event.ignore()
            return
        forwarded = QInputMethodEvent(event.preeditString(), event.attributes())
        forwarded.setCommitString(event.commitString(), event.replacementStart(), event.replacementLength())
        QApplication.sendEvent(editor, forwarded)
        event.accept()

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.viewport().update()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.viewport().update()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._ed._relayout()

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._ed._relayout()

    def sizeHint(self) -> QSize:  # noqa: N802
        # The table without filling the available width (which would feed back into the hint).
        f = 2 * self.frameWidth() + 2
        return QSize(self._ed._natural_width + f, self._ed._natural_height + f)

    def _menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(MENU_COPY, self._ed.copy_selection).setShortcut(QKeySequence.Copy)
        a = menu.addAction(MENU_PASTE, self._ed.paste)
        a.setShortcut(QKeySequence.Paste)
        a.setEnabled(not self._ed._read_only)
        a = menu.addAction(MENU_CLEAR, self._ed.clear_selection)
        a.setShortcut(QKeySequence.Delete)
        a.setEnabled(not self._ed._read_only)
        menu.exec(self.viewport().mapToGlobal(pos))


# ---------------------------------------------------------------------------------------------
# The widget


class TableEditor(QWidget):
    """Edits one statistics table of a report (see the module docstring)."""

    message = Signal(str)  # Chinese status text: a refused value, a paste summary
    unit_changed = Signal(str, str)  # ("table/row/col", unit) — the clerk chose a unit

    def __init__(self, report: Report, table_id: str,
                 commit: Callable[[list[tuple[CellKey, object]]], None], parent: QWidget | None = None):
        super().__init__(parent)
        self._report = report
        self._table_id = table_id
        self._commit_fn = commit
        self._read_only = False
        self._typing = False
        self._format_id = ""
        self._text_margin = 4
        self._marker_size = 8
        self._natural_width = self._natural_height = 0
        self._wrap: dict[tuple[int, int], int] = {}  # header cell → balanced wrap width
        self._model = _GridModel(self)
        self._view = _GridView(self)
        self._view.setModel(self._model)
        self._delegate = _CellDelegate(self)
        self._view.setItemDelegate(self._delegate)
        self._units_bar = QWidget(self)
        self._units_layout = QHBoxLayout(self._units_bar)
        self._units_layout.setContentsMargins(0, 0, 0, 0)
        self._unit_combos: dict[CellKey, QComboBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._units_bar)
        layout.addWidget(self._view, 1)
        self._build()

    # -- public API -----------------------------------------------------------------------------
    @property
    def view(self) -> QTableView:
        return self._view

    @property
    def report(self) -> Report:
        return self._report

    def set_report(self, report: Report) -> None:
        """The caller replaced the report object (undo, reload, another report)."""
        key = self.current_key()
        self._report = report
        if report.format_id != self._format_id:
            self._build()
            if key is not None and key in self._model.by_key:
                self.focus_cell(key)
        else:
            self.refresh()

    def refresh(self) -> None:
        """Re-read every value from the report (after undo/redo); totals are recomputed."""
        self._model.reload_values(self._report)
        self._sync_units()

    def set_findings(self, findings: list) -> None:
        self._model.set_findings(findings)

    def set_read_only(self, ro: bool) -> None:
        self._read_only = bool(ro)
        if ro and self._view.state() == QAbstractItemView.EditingState:
            editor = self._view.indexWidget(self._view.currentIndex())
            if editor is not None:
                self._delegate.closeEditor.emit(editor, QAbstractItemDelegate.RevertModelCache)
        for combo in self._unit_combos.values():
            combo.setEnabled(not ro)
        self._model._changed()  # flags changed

    def is_read_only(self) -> bool:
        return self._read_only

    def focus_cell(self, key: CellKey) -> None:
        cell = self._model.by_key.get(tuple(key))
        if cell is None:
            return
        index = self._model.index(cell.row, cell.col)
        self._view.setCurrentIndex(index)
        self._view.scrollTo(index, QAbstractItemView.EnsureVisible)
        self._view.setFocus(Qt.OtherFocusReason)

    def current_key(self) -> CellKey | None:
        cell = self._model.cell_at(self._view.currentIndex())
        return None if cell is None else cell.value

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self._format_id = self._report.format_id
        self._view.clearSpans()
        self._model.build(self._report, self._table_id)
        for c in self._model.cells:
            if c.rowspan > 1 or c.colspan > 1:
                self._view.setSpan(c.row, c.col, c.rowspan, c.colspan)
        self._build_units()
        self._relayout()
        first = next((c for row in self._model.value_rows for c in row if self._model.is_editable(c)), None)
        if first is not None:
            self._view.setCurrentIndex(self._model.index(first.row, first.col))

    def _build_units(self) -> None:
        """A small unit chooser above the table for every cell whose format offers a choice."""
        while self._units_layout.count():
            item = self._units_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._unit_combos = {}
        table = self._report.format.table(self._table_id)
        for key, cell in self._model.by_key.items():
            units = table.cell_units(key[1], key[2])
            if len(units) < 2:
                continue
            label = QLabel(UNIT_LABEL.format(name=self._model.names[key]))
            combo = QComboBox()
            combo.addItems(list(units))
            combo.setCurrentText(self._report.unit_for(key) or units[0])
            combo.setEnabled(not self._read_only)
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            combo.textActivated.connect(lambda unit, k=key: self._choose_unit(k, unit))
            label.setBuddy(combo)
            self._units_layout.addWidget(label)
            self._units_layout.addWidget(combo)
            self._unit_combos[key] = combo
        self._units_layout.addStretch(1)
        self._units_bar.setVisible(bool(self._unit_combos))

    def _sync_units(self) -> None:
        for key, combo in self._unit_combos.items():
            unit = self._report.unit_for(key)
            if unit and combo.currentText() != unit:
                combo.setCurrentText(unit)

    def _choose_unit(self, key: CellKey, unit: str) -> None:
        if self._read_only:
            self.message.emit(CT.REPORT_FINAL)
            self._sync_units()
            return
        if unit == self._report.unit_for(key):
            return
        self.unit_changed.emit("/".join(key), unit)
        self.refresh()  # shows what the caller stored (the old unit again if it refused)

    # -- layout -------------------------------------------------------------------------------------
    def _relayout(self) -> None:
        """Column widths and row heights from the font (never fixed pixels): value columns narrow,
        row labels wrapping, every header fully visible."""
        m = self._model
        if not m.n_cols:
            return
        view = self._view
        base = QFont(view.font())
        m.value_font = m.label_font = base
        head = QFont(base)
        head.setBold(True)  # a CJK font without a bold face is emboldened only from Bold up
        m.header_font = head
        fm = QFontMetrics(base)
        fh = QFontMetrics(head)
        em = max(fm.horizontalAdvance("中"), fm.height() * 0.8)
        self._text_margin = max(3, round(em * 0.3))
        self._marker_size = max(8, round(em * 0.8))
        pad = 2 * self._text_margin + 2
        value_cols = {k for c in m.cells if c.value is not None for k in range(c.col, c.col + c.colspan)}
        value_min = max(fm.horizontalAdvance(VALUE_MIN_DIGITS), 3 * em) + pad
        widths = [0] * m.n_cols
        natural = [0] * m.n_cols  # label columns: width without wrapping (up to LABEL_MAX_EM)
        for col in range(m.n_cols):
            if col in value_cols:
                widths[col] = value_min
        for c in m.cells:
            if c.value is not None or c.colspan != 1 or not c.text:
                continue
            extra = self._marker_size if (c.row, c.col) in m.gloss else 0
            label = (c.row, c.col) in m.row_labels
            metrics = fh if m.is_bold(c) else fm
            w = max(metrics.horizontalAdvance(line) for line in m.shown[(c.row, c.col)].split("\n")) + extra
            if c.col in value_cols:
                widths[c.col] = max(widths[c.col], min(w, VALUE_HEADER_EM * em + extra) + pad)
            elif label and c.rowspan == 1:
                widths[c.col] = max(widths[c.col], min(w, LABEL_MAX_EM * em) + pad)
                natural[c.col] = max(natural[c.col], min(w, LABEL_MAX_EM * 1.6 * em) + pad)
            elif label:  # a group label beside several rows wraps early
                widths[c.col] = max(widths[c.col], min(w, GROUP_MAX_EM * em) + pad)
        for col in range(m.n_cols):
            widths[col] = max(widths[col], round(LABEL_MIN_EM * em) + pad)
        self._natural_width = sum(widths)
        # Fill the available width: first let long row labels unwrap, then widen value columns.
        avail = view.viewport().width()
        spare = avail - sum(widths) - 2
        if spare > 0:
            for col in sorted(range(m.n_cols), key=lambda k: natural[k] - widths[k], reverse=True):
                grow = min(spare, max(0, natural[col] - widths[col]))
                widths[col] += grow
                spare -= grow
        if spare < 0:
            # A narrow window: wrap the long row labels more before the numbers scroll away.
            for col in sorted(range(m.n_cols), key=lambda k: natural[k], reverse=True):
                floor = round(LABEL_SQUEEZE_EM * em) + pad
                if natural[col] and widths[col] > floor:
                    give = min(-spare, widths[col] - floor)
                    widths[col] -= give
                    spare += give
                if spare >= 0:
                    break
        if spare > 0 and value_cols:
            cols = sorted(value_cols)
            room = [max(0, round(VALUE_MAX_EM * em) + pad - widths[c]) for c in cols]
            share = spare // len(cols)
            for c, r in zip(cols, room):
                widths[c] += min(share, r)
        for col, w in enumerate(widths):
            view.setColumnWidth(col, int(w))
        # Row heights: every text fully visible once wrapped into its (merged) width.
        line = fm.lineSpacing()
        vpad = max(4, round(line * 0.45))
        heights = [line + 2 * vpad] * m.n_rows
        tall: list[tuple[GridCell, int]] = []
        self._wrap = {}
        for c in m.cells:
            if c.value is not None or not c.text:
                continue
            width = int(sum(widths[c.col:c.col + c.colspan]) - pad)
            if (c.row, c.col) in m.gloss:
                width -= self._marker_size
            metrics = fh if m.is_bold(c) else fm
            text = m.shown[(c.row, c.col)]

            def height(w: int) -> int:
                return metrics.boundingRect(QRect(0, 0, max(1, w), 100000),
                                            int(Qt.TextWordWrap | Qt.AlignLeft), text).height()

            text_height = height(width)
            if text_height > metrics.lineSpacing() * 1.5 * (text.count("\n") + 1):
                # It wraps: the narrowest width with as many lines balances them.
                lo, hi = width // 3, width
                while lo < hi:
                    mid = (lo + hi) // 2
                    if height(mid) > text_height:
                        lo = mid + 1
                    else:
                        hi = mid
                self._wrap[(c.row, c.col)] = hi + 2
            need = text_height + 2 * vpad
            if c.rowspan == 1:
                heights[c.row] = max(heights[c.row], need)
            else:
                tall.append((c, need))
        for c, need in tall:
            have = sum(heights[c.row:c.row + c.rowspan])
            if need > have:
                extra = math.ceil((need - have) / c.rowspan)
                for r in range(c.row, c.row + c.rowspan):
                    heights[r] += extra
        for row, h in enumerate(heights):
            view.setRowHeight(row, int(h))
        self._natural_height = sum(heights)
        view.updateGeometry()

    # -- navigation -----------------------------------------------------------------------------
    def _neighbor(self, index: QModelIndex, direction: str) -> QModelIndex | None:
        """The next editable value cell from ``index`` (header and derived cells are skipped)."""
        m = self._model
        cell = m.cell_at(index)
        editable = [c for row in m.value_rows for c in row if m.is_editable(c)]
        if not editable:
            return None
        if cell is None:
            target = editable[0]
        elif direction in ("next", "prev"):
            here = (cell.row, cell.col)
            seq = editable if direction == "next" else editable[::-1]
            after = (lambda c: (c.row, c.col) > here) if direction == "next" else (lambda c: (c.row, c.col) < here)
            target = next((c for c in seq if after(c)), None)
        elif direction in ("left", "right"):
            same = [c for c in editable if c.row <= cell.row < c.row + c.rowspan]
            if direction == "right":
                target = min((c for c in same if c.col > cell.col), key=lambda c: c.col, default=None)
            else:
                target = max((c for c in same if c.col < cell.col), key=lambda c: c.col, default=None)
        else:  # up / down, through the cells covering this column
            col = cell.col
            same = [c for c in editable if c.col <= col < c.col + c.colspan]
            if direction == "down":
                target = min((c for c in same if c.row > cell.row), key=lambda c: c.row, default=None)
            else:
                target = max((c for c in same if c.row < cell.row), key=lambda c: c.row, default=None)
        if target is None:
            return None
        return m.index(target.row, target.col)

    def _move(self, direction: str) -> None:
        target = self._neighbor(self._view.currentIndex(), direction)
        if target is not None:
            self._view.setCurrentIndex(target)
            self._view.scrollTo(target)

    # -- editing --------------------------------------------------------------------------------
    def _may_type(self, index: QModelIndex) -> bool:
        """Whether typing may start at ``index``; says why not where that helps the clerk."""
        cell = self._model.cell_at(index)
        if cell is None or cell.value is None:
            return False
        if self._read_only:
            self._refuse(index, CT.REPORT_FINAL)
            return False
        if cell.value in self._model.derived:
            self._refuse(index, CT.VALUE_DERIVED.format(name=self._model.names[cell.value]))
            return False
        return True

    def _finish_edit(self, editor: QLineEdit, move: str) -> None:
        index = QModelIndex(editor.property("cell"))
        text = editor.text()
        self._delegate.closeEditor.emit(editor, QAbstractItemDelegate.NoHint)
        if index.isValid() and self._apply_text(index, text):
            self._move(move)

    def _apply_text(self, index: QModelIndex, text: str) -> bool:
        """Parse and commit one typed value. False when refused (nothing stored)."""
        cell = self._model.cell_at(index)
        if not self._model.is_editable(cell):
            return False
        if self._read_only:
            self._refuse(index, CT.REPORT_FINAL)
            return False
        key = cell.value
        try:
            value = self._report.parse(key, text)
        except InvalidValue as exc:
            self._refuse(index, str(exc))
            return False
        if _same(self._report.values.get(key), value):
            return True
        return self._commit([(key, value)], index)

    def _commit(self, changes: list[tuple[CellKey, V.Value | None]], index: QModelIndex | None = None) -> bool:
        try:
            self._commit_fn(changes)
        except GongkaiError as exc:
            self._refuse(index, str(exc))
            self.refresh()
            return False
        self._model.reload_values(self._report)  # the caller stored them: show what it stored
        return True

    def _refuse(self, index: QModelIndex | None, text: str) -> None:
        """Say ``text`` at the cell (tooltip) and through :attr:`message`."""
        self.message.emit(text)
        view = self._view
        if index is not None and index.isValid() and view.isVisible():
            rect = view.visualRect(index)
            QToolTip.showText(view.viewport().mapToGlobal(rect.bottomLeft()), text, view.viewport(), rect, 8000)

    def _selected_cells(self) -> list[GridCell]:
        m = self._model
        seen: dict[tuple[int, int], GridCell] = {}
        indexes = self._view.selectionModel().selectedIndexes() if self._view.selectionModel() else []
        if not indexes and self._view.currentIndex().isValid():
            indexes = [self._view.currentIndex()]
        for ix in indexes:
            cell = m.cell_at(ix)
            if cell is not None:
                seen[(cell.row, cell.col)] = cell
        return sorted(seen.values(), key=lambda c: (c.row, c.col))

    def clear_selection(self) -> None:
        """Delete: blank the selected value cells in one commit (headers and totals untouched)."""
        cells = [c for c in self._selected_cells() if self._model.is_editable(c)]
        if not cells:
            return
        if self._read_only:
            self._refuse(self._view.currentIndex(), CT.REPORT_FINAL)
            return
        changes = [(c.value, None) for c in cells if self._report.values.get(c.value) is not None]
        if changes and self._commit(changes, self._view.currentIndex()):
            self.message.emit(CLEARED.format(count=len(changes)))

    def copy_selection(self) -> None:
        """Ctrl+C: the selected cells as tab-separated text (Excel/WPS), one line per grid row."""
        lines: dict[int, list[str]] = {}
        for cell in self._selected_cells():
            text = cell.text if cell.value is None else self._model.texts.get(cell.value, "")
            lines.setdefault(cell.row, []).append(_tsv_cell(text))
        if lines:
            QGuiApplication.clipboard().setText("\n".join("\t".join(lines[r]) for r in sorted(lines)) + "\n")

    def paste(self, text: str | None = None) -> None:
        """Ctrl+V: fill value cells from the current one rightwards and downwards."""
        if text is None:
            text = QGuiApplication.clipboard().text()
        index = self._view.currentIndex()
        if self._read_only:
            self._refuse(index, CT.REPORT_FINAL)
            return
        block = parse_tsv(text or "")
        if not block:
            self.message.emit(PASTE_EMPTY)
            return
        m = self._model
        start = m.cell_at(index)
        if start is None or start.value is None:
            self._refuse(index, PASTE_NO_TARGET)
            return
        if len(block) == 1 and len(block[0]) == 1:
            # One value onto a selection fills every selected cell, as in Excel.
            targets = [c for c in self._selected_cells() if c.value is not None] or [start]
            pairs = [(c, block[0][0]) for c in targets]
            outside = 0
        else:
            pairs, outside = self._map_block(start, block)
        changes: list[tuple[CellKey, V.Value | None]] = []
        refused: list[str] = []
        totals = 0
        accepted = 0
        for cell, raw in pairs:
            key = cell.value
            if key in m.derived:
                totals += bool(raw.strip())
                continue
            try:
                value = self._report.parse(key, raw)
            except InvalidValue as exc:
                msg = str(exc)
                name = m.names[key]
                refused.append(msg if name in msg else f"{name}：{msg}")
                continue
            accepted += 1
            if not _same(self._report.values.get(key), value):
                changes.append((key, value))
        if changes and not self._commit(changes, index):
            return
        if refused:
            details = DETAIL_SEP.join(refused[:MAX_DETAILS])
            if len(refused) > MAX_DETAILS:
                details += CT.AND_MORE
            text_out = PASTE_REFUSED.format(count=accepted, refused=len(refused), details=details)
        else:
            text_out = PASTE_DONE.format(count=accepted)
        if totals:
            text_out += PASTE_TOTALS.format(count=totals)
        if outside:
            text_out += PASTE_OUTSIDE.format(count=outside)
        if refused:
            self._refuse(index, text_out)
        else:
            self.message.emit(text_out)

    def _map_block(self, start: GridCell, block: list[list[str]]) -> tuple[list[tuple[GridCell, str]], int]:
        """Where each pasted value goes: rows and columns of value cells from ``start``, header
        cells and totals skipped. A block that only fits when the totals are counted (copied
        from a filled-in official table, totals included) keeps them in place instead; the
        values pasted onto totals are then ignored."""
        m = self._model
        rows_after = [row for row in m.value_rows if row[0].row >= start.row]

        def right_of(row: list[GridCell]) -> list[GridCell]:
            return [c for c in row if c.col + c.colspan > start.col]

        editable_rows = [row for row in rows_after if any(m.is_editable(c) for c in right_of(row))]
        rows = editable_rows
        if len(editable_rows) < len(block) <= len(rows_after):
            rows = rows_after
        pairs: list[tuple[GridCell, str]] = []
        outside = 0
        for r, values in enumerate(block):
            if r >= len(rows):
                outside += sum(1 for v in values if v.strip())
                continue
            cells = right_of(rows[r])
            editable = [c for c in cells if m.is_editable(c)]
            targets = editable
            if len(editable) < len(values) <= len(cells):
                targets = cells
            for k, raw in enumerate(values):
                if k < len(targets):
                    pairs.append((targets[k], raw))
                elif raw.strip():
                    outside += 1
        return pairs, outside
