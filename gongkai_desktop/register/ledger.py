"""The register of applications (依申请公开登记台账): read it, and count the 表三 it implies.

One row per application. Columns are found by their usual headers, or by a mapping the clerk
made once (``MAP.json``: ``{"columns": {field: header}, "results": {local name: row},
"applicants": {local name: column}}``, rows and columns as ids or as the labels of forms/).

Counting (practice.md; the format's definitions): 一 received in the year; 二 received before the
year and still open at its start; the result rows of 三 closed in the year (a partly disclosed
application only under （二）); 四 still open at the year's end. Applicant types go to the six
columns; what cannot be mapped is listed, never guessed. Deadlines: 20 working days from receipt
(from the 补正 when there is one), extendable by 20 — China's working days, with make-up days.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import GongkaiError
from ..report.formats import Format, Table, format_for_year, get_format
from . import texts as T
from ..storage.fileio import os_error_text

MAX_BYTES = 30 * 1024 * 1024
MAX_ROWS = 100_000
HEADER_SCAN = 15
TABLE_ID = "requests"


class LedgerError(GongkaiError):
    """The register cannot be read; nothing was written."""


# ---------------------------------------------------------------------------------------------
# Headers the offices use

HEADERS = {
    "applicant_type": ("申请人类型", "申请人性质", "申请人类别", "申请主体类型", "申请人身份", "申请人分类", "申请主体"),
    "received": ("收到日期", "申请日期", "受理日期", "收到申请日期", "申请时间", "收到时间", "受理时间", "登记日期",
                 "接收日期", "收件日期"),
    "result": ("办理结果", "答复结果", "处理结果", "答复类型", "办理结果类型", "答复情况", "处理情况"),
    "answered": ("答复日期", "办结日期", "答复时间", "办结时间", "处理日期", "回复日期"),
    "status": ("办理状态", "状态", "是否办结"),
    "extended": ("是否延期", "延期", "延长答复期限", "是否延长"),
    "corrected": ("补正日期", "补正收到日期", "收到补正日期", "补正时间"),
    "number": ("申请编号", "编号", "序号", "登记号", "流水号"),
}
REQUIRED = ("applicant_type", "received", "result")

# Local applicant names → the six columns. 「法人或其他组织」 is too coarse for five columns: listed.
# Organisations first: 「村民委员会」 and 「农民专业合作社」 name people but are not natural persons.
APPLICANTS = (
    (("律师", "律所", "法律服务", "律师事务所", "法律援助"), "legal_service"),
    (("科研", "研究", "高校", "大学", "学院", "学校"), "research"),
    (("社会公益", "公益", "社会组织", "协会", "基金会", "社团", "民办非企业"), "public_interest"),
    (("商业企业", "企业", "公司", "个体工商户", "商户", "合作社"), "business"),
    (("其他组织", "其他", "机关", "事业单位", "村委会", "居委会", "村民委员会", "居民委员会"), "other_org"),
    (("自然人", "公民", "个人", "群众", "居民", "农民", "村民"), "natural_person"),
)

# Local result names → rows of 表三 三、本年度办理结果. Checked in order: 部分公开 first (a
# partly disclosed application counts only there), then the specific grounds.
RESULTS = (
    (("部分公开",), "partial"),
    (("国家秘密", "涉密"), "withheld_secret"),
    (("法律行政法规禁止", "法律、行政法规禁止", "禁止公开"), "withheld_prohibited"),
    (("三安全一稳定", "危及国家安全", "危及公共安全", "危及经济安全", "危及社会稳定"), "withheld_safety"),
    (("第三方",), "withheld_third_party"),
    (("内部事务",), "withheld_internal"),
    (("过程性",), "withheld_process"),
    (("行政执法案卷", "执法案卷"), "withheld_enforcement"),
    (("行政查询",), "withheld_query"),
    (("补正后申请内容仍不明确", "补正后仍不明确", "内容仍不明确"), "unable_unclear"),
    (("另行制作", "没有现成信息", "需要加工", "加工分析"), "unable_needs_creation"),
    (("不掌握", "信息不存在", "不存在", "非本机关", "无相关信息"), "unable_not_held"),
    (("信访", "举报", "投诉"), "refused_petition"),
    (("重复申请",), "refused_repeat"),
    (("公开出版物", "出版物"), "refused_publication"),
    (("大量反复",), "refused_massive"),
    (("确认", "重新出具"), "refused_confirm"),
    (("逾期不补正", "未补正", "不补正"), "other_no_correction"),
    (("缴纳费用", "未缴费", "缴费"), "other_no_fee"),
    (("撤回", "撤销", "放弃", "其他处理"), "other_other"),
    (("予以公开", "同意公开", "全部公开", "已公开", "公开"), "disclosed"),
)
# The 2019 format has one （六）其他处理 row for the three of 2021.
FALLBACK_ROWS = {"other_no_correction": "other_handling", "other_no_fee": "other_handling",
                 "other_other": "other_handling"}

OPEN_WORDS = ("办理中", "在办", "未办结", "受理中", "处理中", "待答复", "延期办理", "正在办理", "否")
CLOSED_WORDS = ("已办结", "办结", "已答复", "完成", "已处理", "是")
YES_WORDS = ("是", "已延期", "延期", "Y", "y", "yes", "√", "1")


def _key(text: Any) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", str(text or "")).replace("（", "(").replace("）", ")")


# ---------------------------------------------------------------------------------------------
# Reading the file


def read_rows(path: str | os.PathLike, what: str = T.WHAT_LEDGER,
              score: Callable[[list[list[Any]]], int] | None = None) -> list[list[Any]]:
    """The rows of a CSV (UTF-8 or GBK, comma or tab) or of a spreadsheet's best sheet — the one
    ``score`` rates highest (by default, the one whose header looks most like a register). ``what``
    names the document in the messages (the register, or a supervising office's list of organs)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LedgerError(T.CANNOT_READ.format(what=what, path=path, detail=os_error_text(exc))) from None
    if size > MAX_BYTES:
        raise LedgerError(T.TOO_BIG.format(what=what, size_mb=size / 2**20, limit_mb=MAX_BYTES // 2**20))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, what)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"):
        return _read_sheet(path, what, score or (lambda rows: _header_row(rows)[1]))
    raise LedgerError(T.UNKNOWN_KIND.format(what=what, suffix=suffix or "（无扩展名）"))


def _read_csv(path: Path, what: str) -> list[list[Any]]:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        text = data.decode("utf-8", "replace")
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(rows) > MAX_ROWS:
        raise LedgerError(T.TOO_MANY_ROWS.format(what=what, rows=len(rows), limit=MAX_ROWS))
    return rows


def _read_sheet(path: Path, what: str, score: Callable[[list[list[Any]]], int]) -> list[list[Any]]:
    try:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        best: list[list[Any]] = []
        best_score = -1
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if len(rows) > MAX_ROWS:
                raise LedgerError(T.TOO_MANY_ROWS.format(what=what, rows=len(rows), limit=MAX_ROWS))
            rated = score(rows)
            if rated > best_score:
                best, best_score = rows, rated
        return best
    except LedgerError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for every broken file
        raise LedgerError(T.BAD_SHEET.format(what=what, path=path, detail=str(exc)[:120] or type(exc).__name__)) from None


def _header_row(rows: list[list[Any]], extra: dict[str, str] | None = None) -> tuple[int, int]:
    best, score = -1, 0
    for i, row in enumerate(rows[:HEADER_SCAN]):
        cells = [_key(c) for c in row]
        s = sum(1 for f in HEADERS if _find_column(cells, f, extra) is not None)
        if s > score:
            best, score = i, s
    return best, score


def _find_column(cells: list[str], field_id: str, extra: dict[str, str] | None = None) -> int | None:
    if extra and field_id in extra:
        wanted = _key(extra[field_id])
        return cells.index(wanted) if wanted in cells else None
    names = [_key(n) for n in HEADERS[field_id]]
    for n in names:  # exact header first
        if n in cells:
            return cells.index(n)
    for n in names:
        for i, c in enumerate(cells):
            if c and n in c and len(c) <= len(n) + 6:
                return i
    return None


# ---------------------------------------------------------------------------------------------
# The mapping (MAP.json)


@dataclass
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    results: dict[str, str] = field(default_factory=dict)  # local name → row id
    applicants: dict[str, str] = field(default_factory=dict)  # local name → column id


def load_map(path: str | os.PathLike, table: Table) -> Mapping:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        detail = os_error_text(exc) if isinstance(exc, OSError) else exc
        raise LedgerError(T.BAD_MAP.format(path=path, detail=detail)) from None
    if not isinstance(doc, dict):
        raise LedgerError(T.BAD_MAP.format(path=path, detail="应为 JSON 对象"))
    problems = []
    m = Mapping()
    for f, header in (doc.get("columns") or {}).items():
        if f not in HEADERS:
            problems.append(T.MAP_UNKNOWN_FIELD.format(field=f, choices="、".join(HEADERS)))
        else:
            m.columns[f] = str(header)
    rows = {r.id: r for r in table.rows()}
    labels = {_key(r.label): r.id for r in table.rows()} | {_key("".join(r.path()[1:])): r.id for r in table.rows()}
    for name, target in (doc.get("results") or {}).items():
        rid = target if target in rows else labels.get(_key(target))
        if rid is None:
            problems.append(T.MAP_UNKNOWN_ROW.format(name=name, target=target))
        else:
            m.results[_key(name)] = rid
    cols = {c.id: c for c in table.columns()}
    col_labels = {_key(c.label): c.id for c in table.columns()}
    for name, target in (doc.get("applicants") or {}).items():
        cid = target if target in cols else col_labels.get(_key(target))
        if cid is None:
            problems.append(T.MAP_UNKNOWN_COL.format(name=name, target=target))
        else:
            m.applicants[_key(name)] = cid
    if problems:
        raise LedgerError(T.BAD_MAP.format(path=path, detail="；".join(problems)))
    return m


def headers(path: str | os.PathLike, rows: list[list[Any]] | None = None) -> list[str]:
    """The register's column headers as written (the header row found, else the first row with
    text): what the clerk picks from when mapping columns."""
    rows = read_rows(path) if rows is None else rows
    hi, _ = _header_row(rows)
    if hi < 0:
        hi = next((i for i, r in enumerate(rows[:HEADER_SCAN]) if any(str(c).strip() for c in r if c is not None)), -1)
    return [] if hi < 0 else [str(c).strip() for c in rows[hi] if c is not None and str(c).strip()]


NOT_RESULTS = ("new", "carried", "total", "carry_forward")  # 表三 rows that are not a result


def guess_columns(header_texts: list[str], mapping: Mapping | None = None) -> dict[str, str]:
    """Which header each field would be read from (the mapping's choice first, then the usual
    headers): what the mapping dialog proposes."""
    keys = [_key(h) for h in header_texts]
    out: dict[str, str] = {}
    for f in HEADERS:
        i = _find_column(keys, f, mapping.columns if mapping and f in mapping.columns else None)
        if i is not None and header_texts[i] not in out.values():
            out[f] = header_texts[i]
    return out


def save_map(path: str | os.PathLike, mapping: Mapping) -> None:
    """Remember the clerk's mapping (the same JSON ``--map`` reads)."""
    from ..storage.fileio import write_atomic

    doc = {"columns": mapping.columns, "results": mapping.results, "applicants": mapping.applicants}
    write_atomic(path, (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# Values of one row

_EXCEL_EPOCH = _dt.date(1899, 12, 30)


def parse_date(value: Any) -> _dt.date | None | bool:
    """A date from a cell: a real date, an Excel serial, or text (2025-03-05, 2025/3/5,
    2025.3.5, 2025年3月5日, 20250305). None for empty, False for not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        if 20000 < value < 80000:
            return _EXCEL_EPOCH + _dt.timedelta(days=int(value))
        if 19000101 <= value <= 29991231:
            value = str(int(value))
        else:
            return False
    s = str(value).strip().translate({ord("０") + i: ord("0") + i for i in range(10)})
    if not s:
        return None
    m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$", s)
    if not m:
        m = re.match(r"^(\d{4})(\d{2})(\d{2})$", s)
    if not m:
        if re.fullmatch(r"\d{5}(\.\d+)?", s):
            return parse_date(float(s))
        return False
    try:
        return _dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False


def map_applicant(text: str, mapping: Mapping) -> str | None:
    k = _key(text)
    if not k:
        return None
    if k in mapping.applicants:
        return mapping.applicants[k]
    if k in ("法人或其他组织", "法人", "法人或者其他组织", "组织"):
        return None  # too coarse for the five columns: the clerk decides (MAP.json)
    for words, col in APPLICANTS:
        if any(w in k for w in words):
            return col
    return None


def map_result(text: str, mapping: Mapping, table: Table) -> str | None:
    k = _key(text)
    if not k:
        return None
    if k in mapping.results:
        return mapping.results[k]
    rows = {r.id for r in table.rows()}
    # 「不予公开」 without its ground is not 「予以公开」: listed for the clerk, not guessed.
    refused = any(w in k for w in ("不予公开", "不予以公开", "不公开", "不予处理", "无法提供", "不能提供"))
    # The official labels themselves (「4.保护第三方合法权益」, 「（四）无法提供1.本机关不掌握…」).
    for r in table.rows():
        bare = re.sub(r"^(\(\S\)|\d+\.)", "", _key(r.label))
        if r.id not in NOT_RESULTS and len(bare) >= 4 and bare in k \
                and not (refused and r.id == "disclosed"):
            return r.id
    for words, rid in RESULTS:
        if rid == "disclosed" and refused:
            continue
        if any(_key(w) in k for w in words):
            rid = rid if rid in rows else FALLBACK_ROWS.get(rid, rid)
            return rid if rid in rows else None
    return None


# ---------------------------------------------------------------------------------------------
# Working days


class WorkCalendar:
    def __init__(self) -> None:
        self.unknown_years: set[int] = set()
        self._cache: dict[_dt.date, bool] = {}

    def is_workday(self, d: _dt.date) -> bool:
        got = self._cache.get(d)
        if got is None:
            try:
                import chinese_calendar

                got = chinese_calendar.is_workday(d)
            except (NotImplementedError, ImportError):
                self.unknown_years.add(d.year)
                got = d.weekday() < 5
            self._cache[d] = got
        return got

    def add_workdays(self, start: _dt.date, n: int) -> _dt.date:
        """The n-th working day after ``start`` (the day of receipt itself is not counted)."""
        d = start
        while n > 0:
            d += _dt.timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d


# ---------------------------------------------------------------------------------------------
# Counting


@dataclass
class LedgerResult:
    path: str
    year: int
    format_id: str
    values: dict[tuple[str, str], int]  # (row id, column id) → count; typed cells only
    columns: dict[str, str]  # field → header as found
    rows: int
    counts: dict[str, int]
    unmapped: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    unknown_applicants: list[str] = field(default_factory=list)  # local names the clerk may map
    unknown_results: list[str] = field(default_factory=list)

    @property
    def table(self) -> Table:
        return get_format(self.format_id).tables[TABLE_ID]

    def as_json(self) -> dict:
        out: dict[str, dict[str, int]] = {}
        for (r, c), n in self.values.items():
            out.setdefault(r, {})[c] = n
        return {"requests": out, "unmapped": self.unmapped, "hints": self.hints,
                "columns": self.columns, "year": self.year, "format": self.format_id}

    def cells(self) -> dict[tuple[str, str, str], int]:
        return {(TABLE_ID, r, c): n for (r, c), n in self.values.items()}

    def summary_lines(self) -> list[str]:
        out = [T.SUMMARY.format(path=self.path, rows=self.rows, year=self.year, **self.counts)]
        out.append(T.SUMMARY_COLUMNS.format(columns="、".join(
            f"{T.FIELDS[f]}＝「{h}」" for f, h in self.columns.items())))
        out.append(T.SUMMARY_BASIS.format(year=self.year))
        if self.unmapped:
            out.append(T.SUMMARY_UNMAPPED.format(count=len(self.unmapped)))
            out += [f"  {u}" for u in self.unmapped]
        if self.hints:
            out.append(T.SUMMARY_HINTS.format(count=len(self.hints)))
            out += [f"  {h}" for h in self.hints]
        return out


def _is_yes(v: Any) -> bool:
    return _key(v) in YES_WORDS


def count(path: str | os.PathLike, year: int, mapping: Mapping | None = None, *,
          fmt: Format | None = None, rows: list[list[Any]] | None = None) -> LedgerResult:
    fmt = fmt or format_for_year(year)
    table = fmt.tables[TABLE_ID]
    mapping = mapping or Mapping()
    rows = read_rows(path) if rows is None else rows
    hi, _ = _header_row(rows, mapping.columns)
    if hi < 0:
        raise LedgerError(T.NO_HEADER.format(path=path, rows=HEADER_SCAN))
    header = [_key(c) for c in rows[hi]]
    cols: dict[str, int] = {}
    for f in HEADERS:
        if f in mapping.columns:
            i = _find_column(header, f, mapping.columns)
            if i is None:
                raise LedgerError(T.MAP_NO_COLUMN.format(column=mapping.columns[f], field=T.FIELDS[f]))
            cols[f] = i
        else:
            i = _find_column(header, f)
            if i is not None and i not in cols.values():
                cols[f] = i
    missing = [T.FIELDS[f] for f in REQUIRED if f not in cols]
    if missing:
        raise LedgerError(T.MISSING_COLUMNS.format(columns="、".join(missing),
                                                   found="、".join(f"「{h}」" for h in rows[hi] if str(h).strip())))
    start, end = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    col_ids = [c.id for c in table.columns() if (TABLE_ID, "new", c.id) not in fmt.derived]
    result_rows = [r.id for r in table.rows()]
    values: dict[tuple[str, str], int] = {}
    for rid in result_rows:
        for cid in col_ids:
            if (TABLE_ID, rid, cid) not in fmt.derived:
                values[(rid, cid)] = 0
    cal = WorkCalendar()
    unmapped: list[str] = []
    hints: list[str] = []
    unknown_applicants: list[str] = []
    unknown_results: list[str] = []
    counts = {"new": 0, "carried": 0, "closed": 0, "open": 0}
    n_rows = 0

    def get(row, f):
        i = cols.get(f)
        return row[i] if i is not None and i < len(row) else None

    for offset, row in enumerate(rows[hi + 1:]):
        line = hi + 2 + offset  # the spreadsheet's own row number
        if not any(str(c).strip() for c in row if c is not None):
            continue
        n_rows += 1
        number = get(row, "number")
        num_text = T.ROW_NUMBER.format(number=_show(number)) if number not in (None, "") else ""

        def bad(problem: str) -> None:
            unmapped.append(T.ROW_AT.format(row=line, number=num_text, problem=problem))

        received = parse_date(get(row, "received"))
        if received is None:
            bad(T.NO_RECEIVED)
            continue
        if received is False:
            bad(T.BAD_DATE.format(field=T.FIELDS["received"], text=_show(get(row, "received"))))
            continue
        if received > end:
            continue
        answered = parse_date(get(row, "answered"))
        if answered is False:
            bad(T.BAD_DATE.format(field=T.FIELDS["answered"], text=_show(get(row, "answered"))))
            continue
        if answered and answered < received:
            bad(T.ANSWER_BEFORE_RECEIPT.format(answered=answered, received=received))
            continue
        result_text = _show(get(row, "result"))
        status = _key(get(row, "status"))
        open_status = bool(status) and any(w in status for w in OPEN_WORDS)
        closed_status = bool(status) and not open_status and any(w in status for w in CLOSED_WORDS)
        # The answer date decides; without one, a result or a 已办结 status closes the case.
        closed = answered is not None or ((bool(result_text) or closed_status) and not open_status)
        closed_on = answered
        if closed and answered is None:
            closed_on = max(received, start)
            hints.append(T.HINT_NO_ANSWER_DATE.format(row=line, number=num_text, result=result_text or status))
        if closed_on is not None and closed_on < start:
            continue  # finished before the year: not in this year's table
        applicant_text = _show(get(row, "applicant_type"))
        col = map_applicant(applicant_text, mapping)
        if col is None:
            bad(T.UNMAPPED_APPLICANT.format(text=applicant_text) if applicant_text else T.EMPTY_APPLICANT)
            if applicant_text and applicant_text not in unknown_applicants:
                unknown_applicants.append(applicant_text)
            continue
        if received >= start:
            values[("new", col)] += 1
            counts["new"] += 1
        else:
            values[("carried", col)] += 1
            counts["carried"] += 1
        if closed and closed_on is not None and closed_on <= end:
            rid = map_result(result_text, mapping, table)
            if rid is None:
                bad(T.UNMAPPED_RESULT.format(text=result_text) if result_text else T.EMPTY_RESULT)
                if result_text and result_text not in unknown_results:
                    unknown_results.append(result_text)
            else:
                values[(rid, col)] += 1
                counts["closed"] += 1
            if answered is not None:
                _deadline(cal, line, num_text, received, answered, get(row, "corrected"),
                          get(row, "extended") if "extended" in cols else None, "extended" in cols, hints)
        else:
            values[("carry_forward", col)] += 1
            counts["open"] += 1
    if cal.unknown_years:
        hints.append(T.HINT_CALENDAR.format(years="、".join(map(str, sorted(cal.unknown_years)))))
    found = {f: str(rows[hi][i]).strip() for f, i in cols.items()}
    return LedgerResult(str(path), year, fmt.id, values, found, n_rows, counts, unmapped, hints,
                        unknown_applicants, unknown_results)


def _show(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _deadline(cal: WorkCalendar, line: int, num_text: str, received: _dt.date, answered: _dt.date,
              corrected: Any, extended: Any, has_ext_column: bool, hints: list[str]) -> None:
    base = received
    c = parse_date(corrected)
    if c:
        base = max(base, c)  # the time limit runs from the 补正 (条例 Art. 30)
    limit20 = cal.add_workdays(base, 20)
    if answered <= limit20:
        return
    limit40 = cal.add_workdays(limit20, 20)
    if has_ext_column:
        ext = _is_yes(extended)
        deadline = limit40 if ext else limit20
        if answered > deadline:
            hints.append(T.HINT_LATE.format(row=line, number=num_text, received=received, answered=answered,
                                            limit_text=T.LIMIT_40 if ext else T.LIMIT_20, deadline=deadline))
        return
    if answered > limit40:
        hints.append(T.HINT_LATE.format(row=line, number=num_text, received=received, answered=answered,
                                        limit_text=T.LIMIT_40, deadline=limit40))
    else:
        hints.append(T.HINT_LATE_NO_EXT_COLUMN.format(row=line, number=num_text, received=received,
                                                      answered=answered, deadline=limit20, extended=limit40))


# ---------------------------------------------------------------------------------------------
# Against a typed table


def differing_cells(report, result: LedgerResult) -> list[tuple[tuple[str, str, str], Any, int]]:
    """(cell, typed value, computed) for every typed cell of 表三 that differs; cells the clerk
    left blank count as differing only when the register has cases there."""
    fmt = report.format
    out = []
    for (rid, cid), n in result.values.items():
        key = (TABLE_ID, rid, cid)
        if not fmt.has_cell(key) or key in fmt.derived:
            continue
        typed = report.values.get(key)
        if typed != n and not (typed is None and n == 0):
            out.append((key, typed, n))
    return out


def compare(report, result: LedgerResult) -> list[tuple[str, Any, int]]:
    """:func:`differing_cells` with each cell named as messages name it."""
    return [(report.format.cell_name(k), typed, n) for k, typed, n in differing_cells(report, result)]


def changes_for(report, result: LedgerResult) -> list[tuple[tuple[str, str, str], int]]:
    """The cell writes that put the computed table into ``report`` (only cells that change)."""
    fmt = report.format
    return [(k, n) for k, n in result.cells().items()
            if fmt.has_cell(k) and k not in fmt.derived and report.values.get(k) != n]
