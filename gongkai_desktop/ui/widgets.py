"""Small layout and dialog helpers (in the spirit of git-cola's ``qtutils``).

Every dialog the window shows goes through a function here, looked up as ``widgets.name`` at
call time, so the tests can replace a modal dialog by an answer (``monkeypatch.setattr``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Callable, Iterable

from PySide6.QtCore import QIdentityProxyModel, QLocale, QObject, Qt, QTimer, QTranslator, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QFont, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout, QFileDialog, QFrame, QHBoxLayout, QLabel, QLayout, QMessageBox,
    QPlainTextEdit, QPushButton, QToolButton, QVBoxLayout, QWidget,
)

from ..report.model import strip_unwritable
from .qtutils import plain, plain_tooltip
from . import colors as C
from . import texts as T

SPACING = 8
MARGIN = 12

# The state colours under their old names (ui/colors.py declares them).
COLORS = C.STATE
BACKGROUNDS = C.STATE_BG


# ---------------------------------------------------------------------------------------------
# Layouts


def _box(layout: QBoxLayout, items: Iterable, margin: int, spacing: int) -> QBoxLayout:
    layout.setContentsMargins(margin, margin, margin, margin)
    layout.setSpacing(spacing)
    for item in items:
        if item is None:
            continue
        if item == "stretch":
            layout.addStretch(1)
        elif isinstance(item, int):
            layout.addSpacing(item)
        elif isinstance(item, QLayout):
            layout.addLayout(item)
        elif isinstance(item, tuple):  # (widget, stretch)
            layout.addWidget(item[0], item[1])
        else:
            layout.addWidget(item)
    return layout


def hbox(*items, margin: int = 0, spacing: int = SPACING) -> QHBoxLayout:
    """A horizontal layout of widgets, layouts, ints (spacing) and "stretch"."""
    return _box(QHBoxLayout(), items, margin, spacing)  # type: ignore[return-value]


def vbox(*items, margin: int = 0, spacing: int = SPACING) -> QVBoxLayout:
    return _box(QVBoxLayout(), items, margin, spacing)  # type: ignore[return-value]


def label(text: str = "", *, wrap: bool = False, selectable: bool = False, style: str = "",
          bold: bool = False, size: float | None = None, name: str | None = None) -> QLabel:
    w = plain(QLabel(text))  # labels show data (organ names, imported text): never as HTML
    w.setWordWrap(wrap)
    if selectable:
        w.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
    if bold or size:
        f = w.font()
        if bold:
            f.setBold(True)
        if size:
            f.setPointSizeF(f.pointSizeF() * size)
        w.setFont(f)
    if style:
        w.setStyleSheet(style)
    if name:
        w.setObjectName(name)
    return w


def heading(text: str = "") -> QLabel:
    """The title of a page."""
    return label(text, bold=True, size=1.35, wrap=True, name="pageHeading")


def button(text: str, slot: Callable | None = None, *, tooltip: str = "", default: bool = False,
           name: str | None = None, shortcut: str | QKeySequence | None = None) -> QPushButton:
    b = QPushButton(text)
    if slot is not None:
        b.clicked.connect(lambda _checked=False: slot())
    if tooltip:
        b.setToolTip(tooltip)
    if default:
        b.setDefault(True)
        b.setAutoDefault(True)
        b.setProperty("primary", True)
    if name:
        b.setObjectName(name)
    if shortcut:
        b.setShortcut(QKeySequence(shortcut))
    return b


def tool_button(text: str, slot: Callable | None = None, *, tooltip: str = "") -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolButtonStyle(Qt.ToolButtonTextOnly)
    if slot is not None:
        b.clicked.connect(lambda _checked=False: slot())
    if tooltip:
        b.setToolTip(tooltip)
    return b


def action(parent: QObject, text: str, slot: Callable | None = None, shortcut=None,
           tooltip: str = "", name: str | None = None) -> QAction:
    a = QAction(text, parent)
    if slot is not None:
        a.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        if isinstance(shortcut, (list, tuple)):
            a.setShortcuts([QKeySequence(s) for s in shortcut])
        else:
            a.setShortcut(QKeySequence(shortcut))
    if tooltip:
        a.setToolTip(tooltip)
        a.setStatusTip(tooltip)
    if name:
        a.setObjectName(name)
    return a



wrapped_tip = plain_tooltip  # one rule for tooltips that show data (ui/qtutils.py)


def badge_style(state: str) -> str:
    return (f"color: {COLORS[state]}; background: {BACKGROUNDS[state]}; border-radius: 3px;"
            " padding: 1px 6px;")


class Banner(QFrame):
    """A coloured notice across the top of a page, with optional action buttons and a close box."""

    closed = Signal()

    def __init__(self, kind: str = "info", text: str = "", closable: bool = True, parent=None):
        super().__init__(parent)
        self.setProperty("banner", True)
        self._kind = kind
        self.text = label(text, wrap=True)
        self.text.setTextFormat(Qt.PlainText)
        self._buttons = hbox()
        close = None
        if closable:
            close = tool_button("✕", self._close, tooltip=T.CLOSE)
            close.setAutoRaise(True)
        self.setLayout(hbox((self.text, 1), self._buttons, close, margin=8))
        self.set_kind(kind)

    def set_kind(self, kind: str) -> None:
        self._kind = kind
        self.setStyleSheet(
            f"QFrame[banner=\"true\"] {{ background: {BACKGROUNDS[kind]}; border: 1px solid {COLORS[kind]};"
            " border-radius: 4px; }")

    def set_text(self, text: str) -> None:
        self.text.setText(text)

    def add_button(self, text: str, slot: Callable) -> QPushButton:
        b = button(text, slot)
        self._buttons.addWidget(b)
        return b

    def _close(self) -> None:
        self.hide()
        self.closed.emit()


# Invisible marks a paste from a web page or WPS brings; they are writable, but a clerk cannot see
# or delete them. What a Word file cannot hold at all is the model's rule (strip_unwritable).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\ufeff]")
_LINE_BREAKS = re.compile("\r\n|\r|\x0b|\u2028|\u2029|\x85")
_LEADING = re.compile("^[ \t\u3000\u00a0]+", re.M)
_TRAILING = re.compile("[ \t\u3000\u00a0]+$", re.M)


def clean_pasted_text(text: str) -> str:
    """What a paste from Word, WPS or a web page brings, reduced to the plain text of a section:
    one paragraph per line, no indentation (the exporter indents), no invisible characters."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", strip_unwritable(text)[0]).replace("\t", " ").replace("\u00a0", " ")
    text = _LEADING.sub("", text)
    text = _TRAILING.sub("", text)
    text = re.sub("\n{3,}", "\n\n", text)
    return text


