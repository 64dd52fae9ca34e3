"""The 图解: the year's figures as a one-page poster (A4), drawn with reportlab graphics.

Evaluators praise 「图解」 / 「数说年报」 formats beside the report. Three panels, each from the
tables (never typed again): the applications' flow (上年结转 + 本年新收 → 办理结果 + 结转下年度),
the results as a bar chart (one bar per result group of 表三), and the 复议/诉讼 outcomes (one
stacked bar per kind of case); a header row of the format's key figures. Every bar carries its
number and its label in words; fills are greys of clearly different weight with black outlines,
and the outcomes that share a bar differ in texture too (solid, hatched, dotted, plain), so the
poster reads the same printed in black and white.

PDF directly; PNG by rasterising that PDF with PDFium (already the print preview's renderer).
"""

from __future__ import annotations

import io

from ..report.model import Report, strip_unwritable
from ..report.values import format_value
from .. import texts as T
from . import plan as P
from .jiedu import _bare, _has_total, _is_total, _node_total, key_figure_wording

PAGE_W = P.PAGE_WIDTH_MM * P.PT_PER_MM
PAGE_H = P.PAGE_HEIGHT_MM * P.PT_PER_MM
MARGIN = 20 * P.PT_PER_MM
# Fill greys: distinguishable in print, and light enough for black numbers on them.
GREYS = (0.5, 0.7, 0.86, 0.97, 0.6, 0.78)
# The 复议/诉讼 outcomes (结果维持, 结果纠正, 其他结果, 尚未审结 …) side by side in one bar: neighbours
# must differ at a glance on a black-and-white print, where greys a tenth apart merge — so each
# outcome has its own texture (solid, hatched, dotted, plain) besides its grey, and its name in
# the legend.
HATCH, DOTS = "hatch", "dots"
OUTCOME_FILLS = ((0.6, None), (1.0, HATCH), (1.0, DOTS), (1.0, None), (0.8, None), (0.8, HATCH))
PNG_DPI = 150


# ---------------------------------------------------------------------------------------------
# The figures (from the format's tables and key figures)


def _key(report: Report, kid: str):
    for kf in report.format.key_figures:
        if kf.id == kid:
            values = [report.value(k) for k in kf.cells]
            return None if any(v is None for v in values) else sum(values)
    return None


def _requests(report: Report):
    """(table, results group node, 总计 column id) of the applications table: the table of the
    「办结」 key figure, the group its row belongs to."""
    kf = next((k for k in report.format.key_figures if k.id == "handled"), None)
    if kf is None:
        return None
    table_id, row_id, col_id = kf.cells[0]
    table = report.format.tables[table_id]
    return table, table.row(row_id).parent, col_id


def result_bars(report: Report) -> list[tuple[str, object]]:
    """(label, count) per result group of 表三 (予以公开, 部分公开, 不予公开 …)."""
    found = _requests(report)
    if found is None or found[1] is None:
        return []
    table, group, col = found
    out = []
    for child in group.children:
        if child.is_leaf and _is_total(child):
            continue
        value = _node_total(report, table, child, col, along_rows=True)
        if value is not None:
            out.append((_bare(child.label), value))
    return out


def appeal_series(report: Report) -> list[tuple[str, list[tuple[str, object]], object]]:
    """(kind of case, [(outcome, count)], total) for each group of 表四 with a 总计."""
    kf = next((k for k in report.format.key_figures if k.id == "review"), None)
    if kf is None:
        return []
    table = report.format.tables[kf.cells[0][0]]
    row = kf.cells[0][1]
    out = []
    nodes = []
    for block in table.blocks:
        for top in block.columns:
            stack = [top]
            while stack:
                n = stack.pop(0)
                if not n.is_leaf and _has_total(n):
                    nodes.append(n)
                elif not n.is_leaf:
                    stack.extend(n.children)
    for n in nodes:
        parts = [(_bare(c.label), report.value((table.id, row, c.id))) for c in n.children
                 if c.is_leaf and not _is_total(c)]
        total = _node_total(report, table, n, row, along_rows=False)
        label = _bare(n.label)
        if n.parent is not None and n.parent.label:
            label = f"{_bare(n.parent.label)}（{label}）"
        out.append((label, parts, total))
    return out


