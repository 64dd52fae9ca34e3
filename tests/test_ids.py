"""forms/ is the single source of truth: every table, row, column, section and rule id that the
code, the tests, the exchange files and the docs mention must exist in it.

The scan reads the Python sources as syntax trees and looks at the shapes ids take there:
cell keys (3-tuples of strings whose first is a table id), "table/row/col" strings, and calls
whose first argument names a table/section/rule. A made-up id in any of them fails this test.
"""

import ast
import json
import re
from pathlib import Path

import pytest

from gongkai_desktop.report import formats as F

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for d in ("gongkai_desktop", "tests", "benchmarks", "packaging")
                 for p in (ROOT / d).rglob("*.py"))
CELL_TEXT = re.compile(r"^([a-z_]+)/([a-z_]+)/([a-z_]+)$")


def all_ids():
    ids = set()
    for fmt in F.all_formats():
        ids |= fmt.ids()
    return ids


IDS = all_ids()
TABLES = {i.split(":", 1)[1] for i in IDS if i.startswith("table:")}
SECTIONS = {i.split(":", 1)[1] for i in IDS if i.startswith("section:")}
RULES = {i.split(":", 1)[1] for i in IDS if i.startswith("rule:")}
# Dict literals keyed by ids (ui/texts.py's wording per section): when most keys are ids of one
# kind, every key must be. "meta" is the navigator's 基本信息, a section for findings.
KEYED = {"section": SECTIONS | {"meta"}, "table": TABLES, "rule": RULES}


def _const_str(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


FORMAT_NAMES = {"fmt", "format", "form"}
MARKER = "# not-an-id"  # a test that uses a made-up id on purpose says so on that line


def _is_format(node) -> bool:
    return (isinstance(node, ast.Name) and node.id in FORMAT_NAMES) or \
        (isinstance(node, ast.Attribute) and node.attr in FORMAT_NAMES)


def references(path: Path):
    """(line, qualified id) pairs found in one source file."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    for lineno, ref in _references(ast.parse(source, str(path))):
        if MARKER not in lines[lineno - 1]:
            yield lineno, ref


def _references(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 3:
            parts = [_const_str(e) for e in node.elts]
            if all(parts) and parts[0] in TABLES:
                yield node.lineno, f"cell:{'/'.join(parts)}"
        s = _const_str(node)
        if s and CELL_TEXT.match(s) and s.split("/")[0] in TABLES:
            yield node.lineno, f"cell:{s}"
        # report.sections["overview"], fmt.tables["requests"], fmt.section("problems"), fmt.rule("R5")
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            key = _const_str(node.slice)
            if key and node.value.attr == "tables":
                yield node.lineno, f"table:{key}"
            if key and node.value.attr == "sections":
                yield node.lineno, f"section:{key}"
        if isinstance(node, ast.Dict):
            yield from _dict_keys(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args \
                and _is_format(node.func.value):
            key = _const_str(node.args[0])
            kinds = {"table": "table", "section": "section", "rule": "rule"}
            if key and node.func.attr in kinds:
                yield node.lineno, f"{kinds[node.func.attr]}:{key}"


def _dict_keys(node: ast.Dict):
    """Keys of an id-keyed dict that are not ids of its kind (the known ones need no report)."""
    keys = [(k.lineno, k.value) for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    for kind, known in KEYED.items():
        hits = sum(1 for _, k in keys if k in known)
        if hits >= 2 and hits * 2 > len(keys):
            for lineno, k in keys:
                if k not in known:
                    yield lineno, f"{kind}:{k}"
            return


def test_the_scan_finds_references():
    """Guard against a scan that silently finds nothing (a test that cannot fail)."""
    found = {q for p in SOURCES for _, q in references(p)}
    assert "cell:requests/new/natural_person" in found or any(q.startswith("cell:requests/") for q in found)
    assert any(q.startswith("table:") for q in found)


def test_the_scan_catches_a_made_up_id(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('key = ("requests", "newly_received", "natural_person")\nx = fmt.tables["requets"]\n'
                   'HINTS = {"overview": "…", "requests": "…", "apeals": "…"}\n'
                   'OK = {"overview": 1, "meta": 2, "problems": 3}\n', encoding="utf-8")
    assert {q for _, q in references(bad) if q not in IDS} == {
        "cell:requests/newly_received/natural_person", "table:requets", "section:apeals"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_id_in_the_code_exists_in_forms(path):
    missing = [(line, q) for line, q in references(path) if q not in IDS]
    assert not missing, f"{path.relative_to(ROOT)} uses ids that forms/ does not define: {missing}"


def test_rules_and_carry_over_reference_existing_cells():
    for fmt in F.all_formats():
        own = fmt.ids()
        for q in F.iter_ids_used_in(fmt):
            assert q in own, (fmt.id, q)


def exchange_files():
    files = list((ROOT / "resources").glob("*.json")) + list((ROOT / "docs").glob("*.json"))
    for md in (ROOT / "docs").glob("*.md"):
        for block in re.findall(r"```json\n(.*?)```", md.read_text(encoding="utf-8"), re.S):
            if '"gongkai-report"' in block:
                files.append((md, block))
    return files


def test_exchange_files_shipped_and_documented_use_known_ids():
    checked = 0
    for item in exchange_files():
        if isinstance(item, tuple):
            where, doc = item[0], json.loads(item[1])
        else:
            where, doc = item, json.loads(item.read_text(encoding="utf-8"))
        if doc.get("kind") != "gongkai-report":
            continue
        fmt = F.get_format(doc["format"])
        own = fmt.ids()
        for tid, rows in doc.get("tables", {}).items():
            assert f"table:{tid}" in own, (where, tid)
            for rid, cols in rows.items():
                for cid in cols:
                    assert f"cell:{tid}/{rid}/{cid}" in own, (where, tid, rid, cid)
        for sid in doc.get("sections", {}):
            assert f"section:{sid}" in own, (where, sid)
        for key in doc.get("explanations", {}):
            assert f"rule:{key.split(':')[0]}" in own, (where, key)
        checked += 1
    assert checked >= 1, "no exchange file found in resources/ or docs/ to check"
