"""Registering faces with reportlab, lazily and fast, and the PDF-level fixes that go with it.

* :func:`register_face` registers a face the first time a document needs it, through the
  :class:`FaceCache`: reportlab's parse of a large CJK TrueType file (cmap, widths, glyph
  offsets of ~30 000 glyphs, in pure Python) takes 0.15–0.3 s per face, every process; the
  parsed tables are kept in the user cache (marshal: data only, no code) keyed on file, size,
  mtime and the reportlab/Python versions, and the face is registered from there in a few
  hundredths of a second. Anything unexpected → reportlab's ordinary registration.
* :func:`codepoints` — a face's coverage, from reportlab once registered, else from the file's cmap.
* :class:`NotdefCarrier` keeps characters that no font has in the text layer (drawn as boxes).
* :func:`install_reportlab_patches` makes reportlab's ToUnicode CMaps right for characters
  outside the BMP (𠮷 U+20BB7 otherwise extracts as garbage).
"""

from __future__ import annotations

import hashlib
import inspect
import os
import threading
import warnings
from pathlib import Path
from typing import Iterable

from .catalog import FontFace
from .cmap import read_coverage
from .discovery import cache_dir

CID_FALLBACK_FONT = "STSong-Light"

_reg_lock = threading.RLock()
_cmap_cache: dict[tuple[str, int], frozenset[int]] = {}
_registered: dict[tuple[str, int], str] = {}


def registered_name(face: FontFace) -> str | None:
    """The reportlab name of ``face`` when it is registered in this process, else None."""
    return _registered.get(face.key)


# ---------------------------------------------------------------------------------------------
# The face cache

_FACE_CACHE_FORMAT = 3
# The large per-glyph tables are stored as packed arrays: rebuilding them from bytes is several
# times faster than unmarshalling ~40 000-entry dicts and lists of tuples.
_PACKED = ("charToGlyph", "charWidths", "hmetrics", "glyphPos", "glyphToChar")


def _pack(values) -> list:
    from array import array

    vals = list(values)
    code = "q" if all(type(v) is int for v in vals) else "d"
    return [code, array(code, vals).tobytes()]


def _array(packed: list):
    from array import array

    a = array(packed[0])
    a.frombytes(packed[1])
    return a


def _unpack(packed: list) -> list:
    return _array(packed).tolist()


class _Pairs:
    """A read-only sequence of (a[i], b[i]) over two arrays: reportlab's ``hmetrics`` (advance,
    left side bearing) per glyph, which it only indexes, without building 40 000 tuples."""

    __slots__ = ("_a", "_b")

    def __init__(self, a, b):
        self._a, self._b = a, b

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(zip(self._a[i], self._b[i]))
        return (self._a[i], self._b[i])

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return zip(self._a, self._b)

    def __eq__(self, other):
        return list(self) == list(other)


class _GlyphToChar(dict):
    """glyph → [characters] as reportlab's parser built it, filled from the packed (glyph, char)
    pairs on first use (only reportlab's HarfBuzz shaping reads it)."""

    def __init__(self, glyphs: list, chars: list):
        super().__init__()
        self._c2g = (glyphs, chars)

    def _build(self) -> None:
        pairs, self._c2g = self._c2g, None
        if pairs is not None:
            for g, ch in zip(*pairs):
                dict.setdefault(self, g, []).append(ch)

    def __missing__(self, key):
        if self._c2g is None:
            raise KeyError(key)
        self._build()
        return self[key]

    def __contains__(self, key):
        self._build()
        return dict.__contains__(self, key)

    def __iter__(self):
        self._build()
        return dict.__iter__(self)

    def __len__(self):
        self._build()
        return dict.__len__(self)

    def get(self, key, default=None):
        self._build()
        return dict.get(self, key, default)

    def setdefault(self, key, default=None):
        self._build()
        return dict.setdefault(self, key, default)

    def keys(self):
        self._build()
        return dict.keys(self)

    def values(self):
        self._build()
        return dict.values(self)

    def items(self):
        self._build()
        return dict.items(self)


