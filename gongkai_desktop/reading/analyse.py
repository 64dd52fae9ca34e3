"""From the neutral stream of a published report to a :class:`Report` and a reading report.

Title (organ and year), the six sections by their headings, the three tables, the opening
paragraphs, the sign-off and its date. Every step that is not an exact reading is written into
the reading report; a file that does not look like a report is refused.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field

from ..errors import YearError
from ..report.formats import Format, all_formats, format_for_year
from ..report.model import MAX_TEXT, Report, format_date, guess_organ_type, strip_unwritable
from . import texts as T
from .source import DRAFT_LINE, Para, ReadingError, Source, TableItem, load
from .tables import TableResult, format_score, is_value_text, key, read_table, split_row

# What marks each section's heading besides its number: published reports vary the rest
# (「四、因政府信息公开工作被申请行政复议、提起行政诉讼情况」, 「五、政府信息公开工作存在的主要问题及改进情况」).
# Table 三's row labels 「一、本年新收…」…「四、结转…」 carry none of these words.
SECTION_MARKS = {
    "overview": ("总体情况", "总体概况", "基本情况"),
    "proactive": ("主动公开",),
    "requests": ("收到和处理", "依申请公开", "申请情况"),
    "appeals": ("复议", "诉讼"),
    "problems": ("问题",),
    "other": ("其他需要报告", "其他事项", "需要报告的"),
}
_NUMERALS = "一二三四五六七八九十"
_HEADING_NUM = re.compile(r"^(?:第([一二三四五六])部分[、：:\s]*|([一二三四五六])[、.．，]\s*)")
MAX_HEADING = 48

_TITLE_PATTERNS = [
    re.compile(r"(?P<organ>[^\s，。；：:、>|_]{2,60}?)(?:关于)?(?P<year>(?:19|20)\d\d)\s*年度?\s*(?:的)?政府信息公开工?作?年度?报告"),
    re.compile(r"(?P<year>(?:19|20)\d\d)\s*年度?(?P<organ>[^\s，。；：:、>|_]{2,60}?)政府信息公开工?作?年度?报告"),
    re.compile(r"(?P<organ>[^\s，。；：:、>|_]{2,60}?)政府信息公开工作(?P<year>(?:19|20)\d\d)\s*年度报告"),
]
_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_DATE = re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?$")
_NOISE = re.compile(
    r"^(发布(时间|日期|机构|单位)|来源|信息来源|浏览(次数|量)?|阅读(次数|量)?|点击(数|量|率)?|字号|字体|【|\[|分享|打印|关闭|"
    r"索引号|文\s*号|发文字号|成文日期|发文机关|发布机关|主题分类|生效日期|时效|有效性|首页|当前位置|您当前的位置|"
    r"扫一扫|相关(附件|链接|文件|信息)|附件[:：]|上一篇|下一篇|责任编辑|编辑[:：]|作者[:：])")
def _is_noise(text: str) -> bool:
    """A web page's own furniture (information box, 发布时间, print/close links), also written
    with spaces inside (「索 引 号」)."""
    return bool(_NOISE.match(re.sub(r"[\s\u3000\xa0]+", "", text)))


_STATS_YEAR = re.compile(r"统计期限为\s*((?:19|20)\d\d)\s*年")


@dataclass
class Reading:
    """What was read, and the report of how."""

    report: Report
    source: Source
    tables: list[TableResult]
    table_format: Format
    format_from_tables: bool
    sections_found: list[tuple[str, str]] = field(default_factory=list)  # (section id, as printed)
    sections_missing: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unmatched_tables: list[str] = field(default_factory=list)

    def report_lines(self) -> list[str]:
        src = self.source
        kind = T.KIND_LABELS.get(src.kind, src.kind)
        if src.kind == "office":
            kind = kind.format(suffix=os.path.splitext(src.path)[1].lower())
        fmt = self.report.format
        m = self.report.meta
        out = [T.REPORT_HEAD.format(path=src.path, kind=kind)]
        out.append((T.REPORT_FORMAT if self.format_from_tables else T.REPORT_FORMAT_BY_YEAR).format(
            name=self.table_format.name, format_id=self.table_format.id))
        out.append(T.REPORT_META.format(organ=m.organ, year=m.year, date=format_date(m.issue_date) or T.DATE_UNKNOWN,
                                        organ_type=fmt.organ_type_label(m.organ_type)))
        out += [T.REPORT_GUESS.format(text=g) for g in self.guesses]
        out.append(T.REPORT_SECTIONS.format(found="、".join(h for _, h in self.sections_found) or T.NONE))
        if self.sections_missing:
            out.append(T.REPORT_SECTIONS_MISSING.format(missing="、".join(self.sections_missing)))
        for t in self.tables:
            out.append(T.REPORT_TABLE.format(number=t.table.number, name=t.table.name, found=t.found,
                                             expected=t.expected))
            out += [T.REPORT_GUESS.format(text=g) for g in t.guesses]
            out += [T.REPORT_SKIP.format(text=s) for s in t.skipped]
            if t.blanks:
                out.append(T.REPORT_BLANK.format(cells="、".join(t.blanks)))
        out += [T.REPORT_UNMATCHED.format(text=u) for u in self.unmatched_tables]
        out += [T.REPORT_NOTE.format(text=n) for n in self.notes + src.notes]
        return out

    def report_text(self) -> str:
        return "\n".join(self.report_lines()) + "\n"


# ---------------------------------------------------------------------------------------------


def read_file(path: str | os.PathLike, *, today: _dt.date | None = None) -> Reading:
    """Read a published report file. Raises :class:`ReadingError` (Chinese message) when the file
    cannot be read or is not a report; nothing is stored here."""
    src = load(path)
    return analyse(src, today=today)


def _clean_para(text: str) -> str:
    return re.sub(r"^[\s\u3000\xa0]+|[\s\u3000\xa0]+$", "", text)


def _heading_of(text: str, fmt: Format, after: int) -> tuple[int, str, bool] | None:
    """(index of the section, id, exact) when ``text`` is the heading of a section after ``after``."""
    t = re.sub(r"[\s\u3000\xa0]+", "", text)
    if not t or len(t) > MAX_HEADING:
        return None
    m = _HEADING_NUM.match(t)
    number = (m.group(1) or m.group(2)) if m else None
    rest = t[m.end():] if m else t
    if rest.endswith(("。", "：", ":")):
        rest = rest[:-1]
    if not rest or any(ch in rest for ch in "。；") or rest[:1].isdigit():
        return None
    for i, s in enumerate(fmt.sections):
        if i <= after:
            continue
        if number is not None and _NUMERALS.index(number) != i:
            continue
        if number is None and len(rest) > 24:
            continue
        official = key(s.heading)
        if key(t) == official:
            return i, s.id, True
        if any(mark in rest for mark in SECTION_MARKS.get(s.id, ())) and (number is not None or i == after + 1):
            return i, s.id, False
    return None


def _year_of(text: str) -> int:
    return int("".join(_CN_DIGITS.get(c, c) for c in text))


def _find_title(paras: list[tuple[int, str]]) -> tuple[str, int, int, int] | None:
    """(organ, year, first item index, last item index) of the first title, also when broken
    over two or three lines."""
    for span in (1, 2, 3):  # a whole title on one line wins over pieces joined
        for j, (idx, text) in enumerate(paras):
            chunk = "".join(_cn_year(t) for _, t in paras[j:j + span])
            chunk = re.sub(r"[\s\u3000\xa0]+", "", chunk)
            if len(chunk) > 90 or j + span > len(paras):
                continue
            if re.search(r"[，。；]", chunk.rstrip("。")):
                continue  # a sentence that names the report (「现公布……年度报告。」) is not its title
            for pat in _TITLE_PATTERNS:
                mt = pat.search(chunk)
                if mt and (mt.end() >= len(chunk) - 2):
                    organ = mt.group("organ").strip("《》“”\"")
                    return organ, int(mt.group("year")), idx, paras[j + span - 1][0]
    return None


def _cn_year(text: str) -> str:
    # 「二〇二三年」 → 「2023年」 (titles and sign-off dates in Chinese numerals).
    return re.sub(r"[〇○零一二三四五六七八九Ｏ]{4}(?=年)", lambda m: "".join(_CN_DIGITS[c] for c in m.group(0)), text)


_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _cn_small(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_NUM for c in text):
        return None
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_NUM[text[1]]
    if len(text) == 2 and text[1] == "十":
        return _CN_NUM[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return _CN_NUM[text[0]] * 10 + _CN_NUM[text[2]]
    return _CN_NUM[text] if len(text) == 1 else None


def parse_any_date(text: str) -> _dt.date | None:
    t = re.sub(r"[\s\u3000\xa0]+", "", text or "")
    t = t.translate({ord("０") + i: ord("0") + i for i in range(10)})
    m = _DATE.match(t)
    if not m:
        mc = re.match(r"^([0-9〇○零一二三四五六七八九Ｏ]{4})年([0-9一二三四五六七八九十]{1,3})月([0-9一二三四五六七八九十]{1,3})日$", t)
        if not mc:
            return None
        y, mo, d = _year_of(mc.group(1)), _cn_small(mc.group(2)), _cn_small(mc.group(3))
    else:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return _dt.date(y, mo, d)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _guess_organ_type(organ: str) -> str:
    return guess_organ_type(organ)  # one rule with the new-report dialog (report.model)


def analyse(src: Source, *, today: _dt.date | None = None) -> Reading:
    items = src.items
    paras = [(i, _clean_para(it.text)) for i, it in enumerate(items) if isinstance(it, Para)
             and not DRAFT_LINE.match(_clean_para(it.text))]
    text_paras = [(i, t) for i, t in paras if t]
    formats = list(all_formats())
    guesses: list[str] = []
    notes: list[str] = []

    # -- headings (any format's headings say the same; the latest format names them) --------
    ref_fmt = formats[-1]
    headings: list[tuple[int, int, str, str]] = []  # (item index, section index, id, printed)
    last = -1
    for idx, text in text_paras:
        h = _heading_of(text, ref_fmt, last)
        if h is None:
            continue
        si, sid, exact = h
        headings.append((idx, si, sid, text))
        if not exact:
            notes.append(T.NOTE_HEADING_VARIANT.format(found=text, heading=ref_fmt.sections[si].heading))
        last = si
    first_heading = headings[0][0] if headings else len(items)

    # -- title ------------------------------------------------------------------------------
    before = [(i, t) for i, t in text_paras if i < first_heading]
    title = _find_title(before)
    title_end = -1
    organ, year = "", 0
    if title:
        organ, year, _, title_end = title
        # A page prints the title twice (page title, then the document's): the opening starts
        # after the last copy.
        again = _find_title([(i, t) for i, t in before if i > title_end])
        while again:
            title_end = again[3]
            again = _find_title([(i, t) for i, t in before if i > title_end])
    elif src.title_hint:
        hint = _find_title([(-1, src.title_hint)])
        if hint:
            organ, year = hint[0], hint[1]

    # -- tables ------------------------------------------------------------------------------
    row_stream: list[list[str]] = []
    row_item: list[int] = []
    for i, it in enumerate(items):
        if isinstance(it, TableItem):
            for r in it.rows:
                row_stream.append(r)
                row_item.append(i)
    table_sections = {s.table: s.id for s in ref_fmt.sections if s.table}
    text_rows_used: dict[int, list[int]] = {}
    layout = "cells"
    results, tfmt, by_table = _read_tables(formats, row_stream, year, today)
    if src.text_tables and not any(r.matched for r in results):
        # No ruled table: the tables are lines of text inside their sections.
        region = _table_region(items, headings, table_sections)
        rows, owners, layout = text_rows([(i, items[i].text) for i in region])
        if rows:
            results2, tfmt2, by2 = _read_tables(formats, rows, year, today)
            if any(r.matched for r in results2):
                results, tfmt, by_table = results2, tfmt2, by2
                row_stream, text_rows_used = rows, {k: owners[k] for k in range(len(rows))}
                for r in results:
                    if r.matched:
                        notes.append(T.NOTE_TEXT_LAYOUT.format(number=r.table.number, layout=T.LAYOUTS[layout]))
    consumed_items: set[int] = set()
    if text_rows_used:
        consumed_items = _text_table_span(results, text_rows_used, items, tfmt)
    unmatched = []
    if not text_rows_used:
        used_tables = {row_item[i] for r in results for i in r.used_rows}
        n_table = 0
        for i, it in enumerate(items):
            if not isinstance(it, TableItem):
                continue
            n_table += 1
            if i in used_tables or not it.rows:
                continue
            cells = [c.strip() for row in it.rows for c in row if c.strip()]
            if not cells or any(_is_noise(c) for c in cells[:4]):
                continue  # the page's information box (索引号、发布机构…), not a report table
            unmatched.append(f"第 {n_table} 个表格（{len(it.rows)} 行，首格「{cells[0][:20]}」）")

    # -- date and sign-off ---------------------------------------------------------------------
    last_heading = headings[-1][0] if headings else (title_end if title else -1)
    issue_date = None
    signoff = ""
    end = len(items)
    tail = [(i, t) for i, t in text_paras if i > last_heading]
    for j in range(len(tail) - 1, -1, -1):
        d = parse_any_date(_cn_year(tail[j][1]))
        if d is not None:
            issue_date = d
            end = tail[j][0]
            if j > 0 and len(tail[j - 1][1]) <= 40 and not re.search(r"[。，；：]", tail[j - 1][1]) \
                    and tail[j - 1][0] not in consumed_items:
                signoff = re.sub(r"[\s\u3000\xa0]+", "", tail[j - 1][1])
                end = tail[j - 1][0]
            break
    if issue_date is None:
        for _, t in text_paras:
            m = re.match(r"^成文日期[:：]\s*(.+)$", t)
            if m and parse_any_date(_cn_year(m.group(1))):
                issue_date = parse_any_date(_cn_year(m.group(1)))
                break

    if not organ and signoff:
        organ = signoff
        guesses.append(T.GUESS_ORGAN_FROM_SIGNOFF.format(organ=organ))
    if not year:
        for _, t in text_paras:
            m = _STATS_YEAR.search(t)
            if m:
                year = int(m.group(1))
                guesses.append(T.GUESS_YEAR_FROM_TEXT.format(text=m.group(0), year=year))
                break

    any_table = any(r.matched for r in results)
    if not title and len(headings) < 3 and not any_table:
        raise ReadingError(T.NOT_A_REPORT.format(path=src.path))
    if not year:
        raise ReadingError(T.NO_YEAR.format(path=src.path))
    if not organ:
        raise ReadingError(T.NO_ORGAN.format(path=src.path))

    organ_type = _guess_organ_type(organ)
    try:
        report = Report.new(organ, year, organ_type, today=today)
    except YearError as exc:
        raise ReadingError(str(exc)) from None
    fmt = report.format
    guesses.append(T.GUESS_ORGAN_TYPE.format(label=fmt.organ_type_label(organ_type)))
    if signoff and signoff != organ:
        report.meta.signoff = signoff
    report.meta.issue_date = issue_date

    # -- texts -------------------------------------------------------------------------------
    if title and headings:
        opening = [t for i, t in text_paras if title_end < i < first_heading and i not in consumed_items
                   and not _is_noise(t)]
        if opening:
            report.meta.opening = _text("\n".join(opening))
    sections_found = []
    for k, (idx, si, sid, printed) in enumerate(headings):
        nxt = headings[k + 1][0] if k + 1 < len(headings) else end
        body = [t for i, t in text_paras if idx < i < nxt and i not in consumed_items]
        if k + 1 == len(headings):
            body = _cut_trailer(body)
        sections_found.append((sid, printed))
        section = fmt.section(sid) if sid in {s.id for s in fmt.sections} else None
        if section is None:
            continue
        if section.text == "none":
            if body:
                joined = "".join(body)
                notes.append(T.NOTE_TEXT_IN_TABLE_SECTION.format(heading=section.heading, chars=len(joined),
                                                                 preview=joined[:30] + ("…" if len(joined) > 30 else "")))
        else:
            report.sections[sid] = _text("\n".join(body))
        if section.table:
            res = next((r for r in results if r.table.id == section.table), None)
            images = sum(items[i].images for i in range(idx + 1, nxt) if isinstance(items[i], Para))
            if images and (res is None or not res.matched):
                notes.append(T.NOTE_TABLE_IMAGES.format(heading=section.heading, count=images))
    found_ids = {sid for sid, _ in sections_found}
    missing = [s.heading for s in fmt.sections if s.id not in found_ids]

    # -- cells -------------------------------------------------------------------------------
    if tfmt.id != fmt.id and any_table:
        lost = []
        for r in results:
            for k in list(r.values) + list(r.declared):
                if not fmt.has_cell(k):
                    lost.append(r.table.cell_name(k[1], k[2]))
        notes.append(T.FORMAT_MISMATCH.format(found=tfmt.id, year=year, expected=fmt.id,
                                              lost="、".join(lost[:8]) + ("等" if len(lost) > 8 else "") or T.NONE))
    for r in results:
        for k, v in r.values.items():
            if fmt.has_cell(k) and k not in fmt.derived:
                report.values[k] = v
        for k, v in r.declared.items():
            if fmt.has_cell(k):
                report.declared[k] = v
        for k, u in r.units.items():
            if fmt.has_cell(tuple(k.split("/"))):
                report.meta.units[k] = u
    for k in list(report.declared):
        computed = report.value(k)
        if report.declared[k] is None or report.declared[k] == computed:
            del report.declared[k]
        else:
            res = next(r for r in results if r.table.id == k[0])
            res.guesses.append(T.NOTE_DECLARED_TOTAL.format(cell=fmt.cell_name(k), declared=report.declared[k],
                                                            computed=computed))
    return Reading(report=report, source=src, tables=results, table_format=tfmt, format_from_tables=by_table,
                   sections_found=sections_found, sections_missing=missing, guesses=guesses, notes=notes,
                   unmatched_tables=unmatched)


def _text(text: str) -> str:
    text = strip_unwritable(text)[0]
    return text[:MAX_TEXT]


def _cut_trailer(body: list[str]) -> list[str]:
    # A web page goes on after the report (attachments, 「扫一扫在手机打开当前页」, print/close links).
    for i, t in enumerate(body):
        if _is_noise(t):
            return body[:i]
    return body


def _read_tables(formats: list[Format], rows: list[list[str]], year: int, today) -> tuple[list[TableResult], Format, bool]:
    label_keys = [key(c) for r in rows for c in split_row(r)[0]]
    scores = {f.id: format_score(f, [o for o in formats if o is not f], label_keys) for f in formats}
    best = max(scores.values()) if scores else 0
    leaders = [f for f in formats if scores[f.id] == best]
    by_table = best > 0 and len(leaders) == 1
    if by_table:
        fmt = leaders[0]
    else:
        try:
            fmt = format_for_year(year, today) if year else formats[-1]
        except YearError:
            fmt = formats[-1]
    results = [read_table(t, rows) for t in fmt.tables.values()]
    return results, fmt, by_table


def _table_region(items, headings, table_sections) -> list[int]:
    """Item indexes of the paragraphs that may hold a table written as text: the sections that
    carry a table (or, without headings, everything)."""
    wanted = set(table_sections.values())
    if not headings:
        return [i for i, it in enumerate(items) if isinstance(it, Para)]
    out = []
    for k, (idx, _, sid, _) in enumerate(headings):
        if sid not in wanted:
            continue
        nxt = headings[k + 1][0] if k + 1 < len(headings) else len(items)
        out.extend(i for i in range(idx + 1, nxt) if isinstance(items[i], Para))
    return out


def _line_tokens(text: str) -> tuple[list[str], str, bool]:
    """(cells, layout, whether the line is a whole row). Layouts seen in pasted and extracted
    text: 「X |」 one cell per line (「|」 alone an empty cell), 「| a | b | c |」 or 「a | b | c |」
    one row per line, 「a  b  c」 / tab-separated rows, 「规章 2 1 27」, and one bare cell per line
    (an empty line an empty cell)."""
    t = text.strip().strip("\u3000").replace("｜", "|")
    if "|" in t:
        parts = t.split("|")
        if parts[-1].strip() == "":
            parts = parts[:-1]  # the terminating bar
        whole = sum(1 for p in parts if p.strip()) >= 2 or (len(parts) >= 2 and parts[0].strip() == "" and
                                                           any(p.strip() for p in parts))
        if whole and parts and parts[0].strip() == "" and t.startswith("|"):
            parts = parts[1:]  # 「| a | b |」: the opening bar
        return [p.strip() for p in parts], "bars", whole
    if "\t" in t or re.search(r"\S\s{2,}\S", t):
        return [p for p in re.split(r"\t+|\s{2,}", t)], "lines", True
    words = t.split()
    if len(words) >= 2 and any(is_value_text(w) for w in words[1:]):
        labels: list[str] = []
        vals: list[str] = []
        for w in words:
            if vals or (is_value_text(w) and labels):
                vals.append(w)
            else:
                labels.append(w)
        if all(is_value_text(v) for v in vals):
            return ["".join(labels)] + vals, "lines", True
    return [t], "lines", False


def _prose(text: str) -> bool:
    return "。" in text or len(text) > 60


def text_rows(paras: list[tuple[int, str]]) -> tuple[list[list[str]], list[list[int]], str]:
    """Rows from text lines. A line that is a whole row stands alone; single cells are gathered,
    a row starting at a label that follows values."""
    rows: list[list[str]] = []
    owners: list[list[int]] = []
    cur: list[str] = []
    cur_owner: list[int] = []
    layouts = set()

    def flush():
        nonlocal cur, cur_owner
        if cur:
            rows.append(cur)
            owners.append(cur_owner)
        cur, cur_owner = [], []

    for idx, text in paras:
        tokens, layout, whole = _line_tokens(text)
        layouts.add(layout)
        if whole and (any(not is_value_text(tok) for tok in tokens) or sum(1 for t in tokens if t) >= 2):
            flush()
            rows.append(tokens)
            owners.append([idx])
            continue
        for tok in tokens:
            if is_value_text(tok):
                if not cur:
                    continue  # values with no label before them: nothing to hang them on
                cur.append(tok)
            else:
                # A label after values starts a row; so does one after prose (the section's own
                # text before the table is not part of the first row's label).
                if cur and (any(is_value_text(c) for c in cur) or _prose(cur[-1])):
                    flush()
                cur.append(tok)
            if idx not in cur_owner:
                cur_owner.append(idx)
    flush()
    layout = "bars" if "bars" in layouts else "lines"
    return rows, owners, layout


def _text_table_span(results: list[TableResult], owners: dict[int, list[int]], items, fmt: Format) -> set[int]:
    """Paragraphs that belong to a table written as text: its rows, and the header lines just
    before them and between them."""
    from .tables import _all_labels

    labels = _all_labels(fmt)
    labels |= {key(b.caption) for t in fmt.tables.values() for b in t.blocks if b.caption}
    labels |= {key(b.corner) for t in fmt.tables.values() for b in t.blocks if b.corner}
    out: set[int] = set()
    for r in results:
        used = sorted(i for row in r.used_rows for i in owners.get(row, []))
        if not used:
            continue
        lo, hi = used[0], used[-1]
        out.update(i for i in range(lo, hi + 1) if isinstance(items[i], Para))
        i = lo - 1
        while i >= 0 and isinstance(items[i], Para):
            k = key(items[i].text)
            if not k or any(k in lab or lab in k for lab in labels if len(lab) >= 2) and len(k) <= 60 \
                    or is_value_text(items[i].text):
                out.add(i)
                i -= 1
                continue
            break
    return out
