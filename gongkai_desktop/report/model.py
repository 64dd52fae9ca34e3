"""The report: what a clerk's annual report is, independent of where it is stored or shown.

A :class:`Report` holds the meta data, the section texts, the typed table values and the
clerk's explanations for warnings. Totals are never stored as typed values: they are computed
from their parts through the format's ``total`` rules. A total that arrived in an imported file
is kept in ``declared`` only so the checker can report a disagreement instead of silently
overwriting it.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from . import values as V
from ..errors import InvalidValue
from .fields import META_EDITABLE, META_FIELDS, MetaField  # noqa: F401 - the model's fields, declared once
from .formats import CellKey, Format, all_formats, format_for_year, get_format
from .. import texts as T

STATUSES = ("draft", "final")
MAX_TEXT = 200_000
MAX_EXPLANATION_KEY = 200  # a finding key (rule:binding); anything longer is not one




def default_organ_type(fmt: Format) -> str:
    """The organ type a new report starts with: ``default_organ_type`` in the format file."""
    wanted = fmt.raw.get("default_organ_type")
    ids = [i for i, _ in fmt.organ_types]
    return wanted if wanted in ids else ids[0]


# How an organ's name says its type: a 乡/镇/街道 is 乡镇（街道） even when its name ends in 人民政府.
_TOWNSHIP_ENDS = ("街道办事处", "街道", "乡人民政府", "镇人民政府", "乡", "镇")
_GOVERNMENT_ENDS = ("人民政府",)


def guess_organ_type(organ: str, fmt: Format | None = None) -> str:
    """The organ type an organ's name suggests (某镇人民政府 → township, 某市人民政府 → government);
    any other name gets the format's default organ type (the latest format when none is given).
    One rule for the new-report dialog and the reader of published reports."""
    fmt = fmt or all_formats()[-1]
    ids = {i for i, _ in fmt.organ_types}
    name = organ.strip()
    if name.endswith(_TOWNSHIP_ENDS) and "township" in ids:
        return "township"
    if name.endswith(_GOVERNMENT_ENDS) and "government" in ids:
        return "government"
    return default_organ_type(fmt)


@dataclass
class Meta:
    organ: str = ""
    organ_type: str = ""  # "" until a format gives its default (see default_organ_type)
    year: int = 0
    issue_date: _dt.date | None = None
    signoff: str = ""  # 落款 when it differs from the organ name; empty = the organ name
    opening: str = ""  # optional opening paragraph before 一、
    units: dict[str, str] = field(default_factory=dict)  # "table/row/col" -> chosen unit


@dataclass
class Report:
    format_id: str
    meta: Meta
    sections: dict[str, str] = field(default_factory=dict)
    values: dict[CellKey, V.Value | None] = field(default_factory=dict)
    declared: dict[CellKey, V.Value | None] = field(default_factory=dict)
    explanations: dict[str, str] = field(default_factory=dict)
    status: str = "draft"
    finalized_at: str | None = None
    id: int | None = None
    # Stable identity across machines: created with the report, kept through dump/import, so a
    # re-sent report can be matched to the earlier copy (the supervising office's collection).
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)
    # section id -> {sentence kind -> the generated sentence's text as last inserted}; a sentence
    # stays linked while that exact text is still in the section text.
    generated: dict[str, dict[str, str]] = field(default_factory=dict)
    jiedu: str = ""  # the clerk's edited 解读 text; "" = not written yet
    updated_at: str | None = None
    example: bool = False
    previous: "Report | None" = field(default=None, repr=False, compare=False)

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def new(cls, organ: str, year: int, organ_type: str | None = None, today: _dt.date | None = None) -> "Report":
        fmt = format_for_year(year, today)
        report = cls(format_id=fmt.id, meta=Meta(organ=organ.strip(), organ_type=organ_type or default_organ_type(fmt),
                                                 year=year))
        report.fill_blank()
        return report

    def fill_blank(self) -> None:
        """Make sure every typed cell of the format has an entry (``None`` = blank)."""
        fmt = self.format
        for key in fmt.cells():
            if key not in fmt.derived:
                self.values.setdefault(key, None)
        for s in fmt.sections:
            if s.text != "none":
                self.sections.setdefault(s.id, "")

    @property
    def format(self) -> Format:
        return get_format(self.format_id)

    @property
    def title(self) -> str:
        return self.format.title_for(self.meta.organ, self.meta.year)

    @property
    def signoff(self) -> str:
        return self.meta.signoff.strip() or self.meta.organ

    # -- values -----------------------------------------------------------------------------------
    def value(self, key: CellKey) -> V.Value | None:
        """The value of any cell: typed, or computed for a total (``None`` parts count as 0)."""
        inst = self.format._derived.get(key)
        if inst is None:
            return self.values.get(key)
        total: V.Value = 0
        for term in inst.right:
            v = self.value(term.key)
            if v is not None:
                total = total + term.sign * v
        return total

    def is_derived(self, key: CellKey) -> bool:
        return key in self.format.derived

    def unit_for(self, key: CellKey) -> str | None:
        units = self.format.tables[key[0]].cell_units(key[1], key[2])
        if not units:
            return None
        chosen = self.meta.units.get("/".join(key))
        return chosen if chosen in units else units[0]

    def parse(self, key: CellKey, text: str | int | Decimal | None) -> V.Value | None:
        """Parse ``text`` for ``key``; raises :class:`InvalidValue` with a message naming the cell."""
        fmt = self.format
        if not fmt.has_cell(key):
            raise InvalidValue(T.UNKNOWN_CELL.format(format_id=fmt.id, key="/".join(key)))
        return V.parse_value(text, fmt.cell_kind(key), fmt.cell_name(key))

    # -- completeness -----------------------------------------------------------------------------
    def section_progress(self) -> dict[str, float]:
        """Share of each section that is filled (for the navigator and the start page)."""
        fmt = self.format
        out = {}
        for s in fmt.sections:
            parts = []
            if s.text == "required":
                parts.append(1.0 if self.sections.get(s.id, "").strip() else 0.0)
            if s.table:
                keys = [k for k in fmt.tables[s.table].cells() if k not in fmt.derived]
                filled = sum(1 for k in keys if self.values.get(k) is not None)
                parts.append(filled / len(keys) if keys else 1.0)
            out[s.id] = sum(parts) / len(parts) if parts else 1.0
        return out

    def progress(self) -> float:
        p = self.section_progress()
        return sum(p.values()) / len(p) if p else 0.0


# ---------------------------------------------------------------------------------------------
# Section text structure

# Sub-heading levels used in 公文: 一、 (level 1, the section itself), （一） level 2, 1. level 3,
# （1） level 4. The text keeps them as lines; this turns lines into structure.
_H2 = re.compile(r"^（[一二三四五六七八九十]+）")
_H3 = re.compile(r"^\d{1,2}[.．、](?!\d)")
_H4 = re.compile(r"^[（(]\d{1,2}[）)]")


@dataclass(frozen=True)
class TextBlock:
    """One paragraph of a section: ``level`` 0 for body text, 2–4 for sub-headings.

    ``head`` is the heading part (「（一）主动公开。」); ``text`` is what follows on the same line
    (run-in body text, common in published reports)."""

    level: int
    head: str
    text: str


def parse_section_text(text: str) -> list[TextBlock]:
    blocks: list[TextBlock] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip().strip("\u3000")
        if not line:
            continue
        level = 0
        m = _H2.match(line) or _H4.match(line) or _H3.match(line)
        if m:
            level = 2 if m.re is _H2 else 4 if m.re is _H4 else 3
            split = _split_run_in(line, m.end())
            if split is not None:
                blocks.append(TextBlock(level, *split))
                continue
        blocks.append(TextBlock(0, "", line))
    return blocks


# A heading is the short phrase a numbered line starts with (「（一）主动公开。」「1.网站建设：」),
# never a whole sentence: a numbered paragraph (「（一）本机关坚持以公开为常态、不公开为例外，……」) is
# body text. Taking such paragraphs for headings kept them all together, taller than a page.
_HEAD_END = "。：:？！"
_NOT_IN_HEAD = "，,；;"
MAX_HEAD_CHARS = 24  # characters after the number


def _split_run_in(line: str, start: int) -> tuple[str, str] | None:
    """「（一）主动公开。本年度…」 → (「（一）主动公开。」, 「本年度…」); 「（一）存在的问题」 → (the line, "");
    None when the line is a numbered paragraph, not a heading (a comma before the phrase ends,
    or no end within MAX_HEAD_CHARS)."""
    for i in range(start, len(line)):
        ch = line[i]
        if ch in _HEAD_END:
            return line[: i + 1], line[i + 1:]
        if ch in _NOT_IN_HEAD or i - start >= MAX_HEAD_CHARS:
            return None
    return line, ""


# Characters that cannot appear in a .docx (XML 1.0): C0 controls except tab/newline/CR, DEL,
# lone surrogates, and the non-characters U+FFFE/U+FFFF.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def strip_unwritable(text: str) -> tuple[str, int]:
    """(text without the characters a Word file cannot hold, how many were removed)."""
    return _UNWRITABLE.subn("", text)


def parse_date(text: str | _dt.date | None) -> _dt.date | None:
    """Accepts 2026-01-20, 2026/1/20, 2026.1.20 and 2026年1月20日 (full-width digits too)."""
    if text is None or isinstance(text, _dt.date):
        return text
    s = V.normalize(str(text))
    if not s:
        return None
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", s)
    if not m:
        raise InvalidValue(T.DATE_INVALID.format(text=text))
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InvalidValue(T.DATE_INVALID.format(text=text)) from None


def format_date(d: _dt.date | None) -> str:
    """公文 style: Arabic numerals, no zero padding — 2026年1月20日."""
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"
