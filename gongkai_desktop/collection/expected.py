"""The list of organs that must report (应报送单位名单): CSV or a spreadsheet with a name column
and, optionally, a type column."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import GongkaiError
from ..report.formats import Format
from . import texts as T
from .names import organ_key

NAME_HEADERS = ("单位名称", "单位", "机关名称", "报送单位", "名称")
TYPE_HEADERS = ("单位类型", "类型", "机关类型")
MAX_BYTES = 20 * 1024 * 1024


class ExpectedListError(GongkaiError):
    """The expected list cannot be read; nothing was changed."""


@dataclass(frozen=True)
class ExpectedOrgan:
    organ: str
    organ_type: str | None  # a format's organ-type id, None when the list does not say


def _rows_from_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ExpectedListError(T.EXPECT_UNREADABLE.format(detail="编码无法识别"))
    return [row for row in csv.reader(io.StringIO(text))]


def _rows_from_sheet(path: Path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        rows = book.get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine raises its own types for broken files
        raise ExpectedListError(T.EXPECT_UNREADABLE.format(detail=type(exc).__name__)) from None
    return [["" if v is None else str(v) for v in row] for row in rows]


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
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise ExpectedListError(T.PATH_MISSING.format(path=path)) from None
    if size > MAX_BYTES:
        raise ExpectedListError(T.EXPECT_UNREADABLE.format(detail="文件过大"))
    if path.suffix.lower() in (".csv", ".txt"):
        rows = _rows_from_csv(path.read_bytes())
    else:
        rows = _rows_from_sheet(path)
    rows = [[c.strip() for c in r] for r in rows if any(c.strip() for c in r)]
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
