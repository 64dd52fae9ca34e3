"""The document plan: what the printed report says and how it is laid out, renderer-neutral.

One plan is built from a :class:`~gongkai_desktop.report.model.Report`; the Word renderer
(``render_docx``) and the PDF renderer (``render_pdf``) both draw from it, so the two files say
exactly the same thing. The plan holds plain data only — text, font *roles* (not font names),
sizes in points and millimetres, table grids with their merges — and nothing that renders.

Layout follows GB/T 9704-2012 《党政机关公文格式》: A4, margins 37/35/28/26 mm, a 156 × 225 mm
text block of 22 lines × 28 characters, title 2号 小标宋, body 3号 仿宋 with a two-character
first-line indent, 「一、」 黑体, 「（一）」 楷体, 「1.」 仿宋, page numbers 「— N —」 in 4号 宋体.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from ..report.formats import CellKey, Format, GridCell, Table
from ..report.model import Report, format_date, parse_section_text, strip_unwritable
from ..report.values import format_value
from . import texts as DT

# ---------------------------------------------------------------------------------------------
# Page and type (GB/T 9704-2012)

PT_PER_MM = 72 / 25.4

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 37.0
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0
MARGIN_RIGHT_MM = 26.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
PAGE_NUMBER_GAP_MM = 7.0  # page number sits 7 mm below the text block
DRAFT_MARK_TOP_MM = 15.0  # the draft mark's line, from the top edge (the .docx header distance)

TITLE_PT = 22.0  # 2号
BODY_PT = 16.0  # 3号
PAGE_NUMBER_PT = 14.0  # 4号
DRAFT_MARK_PT = 14.0  # 4号
TABLE_PT = 10.5  # 五号
LINE_PITCH_PT = TEXT_HEIGHT_MM * PT_PER_MM / LINES_PER_PAGE  # ≈ 28.95 pt
TABLE_LINE_PT = 13.5  # leading inside table cells
TABLE_CELL_PAD_MM = 1.0  # left/right padding inside a table cell
TABLE_CELL_VPAD_PT = 2.0  # top/bottom padding inside a table cell

# Font roles (the keys of fonts.ROLES): which kind of face sets a run of text.
ROLE_TITLE = "title"  # 方正小标宋简体
ROLE_BODY = "body"  # 仿宋_GB2312
ROLE_HEADING = "heading"  # 黑体
ROLE_SUBHEADING = "subheading"  # 楷体_GB2312
ROLE_PAGENUM = "pagenum"  # 宋体
ROLE_TABLE = ROLE_BODY  # tables are set in the body face, smaller

# Paragraph styles of the plan (the Word renderer maps each to a real Word style).
STYLE_TITLE = "title"
STYLE_BODY = "body"
STYLE_HEADING1 = "heading1"  # 一、
STYLE_HEADING2 = "heading2"  # （一）
STYLE_HEADING3 = "heading3"  # 1.
STYLE_HEADING4 = "heading4"  # （1）
STYLE_SIGNOFF = "signoff"
STYLE_DATE = "date"

PAGE_NUMBER_TEMPLATE = "— {n} —"


# ---------------------------------------------------------------------------------------------
# Plan objects


@dataclass(frozen=True)
class Run:
    """A piece of text set in one font role."""

    text: str
    role: str


@dataclass
class Paragraph:
    """A paragraph: ``style`` is one of the STYLE_* names; ``runs`` carry the font roles.

    ``indent_chars`` is the first-line indent in characters (2 for body and headings);
    ``right_indent_chars`` places the sign-off and date; ``keep_with_next`` keeps a heading
    off the last line of a page."""

    style: str
    runs: list[Run]
    align: str = "justify"  # "justify" | "center" | "right" | "left"
    indent_chars: float = 2.0
    right_indent_chars: float = 0.0
    keep_with_next: bool = False
    size_pt: float = BODY_PT
    outline_level: int | None = None  # 0 for 一、, 1 for （一）, 2 for 1. (navigation pane)
    where: str = ""  # the section heading this paragraph belongs to (for layout messages)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Title:
    """The document title, already broken into lines (GB/T 9704: 回行时词意完整、排列对称)."""

    text: str
    lines: list[str]
    role: str = ROLE_TITLE
    size_pt: float = TITLE_PT


@dataclass
class Spacer:
    """Blank lines of the body grid (after the title, before the sign-off)."""

    lines: float = 1.0
    keep_with_next: bool = False


@dataclass(frozen=True)
class PlanCell:
    """One cell of a table's printed grid (top-left of a merged area).

    ``lines`` is the text broken where the printed form breaks it (the stacked
    「三、本年度办理结果」, 「（三）」 over 「不予公开」); the cell's text is ``"".join(lines)``."""

    row: int
    col: int
    rowspan: int
    colspan: int
    lines: tuple[str, ...]
    header: bool
    align: str = "center"  # "center" | "left"
    key: CellKey | None = None

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass
class TablePlan:
    """A table exactly as the official form prints it.

    ``header_rows`` repeat when the table crosses a page; ``keep_rows`` are ranges of rows
    (start, end inclusive) that must stay on one page (table 二's blocks: a 「第二十条第（X）项」
    caption never ends a page; table 三's header with its first rows); no row is ever split
    across pages (:meth:`break_rows`)."""

    id: str
    number: str
    name: str
    n_rows: int
    n_cols: int
    header_rows: int
    col_widths_mm: list[float]
    cells: list[PlanCell]
    keep_rows: list[tuple[int, int]] = field(default_factory=list)
    size_pt: float = TABLE_PT
    line_pt: float = TABLE_LINE_PT
    role: str = ROLE_TABLE
    where: str = ""  # the section heading (for layout messages)

    def at(self, row: int, col: int) -> PlanCell | None:
        for c in self.cells:
            if c.row <= row < c.row + c.rowspan and c.col <= col < c.col + c.colspan:
                return c
        return None

    def values(self) -> dict[CellKey, str]:
        return {c.key: c.text for c in self.cells if c.key is not None}

    def break_rows(self) -> list[int]:
        """The rows a new page may start with: body rows, never inside a ``keep_rows`` range,
        never inside a merged label with fewer than two of its rows on either side (a label
        continued on one row would not fit there again)."""
        lo = self.header_rows + 1
        return [k for k in range(lo, self.n_rows)
                if not any(a < k <= b for a, b in self.keep_rows)
                and not any(c.row < k < c.row + c.rowspan and min(k - c.row, c.row + c.rowspan - k) < 2
                            for c in self.cells)]


