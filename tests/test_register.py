"""The register of applications (依申请公开登记台账) → 表三 (issue 12).

Registers as offices keep them: different headers, local result names, dates as text and as
Excel serials, GBK .csv; counting as the format defines it; deadlines in China's working days;
the comparison with a typed table and ``--into`` writing it into a report.
"""

from __future__ import annotations

import datetime as _dt
import json

import pytest

from gongkai_desktop import cli
from gongkai_desktop.register import LedgerError, compare, count, load_map
from gongkai_desktop.register.ledger import WorkCalendar, parse_date
from gongkai_desktop.report.formats import format_for_year
from gongkai_desktop.storage.store import Store

D = _dt.date

# (number, applicant type, received, result, answered, status)
ROWS = [
    ("A1", "公民", D(2025, 3, 3), "予以公开", D(2025, 3, 20), "已办结"),
    ("A2", "个人", "2025/4/1", "部分公开（部分涉及第三方）", "2025年4月15日", "已办结"),
    ("A3", "企业", 45748, "本机关不掌握相关政府信息", 45770, "已办结"),  # Excel serials: 2025-04-01 → 04-23
    ("A4", "律师事务所", D(2024, 12, 20), "同意公开", D(2025, 1, 10), "已办结"),  # carried from 2024
    ("A5", "公民", D(2024, 11, 5), "同意公开", D(2024, 11, 20), "已办结"),  # finished in 2024: not this year
    ("A6", "科研院所", D(2025, 12, 22), "", None, "办理中"),  # open at the year's end
    ("A7", "公民", D(2025, 9, 26), "申请人主动撤销", D(2025, 10, 31), "已办结"),  # one working day late
    ("A8", "公民", D(2025, 9, 26), "信息不存在", D(2025, 10, 30), "已办结"),  # on the last day: in time
    ("A9", "法人或其他组织", D(2025, 5, 6), "予以公开", D(2025, 5, 9), "已办结"),  # too coarse: listed
    ("A10", "社会组织", D(2025, 6, 2), "转交信访部门", D(2025, 6, 5), "已办结"),  # petition
    ("A11", "公民", D(2025, 7, 1), "答复意见见附件", D(2025, 7, 3), "已办结"),  # unknown result: listed
    ("A12", "公民", D(2025, 8, 1), "予以公开", None, "已办结"),  # a result, no answer date
    ("A13", "企业", D(2026, 1, 5), "予以公开", D(2026, 1, 9), "已办结"),  # next year: not counted
]


def _xlsx(path, rows=ROWS, header=("申请编号", "申请人性质", "受理日期", "答复结果", "办结日期", "办理状态")):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["某某局依申请公开登记台账"])  # a title row above the header, as offices keep them
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_counting_as_the_format_defines_it(tmp_path):
    res = count(_xlsx(tmp_path / "t.xlsx"), 2025)
    v = res.values
    assert v[("new", "natural_person")] == 6  # A1 A2 A7 A8 A11 A12
    assert v[("new", "business")] == 1 and v[("new", "research")] == 1 and v[("new", "public_interest")] == 1
    assert v[("carried", "legal_service")] == 1  # A4: open at the end of 2024
    assert v[("disclosed", "natural_person")] == 2  # A1, A12
    assert v[("partial", "natural_person")] == 1  # partly disclosed only under （二）, not 第三方
    assert v[("withheld_third_party", "natural_person")] == 0
    assert v[("unable_not_held", "business")] == 1 and v[("unable_not_held", "natural_person")] == 1
    assert v[("disclosed", "legal_service")] == 1
    assert v[("other_other", "natural_person")] == 1  # 「申请人主动撤销」 → （六）3.其他
    assert v[("refused_petition", "public_interest")] == 1
    assert v[("carry_forward", "research")] == 1  # A6
    assert sum(n for (r, _), n in v.items() if r == "new") == 9
    unmapped = "\n".join(res.unmapped)
    assert "第 11 行（编号 A9）" in unmapped and "法人或其他组织" in unmapped
    assert "「答复意见见附件」" in unmapped
    hints = "\n".join(res.hints)
    assert "编号 A7" in hints and "2025-10-30" in hints  # deadline with the National Day holiday and make-up days
    assert "编号 A8" not in hints
    assert "编号 A12" in hints and "没有答复日期" in hints
    assert res.columns["received"] == "受理日期" and res.columns["applicant_type"] == "申请人性质"


