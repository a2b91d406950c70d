# End-to-end: command-line contract of `sechk` and `sechk template`.
. tests/e2e/lib.sh

expect_status 0 help "$SECHK" --help
grep -q "sechk template" "$TMP/out" && ok help-text || fail help-text "usage not on stdout"
expect_status 0 version "$SECHK" --version
grep -Eq '^sechk [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out" && ok version-text || fail version-text "$(cat "$TMP/out")"
expect_status 2 no-args "$SECHK"
expect_status 2 unknown-cmd "$SECHK" frobnicate
for c in template extract check review fill batch; do
    expect_status 0 "help-$c" "$SECHK" "$c" --help
    grep -q "sechk $c" "$TMP/out" && ok "help-$c-text" || fail "help-$c-text" "no usage line"
done

# template: writes a workbook, atomically, from any folder
cd "$TMP"
expect_status 0 template "$SECHK" template -o x.xlsx --project P --service S --date 2026-04-01
[ -s x.xlsx ] && ok template-file || fail template-file "no output"
unzip -p x.xlsx xl/sharedStrings.xml | grep -q "2026年4月1日" && ok template-date || fail template-date "date not written"
ls -a | grep -q '^\.x\.xlsx\.' && fail template-tmp "temporary file left" || ok template-tmp
expect_status 0 template-default-name "$SECHK" template --date 2026-04-01
[ -s checklist.xlsx ] && ok template-default-file || fail template-default-file "no checklist.xlsx"
cd "$ROOT"

# bad arguments: exit 2 with a message naming the problem, nothing written
expect_status 2 bad-date "$SECHK" template -o "$TMP/y.xlsx" --date 2026-02-30
grep -q "2026-02-30" "$TMP/err" && ok bad-date-msg || fail bad-date-msg "$(cat "$TMP/err")"
[ ! -e "$TMP/y.xlsx" ] && ok bad-date-nofile || fail bad-date-nofile "output written"
expect_status 2 bad-date-format "$SECHK" template -o "$TMP/y.xlsx" --date 1/4/2026
mkdir "$TMP/dir.xlsx"
expect_status 2 out-is-folder "$SECHK" template -o "$TMP/dir.xlsx"
grep -q "フォルダ" "$TMP/err" && ok out-is-folder-msg || fail out-is-folder-msg "$(cat "$TMP/err")"
expect_status 2 out-no-folder "$SECHK" template -o "$TMP/nope/x.xlsx"
grep -q "$TMP/nope/x.xlsx" "$TMP/err" && ok out-no-folder-msg || fail out-no-folder-msg "$(cat "$TMP/err")"
if [ "$(id -u)" != 0 ]; then
    mkdir "$TMP/ro" && chmod 555 "$TMP/ro"
    expect_status 2 out-unwritable "$SECHK" template -o "$TMP/ro/x.xlsx"
fi
expect_status 2 bad-template "$SECHK" template -o "$TMP/z.xlsx" --template "$TMP/missing.xml"
grep -q "missing.xml" "$TMP/err" && ok bad-template-msg || fail bad-template-msg "$(cat "$TMP/err")"
printf '<checklist' > "$TMP/broken.xml"
expect_status 2 broken-template "$SECHK" template -o "$TMP/z.xlsx" --template "$TMP/broken.xml"
grep -q "broken.xml" "$TMP/err" && ok broken-template-msg || fail broken-template-msg "$(cat "$TMP/err")"
expect_status 2 bad-option "$SECHK" template --bogus
expect_status 2 bad-utf8 "$SECHK" template -o "$TMP/z.xlsx" --project "$(printf '\377')"

# --template with the default template file gives exactly the built-in one's
# workbook (same options, pinned date) ...
expect_status 0 template-file-opt "$SECHK" template -o "$TMP/t2.xlsx" --template templates/default.xml \
    --project P --service S --date 2026-04-01
cmp -s "$TMP/t2.xlsx" "$TMP/x.xlsx" && ok template-file-opt-same || fail template-file-opt-same "differs from the built-in template's"
# ... and another template file gives its own texts: No.1's requirement changed
sed 's/政府情報システムのためのセキュリティ評価制度/別の県の認証要件/' templates/default.xml >"$TMP/other.xml"
if cmp -s templates/default.xml "$TMP/other.xml"; then
    fail template-other-made "the test's edit did not apply to templates/default.xml"
