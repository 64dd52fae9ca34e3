"""The web page, read back as a browser shows it: Chromium headless renders the exported HTML.

What a reader of the organ's website relies on: every label and number of the report is there as
text (searchable, not an image); the three tables have exactly the official grid (rowspan/colspan
read back from the browser's DOM); the page never scrolls sideways at a site's 900 px column or
on a phone — only the tables' own scroll boxes do; nothing but inline styles (content systems
strip the rest), no scripts, no images.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from gongkai_desktop.documents import plan as P
from gongkai_desktop.documents.export import export_report, filename_for, render_one
from gongkai_desktop.documents.html import min_width_px, render_html, render_html_fragment
from sample import full_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (CI installs it: .ci/run)")
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def chromium(*args: str, url: str, width: int = 900, height: int = 1200) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="gongkai-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "--hide-scrollbars", *args, url],
            capture_output=True, text=True, timeout=120)


def dump_dom(path: Path, width: int = 900) -> str:
    p = chromium("--dump-dom", "--virtual-time-budget=2000", url=path.as_uri(), width=width)
    assert p.returncode == 0 and "<table" in p.stdout, p.stderr[-2000:]
    return p.stdout


@pytest.fixture(scope="module", params=[2025, 2020], ids=["gb2021", "gb2019"])
def page(request, tmp_path_factory):
    report = full_report(request.param)
    folder = tmp_path_factory.mktemp("html")
    path = folder / "report.html"
    result = export_report(report, outputs={"html": path}, findings=[])
    assert result.paths == {"html": path}
    return report, path


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ---------------------------------------------------------------------------------------------
# Reading the browser's DOM back (lxml's HTML parser on Chromium's serialisation)


def _tables(dom: str):
    from lxml import html as LH

    tree = LH.fromstring(dom)
    return tree, tree.xpath("//table")


def _grid_of(table) -> list[tuple[int, int, int, int, str]]:
    """The HTML table algorithm: each cell's (row, col, rowspan, colspan, text) from the rows'
    cells and their spans, as a browser places them."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, tr in enumerate(table.xpath(".//tr")):
        c = 0
        for cell in tr.xpath("./th|./td"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            out.append((r, c, rs, cs, cell.text_content()))
            c += cs
    return sorted(out)


def _official(report, table_id) -> list[tuple[int, int, int, int, str]]:
    """The grid the format prescribes (forms/), with the report's values in the value cells."""
    table = report.format.tables[table_id]
    return sorted((g.row, g.col, g.rowspan, g.colspan,
                   P.cell_text(report, table, g.value) if g.value is not None else g.text)
                  for g in table.grid.cells)


@needs_chromium
def test_the_tables_have_the_official_grid_in_the_browser(page):
    report, path = page
    _, tables = _tables(dump_dom(path))
    ids = [t.table for t in report.format.sections if t.table]
    assert len(tables) == len(ids) == 3
    for table, table_id in zip(tables, ids):
        assert _grid_of(table) == _official(report, table_id), table_id


@needs_chromium
def test_every_label_and_number_is_text_in_the_page(page):
    report, path = page
    tree, _ = _tables(dump_dom(path))
    text = _squash(tree.text_content())
    doc_plan = P.build_plan(report)
    for line in doc_plan.text_lines():
        assert _squash(line) in text, line
    for s in report.format.sections:
        assert s.heading in text


@needs_chromium
@needs_poppler
def test_printed_page_keeps_every_number_whole(page, tmp_path):
    """Chromium prints the page; every number of the tables is a whole token in its text."""
    report, path = page
    pdf = tmp_path / "printed.pdf"
    p = chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url=path.as_uri())
    assert pdf.is_file(), p.stderr[-2000:]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    tokens = set(re.findall(r"-?\d+(?:\.\d+)?(?:万元|元)?", text))
    numbers = {c.text for t in P.build_plan(report).tables() for c in t.cells if c.key is not None}
    assert numbers and numbers <= tokens, sorted(numbers - tokens)
    assert report.meta.organ in _squash(text)


