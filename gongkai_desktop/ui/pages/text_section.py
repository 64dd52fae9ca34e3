"""Text sections (一、五、六, and the optional words before the tables of 三、四)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from .. import cmds
from .. import colors as C
from .. import texts as T
from .. import widgets as W
from ..qtutils import ExplainReadOnly, SaveTimer
from ..text_findings import SentenceButton, TextFindings  # engineer E: the writing assistant
from .base import Page

SAVE_DELAY_MS = 400  # after the last keystroke; also saved on leaving the page and on closing
SAVE_MAX_WAIT_MS = 2000  # and at least this often while the clerk types without a pause


class SectionText(QWidget):
    """The editor of one section's text: plain-text paste, a scaffold of the expected
    sub-headings, a character count, and saving on a short debounce."""

    message = Signal(str)

    def __init__(self, doc, section, *, compact: bool = False, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.section = section
        self.edit = W.PlainTextEdit()
        self.edit.setObjectName(f"text_{section.id}")
        W.set_font_scale(self.edit, 1.15)
        self.edit.document().setDocumentMargin(10)
        self.timer = SaveTimer(self, self.save, SAVE_DELAY_MS, SAVE_MAX_WAIT_MS)
        self.edit.textChanged.connect(self._typed)
        ExplainReadOnly(self.edit, self._say_locked)
        self.edit.pasted.connect(lambda: self.message.emit(T.PASTED_PLAIN))
        self.count = W.label("", name="charCount", style=C.style(C.SECONDARY))
        self.scaffold_btn = W.button(T.INSERT_SCAFFOLD, self.insert_scaffold, name="scaffoldButton",
                                     tooltip=T.INSERT_SCAFFOLD_TIP)
        self.state = W.label("", style=C.style(C.FAINT))
        self.scaffold_btn.setVisible(bool(self.scaffold()))
        # engineer E: findings underlined (hover: the message), linked sentences shaded,
        # 「插入统计语句」 and 「与上年对比」
        self.findings = TextFindings(self.edit, doc, section.id)
        self.sentence = SentenceButton(self)
        self.compare_btn = W.button(T.COMPARE, self.compare, name="compareButton", tooltip=T.COMPARE_TIP)
        if compact:
            self.edit.setMinimumHeight(90)
        else:
            self.edit.setMinimumHeight(260)
        self.setLayout(W.vbox(W.hbox(self.scaffold_btn, self.sentence.button, self.compare_btn, "stretch",
                                     self.state, 12, self.count),
                              (self.edit, 1), spacing=6))
        self.load()

    def scaffold(self) -> list[str]:
        return self.section.scaffold_for(self.doc.report.meta.organ_type)

    def load(self) -> None:
        """Show the stored text (unless the clerk has typed something not saved yet)."""
        if self.timer.pending:
            return
        text = self.doc.report.sections.get(self.section.id, "")
        if self.edit.toPlainText() != text:
            self.edit.blockSignals(True)
            self.edit.setPlainText(text)
            self.edit.blockSignals(False)
        self.scaffold_btn.setVisible(bool(self.scaffold()))
        placeholder = T.TEXT_PLACEHOLDER_REQUIRED if self.section.text == "required" else T.TEXT_PLACEHOLDER_OPTIONAL
        if self.scaffold():
            placeholder += "\n\n" + "\n".join(self.scaffold())
        self.edit.setPlaceholderText(placeholder)
        self._update_count()
        self.state.setText("")
        self.sentence.update()  # engineer E
        self.compare_btn.setVisible(self.doc.report.previous is not None)
        self.findings.refresh()

    def compare(self) -> None:
        """engineer E: this year's text beside last year's, reused paragraphs marked."""
        from ..compare import CompareDialog

        CompareDialog(self.doc.report, self.section.id, self).exec()

    def _typed(self) -> None:
        self.timer.start()
        self.state.setText(T.TYPING)
        self._update_count()

    def _update_count(self) -> None:
        n = W.count_chars(self.edit.toPlainText())
        hint = T.COUNT_HINT.format(hint=self.section.length_hint) if self.section.length_hint else ""
        self.count.setText(T.CHAR_COUNT.format(n=n) + hint)

    def save(self) -> None:
        """Store the text. On a refusal the text stays in the editor, still marked unsaved, and
        the refusal is shown once (cmds)."""
        self.timer.stop()
        if self.edit.isReadOnly() and not self.unsaved():
            return  # a locked report; text kept after a refused save still goes on, to be refused aloud
        if cmds.ok(lambda: self.doc.set_section(self.section.id, self.edit.toPlainText())):
            self.timer.done()
            self.state.setText(T.SAVED)
        else:
            self.state.setText(T.SAVE_REFUSED_TITLE)

    def unsaved(self) -> bool:
        """True while the editor holds text the open report does not (whatever the timers say:
        a close can arrive between a timer's end and the save it triggers)."""
        return self.edit.toPlainText() != self.doc.report.sections.get(self.section.id, "")

    def flush(self) -> None:
        if self.timer.pending or self.unsaved():
            self.save()

    def _say_locked(self) -> None:
        """Typing into a locked text: say why instead of staying mute."""
        reason = self.doc.lock_text() or T.REPORT_IS_FINAL
        self.state.setText(T.TYPING_LOCKED_SHORT)
        self.state.setToolTip(reason)
        self.message.emit(T.TYPING_LOCKED.format(reason=reason))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.scaffold_btn.setEnabled(not read_only)
        self.sentence.button.setEnabled(not read_only)  # engineer E

    def insert_scaffold(self) -> None:
        """Put the expected sub-headings in: all of them into an empty section, only the missing
        ones (at the end) into a section that already has text."""
        items = self.scaffold()
        text = self.edit.toPlainText()
        missing = [h for h in items if h not in text]
        if not missing:
            self.message.emit(T.SCAFFOLD_PRESENT)
            return
        cursor = self.edit.textCursor()
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.End)
        prefix = "" if not text.strip() else ("\n\n" if not text.endswith("\n") else "\n")
        first_pos = None
        for i, h in enumerate(missing):
            cursor.insertText((prefix if i == 0 else "") + h + "\n")
            if first_pos is None:
                first_pos = cursor.position()
            cursor.insertText("\n")
        cursor.endEditBlock()
        if first_pos is not None:
            c = self.edit.textCursor()
            c.setPosition(first_pos)
            self.edit.setTextCursor(c)
        self.edit.setFocus()
        self.message.emit(T.SCAFFOLD_INSERTED.format(n=len(missing)))


