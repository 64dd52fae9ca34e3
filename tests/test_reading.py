"""Reading published reports (issue 12): what a clerk relies on when last year's report comes in
as a Word file, a web page, a PDF or pasted text.

- every document this app writes reads back into the same report (property test);
- the shapes other offices publish (fixtures_reading/, built by build.py) read into the report
  they were made from, and every non-exact step is in the reading report;
- bad input is refused with a Chinese message and nothing is stored.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from gongkai_desktop import cli
from gongkai_desktop.documents import fonts
from gongkai_desktop.documents.docx import render_docx
from gongkai_desktop.documents.plan import build_plan
from gongkai_desktop.reading import ReadingError, read_file
from gongkai_desktop.reading.analyse import _heading_of, text_rows
from gongkai_desktop.reading.tables import read_table, split_row
from gongkai_desktop.report.formats import get_format
from gongkai_desktop.storage import exchange
from gongkai_desktop.storage.store import Store

from sample import full_report
from fixtures_reading.build import (BLANK_DASH, BLANK_SLASH, HEADINGS_VARIANT, ORGAN, ORGAN_2020, ORGAN_WEB,
                                    expected_report)

FIX = Path(__file__).resolve().parent / "fixtures_reading"


# ---------------------------------------------------------------------------------------------
# helpers


def _lines(text: str) -> list[str]:
    """Section text as printed: one paragraph per non-empty line, spaces at the ends dropped."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def assert_same_report(got, want, *, skip_cells=()):
    fmt = want.format
    assert got.format_id == want.format_id
    assert got.meta.organ == want.meta.organ
    assert got.meta.year == want.meta.year
    assert got.meta.issue_date == want.meta.issue_date
    assert got.signoff == want.signoff
    assert _lines(got.meta.opening) == _lines(want.meta.opening)
    for s in fmt.sections:
        if s.text != "none":
            assert _lines(got.sections.get(s.id)) == _lines(want.sections.get(s.id)), s.id
    diffs = [(k, got.value(k), want.value(k)) for k in fmt.cells()
             if k not in skip_cells and k not in fmt.derived and got.value(k) != want.value(k)]
    assert not diffs
    for k in fmt.cells():
        if k in fmt.derived and k not in skip_cells:
            assert got.value(k) == want.value(k), k
    for k, u in want.meta.units.items():
        if tuple(k.split("/")) not in skip_cells:
            assert got.unit_for(tuple(k.split("/"))) == u


