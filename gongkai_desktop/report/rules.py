"""The rule engine: evaluates a format's rules (data from forms/) against a report.

Nothing here uses ``eval``: every rule kind is a small function, and a rule's cell references
were already expanded and validated when the format was loaded (``forms.RuleInstance``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from . import values as V
from ..errors import InvalidValue
from .findings import Finding
from .formats import CellKey, Format, Rule, Term
from .model import Report
from . import text as _text
from .. import texts as T

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_NAMED_CELLS = 5


def check(report: Report) -> list[Finding]:
    """Every finding for ``report``, errors first, in form order within a severity."""
    fmt = report.format
    table_section = {s.table: s.id for s in fmt.sections if s.table}
    out: list[Finding] = []
    for rule in fmt.rules:
        fn = KINDS[rule.kind][0]
        for f in fn(rule, report, fmt):
            if f.section is None and f.cells:
                f.section = table_section.get(f.cells[0][0])
            f.explanation = report.explanations.get(f.key, "")
            f.kind = rule.kind
            out.append(f)
    out.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return out


def count_findings(report: Report) -> tuple[int, int]:
    findings = check(report)
    return (sum(1 for f in findings if f.severity == "error"),
            sum(1 for f in findings if f.severity == "warning"))


# ---------------------------------------------------------------------------------------------
# Rule kinds


def _fmt_num(v: V.Value | None) -> str:
    return "空" if v is None else V.format_value(v)


def _term_value(report: Report, term: Term) -> tuple[V.Value | None, bool]:
    """(value, available). A ``prev:`` term is unavailable without last year's report, or when
    last year's format lacks that cell (2020 → 2021)."""
    if term.prev:
        prev = report.previous
        if prev is None or not prev.format.has_cell(term.key):
            return None, False
        return prev.value(term.key), True
    return report.value(term.key), True


def _term_labels(report: Report, fmt: Format, terms: list[Term], values: list) -> tuple[str, list[str]]:
    """A heading naming what all terms share (表三「自然人」列) and a short label per term, so a
    message reads 「表三「自然人」列：一、…（30）＋二、…（1）」 rather than repeating the column."""
    table = fmt.tables[terms[0].key[0]]
    rows = {t.key[1] for t in terms}
    cols = {t.key[2] for t in terms}
    same_table = len({t.key[0] for t in terms}) == 1
    labels = []
    if same_table and len(cols) == 1 and len(rows) > 1:
        col = table.column_for(terms[0].key[1], terms[0].key[2])
        head = f"表{table.number}「{col.label}」列"
        names = [table.row(t.key[1]).label for t in terms]
    elif same_table and len(rows) == 1 and table.row(terms[0].key[1]).label:
        head = f"表{table.number}「{table.row(terms[0].key[1]).label}」行"
        names = [table.column_for(t.key[1], t.key[2]).label for t in terms]
    else:
        head = ""
        names = [fmt.cell_name(t.key) for t in terms]
    for term, name, v in zip(terms, names, values):
        if term.prev:
            name = f"上年{name}"
        labels.append(f"{'－' if term.sign < 0 else '＋'}{name}（{_fmt_num(v)}）")
    return head, labels


def _join(labels: list[str]) -> str:
    return "".join(labels).lstrip("＋")


