"""The program clerks actually get: the PyInstaller one-folder build, run as a real program.

The slow tests build the folder once per session (``packaging/build.py`` into a temporary folder,
~1 minute on two cores) and then run the *frozen* executable: ``--version``, an export of the
example report to .docx and PDF, ``new`` with the user's folders pointed into tmp (the database
must land in the platformdirs data directory, never beside the program), and the window
starting headless. The folder must stay under 250 MB (the limit the packaging issue states).

The quick tests check the packaging files themselves: one version source, the .desktop entry,
the icons, and that the app imports no Qt module the spec leaves out.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from gongkai_desktop import __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "gongkai.spec"
IS_WIN = sys.platform.startswith("win")
EXE_SUFFIX = ".exe" if IS_WIN else ""
SIZE_LIMIT = 250 * 1000 * 1000  # bytes; "under 250 MB" in the issue

slow = pytest.mark.slow


# ---------------------------------------------------------------------------------------------
# The build (once per session)


class Frozen:
    def __init__(self, dist: Path, log: str, seconds: float):
        self.dist = dist
        self.app = dist / "gongkai"
        self.exe = self.app / f"gongkai{EXE_SUFFIX}"
        self.log = log
        self.seconds = seconds
        self.zips = sorted(dist.glob(f"gongkai-{__version__}-*-portable.zip"))

    def listing(self) -> dict[str, int]:
        return {str(p.relative_to(self.app)): (p.stat().st_size if p.is_file() else -1)
                for p in self.app.rglob("*")}


@pytest.fixture(scope="session")
def frozen(tmp_path_factory) -> Frozen:
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install -e .[package])")
    out = tmp_path_factory.mktemp("frozen")
    t0 = time.monotonic()
    p = subprocess.run(
        [sys.executable, str(PACKAGING / "build.py"), "--dist", str(out / "dist"), "--work", str(out / "work")],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=1800,
    )
    seconds = time.monotonic() - t0
    assert p.returncode == 0, f"build failed ({p.returncode}):\n{p.stdout[-4000:]}\n{p.stderr[-6000:]}"
    f = Frozen(out / "dist", p.stdout, seconds)
    assert f.exe.is_file(), f"no {f.exe} after the build:\n{p.stdout[-3000:]}"
    return f


def user_env(base: Path, **extra: str) -> dict[str, str]:
    """The environment of a clerk whose home is ``base/home``: no test overrides of the store,
    cache or settings paths, no XDG variables (so the platformdirs defaults apply)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GONGKAI_", "XDG_")) and k not in ("PYTHONPATH", "PYTHONHOME")}
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    env["HOME"] = str(home)
    env.update(extra)
    return env


def run_frozen(frozen: Frozen, *args: str, env: dict[str, str], cwd: Path, timeout: float = 180):
    """Run the frozen program and check it wrote nothing into its own folder."""
    before = frozen.listing()
    p = subprocess.run([str(frozen.exe), *args], capture_output=True, text=True, encoding="utf-8",
                       errors="replace", env=env, cwd=cwd, timeout=timeout)
    after = frozen.listing()
    changed = sorted(set(after.items()) ^ set(before.items()))
    assert not changed, f"the program wrote into its own folder: {changed[:10]}"
    assert "Traceback" not in p.stderr, p.stderr
    return p


def sample_exchange_file(tmp: Path) -> Path:
    """``resources/example-report.json`` when present, else the complete test report written out."""
    example = ROOT / "resources" / "example-report.json"
    if example.is_file():
        return example
    from gongkai_desktop.storage import exchange
    from sample import full_report

    path = tmp / "sample.json"
    exchange.dump_file(full_report(), path)
    return path


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# ---------------------------------------------------------------------------------------------
# Slow: the frozen program


