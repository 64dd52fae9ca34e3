"""Exceptions with meaning. Each carries a Chinese message fit to show a clerk as it is."""


class GongkaiError(Exception):
    """Base class: ``str(exc)`` is the Chinese message for the user."""


class FormatError(GongkaiError):
    """A format file in forms/ is missing or inconsistent (a bug in the data, not the clerk's)."""


class YearError(GongkaiError):
    """A report year no format covers (before 2019, or in the future)."""


class InvalidValue(GongkaiError):
    """Text typed or pasted into a cell that is not a valid value for it."""


class ImportRejected(GongkaiError):
    """An exchange file that cannot be imported; nothing was written."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class StoreError(GongkaiError):
    """The database cannot be used (locked, damaged, newer than this program).

    ``reason`` is ``locked`` | ``damaged`` | ``newer`` | ``not_db`` | ``disk_full`` |
    ``read_only`` | ``io``; ``damage`` is None or, for a damaged file with a usable backup, a
    ``storage.backups.Damage`` (path, backup, backup_time, backup_reports, damaged_reports);
    ``backup`` is that backup's path (None without one)."""

    reason: str = "io"
    damage = None
    backup = None


class ReadOnlyStore(StoreError):
    """An edit to a database opened read-only (the file or its folder may not be written)."""

    reason = "read_only"


class StaleEdit(GongkaiError):
    """A text edit based on a text that another window has changed since (``current`` is the
    stored text now); nothing was written."""

    def __init__(self, message: str, current: str = ""):
        super().__init__(message)
        self.current = current


class ReportLocked(GongkaiError):
    """An edit to a report that has been finalised (已定稿)."""


class NotFound(GongkaiError):
    """No report with that id."""


class ExportError(GongkaiError):
    """A file could not be written (open in Word, read-only, missing folder)."""