Block = Title | Paragraph | Spacer | TablePlan


@dataclass
class DocumentPlan:
    title: str
    organ: str
    signoff: str
    year: int
    date_text: str
    format_id: str
    format_name: str
    blocks: list[Block]
    subject: str = "政府信息公开工作年度报告"
    # A draft (not 已定稿, or with 错误) is marked on every page by both renderers with
    # ``draft_header``; a final export carries no mark.
    draft: bool = False
    draft_header: str = ""

    def rendered(self, render: dict[type, Callable[[Any], str]]) -> list[str]:
        """Each block rendered by the function for its type, in order; a type with no function
        is left out (the blank grid lines of print have no place on screen)."""
        return [render[type(b)](b) for b in self.blocks if type(b) in render]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def tables(self) -> list[TablePlan]:
        return [b for b in self.blocks if isinstance(b, TablePlan)]

    def text_lines(self) -> list[str]:
        """Every piece of text in reading order (title lines, paragraphs, table cells row by row):
        what both renderers must print."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Title):
                out.extend(b.lines)
            elif isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, TablePlan):
                for c in sorted(b.cells, key=lambda c: (c.row, c.col)):
                    if c.text:
                        out.append(c.text)
        return out

    def characters_by_role(self) -> dict[str, set[str]]:
        """The characters each font role has to draw (what a renderer must find glyphs for)."""
        out: dict[str, set[str]] = {}
        for b in self.blocks:
            if isinstance(b, Title):
                out.setdefault(b.role, set()).update("".join(b.lines))
            elif isinstance(b, Paragraph):
                for r in b.runs:
                    out.setdefault(r.role, set()).update(r.text)
            elif isinstance(b, TablePlan):
                out.setdefault(b.role, set()).update("".join(c.text for c in b.cells))
        out.setdefault(ROLE_PAGENUM, set()).update(PAGE_NUMBER_TEMPLATE.format(n="0123456789"))
        out.setdefault(ROLE_HEADING, set()).update(self.draft_header)  # the draft mark's face
        return out

    def characters(self) -> set[str]:
        chars: set[str] = set()
        for line in self.text_lines():
            chars.update(line)
        chars.update(PAGE_NUMBER_TEMPLATE.format(n="0123456789"))
        chars.update(self.draft_header)
        return chars


# ---------------------------------------------------------------------------------------------
# Measuring


def char_em(ch: str) -> float:
    """Advance of ``ch`` in ems, as a CJK face sets it: wide characters 1, the rest ½."""
    if ord(ch) > 0xFFFF or unicodedata.east_asian_width(ch) in ("W", "F", "A") and ord(ch) > 0x2000:
        return 1.0
    return 0.5


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


# ---------------------------------------------------------------------------------------------
# Title


def title_lines(title: str, organ: str, max_em: float | None = None) -> list[str]:
    """Break the title over lines: whole if it fits; else after the organ's name and year
    (「…局2025年」/「政府信息公开工作年度报告」), else after the organ name; a very long organ name
    is itself split at a sensible point (after 省/市/区/县/委/局/厅/办公室…), lines balanced."""
    if max_em is None:
        max_em = TEXT_WIDTH_MM * PT_PER_MM / TITLE_PT - 0.5
    if text_em(title) <= max_em:
        return [title]
    candidates: list[list[str]] = []
    if organ and title.startswith(organ):
        rest = title[len(organ):]
        m = re.match(r"^(\d{4}年(?:度)?)(.*)$", rest)
        if m:
            candidates.append([organ + m.group(1), m.group(2)])
        candidates.append([organ, rest])
        # Long organ names: split the organ itself, keep the rest whole.
        for head, tail in _organ_splits(organ):
            if m:
                candidates.append([head, tail + m.group(1), m.group(2)])
            candidates.append([head, tail, rest])
    fitting = [c for c in candidates if all(0 < text_em(line) <= max_em for line in c)]
    if fitting:
        # Fewest lines, then the most balanced.
        return min(fitting, key=lambda c: (len(c), max(text_em(x) for x in c) - min(text_em(x) for x in c)))
    return _greedy_lines(title, max_em)


_ORGAN_BREAKS = ("自治区", "自治州", "自治县", "省", "市", "区", "县", "旗", "镇", "乡", "街道",
                 "委员会", "办公室", "办公厅", "管理局", "委", "局", "厅", "署", "院", "部", "中心")


def _organ_splits(organ: str) -> list[tuple[str, str]]:
    out = []
    for i in range(2, len(organ) - 1):
        head = organ[:i]
        if any(head.endswith(b) for b in _ORGAN_BREAKS):
            out.append((head, organ[i:]))
    return out


_NO_LINE_START = set("。，、；：？！”’）》」』】〕〉…—·%.,;:?!)]}")
_NO_LINE_END = set("“‘（《「『【〔〈([{")


def _greedy_lines(text: str, max_em: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    for ch in text:
        if cur and text_em(cur + ch) > max_em and ch not in _NO_LINE_START and cur[-1] not in _NO_LINE_END:
            lines.append(cur)
            cur = ""
        cur += ch
    if cur:
        lines.append(cur)
    return lines


# ---------------------------------------------------------------------------------------------
# Text sections


def _section_blocks(text: str, where: str = "") -> list[Paragraph]:
    out: list[Paragraph] = []
    for tb in parse_section_text(text):
        if tb.level == 0:
            out.append(Paragraph(STYLE_BODY, [Run(tb.text, ROLE_BODY)], where=where))
            continue
        style = {2: STYLE_HEADING2, 3: STYLE_HEADING3, 4: STYLE_HEADING4}[tb.level]
        head_role = ROLE_SUBHEADING if tb.level == 2 else ROLE_BODY
        runs = [Run(tb.head, head_role)]
        if tb.text:
            runs.append(Run(tb.text, ROLE_BODY))
        # A heading standing alone on its line is kept with what follows.
        out.append(Paragraph(style, runs, keep_with_next=not tb.text,
                             outline_level={2: 1, 3: 2, 4: 3}[tb.level], where=where))
    return out


# ---------------------------------------------------------------------------------------------
# Tables


def cell_text(report: Report, table: Table, key: CellKey) -> str:
    """A value as printed: 0 as 0, money with its unit unless the column label names it."""
    value = report.value(key)
    text = format_value(value)
    if value is None:
        return text
    col = table.column_for(key[1], key[2])
    unit = report.unit_for(key) if (col.unit or col.units) else None
    if unit and unit not in "".join(col.path()):
        text += unit
    return text


KEEP_ROWS_AT_BREAK = 2  # body rows a table keeps on either side of a page break

_ENUM_HEAD = re.compile(r"^(（[一二三四五六七八九十]+）)(.+)$")


def _label_columns(grid_cells: list[GridCell], n_cols: int) -> tuple[int, dict[int, str]]:
    """The first value column, and what kind each label column is: 'stack' (one tall merged
    label per group, printed one character a line), 'group' (merged group labels such as
    「（三）不予公开」) or 'leaf' (the row labels proper)."""
    first_value = min((c.col for c in grid_cells if c.value is not None), default=n_cols)
    kinds: dict[int, str] = {}
    for col in range(first_value):
        own = [c for c in grid_cells if c.col == col and c.colspan == 1 and c.value is None and c.text]
        body = [c for c in own if not _is_column_header(c, grid_cells)]
        if col == first_value - 1:
            kinds[col] = "leaf"
        elif body and all(c.rowspan >= 3 for c in body) and len(body) == 1:
            kinds[col] = "stack"
        else:
            kinds[col] = "group"
    return first_value, kinds


def _is_column_header(cell: GridCell, cells: list[GridCell]) -> bool:
    """True for header cells above value columns or corner cells (not row labels)."""
    rows = range(cell.row, cell.row + cell.rowspan)
    return not any(c.value is not None and c.row in rows for c in cells)


def _em_mm(size_pt: float) -> float:
    return size_pt / PT_PER_MM


# A value column is at least three characters wide, so that 「自然人」 never breaks, and wide
# enough for the report's largest number, which never wraps.
VALUE_HEADER_EM = 3.0
MIN_LEAF_EM = 7.0  # the row labels keep at least this much when the values need room
# 五号, then 小五, 六号 and 6.5 pt when the numbers need the room: table 三's seven value columns
# hold nine digits, table 四's fifteen hold seven.
TABLE_SIZES_PT = (TABLE_PT, 9.0, 7.5, 6.5)


def _column_widths(grid_cells: list[GridCell], n_cols: int, size_pt: float,
                   value_em: float = 0.0) -> tuple[list[float], dict[int, str], bool]:
    """Column widths (mm), the kind of each label column, and whether the numbers fit."""
    em = _em_mm(size_pt)
    pad = 2 * TABLE_CELL_PAD_MM + 0.6
    first_value, kinds = _label_columns(grid_cells, n_cols)
    widths = [0.0] * n_cols
    fixed = 0.0
    leaf_natural = 0.0
    for col, kind in kinds.items():
        labels = [c for c in grid_cells if c.col == col and c.colspan == 1 and c.value is None and c.text
                  and not _is_column_header(c, grid_cells)]
        if kind == "stack":
            widths[col] = em + pad
            fixed += widths[col]
        elif kind == "group":
            longest = max((max(text_em(p) for p in _group_parts(c.text)) for c in labels), default=2)
            widths[col] = min(longest, 5) * em + pad
            fixed += widths[col]
        else:
            leaf_natural = max((text_em(c.text) for c in labels), default=4) * em + pad
    n_values = n_cols - first_value
    if n_values == 0:
        return [TEXT_WIDTH_MM / n_cols] * n_cols, kinds, True
    number_w = value_em * em + pad
    if kinds:
        # The value columns take what their header word and largest number need; the row labels
        # get what is left, up to their natural width; any rest goes to the values.
        min_value = max(VALUE_HEADER_EM * em + pad, number_w)
        leaf = min(leaf_natural, TEXT_WIDTH_MM - fixed - n_values * min_value)
        value_w = (TEXT_WIDTH_MM - fixed - leaf) / n_values
        fits = leaf >= min(leaf_natural, MIN_LEAF_EM * em + pad) - 1e-9
    else:
        value_w, leaf = TEXT_WIDTH_MM / n_values, 0.0
        fits = number_w <= value_w + 1e-9
    for col in range(n_cols):
        if col >= first_value:
            widths[col] = value_w
        elif kinds.get(col) == "leaf":
            widths[col] = leaf
    return [round(w, 2) for w in widths], kinds, fits


def _group_parts(text: str) -> list[str]:
    m = _ENUM_HEAD.match(text)
    return [m.group(1), m.group(2)] if m else [text]


def table_plan(report: Report, table: Table, size_pt: float | None = None) -> TablePlan:
    """``table`` as printed; set in 五号, or smaller when its largest number needs the room
    (``size_pt`` forces a size)."""
    grid = table.grid
    texts = {(c.row, c.col): cell_text(report, table, c.value) for c in grid.cells if c.value is not None}
    value_em = max((text_em(t) for t in texts.values()), default=0.0)
    for size_pt in ((size_pt,) if size_pt else TABLE_SIZES_PT):
        widths, kinds, fits = _column_widths(grid.cells, grid.n_cols, size_pt, value_em)
        if fits:
            break
    em = _em_mm(size_pt)
    cells: list[PlanCell] = []
    for c in grid.cells:
        if c.value is not None:
            cells.append(PlanCell(c.row, c.col, c.rowspan, c.colspan, (texts[(c.row, c.col)],),
                                  False, "center", c.value))
            continue
        lines: tuple[str, ...] = (c.text,)
        align = "center"
        is_col_header = _is_column_header(c, grid.cells)
        kind = kinds.get(c.col) if c.colspan == 1 else None
        if not is_col_header and kind == "stack":
            lines = tuple(c.text)
        elif not is_col_header and kind == "group":
            width = widths[c.col] - 2 * TABLE_CELL_PAD_MM
            if text_em(c.text) * em > width:
                lines = tuple(_group_parts(c.text))
        elif not is_col_header and c.colspan < grid.n_cols:
            # Row labels: long ones (table 三) read best left-aligned, short ones centred.
            span_w = sum(widths[c.col:c.col + c.colspan]) - 2 * TABLE_CELL_PAD_MM
            if text_em(c.text) * em > span_w or c.text[:1] in "一二三四" or c.text[:1].isdigit() \
                    or c.text.startswith("（"):
                align = "left"
        cells.append(PlanCell(c.row, c.col, c.rowspan, c.colspan, lines, True, align, None))
    if grid.header_rows == 0 and len(table.blocks) > 1:
        # Each block (caption, header, rows) of table 二 stays on one page.
        starts = sorted({c.row for c in grid.cells if c.colspan == grid.n_cols and c.value is None})
        bounds = starts + [grid.n_rows]
        keep = [(a, b - 1) for a, b in zip(bounds, bounds[1:]) if b - 1 > a]
    elif grid.n_rows - grid.header_rows <= 2 * KEEP_ROWS_AT_BREAK:
        keep = [(0, grid.n_rows - 1)]  # table 四: a few rows, kept whole
    else:
        # Table 三 breaks across pages like any long table (header rows repeated, merged labels
        # continued) rather than moving whole and leaving a half-empty page; it never leaves
        # its header with fewer than two rows, nor two rows alone on the next page.
        first = grid.header_rows + KEEP_ROWS_AT_BREAK - 1
        keep = [(0, first), (grid.n_rows - KEEP_ROWS_AT_BREAK, grid.n_rows - 1)]
    line_pt = TABLE_LINE_PT * size_pt / TABLE_PT
    return TablePlan(table.id, table.number, table.name, grid.n_rows, grid.n_cols, grid.header_rows,
                     widths, cells, keep, size_pt, line_pt)


# ---------------------------------------------------------------------------------------------
# Sign-off

SIGNOFF_RIGHT_CHARS = 2.0  # 署名 右空二字
DATE_SHIFT_CHARS = 2.0  # the date's first character two characters right of the name's
_NAME_BREAK_BEFORE = "（("
_NAME_BREAK_AFTER = "）)"


def signoff_lines(organ: str, date_em: float = 0.0, max_em: float | None = None) -> list[str]:
    """The organ name as printed over one or more right-aligned lines.

    A name that fits ``max_em`` (the line less 右空二字) stays whole. A longer one is broken
    where a reader expects it — after 省/市/区/…/办公室 or around a bracket, never inside
    「（…局）」's closing — into the fewest, most even lines; the last line is kept at least as
    long as the date plus its shift, so that the date stays under the name. Only a name with no
    such point is broken by characters (Chinese line-breaking rules applied)."""
    if max_em is None:
        max_em = CHARS_PER_LINE - SIGNOFF_RIGHT_CHARS - 0.01
    if text_em(organ) <= max_em:
        return [organ]
    n = len(organ)
    points = [i for i in range(1, n) if organ[i] in _NAME_BREAK_BEFORE or organ[i - 1] in _NAME_BREAK_AFTER
              or any(organ[:i].endswith(b) for b in _ORGAN_BREAKS)]
    points = [i for i in points if organ[i] not in _NO_LINE_START and organ[i - 1] not in _NO_LINE_END
              and _bracket_depth(organ[:i]) == 0]
    last_min = min(date_em + DATE_SHIFT_CHARS, max_em)
    # Fewest lines, then the smallest sum of squared slack (even lines): a small DP over the
    # allowed break points.
    best: dict[int, tuple[tuple[int, float], list[int]]] = {0: ((0, 0.0), [])}
    for end in [*points, n]:
        options = []
        for start, (cost, cuts) in best.items():
            if start >= end:
                continue
            w = text_em(organ[start:end])
            if w > max_em or (end == n and w < last_min):
                continue
            options.append(((cost[0] + 1, cost[1] + (max_em - w) ** 2), [*cuts, end]))
        if options:
            best[end] = min(options)
    if n in best:
        cuts = best[n][1]
        return [organ[a:b] for a, b in zip([0, *cuts], cuts)]
    return _greedy_lines(organ, max_em)


def _bracket_depth(text: str) -> int:
    """How many brackets are open at the end of ``text`` (a name is not broken inside 「（…）」)."""
    return max(0, sum(text.count(o) for o in _NAME_BREAK_BEFORE) - sum(text.count(c) for c in _NAME_BREAK_AFTER))


def signoff_paragraphs(organ: str, date_text: str) -> list[Paragraph]:
    """GB/T 9704 7.3.5.2 (不加盖印章): the organ name 右空二字; the date on the next line, its
    first character two characters right of the name's (of the line above it, when the name
    takes two lines); a date longer than that 右空二字 and the name moves left to keep the
    two-character offset. Each printed line is its own paragraph, so no renderer wraps it."""
    w_date = text_em(date_text)
    lines = signoff_lines(organ, w_date) if organ else []
    w_last = text_em(lines[-1]) if lines else 0.0
    if not lines:
        name_right, date_right = SIGNOFF_RIGHT_CHARS, SIGNOFF_RIGHT_CHARS
    elif w_date <= w_last - DATE_SHIFT_CHARS:
        name_right, date_right = SIGNOFF_RIGHT_CHARS, w_last - w_date
    else:
        date_right = SIGNOFF_RIGHT_CHARS
        name_right = w_date + DATE_SHIFT_CHARS + SIGNOFF_RIGHT_CHARS - w_last
        # A long first line caps how far left the name may move.
        widest = max(text_em(x) for x in lines)
        name_right = min(name_right, max(SIGNOFF_RIGHT_CHARS, CHARS_PER_LINE - widest))
    out = [Paragraph(STYLE_SIGNOFF, [Run(line, ROLE_BODY)], align="right", indent_chars=0,
                     right_indent_chars=name_right, keep_with_next=True) for line in lines]
    if date_text and lines and date_right > SIGNOFF_RIGHT_CHARS:
        # Placed from the left, two characters right of the line above: where the date starts
        # then holds in any engine, however it spaces digits (LibreOffice widens 「2026年1月」).
        out.append(Paragraph(STYLE_DATE, [Run(date_text, ROLE_BODY)], align="left",
                             indent_chars=CHARS_PER_LINE - date_right - w_date))
    elif date_text:
        out.append(Paragraph(STYLE_DATE, [Run(date_text, ROLE_BODY)], align="right", indent_chars=0,
                             right_indent_chars=date_right))
    elif out:
        out[-1].keep_with_next = False
    return out


# ---------------------------------------------------------------------------------------------
# The plan


def _printable(report: Report) -> Report:
    """A shallow copy of ``report`` whose texts are safe to print."""
    import copy

    out = copy.copy(report)
    out.meta = copy.copy(report.meta)
    for name in ("organ", "signoff", "opening"):
        setattr(out.meta, name, _clean(getattr(report.meta, name) or ""))
    out.sections = {k: _clean(v or "") for k, v in report.sections.items()}
    return out


def _clean(text: str) -> str:
    # Text from the store is the clerk's, but a control character that slipped in (a paste, an
    # old file) must not make the Word file unreadable; it is invisible in print anyway.
    return strip_unwritable(text)[0]


def draft_header(report: Report, findings=None) -> str:
    """The mark every page of an export of ``report`` carries: "" for a final export (已定稿 and
    no 错误), else 「草稿（尚未定稿，…）」 saying why. ``findings`` are the checker's (run when None)."""
    if findings is None:
        from ..report.rules import check

        findings = check(report)
    errors = sum(1 for f in findings if getattr(f, "severity", None) == "error"
                 or (isinstance(f, dict) and f.get("severity") == "error"))
    reasons = []
    if report.status != "final":
        reasons.append(DT.DRAFT_NOT_FINAL)
    if errors:
        reasons.append(DT.DRAFT_HAS_ERRORS.format(count=errors))
    return DT.DRAFT_HEADER.format(reasons=DT.DRAFT_REASON_SEPARATOR.join(reasons)) if reasons else ""


