"""The faces found on this machine: one :class:`FontFace` per face of a file, matched on the
family names stored inside the font (name IDs 1, 4, 16 and 6, every language), never on file
names; a scan cached in a JSON file keyed on path + mtime + size."""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Mapping

from .discovery import cache_dir as _cache_dir_fn
from .discovery import discover_font_files
from .texts import MESSAGES

_CACHE_FORMAT = 2
_CACHE_FILENAME = "font-scan.json"

# Windows LANGIDs / Mac language codes of Chinese name records (for the display name).
_ZH_WIN_LANGS = (0x0804, 0x1004, 0x0404, 0x0C04, 0x1404)
_ZH_MAC_LANGS = (33, 19)


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------
def normalize_name(name: str) -> str:
    """Case-, space-, hyphen- and underscore-insensitive key, so 'fangsong_gb2312' == 'FangSong GB2312'."""
    return "".join(ch for ch in name.casefold() if ch not in " -_\u3000\t")


def _has_cjk(s: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in s)


# ---------------------------------------------------------------------------------------------
# One face of one font file
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FontFace:
    """One face of a font file, as found by the scan (no cmap: see :meth:`codepoints`)."""

    path: str
    index: int
    family: str  # typographic family (ID 16) or family (ID 1), English preferred
    local_family: str  # Chinese family name when the font has one, else == family
    psname: str
    style: str
    names: tuple[str, ...]  # every name from IDs 1, 4, 6, 16 in every language
    weight: int = 400
    italic: bool = False
    outline: str = "glyf"  # 'glyf', 'CFF', 'CFF2' or 'none'
    variable: bool = False
    fstype: int = 0
    cjk: bool = False  # OS/2 says it covers CJK ideographs
    size: int = 0  # file size, used to pick a cheap font for the notdef carrier

    # -- identity -------------------------------------------------------------------------
    @property
    def key(self) -> tuple[str, int]:
        return (self.path, self.index)

    @property
    def display_name(self) -> str:
        """The name a Chinese user knows the font by: its Chinese family name when it has one."""
        return self.local_family or self.family

    @property
    def location(self) -> str:
        if self.index:
            return MESSAGES["location.face_index"].format(path=self.path, index=self.index)
        return self.path

    @cached_property
    def _norm_names(self) -> frozenset[str]:
        return frozenset(normalize_name(n) for n in self.names)

    def matches(self, name: str) -> bool:
        return normalize_name(name) in self._norm_names

    # -- embeddability --------------------------------------------------------------------
    @property
    def refusal(self) -> str | None:
        """None when reportlab can embed the face, else a short reason code."""
        if self.outline in ("CFF", "CFF2"):
            return "cff"
        if self.outline != "glyf":
            return "no_outline"
        if self.variable:
            return "variable"
        # Same test as reportlab's TTFontFile: 0x0002 = restricted, 0x0300 = no subset / bitmap only.
        if self.fstype == 0x0002 or (self.fstype & 0x0300):
            return "fstype"
        return None

    @property
    def embeddable(self) -> bool:
        return self.refusal is None

    def refusal_text(self) -> str | None:
        """Why the face cannot be embedded, in Chinese (None when it can)."""
        code = self.refusal
        return MESSAGES["reason." + code] if code else None

    def _preference(self) -> tuple:
        # Among faces sharing a family name prefer the regular, upright one (LXGW WenKai has
        # Light/Regular/Bold under one typographic family), then face 0, then the shorter path.
        return (abs(self.weight - 400), self.italic, self.index, len(self.path), self.path)

    # -- coverage and registration (lazy) -------------------------------------------------
    def codepoints(self) -> frozenset[int]:
        """The set of code points the face maps, loaded on first use and cached per process."""
        from .registration import codepoints

        return codepoints(self)

    def font_name(self) -> str:
        """Register with reportlab (first call only) and return the reportlab font name."""
        from .registration import register_face

        return register_face(self)

    # -- (de)serialisation for the scan cache ---------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "family": self.family, "local_family": self.local_family,
            "psname": self.psname, "style": self.style, "names": list(self.names),
            "weight": self.weight, "italic": self.italic, "outline": self.outline,
            "variable": self.variable, "fstype": self.fstype, "cjk": self.cjk,
        }

    @classmethod
    def from_json(cls, path: str, size: int, d: Mapping[str, Any]) -> "FontFace":
        return cls(
            path=path, index=int(d["index"]), family=str(d["family"]),
            local_family=str(d["local_family"]), psname=str(d["psname"]), style=str(d["style"]),
            names=tuple(str(n) for n in d["names"]), weight=int(d["weight"]),
            italic=bool(d["italic"]), outline=str(d["outline"]), variable=bool(d["variable"]),
            fstype=int(d["fstype"]), cjk=bool(d["cjk"]), size=size,
        )



