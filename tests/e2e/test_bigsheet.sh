# Big sheets (more than 50,000 cells, where sechk filters the shared strings
# to keep memory flat): the answers are those of the sample they were made
# from, whether the checklist is at the top (one pass over the strings) or
# below 10,000 filler rows (a second pass); --max-cells counts every cell.
. tests/e2e/lib.sh
sample=samples/operation.xlsx
"$SECHK" extract "$sample" >"$TMP/sample.json"
for where in below above; do
    "$PYTHON" tests/make_bigsheet.py "$sample" "$TMP/big-$where.xlsx" 10000 "$where"
    expect_status 0 "extract-$where" "$SECHK" extract "$TMP/big-$where.xlsx"
    cp "$TMP/out" "$TMP/big-$where.json"
    if "$PYTHON" tests/make_bigsheet.py --compare "$TMP/sample.json" "$TMP/big-$where.json" 2>"$TMP/err"; then
        ok "answers-$where"
    else
        fail "answers-$where" "$(cat "$TMP/err")"
    fi
done
# the cells the locator drops still count: --max-cells refuses the sheet
# (60,000 filler cells and the checklist's) however few it keeps
expect_status 2 "max-cells" "$SECHK" extract --max-cells 60000 "$TMP/big-below.xlsx"
if grep -q "more than 60000 cells (limit --max-cells)" "$TMP/err"; then ok "max-cells-message"; else
    fail "max-cells-message" "$(head -c 300 "$TMP/err")"; fi
# the checklist moved down by 10,000 rows: its first item's row says so
row_sample=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["row"])' "$TMP/sample.json")
row_above=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["row"])' "$TMP/big-above.json")
if [ "$row_above" -eq $((row_sample + 10000)) ]; then ok "row-above"; else fail "row-above" "row $row_above, want $((row_sample + 10000))"; fi
finish
