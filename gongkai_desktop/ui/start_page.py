"""The start page: the reports in the store, and what can be done with them."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QHeaderView, QStackedWidget, QStyle, QStyledItemDelegate,
    QStyleOptionProgressBar, QTableView, QWidget,
)

from ..errors import GongkaiError
from . import texts as T
from . import widgets as W
from .dialogs import format_short

COLUMNS = T.LIST_COLUMNS  # 机关, 年度, 格式, 状态, 完成度, 错误/警告, 最后修改
COL_PROGRESS = 4


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


class ReportListModel(QAbstractTableModel):
    """The rows of the start page (``ReportSummary`` objects from the store)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []
        self._cache: list[dict] = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        # Views ask for data many times (sizing, sorting, painting): compute each cell once.
        self._cache = [self._row_data(r) for r in self.rows]
        self.endResetModel()

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
        if r.deleted_at:
            status = T.DELETED_AT.format(time=format_time(r.deleted_at))
        else:
            status = T.STATUS.get(r.status, r.status)
            if r.example:
                status = T.EXAMPLE_STATUS.format(status=status)
        problems = (T.NO_PROBLEMS if not r.errors and not r.warnings
                    else T.PROBLEMS.format(errors=r.errors, warnings=r.warnings))
        fg = {}
        if r.errors:
            fg[5] = QBrush(QColor(W.COLORS["error"]))
        elif r.warnings:
            fg[5] = QBrush(QColor(W.COLORS["warning"]))
        if r.example:
            fg[3] = QBrush(QColor(W.COLORS["example"]))
        elif r.status == "final":
            fg[3] = QBrush(QColor(W.COLORS["final"]))
        return {
            Qt.DisplayRole: [r.organ, T.YEAR_TEXT.format(year=r.year), format_short(r.format_id), status,
                             f"{round(r.progress * 100)}%", problems, format_time(r.updated_at)],
            Qt.UserRole: [r.organ, r.year, r.format_id, (r.status, r.example), float(r.progress),
                          (r.errors, r.warnings), r.updated_at or ""],
            Qt.ForegroundRole: fg,
            Qt.ToolTipRole: {0: T.EXAMPLE_TOOLTIP if r.example else W.wrapped_tip(r.organ), 5: T.PROBLEMS_TOOLTIP},
        }

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        d = self._cache[index.row()]
        col = index.column()
        if role in (Qt.DisplayRole, Qt.UserRole):
            return d[role][col]
        if role in (Qt.ForegroundRole, Qt.ToolTipRole):
            return d[role].get(col)
        if role == Qt.TextAlignmentRole and col in (1, 4):
            return int(Qt.AlignCenter)
        return None


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
        self.subtitle = W.label("", style="color: #555;")
        self.crash_banner = W.Banner("info", T.UNCLEAN_SHUTDOWN)
        self.crash_banner.setObjectName("crashBanner")
        self.crash_banner.hide()
        self.example_banner = W.Banner("example", T.EXAMPLE_OFFER)
        self.example_banner.setObjectName("exampleBanner")
        self.example_banner.add_button(T.EXAMPLE_OPEN, self.open_example)
        self.example_banner.closed.connect(self._example_declined)
        self.example_banner.hide()

        self.model = ReportListModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.UserRole)
        self.table = QTableView()
        self.table.setObjectName("reportList")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in range(1, len(COLUMNS)):
            h.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        h.setMinimumSectionSize(80)
        self.table.setItemDelegateForColumn(COL_PROGRESS, _ProgressDelegate(self.table))
        self.table.sortByColumn(1, Qt.DescendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())

        self.empty = W.label(T.EMPTY_STORE, wrap=True, style="color: #555; font-size: 14pt;")
        self.empty.setAlignment(Qt.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        b = W.button
        self.new_btn = b(T.ACT_NEW, self.new_report, default=True, name="newButton", tooltip=T.TIP_NEW)
        self.carry_btn = b(T.ACT_CARRY, self.carry_report, name="carryButton", tooltip=T.TIP_CARRY)
        self.import_btn = b(T.ACT_IMPORT, self.import_file, name="importButton", tooltip=T.TIP_IMPORT)
        self.open_btn = b(T.ACT_OPEN, self.open_selected, name="openButton")
        self.copy_btn = b(T.ACT_COPY, self.copy_selected, name="copyButton", tooltip=T.TIP_COPY)
        self.delete_btn = b(T.ACT_DELETE, self.delete_selected, name="deleteButton", tooltip=T.TIP_DELETE)
        self.export_btn = b(T.ACT_EXPORT_FILE, self.export_selected, name="exportFileButton",
                            tooltip=T.TIP_EXPORT_FILE)
        self.trash_btn = b(T.ACT_TRASH, self.toggle_trash, name="trashButton")
        self.restore_btn = b(T.ACT_RESTORE, self.restore_selected, name="restoreButton")
        self.purge_btn = b(T.ACT_PURGE, self.purge_selected, name="purgeButton")
        self.top_row = W.hbox(self.new_btn, self.carry_btn, self.import_btn, "stretch", self.trash_btn)
        self.row_actions = W.hbox(self.open_btn, self.copy_btn, self.delete_btn, self.export_btn,
                                  self.restore_btn, self.purge_btn, "stretch")
        self.setLayout(W.vbox(
            W.hbox(self.title, "stretch"), self.subtitle, self.crash_banner, self.example_banner,
            self.top_row, (self.stack, 1), self.row_actions, margin=18, spacing=10))

        QShortcut(QKeySequence.Delete, self.table, activated=self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.reports_changed.connect(self.refresh)
        self.refresh()
        if ctx.store.was_unclean_shutdown():
            self.crash_banner.show()

    # -- list ---------------------------------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else self.selected_id()
        try:
            rows = self.ctx.store.list_reports(deleted=self.trash_mode)
        except GongkaiError as exc:
            W.critical(self, T.ERROR_TITLE, str(exc))
            rows = []
        self.model.set_rows(rows)
        self.table.sortByColumn(self.table.horizontalHeader().sortIndicatorSection(),
                                self.table.horizontalHeader().sortIndicatorOrder())
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

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        src = self.proxy.mapToSource(rows[0])
        return self.model.summary(src.row()).id

    def selected_summary(self):
        rid = self.selected_id()
        return next((r for r in self.model.rows if r.id == rid), None)

    def select_id(self, report_id: int) -> None:
        for i, r in enumerate(self.model.rows):
            if r.id == report_id:
                idx = self.proxy.mapFromSource(self.model.index(i, 0))
                self.table.selectRow(idx.row())
                self.table.scrollTo(idx)
                return

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
            W.information(self, T.ACT_CARRY, T.CARRY_SELECT_FIRST)
            return
        to_year = src.year + 1
        if not W.confirm(self, T.ACT_CARRY, T.CARRY_CONFIRM.format(organ=src.organ, year=src.year, to=to_year),
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
        store = self.ctx.store
        try:
            existing = store.find(report.meta.organ, report.meta.year)
            if existing is not None and not W.confirm(
                    self, T.IMPORT_TITLE, T.IMPORT_EXISTS.format(organ=report.meta.organ, year=report.meta.year),
                    T.IMPORT_ANYWAY):
                return None
            rid = store.add(report)
        except GongkaiError as exc:
            W.critical(self, T.IMPORT_TITLE, str(exc))
            return None
        self.refresh(select=rid)
        text = T.IMPORTED.format(organ=report.meta.organ, year=report.meta.year)
        if notes:
            W.information(self, T.IMPORT_TITLE, text, detail="\n".join(notes))
        self.message.emit(text)
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
        name = T.EXCHANGE_NAME.format(organ=r.organ, year=r.year)
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
            W.critical(self, T.EXPORT_FILE_TITLE, T.WRITE_FAILED.format(path=path, detail=exc.strerror or exc))
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
