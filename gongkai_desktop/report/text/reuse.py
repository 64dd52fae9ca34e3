"""Checks 3 and 4: a paragraph twice in one report, and text reused from last year's report.

Similarity is rapidfuzz's ``fuzz.ratio`` (the normalised Indel similarity, in C: a 10,000-character
report against last year's takes about a millisecond). Digits are masked before comparing, so a
paragraph carried over with only its year and figures changed still counts as reused.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from . import texts as T
from ..findings import Finding
from .base import OPENING, Piece, finding, heading, paragraphs, quote, texts

_DIGITS = re.compile(r"\d+")
_BLANKS = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _masked(text: str) -> str:
    return _DIGITS.sub("0", _BLANKS.sub("", text))


@lru_cache(maxsize=4096)
def _squeezed(text: str) -> str:
    return _BLANKS.sub("", text)


# ---------------------------------------------------------------------------------------------
# Check 3


class _Similar:
    """Which paragraph texts are near copies of which (≥ the cutoff), for every text seen so far.

    Typing changes one paragraph at a time: a new text is compared with all known ones in one
    rapidfuzz call and the edges are kept both ways, so a check costs set lookups, not n² ratios."""

    def __init__(self, cutoff: float):
        self.cutoff = cutoff
        self.known: list[str] = []
        self.edges: dict[str, dict[str, float]] = {}
        self.lock = threading.Lock()  # the window also checks in a worker thread (export, preview)

    def of(self, key: str) -> dict[str, float]:
        with self.lock:
            return self._of(key)

    def _of(self, key: str) -> dict[str, float]:
        found = self.edges.get(key)
        if found is None:
            if len(self.known) > 4000:
                self.known, self.edges = [], {}
            found = {}
            for other, score, _ in process.extract(key, self.known, scorer=fuzz.ratio,
                                                   score_cutoff=self.cutoff, limit=None):
                found[other] = score
                self.edges[other][key] = score
            self.edges[key] = found
            self.known.append(key)
        return found


# One memory per report (the editor re-checks the same report on every edit): a memory shared by
# all reports grew with every report checked — a supervising office checking a thousand organs
# compared each paragraph with thousands of other organs' paragraphs, none of which can be a
# repeat *within* the report.
_SIMILAR: OrderedDict[tuple[str, float], _Similar] = OrderedDict()
_SIMILAR_REPORTS = 8


def _similar_for(report, cutoff: float) -> _Similar:
    key = (report.uid, cutoff)
    found = _SIMILAR.get(key)
    if found is None:
        found = _SIMILAR[key] = _Similar(cutoff)
        while len(_SIMILAR) > _SIMILAR_REPORTS:
            _SIMILAR.popitem(last=False)
    else:
        _SIMILAR.move_to_end(key)
    return found


def check_repeats(rule, report, fmt):
    min_chars = int(rule.data.get("min_chars", 20))
    cutoff = float(rule.data.get("similarity", 90))
    similar = _similar_for(report, cutoff)
    # A linked generated sentence may stand in 一 and in 三 alike: written, not copied.
    generated = {_squeezed(t) for kinds in report.generated.values() for t in kinds.values()}
    seen: dict[str, Piece] = {}
    order: dict[str, int] = {}
    for section, text in texts(report):
        for para in paragraphs(section, text):
            key = _squeezed(para.text)
            if len(key) < min_chars or key in generated:
                continue
            first = seen.get(key)
            score = 100.0
            if first is None:
                near = [(order[k], s, seen[k]) for k, s in similar.of(key).items() if k in seen]
                if near:
                    _, score, first = min(near, key=lambda x: x[0])  # the earliest in reading order
            if first is None:
                order[key] = len(seen)
                seen[key] = para
                continue
            msg = T.REPEAT_SAME if score >= 100 else T.REPEAT_NEAR
            yield finding(rule, section, (para.start, para.end), text, msg.format(
                quote=quote(para.text), where=heading(report, first.section),
                first=quote(first.text, 20), score=int(score)), sub="repeat")


# ---------------------------------------------------------------------------------------------
# Check 4


@dataclass(frozen=True)
class Reused:
    """A paragraph of this year's report found (≥ the similarity threshold) in last year's."""

    para: Piece
    prev: Piece
    score: float


@dataclass
class _Prev:
    """Last year's paragraphs, prepared once per text (the editor re-checks on every edit), and
    this year's sections already compared with them."""

    sig: tuple
    pieces: list[Piece]
    keys: list[str]
    exact: dict[str, int]
    sections: dict[tuple, list[Reused]]


_PREV_CACHE: dict[int, _Prev] = {}


