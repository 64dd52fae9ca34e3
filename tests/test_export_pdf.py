"""The PDF, and the export as the clerk sees it (result, messages, safe writing)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from gongkai_desktop.documents import fonts as F
from gongkai_desktop.documents import plan as P
from gongkai_desktop.errors import ExportError
from gongkai_desktop.documents.export import ExportResult, export_report, filename_for
from gongkai_desktop.storage.fileio import safe_filename
from gongkai_desktop.documents.fonts import CANNOT_END, CANNOT_START
from sample import full_report

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"),
                                   reason="poppler-utils not installed")
needs_cjk_font = pytest.mark.skipif(not F.get_catalog().embeddable_faces(cjk_only=True),
                                    reason="no embeddable Chinese font installed")
FORMATS = [pytest.param(2025, id="gb2021"), pytest.param(2020, id="gb2019")]


def _text(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module", params=[2025, 2020], ids=["gb2021", "gb2019"])
def exported(request, tmp_path_factory):
    report = full_report(request.param)
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    result = export_report(report, pdf_path=path, findings=[])
    return report, path, result


# ---------------------------------------------------------------------------------------------
# Content


@needs_poppler
@needs_cjk_font
def test_every_label_and_number_in_order(exported):
    report, path, result = exported
    assert result.written == [path] and result.pdf_path == path
    raw = _text(path, "-raw")
    doc_plan = P.build_plan(report)
    flat = _squash(re.sub(r"— \d+ —", "", raw.replace(doc_plan.draft_header, "")))
    pos = 0
    for piece in doc_plan.text_lines():
        piece = _squash(piece)
        found = flat.find(piece, pos)
        assert found >= 0, f"missing or out of order: {piece!r}"
        pos = found + len(piece)
    assert "𠮷" in raw  # outside the BMP: right in the text layer
    assert "3.危及“三安全一稳定”" in flat


@needs_poppler
@needs_cjk_font
def test_fonts_embedded_and_reported(exported):
    _report, path, result = exported
    rows = _fonts(path)
    assert rows
    for row in rows:
        assert row[-5] == "yes", row  # emb
    assert not any(r[0] == "Helvetica" for r in rows)
    assert result.embedded_ok
    assert set(result.font_roles) == set(F.ROLES)
    assert all(result.font_roles[r] for r in F.ROLES)
    assert result.messages[-1] == f"已导出：{path}"
    assert any(line.startswith("  正文：") for line in result.messages)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(rf"Title:\s+{re.escape(_report.title)}", info)
        assert re.search(r"Author:\s+某某市生态环境局", info)
        assert re.search(r"Page size:\s+595.2\d* x 841.8\d* pts \(A4\)", info)


@needs_poppler
@needs_cjk_font
def test_page_numbers_alternate_sides(exported):
    _report, path, result = exported
    assert result.pages and result.pages >= 3
    bbox = _text(path, "-bbox")
    pages = re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", bbox, re.S)
    assert len(pages) == result.pages
    for n, (width, height, body) in enumerate(pages, start=1):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                           body)
        foot = [(float(x0), float(x1), w) for x0, y0, x1, _y1, w in words if float(y0) > float(height) - 35 * 72 / 25.4]
        assert "".join(w for _a, _b, w in foot) == f"—{n}—"
        left = min(x0 for x0, _x1, _w in foot)
        right = max(x1 for _x0, x1, _w in foot)
        if n % 2:  # odd: right, one 4号 character in from the text block's edge
            assert right == pytest.approx(float(width) - 26 * 72 / 25.4 - 14, abs=1.5)
        else:
            assert left == pytest.approx(28 * 72 / 25.4 + 14, abs=1.5)


@needs_poppler
@needs_cjk_font
def test_layout_rules(exported):
    """Table 三 repeats its header rows on every page it is on, 四 stays whole; no heading ends a
    page; Chinese line-breaking rules hold on every line."""
    report, path, _result = exported
    pages = _text(path, "-raw").split("\f")
    headings = [s.heading for s in report.format.sections]
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip() and not re.fullmatch(r"— \d+ —", line)]
        if not lines:
            continue
        assert lines[-1] not in headings, f"heading at the foot of a page: {lines[-1]}"
    joined = ["".join(p.split()) for p in pages]
    on = [i for i, p in enumerate(joined) if "一、本年新收政府信息公开申请数量" in p or "四、结转下年度继续办理" in p
          or "（七）总计" in p]
    assert on
    for i in range(on[0], on[-1] + 1):
        assert "（本列数据的勾稽关系为" in joined[i] and "自然人" in joined[i]
    assert "三、收到和处理政府信息公开申请情况" in "".join(joined[: on[0] + 1])
    review = next(i for i, p in enumerate(joined) if "未经复议直接起诉" in p)
    assert "复议后起诉" in joined[review]
    # 禁则 on the body text: no closing mark starts a line, no opening mark ends one.
    layout = _text(path, "-raw")
    body_lines = [line.strip() for line in layout.splitlines() if len(line.strip()) > 20]
    assert body_lines
    for line in body_lines:
        assert line[0] not in CANNOT_START - {" "}, line
        assert line[-1] not in CANNOT_END, line


@needs_cjk_font
def test_table_three_breaks_with_header_and_merged_labels_continued():
    """A piece of table 三 on a new page starts with the header rows again, and a merged group
    label cut by the break is printed again over the rows it still spans (as Word continues it)."""
    from gongkai_desktop.documents.pdf import TEXT_W, Fonts, GridTable, _flowable

    fonts = Fonts(F.resolve())
    plan3 = P.build_plan(full_report()).tables()[1]
    table = _flowable(GridTable)(plan3, fonts)
    _w, h = table.wrapOn(None, TEXT_W, 10_000)
    first, second = table.splitOn(None, TEXT_W, h * 0.55)

    def texts(piece) -> list[list[str]]:
        t = piece._table
        out = []
        for row in t._cellvalues:
            cells = []
            for c in row:
                if isinstance(c, (list, tuple)):  # reportlab keeps flowable cells in a tuple
                    c = c[0] if c else None
                cells.append("".join(run.text for line in c.forced_lines for run in line) if c else "")
            out.append(cells)
        return out

    a, b = texts(first), texts(second)
    assert a[: plan3.header_rows] == b[: plan3.header_rows]
    assert b[0][0].startswith("（本列数据的勾稽关系为")
    # Rows are whole on each side: the body rows of both pieces add up to the table's.
    assert len(a) + len(b) - plan3.header_rows == plan3.n_rows
    k = len(a)  # the plan row the second piece starts with
    assert k in plan3.break_rows()
    for c in plan3.cells:
        if c.row < k < c.row + c.rowspan and len(c.lines) == 2:  # a group label such as （三）不予公开
            assert b[plan3.header_rows][c.col] == c.text


@needs_cjk_font
def test_face_cache_gives_the_same_font(tmp_path, monkeypatch):
    """A face registered from the cache measures and subsets exactly like a freshly parsed one."""
    from reportlab.pdfbase.ttfonts import TTFont

    cache = F.FaceCache(tmp_path)
    face = F.resolve()["body"].face
    fresh = TTFont("GK-test-fresh", face.path, subfontIndex=face.index)
    assert cache.load("GK-test-cached", face) is None  # nothing cached yet
    cache.store(fresh, face)
    cached = cache.load("GK-test-cached", face)
    assert cached is not None
    a, b = fresh.face, cached.face
    for attr in ("charToGlyph", "charWidths", "name", "ascent", "descent",
                 "bbox", "unitsPerEm", "defaultWidth", "flags", "italicAngle", "stemV"):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert list(a.hmetrics) == list(b.hmetrics) and list(a.glyphPos) == list(b.glyphPos)
    assert dict(a.glyphToChar) == dict(b.glyphToChar)
    text = "政府信息公开工作年度报告，2025年。"
    assert fresh.stringWidth(text, 16) == cached.stringWidth(text, 16)
    subset = [0] + [ord(c) for c in "政府信息公开"]
    assert a.makeSubset(subset) == b.makeSubset(subset)
    # A changed file (size/mtime) is not served from a stale cache.
    monkeypatch.setattr(cache, "key", lambda f: ["other"])
    assert cache.load("GK-test-stale", face) is None


@needs_cjk_font
def test_lines_are_28_characters():
    from gongkai_desktop.documents.pdf import PITCH, TEXT_W, Fonts, GridParagraph, _flowable

    fonts = Fonts(F.resolve())
    text = "政" * 100
    para = _flowable(GridParagraph)(fonts, [P.Run(text, P.ROLE_BODY)], size=16, indent=2 * PITCH)
    para.wrap(TEXT_W, 1000)
    lengths = [len(t) for t in para.lines_text()]
    assert lengths[:3] == [26, 28, 28]  # two-character indent, then the 28-character grid
    assert para.height == pytest.approx(len(lengths) * P.LINE_PITCH_PT)


@needs_cjk_font
def test_chinese_line_breaking_in_the_renderer():
    from gongkai_desktop.documents.pdf import Fonts, GridParagraph, TEXT_W, _flowable

    fonts = Fonts(F.resolve())
    GP = _flowable(GridParagraph)
    # 27 ideographs, then a comma that would start line 2, then an opening quote that would end it.
    text = "政" * 27 + "，" + "府" * 26 + "“公开”" + "信" * 30
    para = GP(fonts, [P.Run(text, P.ROLE_BODY)], size=16)
    para.wrap(TEXT_W, 1000)
    lines = para.lines_text()
    assert "".join(lines) == text
    for a, b in zip(lines, lines[1:]):
        assert b[0] not in CANNOT_START and a[-1] not in CANNOT_END, (a, b)


# ---------------------------------------------------------------------------------------------
# Characters: fallback, missing, outside the BMP


@needs_poppler
@needs_cjk_font
def test_characters_no_face_has_are_reported_and_kept(tmp_path):
    report = full_report()
    odd = "\U00031350\U0001FAE8"  # CJK Ext H ideograph, a recent emoji: in almost no font
    report.sections["other"] += f"\n（三）测试。生僻字{odd}结束。"
    path = tmp_path / "r.pdf"
    result = export_report(report, pdf_path=path, findings=[])
    raw = _text(path, "-raw")
    for ch in odd:
        assert ch in raw  # never silently dropped from the text layer
    catalog = F.get_catalog()
    for ch in odd:
        covered = any(ord(ch) in f.codepoints() for f in catalog.embeddable_faces()
                      if f.family in ("HanaMinA", "HanaMinB", "Symbola", "SimSun-ExtB"))
        assert (ch in result.missing_chars) != covered
    if result.missing_chars:
        assert any("找不到" in m and "".join(result.missing_chars) in m for m in result.messages)


@needs_poppler
@needs_cjk_font
def test_font_override_is_used(tmp_path):
    catalog = F.get_catalog()
    if not catalog.find("LXGW WenKai", embeddable_only=True):
        pytest.skip("LXGW WenKai not installed")
    path = tmp_path / "r.pdf"
    result = export_report(full_report(), pdf_path=path, findings=[], font_overrides={"body": "LXGW WenKai"})
    assert "用户指定" in result.font_roles["body"] and "霞鹜文楷" in result.font_roles["body"]
    assert any("LXGWWenKai" in row[0] for row in _fonts(path))


def test_unknown_font_role_is_refused(tmp_path):
    with pytest.raises(ExportError, match="未知的字体用途"):
        export_report(full_report(), pdf_path=tmp_path / "r.pdf", findings=[], font_overrides={"bold": "黑体"})
    assert not list(tmp_path.iterdir())


@needs_poppler
def test_no_chinese_font_still_exports_clearly_labelled(tmp_path, monkeypatch):
    monkeypatch.setattr(F.roles, "get_catalog", lambda *a, **k: F.FontCatalog([]))
    path = tmp_path / "r.pdf"
    result = export_report(full_report(), pdf_path=path, findings=[])
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    assert not result.embedded_ok
    assert result.install_hint and "安装" in result.install_hint
    assert any("未嵌入" in m for m in result.messages)
    assert any("STSong-Light" in v for v in result.font_roles.values())
    assert b"/STSong-Light" in path.read_bytes()  # named, not embedded (poppler needs poppler-data to list it)


# ---------------------------------------------------------------------------------------------
# Findings


def test_report_with_errors_still_exports(tmp_path):
    report = full_report()
    report.values[("requests", "partial", "business")] = None  # a blank cell: 错误
    path = tmp_path / "draft.docx"
    result = export_report(report, docx_path=path)
    assert path.is_file()
    assert result.has_errors and result.error_count >= 1
    assert any("草稿" in m for m in result.messages)
    clean = export_report(full_report(), docx_path=tmp_path / "ok.docx")
    assert not clean.has_errors and not any("草稿" in m for m in clean.messages)


def test_findings_passed_in_are_used(tmp_path):
    class Finding:
        severity = "error"

    result = export_report(full_report(), docx_path=tmp_path / "a.docx", findings=[Finding(), {"severity": "warning"}])
    assert result.has_errors and result.error_count == 1
    result = export_report(full_report(), docx_path=tmp_path / "b.docx", findings=[])
    assert not result.has_errors


# ---------------------------------------------------------------------------------------------
# Writing safely


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_both_files_and_result_fields(tmp_path):
    report = full_report()
    docx_path = tmp_path / filename_for(report, "docx")
    pdf_path = tmp_path / filename_for(report, "pdf")
    result = export_report(report, docx_path, pdf_path, findings=[])
    assert isinstance(result, ExportResult)
    assert result.written == [docx_path, pdf_path]
    assert (result.docx_path, result.pdf_path) == (docx_path, pdf_path)
    assert docx_path.name == "某某市生态环境局2025年政府信息公开工作年度报告.docx"
    assert pdf_path.name == "某某市生态环境局2025年政府信息公开工作年度报告.pdf"
    assert docx_path.read_bytes()[:2] == b"PK" and pdf_path.read_bytes()[:4] == b"%PDF"
    assert not _leftovers(tmp_path)
    # Written with the ordinary permissions of a new file, not the 0600 of a temp file.
    if os.name == "posix":
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(pdf_path.stat().st_mode) == 0o666 & ~umask


def test_default_filename_is_safe_for_windows():
    report = full_report(organ='某市"网信办"/数据局:试点*?')
    # The one safe-file-name rule (storage.fileio): forbidden characters become full-width twins.
    assert filename_for(report, "pdf") == "某市＂网信办＂／数据局：试点＊？2025年政府信息公开工作年度报告.pdf"
    assert safe_filename("CON", "") == "_CON"
    assert safe_filename(" ...", "") == "政府信息公开工作年度报告"


def test_nothing_to_export():
    with pytest.raises(ExportError):
        export_report(full_report(), findings=[])


def test_missing_folder(tmp_path):
    target = tmp_path / "没有这个文件夹" / "r.pdf"
    with pytest.raises(ExportError, match="不存在"):
        export_report(full_report(), pdf_path=target, findings=[])
    assert not target.parent.exists()


def test_read_only_target_is_left_intact(tmp_path):
    target = tmp_path / "r.docx"
    target.write_bytes(b"old version")
    target.chmod(0o444)
    try:
        with pytest.raises(ExportError, match="只读"):
            export_report(full_report(), docx_path=target, findings=[])
        assert target.read_bytes() == b"old version"
        assert not _leftovers(tmp_path)
    finally:
        target.chmod(0o644)


def test_file_open_in_word_is_left_intact(tmp_path, monkeypatch):
    """On Windows, replacing a file Word has open raises PermissionError."""
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old version")

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError) as info:
        export_report(full_report(), pdf_path=target, findings=[])
    assert "打开" in str(info.value) and str(target) in str(info.value)
    assert target.read_bytes() == b"old version"
    assert not _leftovers(tmp_path)


def test_second_file_failing_says_what_was_written(tmp_path, monkeypatch):
    docx_path, pdf_path = tmp_path / "r.docx", tmp_path / "r.pdf"
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".pdf"):
            raise PermissionError(13, "locked")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(ExportError) as info:
        export_report(full_report(), docx_path, pdf_path, findings=[])
    assert docx_path.is_file() and not pdf_path.exists()
    assert str(docx_path) in str(info.value)
    assert not _leftovers(tmp_path)


def test_target_is_a_folder(tmp_path):
    with pytest.raises(ExportError, match="文件夹"):
        export_report(full_report(), docx_path=tmp_path, findings=[])


# ---------------------------------------------------------------------------------------------
# What a signing leader and a reviewer check on the page (geometry from the PDF's text layer)

PT = 72 / 25.4
TEXT_LEFT = P.MARGIN_LEFT_MM * PT
TEXT_RIGHT = (P.PAGE_WIDTH_MM - P.MARGIN_RIGHT_MM) * PT
TEXT_TOP = P.MARGIN_TOP_MM * PT
TEXT_BOTTOM = (P.PAGE_HEIGHT_MM - P.MARGIN_BOTTOM_MM) * PT
CHAR = (P.TEXT_WIDTH_MM / P.CHARS_PER_LINE) * PT  # one character of the 28-character grid


def _final(report):
    report.status = "final"
    return report


def _pdf(report, tmp_path: Path, name: str = "r", findings=()) -> Path:
    from gongkai_desktop.documents.pdf import render_pdf

    data, _info = render_pdf(P.build_plan(report, findings=list(findings)), F.resolve())
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return path


def _docx(report, tmp_path: Path, name: str = "r", findings=()) -> Path:
    from gongkai_desktop.documents.docx import render_docx

    path = tmp_path / f"{name}.docx"
    path.write_bytes(render_docx(P.build_plan(report, findings=list(findings))))
    return path


def _page_lines(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, its text lines as poppler places them: (x0, x1, top, bottom, text), top to
    bottom. (pdfminer, under pdfplumber, drops the character spacing at font changes and
    places Chinese lines with digits a few points too long.)"""
    xml = _text(pdf, "-bbox-layout")
    pages = []
    for body in re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S):
        lines = []
        for line in re.findall(r"<line [^>]*>(.*?)</line>", body, re.S):
            words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                               line)
            if words:
                lines.append((float(words[0][0]), float(words[-1][2]), min(float(w[1]) for w in words),
                              max(float(w[3]) for w in words), "".join(w[4] for w in words)))
        pages.append(sorted(lines, key=lambda ln: (round(ln[2]), ln[0])))
    return pages


