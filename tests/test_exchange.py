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
    assert report.uid == "3f2b8c1e9d4a4b6f8e7c5a2d1b0f9e8d" and report.generated["overview"]
    assert json.loads(block)["version"] == X.codec.VERSION


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


def test_unknown_version_and_format():
    d = good(); d["version"] = "二"
    assert "无法识别的交换文件版本" in rejected(json.dumps(d, ensure_ascii=False))
    d = good(); d["format"] = "gb2099"
    assert "gb2099" in rejected(json.dumps(d))
    d = good(); d["format"] = ["gb2021"]
    assert "未知的年报格式" in rejected(json.dumps(d))


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
    d = json.dumps(good()).replace('"version": 2', '"version": NaN')
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


# -- version 2: uid, generated sentences, 解读, finalisation time; version 1 upgraded ----------------

def v1_doc():
    """A version-1 file as the previous program wrote it (key "schema", no uid/generated/jiedu)."""
    d = good()
    for k in ("version", "uid", "generated", "jiedu"):
        del d[k]
    del d["meta"]["finalized_at"]
    return {"kind": d.pop("kind"), "schema": 1, **d}


def test_version_1_file_is_upgraded():
    report, notes = X.loads(json.dumps(v1_doc()))
    assert notes == [] and len(report.uid) == 32 and report.generated == {} and report.jiedu == ""
    again = json.loads(X.dumps(report))
    assert again["version"] == 2 and "schema" not in again and again["uid"] == report.uid
    d = v1_doc(); d["schema"] = 2  # there never was a "schema": 2
    assert "无法识别的交换文件版本" in rejected(json.dumps(d))


def test_newer_version_asks_for_a_newer_program():
    d = good(); d["version"] = X.codec.VERSION + 1
    msg = rejected(json.dumps(d))
    assert f"版本 {X.codec.VERSION + 1}" in msg and "升级软件" in msg


def test_uid_generated_and_jiedu_survive_dump_and_the_store(tmp_path):
    from gongkai_desktop.storage.store import Store
    r = full_report(2025)
    r.generated = {"overview": {"proactive_count": "全年主动公开政府信息 312 条。"}}
    r.jiedu = "一图读懂：本年度……"
    r.status, r.finalized_at = "final", "2026-01-20T09:30:00+08:00"
    text = X.dumps(r)
    back, _ = X.loads(text)
    assert (back.uid, back.generated, back.jiedu, back.finalized_at) == (r.uid, r.generated, r.jiedu, r.finalized_at)
    with Store.open(tmp_path / "r.db") as store:
        rid = store.add(back)
        stored = store.load(rid)
    assert stored.uid == r.uid and stored.finalized_at == r.finalized_at
    d = good(); d["uid"] = "not-a-uid"
    assert "uid" in rejected(json.dumps(d))


def test_declared_total_survives_dump_and_import(tmp_path):
    """表三 总计 999 against parts summing to less: dump (the CLI's and the window's 导出交换文件)
    writes 999 again, so the re-imported report still shows the 错误."""
    from gongkai_desktop.report.rules import check
    from gongkai_desktop.storage.store import Store
    d = good()
    d["tables"]["requests"]["total"]["natural_person"] = 999
    report, _ = X.loads(json.dumps(d))
    key = ("requests", "total", "natural_person")
    with Store.open(tmp_path / "r.db") as store:
        stored = store.load(store.add(report))
    dumped = json.loads(X.dumps(stored))
    assert dumped["tables"]["requests"]["total"]["natural_person"] == 999
    again, _ = X.loads(json.dumps(dumped))
    assert again.declared == {key: 999}
    assert any(f.rule_id == "R2" and "999" in f.message for f in check(again))


# -- every key and value validated the same way ------------------------------------------------

def test_organ_type_of_the_wrong_json_type():
    for bad in (["department"], {"id": "department"}, 3, True):
        d = good(); d["meta"]["organ_type"] = bad
        msg = rejected(json.dumps(d))
        assert "meta.organ_type" in msg and "未知的机关类型" in msg


def test_lone_surrogates_anywhere_are_refused_with_their_place():
    cases = [
        ('"explanations": {}', '"explanations": {"R5:\\ud800": "说明"}', "explanations.R5:\\ud800"),
        ('"jiedu": ""', '"jiedu": "\\udc00"', "jiedu"),
        ('"signoff": ""', '"signoff": "开头\\ud83d"', "meta.signoff"),
        ('"tables": {', '"tables": {"\\udfff": 1, ', "tables.\\udfff"),
    ]
    for old, new, place in cases:
        text = json.dumps(good(), ensure_ascii=False)
        assert old in text
        msg = rejected(text.replace(old, new, 1))
        assert place in msg and "代理项" in msg
        msg.encode("utf-8")  # the message itself can be shown and stored


