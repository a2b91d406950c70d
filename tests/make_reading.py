#!/usr/bin/python3
"""Workbooks for the reading tests (issue 16): which sheet is read, real Excel dates, symbol
fonts, and what lies over the answer cells (comments, check box controls, shapes).

    make_reading.py OUTDIR        writes OUTDIR/NAME.xlsx for every case below
    make_reading.py list          prints the case names
    make_reading.py check DIR [--libreoffice]
                                  runs $SECHK check -f json on every DIR/NAME.xlsx (with the
                                  case's options) and prints "ok NAME" or "fail NAME: why" per
                                  assertion (EXPECT below); --libreoffice: the files were
                                  re-saved by LibreOffice, which drops what LO_DROPS lists

Run from the repository root; SECHK (default build/sechk) names the binary used
to write the blank template.  The inputs are the committed samples
(samples/conformant-selection.xlsx: a clean filled checklist; samples/deficient.xlsx:
a deficient one) and `sechk template`; each case rewrites them at the XML level
the way Excel writes the feature (shapes checked against Excel-made files:
<workbookPr date1904="1"/>, <numFmt numFmtId="164" formatCode=.../> in styles.xml
with an <xf numFmtId="164" applyNumberFormat="1"/> in cellXfs, a date cell as
<c r="J3" s="N"><v>46113</v></c>, an ISO date cell as <c t="d"><v>2026-04-01T00:00:00</v></c>).
Standard library only; output is deterministic (fixed zip times).

Cases (sheets in workbook order; * = the sheet sechk must read):
  example-first-full     記入例 (a clean filled copy), *チェックリスト (deficient)
  example-first-onerow   記入例 (the table with item 1 only), *チェックリスト (deficient)
  blank-then-copy        セキュリティチェックリスト (blank), *セキュリティチェックリスト (2) (clean, active)
  two-filled             チェックリスト (clean), チェックリスト (2) (deficient): ambiguous, exit 2
  example-only           *記入例 (clean): the only candidate
  hidden-blank           *チェックリスト (clean), 旧版 (blank, hidden)
  dates-*                samples/operation.xlsx (clean; its 済 dates are errors if the document
                         date is misread) with 作成日 2025-04-01 and 更新日 2026-05-15 written as:
  dates-1904             date1904 workbook; labels 作成日/更新日 in H3/H4, the dates beside them as
                         number cells with the built-in date style 14
  dates-label-format     作成日/更新日 as date cells whose number format holds the label:
                         "作成日："yyyy"年"m"月"d"日" and 更新日：\\ yyyy/mm/dd (backslash-escaped)
  dates-wareki-format    和暦 formats with the label inside:
                         [$-ja-JP]"作成日："ggge"年"m"月"d"日";@ and [$-411]"更新日："gee.m.d
  dates-t-d              labels 作成日/更新日 in H3/H4 and the dates beside them as t="d"
                         ISO cells with the built-in date style 14
  dates-text-wareki      作成日：令和７年４月１日 (full-width digits), 更新日：２０２６年５月１５日
  symbols-wingdings      every ■/□ of the answer cells as a Wingdings run þ/¨ (<rFont val="Wingdings"/>)
  symbols-wingdings2     the same with Wingdings 2 R/£
  symbols-cell-font      No.4 provider cell in a Wingdings cell font (styles.xml), its markers n/o
  symbols-unmapped       a Wingdings smiley (J) before No.1 provider's text: it stays text
  controls-matched       No.4's □適合 left in the text, a ticked form-control box 適合 over the cell (VML +
                         ctrlProps + <controls>), an unticked 不適合 box
  controls-ctrlprop      the same with the state only in ctrlProp1.xml (no x:Checked in the VML)
  controls-unmatched     a ticked box 「該当する<br>（別紙参照）」 over No.2 provider (unclosed <br>)
  cell-checkbox          No.24 contractor as an Excel 365 cell check box (t="b", xfpb:xfComplement)
  shapes                 an ellipse over No.7 provider, a text box 「確認済みです」 over No.3 contractor,
                         a picture over No.4 contractor (drawing1.xml)
  comments               a note (メモ, with its author line) on No.2 provider, a threaded comment with
                         its persons part and Excel's legacy copy on No.1 contractor
"""

import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "interop"))
import variants as V  # noqa: E402

CLEAN = "samples/conformant-selection.xlsx"
OPERATION = "samples/operation.xlsx"  # 済 dates that a misread document date turns into errors
DEFICIENT = "samples/deficient.xlsx"
CREATED_REF, UPDATED_REF = "J3", "J4"  # where sechk's template puts 作成日 and 更新日


def sheet_xml_inline(path):
    """The checklist sheet of path with its shared strings inlined (so it can join another book)."""
    b = V.Book(path)
    V.inline_strings(b)
    return b.sheet_xml()


def blank_template(tmp):
    out = os.path.join(tmp, "blank.xlsx")
    sechk = os.environ.get("SECHK", "build/sechk")
    subprocess.run([sechk, "template", "-o", out, "--date", "2026-04-01"], check=True)
    return out


def set_sheets(book, sheets):
    """Replaces every sheet of book with sheets: a list of (name, xml, hidden)."""
    for s in book.sheets():
        del book.parts[s["part"]]
    rels = re.sub(r'<Relationship\b[^>]*Type="%s"[^>]*/>' % re.escape(V.REL_SHEET), "",
                  book.text("xl/_rels/workbook.xml.rels"))
    ct = re.sub(r'<Override PartName="/xl/worksheets/[^"]*"[^>]*/>', "", book.text("[Content_Types].xml"))
    entries, new_rels, new_ct = [], [], []
    for k, (name, xml, hidden) in enumerate(sheets, 1):
        part = "xl/worksheets/sheet%d.xml" % k
        xml = xml.replace(' tabSelected="1"', "")
        book.put(part, xml)
        new_rels.append('<Relationship Id="rIdS%d" Type="%s" Target="worksheets/sheet%d.xml"/>' % (k, V.REL_SHEET, k))
        new_ct.append('<Override PartName="/%s" ContentType="%s"/>' % (part, V.CT_SHEET))
        entries.append('<sheet name="%s" sheetId="%d"%s r:id="rIdS%d"/>'
                       % (V.xml_escape(name), k, ' state="hidden"' if hidden else "", k))
    book.put("xl/_rels/workbook.xml.rels", rels.replace("</Relationships>", "".join(new_rels) + "</Relationships>"))
    book.put("[Content_Types].xml", ct.replace("</Types>", "".join(new_ct) + "</Types>"))
    wb = book.text("xl/workbook.xml")
    wb = re.sub(r"<sheets>.*?</sheets>", "<sheets>%s</sheets>" % "".join(entries), wb, flags=re.S)
    wb = re.sub(r"<definedNames>.*?</definedNames>", "", wb, flags=re.S)
    book.put("xl/workbook.xml", wb)


