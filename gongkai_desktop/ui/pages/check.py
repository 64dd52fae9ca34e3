"""检查: every finding of the report. A click goes to the cell or section; a 警告 takes an
explanation, kept with the report and printed in the check list (never in the report itself)."""

from __future__ import annotations

import datetime as _dt
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QWidget

from .. import cmds
from .. import colors as C
from .. import texts as T
from .. import widgets as W
from ..open_report import NAV_CHECK
from ..qtutils import SaveTimer
from .base import Page

EXPLAIN_DELAY_MS = 500


class FindingCard(QFrame):
    """One finding: its severity and place, the message, 转到, and for a warning the explanation."""

    go = Signal(object)  # the finding

    def __init__(self, page: "CheckPage", finding, parent=None):
        super().__init__(parent)
        self.page = page
        self.finding = finding
        self.setObjectName("findingCard")
        self.setFrameShape(QFrame.StyledPanel)
        self.setCursor(Qt.PointingHandCursor)
        self.badge = W.label("")
        self.place = W.label("", style=C.style(C.SECONDARY))
        self.text = W.label("", wrap=True, name="findingText")
        self.text.setTextFormat(Qt.PlainText)
        self.text.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Minimum)
        self.go_btn = W.button(T.GO_TO, lambda: self.go.emit(self.finding), name="goButton")
        self.accept_btn = W.button(T.ACCEPT_TOTAL, self._accept_total, tooltip=T.ACCEPT_TOTAL_TIP)
        self.fix_btn = W.button("", self._apply_fix, name="fixButton")  # engineer E: a text finding's obvious fix
        self.explain = None
        self.explain_label = None
        rows = [W.hbox(self.badge, self.place, "stretch", self.fix_btn, self.accept_btn, self.go_btn), self.text]
        if finding.severity == "warning":
            self.explain_label = W.label(T.EXPLAIN_LABEL, style=C.style(C.SECONDARY))
            self.explain = W.PlainTextEdit()
            self.explain.setObjectName("explanation")
            self.explain.setPlaceholderText(T.EXPLAIN_PLACEHOLDER)
            self.explain.setFixedHeight(64)
            self.explain.setPlainText(finding.explanation)
            self._timer = SaveTimer(self, self.save, EXPLAIN_DELAY_MS)  # also saves every 2 s of typing
            self.explain.textChanged.connect(self._timer.start)
            rows += [self.explain_label, self.explain]
        self.setLayout(W.vbox(*rows, margin=10, spacing=6))
        self.update_finding(finding)

    def update_finding(self, finding) -> None:
        self.finding = finding
        sev = finding.severity
        state = {"error": "error", "warning": "warning", "info": "info"}[sev]
        label = T.SEVERITY[sev]
        if sev == "warning" and finding.explanation:
            label = T.WARNING_EXPLAINED
            state = "done"
        self.badge.setText(label)
        self.badge.setStyleSheet(W.badge_style(state))
        self.place.setText(self.page.place_of(finding))
        self.text.setText(finding.message)
        self.accept_btn.setVisible(finding.kind == "total" and bool(finding.cells) and not self.page.doc.read_only)
        self.go_btn.setEnabled(bool(finding.section))
        has_fix = finding.fix is not None and finding.span is not None  # engineer E
        self.fix_btn.setVisible(has_fix and not self.page.doc.read_only)
        if has_fix:
            self.fix_btn.setText(T.APPLY_FIX.format(fix=finding.fix))
            self.fix_btn.setToolTip(T.APPLY_FIX_TIP.format(quote=finding.quote, fix=finding.fix))
        self.setStyleSheet(f"QFrame#findingCard {{ border: 1px solid {C.CARD_BORDER}; border-left: 4px solid "
                           f"{W.COLORS[state]}; border-radius: 3px; background: palette(base); }}")
        if self.explain is not None and not self.explain.hasFocus() and not self._timer.pending:
            if self.explain.toPlainText().strip() != finding.explanation:
                self.explain.blockSignals(True)
                self.explain.setPlainText(finding.explanation)
                self.explain.blockSignals(False)

    def set_read_only(self, ro: bool) -> None:
        if self.explain is not None:
            self.explain.setReadOnly(ro)
        self.accept_btn.setVisible(self.finding.kind == "total" and bool(self.finding.cells) and not ro)
        self.fix_btn.setVisible(self.finding.fix is not None and self.finding.span is not None and not ro)  # engineer E

    def save(self) -> None:
        if self.explain is None:
            return
        self._timer.stop()
        if self.explain.isReadOnly():
            return
        if cmds.ok(lambda: self.page.doc.set_explanation(self.finding.key, self.explain.toPlainText())):
            self._timer.done()

    def flush(self) -> None:
        if self.explain is not None and self._timer.pending:
            self.save()

    def _apply_fix(self) -> None:
        from ..text_findings import apply_fix  # engineer E

        done: list[bool] = []
        if cmds.ok(lambda: done.append(apply_fix(self.page.doc, self.finding))) and not done[0]:
            self.page.message.emit(T.FIX_STALE)

    def _accept_total(self) -> None:
        cmds.ok(lambda: self.page.doc.clear_declared(self.finding.cells[0]))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.LeftButton and self.finding.section:
            self.go.emit(self.finding)
        super().mouseReleaseEvent(event)


