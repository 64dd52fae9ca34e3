"""The text checks (rules W1–W9): what the words say, against the tables, the year, the basis and
last year's report. Every check has words that must fire and near misses that must not; the
consistent texts of the corpus produce no finding at all (precision before recall)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import corpus
from gongkai_desktop.report import formats as F
from gongkai_desktop.report import rules
from gongkai_desktop.report.rules import check
from gongkai_desktop.report.text.base import OPENING

TEXT_RULES = {"W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9"}


def text_findings(report, rule_ids=TEXT_RULES):
    return [f for f in check(report) if f.rule_id in rule_ids]


def stored_text(report, section):
    return report.meta.opening if section == OPENING else report.sections[section]


CONSISTENT = [p for p in corpus.files() if not corpus.expectations(p)]
INCONSISTENT = [p for p in corpus.files() if corpus.expectations(p)]


def test_the_corpus_has_both_kinds_and_both_formats():
    assert len(CONSISTENT) >= 6 and len(INCONSISTENT) >= 6
    formats = {corpus.load(p).format_id for p in CONSISTENT}
    assert formats == {"gb2019", "gb2021"}
    types = {corpus.load(p).meta.organ_type for p in CONSISTENT}
    assert {"township", "department", "government"} <= types


@pytest.mark.parametrize("path", CONSISTENT, ids=lambda p: p.name)
def test_no_false_warnings_on_consistent_texts(path):
    report = corpus.load(path)
    assert [(f.rule_id, f.quote, f.message) for f in text_findings(report)] == []


@pytest.mark.parametrize("path", INCONSISTENT, ids=lambda p: p.name)
def test_inconsistent_texts_fire_what_is_expected_and_nothing_else(path):
    report = corpus.load(path)
    found = text_findings(report)
    expected = corpus.expectations(path)
    for rule_id, words in expected:
        assert any(f.rule_id == rule_id and words in (f.quote + f.message) for f in found), (rule_id, words, [
            (f.rule_id, f.quote) for f in found])
    for f in found:
        assert any(f.rule_id == r and (not w or w in f.quote + f.message) for r, w in expected), (
            "unexpected finding", f.rule_id, f.quote, f.message)


@pytest.mark.parametrize("path", corpus.files(), ids=lambda p: p.name)
def test_spans_select_the_quoted_words_of_the_stored_text(path):
    report = corpus.load(path)
    for f in text_findings(report):
        if f.span is None:
            assert f.section is None  # the whole-report share of reused text
            continue
        start, end = f.span
        text = stored_text(report, f.section)
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == f.quote
        for s, e in f.spans:
            assert 0 <= s < e <= len(text)


# ---------------------------------------------------------------------------------------------
# Near misses and cases per check, on the tables of a consistent county report:
# 新收 112, 上年结转 9, 办结 119 (予以公开 60, 部分公开 13, 不予公开 6, 无法提供 26, 不予处理 3, 其他处理 11),
# 结转 2; 复议 7 (维持 6, 尚未审结 1), 诉讼 3; 行政处罚 357; 收费 0.092 万元.


def county(section: str, text: str, year_opening: bool = False):
    report = corpus.load("county_gov_2025.txt", with_previous=False)
    if section == OPENING:
        report.meta.opening = text
    else:
        report.sections[section] = text
    return report


FIRE = [
    # 1. numbers vs tables (Chinese numerals, combinations, 元 vs 万元, shares, negations, 均获维持)
    ("W1", "requests", "本年度共新收政府信息公开申请一百零五件。", "一百零五件", "112"),
    ("W1", "requests", "全年共受理政府信息公开申请120件。", "120件", "112"),
    ("W1", "requests", "本年度办结申请119件，其中予以公开及部分公开70件。", "予以公开及部分公开70件", "73"),
    ("W1", "requests", "本年度新收政府信息公开申请112件，上年结转十二件。", "上年结转十二件", "9"),
    ("W1", "appeals", "本年度因政府信息公开工作被申请行政复议7件，均获维持。", "均获维持", "6"),
    ("W1", "appeals", "本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。", "未发生", "7"),
    ("W1", "requests", "本年度未收到政府信息公开申请。", "未收到政府信息公开申请", "112"),
    ("W1", "proactive", "全年收取行政事业性收费0.092元。", "0.092元", "920元"),
    ("W1", "proactive", "全年作出行政处罚决定两百件。", "两百件", "357"),
    ("W1", "requests", "办结政府信息公开申请119件，其中予以公开60件，占33.9%。", "占33.9%", "50.4%"),
    ("W1", "appeals", "被提起行政诉讼3件，其中未经复议直接起诉2件，结果维持2件。", "结果维持2件", "1"),
    # 2. breakdowns
    ("W2", "overview", "全年主动公开政府信息318条，其中，工作动态160条，通知公告58条，政策文件120条。", "318条", "338条"),
    ("W2", "overview", "全年发布信息500条，其中工作动态200条、通知公告100条、其他信息150条。", "500条", "450条"),
    ("W2", "overview", "全年发布信息200条，其中工作动态100条，占40%，通知公告100条。", "占40%", "50"),
    # 3. repeats
    ("W3", "problems", "全县政府信息公开工作仍然存在公开内容不够全面、解读形式较为单一等问题，需要在今后工作中加以改进。\n"
     "下一步将加强培训。\n全县政府信息公开工作仍然存在公开内容不够全面、解读形式较为单一等问题，需要在今后工作中加以改进。", "全县", "完全相同"),
    ("W3", "problems", "全县政府信息公开工作仍然存在公开内容不够全面、解读形式较为单一等问题，需要在今后工作中加以改进。\n"
     "全县政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题，需要在今后工作中加以改进。", "全县", "几乎相同"),
    # 5. dates
    ("W5", OPENING, "本报告所列数据统计期限为2024年1月1日至2024年12月31日。", "2024年1月1日", "2025年1月1日"),
    ("W5", OPENING, "本报告所列数据统计期限为2025年1月1日至2025年11月30日。", "11月30日", "2025年12月31日"),
    ("W5", "overview", "2024年，云溪县人民政府认真贯彻落实《条例》。", "2024年", "2025"),
    ("W5", "overview", "全县于2025年2月30日完成目录编制。", "2月30日", "不存在"),
    ("W5", "overview", "全县于2025年15日完成目录编制。", "2025年15日", "月份"),
    ("W5", "overview", "截至2026年3月31日，现行有效文件均已公开。", "截至2026年3月31日", "2026年3月20日"),
    ("W5", "overview", "全县在2025年2025年共召开新闻发布会9场。", "2025年2025年", "重复"),
    ("W5", "overview", "全县在20255年共召开新闻发布会9场。", "20255年", "年份"),
    ("W5", OPENING, "现公布云溪县人民政府2024年政府信息公开工作年度报告。", "2024", "2025 年度报告"),
    # 6. basis
    ("W6", OPENING, "本报告依据国办公开办函〔2019〕60号要求编制。", "〔2019〕60号", "2021"),
    ("W6", OPENING, "本报告依据《中华人民共和国政府信息公开工作年度报告格式（试行）》编制。", "（试行）", "国办公开办函〔2021〕30号"),
    ("W6", OPENING, "本报告依据国办政务公开办函〔2021〕30号编制。", "国办政务公开办函", "国办公开办函"),
    ("W6", OPENING, "本报告依据国办公开办函〔2021〕60号编制。", "〔2021〕60号", "〔2021〕30号"),
    ("W6", OPENING, "本报告依据国办公开办函[2021]30号编制。", "[2021]", "〔2021〕"),
    ("W6", OPENING, "本报告依据《中华人民共和国政府信息公开年度报告格式》编制。", "年度报告格式", "工作年度报告格式"),
    ("W6", "proactive", "行政许可事项本年增/减2项。", "本年增/减", "试行"),
    # 7. headings
    ("W7", "overview", "（一）主动公开。略。\n（二）依申请公开。略。\n（二）政府信息管理。略。", "（二）", "重复"),
    ("W7", "overview", "（一）主动公开。略。\n(二)依申请公开。略。", "(二)", "（二）"),
    ("W7", "problems", "改进措施：\n1.完善目录。\n2.加强解读。\n4.强化督查。", "4.", "3."),
    ("W7", "problems", "主要有以下两个方面问题：一是公开不及时；二是解读不深入；三是回应不够。下一步将整改。", "两个方面", "3 个"),
    # 8. unfinished
    ("W8", "overview", "全年主动公开政府信息××条。", "××", "占位符"),
    ("W8", "overview", "全年在某某社区设立公开查阅点。", "某某", "占位符"),
    ("W8", "overview", "全年共办理   件申请。", "办理   件", "缺少数字"),
    ("W8", "problems", "无", "无", "只写了"),
    ("W8", "problems", "一是公开内容不够全面；二是解读形式较为单一。", "一是", "改进措施"),
    ("W8", "overview", "全县政务公开工作稳步推进。" * 100, "全县", "1000"),
    # 9. someone else's words (a county government: 我局 is not its voice)
    ("W9", "overview", "2025年，我局认真贯彻落实《条例》。", "我局", "云溪县人民政府"),
    ("W9", "overview", "本区严格执行公开前审查制度。", "本区", "云溪县人民政府"),
    ("W9", "overview", "2025年，云溪县教育局坚持以人民为中心，做好信息公开。", "云溪县教育局", "云溪县人民政府"),
]

NEAR_MISS = [
    ("requests", "全年新收政府信息公开申请112件，较上年增加20件。"),
    ("requests", "2024年收到政府信息公开申请92件，2025年收到112件。"),
    ("overview", "全县各级行政机关共收到政府信息公开申请860件。"),
    ("requests", "本年度共新收政府信息公开申请112件，其中网上申请80件、信函申请32件。"),
    ("requests", "新收申请一百一十二件，办结一百一十九件。"),
    ("requests", "收到政府信息公开申请100余件，办结119件，其中予以公开60件，占办结总数的50.4%。"),
    ("requests", "本年度未收到法人或其他组织提出的政府信息公开申请。"),
    ("requests", "第三件申请的答复已送达。"),
    ("proactive", "全年作出行政处罚决定约400件，公开行政许可信息1500条，梳理行政许可事项23项。"),
    ("proactive", "收取行政事业性收费0.092万元，未收取信息处理费。"),
    ("appeals", "本年度被申请行政复议7件，其中结果维持6件、尚未审结1件。"),
    ("overview", "全年未发生泄密事件，全年承办人大代表建议86件、政协提案112件。"),
    ("overview", "全年主动公开政府信息318条，其中工作动态160条、通知公告158条。"),
    ("overview", "发布政策解读36篇，其中图解14篇，开展在线访谈3次。"),
    ("appeals", "全年因政府信息公开工作被申请行政复议7件和被提起行政诉讼3件，其中行政复议结果维持6件、尚未审结1件，"
                "行政诉讼结果维持2件、尚未审结1件。"),
    ("overview", "全年发布信息200条，其中工作动态100条，占50%。"),
    ("overview", "（一）信息处理费收取情况。\n（二）其他事项。"),
    ("problems", "2026年，我县将进一步加强政策解读。对2024年度报告中提出的问题已整改到位。"),
    ("overview", "2025年，全县新收申请112件，较2024年增长21%。"),
    (OPENING, "本报告所列数据统计期限为2025年1月1日至12月31日。"),
    ("overview", "全县于2024年2月29日启动目录编制。"),
    (OPENING, "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）、《政府信息公开条例》和"
              "国办函〔2020〕109号编制，按照《2025年政务公开工作要点》推进。"),
    ("overview", "（一）主动公开。略。\n（二）依申请公开。略。\n（三）政府信息管理。略。\n1.网站。略。\n2.新媒体。略。"),
    ("problems", "主要有以下两个方面问题：一是公开不及时；二是解读不深入。下一步将整改。"),
    ("overview", "在县委、县政府的正确领导下，我县严格执行“三审三校”制度，本市范围内统一部署。"),
    ("overview", "本县区域内各乡镇按照县政府部署开展工作。"),
    ("overview", "（一）主动公开。略。\n按照2024年度政府信息公开工作年度报告提出的整改要求，逐项落实。"),
    ("overview", "依照本办法第三条规定，做好信息处理费管理。"),
]


@pytest.mark.parametrize("rule_id,section,text,words,says", FIRE, ids=[f"{c[0]}-{i}" for i, c in enumerate(FIRE)])
def test_each_check_fires_with_the_words_and_what_is_right(rule_id, section, text, words, says):
    report = county(section, text)
    found = [f for f in text_findings(report, {rule_id}) if f.section == section]
    assert found, f"{rule_id} did not fire on {text!r}"
    f = next((f for f in found if words in f.quote or words in f.message), found[0])
    assert words in f.quote or words in f.message, [(x.quote, x.message) for x in found]
    assert says in f.message, f.message
    start, end = f.span
    assert stored_text(report, section)[start:end] == f.quote


@pytest.mark.parametrize("section,text", NEAR_MISS, ids=[f"near-{i}" for i in range(len(NEAR_MISS))])
def test_near_misses_do_not_fire(section, text):
    report = county(section, text)
    assert [(f.rule_id, f.quote, f.message) for f in text_findings(report) if f.section == section] == []


def test_severities_follow_the_issue():
    """警告 by default; 提示 for style (mixed numbering, half-width brackets, length of 一) and for an
    incomplete 「其中」 list or another organ's name (a clerk may have good reasons)."""
    cases = [  # (severity, section, text)
        ("info", "overview", "（一）主动公开。略。\n(二)依申请公开。略。"),
        ("info", "overview", "全县政务公开工作稳步推进。" * 100),
        ("info", "overview", "全年发布信息318条，其中工作动态160条、通知公告58条。"),
        ("info", "overview", "2025年，云溪县教育局坚持以人民为中心，做好信息公开。"),
        ("warning", "requests", "本年度共新收政府信息公开申请一百零五件。"),
    ]
    for severity, section, text in cases:
        (f,) = [f for f in text_findings(county(section, text)) if f.section == section]
        assert f.severity == severity, (text, f.rule_id, f.severity)


