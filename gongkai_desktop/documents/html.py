"""The web page: the document plan rendered as one self-contained HTML file (a third renderer).

Made for the organ's website (政府信息公开专栏 → 年报), where the page is usually pasted into a
content system's editor. So:

- inline styles only: content systems strip ``<style>`` elements and class names;
- no images, no scripts, no external resources: the file is whole on its own;
- the tables are real tables whose rowspan/colspan are the plan's grid (the official one), with
  a border on every cell, so a reader can search and copy the numbers;
- it fits a site's text column (about 900 px) and a phone: each table sits in its own
  sideways-scrolling box with a minimum width, so numbers never squeeze or wrap; the page
  itself never scrolls sideways;
- fonts are the plan's roles, named in the order the PDF looks for them (fonts.ROLE_CHAINS) —
  the Chinese faces before the Latin ones, so quotation marks in Chinese text are full width —
  then a generic family so any system shows Chinese text.

``render_html_fragment`` is the body content alone, for the editor's source view;
``render_html`` wraps it in a complete page.
"""

from __future__ import annotations

from html import escape

from . import plan as P

PAGE_MAX_PX = 900
BODY_PX = 16  # 3号 on screen reads at about 16 px
TABLE_PX = 14
# A table's minimum width, below which its box scrolls sideways instead of squeezing it: label
# columns keep a share of their printed width (px per mm), never less than two characters a line;
# value columns their longest number on one line, never less than two header characters a line.
LABEL_PX_PER_MM = 3.2
MIN_COLUMN_PX = 2 * TABLE_PX + 12
DIGIT_PX = 8.5  # a digit at TABLE_PX in a serif face, with room to spare

_GENERIC = {
    P.ROLE_TITLE: "serif", P.ROLE_BODY: "serif", P.ROLE_HEADING: "sans-serif",
    P.ROLE_SUBHEADING: "serif", P.ROLE_PAGENUM: "serif",
}


def font_stack(role: str) -> str:
    """A CSS font-family list for a font role: the role's Chinese faces in the PDF's order, then the
    Latin faces, then a generic family. Chinese first, unlike the print: a browser takes every
    character the first face has from it, and Times New Roman has the quotation marks — 「“三安全
    一稳定”」 came out with narrow Latin quotes. Digits in a Chinese face read well on screen; the
    Latin faces still serve a reader who has none of the Chinese ones."""
    from .fonts import ROLE_CHAINS

    names = list(ROLE_CHAINS.get(role, ROLE_CHAINS[P.ROLE_BODY])) + list(ROLE_CHAINS.get("latin", ()))
    quoted = [f"'{n}'" for n in dict.fromkeys(names)]
    return ", ".join(quoted + [_GENERIC.get(role, "serif")])


def _style(**props: str) -> str:
    return "; ".join(f"{k.replace('_', '-')}: {v}" for k, v in props.items() if v)


def _attr(value: str) -> str:
    # Attributes are double-quoted, so the single quotes around font names stay as they are
    # (easier to read in a CMS editor's source view than &#x27;).
    return escape(value, quote=False).replace('"', "&quot;")


def _runs(p: P.Paragraph) -> str:
    out = []
    for r in p.runs:
        text = escape(r.text)
        if r.role == p.runs[0].role and len(p.runs) == 1:
            out.append(text)
        elif r.role == P.ROLE_SUBHEADING:
            out.append(f'<span style="{_attr(_style(font_family=font_stack(r.role)))}">{text}</span>')
        else:
            out.append(text)
    return "".join(out)


_HEADING_TAG = {P.STYLE_HEADING1: "h2", P.STYLE_HEADING2: "h3", P.STYLE_HEADING3: "h4", P.STYLE_HEADING4: "h5"}


def _paragraph(p: P.Paragraph) -> str:
    base = dict(margin="0 0 0.6em 0", font_size=f"{BODY_PX}px", line_height="1.9",
                font_weight="normal", text_align="justify")
    if p.style == P.STYLE_HEADING1:
        return (f'<h2 style="{_attr(_style(**{**base, "font_family": font_stack(P.ROLE_HEADING), "margin": "1.2em 0 0.6em 0", "text_indent": "2em", "text_align": "left"}))}">'
                f"{escape(p.text)}</h2>")
    if p.style in _HEADING_TAG and len(p.runs) == 1:
        # A heading on its own line (「（一）主动公开」): a real heading for screen readers.
        tag = _HEADING_TAG[p.style]
        role = p.runs[0].role
        return (f'<{tag} style="{_attr(_style(**{**base, "font_family": font_stack(role), "text_indent": "2em", "text_align": "left"}))}">'
                f"{escape(p.text)}</{tag}>")
    if p.style in (P.STYLE_SIGNOFF, P.STYLE_DATE):
        return (f'<p style="{_attr(_style(**{**base, "text_align": "right", "margin": "0", "padding_right": f"{p.right_indent_chars:g}em"}))}">'
                f"{escape(p.text)}</p>")
    align = {"center": "center", "right": "right", "left": "left"}.get(p.align, "justify")
    style = {**base, "text_indent": f"{p.indent_chars:g}em" if p.indent_chars else "", "text_align": align}
    return f'<p style="{_attr(_style(**style))}">{_runs(p)}</p>'


