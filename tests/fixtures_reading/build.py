"""Builds the published-report fixtures in this folder: ``python tests/fixtures_reading/build.py``.

The shapes are those of real published reports (government pages and attachments studied for
issue 12), the texts are our own: a .docx made the way other offices make theirs (title over two
lines, variant headings, tables pasted from Word with merged cells, split and truncated header
labels, 「/」 and 「—」 blanks, a fee in 元), the same for the 2019 format (negative 本年增/减,
「本年新」/「制作数量」), saved web pages (UTF-8 and GBK, with and without a meta charset, a layout
table around the content, the page's information box, the title twice, colspan variants), text
pasted from a page (cells ending in 「|」, rows between bars), and a page whose tables are images.
``word_pdf_2023.pdf`` is other_office_2023.docx printed to PDF by LibreOffice (rows broken over
page breaks, as Word and WPS break them): ``soffice --headless --convert-to pdf``.
The labels come from forms/ (report/formats.py), altered the way published tables alter them.
"""

from __future__ import annotations

import datetime as _dt
import html
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

from sample import full_report  # noqa: E402

from gongkai_desktop.report.values import format_value  # noqa: E402

ORGAN = "某某县自然资源局"
ORGAN_2020 = "某某市交通运输局"
ORGAN_WEB = "某某区人民政府"

# Cells the fixtures publish differently from the report they come from.
BLANK_SLASH = {("requests", "withheld_secret", "research"), ("requests", "withheld_secret", "business")}
BLANK_DASH = {("requests", "refused_massive", "natural_person")}


def expected_report(year: int, organ: str, organ_type: str = "department"):
    """The report a fixture was made from (what reading it must give back, blanks aside)."""
    r = full_report(year, organ, organ_type, issue_date=_dt.date(year + 1, 1, 18))
    r.meta.opening = ""
    return r


# ---------------------------------------------------------------------------------------------
# label variants seen in published tables


def published_label(text: str, fmt_id: str) -> str:
    variants = {
        "本年制发件数": "本年制发\n件数",
        "现行有效件数": "现行有效件",
        "商业企业": "商业\n企业",
        "科研机构": "科研\n机构",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "（二）部分公开",
        "3.危及“三安全一稳定”": '3.危及"三安全一稳定"',
        "本年新制作数量": "本年新\n制作数量",
        "本年增/减": "本年增/",
        "1.属于国家秘密": "1. 属于国家秘密",
    }
    out = variants.get(text, text)
    return out.replace("（", "(").replace("）", ")") if text.startswith("第二十条") else out


def value_text(report, key) -> str:
    if key in BLANK_SLASH:
        return "/"
    if key in BLANK_DASH:
        return "—"
    v = report.value(key)
    if key == ("proactive", "fees", "fee_amount"):
        return f"{int(v * 10000)}元"  # published in 元 where the form says 万元
    if key == ("proactive", "procurement", "purchase_amount"):
        return f"{int(v * 10000)}元"
    if key == ("requests", "total", "total"):
        return str(v + 1)  # a published total that disagrees with its parts
    return format_value(v)


# ---------------------------------------------------------------------------------------------
# .docx in another office's shape


def build_docx(path: Path, report, title_lines: list[str], headings: dict[str, str]) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    fmt = report.format
    d = docx.Document()
    for line in title_lines:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).font.size = Pt(22)
    d.add_paragraph("")
    for s in fmt.sections:
        d.add_paragraph("\u3000\u3000" + headings.get(s.id, s.heading))
        for line in (report.sections.get(s.id) or "").split("\n"):
            if line.strip():
                d.add_paragraph("\u3000\u3000" + line)
        if s.table:
            _docx_table(d, report, fmt.tables[s.table], fmt.id)
    d.add_paragraph("")
    p = d.add_paragraph(report.meta.organ)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = d.add_paragraph(f"{report.meta.issue_date.year}年{report.meta.issue_date.month}月{report.meta.issue_date.day}日")
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d.save(str(path))