def test_organ_name_with_placeholder_words_is_not_a_placeholder():
    report = corpus.load("township_2024.txt")
    report.meta.organ = "某某镇人民政府"
    report.sections["overview"] = "2024年，某某镇人民政府认真落实《条例》，共收到政府信息公开申请3件。"
    assert text_findings(report, {"W8"}) == []
    report.sections["overview"] += "在某某村设立查阅点。"
    (f,) = text_findings(report, {"W8"})
    assert f.quote == "某某"


def test_township_voice():
    report = corpus.load("street_2021.txt")
    report.sections["overview"] = "2021年，我镇认真落实《条例》。在区委区政府领导下，本街道扎实推进公开工作。"
    (f,) = text_findings(report, {"W9"})
    assert f.quote == "我镇" and f.severity == "warning"


def test_reuse_share_and_paragraphs():
    report = corpus.load("carried_2025.txt")
    (section_finding,) = [f for f in text_findings(report, {"W4"}) if f.section == "overview"]
    assert "100%" in section_finding.message and "2024" in section_finding.message
    assert len(section_finding.spans) == 6  # every reused paragraph, for the editor to mark
    # Rewritten this year: under the limit, nothing to say.
    fresh = corpus.load("county_gov_2025.txt")
    assert text_findings(fresh, {"W4"}) == []


