"""The 解读: generated from the report, never beyond it; edited by the clerk; printed like the report.

What the public and the reviewer rely on: the 解读 quotes the report's key figures (新收, 结转,
办理结果, 复议, 诉讼 …) exactly, and no figure the report does not contain — read back from the
Word file (python-docx) and from the PDF (pdftotext), over random reports.
"""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai_desktop.documents import plan as P
from gongkai_desktop.documents.export import export_report, filename_for
from gongkai_desktop.documents.jiedu import build_jiedu_plan, generate_jiedu, jiedu_text, jiedu_title
from gongkai_desktop.report.values import format_value
from sample import full_report

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    assert not d.tables  # a 解读 has no tables
    return "\n".join(p.text for p in d.paragraphs)


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"—\s*\d+\s*—", "", out)  # page numbers


# ---------------------------------------------------------------------------------------------
# What the report holds, and what the 解读 says


def key_figures(report) -> dict[str, str]:
    """The format's key figures (forms/ key_figures) as the report prints them."""
    out = {}
    for kf in report.format.key_figures:
        values = [report.value(k) for k in kf.cells]
        if all(v is not None for v in values):
            out[kf.id] = format_value(sum(values))
    return out


def group_totals(report) -> dict[str, str]:
    """The totals of the row groups and column groups the statistics sentences state though the
    form has no cell for them (三's 「（三）不予公开」 = its eight reasons at 总计): label → figure,
    blank cells counting as nothing."""
    out = {}

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n.children)

    for table in report.format.tables.values():
        for block in table.blocks:
            for r in walk(block.rows):
                for c in walk(block.columns):
                    if r.is_leaf and c.is_leaf:
                        continue
                    vals = [report.value((table.id, rl.id, cl.id)) for rl in r.leaves() for cl in c.leaves()
                            if table.has_cell(rl.id, cl.id)]
                    vals = [v for v in vals if v is not None]
                    if vals:
                        out[(table.id, r.label, c.label)] = format_value(sum(vals))
    return out


def result_groups(report) -> dict[str, str]:
    """三's result groups (予以公开 … 其他处理) at the 总计 column: the short name → its figure."""
    table = report.format.tables["requests"]
    totals = group_totals(report)
    out = {}
    result = table.row("total").parent
    total_col = table.column_for("total", "total")
    for node in result.children:
        if node.id == "total":
            continue
        name = re.sub(r"^（[一二三四五六七八九十]+）", "", node.label)
        name = re.sub(r"（.*$", "", name)
        if node.is_leaf:
            v = report.value(("requests", node.id, "total"))
            if v is not None:
                out[name] = format_value(v)
        elif ("requests", node.label, total_col.label) in totals:
            out[name] = totals[("requests", node.label, total_col.label)]
    return out


def report_numbers(report) -> set[str]:
    """Every number the report states: table cells (typed and computed), the format's key figures
    (forms/: 行政诉讼 = 直接起诉 + 复议后起诉) and its texts."""
    nums = {format_value(report.value(k)) for k in report.format.cells() if report.value(k) is not None}
    nums |= set(key_figures(report).values())
    nums |= set(group_totals(report).values())
    text = "\n".join([report.title, report.meta.opening or "", *report.sections.values()])
    nums |= set(re.findall(r"\d+(?:\.\d+)?", text))
    return nums


def jiedu_numbers(report, text: str) -> set[str]:
    """The figures a 解读 states: numbers, less the document numbers of the legal basis
    (〔2021〕30号) and the statistics period (the report's calendar year)."""
    year = report.meta.year
    text = _squash(text)
    text = re.sub(r"〔\d{4}〕\d+号", "", text)
    text = text.replace(f"{year}年1月1日至{year}年12月31日", "")
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def complete_tables(report) -> set[str]:
    """The tables without a blank cell."""
    return {t.id for t in report.format.tables.values()
            if all(report.value((t.id, r, c)) is not None for _, r, c in t.cells())}


