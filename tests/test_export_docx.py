"""The Word file: read back with python-docx, and rendered by LibreOffice as a real consumer."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from gongkai_desktop.documents import plan as P
from gongkai_desktop.documents import docx as R
from gongkai_desktop.documents.export import export_report
from sample import full_report

ROOT = Path(__file__).resolve().parents[1]
FONTCONF = ROOT / "resources" / "fontconfig" / "fonts.conf"
FORMATS = [pytest.param(2025, id="gb2021"), pytest.param(2020, id="gb2019")]


@pytest.fixture(scope="module", params=[2025, 2020], ids=["gb2021", "gb2019"])
def exported(request, tmp_path_factory):
    report = full_report(request.param)
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    result = export_report(report, docx_path=path, findings=[])
    assert result.written == [path] and result.docx_path == path
    return report, path, docx.Document(str(path))


def _grid(table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every merged area, rebuilt from the XML."""
    cells: dict[tuple[int, int], list] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            if vmerge is not None and vmerge.get(qn("w:val")) != "restart":
                # Continuation: extend the area above in this column.
                origin = next(v for (rr, cc), v in sorted(cells.items(), reverse=True) if cc == c and rr < r)
                origin[2] += 1
            else:
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                cells[(r, c)] = [r, c, 1, span, text]
            c += span
    return [tuple(v) for _k, v in sorted(cells.items())]


def test_headings_and_paragraph_styles(exported):
    report, _path, document = exported
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.style.name == "Title"
    assert title.text.replace("\n", "") == report.title
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in report.format.sections]
    # Run-in sub-headings: body paragraph, first run in the linked 楷体 character style.
    run_in = next(p for p in paragraphs if p.text.startswith("（一）主动公开。"))
    assert run_in.style.name == "Normal"
    assert run_in.runs[0].style.name == "标题 2 字符" and run_in.runs[0].text == "（一）主动公开。"
    assert "𠮷" in "\n".join(p.text for p in paragraphs)
    assert [p.text for p in paragraphs[-2:]] == ["某某市生态环境局", f"{report.meta.year + 1}年1月20日"]
    assert paragraphs[-1].style.name == "落款"


def test_three_tables_shapes_labels_merges_values(exported):
    report, _path, document = exported
    doc_plan = P.build_plan(report)
    assert len(document.tables) == 3
    for table, tplan in zip(document.tables, doc_plan.tables()):
        assert len(table.rows) == tplan.n_rows
        assert len(table._tbl.tblGrid.gridCol_lst) == tplan.n_cols
        got = _grid(table)
        want = [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in sorted(tplan.cells, key=lambda c: (c.row, c.col))]
        assert got == want
        # Header rows repeat; no row breaks across pages.
        for i, tr in enumerate(table._tbl.tr_lst):
            trpr = tr.trPr
            assert trpr.find(qn("w:cantSplit")) is not None
            assert (trpr.find(qn("w:tblHeader")) is not None) == (i < tplan.header_rows)
        widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.gridCol_lst]
        assert sum(widths) == R.TEXT_W
    t3 = _grid(document.tables[1])
    assert (5, 0, 22 if report.meta.year >= 2021 else 20, 1, "三、本年度办理结果") in t3
    assert (7, 1, 8, 1, "（三）不予公开") in t3
    vertical = document.tables[1].cell(5, 0)
    assert vertical.text.replace("\n", "") == "三、本年度办理结果"
    assert vertical.text.count("\n") == 8  # stacked one character a line


def test_values_in_word(exported):
    report, _path, document = exported
    t2, t3, t4 = document.tables
    rows3 = [[c.text for c in row.cells] for row in t3.rows]
    new_row = next(r for r in rows3 if r[0] == "一、本年新收政府信息公开申请数量")
    assert new_row[3:] == [str(report.value(("requests", "new", c))) for c in
                           ("natural_person", "business", "research", "public_interest", "legal_service",
                            "other_org", "total")]
    assert [c.text for c in t4.rows[3].cells] == ["3", "1", "0", "1", "5", "2", "0", "1", "1", "4",
                                                 "1", "0", "0", "0", "1"]
    texts2 = [c.text for row in t2.rows for c in row.cells]
    if report.meta.year >= 2021:
        assert "本年收费金额（单位：万元）" in texts2 and "0.092" in texts2
    else:
        assert "436.58万元" in texts2 and "-3" in texts2


