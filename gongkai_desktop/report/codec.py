"""The one mapping between a :class:`Report` and plain JSON-able data (docs/exchange-format.md).

The exchange file is this dict written as JSON; the store's snapshots and the window use the same
two functions, so a field added to the report is added here once. Reading validates every key
and value the same way before anything is built, collects every problem with the place it was
found, and raises :class:`ImportRejected` listing them: a bad document never half-arrives.

Versions: 1 (key ``schema``) had no uid, generated sentences, 解读 or finalisation time; 2 (key
``version``) has them. Version 1 documents are upgraded on reading; a newer version is refused
with a message asking for a newer program.
"""

from __future__ import annotations

import datetime as _dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from . import values as V
from .. import texts as T
from ..errors import ImportRejected, InvalidValue, YearError
from .formats import Format, format_for_year, format_ids, get_format
from .model import (MAX_EXPLANATION_KEY, MAX_TEXT, META_FIELDS, STATUSES, Meta, Report, default_organ_type,
                    parse_date, strip_unwritable)

KIND = "gongkai-report"
VERSION = 2
MAX_PROBLEMS_SHOWN = 20
MAX_SENTENCE_KIND = 100
_UID = re.compile(r"[0-9a-f]{32}")
_TOP_KEYS = ("kind", "version", "uid", "format", "meta", "sections", "tables", "explanations", "generated", "jiedu")
_REPORT_META = ("status", "finalized_at")  # report fields the file keeps in "meta"


# ---------------------------------------------------------------------------------------------
# Writing


def report_to_dict(report: Report) -> dict:
    """The report as the current version's document. Totals are written as the file declared them
    when that disagrees with the parts (so dump → import keeps the checker's 错误), otherwise as
    computed."""
    fmt = report.format
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for key in fmt.cells():
        t, r, c = key
        if key in fmt.derived and report.declared.get(key) is not None:
            v = report.declared[key]
        else:
            v = report.value(key)
        money = key not in fmt.derived and fmt.cell_kind(key) == "money"
        tables.setdefault(t, {}).setdefault(r, {})[c] = _json_value(v, money)
    meta: dict[str, Any] = {}
    for f in META_FIELDS:
        v = getattr(report.meta, f.name)
        if f.kind == "date":
            v = v.isoformat() if v else None
        elif f.kind == "units":
            v = dict(sorted(v.items()))
        meta[f.key] = v
    meta["status"] = report.status
    meta["finalized_at"] = report.finalized_at if report.status == "final" else None
    return {
        "kind": KIND,
        "version": VERSION,
        "uid": report.uid,
        "format": report.format_id,
        "meta": meta,
        "sections": {s.id: report.sections.get(s.id, "") for s in fmt.sections if s.text != "none"},
        "tables": tables,
        "explanations": dict(sorted(report.explanations.items())),
        "generated": {sid: dict(sorted(kinds.items())) for sid, kinds in sorted(report.generated.items()) if kinds},
        "jiedu": report.jiedu,
    }


def _json_value(v: V.Value | None, money: bool) -> Any:
    """Integers as JSON numbers; money as a decimal string (a JSON number would pass through
    binary floating point in most readers)."""
    if v is None:
        return None
    if money or isinstance(v, Decimal):
        return V.format_value(v)
    return v


# ---------------------------------------------------------------------------------------------
# Reading


class DuplicateKeys(dict):
    """A JSON object that named a key twice (``json.loads(..., object_pairs_hook=pairs_hook)``);
    the validation refuses it at its place instead of letting the last one silently win."""

    duplicates: list[str]


def pairs_hook(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    dup = DuplicateKeys(obj)
    dup.duplicates = []
    for k, _ in pairs:
        if k in seen and k not in dup.duplicates:
            dup.duplicates.append(k)
        seen.add(k)
    return dup


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []
        self.notes: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.items.append(T.IMPORT_AT.format(where=where, problem=problem))

    def wrong_type(self, where: str, expected: str, got: Any) -> None:
        self.add(where, T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES[expected], got=type_name(got)))


