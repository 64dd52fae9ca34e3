"""Check 8: unfinished text — placeholders left in, a blank where a number belongs, a section 五
that only says 「无」 or lists problems without measures, and a section 一 longer than the limit some
cities set (提示)."""

from __future__ import annotations

import re

from . import texts as T
from .base import finding, per_section, quote

BLANK_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])(?:[ \u3000_＿]+|（\s*）|\(\s*\))(?=件|条|篇|次|个|项|万元|元|人次|%)")


def _placeholders_section(rule, report, fmt, section, text):
    placeholders = re.compile("|".join(rule.data.get("placeholders", [r"XX", r"××"])))
    organ = report.meta.organ.strip()
    own = [(m.start(), m.end()) for m in re.finditer(re.escape(organ), text)] if organ else []
    for m in placeholders.finditer(text):
        if any(s <= m.start() < e for s, e in own):
            continue  # 「某某」 inside the organ's own name: the name is the meta page's business
        yield finding(rule, section, m.span(), text, T.PLACEHOLDER.format(quote=m[0]), sub="placeholder")
    for m in BLANK_NUMBER.finditer(text):
        span = (max(0, m.start() - 4), m.end() + 1)
        yield finding(rule, section, span, text, T.BLANK_NUMBER.format(quote=text[span[0]:span[1]]),
                      sub="blank")


_placeholders = per_section(_placeholders_section)


def check_unfinished(rule, report, fmt):
    d = rule.data
    yield from _placeholders(rule, report, fmt)
    problems = d.get("problems_section")
    if problems:
        text = report.sections.get(problems, "")
        core = text.strip().strip("。.")
        if core in ("无", "没有", "暂无"):
            yield finding(rule, problems, (0, len(text.rstrip())), text, T.PROBLEMS_NONE.format(
                heading=fmt.section(problems).heading), sub="none")
        elif core and not any(w in text for w in d.get("measure_words", [])):
            yield finding(rule, problems, (0, min(len(text), 40)), text, T.PROBLEMS_NO_MEASURES.format(
                heading=fmt.section(problems).heading, quote=quote(text, 20)), sub="measures")
    limit = d.get("length_limit")
    if limit:
        sid, n = limit["section"], int(limit["chars"])
        text = report.sections.get(sid, "")
        length = len(re.sub(r"\s", "", text))
        if length > n:
            # Underline what goes beyond the limit, not the whole section.
            seen, cut = 0, len(text)
            for i, ch in enumerate(text):
                if not ch.isspace():
                    seen += 1
                    if seen > n:
                        cut = i
                        break
            yield finding(rule, sid, (cut, len(text)), text, T.TOO_LONG.format(
                heading=fmt.section(sid).heading, length=length, limit=n), severity="info", sub="length")
