"""Check 5: years and dates that do not fit the report year.

Caught: a statistics period that is not 1 January–31 December of the report year; an earlier year
opening the report or a section (「2023年，本局…」 in a 2024 report: carried over or copied); a
doubled year, a missing month, an impossible day (2月30日); a 「截至」 date after the 成文日期.
Years elsewhere (last year's comparison, next year's plans, a document's date) are left alone.
"""

from __future__ import annotations

import datetime as _dt
import re

from . import texts as T
from .base import OPENING, finding, paragraphs, per_section, quote

_SEP = r"[^。；\d]{0,4}?"
PERIOD = re.compile(
    r"统计(?:期限|期间|时限|时段|时间|区间|周期|范围)[^。；\d]{0,8}?(\d{4})年(\d{1,2})月(\d{1,2})日"
    rf"{_SEP}(?:至|到|—|－|-|~|～){_SEP}(?:(\d{{4}})年)?(\d{{1,2}})月(\d{{1,2}})日")
OPENING_YEAR = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)][^。]{0,20}?。)?(\d{4})年(?:度)?(?:以来|[，,]|全年|，)")
REPORT_TITLE_YEAR = re.compile(r"(\d{4})年度?[^。，；]{0,12}?政府信息公开工作年度报告")
DOUBLED = re.compile(r"(?<!\d)(\d{4})年\s*(\d{4})年")
YEAR_TWICE = re.compile(r"(?<!\d)(\d{4})年年")
FIVE_DIGITS = re.compile(r"(?<!\d)(\d{5,})年")
NO_MONTH = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})日")
DATE = re.compile(r"(?:(?<!\d)(\d{4})年)?(?<!\d)(\d{1,2})月(\d{1,2})日")
NO_DAY_MARK = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})(?=[至到—－\-~～])")
BY_DATE = re.compile(r"截(?:至|止)(?:到)?(\d{4})年(?:(\d{1,2})月(\d{1,2})日|(底|末))")


def _valid(y: int, m: int, d: int) -> bool:
    try:
        _dt.date(y, m, d)
        return True
    except ValueError:
        return False


# Dates written wrong in themselves: (pattern, message, sub-kind, the fix from the match or None).
_MISWRITTEN = (
    (DOUBLED, T.DATE_DOUBLED, "doubled", None),
    (YEAR_TWICE, T.DATE_DOUBLED, "doubled", lambda m: f"{m[1]}年"),
    (FIVE_DIGITS, T.DATE_BAD_YEAR, "year", None),
    (NO_MONTH, T.DATE_NO_MONTH, "month", None),
    (NO_DAY_MARK, T.DATE_NO_DAY, "day", lambda m: f"{m[0]}日"),
)


def _check_dates_section(rule, report, fmt, section, text):
    year = report.meta.year
    issue = report.meta.issue_date
    opening_sections = set(rule.data.get("opening_sections", [OPENING, "overview"]))
    for m in PERIOD.finditer(text):
        y1, m1, d1 = int(m[1]), int(m[2]), int(m[3])
        y2 = int(m[4]) if m[4] else y1
        m2, d2 = int(m[5]), int(m[6])
        if (y1, m1, d1, y2, m2, d2) != (year, 1, 1, year, 12, 31):
            yield finding(rule, section, m.span(), text, T.PERIOD_WRONG.format(
                quote=quote(m[0]), year=year), sub="period",
                fix=None)
    paras = paragraphs(section, text)
    for i, para in enumerate(paras):
        if section not in opening_sections and i > 0:
            continue
        m = OPENING_YEAR.match(para.text)
        if m and int(m[1]) < year:
            span = (para.start + m.start(1), para.start + m.end(1) + 1)
            yield finding(rule, section, span, text, T.STALE_YEAR.format(
                quote=quote(para.text[:m.end()]), found=m[1], year=year), sub="stale", fix=f"{year}年")
    if section in opening_sections:
        # Where the report names itself: the opening, and the first paragraph of 一.
        own = text if section == OPENING else (paras[0].text if paras else "")
        for m in REPORT_TITLE_YEAR.finditer(own):
            if int(m[1]) != year and "上" not in m[0]:
                at = 0 if section == OPENING else paras[0].start
                yield finding(rule, section, (at + m.start(1), at + m.end(1)), text, T.STALE_TITLE_YEAR.format(
                    quote=quote(m[0]), found=m[1], year=year), sub="title", fix=str(year))
    for pattern, message, sub, fix in _MISWRITTEN:
        for m in pattern.finditer(text):
            yield finding(rule, section, m.span(), text, message.format(quote=m[0]), sub=sub,
                          fix=fix(m) if fix else None)
    for m in DATE.finditer(text):
        y = int(m[1]) if m[1] else 2000  # no year given: allow 2月29日
        if not _valid(y, int(m[2]), int(m[3])):
            yield finding(rule, section, m.span(), text, T.DATE_IMPOSSIBLE.format(quote=m[0]), sub="impossible")
    if issue is not None:
        for m in BY_DATE.finditer(text):
            y = int(m[1])
            if m[4]:
                d = _dt.date(y, 12, 31)
            elif _valid(y, int(m[2]), int(m[3])):
                d = _dt.date(y, int(m[2]), int(m[3]))
            else:
                continue
            if d > issue:
                yield finding(rule, section, m.span(), text, T.BY_DATE_LATE.format(
                    quote=m[0], issue=f"{issue.year}年{issue.month}月{issue.day}日"), sub="by")


check_dates = per_section(_check_dates_section)
