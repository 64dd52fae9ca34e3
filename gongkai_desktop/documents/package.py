"""The package for sign-off: one folder (and a zip of it) with everything a leader signs and a
reviewer checks before the report is published.

Named after the organ and year (「某局2025年政府信息公开工作年度报告送审材料」), it holds the
report as Word, PDF and web page, the 解读 (Word and PDF), the 审核报告 (the check list with the
clerk's explanations, PDF), the exchange file, and 说明.txt listing them. Each file's name says
what it is and follows the one safe-file-name rule (storage.fileio.safe_filename); every output
comes from the renderer registry.

The folder is built beside its final place under a temporary name and moved in whole, so a
reader never finds half a package, and a failure leaves an earlier package as it was.
"""

from __future__ import annotations

import datetime as _dt
import os
import secrets
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import ExportError
from ..report.model import Report, format_date
from ..storage.fileio import safe_filename, write_atomic
from .. import texts as T
from . import plan as P
from .export import export_report, filename_for, renderer
from ..storage.fileio import os_error_text

# The outputs in the package, in the order 说明.txt lists them.
PACKAGE_KINDS = ("docx", "pdf", "html", "jiedu_docx", "jiedu_pdf", "audit_pdf")
README_NAME = "说明.txt"


@dataclass
class PackageResult:
    folder: Path
    zip_path: Path | None
    files: list[tuple[str, Path]] = field(default_factory=list)  # (what it is, path)
    draft: bool = False
    warnings: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def package_name(report: Report) -> str:
    """The folder's name: 「{机关}{年度}年政府信息公开工作年度报告送审材料」."""
    return safe_filename(report.title + T.PACKAGE_TAIL, "")


# ---------------------------------------------------------------------------------------------
# The 审核报告: the check list with the clerk's explanations, as a document plan


def build_audit_plan(report: Report, findings=None, now: _dt.datetime | None = None) -> P.DocumentPlan:
    """Title, when it was checked and whether the report is 草稿 or 已定稿, then every finding
    (【错误】/【警告】/【提示】, where, what) with the clerk's explanation under it (「检查通过」
    when there is none), and the lines the 审核人 and the 签发人 sign on paper. Marked 「草稿」 on
    every page exactly when the report's own export is (说明.txt says every file is marked)."""
    from ..report.model import strip_unwritable

    if findings is None:
        from ..report.rules import check

        findings = check(report)
    findings = list(findings)
    header = P.draft_header(report, findings)
    title = report.title + T.AUDIT_TAIL
    organ = strip_unwritable(report.meta.organ)[0]
    status_label = T.STATUS.get(report.status, report.status)
    status = (T.AUDIT_STATUS_DRAFT.format(status=status_label, header=header) if header
              else T.AUDIT_STATUS_FINAL.format(status=status_label))
    blocks: list[P.Block] = [
        P.Title(title, P.title_lines(title, organ)), P.Spacer(1),
        P.Paragraph(P.STYLE_BODY, [P.Run(T.AUDIT_NOTE.format(time=long_time(now)), P.ROLE_BODY)]),
        P.Paragraph(P.STYLE_BODY, [P.Run(status, P.ROLE_BODY)]),
    ]
    counts = {s: sum(1 for f in findings if f.severity == s) for s in T.SEVERITY}
    blocks.append(P.Paragraph(P.STYLE_BODY, [P.Run(
        T.AUDIT_SUMMARY.format(errors=counts.get("error", 0), warnings=counts.get("warning", 0),
                               infos=counts.get("info", 0)) if findings else T.AUDIT_NONE, P.ROLE_BODY)]))
    fmt = report.format
    for severity in T.SEVERITY:
        mine = [f for f in findings if f.severity == severity]
        if not mine:
            continue
        blocks.append(P.Paragraph(P.STYLE_HEADING1, [P.Run(T.AUDIT_GROUP.format(label=T.SEVERITY[severity],
                                                                                 n=len(mine)), P.ROLE_HEADING)],
                                  keep_with_next=True, outline_level=0))
        for i, f in enumerate(mine, 1):
            where = ""
            if f.section and f.section != "meta":
                try:
                    where = fmt.section(f.section).heading + "："
                except KeyError:
                    where = ""
            text = strip_unwritable(f"{i}. {where}{f.message}")[0]
            blocks.append(P.Paragraph(P.STYLE_BODY, [P.Run(text, P.ROLE_BODY)]))
            explanation = f.explanation or report.explanations.get(f.key, "")
            if explanation:
                blocks.append(P.Paragraph(P.STYLE_BODY, [P.Run(
                    strip_unwritable(T.AUDIT_EXPLANATION.format(text=explanation))[0], P.ROLE_SUBHEADING)],
                    indent_chars=4))
            elif f.severity == "warning":
                blocks.append(P.Paragraph(P.STYLE_BODY, [P.Run(T.AUDIT_NO_EXPLANATION, P.ROLE_BODY)],
                                          indent_chars=4))
    # Sign-off on paper: who checked, who approved publication, each with a date to write in.
    blocks.append(P.Spacer(1))
    for line in T.AUDIT_SIGN_LINES:
        blocks.append(P.Paragraph(P.STYLE_BODY, [P.Run(line, P.ROLE_BODY)], keep_with_next=True, indent_chars=0))
    blocks[-1].keep_with_next = False
    return P.DocumentPlan(title=title, organ=organ, signoff="", year=report.meta.year, date_text="",
                          format_id=fmt.id, format_name=fmt.name, blocks=blocks, subject=T.AUDIT_SUBJECT,
                          draft=bool(header), draft_header=header)


