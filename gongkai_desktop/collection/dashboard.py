"""The dashboard: one row per organ — status, findings, key figures, reuse and near copies."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..report.formats import Format, get_format
from ..report.model import Report
from ..report.rules import Finding, check
from ..texts import SEVERITY
from . import texts as T
from .similarity import Similar, reused_share


def natural_key(text: str) -> tuple:
    """「第2局」 before 「第10局」: digit runs compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def report_text(report: Report) -> str:
    return "\n".join([report.meta.opening, *report.sections.values()])


def key_figures(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fig in report.format.key_figures:
        total, seen = 0, False
        for key in fig.cells:
            v = report.value(key)
            if v is not None:
                total, seen = total + v, True
        out[fig.id] = total if seen else None
    return out


def carry_status(report: Report, last: Report | None) -> str:
    if last is None:
        return T.CARRY_UNKNOWN
    fmt: Format = report.format
    pairs = fmt.carry_pairs() if last.format_id == report.format_id else []
    for src, dst in pairs:
        if (last.value(src) or 0) != (report.value(dst) or 0):
            return T.CARRY_MISMATCH
    return T.CARRY_OK


def status_of(report: Report | None, errors: int, warnings: int) -> str:
    if report is None:
        return T.STATUS_MISSING
    if errors:
        return T.STATUS_ERRORS
    if warnings:
        return T.STATUS_WARNINGS
    return T.STATUS_FINAL if report.status == "final" else T.STATUS_PASSED


@dataclass
class Row:
    organ: str
    organ_type: str
    organ_type_label: str
    uid: str
    status: str
    errors: int | None  # None for an organ that has not reported
    warnings: int | None
    figures: dict[str, Any]
    received: _dt.datetime | None
    reuse_own: float | None
    similar_to: list[Similar]
    carry: str
    source: str
    report_id: int | None = None
    findings: list[Finding] = field(default_factory=list, repr=False)
    format_id: str = ""  # the report's format (names its sections and cells in the workbook)

    def as_json(self) -> dict:
        return {
            "organ": self.organ,
            "organ_type": self.organ_type,
            "uid": self.uid,
            "status": self.status,
            "errors": self.errors,
            "warnings": self.warnings,
            "figures": {k: _json_number(v) for k, v in self.figures.items()},
            "received": self.received.isoformat(sep=" ") if self.received else None,
            "reused_from_last_year": None if self.reuse_own is None else round(self.reuse_own, 3),
            "similar_to": [{"organ": s.other, "share": round(s.share, 3)} for s in self.similar_to],
            "carry_over": self.carry,
            "source": self.source,
            "report_id": self.report_id,
        }


    # -- the dashboard's cache (what a row costs to compute: loading and checking the report) --
    def to_cache(self) -> dict:
        return {
            "organ": self.organ, "organ_type": self.organ_type, "organ_type_label": self.organ_type_label,
            "uid": self.uid, "status": self.status, "errors": self.errors, "warnings": self.warnings,
            "figures": {k: _cache_number(v) for k, v in self.figures.items()},
            "received": self.received.isoformat() if self.received else None,
            "reuse_own": self.reuse_own, "carry": self.carry, "source": self.source,
            "format_id": self.format_id,
            "findings": [{"rule_id": f.rule_id, "severity": f.severity, "message": f.message, "key": f.key,
                          "cells": ["/".join(c) for c in f.cells], "section": f.section,
                          "explanation": f.explanation, "kind": f.kind} for f in self.findings],
        }

    @classmethod
    def from_cache(cls, d: dict, *, similar: list[Similar], report_id: int | None) -> "Row":
        findings = [Finding(f["rule_id"], f["severity"], f["message"], f["key"],
                            tuple(tuple(c.split("/")) for c in f["cells"]), f["section"], f["explanation"],
                            f["kind"]) for f in d["findings"]]
        # The collection's own warning (a near copy) is counted on top of the report's.
        base_warnings = d["warnings"]
        warnings = base_warnings + len(similar)
        errors = d["errors"]
        status = d["status"]
        if status in (T.STATUS_PASSED, T.STATUS_FINAL) and similar:
            status = T.STATUS_WARNINGS
        return cls(organ=d["organ"], organ_type=d["organ_type"], organ_type_label=d["organ_type_label"],
                   uid=d["uid"], status=status, errors=errors, warnings=warnings,
                   figures={k: _uncache_number(v) for k, v in d["figures"].items()},
                   received=_dt.datetime.fromisoformat(d["received"]) if d["received"] else None,
                   reuse_own=d["reuse_own"], similar_to=similar, carry=d["carry"], source=d["source"],
                   report_id=report_id, findings=findings, format_id=d.get("format_id", ""))


def _cache_number(v: Any) -> Any:
    return {"decimal": str(v)} if isinstance(v, Decimal) else v


def _uncache_number(v: Any) -> Any:
    return Decimal(v["decimal"]) if isinstance(v, dict) else v


def _json_number(v: Any) -> Any:
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral() else str(v)
    return v


def make_row(report: Report, *, last: Report | None, received: _dt.datetime | None, source: str,
             similar: list[Similar], report_id: int | None = None) -> Row:
    previous = report.previous
    report.previous = last  # the cross-year rules (上年结转) need last year's report
    try:
        findings = check(report)
    finally:
        report.previous = previous
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning" and not f.explanation)
    fmt = report.format
    base = Row(
        organ=report.meta.organ, organ_type=report.meta.organ_type,
        organ_type_label=fmt.organ_type_label(report.meta.organ_type), uid=report.uid,
        status=status_of(report, errors, warnings), errors=errors, warnings=warnings,
        figures=key_figures(report), received=received,
        reuse_own=None if last is None else reused_share(report_text(report), report_text(last)),
        similar_to=[], carry=carry_status(report, last), source=source, report_id=report_id,
        findings=findings, format_id=report.format_id,
    )
    # A near copy of another organ's report is the collection's own warning (内容雷同 is a named
    # ground for accountability); no single report can see it.
    return Row.from_cache(base.to_cache(), similar=similar, report_id=report_id)


def finding_lines(row) -> list[tuple[str, str, str, str, str]]:
    """(severity, rule, message, section heading, cell names) for each of an organ's findings —
    the report's own and the collection's (a near copy of another organ's report)."""
    out = []
    fmt = get_format(row.format_id) if row.format_id else None
    for f in row.findings:
        section = ""
        if f.section == "meta":
            section = T.OPENING_SECTION
        elif f.section:
            try:
                section = fmt.section(f.section).heading
            except KeyError:
                section = f.section
        cells = "、".join(fmt.cell_name(c) if fmt.has_cell(c) else "/".join(c) for c in f.cells)
        out.append((f.severity_label, f.rule_id, f.message, section, cells))
    for s in row.similar_to:
        out.append((SEVERITY["warning"], T.COLLECTION_RULE,
                    T.SIMILAR_FINDING.format(organ=s.other, share=f"{s.share:.0%}"), "", ""))
    return out


def missing_row(organ: str, organ_type: str | None, fmt: Format) -> Row:
    # Nothing was checked: no counts at all, not zero counts.
    return Row(organ=organ, organ_type=organ_type or "", organ_type_label=fmt.organ_type_label(organ_type),
               uid="", status=T.STATUS_MISSING, errors=None, warnings=None,
               figures={f.id: None for f in fmt.key_figures}, received=None, reuse_own=None,
               similar_to=[], carry="", source="")
