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