def _write(report, kind: str, path: Path) -> Path:
    plan = build_plan(report)
    if kind == "docx":
        path.write_bytes(render_docx(plan))
    elif kind == "pdf":
        from gongkai_desktop.documents.pdf import render_pdf

        path.write_bytes(render_pdf(plan, fonts.resolve(None))[0])
    elif kind == "fragment":  # the piece pasted into a site's editor
        from gongkai_desktop.documents.html import render_html_fragment

        path.write_text(render_html_fragment(plan), encoding="utf-8")
    else:
        from gongkai_desktop.documents.html import render_html

        path.write_text(render_html(plan), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# 2. our own documents read back


@pytest.mark.parametrize("kind", ["docx", "pdf", "html", "fragment"])
@pytest.mark.parametrize("year", [2020, 2025])
def test_own_export_reads_back(tmp_path, kind, year):
    report = full_report(year)
    reading = read_file(_write(report, kind, tmp_path / f"r.{'html' if kind == 'fragment' else kind}"))
    assert_same_report(reading.report, report)
    assert reading.format_from_tables
    assert all(t.found == t.expected for t in reading.tables)
    # Nothing guessed, except the 2019 procurement amount's unit, which the cell itself prints.
    guesses = [g for t in reading.tables for g in t.guesses if "金额单位取「万元」" not in g]
    assert not guesses and not any(t.skipped or t.blanks for t in reading.tables)


ORGANS = ["某某市生态环境局", "某某省某某市某某区人民政府办公室", "某某县某某镇人民政府", "某某市住房和城乡建设局", "某某街道办事处"]


@st.composite
def random_reports(draw):
    year = draw(st.sampled_from([2019, 2020, 2021, 2023, 2025]))
    organ = draw(st.sampled_from(ORGANS))
    report = full_report(year, organ)
    fmt = report.format
    for key in [k for k in fmt.cells() if k not in fmt.derived]:
        kind = fmt.cell_kind(key)
        if kind == "money":
            report.values[key] = Decimal(draw(st.integers(0, 10**6))) / Decimal(draw(st.sampled_from([1, 100, 1000])))
        elif kind == "signed":
            report.values[key] = draw(st.integers(-500, 500))
        else:
            report.values[key] = draw(st.integers(0, 3000))
    for sid in list(report.sections):
        lines = _lines(report.sections[sid])
        if lines:
            keep = draw(st.lists(st.sampled_from(lines), min_size=0, max_size=len(lines), unique=True))
            report.sections[sid] = "\n".join(keep)
    if draw(st.booleans()):
        report.meta.opening = ""
    if draw(st.booleans()):
        report.meta.signoff = draw(st.sampled_from(["某某市人民政府办公室", "某某局办公室"]))
    report.meta.issue_date = _dt.date(year + 1, draw(st.integers(1, 3)), draw(st.integers(1, 28)))
    return report


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(report=random_reports(), kind=st.sampled_from(["docx", "html"]))
def test_property_docx_and_html_read_back(tmp_path, report, kind):
    reading = read_file(_write(report, kind, tmp_path / f"p.{kind}"))
    assert_same_report(reading.report, report)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking re-renders PDFs for minutes
@given(report=random_reports())
def test_property_pdf_reads_back(tmp_path, report):
    reading = read_file(_write(report, "pdf", tmp_path / "p.pdf"))
    assert_same_report(reading.report, report)


# ---------------------------------------------------------------------------------------------
# 1. published shapes

PUBLISHED_SKIP = BLANK_SLASH | BLANK_DASH | {("requests", "total", "total")}


def _expected_fixture(name: str):
    if name.startswith("old_format"):
        return expected_report(2020, ORGAN_2020)
    if name.startswith(("other_office", "word_pdf")):
        return expected_report(2023, ORGAN)
    return expected_report(2022, ORGAN_WEB, "government")


@pytest.mark.parametrize("name", ["other_office_2023.docx", "old_format_2020.docx", "web_utf8_2022.html",
                                  "web_gbk_2022.htm", "web_gbk_nometa_2022.html", "pasted_cells_2022.txt",
                                  "pasted_rows_2022.txt", "word_pdf_2023.pdf"])
def test_published_shapes_read_into_their_report(name):
    want = _expected_fixture(name)
    reading = read_file(FIX / name)
    got = reading.report
    skip = set(PUBLISHED_SKIP)
    if want.format_id == "gb2019":
        skip.add(("proactive", "procurement", "purchase_amount"))
    assert_same_report(got, want, skip_cells=skip)
    text = reading.report_text()
    # Blanks stay blank and are listed with what the table printed.
    for key in BLANK_SLASH:
        assert got.values[key] is None
    assert "原表为「/」" in text and "原表为「—」" in text
    # The published total that disagrees with its parts is kept as declared and reported.
    assert got.declared[("requests", "total", "total")] == want.value(("requests", "total", "total")) + 1
    assert "原表的合计为" in text
    if want.format_id == "gb2021":
        # 元 where the form says 万元: converted, and said.
        assert got.values[("proactive", "fees", "fee_amount")] == Decimal("0.092")
        assert "按元换算为 0.092 万元" in text
    else:
        # 元 where the 2019 form lets the clerk choose: the value as printed, the unit chosen.
        assert got.values[("proactive", "procurement", "purchase_amount")] == Decimal("4365800")
        assert got.unit_for(("proactive", "procurement", "purchase_amount")) == "元"
        assert got.values[("proactive", "licensing", "change")] == -3  # negative 本年增/减
        assert reading.table_format.id == "gb2019" and reading.format_from_tables


def test_variant_headings_and_split_labels_are_reported():
    reading = read_file(FIX / "other_office_2023.docx")
    text = reading.report_text()
    for variant in HEADINGS_VARIANT.values():
        assert f"「{variant}」作为" in text
    assert "按截断的「（二）部分公开（区分处理的，只计这一情形，不计其他情形）」读取" in text
    assert [sid for sid, _ in reading.sections_found] == [s.id for s in reading.report.format.sections]


def test_web_page_noise_is_not_the_report():
    reading = read_file(FIX / "web_utf8_2022.html")
    r = reading.report
    assert r.meta.organ == ORGAN_WEB  # not the breadcrumb, not the page title's site name
    assert r.meta.organ_type == "government"
    assert r.meta.opening == ""  # the information box, 「发布时间」 and the title's second copy are not an opening
    assert "扫一扫" not in r.sections["other"] and "打印" not in r.sections["other"]
    assert not reading.unmatched_tables  # the 索引号 box is not listed as a failed report table


def test_tables_as_images_are_said_and_text_imported():
    reading = read_file(FIX / "web_images_2022.html")
    assert all(t.found == 0 for t in reading.tables)
    assert reading.report_text().count("本软件不做文字识别") == 3
    assert reading.report.sections["overview"]


def test_gbk_page_with_a_wrong_meta_charset(tmp_path):
    page = (FIX / "web_utf8_2022.html").read_text(encoding="utf-8").replace("charset=utf-8", "charset=utf-8")
    p = tmp_path / "lying.html"
    p.write_bytes(page.encode("gb18030"))  # declares UTF-8, is GBK
    reading = read_file(p)
    assert reading.report.meta.organ == ORGAN_WEB
    assert "与内容不符" in reading.report_text()


# ---------------------------------------------------------------------------------------------
# the pieces


def test_table_three_row_labels_are_never_section_headings():
    fmt = get_format("gb2021")
    for row in fmt.tables["requests"].rows():
        for label in (row.label, " " + row.label, "\u3000\u3000" + row.label):
            assert _heading_of(label, fmt, -1) is None or not row.label.startswith(("一、", "二、", "三、", "四、"))
    for text in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "四、结转下年度继续办理"):
        for after in range(-1, 4):
            assert _heading_of(text, fmt, after) is None, text
    assert _heading_of("\u3000\u3000四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", fmt, 2)[1] == "appeals"
    assert _heading_of("  五、政府信息公开工作存在的主要问题及改进情况", fmt, 3)[1] == "problems"


