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
    QAbstractTableModel, QEvent, QLine, QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize,
    Qt, Signal,
)
from PySide6.QtGui import (
    QColor, QFont, QFontMetrics, QGuiApplication, QInputMethodEvent, QKeySequence, QPainter, QPalette,
    QPen, QPolygon,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QMenu, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QToolTip,
    QVBoxLayout, QWidget,
)

from .. import texts as CT
from ..report import values as V
from ..errors import GongkaiError, InvalidValue
from . import colors as C
from .widgets import wrapped_tip
from ..report.formats import CellKey, GridCell
from ..report.model import Report
from ..report.rules import SEVERITY_ORDER, findings_by_cell

from .texts import (  # the table editor's wording lives with the rest of the window's
    TIP_DERIVED,
    TIP_GLOSS,
    TIP_FINDING,
    TIP_EXPLAINED,
    PASTE_DONE,
    PASTE_REFUSED,
    PASTE_OUTSIDE,
    PASTE_TOTALS,
    PASTE_NO_TARGET,
    PASTE_EMPTY,
    CLEARED,
    UNIT_LABEL,
    MENU_COPY,
    MENU_PASTE,
    MENU_CLEAR,
    DETAIL_SEP,
)
MAX_DETAILS = 3

# Cell colours (ui/colors.py), made into QColors once: painting looks them up per cell.
HEADER_BG = QColor(C.HEADER_BG)
HEADER_FG = QColor(C.TEXT)
DERIVED_BG = QColor(C.DERIVED_BG)
DERIVED_FG = QColor(C.DERIVED_FG)
FINDING_BG = {k: QColor(v) for k, v in C.FINDING_BG.items()}
FINDING_MARK = {k: QColor(v) for k, v in C.FINDING_MARK.items()}
GLOSS_MARK = QColor(C.GLOSS_MARK)
UNIT_FG = QColor(C.UNIT)
GRID_LINE = QColor(C.RULE)

# Extra model roles (read by the delegate).
UNIT_ROLE = Qt.UserRole + 2
GLOSS_ROLE = Qt.UserRole + 3
MARK_ROLE = Qt.UserRole + 4

# Qt constants looked up once: ``Qt.DisplayRole``-style names resolve through PySide6's slow
# compatibility lookup (microseconds each) and ``|`` on its enums runs Python code — too dear
# for code that runs for every painted cell.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ROLES = (_DISPLAY, _TOOLTIP, _FONT, _ALIGNMENT, _BACKGROUND, _FOREGROUND, UNIT_ROLE, GLOSS_ROLE, MARK_ROLE)
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft)
_ALIGN_ROW_LABEL = _ALIGN_LEFT | int(Qt.AlignmentFlag.AlignVCenter)
_WORD_WRAP = int(Qt.TextFlag.TextWordWrap)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDIT_FLAGS = _CELL_FLAGS | Qt.ItemFlag.ItemIsEditable
_BASE = QPalette.ColorRole.Base
_TEXT = QPalette.ColorRole.Text
_HIGHLIGHT = QPalette.ColorRole.Highlight
_SELECTED = QStyle.StateFlag.State_Selected
_EDITING = QAbstractItemView.State.EditingState
_ANTIALIAS = QPainter.RenderHint.Antialiasing
_RESIZE = QEvent.Type.Resize
_TOOLTIP_EVENT = QEvent.Type.ToolTip
# What the delegate paints for a grid position no cell covers (see _GridModel.restyle).
_BLANK_LOOK = (None, None, None, "", _ALIGN_CENTER, None, (0, 0), None, None, None)


def _center(a: int, b: int) -> int:
    """QRect.center() of the span a..b (C++ division truncates towards zero)."""
    return int((a + b) / 2)

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


