"""The national report formats, loaded from the JSON files in ``forms/``.

``forms/`` is the single source of truth: sections, tables (row and column trees with the exact
official labels), cell kinds and rules all come from there.  This module turns that data into
objects and derives what every consumer needs from it — the printed grid with its merged cells,
the list of value cells, which cells are derived totals, the rules with their templates expanded
to concrete cell references — and validates that every id the data mentions exists, so a broken
format file fails at load time, not in the middle of an export.

A new national format is a new JSON file; nothing here should need to change.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import FormatError, YearError
from .. import texts as T
from .fields import META_FIELDS as _META_FIELDS

CellKey = tuple[str, str, str]  # (table id, row id, column id)

KINDS = ("count", "signed", "money")
SEVERITIES = ("error", "warning", "info")


def forms_dir() -> Path:
    """Where the format files are: the repository's ``forms/`` in a source checkout, the
    package's ``forms`` folder when installed or frozen, or ``GONGKAI_FORMS_DIR``."""
    env = os.environ.get("GONGKAI_FORMS_DIR")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "forms", here.parents[1] / "forms"):
        if (candidate / "gb2021.json").is_file():
            return candidate
    raise FormatError(T.FORMS_MISSING)


# ---------------------------------------------------------------------------------------------
# Header trees


@dataclass
class Node:
    """One header node: a leaf (with an id) is a value row or column; a branch groups leaves."""

    label: str
    id: str | None = None
    children: list["Node"] = field(default_factory=list)
    span: int = 1  # grid columns a leaf column covers (table 二's merged value cells)
    kind: str | None = None
    unit: str | None = None
    units: tuple[str, ...] = ()
    parent: "Node | None" = field(default=None, repr=False)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def leaves(self) -> Iterator["Node"]:
        if self.is_leaf:
            yield self
        else:
            for child in self.children:
                yield from child.leaves()

    def depth(self) -> int:
        return 1 if self.is_leaf else 1 + max(c.depth() for c in self.children)

    def width(self) -> int:
        return self.span if self.is_leaf else sum(c.width() for c in self.children)

    def path(self) -> list[str]:
        """Labels from the top of the tree down to this node."""
        out: list[str] = []
        node: Node | None = self
        while node is not None:
            if node.label:
                out.append(node.label)
            node = node.parent
        return out[::-1]


def _node(data: dict, parent: Node | None, where: str) -> Node:
    if not isinstance(data, dict) or "label" not in data:
        raise FormatError(f"{where}: 每个表头节点都需要 label")
    node = Node(
        label=data["label"],
        id=data.get("id"),
        span=int(data.get("span", 1)),
        kind=data.get("kind"),
        unit=data.get("unit"),
        units=tuple(data.get("units", ())),
        parent=parent,
    )
    node.children = [_node(c, node, where) for c in data.get("children", [])]
    if node.is_leaf and not node.id:
        raise FormatError(f"{where}: 叶节点「{node.label}」没有 id")
    if node.kind and node.kind not in KINDS:
        raise FormatError(f"{where}: 未知的单元格类型 {node.kind}")
    return node


# ---------------------------------------------------------------------------------------------
# Tables and their printed grid


