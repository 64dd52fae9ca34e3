"""Matching organ names the way a supervising office reads them: tolerant, but never silently.

Two spellings of one organ (full-width letters, stray spaces, half-width brackets) share a key and
are the same organ. Names that are merely close (「区民政局」/「区民政局办公室」, 「办公室」 vs 「办」)
are only *suggested*: the office decides, because merging two organs' reports would be worse than
listing one as missing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Spellings that local lists and reports use interchangeably for the same word; only used to
# propose a match, never to merge.
_ABBREVIATIONS = (("办公室", "办"), ("人民政府", "政府"), ("委员会", "委"))
SUGGEST_SCORE = 88.0  # rapidfuzz ratio (0–100) from which a name is offered as "probably the same"


def organ_key(name: str) -> str:
    """The identity of an organ name: NFKC (full-width → half-width), no white space at all,
    brackets of either width alike. 「某某区 民政局（区社会工作部）」 == 「某某区民政局(区社会工作部)」."""
    s = unicodedata.normalize("NFKC", name or "")
    s = re.sub(r"\s+", "", s)
    return s.replace("(", "（").replace(")", "）")


def _loose(name: str) -> str:
    s = organ_key(name)
    for long, short in _ABBREVIATIONS:
        s = s.replace(long, short)
    return s


@dataclass(frozen=True)
class Suggestion:
    got: str
    expected: str
    score: float


def suggest(got: str, candidates: list[str]) -> Suggestion | None:
    """The candidate that ``got`` probably means, if one is close enough (never an exact key
    match: those are the same organ already)."""
    if not candidates:
        return None
    loose = {_loose(c): c for c in candidates}
    hit = loose.get(_loose(got))
    if hit is not None and organ_key(hit) != organ_key(got):
        return Suggestion(got, hit, 100.0)
    best = process.extractOne(_loose(got), list(loose), scorer=fuzz.ratio, score_cutoff=SUGGEST_SCORE)
    if best is None:
        return None
    return Suggestion(got, loose[best[0]], float(best[1]))
