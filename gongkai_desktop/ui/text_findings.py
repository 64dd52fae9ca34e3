"""The writing assistant in a text editor: the text checks' findings underlined where they are
(hover shows the message), the linked statistics sentences shaded, and the button that inserts a
sentence written from the tables.

The marks are extra selections, not edits: the text stays the clerk's. Their cursors move with
the text as the clerk types, and they are rebuilt from the findings whenever a check ran on the
text the editor shows (the spans are offsets into the stored text).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QMenu, QTextEdit, QToolTip

from ..report import sentences
from . import colors as C
from . import texts as T
from . import widgets as W

OPENING = "meta"  # findings about the opening paragraph carry this section id (report/text)


class TextFindings(QObject):
    """Marks one section's findings and linked sentences in ``edit`` (a QPlainTextEdit)."""

    def __init__(self, edit, doc, section_id: str, parent=None):
        super().__init__(parent or edit)
        self.edit = edit
        self.doc = doc
        self.section_id = section_id
        self.marks: list[tuple[QTextCursor, str]] = []  # (cursor over the span, tooltip)
        edit.viewport().installEventFilter(self)
        edit.viewport().setMouseTracking(True)
        doc.checked.connect(self.refresh)
        edit.destroyed.connect(self._disconnect)
        self.refresh()

    def _disconnect(self) -> None:
        try:
            self.doc.checked.disconnect(self.refresh)
        except (RuntimeError, TypeError):
            pass

    def stored_text(self) -> str:
        if self.section_id == OPENING:
            return self.doc.report.meta.opening
        return self.doc.report.sections.get(self.section_id, "")

    def findings(self):
        return [f for f in self.doc.findings if f.section == self.section_id and f.all_spans()]

    def refresh(self) -> None:
        """Rebuild the marks from the findings, when they are about the text the editor shows
        (while the clerk types ahead of the save, the existing marks move with the text)."""
        if self.edit.toPlainText() != self.stored_text():
            return
        document = self.edit.document()
        n = document.characterCount() - 1
        selections, marks = [], []
        if self.section_id != OPENING:
            for kind, start, end in sentences.linked(self.doc.report).get(self.section_id, []):
                sel = QTextEdit.ExtraSelection()
                sel.cursor = self._cursor(start, end, n)
                fmt = QTextCharFormat()
                fmt.setBackground(QColor(C.GENERATED_BG))
                fmt.setProperty(QTextFormat.FullWidthSelection, False)
                sel.format = fmt
                selections.append(sel)
                marks.append((QTextCursor(sel.cursor), T.GENERATED_TIP))
        for f in self.findings():
            color = QColor(C.STATE.get(f.severity, C.STATE["info"]))
            for start, end in f.all_spans():
                if end <= start:
                    continue
                sel = QTextEdit.ExtraSelection()
                sel.cursor = self._cursor(start, end, n)
                fmt = QTextCharFormat()
                fmt.setUnderlineStyle(QTextCharFormat.WaveUnderline if f.severity != "info"
                                      else QTextCharFormat.DotLine)
                fmt.setUnderlineColor(color)
                sel.format = fmt
                selections.append(sel)
                marks.append((QTextCursor(sel.cursor), f"{T.SEVERITY[f.severity]}：{f.message}"))  # own copy: it moves with the text
        self.marks = marks
        self.edit.setExtraSelections(selections)

    def _cursor(self, start: int, end: int, n: int) -> QTextCursor:
        c = QTextCursor(self.edit.document())
        c.setPosition(max(0, min(start, n)))
        c.setPosition(max(0, min(end, n)), QTextCursor.KeepAnchor)
        return c

    def messages_at(self, position: int) -> list[str]:
        return [tip for c, tip in self.marks if c.selectionStart() <= position < c.selectionEnd()]

    def select(self, span) -> None:
        """Select ``span`` (a finding's) in the editor and show it: 转到 from the check page."""
        start, end = span
        n = self.edit.document().characterCount() - 1
        self.edit.setTextCursor(self._cursor(start, end, n))
        self.edit.ensureCursorVisible()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.ToolTip:
            pos = event.pos()
            cursor = self.edit.cursorForPosition(pos)
            rect = self.edit.cursorRect(cursor)
            # cursorForPosition snaps to the nearest character: only a pointer on the text counts.
            tips = self.messages_at(cursor.position()) if abs(rect.center().y() - pos.y()) <= rect.height() else []
            if not tips and cursor.position() > 0:
                tips = self.messages_at(cursor.position() - 1)
            if tips:
                QToolTip.showText(event.globalPos(), "\n\n".join(dict.fromkeys(tips)), self.edit)
            else:
                QToolTip.hideText()
            return True
        return False


class SentenceButton:
    """「插入统计语句」: writes the section's statistics sentence from the tables at the cursor and
    links it (shaded while untouched; it then follows the tables)."""

    def __init__(self, section_text):
        self.owner = section_text
        self.button = W.button(T.INSERT_SENTENCE, self.insert, name="sentenceButton", tooltip=T.INSERT_SENTENCE_TIP)
        self.update()

    def kinds(self) -> tuple[str, ...]:
        return sentences.kinds_for(self.owner.doc.report, self.owner.section.id)

    def update(self) -> None:
        self.button.setVisible(bool(self.kinds()))

    def insert(self, kind: str | None = None) -> None:
        kinds = self.kinds()
        if not kinds:
            return
        if kind is None and len(kinds) > 1:
            menu = QMenu(self.button)
            for k in kinds:
                menu.addAction(T.SENTENCE_KINDS.get(k, k), lambda k=k: self.insert(k))
            menu.exec(self.button.mapToGlobal(self.button.rect().bottomLeft()))
            return
        kind = kind or kinds[0]
        owner = self.owner
        if owner.edit.isReadOnly():
            owner._say_locked()
            return
        sentence = sentences.sentence(owner.doc.report, kind)
        if not sentence:  # engineer S: blank is not zero — say which table to finish first
            owner.message.emit(sentences.not_filled(owner.doc.report, kind))
            return
        if sentence in owner.edit.toPlainText():
            owner.message.emit(T.SENTENCE_PRESENT)
            return
        cursor = owner.edit.textCursor()
        cursor.beginEditBlock()
        block_text = cursor.block().text()
        if block_text.strip() and cursor.positionInBlock() == len(block_text):
            cursor.insertText("\n")  # at the end of a paragraph: the sentence starts its own
        cursor.insertText(sentence)
        cursor.endEditBlock()
        owner.edit.setTextCursor(cursor)
        owner.save()
        if owner.unsaved():
            return  # the save was refused (and said so): nothing to link
        from . import cmds

        if cmds.ok(lambda: owner.doc.link_sentence(owner.section.id, kind, sentence)):
            owner.message.emit(T.SENTENCE_INSERTED)


def apply_fix(doc, finding) -> bool:
    """Replace a text finding's words by its obvious fix (「（四）」 → 「（三）」, 「国办政务公开办函」 →
    「国办公开办函」); the check reruns on the corrected text. False when the words are no longer
    where the finding found them (the text changed since)."""
    if finding.fix is None or finding.span is None:
        return False
    start, end = finding.span
    opening = finding.section == OPENING
    text = doc.report.meta.opening if opening else doc.report.sections.get(finding.section, "")
    if text[start:end] != finding.quote:
        return False
    new = text[:start] + finding.fix + text[end:]
    if opening:
        doc.set_meta("opening", new)
    else:
        doc.set_section(finding.section, new)
    return True
