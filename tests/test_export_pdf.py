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
from gongkai_desktop.documents.export import ExportResult, default_filename, export_report, safe_filename
from gongkai_desktop.documents.pdftext import CANNOT_END, CANNOT_START
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

    from gongkai_desktop.documents import pdf as R

    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path))
    face = F.resolve()["body"].face
    fresh = TTFont("GK-test-fresh", face.path, subfontIndex=face.index)
    assert R._font_from_cache("GK-test-cached", face) is None  # nothing cached yet
    R._font_to_cache(fresh, face)
    cached = R._font_from_cache("GK-test-cached", face)
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
    monkeypatch.setattr(R, "_face_cache_key", lambda f: ["other"])
    assert R._font_from_cache("GK-test-stale", face) is None


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
    monkeypatch.setattr(F, "get_catalog", lambda *a, **k: F.FontCatalog([]))
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
    docx_path = tmp_path / default_filename(report, "docx")
    pdf_path = tmp_path / default_filename(report, ".pdf")
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
    assert default_filename(report, "pdf") == "某市网信办数据局试点2025年政府信息公开工作年度报告.pdf"
    assert safe_filename("CON") == "_CON"
    assert safe_filename(" ...") == "政府信息公开工作年度报告"


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
