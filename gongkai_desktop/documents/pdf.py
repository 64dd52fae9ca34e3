"""PDF renderer: a :class:`~gongkai_desktop.documents.plan.DocumentPlan` → PDF bytes, with reportlab.

Text is set on the GB/T 9704 grid by :class:`GridParagraph`, a small flowable of our own: 3号
characters at a pitch of 156 mm / 28, lines 28.95 pt apart, justified by spreading (or closing up)
the space between characters, Chinese line-breaking rules (:func:`fonts.can_break`), widow
and orphan control. reportlab's own Paragraph cannot do the character pitch and does not
justify Chinese lines. Table cells are laid out by the same class at the table size (it is also
much cheaper to re-wrap than a Paragraph, which reportlab's Table does many times). Headings are
kept with what follows by :class:`KeepGroup` (never a group taller than a page); tables are
:class:`GridTable`s, which break across pages as Word does: header rows repeated, merged labels
continued, rows never split, at the rows the plan allows (:meth:`TablePlan.break_rows`).
A draft carries its 「草稿」 line at the top of every page; page numbers are 宋体 (GB/T 9704 7.5).
A layout reportlab cannot place is an :class:`ExportError` in Chinese naming the section.

Fonts come from :mod:`.fonts`: one face per role, registered only when the document uses it
(through the package's on-disk face cache), every character the role face lacks drawn from a
fallback face (:meth:`FontPlan.runs`), characters that no face has drawn as a box but kept in the
text layer and reported.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from ..errors import ExportError
from . import plan as P
from . import texts as DT
from .fonts.linebreak import can_break as _can_break

MM = P.PT_PER_MM
PAGE_W = P.PAGE_WIDTH_MM * MM
PAGE_H = P.PAGE_HEIGHT_MM * MM
TEXT_W = P.TEXT_WIDTH_MM * MM
TEXT_H = P.TEXT_HEIGHT_MM * MM
LEADING = P.LINE_PITCH_PT
# 28 characters of 3号 a line: the space added after each character (Tc) is such that 28 of
# them, with 27 gaps, exactly fill the 156 mm line (a hair less, against rounding).
GRID_CHAR_SPACE = (TEXT_W - P.CHARS_PER_LINE * P.BODY_PT) / (P.CHARS_PER_LINE - 1) - 1e-3  # ≈ -0.215 pt
PITCH = P.BODY_PT + GRID_CHAR_SPACE  # the advance of one character on the grid
ASCENT = 0.88  # of the em: where the baseline sits below the top of the em box
_FUZZ = 1e-6


@dataclass
class PdfInfo:
    """What the renderer learnt while rendering: for the export result."""

    missing: set[str] = field(default_factory=set)
    pages: int = 0


# ---------------------------------------------------------------------------------------------
# Glyph runs: text in one role → [(text, reportlab font name)] with per-character fallback


class Fonts:
    """The document's fonts: a :class:`fonts.FontPlan` plus caches for runs and widths."""

    def __init__(self, font_plan):
        self.plan = font_plan
        self.missing: set[str] = set()
        self._runs: dict[tuple[str, str, bool], list[tuple[str, str]]] = {}
        self._widths: dict[tuple[str, str], float] = {}
        self._names: dict[str, str] = {}

    def name(self, role: str) -> str:
        n = self._names.get(role)
        if n is None:
            n = self._names[role] = self.plan.font_name(role)
        return n

    def runs(self, text: str, role: str, *, latin: bool = True) -> list[tuple[str, str]]:
        """``text`` split into (text, font name) runs: digits and Latin in the Latin face unless
        ``latin`` is False (page numbers are 宋体 throughout, GB/T 9704 7.5)."""
        key = (text, role, latin)
        out = self._runs.get(key)
        if out is None:
            out, missing = self.plan.runs(text, role, latin=latin)
            self.missing |= missing
            out = self._runs[key] = [r for r in out if r[0]]
        return out

    def width(self, ch: str, font: str, size: float) -> float:
        key = (ch, font)
        w = self._widths.get(key)
        if w is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            w = self._widths[key] = stringWidth(ch, font, 1000.0) / 1000.0
        return w * size


