"""The 审核意见: each organ's findings, with the cells and the quoted words, to send back for
correction (退回修改), and the organs not yet reported. Built as a document plan, so it is set in
the same GB/T 9704 layout as the reports by the same renderers."""

from __future__ import annotations

import datetime as _dt

from ..documents import plan as P
from ..report.model import format_date
from ..texts import SEVERITY
from . import texts as T
from .collection import Dashboard
from .dashboard import Row, finding_lines

_CN_NUMERALS = "一二三四五六七八九十"


def _cn(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五 (headings of a letter rarely pass 99)."""
    if n <= 10:
        return _CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_NUMERALS[tens - 1]
    return head + "十" + (_CN_NUMERALS[ones - 1] if ones else "")


def _body(text: str) -> P.Paragraph:
    return P.Paragraph(P.STYLE_BODY, [P.Run(text, P.ROLE_BODY)])


def _heading(text: str) -> P.Paragraph:
    return P.Paragraph(P.STYLE_HEADING1, [P.Run(text, P.ROLE_HEADING)], keep_with_next=True, outline_level=0)


def _finding_lines(row: Row) -> list[str]:
    # What is sent back: 错误 and unexplained 警告 (a 提示 is the organ's own business), with the
    # collection's near copies — the same lines as the workbook's 问题清单.
    shown = {SEVERITY["error"], SEVERITY["warning"]}
    explained = {f.message for f in row.findings if f.explanation}
    items = [(sev, msg) for sev, _rule, msg, _section, _cells in finding_lines(row)
             if sev in shown and msg not in explained]
    lines = [T.LETTER_FINDING.format(n=n, severity=sev, message=msg) for n, (sev, msg) in enumerate(items, start=1)]
    return lines or [T.LETTER_NO_FINDINGS]


def letter_plan(board: Dashboard, *, organs: list[str] | None = None, signoff: str = "",
                today: _dt.date | None = None) -> P.DocumentPlan:
    """The 审核意见 for ``organs`` (all organs with findings when None), with the missing list
    when it is for everybody."""
    rows = [r for r in board.rows if r.status != T.STATUS_MISSING and (organs is None or r.organ in organs)]
    if organs is None:
        rows = [r for r in rows if r.errors or r.warnings]
    one = organs is not None and len(rows) == 1
    title = (T.LETTER_TITLE_ONE.format(organ=rows[0].organ, year=board.year) if one
             else T.LETTER_TITLE.format(year=board.year))
    blocks: list[P.Block] = [P.Title(title, P.title_lines(title, rows[0].organ if one else "")), P.Spacer(1)]
    blocks.append(_body((T.LETTER_OPENING_ONE if one else T.LETTER_OPENING).format(year=board.year)))
    for i, row in enumerate(rows, start=1):
        if not one:
            blocks.append(_heading(f"{_cn(i)}、{row.organ}"))
        blocks.extend(_body(line) for line in _finding_lines(row))
    if organs is None and board.missing:
        blocks.append(_heading(f"{_cn(len(rows) + 1)}、{T.LETTER_MISSING_HEADING}"))
        blocks.append(_body(T.LETTER_MISSING.format(organs="、".join(board.missing))))
    date_text = format_date(today or _dt.date.today())
    who = signoff or T.LETTER_SIGNOFF_DEFAULT
    blocks[-1].keep_with_next = True
    blocks.append(P.Spacer(1, keep_with_next=True))
    blocks.extend(P.signoff_paragraphs(who, date_text))
    return P.DocumentPlan(title=title, organ=who, signoff=who, year=board.year, date_text=date_text,
                          format_id="", format_name="", blocks=blocks, subject=title)
