#!/usr/bin/env python3
"""Compares what the page did (tests/web/drive.js) with the CLI on the same files.

usage: check.py SECHK INDIR PAGEDIR WORKDIR

INDIR holds the inputs (the samples and a few hostile files), PAGEDIR the
driver's result.json and downloads (dl/), WORKDIR is scratch for the CLI's
outputs.  Prints one line per failed assertion, then "N passed, N failed";
exits 1 on any failure.
"""
import csv
import io
import json
import os
import subprocess
import sys
import zipfile

import openpyxl

SECHK, INDIR, PAGEDIR, WORK = (os.path.abspath(p) for p in sys.argv[1:5])
DL = os.path.join(PAGEDIR, "dl")
passed = failed = 0


def ok(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")
    return cond


def cli(*args, env=None, cwd=INDIR):
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    e.update(env or {})
    return subprocess.run([SECHK, *args], cwd=cwd, env=e, capture_output=True)


def values(path):
    """Every sheet's cell values (and the sheet names, in order)."""
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out.append(("sheet", ws.title))
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append((ws.title, c.coordinate, c.value))
    return out


def strip_dir(s, d):
    return s.replace(d + "/", "")


with open(os.path.join(PAGEDIR, "result.json"), encoding="utf-8") as f:
    res = json.load(f)
inputs = sorted(n for n in os.listdir(INDIR) if n.endswith(".xlsx"))
rows = {r["file"]: r for r in res["rows"]}

# ---- nothing leaves the PC, nothing goes wrong ----
page_url = [u for u in res["requests"] if u.startswith("file://")]
ok(len(res["requests"]) == 1 and len(page_url) == 1 and page_url[0].endswith("/sechk.html"),
   f"requests other than the page: {res['requests']}")
ok(not res["console"], f"console errors/warnings: {res['console']}")
ok(not res["errors"], f"page errors: {res['errors']}")

# ---- one row per input, in `sechk batch` order ----
ok([r["file"] for r in res["rows"]] == sorted(inputs, key=lambda s: s.encode()),
   f"rows {[r['file'] for r in res['rows']]} != inputs {inputs}")

# ---- the CLI's batch on the same folder ----
batch = os.path.join(WORK, "batch")
b = cli("batch", ".", "-o", batch, "-j", "1")
ok(b.returncode == 2, f"sechk batch exit {b.returncode} (hostile files expected: 2)")
with open(os.path.join(batch, "summary.csv"), encoding="utf-8-sig", newline="") as f:
    cli_summary = list(csv.reader(f))
hdr = cli_summary[0]
col_file, col_verdict = 0, hdr.index("判定") if "判定" in hdr else 3
cli_verdict = {strip_dir(r[col_file], "."): r[col_verdict] for r in cli_summary[1:]}
# batch's one line per unreadable file: "sechk: ./NAME: reason"
cli_reason = {}
for line in b.stderr.decode().splitlines():
    if line.startswith("sechk: ./") and line.count(": ") >= 2:
        head, _, reason = line[len("sechk: ./"):].partition(": ")
        cli_reason[head] = reason

for name in inputs:
    row = rows.get(name)
    if not ok(row is not None, f"{name}: no row"):
        continue
    stem = name[: -len(".xlsx")]
    chk = cli("check", name, "-f", "json")
    if chk.returncode == 2:
        # a hostile file: a one-line Japanese error naming the CLI's reason
        err = row["cells"][4]
        reason = cli_reason.get(name, "?")
        ok(row["status"] == 2, f"{name}: status {row['status']}, expected 2 (unreadable)")
        ok(row["cells"][3] == "読み込めません", f"{name}: verdict {row['cells'][3]!r}")
        ok(err == "読み込めません: " + reason and "\n" not in err, f"{name}: error {err!r} vs sechk batch's {reason!r}")
        ok(not os.path.exists(os.path.join(DL, stem + ".json")), f"{name}: JSON downloaded for an unreadable file")
        continue
    ok(row["status"] == chk.returncode, f"{name}: status {row['status']} vs sechk check exit {chk.returncode}")
    ok(row["cells"][3] == cli_verdict.get(name), f"{name}: verdict {row['cells'][3]!r} vs CLI {cli_verdict.get(name)!r}")
    # JSON and CSV byte for byte (the CLI run from the inputs' folder gives the same source path)
    ext = cli("extract", name)
    with open(os.path.join(DL, stem + ".json"), "rb") as f:
        page_json = f.read()
    ok(page_json == ext.stdout, f"{name}: JSON differs from sechk extract")
    with open(os.path.join(batch, stem + ".json"), "rb") as f:
        batch_json = f.read().replace(b'"path": "./', b'"path": "', 1)
        ok(page_json == batch_json, f"{name}: JSON differs from sechk batch's (apart from the source path)")
    ext_csv = cli("extract", name, "-f", "csv")
    with open(os.path.join(DL, stem + ".csv"), "rb") as f:
        ok(f.read() == ext_csv.stdout, f"{name}: CSV differs from sechk extract -f csv")
    # the review workbook, read back: the same as `sechk review` with the file's time
    mtime = int(os.stat(os.path.join(INDIR, name)).st_mtime)
    cli_review = os.path.join(WORK, stem + ".review.xlsx")
    r = cli("review", name, "-o", cli_review, env={"SOURCE_DATE_EPOCH": str(mtime)})
    ok(r.returncode in (0, 1), f"{name}: sechk review exit {r.returncode}")
    pv, cv = values(os.path.join(DL, stem + ".review.xlsx")), values(cli_review)
    ok(pv == cv, f"{name}: review workbook differs from sechk review's: "
       f"{[x for x in pv if x not in cv][:3]} / {[x for x in cv if x not in pv][:3]}")

# ---- the batch: summary.xlsx, summary.csv, the .zip ----
sv, cv = values(os.path.join(DL, "summary.xlsx")), values(os.path.join(batch, "summary.xlsx"))
norm = lambda vs: [tuple(strip_dir(x, ".") if isinstance(x, str) else x for x in v) for v in vs]
ok([x for x in sv if x[0] == "sheet"] == [x for x in cv if x[0] == "sheet"], "summary.xlsx sheet names differ")
ok(norm(sv) == norm(cv), f"summary.xlsx differs from sechk batch's: "
   f"{[x for x in norm(sv) if x not in norm(cv)][:3]} / {[x for x in norm(cv) if x not in norm(sv)][:3]}")
with open(os.path.join(DL, "summary.csv"), encoding="utf-8-sig", newline="") as f:
    page_summary = list(csv.reader(f))
ok([[strip_dir(c, ".") for c in r] for r in page_summary] == [[strip_dir(c, ".") for c in r] for r in cli_summary],
   "summary.csv differs from sechk batch's")
with zipfile.ZipFile(os.path.join(DL, "sechk-batch.zip")) as z:
    ok(z.testzip() is None, "the .zip fails its CRC check")
    names = sorted(z.namelist())
    with z.open("summary.csv") as f:
        ok(f.read() == open(os.path.join(DL, "summary.csv"), "rb").read(), "summary.csv in the .zip differs")
# .sechk.lock: the CLI's lock on its output folder (docs/security.md), not an output
cli_names = sorted(os.path.relpath(os.path.join(d, n), batch) for d, _, ns in os.walk(batch) for n in ns
                   if n != ".sechk.lock")
ok(names == cli_names, f"zip list {names} != sechk batch's {cli_names}")

# ---- findings on click ----
ok(res.get("detail") and ("No." in res["detail"] or "指摘事項はありません" in res["detail"]),
   f"no findings shown on click: {res.get('detail')!r}")

# ---- the blank template, as `sechk template` makes it ----
tpl = os.path.join(WORK, "blank.xlsx")
t = cli("template", "-o", tpl, "--project", "テスト事業", "--service", "テストクラウド", "--date", "2026-04-01")
ok(t.returncode == 0, f"sechk template exit {t.returncode}")
ok(values(os.path.join(DL, "checklist-テストクラウド.xlsx")) == values(tpl), "blank template differs from sechk template's")

# ---- the English switch ----
ok(res.get("english_header", "").startswith("File Service Phase Verdict"), f"English header: {res.get('english_header')!r}")
en_verdicts = {"unreadable", "needs fixing", "to confirm", "no problems"}
b_en = cli("batch", ".", "-o", os.path.join(WORK, "batch-en"), "-j", "1", "--lang", "en")
with open(os.path.join(WORK, "batch-en", "summary.csv"), encoding="utf-8-sig", newline="") as f:
    en = list(csv.reader(f))
en_by = {strip_dir(r[0], "."): r[3] for r in en[1:]}
ok(res.get("english_rows") == [en_by.get(r["file"]) for r in res["rows"]],
   f"English verdicts {res.get('english_rows')} vs CLI {[en_by.get(r['file']) for r in res['rows']]}")

# ---- a drop, with the phase chosen ----
dropped = res.get("dropped") or []
ok([d["file"] for d in dropped] == ["deficient.xlsx", "operation.xlsx"], f"dropped rows: {dropped}")
for d in dropped:
    c = cli("check", d["file"], "--phase", "operation")
    ok(d["status"] == c.returncode and d["phase"] == "operation", f"dropped {d} vs sechk check --phase operation exit {c.returncode}")

# ---- a folder picked: the same names and skips as sechk batch on that folder ----
folder = os.environ.get("FOLDER")
if folder:
    fb = os.path.join(WORK, "batch-folder")
    r = cli("batch", folder, "-o", fb, "-j", "1")
    with open(os.path.join(fb, "summary.csv"), encoding="utf-8-sig", newline="") as f:
        files = [strip_dir(row[0], folder) for row in list(csv.reader(f))[1:]]
    ok(res.get("folder_rows") == files, f"folder rows {res.get('folder_rows')} vs sechk batch's {files}")
    ok("3 skipped" in (res.get("folder_progress") or ""), f"folder skips (the page is in English by now): {res.get('folder_progress')!r}")
    ok("スキップ 3 件" in r.stderr.decode(), f"sechk batch skips: {r.stderr.decode()!r}")
    with zipfile.ZipFile(os.path.join(DL, "sechk-batch-folder.zip")) as z:
        names = sorted(z.namelist())
    want = sorted(os.path.relpath(os.path.join(d, n), fb) for d, _, ns in os.walk(fb) for n in ns if n != ".sechk.lock")
    ok(names == want, f"folder zip {names} vs sechk batch's {want}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
