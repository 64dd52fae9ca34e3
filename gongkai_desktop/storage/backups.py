"""Backups of the reports database: taking them, choosing which to keep, finding a good one.

Files are ``backups/<stem>-YYYYmmdd-HHMMSS[-N].db`` beside the database (local time), each a
standalone SQLite file (journal_mode DELETE) made with the SQLite backup API, created readable by
the user only.

Which backups are kept (:func:`choose_kept`)
    * the newest :data:`KEEP_RECENT` backups, and the newest backup of each earlier day, for up
      to :data:`KEEP_DAYS` days;
    * within a size budget of ``max(BUDGET_MIN_BYTES, BUDGET_FACTOR × the database's size)``:
      when the kept files would take more, the oldest go first. So a 150 MB store keeps at most
      about 450 MB of backups (3 copies), a typical 2 MB store up to :data:`KEEP_RECENT` +
      :data:`KEEP_DAYS` copies in 200 MB;
    * never deleted, whatever the budget: the newest backup, and the newest backup that holds
      more reports than the current file (after an accidental emptying or a damaged file
      replaced by an empty one, hourly backups of the poorer file never rotate the last richer
      copy away).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import logging
import os
import re
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FOLDER = "backups"
KEEP_RECENT = 10
KEEP_DAYS = 30
BUDGET_FACTOR = 3
BUDGET_MIN_BYTES = 200 * 1024 * 1024
SQLITE_HEADER = b"SQLite format 3\x00"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
_BACKUP_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<seq>\d+))?\.db$")
_TMP_PREFIX = "."  # temp files: ".<name>.<random>.tmp" — never matched as backups


@dataclass(frozen=True)
class Damage:
    """What the window needs to offer a restore (``StoreError.damage``).

    ``backup_time`` is when the backup was taken (edits after it are not in it);
    ``backup_reports`` / ``damaged_reports`` count the live (not recycled) reports in the backup
    and in the damaged file, ``damaged_reports`` None where the file cannot be read."""

    path: Path
    backup: Path
    backup_time: _dt.datetime
    backup_reports: int | None
    damaged_reports: int | None


# ---------------------------------------------------------------------------------------------
# Files


def folder_of(db_path: Path) -> Path:
    return db_path.parent / FOLDER


def private_file(path: Path) -> int:
    """Create ``path`` (must not exist) readable and writable by the user only; returns an fd.
    On Windows the mode only sets the read-only flag: privacy comes from the user-profile
    folder's ACL, which new files inherit."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)


def make_private(path: Path) -> None:
    """Tighten an existing file to the user only (files made by earlier versions were 0644)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        if path.exists() and (path.stat().st_mode & 0o077):
            os.chmod(path, FILE_MODE)


def taken_at(p: Path) -> _dt.datetime | None:
    """When a backup was taken, from its name (local time)."""
    m = _BACKUP_RE.match(p.name)
    if not m:
        return None
    try:
        return _dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def _sort_key(p: Path) -> tuple[str, int]:
    m = _BACKUP_RE.match(p.name)
    return (m["stamp"], int(m["seq"] or 1)) if m else ("", 0)


def list_backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, newest first."""
    folder = folder_of(db_path)
    if not folder.is_dir():
        return []
    stem = db_path.stem
    out = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for p in entries:
        m = _BACKUP_RE.match(p.name)
        if m and m["stem"] == stem and p.is_file():
            out.append(p)
    out.sort(key=_sort_key, reverse=True)
    return out


def check_file(path: Path, quick: bool = False) -> str | None:
    """None when ``path`` is a sound SQLite file, else what is wrong with it."""
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return "not a SQLite database"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as exc:
        return str(exc)
    if rows and rows[0][0] == "ok":
        return None
    return "; ".join(str(r[0]) for r in rows[:3]) or "integrity check failed"


def count_reports(path: Path) -> int | None:
    """Live reports in the database file at ``path``; 0 for an empty file or one without the
    reports table; None when it cannot be read."""
    try:
        if path.stat().st_size == 0:
            return 0
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reports'").fetchone() is None:
                return 0
            return int(conn.execute("SELECT count(*) FROM reports WHERE deleted_at IS NULL").fetchone()[0])
        finally:
            conn.close()
    except (OSError, sqlite3.Error, ValueError):
        return None


def latest_good(db_path: Path) -> Path | None:
    for p in list_backups(db_path):
        if check_file(p) is None:
            return p
    return None


def damage_of(db_path: Path) -> Damage | None:
    """The restore offer for a damaged ``db_path``: its newest good backup, or None."""
    backup = latest_good(db_path)
    if backup is None:
        return None
    return Damage(path=db_path, backup=backup, backup_time=taken_at(backup) or _dt.datetime.fromtimestamp(
        backup.stat().st_mtime), backup_reports=count_reports(backup), damaged_reports=count_reports(db_path))


