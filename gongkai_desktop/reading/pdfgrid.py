"""Ruled tables of a PDF page from its drawn lines, with pdfium alone.

Word, WPS, LibreOffice and reportlab draw a table's borders as thin lines or thin filled
rectangles. Their x and y positions make the grid; a border missing inside a row is a merged
cell (colspan), a border missing above a cell continues the cell of the row above (rowspan: the
cell is absent from that row, as in a web page). Characters go to the cell their centre is in.
Rows come back as lists of cell texts in order — what the table reader reads by order.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

TOL = 1.6  # points: lines this close are one line; a border this thin is a line


@dataclass
class _Seg:
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return (self.y1 - self.y0) <= TOL and (self.x1 - self.x0) > 3 * TOL

    @property
    def vertical(self) -> bool:
        return (self.x1 - self.x0) <= TOL and (self.y1 - self.y0) > 3 * TOL


def _segments(page, raw, height: float) -> list[_Seg]:
    out = []
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, l, b, r, t):
            continue
        seg = _Seg(l.value, height - t.value, r.value, height - b.value)
        if seg.horizontal or seg.vertical:
            out.append(seg)
        elif (seg.x1 - seg.x0) > 3 * TOL and (seg.y1 - seg.y0) > 3 * TOL and raw.FPDFPath_CountSegments(obj) in (5, 6):
            # A stroked rectangle (a cell's four borders at once): its four sides.
            out += [_Seg(seg.x0, seg.y0, seg.x1, seg.y0), _Seg(seg.x0, seg.y1, seg.x1, seg.y1),
                    _Seg(seg.x0, seg.y0, seg.x0, seg.y1), _Seg(seg.x1, seg.y0, seg.x1, seg.y1)]
    return out


def _clusters(segs: list[_Seg]) -> list[list[_Seg]]:
    """Segments that touch, transitively: one table each."""
    parent = list(range(len(segs)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(len(segs)), key=lambda i: segs[i].y0)
    for a_i, a in enumerate(order):
        sa = segs[a]
        for b in order[a_i + 1:]:
            sb = segs[b]
            if sb.y0 > sa.y1 + TOL:
                break
            if sb.x0 <= sa.x1 + TOL and sa.x0 <= sb.x1 + TOL:
                parent[find(a)] = find(b)
    groups: dict[int, list[_Seg]] = {}
    for i, s in enumerate(segs):
        groups.setdefault(find(i), []).append(s)
    return [g for g in groups.values() if sum(s.horizontal for s in g) >= 2 and sum(s.vertical for s in g) >= 2]


def _positions(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOL:
            out.append(v)
        else:
            out[-1] = (out[-1] + v) / 2
    return out


def _covered(segs: list[_Seg], vertical: bool, at: float, lo: float, hi: float) -> bool:
    """Whether a line at ``at`` runs over the middle of [lo, hi]."""
    mid = (lo + hi) / 2
    for s in segs:
        if vertical and s.vertical and abs((s.x0 + s.x1) / 2 - at) <= TOL and s.y0 - TOL <= mid <= s.y1 + TOL:
            return True
        if not vertical and s.horizontal and abs((s.y0 + s.y1) / 2 - at) <= TOL and s.x0 - TOL <= mid <= s.x1 + TOL:
            return True
    return False


def page_chars(textpage, raw, height: float) -> list[tuple[float, float, float, str]]:
    """(centre x, middle of the line from the top, size, character) of every character."""
    out = []
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    pending = 0
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if 0xD800 <= code < 0xDC00:
            pending = code
            continue
        if 0xDC00 <= code < 0xE000:
            if not pending:
                continue
            code, pending = 0x10000 + ((pending - 0xD800) << 10) + (code - 0xDC00), 0
        if code in (0, 2, 10, 13, 0xFFFE) or code >= 0x110000 or not chr(code).strip():
            continue
        raw.FPDFText_GetCharBox(textpage.raw, i, l, r, b, t)
        raw.FPDFText_GetCharOrigin(textpage.raw, i, ox, oy)
        size = raw.FPDFText_GetFontSize(textpage.raw, i) or 10.0
        # x: the glyph's middle; y: its baseline raised by a third of the size (the middle of a
        # Chinese character) — a 「.」 or 「，」 sits on the baseline of its neighbours.
        out.append(((l.value + r.value) / 2, height - oy.value - size * 0.35, size, chr(code)))
    return out


def tables_on_page(page, textpage, raw) -> list[tuple[tuple[float, float, float, float], list[list[str]]]]:
    """[(bbox (x0, top, x1, bottom), rows)] of the ruled tables on the page."""
    height = page.get_height()
    segs = _segments(page, raw, height)
    if len(segs) < 4:
        return []
    chars = page_chars(textpage, raw, height)
    found = []
    for group in _clusters(segs):
        xs = _positions([(s.x0 + s.x1) / 2 for s in group if s.vertical])
        ys = _positions([(s.y0 + s.y1) / 2 for s in group if s.horizontal])
        if len(xs) < 2 or len(ys) < 2:
            continue
        n_rows, n_cols = len(ys) - 1, len(xs) - 1
        owner: dict[tuple[int, int], tuple[int, int]] = {}  # grid cell → top-left of its merged cell
        spans: dict[tuple[int, int], tuple[int, int]] = {}  # top-left → (last row, last col)
        for r in range(n_rows):
            c = 0
            while c < n_cols:
                end = c
                while end + 1 < n_cols and not _covered(group, True, xs[end + 1], ys[r], ys[r + 1]):
                    end += 1
                above = owner.get((r - 1, c)) if r else None
                if above is not None and spans[above][1] == end and not _covered(group, False, ys[r], xs[c], xs[end + 1]):
                    spans[above] = (r, end)  # the cell above goes on down
                    for cc in range(c, end + 1):
                        owner[(r, cc)] = above
                else:
                    spans[(r, c)] = (r, end)
                    for cc in range(c, end + 1):
                        owner[(r, cc)] = (r, c)
                c = end + 1
        texts: dict[tuple[int, int], list[tuple[float, float, float, str]]] = {k: [] for k in spans}
        x_lo, x_hi, y_lo, y_hi = xs[0], xs[-1], ys[0], ys[-1]
        for ch in chars:
            x, y = ch[0], ch[1]
            if not (x_lo < x < x_hi and y_lo < y < y_hi):
                continue
            col = next(i for i in range(n_cols) if x <= xs[i + 1])
            row = next(i for i in range(n_rows) if y <= ys[i + 1])
            texts[owner[(row, col)]].append(ch)
        rows: list[list[str]] = []
        for r in range(n_rows):
            cells = []
            for c in range(n_cols):
                if (r, c) in spans:
                    cells.append(_cell_text(texts[(r, c)]))
            rows.append(cells)
        rows = [row for row in rows if row]
        if sum(len(row) for row in rows) >= 4:
            found.append(((x_lo, y_lo, x_hi, y_hi), rows))
    return found


def _cell_text(chars: list[tuple[float, float, float, str]]) -> str:
    """The cell's characters line by line (a label broken inside its cell is one label)."""
    if not chars:
        return ""
    chars = sorted(chars, key=lambda c: (c[1], c[0]))
    lines: list[list[tuple[float, float, float, str]]] = []
    for ch in chars:
        if lines and abs(ch[1] - lines[-1][0][1]) <= ch[2] * 0.5:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    return "".join("".join(c[3] for c in sorted(line, key=lambda c: c[0])) for line in lines)