def test_styles_carry_official_fonts_without_theme_fonts(exported):
    _report, path, document = exported
    with zipfile.ZipFile(path) as zf:
        xml = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml")}
    for name, text in xml.items():
        assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=", text), name
    styles = document.styles

    def east_asia(style_name):
        rfonts = styles[style_name].element.rPr.find(qn("w:rFonts"))
        return rfonts.get(qn("w:eastAsia")), rfonts.get(qn("w:ascii"))

    assert east_asia("Normal") == ("仿宋_GB2312", "Times New Roman")
    assert east_asia("Title") == ("方正小标宋简体", "Times New Roman")
    assert east_asia("Heading 1") == ("黑体", "Times New Roman")
    assert east_asia("Heading 2") == ("楷体_GB2312", "Times New Roman")
    assert east_asia("Heading 3") == ("仿宋_GB2312", "Times New Roman")
    assert east_asia("表格文字")[0] == "仿宋_GB2312"
    assert east_asia("Footer") == ("宋体", "宋体")
    assert styles["Normal"].font.size.pt == 16 and styles["Title"].font.size.pt == 22
    assert styles["Footer"].font.size.pt == 14
    assert styles["Normal"].paragraph_format.first_line_indent is not None
    assert styles["Heading 1"].paragraph_format.keep_with_next
    assert styles["Heading 2"].paragraph_format.keep_with_next
    assert 'w:eastAsia="zh-CN"' in xml["word/styles.xml"]
    # Substitutes for Word/WPS where an official face is not installed.
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in xml["word/fontTable.xml"]


def test_page_setup_and_page_numbers(exported):
    report, path, document = exported
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(x.mm) for x in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)]
    assert margins == [37, 35, 28, 26]
    assert abs(section.page_width - section.left_margin - section.right_margin - Mm(156)) < Mm(0.1)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 22 lines of 28.95 pt
    assert document.settings.odd_and_even_pages_header_footer
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    for p in (odd, even):
        xml = p._p.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml
    # 28 characters of 3号 fit a line exactly.
    assert R.CHAR_TWIPS * 28 <= R.TEXT_W < R.CHAR_TWIPS * 29
    props = document.core_properties
    assert props.title == report.title and props.author == report.meta.organ
    with zipfile.ZipFile(path) as zf:
        assert f"<Company>{report.meta.organ}</Company>" in zf.read("docProps/app.xml").decode()


def test_template_is_regenerated_from_code():
    buf = io.BytesIO()
    R.write_template(buf)
    committed = (ROOT / "resources" / "template.docx").read_bytes()
    assert buf.getvalue() == committed, "run: python packaging/make_docx_template.py"


def test_docx_without_template_file(monkeypatch):
    """A build that lost resources/ still produces the same document from code."""
    doc_plan = P.build_plan(full_report())
    with_file = R.render_docx(doc_plan)
    R._template_bytes.cache_clear()
    monkeypatch.setattr(R, "template_path", lambda: None)
    try:
        without = R.render_docx(doc_plan)
    finally:
        R._template_bytes.cache_clear()
    a = docx.Document(io.BytesIO(with_file))
    b = docx.Document(io.BytesIO(without))
    assert [p.text for p in a.paragraphs] == [p.text for p in b.paragraphs]
    assert a.styles.element.xml == b.styles.element.xml


def test_control_characters_do_not_break_the_file(tmp_path):
    report = full_report()
    report.sections["other"] = "（一）信息处理费收取情况。未收取\x07信息处理费。"
    path = tmp_path / "r.docx"
    export_report(report, docx_path=path, findings=[])
    assert "未收取信息处理费。" in "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


