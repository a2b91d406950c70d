"""Reads a blank checklist written by `sechk template` with openpyxl and checks
every cell against the template file.  Usage: check_template.py OUT.xlsx TEMPLATE.xml PROJECT SERVICE DATE_JA"""
import sys

import openpyxl

from template_expect import load

path, tpl_path, project, service, date_ja = sys.argv[1:6]
paper = sys.argv[6] if len(sys.argv) > 6 else "8"  # A3 by default; --paper a4: 9
t = load(tpl_path)
wb = openpyxl.load_workbook(path)
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


# the sheet is named after the form's own title
check(wb.sheetnames == [t["title"]], f"sheet names {wb.sheetnames}, want {[t['title']]}")
ws = wb.worksheets[0]
check(ws["A1"].value == t["title"], f"A1 {ws['A1'].value!r}")
check(ws["A3"].value == "事業名" and ws["F3"].value == project, f"project {ws['A3'].value!r} {ws['F3'].value!r}")
check(ws["A4"].value == t["fields"]["service"][0] and ws["F4"].value == service, f"service {ws['F4'].value!r}")
check(ws["J3"].value == f"作成日：{date_ja}", f"J3 {ws['J3'].value!r}")
check(ws["J4"].value == f"更新日：{date_ja}", f"J4 {ws['J4'].value!r}")

merged = {str(r) for r in ws.merged_cells.ranges}
for rng in ["A1:J1", "A7:A8", "B7:E7", "F7:F8", "G7:G8", "H7:H8", "I7:I8", "J7:J8"]:
    check(rng in merged, f"merged range {rng} missing ({sorted(merged)})")
check(ws["A7"].value == t["columns"]["no"], "No. header")
check(ws["B7"].value == t["columns"]["lifecycle"], "lifecycle header")
for i, (pid, label) in enumerate(t["phases"]):
    cell = ws.cell(row=8, column=2 + i)
    check(cell.value == label, f"phase header {cell.coordinate} {cell.value!r}")
for col, cid in zip("FGHIJ", ["requirement", "level", "provider", "contractor", "evidence"]):
    check(ws[f"{col}7"].value == t["columns"][cid], f"{col}7 header")

phase_ids = [p for p, _ in t["phases"]]
check(len(t["items"]) == 36, "36 items in the template")
for k, it in enumerate(t["items"]):
    r = 9 + k
    check(ws.cell(row=r, column=1).value == it["no"], f"A{r} {ws.cell(row=r, column=1).value!r}")
    for i, pid in enumerate(phase_ids):
        want = "－" if it["lifecycle"] == "all" else ("〇" if it["lifecycle"] == pid else None)
        got = ws.cell(row=r, column=2 + i).value
        check(got == want, f"lifecycle mark row {r} col {2 + i}: {got!r} want {want!r}")
    check(ws[f"F{r}"].value == it["requirement"], f"F{r} requirement differs")
    check(ws[f"G{r}"].value == t["levels"][it["level"]], f"G{r} level")
    check(ws[f"H{r}"].value == it["provider"], f"H{r} provider text differs")
    check(ws[f"I{r}"].value == it["contractor"], f"I{r} contractor text differs")
    check(ws[f"J{r}"].value == ("〇" if it["evidence"] else None), f"J{r} evidence")
    check(ws[f"H{r}"].alignment.wrap_text, f"H{r} not wrapped")
    check(ws.row_dimensions[r].height and ws.row_dimensions[r].height >= 30, f"row {r} height")

check(ws.freeze_panes == "A9", f"freeze panes {ws.freeze_panes}")
check(ws.page_setup.orientation == "landscape", "landscape")
check(str(ws.page_setup.paperSize) == paper, f"paper {ws.page_setup.paperSize}, want {paper}")
check("&F" in (ws.oddHeader.left.text or "") and "&P" in (ws.oddFooter.center.text or "")
      and "&N" in (ws.oddFooter.center.text or ""),
      f"header {ws.oddHeader.left.text!r} / footer {ws.oddFooter.center.text!r}: want the file and page numbers")
check(ws.sheet_properties.pageSetUpPr.fitToPage, "fit to page")
check(ws.page_setup.fitToWidth in (None, 1, "1"), f"fitToWidth {ws.page_setup.fitToWidth}")
check(ws.page_setup.fitToHeight in (0, "0"), f"fitToHeight {ws.page_setup.fitToHeight}")
check(ws.print_title_rows in ("$7:$8", "7:8"), f"print titles {ws.print_title_rows}")
check("ゴシック" in (ws["H9"].font.name or ""), f"font {ws['H9'].font.name}")
p = wb.properties
check(p.title == t["title"], f"title property {p.title!r}")
check(p.creator == "sechk", f"creator {p.creator!r}")
check(project in (p.subject or ""), f"subject {p.subject!r}")

if errors:
    for e in errors[:30]:
        print("  " + e)
    sys.exit(1)
print(f"check_template: {len(t['items'])} items ok")
