# Interop: `sechk review` read back with openpyxl (sheets, findings and links,
# fills, comments, counts, chart, review of a review), the exit statuses, the
# input never overwritten, and LibreOffice converting the review to PDF.
. tests/e2e/lib.sh
EPOCH=1780000000
export SOURCE_DATE_EPOCH=$EPOCH

# review_one NAME SOURCE [LANG [PHASE]]: review SOURCE and check it with openpyxl.
review_one() {
    name=$1; src=$2; lang=${3:-ja}; phase=${4:-auto}
    set +e
    "$SECHK" review "$src" -o "$TMP/$name.review.xlsx" --lang "$lang" --phase "$phase" 2>"$TMP/$name.err"
    got=$?
    "$SECHK" check -f json --lang "$lang" --phase "$phase" "$src" >"$TMP/$name.check.json" 2>/dev/null
    want=$?
    set -e
    if [ "$got" -eq "$want" ] && [ -s "$TMP/$name.review.xlsx" ]; then ok "$name-exit"; else
        fail "$name-exit" "review exit $got, check exit $want: $(head -c 300 "$TMP/$name.err")"; return 0; fi
    if [ -s "$TMP/$name.err" ]; then fail "$name-stderr" "review printed: $(head -c 300 "$TMP/$name.err")"; fi
    "$SECHK" extract "$src" >"$TMP/$name.src.json"
    if ! "$SECHK" extract "$TMP/$name.review.xlsx" >"$TMP/$name.rev.json" 2>"$TMP/$name.err"; then
        fail "$name-reextract" "extract of the review failed: $(head -c 300 "$TMP/$name.err")"; return 0
    fi
    if PYTHONPATH=tests/interop "$PYTHON" tests/interop/check_review.py "$TMP/$name.review.xlsx" "$src" \
        "$TMP/$name.check.json" "$TMP/$name.src.json" "$TMP/$name.rev.json" "$lang" "$EPOCH"; then
        ok "$name-openpyxl"
    else
        fail "$name-openpyxl" "review of $src differs (above)"
    fi
}

"$SECHK" fill tests/fixtures/review-deficient.json -o "$TMP/deficient.xlsx"
"$SECHK" fill tests/fixtures/review-clean.json -o "$TMP/clean.xlsx"

# an answerer who edits more than the boxes: a cover sheet, fixed text
# reworded and deleted, a marker retyped
"$PYTHON" - "$TMP/deficient.xlsx" "$TMP/altered.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["セキュリティチェックリスト"]
h10 = ws["H10"].value          # No.2 provider: reword the instruction
assert "適合又は不適合" in h10, h10
ws["H10"].value = h10.replace("適合又は不適合", "適合か不適合")
i14 = ws["I14"].value          # No.6 contractor: delete a sentence, retype the marker
first = i14.split("\n")[0]
ws["I14"].value = i14.replace(first, first[:8]).replace("□確認済み", "☑確認済み")
h12 = ws["H12"].value          # No.4 provider, with errors: its warning comes first
assert "いずれかを回答すること。" in h12, h12
ws["H12"].value = h12.replace("いずれかを回答すること。", "いずれかを回答。")
wb.create_sheet("表紙", 0)["A1"] = "提出書類"
wb.save(sys.argv[2])
PY
# a deleted row (No.10): the rows below move up, their cells differ from the review's
"$PYTHON" - "$TMP/deficient.xlsx" "$TMP/missing.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["セキュリティチェックリスト"]
assert ws["A18"].value == 10
ws.delete_rows(18)
wb.save(sys.argv[2])
PY

