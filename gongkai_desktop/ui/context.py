"""The one object every part of the window is given (git-cola's ``context``).

It holds the store, the settings, the undo stack and the report that is open, and announces
when a report is opened or closed. Widgets never reach for globals: they ask the context.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from .open_report import OpenReport
from .settings import Settings


class AppContext(QObject):
    report_opened = Signal(object)  # OpenReport
    about_to_close = Signal()  # pending edits (a text still in its debounce) must be saved now
    report_closed = Signal()
    reports_changed = Signal()  # the list of reports changed (new, copy, delete, …)

    def __init__(self, store, settings: Settings | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.settings = settings or Settings()
        self.undo_stack = QUndoStack(self)
        self.document: OpenReport | None = None
        self._shut = False

    @property
    def db_path(self) -> Path:
        return self.store.path

    @property
    def cache_dir(self) -> Path:
        """Scratch space for print previews (beside the fonts cache)."""
        from ..documents.fonts import cache_dir

        d = cache_dir(os.environ.get("GONGKAI_CACHE_DIR") or None) / "preview"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def open_report(self, report_id: int) -> OpenReport:
        self.close_report()
        self.document = OpenReport(self.store, report_id, self.undo_stack, self)
        self.settings.last_report = report_id
        self.report_opened.emit(self.document)
        return self.document

    def close_report(self) -> None:
        if self.document is None:
            return
        self.about_to_close.emit()
        self.undo_stack.clear()
        doc, self.document = self.document, None
        doc.close()
        self.report_closed.emit()
        doc.deleteLater()
        self.reports_changed.emit()

    def save_pending(self) -> None:
        """Save whatever is typed but not saved yet, without closing anything (the desktop
        session asks this before it ends: logout, shutdown)."""
        if self.document is not None:
            self.about_to_close.emit()
        self.settings.sync()

    def shutdown(self) -> None:
        """Save what is pending, close the report and the store. Safe to call more than once
        (the close button, then the application quitting)."""
        if self._shut:
            return
        try:
            self.close_report()
        finally:
            # The store closes even when the last save was refused: its refusal was shown, and
            # a store left open would keep the session marked as open forever.
            self._shut = True
            self.settings.sync()
            self.store.close()
