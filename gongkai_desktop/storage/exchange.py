"""Exchange files: the JSON that offices send each other (documented in docs/exchange-format.md).

Reading validates everything before anything is built, and collects every problem with the
place it was found, so a clerk gets one message listing what is wrong and the store is never
touched by a bad file.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..report import values as V
from ..errors import ImportRejected, InvalidValue, YearError
from .fileio import write_atomic
from ..report.formats import Format, format_for_year, format_ids, get_format
from ..report.model import MAX_TEXT, Meta, Report, parse_date, strip_unwritable
from .. import texts as T

KIND = "gongkai-report"
SCHEMA = 1
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 20



# ---------------------------------------------------------------------------------------------
# Writing


def to_dict(report: Report) -> dict:
    fmt = report.format
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for key in fmt.cells():
        t, r, c = key
        v = report.value(key)
        money = key not in fmt.derived and fmt.cell_kind(key) == "money"
        tables.setdefault(t, {}).setdefault(r, {})[c] = _json_value(v, money)
    meta = {
        "organ": report.meta.organ,
        "organ_type": report.meta.organ_type,
        "year": report.meta.year,
        "issue_date": report.meta.issue_date.isoformat() if report.meta.issue_date else None,
        "signoff": report.meta.signoff,
        "opening": report.meta.opening,
        "units": dict(sorted(report.meta.units.items())),
        "status": report.status,
    }
    return {
        "kind": KIND,
        "schema": SCHEMA,
        "format": report.format_id,
        "meta": meta,
        "sections": {s.id: report.sections.get(s.id, "") for s in fmt.sections if s.text != "none"},
        "tables": tables,
        "explanations": dict(sorted(report.explanations.items())),
    }


def _json_value(v: V.Value | None, money: bool) -> Any:
    """Integers as JSON numbers; money as a decimal string (a JSON number would pass through
    binary floating point in most readers)."""
    if v is None:
        return None
    if money or isinstance(v, Decimal):
        return V.format_value(v)
    return v


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def dump_file(report: Report, path: str | os.PathLike) -> None:
    write_atomic(path, dumps(report).encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Reading


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.notes: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.items.append(T.IMPORT_AT.format(where=where, problem=problem))


def _type_name(v: Any) -> str:
    if v is None:
        return T.TYPE_NAMES["null"]
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int):
        return T.TYPE_NAMES["integer"]
    if isinstance(v, float):
        return T.TYPE_NAMES["number"]
    if isinstance(v, str):
        return T.TYPE_NAMES["string"]
    if isinstance(v, dict):
        return T.TYPE_NAMES["object"]
    return type(v).__name__


def _clean_text(text: str, where: str, problems: _Problems) -> str:
    if len(text) > MAX_TEXT:
        problems.add(where, T.IMPORT_TEXT_TOO_LONG.format(length=len(text), limit=MAX_TEXT))
        return text
    cleaned, n = strip_unwritable(text)
    if n:
        problems.notes.append(T.IMPORT_CONTROL_STRIPPED.format(where=where, count=n))
    return cleaned


def _expect_text(obj: dict, key: str, where: str, problems: _Problems, default: str = "") -> str:
    v = obj.get(key, default)
    if v is None:
        return default
    if not isinstance(v, str):
        problems.add(f"{where}.{key}", T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["string"], got=_type_name(v)))
        return default
    return _clean_text(v, f"{where}.{key}", problems)


def loads(data: bytes | str, *, today: _dt.date | None = None) -> tuple[Report, list[str]]:
    """Parse an exchange file. Returns the report and notes (e.g. stripped control characters).

    Raises :class:`ImportRejected` listing every problem when anything is wrong."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected(T.IMPORT_TOO_BIG.format(size=len(data), limit=MAX_FILE_BYTES))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(T.IMPORT_NOT_UTF8.format(detail=f"第 {exc.start + 1} 个字节无法解码")) from None
    try:
        doc = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImportRejected(T.IMPORT_BAD_JSON.format(line=exc.lineno, col=exc.colno, msg=_json_msg(exc.msg))) from None
    except (ValueError, RecursionError) as exc:
        raise ImportRejected(T.IMPORT_BAD_JSON.format(line="?", col="?", msg=str(exc))) from None
    return from_dict(doc, today=today)


def _reject_constant(name: str) -> Any:
    raise ValueError(T.JSON_CONSTANT.format(name=name))