review_one deficient "$TMP/deficient.xlsx"
review_one clean "$TMP/clean.xlsx"
review_one altered "$TMP/altered.xlsx"
review_one english "$TMP/deficient.xlsx" en
review_one phase "$TMP/deficient.xlsx" ja selection
review_one missing "$TMP/missing.xlsx"
if "$PYTHON" - "$TMP/altered.check.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
codes = {(it["no"], f["code"]) for it in d["items"] for f in it["findings"]}
sys.exit(0 if {(2, "text-altered"), (4, "text-altered"), (6, "text-altered")} <= codes else 1)
PY
then ok altered-findings; else fail altered-findings "the altered cells gave no text-altered findings"; fi
grep -q '"item-missing"' "$TMP/missing.check.json" && ok missing-finding || fail missing-finding "no item-missing"
# the checker itself can fail: the deficient review against the clean file's findings
if PYTHONPATH=tests/interop "$PYTHON" tests/interop/check_review.py "$TMP/deficient.review.xlsx" "$TMP/clean.xlsx" \
    "$TMP/clean.check.json" "$TMP/clean.src.json" "$TMP/clean.rev.json" ja "$EPOCH" >/dev/null; then
    fail checker-fails "check_review.py accepted a review against another file's findings"
else
    ok checker-fails
fi
for s in deficient conformant-selection excel-style development; do
    if [ -f "samples/$s.xlsx" ]; then review_one "sample-$s" "samples/$s.xlsx"; fi
done

# exit statuses
expect_status 1 exit-errors "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x1.xlsx"
expect_status 0 exit-clean "$SECHK" review "$TMP/clean.xlsx" -o "$TMP/x0.xlsx"
expect_status 2 exit-no-output "$SECHK" review "$TMP/clean.xlsx"
expect_status 2 exit-two-inputs "$SECHK" review "$TMP/clean.xlsx" "$TMP/deficient.xlsx" -o "$TMP/x2.xlsx"
expect_status 2 exit-bad-lang "$SECHK" review "$TMP/clean.xlsx" -o "$TMP/x2.xlsx" --lang fr
expect_status 2 exit-bad-phase "$SECHK" review "$TMP/clean.xlsx" -o "$TMP/x2.xlsx" --phase later
expect_status 2 exit-missing "$SECHK" review "$TMP/nothing.xlsx" -o "$TMP/x2.xlsx"
printf 'not a workbook\n' >"$TMP/text.xlsx"
expect_status 2 exit-unreadable "$SECHK" review "$TMP/text.xlsx" -o "$TMP/x2.xlsx"
grep -q "text.xlsx" "$TMP/err" && ok unreadable-names-file || fail unreadable-names-file "$(cat "$TMP/err")"
[ ! -e "$TMP/x2.xlsx" ] && ok no-output-on-failure || fail no-output-on-failure "x2.xlsx was written"
expect_status 2 exit-bad-epoch env SOURCE_DATE_EPOCH=yesterday "$SECHK" review "$TMP/clean.xlsx" -o "$TMP/x2.xlsx"
expect_status 0 help "$SECHK" review --help

# the input is never overwritten: as itself, through a symlink, a hard link
cp "$TMP/deficient.xlsx" "$TMP/in.xlsx"
before=$(sha256sum <"$TMP/in.xlsx")
ln -s "$TMP/in.xlsx" "$TMP/sym.xlsx"
ln "$TMP/in.xlsx" "$TMP/hard.xlsx"
expect_status 2 refuse-self "$SECHK" review "$TMP/in.xlsx" -o "$TMP/in.xlsx"
expect_status 2 refuse-symlink "$SECHK" review "$TMP/in.xlsx" -o "$TMP/sym.xlsx"
expect_status 2 refuse-hardlink "$SECHK" review "$TMP/sym.xlsx" -o "$TMP/hard.xlsx"
[ "$(sha256sum <"$TMP/in.xlsx")" = "$before" ] && ok input-intact || fail input-intact "the input changed"

# pinned time: two runs give the same bytes
"$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/p1.xlsx" || true
sleep 1
"$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/p2.xlsx" || true
cmp -s "$TMP/p1.xlsx" "$TMP/p2.xlsx" && ok reproducible || fail reproducible "outputs differ with SOURCE_DATE_EPOCH set"

# the letter head (再回答依頼): options, a settings file, one respondent, A4
"$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/letter.xlsx" --to "株式会社テスト" --from "○○県 デジタル推進課" \
    --deadline 2026-04-30 --project "電子申請システム更改事業" 2>/dev/null || true
printf '# 再回答依頼の頭書き\nto = 株式会社設定\n差出人=○○県 情報政策課\ndeadline=2026-05-15\nproject=設定の事業\nfor=provider\npaper=a4\n' \
    >"$TMP/letter.conf"