def test_invalid_status_is_refused_not_made_draft():
    for bad in ("已定稿", "FINAL", None, 1, ["final"]):
        d = good(); d["meta"]["status"] = bad
        if bad is None:
            del d["meta"]["status"]  # absent means draft
            assert X.loads(json.dumps(d))[0].status == "draft"
            continue
        msg = rejected(json.dumps(d, ensure_ascii=False))
        assert "meta.status" in msg and "draft（草稿）" in msg


def test_duplicate_keys_are_refused():
    text = json.dumps(good(), ensure_ascii=False)
    msg = rejected(text.replace('"organ":', '"organ": "甲局", "organ":', 1))
    assert "meta.organ" in msg and "不止一次" in msg
    msg = rejected(text.replace('"jiedu": ""', '"jiedu": "", "jiedu": "x"', 1))
    assert "顶层" in msg and "jiedu" in msg


def test_explanation_key_over_200_characters_is_refused_not_cut():
    d = good(); d["explanations"] = {"R5:" + "x" * 198: "说明"}
    msg = rejected(json.dumps(d))
    assert "超过上限 200" in msg and "explanations.R5:xxx" in msg
    d["explanations"] = {"R5:" + "x" * 197: "说明"}
    assert X.loads(json.dumps(d))[0].explanations == d["explanations"]


def test_byte_order_mark():
    text = X.dumps(full_report(2025))
    report, _ = X.loads(b"\xef\xbb\xbf" + text.encode("utf-8"))  # Notepad's UTF-8 with BOM
    assert report.meta.organ
    msg = rejected(b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode("utf-8"))
    assert "BOM" in msg and "Unexpected" not in msg


def test_no_english_leaks_into_messages():
    english = re.compile(r"Decimal|list|dict|Expecting|Invalid|Unexpected|Illegal|Extra|Exceeds|utf-8-sig")
    d = good(); d["tables"]["requests"]["new"]["natural_person"] = 1.5
    msg = rejected(json.dumps(d))
    assert "数字 1.5" in msg and not english.search(msg)
    d = good(); d["meta"]["organ"] = ["甲"]; d["sections"] = []
    msg = rejected(json.dumps(d, ensure_ascii=False))
    assert "列表" in msg and not english.search(msg)
    d = good(); d["version"] = [0.0]  # found by benchmarks/fuzz_exchange.py: 「[Decimal('0.0')]」
    msg = rejected(json.dumps(d))
    assert "列表" in msg and not english.search(msg)
    d = good(); d["tables"]["requests"]["new"]["natural_person"] = 424242
    msg = rejected(json.dumps(d).replace("424242", "1e999999999"))
    assert "1E+999999999" in msg and len(msg) < 2000  # quoted, never written out as a billion digits
    for broken in ('{"a": "\\x"}', '{"a": "\\u12"}', '{"a": 1,}', '[1,]', '{"a" 1}', '{"a": tru}',
                   '{"a": 1' + "0" * 5000 + '}', "{\"a\": \"\x01\"}"):
        msg = rejected(broken)
        assert "不是有效的 JSON" in msg and not english.search(msg), msg


def test_final_report_keeps_its_finalisation_time_or_has_none():
    d = good(); d["meta"]["status"] = "final"; d["meta"]["finalized_at"] = "2026-01-20T09:30:00+08:00"
    assert X.loads(json.dumps(d))[0].finalized_at == "2026-01-20T09:30:00+08:00"
    d["meta"]["finalized_at"] = "昨天"
    assert "meta.finalized_at" in rejected(json.dumps(d, ensure_ascii=False))
    d["meta"]["status"] = "draft"; d["meta"]["finalized_at"] = "2026-01-20T09:30:00+08:00"
    assert "meta.finalized_at" in rejected(json.dumps(d))


def test_limits_in_messages_come_from_the_constants(monkeypatch):
    from gongkai_desktop import texts as T
    from gongkai_desktop.errors import InvalidValue
    from gongkai_desktop.report import values as V
    assert "亿" not in T.VALUE_TOO_LARGE and not re.search(r"\d", T.VALUE_TOO_MANY_DECIMALS)
    assert V.limit_text(10**9) == "10 亿" and V.limit_text(V.MAX_TOTAL) == "1000 亿" and V.limit_text(7) == "7"
    monkeypatch.setattr(V, "MAX_VALUE", 5 * 10**4)
    monkeypatch.setattr(V, "MAX_DECIMALS", 2)
    with pytest.raises(InvalidValue, match="上限为 5 万"):
        V.parse_value("60000", "count", "新收申请")
    with pytest.raises(InvalidValue, match="最多保留 2 位小数"):
        V.parse_value("0.123", "money", "收费金额")
