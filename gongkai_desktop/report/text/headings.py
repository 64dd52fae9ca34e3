"""Check 7: sub-headings and structure inside a section's text.

（一）（二）（四）: a gap or a repeat; 「1、」 beside 「1.」 in one section (提示); 「(一)」 with half-width
brackets, or 「1、主动公开」 where the format's 「（一）主动公开」 belongs (提示, with the fix); a section
heading typed into the text (the program prints it); an introduction that announces 「以下三个方面」
and lists another number of parts.
"""

from __future__ import annotations

import re

from . import numerals, texts as T
from .base import OPENING, finding, paragraphs, per_section

_CN = "一二三四五六七八九十"
H2 = re.compile(rf"^（([{_CN}]+)）")
H2_HALF = re.compile(rf"^\(([{_CN}]+)\)|^（([{_CN}]+)\)|^\(([{_CN}]+)）")
H3 = re.compile(r"^(\d{1,2})([.．、])(?!\d)")
TOP = re.compile(rf"^([{_CN}]+)[、.．]")
ANNOUNCE = re.compile(rf"(?:以下|如下|主要有|主要是|主要表现在|存在|从|包括|分为|做好)[^。；，]{{0,6}}?([{_CN}两]|\d)"
                      r"(?:个|项|点)?(?:方面|部分|问题|工作|措施)")
MARKER = re.compile(rf"([{_CN}])是")


def _n(cn: str) -> int:
    return int(cn) if cn.isdigit() else numerals.to_int(cn)


def _cn(n: int) -> str:
    return numerals.from_int(n)


def _check_headings_section(rule, report, fmt, section, text):
    headings = {s.heading: s for s in fmt.sections}
    if section == OPENING:
        return
    sec = fmt.section(section)
    scaffold = {H2.sub("", h).strip("。"): h for h in sec.scaffold_for(report.meta.organ_type)}
    paras = paragraphs(section, text)
    expected2 = 1
    prev2 = 0
    h3_seen: list[tuple[int, str, object]] = []
    expected3 = 1
    for para in paras:
        t = para.text
        top = TOP.match(t)
        if top and any(t.startswith(h) for h in headings):
            yield finding(rule, section, (para.start, para.start + len(next(h for h in headings if t.startswith(h)))),
                          text, T.HEADING_TYPED.format(quote=t[:20]), sub="top")
            continue
        half = H2_HALF.match(t)
        if half:
            cn = next(g for g in half.groups() if g)
            yield finding(rule, section, (para.start, para.start + half.end()), text,
                          T.HEADING_HALF_WIDTH.format(quote=half[0], right=f"（{cn}）"),
                          severity="info", sub="half", fix=f"（{cn}）")
        m = H2.match(t) or half
        if m:
            n = _n(next(g for g in m.groups() if g))
            span = (para.start, para.start + m.end())
            if n == prev2:
                yield finding(rule, section, span, text, T.HEADING_REPEAT.format(quote=m[0]), sub="repeat2",
                              fix=f"（{_cn(expected2)}）")
            elif n != expected2:
                yield finding(rule, section, span, text, T.HEADING_GAP.format(
                    quote=m[0], right=f"（{_cn(expected2)}）"), sub="gap2", fix=f"（{_cn(expected2)}）")
            prev2 = n
            expected2 = n + 1
            expected3 = 1
            continue
        m3 = H3.match(t)
        if m3:
            n = int(m3[1])
            rest = t[m3.end():].split("。")[0].strip()
            if rest in scaffold:
                # It holds the place of the 「（一）…」 it should be: the sequence goes on from there.
                prev2 = list(scaffold).index(rest) + 1
                expected2, expected3 = prev2 + 1, 1
                yield finding(rule, section, (para.start, para.start + m3.end() + len(rest)), text,
                              T.HEADING_ARABIC.format(quote=t[:m3.end() + len(rest)], right=scaffold[rest]),
                              severity="info", sub="arabic", fix=scaffold[rest])
                continue
            h3_seen.append((para.start, m3[2], m3))
            if n != expected3:
                span = (para.start, para.start + m3.end())
                yield finding(rule, section, span, text, T.HEADING_GAP.format(
                    quote=m3[0], right=f"{expected3}{m3[2]}"), sub="gap3", fix=f"{expected3}{m3[2]}")
            expected3 = n + 1
    yield from _mixed(rule, section, text, h3_seen)
    yield from _announced(rule, section, text, paras)


check_headings = per_section(_check_headings_section)


def _mixed(rule, section, text, seen):
    """「1、」 next to 「1.」: the minority style is marked, with the majority's as the fix."""
    styles = {}
    for start, mark, m in seen:
        styles.setdefault("、" if mark == "、" else ".", []).append((start, m))
    if len(styles) < 2:
        return
    major = max(styles, key=lambda k: len(styles[k]))
    for style, items in styles.items():
        if style == major:
            continue
        for start, m in items:
            yield finding(rule, section, (start, start + m.end()), text, T.HEADING_MIXED.format(
                quote=m[0], right=f"{m[1]}{major}"), severity="info", sub="mixed", fix=f"{m[1]}{major}")


def _announced(rule, section, text, paras):
    for k, para in enumerate(paras):
        for m in ANNOUNCE.finditer(para.text):
            announced = 2 if m[1] == "两" else _n(m[1])
            rest = para.text[m.end():]
            markers = {mk[1] for mk in MARKER.finditer(rest)}
            count = len(markers)
            if not count:
                for nxt in paras[k + 1:]:
                    if H2.match(nxt.text):
                        count += 1
                    elif TOP.match(nxt.text):
                        break
                if not count:
                    for nxt in paras[k + 1:]:
                        if H3.match(nxt.text):
                            count += 1
                        elif H2.match(nxt.text):
                            break
            if count and count != announced:
                span = (para.start + m.start(), para.start + m.end())
                yield finding(rule, section, span, text, T.HEADING_ANNOUNCED.format(
                    quote=m[0], announced=announced, count=count), sub="announced")
