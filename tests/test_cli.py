"""The command line as a clerk's script or a supervising office would use it: real processes,
exit codes, Chinese messages on stderr, and never a traceback for bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai_desktop import __version__
from gongkai_desktop.storage import exchange as X
from sample import full_report

ROOT = Path(__file__).resolve().parents[1]


def gongkai(*args, db=None, input=None):
    cmd = [sys.executable, "-m", "gongkai_desktop", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, input=input,
                       timeout=120)
    assert "Traceback" not in p.stderr, p.stderr
    return p


def write_report(path, report):
    X.dump_file(report, path)
    return path


def test_version():
    p = gongkai("--version")
    assert p.returncode == 0 and __version__ in p.stdout


def test_schema_text_and_json():
    p = gongkai("schema", "--year", "2025")
    assert p.returncode == 0 and "gb2021" in p.stdout and "三、收到和处理政府信息公开申请情况" in p.stdout
    p = gongkai("schema", "--year", "2020", "--json")
    data = json.loads(p.stdout)
    assert data["format"] == "gb2019"
    req = data["tables"]["requests"]
    row = next(r for r in req["rows"] if r["id"] == "withheld_safety")
    assert row == {"id": "withheld_safety", "label": "3.危及“三安全一稳定”", "parents": ["三、本年度办理结果", "（三）不予公开"]}
    col = next(c for c in req["columns"] if c["id"] == "business")
    assert col["parents"] == ["申请人情况", "法人或其他组织"]
    assert {r["id"] for r in data["rules"]} >= {"R1", "R2", "R3", "R4", "R5", "R7", "B1"}


@pytest.mark.parametrize("year", ["2018", "2099"])
def test_schema_bad_year(year):
    p = gongkai("schema", "--year", year)
    assert p.returncode == 2 and year in p.stderr


def test_check_file_exit_codes(tmp_path):
    good = write_report(tmp_path / "good.json", full_report(2025))
    p = gongkai("check", str(good))
    assert p.returncode == 0 and "检查通过" in p.stdout
    bad = full_report(2025)
    bad.values[("requests", "new", "natural_person")] += 1
    bad_path = write_report(tmp_path / "bad.json", bad)
    p = gongkai("check", str(bad_path), "--json")
    assert p.returncode == 1
    findings = json.loads(p.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["R1"] and findings[0]["severity_label"] == "错误"
    assert findings[0]["cells"][0].startswith("requests/")


def test_check_unreadable_input(tmp_path):
    p = gongkai("check", str(tmp_path / "missing.json"))
    assert p.returncode == 2 and "找不到" in p.stderr
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe not json")
    p = gongkai("check", str(junk))
    assert p.returncode == 2 and "UTF-8" in p.stderr


def test_wrong_command_line():
    p = gongkai("check")
    assert p.returncode == 2 and "命令有误" in p.stderr
    p = gongkai("frobnicate")
    assert p.returncode == 2


def test_store_workflow(tmp_path):
    db = tmp_path / "r.db"
    p = gongkai("new", "--organ", "某某街道办事处", "--year", "2024", "--organ-type", "township", db=db)
    assert p.returncode == 0, p.stderr
    first = int(p.stdout.strip())
    p = gongkai("import", str(write_report(tmp_path / "a.json", full_report(2025, organ="某某区人民政府", organ_type="government"))), db=db)
    assert p.returncode == 0, p.stderr
    imported = int(p.stdout.strip())
    p = gongkai("list", db=db)
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 2 and {int(line.split("\t")[0]) for line in lines} == {first, imported}
    listing = json.loads(gongkai("list", "--json", db=db).stdout)
    assert {r["organ"] for r in listing} == {"某某街道办事处", "某某区人民政府"}
    # dump → the same exchange file as the one imported
    out = tmp_path / "dumped.json"
    assert gongkai("dump", str(imported), "-o", str(out), db=db).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["tables"] == json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["tables"]
    # check by id
    assert gongkai("check", str(imported), db=db).returncode == 0
    assert gongkai("check", str(first), db=db).returncode == 1  # an empty new report has errors
    # carry over to the next year
    p = gongkai("carry", str(first), "--to-year", "2025", db=db)
    assert p.returncode == 0, p.stderr
    carried = int(p.stdout.strip())
    dumped = json.loads(gongkai("dump", str(carried), db=db).stdout)
    assert dumped["meta"]["year"] == 2025 and dumped["meta"]["organ"] == "某某街道办事处"


def test_store_bad_input(tmp_path):
    db = tmp_path / "r.db"
    p = gongkai("new", "--organ", "x", "--year", "2017", db=db)
    assert p.returncode == 2 and "2017" in p.stderr
    p = gongkai("dump", "999", db=db)
    assert p.returncode == 2 and "999" in p.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "gongkai-report", "schema": 1, "format": "gb2021", "meta": {"organ": "x", "year": 2025}, '
                   '"tables": {"requests": {"new": {"natural_person": -1}}}}', encoding="utf-8")
    p = gongkai("import", str(bad), db=db)
    assert p.returncode == 2 and "不能是负数" in p.stderr
    assert json.loads(gongkai("list", "--json", db=db).stdout) == []


def test_check_does_not_import_heavy_modules():
    code = ("import sys, runpy; sys.argv=['gongkai','check','resources/example-report.json'];\n"
            "try:\n runpy.run_module('gongkai_desktop', run_name='__main__')\nexcept SystemExit: pass\n"
            "heavy=[m for m in ('PySide6','reportlab','docx','fontTools') if m in sys.modules]; print('HEAVY', heavy)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert "HEAVY []" in p.stdout, p.stdout + p.stderr