# ---------------------------------------------------------------------------------------------
# Taking a backup


def take(source: sqlite3.Connection, db_path: Path, now: _dt.datetime | None = None) -> Path:
    """Copy the database open on ``source`` into a new backup file; returns its path.

    The copy is written to a uniquely named temporary file (two programs backing up in the same
    second never share one) and linked into place under a name no other backup has. Raises
    OSError / sqlite3.Error; the temporary file is removed either way."""
    folder = folder_of(db_path)
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    tmp = folder / f"{_TMP_PREFIX}{db_path.stem}-{stamp}.{secrets.token_hex(6)}.tmp"
    os.close(private_file(tmp))
    try:
        target = sqlite3.connect(str(tmp))
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # a standalone file, no -wal beside it
        finally:
            target.close()
        same = [_sort_key(p)[1] for p in list_backups(db_path) if _sort_key(p)[0] == stamp]
        seq = max(same) + 1 if same else 1
        while True:
            dest = folder / (f"{db_path.stem}-{stamp}.db" if seq == 1 else f"{db_path.stem}-{stamp}-{seq}.db")
            if _claim(tmp, dest):
                return dest
            seq += 1
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _claim(tmp: Path, dest: Path) -> bool:
    """Put ``tmp`` at ``dest`` unless another backup already has that name (False then)."""
    try:
        os.link(tmp, dest)  # atomic and refuses an existing name: two programs never collide
        return True
    except FileExistsError:
        return False
    except OSError:
        # A file system without hard links (some network shares, FAT): fall back to rename.
        if dest.exists():
            return False
        os.replace(tmp, dest)
        return True


def sweep_temporaries(db_path: Path, older_than: _dt.timedelta = _dt.timedelta(hours=1)) -> None:
    """Remove temporary files left by a program killed mid-backup."""
    folder = folder_of(db_path)
    limit = _dt.datetime.now().timestamp() - older_than.total_seconds()
    with contextlib.suppress(OSError):
        for p in folder.glob(f"{_TMP_PREFIX}*.tmp"):
            with contextlib.suppress(OSError):
                if p.stat().st_mtime < limit:
                    p.unlink()


# ---------------------------------------------------------------------------------------------
# Retention


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken: _dt.datetime
    size: int
    reports: int | None


def describe(paths: list[Path]) -> list[BackupInfo]:
    out = []
    for p in paths:
        try:
            size = p.stat().st_size
        except OSError:
            continue
        out.append(BackupInfo(p, taken_at(p) or _dt.datetime.min, size, count_reports(p)))
    return out


def budget(db_size: int) -> int:
    return max(BUDGET_MIN_BYTES, BUDGET_FACTOR * db_size)


def choose_kept(backups: list[BackupInfo], *, current_reports: int | None, db_size: int,
                keep_recent: int = KEEP_RECENT, keep_days: int = KEEP_DAYS,
                budget_bytes: int | None = None) -> list[BackupInfo]:
    """The backups to keep, newest first (see the module docstring for the rule)."""
    ordered = sorted(backups, key=lambda b: _sort_key(b.path), reverse=True)
    if not ordered:
        return []
    protected = {ordered[0].path}
    floor = current_reports if current_reports is not None else 0
    richer = next((b for b in ordered if b.reports is not None and b.reports > floor), None)
    if richer is not None:
        protected.add(richer.path)
    wanted = [b.path for b in ordered[:keep_recent]]
    days: set[_dt.date] = {b.taken.date() for b in ordered[:keep_recent]}
    earlier = 0
    for b in ordered[keep_recent:]:
        day = b.taken.date()
        if day not in days and earlier < keep_days:
            days.add(day)
            earlier += 1
            wanted.append(b.path)
    limit = budget(db_size) if budget_bytes is None else budget_bytes
    used = sum(b.size for b in ordered if b.path in protected)
    kept = set(protected)
    for b in ordered:  # newest first: when over budget the oldest go
        if b.path in wanted and b.path not in kept and used + b.size <= limit:
            kept.add(b.path)
            used += b.size
    return [b for b in ordered if b.path in kept]


def rotate(db_path: Path, *, current_reports: int | None, db_size: int) -> list[Path]:
    """Delete the backups :func:`choose_kept` does not keep; returns the deleted paths."""
    infos = describe(list_backups(db_path))
    kept = {b.path for b in choose_kept(infos, current_reports=current_reports, db_size=db_size)}
    gone = []
    for b in infos:
        if b.path not in kept:
            try:
                b.path.unlink()
                gone.append(b.path)
            except OSError as exc:
                log.warning("could not delete old backup %s: %s", b.path, exc)
    return gone