NUMBERED = "\n".join(f"（{n}）本机关坚持以公开为常态、不公开为例外，围绕中心工作，扎实推进决策、执行、管理、"
                     "服务、结果公开，政务公开质量持续提升。" for n in "一二三四五六七八")


@needs_cjk_font
def test_numbered_paragraphs_are_body_text_and_export(tmp_path):
    """Eight numbered paragraphs used to be taken for headings kept together, taller than a page:
    reportlab stopped with 「Flowable <KeepGroup …> too large」."""
    report = full_report()
    report.sections["overview"] = NUMBERED
    plan = P.build_plan(report, findings=[])
    numbered = [p for p in plan.paragraphs() if p.text.startswith("（") and "本机关坚持" in p.text]
    assert len(numbered) == 8 and all(p.style == P.STYLE_BODY and not p.keep_with_next for p in numbered)
    assert _pdf(report, tmp_path).read_bytes().startswith(b"%PDF")
    assert _docx(report, tmp_path).read_bytes().startswith(b"PK")


@needs_cjk_font
def test_headings_kept_together_never_exceed_a_page(tmp_path):
    """Forty short headings in a row (each kept with the next) still export."""
    report = full_report()
    report.sections["problems"] = "\n".join(f"（{n}）问题" for n in "一二三四五六七八九十" * 4)
    assert _pdf(report, tmp_path).is_file()


