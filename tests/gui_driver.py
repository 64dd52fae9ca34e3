"""Driving the real window in tests: start it on a database, answer its dialogs, type like a
clerk (keyboard events, full-width digits, an input method's commit, pastes)."""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import gongkai_desktop.ui  # noqa: E402,F401 - the None reference guard, before any Qt call
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QInputMethodEvent, QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit  # noqa: E402

from gongkai_desktop.ui import dialogs as D  # noqa: E402
from gongkai_desktop.ui import widgets as W  # noqa: E402
from gongkai_desktop.ui.app import create_window  # noqa: E402


class Clerk:
    """One clerk at one computer: the window on ``db``, dialogs answered from ``answers``."""

    def __init__(self, qtbot, monkeypatch, db: Path):
        self.qtbot = qtbot
        self.db = Path(db)
        self.win = None
        self.shown: list[tuple[str, str, str]] = []  # (kind, title, text) of every message box
        self.details: list[str] = []  # and the detail of each (the box's 显示详细信息)
        self.confirm_answers: list[bool] = []  # answers to confirm(); True when empty
        self.choose_answers: list[int | None] = []
        self.new_report: tuple[str, str, int] | None = None
        self.reopen_reason: str | None = None
        self.folder: str | None = None
        self.open_name: str | None = None
        self.save_name: str | None = None
        mp = monkeypatch
        for kind in ("information", "warning", "critical"):
            mp.setattr(W, kind, self._recorder(kind))
        mp.setattr(W, "confirm", self._confirm)
        mp.setattr(W, "choose", self._choose)
        mp.setattr(W, "existing_directory", lambda *a, **k: self.folder)
        mp.setattr(W, "open_file_name", lambda *a, **k: self.open_name)
        mp.setattr(W, "save_file_name", lambda *a, **k: self.save_name)
        mp.setattr(D, "ask_new_report", lambda *a, **k: self.new_report)
        mp.setattr(D, "ask_reopen_reason", lambda *a, **k: self.reopen_reason)

    def _recorder(self, kind):
        def record(parent, title, text, detail=""):
            self.shown.append((kind, title, text))
            self.details.append(detail)
        return record

    def _confirm(self, parent, title, text, yes, no="取消", *, danger=False, detail=""):
        self.shown.append(("confirm", title, text))
        self.details.append(detail)
        return self.confirm_answers.pop(0) if self.confirm_answers else True

    def _choose(self, parent, title, text, options, detail=""):
        self.shown.append(("choose", title, text))
        self.details.append(detail)
        return self.choose_answers.pop(0) if self.choose_answers else 0

    # -- the window -----------------------------------------------------------------------------
    def start(self, size=(1400, 900)):
        self.win = create_window(str(self.db))
        assert self.win is not None, self.shown
        self.qtbot.addWidget(self.win)
        self.win.resize(*size)
        self.win.show()
        self.qtbot.waitExposed(self.win)
        self.win.activateWindow()
        QApplication.processEvents()
        return self.win

    def close(self):
        self.win.close()
        QApplication.processEvents()

    @property
    def ctx(self):
        return self.win.ctx

    @property
    def editor(self):
        return self.win.editor

    @property
    def doc(self):
        return self.win.ctx.document

    def page(self, nav_id: str):
        self.editor.go(nav_id)
        QApplication.processEvents()
        return self.editor.pages[nav_id]

    # -- typing ---------------------------------------------------------------------------------
    def type_cell(self, key, text: str, *, ime: bool = False):
        """Type ``text`` into a table cell as keystrokes (full-width digits arrive as text of key
        events with no key code, as a Chinese layout sends them), or as one input-method commit."""
        section = next(s.id for s in self.doc.format.sections if s.table == key[0])
        page = self.page(section)
        page.table.focus_cell(key)
        view = page.table.view
        assert page.table.current_key() == tuple(key)
        if ime:
            ev = QInputMethodEvent()
            ev.setCommitString(text)
            QApplication.sendEvent(view, ev)
            editor = view.indexWidget(view.currentIndex())
        else:
            QApplication.sendEvent(view, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, text[0]))
            editor = view.indexWidget(view.currentIndex())
            assert isinstance(editor, QLineEdit), "typing should open the cell editor"
            for ch in text[1:]:
                QApplication.sendEvent(editor, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
        assert isinstance(editor, QLineEdit)
        self.qtbot.keyClick(editor, Qt.Key_Return)
        QApplication.processEvents()

    def type_text(self, widget, text: str):
        """Type ``text`` into a text field, character by character, as key events carrying the
        character (what a keyboard or an input method's committed characters produce);
        QTest.keyClicks only knows ASCII."""
        widget.setFocus()
        for ch in text:
            if ch == "\n":
                self.qtbot.keyClick(widget, Qt.Key_Return)
            else:
                QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
                QApplication.sendEvent(widget, QKeyEvent(QEvent.KeyRelease, 0, Qt.NoModifier, ch))

    def paste_text(self, widget, text: str):
        QGuiApplication.clipboard().setText(text)
        widget.setFocus()
        widget.paste()
        QApplication.processEvents()

    def wait(self, condition, timeout=10000):
        self.qtbot.waitUntil(condition, timeout=timeout)

    def settle(self, seconds: float = 0.0):
        end = time.perf_counter() + seconds
        while True:
            QApplication.processEvents()
            if time.perf_counter() >= end:
                break
            time.sleep(0.01)
