"""The statistics sentences, written from the tables instead of parsed back from the words.

For 二 (its optional paragraph), 三, 四 and the 依申请公开 paragraph of 一 the app writes the
standard sentences — only the non-zero categories, 「本年度未收到政府信息公开申请。」 when there is
nothing — from the format's own tables: the figures come from ``key_figures`` in forms/, the
category names from the row and column labels, so a new format needs no code here.

Blank is not zero: a sentence is written only when every cell it draws on is filled in (a typed
0 is filled). Until then :func:`sentence` gives "" and :func:`not_filled` says which table to
finish — a total summed over blank cells would state a figure nobody entered.

An inserted sentence stays *linked* while its exact text is still in the section text
(``Report.generated``: section id → {kind → the text as last inserted}); :func:`refresh` rewrites
linked sentences when the tables change. Editing the sentence by hand unlinks it, and from then
on the text checks (rule kind ``text_numbers``) watch it like any other words.
"""

from __future__ import annotations

import re
from decimal import Decimal

from . import values as V
from ..errors import GongkaiError
from .formats import CellKey, Format, Node
from .model import Report
from .text import texts as T
from .text.base import filled, inputs

# Which sentence each section may hold: section id -> kinds, in the order they are offered.
SECTION_KINDS = {
    "overview": ("requests",),
    "proactive": ("proactive",),
    "requests": ("requests",),
    "appeals": ("appeals",),
}


def _n(report: Report, keys) -> Decimal:
    total = Decimal(0)
    for key in keys:
        v = report.value(key)
        if v is not None:
            total += Decimal(str(v))
    return total


def _figure(report: Report, figure_id: str) -> tuple[CellKey, ...]:
    return next(k.cells for k in report.format.key_figures if k.id == figure_id)


def _num(v: Decimal) -> str:
    return V.format_value(int(v) if v == v.to_integral() else v)


def _leaves(node: Node) -> list[Node]:
    return list(node.leaves())


def _name(label: str) -> str:
    """「（二）部分公开（区分处理的，…）」 → 「部分公开」: the words a sentence uses."""
    label = re.sub(r"^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+、|^\d+[.．]", "", label)
    return re.sub(r"[（(].*$", "", label).strip()


# ---------------------------------------------------------------------------------------------
# 三 (and 一's 依申请公开 paragraph)


def requests_sentence(report: Report) -> str:
    fmt = report.format
    new, carried = _n(report, _figure(report, "new")), _n(report, _figure(report, "carried"))
    handled_keys = _figure(report, "handled")
    handled = _n(report, handled_keys)
    carry_forward = _n(report, _figure(report, "carry_forward"))
    if not (new or carried or handled or carry_forward):
        return T.SENT_NO_REQUESTS
    table_id, total_row, total_col = handled_keys[0]
    table = fmt.tables[table_id]
    outcome_group = table.row(total_row).parent
    parts = []
    for node in outcome_group.children if outcome_group is not None else []:
        if node.id == total_row:
            continue
        v = _n(report, [(table_id, leaf.id, total_col) for leaf in _leaves(node)])
        if v:
            parts.append(T.SENT_PART.format(name=_name(node.label), n=_num(v)))
    clauses = []
    head = T.SENT_NEW.format(n=_num(new)) if new else T.SENT_NO_NEW
    if carried:
        head += T.SENT_CARRIED.format(n=_num(carried))
    clauses.append(head)
    if handled:
        clauses.append(T.SENT_HANDLED.format(n=_num(handled), parts=T.SEP.join(parts)))
    if carry_forward:
        clauses.append(T.SENT_CARRY_FORWARD.format(n=_num(carry_forward)))
    return "；".join(clauses) + "。"


# ---------------------------------------------------------------------------------------------
# 四


def _outcomes(report: Report, total_key: CellKey) -> str:
    """「结果维持6件、尚未审结1件」: the non-zero siblings of a 总计 column."""
    table = report.format.tables[total_key[0]]
    total_col = table.column_for(total_key[1], total_key[2])
    parts = []
    for col in total_col.parent.children if total_col.parent else []:
        if col.id == total_key[2] or not col.is_leaf:
            continue
        v = _n(report, [(total_key[0], total_key[1], col.id)])
        if v:
            parts.append(T.SENT_PART.format(name=col.label, n=_num(v)))
    return T.SEP.join(parts)


