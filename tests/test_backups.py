"""Backups and the files a clerk's work lives in: damage offers, retention that keeps the last
good copy, backups off the start-up path, unique temporary names, a full disk, read-only files,
permissions. Every database lives in tmp_path."""

from __future__ import annotations

import datetime as _dt
import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gongkai_desktop import texts as T
from gongkai_desktop.errors import ReadOnlyStore, StoreError
from gongkai_desktop.storage import backups as B
from gongkai_desktop.storage import store as store_mod
from gongkai_desktop.storage.store import Store

from sample import full_report

ROOT = Path(__file__).resolve().parents[1]
Y = _dt.date.today().year - 2
NEW_NP = ("requests", "new", "natural_person")
MB = 1024 * 1024


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reports.db"


def _filled(db_path: Path, n: int = 4) -> list[int]:
    with Store.open(db_path, backups=False, checker=lambda r: (0, 0)) as s:
        ids = [s.add(full_report(Y, f"第{i}局")) for i in range(n)]
        s.backup_now()
    return ids


def _stamp(dt: _dt.datetime) -> str:
    return dt.strftime("%Y%m%d-%H%M%S")


# ---------------------------------------------------------------------------------------------
# 1, 5: an empty or header-only file next to good backups is damage, with the restore offer


def _header_only(path: Path) -> None:
    """A valid SQLite file that holds no tables (what some tools leave after 'emptying' it)."""
    path.unlink()
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE x (a)")
    conn.execute("DROP TABLE x")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("emptied", ["zero_bytes", "header_only", "first_100_bytes"])
def test_empty_file_next_to_backups_is_damage_not_a_new_store(db_path, emptied):
    _filled(db_path, 4)
    backup = B.list_backups(db_path)[0]
    if emptied == "zero_bytes":
        db_path.write_bytes(b"")
    elif emptied == "header_only":
        _header_only(db_path)
    else:
        db_path.write_bytes(db_path.read_bytes()[:100])
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as exc:
        Store.open(db_path)
    err = exc.value
    assert err.reason == "damaged" and "已损坏" in str(err)
    assert err.damage is not None and err.damage.backup == backup == err.backup
    assert err.damage.backup_reports == 4
    if emptied != "first_100_bytes":
        assert err.damage.damaged_reports == 0
    assert "4 份年报" in str(err) and "需要重新填写" in str(err)
    # nothing was written: no new empty store, no backup of the empty file
    assert db_path.read_bytes() == before
    assert B.list_backups(db_path) == [backup]
    used, moved = Store.restore_latest_backup(db_path)
    assert used == backup and moved is not None and moved.read_bytes() == before
    with Store.open(db_path, backups=False) as s:
        assert len(s.list_reports()) == 4