def _map_file(path: str):
    """The font file's bytes, memory-mapped (reportlab only slices them: reading 20–30 MB CJK
    files whole costs more than the pages a subset actually touches)."""
    import mmap

    with open(path, "rb") as fh:
        try:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return fh.read()




class FaceCache:
    """reportlab's parsed tables of faces, on disk (``folder``, default the user cache)."""

    def __init__(self, folder: str | os.PathLike | None = None):
        self._folder = Path(folder) if folder is not None else None

    def folder(self) -> Path:
        return (self._folder or cache_dir()) / "reportlab-faces"

    def path(self, face: FontFace) -> Path:
        digest = hashlib.sha1(f"{face.path}#{face.index}".encode("utf-8")).hexdigest()[:16]
        return self.folder() / f"{digest}.marshal"

    def key(self, face: FontFace) -> list:
        """What a cached entry must match: the file (size, mtime) and the reportlab/Python versions."""
        import sys

        import reportlab

        st = os.stat(face.path)
        return [_FACE_CACHE_FORMAT, face.path, face.index, st.st_size, st.st_mtime_ns, reportlab.Version,
                list(sys.version_info[:2])]

    def load(self, name: str, face):
        """A reportlab TTFont for ``face`` built from the cache, or None."""
        import marshal

        from reportlab import rl_config
        from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace
        from weakref import WeakKeyDictionary

        path = self.path(face)
        try:
            data = marshal.loads(path.read_bytes())
            if data["key"] != self.key(face):
                return None
            state = data["state"]
            ttf_data = _map_file(face.path)
        except Exception:
            return None
        tf = TTFontFace.__new__(TTFontFace)
        for k, v in state.items():
            if isinstance(v, list) and len(v) == 2 and v[0] == "\x00name":
                v = TTFNameBytes(v[1].encode("utf-8"))
            tf.__dict__[k] = v
        packed = data["packed"]
        tf.charToGlyph = dict(zip(_unpack(packed["c2g_keys"]), _unpack(packed["c2g_values"])))
        tf.charWidths = dict(zip(_unpack(packed["cw_keys"]), _unpack(packed["cw_values"])))
        tf.hmetrics = _Pairs(_array(packed["hm_advance"]), _array(packed["hm_lsb"]))
        tf.glyphPos = _array(packed["glyph_pos"])  # indexed only; an array indexes like the list
        tf.glyphToChar = _GlyphToChar(_unpack(packed["g2c_glyphs"]), _unpack(packed["g2c_chars"]))
        tf._ttf_data = ttf_data
        upem = tf.unitsPerEm
        tf._pdfScale = (lambda x: x) if upem == 1000 else (lambda x, m=1000 / upem: x * m)
        font = TTFont.__new__(TTFont)
        font.fontName = name
        font.face = tf
        font.encoding = TTEncoding()
        font.state = WeakKeyDictionary()
        font._asciiReadable = rl_config.ttfAsciiReadable
        font.shapable = data["shapable"]
        if sorted(font.__dict__) != data["font_attrs"] or sorted(tf.__dict__) != data["face_attrs"]:
            return None  # reportlab builds its objects differently now: do not guess
        return font


    def store(self, font, face) -> None:
        import marshal
        import os

        from reportlab.pdfbase.ttfonts import TTFNameBytes

        tf = font.face
        state = {}
        for k, v in tf.__dict__.items():
            if k in ("_ttf_data", "_pdfScale") or k in _PACKED:
                continue
            if isinstance(v, TTFNameBytes):
                v = ["\x00name", v.ustr]
            state[k] = v
        try:
            packed = {
                "c2g_keys": _pack(tf.charToGlyph.keys()), "c2g_values": _pack(tf.charToGlyph.values()),
                "cw_keys": _pack(tf.charWidths.keys()), "cw_values": _pack(tf.charWidths.values()),
                "hm_advance": _pack(a for a, _b in tf.hmetrics), "hm_lsb": _pack(b for _a, b in tf.hmetrics),
                "glyph_pos": _pack(tf.glyphPos),
                "g2c_glyphs": _pack(g for g, chars in tf.glyphToChar.items() for _c in chars),
                "g2c_chars": _pack(c for _g, chars in tf.glyphToChar.items() for c in chars),
            }
        except (AttributeError, TypeError, ValueError, OverflowError):
            return  # not the tables this code knows: no cache
        data = {"key": self.key(face), "state": state, "packed": packed, "shapable": font.shapable,
                "font_attrs": sorted(font.__dict__), "face_attrs": sorted(tf.__dict__)}
        path = self.path(face)
        try:
            blob = marshal.dumps(data)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(blob)
            os.replace(tmp, path)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs time




