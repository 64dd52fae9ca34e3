"""The window's faces of issue 12: 「导入已发布的年报」 on the start page (source beside what was
read, stored only when the clerk saves) and 「从台账计算表三」 on 表三's page (computed beside
current, written as one undo step)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit, QTabWidget

from gui_driver import Clerk

from gongkai_desktop.ui import read_dialog, register_dialog
from gongkai_desktop.ui import widgets as W

pytestmark = pytest.mark.gui

FIX = Path(__file__).resolve().parent / "fixtures_reading"


def _answer(monkeypatch, cls, result, seen: list):
    def exec_(self):
        QApplication.processEvents()
        seen.append(self)
        return result
    monkeypatch.setattr(cls, "exec", exec_)


def test_read_published_shows_source_and_reading_then_saves(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    seen: list = []
    _answer(monkeypatch, read_dialog.ReadDialog, QDialog.Rejected, seen)
    assert win.start.read_published(str(FIX / "web_gbk_2022.htm")) is None
    assert clerk.ctx.store.list_reports() == []  # cancelled: nothing stored
    dialog = seen[0]
    source = dialog.findChild(QPlainTextEdit, "readSource").toPlainText()
    assert "某某区人民政府2022年政府信息公开工作年度报告" in source
    tabs = dialog.findChild(QTabWidget, "readTabs")
    names = [tabs.tabText(i) for i in range(tabs.count())]
    assert names[0] == "读取报告" and "表三" in names and "一、总体情况" in names
    assert "原表为「/」" in dialog.findChild(QPlainTextEdit, "readReport").toPlainText()

    # The clerk corrects the organ type in 「基本信息」 and saves.
    def exec_and_correct(self):
        seen.append(self)
        self.organ_type.setCurrentIndex(self.organ_type.findData("department"))
        return QDialog.Accepted
    monkeypatch.setattr(read_dialog.ReadDialog, "exec", exec_and_correct)
    rid = win.start.read_published(str(FIX / "web_gbk_2022.htm"))
    assert rid is not None
    stored = clerk.ctx.store.load(rid)
    assert stored.meta.organ == "某某区人民政府" and stored.meta.year == 2022
    assert stored.meta.organ_type == "department"
    assert stored.values[("requests", "disclosed", "natural_person")] == 63


def test_read_published_bad_file_says_why(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    bad = tmp_path / "x.docx"
    bad.write_text("不是 Word 文档")
    assert win.start.read_published(str(bad)) is None
    assert clerk.shown and clerk.shown[-1][0] == "critical" and "不是有效的 Word 文档" in clerk.shown[-1][2]


def test_register_on_table_three_writes_one_undo_step(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    rid = win.start.open_example()
    doc = clerk.doc
    year = doc.report.meta.year
    ledger = tmp_path / "台账.csv"
    with open(ledger, "w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "申请人类型", "收到日期", "办理结果", "答复日期"])
        w.writerow([1, "公民", f"{year}-03-02", "予以公开", f"{year}-03-10"])
        w.writerow([2, "公司", f"{year}-04-02", "部分公开", f"{year}-04-10"])
        w.writerow([3, "法人或其他组织", f"{year}-04-03", "予以公开", f"{year}-04-10"])
    page = clerk.page("requests")
    assert page.ledger_btn.isVisible()
    before = dict(doc.report.values)
    seen: list = []
    _answer(monkeypatch, register_dialog.RegisterDialog, QDialog.Accepted, seen)
    assert page.compute_from_register(str(ledger)), (clerk.shown, seen and len(seen[0].changes), doc.read_only)
    details = seen[0].details.toPlainText()
    assert "法人或其他组织" in details and "个单元格与当前的表三不同" in details
    assert doc.report.values[("requests", "new", "natural_person")] == 1
    assert doc.report.values[("requests", "partial", "business")] == 1
    stored = clerk.ctx.store.load(rid)
    assert stored.values[("requests", "new", "natural_person")] == 1
    clerk.win.undo()  # one step takes the whole table back
    QApplication.processEvents()
    assert {k: v for k, v in doc.report.values.items() if k[0] == "requests"} == {
        k: v for k, v in before.items() if k[0] == "requests"}


def test_carry_over_without_last_years_report_reads_the_published_one(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    clerk.open_name = str(FIX / "other_office_2023.docx")
    clerk.choose_answers = [0]  # 「导入已发布的年报」
    _answer(monkeypatch, read_dialog.ReadDialog, QDialog.Accepted, [])
    opened = []
    win.start.open_requested.connect(opened.append)
    monkeypatch.setattr(W, "confirm", lambda *a, **k: True)
    win.start.carry_report()
    rows = clerk.ctx.store.list_reports()
    assert sorted(r.year for r in rows) == [2023, 2024]
    new = clerk.ctx.store.load(opened[-1])
    assert new.meta.year == 2024 and new.meta.organ == "某某县自然资源局"
    # 上年结转 comes from the published report's 结转下年度继续办理
    last = next(r for r in rows if r.year == 2023)
    assert new.values[("requests", "carried", "natural_person")] == clerk.ctx.store.load(last.id).values[
        ("requests", "carry_forward", "natural_person")]


def test_register_with_unusual_headers_is_mapped_once_and_remembered(qtbot, monkeypatch, tmp_path):
    clerk = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    win = clerk.start()
    win.start.open_example()
    doc = clerk.doc
    year = doc.report.meta.year
    ledger = tmp_path / "登记簿.csv"
    ledger.write_text("编号,申请方,来件日期,处理意见,回复日期\n"
                      f"1,公民,{year}-03-02,申请人主动撤销,{year}-03-04\n", encoding="utf-8")
    maps: list = []

    def choose_columns(self):
        maps.append(self)
        self.columns["applicant_type"].setCurrentIndex(self.columns["applicant_type"].findData("申请方"))
        self.columns["received"].setCurrentIndex(self.columns["received"].findData("来件日期"))
        self.columns["result"].setCurrentIndex(self.columns["result"].findData("处理意见"))
        return QDialog.Accepted
    monkeypatch.setattr(register_dialog.MappingDialog, "exec", choose_columns)
    _answer(monkeypatch, register_dialog.RegisterDialog, QDialog.Accepted, [])
    page = clerk.page("requests")
    assert page.compute_from_register(str(ledger))
    assert maps and maps[0].columns["answered"].currentData() == "回复日期"  # proposed from the usual headers
    assert doc.report.values[("requests", "other_other", "natural_person")] == 1
    remembered = json.loads((tmp_path / "台账对照.json").read_text(encoding="utf-8"))
    assert remembered["columns"]["applicant_type"] == "申请方"
    maps.clear()
    assert not page.compute_from_register(str(ledger))  # same table now: nothing to write
    assert not maps  # the remembered mapping served, no question asked