def assert_faithful(report, text: str) -> None:
    flat = _squash(text)
    complete = complete_tables(report)
    for kid, value in key_figures(report).items():
        # The statistics sentences name the categories that occurred: a zero goes unsaid. A table
        # with blank cells may go unquoted (blank is not zero: no sentence sums over a blank).
        kf = next(k for k in report.format.key_figures if k.id == kid)
        if value != "0" and kf.cells[0][0] in complete:
            assert value in jiedu_numbers(report, text), (kid, value)
    if "requests" in complete:
        for name, value in result_groups(report).items():
            # Every result the report counts is counted, not just named (不予公开10件, never 「另有不予公开的情形」).
            if value != "0":
                assert f"{name}{value}件" in flat, (name, value)
    stray = jiedu_numbers(report, text) - report_numbers(report)
    assert not stray, stray  # a figure that is not in the report
    assert _squash(jiedu_title(report)) in flat


# ---------------------------------------------------------------------------------------------
# Shape


@pytest.mark.parametrize("year, notice", [(2025, "国办公开办函〔2021〕30号"), (2020, "国办公开办函〔2019〕60号")])
def test_opening_names_the_legal_basis_and_the_period(year, notice):
    report = full_report(year)
    text = generate_jiedu(report)
    first = text.splitlines()[0]
    raw = report.format.raw
    assert raw["regulation"] in first and raw["notice_title"] in first and notice in first
    assert f"{year}年1月1日至{year}年12月31日" in first
    assert jiedu_title(report) == f"{report.meta.organ}{year}年政府信息公开工作年度报告解读"


def test_one_third_person_paragraph_per_part_with_its_aspects():
    report = full_report()
    lines = generate_jiedu(report).splitlines()
    for s in report.format.sections:
        i = lines.index(s.heading)
        assert lines[i + 1].startswith("《报告》"), lines[i + 1]
    overview = lines[lines.index(report.format.sections[0].heading) + 1]
    # The aspects are the section's own sub-headings (（一）主动公开。…).
    assert "从主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面" in overview


def test_key_figures_are_quoted_with_their_labels():
    report = full_report()
    text = generate_jiedu(report)
    new = report.value(("requests", "new", "total"))
    handled = report.value(("requests", "total", "total"))
    review = report.value(("appeals", "counts", "review_total"))
    assert f"《报告》显示，本年度共新收政府信息公开申请{new}件" in text
    assert f"办结{handled}件，其中予以公开" in text
    # Each result group counted (the form has no subtotal row; the sentence sums its reasons).
    assert "不予公开10件、无法提供32件、不予处理10件、其他处理5件" in text
    assert "情形" not in text
    assert f"行政复议{review}件" in text
    assert "行政事业性收费0.092万元" in text
    assert "行政许可决定1286件、行政处罚决定357件" in text


def test_the_statistics_are_the_reports_own_sentences():
    """One declaration of which figures, in which words: the 解读 quotes report/sentences.py."""
    from gongkai_desktop.report import sentences

    report = full_report()
    text = generate_jiedu(report)
    for kind in report.format.tables:  # a statistics sentence per table (二, 三, 四)
        assert sentences.sentence(report, kind) in text, kind


def test_a_blank_cell_is_left_out_not_guessed():
    report = full_report()
    report.values[("appeals", "counts", "review_upheld")] = None
    text = generate_jiedu(report)
    part = text.split("四、")[-1].split("五、")[0]
    review = part.split("行政复议", 2)[-1].split("；")[0]  # the 复议 clause
    assert "结果维持" not in review  # the blank cell is not named, not guessed
    assert "None" not in text
    if re.search(r"行政复议\d", part):
        # A total, if said, is what the report prints in its 总计 cell.
        assert f"行政复议{format_value(report.value(('appeals', 'counts', 'review_total')))}件" in part
    assert_faithful(report, jiedu_title(report) + "\n" + text)


def test_the_clerk_edits_win_and_are_printed(tmp_path):
    report = full_report()
    report.jiedu = "一、总体情况\n《报告》介绍了本机关的工作。这是填报人员改写的解读。"
    assert jiedu_text(report) == report.jiedu
    path = tmp_path / "j.docx"
    export_report(report, outputs={"jiedu_docx": path}, findings=[])
    text = _docx_text(path)
    assert "这是填报人员改写的解读" in text and "本年新收" not in text


