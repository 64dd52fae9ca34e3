"""Chinese numerals as reports write counts: 十二、两百、一百零五、三万五千、二〇二五.

cn2an (the usual library) was the first choice, but it reads its configuration through
``pkg_resources`` — deprecated, no longer shipped with new setuptools nor in new virtual
environments, and excluded from the frozen build — and takes ~0.1 s to import. Counts in a
report stay in the 万 range, which this small converter covers; tests/test_text_checks.py checks
it against cn2an for every number up to 100,000 where cn2an is installed.
"""

from __future__ import annotations

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
CHARS = "".join(DIGITS) + "".join(UNITS) + "".join(BIG)


def to_int(text: str) -> int | None:
    """The value of a Chinese numeral, or None when ``text`` is not one."""
    if not text or any(c not in CHARS for c in text):
        return None
    if all(c in DIGITS for c in text):  # 二〇二五: digit by digit
        return int("".join(str(DIGITS[c]) for c in text))
    total = section = digit = 0
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in UNITS:
            section += (digit or 1) * UNITS[c]  # 十二: the 一 before 十 goes unsaid
            digit = 0
        else:
            total = (total + section + digit) * BIG[c] if c == "亿" else total + (section + digit or 1) * BIG[c]
            section = digit = 0
    return total + section + digit


def from_int(n: int) -> str:
    """1–99 as a sub-heading numbers them: 三、十二、二十一."""
    if not 0 < n < 100:
        raise ValueError(n)
    names = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return names[ones]
    return ("" if tens == 1 else names[tens]) + "十" + (names[ones] if ones else "")