def test_reuse_only_counts_when_last_years_report_is_there():
    report = corpus.load("carried_2025.txt", with_previous=False)
    assert text_findings(report, {"W4"}) == []


def test_identical_section_is_left_to_the_same_text_rule():
    report = corpus.load("carried_2025.txt")
    report.sections["overview"] = report.previous.sections["overview"]
    assert "overview" in {f.section for f in check(report) if f.rule_id == "T2"}
    assert "overview" not in {f.section for f in text_findings(report, {"W4"})}


def test_text_findings_carry_section_and_span_in_json():
    report = corpus.load("numbers_wrong_2025.txt")
    dicts = [f.as_dict() for f in text_findings(report)]
    assert dicts and all("section" in d and "span" in d for d in dicts)
    d = next(d for d in dicts if d["rule"] == "W1")
    assert d["section"] == "overview" and report.sections["overview"][slice(*d["span"])] == d["quote"]
    json.dumps(dicts, ensure_ascii=False)


def test_cli_check_json_has_section_and_span(tmp_path, capsys):
    from gongkai_desktop import cli
    from gongkai_desktop.storage import exchange

    report = corpus.load("numbers_wrong_2025.txt", with_previous=False)
    path = tmp_path / "r.json"
    exchange.dump_file(report, path)
    cli.main(["check", str(path), "--json"])
    out = json.loads(capsys.readouterr().out)
    text = [f for f in out["findings"] if f["rule"] == "W1"]
    assert text and all(isinstance(f["section"], str) and len(f["span"]) == 2 for f in text)