def _json_msg(msg: str) -> str:
    return T.JSON_ERRORS.get(msg, msg)


def from_dict(doc: Any, *, today: _dt.date | None = None) -> tuple[Report, list[str]]:
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise ImportRejected(T.IMPORT_NOT_EXCHANGE)
    schema = doc.get("schema")
    if schema != SCHEMA or isinstance(schema, bool):
        raise ImportRejected(T.IMPORT_SCHEMA.format(schema=schema, supported=SCHEMA))
    problems = _Problems()
    known = {"kind", "schema", "format", "meta", "sections", "tables", "explanations"}
    for k in doc:
        if k not in known:
            problems.add("顶层", T.IMPORT_UNKNOWN_KEY.format(key=k))

    format_id = doc.get("format")
    if format_id not in format_ids():
        raise ImportRejected(T.UNKNOWN_FORMAT.format(format_id=format_id))
    fmt = get_format(format_id)

    meta_doc = doc.get("meta")
    if not isinstance(meta_doc, dict):
        raise ImportRejected(T.IMPORT_AT.format(where="meta", problem=T.IMPORT_MISSING.format(key="meta")))
    year = meta_doc.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ImportRejected(T.IMPORT_AT.format(where="meta.year", problem=T.IMPORT_WRONG_TYPE.format(
            expected=T.TYPE_NAMES["integer"], got=_type_name(year))))
    try:
        expected = format_for_year(year, today)
    except YearError as exc:
        raise ImportRejected(str(exc)) from None
    if expected.id != fmt.id:
        raise ImportRejected(T.IMPORT_FORMAT_YEAR.format(format_id=fmt.id, year=year, expected=expected.id))

    meta = _read_meta(meta_doc, fmt, problems)
    meta.year = year
    report = Report(format_id=fmt.id, meta=meta)
    status = meta_doc.get("status", "draft")
    report.status = status if status in ("draft", "final") else "draft"

    sections = doc.get("sections", {})
    if not isinstance(sections, dict):
        problems.add("sections", T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["object"], got=_type_name(sections)))
        sections = {}
    section_ids = {s.id for s in fmt.sections if s.text != "none"}
    for sid, text in sections.items():
        where = f"sections.{sid}"
        if sid not in section_ids:
            problems.add(where, T.IMPORT_UNKNOWN_SECTION.format(id=sid))
            continue
        report.sections[sid] = _expect_text(sections, sid, "sections", problems)

    _read_tables(doc.get("tables", {}), fmt, report, problems)

    expl = doc.get("explanations", {})
    if not isinstance(expl, dict):
        problems.add("explanations", T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["object"], got=_type_name(expl)))
        expl = {}
    for k, v in expl.items():
        text = _expect_text(expl, k, "explanations", problems)
        if text:
            report.explanations[str(k)[:200]] = text

    if problems.items:
        shown = problems.items[:MAX_PROBLEMS_SHOWN]
        more = len(problems.items) - len(shown)
        lines = [T.IMPORT_REJECTED.format(count=len(problems.items))] + [f"  · {p}" for p in shown]
        if more:
            lines.append(f"  …（另有 {more} 个问题）")
        raise ImportRejected("\n".join(lines), problems.items)
    report.fill_blank()
    # A total that agrees with its parts carries no information; keep only disagreements, which
    # the checker reports (never silently overwritten by the computed value).
    for key in [k for k, v in report.declared.items() if v is None or v == report.value(k)]:
        del report.declared[key]
    return report, problems.notes