"$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/letter-p.xlsx" --settings "$TMP/letter.conf" --from "命令行の差出人" \
    2>/dev/null || true
"$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/letter-c.xlsx" --for contractor 2>/dev/null || true
"$SECHK" review "$TMP/clean.xlsx" -o "$TMP/letter-0.xlsx" --deadline 2026-04-30 2>/dev/null || true
if "$PYTHON" - "$TMP" <<'PY'
import sys, openpyxl
d = sys.argv[1]
bad = []
def head(path):
    ws = openpyxl.load_workbook(path)["指摘事項"]
    kv = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=4).value for r in range(3, 9)}
    firsts = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    sections = [v for v in firsts if isinstance(v, str) and v.endswith("件）") and "への指摘" in v]
    rows = [ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)
            if isinstance(ws.cell(row=r, column=1).value, int)]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    return ws, kv, sections, rows, texts
ws, kv, sections, rows, texts = head(f"{d}/letter.xlsx")
want = {"宛先": "株式会社テスト　御中", "事業名": "電子申請システム更改事業", "利用する外部サービス": "テストクラウド",
        "差出人": "○○県 デジタル推進課", "回答期限": "2026年4月30日"}
for k, v in want.items():
    if kv.get(k) != v: bad.append(f"letter: {k} {kv.get(k)!r}, want {v!r}")
if not any("2026年4月30日までに" in t for t in texts): bad.append("letter: the request does not give the deadline")
if [s.split("（")[0] for s in sections] != ["外部サービス提供者への指摘", "受託者への指摘"]: bad.append(f"letter: sections {sections}")
if str(ws.page_setup.paperSize) != "8" or ws.page_setup.orientation != "landscape": bad.append("letter: not A3 landscape")
cl = openpyxl.load_workbook(f"{d}/letter.xlsx")["セキュリティチェックリスト"]
if "電子申請システム更改事業" not in [c.value for row in cl.iter_rows(max_row=6) for c in row]: bad.append("checklist: no 事業名")
ws, kv, sections, rows, texts = head(f"{d}/letter-p.xlsx")
want = {"宛先": "株式会社設定　御中", "事業名": "設定の事業", "差出人": "命令行の差出人", "回答期限": "2026年5月15日"}
for k, v in want.items():
    if kv.get(k) != v: bad.append(f"settings: {k} {kv.get(k)!r}, want {v!r}")
if len(sections) != 1 or not sections[0].startswith("外部サービス提供者への指摘"): bad.append(f"--for provider: sections {sections}")
if not rows or set(rows) - {"提供者", "項目"}: bad.append(f"--for provider: rows of {set(rows)}")
for s in openpyxl.load_workbook(f"{d}/letter-p.xlsx").worksheets:
    if str(s.page_setup.paperSize) != "9": bad.append(f"paper=a4: {s.title} paper {s.page_setup.paperSize}")
ws, kv, sections, rows, texts = head(f"{d}/letter-c.xlsx")
if len(sections) != 1 or not sections[0].startswith("受託者への指摘") or set(rows) - {"受託者", "項目"}:
    bad.append(f"--for contractor: sections {sections}, rows {set(rows)}")
ws, kv, sections, rows, texts = head(f"{d}/letter-0.xlsx")
if "指摘事項はありません。" not in texts or sections or rows: bad.append("zero findings: not 「指摘事項はありません」 alone")
if any("再提出してください" in t for t in texts) or kv.get("回答期限") != "（再提出は不要です）":
    bad.append(f"zero findings: still asks to resubmit ({kv.get('回答期限')!r})")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