def appeals_sentence(report: Report) -> str:
    review_keys = _figure(report, "review")
    lit_keys = _figure(report, "litigation")
    review, lit = _n(report, review_keys), _n(report, lit_keys)
    if not review and not lit:
        return T.SENT_NO_APPEALS
    clauses = []
    if review:
        clauses.append(T.SENT_REVIEW.format(n=_num(review), parts=_outcomes(report, review_keys[0])))
    else:
        clauses.append(T.SENT_NO_REVIEW)
    if lit:
        table = report.format.tables[lit_keys[0][0]]
        groups = [(table.column_for(k[1], k[2]).parent.label, _n(report, [k]), k) for k in lit_keys]
        live = [(label, v, k) for label, v, k in groups if v]
        if len(live) == 1:
            label, v, k = live[0]
            clauses.append(T.SENT_LITIGATION_ONE.format(n=_num(lit), kind=label, parts=_outcomes(report, k)))
        else:
            subs = [T.SENT_LITIGATION_PART.format(kind=label, n=_num(v), parts=_outcomes(report, k))
                    for label, v, k in live]
            clauses.append(T.SENT_LITIGATION.format(n=_num(lit), parts="，".join(subs)))
    else:
        clauses.append(T.SENT_NO_LITIGATION)
    return T.SENT_APPEALS_START + "；".join(clauses) + "。"


# ---------------------------------------------------------------------------------------------
# 二


def proactive_sentence(report: Report) -> str:
    fmt: Format = report.format
    table_id = fmt.section("proactive").table
    table = fmt.tables[table_id]
    groups: list[list[tuple[str, str]]] = []  # per row: (column id, phrase)
    for block in table.blocks:
        cols = block.col_leaves()
        for row in block.row_leaves():
            items = []
            for col in cols:
                phrase = T.SENT_PROACTIVE.get(col.id)
                if phrase is None:
                    continue  # 上一年项目数量, 本年增/减: counts of item types, not stated
                v = report.value((table_id, row.id, col.id))
                if not v:
                    continue
                unit = report.unit_for((table_id, row.id, col.id)) or ""
                items.append((col.id, phrase.format(row=row.label, n=V.format_value(v), unit=unit)))
            if not items:
                continue
            # 「作出行政许可决定1286件、行政处罚决定357件」: one-figure rows of the same column share
            # the verb instead of repeating it.
            prev = groups[-1] if groups else None
            if prev and len(items) == 1 and all(c == items[0][0] for c, _ in prev):
                verb = T.SENT_PROACTIVE[items[0][0]].split("{row}")[0]
                prev.append((items[0][0], items[0][1].removeprefix(verb)))
            else:
                groups.append(items)
    if not groups:
        return T.SENT_NO_PROACTIVE
    return T.SENT_PROACTIVE_START + "；".join(T.SEP.join(p for _, p in g) for g in groups) + "。"


_WRITERS = {"requests": requests_sentence, "appeals": appeals_sentence, "proactive": proactive_sentence}


def kinds_for(report: Report, section_id: str) -> tuple[str, ...]:
    """The sentences section ``section_id`` may hold in this report's format (a section without
    text, or whose table the format lacks, holds none)."""
    fmt = report.format
    try:
        section = fmt.section(section_id)
    except KeyError:
        return ()
    if section.text == "none":
        return ()
    return SECTION_KINDS.get(section_id, ())


# The cells each sentence states, figure by figure: it is written only when all are filled in.
def _proactive_cells(report: Report) -> tuple[CellKey, ...]:
    table_id = report.format.section("proactive").table
    table = report.format.tables[table_id]
    return tuple((table_id, row.id, col.id) for block in table.blocks for row in block.row_leaves()
                 for col in block.col_leaves() if col.id in T.SENT_PROACTIVE and table.has_cell(row.id, col.id))


_FIGURES = {"requests": ("new", "carried", "handled", "carry_forward"), "appeals": ("review", "litigation")}


def draws_on(report: Report, kind: str) -> tuple[CellKey, ...]:
    """The cells (as the tables name them: totals too) the ``kind`` sentence states."""
    if kind == "proactive":
        return _proactive_cells(report)
    return tuple(key for fid in _FIGURES[kind] for key in _figure(report, fid))


def not_filled(report: Report, kind: str) -> str:
    """"" when the ``kind`` sentence can be written; else why not, in Chinese (which table still
    has blank cells)."""
    blank = [k for key in draws_on(report, kind) for k in inputs(report.format_id, key)
             if report.values.get(k) is None]
    if not blank:
        return ""
    numbers = list(dict.fromkeys(report.format.tables[k[0]].number for k in blank))
    return T.SENT_NOT_FILLED.format(tables=T.SEP.join(f"表{n}" for n in numbers))


