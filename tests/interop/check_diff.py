#!/usr/bin/python3
"""Interop checks of `sechk diff` with openpyxl (tests/interop/test_diff.sh).

    check_diff.py return REVIEW.xlsx OUT.xlsx
        writes a review copy "returned by the vendor": replies in 回答者コメント for three
        findings, and two answers corrected on the checklist sheet (No.2 provider 適合,
        No.10 contractor 確認済み)
    check_diff.py book DIFF.xlsx DIFF.json
        reads the comparison workbook back: the 変更点 sheet has one row per change of the
        JSON, with a link to its checklist cell; changed answer cells have their own fill
        (divergence a second one), and a comment that gives the previous answer
"""
import json
import sys

import openpyxl

# the same as SK_DIFF_FILL_* in include/sechk/diffbook.h
FILL_CHANGED = "FFBDD7EE"
FILL_DIVERGENCE = "FFF8CBAD"

REPLIES = {
    (2, "提供者", "unanswered"): "適合に修正しました。",
    (10, "受託者", "unconfirmed"): "確認済みにチェックしました。",
    (4, "提供者", "nonconforming"): "親会社は米国法人ですが、データは国内リージョンに限定します。県と協議させてください。",
}


def make_return(src, dst):
    wb = openpyxl.load_workbook(src)
    cl = wb["セキュリティチェックリスト"]
    assert "□適合" in cl["H10"].value and "□確認済み" in cl["I18"].value
    cl["H10"] = cl["H10"].value.replace("□適合", "■適合", 1)
    cl["I18"] = cl["I18"].value.replace("□確認済み", "■確認済み", 1)
    ws = wb["指摘事項"]
    n = 0
    col = None
    for row in ws.iter_rows():
        if row[0].value == "No.":  # a section's header row: the columns by name
            col = {c.value: k for k, c in enumerate(row) if c.value}
            continue
        if col is None:
            continue
        key = (row[0].value, row[1].value, row[col["参照コード"]].value)
        if key in REPLIES:
            row[col["回答者コメント"]].value = REPLIES[key]
            n += 1
    assert n == 3, n
    wb.save(dst)


