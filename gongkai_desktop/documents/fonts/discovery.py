"""Where font files are on this machine: fontconfig on Linux, the font folders (the per-user
one on Windows too) and the Windows registry; and where the caches live."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterable

FONT_EXTENSIONS = (".ttf", ".ttc", ".otf", ".otc")
_FC_LIST_FORMAT = "%{family}\t%{style}\t%{fontformat}\t%{index}\t%{file}\n"


def platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def _font_dirs(platform: str) -> list[str]:
    home = os.path.expanduser("~")
    if platform == "windows":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs = [os.path.join(windir, "Fonts")]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            # Fonts installed without admin rights (often 方正小标宋 / 仿宋_GB2312) land here.
            dirs.append(os.path.join(local, "Microsoft", "Windows", "Fonts"))
        return dirs
    if platform == "macos":
        dirs = [
            "/System/Library/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts",
            os.path.join(home, "Library", "Fonts"),
        ]
        # Downloadable system fonts (华文仿宋, Songti …) live in asset folders.
        assets = Path("/System/Library/AssetsV2")
        if assets.is_dir():
            dirs += [str(p) for p in assets.glob("com_apple_MobileAsset_Font*")]
        return dirs
    xdg = os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
    return [
        "/usr/share/fonts", "/usr/local/share/fonts", os.path.join(xdg, "fonts"),
        os.path.join(home, ".fonts"),
    ]


def _walk_font_dirs(dirs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for root, _subdirs, files in os.walk(d):
            for fn in files:
                if fn.lower().endswith(FONT_EXTENSIONS):
                    out.append(os.path.join(root, fn))
    return out


def _fc_list_files() -> list[str] | None:
    """Font files known to fontconfig, or None when fc-list is unavailable."""
    try:
        proc = subprocess.run(
            ["fc-list", "-f", _FC_LIST_FORMAT], capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    out = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 5 and parts[4].lower().endswith(FONT_EXTENSIONS):
            out.append(parts[4])
    return out


def _windows_registry_files() -> list[str]:
    """Files listed under HKLM/HKCU ...\\Fonts (covers fonts installed outside the two folders)."""
    try:
        import winreg  # type: ignore[import-not-found]
    except ImportError:
        return []
    windir = os.environ.get("WINDIR") or r"C:\Windows"
    out: list[str] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            key = winreg.OpenKey(hive, r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts")
        except OSError:
            continue
        with key:
            i = 0
            while True:
                try:
                    _name, value, _typ = winreg.EnumValue(key, i)
                except OSError:
                    break
                i += 1
                if isinstance(value, str) and value.lower().endswith(FONT_EXTENSIONS):
                    out.append(value if os.path.isabs(value) else os.path.join(windir, "Fonts", value))
    return out


def discover_font_files(extra_dirs: Iterable[str] = ()) -> list[str]:
    """All candidate font files on this machine (deduplicated by real path, sorted).

    ``extra_dirs`` and the environment variable GONGKAI_FONT_DIRS (os.pathsep-separated) add
    folders, e.g. fonts shipped next to a portable build.
    """
    system = platform()
    files: list[str] = []
    if system == "linux":
        fc = _fc_list_files()
        files += fc if fc is not None else _walk_font_dirs(_font_dirs(system))
    else:
        files += _walk_font_dirs(_font_dirs(system))
        if system == "windows":
            files += _windows_registry_files()
    env_dirs = [d for d in os.environ.get("GONGKAI_FONT_DIRS", "").split(os.pathsep) if d]
    files += _walk_font_dirs([*extra_dirs, *env_dirs])
    # Symlinks (Debian's fonts-japanese-mincho.ttf -> HanaMinA.ttf) and, on Windows, the same
    # file spelled with another case (registry vs folder walk) must count once.
    seen: dict[str, str] = {}
    for f in files:
        try:
            real = os.path.realpath(f)
        except OSError:
            continue
        key = os.path.normcase(real)
        if key not in seen and os.path.isfile(real):
            seen[key] = real
    return sorted(seen.values())



def cache_dir(override: str | os.PathLike | None = None) -> Path:
    """Where the scan cache lives: argument > $GONGKAI_CACHE_DIR > platformdirs user cache dir."""
    if override:
        return Path(override)
    env = os.environ.get("GONGKAI_CACHE_DIR")
    if env:
        return Path(env)
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("gongkai_desktop", appauthor=False))
    except ImportError:  # platformdirs is a dependency, but never fail font lookup over it
        return Path.home() / ".cache" / "gongkai_desktop"

