"""Which face sets each role (title, body, heading, sub-heading, page number, Latin), the
per-character fallback, and the one declaration of the official face of each role."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from .catalog import FontCatalog, FontFace, get_catalog, normalize_name, read_font_file
from .discovery import platform
from .registration import CID_FALLBACK_FONT, NotdefCarrier, register_cid_font, register_face
from .texts import MESSAGES

ROLES: tuple[str, ...] = ("title", "body", "heading", "subheading", "pagenum", "latin")

# Open faces standing in for 宋体 on Linux (no free simplified FangSong exists anywhere).
_OPEN_SONG = ("AR PL UMing CN", "AR PL SungtiL GB", "AR PL UMing TW", "AR PL UMing HK")
_OPEN_HEI = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
_OPEN_KAI = ("LXGW WenKai", "AR PL UKai CN", "AR PL KaitiM GB", "AR PL UKai TW", "AR PL UKai HK")

# Ordered per-role chains: official Windows names first (Chinese and English spellings, since the
# name table may carry either), then the macOS and open equivalents.  First embeddable hit wins.
ROLE_CHAINS: dict[str, tuple[str, ...]] = {
    "title": (
        "方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05",
        "华文中宋", "STZhongsong", "宋体", "SimSun", "华文宋体", "STSong", "Songti SC",
    ) + _OPEN_SONG,
    "body": (
        "仿宋_GB2312", "FangSong_GB2312", "方正仿宋_GBK", "FZFangSong-Z02", "仿宋", "FangSong",
        "华文仿宋", "STFangsong", "宋体", "SimSun", "华文宋体", "STSong", "Songti SC",
    ) + _OPEN_SONG,
    "heading": (
        "黑体", "SimHei", "方正黑体_GBK", "FZHei-B01", "华文黑体", "STHeiti", "Heiti SC",
        "微软雅黑", "Microsoft YaHei",
    ) + _OPEN_HEI,
    "subheading": (
        "楷体_GB2312", "KaiTi_GB2312", "方正楷体_GBK", "FZKai-Z03", "楷体", "KaiTi",
        "华文楷体", "STKaiti", "Kaiti SC",
    ) + _OPEN_KAI,
    "pagenum": ("宋体", "SimSun", "华文宋体", "STSong", "Songti SC") + _OPEN_SONG,
    # Liberation Serif / Tinos are metric-compatible with Times New Roman, so line lengths match.
    "latin": ("Times New Roman", "Liberation Serif", "Tinos"),
}

# The official face of each role — the first name of its chain: what the .docx names (Word/WPS
# look it up on the clerk's machine) and what a PDF face stands in for.
OFFICIAL_FONTS: dict[str, str] = {role: chain[0] for role, chain in ROLE_CHAINS.items()}

# Used when a CJK role's own chain finds nothing: any reasonable embeddable CJK face beats the
# non-embedded CID font.
_GENERIC_CJK = (
    "宋体", "SimSun", "Songti SC") + _OPEN_SONG + ("微软雅黑", "Microsoft YaHei", "PingFang SC"
) + _OPEN_HEI + _OPEN_KAI

# Faces tried, in order, for characters the role font lacks (rare ideographs, symbols).
CHAR_FALLBACK_CHAIN: tuple[str, ...] = ("SimSun-ExtB", "HanaMinA", "HanaMinB", "Symbola")


# ---------------------------------------------------------------------------------------------
# Per-character fallback

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


def fallback_runs(
    text: str,
    role_font: Any,
    chain: Iterable[Any],
    *,
    latin: Any = None,
    notdef: Callable[[set[str]], str | None] | None = None,
) -> tuple[list[tuple[str, str]], set[str]]:
    """``text`` as ``[(text, reportlab font name)]`` runs, and the characters found in no face.

    ``role_font`` and every element of ``chain`` are registered reportlab font names or objects
    with ``codepoints()`` and ``font_name()`` (``FontFace`` / ``FontChoice``); a fallback face is
    only loaded/registered when a character actually needs it. ``latin`` (optional, same kinds)
    sets Latin letters, digits and ASCII punctuation, e.g. Times New Roman. Characters found in
    no face are kept in the text (so they reach the PDF text layer) and returned in the
    ``missing`` set; ``notdef`` (e.g. ``FontPlan.notdef_font_name``) may supply a font that
    draws them as boxes without losing them from the text layer. reportlab itself silently
    draws glyph 0 for a character its font lacks and drops it from the text layer."""
    runs, missing = _split_runs(text, role_font, chain, latin, notdef)
    role_name = _FontRef(role_font).name() if (runs and role_font is not None) else None
    return [(t, role_name if ref is None else ref.name()) for t, ref in runs], missing


# ---------------------------------------------------------------------------------------------
# Role resolution
# ---------------------------------------------------------------------------------------------
@dataclass
class FontChoice:
    """The face chosen for one role (``face`` is None for the non-embedded CID font)."""

    role: str
    face: FontFace | None
    wanted: str  # the official first choice for the role, e.g. 仿宋_GB2312
    matched: str | None = None  # the chain entry / override that selected the face
    source: str = "chain"  # 'override', 'chain', 'generic' or 'cid'

    @property
    def embedded(self) -> bool:
        return self.face is not None

    @property
    def family(self) -> str:
        return self.face.display_name if self.face else CID_FALLBACK_FONT

    @property
    def path(self) -> str | None:
        return self.face.path if self.face else None

    @property
    def index(self) -> int | None:
        return self.face.index if self.face else None

    @property
    def is_substitute(self) -> bool:
        return self.face is not None and self.source != "override" and not self.face.matches(self.wanted)

    def font_name(self) -> str:
        return register_face(self.face) if self.face else register_cid_font()

    def codepoints(self) -> frozenset[int] | None:
        """Coverage; None for the CID font (unknown: assume the whole BMP).

        Registers the face first: the role font is needed anyway, and reportlab's parse then
        supplies the cmap for free."""
        if self.face is None:
            return None
        register_face(self.face)
        return self.face.codepoints()


_CJK_ROLES = ("title", "body", "heading", "subheading", "pagenum")


@dataclass
class FontPlan:
    """Which face serves each role, plus the per-character fallback chain."""

    choices: dict[str, FontChoice | None]
    fallback: list[FontFace]
    notes: list[str] = field(default_factory=list)
    platform: str = field(default_factory=platform)
    notdef_face: FontFace | None = None

    def __post_init__(self) -> None:
        self._notdef = NotdefCarrier(self.notdef_face) if self.notdef_face else None

    def register_for(self, chars_by_role: Mapping[str, Iterable[str]]) -> None:
        """Register, before a document is laid out, every face it will draw with: the role
        faces, the Latin face, and the fallback face of each character no role face has.
        (Registration is lazy anyway; doing it up front keeps it out of the layout.)"""
        latin = self.choices.get("latin")
        need: set[int] = set()
        for role, chars in chars_by_role.items():
            choice = self.choices.get(role)
            if choice is None or choice.face is None:
                continue
            register_face(choice.face)
            have = choice.face.codepoints()
            need |= {ord(ch) for ch in chars if ord(ch) > 0x20 and ord(ch) not in have}
        if latin is not None and latin.face is not None:
            register_face(latin.face)
        for cp in sorted(need):
            for face in self.fallback:
                if cp in face.codepoints():
                    register_face(face)
                    break

    def __getitem__(self, role: str) -> FontChoice | None:
        return self.choices[role]

    @property
    def embedded(self) -> bool:
        """True when every CJK role is an embedded TrueType face (no STSong-Light anywhere)."""
        return all(c is not None and c.embedded for r, c in self.choices.items() if r in _CJK_ROLES)

    def font_name(self, role: str) -> str | None:
        """reportlab font name for ``role`` (registers on first use); None for latin without TNR."""
        choice = self.choices.get(role)
        return choice.font_name() if choice else None

    def notdef_font_name(self, chars: Iterable[str]) -> str | None:
        """Font name that keeps ``chars`` (found in no font) in the text layer, drawn as boxes."""
        return self._notdef.font_name_for(chars) if self._notdef else None

    def runs(self, text: str, role: str, *, latin: bool = False) -> tuple[list[tuple[str, str]], set[str]]:
        """``text`` set in ``role``'s face as ``[(text, reportlab font name)]`` runs, with
        per-character fallback (and digits and Latin in the Latin face when ``latin``), and the
        characters found in no face."""
        choice = self.choices[role]
        latin_choice = self.choices.get("latin") if latin else None
        return fallback_runs(
            text, choice, self.fallback, latin=latin_choice,
            notdef=self.notdef_font_name if self._notdef else None,
        )

    def describe(self) -> list[str]:
        """Chinese lines for the UI / export log, one per role, then the fallback and notes."""
        lines = []
        for role in ROLES:
            label = MESSAGES["role." + role]
            c = self.choices.get(role)
            if c is None:
                lines.append(MESSAGES["describe.latin_none"].format(role=label))
            elif c.face is None:
                lines.append(MESSAGES["describe.cid"].format(role=label))
            else:
                key = "describe.face"
                if c.source == "override":
                    key = "describe.face_override"
                elif c.is_substitute:
                    key = "describe.face_substitute"
                lines.append(MESSAGES[key].format(
                    role=label, family=c.face.display_name, location=c.face.location, wanted=c.wanted
                ))
        if self.fallback:
            lines.append(MESSAGES["describe.fallback"].format(
                names="、".join(f.display_name for f in self.fallback[: len(CHAR_FALLBACK_CHAIN) + 2])
                + ("等" if len(self.fallback) > len(CHAR_FALLBACK_CHAIN) + 2 else "")
            ))
        else:
            lines.append(MESSAGES["describe.fallback_none"])
        return lines + list(self.notes)

    def missing_message(self, chars: Iterable[str]) -> str | None:
        """Chinese message listing characters no installed font has (None when there are none)."""
        chars = sorted(set(chars))
        if not chars:
            return None
        listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in chars)
        return MESSAGES["missing_chars"].format(chars=listed) + MESSAGES["missing_chars_hint"]

    def install_hint(self) -> str | None:
        """What to install, in Chinese, when the PDF would not embed its Chinese fonts."""
        if self.embedded:
            return None
        return MESSAGES["hint.not_embedded"] + MESSAGES["hint." + self.platform]


def _parse_override(value: Any) -> tuple[str, int] | None:
    """(path, index) when the override names a file ('…/x.ttc#1' selects face 1), else None."""
    s = os.fspath(value)
    base, sep, idx = s.rpartition("#")
    if sep and idx.isdigit() and os.path.isfile(base):
        return base, int(idx)
    if os.path.isfile(s):
        return s, 0
    return None


def _pick_override(role: str, value: Any, catalog: FontCatalog, notes: list[str]) -> FontFace | None:
    label = MESSAGES["role." + role]
    if isinstance(value, FontFace):
        candidates = [value]
        shown = value.display_name
    else:
        shown = os.fspath(value)
        parsed = _parse_override(value)
        if parsed is not None:
            path, index = parsed
            face = catalog.face_at(path, index)
            if face is None:  # a file outside the font folders: read it directly
                face = next((f for f in read_font_file(os.path.realpath(path)) if f.index == index), None)
            candidates = [face] if face else []
        else:
            candidates = catalog.find(shown)
    if not candidates:
        notes.append(MESSAGES["note.override_not_found"].format(role=label, name=shown))
        return None
    for face in candidates:
        if face.embeddable:
            if role in _CJK_ROLES and not face.cjk:
                notes.append(MESSAGES["note.override_not_cjk"].format(role=label, name=shown))
            return face
    reason = candidates[0].refusal_text() or ""
    notes.append(MESSAGES["note.override_refused"].format(role=label, name=shown, reason=reason))
    return None


def _walk_chain(chain: Iterable[str], catalog: FontCatalog, notes: list[str]) -> tuple[FontFace, str] | None:
    for name in chain:
        faces = catalog.find(name)
        if not faces:
            continue
        for face in faces:
            if face.embeddable:
                return face, name
        # Installed but unusable (typically an OpenType/CFF 方正 font): tell the user why.
        note = MESSAGES["note.installed_not_embeddable"].format(name=name, reason=faces[0].refusal_text())
        if note not in notes:
            notes.append(note)
    return None


def resolve(
    overrides: Mapping[str, Any] | None = None,
    *,
    catalog: FontCatalog | None = None,
    cache_dir: str | os.PathLike | None = None,
) -> FontPlan:
    """Choose a face for every role.  ``overrides`` maps role -> family name, file path
    ('path#index' for a face of a collection) or FontFace; an unusable override falls back to the
    default chain with a note.  Nothing is registered with reportlab here."""
    if catalog is None:
        catalog = get_catalog(cache_dir)
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown font role(s): {sorted(unknown)}")
    notes: list[str] = []
    choices: dict[str, FontChoice | None] = {}
    for role in ROLES:
        chain = ROLE_CHAINS[role]
        wanted = chain[0]
        value = overrides.get(role)
        if value:
            face = _pick_override(role, value, catalog, notes)
            if face is not None:
                shown = face.family if isinstance(value, FontFace) else os.fspath(value)
                choices[role] = FontChoice(role, face, wanted, shown, "override")
                continue
        hit = _walk_chain(chain, catalog, notes)
        if hit is not None:
            choices[role] = FontChoice(role, hit[0], wanted, hit[1], "chain")
            continue
        if role == "latin":
            choices[role] = None  # digits and letters stay in each role's own font
            continue
        hit = _walk_chain(_GENERIC_CJK, catalog, notes)
        if hit is None:
            anyface = sorted(catalog.embeddable_faces(cjk_only=True), key=lambda f: (f._preference(), f.family))
            hit = (anyface[0], anyface[0].family) if anyface else None
        if hit is not None:
            choices[role] = FontChoice(role, hit[0], wanted, hit[1], "generic")
        else:
            choices[role] = FontChoice(role, None, wanted, None, "cid")

    # Per-character fallback: the named chain, then the other role faces (probably registered
    # already, so cheap), then any other embeddable CJK face.
    fallback: list[FontFace] = []
    seen: set[tuple[str, int]] = set()

    def add(face: FontFace | None) -> None:
        if face is not None and face.embeddable and face.key not in seen:
            seen.add(face.key)
            fallback.append(face)

    for name in CHAR_FALLBACK_CHAIN:
        for face in catalog.find(name, embeddable_only=True)[:1]:
            add(face)
    for role in _CJK_ROLES:
        c = choices[role]
        add(c.face if c else None)
    # Other faces of an already listed file or family add little coverage but cost a cmap load
    # each when a character is found nowhere, so take one face per file and per family.
    seen_paths = {f.path for f in fallback}
    seen_families = {normalize_name(f.family) for f in fallback}
    for face in sorted(catalog.embeddable_faces(cjk_only=True), key=lambda f: (f._preference(), f.family)):
        fam = normalize_name(face.family)
        if face.path in seen_paths or fam in seen_families:
            continue
        seen_paths.add(face.path)
        seen_families.add(fam)
        add(face)

    # The notdef carrier: the smallest embeddable file, since it is parsed once more for itself.
    embeddable = catalog.embeddable_faces()
    notdef_face = min(embeddable, key=lambda f: (f.size, f.path, f.index)) if embeddable else None
    return FontPlan(choices, fallback, notes, notdef_face=notdef_face)

