"""The year's collection: which organ sent which report, what replaced what, who is missing.

A re-sent report (the same organ and year) replaces the earlier one, which stays in the history.
Two files of one batch that claim the same organ and year are a conflict: neither is kept, both are
listed, because choosing for the office would hide a mistake in one of them. Organs are the same
when their names share a key (:func:`names.organ_key`); names that are only close are suggested
against the expected list, never merged.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol

from ..report.formats import format_for_year
from ..report.model import Report
from . import texts as T
from .dashboard import Row, make_row, missing_row, natural_key, report_text
from .expected import ExpectedOrgan
from .gather import EXCHANGE_SUFFIXES, Received
from .names import organ_key, suggest
from .parallel import forked_map
from .similarity import Similar, near_copies
from .sums import Aggregate, aggregate


class Entry:
    """One organ's current report in the collection. The report itself is loaded only when it
    is needed: the dashboard of a thousand organs opens from its cache."""

    def __init__(self, report: Report | None, received: _dt.datetime | None, source: str,
                 report_id: int | None = None, *, key: object = None, organ: str = "",
                 loader: Callable[[], Report] | None = None, cache: dict | None = None):
        self._report = report
        self._loader = loader
        self.received = received
        self.source = source
        self.report_id = report_id
        self.key = key if key is not None else id(self)  # identifies this version for the caches
        self.organ = organ or (report.meta.organ if report is not None else "")
        self.cache = cache

    @property
    def report(self) -> Report:
        if self._report is None:
            assert self._loader is not None
            self._report = self._loader()
        return self._report


@dataclass
class Outcome:
    """What became of one file of a batch."""

    path: str
    organ: str
    status: str  # one of texts' ADDED / REPLACED / UNCHANGED / CONFLICT …, or a refusal message
    kept: bool
    note: str = ""


class Backend(Protocol):
    """Where a collection is kept (the store; a dict in tests)."""

    def entries(self, year: int) -> dict[str, Entry]: ...
    def put_many(self, year: int, items: list[tuple[str, Entry, Entry | None]]) -> list[Entry]: ...
    def expected(self, year: int) -> list[ExpectedOrgan]: ...
    def set_expected(self, year: int, organs: list[ExpectedOrgan]) -> None: ...
    def last_year(self, year: int, key: str) -> Entry | None: ...
    def put_row_cache(self, entry: Entry, data: dict) -> None: ...
    def flush(self) -> None: ...
    def texts(self, entries: list[Entry]) -> dict[object, str]: ...
    def similar_cache(self, year: int) -> tuple[str, str] | None: ...
    def put_similar_cache(self, year: int, signature: str, data: str) -> None: ...


class MemoryBackend:
    def __init__(self) -> None:
        self._entries: dict[int, dict[str, Entry]] = defaultdict(dict)
        self._expected: dict[int, list[ExpectedOrgan]] = {}
        self._similar: dict[int, tuple[str, str]] = {}
        self.history: list[Entry] = []

    def entries(self, year: int) -> dict[str, Entry]:
        return dict(self._entries[year])

    def put_many(self, year: int, items: list[tuple[str, Entry, Entry | None]]) -> list[Entry]:
        for key, entry, replaces in items:
            if replaces is not None:
                self.history.append(replaces)
            self._entries[year][key] = entry
        return [entry for _key, entry, _replaces in items]

    def expected(self, year: int) -> list[ExpectedOrgan]:
        return list(self._expected.get(year, []))

    def set_expected(self, year: int, organs: list[ExpectedOrgan]) -> None:
        self._expected[year] = list(organs)

    def last_year(self, year: int, key: str) -> Entry | None:
        return self._entries.get(year - 1, {}).get(key)

    def put_row_cache(self, entry: Entry, data: dict) -> None:
        entry.cache = data

    def flush(self) -> None:
        pass

    def texts(self, entries: list[Entry]) -> dict[object, str]:
        return {e.key: report_text(e.report) for e in entries}

    def similar_cache(self, year: int) -> tuple[str, str] | None:
        return self._similar.get(year)

    def put_similar_cache(self, year: int, signature: str, data: str) -> None:
        self._similar[year] = (signature, data)


def _same_report(a: Report, b: Report) -> bool:
    """The same report, whatever file it came in: the same figures and words (an exchange file and
    the .docx read back differ in their uid and little else)."""
    return (a.format_id == b.format_id and a.meta.organ == b.meta.organ and a.meta.year == b.meta.year
            and {k: v for k, v in a.values.items() if v is not None} == {k: v for k, v in b.values.items() if v is not None}
            and {k: v.strip() for k, v in a.sections.items() if v.strip()}
            == {k: v.strip() for k, v in b.sections.items() if v.strip()})


# What forked checkers read: set just before the fork, inherited copy-on-write, never pickled.
_JOBS: list[tuple[Report, Report | None, _dt.datetime | None, str]] = []


def _row_cache(i: int) -> dict:
    report, last, received, source = _JOBS[i]
    return make_row(report, last=last, received=received, source=source, similar=[]).to_cache()


def _row_caches(jobs: list[tuple[Report, Report | None, _dt.datetime | None, str]], workers: int) -> list[dict]:
    global _JOBS
    _JOBS = jobs
    try:
        return forked_map(_row_cache, range(len(jobs)), workers)
    finally:
        _JOBS = []


def _is_exchange(r: Received) -> bool:
    return r.path.suffix.lower() in EXCHANGE_SUFFIXES


@dataclass
class Dashboard:
    year: int
    rows: list[Row]
    missing: list[str]
    suggestions: list[str] = field(default_factory=list)

    def as_json(self, agg: Aggregate | None = None) -> dict:
        out = {
            "year": self.year,
            "organs": [r.as_json() for r in self.rows if r.status != T.STATUS_MISSING],
            "missing": self.missing,
            "suggestions": self.suggestions,
        }
        if agg is not None:
            tables: dict[str, dict[str, dict[str, object]]] = {}
            fmt = agg.report.format
            for t in fmt.tables.values():
                for tid, row, col in t.cells():
                    v = agg.report.value((tid, row, col))
                    tables.setdefault(tid, {}).setdefault(row, {})[col] = _jsonable(v)
            out["aggregate"] = {"format": fmt.id, "reports": agg.counted, "tables": tables,
                                "note": agg.mixed_note}
        return out


def _jsonable(v):
    from .dashboard import _json_number

    return _json_number(v)


class Collection:
    def __init__(self, backend: Backend, year: int):
        self.backend = backend
        self.year = year

    # -- bringing reports in ----------------------------------------------------------------------
    def add(self, received: Iterable[Received], *, workers: int = 1) -> list[Outcome]:
        """Bring a batch in. ``workers`` > 1 checks the new reports in that many forked processes
        (the command line's intake of a whole region; never from the window, which must not fork
        a running Qt application)."""
        batch = list(received)
        outcomes: list[Outcome] = []
        by_key: dict[str, list[Received]] = defaultdict(list)
        for r in batch:
            if r.report is None:
                outcomes.append(Outcome(str(r.path), "", r.message, False))
            elif r.report.meta.year != self.year:
                outcomes.append(Outcome(str(r.path), r.report.meta.organ,
                                        T.WRONG_YEAR.format(found=r.report.meta.year, year=self.year), False))
            else:
                by_key[organ_key(r.report.meta.organ)].append(r)
        current = self.backend.entries(self.year)
        to_store: list[tuple[str, Entry, Entry | None]] = []
        for key, group in by_key.items():
            if len(group) > 1:
                # Offices send the exchange file with the Word or PDF copy: one report, not a
                # conflict (the exchange file is the one kept). Two exchange files, or published
                # copies that say different things with no exchange file to decide, are.
                exchanges = [g for g in group if _is_exchange(g)]
                if len(exchanges) == 1:
                    keep = exchanges[0]
                elif not exchanges and all(_same_report(group[0].report, g.report) for g in group):
                    keep = group[0]
                else:
                    files = "、".join(g.path.name for g in group)
                    msg = T.CONFLICT.format(count=len(group), organ=group[0].report.meta.organ,
                                            year=self.year, files=files)
                    outcomes.extend(Outcome(str(g.path), g.report.meta.organ, msg, False) for g in group)
                    continue
                for g in group:
                    if g is keep:
                        continue
                    if not _same_report(keep.report, g.report):
                        text = T.DIFFERS_FROM_EXCHANGE
                    else:
                        text = T.COVERED if exchanges else T.SAME_AS
                    outcomes.append(Outcome(str(g.path), g.report.meta.organ, text.format(name=keep.path.name), False))
                group = [keep]
            r = group[0]
            earlier = current.get(key)
            if earlier is not None and _same_report(earlier.report, r.report):
                outcomes.append(Outcome(str(r.path), r.report.meta.organ, T.UNCHANGED, False))
                continue
            note = ""
            if earlier is not None and earlier.report.uid != r.report.uid:
                note = T.UID_DIFFERS.format(organ=r.report.meta.organ)
            to_store.append((key, Entry(r.report, r.received, str(r.path)), earlier))
            outcomes.append(Outcome(str(r.path), r.report.meta.organ,
                                    T.REPLACED if earlier is not None else T.ADDED, True, note))
        stored = self.backend.put_many(self.year, to_store) if to_store else []
        # Checked now, while the reports are in memory: the dashboard then opens from the cache.
        jobs = []
        for (key, _entry, _earlier), entry in zip(to_store, stored):
            last = self.backend.last_year(self.year, key)
            jobs.append((entry, last))
        caches = _row_caches([(e.report, None if last is None else last.report, e.received, e.source)
                              for e, last in jobs], workers)
        for (entry, last), row in zip(jobs, caches):
            self.backend.put_row_cache(entry, {"last": None if last is None else str(last.key), "row": row})
        self.backend.flush()
        return outcomes

    # -- looking at it ----------------------------------------------------------------------------
    def entries(self) -> dict[str, Entry]:
        return self.backend.entries(self.year)

    def _similar(self, entries: dict[str, Entry]) -> dict[str, list[Similar]]:
        """Near copies among this year's organs, from the cache when the entries are the same."""
        signature = ",".join(sorted(str(e.key) for e in entries.values()))
        cached = self.backend.similar_cache(self.year)
        if cached is not None and cached[0] == signature:
            data = json.loads(cached[1])
        else:
            texts = self.backend.texts(list(entries.values()))
            by_key = {str(e.key): e.organ for e in entries.values()}
            found = near_copies({str(e.key): texts[e.key] for e in entries.values()})
            data = {by_key[k]: [[by_key[s.other], s.share] for s in v] for k, v in found.items()}
            self.backend.put_similar_cache(self.year, signature, json.dumps(data, ensure_ascii=False))
        return {organ: [Similar(o, share) for o, share in v] for organ, v in data.items()}

    def _row(self, key: str, e: Entry, similar: list[Similar]) -> Row:
        last = self.backend.last_year(self.year, key)
        last_key = None if last is None else str(last.key)
        if e.cache is not None and e.cache.get("last") == last_key:
            return Row.from_cache(e.cache["row"], similar=similar, report_id=e.report_id)
        row = make_row(e.report, last=None if last is None else last.report, received=e.received,
                       source=e.source, similar=[], report_id=e.report_id)
        self.backend.put_row_cache(e, {"last": last_key, "row": row.to_cache()})
        return Row.from_cache(row.to_cache(), similar=similar, report_id=e.report_id)

    def dashboard(self) -> Dashboard:
        entries = self.entries()
        similar = self._similar(entries)
        rows = [self._row(k, e, similar.get(e.organ, [])) for k, e in entries.items()]
        self.backend.flush()
        fmt = format_for_year(self.year)
        expected = self.backend.expected(self.year)
        missing, suggestions = [], []
        received_names = [e.organ for e in entries.values()]
        expected_keys = {organ_key(o.organ) for o in expected}
        for org in expected:
            if organ_key(org.organ) in entries:
                continue
            missing.append(org.organ)
            rows.append(missing_row(org.organ, org.organ_type, fmt))
            hint = suggest(org.organ, [n for n in received_names if organ_key(n) not in expected_keys])
            if hint is not None:
                suggestions.append(T.MATCH_SUGGESTION.format(got=hint.expected, expected=org.organ))
        rows.sort(key=lambda r: (T.STATUS_ORDER.index(r.status), natural_key(r.organ)))
        return Dashboard(self.year, rows, missing, suggestions)

    def aggregate(self, organ_types: Iterable[str] | None = None, region: str = "") -> Aggregate:
        types = set(organ_types) if organ_types else None
        reports = [e.report for e in self.entries().values()
                   if types is None or e.report.meta.organ_type in types]
        fmt = format_for_year(self.year)
        return aggregate(reports, format_id=fmt.id, year=self.year, region=region)
