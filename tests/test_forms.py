"""The formats in forms/: shapes, exact labels, merges, year selection, and data-only additions."""

import datetime as dt
import json
import shutil

import pytest

from gongkai_desktop.report import formats as F
from gongkai_desktop.errors import FormatError, YearError


def spans(table):
    return {(c.row, c.col): (c.rowspan, c.colspan, c.text) for c in table.grid.cells if c.header}


@pytest.mark.parametrize("fmt_id,shapes", [
    ("gb2021", {"proactive": (4, 14), "requests": (10, 28), "appeals": (15, 4)}),
    ("gb2019", {"proactive": (4, 18), "requests": (10, 26), "appeals": (15, 4)}),
])
def test_grid_shapes_match_the_reference(fmt_id, shapes):
    fmt = F.get_format(fmt_id)
    for tid, (cols, rows) in shapes.items():
        g = fmt.tables[tid].grid
        assert (g.n_cols, g.n_rows) == (cols, rows), tid
        # every grid position is covered exactly once
        covered = {}
        for c in g.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    assert (r, k) not in covered, (tid, r, k)
                    covered[(r, k)] = c
        assert len(covered) == cols * rows


def test_six_sections_exact_headings():
    expected = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    for fmt in F.all_formats():
        assert [s.heading for s in fmt.sections] == expected