def type_name(v: Any) -> str:
    """The JSON type of ``v`` in the clerk's words (never a Python class name)."""
    if v is None:
        return T.TYPE_NAMES["null"]
    if isinstance(v, bool):
        return T.TYPE_NAMES["boolean"]
    if isinstance(v, int):
        return T.TYPE_NAMES["integer"]
    if isinstance(v, (float, Decimal)):
        return T.TYPE_NAMES["number"]
    if isinstance(v, str):
        return T.TYPE_NAMES["string"]
    if isinstance(v, dict):
        return T.TYPE_NAMES["object"]
    if isinstance(v, (list, tuple)):
        return T.TYPE_NAMES["array"]
    return T.TYPE_NAMES["other"]


_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def show(key: Any, limit: int = 40) -> str:
    """A key as a message can quote it: invisible and unencodable characters as \\uXXXX, long
    keys cut (the message names the place; the key itself may be the problem)."""
    if isinstance(key, bool) or not isinstance(key, (str, int, Decimal)):
        return type_name(key)  # 「列表」, not Python's repr of one
    if isinstance(key, Decimal):  # 1E+5 as 100000, but 1E+999999999 not as a billion digits
        s = format(key, "f") if key.is_finite() and abs(key.as_tuple().exponent) <= limit else str(key)
    else:
        s = key if isinstance(key, str) else str(key)
    cut = len(s) > limit
    s = _UNSHOWABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", s[:limit])
    return s + "…" if cut else s


def _place(where: str, key: Any) -> str:
    return f"{where}.{show(key)}" if where else show(key)


def _check_strings(doc: Any, problems: _Problems) -> None:
    """Every key and every string anywhere in the document, the same way: no lone surrogates
    (they cannot be stored or shown), no control characters in keys, no key named twice.
    Iterative, so a deeply nested document cannot exhaust the stack."""
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            for k in getattr(node, "duplicates", ()):
                problems.add(_place(where, k) if where else T.IMPORT_TOP, T.IMPORT_DUPLICATE_KEY.format(key=show(k)))
            for k, v in node.items():
                place = _place(where, k)
                if _SURROGATE.search(k):
                    problems.add(place, T.IMPORT_SURROGATE)
                elif _CONTROL.search(k):
                    problems.add(place, T.IMPORT_KEY_CONTROL)
                stack.append((place, v))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((f"{where}[{i}]", v))
        elif isinstance(node, str) and _SURROGATE.search(node):
            problems.add(where or T.IMPORT_TOP, T.IMPORT_SURROGATE)


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _clean_text(text: str, where: str, problems: _Problems) -> str:
    if len(text) > MAX_TEXT:
        problems.add(where, T.IMPORT_TEXT_TOO_LONG.format(length=len(text), limit=MAX_TEXT))
        return ""
    cleaned, n = strip_unwritable(text)
    if n and not _SURROGATE.search(text):  # surrogates are refused, not stripped
        problems.notes.append(T.IMPORT_CONTROL_STRIPPED.format(where=where, count=n))
    return cleaned


def _text(obj: dict, key: str, where: str, problems: _Problems) -> str:
    v = obj.get(key)
    if v is None:
        return ""
    if not isinstance(v, str):
        problems.wrong_type(_place(where, key), "string", v)
        return ""
    return _clean_text(v, _place(where, key), problems)


def _object(obj: dict, key: str, where: str, problems: _Problems) -> dict:
    v = obj.get(key)
    if v is None:
        return {}
    if not isinstance(v, dict):
        problems.wrong_type(_place(where, key), "object", v)
        return {}
    return v


