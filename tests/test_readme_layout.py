"""The README's layout block is generated from the tree (tools/readme_layout.py): it must say what
the tree holds, so a module added, moved or renamed without regenerating it fails here."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location("readme_layout", ROOT / "tools" / "readme_layout.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_layout_matches_the_tree():
    tool = _tool()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert tool.current(readme) == tool.block(), "run: python tools/readme_layout.py"


def test_every_module_is_in_the_layout():
    tool = _tool()
    layout = tool.layout()
    for path in sorted((ROOT / "gongkai_desktop").rglob("*.py")):
        if path.name.startswith("_"):
            continue
        assert f" {path.name} " in layout or layout.rstrip().endswith(path.name) or f" {path.name}\n" in layout, path
