"""Reads a review workbook written by `sechk review` with openpyxl and checks it
against `sechk check -f json` of its source and against the source itself.

Usage: check_review.py REVIEW.xlsx SOURCE.xlsx CHECK.json EXTRACT_SRC.json EXTRACT_REVIEW.json LANG [EPOCH]

  CHECK.json          sechk check -f json [--lang LANG] SOURCE.xlsx (same phase as the review)
  EXTRACT_SRC.json    sechk extract SOURCE.xlsx
  EXTRACT_REVIEW.json sechk extract REVIEW.xlsx (review of a review: same answers)
  EPOCH               SOURCE_DATE_EPOCH the review was made with (its created time)

Prints one line per failed check and exits 1 if any failed.
"""
import collections
import datetime
import json
import os
import re
import sys
import zipfile

import openpyxl
from openpyxl.utils import get_column_letter

from template_expect import load

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

review_path, source_path, check_path, ext_src_path, ext_rev_path, lang = sys.argv[1:7]
epoch = int(sys.argv[7]) if len(sys.argv) > 7 else None
en = lang == "en"
check = json.load(open(check_path, encoding="utf-8"))
ext_src = json.load(open(ext_src_path, encoding="utf-8"))
ext_rev = json.load(open(ext_rev_path, encoding="utf-8"))
tpl = load(os.path.join(ROOT, "templates", "default.xml"))
wb = openpyxl.load_workbook(review_path)
errors = []


def fail(msg):
    errors.append(msg)


def expect(cond, msg):
    if not cond:
        fail(msg)


# the same tables as src/output/review.c and src/checklist/answers.c
# the checklist sheet is named after the form's title (<title> of the template)
SHEETS = ["Summary", "Checklist", "Findings"] if en else ["サマリー", "セキュリティチェックリスト", "指摘事項"]
STATUS = (
    {"ok": "conforming", "nonconforming": "non-conforming", "deficient": "deficient", "review": "to review",
     "unanswered": "unanswered", "not-due": "not due"}
    if en else
    {"ok": "適合", "nonconforming": "不適合", "deficient": "不備", "review": "要確認", "unanswered": "未回答",
     "not-due": "対象外"}
)
SEVERITY = ({"error": "error", "warning": "warning", "info": "info"} if en
            else {"error": "エラー", "warning": "警告", "info": "情報"})
RANK = {"info": 1, "warning": 2, "error": 3}
FILL = {"error": "FFFFC7CE", "warning": "FFFFEB9C", "info": "FFDDEBF7", "not-due": "FFEDEDED", None: None}
FIND_HEAD = (["No.", "Column", "Cell", "Severity", "Finding", "What to correct", "Answerer's comment", "Code"] if en
             else ["No.", "回答欄", "セル", "重要度", "指摘内容", "修正のお願い", "回答者コメント", "参照コード"])
LETTER = (["To", "Project", "Service", "Issued", "From", "Reply by"] if en
          else ["宛先", "事業名", "利用する外部サービス", "発行日", "差出人", "回答期限"])
SECTIONS = ({"provider": "For the service provider", "contractor": "For the contractor", None: "For the item as a whole"}
            if en else {"provider": "外部サービス提供者への指摘", "contractor": "受託者への指摘", None: "項目全体への指摘"})
PAPER = os.environ.get("REVIEW_PAPER", "8")  # A3 by default; --paper a4: 9
FONT = "ＭＳ Ｐゴシック"


def fill_of(cell):
    f = cell.fill
    if f is None or f.fill_type in (None, "none"):
        return None
    return f.fgColor.rgb


def clean(s):
    return (s or "").replace("_x000D_", "").replace("\r", "")


# ---------------------------------------------------------------- sheets, properties, print setup
expect(wb.sheetnames == SHEETS, f"sheet names {wb.sheetnames}, want {SHEETS}")
if wb.sheetnames != SHEETS:
    print("\n".join(errors))
    sys.exit(1)
summary, checklist, findings = (wb[n] for n in SHEETS)
src_name = os.path.basename(source_path)
props = wb.properties
expect(src_name in (props.subject or "") and src_name in (props.description or ""),
       f"document properties do not name the source: {props.subject!r} {props.description!r}")
if epoch is not None:
    want = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).replace(tzinfo=None)
    expect(props.created == want, f"created {props.created}, want {want} (SOURCE_DATE_EPOCH)")
