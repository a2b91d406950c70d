# End-to-end: messages in Japanese by default and in English with --lang en
# (the catalogue src/cli/msg.c, the reasons src/util/reason.c), each error
# once, `sechk help [COMMAND|limits]` and the help's one limits line.
. tests/e2e/lib.sh

# has NAME FILE TEXT: FILE holds the line TEXT exactly.
has() {
    grep -Fxq -- "$3" "$2" && ok "$1" || fail "$1" "want line \"$3\" in: $(cat "$2")"
}

cd "$TMP"
echo hello >text.xlsx
printf '\320\317\021\340\241\261\032\341' >cfb.xlsx
head -c 2000 /dev/zero >>cfb.xlsx
size=$(wc -c <"$ROOT/samples/deficient.xlsx")
head -c $((size - 30)) "$ROOT/samples/deficient.xlsx" >cut.xlsx

# ---- the reader's reasons, in each language ---------------------------------
expect_status 2 text-ja "$SECHK" check text.xlsx
has text-ja-msg "$TMP/err" "sechk: text.xlsx: zip ファイルではありません（.xlsx ブックではありません）"
expect_status 2 text-en "$SECHK" check text.xlsx --lang en
has text-en-msg "$TMP/err" "sechk: text.xlsx: not a zip file (not an .xlsx workbook)"
expect_status 2 eocd-ja "$SECHK" extract cut.xlsx
has eocd-ja-msg "$TMP/err" "sechk: cut.xlsx: zip の終端レコードがありません（ファイルが途中で切れているか壊れています）"
expect_status 2 eocd-en "$SECHK" extract --lang=en cut.xlsx
has eocd-en-msg "$TMP/err" "sechk: cut.xlsx: no end of central directory record (a truncated or damaged zip)"
cp "$ROOT/tests/corpus/bad/cfb-encrypted.xlsx" enc.xlsx
expect_status 2 enc-ja "$SECHK" review enc.xlsx -o r.xlsx
has enc-ja-msg "$TMP/err" "sechk: enc.xlsx: パスワード付きのブックです（Agile 暗号化）。--password-file または環境変数 SECHK_PASSWORD でパスワードを指定してください"
expect_status 2 enc-en "$SECHK" review enc.xlsx -o r.xlsx --lang en
has enc-en-msg "$TMP/err" "sechk: enc.xlsx: a password-protected workbook (Agile encryption); give the password with --password-file or the environment variable SECHK_PASSWORD"
expect_status 2 cfb-ja "$SECHK" review cfb.xlsx -o r.xlsx
grep -q "^sechk: cfb.xlsx: 壊れた OLE/CFB ファイルです" "$TMP/err" && ok cfb-ja-msg || fail cfb-ja-msg "$(cat "$TMP/err")"
expect_status 2 cfb-en "$SECHK" review cfb.xlsx -o r.xlsx --lang en
grep -q "^sechk: cfb.xlsx: damaged OLE/CFB container" "$TMP/err" &&
    ok cfb-en-msg || fail cfb-en-msg "$(cat "$TMP/err")"
expect_status 2 nofolder-ja "$SECHK" review "$ROOT/samples/deficient.xlsx" -o nope/r.xlsx
has nofolder-ja-msg "$TMP/err" "sechk: nope/r.xlsx: 出力先のフォルダがありません: No such file or directory"
expect_status 2 nofolder-en "$SECHK" review "$ROOT/samples/deficient.xlsx" -o nope/r.xlsx --lang en
has nofolder-en-msg "$TMP/err" "sechk: nope/r.xlsx: output folder does not exist: No such file or directory"
# a reason without a translation: the code's Japanese, the English detail kept
expect_status 2 limit-ja "$SECHK" extract --max-entries 3 "$ROOT/samples/deficient.xlsx"
grep -q "^sechk: .*deficient.xlsx: 入力の上限を超えました（the zip has [0-9]* entries, more than 3 (limit --max-entries)）。信頼できるファイルなら --max-entries N で上限を上げられます$" \
    "$TMP/err" && ok limit-ja-msg || fail limit-ja-msg "$(cat "$TMP/err")"

