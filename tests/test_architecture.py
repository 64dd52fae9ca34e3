"""The rooms and the direction of imports (docs/architecture.md).

Faces (ui/, cli.py) sit on top; below them each room may import only the rooms under it:
collection → reading → documents → storage → report. Nothing outside ui/ imports Qt, and nothing
imports ui/ except the faces. The shared modules (texts, errors, the package's __init__) are
importable from anywhere and import no room.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "gongkai_desktop"

# Highest first: a room may import rooms to its right, never to its left.
ORDER = ["collection", "reading", "register", "documents", "storage", "report"]
SHARED = {"texts", "errors", "__init__"}
FACES = {"ui", "cli", "__main__"}


def _room_of(module: str) -> str | None:
    """'gongkai_desktop.storage.store' -> 'storage'; the shared modules -> None."""
    parts = module.split(".")
    if parts[0] != "gongkai_desktop" or len(parts) < 2:
        return None
    return parts[1]


def _imports(path: Path) -> list[tuple[int, str]]:
    rel = path.relative_to(PKG.parent).with_suffix("")
    mod = list(rel.parts)
    pkg = mod if path.name == "__init__.py" else mod[:-1]
    if path.name == "__init__.py":
        pkg = mod[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    found.extend((node.lineno, f"{target}.{a.name}") for a in node.names)
                    continue
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def _sources():
    return sorted(p for p in PKG.rglob("*.py"))


def _room_of_file(path: Path) -> str:
    rel = path.relative_to(PKG)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) == 1 else rel.parts[0]


def test_there_is_no_core_room_left():
    assert not (PKG / "core").exists()


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PKG)))
def test_imports_point_down(path):
    here = _room_of_file(path)
    bad = []
    for line, target in _imports(path):
        top = target.split(".")[0]
        if top in ("PySide6", "shiboken6") and here != "ui":
            bad.append(f"{line}: Qt ({target}) outside ui/")
        room = _room_of(target)
        if room is None or room == here:
            continue
        if room in FACES:
            if here not in FACES:
                bad.append(f"{line}: {target} — only the faces may import the faces")
            continue
        if here in SHARED:
            if room in ORDER:
                bad.append(f"{line}: shared module imports the room {room}")
            continue
        if here in FACES or room in SHARED or room not in ORDER:
            continue
        if here in ORDER and ORDER.index(room) < ORDER.index(here):
            bad.append(f"{line}: {here} imports {room}, which sits above it")
    assert not bad, "\n".join(bad)


def test_the_checker_sees_a_wrong_import(tmp_path):
    """Self-test: a report module importing storage is caught."""
    fake = PKG / "report" / "_architecture_selftest.py"
    fake.write_text("from ..storage import store\nimport PySide6\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError) as info:
            test_imports_point_down(fake)
        assert "report imports storage" in str(info.value)
        assert "Qt" in str(info.value)
    finally:
        fake.unlink()


def test_every_package_ships():
    """pyproject lists the packages by hand: a new room left out works in a checkout and is missing
    from an installed or frozen app."""
    import tomllib

    listed = set(tomllib.loads((PKG.parent / "pyproject.toml").read_text(encoding="utf-8"))
                 ["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PKG.parent).parts) for p in PKG.rglob("__init__.py")}
    assert found - listed == set()