# ---------------------------------------------------------------------------------------------
# LibreOffice: a real consumer of the file

needs_soffice = pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"),
                                   reason="LibreOffice or poppler-utils not installed")


def _soffice_pdf(docx_path: Path, outdir: Path) -> Path:
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTCONF))
    profile = outdir / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), str(docx_path)],
        check=True, env=env, capture_output=True, timeout=180,
    )
    pdf = outdir / (docx_path.stem + ".pdf")
    assert pdf.is_file()
    return pdf


# LibreOffice 7.4 hangs a closing punctuation mark into the margin and, on a justified line,
# then does not draw it (Word and WPS do); the docx itself has it. Order is compared without
# those marks; the rare character 𠮷 comes from a fallback face that LibreOffice writes out of
# reading order, so it is checked on its own.
_LO_LOOSE = re.compile(r"[\s，。、；：？！”’）》𠮷]")


def _squash(text: str) -> str:
    return _LO_LOOSE.sub("", text)


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("year", FORMATS)
def test_libreoffice_renders_everything_in_order(year, tmp_path):
    report = full_report(year)
    path = tmp_path / "report.docx"
    export_report(report, docx_path=path, findings=[])
    pdf = _soffice_pdf(path, tmp_path)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    doc_plan = P.build_plan(report)
    flat = _squash(re.sub(r"— \d+ —", "", text.replace(doc_plan.draft_header, "")))
    # A label stacked one character a line (「三、本年度办理结果」) flows on into its merged cell's
    # continuation when LibreOffice breaks table 三 inside it (it ignores keep-with-next in table
    # rows, Word does not): its characters are checked apart.
    stacked = {c.text for t in doc_plan.tables() for c in t.cells if len(c.lines) > 2}
    pos = 0
    for piece in doc_plan.text_lines():
        if piece in stacked:
            continue
        piece = _squash(piece)
        found = flat.find(piece, pos)
        assert found >= 0, f"missing or out of order: {piece!r}"
        pos = found + len(piece)
    for label in stacked:
        assert all(ch in flat for ch in _squash(label))
    assert "𠮷" in text
    # The fontconfig aliases give each role its own face.
    fonts_out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    for face in ("UMingCN", "WenQuanYiZenHei", "UKaiCN"):
        assert face in fonts_out, fonts_out
    pages = text.split("\f")
    assert re.search(r"— 1 —", pages[0])


def test_control_characters_in_stored_text_do_not_break_the_word_file(tmp_path):
    """A control character that reached the store (a paste, an old file) is dropped from the
    printed text instead of making python-docx/Word refuse the document."""
    import docx as _docx

    from gongkai_desktop.documents.export import export_report
    from sample import full_report

    r = full_report(2025)
    r.sections["problems"] = "问题\x07一\x0b二\ud800三四"
    r.meta.organ = "某某局\x01"
    out = tmp_path / "r.docx"
    export_report(r, docx_path=out)
    text = "\n".join(p.text for p in _docx.Document(str(out)).paragraphs)
    assert "问题一二三四" in text and "某某局2025年" in text.replace("\n", "")


# ---------------------------------------------------------------------------------------------
# What a reviewer checks in Word (and in LibreOffice's rendering)


def _render(report, findings=()) -> docx.Document:
    return docx.Document(io.BytesIO(R.render_docx(P.build_plan(report, findings=list(findings)))))


def _outline_level(paragraph) -> int | None:
    """The outline level Word's navigation pane uses: the paragraph's own, else its style's."""
    ppr = paragraph._p.pPr
    own = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if own is not None:
        return int(own.get(qn("w:val")))
    style = paragraph.style._element.pPr
    lvl = style.find(qn("w:outlineLvl")) if style is not None else None
    return int(lvl.get(qn("w:val"))) if lvl is not None else None


