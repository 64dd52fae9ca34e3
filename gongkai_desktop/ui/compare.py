"""「与上年对比」: this year's text beside last year's, section by section, with the paragraphs
reused from last year marked on both sides and the share of reused text (the text check
``text_reuse`` counts the same paragraphs: report/text/reuse.py)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QSplitter, QTextBrowser, QWidget

from ..report.fields import meta_label
from ..report.text import reuse
from ..report.text.base import OPENING, paragraphs, texts
from . import colors as C
from . import texts as T
from . import widgets as W


def _heading(report, section_id: str) -> str:
    if section_id == OPENING:
        return meta_label("opening")
    return report.format.section(section_id).heading


def _html(paras, marked: set[int], anchor_prefix: str) -> str:
    """Paragraphs as HTML, the marked ones (by start offset) shaded and anchored."""
    if not paras:
        return f"<p style='color:{C.HINT}'>{html.escape(T.COMPARE_NONE)}</p>"
    out = []
    for p in paras:
        text = html.escape(p.text)
        if p.start in marked:
            out.append(f"<p><a name='{anchor_prefix}{p.start}'></a>"
                       f"<span style='background-color:{C.REUSED_BG}'>{text}</span></p>")
        else:
            out.append(f"<p>{text}</p>")
    return "".join(out)


class CompareDialog(QDialog):
    """Side by side: left this year, right last year; a section chooser above."""

    def __init__(self, report, section_id: str | None = None, parent=None):
        super().__init__(parent)
        self.report = report
        prev = report.previous
        self.setWindowTitle(T.COMPARE_TITLE.format(year=prev.meta.year if prev else ""))
        self.resize(1100, 700)
        # The same paragraphs the text check counts, by the parameters of the format's rule.
        rule = next((r for r in report.format.rules if r.kind == "text_reuse"), None)
        data = rule.data if rule is not None else {}
        min_chars, similarity = int(data.get("min_chars", 20)), float(data.get("similarity", 90))
        self.reused = reuse.reused_paragraphs(report, min_chars=min_chars, similarity=similarity)
        self.shares, self.total = reuse.reuse_shares(report, self.reused, min_chars)
        self.sections = [sid for sid, _ in texts(report)] or [s.id for s in report.format.sections]
        for s in report.format.sections:  # last year's text of a section empty this year
            if s.id not in self.sections and prev is not None and prev.sections.get(s.id, "").strip():
                self.sections.append(s.id)
        self.chooser = QComboBox()
        self.chooser.setObjectName("compareSection")
        for sid in self.sections:
            self.chooser.addItem(_heading(report, sid), sid)
        self.summary = W.label("", wrap=True, name="compareSummary")
        self.left = QTextBrowser()
        self.left.setObjectName("compareThisYear")
        self.right = QTextBrowser()
        self.right.setObjectName("compareLastYear")
        for b in (self.left, self.right):
            b.setOpenLinks(False)
            W.set_font_scale(b, 1.1)
        self.left_title = W.label("", style=C.style(C.SECONDARY))
        self.right_title = W.label("", style=C.style(C.SECONDARY))
        split = QSplitter(Qt.Horizontal)
        for title, browser in ((self.left_title, self.left), (self.right_title, self.right)):
            side = QWidget()
            side.setLayout(W.vbox(title, (browser, 1), spacing=4))
            split.addWidget(side)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        legend = W.label(T.COMPARE_LEGEND.format(similarity=round(similarity)), wrap=True, style=C.style(C.HINT))
        self.setLayout(W.vbox(W.hbox(W.label(T.COMPARE_SECTION), (self.chooser, 1)), self.summary,
                              (split, 1), legend, buttons, margin=10, spacing=8))
        self.chooser.currentIndexChanged.connect(self.show_section)
        if section_id in self.sections:
            self.chooser.setCurrentIndex(self.sections.index(section_id))
        self.show_section()

    def section_id(self) -> str:
        return self.chooser.currentData()

    def show_section(self, *_args) -> None:
        sid = self.section_id()
        report, prev = self.report, self.report.previous
        this_text = dict(texts(report)).get(sid, "")
        prev_text = dict(texts(prev)).get(sid, "") if prev is not None else ""
        items = self.reused.get(sid, [])
        mine = {r.para.start for r in items}
        theirs = {r.prev.start for r in items if r.prev.section == sid}
        self.left.setHtml(_html(paragraphs(sid, this_text), mine, "this"))
        self.right.setHtml(_html(paragraphs(sid, prev_text), theirs, "prev"))
        self.left_title.setText(T.COMPARE_THIS_YEAR.format(year=report.meta.year))
        self.right_title.setText(T.COMPARE_LAST_YEAR.format(year=prev.meta.year if prev else ""))
        if prev is None:
            self.summary.setText(T.COMPARE_NO_PREVIOUS)
            return
        self.summary.setText(T.COMPARE_SHARE.format(
            heading=_heading(report, sid), share=round(self.shares.get(sid, 0) * 100), count=len(items),
            total=round(self.total * 100)))

    def marked(self) -> tuple[list[str], list[str]]:
        """(this year's, last year's) marked paragraphs of the shown section (for tests)."""
        sid = self.section_id()
        items = self.reused.get(sid, [])
        return [r.para.text for r in items], [r.prev.text for r in items if r.prev.section == sid]
