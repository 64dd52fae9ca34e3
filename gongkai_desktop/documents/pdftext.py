"""Text helpers for reportlab: per-character font fallback, Chinese line breaking, a ToUnicode fix.

* :func:`fallback_markup` turns plain text into Paragraph markup where every run of characters the
  role font lacks is wrapped in ``<font face=…>`` of the first fallback face that has them.
  reportlab itself silently draws glyph 0 for such characters and drops them from the text layer.
* :class:`CJKParagraph` is a reportlab Paragraph whose CJK wrapping follows the Chinese line-breaking
  rules (禁则): no closing punctuation at a line start, no opening bracket/quote at a line end, no
  split inside 「——」/「……」 or inside a Latin word or number.
* :func:`install_reportlab_patches` makes reportlab's ToUnicode CMaps correct for characters outside
  the BMP (e.g. 𠮷 U+20BB7), which otherwise extract as garbage.

No Qt here; reportlab is imported lazily except where a subclass needs it (``CJKParagraph`` is
created on first attribute access, see ``__getattr__`` at the bottom).
"""

from __future__ import annotations

import inspect
import unicodedata
import warnings
from typing import Any, Callable, Iterable

__all__ = [
    "CANNOT_START",
    "CANNOT_END",
    "fallback_markup",
    "fallback_runs",
    "escape",
    "can_break",
    "kinsoku_frag_split",
    "CJKParagraph",
    "install_reportlab_patches",
]

# ---------------------------------------------------------------------------------------------
# Per-character fallback
# ---------------------------------------------------------------------------------------------
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """Escape text for reportlab's Paragraph mini-XML."""
    return text.translate(_ESCAPES)


_BMP_ONLY = None  # coverage marker for CID fonts: every BMP code point, nothing above
_name_coverage_cache: dict[str, frozenset[int] | None] = {}


def _coverage_of_registered(name: str) -> frozenset[int] | None:
    cov = _name_coverage_cache.get(name, False)
    if cov is not False:
        return cov  # type: ignore[return-value]
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(name)
    face = getattr(font, "face", None)
    c2g = getattr(face, "charToGlyph", None)
    if c2g is not None:
        cov = frozenset(c2g)
    elif font.__class__.__name__.endswith("CIDFont"):
        cov = _BMP_ONLY
    else:  # a standard Type 1 font: Latin-1 at best
        cov = frozenset(range(0x20, 0x100))
    _name_coverage_cache[name] = cov
    return cov


class _FontRef:
    """Uniform view of a font given as a registered name or as an object with
    ``codepoints()`` and ``font_name()`` (FontFace / FontChoice from :mod:`.fonts`).
    Both are evaluated lazily so unused fallback faces are never loaded or registered."""

    __slots__ = ("obj", "_cov", "_name")

    def __init__(self, obj: Any):
        self.obj = obj
        self._cov: Any = False
        self._name: str | None = obj if isinstance(obj, str) else None

    def covers(self, cp: int) -> bool:
        cov = self.coverage()
        return cp <= 0xFFFF if cov is _BMP_ONLY else cp in cov

    def coverage(self) -> frozenset[int] | None:
        if self._cov is False:
            if isinstance(self.obj, str):
                self._cov = _coverage_of_registered(self.obj)
            else:
                self._cov = self.obj.codepoints()
        return self._cov

    def name(self) -> str:
        if self._name is None:
            self._name = self.obj.font_name()
        return self._name


def _is_neutral(ch: str) -> bool:
    # Controls, format characters (ZWSP, ZWJ, bidi marks) and variation selectors draw nothing
    # on their own: they follow whatever run they are in and are never reported as missing.
    cp = ord(ch)
    if cp < 0x20 or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return True
    return unicodedata.category(ch) in ("Cc", "Cf")


_ROLE = 0  # run target: the paragraph's own font
_NEUTRAL = -1


def _split_runs(text, role_font, chain, latin, notdef):
    """Core of the fallback: ``([(run_text, _FontRef or None for the role font)], missing)``."""
    role = _FontRef(role_font) if role_font is not None else None
    cps = set(map(ord, text))
    need = {cp for cp in cps if not (role.covers(cp) if role else cp < 0x100)}
    latin_ref = _FontRef(latin) if latin is not None and latin is not role_font else None
    latin_cps: set[int] = set()
    if latin_ref is not None:
        latin_cps = {cp for cp in cps if 0x20 < cp < 0x370 and latin_ref.covers(cp)}
    if not need and not latin_cps:
        return ([(text, None)] if text else []), set()

    refs: list[_FontRef | None] = [None]  # index 0 (_ROLE) = the paragraph's own font
    targets: dict[int, int] = {}
    missing: set[str] = set()
    chain_refs = [_FontRef(f) for f in chain] if need - latin_cps else []
    for cp in need:
        ch = chr(cp)
        if cp in latin_cps:
            continue  # the Latin face has it (assigned below)
        if _is_neutral(ch):
            targets[cp] = _NEUTRAL
            continue
        for ref in chain_refs:
            if ref.covers(cp):
                if ref not in refs:
                    refs.append(ref)
                targets[cp] = refs.index(ref)
                break
        else:
            missing.add(ch)
    if latin_cps:
        refs.append(latin_ref)
        li = len(refs) - 1
        for cp in latin_cps:
            targets.setdefault(cp, li)
    notdef_name = notdef(missing) if (missing and notdef is not None) else None
    if notdef_name:
        refs.append(_FontRef(notdef_name))
        ni = len(refs) - 1
        for ch in missing:
            targets[ord(ch)] = ni
    # A space between two Latin runs stays Latin (one run instead of three); elsewhere it
    # belongs to the surrounding text.
    if latin_cps and 0x20 not in need:
        targets.setdefault(0x20, _NEUTRAL)

    runs: list[tuple[str, _FontRef | None]] = []
    cur = _ROLE
    buf: list[str] = []
    for ch in text:
        t = targets.get(ord(ch), _ROLE)
        if t != cur and t != _NEUTRAL:
            if buf:
                runs.append(("".join(buf), refs[cur]))
                buf.clear()
            cur = t
        buf.append(ch)
    if buf:
        runs.append(("".join(buf), refs[cur]))
    return runs, missing


