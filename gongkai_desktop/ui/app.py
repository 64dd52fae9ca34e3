"""Starting the window: the Qt application in Chinese, the store opened with clear dialogs."""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from ..errors import StoreError
from . import texts as T
from . import widgets as W

_translators: list[QTranslator] = []  # kept alive as long as the application


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once: high-DPI friendly, Chinese standard dialogs, app icon."""
    app = QApplication.instance()
    if app is None:
        # Fractional scaling (125 %, 150 %) as the screen asks, not rounded to whole numbers.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("gongkai-desktop")
    app.setOrganizationName("gongkai")
    app.setApplicationDisplayName(T.APP_TITLE)
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    install_translations(app)
    icon = W.resource("icon.svg") or W.resource("icon.png")
    if icon is not None:
        app.setWindowIcon(QIcon(str(icon)))
    return app


def install_translations(app: QApplication) -> bool:
    """Load Qt's own zh_CN catalogue so 确定/取消/是/否 and the file dialogs read in Chinese."""
    if _translators:
        return True
    path = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    ok = False
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        tr = QTranslator(app)
        if tr.load(name, path):
            app.installTranslator(tr)
            _translators.append(tr)
            ok = True
    return ok


def open_store(path: str | None, parent=None):
    """The store, or None when the clerk has to stop (another program has it, or the file is
    damaged and no backup is restored). A damaged file offers the latest backup."""
    from ..storage.store import Store

    while True:
        try:
            return Store.open(path)
        except StoreError as exc:
            reason = getattr(exc, "reason", "")
            if reason == "damaged":
                backup = getattr(exc, "backup", None)
                if backup is None:
                    W.critical(parent, T.STORE_DAMAGED_TITLE, str(exc) + "\n\n" + T.STORE_DAMAGED_NO_BACKUP)
                    return None
                if not W.confirm(parent, T.STORE_DAMAGED_TITLE,
                                 T.STORE_DAMAGED_ASK.format(message=exc, backup=backup),
                                 T.STORE_RESTORE, T.QUIT):
                    return None
                try:
                    used, moved = Store.restore_latest_backup(path)
                except StoreError as exc2:
                    W.critical(parent, T.STORE_DAMAGED_TITLE, str(exc2))
                    return None
                W.information(parent, T.STORE_RESTORED_TITLE,
                              T.STORE_RESTORED.format(backup=used, damaged=moved or "—"))
                continue
            title = T.STORE_LOCKED_TITLE if reason == "locked" else T.STORE_ERROR_TITLE
            W.critical(parent, title, str(exc) + ("\n\n" + T.STORE_LOCKED_HINT if reason == "locked" else ""))
            return None


def create_window(db_path: str | None = None, settings=None):
    """Everything ``run`` does short of the event loop (the tests and the benchmark use it).
    Returns the main window, or None when the store could not be opened."""
    from .context import AppContext
    from .main_window import MainWindow
    from .settings import Settings

    make_application()
    store = open_store(db_path)
    if store is None:
        return None
    ctx = AppContext(store, settings or Settings())
    return MainWindow(ctx)


def run(db_path: str | None = None) -> int:
    t0 = time.perf_counter()
    app = make_application()
    window = create_window(db_path)
    if window is None:
        return 1
    window.show()
    _close_on_termination(app, window)
    if os.environ.get("GONGKAI_STARTUP_TIME"):
        sys.stderr.write(f"startup {time.perf_counter() - t0:.3f}s\n")
    return app.exec()


def _close_on_termination(app, window) -> None:
    """A desktop logout or ``kill`` sends SIGTERM (Ctrl+C in a terminal SIGINT): close the window
    the normal way, so a text typed in the last 400 ms is saved and the store closes cleanly.

    Python only runs signal handlers between bytecodes, so a light timer gives it the chance while
    Qt's event loop is waiting."""
    import signal

    from PySide6.QtCore import QTimer

    def handler(signum, frame):  # noqa: ARG001
        window.close()
        app.quit()

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread, or not supported here
            return
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(300)
    app._signal_timer = timer  # keep it alive with the application
