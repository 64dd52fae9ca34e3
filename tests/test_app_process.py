"""The real program as a process: a desktop logout (SIGTERM) closes it cleanly, so the next start
does not have to reassure the clerk, and the database is consistent."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gongkai_desktop.storage.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("settle", [1.5, 0.0], ids=["window-up", "while-starting"])
def test_sigterm_closes_the_window_cleanly(tmp_path, settle):
    """Also a SIGTERM that arrives while the store is being opened (the file just appeared): it
    waits until the window can close cleanly instead of killing the half-opened program."""
    db = tmp_path / "reports.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.Popen([sys.executable, "-m", "gongkai_desktop", "--db", str(db)], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not db.exists() and time.monotonic() < deadline:
            assert p.poll() is None, p.stderr.read().decode("utf-8", "replace")
            time.sleep(0.1)
        time.sleep(settle)
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=30) == 0
    finally:
        if p.poll() is None:
            p.kill()
    with Store.open(db, backups=False) as store:
        assert not store.was_unclean_shutdown()


def _soak():
    """benchmarks/soak_window.py: the typing window as a process, and one trial of it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("soak_window", ROOT / "benchmarks" / "soak_window.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_while_typing_keeps_every_character(tmp_path):
    """A logout in the middle of typing: the real window, key events, SIGTERM at random moments
    (a handful here; benchmarks/soak_window.py runs 30 and more)."""
    import random

    soak = _soak()
    rnd = random.Random(8)
    for i in range(4):
        r = soak.trial(tmp_path / f"t{i}", signal.SIGTERM, seed=rnd.randrange(10 ** 6), run_for=rnd.uniform(0.8, 3.0))
        assert r["rc"] == 0, r["stderr"]
        assert r["typed"] > 0 and not r["garbled"] and r["intact"]
        assert r["lost"] == 0, r


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_kill_9_while_typing_loses_at_most_the_last_moments(tmp_path):
    """kill -9 runs no code at all: what was typed in the last ~2 s may be lost, nothing older,
    nothing garbled, and the database opens intact."""
    import random

    soak = _soak()
    rnd = random.Random(9)
    for i in range(3):
        r = soak.trial(tmp_path / f"k{i}", signal.SIGKILL, seed=rnd.randrange(10 ** 6), run_for=rnd.uniform(3.0, 4.5))
        assert r["rc"] == -signal.SIGKILL
        assert r["typed"] > 0 and not r["garbled"] and r["intact"], r
        assert r["beyond"] == 0, r  # every key older than the 2 s guarantee was committed


@pytest.mark.skipif(sys.platform == "win32" or not all(shutil.which(t) for t in ("Xvfb", "xdotool")),
                    reason="needs Xvfb and xdotool (in .ci/run's apt line)")
def test_sigterm_while_keys_come_through_the_x_server(tmp_path):
    """The same on a real X display: xdotool's key events go through the X server and Qt's xcb
    plugin, as a keyboard's do."""
    import random

    soak = _soak()
    xvfb = soak.Xvfb()
    try:
        rnd = random.Random(10)
        for i in range(2):
            r = soak.trial(tmp_path / f"x{i}", signal.SIGTERM, seed=rnd.randrange(10 ** 6),
                           run_for=rnd.uniform(1.5, 3.0), display=xvfb.display)
            assert r["rc"] == 0, r["stderr"]
            assert r["typed"] > 0 and not r["garbled"] and r["intact"], r
            assert r["lost"] == 0, r
    finally:
        xvfb.close()
