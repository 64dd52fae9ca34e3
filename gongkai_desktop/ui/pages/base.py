"""What every page of the editor has in common."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from .. import widgets as W


class Page(QWidget):
    """One page of the editor, showing ``doc`` (the :class:`~..open_report.OpenReport`). A page
    learns of changes by listening to ``doc.changed`` / ``doc.checked`` (never by comparing
    stamps), asks for changes through :mod:`..cmds` (which shows a refusal once), and keeps no
    copy of the report's data of its own.

    The editor calls ``activate`` when the page is shown, ``flush`` before it is left or the
    window closes (save anything still pending), ``set_read_only`` when the report is finalised,
    reopened or locked (another window, a read-only file), and ``focus(target)`` to go to a cell
    or a field."""

    nav_id = ""
    message = Signal(str)  # for the status bar
    jump = Signal(str, object)  # (nav id, cell key or None): go somewhere else

    def __init__(self, ctx, doc, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.doc = doc
        self.heading = W.heading()
        self.heading.setObjectName("pageHeading")

    def guidance(self) -> str:
        return ""

    def activate(self) -> None:
        """Bring the page up to date with the document (it may have changed while hidden)."""

    def flush(self) -> None:
        """Save anything not saved yet."""

    def set_read_only(self, read_only: bool) -> None:
        pass

    def focus(self, target=None) -> None:
        self.setFocus()

    def position(self) -> dict:
        """Extra state for 'return to where the clerk was' (e.g. the current cell)."""
        return {}
