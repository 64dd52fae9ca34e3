"""Word (.docx) renderer: a :class:`~gongkai_desktop.documents.plan.DocumentPlan` → .docx bytes.

The document is built on the project's own template, ``resources/template.docx``, which
:func:`write_template` produces from the XML below (``packaging/make_docx_template.py`` calls it;
nothing in the template is a blob that cannot be regenerated). The template carries:

* real Word styles a clerk keeps when editing the file: 正文 (Normal, 仿宋_GB2312 3号, two-character
  first-line indent, 28.95 pt exact line pitch), 标题 (Title, 方正小标宋简体 2号), 标题 1–4 (黑体 /
  楷体_GB2312 / 仿宋_GB2312, keep-with-next, outline levels), their linked character styles (for
  run-in headings 「（一）主动公开。本年度…」), 表格文字, 落款, 页脚;
* fonts named with the official names on the East-Asian slot and Times New Roman for Latin and
  digits, and no theme-font attributes anywhere (theme fonts would win over the names); the font
  table gives Word/WPS substitutes (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体);
* the GB/T 9704 page: A4, margins 37/35/28/26 mm, a 22 × 28 document grid, page numbers
  「— N —」 in 4号 宋体, odd pages right, even pages left; empty page headers, where a draft
  carries its 「草稿（…）」 mark (a final export leaves them empty);
* no automatic space between Chinese and digits (the PDF sets none, so lines break alike).

python-docx opens the template; the body is generated as WordprocessingML in one parse.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from ..report.model import strip_unwritable
from . import plan as P
from .fonts import OFFICIAL_FONTS

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# Official font names (what Word/WPS look up on the clerk's machine) per plan role: the first
# name of each role's chain in the fonts package, declared there once.
FONT_NAMES = OFFICIAL_FONTS
LATIN_FONT = OFFICIAL_FONTS["latin"]

# Style ids of the template, per plan style.
STYLE_IDS = {
    P.STYLE_TITLE: "Title",
    P.STYLE_BODY: None,  # Normal
    P.STYLE_HEADING1: "Heading1",
    P.STYLE_HEADING2: "Heading2",
    P.STYLE_HEADING3: "Heading3",
    P.STYLE_HEADING4: "Heading4",
    P.STYLE_SIGNOFF: "Signoff",
    P.STYLE_DATE: "Signoff",
}
# Character styles for run-in headings (the head of a paragraph that goes on in body text).
RUN_IN_STYLE = {P.STYLE_HEADING1: "Heading1Char", P.STYLE_HEADING2: "Heading2Char",
                P.STYLE_HEADING3: "Heading3Char", P.STYLE_HEADING4: "Heading4Char"}
TABLE_TEXT_STYLE = "TableText"


def _twips_mm(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _twips_pt(pt: float) -> int:
    return round(pt * 20)


PAGE_W = _twips_mm(P.PAGE_WIDTH_MM)  # 11906
PAGE_H = _twips_mm(P.PAGE_HEIGHT_MM)  # 16838
M_TOP = _twips_mm(P.MARGIN_TOP_MM)
M_BOTTOM = _twips_mm(P.MARGIN_BOTTOM_MM)
M_LEFT = _twips_mm(P.MARGIN_LEFT_MM)
M_RIGHT = _twips_mm(P.MARGIN_RIGHT_MM)
TEXT_W = PAGE_W - M_LEFT - M_RIGHT
LINE_PITCH = (PAGE_H - M_TOP - M_BOTTOM) // P.LINES_PER_PAGE  # 579 twips = 28.95 pt
# 28 characters a line: 3号 characters condensed by a quarter point (Word's 字符间距 紧缩 0.25 磅)
# so that 28 fit the 156 mm line exactly. (A Word "lines and characters" document grid would do
# the same in Word, but LibreOffice lays such a grid out with double-width cells.)
CHAR_CONDENSE = -5  # twentieths of a point
CHAR_TWIPS = P.BODY_PT * 20 + CHAR_CONDENSE  # one character of body text, in twips
assert CHAR_TWIPS * P.CHARS_PER_LINE <= TEXT_W
FOOTER_DISTANCE = _twips_mm(P.PAGE_HEIGHT_MM - (P.PAGE_HEIGHT_MM - P.MARGIN_BOTTOM_MM + P.PAGE_NUMBER_GAP_MM)
                            - 16 / (72 / 25.4))
PAGE_NUMBER_INDENT = _twips_pt(P.PAGE_NUMBER_PT)  # one character of the 4号 page number
HEADER_DISTANCE = _twips_mm(P.DRAFT_MARK_TOP_MM)  # where a draft's mark sits, as in the PDF

_NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
_XML_HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


# ---------------------------------------------------------------------------------------------
# The template


def _rfonts(east_asia: str, latin: str = LATIN_FONT) -> str:
    # Explicit names on every slot and no *Theme attribute: theme attributes would win.
    return (f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" '
            f'w:cs="{latin}" w:hint="eastAsia"/>')


def _condense() -> str:
    return f'<w:spacing w:val="{CHAR_CONDENSE}"/>'


def _size(pt: float) -> str:
    half = round(pt * 2)
    return f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'


def _exact(pt_twips: int) -> str:
    return f'<w:spacing w:before="0" w:after="0" w:line="{pt_twips}" w:lineRule="exact"/>'


def _first_line(chars: float) -> str:
    return (f'<w:ind w:firstLineChars="{round(chars * 100)}" w:firstLine="{round(chars * CHAR_TWIPS)}"/>'
            if chars else '<w:ind w:firstLineChars="0" w:firstLine="0"/>')


def _para_style(sid: str, name: str, ppr: str, rpr: str, *, based_on: str | None = "Normal",
                next_style: str | None = "Normal", link: str | None = None, default: bool = False,
                ui: int | None = None) -> str:
    out = [f'<w:style w:type="paragraph" w:styleId="{sid}"' + (' w:default="1"' if default else "") + ">",
           f'<w:name w:val="{name}"/>']
    if based_on:
        out.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_style:
        out.append(f'<w:next w:val="{next_style}"/>')
    if link:
        out.append(f'<w:link w:val="{link}"/>')
    if ui is not None:
        out.append(f'<w:uiPriority w:val="{ui}"/>')
    out.append("<w:qFormat/>")
    out.append(f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>")
    return "".join(out)


def _char_style(sid: str, name: str, rpr: str, link: str | None = None) -> str:
    return (f'<w:style w:type="character" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/>' + (f'<w:link w:val="{link}"/>' if link else "")
            + f'<w:uiPriority w:val="9"/><w:rPr>{rpr}</w:rPr></w:style>')


def styles_xml() -> str:
    body_font = FONT_NAMES[P.ROLE_BODY]
    plain = '<w:b w:val="0"/><w:bCs w:val="0"/><w:i w:val="0"/><w:color w:val="000000"/>'
    heading_ppr = ("<w:keepNext/><w:keepLines/>" + _exact(LINE_PITCH) + _first_line(2))
    styles = [
        f'<w:styles {_NS_DECL}>',
        "<w:docDefaults><w:rPrDefault><w:rPr>", _rfonts(body_font), '<w:kern w:val="2"/>', _size(P.BODY_PT),
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>',
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>",
        # No automatic space between Chinese and digits or Latin, in every paragraph: here as
        # well as in Normal, since LibreOffice reads the setting from the defaults only.
        '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>',
        '<w:spacing w:before="0" w:after="0"/>',
        "</w:pPr></w:pPrDefault></w:docDefaults>",
        # Normal = 正文
        # No punctuation hanging into the margin (允许标点溢出边界 off): the text block keeps its
        # 156 mm edge, as in the PDF, where such a line is closed up instead. (LibreOffice 7.4
        # ignores the setting, hangs the mark anyway and on a justified line does not draw it.)
        # No automatic space between Chinese and digits or Latin (自动调整中文与西文/数字的间距
        # off): the PDF sets none, and with it Word and LibreOffice broke lines elsewhere.
        _para_style("Normal", "Normal", '<w:widowControl/><w:overflowPunct w:val="0"/>'
                    '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>' + _exact(LINE_PITCH)
                    + _first_line(2) + '<w:jc w:val="both"/>', _rfonts(body_font) + _condense() + _size(P.BODY_PT), based_on=None,
                    next_style=None, default=True, ui=0),
        _para_style("Title", "Title", '<w:keepNext/><w:keepLines/>'
                    + _exact(LINE_PITCH) + _first_line(0) + '<w:jc w:val="center"/>',
                    _rfonts(FONT_NAMES[P.ROLE_TITLE]) + plain + '<w:spacing w:val="0"/>' + _size(P.TITLE_PT),
                    link="TitleChar", ui=10),
        _para_style("Heading1", "heading 1", heading_ppr + '<w:outlineLvl w:val="0"/>',
                    _rfonts(FONT_NAMES[P.ROLE_HEADING]) + plain + _size(P.BODY_PT), link="Heading1Char", ui=9),
        _para_style("Heading2", "heading 2", heading_ppr + '<w:outlineLvl w:val="1"/>',
                    _rfonts(FONT_NAMES[P.ROLE_SUBHEADING]) + plain + _size(P.BODY_PT), link="Heading2Char", ui=9),
        _para_style("Heading3", "heading 3", heading_ppr + '<w:outlineLvl w:val="2"/>',
                    _rfonts(body_font) + plain + _size(P.BODY_PT), link="Heading3Char", ui=9),
        _para_style("Heading4", "heading 4", heading_ppr + '<w:outlineLvl w:val="3"/>',
                    _rfonts(body_font) + plain + _size(P.BODY_PT), link="Heading4Char", ui=9),
        _para_style("Signoff", "落款", '<w:keepLines/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
                    + _first_line(0) + '<w:jc w:val="right"/>',
                    _rfonts(body_font) + _size(P.BODY_PT)),
        _para_style(TABLE_TEXT_STYLE, "表格文字",
                    '<w:widowControl w:val="0"/><w:snapToGrid w:val="0"/>'
                    + _exact(_twips_pt(P.TABLE_LINE_PT)) + _first_line(0) + '<w:jc w:val="center"/>',
                    _rfonts(FONT_NAMES[P.ROLE_TABLE]) + '<w:spacing w:val="0"/>' + _size(P.TABLE_PT)),
        # 页眉: only a draft's mark 「草稿（…）」 (a final export leaves it empty), 4号 黑体.
        _para_style("Header", "header", '<w:snapToGrid w:val="0"/>' + _exact(_twips_pt(P.DRAFT_MARK_PT + 2))
                    + _first_line(0) + '<w:jc w:val="left"/>',
                    _rfonts(FONT_NAMES[P.ROLE_HEADING]) + '<w:spacing w:val="0"/>' + _size(P.DRAFT_MARK_PT), ui=99),
        _para_style("Footer", "footer", '<w:snapToGrid w:val="0"/>' + _exact(_twips_pt(16)) + _first_line(0),
                    _rfonts(FONT_NAMES[P.ROLE_PAGENUM], FONT_NAMES[P.ROLE_PAGENUM]) + '<w:spacing w:val="0"/>'
                    + _size(P.PAGE_NUMBER_PT), link="FooterChar", ui=99),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>',
        _char_style("TitleChar", "标题 字符", _rfonts(FONT_NAMES[P.ROLE_TITLE]) + _size(P.TITLE_PT), "Title"),
        _char_style("Heading1Char", "标题 1 字符", _rfonts(FONT_NAMES[P.ROLE_HEADING]), "Heading1"),
        _char_style("Heading2Char", "标题 2 字符", _rfonts(FONT_NAMES[P.ROLE_SUBHEADING]), "Heading2"),
        _char_style("Heading3Char", "标题 3 字符", _rfonts(body_font), "Heading3"),
        _char_style("Heading4Char", "标题 4 字符", _rfonts(body_font), "Heading4"),
        _char_style("FooterChar", "页脚 字符", _rfonts(FONT_NAMES[P.ROLE_PAGENUM], FONT_NAMES[P.ROLE_PAGENUM])
                    + _size(P.PAGE_NUMBER_PT), "Footer"),
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:pPr><w:jc w:val="center"/></w:pPr><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                  for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        "</w:styles>",
    ]
    return "".join(styles)


def settings_xml() -> str:
    return (
        f'<w:settings {_NS_DECL}>'
        '<w:zoom w:percent="100"/>'
        f'<w:defaultTabStop w:val="{round(2 * CHAR_TWIPS)}"/><w:evenAndOddHeaders/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        '<w:compat><w:spaceForUL/><w:doNotLeaveBackslashAlone/>'
        '<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        '</w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


# (name, altName, panose, charset, family, pitch) — what Word/WPS use to substitute a missing face.
_FONT_TABLE = (
    (LATIN_FONT, None, "02020603050405020304", "00", "roman", "variable"),
    (FONT_NAMES[P.ROLE_PAGENUM], "SimSun", "02010600030101010101", "86", "auto", "variable"),
    (FONT_NAMES[P.ROLE_BODY], "仿宋", "02010609030101010101", "86", "modern", "fixed"),
    (FONT_NAMES[P.ROLE_SUBHEADING], "楷体", "02010609030101010101", "86", "modern", "fixed"),
    (FONT_NAMES[P.ROLE_HEADING], "SimHei", "02010609060101010101", "86", "modern", "fixed"),
    (FONT_NAMES[P.ROLE_TITLE], "宋体", "02000000000000000000", "86", "script", "variable"),
)


def font_table_xml() -> str:
    out = [f'<w:fonts {_NS_DECL}>']
    for name, alt, panose, charset, family, pitch in _FONT_TABLE:
        out.append(f'<w:font w:name="{name}">' + (f'<w:altName w:val="{alt}"/>' if alt else "")
                   + f'<w:panose1 w:val="{panose}"/><w:charset w:val="{charset}"/>'
                   f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    out.append("</w:fonts>")
    return "".join(out)


def footer_xml(odd: bool) -> str:
    """「— N —」, 4号 宋体: odd pages right-aligned, even pages left, one character in."""
    ind = (f'<w:ind w:right="{PAGE_NUMBER_INDENT}"/>' if odd else f'<w:ind w:left="{PAGE_NUMBER_INDENT}"/>')
    jc = "right" if odd else "left"
    before, _, after = P.PAGE_NUMBER_TEMPLATE.partition("{n}")
    rpr = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'
    return (
        f'<w:ftr {_NS_DECL}><w:p><w:pPr><w:pStyle w:val="Footer"/>{ind}<w:jc w:val="{jc}"/></w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">{before}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve">{after}</w:t></w:r>'
        "</w:p></w:ftr>"
    )


def header_xml() -> str:
    """An empty header paragraph: render_docx writes a draft's mark into it."""
    return f'<w:hdr {_NS_DECL}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>'