def set_active(book, index):
    """Makes sheet index (0-based) the active tab, as Excel records it."""
    wb = book.text("xl/workbook.xml")
    wb = re.sub(r"<workbookView\b([^>]*?)\s*/>",
                lambda m: "<workbookView%s activeTab=\"%d\"/>" % (re.sub(r'\sactiveTab="\d+"', "", m.group(1)), index),
                wb)
    book.put("xl/workbook.xml", wb)


def one_row_example(xml):
    """The checklist sheet cut to its header and item 1 (rows 10 and below dropped)."""
    return re.sub(r'<row r="(\d+)"[^>]*>.*?</row>',
                  lambda m: m.group(0) if int(m.group(1)) <= 9 else "", xml, flags=re.S)


def multi(out, sheets, active=None):
    b = V.Book(CLEAN)
    V.inline_strings(b)
    set_sheets(b, sheets)
    if active is not None:
        set_active(b, active)
    b.save(out)


# ---------------------------------------------------------------- dates

def add_date_style(book, code):
    """Adds a number format (custom code, or a built-in id given as int) and a cell style
    using it; returns the style index for a cell's s attribute."""
    st = book.text("xl/styles.xml")
    if isinstance(code, int):
        fid = code
    else:
        ids = [int(i) for i in re.findall(r'numFmtId="(\d+)"', st)]
        fid = max([163] + ids) + 1
        fmt = '<numFmt numFmtId="%d" formatCode="%s"/>' % (fid, V.xml_escape(code).replace('"', "&quot;"))
        if "<numFmts" in st:
            st = re.sub(r'<numFmts count="(\d+)">', lambda m: '<numFmts count="%d">' % (int(m.group(1)) + 1), st)
            st = st.replace("</numFmts>", fmt + "</numFmts>")
        else:
            st = re.sub(r"(<styleSheet\b[^>]*>)", r'\1<numFmts count="1">%s</numFmts>' % fmt.replace("\\", "\\\\"), st,
                        count=1)
    m = re.search(r'<cellXfs count="(\d+)">', st)
    n = int(m.group(1))
    st = st.replace(m.group(0), '<cellXfs count="%d">' % (n + 1))
    st = st.replace("</cellXfs>", '<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" '
                    'applyNumberFormat="1"/></cellXfs>' % fid)
    book.put("xl/styles.xml", st)
    return n


def set_cell_raw(book, ref, inner_attrs, value):
    """Replaces cell ref by <c r=ref ATTRS><v>value</v></c>."""
    x = book.sheet_xml()
    m = book.cell_re(ref).search(x)
    new = '<c r="%s"%s><v>%s</v></c>' % (ref, inner_attrs, value)
    book.set_sheet_xml(x[: m.start()] + new + x[m.end():])


def set_date1904(book):
    wb = book.text("xl/workbook.xml")
    if "<workbookPr" in wb:
        wb = re.sub(r"<workbookPr\b", '<workbookPr date1904="1"', wb, count=1)
    else:
        wb = wb.replace("<bookViews>", '<workbookPr date1904="1"/><bookViews>', 1)
    book.put("xl/workbook.xml", wb)


# serial numbers of operation.xlsx's 2025-04-01 and 2026-05-15 (1900 system; the 1904 system
# counts 1,462 days less)
S_CREATED, S_UPDATED = 45748, 46157


def dates_case(src, out, kind):
    b = V.Book(src)
    if kind == "1904":
        # labels in H3/H4, the dates beside them with the built-in style 14 (yyyy/m/d)
        set_date1904(b)
        s1 = add_date_style(b, 14)
        set_cell_raw(b, "H3", ' t="s"', b.add_si(V.plain_si("作成日")))
        set_cell_raw(b, CREATED_REF, ' s="%d"' % s1, S_CREATED - 1462)
        set_cell_raw(b, "H4", ' t="s"', b.add_si(V.plain_si("更新日")))
        set_cell_raw(b, UPDATED_REF, ' s="%d"' % s1, S_UPDATED - 1462)
    elif kind == "label-format":
        s1 = add_date_style(b, '"作成日："yyyy"年"m"月"d"日"')
        s2 = add_date_style(b, '\\更\\新\\日\\：\\ yyyy/mm/dd')
        set_cell_raw(b, CREATED_REF, ' s="%d"' % s1, S_CREATED)
        set_cell_raw(b, UPDATED_REF, ' s="%d"' % s2, "%d.5" % S_UPDATED)
    elif kind == "wareki-format":
        s1 = add_date_style(b, '[$-ja-JP]"作成日："ggge"年"m"月"d"日";@')
        s2 = add_date_style(b, '[$-411]"更新日："gee.m.d')
        set_cell_raw(b, CREATED_REF, ' s="%d"' % s1, S_CREATED)
        set_cell_raw(b, UPDATED_REF, ' s="%d"' % s2, S_UPDATED)
    elif kind == "t-d":
        # label in one cell, the date in the next (the way a vendor retypes the header block)
        s1 = add_date_style(b, 14)
        set_cell_raw(b, "H3", ' t="s"', b.add_si(V.plain_si("作成日")))
        set_cell_raw(b, CREATED_REF, ' s="%d" t="d"' % s1, "2025-04-01T00:00:00")
        set_cell_raw(b, "H4", ' t="s"', b.add_si(V.plain_si("更新日")))
        set_cell_raw(b, UPDATED_REF, ' s="%d" t="d"' % s1, "2026-05-15T00:00:00.000Z")
    elif kind == "text-wareki":
        b.set_cell_text(CREATED_REF, "作成日：令和７年４月１日")
        b.set_cell_text(UPDATED_REF, "更新日：２０２６年５月１５日")
    b.save(out)


