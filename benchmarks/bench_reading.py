"""Speed of reading published reports and registers (issue 12). Prints figures; asserts nothing.

Targets: a typical .docx or web page ≤ 0.3 s, a 100-page PDF ≤ 3 s, a 1,000-row register ≤ 0.5 s.
Run: ``python benchmarks/bench_reading.py``.
"""

from __future__ import annotations

import datetime as _dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sample import full_report  # noqa: E402

from gongkai_desktop.documents import fonts  # noqa: E402
from gongkai_desktop.documents.docx import render_docx  # noqa: E402
from gongkai_desktop.documents.plan import build_plan  # noqa: E402
from gongkai_desktop.reading import read_file  # noqa: E402
from gongkai_desktop.register import count  # noqa: E402

FIX = ROOT / "tests" / "fixtures_reading"


def timed(fn, runs: int = 5) -> tuple[float, float]:
    fn()  # warm: imports, the format files, the font scan
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def line(what: str, target: float, med: float, worst: float) -> None:
    ok = "ok" if worst <= target else "OVER"
    print(f"{what:<48} median {med:6.3f} s   worst {worst:6.3f} s   (target ≤ {target} s: {ok})")


def long_report():
    """A report whose PDF runs to about 100 pages: long section texts, as a big government's."""
    r = full_report(2025)
    base = [ln for ln in r.sections["overview"].split("\n") if ln.strip()]
    paras = []
    for i in range(560):
        paras.append(f"{base[i % len(base)]}（第{i + 1}段）")
    r.sections["overview"] = "\n".join(paras)
    return r


def register(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    rnd = random.Random(7)
    wb = Workbook()
    ws = wb.active
    ws.append(["申请编号", "申请人性质", "申请人", "受理日期", "答复结果", "办结日期", "状态"])
    kinds = ["公民", "企业", "律师事务所", "高校", "协会", "其他组织"]
    results = ["同意公开", "部分公开", "信息不存在", "申请人主动撤销", "属于信访举报投诉", "涉及第三方"]
    for i in range(rows):
        got = _dt.date(2025, 1, 2) + _dt.timedelta(days=rnd.randint(-40, 350))
        done = got + _dt.timedelta(days=rnd.randint(2, 40))
        open_ = done.year > 2025
        ws.append([f"YSQ{i:05d}", rnd.choice(kinds), f"申请人{i}", got, None if open_ else rnd.choice(results),
                   None if open_ else done, "办理中" if open_ else "已办结"])
    wb.save(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        r = full_report(2025)
        plan = build_plan(r)
        docx = tmp / "own.docx"
        docx.write_bytes(render_docx(plan))
        from gongkai_desktop.documents.html import render_html

        html = tmp / "own.html"
        html.write_text(render_html(plan), encoding="utf-8")
        from gongkai_desktop.documents.pdf import render_pdf

        pdf = tmp / "own.pdf"
        pdf.write_bytes(render_pdf(plan, fonts.resolve(None))[0])
        big = tmp / "long.pdf"
        data, info = render_pdf(build_plan(long_report()), fonts.resolve(None))
        big.write_bytes(data)
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(str(big)))

        line("own .docx export", 0.3, *timed(lambda: read_file(docx)))
        line("other office's .docx (merged cells)", 0.3, *timed(lambda: read_file(FIX / "other_office_2023.docx")))
        line("own web page export", 0.3, *timed(lambda: read_file(html)))
        line("saved web page, GBK, layout table", 0.3, *timed(lambda: read_file(FIX / "web_gbk_2022.htm")))
        line("pasted text (cells ending in |)", 0.3, *timed(lambda: read_file(FIX / "pasted_cells_2022.txt")))
        line("own PDF export (4 pages)", 3.0, *timed(lambda: read_file(pdf), runs=3))
        line(f"long PDF ({pages} pages)", 3.0, *timed(lambda: read_file(big), runs=3))
        line("Word PDF by LibreOffice (fixture)", 3.0, *timed(lambda: read_file(FIX / "word_pdf_2023.pdf"), runs=3))

        xlsx = tmp / "ledger.xlsx"
        register(xlsx, 1000)
        line("register, 1,000 rows (.xlsx, Excel dates)", 0.5, *timed(lambda: count(xlsx, 2025)))
        csv_path = tmp / "ledger.csv"
        import csv

        from python_calamine import CalamineWorkbook

        rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("Sheet").to_python()
        with open(csv_path, "w", encoding="gb18030", newline="") as fh:
            csv.writer(fh).writerows([[c.isoformat() if hasattr(c, "isoformat") else c for c in row] for row in rows])
        line("register, 1,000 rows (.csv, GBK)", 0.5, *timed(lambda: count(csv_path, 2025)))


if __name__ == "__main__":
    main()