for ws in (summary, checklist, findings):
    expect(str(ws.page_setup.paperSize) == PAPER, f"{ws.title}: paper {ws.page_setup.paperSize}, want {PAPER}")
    expect(ws.oddHeader.left.text and "&P" in (ws.oddFooter.center.text or ""),
           f"{ws.title}: header {ws.oddHeader.left.text!r} / footer {ws.oddFooter.center.text!r}")
    expect(ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage,
           f"{ws.title}: not fit to page")
    expect(ws.page_setup.fitToWidth in (None, 1, "1") and ws.page_setup.fitToHeight in (0, "0"),
           f"{ws.title}: fit {ws.page_setup.fitToWidth}x{ws.page_setup.fitToHeight}, want 1 wide")
    expect(ws.print_title_rows, f"{ws.title}: no repeated header rows")
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    expect(fonts == {FONT}, f"{ws.title}: fonts {fonts}")
expect(checklist.page_setup.orientation == "landscape", "checklist not landscape")
expect(findings.page_setup.orientation == "landscape", "findings not landscape")

# ---------------------------------------------------------------- the checklist sheet
head_row = prov_col = cont_col = status_col = None
for row in checklist.iter_rows(min_row=1, max_row=20):
    for c in row:
        v = c.value if isinstance(c.value, str) else ""
        if v.startswith(tpl["columns"]["provider"].split("\n")[0]):
            head_row, prov_col = c.row, c.column
        elif v.startswith(tpl["columns"]["contractor"].split("\n")[0]):
            cont_col = c.column
        elif v == ("Status" if en else "判定"):
            status_col = c.column
if not (head_row and prov_col and cont_col and status_col):
    fail(f"checklist header not found ({head_row}, {prov_col}, {cont_col}, {status_col})")
    print("\n".join(errors))
    sys.exit(1)
item_row = {}
for r in range(head_row + 1, checklist.max_row + 1):
    v = checklist.cell(row=r, column=1).value
    if isinstance(v, (int, float)) and int(v) not in item_row:
        item_row[int(v)] = r
expect(sorted(item_row) == [it["no"] for it in check["items"]], f"item rows {sorted(item_row)}")
party_col = {"provider": prov_col, "contractor": cont_col, None: status_col}
src_items = {it["no"]: it for it in ext_src["items"]}


def target(no, column):
    """The review cell a finding belongs to: its answer cell, or the 判定 cell for the item."""
    return f"{get_column_letter(party_col[column])}{item_row[no]}"


src_wb = openpyxl.load_workbook(source_path)
src_ws = src_wb[ext_src["source"]["sheet"]]
for it in check["items"]:
    no = it["no"]
    if no not in item_row:
        continue
    r = item_row[no]
    expect(checklist.cell(row=r, column=status_col).value == STATUS[it["status"]],
           f"No.{no}: 判定 {checklist.cell(row=r, column=status_col).value!r}, want {STATUS[it['status']]!r}")
    for column in ("provider", "contractor", None):
        fs = [f for f in it["findings"] if f["column"] == column]
        cell = checklist.cell(row=r, column=party_col[column])
        if column is not None:
            worst = max((f["severity"] for f in fs), key=RANK.get, default=None)
            if worst is None and it["status"] == "not-due":
                worst = "not-due"
            expect(fill_of(cell) == FILL[worst],
                   f"No.{no} {column} {cell.coordinate}: fill {fill_of(cell)}, want {FILL[worst]} ({worst})")
        expect((cell.comment is not None) == bool(fs),
               f"No.{no} {column} {cell.coordinate}: comment {'present' if cell.comment else 'missing'}, "
               f"{len(fs)} findings")
        if cell.comment is not None:
            text = cell.comment.text
            for f in fs:
                expect(f["message"] in text, f"No.{no} {cell.coordinate}: comment lacks {f['message'][:40]}")
            # no internal codes on screen: 【エラー】 and the finding's own words
            expect(not re.match(r"【[^】]*】[a-z]", text) and not any(
                re.search(r"】" + re.escape(f["code"]), text) for f in fs),
                f"No.{no} {cell.coordinate}: comment begins with a code: {text[:40]!r}")
        # text the answerer altered is kept as written; the comment quotes the template
        cj = it["cells"].get(column) if column else None
        if cj and cj["altered"]:
            src_text = clean(src_ws[src_items[no]["cells"][column]["ref"]].value)
            expect(clean(cell.value) == src_text, f"No.{no} {cell.coordinate}: altered text not kept as written")
            expect(cell.comment is not None and ("原文" in cell.comment.text or "original" in cell.comment.text
                                                 or "Template text" in cell.comment.text),
                   f"No.{no} {cell.coordinate}: altered cell without the template's original in its comment")

# ---------------------------------------------------------------- the printed 指摘 column of the checklist
note_col = status_col + 1
expect(checklist.cell(row=head_row, column=note_col).value == ("Findings" if en else "指摘"),
       f"checklist: no 指摘 column beside 判定 ({checklist.cell(row=head_row, column=note_col).value!r})")
