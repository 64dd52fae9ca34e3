"""Statistics sentences written from the tables: the wording of the issue, only non-zero
categories, linked while untouched, regenerated when the tables change and on carry-over, and
never in disagreement with their table when the text checks read them back."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus
from gongkai_desktop.errors import GongkaiError
from gongkai_desktop.report import sentences as S
from gongkai_desktop.report.rules import check
from sample import full_report

ISSUE_REQUESTS = ("本年度共新收政府信息公开申请112件，上年结转9件；办结119件，其中予以公开60件、部分公开13件、"
                  "不予公开6件、无法提供26件、不予处理3件、其他处理11件；结转下年度继续办理2件。")
TEXT_RULES = {"W1", "W2", "W3", "W5", "W8"}


def county():
    return corpus.load("county_gov_2025.txt", with_previous=False)


def zero(report):
    for key in report.values:
        report.values[key] = 0
    return report


def test_requests_sentence_is_the_issues():
    assert S.requests_sentence(county()) == ISSUE_REQUESTS


def test_appeals_sentence_lists_only_what_happened():
    assert S.appeals_sentence(county()) == (
        "本年度因政府信息公开工作被申请行政复议7件，其中结果维持6件、尚未审结1件；被提起行政诉讼3件，其中"
        "未经复议直接起诉2件（结果维持1件、尚未审结1件），复议后起诉1件（结果维持1件）。")


def test_all_zero_says_so_in_one_sentence():
    r = zero(county())
    assert S.requests_sentence(r) == "本年度未收到政府信息公开申请。"
    assert S.appeals_sentence(r) == "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    r.values[("appeals", "counts", "direct_upheld")] = 2
    assert S.appeals_sentence(r) == ("本年度因政府信息公开工作未被申请行政复议；被提起行政诉讼2件，均为未经复议直接起诉，"
                                     "其中结果维持2件。")


def test_no_zero_lists():
    for report in (county(), full_report(2025), full_report(2020), corpus.load("township_2024.txt")):
        for kinds in S.generate(report).values():
            for text in kinds.values():
                assert not re.search(r"(?<![\d.])0(件|万元|个)", text), text


def test_proactive_sentence_in_both_formats():
    assert S.proactive_sentence(county()) == (
        "本年度制发行政规范性文件14件、废止行政规范性文件6件、现行有效行政规范性文件105件；"
        "作出行政许可决定1286件、行政处罚决定357件、行政强制决定12件；收取行政事业性收费0.092万元。")
    old = S.proactive_sentence(full_report(2020))
    assert old.startswith("本年度新制作规章2件、新公开规章2件、对外公开规章总数27件；") and "本年增" not in old


def test_sections_that_can_hold_sentences():
    r = county()
    assert set(S.generate(r)) == {"overview", "proactive", "requests", "appeals"}
    assert set(S.generate(r)["overview"]) == {"requests"}


# ---------------------------------------------------------------------------------------------
# Read back by the text checks: never a disagreement (property test over the tables)

counts = st.integers(min_value=0, max_value=400)
rare = st.integers(min_value=0, max_value=12) | st.just(0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), year=st.sampled_from([2020, 2024]))
def test_generated_sentences_read_back_agree_with_their_table(data, year):
    report = full_report(year)
    fmt = report.format
    for key in list(report.values):
        table = key[0]
        if fmt.cell_kind(key) == "money":
            report.values[key] = data.draw(st.sampled_from([0, 1, 12]), label="money")
            continue
        if fmt.cell_kind(key) == "signed":
            continue
        report.values[key] = data.draw(rare if table == "appeals" else counts, label="/".join(key))
    for section, kinds in S.generate(report).items():
        report.sections[section] = "\n".join(kinds.values())
        report.generated[section] = dict(kinds)
    report.meta.opening = ""
    found = [(f.rule_id, f.quote, f.message) for f in check(report) if f.rule_id in TEXT_RULES]
    assert found == []


def test_a_hand_edited_sentence_is_watched_by_check_1():
    r = county()
    r.sections["requests"] = ""
    S.insert(r, "requests", "requests")
    assert S.linked(r) == {"requests": [("requests", 0, len(ISSUE_REQUESTS))]}
    r.sections["requests"] = r.sections["requests"].replace("上年结转9件", "上年结转8件")
    assert S.linked(r) == {}
    S.refresh(r)
    assert r.generated == {}  # unlinked: the clerk's words now
    (f,) = [f for f in check(r) if f.rule_id == "W1"]
    assert f.quote == "上年结转8件" and f.section == "requests"


def test_linked_sentence_follows_the_table():
    r = county()
    r.sections["requests"] = "申请渠道以网络申请为主。"
    S.insert(r, "requests", "requests", position=0)
    r.values[("requests", "disclosed", "natural_person")] += 1
    r.values[("requests", "new", "natural_person")] += 1
    changed = S.refresh(r)
    assert set(changed) == {"requests"}
    assert changed["requests"].startswith("本年度共新收政府信息公开申请113件") and "予以公开61件" in changed["requests"]
    assert changed["requests"].endswith("申请渠道以网络申请为主。")
    assert r.generated["requests"]["requests"] in r.sections["requests"]
    assert S.refresh(r) == {}  # nothing changed since


def test_carry_over_writes_the_sentence_again_from_the_new_tables():
    old = county()
    old.sections["appeals"] = ""
    S.insert(old, "appeals", "appeals")
    new = zero(county())
    new.meta.year = 2026
    new.sections = dict(old.sections)
    S.carry_over(old, new)
    assert new.sections["appeals"] == "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    assert new.generated == {"appeals": {"appeals": new.sections["appeals"]}}


def test_store_carry_regenerates_linked_sentences(tmp_path):
    from gongkai_desktop.storage.store import Store

    with Store.open(tmp_path / "r.db", backups=False) as store:
        rid = store.create("云溪县人民政府", 2024, "government")
        report = store.load(rid)
        src = corpus.load("county_gov_2024.txt", with_previous=False)
        for key, v in src.values.items():
            store.set_value(rid, key, v)
        report = store.load(rid)
        text = S.insert(report, "requests", "requests")
        store.set_section(rid, "requests", text)
        store.set_generated(rid, report.generated)
        new_id = store.carry(rid, 2025)
        carried = store.load(new_id)
    # The new year's tables hold only 上年结转 (9), the rest is blank: last year's 新收 87 must
    # not survive as text, and nor may a 「未新收」 nobody stated — the placeholder keeps the place.
    assert "87件" not in carried.sections["requests"]
    assert carried.sections["requests"] == "（表三填完后，这里自动写出统计语句。）"
    assert carried.generated["requests"]["requests"] == carried.sections["requests"]
    # Once 表三 is filled in (a typed 0 is filled), the sentence is written in its place.
    for key in carried.values:
        if key[0] == "requests" and carried.values[key] is None:
            carried.values[key] = 0
    S.refresh(carried)
    assert carried.sections["requests"] == "本年度未新收政府信息公开申请，上年结转9件。"
    assert S.linked(carried) == {"requests": [("requests", 0, len(carried.sections["requests"]))]}


def test_exchange_file_carries_the_link():
    from gongkai_desktop.storage import exchange

    r = county()
    S.insert(r, "appeals", "appeals")
    back, _ = exchange.loads(exchange.dumps(r))
    assert back.generated == r.generated and S.linked(back) == S.linked(r)


def test_cli_prints_sentences(tmp_path, capsys):
    from gongkai_desktop import cli
    from gongkai_desktop.storage import exchange

    path = tmp_path / "r.json"
    exchange.dump_file(county(), path)
    assert cli.main(["sentences", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sentences"]["requests"]["requests"] == ISSUE_REQUESTS
    assert cli.main(["sentences", str(path)]) == 0
    text = capsys.readouterr().out
    assert "三、收到和处理政府信息公开申请情况" in text and ISSUE_REQUESTS in text


@pytest.mark.parametrize("section", ["overview", "requests", "appeals", "proactive"])
def test_insert_refuses_a_sentence_the_section_cannot_hold(section):
    r = county()
    other = {"overview": "appeals", "requests": "appeals", "appeals": "requests", "proactive": "requests"}[section]
    with pytest.raises(KeyError):
        S.insert(r, section, other)


# ---------------------------------------------------------------------------------------------
# Blank is not zero: a sentence states only what the clerk entered

KIND_TABLE = {"requests": "requests", "appeals": "appeals", "proactive": "proactive"}
NONE_SENTENCE = {"requests": "本年度未收到政府信息公开申请。",
                 "appeals": "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
                 "proactive": "本年度主动公开政府信息情况表所列各项均为零。"}


def new_report(year=2025):
    from gongkai_desktop.report.model import Report
    import datetime as dt

    return Report.new("云溪县人民政府", year, "government", today=dt.date(2030, 1, 1))


@pytest.mark.parametrize("year", [2020, 2025])
@pytest.mark.parametrize("kind", ["requests", "appeals", "proactive"])
def test_blank_table_writes_no_sentence_but_zero_says_none(kind, year):
    r = new_report(year)
    number = r.format.tables[KIND_TABLE[kind]].number
    assert S.sentence(r, kind) == ""
    assert S.not_filled(r, kind) == f"表{number}还有空白单元格，填完（没有发生的填 0）后才能写出统计语句。"
    for key in r.values:
        if key[0] == KIND_TABLE[kind]:
            r.values[key] = 0
    assert S.sentence(r, kind) == NONE_SENTENCE[kind]
    assert S.not_filled(r, kind) == ""


@pytest.mark.parametrize("kind,cell", [("requests", ("requests", "unable_not_held", "business")),
                                       ("requests", ("requests", "carried", "natural_person")),
                                       ("appeals", ("appeals", "counts", "after_review_pending")),
                                       ("proactive", ("proactive", "fees", "fee_amount"))])
def test_one_blank_cell_is_enough_to_hold_the_sentence_back(kind, cell):
    """A total summed over a blank cell is a figure nobody entered (办结 119 might be 120)."""
    r = county()
    assert S.sentence(r, kind)
    r.values[cell] = None
    assert S.sentence(r, kind) == "" and S.not_filled(r, kind)


def test_new_report_offers_no_sentence():
    r = new_report()
    assert S.generate(r) == {}


def test_insert_refuses_while_the_table_is_blank():
    r = new_report()
    r.sections["requests"] = "申请渠道以网络申请为主。"
    with pytest.raises(GongkaiError, match="表三还有空白单元格"):
        S.insert(r, "requests", "requests")
    assert r.sections["requests"] == "申请渠道以网络申请为主。" and r.generated == {}


def test_a_linked_sentence_gives_way_while_its_table_is_blank():
    r = county()
    r.sections["appeals"] = "全年无行政复议纠错情况。"
    S.insert(r, "appeals", "appeals", position=0)
    written = r.generated["appeals"]["appeals"]
    r.values[("appeals", "counts", "review_upheld")] = None  # cleared to retype
    assert S.refresh(r) == {"appeals": "（表四填完后，这里自动写出统计语句。）全年无行政复议纠错情况。"}
    assert [k for k, *_ in S.linked(r)["appeals"]] == ["appeals"]
    # The blank cells are B1's finding; the placeholder itself is no text finding's business.
    assert [(f.rule_id, f.quote) for f in check(r) if f.section == "appeals" and f.span is not None] == []
    r.values[("appeals", "counts", "review_upheld")] = 6
    S.refresh(r)
    assert r.sections["appeals"] == written + "全年无行政复议纠错情况。"


def test_cli_sentences_on_a_blank_report_states_nothing(tmp_path, capsys):
    from gongkai_desktop import cli
    from gongkai_desktop.storage import exchange

    path = tmp_path / "r.json"
    exchange.dump_file(new_report(2020), path)
    assert cli.main(["sentences", str(path)]) == 0
    out = capsys.readouterr().out
    assert "未收到" not in out and "均为零" not in out and "未发生" not in out
    assert "表三还有空白单元格" in out and "四、政府信息公开行政复议、行政诉讼情况" in out
    assert cli.main(["sentences", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sentences"] == {} and set(data["not_filled"]) == {"overview", "proactive", "requests", "appeals"}