# The page's own geometry, measured by the browser: the test copy (never the exported file) gets a
# small script that writes the measures into the DOM, which --dump-dom then returns.
_MEASURE = """<script>
window.addEventListener('load', () => {
  const root = document.documentElement;
  const boxes = [...document.querySelectorAll('table')].map(t => t.parentElement);
  const out = {viewport: root.clientWidth, page: root.scrollWidth, boxes: boxes.map(b => ({
      client: b.clientWidth, scroll: b.scrollWidth, right: b.getBoundingClientRect().right,
      overflow: getComputedStyle(b).overflowX})),
    wrappedNumbers: [...document.querySelectorAll('td')].filter(td => {
      const r = document.createRange(); r.selectNodeContents(td);
      return r.getClientRects().length > 1; }).length,
    outside: [...document.body.querySelectorAll('*')].filter(e => !e.closest('table')
      && e.getBoundingClientRect().right > root.clientWidth + 0.5).length};
  document.body.setAttribute('data-measure', JSON.stringify(out));
});
</script>"""


def _measure(path: Path, width: int, tmp_path: Path) -> dict:
    probe = tmp_path / f"probe-{width}.html"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>"), encoding="utf-8")
    dom = dump_dom(probe, width)
    m = re.search(r'data-measure="([^"]*)"', dom)
    assert m, dom[:500]
    import html as H

    return json.loads(H.unescape(m.group(1)))


@needs_chromium
# 500 px is the narrowest window headless Chromium lays out; a phone (360–414 px) is narrower
# still, and the tables' minimum width (702 px) is wider than both, so the behaviour is the same.
@pytest.mark.parametrize("width", [900, 500])
def test_the_page_never_scrolls_sideways_only_the_tables_do(page, tmp_path, width):
    report, path = page
    m = _measure(path, width, tmp_path)
    assert m["viewport"] == width
    assert m["page"] <= m["viewport"], m  # no horizontal scroll bar on the page
    assert m["outside"] == 0, m  # nothing sticks out of the viewport outside the tables
    assert len(m["boxes"]) == 3 and all(b["overflow"] == "auto" and b["right"] <= width + 0.5 for b in m["boxes"])
    assert m["wrappedNumbers"] == 0, m  # a number never breaks over two lines
    minimums = [min_width_px(t) for t in P.build_plan(report).tables()]
    for box, minimum in zip(m["boxes"], minimums):
        # A table narrower than its minimum keeps it and scrolls inside its box; one that fits
        # does not scroll at all.
        assert (box["scroll"] > box["client"]) == (minimum > box["client"]), (m, minimums)
    if width >= 900:
        assert all(b["scroll"] <= b["client"] for b in m["boxes"]), m  # a site's column fits all three
    else:
        assert any(b["scroll"] > b["client"] for b in m["boxes"]), m  # 表四's 15 columns do not fit a phone


@needs_chromium
def test_quotation_marks_in_chinese_text_are_full_width_in_the_browser(page, tmp_path):
    """「“五公开”」: Chromium takes each character from the first listed face that has it; with
    Times New Roman first the quotes came out narrow Latin ones beside the Chinese. In the printed
    page each “ ” of the body text is as wide as a Chinese character (0.44 em when Latin)."""
    import pdfplumber

    report, path = page
    pdf = tmp_path / "quotes.pdf"
    p = chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url=path.as_uri())
    assert pdf.is_file(), p.stderr[-2000:]
    with pdfplumber.open(pdf) as doc:
        chars = [c for pg in doc.pages for c in pg.chars]
    quotes = [c for c in chars if c["text"] in "“”"]
    han = [c for c in chars if "\u4e00" <= c["text"] <= "\u9fff"]
    assert quotes and han
    for q in quotes:
        # Its neighbour in the same line (size) is a Chinese character of about the same advance.
        assert q["width"] >= 0.8 * q["size"], (q["text"], q["width"], q["size"], q["fontname"])


@needs_chromium
def test_screenshot_at_900px(page, tmp_path):
    """The page renders (a PNG to look at when this test is run by hand with -s)."""
    report, path = page
    shot = tmp_path / "page.png"
    p = chromium(f"--screenshot={shot}", url=path.as_uri(), width=900, height=2000)
    assert shot.is_file() and shot.stat().st_size > 10_000, p.stderr[-2000:]


