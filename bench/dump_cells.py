#!/usr/bin/env python3
"""Dumps what sechk's workbooks hold into the text that bench/floor_write.c
replays with libxlsxwriter (issue 21: the floor for the review row).

    dump_cells.py OUT.txt WORKBOOK.xlsx...

One record a line, fields separated by tabs; strings escaped (\\\\, \\t, \\n, \\r):
    W name constant-memory       a workbook (floor_write writes DIR/name; with
                                 constant_memory if it has no shared strings)
    D title subject author company category keywords comments
                                 its document properties
    X name value                 a custom property (string)
    F id bold italic underline size font colour bg wrap halign valign border
      bottom bottom-colour       a format (colours as RRGGBB or -, aligns as
                                 openpyxl names or -, borders 0 none 1 thin
                                 2 medium)
    S name                       a worksheet of the current workbook
    C first last width           column widths (as stored: floor_write takes
                                 off libxlsxwriter's padding)
    R row height                 a row's height (points)
    s row col fmt text           a string cell (0-based row and column)
    n row col fmt value          a number cell
    b row col fmt                a blank cell with a format
    f row col fmt formula        a formula cell
    M r1 c1 r2 c2 fmt text       a merged range and its text
    U row col fmt location text  a link to a place in the workbook
    c row col width height font size text
                                 a comment (box in pixels, its font)
    P landscape paper fit-w fit-h left right top bottom header footer
                                 the sheet's page setup
    T r1 r2                      rows repeated on each printed page
    t c1 c2                      columns repeated on each printed page
    A r1 c1 r2 c2                the print area
    B row                        a horizontal page break
    Z row col                    panes frozen at (row, col)
    O r1 c1 r2 c2                an autofilter
    a                            the active sheet
    H row col x-off y-off x-scale y-scale title gap major-unit categories
      values colours             a bar chart of one series, laid out as
                                 review.c's (colours: RRGGBB,RRGGBB,...)
Formats are numbered per dump, shared across workbooks.  Everything
sechk's review workbooks and summary.xlsx hold, so that the floor writes
the same sheets, cells, formats, merges, comments, links, print setup
and chart, and nothing else.
"""
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.utils.cell import coordinate_from_string


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def colour(c):
    if c is None or c.type != "rgb" or not isinstance(c.rgb, str):
        return "-"
    return c.rgb[-6:]


def border(side):
    return {"thin": 1, "medium": 2}.get(side.style, 0 if side.style is None else 1)


def cellrc(ref):
    col, row = coordinate_from_string(ref.replace("$", ""))
    return row - 1, column_index_from_string(col) - 1


class Dump:
    def __init__(self):
        self.fmts = {}
        self.lines = []

    def out(self, *fields):
        self.lines.append("\t".join(esc(str(f)) for f in fields))

    def fmt(self, c):
        f, a, b = c.font, c.alignment, c.border
        bg = colour(c.fill.fgColor) if c.fill is not None and c.fill.fill_type == "solid" else "-"
        key = (int(bool(f.b)), int(bool(f.i)), int(bool(f.u)), float(f.sz or 11), f.name or "-",
               colour(f.color), bg, int(bool(a.wrap_text)), a.horizontal or "-", a.vertical or "-",
               border(b.left), border(b.bottom), colour(b.bottom.color) if b.bottom.style else "-")
        if key not in self.fmts:
            self.fmts[key] = len(self.fmts)
            self.out("F", self.fmts[key], *key)
        return self.fmts[key]


def zip_text(z, name):
    try:
        return z.read(name).decode("utf-8")
    except KeyError:
        return ""


def sheet_parts(z):
    """The XML part of each sheet, in workbook order, and each part's rels."""
    wb = zip_text(z, "xl/workbook.xml")
    rels = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', zip_text(z, "xl/_rels/workbook.xml.rels")))
    rels.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"',
                                              zip_text(z, "xl/_rels/workbook.xml.rels"))})
    parts = []
    for rid in re.findall(r'<sheet [^>]*r:id="(rId\d+)"', wb):
        parts.append("xl/" + rels[rid].lstrip("/").replace("xl/", ""))
    return parts


