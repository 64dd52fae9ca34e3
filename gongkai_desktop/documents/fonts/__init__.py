"""Fonts for the documents: find installed faces, pick one per role, register them lazily.

reportlab can only embed TrueType-outline (``glyf``) fonts, static, whose OS/2 fsType allows
embedding. Font *file* names vary wildly between installs (仿宋_GB2312 ships under many names), so
faces are matched on the family names stored inside the font, never on file names.

The package, by what each module holds:

* :mod:`.discovery` — where font files are (fontconfig, font folders, the Windows registry) and
  where the caches live;
* :mod:`.catalog` — :class:`FontFace` (one face of a file, read with fontTools) and the cached
  scan of them all, :class:`FontCatalog`;
* :mod:`.cmap` — which code points a face maps, read from its cmap;
* :mod:`.registration` — registering faces with reportlab through an on-disk face cache, the
  notdef carrier, the ToUnicode fix;
* :mod:`.roles` — the official face of each role, the per-role chains, :func:`resolve` and the
  :class:`FontPlan` with its per-character fallback runs;
* :mod:`.linebreak` — Chinese line breaking (禁则);
* :mod:`.texts` — the Chinese strings.

Nothing here imports Qt, and fontTools / reportlab / platformdirs are imported inside functions so
that importing this package stays cheap.
"""

from __future__ import annotations

from .catalog import FontCatalog, FontFace, get_catalog, normalize_name, read_font_file, scan_fonts
from .discovery import cache_dir, discover_font_files, platform
from .linebreak import CANNOT_END, CANNOT_START, can_break
from .registration import (CID_FALLBACK_FONT, FACE_CACHE, FaceCache, codepoints, install_reportlab_patches,
                           register_cid_font, register_face, registered_name)
from .roles import (CHAR_FALLBACK_CHAIN, OFFICIAL_FONTS, ROLE_CHAINS, ROLES, FontChoice, FontPlan, fallback_runs,
                    resolve)
from .texts import MESSAGES

__all__ = [
    "MESSAGES",
    "ROLES",
    "ROLE_CHAINS",
    "OFFICIAL_FONTS",
    "CHAR_FALLBACK_CHAIN",
    "CID_FALLBACK_FONT",
    "CANNOT_START",
    "CANNOT_END",
    "FACE_CACHE",
    "FaceCache",
    "FontFace",
    "FontCatalog",
    "FontChoice",
    "FontPlan",
    "cache_dir",
    "can_break",
    "codepoints",
    "discover_font_files",
    "fallback_runs",
    "install_reportlab_patches",
    "normalize_name",
    "platform",
    "read_font_file",
    "register_cid_font",
    "register_face",
    "registered_name",
    "resolve",
    "scan_fonts",
    "get_catalog",
]
