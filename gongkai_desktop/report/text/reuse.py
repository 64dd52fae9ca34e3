"""Checks 3 and 4: a paragraph twice in one report, and text reused from last year's report.

Similarity is rapidfuzz's ``fuzz.ratio`` (the normalised Indel similarity, in C: a 10,000-character
report against last year's takes about a millisecond). Digits are masked before comparing, so a
paragraph carried over with only its year and figures changed still counts as reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from . import texts as T
from ..findings import Finding
from .base import Piece, finding, paragraphs, quote, texts

_DIGITS = re.compile(r"\d+")
_BLANKS = re.compile(r"\s+")


def _masked(text: str) -> str:
    return _DIGITS.sub("0", _BLANKS.sub("", text))


def _heading(report, section: str) -> str:
    if section == "meta":
        return T.OPENING_NAME
    return report.format.section(section).heading


# ---------------------------------------------------------------------------------------------
# Check 3


def check_repeats(rule, report, fmt):
    min_chars = int(rule.data.get("min_chars", 20))
    cutoff = float(rule.data.get("similarity", 90))
    seen: list[tuple[Piece, str]] = []
    sources = dict(texts(report))
    # A linked generated sentence may stand in 一 and in 三 alike: written, not copied.
    generated = {_BLANKS.sub("", t) for kinds in report.generated.values() for t in kinds.values()}
    for section, text in sources.items():
        for para in paragraphs(section, text):
            key = _BLANKS.sub("", para.text)
            if len(key) < min_chars or key in generated:
                continue
            if seen:
                best = process.extractOne(key, [k for _, k in seen], scorer=fuzz.ratio, score_cutoff=cutoff)
                if best is not None:
                    first = seen[best[2]][0]
                    same = best[1] >= 100
                    msg = T.REPEAT_SAME if same else T.REPEAT_NEAR
                    yield finding(rule, section, (para.start, para.end), text, msg.format(
                        quote=quote(para.text), where=_heading(report, first.section),
                        first=quote(first.text, 20), score=int(best[1])), sub="repeat")
                    continue
            seen.append((para, key))


# ---------------------------------------------------------------------------------------------
# Check 4


@dataclass(frozen=True)
class Reused:
    """A paragraph of this year's report found (≥ the similarity threshold) in last year's."""

    para: Piece
    prev: Piece
    score: float


_PREV_CACHE: dict[int, tuple[tuple, list[Piece], list[str]]] = {}


def _prev_paragraphs(prev, min_chars: int) -> tuple[list[Piece], list[str]]:
    """Last year's paragraphs, prepared once per text (the editor re-checks on every edit)."""
    sig = (min_chars, tuple(texts(prev)))
    cached = _PREV_CACHE.get(id(prev))
    if cached is not None and cached[0] == sig:
        return cached[1], cached[2]
    pieces, keys = [], []
    for section, text in sig[1]:
        for para in paragraphs(section, text):
            k = _masked(para.text)
            if len(k) >= min_chars:
                pieces.append(para)
                keys.append(k)
    if len(_PREV_CACHE) > 8:
        _PREV_CACHE.clear()
    _PREV_CACHE[id(prev)] = (sig, pieces, keys)
    return pieces, keys


def reused_paragraphs(report, *, min_chars: int = 20, similarity: float = 90) -> dict[str, list[Reused]]:
    """Section id -> this year's paragraphs reused from last year's report (for the check and the
    side-by-side view). Empty without last year's report."""
    prev = report.previous
    out: dict[str, list[Reused]] = {}
    if prev is None:
        return out
    pieces, keys = _prev_paragraphs(prev, min_chars)
    exact = {}
    for i, k in enumerate(keys):
        exact.setdefault(k, i)
    for section, text in texts(report):
        found = []
        for para in paragraphs(section, text):
            k = _masked(para.text)
            if len(k) < min_chars:
                continue
            i = exact.get(k)
            if i is not None:
                found.append(Reused(para, pieces[i], 100.0))
                continue
            best = process.extractOne(k, keys, scorer=fuzz.ratio, score_cutoff=similarity)
            if best is not None:
                found.append(Reused(para, pieces[best[2]], best[1]))
        out[section] = found
    return out


def reuse_shares(report, reused: dict[str, list[Reused]], min_chars: int = 20) -> tuple[dict[str, float], float]:
    """(share of reused characters per section, share for the whole report). Short lines
    (headings like 「（一）主动公开」) count neither way: every report has them."""
    per: dict[str, float] = {}
    all_total = all_reused = 0
    for section, text in texts(report):
        total = sum(len(_masked(p.text)) for p in paragraphs(section, text) if len(_masked(p.text)) >= min_chars)
        used = sum(len(_masked(r.para.text)) for r in reused.get(section, []))
        if total:
            per[section] = used / total
        all_total += total
        all_reused += used
    return per, (all_reused / all_total if all_total else 0.0)


def check_reuse(rule, report, fmt):
    prev = report.previous
    if prev is None:
        return
    min_chars = int(rule.data.get("min_chars", 20))
    limit = float(rule.data.get("share", 0.5))
    reused = reused_paragraphs(report, min_chars=min_chars, similarity=float(rule.data.get("similarity", 90)))
    per, overall = reuse_shares(report, reused, min_chars)
    sources = dict(texts(report))
    prev_sources = dict(texts(prev))
    for section, share in per.items():
        items = reused.get(section, [])
        if share < limit or not items:
            continue
        # A section identical to last year's is rule same_as_last_year's finding already.
        if section != "meta" and _BLANKS.sub("", sources[section]) == _BLANKS.sub("", prev_sources.get(section, "")):
            continue
        text = sources[section]
        spans = tuple((r.para.start, r.para.end) for r in items)
        yield finding(rule, section, spans[0], text, T.REUSE_SECTION.format(
            heading=_heading(report, section), year=prev.meta.year, share=round(share * 100),
            count=len(items), limit=round(limit * 100)), sub="section", spans=spans)
    if overall >= limit:
        yield Finding(rule.id, rule.severity, T.REUSE_REPORT.format(
            year=prev.meta.year, share=round(overall * 100), limit=round(limit * 100)), f"{rule.id}:report")
