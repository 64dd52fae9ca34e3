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
    _translators.append(W.install_qt_gaps(app))  # what Qt's catalogue leaves in English
    return ok


def open_store(path: str | None, parent=None):
    """The store, or None when the clerk has to stop (another program has it, or the file is
    damaged and no backup is restored). A damaged file offers the latest good backup, saying
    beforehand what the restore costs."""
    from ..storage.store import Store

    while True:
        try:
            return Store.open(path)
        except StoreError as exc:
            reason = getattr(exc, "reason", "")
            if reason == "damaged":
                if not _offer_restore(exc, parent):
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


def _offer_restore(exc: StoreError, parent) -> bool:
    """The damaged-file dialog: what is damaged, then (apart) what restoring gives back and
    what it costs; the technical detail goes to the dialog's details. True to restore.
    ``exc.damage`` (storage.backups.Damage) is None when no backup passes its check."""
    damage = exc.damage
    # The store's message is the technical line, then its own hint (with the backup's path):
    # only the first goes to the details, so the path is said once.
    detail = T.STORE_DAMAGED_DETAIL.format(backup=damage.backup if damage else "—", detail=str(exc).split("\n")[0])
    if damage is None:
        W.critical(parent, T.STORE_DAMAGED_TITLE, str(exc) + "\n\n" + T.STORE_DAMAGED_NO_BACKUP)
        return False
    return W.confirm(parent, T.STORE_DAMAGED_TITLE,
                     T.STORE_DAMAGED_TEXT.format(path=damage.path) + "\n\n" + restore_hint(damage),
                     T.STORE_RESTORE, T.QUIT, detail=detail)


def restore_hint(damage) -> str:
    """「备份时间：…（3 小时前），备份中有 4 份年报；损坏的文件中有 5 份。恢复后，… 以后的修改需要重新填写。」"""
    import datetime as _dt

    when = damage.backup_time
    if when.tzinfo is not None:
        when = when.astimezone().replace(tzinfo=None)
    n_damaged = damage.damaged_reports
    damaged = T.STORE_DAMAGED_COUNT.format(n=n_damaged) if n_damaged is not None else T.STORE_DAMAGED_COUNT_UNKNOWN
    return T.STORE_DAMAGED_RESTORE.format(
        time=W.long_time(when.isoformat()), age=age_text(_dt.datetime.now() - when),
        backup_reports="?" if damage.backup_reports is None else damage.backup_reports, damaged=damaged)


def age_text(delta) -> str:
    """How old, in the largest whole unit: 「5 分钟」「3 小时」「2 天」."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 120:
        return T.AGE_MINUTES.format(n=max(1, minutes))
    hours = minutes // 60
    if hours < 48:
        return T.AGE_HOURS.format(n=hours)
    return T.AGE_DAYS.format(n=hours // 24)


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
    early = _hold_signals()
    app = make_application()
    window = create_window(db_path)
    if window is None:
        return 1
    window.show()
    install_close_handlers(app, window)
    if early:  # asked to end while starting: nothing typed yet, end cleanly now
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.terminate)
    if os.environ.get("GONGKAI_STARTUP_TIME"):
        sys.stderr.write(f"startup {time.perf_counter() - t0:.3f}s\n")
    return app.exec()


def _close_signals() -> list:
    import signal

    return [signal.SIGTERM, signal.SIGINT] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])


def _hold_signals() -> list[int]:
    """From the start until the window can close cleanly, a SIGTERM is remembered instead of
    killing the program half-way through opening the store (its session would look like a
    crash at the next start). Returns the list the signals are remembered in."""
    import signal

    got: list[int] = []
    for sig in _close_signals():
        try:
            signal.signal(sig, lambda signum, frame: got.append(signum))  # noqa: ARG005
        except (ValueError, OSError):
            break
    return got


def install_close_handlers(app, window) -> None:
    """Nothing typed is lost however the program ends: the close button (closeEvent), a desktop
    logout or ``kill`` (SIGTERM), Ctrl+C in a terminal (SIGINT), a closed terminal (SIGHUP), the
    desktop session ending (commitDataRequest: save, the session then ends us) and any other
    quit (aboutToQuit).

    A POSIX signal handler is run by Python between two bytecodes — possibly in the middle of a
    save the typing timer started. So the handler only *asks* for the close, which then runs from
    the event loop once that save has finished, never inside it. Python only gets the chance to
    run handlers while Qt's event loop waits if some Python code runs: hence the light timer."""
    import signal

    from PySide6.QtCore import QTimer

    def handler(signum, frame):  # noqa: ARG001
        QTimer.singleShot(0, window.terminate)

    app.commitDataRequest.connect(window.session_ending)
    app.aboutToQuit.connect(window.ctx.shutdown)
    for sig in _close_signals():
        try:
            signal.signal(sig, handler)
        except (ValueError, OSError):  # not the main thread, or not supported here
            return
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(200)
    app._signal_timer = timer  # keep it alive with the application