def test_values_by_order_within_a_row_not_grid_position():
    table = get_format("gb2021").tables["proactive"]
    rows = [["第二十条第(五)项"], ["信息内容", "本年处理决定数量"], ["行政许可", "12", "", ""],
            ["", "行政处罚", "7"], ["行政强制", "0"]]
    res = read_table(table, rows)
    assert res.values[("proactive", "licensing", "decisions")] == 12
    assert res.values[("proactive", "penalty", "decisions")] == 7
    assert res.values[("proactive", "coercion", "decisions")] == 0


def test_units_inside_cells_and_unreadable_cells_are_listed():
    table = get_format("gb2021").tables["proactive"]
    res = read_table(table, [["规章", "3件", "无", "十二"], ["行政事业性收费", "251000元"]])
    assert res.values[("proactive", "rules", "issued")] == 3
    assert ("proactive", "rules", "repealed") not in res.values
    assert ("proactive", "rules", "in_force") not in res.values
    assert res.values[("proactive", "fees", "fee_amount")] == Decimal("25.1")
    joined = "\n".join(res.guesses + res.skipped + res.blanks)
    assert "「3件」读作 3" in joined and "「十二」无法读作数值" in joined and "原表为「无」" in joined
    assert "25.1 万元" in joined


def test_fee_header_in_yuan_is_converted():
    table = get_format("gb2021").tables["proactive"]
    res = read_table(table, [["信息内容", "本年收费金额（单位：元）"], ["行政事业性收费", "9200"]])
    assert res.values[("proactive", "fees", "fee_amount")] == Decimal("0.92")
    assert any("表头注明单位为元" in g for g in res.guesses)


