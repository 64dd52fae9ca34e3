"""打印: the PDF pages, as they will print, and printing them (for the leader's signature).

The pages are the exporter's PDF, rasterised. QtPdf is not part of PySide6-Essentials, so the
renderer is PDFium through ``pypdfium2`` (a 4 MB wheel, every platform); where that is missing,
poppler's ``pdftoppm``; where neither is, the page offers to open the PDF in the system's reader.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from .. import colors as C
from .. import texts as T
from .. import widgets as W
from ..open_report import NAV_PRINT
from .base import Page

PREVIEW_DPI = 110
PRINT_DPI_MAX = 300


class NoRenderer(Exception):
    pass


def renderer_name() -> str | None:
    try:
        import pypdfium2  # noqa: F401

        return "pdfium"
    except ImportError:
        pass
    return "pdftoppm" if shutil.which("pdftoppm") else None


def render_pages(pdf_path: str | os.PathLike, dpi: float, pages: list[int] | None = None) -> list[QImage]:
    """The pages of a PDF as images (safe on a worker thread: QImage, not QPixmap)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        pdfium = None
    if pdfium is not None:
        pdf = pdfium.PdfDocument(str(pdf_path))
        try:
            out = []
            for i in range(len(pdf)):
                if pages is not None and i not in pages:
                    continue
                page = pdf[i]
                bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
                img = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                             QImage.Format_RGBX8888).copy()
                img.setDotsPerMeterX(round(dpi / 0.0254))
                img.setDotsPerMeterY(round(dpi / 0.0254))
                out.append(img)
                bitmap.close()
                page.close()
            return out
        finally:
            pdf.close()
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise NoRenderer()
    with tempfile.TemporaryDirectory(prefix="gongkai-pages-") as tmp:
        subprocess.run([exe, "-r", str(round(dpi)), "-png", str(pdf_path), str(Path(tmp) / "p")],
                       check=True, capture_output=True, timeout=120)
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
        return [QImage(str(f)) for i, f in enumerate(files) if pages is None or i in pages]