def build_plan(report: Report, findings=None) -> DocumentPlan:
    """The plan of ``report``'s document; ``findings`` (the checker's, run when None) decide
    with the report's status whether it is a draft."""
    header = draft_header(report, findings)
    fmt: Format = report.format
    report = _printable(report)
    title = report.title
    blocks: list[Block] = [Title(title, title_lines(title, report.meta.organ)), Spacer(1)]
    opening = (report.meta.opening or "").strip()
    if opening:
        blocks.extend(_section_blocks(opening))
    for s in fmt.sections:
        blocks.append(Paragraph(STYLE_HEADING1, [Run(s.heading, ROLE_HEADING)], keep_with_next=True,
                                outline_level=0, where=s.heading))
        if s.text != "none":
            blocks.extend(_section_blocks(report.sections.get(s.id, "") or "", s.heading))
        if s.table:
            t = table_plan(report, fmt.tables[s.table])
            t.where = s.heading
            blocks.append(t)
    date_text = format_date(report.meta.issue_date)
    signoff = report.signoff
    if signoff or date_text:
        # The sign-off never stands alone on a page: the last paragraph goes with it.
        if isinstance(blocks[-1], Paragraph):
            blocks[-1].keep_with_next = True
        blocks.append(Spacer(1, keep_with_next=True))
        blocks.extend(signoff_paragraphs(signoff, date_text))
    return DocumentPlan(
        title=title, organ=report.meta.organ, signoff=signoff, year=report.meta.year,
        date_text=date_text, format_id=fmt.id, format_name=fmt.name, blocks=blocks,
        draft=bool(header), draft_header=header,
    )