@pytest.mark.parametrize("lines, expected", [
    # one cell per line ending in 「|」, 「|」 alone an empty cell (pasted from a page)
    (["规章 |", "2 |", "|", "27 |", "行政规范性文件 |", "/ |", "0 |", "105 |"], [2, None, 27, None, 0, 105]),
    # one row per line between bars
    (["| 规章 | 2 |  | 27 |", "| 行政规范性文件 | / | 0 | 105 |"], [2, None, 27, None, 0, 105]),
    # one row per line, spaces
    (["规章 2 — 27", "行政规范性文件  /  0  105"], [2, None, 27, None, 0, 105]),
    # one bare cell per line, an empty line an empty cell
    (["规章", "2", "", "27", "行政规范性文件", "/", "0", "105"], [2, None, 27, None, 0, 105]),
])
def test_text_layouts(lines, expected):
    table = get_format("gb2021").tables["proactive"]
    rows, _, _ = text_rows(list(enumerate(lines)))
    res = read_table(table, rows)
    got = [res.values.get(("proactive", r, c)) for r in ("rules", "normative") for c in ("issued", "repealed", "in_force")]
    assert got == expected


def test_split_row_keeps_labels_and_values_apart():
    assert split_row(["三、本年度办理结果", "（一）予以公开", "5", "", "/", "0"]) == (
        ["三、本年度办理结果", "（一）予以公开"], ["5", "", "/", "0"])


def test_format_from_the_table_not_only_the_year(tmp_path):
    """A 2021 report whose office still used the 2019 table: read as 2019, saved as 2021, the
    cells both formats share kept and the rest named."""
    old = full_report(2020, "某某局")
    plan = build_plan(old)
    new_title = plan.title.replace("2020", "2021")
    for b in plan.blocks:
        if hasattr(b, "lines") and getattr(b, "text", None) == plan.title:
            b.text, b.lines = new_title, [line.replace("2020", "2021") for line in b.lines]
    p = tmp_path / "mixed.docx"
    p.write_bytes(render_docx(plan))
    reading = read_file(p)
    assert reading.table_format.id == "gb2019" and reading.report.format_id == "gb2021"
    assert reading.report.values[("requests", "disclosed", "natural_person")] == old.values[
        ("requests", "disclosed", "natural_person")]
    assert "已按 gb2021 保存" in reading.report_text()


# ---------------------------------------------------------------------------------------------
# 3. bad input: a Chinese message, nothing stored


def _cli_read(path, tmp_path, capsys):
    db = tmp_path / "r.db"
    rc = cli.main(["read", str(path), "--db", str(db)])
    out = capsys.readouterr()
    with Store.open(db) as store:
        count = len(store.list_reports())
    return rc, out, count


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as fh:
            chunk = b"<w:t>" + b"0" * (1 << 20)
            for _ in range(80):  # 80 MB of XML, a few hundred KB compressed
                fh.write(chunk)
    return path


def _scanned_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.setFillGray(0.3)
        for i in range(40):
            c.rect(80, 100 + i * 15, 400, 6, fill=1, stroke=0)  # what a scan's lines look like: no text
        c.showPage()
    c.save()
    return path