class TextSectionPage(Page):
    def __init__(self, ctx, doc, section, parent=None):
        super().__init__(ctx, doc, parent)
        self.section = section
        self.nav_id = section.id
        self.heading.setText(section.heading)
        self.required = W.label(T.REQUIRED if section.text == "required" else T.OPTIONAL, style=C.style(C.HINT))
        self.text = SectionText(doc, section)
        self.text.message.connect(self.message)
        self.setLayout(W.vbox(W.hbox((self.heading, 1), self.required), (self.text, 1), margin=4, spacing=10))

    def guidance(self) -> str:
        return self.section.guidance_for(self.doc.report.meta.organ_type)

    def activate(self) -> None:
        self.text.doc = self.doc
        self.text.load()

    def flush(self) -> None:
        self.text.flush()

    def set_read_only(self, read_only: bool) -> None:
        self.text.set_read_only(read_only)

    def focus(self, target=None) -> None:
        edit = self.text.edit
        if isinstance(target, dict) and target.get("span"):  # engineer E: 转到 a text finding
            self.text.findings.select(target["span"])
        elif isinstance(target, dict) and isinstance(target.get("cursor"), int):
            c = edit.textCursor()
            c.setPosition(min(target["cursor"], len(edit.toPlainText())))
            edit.setTextCursor(c)
            edit.ensureCursorVisible()
        edit.setFocus()

    def position(self) -> dict:
        return {"cursor": self.text.edit.textCursor().position()}