for it in check["items"]:
    if it["no"] not in item_row:
        continue
    note = checklist.cell(row=item_row[it["no"]], column=note_col).value or ""
    for f in it["findings"]:
        if f["severity"] == "info":
            continue
        first = f["message"] if en else f["message"].split("。")[0]
        expect(first[:60] in note, f"No.{it['no']}: 指摘 column lacks {first[:40]!r}")
    if not [f for f in it["findings"] if f["severity"] != "info"]:
        expect(note == "", f"No.{it['no']}: 指摘 column {note[:40]!r} without findings")

# ---------------------------------------------------------------- the findings sheet
n_findings = sum(len(it["findings"]) for it in check["items"])
# the letter head: labels in column A from row 3, in order
got_letter = [findings.cell(row=r, column=1).value for r in range(3, 3 + len(LETTER))]
expect(got_letter == LETTER, f"findings: letter head {got_letter}, want {LETTER}")
if epoch is not None and not en:
    d = datetime.datetime.fromtimestamp(epoch)
    issued = findings.cell(row=3 + LETTER.index("発行日"), column=4).value
    expect(issued == f"{d.year}年{d.month}月{d.day}日", f"findings: 発行日 {issued!r}")
service = findings.cell(row=3 + 2, column=4).value
expect((service or "") == (ext_src["document"].get("service") or ""), f"findings: service {service!r}")
texts = [c.value for row in findings.iter_rows() for c in row if isinstance(c.value, str)]
n_to_fix = sum(f["severity"] != "info" for it in check["items"] for f in it["findings"])
resubmit = "submit the checklist" if en else "再提出してください"
if n_findings == 0:
    expect(("No findings." if en else "指摘事項はありません。") in texts, "findings: no 「指摘事項はありません」")
if n_to_fix == 0:
    expect(not any(resubmit in t for t in texts), "findings: a clean file is asked to resubmit")
else:
    expect(any(resubmit in t for t in texts), "findings: no request to resubmit")
heads = [r for r in range(1, findings.max_row + 1)
         if [findings.cell(row=r, column=c).value for c in range(1, 9)] == FIND_HEAD]
if n_findings and not heads:
    fail("findings: header row not found")
elif heads:
    fhead = heads[0]
    expect(fhead <= 20, f"findings: first header on row {fhead} (the reader looks in the first 20)")
    expect(findings.print_title_rows == f"${fhead}:${fhead}", f"findings: print titles {findings.print_title_rows}")
    expect(findings.column_dimensions["H"].width <= 12, "findings: 参照コード column not narrow")
    want = collections.Counter()
    for it in check["items"]:
        for f in it["findings"]:
            want[(it["no"], f["column"], f["severity"], f["code"], f["message"])] += 1
    got = collections.Counter()
    last_no = 0
    col_names = ({"provider": "provider", "contractor": "contractor", None: "item"} if en
                 else {"provider": "提供者", "contractor": "受託者", None: "項目"})
    col_of = {v: k for k, v in col_names.items()}
    sev_of = {v: k for k, v in SEVERITY.items()}
    links = {h.ref: h for h in findings._hyperlinks}
    section = None
    seen_sections = set()
    for r in range(fhead - 1, findings.max_row + 1):
        first = findings.cell(row=r, column=1).value
        if isinstance(first, str) and any(first.startswith(t) for t in SECTIONS.values()):
            section = next(k for k, t in SECTIONS.items() if first.startswith(t))
            seen_sections.add(section)
            last_no = 0
            continue
        vals = [findings.cell(row=r, column=c).value for c in range(1, 9)]
        if not isinstance(vals[0], (int, float)):
            continue
        no = int(vals[0])
        expect(no >= last_no, f"findings row {r}: No.{no} after No.{last_no} (not sorted by item)")
        last_no = no
        column = col_of.get(vals[1], "?")
        expect(column == section, f"findings row {r}: a {column} finding in the {section} section")
        key = (no, column, sev_of.get(vals[3], "?"), vals[7], vals[4])
        got[key] += 1
        expect(vals[5], f"findings row {r}: no request (what to correct)")
        expect(vals[6] in (None, ""), f"findings row {r}: 回答者コメント not empty")
        expect(isinstance(vals[7], str) and re.fullmatch(r"[a-z-]+", vals[7]), f"findings row {r}: code {vals[7]!r}")
        expect(en or not re.search(r"[a-z]+-[a-z]+", str(vals[4]) + str(vals[5])), f"findings row {r}: a code in the text")
        # one wording: where the finding asks for the reason, the request names the same field (or none)
        m = re.search(r"理由を「([^」]+)」に記入", str(vals[4]))
        if m:
            other = re.findall(r"理由を「([^」]+)」|理由を([^、。「」]{1,8})欄", str(vals[5]))
            expect(all(x[0] == m.group(1) or x[1] == m.group(1) for x in other),
                   f"findings row {r}: 指摘内容 asks for the reason in 「{m.group(1)}」, 修正のお願い elsewhere: {vals[5]!r}")
        cell = findings.cell(row=r, column=3)
        link = cell.hyperlink or links.get(cell.coordinate)
        if column == "?" or no not in item_row:
            fail(f"findings row {r}: bad column {vals[1]!r} or item {no}")
            continue
        want_loc = f"'{SHEETS[1]}'!{target(no, column)}"
        expect(link is not None and link.location == want_loc,
               f"findings row {r}: link {link.location if link else None!r}, want {want_loc!r}")
        expect(str(vals[2]).startswith(target(no, column)), f"findings row {r}: cell {vals[2]!r}")
        # the link's target exists and holds the answer (or the item's status)
        tcell = checklist[target(no, column)]
        expect(tcell.value not in (None, ""), f"findings row {r}: link target {tcell.coordinate} is empty")
    expect(got == want, "findings sheet differs from check -f json:\n  missing: "
           + repr(list((want - got).elements())[:5]) + "\n  extra: " + repr(list((got - want).elements())[:5]))
    want_sections = {f["column"] for it in check["items"] for f in it["findings"]}
    expect(seen_sections == want_sections, f"findings: sections {seen_sections}, want {want_sections}")

