"""Where reports live: one SQLite file, written through sqlite-utils.

The file is ``<user data dir>/reports.db`` unless a path is given (the CLI's ``--db``) or the
``GONGKAI_DB`` environment variable names another one. Backups go to ``backups/`` beside it.

Durability and sharing
    The database runs in WAL mode with ``synchronous=FULL``: every edit method is one
    ``BEGIN IMMEDIATE … COMMIT`` transaction, so an edit that returned is on disk even if the
    program is killed or the power fails the next moment. Two programs may open the same file;
    a writer waits up to ``timeout`` seconds (3 s) for the other and then raises
    :class:`StoreError` with ``texts.STORE_LOCKED`` — it never corrupts the file.

Schema changes
    Only through the ordered migrations of sqlite-utils (``sqlite_utils.migrations.Migrations``,
    the successor of the ``sqlite-migrate`` package, so no extra dependency), recorded in the
    ``_sqlite_migrations`` table under the set name ``gongkai_desktop``. Migration names start
    with a four-digit schema version. A migration is never edited once released: a schema
    change is a new function appended to :data:`MIGRATIONS`. Before a file is upgraded a backup
    of it is taken. A file that has a migration this program does not know was written by a newer
    version: opening it raises :class:`StoreError` (``texts.STORE_NEWER``) and changes nothing.

Integrity and backups (storage/backups.py)
    ``PRAGMA quick_check`` runs at every open. A damaged file — also an empty (0-byte) or
    header-only file where backups exist — raises :class:`StoreError` with ``reason="damaged"``
    and ``damage`` (a :class:`backups.Damage`: the newest backup that passes
    ``integrity_check``, when it was taken, how many reports it and the damaged file hold);
    :meth:`Store.restore_latest_backup` moves the damaged file aside and restores that backup.
    A file over :data:`QUICK_CHECK_SYNC_BYTES` (a supervising office's store) is checked on the
    background thread instead, before its backup: damage found there is :attr:`Store.integrity_error`,
    raised by every later edit, and the damaged file is not backed up.
    When the newest backup is more than an hour old, a new one is taken after the store is open,
    on a thread of its own with its own connection, so a large store opens as fast as a small
    one; ``backups.rotate`` then applies the retention rule.

Permissions
    The database (and so its -wal/-shm, which SQLite creates with the database's mode), the
    backups and restored files are created 0600 on POSIX; older 0644 files are tightened at open.
    A file or folder the program may not write opens read-only (:attr:`Store.read_only`): viewing
    and exporting work, every edit raises :class:`ReadOnlyStore`.

Two windows on one report
    :meth:`Store.mark_open` / :meth:`Store.mark_closed` record which session has which report
    open; :meth:`Store.other_editors` lists the other live sessions. ``set_section(…, base=…)``
    refuses (:class:`StaleEdit`) to overwrite a text that changed since the window read it.

Revision log (``Store.revisions``) — ``what`` is one of:
    ``create`` / ``import`` / ``copy`` (new = source id) / ``carry`` (new = source id),
    ``cell:T/R/C`` and ``declared:T/R/C`` (old/new = storage text), ``section:ID``,
    ``meta:FIELD`` (dates ISO, units JSON), ``explanation:KEY``, ``finalize``,
    ``reopen`` (new = the reason), ``delete``, ``restore``. Consecutive edits of the same text
    field (section, explanation, organ, signoff, opening) within :data:`COALESCE_SECONDS` are
    folded into one revision (old = the text before the burst, new = the text after it), so an
    autosaving editor does not log every keystroke. Only edits of the same session are folded,
    so another window's edit always keeps its own revision.

Summaries
    ``list_reports`` must stay fast for a thousand reports, so progress and the error/warning
    counts are cached in the ``reports`` table. Every edit marks the report's cache (and that
    of the same organ's next-year report, whose cross-year checks read this one) stale; stale
    rows are recomputed (load + check) by :meth:`Store.refresh_summaries` (with a progress
    callback) or, for the rows still stale, by ``list_reports``. A change of the program
    version, of a format file or of the rules marks every cache stale at open.
    :meth:`Store.change_counter` grows with every change to any report (also by another
    program), and ``list_reports(changed_since=c)`` returns only the rows changed after ``c``,
    so a list refreshes what changed instead of everything.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
import json
import logging
import os
import secrets
import shutil
import socket
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlite_utils import Database

from ..report import values as V
from ..errors import (GongkaiError, InvalidValue, NotFound, ReadOnlyStore, ReportLocked, StaleEdit,
                      StoreError, YearError)
from . import backups as B
from . import migrations as M
from .migrations import MIGRATIONS, SCHEMA_VERSION, schema_version  # noqa: F401 (public names)
from ..report.formats import CellKey, Format, get_format, all_formats
from ..report import codec, sentences
from ..report.model import MAX_TEXT, META_EDITABLE, Meta, Report, default_organ_type, parse_date  # noqa: F401 (META_EDITABLE: public)
from .. import texts as T
from .fileio import os_error_text

log = logging.getLogger(__name__)

APP_NAME = "gongkai_desktop"
DB_NAME = "reports.db"
ENV_DB = "GONGKAI_DB"
BUSY_TIMEOUT = 3.0  # seconds a writer waits for another program before STORE_LOCKED
BACKUP_EVERY = _dt.timedelta(hours=1)
BACKUP_JOIN_SECONDS = 30.0  # close() waits this long for a running backup to finish
COALESCE_SECONDS = 60
SYNCHRONOUS = "FULL"
QUICK_CHECK_SYNC_BYTES = 32 * 1024 * 1024  # larger files are checked on the background thread
DISK_FULL_BYTES = 4 * 1024 * 1024  # "disk I/O error" with less free space than this = disk full
_SQLITE_HEADER = B.SQLITE_HEADER
_TEXT_FIELDS = ("section:", "explanation:", "meta:organ", "meta:signoff", "meta:opening", "jiedu")

Checker = Callable[[Report], "tuple[int, int]"]


class CarryExists(GongkaiError):
    """The organ already has a report for the year being carried into (``report_id`` is it)."""

    def __init__(self, message: str, report_id: int):
        super().__init__(message)
        self.report_id = report_id


@dataclass
class ReportSummary:
    id: int
    organ: str
    organ_type: str
    year: int
    format_id: str
    status: str
    progress: float
    errors: int
    warnings: int
    updated_at: str
    deleted_at: str | None
    example: bool


@dataclass
class Revision:
    id: int
    report_id: int
    at: str
    what: str
    old: str | None
    new: str | None


# ---------------------------------------------------------------------------------------------
# Helpers


def _now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _key_text(key: CellKey) -> str:
    return "/".join(key)


def _generated_json(mapping: dict[str, dict[str, str]] | None) -> str:
    return json.dumps({k: v for k, v in (mapping or {}).items() if v}, ensure_ascii=False, sort_keys=True)


def _json_mapping(text: str | None) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        log.warning("unreadable generated-sentence record ignored")
        return {}
    return value if isinstance(value, dict) else {}


def _store_error(message: str, reason: str, damage: B.Damage | None = None) -> StoreError:
    """A :class:`StoreError` (a :class:`ReadOnlyStore` for ``read_only``) carrying ``reason``
    (``locked`` | ``damaged`` | ``newer`` | ``not_db`` | ``disk_full`` | ``read_only`` | ``io``)
    and, when damaged with a usable backup, ``damage`` and ``backup``."""
    err = ReadOnlyStore(message) if reason == "read_only" else StoreError(message)
    err.reason = reason
    err.damage = damage
    err.backup = damage.backup if damage else None
    return err


def _time_text(t: _dt.datetime) -> str:
    return T.STORE_TIME.format(t=t)


@lru_cache(maxsize=None)
def _cell_info(format_id: str) -> dict[CellKey, tuple[str, str]]:
    """Typed (non-derived) cells of a format → (kind, name for messages)."""
    fmt = get_format(format_id)
    return {k: (fmt.cell_kind(k), fmt.cell_name(k)) for k in fmt.cells() if k not in fmt.derived}


def _typed_cells(fmt: Format) -> dict[CellKey, tuple[str, str]]:
    return _cell_info(fmt.id)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # ERROR_ACCESS_DENIED: exists, another user's
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return False
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _default_checker() -> Checker | None:
    try:
        from ..report.rules import count_findings  # type: ignore[attr-defined]
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith("core.rules"):
            return None
        raise
    except ImportError:
        return None
    return count_findings


CHECK_SOURCES = Path(__file__).parents[1] / "report"  # the checks: rules.py, findings, text/ …


def _fingerprint(sources: Path | None = None) -> str:
    """What the cached summaries depend on besides the data: program, formats and every module
    of the report room (the rules and the text checks they call), so a changed check never
    leaves old counts on the start page."""
    from .. import __version__

    h = hashlib.sha1(__version__.encode())
    for fmt in all_formats():
        h.update(json.dumps(fmt.raw, sort_keys=True, ensure_ascii=False).encode())
    root = sources or CHECK_SOURCES
    for py in sorted(root.rglob("*.py")):
        with contextlib.suppress(OSError):
            h.update(py.relative_to(root).as_posix().encode())
            h.update(py.read_bytes())
    return h.hexdigest()


def _damaged_error(path: Path, detail: str) -> StoreError:
    damage = B.damage_of(path)
    msg = T.STORE_DAMAGED.format(path=path, detail=detail)
    if damage is None:
        hint = T.STORE_NO_BACKUP
    else:
        damaged = (T.STORE_DAMAGED_COUNT.format(n=damage.damaged_reports) if damage.damaged_reports is not None
                   else T.STORE_DAMAGED_UNCOUNTED)
        hint = T.STORE_DAMAGED_HINT.format(
            backup=damage.backup, time=_time_text(damage.backup_time),
            backup_reports="?" if damage.backup_reports is None else damage.backup_reports, damaged=damaged)
    return _store_error(f"{msg}\n{hint}", "damaged", damage)


def _quick_check(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if "malformed" in text or "not a database" in text or "corrupt" in text:
            return str(exc)
        raise
    if rows and rows[0][0] == "ok":
        return None
    return "; ".join(str(r[0]) for r in rows[:3]) or "quick_check failed"


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < DISK_FULL_BYTES
    except OSError:
        return False


def _map_error(exc: BaseException, path: Path, *, opening: bool = False) -> StoreError:
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        text = "full"
    full_msg = T.STORE_DISK_FULL_OPEN if opening else T.STORE_DISK_FULL
    if "locked" in text or "busy" in text:
        return _store_error(T.STORE_LOCKED.format(path=path), "locked")
    if "full" in text:
        return _store_error(full_msg.format(path=path), "disk_full")
    if "readonly" in text or "read-only" in text:
        return _store_error(T.STORE_READ_ONLY.format(path=path), "read_only")
    if isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    ):
        return _damaged_error(path, str(exc))
    # SQLite reports a failed write of the -wal/-shm files on a full disk as a plain I/O error.
    if ("disk i/o" in text or isinstance(exc, OSError)) and _disk_full(path):
        return _store_error(full_msg.format(path=path), "disk_full")
    detail = os_error_text(exc) if isinstance(exc, OSError) else exc
    return _store_error(T.STORE_IO.format(path=path, detail=detail), "io")


# ---------------------------------------------------------------------------------------------
# Snapshots (carry-over baseline)


def snapshot(report: Report) -> dict[str, Any]:
    """A self-contained JSON-able copy of ``report`` (the carry-over baseline): the one report ⇄
    dict mapping of report/codec.py, so every field the exchange file carries is kept here too."""
    return codec.report_to_dict(report)


def report_from_snapshot(data: dict[str, Any]) -> Report:
    """The report a :func:`snapshot` holds; baselines stored before the codec existed (no
    ``kind`` key) are read with :func:`_legacy_snapshot`."""
    if data.get("kind") == codec.KIND:
        report, _notes = codec.report_from_dict(data)
        return report
    return _legacy_snapshot(data)


def _legacy_snapshot(data: dict[str, Any]) -> Report:
    fmt = get_format(data["format_id"])
    info = _typed_cells(fmt)
    m = data.get("meta", {})
    report = Report(
        format_id=fmt.id,
        meta=Meta(
            organ=m.get("organ", ""), organ_type=m.get("organ_type") or default_organ_type(fmt),
            year=int(m.get("year", 0)),
            issue_date=_dt.date.fromisoformat(m["issue_date"]) if m.get("issue_date") else None,
            signoff=m.get("signoff", ""), opening=m.get("opening", ""), units=dict(m.get("units", {})),
        ),
        sections=dict(data.get("sections", {})),
        status=data.get("status", "draft"),
        uid=data.get("uid") or uuid.uuid4().hex,
        generated={str(k): dict(v) for k, v in (data.get("generated") or {}).items() if isinstance(v, dict)},
        jiedu=str(data.get("jiedu") or ""),
    )
    for text, value in data.get("values", {}).items():
        key = tuple(text.split("/"))
        if key in info:
            report.values[key] = V.from_storage(value, info[key][0])
    for text, value in data.get("declared", {}).items():
        key = tuple(text.split("/"))
        if fmt.has_cell(key):
            report.declared[key] = V.from_storage(value, fmt.tables[key[0]].cell_kind(key[1], key[2]))
    report.fill_blank()
    return report


# ---------------------------------------------------------------------------------------------
# The store


class _Edit:
    """What an edit transaction knows about its report; ``log`` records one change."""

    def __init__(self, store: "Store", row: sqlite3.Row, at: str):
        self.store = store
        self.row = row
        self.at = at
        self.changed = False
        self.neighbours: set[tuple[str, int]] = {(row["organ"], row["year"])}

    @property
    def format(self) -> Format:
        return get_format(self.row["format_id"])

    def log(self, what: str, old: str | None, new: str | None) -> None:
        self.changed = True
        self.store._log(self.row["id"], what, old, new, self.at)


@dataclass
class Editor:
    """Another live session that has a report open (:meth:`Store.other_editors`)."""

    host: str
    pid: int
    since: str


def _writable(path: Path) -> bool:
    """Whether this program may write the database (and create its -wal/-shm beside it)."""
    folder_ok = os.access(path.parent, os.W_OK)
    if path.exists():
        return folder_ok and os.access(path, os.W_OK)
    return folder_ok


@dataclass(frozen=True)
class CollectionEntry:
    """One organ's report in a supervising office's collection (see :meth:`Store.collection_put`)."""

    id: int
    organ_key: str
    report_id: int
    received: str | None
    source: str
    organ: str = ""
    row_cache: str | None = None


class Store:
    """The reports database. Open with :meth:`open`; every edit method commits at once."""

    path: Path
    read_only: bool

    def __init__(self, path: Path, conn: sqlite3.Connection, checker: Checker | None, explicit_checker: bool,
                 *, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self._conn = conn
        self._db = Database(conn, execute_plugins=False)
        self._checker = checker
        self._explicit_checker = explicit_checker
        self._session_id: int | None = None
        self._token = secrets.token_hex(8)  # this session, in the revision log
        self._unclean = False
        self._closed = False
        self._change: int | None = None  # the counter value of the running transaction
        # id → ((stale mark, change counter), summary): computed but not (yet) saved
        self._memo: dict[int, tuple[tuple[int, int], tuple[float, int, int]]] = {}
        self._backup_thread: threading.Thread | None = None
        self._deferred_check = False
        self._integrity_error: StoreError | None = None
        self.last_backup: Path | None = None
        self.backup_error: str | None = None

    # -- opening ----------------------------------------------------------------------------------
    @staticmethod
    def default_path() -> Path:
        """The path :meth:`open` uses when given none: ``$GONGKAI_DB`` or the user data dir."""
        env = os.environ.get(ENV_DB, "").strip()
        if env:
            return Path(env).expanduser()
        from platformdirs import user_data_dir

        return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_NAME

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, backups: bool = True,
             checker: Checker | None = None, timeout: float = BUSY_TIMEOUT,
             read_only: bool | None = None) -> "Store":
        """Open (or create) the database. ``read_only=None`` opens read-only exactly when the file
        or its folder may not be written; ``True`` forces it. ``backups`` takes the hourly
        backup (in the background, after the store is open) and the one before an upgrade."""
        path = Path(path).expanduser() if path else cls.default_path()
        try:
            path.parent.mkdir(mode=B.FOLDER_MODE, parents=True, exist_ok=True)
        except OSError as exc:
            if not path.parent.is_dir():
                raise _map_error(exc, path, opening=True) from exc
        try:
            size = path.stat().st_size if path.is_file() else None
        except OSError as exc:
            raise _map_error(exc, path, opening=True) from exc
        existed = bool(size)
        if size == 0 and B.list_backups(path):
            # An emptied file next to backups is damage, not a new store: treating it as new would
            # show no reports, and later hourly backups would copy the empty file.
            raise _damaged_error(path, T.STORE_DAMAGED_EMPTY)
        if existed:
            try:
                with open(path, "rb") as fh:
                    header = fh.read(16)
            except OSError as exc:
                raise _map_error(exc, path, opening=True) from exc
            if header != _SQLITE_HEADER:
                if B.list_backups(path):
                    raise _damaged_error(path, "not a SQLite database")
                raise _store_error(T.STORE_NOT_DB.format(path=path), "not_db")
        if read_only is None:
            read_only = not _writable(path)
            if read_only and not existed:
                raise _store_error(T.STORE_READ_ONLY.format(path=path), "read_only")
        if not read_only:
            try:
                return cls._open_rw(path, existed, backups, checker, timeout)
            except StoreError as exc:
                cause = str(exc.__cause__ or "").lower()
                if not existed or not (exc.reason == "read_only" or "unable to open" in cause):
                    raise
                # e.g. a read-only mount or a Windows ACL that os.access does not see (SQLite then
                # cannot create the -wal/-shm): view the file instead
                log.warning("%s cannot be written (%s); opening it read-only", path, cause or exc.reason)
        return cls._open_ro(path, checker, timeout)

    @classmethod
    def _open_rw(cls, path: Path, existed: bool, backups: bool, checker: Checker | None,
                 timeout: float) -> "Store":
        if not path.exists():
            try:  # create it private first: SQLite gives the -wal/-shm the database's mode
                os.close(B.private_file(path))
            except FileExistsError:
                pass
            except OSError as exc:
                raise _map_error(exc, path, opening=True) from exc
        else:
            for suffix in ("", "-wal", "-shm"):
                B.make_private(path.with_name(path.name + suffix))
        try:
            conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _map_error(exc, path, opening=True) from exc
        conn.row_factory = sqlite3.Row
        store = cls(path, conn, checker or None, checker is not None)
        try:
            store._prepare(existed, backups, timeout)
        except BaseException:
            conn.close()
            raise
        if backups and existed:
            store._start_background_work()
        return store

    @classmethod
    def _open_ro(cls, path: Path, checker: Checker | None, timeout: float) -> "Store":
        uri = path.resolve().as_uri()
        conn = None
        last: sqlite3.Error | None = None
        # mode=ro needs the -shm of a WAL file to exist or be creatable; in a read-only folder
        # after a clean close neither holds, and immutable=1 is the only way to read it.
        for query in ("mode=ro", "immutable=1"):
            try:
                conn = sqlite3.connect(f"{uri}?{query}", uri=True, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                break
            except sqlite3.Error as exc:
                last = exc
                if conn is not None:
                    conn.close()
                conn = None
        if conn is None:
            assert last is not None
            raise _map_error(last, path, opening=True) from last
        conn.row_factory = sqlite3.Row
        store = cls(path, conn, checker or None, checker is not None, read_only=True)
        try:
            with store._guard(opening=True):
                store._check_integrity(True)
                if M.unknown_applied(store._db):
                    store._refuse_newer()
                if M.pending(store._db):
                    raise _store_error(T.STORE_READ_ONLY_UPGRADE.format(path=path), "read_only")
        except BaseException:
            conn.close()
            raise
        return store

    def _check_integrity(self, existed: bool, *, defer_large: bool = False) -> None:
        if not existed:
            return
        try:
            large = self.path.stat().st_size > QUICK_CHECK_SYNC_BYTES
        except OSError:
            large = False
        if defer_large and large:
            # quick_check reads the whole file (over a second for 150 MB): a supervising office's
            # store is checked on the background thread instead, before its backup.
            self._deferred_check = True
        else:
            problem = _quick_check(self._conn)
            if problem is not None:
                raise _damaged_error(self.path, problem)
        if B.list_backups(self.path) and not [
                n for n in self._db.table_names() if not n.startswith("sqlite_")]:
            # header-only: a valid SQLite file that lost every table, next to backups
            raise _damaged_error(self.path, T.STORE_DAMAGED_EMPTY)

    def _refuse_newer(self) -> None:
        found = max(schema_version(n) for n in M.applied_names(self._db))
        raise _store_error(T.STORE_NEWER.format(path=self.path, found=found, supported=SCHEMA_VERSION), "newer")

    def _prepare(self, existed: bool, backups: bool, timeout: float) -> None:
        conn = self._conn
        with self._guard(opening=True):
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._check_integrity(existed, defer_large=backups)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":  # pragma: no cover - e.g. a file system without shm
                log.warning("journal_mode is %s, not wal, for %s", mode, self.path)
            conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(existed, backups)
            self._start_session()

    def _migrate(self, existed: bool, backups: bool) -> None:
        if M.unknown_applied(self._db):
            self._refuse_newer()
        if not M.pending(self._db):
            return
        applied = M.applied_names(self._db)
        if existed and not applied:
            user_tables = [n for n in self._db.table_names() if not n.startswith("sqlite_")]
            if user_tables:
                raise _store_error(T.STORE_NOT_DB.format(path=self.path), "not_db")
        if existed and backups:
            try:
                self.backup_now()  # keep the file as it was before the upgrade
            except StoreError as exc:
                log.warning("backup before upgrading %s failed: %s", self.path, exc)
        with self._tx():
            # Another program may have upgraded the file while we waited for the lock.
            M.apply(self._db)

    def _start_session(self) -> None:
        host = socket.gethostname()
        with self._tx():
            stale = [
                r["id"] for r in self._conn.execute("SELECT id, pid, host FROM sessions")
                if r["host"] == host and not _pid_alive(r["pid"])
            ]
            if stale:
                self._unclean = True
                self._conn.executemany("DELETE FROM sessions WHERE id = ?", [(i,) for i in stale])
            self._conn.execute("DELETE FROM open_reports WHERE session_id NOT IN (SELECT id FROM sessions)")
            cur = self._conn.execute(
                "INSERT INTO sessions (pid, host, opened_at, token) VALUES (?, ?, ?, ?)",
                (os.getpid(), host, _now(), self._token))
            self._session_id = cur.lastrowid
            fp = _fingerprint()
            old = self._conn.execute("SELECT value FROM settings WHERE key = 'summary_fingerprint'").fetchone()
            if old is None or old[0] != fp:
                self._conn.execute("UPDATE reports SET summary_stale = summary_stale + 1")
                self._conn.execute("UPDATE collection SET row_cache = NULL")  # computed by the old rules
                self._conn.execute(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES ('summary_fingerprint', ?)", (fp,))

    def was_unclean_shutdown(self) -> bool:
        """True when a previous session on this file ended without :meth:`close` (killed,
        crashed, power cut). Committed edits are intact either way."""
        return self._unclean

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.wait_for_backup(BACKUP_JOIN_SECONDS)
        try:
            if self._session_id is not None:
                self._conn.execute("DELETE FROM open_reports WHERE session_id = ?", (self._session_id,))
                self._conn.execute("DELETE FROM sessions WHERE id = ?", (self._session_id,))
        except sqlite3.Error as exc:
            log.warning("could not clear the session marker of %s: %s", self.path, exc)
        finally:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- two windows on one report ----------------------------------------------------------------
    def mark_open(self, report_id: int) -> None:
        """This session shows ``report_id`` (a no-op when read-only: nobody edits through it)."""
        if self.read_only or self._session_id is None:
            return
        with self._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO open_reports (session_id, report_id, since) VALUES (?, ?, ?)",
                         (self._session_id, int(report_id), _now()))

    def mark_closed(self, report_id: int) -> None:
        if self.read_only or self._session_id is None:
            return
        with self._tx() as conn:
            conn.execute("DELETE FROM open_reports WHERE session_id = ? AND report_id = ?",
                         (self._session_id, int(report_id)))

    def other_editors(self, report_id: int) -> list[Editor]:
        """Other live sessions (this or another program, this or another computer) that have
        ``report_id`` open, oldest first. A session on another computer cannot be checked for
        life and is listed until that program closes the file."""
        host = socket.gethostname()
        with self._guard():
            rows = self._conn.execute(
                "SELECT s.pid, s.host, o.since FROM open_reports o JOIN sessions s ON s.id = o.session_id "
                "WHERE o.report_id = ? AND o.session_id IS NOT ? ORDER BY o.since, s.id",
                (int(report_id), self._session_id)).fetchall()
        return [Editor(host=r["host"], pid=r["pid"], since=r["since"]) for r in rows
                if r["host"] != host or _pid_alive(r["pid"])]

    # -- transactions -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _guard(self, *, opening: bool = False) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _map_error(exc, self.path, opening=opening) from exc

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front (so the busy timeout applies)."""
        if self.read_only:
            raise ReadOnlyStore(T.STORE_READ_ONLY_EDIT.format(path=self.path))
        if self._integrity_error is not None:
            raise self._integrity_error
        conn = self._conn
        with self._guard():
            conn.execute("BEGIN IMMEDIATE")
            self._change = None
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._change = None

    def _change_value(self) -> int:
        """The change-counter value of the running transaction (taken once, on first use)."""
        if self._change is None:
            row = self._conn.execute("SELECT value FROM settings WHERE key = 'change_counter'").fetchone()
            self._change = (int(row[0]) if row else 0) + 1
            self._conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('change_counter', ?)",
                               (str(self._change),))
        return self._change

    def change_counter(self) -> int:
        """Grows with every change to any report, by this or another program."""
        with self._guard():
            row = self._conn.execute("SELECT value FROM settings WHERE key = 'change_counter'").fetchone()
        return int(row[0]) if row else 0

    def _report_row(self, report_id: int) -> sqlite3.Row:
        row = self._conn.execute(
            "SELECT id, organ, organ_type, year, format_id, status, example, deleted_at "
            "FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise NotFound(T.REPORT_NOT_FOUND.format(id=report_id))
        return row

    @contextlib.contextmanager
    def _edit(self, report_id: int, *, locked_ok: bool = False) -> Iterator[_Edit]:
        with self._tx():
            row = self._report_row(report_id)
            if row["status"] == "final" and not locked_ok:
                raise ReportLocked(T.REPORT_FINAL)
            edit = _Edit(self, row, _now())
            yield edit
            if edit.changed:
                self._conn.execute(
                    "UPDATE reports SET updated_at = ?, summary_stale = summary_stale + 1, changed = ? WHERE id = ?",
                    (edit.at, self._change_value(), report_id))
                self._touch_next_year(edit.neighbours)

    def _touch_next_year(self, neighbours: set[tuple[str, int]]) -> None:
        """The same organ's next-year report reads this one in its cross-year checks."""
        for organ, year in neighbours:
            self._conn.execute(
                "UPDATE reports SET summary_stale = summary_stale + 1, changed = ? WHERE organ = ? AND year = ?",
                (self._change_value(), organ, year + 1))

    def _log(self, report_id: int, what: str, old: str | None, new: str | None, at: str) -> None:
        if what.startswith(_TEXT_FIELDS):
            last = self._conn.execute(
                "SELECT id, at, what, old, new, session FROM revisions WHERE report_id = ? ORDER BY id DESC LIMIT 1",
                (report_id,)).fetchone()
            # Fold only this session's own burst: another window's edit keeps its own revision,
            # so no text ever vanishes from both the table and the log.
            if (last is not None and last["what"] == what and last["session"] == self._token
                    and (last["new"] or "") == (old or "")):
                try:
                    age = (_dt.datetime.fromisoformat(at) - _dt.datetime.fromisoformat(last["at"])).total_seconds()
                except ValueError:
                    age = COALESCE_SECONDS + 1
                if 0 <= age <= COALESCE_SECONDS:
                    if (last["old"] or "") == (new or ""):
                        self._conn.execute("DELETE FROM revisions WHERE id = ?", (last["id"],))
                    else:
                        self._conn.execute("UPDATE revisions SET at = ?, new = ? WHERE id = ?",
                                           (at, new, last["id"]))
                    return
        self._conn.execute(
            "INSERT INTO revisions (report_id, at, what, old, new, session) VALUES (?, ?, ?, ?, ?, ?)",
            (report_id, at, what, old, new, self._token))

    # -- listing ------------------------------------------------------------------------------------
    _LIST_COLUMNS = ("SELECT id, organ, organ_type, year, format_id, status, progress, errors, warnings, "
                     "updated_at, deleted_at, example, summary_stale, changed FROM reports WHERE ")

    def list_reports(self, *, deleted: bool = False, changed_since: int | None = None) -> list[ReportSummary]:
        """Reports (or, with ``deleted=True``, the recycle bin), newest year first, then organ.

        With ``changed_since`` (a :meth:`change_counter` value), only the rows changed after it,
        live and recycled alike (``deleted_at`` tells where each belongs now); rows purged since
        are :meth:`purged_since`. Summaries still stale are computed here (see
        :meth:`refresh_summaries` for doing that first with a progress indicator)."""
        if changed_since is not None:
            where, params = "changed > ?", (int(changed_since),)
        else:
            where, params = ("deleted_at IS NOT NULL" if deleted else "deleted_at IS NULL"), ()
        with self._guard():
            cur = self._conn.cursor()
            cur.row_factory = None  # plain tuples: the list is the one hot loop over every report
            rows = cur.execute(self._LIST_COLUMNS + where + " ORDER BY year DESC, organ, id", params).fetchall()
        # columns: 0 id, 1 organ, 2 organ_type, 3 year, 4 format_id, 5 status, 6 progress, 7 errors,
        # 8 warnings, 9 updated_at, 10 deleted_at, 11 example, 12 summary_stale, 13 changed
        stale = {r[0]: (r[12], r[13]) for r in rows if r[12]}
        computed = self._refresh(stale) if stale else {}
        summary = ReportSummary
        out = []
        for r in rows:
            c = computed.get(r[0]) if stale else None
            progress, errors, warnings = c if c is not None else (r[6], r[7], r[8])
            out.append(summary(r[0], r[1], r[2], r[3], r[4], r[5], float(progress), int(errors), int(warnings),
                               r[9], r[10], bool(r[11])))
        return out

    def purged_since(self, counter: int) -> list[int]:
        """Ids of reports purged (really deleted) after ``counter``."""
        with self._guard():
            return [r[0] for r in self._conn.execute(
                "SELECT id FROM purged WHERE changed > ? ORDER BY id", (int(counter),))]

    def stale_count(self) -> int:
        """How many summaries :meth:`refresh_summaries` would recompute."""
        return len(self._stale_rows())

    def _stale_rows(self) -> dict[int, tuple[int, int]]:
        with self._guard():
            rows = self._conn.execute(
                "SELECT id, summary_stale, changed FROM reports WHERE summary_stale != 0 ORDER BY id").fetchall()
        marks = {r["id"]: (r["summary_stale"], r["changed"]) for r in rows}
        return {rid: m for rid, m in marks.items() if self._memo.get(rid, (None,))[0] != m}

    def refresh_summaries(self, progress: Callable[[int, int], Any] | None = None, *,
                          batch: int = 200) -> int:
        """Recompute every stale summary (load + check), saving them in batches so the write lock
        is never held long; ``progress(done, total)`` is called after each report (and once with
        ``(0, total)`` first). Returns how many were recomputed."""
        todo = self._stale_rows()
        total = len(todo)
        if progress is not None:
            progress(0, total)
        done = 0
        items = list(todo.items())
        for start in range(0, total, max(1, batch)):
            chunk = dict(items[start:start + batch])

            def step(_rid: int) -> None:
                nonlocal done
                done += 1
                if progress is not None:
                    progress(done, total)

            self._refresh(chunk, step)
        return total

    def _refresh(self, stale: dict[int, tuple[int, int]], step: Callable[[int], Any] | None = None
                 ) -> dict[int, tuple[float, int, int]]:
        """Summaries of the ``stale`` rows (id → (stale mark, change counter)); saves the complete ones whose mark is
        unchanged (nothing edited them meanwhile). Results are remembered per mark, so a
        read-only or busy store does not recompute them at every list."""
        out: dict[int, tuple[float, int, int]] = {}
        fresh: list[tuple[float, int, int, int, int]] = []
        for rid, mark in stale.items():
            memo = self._memo.get(rid)
            if memo is not None and memo[0] == mark:
                out[rid] = memo[1]
            else:
                computed = self._summarize(rid)
                if computed is not None:
                    progress, errors, warnings, complete = computed
                    out[rid] = (progress, errors, warnings)
                    if complete:
                        fresh.append((progress, errors, warnings, rid, mark[0]))
                        self._memo[rid] = (mark, out[rid])
            if step is not None:
                step(rid)
        if fresh and not self.read_only:
            try:
                with self._tx() as conn:
                    # Only if nothing changed the report meanwhile (the stale counter is unchanged).
                    conn.executemany(
                        "UPDATE reports SET progress = ?, errors = ?, warnings = ?, summary_stale = 0 "
                        "WHERE id = ? AND summary_stale = ?", fresh)
                for f in fresh:
                    self._memo.pop(f[3], None)
            except StoreError as exc:  # another program is writing: the cache can wait
                log.info("summary cache not saved: %s", exc)
        return out

    def _resolve_checker(self) -> Checker | None:
        if self._checker is None and not self._explicit_checker:
            self._checker = _default_checker()
            self._explicit_checker = self._checker is not None
        return self._checker

    def _summarize(self, report_id: int) -> tuple[float, int, int, bool] | None:
        """(progress, errors, warnings, complete); complete is False when no checker ran."""
        try:
            report = self.load(report_id)
        except GongkaiError:
            log.exception("cannot summarise report %s", report_id)
            return None
        progress = report.progress()
        checker = self._resolve_checker()
        if checker is None:
            return progress, 0, 0, False
        try:
            errors, warnings = checker(report)
        except Exception:  # a bug in a rule must not hide the start page
            log.exception("checking report %s failed", report_id)
            return progress, 0, 0, False
        return progress, int(errors), int(warnings), True

    def find(self, organ: str, year: int) -> int | None:
        """The id of ``organ``'s live report for ``year`` (a final one before drafts, then the
        most recently edited; a real report before an example), or None."""
        with self._guard():
            row = self._conn.execute(
                "SELECT id FROM reports WHERE organ = ? AND year = ? AND deleted_at IS NULL "
                "ORDER BY example, status = 'final' DESC, updated_at DESC, id DESC LIMIT 1",
                (organ.strip(), int(year))).fetchone()
        return None if row is None else row["id"]

    # -- loading ----------------------------------------------------------------------------------
    def load(self, report_id: int) -> Report:
        """The whole report, with ``previous`` set to last year's (live, else the baseline)."""
        with self._guard():
            report, row = self._load(report_id)
            previous = None
            prev = self._conn.execute(
                "SELECT id FROM reports WHERE organ = ? AND year = ? AND deleted_at IS NULL "
                "AND id != ? AND example = ? ORDER BY status = 'final' DESC, updated_at DESC, id DESC LIMIT 1",
                (row["organ"], row["year"] - 1, report_id, row["example"])).fetchone()
            if prev is not None:
                try:
                    previous, _ = self._load(prev["id"])
                except GongkaiError:
                    log.exception("cannot load last year's report %s", prev["id"])
            if previous is None and row["baseline"]:
                try:
                    previous = report_from_snapshot(json.loads(row["baseline"]))
                except (GongkaiError, ValueError, KeyError, TypeError):
                    log.exception("baseline of report %s is unusable", report_id)
            report.previous = previous
        return report

    def _load(self, report_id: int) -> tuple[Report, sqlite3.Row]:
        conn = self._conn
        row = conn.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise NotFound(T.REPORT_NOT_FOUND.format(id=report_id))
        fmt = get_format(row["format_id"])
        info = _typed_cells(fmt)
        report = Report(
            format_id=fmt.id,
            meta=Meta(
                organ=row["organ"], organ_type=row["organ_type"], year=row["year"],
                issue_date=_dt.date.fromisoformat(row["issue_date"]) if row["issue_date"] else None,
                signoff=row["signoff"], opening=row["opening"], units=json.loads(row["units"] or "{}"),
            ),
            status=row["status"], finalized_at=row["finalized_at"], id=row["id"], uid=row["uid"],
            updated_at=row["updated_at"], example=bool(row["example"]),
            generated=_json_mapping(row["generated"]), jiedu=row["jiedu"] or "",
        )
        for tab, r, c, value in conn.execute(
                "SELECT tab, row, col, value FROM cells WHERE report_id = ?", (report_id,)):
            key = (tab, r, c)
            if key in info:
                report.values[key] = V.from_storage(value, info[key][0])
            else:
                log.warning("report %s: cell %s is not in format %s; ignored", report_id, key, fmt.id)
        for tab, r, c, value in conn.execute(
                "SELECT tab, row, col, value FROM declared WHERE report_id = ?", (report_id,)):
            key = (tab, r, c)
            if fmt.has_cell(key):
                kind = fmt.tables[tab].cell_kind(r, c)
                report.declared[key] = V.from_storage(value, kind)
        for sid, text in conn.execute("SELECT section_id, text FROM sections WHERE report_id = ?", (report_id,)):
            report.sections[sid] = text
        for fkey, text in conn.execute(
                "SELECT finding_key, text FROM explanations WHERE report_id = ?", (report_id,)):
            report.explanations[fkey] = text
        report.fill_blank()
        return report, row

    # -- creating -----------------------------------------------------------------------------------
    def create(self, organ: str, year: int, organ_type: str | None = None, *, example: bool = False) -> int:
        organ = (organ or "").strip()
        if not organ:
            raise InvalidValue(T.ORGAN_REQUIRED)
        report = Report.new(organ, int(year), organ_type)  # None: the format's default_organ_type
        self._check_organ_type(report.format, report.meta.organ_type)
        report.example = example
        with self._tx():
            return self._insert(report, "create", f"{organ} {year}")

    def add(self, report: Report) -> int:
        """Store a whole report (an import) in one transaction; returns its new id."""
        fmt = report.format
        info = _typed_cells(fmt)
        for key in report.values:
            if tuple(key) not in info:
                if fmt.has_cell(tuple(key)):
                    raise InvalidValue(T.VALUE_DERIVED.format(name=fmt.cell_name(tuple(key))))
                raise InvalidValue(T.UNKNOWN_CELL.format(format_id=fmt.id, key=_key_text(key)))
        for key in report.declared:
            if not fmt.has_cell(tuple(key)):
                raise InvalidValue(T.UNKNOWN_CELL.format(format_id=fmt.id, key=_key_text(key)))
        baseline = json.dumps(snapshot(report.previous), ensure_ascii=False) if report.previous else None
        with self._tx():
            return self._insert(report, "import", report.uid or None, baseline=baseline,
                                keep_status=True)

    def _insert(self, report: Report, what: str, note: str | None, *, baseline: str | None = None,
                keep_status: bool = False) -> int:
        conn = self._conn
        at = _now()
        m = report.meta
        status = report.status if keep_status and report.status in ("draft", "final") else "draft"
        cur = conn.execute(
            "INSERT INTO reports (uid, organ, organ_type, year, format_id, status, finalized_at, issue_date, "
            "signoff, opening, units, example, created_at, updated_at, baseline, summary_stale, generated, jiedu, "
            "changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
            (report.uid or uuid.uuid4().hex, m.organ.strip(), m.organ_type, int(m.year), report.format_id,
             status, report.finalized_at if status == "final" else None,
             m.issue_date.isoformat() if m.issue_date else None, m.signoff, m.opening,
             json.dumps(m.units, ensure_ascii=False, sort_keys=True), int(bool(report.example)), at, at,
             baseline, _generated_json(report.generated), report.jiedu or "", self._change_value()))
        rid = cur.lastrowid
        conn.executemany(
            "INSERT INTO cells (report_id, tab, row, col, value) VALUES (?, ?, ?, ?, ?)",
            [(rid, *k, V.to_storage(v)) for k, v in report.values.items() if v is not None])
        conn.executemany(
            "INSERT INTO declared (report_id, tab, row, col, value) VALUES (?, ?, ?, ?, ?)",
            [(rid, *k, V.to_storage(v)) for k, v in report.declared.items()])
        conn.executemany(
            "INSERT INTO sections (report_id, section_id, text) VALUES (?, ?, ?)",
            [(rid, s, t) for s, t in report.sections.items() if t])
        conn.executemany(
            "INSERT INTO explanations (report_id, finding_key, text) VALUES (?, ?, ?)",
            [(rid, k, t) for k, t in report.explanations.items() if t])
        self._log(rid, what, None, note, at)
        self._touch_next_year({(m.organ.strip(), int(m.year))})
        return rid

    def copy(self, report_id: int) -> int:
        """A draft copy of the report (same organ and year, not an example)."""
        with self._tx():
            report, row = self._load(report_id)
            report.status, report.finalized_at, report.example, report.uid = "draft", None, False, ""
            return self._insert(report, "copy", str(report_id), baseline=row["baseline"])

    def carry(self, report_id: int, to_year: int) -> int:
        """Start the same organ's next-year report from this one: the format's ``carry_over`` cells
        (表三 二、上年结转 ← last year's 四、结转下年度继续办理), section texts as a starting point, meta
        (organ, organ_type, signoff, units) with no issue date, and a frozen snapshot of this
        report as the new one's baseline for the cross-year checks. Raises YearError
        (CARRY_WRONG_YEAR) unless ``to_year`` is the next year, CarryExists (CARRY_EXISTS) when the
        organ already has a live report for it."""
        with self._tx():
            src, _ = self._load(report_id)
            year = src.meta.year
            if int(to_year) != year + 1:
                raise YearError(T.CARRY_WRONG_YEAR.format(year=year, next=year + 1, to=to_year))
            organ = src.meta.organ
            existing = self._conn.execute(
                "SELECT id FROM reports WHERE organ = ? AND year = ? AND deleted_at IS NULL AND example = ? "
                "ORDER BY id LIMIT 1", (organ, year + 1, int(src.example))).fetchone()
            if existing is not None:
                raise CarryExists(T.CARRY_EXISTS.format(organ=organ, year=year + 1, id=existing["id"]),
                                  existing["id"])
            new = Report.new(organ, year + 1, src.meta.organ_type)
            new.example = src.example
            fmt = new.format
            info = _typed_cells(fmt)
            src_fmt = src.format
            # The new year's format says what carries over (表三 四、结转下年度 → 二、上年结转);
            # across formats only cells that exist in both are copied.
            for from_key, to_key in fmt.carry_pairs():
                if to_key in info and src_fmt.has_cell(from_key):
                    v = src.value(from_key)
                    if v is not None:
                        new.values[to_key] = v
            for s in fmt.sections:
                if s.text != "none" and src.sections.get(s.id):
                    new.sections[s.id] = src.sections[s.id]
            sentences.carry_over(src, new)  # linked statistics sentences: written again from the new tables
            new.meta.signoff = src.meta.signoff
            new.meta.opening = src.meta.opening  # the 开头段落 is text too, copied to be rewritten
            new.meta.units = {
                k: u for k, u in src.meta.units.items()
                if fmt.has_cell(tuple(k.split("/"))) and u in fmt.tables[k.split("/")[0]].cell_units(
                    *k.split("/")[1:3])
            }
            baseline = json.dumps(snapshot(src), ensure_ascii=False)
            return self._insert(new, "carry", str(report_id), baseline=baseline)

    # -- edits --------------------------------------------------------------------------------------
    def set_value(self, report_id: int, key: CellKey, value: V.Value | str | None) -> None:
        self.set_values(report_id, [(key, value)])

    def set_values(self, report_id: int, changes: list[tuple[CellKey, V.Value | str | None]]) -> None:
        """Several cells in one transaction (a paste, a table computed from the register): all
        are written or, when one value is refused, none. Each changed cell is its own revision."""
        with self._edit(report_id) as e:
            fmt = e.format
            cells = _typed_cells(fmt)
            for key, value in changes:
                key = tuple(key)
                info = cells.get(key)
                if info is None:
                    if fmt.has_cell(key):
                        raise InvalidValue(T.VALUE_DERIVED.format(name=fmt.cell_name(key)))
                    raise InvalidValue(T.UNKNOWN_CELL.format(format_id=fmt.id, key=_key_text(key)))
                new = V.to_storage(V.parse_value(value, info[0], info[1]))
                old_row = self._conn.execute(
                    "SELECT value FROM cells WHERE report_id = ? AND tab = ? AND row = ? AND col = ?",
                    (report_id, *key)).fetchone()
                old = None if old_row is None else old_row[0]
                if old == new:
                    continue
                if new is None:
                    self._conn.execute(
                        "DELETE FROM cells WHERE report_id = ? AND tab = ? AND row = ? AND col = ?", (report_id, *key))
                else:
                    self._conn.execute(
                        "INSERT OR REPLACE INTO cells (report_id, tab, row, col, value) VALUES (?, ?, ?, ?, ?)",
                        (report_id, *key, new))
                e.log("cell:" + _key_text(key), old, new)

    def clear_declared(self, report_id: int, key: CellKey) -> None:
        key = tuple(key)
        with self._edit(report_id) as e:
            old_row = self._conn.execute(
                "SELECT value FROM declared WHERE report_id = ? AND tab = ? AND row = ? AND col = ?",
                (report_id, *key)).fetchone()
            if old_row is None:
                return
            self._conn.execute(
                "DELETE FROM declared WHERE report_id = ? AND tab = ? AND row = ? AND col = ?", (report_id, *key))
            e.log("declared:" + _key_text(key), old_row[0], None)

    def set_section(self, report_id: int, section_id: str, text: str, *, base: str | None = None) -> None:
        """Store a section's text. With ``base`` (the text the window started from), refuse with
        :class:`StaleEdit` when the stored text is no longer ``base`` — another window changed
        it — instead of overwriting that window's work."""
        text = text or ""
        with self._edit(report_id) as e:
            fmt = e.format
            try:
                section = fmt.section(section_id)
            except KeyError:
                section = None
            if section is None or section.text == "none":
                raise InvalidValue(T.UNKNOWN_SECTION.format(id=section_id))
            if len(text) > MAX_TEXT:
                raise InvalidValue(T.TEXT_TOO_LONG.format(where=section.heading, limit=MAX_TEXT))
            old_row = self._conn.execute(
                "SELECT text FROM sections WHERE report_id = ? AND section_id = ?", (report_id, section_id)).fetchone()
            old = "" if old_row is None else old_row[0]
            if old == text:
                return
            if base is not None and old != base:
                raise StaleEdit(T.STORE_STALE_EDIT.format(where=section.heading), current=old)
            if text:
                self._conn.execute(
                    "INSERT OR REPLACE INTO sections (report_id, section_id, text) VALUES (?, ?, ?)",
                    (report_id, section_id, text))
            else:
                self._conn.execute(
                    "DELETE FROM sections WHERE report_id = ? AND section_id = ?", (report_id, section_id))
            e.log("section:" + section_id, old, text)

    @staticmethod
    def _check_organ_type(fmt: Format, value: str) -> None:
        ids = [o for o, _ in fmt.organ_types]
        if value not in ids:
            raise InvalidValue(T.UNKNOWN_ORGAN_TYPE.format(
                value=value, choices=T.LIST_SEP.join(label for _, label in fmt.organ_types)))

    def set_meta(self, report_id: int, field: str, value: Any, *, base: str | None = None) -> None:
        """``field`` is one of organ, organ_type, issue_date (date, text or None), signoff,
        opening, units (dict "table/row/col" → unit). ``base`` as for :meth:`set_section`, for
        the text fields (organ, signoff, opening)."""
        if field not in META_EDITABLE:
            raise InvalidValue(T.STORE_UNKNOWN_FIELD.format(field=field))
        with self._edit(report_id) as e:
            fmt = e.format
            if field == "organ":
                new = str(value or "").strip()
                if not new:
                    raise InvalidValue(T.ORGAN_REQUIRED)
                e.neighbours.add((new, e.row["year"]))
            elif field == "organ_type":
                new = str(value or "")
                self._check_organ_type(fmt, new)
            elif field == "issue_date":
                d = parse_date(value)
                new = d.isoformat() if d else None
            elif field in ("signoff", "opening"):
                new = str(value or "")
                if len(new) > MAX_TEXT:
                    raise InvalidValue(T.TEXT_TOO_LONG.format(where=T.META_FIELD.get(field, field), limit=MAX_TEXT))
            else:  # units
                units = dict(value or {})
                for k, u in units.items():
                    parts = tuple(str(k).split("/"))
                    if len(parts) != 3 or not fmt.has_cell(parts):
                        raise InvalidValue(T.UNKNOWN_CELL.format(format_id=fmt.id, key=k))
                    allowed = fmt.tables[parts[0]].cell_units(parts[1], parts[2])
                    if u not in allowed:
                        raise InvalidValue(T.STORE_UNIT_INVALID.format(
                            name=fmt.cell_name(parts), unit=u, choices=T.LIST_SEP.join(allowed) or "—"))
                new = json.dumps(units, ensure_ascii=False, sort_keys=True)
            old = self._conn.execute(f"SELECT {field} FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
            if old == new:
                return
            if base is not None and field in ("organ", "signoff", "opening") and (old or "") != base:
                raise StaleEdit(T.STORE_STALE_EDIT.format(where=T.META_FIELD.get(field, field)), current=old or "")
            self._conn.execute(f"UPDATE reports SET {field} = ? WHERE id = ?", (new, report_id))
            e.log("meta:" + field, old, new)

    def set_explanation(self, report_id: int, finding_key: str, text: str, *, base: str | None = None) -> None:
        """The clerk's explanation for a warning; ``""`` deletes it. ``base`` as for
        :meth:`set_section`."""
        text = text or ""
        if len(text) > MAX_TEXT:
            raise InvalidValue(T.TEXT_TOO_LONG.format(where=finding_key, limit=MAX_TEXT))
        with self._edit(report_id) as e:
            old_row = self._conn.execute(
                "SELECT text FROM explanations WHERE report_id = ? AND finding_key = ?",
                (report_id, finding_key)).fetchone()
            old = None if old_row is None else old_row[0]
            if (old or "") == text:
                return
            if base is not None and (old or "") != base:
                raise StaleEdit(T.STORE_STALE_EDIT.format(where=finding_key), current=old or "")
            if text:
                self._conn.execute(
                    "INSERT OR REPLACE INTO explanations (report_id, finding_key, text) VALUES (?, ?, ?)",
                    (report_id, finding_key, text))
            else:
                self._conn.execute(
                    "DELETE FROM explanations WHERE report_id = ? AND finding_key = ?", (report_id, finding_key))
            e.log("explanation:" + finding_key, old, text or None)

    def set_generated(self, report_id: int, mapping: dict[str, dict[str, str]]) -> None:
        """Replace the report's record of linked generated sentences (section id → {sentence kind
        → text as last inserted}); one committed edit, logged as ``generated`` (old/new JSON)."""
        if not isinstance(mapping, dict):
            raise InvalidValue(T.STORE_GENERATED_INVALID.format(detail=type(mapping).__name__))
        with self._edit(report_id) as e:
            fmt = e.format
            for sid, kinds in mapping.items():
                try:
                    section = fmt.section(sid)
                except KeyError:
                    section = None
                if section is None or section.text == "none":
                    raise InvalidValue(T.UNKNOWN_SECTION.format(id=sid))
                if not isinstance(kinds, dict) or not all(
                        isinstance(k, str) and k and isinstance(v, str) for k, v in kinds.items()):
                    raise InvalidValue(T.STORE_GENERATED_INVALID.format(detail=sid))
                for v in kinds.values():
                    if len(v) > MAX_TEXT:
                        raise InvalidValue(T.TEXT_TOO_LONG.format(where=section.heading, limit=MAX_TEXT))
            new = _generated_json(mapping)
            old = self._conn.execute("SELECT generated FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
            if (old or "{}") == new:
                return
            self._conn.execute("UPDATE reports SET generated = ? WHERE id = ?", (new, report_id))
            e.log("generated", old, new)

    def set_jiedu(self, report_id: int, text: str, *, base: str | None = None) -> None:
        """The clerk's 解读 text (``""`` = not written). Allowed on a final report too: the 解读
        is written from the settled report and published beside it. ``base`` as for
        :meth:`set_section`."""
        text = text or ""
        if not isinstance(text, str):
            raise InvalidValue(T.STORE_GENERATED_INVALID.format(detail=type(text).__name__))
        if len(text) > MAX_TEXT:
            raise InvalidValue(T.TEXT_TOO_LONG.format(where=T.STORE_JIEDU, limit=MAX_TEXT))
        with self._edit(report_id, locked_ok=True) as e:
            old = self._conn.execute("SELECT jiedu FROM reports WHERE id = ?", (report_id,)).fetchone()[0] or ""
            if old == text:
                return
            if base is not None and old != base:
                raise StaleEdit(T.STORE_STALE_EDIT.format(where=T.STORE_JIEDU), current=old)
            self._conn.execute("UPDATE reports SET jiedu = ? WHERE id = ?", (text, report_id))
            e.log("jiedu", old, text)

    # -- position (not an edit) -----------------------------------------------------------------
    def get_position(self, report_id: int) -> dict:
        with self._guard():
            row = self._conn.execute("SELECT position FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise NotFound(T.REPORT_NOT_FOUND.format(id=report_id))
        try:
            pos = json.loads(row[0]) if row[0] else {}
        except ValueError:
            return {}
        return pos if isinstance(pos, dict) else {}

    def set_position(self, report_id: int, pos: dict) -> None:
        """Where the clerk was (not an edit; silently not kept when the store is read-only)."""
        if self.read_only:
            return
        text = json.dumps(pos or {}, ensure_ascii=False, sort_keys=True)
        with self._tx() as conn:
            cur = conn.execute("UPDATE reports SET position = ? WHERE id = ?", (text, report_id))
            if cur.rowcount == 0:
                raise NotFound(T.REPORT_NOT_FOUND.format(id=report_id))

    # -- status ---------------------------------------------------------------------------------
    def finalize(self, report_id: int) -> None:
        with self._edit(report_id, locked_ok=True) as e:
            if e.row["status"] == "final":
                return
            self._conn.execute("UPDATE reports SET status = 'final', finalized_at = ? WHERE id = ?",
                               (e.at, report_id))
            e.log("finalize", "draft", "final")

    def reopen(self, report_id: int, reason: str) -> None:
        with self._edit(report_id, locked_ok=True) as e:
            if e.row["status"] != "final":
                return
            self._conn.execute("UPDATE reports SET status = 'draft', finalized_at = NULL WHERE id = ?",
                               (report_id,))
            e.log("reopen", "final", (reason or "").strip())

    def delete(self, report_id: int) -> None:
        """To the recycle bin (``restore`` brings it back, ``purge`` really deletes)."""
        with self._edit(report_id, locked_ok=True) as e:
            if e.row["deleted_at"] is not None:
                return
            self._conn.execute("UPDATE reports SET deleted_at = ? WHERE id = ?", (e.at, report_id))
            e.log("delete", None, e.at)

    def restore(self, report_id: int) -> None:
        with self._edit(report_id, locked_ok=True) as e:
            if e.row["deleted_at"] is None:
                return
            self._conn.execute("UPDATE reports SET deleted_at = NULL WHERE id = ?", (report_id,))
            e.log("restore", e.row["deleted_at"], None)

    def purge(self, report_id: int) -> None:
        with self._tx() as conn:
            row = self._report_row(report_id)
            for table in ("cells", "declared", "sections", "explanations", "revisions"):
                conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
            conn.execute("DELETE FROM open_reports WHERE report_id = ?", (report_id,))
            conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))
            conn.execute("INSERT OR REPLACE INTO purged (id, changed) VALUES (?, ?)", (report_id, self._change_value()))
            self._touch_next_year({(row["organ"], row["year"])})

    # -- the supervising office's collection ------------------------------------------------------
    def collection_entries(self, year: int) -> list[CollectionEntry]:
        """The current entry of each organ in ``year``'s collection (replaced ones left out)."""
        with self._guard():
            rows = self._conn.execute(
                "SELECT c.id, c.organ_key, c.report_id, c.received, c.source, c.row_cache, r.organ FROM collection c "
                "JOIN reports r ON r.id = c.report_id "
                "WHERE c.year = ? AND c.replaced_by IS NULL ORDER BY c.id", (int(year),)).fetchall()
        return [CollectionEntry(r["id"], r["organ_key"], r["report_id"], r["received"], r["source"],
                                r["organ"], r["row_cache"]) for r in rows]

    def set_collection_row_caches(self, caches: dict[int, str | None]) -> None:
        """What the dashboard computed for entries (their checks and figures), in one transaction,
        so the next opening does not load and check every report again. Not a change to any report."""
        with self._tx() as conn:
            conn.executemany("UPDATE collection SET row_cache = ? WHERE id = ?",
                             [(data, int(entry_id)) for entry_id, data in caches.items()])

    def reports_of_year(self, year: int) -> list[tuple[int, str, str]]:
        """(id, organ, updated_at) of every report of ``year`` not in the recycle bin — without the
        summaries :meth:`list_reports` keeps up to date (and may recompute)."""
        with self._guard():
            rows = self._conn.execute(
                "SELECT id, organ, updated_at FROM reports WHERE year = ? AND deleted_at IS NULL ORDER BY id",
                (int(year),)).fetchall()
        return [(r["id"], r["organ"], r["updated_at"]) for r in rows]

    def collection_similar(self, year: int) -> tuple[str, str] | None:
        """(the entries it was computed from, the near copies) as stored, or None."""
        with self._guard():
            row = self._conn.execute("SELECT entries, data FROM collection_similar WHERE year = ?",
                                     (int(year),)).fetchone()
        return (row["entries"], row["data"]) if row else None

    def set_collection_similar(self, year: int, entries: str, data: str) -> None:
        with self._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO collection_similar (year, entries, data) VALUES (?, ?, ?)",
                         (int(year), entries, data))

    def section_texts(self, report_ids: list[int]) -> dict[int, str]:
        """Each report's opening and section texts joined, without loading whole reports (the
        collection compares a thousand organs' words)."""
        out: dict[int, list[str]] = {int(i): [] for i in report_ids}
        with self._guard():
            for i in range(0, len(report_ids), 500):
                chunk = [int(x) for x in report_ids[i:i + 500]]
                marks = ",".join("?" * len(chunk))
                for r in self._conn.execute(f"SELECT id, opening FROM reports WHERE id IN ({marks})", chunk):
                    out[r["id"]].insert(0, r["opening"] or "")
                for r in self._conn.execute(
                        f"SELECT report_id, text FROM sections WHERE report_id IN ({marks}) "
                        "ORDER BY report_id, section_id", chunk):
                    out[r["report_id"]].append(r["text"])
        return {k: "\n".join(v) for k, v in out.items()}

    def is_collected(self, report_id: int) -> bool:
        """Whether the report is an organ's report in a collection (what it sent in, not a draft
        of this office's)."""
        with self._guard():
            return self._conn.execute("SELECT 1 FROM collection WHERE report_id = ? LIMIT 1",
                                      (int(report_id),)).fetchone() is not None

    def collection_history(self, year: int, organ_key: str) -> list[CollectionEntry]:
        """Every report an organ sent for ``year``, oldest first (the replaced ones too)."""
        with self._guard():
            rows = self._conn.execute(
                "SELECT id, organ_key, report_id, received, source FROM collection "
                "WHERE year = ? AND organ_key = ? ORDER BY id", (int(year), organ_key)).fetchall()
        return [CollectionEntry(r["id"], r["organ_key"], r["report_id"], r["received"], r["source"]) for r in rows]

    def collection_put(self, year: int, organ_key: str, report: Report, *, received: str | None,
                       source: str) -> CollectionEntry:
        """Store ``report`` as the organ's current one for ``year``; see :meth:`collection_put_many`."""
        return self.collection_put_many(year, [(organ_key, report, received, source)])[0]

    def collection_put_many(self, year: int,
                            items: list[tuple[str, Report, str | None, str]]) -> list[CollectionEntry]:
        """Store each (organ key, report, received, source) as that organ's current report for
        ``year``, all in one transaction (a batch of a thousand organs waits for one disk sync, and
        a failure stores none of it); each earlier report is replaced — kept, in the recycle bin
        and in the history."""
        out = []
        with self._tx() as conn:
            at = _now()
            for organ_key, report, received, source in items:
                rid = self._insert(report, "collect", source)
                cur = conn.execute(
                    "INSERT INTO collection (year, organ_key, report_id, received, source, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (int(year), organ_key, rid, received, source, at))
                entry_id = cur.lastrowid
                for old_id, old_report in conn.execute(
                        "SELECT id, report_id FROM collection WHERE year = ? AND organ_key = ? "
                        "AND replaced_by IS NULL AND id != ?", (int(year), organ_key, entry_id)).fetchall():
                    conn.execute("UPDATE collection SET replaced_by = ? WHERE id = ?", (entry_id, old_id))
                    conn.execute("UPDATE reports SET deleted_at = ?, changed = ? WHERE id = ? AND deleted_at IS NULL",
                                 (at, self._change_value(), old_report))
                    self._log(old_report, "replaced", None, str(rid), at)
                out.append(CollectionEntry(entry_id, organ_key, rid, received, source, report.meta.organ))
        return out

    def collection_expected(self, year: int) -> list[tuple[str, str | None]]:
        with self._guard():
            rows = self._conn.execute(
                "SELECT organ, organ_type FROM collection_expected WHERE year = ? ORDER BY position",
                (int(year),)).fetchall()
        return [(r["organ"], r["organ_type"]) for r in rows]

    def set_collection_expected(self, year: int, organs: list[tuple[str, str | None]]) -> None:
        """Replace ``year``'s list of organs that must report (one transaction)."""
        with self._tx() as conn:
            conn.execute("DELETE FROM collection_expected WHERE year = ?", (int(year),))
            conn.executemany(
                "INSERT INTO collection_expected (year, position, organ, organ_type) VALUES (?, ?, ?, ?)",
                [(int(year), i, organ, organ_type) for i, (organ, organ_type) in enumerate(organs)])

    def revisions(self, report_id: int, limit: int = 200) -> list[Revision]:
        """The report's history, newest first."""
        with self._guard():
            self._report_row(report_id)
            rows = self._conn.execute(
                "SELECT id, report_id, at, what, old, new FROM revisions WHERE report_id = ? "
                "ORDER BY id DESC LIMIT ?", (report_id, int(limit))).fetchall()
        return [Revision(*tuple(r)) for r in rows]

    # -- backups ----------------------------------------------------------------------------------
    @staticmethod
    def _backup_age(p: Path) -> _dt.timedelta:
        taken = B.taken_at(p)
        return _dt.datetime.now() - taken if taken else _dt.timedelta(days=365)

    def backups(self) -> list[Path]:
        """This database's backups, newest first."""
        return B.list_backups(self.path)

    def backup_now(self) -> Path:
        """Copy the database with the SQLite backup API, then apply the retention rule."""
        try:
            dest = B.take(self._conn, self.path)
        except (OSError, sqlite3.Error) as exc:
            detail = os_error_text(exc) if isinstance(exc, OSError) else exc
            if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "full" in str(exc).lower():
                detail = T.STORE_DISK_FULL.format(path=B.folder_of(self.path))
            raise _store_error(T.STORE_BACKUP_FAILED.format(detail=detail), "io") from exc
        self.last_backup = dest
        self._rotate(self._conn)
        return dest

    def _rotate(self, conn: sqlite3.Connection) -> None:
        try:
            current = int(conn.execute("SELECT count(*) FROM reports WHERE deleted_at IS NULL").fetchone()[0])
        except sqlite3.Error:
            current = None  # e.g. before the first migration: keep every richer backup
        try:
            size = self.path.stat().st_size
        except OSError:
            size = 0
        B.rotate(self.path, current_reports=current, db_size=size)

    def _start_background_work(self) -> None:
        """The deferred integrity check and the hourly backup, off the start-up path: their own
        connection on their own thread."""
        newest = B.list_backups(self.path)
        due = not newest or self._backup_age(newest[0]) > BACKUP_EVERY
        if not due and not self._deferred_check:
            return
        self._backup_thread = threading.Thread(target=self._backup_worker, args=(due,), name="gongkai-backup",
                                               daemon=True)
        self._backup_thread.start()

    @property
    def integrity_error(self) -> StoreError | None:
        """Damage found by the background check of a large file (then every edit raises it)."""
        return self._integrity_error

    def _backup_worker(self, due: bool) -> None:
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT)
            try:
                if self._deferred_check:
                    problem = _quick_check(conn)
                    if problem is not None:
                        # Never back a damaged file up over good copies; refuse edits from now on.
                        self._integrity_error = _damaged_error(self.path, problem)
                        log.warning("%s failed quick_check: %s", self.path, problem)
                        return
                if due:
                    B.sweep_temporaries(self.path)
                    self.last_backup = B.take(conn, self.path)
                    self._rotate(conn)
            finally:
                conn.close()
        except (OSError, sqlite3.Error) as exc:
            # A failed backup must not stop the clerk's work; one line in the log, no traceback.
            self.backup_error = T.STORE_BACKUP_FAILED.format(detail=exc)
            log.warning("automatic backup of %s failed: %s", self.path, exc)

    def wait_for_backup(self, timeout: float | None = None) -> Path | None:
        """Wait for the automatic backup started at open (if any); returns the backup made."""
        t = self._backup_thread
        if t is not None:
            t.join(timeout)
            if t.is_alive():
                log.warning("automatic backup of %s still running at close", self.path)
        return self.last_backup

    @classmethod
    def restore_latest_backup(cls, path: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
        """Move the (damaged) database aside as ``<name>.damaged-<time>`` and put the newest backup
        that passes ``integrity_check`` in its place. Returns (backup used, where the old file
        went — None when there was no file)."""
        path = Path(path).expanduser() if path else cls.default_path()
        backup = B.latest_good(path)
        if backup is None:
            raise _store_error(T.STORE_NO_BACKUP, "damaged")
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        damaged = path.with_name(f"{path.name}.damaged-{stamp}")
        n = 1
        while damaged.exists():
            n += 1
            damaged = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        moved: Path | None = None
        try:
            if path.exists():
                os.replace(path, damaged)
                moved = damaged
            for suffix in ("-wal", "-shm", "-journal"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    os.replace(side, damaged.with_name(damaged.name + suffix))
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.restoring")
            try:
                with open(backup, "rb") as src, os.fdopen(B.private_file(tmp), "wb") as dst:
                    shutil.copyfileobj(src, dst)
                    dst.flush()
                    os.fsync(dst.fileno())
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(OSError):
                    tmp.unlink()
        except PermissionError as exc:  # Windows: another program has the file open
            raise _store_error(T.STORE_LOCKED.format(path=path), "locked") from exc
        except OSError as exc:
            raise _map_error(exc, path) from exc
        return backup, moved
