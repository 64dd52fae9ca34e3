"""Reading published reports (.docx, web pages, PDF with a text layer, text, and what LibreOffice
converts) into reports: ``read_file(path) -> Reading`` (the report and the reading report)."""

from .analyse import Reading, analyse, read_file  # noqa: F401
from .source import ReadingError  # noqa: F401
