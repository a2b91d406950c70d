# End-to-end: when answers are due (brief 4a, docs/rules.md "いつ回答が必要か").
#  - docs/rules.md's due table is exactly `sechk template --due`;
#  - correct submissions of all four phases (the conformant answer sets of
#    tests/rules/conformant.txt, through `sechk fill`) give 0 errors and 0
#    warnings with their --phase (ids and Japanese names) and with the default
#    auto, which reports that phase and its basis;
#  - `sechk batch` over a folder of them, with no options, says 問題なし for
#    every file with its own phase (summary.csv).
. tests/e2e/lib.sh

# --due prints the table; docs/rules.md holds exactly it between its markers
expect_status 0 due "$SECHK" template --due
cp "$TMP/out" "$TMP/due.md"
head -1 "$TMP/due.md" | grep -q '^| item | lifecycle | column | block | 選定 |' && ok due-header ||
    fail due-header "$(head -1 "$TMP/due.md")"
sed -n '/^<!-- BEGIN DUE TABLE/,/^<!-- END DUE TABLE/p' docs/rules.md | sed '1d;$d' > "$TMP/doc-due.md"
if cmp -s "$TMP/doc-due.md" "$TMP/due.md"; then
    ok due-doc
else
    fail due-doc "docs/rules.md differs from 'sechk template --due'; regenerate the table with
  { sed '/^<!-- BEGIN DUE TABLE/q' docs/rules.md; build/sechk template --due;
    sed -n '/^<!-- END DUE TABLE/,\$p' docs/rules.md; } >docs/rules.md.new && mv docs/rules.md.new docs/rules.md
$(diff "$TMP/doc-due.md" "$TMP/due.md" | head -20)"
fi
# the table says what the template says: No.18 (a development item) is due
# from selection, No.34 only in disposal, No.24's blocks hand over
grep -q '^| 18 | 開発（導入・構築） | contractor | group=answer | ○ | ○ | ○ | ○ |$' "$TMP/due.md" && ok due-no18 ||
    fail due-no18 "$(grep '^| 18 ' "$TMP/due.md")"
grep -q '^| 34 | 更改・廃棄 | contractor | group=answer 【外部サービスの終了又は更改等の予定がある場合に記載】 | － | － | － | ○ |$' \
    "$TMP/due.md" && ok due-no34 || fail due-no34 "$(grep '^| 34 ' "$TMP/due.md")"
grep -q '^| 24 | 運用・保守 | contractor | group=confirm 【選定（調達）段階で回答】 | ○ | － | － | － |$' "$TMP/due.md" &&
    ok due-no24 || fail due-no24 "$(grep '^| 24 ' "$TMP/due.md")"
expect_status 2 due-with-output "$SECHK" template --due -o "$TMP/x.xlsx"
expect_status 2 due-with-rules "$SECHK" template --due --rules

# the four correct submissions, from the conformant answer sets
mkdir -p "$TMP/in"
PYTHONPATH=tests/e2e "$PYTHON" - "$TMP/in" <<'EOF'
import json, os, sys
import rules_cases as rc
items = rc.load_template("templates/default.xml")
bases = rc.load_bases(items, "tests/rules/conformant.txt")
for i, ph in enumerate(rc.PHASES):
    with open(os.path.join(sys.argv[1], "%d-%s.json" % (i + 1, ph)), "w", encoding="utf-8") as f:
        json.dump(bases[ph].to_json(), f, ensure_ascii=False)
EOF
for ph in selection development operation disposal; do
    n=$(ls "$TMP/in" | grep -- "-$ph.json")
    "$SECHK" fill "$TMP/in/$n" -o "$TMP/in/${n%.json}.xlsx"
    rm "$TMP/in/$n"
done

