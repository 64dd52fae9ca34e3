"""基本信息: organ, organ type, year and format, issue date, 落款, opening paragraph."""

from __future__ import annotations

import datetime as _dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCalendarWidget, QComboBox, QFormLayout, QLineEdit, QMenu, QToolButton, QWidget,
    QWidgetAction,
)

from ...errors import InvalidValue
from ...report.model import format_date, parse_date
from .. import cmds
from .. import colors as C
from .. import texts as T
from .. import widgets as W
from ..dialogs import format_label, meta_row_label
from ..open_report import NAV_META
from ..qtutils import ExplainReadOnly, SaveTimer
from .base import Page


# The day an example 成文日期 shows (the placeholder, the calendar before a date is chosen), in
# the year after the report's: inside every format's usual window (rule M2).
EXAMPLE_MONTH_DAY = (1, 20)


def example_issue_date(year: int) -> _dt.date:
    """An example 成文日期 for a report of ``year`` (「2021年1月20日」 for 2020, not today's year)."""
    return _dt.date(year + 1, *EXAMPLE_MONTH_DAY)


def organ_type_checks(fmt) -> str:
    """The checks only some organ types get (rules with ``when.organ_type``), in their titles:
    「人民政府的年报另有 3 项检查：…」, one line per organ type."""
    titles: dict[str, list[str]] = {}
    for rule in fmt.rules:
        for type_id in rule.data.get("when", {}).get("organ_type", []):
            titles.setdefault(fmt.organ_type_label(type_id), []).append(rule.title)
    return "\n".join(T.ORGAN_TYPE_HINT.format(label=label, n=len(t), titles=T.ORGAN_TYPE_HINT_SEP.join(t))
                     for label, t in titles.items())


def issue_date_hint(fmt) -> str:
    """The 成文日期 hint, with the window the format's issue_date_window rule checks."""
    window = next((r for r in fmt.rules if r.kind == "issue_date_window" and "months" in r.data), None)
    if window is None:
        return T.ISSUE_DATE_HINT
    m1, m2 = window.data["months"]
    return T.ISSUE_DATE_HINT + T.ISSUE_DATE_WINDOW.format(m1=m1, m2=m2)


