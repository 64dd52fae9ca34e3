"""The open report: the one owner of its state in the window.

:class:`OpenReport` keeps the :class:`~gongkai_desktop.report.model.Report` in memory, writes
every edit through to the store at once (the store commits each edit durably), re-runs the
checks, and announces every change through signals; pages listen instead of comparing stamps.
What it holds is what the store holds: after a write the field is read back from the store
rather than re-derived here, so there is no second copy of the store's rules to keep in step.

Refusals are raised as :class:`~gongkai_desktop.errors.GongkaiError` (with the Chinese message)
and shown once by :mod:`.cmds`. Cell, unit and 基本信息 edits go through the context's undo
stack; text edits are undone inside their own editor (Ctrl+Z there).
"""

from __future__ import annotations

import time
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..errors import GongkaiError, ReportLocked, StaleEdit
from ..report import sentences, values as V
from ..report.fields import meta_label
from ..report.formats import CellKey
from ..report.model import Report
from ..report.rules import Finding, SectionState, check, section_states
from . import cmds
from . import texts as T

NAV_META = "meta"
NAV_CHECK = "check"
NAV_EXPORT = "export"
NAV_PRINT = "print"

_TEXT_META = ("organ", "signoff", "opening")  # the 基本信息 the clerk types as text (stale bases apply)

# Why the report cannot be changed in this window (None: it can).
LOCK_FINAL = "final"  # 已定稿
LOCK_STORE = "store"  # the database file cannot be written
LOCK_OTHER = "other"  # another window has it open
LOCK_STALE = "stale"  # another window changed it after this one read it
LOCK_COLLECTED = "collected"  # an organ's report in the supervising office's collection: the organ's words


