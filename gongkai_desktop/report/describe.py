"""A national format described for ``gongkai format``: as text, or as plain data (``--json``) for
anyone building on the exchange files."""

from __future__ import annotations

from .formats import Format, Node


def _node_json(node: Node) -> dict:
    return {"id": node.id, "label": node.label, "parents": node.path()[:-1]}


def format_json(fmt: Format) -> dict:
    tables = {}
    for t in fmt.tables.values():
        grid = t.grid
        tables[t.id] = {
            "number": t.number,
            "name": t.name,
            "rows": [_node_json(r) for r in t.rows()],
            "columns": [_node_json(c) for c in t.columns()],
            "cells": [
                {"row": r, "column": c, "kind": fmt.cell_kind((tid, r, c)),
                 "units": list(t.cell_units(r, c))}
                for tid, r, c in t.cells()
            ],
            "grid": {"rows": grid.n_rows, "columns": grid.n_cols},
        }
    return {
        "format": fmt.id,
        "name": fmt.name,
        "notice": fmt.notice,
        "years": {"from": fmt.year_from, "to": fmt.year_to},
        "organ_types": [{"id": i, "label": label} for i, label in fmt.organ_types],
        "sections": [
            {"id": s.id, "heading": s.heading, "text": s.text, "table": s.table, "guidance": s.guidance}
            for s in fmt.sections
        ],
        "tables": tables,
        "rules": [
            {"id": r.id, "kind": r.kind, "severity": r.severity, "title": r.title}
            for r in fmt.rules
        ],
    }


def describe(fmt: Format) -> str:
    lines = [f"{fmt.id}  {fmt.name}（{fmt.notice}）",
             f"适用年度：{fmt.year_from}–{fmt.year_to or '至今'}", ""]
    for s in fmt.sections:
        lines.append(s.heading + (f"  [表{fmt.tables[s.table].number}]" if s.table else ""))
    for t in fmt.tables.values():
        g = t.grid
        lines.append("")
        lines.append(f"表{t.number} {t.name}（{g.n_cols} 列 × {g.n_rows} 行）")
        for r in t.rows():
            if r.label:
                lines.append(f"  行 {r.id}: {'／'.join(r.path())}")
        for c in t.columns():
            lines.append(f"  列 {c.id}: {'／'.join(c.path())}")
    lines.append("")
    lines.append("规则：")
    for r in fmt.rules:
        lines.append(f"  {r.id} [{r.severity}] {r.title}")
    return "\n".join(lines) + "\n"