def test_working_days_follow_chinas_calendar():
    cal = WorkCalendar()
    # 2025: 10月1日–8日 off, 9月28日 (Sunday) and 10月11日 (Saturday) worked.
    assert cal.add_workdays(D(2025, 9, 26), 20) == D(2025, 10, 30)
    assert cal.add_workdays(D(2025, 1, 20), 20) == D(2025, 2, 21)  # across the Spring Festival


def test_dates_as_text_and_serials():
    assert parse_date("2025-03-05") == D(2025, 3, 5)
    assert parse_date("2025.3.5") == D(2025, 3, 5)
    assert parse_date("２０２５年３月５日") == D(2025, 3, 5)
    assert parse_date("20250305") == D(2025, 3, 5)
    assert parse_date(45721) == D(2025, 3, 5)
    assert parse_date("45721") == D(2025, 3, 5)
    assert parse_date("2025-03-05 14:30") == D(2025, 3, 5)
    assert parse_date("") is None and parse_date("三月") is False


def test_gbk_csv_with_other_headers_and_a_remembered_map(tmp_path):
    rows = [["序号", "申请方", "来件日期", "处理结果", "回复日期"],
            ["1", "个体工商户", "2025-02-10", "申请人放弃申请", "2025-02-12"],
            ["2", "村民委员会", "2025-02-11", "予以公开", "2025-02-13"],
            ["3", "个人", "2025-02-11", "要求确认已获取信息", "2025-02-20"]]
    p = tmp_path / "t.csv"
    p.write_bytes("\n".join(",".join(r) for r in rows).encode("gb18030"))
    with pytest.raises(LedgerError, match="申请人类型"):
        count(p, 2025)  # 「申请方」 is nobody's usual header
    m = tmp_path / "map.json"
    m.write_text(json.dumps({"columns": {"applicant_type": "申请方", "received": "来件日期"},
                             "results": {"申请人放弃申请": "（六）其他处理3.其他"},
                             "applicants": {"村民委员会": "其他"}}, ensure_ascii=False), encoding="utf-8")
    fmt = format_for_year(2025)
    res = count(p, 2025, load_map(m, fmt.tables["requests"]))
    assert res.values[("other_other", "business")] == 1
    assert res.values[("disclosed", "other_org")] == 1
    assert res.values[("refused_confirm", "natural_person")] == 1
    assert not res.unmapped


def test_2019_format_has_one_other_row(tmp_path):
    rows = [("1", "公民", D(2020, 3, 1), "申请人撤回申请", D(2020, 3, 5), "已办结")]
    res = count(_xlsx(tmp_path / "t.xlsx", rows), 2020)
    assert res.format_id == "gb2019" and res.values[("other_handling", "natural_person")] == 1


def test_bad_registers_are_refused_in_chinese(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("not a workbook")
    with pytest.raises(LedgerError, match="无法打开"):
        count(p, 2025)
    q = tmp_path / "x.csv"
    q.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="没有找到表头"):
        count(q, 2025)
    m = tmp_path / "m.json"
    m.write_text('{"results": {"撤销": "（九）不存在"}}', encoding="utf-8")
    with pytest.raises(LedgerError, match="表三中没有这一行"):
        load_map(m, format_for_year(2025).tables["requests"])


