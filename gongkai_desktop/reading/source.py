"""Turning a published report file into a neutral stream of paragraphs and tables.

Every input kind (.docx, web page, PDF, text, the formats LibreOffice converts) becomes a
:class:`Source`: paragraphs and tables in reading order, each table a list of rows and each row
the list of its cells' texts *as they appear in the row* (a merged cell counts once, a cell
merged down from the row above is absent) — the analyser reads values by order within a row,
never by grid position, because published tables disagree about their merges.

Bad input fails here with a Chinese :class:`ReadingError` before anything is analysed: a file that
is not what its name says, a zip bomb (decompression is bounded), a huge page, a PDF without a
text layer or with a password.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import texts as DT
from ..errors import GongkaiError
from . import texts as T
from ..storage.fileio import os_error_text

MAX_INPUT_BYTES = 40 * 1024 * 1024  # a report with embedded pictures stays well below this
MAX_HTML_BYTES = 16 * 1024 * 1024  # a saved report page is a few hundred KB
MAX_XML_BYTES = 48 * 1024 * 1024  # word/document.xml after decompression
MAX_PDF_PAGES = 400
OFFICE_TIMEOUT = 120

OFFICE_SUFFIXES = (".doc", ".wps", ".rtf", ".odt", ".wpt", ".dot")


class ReadingError(GongkaiError):
    """The file cannot be read as a published report; nothing was stored."""


@dataclass
class Para:
    text: str
    images: int = 0  # pictures in the paragraph (tables published as images)


@dataclass
class TableItem:
    rows: list[list[str]]


@dataclass
class Source:
    path: str
    kind: str  # docx | html | pdf | txt | office
    items: list = field(default_factory=list)  # Para | TableItem
    title_hint: str = ""  # an HTML page's <title>
    notes: list[str] = field(default_factory=list)
    text_tables: bool = False  # tables may only exist as text lines (txt, PDF without ruled tables)

    def plain_text(self) -> str:
        """The source as the clerk would see it pasted: paragraphs, table rows as cells with 「|」."""
        out = []
        for item in self.items:
            if isinstance(item, Para):
                out.append(item.text)
            else:
                out.extend(" | ".join(c for c in row) for row in item.rows)
        return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Entry


def load(path: str | os.PathLike) -> Source:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadingError(T.CANNOT_READ.format(path=path, detail=os_error_text(exc))) from None
    if size == 0:
        raise ReadingError(T.EMPTY_FILE.format(path=path))
    if size > MAX_INPUT_BYTES:
        raise ReadingError(T.TOO_BIG.format(size_mb=size / 2**20, limit_mb=MAX_INPUT_BYTES // 2**20))
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadingError(T.CANNOT_READ.format(path=path, detail=os_error_text(exc))) from None
    suffix = path.suffix.lower()
    # The content decides, not only the name: a .doc renamed .docx, a web page saved as .doc.
    if head.startswith(b"%PDF"):
        return load_pdf(path)
    if suffix == ".docx" or (head.startswith(b"PK") and suffix not in (".odt",) + OFFICE_SUFFIXES):
        return load_docx(path)
    if suffix in OFFICE_SUFFIXES:
        if head.startswith(b"PK") and suffix == ".doc":
            return load_docx(path)
        data = path.read_bytes()
        if suffix != ".rtf" and re.search(rb"<html|<!doctype html|<table", data[:4096], re.I):
            return load_html(path, data)
        return load_office(path)
    if suffix in (".mht", ".mhtml"):
        return load_html(path, _mhtml_html(path))
    if suffix in (".html", ".htm", ".shtml", ".xhtml") or re.search(
            rb"<html|<!doctype", _read_head(path), re.I):
        return load_html(path)
    if suffix in (".txt", ".text", ""):
        return load_txt(path)
    if suffix == ".pdf":
        raise ReadingError(T.PDF_BAD.format(path=path, detail="文件头不是 %PDF"))
    raise ReadingError(T.UNKNOWN_KIND.format(suffix=suffix or "（无扩展名）"))


def _read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(2048)


# ---------------------------------------------------------------------------------------------
# Word (.docx): the XML of the body, read with lxml under a decompression bound.

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _bounded_read(zf: zipfile.ZipFile, name: str, limit: int, path: Path) -> bytes:
    """Decompress one member, stopping at ``limit`` bytes whatever its header claims."""
    with zf.open(name) as fh:
        out = io.BytesIO()
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            out.write(chunk)
            if out.tell() > limit:
                raise ReadingError(T.ZIP_BOMB.format(path=path, limit_mb=limit // 2**20))
    return out.getvalue()


def load_docx(path: Path, kind: str = "docx") -> Source:
    from lxml import etree

    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadingError(T.NOT_ZIP.format(path=path)) from None
    with zf:
        if "word/document.xml" not in zf.namelist():
            raise ReadingError(T.DOCX_NO_BODY.format(path=path))
        try:
            data = _bounded_read(zf, "word/document.xml", MAX_XML_BYTES, path)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, zlib.error, ValueError) as exc:
            raise ReadingError(T.NOT_ZIP.format(path=path)) from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadingError(T.BAD_XML.format(path=path, detail=exc)) from None
    body = root.find(f"{W}body")
    src = Source(str(path), kind)
    if body is None:
        return src
    _docx_blocks(body, src.items)
    return src


def _docx_blocks(parent, items: list) -> None:
    for el in parent:
        tag = el.tag
        if tag == f"{W}p":
            text, images = _docx_para(el)
            items.extend(Para(t, images if i == 0 else 0) for i, t in enumerate(text.split("\n")))
        elif tag == f"{W}tbl":
            items.append(TableItem(_docx_table(el)))
        elif tag in (f"{W}sdt", f"{W}customXml"):
            content = el.find(f"{W}sdtContent")
            _docx_blocks(content if content is not None else el, items)


def _docx_para(p) -> tuple[str, int]:
    parts: list[str] = []
    images = 0
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            parts.append(el.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag in (f"{W}drawing", f"{W}pict") or tag.endswith("}object"):
            images += 1
    return "".join(parts), images


def _docx_table(tbl) -> list[list[str]]:
    rows = []
    for tr in tbl.iter(f"{W}tr"):
        if tr.getparent() is not tbl and tr.getparent().tag != f"{W}tbl":
            continue
        if _ancestor_table(tr) is not tbl:
            continue  # a row of a table nested in a cell
        cells = []
        for tc in tr.findall(f"{W}tc") + [t for s in tr.findall(f"{W}sdt") for t in s.iter(f"{W}tc")]:
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            if vmerge is not None and vmerge.get(f"{W}val") not in ("restart",):
                continue  # continues the cell above: absent from this row
            # Word breaks a long label inside the cell (「本年新」/「制作数量」): join the pieces.
            texts = []
            for p in tc.iter(f"{W}p"):
                texts.append(_docx_para(p)[0].replace("\n", ""))
            cells.append("".join(texts))
        rows.append(cells)
    return rows


def _ancestor_table(el):
    node = el.getparent()
    while node is not None and node.tag != f"{W}tbl":
        node = node.getparent()
    return node


# ---------------------------------------------------------------------------------------------
# Web pages

def _mhtml_html(path: Path) -> bytes:
    """The page inside a 「单个文件」 web archive (.mht): its first text/html part, decoded from
    quoted-printable/base64 and given back with a meta charset of the part's own charset."""
    import email
    import email.policy

    size = path.stat().st_size
    if size > MAX_HTML_BYTES * 2:
        raise ReadingError(T.TOO_BIG.format(size_mb=size / 2**20, limit_mb=MAX_HTML_BYTES * 2 // 2**20))
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            data = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and not _META_CHARSET.search(data[:8192]):
                data = f'<meta charset="{charset}">'.encode("ascii") + data
            return data
    raise ReadingError(T.BAD_XML.format(path=path, detail="没有网页内容"))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(data: bytes, path: Path) -> tuple[str, list[str]]:
    """Decode a saved page: BOM, then the declared charset, then UTF-8, then GB18030 (a superset
    of GBK and GB2312, which pages declare while using characters outside GB2312)."""
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), [T.NOTE_ENCODING.format(encoding="UTF-8")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), [T.NOTE_ENCODING.format(encoding="UTF-16")]
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii").lower() if m else None
    order = []
    if declared:
        order.append("gb18030" if declared.replace("-", "") in ("gb2312", "gbk", "gb18030", "xgbk", "cp936", "xcp20936", "cp20936",
                                                              "eucCN".lower(), "gb231280", "xeuccn", "windows936")
                     else declared)
    order += [e for e in ("utf-8", "gb18030") if e not in order]
    for enc in order:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        label = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030"}.get(enc, enc)
        if declared and enc != order[0]:
            notes.append(T.NOTE_ENCODING_FALLBACK.format(declared=declared, encoding=label))
        else:
            notes.append(T.NOTE_ENCODING.format(encoding=label))
        return text, notes
    raise ReadingError(T.HTML_UNDECODABLE.format(path=path))


_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
               "header", "footer", "blockquote", "pre", "center", "dd", "dt", "dl", "form", "tr", "hr",
               "caption", "main", "aside", "nav", "figure", "figcaption", "address"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "select", "option", "button", "iframe", "object",
              "template", "svg", "textarea", "input"}