@dataclass(frozen=True)
class GridCell:
    """One cell of the printed grid (top-left corner of a merged area)."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    header: bool = False
    value: CellKey | None = None  # set for the cells that hold a number


@dataclass
class Grid:
    n_rows: int
    n_cols: int
    cells: list[GridCell]
    header_rows: int  # leading rows that repeat when the table crosses a page

    def at(self, row: int, col: int) -> GridCell | None:
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.rowspan and cell.col <= col < cell.col + cell.colspan:
                return cell
        return None


@dataclass
class Block:
    """A piece of a table with its own header: table 二 has one per 条例 item, 三 and 四 one."""

    caption: str | None
    corner: str | None
    columns: list[Node]
    rows: list[Node]

    def col_leaves(self) -> list[Node]:
        return [leaf for n in self.columns for leaf in n.leaves()]

    def row_leaves(self) -> list[Node]:
        return [leaf for n in self.rows for leaf in n.leaves()]

    def col_depth(self) -> int:
        return max(n.depth() for n in self.columns)

    def row_depth(self) -> int:
        # Table 四 has a single unlabelled row: no row header at all.
        if all(not leaf.label for leaf in self.row_leaves()) and all(n.is_leaf for n in self.rows):
            return 0
        return max(n.depth() for n in self.rows)


@dataclass
class Table:
    id: str
    number: str  # 二 / 三 / 四
    name: str
    kind: str
    blocks: list[Block]
    format_id: str = ""

    def __post_init__(self) -> None:
        # Lookups happen per cell on every check and keystroke: index the trees once.
        self._rows: dict[str, Node] = {}
        self._cols: dict[str, Node] = {}
        self._cell_col: dict[tuple[str, str], Node] = {}
        self._cells: list[CellKey] = []
        for b in self.blocks:
            cols = b.col_leaves()
            for c in cols:
                self._cols.setdefault(c.id, c)
            for r in b.row_leaves():
                self._rows[r.id] = r
                for c in cols:
                    self._cell_col[(r.id, c.id)] = c
                    self._cells.append((self.id, r.id, c.id))
        self._names: dict[tuple[str, str], str] = {}

    # -- ids ------------------------------------------------------------------------------------
    def rows(self) -> list[Node]:
        return list(self._rows.values())

    def row(self, row_id: str) -> Node:
        return self._rows[row_id]

    def columns(self) -> list[Node]:
        """Distinct column leaves in order of first appearance (blocks may repeat a column)."""
        return list(self._cols.values())

    def column_for(self, row_id: str, col_id: str) -> Node:
        try:
            return self._cell_col[(row_id, col_id)]
        except KeyError:
            raise KeyError((row_id, col_id)) from None

    def cells(self) -> list[CellKey]:
        """Every value cell, in reading order (row by row)."""
        return list(self._cells)

    def has_cell(self, row_id: str, col_id: str) -> bool:
        return (row_id, col_id) in self._cell_col

    def cell_kind(self, row_id: str, col_id: str) -> str:
        return self.column_for(row_id, col_id).kind or self.kind

    def cell_units(self, row_id: str, col_id: str) -> tuple[str, ...]:
        col = self.column_for(row_id, col_id)
        if col.units:
            return col.units
        return (col.unit,) if col.unit else ()

    def cell_name(self, row_id: str, col_id: str) -> str:
        """How a message names a cell: 「表三 …行 · …列」, short but unambiguous."""
        cached = self._names.get((row_id, col_id))
        if cached is not None:
            return cached
        row = self.row(row_id)
        col = self.column_for(row_id, col_id)
        row_part = _short_label(row, self.rows())
        col_part = _short_label(col, self.columns())
        parts = [f"表{self.number}"]
        if row_part:
            parts.append(f"「{row_part}」")
        parts.append(f"「{col_part}」")
        name = self._names[(row_id, col_id)] = "".join(parts)
        return name

    # -- the printed grid -------------------------------------------------------------------------
    @property
    def grid(self) -> Grid:
        return _build_grid(self)


def _short_label(node: Node, siblings: list[Node]) -> str:
    """The leaf label, prefixed by its parent where the leaf alone is ambiguous: an enumerated
    item (「1.属于国家秘密」) or a label that occurs more than once (表四's three 「结果维持」)."""
    label = node.label
    parent = node.parent
    repeated = sum(1 for n in siblings if n.label == label) > 1
    if parent is not None and parent.label and (label[:1].isdigit() or repeated):
        return f"{parent.label}·{label}"
    return label


def _build_grid(table: Table) -> Grid:
    widths = set()
    for b in table.blocks:
        widths.add(b.row_depth() + sum(c.width() for c in b.columns))
    if len(widths) != 1:
        raise FormatError(f"表{table.number}: 各部分的列数不一致 {sorted(widths)}")
    n_cols = widths.pop()
    cells: list[GridCell] = []
    r = 0
    header_rows = 0
    for bi, b in enumerate(table.blocks):
        rd = b.row_depth()
        cd = b.col_depth()
        if b.caption is not None:
            cells.append(GridCell(r, 0, 1, n_cols, b.caption, header=True))
            r += 1
        # corner cell over the row header
        if rd:
            cells.append(GridCell(r, 0, cd, rd, b.corner or "", header=True))

        def place_cols(nodes: list[Node], row: int, col: int) -> None:
            for n in nodes:
                w = n.width()
                if n.is_leaf:
                    cells.append(GridCell(row, col, cd - (row - r_top), w, n.label, header=True))
                else:
                    cells.append(GridCell(row, col, 1, w, n.label, header=True))
                    place_cols(n.children, row + 1, col)
                col += w

        r_top = r
        place_cols(b.columns, r, rd)
        r += cd
        if bi == 0:
            header_rows = r
        cols = b.col_leaves()

        def place_rows(nodes: list[Node], row: int, col: int) -> int:
            for n in nodes:
                if n.is_leaf:
                    if rd:
                        cells.append(GridCell(row, col, 1, rd - col, n.label, header=True))
                    c = rd
                    for leaf in cols:
                        cells.append(GridCell(row, c, 1, leaf.span, "", value=(table.id, n.id, leaf.id)))
                        c += leaf.span
                    row += 1
                else:
                    n_leaves = sum(1 for _ in n.leaves())
                    cells.append(GridCell(row, col, n_leaves, 1, n.label, header=True))
                    row = place_rows(n.children, row, col + 1)
            return row

        r = place_rows(b.rows, r, 0)
    # Table 二's blocks each carry their own header; only a single-block table repeats its header.
    if len(table.blocks) > 1:
        header_rows = 0
    return Grid(r, n_cols, cells, header_rows)


# ---------------------------------------------------------------------------------------------
# Sections


@dataclass
class Section:
    id: str
    heading: str
    text: str  # "required" | "optional" | "none"
    guidance: str
    table: str | None = None
    nav: str = ""  # the short name the window's navigator shows (「三、依申请公开」); the heading when absent
    length_hint: str = ""  # a length the text should have, shown beside its count (「宜约1000字」)
    guidance_by_organ_type: dict[str, str] = field(default_factory=dict)
    scaffold: list[str] = field(default_factory=list)
    scaffold_by_organ_type: dict[str, list[str]] = field(default_factory=dict)

    def guidance_for(self, organ_type: str | None) -> str:
        extra = self.guidance_by_organ_type.get(organ_type or "")
        return f"{self.guidance}\n\n{extra}" if extra else self.guidance

    def scaffold_for(self, organ_type: str | None) -> list[str]:
        return self.scaffold_by_organ_type.get(organ_type or "", self.scaffold)


# ---------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class Term:
    """One cell reference in a rule: ``sign`` × the cell, in this report or last year's."""

    key: CellKey
    sign: int = 1
    prev: bool = False


@dataclass
class RuleInstance:
    """A rule template expanded for one binding of its ``each`` variable."""

    rule: "Rule"
    binding: str  # stable text for the binding, e.g. "col=natural_person"
    left: list[Term] = field(default_factory=list)
    right: list[Term] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.rule.id}:{self.binding}" if self.binding else self.rule.id