def _placeholder(report: Report, kind: str) -> str:
    """What a linked sentence says while its table is not filled in: it keeps the sentence's
    place, and the sentence is written there once the cells are (never last year's figures,
    never a 「未收到」 nobody stated)."""
    numbers = dict.fromkeys(report.format.tables[k[0]].number for k in draws_on(report, kind))
    return T.SENT_PLACEHOLDER.format(tables=T.SEP.join(f"表{n}" for n in numbers))


def sentence(report: Report, kind: str) -> str:
    """The ``kind`` sentence written from the tables now; "" while a cell it states is blank."""
    if not filled(report, draws_on(report, kind)):
        return ""
    return _WRITERS[kind](report)


def _linked_text(report: Report, kind: str) -> str:
    """What a linked sentence reads now: the sentence, or the placeholder while it cannot be written."""
    return sentence(report, kind) or _placeholder(report, kind)


def generate(report: Report) -> dict[str, dict[str, str]]:
    """Section id → {kind → the sentence written from the tables now}, for every section that
    can hold one — leaving out the sentences whose cells are not all filled in (:func:`not_filled`
    says why)."""
    out: dict[str, dict[str, str]] = {}
    cache: dict[str, str] = {}
    for s in report.format.sections:
        for kind in kinds_for(report, s.id):
            if kind not in cache:
                cache[kind] = sentence(report, kind)
            if cache[kind]:
                out.setdefault(s.id, {})[kind] = cache[kind]
    return out


# ---------------------------------------------------------------------------------------------
# Linked sentences


def linked(report: Report) -> dict[str, list[tuple[str, int, int]]]:
    """Section id → [(kind, start, end)] of the linked sentences still in the text (the window
    shades them). A sentence whose text the clerk changed is no longer linked."""
    out: dict[str, list[tuple[str, int, int]]] = {}
    for sid, kinds in report.generated.items():
        text = report.sections.get(sid, "")
        for kind, sent in kinds.items():
            i = text.find(sent) if sent else -1
            if i >= 0:
                out.setdefault(sid, []).append((kind, i, i + len(sent)))
    return out


def insert(report: Report, section_id: str, kind: str, position: int | None = None) -> str:
    """Insert the ``kind`` sentence into ``section_id``'s text (at ``position``, or as a new last
    paragraph) and link it. Returns the new text; ``report`` is updated in place. Refused (with
    the Chinese reason, nothing changed) while a cell the sentence states is blank."""
    if kind not in kinds_for(report, section_id):
        raise KeyError((section_id, kind))
    new = sentence(report, kind)
    if not new:
        raise GongkaiError(not_filled(report, kind))
    text = report.sections.get(section_id, "")
    if position is None:
        text = f"{text.rstrip()}\n{new}" if text.strip() else new
    else:
        position = max(0, min(position, len(text)))
        text = text[:position] + new + text[position:]
    report.sections[section_id] = text
    report.generated.setdefault(section_id, {})[kind] = new
    return text


def refresh(report: Report) -> dict[str, str]:
    """Rewrite the linked sentences from the tables as they are now. Returns {section id: new
    text} for the sections that changed (``report.sections`` and ``report.generated`` are
    updated in place); sentences the clerk edited are dropped from ``generated``. A sentence
    whose table has blank cells again gives way to the placeholder, which stays linked."""
    changed: dict[str, str] = {}
    for sid in list(report.generated):
        kinds = report.generated[sid]
        text = report.sections.get(sid, "")
        for kind in list(kinds):
            old = kinds[kind]
            if not old or old not in text or kind not in kinds_for(report, sid):
                del kinds[kind]  # unlinked by an edit: the text checks watch it from now on
                continue
            new = _linked_text(report, kind)
            if new != old:
                text = text.replace(old, new, 1)
                kinds[kind] = new
                changed[sid] = text
        if not kinds:
            del report.generated[sid]
        if sid in changed:
            report.sections[sid] = changed[sid]
    return changed


def carry_over(src: Report, new: Report) -> None:
    """On carry-over to the next year: the sentences linked in last year's texts are written
    again from the new year's tables (so last year's figures never survive as text), and stay
    linked; while those tables are blank, the placeholder holds the sentence's place.
    ``new.sections`` already holds the copied texts."""
    new.generated = {}
    for sid, kinds in src.generated.items():
        text = new.sections.get(sid, "")
        for kind, old in kinds.items():
            if not old or old not in text or kind not in kinds_for(new, sid):
                continue
            fresh = _linked_text(new, kind)
            text = text.replace(old, fresh, 1)
            new.generated.setdefault(sid, {})[kind] = fresh
        if sid in new.sections:
            new.sections[sid] = text
