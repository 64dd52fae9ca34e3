"""Checks 1 and 2: the numbers the words state, against the tables and against each other.

A number mention is a number (Arabic, full-width or Chinese: 十二、两、一百零五、1.2万) followed by a
unit (件、条、万元、% …). Its *label* is the words right before it, back to the previous clause
mark or number: 「本年度共新收政府信息公开申请」112件. A mention is tied to a table figure only when
its label ends in one of the format's statements (forms/ ``text_numbers`` rule data) and nothing
in the clause says it is about something else (a comparison, another year, the whole region, a
subset): everything else is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, ROUND_HALF_UP
from functools import lru_cache

from ...errors import FormatError
from ..formats import RuleInstance, Term
from . import numerals, texts as T
from .base import Piece, filled, finding, memoised, paragraphs, per_section, quote, sentences

_CN_DIGITS = "".join(numerals.DIGITS) + "".join(numerals.UNITS)
UNITS = ("万元", "人次", "件", "条", "篇", "次", "个", "项", "部", "元", "%")
_NUM = (rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?(?:万|亿)?|[{_CN_DIGITS}]+(?:万|亿)?|[{_CN_DIGITS}]*[万亿])"
        rf"(?P<approx>余|多)?(?P<unit>{'|'.join(UNITS)})")
MENTION = re.compile(_NUM)
# Marks that end a label: a label never reaches back over a clause.
_CLAUSE = "，,；;。：:、（）()！？!?\n“”「」《》"
# Words between the statement and the number that do not change what is stated.
_FILLER = re.compile(r"(?:共计|合计|总计|累计|总数|数量|共|计|为|是|达到|达|约|有|了|的|：|:)+$")
_BEFORE_APPROX = ("约", "近", "超过", "逾", "不足", "多达", "将近", "接近", "不到", "上千", "近百")


@dataclass
class Mention:
    start: int  # offsets into the section text
    end: int
    value: Decimal
    unit: str
    approximate: bool
    label: str
    label_start: int
    decimals: int  # stated precision (in the stated magnitude)
    magnitude: int  # 1, 10_000 (万) or 100_000_000 (亿)


@lru_cache(maxsize=4096)
def _cn_value(text: str) -> Decimal | None:
    v = numerals.to_int(text)
    return None if v is None else Decimal(v)


def parse_number(text: str) -> tuple[Decimal, int, int] | None:
    """(value, decimals, magnitude) of a stated number, or None when it is not one."""
    magnitude = 1
    body = text
    if body.endswith("万"):
        magnitude, body = 10_000, body[:-1]
    elif body.endswith("亿"):
        magnitude, body = 100_000_000, body[:-1]
    if not body:
        return None
    if body[0].isdigit():
        body = body.replace(",", "")
        decimals = len(body.split(".", 1)[1]) if "." in body else 0
        return Decimal(body) * magnitude, decimals, magnitude
    v = _cn_value(text)
    if v is None:
        return None
    return v, 0, magnitude if magnitude > 1 and v % magnitude == 0 else 1


def mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Number mentions in ``text[start:end]`` with their labels (offsets into ``text``)."""
    end = len(text) if end is None else end
    found = _mentions_in(text[start:end])
    return list(found) if not start else [_shift(m, start) for m in found]


_CLAUSE_RE = re.compile("[" + re.escape(_CLAUSE) + "]")