@dataclass
class Rule:
    id: str
    kind: str
    severity: str
    title: str
    data: dict
    instances: list[RuleInstance] = field(default_factory=list)
    prepared: object = field(default=None, repr=False)  # the rule kind's compiled data (rules.KINDS)

META_FIELDS = {f.name for f in _META_FIELDS}  # the names a rule may require (report/fields.py)


# ---------------------------------------------------------------------------------------------
# The format


@dataclass
class Format:
    id: str
    name: str
    notice: str
    year_from: int
    year_to: int | None
    title_template: str
    organ_types: list[tuple[str, str]]
    sections: list[Section]
    tables: dict[str, Table]
    rules: list[Rule]
    glossary: dict[str, str]
    raw: dict = field(repr=False, default_factory=dict)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def table(self, table_id: str) -> Table:
        return self.tables[table_id]

    def cells(self) -> list[CellKey]:
        return [k for t in self.tables.values() for k in t.cells()]

    def has_cell(self, key: CellKey) -> bool:
        t = self.tables.get(key[0])
        return t is not None and (key[1], key[2]) in t._cell_col

    def cell_name(self, key: CellKey) -> str:
        return self.tables[key[0]].cell_name(key[1], key[2])

    def cell_kind(self, key: CellKey) -> str:
        if key in self.derived:
            return "derived"
        return self.tables[key[0]].cell_kind(key[1], key[2])

    def organ_type_label(self, type_id: str | None) -> str:
        return dict(self.organ_types).get(type_id or "", type_id or "")

    def title_for(self, organ: str, year: int) -> str:
        return self.title_template.format(organ=organ, year=year)

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    @property
    def derived(self) -> dict[CellKey, RuleInstance]:
        """Cells computed from others (the totals), each with the rule instance that computes it.

        A cell that two rules total (表三 总计×（七）总计) keeps the first; the second agrees by
        arithmetic."""
        return self._derived

    def carry_pairs(self) -> list[tuple[CellKey, CellKey]]:
        """(last year's cell, this year's cell) pairs copied when a report is carried over to the
        next year (表三 四、结转下年度继续办理 → 二、上年结转), from the format's ``carry_over``."""
        if not self._carry:
            return []
        # A derived target (the 总计 column) follows from its parts.
        return [(inst.left[0].key, inst.right[0].key) for inst in self._carry.instances
                if inst.right[0].key not in self._derived]

    @property
    def key_figures(self) -> tuple["KeyFigure", ...]:
        """The figures reviewers quote (forms/ ``key_figures``), in the order the dashboard shows them."""
        return self._key_figures  # type: ignore[attr-defined]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def ids(self) -> set[str]:
        """Every id this format defines, qualified: ``table:T``, ``cell:T/R/C``, ``section:S``,
        ``rule:R``, ``organ_type:X`` — what the cross-reference test checks against."""
        out = {f"table:{t}" for t in self.tables}
        out |= {f"cell:{t}/{r}/{c}" for (t, r, c) in self.cells()}
        out |= {f"row:{t}/{r.id}" for t, tab in self.tables.items() for r in tab.rows()}
        out |= {f"column:{t}/{c.id}" for t, tab in self.tables.items() for c in tab.columns()}
        out |= {f"section:{s.id}" for s in self.sections}
        out |= {f"rule:{r.id}" for r in self.rules}
        out |= {f"organ_type:{o}" for o, _ in self.organ_types}
        return out