def count_chars(text: str) -> int:
    """Characters as a clerk counts them (字数): everything except white space."""
    return len(re.sub(r"\s", "", text))


class PlainTextEdit(QPlainTextEdit):
    """A text editor for report prose: pasted text always arrives as clean plain text."""

    pasted = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)

    def insertFromMimeData(self, source) -> None:  # noqa: N802 - Qt override
        if source is None or not source.hasText():
            return
        self.textCursor().insertText(clean_pasted_text(source.text()))
        self.ensureCursorVisible()
        self.pasted.emit()

    def canInsertFromMimeData(self, source) -> bool:  # noqa: N802 - Qt override
        return source is not None and source.hasText()


class _Job(QObject):
    done = Signal(object)
    failed = Signal(object)


_jobs: set = set()


def run_in_thread(fn: Callable[[], object], on_done: Callable[[object], None],
                  on_error: Callable[[BaseException], None]) -> None:
    """Run ``fn`` on a worker thread (an export, a preview) so the window keeps answering; the
    callbacks run on the window's thread when it is finished."""
    import threading

    job = _Job()
    _jobs.add(job)

    def finish_ok(result):
        _jobs.discard(job)
        on_done(result)

    def finish_err(exc):
        _jobs.discard(job)
        on_error(exc)

    job.done.connect(finish_ok, Qt.QueuedConnection)
    job.failed.connect(finish_err, Qt.QueuedConnection)

    def work():
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the window thread
            job.failed.emit(exc)
        else:
            job.done.emit(result)

    threading.Thread(target=work, name="gongkai-job", daemon=True).start()


