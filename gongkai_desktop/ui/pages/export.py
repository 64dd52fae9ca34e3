"""导出: the registered outputs (Word, PDF, web page, 解读, 图解) into a remembered folder under
default names, then open the file or the folder; whether the files will be drafts (and 定稿 when
nothing stops it); 「复制网页版」 for the website's editor; the package for sign-off; which font
served each role; 定稿 and 取消定稿.

The outputs offered are the renderer registry's (documents/export.py), never a list of our own."""

from __future__ import annotations

import copy
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (QApplication, QCheckBox, QGridLayout, QGroupBox, QLineEdit, QPlainTextEdit,
                               QWidget)

from ...errors import GongkaiError
from ...storage.fileio import os_error_text
from .. import colors as C
from .. import texts as T
from .. import widgets as W
from ..open_report import NAV_CHECK, NAV_EXPORT
from .base import Page

# Outputs grouped on the page by the document they are made from.
DOCUMENT_GROUPS = (("report", T.EXPORT_GROUP_REPORT), ("jiedu", T.EXPORT_GROUP_JIEDU))
EXPORT_COLUMNS = 3


def default_names(report) -> dict[str, str]:
    """kind → the file name proposed for it."""
    from ...documents.export import filename_for, renderers

    return {r.kind: filename_for(report, r.kind) for r in renderers(in_window=True)}


def will_be_draft(report, findings) -> bool:
    """Whether an export now carries the 「草稿」 mark (the document plan's rule: not 已定稿, or
    错误 left)."""
    from ...documents.plan import draft_header

    return bool(draft_header(report, list(findings)))