def test_empty_file_without_backups_is_a_new_store(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    with Store.open(db_path) as s:
        assert s.list_reports() == []
        s.create("甲局", Y)


def test_damage_counts_reports_in_a_readable_damaged_file(db_path):
    """A file that fails quick_check but whose reports table still reads: both counts shown."""
    _filled(db_path, 3)
    with Store.open(db_path, backups=False) as s:
        s.add(full_report(Y, "第九局"))
    _scramble_table_page(db_path, "explanations")  # quick_check fails, the reports table still reads
    with pytest.raises(StoreError) as exc:
        Store.open(db_path)
    d = exc.value.damage
    assert d.backup_reports == 3 and d.damaged_reports == 4
    assert "有 4 份" in str(exc.value)


def _scramble_table_page(db_path: Path, table: str) -> None:
    conn = sqlite3.connect(str(db_path))
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    start = (root - 1) * page_size
    data[start:start + page_size] = bytes((i * 31 + 7) % 256 for i in range(page_size))
    db_path.write_bytes(bytes(data))


def test_large_file_is_checked_in_the_background_and_never_backed_up_damaged(db_path, monkeypatch):
    _filled(db_path, 3)
    good = B.list_backups(db_path)
    good[0].rename(good[0].with_name(f"reports-{_stamp(_dt.datetime.now() - _dt.timedelta(hours=3))}.db"))
    good = B.list_backups(db_path)
    _scramble_table_page(db_path, "explanations")
    monkeypatch.setattr(store_mod, "QUICK_CHECK_SYNC_BYTES", 0)  # every file counts as large
    s = Store.open(db_path)  # opens without reading the whole file first
    try:
        assert s.wait_for_backup(30) is None
        err = s.integrity_error
        assert err is not None and err.reason == "damaged" and err.damage.backup == good[0]
        with pytest.raises(StoreError) as exc:
            s.set_value(s.list_reports()[0].id, NEW_NP, 1)
        assert exc.value is err
        assert B.list_backups(db_path) == good  # the damaged file was not backed up
    finally:
        s.close()
    with pytest.raises(StoreError):  # and small files are refused at open, as before
        Store.open(db_path, backups=False)


# ---------------------------------------------------------------------------------------------
# 2: retention never rotates away the last good copy, and is bounded


def _info(name: str, taken: _dt.datetime, size: int = MB, reports: int | None = 5) -> B.BackupInfo:
    return B.BackupInfo(Path(f"/b/reports-{_stamp(taken)}{name}.db"), taken, size, reports)


def test_keeps_newest_and_newest_of_each_earlier_day():
    now = _dt.datetime(2026, 3, 10, 18, 0, 0)
    infos = [_info("", now - _dt.timedelta(hours=h)) for h in range(0, 24 * 5, 2)]  # every 2 h, 5 days
    kept = B.choose_kept(infos, current_reports=5, db_size=MB, keep_recent=3, keep_days=30)
    names = [b.taken for b in kept]
    assert names[:3] == [now, now - _dt.timedelta(hours=2), now - _dt.timedelta(hours=4)]
    # then one per earlier day, the newest of that day
    older = names[3:]
    days = [t.date() for t in older]
    assert len(days) == len(set(days)) and now.date() not in days
    for t in older:
        same_day = [b.taken for b in infos if b.taken.date() == t.date()]
        assert t == max(same_day)
    assert len(older) == 5  # 2026-03-09 … 03-05 (118 hours back reach 03-05 20:00)


def test_size_budget_bounds_a_large_store():
    """10 backups of a 150 MB store are not 1.5 GB: at most 3 × the database (450 MB)."""
    now = _dt.datetime(2026, 3, 10, 18, 0, 0)
    size = 150 * MB
    infos = [_info("", now - _dt.timedelta(days=d), size=size) for d in range(10)]
    kept = B.choose_kept(infos, current_reports=5, db_size=size)
    assert sum(b.size for b in kept) <= B.budget(size) == 3 * size
    assert [b.taken for b in kept] == [now - _dt.timedelta(days=d) for d in range(3)]  # the oldest went
    small = [_info("", now - _dt.timedelta(days=d), size=2 * MB) for d in range(10)]
    assert len(B.choose_kept(small, current_reports=5, db_size=2 * MB)) == 10


def test_last_backup_with_more_reports_than_the_file_is_never_rotated_away():
    now = _dt.datetime(2026, 3, 10, 18, 0, 0)
    rich = _info("", now - _dt.timedelta(days=40), reports=12)
    poor = [_info("", now - _dt.timedelta(hours=h), reports=0) for h in range(50)]
    older_rich = _info("", now - _dt.timedelta(days=41), reports=12)
    kept = B.choose_kept(poor + [rich, older_rich], current_reports=0, db_size=MB, keep_recent=5, keep_days=2,
                         budget_bytes=3 * MB)
    assert rich in kept and older_rich not in kept  # the newest richer one is enough
    assert kept[0] == poor[0]  # the newest always
    assert sum(b.size for b in kept) >= 2 * MB
    # over budget, the protected ones still stay
    kept = B.choose_kept(poor + [rich], current_reports=0, db_size=MB, budget_bytes=1)
    assert kept == [poor[0], rich]


def test_hourly_backups_of_an_emptied_store_keep_the_good_backup(db_path):
    """The reported loss: the clerk starts over with an empty file; every hourly backup of it must
    not rotate the backup with the reports away."""
    _filled(db_path, 3)
    good = B.list_backups(db_path)[0]
    aged = good.with_name(f"reports-{_stamp(_dt.datetime.now() - _dt.timedelta(days=60))}.db")
    good.rename(aged)
    for side in ("", "-wal", "-shm"):
        Path(str(db_path) + side).unlink(missing_ok=True)  # no file at all: a new, empty store
    with Store.open(db_path, backups=False) as s:
        s.create("新局", Y)
        for _ in range(B.KEEP_RECENT + 3):
            s.backup_now()
        kept = s.backups()
    assert aged in kept
    assert B.count_reports(aged) == 3
    assert len(kept) == B.KEEP_RECENT + 1


def test_hourly_backup_does_not_hold_up_opening(db_path, monkeypatch):
    _filled(db_path, 2)
    for p in B.list_backups(db_path):
        p.unlink()
    started, release = threading.Event(), threading.Event()
    real = B.take

    def slow_take(conn, path, now=None):
        started.set()
        assert release.wait(20)
        return real(conn, path, now)

    monkeypatch.setattr(B, "take", slow_take)
    s = Store.open(db_path)  # returns although the backup is still blocked
    try:
        assert started.wait(10)
        assert s.backups() == []
        assert len(s.list_reports()) == 2
        s.set_value(s.list_reports()[0].id, NEW_NP, 3)  # and edits work meanwhile
        release.set()
        made = s.wait_for_backup(20)
        assert made is not None and made.exists() and B.check_file(made) is None
        assert B.count_reports(made) == 2
    finally:
        release.set()
        s.close()


# ---------------------------------------------------------------------------------------------
# 3: unique temporary names; problems logged without a traceback


def test_two_backups_in_the_same_second_never_share_a_temporary_file(db_path, monkeypatch):
    _filled(db_path, 1)
    at = _dt.datetime(2026, 1, 20, 9, 30, 0)
    barrier = threading.Barrier(4)
    real_backup = sqlite3.Connection.backup
    made, errors = [], []

    def run():
        try:
            conn = sqlite3.connect(str(db_path))
            try:
                barrier.wait(10)
                made.append(B.take(conn, db_path, now=at))
            finally:
                conn.close()
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(set(made)) == 4
    assert all(B.check_file(p) is None and B.count_reports(p) == 1 for p in made)
    assert sorted(p.name for p in made) == sorted(
        ["reports-20260120-093000.db"] + [f"reports-20260120-093000-{i}.db" for i in (2, 3, 4)])
    assert not [p for p in B.folder_of(db_path).iterdir() if p.suffix == ".tmp"]
    assert real_backup is sqlite3.Connection.backup


OPENER = r"""
import logging, sys, time
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
from gongkai_desktop.storage.store import Store
go = float(sys.argv[2])
while time.time() < go:
    time.sleep(0.001)
s = Store.open(sys.argv[1])
s.wait_for_backup()
s.close()
print("ok")
"""


def test_processes_opening_in_the_same_second_all_back_up_cleanly(db_path):
    _filled(db_path, 2)
    for p in B.list_backups(db_path):
        p.unlink()
    import time

    go = str(time.time() + 1.5)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", OPENER, str(db_path), go], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0 and out.strip() == "ok", err
        assert "Traceback" not in err and "readonly" not in err, err
    made = B.list_backups(db_path)
    assert 1 <= len(made) <= 3 and all(B.check_file(p) is None for p in made)
    assert not [p for p in B.folder_of(db_path).iterdir() if p.suffix == ".tmp"]


def test_a_failed_automatic_backup_is_one_log_line_and_the_store_opens(db_path, caplog):
    _filled(db_path, 1)
    shutil.rmtree(B.folder_of(db_path))
    B.folder_of(db_path).write_text("not a folder")  # backups/ cannot be created
    with caplog.at_level(logging.WARNING, logger="gongkai_desktop.storage.store"):
        with Store.open(db_path) as s:
            assert s.wait_for_backup() is None
            assert len(s.list_reports()) == 1
            assert s.backup_error and s.backup_error.startswith(T.STORE_BACKUP_FAILED.split("{")[0])
    records = [r for r in caplog.records if "backup" in r.getMessage()]
    assert len(records) == 1 and records[0].exc_info is None and records[0].levelno == logging.WARNING


# ---------------------------------------------------------------------------------------------
# 4: a full disk says so


def test_disk_io_error_at_open_on_a_full_disk_says_the_disk_is_full(db_path, monkeypatch):
    _filled(db_path, 1)
    real_connect = sqlite3.connect

    class FullDisk(sqlite3.Connection):
        def execute(self, sql, *a):
            if sql.upper().startswith("PRAGMA JOURNAL_MODE"):
                raise sqlite3.OperationalError("disk I/O error")
            return super().execute(sql, *a)

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **kw: real_connect(*a, factory=FullDisk, **kw))
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10 ** 9, 10 ** 9, 0))
    with pytest.raises(StoreError) as exc:
        Store.open(db_path, backups=False)
    assert exc.value.reason == "disk_full"
    assert str(exc.value) == T.STORE_DISK_FULL_OPEN.format(path=db_path)
    assert "disk I/O" not in str(exc.value)