@needs_cjk_font
def test_a_layout_failure_is_a_chinese_message_naming_the_section(tmp_path, monkeypatch):
    from gongkai_desktop.documents import pdf as R

    report = full_report()
    real = R.GridParagraph.split

    def never(self, aW, aH):  # as if a paragraph of 一、总体情况 could not be broken
        if any("全年通过门户网站" in r.text for r in self.runs):
            return []
        return real(self, aW, aH)

    monkeypatch.setattr(R.GridParagraph, "split", never)
    report.sections["overview"] = "全年通过门户网站" + "公开政府信息" * 400
    with pytest.raises(ExportError) as info:
        _pdf(report, tmp_path)
    message = str(info.value)
    assert "「一、总体情况」" in message and "无法排版" in message
    assert not message.startswith("Flowable")


_SHAPE_LINES = [
    "（一）主动公开。全年主动公开政府信息1268条。",
    "（二）本机关坚持以公开为常态、不公开为例外，政务公开质量持续提升。",
    "（三）存在的问题",
    "1.网站建设：完成网站适老化改造。",
    "（1）信息发布",
    "本年度，" + "公开" * 60 + "。",
    "“公开”《条例》（试行）——……",
    "一二三四五六七八九十" * 3,
    "2025年12月31日，1234567条。",
]