def _version(doc: dict) -> int:
    """The document's version; raises for one this program cannot read."""
    if "version" in doc:
        version = doc["version"]
    elif "schema" in doc:  # version 1 named it "schema"
        version = doc["schema"]
        if version != 1 or isinstance(version, bool):
            raise ImportRejected(T.IMPORT_VERSION_UNKNOWN.format(version=show(version), supported=VERSION))
        return 1
    else:
        raise ImportRejected(T.IMPORT_VERSION_MISSING)
    if isinstance(version, bool) or not isinstance(version, int) or version < 2:
        raise ImportRejected(T.IMPORT_VERSION_UNKNOWN.format(version=show(version), supported=VERSION))
    if version > VERSION:
        raise ImportRejected(T.IMPORT_VERSION_NEWER.format(version=version, supported=VERSION))
    return version


def upgrade(doc: dict) -> dict:
    """A version-1 document in version 2's shape: ``schema`` becomes ``version``; no uid yet (the
    reader gives it one), nothing generated, no 解读, no finalisation time."""
    out = {("version" if k == "schema" else k): v for k, v in doc.items()}
    out["version"] = 2
    return out


def report_from_dict(doc: Any, *, today: _dt.date | None = None) -> tuple[Report, list[str]]:
    """Build a report from a document of any supported version. Returns the report and notes
    (e.g. stripped control characters); raises :class:`ImportRejected` listing every problem."""
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise ImportRejected(T.IMPORT_NOT_EXCHANGE)
    if _version(doc) == 1:
        doc = upgrade(doc)
    problems = _Problems()
    _check_strings(doc, problems)
    if problems.items:  # keys with surrogates would poison every message below: stop here
        _raise(problems)
    for k in doc:
        if k not in _TOP_KEYS:
            problems.add(T.IMPORT_TOP, T.IMPORT_UNKNOWN_KEY.format(key=show(k)))

    format_id = doc.get("format")
    if not isinstance(format_id, str) or format_id not in format_ids():
        raise ImportRejected(T.UNKNOWN_FORMAT.format(format_id=show(format_id)))
    fmt = get_format(format_id)

    meta_doc = doc.get("meta")
    if not isinstance(meta_doc, dict):
        raise ImportRejected(T.IMPORT_AT.format(where="meta", problem=T.IMPORT_MISSING.format(key="meta")))
    year = meta_doc.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise ImportRejected(T.IMPORT_AT.format(where="meta.year", problem=T.IMPORT_WRONG_TYPE.format(
            expected=T.TYPE_NAMES["integer"], got=type_name(year))))
    try:
        expected = format_for_year(year, today)
    except YearError as exc:
        raise ImportRejected(str(exc)) from None
    if expected.id != fmt.id:
        raise ImportRejected(T.IMPORT_FORMAT_YEAR.format(format_id=fmt.id, year=year, expected=expected.id))

    report = Report(format_id=fmt.id, meta=_read_meta(meta_doc, fmt, problems))
    report.meta.year = year
    _read_status(meta_doc, report, problems)

    uid = doc.get("uid")
    if uid is None:
        report.uid = uuid.uuid4().hex
    elif not isinstance(uid, str) or not _UID.fullmatch(uid):
        problems.add("uid", T.IMPORT_UID.format(value=show(uid)))
    else:
        report.uid = uid

    sections = _object(doc, "sections", "", problems)
    section_ids = {s.id for s in fmt.sections if s.text != "none"}
    for sid in sections:
        if sid not in section_ids:
            problems.add(_place("sections", sid), T.IMPORT_UNKNOWN_SECTION.format(id=show(sid)))
            continue
        report.sections[sid] = _text(sections, sid, "sections", problems)

    _read_tables(doc.get("tables"), fmt, report, problems)

    expl = _object(doc, "explanations", "", problems)
    for k in expl:
        if len(k) > MAX_EXPLANATION_KEY:
            problems.add(_place("explanations", k), T.IMPORT_KEY_TOO_LONG.format(length=len(k), limit=MAX_EXPLANATION_KEY))
            continue
        if not k.strip():
            problems.add(_place("explanations", k), T.IMPORT_KEY_EMPTY)
            continue
        text = _text(expl, k, "explanations", problems)
        if text:
            report.explanations[k] = text

    generated = _object(doc, "generated", "", problems)
    for sid, kinds in generated.items():
        where = _place("generated", sid)
        if sid not in section_ids:
            problems.add(where, T.IMPORT_UNKNOWN_SECTION.format(id=show(sid)))
            continue
        if not isinstance(kinds, dict):
            problems.wrong_type(where, "object", kinds)
            continue
        for kind in kinds:
            if not kind.strip() or len(kind) > MAX_SENTENCE_KIND:
                problems.add(_place(where, kind), T.IMPORT_SENTENCE_KIND.format(limit=MAX_SENTENCE_KIND))
                continue
            text = _text(kinds, kind, where, problems)
            if text:
                report.generated.setdefault(sid, {})[kind] = text

    report.jiedu = _text(doc, "jiedu", "", problems)

    if problems.items:
        _raise(problems)
    report.fill_blank()
    # A total that agrees with its parts carries no information; keep only disagreements, which
    # the checker reports (never silently overwritten by the computed value).
    for key in [k for k, v in report.declared.items() if v is None or v == report.value(k)]:
        del report.declared[key]
    return report, problems.notes