def _prev_paragraphs(prev, min_chars: int) -> _Prev:
    sig = (min_chars, tuple(texts(prev)))
    cached = _PREV_CACHE.get(id(prev))
    if cached is not None and cached.sig == sig:
        return cached
    pieces, keys = [], []
    for section, text in sig[1]:
        for para in paragraphs(section, text):
            k = _masked(para.text)
            if len(k) >= min_chars:
                pieces.append(para)
                keys.append(k)
    exact: dict[str, int] = {}
    for i, k in enumerate(keys):
        exact.setdefault(k, i)
    if len(_PREV_CACHE) > 8:
        _PREV_CACHE.clear()
    entry = _PREV_CACHE[id(prev)] = _Prev(sig, pieces, keys, exact, {})
    return entry


def _reused_in(prev: _Prev, section: str, text: str, min_chars: int, similarity: float) -> list[Reused]:
    key = (section, text, similarity)
    found = prev.sections.get(key)
    if found is not None:
        return found
    found = []
    for para in paragraphs(section, text):
        k = _masked(para.text)
        if len(k) < min_chars:
            continue
        i = prev.exact.get(k)
        if i is not None:
            found.append(Reused(para, prev.pieces[i], 100.0))
            continue
        best = process.extractOne(k, prev.keys, scorer=fuzz.ratio, score_cutoff=similarity)
        if best is not None:
            found.append(Reused(para, prev.pieces[best[2]], best[1]))
    if len(prev.sections) > 256:
        prev.sections.clear()
    prev.sections[key] = found
    return found


def reused_paragraphs(report, *, min_chars: int = 20, similarity: float = 90) -> dict[str, list[Reused]]:
    """Section id -> this year's paragraphs reused from last year's report (for the check and the
    side-by-side view). Empty without last year's report."""
    prev = report.previous
    if prev is None:
        return {}
    entry = _prev_paragraphs(prev, min_chars)
    return {section: _reused_in(entry, section, text, min_chars, similarity) for section, text in texts(report)}


@lru_cache(maxsize=512)
def _section_chars(section: str, text: str, min_chars: int) -> int:
    lengths = (len(_masked(p.text)) for p in paragraphs(section, text))
    return sum(n for n in lengths if n >= min_chars)


def reuse_shares(report, reused: dict[str, list[Reused]], min_chars: int = 20) -> tuple[dict[str, float], float]:
    """(share of reused characters per section, share for the whole report). Short lines
    (headings like 「（一）主动公开」) count neither way: every report has them."""
    per: dict[str, float] = {}
    all_total = all_reused = 0
    for section, text in texts(report):
        total = _section_chars(section, text, min_chars)
        used = sum(len(_masked(r.para.text)) for r in reused.get(section, []))
        if total:
            per[section] = used / total
        all_total += total
        all_reused += used
    return per, (all_reused / all_total if all_total else 0.0)


def same_as_last_year(report, section: str) -> bool:
    """``section``'s text is last year's, blanks aside (rule kind same_as_last_year; declared
    here so that this check can leave those sections to it)."""
    prev = report.previous
    if prev is None:
        return False
    mine = _squeezed(report.sections.get(section, ""))
    return bool(mine) and mine == _squeezed(prev.sections.get(section, ""))


def check_reuse(rule, report, fmt):
    """One finding per text that reuses last year's, and one for the whole report only when it
    points at reuse no section finding names: a carried report unchanged gets a finding per
    section, not the same fact again for the whole."""
    prev = report.previous
    if prev is None:
        return
    min_chars = int(rule.data.get("min_chars", 20))
    limit = float(rule.data.get("share", 0.5))
    reused = reused_paragraphs(report, min_chars=min_chars, similarity=float(rule.data.get("similarity", 90)))
    per, overall = reuse_shares(report, reused, min_chars)
    sources = dict(texts(report))
    # A section identical to last year's is rule same_as_last_year's finding (the stronger
    # words: 完全相同, and accountability), where the format has that rule.
    exact_rule = any(r.kind == "same_as_last_year" for r in fmt.rules)
    named: set[str] = set()
    for section, share in per.items():
        items = reused.get(section, [])
        if not items:
            continue
        if exact_rule and section != OPENING and same_as_last_year(report, section):
            named.add(section)
            continue
        if share < limit:
            continue
        named.add(section)
        text = sources[section]
        spans = tuple((r.para.start, r.para.end) for r in items)
        yield finding(rule, section, spans[0], text, T.REUSE_SECTION.format(
            heading=heading(report, section), year=prev.meta.year, share=round(share * 100),
            count=len(items), limit=round(limit * 100)), sub="section", spans=spans)
    if overall >= limit and any(reused.get(s) for s in per if s not in named):
        yield Finding(rule.id, rule.severity, T.REUSE_REPORT.format(
            year=prev.meta.year, share=round(overall * 100), limit=round(limit * 100)), f"{rule.id}:report")
