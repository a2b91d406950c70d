# sechk diff: a resubmission compared with the previous round (issue 19).
# Pairs are built from the samples: edited answers JSON written back with
# `sechk fill`, layout variants from tests/interop/variants.py (XML rewriting,
# standard library only).  Every JSON output is validated against
# docs/diff-v1.schema.json.
. tests/e2e/lib.sh
C="$PYTHON tests/e2e/diff_cases.py"
S=samples

# run_diff WANT NAME OLD NEW: diff -f json into $TMP/NAME.json, check status and schema
run_diff() {
    rd_want=$1; rd=$2; shift 2
    expect_status "$rd_want" "$rd-status" "$SECHK" diff "$@" -f json
    cp "$TMP/out" "$TMP/$rd.json"
    if $C validate docs/diff-v1.schema.json "$TMP/$rd.json" 2>"$TMP/verr"; then ok "$rd-schema"; else
        fail "$rd-schema" "$(tail -n 3 "$TMP/verr")"
    fi
}

# check NAME EXPR...: assertions on $TMP/NAME.json
check() {
    name=$1; shift
    if $C assert "$TMP/$name.json" "$@" 2>"$TMP/aerr"; then ok "$name-assert"; else fail "$name-assert" "$(cat "$TMP/aerr")"; fi
}

# 1. the same file twice: no change, exit 0
run_diff 0 same "$S/operation.xlsx" "$S/operation.xlsx"
check same 'd["changes"] == []' 'd["summary"]["changed"] is False' 'd["notes"] == []' \
    'd["summary"]["resolved"] == 0 and d["summary"]["new"] == 0'
expect_status 0 same-text "$SECHK" diff "$S/operation.xlsx" "$S/operation.xlsx"
if grep -q '変更点: なし' "$TMP/out"; then ok same-text-says; else fail same-text-says "$(head -c 300 "$TMP/out")"; fi

# 2. a deficient file and its corrected version: every finding resolved
"$SECHK" check "$S/deficient.xlsx" -f json >"$TMP/def-check.json" || true
n_def=$("$PYTHON" -c 'import json,sys; print(sum(len(i["findings"]) for i in json.load(open(sys.argv[1]))["items"]))' "$TMP/def-check.json")
run_diff 1 corrected "$S/deficient.xlsx" "$S/conformant-selection.xlsx"
check corrected "d['summary']['resolved'] == $n_def" 'd["summary"]["open"] == 0' 'd["summary"]["new"] == 0' \
    'all(f["state"] == "resolved" for f in d["findings"])' \
    'ch(4, "provider", "option", "nonconform")[0]["before"] is True' \
    'ch(4, "provider", "option", "nonconform")[0]["divergence"] is True' \
    'ch(4, "item", "status")[0]["before"] == "nonconforming" and ch(4, "item", "status")[0]["after"] == "ok"'

# 3. a corrected file with one new problem and one provider change
"$SECHK" extract "$S/conformant-selection.xlsx" -o "$TMP/conf.json"
$C edit "$TMP/conf.json" "$TMP/r2-answers.json" 'opt:2:contractor:confirmed:false' \
    'field:4:provider:remarks:データは東京・大阪リージョンにのみ保存します。' 'doc:updated:2026年6月1日'
"$SECHK" fill "$TMP/r2-answers.json" -o "$TMP/round2.xlsx"
run_diff 1 round2 "$S/conformant-selection.xlsx" "$TMP/round2.xlsx"
check round2 'len(d["changes"]) == 3' 'd["summary"]["divergences"] == 1' 'd["summary"]["items_changed"] == 2' \
    'ch(4, "provider", "field", "remarks")[0]["divergence"] is True' \
    'ch(4, "provider", "field", "remarks")[0]["after"] == "データは東京・大阪リージョンにのみ保存します。"' \
    '"県への報告・承認が必要です" in ch(4, "provider")[0]["message"]' \
    'ch(2, "contractor", "option", "confirmed")[0]["divergence"] is False' \
    '[(f["no"], f["column"], f["code"], f["state"], f["severity"]) for f in d["findings"]] == [(2, "contractor", "unconfirmed", "new", "warning")]' \
    'd["summary"]["new"] == 1 and d["summary"]["resolved"] == 0' 'd["notes"] == []'
