"""Render ``resources/icon.svg`` into ``resources/icon.png`` (256 px) and ``resources/icon.ico``.

    python packaging/make_icons.py

The SVG is the source; the PNG and ICO are generated and committed (so a build needs neither
Qt's SVG module nor Pillow at build time). Each ICO size is rendered from the SVG at that size,
not scaled down from 256 px, so the 16 and 32 px icons stay crisp. QtSvg ships with
PySide6-Essentials; Pillow only writes the ICO container.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icon.svg"
PNG = ROOT / "resources" / "icon.png"
ICO = ROOT / "resources" / "icon.ico"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render(size: int) -> bytes:
    """PNG bytes of the SVG rendered at ``size`` × ``size``."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (keeps Qt alive)
    images = {s: Image.open(io.BytesIO(render(s))).convert("RGBA") for s in ICO_SIZES}
    images[256].save(PNG, optimize=True)
    largest = images[256]
    others = [images[s] for s in ICO_SIZES if s != 256]
    largest.save(ICO, format="ICO", sizes=[(s, s) for s in ICO_SIZES], append_images=others)
    with Image.open(ICO) as check:
        got = sorted(check.info.get("sizes", set()))
    print(f"wrote {PNG.relative_to(ROOT)} and {ICO.relative_to(ROOT)} (sizes {got})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
