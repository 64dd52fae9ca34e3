"""Which code points a face maps, read straight from the font file's cmap."""

from __future__ import annotations


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



def read_coverage(path: str, index: int) -> frozenset[int]:
    """The face's code points: the fast reader, else fontTools, else nothing."""
    try:
        cps = _read_cmap_coverage(path, index)
    except Exception:
        cps = None
    if cps is None:  # a cmap layout the fast reader does not handle: let fontTools do it
        from fontTools.ttLib import TTFont

        try:
            font = TTFont(path, fontNumber=index, lazy=True)
            try:
                cps = frozenset(font.getBestCmap() or {})
            finally:
                font.close()
        except Exception:
            cps = frozenset()
    return cps