# the text report says the same
expect_status 1 round2-text "$SECHK" diff "$S/conformant-selection.xlsx" "$TMP/round2.xlsx"
if grep -q '\[乖離\] 「備考」' "$TMP/out" && grep -q '前回から外部サービス提供者の回答が変わっています。県への報告・承認が必要です' "$TMP/out" &&
    grep -q '新規 No.2 ' "$TMP/out" && grep -q '指摘: 解消 0 件、継続 0 件、新規 1 件' "$TMP/out"; then ok round2-text-says; else
    fail round2-text-says "$(cat "$TMP/out")"
fi
expect_status 1 round2-text-en "$SECHK" diff "$S/conformant-selection.xlsx" "$TMP/round2.xlsx" --lang en
if grep -q 'findings: 0 resolved, 0 open, 1 new' "$TMP/out"; then ok round2-en-says; else fail round2-en-says "$(cat "$TMP/out")"; fi

# 4. contractor answers going from 済 back to 予定 / 対象外: 乖離
"$SECHK" extract "$S/operation.xlsx" -o "$TMP/op.json"
$C edit "$TMP/op.json" "$TMP/op2.json" 'opt:9:contractor:confirmed:false' 'opt:9:contractor:na:true' \
    'field:9:contractor:remarks:個人情報を扱わないため' 'doc:updated:2027年1月1日'
"$SECHK" fill "$TMP/op2.json" -o "$TMP/op2.xlsx"
run_diff 1 back "$S/operation.xlsx" "$TMP/op2.xlsx"
check back 'ch(9, "contractor", "option", "confirmed")[0]["divergence"] is True' \
    'ch(9, "contractor", "option", "na")[0]["divergence"] is True' \
    'ch(9, "contractor", "field", "remarks")[0]["divergence"] is False' \
    '"受託者" in ch(9, "contractor", "option", "na")[0]["message"]'

# 5. OLD with rows inserted above, NEW moved one column right: no change
mkdir -p "$TMP/var"
if $PYTHON tests/interop/variants.py make "$S/operation.xlsx" "$TMP/var" rows-above column-right >"$TMP/var.log" 2>&1; then
    run_diff 0 layout "$TMP/var/rows-above.xlsx" "$TMP/var/column-right.xlsx"
    check layout 'd["changes"] == []' 'd["summary"]["changed"] is False' \
        'd["old"]["source"]["sha256"] != d["new"]["source"]["sha256"]'
else
    fail layout-make "$(tail -n 5 "$TMP/var.log")"
fi

# 6. a JSON OLD against an .xlsx NEW
run_diff 0 json-xlsx "$TMP/op.json" "$S/operation.xlsx"
check json-xlsx 'd["changes"] == []' 'd["old"]["source"]["path"].endswith("op.json")' 'd["old"]["source"]["sheet"] is None'
run_diff 1 json-xlsx2 "$TMP/op.json" "$TMP/op2.xlsx"
check json-xlsx2 'len(ch(9, "contractor")) == 3'
# different template versions: said once, the common items compared
$C edit "$TMP/op.json" "$TMP/op-v09.json" 'template:version:0.9'
run_diff 0 versions "$TMP/op-v09.json" "$S/operation.xlsx"
check versions '[n["code"] for n in d["notes"]] == ["template-differs", "updated-not-later"]' 'd["old"]["template"]["version"] == "0.9"' \
    'd["changes"] == []'

# the project name (事業名) is read from the header block and shown
"$SECHK" fill "$TMP/r2-answers.json" --project "〇〇県 電子申請基盤整備事業" -o "$TMP/r2-project.xlsx"
run_diff 1 project "$S/conformant-selection.xlsx" "$TMP/r2-project.xlsx"
check project 'd["new"]["document"]["project"] == "〇〇県 電子申請基盤整備事業"' 'd["old"]["document"]["project"] == ""'
expect_status 1 project-text "$SECHK" diff "$S/conformant-selection.xlsx" "$TMP/r2-project.xlsx"
if grep -q '事業名: 〇〇県 電子申請基盤整備事業' "$TMP/out"; then ok project-text-says; else fail project-text-says "$(head -n 3 "$TMP/out")"; fi

