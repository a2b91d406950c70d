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
grep -q "folder" "$TMP/err" && ok out-is-folder-msg || fail out-is-folder-msg "$(cat "$TMP/err")"
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

finish
