"""The collection's files: the Excel workbook, the 审核意见 (.docx / .pdf) and the aggregate
report's draft — bytes and proposed names, written by the faces through storage's atomic writer."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..documents.export import RenderJob, renderer
from ..storage.fileio import safe_filename
from .collection import Collection, Dashboard
from .letter import letter_plan
from .workbook import workbook_bytes

WORKBOOK_STEM = "{year}年度政府信息公开工作年度报告汇总"
LETTER_STEM = "{year}年度政府信息公开工作年度报告审核意见"


def workbook_name(year: int) -> str:
    return safe_filename(WORKBOOK_STEM.format(year=year), ".xlsx")


def letter_name(year: int, suffix: str = ".docx") -> str:
    return safe_filename(LETTER_STEM.format(year=year), suffix)


def workbook_file(coll: Collection, organ_types: Iterable[str] | None = None) -> bytes:
    return workbook_bytes(coll.dashboard(), coll.aggregate(organ_types))


def letter_kind(path: str | os.PathLike) -> str:
    """The 审核意见's output for a file name: PDF for .pdf, a Word document otherwise."""
    return "pdf" if Path(path).suffix.lower() == ".pdf" else "docx"


def letter_bytes(board: Dashboard, kind: str = "docx", organs: list[str] | None = None, signoff: str = "") -> bytes:
    """The 审核意见 as ``kind`` ("docx" or "pdf"), through the report renderers."""
    plan = letter_plan(board, organs=organs, signoff=signoff)
    return renderer(kind).render(RenderJob(None, "report", plans={"report": plan}))  # type: ignore[arg-type]


def letter_file(coll: Collection, kind: str = "docx", organs: list[str] | None = None, signoff: str = "") -> bytes:
    return letter_bytes(coll.dashboard(), kind, organs, signoff)
