"""The package for sign-off: a folder and a zip a leader and a reviewer can open file by file."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from gongkai_desktop.documents.package import README_NAME, make_package, package_name
from gongkai_desktop.errors import ExportError
from gongkai_desktop.storage import exchange
from sample import full_report

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                                             text=True, check=True).stdout)


def _report_with_an_explained_warning():
    report = full_report()
    # Last year's carry-forward no longer matches: a 警告 the clerk explains.
    from gongkai_desktop.report.rules import check

    report.values[("requests", "carried", "natural_person")] = 99
    findings = check(report)
    assert findings
    f = next(f for f in findings)
    report.explanations[f.key] = "经核实为上年统计口径调整，已报上级备案"
    return report


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    report = _report_with_an_explained_warning()
    out = tmp_path_factory.mktemp("out")
    return report, make_package(report, out)


@needs_poppler
def test_every_file_opens_and_says_what_it_is(package):
    import docx
    from lxml import html as LH

    report, result = package
    folder = result.folder
    assert folder.name == f"{report.meta.organ}{report.meta.year}年政府信息公开工作年度报告送审材料"
    names = sorted(p.name for p in folder.iterdir())
    title = report.title
    assert names == sorted([f"{title}.docx", f"{title}.pdf", f"{title}.html", f"{title}解读.docx",
                            f"{title}解读.pdf", f"{title}审核报告.pdf", f"{title}.json", README_NAME])
    # One naming rule: every file is the report's title and what it is (no 「2025年度…年度报告」).
    assert exchange.default_name(report.meta.organ, report.meta.year) == f"{title}.json"
    body = "\n".join(p.text for p in docx.Document(str(folder / f"{title}.docx")).paragraphs)
    assert report.meta.organ in body
    assert "年度报告解读" in "\n".join(p.text for p in docx.Document(str(folder / f"{title}解读.docx")).paragraphs)
    assert report.meta.organ in _pdf_text(folder / f"{title}.pdf")
    assert "年度报告解读" in _pdf_text(folder / f"{title}解读.pdf")
    page = LH.fromstring((folder / f"{title}.html").read_bytes())
    assert len(page.xpath("//table")) == 3
    back, _ = exchange.load_file(folder / f"{title}.json")
    assert back.uid == report.uid and back.values == report.values
    assert all(path.is_file() for _, path in result.files)


@needs_poppler
def test_the_audit_report_has_the_findings_and_the_explanations(package):
    report, result = package
    audit = _pdf_text(result.folder / f"{report.title}审核报告.pdf")
    assert "审核报告" in audit and "经核实为上年统计口径调整，已报上级备案" in audit
    assert "警告" in audit or "错误" in audit


@needs_poppler
def test_the_audit_report_is_marked_and_has_the_sign_off_lines(package, tmp_path):
    """A draft package's 审核报告 is marked 草稿 on every page like the rest (说明.txt says so),
    says the report's status, dates in Chinese order, and has lines for 审核人 and 签发人."""
    from gongkai_desktop.documents.export import export_report

    report, result = package
    path = result.folder / f"{report.title}审核报告.pdf"
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [re.sub(r"\s+", "", p) for p in pages if p.strip()]
    assert pages and all("草稿" in p for p in pages)
    audit = "".join(pages)
    assert "年报状态：草稿" in audit
    assert "审核人：" in audit and "签发人：" in audit
    assert re.search(r"检查时间：\d{4}年\d{1,2}月\d{1,2}日\d{2}:\d{2}", audit)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", audit)

    final = full_report()
    final.status = "final"
    out = tmp_path / "a.pdf"
    export_report(final, outputs={"audit_pdf": out}, findings=[])
    text = _pdf_text(out)
    assert "年报状态：已定稿" in text and "草稿" not in text


def test_readme_columns_line_up_by_display_width(package):
    """In Notepad a Chinese character takes two columns: the descriptions start in one column."""
    from gongkai_desktop.documents.package import display_width

    report, result = package
    lines = (result.folder / README_NAME).read_text(encoding="utf-8-sig").splitlines()
    rows = [line for line in lines if line.startswith("  ") and "    " in line.strip()]
    assert len(rows) >= 7
    starts = set()
    for line in rows:
        name = next(p.name for p in result.folder.iterdir() if line.strip().startswith(p.name))
        rest = line[line.index(name) + len(name):]
        pad = len(rest) - len(rest.lstrip(" "))
        starts.add(display_width(line[:line.index(name)] + name) + pad)
    assert len(starts) == 1, starts
    assert re.search(r"生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", "\n".join(lines))


def test_readme_lists_every_file(package):
    report, result = package
    text = (result.folder / README_NAME).read_text(encoding="utf-8-sig")
    for p in result.folder.iterdir():
        if p.name != README_NAME:
            assert p.name in text, p.name
    assert "草稿" in text  # the report is not final: the reader is told


def test_zip_holds_the_same_files_under_the_folder_name(package):
    report, result = package
    assert result.zip_path.name == package_name(report) + ".zip"
    with zipfile.ZipFile(result.zip_path) as zf:
        assert zf.testzip() is None
        inside = sorted(zf.namelist())
        assert inside == sorted(f"{result.folder.name}/{p.name}" for p in result.folder.iterdir())
        for name in inside:
            assert zf.read(name) == (result.folder.parent / name).read_bytes()


def test_a_new_package_replaces_the_old_whole(tmp_path):
    report = full_report()
    first = make_package(report, tmp_path, zip_too=False)
    stale = first.folder / "旧文件.txt"
    stale.write_text("old", encoding="utf-8")
    second = make_package(report, tmp_path, zip_too=False)
    assert second.folder == first.folder and not stale.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    with pytest.raises(ExportError, match="已经存在"):
        make_package(report, tmp_path, zip_too=False, replace=False)


def test_a_missing_folder_is_a_clear_message(tmp_path):
    with pytest.raises(ExportError, match="不存在"):
        make_package(full_report(), tmp_path / "no" / "such")


def test_final_report_package_is_not_a_draft(tmp_path):
    report = full_report()
    report.status = "final"
    result = make_package(report, tmp_path, findings=[], zip_too=False)
    assert not result.draft
    assert "正式文件" in (result.folder / README_NAME).read_text(encoding="utf-8-sig")


def test_cli_package(tmp_path):
    from gongkai_desktop.cli import main

    src = tmp_path / "r.json"
    exchange.dump_file(full_report(), src)
    out = tmp_path / "out"
    assert main(["package", str(src), "--out", str(out)]) == 0
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 1 and (folders[0] / README_NAME).is_file()
    assert (out / (folders[0].name + ".zip")).is_file()
