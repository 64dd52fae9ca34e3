"""汇总: the supervising office's workspace — the year's collection as a sortable, filterable
dashboard (one row per organ), bringing in a folder of reports, the expected list, the Excel
workbook and the 审核意见.

A model/view table (not a widget per row), so a thousand organs sort in milliseconds. All the
work is the collection room's; this page only shows it and asks where files go.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from functools import cmp_to_key
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QCollator, QLocale, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QHeaderView, QLineEdit, QSpinBox, QTableView, QWidget

from ..collection import texts as CT
from ..collection.dashboard import Row
from . import colors as C
from . import texts as T
from .widgets import button, hbox, heading, label, vbox

# A status's tint is its state's (ui/colors.py), like the start page's badges.
_STATUS_BRUSHES = {status: QBrush(QColor(C.STATE_BG[state])) for status, state in (
    (CT.STATUS_MISSING, "empty"), (CT.STATUS_ERRORS, "error"), (CT.STATUS_WARNINGS, "warning"),
    (CT.STATUS_PASSED, "done"), (CT.STATUS_FINAL, "final"))}


_DISPLAY = int(Qt.DisplayRole.value)
_BACKGROUND = int(Qt.BackgroundRole.value)
_ALIGN = int(Qt.TextAlignmentRole.value)
_ROLES = frozenset((_DISPLAY, _BACKGROUND, _ALIGN))
_RIGHT = int((Qt.AlignRight | Qt.AlignVCenter).value)

_DISPLAY = int(Qt.DisplayRole.value)
_BACKGROUND = int(Qt.BackgroundRole.value)
_ALIGN = int(Qt.TextAlignmentRole.value)
_ROLES = frozenset((_DISPLAY, _BACKGROUND, _ALIGN))
_RIGHT = int((Qt.AlignRight | Qt.AlignVCenter).value)

# Chinese order with numbers read as numbers (第2局 before 第10局).
_COLLATOR = QCollator(QLocale(QLocale.Chinese, QLocale.China))
_COLLATOR.setNumericMode(True)


class DashboardModel(QAbstractTableModel):
    """The dashboard's rows, sorted and filtered by the model itself (a proxy calling back into
    Python for every comparison took most of a second for a thousand rows)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self.visible: list[Row] = []
        self.figures: list[tuple[str, str]] = []
        self.text = ""
        self.status = ""
        self._cache: dict[int, tuple[list[str], list[bool]]] = {}
        self._sort: tuple[int, Qt.SortOrder] = (2, Qt.AscendingOrder)

    def set_rows(self, rows: list[Row], figures: list[tuple[str, str]]) -> None:
        self.beginResetModel()
        self.rows, self.figures = rows, figures
        self._cache: dict[int, tuple[list[str], list[bool]]] = {}
        self._apply()
        self.endResetModel()

    def set_filter(self, text: str, status: str) -> None:
        self.beginResetModel()
        self.text, self.status = text, status
        self._apply()
        self.endResetModel()

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply()
        self.layoutChanged.emit()

    def _apply(self) -> None:
        rows = [r for r in self.rows if (not self.status or r.status == self.status)
                and (not self.text or self.text in r.organ or self.text in r.organ_type_label)]
        column, order = self._sort
        if column < self.columnCount():
            keyed = [(self._key(r, column), r) for r in rows]
            numbers = [x for x in keyed if not isinstance(x[0], str)]
            words = [x for x in keyed if isinstance(x[0], str)]
            numbers.sort(key=lambda x: x[0])
            # Chinese order with numbers read as numbers; each distinct text gets its collation key once.
            order_of = {t: i for i, t in enumerate(sorted({k for k, _ in words}, key=cmp_to_key(_COLLATOR.compare)))}
            words.sort(key=lambda x: order_of[x[0]])
            rows = [r for _, r in numbers] + [r for _, r in words]
            if order == Qt.DescendingOrder:
                rows.reverse()
        self.visible = rows

    def _key(self, row: Row, column: int):
        if column == 2:
            return CT.STATUS_ORDER.index(row.status)
        v = self._raw(row, column)
        if v is None:
            return -1.0
        if isinstance(v, _dt.datetime):
            return v.timestamp()
        return v if isinstance(v, str) else float(v)

    def row_at(self, index) -> Row:
        return self.visible[index.row()]

    def headers(self) -> list[str]:
        return [CT.COL_ORGAN, CT.COL_TYPE, CT.COL_STATUS, CT.COL_ERRORS, CT.COL_WARNINGS, CT.COL_SIMILAR,
                CT.COL_REUSE_OWN, *[label for _, label in self.figures], CT.COL_RECEIVED, CT.COL_CARRY]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 9 + len(self.figures)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.headers()[section]
        return None

    def _raw(self, row: Row, col: int):
        fixed = [row.organ, row.organ_type_label, row.status, row.errors, row.warnings,
                 "；".join(CT.SIMILAR_ITEM.format(organ=s.other, share=f"{s.share:.0%}") for s in row.similar_to),
                 row.reuse_own]
        if col < len(fixed):
            return fixed[col]
        col -= len(fixed)
        if col < len(self.figures):
            return row.figures.get(self.figures[col][0])
        return [row.received, row.carry][col - len(self.figures)]

    def _texts(self, row: Row) -> tuple[list[str], list[bool]]:
        """A row's cell texts and which cells are numbers, built once per row (painting asks
        for them many times, and each call into Python costs)."""
        got = self._cache.get(id(row))
        if got is None:
            texts, numeric = [], []
            for col in range(self.columnCount()):
                v = self._raw(row, col)
                numeric.append(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool))
                if v is None:
                    texts.append("")
                elif isinstance(v, float):
                    texts.append(f"{v:.0%}")
                elif isinstance(v, _dt.datetime):
                    texts.append(v.strftime("%Y-%m-%d %H:%M"))
                else:
                    texts.append(str(v))
            got = self._cache[id(row)] = (texts, numeric)
        return got

    def data(self, index, role=_DISPLAY):
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = self.visible[index.row()]
        col = index.column()
        if role == _DISPLAY:
            return self._texts(row)[0][col]
        if role == _BACKGROUND:
            return _STATUS_BRUSHES[row.status] if col == 2 else None
        return _RIGHT if self._texts(row)[1][col] else None


