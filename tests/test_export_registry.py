"""One renderer registry: every output is one registration, and the CLI, the export page and its
remembered choices follow it; the export page says whether the export will be a draft and offers
to finalise when nothing stops it."""

from __future__ import annotations

import re

import pytest

from gongkai_desktop.documents import export as E
from gongkai_desktop.errors import ExportError
from sample import full_report


def test_every_output_is_registered_once_with_chinese_label_and_suffix():
    kinds = [r.kind for r in E.renderers()]
    assert len(kinds) == len(set(kinds))
    assert {"docx", "pdf", "html", "html_fragment", "jiedu_docx", "jiedu_pdf", "jiedu_html",
            "tujie_pdf", "tujie_png", "audit_pdf"} <= set(kinds)
    for r in E.renderers():
        assert re.search(r"[\u4e00-\u9fff]", r.label), r.kind
        assert re.fullmatch(r"\.[a-z]+", r.suffix), r.kind
        assert r.document in E.PLAN_BUILDERS
    # the window's two original choices are ticked by default, nothing else
    assert {r.kind for r in E.renderers() if r.default_on} == {"docx", "pdf"}


def test_export_writes_any_mix_of_outputs_and_reports_structured_results(tmp_path):
    outputs = {"docx": tmp_path / "a.docx", "html": tmp_path / "a.html", "jiedu_docx": tmp_path / "j.docx"}
    result = E.export_report(full_report(), outputs=outputs, findings=[])
    assert result.paths == outputs and result.written == list(outputs.values())
    assert result.docx_path == outputs["docx"] and result.pdf_path is None
    assert result.label("jiedu_docx") == E.renderer("jiedu_docx").label
    assert result.font_lines == []  # no PDF, no fonts to report
    for path in outputs.values():
        assert path.stat().st_size > 0


def test_pdf_results_carry_fonts_and_warnings_as_fields(tmp_path):
    result = E.export_report(full_report(), outputs={"pdf": tmp_path / "a.pdf"},
                             findings=[{"severity": "error"}])
    assert result.font_lines and len(result.font_roles) == len(result.font_lines[:len(result.font_roles)])
    assert result.has_errors and result.warnings and result.warnings[0] in result.messages
    assert result.draft


def test_unknown_output_is_a_chinese_message_and_nothing_is_written(tmp_path):
    with pytest.raises(ExportError, match="未知的导出类型"):
        E.export_report(full_report(), outputs={"epub": tmp_path / "x.epub", "docx": tmp_path / "a.docx"})
    assert not list(tmp_path.iterdir())


def test_a_new_registration_reaches_the_cli_and_names(tmp_path, monkeypatch):
    """A new output is one registration: the CLI offers it and names its file."""
    from gongkai_desktop import cli

    monkeypatch.setattr(E, "_RENDERERS", dict(E._RENDERERS))
    E.register(E.Renderer("txt", "纯文本", ".txt",
                          lambda job: "\n".join(job.plan.text_lines()).encode("utf-8")))
    report = full_report()
    assert E.filename_for(report, "txt") == report.title + ".txt"
    help_text = cli.build_parser()._subparsers._group_actions[0].choices["export"].format_help()
    assert "--txt" in help_text and "纯文本" in help_text
    from gongkai_desktop.storage import exchange

    src = tmp_path / "r.json"
    exchange.dump_file(report, src)
    out = tmp_path / "r.txt"
    assert cli.main(["export", str(src), "--txt", str(out)]) == 0
    assert report.meta.organ in out.read_text(encoding="utf-8")


def test_the_faces_read_the_registry():
    """The CLI's export and jiedu commands take exactly the registry's outputs; the window keeps no
    per-kind check box, setting or message parsing of its own."""
    from pathlib import Path

    from gongkai_desktop import cli

    commands = cli.build_parser()._subparsers._group_actions[0].choices
    for command, document in (("export", "report"), ("jiedu", "jiedu")):
        options = {o for a in commands[command]._actions for o in a.option_strings if o.startswith("--")}
        outputs = {r.cli_option for r in E.renderers(document)}
        assert options - {"--font", "--db", "--help"} == outputs, command
    root = Path(E.__file__).resolve().parents[1]
    page_src = (root / "ui" / "pages" / "export.py").read_text(encoding="utf-8")
    assert "QCheckBox(T.EXPORT_DOCX" not in page_src and "startswith(CT." not in page_src
    settings_src = (root / "ui" / "settings.py").read_text(encoding="utf-8")
    assert "export_docx" not in settings_src and "export_pdf" not in settings_src