def test_cli_json_and_into_a_report_with_comparison(tmp_path, capsys):
    db = tmp_path / "r.db"
    path = _xlsx(tmp_path / "t.xlsx")
    assert cli.main(["ledger", str(path), "--year", "2025", "--json", "--db", str(db)]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc["requests"]["new"]["natural_person"] == 6 and "total" not in doc["requests"]["new"]
    assert any("A9" in u for u in doc["unmapped"]) and "提示" in out.err
    with Store.open(db) as store:
        rid = store.create("某某局", 2025)
        store.set_value(rid, ("requests", "new", "natural_person"), 5)
    assert cli.main(["ledger", str(path), "--year", "2025", "--into", str(rid), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "已填 5，台账计算 6" in err and "写入年报" in err
    with Store.open(db) as store:
        report = store.load(rid)
    assert report.values[("requests", "new", "natural_person")] == 6
    assert report.values[("requests", "other_other", "natural_person")] == 1
    assert not compare(report, count(path, 2025))
    assert cli.main(["ledger", str(path), "--year", "2024", "--into", str(rid), "--db", str(db)]) == 2
    assert "2025 年度" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("suffix", ["ods", "xls"])
def test_ods_and_xls_registers(tmp_path, suffix):
    import subprocess

    src = _xlsx(tmp_path / "t.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", suffix, "--outdir", str(tmp_path), str(src)], check=True, capture_output=True,
                   timeout=180)
    if not (tmp_path / f"t.{suffix}").exists():
        pytest.skip("LibreOffice Calc is not installed (CI installs Writer only)")
    res = count(tmp_path / f"t.{suffix}", 2025)
    assert res.values == count(src, 2025).values


def _ods(path, rows):
    """A minimal OpenDocument spreadsheet (what WPS and LibreOffice save), dates as date cells."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(v):
        if isinstance(v, _dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                    f"<text:p>{v.isoformat()}</text:p></table:table-cell>")
        if isinstance(v, int):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        if v is None or v == "":
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="台账">{body}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def test_ods_register_with_date_cells(tmp_path):
    rows = [["申请编号", "申请人类型", "收到日期", "办理结果", "答复日期"]] + [
        [n, t, r if isinstance(r, _dt.date) else parse_date(r), res, a if isinstance(a, _dt.date) or a is None else parse_date(a)]
        for n, t, r, res, a, _ in ROWS]
    ods = _ods(tmp_path / "t.ods", rows)
    assert count(ods, 2025).values == count(_xlsx(tmp_path / "t.xlsx"), 2025).values


@pytest.mark.parametrize("text, col", [
    ("公民", "natural_person"), ("自然人", "natural_person"), ("个人", "natural_person"),
    ("企业", "business"), ("有限公司", "business"), ("个体工商户", "business"), ("农民专业合作社", "business"),
    ("律师事务所", "legal_service"), ("高校", "research"), ("研究所", "research"), ("行业协会", "public_interest"),
    ("村民委员会", "other_org"), ("其他组织", "other_org"), ("法人或其他组织", None), ("法人", None), ("", None),
])
def test_applicant_types(text, col):
    from gongkai_desktop.register.ledger import Mapping, map_applicant

    assert map_applicant(text, Mapping()) == col


@pytest.mark.parametrize("text, row", [
    ("予以公开", "disclosed"), ("同意公开", "disclosed"), ("部分公开", "partial"),
    ("部分公开（涉及第三方）", "partial"), ("不予公开（涉及国家秘密）", "withheld_secret"),
    ("不予公开", None), ("不予以公开", None), ("不予处理", None), ("无法提供", None),
    ("4.保护第三方合法权益", "withheld_third_party"), ("信息不存在", "unable_not_held"),
    ("需另行制作", "unable_needs_creation"), ("重复申请", "refused_repeat"), ("申请人主动撤销", "other_other"),
    ("逾期未补正", "other_no_correction"), ("逾期未缴纳费用", "other_no_fee"), ("答复意见见附件", None),
])
def test_result_names(text, row):
    from gongkai_desktop.register.ledger import Mapping, map_result

    assert map_result(text, Mapping(), format_for_year(2025).tables["requests"]) == row


def test_extension_and_correction_move_the_deadline(tmp_path):
    rows = [["编号", "申请人类型", "收到日期", "办理结果", "答复日期", "是否延期", "补正日期"],
            ["E1", "公民", "2025-09-26", "予以公开", "2025-11-20", "是", ""],   # extended: due 2025-11-27
            ["E2", "公民", "2025-09-26", "予以公开", "2025-11-20", "否", ""],   # not extended: due 10-30
            ["E3", "公民", "2025-09-01", "予以公开", "2025-10-28", "否", "2025-09-26"],  # from the 补正: due 10-30
            ["E4", "公民", "2025-09-26", "予以公开", "2025-12-01", "是", ""]]   # late even with the extension
    p = tmp_path / "t.csv"
    p.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    hints = "\n".join(count(p, 2025).hints)
    assert "E1" not in hints and "E3" not in hints
    assert "编号 E2" in hints and "截止 2025-10-30" in hints
    assert "编号 E4" in hints and "经延期 40 个工作日" in hints