# ---------------------------------------------------------------------------------------------
# Drawing


class _Pen:
    """Draws text through the PDF's font plan: each role's face, digits and Latin in the Latin
    face, characters a face lacks from the fallback chain (as the report's PDF does)."""

    def __init__(self, drawing, font_plan):
        self.d = drawing
        self.fp = font_plan

    def _runs(self, s: str, role: str) -> list[tuple[str, str]]:
        s = strip_unwritable(str(s))[0]
        if self.fp is None:
            from .fonts import register_cid_font

            return [(s, register_cid_font())]
        runs, _ = self.fp.runs(s, role, latin=True)
        return runs

    def text(self, x, y, s, size=11, role=P.ROLE_BODY, anchor="start"):
        from reportlab.graphics.shapes import String
        from reportlab.pdfbase.pdfmetrics import stringWidth

        runs = self._runs(s, role)
        width = sum(stringWidth(t, f, size) for t, f in runs)
        if anchor == "middle":
            x -= width / 2
        elif anchor == "end":
            x -= width
        for t, f in runs:
            self.d.add(String(x, y, t, fontName=f, fontSize=size))
            x += stringWidth(t, f, size)

    def rect(self, x, y, w, h, grey=1.0, stroke=0.8):
        from reportlab.graphics.shapes import Rect
        from reportlab.lib.colors import Color, black

        self.d.add(Rect(x, y, w, h, fillColor=Color(grey, grey, grey), strokeColor=black, strokeWidth=stroke))

    def fill(self, x, y, w, h, fill, stroke=0.8):
        """A rectangle in one of OUTCOME_FILLS: its grey, then its texture drawn inside it, then
        the outline on top."""
        from reportlab.graphics.shapes import Circle, Line, Rect
        from reportlab.lib.colors import Color, black

        grey, texture = fill
        self.d.add(Rect(x, y, w, h, fillColor=Color(grey, grey, grey), strokeColor=None, strokeWidth=0))
        if texture == HATCH:
            # Lines of slope 1, 4.5 pt apart, cut to the rectangle.
            step = 4.5
            c = -h + step / 2
            while c < w:
                x1, y1 = (x + c, y) if c >= 0 else (x, y - c)
                end = min(w, c + h)
                x2, y2 = x + end, y + end - c
                self.d.add(Line(x1, y1, x2, y2, strokeColor=black, strokeWidth=0.6))
                c += step
        elif texture == DOTS:
            step = 4.0
            row = 0
            yy = y + step / 2
            while yy < y + h - 0.5:
                xx = x + step / 2 + (step / 2 if row % 2 else 0)
                while xx < x + w - 0.5:
                    self.d.add(Circle(xx, yy, 0.7, fillColor=black, strokeColor=None, strokeWidth=0))
                    xx += step
                yy += step
                row += 1
        self.d.add(Rect(x, y, w, h, fillColor=None, strokeColor=black, strokeWidth=stroke))

    def label(self, x, y, s, size=10):
        """A number on a textured fill: on a white patch, so hatching never crosses the digits."""
        from reportlab.graphics.shapes import Rect
        from reportlab.lib.colors import white
        from reportlab.pdfbase.pdfmetrics import stringWidth

        runs = self._runs(s, P.ROLE_BODY)
        width = sum(stringWidth(t, f, size) for t, f in runs)
        self.d.add(Rect(x - width / 2 - 2, y - 2, width + 4, size + 2, fillColor=white, strokeColor=None,
                        strokeWidth=0))
        self.text(x, y, s, size, anchor="middle")

    def arrow(self, x1, y1, x2, y2):
        from reportlab.graphics.shapes import Line, Polygon
        from reportlab.lib.colors import black

        self.d.add(Line(x1, y1, x2, y2, strokeColor=black, strokeWidth=1.5))
        import math

        a = math.atan2(y2 - y1, x2 - x1)
        s = 7
        pts = [x2, y2, x2 - s * math.cos(a - 0.4), y2 - s * math.sin(a - 0.4),
               x2 - s * math.cos(a + 0.4), y2 - s * math.sin(a + 0.4)]
        self.d.add(Polygon(pts, fillColor=black, strokeColor=black))

    def heading(self, y, s):
        from reportlab.graphics.shapes import Line
        from reportlab.lib.colors import black

        self.text(MARGIN, y, s, 15, P.ROLE_HEADING)
        self.d.add(Line(MARGIN, y - 6, PAGE_W - MARGIN, y - 6, strokeColor=black, strokeWidth=1))