def _expand(rule: Rule, tables: dict[str, Table], where: str) -> None:
    data = rule.data
    if rule.kind not in ("sum_equal", "total"):
        return
    table = tables.get(data.get("table", ""))
    if table is None:
        raise FormatError(f"{where}: 规则 {rule.id} 引用了不存在的表格 {data.get('table')}")
    each = data.get("each") or {}
    if len(each) > 1:
        raise FormatError(f"{where}: 规则 {rule.id} 的 each 只能有一个变量")
    bindings: list[dict[str, str]] = [{}]
    if each:
        (var, values), = each.items()
        if values == "*":
            values = [c.id for c in table.columns()] if var == "col" else [r.id for r in table.rows()]
        bindings = [{var: v} for v in values]

    def term(text: str, b: dict[str, str]) -> Term:
        sign = 1
        if text.startswith("-"):
            sign, text = -1, text[1:]
        prev = text.startswith("prev:")
        if prev:
            text = text[5:]
        ref = text.format(**b)
        if "/" not in ref:
            raise FormatError(f"{where}: 规则 {rule.id} 的单元格引用 {ref} 应为 行/列")
        row_id, col_id = ref.split("/", 1)
        if not table.has_cell(row_id, col_id):
            raise FormatError(f"{where}: 规则 {rule.id} 引用了不存在的单元格 {table.id}/{ref}")
        return Term((table.id, row_id, col_id), sign, prev)

    for b in bindings:
        binding = ",".join(f"{k}={v}" for k, v in b.items())
        if rule.kind == "total":
            left = [term(data["target"], b)]
            right = [term(p, b) for p in data["parts"]]
        else:
            left = [term(p, b) for p in data["left"]]
            right = [term(p, b) for p in data["right"]]
        rule.instances.append(RuleInstance(rule, binding, left, right))