def comment_boxes(z, part):
    """(row, col) -> (width px, height px) of the comments of a sheet part, and their font."""
    rels = zip_text(z, part.replace("worksheets/", "worksheets/_rels/") + ".rels")
    vml = re.search(r'Target="\.\./drawings/(vmlDrawing\d+\.vml)"', rels)
    com = re.search(r'Target="\.\./(comments\d+\.xml)"', rels)
    boxes = {}
    if vml:
        for style, row, col in re.findall(
                r'<v:shape [^>]*style="([^"]*)".*?<x:Row>(\d+)</x:Row><x:Column>(\d+)</x:Column>',
                zip_text(z, "xl/drawings/" + vml.group(1)), re.S):
            w = float(re.search(r"width:([\d.]+)pt", style).group(1)) * 4 / 3
            h = float(re.search(r"height:([\d.]+)pt", style).group(1)) * 4 / 3
            boxes[(int(row), int(col))] = (round(w), round(h))
    font = ("-", 8)
    if com:
        x = zip_text(z, "xl/" + com.group(1))
        name, size = re.search(r'<rFont val="([^"]*)"', x), re.search(r'<sz val="([\d.]+)"', x)
        font = (name.group(1) if name else "-", float(size.group(1)) if size else 8)
    return boxes, font


def chart_of(z, part):
    """The chart of a sheet part as an H record's fields, or None."""
    rels = zip_text(z, part.replace("worksheets/", "worksheets/_rels/") + ".rels")
    dr = re.search(r'Target="\.\./drawings/(drawing\d+\.xml)"', rels)
    if not dr:
        return None
    d = zip_text(z, "xl/drawings/" + dr.group(1))
    drels = zip_text(z, "xl/drawings/_rels/" + dr.group(1) + ".rels")
    ch = re.search(r'Target="\.\./charts/(chart\d+\.xml)"', drels)
    if not ch:
        return None
    x = zip_text(z, "xl/charts/" + ch.group(1))
    fr = re.search(r"<xdr:from><xdr:col>(\d+)</xdr:col><xdr:colOff>(\d+)</xdr:colOff><xdr:row>(\d+)</xdr:row>"
                   r"<xdr:rowOff>(\d+)</xdr:rowOff>", d)
    title = re.search(r"<c:title>.*?<a:t>(.*?)</a:t>", x, re.S)
    gap = re.search(r'<c:gapWidth val="(\d+)"', x)
    unit = re.search(r'<c:majorUnit val="([\d.]+)"', x)
    cat = re.search(r"<c:cat>.*?<c:f>(.*?)</c:f>", x, re.S)
    val = re.search(r"<c:val>.*?<c:f>(.*?)</c:f>", x, re.S)
    cols = re.findall(r'<c:dPt>.*?<a:srgbClr val="([0-9A-F]{6})"', x, re.S)
    unesc = lambda s: s.replace("&apos;", "'").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    # the chart's size is a pair of numbers in the drawing: its scales are
    # left at 1 (review.c's would need the column widths), which costs the same
    return [int(fr.group(3)), int(fr.group(1)), int(fr.group(2)) // 9525, int(fr.group(4)) // 9525,
            1, 1, unesc(title.group(1)) if title else "", gap.group(1) if gap else "150",
            unit.group(1) if unit else "0", unesc(cat.group(1)) if cat else "", unesc(val.group(1)) if val else "",
            ",".join(cols)]


def page_setup(dp, ws, raw):
    ps, m = ws.page_setup, ws.page_margins
    fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    head = re.search(r"<oddHeader>(.*?)</oddHeader>", raw, re.S)
    foot = re.search(r"<oddFooter>(.*?)</oddFooter>", raw, re.S)
    unesc = lambda s: s.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    dp.out("P", int(ps.orientation == "landscape"), ps.paperSize or 0,
           (ps.fitToWidth if ps.fitToWidth is not None else 1) if fit else -1,
           (ps.fitToHeight if ps.fitToHeight is not None else 1) if fit else -1,
           m.left, m.right, m.top, m.bottom, unesc(head.group(1)) if head else "",
           unesc(foot.group(1)) if foot else "")
    if ws.print_title_rows:
        a, b = ws.print_title_rows.replace("$", "").split(":")
        dp.out("T", int(a) - 1, int(b) - 1)
    if ws.print_title_cols:
        a, b = ws.print_title_cols.replace("$", "").split(":")
        dp.out("t", column_index_from_string(a) - 1, column_index_from_string(b) - 1)
    if ws.print_area:
        pa = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        area = pa.split("!")[-1].replace("$", "")
        c1, r1, c2, r2 = range_boundaries(area)
        dp.out("A", r1 - 1, c1 - 1, r2 - 1, c2 - 1)
    for brk in ws.row_breaks.brk:
        dp.out("B", brk.id)
    if ws.freeze_panes:
        r, c = cellrc(ws.freeze_panes)
        dp.out("Z", r, c)
    if ws.auto_filter.ref:
        c1, r1, c2, r2 = range_boundaries(ws.auto_filter.ref)
        dp.out("O", r1 - 1, c1 - 1, r2 - 1, c2 - 1)