def _docx_table(d, report, table, fmt_id: str) -> None:
    grid = table.grid
    t = d.add_table(rows=grid.n_rows, cols=grid.n_cols)
    t.style = "Table Grid"
    for c in grid.cells:
        cell = t.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(t.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        text = value_text(report, c.value) if c.value else published_label(c.text, fmt_id)
        parts = text.split("\n")
        cell.paragraphs[0].text = parts[0]
        for extra in parts[1:]:
            cell.add_paragraph(extra)  # a label broken inside its cell


# ---------------------------------------------------------------------------------------------
# saved web pages


def _html_table(report, table, fmt_id: str, variant: int) -> str:
    """A table as a site's editor saves it. ``variant`` 1 writes table 二's merged value cells
    as three cells (value, then two empty), and table 三's rows without the rowspan label."""
    grid = table.grid
    rows: dict[int, list[str]] = {}
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        attrs = ""
        text = value_text(report, c.value) if c.value else published_label(c.text, fmt_id)
        text = html.escape(text).replace("\n", "<br/>") or "&nbsp;"
        if variant == 1 and c.value and c.colspan == 3:
            rows.setdefault(c.row, []).append(f"<td>{text}</td><td>&nbsp;</td><td></td>")
            continue
        if c.rowspan > 1:
            attrs += f' rowspan="{c.rowspan}"'
        if c.colspan > 1:
            attrs += f' colspan="{c.colspan}"'
        style = ' style="text-align:center"' if c.header else ""
        rows.setdefault(c.row, []).append(f'<td{attrs}{style}><p><span style="font-size:12pt">{text}</span></p></td>')
    body = "\n".join(f"<tr>{''.join(cells)}</tr>" for _, cells in sorted(rows.items()))
    return f'<table border="1" cellspacing="0" style="border-collapse:collapse"><tbody>\n{body}\n</tbody></table>'


def build_html(report, title: str, headings: dict[str, str], *, charset: str | None, variant: int = 0,
               images_only: bool = False) -> str:
    fmt = report.format
    parts = []
    for s in fmt.sections:
        parts.append(f'<p style="text-indent:2em">&nbsp;&nbsp;<strong>{headings.get(s.id, s.heading)}</strong></p>')
        for line in (report.sections.get(s.id) or "").split("\n"):
            if line.strip():
                parts.append(f"<p>\u3000\u3000{html.escape(line)}</p>")
        if s.table:
            if images_only:
                parts.append(f'<p style="text-align:center"><img src="/images/table{s.table}.png" width="600"/></p>')
            else:
                parts.append(_html_table(report, fmt.tables[s.table], fmt.id, variant))
    d = report.meta.issue_date
    parts.append(f'<p style="text-align:right">{report.meta.organ}</p>')
    parts.append(f'<p style="text-align:right">{d.year}年{d.month}月{d.day}日</p>')
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    content = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html><head>{meta}<title>{title}_{report.meta.organ}门户网站</title>
<script>var _hmt = _hmt || [];</script><style>.nav {{ color: red; }}</style></head>
<body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府信息公开年报</div>
<table width="1000" align="center"><tr><td>
<table class="xxgk_info"><tr><td>索 引 号：</td><td>11000000/2024-00012</td><td>发布机构：</td><td>{report.meta.organ}</td></tr>
<tr><td>成文日期：</td><td>{d.isoformat()}</td><td>发布日期：</td><td>{d.isoformat()}</td></tr></table>
<h1 style="text-align:center">{title}</h1>
<div class="info">发布时间：{d.isoformat()} 来源：{report.meta.organ} 字号：【大 中 小】</div>
<div class="TRS_Editor">
<p style="text-align:center"><span style="font-size:22pt">{title}</span></p>
{content}
</div>
<div class="share">扫一扫在手机打开当前页</div>
<div>【打印本页】【关闭窗口】</div>
</td></tr></table>
</body></html>
"""


# ---------------------------------------------------------------------------------------------
# text pasted from a page


def pasted_text(report, title: str, layout: str) -> str:
    """``layout`` "cells": one cell per line ending in 「|」 (「|」 alone an empty cell);
    "rows": 「| a | b | c |」 one row per line."""
    fmt = report.format
    out = [title, ""]
    for s in fmt.sections:
        out.append(s.heading)
        for line in (report.sections.get(s.id) or "").split("\n"):
            if line.strip():
                out.append(line)
        if not s.table:
            continue
        grid = fmt.tables[s.table].grid
        by_row: dict[int, list[str]] = {}
        for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
            text = value_text(report, c.value) if c.value else c.text
            if c.value and report.value(c.value) == 0 and layout == "cells" and c.value[1] == "new":
                text = ""
            by_row.setdefault(c.row, []).append(text.replace("\n", "").replace("（", "(").replace("）", ")")
                                                if c.text.startswith("（") or c.text.startswith("第") else text)
        for _, cells in sorted(by_row.items()):
            if layout == "cells":
                out.extend(f"{c} |" if c else "|" for c in cells)
            else:
                out.append("| " + " | ".join(cells) + " |")
    d = report.meta.issue_date
    out += [report.meta.organ, f"{d.year}年{d.month}月{d.day}日"]
    return "\n".join(out) + "\n"


HEADINGS_VARIANT = {
    "appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "problems": "五、政府信息公开工作存在的主要问题及改进情况",
}


def main() -> None:
    r = expected_report(2023, ORGAN)
    build_docx(HERE / "other_office_2023.docx", r, [f"{ORGAN}", "2023年政府信息公开工作年度报告"], HEADINGS_VARIANT)
    r19 = expected_report(2020, ORGAN_2020)
    build_docx(HERE / "old_format_2020.docx", r19, [f"{ORGAN_2020}2020年政府信息公开工作年度报告"], {})
    w = expected_report(2022, ORGAN_WEB, "government")
    title = f"{ORGAN_WEB}2022年政府信息公开工作年度报告"
    (HERE / "web_utf8_2022.html").write_text(build_html(w, title, HEADINGS_VARIANT, charset="utf-8"), encoding="utf-8")
    (HERE / "web_gbk_2022.htm").write_bytes(
        build_html(w, title, HEADINGS_VARIANT, charset="gb2312", variant=1).encode("gb18030"))
    (HERE / "web_gbk_nometa_2022.html").write_bytes(
        build_html(w, title, {}, charset=None, variant=1).encode("gb18030"))
    (HERE / "web_images_2022.html").write_text(
        build_html(w, title, {}, charset="utf-8", images_only=True), encoding="utf-8")
    (HERE / "pasted_cells_2022.txt").write_text(pasted_text(w, title, "cells"), encoding="utf-8")
    (HERE / "pasted_rows_2022.txt").write_bytes(pasted_text(w, title, "rows").encode("gb18030"))


if __name__ == "__main__":
    main()