FACE_CACHE = FaceCache()


# ---------------------------------------------------------------------------------------------
# Registration

def _reportlab_name(face: FontFace) -> str:
    # Stable within a process, unique per file+face, ASCII only (it ends up in PDF markup).
    ps = "".join(ch for ch in (face.psname or face.family) if ch.isascii() and ch.isalnum())[:32]
    digest = hashlib.sha1(f"{face.path}#{face.index}".encode("utf-8")).hexdigest()[:6]
    return f"GK-{ps or 'font'}-{digest}"



def register_face(face: FontFace, cache: FaceCache | None = None) -> str:
    """Register ``face`` with reportlab on first use (through the face cache); return its
    reportlab font name."""
    key = face.key
    name = _registered.get(key)
    if name is not None:
        return name
    with _reg_lock:
        name = _registered.get(key)
        if name is not None:
            return name
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        cache = cache or FACE_CACHE
        name = _reportlab_name(face)
        font = cache.load(name, face) if face.embeddable else None
        if font is None:
            font = TTFont(name, face.path, subfontIndex=face.index)
            if face.embeddable:
                cache.store(font, face)
        pdfmetrics.registerFont(font)
        _registered[key] = name
        return name


def register_cid_font() -> str:
    """Register the non-embedded last-resort CID font and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    with _reg_lock:
        try:
            pdfmetrics.getFont(CID_FALLBACK_FONT)
        except KeyError:
            pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK_FONT))
    return CID_FALLBACK_FONT



def codepoints(face: FontFace) -> frozenset[int]:
    """The code points ``face`` maps, cached per process: from reportlab when registered, else
    from the file's cmap (a few milliseconds, no font parse)."""
    key = face.key
    cps = _cmap_cache.get(key)
    if cps is not None:
        return cps
    name = _registered.get(key)
    if name is not None:
        # Already parsed by reportlab: reuse its cmap instead of reading the file again.
        from reportlab.pdfbase import pdfmetrics

        cps = frozenset(pdfmetrics.getFont(name).face.charToGlyph)
    else:
        cps = read_coverage(face.path, face.index)
    _cmap_cache[key] = cps
    return cps


class NotdefCarrier:
    """A private copy of a small font whose cmap is extended with characters no font has.

    They map to glyph 0, so the PDF shows the usual box, but reportlab now gives them a code and
    a ToUnicode entry: the character survives in the text layer (search, copy, accessibility)
    instead of vanishing silently.  A separate TTFont instance keeps real fonts' cmaps honest.
    """

    def __init__(self, face: FontFace):
        self.face = face
        self.name: str | None = None
        self._lock = threading.Lock()

    def font_name_for(self, chars: Iterable[str]) -> str:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        with self._lock:
            if self.name is None:
                name = "GK-NOTDEF-" + hashlib.sha1(f"{self.face.path}#{self.face.index}".encode()).hexdigest()[:6]
                try:
                    pdfmetrics.getFont(name)
                except KeyError:
                    font = TTFont(name, self.face.path, subfontIndex=self.face.index)
                    font.face.charToGlyph = dict(font.face.charToGlyph)
                    font.face.charWidths = dict(font.face.charWidths)
                    pdfmetrics.registerFont(font)
                self.name = name
            face = pdfmetrics.getFont(self.name).face
            import unicodedata

            for ch in chars:
                cp = ord(ch)
                if cp not in face.charToGlyph:
                    face.charToGlyph[cp] = 0
                    # Full em for wide characters so the box takes the place the glyph would.
                    wide = cp > 0xFFFF or unicodedata.east_asian_width(ch) in ("W", "F")
                    face.charWidths[cp] = 1000 if wide else 500
            return self.name



