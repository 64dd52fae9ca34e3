"""Export a report — and the documents made from it — as the window and the CLI call it.

Every output is one :class:`Renderer` registered here (kind, Chinese label, suffix, the render
function): the Word file, the PDF, the web page, the 解读 in the same three forms, the 图解.
The CLI's options, the window's export page and its remembered choices all read
:func:`renderers` instead of listing outputs, so a new output is one module plus one
:func:`register` call.

Every renderer draws from a :class:`~gongkai_desktop.documents.plan.DocumentPlan` (the report's,
or the 解读's — ``Renderer.document``), so the files say the same thing. Files are written
atomically: a temporary file in the target folder, then ``os.replace``. A target that is open in
Word/WPS (Windows refuses the replace), read-only, or in a missing folder gives
:class:`ExportError` with a Chinese message, and any existing file is left as it was; no
temporary file is left behind.

A report with 错误 findings still exports — a draft can be printed for review — and the result
says so (``has_errors`` and a message).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from ..storage.fileio import os_error_text, safe_filename, write_atomic
from ..errors import ExportError
from ..report.model import Report
from .. import texts as T


# ---------------------------------------------------------------------------------------------
# The registry


@dataclass(frozen=True)
class Renderer:
    """One output. ``render(job)`` returns the file's bytes, drawing from ``job.plan`` (the plan
    of ``document``); ``uses_fonts`` outputs resolve the PDF font plan (and report its faces).

    ``option`` is the CLI option (``--docx``) of the command that makes ``document`` (``export``
    for the report, ``jiedu`` for the 解读 and 图解); ``name_tail`` follows the report's title in
    the proposed file name (「…年度报告解读.docx」); ``in_window`` outputs are offered as files on
    the export page, ``default_on`` ones ticked the first time."""

    kind: str
    label: str
    suffix: str
    render: Callable[["RenderJob"], bytes]
    document: str = "report"
    option: str = ""
    name_tail: str = ""
    uses_fonts: bool = False
    in_window: bool = True
    default_on: bool = False

    @property
    def cli_option(self) -> str:
        return "--" + (self.option or self.kind).replace("_", "-")


_RENDERERS: dict[str, Renderer] = {}


def register(renderer: Renderer) -> Renderer:
    """Add (or replace) an output. Registration order is the order outputs are listed in."""
    _RENDERERS[renderer.kind] = renderer
    return renderer


def renderers(document: str | None = None, *, in_window: bool | None = None) -> list[Renderer]:
    """The registered outputs (of one document: "report", "jiedu"), in registration order."""
    return [r for r in _RENDERERS.values()
            if (document is None or r.document == document) and (in_window is None or r.in_window == in_window)]


def renderer(kind: str) -> Renderer:
    try:
        return _RENDERERS[kind]
    except KeyError:
        raise ExportError(T.EXPORT_UNKNOWN_KIND.format(
            kind=kind, choices="、".join(_RENDERERS))) from None


# Which plan each document is drawn from (builders imported lazily: python-docx/reportlab and the
# 解读 generator load only when an export asks for them).
def _report_plan(report: Report, findings):
    from .plan import build_plan

    return build_plan(report, findings)


def _jiedu_plan(report: Report, findings):
    from .jiedu import build_jiedu_plan

    return build_jiedu_plan(report, findings)


def _audit_plan(report: Report, findings):
    from .package import build_audit_plan

    return build_audit_plan(report, findings)


# document → builder(report, findings): the findings decide, with the status, whether it is a draft.
PLAN_BUILDERS: dict[str, Callable[[Report, Any], Any]] = {
    "report": _report_plan, "jiedu": _jiedu_plan, "audit": _audit_plan}


class RenderJob:
    """What a render function gets: the report, its plans (built once each), the font plan
    (resolved once, on first use) and a place for the PDF renderer's facts."""

    def __init__(self, report: Report, document: str = "report", font_overrides: Mapping[str, Any] | None = None,
                 plans: dict[str, Any] | None = None, findings: list | None = None):
        self.report = report
        self.document = document
        self.findings = findings
        self.font_overrides = font_overrides
        self._plans = plans if plans is not None else {}
        self._font_plan = None
        self.pdf_info = None

    @property
    def plan(self):
        return self.plan_of(self.document)

    def plan_of(self, document: str):
        if document not in self._plans:
            self._plans[document] = PLAN_BUILDERS[document](self.report, self.findings)
        return self._plans[document]

    @property
    def font_plan(self):
        if self._font_plan is None:
            from . import fonts

            unknown = sorted(set(self.font_overrides or {}) - set(fonts.ROLES))
            if unknown:
                raise ExportError(T.EXPORT_UNKNOWN_ROLE.format(roles="、".join(unknown), choices="、".join(fonts.ROLES)))
            self._font_plan = fonts.resolve(self.font_overrides)
        return self._font_plan

    def for_document(self, document: str) -> "RenderJob":
        job = RenderJob(self.report, document, self.font_overrides, self._plans, self.findings)
        job._font_plan = self._font_plan
        return job