def _raise(problems: _Problems) -> None:
    shown = problems.items[:MAX_PROBLEMS_SHOWN]
    more = len(problems.items) - len(shown)
    lines = [T.IMPORT_REJECTED.format(count=len(problems.items))] + [f"  · {p}" for p in shown]
    if more:
        lines.append(T.IMPORT_MORE.format(count=more))
    raise ImportRejected("\n".join(lines), problems.items)


def _read_status(m: dict, report: Report, problems: _Problems) -> None:
    status = m.get("status", "draft")
    if not isinstance(status, str) or status not in STATUSES:
        problems.add("meta.status", T.IMPORT_STATUS.format(
            value=show(status), choices=T.LIST_SEP.join(f"{s}（{T.STATUS[s]}）" for s in STATUSES)))
        return
    report.status = status
    at = m.get("finalized_at")
    if at is None:
        return
    if not isinstance(at, str):
        problems.wrong_type("meta.finalized_at", "string", at)
        return
    if status != "final":
        problems.add("meta.finalized_at", T.IMPORT_FINALIZED_DRAFT)
        return
    try:
        _dt.datetime.fromisoformat(at)
    except ValueError:
        problems.add("meta.finalized_at", T.IMPORT_FINALIZED_AT.format(value=show(at)))
        return
    report.finalized_at = at


def _read_meta(m: dict, fmt: Format, problems: _Problems) -> Meta:
    meta = Meta(organ_type=default_organ_type(fmt))
    known = {f.key for f in META_FIELDS} | set(_REPORT_META)
    for k in m:
        if k not in known:
            problems.add("meta", T.IMPORT_UNKNOWN_KEY.format(key=show(k)))
    for f in META_FIELDS:
        where = f"meta.{f.key}"
        raw = m.get(f.key)
        if f.kind == "text":
            setattr(meta, f.name, _text(m, f.key, "meta", problems))
        elif f.kind == "organ_type":
            if raw is None:
                continue
            ids = dict(fmt.organ_types)
            if not isinstance(raw, str) or raw not in ids:
                problems.add(where, T.UNKNOWN_ORGAN_TYPE.format(
                    value=show(raw), choices=T.LIST_SEP.join(f"{i}（{label}）" for i, label in fmt.organ_types)))
            else:
                meta.organ_type = raw
        elif f.kind == "date":
            if raw is None:
                continue
            if not isinstance(raw, str):
                problems.wrong_type(where, "string", raw)
                continue
            try:
                meta.issue_date = parse_date(raw)
            except InvalidValue as exc:
                problems.add(where, str(exc))
        elif f.kind == "units":
            for k, u in _object(m, f.key, "meta", problems).items():
                place = _place(where, k)
                parts = k.split("/")
                if len(parts) != 3 or not fmt.has_cell(tuple(parts)):  # type: ignore[arg-type]
                    problems.add(place, T.UNKNOWN_CELL.format(format_id=fmt.id, key=show(k)))
                    continue
                allowed = fmt.tables[parts[0]].cell_units(parts[1], parts[2])
                if not isinstance(u, str) or u not in allowed:
                    problems.add(place, T.IMPORT_UNIT.format(value=show(u), choices="／".join(allowed) or T.IMPORT_NO_UNIT))
                    continue
                meta.units[k] = u
    meta.organ = meta.organ.strip()
    if not meta.organ:
        problems.add("meta.organ", T.ORGAN_REQUIRED)
    return meta


