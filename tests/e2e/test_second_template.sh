# End-to-end: a second checklist (tests/templates/second-pref.xml, another
# prefecture's small variant: other item numbers, wording, parties, phases,
# levels, project label, thresholds and review actions) goes through
# template -> fill -> extract/check/review with --template only.  Every word
# of that checklist in the results comes from the template file; none of the
# default checklist's words appears (no item-specific C).
. tests/e2e/lib.sh
T="$ROOT/tests/templates/second-pref.xml"
G="$ROOT/tests/golden/second-template"

# the schema accepts it
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout --relaxng templates/template.rng "$T" 2>"$TMP/err" && ok schema || fail schema "$(cat "$TMP/err")"
fi

# 1. the blank workbook, read back
expect_status 0 template "$SECHK" template --template "$T" -o "$TMP/blank.xlsx" --project 案件A --service SvcB \
    --date 2026-04-01
expect_status 0 extract-blank "$SECHK" extract --template "$T" "$TMP/blank.xlsx" -o "$TMP/blank.json"

# 2. answers: No.101 only the subcontractor (answered-first, unanswered),
#    No.102 a period below the template's 3 years, No.105 a method number
#    beyond its ④, No.110 (optional item) 提出不可 with a custom code
"$PYTHON" - "$TMP/blank.json" "$TMP/answers.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
items = {it["no"]: it for it in d["items"]}
def check(no, col, opt):
    for o in items[no]["cells"][col]["options"]:
        if o["id"] == opt:
            o["checked"] = True
def put(no, col, slot, v):
    for f in items[no]["cells"][col]["fields"]:
        if f["id"] == slot:
            f["value"] = v
check(101, "contractor", "checked")
check(102, "provider", "kept"); put(102, "provider", "years", "2")
check(105, "provider", "erase"); put(105, "provider", "methods", "①⑤"); check(105, "contractor", "agreed")
check(110, "provider", "cannot"); put(110, "provider", "notes", "監査未受審")
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
expect_status 0 fill "$SECHK" fill --template "$T" "$TMP/answers.json" -o "$TMP/filled.xlsx" --project 案件A

# 3. check: text output against its golden file, JSON by assertions
cd "$TMP"
expect_status 1 check-text "$SECHK" check --template "$T" --phase 運用 filled.xlsx
cp "$TMP/out" "$TMP/check-ja.txt"
if diff -u "$G.check.txt" "$TMP/out" >"$TMP/diff"; then ok check-golden; else fail check-golden "$(head -n 30 "$TMP/diff")"; fi
expect_status 1 check-en "$SECHK" check --template "$T" --phase run --lang en filled.xlsx
cp "$TMP/out" "$TMP/check-en.txt"
if diff -u "$G.check-en.txt" "$TMP/out" >"$TMP/diff"; then ok check-en-golden; else fail check-en-golden "$(head -n 30 "$TMP/diff")"; fi
cd "$ROOT"
expect_status 1 check-json "$SECHK" check --template "$T" --phase build -f json "$TMP/filled.xlsx"
cp "$TMP/out" "$TMP/check.json"
# assert NAME PYTHON-EXPR: evaluated with d (the check JSON), it(no), f(no, code)
assert() {
    name=$1
    shift
    if "$PYTHON" - "$TMP/check.json" "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d = d[0] if isinstance(d, list) else d
def it(no):
    return next(i for i in d["items"] if i["no"] == no)
def f(no, code):
    return [x for x in it(no)["findings"] if x["code"] == code]
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    then ok "$name"; else fail "$name" "$1"; fi
}
assert phase 'd["phase"] == "build"'
assert numbers '[i["no"] for i in d["items"]] == [101, 102, 105, 110]'
assert first '"クラウド事業者の回答欄が未回答のまま「確認した」" in f(101, "answered-first")[0]["message"]'
assert first-short '"事業者の回答を確認してください" in f(101, "answered-first")[0]["message"]'
assert threshold 'f(102, "value-too-low")[0]["message"] == "「保存期間」が要件（3年以上）を満たしていません（記入: 「2」）。"'
assert threshold-status 'it(102)["status"] == "nonconforming"'
assert range '"（①～④）" in f(105, "disposal-invalid")[0]["message"]'
assert level-noun '"（任意事項を満たしていません）" in f(110, "no-audit")[0]["message"]'
assert party '"クラウド事業者が「提出不可」と回答しています" in f(110, "no-audit")[0]["message"]'
assert optional-item 'it(110)["status"] == "review" and f(110, "no-audit")[0]["severity"] == "warning"'

# the methods within the template's range are accepted
"$PYTHON" - "$TMP/answers.json" "$TMP/answers2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for it in d["items"]:
    if it["no"] == 105:
        for f in it["cells"]["provider"]["fields"]:
            f["value"] = "①④"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
"$SECHK" fill --template "$T" "$TMP/answers2.json" -o "$TMP/filled2.xlsx" >/dev/null 2>&1
expect_status 1 check-range-ok "$SECHK" check --template "$T" -f json "$TMP/filled2.xlsx"
grep -q '"disposal-invalid"' "$TMP/out" && fail range-ok "①④ reported" || ok range-ok

# 4. the template's phases on the command line; the default's are unknown
expect_status 2 phase-unknown "$SECHK" check --template "$T" --phase 運用・保守 "$TMP/filled.xlsx"
grep -q 'plan|build|run|auto, 計画|構築|運用' "$TMP/err" && ok phase-names || fail phase-names "$(cat "$TMP/err")"
expect_status 1 phase-alias "$SECHK" check --template "$T" --phase 企画 "$TMP/filled.xlsx"

# 5. extract with the template's labels (記入日, 利用するクラウドサービス)
expect_status 0 extract "$SECHK" extract --template "$T" "$TMP/filled.xlsx"
grep -q '"service": "SvcB"' "$TMP/out" && ok extract-service || fail extract-service "$(head -c 400 "$TMP/out")"

# 6. review: section headings, project row and actions from the template
for lang in ja en; do
    expect_status 1 review-$lang "$SECHK" review --template "$T" --lang $lang "$TMP/filled.xlsx" -o "$TMP/review-$lang.xlsx"
    unzip -p "$TMP/review-$lang.xlsx" xl/sharedStrings.xml >"$TMP/strings-$lang.xml"
done
# (案件A: the project read back from the workbook's 案件名 row)
for want in "クラウドサービス利用確認票　再回答のお願い" "クラウド事業者への指摘" "案件名" "案件A" "保存期間を3年以上とするか" "消去方法の番号（①～④）" "第三者監査に代わる確認方法" \
    "・事業者："; do
    grep -q "$want" "$TMP/strings-ja.xml" && ok "review-ja $want" || fail review-ja "missing $want"
done
for want in "For the cloud operator" "Case" "Keep the logs for 3 years" "operator: "; do
    grep -q "$want" "$TMP/strings-en.xml" && ok "review-en $want" || fail review-en "missing $want"
done

# no word of the default checklist leaks into any output
cat "$TMP"/*.txt "$TMP/check.json" "$TMP"/strings-*.xml 2>/dev/null >"$TMP/all" || true
cat "$G.check.txt" "$G.check-en.txt" >>"$TMP/all"
for word in 外部サービス提供者 受託者 事業名 必須要件 推奨要件 ①～⑥ 選定 更改・廃棄 "service provider" セキュリティチェックリスト; do
    grep -q "$word" "$TMP/all" && fail "no-default $word" "found in the outputs" || ok "no-default $word"
done

finish
