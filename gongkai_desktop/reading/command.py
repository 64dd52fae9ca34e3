"""``gongkai read FILE [--dry-run]``: the command-line face of the reader (cli.py calls this)."""

from __future__ import annotations

import sys
from typing import Callable

from ..storage import exchange
from . import texts as T
from .analyse import read_file

# The command line's wording lives in texts.py; cli.py reads it from here.
CLI_HELP, CLI_FILE, CLI_DRY_RUN = T.CLI_HELP, T.CLI_FILE, T.CLI_DRY_RUN


def run(path: str, dry_run: bool, open_store: Callable, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    reading = read_file(path)
    err.write(reading.report_text())
    if dry_run:
        out.write(exchange.dumps(reading.report))
        return 0
    with open_store() as store:
        rid = store.add(reading.report)
    out.write(f"{rid}\n")
    return 0
