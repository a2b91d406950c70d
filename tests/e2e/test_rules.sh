# End-to-end: the rules of `sechk check` (docs/rules.md).
#  - docs/rules.md's table is exactly `sechk template --rules`;
#  - every row of the table has a triggering and a non-triggering case, and the
#    hand-written cases of tests/rules/cases.txt hold (tests/e2e/rules_cases.py,
#    through `sechk fill` and `sechk check -f json`).
. tests/e2e/lib.sh

# --rules prints the table; with the template file given explicitly, the same
expect_status 0 rules "$SECHK" template --rules
cp "$TMP/out" "$TMP/rules.md"
head -1 "$TMP/rules.md" | grep -q '^| item | column | rule | severity | code | message (ja) | message (en) |$' &&
    ok rules-header || fail rules-header "$(head -1 "$TMP/rules.md")"
expect_status 0 rules-template-file "$SECHK" template --rules --template templates/default.xml
cmp -s "$TMP/out" "$TMP/rules.md" && ok rules-template-file-same || fail rules-template-file-same "output differs"
expect_status 2 rules-with-output "$SECHK" template --rules -o "$TMP/x.xlsx"
[ ! -e "$TMP/x.xlsx" ] && ok rules-with-output-nofile || fail rules-with-output-nofile "workbook written"

# docs/rules.md holds exactly that table between its markers
sed -n '/^<!-- BEGIN RULES TABLE/,/^<!-- END RULES TABLE/p' docs/rules.md | sed '1d;$d' > "$TMP/doc-table.md"
if cmp -s "$TMP/doc-table.md" "$TMP/rules.md"; then
    ok rules-doc
else
    fail rules-doc "docs/rules.md differs from 'sechk template --rules'; regenerate the table with
  { sed '/^<!-- BEGIN RULES TABLE/q' docs/rules.md; build/sechk template --rules;
    sed -n '/^<!-- END RULES TABLE/,\$p' docs/rules.md; } >docs/rules.md.new && mv docs/rules.md.new docs/rules.md
$(diff "$TMP/doc-table.md" "$TMP/rules.md" | head -20)"
fi

# the rule cases
# (each case counts as one assertion; an uncovered row as one failure)
set +e
"$PYTHON" tests/e2e/rules_cases.py "$SECHK" templates/default.xml tests/rules/conformant.txt \
    tests/rules/cases.txt "$TMP/cases" >"$TMP/cases.log"
rc=$?
set -e
cat "$TMP/cases.log"
line=$(grep '^rule cases: ' "$TMP/cases.log" || true)
if [ -z "$line" ]; then
    fail rules-cases "rules_cases.py stopped (exit $rc)"
else
    p=$(echo "$line" | sed 's/^rule cases: \([0-9]*\) passed, \([0-9]*\) failed$/\1/')
    f=$(echo "$line" | sed 's/^rule cases: \([0-9]*\) passed, \([0-9]*\) failed$/\2/')
    pass=$((pass + p))
    fails=$((fails + f))
    [ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || fail rules-cases "exit $rc"
fi

finish