else
    expect_status 0 template-other "$SECHK" template -o "$TMP/t3.xlsx" --template "$TMP/other.xml" \
        --project P --service S --date 2026-04-01
    unzip -p "$TMP/t3.xlsx" xl/sharedStrings.xml | grep -q "別の県の認証要件" && ok template-other-text ||
        fail template-other-text "the other template's text is not in the workbook"
    unzip -p "$TMP/x.xlsx" xl/sharedStrings.xml | grep -q "別の県の認証要件" && fail template-builtin-text "built-in has it" ||
        ok template-builtin-text
fi

# ---- traps (issue 18) --------------------------------------------------------
cd "$TMP"
mkdir -p traps && cd traps
# template without -o never overwrites: checklist.xlsx, then checklist (2).xlsx
expect_status 0 template-default-name "$SECHK" template --date 2026-04-01 --project A
[ -f checklist.xlsx ] && ok template-default-file || fail template-default-file "$(ls)"
cp checklist.xlsx first.xlsx
expect_status 0 template-second "$SECHK" template --date 2026-04-01 --project B
[ -f "checklist (2).xlsx" ] && ok template-new-name || fail template-new-name "$(ls)"
cmp -s checklist.xlsx first.xlsx && ok template-no-overwrite || fail template-no-overwrite "checklist.xlsx was replaced"
[ ! -s "$TMP/err" ] && ok quiet-not-a-tty || fail quiet-not-a-tty "stderr off a terminal: $(cat "$TMP/err")"
# fill: messages name the input and the right count; a workbook says to use extract
"$SECHK" extract "$ROOT/samples/operation.xlsx" "$ROOT/samples/deficient.xlsx" >two.json
expect_status 2 fill-two "$SECHK" fill two.json -o multi.xlsx
grep -q "^sechk: two.json: " "$TMP/err" && ok fill-two-names-input || fail fill-two-names-input "$(cat "$TMP/err")"
grep -q "回答が 2 件" "$TMP/err" && ok fill-two-count || fail fill-two-count "$(cat "$TMP/err")"
expect_status 2 fill-two-en "$SECHK" fill two.json -o multi.xlsx --lang en
grep -q "holds 2 answers" "$TMP/err" && ok fill-two-count-en || fail fill-two-count-en "$(cat "$TMP/err")"
[ ! -e multi.xlsx ] && ok fill-two-no-output || fail fill-two-no-output "multi.xlsx written"
printf '{bad' >bad.json
expect_status 2 fill-bad "$SECHK" fill bad.json -o o.xlsx
grep -q "^sechk: bad.json: line 1: " "$TMP/err" && ok fill-bad-names-input || fail fill-bad-names-input "$(cat "$TMP/err")"
expect_status 2 fill-workbook "$SECHK" fill "$ROOT/samples/operation.xlsx" -o o.xlsx
grep -q "sechk extract" "$TMP/err" && ok fill-workbook-hint || fail fill-workbook-hint "$(cat "$TMP/err")"
# on a terminal, a written file is said in one line (script(1) gives a pty)
if command -v script >/dev/null 2>&1; then
    script -qec "'$SECHK' review '$ROOT/samples/deficient.xlsx' -o r.xlsx" /dev/null >tty.out 2>&1 || true
    n=$("$SECHK" check -f json "$ROOT/samples/deficient.xlsx" | "$PYTHON" -c '
import json, sys
print(sum(len(i["findings"]) for i in json.load(sys.stdin)["items"]))')
    tr -d '\r' <tty.out | grep -qx "sechk: 書き出しました: r.xlsx（指摘 $n 件）" && ok tty-wrote ||
        fail tty-wrote "$(cat tty.out)"
    expect_status 1 review-not-tty "$SECHK" review "$ROOT/samples/deficient.xlsx" -o r2.xlsx
    [ ! -s "$TMP/err" ] && ok review-quiet || fail review-quiet "$(cat "$TMP/err")"
else
    fail tty-wrote "script(1) missing (util-linux)"
fi
cd "$ROOT"

finish
