# End-to-end: reading what the vendor meant (issue 16): which sheet is read when several
# hold the checklist, and real Excel dates.  The workbooks are made at test time by
# tests/make_reading.py (from the committed samples); its EXPECT table says what sechk
# must report for each, and `make_reading.py check` prints one ok/fail line per assertion.
. tests/e2e/lib.sh

SECHK=$SECHK "$PYTHON" tests/make_reading.py "$TMP/r" || fail generate "make_reading.py failed"
SECHK=$SECHK "$PYTHON" tests/make_reading.py check "$TMP/r" >"$TMP/results" || true
while IFS= read -r line; do
    case $line in
        ok\ *) ok "${line#ok }" ;;
        fail\ *) rest=${line#fail }; fail "${rest%%:*}" "${rest#*: }" ;;
    esac
done <"$TMP/results"
[ "$(grep -c '^ok ' "$TMP/results")" -ge 60 ] && ok count || fail count "fewer assertions than expected"

# the same choice in every reading command: review and batch take --sheet too
expect_status 2 review-ambiguous "$SECHK" review "$TMP/r/two-filled.xlsx" -o "$TMP/rv.xlsx"
grep -q -- "--sheet で指定してください" "$TMP/err" && ok review-ambiguous-msg || fail review-ambiguous-msg "$(cat "$TMP/err")"
expect_status 1 review-sheet "$SECHK" review "$TMP/r/two-filled.xlsx" --sheet 2 -o "$TMP/rv.xlsx"
mkdir -p "$TMP/in"
cp "$TMP/r/two-filled.xlsx" "$TMP/in/"
expect_status 0 batch-sheet "$SECHK" batch "$TMP/in" --sheet チェックリスト --no-review -o "$TMP/bo" -j 1
grep -q '"sheet": "チェックリスト"' "$TMP/bo/two-filled.json" && ok batch-sheet-json || fail batch-sheet-json "sheet"
# --sheet with --previous: the sheet names this round's; the previous round is located by itself
expect_status 0 prev-extract "$SECHK" extract "$TMP/r/two-filled.xlsx" --sheet 1 -o "$TMP/prev.json"
sst_has() { # FILE TEXT: a shared string of the workbook FILE contains TEXT
    "$PYTHON" - "$1" "$2" <<'PY'
import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
sst = [html.unescape(re.sub(r"<[^>]+>", "", si)) for si in
       re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
sys.exit(0 if any(sys.argv[2] in s for s in sst) else 1)
PY
}
changed="前回から外部サービス提供者の回答が変わっています"
expect_status 1 review-sheet-previous "$SECHK" review "$TMP/r/two-filled.xlsx" --sheet 2 --previous "$TMP/prev.json" -o "$TMP/rp2.xlsx"
sst_has "$TMP/rp2.xlsx" "$changed" && ok review-sheet-previous-changed || fail review-sheet-previous-changed "no change found"
expect_status 0 review-sheet-previous-same "$SECHK" review "$TMP/r/two-filled.xlsx" --sheet 1 --previous "$TMP/prev.json" -o "$TMP/rp1.xlsx"
sst_has "$TMP/rp1.xlsx" "$changed" && fail review-sheet-previous-unchanged "a change reported" || ok review-sheet-previous-unchanged
mkdir -p "$TMP/old"
expect_status 0 prev-fill "$SECHK" fill "$TMP/prev.json" -o "$TMP/old/two-filled.xlsx"
for s in 1 2; do
    expect_status $((s - 1)) batch-sheet-previous-$s "$SECHK" batch "$TMP/in" --sheet $s --previous "$TMP/old" -o "$TMP/bp$s" -j 1 --no-review
done
# file, previous file, paired by, changed items: 0 with the same sheet, 33 with the other
grep -q 'two-filled.xlsx","パス","0",' "$TMP/bp1/previous.csv" && ok batch-sheet-previous-same ||
    fail batch-sheet-previous-same "$(cat "$TMP/bp1/previous.csv")"
grep -q 'two-filled.xlsx","パス","33",' "$TMP/bp2/previous.csv" && ok batch-sheet-previous-changed ||
    fail batch-sheet-previous-changed "$(cat "$TMP/bp2/previous.csv")"
# English messages
"$SECHK" check --lang en "$TMP/r/blank-then-copy.xlsx" >"$TMP/en.txt"
grep -q 'read sheet "セキュリティチェックリスト (2)"' "$TMP/en.txt" && ok note-en || fail note-en "$(head -3 "$TMP/en.txt")"
# the review's summary names the sheet read and the sheets passed over
expect_status 0 review-chosen "$SECHK" review "$TMP/r/blank-then-copy.xlsx" -o "$TMP/rb.xlsx"
if "$PYTHON" - "$TMP/rb.xlsx" <<'PY'; then ok review-sheet-note; else fail review-sheet-note "no note in the summary"; fi
import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
sst = [html.unescape(re.sub(r"<[^>]+>", "", si)) for si in
       re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
assert any(s.startswith("セキュリティチェックリスト (2)\nシート「セキュリティチェックリスト (2)」を読み取りました")
           and "「セキュリティチェックリスト」" in s for s in sst), sst[:20]
PY

# a comment on an answer cell is the answerer's remark in the review's 指摘事項 sheet (回答者コメント)
expect_status 0 review-comments "$SECHK" review "$TMP/r/comments.xlsx" -o "$TMP/rc.xlsx"
if "$PYTHON" - "$TMP/rc.xlsx" <<'PY'; then ok review-remark; else fail review-remark "comment not in the findings sheet"; fi
import re, sys, zipfile, html
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet [^>]*name="([^"]*)"', z.read("xl/workbook.xml").decode())
idx = names.index("指摘事項") + 1
sheet = z.read("xl/worksheets/sheet%d.xml" % idx).decode()
sst = [html.unescape(re.sub(r"<[^>]+>", "", si)) for si in
       re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
cells = {m.group(1): sst[int(m.group(2))] for m in
         re.finditer(r'<c r="([A-Z]+\d+)"[^>]*t="s"[^>]*><v>(\d+)</v>', sheet)}
remarks = [v for k, v in cells.items() if k.startswith("G")]  # 回答者コメント (参照コード is last)
assert "開示条件は別紙の秘密保持契約書を参照してください。" in remarks, remarks
assert "ISMAP の登録番号は備考に追記します。" in remarks, remarks
PY
finish