# a template of another version without No.36: said once, the 35 common items compared
"$PYTHON" - templates/default.xml "$TMP/v2.xml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
s = s.replace('id="jp-pref-cloud" version="1.0"', 'id="jp-pref-cloud" version="2.0"', 1)
i = s.index('<item no="36"')
s = s[:i] + s[s.index("</item>", i) + len("</item>"):]
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
run_diff 1 tpl-v2 "$S/operation.xlsx" "$TMP/op2.xlsx" --old-template templates/default.xml --template "$TMP/v2.xml"
check tpl-v2 '[n["code"] for n in d["notes"]] == ["template-differs"]' '"前回のみ 1 項目" in d["notes"][0]["message"]' \
    'd["new"]["template"]["version"] == "2.0" and d["old"]["template"]["version"] == "1.0"' \
    'all(c["no"] != 36 for c in d["changes"]) and all(f["no"] != 36 for f in d["findings"])' 'len(ch(9, "contractor")) == 3'

# 7. NEW not dated later than OLD: a warning
$C edit "$TMP/op.json" "$TMP/op-old-date.json" 'doc:updated:2020年1月1日' 'field:1:contractor:remarks:追記'
run_diff 1 dates "$S/operation.xlsx" "$TMP/op-old-date.json"
check dates '[n["code"] for n in d["notes"]] == ["updated-not-later"]'

