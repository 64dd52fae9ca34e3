"""What a check returns: :class:`Finding`. Its own module so the rule engine (``rules.py``) and the
text checks (``report/text/``) share it without importing each other."""

from __future__ import annotations

from dataclasses import dataclass

from .formats import CellKey
from .. import texts as T

Span = tuple[int, int]


@dataclass
class Finding:
    """One problem found in a report.

    ``key`` is stable across runs for the same rule and binding, so a clerk's explanation stays
    attached to its warning. ``cells`` are the cells a window should highlight; ``section`` the
    section to open when the finding is clicked. A text finding also carries ``span``: the
    characters ``[start, end)`` of that section's stored text it is about (the window underlines
    and selects them), ``quote`` (those words) and, when it is about several places at once
    (reused paragraphs), all of them in ``spans``."""

    rule_id: str
    severity: str
    message: str
    key: str
    cells: tuple[CellKey, ...] = ()
    section: str | None = None
    explanation: str = ""
    kind: str = ""
    span: Span | None = None
    quote: str = ""
    spans: tuple[Span, ...] = ()
    fix: str | None = None  # the replacement for ``span`` where the fix is obvious

    @property
    def severity_label(self) -> str:
        return T.SEVERITY[self.severity]

    def all_spans(self) -> tuple[Span, ...]:
        return self.spans or ((self.span,) if self.span else ())

    def as_dict(self) -> dict:
        out = {
            "rule": self.rule_id,
            "severity": self.severity,
            "severity_label": self.severity_label,
            "message": self.message,
            "key": self.key,
            "cells": ["/".join(c) for c in self.cells],
            "section": self.section,
            "explanation": self.explanation,
        }
        if self.span is not None:
            out["span"] = list(self.span)
            out["quote"] = self.quote
        if len(self.spans) > 1:
            out["spans"] = [list(s) for s in self.spans]
        if self.fix is not None:
            out["fix"] = self.fix
        return out