def parse_format(data: dict, where: str = "format") -> Format:
    """Build and validate a :class:`Format` from the JSON data of one file."""
    try:
        if data.get("kind") != "gongkai-format":
            raise FormatError(f"{where}: 不是格式文件")
        tables: dict[str, Table] = {}
        for tid, t in data["tables"].items():
            blocks = [
                Block(
                    caption=b.get("caption"),
                    corner=b.get("corner"),
                    columns=[_node(c, None, where) for c in b["columns"]],
                    rows=[_node(r, None, where) for r in b["rows"]],
                )
                for b in t["blocks"]
            ]
            tables[tid] = Table(tid, t["number"], t["name"], t.get("kind", "count"), blocks, data["id"])
            rows = [r.id for r in tables[tid].rows()]
            if len(rows) != len(set(rows)):
                raise FormatError(f"{where}: 表格 {tid} 有重复的行 id")
            tables[tid].grid  # noqa: B018 — builds and checks the widths
        sections = [
            Section(
                id=s["id"], heading=s["heading"], text=s.get("text", "required"),
                guidance=s.get("guidance", ""), table=s.get("table"),
                nav=s.get("nav") or s["heading"], length_hint=s.get("length_hint", ""),
                guidance_by_organ_type=s.get("guidance_by_organ_type", {}),
                scaffold=s.get("scaffold", []),
                scaffold_by_organ_type=s.get("scaffold_by_organ_type", {}),
            )
            for s in data["sections"]
        ]
        for s in sections:
            if s.table and s.table not in tables:
                raise FormatError(f"{where}: 章节 {s.id} 引用了不存在的表格 {s.table}")
        organ_types = [(o["id"], o["label"]) for o in data["organ_types"]]
        section_ids = {s.id for s in sections}
        from .rules import KINDS as RULE_KINDS  # the one list of rule kinds, beside their code

        rules = []
        for r in data["rules"]:
            if r["kind"] not in RULE_KINDS:
                raise FormatError(f"{where}: 规则 {r['id']} 的类型 {r['kind']} 未知")
            if r["severity"] not in SEVERITIES:
                raise FormatError(f"{where}: 规则 {r['id']} 的严重程度 {r['severity']} 未知")
            if r.get("section") and r["section"] not in section_ids:
                raise FormatError(f"{where}: 规则 {r['id']} 引用了不存在的章节 {r['section']}")
            for f in r.get("fields", []):
                if f not in META_FIELDS:
                    raise FormatError(f"{where}: 规则 {r['id']} 引用了未知的字段 {f}")
            for ot in (r.get("when") or {}).get("organ_type", []):
                if ot not in dict(organ_types):
                    raise FormatError(f"{where}: 规则 {r['id']} 引用了未知的机关类型 {ot}")
            rule = Rule(r["id"], r["kind"], r["severity"], r.get("title", r["id"]), r)
            _expand(rule, tables, where)
            rules.append(rule)
        fmt = Format(
            id=data["id"], name=data["name"], notice=data.get("notice", ""),
            year_from=int(data["years"]["from"]),
            year_to=None if data["years"].get("to") is None else int(data["years"]["to"]),
            title_template=data["title"], organ_types=organ_types, sections=sections,
            tables=tables, rules=rules, glossary=data.get("glossary", {}), raw=data,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FormatError(f"{where}: 格式文件不完整（{exc!r}）") from exc
    derived: dict[CellKey, RuleInstance] = {}
    for rule in fmt.rules:
        if rule.kind == "total":
            for inst in rule.instances:
                derived.setdefault(inst.left[0].key, inst)
    fmt._derived = derived  # type: ignore[attr-defined]
    carry = data.get("carry_over")
    fmt._carry = None  # type: ignore[attr-defined]
    if carry:
        # Expanded like a rule so its cell references are validated the same way.
        spec = dict(carry, left=[carry["from"]], right=[carry["to"]])
        fmt._carry = Rule("carry_over", "sum_equal", "info", carry.get("title", ""), spec)  # type: ignore[attr-defined]
        _expand(fmt._carry, fmt.tables, where)  # type: ignore[attr-defined]
    fmt._key_figures = _key_figures(data.get("key_figures", []), fmt, where)  # type: ignore[attr-defined]
    for rule in fmt.rules:
        prepare = RULE_KINDS[rule.kind][1]
        if prepare is not None:
            try:
                rule.prepared = prepare(rule, fmt, where)
            except (KeyError, TypeError, ValueError) as exc:
                raise FormatError(f"{where}: 规则 {rule.id} 的参数不完整（{exc!r}）") from exc
    return fmt


@dataclass(frozen=True)
class KeyFigure:
    """A figure reviewers quote from the tables (新收, 办结, 复议 …): the sum of ``cells``.

    Declared per format in forms/ (``key_figures``) so the collection's dashboard, the 解读 and
    anything else that names "the number of applications received" read the same cells."""

    id: str
    label: str
    cells: tuple[CellKey, ...]


def _key_figures(items: list, fmt: "Format", where: str) -> tuple[KeyFigure, ...]:
    out = []
    for item in items:
        cells = tuple(tuple(ref.split("/")) for ref in item["sum"])
        for key in cells:
            if len(key) != 3 or not fmt.has_cell(key):  # type: ignore[arg-type]
                raise FormatError(f"{where}: key_figures {item['id']} 引用了不存在的单元格 {'/'.join(key)}")
        out.append(KeyFigure(item["id"], item["label"], cells))  # type: ignore[arg-type]
    return tuple(out)


@lru_cache(maxsize=None)
def all_formats() -> tuple[Format, ...]:
    """Every format in ``forms/``, oldest first."""
    out = []
    for path in sorted(forms_dir().glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("kind") == "gongkai-format":
            out.append(parse_format(data, path.name))
    out.sort(key=lambda f: f.year_from)
    return tuple(out)


def get_format(format_id: str) -> Format:
    f = _formats_by_id().get(format_id)
    if f is not None:
        return f
    raise FormatError(T.UNKNOWN_FORMAT.format(format_id=format_id))


@lru_cache(maxsize=None)
def _formats_by_id() -> dict[str, Format]:
    return {f.id: f for f in all_formats()}


def format_ids() -> list[str]:
    return [f.id for f in all_formats()]


def latest_allowed_year(today: _dt.date | None = None) -> int:
    """Reports cover a finished year, but a clerk may start the current year's draft early."""
    today = today or _dt.date.today()
    return today.year


def format_for_year(year: int, today: _dt.date | None = None) -> Format:
    """The format that governs report year ``year``; refuses years before 2019 or in the future."""
    first = all_formats()[0].year_from
    if year < first:
        raise YearError(T.YEAR_TOO_EARLY.format(year=year, first=first))
    if year > latest_allowed_year(today):
        raise YearError(T.YEAR_IN_FUTURE.format(year=year))
    for f in reversed(all_formats()):
        if f.covers(year):
            return f
    raise YearError(T.YEAR_NO_FORMAT.format(year=year))


def iter_ids_used_in(fmt: Format) -> Iterable[str]:
    """Qualified ids the format's own rules reference (for the cross-reference test)."""
    for rule in fmt.rules:
        for inst in rule.instances:
            for term in inst.left + inst.right:
                t, r, c = term.key
                yield f"cell:{t}/{r}/{c}"
        for key in ("section", "problems_section"):
            if rule.data.get(key):
                yield f"section:{rule.data[key]}"
        if (rule.data.get("length_limit") or {}).get("section"):
            yield f"section:{rule.data['length_limit']['section']}"
        for sid in rule.data.get("opening_sections", []):
            if sid != "meta":  # the opening paragraph, edited with the 基本信息
                yield f"section:{sid}"
    for src, dst in fmt.carry_pairs():
        yield "cell:" + "/".join(src)
        yield "cell:" + "/".join(dst)
    for fig in fmt.key_figures:
        for key in fig.cells:
            yield "cell:" + "/".join(key)