# ---------------------------------------------------------------------------------------------
# Reading a font file with fontTools
# ---------------------------------------------------------------------------------------------
def _decode_name(rec) -> str | None:
    try:
        s = rec.toUnicode()
    except Exception:  # unknown legacy encodings: skip the record, other languages remain
        return None
    s = s.replace("\x00", "").strip()
    if not s or "\ufffd" in s:
        return None
    return s


def _face_from_ttfont(font, path: str, index: int, size: int) -> FontFace:
    names: list[str] = []
    # name ID 1 (family) and 16 (typographic family): the first English, the first of any
    # language, and the Chinese one (zh-CN preferred)
    first_en: dict[int, str] = {}
    first_any: dict[int, str] = {}
    zh: dict[int, str] = {}
    sub_en = None
    psname = ""
    name_table = font["name"] if "name" in font else None
    for rec in (name_table.names if name_table is not None else ()):
        if rec.nameID not in (1, 2, 4, 6, 16, 17):
            continue
        s = _decode_name(rec)
        if s is None:
            continue
        is_en = (rec.platformID == 3 and rec.langID == 0x0409) or (rec.platformID == 1 and rec.langID == 0)
        is_zh = (rec.platformID == 3 and rec.langID in _ZH_WIN_LANGS) or (
            rec.platformID == 1 and rec.langID in _ZH_MAC_LANGS
        )
        if rec.nameID in (2, 17):
            if is_en and (sub_en is None or rec.nameID == 17):
                sub_en = s
            continue
        if rec.nameID == 6:
            psname = psname or s
        if s not in names:
            names.append(s)
        if rec.nameID in (1, 16):
            first_any.setdefault(rec.nameID, s)
            if is_en:
                first_en.setdefault(rec.nameID, s)
            if is_zh and (rec.nameID not in zh or rec.langID == 0x0804):
                zh[rec.nameID] = s
    family = (first_en.get(16) or first_en.get(1) or first_any.get(16) or first_any.get(1) or psname
              or os.path.basename(path))
    local = zh.get(16) or zh.get(1)
    if not local:
        local = next((n for n in names if _has_cjk(n)), family)

    if "glyf" in font:
        outline = "glyf"
    elif "CFF " in font:
        outline = "CFF"
    elif "CFF2" in font:
        outline = "CFF2"
    else:
        outline = "none"

    weight, italic, fstype, cjk = 400, False, 0, False
    if "OS/2" in font:
        os2 = font["OS/2"]
        weight = int(getattr(os2, "usWeightClass", 400) or 400)
        italic = bool(getattr(os2, "fsSelection", 0) & 0x01)
        fstype = int(getattr(os2, "fsType", 0))
        # Unicode-range bit 59 (CJK Unified Ideographs) alone is unreliable (DejaVu Math TeX
        # Gyre sets it), so also require a CJK code page (932/936/949/950/1361).
        cjk = bool(getattr(os2, "ulUnicodeRange2", 0) & (1 << 27)) and bool(
            getattr(os2, "ulCodePageRange1", 0) & (0b11111 << 17)
        )
    if not cjk and _has_cjk(" ".join(names)):
        cjk = True  # fonts without a proper OS/2 but with a Chinese name are surely CJK
    return FontFace(
        path=path, index=index, family=family, local_family=local, psname=psname,
        style=sub_en or "", names=tuple(names), weight=weight, italic=italic, outline=outline,
        variable="fvar" in font, fstype=fstype, cjk=cjk, size=size,
    )


def read_font_file(path: str, size: int | None = None) -> list[FontFace]:
    """Every face of one .ttf/.otf/.ttc/.otc file (an empty list when unreadable)."""
    from fontTools.ttLib import TTCollection, TTFont

    if size is None:
        try:
            size = os.stat(path).st_size
        except OSError:
            return []
    faces: list[FontFace] = []
    try:
        with open(path, "rb") as fh:
            tag = fh.read(4)
        if tag == b"ttcf":
            coll = TTCollection(path, lazy=True)
            try:
                for i, font in enumerate(coll.fonts):
                    faces.append(_face_from_ttfont(font, path, i, size))
            finally:
                coll.close()
        else:
            font = TTFont(path, lazy=True)
            try:
                faces.append(_face_from_ttfont(font, path, 0, size))
            finally:
                font.close()
    except Exception:
        return []
    return faces



