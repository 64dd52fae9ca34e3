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
    """The database cannot be used (locked, damaged, newer than this program)."""


class ReportLocked(GongkaiError):
    """An edit to a report that has been finalised (已定稿)."""


class NotFound(GongkaiError):
    """No report with that id."""


class ExportError(GongkaiError):
    """A file could not be written (open in Word, read-only, missing folder)."""

