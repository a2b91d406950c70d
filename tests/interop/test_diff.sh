# Interop of `sechk diff` (issue 19): a review copy returned by the vendor
# (written with openpyxl: replies in 回答者コメント, two answers corrected) read
# back as the corrected answers plus the replies; the comparison workbook read
# back with openpyxl (cells, fills, comments, links) and converted by
# LibreOffice.
. tests/e2e/lib.sh
C="$PYTHON tests/interop/check_diff.py"
A="$PYTHON tests/e2e/diff_cases.py assert"

SOURCE_DATE_EPOCH=1775000000 "$SECHK" review samples/deficient.xlsx -o "$TMP/review.xlsx" || true
if $C return "$TMP/review.xlsx" "$TMP/returned.xlsx" 2>"$TMP/err"; then ok returned-made; else fail returned-made "$(cat "$TMP/err")"; fi

# the returned copy against the original submission
expect_status 1 returned-status "$SECHK" diff samples/deficient.xlsx "$TMP/returned.xlsx" -f json -o "$TMP/diff.xlsx"
cp "$TMP/out" "$TMP/returned.json"
if "$PYTHON" tests/e2e/diff_cases.py validate docs/diff-v1.schema.json "$TMP/returned.json" 2>"$TMP/err"; then ok returned-schema; else
    fail returned-schema "$(tail -n 3 "$TMP/err")"
fi
if $A "$TMP/returned.json" \
    'd["new"]["review"] is True and d["new"]["replies"] == 3 and d["old"]["review"] is False' \
    '[(c["no"], c["column"], c["id"], c["before"], c["after"]) for c in d["changes"] if c["kind"] == "option"] == [(2, "provider", "conform", False, True), (10, "contractor", "confirmed", False, True)]' \
    'ch(2, "provider")[0]["divergence"] is True and ch(10, "contractor")[0]["divergence"] is False' \
    'fi(2, "provider", "unanswered")[0]["state"] == "resolved"' \
    'fi(2, "provider", "unanswered")[0]["reply"] == "適合に修正しました。"' \
    'fi(10, "contractor", "unconfirmed")[0]["state"] == "resolved"' \
    'fi(10, "contractor", "unconfirmed")[0]["reply"] == "確認済みにチェックしました。"' \
    'fi(4, "provider", "nonconforming")[0]["state"] == "open"' \
    'fi(4, "provider", "nonconforming")[0]["reply"].startswith("親会社は米国法人")' \
    'len([f for f in d["findings"] if f["reply"]]) == 3' \
    'd["summary"]["resolved"] == 2' 2>"$TMP/err"; then ok returned-assert; else fail returned-assert "$(cat "$TMP/err")"; fi

# the text report shows each reply under its finding
expect_status 1 returned-text "$SECHK" diff samples/deficient.xlsx "$TMP/returned.xlsx"
if grep -A1 '解消 No.2   提供者' "$TMP/out" | grep -q '回答者コメント: 適合に修正しました。'; then ok returned-text-reply; else
    fail returned-text-reply "$(head -c 600 "$TMP/out")"
fi

# a reply with a line break and an escape sequence (_x001B_) stays on one line of the text
"$PYTHON" - "$TMP/returned.xlsx" "$TMP/returned-ctl.xlsx" <<'PY'
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for row in wb["指摘事項"].iter_rows(min_row=5):
    if (row[0].value, row[7].value) == (1, "unconfirmed"):  # 参照コード is the last column
        row[6].value = "1行目\n2行目_x001B_[31m赤_x001B_[0m"  # 回答者コメント
wb.save(sys.argv[2])
PY
expect_status 1 ctl-text "$SECHK" diff samples/deficient.xlsx "$TMP/returned-ctl.xlsx"
if grep -q '回答者コメント: 1行目 2行目?\[31m赤?\[0m$' "$TMP/out" && ! grep -q "$(printf '\033')" "$TMP/out"; then ok ctl-text-clean; else
    fail ctl-text-clean "$(grep -A1 '1行目' "$TMP/out" | head -3)"
fi

