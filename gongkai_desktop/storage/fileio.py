"""Files the app writes: atomic writes, the one safe-file-name rule, and OS errors in Chinese.

``write_atomic`` means a reader never sees half a file and a failure changes nothing;
``safe_filename`` is the only way the app proposes a file name (exports, exchange files), so a
hostile or merely long organ name can neither escape the chosen folder nor make the write fail.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import unicodedata
from pathlib import Path

from ..errors import ExportError
from .. import texts as T

# Linux (ext4 and most others) allows 255 bytes per name; NTFS 255 UTF-16 units. Windows programs
# that are not long-path aware (Word keeps the whole path under 218 characters, MAX_PATH is 260)
# fail on long paths, so a proposed name stays at 100 UTF-16 units: the folder keeps the rest.
MAX_NAME_BYTES = 255
MAX_NAME_UNITS = 100
_TAIL_KEPT = 24  # a shortened name keeps its end (the year and 「…年度报告」) after an ellipsis

# Characters Windows forbids in names (and the path separators of both systems) become their
# full-width forms, which read the same in a Chinese name and are legal everywhere.
_FULL_WIDTH = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂",
                             "<": "＜", ">": "＞", "|": "｜"})
# Control and format characters (bidi overrides such as U+202E, zero-width marks, BOM),
# surrogates, private-use and line/paragraph separators: invisible or misleading in a name.
_DROP_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{d}{n}" for d in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³"))}
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


def safe_filename(stem: str, suffix: str) -> str:
    """``stem`` + ``suffix`` as a file name that is safe on Windows and Linux: no path separators
    or characters Windows forbids, no leading dots or spaces, no trailing dots or spaces, no
    reserved device name (CON, NUL, COM1 …), no control, bidi-override or other invisible
    characters, at most 255 UTF-8 bytes and 100 UTF-16 units (a long stem keeps its start and its
    end around 「…」). An empty result becomes the default report name."""
    suffix = "." + suffix.lstrip(".").lower() if suffix else ""
    if suffix and not _SUFFIX.fullmatch(suffix):
        raise ValueError(f"unsafe suffix {suffix!r}")  # a programming error, never the clerk's input
    s = _SPACES.sub(" ", unicodedata.normalize("NFC", stem))  # tabs and line breaks become spaces first
    s = "".join(ch for ch in s if unicodedata.category(ch) not in _DROP_CATEGORIES)
    s = _SPACES.sub(" ", s.translate(_FULL_WIDTH))
    s = _trim(s)
    if not s:
        s = T.EXPORT_DEFAULT_NAME
    if s.split(".")[0].strip().upper() in _RESERVED:
        s = "_" + s
    if not _fits(s + suffix):
        tail = _trim(s[-_TAIL_KEPT:])
        head = s[: max(0, len(s) - _TAIL_KEPT)]
        while head and not _fits(head + "…" + tail + suffix):
            head = head[:-1]
        s = _trim(head) + "…" + tail
    return s + suffix


def _trim(s: str) -> str:
    return s.strip(" ").lstrip(".").rstrip(". ").strip(" ")


def _fits(name: str) -> bool:
    return (len(name.encode("utf-8")) <= MAX_NAME_BYTES
            and len(name.encode("utf-16-le")) // 2 <= MAX_NAME_UNITS)


_ERRNO_TEXT = {
    errno.ENAMETOOLONG: "OS_NAME_TOO_LONG",
    errno.ENOSPC: "OS_DISK_FULL",
    errno.EROFS: "OS_READ_ONLY_DISK",
    errno.EACCES: "OS_NO_PERMISSION",
    errno.EPERM: "OS_NO_PERMISSION",
    errno.EISDIR: "OS_IS_FOLDER",
    errno.ENOTDIR: "OS_NOT_FOLDER",
    errno.ENOENT: "OS_NO_FOLDER",
    errno.EIO: "OS_IO",
    errno.EINVAL: "OS_INVALID_NAME",
    errno.EMFILE: "OS_TOO_MANY_FILES",
    errno.ENFILE: "OS_TOO_MANY_FILES",
    errno.EEXIST: "OS_EXISTS",
    errno.EBUSY: "OS_BUSY",
}
if hasattr(errno, "EDQUOT"):
    _ERRNO_TEXT[errno.EDQUOT] = "OS_DISK_FULL"


def os_error_text(exc: OSError) -> str:
    """What went wrong, in Chinese (``exc.strerror`` is the system's English)."""
    name = _ERRNO_TEXT.get(exc.errno or 0)
    if name is None and getattr(exc, "winerror", None) in (206,):  # ERROR_FILENAME_EXCED_RANGE
        name = "OS_NAME_TOO_LONG"
    if name is None:
        return T.OS_OTHER.format(code=exc.errno if exc.errno is not None else "?")
    return getattr(T, name)


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder + ``os.replace``.
    On any failure the temporary file is removed, the existing ``path`` is untouched, and the
    error is an :class:`ExportError` with a Chinese message."""
    path = Path(path)
    # The temporary name is short: a name near the limit must not fail only because of the temp.
    tmp = path.with_name(f".gongkai-{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileNotFoundError as exc:
        raise ExportError(T.EXPORT_NO_FOLDER.format(folder=path.parent, name=path.name)) from exc
    except PermissionError as exc:
        raise ExportError(T.EXPORT_FOLDER_READ_ONLY.format(folder=path.parent)) from exc
    except OSError as exc:
        raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=os_error_text(exc))) from exc
    try:
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=os_error_text(exc))) from exc
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            # Windows: the target is open in Word/WPS/a PDF reader, or read-only.
            raise ExportError(T.EXPORT_LOCKED.format(path=path)) from exc
        except OSError as exc:
            raise ExportError(T.EXPORT_WRITE_FAILED.format(path=path, detail=os_error_text(exc))) from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