# check_clean NAME PHASE-ID FILE [--phase P]: 0 errors, 0 warnings, the phase used
check_clean() {
    name=$1; want=$2; file=$3; shift 3
    set +e
    "$SECHK" check -f json "$@" "$file" >"$TMP/c.json" 2>"$TMP/err"
    st=$?
    set -e
    [ "$st" -eq 0 ] && ok "$name-exit" || fail "$name-exit" "exit $st: $(head -c 300 "$TMP/err")"
    got=$("$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
print(d["phase"], s["errors"], s["warnings"], d["phase_basis"])' "$TMP/c.json")
    case "$got" in
    "$want 0 0 "*) ok "$name" ;;
    *) fail "$name" "got '$got', want '$want 0 0 …'" ;;
    esac
    echo "$got"
}
for f in "$TMP"/in/*.xlsx; do
    ph=$(basename "$f" .xlsx | sed 's/^[0-9]-//')
    check_clean "given-$ph" "$ph" "$f" --phase "$ph" >/dev/null
    basis=$(check_clean "auto-$ph" "$ph" "$f" | cut -d' ' -f4-)
    case "$ph" in
    selection) want_basis="no later-phase evidence" ;;
    development) want_basis="No.24 【開発（導入・構築）の段階以降に回答】" ;;
    operation) want_basis="No.23 ※運用・保守の段階で記載" ;;
    disposal) want_basis="No.33 【外部サービスの終了又は更改等の予定がある場合に記載】" ;;
    esac
    [ "$basis" = "$want_basis" ] && ok "basis-$ph" || fail "basis-$ph" "phase_basis '$basis', want '$want_basis'"
done
# --phase with the Japanese names, in check, review and batch
check_clean ja-sentei selection "$TMP/in/1-selection.xlsx" --phase 選定 >/dev/null
check_clean ja-sentei-full selection "$TMP/in/1-selection.xlsx" --phase '選定（調達）' >/dev/null
check_clean ja-kaihatsu development "$TMP/in/2-development.xlsx" --phase 開発 >/dev/null
check_clean ja-kaihatsu-full development "$TMP/in/2-development.xlsx" --phase '開発（導入・構築）' >/dev/null
check_clean ja-unyo operation "$TMP/in/3-operation.xlsx" --phase 運用 >/dev/null
check_clean ja-unyo-full operation "$TMP/in/3-operation.xlsx" --phase 運用・保守 >/dev/null
check_clean ja-haiki disposal "$TMP/in/4-disposal.xlsx" --phase 廃棄 >/dev/null
check_clean ja-haiki-full disposal "$TMP/in/4-disposal.xlsx" --phase 更改・廃棄 >/dev/null
expect_status 2 ja-unknown "$SECHK" check --phase 調達 "$TMP/in/1-selection.xlsx"
expect_status 0 ja-review "$SECHK" review --phase 運用 "$TMP/in/3-operation.xlsx" -o "$TMP/r.xlsx"
"$PYTHON" - "$TMP/r.xlsx" <<'EOF' && ok ja-review-phase || fail ja-review-phase "サマリー does not say 運用・保守（指定）"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
texts = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
sys.exit(0 if "運用・保守（指定）" in texts else 1)
EOF
expect_status 0 ja-batch "$SECHK" batch --phase 開発 "$TMP/in/2-development.xlsx" -o "$TMP/outj"
# the review's サマリー says the automatic phase and why
expect_status 0 review-auto "$SECHK" review "$TMP/in/2-development.xlsx" -o "$TMP/r2.xlsx"
"$PYTHON" - "$TMP/r2.xlsx" <<'EOF' && ok review-auto-basis || fail review-auto-basis "サマリー does not give the basis"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
texts = [c for row in wb["サマリー"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
sys.exit(0 if "開発（導入・構築）（自動判定: No.24 【開発（導入・構築）の段階以降に回答】）" in texts else 1)
EOF

# the text report says the phase and why
expect_status 0 text-basis "$SECHK" check "$TMP/in/2-development.xlsx"
grep -q '問題なし \[段階 開発（導入・構築）（自動判定: No.24 【開発（導入・構築）の段階以降に回答】）\]' "$TMP/out" &&
    ok text-basis-line || fail text-basis-line "$(head -1 "$TMP/out")"
expect_status 0 text-basis-en "$SECHK" check --lang en "$TMP/in/1-selection.xlsx"
grep -q '(auto: no later-phase evidence)' "$TMP/out" && ok text-basis-en-line ||
    fail text-basis-en-line "$(head -1 "$TMP/out")"

# batch over the folder, no options: every file 問題なし with its own phase
expect_status 0 batch "$SECHK" batch "$TMP/in" -o "$TMP/batchout"
"$PYTHON" - "$TMP/batchout/summary.csv" <<'EOF' && ok batch-summary || fail batch-summary "see above"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
want = {"1-selection": "選定（自動判定: 後の段階の回答なし）",
        "2-development": "開発（導入・構築）（自動判定: No.24 【開発（導入・構築）の段階以降に回答】）",
        "3-operation": "運用・保守（自動判定: No.23 ※運用・保守の段階で記載）",
        "4-disposal": "更改・廃棄（自動判定: No.33 【外部サービスの終了又は更改等の予定がある場合に記載】）"}
got = {r[0].rsplit("/", 1)[-1][:-5]: (r[2], r[3], r[10], r[11]) for r in rows[1:]}
bad = [(k, got.get(k)) for k in want if got.get(k) != (want[k], "問題なし", "0", "0")]
for k, g in bad:
    print("  %s: %r, want %r" % (k, g, (want[k], "問題なし", "0", "0")), file=sys.stderr)
sys.exit(1 if bad or len(got) != 4 else 0)
EOF

finish
