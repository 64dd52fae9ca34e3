"""The start page: the reports in the store, and what can be done with them."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from typing import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QHeaderView, QProgressDialog, QStackedWidget, QStyle, QStyledItemDelegate,
    QStyleOptionProgressBar, QTableView, QWidget,
)

from ..errors import GongkaiError
from ..storage.fileio import os_error_text
from . import colors as C
from . import texts as T
from . import widgets as W
from .dialogs import add_report, format_short

COLUMNS = T.LIST_COLUMNS  # 机关, 年度, 格式, 状态, 完成度, 错误/警告, 最后修改
STALE_AT_ONCE = 20  # more summaries to check again than this take over half a second: window first
COL_PROGRESS = 4
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_USER = int(Qt.ItemDataRole.UserRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_CENTERED = {1: int(Qt.AlignmentFlag.AlignCenter), COL_PROGRESS: int(Qt.AlignmentFlag.AlignCenter)}


def format_time(iso: str | None, now: _dt.datetime | None = None) -> str:
    """「今天 10:32」, 「昨天 16:05」 or 「2026-01-18 09:12」."""
    t = W.local_time(iso)
    if t is None:
        return iso or ""
    now = now or _dt.datetime.now()
    if t.date() == now.date():
        return T.TIME_TODAY.format(time=t.strftime("%H:%M"))
    if t.date() == now.date() - _dt.timedelta(days=1):
        return T.TIME_YESTERDAY.format(time=t.strftime("%H:%M"))
    return t.strftime("%Y-%m-%d %H:%M")


def _sort_key(column: int):
    """What a column sorts by (plain Python values: the model sorts its own rows, thousands of
    them, without a call back into Python per comparison)."""
    return {
        0: lambda r: r.organ,
        1: lambda r: r.year,
        2: lambda r: r.format_id,
        3: lambda r: (r.status, r.example),
        4: lambda r: r.progress,
        5: lambda r: (r.errors, r.warnings),
        6: lambda r: r.updated_at or "",
    }[column]


def carry_confirmation(organ: str, year: int, format_id: str, to_year: int) -> str:
    """What 从上年结转新建 will do, read from the formats: the cells the new year's format carries
    over, and — when the format changes (2020 → 2021) — what differs in its tables."""
    from ..report.formats import format_for_year, get_format

    old, new = get_format(format_id), format_for_year(to_year)
    carried = ""
    for from_key, to_key in new.carry_pairs():
        if old.has_cell(from_key):
            line = T.CARRY_CELLS.format(number=new.tables[to_key[0]].number,
                                        to=new.tables[to_key[0]].row(to_key[1]).label,
                                        source=old.tables[from_key[0]].row(from_key[1]).label)
            if line not in carried:  # one line per row, not per column
                carried += line
    changes = []
    if new.id != old.id:
        def labels(items) -> str:
            return T.CARRY_LABEL_SEP.join(T.CARRY_LABEL.format(label=i) for i in items)

        for table_id, table in new.tables.items():
            before = old.tables.get(table_id)
            if before is None:
                continue
            cols_old, cols_new = [c.label for c in before.columns()], [c.label for c in table.columns()]
            if cols_old != cols_new:
                changes.append(T.CARRY_COLUMNS.format(number=table.number, new=labels(cols_new), old=labels(cols_old)))
            rows_old, rows_new = [r.label for r in before.rows()], [r.label for r in table.rows()]
            added = [r for r in rows_new if r not in rows_old]
            gone = [r for r in rows_old if r not in rows_new]
            if added:
                changes.append(T.CARRY_ROWS_ADDED.format(number=table.number, rows=labels(added)))
            if gone:
                changes.append(T.CARRY_ROWS_GONE.format(number=table.number, rows=labels(gone)))
    text = T.CARRY_FORMAT.format(to=to_year, new=format_short(new.id), old=format_short(old.id),
                                 changes="\n".join(changes)) if changes else ""
    return T.CARRY_CONFIRM.format(organ=organ, year=year, to=to_year, carried=carried, changes=text)


class ReportListModel(QAbstractTableModel):
    """The rows of the start page (``ReportSummary`` objects from the store), sorted by the
    model itself. What a row shows is worked out when it is first painted and kept, so a list
    of ten thousand reports costs no more to show than the rows on screen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self._cache: list[dict | None] = []
        self._where: dict[int, int] = {}  # report id → row
        self._sort = (1, Qt.DescendingOrder)

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._order()
        self.endResetModel()

    def update_rows(self, changed: list, gone: Iterable[int] = ()) -> None:
        """Replace the rows of ``changed`` (adding new ones) and drop the ids in ``gone``,
        keeping the sort order; the rest of the list is left as it is."""
        gone = set(gone)
        if not changed and not gone & self._where.keys():
            return
        key = _sort_key(self._sort[0])
        if not gone and all(r.id in self._where and key(self.rows[self._where[r.id]]) == key(r) for r in changed):
            # The usual case (back from the report just edited): the rows stay where they are.
            for r in changed:
                row = self._where[r.id]
                self.rows[row], self._cache[row] = r, None
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        fresh = {r.id: r for r in changed}
        self.layoutAboutToBeChanged.emit()
        old_ids = [r.id for r in self.rows]
        old_persistent = self.persistentIndexList()
        keep = {i: c for i, c in zip(old_ids, self._cache) if i not in gone and i not in fresh}
        self.rows = [fresh.pop(r.id, r) for r in self.rows if r.id not in gone] + list(fresh.values())
        self._order(keep)
        self._move_persistent(old_ids, old_persistent)
        self.layoutChanged.emit()

    def _move_persistent(self, old_ids: list[int], old_persistent: list) -> None:
        """The selection and current row follow their report to its new row (or go with it)."""
        moved = []
        for ix in old_persistent:
            row = self._where.get(old_ids[ix.row()]) if 0 <= ix.row() < len(old_ids) else None
            moved.append(self.index(row, ix.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old_persistent, moved)

    def _order(self, keep: dict[int, dict | None] | None = None) -> None:
        column, order = self._sort
        # Ties keep the store's order (newest year first, then organ): a stable sort on it.
        self.rows.sort(key=_sort_key(column), reverse=order == Qt.DescendingOrder)
        keep = keep or {}
        self._cache = [keep.get(r.id) for r in self.rows]
        self._where = {r.id: i for i, r in enumerate(self.rows)}

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:  # noqa: D401 - Qt API
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [r.id for r in self.rows]
        old_persistent = self.persistentIndexList()
        self._sort = (column, order)
        self._order(dict(zip(old_ids, self._cache)))
        self._move_persistent(old_ids, old_persistent)
        self.layoutChanged.emit()

    def row_of(self, report_id: int) -> int | None:
        return self._where.get(report_id)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def summary(self, row: int):
        return self.rows[row]

    @staticmethod
    def _row_data(r) -> dict:
        fg = {}
        if r.errors:
            fg[5] = QBrush(QColor(C.STATE["error"]))
        elif r.warnings:
            fg[5] = QBrush(QColor(C.STATE["warning"]))
        if r.example:
            fg[3] = QBrush(QColor(C.STATE["example"]))
        elif r.status == "final":
            fg[3] = QBrush(QColor(C.STATE["final"]))
        shown = _display(r)
        return {
            _DISPLAY: dict(enumerate(shown)),
            _USER: {COL_PROGRESS: float(r.progress)},  # the progress bar's value
            _FOREGROUND: fg,
            _TOOLTIP: {0: T.EXAMPLE_TOOLTIP if r.example else W.wrapped_tip(r.organ), 5: T.PROBLEMS_TOOLTIP},
            _ALIGNMENT: _CENTERED,
        }

    def data(self, index, role=_DISPLAY):
        # Called for every role of every cell painted: plain ints and dicts only (PySide's enum
        # lookups cost microseconds each).
        row = index.row()
        try:
            d = self._cache[row]
        except IndexError:
            return None
        if d is None:
            d = self._cache[row] = self._row_data(self.rows[row])
        values = d.get(role)
        return None if values is None else values.get(index.column())


def _display(r) -> list[str]:
    if r.deleted_at:
        status = T.DELETED_AT.format(time=format_time(r.deleted_at))
    else:
        status = T.STATUS.get(r.status, r.status)
        if r.example:
            status = T.EXAMPLE_STATUS.format(status=status)
    problems = (T.NO_PROBLEMS if not r.errors and not r.warnings
                else T.PROBLEMS.format(errors=r.errors, warnings=r.warnings))
    return [r.organ, T.YEAR_TEXT.format(year=r.year), format_short(r.format_id), status,
            f"{round(r.progress * 100)}%", problems, format_time(r.updated_at)]


class _ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter, option, index):
        value = index.data(Qt.UserRole)
        if not isinstance(value, float):
            return super().paint(painter, option, index)
        if option.state & QStyle.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(6, 6, -6, -6)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = round(value * 100)
        bar.text = f"{bar.progress}%"
        bar.textVisible = True
        bar.state = QStyle.State_Enabled | QStyle.State_Horizontal
        QApplication.style().drawControl(QStyle.CE_ProgressBar, bar, painter)