def load_html(path: Path, data: bytes | None = None) -> Source:
    import lxml.html
    from lxml import etree

    if data is None:
        size = path.stat().st_size
        if size > MAX_HTML_BYTES:
            raise ReadingError(T.TOO_BIG.format(size_mb=size / 2**20, limit_mb=MAX_HTML_BYTES // 2**20))
        data = path.read_bytes()
    elif len(data) > MAX_HTML_BYTES:
        raise ReadingError(T.TOO_BIG.format(size_mb=len(data) / 2**20, limit_mb=MAX_HTML_BYTES // 2**20))
    text, notes = decode_html(data, path)
    text = re.sub(r"<\?xml[^>]*\?>", "", text[:200]) + text[200:]
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        raise ReadingError(T.BAD_XML.format(path=path, detail=exc)) from None
    src = Source(str(path), "html", notes=notes)
    title = root.find(".//title")
    if title is not None:
        src.title_hint = " ".join((title.text_content() or "").split())
    body = root.find("body")
    _HtmlFlow(src.items).walk(body if body is not None else root)
    return src


class _HtmlFlow:
    def __init__(self, items: list):
        self.items = items
        self.buf: list[str] = []
        self.images = 0

    def flush(self) -> None:
        text = "".join(self.buf)
        if text.strip() or self.images:
            self.items.append(Para(text.strip(), self.images))
        self.buf, self.images = [], 0

    def walk(self, el) -> None:
        self._walk(el)
        self.flush()

    def _walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIP_TAGS or not isinstance(el.tag, str):
            if el.tail:
                self.buf.append(_ws(el.tail))
            return
        if tag == "table":
            if el.find(".//table") is not None or _is_layout_table(el):
                # A layout table (old portal pages wrap the whole page in one): its cells are flow.
                self.flush()
                for child in el.iter("td", "th"):
                    if _nearest_table(child) is el:
                        for sub in child:
                            self._walk(sub)
                        if child.text:
                            self.buf.append(_ws(child.text))
                        self.flush()
            else:
                self.flush()
                self.items.append(TableItem(_html_table(el)))
        elif tag == "br":
            self.flush()
        elif tag == "img":
            self.images += 1
        else:
            block = tag in _BLOCK_TAGS
            if block:
                self.flush()
            if el.text:
                self.buf.append(_ws(el.text))
            for child in el:
                self._walk(child)
            if block:
                self.flush()
        if el.tail:
            self.buf.append(_ws(el.tail))


def _is_layout_table(table) -> bool:
    """A table used to place the page's content (one cell per row, or a cell holding whole
    paragraphs), not a table of figures: its cells are read as flow."""
    widest = 0
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        widest = max(widest, len(cells))
        for c in cells:
            if len(c.text_content()) > 400:
                return True
    return widest <= 1


def _ws(text: str) -> str:
    # Source formatting newlines inside a paragraph are not line breaks.
    return re.sub(r"[\r\n\t]+", "", text)


def _nearest_table(el):
    node = el.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _html_table(table) -> list[list[str]]:
    rows = []
    for tr in table.iter("tr"):
        if _nearest_table(tr) is not table:
            continue
        cells = []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            # <br> and <p> inside a label split it (「本年新<br>制作数量」): join the pieces.
            cells.append("".join(cell.itertext()).replace("\xa0", " "))
        rows.append(cells)
    return rows


# ---------------------------------------------------------------------------------------------
# PDF: text with positions from pdfium; ruled tables from the drawn borders (pdfgrid.py).


def load_pdf(path: Path) -> Source:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise ReadingError(T.PDF_ENCRYPTED.format(path=path)) from None
        raise ReadingError(T.PDF_BAD.format(path=path, detail=exc)) from None
    src = Source(str(path), "pdf", text_tables=True)
    try:
        n = min(len(pdf), MAX_PDF_PAGES)
        pages_lines, empty_pages, tables = _pdf_pages(pdf, n, raw)
    except pdfium.PdfiumError as exc:
        raise ReadingError(T.PDF_BAD.format(path=path, detail=exc)) from None
    finally:
        pdf.close()
    if all(not p for p in pages_lines):
        raise ReadingError(T.PDF_NO_TEXT.format(path=path))
    if empty_pages:
        src.notes.append(T.NOTE_PDF_PAGES_NO_TEXT.format(pages="、".join(map(str, empty_pages[:20]))))
    _join_split_rows(tables)
    pages = []
    for i, lines in enumerate(pages_lines):
        page_tables = tables.get(i, [])
        body = [l for l in lines if not any(_inside(l, bbox) for bbox, _ in page_tables)]
        # Tables are placed where their first line would be.
        placed = sorted([(bbox[1], rows) for bbox, rows in page_tables], key=lambda t: t[0])
        pages.append((body, placed))
    src.items.extend(_merge_lines(pages))
    return src


def _pdf_pages(pdf, n: int, raw) -> tuple[list[list["_Line"]], list[int], dict[int, list]]:
    """Every page's text lines, the pages without text, and the ruled tables of each page that
    draws lines (pdfgrid: from the drawn borders, pdfium alone)."""
    from .pdfgrid import tables_on_page

    pages_lines: list[list[_Line]] = []
    empty_pages: list[int] = []
    tables: dict[int, list] = {}
    for i in range(n):
        page = pdf[i]
        tp = page.get_textpage()
        lines = _pdf_lines(tp, raw, page.get_height())
        if lines and _has_rules(page, raw):
            found = tables_on_page(page, tp, raw)
            if found:
                tables[i] = found
        tp.close()
        page.close()
        if not lines:
            empty_pages.append(i + 1)
        pages_lines.append(lines)
    return pages_lines, empty_pages, tables


def _has_rules(page, raw) -> bool:
    """Whether the page draws lines (a ruled table); a page of text draws none."""
    paths = 0
    for i in range(raw.FPDFPage_CountObjects(page.raw)):
        if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, i)) == raw.FPDF_PAGEOBJ_PATH:
            paths += 1
            if paths >= 4:
                return True
    return False


def _join_split_rows(tables: dict[int, list]) -> None:
    """A row Word or LibreOffice broke over a page break: the label's start (often with the
    values) at the foot of one page, the rest of the label at the top of the next, one of the two
    without values. Put it back together."""
    from .tables import split_row

    for i in sorted(tables):
        prev, here = tables.get(i - 1), tables.get(i)
        if not prev or not here or not prev[-1][1] or not here[0][1]:
            continue
        last, first = prev[-1][1][-1], here[0][1][0]
        l_labels, l_vals = split_row(last)
        f_labels, f_vals = split_row(first)
        if not l_labels or not f_labels:
            continue
        if re.match(r"^\s*(（[一二三四五六七八九十]+）|\(|[一二三四五六七八九十]+、|\d+[.．、])", f_labels[0]):
            continue  # the next page starts a row of its own
        l_empty = not any(v.strip() for v in l_vals)
        f_empty = not any(v.strip() for v in f_vals)
        if not (l_empty or f_empty):
            continue
        vals = f_vals if l_empty and not f_empty else l_vals
        prev[-1][1][-1] = l_labels[:-1] + [l_labels[-1] + "".join(f_labels)] + vals
        del here[0][1][0]


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float  # from the top of the page
    size: float


def _pdf_lines(tp, raw, page_h: float) -> list[_Line]:
    """The page's text lines with their extent. Lines are grouped by baseline (a flat glyph such
    as 「一」 has a box far from its neighbours' but the same origin)."""
    import ctypes

    n = tp.count_chars()
    lines: list[_Line] = []
    cur: list[str] = []
    box = None
    sizes: list[float] = []
    l, b, r, t = (ctypes.c_double() for _ in range(4))
    ox, oy = ctypes.c_double(), ctypes.c_double()
    handle = tp.raw
    base = None

    def flush():
        nonlocal cur, box, sizes, base
        # Content order is not reading order (a writer may draw the quotes of a line after its
        # other characters): along one baseline, left to right is.
        cur.sort(key=lambda c: c[0])
        chars: list[str] = []
        edge = None
        for x, ch, right, size in cur:
            if edge is not None and x - edge > 3 * size:
                chars.append("  ")  # a gap wider than a few characters: another cell or column
            chars.append(ch)
            if ch.strip():
                edge = right if edge is None else max(edge, right)
        text = _join_chars(chars).strip()
        if text and box is not None:
            size = max(sizes) if sizes else 10.0
            lines.append(_Line(text, box[0], box[1], page_h - base - size * 0.88, size))
        cur, box, sizes, base = [], None, [], None

    pending_high = 0
    for i in range(n):
        code = raw.FPDFText_GetUnicode(handle, i)
        if code in (13, 10, 2, 0xFFFE) or code >= 0x110000:
            continue
        # Characters outside the BMP (𠮷) come as two UTF-16 halves, one index each.
        if 0xD800 <= code < 0xDC00:
            pending_high = code
            continue
        if 0xDC00 <= code < 0xE000:
            if not pending_high:
                continue
            code = 0x10000 + ((pending_high - 0xD800) << 10) + (code - 0xDC00)
            pending_high = 0
        ch = chr(code)
        raw.FPDFText_GetCharOrigin(handle, i, ox, oy)
        if not ch.strip():
            if cur:
                cur.append((ox.value, " ", ox.value, 10.0))
            continue
        size = raw.FPDFText_GetFontSize(handle, i) or 10.0
        if base is not None and (abs(oy.value - base) > 0.45 * size or ox.value < box[0] - 1 and abs(oy.value - base) > 0.2 * size):
            flush()
        raw.FPDFText_GetCharBox(handle, i, l, r, b, t)
        if base is None:
            base = oy.value
            box = [ox.value, max(r.value, ox.value + size * 0.5)]
        else:
            box[0] = min(box[0], ox.value)
            box[1] = max(box[1], r.value, ox.value + size * 0.5)
        sizes.append(size)
        cur.append((ox.value, ch, max(r.value, ox.value + size * 0.5), size))
    flush()
    return lines


def _join_chars(chars: list[str]) -> str:
    """Join a line's characters; a space next to a Chinese character is the writer's spacing
    (「2023 年」), not the text's — a space stays only between Latin letters or digits."""
    out: list[str] = []
    for i, ch in enumerate(chars):
        if ch.strip() == "":
            if ch == "  ":
                out.append(ch)
                continue
            before = next((c for c in reversed(out) if c.strip()), "")
            after = next((c for c in chars[i + 1:] if c.strip()), "")
            if before and after and before[-1].isascii() and after[0].isascii() and (out and out[-1] != " "):
                out.append(" ")
            continue
        out.append(ch)
    return "".join(out)


def _inside(line: _Line, bbox) -> bool:
    x0, top, x1, bottom = bbox
    mid_y = line.top + line.size / 2
    return top - 1 <= mid_y <= bottom + 1 and x0 - 2 <= (line.x0 + line.x1) / 2 <= x1 + 2


# The mark a draft export of this app carries on every page (documents/texts.py) is not text.
DRAFT_LINE = _DRAFT = re.compile("^(" + re.escape(DT.DRAFT_MARK) + "|" + re.escape(DT.DRAFT_HEADER).replace(
    re.escape("{reasons}"), ".+") + ")$")
_PAGE_NUMBER = re.compile(r"^[—–\-－]\s*\d+\s*[—–\-－]$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")


def _merge_lines(pages: list) -> list:
    """Rebuild paragraphs from the pages' lines: a paragraph starts indented (公文 first-line
    indent) or after a line that stops short of the right margin; centred and right-set lines
    (title, sign-off) stand alone. A paragraph goes on across a page break."""
    items: list = []
    all_lines = [l for lines, _ in pages for l in lines
                 if not _PAGE_NUMBER.match(l.text) and not _DRAFT.match(l.text)]
    if not all_lines:
        for _, tables in pages:
            items.extend(TableItem(rows) for _, rows in tables)
        return items
    # The text block's left edge: the leftmost x where lines start more than once (in a report
    # of short paragraphs most lines start indented).
    starts: dict[int, int] = {}
    for l in all_lines:
        starts[round(l.x0)] = starts.get(round(l.x0), 0) + 1
    repeated = [x for x, n in starts.items() if n >= 2]
    left = min(repeated) if repeated else _mode([round(l.x0) for l in all_lines])
    widest = max(x.x1 for x in all_lines)
    right = _mode([round(l.x1) for l in all_lines if l.x1 > left + (widest - left) * 0.8])
    prev: _Line | None = None
    buf = ""
    for lines, tables in pages:
        tables = list(tables)
        new_page = True
        for line in lines:
            if _PAGE_NUMBER.match(line.text) or _DRAFT.match(line.text):
                continue
            while tables and tables[0][0] <= line.top:
                if buf:
                    items.append(Para(buf))
                    buf, prev = "", None
                items.append(TableItem(tables.pop(0)[1]))
            em = line.size or 12
            indented = line.x0 > left + 0.8 * em
            starts = (prev is None or indented or prev.x1 < right - 2.5 * em or abs(line.size - prev.size) > 1.5
                      or (not new_page and line.top - prev.top > 2.6 * em)
                      or "  " in line.text or "  " in prev.text)  # cells set apart: a table row
            if starts:
                if buf:
                    items.append(Para(buf))
                buf = line.text
            else:
                buf += line.text
            prev = line
            new_page = False
        for _, rows in tables:
            if buf:
                items.append(Para(buf))
                buf, prev = "", None
            items.append(TableItem(rows))
    if buf:
        items.append(Para(buf))
    return items


def _mode(values: list[int]) -> int:
    counts: dict[int, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return min(counts, key=lambda v: (-counts[v], v))


# ---------------------------------------------------------------------------------------------
# Plain text


def decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def load_txt(path: Path) -> Source:
    data = path.read_bytes()
    text = decode_text(data)
    src = Source(str(path), "txt", text_tables=True)
    # Blank lines are kept (as empty paragraphs): in the one-cell-per-line layout an empty line
    # is an empty cell.
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        src.items.append(Para(line.strip().strip("\u3000")))
    return src


# ---------------------------------------------------------------------------------------------
# Through LibreOffice


def find_office() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for guess in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                  r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
                  "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if os.path.exists(guess):
            return guess
    return None


def load_office(path: Path) -> Source:
    office = find_office()
    if office is None:
        raise ReadingError(T.NO_OFFICE.format(suffix=path.suffix.lower()))
    with tempfile.TemporaryDirectory(prefix="gongkai-read-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        # A private profile: a LibreOffice the clerk has open does not swallow the conversion.
        cmd = [office, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(path)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=OFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ReadingError(T.OFFICE_TIMEOUT.format(path=path, seconds=OFFICE_TIMEOUT)) from None
        except OSError as exc:
            raise ReadingError(T.OFFICE_FAILED.format(path=path, detail=exc)) from None
        out = Path(tmp, path.stem + ".docx")
        if not out.exists():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[:200] or f"退出码 {proc.returncode}"
            raise ReadingError(T.OFFICE_FAILED.format(path=path, detail=detail))
        src = load_docx(out, kind="office")
    src.path = str(path)
    src.notes.append(T.NOTE_CONVERTED.format(suffix=path.suffix.lower()))
    return src
