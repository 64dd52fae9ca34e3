"""Checks before Qt starts, so a clerk gets a Chinese sentence instead of Qt aborting with an
English message about platform plugins. No Qt import here."""

from __future__ import annotations

import ctypes.util
import os
import sys

from . import texts as T

# The one library Qt 6's xcb plugin needs that Kylin/UOS/Debian desktops often lack.
_XCB_CURSOR = "xcb-cursor"


def display_problem(environ=None, platform: str | None = None, find_library=ctypes.util.find_library) -> tuple[str, bool]:
    """(message, fatal). ``fatal`` means the window cannot start at all; otherwise the message is
    advice printed before trying anyway. ("", False) when nothing looks wrong."""
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux") or env.get("QT_QPA_PLATFORM"):
        return "", False
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return T.NO_DISPLAY, True
    if env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY") and not getattr(sys, "frozen", False) \
            and find_library(_XCB_CURSOR) is None:
        return T.XCB_LIBS_MISSING, False
    return "", False