def _marker_style(font: QFont, size: int) -> tuple[int, QPen, QFont]:
    """The ⓘ of a header cell with a help text: its diameter, pen and font (for the "i")."""
    d = size - 2
    f = QFont(font)
    f.setPixelSize(max(5, int(d * 0.75)))
    f.setBold(True)
    return d, QPen(GLOSS_MARK, max(1.0, d / 10)), f


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
        self.paint_order: list[tuple[int, int, int, int]] = []  # (row, col, rowspan, colspan)
        self.header_rows = 0  # leading rows pinned at the top while the rest scrolls (grid.header_rows)
        self.pinned_order: list[tuple[int, int, int, int]] = []  # paint_order within those rows
        self.label_cols = 0  # leading columns without value cells, frozen while the values scroll sideways
        self.frozen_order: list[tuple[int, int, int, int]] = []  # paint_order within those columns
        self.corner_order: list[tuple[int, int, int, int]] = []  # … and within the header rows too
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
        # What is shown, worked out from the fields above whenever they change (build, values,
        # findings, fonts and layout, read-only) — data(), flags() and the delegate only look up.
        self.role_data: dict[int, dict[tuple[int, int], object]] = {r: {} for r in _ROLES}
        self.looks: dict[tuple[int, int], tuple] = {}  # top-left corner → what paint() draws
        self.flag_data: dict[tuple[int, int], Qt.ItemFlag] = {}  # every grid position
        self._role_lookup = dict(self.role_data)
        self._role_lookup[_EDIT] = self.role_data[_DISPLAY]

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
        # What the view paints: every cell (top-left, size), then any position no cell covers.
        self.paint_order = [(c.row, c.col, c.rowspan, c.colspan) for c in self.cells]
        self.paint_order += [(r, k, 1, 1) for r in range(self.n_rows) for k in range(self.n_cols)
                             if (r, k) not in self.cover]
        self.header_rows = min(grid.header_rows, self.n_rows)
        self.pinned_order = [(r, k, min(rs, self.header_rows - r), cs)
                             for r, k, rs, cs in self.paint_order if r < self.header_rows]
        rows: dict[int, list[GridCell]] = {}
        for c in self.cells:
            if c.value is not None:
                rows.setdefault(c.row, []).append(c)
        self.label_cols = min((c.col for c in self.cells if c.value is not None), default=0)
        self.frozen_order = [(r, k, rs, min(cs, self.label_cols - k))
                             for r, k, rs, cs in self.paint_order if k < self.label_cols]
        self.corner_order = [(r, k, rs, min(cs, self.label_cols - k))
                             for r, k, rs, cs in self.pinned_order if k < self.label_cols]
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
        for d in self.role_data.values():  # filled by restyle() once the editor has laid it out
            d.clear()
        self.looks = {}
        self.restyle_flags()
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
        self.restyle(changed)
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
        changed = [k for k in old.keys() | self.findings.keys() if old.get(k) != self.findings.get(k)]
        self.restyle(changed)
        self._changed(changed)

    # -- display caches -------------------------------------------------------------------------
    def restyle(self, keys: Iterable[CellKey] | None = None) -> None:
        """Work out what the cells of ``keys`` (every cell when None) show: their text, colours,
        font, alignment, tooltip and how the delegate paints them."""
        ed = self._ed
        roles = self.role_data
        if keys is None:
            cells: Iterable[GridCell] = self.cells
            for d in roles.values():
                d.clear()
            self.looks = {}
        else:
            cells = [self.by_key[k] for k in keys]
        looks = self.looks
        wraps = ed._wrap
        fm = None
        for c in cells:
            pos = (c.row, c.col)
            key = c.value
            unit = mark = gloss = None
            widths = (0, 0)
            if key is None:  # a header cell
                text = self.shown[pos]
                bg, fg = HEADER_BG, HEADER_FG
                font = self.header_font if self.is_bold(c) else self.label_font
                align = _ALIGN_ROW_LABEL if pos in self.row_labels and c.rowspan == 1 else _ALIGN_CENTER
                tip = gloss = self.gloss.get(pos)
            else:
                text = self.texts.get(key, "")
                finding = self.findings.get(key)
                derived = key in self.derived
                bg = FINDING_BG.get(finding[0]) if finding else None
                if bg is None and derived:
                    bg = DERIVED_BG
                fg = DERIVED_FG if derived else None
                font = self.value_font
                align = _ALIGN_CENTER
                unit = self.units.get(key)
                mark = finding[0] if finding else None
                parts = [self.names[key]]
                if derived:
                    parts.append(self.derived_tip[key])
                if finding:
                    parts.append(finding[1])
                tip = "\n".join(parts)
                if unit:
                    if fm is None:
                        fm = QFontMetrics(font)
                    widths = (fm.horizontalAdvance(text) if text else 0, fm.horizontalAdvance(" " + unit))
            for role, value in ((_DISPLAY, text), (_TOOLTIP, tip), (_FONT, font), (_ALIGNMENT, align),
                                (_BACKGROUND, bg), (_FOREGROUND, fg), (UNIT_ROLE, unit),
                                (GLOSS_ROLE, gloss), (MARK_ROLE, mark)):
                if value is None:
                    roles[role].pop(pos, None)
                else:
                    roles[role][pos] = value
            looks[pos] = (bg, fg, font, text, align, unit, widths, FINDING_MARK.get(mark), wraps.get(pos),
                          _marker_style(font, ed._marker_size) if gloss else None)

    def restyle_flags(self) -> None:
        """Which grid positions may be selected and edited (after a build or read-only)."""
        editable = not self._ed._read_only
        self.flag_data = {pos: _EDIT_FLAGS if editable and self.is_editable(c) else _CELL_FLAGS
                          for pos, c in self.cover.items()}

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
        return self.flag_data.get((index.row(), index.column()), _NO_FLAGS)

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        values = self._role_lookup.get(role)
        if values is None:
            return None
        return values.get((index.row(), index.column()))