# ---------------------------------------------------------------- the summary sheet
labels = {}
for row in summary.iter_rows():
    for c in row:
        if isinstance(c.value, str):
            labels.setdefault((c.column, c.value), c.row)
cnt = check["summary"]
for key, label in STATUS.items():
    r = labels.get((1, label))
    got_n = summary.cell(row=r, column=3).value if r else None
    expect(got_n == cnt[key], f"summary: {label} {got_n!r}, want {cnt[key]}")
for key in ("errors", "warnings"):
    label = SEVERITY[key[:-1]]
    r = labels.get((5, label))
    got_n = summary.cell(row=r, column=7).value if r else None
    expect(got_n == cnt[key], f"summary: {label} {got_n!r}, want {cnt[key]}")
texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
expect(src_name in texts, "summary: source file name missing")
expect(check["source"]["sha256"] in texts, "summary: sha256 missing")
phase_label = dict(tpl["phases"])[check["phase"]] if not en else None
if phase_label:
    expect(any(t.startswith(phase_label) for t in texts), f"summary: phase {phase_label} missing")
# per-item table: No., status label, findings count
per_item = {}
for r in range(1, summary.max_row + 1):
    v = summary.cell(row=r, column=1).value
    if isinstance(v, str) and v.isdigit() and summary.cell(row=r, column=4).value in STATUS.values():
        per_item[int(v)] = r
for it in check["items"]:
    r = per_item.get(it["no"])
    if not r:
        fail(f"summary: no row for item {it['no']}")
        continue
    expect(summary.cell(row=r, column=4).value == STATUS[it["status"]], f"summary: No.{it['no']} status")
    n = summary.cell(row=r, column=5).value
    expect(str(n) == str(len(it["findings"])), f"summary: No.{it['no']} findings {n!r}, want {len(it['findings'])}")
expect(len(summary._charts) == 1, f"summary: {len(summary._charts)} charts")
with zipfile.ZipFile(review_path) as z:
    names = z.namelist()
    expect("xl/charts/chart1.xml" in names, "no xl/charts/chart1.xml in the package")
    if "xl/charts/chart1.xml" in names:
        xml = z.read("xl/charts/chart1.xml").decode()
        m = re.search(r"<c:cat>.*?<c:f>([^<]*)</c:f>", xml, re.S)
        expect(m and SHEETS[0] in m.group(1), f"chart categories {m.group(1) if m else None}")

# ---------------------------------------------------------------- review of a review
def answers(doc):
    out = {}
    for it in doc["items"]:
        if src_items[it["no"]]["row"] is None:
            continue  # not in the source: the review prints the item blank
        for column, c in it["cells"].items():
            out[(it["no"], column)] = None if c is None else (
                [(o["id"], o["checked"]) for o in c["options"]], [(f["id"], f["value"]) for f in c["fields"]])
    return out


expect(ext_rev["document"] == ext_src["document"], f"review document {ext_rev['document']} != {ext_src['document']}")
a, b = answers(ext_src), answers(ext_rev)
for k in a:
    expect(a[k] == b.get(k), f"review of a review: No.{k[0]} {k[1]} differs: {a[k]} != {b.get(k)}")

if errors:
    print("\n".join(errors))
    sys.exit(1)
