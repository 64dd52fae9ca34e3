"""「导入已发布的年报」: read a published report (Word, web page, PDF, text) and show the source
beside what was read — meta, sections, the three tables and the reading report — before it is
saved as a new report. Nothing is stored until the clerk says so."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit,
                               QSplitter, QTabWidget, QWidget)

from ..errors import GongkaiError
from ..report.fields import meta_label
from ..report.model import format_date
from . import texts as T
from .dialogs import add_report
from . import widgets as W
from .table_editor import TableEditor


def _text_view(text: str, name: str = "") -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.WidgetWidth)
    if name:
        view.setObjectName(name)
    return view


class ReadDialog(QDialog):
    """Shows a :class:`~gongkai_desktop.reading.Reading`; ``report()`` is what will be saved."""

    def __init__(self, reading, parent: QWidget | None = None):
        super().__init__(parent)
        self.reading = reading
        self._report = copy.deepcopy(reading.report)
        self.setWindowTitle(T.READ_TITLE)
        self.setObjectName("readDialog")
        self.resize(1280, 820)
        fmt = self._report.format

        source = _text_view(reading.source.plain_text(), "readSource")
        left = QWidget()
        left.setLayout(W.vbox(W.label(T.READ_SOURCE.format(name=Path(reading.source.path).name), bold=True),
                              (source, 1), margin=0))

        tabs = QTabWidget()
        tabs.setObjectName("readTabs")
        report_view = _text_view(reading.report_text(), "readReport")
        tabs.addTab(report_view, T.READ_TAB_REPORT)

        meta = QWidget()
        form = QFormLayout(meta)
        self.organ = QLineEdit(self._report.meta.organ)
        self.organ.setObjectName("readOrgan")
        self.organ_type = QComboBox()
        self.organ_type.setObjectName("readOrganType")
        for type_id, label in fmt.organ_types:
            self.organ_type.addItem(label, type_id)
        self.organ_type.setCurrentIndex(max(0, self.organ_type.findData(self._report.meta.organ_type)))
        form.addRow(meta_label("organ"), self.organ)
        form.addRow(meta_label("organ_type"), self.organ_type)
        form.addRow(meta_label("year"), W.label(str(self._report.meta.year)))
        form.addRow(meta_label("issue_date"), W.label(format_date(self._report.meta.issue_date) or T.READ_NONE))
        form.addRow(meta_label("signoff"), W.label(self._report.meta.signoff or T.READ_SIGNOFF_SAME))
        if self._report.meta.opening:
            form.addRow(meta_label("opening"), _text_view(self._report.meta.opening))
        tabs.addTab(meta, T.READ_TAB_META)

        # The checks mark what the clerk should look at in the tables (blanks, a published total
        # that disagrees with its parts) as they would in the editor.
        from ..report.rules import check

        findings = check(self._report)
        for s in fmt.sections:
            if s.text != "none":
                tabs.addTab(_text_view(self._report.sections.get(s.id, "") or T.READ_NONE, f"readSection_{s.id}"),
                            s.heading)
            if s.table:
                editor = TableEditor(self._report, s.table, lambda changes: None)
                editor.set_read_only(True)
                editor.set_findings(findings)
                editor.setObjectName(f"readTable_{s.table}")
                tabs.addTab(editor, T.READ_TAB_TABLE.format(number=fmt.tables[s.table].number))

        split = QSplitter(Qt.Horizontal)
        split.addWidget(left)
        split.addWidget(tabs)
        split.setSizes([520, 760])
        split.setChildrenCollapsible(False)

        buttons = QDialogButtonBox()
        self.save_btn = buttons.addButton(T.READ_SAVE, QDialogButtonBox.AcceptRole)
        self.save_btn.setObjectName("readSave")
        buttons.addButton(T.CANCEL, QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        hint = W.label(T.READ_HINT, wrap=True)
        self.setLayout(W.vbox(hint, (split, 1), buttons, margin=12, spacing=8))

    def _accept(self) -> None:
        if not self.organ.text().strip():
            W.warning(self, T.READ_TITLE, T.ORGAN_REQUIRED)
            return
        self.accept()

    def report(self):
        """The report to save, with the clerk's corrections to organ and organ type."""
        r = self._report
        r.meta.organ = self.organ.text().strip()
        r.meta.organ_type = self.organ_type.currentData()
        return r


def read_and_import(parent, ctx, path: str | None = None) -> int | None:
    """Ask for a file, read it, show it, store it when the clerk agrees; the new report's id."""
    from ..reading import read_file

    path = path or W.open_file_name(parent, T.READ_TITLE, ctx.settings.last_file_dir, T.READ_FILTER)
    if not path:
        return None
    ctx.settings.last_file_dir = str(Path(path).parent)
    try:
        reading = read_file(path)
    except GongkaiError as exc:
        W.critical(parent, T.READ_TITLE, str(exc))
        return None
    dialog = ReadDialog(reading, parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    return add_report(parent, ctx.store, dialog.report(), T.READ_TITLE)
