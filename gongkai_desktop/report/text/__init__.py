"""The text checks: what the words of a report say, checked against its tables, its year, the
basis it cites and last year's report.

Every check is a rule kind (``KINDS`` below; the rule engine in ``report/rules.py`` registers them
beside its own) whose parameters are rule data in ``forms/``. Each finding carries the section id
and the character span ``[start, end)`` into that section's stored text; findings about the
opening paragraph (``Meta.opening``, edited on the 基本信息 page) carry section ``"meta"``.

Precision before recall: a number that cannot be tied to a table figure, a date that might be
meant, a phrase that might be someone's style is left alone — a false warning teaches clerks to
ignore the checker.
"""

from __future__ import annotations

from . import basis, dates, headings, numbers, reuse, unfinished, voice

# kind -> (check(rule, report, fmt) -> findings, prepare(rule, fmt) validating the rule's data at load)
KINDS = {
    "text_numbers": (numbers.check_numbers, numbers.prepare_numbers),
    "text_breakdowns": (numbers.check_breakdowns, None),
    "text_repeats": (reuse.check_repeats, None),
    "text_reuse": (reuse.check_reuse, None),
    "text_dates": (dates.check_dates, None),
    "text_basis": (basis.check_basis, basis.prepare_basis),
    "text_headings": (headings.check_headings, None),
    "text_unfinished": (unfinished.check_unfinished, None),
    "text_voice": (voice.check_voice, None),
}