# ---------------------------------------------------------------------------------------------
# GridParagraph


@dataclass
class _Line:
    glyphs: list[tuple[str, str, float]]  # (char, font, width)
    x0: float  # left offset of the line box
    avail: float  # width of the line box
    last: bool  # last line of the paragraph: not justified


_SQUEEZABLE = set("。，、；：？！”’）》」』〉】〕,.;:?!)")


class GridParagraph:  # a reportlab Flowable (the base class is mixed in lazily, see _flowable())
    """A paragraph on the body grid: characters at the grid pitch, lines ``leading`` apart,
    justified by spreading or closing up the space between characters, broken by the Chinese
    rules. ``forced_lines`` (the title's lines, a table cell's stacked characters) each start a
    new line; each is still broken further if it is too long."""

    def __init__(self, fonts: Fonts, runs: list[P.Run], *, size: float, leading: float = LEADING,
                 indent: float = 0.0, right_indent: float = 0.0, align: str = "justify",
                 char_space: float | None = None, forced_lines: list[list[P.Run]] | None = None,
                 splittable: bool = True, squeeze: bool = True, _lines: list[_Line] | None = None):
        self.fonts = fonts
        self.runs = runs
        self.size = size
        self.leading = leading
        self.indent = indent
        self.right_indent = right_indent
        self.align = align
        self.cs = GRID_CHAR_SPACE * size / P.BODY_PT if char_space is None else char_space
        self.forced_lines = forced_lines
        self.splittable = splittable
        self.squeeze = squeeze  # may close up a line to take in a closing punctuation mark
        self._lines = _lines
        self._width = None
        self._fresh = _lines is None  # laid out from the runs (not a piece of a split)

    # -- layout ------------------------------------------------------------------------------
    def _glyphs(self, runs: list[P.Run]) -> list[tuple[str, str, float]]:
        out = []
        for run in runs:
            for text, font in self.fonts.runs(run.text, run.role):
                for ch in text:
                    out.append((ch, font, self.fonts.width(ch, font, self.size)))
        return out

    def _break(self, glyphs, width: float, first_indent: float) -> list[_Line]:
        lines: list[_Line] = []
        n = len(glyphs)
        chars = [g[0] for g in glyphs]
        start = 0
        cs = self.cs
        while start < n:
            x0 = first_indent if not lines else 0.0
            avail = width - x0
            used = 0.0
            i = start
            brk = n
            while i < n:
                w = glyphs[i][2] + (cs if i > start else 0.0)
                if used + w > avail + _FUZZ and i > start:
                    brk = self._choose(chars, start, i, used + w - avail)
                    break
                used += w
                i += 1
            lines.append(_Line(glyphs[start:brk], x0, avail, brk >= n))
            start = brk
        if not lines:
            lines.append(_Line([], first_indent, width - first_indent, True))
        return lines

    def _choose(self, ch: list[str], start: int, i: int, overflow: float) -> int:
        """Where to end the line when character ``i`` does not fit (``overflow`` points over)."""
        nxt = ch[i + 1] if i + 1 < len(ch) else ""
        if _can_break(ch[i - 1], ch[i]):
            return i
        # A closing punctuation mark that would start the next line is squeezed into this one
        # (the line is then closed up slightly) rather than dragging a character down.
        if self.squeeze and ch[i] in _SQUEEZABLE and overflow <= self.size * 0.75 + _FUZZ \
                and _can_break(ch[i], nxt):
            return i + 1
        for b in range(i - 1, start, -1):
            if _can_break(ch[b - 1], ch[b]):
                return b
        return i

    def _layout(self, width: float) -> list[_Line]:
        avail = width - self.right_indent
        if self.forced_lines is not None:
            lines = []
            for runs in self.forced_lines:
                lines.extend(self._break(self._glyphs(runs), avail, 0.0))
                lines[-1].last = True
            return lines
        return self._break(self._glyphs(self.runs), avail, self.indent)

    def wrap(self, aW, aH):
        if self._lines is None or (self._width != aW and self._fresh):
            self._lines = self._layout(aW)
            self._width = aW
            self._fresh = True
        self.width = aW
        self.height = len(self._lines) * self.leading
        return aW, self.height

    def lines_text(self) -> list[str]:
        return ["".join(g[0] for g in line.glyphs) for line in (self._lines or [])]

    def split(self, aW, aH):
        self.wrap(aW, aH)
        n = len(self._lines)
        k = int((aH + _FUZZ) // self.leading)
        if not self.splittable or k <= 0 or k >= n:
            return []
        # Widow and orphan control: never one line alone at a page foot or head.
        if n - k == 1:
            k -= 1
        if k < 2 or n - k < 2:
            return []
        head = self._clone(self._lines[:k])
        tail = self._clone(self._lines[k:])
        return [head, tail]

    def _clone(self, lines: list[_Line]):
        g = _flowable(GridParagraph)(self.fonts, self.runs, size=self.size, leading=self.leading,
                                     indent=self.indent, right_indent=self.right_indent,
                                     align=self.align, char_space=self.cs, splittable=self.splittable,
                                     squeeze=self.squeeze, _lines=lines)
        g._width = self._width
        return g

    # -- drawing -------------------------------------------------------------------------------
    def draw(self):
        canv = self.canv
        width = self.width - self.right_indent
        top = self.height
        base = (self.leading - self.size) / 2 + ASCENT * self.size
        for li, line in enumerate(self._lines or []):
            glyphs = line.glyphs
            if not glyphs:
                continue
            n = len(glyphs)
            natural = sum(g[2] for g in glyphs)
            cs = self.cs
            if self.align == "justify" and not line.last and n > 1:
                cs = (line.avail - natural) / (n - 1)
            elif n > 1 and natural + cs * (n - 1) > line.avail:
                # A closing mark taken into the line (see _choose) is closed up on any line,
                # the paragraph's last one too: nothing sticks out past the margin.
                cs = (line.avail - natural) / (n - 1)
            line_w = natural + cs * (n - 1)
            if self.align == "center":
                x = line.x0 + (line.avail - line_w) / 2
            elif self.align == "right":
                x = width - line_w
            else:
                x = line.x0
            y = top - li * self.leading - base
            tx = canv.beginText(x, y)
            tx.setCharSpace(cs)
            font = None
            buf: list[str] = []
            for ch, f, _w in glyphs:
                if f != font:
                    if buf:
                        tx.textOut("".join(buf))
                        buf = []
                    tx.setFont(f, self.size)
                    font = f
                buf.append(ch)
            if buf:
                tx.textOut("".join(buf))
            canv.drawText(tx)


class KeepGroup:  # a reportlab Flowable (base mixed in lazily)
    """``heads`` (headings, or the last paragraph before the sign-off) kept with ``nxt``: on a
    page break the heads move with the start of ``nxt``; the first head, when splittable, may
    leave its first lines behind."""

    def __init__(self, heads: list, nxt):
        self.heads = heads
        self.nxt = nxt

    def _all(self):
        return [*self.heads, self.nxt]

    def wrap(self, aW, aH):
        self._sizes = [f.wrapOn(self.canv, aW, aH) for f in self._all()]
        self.width = aW
        self.height = sum(h for _w, h in self._sizes)
        return aW, self.height

    def split(self, aW, aH):
        canv = self.canv
        sizes = [f.wrapOn(canv, aW, aH) for f in self._all()]
        hh = sum(h for _w, h in sizes[:-1])
        if hh < aH - _FUZZ:
            parts = self.nxt.splitOn(canv, aW, aH - hh)
            if parts:
                h0 = parts[0].wrapOn(canv, aW, aH - hh)[1]
                if h0 <= aH - hh + _FUZZ:
                    return [*self.heads, *parts]
        first = self.heads[0]
        if getattr(first, "splittable", False):
            h_first = sizes[0][1]
            parts = first.splitOn(canv, aW, min(aH, h_first - getattr(first, "leading", h_first)))
            if len(parts) == 2:
                return [parts[0], _flowable(KeepGroup)([parts[1], *self.heads[1:]], self.nxt)]
        if aH >= TEXT_H - _FUZZ or hh + self._min_next(aW) > TEXT_H:
            # Even a fresh page cannot hold the group: no keep-together group may exceed a page,
            # so its pieces go on one by one (a layout failure is never the answer).
            return [*self.heads, self.nxt]
        return []

    def _min_next(self, aW) -> float:
        """The least of ``nxt`` a page must hold under the heads: its first lines or rows."""
        nxt = self.nxt
        first = getattr(nxt, "min_start_height", None)
        if first is not None:
            return first(aW, self.canv)
        leading = getattr(nxt, "leading", None)
        if leading:
            return 2 * leading
        return nxt.wrapOn(self.canv, aW, TEXT_H)[1]

    def drawOn(self, canv, x, y, _sW=0):
        top = y + self.height
        for f, (_w, h) in zip(self._all(), self._sizes):
            top -= h
            f.drawOn(canv, x, top)


_classes: dict[type, type] = {}


def _flowable(cls: type) -> type:
    """``cls`` with reportlab's Flowable as base (reportlab is imported only when rendering)."""
    out = _classes.get(cls)
    if out is None:
        from reportlab.platypus.flowables import Flowable

        out = _classes[cls] = type(cls.__name__, (cls, Flowable), {})
    return out


# ---------------------------------------------------------------------------------------------
# Tables


MIN_ROWS_AT_BREAK = P.KEEP_ROWS_AT_BREAK  # body rows a piece keeps above a break


class GridTable:  # a reportlab Flowable (base mixed in lazily)
    """A plan table that breaks across pages the way Word breaks it: header rows repeated, a
    vertically merged label (「（三）不予公开」) continued on the new page, rows never split.

    reportlab's own Table will not break inside a row span at all (so table 三, whose
    「三、本年度办理结果」 spans 22 rows, could only move whole, leaving half-empty pages): each
    piece here is a reportlab Table of a range of rows with its spans clipped to the range. A
    page break is allowed before a row when at least MIN_ROWS_AT_BREAK body rows stay on each
    side (:meth:`TablePlan.break_rows`, which the .docx follows too)."""

    def __init__(self, t: P.TablePlan, fonts: Fonts, start: int | None = None,
                 heights: list[float] | None = None, cells: dict | None = None):
        self.t = t
        self.fonts = fonts
        self.start = t.header_rows if start is None else start  # first body row of this piece
        self._full_heights = heights
        # Cell flowables are shared by every piece: each keeps its laid-out lines.
        self._cells: dict = {} if cells is None else cells
        self._table = self._build(self.start, t.n_rows, heights)

    # -- pieces --------------------------------------------------------------------------------
    def _cell(self, c: P.PlanCell, lines: tuple[str, ...]):
        key = (c.row, c.col, lines)
        cell = self._cells.get(key)
        if cell is None:
            t = self.t
            # Cells are laid out by the same grid paragraph (Chinese line breaking, fallback
            # faces), at the table size: cheap to wrap again, which reportlab's Table does often.
            cell = self._cells[key] = _flowable(GridParagraph)(
                self.fonts, [], size=t.size_pt, leading=t.line_pt, align=c.align, char_space=0.0,
                splittable=False, squeeze=False, forced_lines=[[P.Run(line, t.role)] for line in lines])
        return cell

    def _build(self, start: int, end: int, heights: list[float] | None = None):
        """A reportlab Table of the header rows and body rows ``start``..``end``-1."""
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        t = self.t
        rows = [*range(t.header_rows), *range(start, end)]
        index = {r: i for i, r in enumerate(rows)}
        data: list[list] = [["" for _ in range(t.n_cols)] for _ in rows]
        cmds = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            # Empty cells are drawn as strings in the style's font: not Helvetica (never embedded).
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.name(t.role)),
            ("LEFTPADDING", (0, 0), (-1, -1), P.TABLE_CELL_PAD_MM * MM),
            ("RIGHTPADDING", (0, 0), (-1, -1), P.TABLE_CELL_PAD_MM * MM),
            ("TOPPADDING", (0, 0), (-1, -1), P.TABLE_CELL_VPAD_PT),
            ("BOTTOMPADDING", (0, 0), (-1, -1), P.TABLE_CELL_VPAD_PT),
        ]
        for c in t.cells:
            span = [r for r in range(c.row, c.row + c.rowspan) if r in index]
            if not span:
                continue
            top, bottom = index[span[0]], index[span[-1]]
            lines = c.lines
            if span[0] != c.row and heights is not None:
                # A label continued from the previous page is printed again when it fits the
                # rows it spans here (a long stacked label would only stretch them: left empty).
                room = sum(heights[r] for r in span) - 2 * P.TABLE_CELL_VPAD_PT
                if len(lines) * t.line_pt > room + _FUZZ:
                    lines = ()
            if any(lines):
                data[top][c.col] = self._cell(c, lines)
            if bottom > top or c.colspan > 1:
                cmds.append(("SPAN", (c.col, top), (c.col + c.colspan - 1, bottom)))
        widths = [w * MM for w in t.col_widths_mm]
        widths[-1] += TEXT_W - sum(widths)
        table = Table(data, colWidths=widths, repeatRows=0, splitByRow=1, hAlign="CENTER")
        table.setStyle(TableStyle(cmds))
        return table

    def _heights(self, canv=None) -> list[float]:
        """Row heights of the whole table, by plan row (what a break decision is measured with)."""
        if self._full_heights is None:
            full = self._build(self.t.header_rows, self.t.n_rows) if self.start != self.t.header_rows \
                else self._table
            full.wrapOn(canv if canv is not None else getattr(self, "canv", None), TEXT_W, 10 * TEXT_H)
            self._full_heights = list(full._rowHeights)
        return self._full_heights

    def _breaks(self) -> list[int]:
        """Rows of this piece a page may start with."""
        return [k for k in self.t.break_rows() if k >= self.start + MIN_ROWS_AT_BREAK]

    def min_start_height(self, aW, canv=None) -> float:
        """The header rows and the first rows up to the first allowed break: what a page must
        hold of this table under a heading."""
        h = self._heights(canv)
        first = next(iter(self._breaks()), self.t.n_rows)
        return sum(h[: self.t.header_rows]) + sum(h[self.start:first])

    # -- Flowable ------------------------------------------------------------------------------
    def wrap(self, aW, aH):
        self.width, self.height = self._table.wrapOn(self.canv, aW, aH)
        return self.width, self.height

    def split(self, aW, aH):
        h = self._heights()
        head = sum(h[: self.t.header_rows])
        for k in reversed(self._breaks()):
            if head + sum(h[self.start:k]) > aH + _FUZZ:
                continue
            piece = _flowable(GridTablePiece)(self._build(self.start, k, h))
            if piece.wrapOn(self.canv, aW, aH)[1] > aH + _FUZZ:
                continue
            return [piece, _flowable(GridTable)(self.t, self.fonts, k, h, self._cells)]
        return []

    def drawOn(self, canv, x, y, _sW=0):
        self._table.drawOn(canv, x, y, _sW)