# ---------------------------------------------------------------------------------------------
# The export page (offscreen window)


@pytest.fixture
def clerk(qtbot, monkeypatch, tmp_path):
    from gui_driver import Clerk

    c = Clerk(qtbot, monkeypatch, tmp_path / "reports.db")
    c.start((1280, 800))
    yield c
    c.close()


def _open_example(clerk):
    assert clerk.win.start.open_example() is not None
    return clerk.page("export")


@pytest.mark.gui
def test_page_offers_the_registered_outputs_and_remembers_them(clerk):
    page = _open_example(clerk)
    offered = [r.kind for r in E.renderers(in_window=True)]
    assert list(page.checks) == offered
    assert page.docx.isChecked() and page.pdf.isChecked() and not page.checks["html"].isChecked()
    page.checks["html"].setChecked(True)
    assert clerk.ctx.settings.export_wanted("html")
    assert set(page.targets()) == {"docx", "pdf", "html"}
    assert all(p.name == E.filename_for(clerk.doc.report, k) for k, p in page.targets().items())


@pytest.mark.gui
def test_page_says_draft_and_offers_to_finalise_without_errors(clerk):
    from gongkai_desktop.ui import texts as T

    page = _open_example(clerk)
    doc = clerk.doc
    page.activate()
    assert doc.report.status != "final" and page.will_be_draft()
    assert page.draft_banner.isVisibleTo(page)
    assert "草稿" in page.draft_banner.text.text()
    # No 错误: 定稿 is offered right where the draft is said.
    assert doc.errors() == 0, [f.message for f in doc.findings if f.severity == "error"]
    assert page.draft_finalize_btn.isVisibleTo(page)
    # An error: still a draft, and 定稿 is no longer offered there.
    key = ("requests", "new", "natural_person")
    before = doc.report.values[key]
    doc.set_cells([(key, 999)])
    page.activate()
    assert doc.errors() > 0 and page.will_be_draft()
    assert not page.draft_finalize_btn.isVisibleTo(page)
    assert "错误" in page.draft_banner.text.text()
    # Corrected and finalised: the export will be final, and the page says so.
    doc.set_cells([(key, before)])
    doc.finalize()
    page.activate()
    assert not page.will_be_draft() and not page.draft_finalize_btn.isVisibleTo(page)
    assert "正式文件" in page.draft_banner.text.text()


@pytest.mark.gui
def test_copy_web_version_puts_rich_text_and_source_on_the_clipboard(clerk):
    from PySide6.QtWidgets import QApplication

    page = _open_example(clerk)
    page.copy_html_btn.click()
    mime = QApplication.clipboard().mimeData()
    assert mime.hasHtml() and "<table" in mime.html() and "rowspan" in mime.html()
    assert mime.text().lstrip().startswith("<div") and "<table" in mime.text()


@pytest.mark.gui
def test_jiedu_is_generated_then_the_clerks_edit_is_stored(clerk):
    page = _open_example(clerk)
    doc = clerk.doc
    assert "《报告》" in page.jiedu_edit.toPlainText() and doc.report.jiedu == ""
    page.jiedu_edit.setPlainText("一、总体情况\n《报告》介绍了本机关的工作。")
    page.flush()
    assert doc.report.jiedu == "一、总体情况\n《报告》介绍了本机关的工作。"
    assert doc.store.load(doc.id).jiedu == doc.report.jiedu
    page.jiedu_edit.setPlainText("《报告》显示新收申请987654件。")
    page.flush()
    assert "987654" in page.jiedu_state.text()  # a figure the report does not hold is pointed out
    page.jiedu_edit.setPlainText("一、总体情况\n《报告》介绍了本机关的工作。")
    page.flush()
    assert "987654" not in page.jiedu_state.text()
    page.regenerate_jiedu()  # the driver answers the confirmation yes
    assert doc.report.jiedu == "" and "《报告》从" in page.jiedu_edit.toPlainText()


@pytest.mark.gui
def test_package_from_the_window(clerk, tmp_path):
    page = _open_example(clerk)
    out = tmp_path / "out"
    out.mkdir()
    clerk.folder = str(out)
    page.choose_btn.click()
    with clerk.qtbot.waitSignal(page.packaged, timeout=120000) as sig:
        page.package_btn.click()
    result = sig.args[0]
    assert result is not None, clerk.shown
    assert result.folder.parent == out and len(list(result.folder.iterdir())) == 8
    assert result.zip_path.is_file()
    assert page.results_box.isVisibleTo(page)
