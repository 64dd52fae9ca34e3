"""The SQLite store: edits, revisions, summaries, carry-over, migrations, backups, damage,
two programs on one file and a program killed mid-edit. Every database lives in tmp_path."""

from __future__ import annotations

import datetime as _dt
import os
import re
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlite_utils import Database

from gongkai_desktop import texts as T
from gongkai_desktop.storage import migrations, store as store_mod
from gongkai_desktop.errors import InvalidValue, NotFound, ReportLocked, StoreError, YearError
from gongkai_desktop.report.model import Report
from gongkai_desktop.storage.store import MIGRATIONS, CarryExists, Revision, Store, ReportSummary

from sample import full_report

ROOT = Path(__file__).resolve().parents[1]
NEW_NP = ("requests", "new", "natural_person")
TOTAL_NP = ("requests", "total", "natural_person")  # derived
THIS_YEAR = _dt.date.today().year
Y = THIS_YEAR - 2  # a year that can always be carried into Y + 1


def counting_checker(calls: list[int]):
    def check(report: Report) -> tuple[int, int]:
        calls.append(report.id)
        return (len(report.sections.get("overview", "")), 7)

    return check


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reports.db"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path, checker=lambda r: (0, 0))
    yield s
    s.close()


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path))
    conn.row_factory = sqlite3.Row
    return conn


def run_child(code: str, *args: str, **kw) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


# ---------------------------------------------------------------------------------------------
# Location and setup