def test_plan_has_the_report_layout_and_no_tables():
    report = full_report()
    jp = build_jiedu_plan(report, [])
    assert isinstance(jp.blocks[0], P.Title) and jp.title.endswith("年度报告解读")
    assert not jp.tables()
    heads = [p for p in jp.paragraphs() if p.style == P.STYLE_HEADING1]
    assert [p.text for p in heads] == [s.heading for s in report.format.sections]
    assert all(p.runs[0].role == P.ROLE_HEADING for p in heads)
    assert any(p.style == P.STYLE_BODY and p.indent_chars == 2 for p in jp.paragraphs())


def test_file_names_say_what_each_is():
    report = full_report()
    assert filename_for(report, "jiedu_docx") == report.title + "解读.docx"
    assert filename_for(report, "jiedu_pdf") == report.title + "解读.pdf"


# ---------------------------------------------------------------------------------------------
# Property: over random reports, the printed 解读 holds its report's figures and no other


def _randomised(seed: int, year: int, blanks: bool):
    """A report of ``year`` whose every typed cell is random (some blank when ``blanks``); one
    seed draws them all, so a failure shrinks to one number."""
    import random

    rnd = random.Random(seed)
    report = full_report(year)
    report.status = "final"
    fmt = report.format
    for key in sorted(report.values):
        kind = fmt.cell_kind(key)
        if blanks and rnd.random() < 0.1:
            report.values[key] = None
        elif kind == "money":
            report.values[key] = Decimal(rnd.randint(0, 10**6)) / 1000
        elif kind == "signed":
            report.values[key] = rnd.randint(-500, 500)
        else:
            report.values[key] = rnd.choice([0, rnd.randint(0, 9), rnd.randint(0, 99_999)])
    return report


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), year=st.sampled_from([2025, 2020]), blanks=st.booleans())
def test_property_docx_holds_the_figures_and_nothing_else(tmp_path, seed, year, blanks):
    report = _randomised(seed, year, blanks)
    path = tmp_path / "j.docx"
    export_report(report, outputs={"jiedu_docx": path}, findings=[])
    assert_faithful(report, _docx_text(path))


@needs_poppler
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), year=st.sampled_from([2025, 2020]), blanks=st.booleans())
def test_property_pdf_holds_the_figures_and_nothing_else(tmp_path, seed, year, blanks):
    report = _randomised(seed, year, blanks)
    path = tmp_path / "j.pdf"
    export_report(report, outputs={"jiedu_pdf": path}, findings=[])
    assert_faithful(report, _pdf_text(path))


def test_the_property_can_fail():
    """A 解读 with an invented figure, or without a key figure, is caught."""
    report = full_report()
    text = generate_jiedu(report)
    with pytest.raises(AssertionError):
        assert_faithful(report, text + "另有申请987654件。")
    new = str(report.value(("requests", "new", "total")))
    with pytest.raises(AssertionError):
        assert_faithful(report, text.replace(new + "件", "若干件"))
    with pytest.raises(AssertionError):  # a group named but not counted
        assert_faithful(report, text.replace("不予公开10件", "不予公开若干件"))


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_jiedu_writes_the_requested_files(tmp_path):
    from gongkai_desktop.cli import main
    from gongkai_desktop.storage import exchange

    src = tmp_path / "r.json"
    exchange.dump_file(full_report(), src)
    outs = {"docx": tmp_path / "j.docx", "pdf": tmp_path / "j.pdf", "html": tmp_path / "j.html"}
    args = ["jiedu", str(src)]
    for opt, path in outs.items():
        args += [f"--{opt}", str(path)]
    assert main(args) == 0
    assert "解读" in _docx_text(outs["docx"])
    assert outs["pdf"].read_bytes()[:4] == b"%PDF"
    assert "年度报告解读" in outs["html"].read_text(encoding="utf-8")


def test_cli_jiedu_without_an_output_says_which_options(tmp_path, capsys):
    from gongkai_desktop.cli import main
    from gongkai_desktop.storage import exchange

    src = tmp_path / "r.json"
    exchange.dump_file(full_report(), src)
    assert main(["jiedu", str(src)]) == 2
    err = capsys.readouterr().err
    assert "--docx" in err and "--tujie" in err


# ---------------------------------------------------------------------------------------------
# The 图解