def _read_meta(m: dict, fmt: Format, problems: _Problems) -> Meta:
    meta = Meta()
    known = {"organ", "organ_type", "year", "issue_date", "signoff", "opening", "units", "status"}
    for k in m:
        if k not in known:
            problems.add("meta", T.IMPORT_UNKNOWN_KEY.format(key=k))
    meta.organ = _expect_text(m, "organ", "meta", problems).strip()
    if not meta.organ:
        problems.add("meta.organ", T.ORGAN_REQUIRED)
    ot = m.get("organ_type", "department")
    if ot not in dict(fmt.organ_types):
        problems.add("meta.organ_type", T.UNKNOWN_ORGAN_TYPE.format(
            value=ot, choices="、".join(f"{i}（{label}）" for i, label in fmt.organ_types)))
    else:
        meta.organ_type = ot
    date_text = m.get("issue_date")
    if date_text is not None:
        if not isinstance(date_text, str):
            problems.add("meta.issue_date", T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["string"], got=_type_name(date_text)))
        else:
            try:
                meta.issue_date = parse_date(date_text)
            except InvalidValue as exc:
                problems.add("meta.issue_date", str(exc))
    meta.signoff = _expect_text(m, "signoff", "meta", problems)
    meta.opening = _expect_text(m, "opening", "meta", problems)
    units = m.get("units", {})
    if not isinstance(units, dict):
        problems.add("meta.units", T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["object"], got=_type_name(units)))
    else:
        for k, u in units.items():
            parts = str(k).split("/")
            if len(parts) != 3 or not fmt.has_cell(tuple(parts)):  # type: ignore[arg-type]
                problems.add(f"meta.units.{k}", T.UNKNOWN_CELL.format(format_id=fmt.id, key=k))
                continue
            allowed = fmt.tables[parts[0]].cell_units(parts[1], parts[2])
            if u not in allowed:
                problems.add(f"meta.units.{k}", T.IMPORT_WRONG_TYPE.format(expected="／".join(allowed) or "无单位", got=u))
                continue
            meta.units[k] = u
    return meta


def _read_tables(tables: Any, fmt: Format, report: Report, problems: _Problems) -> None:
    if not isinstance(tables, dict):
        problems.add("tables", T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["object"], got=_type_name(tables)))
        return
    for tid, rows in tables.items():
        where_t = f"tables.{tid}"
        table = fmt.tables.get(tid)
        if table is None:
            problems.add(where_t, T.IMPORT_UNKNOWN_TABLE.format(id=tid))
            continue
        if not isinstance(rows, dict):
            problems.add(where_t, T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["object"], got=_type_name(rows)))
            continue
        for rid, cols in rows.items():
            where_r = f"{where_t}.{rid}"
            if rid not in table._rows:
                problems.add(where_r, T.IMPORT_UNKNOWN_ROW.format(number=table.number, id=rid))
                continue
            if not isinstance(cols, dict):
                problems.add(where_r, T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["object"], got=_type_name(cols)))
                continue
            for cid, raw in cols.items():
                where = f"{where_r}.{cid}"
                key = (tid, rid, cid)
                if not table.has_cell(rid, cid):
                    problems.add(where, T.IMPORT_UNKNOWN_COL.format(number=table.number, row=rid, id=cid))
                    continue
                value = _read_value(raw, fmt, key, where, problems)
                if value is _BAD:
                    continue
                if key in fmt.derived:
                    report.declared[key] = value
                else:
                    report.values[key] = value


_BAD = object()


def _read_value(raw: Any, fmt: Format, key, where: str, problems: _Problems) -> Any:
    kind = fmt.tables[key[0]].cell_kind(key[1], key[2])
    name = fmt.cell_name(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, str, Decimal)):
        problems.add(where, T.IMPORT_WRONG_TYPE.format(
            expected=T.TYPE_NAMES["decimal"] if kind == "money" else T.TYPE_NAMES["integer"], got=_type_name(raw)))
        return _BAD
    if kind == "money" and isinstance(raw, str):
        try:
            Decimal(raw)
        except InvalidOperation:
            problems.add(where, T.VALUE_NOT_NUMBER.format(text=raw[:40]))
            return _BAD
    elif kind != "money" and not isinstance(raw, int):
        if isinstance(raw, Decimal) and raw == raw.to_integral_value() and abs(raw) <= V.MAX_VALUE:
            raw = int(raw)  # 12.0 from a spreadsheet export: same number
        else:
            problems.add(where, T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["integer"], got=_type_name(raw)))
            return _BAD
    if key in fmt.derived:
        # A total may legitimately exceed the per-cell limit; it only needs to be a number.
        if isinstance(raw, int) and abs(raw) <= V.MAX_TOTAL:
            return raw
        problems.add(where, T.VALUE_TOO_LARGE.format(name=name, text=raw))
        return _BAD
    if isinstance(raw, int) and abs(raw) > V.MAX_VALUE:
        problems.add(where, T.VALUE_TOO_LARGE.format(name=name, text=raw))
        return _BAD
    try:
        return V.parse_value(raw if not isinstance(raw, str) else raw.strip(), kind, name)
    except InvalidValue as exc:
        problems.add(where, str(exc))
        return _BAD


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
        raise ImportRejected(T.CLI_CANNOT_READ.format(path=path, detail=exc.strerror or exc)) from None
    return loads(data, today=today)
