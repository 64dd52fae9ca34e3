"""The database's schema history: ordered sqlite-utils migrations, append only.

Migrations run through sqlite-utils' public ``Migrations`` API (``apply``, ``applied``,
``pending``), recorded in its ``_sqlite_migrations`` table under the set name
``gongkai_desktop``. The names this program knows are kept in :data:`NAMES` (our own list,
filled by :func:`migration`), so nothing here reads the library's private attributes.

A migration is never edited once released: a schema change is a new function decorated with
``@migration("NNNN_what")`` appended at the end. The four leading digits are the schema version
(:func:`schema_version`); :data:`SCHEMA_VERSION` is the newest this program knows.
"""

from __future__ import annotations

import re
import uuid
from typing import Callable

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

SET_NAME = "gongkai_desktop"
MIGRATIONS = Migrations(SET_NAME)
NAMES: list[str] = []  # every migration this program knows, in order


def migration(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    """Register ``fn`` with sqlite-utils and remember its name (in order)."""

    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        MIGRATIONS(name=name)(fn)
        NAMES.append(name)
        return fn

    return register


def schema_version(name: str) -> int:
    m = re.match(r"^(\d+)_", name)
    return int(m[1]) if m else 0


def applied_names(db: Database) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(db)]


def unknown_applied(db: Database) -> list[str]:
    """Migrations recorded in the file that this program does not know (a newer program's)."""
    known = set(NAMES)
    return [n for n in applied_names(db) if n not in known]


def pending(db: Database) -> bool:
    return bool(MIGRATIONS.pending(db))


def apply(db: Database, *, stop_before: str | None = None) -> None:
    MIGRATIONS.apply(db, stop_before=stop_before)


# ---------------------------------------------------------------------------------------------
# The migrations. Append only; never change a released one.


@migration("0001_initial")
def _m0001_initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL,
            organ TEXT NOT NULL,
            organ_type TEXT NOT NULL,
            year INTEGER NOT NULL,
            format_id TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft',
            finalized_at TEXT,
            issue_date TEXT,
            signoff TEXT NOT NULL DEFAULT '',
            opening TEXT NOT NULL DEFAULT '',
            units TEXT NOT NULL DEFAULT '{}',
            example INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        )"""
    )
    db.execute("CREATE INDEX reports_organ_year ON reports (organ, year)")
    for table in ("cells", "declared"):
        db.execute(
            f"""CREATE TABLE {table} (
                report_id INTEGER NOT NULL,
                tab TEXT NOT NULL,
                row TEXT NOT NULL,
                col TEXT NOT NULL,
                value TEXT,
                PRIMARY KEY (report_id, tab, row, col)
            ) WITHOUT ROWID"""
        )
    db.execute(
        """CREATE TABLE sections (
            report_id INTEGER NOT NULL,
            section_id TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (report_id, section_id)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE explanations (
            report_id INTEGER NOT NULL,
            finding_key TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (report_id, finding_key)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL,
            at TEXT NOT NULL,
            what TEXT NOT NULL,
            old TEXT,
            new TEXT
        )"""
    )
    db.execute("CREATE INDEX revisions_report ON revisions (report_id, id)")


@migration("0002_summary_baseline_sessions")
def _m0002_summary_baseline_sessions(db: Database) -> None:
    reports = db.table("reports")
    reports.add_column("progress", float, not_null_default=0)
    reports.add_column("errors", int, not_null_default=0)
    reports.add_column("warnings", int, not_null_default=0)
    reports.add_column("summary_stale", int, not_null_default=1)  # 0 = cache fresh
    reports.add_column("baseline", str)  # JSON snapshot of last year's report (carry-over)
    reports.add_column("position", str)  # JSON: where the clerk was
    db.execute("UPDATE reports SET summary_stale = 1")
    db.table("sessions").create({"id": int, "pid": int, "host": str, "opened_at": str}, pk="id")
    db.table("settings").create({"key": str, "value": str}, pk="key")


@migration("0003_uid_generated_jiedu")
def _m0003_uid_generated_jiedu(db: Database) -> None:
    reports = db.table("reports")
    reports.add_column("generated", str, not_null_default="{}")  # section → {kind → sentence}
    reports.add_column("jiedu", str, not_null_default="")  # the clerk's 解读; "" = not written
    # Every report keeps one uid forever (exchange files carry it, so a re-sent report can be
    # matched to the earlier one). Rows an earlier version left without one get a uuid4 hex.
    fresh = [(uuid.uuid4().hex, rid) for (rid,) in
             db.execute("SELECT id FROM reports WHERE uid IS NULL OR uid = ''").fetchall()]
    db.conn.executemany("UPDATE reports SET uid = ? WHERE id = ?", fresh)
    db.execute("CREATE INDEX reports_uid ON reports (uid)")


@migration("0004_changes_open_reports")
def _m0004_changes_open_reports(db: Database) -> None:
    # change counter: settings 'change_counter' holds the last value handed out; each report row
    # carries the counter of its last change, so a list can fetch only what changed.
    db.table("reports").add_column("changed", int, not_null_default=0)
    db.execute("CREATE INDEX reports_changed ON reports (changed)")
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('change_counter', '0')")
    # purged rows leave a tombstone so a list refreshed by counter can drop them
    db.execute("CREATE TABLE purged (id INTEGER PRIMARY KEY, changed INTEGER NOT NULL)")
    # which session has which report open (two windows on one report), and whose edit a
    # revision is (coalescing never merges two sessions' edits)
    db.table("sessions").add_column("token", str, not_null_default="")
    db.execute(
        """CREATE TABLE open_reports (
            session_id INTEGER NOT NULL,
            report_id INTEGER NOT NULL,
            since TEXT NOT NULL,
            PRIMARY KEY (session_id, report_id)
        ) WITHOUT ROWID"""
    )
    db.table("revisions").add_column("session", str)


@migration("0005_collection")
def _m0005_collection(db: Database) -> None:
    # The supervising office's collection: which report is each organ's for a year. A re-sent
    # report gets a new row and the earlier row points to it (replaced_by), so the history stays.
    db.execute(
        """CREATE TABLE collection (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            organ_key TEXT NOT NULL,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            received TEXT,
            source TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            replaced_by INTEGER REFERENCES collection(id),
            row_cache TEXT
        )"""
    )
    db.execute("CREATE INDEX collection_current ON collection (year, organ_key, replaced_by)")
    db.execute(
        """CREATE TABLE collection_expected (
            year INTEGER NOT NULL,
            position INTEGER NOT NULL,
            organ TEXT NOT NULL,
            organ_type TEXT,
            PRIMARY KEY (year, position)
        ) WITHOUT ROWID"""
    )
    # Near copies between organs are computed over the whole year's collection: kept per year
    # with the entries they were computed from, so the dashboard opens without recomputing them.
    db.execute("CREATE TABLE collection_similar (year INTEGER PRIMARY KEY, entries TEXT NOT NULL, data TEXT NOT NULL)")


@migration("0006_list_index")
def _m0006_list_index(db: Database) -> None:
    # The start page lists every report in this order: a covering index lets SQLite read the
    # listed columns in order from the index alone (half the time of a sorted table scan at
    # 10,000 reports) instead of sorting the table.
    db.execute(
        "CREATE INDEX reports_list ON reports (year DESC, organ, id, organ_type, format_id, status, progress, "
        "errors, warnings, updated_at, deleted_at, example, summary_stale, changed)")


SCHEMA_VERSION = max(schema_version(n) for n in NAMES)