class OpenReport(QObject):
    """One open report. ``changed(what)``: "values", "meta:FIELD", "section:ID", "explanation",
    "status", "lock"; ``checked()`` after the findings were recomputed; ``saved(message)`` after
    each write. :attr:`revision` counts the changes (a cache key for what is drawn from them)."""

    changed = Signal(str)
    checked = Signal()
    saved = Signal(str)
    focus_requested = Signal(str, object)  # (nav id, cell key / field): an undo shows where it acted

    def __init__(self, store, report_id: int, undo_stack: QUndoStack | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.id = report_id
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.report: Report = store.load(report_id)
        self.findings: list[Finding] = []
        self.states: dict[str, SectionState] = {}
        self.revision = 0
        self.check_seconds = 0.0
        self.others: list = []  # the other sessions that had the report open when this one opened it
        self._lock: str | None = None
        self._opened = False
        self._open_session()
        self._recheck(emit=False)

    # -- sessions -----------------------------------------------------------------------------------
    def _open_session(self) -> None:
        """Tell the store this window has the report open, and learn whether another has it too:
        then this window only shows it, so two windows never overwrite each other."""
        if self.store.read_only:
            self._lock = LOCK_STORE
            return
        if self.store.is_collected(self.id):
            # What an organ sent in is what it is accountable for: the office reads and sends it
            # back (审核意见); a correction comes as a re-sent report, never as the office's edit.
            self._lock = LOCK_COLLECTED
            return
        try:
            self.others = list(self.store.other_editors(self.id))
            if self.others:
                self._lock = LOCK_OTHER
                return
            self.store.mark_open(self.id)
            self._opened = True
        except GongkaiError:
            pass  # who else has it open is a safeguard; the stale-save check still holds

    def close(self) -> None:
        if self._opened:
            self._opened = False
            try:
                self.store.mark_closed(self.id)
            except GongkaiError:
                pass  # a session mark left behind is cleared as stale by the next open

    # -- state ------------------------------------------------------------------------------------
    @property
    def format(self):
        return self.report.format

    @property
    def is_final(self) -> bool:
        return self.report.status == "final"

    @property
    def lock(self) -> str | None:
        """Why nothing can be changed here: LOCK_FINAL, LOCK_STORE, LOCK_OTHER, LOCK_STALE,
        LOCK_COLLECTED or None."""
        if self._lock in (LOCK_STORE, LOCK_OTHER, LOCK_STALE, LOCK_COLLECTED):
            return self._lock
        return LOCK_FINAL if self.is_final else None

    @property
    def read_only(self) -> bool:
        return self.lock is not None

    def lock_text(self) -> str:
        """The Chinese reason for :attr:`lock` ("" when the report can be changed)."""
        lock = self.lock
        if lock == LOCK_FINAL:
            return T.REPORT_IS_FINAL
        if lock == LOCK_STORE:
            return T.LOCK_STORE
        if lock == LOCK_STALE:
            return T.LOCK_STALE
        if lock == LOCK_COLLECTED:
            return T.LOCK_COLLECTED
        if lock == LOCK_OTHER:
            return T.LOCK_OTHER.format(who=T.LOCK_OTHER_SEP.join(_who(s) for s in self.others) or T.LOCK_OTHER_SOMEONE)
        return ""

    def _refuse_if_locked(self) -> None:
        if self.lock is not None:
            raise ReportLocked(self.lock_text())

    def finalized_when(self) -> str:
        """「2026年1月20日 10:30」 when the report was finalised, "" when that time is unknown (an
        imported final report may carry none): the wording must then leave the time out."""
        from .widgets import local_time, long_time

        at = self.report.finalized_at
        return long_time(at) if self.is_final and local_time(at) is not None else ""

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

    def _announce(self, what: str) -> None:
        self.revision += 1
        self.changed.emit(what)

    def reload(self) -> None:
        """Read the report again from the store (after finalise / reopen)."""
        self.report = self.store.load(self.id)
        self._recheck()
        self._announce("status")

    def _write(self, fn: Callable[[], Any]) -> None:
        """Run one store write; a refusal propagates as it is. A save refused because another
        window changed the text first leaves this window read-only until reopened."""
        try:
            fn()
        except GongkaiError as exc:
            if isinstance(exc, StaleEdit) and self._lock is None:
                self._lock = LOCK_STALE
                self._announce("lock")
            raise
        self.saved.emit(T.SAVED_AT.format(time=time.strftime("%H:%M:%S")))

    # -- cells ------------------------------------------------------------------------------------
    def set_cells(self, changes: list[tuple[CellKey, Any]]) -> None:
        """Parse and store cell values as one undoable step (a paste is one step).

        Values may be typed text or parsed numbers; a value that does not parse stops the whole
        step with its message (nothing is written)."""
        self._refuse_if_locked()
        parsed: list[tuple[CellKey, V.Value | None]] = []
        for key, value in changes:
            key = tuple(key)
            # The table editor hands over values it has parsed already (to refuse a bad one at its
            # cell): only text is parsed here, once; the store still checks every value it writes.
            if value is None or isinstance(value, str):
                value = self.report.parse(key, value)
            parsed.append((key, value))
        real = [(k, v) for k, v in parsed if V.to_storage(self.report.values.get(k)) != V.to_storage(v)]
        if not real:
            return
        old = [(k, self.report.values.get(k)) for k, _ in real]
        table_section = {s.table: s.id for s in self.format.sections if s.table}
        where = (table_section.get(real[0][0][0], NAV_META), real[0][0])
        name = (T.UNDO_CELLS.format(n=len(real)) if len(real) > 1
                else T.UNDO_CELL.format(name=self.format.cell_name(real[0][0])))
        self._push(_Command(self, name, lambda: self._apply_cells(real), lambda: self._apply_cells(old), where))

    def _push(self, cmd: "_Command") -> None:
        self.undo_stack.push(cmd)
        if cmd.error is not None:
            raise cmd.error

    def _apply_cells(self, changes: list[tuple[CellKey, V.Value | None]]) -> None:
        try:
            self._write(lambda: self.store.set_values(self.id, changes))
            for key, value in changes:
                self.report.values[key] = value
            self._relink()
        except GongkaiError:
            # nothing was written (one transaction): re-read the truth all the same
            try:
                fresh = self.store.load(self.id)
                self.report.values.update({k: fresh.values.get(k) for k, _ in changes})
            except GongkaiError:
                pass
            raise
        finally:
            self._recheck()
            self._announce("values")

    def clear_declared(self, key: CellKey) -> None:
        """Accept the computed total over the one an imported file declared."""
        self._refuse_if_locked()
        self._write(lambda: self.store.clear_declared(self.id, key))
        self.report.declared.pop(tuple(key), None)
        self._recheck()
        self._announce("values")

    def set_unit(self, key_text: str, unit: str) -> None:
        units = dict(self.report.meta.units)
        if units.get(key_text) == unit:
            return
        self._refuse_if_locked()
        old = dict(units)
        units[key_text] = unit
        self._push_meta("units", old, units, T.UNDO_UNIT)

    # -- meta -------------------------------------------------------------------------------------
    def set_meta(self, field: str, value: Any) -> None:
        """organ, organ_type, issue_date (date or None), signoff, opening."""
        old = getattr(self.report.meta, field)
        if old == value:
            return
        self._refuse_if_locked()
        self._push_meta(field, old, value, T.UNDO_META.format(field=meta_label(field)))

    def _push_meta(self, field: str, old: Any, new: Any, text: str) -> None:
        where = (NAV_META, field) if field != "units" else (None, None)
        self._push(_Command(self, text, lambda: self._apply_meta(field, new), lambda: self._apply_meta(field, old),
                            where))

    def _apply_meta(self, field: str, value: Any) -> None:
        try:
            # The texts pass what this window last read as the base (a stale window is refused).
            base = (getattr(self.report.meta, field) or "") if field in _TEXT_META else None
            self._write(lambda: self.store.set_meta(self.id, field, value, base=base))
            # What the store kept (it normalises, e.g. trims the organ name): read it back.
            setattr(self.report.meta, field, getattr(self.store.load(self.id).meta, field))
        finally:
            self._recheck()
            self._announce("meta:" + field)

    # -- texts (undone in their editor) -----------------------------------------------------------
    def set_section(self, section_id: str, text: str) -> None:
        """Store a section's text. The text this window last read is passed as the base, so a
        text another window changed in the meantime is never overwritten (StaleEdit)."""
        base = self.report.sections.get(section_id, "")
        if base == text:
            return
        self._refuse_if_locked()
        self._write(lambda: self.store.set_section(self.id, section_id, text, base=base))
        self.report.sections[section_id] = text
        self._recheck()
        self._announce("section:" + section_id)

    def set_explanation(self, finding_key: str, text: str) -> None:
        text = text.strip()
        if self.report.explanations.get(finding_key, "") == text:
            return
        if self.lock not in (None, LOCK_FINAL):  # an explanation may still be given after 定稿
            raise ReportLocked(self.lock_text())
        base = self.report.explanations.get(finding_key, "")
        self._write(lambda: self.store.set_explanation(self.id, finding_key, text, base=base))
        if text:
            self.report.explanations[finding_key] = text
        else:
            self.report.explanations.pop(finding_key, None)
        self._recheck()
        self._announce("explanation")

    # -- linked statistics sentences (engineer E) ---------------------------------------------------
    def link_sentence(self, section_id: str, kind: str, sentence: str) -> None:
        """Record that ``sentence`` (written from the tables, just inserted) is linked."""
        self._refuse_if_locked()
        mapping = {sid: dict(kinds) for sid, kinds in self.report.generated.items()}
        mapping.setdefault(section_id, {})[kind] = sentence
        self._write(lambda: self.store.set_generated(self.id, mapping))
        self.report.generated = mapping
        self._recheck()
        self._announce("section:" + section_id)

    def _relink(self) -> None:
        """After the tables changed: the linked sentences follow their figures (an edited one is
        unlinked and left alone)."""
        if not self.report.generated:
            return
        before = dict(self.report.sections)
        generated = {sid: dict(kinds) for sid, kinds in self.report.generated.items()}
        changed = sentences.refresh(self.report)
        try:
            for sid, text in changed.items():
                self._write(lambda sid=sid, text=text: self.store.set_section(
                    self.id, sid, text, base=before.get(sid, "")))
            if self.report.generated != generated:
                self._write(lambda: self.store.set_generated(self.id, self.report.generated))
        except GongkaiError:
            self.report.sections.update({sid: before.get(sid, "") for sid in changed})
            self.report.generated = generated
            raise
        for sid in changed:
            self._announce("section:" + sid)

    # -- the 解读 (engineer H) --------------------------------------------------------------------
    def set_jiedu(self, text: str) -> None:
        """Store the clerk's 解读 text ("" = use the generated one). Allowed on a final report:
        the 解读 is written from the settled report and published beside it."""
        if self.report.jiedu == text:
            return
        if self.lock not in (None, LOCK_FINAL):
            raise ReportLocked(self.lock_text())
        base = self.report.jiedu or ""
        self._write(lambda: self.store.set_jiedu(self.id, text, base=base))
        self.report.jiedu = text

    # -- status -----------------------------------------------------------------------------------
    def finalize(self) -> None:
        if self.lock not in (None, LOCK_FINAL):
            raise ReportLocked(self.lock_text())
        self._write(lambda: self.store.finalize(self.id))
        self.undo_stack.clear()
        self.reload()

    def reopen(self, reason: str) -> None:
        if self.lock not in (None, LOCK_FINAL):
            raise ReportLocked(self.lock_text())
        self._write(lambda: self.store.reopen(self.id, reason))
        self.reload()

    # -- position ---------------------------------------------------------------------------------
    def position(self) -> dict:
        try:
            return self.store.get_position(self.id)
        except GongkaiError:
            return {}

    def save_position(self, pos: dict) -> None:
        if self.lock in (LOCK_STORE, LOCK_OTHER):
            return  # nothing may be written, and the other window's place is its own
        try:
            self.store.set_position(self.id, pos)
        except GongkaiError:
            pass  # where the clerk was is a convenience, never worth an error dialog


def _who(session) -> str:
    from .widgets import long_time

    since = getattr(session, "since", None)
    if hasattr(since, "isoformat"):
        since = since.isoformat()
    return T.LOCK_OTHER_WHO.format(host=getattr(session, "host", "?"), pid=getattr(session, "pid", "?"),
                                   since=long_time(since) if since else "—")


class _Command(QUndoCommand):
    """An undo step: ``do`` on push and redo, ``undo`` on undo. A refused first ``do`` (the
    report was finalised in another window, the disk is full) leaves nothing to undo and its
    error is raised by :meth:`OpenReport._push`; a refused undo or redo later is shown by
    :mod:`.cmds` (Qt calls these, so they must not raise)."""

    def __init__(self, doc: OpenReport, text: str, do: Callable[[], None], undo: Callable[[], None],
                 where: tuple = (None, None)):
        super().__init__(text)
        self._doc = doc
        self._do, self._undo = do, undo
        self._where = where
        self._first = True
        self.error: GongkaiError | None = None

    def _show(self) -> None:
        if self._where[0]:
            self._doc.focus_requested.emit(self._where[0], self._where[1])

    def redo(self) -> None:
        first, self._first = self._first, False
        if not first:
            self._show()
            cmds.ok(self._do)
            return
        try:
            self._do()
        except GongkaiError as exc:
            self.error = exc
            self.setObsolete(True)

    def undo(self) -> None:
        self._show()
        cmds.ok(self._undo)
