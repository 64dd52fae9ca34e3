"""The writing assistant in the window: text findings underlined where they are (hover shows the
message), 转到 from the check page selects the words, a statistics sentence inserted with one
click stays shaded and follows the table, and 「与上年对比」 marks the reused paragraphs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat
from PySide6.QtWidgets import QApplication, QToolTip

import corpus
from gongkai_desktop.report import sentences as S
from gongkai_desktop.storage.store import Store
from gongkai_desktop.ui import colors as C
from gongkai_desktop.ui import texts as T

pytestmark = pytest.mark.gui


def put(store, report) -> int:
    rid = store.create(report.meta.organ, report.meta.year, report.meta.organ_type)
    for key, v in report.values.items():
        store.set_value(rid, key, v)
    for sid, text in report.sections.items():
        if text and report.format.section(sid).text != "none":
            store.set_section(rid, sid, text)
    store.set_meta(rid, "issue_date", report.meta.issue_date)
    store.set_meta(rid, "opening", report.meta.opening)
    return rid


def open_county(clerk, *, overview=None, previous=True, requests=None):
    this = corpus.load("county_gov_2025.txt", with_previous=False)
    if overview is not None:
        this.sections["overview"] = overview
    if requests is not None:
        this.sections["requests"] = requests
    with Store.open(clerk.db, backups=False) as store:
        if previous:
            put(store, corpus.load("county_gov_2024.txt", with_previous=False))
        rid = put(store, this)
    win = clerk.start()
    win.open_report(rid)
    QApplication.processEvents()
    return win


def underlines(edit):
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in edit.extraSelections()
            if s.format.underlineStyle() != QTextCharFormat.NoUnderline]


def test_findings_are_underlined_and_hover_shows_the_message(clerk, tmp_path):
    text = "全年新收政府信息公开申请一百零五件，均按时答复。"
    open_county(clerk, overview=text)
    page = clerk.page("overview")
    edit = page.text.edit
    (finding,) = [f for f in clerk.doc.findings if f.rule_id == "W1" and f.section == "overview"]
    assert underlines(edit) == [finding.span]
    (sel,) = [s for s in edit.extraSelections() if s.format.underlineStyle() != QTextCharFormat.NoUnderline]
    assert sel.format.underlineColor() == QColor(C.STATE["warning"])
    # Hover over the underlined words: the message, with what the table says.
    cursor = edit.textCursor()
    cursor.setPosition(finding.span[0] + 3)
    pos = edit.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.ToolTip, pos, edit.viewport().mapToGlobal(pos))
    assert page.text.findings.eventFilter(edit.viewport(), event)
    tips = page.text.findings.messages_at(edit.cursorForPosition(pos).position())
    assert tips and "112" in tips[0] and "一百零五件" in tips[0]
    # Typing ahead of the save: the mark moves with the words.
    c = edit.textCursor()
    c.setPosition(0)
    c.insertText("2025年，")
    assert underlines(edit) == [(finding.span[0] + 6, finding.span[1] + 6)]
    if os.environ.get("GONGKAI_SHOTS"):
        clerk.win.grab().save(str(Path(os.environ["GONGKAI_SHOTS"]) / "text_findings.png"))


def test_go_to_from_the_check_page_selects_the_words(clerk):
    open_county(clerk, overview="（一）主动公开。全年主动公开政府信息318条，其中，工作动态160条，通知公告58条，政策文件120条。\n"
                                "（二）依申请公开。本年度未收到政府信息公开申请。\n（四）政府信息管理。依据国办政务公开办函〔2021〕30号做好工作。")
    check = clerk.page("check")
    finding = next(f for f in clerk.doc.findings if f.rule_id == "W1")
    card = next(c for c in check.cards.values() if c.finding.key == finding.key)
    assert "未收到政府信息公开申请" in card.text.text()
    if os.environ.get("GONGKAI_SHOTS"):
        clerk.win.grab().save(str(Path(os.environ["GONGKAI_SHOTS"]) / "check_text_findings.png"))
    card.go_btn.click()
    QApplication.processEvents()
    edit = clerk.editor.pages["overview"].text.edit
    assert clerk.editor.current == "overview"
    assert edit.textCursor().selectedText() == "未收到政府信息公开申请"


def test_inserted_sentence_is_shaded_and_follows_the_table(clerk):
    open_county(clerk, previous=False, requests="申请渠道以网络申请和信函申请为主。")
    page = clerk.page("requests")
    text = page.text
    assert text.sentence.button.isVisible()
    c = text.edit.textCursor()
    c.setPosition(0)
    text.edit.setTextCursor(c)
    text.sentence.button.click()
    QApplication.processEvents()
    sentence = S.requests_sentence(clerk.doc.report)
    assert text.edit.toPlainText() == sentence + "申请渠道以网络申请和信函申请为主。"
    shaded = [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in text.edit.extraSelections()
              if s.format.background().color() == QColor(C.GENERATED_BG)]
    assert shaded == [(0, len(sentence))]
    with Store.open(clerk.db, backups=False) as store:
        assert store.load(clerk.doc.id).generated == {"requests": {"requests": sentence}}
    # A figure changes in the table: the sentence is written again, still linked.
    clerk.type_cell(("requests", "disclosed", "natural_person"), "53")
    clerk.type_cell(("requests", "new", "natural_person"), "101")
    now = clerk.doc.report.sections["requests"]
    assert now.startswith("本年度共新收政府信息公开申请113件") and "予以公开61件" in now
    clerk.page("requests")
    assert text.edit.toPlainText() == now
    assert not [f for f in clerk.doc.findings if f.rule_id == "W1" and f.section == "requests"]


def test_compare_with_last_year_marks_reused_paragraphs(clerk, monkeypatch):
    from gongkai_desktop.ui import compare

    reused = "全年主动公开政府信息3650条。重点做好财政预决算、重大建设项目、公共资源配置等领域信息公开，发布政策解读48篇。"
    base = corpus.load("county_gov_2025.txt", with_previous=False).sections["overview"]
    open_county(clerk, overview=base + "\n" + reused)
    page = clerk.page("overview")
    assert page.text.compare_btn.isVisible()
    shown = []
    monkeypatch.setattr(compare.CompareDialog, "exec", lambda self: shown.append(self) or 0)
    page.text.compare_btn.click()
    (dialog,) = shown
    mine, theirs = dialog.marked()
    assert mine == [reused] and theirs == [reused]
    assert C.REUSED_BG in dialog.left.toHtml() or QColor(C.REUSED_BG).name() in dialog.left.toHtml()
    assert "2024" in dialog.right_title.text() and "%" in dialog.summary.text()
    dialog.resize(1100, 700)
    dialog.show()
    QApplication.processEvents()
    if os.environ.get("GONGKAI_SHOTS"):
        dialog.grab().save(str(Path(os.environ["GONGKAI_SHOTS"]) / "compare.png"))
    dialog.close()


def test_no_compare_without_last_year(clerk):
    open_county(clerk, previous=False)
    assert not clerk.page("overview").text.compare_btn.isVisible()
    assert T.COMPARE  # the button's words come from ui/texts.py


def test_a_finding_in_the_opening_paragraph_is_underlined_on_the_meta_page(clerk):
    open_county(clerk, previous=False)
    with Store.open(clerk.db, backups=False) as store:
        store.set_meta(clerk.doc.id, "opening", "本报告所列数据统计期限为2024年1月1日至2024年12月31日。")
    clerk.doc.reload()
    QApplication.processEvents()
    finding = next(f for f in clerk.doc.findings if f.rule_id == "W5" and f.section == "meta")
    check = clerk.page("check")
    card = next(c for c in check.cards.values() if c.finding.key == finding.key)
    card.go_btn.click()
    QApplication.processEvents()
    meta = clerk.editor.pages["meta"]
    assert clerk.editor.current == "meta"
    assert underlines(meta.opening) == [finding.span]
    assert meta.opening.textCursor().selectedText() == finding.quote


def test_an_obvious_fix_is_one_click_on_the_check_page(clerk):
    open_county(clerk, previous=False, overview="（一）主动公开。略。\n（二）依申请公开。略。\n（四）政府信息管理。略。")
    check = clerk.page("check")
    card = next(c for c in check.cards.values() if c.finding.rule_id == "W7")
    assert card.fix_btn.isVisibleTo(check) and "（三）" in card.fix_btn.text()
    card.fix_btn.click()
    QApplication.processEvents()
    assert clerk.doc.report.sections["overview"] == "（一）主动公开。略。\n（二）依申请公开。略。\n（三）政府信息管理。略。"
    assert not [f for f in clerk.doc.findings if f.rule_id == "W7"]
    with Store.open(clerk.db, backups=False) as store:
        assert "（三）政府信息管理" in store.load(clerk.doc.id).sections["overview"]