def _encrypted_pdf(path: Path) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption("secret", canPrint=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(100, 700, "2023 report")
    c.save()
    return path


@pytest.mark.parametrize("make, words", [
    (lambda p: (p / "x.docx").write_text("这不是 Word 文档") and p / "x.docx", "不是有效的 Word 文档"),
    (lambda p: (p / "cut.docx").write_bytes((FIX / "other_office_2023.docx").read_bytes()[:5000]) and p / "cut.docx",
     "不是有效的 Word 文档"),
    (lambda p: _zip_bomb(p / "bomb.docx"), "解压后过大"),
    (lambda p: (p / "big.html").write_bytes(b"<html><body>" + b"<p>x</p>" * (50 * 2**20 // 8)) and p / "big.html",
     "文件过大"),
    (lambda p: _scanned_pdf(p / "scan.pdf"), "没有文字层"),
    (lambda p: _encrypted_pdf(p / "locked.pdf"), "设有打开密码"),
    (lambda p: (p / "notes.txt").write_text("会议纪要\n今天讨论了食堂的菜单。\n", encoding="utf-8") and p / "notes.txt",
     "不是政府信息公开工作年度报告"),
    (lambda p: (p / "fake.pdf").write_bytes(b"PK\x03\x04 not a pdf") and p / "fake.pdf", "不是有效的 Word 文档"),
    (lambda p: (p / "r.xyz").write_bytes(b"\x00\x01") and p / "r.xyz", "不支持的文件类型"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_stored(tmp_path, capsys, make, words):
    path = make(tmp_path)
    with pytest.raises(ReadingError) as exc:
        read_file(path)
    assert words in str(exc.value)
    rc, out, count = _cli_read(path, tmp_path, capsys)
    assert rc == 2 and words in out.err and count == 0 and "Traceback" not in out.err


def test_html_under_the_limit_with_noise_only_is_not_a_report(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("<html><head><title>首页</title></head><body><p>欢迎访问</p></body></html>", encoding="utf-8")
    with pytest.raises(ReadingError, match="不是政府信息公开工作年度报告"):
        read_file(p)


# ---------------------------------------------------------------------------------------------
# the command line


def test_cli_read_stores_and_dry_run_prints_an_exchange_file(tmp_path, capsys):
    db = tmp_path / "r.db"
    assert cli.main(["read", str(FIX / "other_office_2023.docx"), "--dry-run", "--db", str(db)]) == 0
    out = capsys.readouterr()
    report, _ = exchange.loads(out.out)
    assert report.meta.organ == ORGAN and "读取报告" in out.err and "表三" in out.err
    with Store.open(db) as store:
        assert store.list_reports() == []
    assert cli.main(["read", str(FIX / "other_office_2023.docx"), "--db", str(db)]) == 0
    rid = int(capsys.readouterr().out.strip())
    with Store.open(db) as store:
        stored = store.load(rid)
    assert stored.meta.organ == ORGAN and stored.meta.year == 2023
    assert stored.declared[("requests", "total", "total")] == report.declared[("requests", "total", "total")]


# ---------------------------------------------------------------------------------------------
# LibreOffice formats


def test_office_formats_without_libreoffice_name_what_to_install(tmp_path, monkeypatch):
    from gongkai_desktop.reading import source

    monkeypatch.setattr(source, "find_office", lambda: None)
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadingError, match="需要 LibreOffice"):
        read_file(p)


@pytest.mark.slow
@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("suffix", ["odt", "doc", "rtf"])
def test_office_formats_through_libreoffice(tmp_path, suffix):
    import shutil
    import subprocess

    src = tmp_path / "src.docx"
    shutil.copy(FIX / "other_office_2023.docx", src)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", suffix, "--outdir", str(tmp_path), str(src)], check=True, capture_output=True,
                   timeout=180)
    reading = read_file(tmp_path / f"src.{suffix}")
    want = expected_report(2023, ORGAN)
    assert_same_report(reading.report, want, skip_cells=PUBLISHED_SKIP)
    assert "LibreOffice" in reading.report_text()


# ---------------------------------------------------------------------------------------------
# titles, dates and a PDF whose tables are text without rules


def test_a_sentence_naming_the_report_is_not_its_title():
    from gongkai_desktop.reading.analyse import _find_title

    paras = ["根据《中华人民共和国政府信息公开条例》规定，现公布某某市人民政府2023年政府信息公开工作年度报告。"]
    assert _find_title(list(enumerate(paras))) is None


@pytest.mark.parametrize("lines, organ, year", [
    (["某某市财政局2023年政府信息公开工作年度报告"], "某某市财政局", 2023),
    (["某某市财政局关于2023年度政府信息公开工作年度报告"], "某某市财政局", 2023),
    (["2023年某某县人民政府政府信息公开工作年度报告"], "某某县人民政府", 2023),
    (["某某县人民政府", "2023年政府信息公开工作年度报告"], "某某县人民政府", 2023),
    (["某某镇人民政府二〇二三年政府信息公开工作年度报告"], "某某镇人民政府", 2023),
])
def test_title_variants(lines, organ, year):
    from gongkai_desktop.reading.analyse import _find_title

    got = _find_title(list(enumerate(["首页 > 信息公开 > 年报"] + lines)))
    assert got[:2] == (organ, year)


@pytest.mark.parametrize("text, date", [
    ("2024年1月18日", _dt.date(2024, 1, 18)), ("２０２４年１月１８日", _dt.date(2024, 1, 18)),
    ("二〇二四年一月十八日", _dt.date(2024, 1, 18)), ("二〇二四年十二月三十一日", _dt.date(2024, 12, 31)),
    ("2024-01-18", _dt.date(2024, 1, 18)), ("2024年1月", None),
])
def test_sign_off_dates(text, date):
    from gongkai_desktop.reading.analyse import _cn_year, parse_any_date

    assert parse_any_date(_cn_year(text)) == date


def test_text_layer_pdf_without_ruled_tables(tmp_path):
    """A PDF whose tables are set as text in columns, no lines drawn (some offices' layout):
    the table comes from the text, read by order within each line."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    report = full_report(2023, "某某县审计局")
    fmt = report.format
    p = tmp_path / "text-tables.pdf"
    c = canvas.Canvas(str(p), pagesize=A4)
    y = [800]

    def say(text, x=80, size=12):
        if y[0] < 60:
            c.showPage()
            y[0] = 800
        c.setFont("STSong-Light", size)
        c.drawString(x, y[0], text)
        y[0] -= size * 1.8

    say("某某县审计局2023年政府信息公开工作年度报告", 120, 16)
    for s in fmt.sections:
        say(s.heading, 104)
        if s.table == "proactive":
            t = fmt.tables["proactive"]
            for b in t.blocks:
                say(b.caption)
                for r in b.row_leaves():
                    c.setFont("STSong-Light", 12)
                    c.drawString(80, y[0], r.label)
                    for i, col in enumerate(b.col_leaves()):
                        c.drawString(300 + i * 80, y[0], V_fmt(report.value((t.id, r.id, col.id))))
                    y[0] -= 22
    say("某某县审计局", 380)
    say("2024年1月18日", 380)
    c.save()
    reading = read_file(p)
    got = reading.report
    for key in fmt.tables["proactive"].cells():
        assert got.value(key) == report.value(key), key
    assert "按文字版式读取" in reading.report_text()
    assert got.meta.issue_date == _dt.date(2024, 1, 18)


def V_fmt(v):
    from gongkai_desktop.report.values import format_value

    return format_value(v)


def test_page_content_inside_a_one_cell_layout_table(tmp_path):
    """Old portal pages put the article in a one-cell table; with the tables as pictures there is
    no nested table to tell it is layout."""
    page = (FIX / "web_images_2022.html").read_text(encoding="utf-8")
    page = page.replace('<table width="1000" align="center"><tr><td>', "")
    page = page.replace('<div class="TRS_Editor">', '<table class="content"><tr><td><div class="TRS_Editor">')
    page = page.replace('<div class="share">', '</td></tr></table><div class="share">')
    p = tmp_path / "layout.html"
    p.write_text(page, encoding="utf-8")
    reading = read_file(p)
    assert len(reading.sections_found) == 6
    assert reading.report.sections["problems"]


def test_single_file_web_archive(tmp_path):
    """「另存为单个文件」 (.mht): the page inside, quoted-printable, in GBK."""
    import quopri

    html = (FIX / "web_gbk_2022.htm").read_bytes()
    body = quopri.encodestring(html).decode("ascii")
    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_000\"\r\n\r\n"
           "------=_NextPart_000\r\nContent-Type: text/html; charset=\"gb2312\"\r\n"
           "Content-Transfer-Encoding: quoted-printable\r\nContent-Location: http://www.example.gov.cn/nb.html\r\n\r\n"
           f"{body}\r\n------=_NextPart_000--\r\n")
    p = tmp_path / "年报.mht"
    p.write_bytes(mht.encode("ascii"))
    reading = read_file(p)
    assert reading.report.meta.organ == ORGAN_WEB and reading.tables[1].found == 172


# ---------------------------------------------------------------------------------------------
# whatever comes in, a Chinese message or a report — never a traceback

_PIECES = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、结转下年度继续办理",
           "某某局2023年政府信息公开工作年度报告", "2024年1月18日", "规章", "|", "| 2 | / |", "本年新收", "行政复议",
           "一、本年新收政府信息公开申请数量", "0", "-3", "251000元", "", "\t", "（一）予以公开", "<table>", "<tr><td>",
           "</td><td colspan=3>", "</table>", "<br>", "\u3000", "第二十条第（一）项", "总计"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=60),
       suffix=st.sampled_from([".txt", ".html"]))
def test_arbitrary_text_never_crashes(tmp_path, parts, suffix):
    p = tmp_path / f"x{suffix}"
    p.write_text("\n".join(parts), encoding="utf-8", errors="surrogatepass" if False else "replace")
    try:
        reading = read_file(p)
    except ReadingError as exc:
        assert str(exc)
    else:
        assert reading.report.meta.organ and reading.report_text()


@pytest.mark.parametrize("name", ["other_office_2023.docx", "word_pdf_2023.pdf"])
def test_damaged_files_never_crash(tmp_path, name):
    import random

    rnd = random.Random(5)
    original = (FIX / name).read_bytes()
    for i in range(25):
        data = bytearray(original)
        for _ in range(rnd.randint(1, 20)):
            data[rnd.randrange(len(data))] = rnd.randrange(256)
        if i % 3 == 0:
            data = data[: rnd.randrange(len(data))]
        p = tmp_path / f"{i}{Path(name).suffix}"
        p.write_bytes(bytes(data))
        try:
            read_file(p)
        except ReadingError as exc:
            assert str(exc)


def test_table_two_published_as_one_table_per_item(tmp_path):
    """Some sites paste 表二 as four small tables (one per 条例 item), with text between them."""
    page = (FIX / "web_utf8_2022.html").read_text(encoding="utf-8")
    start = page.index("<table border")
    end = page.index("</table>", start) + len("</table>")
    table = page[start:end]
    rows = table.split("<tr>")[1:]
    pieces, current = [], []
    for r in rows:
        if "第二十条" in r and current:
            pieces.append(current)
            current = []
        current.append("<tr>" + r.replace("</tbody></table>", ""))
    pieces.append(current)
    split = "<p>（单位：件）</p>".join(
        '<table border="1"><tbody>' + "".join(p) + "</tbody></table>" for p in pieces)
    p = tmp_path / "split.html"
    p.write_text(page[:start] + split + page[end:], encoding="utf-8")
    reading = read_file(p)
    assert len(pieces) == 4
    assert reading.tables[0].found == reading.tables[0].expected
    want = expected_report(2022, ORGAN_WEB, "government")
    for key in reading.report.format.tables["proactive"].cells():
        if key != ("proactive", "fees", "fee_amount"):
            assert reading.report.value(key) == want.value(key)
