"""The command line as a clerk's script or a supervising office would use it: real processes,
exit codes, Chinese messages on stderr, and never a traceback for bad input."""

import importlib.util
import json
import os
import re
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


def test_format_text_and_json():
    p = gongkai("format", "--year", "2025")
    assert p.returncode == 0 and "gb2021" in p.stdout and "三、收到和处理政府信息公开申请情况" in p.stdout
    p = gongkai("format", "--year", "2020", "--json")
    data = json.loads(p.stdout)
    assert data["format"] == "gb2019"
    req = data["tables"]["requests"]
    row = next(r for r in req["rows"] if r["id"] == "withheld_safety")
    assert row == {"id": "withheld_safety", "label": "3.危及“三安全一稳定”", "parents": ["三、本年度办理结果", "（三）不予公开"]}
    col = next(c for c in req["columns"] if c["id"] == "business")
    assert col["parents"] == ["申请人情况", "法人或其他组织"]
    assert {r["id"] for r in data["rules"]} >= {"R1", "R2", "R3", "R4", "R5", "R7", "B1"}


@pytest.mark.parametrize("year", ["2018", "2099"])
def test_format_bad_year(year):
    p = gongkai("format", "--year", year)
    assert p.returncode == 2 and year in p.stderr


def test_check_file_exit_codes(tmp_path):
    good = write_report(tmp_path / "good.json", full_report(2025))
    p = gongkai("check", str(good))
    assert p.returncode == 0 and "检查通过" in p.stdout
    bad = full_report(2025)
    bad.values[("requests", "disclosed", "natural_person")] += 1  # a cell the text does not quote
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
    bad.write_text('{"kind": "gongkai-report", "version": 2, "format": "gb2021", "meta": {"organ": "x", "year": 2025}, '
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


# -- --db and GONGKAI_DB, wherever they are written ------------------------------------------------

def _every_command(tmp_path, report_file):
    """One invocation of every subcommand against report 1 of the target database."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return {
        "format": ["format", "--year", "2025"],
        "new": ["new", "--organ", "某某局", "--year", "2025"],
        "list": ["list", "--json"],
        "import": ["import", str(report_file)],
        "dump": ["dump", "1"],
        "carry": ["carry", "1", "--to-year", "2026"],
        "check": ["check", "1"],
        "sentences": ["sentences", "1", "--json"],
        "sentences": ["sentences", "1"],  # engineer E
        "export": ["export", "1", "--docx", str(out / "r.docx")],
        "jiedu": ["jiedu", "1", "--html", str(out / "j.html")],
        "package": ["package", "1", "--out", str(out), "--no-zip"],
        "read": ["read", str(out / "r.docx")],  # the Word file "export" just wrote
        "ledger": ["ledger", str(report_file), "--year", "2025", "--into", "1"],
        "collect": ["collect", "--year", "2025", "--json"],
    }


# Commands whose own work is checked in their own tests: here they only have to reach the target
# database (never the default one, never "report 1 not found").
_ONLY_REACH = {"jiedu", "package", "read", "ledger", "collect"}


@pytest.mark.parametrize("way", ["before", "after", "env"])
def test_every_subcommand_honours_db_and_gongkai_db(tmp_path, monkeypatch, capsys, way):
    from gongkai_desktop import cli
    from gongkai_desktop.storage.store import Store
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("GONGKAI_DB", raising=False)
    default_db = Store.default_path()
    target = tmp_path / "target.db"
    with Store.open(target, backups=False) as store:
        assert store.add(full_report(2025)) == 1
    report_file = write_report(tmp_path / "a.json", full_report(2024))
    commands = _every_command(tmp_path, report_file)
    sub = next(a for a in cli.build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    assert set(commands) == set(sub.choices), "a new subcommand needs a line in _every_command"
    if importlib.util.find_spec("gongkai_desktop.documents.package") is None:  # being written by another engineer
        del commands["package"]
    for name, argv in commands.items():
        if way == "before":
            argv = ["--db", str(target), *argv]
        elif way == "after":
            argv = [*argv, "--db", str(target)]
        else:
            monkeypatch.setenv("GONGKAI_DB", str(target))
        rc = cli.main(argv)
        err = capsys.readouterr().err
        # Report 1 exists only in the target database: not finding it means --db was ignored.
        assert "找不到编号为 1 的年报" not in err, (name, err)
        if name not in _ONLY_REACH:
            assert rc in (0, 1), (name, err)
    assert not default_db.exists()
    with Store.open(target, backups=False) as store:
        organs = sorted((r.organ, r.year) for r in store.list_reports())
    # the first report, new, import (2024), carry (2026) and the report read from the Word file
    assert organs == sorted([("某某市生态环境局", 2025), ("某某局", 2025), ("某某市生态环境局", 2024),
                             ("某某市生态环境局", 2026), ("某某市生态环境局", 2025)])


# -- every message Chinese -------------------------------------------------------------------------

ARGPARSE_ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|choose from|"
                              r"the following arguments|unrecognized arguments|invalid \w+ value|"
                              r"expected one argument|error:|argument ")


@pytest.mark.parametrize("argv", [
    ["-h"], ["new", "-h"], ["export", "--help"], ["frobnicate"], ["check"], ["new", "--organ", "x"],
    ["list", "--bogus"], ["new", "--organ", "x", "--year", "二〇二五"], ["dump", "one"], ["carry", "1", "--to-year"],
    ["--db"],
])
def test_every_command_line_message_is_chinese(argv, capsys):
    from gongkai_desktop import cli
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    out = capsys.readouterr()
    text = out.out + out.err
    assert text.strip() and not ARGPARSE_ENGLISH.search(text), text
    assert exc.value.code in (0, 2)
    if exc.value.code == 2:
        assert "命令有误" in out.err and "用法：" in out.err
    else:  # help: Chinese headings with a Chinese colon, Chinese placeholders for the values
        assert "选项：" in out.out and not re.search(r"\b(YEAR|ORGAN|TO_YEAR)\b", out.out)


def test_bad_exchange_file_exits_2_in_chinese(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "gongkai-report", "version": 2, "format": "gb2021", '
                   '"meta": {"organ": "x", "year": 2025, "organ_type": ["department"], "status": "已定稿"}, '
                   '"explanations": {"R5:\\ud800": "x"}}', encoding="utf-8")
    for cmd in ("import", "check"):
        p = gongkai(cmd, str(bad), db=tmp_path / "r.db")
        assert p.returncode == 2 and "没有写入任何内容" in p.stderr, p.stderr


def test_dump_into_a_folder_uses_a_safe_name_inside_it(tmp_path):
    db = tmp_path / "r.db"
    folder = tmp_path / "chosen"
    folder.mkdir()
    for organ in ("../../etc/x", "某某局/办公室", "某" * 300):
        p = gongkai("import", str(write_report(tmp_path / "a.json", full_report(2025, organ=organ))), db=db)
        assert p.returncode == 0, p.stderr
        p = gongkai("dump", p.stdout.strip(), "-o", str(folder), db=db)
        assert p.returncode == 0, p.stderr
        written = Path(p.stdout.strip())
        assert written.parent == folder and written.is_file()
    assert len(list(folder.iterdir())) == 3 and not (tmp_path / "etc").exists()


def test_unreadable_and_unwritable_paths_are_chinese(tmp_path):
    db = tmp_path / "r.db"
    p = gongkai("import", str(tmp_path), db=db)  # a folder, not a file
    assert p.returncode == 2 and "无法读取" in p.stderr and "directory" not in p.stderr.lower(), p.stderr
    p = gongkai("import", str(write_report(tmp_path / "a.json", full_report(2025))), db=db)
    p = gongkai("dump", p.stdout.strip(), "-o", str(tmp_path / "missing" / "r.json"), db=db)
    assert p.returncode == 2 and "不存在" in p.stderr, p.stderr
    p = gongkai("dump", "1", "-o", str(tmp_path / ("长" * 300 + ".json")), db=db)
    assert p.returncode == 2 and "过长" in p.stderr and "too long" not in p.stderr, p.stderr