def test_rule_kinds_are_declared_once():
    """forms/ may only name kinds the engine has (rules.KINDS, the one list), and every kind in it
    is used by some format."""
    used = {r.kind for fmt in F.all_formats() for r in fmt.rules}
    assert used == set(rules.KINDS)
    assert not hasattr(F, "RULE_KINDS")


def test_a_broken_statement_pattern_fails_at_load():
    fmt = F.get_format("gb2021")
    data = json.loads(json.dumps(fmt.raw))
    w1 = next(r for r in data["rules"] if r["id"] == "W1")
    w1["statements"][0]["say"] = "(?:新收"
    with pytest.raises(F.FormatError, match="W1"):
        F.parse_format(data, "test.json")
    w1["statements"][0]["say"] = "新收"
    w1["statements"][0]["figure"] = "no_such_figure"  # not-an-id
    with pytest.raises(F.FormatError, match="no_such_figure"):
        F.parse_format(data, "test.json")


def test_dates_use_the_issue_date():
    report = county("overview", "截至2026年3月1日，现行有效文件均已公开。")
    assert text_findings(report, {"W5"}) == []  # 成文日期 2026-03-20
    report.meta.issue_date = dt.date(2026, 1, 20)
    (f,) = text_findings(report, {"W5"})
    assert "2026年1月20日" in f.message


