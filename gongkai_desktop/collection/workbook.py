"""The collection as an Excel workbook (openpyxl): the dashboard, the summed tables laid out as the
official grid with its merged headers, every finding per organ, and the organs not yet reported."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Iterable

from ..documents.plan import table_plan
from . import texts as T
from .collection import Dashboard
from .dashboard import finding_lines
from .sums import Aggregate

HEADER_FILL = "DDEBF7"
MIN_WIDTH, MAX_WIDTH = 6, 60


def _display_width(text: str) -> int:
    """Excel column width in 'characters' for Chinese text: a CJK character counts twice."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def _fit_columns(ws, rows: Iterable[Iterable[object]]) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in rows:
        for i, v in enumerate(row, start=1):
            if v is None:
                continue
            widths[i] = max(widths.get(i, 0), _display_width(v))
    for i, w in widths.items():
        ws.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, min(MAX_WIDTH, w + 2))


def _cell_value(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral() else int(v)
    return v


def _dashboard_sheet(wb, board: Dashboard, figure_labels: list[tuple[str, str]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.active
    ws.title = T.SHEET_DASHBOARD
    header = [T.COL_ORGAN, T.COL_TYPE, T.COL_STATUS, T.COL_ERRORS, T.COL_WARNINGS,
              *[label for _, label in figure_labels], T.COL_RECEIVED, T.COL_REUSE_OWN, T.COL_SIMILAR,
              T.COL_CARRY, T.COL_SOURCE]
    ws.append(header)
    rows = [header]
    for r in board.rows:
        line = [r.organ, r.organ_type_label, r.status, r.errors, r.warnings,
                *[_cell_value(r.figures.get(fid)) for fid, _ in figure_labels],
                r.received.strftime("%Y-%m-%d %H:%M") if r.received else None,
                None if r.reuse_own is None else round(r.reuse_own, 3),
                "；".join(T.SIMILAR_ITEM.format(organ=s.other, share=f"{s.share:.0%}") for s in r.similar_to) or None,
                r.carry or None, r.source or None]
        ws.append(line)
        rows.append(line)
    reuse_col = header.index(T.COL_REUSE_OWN) + 1
    for row in ws.iter_rows(min_row=2, min_col=reuse_col, max_col=reuse_col):
        for c in row:
            c.number_format = "0%"
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor=HEADER_FILL)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    _fit_columns(ws, rows)


def _table_sheets(wb, agg: Aggregate) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    report = agg.report
    for table in report.format.tables.values():
        plan = table_plan(report, table)
        ws = wb.create_sheet(T.SHEET_TABLE.format(number=table.number))
        for cell in plan.cells:
            r, c = cell.row + 1, cell.col + 1
            target = ws.cell(row=r, column=c)
            value = cell.text
            if cell.key is not None:
                value = _cell_value(report.value(cell.key))
            target.value = value
            target.alignment = Alignment(horizontal="center" if cell.align == "center" else "left",
                                         vertical="center", wrap_text=True)
            if cell.header:
                target.font = Font(bold=True)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=r, start_column=c,
                               end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    ws.cell(row=rr, column=cc).border = border
        for i, mm in enumerate(plan.col_widths_mm, start=1):
            # Excel widths are in characters of about 2 mm at the default font.
            ws.column_dimensions[get_column_letter(i)].width = max(MIN_WIDTH, round(mm / 1.9, 1))
        ws.freeze_panes = ws.cell(row=plan.header_rows + 1, column=1)


def _findings_sheet(wb, board: Dashboard) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(T.SHEET_FINDINGS)
    ws.append(list(T.FINDINGS_HEADER))
    rows = [list(T.FINDINGS_HEADER)]
    for r in board.rows:
        for sev, rule, message, section, cells in finding_lines(r):
            line = [r.organ, r.organ_type_label, sev, rule, message, section, cells]
            ws.append(line)
            rows.append(line)
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    _fit_columns(ws, rows)


def workbook_bytes(board: Dashboard, agg: Aggregate) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    labels = [(f.id, f.label) for f in agg.report.format.key_figures]
    _dashboard_sheet(wb, board, labels)
    _table_sheets(wb, agg)
    _findings_sheet(wb, board)
    ws = wb.create_sheet(T.SHEET_MISSING)
    ws.append([T.COL_ORGAN])
    for organ in board.missing:
        ws.append([organ])
    _fit_columns(ws, [[T.COL_ORGAN], *[[o] for o in board.missing]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