def test_every_heading_has_its_outline_level_run_in_or_not():
    report = full_report()
    report.sections["problems"] = "（一）存在的问题\n本年度仍有不足。\n（二）改进措施。下一步将加强培训。"
    document = _render(report)
    plan = P.build_plan(report, findings=[])
    expected = {p.text: p.outline_level for p in plan.paragraphs() if p.outline_level is not None}
    got = {p.text: _outline_level(p) for p in document.paragraphs if p.text in expected}
    assert got == expected
    run_in = [p for p in document.paragraphs if p.text.startswith(("（一）主动公开。", "（二）改进措施。"))]
    assert len(run_in) == 2 and all(_outline_level(p) == 1 for p in run_in)
    assert _outline_level(next(p for p in document.paragraphs if p.text.startswith("1.网站建设。"))) == 2
    # Body text (numbered paragraphs included) is no heading.
    assert _outline_level(next(p for p in document.paragraphs if p.text == "本年度仍有不足。")) is None


def _headers_text(document) -> list[str]:
    section = document.sections[0]
    out = []
    for header in (section.header, section.even_page_header):
        out.append("" if header.is_linked_to_previous else "".join(p.text for p in header.paragraphs))
    return out


def test_draft_mark_in_the_headers_final_has_none():
    draft = _render(full_report(), findings=[])
    assert all(h.startswith("草稿") and "尚未定稿" in h for h in _headers_text(draft))
    final = full_report()
    final.status = "final"
    assert not any("草稿" in h for h in _headers_text(_render(final, findings=[])))
    with zipfile.ZipFile(io.BytesIO(R.render_docx(P.build_plan(final, findings=[])))) as z:
        assert not any("草稿" in z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def test_signoff_lines_are_paragraphs_placed_per_gbt9704():
    organ = "某某省某某市某某区人民政府办公室（区政务服务数据管理局）"
    report = full_report(organ=organ)
    paragraphs = _render(report).paragraphs
    assert [p.text for p in paragraphs[-3:]] == ["某某省某某市某某区人民政府办公室", "（区政务服务数据管理局）",
                                                f"{report.meta.year + 1}年1月20日"]
    assert all(p.style.name == "落款" for p in paragraphs[-3:])
    indents = [p._p.pPr.find(qn("w:ind")) for p in paragraphs[-3:]]
    # 右空二字 for the name; the date starts two characters right of 「（区…局）」 (12 characters
    # ending two from the right): 28 − 2 − 12 + 2 = 16 characters in, placed from the left.
    assert [i.get(qn("w:rightChars")) for i in indents[:2]] == ["200", "200"]
    assert indents[2].get(qn("w:firstLineChars")) == "1600"
    assert paragraphs[-1]._p.pPr.find(qn("w:jc")).get(qn("w:val")) == "left"
    keep = [p._p.pPr.find(qn("w:keepNext")) is not None for p in paragraphs[-3:]]
    assert keep == [True, True, False]


def test_no_automatic_space_between_chinese_and_digits():
    styles = _render(full_report()).styles.element
    for where in (styles.find(qn("w:docDefaults")), styles.xpath('w:style[@w:styleId="Normal"]')[0]):
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
            el = where.find(".//" + tag.replace("w:", "{%s}" % R.W_NS))
            assert el is not None and el.get(qn("w:val")) == "0", (where.tag, tag)


def test_large_numbers_get_wide_columns_and_a_smaller_table_if_need_be():
    report = full_report()
    report.values[("requests", "new", "natural_person")] = 123456789
    plan = P.build_plan(report, findings=[])
    t3 = next(t for t in plan.tables() if t.id == "requests")
    document = _render(report)
    table = document.tables[1]
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.gridCol_lst]
    pad = R._twips_mm(P.TABLE_CELL_PAD_MM)
    half_pt = t3.size_pt * 20 / 2  # a digit is half an em, in twips
    for w in widths[3:]:
        assert w - 2 * pad >= 9 * half_pt  # nine digits fit on one line
    sizes = {r.font.size.pt for r in table.rows[3].cells[3].paragraphs[0].runs} if t3.size_pt != P.TABLE_PT else set()
    assert sizes <= {t3.size_pt}