@slow
def test_frozen_version(frozen, tmp_path):
    p = run_frozen(frozen, "--version", env=user_env(tmp_path), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"gongkai {__version__}"
    if IS_WIN:
        assert (frozen.app / "gongkai-gui.exe").is_file()


@slow
def test_frozen_export_docx_and_pdf(frozen, tmp_path):
    sample = sample_exchange_file(tmp_path)
    import json

    organ = json.loads(sample.read_text(encoding="utf-8"))["meta"]["organ"]
    docx_path, pdf_path = tmp_path / "a.docx", tmp_path / "a.pdf"
    p = run_frozen(frozen, "export", str(sample), "--docx", str(docx_path), "--pdf", str(pdf_path),
                   env=user_env(tmp_path), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert docx_path.is_file() and docx_path.stat().st_size > 0, p.stderr
    assert pdf_path.is_file() and pdf_path.stat().st_size > 0, p.stderr

    import docx

    doc = docx.Document(str(docx_path))
    text = "\n".join(par.text for par in doc.paragraphs)
    text += "\n".join(cell.text for table in doc.tables for row in table.rows for cell in row.cells)
    assert organ in re.sub(r"\s+", "", text)

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed: the PDF's text was not checked")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert organ in re.sub(r"\s+", "", out.stdout.decode("utf-8")), "organ name missing from the PDF text"


@slow
@pytest.mark.skipif(IS_WIN, reason="HOME/XDG steer platformdirs on Linux and macOS only")
def test_frozen_store_lives_in_user_data_dir(frozen, tmp_path):
    # platformdirs defaults (no XDG variables): $HOME/.local/share/gongkai_desktop on Linux.
    env = user_env(tmp_path)
    p = run_frozen(frozen, "new", "--organ", "测试", "--year", "2025", env=env, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    home = Path(env["HOME"])
    if sys.platform == "darwin":
        expected = home / "Library" / "Application Support" / "gongkai_desktop" / "reports.db"
    else:
        expected = home / ".local" / "share" / "gongkai_desktop" / "reports.db"
    assert expected.is_file(), f"no database at {expected}; home holds {sorted(map(str, home.rglob('*')))}"
    listed = run_frozen(frozen, "list", "--json", env=env, cwd=tmp_path)
    assert "测试" in listed.stdout

    if sys.platform != "darwin":  # XDG_DATA_HOME is honoured too
        xdg = tmp_path / "xdg-data"
        env2 = user_env(tmp_path / "other", XDG_DATA_HOME=str(xdg))
        p = run_frozen(frozen, "new", "--organ", "测试", "--year", "2025", env=env2, cwd=tmp_path)
        assert p.returncode == 0, p.stderr
        assert (xdg / "gongkai_desktop" / "reports.db").is_file()


@slow
def test_frozen_window_starts(frozen, tmp_path):
    """The window comes up headless and stays up: every Qt module, plugin and resource it needs
    is in the bundle (a missing one ends the program or prints a traceback within seconds)."""
    env = user_env(tmp_path, QT_QPA_PLATFORM="offscreen")
    before = frozen.listing()
    proc = subprocess.Popen([str(frozen.exe)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        exited = proc.poll()
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    err_text = err.decode("utf-8", "replace")
    assert exited is None, f"the window exited with {exited}:\n{err_text[-3000:]}"
    assert "Traceback" not in err_text, err_text[-3000:]
    assert "Could not load the Qt platform plugin" not in err_text, err_text[-3000:]
    assert not (set(frozen.listing().items()) ^ set(before.items())), "the window wrote into its own folder"


@slow
def test_frozen_bundle_layout_and_size(frozen, capsys):
    internal = frozen.app / "_internal"
    assert (internal / "gongkai_desktop" / "forms" / "gb2021.json").is_file()
    assert (internal / "gongkai_desktop" / "resources" / "icon.png").is_file()
    # Nothing of what the spec leaves out sneaked in.
    names = {p.name.lower() for p in internal.rglob("*")}
    for module in ("WebEngineCore", "Qml", "Quick", "Network", "Multimedia", "Pdf"):
        m = module.lower()
        found = sorted(n for n in names if n.startswith(f"qt{m}.") or f"qt6{m}" in n)  # binding or Qt library
        assert not found, f"Qt{module} is in the bundle: {found}"
    for package in ("tkinter", "_tkinter", "numpy"):
        assert not any(n == package or n.startswith(package + ".") for n in names), package

    size = folder_size(frozen.app)
    zips = frozen.zips
    assert len(zips) == 1, f"expected one portable zip, found {zips}"
    with capsys.disabled():
        print(f"\n[packaging] build {frozen.seconds:.0f} s; folder {size / 1e6:.1f} MB "
              f"(limit {SIZE_LIMIT / 1e6:.0f} MB); zip {zips[0].name} {zips[0].stat().st_size / 1e6:.1f} MB")
    assert size < SIZE_LIMIT, f"the one-folder app is {size / 1e6:.1f} MB, over the {SIZE_LIMIT / 1e6:.0f} MB limit"


@slow
def test_portable_zip(frozen, tmp_path):
    """The portable zip holds the same folder, executable bits and symlinks intact, and runs."""
    (zip_path,) = frozen.zips
    with zipfile.ZipFile(zip_path) as zf:
        info = zf.getinfo(f"gongkai/gongkai{EXE_SUFFIX}")
        if not IS_WIN:
            assert (info.external_attr >> 16) & stat.S_IXUSR, "the zipped program lost its executable bit"
        assert zf.testzip() is None
        zipped = {n.rstrip("/") for n in zf.namelist()}
    on_disk = {"gongkai/" + Path(k).as_posix() for k, size in frozen.listing().items() if size != -1}  # files
    assert on_disk <= zipped, f"missing from the zip: {sorted(on_disk - zipped)[:10]}"
    if IS_WIN or not shutil.which("unzip"):
        pytest.skip("unzip is not installed: the zip's contents were checked, not run")
    subprocess.run(["unzip", "-q", str(zip_path), "-d", str(tmp_path / "x")], check=True, timeout=300)
    exe = tmp_path / "x" / "gongkai" / "gongkai"
    p = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=120,
                       env=user_env(tmp_path))
    assert p.returncode == 0 and p.stdout.strip() == f"gongkai {__version__}", p.stderr


# ---------------------------------------------------------------------------------------------
# Quick: the packaging files


def _spec_list(name: str) -> list[str]:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in {SPEC}")


def test_app_imports_no_excluded_qt_module():
    excluded = set(_spec_list("QT_EXCLUDES")) | set(_spec_list("PY_EXCLUDES"))
    used: dict[str, set[str]] = {}
    for path in (ROOT / "gongkai_desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for m in mods:
                used.setdefault(m, set()).add(str(path.relative_to(ROOT)))
    clashes = {m: sorted(files) for m, files in used.items()
               if any(m == e or m.startswith(e + ".") for e in excluded)}
    assert not clashes, f"the app imports modules the spec excludes from the build: {clashes}"


def test_version_has_one_source():
    """The version is written only in gongkai_desktop/__init__.py; packaging files read it."""
    for path in [SPEC, PACKAGING / "build.py"]:
        literals = {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert __version__ not in literals, f"{path.relative_to(ROOT)} hard-codes the version {__version__}"
    iss_path = PACKAGING / "windows" / "gongkai.iss"
    iss = iss_path.read_text(encoding="utf-8-sig")
    assert not re.search(r'(?im)^\s*(#define\s+AppVersion\w*\s+"|AppVersion\s*=\s*\d)', iss), \
        "gongkai.iss hard-codes a version: build.py passes it (/DAppVersion) or writes build/version.iss"
    assert "AppVersion={#AppVersion}" in iss
    assert "PrivilegesRequired=lowest" in iss
    assert r"DefaultDirName={localappdata}\Programs\gongkai" in iss
    assert not re.search(r"(?m)^\[UninstallDelete\]", iss), "the uninstaller must keep the data"
    assert iss_path.read_bytes().startswith(b"\xef\xbb\xbf"), \
        "gongkai.iss needs a UTF-8 BOM or Inno Setup reads the Chinese text as ANSI"


def test_desktop_entry():
    path = PACKAGING / "linux" / "gongkai.desktop"
    cp = configparser.RawConfigParser(strict=True, interpolation=None)
    cp.optionxform = str  # keys are case-sensitive
    cp.read(path, encoding="utf-8")
    e = cp["Desktop Entry"]
    assert e["Type"] == "Application"
    assert e["Exec"].split()[0] == "gongkai" and e["Icon"] == "gongkai"
    assert e["Terminal"] == "false"
    assert e["Name[zh_CN]"] and e["Categories"].endswith(";")
    validator = shutil.which("desktop-file-validate")
    if validator:
        p = subprocess.run([validator, str(path)], capture_output=True, text=True)
        assert p.returncode == 0 and not p.stdout.strip(), p.stdout + p.stderr


def test_icons():
    from PIL import Image

    res = ROOT / "resources"
    assert (res / "icon.svg").is_file()
    with Image.open(res / "icon.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
    with Image.open(res / "icon.ico") as ico:
        sizes = ico.info["sizes"]
    for s in (16, 32, 48, 256):
        assert (s, s) in sizes, f"icon.ico lacks {s}x{s}"
