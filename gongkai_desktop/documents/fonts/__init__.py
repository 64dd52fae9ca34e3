"""Font layer for the PDF exporter: find installed fonts, pick one per role, register lazily.

reportlab can only embed TrueType-outline (``glyf``) fonts, static, whose OS/2 fsType allows
embedding.  Font *file* names vary wildly between installs (仿宋_GB2312 ships under many names), so
faces are matched on the family names stored inside the font (name IDs 1, 4, 16 and 6, every
language), never on file names.

Reading every font with fontTools costs ~0.1 s per 100 faces, so the result of a scan is cached in
a JSON file keyed on path + mtime + size.  Character coverage (cmaps) is *not* part of the scan:
it is loaded on demand, per face, only when a per-character fallback is actually needed.

Nothing here imports Qt, and fontTools / reportlab / platformdirs are imported inside functions so
that importing this module stays cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Mapping

__all__ = [
    "MESSAGES",
    "ROLES",
    "ROLE_CHAINS",
    "OFFICIAL_FONTS",
    "CHAR_FALLBACK_CHAIN",
    "CID_FALLBACK_FONT",
    "FontFace",
    "FontCatalog",
    "FontChoice",
    "FontPlan",
    "cache_dir",
    "discover_font_files",
    "scan_fonts",
    "get_catalog",
    "resolve",
    "register_face",
    "register_cid_font",
    "normalize_name",
]

# ---------------------------------------------------------------------------------------------
# User-facing strings (Chinese).  Kept together so wording can be reviewed in one place.
# ---------------------------------------------------------------------------------------------
MESSAGES: dict[str, str] = {
    "role.title": "标题",
    "role.body": "正文",
    "role.heading": "一级标题",
    "role.subheading": "二级标题",
    "role.pagenum": "页码",
    "role.latin": "西文和数字",
    "describe.face": "{role}：{family}（{location}）",
    "describe.face_substitute": "{role}：{family}（{location}），代替{wanted}",
    "describe.face_override": "{role}：{family}（{location}），用户指定",
    "describe.cid": "{role}：未找到可嵌入的中文字体，使用 STSong-Light（不嵌入）",
    "describe.latin_none": "{role}：未找到 Times New Roman，西文和数字使用各部分的中文字体",
    "describe.fallback": "缺字补充字体：{names}",
    "describe.fallback_none": "缺字补充字体：无（生僻字可能显示为方框）",
    "location.face_index": "{path} 第 {index} 个字体",
    "reason.cff": "它是 PostScript（CFF）轮廓字体，无法嵌入 PDF",
    "reason.variable": "它是可变字体，无法正确嵌入 PDF",
    "reason.fstype": "它的授权不允许嵌入",
    "reason.no_outline": "它没有可用的字形轮廓",
    "note.installed_not_embeddable": "已安装 {name}，但{reason}，已改用其他字体",
    "note.override_not_found": "所选{role}字体「{name}」未找到，已按默认顺序选择",
    "note.override_refused": "所选{role}字体「{name}」不可用：{reason}，已按默认顺序选择",
    "note.override_not_cjk": "所选{role}字体「{name}」不含常用汉字，仍按用户指定使用",
    "hint.not_embedded": "PDF 中的中文字体未嵌入，在其他电脑上可能显示为乱码或方框。",
    "hint.windows": "请安装 TrueType 版的 仿宋_GB2312、楷体_GB2312、黑体、方正小标宋简体 等字体"
    "（可只为当前用户安装），然后重新导出 PDF。",
    "hint.linux": "请安装可嵌入的中文字体，例如在 Debian/Ubuntu/麒麟/统信上执行："
    "sudo apt install fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei，然后重新导出 PDF。",
    "hint.macos": "请安装 TrueType 版的 仿宋_GB2312、楷体_GB2312、黑体、方正小标宋简体 等字体，然后重新导出 PDF。",
    "missing_chars": "以下字符在所有已安装的字体中都找不到，PDF 中显示为方框：{chars}",
    "missing_chars_hint": "可安装含生僻字的字体（如 Windows 的 SimSun-ExtB，或 fonts-hanazono）后重新导出。",
}

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

CID_FALLBACK_FONT = "STSong-Light"

_CACHE_FORMAT = 2
_CACHE_FILENAME = "font-scan.json"
_FONT_EXTENSIONS = (".ttf", ".ttc", ".otf", ".otc")
_FC_LIST_FORMAT = "%{family}\t%{style}\t%{fontformat}\t%{index}\t%{file}\n"

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
        return _face_codepoints(self)

    def font_name(self) -> str:
        """Register with reportlab (first call only) and return the reportlab font name."""
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
    fam_en = fam_any = typo_en = typo_any = zh_family = zh_typo = None
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
        if rec.nameID == 1:
            fam_any = fam_any or s
            if is_en:
                fam_en = fam_en or s
            if is_zh and (zh_family is None or rec.langID == 0x0804):
                zh_family = s
        elif rec.nameID == 16:
            typo_any = typo_any or s
            if is_en:
                typo_en = typo_en or s
            if is_zh and (zh_typo is None or rec.langID == 0x0804):
                zh_typo = s
    family = typo_en or fam_en or typo_any or fam_any or psname or os.path.basename(path)
    local = zh_typo or zh_family
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


# ---------------------------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------------------------
def _platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def _font_dirs(platform: str) -> list[str]:
    home = os.path.expanduser("~")
    if platform == "windows":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs = [os.path.join(windir, "Fonts")]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            # Fonts installed without admin rights (often 方正小标宋 / 仿宋_GB2312) land here.
            dirs.append(os.path.join(local, "Microsoft", "Windows", "Fonts"))
        return dirs
    if platform == "macos":
        dirs = [
            "/System/Library/Fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts",
            os.path.join(home, "Library", "Fonts"),
        ]
        # Downloadable system fonts (华文仿宋, Songti …) live in asset folders.
        assets = Path("/System/Library/AssetsV2")
        if assets.is_dir():
            dirs += [str(p) for p in assets.glob("com_apple_MobileAsset_Font*")]
        return dirs
    xdg = os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")
    return [
        "/usr/share/fonts", "/usr/local/share/fonts", os.path.join(xdg, "fonts"),
        os.path.join(home, ".fonts"),
    ]


def _walk_font_dirs(dirs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for root, _subdirs, files in os.walk(d):
            for fn in files:
                if fn.lower().endswith(_FONT_EXTENSIONS):
                    out.append(os.path.join(root, fn))
    return out


def _fc_list_files() -> list[str] | None:
    """Font files known to fontconfig, or None when fc-list is unavailable."""
    try:
        proc = subprocess.run(
            ["fc-list", "-f", _FC_LIST_FORMAT], capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    out = []
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 5 and parts[4].lower().endswith(_FONT_EXTENSIONS):
            out.append(parts[4])
    return out


def _windows_registry_files() -> list[str]:
    """Files listed under HKLM/HKCU ...\\Fonts (covers fonts installed outside the two folders)."""
    try:
        import winreg  # type: ignore[import-not-found]
    except ImportError:
        return []
    windir = os.environ.get("WINDIR") or r"C:\Windows"
    out: list[str] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            key = winreg.OpenKey(hive, r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts")
        except OSError:
            continue
        with key:
            i = 0
            while True:
                try:
                    _name, value, _typ = winreg.EnumValue(key, i)
                except OSError:
                    break
                i += 1
                if isinstance(value, str) and value.lower().endswith(_FONT_EXTENSIONS):
                    out.append(value if os.path.isabs(value) else os.path.join(windir, "Fonts", value))
    return out


def discover_font_files(extra_dirs: Iterable[str] = ()) -> list[str]:
    """All candidate font files on this machine (deduplicated by real path, sorted).

    ``extra_dirs`` and the environment variable GONGKAI_FONT_DIRS (os.pathsep-separated) add
    folders, e.g. fonts shipped next to a portable build.
    """
    platform = _platform()
    files: list[str] = []
    if platform == "linux":
        fc = _fc_list_files()
        files += fc if fc is not None else _walk_font_dirs(_font_dirs(platform))
    else:
        files += _walk_font_dirs(_font_dirs(platform))
        if platform == "windows":
            files += _windows_registry_files()
    env_dirs = [d for d in os.environ.get("GONGKAI_FONT_DIRS", "").split(os.pathsep) if d]
    files += _walk_font_dirs([*extra_dirs, *env_dirs])
    # Symlinks (Debian's fonts-japanese-mincho.ttf -> HanaMinA.ttf) and, on Windows, the same
    # file spelled with another case (registry vs folder walk) must count once.
    seen: dict[str, str] = {}
    for f in files:
        try:
            real = os.path.realpath(f)
        except OSError:
            continue
        key = os.path.normcase(real)
        if key not in seen and os.path.isfile(real):
            seen[key] = real
    return sorted(seen.values())


# ---------------------------------------------------------------------------------------------
# Scan cache
# ---------------------------------------------------------------------------------------------
def cache_dir(override: str | os.PathLike | None = None) -> Path:
    """Where the scan cache lives: argument > $GONGKAI_CACHE_DIR > platformdirs user cache dir."""
    if override:
        return Path(override)
    env = os.environ.get("GONGKAI_CACHE_DIR")
    if env:
        return Path(env)
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("gongkai_desktop", appauthor=False))
    except ImportError:  # platformdirs is a dependency, but never fail font lookup over it
        return Path.home() / ".cache" / "gongkai_desktop"


_cache_dir_fn = cache_dir  # scan_fonts' parameter named cache_dir shadows the function


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


# ---------------------------------------------------------------------------------------------
# Coverage and reportlab registration (lazy, per process)
# ---------------------------------------------------------------------------------------------
_reg_lock = threading.RLock()
_cmap_cache: dict[tuple[str, int], frozenset[int]] = {}
_registered: dict[tuple[str, int], str] = {}
_register_seconds: dict[tuple[str, int], float] = {}


def _face_codepoints(face: FontFace) -> frozenset[int]:
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
        try:
            cps = _read_cmap_coverage(face.path, face.index)
        except Exception:
            cps = None
        if cps is None:  # a cmap layout the fast reader does not handle: let fontTools do it
            from fontTools.ttLib import TTFont

            try:
                font = TTFont(face.path, fontNumber=face.index, lazy=True)
                try:
                    cps = frozenset(font.getBestCmap() or {})
                finally:
                    font.close()
            except Exception:
                cps = frozenset()
    _cmap_cache[key] = cps
    return cps


# Same subtable preference as fontTools' getBestCmap.
_CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _read_cmap_coverage(path: str, index: int) -> frozenset[int] | None:
    """Coverage of the best cmap subtable (formats 4 and 12), read straight from the file.

    fontTools needs ~0.25 s for a large CJK cmap (HanaMinB, SimSun-ExtB); reading only the
    ranges takes a few ms.  Returns None for anything unusual so the caller can use fontTools.
    """
    import struct

    with open(path, "rb") as fh:
        head = fh.read(12)
        base = 0
        if head[:4] == b"ttcf":
            fh.seek(12 + 4 * index)
            (base,) = struct.unpack(">I", fh.read(4))
            fh.seek(base)
            head = fh.read(12)
        num_tables = struct.unpack(">H", head[4:6])[0]
        directory = fh.read(16 * num_tables)
        cmap_off = cmap_len = None
        for k in range(num_tables):
            tag, _chk, off, length = struct.unpack(">4sIII", directory[16 * k : 16 * k + 16])
            if tag == b"cmap":
                cmap_off, cmap_len = off, length
                break
        if cmap_off is None:
            return None
        fh.seek(cmap_off)
        data = fh.read(cmap_len)
    _ver, n = struct.unpack(">HH", data[:4])
    subtables = {}
    for k in range(n):
        plat, enc, off = struct.unpack(">HHI", data[4 + 8 * k : 12 + 8 * k])
        subtables.setdefault((plat, enc), off)
    for pe in _CMAP_PREFERENCE:
        off = subtables.get(pe)
        if off is None:
            continue
        fmt = struct.unpack(">H", data[off : off + 2])[0]
        cps: set[int] = set()
        if fmt == 12:
            (ngroups,) = struct.unpack(">I", data[off + 12 : off + 16])
            for g in range(ngroups):
                start, end, glyph = struct.unpack(">III", data[off + 16 + 12 * g : off + 28 + 12 * g])
                cps.update(range(start + (glyph == 0), end + 1))
            return frozenset(cps)
        if fmt == 4:
            seg_x2 = struct.unpack(">H", data[off + 6 : off + 8])[0]
            seg = seg_x2 // 2
            ends = struct.unpack(">%dH" % seg, data[off + 14 : off + 14 + seg_x2])
            p = off + 16 + seg_x2
            starts = struct.unpack(">%dH" % seg, data[p : p + seg_x2])
            deltas = struct.unpack(">%dh" % seg, data[p + seg_x2 : p + 2 * seg_x2])
            ro_pos = p + 2 * seg_x2
            ros = struct.unpack(">%dH" % seg, data[ro_pos : ro_pos + seg_x2])
            for s_, e_, d_, r_, k in zip(starts, ends, deltas, ros, range(seg)):
                if s_ == 0xFFFF:
                    continue
                if r_ == 0:
                    cps.update(c for c in range(s_, e_ + 1) if (c + d_) & 0xFFFF)
                else:
                    addr = ro_pos + 2 * k + r_
                    glyphs = struct.unpack(">%dH" % (e_ - s_ + 1), data[addr : addr + 2 * (e_ - s_ + 1)])
                    cps.update(c for c, g in zip(range(s_, e_ + 1), glyphs) if g and (g + d_) & 0xFFFF)
            cps.discard(0xFFFF)
            return frozenset(cps)
        return None  # best subtable in another format: defer to fontTools
    return None


def _reportlab_name(face: FontFace) -> str:
    # Stable within a process, unique per file+face, ASCII only (it ends up in PDF markup).
    ps = "".join(ch for ch in (face.psname or face.family) if ch.isascii() and ch.isalnum())[:32]
    digest = hashlib.sha1(f"{face.path}#{face.index}".encode("utf-8")).hexdigest()[:6]
    return f"GK-{ps or 'font'}-{digest}"


def register_face(face: FontFace) -> str:
    """Register ``face`` with reportlab on first use; return its reportlab font name."""
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

        t0 = time.perf_counter()
        name = _reportlab_name(face)
        pdfmetrics.registerFont(TTFont(name, face.path, subfontIndex=face.index))
        _register_seconds[key] = time.perf_counter() - t0
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


def registration_times() -> dict[str, float]:
    """Seconds spent registering each face so far in this process (for diagnostics)."""
    return {f"{p}#{i}": s for (p, i), s in _register_seconds.items()}


class _NotdefCarrier:
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
    platform: str = field(default_factory=_platform)
    notdef_face: FontFace | None = None

    def __post_init__(self) -> None:
        self._notdef = _NotdefCarrier(self.notdef_face) if self.notdef_face else None

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

    def markup(self, text: str, role: str, *, latin: bool = False) -> tuple[str, set[str]]:
        """Paragraph markup for ``text`` set in ``role``'s font, with per-character fallback."""
        from ..pdftext import fallback_markup

        choice = self.choices[role]
        latin_choice = self.choices.get("latin") if latin else None
        return fallback_markup(
            text, choice, self.fallback, latin=latin_choice,
            notdef=self.notdef_font_name if self._notdef else None,
        )

    def runs(self, text: str, role: str, *, latin: bool = False) -> tuple[list[tuple[str, str]], set[str]]:
        """Like :meth:`markup` but as ``[(text, reportlab font name)]`` runs, for drawing glyphs
        directly (grid layout, page numbers)."""
        from ..pdftext import fallback_runs

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