def ensure_cells(book, refs):
    """Adds empty cells for refs that the row lacks (so set_cell_raw finds them)."""
    x = book.sheet_xml()
    for ref in refs:
        if book.cell_re(ref).search(x):
            continue
        col, row = V.split_ref(ref)
        x = re.sub(r'(<row r="%d"[^>]*>)(.*?)(</row>)' % row,
                   lambda m: m.group(1) + m.group(2) + '<c r="%s"/>' % ref + m.group(3), x, count=1, flags=re.S)
    book.set_sheet_xml(x)


# ---------------------------------------------------------------- symbol fonts

# a run the way Excel writes text in the default Japanese font, and a glyph inserted from the
# 記号と特殊文字 dialog in a symbol font (charset 2 = SYMBOL_CHARSET)
RPR_TEXT = '<rPr><sz val="11"/><rFont val="ＭＳ Ｐゴシック"/><family val="3"/><charset val="128"/></rPr>'
RPR_SYMBOL = '<rPr><sz val="11"/><rFont val="%s"/><charset val="2"/></rPr>'


def symbol_si(text, font, checked, unchecked):
    """A rich shared string: text runs, and each ■/□ as the symbol font's glyph in a run of its own."""
    runs, cur = [], ""
    for ch in text:
        if ch in (V.CHECKED, V.UNCHECKED):
            if cur:
                runs.append(RPR_TEXT + V.t_elem(cur))
            runs.append(RPR_SYMBOL % font + V.t_elem(checked if ch == V.CHECKED else unchecked))
            cur = ""
        else:
            cur += ch
    if cur:
        runs.append(RPR_TEXT + V.t_elem(cur))
    return "<si>%s</si>" % "".join("<r>%s</r>" % r for r in runs)


def add_font_style(book, font):
    """Adds a font and a cell style using it; returns the style index."""
    st = book.text("xl/styles.xml")
    m = re.search(r'<fonts count="(\d+)"[^>]*>', st)
    nf = int(m.group(1))
    st = st.replace(m.group(0), m.group(0).replace('count="%d"' % nf, 'count="%d"' % (nf + 1)))
    st = st.replace("</fonts>", '<font><sz val="11"/><name val="%s"/><charset val="2"/></font></fonts>' % font, 1)
    m = re.search(r'<cellXfs count="(\d+)">', st)
    n = int(m.group(1))
    st = st.replace(m.group(0), '<cellXfs count="%d">' % (n + 1))
    st = st.replace("</cellXfs>", '<xf numFmtId="0" fontId="%d" fillId="0" borderId="0" xfId="0" applyFont="1" '
                    'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>' % nf)
    book.put("xl/styles.xml", st)
    return n


def set_cell_style(book, ref, style):
    x = book.sheet_xml()
    m = book.cell_re(ref).search(x)
    c = m.group(0)
    head, rest = c.split(">", 1) if not c.endswith("/>") or ">" in c[:-2] else (c[:-2], None)
    head = re.sub(r'\ss="\d+"', "", head) + ' s="%d"' % style
    new = head + ">" + rest if rest is not None else head + "/>"
    book.set_sheet_xml(x[: m.start()] + new + x[m.end():])


def answer_refs(path):
    sechk = os.environ.get("SECHK", "build/sechk")
    doc = json.loads(subprocess.run([sechk, "extract", path], check=True, stdout=subprocess.PIPE).stdout)
    return V.answer_refs_of(doc)


def symbols_case(out, kind, refs):
    b = V.Book(CLEAN)
    if kind in ("wingdings", "wingdings2"):
        font, on, off = ("Wingdings", "\u00fe", "\u00a8") if kind == "wingdings" else ("Wingdings 2", "R", "\u00a3")
        for ref in refs:
            t = b.cell_text(ref)
            if t and (V.CHECKED in t or V.UNCHECKED in t):
                b.set_cell_si(ref, symbol_si(t, font, on, off))
    elif kind == "cell-font":
        # the whole cell in Wingdings: n is ■ and o is □ (the Japanese text falls back to a Japanese font)
        # (a cell without Latin letters: in Wingdings they would be glyphs too)
        st = add_font_style(b, "Wingdings")
        t = b.cell_text(CELL_FONT_ANSWER)
        b.set_cell_text(CELL_FONT_ANSWER, t.replace(V.CHECKED, "n").replace(V.UNCHECKED, "o"))
        set_cell_style(b, CELL_FONT_ANSWER, st)
    elif kind == "unmapped":
        # a Wingdings smiley (J) typed before the cell's text: no check-box meaning, it stays "J"
        t = b.cell_text(FIRST_ANSWER)
        runs = "<r>%s%s</r>" % (RPR_SYMBOL % "Wingdings", V.t_elem("J"))
        body = symbol_si(t, "Wingdings", "\u00fe", "\u00a8")
        b.set_cell_si(FIRST_ANSWER, body.replace("<si>", "<si>" + runs, 1))
    b.save(out)


FIRST_ANSWER = "H9"  # No.1, provider
CELL_FONT_ANSWER = "H12"  # No.4, provider: ■適合 □不適合 and Japanese text only

# ---------------------------------------------------------------- things over the cells

NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL_THREADED = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
REL_PERSON = "http://schemas.microsoft.com/office/2017/10/relationships/person"
EMU_PER_COL, EMU_PER_ROW = 600000, 200000  # offsets inside a cell (EMU): the rows are 95 pt (1.2M EMU) or more


class Parts:
    """Adds parts related to the checklist sheet: rels, content types, sheet elements."""

    def __init__(self, book):
        self.b = book
        self.sheet = book.sheet
        d, f = os.path.split(self.sheet)
        self.rels_part = "%s/_rels/%s.rels" % (d, f)
        self.rels = []
        self.elements = {"drawing": "", "legacyDrawing": "", "controls": ""}

    def relate(self, rtype, target):
        rid = "rIdR%d" % (len(self.rels) + 1)
        self.rels.append('<Relationship Id="%s" Type="%s" Target="%s"/>' % (rid, rtype, target))
        return rid

    def add(self, name, content, ctype):
        self.b.put(name, content)
        if ctype.startswith("ext:"):
            ext, ct = ctype[4:].split("=", 1)
            t = self.b.text("[Content_Types].xml")
            if 'Extension="%s"' % ext not in t:
                self.b.put("[Content_Types].xml", t.replace("<Default ", '<Default Extension="%s" ContentType="%s"/>'
                                                            '<Default ' % (ext, ct), 1))
        else:
            t = self.b.text("[Content_Types].xml")
            self.b.put("[Content_Types].xml", t.replace("</Types>", '<Override PartName="/%s" ContentType="%s"/>'
                                                        '</Types>' % (name, ctype)))

    def finish(self):
        self.b.put(self.rels_part, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                   '"http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'
                   % "".join(self.rels))
        x = self.b.sheet_xml()
        tail = "".join(self.elements[k] for k in ("drawing", "legacyDrawing", "controls"))
        self.b.set_sheet_xml(x.replace("</worksheet>", tail + "</worksheet>"))


