"""Export a report to Word (.docx, to upload) and PDF (to print), as the window and the CLI call it.

Both files are rendered from one :class:`~gongkai_desktop.documents.plan.DocumentPlan`, so they say the
same thing. Files are written atomically: a temporary file in the target folder, then
``os.replace``. A target that is open in Word/WPS (Windows refuses the replace), read-only, or in
a missing folder gives :class:`ExportError` with a Chinese message, and any existing file is left
as it was; no temporary file is left behind.

A report with 错误 findings still exports — a draft can be printed for review — and the result
says so (``has_errors`` and a message).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..storage.fileio import write_atomic
from ..errors import ExportError
from ..report.model import Report
from .. import texts as T


@dataclass
class ExportResult:
    """What an export did, for the window and the CLI."""

    written: list[Path] = field(default_factory=list)
    docx_path: Path | None = None
    pdf_path: Path | None = None
    missing_chars: list[str] = field(default_factory=list)  # characters no installed face has
    font_roles: dict[str, str] = field(default_factory=dict)  # role → face used (Chinese)
    embedded_ok: bool = True  # every Chinese face of the PDF is embedded
    has_errors: bool = False  # the report had 错误 findings: the files are drafts
    error_count: int = 0
    messages: list[str] = field(default_factory=list)  # Chinese lines for the user
    pages: int | None = None  # pages of the PDF
    install_hint: str | None = None  # what to install when fonts could not be embedded


# ---------------------------------------------------------------------------------------------
# File names

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str) -> str:
    """``name`` with the characters Windows forbids in file names removed (and no trailing dots
    or spaces, no reserved device names)."""
    s = _ILLEGAL.sub("", name).strip().rstrip(". ")
    if not s:
        s = T.EXPORT_DEFAULT_NAME
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s


def default_filename(report: Report, ext: str) -> str:
    """「{机关名称}{年度}年政府信息公开工作年度报告.docx」 (or .pdf), safe for Windows."""
    ext = ext.lstrip(".").lower()
    return f"{safe_filename(report.title)}.{ext}"


# ---------------------------------------------------------------------------------------------
# Writing


def _check_target(path: Path) -> None:
    """Refuse, before anything is rendered or written, a target that cannot be written."""
    if path.is_dir():
        raise ExportError(T.EXPORT_IS_FOLDER.format(path=path))
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(T.EXPORT_NO_FOLDER.format(folder=folder, name=path.name))
    if path.exists():
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=exc.strerror or exc)) from exc
        # The write bits, not os.access: an administrator (or root) may write anywhere, but a
        # file the clerk marked read-only must not be replaced behind their back.
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise ExportError(T.EXPORT_READ_ONLY.format(path=path))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(T.EXPORT_FOLDER_READ_ONLY.format(folder=folder))


# ---------------------------------------------------------------------------------------------
# Findings


def _severity(f: Any) -> str | None:
    if isinstance(f, Mapping):
        return f.get("severity")
    return getattr(f, "severity", None)


def _error_count(report: Report, findings: Iterable[Any] | None) -> int:
    if findings is None:
        if importlib.util.find_spec("gongkai_desktop.report.rules") is None:
            return 0
        rules = importlib.import_module("gongkai_desktop.report.rules")
        findings = rules.check(report)
    return sum(1 for f in findings if _severity(f) == "error")


# ---------------------------------------------------------------------------------------------
# The export


def export_report(
    report: Report,
    docx_path: str | os.PathLike | None = None,
    pdf_path: str | os.PathLike | None = None,
    *,
    font_overrides: Mapping[str, Any] | None = None,
    findings: Iterable[Any] | None = None,
) -> ExportResult:
    """Render ``report`` and write the requested files.

    ``font_overrides`` maps a PDF font role (``fonts.ROLES``: title, body, heading, subheading,
    pagenum, latin) to a family name, a font file (``path#index`` for a face of a collection) or
    a ``FontFace``. ``findings`` are the checker's findings (``rules.check`` is run when None).
    Raises :class:`ExportError` (Chinese message) when a file cannot be written."""
    from .plan import build_plan

    targets = [Path(p) for p in (docx_path, pdf_path) if p]
    if not targets:
        raise ExportError(T.EXPORT_NOTHING)
    for target in targets:
        _check_target(target)

    result = ExportResult()
    result.error_count = _error_count(report, findings)
    result.has_errors = result.error_count > 0
    doc_plan = build_plan(report)

    outputs: list[tuple[str, Path, bytes]] = []
    described: list[str] = []
    if docx_path:
        from .docx import render_docx

        try:
            outputs.append(("docx", Path(docx_path), render_docx(doc_plan)))
        except ExportError:
            raise
        except Exception as exc:  # a bug, but say it in words the clerk can pass on
            raise ExportError(T.EXPORT_RENDER_FAILED.format(kind=T.EXPORT_KIND_DOCX, detail=exc)) from exc
    if pdf_path:
        from . import fonts
        from .pdf import render_pdf

        unknown = sorted(set(font_overrides or {}) - set(fonts.ROLES))
        if unknown:
            raise ExportError(T.EXPORT_UNKNOWN_ROLE.format(roles="、".join(unknown), choices="、".join(fonts.ROLES)))
        font_plan = fonts.resolve(font_overrides)
        try:
            data, info = render_pdf(doc_plan, font_plan)
        except Exception as exc:
            raise ExportError(T.EXPORT_RENDER_FAILED.format(kind=T.EXPORT_KIND_PDF, detail=exc)) from exc
        outputs.append(("pdf", Path(pdf_path), data))
        described = font_plan.describe()
        result.font_roles = dict(zip(fonts.ROLES, described))
        result.embedded_ok = font_plan.embedded
        result.install_hint = font_plan.install_hint()
        result.missing_chars = sorted(info.missing)
        result.pages = info.pages

    for kind, path, data in outputs:
        try:
            write_atomic(path, data)
        except ExportError as exc:
            if result.written:
                raise ExportError(str(exc) + T.EXPORT_PARTIAL.format(
                    paths="、".join(str(p) for p in result.written))) from exc.__cause__
            raise
        result.written.append(path)
        setattr(result, f"{kind}_path", path)

    messages = result.messages
    if result.has_errors:
        messages.append(T.EXPORT_HAS_ERRORS.format(count=result.error_count))
    if pdf_path:
        if not result.embedded_ok:
            messages.append(T.EXPORT_NOT_EMBEDDED)
            if result.install_hint:
                messages.append(result.install_hint)
        if result.missing_chars:
            from .fonts import MESSAGES

            messages.append(MESSAGES["missing_chars"].format(chars="".join(result.missing_chars)))
        messages.append(T.EXPORT_PDF_FONTS)
        messages.extend("  " + line for line in described)
    for path in result.written:
        messages.append(T.EXPORT_WRITTEN.format(path=path))
    return result