def _num(v) -> str:
    return format_value(v) if v is not None else T.TUJIE_BLANK


def _box(pen, x, y, w, h, label, value, grey=0.92):
    pen.rect(x, y, w, h, grey)
    pen.text(x + w / 2, y + h - 16, label, 10, anchor="middle")
    pen.text(x + w / 2, y + 10, _num(value) + T.JIEDU_COUNT_UNIT, 20, anchor="middle")


def draw_tujie(report: Report, font_plan):
    """The poster as a reportlab Drawing (A4 portrait)."""
    from reportlab.graphics.shapes import Drawing

    d = Drawing(PAGE_W, PAGE_H)
    pen = _Pen(d, font_plan)
    y = PAGE_H - MARGIN - 22
    title = report.title + T.NAME_TAIL_TUJIE
    for line in P.title_lines(title, report.meta.organ, max_em=(PAGE_W - 2 * MARGIN) / 22 - 0.5):
        pen.text(PAGE_W / 2, y, line, 22, P.ROLE_TITLE, anchor="middle")
        y -= 30
    draft = P.draft_header(report, None) if hasattr(P, "draft_header") else ""
    if draft:
        pen.text(PAGE_W / 2, PAGE_H - MARGIN / 2 - 4, draft, 10, P.ROLE_HEADING, anchor="middle")
    pen.text(PAGE_W / 2, y, T.TUJIE_PERIOD.format(year=report.meta.year), 11, anchor="middle")
    y -= 30

    # Key figures of 表二 (主动公开): boxes in a row.
    proactive = [kf for kf in report.format.key_figures
                 if kf.cells and report.format.sections and kf.cells[0][0] == report.format.sections[1].table]
    pen.heading(y, T.TUJIE_PROACTIVE)
    y -= 70
    if proactive:
        w = (PAGE_W - 2 * MARGIN - 10 * (len(proactive) - 1)) / len(proactive)
        for i, kf in enumerate(proactive):
            value = _key(report, kf.id)
            label, unit = key_figure_wording(report, kf)
            x = MARGIN + i * (w + 10)
            pen.rect(x, y, w, 52, 0.92)
            pen.text(x + w / 2, y + 36, label, 10, anchor="middle")
            pen.text(x + w / 2, y + 10, _num(value) + unit, 18, anchor="middle")
    y -= 40

    # The applications' flow.
    pen.heading(y, T.TUJIE_FLOW)
    y -= 110
    bw, bh = 120, 56
    col1, col3 = MARGIN + 10, PAGE_W - MARGIN - 10 - bw
    mid = (col1 + bw + col3) / 2
    _box(pen, col1, y + 34, bw, bh, T.TUJIE_CARRIED, _key(report, "carried"))
    _box(pen, col1, y - 34, bw, bh, T.TUJIE_NEW, _key(report, "new"))
    _box(pen, col3, y + 34, bw, bh, T.TUJIE_HANDLED, _key(report, "handled"), 0.8)
    _box(pen, col3, y - 34, bw, bh, T.TUJIE_CARRY_FORWARD, _key(report, "carry_forward"), 0.8)
    total_in = None
    if _key(report, "carried") is not None and _key(report, "new") is not None:
        total_in = _key(report, "carried") + _key(report, "new")
    pen.rect(mid - 55, y + 6, 110, 40, 1.0, 1.2)
    pen.text(mid, y + 32, T.TUJIE_IN_HAND, 10, anchor="middle")
    pen.text(mid, y + 12, _num(total_in) + T.JIEDU_COUNT_UNIT, 14, anchor="middle")
    pen.arrow(col1 + bw, y + 62, mid - 55, y + 32)
    pen.arrow(col1 + bw, y - 6, mid - 55, y + 20)
    pen.arrow(mid + 55, y + 32, col3, y + 62)
    pen.arrow(mid + 55, y + 20, col3, y - 6)
    y -= 72

    # Results as horizontal bars.
    bars = result_bars(report)
    pen.heading(y, T.TUJIE_RESULTS)
    y -= 24
    label_w, bar_h, gap = 90, 16, 7
    avail = PAGE_W - 2 * MARGIN - label_w - 50
    top = max([v for _, v in bars if v is not None] + [1])
    for i, (label, value) in enumerate(bars):
        yy = y - i * (bar_h + gap)
        pen.text(MARGIN + label_w - 6, yy + 4, label, 10.5, anchor="end")
        w = avail * (value / top) if top else 0
        pen.rect(MARGIN + label_w, yy, max(w, 0.5), bar_h, GREYS[1])  # one series, one grey
        pen.text(MARGIN + label_w + max(w, 0.5) + 5, yy + 4, _num(value) + T.JIEDU_COUNT_UNIT, 10.5)
    y -= len(bars) * (bar_h + gap) + 28

    # 复议 / 诉讼 outcomes: one stacked bar per kind, legend by outcome.
    series = appeal_series(report)
    pen.heading(y, T.TUJIE_APPEALS)
    y -= 26
    outcomes = []
    for _, parts, _ in series:
        for name, _ in parts:
            if name not in outcomes:
                outcomes.append(name)
    label_w = 150
    avail = PAGE_W - 2 * MARGIN - label_w - 50
    top = max([t for _, _, t in series if t] + [1])
    for i, (label, parts, total) in enumerate(series):
        yy = y - i * 30
        pen.text(MARGIN + label_w - 6, yy + 5, label, 10.5, anchor="end")
        x = MARGIN + label_w
        if not total:
            pen.rect(x, yy, 0.5, 18, 1.0)
        for name, value in parts:
            if not value:
                continue
            w = avail * value / top
            fill = OUTCOME_FILLS[outcomes.index(name) % len(OUTCOME_FILLS)]
            pen.fill(x, yy, w, 18, fill)
            if w > 14:
                if fill[1]:
                    pen.label(x + w / 2, yy + 5, _num(value))
                else:
                    pen.text(x + w / 2, yy + 5, _num(value), 10, anchor="middle")
            x += w
        pen.text(x + 5, yy + 5, T.TUJIE_TOTAL.format(n=_num(total)), 10.5)
    y -= len(series) * 30 - 4
    # Legend: swatch + outcome name, so the shades need no colour.
    x = MARGIN + label_w
    for i, name in enumerate(outcomes):
        pen.fill(x, y - 2, 18, 13, OUTCOME_FILLS[i % len(OUTCOME_FILLS)])
        pen.text(x + 22, y + 1, name, 9.5)
        x += 22 + len(name) * 10 + 18
    y -= 30
    pen.text(PAGE_W / 2, MARGIN, T.TUJIE_SOURCE.format(title=report.title), 9, anchor="middle")
    return d


def render_tujie(report: Report, kind: str, font_plan) -> bytes:
    """The poster as PDF bytes (``kind`` "pdf") or PNG bytes ("png")."""
    from reportlab.graphics import renderPDF

    drawing = draw_tujie(report, font_plan)
    pdf = renderPDF.drawToString(drawing, title=report.title + T.NAME_TAIL_TUJIE, author=report.meta.organ)
    if kind == "pdf":
        return pdf
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        image = page.render(scale=PNG_DPI / 72).to_pil()
        buf = io.BytesIO()
        image.save(buf, "PNG", dpi=(PNG_DPI, PNG_DPI))
        page.close()
        return buf.getvalue()
    finally:
        doc.close()
