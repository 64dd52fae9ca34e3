"""Near-copies between organs' reports (copied templates, 内容雷同) and reuse from last year.

Texts are compared as sets of overlapping 8-character shingles, with digits folded (two organs that
copied one template differ mostly in their numbers). Phrases that half of all reports share (the
条例's name, standard openings) are nobody's copy and are left out once the collection is large
enough to tell. Pairs are found through an inverted index on a fixed sample of shingles, then
measured exactly, so a thousand reports cost well under a second instead of half a million
comparisons.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping

SHINGLE = 8
SAMPLE_MOD = 4  # index every 4th shingle by hash value: the same shingles in every report
MIN_REPORTS_FOR_COMMON = 10  # below this, "shared by half" says nothing about boilerplate
COMMON_SHARE = 0.5
MAX_POSTING = 300  # a sampled shingle in more reports than this is boilerplate for pairing
SIMILAR_SHARE = 0.6  # share of a report's text found in another's to call them near copies
MIN_SHINGLES = 40  # a report with less text than this is too short to call a copy

_STRIP = re.compile(r"[\s\u3000]+")
_DIGITS = re.compile(r"[0-9０-９.,，．]+")


def _normal(text: str) -> str:
    return _DIGITS.sub("#", _STRIP.sub("", text))


def shingles(text: str) -> frozenset[int]:
    s = _normal(text)
    if len(s) < SHINGLE:
        return frozenset()
    return frozenset(hash(s[i:i + SHINGLE]) for i in range(len(s) - SHINGLE + 1))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of ``a``'s shingles that are also in ``b`` (0 when ``a`` is empty)."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def reused_share(this_year: str, last_year: str) -> float:
    """Share of this year's text that stands in last year's (digits folded)."""
    return containment(shingles(this_year), shingles(last_year))


@dataclass(frozen=True)
class Similar:
    other: str
    share: float  # share of this report's text found in the other's


def near_copies(texts: Mapping[str, str]) -> dict[str, list[Similar]]:
    """For each key (an organ), the other keys whose text contains ≥ SIMILAR_SHARE of its own,
    best first. Symmetric in discovery, asymmetric in share."""
    full = {k: shingles(v) for k, v in texts.items()}
    # The index and the boilerplate filter work on the sample only; the exact share is measured on
    # the full sets, and only for the candidate pairs.
    sample = {k: {h for h in s if h % SAMPLE_MOD == 0} for k, s in full.items() if len(s) >= MIN_SHINGLES}
    n = len(full)
    common: set[int] = set()
    if n >= MIN_REPORTS_FOR_COMMON:
        df = Counter(h for s in sample.values() for h in s)
        common = {h for h, c in df.items() if c >= COMMON_SHARE * n}
    postings: dict[int, list[str]] = defaultdict(list)
    for k, s in sample.items():
        for h in (s - common) if common else s:
            postings[h].append(k)
    overlap: Counter[tuple[str, str]] = Counter()
    for keys in postings.values():
        if 1 < len(keys) <= MAX_POSTING:
            for i, a in enumerate(keys):
                for b in keys[i + 1:]:
                    overlap[(a, b)] += 1
    out: dict[str, list[Similar]] = defaultdict(list)
    for (a, b), hits in overlap.items():
        # A cheap bound first: the sampled overlap must be a fair share of the smaller sample.
        if hits < 0.5 * SIMILAR_SHARE * min(len(sample[a]), len(sample[b])):
            continue
        sa, sb = full[a], full[b]
        if common:
            # Boilerplate is nobody's copy: leave the common phrases out of the share too.
            shared_common = {h for h in sa & sb if h % SAMPLE_MOD == 0 and h in common}
            sa, sb = sa - shared_common, sb - shared_common
        ab, ba = containment(sa, sb), containment(sb, sa)
        if ab >= SIMILAR_SHARE:
            out[a].append(Similar(b, ab))
        if ba >= SIMILAR_SHARE:
            out[b].append(Similar(a, ba))
    for k in out:
        out[k].sort(key=lambda s: -s.share)
    return dict(out)


def report_text(sections: Iterable[str]) -> str:
    return "\n".join(sections)
