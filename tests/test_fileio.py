"""The one safe-file-name rule and the atomic writer: every file the app proposes can be written
inside the chosen folder, and every failure to write is a Chinese message."""

import errno
import os
import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from gongkai_desktop.errors import ExportError
from gongkai_desktop.storage import exchange
from gongkai_desktop.storage.fileio import MAX_NAME_BYTES, MAX_NAME_UNITS, os_error_text, safe_filename, write_atomic
from sample import full_report

RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
FORBIDDEN = set('/\\:*?"<>|')


def assert_safe(name: str, suffix: str) -> None:
    assert name.endswith(suffix) and len(name) > len(suffix)
    assert not FORBIDDEN & set(name), name
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name), ascii(name)
    assert not name.startswith((".", " ")) and not name[: -len(suffix)].endswith((".", " "))
    assert name.split(".")[0].strip().upper() not in RESERVED
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert len(name.encode("utf-16-le")) // 2 <= MAX_NAME_UNITS


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400))
def test_any_stem_gives_a_safe_name(stem):
    assert_safe(safe_filename(stem, "docx"), ".docx")


@pytest.mark.parametrize("stem, expected", [
    ("某某局/办公室2025年政府信息公开工作年度报告", "某某局／办公室2025年政府信息公开工作年度报告.json"),
    ("../../etc/x", "／..／etc／x.json"),
    ("CON", "_CON.json"),
    ("nul.年报", "_nul.年报.json"),
    ("报告\u202egpj.exe", "报告gpj.exe.json"),  # the right-to-left override would show 「报告exe.jpg」
    ("..", "政府信息公开工作年度报告.json"),
    ("某某局\t办公室\n", "某某局 办公室.json"),
])
def test_hostile_and_careless_stems(stem, expected):
    assert safe_filename(stem, ".json") == expected


def test_a_long_name_keeps_its_start_and_its_end():
    name = safe_filename("某" * 300 + "2025年政府信息公开工作年度报告", "pdf")
    assert_safe(name, ".pdf")
    assert name.startswith("某某某") and name.endswith("某…某某某某某某某2025年政府信息公开工作年度报告.pdf")


@pytest.mark.parametrize("organ", ["../../etc/x", "某某局/办公室", "某" * 300, "CON", ".hidden", "甲\u202e乙"])
def test_proposed_files_stay_inside_the_chosen_folder(tmp_path, organ):
    folder = tmp_path / "chosen"
    folder.mkdir()
    report = full_report(2025, organ=organ)
    exchange.dump_file(report, folder / exchange.default_name(report.meta.organ, report.meta.year))
    from gongkai_desktop.documents.export import export_report, filename_for
    export_report(report, docx_path=folder / filename_for(report, "docx"))
    written = sorted(p.suffix for p in folder.iterdir())
    assert written == [".docx", ".json"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.parent != folder) == []


def test_a_300_character_organ_exports_to_pdf(tmp_path):
    from gongkai_desktop.documents.export import export_report, filename_for
    report = full_report(2025, organ="某" * 300)
    result = export_report(report, pdf_path=tmp_path / filename_for(report, "pdf"))
    assert [p.suffix for p in tmp_path.iterdir()] == [".pdf"] and result


def test_every_oserror_while_writing_is_chinese(tmp_path, monkeypatch):
    with pytest.raises(ExportError) as exc:
        write_atomic(tmp_path / ("长" * 300 + ".json"), b"{}")
    assert "文件名或路径过长" in str(exc.value) and "too long" not in str(exc.value)

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd, mode):
            self.fh = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *a):
            self.fh.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", FullDisk)
    target = tmp_path / "r.json"
    with pytest.raises(ExportError) as exc:
        write_atomic(target, b"{}")
    assert "磁盘空间不足" in str(exc.value) and "No space" not in str(exc.value)
    assert list(tmp_path.iterdir()) == []  # no temp file left behind


@pytest.mark.parametrize("code", [errno.ENAMETOOLONG, errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EIO, errno.EXDEV])
def test_os_error_text_never_english(code):
    text = os_error_text(OSError(code, os.strerror(code)))
    assert text and not re.search("[A-Za-z]{2,}", text)  # 「U 盘」 is Chinese usage
