"""What every text check reads: the texts of a report with their section ids, split into
paragraphs and sentences that keep their offsets into the stored text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from ..findings import Finding, Span
from ..formats import CellKey, get_format
from ..model import Report
from . import texts as T

OPENING = "meta"  # findings about Meta.opening: the 基本信息 page is where it is edited

# Full-width digits and signs turned into ASCII one character for one, so offsets stay valid.
_WIDE = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_HAS_WIDE = re.compile("[０-９．％]")


@lru_cache(maxsize=512)
def normalize(text: str) -> str:
    return text.translate(_WIDE) if _HAS_WIDE.search(text) else text


@dataclass(frozen=True)
class Piece:
    """A paragraph or sentence: ``text`` is ``source[start:end]`` of section ``section``."""

    section: str
    start: int
    end: int
    text: str


def texts(report: Report) -> list[tuple[str, str]]:
    """(section id, stored text) for the opening paragraph and every section with text, in
    reading order; the text normalised (full-width digits) with offsets unchanged."""
    out = []
    if report.meta.opening.strip():
        out.append((OPENING, normalize(report.meta.opening)))
    for s in report.format.sections:
        t = report.sections.get(s.id, "")
        if t.strip():
            out.append((s.id, normalize(t)))
    return out


@lru_cache(maxsize=512)
def _paragraphs(section: str, text: str) -> tuple[Piece, ...]:
    out = []
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while start < end and text[start] in " \t\r\u3000":
            start += 1
        while end > start and text[end - 1] in " \t\r\u3000":
            end -= 1
        if start < end:
            out.append(Piece(section, start, end, text[start:end]))
    return tuple(out)


def paragraphs(section: str, text: str) -> list[Piece]:
    """Lines with their leading/trailing blanks (and full-width spaces) trimmed off the span.
    (Cached per text: the editor re-checks after every edit, and only one section changed.)"""
    return list(_paragraphs(section, text))


def sentences(para: Piece, *, semicolons: bool = True) -> Iterator[Piece]:
    """Sentences of a paragraph (ending at 。！？, and at ； when ``semicolons``)."""
    return iter(_sentences(para, semicolons))


@lru_cache(maxsize=4096)
def _sentences(para: Piece, semicolons: bool) -> tuple[Piece, ...]:
    return tuple(_split_sentences(para, semicolons))


_SENTENCE = {True: re.compile(r"[^。！？!?；;]*[。！？!?；;]|[^。！？!?；;]+"),
             False: re.compile(r"[^。！？!?]*[。！？!?]|[^。！？!?]+")}


def _split_sentences(para: Piece, semicolons: bool) -> Iterator[Piece]:
    for m in _SENTENCE[semicolons].finditer(para.text):
        yield Piece(para.section, para.start + m.start(), para.start + m.end(), m[0])


# ---------------------------------------------------------------------------------------------
# Blank is not zero: a figure is known only when every cell it sums is filled in


@lru_cache(maxsize=4096)
def inputs(format_id: str, key: CellKey) -> tuple[CellKey, ...]:
    """The typed cells ``key`` draws on: itself, or for a total every cell it sums (totals of
    totals followed down). A total of blank cells computes as 0 (``Report.value``), so whether a
    figure is known has to be asked of these."""
    inst = get_format(format_id).derived.get(key)
    if inst is None:
        return (key,)
    out: list[CellKey] = []
    for term in inst.right:
        out += [k for k in inputs(format_id, term.key) if k not in out]
    return tuple(out)


def filled(report: Report, keys) -> bool:
    """True when every cell the ``keys`` draw on holds a value (a typed 0 is a value; blank is
    not: the sentences and check 1 state or compare nothing the clerk has not entered)."""
    values = report.values
    return all(values.get(k) is not None for key in keys for k in inputs(report.format_id, key))


def heading(report: Report, section: str) -> str:
    """What a finding's place is called: the section's heading, or 「开头段落」 for the opening."""
    if section == OPENING:
        return T.OPENING_NAME
    return report.format.section(section).heading


def quote(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def finding(rule, section: str, span: Span, source: str, message: str, *, severity: str | None = None,
            sub: str = "", spans: tuple[Span, ...] = (), fix: str | None = None) -> Finding:
    """A text finding; its key (for the clerk's explanation) names the rule, section, sub-check and
    the quoted words, so it survives edits elsewhere in the text."""
    words = source[span[0]:span[1]]
    key = ":".join(p for p in (rule.id, section, sub, words[:60]) if p)
    return Finding(rule.id, severity or rule.severity, message, key, (), section, span=span,
                   quote=words, spans=spans, fix=fix)


# What a per-section text check reads besides the text: its findings are reused while none of
# these changed (typing in one section re-runs the checks of that section only).
def _context(rule, report, fmt) -> tuple:
    m = report.meta
    return (rule.id, fmt.id, m.year, m.issue_date, m.organ, m.organ_type)


_MEMO: dict[tuple, tuple[Finding, ...]] = {}


def clone(f: Finding) -> Finding:
    """A copy of a memoised finding for the engine to annotate (faster than copy.copy)."""
    c = object.__new__(Finding)
    c.__dict__.update(f.__dict__)
    return c


def memoised(memo: dict, limit: int, context: tuple, report: Report,
             produce: Callable[[str, str], Iterable[Finding]]) -> Iterator[Finding]:
    """``produce(section, text)`` for every text of the report, its findings kept in ``memo`` under
    (context, section, text) while ``context`` holds what else they read (copied out: the engine
    annotates them). The memo is emptied when it grows past ``limit``."""
    for section, text in texts(report):
        key = (context, section, text)
        found = memo.get(key)
        if found is None:
            if len(memo) > limit:
                memo.clear()
            found = memo[key] = tuple(produce(section, text))
        for f in found:
            yield clone(f)


def per_section(fn: Callable) -> Callable:
    """Turn ``fn(rule, report, fmt, section, text) -> findings`` into a rule kind over every text
    of the report, memoised per section text."""

    def kind(rule, report, fmt):
        yield from memoised(_MEMO, 2048, _context(rule, report, fmt), report,
                            lambda section, text: fn(rule, report, fmt, section, text))

    kind.__name__ = fn.__name__
    kind.__doc__ = fn.__doc__
    return kind
