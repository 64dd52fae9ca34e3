"""The window's colours, declared once: every widget, page and painter takes its colours from
here (a hex value written anywhere else in ``ui/`` is a second declaration of one of these).

States and severities are readable on light backgrounds and distinct for the common forms of
colour blindness by brightness as well as hue; every state also has a word, never colour alone.
"""

from __future__ import annotations

# Text (and frame) colour of a state or severity, and the pale tint of its banner or badge.
STATE = {
    "error": "#c62828",
    "warning": "#b26a00",
    "info": "#1565c0",
    "done": "#2e7d32",
    "empty": "#757575",
    "final": "#1565c0",
    "example": "#6a1b9a",
}
STATE_BG = {
    "error": "#fdecea",
    "warning": "#fff4e5",
    "info": "#e8f1fb",
    "done": "#edf7ed",
    "empty": "#f2f2f2",
    "final": "#e8f1fb",
    "example": "#f3e5f5",
}

# Greys for secondary text, darkest first: a page's hints and counts are never black.
TEXT = "#1f1f1f"  # header cells of the tables
QUIET = "#444444"  # text that is secondary but still read (file names, a draft badge)
SECONDARY = "#555555"  # subtitles, counts, where a finding is
HINT = "#666666"  # hints under a field
UNIT = "#6b6b6b"  # the unit after a number in a cell
RULE = "#9a9a9a"  # the lines of a table
FAINT = "#777777"  # a save state beside a count
CARD_BORDER = "#dddddd"
EXPLANATION = "#333333"  # a warning's explanation in the printed checklist
BADGE_BG = "#e4e4e4"  # the 草稿 badge
GUIDE_BG = "#f7f7f4"  # the guidance panel
PREVIEW_BG = "#8a8d91"  # behind the print preview's pages
PAPER = "#ffffff"  # a preview page

# Table cells. Stronger than the banners' pale tints: a highlighted cell has to stand out in a
# grid of white cells, and stay distinct from the blue of the computed totals.
HEADER_BG = "#ececec"
DERIVED_BG = "#e3eefa"
DERIVED_FG = "#0d3c61"
FINDING_BG = {"error": "#f7cfcb", "warning": "#ffe3a8"}
FINDING_MARK = {"error": STATE["error"], "warning": STATE["warning"]}
GLOSS_MARK = STATE["info"]

# The writing assistant (engineer E): a generated sentence still linked to the tables, and a
# paragraph reused from last year's report in the side-by-side view.
GENERATED_BG = "#e6f0e0"
REUSED_BG = "#fff0c2"


def style(color: str) -> str:
    """A style sheet giving a label the text colour ``color``."""
    return f"color: {color};"