def _sum_equal(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    for inst in rule.instances:
        terms = inst.left + inst.right
        vals = []
        for term in terms:
            v, available = _term_value(report, term)
            # Unavailable last-year data, or a blank cell (the blank-cell rule reports that).
            if not available or v is None:
                break
            vals.append(v)
        else:
            n = len(inst.left)
            ls = sum((t.sign * v for t, v in zip(inst.left, vals[:n])), 0)
            rs = sum((t.sign * v for t, v in zip(inst.right, vals[n:])), 0)
            if ls == rs:
                continue
            head, labels = _term_labels(report, fmt, terms, vals)
            yield Finding(
                rule.id, rule.severity,
                T.FIND_SUM.format(title=rule.title, where=f"{head}：" if head else "",
                                  left=_join(labels[:n]), left_sum=_fmt_num(ls),
                                  right=_join(labels[n:]), right_sum=_fmt_num(rs), diff=_fmt_num(abs(ls - rs))),
                inst.key,
                tuple(t.key for t in terms if not t.prev),
            )


def _total(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    """Totals are computed, so they can only disagree with a total an imported file declared."""
    for inst in rule.instances:
        target = inst.left[0].key
        if target not in report.declared or report.declared[target] is None:
            continue
        computed = report.value(target)
        declared = report.declared[target]
        if declared == computed:
            continue
        parts = "＋".join(_fmt_num(report.value(t.key)) for t in inst.right)
        yield Finding(
            rule.id, rule.severity,
            T.FIND_TOTAL.format(title=rule.title, name=fmt.cell_name(target), declared=_fmt_num(declared),
                                computed=_fmt_num(computed), parts=parts),
            inst.key, (target,) + tuple(t.key for t in inst.right),
        )


def _cell_kinds(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    """Values that reached the report without going through the parser (a hand-edited database,
    an old file) still have to be valid for their cell."""
    for key, v in report.values.items():
        if v is None or not fmt.has_cell(key) or key in fmt.derived:
            continue
        try:
            V.parse_value(v, fmt.cell_kind(key), fmt.cell_name(key))
        except InvalidValue as exc:
            yield Finding(rule.id, rule.severity, T.FIND_KIND.format(title=rule.title, message=exc),
                          f"{rule.id}:{'/'.join(key)}", (key,))


def _blank_cells(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    for table in fmt.tables.values():
        blank = [k for k in table.cells() if k not in fmt.derived and report.values.get(k) is None]
        if not blank:
            continue
        names = T.LIST_SEP.join(fmt.cell_name(k) for k in blank[:MAX_NAMED_CELLS])
        if len(blank) > MAX_NAMED_CELLS:
            names += T.AND_MORE
        yield Finding(rule.id, rule.severity,
                      T.FIND_BLANK.format(title=rule.title, number=table.number, count=len(blank), cells=names),
                      f"{rule.id}:{table.id}", tuple(blank))


def _meta_required(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    missing = [f for f in rule.data.get("fields", []) if not getattr(report.meta, f, None)]
    if missing:
        yield Finding(rule.id, rule.severity,
                      T.FIND_META.format(title=rule.title, fields=T.LIST_SEP.join(T.META_FIELD[f] for f in missing)),
                      rule.id, (), "meta")


def _issue_date_window(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    d: _dt.date | None = report.meta.issue_date
    if d is None:
        return
    m1, m2 = rule.data.get("months", [1, 3])
    year = report.meta.year + 1
    if d.year == year and m1 <= d.month <= m2:
        return
    # Say what is wrong: the year, or (the year being right) the month.
    text = T.FIND_ISSUE_DATE if d.year != year else T.FIND_ISSUE_DATE_LATE if d.month > m2 else T.FIND_ISSUE_DATE_EARLY
    yield Finding(rule.id, rule.severity,
                  text.format(title=rule.title, date=f"{d.year}年{d.month}月{d.day}日",
                              year=year, report_year=report.meta.year, m1=m1, m2=m2),
                  rule.id, (), "meta")


def _section_required(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    for s in fmt.sections:
        if s.text == "required" and not report.sections.get(s.id, "").strip():
            yield Finding(rule.id, rule.severity, T.FIND_SECTION_EMPTY.format(title=rule.title, heading=s.heading),
                          f"{rule.id}:{s.id}", (), s.id)


def _same_as_last_year(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    prev = report.previous
    if prev is None:
        return
    for s in fmt.sections:
        if _text.reuse.same_as_last_year(report, s.id):
            yield Finding(rule.id, rule.severity,
                          T.FIND_SAME_AS_LAST.format(title=rule.title, heading=s.heading, year=prev.meta.year),
                          f"{rule.id}:{s.id}", (), s.id)


def _text_mentions(rule: Rule, report: Report, fmt: Format) -> Iterable[Finding]:
    when = rule.data.get("when") or {}
    if "organ_type" in when and report.meta.organ_type not in when["organ_type"]:
        return
    section = fmt.section(rule.data["section"])
    text = report.sections.get(section.id, "")
    if not text.strip():
        return  # an empty section is already an error of its own
    words = rule.data.get("any", [])
    if any(w in text for w in words):
        return
    yield Finding(rule.id, rule.severity,
                  T.FIND_MENTION.format(title=rule.title, heading=section.heading, words="／".join(words)),
                  rule.id, (), section.id)


# The one list of rule kinds: a format file naming any other kind is refused when it loads
# (formats.parse_format reads this). kind -> (check, prepare): ``prepare(rule, fmt, where)``
# validates and compiles a rule's data once, at load, and its result is ``rule.prepared``.
KINDS: dict[str, tuple[Callable[[Rule, Report, Format], Iterable[Finding]], Callable | None]] = {
    "sum_equal": (_sum_equal, None),
    "total": (_total, None),
    "cell_kinds": (_cell_kinds, None),
    "blank_cells": (_blank_cells, None),
    "meta_required": (_meta_required, None),
    "issue_date_window": (_issue_date_window, None),
    "section_required": (_section_required, None),
    "same_as_last_year": (_same_as_last_year, None),
    "text_mentions": (_text_mentions, None),
    **_text.KINDS,
}


def findings_by_cell(findings: Iterable[Finding]) -> dict[CellKey, list[Finding]]:
    """For a window: which findings touch each cell (to highlight it, with the message on hover)."""
    out: dict[CellKey, list[Finding]] = {}
    for f in findings:
        if f.kind == "blank_cells":
            continue  # a blank cell is shown as blank, not painted red
        for c in f.cells:
            out.setdefault(c, []).append(f)
    return out


@dataclass
class SectionState:
    """未填 / 有错误 / 有警告 / 已完成 for the navigator."""

    state: str
    errors: int = 0
    warnings: int = 0
    findings: list[Finding] = field(default_factory=list)


SECTION_STATES = T.SECTION_STATES


def section_states(report: Report, findings: list[Finding]) -> dict[str, SectionState]:
    progress = report.section_progress()
    states: dict[str, SectionState] = {}
    for s in report.format.sections + [None]:  # None → 基本信息 ("meta")
        sid = "meta" if s is None else s.id
        mine = [f for f in findings if f.section == sid]
        errors = sum(1 for f in mine if f.severity == "error")
        warnings = sum(1 for f in mine if f.severity == "warning" and not f.explanation)
        if s is not None and progress.get(sid, 1.0) == 0.0:
            state = "empty"
        elif errors:
            state = "error"
        elif warnings:
            state = "warning"
        else:
            state = "done"
        states[sid] = SectionState(state, errors, warnings, mine)
    return states
