"""The real program as a process: a desktop logout (SIGTERM) closes it cleanly, so the next start
does not have to reassure the clerk, and the database is consistent."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai_desktop.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_closes_the_window_cleanly(tmp_path):
    db = tmp_path / "reports.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.Popen([sys.executable, "-m", "gongkai_desktop", "--db", str(db)], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not db.exists() and time.monotonic() < deadline:
            assert p.poll() is None, p.stderr.read().decode("utf-8", "replace")
            time.sleep(0.1)
        time.sleep(1.5)  # let the window come up
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=30) == 0
    finally:
        if p.poll() is None:
            p.kill()
    with Store.open(db, backups=False) as store:
        assert not store.was_unclean_shutdown()
