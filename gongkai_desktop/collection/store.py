"""The collection kept in the store: each organ's current report is an ordinary report in the
database (so it can be opened, checked and exported like any other), and the store's collection
table says whose it is, when it came and what it replaced."""

from __future__ import annotations

import datetime as _dt
import json

from ..report.model import Report
from ..storage.store import Store
from .collection import Collection, Entry
from .expected import ExpectedOrgan
from .names import organ_key


class StoreBackend:
    def __init__(self, store: Store):
        self.store = store
        self._pending: dict[int, str] = {}  # row caches to write in one transaction
        # Reports this backend stored or loaded, by id: a collected report is never edited (it
        # opens read-only), so the intake's reports serve the dashboard and the sums that follow.
        self._reports: dict[int, Report] = {}

    def _load(self, report_id: int) -> Report:
        report = self._reports.get(report_id)
        if report is None:
            report = self._reports[report_id] = self.store.load(report_id)
        return report

    def _entry(self, e) -> Entry:
        received = _dt.datetime.fromisoformat(e.received) if e.received else None
        cache = json.loads(e.row_cache) if e.row_cache else None
        return Entry(None, received, e.source, e.report_id, key=e.id, organ=e.organ, cache=cache,
                     loader=lambda rid=e.report_id: self._load(rid))

    def entries(self, year: int) -> dict[str, Entry]:
        return {e.organ_key: self._entry(e) for e in self.store.collection_entries(year)}

    def put_many(self, year: int, items: list[tuple[str, Entry, Entry | None]]) -> list[Entry]:
        stored = self.store.collection_put_many(year, [
            (key, e.report, e.received.isoformat(sep=" ") if e.received else None, e.source)
            for key, e, _replaces in items])
        for (_key, e, _r), s in zip(items, stored):
            self._reports[s.report_id] = e.report
        return [Entry(e.report, e.received, e.source, s.report_id, key=s.id)
                for (_key, e, _r), s in zip(items, stored)]

    def expected(self, year: int) -> list[ExpectedOrgan]:
        return [ExpectedOrgan(o, t) for o, t in self.store.collection_expected(year)]

    def set_expected(self, year: int, organs: list[ExpectedOrgan]) -> None:
        self.store.set_collection_expected(year, [(o.organ, o.organ_type) for o in organs])

    def last_year(self, year: int, key: str) -> Entry | None:
        """The organ's entry of the year before: last year's collection, else any report in the
        store with that organ name and year (the office's own copy)."""
        previous = self._previous(year)
        return previous.get(key)

    def _previous(self, year: int) -> dict[str, Entry]:
        if getattr(self, "_prev_year", None) != year:
            found: dict[str, Entry] = {}
            for rid, organ, updated_at in self.store.reports_of_year(year - 1):
                found.setdefault(organ_key(organ), Entry(
                    None, None, "", rid, key=f"r{rid}:{updated_at}", organ=organ,
                    loader=lambda rid=rid: self._load(rid)))
            found.update(self.entries(year - 1))
            self._prev_year, self._prev = year, found
        return self._prev

    def put_row_cache(self, entry: Entry, data: dict) -> None:
        entry.cache = data
        self._pending[entry.key] = json.dumps(data, ensure_ascii=False)

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, {}
            self.store.set_collection_row_caches(pending)

    def texts(self, entries: list[Entry]) -> dict[object, str]:
        by_report = self.store.section_texts([e.report_id for e in entries])
        return {e.key: by_report.get(e.report_id, "") for e in entries}

    def similar_cache(self, year: int) -> tuple[str, str] | None:
        return self.store.collection_similar(year)

    def put_similar_cache(self, year: int, signature: str, data: str) -> None:
        self.store.set_collection_similar(year, signature, data)


class StoreCollection(Collection):
    def set_expected(self, organs: list[ExpectedOrgan]) -> None:
        self.backend.set_expected(self.year, organs)


def open_collection(store: Store, year: int) -> StoreCollection:
    return StoreCollection(StoreBackend(store), year)
