"""Writing files so that a reader never sees half of one and a failure changes nothing."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ..errors import ExportError
from .. import texts as T


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder + ``os.replace``.
    On any failure the temporary file is removed and the existing ``path`` is untouched."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileNotFoundError as exc:
        raise ExportError(T.EXPORT_NO_FOLDER.format(folder=path.parent, name=path.name)) from exc
    except PermissionError as exc:
        raise ExportError(T.EXPORT_FOLDER_READ_ONLY.format(folder=path.parent)) from exc
    except OSError as exc:
        raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=exc.strerror or exc)) from exc
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=exc.strerror or exc)) from exc
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            # Windows: the target is open in Word/WPS/a PDF reader, or read-only.
            raise ExportError(T.EXPORT_LOCKED.format(path=path)) from exc
        except OSError as exc:
            raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=exc.strerror or exc)) from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
