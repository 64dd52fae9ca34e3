"""Build the one-folder app, the portable zip and (on Windows, when Inno Setup is installed) the installer.

    python packaging/build.py                 # dist/gongkai/ + dist/gongkai-<ver>-<platform>-portable.zip
    python packaging/build.py --installer     # also dist/gongkai-<ver>-setup.exe (Windows, needs ISCC.exe)
    python packaging/build.py --no-zip --dist /tmp/out --work /tmp/work

The version comes from ``gongkai_desktop.__version__`` and nowhere else: this script passes it to
Inno Setup (``/DAppVersion=…`` and a generated ``build/version.iss``), names the zip after it, and
the spec reads the same attribute for the Windows file properties.

Prints the build time, the folder size and the zip size.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "gongkai.spec"
ISS = ROOT / "packaging" / "windows" / "gongkai.iss"
APP_DIR_NAME = "gongkai"  # COLLECT(name=…) in the spec


def app_version() -> str:
    sys.path.insert(0, str(ROOT))
    try:
        from gongkai_desktop import __version__
    finally:
        sys.path.pop(0)
    return __version__


def platform_tag() -> str:
    machine = platform.machine().lower()
    arch = {"amd64": "x64", "x86_64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine or "unknown")
    if sys.platform.startswith("win"):
        return f"windows-{arch}"
    if sys.platform == "darwin":
        return f"macos-{arch}"
    return f"linux-{arch}"


def folder_size(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def run_pyinstaller(dist: Path, work: Path, clean: bool) -> Path:
    cmd = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm",
           "--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"]
    if clean:
        cmd.append("--clean")
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    app = dist / APP_DIR_NAME
    if not app.is_dir():
        raise SystemExit(f"PyInstaller finished but {app} is missing")
    return app


def add_linux_extras(app: Path) -> None:
    """The .desktop entry and the icon travel with the Linux folder (installing them: README.md, section「Linux（麒麟、统信）」)."""
    shutil.copy2(ROOT / "packaging" / "linux" / "gongkai.desktop", app / "gongkai.desktop")
    shutil.copy2(ROOT / "resources" / "icon.png", app / "gongkai.png")


def make_zip(app: Path, zip_path: Path) -> Path:
    """Zip the folder as ``gongkai/…``, keeping the executable bits (zipfile drops them by default).

    PyInstaller on Linux links some libraries into ``_internal`` by symlink; they are stored as
    symlinks (as Info-ZIP ``zip -y`` does, restored by ``unzip`` and the desktop archive managers),
    not as second copies (~65 MB more). Windows builds contain no symlinks.
    """
    if zip_path.exists():
        zip_path.unlink()
    root = app.resolve()
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for p in sorted(app.rglob("*")):
            arc = (Path(APP_DIR_NAME) / p.relative_to(app)).as_posix()
            if p.is_symlink():
                target = os.readlink(p)
                if (p.parent / target).resolve().is_relative_to(root) and not os.path.isabs(target):
                    info = zipfile.ZipInfo(arc, date_time=time.localtime(p.lstat().st_mtime)[:6])
                    info.create_system = 3  # Unix, so unzip honours the mode bits
                    info.external_attr = (stat.S_IFLNK | 0o777) << 16
                    zf.writestr(info, target, compress_type=zipfile.ZIP_STORED)
                    continue
            if p.is_dir():
                continue
            info = zipfile.ZipInfo.from_file(p, arc)
            info.external_attr = (stat.S_IFREG | stat.S_IMODE(p.stat().st_mode)) << 16
            with open(p, "rb") as fh:
                zf.writestr(info, fh.read(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return zip_path


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs")):
        if base:
            cand = Path(base) / "Inno Setup 6" / "ISCC.exe"
            if cand.is_file():
                return str(cand)
    return None


def numeric_version(version: str) -> str:
    """``0.2.0rc1`` → ``0.2.0``: Windows file versions are at most four numbers."""
    m = re.match(r"^(\d+(?:\.\d+){0,3})", version)
    return m.group(1) if m else "0.0.0"


def write_version_include(version: str, work: Path) -> Path:
    """``build/version.iss`` for compiling gongkai.iss by hand from the IDE (build.py also passes /D)."""
    work.mkdir(parents=True, exist_ok=True)
    inc = work / "version.iss"
    inc.write_text(f'#define AppVersion "{version}"\n#define AppVersionNumeric "{numeric_version(version)}"\n',
                   encoding="utf-8")
    return inc


def make_installer(app: Path, version: str, out_dir: Path) -> Path:
    iscc = find_iscc()
    if not iscc:
        raise SystemExit("Inno Setup 6 (ISCC.exe) not found: install it from https://jrsoftware.org/isdl.php "
                         "or add it to PATH.")
    cmd = [iscc, f"/DAppVersion={version}", f"/DAppVersionNumeric={numeric_version(version)}",
           f"/DSourceDir={app}", f"/DRepoRoot={ROOT}", f"/O{out_dir}", str(ISS)]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    setup = out_dir / f"gongkai-{version}-setup.exe"
    if not setup.is_file():
        raise SystemExit(f"ISCC finished but {setup} is missing")
    return setup


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    ap.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller work folder (default: build/)")
    ap.add_argument("--no-zip", action="store_true", help="skip the portable zip")
    ap.add_argument("--installer", action="store_true", help="also compile the Inno Setup installer (Windows)")
    ap.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    args = ap.parse_args(argv)

    version = app_version()
    dist, work = args.dist.resolve(), args.work.resolve()
    print(f"gongkai {version} for {platform_tag()}", flush=True)
    write_version_include(version, work)

    t0 = time.monotonic()
    app = run_pyinstaller(dist, work, args.clean)
    build_s = time.monotonic() - t0
    if sys.platform.startswith("linux"):
        add_linux_extras(app)
    size = folder_size(app)
    print(f"build time: {build_s:.0f} s")
    print(f"folder: {app}  {mb(size)}")

    if not args.no_zip:
        t1 = time.monotonic()
        zip_path = make_zip(app, dist / f"gongkai-{version}-{platform_tag()}-portable.zip")
        print(f"zip: {zip_path}  {mb(zip_path.stat().st_size)}  ({time.monotonic() - t1:.0f} s)")
    if args.installer:
        setup = make_installer(app, version, dist)
        print(f"installer: {setup}  {mb(setup.stat().st_size)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