def test_table_three_header_and_vertical_merges_2021():
    t = F.get_format("gb2021").tables["requests"]
    s = spans(t)
    assert s[(0, 0)] == (3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    assert s[(0, 3)] == (1, 7, "申请人情况")
    assert s[(1, 3)] == (2, 1, "自然人")
    assert s[(1, 4)] == (1, 5, "法人或其他组织")
    assert s[(1, 9)] == (2, 1, "总计")
    assert [s[(2, c)][2] for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert s[(3, 0)] == (1, 3, "一、本年新收政府信息公开申请数量")
    assert s[(5, 0)] == (22, 1, "三、本年度办理结果")
    assert s[(7, 1)] == (8, 1, "（三）不予公开")
    assert s[(9, 2)] == (1, 1, "3.危及“三安全一稳定”")  # full-width curly quotes
    assert s[(15, 1)] == (3, 1, "（四）无法提供")
    assert s[(18, 1)] == (5, 1, "（五）不予处理")
    assert s[(23, 1)] == (3, 1, "（六）其他处理")
    assert s[(26, 1)] == (1, 2, "（七）总计")
    assert s[(27, 0)] == (1, 3, "四、结转下年度继续办理")
    labels = [c.text for c in t.grid.cells if c.header]
    assert "小计" not in "".join(labels)


def test_table_three_2019_has_single_other_row():
    s = spans(F.get_format("gb2019").tables["requests"])
    assert s[(5, 0)] == (20, 1, "三、本年度办理结果")
    assert s[(23, 1)] == (1, 2, "（六）其他处理")


def test_table_four_two_header_levels():
    s = spans(F.get_format("gb2021").tables["appeals"])
    assert s[(0, 0)] == (1, 5, "行政复议")
    assert s[(0, 5)] == (1, 10, "行政诉讼")
    assert [s[(1, c)] for c in range(5)] == [(2, 1, x) for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
    assert s[(1, 5)] == (1, 5, "未经复议直接起诉")
    assert s[(1, 10)] == (1, 5, "复议后起诉")
    assert [s[(2, c)][2] for c in range(5, 15)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2


def test_table_two_blocks_2021():
    t = F.get_format("gb2021").tables["proactive"]
    s = spans(t)
    assert s[(0, 0)] == (1, 4, "第二十条第（一）项")
    assert [s[(1, c)][2] for c in range(4)] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert s[(5, 1)] == (1, 3, "本年处理决定数量")
    assert s[(12, 1)] == (1, 3, "本年收费金额（单位：万元）")
    assert s[(13, 0)][2] == "行政事业性收费"
    money = [c for c in t.grid.cells if c.value == ("proactive", "fees", "fee_amount")][0]
    assert money.colspan == 3
    assert t.cell_kind("fees", "fee_amount") == "money"


def test_table_two_2019_signed_and_units():
    t = F.get_format("gb2019").tables["proactive"]
    assert t.cell_kind("licensing", "change") == "signed"
    assert t.cell_units("procurement", "purchase_amount") == ("万元", "元")
    s = spans(t)
    assert s[(15, 0)] == (1, 4, "第二十条第（九）项")
    assert [c.text for c in t.grid.cells if c.header and c.row == 16] == ["信息内容", "采购项目数量", "采购总金额"]


def test_totals_are_derived_not_typed():
    fmt = F.get_format("gb2021")
    assert ("requests", "total", "natural_person") in fmt.derived
    assert ("requests", "new", "total") in fmt.derived
    assert ("requests", "total", "total") in fmt.derived
    assert ("appeals", "counts", "after_review_total") in fmt.derived
    assert ("requests", "new", "natural_person") not in fmt.derived
    assert len(fmt.derived) == 7 + 25 - 1 + 3


@pytest.mark.parametrize("year,fmt_id", [(2019, "gb2019"), (2020, "gb2019"), (2021, "gb2021"), (2025, "gb2021")])
def test_format_follows_year(year, fmt_id):
    assert F.format_for_year(year, dt.date(2026, 1, 10)).id == fmt_id


@pytest.mark.parametrize("year", [2018, 1999, 2027])
def test_bad_years_refused_with_message(year):
    with pytest.raises(YearError) as exc:
        F.format_for_year(year, dt.date(2026, 1, 10))
    assert str(year) in str(exc.value)


def test_new_format_is_a_data_only_addition(tmp_path, monkeypatch):
    """A later national revision: copy a format file with new years and a changed label; the
    loader, the grid and the year selection pick it up with no code change."""
    for p in F.forms_dir().glob("*.json"):
        shutil.copy(p, tmp_path / p.name)
    data = json.loads((tmp_path / "gb2021.json").read_text(encoding="utf-8"))
    data["years"] = {"from": 2021, "to": 2025}
    (tmp_path / "gb2021.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["id"] = "gb2026"
    data["years"] = {"from": 2026, "to": None}
    data["tables"]["appeals"]["blocks"][0]["columns"][0]["children"][0]["label"] = "维持"
    (tmp_path / "gb2026.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("GONGKAI_FORMS_DIR", str(tmp_path))
    F.all_formats.cache_clear()
    F._formats_by_id.cache_clear()
    try:
        fmt = F.format_for_year(2026, dt.date(2026, 12, 1))
        assert fmt.id == "gb2026"
        assert spans(fmt.tables["appeals"])[(1, 0)][2] == "维持"
        assert F.format_for_year(2025, dt.date(2026, 12, 1)).id == "gb2021"
    finally:
        F.all_formats.cache_clear()
        F._formats_by_id.cache_clear()


def test_broken_format_data_fails_at_load():
    data = json.loads((F.forms_dir() / "gb2021.json").read_text(encoding="utf-8"))
    data["rules"][0]["left"] = ["new/{col}", "nonexistent_row/{col}"]
    with pytest.raises(FormatError, match="nonexistent_row"):
        F.parse_format(data)
    data = json.loads((F.forms_dir() / "gb2021.json").read_text(encoding="utf-8"))
    data["tables"]["proactive"]["blocks"][1]["columns"][0]["span"] = 2
    with pytest.raises(FormatError, match="列数不一致"):
        F.parse_format(data)


def test_organ_type_guessed_from_the_name_by_one_rule():
    """The new-report dialog and the reader of published reports guess the type the same way:
    a 镇/乡/街道 is 乡镇（街道） even when its name ends in 人民政府; any other name gets the default."""
    from gongkai_desktop.report.formats import all_formats
    from gongkai_desktop.report.model import default_organ_type, guess_organ_type

    fmt = all_formats()[-1]
    assert guess_organ_type("某县某某镇人民政府", fmt) == "township"
    assert guess_organ_type("某区某某街道办事处") == "township"
    assert guess_organ_type("某某乡") == "township"
    assert guess_organ_type("某某县人民政府") == "government"
    assert guess_organ_type("某某县教育局", fmt) == default_organ_type(fmt)