class GridTablePiece:  # a reportlab Flowable (base mixed in lazily)
    """A finished piece of a :class:`GridTable` (never split again)."""

    def __init__(self, table):
        self._table = table

    def wrap(self, aW, aH):
        self.width, self.height = self._table.wrapOn(self.canv, aW, aH)
        return self.width, self.height

    def split(self, aW, aH):
        return []

    def drawOn(self, canv, x, y, _sW=0):
        self._table.drawOn(canv, x, y, _sW)


# ---------------------------------------------------------------------------------------------
# Story


def _story(doc_plan: P.DocumentPlan, fonts: Fonts) -> list:
    from reportlab.platypus import Spacer

    GP = _flowable(GridParagraph)
    items: list[tuple[object, bool]] = []  # (flowable, keep with next)
    for b in doc_plan.blocks:
        if isinstance(b, P.Title):
            f = GP(fonts, [], size=b.size_pt, align="center", char_space=0.0,
                   forced_lines=[[P.Run(line, b.role)] for line in b.lines], splittable=False)
            items.append((f, True))
        elif isinstance(b, P.Paragraph):
            pitch = PITCH * b.size_pt / P.BODY_PT
            heading_alone = b.style in (P.STYLE_HEADING1, P.STYLE_HEADING2, P.STYLE_HEADING3,
                                        P.STYLE_HEADING4) and len(b.runs) == 1
            f = GP(fonts, b.runs, size=b.size_pt, indent=b.indent_chars * pitch,
                   right_indent=b.right_indent_chars * pitch,
                   align=b.align,
                   splittable=not heading_alone and b.style not in (P.STYLE_SIGNOFF, P.STYLE_DATE))
            items.append((f, b.keep_with_next))
        elif isinstance(b, P.Spacer):
            items.append((Spacer(TEXT_W, b.lines * LEADING), b.keep_with_next))
        elif isinstance(b, P.TablePlan):
            items.append((_flowable(GridTable)(b, fonts), False))
        items[-1][0].where = getattr(b, "where", "")
    # Group each run of keep-with-next flowables with the one that follows.
    story: list = []
    KG = _flowable(KeepGroup)
    i = 0
    while i < len(items):
        j = i
        while j < len(items) - 1 and items[j][1]:
            j += 1
        if j > i:
            story.append(KG([f for f, _k in items[i:j]], items[j][0]))
            story[-1].where = items[j][0].where or items[i][0].where
        else:
            story.append(items[i][0])
        i = j + 1
    return story


