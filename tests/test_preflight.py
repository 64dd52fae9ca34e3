"""Before Qt starts on Linux: a missing desktop or missing xcb libraries get a Chinese sentence."""

import os
import subprocess
import sys
from pathlib import Path

from gongkai_desktop.ui.preflight import display_problem

ROOT = Path(__file__).resolve().parents[1]


def test_no_display_is_fatal_with_a_chinese_message():
    msg, fatal = display_problem({}, "linux")
    assert fatal and "图形桌面" in msg


def test_missing_xcb_cursor_is_advice_only():
    msg, fatal = display_problem({"DISPLAY": ":0"}, "linux", find_library=lambda name: None)
    assert not fatal and "libxcb-cursor0" in msg


def test_nothing_to_say_on_a_normal_desktop_or_elsewhere():
    assert display_problem({"DISPLAY": ":0"}, "linux", find_library=lambda name: "libxcb-cursor.so.0") == ("", False)
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", find_library=lambda name: None) == ("", False)
    assert display_problem({}, "win32") == ("", False)
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") == ("", False)


def test_the_program_says_so_and_exits_2_without_a_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    p = subprocess.run([sys.executable, "-m", "gongkai_desktop", "--db", str(tmp_path / "r.db")], cwd=ROOT,
                       env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)
    if sys.platform.startswith("linux"):
        assert p.returncode == 2 and "图形桌面" in p.stderr and "Traceback" not in p.stderr