@needs_cjk_font
def test_sections_of_random_shapes_always_export(tmp_path_factory):
    """Property: any mix of numbered, run-in, bare and long lines exports to both formats."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from gongkai_desktop.documents.docx import render_docx
    from gongkai_desktop.documents.pdf import render_pdf

    font_plan = F.resolve()
    line = st.one_of(st.sampled_from(_SHAPE_LINES),
                     st.builds(lambda n, w: f"（{n}）" + w, st.sampled_from("一二三四五六七八九十"),
                               st.text(alphabet="公开政府信息，。：、1234", min_size=0, max_size=80)))
    section = st.lists(line, min_size=0, max_size=25).map("\n".join)

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(overview=section, problems=section, other=section, organ_len=st.integers(2, 60))
    def check(overview, problems, other, organ_len):
        report = full_report(organ=("某某省某某市某某区人民政府办公室（区政务服务数据管理局）" * 3)[:organ_len])
        report.sections.update(overview=overview, problems=problems, other=other)
        plan = P.build_plan(report, findings=[])
        assert render_docx(plan)[:2] == b"PK"
        data, _info = render_pdf(plan, font_plan)
        assert data[:4] == b"%PDF"

    check()


SIGNOFF_LENGTHS = [4, 6, 8, 12, 16, 20, 24, 26, 27, 28, 30, 35, 40, 45, 52, 60]
_ORGAN_PARTS = "某某省某某市某某区人民政府办公室（区政务服务数据管理局）某某自治州某某县某某镇人民政府某某街道办事处"


def _organ(n: int) -> str:
    return (_ORGAN_PARTS * 2)[:n].rstrip("（")


def _check_signoff_geometry(name_lines, date_line, organ, date_text, char, right, left, tol):
    """GB/T 9704 7.3.5.2 on measured lines: each (x0, x1, text)."""
    assert "".join(t for _a, _b, t in name_lines) == organ
    assert date_line[2] == date_text  # the date is one line
    assert all(len(t) >= 3 for _a, _b, t in name_lines), name_lines  # never 「局）」 alone
    assert len(name_lines) <= 3
    rights = [b for _a, b, _t in name_lines]
    assert max(rights) - min(rights) < tol, name_lines  # the name's lines right-aligned
    name_gap, date_gap = right - rights[0], right - date_line[1]
    # 右空二字: the name, or the date when it is the longer one.
    assert min(name_gap, date_gap) == pytest.approx(2 * char, abs=tol)
    # The date's first character two characters right of the first character of the line above.
    assert date_line[0] - name_lines[-1][0] == pytest.approx(2 * char, abs=tol)
    assert date_line[0] > left + 2 * char  # never at the left margin


@needs_cjk_font
@needs_poppler
@pytest.mark.parametrize("n", SIGNOFF_LENGTHS)
def test_signoff_geometry(n, tmp_path):
    organ = _organ(n)
    report = _final(full_report(organ=organ))
    lines = [ln for ln in _page_lines(_pdf(report, tmp_path))[-1] if ln[3] < TEXT_BOTTOM]
    date_text = P.format_date(report.meta.issue_date)
    measured = [(x0, x1, text) for x0, x1, _t, _b, text in lines]
    date_i = max(i for i, m in enumerate(measured) if m[2] == date_text)
    k = len(P.signoff_lines(organ, P.text_em(date_text)))
    _check_signoff_geometry(measured[date_i - k:date_i], measured[date_i], organ, date_text,
                            CHAR, TEXT_RIGHT, TEXT_LEFT, tol=1.0)


@needs_cjk_font
@needs_poppler
def test_numbers_never_wrap_and_ziranren_stays_whole(tmp_path):
    report = _final(full_report())
    big = {("requests", "new", "natural_person"): 123456789, ("requests", "disclosed", "business"): 1234567}
    report.values.update(big)
    plan = P.build_plan(report, findings=[])
    t3 = next(t for t in plan.tables() if t.id == "requests")
    em = t3.size_pt / P.PT_PER_MM
    for c in t3.cells:  # each value fits its column at the table's size
        if c.key is not None:
            width = sum(t3.col_widths_mm[c.col:c.col + c.colspan]) - 2 * P.TABLE_CELL_PAD_MM
            assert P.text_em(c.text) * em <= width + 1e-6, c
    raw = _text(_pdf(report, tmp_path), "-raw")
    for value in ("123456789", "1234567"):
        assert re.search(rf"(?<!\d){value}(?!\d)", raw), value
    assert "自然人" in raw.split()


@needs_cjk_font
@needs_poppler
def test_page_numbers_are_set_in_the_page_number_face(tmp_path):
    import pdfplumber

    with pdfplumber.open(_pdf(full_report(), tmp_path)) as pdf:
        for page in pdf.pages:
            foot = [c for c in page.chars if abs(c["size"] - P.PAGE_NUMBER_PT) < 0.1 and c["top"] > TEXT_BOTTOM]
            assert foot and len({c["fontname"] for c in foot}) == 1, {c["fontname"] for c in foot}
            assert not any("Liberation" in c["fontname"] or "Times" in c["fontname"] for c in foot)


@needs_cjk_font
@needs_poppler
def test_closing_marks_stay_inside_the_text_block(tmp_path):
    """A full stop taken into a full line is closed up, on a paragraph's last line too."""
    report = full_report()
    # The second line holds 27 ideographs and a digit; the full stop overflows it by half a
    # character and is taken in (a line may not start with 。), 2.9 mm past the margin before.
    report.sections["problems"] = "政" * 26 + "府" * 27 + "1。"
    pages = _page_lines(_pdf(report, tmp_path))
    assert any(text == "府" * 27 + "1。" for page in pages for *_x, text in page)
    for page in pages:
        for x0, x1, _top, _bottom, text in page:
            assert x1 <= TEXT_RIGHT + 0.3, (text, x1 - TEXT_RIGHT)


