#!/usr/bin/python3
"""Workbook variants for the interop tests and the samples (tests/make_samples.py).

Rewrites an .xlsx at the XML level the way other programs and vendors change
a checklist.  Only the standard library is needed except for the openpyxl
re-save.  Zip output is deterministic (fixed entry times, fixed order).

Variants (make_variant):
  rows-above       3 rows with notes inserted above everything (rows, merges,
                   print area, frozen pane moved)
  column-right     every cell moved one column right (an empty column A)
  cover-sheet      a 表紙 sheet (with a stray □/■ in its text) before the checklist
  extra-column     a 県確認欄 column right of the table, with text and markers
  checkbox-glyphs  ■ → ☑ and □ → ☐ in every answer cell
  retyped          "■ 適合" (ASCII space), "■　確認済み" (U+3000), a blank line
                   before 備考, a trailing line break
  inline-strings   every shared string as t="inlineStr"; no sharedStrings part
  no-refs          r attributes dropped from rows and cells where the position
                   follows from the order
  formula-numbers  No. as formulas <f>ROW()-8</f> with cached values
  text-numbers     No. typed as full-width text (１ … ３６)
  excel-style      see excel_style(): phonetic runs, rich text, _x000D_, other
                   sheet name and part, table from B3
  combined         cover sheet + ☑/☐ + extra column + rows above + moved right
                   + inline strings at once
  openpyxl         loaded and saved by openpyxl (inline strings, char refs)
  libreoffice      re-saved by LibreOffice Calc (headless, private profile)

Command line (used by tests/interop/test_layout_variants.sh):

    variants.py make IN.xlsx OUTDIR [NAME...]   write OUTDIR/NAME.xlsx per variant
    variants.py compare ORIG.json VARIANT.json [NAME]
                                                 compare two extracts (see answers_view)
    variants.py check NAME VARIANT.xlsx SHEET    assert the variant has its change
    variants.py names                            list the variant names
"""

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2026-04-01T00:00:00Z"

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
REL_SHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

CHECKED = "■"
UNCHECKED = "□"


# ---------------------------------------------------------------- text helpers

def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_unescape(s):
    return html.unescape(s)


_XESC = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_x(s):
    """Decodes Excel's _xHHHH_ escapes (ST_Xstring)."""
    return _XESC.sub(lambda m: chr(int(m.group(1), 16)), s)


def t_elem(text, escape_cr=False):
    """A <t> element for text; CR (and, if escape_cr, every line break) as Excel writes it."""
    body = xml_escape(text)
    if escape_cr:
        body = body.replace("\r\n", "\n").replace("\n", "_x000D_\n")
    body = body.replace("\r", "_x000D_")
    space = ' xml:space="preserve"' if (text != text.strip(" \t\n") or "\n" in text) else ""
    return "<t%s>%s</t>" % (space, body)


def si_text(si):
    """The text of a shared-string item: runs concatenated, phonetic runs skipped."""
    si = re.sub(r"<rPh\b.*?</rPh>", "", si, flags=re.S)
    si = re.sub(r"<phoneticPr\b[^>]*/>", "", si)
    parts = re.findall(r"<t(?:\s[^>]*)?>(.*?)</t>|<t(?:\s[^>]*)?/>", si, flags=re.S)
    return decode_x("".join(xml_unescape(p) for p in parts))


def plain_si(text):
    return "<si>%s</si>" % t_elem(text)


# ---------------------------------------------------------------- cell refs

def col2n(col):
    n = 0
    for ch in col:
        n = n * 26 + ord(ch) - 64
    return n


