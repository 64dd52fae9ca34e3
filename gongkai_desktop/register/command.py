"""``gongkai ledger FILE --year Y [--map MAP.json] [--json] [--into ID]`` (cli.py calls this)."""

from __future__ import annotations

import json
import sys
from typing import Callable

from ..errors import InvalidValue
from ..report.formats import format_for_year
from . import texts as T
from .ledger import TABLE_ID, LedgerError, changes_for, compare, count, load_map

CLI_HELP = "从依申请公开登记台账（.xlsx/.xls/.ods/.csv）计算表三；--into 写入年报"
CLI_FILE = "台账文件"
CLI_YEAR = "统计的年度"
CLI_MAP = "列名和办理结果的对照文件（JSON），见 README"
CLI_JSON = "以 JSON 格式输出表三和未能计入的行"
CLI_INTO = "把计算结果写入该编号的年报（只改表三中不同的单元格），并与已填写的表三比较"


def run(path: str, year: int, map_path: str | None, as_json: bool, into: int | None, open_store: Callable,
        out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    fmt = format_for_year(year)
    mapping = load_map(map_path, fmt.tables[TABLE_ID]) if map_path else None
    report = None
    if into is not None:
        with open_store() as store:
            report = store.load(into)
        if report.meta.year != year:
            raise LedgerError(T.NOT_A_REPORT_OF_YEAR.format(id=into, report_year=report.meta.year, year=year))
        fmt = report.format
    result = count(path, year, mapping, fmt=fmt)
    if as_json:
        out.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(_table_lines(result)) + "\n")
    err.write("\n".join(result.summary_lines()) + "\n")
    if report is not None:
        diffs = compare(report, result)
        if diffs:
            err.write(T.COMPARE_HEAD.format(id=into, count=len(diffs)) + "\n")
            for name, typed, n in diffs:
                err.write(T.COMPARE_LINE.format(cell=name, typed=T.BLANK if typed is None else typed, computed=n) + "\n")
        else:
            err.write(T.COMPARE_SAME.format(id=into) + "\n")
        changes = changes_for(report, result)
        for key, value in changes:  # validated before the first write: every value is a count
            report.parse(key, value)
        if not changes:
            err.write(T.INTO_NOTHING.format(id=into) + "\n")
            return 0
        with open_store() as store:
            for key, value in changes:
                store.set_value(into, key, value)
        err.write(T.INTO_DONE.format(id=into, count=len(changes)) + "\n")
    return 0


def _table_lines(result) -> list[str]:
    table = result.table
    cols = [c for c in table.columns()]
    lines = ["\t".join([""] + [c.label for c in cols])]
    fmt = table
    for r in table.rows():
        cells = []
        for c in cols:
            v = result.values.get((r.id, c.id))
            if v is None:  # a total: the sum of its parts, as the report computes it
                v = _derived(result, r.id, c.id)
            cells.append(str(v))
        lines.append("\t".join(["".join(r.path()[-1:])] + cells))
    return lines


def _derived(result, row_id: str, col_id: str) -> int:
    from ..report.formats import get_format

    fmt = get_format(result.format_id)
    inst = fmt.derived.get((TABLE_ID, row_id, col_id))
    if inst is None:
        return 0
    total = 0
    for term in inst.right:
        _, r, c = term.key
        v = result.values.get((r, c))
        total += term.sign * (v if v is not None else _derived(result, r, c))
    return total