def _long_report(year: int = 2025):
    report = full_report(year)
    for sid in ("overview", "problems", "other"):
        report.sections[sid] = "\n".join([report.sections[sid]] * 3 + [NUMBERED])
    report.sections["requests"] = (report.sections.get("requests") or "") + "\n" + "申请主要涉及建设项目。" * 30
    report.sections["proactive"] = "本年度主动公开政府信息1268条。" * 12
    return report


@needs_cjk_font
@needs_poppler
@pytest.mark.parametrize("kind", ["example2021", "example2019", "long2021", "long2019"])
def test_no_page_is_left_a_third_empty(kind, tmp_path):
    """A page other than the last is filled to at least two thirds of its text block."""
    year = 2025 if kind.endswith("2021") else 2020
    report = _long_report(year) if kind.startswith("long") else full_report(year)
    pages = _page_lines(_pdf(report, tmp_path))
    assert len(pages) >= 4
    for n, page in enumerate(pages[:-1], start=1):
        lowest = max(b for _x0, _x1, t, b, _text in page if TEXT_TOP - 1 < t and b < TEXT_BOTTOM + 1)
        assert lowest >= TEXT_TOP + (TEXT_BOTTOM - TEXT_TOP) * 2 / 3, (n, lowest)


@needs_cjk_font
@needs_poppler
def test_draft_marked_on_every_page_final_not(tmp_path):
    report = full_report()
    draft = _text(_pdf(report, tmp_path, "draft"), "-raw").split("\f")
    draft = [p for p in draft if p.strip()]
    assert len(draft) >= 3 and all("草稿" in p and "尚未定稿" in p for p in draft)
    plan = P.build_plan(report, findings=[])
    assert plan.draft and "草稿" in plan.draft_header

    final = _final(full_report())
    assert not P.build_plan(final, findings=[]).draft
    assert "草稿" not in _text(_pdf(final, tmp_path, "final"), "-raw")

    class Error:
        severity = "error"

    with_errors = P.build_plan(_final(full_report()), findings=[Error(), Error()])
    assert with_errors.draft and "2 个错误" in with_errors.draft_header and "尚未定稿" not in with_errors.draft_header
    errors_pdf = _text(_pdf(_final(full_report()), tmp_path, "errors", findings=[Error()]), "-raw")
    assert errors_pdf.count("草稿") == errors_pdf.count("\f") or errors_pdf.count("草稿") >= 3


@needs_cjk_font
@needs_poppler
def test_section_two_text_is_printed(tmp_path):
    report = full_report()
    words = "本年度主动公开政府信息1268条，其中规范性文件14件。"
    report.sections["proactive"] = words
    plan = P.build_plan(report, findings=[])
    heading = next(i for i, b in enumerate(plan.blocks) if isinstance(b, P.Paragraph) and b.text.startswith("二、"))
    assert plan.blocks[heading + 1].text == words and isinstance(plan.blocks[heading + 2], P.TablePlan)
    flat = _squash(_text(_pdf(report, tmp_path), "-raw"))
    assert flat.index("二、主动公开政府信息情况") < flat.index(_squash(words)) < flat.index("第二十条第（一）项")
