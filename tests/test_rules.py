"""The checks a reviewer applies: each rule fires with a message naming cells and both values,
and stays quiet on a correct report."""

import datetime as dt
import time
from decimal import Decimal

import pytest

from gongkai_desktop.errors import InvalidValue
from gongkai_desktop.report.rules import check, findings_by_cell, section_states
from gongkai_desktop.report.values import parse_value
from sample import full_report


def chained(prev, report):
    """Make ``report`` take over last year's 结转下年度 as its 上年结转, keeping R1 balanced."""
    for col in ("natural_person", "business", "research", "public_interest", "legal_service", "other_org"):
        delta = prev.values[("requests", "carry_forward", col)] - report.values[("requests", "carried", col)]
        report.values[("requests", "carried", col)] += delta
        report.values[("requests", "new", col)] -= delta
    report.previous = prev
    return report


def by_rule(report, rule_id):
    return [f for f in check(report) if f.rule_id == rule_id]


@pytest.mark.parametrize("year", [2020, 2025])
def test_complete_report_has_no_findings(year):
    assert check(full_report(year)) == []


def test_r1_names_column_and_shows_both_sides():
    r = full_report(2025)
    r.values[("requests", "new", "business")] += 3
    (f,) = by_rule(r, "R1")
    assert f.severity == "error" and f.severity_label == "错误"
    assert "「商业企业」列" in f.message and "相差 3" in f.message
    assert ("requests", "new", "business") in f.cells and ("requests", "carry_forward", "business") in f.cells
    assert f.section == "requests" and f.key == "R1:col=business"


def test_totals_are_computed_from_parts():
    r = full_report(2025)
    before = r.value(("requests", "total", "total"))
    r.values[("requests", "disclosed", "research")] += 2
    assert r.value(("requests", "total", "research")) == r.value(("requests", "total", "research"))
    assert r.value(("requests", "total", "total")) == before + 2
    assert r.value(("requests", "disclosed", "total")) == sum(
        r.values[("requests", "disclosed", c)] for c in
        ("natural_person", "business", "research", "public_interest", "legal_service", "other_org"))
    # R1 now fails for that column only
    assert [f.key for f in by_rule(r, "R1")] == ["R1:col=research"]


def test_r4_declared_total_mismatch():
    r = full_report(2025)
    r.declared[("appeals", "counts", "review_total")] = 99
    (f,) = by_rule(r, "R4")
    assert "99" in f.message and "5" in f.message and f.section == "appeals"


def test_r5_cross_year_warning_with_explanation():
    prev = full_report(2024)
    r = chained(prev, full_report(2025))
    assert by_rule(r, "R5") == []
    r.values[("requests", "carried", "natural_person")] = 9
    r.values[("requests", "new", "natural_person")] -= 9 - prev.values[("requests", "carry_forward", "natural_person")]
    assert by_rule(r, "R1") == []
    (f,) = by_rule(r, "R5")
    assert f.severity == "warning" and "上年" in f.message and "9" in f.message
    r.explanations[f.key] = "上年数据有误，已更正。"
    (f,) = by_rule(r, "R5")
    assert f.explanation == "上年数据有误，已更正。"
    # The explained warning no longer nags (the sample's texts are last year's with the year
    # changed, so the reuse check has its own say about the section: leave that out here).
    r.sections["requests"] = "本年度申请主要涉及建设项目环境影响评价和排污许可。"
    assert section_states(r, check(r))["requests"].state == "done"


def test_r5_skipped_without_last_year():
    r = full_report(2025)
    r.values[("requests", "carried", "natural_person")] = 9
    assert by_rule(r, "R5") == []


def test_r9_in_force_drift_warning():
    prev = full_report(2024)
    r = full_report(2025)
    r.previous = prev
    r.values[("proactive", "normative", "in_force")] = 105 + 14 - 6
    # 规章: 27 last year + 2 issued − 1 repealed = 28, but 27 is reported
    (f,) = by_rule(r, "R9")
    assert f.severity == "warning" and "28" in f.message and "27" in f.message


def test_r9_not_applied_across_formats():
    r = full_report(2021)
    r.previous = full_report(2020)  # gb2019 has no 现行有效件数
    assert by_rule(r, "R9") == []