# ---------------------------------------------------------------------------------------------
# Delegate: painting (so the measured layout and the painted text agree) and the line editor


class _CellDelegate(QStyledItemDelegate):
    def __init__(self, editor: "TableEditor"):
        super().__init__(editor)
        self._ed = editor

    # -- painting -------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        """One cell, when Qt asks; the view paints all its cells at once (_GridView.paintEvent)."""
        ed = self._ed
        view = ed._view
        row, col = index.row(), index.column()
        x1, y1, x2, y2 = option.rect.getCoords()
        current = index == view.currentIndex() and (view.hasFocus() or view.state() == _EDITING)
        cell = (ed._model.looks.get((row, col), _BLANK_LOOK), x1, y1, x2, y2, row == 0, col == 0,
                bool(option.state & _SELECTED), current)
        painter.save()
        self.paint_cells(painter, [cell], option.palette, option.font)
        painter.restore()

    def paint_cells(self, painter: QPainter, cells: list[tuple], palette: QPalette, font: QFont) -> None:
        """Paint ``cells``: (look, x1, y1, x2, y2, first row, first column, selected, current)
        each, ``look`` from the model's display cache (_GridModel.restyle). Nothing is asked of
        the model and no font, colour or metrics is made per cell.

        Layer by layer (backgrounds, rules, texts, ⓘ, finding marks, selection, current-cell
        frame) rather than cell by cell: far fewer painter calls, each of which may have to
        wait for the interpreter lock while a worker thread (the print preview) runs. Every
        layer stays inside its own cell, so each pixel gets the same layers in the same order."""
        ed = self._ed
        margin = ed._text_margin
        marker = ed._marker_size
        # Fill every cell and draw its right and bottom rule (and the outer top and left ones):
        # the view's own grid leaves stubs inside merged cells.
        base = palette.color(_BASE)
        rules: list[QLine] = []
        for look, x1, y1, x2, y2, top, left, _, _ in cells:
            painter.fillRect(x1, y1, x2 - x1 + 1, y2 - y1 + 1, look[0] if look[0] is not None else base)
            rules.append(QLine(x2, y1, x2, y2))
            rules.append(QLine(x1, y2, x2, y2))
            if top:
                rules.append(QLine(x1, y1, x2, y1))
            if left:
                rules.append(QLine(x1, y1, x1, y2))
        painter.setPen(GRID_LINE)
        painter.drawLines(rules)
        text_color = palette.color(_TEXT)
        pen = font_now = None
        glossed = []
        for cell in cells:
            look, x1, y1, x2, y2 = cell[:5]
            _, fg, cell_font, text, align, unit, (tw, uw), _, wrap, gloss = look
            if gloss:
                glossed.append(cell)
            if not (text or unit):
                continue
            cell_font = cell_font if cell_font is not None else font
            if cell_font is not font_now:
                painter.setFont(cell_font)
                font_now = cell_font
            fg = fg if fg is not None else text_color
            left = x1 + margin
            right = x2 - margin - (marker if gloss else 0)
            height = y2 - y1 + 1
            if unit:
                # The number, then the unit in grey, centred together as one piece; kept inside
                # the cell when they do not fit.
                x = _center(left, right) - (tw + uw) // 2
                clip = x < x1 or x + tw + uw + 2 > x2 + 1
                if clip:
                    painter.save()
                    painter.setClipRect(x1, y1, x2 - x1 + 1, height, Qt.ClipOperation.IntersectClip)
                if text:
                    painter.setPen(fg)
                    painter.drawText(x, y1, tw, height, _ALIGN_ROW_LABEL, text)
                painter.setPen(UNIT_FG)
                painter.drawText(x + tw, y1, uw + 2, height, _ALIGN_ROW_LABEL, " " + unit)
                pen = UNIT_FG
                if clip:
                    painter.restore()
                    pen = font_now = None
                continue
            if fg is not pen:
                painter.setPen(fg)
                pen = fg
            width = right - left + 1
            if wrap is not None and wrap < width:
                # Wrapped header text in balanced lines (社会公益/组织, not 社会公益组/织).
                x = left if align & _ALIGN_LEFT else _center(left, right) - wrap // 2
                painter.drawText(x, y1, wrap, height, align | _WORD_WRAP, text)
            else:
                painter.drawText(left, y1, width, height, align | _WORD_WRAP, text)
        if glossed:
            # A small ⓘ in the top-right corner: this label has a help text on hover.
            smooth = painter.testRenderHint(_ANTIALIAS)
            painter.setRenderHint(_ANTIALIAS, True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for cell in glossed:
                d, gloss_pen, gloss_font = cell[0][9]
                x, y = cell[3] - d - 2, cell[2] + 3
                painter.setPen(gloss_pen)
                painter.drawEllipse(x, y, d, d)
                painter.setFont(gloss_font)
                painter.drawText(x, y, d, d, _ALIGN_CENTER, "i")
            painter.setRenderHint(_ANTIALIAS, smooth)
        marked = [cell for cell in cells if cell[0][7] is not None]
        if marked:
            painter.setPen(Qt.PenStyle.NoPen)
            for look, x1, y1, x2, *_ in marked:
                painter.setBrush(look[7])
                painter.drawPolygon(QPolygon([QPoint(x2 + 1, y1), QPoint(x2 + 1 - marker, y1),
                                              QPoint(x2 + 1, y1 + marker)]))
        highlight = None
        for _, x1, y1, x2, y2, _, _, selected, current in cells:
            if selected or current:
                if highlight is None:
                    highlight = palette.color(_HIGHLIGHT)
                    shade = QColor(highlight)
                    shade.setAlpha(70)
                if selected:
                    painter.fillRect(x1, y1, x2 - x1 + 1, y2 - y1 + 1, shade)
        if highlight is not None:
            for _, x1, y1, x2, y2, _, _, _, current in cells:
                if current:
                    frame = QPen(highlight)
                    frame.setWidth(2)
                    painter.setPen(frame)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRect(x1 + 1, y1 + 1, x2 - x1 - 1, y2 - y1 - 1)

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
            editor.setText(self._ed._model.data(index, _EDIT) or "")

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


class _Pane(QWidget):
    """A frozen pane over the viewport of a scrolled table (_GridView paints it): the header rows
    along the top (``rows``) or the row-label columns down the left (``cols``), as in a
    spreadsheet with frozen panes. Read-only: a click here does nothing (the body cell
    underneath is hidden), the wheel scrolls the table, a help text shows on hover."""

    def __init__(self, view: "_GridView", kind: str):
        super().__init__(view)
        self._view = view
        self.kind = kind
        self.setAttribute(Qt.WA_OpaquePaintEvent, True)
        self.setFocusPolicy(Qt.NoFocus)
        self.setContextMenuPolicy(Qt.PreventContextMenu)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._view._paint_pane(self, event.rect())

    def event(self, event) -> bool:
        if event.type() == _TOOLTIP_EVENT:
            found = self._view.pane_cell_at(self, event.pos())
            tip = None
            if found is not None:
                cell, rect = found
                tip = self._view.model().data(self._view.model().index(cell.row, cell.col), _TOOLTIP)
            if tip:
                QToolTip.showText(event.globalPos(), wrapped_tip(tip), self, rect)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt API
        event.accept()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt API
        # Placed at the viewport's origin: the event's position holds there too.
        QApplication.sendEvent(self._view.viewport(), event)


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
        self._pinned = _Pane(self, "rows")
        self._pinned.hide()
        self._frozen = _Pane(self, "cols")
        self._frozen.hide()
        self.verticalScrollBar().valueChanged.connect(self._sync_pinned)
        self.horizontalScrollBar().valueChanged.connect(self._sync_pinned)
        self.verticalHeader().sectionResized.connect(self._sync_pinned)
        self.horizontalHeader().sectionResized.connect(self._sync_pinned)

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

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        # The whole visible grid in one call instead of QTableView's, which calls back into
        # Python for every cell (the delegate, and flags() twice) — each callback retaking the
        # interpreter lock, slow while the print preview renders on its worker thread.
        # Same cells, rectangles, states and palette as QTableView::paintEvent and drawCell.
        m = self._ed._model
        if not m.looks or self.isRightToLeft():
            super().paintEvent(event)
            return
        ys = [-self.verticalOffset()]
        for row in range(m.n_rows):
            ys.append(ys[-1] + self.rowHeight(row))
        self._paint(self.viewport(), event.rect(), m.paint_order, ys, -self.horizontalOffset())

    def _paint(self, device: QWidget, area: QRect, order: list[tuple[int, int, int, int]],
               ys: list[int], x0: int, fill: bool = False) -> None:
        """Paint the cells of ``order`` that meet ``area`` on ``device``: the viewport or a frozen
        pane, the first column starting at ``x0`` (``fill``: also the blank beside and below
        the table)."""
        ed = self._ed
        m = ed._model
        ax1, ay1, ax2, ay2 = area.getCoords()
        xs = [x0]
        for col in range(m.n_cols):
            xs.append(xs[-1] + self.columnWidth(col))
        selected: set[tuple[int, int]] = set()
        sm = self.selectionModel()
        if sm is not None and sm.hasSelection():
            for r in sm.selection():
                selected.update((row, col) for row in range(r.top(), r.bottom() + 1)
                                for col in range(r.left(), r.right() + 1))
        current = None
        if self.hasFocus() or self.state() == _EDITING:
            index = self.currentIndex()
            if index.isValid():
                current = (index.row(), index.column())
        looks = m.looks
        cells = []
        right = bottom = 0
        for row, col, rowspan, colspan in order:
            x1, x2 = xs[col], xs[col + colspan] - 1
            y1, y2 = ys[row], ys[row + rowspan] - 1
            right, bottom = max(right, x2), max(bottom, y2)
            if x2 < ax1 or x1 > ax2 or y2 < ay1 or y1 > ay2 or x1 > x2 or y1 > y2:
                continue
            pos = (row, col)
            cells.append((looks.get(pos, _BLANK_LOOK), x1, y1, x2, y2, row == 0, col == 0,
                          pos in selected, pos == current))
        blank = fill and (right < ax2 or bottom < ay2)
        if not (cells or blank):
            return
        palette = QPalette(self.palette())
        # QTableView paints an enabled cell with the Normal colour group, active window or not.
        palette.setCurrentColorGroup(QPalette.ColorGroup.Normal if self.isEnabled() else QPalette.ColorGroup.Disabled)
        painter = QPainter(device)
        try:
            if blank:
                base = palette.color(_BASE)
                if right < ax2:
                    x = max(right + 1, ax1)
                    painter.fillRect(x, ay1, ax2 - x + 1, ay2 - ay1 + 1, base)
                if bottom < ay2:
                    y = max(bottom + 1, ay1)
                    painter.fillRect(ax1, y, ax2 - ax1 + 1, ay2 - y + 1, base)
            if cells:
                ed._delegate.paint_cells(painter, cells, palette, self.font())
        finally:
            painter.end()

    # -- frozen panes -------------------------------------------------------------------------------
    # The grid's header rows (表三's 申请人情况 / 自然人 / 商业企业 …) stay at the top while the body
    # scrolls, and its row labels (一、本年新收… down the left) stay in sight while the values
    # scroll sideways, as in a spreadsheet with frozen panes. Each is a _Pane over the viewport,
    # shown once the table is scrolled that way, painted with the view's sizes and painting;
    # the label pane, on top, also holds the corner where the two meet.

    def _row_edges(self, y0: int, rows: int) -> list[int]:
        ys = [y0]
        for row in range(rows):
            ys.append(ys[-1] + self.rowHeight(row))
        return ys

    def pinned_height(self) -> int:
        """Height of the pinned band: the header rows, 0 when the grid has none or when they
        would leave less than half the viewport to the body."""
        m = self._ed._model
        if not m.header_rows or self.isRightToLeft():
            return 0
        band = self._row_edges(0, m.header_rows)[-1]
        return band if 2 * band <= self.viewport().height() else 0

    def frozen_width(self) -> int:
        """Width of the frozen label columns, 0 when the grid has none or when they would leave
        less than two fifths of the viewport to the values."""
        m = self._ed._model
        if not 0 < m.label_cols < m.n_cols or self.isRightToLeft():
            return 0
        band = sum(self.columnWidth(col) for col in range(m.label_cols))
        return band if 5 * band <= 3 * self.viewport().width() else 0

    def _sync_pinned(self, *_) -> None:
        """Show, place or hide the frozen panes (on scrolling, resizing and relayout)."""
        vp = self.viewport().geometry()
        pinned, frozen = self._pinned, self._frozen
        rows_band, cols_band = self.pinned_height(), self.frozen_width()
        for pane, band, offset, rect in (
                (pinned, rows_band, self.verticalOffset(), QRect(vp.x(), vp.y(), vp.width(), rows_band)),
                (frozen, cols_band, self.horizontalOffset(), QRect(vp.x(), vp.y(), cols_band, vp.height()))):
            if band and offset > 0:
                if pane.geometry() != rect:
                    pane.setGeometry(rect)
                if pane.isHidden():
                    pane.show()
            elif not pane.isHidden():
                pane.hide()
        if not frozen.isHidden():
            frozen.raise_()  # over the pinned rows: the corner where the two panes meet
        self._update_pinned()

    def _update_pinned(self, *_) -> None:
        for pane in (self._pinned, self._frozen):
            if not pane.isHidden():
                pane.update()

    def _paint_pane(self, pane: _Pane, area: QRect) -> None:
        m = self._ed._model
        if pane.kind == "rows":
            self._paint(pane, area, m.pinned_order, self._row_edges(0, m.header_rows),
                        -self.horizontalOffset(), fill=True)
            return
        self._paint(pane, area, m.frozen_order, self._row_edges(-self.verticalOffset(), m.n_rows), 0, fill=True)
        if not self._pinned.isHidden():
            corner = area & QRect(0, 0, pane.width(), self._pinned.height())
            if not corner.isEmpty():
                self._paint(pane, corner, m.corner_order, self._row_edges(0, m.header_rows), 0)

    def pane_cell_at(self, pane: _Pane, pos: QPoint) -> tuple[GridCell, QRect] | None:
        """The cell under ``pos`` in a frozen pane, and its rectangle there."""
        m = self._ed._model
        pinned_rows = pane.kind == "rows" or (not self._pinned.isHidden() and pos.y() < self._pinned.height())
        ys = self._row_edges(0, m.header_rows) if pinned_rows else self._row_edges(-self.verticalOffset(), m.n_rows)
        xs = [0 if pane.kind == "cols" else -self.horizontalOffset()]
        for col in range(m.label_cols if pane.kind == "cols" else m.n_cols):
            xs.append(xs[-1] + self.columnWidth(col))
        row = next((r for r in range(len(ys) - 1) if ys[r] <= pos.y() < ys[r + 1]), None)
        col = next((k for k in range(len(xs) - 1) if xs[k] <= pos.x() < xs[k + 1]), None)
        cell = m.cover.get((row, col)) if row is not None and col is not None else None
        if cell is None:
            return None
        last_row = min(cell.row + cell.rowspan, len(ys) - 1)
        last_col = min(cell.col + cell.colspan, len(xs) - 1)
        return cell, QRect(xs[cell.col], ys[cell.row], xs[last_col] - xs[cell.col], ys[last_row] - ys[cell.row])

    def pinned_cell_at(self, pos: QPoint) -> tuple[GridCell, QRect] | None:
        """The header cell under ``pos`` in the pinned band, and its rectangle there."""
        return self.pane_cell_at(self._pinned, pos)

    def setModel(self, model) -> None:  # noqa: N802 - Qt API
        super().setModel(model)
        sm = self.selectionModel()
        sm.selectionChanged.connect(self._update_pinned)
        sm.currentChanged.connect(self._update_pinned)
        model.modelReset.connect(self._sync_pinned)
        model.dataChanged.connect(
            lambda top, bottom, roles=(): (top.row() < model.header_rows or top.column() < model.label_cols)
            and self._update_pinned())

    def scrollTo(self, index, hint=QAbstractItemView.ScrollHint.EnsureVisible) -> None:  # noqa: N802
        # A body cell scrolled to must not end up under the pinned header rows or the frozen labels.
        super().scrollTo(index, hint)
        if not index.isValid():
            return
        m = self._ed._model
        cell = m.cell_at(index)
        row = cell.row if cell is not None else index.row()
        col = cell.col if cell is not None else index.column()
        band = self.pinned_height()
        top = self.rowViewportPosition(row)
        if band and row >= m.header_rows and top < band:
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() - (band - top))
        band = self.frozen_width()
        left = self.columnViewportPosition(col)
        if band and col >= m.label_cols and left < band:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - (band - left))

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == _RESIZE:  # the window, or a scroll bar coming or going
            self._sync_pinned()
        elif kind == _TOOLTIP_EVENT:
            # QTableView would show the cell's text as one unwrapped line (a finding's message
            # and explanation ran ~1,270 px wide): shown wrapped instead.
            index = self.indexAt(event.pos())
            tip = self.model().data(index, _TOOLTIP) if index.isValid() else None
            if tip:
                QToolTip.showText(event.globalPos(), wrapped_tip(tip), self.viewport(), self.visualRect(index))
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        self.viewport().update()
        self._update_pinned()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.viewport().update()
        self._update_pinned()

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
    relaid_out = Signal()  # column widths worked out again (a new width, font or report)

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
        self._refusal_shown = False
        self._view.selectionModel().currentChanged.connect(self._moved_on)
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
        self._model.restyle_flags()
        self._model._changed()  # flags changed

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
        # The first view starts at the row labels (一、本年新收…), not scrolled to the first value.
        self._view.horizontalScrollBar().setValue(0)

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
            m.restyle()
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
        # A sideways scroll made for a narrower layout (before the guidance panel stepped aside)
        # is stale: back to the row labels whenever the current cell is in sight from there.
        current = m.cell_at(view.currentIndex())
        if current is not None and sum(widths[:current.col + current.colspan]) <= avail:
            view.horizontalScrollBar().setValue(0)
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
                                            _WORD_WRAP | _ALIGN_LEFT, text).height()

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
        m.restyle()  # new fonts, wrap widths and marker size
        view.updateGeometry()
        self.relaid_out.emit()

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
            QToolTip.showText(view.viewport().mapToGlobal(rect.bottomLeft()), wrapped_tip(text), view.viewport(),
                              rect, 8000)
            self._refusal_shown = True

    def _moved_on(self, *_) -> None:
        """The clerk went to another cell: a refusal said at the previous one must not stay
        over the next."""
        if self._refusal_shown:
            self._refusal_shown = False
            QToolTip.hideText()

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