def _title(t: P.Title) -> str:
    style = _style(font_family=font_stack(t.role), font_size="26px", font_weight="normal", line_height="1.5",
                   text_align="center", margin="0.6em 0 1em 0")
    return f'<h1 style="{_attr(style)}">{"<br>".join(escape(line) for line in t.lines)}</h1>'


_CELL = dict(border="1px solid #000", padding="4px 6px", vertical_align="middle", font_size=f"{TABLE_PX}px",
             line_height="1.5", font_weight="normal")


def _table(t: P.TablePlan) -> str:
    total_mm = sum(t.col_widths_mm) or P.TEXT_WIDTH_MM
    min_px = min_width_px(t)
    cols = "".join(f'<col style="width: {w / total_mm * 100:.2f}%">' for w in t.col_widths_mm)
    rows = []
    by_row: dict[int, list[P.PlanCell]] = {}
    for c in t.cells:
        by_row.setdefault(c.row, []).append(c)
    for row in range(t.n_rows):
        cells = []
        for c in sorted(by_row.get(row, []), key=lambda c: c.col):
            tag = "th" if c.header else "td"
            style = dict(_CELL, text_align=c.align)
            if not c.header:
                style["white_space"] = "nowrap"  # a number never wraps
            span = ""
            if c.rowspan > 1:
                span += f' rowspan="{c.rowspan}"'
            if c.colspan > 1:
                span += f' colspan="{c.colspan}"'
            if tag == "th" and row < t.header_rows:
                span += ' scope="col"'
            text = "<br>".join(escape(line) for line in c.lines)
            cells.append(f'<{tag}{span} style="{_attr(_style(**style))}">{text}</{tag}>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head, body = rows[:t.header_rows], rows[t.header_rows:]
    table_style = _style(border_collapse="collapse", width="100%", min_width=f"{min_px}px",
                         font_family=font_stack(t.role), margin="0", table_layout="fixed")
    parts = [f'<table style="{_attr(table_style)}">', f"<colgroup>{cols}</colgroup>"]
    if head:
        parts.append(f"<thead>{''.join(head)}</thead>")
    parts.append(f"<tbody>{''.join(body)}</tbody></table>")
    # The scroll box: the table keeps its minimum width and scrolls sideways inside it.
    box = _style(overflow_x="auto", max_width="100%", margin="0.4em 0 1.2em 0")
    return f'<div style="{_attr(box)}">{"".join(parts)}</div>'


def min_width_px(t: P.TablePlan) -> int:
    """The table's minimum width in px (see LABEL_PX_PER_MM)."""
    widest: dict[int, float] = {}
    for c in t.cells:
        if c.key is not None and c.colspan == 1:
            widest[c.col] = max(widest.get(c.col, 0.0), P.text_em(c.text) * 2 * DIGIT_PX + 12)
    total = 0.0
    for col, mm in enumerate(t.col_widths_mm):
        need = widest[col] if col in widest else mm * LABEL_PX_PER_MM
        total += max(need, MIN_COLUMN_PX) + 1  # + the border
    return round(total)


def _draft_mark(doc_plan: P.DocumentPlan) -> str:
    if not getattr(doc_plan, "draft", False):
        return ""
    from . import texts as DT

    text = getattr(doc_plan, "draft_header", "") or DT.DRAFT_MARK
    style = _style(border="2px solid #000", padding="6px 10px", margin="0.6em 0", text_align="center",
                   font_family=font_stack(P.ROLE_HEADING), font_size=f"{BODY_PX}px")
    return f'<p style="{_attr(style)}">{escape(text)}</p>'


def render_html_fragment(doc_plan: P.DocumentPlan) -> str:
    """The body content, one ``<div>`` with inline styles, ready to paste into a CMS editor."""
    # Spacers are print's blank grid lines; on screen the margins above do that work.
    parts = [_draft_mark(doc_plan), *doc_plan.rendered({P.Title: _title, P.Paragraph: _paragraph, P.TablePlan: _table})]
    style = _style(max_width=f"{PAGE_MAX_PX}px", margin="0 auto", padding="0 12px", box_sizing="border-box",
                   font_family=font_stack(P.ROLE_BODY), font_size=f"{BODY_PX}px", color="#000",
                   background="#fff", overflow_wrap="break-word")
    return f'<div lang="zh-CN" style="{_attr(style)}">\n' + "\n".join(p for p in parts if p) + "\n</div>\n"


def render_html(doc_plan: P.DocumentPlan) -> str:
    """A complete page: the fragment in a minimal HTML5 document (UTF-8, phone viewport)."""
    title = escape(doc_plan.title)
    if getattr(doc_plan, "draft", False):
        from . import texts as DT

        title = f"{escape(DT.DRAFT_MARK)}：{title}"
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n"
            f'<meta name="author" content="{_attr(doc_plan.organ)}">\n'
            '<meta name="generator" content="gongkai_desktop">\n'
            '</head>\n<body style="margin: 0; padding: 8px 0; background: #fff;">\n'
            + render_html_fragment(doc_plan) + "</body>\n</html>\n")