class MetaPage(Page):
    nav_id = NAV_META

    def __init__(self, ctx, doc, parent=None):
        super().__init__(ctx, doc, parent)
        self.heading.setText(T.NAV_META)
        fmt = doc.format

        self.organ = QLineEdit()
        self.organ.setObjectName("organ")
        self.organ.setPlaceholderText(T.NEW_ORGAN_PLACEHOLDER)
        self.organ.editingFinished.connect(self._organ_done)
        self.organ_error = self._error_label()

        self.organ_type = QComboBox()
        self.organ_type.setObjectName("organType")
        for type_id, label in fmt.organ_types:
            self.organ_type.addItem(label, type_id)
        self.organ_type.activated.connect(self._organ_type_done)
        self.organ_type_hint = W.label(organ_type_checks(fmt), wrap=True, style=C.style(C.HINT))

        self.year = W.label("", name="yearLabel")
        self.format = W.label("", wrap=True, name="formatLabel")
        self.title_preview = W.label("", wrap=True, selectable=True, name="titlePreview")

        self.issue_date = QLineEdit()
        self.issue_date.setObjectName("issueDate")
        self.issue_date.editingFinished.connect(self._date_done)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._date_picked)
        pick = QToolButton()
        pick.setText(T.PICK_DATE)
        pick.setPopupMode(QToolButton.InstantPopup)
        menu = QMenu(pick)
        wa = QWidgetAction(menu)
        wa.setDefaultWidget(self.calendar)
        menu.addAction(wa)
        pick.setMenu(menu)
        self._date_menu = menu
        self.pick_date = pick
        self.today_btn = W.button(T.TODAY, lambda: self._set_date(_dt.date.today()))
        self.date_error = self._error_label()
        self.date_hint = W.label(issue_date_hint(fmt), wrap=True, style=C.style(C.HINT))

        self.signoff = QLineEdit()
        self.signoff.setObjectName("signoff")
        self.signoff.editingFinished.connect(self._signoff_done)
        self.signoff_hint = W.label(T.SIGNOFF_HINT, wrap=True, style=C.style(C.HINT))

        self.opening = W.PlainTextEdit()
        self.opening.setObjectName("opening")
        self.opening.setPlaceholderText(T.OPENING_PLACEHOLDER)
        self.opening.setMinimumHeight(140)
        self._opening_timer = SaveTimer(self, self._save_opening)  # also saves every 2 s of typing
        self.opening.textChanged.connect(self._opening_timer.start)
        from ..text_findings import TextFindings  # engineer E: the opening's text findings underlined

        self.opening_findings = TextFindings(self.opening, doc, "meta")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow(meta_row_label("organ"), W.vbox(self.organ, self.organ_error, spacing=2))
        form.addRow(meta_row_label("organ_type"), W.vbox(W.hbox(self.organ_type, "stretch"), self.organ_type_hint, spacing=2))
        form.addRow(meta_row_label("year"), self.year)
        form.addRow(T.FIELD_FORMAT, self.format)
        form.addRow(T.FIELD_TITLE, self.title_preview)
        form.addRow(meta_row_label("issue_date"), W.vbox(W.hbox((self.issue_date, 1), self.pick_date, self.today_btn),
                                               self.date_error, self.date_hint, spacing=2))
        form.addRow(meta_row_label("signoff"), W.vbox(self.signoff, self.signoff_hint, spacing=2))
        form.addRow(meta_row_label("opening"), self.opening)

        inner = QWidget()
        inner.setLayout(W.vbox(self.heading, form, "stretch", margin=4, spacing=12))
        self.setLayout(W.vbox(W.scrolled(inner, 900)))
        for w in (self.organ, self.issue_date, self.signoff, self.opening):  # typing when locked says why
            ExplainReadOnly(w, self._say_locked)
        self.activate()

    def _say_locked(self) -> None:
        self.message.emit(T.TYPING_LOCKED.format(reason=self.doc.lock_text() or T.REPORT_IS_FINAL))

    def _error_label(self):
        w = W.label("", wrap=True, style=C.style(C.STATE["error"]))
        w.hide()
        return w

    def guidance(self) -> str:
        checks = organ_type_checks(self.doc.format)
        return T.GUIDE_META.format(example=format_date(example_issue_date(self.doc.report.meta.year)),
                                   organ_checks=T.GUIDE_ORGAN_CHECKS.format(checks=checks) if checks else "")

    # -- showing --------------------------------------------------------------------------------
    def activate(self) -> None:
        r = self.doc.report
        m = r.meta
        if not self.organ.hasFocus():
            self.organ.setText(m.organ)
        self.organ_type.setCurrentIndex(max(self.organ_type.findData(m.organ_type), 0))
        self.year.setText(T.YEAR_TEXT.format(year=m.year))
        self.format.setText(format_label(r.format))
        self.title_preview.setText(r.title)
        example = example_issue_date(m.year)
        self.issue_date.setPlaceholderText(T.ISSUE_DATE_PLACEHOLDER.format(date=format_date(example)))
        if not self.issue_date.hasFocus():
            self.issue_date.setText(format_date(m.issue_date))
            self.date_error.hide()
        shown = m.issue_date or example
        self.calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        if not self.signoff.hasFocus():
            self.signoff.setText(m.signoff)
        self.signoff.setPlaceholderText(T.SIGNOFF_PLACEHOLDER.format(organ=m.organ))
        if self.opening.toPlainText() != m.opening and not self._opening_timer.pending:
            self.opening.blockSignals(True)
            self.opening.setPlainText(m.opening)
            self.opening.blockSignals(False)
            self.opening_findings.refresh()  # engineer E

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.organ, self.issue_date, self.signoff):
            w.setReadOnly(read_only)
        self.opening.setReadOnly(read_only)
        for w in (self.organ_type, self.pick_date, self.today_btn):
            w.setEnabled(not read_only)

    def focus(self, target=None) -> None:
        fields = {"organ": self.organ, "organ_type": self.organ_type, "issue_date": self.issue_date,
                  "signoff": self.signoff, "opening": self.opening}
        if isinstance(target, dict) and target.get("span"):  # engineer E: 转到 a finding in the opening
            self.opening_findings.select(target["span"])
            target = "opening"
        w = fields.get(target) if isinstance(target, str) else None
        (w or self.organ).setFocus()

    def flush(self) -> None:
        if self._opening_timer.pending:
            self._save_opening()

    # -- edits ----------------------------------------------------------------------------------
    def _organ_done(self) -> None:
        text = self.organ.text().strip()
        if text == self.doc.report.meta.organ:
            self.organ_error.hide()
            return
        if not text:
            self.organ_error.setText(T.ORGAN_REQUIRED)
            self.organ_error.show()
            return
        self.organ_error.hide()
        if cmds.ok(lambda: self.doc.set_meta("organ", text)):
            self.activate()

    def _organ_type_done(self, _index: int) -> None:
        cmds.ok(lambda: self.doc.set_meta("organ_type", self.organ_type.currentData()))

    def _date_done(self) -> None:
        text = self.issue_date.text().strip()
        try:
            d = parse_date(text) if text else None
        except InvalidValue as exc:
            self.date_error.setText(str(exc))
            self.date_error.show()
            return
        self._set_date(d)

    def _date_picked(self, qdate: QDate) -> None:
        self._date_menu.hide()
        self._set_date(_dt.date(qdate.year(), qdate.month(), qdate.day()))

    def _set_date(self, d: _dt.date | None) -> None:
        self.date_error.hide()
        self.issue_date.setText(format_date(d))
        cmds.ok(lambda: self.doc.set_meta("issue_date", d))

    def _signoff_done(self) -> None:
        cmds.ok(lambda: self.doc.set_meta("signoff", self.signoff.text().strip()))

    def _save_opening(self) -> None:
        if cmds.ok(lambda: self.doc.set_meta("opening", self.opening.toPlainText().strip())):
            self._opening_timer.done()