def fallback_markup(
    text: str,
    role_font: Any,
    chain: Iterable[Any],
    *,
    latin: Any = None,
    notdef: Callable[[set[str]], str | None] | None = None,
) -> tuple[str, set[str]]:
    """Escape ``text`` and wrap runs the role font cannot draw in ``<font face="…">``.

    ``role_font`` and every element of ``chain`` are registered reportlab font names or objects with
    ``codepoints()`` and ``font_name()`` (``FontFace`` / ``FontChoice``); a fallback face is only
    loaded/registered when a character actually needs it.  ``latin`` (optional, same kinds) sets
    Latin letters, digits and ASCII punctuation, e.g. Times New Roman.  Characters found in no face
    are kept in the text (so they reach the PDF text layer) and returned in the ``missing`` set;
    ``notdef`` (e.g. ``FontPlan.notdef_font_name``) may supply a font that draws them as boxes
    without losing them from the text layer.
    """
    runs, missing = _split_runs(text, role_font, chain, latin, notdef)
    parts = [
        escape(t) if ref is None else f'<font face="{ref.name()}">{escape(t)}</font>' for t, ref in runs
    ]
    return "".join(parts), missing


def fallback_runs(
    text: str,
    role_font: Any,
    chain: Iterable[Any],
    *,
    latin: Any = None,
    notdef: Callable[[set[str]], str | None] | None = None,
) -> tuple[list[tuple[str, str]], set[str]]:
    """Same choice as :func:`fallback_markup`, returned as ``[(text, reportlab font name)]`` runs
    (unescaped) for code that draws glyphs itself instead of going through Paragraph markup."""
    runs, missing = _split_runs(text, role_font, chain, latin, notdef)
    role_name = _FontRef(role_font).name() if (runs and role_font is not None) else None
    return [(t, role_name if ref is None else ref.name()) for t, ref in runs], missing


# ---------------------------------------------------------------------------------------------
# Chinese line breaking (禁则)
# ---------------------------------------------------------------------------------------------
# Characters that must not begin a line: closing punctuation, pauses, ellipsis, Japanese small
# kana (harmless for Chinese, kept from reportlab's list), percent/degree signs, and the ASCII
# space (a break before a space would start the next line with it).
CANNOT_START = frozenset(
    "。，、；：？！”’）》」』〉】〕〗］｝…‥·・．～％‰℃°′″"
    ",.;:?!)]}%"
    "ヽヾゝゞ々〻ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    " \u3000"
)
# Characters that must not end a line: opening quotes and brackets, currency and number signs.
CANNOT_END = frozenset("“‘（《「『〈【〔〖［｛([{￥＄£€$#＃")
# Punctuation allowed to hang one character into the right margin (Word does the same by
# default for Chinese), instead of pulling a character down and leaving the line short.
HANGABLE = frozenset("。，、；：？！．,.;:?! \u3000")
# Never split a doubled dash or ellipsis (——, ……).
_UNSPLITTABLE_PAIRS = frozenset("—…⸺⸻")
_LATIN_PUNCT_IN_WORD = frozenset("._-/@:%&+#'’")


def _latin_word_char(ch: str) -> bool:
    # Letters and digits of non-CJK scripts, plus the punctuation that occurs inside numbers,
    # dates, URLs and e-mail addresses ("2025", "3.5", "www.gov.cn").
    if not ch:
        return False
    cp = ord(ch)
    if cp >= 0x2E80 and not (0xFF10 <= cp <= 0xFF5A):
        return False
    return ch.isalnum() or ch in _LATIN_PUNCT_IN_WORD


def can_break(before: str, after: str) -> bool:
    """Whether a line may end with ``before`` and the next one start with ``after``."""
    if not before or not after:
        return True
    if after in CANNOT_START or before in CANNOT_END:
        return False
    if before == after and before in _UNSPLITTABLE_PAIRS:
        return False
    if _latin_word_char(before) and _latin_word_char(after):
        return False
    return True