def _render_docx(job: RenderJob) -> bytes:
    from .docx import render_docx

    return render_docx(job.plan)


def _render_pdf(job: RenderJob) -> bytes:
    from .pdf import render_pdf

    data, job.pdf_info = render_pdf(job.plan, job.font_plan)
    return data


def _render_html(job: RenderJob) -> bytes:
    from .html import render_html

    return render_html(job.plan).encode("utf-8")


def _render_html_fragment(job: RenderJob) -> bytes:
    from .html import render_html_fragment

    return render_html_fragment(job.plan).encode("utf-8")


def _render_tujie_pdf(job: RenderJob) -> bytes:
    from .tujie import render_tujie

    return render_tujie(job.report, "pdf", job.font_plan)


def _render_tujie_png(job: RenderJob) -> bytes:
    from .tujie import render_tujie

    return render_tujie(job.report, "png", job.font_plan)


register(Renderer("docx", T.EXPORT_KIND_DOCX, ".docx", _render_docx, default_on=True))
register(Renderer("pdf", T.EXPORT_KIND_PDF, ".pdf", _render_pdf, uses_fonts=True, default_on=True))
register(Renderer("html", T.EXPORT_KIND_HTML, ".html", _render_html))
register(Renderer("html_fragment", T.EXPORT_KIND_HTML_FRAGMENT, ".html", _render_html_fragment,
                  name_tail=T.NAME_TAIL_FRAGMENT, in_window=False))
register(Renderer("jiedu_docx", T.EXPORT_KIND_JIEDU_DOCX, ".docx", _render_docx, document="jiedu",
                  option="docx", name_tail=T.NAME_TAIL_JIEDU))
register(Renderer("jiedu_pdf", T.EXPORT_KIND_JIEDU_PDF, ".pdf", _render_pdf, document="jiedu",
                  option="pdf", name_tail=T.NAME_TAIL_JIEDU, uses_fonts=True))
register(Renderer("jiedu_html", T.EXPORT_KIND_JIEDU_HTML, ".html", _render_html, document="jiedu",
                  option="html", name_tail=T.NAME_TAIL_JIEDU))
register(Renderer("tujie_pdf", T.EXPORT_KIND_TUJIE_PDF, ".pdf", _render_tujie_pdf, document="jiedu",
                  option="tujie", name_tail=T.NAME_TAIL_TUJIE, uses_fonts=True))
register(Renderer("tujie_png", T.EXPORT_KIND_TUJIE_PNG, ".png", _render_tujie_png, document="jiedu",
                  option="tujie", name_tail=T.NAME_TAIL_TUJIE, uses_fonts=True, in_window=False))
register(Renderer("audit_pdf", T.EXPORT_KIND_AUDIT_PDF, ".pdf", _render_pdf, document="audit",
                  name_tail=T.AUDIT_TAIL, uses_fonts=True, in_window=False))


def renderer_for_path(document: str, option: str, path: str | os.PathLike) -> Renderer:
    """The output a CLI option means for ``path`` (``--tujie x.png`` → the PNG 图解)."""
    candidates = [r for r in renderers(document) if (r.option or r.kind) == option]
    suffix = Path(path).suffix.lower()
    for r in candidates:
        if r.suffix == suffix:
            return r
    if len(candidates) == 1:
        return candidates[0]
    raise ExportError(T.EXPORT_BAD_SUFFIX.format(
        path=path, suffixes="、".join(r.suffix for r in candidates)))


@dataclass
class ExportResult:
    """What an export did, for the window and the CLI (structured: no message parsing)."""

    written: list[Path] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # kind → file written
    missing_chars: list[str] = field(default_factory=list)  # characters no installed face has
    font_roles: dict[str, str] = field(default_factory=dict)  # role → face used (Chinese)
    font_lines: list[str] = field(default_factory=list)  # one Chinese line per role of the PDF
    embedded_ok: bool = True  # every Chinese face of the PDF is embedded
    has_errors: bool = False  # the report had 错误 findings: the files are drafts
    error_count: int = 0
    draft: bool = False  # the files carry the 「草稿」 mark
    warnings: list[str] = field(default_factory=list)  # what the clerk should know (Chinese)
    messages: list[str] = field(default_factory=list)  # every line for the CLI (Chinese)
    pages: int | None = None  # pages of the (report's) PDF
    install_hint: str | None = None  # what to install when fonts could not be embedded

    @property
    def docx_path(self) -> Path | None:
        return self.paths.get("docx")

    @property
    def pdf_path(self) -> Path | None:
        return self.paths.get("pdf")

    def label(self, kind: str) -> str:
        return renderer(kind).label


# ---------------------------------------------------------------------------------------------
# File names