@needs_poppler
@pytest.mark.parametrize("year", [2025, 2020])
def test_tujie_pdf_is_one_page_with_the_figures(tmp_path, year):
    report = full_report(year)
    path = tmp_path / "t.pdf"
    export_report(report, outputs={"tujie_pdf": path}, findings=[])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    text = _squash(_pdf_text(path))
    assert _squash(report.title + "图解") in text
    for kid, value in key_figures(report).items():
        assert value in text, kid
    from gongkai_desktop.documents.tujie import appeal_series, result_bars

    lines = [_squash(line) for line in subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                                        text=True, check=True).stdout.splitlines()]
    for label, value in result_bars(report):
        # Each bar says what and how many, in words, on its own line.
        assert any(line == f"{label}{value}件" for line in lines), (label, value)
    assert len(appeal_series(report)) == 3


def test_tujie_reads_in_black_and_white():
    """Every fill and line is a grey (no colour carries meaning), and every bar has a label."""
    from reportlab.graphics.shapes import Group, Rect, String

    from gongkai_desktop.documents.tujie import draw_tujie

    drawing = draw_tujie(full_report(), None)
    shapes, stack = [], list(drawing.contents)
    while stack:
        s = stack.pop()
        if isinstance(s, Group):
            stack.extend(s.contents)
        else:
            shapes.append(s)
    colours = [c for s in shapes for c in (getattr(s, "fillColor", None), getattr(s, "strokeColor", None)) if c]
    assert colours and all(abs(c.red - c.green) < 1e-6 and abs(c.green - c.blue) < 1e-6 for c in colours)
    assert sum(isinstance(s, Rect) for s in shapes) >= 10 and sum(isinstance(s, String) for s in shapes) >= 20


def test_tujie_outcomes_differ_without_colour():
    """结果纠正 and 其他结果 share a bar with 结果维持 and 尚未审结: on a black-and-white print each
    outcome differs from every other by texture (hatched, dotted) or by a clearly different grey,
    and the bar of the sample report actually draws the hatching and the dots."""
    from reportlab.graphics.shapes import Circle, Group, Line

    from gongkai_desktop.documents.tujie import OUTCOME_FILLS, appeal_series, draw_tujie

    report = full_report()
    outcomes = {name for _, parts, _ in appeal_series(report) for name, _ in parts}
    fills = OUTCOME_FILLS[:len(outcomes)]
    for i, (g1, t1) in enumerate(fills):
        for g2, t2 in fills[i + 1:]:
            assert t1 != t2 or abs(g1 - g2) >= 0.3, (g1, t1, g2, t2)
    shapes, stack = [], list(draw_tujie(report, None).contents)
    while stack:
        s = stack.pop()
        stack.extend(s.contents) if isinstance(s, Group) else shapes.append(s)
    hatch = [s for s in shapes if isinstance(s, Line) and s.x2 - s.x1 > 0 and abs((s.y2 - s.y1) - (s.x2 - s.x1)) < 1e-6]
    dots = [s for s in shapes if isinstance(s, Circle)]
    assert len(hatch) >= 10 and len(dots) >= 10


def test_tujie_png(tmp_path):
    from PIL import Image

    path = tmp_path / "t.png"
    export_report(full_report(), outputs={"tujie_png": path}, findings=[])
    with Image.open(path) as im:
        assert im.format == "PNG" and abs(im.height / im.width - 297 / 210) < 0.01


def test_cli_tujie_picks_pdf_or_png_by_suffix(tmp_path, capsys):
    from gongkai_desktop.cli import main
    from gongkai_desktop.storage import exchange

    src = tmp_path / "r.json"
    exchange.dump_file(full_report(), src)
    assert main(["jiedu", str(src), "--tujie", str(tmp_path / "t.png")]) == 0
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["jiedu", str(src), "--tujie", str(tmp_path / "t.pdf")]) == 0
    assert (tmp_path / "t.pdf").read_bytes()[:4] == b"%PDF"
    assert main(["jiedu", str(src), "--tujie", str(tmp_path / "t.gif")]) == 2
    assert ".png" in capsys.readouterr().err


def test_stray_figures_in_an_edited_jiedu_are_found():
    from gongkai_desktop.documents.jiedu import stray_figures

    report = full_report()
    assert stray_figures(report, generate_jiedu(report)) == []
    new = report.value(("requests", "new", "total"))
    edited = f"《报告》显示，本年新收申请{new}件，比上年增长37件。依据国办公开办函〔2021〕30号，2025年1月1日起统计。"
    assert stray_figures(report, edited) == ["37"]
