"""Chinese line breaking (禁则): where a line may end, for every renderer that sets lines itself.

No closing punctuation at a line start, no opening bracket or quote at a line end, no split
inside 「——」/「……」 or inside a Latin word or number."""

from __future__ import annotations

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
