"""Shared test setup: headless Qt, and nothing ever touches the real user's data or settings."""

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Every test gets its own data, cache and config folders (platformdirs honours XDG_*)."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("GONGKAI_DB", str(base / "data" / "reports.db"))
    # The font scan is the same for every test on this machine: share its cache across tests.
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "font-cache"))
    yield


@pytest.fixture(autouse=True)
def _isolated_window_settings(tmp_path_factory, monkeypatch):
    """The window's preferences (QSettings) go to a temporary INI file, and files the window
    would open in Word or a PDF reader are only recorded (ui.widgets.opened)."""
    base = tmp_path_factory.mktemp("settings")
    monkeypatch.setenv("GONGKAI_SETTINGS", str(base / "gongkai-desktop.ini"))
    monkeypatch.setenv("GONGKAI_NO_OPEN", "1")
    yield


@pytest.fixture
def clerk(qtbot, monkeypatch, tmp_path):
    """A clerk at the window (tests/gui_driver.py) on a fresh store; the window is closed after."""
    from gui_driver import Clerk  # imported here: tests without a window need no Qt

    c = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    yield c
    if c.win is not None:
        c.close()
