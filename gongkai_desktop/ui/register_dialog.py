"""「从台账计算表三」: count 表三 from the register of applications and show the computed table
beside the current one, with the rows that could not be counted, the deadline 提示 and the
differences; 「写入表三」 writes the changed cells as one undoable step."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QSplitter, QWidget

from ..errors import GongkaiError
from ..register.ledger import TABLE_ID, changes_for, compare, count, load_map
from . import cmds
from . import texts as T
from . import widgets as W
from .table_editor import TableEditor


class RegisterDialog(QDialog):
    def __init__(self, report, result, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(T.LEDGER_TITLE)
        self.setObjectName("registerDialog")
        self.resize(1400, 860)
        self.result = result
        self.changes = changes_for(report, result)
        computed = copy.deepcopy(report)
        for key, value in result.cells().items():
            if computed.format.has_cell(key) and key not in computed.format.derived:
                computed.values[key] = value
        current = TableEditor(report, TABLE_ID, lambda changes: None)
        current.set_read_only(True)
        current.setObjectName("ledgerCurrent")
        mine = TableEditor(computed, TABLE_ID, lambda changes: None)
        mine.set_read_only(True)
        mine.setObjectName("ledgerComputed")
        left = QWidget()
        left.setLayout(W.vbox(W.label(T.LEDGER_CURRENT, bold=True), (current, 1), margin=0))
        right = QWidget()
        right.setLayout(W.vbox(W.label(T.LEDGER_COMPUTED.format(name=Path(result.path).name), bold=True),
                               (mine, 1), margin=0))
        tables = QSplitter(Qt.Horizontal)
        tables.addWidget(left)
        tables.addWidget(right)
        tables.setChildrenCollapsible(False)

        diffs = compare(report, result)
        lines = [T.LEDGER_DIFFS.format(count=len(diffs)) if diffs else T.LEDGER_SAME]
        lines += [T.LEDGER_DIFF_LINE.format(cell=name, typed=T.LEDGER_BLANK if typed is None else typed, computed=n)
                  for name, typed, n in diffs]
        lines += [""] + result.summary_lines()
        self.details = QPlainTextEdit("\n".join(lines))
        self.details.setObjectName("ledgerDetails")
        self.details.setReadOnly(True)
        split = QSplitter(Qt.Vertical)
        split.addWidget(tables)
        split.addWidget(self.details)
        split.setSizes([600, 240])

        buttons = QDialogButtonBox()
        self.write_btn = buttons.addButton(T.LEDGER_WRITE.format(count=len(self.changes)), QDialogButtonBox.AcceptRole)
        self.write_btn.setObjectName("ledgerWrite")
        self.write_btn.setEnabled(bool(self.changes))
        buttons.addButton(T.CANCEL, QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setLayout(W.vbox(W.label(T.LEDGER_HINT, wrap=True), (split, 1), buttons, margin=12, spacing=8))


def compute_from_register(parent, ctx, doc, path: str | None = None, map_path: str | None = None) -> bool:
    """Ask for a register, show the computed 表三 beside the current one, write it when asked
    (one undo step). True when cells were written."""
    path = path or W.open_file_name(parent, T.LEDGER_TITLE, ctx.settings.last_file_dir, T.LEDGER_FILTER)
    if not path:
        return False
    ctx.settings.last_file_dir = str(Path(path).parent)
    report = doc.report
    try:
        mapping = load_map(map_path, report.format.tables[TABLE_ID]) if map_path else _remembered_map(path, report)
        result = count(path, report.meta.year, mapping, fmt=report.format)
    except GongkaiError as exc:
        W.critical(parent, T.LEDGER_TITLE, str(exc))
        return False
    dialog = RegisterDialog(report, result, parent)
    if dialog.exec() != QDialog.Accepted or not dialog.changes:
        return False
    # One undo step; a refusal (a finalised report, a stale edit) is shown the way every edit's is.
    return cmds.ok(lambda: doc.set_cells(dialog.changes))


def _remembered_map(path: str, report):
    """A mapping the clerk made once sits beside the register as 台账对照.json (or MAP.json)."""
    for name in (T.LEDGER_MAP_NAME, "MAP.json"):
        candidate = Path(path).with_name(name)
        if candidate.is_file():
            return load_map(candidate, report.format.tables[TABLE_ID])
    return None
