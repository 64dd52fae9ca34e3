"""Exchange files: lossless round trip, and every class of bad input refused with its message."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gongkai_desktop.storage import exchange as X
from gongkai_desktop.errors import ImportRejected
from gongkai_desktop.report.formats import get_format
from gongkai_desktop.report.model import Report
from sample import full_report

ROOT = Path(__file__).resolve().parents[1]


def doc_of(report):
    return json.loads(X.dumps(report))


def test_documented_example_imports():
    text = (ROOT / "docs" / "exchange-format.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)```", text, re.S).group(1)
    report, notes = X.loads(block)
    assert report.meta.organ == "某某县交通运输局"
    assert report.values[("proactive", "fees", "fee_amount")] == Decimal("0.092")
    assert report.values[("requests", "carried", "natural_person")] is None
    assert report.explanations["R5:col=natural_person"].startswith("上年")


def test_round_trip_full_reports_both_formats():
    for year in (2020, 2025):
        r = full_report(year)
        text = X.dumps(r)
        r2, notes = X.loads(text)
        assert notes == []
        assert X.dumps(r2) == text
        assert r2.values == r.values and r2.sections == r.sections and r2.meta == r.meta


# -- property-based round trip ------------------------------------------------------------------

texts = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=300)


@st.composite
def reports(draw):
    year = draw(st.sampled_from([2019, 2020, 2021, 2024, 2025]))
    organ = draw(st.text(st.characters(blacklist_categories=("Cs", "Cc", "Z")), min_size=1, max_size=40))
    organ_type = draw(st.sampled_from(["government", "department", "township", "other"]))
    r = Report.new(organ, year, organ_type)
    fmt = r.format
    keys = list(r.values)
    # One draw per kind of value list keeps generation fast (a report has ~200 cells).
    counts = draw(st.lists(st.one_of(st.none(), st.integers(0, 10**9)), min_size=len(keys), max_size=len(keys)))
    for key, v in zip(keys, counts):
        r.values[key] = v
    for key in keys:
        kind = fmt.cell_kind(key)
        if kind == "money":
            r.values[key] = draw(st.decimals(min_value=0, max_value=10**6, places=draw(st.integers(0, 4)),
                                             allow_nan=False, allow_infinity=False))
        elif kind == "signed":
            r.values[key] = draw(st.integers(-10**9, 10**9))
    for sid in r.sections:
        r.sections[sid] = draw(texts)
    r.meta.opening = draw(texts)
    r.meta.signoff = draw(st.text(max_size=20).filter(lambda s: not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]", s)))
    r.explanations = draw(st.dictionaries(st.sampled_from(["R5:col=natural_person", "T2:overview", "R9:row=rules"]), texts.filter(bool)))
    return r


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_round_trip_is_lossless(report):
    text = X.dumps(report)
    again, notes = X.loads(text)
    assert notes == []
    assert again.values == report.values
    assert again.sections == report.sections
    assert again.meta == report.meta
    assert again.explanations == report.explanations
    assert again.declared == {}
    assert X.dumps(again) == text


# -- bad input ------------------------------------------------------------------------------------

def rejected(data):
    with pytest.raises(ImportRejected) as exc:
        X.loads(data)
    return str(exc.value)


def good():
    return doc_of(full_report(2025))


def test_not_utf8():
    assert "UTF-8" in rejected("{\"kind\": \"报告\"}".encode("gbk"))


def test_malformed_json():
    msg = rejected(b'{"kind": "gongkai-report", "schema": 1,,}')
    assert "不是有效的 JSON" in msg and "第 1 行" in msg


def test_not_an_exchange_file():
    assert "不是年报交换文件" in rejected(b"[1, 2, 3]")
    assert "不是年报交换文件" in rejected(json.dumps({"kind": "something"}))


def test_unknown_schema_and_format():
    d = good(); d["schema"] = 99
    assert "版本 99" in rejected(json.dumps(d))
    d = good(); d["format"] = "gb2099"
    assert "gb2099" in rejected(json.dumps(d))


def test_format_must_match_year():
    d = good(); d["meta"]["year"] = 2020
    msg = rejected(json.dumps(d))
    assert "gb2021" in msg and "gb2019" in msg


def test_years_out_of_range():
    d = good(); d["meta"]["year"] = 2016
    assert "2016" in rejected(json.dumps(d))
    d = good(); d["meta"]["year"] = 2099
    assert "2099" in rejected(json.dumps(d))


def test_unknown_ids_named_with_their_place():
    d = good()
    d["tables"]["requests"]["new"]["robots"] = 1
    d["tables"]["requests"]["nonsense_row"] = {"natural_person": 1}
    d["tables"]["table_nine"] = {}
    d["sections"]["seventh"] = "x"
    msg = rejected(json.dumps(d))
    for place in ("tables.requests.new.robots", "tables.requests.nonsense_row", "tables.table_nine", "sections.seventh"):
        assert place in msg
    assert "没有写入任何内容" in msg


def test_wrong_types_negative_and_absurd_numbers():
    d = good()
    d["tables"]["requests"]["new"]["natural_person"] = "十二"
    d["tables"]["requests"]["new"]["business"] = -4
    d["tables"]["requests"]["new"]["research"] = 10**12
    d["tables"]["requests"]["new"]["public_interest"] = 1.5
    d["tables"]["requests"]["new"]["legal_service"] = True
    d["tables"]["proactive"]["fees"]["fee_amount"] = "abc"
    d["meta"]["organ_type"] = "ministry"
    msg = rejected(json.dumps(d))
    assert "natural_person" in msg and "business" in msg and "不能是负数" in msg
    assert "research" in msg and "过大" in msg
    assert "public_interest" in msg and "legal_service" in msg and "fee_amount" in msg
    assert "ministry" in msg


def test_signed_cells_accept_negative_2019():
    d = doc_of(full_report(2020))
    d["tables"]["proactive"]["licensing"]["change"] = -7
    report, _ = X.loads(json.dumps(d))
    assert report.values[("proactive", "licensing", "change")] == -7


def test_text_too_long():
    d = good(); d["sections"]["overview"] = "字" * 200_001
    assert "200000" in rejected(json.dumps(d, ensure_ascii=False))


def test_file_too_big(tmp_path):
    p = tmp_path / "big.json"
    p.write_bytes(b" " * (10 * 1024 * 1024 + 1))
    with pytest.raises(ImportRejected, match="文件过大"):
        X.load_file(p)


def test_control_characters_stripped_and_reported():
    d = good(); d["sections"]["problems"] = "问题\x07一\x00二\x1b"
    report, notes = X.loads(json.dumps(d))
    assert report.sections["problems"] == "问题一二"
    assert notes and "3 个" in notes[0]


def test_declared_total_that_disagrees_is_kept_for_the_checker():
    from gongkai_desktop.report.rules import check
    d = good()
    real = d["tables"]["requests"]["total"]["natural_person"]
    d["tables"]["requests"]["total"]["natural_person"] = real + 5
    report, _ = X.loads(json.dumps(d))
    key = ("requests", "total", "natural_person")
    assert report.declared == {key: real + 5}
    assert report.value(key) == real  # computed, never overwritten by the file
    errors = [f for f in check(report) if f.rule_id == "R2"]
    assert len(errors) == 1 and str(real + 5) in errors[0].message and str(real) in errors[0].message


def test_hostile_nesting_and_constants():
    assert "JSON" in rejected(b"[" * 100000 + b"]" * 100000)
    d = json.dumps(good()).replace('"schema": 1', '"schema": NaN')
    assert "JSON" in rejected(d) or "版本" in rejected(d)


def test_dump_is_atomic_and_leaves_no_temp_files(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")
    import os
    def boom(*a, **k):
        raise PermissionError("locked")
    monkeypatch.setattr(os, "replace", boom)
    from gongkai_desktop.errors import ExportError
    with pytest.raises(ExportError, match="r.json"):
        X.dump_file(full_report(2025), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
