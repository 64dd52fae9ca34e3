"""Cell values: parsing what a clerk types or pastes, and printing values back.

Integers are Python ``int``; money is ``Decimal`` (never float). A blank cell is ``None``.
Full-width digits and punctuation from a Chinese input method are accepted; Excel/WPS pastes
bring thousands separators, stray spaces and non-breaking spaces, which are accepted too.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..errors import InvalidValue
from .. import texts as T

Value = int | Decimal
MAX_VALUE = 10**9
MAX_TOTAL = 100 * MAX_VALUE  # a total adds up at most a few dozen cells
MAX_DECIMALS = 6


def limit_text(n: int) -> str:
    """A limit as a message quotes it: 10**9 → 「10 亿」 (formatted from the constant, never restated)."""
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return str(n)


def too_large(name: str, text, limit: int | None = None) -> str:
    return T.VALUE_TOO_LARGE.format(name=name, text=text, limit=limit_text(MAX_VALUE if limit is None else limit))

# Full-width digits and signs → ASCII; ideographic and no-break spaces → nothing.
_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({ord("－"): "-", ord("＋"): "+", ord("．"): ".", ord("，"): ",", ord("−"): "-",
                   ord("—"): "-", ord("。"): ".", ord("\u3000"): None, ord("\u00a0"): None,
                   ord("\u202f"): None, ord("\u2009"): None, ord("\t"): None, ord(" "): None})
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_SLASHES = {"/", "／", "\\", "、", "无", "-", "--", "—", "——", "空", "N/A", "n/a", "NA"}


def normalize(text: str) -> str:
    return text.strip().translate(_FULLWIDTH)


def parse_value(text: str | int | Decimal | None, kind: str, name: str = "该单元格") -> Value | None:
    """Parse ``text`` for a cell of ``kind`` ("count" | "signed" | "money").

    Returns ``None`` for an empty input (the clerk cleared the cell). Raises :class:`InvalidValue`
    with a Chinese message naming the cell otherwise.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise InvalidValue(T.VALUE_NOT_NUMBER.format(text=text))
    if isinstance(text, (int, Decimal)):
        raw = str(text)
        s = raw
    else:
        raw = str(text).strip()
        if raw == "":
            return None
        if raw in _SLASHES:
            raise InvalidValue(T.VALUE_SLASH.format(text=raw))
        s = normalize(raw)
        # A single trailing unit the clerk may paste along with the number is not a number.
        if s.endswith("万元") or s.endswith("元") or s.endswith("件"):
            raise InvalidValue(T.VALUE_NOT_NUMBER.format(text=raw))
    if kind == "derived":
        raise InvalidValue(T.VALUE_DERIVED.format(name=name))
    if not _NUMBER.match(s):
        if s in _SLASHES:
            raise InvalidValue(T.VALUE_SLASH.format(text=raw))
        raise InvalidValue(T.VALUE_NOT_NUMBER.format(text=raw))
    s = s.replace(",", "")
    try:
        d = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex already rules this out
        raise InvalidValue(T.VALUE_NOT_NUMBER.format(text=raw)) from None
    if d < 0 and kind != "signed":
        raise InvalidValue(T.VALUE_NEGATIVE.format(name=name, text=raw))
    if abs(d) > MAX_VALUE:
        raise InvalidValue(too_large(name, raw))
    if kind == "money":
        if -d.as_tuple().exponent > MAX_DECIMALS:
            raise InvalidValue(T.VALUE_TOO_MANY_DECIMALS.format(name=name, text=raw, decimals=MAX_DECIMALS))
        # Keep what the clerk wrote (0.0920 stays 0.0920) but drop a trailing "." form.
        return d
    if d != d.to_integral_value():
        raise InvalidValue(T.VALUE_NOT_INTEGER.format(name=name, text=raw))
    return int(d)


def format_value(value: Value | None) -> str:
    """How a value is printed in the report: 0 as 0, money as written (no exponent)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def to_storage(value: Value | None) -> str | None:
    """Canonical text for the database and exchange files (money as a decimal string)."""
    return None if value is None else format_value(value)


def from_storage(text: str | None, kind: str) -> Value | None:
    if text is None:
        return None
    if kind == "money":
        return Decimal(text)
    return int(text)
