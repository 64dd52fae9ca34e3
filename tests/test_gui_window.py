"""The real window, headless, end to end: what a clerk does in January, start to finish."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from pathlib import Path

import pytest


from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from gongkai_desktop.storage.store import Store
from gongkai_desktop.ui import texts as T
from gongkai_desktop.ui import widgets as W
from gongkai_desktop.ui.dialogs import default_year

pytestmark = pytest.mark.gui

ORGAN = "某某县交通运输局"
YEAR = 2025
WORD_PASTE = ("\u3000\u3000（二）依申请公开。全年新收申请\u00a012件，均按时答复。\r\n"
              "\u3000\u3000（三）政府信息管理。\u200b清理规范性文件3件。\x0b  \r\n\r\n\r\n\r\n"
              "\u3000\u3000（四）政府信息公开平台建设。网站运行平稳。\t")


def R(row, col):  # noqa: N802 - a table 三 cell
    return ("requests", row, col)


def stored(db: Path, rid: int):
    with Store.open(db, backups=False) as store:
        return store.load(rid)


def test_a_whole_report_from_new_to_export_and_back(clerk, tmp_path):
    win = clerk.start()
    # An empty store: the example is offered, and the list says what to do.
    assert win.start.example_banner.isVisibleTo(win)
    assert win.start.stack.currentWidget() is win.start.empty

    # 新建年报 (the dialog answered: organ, type, year)
    clerk.new_report = (ORGAN, "department", YEAR)
    win.start.new_btn.click()
    doc = clerk.doc
    assert doc is not None and win.stack.currentWidget() is win.editor
    rid = doc.id
    assert doc.report.title == f"{ORGAN}{YEAR}年政府信息公开工作年度报告"
    assert clerk.editor.current == "meta"
    states = {sid: st.state for sid, st in doc.states.items()}
    assert states["overview"] == "empty" and states["proactive"] == "empty"

    # 基本信息: the issue date in the Chinese form, saved as typed.
    meta = clerk.page("meta")
    meta.issue_date.setFocus()
    clerk.type_text(meta.issue_date, "2026年1月20日")
    meta.issue_date.editingFinished.emit()
    assert doc.report.meta.issue_date == _dt.date(2026, 1, 20)
    assert win.save_state.text().startswith("已自动保存")

    # 一、总体情况: the scaffold, typing, a paste from Word arriving as plain text.
    page = clerk.page("overview")
    page.text.insert_scaffold()
    text = page.text.edit.toPlainText()
    for h in ("（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（五）监督保障"):
        assert h in text
    page.text.edit.clear()
    clerk.type_text(page.text.edit, "（一）主动公开。全年主动公开政府信息356条。\n")
    clerk.paste_text(page.text.edit, WORD_PASTE)
    text = page.text.edit.toPlainText()
    assert "\u3000" not in text and "\u200b" not in text and "\r" not in text and "\x0b" not in text
    assert "（二）依申请公开。全年新收申请 12件，均按时答复。\n（三）政府信息管理。清理规范性文件3件。\n" in text
    assert page.text.count.text().startswith("字数：")
    # saved on a short debounce: the store has it without leaving the page
    clerk.wait(lambda: stored(clerk.db, rid).sections["overview"] == page.text.edit.toPlainText())
    assert doc.states["overview"].state != "empty"

    # 二: full-width digits as a Chinese keyboard sends them; money with decimals.
    clerk.type_cell(("proactive", "rules", "issued"), "１２")
    assert doc.report.values[("proactive", "rules", "issued")] == 12
    clerk.type_cell(("proactive", "fees", "fee_amount"), "０.０９２", ime=True)
    assert doc.report.values[("proactive", "fees", "fee_amount")] == Decimal("0.092")

    # 三: a finding appears (一＋二 ≠ 三（七）总计＋四) and disappears when the numbers agree.
    clerk.type_cell(R("new", "natural_person"), "5")
    clerk.type_cell(R("carried", "natural_person"), "0")
    clerk.type_cell(R("disclosed", "natural_person"), "3")
    clerk.type_cell(R("carry_forward", "natural_person"), "1")
    r1 = [f for f in doc.findings if f.rule_id == "R1" and "natural_person" in f.key]
    assert r1 and r1[0].severity == "error"
    check = clerk.page("check")
    assert any(c.finding.rule_id == "R1" for c in check.cards.values())
    assert clerk.editor.nav.item(clerk.editor.nav.row_of("check")).data(W.Qt.UserRole + 1) == "error"
    # the click goes to the table, on the cell
    card = next(c for c in check.cards.values() if c.finding.rule_id == "R1")
    card.go_btn.click()
    QApplication.processEvents()
    assert clerk.editor.current == "requests"
    assert clerk.editor.pages["requests"].table.current_key() in card.finding.cells
    clerk.type_cell(R("partial", "natural_person"), "1")
    assert not [f for f in doc.findings if f.rule_id == "R1" and "natural_person" in f.key]
    check = clerk.page("check")
    assert not any(c.finding.rule_id == "R1" and "natural_person" in c.finding.key for c in check.cards.values())

    # undo / redo of a cell, through the window's action
    clerk.type_cell(R("partial", "natural_person"), "2")
    win.act_undo.trigger()
    assert doc.report.values[R("partial", "natural_person")] == 1
    assert stored(clerk.db, rid).values[R("partial", "natural_person")] == 1
    win.act_redo.trigger()
    assert doc.report.values[R("partial", "natural_person")] == 2
    win.act_undo.trigger()

    # A warning takes an explanation (M2: an issue date outside January–March).
    meta = clerk.page("meta")
    meta._set_date(_dt.date(2026, 5, 8))
    warning = next(f for f in doc.findings if f.rule_id == "M2")
    check = clerk.page("check")
    card = check.cards[warning.key]
    assert card.explain is not None
    card.explain.setFocus()
    clerk.type_text(card.explain, "因机构改革，报告推迟发布。")
    clerk.wait(lambda: stored(clerk.db, rid).explanations.get(warning.key) == "因机构改革，报告推迟发布。")
    assert card.badge.text() == T.WARNING_EXPLAINED
    assert "因机构改革" in check.checklist_html()
    checklist = check.save_checklist(str(tmp_path / "checklist.pdf"))
    assert Path(checklist).stat().st_size > 1000

    # 导出: both files into a chosen folder, then read them back.
    out = tmp_path / "out"
    out.mkdir()
    export = clerk.page("export")
    clerk.folder = str(out)
    export.choose_btn.click()
    assert export.docx.isChecked() and export.pdf.isChecked()
    with clerk.qtbot.waitSignal(export.exported, timeout=60000) as sig:
        export.export_btn.click()
    result = sig.args[0]
    assert result is not None, clerk.shown
    docx_path, pdf_path = export.targets()["docx"], export.targets()["pdf"]
    assert docx_path.exists() and pdf_path.exists()
    assert export.results_box.isVisibleTo(win)
    assert "正文" in export.fonts_label.text()
    import docx as python_docx

    body = "\n".join(p.text for p in python_docx.Document(str(docx_path)).paragraphs)
    assert f"{ORGAN}{YEAR}年" in body and "全年新收申请 12件" in body and "因机构改革" not in body
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    pdf_text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    assert "全年新收申请" in pdf_text and "0.092" in pdf_text and "因机构改革" not in pdf_text
    # open the file / the folder (recorded, not launched, in the tests)
    W.opened.clear()
    buttons = [b for b in export.results_box.findChildren(type(export.export_btn)) if b.text() == T.OPEN_FOLDER]
    buttons[0].click()
    assert W.opened and Path(W.opened[-1]) == out
    assert win.ctx.settings.last_export_dir == str(out)

    # Leave the report on table 三 with a cell selected, then close the program.
    clerk.page("requests").table.focus_cell(R("refused_repeat", "business"))
    clerk.close()
    assert not clerk.shown or all(k in ("confirm",) for k, *_ in clerk.shown), clerk.shown

    # Start again on the same database: everything is there, and the report opens where it was.
    win = clerk.start()
    assert not win.start.example_banner.isVisibleTo(win)
    assert win.start.selected_id() == rid  # the last report is selected
    row = next(r for r in win.start.model.rows if r.id == rid)
    assert row.organ == ORGAN and row.year == YEAR and row.errors > 0
    win.start.open_selected()
    doc = clerk.doc
    assert doc.report.values[("proactive", "rules", "issued")] == 12
    assert doc.report.values[("proactive", "fees", "fee_amount")] == Decimal("0.092")
    assert doc.report.explanations[warning.key] == "因机构改革，报告推迟发布。"
    assert "全年新收申请 12件" in doc.report.sections["overview"]
    assert clerk.editor.current == "requests"
    assert clerk.editor.pages["requests"].table.current_key() == R("refused_repeat", "business")
    assert export.folder is not None and clerk.page("export").folder.text() == str(out)


def test_text_typed_just_before_closing_is_not_lost(clerk):
    win = clerk.start()
    clerk.new_report = (ORGAN, "department", YEAR)
    win.start.new_btn.click()
    rid = clerk.doc.id
    page = clerk.page("problems")
    page.text.edit.setFocus()
    clerk.type_text(page.text.edit, "存在的问题：信息更新不及时。")
    assert page.text.timer.isActive()  # still within the debounce
    clerk.close()  # closing saves what is pending
    assert stored(clerk.db, rid).sections["problems"] == "存在的问题：信息更新不及时。"


def test_example_report_is_marked_and_can_be_deleted(clerk):
    win = clerk.start()
    win.start.example_banner.findChildren(type(win.start.new_btn))[0].click()
    doc = clerk.doc
    assert doc.report.example
    assert clerk.editor.example_banner.isVisibleTo(win)
    win.show_start()
    row = win.start.model.rows[0]
    assert row.example
    assert "示例" in win.start.model.data(win.start.model.index(0, 3))
    win.start.select_id(row.id)
    win.start.delete_btn.click()
    assert not win.start.model.rows
    win.start.toggle_trash()
    assert [r.id for r in win.start.model.rows] == [row.id]
    win.start.select_id(row.id)
    win.start.restore_btn.click()
    win.start.toggle_trash()
    assert [r.id for r in win.start.model.rows] == [row.id]
    # once offered, the example is not offered again on an empty store
    assert win.ctx.settings.example_offered


def test_new_report_dialog_defaults_to_last_year_and_shows_the_format(qtbot):
    from gongkai_desktop.ui.dialogs import NewReportDialog

    dlg = NewReportDialog()
    qtbot.addWidget(dlg)
    assert dlg.year.value() == _dt.date.today().year - 1 == default_year()
    assert "国办公开办函〔2021〕30号" in dlg.format_label.text()
    dlg.year.setValue(2020)
    assert "试行" in dlg.format_label.text() and "〔2019〕60号" in dlg.format_label.text()
    dlg.buttons.accepted.emit()  # no organ yet: refused with a message, dialog stays
    assert dlg.error.isVisibleTo(dlg) and dlg.result() == 0
    # the organ's name suggests its type (the rule the reader of published reports uses too)
    for name, guessed in (("某区某某街道", "township"), ("某某县人民政府", "government")):
        dlg.organ.clear()
        for ch in name:  # typed as key events carrying the character (keyClicks knows ASCII only)
            QApplication.sendEvent(dlg.organ, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
        assert dlg.organ.text() == name and dlg.organ_type.currentData() == guessed


def test_finalise_locks_and_reopening_is_logged(clerk):
    win = clerk.start()
    clerk.new_report = (ORGAN, "department", YEAR)
    win.start.new_btn.click()
    doc = clerk.doc
    clerk.page("export").finalize_btn.click()  # with errors: the confirm is answered yes
    assert doc.read_only and doc.report.status == "final"
    assert clerk.editor.final_banner.isVisibleTo(win)
    page = clerk.page("overview")
    assert page.text.edit.isReadOnly()
    table = clerk.page("proactive").table
    table.focus_cell(("proactive", "rules", "issued"))
    QApplication.sendEvent(table.view, QKeyEvent(QEvent.KeyPress, Qt.Key_3, Qt.NoModifier, "3"))
    assert table.view.indexWidget(table.view.currentIndex()) is None  # no editor opens
    assert doc.report.values[("proactive", "rules", "issued")] is None
    clerk.reopen_reason = "根据审核意见修改表二"
    clerk.editor.reopen()
    assert not doc.read_only and not clerk.page("overview").text.edit.isReadOnly()
    revs = win.ctx.store.revisions(doc.id)
    assert any(r.what == "reopen" and r.new == "根据审核意见修改表二" for r in revs)
    assert any(r.what == "finalize" for r in revs)


def test_carry_import_and_export_exchange_files(clerk, tmp_path):
    win = clerk.start()
    clerk.new_report = (ORGAN, "department", 2024)
    win.start.new_btn.click()
    clerk.type_cell(R("carry_forward", "natural_person"), "7")
    win.show_start()
    src = win.start.selected_id()
    win.start.carry_btn.click()
    new = clerk.doc
    assert new.report.meta.year == 2025
    assert new.report.values[R("carried", "natural_person")] == 7
    win.show_start()
    # export the 2025 report as an exchange file, import it back as another copy
    target = tmp_path / "交换.json"
    clerk.save_name = str(target)
    win.start.select_id(new.id)
    win.start.export_btn.click()
    assert target.exists()
    clerk.open_name = str(target)
    clerk.confirm_answers = [True]  # 「已经存在，仍然导入」
    rid = win.start.import_file()
    assert rid is not None and rid not in (src, new.id)
    assert len(win.start.model.rows) == 3
    # a file that is not an exchange file: a clear message, nothing stored
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    clerk.open_name = str(bad)
    assert win.start.import_file() is None
    assert clerk.shown[-1][0] == "critical" and "JSON" in clerk.shown[-1][2]
    assert len(win.start.model.rows) == 3


def test_after_a_crash_the_next_start_says_the_work_is_intact(clerk, tmp_path):
    import socket

    with Store.open(clerk.db, backups=False) as store:
        store.create(ORGAN, YEAR, "department")
        # a session left behind by a program that died (a pid that does not exist)
        store._conn.execute("INSERT INTO sessions (pid, host, opened_at) VALUES (?, ?, ?)",
                            (2 ** 22 + 12345, socket.gethostname(), "2026-01-19T10:00:00+08:00"))
    win = clerk.start()
    assert win.start.crash_banner.isVisibleTo(win)
    assert "完好无损" in win.start.crash_banner.text.text()


def test_a_damaged_database_offers_the_latest_backup(clerk):
    with Store.open(clerk.db, backups=False) as store:
        rid = store.create(ORGAN, YEAR, "department")
        store.set_section(rid, "overview", "备份里的文字")
        store.backup_now()
    data = bytearray(clerk.db.read_bytes())
    data[100:4000] = b"\x00" * 3900  # damage the file (the header survives)
    clerk.db.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        p = clerk.db.with_name(clerk.db.name + side)
        if p.exists():
            p.unlink()
    clerk.confirm_answers = [True]  # 从备份恢复
    win = clerk.start()
    kinds = [k for k, *_ in clerk.shown]
    assert kinds[:2] == ["confirm", "information"], clerk.shown
    assert [r.id for r in win.start.model.rows] == [rid]
    # Before restoring, the clerk reads what is damaged, then apart from it what the restore
    # gives back and costs: the backup's time and age, the reports in each file, retyping.
    _, _, text = clerk.shown[0]
    detail = clerk.details[0]
    head, _, hint = text.partition("\n\n")
    assert str(clerk.db) in head and "备份" not in head
    assert "分钟前" in hint and "备份中有 1 份年报" in hint and "重新填写" in hint
    assert "损坏的文件中" in hint
    backups = list((clerk.db.parent / "backups").glob("*.db"))
    assert backups and (text + detail).count(backups[0].name) == 1  # the backup's path, once
    assert "技术信息" in detail and "技术信息" not in text


def test_a_damaged_database_without_a_backup_says_so_and_stops(clerk):
    from gongkai_desktop.ui.app import create_window

    with Store.open(clerk.db, backups=False) as store:
        store.create(ORGAN, YEAR, "department")
    data = bytearray(clerk.db.read_bytes())
    data[100:4000] = b"\x00" * 3900
    clerk.db.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        p = clerk.db.with_name(clerk.db.name + side)
        if p.exists():
            p.unlink()
    assert create_window(str(clerk.db)) is None
    kind, title, text = clerk.shown[-1]
    assert kind == "critical" and title == T.STORE_DAMAGED_TITLE and T.STORE_DAMAGED_NO_BACKUP in text


def test_the_backup_age_reads_in_the_largest_unit():
    from gongkai_desktop.ui.app import age_text

    assert age_text(_dt.timedelta(seconds=20)) == "1 分钟"
    assert age_text(_dt.timedelta(minutes=90)) == "90 分钟"
    assert age_text(_dt.timedelta(hours=5)) == "5 小时"
    assert age_text(_dt.timedelta(days=3, hours=2)) == "3 天"


def test_a_locked_database_says_why_and_stops(clerk, monkeypatch):
    from gongkai_desktop.errors import StoreError
    from gongkai_desktop.ui.app import create_window

    def locked(*a, **k):
        err = StoreError("数据库正被另一个程序占用（x），请稍后再试。")
        err.reason = "locked"
        raise err

    monkeypatch.setattr(Store, "open", classmethod(lambda cls, *a, **k: locked()))
    assert create_window(str(clerk.db)) is None
    assert clerk.shown and clerk.shown[-1][0] == "critical"
    assert T.STORE_LOCKED_HINT in clerk.shown[-1][2]


def test_qt_standard_buttons_are_in_chinese(clerk):
    from PySide6.QtWidgets import QDialogButtonBox

    clerk.start()
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    assert box.button(QDialogButtonBox.Ok).text() == "确定"
    assert box.button(QDialogButtonBox.Cancel).text() == "取消"


def test_print_preview_pages_and_printing(clerk, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    win = clerk.start()
    win.start.open_example()
    page = clerk.page("print")
    clerk.wait(lambda: bool(page.images), timeout=60000)
    assert len(page.labels) == len(page.images) >= 3
    assert page.print_btn.isEnabled()
    # printing draws every page on the printer (a PDF file stands in for the printer here)
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert page.print_to(printer) == len(page.images)
    import pypdfium2 as pdfium

    assert len(pdfium.PdfDocument(str(out))) == len(page.images)
    # an edit makes the preview stale: showing the page again renders it anew
    stamp = page.rendered_for
    clerk.doc.set_section("other", "无。本年度未收取信息处理费。")
    clerk.page("check")
    page = clerk.page("print")
    clerk.wait(lambda: page.rendered_for not in (None, stamp), timeout=60000)
    # the page listens to the open report: an edit while it is shown (an undo from the menu)
    # renders it anew without leaving the page; showing it again unchanged renders nothing
    clerk.wait(lambda: not page.busy, timeout=60000)
    stamp = page.rendered_for
    clerk.doc.set_section("other", "无。本年度未收取信息处理费，也未发生其他需要报告的事项。")
    clerk.wait(lambda: page.rendered_for not in (None, stamp) and not page.busy, timeout=60000)
    stamp = page.rendered_for
    clerk.page("check")
    page = clerk.page("print")
    assert not page.busy and page.rendered_for == stamp


def test_export_errors_are_clear_dialogs(clerk, tmp_path, monkeypatch):
    from gongkai_desktop.documents import export as export_mod
    from gongkai_desktop.errors import ExportError

    win = clerk.start()
    win.start.open_example()
    export = clerk.page("export")
    clerk.folder = str(tmp_path)
    export.choose_btn.click()

    def locked(*a, **k):
        raise ExportError("文件「x.docx」正在被其他程序（如 Word/WPS）使用，请先关闭它再导出。")

    monkeypatch.setattr(export_mod, "export_report", locked)
    with clerk.qtbot.waitSignal(export.exported, timeout=10000):
        export.export_btn.click()
    kind, title, text = clerk.shown[-1]
    assert kind == "critical" and title == T.EXPORT_FAILED_TITLE and "Word" in text
    assert export.export_btn.isEnabled()  # the clerk can try again
    # a folder that has gone away (a USB stick pulled out)
    export.folder.setText(str(tmp_path / "gone"))
    export.export_btn.click()
    assert clerk.shown[-1][0] == "critical" and "不存在" in clerk.shown[-1][2]


# -- nothing typed is lost at close -------------------------------------------------------------

def _typing_report(clerk, section="problems"):
    win = clerk.start()
    clerk.new_report = (ORGAN, "department", YEAR)
    win.start.new_btn.click()
    page = clerk.page(section)
    page.text.edit.setFocus()
    return win, clerk.doc.id, page


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_sigterm_arriving_inside_the_typing_save_loses_nothing(clerk, monkeypatch, signame):
    """A logout's SIGTERM is run by Python in the middle of whatever Python code runs — here the
    save the typing timer started, after that timer went inactive. The close must wait for that
    save instead of closing the store under it."""
    import os
    import signal

    from gongkai_desktop.ui.app import install_close_handlers

    win, rid, page = _typing_report(clerk)
    old = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    monkeypatch.setattr(QApplication, "quit", staticmethod(lambda: None))  # keep pytest's event loop
    try:
        install_close_handlers(QApplication.instance(), win)
        doc = clerk.doc
        real = doc.set_section
        sent = []

        def set_section_with_a_logout(sid, text):
            if not sent:
                sent.append(True)
                os.kill(os.getpid(), getattr(signal, signame))  # Python runs the handler right here
            return real(sid, text)

        monkeypatch.setattr(doc, "set_section", set_section_with_a_logout)
        clerk.type_text(page.text.edit, "存在的问题：信息更新不及时。")
        clerk.wait(lambda: not win.isVisible(), timeout=10000)  # the signal closed the window
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    assert sent
    assert stored(clerk.db, rid).sections["problems"] == "存在的问题：信息更新不及时。"
    clerk.win = None


def test_typing_without_a_pause_is_saved_every_two_seconds(clerk):
    win, rid, page = _typing_report(clerk)
    text = "本机关坚持以公开为常态不公开为例外" * 4
    t0 = _dt.datetime.now()
    for ch in text:  # one key every 100 ms for ~3.5 s: the 400 ms pause never comes
        clerk.type_text(page.text.edit, ch)
        clerk.settle(0.1)
    assert (_dt.datetime.now() - t0).total_seconds() > 3
    saved = stored(clerk.db, rid).sections.get("problems", "")
    assert len(saved) >= len(text) - 25, (len(saved), len(text))  # at most ~2 s of keys unsaved
    assert text.startswith(saved)
    assert page.text.timer.pending  # the last keys are still within the short delay


def test_a_cell_still_being_typed_in_is_saved_at_close(clerk):
    win = clerk.start()
    clerk.new_report = (ORGAN, "department", YEAR)
    win.start.new_btn.click()
    rid = clerk.doc.id
    page = clerk.page("requests")
    key = R("new", "natural_person")
    page.table.focus_cell(key)
    view = page.table.view
    for ch in "42":  # typed, no Enter yet
        target = view.indexWidget(view.currentIndex()) or view
        QApplication.sendEvent(target, QKeyEvent(QEvent.KeyPress, 0, Qt.NoModifier, ch))
    assert view.indexWidget(view.currentIndex()) is not None  # the cell editor is open
    clerk.close()
    assert stored(clerk.db, rid).values[key] == 42
    clerk.win = None


def test_the_session_ending_saves_pending_text(clerk):
    from gongkai_desktop.ui.app import install_close_handlers

    win, rid, page = _typing_report(clerk)
    app = QApplication.instance()
    install_close_handlers(app, win)
    clerk.type_text(page.text.edit, "注销前输入的文字")
    assert page.text.timer.pending
    assert app.receivers("2commitDataRequest(QSessionManager&)") >= 1
    win.session_ending(None)  # what the desktop session's request runs
    assert stored(clerk.db, rid).sections["problems"] == "注销前输入的文字"
    assert win.isVisible()  # saving is all it asks; the session then ends the program


def test_a_close_whose_last_save_is_refused_stays_open_and_says_so(clerk, monkeypatch):
    from gongkai_desktop.errors import StoreError

    win, rid, page = _typing_report(clerk)
    clerk.type_text(page.text.edit, "磁盘满时输入的文字")

    def full(*a, **k):
        raise StoreError("磁盘已满，无法保存。")

    monkeypatch.setattr(win.ctx.store, "set_section", full)
    win.close()
    QApplication.processEvents()
    assert win.isVisible() and page.text.edit.toPlainText() == "磁盘满时输入的文字"
    assert clerk.shown[-1][0] == "critical" and "磁盘已满" in clerk.shown[-1][2]
    assert "再次关闭" in clerk.shown[-1][2]  # and what a second close does
    monkeypatch.undo()  # the disk has room again: the next close saves
    clerk.close()
    assert stored(clerk.db, rid).sections["problems"] == "磁盘满时输入的文字"
    clerk.win = None


# -- data shown as plain text ---------------------------------------------------------------------

REAL_DIALOGS = (W.critical, W.confirm)  # taken before any test's driver replaces them
HOSTILE = '<img src="x"><span style="color:red;font-size:40px">系统提示：数据库已损坏，请联系管理员</span>'


def test_html_in_an_organ_name_shows_as_literal_text(clerk, monkeypatch):
    from PySide6.QtWidgets import QLabel, QMessageBox

    with Store.open(clerk.db, backups=False) as store:
        rid = store.create(HOSTILE, YEAR, "department")
    win = clerk.start()
    win.open_report(rid)
    title = clerk.editor.title
    assert title.textFormat() == Qt.PlainText and HOSTILE in title.text()
    meta = clerk.page("meta")
    assert meta.title_preview.textFormat() == Qt.PlainText and HOSTILE in meta.title_preview.text()
    # every label of the window that shows the organ name shows it literally
    showing = [w for w in win.findChildren(QLabel) if "系统提示" in w.text()]
    assert showing and all(w.textFormat() == Qt.PlainText for w in showing)
    # the real message boxes too
    seen = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(box.textFormat()) or 0)
    real_critical, real_confirm = REAL_DIALOGS  # the driver answers the dialogs; these are the real ones
    real_critical(win, "标题", HOSTILE)
    real_confirm(win, "标题", HOSTILE, "好")
    assert seen == [Qt.PlainText, Qt.PlainText]
    # and a tooltip of the list
    from gongkai_desktop.ui.qtutils import plain_tooltip

    win.show_start()
    row = next(i for i, r in enumerate(win.start.model.rows) if r.id == rid)
    tip = win.start.model.data(win.start.model.index(row, 0), Qt.ToolTipRole)
    assert tip == plain_tooltip(HOSTILE) and "<span" not in tip and "&lt;span" in tip


# -- read-only: final without a time, typing into a final text, a read-only database -----------

def test_a_final_report_without_a_time_does_not_say_an_empty_time(clerk):
    with Store.open(clerk.db, backups=False) as store:
        rid = store.create(ORGAN, YEAR, "department")
        store.finalize(rid)
        store._conn.execute("UPDATE reports SET finalized_at = NULL WHERE id = ?", (rid,))
    win = clerk.start()
    win.open_report(rid)
    text = clerk.editor.final_banner.text.text()
    assert clerk.editor.final_banner.isVisibleTo(win)
    assert "已于" not in text and "定稿" in text
    export = clerk.page("export")
    assert "已于" not in export.final_text.text()


def test_typing_into_a_final_text_says_why(clerk):
    win = clerk.start()
    clerk.new_report = (ORGAN, "department", YEAR)
    win.start.new_btn.click()
    clerk.page("export").finalize_btn.click()
    page = clerk.page("overview")
    messages = []
    clerk.editor.message.connect(messages.append)
    clerk.type_text(page.text.edit, "改")
    assert page.text.edit.toPlainText() == ""
    assert messages and T.REPORT_IS_FINAL in messages[-1]
    assert page.text.state.text() == T.TYPING_LOCKED_SHORT
    meta = clerk.page("meta")  # the 基本信息 fields too
    clerk.type_text(meta.signoff, "改")
    assert meta.signoff.text() == "" and T.REPORT_IS_FINAL in messages[-1] and len(messages) >= 2


def test_a_read_only_database_opens_to_view_and_says_so(clerk, monkeypatch):
    with Store.open(clerk.db, backups=False) as store:
        rid = store.create(ORGAN, YEAR, "department")
        store.set_section(rid, "problems", "原有的文字")
    from gongkai_desktop.storage import store as store_mod

    # the file may not be written (tests run as root, where chmod does not stop writing)
    monkeypatch.setattr(store_mod, "_writable", lambda path: False)
    win = clerk.start()
    assert win.ctx.store.read_only
    assert win.windowTitle().endswith(T.READ_ONLY_TITLE_SUFFIX)
    assert win.read_only_state.isVisibleTo(win)
    win.open_report(rid)
    doc = clerk.doc
    assert doc.read_only and doc.lock_text() == T.LOCK_STORE
    assert win.save_state.text() != T.AUTOSAVE_ON  # no promise of saving where nothing is saved
    assert clerk.editor.lock_banner.isVisibleTo(win) and T.LOCK_STORE in clerk.editor.lock_banner.text.text()
    page = clerk.page("problems")
    assert page.text.edit.isReadOnly() and page.text.edit.toPlainText() == "原有的文字"
    messages = []
    clerk.editor.message.connect(messages.append)
    clerk.type_text(page.text.edit, "改")
    assert messages and T.LOCK_STORE in messages[-1]
    assert not win.act_finalize.isEnabled()
    # exporting still works (a view of the report)
    export = clerk.page("export")
    out = clerk.db.parent / "out"
    out.mkdir()
    clerk.folder = str(out)
    export.choose_btn.click()
    with clerk.qtbot.waitSignal(export.exported, timeout=60000) as sig:
        export.export_btn.click()
    assert sig.args[0] is not None, clerk.shown
    assert any(p.suffix == ".docx" for p in out.iterdir())


# -- two windows on one report -------------------------------------------------------------------

needs_sessions = pytest.mark.skipif(not hasattr(Store, "other_editors"),
                                    reason="the store's open-report sessions (engineer A) have not landed")


@needs_sessions
def test_a_report_open_in_another_window_opens_read_only_with_an_explanation(clerk, tmp_path):
    with Store.open(clerk.db, backups=False) as store:
        rid = store.create(ORGAN, YEAR, "department")
    other = Store.open(clerk.db, backups=False)  # the other window's session (another process in life)
    try:
        other.mark_open(rid)
        win = clerk.start()
        win.open_report(rid)
        doc = clerk.doc
        assert doc.read_only and doc.lock == "other"
        assert any(k == "information" and "另一个窗口" in text for k, _, text in clerk.shown)
        assert clerk.editor.lock_banner.isVisibleTo(win)
        page = clerk.page("problems")
        assert page.text.edit.isReadOnly()
    finally:
        other.mark_closed(rid)
        other.close()


@needs_sessions
def test_a_stale_save_is_refused_with_a_clear_message_and_nothing_vanishes(clerk):
    with Store.open(clerk.db, backups=False) as store:
        rid = store.create(ORGAN, YEAR, "department")
        store.set_section(rid, "problems", "甲写的第一稿")
    win, _, _ = clerk.start(), None, None
    win.open_report(rid)
    page = clerk.page("problems")
    # Meanwhile a second program (which did not see this window's mark) changes the text.
    with Store.open(clerk.db, backups=False) as other:
        other.set_section(rid, "problems", "乙改过的稿子")
    page.text.edit.setFocus()
    page.text.edit.moveCursor(page.text.edit.textCursor().MoveOperation.End)
    clerk.type_text(page.text.edit, "，甲接着写")
    page.text.flush()
    kinds = [(k, title) for k, title, _ in clerk.shown]
    assert ("critical", T.STALE_TITLE) in kinds
    assert stored(clerk.db, rid).sections["problems"] == "乙改过的稿子"  # not overwritten
    assert page.text.edit.toPlainText() == "甲写的第一稿，甲接着写"  # and not thrown away
    assert clerk.doc.lock == "stale" and clerk.editor.lock_banner.isVisibleTo(win)
    # closing would drop the text only this window holds: the first close says so and stays open
    n = len(clerk.shown)
    win.close()
    QApplication.processEvents()
    assert win.isVisible() and clerk.shown[n:] and clerk.shown[-1][0] == "critical"
    assert "复制" in clerk.shown[-1][2]
    clerk.close()  # the second close goes ahead
    assert not win.isVisible()
    assert stored(clerk.db, rid).sections["problems"] == "乙改过的稿子"
    clerk.win = None


@needs_sessions
def test_a_stale_signoff_or_explanation_is_refused_too(clerk):
    with Store.open(clerk.db, backups=False) as store:
        rid = store.create(ORGAN, YEAR, "department")
    win = clerk.start()
    win.open_report(rid)
    with Store.open(clerk.db, backups=False) as other:  # another program changes the 落款 meanwhile
        other.set_meta(rid, "signoff", "乙填的落款")
    meta = clerk.page("meta")
    meta.signoff.setFocus()
    clerk.type_text(meta.signoff, "甲填的落款")
    meta.signoff.editingFinished.emit()
    assert ("critical", T.STALE_TITLE) in [(k, t) for k, t, _ in clerk.shown]
    assert stored(clerk.db, rid).meta.signoff == "乙填的落款"
