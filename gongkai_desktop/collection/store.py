"""The collection kept in the store: each organ's current report is an ordinary report in the
database (so it can be opened, checked and exported like any other), and the store's collection
table says whose it is, when it came and what it replaced."""

from __future__ import annotations

import datetime as _dt

from ..report.model import Report
from ..storage.store import Store
from .collection import Collection, Entry
from .expected import ExpectedOrgan
from .names import organ_key


class StoreBackend:
    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[int, Report] = {}  # report id -> report (ids never change content here)

    def _load(self, report_id: int) -> Report:
        report = self._cache.get(report_id)
        if report is None:
            report = self._cache[report_id] = self.store.load(report_id)
        return report

    def entries(self, year: int) -> dict[str, Entry]:
        out = {}
        for e in self.store.collection_entries(year):
            received = _dt.datetime.fromisoformat(e.received) if e.received else None
            out[e.organ_key] = Entry(self._load(e.report_id), received, e.source, e.report_id)
        return out

    def put(self, year: int, key: str, entry: Entry, replaces: Entry | None) -> Entry:
        rid = self.store.collection_put(
            year, key, entry.report, received=entry.received.isoformat(sep=" ") if entry.received else None,
            source=entry.source)
        return Entry(entry.report, entry.received, entry.source, rid)

    def expected(self, year: int) -> list[ExpectedOrgan]:
        return [ExpectedOrgan(o, t) for o, t in self.store.collection_expected(year)]

    def set_expected(self, year: int, organs: list[ExpectedOrgan]) -> None:
        self.store.set_collection_expected(year, [(o.organ, o.organ_type) for o in organs])

    def last_year(self, year: int, key: str) -> Report | None:
        """The organ's report of the year before: from last year's collection, else any report in
        the store with that organ name."""
        for e in self.store.collection_entries(year - 1):
            if e.organ_key == key:
                return self._load(e.report_id)
        for s in self.store.list_reports():
            if s.year == year - 1 and organ_key(s.organ) == key:
                return self._load(s.id)
        return None


class StoreCollection(Collection):
    def set_expected(self, organs: list[ExpectedOrgan]) -> None:
        self.backend.set_expected(self.year, organs)


def open_collection(store: Store, year: int) -> StoreCollection:
    return StoreCollection(StoreBackend(store), year)
