"""The open report as the window sees it: a model apart from the widgets.

:class:`ReportDocument` keeps the :class:`~gongkai_desktop.report.model.Report` in memory, writes
every edit through to the store at once (the store commits each edit durably), re-runs the
checks, and tells the widgets through signals. Cell, unit and 基本信息 edits go through the
context's undo stack; text edits are undone inside their own editor (Ctrl+Z there).
"""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..report import values as V
from ..errors import GongkaiError, InvalidValue, ReportLocked
from ..report.formats import CellKey
from ..report.model import Report
from ..report.rules import Finding, SectionState, check, section_states
from . import texts as T

NAV_META = "meta"
NAV_CHECK = "check"
NAV_EXPORT = "export"
NAV_PRINT = "print"


class ReportDocument(QObject):
    """One open report. ``changed(what)``: "values", "meta:FIELD", "section:ID", "explanation",
    "status"; ``checked()`` after the findings were recomputed; ``saved(message)`` after each
    write; ``failed(message)`` when the store refused one (the edit is then undone in memory)."""

    changed = Signal(str)
    checked = Signal()
    saved = Signal(str)
    failed = Signal(str)
    focus_requested = Signal(str, object)  # (nav id, cell key / field): an undo shows where it acted

    def __init__(self, store, report_id: int, undo_stack: QUndoStack | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.id = report_id
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.report: Report = store.load(report_id)
        self.findings: list[Finding] = []
        self.states: dict[str, SectionState] = {}
        self.last_saved: float | None = None
        self.last_error = ""
        self.check_seconds = 0.0
        self._recheck(emit=False)

    # -- state ------------------------------------------------------------------------------------
    @property
    def format(self):
        return self.report.format

    @property
    def read_only(self) -> bool:
        return self.report.status == "final"

    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def _recheck(self, emit: bool = True) -> None:
        t0 = time.perf_counter()
        self.findings = check(self.report)
        self.states = section_states(self.report, self.findings)
        self.check_seconds = time.perf_counter() - t0
        if emit:
            self.checked.emit()

    def reload(self) -> None:
        """Read the report again from the store (after finalise / reopen)."""
        self.report = self.store.load(self.id)
        self._recheck()
        self.changed.emit("status")

    def _fail(self, message: str) -> None:
        self.last_error = message
        self.failed.emit(message)

    def _write(self, fn: Callable[[], Any]) -> bool:
        try:
            fn()
        except ReportLocked as exc:
            self._fail(str(exc))
            return False
        except GongkaiError as exc:
            self._fail(str(exc))
            return False
        self.last_saved = time.time()
        self.saved.emit(T.SAVED_AT.format(time=time.strftime("%H:%M:%S")))
        return True

    # -- cells ------------------------------------------------------------------------------------
    def set_cells(self, changes: list[tuple[CellKey, Any]]) -> bool:
        """Parse and store cell values as one undoable step (a paste is one step).

        Values may be typed text or parsed numbers; a value that does not parse stops the whole
        step with its message (nothing is written)."""
        if self.read_only:
            self._fail(T.REPORT_IS_FINAL)
            return False
        parsed: list[tuple[CellKey, V.Value | None]] = []
        try:
            for key, value in changes:
                key = tuple(key)
                parsed.append((key, self.report.parse(key, value)))
        except InvalidValue as exc:
            self._fail(str(exc))
            return False
        real = [(k, v) for k, v in parsed if V.to_storage(self.report.values.get(k)) != V.to_storage(v)]
        if not real:
            return True
        old = [(k, self.report.values.get(k)) for k, _ in real]
        table_section = {s.table: s.id for s in self.format.sections if s.table}
        where = (table_section.get(real[0][0][0], NAV_META), real[0][0])
        cmd = _Command(self, T.UNDO_CELLS.format(n=len(real)) if len(real) > 1 else T.UNDO_CELL.format(
            name=self.format.cell_name(real[0][0])), lambda: self._apply_cells(real), lambda: self._apply_cells(old),
            where)
        self.undo_stack.push(cmd)
        return cmd.ok

    def _apply_cells(self, changes: list[tuple[CellKey, V.Value | None]]) -> bool:
        def write():
            for key, value in changes:
                self.store.set_value(self.id, key, value)
        before = {k: self.report.values.get(k) for k, _ in changes}
        ok = self._write(write)
        if ok:
            for key, value in changes:
                self.report.values[key] = value
        else:
            # a partial write (disk full in the middle): re-read the truth
            try:
                fresh = self.store.load(self.id)
                self.report.values.update({k: fresh.values.get(k) for k in before})
            except GongkaiError:
                pass
        self._recheck()
        self.changed.emit("values")
        return ok

    def clear_declared(self, key: CellKey) -> None:
        """Accept the computed total over the one an imported file declared."""
        if self._write(lambda: self.store.clear_declared(self.id, key)):
            self.report.declared.pop(tuple(key), None)
            self._recheck()
            self.changed.emit("values")

    def set_unit(self, key_text: str, unit: str) -> None:
        units = dict(self.report.meta.units)
        if units.get(key_text) == unit:
            return
        old = dict(units)
        units[key_text] = unit
        self._push_meta("units", old, units, T.UNDO_UNIT)

    # -- meta -------------------------------------------------------------------------------------
    def set_meta(self, field: str, value: Any) -> bool:
        """organ, organ_type, issue_date (date or None), signoff, opening."""
        if self.read_only:
            self._fail(T.REPORT_IS_FINAL)
            return False
        old = getattr(self.report.meta, field)
        if old == value:
            return True
        return self._push_meta(field, old, value, T.UNDO_META.format(field=T.META_LABELS.get(field, field)))

    def _push_meta(self, field: str, old: Any, new: Any, text: str) -> bool:
        where = (NAV_META, field) if field != "units" else (None, None)
        cmd = _Command(self, text, lambda: self._apply_meta(field, new), lambda: self._apply_meta(field, old), where)
        self.undo_stack.push(cmd)
        return cmd.ok

    def _apply_meta(self, field: str, value: Any) -> bool:
        ok = self._write(lambda: self.store.set_meta(self.id, field, value))
        if ok:
            setattr(self.report.meta, field, value)
            if field == "organ":
                self.report.meta.organ = str(value).strip()
        self._recheck()
        self.changed.emit("meta:" + field)
        return ok

    # -- texts (undone in their editor) -----------------------------------------------------------
    def set_section(self, section_id: str, text: str) -> bool:
        if self.report.sections.get(section_id, "") == text:
            return True
        if self.read_only:
            self._fail(T.REPORT_IS_FINAL)
            return False
        ok = self._write(lambda: self.store.set_section(self.id, section_id, text))
        if ok:
            self.report.sections[section_id] = text
            self._recheck()
            self.changed.emit("section:" + section_id)
        return ok

    def set_explanation(self, finding_key: str, text: str) -> bool:
        text = text.strip()
        if self.report.explanations.get(finding_key, "") == text:
            return True
        ok = self._write(lambda: self.store.set_explanation(self.id, finding_key, text))
        if ok:
            if text:
                self.report.explanations[finding_key] = text
            else:
                self.report.explanations.pop(finding_key, None)
            self._recheck()
            self.changed.emit("explanation")
        return ok

    # -- status -----------------------------------------------------------------------------------
    def finalize(self) -> bool:
        ok = self._write(lambda: self.store.finalize(self.id))
        if ok:
            self.undo_stack.clear()
            self.reload()
        return ok

    def reopen(self, reason: str) -> bool:
        ok = self._write(lambda: self.store.reopen(self.id, reason))
        if ok:
            self.reload()
        return ok

    # -- position ---------------------------------------------------------------------------------
    def position(self) -> dict:
        try:
            return self.store.get_position(self.id)
        except GongkaiError:
            return {}

    def save_position(self, pos: dict) -> None:
        try:
            self.store.set_position(self.id, pos)
        except GongkaiError:
            pass  # where the clerk was is a convenience, never worth an error dialog


class _Command(QUndoCommand):
    """An undo step: ``do`` on push and redo, ``undo`` on undo. A refused first ``do`` (the
    report was finalised in another window, the disk is full) leaves nothing to undo."""

    def __init__(self, doc: ReportDocument, text: str, do: Callable[[], bool], undo: Callable[[], bool],
                 where: tuple = (None, None)):
        super().__init__(text)
        self._doc = doc
        self._do, self._undo = do, undo
        self._where = where
        self._first = True
        self.ok = True

    def _show(self) -> None:
        if self._where[0]:
            self._doc.focus_requested.emit(self._where[0], self._where[1])

    def redo(self) -> None:
        if not self._first:
            self._show()
        self.ok = self._do()
        if self._first and not self.ok:
            self.setObsolete(True)
        self._first = False

    def undo(self) -> None:
        self._show()
        self._undo()