def _read_tables(tables: Any, fmt: Format, report: Report, problems: _Problems) -> None:
    if tables is None:
        return
    if not isinstance(tables, dict):
        problems.wrong_type("tables", "object", tables)
        return
    for tid, rows in tables.items():
        where_t = _place("tables", tid)
        table = fmt.tables.get(tid)
        if table is None:
            problems.add(where_t, T.IMPORT_UNKNOWN_TABLE.format(id=show(tid)))
            continue
        if not isinstance(rows, dict):
            problems.wrong_type(where_t, "object", rows)
            continue
        for rid, cols in rows.items():
            where_r = _place(where_t, rid)
            if rid not in table._rows:
                problems.add(where_r, T.IMPORT_UNKNOWN_ROW.format(number=table.number, id=show(rid)))
                continue
            if not isinstance(cols, dict):
                problems.wrong_type(where_r, "object", cols)
                continue
            for cid, raw in cols.items():
                where = _place(where_r, cid)
                key = (tid, rid, cid)
                if not table.has_cell(rid, cid):
                    problems.add(where, T.IMPORT_UNKNOWN_COL.format(number=table.number, row=rid, id=show(cid)))
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
    expected = "decimal" if kind == "money" else "integer"
    if isinstance(raw, bool) or not isinstance(raw, (int, str, Decimal)):
        problems.wrong_type(where, expected, raw)
        return _BAD
    if kind == "money" and isinstance(raw, str):
        try:
            Decimal(raw)
        except InvalidOperation:
            problems.add(where, T.VALUE_NOT_NUMBER.format(text=show(raw)))
            return _BAD
    elif kind != "money" and not isinstance(raw, int):
        # adjusted() first: abs() of 1e999999999 overflows the decimal context
        if (isinstance(raw, Decimal) and raw.is_finite() and raw.adjusted() < 18 and abs(raw) <= V.MAX_VALUE
                and raw == raw.to_integral_value()):
            raw = int(raw)  # 12.0 from a spreadsheet export: same number
        else:
            problems.add(where, T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES[expected], got=_value_shown(raw)))
            return _BAD
    if key in fmt.derived:
        # A total may legitimately exceed the per-cell limit; it only needs to be a whole number.
        if isinstance(raw, int) and abs(raw) <= V.MAX_TOTAL:
            return raw
        problems.add(where, V.too_large(name, show(raw), V.MAX_TOTAL) if isinstance(raw, int)
                     else T.IMPORT_WRONG_TYPE.format(expected=T.TYPE_NAMES["integer"], got=_value_shown(raw)))
        return _BAD
    if isinstance(raw, int) and abs(raw) > V.MAX_VALUE:
        problems.add(where, V.too_large(name, show(raw)))
        return _BAD
    try:
        return V.parse_value(raw if not isinstance(raw, str) else raw.strip(), kind, name)
    except InvalidValue as exc:
        problems.add(where, str(exc))
        return _BAD


def _value_shown(raw: Any) -> str:
    """「文字 "十二"」, 「小数 1.5」: the type and the value, so the clerk can find it."""
    if isinstance(raw, str):
        return f"{type_name(raw)}「{show(raw)}」"
    if isinstance(raw, Decimal):
        return f"{type_name(raw)} {show(raw)}"
    return type_name(raw)