# ---------------------------------------------------------------------------------------------
# Rendering


def _line(canv, fonts: Fonts, text: str, role: str, size: float, x: float, y: float, *,
          latin: bool = True, align: str = "left") -> None:
    """One line of ``text`` at baseline ``y``, starting (or, right-aligned, ending) at ``x``."""
    runs = fonts.runs(text, role, latin=latin)
    if align == "right":
        x -= sum(fonts.width(ch, f, size) for t, f in runs for ch in t)
    tx = canv.beginText(x, y)
    for t, f in runs:
        tx.setFont(f, size)
        tx.textOut(t)
    canv.drawText(tx)


def _page_number(canv, doc, fonts: Fonts) -> None:
    n = canv.getPageNumber()
    text = P.PAGE_NUMBER_TEMPLATE.format(n=n)
    size = P.PAGE_NUMBER_PT
    # The top of the 4号 line sits 7 mm below the text block.
    y = (P.MARGIN_BOTTOM_MM - P.PAGE_NUMBER_GAP_MM) * MM - ((16 - size) / 2 + ASCENT * size)
    # 宋体 throughout, digits too (GB/T 9704 7.5), as the .docx footer.
    if n % 2:
        _line(canv, fonts, text, P.ROLE_PAGENUM, size, PAGE_W - P.MARGIN_RIGHT_MM * MM - size, y,
              latin=False, align="right")
    else:
        _line(canv, fonts, text, P.ROLE_PAGENUM, size, P.MARGIN_LEFT_MM * MM + size, y, latin=False)


