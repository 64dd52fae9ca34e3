"""The 解读: a short third-person reading of the report, generated from it, never beyond it.

Many organs publish a 解读 beside the report (same day, same organ): a title
「…年政府信息公开工作年度报告解读」, an opening naming the legal basis (the 条例 and the format
notice of the report's year — both from forms/) and the statistics period, then one paragraph per
part of the report in the third person (「《报告》从…方面介绍了…」) quoting the key figures; no tables.

Everything said comes from the report: the parts are the format's sections, the aspects are the
section texts' own sub-headings, and the figures are the report's statistics sentences
(report/sentences.py, written from the tables) quoted whole — so the 解读 counts every category
the report counts, in the same words, and says nothing over a blank cell.

The clerk may edit the text (``Report.jiedu``; "" = not written yet, then the generated text is
used). :func:`build_jiedu_plan` turns it into a document plan with the report's GB/T 9704 layout,
so the same renderers (Word, PDF, web page) print it.
"""

from __future__ import annotations

import re

from ..report.formats import CellKey, Format, Node, Table
from ..report.model import Report, parse_section_text, strip_unwritable
from ..report import sentences as S
from ..report.values import format_value
from .. import texts as T
from . import plan as P

_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}[.．、])")
_HEADING1 = re.compile(r"^[一二三四五六七八九十]+、\S")
_PAREN_TAIL = re.compile(r"（[^（）]*）$")


def _bare(label: str) -> str:
    """A form label as prose: no enumerator, no parenthetical note (「（二）部分公开（区分处理的…）」
    → 「部分公开」), no trailing 数量."""
    text = _ENUM.sub("", label.strip())
    text = _PAREN_TAIL.sub("", text)
    return text.removesuffix("数量").strip()


def _aspects(text: str) -> list[str]:
    """The section's own sub-headings (「（一）主动公开。」 → 「主动公开」), in order."""
    out = []
    for tb in parse_section_text(text or ""):
        if tb.level == 2 and tb.head:
            head = _ENUM.sub("", tb.head).strip().rstrip("。．.：:；;，,")
            if head and len(head) <= 20:
                out.append(head)
    return out


# ---------------------------------------------------------------------------------------------
# Figures


def _value(report: Report, key: CellKey):
    return report.value(key)


def _is_total(node: Node) -> bool:
    return _bare(node.label) == T.JIEDU_TOTAL_LABEL


def _node_total(report: Report, table: Table, node: Node, fixed: str, along_rows: bool):
    """The value of ``node`` (a row when ``along_rows``, else a column) at ``fixed``: a leaf's cell,
    a group's 总计 leaf, or the sum of its children; None when a cell is blank."""
    def key(n: Node) -> CellKey:
        return (table.id, n.id, fixed) if along_rows else (table.id, fixed, n.id)

    if node.is_leaf:
        return _value(report, key(node)) if node.id else None
    for child in node.children:
        if child.is_leaf and _is_total(child):
            return _value(report, key(child))
    values = [_node_total(report, table, c, fixed, along_rows) for c in node.children]
    if any(v is None for v in values):
        return None
    return sum(values)


def _has_total(node: Node) -> bool:
    return any(c.is_leaf and _is_total(c) for c in node.children)


def _statistics(report: Report, section) -> str:
    """The section's statistics as the report's own sentences (report/sentences.py: which figures,
    in which words — one declaration for the report and its 解读), quoted in the third person
    (「《报告》显示，本年度共新收…」). Every category the report counts is counted here too, so a
    reader never sees a number named but withheld."""
    quoted = []
    for kind in S.SECTION_KINDS.get(section.id, ()):
        sentence = (S.sentence(report, kind) or "").strip()
        if sentence:
            quoted.append(T.JIEDU_QUOTED.format(sentence=sentence))
    return "".join(quoted)


def key_figure_wording(report: Report, kf) -> tuple[str, str]:
    """(label, unit) a key figure is quoted with: 「现行有效规章」「件」, 「行政事业性收费」「万元」."""
    table = report.format.tables[kf.cells[0][0]]
    label, unit = kf.label, T.JIEDU_COUNT_UNIT
    m = re.match(r"^(.*)（(.+)）$", label)
    if m:
        label, unit = m.group(1), m.group(2)
    if len(kf.cells) == 1:
        # A terse key-figure label (「收费」) reads better as its row's label (「行政事业性收费」).
        row_label = _bare(table.row(kf.cells[0][1]).label)
        if row_label.endswith(label) and row_label != label:
            label = row_label
        units = table.cell_units(kf.cells[0][1], kf.cells[0][2])
        if units:
            unit = report.unit_for(kf.cells[0]) or units[0]
    return label, unit


# ---------------------------------------------------------------------------------------------
# The text


def jiedu_title(report: Report) -> str:
    return report.title + T.NAME_TAIL_JIEDU