@lru_cache(maxsize=8192)
def _mentions_in(text: str) -> tuple[Mention, ...]:
    """The mentions of one sentence or paragraph, cached by its text (checks 1 and 2 read the same
    sentences; typing changes one of them at a time)."""
    out: list[Mention] = []
    marks = [m.start() for m in _CLAUSE_RE.finditer(text)]
    k = 0  # marks[:k] are before the current mention
    prev_end = 0
    for m in MENTION.finditer(text):
        s = m.start()
        if s and text[s - 1] == "第":  # an ordinal (第三件), not a count
            continue
        if s and (text[s - 1].isdigit() or text[s - 1] in _CN_DIGITS or text[s - 1] == "."):
            continue
        num = m["num"]
        if len(num) == 1 and num in "十百千万亿":
            continue
        parsed = parse_number(num)
        if parsed is None:
            continue
        value, decimals, magnitude = parsed
        while k < len(marks) and marks[k] < s:
            k += 1
        ls = max(prev_end, marks[k - 1] + 1 if k else 0)  # back to the clause mark or the last number
        label = text[ls:s]
        approximate = bool(m["approx"]) or label.endswith(_BEFORE_APPROX) or text.startswith("左右", m.end())
        out.append(Mention(s, m.end(), value, m["unit"], approximate, label, ls, decimals, magnitude))
        prev_end = m.end()
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Rule data (forms/ text_numbers): compiled once when the format loads


@dataclass
class Statement:
    id: str
    say: re.Pattern
    refs: dict[str, list]  # scope id ("" = none) -> [key figure id or cell key, ...]
    units: tuple[str, ...]
    within: tuple[str, ...]
    not_words: tuple[str, ...]
    label: str


@dataclass
class Prepared:
    statements: list[Statement]
    skip: tuple[str, ...]
    scopes: list[tuple[str, str]]  # (word, scope id), longest word first
    scope_re: re.Pattern | None
    negations: list[dict]
    all_claims: list[dict]
    share_bases: list[list]
    share_re: re.Pattern


def _refs(value, fmt, rule, where) -> list:
    """A key-figure id, or a list of "table/row/col" cells (validated)."""
    figures = {k.id for k in fmt.key_figures}
    items = [value] if isinstance(value, str) else list(value)
    out = []
    for item in items:
        if "/" in item:
            key = tuple(item.split("/"))
            if len(key) != 3 or not fmt.has_cell(key):
                raise FormatError(f"{where}: 规则 {rule.id} 引用了不存在的单元格 {item}")
            out.append(key)
            rule.instances.append(RuleInstance(rule, item, [], [Term(key)]))
        elif item in figures:
            out.append(item)
        else:
            raise FormatError(f"{where}: 规则 {rule.id} 引用了未知的关键数字 {item}")
    return out


def _compile(pattern: str, rule, where) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise FormatError(f"{where}: 规则 {rule.id} 的文字模式「{pattern}」有误（{exc}）") from None


def prepare_numbers(rule, fmt, where: str) -> Prepared:
    d = rule.data
    statements = []
    for s in d.get("statements", []):
        if "by_scope" in s:
            refs = {scope: _refs(v, fmt, rule, where) for scope, v in s["by_scope"].items()}
        else:
            refs = {"": _refs(s.get("figure") or s.get("sum"), fmt, rule, where)}
        statements.append(Statement(
            s["id"], _compile(f"(?:{s['say']})$", rule, where), refs, tuple(s.get("units", ["件"])),
            tuple(s.get("within", ())), tuple(s.get("not", ())), s.get("label", "")))
    scopes = sorted(d.get("scopes", {}).items(), key=lambda kv: -len(kv[0]))
    scope_re = re.compile("|".join(re.escape(w) for w, _ in scopes)) if scopes else None
    negations = []
    for n in d.get("negations", []):
        negations.append({"say": _compile(n["say"], rule, where), "not": tuple(n.get("not", ())),
                          "zero": {w: _refs(ref, fmt, rule, where) for w, ref in n["zero"].items()}})
    claims = []
    for c in d.get("all_claims", []):
        claims.append({"say": _compile(c["say"], rule, where), "part": c["part"], "whole": c["whole"]})
    bases = [[_refs(ref, fmt, rule, where) for ref in base] for base in d.get("share_bases", [])]
    share_re = _compile(d.get("share", r"^占(?:[^，。；]{0,8}的)?(?:比|比例|比重)?(?:为|是|达)?$"), rule, where)
    ids = {s.id for s in statements}
    for c in claims:
        if c["part"] not in ids or c["whole"] not in ids:
            raise FormatError(f"{where}: 规则 {rule.id} 的 all_claims 引用了未知的表述")
    return Prepared(statements, tuple(d.get("skip", ())), [(w, sid) for w, sid in scopes], scope_re,
                    negations, claims, bases, share_re)