# the comparison workbook read back
if $C book "$TMP/diff.xlsx" "$TMP/returned.json" 2>"$TMP/err"; then ok book; else fail book "$(cat "$TMP/err")"; fi
# and one with a contractor 済→対象外 and many changes
"$SECHK" extract samples/operation.xlsx -o "$TMP/op.json"
"$PYTHON" tests/e2e/diff_cases.py edit "$TMP/op.json" "$TMP/op2.json" 'opt:9:contractor:confirmed:false' \
    'opt:9:contractor:na:true' 'field:4:provider:remarks:東京リージョン' 'doc:updated:2027年1月1日'
"$SECHK" fill "$TMP/op2.json" -o "$TMP/op2.xlsx"
expect_status 1 op2-status "$SECHK" diff samples/operation.xlsx "$TMP/op2.xlsx" -f json -o "$TMP/op2-diff.xlsx"
cp "$TMP/out" "$TMP/op2-diff.json"
if $C book "$TMP/op2-diff.xlsx" "$TMP/op2-diff.json" 2>"$TMP/err"; then ok book-op2; else fail book-op2 "$(cat "$TMP/err")"; fi
# no change: the sheet says so
expect_status 0 same-status "$SECHK" diff samples/operation.xlsx samples/operation.xlsx -f json -o "$TMP/same.xlsx"
cp "$TMP/out" "$TMP/same.json"
if $C book "$TMP/same.xlsx" "$TMP/same.json" 2>"$TMP/err"; then ok book-same; else fail book-same "$(cat "$TMP/err")"; fi

# review --previous: the returned copy reviewed against the original submission
expect_status 1 review-prev "$SECHK" review "$TMP/returned.xlsx" --previous samples/deficient.xlsx -o "$TMP/review2.xlsx"
if $C review "$TMP/review2.xlsx" "$TMP/returned.json" 2>"$TMP/err"; then ok review-prev-book; else fail review-prev-book "$(cat "$TMP/err")"; fi
# --previous errors: an unreadable previous round, an output that is an input
"$PYTHON" tests/e2e/diff_cases.py edit "$TMP/op.json" "$TMP/op3.json" 'opt:10:contractor:confirmed:false' 'doc:updated:2027年2月1日'
"$SECHK" fill "$TMP/op3.json" -o "$TMP/op3.xlsx"
expect_status 2 review-prev-missing "$SECHK" review "$TMP/op3.xlsx" --previous "$TMP/nope.xlsx" -o "$TMP/r3.xlsx"
expect_status 2 review-prev-is-output "$SECHK" review "$TMP/op3.xlsx" --previous "$TMP/op2.xlsx" -o "$TMP/op2.xlsx"

# LibreOffice converts the comparison workbook
if ! command -v soffice >/dev/null 2>&1; then
    fail soffice "soffice missing (make deps installs libreoffice-calc-nogui)"
else
    HOME=$TMP timeout 180 soffice --headless --norestore -env:UserInstallation=file://$TMP/lo \
        --convert-to pdf --outdir "$TMP" "$TMP/diff.xlsx" >"$TMP/lo.log" 2>&1 || true
    if [ -s "$TMP/diff.pdf" ]; then ok pdf; else fail pdf "no PDF: $(cat "$TMP/lo.log")"; fi
    if command -v pdftotext >/dev/null 2>&1 && [ -s "$TMP/diff.pdf" ]; then
        pdftotext "$TMP/diff.pdf" "$TMP/diff.txt"
        for want in "前回提出との比較" "前回の指摘の対応状況" "適合に修正しました。" "乖離"; do
            if grep -q "$want" "$TMP/diff.txt"; then ok "pdf-$want"; else fail "pdf-$want" "not in the PDF"; fi
        done
    fi
    # the review copy with the comparison sheet converts too
    HOME=$TMP timeout 180 soffice --headless --norestore -env:UserInstallation=file://$TMP/lo \
        --convert-to pdf --outdir "$TMP" "$TMP/review2.xlsx" >"$TMP/lo.log" 2>&1 || true
    if [ -s "$TMP/review2.pdf" ]; then ok review-pdf; else fail review-pdf "no PDF: $(cat "$TMP/lo.log")"; fi
    if command -v pdftotext >/dev/null 2>&1 && [ -s "$TMP/review2.pdf" ]; then
        pdftotext "$TMP/review2.pdf" "$TMP/review2.txt"
        for want in "前回との比較" "前回の回答者コメント" "継続"; do
            if grep -q "$want" "$TMP/review2.txt"; then ok "review-pdf-$want"; else fail "review-pdf-$want" "not in the PDF"; fi
        done
    fi
fi
finish