class ExportPage(Page):
    nav_id = NAV_EXPORT
    cramped = Signal()  # the page stopped fitting beside the guidance panel: the editor makes room
    finalize_requested = Signal()
    reopen_requested = Signal()
    exported = Signal(object)  # ExportResult
    packaged = Signal(object)  # PackageResult (or None when it failed)

    def __init__(self, ctx, doc, parent=None):
        super().__init__(ctx, doc, parent)
        from ...documents.export import renderers

        self.heading.setText(T.NAV_EXPORT)
        s = ctx.settings
        self.last_result = None
        self.busy = False
        self.export_seconds = 0.0

        # Draft or final: said before anything is exported, with the way to 定稿.
        self.draft_banner = W.Banner("info", "", closable=False)
        self.draft_banner.setObjectName("draftBanner")
        self.draft_finalize_btn = self.draft_banner.add_button(T.ACT_FINALIZE, self.finalize_requested.emit)
        self.draft_finalize_btn.setObjectName("draftFinalizeButton")
        self.draft_check_btn = self.draft_banner.add_button(T.GO_CHECK, lambda: self.jump.emit(NAV_CHECK, None))

        self.checks: dict[str, QCheckBox] = {}
        # One grid: a group label, then its outputs three to a line, fewer when the page is
        # narrow (the page never scrolls sideways, whatever the registry holds).
        self._groups: list[tuple[object, list[QCheckBox]]] = []
        for document, title in DOCUMENT_GROUPS:
            outputs = renderers(document, in_window=True)
            if not outputs:
                continue
            boxes = []
            for r in outputs:
                box = QCheckBox(T.EXPORT_CHECK.format(label=r.label, suffix=r.suffix))
                box.setObjectName(f"export_{r.kind}")
                box.setChecked(s.export_wanted(r.kind))
                box.toggled.connect(self._options_changed)
                self.checks[r.kind] = box
                boxes.append(box)
            self._groups.append((W.label(title), boxes))
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(16)
        self._columns = 0
        self._lay_out_checks(EXPORT_COLUMNS)
        rows = [self._grid]
        # The two the window always had, by name (tests and the print page use them).
        self.docx = self.checks["docx"]
        self.pdf = self.checks["pdf"]
        self.folder = QLineEdit(s.last_export_dir)
        self.folder.setObjectName("exportFolder")
        self.folder.setReadOnly(True)
        self.choose_btn = W.button(T.CHOOSE_FOLDER, self.choose_folder)
        self.names = W.label("", wrap=True, selectable=True, name="exportNames", style=C.style(C.QUIET))
        self.export_btn = W.button(T.DO_EXPORT, self.export, default=True, name="exportButton")
        self.copy_html_btn = W.button(T.COPY_HTML, self.copy_html, name="copyHtmlButton", tooltip=T.COPY_HTML_TIP)
        self.package_btn = W.button(T.MAKE_PACKAGE, self.make_package, name="packageButton",
                                    tooltip=T.MAKE_PACKAGE_TIP)
        self.progress = W.label("", style=C.style(C.SECONDARY))
        box = QGroupBox(T.EXPORT_FILES)
        box.setLayout(W.vbox(
            *rows,
            W.hbox(W.label(T.SAVE_TO), (self.folder, 1), self.choose_btn),
            self.names,
            W.hbox(self.export_btn, self.copy_html_btn, self.package_btn, self.progress, "stretch"), margin=12))

        self.results_box = QGroupBox(T.EXPORT_RESULT)
        self.results_layout = W.vbox(margin=12)
        self.results_box.setLayout(self.results_layout)
        self.results_box.hide()

        self.fonts_label = W.label(T.FONTS_BEFORE_EXPORT, wrap=True, selectable=True, name="fontRoles")
        self.fonts_btn = W.button(T.CHOOSE_FONTS, self.choose_fonts, name="fontsButton")
        fonts_box = QGroupBox(T.FONTS_USED)
        fonts_box.setLayout(W.vbox(self.fonts_label, W.hbox(self.fonts_btn, "stretch"), margin=12))

        # The 解读: generated from the report until the clerk edits it (then stored with it).
        self.jiedu_hint = W.label(T.JIEDU_HINT, wrap=True, style=C.style(C.QUIET))
        self.jiedu_edit = QPlainTextEdit()
        self.jiedu_edit.setObjectName("jieduEdit")
        self.jiedu_edit.setMinimumHeight(180)
        self.jiedu_state = W.label("", name="jieduState", style=C.style(C.SECONDARY))
        self.jiedu_regen_btn = W.button(T.JIEDU_REGENERATE, self.regenerate_jiedu, name="jieduRegenerate",
                                        tooltip=T.JIEDU_REGENERATE_TIP)
        self._jiedu_timer = W.debounce(self, 800, self._save_jiedu)
        self._jiedu_loading = False
        self.jiedu_edit.textChanged.connect(self._jiedu_typed)
        jiedu_box = QGroupBox(T.JIEDU_GROUP)
        jiedu_box.setLayout(W.vbox(self.jiedu_hint, self.jiedu_edit,
                                   W.hbox(self.jiedu_regen_btn, self.jiedu_state, "stretch"), margin=12))

        self.final_text = W.label("", wrap=True, name="finalText")
        self.finalize_btn = W.button(T.ACT_FINALIZE, self.finalize_requested.emit, name="finalizeButton")
        self.reopen_btn = W.button(T.ACT_REOPEN, self.reopen_requested.emit, name="reopenButton")
        final_box = QGroupBox(T.FINAL_GROUP)
        final_box.setLayout(W.vbox(self.final_text, W.hbox(self.finalize_btn, self.reopen_btn, "stretch"),
                                   margin=12))

        inner = QWidget()
        inner.setLayout(W.vbox(self.heading, self.draft_banner, box, self.results_box,
                               jiedu_box, fonts_box, final_box, "stretch", margin=4, spacing=12))
        self._scroll = W.scrolled(inner, 980)
        self.setLayout(W.vbox(self._scroll))
        # The width the page wants with its outputs three to a line: narrower than that, the
        # guidance panel steps aside (the editor asks overflow()), then the lines wrap.
        self._natural_width = inner.minimumSizeHint().width()
        doc.checked.connect(lambda: self.isVisible() and self.activate())
        self.activate()

    def guidance(self) -> str:
        return T.GUIDE_EXPORT

    # -- the width: 1366×768 at 150 % and a 1160 px window cut the page on the right --------------
    def _lay_out_checks(self, columns: int) -> None:
        """The outputs ``columns`` to a line under their group labels."""
        if columns == self._columns:
            return
        self._columns = columns
        grid = self._grid
        while grid.count():
            grid.takeAt(0)  # the widgets stay, placed again below
        for c in range(EXPORT_COLUMNS + 2):
            grid.setColumnStretch(c, 0)
        row = 0
        for title, boxes in self._groups:
            grid.addWidget(title, row, 0)
            for i, box in enumerate(boxes):
                grid.addWidget(box, row + i // columns, 1 + i % columns)
            row += (len(boxes) + columns - 1) // columns
        grid.setColumnStretch(columns + 1, 1)

    def _fit_checks(self) -> None:
        """As many outputs to a line as the page's width holds (three at most, one at least)."""
        boxes = list(self.checks.values())
        if not boxes:
            return
        spacing = self._grid.horizontalSpacing()
        labels = max(title.sizeHint().width() for title, _ in self._groups)
        cell = max(b.sizeHint().width() for b in boxes) + spacing
        # the group box's frame and margins (12 each side) and the page's own margins
        room = min(self._view_width(), self._scroll.widget().maximumWidth()) - 2 * 12 - 2 * 8 - 2 * 4 \
            - labels - spacing
        self._lay_out_checks(max(1, min(EXPORT_COLUMNS, (room + spacing) // cell)))

    def overflow(self) -> int:
        """Pixels the page, its outputs three to a line, is wider than its view (0 when it fits)."""
        return max(0, self._natural_width - self._view_width())

    def _view_width(self) -> int:
        """The width the page's contents get: the page's less the scroll bar (from the page's own
        size: the scroll area's may not have followed yet when the page is resized)."""
        bar = self._scroll.verticalScrollBar()
        return self.width() - (bar.sizeHint().width() if bar.isVisible() else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_checks()
        if self.isVisible() and self.overflow():
            self.cramped.emit()

    def activate(self) -> None:
        doc = self.doc
        n = doc.errors()
        r = doc.report
        draft = will_be_draft(r, doc.findings)
        self._load_jiedu()
        if not draft:
            self.draft_banner.set_kind("info")
            self.draft_banner.set_text(T.EXPORT_WILL_BE_FINAL)
        elif n > 0:
            self.draft_banner.set_kind("warning")
            self.draft_banner.set_text(T.EXPORT_WILL_BE_DRAFT_ERRORS.format(n=n))
        else:
            self.draft_banner.set_kind("warning")
            self.draft_banner.set_text(T.EXPORT_WILL_BE_DRAFT_NOT_FINAL)
        # 定稿 is offered where the draft is said, when nothing (no 错误, not read-only) stops it.
        self.draft_finalize_btn.setVisible(draft and n == 0 and r.status != "final" and not doc.read_only)
        self.draft_check_btn.setVisible(n > 0)
        self._options_changed()
        if r.status == "final":
            when = doc.finalized_when()  # "" for an imported final report without a time
            self.final_text.setText(T.FINAL_TEXT.format(time=when) if when else T.FINAL_TEXT_NO_TIME)
        else:
            self.final_text.setText(T.DRAFT_TEXT)
        self.finalize_btn.setVisible(r.status != "final")
        self.reopen_btn.setVisible(r.status == "final")
        overrides = self.ctx.settings.font_overrides
        if overrides and self.last_result is None:
            self.fonts_label.setText(T.FONTS_CHOSEN.format(
                fonts="、".join(f"{T.FONT_ROLES.get(k, k)}：{v}" for k, v in overrides.items())))

    def will_be_draft(self) -> bool:
        return will_be_draft(self.doc.report, self.doc.findings)

    # -- the 解读 -------------------------------------------------------------------------------
    def _generated_jiedu(self) -> str:
        from ...documents.jiedu import generate_jiedu

        return generate_jiedu(self.doc.report)

    def _load_jiedu(self) -> None:
        """Show the stored 解读, or the generated one (kept up to date until the clerk edits)."""
        if self._jiedu_timer.isActive():
            return  # the clerk is typing
        stored = self.doc.report.jiedu or ""
        text = stored or self._generated_jiedu()
        if self.jiedu_edit.toPlainText() != text:
            self._jiedu_loading = True
            self.jiedu_edit.setPlainText(text)
            self._jiedu_loading = False
        self._show_jiedu_state(stored)

    def _show_jiedu_state(self, stored: str) -> None:
        from ...documents.jiedu import stray_figures

        stray = stray_figures(self.doc.report, stored) if stored else []
        if stray:
            self.jiedu_state.setText(T.JIEDU_STRAY.format(numbers="、".join(stray[:8])))
            self.jiedu_state.setStyleSheet(f"color: {W.COLORS['warning']};")
        else:
            self.jiedu_state.setText(T.JIEDU_EDITED if stored else T.JIEDU_GENERATED)
            self.jiedu_state.setStyleSheet(C.style(C.SECONDARY))

    def _jiedu_typed(self) -> None:
        if not self._jiedu_loading:
            self._jiedu_timer.start()

    def _save_jiedu(self) -> None:
        self._jiedu_timer.stop()
        text = self.jiedu_edit.toPlainText().strip()
        # The generated text itself is not stored: it keeps following the report's figures.
        if text == self._generated_jiedu().strip():
            text = ""
        try:
            self.doc.set_jiedu(text)
        except GongkaiError as exc:
            W.critical(self, T.JIEDU_GROUP, str(exc))
            return
        self._show_jiedu_state(text)

    def regenerate_jiedu(self) -> None:
        if self.doc.report.jiedu and not W.confirm(self, T.JIEDU_GROUP, T.JIEDU_REGENERATE_CONFIRM,
                                                   T.JIEDU_REGENERATE):
            return
        self._jiedu_timer.stop()
        try:
            self.doc.set_jiedu("")
        except GongkaiError as exc:
            W.critical(self, T.JIEDU_GROUP, str(exc))
            return
        self._load_jiedu()

    def flush(self) -> None:
        if self._jiedu_timer.isActive():
            self._save_jiedu()

    def _options_changed(self) -> None:
        names = default_names(self.doc.report)
        lines = [names[kind] for kind, box in self.checks.items() if box.isChecked()]
        self.names.setText(T.FILE_NAMES.format(names="\n".join(lines)) if lines else T.CHOOSE_KIND)
        self.export_btn.setEnabled(bool(lines) and not self.busy)
        self.package_btn.setEnabled(not self.busy)
        for kind, box in self.checks.items():
            self.ctx.settings.set_export_wanted(kind, box.isChecked())

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
    def targets(self) -> dict[str, Path]:
        """kind → path of every output ticked."""
        folder = Path(self.folder.text())
        names = default_names(self.doc.report)
        return {kind: folder / names[kind] for kind, box in self.checks.items() if box.isChecked()}

    def _failed(self, exc, folder) -> None:
        self.busy = False
        self.progress.setText("")
        self._options_changed()
        if isinstance(exc, GongkaiError):
            W.critical(self, T.EXPORT_FAILED_TITLE, str(exc))
        elif isinstance(exc, OSError):
            W.critical(self, T.EXPORT_FAILED_TITLE, T.WRITE_FAILED.format(
                path=exc.filename or folder, detail=os_error_text(exc)))
        else:
            W.critical(self, T.EXPORT_FAILED_TITLE, T.INTERNAL_ERROR.format(detail=repr(exc)))

    def _start(self, text: str) -> None:
        self.busy = True
        self.export_btn.setEnabled(False)
        self.package_btn.setEnabled(False)
        self.progress.setText(text)

    def export(self) -> None:
        if self.busy:
            return
        targets = self.targets()
        if not targets:
            return
        folder = Path(self.folder.text())
        if not folder.is_dir():
            W.critical(self, T.NAV_EXPORT, T.FOLDER_MISSING.format(folder=folder))
            return
        existing = [p for p in targets.values() if p.exists()]
        if existing and not W.confirm(self, T.NAV_EXPORT, T.REPLACE_FILES.format(
                files="\n".join(p.name for p in existing)), T.REPLACE):
            return
        from ...documents import export as export_mod

        self.flush()
        report = copy.deepcopy(self.doc.report)
        findings = list(self.doc.findings)
        overrides = self.ctx.settings.font_overrides or None
        self._start(T.EXPORTING)
        t0 = time.perf_counter()

        def work():
            return export_mod.export_report(report, outputs=targets, font_overrides=overrides, findings=findings)

        def done(result):
            self.export_seconds = time.perf_counter() - t0
            self.busy = False
            self.progress.setText("")
            self._options_changed()
            self.ctx.settings.last_export_dir = str(folder)
            self.show_result(result)
            self.exported.emit(result)

        def failed(exc):
            self._failed(exc, folder)
            self.exported.emit(None)

        W.run_in_thread(work, done, failed)

    def copy_html(self) -> None:
        """The web page's body on the clipboard, as rich text (a CMS editor pastes the tables)
        and as its HTML source (for the editor's source view)."""
        from ...documents.export import render_one

        try:
            fragment = render_one(copy.deepcopy(self.doc.report), "html_fragment",
                                  findings=list(self.doc.findings)).decode("utf-8")
        except GongkaiError as exc:
            W.critical(self, T.EXPORT_FAILED_TITLE, str(exc))
            return
        mime = QMimeData()
        mime.setHtml(fragment)
        mime.setText(fragment)
        QApplication.clipboard().setMimeData(mime)
        self.message.emit(T.COPIED_HTML)

    def make_package(self) -> None:
        if self.busy:
            return
        folder = Path(self.folder.text())
        if not folder.is_dir():
            W.critical(self, T.NAV_EXPORT, T.FOLDER_MISSING.format(folder=folder))
            return
        from ...documents import package as package_mod

        self.flush()
        report = copy.deepcopy(self.doc.report)
        findings = list(self.doc.findings)
        overrides = self.ctx.settings.font_overrides or None
        target = folder / package_mod.package_name(report)
        if target.exists() and not W.confirm(self, T.MAKE_PACKAGE, T.REPLACE_PACKAGE.format(path=target),
                                             T.REPLACE):
            return
        self._start(T.PACKAGING)

        def work():
            return package_mod.make_package(report, folder, findings=findings, font_overrides=overrides,
                                            replace=True)

        def done(result):
            self.busy = False
            self.progress.setText("")
            self._options_changed()
            self.ctx.settings.last_export_dir = str(folder)
            self._show_package(result)
            self.packaged.emit(result)

        def failed(exc):
            self._failed(exc, folder)
            self.packaged.emit(None)

        W.run_in_thread(work, done, failed)

    def _clear_results(self) -> None:
        lay = self.results_layout
        while lay.count():
            item = lay.takeAt(0)
            w = item.widget()
            if w is not None:
                w.deleteLater()
            elif item.layout() is not None:
                _clear_layout(item.layout())

    def _file_row(self, label: str, p: Path) -> None:
        name = W.label(f"{label}：{p}", wrap=True, selectable=True)
        self.results_layout.addLayout(W.hbox((name, 1), W.button(T.OPEN_FILE, lambda p=p: W.open_path(p)),
                                             W.button(T.OPEN_FOLDER, lambda p=p: W.show_in_folder(p))))

    def _show_warnings(self, warnings) -> None:
        for n in warnings:
            self.results_layout.addWidget(
                W.label(n, wrap=True, selectable=True, style=f"color: {W.COLORS['warning']};"))

    def show_result(self, result) -> None:
        self.last_result = result
        self._clear_results()
        for kind, path in result.paths.items():
            self._file_row(result.label(kind), Path(path))
        self._show_warnings(result.warnings)
        self.results_box.show()
        fonts = result.font_lines or [str(v) for v in (result.font_roles or {}).values()]
        if fonts:
            self.fonts_label.setText("\n".join(fonts))
        self.message.emit(T.EXPORTED.format(n=len(result.written)))

    def _show_package(self, result) -> None:
        self._clear_results()
        self._file_row(T.PACKAGE_FOLDER, Path(result.folder))
        if result.zip_path:
            self._file_row(T.PACKAGE_ZIP, Path(result.zip_path))
        self._show_warnings(result.warnings)
        self.results_box.show()
        self.message.emit(T.PACKAGED.format(path=result.folder))

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
