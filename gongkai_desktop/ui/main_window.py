"""The main window: the start page and the editor in one window, menus, the status bar."""

from __future__ import annotations

import logging

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication, QDialog, QHeaderView, QLabel, QLineEdit, QMainWindow, QPlainTextEdit, QStackedWidget,
    QTableWidget, QTableWidgetItem, QTextEdit,
)

from .. import __version__
from ..errors import GongkaiError, StaleEdit
from ..report.fields import meta_label
from . import cmds
from . import texts as T
from . import widgets as W
from .context import AppContext
from .editor import Editor
from .open_report import LOCK_FINAL, LOCK_OTHER, NAV_CHECK, NAV_EXPORT, NAV_PRINT
from .qtutils import plain
from .start_page import StartPage, format_time


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.setWindowTitle(T.APP_TITLE)
        self.setMinimumSize(720, 460)  # fits a 1366×768 laptop at 150 % (910×512 less a task bar)
        self.start = StartPage(ctx)
        self.editor = Editor(ctx)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.editor)
        self.collection = None  # 汇总, built on first use (ui/collection_page.py)
        self.setCentralWidget(self.stack)

        self.save_state = plain(QLabel(""))
        self.save_state.setObjectName("saveState")
        self.statusBar().addPermanentWidget(self.save_state)
        self.read_only_state = W.label(T.READ_ONLY_STATUS, name="readOnlyState",
                                       style=f"color: {W.COLORS['error']};")
        self.read_only_state.setToolTip(T.LOCK_STORE)
        self.read_only_state.setVisible(self.store_read_only)
        self.statusBar().addPermanentWidget(self.read_only_state)
        self._forced = False  # closing because the session or a signal says so: no questions
        self._quiet: list | None = None  # refusals collected instead of shown while closing
        self._close_refused = False
        cmds.display.failed.connect(self.show_error)
        self.statusBar().setSizeGripEnabled(True)

        self.start.open_requested.connect(self.open_report)
        self.start.message.connect(self.show_message)
        self.editor.message.connect(self.show_message)
        self.editor.back_requested.connect(self.show_start)
        ctx.report_opened.connect(self._report_opened)
        self._build_menus()
        self._restore_geometry()
        self.show_start()
        last = ctx.settings.last_report
        if last is not None:
            self.start.select_id(last)

    # -- menus --------------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        a = W.action
        mb = self.menuBar()
        m = mb.addMenu(T.MENU_FILE)
        self.act_new = a(self, T.ACT_NEW, self._new, QKeySequence.New)
        self.act_carry = a(self, T.ACT_CARRY, self._carry)
        self.act_import = a(self, T.ACT_IMPORT_DOTS, self._import, "Ctrl+I")
        self.act_export_file = a(self, T.ACT_EXPORT_FILE_DOTS, self._export_file)
        self.act_export = a(self, T.ACT_EXPORT_DOCS, lambda: self.editor.go(NAV_EXPORT), "Ctrl+E")
        self.act_print = a(self, T.ACT_PRINT, lambda: self.editor.go(NAV_PRINT), QKeySequence.Print)
        self.act_list = a(self, T.BACK_TO_LIST, self.show_start, "Ctrl+L")
        self.act_collection = a(self, T.ACT_COLLECTION, self.show_collection)
        self.act_quit = a(self, T.ACT_QUIT, self.close, QKeySequence.Quit)
        for x in (self.act_new, self.act_carry, self.act_import, self.act_export_file, None, self.act_export,
                  self.act_print, None, self.act_list, self.act_collection, None, self.act_quit):
            m.addSeparator() if x is None else m.addAction(x)

        m = mb.addMenu(T.MENU_EDIT)
        self.act_undo = a(self, T.ACT_UNDO, self.undo, QKeySequence.Undo, name="undo")
        self.act_redo = a(self, T.ACT_REDO, self.redo, [QKeySequence(QKeySequence.Redo), "Ctrl+Y"], name="redo")
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        self.ctx.undo_stack.undoTextChanged.connect(self._undo_texts)
        self.ctx.undo_stack.redoTextChanged.connect(self._undo_texts)

        m = mb.addMenu(T.MENU_REPORT)
        self.act_prev = a(self, T.PREV, self.editor.go_prev, "Ctrl+PgUp")
        self.act_next = a(self, T.NEXT, self.editor.go_next, "Ctrl+PgDown")
        self.act_check = a(self, T.NAV_CHECK, lambda: self.editor.go(NAV_CHECK), "F7")
        self.act_finalize = a(self, T.ACT_FINALIZE_DOTS, self.editor.finalize)
        self.act_reopen = a(self, T.ACT_REOPEN, self.editor.reopen)
        self.act_history = a(self, T.ACT_HISTORY, self.show_history)
        for x in (self.act_prev, self.act_next, self.act_check, None, self.act_finalize, self.act_reopen,
                  self.act_history):
            m.addSeparator() if x is None else m.addAction(x)
        self.report_actions = [self.act_export, self.act_print, self.act_list, self.act_prev, self.act_next,
                               self.act_check, self.act_finalize, self.act_reopen, self.act_history]

        m = mb.addMenu(T.MENU_HELP)
        m.addAction(a(self, T.ACT_ABOUT, self.about))

    def _undo_texts(self, *_):
        s = self.ctx.undo_stack
        self.act_undo.setToolTip(T.UNDO_WHAT.format(what=s.undoText()) if s.canUndo() else T.ACT_UNDO)
        self.act_redo.setToolTip(T.REDO_WHAT.format(what=s.redoText()) if s.canRedo() else T.ACT_REDO)

    def _text_widget(self):
        w = QApplication.focusWidget()
        return w if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)) else None

    def _text_can(self, w, redo: bool) -> bool:
        if w is None or w.isReadOnly():
            return False
        if isinstance(w, QLineEdit):
            return w.isRedoAvailable() if redo else w.isUndoAvailable()
        d = w.document()
        return d.isRedoAvailable() if redo else d.isUndoAvailable()

    def undo(self) -> None:
        """Undo in the text being edited, else the last cell or 基本信息 edit."""
        w = self._text_widget()
        if self._text_can(w, redo=False):
            w.undo()
            return
        s = self.ctx.undo_stack
        if s.canUndo():
            text = s.undoText()
            s.undo()
            self.show_message(T.UNDONE.format(what=text))
        else:
            self.show_message(T.NOTHING_TO_UNDO)

    def redo(self) -> None:
        w = self._text_widget()
        if self._text_can(w, redo=True):
            w.redo()
            return
        s = self.ctx.undo_stack
        if s.canRedo():
            text = s.redoText()
            s.redo()
            self.show_message(T.REDONE.format(what=text))
        else:
            self.show_message(T.NOTHING_TO_REDO)

    # -- switching ----------------------------------------------------------------------------------
    def open_report(self, report_id: int) -> None:
        try:
            self.ctx.open_report(report_id)
        except GongkaiError as exc:
            W.critical(self, T.ERROR_TITLE, str(exc))
            self.show_start()
            return
        doc = self.ctx.document
        if doc is not None and doc.lock == LOCK_OTHER:  # the store-wide lock is in the title already
            W.information(self, T.READ_ONLY_TITLE, doc.lock_text())

    @property
    def store_read_only(self) -> bool:
        return self.ctx.store.read_only

    def _title(self, title: str = "") -> None:
        suffix = T.READ_ONLY_TITLE_SUFFIX if self.store_read_only else ""
        self.setWindowTitle(f"{title} — {T.APP_TITLE}{suffix}" if title else T.APP_TITLE + suffix)

    def show_error(self, exc) -> None:
        """The one display of a refused command (cmds): a message box for what the clerk must
        act on, the status bar for a refused keystroke."""
        if self._quiet is not None:
            self._quiet.append(exc)
            return
        if self._forced:  # ending (a signal, the session): a modal box now would hold up the end
            logging.getLogger(__name__).error("refused while ending: %s", exc)
            return
        if cmds.needs_dialog(exc):
            title = T.STALE_TITLE if isinstance(exc, StaleEdit) else T.SAVE_REFUSED_TITLE
            W.critical(self, title, str(exc))
        self.show_message(str(exc))

    def _report_opened(self, doc) -> None:
        self.stack.setCurrentWidget(self.editor)
        self._title(doc.report.title)
        for act in self.report_actions:
            act.setEnabled(True)
        self._status_actions()
        doc.changed.connect(self._doc_changed)
        doc.saved.connect(self._saved)
        self._autosave_state()

    def _doc_changed(self, what: str) -> None:
        doc = self.ctx.document
        if doc is None:
            return
        if what in ("status", "lock"):
            self._status_actions()
            self._autosave_state()
        if what == "meta:organ":
            self._title(doc.report.title)

    def _autosave_state(self) -> None:
        """「修改即自动保存」 only where changes can be made (a locked report says why elsewhere)."""
        doc = self.ctx.document
        self.save_state.setText(T.AUTOSAVE_ON if doc is not None and doc.lock is None else "")

    def _status_actions(self) -> None:
        doc = self.ctx.document
        if doc is None:
            return
        self.act_finalize.setEnabled(doc.lock is None)
        self.act_reopen.setEnabled(doc.lock == LOCK_FINAL)  # not from a read-only window

    def _saved(self, text: str) -> None:
        self.save_state.setText(text)

    def show_start(self) -> None:
        if self.ctx.document is not None:
            rid = self.ctx.document.id
            self.ctx.close_report()
            self.start.refresh(select=rid)
        self.stack.setCurrentWidget(self.start)
        self._title()
        for act in self.report_actions:
            act.setEnabled(False)
        self.save_state.setText("")
        self.start.table.setFocus()

    def show_collection(self) -> None:
        """汇总: the supervising office's dashboard (built on first use: most clerks never need it)."""
        if self.ctx.document is not None:
            self.show_start()
        if self.collection is None:
            from .collection_page import CollectionPage

            self.collection = CollectionPage(self.ctx)
            self.collection.back_requested.connect(self.show_start)
            self.collection.open_requested.connect(self._open_collected)
            self.stack.addWidget(self.collection)
        self.stack.setCurrentWidget(self.collection)
        self.collection.refresh()

    def _open_collected(self, report_id: int) -> None:
        self.open_report(report_id)
        if self.ctx.document is not None:
            self.editor.go(NAV_CHECK)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # -- start-page actions (also from the menu inside a report) ------------------------------------
    def _new(self) -> None:
        self.show_start()
        self.start.new_report()

    def _carry(self) -> None:
        self.show_start()
        self.start.carry_report()

    def _import(self) -> None:
        self.show_start()
        self.start.import_file()

    def _export_file(self) -> None:
        if self.ctx.document is not None:
            rid = self.ctx.document.id
            self.editor.leave()
            self.start.select_id(rid)
            if self.start.selected_id() != rid:
                self.start.refresh(select=rid)
        self.start.export_selected()

    def show_history(self) -> None:
        doc = self.ctx.document
        if doc is None:
            return
        self.editor.leave()
        try:
            revs = self.ctx.store.revisions(doc.id)
        except GongkaiError as exc:
            W.critical(self, T.ACT_HISTORY, str(exc))
            return
        dlg = QDialog(self)
        dlg.setWindowTitle(T.HISTORY_TITLE.format(title=doc.report.title))
        dlg.resize(820, 520)
        table = QTableWidget(len(revs), 3)
        table.setHorizontalHeaderLabels(T.HISTORY_COLUMNS)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        for i, r in enumerate(revs):
            table.setItem(i, 0, QTableWidgetItem(format_time(r.at)))
            table.setItem(i, 1, QTableWidgetItem(_what_label(doc, r.what)))
            table.setItem(i, 2, QTableWidgetItem(_change_text(r)))
        table.resizeColumnsToContents()
        dlg.setLayout(W.vbox(table, margin=W.MARGIN))
        dlg.exec()

    def about(self) -> None:
        W.information(self, T.ACT_ABOUT, T.ABOUT.format(version=__version__, db=self.ctx.db_path))

    # -- geometry and closing -----------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geo = self.ctx.settings.window_geometry
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            screen = QApplication.primaryScreen()
            avail = screen.availableGeometry() if screen else None
            if avail is not None:
                w = min(1440, max(1000, int(avail.width() * 0.85)))
                h = min(920, max(660, int(avail.height() * 0.85)))
                self.resize(min(w, avail.width()), min(h, avail.height()))
            else:
                self.resize(1280, 820)
        split = self.ctx.settings.splitter_state
        if split is not None:
            self.editor.splitter.restoreState(split)

    def session_ending(self, _manager=None) -> None:
        """The desktop session is ending (logout, shutdown; Windows' WM_QUERYENDSESSION): save
        everything now, ask nothing. The session then quits the program or sends SIGTERM."""
        self._quiet = []
        try:
            self.ctx.save_pending()
        finally:
            refused, self._quiet = self._quiet, None
        for exc in refused:
            logging.getLogger(__name__).error("not saved as the session ended: %s", exc)

    def terminate(self) -> None:
        """Close because the desktop or a signal asks: save what can be saved, ask nothing."""
        self._forced = True
        self.close()
        QApplication.quit()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.ctx.settings.window_geometry = self.saveGeometry()
        self.ctx.settings.splitter_state = self.editor.splitter.saveState()
        self._quiet = []
        try:
            self.ctx.save_pending()
        finally:
            refused, self._quiet = self._quiet, None
        if refused and not self._forced and not self._close_refused:
            # The last save was refused (disk full, another window changed the text): the text
            # is still in the editor — say so and stay open, so it can be copied. A second close
            # goes ahead.
            self._close_refused = True
            W.critical(self, T.SAVE_REFUSED_TITLE,
                       T.CLOSE_REFUSED.format(reasons="\n".join(dict.fromkeys(str(e) for e in refused))))
            event.ignore()
            return
        for exc in refused:
            logging.getLogger(__name__).error("not saved at close: %s", exc)
        self.ctx.shutdown()
        cmds.display.failed.disconnect(self.show_error)  # the display outlives this window
        event.accept()


def _what_label(doc, what: str) -> str:
    kind, _, rest = what.partition(":")
    if kind == "cell" or kind == "declared":
        key = tuple(rest.split("/"))
        try:
            name = doc.format.cell_name(key)
        except (KeyError, ValueError):
            name = rest
        return name if kind == "cell" else T.HISTORY_DECLARED.format(name=name)
    if kind == "section":
        try:
            return doc.format.section(rest).heading
        except KeyError:
            return rest
    if kind == "meta":
        return meta_label(rest)
    if kind == "explanation":
        return T.HISTORY_EXPLANATION
    return T.HISTORY_KINDS.get(kind, what)


def _change_text(r) -> str:
    if r.what == "reopen":
        return T.HISTORY_REASON.format(reason=r.new or "")
    if r.what.startswith(("section:", "explanation:", "meta:opening")):
        n = len(r.new or "")
        return T.HISTORY_TEXT.format(n=n)
    old = "" if r.old is None else r.old
    new = "" if r.new is None else r.new
    if r.what in ("create", "import", "copy", "carry", "finalize", "delete", "restore"):
        return ""
    return T.HISTORY_CHANGE.format(old=old or T.BLANK, new=new or T.BLANK)