class CheckPage(Page):
    nav_id = NAV_CHECK

    def __init__(self, ctx, doc, parent=None):
        super().__init__(ctx, doc, parent)
        self.heading.setText(T.NAV_CHECK)
        self.summary = W.label("", wrap=True, name="checkSummary")
        self.cards: dict[str, FindingCard] = {}
        self.list = QWidget()
        self.list.setObjectName("findingList")
        self.list_layout = W.vbox(margin=2, spacing=8)
        self.list.setLayout(self.list_layout)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.list)
        self.scroll = scroll
        self.print_btn = W.button(T.PRINT_CHECKLIST, self.print_checklist, name="printChecklist")
        self.pdf_btn = W.button(T.SAVE_CHECKLIST, self.save_checklist, name="saveChecklist")
        self.setLayout(W.vbox(self.heading, self.summary, (scroll, 1),
                              W.hbox("stretch", self.pdf_btn, self.print_btn), margin=4, spacing=10))
        doc.checked.connect(self._checked)

    def guidance(self) -> str:
        return T.GUIDE_CHECK

    def place_of(self, finding) -> str:
        if not finding.section:
            return ""
        if finding.section == "meta":
            return T.NAV_META
        try:
            return self.doc.format.section(finding.section).nav
        except KeyError:
            return finding.section

    def _checked(self) -> None:
        if self.isVisible():
            self.activate()

    def activate(self) -> None:
        findings = self.doc.findings
        keys = [f.key for f in findings]
        for key in list(self.cards):
            if key not in keys:
                card = self.cards.pop(key)
                card.flush()
                card.setParent(None)
                card.deleteLater()
        while self.list_layout.count():
            self.list_layout.takeAt(0)
        for f in findings:
            card = self.cards.get(f.key)
            if card is None:
                card = FindingCard(self, f)
                card.go.connect(self._go)
                card.set_read_only(self.doc.read_only)
                self.cards[f.key] = card
            else:
                card.update_finding(f)
            self.list_layout.addWidget(card)
        self.list_layout.addStretch(1)
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = [f for f in findings if f.severity == "warning"]
        infos = sum(1 for f in findings if f.severity == "info")
        explained = sum(1 for f in warnings if f.explanation)
        if not findings:
            self.summary.setText(T.CHECK_OK)
            self.summary.setStyleSheet(W.badge_style("done") + "padding: 8px;")
        else:
            advice = (T.CHECK_ADVICE_ERRORS if errors else "") + (
                T.CHECK_ADVICE_WARNINGS if explained < len(warnings) else "")
            self.summary.setText(T.CHECK_SUMMARY.format(
                errors=errors, warnings=len(warnings),
                explained=T.CHECK_EXPLAINED.format(n=explained) if warnings else "",
                infos=T.CHECK_INFOS.format(n=infos) if infos else "", advice=advice))
            state = "error" if errors else "warning" if explained < len(warnings) else "done"
            self.summary.setStyleSheet(W.badge_style(state) + "padding: 8px;")

    def _go(self, finding) -> None:
        if finding.section:
            self.flush()
            target = finding.cells[0] if finding.cells else None
            if finding.span is not None:  # engineer E: a text finding opens its words selected
                target = {"span": finding.span}  # the 基本信息 page selects it in the opening
            self.jump.emit(finding.section, target)

    def flush(self) -> None:
        for card in self.cards.values():
            card.flush()

    def set_read_only(self, read_only: bool) -> None:
        for card in self.cards.values():
            card.set_read_only(read_only)

    def focus(self, target=None) -> None:
        first = next(iter(self.cards.values()), None)
        if first is not None:
            first.go_btn.setFocus()

    # -- the check list -------------------------------------------------------------------------
    def checklist_html(self) -> str:
        r = self.doc.report
        rows = []
        for f in self.doc.findings:
            expl = (f"<div style='margin-left:2em;color:{C.EXPLANATION}'>{T.EXPLAIN_PRINTED}{escape(f.explanation)}</div>"
                    if f.explanation else "")
            rows.append(f"<p><b>【{escape(f.severity_label)}】</b>{escape(self.place_of(f))} "
                        f"{escape(f.message)}{expl}</p>")
        body = "".join(rows) or f"<p>{escape(T.CHECK_OK)}</p>"
        when = _dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        return (f"<h2 style='text-align:center'>{escape(T.CHECKLIST_TITLE)}</h2>"
                f"<p style='text-align:center'>{escape(r.title)}</p>"
                f"<p style='color:{C.SECONDARY}'>{escape(T.CHECKLIST_NOTE.format(time=when))}</p>{body}")

    def _document(self) -> QTextDocument:
        d = QTextDocument()
        d.setHtml(self.checklist_html())
        return d

    def save_checklist(self, path: str | None = None) -> str | None:
        from pathlib import Path

        from PySide6.QtPrintSupport import QPrinter

        self.flush()
        if path is None:
            from ...storage.fileio import safe_filename

            name = safe_filename(T.CHECKLIST_FILE.format(organ=self.doc.report.meta.organ,
                                                         year=self.doc.report.meta.year), ".pdf")
            path = W.save_file_name(self, T.SAVE_CHECKLIST, str(Path(self.ctx.settings.last_export_dir) / name),
                                    T.PDF_FILTER)
            if not path:
                return None
        printer = QPrinter(QPrinter.HighResolution)
        printer.setOutputFormat(QPrinter.PdfFormat)
        printer.setOutputFileName(path)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait,
                                          printer.pageLayout().margins()))
        self._document().print_(printer)
        self.message.emit(T.CHECKLIST_SAVED.format(path=path))
        return path

    def print_checklist(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter

        self.flush()
        printer = QPrinter(QPrinter.HighResolution)
        dlg = QPrintPreviewDialog(printer, self)
        dlg.setWindowTitle(T.PRINT_CHECKLIST)
        document = self._document()
        dlg.paintRequested.connect(document.print_)
        dlg.exec()