def xdr_corner(tag, col, row, dc=0, dr=0):
    return ("<xdr:%s><xdr:col>%d</xdr:col><xdr:colOff>%d</xdr:colOff><xdr:row>%d</xdr:row>"
            "<xdr:rowOff>%d</xdr:rowOff></xdr:%s>" % (tag, col, dc, row, dr, tag))


def xdr_shape(ref, sid, name, geom, text="", txbox=False):
    """A two-cell-anchored shape inside cell ref, as Excel writes an inserted ellipse or text box."""
    col, row = V.split_ref(ref)
    c, r = col - 1, row - 1
    body = ('<a:p><a:r><a:rPr kumimoji="1" lang="ja-JP" altLang="en-US" sz="1100"/><a:t>%s</a:t></a:r></a:p>'
            % V.xml_escape(text) if text else '<a:p><a:endParaRPr kumimoji="1" lang="ja-JP" altLang="en-US" sz="1100"/></a:p>')
    return ('<xdr:twoCellAnchor>%s%s<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="%d" name="%s"/>'
            '<xdr:cNvSpPr%s/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="5000000" y="9000000"/><a:ext cx="600000" '
            'cy="300000"/></a:xfrm><a:prstGeom prst="%s"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="19050"><a:solidFill>'
            '<a:srgbClr val="FF0000"/></a:solidFill></a:ln></xdr:spPr><xdr:txBody><a:bodyPr vertOverflow="clip" '
            'horzOverflow="clip" wrap="square" rtlCol="0" anchor="t"/><a:lstStyle/>%s</xdr:txBody></xdr:sp>'
            '<xdr:clientData/></xdr:twoCellAnchor>'
            % (xdr_corner("from", c, r, EMU_PER_COL, EMU_PER_ROW), xdr_corner("to", c, r, 2 * EMU_PER_COL, EMU_PER_ROW + 300000),
               sid, name, ' txBox="1"' if txbox else "", geom, body))


VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml"\n xmlns:o="urn:schemas-microsoft-com:office:office"\n'
            ' xmlns:x="urn:schemas-microsoft-com:office:excel">\n <o:shapelayout v:ext="edit">\n'
            '  <o:idmap v:ext="edit" data="1"/>\n </o:shapelayout>')
VML_T201 = ('<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201"\n  path="m,l,21600r21600,l21600,xe">\n'
            '  <v:stroke joinstyle="miter"/>\n  <v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f"'
            ' o:connecttype="rect"/>\n  <o:lock v:ext="edit" shapetype="t"/>\n </v:shapetype>')
VML_T202 = ('<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"\n  path="m,l,21600r21600,l21600,xe">\n'
            '  <v:stroke joinstyle="miter"/>\n  <v:path gradientshapeok="t" o:connecttype="rect"/>\n </v:shapetype>')


def vml_checkbox(sid, ref, caption_html, checked):
    """A form-control check box laid over cell ref, as Excel 2016 writes it in vmlDrawing1.vml
    (the caption's line break is an unclosed <br>: VML is not well-formed XML)."""
    col, row = V.split_ref(ref)
    c, r = col - 1, row - 1
    return ('<v:shape id="_x0000_s%d" type="#_x0000_t201" style=\'position:absolute;\n  margin-left:420pt;'
            'margin-top:150pt;width:60pt;height:18pt;z-index:%d;\n  mso-wrap-style:tight\' filled="f" fillcolor='
            '"window [65]" stroked="f"\n  strokecolor="windowText [64]" o:insetmode="auto">\n  <v:path shadowok="t" '
            'strokeok="t" fillok="t"/>\n  <o:lock v:ext="edit" rotation="t"/>\n  <v:textbox style=\'mso-direction-alt:'
            'auto\' o:singleclick="f">\n   <div style=\'text-align:left\'><font face="ＭＳ Ｐゴシック" charset="128"'
            ' color="#000000">%s</font></div>\n  </v:textbox>\n  <x:ClientData ObjectType="Checkbox">\n   <x:Anchor>\n'
            '    %d, 20, %d, 40, %d, 100, %d, 64</x:Anchor>\n   <x:AutoFill>False</x:AutoFill>\n   <x:AutoLine>False'
            '</x:AutoLine>\n   <x:TextVAlign>Center</x:TextVAlign>\n%s   <x:NoThreeD/>\n  </x:ClientData>\n </v:shape>'
            % (sid, sid - 1024, caption_html, c, r, c, r, "   <x:Checked>1</x:Checked>\n" if checked else ""))


def vml_note(sid, ref):
    col, row = V.split_ref(ref)
    c, r = col - 1, row - 1
    return ('<v:shape id="_x0000_s%d" type="#_x0000_t202" style=\'position:absolute;\n  margin-left:500pt;margin-top:'
            '100pt;width:108pt;height:59.25pt;z-index:%d;\n  visibility:hidden\' fillcolor="#ffffe1" o:insetmode="auto">'
            '\n  <v:fill color2="#ffffe1"/>\n  <v:shadow on="t" color="black" obscured="t"/>\n  <v:path o:connecttype='
            '"none"/>\n  <v:textbox style=\'mso-direction-alt:auto\'>\n   <div style=\'text-align:left\'></div>\n'
            '  </v:textbox>\n  <x:ClientData ObjectType="Note">\n   <x:MoveWithCells/>\n   <x:SizeWithCells/>\n'
            '   <x:Anchor>\n    %d, 15, %d, 2, %d, 15, %d, 16</x:Anchor>\n   <x:AutoFill>False</x:AutoFill>\n'
            '   <x:Row>%d</x:Row>\n   <x:Column>%d</x:Column>\n  </x:ClientData>\n </v:shape>'
            % (sid, sid - 1024, c + 1, r, c + 3, r + 4, r, c))


def ctrl_prop(checked):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<formControlPr xmlns="http://schemas.microsoft.'
            'com/office/spreadsheetml/2009/9/main" objectType="CheckBox"%s lockText="1" noThreeD="1"/>'
            % (' checked="Checked"' if checked else ""))


