"""``gongkai ledger FILE --year Y [--map MAP.json] [--json] [--into ID]`` (cli.py calls this)."""

from __future__ import annotations

import json
import sys
from typing import Callable

from ..report.formats import format_for_year
from . import texts as T
from .ledger import TABLE_ID, LedgerError, changes_for, compare, count, load_map

# The command line's wording lives in texts.py; cli.py reads it from here.
CLI_HELP, CLI_FILE, CLI_YEAR, CLI_MAP, CLI_JSON, CLI_INTO = (
    T.CLI_HELP, T.CLI_FILE, T.CLI_YEAR, T.CLI_MAP, T.CLI_JSON, T.CLI_INTO)


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
            store.set_values(into, changes)  # one transaction: all of 表三 or nothing
        err.write(T.INTO_DONE.format(id=into, count=len(changes)) + "\n")
    return 0


def _table_lines(result) -> list[str]:
    table = result.table
    cols = [c for c in table.columns()]
    lines = ["\t".join([""] + [c.label for c in cols])]
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