# ---------------------------------------------------------------------------------------------
# Values


def _figure_value(report, refs: list) -> tuple[Decimal | None, list]:
    """Sum of key figures / cells; None when a cell it draws on is blank — a total of blank
    cells computes as 0, and a text number is never compared with a figure nobody entered (the
    blank-cell rule reports the blanks)."""
    fmt = report.format
    total = Decimal(0)
    cells = []
    for ref in refs:
        keys = next(k.cells for k in fmt.key_figures if k.id == ref) if isinstance(ref, str) else (ref,)
        if not filled(report, keys):
            return None, cells
        for key in keys:
            total += Decimal(str(report.value(key)))
            cells.append(key)
    return total, cells


def _in_unit(value: Decimal, table_unit: str | None, stated_unit: str) -> Decimal:
    """The table's money amount in the unit the text states (the tables hold 万元)."""
    if table_unit == "万元" and stated_unit == "元":
        return value * 10_000
    if table_unit == "元" and stated_unit == "万元":
        return value / 10_000
    return value


def _agrees(stated: Mention, actual: Decimal) -> bool:
    """A figure stated with fewer digits (1.2万, 0.09万元) agrees when the table rounds to it."""
    scale = Decimal(stated.magnitude)
    q = Decimal(1).scaleb(-stated.decimals)
    return (actual / scale).quantize(q, ROUND_HALF_UP) == (stated.value / scale).quantize(q, ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    v = value.normalize()
    return f"{v:f}" if v == v.to_integral() else f"{v:f}".rstrip("0")


def _fmt_unit(value: Decimal, unit: str) -> str:
    return f"{_fmt(value)}{unit}"


def _what(report, st: Statement, cells: list) -> str:
    fmt = report.format
    if st.label:
        return st.label
    if len(cells) == 1:
        return fmt.cell_name(cells[0])
    return T.CELLS_SUM.format(cells=T.SEP.join(fmt.cell_name(c) for c in cells))


# ---------------------------------------------------------------------------------------------
# Check 1


def _scope(prep: Prepared, text: str) -> str | None:
    last = None
    if prep.scope_re is not None:
        for m in prep.scope_re.finditer(text):
            last = m[0]
    return dict(prep.scopes).get(last) if last else None


def _statement_for(prep: Prepared, m: Mention, para_text: str, year: int) -> Statement | None:
    label = m.label
    if any(w in label for w in prep.skip):
        return None
    years = re.findall(r"(\d{4})年", label)
    if any(int(y) != year for y in years):
        return None
    core = _FILLER.sub("", label)
    for st in prep.statements:
        if m.unit not in st.units or any(w in label for w in st.not_words):
            continue
        if st.within and not any(w in para_text for w in st.within):
            continue
        if st.say.search(core):
            return st
    return None


_ANALYSES: dict[tuple, tuple] = {}


_PARAGRAPHS: dict[tuple, tuple] = {}


def _shift(m: Mention, by: int) -> Mention:
    return Mention(m.start + by, m.end + by, m.value, m.unit, m.approximate, m.label, m.label_start + by,
                   m.decimals, m.magnitude)


def _analyse(prep: Prepared, section: str, text: str, year: int) -> tuple:
    """The value-independent part of check 1 for one text: the tied mentions with their
    statement, scope and any share stated right after them; the negations and 「均获维持」 claims
    (offsets into ``text``). Cached per text, built from per-paragraph analyses."""
    key = (id(prep), section, text, year)
    found = _ANALYSES.get(key)
    if found is not None:
        return found
    ties, negations, claims = [], [], []
    for para in paragraphs(section, text):
        t, n, c = _analyse_paragraph(prep, para.text, year)
        by = para.start
        ties += [(_shift(m, by), st, scope, pct and _shift(pct, by)) for m, st, scope, pct in t]
        negations += [((a + by, b + by), words, zero) for (a, b), words, zero in n]
        claims += [((a + by, b + by), words, part, whole) for (a, b), words, part, whole in c]
    if len(_ANALYSES) > 1024:
        _ANALYSES.clear()
    found = _ANALYSES[key] = (tuple(ties), tuple(negations), tuple(claims))
    return found


def _analyse_paragraph(prep: Prepared, text: str, year: int) -> tuple:
    """The value-independent part of check 1 for one paragraph (offsets into it), cached per
    paragraph text: typing changes one paragraph between two checks."""
    key = (id(prep), text, year)
    found = _PARAGRAPHS.get(key)
    if found is not None:
        return found
    ties = []
    for para in paragraphs("", text):
        for sent in sentences(para, semicolons=False):
            ms = mentions(text, sent.start, sent.end)
            for k, m in enumerate(ms):
                if m.approximate or m.unit == "%":
                    continue
                st = _statement_for(prep, m, para.text, year)
                if st is None:
                    continue
                scope = ""
                if "" not in st.refs:
                    scope = _scope(prep, text[sent.start:m.start]) or ""
                    if scope not in st.refs:
                        continue
                pct = None
                if k + 1 < len(ms) and ms[k + 1].unit == "%":
                    pm = ms[k + 1]
                    if prep.share_re.search(pm.label.strip()) and text[m.end:pm.label_start].strip("，,、 ") == "":
                        pct = pm
                ties.append((m, st, scope, pct))
    negations = []
    for neg in prep.negations:
        for m in neg["say"].finditer(text):
            if not any(w in m[0] for w in neg["not"]):
                negations.append((m.span(), m[0], [(w, refs) for w, refs in neg["zero"].items() if w in m[0]]))
    by_id = {s.id: s for s in prep.statements}
    claims = []
    for claim in prep.all_claims:
        part, whole = by_id[claim["part"]], by_id[claim["whole"]]
        for m in claim["say"].finditer(text):
            sent_start = max(text.rfind(ch, 0, m.start()) for ch in "。；;\n") + 1
            scope = _scope(prep, text[sent_start:m.start()])
            if scope is not None and scope in part.refs and scope in whole.refs:
                claims.append((m.span(), m[0], part.refs[scope], whole.refs[scope]))
    if len(_PARAGRAPHS) > 8192:
        _PARAGRAPHS.clear()
    found = _PARAGRAPHS[key] = (tuple(ties), tuple(negations), tuple(claims))
    return found


class _Values:
    """Figure values for one check: a derived total is summed once, not once per mention."""

    def __init__(self, report):
        self.report = report
        self._cache: dict[tuple, tuple] = {}

    def get(self, refs: list) -> tuple[Decimal | None, list]:
        key = tuple(refs)
        v = self._cache.get(key)
        if v is None:
            v = self._cache[key] = _figure_value(self.report, refs)
        return v


def tie(prep: Prepared, report, section: str, text: str, values: _Values | None = None):
    """Yield (mention, statement, actual value, cells, stated share) for each tied number mention
    whose table figure is filled in."""
    values = values or _Values(report)
    for m, st, scope, pct in _analyse(prep, section, text, report.meta.year)[0]:
        actual, cells = values.get(st.refs[scope])
        if actual is None:
            continue
        yield m, st, actual, cells, pct


_FOUND: dict[tuple, tuple] = {}


def _all_refs(prep: Prepared) -> list[list]:
    refs = [r for st in prep.statements for r in st.refs.values()]
    refs += [r for neg in prep.negations for r in neg["zero"].values()]
    refs += [r for base in prep.share_bases for r in base]
    return refs


def check_numbers(rule, report, fmt):
    """Findings per section text are reused while the figures they read are unchanged."""
    prep: Prepared = rule.prepared
    values = _Values(report)
    sig = (id(prep), report.meta.year, tuple(values.get(r)[0] for r in _all_refs(prep)),
           tuple(sorted(report.meta.units.items())))
    yield from memoised(_FOUND, 1024, sig, report,
                        lambda section, text: _numbers_section(rule, prep, report, values, section, text))


def _numbers_section(rule, prep: Prepared, report, values: "_Values", section: str, text: str):
    for m, st, actual, cells, pct in tie(prep, report, section, text, values):
        table_unit = report.unit_for(cells[0]) if cells else None
        want = _in_unit(actual, table_unit, m.unit)
        if _agrees(m, want):
            if pct is not None:
                yield from _share(rule, prep, values, section, text, m, pct)
            continue
        span = (m.label_start, m.end)
        yield finding(rule, section, span, text, T.NUMBER_MISMATCH.format(
            quote=quote(text[span[0]:span[1]]), what=_what(report, st, cells),
            value=_fmt_unit(want, m.unit)), sub=st.id)
    _, negations, claims = _analyse(prep, section, text, report.meta.year)
    for span, words, zero in negations:
        for word, refs in zero:
            actual, cells = values.get(refs)
            if actual:
                yield finding(rule, section, span, text, T.NEGATION_MISMATCH.format(
                    quote=quote(words), what=_what_refs(report, cells), value=_fmt(actual)), sub="none")
                break
    for span, words, part_refs, whole_refs in claims:
        p, _ = values.get(part_refs)
        w, _ = values.get(whole_refs)
        if p is None or w is None or not w or p == w:
            continue
        yield finding(rule, section, span, text, T.ALL_CLAIM_MISMATCH.format(
            quote=words, total=_fmt(w), part=_fmt(p)), sub="all")


def _share(rule, prep: Prepared, values: _Values, section: str, text: str, m: Mention, pm: Mention):
    """「予以公开60件，占53.6%」: recompute the share against the plausible bases."""
    shares = []
    for base in prep.share_bases:
        total = Decimal(0)
        for refs in base:
            v, _ = values.get(refs)
            if v is None:
                return
            total += v
        if total:
            shares.append(m.value * 100 / total)
    if not shares or any(_agrees(pm, s) for s in shares):
        return
    span = (m.label_start, pm.end)
    q = Decimal(1).scaleb(-max(pm.decimals, 1))
    yield finding(rule, section, span, text, T.SHARE_MISMATCH.format(
        quote=quote(text[span[0]:span[1]]), share=_fmt(shares[0].quantize(q, ROUND_HALF_UP))), sub="share")


def _what_refs(report, cells) -> str:
    fmt = report.format
    if len(cells) == 1:
        return fmt.cell_name(cells[0])
    return T.CELLS_SUM.format(cells=T.SEP.join(fmt.cell_name(c) for c in cells))


# ---------------------------------------------------------------------------------------------
# Check 2: 「全年主动公开政府信息318条，其中，工作动态160条，通知公告58条……」


def _breakdowns_section(rule, report, fmt, section, text):
    catch_all = tuple(rule.data.get("catch_all", ["其他"]))
    stop = tuple(rule.data.get("stop_words", ()))
    numbers_rule = next((r for r in fmt.rules if r.kind == "text_numbers"), None)
    # Parts that check 1 ties to the tables are verified one by one: listing only some result
    # categories after 「其中」 is then a choice, not a gap.
    tied = frozenset()
    if numbers_rule is not None:
        tied = frozenset(m.start for m, *_ in _analyse(numbers_rule.prepared, section, text, report.meta.year)[0])
    for para in paragraphs(section, text):
        for sent in sentences(para):
            yield from _breakdown(rule, section, text, sent, catch_all, stop, tied)


check_breakdowns = per_section(_breakdowns_section)


def _outside_brackets(text: str, start: int, pos: int) -> bool:
    depth = 0
    for ch in text[start:pos]:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
    return depth == 0


def _breakdown(rule, section: str, text: str, sent: Piece, catch_all, stop, tied=frozenset()):
    ms = [m for m in mentions(text, sent.start, sent.end) if _outside_brackets(text, sent.start, m.start)]
    for i, total in enumerate(ms):
        if total.unit == "%" or total.approximate or i + 1 >= len(ms):
            continue
        gap = text[total.end:ms[i + 1].start]
        if not re.match(r"^[，,]?\s*其中", gap):
            continue
        # 「复议6件和诉讼3件，其中…」: the 其中 may cover both totals — whose sum it is, is unclear.
        before = text[total.label_start - 1:total.label_start] if total.label_start > sent.start else ""
        if before in ("、", "和", "及", "与") or total.label.startswith(("和", "及", "与", "以及")):
            continue
        parts = []
        seps = set()
        for j in range(i + 1, len(ms)):
            p = ms[j]
            if p.unit == "%":
                continue
            if p.unit != total.unit or (j > i + 1 and any(w in p.label for w in stop)):
                break  # another unit, or a new statement (「，结转下年度继续办理3件」) ends the list
            if j > i + 1:
                between = text[parts[-1].end:p.label_start]
                seps.add(between[-1:] if between else "")
            parts.append(p)
        if len(parts) < 2 or any(p.approximate for p in parts):
            yield from _part_shares(rule, section, text, total, parts, ms, tied)
            continue
        running = Decimal(0)
        hit = False
        for p in parts:
            running += p.value
            if running == total.value:
                hit = True
                break
        if hit:
            yield from _part_shares(rule, section, text, total, parts, ms, tied)
            continue
        sum_all = sum((p.value for p in parts), Decimal(0))
        span = (total.label_start, parts[-1].end)
        q = quote(text[span[0]:span[1]], 60)
        if sum_all > total.value:
            if len(seps) <= 1:  # all parts of one list (「、」 or 「，」 throughout)
                yield finding(rule, section, span, text, T.BREAKDOWN_OVER.format(
                    quote=q, total=_fmt_unit(total.value, total.unit), sum=_fmt_unit(sum_all, total.unit),
                    diff=_fmt_unit(sum_all - total.value, total.unit)), sub="over")
        elif any(w in parts[-1].label for w in catch_all):
            yield finding(rule, section, span, text, T.BREAKDOWN_UNDER.format(
                quote=q, total=_fmt_unit(total.value, total.unit), sum=_fmt_unit(sum_all, total.unit),
                diff=_fmt_unit(total.value - sum_all, total.unit)), sub="under")
        elif not all(p.start in tied for p in parts):
            yield finding(rule, section, span, text, T.BREAKDOWN_PARTIAL.format(
                quote=q, total=_fmt_unit(total.value, total.unit), sum=_fmt_unit(sum_all, total.unit)),
                severity="info", sub="partial")
        yield from _part_shares(rule, section, text, total, parts, ms, tied)


def _part_shares(rule, section, text, total: Mention, parts: list[Mention], ms: list[Mention], tied):
    """「其中工作动态160条，占50.3%」 inside a breakdown: the share of the stated total. (A part
    tied to the tables has its share recomputed from the tables by check 1.)"""
    if not total.value:
        return
    for p in parts:
        if p.start in tied:
            continue
        k = ms.index(p)
        if k + 1 < len(ms) and ms[k + 1].unit == "%" and text[p.end:ms[k + 1].start].strip("，,、（(占比例为是的 ") == "":
            pm = ms[k + 1]
            share = p.value * 100 / total.value
            if not _agrees(pm, share):
                q = Decimal(1).scaleb(-max(pm.decimals, 1))
                span = (p.label_start, pm.end)
                yield finding(rule, section, span, text, T.SHARE_MISMATCH_OF.format(
                    quote=quote(text[span[0]:span[1]]), total=_fmt_unit(total.value, total.unit),
                    share=_fmt(share.quantize(q, ROUND_HALF_UP))), sub="share")
