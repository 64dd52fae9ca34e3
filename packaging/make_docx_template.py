"""Regenerate resources/template.docx, the Word template the exporter builds on.

The template is produced entirely from code (gongkai_desktop/documents/docx.py: styles,
settings, font table, footers, page set-up); this script only writes it out. The output is
reproducible (fixed timestamps), so `git diff` shows no change unless the code changed.

    python packaging/make_docx_template.py [OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai_desktop.documents.docx import write_template  # noqa: E402


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "resources" / "template.docx"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_template(out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
