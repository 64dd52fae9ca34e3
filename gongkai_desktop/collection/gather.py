"""Reading a batch of files into reports: exchange files first, published reports through the
reader room when it can read the file. A bad file never stops the others: it comes back with its
Chinese message and nothing of it is kept."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import GongkaiError
from ..report.model import Report
from ..storage import exchange
from . import texts as T
from .parallel import forked_map
from ..storage.fileio import os_error_text

EXCHANGE_SUFFIXES = (".json",)
PUBLISHED_SUFFIXES = (".docx", ".html", ".htm", ".pdf", ".txt", ".doc", ".wps", ".rtf", ".odt")


@dataclass
class Received:
    """One file of the batch: its report, or why there is none."""

    path: Path
    report: Report | None
    message: str = ""
    received: _dt.datetime | None = None  # the file's modification time: when it reached us


def _files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[Received]]:
    files, problems = [], []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file()
                                and f.suffix.lower() in EXCHANGE_SUFFIXES + PUBLISHED_SUFFIXES))
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Received(p, None, T.PATH_MISSING.format(path=p)))
    return files, problems


def _read_published(path: Path) -> Report:
    """Through the reader of published reports (reading/)."""
    from ..reading.analyse import read_file

    return read_file(path).report


def read_one(path: Path) -> Received:
    suffix = path.suffix.lower()
    try:
        mtime = _dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError as exc:
        return Received(path, None, T.UNREADABLE.format(detail=os_error_text(exc)))
    try:
        if suffix in EXCHANGE_SUFFIXES:
            report, _notes = exchange.load_file(path)
        elif suffix in PUBLISHED_SUFFIXES:
            report = _read_published(path)
        else:
            return Received(path, None, T.NOT_A_REPORT)
    except GongkaiError as exc:
        return Received(path, None, str(exc))
    except (OSError, ValueError, MemoryError, RecursionError) as exc:
        # A hostile file must not stop the batch; the message stays Chinese.
        return Received(path, None, T.UNREADABLE.format(detail=type(exc).__name__))
    return Received(path, report, received=mtime)


def gather(paths: Iterable[str | os.PathLike], *, workers: int = 1) -> list[Received]:
    """Every file of ``paths`` read into a report (or its refusal). ``workers`` > 1 reads in that
    many forked processes (the command line only, see parallel.py)."""
    files, problems = _files(paths)
    return problems + forked_map(read_one, files, workers)