def _draft_mark(canv, doc_plan: P.DocumentPlan, fonts: Fonts) -> None:
    """「草稿（…）」 in the top margin of every page of a draft, where the .docx has its header."""
    if not doc_plan.draft_header:
        return
    size = P.DRAFT_MARK_PT
    y = PAGE_H - P.DRAFT_MARK_TOP_MM * MM - ASCENT * size
    _line(canv, fonts, doc_plan.draft_header, P.ROLE_HEADING, size, P.MARGIN_LEFT_MM * MM, y)


def _on_page(canv, doc, doc_plan: P.DocumentPlan, fonts: Fonts) -> None:
    _page_number(canv, doc, fonts)
    _draft_mark(canv, doc_plan, fonts)


def _initial_font(fonts: Fonts) -> str | None:
    # The canvas names an initial font on every page; left as Helvetica it shows up in the PDF
    # as a font that is not embedded. An embedded face is used instead — but not the CID
    # fallback, which reportlab cannot declare that way (the page would reference a missing F1).
    choice = fonts.plan[P.ROLE_BODY]
    return fonts.name(P.ROLE_BODY) if choice is not None and choice.embedded else None


def _doc_template_class():
    from reportlab.platypus import BaseDocTemplate

    class DocTemplate(BaseDocTemplate):
        """Remembers the flowable being placed, so a layout failure can name its section."""

        current = None

        def handle_flowable(self, flowables):
            if flowables:
                self.current = flowables[0]
            return super().handle_flowable(flowables)

    return DocTemplate


