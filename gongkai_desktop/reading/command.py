"""``gongkai read FILE [--dry-run]``: the command-line face of the reader (cli.py calls this)."""

from __future__ import annotations

import sys
from typing import Callable

from ..storage import exchange
from . import texts as T
from .analyse import read_file

CLI_HELP = "读取已发布的年报（.docx、网页、PDF、.txt，以及经 LibreOffice 转换的 .doc/.wps/.rtf/.odt），存为新的年报并输出编号"
CLI_FILE = "已发布的年报文件"
CLI_DRY_RUN = "只读取不保存：交换文件输出到屏幕，读取报告输出到标准错误"
CLI_STORED = "已保存为年报，编号："


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
