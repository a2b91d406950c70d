# One wording per rule (issue 18): the finding messages of the rules and the
# review's requests (修正のお願い) do not contradict each other — checked on the
# sources for every code, and on a checker run against an earlier wording.
. tests/e2e/lib.sh
if "$PYTHON" tests/e2e/wording.py src/checklist/rulekinds.c templates/default.xml >"$TMP/out" 2>&1; then
    ok wording
else
    fail wording "$(cat "$TMP/out")"
fi
grep -q "codes compared" "$TMP/out" && ! grep -q "^wording: [0-9] codes" "$TMP/out" && ok wording-codes \
    || fail wording-codes "too few codes compared: $(cat "$TMP/out")"
# the checker fails on the contradiction issue 18 reported (No.5: 「理由」 vs 備考欄)
sed 's|"指摘内容に示した欄に、その理由を記入してください。"|"理由を備考欄に記入してください。"|' src/checklist/rulekinds.c \
    >"$TMP/old.c"
if "$PYTHON" tests/e2e/wording.py "$TMP/old.c" templates/default.xml >"$TMP/out" 2>&1; then
    fail wording-fails "the checker accepted 理由を備考欄 against 理由を「{slot}」"
else
    grep -q "^reason-missing:" "$TMP/out" && ok wording-fails || fail wording-fails "$(cat "$TMP/out")"
fi
finish