def _DocTemplate(*args, **kw):
    cls = _classes.get(_DocTemplate)
    if cls is None:
        cls = _classes[_DocTemplate] = _doc_template_class()
    return cls(*args, **kw)


def render_pdf(doc_plan: P.DocumentPlan, font_plan) -> tuple[bytes, PdfInfo]:
    """The PDF for ``doc_plan`` set in the faces of ``font_plan`` (a :class:`fonts.FontPlan`)."""
    from reportlab.platypus import Frame, PageTemplate
    from reportlab.platypus.doctemplate import LayoutError

    from .fonts import install_reportlab_patches

    install_reportlab_patches()
    font_plan.register_for(doc_plan.characters_by_role())
    fonts = Fonts(font_plan)
    buf = io.BytesIO()
    frame = Frame(P.MARGIN_LEFT_MM * MM, P.MARGIN_BOTTOM_MM * MM, TEXT_W, TEXT_H,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    doc = _DocTemplate(
        buf, pagesize=(PAGE_W, PAGE_H),
        leftMargin=P.MARGIN_LEFT_MM * MM, rightMargin=P.MARGIN_RIGHT_MM * MM,
        topMargin=P.MARGIN_TOP_MM * MM, bottomMargin=P.MARGIN_BOTTOM_MM * MM,
        initialFontName=_initial_font(fonts), title=doc_plan.title, author=doc_plan.organ, subject=doc_plan.subject,
        keywords=f"政府信息公开,{doc_plan.year}年度,{doc_plan.organ}", creator="gongkai_desktop",
        producer="gongkai_desktop (reportlab)", lang="zh-CN", invariant=0,
    )
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=lambda c, d: _on_page(c, d, doc_plan, fonts))])
    story = _story(doc_plan, fonts)
    try:
        doc.build(story)
    except LayoutError as exc:
        # Not reportlab's English: which part of the report, in words the clerk can act on.
        where = getattr(doc.current, "where", "")
        where = DT.LAYOUT_WHERE_SECTION.format(heading=where) if where else DT.LAYOUT_WHERE_DOCUMENT
        raise ExportError(DT.LAYOUT_FAILED.format(where=where, detail=str(exc)[:120])) from exc
    info = PdfInfo(missing=set(fonts.missing), pages=doc.page)
    return buf.getvalue(), info