# ---- usage errors --------------------------------------------------------------
expect_status 2 usage-ja "$SECHK" review
has usage-ja-msg "$TMP/err" "sechk: review: 入力ファイルを 1 つ指定してください"
has usage-ja-hint "$TMP/err" "sechk: 'sechk review --help' で使い方を表示します"
expect_status 2 usage-en "$SECHK" review --lang en
has usage-en-msg "$TMP/err" "sechk: review: give one input file"
has usage-en-hint "$TMP/err" "sechk: see 'sechk review --help'"
expect_status 2 lang-bad "$SECHK" check --lang fr x.xlsx
has lang-bad-msg "$TMP/err" "sechk: check: --lang: ja か en を指定してください: 'fr'"
expect_status 2 phase-en "$SECHK" check --lang en --phase later x.xlsx
grep -Fq "sechk: check: --phase: unknown phase 'later'" "$TMP/err" && ok phase-en-msg || fail phase-en-msg "$(cat "$TMP/err")"
expect_status 2 number-ja "$SECHK" check --max-cells 0 x.xlsx
has number-ja-msg "$TMP/err" "sechk: check: --max-cells: 1 から 1125899906842624 までの整数を指定してください: '0'"
expect_status 2 number-en "$SECHK" check --max-cells 0 x.xlsx --lang en
has number-en-msg "$TMP/err" "sechk: check: --max-cells: expected an integer from 1 to 1125899906842624: '0'"
expect_status 2 unknown-ja "$SECHK" frobnicate
has unknown-ja-msg "$TMP/err" "sechk: 不明なコマンドです: 'frobnicate'"

expect_status 2 badopt-ja "$SECHK" check --bogus x.xlsx
has badopt-ja-msg "$TMP/err" "sechk: check: 不正なオプションか、引数がありません: '--bogus'"
[ "$(wc -l <"$TMP/err")" -eq 2 ] && ok badopt-two-lines || fail badopt-two-lines "$(cat "$TMP/err")"
expect_status 2 badopt-en "$SECHK" review x.xlsx --lang en -o
has badopt-en-msg "$TMP/err" "sechk: review: invalid option or missing argument: '-o'"
expect_status 2 extra-ja "$SECHK" template -o t.xlsx surplus
has extra-ja-msg "$TMP/err" "sechk: template: 余分な引数です: surplus"
expect_status 2 extra-en "$SECHK" template -o t.xlsx surplus --lang en
has extra-en-msg "$TMP/err" "sechk: template: unexpected argument: surplus"
expect_status 2 diff-one-en "$SECHK" diff --lang en old.xlsx
has diff-one-en-msg "$TMP/err" "sechk: diff: give the previous and the new file (OLD NEW)"
expect_status 2 csv-only-ja "$SECHK" extract --no-bom x.xlsx
has csv-only-ja-msg "$TMP/err" "sechk: extract: --no-bom, --header, --layout, --cp932-fallback は -f csv でのみ使えます"
expect_status 2 format-en "$SECHK" check -f csv --lang en x.xlsx
has format-en-msg "$TMP/err" "sechk: check: -f: expected text or json: 'csv'"
expect_status 2 batch-j-ja "$SECHK" batch -j 0 in -o x
has batch-j-ja-msg "$TMP/err" "sechk: batch: -j: 1 から 256 までの整数を指定してください: '0'"

# ---- each error once ---------------------------------------------------------
# stdout to a file: the report keeps the file's line (translated), stderr has it once
expect_status 2 once-file "$SECHK" check text.xlsx
[ "$(grep -c 'text.xlsx' "$TMP/err")" -eq 1 ] && ok once-file-stderr || fail once-file-stderr "$(cat "$TMP/err")"
has once-file-report "$TMP/out" "text.xlsx: 読み込めません: zip ファイルではありません（.xlsx ブックではありません）"
expect_status 2 once-file-en "$SECHK" check text.xlsx --lang en
has once-file-report-en "$TMP/out" "text.xlsx: unreadable: not a zip file (not an .xlsx workbook)"
# on a terminal (script(1) gives a pty to both): the error appears once
if command -v script >/dev/null 2>&1; then
    script -qec "'$SECHK' check text.xlsx" /dev/null >tty.out 2>&1 || true
    [ "$(grep -c 'text.xlsx' tty.out)" -eq 1 ] && ok once-tty || fail once-tty "$(cat tty.out)"
fi

# ---- batch: progress tally and reasons ----------------------------------------
mkdir -p in/sub
cp "$ROOT/samples/deficient.xlsx" in/d.xlsx
cp text.xlsx in/sub/t.xlsx
expect_status 2 batch-ja "$SECHK" batch in -o bo1
has batch-ja-reason "$TMP/err" "sechk: in/sub/t.xlsx: zip ファイルではありません（.xlsx ブックではありません）"
tail -n 1 "$TMP/err" | grep -q "^sechk: 読み込み 1 件（不備あり 1 件）、読み込めない 1 件、スキップ 0 件、[0-9.]* 秒。集計: bo1/summary.xlsx$" &&
    ok batch-ja-tally || fail batch-ja-tally "$(tail -n 1 "$TMP/err")"