def kinsoku_frag_split(frags, maxWidths, calcBounds, *, hang: bool = True, encoding: str = "utf8"):
    """Like reportlab's ``cjkFragSplit`` (same input/output structures) with 禁则 applied.

    Greedy fill; when character *i* overflows the line, break before it if allowed; otherwise
    hang it (if it is hangable punctuation and hanging is on); otherwise move the break back to
    the nearest allowed position; only if the whole line has no allowed position is the line
    broken at the overflow (so a very long URL still wraps).
    """
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
    from reportlab.rl_config import _FUZZ

    U: list = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode(encoding)
        if text:
            U.extend(cjkU(t, f, encoding) for t in text)
        else:
            U.append(cjkU(text, f, encoding))
    n = len(U)
    # Zero-width items (images/anchors with no text) do not take part in the rules.
    visible = [i for i in range(n) if U[i]]

    import bisect

    def neighbours(b: int) -> tuple[str, str]:
        k = bisect.bisect_left(visible, b)
        before = U[visible[k - 1]] if k > 0 else ""
        after = U[visible[k]] if k < len(visible) else ""
        return before, after

    def ok(b: int) -> bool:
        return b >= n or can_break(*neighbours(b))

    def width(u, maxWidth: float) -> float:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = maxWidth
            w = w.normalizedValue(maxWidth)
        return w

    def choose_break(start: int, i: int) -> int:
        if i <= start:
            return start + 1  # a single item wider than the line: take it anyway
        if ok(i):
            return i
        if hang and U[i] in HANGABLE and ok(i + 1) and not hasattr(U[i].frag, "lineBreak"):
            return i + 1
        for b in range(i - 1, start, -1):
            if ok(b):
                return b
        return i

    lines = []
    start = 0
    while start < n:
        maxWidth = maxWidths[min(len(lines), len(maxWidths) - 1)]
        used = 0.0
        brk = n
        line_break = False
        i = start
        while i < n:
            u = U[i]
            w = width(u, maxWidth)
            if used + w > maxWidth + _FUZZ and used + w > 0:
                brk = choose_break(start, i)
                break
            used += w
            if hasattr(u.frag, "lineBreak"):
                brk, line_break = i + 1, True
                break
            i += 1
        line = U[start:brk]
        used = sum(width(u, maxWidth) for u in line)
        lines.append(makeCJKParaLine(line, maxWidth, used, maxWidth - used, line_break, calcBounds))
        start = brk
    return ParaLines(kind=1, lines=lines)


def _make_cjk_paragraph_class():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus.paragraph import Paragraph, _handleBulletWidth

    class CJKParagraph(Paragraph):
        """A Paragraph that wraps Chinese text by the 禁则 rules (always character-based, i.e.
        ``wordWrap='CJK'``; a style without it is cloned with it).  ``hang_punctuation=False``
        keeps every character inside the frame (useful in narrow table cells)."""

        hang_punctuation = True

        def __init__(self, text, style=None, *args, hang_punctuation: bool | None = None, **kw):
            if style is None:
                style = ParagraphStyle(name="cjkParagraphDefault", wordWrap="CJK")
            elif getattr(style, "wordWrap", None) != "CJK":
                style = style.clone(style.name, wordWrap="CJK")
            super().__init__(text, style, *args, **kw)
            if hang_punctuation is not None:
                self.hang_punctuation = hang_punctuation

        def breakLinesCJK(self, maxWidths):
            if not isinstance(maxWidths, (list, tuple)):
                maxWidths = [maxWidths]
            style = self.style
            self.height = 0
            _handleBulletWidth(self.bulletText, style, maxWidths)
            if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
                return self.blPara
            if not self.frags:
                return ParaLinesEmpty(style)
            autoLeading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
            calcBounds = autoLeading not in ("", "off")
            return kinsoku_frag_split(self.frags, maxWidths, calcBounds, hang=self.hang_punctuation)

        def split(self, availWidth, availHeight):
            parts = super().split(availWidth, availHeight)
            for p in parts:
                if isinstance(p, CJKParagraph):
                    p.hang_punctuation = self.hang_punctuation
            return parts

        def line_texts(self) -> list[str]:
            """The text of each wrapped line (after ``wrap``); handy for checks and tests."""
            bl = getattr(self, "blPara", None)
            if bl is None:
                return []
            out = []
            for line in bl.lines:
                if bl.kind == 1:
                    out.append("".join(getattr(w, "text", "") for w in line.words))
                else:
                    out.append(" ".join(line[1]))
            return out

    def ParaLinesEmpty(style):
        from reportlab.platypus.paragraph import ParaLines

        return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName,
                         textColor=style.textColor, lines=[], ascent=style.fontSize,
                         descent=-0.2 * style.fontSize)

    return CJKParagraph


_lazy: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    # CJKParagraph subclasses reportlab's Paragraph; build it on first use so importing this
    # module does not import reportlab.
    if name == "CJKParagraph":
        if name not in _lazy:
            _lazy[name] = _make_cjk_paragraph_class()
        return _lazy[name]
    raise AttributeError(name)


# ---------------------------------------------------------------------------------------------
# reportlab patch: ToUnicode CMaps for characters outside the BMP
# ---------------------------------------------------------------------------------------------
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
