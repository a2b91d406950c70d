#!/usr/bin/env python3
"""Big-sheet cases for tests/e2e/test_bigsheet.sh.

    make_bigsheet.py SAMPLE OUT.xlsx ROWS WHERE

Copies SAMPLE (a filled checklist) with ROWS filler rows of checklist-like
text, each with its own shared strings, so that the sheet has more than the
50,000 cells above which sechk filters the shared strings:

- WHERE=below: the filler follows the checklist (found in one pass);
- WHERE=above: the filler comes first and the checklist is moved down
  (its strings are then read in a second pass).

    make_bigsheet.py --compare A.json B.json

Compares two `sechk extract` outputs with rows and cell references left
out: exit 0 if the answers are the same."""
import json
import re
import sys
import zipfile
from xml.sax.saxutils import escape

SHEET, STRINGS = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"


def shift_refs(xml, k):
    """Moves every row number in the sheet XML down by k rows."""
    xml = re.sub(r'<row r="(\d+)"', lambda m: '<row r="%d"' % (int(m.group(1)) + k), xml)
    return re.sub(r'(r|ref|sqref)="([^"]+)"', lambda m: '%s="%s"' % (m.group(1), re.sub(
        r"([A-Z]+)(\d+)", lambda n: "%s%d" % (n.group(1), int(n.group(2)) + k), m.group(2))), xml)


def make(sample, out, rows, where):
    with zipfile.ZipFile(sample) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet, sst = parts[SHEET].decode(), parts[STRINGS].decode()
    head, rest = sheet.split("<sheetData>", 1)
    body, tail = rest.split("</sheetData>", 1)
    last = max(int(x) for x in re.findall(r'<row r="(\d+)"', body))
    m = re.search(r'uniqueCount="(\d+)"', sst)
    base = int(m.group(1)) if m else sst.count("<si>")
    start = 1 if where == "above" else last + 1
    fill, strings = [], []
    for k in range(rows):
        r, s = start + k, base + 3 * k
        fill.append('<row r="%d"><c r="A%d"><v>%d</v></c><c r="C%d" t="s"><v>%d</v></c>'
                    '<c r="D%d"><v>1</v></c><c r="E%d" t="s"><v>%d</v></c><c r="F%d" t="s"><v>%d</v></c>'
                    '<c r="G%d"><v>2</v></c></row>' % (r, r, 100 + k, r, s, r, r, s + 1, r, s + 2, r))
        strings += ["参考要件%d：クラウドサービスの利用にあたり、事業者は記録を保管すること。" % k,
                    "□適合　■不適合\n備考：参考行%d" % k, "□確認済み（%d）" % k]
    fill = "".join(fill)
    if where == "above":
        body, tail = shift_refs(body, rows), shift_refs(tail, rows)
        head = re.sub(r'<dimension ref="[^"]*"/>', "", head)
        body = fill + body
    else:
        body = body + fill
    parts[SHEET] = (head + "<sheetData>" + body + "</sheetData>" + tail).encode()
    sis = "".join("<si><t>%s</t></si>" % escape(t) for t in strings)
    sst = re.sub(r'\s(count|uniqueCount)="\d+"', "", sst)
    parts[STRINGS] = sst.replace("</sst>", sis + "</sst>").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def strip(doc):
    """The answers without source, rows and cell references."""
    doc.pop("source", None)
    for it in doc["items"]:
        it.pop("row", None)
        for c in it["cells"].values():
            if c:
                c.pop("ref", None)
        for f in it["findings"]:
            f.pop("cell", None)
    return doc


def main(argv):
    if len(argv) == 4 and argv[1] == "--compare":
        a, b = (strip(json.load(open(p, encoding="utf-8"))) for p in argv[2:])
        if a != b:
            sys.exit("make_bigsheet: the answers differ")
        return
    if len(argv) != 5 or argv[4] not in ("above", "below"):
        sys.exit(__doc__)
    make(argv[1], argv[2], int(argv[3]), argv[4])


if __name__ == "__main__":
    main(sys.argv)