def control_el(shape_id, rid, name, ref):
    col, row = V.split_ref(ref)
    c, r = col - 1, row - 1
    return ('<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            '<mc:Choice Requires="x14"><control shapeId="%d" r:id="%s" name="%s"><controlPr defaultSize="0" '
            'autoFill="0" autoLine="0" autoPict="0"><anchor moveWithCells="1"><from><xdr:col>%d</xdr:col><xdr:colOff>'
            '254000</xdr:colOff><xdr:row>%d</xdr:row><xdr:rowOff>508000</xdr:rowOff></from><to><xdr:col>%d</xdr:col>'
            '<xdr:colOff>1270000</xdr:colOff><xdr:row>%d</xdr:row><xdr:rowOff>812800</xdr:rowOff></to></anchor>'
            '</controlPr></control></mc:Choice></mc:AlternateContent>' % (shape_id, rid, name, c, r, c, r))


def with_controls(book, boxes, vml_state=True):
    """Form-control check boxes (VML + ctrlProps + <controls>): boxes = [(ref, caption_html, checked)];
    vml_state False leaves x:Checked out of the VML (the state is then in the ctrlProp part only)."""
    p = Parts(book)
    vml = VML_HEAD + VML_T201
    controls = ""
    for k, (ref, caption, checked) in enumerate(boxes):
        sid = 1025 + k
        vml += vml_checkbox(sid, ref, caption, checked and vml_state)
        name = "xl/ctrlProps/ctrlProp%d.xml" % (k + 1)
        p.add(name, ctrl_prop(checked), "application/vnd.ms-excel.controlproperties+xml")
        rid = p.relate(REL + "ctrlProp", "../ctrlProps/ctrlProp%d.xml" % (k + 1))
        controls += control_el(sid, rid, "Check Box %d" % (k + 1), ref)
    p.add("xl/drawings/vmlDrawing1.vml", vml + "</xml>",
          "ext:vml=application/vnd.openxmlformats-officedocument.vmlDrawing")
    p.elements["legacyDrawing"] = '<legacyDrawing r:id="%s"/>' % p.relate(REL + "vmlDrawing", "../drawings/vmlDrawing1.vml")
    x = book.sheet_xml()
    if "xmlns:xdr=" not in x:
        book.set_sheet_xml(x.replace("<worksheet ", '<worksheet xmlns:xdr="%s" ' % NS_XDR, 1))
    p.elements["controls"] = "<controls>%s</controls>" % controls
    p.finish()