def debounce(parent: QObject, msec: int, slot: Callable) -> QTimer:
    t = QTimer(parent)
    t.setSingleShot(True)
    t.setInterval(msec)
    t.timeout.connect(slot)
    return t


def set_font_scale(widget: QWidget, scale: float) -> None:
    f = QFont(widget.font())
    f.setPointSizeF(f.pointSizeF() * scale)
    widget.setFont(f)


# ---------------------------------------------------------------------------------------------
# Dialogs (replaced by the tests)


def information(parent, title: str, text: str, detail: str = "") -> None:
    box = plain(QMessageBox(QMessageBox.Information, title, text, QMessageBox.Ok, parent))
    if detail:
        box.setDetailedText(detail)
    box.exec()


def warning(parent, title: str, text: str, detail: str = "") -> None:
    box = plain(QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, parent))
    if detail:
        box.setDetailedText(detail)
    box.exec()


def critical(parent, title: str, text: str, detail: str = "") -> None:
    box = plain(QMessageBox(QMessageBox.Critical, title, text, QMessageBox.Ok, parent))
    if detail:
        box.setDetailedText(detail)
    box.exec()


def confirm(parent, title: str, text: str, yes: str, no: str = T.CANCEL, *,
            danger: bool = False, detail: str = "") -> bool:
    """A question with two named buttons (never a bare 是/否); True when ``yes`` was chosen."""
    box = plain(QMessageBox(QMessageBox.Warning if danger else QMessageBox.Question, title, text,
                            QMessageBox.NoButton, parent))
    if detail:
        box.setDetailedText(detail)
    yes_b = box.addButton(yes, QMessageBox.AcceptRole)
    no_b = box.addButton(no, QMessageBox.RejectRole)
    box.setDefaultButton(no_b if danger else yes_b)
    box.setEscapeButton(no_b)
    box.exec()
    return box.clickedButton() is yes_b


def choose(parent, title: str, text: str, options: list[str], detail: str = "") -> int | None:
    """A question with several named answers and 取消; the index chosen, None when cancelled."""
    box = plain(QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent))
    if detail:
        box.setDetailedText(detail)
    buttons = [box.addButton(o, QMessageBox.AcceptRole) for o in options]
    cancel = box.addButton(T.CANCEL, QMessageBox.RejectRole)
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None


class _ChineseDates(QIdentityProxyModel):
    """The file dialog's 修改日期 column in the window's (Chinese) locale: Qt writes it in the
    system locale, which on a Linux desktop started with LANG=C reads 「1 12 2026」."""

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and index.column() == 3:
            source = self.sourceModel()
            modified = source.lastModified(self.mapToSource(index)) if hasattr(source, "lastModified") else None
            if modified is not None and modified.isValid():
                return QLocale().toString(modified, QLocale.FormatType.ShortFormat)
        return super().data(index, role)


def file_dialog(parent, title: str, where: str, filters: str = "", mode: str = "open") -> QFileDialog:
    """The app's file dialog (``mode``: "open", "save" or "folder"). On Linux it is Qt's own,
    never the desktop's: that one follows the system language (English under LANG=C), this one
    is Chinese throughout (Qt's catalogue and QT_GAPS), dates in Chinese order."""
    d = QFileDialog(parent, title, where, filters)
    if sys.platform.startswith("linux"):
        d.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        d.setProxyModel(_ChineseDates(d))
    if mode == "save":
        d.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        d.setFileMode(QFileDialog.FileMode.AnyFile)
    elif mode == "folder":
        d.setFileMode(QFileDialog.FileMode.Directory)
        d.setOption(QFileDialog.Option.ShowDirsOnly, True)
    else:
        d.setFileMode(QFileDialog.FileMode.ExistingFile)
    return d