def check_book(path, diff_json):
    d = json.load(open(diff_json, encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    errors = []
    if wb.sheetnames != ["変更点", "セキュリティチェックリスト"]:
        errors.append("sheets %r" % wb.sheetnames)
    ws = wb["変更点"]
    head = None
    for row in ws.iter_rows(min_row=1, max_row=30):
        if [c.value for c in row[:8]] == ["No.", "回答欄", "セル", "種類", "選択肢・記入欄", "前回", "今回", "乖離"]:
            head = row[0].row
            break
    if head is None:
        errors.append("no header row of the changes")
        return errors
    rows = []
    r = head + 1
    while ws.cell(r, 1).value is not None and isinstance(ws.cell(r, 1).value, (int, float)):
        rows.append(r)
        r += 1
    if len(rows) != len(d["changes"]):
        errors.append("%d change rows, JSON has %d" % (len(rows), len(d["changes"])))
    cl = wb["セキュリティチェックリスト"]
    for r, c in zip(rows, d["changes"]):
        if ws.cell(r, 1).value != c["no"]:
            errors.append("row %d: No. %r, want %r" % (r, ws.cell(r, 1).value, c["no"]))
        if (ws.cell(r, 8).value == "乖離") != c["divergence"]:
            errors.append("row %d: 乖離 cell %r" % (r, ws.cell(r, 8).value))
        if c["kind"] == "option":
            want = ("■" if c["before"] else "□", "■" if c["after"] else "□")
            if (ws.cell(r, 6).value, ws.cell(r, 7).value) != want:
                errors.append("row %d: %r" % (r, (ws.cell(r, 6).value, ws.cell(r, 7).value)))
        if c["cell"]:
            link = ws.cell(r, 3).hyperlink
            if link is None or link.location != "'セキュリティチェックリスト'!%s" % c["cell"]:
                errors.append("row %d: link %r" % (r, link and link.location))
            target = cl[c["cell"]]
            fill = target.fill.fgColor.rgb
            want = FILL_DIVERGENCE if any(x["divergence"] for x in d["changes"] if x["cell"] == c["cell"]) else FILL_CHANGED
            if fill != want:
                errors.append("%s: fill %r, want %r" % (c["cell"], fill, want))
            if target.comment is None or "前回の回答" not in target.comment.text:
                errors.append("%s: no comment with the previous answer" % c["cell"])
    # an unchanged answer cell keeps the plain format and has no comment
    changed = {c["cell"] for c in d["changes"] if c["cell"]}
    for ref in ("H9", "I9", "H11"):
        if ref not in changed and (cl[ref].fill.fgColor.rgb in (FILL_CHANGED, FILL_DIVERGENCE) or cl[ref].comment):
            errors.append("%s: unchanged but marked" % ref)
    # the findings table: every finding with its state and reply
    texts = [[c.value for c in row] for row in ws.iter_rows(min_row=r)]
    states = [t[2] for t in texts if t and t[2] in ("解消", "継続", "新規")]
    if len(states) != len(d["findings"]):
        errors.append("%d finding rows, JSON has %d" % (len(states), len(d["findings"])))
    replies = {t[6] for t in texts if t and len(t) > 6 and t[6]}
    for f in d["findings"]:
        if f["reply"] and f["reply"] not in replies:
            errors.append("reply %r not on the sheet" % f["reply"])
    return errors


def check_review(path, diff_json):
    """A review written with --previous: its extra sheet, summary row and columns."""
    d = json.load(open(diff_json, encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    errors = []
    if wb.sheetnames != ["サマリー", "セキュリティチェックリスト", "指摘事項", "前回との比較"]:
        errors.append("sheets %r" % wb.sheetnames)
    s = wb["サマリー"]
    rows = {r[0]: r[2] for r in s.iter_rows(min_row=1, max_row=30, values_only=True) if r[0]}
    want = "指摘: 解消 %d 件、継続 %d 件、新規 %d 件" % (d["summary"]["resolved"], d["summary"]["open"], d["summary"]["new"])
    if not (rows.get("前回との比較") or "").startswith(want):
        errors.append("summary: %r, want %r" % (rows.get("前回との比較"), want))
    f = wb["指摘事項"]
    got, head = [], None
    for r in f.iter_rows(values_only=True):
        if r[0] == "No.":
            head = [v for v in r if v]
            col = {v: k for k, v in enumerate(r) if v}
        elif head and isinstance(r[0], int):
            got.append((r[0], r[1], r[col["参照コード"]], r[col["前回比"]], r[col["前回の回答者コメント"]]))
    if not head or head[-3:] != ["前回比", "前回の回答者コメント", "参照コード"]:
        errors.append("findings head %r" % head)
    states = [g[3] for g in got]
    if states.count("継続") != d["summary"]["open"] or states.count("新規") != d["summary"]["new"]:
        errors.append("states %r" % states)
    label = {"provider": "提供者", "contractor": "受託者", "item": "項目"}
    want_rows = sorted((x["no"], label[x["column"]], x["code"], {"open": "継続", "new": "新規"}[x["state"]], x["reply"])
                       for x in d["findings"] if x["state"] != "resolved")
    if sorted(got) != want_rows:
        errors.append("findings rows differ from the diff: %r" % (set(got) ^ set(want_rows)))
    return errors


def main(argv):
    if argv[0] == "review":
        errors = check_review(argv[1], argv[2])
        for e in errors:
            print(e, file=sys.stderr)
        return 1 if errors else 0
    if argv[0] == "return":
        make_return(argv[1], argv[2])
        return 0
    if argv[0] == "book":
        errors = check_book(argv[1], argv[2])
        for e in errors:
            print(e, file=sys.stderr)
        return 1 if errors else 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