def test_chinese_numerals_agree_with_cn2an():
    """Our small converter (numerals.py: cn2an needs pkg_resources at run time) against cn2an as
    the oracle, for every count up to 100,000 and the forms reports use."""
    cn2an = pytest.importorskip("cn2an")
    from gongkai_desktop.report.text import numerals

    assert [n for n in range(100_001) if numerals.to_int(cn2an.an2cn(n)) != n] == []
    for text in ("两", "两百", "两千三百", "一万零五十", "三万五千", "二〇二五", "十", "十万"):
        assert numerals.to_int(text) == cn2an.cn2an(text, "smart"), text
    assert [numerals.from_int(n) for n in (1, 10, 12, 20, 21, 99)] == [cn2an.an2cn(n) for n in (1, 10, 12, 20, 21, 99)]
    assert numerals.to_int("三审") is None


# ---------------------------------------------------------------------------------------------
# Blank is not zero: a text number is never compared with a figure nobody entered


def _with_requests(value):
    """The county report with every 表三 cell set to ``value`` (None = blank)."""
    report = county("requests", "全年新收政府信息公开申请153件，办结150件，其中予以公开79件。")
    for key in report.values:
        if key[0] == "requests":
            report.values[key] = value
    return report


def test_w1_leaves_blank_tables_alone_but_watches_typed_zeros():
    assert text_findings(_with_requests(None), {"W1"}) == []
    found = [f for f in text_findings(_with_requests(0), {"W1"}) if f.section == "requests"]
    assert {f.quote for f in found} == {"全年新收政府信息公开申请153件", "办结150件", "其中予以公开79件"}
    assert all("为 0件" in f.message for f in found)


def test_w1_leaves_a_figure_with_any_blank_cell_alone():
    report = _with_requests(0)
    report.values[("requests", "new", "business")] = None  # 新收 total now sums a blank
    quotes = {f.quote for f in text_findings(report, {"W1"}) if f.section == "requests"}
    assert quotes == {"办结150件", "其中予以公开79件"}


