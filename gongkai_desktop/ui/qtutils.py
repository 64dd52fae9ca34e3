"""Small Qt helpers the whole window shares: plain text for anything that shows data, and the
save timer every typed text uses."""

from __future__ import annotations

from html import escape
from typing import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence


def plain(widget):
    """Show ``widget``'s text literally. A QLabel or QMessageBox left on Qt's AutoText renders
    anything that *looks* like HTML — an imported organ name such as
    ``<span style="color:red">系统提示：数据库已损坏</span>`` would show as a red fake warning.
    Every label and message box that can show data goes through here."""
    widget.setTextFormat(Qt.PlainText)
    return widget


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally and wraps at a readable width: Qt guesses rich
    text for tooltips too and has no format switch for them, and never wraps a plain one (a
    finding with its explanation ran ~1,270 px wide) — so the text goes into an explicit
    paragraph, escaped."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + escape(text).replace("\n", "<br>") + "</p>"


class SaveTimer(QTimer):
    """When to save what the clerk is typing: ``delay`` ms after the last keystroke, and never
    later than ``max_wait`` ms after the first unsaved one — a clerk who types without pausing
    must not have everything hang on one pause.

    ``start()`` (connected to ``textChanged``) restarts the short wait but not the long one.
    ``pending`` says whether something typed is not saved yet; it stays true while the save
    slot runs, so a close that arrives in the middle still knows there is work to finish."""

    def __init__(self, parent: QObject, slot: Callable[[], None], delay: int = 400, max_wait: int = 2000):
        super().__init__(parent)
        self.setSingleShot(True)
        self.setInterval(delay)
        self._slot = slot
        self._max = QTimer(self)
        self._max.setSingleShot(True)
        self._max.setInterval(max_wait)
        self.timeout.connect(self._fire)
        self._max.timeout.connect(self._fire)
        self.pending = False

    def start(self, *args) -> None:  # noqa: D401 - QTimer's name, kept so it can be connected as before
        self.pending = True
        if not self._max.isActive():
            self._max.start()
        super().start(*args)

    def stop(self) -> None:
        super().stop()
        self._max.stop()

    def done(self) -> None:
        """The text was saved (or there was nothing to save)."""
        self.stop()
        self.pending = False

    def _fire(self) -> None:
        self.stop()
        self._slot()


_EDIT_KEYS = (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Backspace, Qt.Key_Delete)


class ExplainReadOnly(QObject):
    """Typing into a read-only text field does nothing by Qt's rules — a clerk then thinks the
    keyboard or the program is broken. Installed on a field, this calls ``say()`` when a key
    that would change the text (a character, Enter, Backspace, Delete, a paste) reaches it while
    it is read-only; ``say`` tells why (the report is final, the file is read-only, …)."""

    def __init__(self, widget, say: Callable[[], None]):
        super().__init__(widget)
        self._widget = widget
        self._say = say
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if obj is self._widget and event.type() == QEvent.KeyPress and obj.isReadOnly():
            if event.text().strip() or event.key() in _EDIT_KEYS or event.matches(QKeySequence.Paste):
                self._say()
        return False