def filename_for(report: Report, kind: str) -> str:
    """The file name proposed for one output: the report's title, what the file is, the suffix
    (「…年度报告解读.docx」), by the one safe-file-name rule (storage.fileio)."""
    r = renderer(kind)
    return safe_filename(report.title + r.name_tail, r.suffix)


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
            raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=os_error_text(exc))) from exc
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


def _error_count(findings: Iterable[Any]) -> int:
    return sum(1 for f in findings if _severity(f) == "error")


# ---------------------------------------------------------------------------------------------
# The export


def render_one(report: Report, kind: str, *, font_overrides: Mapping[str, Any] | None = None,
               findings: Iterable[Any] | None = None) -> bytes:
    """The bytes of one output, written nowhere (the clipboard)."""
    r = renderer(kind)
    return _render(r, RenderJob(report, r.document, font_overrides,
                                findings=None if findings is None else list(findings)))


def _render(r: Renderer, job: RenderJob) -> bytes:
    try:
        return r.render(job)
    except ExportError:
        raise
    except Exception as exc:  # a bug, but say it in words the clerk can pass on
        raise ExportError(T.EXPORT_RENDER_FAILED.format(kind=r.label, detail=exc)) from exc


def export_report(
    report: Report,
    docx_path: str | os.PathLike | None = None,
    pdf_path: str | os.PathLike | None = None,
    *,
    outputs: Mapping[str, str | os.PathLike] | None = None,
    font_overrides: Mapping[str, Any] | None = None,
    findings: Iterable[Any] | None = None,
) -> ExportResult:
    """Render ``report`` and write the requested files.

    ``outputs`` maps a renderer kind (:func:`renderers`) to its target; ``docx_path`` and
    ``pdf_path`` are the same for "docx" and "pdf". ``font_overrides`` maps a PDF font role
    (``fonts.ROLES``: title, body, heading, subheading, pagenum, latin) to a family name, a font
    file (``path#index`` for a face of a collection) or a ``FontFace``. ``findings`` are the
    checker's findings (``rules.check`` is run when None). Raises :class:`ExportError` (Chinese
    message) when a file cannot be written; nothing is written when any target is refused."""
    wanted: dict[str, Path] = {}
    for kind, path in (outputs or {}).items():
        if path:
            renderer(kind)
            wanted[kind] = Path(path)
    if docx_path:
        wanted["docx"] = Path(docx_path)
    if pdf_path:
        wanted["pdf"] = Path(pdf_path)
    if not wanted:
        raise ExportError(T.EXPORT_NOTHING)
    for target in wanted.values():
        _check_target(target)
    order = [r.kind for r in renderers() if r.kind in wanted]

    if findings is None:
        from ..report.rules import check

        findings = check(report)
    findings = list(findings)
    result = ExportResult()
    result.error_count = _error_count(findings)
    result.has_errors = result.error_count > 0
    plans: dict[str, Any] = {}
    base = RenderJob(report, "report", font_overrides, plans, findings)
    outputs_data: list[tuple[str, Path, bytes]] = []
    pdf_infos: list[tuple[str, Any]] = []
    for kind in order:
        r = renderer(kind)
        job = base.for_document(r.document)
        outputs_data.append((kind, wanted[kind], _render(r, job)))
        if r.uses_fonts:
            base._font_plan = job._font_plan
            if job.pdf_info is not None:
                pdf_infos.append((r.document, job.pdf_info))
    result.draft = any(getattr(p, "draft", False) for p in plans.values())

    for kind, path, data in outputs_data:
        try:
            write_atomic(path, data)
        except ExportError as exc:
            if result.written:
                raise ExportError(str(exc) + T.EXPORT_PARTIAL.format(
                    paths="、".join(str(p) for p in result.written))) from exc.__cause__
            raise
        result.written.append(path)
        result.paths[kind] = path

    warnings = result.warnings
    if result.has_errors:
        warnings.append(T.EXPORT_HAS_ERRORS.format(count=result.error_count))
    if base._font_plan is not None:
        from . import fonts

        font_plan = base._font_plan
        result.font_lines = font_plan.describe()
        result.font_roles = dict(zip(fonts.ROLES, result.font_lines))
        result.embedded_ok = font_plan.embedded
        result.install_hint = font_plan.install_hint()
        result.missing_chars = sorted(set().union(*(info.missing for _, info in pdf_infos)))
        result.pages = next((info.pages for doc, info in pdf_infos if doc == "report"), None)
        if not result.embedded_ok:
            warnings.append(T.EXPORT_NOT_EMBEDDED)
            if result.install_hint:
                warnings.append(result.install_hint)
        if result.missing_chars:
            warnings.append(fonts.MESSAGES["missing_chars"].format(chars="".join(result.missing_chars)))
    messages = result.messages
    messages.extend(warnings)
    if result.font_lines:
        messages.append(T.EXPORT_PDF_FONTS)
        messages.extend("  " + line for line in result.font_lines)
    for path in result.written:
        messages.append(T.EXPORT_WRITTEN.format(path=path))
    return result