then ok letter-head; else fail letter-head "(above)"; fi
printf 'to=株式会社\nsubject=再回答\n' >"$TMP/bad.conf"
expect_status 2 settings-bad-key "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --settings "$TMP/bad.conf"
grep -q "bad.conf:2:" "$TMP/err" && ok settings-names-line || fail settings-names-line "$(cat "$TMP/err")"
printf 'deadline=4月末\n' >"$TMP/bad2.conf"
expect_status 2 settings-bad-date "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --settings "$TMP/bad2.conf"
grep -q "bad2.conf:1:" "$TMP/err" && ok settings-date-line || fail settings-date-line "$(cat "$TMP/err")"
printf 'to\n' >"$TMP/bad3.conf"
expect_status 2 settings-no-equals "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --settings "$TMP/bad3.conf"
expect_status 2 settings-missing "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --settings "$TMP/none.conf"
head -c 70000 /dev/zero | tr '\0' '#' >"$TMP/big.conf"
expect_status 2 settings-too-big "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --settings "$TMP/big.conf"
expect_status 2 bad-for "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --for everyone
expect_status 2 bad-paper "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --paper b4
expect_status 2 bad-deadline "$SECHK" review "$TMP/deficient.xlsx" -o "$TMP/x3.xlsx" --deadline 2026-02-30
[ ! -e "$TMP/x3.xlsx" ] && ok no-output-on-bad-letter || fail no-output-on-bad-letter "x3.xlsx was written"

# batch passes the letter on to every review copy
mkdir -p "$TMP/bin"
cp "$TMP/deficient.xlsx" "$TMP/bin/"
"$SECHK" batch "$TMP/bin" -o "$TMP/bout" -j 1 --to "株式会社バッチ" --for contractor --paper a4 >/dev/null 2>&1 || true
if "$PYTHON" - "$TMP/bout/deficient.review.xlsx" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["指摘事項"]
firsts = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
secs = [v for v in firsts if isinstance(v, str) and "への指摘" in v]
assert ws["D3"].value == "株式会社バッチ　御中", ws["D3"].value
assert len(secs) == 1 and secs[0].startswith("受託者への指摘"), secs
assert str(ws.page_setup.paperSize) == "9", ws.page_setup.paperSize
PY
then ok batch-letter; else fail batch-letter "batch did not pass the letter on"; fi
# every file read: no empty 読み込めないファイル sheet (it would print a blank page); every sheet print-ready
if "$PYTHON" - "$TMP/bout/summary.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["一覧", "項目別の判定", "指摘事項"], wb.sheetnames
for ws in wb.worksheets:
    assert str(ws.page_setup.paperSize) == "8" and ws.page_setup.orientation == "landscape", ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows, ws.title
    assert "&P" in ws.oddFooter.center.text and ws.oddHeader.left.text, ws.title
assert wb["一覧"]["A2"].value == "deficient.xlsx", wb["一覧"]["A2"].value
assert wb["項目別の判定"].freeze_panes == "B2", wb["項目別の判定"].freeze_panes
PY
then ok batch-summary-print; else fail batch-summary-print "summary.xlsx (above)"; fi
expect_status 2 batch-settings-bad "$SECHK" batch "$TMP/bin" -o "$TMP/bout2" --settings "$TMP/bad.conf"
grep -q "bad.conf:2:" "$TMP/err" && ok batch-settings-line || fail batch-settings-line "$(cat "$TMP/err")"

# LibreOffice converts the review to PDF, all three sheets printed
if [ "${SKIP_SOFFICE:-0}" != 1 ]; then
    if ! command -v soffice >/dev/null 2>&1; then
        fail soffice "soffice missing (make deps installs libreoffice-calc-nogui)"
    else
        cp "$TMP/deficient.review.xlsx" "$TMP/review.xlsx"
        HOME=$TMP timeout 180 soffice --headless --norestore -env:UserInstallation=file://$TMP/lo \
            --convert-to pdf --outdir "$TMP" "$TMP/review.xlsx" >"$TMP/lo.log" 2>&1 || true
        if [ -s "$TMP/review.pdf" ]; then ok pdf; else fail pdf "no PDF: $(cat "$TMP/lo.log")"; fi
        if command -v pdftotext >/dev/null 2>&1 && [ -s "$TMP/review.pdf" ]; then
            pdftotext "$TMP/review.pdf" "$TMP/review.txt"
            for want in "確認結果（サマリー）" "判定別の項目数" "セキュリティチェックリスト" "再回答のお願い" \
                "回答者コメント" "情報の流通経路全般"; do
                grep -q "$want" "$TMP/review.txt" && ok "pdf-$want" || fail "pdf-text" "\"$want\" not in the PDF"
            done
        fi
    fi
fi
finish