# ---------------------------------------------------------------------------------------------
# reportlab patch: ToUnicode CMaps for characters outside the BMP

_PATCH_WRITTEN_FOR = "5.1"  # reportlab version the patch was written and tested against
_BFCHAR_CHUNK = 100  # the PDF spec limits a beginbfchar block to 100 entries


def _utf16be_hex(cp: int) -> str:
    if cp > 0xFFFF:
        v = cp - 0x10000
        return "%04X%04X" % (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
    return "%04X" % cp


def _make_to_unicode_cmap(fontname, subset):
    """Drop-in replacement for ``reportlab.pdfbase.ttfonts.makeToUnicodeCMap``: identical output
    for BMP characters, UTF-16BE surrogate pairs for the others, bfchar blocks of ≤100."""
    entries = ["<%02X> <%s>" % (i, _utf16be_hex(v)) for i, v in enumerate(subset)]
    body: list[str] = []
    for k in range(0, len(entries), _BFCHAR_CHUNK):
        chunk = entries[k : k + _BFCHAR_CHUNK]
        body += ["%d beginbfchar" % len(chunk), *chunk, "endbfchar"]
    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        "<< /Registry (%s)" % fontname,
        "/Ordering (%s)" % fontname,
        "/Supplement 0",
        ">> def",
        "/CMapName /%s def" % fontname,
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
        *body,
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


_make_to_unicode_cmap._gongkai_patch = True  # type: ignore[attr-defined]


def install_reportlab_patches() -> bool:
    """Install the ToUnicode fix into reportlab (idempotent).  Returns True when the running
    reportlab now writes correct CMaps (patched now, earlier, or fixed upstream), False when the
    patch was skipped because reportlab's function no longer looks like the one it replaces."""
    import reportlab
    from reportlab.pdfbase import ttfonts

    current = getattr(ttfonts, "makeToUnicodeCMap", None)
    if current is None:
        warnings.warn("reportlab.pdfbase.ttfonts.makeToUnicodeCMap not found; "
                      "non-BMP text extraction fix not installed", RuntimeWarning, stacklevel=2)
        return False
    if getattr(current, "_gongkai_patch", False):
        return True
    try:
        params = list(inspect.signature(current).parameters)
    except (TypeError, ValueError):
        params = []
    if params != ["fontname", "subset"]:
        warnings.warn(f"reportlab {reportlab.Version}: makeToUnicodeCMap{params} differs from the "
                      "signature the patch was written for; non-BMP fix not installed",
                      RuntimeWarning, stacklevel=2)
        return False
    try:
        probe = current("PROBE", [0, 0x20BB7])
    except Exception:
        probe = ""
    if "D842DFB7" in probe.replace(" ", "").upper():
        return True  # reportlab handles surrogates itself: nothing to do
    if not str(reportlab.Version).startswith(_PATCH_WRITTEN_FOR):
        warnings.warn(f"ToUnicode patch written for reportlab {_PATCH_WRITTEN_FOR}, running "
                      f"{reportlab.Version}; installing since the signature still matches",
                      RuntimeWarning, stacklevel=2)
    _make_to_unicode_cmap._original = current  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = _make_to_unicode_cmap
    return True