def sect_pr_xml() -> str:
    return (
        '<w:sectPr><w:headerReference w:type="even" r:id="rId9"/>'
        '<w:headerReference w:type="default" r:id="rId8"/>'
        '<w:footerReference w:type="even" r:id="rId7"/>'
        '<w:footerReference w:type="default" r:id="rId6"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{M_TOP}" w:right="{M_RIGHT}" w:bottom="{M_BOTTOM}" w:left="{M_LEFT}" '
        f'w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
        '<w:cols w:space="425"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/>'
        "</w:sectPr>"
    )


_CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def template_parts() -> dict[str, str]:
    """Every part of the template package, as XML text."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_CT_MAIN}.document.main+xml"/>'
            f'<Override PartName="/word/styles.xml" ContentType="{_CT_MAIN}.styles+xml"/>'
            f'<Override PartName="/word/settings.xml" ContentType="{_CT_MAIN}.settings+xml"/>'
            f'<Override PartName="/word/fontTable.xml" ContentType="{_CT_MAIN}.fontTable+xml"/>'
            f'<Override PartName="/word/header1.xml" ContentType="{_CT_MAIN}.header+xml"/>'
            f'<Override PartName="/word/header2.xml" ContentType="{_CT_MAIN}.header+xml"/>'
            f'<Override PartName="/word/footer1.xml" ContentType="{_CT_MAIN}.footer+xml"/>'
            f'<Override PartName="/word/footer2.xml" ContentType="{_CT_MAIN}.footer+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        ),
        "word/_rels/document.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/settings" Target="settings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/fontTable" Target="fontTable.xml"/>'
            f'<Relationship Id="rId6" Type="{rel}/footer" Target="footer1.xml"/>'
            f'<Relationship Id="rId7" Type="{rel}/footer" Target="footer2.xml"/>'
            f'<Relationship Id="rId8" Type="{rel}/header" Target="header1.xml"/>'
            f'<Relationship Id="rId9" Type="{rel}/header" Target="header2.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": f'<w:document {_NS_DECL}><w:body>{sect_pr_xml()}</w:body></w:document>',
        "word/styles.xml": styles_xml(),
        "word/settings.xml": settings_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/header1.xml": header_xml(),
        "word/header2.xml": header_xml(),
        "word/footer1.xml": footer_xml(odd=True),
        "word/footer2.xml": footer_xml(odd=False),
        "docProps/core.xml": (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            "<dc:title></dc:title><dc:subject></dc:subject><dc:creator></dc:creator>"
            "<cp:lastModifiedBy></cp:lastModifiedBy><cp:revision>1</cp:revision></cp:coreProperties>"
        ),
        "docProps/app.xml": (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Application>gongkai_desktop</Application><Company></Company></Properties>"
        ),
    }


def write_template(target) -> None:
    """Write the template package to ``target`` (a path or a binary file object), reproducibly:
    fixed timestamps and order, so regenerating gives the same bytes."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in template_parts().items():
            info = zipfile.ZipInfo(name, date_time=(2021, 9, 26, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, (_XML_HEAD + xml).encode("utf-8"))


def template_path() -> Path | None:
    """``resources/template.docx`` in a source checkout or the installed package."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "resources" / "template.docx",
                      here.parents[1] / "resources" / "template.docx"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    path = template_path()
    if path is not None:
        return path.read_bytes()
    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# The body


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{escape(_xml_safe(text))}</w:t>'


def _xml_safe(text: str) -> str:
    # What XML 1.0 cannot hold: the one rule the exchange importer and the plan apply too.
    return strip_unwritable(text)[0]


_RPR_HINT = '<w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'


def _run(text: str, char_style: str | None = None, size_rpr: str = "") -> str:
    style = f'<w:rStyle w:val="{char_style}"/>' if char_style else ""
    rpr = f'<w:rPr>{style}<w:rFonts w:hint="eastAsia"/>{size_rpr}</w:rPr>' if style or size_rpr else _RPR_HINT
    return f"<w:r>{rpr}{_t(text)}</w:r>"


def _indent_xml(first_chars: float | None, right_chars: float = 0.0) -> str:
    attrs = []
    if first_chars is not None:
        attrs.append(f'w:firstLineChars="{round(first_chars * 100)}" w:firstLine="{round(first_chars * CHAR_TWIPS)}"')
    if right_chars:
        attrs.append(f'w:rightChars="{round(right_chars * 100)}" w:right="{round(right_chars * CHAR_TWIPS)}"')
    return f"<w:ind {' '.join(attrs)}/>" if attrs else ""


_HEADING_LEVELS = (P.STYLE_HEADING1, P.STYLE_HEADING2, P.STYLE_HEADING3, P.STYLE_HEADING4)
_KEEP_NEXT_STYLES = (P.STYLE_TITLE, *_HEADING_LEVELS)  # styles whose definition keeps with next


def _paragraph_xml(p: P.Paragraph) -> str:
    run_in = p.style in _HEADING_LEVELS and len(p.runs) > 1
    style_id = None if run_in else STYLE_IDS.get(p.style)
    ppr = []
    if style_id:
        ppr.append(f'<w:pStyle w:val="{style_id}"/>')
    if p.keep_with_next and (run_in or p.style not in _KEEP_NEXT_STYLES):
        ppr.append("<w:keepNext/>")
    if p.right_indent_chars:
        ppr.append(_indent_xml(None, p.right_indent_chars))
    elif p.style in (P.STYLE_SIGNOFF, P.STYLE_DATE) and p.align == "left":
        ppr.append(_indent_xml(p.indent_chars))  # a date placed from the left (plan.signoff_paragraphs)
    if p.style in (P.STYLE_SIGNOFF, P.STYLE_DATE) and p.align == "left":
        ppr.append('<w:jc w:val="left"/>')
    if run_in and p.outline_level is not None:
        # A run-in heading (「（一）主动公开。正文…」) is a Normal paragraph: its outline level
        # puts it in Word's navigation pane like a heading standing alone.
        ppr.append(f'<w:outlineLvl w:val="{p.outline_level}"/>')
    runs = []
    for i, r in enumerate(p.runs):
        char_style = RUN_IN_STYLE.get(p.style) if run_in and i == 0 else None
        runs.append(_run(r.text, char_style))
    return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{''.join(runs)}</w:p>"


def _title_xml(t: P.Title) -> str:
    parts = []
    for i, line in enumerate(t.lines):
        if i:
            parts.append("<w:r><w:br/></w:r>")
        parts.append(_run(line))
    return f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{"".join(parts)}</w:p>'


def _spacer_xml(s: P.Spacer) -> str:
    empty = "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>" if s.keep_with_next else "<w:p/>"
    return empty * max(1, round(s.lines))


def _table_xml(t: P.TablePlan) -> str:
    widths = [_twips_mm(w) for w in t.col_widths_mm]
    widths[-1] += TEXT_W - sum(widths)  # exact text width
    # A row is kept with the next unless a page may start there (the PDF breaks by the same rule).
    breaks = set(t.break_rows())
    keep_next_rows = {r for r in range(t.n_rows - 1) if r + 1 not in breaks}
    size_rpr = "" if t.size_pt == P.TABLE_PT else _size(t.size_pt)
    starts = {(c.row, c.col): c for c in t.cells}
    covering: dict[tuple[int, int], P.PlanCell] = {}
    for c in t.cells:
        for r in range(c.row, c.row + c.rowspan):
            for col in range(c.col, c.col + c.colspan):
                covering[(r, col)] = c
    pad = _twips_mm(P.TABLE_CELL_PAD_MM)
    vpad = _twips_pt(P.TABLE_CELL_VPAD_PT)
    out = [
        "<w:tbl><w:tblPr>",
        '<w:tblStyle w:val="TableGrid"/>',
        f'<w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:jc w:val="center"/>',
        "<w:tblBorders>" + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                                   for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="{vpad}" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
        f'<w:bottom w:w="{vpad}" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>',
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        'w:noHBand="0" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    for row in range(t.n_rows):
        trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if row < t.header_rows else "")
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>")
        keep = row in keep_next_rows
        col = 0
        while col < t.n_cols:
            cell = covering.get((row, col))
            if cell is None:  # should not happen: the grid covers every position
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{widths[col]}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                col += 1
                continue
            width = sum(widths[cell.col:cell.col + cell.colspan])
            tcpr = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
            if cell.colspan > 1:
                tcpr.append(f'<w:gridSpan w:val="{cell.colspan}"/>')
            first = starts.get((row, col)) is cell
            if cell.rowspan > 1:
                tcpr.append('<w:vMerge w:val="restart"/>' if first else "<w:vMerge/>")
            tcpr.append('<w:vAlign w:val="center"/>')
            ppr = f'<w:pStyle w:val="{TABLE_TEXT_STYLE}"/>' + ("<w:keepNext/>" if keep else "")
            if size_rpr:  # a table set smaller for its large numbers (plan.table_plan)
                ppr += _exact(_twips_pt(t.line_pt))
            if cell.align != "center":
                ppr += f'<w:jc w:val="{cell.align}"/>'
            content = ""
            if first:
                pieces = []
                for i, line in enumerate(cell.lines):
                    if i:
                        pieces.append("<w:r><w:br/></w:r>")
                    if line:
                        pieces.append(_run(line, size_rpr=size_rpr))
                content = "".join(pieces)
            out.append(f"<w:tc><w:tcPr>{''.join(tcpr)}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{content}</w:p></w:tc>")
            col += cell.colspan
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def body_xml(doc_plan: P.DocumentPlan) -> str:
    # Every block type has its XML, so the parts stand beside the blocks.
    parts = doc_plan.rendered({P.Title: _title_xml, P.Paragraph: _paragraph_xml, P.Spacer: _spacer_xml,
                               P.TablePlan: _table_xml})
    blocks = doc_plan.blocks
    for i in range(len(blocks) - 1, 0, -1):
        if isinstance(blocks[i], P.TablePlan) and isinstance(blocks[i - 1], P.TablePlan):
            parts.insert(i, "<w:p/>")  # Word joins two tables that touch: an empty paragraph parts them
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Rendering


def render_docx(doc_plan: P.DocumentPlan, now: _dt.datetime | None = None) -> bytes:
    """The .docx file for ``doc_plan``, as bytes."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document(io.BytesIO(_template_bytes()))
    body = document.element.body
    sect_pr = body.find(f"{{{W_NS}}}sectPr")
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    fragment = parse_xml(f"<w:body {_NS_DECL}>{body_xml(doc_plan)}</w:body>")
    for child in list(fragment):
        sect_pr.addprevious(child)

    props = document.core_properties
    now = now or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    # Core properties hold at most 255 characters each (python-docx refuses more): a 300-character
    # organ name must still export, so the properties are cut; the document itself is not.
    props.title = doc_plan.title[:255]
    props.subject = doc_plan.subject[:255]
    props.author = doc_plan.organ[:255]
    props.last_modified_by = doc_plan.organ[:255]
    props.keywords = f"政府信息公开;{doc_plan.year}年度;{doc_plan.organ}"[:255]
    props.category = doc_plan.subject[:255]
    props.comments = doc_plan.format_name[:255]
    props.created = now
    props.modified = now
    _set_company(document, doc_plan.signoff or doc_plan.organ)
    if doc_plan.draft_header:
        _draft_headers(document, doc_plan.draft_header)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _draft_headers(document, text: str) -> None:
    """「草稿（…）」 in the template's (empty) odd and even page headers, where the PDF draws it.
    The headers are parts of the template: python-docx would otherwise build them from its own
    template files, which a frozen build does not carry."""
    section = document.sections[0]
    for header in (section.header, section.even_page_header):
        header.paragraphs[0].add_run(text)
        run = header.paragraphs[0].runs[-1]._element
        run.get_or_add_rPr().get_or_add_rFonts().set(f"{{{W_NS}}}hint", "eastAsia")


def _set_company(document, company: str) -> None:
    """Extended properties (docProps/app.xml): Company = the organ (Word shows it as 单位)."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            blob = part.blob.decode("utf-8")
            start = blob.find("<Company>")
            end = blob.find("</Company>")
            if start >= 0 and end > start:
                blob = blob[: start + 9] + escape(company) + blob[end:]
            elif "<Company/>" in blob:
                blob = blob.replace("<Company/>", f"<Company>{escape(company)}</Company>")
            part._blob = blob.encode("utf-8")  # generic Part: python-docx keeps the bytes as is
            return

