"""The window's own dialogs: a new report, reopening a final report, the fonts used for export."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPlainTextEdit, QSpinBox, QWidget,
)

from ..errors import GongkaiError, YearError
from ..report.formats import all_formats, format_for_year
from ..report.fields import meta_label
from ..report.model import default_organ_type, guess_organ_type
from . import texts as T
from . import widgets as W


def format_label(fmt) -> str:
    """How a format is named to a clerk: 2021 年版（国办公开办函〔2021〕30号）."""
    return T.FORMAT_LONG.format(name=fmt.name, notice=fmt.notice)


def meta_row_label(name: str) -> str:
    """A form row's label for a meta field (「机关名称：」), from its one declaration."""
    return T.FIELD_LABEL.format(label=meta_label(name))


def add_report(parent, store, report, title: str) -> int | None:
    """Store a report brought in from outside (an exchange file, a published report): when the
    store already has one for that organ and year the clerk is asked first. The new id, or None
    (declined, or refused with the reason shown)."""
    try:
        if store.find(report.meta.organ, report.meta.year) is not None and not W.confirm(
                parent, title, T.IMPORT_EXISTS.format(organ=report.meta.organ, year=report.meta.year),
                T.IMPORT_ANYWAY):
            return None
        return store.add(report)
    except GongkaiError as exc:
        W.critical(parent, title, str(exc))
        return None


def format_short(format_id: str) -> str:
    for fmt in all_formats():
        if fmt.id == format_id:
            trial = T.FORMAT_TRIAL if "试行" in fmt.name else ""
            return T.FORMAT_SHORT.format(year=fmt.year_from, trial=trial)
    return format_id


def default_year(today: _dt.date | None = None) -> int:
    """Reports are written in January for the year just ended."""
    return (today or _dt.date.today()).year - 1


class NewReportDialog(QDialog):
    """机关名称, 机关类型, 年度 (last calendar year by default) and the format that year uses."""

    def __init__(self, parent: QWidget | None = None, organ: str = "", organ_type: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(T.NEW_TITLE)
        self.setMinimumWidth(560)
        self.organ = QLineEdit(organ)
        self.organ.setPlaceholderText(T.NEW_ORGAN_PLACEHOLDER)
        self.organ.setObjectName("organ")
        self.organ_type = QComboBox()
        self.organ_type.setObjectName("organType")
        fmt = all_formats()[-1]
        for type_id, label in fmt.organ_types:
            self.organ_type.addItem(label, type_id)
        i = self.organ_type.findData(organ_type or default_organ_type(fmt))  # the format file's default
        self.organ_type.setCurrentIndex(max(i, 0))
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(all_formats()[0].year_from, _dt.date.today().year)
        self.year.setValue(default_year())
        self.year.setSuffix(T.YEAR_SUFFIX)
        self.format_label = W.label(wrap=True, name="formatLabel")
        self.error = W.label(wrap=True, style=f"color: {W.COLORS['error']};")
        self.error.hide()
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight)
        form.addRow(meta_row_label("organ"), self.organ)
        form.addRow(meta_row_label("organ_type"), self.organ_type)
        form.addRow(meta_row_label("year"), self.year)
        form.addRow(T.FIELD_FORMAT, self.format_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(T.NEW_CREATE)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.setLayout(W.vbox(W.label(T.NEW_HINT, wrap=True), form, self.error, "stretch", buttons,
                              margin=W.MARGIN))
        self.year.valueChanged.connect(self._year_changed)
        self._year_changed()
        self._type_touched = False
        self.organ_type.activated.connect(lambda _i: setattr(self, "_type_touched", True))
        self.organ.textEdited.connect(self._guess_type)

    def _guess_type(self, text: str) -> None:
        """人民政府 → 人民政府, 街道办事处/乡/镇 → 乡镇（街道）, unless the clerk chose a type."""
        if self._type_touched:
            return
        if not text.strip():  # nothing to go by: the type stays as it is
            return
        i = self.organ_type.findData(guess_organ_type(text))  # the combo lists the latest format's types
        if i >= 0:
            self.organ_type.setCurrentIndex(i)

    def _year_changed(self) -> None:
        try:
            fmt = format_for_year(self.year.value())
            self.format_label.setText(format_label(fmt))
        except YearError as exc:
            self.format_label.setText(str(exc))

    def _accept(self) -> None:
        if not self.organ.text().strip():
            self.error.setText(T.ORGAN_REQUIRED)
            self.error.show()
            self.organ.setFocus()
            return
        self.accept()

    def values(self) -> tuple[str, str, int]:
        return self.organ.text().strip(), self.organ_type.currentData(), self.year.value()


class ReopenDialog(QDialog):
    """取消定稿 is an explicit act with a reason that goes into the report's history."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(T.REOPEN_TITLE)
        self.setMinimumWidth(480)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(T.REOPEN_PLACEHOLDER)
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.error = W.label(wrap=True, style=f"color: {W.COLORS['error']};")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(T.REOPEN_BUTTON)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.setLayout(W.vbox(W.label(T.REOPEN_TEXT, wrap=True), self.reason, self.error, buttons,
                              margin=W.MARGIN))

    def _accept(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.setText(T.REOPEN_NEED_REASON)
            self.error.show()
            return
        self.accept()

    def text(self) -> str:
        return self.reason.toPlainText().strip()


class FontDialog(QDialog):
    """Choose the font of each role for export (自动 = the official order of preference)."""

    def __init__(self, families: list[str], current: dict[str, str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(T.FONTS_TITLE)
        self.setMinimumWidth(520)
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for role in T.FONT_ROLES:
            combo = QComboBox()
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.NoInsert)
            combo.addItem(T.FONTS_AUTO, "")
            for fam in families:
                combo.addItem(fam, fam)
            value = current.get(role, "")
            if value:
                i = combo.findData(value)
                if i < 0:
                    combo.addItem(value, value)
                    i = combo.count() - 1
                combo.setCurrentIndex(i)
            self.combos[role] = combo
            form.addRow(T.FONT_ROLES[role], combo)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Reset)
        buttons.button(QDialogButtonBox.Reset).setText(T.FONTS_RESET)
        buttons.button(QDialogButtonBox.Reset).clicked.connect(self._reset)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.setLayout(W.vbox(W.label(T.FONTS_HINT, wrap=True), form, buttons, margin=W.MARGIN))

    def _reset(self) -> None:
        for combo in self.combos.values():
            combo.setCurrentIndex(0)

    def values(self) -> dict[str, str]:
        out = {}
        for role, combo in self.combos.items():
            text = combo.currentText().strip()
            if text and text != T.FONTS_AUTO:
                out[role] = text
        return out


# Entry points the window calls (replaced by answers in the tests).


def ask_new_report(parent=None) -> tuple[str, str, int] | None:
    dlg = NewReportDialog(parent)
    return dlg.values() if dlg.exec() else None


def ask_reopen_reason(parent=None) -> str | None:
    dlg = ReopenDialog(parent)
    return dlg.text() if dlg.exec() else None


def ask_fonts(families: list[str], current: dict[str, str], parent=None) -> dict[str, str] | None:
    dlg = FontDialog(families, current, parent)
    return dlg.values() if dlg.exec() else None