# ---------------------------------------------------------------------------------------------
# What content systems need (no browser)


def test_inline_styles_only_no_scripts_no_images_no_external_resources():
    doc_plan = P.build_plan(full_report())
    page = render_html(doc_plan)
    lowered = page.lower()
    for forbidden in ("<style", "<script", "<img", "<link", "class=", "url(", "http://", "https://", "<iframe"):
        assert forbidden not in lowered, forbidden
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    # Every table cell has its own border (pasting keeps inline styles only).
    cells = re.findall(r"<t[hd][ >][^>]*>", page)
    assert cells and all("border: 1px solid #000" in c for c in cells)


def test_fonts_are_named_in_order_with_a_generic_fallback():
    page = render_html(P.build_plan(full_report()))
    families = re.findall(r"font-family: ([^;\"]+)", page)
    assert families
    for f in families:
        assert f.rstrip().endswith(("serif", "sans-serif")), f
    body = next(f for f in families if "仿宋_GB2312" in f)
    assert body.index("仿宋_GB2312") < body.index("仿宋'") < body.index("Times New Roman") < body.index("serif")
    assert body.startswith("'仿宋_GB2312'")  # Chinese faces first: full-width quotes in Chinese text
    heading = next(f for f in families if "黑体" in f)
    assert heading.rstrip().endswith("sans-serif")


def test_the_fragment_is_the_body_content_of_the_page():
    doc_plan = P.build_plan(full_report())
    fragment = render_html_fragment(doc_plan)
    page = render_html(doc_plan)
    assert fragment in page
    assert fragment.lstrip().startswith("<div") and "<body" not in fragment and "<html" not in fragment
    assert render_one(full_report(), "html_fragment").decode("utf-8") == fragment


def test_draft_mark_only_on_a_draft(tmp_path):
    report = full_report()
    draft = P.build_plan(report)
    if not hasattr(draft, "draft"):
        pytest.skip("the document plan does not carry the draft mark yet")
    report.status = "final"
    final_plan = P.build_plan(report)
    final_plan.draft = False
    draft.draft = True
    from gongkai_desktop.documents import texts as DT

    assert DT.DRAFT_MARK in render_html_fragment(draft)
    assert DT.DRAFT_MARK not in render_html_fragment(final_plan)


def test_cli_writes_page_and_fragment(tmp_path):
    from gongkai_desktop.cli import main
    from gongkai_desktop.storage import exchange

    src = tmp_path / "r.json"
    exchange.dump_file(full_report(), src)
    out, frag = tmp_path / "r.html", tmp_path / "r-fragment.html"
    assert main(["export", str(src), "--html", str(out), "--html-fragment", str(frag)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert frag.read_text(encoding="utf-8").startswith("<div")


def test_file_name_says_what_it_is():
    report = full_report()
    assert filename_for(report, "html") == report.title + ".html"


@pytest.mark.parametrize("year", [2025, 2020])
def test_the_reader_of_published_reports_reads_the_page_back(tmp_path, year):
    """The reading room (published reports → a report) takes our page back to the same figures."""
    reading = pytest.importorskip("gongkai_desktop.reading.analyse")
    report = full_report(year)
    path = tmp_path / "r.html"
    export_report(report, outputs={"html": path}, findings=[])
    back = reading.read_file(path).report
    assert back.format_id == report.format_id
    assert (back.meta.organ, back.meta.year, back.meta.issue_date) == (
        report.meta.organ, report.meta.year, report.meta.issue_date)
    assert {k: back.value(k) for k in report.format.cells()} == {k: report.value(k) for k in report.format.cells()}


def test_text_is_escaped_never_markup():
    report = full_report(organ='某局<script>alert(1)</script>&"')
    report.sections["problems"] = "<b>不是粗体</b> & <img src=x>"
    page = render_html(P.build_plan(report))
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>" not in page
    assert "&lt;b&gt;不是粗体&lt;/b&gt; &amp; &lt;img src=x&gt;" in page
