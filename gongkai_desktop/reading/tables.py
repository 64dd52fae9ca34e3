"""Reading the three statistics tables of a published report by the official labels in forms/.

A published table is a list of rows, each row the texts of its cells in order. A row is read by
its label (the leading cells that are not numbers), matched against the format's row labels —
exactly, truncated (「现行有效件」), with its enumerator or parenthesis missing, or, as a last
resort, by similarity — and its values by order within the row. Nothing is guessed silently:
every label that was not an exact match, every unit taken off, every cell left blank is listed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import InvalidValue
from ..report import values as V
from ..report.formats import Format, Node, Table
from . import texts as T

# ---------------------------------------------------------------------------------------------
# Normalising labels

_PUNCT = str.maketrans({
    "(": "（", ")": "）", "（": "（", "）": "）", ",": "，", ";": "；", ":": "：", "．": ".", "。": ".",
    "／": "/", "、": "、", "\u201c": "", "\u201d": "", '"': "", "'": "", "\u2018": "", "\u2019": "",
    "「": "", "」": "", "〝": "", "〞": "", "＂": "",
})
_SPACES = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")


def key(text: str) -> str:
    """A label as compared: no spaces or line breaks, one form of each punctuation mark, no quotes,
    full-width digits as ASCII."""
    text = _SPACES.sub("", text or "")
    text = text.translate({ord("０") + i: ord("0") + i for i in range(10)})
    return text.translate(_PUNCT)


_ENUM = re.compile(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d{1,2}[.、])")
_PAREN_TAIL = re.compile(r"（[^（）]*）$")


def _bare(label_key: str) -> str:
    return _ENUM.sub("", label_key)


# ---------------------------------------------------------------------------------------------
# Cells

_BLANK_MARKS = {"/", "／", "-", "－", "—", "——", "--", "–", "无", "\\", "空", "/ ", "×", "─"}
_NUMBER = re.compile(r"^([+\-]?\d[\d,]*(?:\.\d+)?|[+\-]?\.\d+)(万元|元|件|个|项|次|条|人次|宗)?$")


def is_value_text(text: str) -> bool:
    s = _SPACES.sub("", text or "")
    if s == "" or s in _BLANK_MARKS:
        return True
    return bool(_NUMBER.match(V.normalize(s)))


def split_row(cells: list[str]) -> tuple[list[str], list[str]]:
    """(label cells, value cells): the leading run of text cells is the label (after empty cells
    a rowspan left), everything after it holds values — a cell there that is not a number is a
    value that cannot be read, not another label."""
    i = 0
    while i < len(cells) and not _SPACES.sub("", cells[i] or "") and i < len(cells) - 1:
        i += 1
    j = i
    while j < len(cells) and not is_value_text(cells[j]):
        j += 1
    if j == i:  # no label at all (table 四's row of numbers)
        return [], cells[i:] if i else cells
    return cells[i:j], cells[j:]


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class TableResult:
    table: Table
    values: dict = field(default_factory=dict)  # CellKey -> value (typed cells)
    declared: dict = field(default_factory=dict)  # CellKey -> value (totals as published)
    units: dict = field(default_factory=dict)  # "t/r/c" -> unit
    read: set = field(default_factory=set)  # CellKey with a number
    guesses: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)
    used_rows: set = field(default_factory=set)  # indexes into the row stream
    exact_rows: int = 0

    @property
    def expected(self) -> int:
        return len(self.table.cells())

    @property
    def found(self) -> int:
        return len(self.read)

    @property
    def matched(self) -> bool:
        return bool(self.used_rows)


def _leaf_cols(table: Table) -> dict[str, list[Node]]:
    out: dict[str, list[Node]] = {}
    for b in table.blocks:
        cols = b.col_leaves()
        for r in b.row_leaves():
            out[r.id] = cols
    return out


def _row_name(table: Table, leaf: Node) -> str:
    if not leaf.label:
        return T.ROW_APPEALS
    return T.ROW_NAME.format(number=table.number, label=leaf.label)


def _match(label_key: str, last_key: str, leaf: Node) -> tuple[float, str | None]:
    """(score, guess message or None); score 0 = no match."""
    full = key(leaf.label)
    if not full or not label_key:
        return 0.0, None
    if full in label_key:
        return 3 + len(full) / 100, None
    short = _PAREN_TAIL.sub("", full)
    bare = _bare(full)
    if short != full and len(short) >= 4 and label_key.endswith(short):
        return 2.5 + len(short) / 100, T.GUESS_LABEL_TRUNCATED.format(found=last_key, label=leaf.label)
    if len(bare) >= 4 and bare in label_key:
        return 2.4 + len(bare) / 100, None
    if len(bare) >= 3 and _bare(last_key) == bare:
        return 2.3, None
    if len(last_key) >= 4 and (full.startswith(last_key) or bare.startswith(_bare(last_key))) \
            and len(_bare(last_key)) >= max(3, len(bare) * 0.3):
        return 2.0 + len(last_key) / 100, T.GUESS_LABEL_TRUNCATED.format(found=last_key, label=leaf.label)
    if len(bare) >= 4:
        ratio = difflib.SequenceMatcher(None, _bare(last_key), bare, autojunk=False).ratio()
        if ratio >= 0.8:
            return 1.0 + ratio, T.GUESS_LABEL_SIMILAR.format(found=last_key, label=leaf.label)
    return 0.0, None


def read_table(table: Table, rows: list[list[str]], start: int = 0, header_unit: str | None = None) -> TableResult:
    """Read ``table`` from the row stream ``rows`` (texts of cells per row)."""
    res = TableResult(table)
    leaves = table.rows()
    cols_of = _leaf_cols(table)
    if table.id == "appeals" or all(not leaf.label for leaf in leaves):
        _read_unlabelled(table, rows, res, leaves[0], cols_of[leaves[0].id])
        return res
    unit_hint = header_unit or _header_unit(rows)
    done: dict[str, int] = {}
    pointer = 0
    for i, cells in enumerate(rows):
        if i < start:
            continue
        labels, vals = split_row(cells)
        if not labels or not vals:
            continue
        label_key = key("".join(labels))
        last_key = key(labels[-1])
        best = (0.0, None, None, -1)
        for li, leaf in enumerate(leaves):
            score, guess = _match(label_key, last_key, leaf)
            if score <= 0:
                continue
            if li >= pointer:
                score += 0.05
            if leaf.id in done:
                score -= 0.5
            if score > best[0]:
                best = (score, guess, leaf, li)
        score, guess, leaf, li = best
        if leaf is None:
            continue
        if leaf.id in done:
            if guess is None:
                res.skipped.append(T.SKIP_ROW_DUPLICATE.format(label=leaf.label))
                res.used_rows.add(i)
            continue
        done[leaf.id] = i
        pointer = li + 1
        res.used_rows.add(i)
        if guess:
            res.guesses.append(guess)
        else:
            res.exact_rows += 1
        _read_values(table, leaf, cols_of[leaf.id], vals, res, unit_hint)
    for leaf in leaves:
        if leaf.id not in done and res.used_rows:
            res.skipped.append(T.SKIP_ROW_MISSING.format(label=leaf.label))
    return res


def _header_unit(rows: list[list[str]]) -> str | None:
    # 「本年收费金额（单位：元）」: a header that prints 元 where the form says 万元.
    for cells in rows:
        for c in cells:
            k = key(c)
            if "收费金额" in k or "采购总金额" in k:
                if "万元" in k:
                    return "万元"
                if "元" in k:
                    return "元"
    return None


def _read_unlabelled(table: Table, rows, res: TableResult, leaf: Node, cols: list[Node]) -> None:
    anchored = False
    for i, cells in enumerate(rows):
        k = key("".join(cells))
        if "复议" in k or "诉讼" in k:
            anchored = True
        if not anchored:
            continue
        _, vals = split_row(cells)
        if len(vals) >= len(cols) - 5 and any(_SPACES.sub("", v) for v in vals):
            res.used_rows.add(i)
            res.exact_rows += 1
            _read_values(table, leaf, cols, vals, res, None)
            return


def _read_values(table: Table, leaf: Node, cols: list[Node], vals: list[str], res: TableResult,
                 unit_hint: str | None) -> None:
    n = len(cols)
    name = _row_name(table, leaf)
    if len(vals) > n:
        extra = vals[n:]
        if all(not _SPACES.sub("", v) for v in extra):
            res.guesses.append(T.GUESS_EXTRA_CELLS.format(row=name, found=len(vals), expected=n))
        elif all(not _SPACES.sub("", v) for v in vals[: len(vals) - n]) and len(vals) - n <= 2:
            # Leading empty cells (a label column split in two): the values are the last n.
            res.guesses.append(T.GUESS_EXTRA_CELLS.format(row=name, found=len(vals), expected=n))
            vals = vals[len(vals) - n:]
        else:
            res.skipped.append(T.SKIP_EXTRA_CELLS.format(row=name, found=len(vals), expected=n,
                                                         extra="、".join(f"「{v}」" for v in extra)))
        vals = vals[:n]
    elif len(vals) < n:
        res.skipped.append(T.SKIP_FEW_CELLS.format(row=name, found=len(vals), expected=n))
    fmt_derived = _derived(table)
    for col, text in zip(cols, vals):
        cell_key = (table.id, leaf.id, col.id)
        _read_cell(table, cell_key, col, text, res, unit_hint, cell_key in fmt_derived)


_DERIVED_CACHE: dict[str, set] = {}


def _derived(table: Table) -> set:
    from ..report.formats import get_format

    got = _DERIVED_CACHE.get(table.format_id + table.id)
    if got is None:
        fmt = get_format(table.format_id)
        got = {k for k in fmt.derived if k[0] == table.id}
        _DERIVED_CACHE[table.format_id + table.id] = got
    return got


def _read_cell(table: Table, cell_key, col: Node, text: str, res: TableResult, unit_hint: str | None,
               derived: bool) -> None:
    name = table.cell_name(cell_key[1], cell_key[2])
    raw = _SPACES.sub("", text or "")
    if raw == "":
        res.blanks.append(T.BLANK_EMPTY.format(cell=name))
        return
    if raw in _BLANK_MARKS:
        res.blanks.append(T.BLANK_MARK.format(cell=name, text=raw))
        return
    s = V.normalize(raw)
    m = _NUMBER.match(s)
    if not m:
        res.skipped.append(T.SKIP_BAD_VALUE.format(cell=name, text=raw))
        return
    number, unit = m.group(1), m.group(2)
    kind = col.kind or table.kind
    allowed = table.cell_units(cell_key[1], cell_key[2])
    converted = False
    if kind == "money":
        d = Decimal(number.replace(",", ""))
        if unit == "元" and allowed and "元" not in allowed:
            d = d / Decimal(10000)
            res.guesses.append(T.GUESS_UNIT_CONVERTED.format(cell=name, text=raw, value=V.format_value(d)))
            converted = True
        elif unit is None and unit_hint == "元" and allowed and "元" not in allowed:
            d = d / Decimal(10000)
            res.guesses.append(T.GUESS_UNIT_FROM_HEADER.format(cell=name, text=raw, value=V.format_value(d)))
            converted = True
        elif unit and unit in allowed:
            if len(allowed) > 1:
                res.units["/".join(cell_key)] = unit
                res.guesses.append(T.GUESS_UNIT_CHOSEN.format(cell=name, unit=unit))
            elif unit not in "".join(col.path()):
                res.guesses.append(T.GUESS_UNIT.format(cell=name, text=raw, value=number, unit=unit))
        elif unit is None and unit_hint in allowed and len(allowed) > 1:
            res.units["/".join(cell_key)] = unit_hint
            res.guesses.append(T.GUESS_UNIT_CHOSEN.format(cell=name, unit=unit_hint))
        elif unit:
            res.skipped.append(T.SKIP_BAD_VALUE.format(cell=name, text=raw))
            return
        number = V.format_value(d)
    elif unit:
        if unit in ("万元", "元"):
            res.skipped.append(T.SKIP_BAD_VALUE.format(cell=name, text=raw))
            return
        res.guesses.append(T.GUESS_UNIT.format(cell=name, text=raw, value=number, unit=unit))
    try:
        if derived:
            value = V.parse_value(number, kind if kind != "money" else "money", name)
        else:
            value = V.parse_value(number, kind, name)
    except InvalidValue:
        res.skipped.append(T.SKIP_BAD_VALUE.format(cell=name, text=raw))
        return
    if converted and isinstance(value, Decimal) and -value.as_tuple().exponent > V.MAX_DECIMALS:
        value = value.quantize(Decimal(1).scaleb(-V.MAX_DECIMALS))
    res.read.add(cell_key)
    if derived:
        res.declared[cell_key] = value
    else:
        res.values[cell_key] = value


# ---------------------------------------------------------------------------------------------
# Which format the tables follow


def _all_labels(fmt: Format) -> set[str]:
    out = set()
    for t in fmt.tables.values():
        for b in t.blocks:
            stack = list(b.columns) + list(b.rows)
            while stack:
                n = stack.pop()
                if n.label:
                    out.add(key(n.label))
                stack.extend(n.children)
    return out


def distinctive_labels(fmt: Format, others: list[Format]) -> set[str]:
    """Labels of ``fmt`` that no other format prints (not even inside a longer label)."""
    mine = _all_labels(fmt)
    theirs = set().union(*(_all_labels(o) for o in others)) if others else set()
    return {m for m in mine if not any(m in t for t in theirs)}


def format_score(fmt: Format, others: list[Format], cell_keys: list[str]) -> int:
    score = 0
    for label in distinctive_labels(fmt, others):
        bare = _bare(label)
        for c in cell_keys:
            if label in c or (len(c) >= 4 and label.startswith(c) and len(c) >= len(label) * 0.6) \
                    or (len(bare) >= 4 and bare in c):
                score += 1
                break
    return score