def test_r7_invalid_stored_values():
    r = full_report(2025)
    r.values[("requests", "new", "natural_person")] = -1
    r.values[("proactive", "fees", "fee_amount")] = Decimal("-0.5")
    keys = {f.key for f in by_rule(r, "R7")}
    assert keys == {"R7:requests/new/natural_person", "R7:proactive/fees/fee_amount"}


def test_blank_cells_error_once_per_table():
    r = full_report(2025)
    r.values[("requests", "withheld_query", "business")] = None
    r.values[("requests", "refused_repeat", "other_org")] = None
    (f,) = by_rule(r, "B1")
    assert f.severity == "error" and "2 个空白单元格" in f.message
    assert set(f.cells) == {("requests", "withheld_query", "business"), ("requests", "refused_repeat", "other_org")}
    assert findings_by_cell([f]) == {}  # blanks are not painted as errors


def test_same_text_as_last_year_warns():
    prev = full_report(2024)
    r = full_report(2025)
    r.previous = prev
    r.sections["problems"] = prev.sections["problems"].replace("\n", " \n")  # whitespace changes don't hide it
    (f,) = by_rule(r, "T2")
    assert f.section == "problems" and "2024" in f.message and "内容雷同" in f.message


def test_government_needs_extra_content():
    r = full_report(2025, organ_type="government")
    assert check(r) == []
    r.sections["overview"] = r.sections["overview"].replace("绩效考核", "考评").replace("社会评议", "评价").replace("责任追究", "问责")
    assert [f.rule_id for f in check(r)] == ["T3"]
    dept = full_report(2025, organ_type="department")
    dept.sections["overview"] = r.sections["overview"]
    assert check(dept) == []


def test_fee_statement_required_2021_only():
    r = full_report(2025)
    r.sections["other"] = "无。"
    assert [f.rule_id for f in check(r)] == ["T4"]
    old = full_report(2020)
    old.sections["other"] = "无。"
    assert check(old) == []


def test_meta_and_date_rules():
    r = full_report(2025)
    r.meta.issue_date = None
    assert [f.rule_id for f in check(r)] == ["M1"]
    r.meta.issue_date = dt.date(2025, 12, 30)
    (f,) = check(r)
    assert f.rule_id == "M2" and f.severity == "warning" and f.section == "meta"


def test_findings_sorted_errors_first():
    prev = full_report(2024)
    r = full_report(2025)
    r.previous = prev
    r.values[("requests", "carried", "natural_person")] = 9   # R1 error + R5 warning
    sev = [f.severity for f in check(r)]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)


@pytest.mark.parametrize("text,kind,expected", [
    ("12", "count", 12), ("１２", "count", 12), (" 1,234 ", "count", 1234), ("１，２３４", "count", 1234),
    ("0", "count", 0), ("12.0", "count", 12), ("-3", "signed", -3), ("－３", "signed", -3),
    ("0.092", "money", Decimal("0.092")), ("０．０９２", "money", Decimal("0.092")), ("", "count", None),
    ("\u00a012\u3000", "count", 12),
])
def test_values_accepted(text, kind, expected):
    assert parse_value(text, kind) == expected


@pytest.mark.parametrize("text,kind,fragment", [
    ("abc", "count", "不是数字"), ("/", "count", "填 0"), ("无", "count", "填 0"), ("-3", "count", "负数"),
    ("1.5", "count", "整数"), ("2000000000", "count", "过大"), ("1e5", "count", "不是数字"),
    ("12万元", "money", "不是数字"), ("0.1234567", "money", "6 位小数"), ("=SUM(A1:A3)", "count", "不是数字"),
])
def test_values_refused_with_message(text, kind, fragment):
    with pytest.raises(InvalidValue) as exc:
        parse_value(text, kind, "表三「…」")
    assert fragment in str(exc.value)


def test_check_is_fast_enough_to_run_on_every_keystroke():
    """Not a timing assertion on the machine's speed: a generous bound that only catches an
    accidental quadratic blow-up (the benchmark prints the real figure)."""
    r = full_report(2025)
    r.previous = full_report(2024)
    t = time.perf_counter()
    for _ in range(20):
        check(r)
    assert (time.perf_counter() - t) / 20 < 0.25