class StartPage(QWidget):
    """Lists the reports; emits ``open_requested(id)`` to open one in the editor."""

    open_requested = Signal(int)
    message = Signal(str)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("startPage")
        self.trash_mode = False

        self.title = W.label(T.APP_TITLE, bold=True, size=1.6)
        self.subtitle = W.label("", style=C.style(C.SECONDARY))
        self.crash_banner = W.Banner("info", T.UNCLEAN_SHUTDOWN)
        self.crash_banner.setObjectName("crashBanner")
        self.crash_banner.hide()
        self.example_banner = W.Banner("example", T.EXAMPLE_OFFER)
        self.example_banner.setObjectName("exampleBanner")
        self.example_banner.add_button(T.EXAMPLE_OPEN, self.open_example)
        self.example_banner.closed.connect(self._example_declined)
        self.example_banner.hide()

        self.model = ReportListModel(self)
        self.table = QTableView()
        self.table.setObjectName("reportList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(34)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.Stretch)
        # Widths from the texts a column can hold, not ResizeToContents: that measures up to a
        # thousand rows at every change of the list.
        for c in range(1, len(COLUMNS)):
            h.setSectionResizeMode(c, QHeaderView.Interactive)
        h.setMinimumSectionSize(80)
        self.table.setItemDelegateForColumn(COL_PROGRESS, _ProgressDelegate(self.table))
        self.table.sortByColumn(1, Qt.DescendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())

        self.empty = W.label(T.EMPTY_STORE, wrap=True, style=C.style(C.SECONDARY) + " font-size: 14pt;")
        self.empty.setAlignment(Qt.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        b = W.button
        self.new_btn = b(T.ACT_NEW, self.new_report, default=True, name="newButton", tooltip=T.TIP_NEW)
        self.carry_btn = b(T.ACT_CARRY, self.carry_report, name="carryButton", tooltip=T.TIP_CARRY)
        self.import_btn = b(T.ACT_IMPORT, self.import_file, name="importButton", tooltip=T.TIP_IMPORT)
        self.read_btn = b(T.ACT_READ, self.read_published, name="readButton", tooltip=T.TIP_READ)
        self.open_btn = b(T.ACT_OPEN, self.open_selected, name="openButton")
        self.copy_btn = b(T.ACT_COPY, self.copy_selected, name="copyButton", tooltip=T.TIP_COPY)
        self.delete_btn = b(T.ACT_DELETE, self.delete_selected, name="deleteButton", tooltip=T.TIP_DELETE)
        self.export_btn = b(T.ACT_EXPORT_FILE, self.export_selected, name="exportFileButton",
                            tooltip=T.TIP_EXPORT_FILE)
        self.trash_btn = b(T.ACT_TRASH, self.toggle_trash, name="trashButton")
        self.restore_btn = b(T.ACT_RESTORE, self.restore_selected, name="restoreButton")
        self.purge_btn = b(T.ACT_PURGE, self.purge_selected, name="purgeButton")
        self.top_row = W.hbox(self.new_btn, self.carry_btn, self.import_btn, self.read_btn, "stretch", self.trash_btn)
        self.row_actions = W.hbox(self.open_btn, self.copy_btn, self.delete_btn, self.export_btn,
                                  self.restore_btn, self.purge_btn, "stretch")
        self.setLayout(W.vbox(
            W.hbox(self.title, "stretch"), self.subtitle, self.crash_banner, self.example_banner,
            self.top_row, (self.stack, 1), self.row_actions, margin=18, spacing=10))

        QShortcut(QKeySequence.Delete, self.table, activated=self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._counter: int | None = None  # the store's change counter the list is up to date with
        self._listed_trash = False
        self._size_columns()
        self._first_select: int | None = None  # asked for before a deferred first list
        ctx.reports_changed.connect(self.refresh)
        try:
            stale = ctx.store.stale_count()
        except GongkaiError:
            stale = 0
        if stale > STALE_AT_ONCE:
            # Many summaries to check again (a new program version): the window first, then the
            # progress of the checking over it, then the list.
            self._counter = -1  # not listed yet
            self.subtitle.setText(T.SUMMARIES_PROGRESS)
            QTimer.singleShot(0, self._first_refresh)
        else:
            self.refresh()
        if ctx.store.was_unclean_shutdown():
            self.crash_banner.show()

    # -- list ---------------------------------------------------------------------------------------
    def _first_refresh(self) -> None:
        self._counter = None
        self.refresh(select=self._first_select)

    def _size_columns(self) -> None:
        """Each column as wide as the longest text it can show (its heading, every status, the
        longest year, date and count texts) — worked out from the wording, not from the rows."""
        fm = self.table.fontMetrics()
        head = self.table.horizontalHeader().fontMetrics()
        from ..report.formats import all_formats

        samples = {
            1: [T.YEAR_TEXT.format(year=8888)],
            2: [format_short(f.id) for f in all_formats()],
            3: [T.EXAMPLE_STATUS.format(status=s) for s in T.STATUS.values()]
               + [T.DELETED_AT.format(time=T.TIME_YESTERDAY.format(time="88:88"))],
            4: ["100%"],
            5: [T.NO_PROBLEMS, T.PROBLEMS.format(errors=888, warnings=888)],
            6: [T.TIME_YESTERDAY.format(time="88:88"), "8888-88-88 88:88"],
        }
        pad = 3 * fm.horizontalAdvance("中")
        self._column_widths = {}  # col → (wanted, least: its heading)
        for col, texts in samples.items():
            width = max([head.horizontalAdvance(COLUMNS[col]) + pad] + [fm.horizontalAdvance(t) + pad for t in texts])
            self._column_widths[col] = (width, head.horizontalAdvance(COLUMNS[col]) + pad)
        self._fit_columns()

    ORGAN_CHARS = 14  # 机关 keeps room for a name like 「【示例】某某市生态环境局」 before the others shrink

    def _fit_columns(self) -> None:
        """The wanted widths while 机关 (the stretching column) keeps ORGAN_CHARS characters;
        on a narrow list (1366×768 at 150 %) the other columns give up width down to their
        headings, in proportion, instead of cutting the organ to 「【示例】某某市…」."""
        widths = getattr(self, "_column_widths", None)
        if not widths:
            return
        table = self.table
        room = table.width() - 2 * table.frameWidth() - table.verticalScrollBar().sizeHint().width()
        spare = room - self.ORGAN_CHARS * table.fontMetrics().horizontalAdvance("中")
        wanted = sum(w for w, _ in widths.values())
        least = sum(m for _, m in widths.values())
        share = 1.0 if spare >= wanted else max(0.0, (spare - least) / max(1, wanted - least))
        for col, (width, minimum) in widths.items():
            width = round(minimum + (width - minimum) * share)
            if table.columnWidth(col) != width:
                table.setColumnWidth(col, width)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_columns()

    def refresh(self, select: int | None = None) -> None:
        """Bring the list up to date: only the reports changed since the last time (back from a
        report, after an edit elsewhere), or all of them when the page shows the other list."""
        keep = select if select is not None else self.selected_id()
        store = self.ctx.store
        if self._counter == -1:
            return  # the deferred first list will show everything
        try:
            counter = store.change_counter()
            if self._counter is not None and self._listed_trash == self.trash_mode:
                changed = store.list_reports(changed_since=self._counter)
                gone = store.purged_since(self._counter)
                mine = [r for r in changed if bool(r.deleted_at) == self.trash_mode]
                gone = set(gone) | {r.id for r in changed if bool(r.deleted_at) != self.trash_mode}
                self.model.update_rows(mine, gone)
            else:
                self._refresh_summaries()
                # Ten thousand rows take most of a second to read: say the window is busy.
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    self.model.set_rows(store.list_reports(deleted=self.trash_mode))
                finally:
                    QApplication.restoreOverrideCursor()
            self._counter, self._listed_trash = counter, self.trash_mode
        except GongkaiError as exc:
            W.critical(self, T.ERROR_TITLE, str(exc))
            self.model.set_rows([])
            self._counter = None
        rows = self.model.rows
        if self.trash_mode:
            self.title.setText(T.TRASH_TITLE)
            self.subtitle.setText(T.TRASH_SUBTITLE.format(n=len(rows)))
            self.empty.setText(T.TRASH_EMPTY)
        else:
            self.title.setText(T.APP_TITLE)
            self.subtitle.setText(T.LIST_SUBTITLE.format(n=len(rows), path=self.ctx.db_path))
            self.empty.setText(T.EMPTY_STORE)
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        self._has_rows = bool(rows)
        self._maybe_offer_example(rows)
        if keep is not None:
            self.select_id(keep)
        elif rows:
            self.table.selectRow(0)
        self._update_buttons()

    def _maybe_offer_example(self, rows) -> None:
        show = (not self.trash_mode and not rows and not self.ctx.settings.example_offered
                and W.resource("example-report.json") is not None)
        if show:
            try:
                show = not self.ctx.store.list_reports(deleted=True)
            except GongkaiError:
                show = False
        self.example_banner.setVisible(show)

    def _example_declined(self) -> None:
        self.ctx.settings.example_offered = True

    def _refresh_summaries(self) -> None:
        """Recompute the summaries gone stale (after an update of the program, of a format or
        of the rules every one is): with a progress dialog once it takes more than half a
        second — ten thousand reports take a while to check."""
        store = self.ctx.store
        if not store.stale_count():
            return
        dialog = QProgressDialog(T.SUMMARIES_PROGRESS, "", 0, 0, self.window() if self.isVisible() else None)
        dialog.setWindowTitle(T.APP_TITLE)
        dialog.setCancelButton(None)  # the list needs them all; nothing is lost by waiting
        dialog.setWindowModality(Qt.ApplicationModal)  # no other store work in the middle
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)

        def progress(done: int, total: int) -> None:
            if dialog.maximum() != total:
                dialog.setMaximum(total)
            dialog.setLabelText(T.SUMMARIES_PROGRESS_N.format(done=done, total=total))
            dialog.setValue(done)  # modal: also keeps the window painted

        try:
            store.refresh_summaries(progress=progress)
        finally:
            dialog.close()
            dialog.deleteLater()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.summary(rows[0].row()).id

    def selected_summary(self):
        row = self.model.row_of(self.selected_id())
        return None if row is None else self.model.rows[row]

    def select_id(self, report_id: int) -> None:
        if self._counter == -1:  # the first list is still to come
            self._first_select = report_id
            return
        row = self.model.row_of(report_id)
        if row is not None:
            idx = self.model.index(row, 0)
            self.table.selectRow(row)
            self.table.scrollTo(idx)

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        trash = self.trash_mode
        for btn in (self.new_btn, self.carry_btn, self.import_btn, self.open_btn, self.copy_btn,
                    self.delete_btn, self.export_btn):
            btn.setVisible(not trash)
        for btn in (self.restore_btn, self.purge_btn):
            btn.setVisible(trash)
        for btn in (self.open_btn, self.copy_btn, self.delete_btn, self.export_btn, self.restore_btn,
                    self.purge_btn):
            btn.setEnabled(has)
        self.carry_btn.setEnabled(has)
        if not getattr(self, "_has_rows", True):
            for btn in (self.open_btn, self.copy_btn, self.delete_btn, self.export_btn, self.restore_btn,
                        self.purge_btn, self.carry_btn):
                btn.setVisible(False)
        self.trash_btn.setText(T.ACT_TRASH_BACK if trash else T.ACT_TRASH)

    # -- actions ------------------------------------------------------------------------------------
    def new_report(self) -> None:
        from . import dialogs

        answer = dialogs.ask_new_report(self)
        if answer is not None:
            organ, organ_type, year = answer
            self.create_report(organ, organ_type, year)

    def create_report(self, organ: str, organ_type: str, year: int) -> int | None:
        store = self.ctx.store
        try:
            existing = store.find(organ, year)
            if existing is not None:
                choice = W.choose(self, T.NEW_TITLE, T.NEW_EXISTS.format(organ=organ, year=year),
                                  [T.NEW_EXISTS_OPEN, T.NEW_EXISTS_CREATE])
                if choice is None:
                    return None
                if choice == 0:
                    self.open_requested.emit(existing)
                    return existing
            rid = store.create(organ, year, organ_type)
        except GongkaiError as exc:
            W.critical(self, T.NEW_TITLE, str(exc))
            return None
        self.ctx.reports_changed.emit()
        self.open_requested.emit(rid)
        return rid

    def carry_report(self) -> None:
        src = self.selected_summary()
        if src is None:
            # Last year's report not in the store yet: it can come from the published file, and the
            # carry-over goes on from what was read (ui/read_dialog.py).
            if W.choose(self, T.ACT_CARRY, T.CARRY_SELECT_OR_READ, [T.CARRY_READ_FIRST, T.CANCEL]) == 0 \
                    and self.read_published() is not None:
                self.carry_report()
            return
        to_year = src.year + 1
        if not W.confirm(self, T.ACT_CARRY, carry_confirmation(src.organ, src.year, src.format_id, to_year),
                         T.CARRY_YES):
            return
        from ..storage.store import CarryExists

        try:
            rid = self.ctx.store.carry(src.id, to_year)
        except CarryExists as exc:
            if W.confirm(self, T.ACT_CARRY, str(exc), T.OPEN_EXISTING):
                self.open_requested.emit(exc.report_id)
            return
        except GongkaiError as exc:
            W.critical(self, T.ACT_CARRY, str(exc))
            return
        self.ctx.reports_changed.emit()
        self.message.emit(T.CARRIED.format(organ=src.organ, year=to_year))
        self.open_requested.emit(rid)

    def import_file(self, path: str | None = None) -> int | None:
        from ..storage import exchange

        path = path or W.open_file_name(self, T.IMPORT_TITLE, self.ctx.settings.last_file_dir, T.EXCHANGE_FILTER)
        if not path:
            return None
        self.ctx.settings.last_file_dir = str(Path(path).parent)
        try:
            report, notes = exchange.load_file(path)
        except GongkaiError as exc:
            problems = getattr(exc, "problems", None) or []
            W.critical(self, T.IMPORT_TITLE, str(exc), detail="\n".join(problems))
            return None
        rid = add_report(self, self.ctx.store, report, T.IMPORT_TITLE)
        if rid is None:
            return None
        self.refresh(select=rid)
        text = T.IMPORTED.format(organ=report.meta.organ, year=report.meta.year)
        if notes:
            W.information(self, T.IMPORT_TITLE, text, detail="\n".join(notes))
        self.message.emit(text)
        return rid

    def read_published(self, path: str | None = None) -> int | None:
        """「导入已发布的年报」 (ui/read_dialog.py): the source beside what was read, then stored."""
        from .read_dialog import read_and_import

        rid = read_and_import(self, self.ctx, path)
        if rid is not None:
            self.refresh(select=rid)
            meta = self.ctx.store.load(rid).meta
            self.message.emit(T.READ_SAVED.format(organ=meta.organ, year=meta.year))
        return rid

    def open_selected(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        if self.trash_mode:
            W.information(self, T.TRASH_TITLE, T.TRASH_OPEN_FIRST)
            return
        self.open_requested.emit(rid)

    def copy_selected(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        try:
            new = self.ctx.store.copy(rid)
        except GongkaiError as exc:
            W.critical(self, T.ACT_COPY, str(exc))
            return
        self.refresh(select=new)
        self.message.emit(T.COPIED)

    def delete_selected(self) -> None:
        r = self.selected_summary()
        if r is None:
            return
        if self.trash_mode:
            return self.purge_selected()
        if not W.confirm(self, T.ACT_DELETE, T.DELETE_CONFIRM.format(organ=r.organ, year=r.year), T.DELETE_YES):
            return
        try:
            self.ctx.store.delete(r.id)
        except GongkaiError as exc:
            W.critical(self, T.ACT_DELETE, str(exc))
            return
        self.refresh()
        self.message.emit(T.DELETED.format(organ=r.organ, year=r.year))

    def export_selected(self) -> None:
        from ..storage import exchange

        r = self.selected_summary()
        if r is None:
            return
        name = exchange.default_name(r.organ, r.year)
        path = W.save_file_name(self, T.EXPORT_FILE_TITLE, str(Path(self.ctx.settings.last_file_dir) / name),
                                T.EXCHANGE_FILTER)
        if not path:
            return
        try:
            exchange.dump_file(self.ctx.store.load(r.id), path)
        except GongkaiError as exc:
            W.critical(self, T.EXPORT_FILE_TITLE, str(exc))
            return
        except OSError as exc:
            W.critical(self, T.EXPORT_FILE_TITLE, T.WRITE_FAILED.format(path=path, detail=os_error_text(exc)))
            return
        self.ctx.settings.last_file_dir = str(Path(path).parent)
        self.message.emit(T.EXPORTED_FILE.format(path=path))

    def toggle_trash(self) -> None:
        self.trash_mode = not self.trash_mode
        self.refresh()

    def restore_selected(self) -> None:
        r = self.selected_summary()
        if r is None:
            return
        try:
            self.ctx.store.restore(r.id)
        except GongkaiError as exc:
            W.critical(self, T.ACT_RESTORE, str(exc))
            return
        self.refresh()
        self.message.emit(T.RESTORED.format(organ=r.organ, year=r.year))

    def purge_selected(self) -> None:
        r = self.selected_summary()
        if r is None:
            return
        if not W.confirm(self, T.ACT_PURGE, T.PURGE_CONFIRM.format(organ=r.organ, year=r.year), T.PURGE_YES,
                         danger=True):
            return
        try:
            self.ctx.store.purge(r.id)
        except GongkaiError as exc:
            W.critical(self, T.ACT_PURGE, str(exc))
            return
        self.refresh()

    def open_example(self) -> int | None:
        """Import the example report (marked 「示例」) and open it."""
        from ..storage import exchange

        self.ctx.settings.example_offered = True
        self.example_banner.hide()
        path = W.resource("example-report.json")
        if path is None:
            return None
        try:
            report, _notes = exchange.load_file(path)
            report.example = True
            rid = self.ctx.store.add(report)
        except GongkaiError as exc:
            W.critical(self, T.EXAMPLE_OPEN, str(exc))
            return None
        self.ctx.reports_changed.emit()
        self.open_requested.emit(rid)
        return rid
