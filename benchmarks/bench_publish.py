"""Publishing speed: prints figures (not a timed test).

    python benchmarks/bench_publish.py [--runs N]

For the full sample report (tests/sample.py), in-process and warm (fonts registered, modules
imported): the web page and its fragment, the 解读 text, the 解读 as Word and PDF, the 图解 as PDF
and PNG, and the whole package for sign-off (seven files, 说明.txt, zip).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def timed(fn, runs: int) -> tuple[float, float]:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from sample import full_report

    from gongkai_desktop.documents.export import export_report, render_one
    from gongkai_desktop.documents.jiedu import generate_jiedu
    from gongkai_desktop.documents.package import make_package

    report = full_report()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = {
            "web page (.html)": lambda: export_report(report, outputs={"html": tmp / "r.html"}, findings=[]),
            "web fragment (clipboard)": lambda: render_one(report, "html_fragment", findings=[]),
            "解读 text": lambda: generate_jiedu(report),
            "解读 .docx": lambda: export_report(report, outputs={"jiedu_docx": tmp / "j.docx"}, findings=[]),
            "解读 PDF": lambda: export_report(report, outputs={"jiedu_pdf": tmp / "j.pdf"}, findings=[]),
            "图解 PDF": lambda: export_report(report, outputs={"tujie_pdf": tmp / "t.pdf"}, findings=[]),
            "图解 PNG": lambda: export_report(report, outputs={"tujie_png": tmp / "t.png"}, findings=[]),
            "package (folder + zip)": lambda: make_package(report, tmp / "pkg" if (tmp / "pkg").is_dir()
                                                           else (tmp / "pkg").mkdir() or tmp / "pkg", findings=[]),
        }
        print(f"{'output':28} {'median':>9} {'max':>9}   ({args.runs} warm runs)")
        for name, fn in cases.items():
            med, worst = timed(fn, args.runs)
            print(f"{name:28} {med * 1000:8.1f}ms {worst * 1000:8.1f}ms")


if __name__ == "__main__":
    main()
