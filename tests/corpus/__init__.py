"""Loads the corpus of report texts (see README.md in this folder)."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path

from gongkai_desktop.report.model import Report

HERE = Path(__file__).resolve().parent


def files() -> list[Path]:
    return sorted(HERE.glob("*.txt"))


def parse(path: Path) -> tuple[dict, dict[str, str]]:
    head: dict = {"cells": {}, "expect": []}
    parts: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("=== "):
            if current:
                parts[current] = "\n".join(lines).strip("\n")
            current, lines = raw[4:].strip(), []
        elif current is not None:
            lines.append(raw)
        elif ":" in raw:
            key, _, value = raw.partition(":")
            key, value = key.strip(), value.strip()
            if key == "cells":
                for item in value.split():
                    ref, _, v = item.partition("=")
                    head["cells"][tuple(ref.split("/"))] = Decimal(v) if "." in v else int(v)
            elif key == "expect":
                rule, _, words = value.partition(" ")
                head["expect"].append((rule, words.strip()))
            else:
                head[key] = value
    if current:
        parts[current] = "\n".join(lines).strip("\n")
    return head, parts


def load(name: str | Path, *, with_previous: bool = True) -> Report:
    path = name if isinstance(name, Path) else HERE / name
    head, parts = parse(path)
    year = int(head["year"])
    report = Report.new(head["organ"], year, head.get("organ_type", "department"), today=_dt.date(2030, 1, 1))
    for key in report.values:
        report.values[key] = 0
    for key, v in head["cells"].items():
        assert key in report.values, (path.name, key)
        report.values[key] = v
    if "issue_date" in head:
        report.meta.issue_date = _dt.date.fromisoformat(head["issue_date"])
    for sid, text in parts.items():
        if sid == "opening":
            report.meta.opening = text
        else:
            assert sid in report.sections, (path.name, sid)
            report.sections[sid] = text
    if with_previous and head.get("previous"):
        report.previous = load(head["previous"], with_previous=False)
    return report


def expectations(name: str | Path) -> list[tuple[str, str]]:
    path = name if isinstance(name, Path) else HERE / name
    return parse(path)[0]["expect"]
