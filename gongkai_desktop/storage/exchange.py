"""Exchange files: the JSON that offices send each other (documented in docs/exchange-format.md).

This module is the bytes-and-files half: size, encoding, JSON syntax (duplicate keys kept for
the validation to refuse), atomic writing and the proposed file name. What the JSON means, and
its validation, is :mod:`gongkai_desktop.report.codec`, shared with the store and the window.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ImportRejected, YearError
from ..report import codec
from ..report.model import Report
from .fileio import os_error_text, safe_filename, write_atomic
from .. import texts as T

MAX_FILE_BYTES = 10 * 1024 * 1024
SUFFIX = ".json"


# ---------------------------------------------------------------------------------------------
# Writing


def dumps(report: Report) -> str:
    return json.dumps(codec.report_to_dict(report), ensure_ascii=False, indent=2) + "\n"


def dump_file(report: Report, path: str | os.PathLike) -> None:
    write_atomic(path, dumps(report).encode("utf-8"))


def default_name(organ: str, year: int) -> str:
    """The file name the CLI and the window propose for a report's exchange file: the report's
    title (the format of that year words it), like every other file the app proposes."""
    from ..report.formats import all_formats, format_for_year

    try:
        fmt = format_for_year(year)
    except YearError:
        fmt = all_formats()[-1]
    return safe_filename(fmt.title_for(organ, year), SUFFIX)


# ---------------------------------------------------------------------------------------------
# Reading


class _Unreadable(ValueError):
    """Raised inside json.loads with a message that is already Chinese."""


def loads(data: bytes | str, *, today: _dt.date | None = None) -> tuple[Report, list[str]]:
    """Parse an exchange file. Returns the report and notes (e.g. stripped control characters).

    Raises :class:`ImportRejected` listing every problem when anything is wrong. One UTF-8 byte
    order mark (Windows Notepad writes one) is accepted; anything after it must be plain JSON."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(T.IMPORT_TOO_BIG.format(size=len(data), limit=MAX_FILE_BYTES))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(T.IMPORT_NOT_UTF8.format(detail=T.IMPORT_BAD_BYTE.format(offset=exc.start + 1))) from None
    if text.startswith("\ufeff"):
        raise ImportRejected(T.IMPORT_BOM)
    try:
        doc = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant,
                         object_pairs_hook=codec.pairs_hook)
    except json.JSONDecodeError as exc:
        raise ImportRejected(T.IMPORT_BAD_JSON.format(line=exc.lineno, col=exc.colno, msg=_json_msg(exc.msg))) from None
    except _Unreadable as exc:
        raise ImportRejected(T.IMPORT_BAD_JSON_AT.format(msg=exc)) from None
    except RecursionError:
        raise ImportRejected(T.IMPORT_BAD_JSON_AT.format(msg=T.JSON_TOO_DEEP)) from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise ImportRejected(T.IMPORT_BAD_JSON_AT.format(msg=T.JSON_NUMBER)) from None
    return codec.report_from_dict(doc, today=today)


def _reject_constant(name: str) -> Any:
    raise _Unreadable(T.JSON_CONSTANT.format(name=name))


def _json_msg(msg: str) -> str:
    for en, zh in T.JSON_ERRORS.items():
        if msg.startswith(en):
            return zh
    return T.JSON_OTHER


def load_file(path: str | os.PathLike, *, today: _dt.date | None = None) -> tuple[Report, list[str]]:
    """Read an exchange file from disk (size checked before reading it all)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRejected(T.IMPORT_TOO_BIG.format(size=size, limit=MAX_FILE_BYTES))
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportRejected(T.CLI_CANNOT_READ.format(path=path, detail=os_error_text(exc))) from None
    return loads(data, today=today)