def png_1x1():
    """A 1x1 red PNG, for a picture laid over an answer cell."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def xdr_picture(ref, sid, rid):
    """A picture (Insert > Pictures) inside cell ref, as Excel writes it."""
    col, row = V.split_ref(ref)
    c, r = col - 1, row - 1
    return ('<xdr:twoCellAnchor editAs="oneCell">%s%s<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="%d" name="図 %d"/>'
            '<xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr><xdr:blipFill>'
            '<a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="%s"/>'
            '<a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="5000000" y="9000000"/>'
            '<a:ext cx="300000" cy="300000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
            '</xdr:pic><xdr:clientData/></xdr:twoCellAnchor>'
            % (xdr_corner("from", c, r, EMU_PER_COL, EMU_PER_ROW), xdr_corner("to", c, r, 2 * EMU_PER_COL, EMU_PER_ROW + 300000),
               sid, sid, rid))


def with_shapes(book, shapes, picture_ref=None):
    p = Parts(book)
    body = "".join(shapes)
    if picture_ref:
        p.add("xl/media/image1.png", png_1x1(), "ext:png=image/png")
        book.put("xl/drawings/_rels/drawing1.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                 'Id="rId1" Type="%simage" Target="../media/image1.png"/></Relationships>' % REL)
        body += xdr_picture(picture_ref, 4, "rId1")
    p.add("xl/drawings/drawing1.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr='
          '"%s" xmlns:a="%s">%s</xdr:wsDr>' % (NS_XDR, NS_A, body),
          "application/vnd.openxmlformats-officedocument.drawing+xml")
    p.elements["drawing"] = '<drawing r:id="%s"/>' % p.relate(REL + "drawing", "../drawings/drawing1.xml")
    p.finish()


PERSON_ID = "{5A3B1C2D-0000-4000-8000-000000000001}"
TC_ID = "{0D9E8F7A-0000-4000-8000-000000000002}"


def with_comments(book, note_ref, note_author, note_text, tc_ref, tc_text):
    """A note (メモ) on note_ref and a threaded comment on tc_ref, with the legacy copy Excel writes beside
    a threaded comment and the VML shapes of both notes."""
    p = Parts(book)
    legacy_tc = ("[Threaded comment]\n\nYour version of Excel allows you to read this threaded comment; however, any "
                 "edits to it will get removed if the file is opened in a newer version of Excel. Learn more: "
                 "https://go.microsoft.com/fwlink/?linkid=870924\n\nComment:\n    " + tc_text)
    comments = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="%s"><authors><author>%s'
                '</author><author>tc=%s</author></authors><commentList><comment ref="%s" authorId="0" shapeId="0">'
                '<text><r><rPr><b/><sz val="9"/><color indexed="81"/><rFont val="MS P ゴシック"/><family val="3"/>'
                '<charset val="128"/></rPr><t>%s:</t></r><r><rPr><sz val="9"/><color indexed="81"/><rFont val="MS P '
                'ゴシック"/><family val="3"/><charset val="128"/></rPr><t xml:space="preserve">\n%s</t></r></text>'
                '</comment><comment ref="%s" authorId="1" shapeId="0"><text><t xml:space="preserve">%s</t></text>'
                '</comment></commentList></comments>'
                % (V.NS_MAIN, V.xml_escape(note_author), TC_ID, note_ref, V.xml_escape(note_author),
                   V.xml_escape(note_text), tc_ref, V.xml_escape(legacy_tc)))
    p.add("xl/comments1.xml", comments, "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml")
    p.relate(REL + "comments", "../comments1.xml")
    tc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="http://schemas.microsoft.'
          'com/office/spreadsheetml/2018/threadedcomments" xmlns:x="%s"><threadedComment ref="%s" dT="2026-04-01T09:00:'
          '00.00" personId="%s" id="%s"><text>%s</text></threadedComment></ThreadedComments>'
          % (V.NS_MAIN, tc_ref, PERSON_ID, TC_ID, V.xml_escape(tc_text)))
    p.add("xl/threadedComments/threadedComment1.xml", tc, "application/vnd.ms-excel.threadedcomments+xml")
    p.relate(REL_THREADED, "../threadedComments/threadedComment1.xml")
    vml = VML_HEAD + VML_T202 + vml_note(1025, note_ref) + vml_note(1026, tc_ref) + "</xml>"
    p.add("xl/drawings/vmlDrawing1.vml", vml, "ext:vml=application/vnd.openxmlformats-officedocument.vmlDrawing")
    p.elements["legacyDrawing"] = '<legacyDrawing r:id="%s"/>' % p.relate(REL + "vmlDrawing", "../drawings/vmlDrawing1.vml")
    p.finish()
    persons = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<personList xmlns="http://schemas.microsoft.com/'
               'office/spreadsheetml/2018/threadedcomments" xmlns:x="%s"><person displayName="佐藤 花子" id="%s" '
               'userId="sato@example.jp" providerId="AD"/></personList>' % (V.NS_MAIN, PERSON_ID))
    book.put("xl/persons/person.xml", persons)
    t = book.text("[Content_Types].xml")
    book.put("[Content_Types].xml", t.replace("</Types>", '<Override PartName="/xl/persons/person.xml" ContentType='
                                              '"application/vnd.ms-excel.person+xml"/></Types>'))
    r = book.text("xl/_rels/workbook.xml.rels")
    book.put("xl/_rels/workbook.xml.rels", r.replace("</Relationships>", '<Relationship Id="rIdP1" Type="%s" '
                                                     'Target="persons/person.xml"/></Relationships>' % REL_PERSON))


FPB_NS = "http://schemas.microsoft.com/office/spreadsheetml/2022/featurepropertybag"


def add_checkbox_style(book):
    """A cell format that is a cell check box, and the feature property bag it points to."""
    st = book.text("xl/styles.xml")
    m = re.search(r'<cellXfs count="(\d+)">', st)
    n = int(m.group(1))
    st = st.replace(m.group(0), '<cellXfs count="%d">' % (n + 1))
    st = st.replace("</cellXfs>", '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"><extLst><ext uri='
                    '"{C7286773-470A-42A8-94C5-96B5CB345126}" xmlns:xfpb="%s"><xfpb:xfComplement i="0"/></ext>'
                    '</extLst></xf></cellXfs>' % FPB_NS)
    book.put("xl/styles.xml", st)
    book.put("xl/featurePropertyBag/featurePropertyBag.xml",
             '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<FeaturePropertyBags xmlns="%s">'
             '<bag type="Checkbox"/><bag type="XFControls"><bagId k="CellControl">0</bagId></bag>'
             '<bag type="XFComplement"><bagId k="XFControls">1</bagId></bag><bag type="XFComplements" '
             'extRef="XFComplementsMapperExtRef"><a k="MappedFeaturePropertyBags"><bagId>2</bagId></a></bag>'
             '</FeaturePropertyBags>' % FPB_NS)
    t = book.text("[Content_Types].xml")
    book.put("[Content_Types].xml", t.replace("</Types>", '<Override PartName="/xl/featurePropertyBag/'
                                              'featurePropertyBag.xml" ContentType="application/vnd.ms-excel.'
                                              'featurepropertybag+xml"/></Types>'))
    r = book.text("xl/_rels/workbook.xml.rels")
    book.put("xl/_rels/workbook.xml.rels", r.replace("</Relationships>", '<Relationship Id="rIdFpb" Type="http://'
                                                     'schemas.microsoft.com/office/2022/11/relationships/'
                                                     'FeaturePropertyBag" Target="featurePropertyBag/'
                                                     'featurePropertyBag.xml"/></Relationships>'))
    return n


CONTROL_CELL, UNMATCHED_CELL = "H12", "H10"   # No.4 provider (適合/不適合), No.2 provider
ELLIPSE_CELL, TEXTBOX_CELL = "H15", "I11"     # No.7 provider, No.3 contractor
PICTURE_CELL = "I12"                          # No.4 contractor
NOTE_CELL, THREAD_CELL = "H10", "I9"          # No.2 provider, No.1 contractor
BOOL_CELL = "I32"                             # No.24 contractor


def overlay_case(out, kind):
    b = V.Book(CLEAN)
    if kind == "controls-matched":
        # the vendor left □適合 □不適合 in the text and ticked the 適合 box laid over the cell
        b.set_cell_text(CONTROL_CELL, b.cell_text(CONTROL_CELL).replace(V.CHECKED + "適合", V.UNCHECKED + "適合"))
        with_controls(b, [(CONTROL_CELL, "適合", True), (CONTROL_CELL, "不適合", False)])
    elif kind == "controls-ctrlprop":
        b.set_cell_text(CONTROL_CELL, b.cell_text(CONTROL_CELL).replace(V.CHECKED + "適合", V.UNCHECKED + "適合"))
        with_controls(b, [(CONTROL_CELL, "適合", True), (CONTROL_CELL, "不適合", False)], vml_state=False)
    elif kind == "controls-unmatched":
        with_controls(b, [(UNMATCHED_CELL, "該当する<br>（別紙参照）", True)])
    elif kind == "cell-checkbox":
        # Excel 365 Insert > Checkbox: a TRUE/FALSE cell whose format points through
        # <xfpb:xfComplement i="0"/> to the Checkbox bag of featurePropertyBag.xml
        st = add_checkbox_style(b)
        x = b.sheet_xml()
        m = b.cell_re(BOOL_CELL).search(x)
        head = re.sub(r'\s(?:t|s)="\w+"', "", m.group(0).split(">", 1)[0])
        b.set_sheet_xml(x[: m.start()] + head + ' s="%d" t="b"><v>1</v></c>' % st + x[m.end():])
    elif kind == "shapes":
        with_shapes(b, [xdr_shape(ELLIPSE_CELL, 2, "楕円 1", "ellipse"),
                        xdr_shape(TEXTBOX_CELL, 3, "テキスト ボックス 2", "rect", "確認済みです", txbox=True)],
                    picture_ref=PICTURE_CELL)
    elif kind == "comments":
        with_comments(b, NOTE_CELL, "山田 太郎", "開示条件は別紙の秘密保持契約書を参照してください。",
                      THREAD_CELL, "ISMAP の登録番号は備考に追記します。")
    b.save(out)


CASES = ["example-first-full", "example-first-onerow", "blank-then-copy", "two-filled", "example-only",
         "hidden-blank", "dates-1904", "dates-label-format", "dates-wareki-format", "dates-t-d",
         "dates-text-wareki", "symbols-wingdings", "symbols-wingdings2", "symbols-cell-font",
         "symbols-unmapped", "controls-matched", "controls-ctrlprop", "controls-unmatched", "cell-checkbox", "shapes",
         "comments"]


def make(outdir):
    os.makedirs(outdir, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=outdir)
    clean, deficient = sheet_xml_inline(CLEAN), sheet_xml_inline(DEFICIENT)
    blank = sheet_xml_inline(blank_template(tmp))
    o = lambda n: os.path.join(outdir, n + ".xlsx")  # noqa: E731
    multi(o("example-first-full"), [("記入例", clean, False), ("チェックリスト", deficient, False)])
    multi(o("example-first-onerow"), [("記入例", one_row_example(clean), False), ("チェックリスト", deficient, False)])
    multi(o("blank-then-copy"), [("セキュリティチェックリスト", blank, False),
                                 ("セキュリティチェックリスト (2)", clean, False)], active=1)
    multi(o("two-filled"), [("チェックリスト", clean, False), ("チェックリスト (2)", deficient, False)])
    multi(o("example-only"), [("記入例", clean, False)])
    multi(o("hidden-blank"), [("チェックリスト", clean, False), ("旧版", blank, True)])
    b = V.Book(OPERATION)
    ensure_cells(b, ["H3", "H4"])
    src = os.path.join(tmp, "clean.xlsx")
    b.save(src)
    for kind in ("1904", "label-format", "wareki-format", "t-d", "text-wareki"):
        dates_case(src, o("dates-" + kind), kind)
    refs = answer_refs(CLEAN)
    for kind in ("wingdings", "wingdings2", "cell-font", "unmapped"):
        symbols_case(o("symbols-" + kind), kind, refs)
    for kind in ("controls-matched", "controls-ctrlprop", "controls-unmatched", "cell-checkbox", "shapes", "comments"):
        overlay_case(o(kind), kind)
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)


# What sechk must report for each case: extra options, check's exit status, the sheet read,
# the document dates, the reading notes' codes, a fragment of stderr (exit 2), and the
# total of error findings (None: not compared).
DATES = {"created_date": "2025-04-01", "updated_date": "2026-05-15"}
EXPECT = {
    "example-first-full": dict(status=1, sheet="チェックリスト", notes=["sheet-chosen"], errors_min=1),
    "example-first-onerow": dict(status=1, sheet="チェックリスト", notes=[], errors_min=1),
    "blank-then-copy": dict(status=0, sheet="セキュリティチェックリスト (2)", notes=["sheet-chosen"], errors=0),
    "two-filled": dict(status=2, stderr="シート チェックリスト と チェックリスト (2) のどちらも記入済みのチェックリストに"
                                        "見えます。--sheet で指定してください"),
    "two-filled--sheet-2": dict(file="two-filled", args=["--sheet", "2"], status=1, sheet="チェックリスト (2)",
                                notes=[], errors_min=1),
    "two-filled--sheet-name": dict(file="two-filled", args=["--sheet", "チェックリスト"], status=0,
                                   sheet="チェックリスト", notes=[], errors=0),
    "two-filled--sheet-missing": dict(file="two-filled", args=["--sheet", "3"], status=2, stderr="--sheet"),
    "example-only": dict(status=0, sheet="記入例", notes=[], errors=0),
    "hidden-blank": dict(status=0, sheet="チェックリスト", notes=["sheet-chosen"], errors=0),
    "dates-1904": dict(status=0, doc=DATES, errors=0),
    "dates-label-format": dict(status=0, doc=dict(DATES, created="2025年4月1日", updated="2026/05/15"), errors=0),
    "dates-wareki-format": dict(status=0, doc=dict(DATES, created="令和7年4月1日", updated="R08.5.15"), errors=0),
    "dates-t-d": dict(status=0, doc=dict(DATES, created="2025/4/1", updated="2026/5/15"), errors=0),
    "dates-text-wareki": dict(status=0, doc=dict(DATES, created="令和７年４月１日", updated="２０２６年５月１５日"),
                              errors=0),
    # the same answers as samples/conformant-selection.xlsx
    "symbols-wingdings": dict(status=0, errors=0, same_as=CLEAN),
    "symbols-wingdings2": dict(status=0, errors=0, same_as=CLEAN),
    "symbols-cell-font": dict(status=0, errors=0, same_as=CLEAN),
    # the smiley stays text: the options read the same, the cell is reported with the inserted "J"
    "symbols-unmapped": dict(status=0, same_as=CLEAN, field_has=(1, "provider", "J")),
    # a ticked form-control box captioned 適合 over No.4's □適合 answers it (info), the unticked 不適合 box
    # changes nothing: the same answers as the clean sample
    "controls-matched": dict(status=0, errors=0, same_as=CLEAN, findings=[(4, "provider", "checkbox-control")],
                             source=(4, "provider", "conform"), statuses=[(4, "ok")]),
    # the same with the state only in ctrlProps/ctrlProp1.xml (checked="Checked"), not in the VML
    "controls-ctrlprop": dict(status=0, errors=0, same_as=CLEAN, findings=[(4, "provider", "checkbox-control")],
                              source=(4, "provider", "conform"), statuses=[(4, "ok")]),
    "controls-unmatched": dict(status=0, errors=0, findings=[(2, "provider", "checkbox-unmatched")],
                               message=(2, "該当する"), statuses=[(2, "review")]),
    "cell-checkbox": dict(status=1, findings=[(24, "contractor", "cell-checkbox")]),
    "shapes": dict(status=0, errors=0, same_as=CLEAN,
                   findings=[(7, "provider", "shape-over-answer"), (3, "contractor", "shape-over-answer"),
                             (4, "contractor", "shape-over-answer")],
                   absent=[(8, "provider", "shape-over-answer"), (5, "contractor", "shape-over-answer"),
                           (6, "provider", "shape-over-answer")],
                   message=(7, "回答欄に図形（楕円）が重なっています。図形による回答は読み取れないため、□を■に変えて"
                               "回答してください。"), statuses=[(7, "review"), (3, "review"), (4, "review")]),
    "comments": dict(status=0, errors=0, same_as=CLEAN,
                     findings=[(2, "provider", "answer-comment"), (1, "contractor", "answer-comment")],
                     comments=[(2, "provider", "山田 太郎", "開示条件は別紙の秘密保持契約書を参照してください。", False),
                               (1, "contractor", "佐藤 花子", "ISMAP の登録番号は備考に追記します。", True)]),
}

# LibreOffice re-saves: the features it does not keep (the case's keys then not compared).
LO_DROPS = {
    # LO writes t="d" cells back as serial numbers with its own date format
    "dates-t-d": ["doc.created", "doc.updated"],
    # LO rewrites formats: the literal text stays, the way it quotes it may change
    "dates-label-format": ["doc.updated"],
    # LO does not know [$-ja-JP]…ggge: the cell becomes General (a bare serial number)
    "dates-wareki-format": ["doc.created", "doc.updated", "doc.created_date"],
    # LO keeps form controls but writes them anchored at A1 with no size: they cover no answer cell
    # (names are result names or their prefix before "-")
    "controls-matched": ["status", "options", "finding", "source", "errors"],
    "controls-ctrlprop": ["status", "options", "finding", "source", "errors"],
    "controls-unmatched": ["finding", "message", "status"],
}


def options(cell):
    """A cell's option states, comparable across files (None for a "―" cell)."""
    return None if cell is None else [(o["id"], o["checked"]) for o in cell["options"]]