@pytest.mark.parametrize("section,text", [  # each section's text, about its own table
    ("requests", "本年度未收到政府信息公开申请。"),
    ("appeals", "本年度因政府信息公开工作被申请行政复议7件，均获维持。"),
    ("proactive", "全年作出行政处罚决定两百件。"),
    ("requests", "办结政府信息公开申请119件，其中予以公开60件，占33.9%。"),
])
def test_every_number_statement_is_silent_on_blank_cells(section, text):
    report = county(section, text)
    assert text_findings(report, {"W1"})  # fires on the filled tables (see FIRE)
    for key in report.values:
        if key[0] == section:
            report.values[key] = None
    assert text_findings(report, {"W1"}) == []


# ---------------------------------------------------------------------------------------------
# One fact, one finding


def _carried_unchanged():
    """This year's report exactly last year's texts (a carry-over nobody rewrote yet)."""
    report = corpus.load("carried_2025.txt")
    prev = report.previous
    report.sections = dict(prev.sections)
    report.meta.opening = prev.meta.opening
    return report


def test_an_unchanged_carried_report_gets_one_reuse_finding_per_text():
    report = _carried_unchanged()
    found = [(f.rule_id, f.section) for f in check(report) if f.rule_id in ("T2", "W4")]
    texts_with_words = [s for s in report.format.sections if report.sections.get(s.id, "").strip()]
    assert sorted(found) == sorted([("T2", s.id) for s in texts_with_words] + [("W4", OPENING)])


def test_the_whole_report_share_is_said_when_it_adds_a_section():
    """Reuse below the limit in one section, above it in another: only the whole-report finding
    points at the first."""
    report = corpus.load("carried_2025.txt")
    assert [f.section for f in text_findings(report, {"W4"})] == [OPENING, "overview"]  # 五 is T2's
    report.sections["overview"] += "".join("\n" + p for p in (
        "全年围绕农村公路建设、危桥改造和客运班线调整等群众关心的事项，及时发布项目批复、招投标和建设进度信息，"
        "主动回应沿线群众关切，组织开展项目建设开放日活动两次。",
        "在县政府门户网站开设“交通建设项目公开”专栏，按项目集中公开批准和实施信息，做到一个项目一个页面，"
        "方便群众查询项目全过程信息，专栏全年访问量明显上升。",
        "加强道路运输行政执法信息公开，全面推行执法公示制度，在执法决定作出后七个工作日内公开执法结果，"
        "同步公开行政处罚裁量基准和执法流程图。",
        "组织全局政府信息公开工作人员参加业务培训，邀请县政务公开办讲解公开属性认定和依申请公开答复规范，"
        "并结合实际案例开展讨论，提高经办人员的业务能力。",
        "完善政府信息公开指南和目录，及时更新机构职能、领导分工和办事指南等基础信息，对已失效的文件"
        "标注失效，方便群众准确获取信息。",
    ))
    found = text_findings(report, {"W4"})
    assert [f.section for f in found] == [OPENING, None]  # 一 rewritten below the limit, still reused
    assert "全文" in found[-1].message


def test_cli_check_names_the_section_of_each_text_finding(tmp_path, capsys):
    from gongkai_desktop import cli
    from gongkai_desktop.storage import exchange

    report = corpus.load("carried_2025.txt", with_previous=False)
    for sid in ("problems", "other"):
        report.sections[sid] = "2024年，本局认真落实《条例》要求，政府信息公开工作取得新进展。\n" + report.sections[sid]
    path = tmp_path / "r.json"
    exchange.dump_file(report, path)
    cli.main(["check", str(path)])
    lines = [line for line in capsys.readouterr().out.splitlines() if "「2024年，」写的是" in line]
    heads = {report.format.section(sid).heading for sid in ("overview", "problems", "other")}  # 一 had it already
    assert len(lines) == 3 and {line.split(" ", 2)[2].split("：")[0] for line in lines} == heads