def n2col(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


_REF = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")


def shift_ref_text(text, dr, dc, at_row=1, at_col=1):
    """Shifts every A1 reference in text: rows >= at_row by dr, columns >= at_col by dc."""
    def one(m):
        c, r = col2n(m.group(2)), int(m.group(4))
        if r >= at_row:
            r += dr
        if c >= at_col:
            c += dc
        return "%s%s%s%d" % (m.group(1), n2col(c), m.group(3), r)
    return _REF.sub(one, text)


def shift_rows_text(text, dr, at_row=1):
    """Shifts whole-row references such as $7:$8."""
    def one(m):
        a, b = int(m.group(1)), int(m.group(2))
        return "$%d:$%d" % (a + dr if a >= at_row else a, b + dr if b >= at_row else b)
    return re.sub(r"\$(\d+):\$(\d+)", one, text)


def split_ref(ref):
    m = re.fullmatch(r"([A-Z]{1,3})(\d+)", ref)
    return col2n(m.group(1)), int(m.group(2))


# ---------------------------------------------------------------- the package

class Book:
    """An .xlsx package held as {part name: bytes}, with the checklist sheet's XML and the shared strings."""

    def __init__(self, path):
        with zipfile.ZipFile(path) as z:
            self.parts = {i.filename: z.read(i.filename) for i in z.infolist() if not i.is_dir()}
        self._sst = None
        self.sheet = self.sheets()[0]["part"]

    def use_sheet(self, name):
        """Makes the sheet called name the one the cell helpers work on."""
        self.sheet = [s["part"] for s in self.sheets() if s["name"] == name][0]
        return self

    # -- raw parts
    def text(self, name):
        return self.parts[name].decode("utf-8")

    def put(self, name, s):
        self.parts[name] = s.encode("utf-8") if isinstance(s, str) else s

    # -- workbook structure
    def rels(self, name="xl/_rels/workbook.xml.rels"):
        out = []
        for m in re.finditer(r"<Relationship\b([^>]*)/>", self.text(name)):
            a = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
            out.append(a)
        return out

    def sheets(self):
        rels = {r["Id"]: r for r in self.rels()}
        out = []
        for m in re.finditer(r"<sheet\b([^>]*)/>", self.text("xl/workbook.xml")):
            a = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
            target = rels[a["r:id"]]["Target"]
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            out.append({"name": xml_unescape(a["name"]), "id": a["sheetId"], "rid": a["r:id"], "part": part})
        return out

    def sst_part(self):
        for r in self.rels():
            if r["Type"] == REL_SST:
                t = r["Target"]
                return t.lstrip("/") if t.startswith("/") else "xl/" + t
        return None

    # -- shared strings
    @property
    def sst(self):
        if self._sst is None:
            p = self.sst_part()
            self._sst = re.findall(r"<si>.*?</si>|<si/>", self.text(p), flags=re.S) if p else []
        return self._sst

    def add_si(self, si):
        self.sst.append(si)
        return len(self.sst) - 1

    # -- cells of the checklist sheet
    def sheet_xml(self, part=None):
        return self.text(part or self.sheet)

    def set_sheet_xml(self, s, part=None):
        self.put(part or self.sheet, s)

    @staticmethod
    def cell_re(ref):
        return re.compile(r'<c r="%s"(?:\s[^>]*?)?(?:/>|>.*?</c>)' % ref, flags=re.S)

    def cell_text(self, ref, part=None):
        m = self.cell_re(ref).search(self.sheet_xml(part))
        if not m:
            return None
        c = m.group(0)
        t = re.search(r'\st="(\w+)"', c.split(">", 1)[0])
        t = t.group(1) if t else "n"
        if t == "s":
            return si_text(self.sst[int(re.search(r"<v>(\d+)</v>", c).group(1))])
        if t == "inlineStr":
            return si_text(re.search(r"<is>(.*?)</is>", c, flags=re.S).group(1))
        v = re.search(r"<v>(.*?)</v>", c, flags=re.S)
        return decode_x(xml_unescape(v.group(1))) if v else ""

    def set_cell_si(self, ref, si, part=None):
        """Points the cell at a new shared string si (its style kept)."""
        x = self.sheet_xml(part)
        m = self.cell_re(ref).search(x)
        if not m:
            raise KeyError(ref)
        head = m.group(0).split(">", 1)[0].rstrip("/")
        head = re.sub(r'\st="\w+"', "", head)
        idx = self.add_si(si)
        new = '%s t="s"><v>%d</v></c>' % (head, idx)
        self.set_sheet_xml(x[: m.start()] + new + x[m.end():], part)

    def set_cell_text(self, ref, text, part=None):
        self.set_cell_si(ref, plain_si(text), part)

    def map_cell(self, ref, fn):
        self.set_cell_text(ref, fn(self.cell_text(ref)))

    # -- writing
    def save(self, path, fixed_props=True):
        p = self.sst_part()
        if p and self._sst is not None:
            n_refs = sum(len(re.findall(r'<c\b[^>]*\st="s"', self.text(s["part"]))) for s in self.sheets())
            head = re.match(r"(.*?<sst\b[^>]*>)", self.text(p), flags=re.S).group(1)
            head = re.sub(r'\scount="\d+"', ' count="%d"' % n_refs, head)
            head = re.sub(r'\suniqueCount="\d+"', ' uniqueCount="%d"' % len(self._sst), head)
            self.put(p, head + "".join(self._sst) + "</sst>")
        if fixed_props:
            fix_core_props(self)
        write_zip(self.parts, path)


def fix_core_props(book):
    """Pins the creation and modification times of docProps/core.xml."""
    if "docProps/core.xml" in book.parts:
        s = book.text("docProps/core.xml")
        s = re.sub(r"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)", r"\g<1>%s\2" % FIXED_W3CDTF, s)
        book.put("docProps/core.xml", s)


def write_zip(parts, path):
    """Writes parts into a zip with fixed times and order ([Content_Types].xml first)."""
    names = sorted(parts, key=lambda n: (n != "[Content_Types].xml",))
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            zi = zipfile.ZipInfo(n, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, parts[n], compresslevel=9)
    os.replace(tmp, path)


def normalise_file(path):
    """Rewrites a workbook written by another program with pinned times (for the samples)."""
    b = Book(path)
    fix_core_props(b)
    write_zip(b.parts, path)


# ---------------------------------------------------------------- layout changes

def shift_sheet(book, dr, dc, at_row=1, part=None):
    """Inserts dr rows before row at_row and dc columns before column A of a sheet."""
    part = part or book.sheet
    x = book.sheet_xml(part)
    x = re.sub(r'(<row\b[^>]*?\sr=")(\d+)(")',
               lambda m: m.group(1) + str(int(m.group(2)) + (dr if int(m.group(2)) >= at_row else 0)) + m.group(3), x)
    x = re.sub(r'(<c\b[^>]*?\sr=")([A-Z]+\d+)(")',
               lambda m: m.group(1) + shift_ref_text(m.group(2), dr, dc, at_row) + m.group(3), x)
    x = re.sub(r'\b(ref|sqref|topLeftCell|activeCell)="([^"]*)"',
               lambda m: '%s="%s"' % (m.group(1), shift_ref_text(m.group(2), dr, dc, at_row)), x)
    x = re.sub(r'\sspans="[^"]*"', "", x)
    x = re.sub(r'ySplit="(\d+)"', lambda m: 'ySplit="%d"' % (int(m.group(1)) + (dr if int(m.group(1)) >= at_row - 1 else 0)), x)
    if dc:
        x = re.sub(r'<col min="(\d+)" max="(\d+)"',
                   lambda m: '<col min="%d" max="%d"' % (int(m.group(1)) + dc, int(m.group(2)) + dc), x)
        x = x.replace("<cols>", '<cols><col min="1" max="%d" width="3.5" customWidth="1"/>' % dc, 1)
    book.set_sheet_xml(x, part)
    # defined names (print area, print titles) of this sheet
    wb = book.text("xl/workbook.xml")
    idx = [s["part"] for s in book.sheets()].index(part)
    def dn(m):
        if 'localSheetId="%d"' % idx not in m.group(1):
            return m.group(0)
        body = shift_rows_text(m.group(2), dr, at_row)
        body = re.sub(r"(!)(.*)$", lambda k: k.group(1) + shift_ref_text(k.group(2), dr, dc, at_row), body)
        return "<definedName%s>%s</definedName>" % (m.group(1), body)
    book.put("xl/workbook.xml", re.sub(r"<definedName(\s[^>]*)>(.*?)</definedName>", dn, wb))


def insert_row_cells(book, cells, part=None):
    """Adds cells {ref: shared-string si} in rows that have no cells yet (after a shift)."""
    part = part or book.sheet
    x = book.sheet_xml(part)
    by_row = {}
    for ref, si in sorted(cells.items(), key=lambda kv: split_ref(kv[0])[::-1]):
        by_row.setdefault(split_ref(ref)[1], []).append('<c r="%s" t="s"><v>%d</v></c>' % (ref, book.add_si(si)))
    for r, cs in sorted(by_row.items()):
        new = '<row r="%d">%s</row>' % (r, "".join(cs))
        # before the first row with a larger number, else at the end of sheetData
        m = None
        for mm in re.finditer(r'<row\b[^>]*?\sr="(\d+)"', x):
            if int(mm.group(1)) > r:
                m = mm
                break
            if int(mm.group(1)) == r:
                raise ValueError("row %d already exists" % r)
        pos = m.start() if m else x.index("</sheetData>")
        x = x[:pos] + new + x[pos:]
    book.set_sheet_xml(x, part)


def rows_above(book, n=3):
    """n rows with a receipt note inserted at the very top of the checklist sheet."""
    shift_sheet(book, n, 0)
    notes = ["受付番号：R8-0123", "提出先：〇〇県 デジタル推進課 御中", "（株式会社サンプル 記入）"]
    insert_row_cells(book, {"A%d" % (i + 1): plain_si(notes[i % len(notes)]) for i in range(n)})


def move_right(book, n=1):
    """The whole sheet moved n columns right (n empty columns before column A)."""
    shift_sheet(book, 0, n)


def add_cover_sheet(book, name="表紙"):
    """A cover sheet placed before the checklist sheet."""
    k = 1
    while "xl/worksheets/cover%d.xml" % k in book.parts:
        k += 1
    part = "xl/worksheets/cover%d.xml" % k
    cells = [("B2", "セキュリティチェックリスト 提出書"), ("B4", "事業名"), ("C4", "サンプル事業"),
             ("B5", "提出者"), ("C5", "株式会社サンプル"), ("B7", "次のシートに記入しました。□ 初回 ■ 更新")]
    rows = {}
    for ref, text in cells:
        rows.setdefault(split_ref(ref)[1], []).append('<c r="%s" t="s"><v>%d</v></c>' % (ref, book.add_si(plain_si(text))))
    data = "".join('<row r="%d">%s</row>' % (r, "".join(c)) for r, c in sorted(rows.items()))
    book.put(part, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="%s" xmlns:r="%s"><dimension ref="B2:C7"/><sheetData>%s</sheetData>'
             '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
             % (NS_MAIN, NS_R, data))
    rid = "rIdCover%d" % k
    rels = book.text("xl/_rels/workbook.xml.rels").replace(
        "</Relationships>", '<Relationship Id="%s" Type="%s" Target="worksheets/cover%d.xml"/></Relationships>'
        % (rid, REL_SHEET, k))
    book.put("xl/_rels/workbook.xml.rels", rels)
    ct = book.text("[Content_Types].xml").replace(
        "</Types>", '<Override PartName="/%s" ContentType="%s"/></Types>' % (part, CT_SHEET))
    book.put("[Content_Types].xml", ct)
    wb = book.text("xl/workbook.xml")
    ids = [int(i) for i in re.findall(r'sheetId="(\d+)"', wb)]
    wb = wb.replace("<sheets>", '<sheets><sheet name="%s" sheetId="%d" r:id="%s"/>' % (name, max(ids) + 1, rid), 1)
    # every localSheetId moves up by one: the sheets after the cover shifted
    wb = re.sub(r'localSheetId="(\d+)"', lambda m: 'localSheetId="%d"' % (int(m.group(1)) + 1), wb)
    wb = wb.replace(' tabSelected="1"', "")
    book.put("xl/workbook.xml", wb)


def header_row(book):
    """The (row, column) of the table's header cell reading "No."."""
    for ref in re.findall(r'<c r="([A-Z]+\d+)"', book.sheet_xml()):
        if (book.cell_text(ref) or "").strip() == "No.":
            c, r = split_ref(ref)
            return r, c
    raise ValueError("no header row")


def add_extra_column(book, item_rows):
    """A 県確認欄 column right of the table, with remarks (and stray markers) in item rows."""
    hr, _ = header_row(book)
    x = book.sheet_xml()
    last = max(col2n(c) for c in re.findall(r'<c r="([A-Z]+)%d"' % hr, x))
    col = n2col(last + 1)
    texts = ["確認済", "■確認 □差戻し", "要修正：備考に理由を記入してください", ""]
    cells = {"%s%d" % (col, hr): "県確認欄\n（県の担当者が記入）"}
    for i, r in enumerate(item_rows):
        if texts[i % len(texts)]:
            cells["%s%d" % (col, r)] = texts[i % len(texts)]
    for ref, text in cells.items():
        r = split_ref(ref)[1]
        idx = book.add_si(plain_si(text))
        x = book.sheet_xml()
        m = re.search(r'(<row\b[^>]*?\sr="%d"[^>]*>)(.*?)(</row>)' % r, x, flags=re.S)
        new = '<c r="%s" s="6" t="s"><v>%d</v></c>' % (ref, idx)
        x = x[: m.end(2)] + new + x[m.end(2):]
        book.set_sheet_xml(x)
    x = book.sheet_xml()
    x = re.sub(r'<mergeCells count="(\d+)">',
               lambda m: '<mergeCells count="%d"><mergeCell ref="%s%d:%s%d"/>' % (int(m.group(1)) + 1, col, hr, col, hr + 1), x)
    x = x.replace("</cols>", '<col min="%d" max="%d" width="20" customWidth="1"/></cols>' % (last + 1, last + 1))
    book.set_sheet_xml(x)


def map_cells(book, refs, fn):
    for ref in refs:
        book.map_cell(ref, fn)


def glyphs(text, checked="☑", unchecked="☐"):
    return text.replace(CHECKED, checked).replace(UNCHECKED, unchecked)


def retype(text):
    """■ retyped with a space after it ("■ 適合", then "■　確認済み"), and extra line breaks."""
    out = re.sub(CHECKED, CHECKED + " ", text, count=1)
    out = re.sub(CHECKED + "(?! )", CHECKED + "\u3000", out)
    out = out.replace("\n備考：", "\n\n備考：")
    return out + "\n"


def inline_strings(book):
    """Every shared-string cell rewritten as t="inlineStr"; the shared strings part removed."""
    for s in book.sheets():
        x = book.text(s["part"])
        def one(m):
            head, idx = m.group(1), int(m.group(2))
            si = book.sst[idx]
            inner = re.sub(r"^<si>|</si>$", "", si)
            return '%s t="inlineStr"><is>%s</is></c>' % (head, inner)
        x = re.sub(r'(<c\b[^>]*?)\st="s"\s*><v>(\d+)</v></c>', one, x)
        book.put(s["part"], x)
    p = book.sst_part()
    del book.parts[p]
    book._sst = None
    rels = re.sub(r'<Relationship\b[^>]*Type="%s"[^>]*/>' % re.escape(REL_SST), "",
                  book.text("xl/_rels/workbook.xml.rels"))
    book.put("xl/_rels/workbook.xml.rels", rels)
    ct = re.sub(r'<Override PartName="/%s"[^>]*/>' % re.escape(p), "", book.text("[Content_Types].xml"))
    book.put("[Content_Types].xml", ct)


def strip_refs(book):
    """Drops the r attribute of rows and cells wherever the position follows from the order
    (a row right after the previous one, a cell right after the previous cell), as some writers do."""
    x = book.sheet_xml()
    out, prev_row, pos = [], 0, 0
    for m in re.finditer(r"<row\b[^>]*?(?:/>|>.*?</row>)", x, flags=re.S):
        out.append(x[pos:m.start()])
        pos = m.end()
        row = m.group(0)
        r = int(re.search(r'\sr="(\d+)"', row).group(1))
        if r == prev_row + 1:
            row = re.sub(r'^(<row\b[^>]*?)\sr="\d+"', r"\1", row)
        prev_row = r
        prev_col = [0]
        def cell(mc):
            c = col2n(mc.group(2))
            keep = c != prev_col[0] + 1
            prev_col[0] = c
            return mc.group(0) if keep else mc.group(1)
        row = re.sub(r'(<c)\sr="([A-Z]+)\d+"', cell, row)
        out.append(row)
    out.append(x[pos:])
    book.set_sheet_xml("".join(out))


def number_cells(book, item_rows):
    """The No. cells of the item rows, as (ref, attribute text, number)."""
    _, col = header_row(book)
    x = book.sheet_xml()
    out = []
    for r in item_rows:
        ref = "%s%d" % (n2col(col), r)
        m = book.cell_re(ref).search(x)
        out.append((ref, m, int(float(re.search(r"<v>([^<]*)</v>", m.group(0)).group(1)))))
    return out


def formula_numbers(book, item_rows):
    """No. written as formulas (=ROW()-8) with cached values, as many filled-in sheets have it."""
    for ref, m, n in number_cells(book, item_rows):
        x = book.sheet_xml()
        m = book.cell_re(ref).search(x)
        head = m.group(0).split(">", 1)[0].rstrip("/")
        new = "%s><f>ROW()-%d</f><v>%d</v></c>" % (head, split_ref(ref)[1] - n, n)
        book.set_sheet_xml(x[: m.start()] + new + x[m.end():])


def text_numbers(book, item_rows):
    """No. typed as text: full-width digits in shared strings (１, ２, … ３６)."""
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    for ref, m, n in number_cells(book, item_rows):
        book.set_cell_text(ref, str(n).translate(fw))


# ---------------------------------------------------------------- Japanese Excel

# Readings for the phonetic runs (<rPh>) Excel stores for typed kanji.
_READINGS = [("確認済", "カクニンズ"), ("適合", "テキゴウ"), ("外部", "ガイブ"), ("備考", "ビコウ"),
             ("回答", "カイトウ"), ("実施", "ジッシ"), ("検討", "ケントウ"), ("要件", "ヨウケン"),
             ("作成日", "サクセイビ"), ("更新日", "コウシンビ"), ("事業", "ジギョウ")]


def phonetic_si(text, runs=None, escape_cr=False):
    """A shared string as Japanese Excel writes it: runs (or one <t>), rPh runs, phoneticPr."""
    if runs is None:
        body = t_elem(text, escape_cr)
    else:
        body = ""
        for i, (rpr, t) in enumerate(runs):
            body += "<r>%s%s</r>" % (rpr if rpr is not None else "", t_elem(t, escape_cr))
    found = sorted((text.find(w), w, k) for w, k in _READINGS if w in text)
    rph = "".join('<rPh sb="%d" eb="%d"><t>%s</t></rPh>' % (i, i + len(w), k) for i, w, k in found)
    return "<si>%s%s<phoneticPr fontId=\"1\"/></si>" % (body, rph)


_RPR_MARK = ('<rPr><b/><sz val="11"/><color rgb="FFFF0000"/><rFont val="ＭＳ Ｐゴシック"/>'
             '<family val="3"/><charset val="128"/></rPr>')
_RPR_TEXT = '<rPr><sz val="10"/><rFont val="ＭＳ Ｐゴシック"/><family val="3"/><charset val="128"/></rPr>'


def marker_runs(text):
    """Splits text into rich-text runs with every ■ in a run of its own (the first run without rPr)."""
    runs, cur = [], ""
    for ch in text:
        if ch == CHECKED:
            if cur:
                runs.append((None if not runs else _RPR_TEXT, cur))
            runs.append((_RPR_MARK, ch))
            cur = ""
        else:
            cur += ch
    if cur:
        runs.append((_RPR_TEXT if runs else None, cur))
    return runs


def excel_style(book, answer_refs, crlf_refs, sheet_name="別紙２ チェックリスト"):
    """Rewrites a sechk workbook the way Japanese Excel saves it (see module doc)."""
    # shared strings: phonetic properties on every item, rPh runs for known words
    book._sst = [phonetic_si(si_text(si)) for si in book.sst]
    # answer cells: rich-text runs with ■ in its own run; some with CRLF line breaks (_x000D_)
    for ref in answer_refs:
        text = book.cell_text(ref)
        runs = marker_runs(text) if CHECKED in text else None
        book.set_cell_si(ref, phonetic_si(text, runs, escape_cr=ref in crlf_refs))
    for ref in crlf_refs:
        if ref not in answer_refs:
            text = book.cell_text(ref)
            book.set_cell_si(ref, phonetic_si(text, escape_cr=True))
    # two rows above (a form number and a blank row), the table from column B
    shift_sheet(book, 2, 1)
    insert_row_cells(book, {"B1": phonetic_si("別紙２")})
    # unused strings are dropped and the rest renumbered, as Excel does on save
    compact_sst(book)
    # Excel's namespaces and row attributes
    x = book.sheet_xml()
    x = re.sub(r"<worksheet [^>]*>",
               '<worksheet xmlns="%s" xmlns:r="%s" '
               'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac xr xr2 xr3" '
               'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
               'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
               'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
               'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3" '
               'xr:uid="{00000000-0001-0000-0000-000000000000}">' % (NS_MAIN, NS_R), x, count=1)
    x = re.sub(r"<row ", '<row x14ac:dyDescent="0.4" ', x)
    x = x.replace("<sheetFormatPr ", '<sheetFormatPr baseColWidth="8" x14ac:dyDescent="0.4" ')
    book.set_sheet_xml(x)
    # the sheet part renamed, a different relationship id and sheet name
    old_part, new_part = book.sheet, "xl/worksheets/sheet3.xml"
    book.parts[new_part] = book.parts.pop(old_part)
    rels = book.text("xl/_rels/workbook.xml.rels")
    rels = rels.replace('Id="rId1"', 'Id="rId9"').replace("worksheets/sheet1.xml", "worksheets/sheet3.xml")
    book.put("xl/_rels/workbook.xml.rels", rels)
    book.put("[Content_Types].xml", book.text("[Content_Types].xml").replace("/" + old_part, "/" + new_part))
    wb = book.text("xl/workbook.xml")
    old_name = re.search(r'<sheet name="([^"]*)"', wb).group(1)
    wb = wb.replace('<sheet name="%s" sheetId="1" r:id="rId1"/>' % old_name,
                    '<sheet name="%s" sheetId="3" r:id="rId9"/>' % xml_escape(sheet_name))
    wb = wb.replace("'%s'!" % old_name, "'%s'!" % xml_escape(sheet_name))
    book.put("xl/workbook.xml", wb)
    book.sheet = new_part
    if "docProps/app.xml" in book.parts:
        book.put("docProps/app.xml", book.text("docProps/app.xml").replace(old_name, xml_escape(sheet_name)))


def compact_sst(book):
    """Drops unreferenced shared strings and renumbers the cells."""
    used, order = {}, []
    parts = [s["part"] for s in book.sheets()]
    for p in parts:
        for m in re.finditer(r'<c\b[^>]*?\st="s"[^>]*><v>(\d+)</v>', book.text(p)):
            i = int(m.group(1))
            if i not in used:
                used[i] = len(order)
                order.append(i)
    for p in parts:
        book.put(p, re.sub(r'(<c\b[^>]*?\st="s"[^>]*><v>)(\d+)(</v>)',
                           lambda m: "%s%d%s" % (m.group(1), used[int(m.group(2))], m.group(3)), book.text(p)))
    book._sst = [book.sst[i] for i in order]


# ---------------------------------------------------------------- other programs

def libreoffice(src, dst, workdir=None):
    """Re-saves src as xlsx with LibreOffice (headless, a private profile) into dst."""
    tmp = tempfile.mkdtemp(dir=workdir)
    try:
        env = dict(os.environ, HOME=tmp)
        out = os.path.join(tmp, "out")
        os.mkdir(out)
        r = subprocess.run(["soffice", "--headless", "--norestore", "-env:UserInstallation=file://%s/lo" % tmp,
                            "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, src],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        res = os.path.join(out, os.path.splitext(os.path.basename(src))[0] + ".xlsx")
        if not os.path.exists(res):
            raise RuntimeError("LibreOffice wrote nothing: " + r.stdout.decode("utf-8", "replace"))
        shutil.copyfile(res, dst)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def openpyxl_resave(src, dst):
    import openpyxl
    wb = openpyxl.load_workbook(src)
    wb.save(dst)


# ---------------------------------------------------------------- variants

def answer_refs_of(extract_json):
    """The refs of the answer cells (non-null provider/contractor cells) of an extract."""
    refs = []
    for it in extract_json["items"]:
        for c in it["cells"].values():
            if c and c.get("ref"):
                refs.append(c["ref"])
    return refs


def item_rows_of(extract_json):
    return [it["row"] for it in extract_json["items"] if it.get("row")]


def make_variant(name, src, dst, info, workdir=None):
    """Writes variant name of workbook src to dst; info is the extract JSON of src."""
    if name == "libreoffice":
        return libreoffice(src, dst, workdir)
    if name == "openpyxl":
        return openpyxl_resave(src, dst)
    b = Book(src)
    refs = answer_refs_of(info)
    if name == "rows-above":
        rows_above(b, 3)
    elif name == "column-right":
        move_right(b, 1)
    elif name == "cover-sheet":
        add_cover_sheet(b)
    elif name == "extra-column":
        add_extra_column(b, item_rows_of(info))
    elif name == "checkbox-glyphs":
        map_cells(b, refs, glyphs)
    elif name == "retyped":
        map_cells(b, refs, retype)
    elif name == "inline-strings":
        inline_strings(b)
    elif name == "no-refs":
        strip_refs(b)
    elif name == "formula-numbers":
        formula_numbers(b, item_rows_of(info))
    elif name == "text-numbers":
        text_numbers(b, item_rows_of(info))
    elif name == "excel-style":
        excel_style(b, refs, refs[::3])
    elif name == "combined":
        # several at once: cover sheet, rows above, moved right, extra column, ☑/☐, inline strings
        add_cover_sheet(b)
        map_cells(b, refs, glyphs)
        add_extra_column(b, item_rows_of(info))
        rows_above(b, 3)
        move_right(b, 1)
        inline_strings(b)
    else:
        raise ValueError("unknown variant " + name)
    b.save(dst)


VARIANTS = ["rows-above", "column-right", "cover-sheet", "extra-column", "checkbox-glyphs", "retyped",
            "inline-strings", "no-refs", "formula-numbers", "text-numbers", "excel-style", "combined",
            "openpyxl", "libreoffice"]


# ---------------------------------------------------------------- comparing extracts

# Comparing the extract of a variant with the extract of its source.  Only
# what names the file is dropped: source.path and source.sha256 (and
# source.sheet when the variant renames the sheet).  Positions are compared,
# not dropped: the source's items[].row, cells.*.ref and findings[].cell are
# first moved by the variant's known offset (rows inserted above, columns
# inserted left), so a reader that finds the right answers in the wrong row
# still fails.  Everything else (options, fields, altered, missing_options,
# statuses, findings, summary, document, phase) must be equal.
def moved(doc, dr=0, dc=0):
    d = json.loads(json.dumps(doc))
    for it in d["items"]:
        if it.get("row"):
            it["row"] += dr
        for c in it["cells"].values():
            if c and c.get("ref"):
                c["ref"] = shift_ref_text(c["ref"], dr, dc)
        for f in it.get("findings", []):
            if f.get("cell"):
                f["cell"] = shift_ref_text(f["cell"], dr, dc)
    return d


def answers_view(doc, keep_sheet=True):
    d = json.loads(json.dumps(doc))
    src = d.pop("source", {})
    if keep_sheet:
        d["sheet"] = src.get("sheet")
    return d


# The offset (rows, columns) and whether the sheet is renamed, per variant.
OFFSETS = {"rows-above": (3, 0, False), "column-right": (0, 1, False), "excel-style": (2, 1, True),
           "combined": (3, 1, False)}


def offset_of(name):
    return OFFSETS.get(name, (0, 0, False))


def diff_views(a, b, path="$"):
    """The first few differences between two JSON values, as strings."""
    out = []
    if type(a) is not type(b):
        return ["%s: %r != %r" % (path, a, b)]
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                out.append("%s.%s: only in %s" % (path, k, "first" if k in a else "second"))
            else:
                out += diff_views(a[k], b[k], "%s.%s" % (path, k))
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append("%s: %d elements != %d" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            sub = "%s[%d]" % (path, i)
            if isinstance(x, dict) and "no" in x:
                sub = "%s[no=%s]" % (path, x["no"])
            elif isinstance(x, dict) and "id" in x:
                sub = "%s[%s]" % (path, x["id"])
            out += diff_views(x, y, sub)
    elif a != b:
        out.append("%s: %r != %r" % (path, a, b))
    return out


def all_cell_texts(book):
    x = book.sheet_xml()
    return [book.cell_text(r) or "" for r in re.findall(r'<c r="([A-Z]+\d+)"', x)]


def check_variant(name, path, sheet):
    """Asserts that the variant file really has the change it is named after; returns a problem or None."""
    b = Book(path).use_sheet(sheet)
    x = b.sheet_xml()
    texts = lambda: all_cell_texts(b)  # noqa: E731
    sst = b.text(b.sst_part()) if b.sst_part() else ""
    checks = {
        "rows-above": lambda: b.cell_text("A1") == "受付番号：R8-0123" and header_row(b)[0] == 10,
        "column-right": lambda: not re.search(r'<c r="A\d+"', x) and header_row(b) == (10 - 3, 2),
        "cover-sheet": lambda: [s["name"] for s in b.sheets()][0] == "表紙" and len(b.sheets()) == 2,
        "extra-column": lambda: any(t.startswith("県確認欄") for t in texts()) and "■確認 □差戻し" in texts(),
        "checkbox-glyphs": lambda: any("☑" in t for t in texts()) and not any(
            t.startswith(("　■", "■")) or "\n　■" in t for t in texts()),
        "retyped": lambda: any("■ " in t for t in texts()) and any("■\u3000" in t for t in texts()),
        "inline-strings": lambda: not b.sst_part() and 't="inlineStr"' in x and 't="s"' not in x,
        "no-refs": lambda: re.search(r"<row(?![^>]*\sr=)[^>]*>", x) and re.search(r"<c(?![^>]*\sr=)[^>]*>", x),
        "formula-numbers": lambda: x.count("<f>ROW()-") == 36,
        "text-numbers": lambda: "１" in texts() and "３６" in texts(),
        "excel-style": lambda: sheet == "別紙２ チェックリスト" and all(k in sst for k in (
            "<rPh ", "<phoneticPr ", "_x000D_\n", 'xml:space="preserve"', "</rPr><t>■</t></r>"))
            and header_row(b) == (9, 2),
        "combined": lambda: len(b.sheets()) == 2 and 't="inlineStr"' in x and header_row(b) == (10, 2)
            and any("☑" in t for t in texts()),
        "openpyxl": lambda: "<AppVersion>12.0000</AppVersion>" not in b.text("docProps/app.xml"),
        "libreoffice": lambda: "LibreOffice" in b.text("docProps/app.xml"),
    }
    try:
        good = checks[name]()
    except Exception as e:  # a variant that cannot even be inspected is a failure too
        return "%s: %s" % (type(e).__name__, e)
    return None if good else "the variant file does not have the change it is named after"


def main(argv):
    if len(argv) >= 2 and argv[1] == "names":
        print("\n".join(VARIANTS))
        return 0
    if len(argv) >= 4 and argv[1] == "make":
        src, outdir, names = argv[2], argv[3], argv[4:] or VARIANTS
        info = json.loads(subprocess.run([os.environ.get("SECHK", "build/sechk"), "extract", src],
                                         check=True, stdout=subprocess.PIPE).stdout)
        for n in names:
            make_variant(n, src, os.path.join(outdir, n + ".xlsx"), info, outdir)
        return 0
    if len(argv) == 5 and argv[1] == "check":
        # check NAME VARIANT.xlsx SHEET
        problem = check_variant(argv[2], argv[3], argv[4])
        if problem:
            print("    " + problem)
        return 1 if problem else 0
    if len(argv) >= 4 and argv[1] == "compare":
        # compare ORIG.json VARIANT.json [VARIANT-NAME]
        dr, dc, renamed = offset_of(argv[4] if len(argv) > 4 else "")
        a, b = (json.load(open(p, encoding="utf-8")) for p in argv[2:4])
        d = diff_views(answers_view(moved(a, dr, dc), not renamed), answers_view(b, not renamed))
        for line in d[:12]:
            print("    " + line)
        if len(d) > 12:
            print("    … %d more" % (len(d) - 12))
        return 1 if d else 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
