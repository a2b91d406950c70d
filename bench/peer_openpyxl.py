#!/usr/bin/env python3
"""A peer for `make bench` (issue 21): what a team would write with openpyxl
to do sechk's extract + the simple checks over a folder of checklists.

    peer_openpyxl.py FILE.xlsx...    prints one JSON line per file to stdout

For each file: the first sheet, read-only and values only; the header row
(the one whose first cell is "No."); the two answer columns (the headers
starting 外部サービス提供者回答欄 and 受託者回答欄); for each item row (a number
in column A) and answer cell: the checked (■) and unchecked (□) markers, the
remark after 備考：, and the simple findings: no option checked, more than one
checked where the cell offers one of 適合/不適合, an empty remark.  The same
work as bench/peer_sheetjs.js, so the two peers measure their libraries.
"""
import json
import re
import sys

import openpyxl

CHECKED = "■"
BOXES = "■□"
REMARK = re.compile(r"備考[：:](.*)", re.S)
HEADS = ("外部サービス提供者回答欄", "受託者回答欄")


def check_cell(text):
    """Markers, remark and findings of one answer cell's text."""
    if not isinstance(text, str) or text.strip() in ("", "―", "-"):
        return None
    n_checked = text.count(CHECKED)
    n_boxes = sum(text.count(b) for b in BOXES)
    m = REMARK.search(text)
    remark = m.group(1).strip() if m else ""
    findings = []
    if n_boxes and not n_checked:
        findings.append("unanswered")
    if "適合" in text and "不適合" in text and n_checked > 1:
        findings.append("conflict")
    if m and not remark:
        findings.append("no-remark")
    return {"checked": n_checked, "boxes": n_boxes, "remark": remark, "findings": findings}


def check_file(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    cols, items = None, []
    for row in ws.iter_rows(values_only=True):
        if cols is None:
            if row and row[0] == "No.":
                cols = [k for k, v in enumerate(row) if isinstance(v, str) and v.startswith(HEADS)]
            continue
        no = row[0] if row else None
        if no is None or not str(no).strip().isdigit():
            continue
        cells = [check_cell(row[k]) if k < len(row) else None for k in cols]
        items.append({"no": int(str(no).strip()), "cells": cells})
    wb.close()
    n_find = sum(len(c["findings"]) for it in items for c in it["cells"] if c)
    return {"file": path, "items": len(items), "findings": n_find}


def main():
    out = sys.stdout
    for path in sys.argv[1:]:
        out.write(json.dumps(check_file(path), ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
