"""The supervising office's collection: a generated region with missing organs, errors, two
near-identical texts, a re-sent report and a late old-format file."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai_desktop.collection import texts as T
from gongkai_desktop.collection.collection import Collection, MemoryBackend
from gongkai_desktop.collection.expected import ExpectedOrgan, read_expected
from gongkai_desktop.collection.gather import Received, gather
from gongkai_desktop.collection.names import organ_key, suggest
from gongkai_desktop.collection.similarity import near_copies
from gongkai_desktop.collection.sums import aggregate
from gongkai_desktop.report.formats import get_format
from gongkai_desktop.report.model import Report
from gongkai_desktop.storage import exchange

from region import organ_report, region
from sample import full_report

YEAR = 2025


def _write(folder: Path, reports: list[Report]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, r in enumerate(reports):
        p = folder / f"{i:04d}.json"
        exchange.dump_file(r, p)
        paths.append(p)
    return paths


@pytest.fixture(scope="module")
def reports():
    return region(120, YEAR)


def test_organ_names_match_tolerantly_but_close_names_are_only_suggested():
    assert organ_key("某某区 民政局（区社会工作部）") == organ_key("某某区民政局(区社会工作部)")
    assert organ_key("ＡＢＣ局") == organ_key("ABC局")
    hint = suggest("某某区人民政府办", ["某某区人民政府办公室", "某某区教育局"])
    assert hint is not None and hint.expected == "某某区人民政府办公室"
    assert suggest("某某区教育局", ["某某区卫生健康局"]) is None


def test_sums_equal_an_independent_sum(reports):
    agg = aggregate(reports, format_id="gb2021", year=YEAR, region="某某区")
    fmt = get_format("gb2021")
    for key in fmt.cells():
        expected_sum = sum((r.value(key) or 0) for r in reports)
        assert (agg.report.value(key) or 0) == expected_sum, key
    assert isinstance(agg.report.value(("proactive", "fees", "fee_amount")), Decimal)
    assert agg.report.value(("proactive", "fees", "fee_amount")) == Decimal("0.092") * len(reports)
    from gongkai_desktop.report.rules import check

    # The sum of reports that add up adds up: the same rules check the aggregate.
    assert not [f for f in check(agg.report) if f.rule_id.startswith(("R1", "R2", "R3", "R4"))]


def test_a_late_old_format_file_adds_only_what_means_the_same(reports):
    old = full_report(2020, "某某区迟报局")
    old.meta.year = YEAR  # a late file in the trial format, read from a published report
    agg = aggregate([*reports[:3], old], format_id="gb2021", year=YEAR)
    assert agg.mixed_note and "未汇总" in agg.mixed_note
    key = ("requests", "new", "natural_person")
    assert agg.report.value(key) == sum(r.value(key) for r in [*reports[:3], old])
    # 表二's columns differ between the formats: the old file's figures are not added there.
    fee = ("proactive", "rules", "in_force")
    assert agg.report.value(fee) == sum(r.value(fee) for r in reports[:3])
    assert ("gb2019", ("proactive", "rules", "total_published")) in agg.skipped_cells


def test_near_copies_are_flagged_in_pairs_and_distinct_texts_are_not(reports):
    texts = {r.meta.organ: "\n".join(r.sections.values()) for r in reports}
    assert near_copies(texts) == {}, "generated organs' texts are distinct"
    a, b = reports[4].meta.organ, reports[9].meta.organ
    texts[b] = texts[a].replace(a, b)
    found = near_copies(texts)
    assert set(found) == {a, b}
    assert found[a][0].other == b and found[a][0].share > 0.9


def test_region_end_to_end(tmp_path, reports):
    files = _write(tmp_path / "batch1", reports)
    # Organs that never sent anything, and one with an arithmetic error.
    expected = [ExpectedOrgan(r.meta.organ, r.meta.organ_type) for r in reports]
    expected += [ExpectedOrgan(f"某某区未报送第{i}局", "department") for i in range(7)]
    broken = copy.deepcopy(reports[5])
    broken.values[("requests", "carry_forward", "natural_person")] += 3
    exchange.dump_file(broken, files[5])
    # Two near-identical texts (a copied template).
    twin = copy.deepcopy(reports[11])
    twin.sections = {k: v.replace(reports[10].meta.organ, reports[11].meta.organ)
                     for k, v in reports[10].sections.items()}
    exchange.dump_file(twin, files[11])
    (tmp_path / "batch1" / "broken.json").write_text("{not json", encoding="utf-8")

    backend = MemoryBackend()
    backend.set_expected(YEAR, expected)
    coll = Collection(backend, YEAR)
    outcomes = coll.add(gather([tmp_path / "batch1"]))
    kept = [o for o in outcomes if o.kept]
    refused = [o for o in outcomes if not o.kept]
    assert len(kept) == len(reports)
    assert [Path(o.path).name for o in refused] == ["broken.json"]
    assert "JSON" in refused[0].status or "格式" in refused[0].status

    board = coll.dashboard()
    by_organ = {r.organ: r for r in board.rows}
    assert sorted(board.missing) == sorted(f"某某区未报送第{i}局" for i in range(7))
    assert by_organ[broken.meta.organ].status == T.STATUS_ERRORS
    assert by_organ[broken.meta.organ].errors >= 1
    assert [s.other for s in by_organ[twin.meta.organ].similar_to] == [reports[10].meta.organ]
    assert [s.other for s in by_organ[reports[10].meta.organ].similar_to] == [twin.meta.organ]
    others = [r for r in board.rows if r.organ not in (twin.meta.organ, reports[10].meta.organ)]
    assert all(not r.similar_to for r in others)
    assert by_organ[reports[0].meta.organ].figures["new"] == reports[0].value(("requests", "new", "total"))

    # A re-sent report replaces the earlier one; the earlier stays in the history.
    fixed = copy.deepcopy(broken)
    fixed.values[("requests", "carry_forward", "natural_person")] -= 3
    resend = tmp_path / "batch2" / "fixed.json"
    resend.parent.mkdir()
    exchange.dump_file(fixed, resend)
    again = coll.add(gather([resend, files[0]]))
    assert [o.status for o in again] == [T.REPLACED, T.UNCHANGED]
    assert backend.history and backend.history[-1].report.values == broken.values
    assert {r.organ: r for r in coll.dashboard().rows}[fixed.meta.organ].status != T.STATUS_ERRORS

    # Two files of one batch claiming the same organ and year: a conflict, neither kept.
    dup = tmp_path / "batch3"
    dup.mkdir()
    exchange.dump_file(reports[1], dup / "a.json")
    other = copy.deepcopy(reports[1])
    other.values[("proactive", "licensing", "decisions")] += 1
    exchange.dump_file(other, dup / "b.json")
    clash = coll.add(gather([dup]))
    assert all(not o.kept and "冲突" in o.status for o in clash) and len(clash) == 2

    data = board.as_json(coll.aggregate())
    json.dumps(data, ensure_ascii=False)
    assert set(data["organs"][0]) >= {"organ", "organ_type", "uid", "status", "errors", "warnings",
                                      "figures", "similar_to"}
    current = [e.report for e in coll.entries().values()]
    assert len(current) == len(reports)
    assert data["aggregate"]["tables"]["requests"]["new"]["total"] == sum(
        r.value(("requests", "new", "total")) for r in current)
    assert data["missing"] == board.missing


def test_expected_list_from_csv_in_gbk(tmp_path):
    p = tmp_path / "名单.csv"
    p.write_bytes("单位名称,单位类型\n某某区教育局,政府部门\n某某街道办事处,乡镇（街道）\n某某区某某中心,事业单位\n".encode("gbk"))
    organs, notes = read_expected(p, get_format("gb2021"))
    assert [(o.organ, o.organ_type) for o in organs] == [
        ("某某区教育局", "department"), ("某某街道办事处", "township"), ("某某区某某中心", None)]
    assert notes and "事业单位" in notes[0]


def test_a_file_of_the_wrong_year_is_refused():
    coll = Collection(MemoryBackend(), YEAR)
    r = organ_report(1, 2024)
    out = coll.add([Received(Path("x.json"), r)])
    assert not out[0].kept and "2024" in out[0].status


def test_the_store_keeps_the_collection_and_its_history(tmp_path):
    from gongkai_desktop.collection.store import open_collection
    from gongkai_desktop.storage.store import Store

    rs = region(5, YEAR, seed=3)
    with Store.open(tmp_path / "office.db", backups=False) as store:
        coll = open_collection(store, YEAR)
        coll.add([Received(Path(f"{i}.json"), r) for i, r in enumerate(rs)])
        resent = copy.deepcopy(rs[2])
        resent.values[("proactive", "licensing", "decisions")] += 7
        assert [o.status for o in coll.add([Received(Path("re.json"), resent)])] == [T.REPLACED]
        history = store.collection_history(YEAR, organ_key(rs[2].meta.organ))
        assert len(history) == 2
        # The earlier version is still there (in the recycle bin), the current one is the re-sent.
        assert store.load(history[0].report_id).values == rs[2].values
        current = {k: e for k, e in coll.entries().items()}[organ_key(rs[2].meta.organ)]
        assert current.report.values == resent.values and current.report_id == history[1].report_id
    with Store.open(tmp_path / "office.db", backups=False) as store:  # it survives a restart
        assert len(open_collection(store, YEAR).entries()) == 5


def test_command_line_collect_writes_json_excel_and_letter(tmp_path):
    import docx
    import openpyxl

    from gongkai_desktop.cli import main
    from gongkai_desktop.documents.plan import table_plan

    rs = region(40, YEAR, seed=5)
    rs[3].values[("requests", "new", "business")] += 2  # an arithmetic error
    folder = tmp_path / "in"
    _write(folder, rs)
    (folder / "junk.json").write_bytes(b"\xff\xfe not a report")
    expect = tmp_path / "list.csv"
    expect.write_text("单位名称\n" + "".join(r.meta.organ + "\n" for r in rs) + "某某区未报局\n", encoding="utf-8")
    db, xlsx, letter = tmp_path / "o.db", tmp_path / "o.xlsx", tmp_path / "l.docx"
    out = tmp_path / "out.json"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        rc = main(["--db", str(db), "collect", str(folder), "--year", str(YEAR), "--expect", str(expect),
                   "--json", "--xlsx", str(xlsx), "--letter", str(letter)])
    assert rc == 0
    out.write_text(buf.getvalue(), encoding="utf-8")
    data = json.loads(buf.getvalue())
    assert len(data["organs"]) == 40 and data["missing"] == ["某某区未报局"]
    assert [f["kept"] for f in data["files"] if f["path"].endswith("junk.json")] == [False]
    errors = {o["organ"]: o for o in data["organs"] if o["status"] == T.STATUS_ERRORS}
    assert list(errors) == [rs[3].meta.organ]
    total_new = sum(r.value(("requests", "new", "total")) for r in rs)
    assert data["aggregate"]["tables"]["requests"]["new"]["total"] == total_new

    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames[0] == T.SHEET_DASHBOARD and T.SHEET_FINDINGS in wb.sheetnames
    ws = wb[T.SHEET_DASHBOARD]
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    assert [c.value for c in ws[1]][:3] == [T.COL_ORGAN, T.COL_TYPE, T.COL_STATUS]
    assert ws.column_dimensions["A"].width >= 14  # Chinese organ names fit
    t3 = wb[T.SHEET_TABLE.format(number="三")]
    agg_plan = table_plan(rs[0], rs[0].format.tables["requests"])
    merged = {str(r) for r in t3.merged_cells.ranges}
    expect_merged = {f"{openpyxl.utils.get_column_letter(c.col + 1)}{c.row + 1}:"
                     f"{openpyxl.utils.get_column_letter(c.col + c.colspan)}{c.row + c.rowspan}"
                     for c in agg_plan.cells if c.rowspan > 1 or c.colspan > 1}
    assert merged == expect_merged
    new_row = next(c for c in agg_plan.cells if c.key == ("requests", "new", "total"))
    assert t3.cell(row=new_row.row + 1, column=new_row.col + 1).value == total_new
    findings = wb[T.SHEET_FINDINGS]
    assert any(row[0].value == rs[3].meta.organ for row in findings.iter_rows(min_row=2))

    text = "\n".join(p.text for p in docx.Document(letter).paragraphs)
    assert rs[3].meta.organ in text and "某某区未报局" in text
    assert rs[4].meta.organ not in text  # an organ without findings is not written to


def test_an_exchange_file_with_its_word_copy_is_one_report(tmp_path):
    """Offices send the exchange file with the .docx: the exchange file is kept, the copy noted;
    two exchange files for one organ are still a conflict."""
    from gongkai_desktop.documents.export import export_report

    r = organ_report(4, YEAR, seed=2)
    batch = tmp_path / "b"
    batch.mkdir()
    exchange.dump_file(r, batch / "a.json")
    export_report(r, outputs={"docx": batch / "a.docx"})
    coll = Collection(MemoryBackend(), YEAR)
    out = {Path(o.path).name: o for o in coll.add(gather([batch]))}
    assert out["a.json"].kept and out["a.json"].status == T.ADDED
    assert not out["a.docx"].kept and "交换文件为准" in out["a.docx"].status


def test_missing_organs_have_no_counts_and_a_respelled_duplicate_is_said(tmp_path):
    from gongkai_desktop.collection.dashboard import missing_row

    row = missing_row("某某区未报局", "department", get_format("gb2021"))
    assert row.errors is None and row.warnings is None
    p = tmp_path / "list.csv"
    p.write_text("单位名称\n某某区第3局\n某某区第３局\n", encoding="utf-8")
    organs, notes = read_expected(p, get_format("gb2021"))
    assert [o.organ for o in organs] == ["某某区第3局"]
    assert notes and "只计一次" in notes[0]


def test_the_findings_sheet_names_sections_and_cells_and_lists_near_copies(tmp_path):
    import openpyxl

    from gongkai_desktop.collection.workbook import workbook_bytes

    rs = region(12, YEAR, seed=9)
    rs[1].values[("requests", "new", "business")] += 1
    rs[2].sections = {k: v.replace(rs[3].meta.organ, rs[2].meta.organ) for k, v in rs[3].sections.items()}
    coll = Collection(MemoryBackend(), YEAR)
    coll.add([Received(Path(f"{i}.json"), r) for i, r in enumerate(rs)])
    path = tmp_path / "w.xlsx"
    path.write_bytes(workbook_bytes(coll.dashboard(), coll.aggregate()))
    ws = openpyxl.load_workbook(path)[T.SHEET_FINDINGS]
    lines = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    error = next(line for line in lines if line[0] == rs[1].meta.organ)
    assert error[5] == "三、收到和处理政府信息公开申请情况"
    assert "商业企业" in error[6] and "requests/" not in error[6]
    copies = [line for line in lines if line[3] == T.COLLECTION_RULE]
    assert {line[0] for line in copies} == {rs[2].meta.organ, rs[3].meta.organ}


def test_checking_in_forked_processes_gives_the_same_rows():
    """The command line checks a region's reports in several processes; the dashboard must not
    depend on how many."""
    import multiprocessing

    from gongkai_desktop.collection.parallel import PARALLEL_FROM

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform: the intake checks in one process")
    rs = region(PARALLEL_FROM + 10, YEAR, seed=21)
    rs[7].values[("requests", "new", "business")] += 1
    one, two = MemoryBackend(), MemoryBackend()
    Collection(one, YEAR).add([Received(Path(f"{i}.json"), copy.deepcopy(r)) for i, r in enumerate(rs)])
    Collection(two, YEAR).add([Received(Path(f"{i}.json"), copy.deepcopy(r)) for i, r in enumerate(rs)],
                              workers=2)
    caches_one = {k: e.cache for k, e in one.entries(YEAR).items()}
    caches_two = {k: e.cache for k, e in two.entries(YEAR).items()}
    assert caches_one == caches_two
    assert caches_two[organ_key(rs[7].meta.organ)]["row"]["errors"] == 1


def test_reading_in_forked_processes_gives_the_same_reports(tmp_path):
    import multiprocessing

    from gongkai_desktop.collection.parallel import PARALLEL_FROM

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform: files are read in one process")
    rs = region(PARALLEL_FROM + 5, YEAR, seed=31)
    folder = tmp_path / "in"
    _write(folder, rs)
    (folder / "zz-bad.json").write_text("{", encoding="utf-8")
    one, two = gather([folder]), gather([folder], workers=2)
    assert [r.path for r in one] == [r.path for r in two]
    assert [r.message for r in one] == [r.message for r in two] and two[-1].report is None
    assert [exchange.dumps(r.report) for r in one if r.report] == [exchange.dumps(r.report) for r in two if r.report]
