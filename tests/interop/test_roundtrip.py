#!/usr/bin/python3
"""Round trip, property style: fill then extract gives back the same answers.

For CASES seeded random answer sets (random checked options per cell, random
slot values from a small alphabet of Japanese and ASCII words, some empty),
each is written as JSON, turned into a workbook by `sechk fill`, and read back
by one `sechk extract` over all the workbooks.  Every cell must read back the
same options (id and checked, in marker order), the same field values, not
altered and with no missing marker; the document block must read back too.

    test_roundtrip.py [--cases N] [--seed S] [--case K] [--keep DIR]

SECHK names the binary (default build/sechk).  A failure prints the case
number and seed, and --case K --keep DIR rebuilds that one case in DIR.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

SECHK = os.environ.get("SECHK", "build/sechk")

# Words for slot values.  They include text that also occurs in the template
# (適合, 備考, 確認済み), XML specials, half-width kana, full-width ASCII, an
# Excel escape look-alike (_x0041_ typed as text; the literal _x000D_ case is a
# fixed check in test_roundtrip.sh) and a CSV-injection lead.
WORDS = ["東京都", "クラウド", "暗号化", "ログ", "年次", "監査", "株式会社サンプル", "適合", "確認済み", "備考",
         "令和8年", "ＩＳＭＡＰ", "ｶﾀｶﾅ", "第3者", "（注）", "ISO27001", "AWS", "v1.2", "a_b", "x=1", "50%",
         "R&D", "<tag>", '"q"', "O'Neil", "_x0041_", "=SUM(A1)", "１２", "12", "30日", "①、⑤", "2026年4月"]
SEPARATORS = [" ", "、", "・", "／", "", "\n"]
MARKERS = set("■◼▪⬛☑☒✓✔□☐◻")


def value(rng, placeholder):
    """A random slot value: trimmed, never a checkbox, never the placeholder at either end."""
    while True:
        n = rng.choice([1, 1, 2, 3, 5])
        v = ""
        for i in range(n):
            if i:
                v += rng.choice(SEPARATORS)
            v += rng.choice(WORDS)
        v = v.strip()
        if not v or any(ch in MARKERS for ch in v):
            continue
        if placeholder.strip() and (v.startswith(placeholder.strip()) or v.endswith(placeholder.strip())):
            continue
        return v


def make_case(rng, skeleton, placeholders):
    d = json.loads(json.dumps(skeleton))
    p_check = rng.choice([0.0, 0.2, 0.5, 0.8, 1.0])
    p_empty = rng.choice([0.0, 0.3, 0.6, 1.0])
    d["document"] = {"created": rng.choice(["", "2026年4月1日", "令和8年4月1日"]),
                     "updated": rng.choice(["", "2026年5月15日"]),
                     "service": "" if rng.random() < 0.3 else value(rng, "")}
    for it in d["items"]:
        for party, c in it["cells"].items():
            if c is None:
                continue
            for o in c["options"]:
                o["checked"] = rng.random() < p_check
            for f in c["fields"]:
                ph = placeholders.get((it["no"], party, f["id"]), "")
                f["value"] = "" if rng.random() < p_empty else value(rng, ph)
    return d


def cells(doc):
    out = {}
    for it in doc["items"]:
        for party, c in it["cells"].items():
            out[(it["no"], party)] = c
    return out


def compare(want, got):
    """The differences between the answers written and the answers read, as strings."""
    bad = []
    if got["document"] != want["document"]:
        bad.append("document: wrote %r, read %r" % (want["document"], got["document"]))
    w, g = cells(want), cells(got)
    for key, wc in w.items():
        gc = g.get(key)
        if wc is None or gc is None:
            if (wc is None) != (gc is None):
                bad.append("No.%d %s: wrote %r, read %r" % (key[0], key[1], wc, gc))
            continue
        wo = [(o["id"], o["checked"]) for o in wc["options"]]
        go = [(o["id"], o["checked"]) for o in gc["options"]]
        if wo != go:
            bad.append("No.%d %s options: wrote %s, read %s" % (key[0], key[1], wo, go))
        wf = [(f["id"], f["value"]) for f in wc["fields"]]
        gf = [(f["id"], f["value"]) for f in gc["fields"]]
        for a, b in zip(wf, gf):
            if a != b:
                bad.append("No.%d %s field %s: wrote %r, read %r" % (key[0], key[1], a[0], a[1], b[1]))
        if len(wf) != len(gf):
            bad.append("No.%d %s: %d fields written, %d read" % (key[0], key[1], len(wf), len(gf)))
        if gc.get("altered"):
            bad.append("No.%d %s: read as altered" % key)
        if gc.get("missing_options"):
            bad.append("No.%d %s: missing options %s" % (key[0], key[1], gc["missing_options"]))
    return bad


def placeholders_of():
    """Slot placeholders, from the template file: {(no, party, slot id): placeholder}."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    xml = open(os.path.join(root, "templates", "default.xml"), encoding="utf-8").read()
    out = {}
    for m in re.finditer(r'<item no="(\d+)".*?</item>', xml, flags=re.S):
        no = int(m.group(1))
        for party in ("provider", "contractor"):
            cm = re.search(r"<%s>(.*?)</%s>" % (party, party), m.group(0), flags=re.S)
            if not cm:
                continue
            for sm in re.finditer(r'<slot id="([^"]+)"[^>]*?(?:/>|>(.*?)</slot>)', cm.group(1), flags=re.S):
                out[(no, party, sm.group(1))] = sm.group(2) or ""
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20260401)
    ap.add_argument("--case", type=int, default=None, help="run only this case")
    ap.add_argument("--keep", default=None, help="write the cases into this folder and keep them")
    a = ap.parse_args()
    sechk = os.path.abspath(SECHK)
    tmp = a.keep or tempfile.mkdtemp(prefix="sechk-roundtrip.")
    os.makedirs(tmp, exist_ok=True)
    try:
        blank = os.path.join(tmp, "blank.xlsx")
        subprocess.run([sechk, "template", "-o", blank, "--date", "2026-04-01"], check=True)
        skeleton = json.loads(subprocess.run([sechk, "extract", blank], check=True, stdout=subprocess.PIPE).stdout)
        placeholders = placeholders_of()
        cases = [a.case] if a.case is not None else list(range(a.cases))
        wants, books, failed = {}, [], 0

        def fill(k):  # one process per case (`fill` takes one answers object), on every core
            rng = random.Random(a.seed * 1000 + k)
            want = make_case(rng, skeleton, placeholders)
            js = os.path.join(tmp, "case%03d.json" % k)
            xl = os.path.join(tmp, "case%03d.xlsx" % k)
            with open(js, "w", encoding="utf-8") as f:
                json.dump(want, f, ensure_ascii=False)
            r = subprocess.run([sechk, "fill", js, "-o", xl], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            return k, want, xl, r

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for k, want, xl, r in pool.map(fill, cases):
                wants[k] = want
                if r.returncode != 0:
                    print("  FAIL case %d (seed %d): fill exit %d: %s" % (k, a.seed, r.returncode,
                                                                      r.stderr.decode("utf-8", "replace")[:300]))
                    failed += 1
                    continue
                books.append((k, xl))
        # one extract over every workbook: an array in input order
        r = subprocess.run([sechk, "extract"] + [x for _, x in books], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            print("  FAIL extract exit %d: %s" % (r.returncode, r.stderr.decode("utf-8", "replace")[:300]))
            return 1
        got = json.loads(r.stdout)
        if len(books) == 1:
            got = [got]
        for (k, _), g in zip(books, got):
            bad = compare(wants[k], g)
            if bad:
                failed += 1
                print("  FAIL case %d (seed %d; rerun: test_roundtrip.py --seed %d --case %d --keep DIR):"
                      % (k, a.seed, a.seed, k))
                for line in bad[:6]:
                    print("    " + line)
                if len(bad) > 6:
                    print("    … %d more" % (len(bad) - 6))
        print("test_roundtrip: %d passed, %d failed" % (len(cases) - failed, failed))
        return 1 if failed else 0
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