def long_time(now: _dt.datetime | None = None) -> str:
    """「2026年12月1日 21:58」: the date as 公文 write it (report.model.format_date) and the time."""
    now = now or _dt.datetime.now()
    return f"{format_date(now.date())} {now:%H:%M}"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width editor (Notepad, a terminal): CJK and other wide or
    full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ---------------------------------------------------------------------------------------------
# The package


def _readme(report: Report, files: list[tuple[str, str]], draft: bool, now: _dt.datetime) -> str:
    lines = [T.PACKAGE_README_TITLE.format(title=report.title), "",
             T.PACKAGE_README_MADE.format(time=long_time(now)),
             T.PACKAGE_README_DRAFT if draft else T.PACKAGE_README_FINAL, "", T.PACKAGE_README_FILES]
    # Padded by display width, not characters: a Chinese name is twice as wide as its length.
    width = max(display_width(name) for name, _ in files)
    for name, what in files:
        lines.append(T.PACKAGE_README_LINE.format(name=name + " " * (width - display_width(name)), what=what))
    lines += ["", T.PACKAGE_README_NOTE]
    # Windows Notepad of any age reads UTF-8 with a BOM and CRLF line ends.
    return "\r\n".join(lines) + "\r\n"


def make_package(
    report: Report,
    out_dir: str | os.PathLike,
    *,
    findings: Iterable[Any] | None = None,
    font_overrides: Mapping[str, Any] | None = None,
    zip_too: bool = True,
    replace: bool = True,
    now: _dt.datetime | None = None,
) -> PackageResult:
    """Write the package folder (and ``.zip``) into ``out_dir``. Raises :class:`ExportError`
    (Chinese message) when it cannot; an earlier package of the same name is replaced whole
    (``replace``) or kept (then nothing is written)."""
    now = now or _dt.datetime.now()
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        if out_dir.parent.is_dir() and not out_dir.exists():
            try:
                out_dir.mkdir()
            except OSError as exc:
                raise ExportError(T.EXPORT_WRITE_FAILED.format(path=out_dir, detail=os_error_text(exc))) from exc
        else:
            raise ExportError(T.PACKAGE_NO_FOLDER.format(folder=out_dir))
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise ExportError(T.EXPORT_FOLDER_READ_ONLY.format(folder=out_dir))
    if findings is None:
        from ..report.rules import check

        findings = check(report)
    findings = list(findings)
    name = package_name(report)
    final = out_dir / name
    zip_path = out_dir / (name + ".zip")
    if not replace and (final.exists() or (zip_too and zip_path.exists())):
        raise ExportError(T.PACKAGE_EXISTS.format(path=final))

    work = out_dir / f".{secrets.token_hex(4)}.tmp"
    work.mkdir()
    try:
        outputs = {kind: work / filename_for(report, kind) for kind in PACKAGE_KINDS}
        exported = export_report(report, outputs=outputs, findings=findings, font_overrides=font_overrides)
        from ..storage import exchange

        # Named like the other files: the report's title (what exchange.default_name proposes too).
        exchange_path = work / safe_filename(report.title, exchange.SUFFIX)
        write_atomic(exchange_path, exchange.dumps(report).encode("utf-8"))
        listed = [(outputs[k].name, renderer(k).label) for k in PACKAGE_KINDS]
        listed.append((exchange_path.name, T.PACKAGE_EXCHANGE))
        write_atomic(work / README_NAME, _readme(report, listed, exported.draft, now).encode("utf-8-sig"))
        _move_in(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise

    result = PackageResult(folder=final, zip_path=None, draft=exported.draft, warnings=list(exported.warnings))
    result.files = [(what, final / fname) for fname, what in listed] + [(T.PACKAGE_README, final / README_NAME)]
    if zip_too:
        tmp_zip = out_dir / f".{secrets.token_hex(4)}.zip.tmp"
        try:
            with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as zf:
                for _, path in result.files:
                    zf.write(path, f"{name}/{path.name}")
            os.replace(tmp_zip, zip_path)
        except OSError as exc:
            tmp_zip.unlink(missing_ok=True)
            raise ExportError(T.EXPORT_WRITE_FAILED.format(path=zip_path, detail=os_error_text(exc))) from exc
        result.zip_path = zip_path
    result.messages = list(result.warnings) + [T.PACKAGE_WRITTEN.format(path=final)]
    if result.zip_path:
        result.messages.append(T.PACKAGE_ZIP_WRITTEN.format(path=result.zip_path))
    return result


def _move_in(work: Path, final: Path) -> None:
    """``work`` becomes ``final``; an earlier ``final`` is removed only once the new one is in."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.{secrets.token_hex(4)}.old")
        try:
            os.replace(final, old)
        except OSError as exc:
            raise ExportError(T.PACKAGE_LOCKED.format(path=final)) from exc
    try:
        os.replace(work, final)
    except OSError as exc:
        if old is not None:
            os.replace(old, final)
        raise ExportError(T.EXPORT_WRITE_FAILED.format(path=final, detail=os_error_text(exc))) from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