def dump_sheet(dp, z, wb, ws, part):
    raw = zip_text(z, part)
    dp.out("S", ws.title)
    for letter, cd in sorted(ws.column_dimensions.items(), key=lambda kv: kv[1].min or 0):
        if cd.width and cd.customWidth:
            dp.out("C", (cd.min or column_index_from_string(letter)) - 1,
                   (cd.max or column_index_from_string(letter)) - 1, cd.width)
    heights = {r: rd.height for r, rd in ws.row_dimensions.items() if rd.height is not None and rd.customHeight}
    merged = {}
    for mr in ws.merged_cells.ranges:
        merged[(mr.min_row, mr.min_col)] = mr
    covered = {(r, c) for mr in ws.merged_cells.ranges for r in range(mr.min_row, mr.max_row + 1)
               for c in range(mr.min_col, mr.max_col + 1)}
    boxes, font = comment_boxes(z, part)
    comments = []
    for row in ws.iter_rows():
        # a row's height before its cells: a constant_memory workbook
        # writes rows in order
        if row and row[0].row in heights:
            dp.out("R", row[0].row - 1, heights.pop(row[0].row))
        for c in row:
            key = (c.row, c.column)
            if key in merged:
                mr = merged[key]
                dp.out("M", mr.min_row - 1, mr.min_col - 1, mr.max_row - 1, mr.max_col - 1, dp.fmt(c),
                       "" if c.value is None else c.value)
                continue
            if key in covered:
                continue
            if c.comment is not None:
                w, h = boxes.get((c.row - 1, c.column - 1), (128, 74))
                comments.append((c.row - 1, c.column - 1, w, h, font[0], font[1], c.comment.text))
            v = c.value
            if v is None:
                if c.has_style and c.style_id:
                    dp.out("b", c.row - 1, c.column - 1, dp.fmt(c))
                continue
            if c.hyperlink is not None and c.hyperlink.location:
                dp.out("U", c.row - 1, c.column - 1, dp.fmt(c), c.hyperlink.location, v)
            elif isinstance(v, str) and c.data_type == "f":
                dp.out("f", c.row - 1, c.column - 1, dp.fmt(c), v)
            elif isinstance(v, bool) or not isinstance(v, (int, float)):
                dp.out("s", c.row - 1, c.column - 1, dp.fmt(c), v)
            else:
                dp.out("n", c.row - 1, c.column - 1, dp.fmt(c), repr(v))
    for r in sorted(heights):
        dp.out("R", r - 1, heights[r])
    for rec in comments:
        dp.out("c", *rec)
    page_setup(dp, ws, raw)
    ch = chart_of(z, part)
    if ch:
        dp.out("H", *ch)
    if wb.active is ws:
        dp.out("a")


def main():
    out_path, books = sys.argv[1], sys.argv[2:]
    dp = Dump()
    for path in books:
        wb = openpyxl.load_workbook(path)
        z = zipfile.ZipFile(path)
        # summary.xlsx is written in constant_memory mode (inline strings)
        dp.out("W", path.rsplit("/", 1)[-1], int("xl/sharedStrings.xml" not in z.namelist()))
        p = wb.properties
        dp.out("D", p.title or "", p.subject or "", p.creator or "", "", p.category or "", p.keywords or "",
               p.description or "")
        for name, value in re.findall(r'name="([^"]*)"><vt:lpwstr>(.*?)</vt:lpwstr>',
                                      zip_text(z, "docProps/custom.xml")):
            dp.out("X", name, value)
        for ws, part in zip(wb.worksheets, sheet_parts(z)):
            dump_sheet(dp, z, wb, ws, part)
    with open(out_path, "w", encoding="utf-8") as fp:
        fp.write("\n".join(dp.lines) + "\n")


if __name__ == "__main__":
    main()