expect_status 2 batch-en "$SECHK" batch in -o bo2 --lang en
has batch-en-reason "$TMP/err" "sechk: in/sub/t.xlsx: not a zip file (not an .xlsx workbook)"
tail -n 1 "$TMP/err" | grep -q "^sechk: 1 read (1 with deficiencies), 1 unreadable, 0 skipped, [0-9.]* s; summary: bo2/summary.xlsx$" &&
    ok batch-en-tally || fail batch-en-tally "$(tail -n 1 "$TMP/err")"
"$PYTHON" - bo1/summary.xlsx >why.txt <<'PY' || true
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["読み込めないファイル"]
for row in ws.iter_rows(min_row=2, values_only=True):
    print(row[1])
PY
has batch-sheet-reason why.txt "zip ファイルではありません（.xlsx ブックではありません）"

# ---- help: sechk help COMMAND|limits, one limits line per command -------------
expect_status 0 help-limits "$SECHK" help limits
[ "$(grep -c -- '^      --max-[a-z-]* N ' "$TMP/out")" -eq 9 ] && ok help-limits-nine || fail help-limits-nine "$(cat "$TMP/out")"
[ "$(wc -l <"$TMP/out")" -eq 13 ] && ok help-limits-lines || fail help-limits-lines "$(wc -l <"$TMP/out") lines, want 13"
has help-limits-line "$TMP/out" "      --max-cells N         1 シートのセル数 / cells in a sheet (default 5000000)"
for c in template extract check review fill batch diff; do
    expect_status 0 "help-$c" "$SECHK" help $c
    cp "$TMP/out" help.txt
    expect_status 0 "help-$c-flag" "$SECHK" $c --help
    cmp -s help.txt "$TMP/out" && ok "help-$c-same" || fail "help-$c-same" "sechk help $c differs from $c --help"
    grep -q -- '--max-… N\|--max-\.\.\. N' "$TMP/out" && fail "help-$c-usage" "a usage line with --max-… N" || ok "help-$c-usage"
    n=$(grep -c -- '--max-\(file-bytes\|entry-bytes\|total-bytes\|ratio\|entries\|cells\|strings\|string-bytes\|sheets\)' "$TMP/out" || true)
    [ "$n" -eq 0 ] && ok "help-$c-no-limits" || fail "help-$c-no-limits" "$n limit lines"
done
for c in extract check review batch diff; do
    "$SECHK" $c --help >help.txt
    [ "$(grep -c "sechk help limits" help.txt)" -eq 1 ] && ok "help-$c-pointer" || fail "help-$c-pointer" "no pointer line"
done
# --help in Japanese with the English beside it; in English alone with --lang en
for c in template extract check review fill batch diff; do
    "$SECHK" $c --help >help.txt
    head -n 1 help.txt | grep -q "^使い方: sechk $c" && ok "help-$c-ja" || fail "help-$c-ja" "$(head -n 1 help.txt)"
    grep -q "(this help)" help.txt && ok "help-$c-ja-en-beside" || fail "help-$c-ja-en-beside" "no English beside"
    "$SECHK" $c --help --lang en >help-en.txt
    head -n 1 help-en.txt | grep -q "^usage: sechk $c" && ok "help-$c-en" || fail "help-$c-en" "$(head -n 1 help-en.txt)"
    grep -q "使い方\|この説明" help-en.txt && fail "help-$c-en-only" "Japanese prose in --lang en" || ok "help-$c-en-only"
done
"$SECHK" help limits --lang en >help-en.txt
[ "$(grep -c -- '^      --max-[a-z-]* N ' help-en.txt)" -eq 9 ] && ok help-limits-en || fail help-limits-en "$(cat help-en.txt)"
expect_status 2 help-unknown "$SECHK" help nope
has help-unknown-msg "$TMP/err" "sechk: help: 不明な項目です: 'nope'（コマンド名か limits）"
expect_status 0 help-top "$SECHK" help
grep -q "sechk help \[COMMAND|limits\]" "$TMP/out" && ok help-top-line || fail help-top-line "$(cat "$TMP/out")"

cd "$ROOT"
finish