def opening(report: Report) -> str:
    fmt: Format = report.format
    raw = fmt.raw or {}
    year = report.meta.year
    notice = raw.get("notice_title", "")
    if fmt.notice:
        notice += T.JIEDU_NOTICE_NUMBER.format(notice=fmt.notice)
    return T.JIEDU_OPENING.format(title=report.title, regulation=raw.get("regulation", ""), notice=notice,
                                  year=year)


def part_paragraph(report: Report, section) -> str:
    name = _bare(section.heading)
    aspects = _aspects(report.sections.get(section.id, "")) if section.text != "none" else []
    organ_year = T.JIEDU_ORGAN_YEAR.format(organ=report.meta.organ, year=report.meta.year)
    if T.JIEDU_WORK_WORD not in name:
        # 「总体情况」 alone says nothing about what: 「…年政府信息公开工作总体情况」.
        organ_year += T.JIEDU_WORK
    if aspects:
        text = T.JIEDU_PART_ASPECTS.format(aspects=T.JIEDU_SEP.join(aspects), who=organ_year, name=name)
    else:
        text = T.JIEDU_PART.format(who=organ_year, name=name)
    if section.table:
        text += _statistics(report, section)
    return text


def generate_jiedu(report: Report) -> str:
    """The 解读's text, one paragraph a line: the opening, then each part's heading and paragraph
    (the clerk edits this text; :func:`build_jiedu_plan` lays it out)."""
    lines = [opening(report)]
    for s in report.format.sections:
        lines.append(s.heading)
        lines.append(part_paragraph(report, s))
    return "\n".join(lines)


def jiedu_text(report: Report) -> str:
    """What the 解读 says: the clerk's edited text, or the generated one."""
    return (report.jiedu or "").strip() or generate_jiedu(report)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号|第\d+号")
_DATE = re.compile(r"\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?)?")


def report_figures(report: Report) -> set[str]:
    """Every number the report states: its table cells (typed and computed), the format's key
    figures, and the numbers in its texts."""
    fmt = report.format
    out = {format_value(v) for k in fmt.cells() if (v := report.value(k)) is not None}
    for kf in fmt.key_figures:
        values = [report.value(k) for k in kf.cells]
        if all(v is not None for v in values):
            out.add(format_value(sum(values)))
    out |= {format_value(v) for v in group_totals(report).values()}
    text = "\n".join([report.title, report.meta.opening or "", *report.sections.values()])
    out |= set(_NUMBER.findall(text))
    return out


def group_totals(report: Report) -> dict[tuple[str, str, str], object]:
    """(table, row node, column node) → the sum of the typed cells under a row group at a column,
    or a column group at a row (「不予公开」 = its eight reasons): figures the statistics sentences
    state though the form has no cell for them. Blank cells count as nothing, as the sentences do."""
    out: dict[tuple[str, str, str], object] = {}
    for table in report.format.tables.values():
        for block in table.blocks:
            rows = [n for top in block.rows for n in _walk(top)]
            cols = [n for top in block.columns for n in _walk(top)]
            for r in rows:
                for c in cols:
                    if r.is_leaf and c.is_leaf:
                        continue
                    values = [report.value((table.id, rl.id, cl.id)) for rl in r.leaves() for cl in c.leaves()
                              if table.has_cell(rl.id, cl.id)]
                    values = [v for v in values if v is not None]
                    if values:
                        out[(table.id, r.id or r.label, c.id or c.label)] = sum(values)
    return out


def _walk(node: Node):
    yield node
    for child in node.children:
        yield from _walk(child)


def stray_figures(report: Report, text: str) -> list[str]:
    """Numbers in a (clerk-edited) 解读 that the report does not state — dates and document
    numbers (〔2021〕30号) aside — in order of appearance: what a reviewer would query."""
    text = _DATE.sub("", _DOC_NUMBER.sub("", re.sub(r"\s+", "", text)))
    known = report_figures(report)
    return list(dict.fromkeys(n for n in _NUMBER.findall(text) if n not in known))


def build_jiedu_plan(report: Report, findings=None) -> P.DocumentPlan:
    """The 解读 as a document plan: the report's layout (title, 一、 headings, body), no tables;
    a draft when the report's export would be one."""
    title = jiedu_title(report)
    organ = strip_unwritable(report.meta.organ)[0]
    blocks: list[P.Block] = [P.Title(title, P.title_lines(title, organ)), P.Spacer(1)]
    text = strip_unwritable(jiedu_text(report))[0]
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _HEADING1.match(line) and len(line) <= 30 and not line.endswith("。"):
            blocks.append(P.Paragraph(P.STYLE_HEADING1, [P.Run(line, P.ROLE_HEADING)], keep_with_next=True,
                                      outline_level=0))
        else:
            blocks.extend(P._section_blocks(line))
    header = P.draft_header(report, findings) if hasattr(P, "draft_header") else ""
    kwargs = {"draft": bool(header), "draft_header": header} if header else {}
    return P.DocumentPlan(
        title=title, organ=organ, signoff="", year=report.meta.year, date_text="",
        format_id=report.format.id, format_name=report.format.name, blocks=blocks,
        subject=T.JIEDU_SUBJECT, **kwargs,
    )