def check(outdir, libreoffice=False):
    sechk = os.environ.get("SECHK", "build/sechk")
    bad = 0
    for name, want in EXPECT.items():
        path = os.path.join(outdir, want.get("file", name) + ".xlsx")
        r = subprocess.run([sechk, "check", "-f", "json"] + want.get("args", []) + [path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        drops = LO_DROPS.get(want.get("file", name), []) if libreoffice else []
        results = []
        results.append(("status", r.returncode == want["status"],
                        "exit %d, want %d: %s" % (r.returncode, want["status"], r.stderr.decode()[:300])))
        if want["status"] == 2:
            err = r.stderr.decode()
            results.append(("stderr", want["stderr"] in err, "stderr %r lacks %r" % (err[:300], want["stderr"])))
        else:
            try:
                got = json.loads(r.stdout.decode())
            except ValueError:
                got = None
            results.append(("json", got is not None, "no JSON output"))
            if got is not None:
                if "sheet" in want:
                    results.append(("sheet", got["source"]["sheet"] == want["sheet"],
                                    "sheet %r, want %r" % (got["source"]["sheet"], want["sheet"])))
                if "notes" in want:
                    codes = [n["code"] for n in got["notes"]]
                    results.append(("notes", codes == want["notes"], "notes %r, want %r" % (codes, want["notes"])))
                for k, v in want.get("doc", {}).items():
                    if "doc." + k in drops:
                        continue
                    results.append(("doc." + k, got["document"].get(k) == v,
                                    "document.%s %r, want %r" % (k, got["document"].get(k), v)))
                if "same_as" in want:
                    ref = json.loads(subprocess.run([sechk, "check", "-f", "json", want["same_as"]],
                                                    stdout=subprocess.PIPE).stdout)
                    diff = [(a["no"], p) for a, b in zip(got["items"], ref["items"]) for p in a["cells"]
                            if options(a["cells"][p]) != options(b["cells"][p])]
                    results.append(("options", not diff, "options differ from %s at %r" % (want["same_as"], diff[:5])))
                items = {it["no"]: it for it in got["items"]}
                for no, party, code in want.get("findings", []):
                    codes = [(f["column"], f["code"]) for f in items[no]["findings"]]
                    results.append(("finding-%d-%s" % (no, code), (party, code) in codes,
                                    "No.%d lacks %s/%s: %r" % (no, party, code, codes)))
                for no, party, code in want.get("absent", []):
                    codes = [(f["column"], f["code"]) for f in items[no]["findings"]]
                    results.append(("absent-%d-%s" % (no, code), (party, code) not in codes,
                                    "No.%d has %s/%s (the object does not cover it)" % (no, party, code)))
                if "message" in want:
                    no, text = want["message"]
                    msgs = [f["message"] for f in items[no]["findings"]]
                    results.append(("message", any(text in m for m in msgs), "No.%d: no message with %r in %r"
                                    % (no, text, msgs)))
                for no, status in want.get("statuses", []):
                    results.append(("status-%d" % no, items[no]["status"] == status,
                                    "No.%d status %r, want %r" % (no, items[no]["status"], status)))
                if "source" in want:
                    no, party, oid = want["source"]
                    opts = items[no]["cells"][party]["options"]
                    results.append(("source", any(o["id"] == oid and o.get("source") == "checkbox-control"
                                                  and o["checked"] for o in opts), "No.%d %s: %r" % (no, party, opts)))
                for no, party, author, text, threaded in want.get("comments", []):
                    cs = items[no]["cells"][party]["comments"]
                    if libreoffice:  # LO keeps notes only, without their authors
                        good = any(text in c["text"] for c in cs)
                    else:
                        good = {"author": author, "text": text, "threaded": threaded} in cs
                    results.append(("comment-%d" % no, good, "No.%d %s comments %r" % (no, party, cs)))
                if "field_has" in want:
                    no, party, text = want["field_has"]
                    cell = [it for it in got["items"] if it["no"] == no][0]["cells"][party]
                    vals = [f["value"] for f in cell["fields"]]
                    results.append(("field", any(text in v for v in vals), "No.%d %s fields %r lack %r"
                                    % (no, party, vals, text)))
                errors = got["summary"]["errors"]
                if "errors" in want:
                    results.append(("errors", errors == want["errors"], "%d errors, want %d" % (errors, want["errors"])))
                if "errors_min" in want:
                    results.append(("errors", errors >= want["errors_min"], "%d errors, want some" % errors))
        results = [r for r in results if r[0].split("-")[0] not in drops and r[0] not in drops]
        for what, good, why in results:
            if good:
                print("ok %s.%s" % (name, what))
            else:
                bad += 1
                print("fail %s.%s: %s" % (name, what, why))
    return bad


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "list":
        print("\n".join(CASES))
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "check":
        check(sys.argv[2], libreoffice=sys.argv[3:] == ["--libreoffice"])
    elif len(sys.argv) == 2:
        make(sys.argv[1])
    else:
        sys.exit(__doc__)