class PreviewPage(Page):
    nav_id = NAV_PRINT

    def __init__(self, ctx, doc, parent=None):
        super().__init__(ctx, doc, parent)
        self.heading.setText(T.NAV_PRINT)
        self.pdf_path: Path | None = None
        self.images: list[QImage] = []
        self.zoom = 1.0
        self.fit = True  # zoom to the width of the page area until the clerk zooms
        self.busy = False
        self.stale = True  # the report changed since the pages were rendered (doc.changed)
        self.rendered_for: int | None = None  # the open report's revision the pages show
        self._fonts_rendered: dict | None = None
        self.render_seconds = 0.0
        # A change while the page is shown (an undo from the menu) renders again once it settles.
        self._rerender = W.debounce(self, 300, self._refresh_if_shown)
        doc.changed.connect(self._changed)

        self.status = W.label("", wrap=True, name="previewStatus", style=C.style(C.SECONDARY))
        self.print_btn = W.button(T.PRINT, self.print_pages, default=True, name="printButton")
        self.open_btn = W.button(T.OPEN_PDF, self.open_pdf, name="openPdfButton")
        self.refresh_btn = W.button(T.REFRESH_PREVIEW, lambda: self.refresh(force=True))
        self.zoom_out = W.tool_button("－", lambda: self.set_zoom(self.zoom / 1.25), tooltip=T.ZOOM_OUT)
        self.zoom_in = W.tool_button("＋", lambda: self.set_zoom(self.zoom * 1.25), tooltip=T.ZOOM_IN)
        self.zoom_label = W.label("100%")
        self.fit_btn = W.tool_button(T.FIT_WIDTH, self.fit_width, tooltip=T.FIT_WIDTH)
        self.pages_box = QWidget()
        self.pages_box.setObjectName("previewPages")
        self.pages_box.setStyleSheet(f"QWidget#previewPages {{ background: {C.PREVIEW_BG}; }}")
        self.pages_layout = W.vbox(margin=16, spacing=16)
        self.pages_box.setLayout(self.pages_layout)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignHCenter)
        self.scroll.setWidget(self.pages_box)
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.labels: list[QLabel] = []
        self.setLayout(W.vbox(
            self.heading,
            W.hbox(self.print_btn, self.open_btn, self.refresh_btn, "stretch", self.fit_btn, self.zoom_out, self.zoom_label,
                   self.zoom_in),
            self.status, (self.scroll, 1), margin=4, spacing=8))

    def guidance(self) -> str:
        return T.GUIDE_PRINT

    def _changed(self, what: str) -> None:
        if what == "lock":  # who may edit does not change the pages
            return
        self.stale = True
        if self.isVisible():
            self._rerender.start()

    def _refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def activate(self) -> None:
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        # The fonts are a setting, not the report: the export page may have changed them.
        fonts_changed = self._fonts_rendered != self.ctx.settings.font_overrides
        if self.busy or (not force and not self.stale and not fonts_changed and self.images):
            return
        if renderer_name() is None:
            self.status.setText(T.NO_RENDERER)
        from ...documents.export import export_report

        self.busy = True
        self._set_buttons()
        self.status.setText(T.PREVIEW_BUILDING)
        self.stale = False
        revision = self.doc.revision
        self._fonts_rendered = dict(self.ctx.settings.font_overrides)
        report = copy.deepcopy(self.doc.report)
        findings = list(self.doc.findings)
        overrides = self.ctx.settings.font_overrides or None
        target = self.ctx.cache_dir / f"preview-{self.doc.id}.pdf"
        dpi = PREVIEW_DPI * max(1.0, self.devicePixelRatioF())
        t0 = time.perf_counter()
        can_render = renderer_name() is not None

        def work():
            result = export_report(report, pdf_path=target, font_overrides=overrides, findings=findings)
            images = render_pages(target, dpi) if can_render else []
            return result, images

        def done(out):
            result, images = out
            self.busy = False
            self.render_seconds = time.perf_counter() - t0
            self.pdf_path = target
            self.images = images
            self.rendered_for = revision
            self._show_images()
            if not can_render:
                self.status.setText(T.NO_RENDERER)
            else:
                note = T.PREVIEW_HAS_ERRORS if result.has_errors else ""
                self.status.setText(T.PREVIEW_READY.format(n=len(images)) + note)
            self._set_buttons()
            if self.stale:  # changed while rendering
                self._refresh_if_shown()

        def failed(exc):
            self.busy = False
            self.stale = True  # nothing shown is current: try again when shown
            self.status.setText(T.PREVIEW_FAILED.format(detail=exc))
            self._set_buttons()

        W.run_in_thread(work, done, failed)

    def _set_buttons(self) -> None:
        ready = not self.busy and self.pdf_path is not None and self.pdf_path.exists()
        self.print_btn.setEnabled(ready and bool(self.images))
        self.open_btn.setEnabled(ready)
        self.refresh_btn.setEnabled(not self.busy)

    def fit_width(self) -> None:
        self.fit = True
        self._show_images()

    def set_zoom(self, zoom: float) -> None:
        self.fit = False
        self.zoom = min(3.0, max(0.4, zoom))
        self.zoom_label.setText(f"{round(self.zoom * 100)}%")
        self._show_images()

    def _show_images(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.labels = []
        ratio = self.devicePixelRatioF()
        if self.fit and self.images:
            img = self.images[0]
            dpi = img.dotsPerMeterX() * 0.0254 or PREVIEW_DPI
            natural = img.width() * 96 / dpi
            avail = self.scroll.width() - self.scroll.verticalScrollBar().sizeHint().width() - 2 * 16 - 8
            self.zoom = min(2.0, max(0.3, avail / natural)) if avail > 100 else 1.0
            self.zoom_label.setText(f"{round(self.zoom * 100)}%")
        for img in self.images:
            dpi = img.dotsPerMeterX() * 0.0254 or PREVIEW_DPI
            logical_w = max(1, round(img.width() * 96 / dpi * self.zoom))
            pix = QPixmap.fromImage(img).scaledToWidth(max(1, round(logical_w * ratio)), Qt.SmoothTransformation)
            pix.setDevicePixelRatio(ratio)
            lab = QLabel()
            lab.setPixmap(pix)
            lab.setAlignment(Qt.AlignCenter)
            lab.setStyleSheet(f"background: {C.PAPER}; border: 1px solid {C.SECONDARY};")
            lab.setFixedSize(QSize(round(pix.width() / ratio) + 2, round(pix.height() / ratio) + 2))
            self.labels.append(lab)
            self.pages_layout.addWidget(lab, 0, Qt.AlignHCenter)
        self.pages_layout.addStretch(1)

    def open_pdf(self) -> None:
        if self.pdf_path is not None:
            W.open_path(self.pdf_path)

    def print_pages(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.pdf_path is None:
            return
        printer = QPrinter(QPrinter.HighResolution)
        printer.setFullPage(True)
        printer.setDocName(self.doc.report.title)
        from PySide6.QtGui import QPageLayout, QPageSize
        from PySide6.QtCore import QMarginsF

        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.A4), QPageLayout.Portrait, QMarginsF(0, 0, 0, 0)))
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle(T.PRINT)
        if dlg.exec() != QPrintDialog.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer) -> int:
        """Draw every page on ``printer`` (a real printer, or a PDF/image in the tests)."""
        dpi = min(PRINT_DPI_MAX, max(150, printer.resolution()))
        images = render_pages(self.pdf_path, dpi) if renderer_name() else []
        painter = QPainter()
        if not painter.begin(printer):
            W.critical(self, T.PRINT, T.PRINT_FAILED)
            return 0
        try:
            for i, img in enumerate(images):
                if i:
                    printer.newPage()
                area = painter.viewport()
                size = img.size().scaled(area.size(), Qt.KeepAspectRatio)
                x = area.x() + (area.width() - size.width()) // 2
                y = area.y() + (area.height() - size.height()) // 2
                painter.setViewport(x, y, size.width(), size.height())
                painter.setWindow(img.rect())
                painter.drawImage(0, 0, img)
                painter.setViewport(area)
                painter.setWindow(area)
        finally:
            painter.end()
        self.message.emit(T.PRINTED.format(n=len(images)))
        return len(images)

    def focus(self, target=None) -> None:
        self.print_btn.setFocus()
