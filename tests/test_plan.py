"""The document plan: one description of the printed report that both renderers draw."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongkai_desktop.documents import plan as P
from gongkai_desktop.report.model import Report
from sample import full_report

FORMATS = [pytest.param(2025, id="gb2021"), pytest.param(2020, id="gb2019")]


def _blocks(doc, kind):
    return [b for b in doc.blocks if isinstance(b, kind)]


@pytest.mark.parametrize("year", FORMATS)
def test_structure_follows_the_format(year):
    report = full_report(year)
    doc = P.build_plan(report)
    fmt = report.format
    assert isinstance(doc.blocks[0], P.Title)
    assert "".join(doc.blocks[0].lines) == report.title == f"某某市生态环境局{year}年政府信息公开工作年度报告"
    headings = [p.text for p in doc.paragraphs() if p.style == P.STYLE_HEADING1]
    assert headings == [s.heading for s in fmt.sections]
    assert [t.id for t in doc.tables()] == ["proactive", "requests", "appeals"]
    # Each table directly follows its section's heading (and the optional text before it).
    order = [b.text if isinstance(b, P.Paragraph) else b.id for b in doc.blocks
             if isinstance(b, (P.Paragraph, P.TablePlan))]
    assert order.index("proactive") == order.index("二、主动公开政府信息情况") + 1
    assert order.index("requests") > order.index("三、收到和处理政府信息公开申请情况")
    assert order.index("appeals") == order.index("四、政府信息公开行政复议、行政诉讼情况") + 1
    # The sign-off closes the document: organ, then date without zero padding.
    *_, signoff, date = doc.blocks
    assert (signoff.style, signoff.text) == (P.STYLE_SIGNOFF, "某某市生态环境局")
    assert (date.style, date.text) == (P.STYLE_DATE, f"{year + 1}年1月20日")
    assert doc.date_text == f"{year + 1}年1月20日"


def test_opening_paragraph_is_optional():
    report = full_report()
    doc = P.build_plan(report)
    first = doc.paragraphs()[0]
    assert first.style == P.STYLE_BODY and first.text.startswith("本报告依据")
    report.meta.opening = "  "
    doc = P.build_plan(report)
    assert doc.paragraphs()[0].text == "一、总体情况"


def test_signoff_can_differ_from_organ():
    report = full_report()
    report.meta.signoff = "某某市生态环境局办公室"
    report.meta.issue_date = dt.date(2026, 3, 5)
    doc = P.build_plan(report)
    assert [p.text for p in doc.paragraphs()[-2:]] == ["某某市生态环境局办公室", "2026年3月5日"]


def test_subheadings_runs_and_roles():
    doc = P.build_plan(full_report())
    by_text = {p.text: p for p in doc.paragraphs()}
    h1 = by_text["一、总体情况"]
    assert [r.role for r in h1.runs] == [P.ROLE_HEADING] and h1.keep_with_next and h1.outline_level == 0
    run_in = next(p for p in doc.paragraphs() if p.text.startswith("（一）主动公开。"))
    assert run_in.style == P.STYLE_HEADING2
    assert [(r.text, r.role) for r in run_in.runs][0] == ("（一）主动公开。", P.ROLE_SUBHEADING)
    assert run_in.runs[1].role == P.ROLE_BODY and run_in.runs[1].text.startswith("全年通过门户网站")
    assert not run_in.keep_with_next  # body text follows on the same line
    item = next(p for p in doc.paragraphs() if p.text.startswith("1.网站建设。"))
    assert item.style == P.STYLE_HEADING3 and {r.role for r in item.runs} == {P.ROLE_BODY}
    # A standalone sub-heading is kept with what follows.
    report = full_report()
    report.sections["problems"] = "（一）存在的问题\n政策解读形式不够丰富。"
    alone = next(p for p in P.build_plan(report).paragraphs() if p.text == "（一）存在的问题")
    assert alone.keep_with_next and alone.runs[0].role == P.ROLE_SUBHEADING
    # Body paragraphs are indented two characters; headings too (GB/T 9704).
    assert all(p.indent_chars == 2 for p in doc.paragraphs() if p.style.startswith(("body", "heading")))


def test_the_rare_character_survives():
    doc = P.build_plan(full_report())
    assert "𠮷" in "".join(doc.text_lines())
    assert "𠮷" in doc.characters()


def test_last_paragraph_stays_with_signoff():
    doc = P.build_plan(full_report())
    i = next(i for i, b in enumerate(doc.blocks) if isinstance(b, P.Paragraph) and b.style == P.STYLE_SIGNOFF)
    spacer, before = doc.blocks[i - 1], doc.blocks[i - 2]
    assert isinstance(spacer, P.Spacer) and spacer.keep_with_next
    assert isinstance(before, P.Paragraph) and before.keep_with_next
    assert doc.blocks[i].keep_with_next


# ---------------------------------------------------------------------------------------------
# Title


def test_title_lines():
    assert P.title_lines("某局2025年政府信息公开工作年度报告", "某局") == ["某局2025年政府信息公开工作年度报告"]
    lines = P.title_lines("某某市生态环境局2025年政府信息公开工作年度报告", "某某市生态环境局")
    assert lines == ["某某市生态环境局2025年", "政府信息公开工作年度报告"]
    organ = "某某自治区某某自治州某某县人民政府办公室信息公开中心"
    title = organ + "2025年政府信息公开工作年度报告"
    lines = P.title_lines(title, organ)
    assert "".join(lines) == title
    max_em = P.TEXT_WIDTH_MM * P.PT_PER_MM / P.TITLE_PT
    assert all(P.text_em(line) <= max_em for line in lines)
    assert len(lines) == 3
    # A name with no sensible break point still fits, character by character.
    organ = "某" * 40
    lines = P.title_lines(organ + "2025年政府信息公开工作年度报告", organ)
    assert all(P.text_em(line) <= max_em for line in lines)
    assert "".join(lines) == organ + "2025年政府信息公开工作年度报告"


# ---------------------------------------------------------------------------------------------
# Tables


@pytest.mark.parametrize("year", FORMATS)
def test_tables_match_the_form_grid(year):
    report = full_report(year)
    doc = P.build_plan(report)
    fmt = report.format
    for t in doc.tables():
        grid = fmt.tables[t.id].grid
        assert (t.n_rows, t.n_cols, t.header_rows) == (grid.n_rows, grid.n_cols, grid.header_rows)
        assert len(t.cells) == len(grid.cells)
        for pc, gc in zip(t.cells, grid.cells):
            assert (pc.row, pc.col, pc.rowspan, pc.colspan) == (gc.row, gc.col, gc.rowspan, gc.colspan)
            if gc.value is None:
                assert pc.text == gc.text  # every label character for character
                assert pc.header
            else:
                assert pc.key == gc.value
        assert sum(t.col_widths_mm) == pytest.approx(P.TEXT_WIDTH_MM, abs=0.05)
        assert all(w > 0 for w in t.col_widths_mm)


@pytest.mark.parametrize("year,rows,stack", [(2025, 28, 22), (2020, 26, 20)])
def test_table_three_merges(year, rows, stack):
    t = next(t for t in P.build_plan(full_report(year)).tables() if t.id == "requests")
    assert (t.n_rows, t.n_cols, t.header_rows) == (rows, 10, 3)
    corner = t.at(0, 0)
    assert (corner.rowspan, corner.colspan) == (3, 3)
    assert corner.text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    vertical = next(c for c in t.cells if c.text == "三、本年度办理结果")
    assert (vertical.rowspan, vertical.colspan) == (stack, 1)
    assert vertical.lines == tuple("三、本年度办理结果")  # printed one character a line
    withheld = next(c for c in t.cells if c.text == "（三）不予公开")
    assert withheld.rowspan == 8 and withheld.lines == ("（三）", "不予公开")
    assert next(c for c in t.cells if c.text == "（四）无法提供").rowspan == 3
    assert next(c for c in t.cells if c.text == "（五）不予处理").rowspan == 5
    other = next(c for c in t.cells if c.text == "（六）其他处理")
    assert (other.rowspan, other.colspan) == ((3, 1) if year >= 2021 else (1, 2))
    assert any(c.text == "3.危及“三安全一稳定”" for c in t.cells)
    # It breaks across pages like Word breaks it, but never leaves its header with fewer than two
    # rows, two rows alone on the next page, or a merged label with one row on either side.
    assert t.keep_rows == [(0, 4), (rows - 2, rows - 1)]
    breaks = t.break_rows()
    assert breaks and min(breaks) == 5 and max(breaks) <= rows - 2
    assert not any(c.row < k < c.row + c.rowspan and min(k - c.row, c.row + c.rowspan - k) < 2
                   for k in breaks for c in t.cells)


def test_table_four_header_levels():
    t = next(t for t in P.build_plan(full_report()).tables() if t.id == "appeals")
    assert (t.n_rows, t.n_cols, t.header_rows) == (4, 15, 3)
    top = [(c.text, c.colspan) for c in t.cells if c.row == 0]
    assert top == [("行政复议", 5), ("行政诉讼", 10)]
    review = [(c.text, c.rowspan) for c in t.cells if c.row == 1 and c.col < 5]
    assert review == [("结果维持", 2), ("结果纠正", 2), ("其他结果", 2), ("尚未审结", 2), ("总计", 2)]
    assert [(c.text, c.colspan) for c in t.cells if c.row == 1 and c.col >= 5] == [
        ("未经复议直接起诉", 5), ("复议后起诉", 5)]
    assert [c.text for c in t.cells if c.row == 3] == ["3", "1", "0", "1", "5", "2", "0", "1", "1", "4",
                                                        "1", "0", "0", "0", "1"]


def test_values_zero_totals_and_money():
    report = full_report()
    t2, t3, _t4 = P.build_plan(report).tables()
    v2 = t2.values()
    assert v2[("proactive", "coercion", "decisions")] == "0"  # 0 printed as 0
    assert v2[("proactive", "fees", "fee_amount")] == "0.092"  # the label carries the unit
    v3 = t3.values()
    assert v3[("requests", "total", "total")] == str(report.value(("requests", "total", "total")))
    assert v3[("requests", "new", "total")] == "153"
    assert t2.keep_rows == [(0, 3), (4, 6), (7, 10), (11, 13)]  # each 条例 item stays together
    # A blank cell stays blank (the checker reports it), it is never printed as 0.
    report.values[("requests", "partial", "business")] = None
    t3 = P.build_plan(report).tables()[1]
    assert t3.values()[("requests", "partial", "business")] == ""


def test_money_unit_is_printed_when_the_form_has_none():
    report = full_report(2020)
    v2 = P.build_plan(report).tables()[0].values()
    assert v2[("proactive", "procurement", "purchase_amount")] == "436.58万元"
    assert v2[("proactive", "licensing", "change")] == "-3"
    report.meta.units["proactive/procurement/purchase_amount"] = "元"
    report.values[("proactive", "procurement", "purchase_amount")] = Decimal("4365800")
    v2 = P.build_plan(report).tables()[0].values()
    assert v2[("proactive", "procurement", "purchase_amount")] == "4365800元"


def test_empty_report_plans_without_error():
    report = Report.new("某某县人民政府", 2025, "government", today=dt.date(2026, 1, 5))
    doc = P.build_plan(report)
    assert [p.text for p in doc.paragraphs() if p.style == P.STYLE_HEADING1][0] == "一、总体情况"
    assert all(c.text == "" for t in doc.tables() for c in t.cells if c.key and not report.is_derived(c.key))
    assert doc.date_text == ""
    assert doc.paragraphs()[-1].text == "某某县人民政府"


# ---------------------------------------------------------------------------------------------
# Headings, sign-off lines, number columns


def test_a_heading_is_the_phrase_a_line_starts_with():
    from gongkai_desktop.report.model import parse_section_text

    blocks = parse_section_text("\n".join([
        "（一）主动公开。全年主动公开信息1268条。",  # run-in
        "1.网站建设：完成适老化改造。",  # run-in after a colon
        "（二）存在的问题",  # a heading alone
        "（三）本机关坚持以公开为常态、不公开为例外，政务公开质量持续提升。",  # a numbered paragraph
        "（四）" + "很长的没有标点的一句话" * 4,  # no phrase end within reach: a paragraph
    ]))
    assert [(b.level, b.head) for b in blocks] == [(2, "（一）主动公开。"), (3, "1.网站建设："), (2, "（二）存在的问题"),
                                                   (0, ""), (0, "")]
    assert blocks[3].text.startswith("（三）本机关")


@pytest.mark.parametrize("n", range(4, 61, 4))
def test_signoff_lines_fit_and_break_sensibly(n):
    organ = ("某某省某某市某某区人民政府办公室（区政务服务数据管理局）某某自治州某某县" * 2)[:n]
    date_em = P.text_em("2026年1月20日")
    lines = P.signoff_lines(organ, date_em)
    assert "".join(lines) == organ
    assert all(P.text_em(line) <= P.CHARS_PER_LINE - 2 for line in lines)
    if len(lines) > 1:
        assert P.text_em(lines[-1]) >= date_em + 2  # the date stays under the name
        for line in lines[1:]:
            assert line[0] not in "）)" and len(line) >= 3
    paragraphs = P.signoff_paragraphs(organ, "2026年1月20日")
    assert [p.text for p in paragraphs] == [*lines, "2026年1月20日"]
    assert all(p.keep_with_next for p in paragraphs[:-1])


def test_value_columns_fit_the_largest_number_and_ziranren():
    report = full_report()
    plan = P.build_plan(report, findings=[])
    t3 = next(t for t in plan.tables() if t.id == "requests")
    em = t3.size_pt / P.PT_PER_MM
    value_cols = t3.col_widths_mm[3:]
    assert all(w - 2 * P.TABLE_CELL_PAD_MM >= 3 * em - 1e-6 for w in value_cols)  # 「自然人」 on one line
    assert t3.size_pt == P.TABLE_PT and sum(t3.col_widths_mm) == pytest.approx(P.TEXT_WIDTH_MM, abs=0.05)
    # Nine-digit numbers in table 三, seven in table 四's fifteen columns: set smaller until they fit.
    for key in list(report.values):
        if key[0] == "appeals":
            report.values[key] = 1234567
        if key[0] == "requests" and report.values[key]:
            report.values[key] = 123456789
    for t in P.build_plan(report, findings=[]).tables()[1:]:
        assert t.size_pt < P.TABLE_PT, t.id
        em = t.size_pt / P.PT_PER_MM
        for c in t.cells:
            if c.key is not None:
                width = sum(t.col_widths_mm[c.col:c.col + c.colspan]) - 2 * P.TABLE_CELL_PAD_MM
                assert P.text_em(c.text) * em <= width + 1e-6, (t.id, c.text)
