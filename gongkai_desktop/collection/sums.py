"""The region's figures: the three tables summed cell by cell over the collection (or a subset).

The aggregate is itself a :class:`Report` of the same format, so the same rules check it and the
same renderers print it: it can be exported as a draft for the 本级政府's own report or become the
starting point of one. Money stays Decimal. A report of another format (a 2021-format office
receiving a late 2019-format file) adds only the cells that mean the same in both formats: the
same cell id with the same printed label path; everything else is left out and counted, never
guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from ..report.formats import CellKey, Format, get_format
from ..report.model import Meta, Report
from . import texts as T


@dataclass
class Aggregate:
    report: Report
    counted: int  # reports added up
    formats: dict[str, int] = field(default_factory=dict)  # format id -> reports of it
    skipped_cells: set[tuple[str, CellKey]] = field(default_factory=set)  # (format id, cell) not summed

    @property
    def mixed_note(self) -> str | None:
        if len(self.formats) < 2:
            return None
        counts = "、".join(f"{get_format(f).name} {n} 份" for f, n in sorted(self.formats.items()))
        return T.MIXED_FORMATS.format(counts=counts, main=get_format(self.report.format_id).name,
                                      skipped=len({k for _, k in self.skipped_cells}))


def _same_meaning(fmt: Format, other: Format) -> set[CellKey]:
    """Typed cells of ``other`` that mean the same in ``fmt``: same id and same label path."""
    same = set()
    for key in other.cells():
        if key in other.derived or not fmt.has_cell(key) or key in fmt.derived:
            continue
        if fmt.cell_name(key) == other.cell_name(key) and fmt.cell_kind(key) == other.cell_kind(key):
            same.add(key)
    return same


def aggregate(reports: Iterable[Report], *, format_id: str, year: int, region: str = "",
              organ_type: str = "government") -> Aggregate:
    """Sum ``reports`` into a new report of ``format_id``. A cell blank in every report stays
    blank (so the aggregate's own check still says what nobody filled); otherwise blanks add 0."""
    fmt = get_format(format_id)
    meta = Meta(organ=T.AGGREGATE_ORGAN.format(region=region or T.AGGREGATE_DEFAULT_REGION),
                organ_type=organ_type, year=year)
    out = Report(format_id=fmt.id, meta=meta)
    out.fill_blank()
    typed = [k for k in fmt.cells() if k not in fmt.derived]
    sums: dict[CellKey, object] = {}
    formats: Counter[str] = Counter()
    skipped: set[tuple[str, CellKey]] = set()
    same_cache: dict[str, set[CellKey]] = {}
    counted = 0
    for r in reports:
        counted += 1
        formats[r.format_id] += 1
        if r.format_id == fmt.id:
            keys = typed
        else:
            other = r.format
            if r.format_id not in same_cache:
                same_cache[r.format_id] = _same_meaning(fmt, other)
                skipped.update((r.format_id, k) for k in other.cells()
                               if k not in other.derived and k not in same_cache[r.format_id])
            keys = same_cache[r.format_id]
        for key in keys:
            v = r.values.get(key)
            if v is None:
                continue
            sums[key] = sums.get(key, 0) + v  # int + Decimal stays Decimal
    for key, v in sums.items():
        out.values[key] = v
    return Aggregate(out, counted, dict(formats), skipped)