def _load_cache(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != _CACHE_FORMAT:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _write_cache(path: Path, files: dict[str, Any]) -> bool:
    """Atomic write (temp file in the same folder + os.replace); failure only costs speed."""
    from ...errors import ExportError
    from ...storage.fileio import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"format": _CACHE_FORMAT, "files": files}, ensure_ascii=False).encode("utf-8")
        write_atomic(path, data)
        return True
    except (OSError, ExportError):
        return False


# ---------------------------------------------------------------------------------------------
# Catalog
# ---------------------------------------------------------------------------------------------
@dataclass
class FontCatalog:
    """The faces found by a scan, with name lookup."""

    faces: list[FontFace]
    stats: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_name: dict[str, list[FontFace]] = {}
        for face in self.faces:
            for n in face._norm_names:
                self._by_name.setdefault(n, []).append(face)
        for lst in self._by_name.values():
            lst.sort(key=FontFace._preference)

    def find(self, name: str, *, embeddable_only: bool = False) -> list[FontFace]:
        """Faces having ``name`` among their names (case-insensitive), best face first."""
        faces = self._by_name.get(normalize_name(name), [])
        return [f for f in faces if f.embeddable] if embeddable_only else list(faces)

    def face_at(self, path: str, index: int = 0) -> FontFace | None:
        real = os.path.realpath(path)
        for f in self.faces:
            if f.index == index and (f.path == path or f.path == real):
                return f
        return None

    def embeddable_faces(self, *, cjk_only: bool = False) -> list[FontFace]:
        return [f for f in self.faces if f.embeddable and (f.cjk or not cjk_only)]

    def family_choices(self, *, cjk_only: bool = True) -> list[str]:
        """Distinct family names a user may pick from (embeddable faces only), for the UI."""
        seen: dict[str, None] = {}
        for f in sorted(self.embeddable_faces(cjk_only=cjk_only), key=lambda f: f.display_name):
            seen.setdefault(f.local_family if f.local_family else f.family, None)
        return list(seen)


def scan_fonts(
    cache_dir: str | os.PathLike | None = None,
    *,
    font_files: Iterable[str] | None = None,
    extra_dirs: Iterable[str] = (),
    use_cache: bool = True,
) -> FontCatalog:
    """Scan installed fonts (or exactly ``font_files``), reusing the JSON cache where valid.

    The cache is keyed on path and validated with mtime (ns) and size; it is rewritten
    atomically only when something changed.  A broken cache is ignored and rebuilt.
    """
    t0 = time.perf_counter()
    files = discover_font_files(extra_dirs) if font_files is None else [os.fspath(f) for f in font_files]
    cache_path = _cache_dir_fn(cache_dir) / _CACHE_FILENAME
    old = _load_cache(cache_path) if use_cache else {}
    new: dict[str, Any] = {}
    faces: list[FontFace] = []
    hits = misses = 0
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            continue
        entry = old.get(path)
        got: list[FontFace] | None = None
        if isinstance(entry, dict) and entry.get("mtime_ns") == st.st_mtime_ns and entry.get("size") == st.st_size:
            try:
                got = [FontFace.from_json(path, st.st_size, d) for d in entry.get("faces", [])]
                hits += 1
            except (KeyError, TypeError, ValueError):
                got = None  # a damaged entry: just read the font again
        if got is None:
            got = read_font_file(path, st.st_size)
            misses += 1
        new[path] = {"mtime_ns": st.st_mtime_ns, "size": st.st_size, "faces": [f.to_json() for f in got]}
        faces.extend(got)
    if font_files is not None:
        # A partial scan (explicit file list) must not throw away entries for other files.
        new = {**old, **new}
    written = False
    if use_cache and new != old:
        written = _write_cache(cache_path, new)
    stats = {
        "files": len(files), "faces": len(faces), "cache_hits": hits, "cache_misses": misses,
        "cache_written": written, "cache_path": str(cache_path), "seconds": time.perf_counter() - t0,
    }
    return FontCatalog(faces, stats)


_catalog_lock = threading.Lock()
_catalog: FontCatalog | None = None


def get_catalog(cache_dir: str | os.PathLike | None = None, *, refresh: bool = False) -> FontCatalog:
    """The process-wide catalog (scanned once; ``refresh=True`` rescans, e.g. after installing fonts)."""
    global _catalog
    with _catalog_lock:
        if _catalog is None or refresh:
            _catalog = scan_fonts(cache_dir)
        return _catalog


