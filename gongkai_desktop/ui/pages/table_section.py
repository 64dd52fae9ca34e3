"""Table sections (二、三、四): the official table with its merged headers, and the words before
the table where the format allows them (optional for all three in both national formats)."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemDelegate, QAbstractItemView, QGroupBox, QSizePolicy, QSplitter,
                               QToolButton)
from PySide6.QtCore import QRect, Qt, Signal

from .. import cmds
from .. import colors as C
from .. import texts as T
from .. import widgets as W
from ..table_editor import TableEditor
from .base import Page
from .text_section import SectionText


class TableSectionPage(Page):
    cramped = Signal()  # the table stopped fitting (a narrower window): the editor makes room

    def __init__(self, ctx, doc, section, parent=None):
        super().__init__(ctx, doc, parent)
        self.section = section
        self.nav_id = section.id
        self.heading.setText(section.heading)
        self.table = TableEditor(doc.report, section.table, self._commit)
        self.table.setObjectName(f"table_{section.table}")
        self.table.message.connect(self.message)
        self.table.relaid_out.connect(lambda: self.isVisible() and self.overflow() and self.cramped.emit())
        self.table.unit_changed.connect(lambda key, unit: cmds.ok(lambda: self.doc.set_unit(key, unit)))
        self.table.set_findings(doc.findings)
        self._stale = False  # the report changed while the page was hidden
        self.hint = W.label(T.TABLE_HINT, wrap=True, style=C.style(C.HINT))
        self.text: SectionText | None = None
        self.text_toggle: QToolButton | None = None
        self._words_choice: bool | None = None  # the clerk opened (True) or folded (False) the words
        body = self.table
        words = None
        if section.text != "none":
            self.text = SectionText(doc, section, compact=True)
            self.text.message.connect(self.message)
            # Three lines at least, not more: on a low screen (1366×768 at 150 %) the height goes
            # to the table; the splitter gives the words more when there is room or on request.
            self.text.edit.setMinimumHeight(3 * self.text.edit.fontMetrics().lineSpacing()
                                            + 2 * self.text.edit.frameWidth() + 8)
            self._words_title = T.TABLE_TEXT_TITLE if section.text == "optional" else T.TABLE_TEXT_REQUIRED
            # The words' title is a toggle beside the page heading (no line of its own): on a low
            # page the words fold to it so the table keeps its rows (1366×768 at 150 % showed
            # one body row of 表三 otherwise).
            toggle = QToolButton()
            toggle.setObjectName("tableTextToggle")
            toggle.setCheckable(True)
            toggle.setChecked(True)
            toggle.setAutoRaise(True)
            toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
            toggle.setToolTip(T.TABLE_TEXT_TOGGLE_TIP)
            toggle.clicked.connect(self._words_clicked)
            self.text_toggle = toggle
            words = toggle
            self.words_box = QGroupBox()
            self.words_box.setLayout(W.vbox(self.text, margin=8))
            split = QSplitter(Qt.Vertical)
            split.addWidget(self.words_box)
            split.addWidget(self.table)
            split.setStretchFactor(0, 0)
            split.setStretchFactor(1, 1)
            split.setSizes([150, 600])
            split.setChildrenCollapsible(False)
            # On a low screen (1366×768 at 150 %) the clerk can drag the words away entirely to
            # give the table the height; the table itself never collapses.
            split.setCollapsible(0, True)
            split.setCollapsible(1, False)
            self.split = split
            body = split
            self.table.relaid_out.connect(self._fit_words)
            doc.changed.connect(lambda what: self.isVisible() and self._show_words_state())
        self.ledger_btn = None
        if section.table == "requests":  # 表三 from the register of applications (ui/register_dialog.py)
            self.ledger_btn = W.button(T.ACT_LEDGER, self.compute_from_register, name="ledgerButton",
                                       tooltip=T.TIP_LEDGER)
        self._heading_row = W.hbox((self.heading, 1), words)
        self._hint_row = W.hbox((self.hint, 1), self.ledger_btn)
        self._toggle_row = W.hbox()  # the toggle when the heading's line has no room for it
        self.setLayout(W.vbox(self._heading_row, self._hint_row, self._toggle_row, (body, 1), margin=4,
                              spacing=8))
        doc.checked.connect(self._checked)
        doc.changed.connect(self._changed)

    def compute_from_register(self, path: str | None = None) -> bool:
        from ..register_dialog import compute_from_register

        self.flush()
        return compute_from_register(self, self.ctx, self.doc, path)

    def _commit(self, changes) -> None:
        """The table editor's commit: one undo step; a refusal raises (as it came from the
        store) so the editor keeps the old value and says why at the cell."""
        self.doc.set_cells(changes)

    def _checked(self) -> None:
        if self.isVisible():
            self.table.set_findings(self.doc.findings)
        else:
            self._stale = True

    def _changed(self, what: str) -> None:
        if self.isVisible():
            if what in ("values", "meta:units"):
                self.table.refresh()
        else:
            self._stale = True

    def guidance(self) -> str:
        text = self.section.guidance_for(self.doc.report.meta.organ_type)
        glossary = self.doc.format.glossary
        table = self.doc.format.table(self.section.table)
        labels = " ".join(r.label for r in table.rows()) + " ".join(c.label for c in table.columns())
        terms = [(k, v) for k, v in glossary.items() if k in labels or k in text]
        if terms:
            text += "\n" + T.GLOSSARY_TITLE + "\n" + "\n".join(f"「{k}」：{v}" for k, v in terms)
        return text + "\n" + T.TABLE_KEYS

    def activate(self) -> None:
        # Repaint the table only when the report changed while the page was hidden (painting
        # table 三 is the dearest thing a page switch does).
        if self._stale or self.table.report is not self.doc.report:
            self._stale = False
            if self.table.report is not self.doc.report:
                self.table.set_report(self.doc.report)
            else:
                self.table.refresh()
            self.table.set_findings(self.doc.findings)
        if self.text is not None:
            self.text.doc = self.doc
            self.text.load()
            self._fit_words()

    def flush(self) -> None:
        """Commit a cell still being typed in, and the text before the table."""
        view = self.table.view
        if view.state() == QAbstractItemView.EditingState:
            editor = view.indexWidget(view.currentIndex())
            if editor is not None:
                view.commitData(editor)
                view.closeEditor(editor, QAbstractItemDelegate.NoHint)
        if self.text is not None:
            self.text.flush()

    def set_read_only(self, read_only: bool) -> None:
        self.table.set_read_only(read_only)
        if self.text is not None:
            self.text.set_read_only(read_only)

    def focus(self, target=None) -> None:
        key = None
        if isinstance(target, dict) and target.get("span") and getattr(self, "text", None) is not None:
            self._open_words(True)  # 转到 words folded away on a low page opens them
            self.text.findings.select(target["span"])  # engineer E: 转到 a text finding
            self.text.edit.setFocus()
            return
        if isinstance(target, tuple):
            key = target
        elif isinstance(target, dict) and isinstance(target.get("cell"), str):
            key = tuple(target["cell"].split("/"))
        if key is not None and len(key) == 3 and key[0] == self.section.table:
            self.table.focus_cell(key)
        else:
            self.table.view.setFocus()

    # -- the words before the table on a low page ------------------------------------------------
    ROWS_WANTED = 8  # body rows the table keeps in sight before the words may take height

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_words()

    def _words_clicked(self, checked: bool) -> None:
        self._words_choice = checked
        self._open_words(checked)
        if checked:
            self.text.edit.setFocus()

    def _table_height_wanted(self) -> int:
        """The table's header rows, its first ROWS_WANTED body rows (all of a short table such as
        表四) and the sideways scroll bar."""
        view = self.table.view
        model = self.table._model
        last = min(model.rowCount(), model.header_rows + self.ROWS_WANTED)
        rows = sum(view.rowHeight(r) or view.verticalHeader().defaultSectionSize() for r in range(last))
        return rows + view.horizontalScrollBar().sizeHint().height() + 2 * view.frameWidth()

    def _fit_words(self) -> None:
        """Open the words while the table keeps ROWS_WANTED rows beside them, else fold them to
        their title line; what the clerk chose with the toggle stands."""
        if self.text is None:
            return
        if self._words_choice is not None:
            self._open_words(self._words_choice)
            return
        # The height the table would have with the hint in full (the hint itself shrinks on a
        # low page, which must not count as room).
        avail = (self.split.height() + self.hint.height() - self._hint_full_height()
                 + (2 + (self._toggle_row.count() > 0)) * (self.layout().spacing() - 8))  # the gaps above
        table = self._table_height_wanted()
        need = self.words_box.minimumSizeHint().height() + self.split.handleWidth() + table
        self._open_words(avail >= need or self.text.edit.hasFocus())
        # Still lower than the table wants (1366×768 at 150 %): the hint to one line, in full
        # as its tooltip.
        self._place_toggle()
        low = avail < table and not self.text_toggle.isChecked()
        self._show_hint(not low)
        self.layout().setSpacing(4 if low else 8)  # and the gaps between the lines

    def _place_toggle(self) -> None:
        """The toggle beside the heading while both fit on the line (a heading broken over two
        lines would take the height back), else on a line of its own above the words."""
        toggle = self.text_toggle
        heading = self.heading.fontMetrics().horizontalAdvance(self.heading.text())
        fits = heading + self._heading_row.spacing() + toggle.sizeHint().width() <= self.width() - 8
        row, other = (self._heading_row, self._toggle_row) if fits else (self._toggle_row, self._heading_row)
        if row.indexOf(toggle) < 0:
            other.removeWidget(toggle)
            row.addWidget(toggle, 0, Qt.Alignment() if fits else Qt.AlignLeft)

    def _hint_full_height(self) -> int:
        width = max(1, self.hint.width())
        return self.hint.fontMetrics().boundingRect(QRect(0, 0, width, 10_000), Qt.TextWordWrap,
                                                    T.TABLE_HINT).height()

    def _show_hint(self, full: bool) -> None:
        hint = self.hint
        if full:
            if hint.text() != T.TABLE_HINT:
                hint.setWordWrap(True)
                hint.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
                hint.setText(T.TABLE_HINT)
                hint.setToolTip("")
            return
        hint.setWordWrap(False)
        hint.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # one line never widens the page
        hint.setToolTip(T.TABLE_HINT)
        elided = hint.fontMetrics().elidedText(T.TABLE_HINT, Qt.ElideRight, max(1, hint.width()))
        if hint.text() != elided:
            hint.setText(elided)

    def _open_words(self, open_: bool) -> None:
        if self.text_toggle.isChecked() != open_:
            self.text_toggle.setChecked(open_)
        if self.words_box.isHidden() == open_:
            self.words_box.setVisible(open_)
        self._show_words_state()

    def _show_words_state(self) -> None:
        toggle, open_ = self.text_toggle, self.text_toggle.isChecked()
        toggle.setArrowType(Qt.DownArrow if open_ else Qt.RightArrow)
        n = len((self.doc.report.sections.get(self.section.id) or "").strip()) if not open_ else 0
        toggle.setText(T.TABLE_TEXT_FOLDED.format(title=self._words_title, n=n) if n else self._words_title)

    def overflow(self) -> int:
        """Pixels the table is wider than its view (0 when it fits)."""
        view = self.table.view
        return max(0, view.horizontalHeader().length() - view.viewport().width())

    def position(self) -> dict:
        key = self.table.current_key()
        return {"cell": "/".join(key)} if key else {}
