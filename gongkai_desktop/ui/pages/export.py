"""导出: Word and/or PDF into a remembered folder under default names, then open the file or the
folder; which font served each role; 定稿 and 取消定稿."""

from __future__ import annotations

import copy
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QCheckBox, QGroupBox, QLineEdit, QWidget

from ...errors import GongkaiError
from .. import texts as T
from .. import widgets as W
from ..document import NAV_CHECK, NAV_EXPORT
from .base import Page


def default_names(report) -> tuple[str, str]:
    from ...documents.export import default_filename

    return default_filename(report, "docx"), default_filename(report, "pdf")


class ExportPage(Page):
    nav_id = NAV_EXPORT
    finalize_requested = Signal()
    reopen_requested = Signal()
    exported = Signal(object)  # ExportResult

    def __init__(self, ctx, doc, parent=None):
        super().__init__(ctx, doc, parent)
        self.heading.setText(T.NAV_EXPORT)
        s = ctx.settings
        self.last_result = None
        self.busy = False
        self.export_seconds = 0.0

        self.errors_banner = W.Banner("warning", "", closable=False)
        self.errors_banner.add_button(T.GO_CHECK, lambda: self.jump.emit(NAV_CHECK, None))

        self.docx = QCheckBox(T.EXPORT_DOCX)
        self.docx.setObjectName("exportDocx")
        self.docx.setChecked(s.export_docx)
        self.pdf = QCheckBox(T.EXPORT_PDF)
        self.pdf.setObjectName("exportPdf")
        self.pdf.setChecked(s.export_pdf)
        self.docx.toggled.connect(self._options_changed)
        self.pdf.toggled.connect(self._options_changed)
        self.folder = QLineEdit(s.last_export_dir)
        self.folder.setObjectName("exportFolder")
        self.folder.setReadOnly(True)
        self.choose_btn = W.button(T.CHOOSE_FOLDER, self.choose_folder)
        self.names = W.label("", wrap=True, selectable=True, name="exportNames", style="color: #444;")
        self.export_btn = W.button(T.DO_EXPORT, self.export, default=True, name="exportButton")
        self.progress = W.label("", style="color: #555;")
        box = QGroupBox(T.EXPORT_FILES)
        box.setLayout(W.vbox(
            W.hbox(self.docx, 24, self.pdf, "stretch"),
            W.hbox(W.label(T.SAVE_TO), (self.folder, 1), self.choose_btn),
            self.names,
            W.hbox(self.export_btn, self.progress, "stretch"), margin=12))

        self.results_box = QGroupBox(T.EXPORT_RESULT)
        self.results_layout = W.vbox(margin=12)
        self.results_box.setLayout(self.results_layout)
        self.results_box.hide()

        self.fonts_label = W.label(T.FONTS_BEFORE_EXPORT, wrap=True, selectable=True, name="fontRoles")
        self.fonts_btn = W.button(T.CHOOSE_FONTS, self.choose_fonts, name="fontsButton")
        fonts_box = QGroupBox(T.FONTS_USED)
        fonts_box.setLayout(W.vbox(self.fonts_label, W.hbox(self.fonts_btn, "stretch"), margin=12))

        self.final_text = W.label("", wrap=True, name="finalText")
        self.finalize_btn = W.button(T.ACT_FINALIZE, self.finalize_requested.emit, name="finalizeButton")
        self.reopen_btn = W.button(T.ACT_REOPEN, self.reopen_requested.emit, name="reopenButton")
        final_box = QGroupBox(T.FINAL_GROUP)
        final_box.setLayout(W.vbox(self.final_text, W.hbox(self.finalize_btn, self.reopen_btn, "stretch"),
                                   margin=12))

        inner = QWidget()
        inner.setLayout(W.vbox(self.heading, self.errors_banner, box, self.results_box, fonts_box, final_box,
                               "stretch", margin=4, spacing=12))
        self.setLayout(W.vbox(W.scrolled(inner, 980)))
        doc.checked.connect(lambda: self.isVisible() and self.activate())
        self.activate()

    def guidance(self) -> str:
        return T.GUIDE_EXPORT

    def activate(self) -> None:
        doc = self.doc
        n = doc.errors()
        self.errors_banner.set_text(T.EXPORT_HAS_ERRORS.format(n=n))
        self.errors_banner.setVisible(n > 0)
        self._options_changed()
        r = doc.report
        if r.status == "final":
            from ..widgets import long_time

            self.final_text.setText(T.FINAL_TEXT.format(time=long_time(r.finalized_at)))
        else:
            self.final_text.setText(T.DRAFT_TEXT)
        self.finalize_btn.setVisible(r.status != "final")
        self.reopen_btn.setVisible(r.status == "final")
        overrides = self.ctx.settings.font_overrides
        if overrides and self.last_result is None:
            self.fonts_label.setText(T.FONTS_CHOSEN.format(
                fonts="、".join(f"{T.FONT_ROLES.get(k, k)}：{v}" for k, v in overrides.items())))

    def _options_changed(self) -> None:
        docx_name, pdf_name = default_names(self.doc.report)
        lines = []
        if self.docx.isChecked():
            lines.append(docx_name)
        if self.pdf.isChecked():
            lines.append(pdf_name)
        self.names.setText(T.FILE_NAMES.format(names="\n".join(lines)) if lines else T.CHOOSE_KIND)
        self.export_btn.setEnabled(bool(lines) and not self.busy)
        self.ctx.settings.export_docx = self.docx.isChecked()
        self.ctx.settings.export_pdf = self.pdf.isChecked()

    def choose_folder(self) -> None:
        d = W.existing_directory(self, T.CHOOSE_FOLDER, self.folder.text())
        if d:
            self.folder.setText(d)
            self.ctx.settings.last_export_dir = d

    def choose_fonts(self) -> None:
        from .. import dialogs

        try:
            from ...documents.fonts import get_catalog

            QApplication.setOverrideCursor(Qt.WaitCursor)
            try:
                families = get_catalog(None).family_choices()
            finally:
                QApplication.restoreOverrideCursor()
        except Exception:  # noqa: BLE001 - a font scan problem must not stop the choice
            families = []
        chosen = dialogs.ask_fonts(families, self.ctx.settings.font_overrides, self)
        if chosen is not None:
            self.ctx.settings.font_overrides = chosen
            self.last_result = None
            self.fonts_label.setText(T.FONTS_CHOSEN.format(
                fonts="、".join(f"{T.FONT_ROLES.get(k, k)}：{v}" for k, v in chosen.items())) if chosen
                else T.FONTS_BEFORE_EXPORT)

    # -- export ---------------------------------------------------------------------------------
    def targets(self) -> tuple[Path | None, Path | None]:
        folder = Path(self.folder.text())
        docx_name, pdf_name = default_names(self.doc.report)
        return (folder / docx_name if self.docx.isChecked() else None,
                folder / pdf_name if self.pdf.isChecked() else None)

    def export(self) -> None:
        if self.busy:
            return
        docx, pdf = self.targets()
        if docx is None and pdf is None:
            return
        folder = Path(self.folder.text())
        if not folder.is_dir():
            W.critical(self, T.NAV_EXPORT, T.FOLDER_MISSING.format(folder=folder))
            return
        existing = [p for p in (docx, pdf) if p is not None and p.exists()]
        if existing and not W.confirm(self, T.NAV_EXPORT, T.REPLACE_FILES.format(
                files="\n".join(p.name for p in existing)), T.REPLACE):
            return
        from ...documents.export import export_report

        report = copy.deepcopy(self.doc.report)
        findings = list(self.doc.findings)
        overrides = self.ctx.settings.font_overrides or None
        self.busy = True
        self.export_btn.setEnabled(False)
        self.progress.setText(T.EXPORTING)
        t0 = time.perf_counter()

        def work():
            return export_report(report, docx_path=docx, pdf_path=pdf, font_overrides=overrides,
                                 findings=findings)

        def done(result):
            self.export_seconds = time.perf_counter() - t0
            self.busy = False
            self.progress.setText("")
            self._options_changed()
            self.ctx.settings.last_export_dir = str(folder)
            self.show_result(result)
            self.exported.emit(result)

        def failed(exc):
            self.busy = False
            self.progress.setText("")
            self._options_changed()
            if isinstance(exc, GongkaiError):
                W.critical(self, T.EXPORT_FAILED_TITLE, str(exc))
            elif isinstance(exc, OSError):
                W.critical(self, T.EXPORT_FAILED_TITLE, T.WRITE_FAILED.format(
                    path=exc.filename or folder, detail=exc.strerror or exc))
            else:
                W.critical(self, T.EXPORT_FAILED_TITLE, T.INTERNAL_ERROR.format(detail=repr(exc)))
            self.exported.emit(None)

        W.run_in_thread(work, done, failed)

    def show_result(self, result) -> None:
        self.last_result = result
        lay = self.results_layout
        while lay.count():
            item = lay.takeAt(0)
            w = item.widget()
            if w is not None:
                w.deleteLater()
            elif item.layout() is not None:
                _clear_layout(item.layout())
        for path in result.written:
            p = Path(path)
            kind = T.KIND_DOCX if p.suffix.lower() == ".docx" else T.KIND_PDF
            name = W.label(f"{kind}：{p}", wrap=True, selectable=True)
            lay.addLayout(W.hbox((name, 1), W.button(T.OPEN_FILE, lambda p=p: W.open_path(p)),
                                 W.button(T.OPEN_FOLDER, lambda p=p: W.show_in_folder(p))))
        # The exporter's messages: warnings first, then the fonts of the PDF, then the files
        # written. Warnings go here; the fonts go to the 字体 box; the files are listed above.
        from ... import texts as CT

        warnings, fonts, in_fonts = [], [], False
        for m in result.messages:
            if not m:
                continue
            if m == CT.EXPORT_PDF_FONTS:
                in_fonts = True
            elif in_fonts and m.startswith("  "):
                fonts.append(m.strip())
            elif not m.startswith(CT.EXPORT_WRITTEN.split("{")[0]):
                in_fonts = False
                warnings.append(m)
        for n in warnings:
            lay.addWidget(W.label(n, wrap=True, selectable=True, style=f"color: {W.COLORS['warning']};"))
        self.results_box.show()
        if not fonts:
            fonts = [str(v) for v in (result.font_roles or {}).values()]
        if fonts:
            self.fonts_label.setText("\n".join(fonts))
        self.message.emit(T.EXPORTED.format(n=len(result.written)))

    def set_read_only(self, read_only: bool) -> None:
        self.activate()

    def focus(self, target=None) -> None:
        self.export_btn.setFocus()


def _clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _clear_layout(item.layout())