class CollectionPage(QWidget):
    """The dashboard of one year's collection. ``open_requested(report_id)`` opens a report
    read-only with its findings (the main window decides how)."""

    open_requested = Signal(int)
    back_requested = Signal()

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.model = DashboardModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectRows)
        self.view.setEditTriggers(QTableView.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        # Column widths from the header and the first rows: measuring a thousand rows is slow.
        self.view.horizontalHeader().setResizeContentsPrecision(40)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)
        self.view.doubleClicked.connect(self._open)
        self.view.sortByColumn(2, Qt.AscendingOrder)  # worst first: 未报送, 有错误, 有警告 …
        self.year = QSpinBox(self)
        self.year.setRange(2019, 2100)
        self.year.setValue(_dt.date.today().year - 1)
        self.year.setFixedWidth(self.year.fontMetrics().horizontalAdvance("20000") * 2)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(T.COLLECTION_SEARCH)
        self.search.textChanged.connect(self._filter)
        self.status = QComboBox(self)
        self.status.addItems([T.COLLECTION_ALL_STATUSES, *CT.STATUS_ORDER])
        self.status.currentIndexChanged.connect(self._filter)
        self.summary = label(wrap=True)
        self.board = None
        layout = vbox(
            hbox(heading(T.COLLECTION_TITLE), 16, label(T.COLLECTION_YEAR), self.year, "stretch",
                 button(T.COLLECTION_BACK, self.back_requested.emit)),
            hbox(button(T.COLLECTION_ADD_FOLDER, self._add_folder), button(T.COLLECTION_ADD_FILES, self._add_files),
                 button(T.COLLECTION_EXPECTED, self._expected), "stretch",
                 button(T.COLLECTION_XLSX, self._xlsx), button(T.COLLECTION_LETTER, self._letter)),
            hbox(self.search, self.status),
            self.summary,
            self.view,
            margin=12,
        )
        self.setLayout(layout)

    # -- data ---------------------------------------------------------------------------------
    def collection(self):
        from ..collection.store import open_collection

        return open_collection(self.ctx.store, self.year.value())

    def refresh(self) -> None:
        coll = self.collection()
        self.board = coll.dashboard()
        fmt_figures = []
        from ..report.formats import format_for_year

        fmt_figures = [(f.id, f.label) for f in format_for_year(self.year.value()).key_figures]
        first = not self.model.rows
        self.model.set_rows(self.board.rows, fmt_figures)
        if first:
            self.view.resizeColumnsToContents()
        counts = {s: sum(1 for r in self.board.rows if r.status == s) for s in CT.STATUS_ORDER}
        text = T.COLLECTION_SUMMARY.format(total=len(self.board.rows), **{
            "missing": counts[CT.STATUS_MISSING], "errors": counts[CT.STATUS_ERRORS],
            "warnings": counts[CT.STATUS_WARNINGS], "passed": counts[CT.STATUS_PASSED] + counts[CT.STATUS_FINAL]})
        if self.board.suggestions:
            text += "\n" + "\n".join(self.board.suggestions)
        self.summary.setText(text)

    def _filter(self, *_args) -> None:
        self.model.set_filter(self.search.text().strip(),
                              "" if self.status.currentIndex() == 0 else self.status.currentText())

    def _open(self, index) -> None:
        row = self.model.row_at(index)
        if row.report_id is not None:
            self.open_requested.emit(row.report_id)

    # -- actions --------------------------------------------------------------------------------
    def _bring_in(self, paths: list[str]) -> None:
        from ..collection.gather import gather
        from .widgets import information

        outcomes = self.collection().add(gather(paths))
        refused = [o for o in outcomes if not o.kept]
        lines = [f"{Path(o.path).name}：{o.status}" + (f"（{o.note}）" if o.note else "") for o in outcomes]
        information(self, T.COLLECTION_TITLE,
                    T.COLLECTION_ADDED.format(kept=len(outcomes) - len(refused), refused=len(refused)),
                    "\n".join(lines))
        self.refresh()

    def _add_folder(self) -> None:
        from .widgets import existing_directory

        folder = existing_directory(self, T.COLLECTION_ADD_FOLDER, self.ctx.settings.last_file_dir)
        if folder:
            self._bring_in([folder])

    def _add_files(self) -> None:
        from .widgets import open_file_name

        path = open_file_name(self, T.COLLECTION_ADD_FILES, self.ctx.settings.last_file_dir,
                              T.COLLECTION_FILE_FILTER)
        if path:
            self._bring_in([path])

    def _expected(self) -> None:
        from ..collection.expected import read_expected
        from ..errors import GongkaiError
        from ..report.formats import format_for_year
        from .widgets import open_file_name, warning

        path = open_file_name(self, T.COLLECTION_EXPECTED, "", T.COLLECTION_LIST_FILTER)
        if not path:
            return
        try:
            organs, notes = read_expected(path, format_for_year(self.year.value()))
        except GongkaiError as exc:
            warning(self, T.COLLECTION_EXPECTED, str(exc))
            return
        self.collection().set_expected(organs)
        if notes:
            warning(self, T.COLLECTION_EXPECTED, T.COLLECTION_EXPECTED_NOTES, "\n".join(notes))
        self.refresh()

    def _save(self, title: str, name: str, filters: str, make) -> None:
        from ..errors import GongkaiError
        from ..storage.fileio import write_atomic
        from .widgets import critical, open_path, save_file_name

        folder = self.ctx.settings.last_export_dir
        path = save_file_name(self, title, str(Path(folder) / name), filters)
        if not path:
            return
        try:
            write_atomic(Path(path), make(path))
        except GongkaiError as exc:
            critical(self, title, str(exc))
            return
        open_path(Path(path).parent)

    def _xlsx(self) -> None:
        from ..collection.report_files import workbook_name, workbook_file

        coll = self.collection()
        self._save(T.COLLECTION_XLSX, workbook_name(coll.year), T.COLLECTION_XLSX_FILTER,
                   lambda _p: workbook_file(coll))

    def _letter(self) -> None:
        from ..collection.report_files import letter_file, letter_kind, letter_name
        from .widgets import ask_text

        # The letter is signed by the office: asked once, remembered.
        office = ask_text(self, T.COLLECTION_LETTER, T.COLLECTION_OFFICE_PROMPT, self.ctx.settings.collection_office)
        if office is None:
            return
        self.ctx.settings.collection_office = office.strip()
        coll = self.collection()
        self._save(T.COLLECTION_LETTER, letter_name(coll.year), T.COLLECTION_LETTER_FILTER,
                   lambda p: letter_file(coll, letter_kind(p), signoff=office.strip()))
