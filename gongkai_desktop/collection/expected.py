"""The list of organs that must report (应报送单位名单): CSV or a spreadsheet with a name column
and, optionally, a type column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import GongkaiError
from ..register.ledger import read_rows
from ..report.formats import Format
from . import texts as T
from .names import organ_key

NAME_HEADERS = ("单位名称", "单位", "机关名称", "报送单位", "名称")
TYPE_HEADERS = ("单位类型", "类型", "机关类型")


class ExpectedListError(GongkaiError):
    """The expected list cannot be read; nothing was changed."""


def _name_header_score(rows: list[list[object]]) -> int:
    """A sheet whose first row names the organs wins (a workbook may hold other sheets)."""
    first = [organ_key(str(c or "")) for c in (rows[0] if rows else [])]
    return sum(1 for h in NAME_HEADERS + TYPE_HEADERS if h in first)


@dataclass(frozen=True)
class ExpectedOrgan:
    organ: str
    organ_type: str | None  # a format's organ-type id, None when the list does not say


def _type_id(value: str, fmt: Format) -> str | None:
    v = organ_key(value)
    if not v:
        return None
    for type_id, label in fmt.organ_types:
        if v in (organ_key(label), type_id) or organ_key(label).startswith(v):
            return type_id
    return None


def read_expected(path: str | Path, fmt: Format) -> tuple[list[ExpectedOrgan], list[str]]:
    """(organs, notes). Raises :class:`ExpectedListError` with a Chinese message."""
    # The register's reader: CSV in UTF-8 or GBK, spreadsheets through python-calamine, the sheet
    # whose header names the organs, its limits and its Chinese refusals.
    rows = read_rows(path, T.EXPECT_WHAT, score=_name_header_score)
    rows = [["" if c is None else str(c).strip() for c in r] for r in rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return [], []
    header = [organ_key(c) for c in rows[0]]
    name_col = next((header.index(h) for h in NAME_HEADERS if h in header), None)
    if name_col is None:
        raise ExpectedListError(T.EXPECT_NO_ORGAN_COLUMN)
    type_col = next((header.index(h) for h in TYPE_HEADERS if h in header), None)
    organs, notes, seen = [], [], {}
    for n, row in enumerate(rows[1:], start=2):
        name = row[name_col] if name_col < len(row) else ""
        if not name:
            continue
        if organ_key(name) in seen:
            first, other = seen[organ_key(name)]
            if other != name:  # the same organ written twice differently: say so, count once
                notes.append(T.EXPECT_DUPLICATE.format(row=n, organ=name, first=first, other=other))
            continue
        seen[organ_key(name)] = (n, name)
        type_id = None
        if type_col is not None and type_col < len(row) and row[type_col]:
            type_id = _type_id(row[type_col], fmt)
            if type_id is None:
                notes.append(T.EXPECT_UNKNOWN_TYPE.format(row=n, value=row[type_col], default="未注明类型"))
        organs.append(ExpectedOrgan(name, type_id))
    return organs, notes