@pytest.mark.slow
@needs_soffice
def test_libreoffice_keeps_numbers_ziranren_and_the_signoff_whole(tmp_path):
    organ = "某某省某某市某某区人民政府办公室（区政务服务数据管理局）"
    report = full_report(organ=organ)
    report.values[("requests", "new", "natural_person")] = 1234567
    path = tmp_path / "r.docx"
    path.write_bytes(R.render_docx(P.build_plan(report, findings=[])))
    pdf = _soffice_pdf(path, tmp_path)
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"(?<!\d)1234567(?!\d)", raw)
    assert "自然人" in raw.split()
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    tail = lines[-4:-1] if re.fullmatch(r"— \d+ —", lines[-1]) else lines[-3:]
    assert tail[0] == "某某省某某市某某区人民政府办公室" and tail[1] == "（区政务服务数据管理局）"
    assert re.sub(r"\s", "", tail[2]) == f"{report.meta.year + 1}年1月20日"


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("n", [4, 8, 12, 28, 35, 45, 60])
def test_libreoffice_signoff_geometry(n, tmp_path):
    """GB/T 9704 7.3.5.2 measured on LibreOffice's rendering of the .docx. LibreOffice spaces the
    date's digits from the Chinese (it ignores autoSpaceDE, Word does not), so the date is
    wider than planned: where the date is placed from the name (the name is the longer) the
    geometry is exact; where the date is the longer, its 右空二字 holds and the name starts left of it."""
    from test_export_pdf import CHAR, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT, _check_signoff_geometry, _organ, _page_lines

    organ = _organ(n)
    report = full_report(organ=organ)
    report.status = "final"
    path = tmp_path / "r.docx"
    path.write_bytes(R.render_docx(P.build_plan(report, findings=[])))
    lines = [(x0, x1, re.sub(r"\s", "", t)) for x0, x1, _t, b, t in _page_lines(_soffice_pdf(path, tmp_path))[-1]
             if b < TEXT_BOTTOM]
    date_text = P.format_date(report.meta.issue_date)
    k = len(P.signoff_lines(organ, P.text_em(date_text)))
    names, date = lines[-k - 1:-1], lines[-1]
    if P.text_em(date_text) <= P.text_em(P.signoff_lines(organ, P.text_em(date_text))[-1]) - 2:
        _check_signoff_geometry(names, date, organ, date_text, CHAR, TEXT_RIGHT, TEXT_LEFT, tol=1.0)
    else:
        assert "".join(t for *_x, t in names) == organ and date[2] == date_text
        assert TEXT_RIGHT - date[1] == pytest.approx(2 * CHAR, abs=1.0)
        assert names[-1][0] < date[0]


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("kind", ["example2021", "long2021"])
def test_libreoffice_leaves_no_page_a_third_empty(kind, tmp_path):
    """Table 三 breaks across pages in the .docx too (rows may break, header rows repeat)."""
    from test_export_pdf import TEXT_BOTTOM, TEXT_TOP, _long_report, _page_lines

    report = _long_report(2025) if kind.startswith("long") else full_report()
    path = tmp_path / "r.docx"
    path.write_bytes(R.render_docx(P.build_plan(report, findings=[])))
    pages = _page_lines(_soffice_pdf(path, tmp_path))
    assert len(pages) >= 4
    for n, page in enumerate(pages[:-1], start=1):
        lowest = max(b for _x0, _x1, t, b, _text in page if TEXT_TOP - 1 < t and b < TEXT_BOTTOM + 1)
        assert lowest >= TEXT_TOP + (TEXT_BOTTOM - TEXT_TOP) * 2 / 3, (n, lowest)
    # On every page table 三 is on, its header comes first.
    on = [i for i, page in enumerate(pages) if any("本年度办理结果" in t or "结转下年度继续办理" in t
                                                   or t.startswith("（七）总计") for *_x, t in page)]
    for i in on:
        assert any(t.startswith("（本列数据的勾稽关系为") for *_x, t in pages[i]), i
