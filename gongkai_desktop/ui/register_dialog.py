"""「从台账计算表三」: count 表三 from the register of applications and show the computed table
beside the current one, with the rows that could not be counted, the deadline 提示 and the
differences; 「写入表三」 writes the changed cells as one undoable step."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QPlainTextEdit,
                               QSplitter, QWidget)

from ..errors import GongkaiError
from ..register import ledger as L
from ..register.ledger import TABLE_ID, Mapping, changes_for, compare, count, load_map
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

        # The cells that differ are marked in both tables (hover: both values).
        from ..report.findings import Finding

        marks = [Finding("ledger", "warning", T.LEDGER_DIFF_CELL.format(
            typed=T.LEDGER_BLANK if typed is None else typed, computed=n), f"ledger:{'/'.join(key)}", cells=(key,))
            for key, typed, n in L.differing_cells(report, result)]
        current.set_findings(marks)
        mine.set_findings(marks)
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
        self.map_btn = buttons.addButton(T.LEDGER_MAP, QDialogButtonBox.ActionRole)
        self.map_btn.setObjectName("ledgerMap")
        self.map_btn.setToolTip(T.LEDGER_MAP_TIP)
        self.map_btn.clicked.connect(lambda: self.done(MAP_AGAIN))
        self.write_btn = buttons.addButton(T.LEDGER_WRITE.format(count=len(self.changes)), QDialogButtonBox.AcceptRole)
        self.write_btn.setObjectName("ledgerWrite")
        self.write_btn.setEnabled(bool(self.changes))
        buttons.addButton(T.CANCEL, QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setLayout(W.vbox(W.label(T.LEDGER_HINT, wrap=True), (split, 1), buttons, margin=12, spacing=8))


MAP_AGAIN = 2  # the register dialog's answer: the clerk wants to map columns and names first


class MappingDialog(QDialog):
    """The register's columns, and the local applicant and result names that did not map, each
    with a choice; what is chosen is remembered beside the register (台账对照.json)."""

    def __init__(self, headers: list[str], table, mapping: Mapping, unknown_results: list[str],
                 unknown_applicants: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(T.LEDGER_MAP_TITLE)
        self.setObjectName("mappingDialog")
        self.table = table
        self.mapping_in = mapping
        found = L.guess_columns(headers, mapping)
        self.columns: dict[str, QComboBox] = {}
        cols_box = QGroupBox(T.LEDGER_MAP_COLUMNS)
        form = QFormLayout(cols_box)
        for field_id, label in L.T.FIELDS.items():
            combo = QComboBox()
            combo.setObjectName(f"mapColumn_{field_id}")
            combo.addItem(T.LEDGER_MAP_NONE, None)
            for h in headers:
                combo.addItem(h, h)
            if found.get(field_id):
                combo.setCurrentIndex(max(0, combo.findData(found[field_id])))
            form.addRow(label, combo)
            self.columns[field_id] = combo
        result_rows = [r for r in table.rows() if r.id not in L.NOT_RESULTS]
        self.results: dict[str, QComboBox] = {}
        res_box = QGroupBox(T.LEDGER_MAP_RESULTS)
        res_form = QFormLayout(res_box)
        for name in unknown_results:
            combo = QComboBox()
            combo.addItem(T.LEDGER_MAP_SKIP, None)
            for r in result_rows:
                combo.addItem(" ".join(r.path()[1:]), r.id)
            res_form.addRow(name, combo)
            self.results[name] = combo
        self.applicants: dict[str, QComboBox] = {}
        app_box = QGroupBox(T.LEDGER_MAP_APPLICANTS)
        app_form = QFormLayout(app_box)
        for name in unknown_applicants:
            combo = QComboBox()
            combo.addItem(T.LEDGER_MAP_SKIP, None)
            for c in table.columns():
                if (TABLE_ID, "new", c.id) not in _derived(table):
                    combo.addItem(c.label, c.id)
            app_form.addRow(name, combo)
            self.applicants[name] = combo
        buttons = QDialogButtonBox()
        buttons.addButton(T.LEDGER_MAP_USE, QDialogButtonBox.AcceptRole)
        buttons.addButton(T.CANCEL, QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        items = [W.label(T.LEDGER_MAP_HINT, wrap=True), cols_box]
        if unknown_results:
            items.append(res_box)
        if unknown_applicants:
            items.append(app_box)
        inner = QWidget()
        inner.setLayout(W.vbox(*items, margin=0, spacing=10))
        self.setLayout(W.vbox((W.scrolled(inner), 1), buttons, margin=12, spacing=8))
        self.resize(720, 640)

    def mapping(self) -> Mapping:
        m = Mapping(columns={}, results=dict(self.mapping_in.results), applicants=dict(self.mapping_in.applicants))
        for field_id, combo in self.columns.items():
            if combo.currentData():
                m.columns[field_id] = combo.currentData()
        for name, combo in self.results.items():
            if combo.currentData():
                m.results[L._key(name)] = combo.currentData()
        for name, combo in self.applicants.items():
            if combo.currentData():
                m.applicants[L._key(name)] = combo.currentData()
        return m


def _derived(table):
    from ..report.formats import get_format

    return get_format(table.format_id).derived


def compute_from_register(parent, ctx, doc, path: str | None = None, map_path: str | None = None) -> bool:
    """Ask for a register, show the computed 表三 beside the current one, write it when asked
    (one undo step). True when cells were written."""
    path = path or W.open_file_name(parent, T.LEDGER_TITLE, ctx.settings.last_file_dir, T.LEDGER_FILTER)
    if not path:
        return False
    ctx.settings.last_file_dir = str(Path(path).parent)
    report = doc.report
    table = report.format.tables[TABLE_ID]
    try:
        mapping = load_map(map_path, table) if map_path else _remembered_map(path, report)
    except GongkaiError as exc:
        W.critical(parent, T.LEDGER_TITLE, str(exc))
        return False
    unknown = ([], [])
    while True:
        try:
            result = count(path, report.meta.year, mapping, fmt=report.format)
        except GongkaiError as exc:
            # Columns not found: the clerk maps them once (remembered beside the register).
            if not isinstance(exc, L.LedgerError) or not W.confirm(
                    parent, T.LEDGER_TITLE, str(exc), T.LEDGER_MAP_NOW):
                if not isinstance(exc, L.LedgerError):
                    W.critical(parent, T.LEDGER_TITLE, str(exc))
                return False
            mapping = _ask_mapping(parent, path, table, mapping or Mapping(), *unknown)
            if mapping is None:
                return False
            continue
        dialog = RegisterDialog(report, result, parent)
        answer = dialog.exec()
        if answer == MAP_AGAIN:
            unknown = (result.unknown_results, result.unknown_applicants)
            again = _ask_mapping(parent, path, table, mapping or Mapping(), *unknown)
            mapping = again if again is not None else mapping
            continue
        if answer != QDialog.Accepted or not dialog.changes:
            return False
        # One undo step; a refusal (a finalised report, a stale edit) is shown the way every edit's is.
        return cmds.ok(lambda: doc.set_cells(dialog.changes))


def _ask_mapping(parent, path: str, table, mapping: Mapping, unknown_results, unknown_applicants):
    try:
        heads = L.headers(path)
    except GongkaiError as exc:
        W.critical(parent, T.LEDGER_TITLE, str(exc))
        return None
    dialog = MappingDialog(heads, table, mapping, unknown_results, unknown_applicants, parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    chosen = dialog.mapping()
    try:
        L.save_map(Path(path).with_name(T.LEDGER_MAP_NAME), chosen)
    except (OSError, GongkaiError):
        pass  # a read-only folder: the mapping still serves this time
    return chosen


def _remembered_map(path: str, report):
    """A mapping the clerk made once sits beside the register as 台账对照.json (or MAP.json)."""
    for name in (T.LEDGER_MAP_NAME, "MAP.json"):
        candidate = Path(path).with_name(name)
        if candidate.is_file():
            return load_map(candidate, report.format.tables[TABLE_ID])
    return None