def _chosen(d: QFileDialog) -> str | None:
    files = d.selectedFiles() if d.exec() == QFileDialog.DialogCode.Accepted else []
    d.deleteLater()
    return files[0] if files and files[0] else None


def ask_text(parent, title: str, prompt: str, text: str = "") -> str | None:
    """One line of text from the clerk (None when cancelled), in a dialog with Chinese buttons."""
    from PySide6.QtWidgets import QInputDialog

    d = QInputDialog(parent)
    d.setWindowTitle(title)
    d.setLabelText(prompt)
    d.setTextValue(text)
    d.setOkButtonText(T.OK)
    d.setCancelButtonText(T.CANCEL)
    return d.textValue() if d.exec() else None


def open_file_name(parent, title: str, directory: str, filters: str) -> str | None:
    return _chosen(file_dialog(parent, title, directory, filters, "open"))


def save_file_name(parent, title: str, path: str, filters: str) -> str | None:
    return _chosen(file_dialog(parent, title, path, filters, "save"))


def existing_directory(parent, title: str, directory: str) -> str | None:
    return _chosen(file_dialog(parent, title, directory, mode="folder"))


class _QtGaps(QTranslator):
    """Qt's own words its zh_CN catalogue leaves in English (the file dialog's 「Look in」 and
    「Files of type」, …): ``T.QT_GAPS``."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D401 - Qt API
        # None (a null string) lets Qt ask the next catalogue; "" would be taken as the answer.
        return T.QT_GAPS.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False


def install_qt_gaps(app) -> QTranslator:
    """Fill the gaps of Qt's Chinese catalogue (after it is installed)."""
    tr = _QtGaps(app)
    app.installTranslator(tr)
    return tr


def open_path(path: str | os.PathLike) -> bool:
    """Open a file or folder with the system's program for it (Word, the PDF reader, Explorer)."""
    p = str(path)
    if os.environ.get("GONGKAI_NO_OPEN"):  # tests: record instead of launching programs
        opened.append(p)
        return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(p))


def show_in_folder(path: str | os.PathLike) -> bool:
    """Open the folder holding ``path``, with the file selected where the system allows it."""
    p = Path(path)
    if os.environ.get("GONGKAI_NO_OPEN"):
        opened.append(str(p.parent))
        return True
    if sys.platform == "win32" and p.exists():
        try:
            subprocess.Popen(["explorer", "/select,", str(p)])
            return True
        except OSError:
            pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(p.parent if p.is_file() else p)))


opened: list[str] = []

def resource(name: str) -> Path | None:
    """A file of ``resources/`` (the icon, the example report) in a checkout, an installed
    package or a frozen build; None when it is not there."""
    here = Path(__file__).resolve()
    candidates = [here.parents[2] / "resources" / name, here.parents[1] / "resources" / name]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates += [Path(frozen) / "resources" / name, Path(frozen) / "gongkai_desktop" / "resources" / name]
    for p in candidates:
        if p.is_file():
            return p
    return None  # what open_path/show_in_folder were asked to open (tests)


def local_time(iso: str | None):
    """A stored ISO timestamp as a naive local datetime (``None`` when absent or unreadable)."""
    import datetime as _dt

    if not iso:
        return None
    try:
        t = _dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    return t.astimezone().replace(tzinfo=None) if t.tzinfo is not None else t


def long_time(iso: str | None) -> str:
    """「2026年1月20日 10:30」, as 公文 write dates (no zero padding)."""
    t = local_time(iso)
    if t is None:
        return iso or ""
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


def scrolled(inner, max_width: int | None = None):
    """``inner`` in a frameless scroll area that resizes it: a form page that still works in a
    low window or at 150 % scaling."""
    from PySide6.QtWidgets import QScrollArea

    if max_width:
        inner.setMaximumWidth(max_width)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.NoFrame)
    scroll.setWidget(inner)
    return scroll