def test_default_path_honours_env_and_platformdirs(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGKAI_DB", str(tmp_path / "x" / "mine.db"))
    assert Store.default_path() == tmp_path / "x" / "mine.db"
    s = Store.open()
    try:
        assert s.path == tmp_path / "x" / "mine.db"
        assert s.path.is_file()
    finally:
        s.close()
    monkeypatch.delenv("GONGKAI_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert Store.default_path() == tmp_path / "xdg" / "gongkai_desktop" / "reports.db"


def test_explicit_path_beats_env(monkeypatch, tmp_path):
    monkeypatch.setenv("GONGKAI_DB", str(tmp_path / "env.db"))
    with Store.open(tmp_path / "arg.db") as s:
        assert s.path == tmp_path / "arg.db"
    assert (tmp_path / "arg.db").exists() and not (tmp_path / "env.db").exists()


def test_wal_and_full_sync(store):
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 3000


# ---------------------------------------------------------------------------------------------
# Reports and edits


def test_create_edit_reopen_round_trip(db_path):
    with Store.open(db_path, checker=lambda r: (0, 0)) as s:
        rid = s.create("  某某县教育局 ", Y, "department")
        s.set_value(rid, NEW_NP, 12)
        s.set_value(rid, ("requests", "disclosed", "natural_person"), 10)
        s.set_value(rid, ("requests", "partial", "natural_person"), 2)
        s.set_value(rid, ("proactive", "fees", "fee_amount"), Decimal("0.0920"))
        s.set_section(rid, "overview", "（一）主动公开。本年度……")
        s.set_meta(rid, "issue_date", "2024年1月20日")
        s.set_meta(rid, "signoff", "某某县教育局办公室")
        s.set_meta(rid, "units", {"proactive/fees/fee_amount": "万元"})
        s.set_explanation(rid, "R9:row=rules", "规章由市政府统一清理。")
    with Store.open(db_path, checker=lambda r: (0, 0)) as s:
        r = s.load(rid)
    assert r.id == rid and r.meta.organ == "某某县教育局" and r.meta.year == Y and r.format_id == "gb2021"
    assert r.value(NEW_NP) == 12 and isinstance(r.value(NEW_NP), int)
    fee = r.value(("proactive", "fees", "fee_amount"))
    assert fee == Decimal("0.0920") and str(fee) == "0.0920"
    assert r.value(TOTAL_NP) == 12  # derived: computed from the parts
    assert r.sections["overview"] == "（一）主动公开。本年度……" and r.sections["problems"] == ""
    assert r.meta.issue_date == _dt.date(2024, 1, 20)
    assert r.meta.signoff == "某某县教育局办公室"
    assert r.meta.units == {"proactive/fees/fee_amount": "万元"}
    assert r.explanations == {"R9:row=rules": "规章由市政府统一清理。"}
    # every typed cell has an entry, blank ones are None
    assert r.values[("requests", "carried", "business")] is None
    assert r.uid and r.status == "draft" and r.updated_at


def test_create_refuses_bad_input(store):
    with pytest.raises(YearError):
        store.create("某局", 2015)
    with pytest.raises(YearError):
        store.create("某局", THIS_YEAR + 1)
    with pytest.raises(InvalidValue, match=re.escape(T.ORGAN_REQUIRED)):
        store.create("  ", Y)
    with pytest.raises(InvalidValue):
        store.create("某局", Y, "ministry")
    assert store.list_reports() == []


def test_set_value_refuses_derived_and_unknown_keys(store):
    rid = store.create("某局", Y)
    with pytest.raises(InvalidValue, match="自动计算"):
        store.set_value(rid, TOTAL_NP, 3)
    with pytest.raises(InvalidValue, match="没有单元格"):
        store.set_value(rid, ("requests", "nope", "natural_person"), 3)  # not-an-id
    with pytest.raises(InvalidValue):
        store.set_value(rid, NEW_NP, -1)  # counts are not negative
    with pytest.raises(InvalidValue):
        store.set_value(rid, NEW_NP, Decimal("1.5"))  # counts are whole
    stored = raw(store.path).execute("SELECT tab, row, col FROM cells").fetchall()
    assert stored == []
    assert [r.what for r in store.revisions(rid)] == ["create"]


def test_derived_keys_never_stored_and_declared_kept(store):
    report = full_report(Y, "某某市生态环境局")
    report.declared[TOTAL_NP] = 999
    report.explanations["R1:col=total"] = "已核实。"
    rid = store.add(report)
    conn = raw(store.path)
    fmt = report.format
    keys = {tuple(r) for r in conn.execute("SELECT tab, row, col FROM cells WHERE report_id = ?", (rid,))}
    assert keys and not keys & set(fmt.derived)
    assert conn.execute("SELECT value FROM declared WHERE report_id = ?", (rid,)).fetchall()[0][0] == "999"
    loaded = store.load(rid)
    assert loaded.declared == {TOTAL_NP: 999}
    assert loaded.explanations == {"R1:col=total": "已核实。"}
    assert loaded.values == report.values and loaded.sections == {
        k: v for k, v in report.sections.items()} | {"appeals": ""}
    assert loaded.meta == report.meta
    store.clear_declared(rid, TOTAL_NP)
    assert store.load(rid).declared == {}
    rev = store.revisions(rid)[0]
    assert (rev.what, rev.old, rev.new) == ("declared:requests/total/natural_person", "999", None)


def test_add_is_all_or_nothing(store):
    report = full_report(Y)
    report.values[TOTAL_NP] = 5  # a total among the typed values: an importer bug
    with pytest.raises(InvalidValue):
        store.add(report)
    report = full_report(Y)
    report.values[("requests", "ghost", "natural_person")] = 5  # not-an-id
    with pytest.raises(InvalidValue):
        store.add(report)
    conn = raw(store.path)
    for table in ("reports", "cells", "sections", "revisions"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_add_keeps_status_and_example(store):
    report = full_report(Y)
    report.status, report.finalized_at, report.example = "final", "2024-01-21T10:00:00+08:00", True
    rid = store.add(report)
    loaded = store.load(rid)
    assert loaded.status == "final" and loaded.example
    assert store.revisions(rid)[0].what == "import"


def test_each_edit_is_logged_and_bumps_updated_at(store):
    rid = store.create("某局", Y)
    conn = raw(store.path)

    def age():
        conn.execute("UPDATE reports SET updated_at = '2000-01-01T00:00:00+08:00' WHERE id = ?", (rid,))
        conn.commit()

    def updated():
        return conn.execute("SELECT updated_at FROM reports WHERE id = ?", (rid,)).fetchone()[0]

    edits = [
        (lambda: store.set_value(rid, NEW_NP, 4), ("cell:requests/new/natural_person", None, "4")),
        (lambda: store.set_value(rid, NEW_NP, 5), ("cell:requests/new/natural_person", "4", "5")),
        (lambda: store.set_value(rid, NEW_NP, None), ("cell:requests/new/natural_person", "5", None)),
        (lambda: store.set_section(rid, "problems", "问题"), ("section:problems", "", "问题")),
        (lambda: store.set_meta(rid, "organ_type", "government"), ("meta:organ_type", "department", "government")),
        (lambda: store.set_meta(rid, "issue_date", _dt.date(2024, 2, 1)), ("meta:issue_date", None, "2024-02-01")),
        (lambda: store.set_explanation(rid, "T2", "沿用上年表述"), ("explanation:T2", None, "沿用上年表述")),
        (lambda: store.finalize(rid), ("finalize", "draft", "final")),
        (lambda: store.reopen(rid, "补充数据"), ("reopen", "final", "补充数据")),
    ]
    for do, expected in edits:
        age()
        do()
        assert updated() != "2000-01-01T00:00:00+08:00", expected
        last = store.revisions(rid, limit=1)[0]
        assert isinstance(last, Revision) and last.report_id == rid
        assert (last.what, last.old, last.new) == expected
        assert _dt.datetime.fromisoformat(last.at)
    assert len(store.revisions(rid)) == len(edits) + 1
    assert len(store.revisions(rid, limit=3)) == 3


def test_unchanged_value_is_not_an_edit(store):
    rid = store.create("某局", Y)
    store.set_value(rid, NEW_NP, 4)
    n = len(store.revisions(rid))
    store.set_value(rid, NEW_NP, 4)
    store.set_value(rid, NEW_NP, Decimal("4"))
    store.set_section(rid, "overview", "")
    store.set_meta(rid, "organ", "某局")
    assert len(store.revisions(rid)) == n


def test_text_edits_within_a_minute_fold_into_one_revision(store):
    rid = store.create("某局", Y)
    for text in ("一", "一二", "一二三"):
        store.set_section(rid, "overview", text)
    revs = [r for r in store.revisions(rid) if r.what == "section:overview"]
    assert [(r.old, r.new) for r in revs] == [("", "一二三")]
    # a cell edit in between starts a new revision for the next text edit
    store.set_value(rid, NEW_NP, 1)
    store.set_section(rid, "overview", "改")
    revs = [r for r in store.revisions(rid) if r.what == "section:overview"]
    assert [(r.old, r.new) for r in revs] == [("一二三", "改"), ("", "一二三")]
    # an old revision is not folded into
    conn = raw(store.path)
    conn.execute("UPDATE revisions SET at = '2000-01-01T00:00:00+08:00' WHERE what = 'section:overview'")
    conn.commit()
    store.set_section(rid, "overview", "再改")
    assert len([r for r in store.revisions(rid) if r.what == "section:overview"]) == 3


def test_section_and_meta_validation(store):
    rid = store.create("某局", Y)
    with pytest.raises(InvalidValue):
        store.set_section(rid, "nope", "x")
    with pytest.raises(InvalidValue, match="超过"):
        store.set_section(rid, "overview", "字" * 200_001)
    with pytest.raises(InvalidValue, match=re.escape(T.ORGAN_REQUIRED)):
        store.set_meta(rid, "organ", " ")
    with pytest.raises(InvalidValue):
        store.set_meta(rid, "year", 2020)
    with pytest.raises(InvalidValue):
        store.set_meta(rid, "issue_date", "去年")
    with pytest.raises(InvalidValue):
        store.set_meta(rid, "units", {"proactive/fees/fee_amount": "元"})  # gb2021: 万元 only
    with pytest.raises(InvalidValue):
        store.set_meta(rid, "units", {"requests/new/ghost": "件"})  # not-an-id
    assert [r.what for r in store.revisions(rid)] == ["create"]


def test_explanation_empty_text_deletes(store):
    rid = store.create("某局", Y)
    store.set_explanation(rid, "T2", "理由")
    store.set_explanation(rid, "T2", "")
    assert store.load(rid).explanations == {}
    # written and removed within a minute: nothing to show in the history
    assert all(r.what != "explanation:T2" for r in store.revisions(rid))
    conn = raw(store.path)
    assert conn.execute("SELECT count(*) FROM explanations").fetchone()[0] == 0
    store.set_explanation(rid, "T2", "理由")
    conn.execute("UPDATE revisions SET at = '2000-01-01T00:00:00+08:00'")
    conn.commit()
    store.set_explanation(rid, "T2", "")
    last = store.revisions(rid, 1)[0]
    assert (last.what, last.old, last.new) == ("explanation:T2", "理由", None)


def test_final_report_refuses_edits_until_reopened(store):
    rid = store.create("某局", Y)
    store.set_value(rid, NEW_NP, 1)
    store.finalize(rid)
    assert store.load(rid).status == "final" and store.load(rid).finalized_at
    for edit in (
        lambda: store.set_value(rid, NEW_NP, 2),
        lambda: store.clear_declared(rid, TOTAL_NP),
        lambda: store.set_section(rid, "overview", "x"),
        lambda: store.set_meta(rid, "signoff", "x"),
        lambda: store.set_explanation(rid, "T2", "x"),
    ):
        with pytest.raises(ReportLocked) as exc:
            edit()
        assert str(exc.value) == T.REPORT_FINAL
    assert store.load(rid).value(NEW_NP) == 1
    store.set_position(rid, {"section": "requests"})  # not an edit: allowed
    store.reopen(rid, "发现错误")
    assert store.load(rid).status == "draft" and store.load(rid).finalized_at is None
    store.set_value(rid, NEW_NP, 2)
    assert store.load(rid).value(NEW_NP) == 2


def test_position_is_not_an_edit(store):
    rid = store.create("某局", Y)
    assert store.get_position(rid) == {}
    before = store.load(rid).updated_at
    conn = raw(store.path)
    conn.execute("UPDATE reports SET updated_at = 'then', summary_stale = 0 WHERE id = ?", (rid,))
    conn.commit()
    n = len(store.revisions(rid))
    store.set_position(rid, {"section": "requests", "cell": ["requests", "new", "business"], "scroll": 120})
    assert store.get_position(rid) == {"section": "requests", "cell": ["requests", "new", "business"], "scroll": 120}
    row = conn.execute("SELECT updated_at, summary_stale FROM reports WHERE id = ?", (rid,)).fetchone()
    assert tuple(row) == ("then", 0) and before
    assert len(store.revisions(rid)) == n
    with pytest.raises(NotFound):
        store.set_position(9999, {})


def test_not_found(store):
    for call in (lambda: store.load(42), lambda: store.set_value(42, NEW_NP, 1),
                 lambda: store.revisions(42), lambda: store.get_position(42), lambda: store.delete(42),
                 lambda: store.carry(42, Y + 1), lambda: store.copy(42), lambda: store.purge(42)):
        with pytest.raises(NotFound) as exc:
            call()
        assert str(exc.value) == T.REPORT_NOT_FOUND.format(id=42)


def test_recycle_bin(store):
    a = store.create("甲局", Y)
    b = store.create("乙局", Y)
    store.delete(a)
    assert [s.id for s in store.list_reports()] == [b]
    binned = store.list_reports(deleted=True)
    assert [s.id for s in binned] == [a] and binned[0].deleted_at
    assert store.find("甲局", Y) is None
    store.restore(a)
    assert {s.id for s in store.list_reports()} == {a, b}
    assert store.find("甲局", Y) == a
    store.delete(a)
    store.purge(a)
    assert store.list_reports(deleted=True) == []
    conn = raw(store.path)
    for table in ("reports", "cells", "sections", "revisions"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE "
                            f"{'id' if table == 'reports' else 'report_id'} = ?", (a,)).fetchone()[0] == 0
    with pytest.raises(NotFound):
        store.load(a)
    assert [r.what for r in store.revisions(b)] == ["create"]


def test_copy(store):
    src = store.add(full_report(Y))
    store.finalize(src)
    cp = store.copy(src)
    assert cp != src
    a, b = store.load(src), store.load(cp)
    assert b.values == a.values and b.sections == a.sections and b.meta == a.meta
    assert b.status == "draft" and b.uid != a.uid
    assert store.revisions(cp)[0].what == "copy" and store.revisions(cp)[0].new == str(src)
    store.set_value(cp, NEW_NP, 0)
    assert store.load(src).value(NEW_NP) != 0


def test_list_order_and_fields(store):
    ids = {}
    for organ, year in (("乙局", Y - 1), ("甲局", Y), ("乙局", Y), ("丙局", Y - 2)):
        ids[(organ, year)] = store.create(organ, year)
    listed = store.list_reports()
    assert [(s.organ, s.year) for s in listed] == sorted(
        [(o, y) for o, y in ids], key=lambda k: (-k[1], k[0]))
    s = listed[0]
    assert isinstance(s, ReportSummary) and s.status == "draft" and s.example is False
    assert s.format_id == "gb2021" and s.deleted_at is None and 0 <= s.progress < 1


# ---------------------------------------------------------------------------------------------
# Cached summaries


def test_summaries_cached_and_recomputed_only_when_stale(db_path):
    calls: list[int] = []
    with Store.open(db_path, checker=counting_checker(calls)) as s:
        a = s.create("甲局", Y)
        b = s.create("乙局", Y)
        first = {x.id: x for x in s.list_reports()}
        assert sorted(calls) == [a, b]
        assert first[a].errors == 0 and first[a].warnings == 7
        calls.clear()
        s.list_reports()
        assert calls == []  # cached
        s.set_section(a, "overview", "12345")
        now = {x.id: x for x in s.list_reports()}
        assert calls == [a]
        assert now[a].errors == 5 and now[a].progress > first[a].progress
        assert now[b] == first[b]
        calls.clear()
        s.set_position(a, {"x": 1})
        s.list_reports()
        assert calls == []
    # the cache survives a reopen
    calls.clear()
    with Store.open(db_path, checker=counting_checker(calls)) as s:
        assert {x.id: x.errors for x in s.list_reports()}[a] == 5
        assert calls == []


def test_edit_of_last_year_marks_next_year_stale(store):
    calls: list[int] = []
    store._checker = counting_checker(calls)
    old = store.create("甲局", Y - 1)
    new = store.create("甲局", Y)
    other = store.create("乙局", Y)
    store.list_reports()
    calls.clear()
    store.set_value(old, NEW_NP, 3)
    store.list_reports()
    assert sorted(calls) == sorted([old, new])
    assert other not in calls


def test_fingerprint_change_marks_all_stale(db_path, monkeypatch):
    calls: list[int] = []
    with Store.open(db_path, checker=counting_checker(calls)) as s:
        s.create("甲局", Y)
        s.list_reports()
    calls.clear()
    monkeypatch.setattr(store_mod, "_fingerprint", lambda: "a new program version")
    with Store.open(db_path, checker=counting_checker(calls)) as s:
        s.list_reports()
    assert len(calls) == 1


def test_fingerprint_covers_the_text_checks(tmp_path):
    import shutil

    copy = tmp_path / "report"
    shutil.copytree(store_mod.CHECK_SOURCES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert store_mod._fingerprint(copy) == store_mod._fingerprint()
    checks = sorted(p for p in copy.rglob("*.py") if p.parent != copy)  # e.g. report/text/*.py
    assert checks, "the report room has sub-packages of checks"
    checks[0].write_text(checks[0].read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert store_mod._fingerprint(copy) != store_mod._fingerprint()


def test_default_checker_is_used_when_rules_exist(db_path):
    pytest.importorskip("gongkai_desktop.report.rules")
    with Store.open(db_path) as s:
        rid = s.add(full_report(Y))
        blank = s.create("空白局", Y)
        summaries = {x.id: x for x in s.list_reports()}
    from gongkai_desktop.report.rules import count_findings

    with Store.open(db_path) as s:
        assert (summaries[rid].errors, summaries[rid].warnings) == count_findings(s.load(rid))
        assert summaries[blank].errors > 0


def test_default_checker_missing_is_harmless(db_path, monkeypatch):
    monkeypatch.setattr(store_mod, "_default_checker", lambda: None)
    with Store.open(db_path) as s:
        rid = s.create("甲局", Y)
        s.set_section(rid, "overview", "x")
        listed = s.list_reports()
        assert listed[0].errors == 0 and listed[0].progress > 0
        # not cached as checked: a later program with rules recomputes
        assert raw(db_path).execute("SELECT summary_stale FROM reports").fetchone()[0] != 0


def test_edits_do_not_reload_the_report(store, monkeypatch):
    rid = store.add(full_report(Y))

    def boom(*a, **k):
        raise AssertionError("an edit loaded the whole report")

    monkeypatch.setattr(Store, "load", boom)
    monkeypatch.setattr(Store, "_load", boom)
    store.set_value(rid, NEW_NP, 1)
    store.set_section(rid, "overview", "x")
    store.set_meta(rid, "signoff", "y")
    store.set_explanation(rid, "T2", "z")


# ---------------------------------------------------------------------------------------------
# Carry-over


def test_carry_same_format(store):
    src = store.add(full_report(Y, "某某市生态环境局"))
    store.set_meta(src, "signoff", "某某市生态环境局办公室")
    store.set_meta(src, "units", {"proactive/fees/fee_amount": "万元"})
    old = store.load(src)
    new_id = store.carry(src, Y + 1)
    new = store.load(new_id)
    assert new.meta.year == Y + 1 and new.format_id == "gb2021"
    assert new.meta.organ == old.meta.organ and new.meta.organ_type == old.meta.organ_type
    assert new.meta.signoff == "某某市生态环境局办公室"
    assert new.meta.units == {"proactive/fees/fee_amount": "万元"}
    assert new.meta.issue_date is None
    assert new.status == "draft"
    fmt = new.format
    for col in fmt.tables["requests"].columns():
        carried, forward = ("requests", "carried", col.id), ("requests", "carry_forward", col.id)
        assert new.value(carried) == old.value(forward), col.id
        if carried in fmt.derived:
            assert carried not in new.values
    assert new.value(("requests", "carried", "natural_person")) == 6
    # everything else starts blank
    assert new.value(NEW_NP) is None and new.value(("appeals", "counts", "review_upheld")) is None
    for sid, text in old.sections.items():
        assert new.sections.get(sid, "") == text
    assert new.previous is not None and new.previous.id == src
    assert store.revisions(new_id)[0].what == "carry"


def test_carry_across_formats(store):
    src = store.add(full_report(2020, "某某县人民政府", "government"))
    assert store.load(src).format_id == "gb2019"
    new_id = store.carry(src, 2021)
    new = store.load(new_id)
    assert new.format_id == "gb2021" and new.meta.organ_type == "government"
    assert new.value(("requests", "carried", "natural_person")) == 6
    assert new.value(("requests", "carried", "business")) == 1
    # gb2019's 元/万元 choice for a cell gb2021 does not have is not carried
    assert new.meta.units == {}
    # nothing of gb2019's table 二 lands in gb2021 (different columns)
    assert all(v is None for k, v in new.values.items() if k[0] == "proactive")
    assert new.sections["overview"] == store.load(src).sections["overview"]
    assert new.previous.format_id == "gb2019"


def test_carry_refuses_wrong_year_and_existing(store):
    src = store.create("甲局", Y)
    with pytest.raises(YearError) as exc:
        store.carry(src, Y + 2)
    assert str(exc.value) == T.CARRY_WRONG_YEAR.format(year=Y, next=Y + 1, to=Y + 2)
    there = store.create("甲局", Y + 1)
    with pytest.raises(CarryExists) as exc:
        store.carry(src, Y + 1)
    assert exc.value.report_id == there
    assert str(exc.value) == T.CARRY_EXISTS.format(organ="甲局", year=Y + 1, id=there)
    store.delete(there)  # a binned one does not block
    assert store.carry(src, Y + 1) != there


def test_previous_is_live_then_baseline(store):
    src = store.add(full_report(Y, "甲局"))
    new_id = store.carry(src, Y + 1)
    # live: an edit to last year's report is seen
    store.set_value(src, ("requests", "carry_forward", "business"), 9)
    assert store.load(new_id).previous.value(("requests", "carry_forward", "business")) == 9
    # deleted, then purged: the frozen baseline (as carried) takes over
    store.delete(src)
    prev = store.load(new_id).previous
    assert prev is not None and prev.id is None
    assert prev.value(("requests", "carry_forward", "business")) == 1
    assert prev.meta.year == Y and prev.meta.organ == "甲局"
    assert prev.sections["overview"] == full_report(Y, "甲局").sections["overview"]
    store.purge(src)
    prev = store.load(new_id).previous
    assert prev.value(("requests", "carry_forward", "natural_person")) == 6
    assert prev.value(("requests", "total", "natural_person")) == full_report(Y, "甲局").value(
        ("requests", "total", "natural_person"))


def test_previous_found_without_carry(store):
    old = store.create("甲局", Y - 1)
    store.create("乙局", Y - 1)
    new = store.create("甲局", Y)
    assert store.load(new).previous.id == old
    assert store.load(old).previous is None


# ---------------------------------------------------------------------------------------------
# Migrations

V1_SCHEMA = """
CREATE TABLE "_sqlite_migrations" ("id" INTEGER PRIMARY KEY, "migration_set" TEXT, "name" TEXT, "applied_at" TEXT);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name" ON "_sqlite_migrations" ("migration_set", "name");
CREATE TABLE reports (id INTEGER PRIMARY KEY, uid TEXT NOT NULL, organ TEXT NOT NULL, organ_type TEXT NOT NULL,
  year INTEGER NOT NULL, format_id TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'draft', finalized_at TEXT,
  issue_date TEXT, signoff TEXT NOT NULL DEFAULT '', opening TEXT NOT NULL DEFAULT '',
  units TEXT NOT NULL DEFAULT '{}', example INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL, deleted_at TEXT);
CREATE INDEX reports_organ_year ON reports (organ, year);
CREATE TABLE cells (report_id INTEGER NOT NULL, tab TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value TEXT, PRIMARY KEY (report_id, tab, row, col)) WITHOUT ROWID;
CREATE TABLE declared (report_id INTEGER NOT NULL, tab TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,
  value TEXT, PRIMARY KEY (report_id, tab, row, col)) WITHOUT ROWID;
CREATE TABLE sections (report_id INTEGER NOT NULL, section_id TEXT NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (report_id, section_id)) WITHOUT ROWID;
CREATE TABLE explanations (report_id INTEGER NOT NULL, finding_key TEXT NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (report_id, finding_key)) WITHOUT ROWID;
CREATE TABLE revisions (id INTEGER PRIMARY KEY, report_id INTEGER NOT NULL, at TEXT NOT NULL, what TEXT NOT NULL,
  old TEXT, new TEXT);
CREATE INDEX revisions_report ON revisions (report_id, id);
INSERT INTO _sqlite_migrations (migration_set, name, applied_at)
  VALUES ('gongkai_desktop', '0001_initial', '2025-01-01 00:00:00+00:00');
INSERT INTO reports (id, uid, organ, organ_type, year, format_id, status, issue_date, signoff, units,
  created_at, updated_at) VALUES (7, 'u7', '某某区民政局', 'department', 2023, 'gb2021', 'draft', '2024-01-15',
  '', '{"proactive/fees/fee_amount": "万元"}', '2024-01-01T09:00:00+08:00', '2024-01-02T09:00:00+08:00');
INSERT INTO cells VALUES (7, 'requests', 'new', 'natural_person', '41');
INSERT INTO cells VALUES (7, 'proactive', 'fees', 'fee_amount', '1.50');
INSERT INTO declared VALUES (7, 'requests', 'total', 'natural_person', '40');
INSERT INTO sections VALUES (7, 'overview', '（一）主动公开。');
INSERT INTO explanations VALUES (7, 'T2', '同上年');
INSERT INTO revisions (report_id, at, what, old, new) VALUES (7, '2024-01-02T09:00:00+08:00',
  'cell:requests/new/natural_person', NULL, '41');
"""


def _schema(conn, tables=("reports", "cells", "declared", "sections", "explanations", "revisions")):
    out = {}
    for t in tables:
        out[t] = [tuple(r)[1:] for r in conn.execute(f"PRAGMA table_xinfo({t})")]
        out[t + ":index"] = sorted(r[1] for r in conn.execute(f"PRAGMA index_list({t})")
                                   if not r[1].startswith("sqlite_autoindex"))
    return out


def test_hand_built_v1_matches_migration_0001(tmp_path):
    hand = sqlite3.connect(str(tmp_path / "hand.db"))
    hand.executescript(V1_SCHEMA)
    db = Database(tmp_path / "mig.db")
    MIGRATIONS.apply(db, stop_before="0002_summary_baseline_sessions")
    assert _schema(hand) == _schema(db.conn)


def test_v1_database_opens_and_upgrades_with_data_intact(db_path):
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(str(db_path))
    conn.executescript(V1_SCHEMA)
    conn.close()
    with Store.open(db_path, checker=lambda r: (1, 2)) as s:
        applied = [m.name for m in MIGRATIONS.applied(s._db)]
        assert applied == migrations.NAMES
        cols = {c.name for c in s._db["reports"].columns}
        assert {"progress", "errors", "warnings", "summary_stale", "baseline", "position"} <= cols
        r = s.load(7)
        assert r.meta.organ == "某某区民政局" and r.meta.issue_date == _dt.date(2024, 1, 15)
        assert r.value(NEW_NP) == 41
        assert r.value(("proactive", "fees", "fee_amount")) == Decimal("1.50")
        assert r.declared == {TOTAL_NP: 40}
        assert r.sections["overview"] == "（一）主动公开。" and r.explanations == {"T2": "同上年"}
        assert r.meta.units == {"proactive/fees/fee_amount": "万元"}
        listed = s.list_reports()
        assert [(x.id, x.errors, x.warnings) for x in listed] == [(7, 1, 2)]
        assert [x.what for x in s.revisions(7)] == ["cell:requests/new/natural_person"]
        s.set_value(7, NEW_NP, 42)
        # the file as it was before the upgrade was backed up first
        backups = s.backups()
        assert backups
        old = sqlite3.connect(str(backups[-1]))
        assert [r[0] for r in old.execute("SELECT name FROM _sqlite_migrations")] == ["0001_initial"]
        assert "progress" not in {r[1] for r in old.execute("PRAGMA table_info(reports)")}
        old.close()
    with Store.open(db_path) as s:
        assert s.load(7).value(NEW_NP) == 42


def test_newer_database_is_refused_untouched(db_path):
    with Store.open(db_path) as s:
        s.create("甲局", Y)
    conn = sqlite3.connect(str(db_path))
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('gongkai_desktop', '0099_from_the_future', 'later')")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as exc:
        Store.open(db_path)
    assert str(exc.value) == T.STORE_NEWER.format(path=db_path, found=99, supported=store_mod.SCHEMA_VERSION)
    assert exc.value.reason == "newer"
    assert db_path.read_bytes() == before


def test_not_a_database(tmp_path):
    p = tmp_path / "notes.db"
    p.write_text("这是一段文字，不是数据库。" * 50, encoding="utf-8")
    with pytest.raises(StoreError) as exc:
        Store.open(p)
    assert str(exc.value) == T.STORE_NOT_DB.format(path=p)
    other = tmp_path / "other.db"
    c = sqlite3.connect(str(other))
    c.execute("CREATE TABLE things (x)")
    c.commit()
    c.close()
    with pytest.raises(StoreError) as exc:
        Store.open(other)
    assert str(exc.value) == T.STORE_NOT_DB.format(path=other)
    assert [r[0] for r in sqlite3.connect(str(other)).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")] == ["things"]


# ---------------------------------------------------------------------------------------------
# Backups, damage and restore


def _stamp(dt: _dt.datetime) -> str:
    return dt.strftime("%Y%m%d-%H%M%S")


def test_backup_at_open_at_most_hourly(db_path):
    with Store.open(db_path) as s:
        assert s.backups() == []  # a brand-new file is not backed up
        s.create("甲局", Y)
    with Store.open(db_path) as s:
        s.wait_for_backup()
        first = s.backups()
        assert len(first) == 1
        assert re.fullmatch(r"reports-\d{8}-\d{6}\.db", first[0].name)
        assert first[0].parent == db_path.parent / "backups"
    with Store.open(db_path) as s:
        assert s.wait_for_backup() is None
        assert s.backups() == first  # within the hour: none
    # make the backup two hours old
    old = first[0].with_name(f"reports-{_stamp(_dt.datetime.now() - _dt.timedelta(hours=2))}.db")
    first[0].rename(old)
    with Store.open(db_path) as s:
        s.wait_for_backup()
        assert len(s.backups()) == 2 and s.backups()[1] == old
    with Store.open(db_path, backups=False) as s:
        assert len(s.backups()) == 2


def test_backup_contents_and_rotation(db_path):
    with Store.open(db_path, backups=False) as s:
        rid = s.create("甲局", Y)
        s.set_value(rid, NEW_NP, 5)  # still in the WAL: the backup API must see it
        made = []
        for i in range(store_mod.B.KEEP_RECENT + 2):
            made.append(s.backup_now())
        kept = s.backups()
        # all taken today: only the newest KEEP_RECENT stay
        assert len(kept) == store_mod.B.KEEP_RECENT
        assert kept == list(reversed(made[-store_mod.B.KEEP_RECENT:]))  # newest first
        assert not made[0].exists() and not made[1].exists()
        b = kept[0]
        assert not Path(str(b) + "-wal").exists()
        conn = sqlite3.connect(str(b))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT value FROM cells WHERE row = 'new'").fetchone()[0] == "5"
        conn.close()
    assert not list((db_path.parent / "backups").glob("*.tmp"))


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    for off in range(page, len(data)):
        data[off] = (off * 7 + 13) % 256
    path.write_bytes(bytes(data))


def _fill(s: Store, n: int = 6) -> list[int]:
    return [s.add(full_report(Y - (i % 3), f"第{i}局")) for i in range(n)]


def test_damaged_file_names_latest_good_backup_and_restores(db_path):
    with Store.open(db_path, backups=False) as s:
        ids = _fill(s)
        good_old = s.backup_now()
        s.set_value(ids[0], NEW_NP, 777)
        good_new = s.backup_now()
        s.set_value(ids[0], NEW_NP, 888)  # after the last backup: lost with the damage
    time.sleep(1.1)
    with Store.open(db_path, backups=False) as s:
        bad = s.backup_now()  # newest backup, about to be damaged too
    _damage(bad)
    _damage(db_path)
    with pytest.raises(StoreError) as exc:
        Store.open(db_path)
    msg = str(exc.value)
    assert "已损坏" in msg and str(db_path) in msg
    assert str(good_new) in msg and "6 份年报" in msg and "需要重新填写" in msg
    assert exc.value.reason == "damaged" and exc.value.backup == good_new
    damage = exc.value.damage
    assert damage.path == db_path and damage.backup == good_new
    assert damage.backup_reports == 6 and damage.damaged_reports is None  # the damaged file cannot be read
    assert abs((damage.backup_time - _dt.datetime.now()).total_seconds()) < 30
    assert store_mod.T.STORE_TIME.format(t=damage.backup_time) in msg
    assert good_old != good_new
    used, moved = Store.restore_latest_backup(db_path)
    assert used == good_new
    assert moved is not None and moved.exists() and moved.name.startswith("reports.db.damaged-")
    assert moved.read_bytes()[:16] == b"SQLite format 3\x00"
    with Store.open(db_path) as s:
        assert s.load(ids[0]).value(NEW_NP) == 777
        assert len(s.list_reports()) == len(ids)


def test_damaged_without_backup(db_path):
    with Store.open(db_path, backups=False) as s:
        _fill(s)
    _damage(db_path)
    with pytest.raises(StoreError) as exc:
        Store.open(db_path)
    assert "已损坏" in str(exc.value) and T.STORE_NO_BACKUP in str(exc.value)
    with pytest.raises(StoreError) as exc:
        Store.restore_latest_backup(db_path)
    assert str(exc.value) == T.STORE_NO_BACKUP
    assert db_path.exists()  # nothing moved


def test_restore_default_path_uses_env(db_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DB", str(db_path))
    with Store.open() as s:
        rid = s.create("甲局", Y)
        s.backup_now()
    db_path.write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreError) as exc:
        Store.open()
    assert exc.value.reason == "damaged"
    used, moved = Store.restore_latest_backup()
    assert used.parent == db_path.parent / "backups" and moved.exists()
    with Store.open() as s:
        assert s.load(rid).meta.organ == "甲局"


# ---------------------------------------------------------------------------------------------
# Two programs, and a program killed mid-edit

WRITER = r"""
import os, sys, time
from gongkai_desktop.storage.store import Store
from gongkai_desktop.report.formats import get_format
path, rid, tag, n, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
fmt = get_format("gb2021")
keys = [k for k in fmt.cells() if k not in fmt.derived and fmt.cell_kind(k) == "count"]
deadline = time.time() + 30
while not os.path.exists(go) and time.time() < deadline:
    time.sleep(0.001)
s = Store.open(path, backups=False, checker=lambda r: (0, 0))
for i in range(n):
    s.set_value(rid, keys[(2 * i + tag) % len(keys)], 1000 * tag + i + 1)
    if i % 10 == 0:
        s.list_reports()
s.close()
print("done")
"""


def test_two_processes_writing_concurrently(db_path):
    with Store.open(db_path, backups=False) as s:
        rid = s.create("甲局", Y)
    go = db_path.parent / "go"
    n = 150
    procs = [run_child(WRITER, str(db_path), str(rid), str(tag), str(n), str(go)) for tag in (0, 1)]
    time.sleep(0.3)
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        # each either worked or failed with the "locked" message — never anything else
        if p.returncode != 0:
            assert T.STORE_LOCKED.format(path=db_path) in err, err
        else:
            assert out.strip() == "done", err
    assert all(p.returncode == 0 for p in procs), [o[1][-800:] for o in outs]
    conn = raw(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(db_path) as s:
        revs = [r for r in s.revisions(rid, limit=1000) if r.what.startswith("cell:")]
        assert len(revs) == 2 * n
        news = {int(r.new) for r in revs}
        assert news == {i + 1 for i in range(n)} | {1000 + i + 1 for i in range(n)}
        report = s.load(rid)
        written = {v for v in report.values.values() if v is not None}
        assert written <= news and len(written) == 165  # every count cell of gb2021 was written


LOCKER = r"""
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE reports SET organ = organ")
print("locked", flush=True)
time.sleep(60)
"""


def test_second_writer_gets_locked_message(db_path):
    s = Store.open(db_path, backups=False, timeout=0.3)
    rid = s.create("甲局", Y)
    locker = run_child(LOCKER, str(db_path))
    try:
        assert locker.stdout.readline().strip() == "locked"
        t0 = time.perf_counter()
        with pytest.raises(StoreError) as exc:
            s.set_value(rid, NEW_NP, 1)
        assert time.perf_counter() - t0 >= 0.25  # it waited for the busy timeout
        assert str(exc.value) == T.STORE_LOCKED.format(path=db_path) and exc.value.reason == "locked"
        # reading still works while the other program writes
        assert s.load(rid).value(NEW_NP) is None
        with pytest.raises(StoreError) as exc:
            Store.open(db_path, backups=False, timeout=0.3)
        assert str(exc.value) == T.STORE_LOCKED.format(path=db_path)
    finally:
        locker.kill()
        locker.communicate()
    s.set_value(rid, NEW_NP, 1)  # and works once the other lets go
    assert s.load(rid).value(NEW_NP) == 1
    assert s._conn.in_transaction is False
    s.close()


KILLED = r"""
import sys
from gongkai_desktop.storage.store import Store
from gongkai_desktop.report.formats import get_format
fmt = get_format("gb2021")
keys = [k for k in fmt.cells() if k not in fmt.derived and fmt.cell_kind(k) == "count"]
s = Store.open(sys.argv[1], backups=False, checker=lambda r: (0, 0))
rid = int(sys.argv[2])
i = 0
while True:
    i += 1
    s.set_value(rid, keys[i % len(keys)], i)
    s.set_section(rid, "overview", "第%d次" % i)
    print(i, flush=True)
"""


def test_killed_mid_edit_loses_no_committed_edit(db_path):
    with Store.open(db_path, backups=False) as s:
        rid = s.create("甲局", Y)
    with Store.open(db_path, backups=False) as s:
        assert not s.was_unclean_shutdown()
    child = run_child(KILLED, str(db_path), str(rid))
    committed = []
    for line in child.stdout:
        committed.append(int(line))
        if len(committed) >= 150:
            break
    child.kill()  # SIGKILL on POSIX: no cleanup runs, the child is between or inside edits
    # Read the rest through the same file object: communicate() reads the pipe beneath it and would
    # miss lines the loop above had already buffered (the child's last reported edits).
    committed += [int(x) for x in child.stdout.read().split()]
    child.wait()
    if child.stderr is not None:
        child.stderr.close()
    assert child.returncode != 0
    with Store.open(db_path, backups=False) as s:
        assert s.was_unclean_shutdown()
        revs = s.revisions(rid, limit=100_000)
        cell_news = {int(r.new) for r in revs if r.what.startswith("cell:")}
        assert set(committed) <= cell_news
        report = s.load(rid)
        last = max(committed)
        assert report.sections["overview"] in ("第%d次" % last, "第%d次" % (last + 1))
    with Store.open(db_path, backups=False) as s:
        assert not s.was_unclean_shutdown()  # that one was closed properly


def test_clean_close_and_concurrent_open_are_not_unclean(db_path):
    a = Store.open(db_path)
    b = Store.open(db_path)  # the same program (a live process) still has it open
    assert not a.was_unclean_shutdown() and not b.was_unclean_shutdown()
    a.close()
    b.close()
    a.close()  # closing twice is harmless
    conn = raw(db_path)
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_edit_latency_is_small(store):
    rid = store.add(full_report(Y))
    times = []
    for i in range(200):
        t0 = time.perf_counter()
        store.set_value(rid, NEW_NP, i)
        times.append(time.perf_counter() - t0)
    times.sort()
    # Only an accidental blow-up (e.g. reloading the report per edit) fails this; the benchmark
    # reports the real figures.
    assert times[len(times) // 2] < 0.05


# ---------------------------------------------------------------------------------------------
# Two windows on one report


def test_other_editors_of_a_report(db_path):
    from gongkai_desktop.storage.store import Editor

    a = Store.open(db_path, backups=False)
    b = Store.open(db_path, backups=False)
    try:
        rid = a.create("甲局", Y)
        other = a.create("乙局", Y)
        assert a.other_editors(rid) == [] and b.other_editors(rid) == []
        a.mark_open(rid)
        assert a.other_editors(rid) == []  # not oneself
        seen = b.other_editors(rid)
        assert len(seen) == 1 and isinstance(seen[0], Editor)
        assert seen[0].pid == os.getpid() and seen[0].host and seen[0].since
        assert b.other_editors(other) == []
        a.mark_closed(rid)
        assert b.other_editors(rid) == []
        a.mark_open(rid)
    finally:
        a.close()
    try:
        assert b.other_editors(rid) == []  # closing the store closes its reports
    finally:
        b.close()


KEEP_OPEN = r"""
import sys, time
from gongkai_desktop.storage.store import Store
s = Store.open(sys.argv[1], backups=False)
s.mark_open(int(sys.argv[2]))
print("open", flush=True)
time.sleep(60)
"""


def test_a_killed_window_is_not_an_editor(db_path):
    with Store.open(db_path, backups=False) as s:
        rid = s.create("甲局", Y)
    child = run_child(KEEP_OPEN, str(db_path), str(rid))
    try:
        assert child.stdout.readline().strip() == "open"
        with Store.open(db_path, backups=False) as s:
            assert [e.pid for e in s.other_editors(rid)] == [child.pid]
    finally:
        child.kill()
        child.communicate()
    with Store.open(db_path, backups=False) as s:
        assert s.other_editors(rid) == []


def test_stale_base_refuses_to_overwrite_another_windows_text(db_path):
    from gongkai_desktop.errors import StaleEdit

    a = Store.open(db_path, backups=False)
    b = Store.open(db_path, backups=False)
    try:
        rid = a.create("甲局", Y)
        shown = b.load(rid).sections.get("overview", "")  # window B shows the old text
        a.set_section(rid, "overview", "甲窗口写的内容", base="")
        with pytest.raises(StaleEdit) as exc:
            b.set_section(rid, "overview", "乙窗口的旧内容加一点", base=shown)
        assert exc.value.current == "甲窗口写的内容"
        assert "另一个窗口" in str(exc.value) and "没有保存" in str(exc.value)
        assert a.load(rid).sections["overview"] == "甲窗口写的内容"
        # with the current text as base it saves
        b.set_section(rid, "overview", "乙窗口看过后改的", base=exc.value.current)
        assert a.load(rid).sections["overview"] == "乙窗口看过后改的"
        # the same text as stored is no conflict
        b.set_section(rid, "overview", "乙窗口看过后改的", base="很旧的")
        # the other text fields the same way
        a.set_meta(rid, "signoff", "甲的落款", base="")
        a.set_explanation(rid, "T2", "甲的说明", base="")
        a.set_jiedu(rid, "甲的解读", base="")
        for write in (lambda: b.set_meta(rid, "signoff", "乙的落款", base=""),
                      lambda: b.set_explanation(rid, "T2", "乙的说明", base=""),
                      lambda: b.set_jiedu(rid, "乙的解读", base="")):
            with pytest.raises(StaleEdit):
                write()
        r = a.load(rid)
        assert (r.meta.signoff, r.explanations["T2"], r.jiedu) == ("甲的落款", "甲的说明", "甲的解读")
    finally:
        a.close()
        b.close()


def test_coalescing_never_merges_two_sessions_edits(db_path):
    a = Store.open(db_path, backups=False)
    b = Store.open(db_path, backups=False)
    try:
        rid = a.create("甲局", Y)
        a.set_section(rid, "overview", "甲1")
        a.set_section(rid, "overview", "甲12")  # same session, within a minute: one revision
        b.set_section(rid, "overview", "乙")  # another window overwrote it (no base given)
        b.set_section(rid, "overview", "乙2")
        revs = [(r.old, r.new) for r in a.revisions(rid) if r.what == "section:overview"]
        assert revs == [("甲12", "乙2"), ("", "甲12")]  # A's text is still in the log
        a.set_section(rid, "overview", "甲3")  # A again: not folded into B's revision
        revs = [(r.old, r.new) for r in a.revisions(rid) if r.what == "section:overview"]
        assert revs[0] == ("乙2", "甲3") and len(revs) == 3
    finally:
        a.close()
        b.close()


# ---------------------------------------------------------------------------------------------
# uid, generated sentences and the 解读 (the shared fields), migration 0003


def test_uid_generated_jiedu_persist(store):
    r = full_report(Y, "甲局")
    r.generated = {"requests": {"new_total": "本年新收政府信息公开申请 41 件。"}}
    r.jiedu = "一图读懂"
    rid = store.add(r)
    loaded = store.load(rid)
    assert loaded.uid == r.uid and len(loaded.uid) == 32
    assert loaded.generated == r.generated and loaded.jiedu == "一图读懂"
    store.set_generated(rid, {"overview": {"opening": "本报告由……编制。"}})
    store.set_jiedu(rid, "解读正文")
    loaded = store.load(rid)
    assert loaded.generated == {"overview": {"opening": "本报告由……编制。"}}
    assert loaded.jiedu == "解读正文"
    whats = [x.what for x in store.revisions(rid)]
    assert whats[:2] == ["jiedu", "generated"]
    with pytest.raises(InvalidValue):
        store.set_generated(rid, {"nope": {"k": "x"}})
    with pytest.raises(InvalidValue):
        store.set_generated(rid, {"overview": {"k": 3}})
    assert store.load(rid).generated == {"overview": {"opening": "本报告由……编制。"}}
    # a copy is another report: a new uid; the uid of the original never changes
    cid = store.copy(rid)
    assert store.load(cid).uid != loaded.uid and store.load(rid).uid == loaded.uid
    # the 解读 can be written on a final report; the generated record follows the sections
    store.finalize(rid)
    store.set_jiedu(rid, "定稿后写的解读")
    with pytest.raises(ReportLocked):
        store.set_generated(rid, {})
    snap = store_mod.snapshot(store.load(rid))
    assert snap["uid"] == loaded.uid and snap["jiedu"] == "定稿后写的解读"
    back = store_mod.report_from_snapshot(snap)
    assert back.uid == loaded.uid and back.generated == loaded.generated


def test_migration_0003_gives_empty_uids_a_fresh_one_and_keeps_others(db_path):
    db_path.parent.mkdir(parents=True)
    db = Database(db_path)
    migrations.apply(db, stop_before="0003_uid_generated_jiedu")
    for rid, uid in ((1, "a" * 32), (2, ""), (3, "")):
        db.execute("INSERT INTO reports (id, uid, organ, organ_type, year, format_id, created_at, updated_at) "
                   "VALUES (?, ?, ?, 'department', ?, 'gb2021', 'x', 'x')", (rid, uid, f"局{rid}", Y))
    db.conn.commit()
    db.close()
    with Store.open(db_path, backups=False, checker=lambda r: (0, 0)) as s:
        uids = [s.load(i).uid for i in (1, 2, 3)]
        assert uids[0] == "a" * 32
        assert all(re.fullmatch(r"[0-9a-f]{32}", u) for u in uids) and len(set(uids)) == 3
        assert s.load(2).generated == {} and s.load(2).jiedu == ""


def test_migrations_use_our_own_list_not_sqlite_utils_private_state():
    src = (ROOT / "gongkai_desktop" / "storage" / "store.py").read_text(encoding="utf-8")
    src += (ROOT / "gongkai_desktop" / "storage" / "migrations.py").read_text(encoding="utf-8")
    assert "._migrations" not in src
    assert migrations.NAMES[:2] == ["0001_initial", "0002_summary_baseline_sessions"]
    assert store_mod.SCHEMA_VERSION == migrations.schema_version(migrations.NAMES[-1])


# ---------------------------------------------------------------------------------------------
# A supervising office's store: change counter, partial lists, summaries with progress


def test_change_counter_and_changed_since(db_path):
    a = Store.open(db_path, backups=False, checker=lambda r: (0, 0))
    b = Store.open(db_path, backups=False, checker=lambda r: (0, 0))
    try:
        ids = [a.create(f"第{i}局", Y) for i in range(5)]
        a.list_reports()
        c0 = a.change_counter()
        assert a.list_reports(changed_since=c0) == []
        a.set_position(ids[0], {"page": 1})  # not a change
        a.list_reports()  # saving summaries is not a change either
        assert a.change_counter() == c0
        b.set_value(ids[1], NEW_NP, 3)  # another program's edit counts too
        assert a.change_counter() > c0
        assert [x.id for x in a.list_reports(changed_since=c0)] == [ids[1]]
        c1 = a.change_counter()
        a.delete(ids[2])  # to the recycle bin: listed, with deleted_at, so a list can drop it
        changed = a.list_reports(changed_since=c1)
        assert [(x.id, x.deleted_at is not None) for x in changed] == [(ids[2], True)]
        c2 = a.change_counter()
        a.purge(ids[2])
        assert a.list_reports(changed_since=c2) == [] and a.purged_since(c2) == [ids[2]]
        assert a.purged_since(a.change_counter()) == []
        c3 = a.change_counter()
        nxt = a.carry(ids[3], Y + 1)
        assert {x.id for x in a.list_reports(changed_since=c3)} == {nxt}
        c4 = a.change_counter()
        a.set_value(ids[3], NEW_NP, 1)  # last year's edit changes next year's cross-year checks
        assert {x.id for x in a.list_reports(changed_since=c4)} == {ids[3], nxt}
    finally:
        a.close()
        b.close()


def test_refresh_summaries_reports_progress_and_lists_without_recomputing(db_path):
    calls: list[int] = []
    with Store.open(db_path, backups=False, checker=counting_checker(calls)) as s:
        ids = [s.add(full_report(Y, f"第{i}局")) for i in range(7)]
        seen: list[tuple[int, int]] = []
        assert s.stale_count() == 7
        assert s.refresh_summaries(progress=lambda done, total: seen.append((done, total)), batch=3) == 7
        assert seen == [(0, 7)] + [(i, 7) for i in range(1, 8)]
        assert sorted(calls) == sorted(ids) and s.stale_count() == 0
        calls.clear()
        assert len(s.list_reports()) == 7 and calls == []
        assert s.refresh_summaries() == 0
        s.set_value(ids[0], NEW_NP, 1)
        assert s.stale_count() == 1
        seen.clear()
        assert s.refresh_summaries(progress=lambda d, t: seen.append((d, t))) == 1
        assert seen == [(0, 1), (1, 1)] and calls == [ids[0]]


def test_read_only_store_computes_summaries_once(db_path):
    with Store.open(db_path, backups=False, checker=lambda r: (0, 0)) as s:
        ids = [s.add(full_report(Y, f"第{i}局")) for i in range(3)]
    calls: list[int] = []
    with Store.open(db_path, read_only=True, checker=counting_checker(calls)) as s:
        s.list_reports()
        s.list_reports()
        assert sorted(calls) == sorted(ids)  # remembered, although it cannot be saved


def test_snapshot_is_the_codec_and_old_baselines_still_read(store):
    from gongkai_desktop.report import codec

    r = full_report(Y, "甲局")
    r.jiedu = "解读"
    r.declared[TOTAL_NP] = 999  # a declared total that disagrees with its parts survives
    snap = store_mod.snapshot(r)
    assert snap == codec.report_to_dict(r)
    back = store_mod.report_from_snapshot(snap)
    assert back.uid == r.uid and back.jiedu == "解读" and back.declared.get(TOTAL_NP) == 999
    assert {k: v for k, v in back.values.items() if v is not None} == \
        {k: v for k, v in r.values.items() if v is not None}
    legacy = {"id": 3, "uid": "b" * 32, "format_id": "gb2021", "status": "draft",
              "meta": {"organ": "旧局", "organ_type": "department", "year": Y, "issue_date": None,
                       "signoff": "", "opening": "", "units": {}},
              "sections": {"overview": "旧文"}, "values": {"requests/new/natural_person": "41"}, "declared": {}}
    old = store_mod.report_from_snapshot(legacy)
    assert old.uid == "b" * 32 and old.value(NEW_NP) == 41 and old.sections["overview"] == "旧文"
    # a carried report's baseline is such a snapshot and gives last year's report back
    src = store.add(full_report(Y, "乙局"))
    nxt = store.carry(src, Y + 1)
    store.purge(src)
    prev = store.load(nxt).previous
    assert prev is not None and prev.meta.organ == "乙局" and prev.meta.year == Y


def test_set_values_is_all_or_nothing(tmp_path):
    """A paste or a table computed from the register is one transaction: a refused value leaves
    every cell as it was."""
    with Store.open(tmp_path / "r.db", backups=False) as store:
        rid = store.create("某某局", 2025)
        good = ("requests", "new", "natural_person")
        store.set_values(rid, [(good, 5), (("requests", "new", "business"), 2)])
        assert store.load(rid).values[good] == 5
        with pytest.raises(InvalidValue):
            store.set_values(rid, [(good, 9), (("requests", "new", "research"), "abc")])
        assert store.load(rid).values[good] == 5
        assert store.load(rid).values[("requests", "new", "research")] is None
        with pytest.raises(InvalidValue):
            store.set_values(rid, [(good, 7), (("requests", "new", "total"), 1)])  # a total is derived
        assert store.load(rid).values[good] == 5