def _unshare_ok() -> bool:
    if sys.platform != "linux" or not shutil.which("unshare"):
        return False
    r = subprocess.run(["unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                       capture_output=True)
    return r.returncode == 0


FULL_DISK = r"""
import os, sys
from gongkai_desktop.storage.store import Store
from gongkai_desktop.errors import StoreError
src, mnt = sys.argv[1], sys.argv[2]
with open(src, "rb") as fh:
    data = fh.read()
with open(os.path.join(mnt, "reports.db"), "wb") as fh:
    fh.write(data)
try:  # fill the disk to the last byte
    with open(os.path.join(mnt, "filler"), "wb") as fh:
        while True:
            fh.write(b"x" * 4096)
            fh.flush()
except OSError:
    pass
try:
    with open(os.path.join(mnt, "filler"), "ab") as fh:
        while True:
            fh.write(b"x")
            fh.flush()
except OSError:
    pass
try:
    Store.open(os.path.join(mnt, "reports.db"), backups=False)
except StoreError as exc:
    print(exc.reason)
    print(exc)
else:
    print("opened")
"""


@pytest.mark.skipif(not _unshare_ok(), reason="needs unshare -Urm and tmpfs (Linux user namespaces)")
def test_really_full_disk_at_open(db_path):
    _filled(db_path, 2)
    with Store.open(db_path, backups=False):
        pass  # checkpointed: the file alone holds everything
    script = f"mount -t tmpfs -o size={db_path.stat().st_size + 8192} tmpfs /mnt && " \
             f"{sys.executable} -c '{FULL_DISK}' {db_path} /mnt"
    r = subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    lines = r.stdout.splitlines()
    assert lines and lines[0] == "disk_full", r.stdout + r.stderr
    assert "磁盘空间已满" in r.stdout and "disk I/O" not in r.stdout


# ---------------------------------------------------------------------------------------------
# 6: a read-only file or folder opens read-only


def test_forced_read_only_views_and_refuses_edits(db_path):
    ids = _filled(db_path, 2)
    before = db_path.read_bytes()
    with Store.open(db_path, read_only=True) as s:
        assert s.read_only
        assert len(s.list_reports()) == 2
        r = s.load(ids[0])
        assert r.meta.organ == "第0局"
        assert s.revisions(ids[0])
        s.set_position(ids[0], {"page": 2})  # not an edit: silently not kept
        s.mark_open(ids[0])
        with pytest.raises(ReadOnlyStore) as exc:
            s.set_value(ids[0], NEW_NP, 1)
        assert str(exc.value) == T.STORE_READ_ONLY_EDIT.format(path=db_path)
        assert isinstance(exc.value, StoreError) and exc.value.reason == "read_only"
        with pytest.raises(ReadOnlyStore):
            s.create("乙局", Y)
        assert s.wait_for_backup() is None
    assert db_path.read_bytes() == before
    conn = sqlite3.connect(str(db_path))
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    conn.close()


def test_read_only_documents_export(db_path, tmp_path):
    ids = _filled(db_path, 1)
    with Store.open(db_path, read_only=True) as s:
        report = s.load(ids[0])
    from gongkai_desktop.documents import export as E

    data = E.render_one(report, "docx")
    assert data[:2] == b"PK"


READ_ONLY_CHILD = r"""
import os, sys
from gongkai_desktop.storage import store as store_mod
from gongkai_desktop.storage.store import Store
if os.environ.get("FOOL_ACCESS"):  # like a Windows ACL: os.access says writable, SQLite finds out
    store_mod._writable = lambda path: True
from gongkai_desktop.errors import ReadOnlyStore
s = Store.open(sys.argv[1])
print(s.read_only, len(s.list_reports()), s.load(s.list_reports()[0].id).meta.organ)
try:
    s.set_meta(s.list_reports()[0].id, "organ", "改名")
except ReadOnlyStore as exc:
    print("refused", exc.reason)
s.close()
"""


def _run_read_only(folder: Path, db: Path, fool: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FOOL_ACCESS": "1" if fool else ""}
    if os.geteuid() != 0:
        db.chmod(0o400)
        folder.chmod(0o500)
        try:
            return subprocess.run([sys.executable, "-c", READ_ONLY_CHILD, str(db)], capture_output=True,
                                  text=True, env=env, timeout=120)
        finally:
            folder.chmod(0o700)
            db.chmod(0o600)
    if not _unshare_ok():
        pytest.skip("running as root without user namespaces: cannot make a folder read-only")
    script = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && " \
             f"{sys.executable} -c '{READ_ONLY_CHILD}' {db}"
    return subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("fool", [False, True], ids=["access_sees_it", "sqlite_finds_out"])
def test_read_only_folder_opens_read_only(db_path, fool):
    _filled(db_path, 2)
    before = db_path.read_bytes()
    r = _run_read_only(db_path.parent, db_path, fool)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["True", "2"]
    assert lines[1] == "refused read_only"
    assert "Traceback" not in r.stderr
    assert db_path.read_bytes() == before


# ---------------------------------------------------------------------------------------------
# 7: readable by the user only


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions; Windows relies on the profile ACL")
def test_database_wal_shm_and_backups_are_private(db_path):
    old = os.umask(0o022)
    try:
        with Store.open(db_path) as s:
            rid = s.create("甲局", Y)
            s.set_value(rid, NEW_NP, 1)
            for suffix in ("", "-wal", "-shm"):
                p = Path(str(db_path) + suffix)
                assert p.exists(), suffix
                assert stat.S_IMODE(p.stat().st_mode) == 0o600, (suffix, oct(p.stat().st_mode))
            b = s.backup_now()
            assert stat.S_IMODE(b.stat().st_mode) == 0o600
            assert stat.S_IMODE(b.parent.stat().st_mode) == 0o700
        # an older file made 0644 is tightened at open, and so is a restored one
        db_path.chmod(0o644)
        with Store.open(db_path, backups=False):
            assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
        db_path.write_bytes(b"garbage" * 1000)
        Store.restore_latest_backup(db_path)
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    finally:
        os.umask(old)
