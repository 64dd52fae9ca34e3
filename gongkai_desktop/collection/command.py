"""``gongkai collect PATH... --year Y``: the command-line face of the collection (cli.py calls this)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Callable

from ..report.formats import format_for_year
from ..storage.fileio import write_atomic
from . import texts as T
from .expected import read_expected
from .gather import gather
from .report_files import letter_bytes, letter_kind
from .store import open_collection
from .workbook import workbook_bytes


def run(args, open_store: Callable, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    fmt = format_for_year(args.year)
    with open_store() as store:
        coll = open_collection(store, args.year)
        if args.expect:
            organs, notes = read_expected(args.expect, fmt)
            coll.set_expected(organs)
            for n in notes:
                err.write(n + "\n")
        # The command line may fork (no window is running): reading and checking use every core.
        workers = os.cpu_count() or 1
        outcomes = coll.add(gather(args.paths, workers=workers), workers=workers) if args.paths else []
        board = coll.dashboard()
        types = [t.strip() for t in args.types.split(",") if t.strip()] if args.types else None
        agg = coll.aggregate(types, region=args.region or "")
        if agg.mixed_note:
            err.write(agg.mixed_note + "\n")
        for o in outcomes:
            if not o.kept or o.note:
                err.write(T.CLI_FILE_PROBLEM.format(path=o.path, message=o.status + (f"（{o.note}）" if o.note else "")) + "\n")
        n_expected = len(coll.backend.expected(args.year))
        written = []
        if args.xlsx:
            write_atomic(Path(args.xlsx), workbook_bytes(board, agg))
            written.append(args.xlsx)
        if args.docx:
            from ..documents.export import export_report

            export_report(agg.report, outputs={"docx": args.docx})
            written.append(args.docx)
        if args.letter:
            write_atomic(Path(args.letter), letter_bytes(board, letter_kind(args.letter), signoff=args.office or ""))
            written.append(args.letter)
    if args.json:
        data = board.as_json(agg)
        data["files"] = [{"path": o.path, "organ": o.organ, "kept": o.kept, "message": o.status, "note": o.note}
                         for o in outcomes]
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        for r in board.rows:
            if r.status == T.STATUS_MISSING:
                out.write(T.CLI_ROW_MISSING.format(status=r.status, organ=r.organ) + "\n")
                continue
            similar = T.CLI_ROW_SIMILAR.format(others="、".join(s.other for s in r.similar_to)) if r.similar_to else ""
            out.write(T.CLI_ROW.format(status=r.status, organ=r.organ, errors=r.errors, warnings=r.warnings,
                                       similar=similar) + "\n")
        kept = [o for o in outcomes if o.kept]
        err.write(T.CLI_SUMMARY.format(
            year=args.year, added=sum(1 for o in kept if o.status == T.ADDED),
            replaced=sum(1 for o in kept if o.status == T.REPLACED),
            failed=sum(1 for o in outcomes if not o.kept and o.status != T.UNCHANGED),
            expected=n_expected, missing=len(board.missing)) + "\n")
    for path in written:
        err.write(T.CLI_WRITTEN.format(path=path) + "\n")
    return 0
