#!/usr/bin/env python3
"""Dumps the sheets, cells and cell formats of workbooks into the text that
bench/floor_write.c reads (issue 21: the floor for the review row).

    dump_cells.py OUT.txt WORKBOOK.xlsx...

One record a line, fields separated by tabs; strings escaped (\\\\, \\t, \\n, \\r):
    W name                       a workbook (floor_write writes DIR/name)
    F id bold italic underline size font colour bg wrap halign valign border
                                 a format (colours as RRGGBB or -, aligns as
                                 openpyxl names or -)
    S name                       a worksheet of the current workbook
    s row col fmt text           a string cell (0-based row and column)
    n row col fmt value          a number cell
Formats are numbered per dump, shared across workbooks.  Only what a
review workbook's cells and formats need; nothing else (column widths,
merges, comments, print settings) is dumped.
"""
import sys

import openpyxl


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def colour(c):
    if c is None or c.type != "rgb" or not isinstance(c.rgb, str):
        return "-"
    return c.rgb[-6:]


def main():
    out_path, books = sys.argv[1], sys.argv[2:]
    fmts = {}
    lines = []
    for path in books:
        wb = openpyxl.load_workbook(path)
        lines.append("W\t%s" % esc(path.rsplit("/", 1)[-1]))
        for ws in wb.worksheets:
            lines.append("S\t%s" % esc(ws.title))
            for row in ws.iter_rows():
                for c in row:
                    v = c.value
                    if v is None:
                        continue
                    f, a = c.font, c.alignment
                    bg = colour(c.fill.fgColor) if c.fill is not None and c.fill.fill_type == "solid" else "-"
                    key = (int(bool(f.b)), int(bool(f.i)), int(bool(f.u)), float(f.sz or 11), f.name or "-",
                           colour(f.color), bg, int(bool(a.wrap_text)), a.horizontal or "-",
                           a.vertical or "-", int(c.border.left.style is not None))
                    if key not in fmts:
                        fmts[key] = len(fmts)
                        lines.append("F\t%d\t" % fmts[key] + "\t".join(str(k) for k in key))
                    fid = fmts[key]
                    if isinstance(v, bool) or not isinstance(v, (int, float)):
                        lines.append("s\t%d\t%d\t%d\t%s" % (c.row - 1, c.column - 1, fid, esc(str(v))))
                    else:
                        lines.append("n\t%d\t%d\t%d\t%r" % (c.row - 1, c.column - 1, fid, v))
    with open(out_path, "w", encoding="utf-8") as fp:
        fp.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