# 8. unreadable inputs: exit 2 with one line naming the file
printf '{"format": "sechk/answers-v1", "items": [' >"$TMP/broken.json"
expect_status 2 broken-json "$SECHK" diff "$TMP/broken.json" "$S/operation.xlsx"
if [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q 'broken.json' "$TMP/err"; then ok broken-json-msg; else fail broken-json-msg "$(cat "$TMP/err")"; fi
expect_status 2 missing "$SECHK" diff "$S/operation.xlsx" "$TMP/nope.xlsx"
printf 'not a workbook' >"$TMP/junk.xlsx"
expect_status 2 junk "$SECHK" diff "$TMP/junk.xlsx" "$S/operation.xlsx"
expect_status 2 usage-one "$SECHK" diff "$S/operation.xlsx"
expect_status 2 usage-format "$SECHK" diff "$S/operation.xlsx" "$S/operation.xlsx" -f csv
expect_status 2 output-is-input "$SECHK" diff "$S/operation.xlsx" "$TMP/op2.xlsx" -o "$TMP/op2.xlsx"
# every hostile workbook of the committed corpus as OLD (with -o: nothing may be
# left behind), every seventh also as NEW: exit 2, one line naming it
bad_ok=0
n=0
for f in tests/corpus/bad/*.xlsx; do
    n=$((n + 1))
    for side in old new; do
        [ $side = new ] && [ $((n % 7)) -ne 0 ] && continue
        set +e
        if [ $side = old ]; then
            "$SECHK" diff "$f" "$S/operation.xlsx" -o "$TMP/bad.xlsx" >/dev/null 2>"$TMP/err"
        else
            "$SECHK" diff "$S/operation.xlsx" "$f" -f json >/dev/null 2>"$TMP/err"
        fi
        rc=$?
        set -e
        if [ $rc -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -qF "$(basename "$f")" "$TMP/err" && [ ! -e "$TMP/bad.xlsx" ]; then
            bad_ok=$((bad_ok + 1))
        else
            fail "hostile-$side-$(basename "$f")" "exit $rc: $(head -c 300 "$TMP/err")"
        fi
    done
done
if [ "$bad_ok" -ge 70 ]; then ok hostile-corpus; else fail hostile-corpus "only $bad_ok cases passed"; fi

# 9. batch --previous: pairs by relative path, then by service name; a tie is left unpaired
mkdir -p "$TMP/old/a" "$TMP/old/x" "$TMP/new/a"
cp "$S/operation.xlsx" "$TMP/old/a/op.xlsx"
cp "$S/conformant-selection.xlsx" "$TMP/old/cloud-round1.xlsx"
cp "$S/operation.xlsx" "$TMP/old/x/e-app-1.xlsx"
cp "$S/disposal.xlsx" "$TMP/old/x/e-app-2.xlsx"
cp "$TMP/op2.xlsx" "$TMP/new/a/op.xlsx"
cp "$TMP/round2.xlsx" "$TMP/new/cloud-2026-06.xlsx"
cp "$S/libreoffice-resaved.xlsx" "$TMP/new/e-app-renamed.xlsx"
# the same service in two projects: told apart by the 事業名 of the header block
"$SECHK" fill "$TMP/conf.json" --project "A地区 事業" -o "$TMP/old/proj-a.xlsx"
"$SECHK" fill "$TMP/conf.json" --project "B地区 事業" -o "$TMP/old/proj-b.xlsx"
"$SECHK" fill "$TMP/r2-answers.json" --project "B地区　事業" -o "$TMP/new/b-second-round.xlsx"
expect_status 0 batch-prev "$SECHK" batch "$TMP/new" -o "$TMP/bout" --previous "$TMP/old" -j 2
if "$PYTHON" - "$TMP/bout" <<'PY' 2>"$TMP/perr"; then ok batch-prev-outputs; else fail batch-prev-outputs "$(cat "$TMP/perr")"; fi
import csv, io, json, os, sys
import openpyxl
out = sys.argv[1]
rows = list(csv.reader(io.open(os.path.join(out, "previous.csv"), encoding="utf-8-sig", newline="")))
assert rows[0] == ["ファイル", "前回のファイル", "対応付け", "変更項目数", "乖離", "解消", "継続", "新規", "差分"], rows[0]
got = {os.path.basename(r[0]): r[1:] for r in rows[1:]}
assert set(got) == {"op.xlsx", "cloud-2026-06.xlsx", "b-second-round.xlsx"}, got
assert got["b-second-round.xlsx"][0].endswith("old/proj-b.xlsx") and got["b-second-round.xlsx"][1] == "サービス名", got
assert json.load(open(os.path.join(out, "b-second-round.diff.json"), encoding="utf-8"))["new"]["document"]["project"] == "B地区　事業"
assert got["op.xlsx"][0].endswith("old/a/op.xlsx") and got["op.xlsx"][1] == "パス", got
assert got["cloud-2026-06.xlsx"][0].endswith("old/cloud-round1.xlsx"), got
assert got["cloud-2026-06.xlsx"][1:] == ["サービス名", "2", "1", "0", "0", "1", "cloud-2026-06.diff.json"], got
d = json.load(open(os.path.join(out, "cloud-2026-06.diff.json"), encoding="utf-8"))
assert d["format"] == "sechk/diff-v1" and d["summary"]["new"] == 1 and d["summary"]["divergences"] == 1, d["summary"]
assert os.path.exists(os.path.join(out, "a", "op.diff.json"))
wb = openpyxl.load_workbook(os.path.join(out, "previous.xlsx"))
un = [r for r in wb["対応なし"].iter_rows(min_row=2, values_only=True)]
why = {os.path.basename(r[0]): (r[1], r[2]) for r in un}
assert set(why) == {"e-app-renamed.xlsx", "e-app-1.xlsx", "e-app-2.xlsx", "proj-a.xlsx"}, why
assert why["e-app-renamed.xlsx"][0] == "今回" and "複数" in why["e-app-renamed.xlsx"][1], why
assert "e-app-1.xlsx" in why["e-app-renamed.xlsx"][1] and "e-app-2.xlsx" in why["e-app-renamed.xlsx"][1], why
assert why["e-app-1.xlsx"][0] == "前回", why
# the review copies of paired files carry the comparison
rv = openpyxl.load_workbook(os.path.join(out, "cloud-2026-06.review.xlsx"))
assert rv.sheetnames[-1] == "前回との比較", rv.sheetnames
rv = openpyxl.load_workbook(os.path.join(out, "e-app-renamed.review.xlsx"))
assert "前回との比較" not in rv.sheetnames, rv.sheetnames
# the summary gains the 前回比 columns and the unpaired files
sm = openpyxl.load_workbook(os.path.join(out, "summary.xlsx"))
assert sm.sheetnames[-1] == "前回と対応なし", sm.sheetnames
rows = list(sm["一覧"].iter_rows(values_only=True))
head = list(rows[0])
assert head[-5:] == ["前回のファイル", "前回比 変更項目数", "前回比 乖離", "前回比 解消", "前回比 新規"], head[-6:]
byname = {os.path.basename(r[0]): r[-5:] for r in rows[1:]}
assert byname["cloud-2026-06.xlsx"][0].endswith("old/cloud-round1.xlsx"), byname
assert tuple(byname["cloud-2026-06.xlsx"][1:]) == (2, 1, 0, 1), byname
assert byname["e-app-renamed.xlsx"] == (None,) * 5, byname
un = {os.path.basename(r[0]): r[1] for r in sm["前回と対応なし"].iter_rows(min_row=2, values_only=True)}
assert set(un) == {"e-app-renamed.xlsx", "e-app-1.xlsx", "e-app-2.xlsx", "proj-a.xlsx"}, un
assert un["e-app-renamed.xlsx"].startswith("今回: ") and "複数" in un["e-app-renamed.xlsx"], un
assert un["proj-a.xlsx"].startswith("前回: "), un
# the other sheets are still there
assert sm.sheetnames[:3] == ["一覧", "項目別の判定", "指摘事項"], sm.sheetnames
srows = list(csv.reader(io.open(os.path.join(out, "summary.csv"), encoding="utf-8-sig", newline="")))
assert srows[0][-5:] == head[-5:], srows[0][-6:]
sby = {os.path.basename(r[0]): r[-5:] for r in srows[1:]}
assert sby["cloud-2026-06.xlsx"][1:] == ["2", "1", "0", "1"] and sby["e-app-renamed.xlsx"] == [""] * 5, sby
PY
for f in "$TMP/bout/cloud-2026-06.diff.json" "$TMP/bout/a/op.diff.json"; do
    if $C validate docs/diff-v1.schema.json "$f" 2>"$TMP/verr"; then ok "batch-schema"; else fail batch-schema "$(tail -n 3 "$TMP/verr")"; fi
done
expect_status 2 batch-prev-missing "$SECHK" batch "$TMP/new" -o "$TMP/bout2" --previous "$TMP/nope"

# diff -o pins the workbook's creation time to SOURCE_DATE_EPOCH: two runs a
# second apart give the same bytes, created 2026-01-01T00:00:00Z
expect_status 1 pin-1 env SOURCE_DATE_EPOCH=1767225600 "$SECHK" diff "$S/conformant-selection.xlsx" "$TMP/round2.xlsx" \
    -o "$TMP/pin1.xlsx"
sleep 1
expect_status 1 pin-2 env SOURCE_DATE_EPOCH=1767225600 "$SECHK" diff "$S/conformant-selection.xlsx" "$TMP/round2.xlsx" \
    -o "$TMP/pin2.xlsx"
if cmp -s "$TMP/pin1.xlsx" "$TMP/pin2.xlsx"; then ok pin-same-bytes; else fail pin-same-bytes "the two workbooks differ"; fi
if "$PYTHON" -c 'import sys, zipfile; sys.exit("2026-01-01T00:00:00Z</dcterms:created>" not in zipfile.ZipFile(sys.argv[1]).read("docProps/core.xml").decode())' \
    "$TMP/pin1.xlsx"; then ok pin-created; else fail pin-created "docProps/core.xml: no dcterms:created 2026-01-01T00:00:00Z"; fi
expect_status 2 pin-bad-epoch env SOURCE_DATE_EPOCH=soon "$SECHK" diff "$S/conformant-selection.xlsx" "$TMP/round2.xlsx" \
    -o "$TMP/pin3.xlsx"
if [ ! -e "$TMP/pin3.xlsx" ]; then ok pin-bad-epoch-no-output; else fail pin-bad-epoch-no-output "pin3.xlsx written"; fi
# without -o the variable is not read
expect_status 1 pin-not-read env SOURCE_DATE_EPOCH=soon "$SECHK" diff "$S/conformant-selection.xlsx" "$TMP/round2.xlsx"
finish
