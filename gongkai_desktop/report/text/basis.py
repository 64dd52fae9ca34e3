"""Check 6: the basis the report cites.

The format notice of the other era (a 2021+ report citing 国办公开办函〔2019〕60号 or the 格式（试行）,
or the reverse) — both read from the formats in forms/, never restated here; misspelled issuers
(「国办政务公开办函」) and 文号 that no such notice has; titles with words missing (「…信息公开年度报告格式」);
the old format's wording in a new-format year (「本年增/减」).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from ...errors import FormatError
from . import texts as T
from .base import finding, paragraphs, per_section, quote, sentences

WENHAO = re.compile(r"(国[\u4e00-\u9fff]{1,8}?(?:函|发))\s*([〔\[［【(（])\s*(\d{4})\s*([〕\]］】)）])\s*(\d+)\s*号")
TITLE = re.compile(r"《([^《》\n]{2,90})》")
_BRACKETS = "〔〕"


def _inner(title: str) -> str:
    return title.strip().removeprefix("《").removesuffix("》")


@dataclass
class Prepared:
    notices: set[str]
    misspellings: dict[str, str]
    titles: list[str]
    old_wording: list[str]


def prepare_basis(rule, fmt, where: str) -> Prepared:
    d = rule.data
    for wrong, right in d.get("misspellings", {}).items():
        if not isinstance(wrong, str) or not isinstance(right, str):
            raise FormatError(f"{where}: 规则 {rule.id} 的 misspellings 应为 错误写法→正确写法")
    return Prepared(set(d.get("notices", [])), dict(d.get("misspellings", {})),
                    [_inner(t) for t in d.get("titles", [])], list(d.get("old_wording", [])))


def _eras(fmt):
    """(this format's notice and title, the other formats' notices and titles)."""
    from ..formats import all_formats  # the list of formats is data: read it, never restate it

    others = [f for f in all_formats() if f.id != fmt.id]
    # Titles only of older formats: a 2020 report calling the 试行 format by its short name is
    # shorthand, while a 2021+ report citing 「…格式（试行）」 cites the wrong one.
    return ({fmt.notice}, {_inner(fmt.name)},
            {f.notice: f for f in others if f.notice},
            {_inner(f.name): f for f in others if f.name and f.year_from < fmt.year_from})


def _check_basis_section(rule, report, fmt, section, text):
    prep: Prepared = rule.prepared
    mine_notices, mine_titles, other_notices, other_titles = _eras(fmt)
    known = prep.notices | mine_notices | set(other_notices)
    titles = list(mine_titles) + prep.titles
    year = report.meta.year
    for m in WENHAO.finditer(text):
        issuer, open_b, y, close_b, num = m[1], m[2], m[3], m[4], m[5]
        fixed_issuer = prep.misspellings.get(issuer, issuer)
        canonical = f"{fixed_issuer}〔{y}〕{num}号"
        if fixed_issuer != issuer:
            yield finding(rule, section, m.span(), text, T.BASIS_ISSUER.format(
                quote=m[0], wrong=issuer, right=fixed_issuer), sub="issuer", fix=canonical)
        elif canonical in other_notices:
            other = other_notices[canonical]
            yield finding(rule, section, m.span(), text, T.BASIS_OTHER_ERA.format(
                quote=m[0], year=year, other=other.name, years=_years(other), mine=f"{fmt.name}（{fmt.notice}）"),
                sub="era")
        elif canonical not in known:
            same_issuer = [n for n in known if n.startswith(fixed_issuer + "〔")]
            near = [n for n in same_issuer if f"〔{y}〕" in n]
            if near:
                yield finding(rule, section, m.span(), text, T.BASIS_NUMBER.format(
                    quote=m[0], right="、".join(sorted(near))), sub="number", fix=near[0] if len(near) == 1 else None)
        elif (open_b + close_b) != _BRACKETS:
            yield finding(rule, section, m.span(), text, T.BASIS_BRACKETS.format(quote=m[0], right=canonical),
                          severity="info", sub="brackets", fix=canonical)
    for m in TITLE.finditer(text):
        t = m[1]
        if t in other_titles:
            other = other_titles[t]
            yield finding(rule, section, m.span(), text, T.BASIS_OTHER_ERA.format(
                quote=m[0], year=year, other=other.name, years=_years(other), mine=f"{fmt.name}（{fmt.notice}）"),
                sub="era")
            continue
        if t in titles or any(t in k for k in titles) or "〈" in t:
            continue
        best = max(titles, key=lambda k: fuzz.ratio(t, k), default=None)
        if best is not None and fuzz.ratio(t, best) >= 85:
            yield finding(rule, section, m.span(), text, T.BASIS_TITLE.format(quote=m[0], right=f"《{best}》"),
                          sub="title", fix=f"《{best}》")
    if prep.old_wording:
        for para in paragraphs(section, text):
            for sent in sentences(para):
                if not re.search(r"\d", sent.text):
                    continue
                for w in prep.old_wording:
                    i = sent.text.find(w)
                    if i >= 0:
                        span = (sent.start + i, sent.start + i + len(w))
                        yield finding(rule, section, span, text, T.BASIS_OLD_WORDING.format(
                            quote=w, sentence=quote(sent.text), year=year, name=fmt.name), sub="wording")


check_basis = per_section(_check_basis_section)


def _years(fmt) -> str:
    return T.YEARS_RANGE.format(a=fmt.year_from, b=fmt.year_to) if fmt.year_to else T.YEARS_FROM.format(a=fmt.year_from)
