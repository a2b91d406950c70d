#!/usr/bin/python3
"""Seed corpora for the fuzz targets (tests/fuzz/fuzz.mk).

    make_seeds.py SECHK OUT

Writes OUT/blank.xlsx (a blank checklist from `SECHK template`, the base
workbook of the XML targets) and OUT/seeds/<target>/ for each target, from
samples/*.xlsx, the blank, the minimal checklist of tests/make_corpus.py and
the committed hostile corpus tests/corpus/bad/.  Standard library only.
"""

import glob
import hashlib
import io
import json
import re
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
MAX_SEED = 1 << 20


def put(out, target, data):
    if not data or len(data) > MAX_SEED:
        return
    d = os.path.join(out, "seeds", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def parts_of(path):
    """The parts of a zip, or {} when Python's zipfile cannot read it."""
    try:
        with zipfile.ZipFile(path) as z:
            return {i.filename: z.read(i) for i in z.infolist() if i.file_size <= MAX_SEED}
    except Exception:
        return {}


def stored(parts):
    """The parts again as a zip of stored entries: mutations of the reader's
    input then reach the XML instead of breaking a deflate stream."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def texts_of(sst):
    """The texts of the shared strings (for the aligner)."""
    try:
        root = ET.fromstring(sst)
    except ET.ParseError:
        return []
    return ["".join(t.text or "" for t in si.iter(NS + "t")) for si in root.iter(NS + "si")]


def answer_cells():
    """(item no, party) of each answer cell of the default template, in the
    order fuzz_align.c numbers them (absent cells skipped)."""
    with open(os.path.join(ROOT, "templates", "default.xml"), encoding="utf-8") as f:
        root = ET.fromstring(f.read())
    ns = "{urn:sechk:template:1}"
    out = []
    for item in root.iter(ns + "item"):
        for party in ("provider", "contractor"):
            cell = item.find(ns + party)
            if cell is not None and cell.get("absent") != "true" and cell.find(ns + "text") is not None:
                out.append((int(item.get("no")), party))
    return out


def cell_texts(path, answers, cells):
    """(selector byte, text) of each answer cell of a workbook read by
    `sechk extract`: its refs lead to the sheet's cells."""
    parts = parts_of(path)
    strings = []
    for name, data in parts.items():
        if name.lower().endswith("sharedstrings.xml"):
            strings = texts_of(data)
    sheet = parts.get("xl/worksheets/sheet1.xml", b"").decode("utf-8", "replace")
    by_ref = {}
    for m in re.finditer(r'<c r="([A-Z]+[0-9]+)"[^>]*t="s"[^>]*><v>([0-9]+)</v>', sheet):
        i = int(m.group(2))
        if i < len(strings):
            by_ref[m.group(1)] = strings[i]
    for item in answers.get("items", []):
        for party in ("provider", "contractor"):
            c = (item.get("cells") or {}).get(party)
            if isinstance(c, dict) and (item["no"], party) in cells and c.get("ref") in by_ref:
                yield cells.index((item["no"], party)), by_ref[c["ref"]]


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    sechk, out = argv[1], argv[2]
    os.makedirs(out, exist_ok=True)
    blank = os.path.join(out, "blank.xlsx")
    subprocess.run([sechk, "template", "-o", blank, "--date", "2026-04-01", "--project", "事業",
                    "--service", "サービス"], check=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "make_corpus.py"), "valid", out],
                   check=True)
    good = sorted(glob.glob(os.path.join(ROOT, "samples", "*.xlsx"))) + [blank,
                                                                         os.path.join(out, "valid.xlsx")]
    bad = sorted(p for p in glob.glob(os.path.join(ROOT, "tests", "corpus", "bad", "*.xlsx"))
                 if os.path.isfile(p))
    for path in good + bad:
        with open(path, "rb") as f:
            put(out, "reader", f.read())
        parts = parts_of(path)
        if path in good and parts:
            put(out, "reader", stored(parts))
        for name, data in parts.items():
            low = name.lower()
            if low.endswith(".xml") or low.endswith(".rels"):
                put(out, "xml_fast", data)
            if low.endswith("sharedstrings.xml"):
                put(out, "xml_strings", data)
            elif low.startswith("xl/worksheets/") and low.endswith(".xml"):
                put(out, "xml_sheet", data)
    # cfb: the CFB files of the hostile corpus and, when the npm package
    # officecrypto-tool is installed under build/node, the blank encrypted
    # with the password "password" (Agile and Standard; tests/crypto/encrypt.js)
    for path in bad:
        with open(path, "rb") as f:
            data = f.read()
        if data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"):
            put(out, "cfb", data)
    mod = os.path.join(ROOT, "build", "node", "node_modules", "officecrypto-tool")
    if os.path.isdir(mod):
        for kind in ("agile", "standard"):
            enc = os.path.join(out, "blank-%s.xlsx" % kind)
            r = subprocess.run(["node", os.path.join(ROOT, "tests", "crypto", "encrypt.js"), blank, enc,
                                "password", kind], env=dict(os.environ, OFFICECRYPTO_DIR=mod))
            if r.returncode == 0:
                with open(enc, "rb") as f:
                    put(out, "cfb", f.read())
    cells = answer_cells()
    for path in good:
        r = subprocess.run([sechk, "extract", path], capture_output=True)
        if r.returncode == 0:
            put(out, "answers", r.stdout)
            for k, text in cell_texts(path, json.loads(r.stdout), cells):
                put(out, "align", bytes([k]) + text.encode("utf-8"))
    for j in [b"{}", b"[]", b'{"format":"sechk/answers-v1","items":[]}',
              b'[{"items":[{"no":1,"cells":{"provider":{"options":[{"id":"conform","checked":true}],'
              b'"fields":[{"id":"remarks","value":"x"}]},"contractor":{}}}]}]']:
        put(out, "answers", j)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
