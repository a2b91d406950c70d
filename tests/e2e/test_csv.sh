# End-to-end: `sechk extract -f csv` — rows match the JSON, CP932 output decodes
# back to the UTF-8 output, characters CP932 cannot hold are a clean error
# naming the cell, and values that spreadsheet programs would run as formulas
# are neutralised (OWASP: a leading apostrophe).
. tests/e2e/lib.sh

# csvcheck.py CSV JSON...: the CSV rows are exactly the rows the JSON answers give.
cat >"$TMP/csvcheck.py" <<'EOF'
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM (Excel needs it to read UTF-8 on a double click)"
text = raw[3:].decode("utf-8")
# RFC 4180: CRLF after every record (also the last), LF only inside quoted values
assert text.endswith("\r\n"), "last record not ended by CRLF"
rows = list(csv.reader(io.StringIO(text, newline="")))
assert rows[0] == ["file", "no", "column", "kind", "id", "label", "checked", "value"], rows[0]
LEADS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
def neutral(s):
    return "'" + s if s.startswith(LEADS) else s
want = []
for path in sys.argv[2:]:
    docs = json.load(open(path, encoding="utf-8"))
    for d in docs if isinstance(docs, list) else [docs]:
        f = d["source"]["path"]
        for it in d["items"]:
            if it["row"] is None:
                continue
            for party in ("provider", "contractor"):
                c = it["cells"][party]
                if c is None:
                    continue
                for o in c["options"]:
                    want.append([f, str(it["no"]), party, "option", o["id"] or "", neutral(o["label"]),
                                 "true" if o["checked"] else "false", ""])
                for fl in c["fields"]:
                    want.append([f, str(it["no"]), party, "field", fl["id"], neutral(fl["label"]), "",
                                 neutral(fl["value"])])
got = rows[1:]
for i, (g, w) in enumerate(zip(got, want)):
    assert g == w, "row %d: csv %r, json %r" % (i + 2, g, w)
assert len(got) == len(want), "%d csv rows, %d from the json" % (len(got), len(want))
assert any(r[3] == "field" and r[7] for r in got), "no field value at all: a weak test"
assert any(r[6] == "true" for r in got), "no checked option at all: a weak test"
EOF

# 1. UTF-8 CSV rows = JSON rows, per sample and for several samples at once
for s in operation deficient excel-style libreoffice-resaved; do
    "$SECHK" extract -f csv "samples/$s.xlsx" >"$TMP/$s.csv"
    "$SECHK" extract "samples/$s.xlsx" >"$TMP/$s.json"
    if "$PYTHON" "$TMP/csvcheck.py" "$TMP/$s.csv" "$TMP/$s.json" 2>"$TMP/err"; then ok "rows-$s"; else
        fail "rows-$s" "$(tail -n 1 "$TMP/err")"
    fi
done
"$SECHK" extract -f csv samples/operation.xlsx samples/deficient.xlsx >"$TMP/two.csv"
if "$PYTHON" "$TMP/csvcheck.py" "$TMP/two.csv" "$TMP/operation.json" "$TMP/deficient.json" 2>"$TMP/err"; then
    ok rows-two-files
else
    fail rows-two-files "$(tail -n 1 "$TMP/err")"
fi
[ "$(grep -c 'file,no,' "$TMP/two.csv")" -eq 1 ] && ok one-header || fail one-header "header repeated"

# 2. CP932 output decodes (iconv) to the same bytes as the UTF-8 output
"$SECHK" extract -f csv samples/*.xlsx >"$TMP/all.csv"
"$SECHK" extract -f csv --encoding cp932 samples/*.xlsx >"$TMP/all.sjis"
cmp -s "$TMP/all.csv" "$TMP/all.sjis" && fail cp932-encoded "CP932 output equals the UTF-8 output" || ok cp932-encoded
tail -c +4 "$TMP/all.csv" >"$TMP/all.nobom.csv"
"$SECHK" extract -f csv --no-bom samples/*.xlsx >"$TMP/all.nobom2.csv"
cmp -s "$TMP/all.nobom.csv" "$TMP/all.nobom2.csv" && ok no-bom || fail no-bom "--no-bom is not the output less its BOM"
head -c 3 "$TMP/all.sjis" | od -An -tx1 | grep -q "ef bb bf" && fail cp932-no-bom "BOM in CP932" || ok cp932-no-bom
if iconv -f CP932 -t UTF-8 "$TMP/all.sjis" >"$TMP/back.csv" 2>"$TMP/err" && cmp -s "$TMP/back.csv" "$TMP/all.nobom.csv"; then
    ok cp932-roundtrip
else
    fail cp932-roundtrip "iconv -f CP932 of the cp932 output differs from the UTF-8 output: $(cat "$TMP/err")"
fi
"$SECHK" extract -f csv --encoding cp932 samples/operation.xlsx -o "$TMP/o.sjis"
tail -c +4 "$TMP/operation.csv" | iconv -t CP932 -f UTF-8 | cmp -s - "$TMP/o.sjis" && ok cp932-output-file || fail cp932-output-file "-o"
expect_status 2 cp932-needs-csv "$SECHK" extract --encoding cp932 samples/operation.xlsx
expect_status 2 bad-encoding "$SECHK" extract -f csv --encoding latin1 samples/operation.xlsx
for o in --no-bom "--header ja" "--layout item" "--encoding cp932 --cp932-fallback"; do
    # shellcheck disable=SC2086
    expect_status 2 "csv-only${o%% *}" "$SECHK" extract $o samples/operation.xlsx
done
expect_status 2 fallback-needs-cp932 "$SECHK" extract -f csv --cp932-fallback samples/operation.xlsx
expect_status 2 bad-header "$SECHK" extract -f csv --header fr samples/operation.xlsx
expect_status 2 bad-layout "$SECHK" extract -f csv --layout wide samples/operation.xlsx

# Japanese header and labels: the same rows, the columns' names from the template, ■/□
"$SECHK" extract -f csv --header ja --no-bom samples/operation.xlsx >"$TMP/ja.csv"
if "$PYTHON" - "$TMP/ja.csv" "$TMP/operation.csv" <<'EOF'; then ok header-ja; else fail header-ja "see above"; fi
import csv, sys
ja = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
en = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig", newline="")))
assert ja[0] == ["ファイル", "No.", "回答欄", "種別", "ID", "項目", "チェック", "記入内容"], ja[0]
col = {"provider": "外部サービス提供者回答欄", "contractor": "受託者回答欄"}
kind = {"option": "選択肢", "field": "記入欄"}
chk = {"true": "■", "false": "□", "": ""}
assert len(ja) == len(en), (len(ja), len(en))
for j, e in zip(ja[1:], en[1:]):
    want = [e[0], e[1], col[e[2]], kind[e[3]], e[4], e[5], chk[e[6]], e[7]]
    assert j == want, (j, want)
EOF

# --layout item: one row per item and answer column, the checked labels
# joined with 「、」, one column per field id, equal to the JSON answers
"$SECHK" extract -f csv --layout item --header ja samples/operation.xlsx samples/deficient.xlsx >"$TMP/item.csv"
"$SECHK" extract samples/operation.xlsx samples/deficient.xlsx >"$TMP/two.json"
if "$PYTHON" - "$TMP/item.csv" "$TMP/two.json" <<'EOF'; then ok layout-item; else fail layout-item "see above"; fi
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
head, rows = rows[0], rows[1:]
assert head[:4] == ["ファイル", "No.", "回答欄", "チェックした選択肢"], head
docs = json.load(open(sys.argv[2], encoding="utf-8"))
col = {"provider": "外部サービス提供者回答欄", "contractor": "受託者回答欄"}
LEADS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
want, labels = [], {}
for d in docs:
    for it in d["items"]:
        if it["row"] is None:
            continue
        for p in ("provider", "contractor"):
            c = it["cells"][p]
            if c is None:
                continue
            vals = {}
            for f in c["fields"]:
                labels.setdefault(f["id"], f["label"])
                v = f["value"]
                vals[f["id"]] = "'" + v if v.startswith(LEADS) else v
            want.append((d["source"]["path"], str(it["no"]), col[p],
                         "、".join(o["label"] for o in c["options"] if o["checked"]), vals))
field_cols = head[4:]
assert len(field_cols) == len(labels), (len(field_cols), len(labels))
assert len(rows) == len(want), (len(rows), len(want))
ids = list(labels)  # first-seen order is the template's order
for r, (f, no, c, checked, vals) in zip(rows, want):
    assert r[:4] == [f, no, c, checked], (r[:4], [f, no, c, checked])
    got = {i: v for i, v in zip(ids, r[4:]) if v}
    assert got == {k: v for k, v in vals.items() if v}, (no, c, got, vals)
assert any("、" in r[3] for r in rows), "no cell with two checked options: a weak test"
assert any(any(r[4:]) for r in rows), "no field value at all: a weak test"
EOF


# answers with CSV-injection leads, CP932 pitfalls and a character CP932 lacks
"$SECHK" template -o "$TMP/blank.xlsx" --date 2026-04-01
"$SECHK" extract "$TMP/blank.xlsx" >"$TMP/blank.json"
# answers.py BLANK OUT NO:PARTY:FIELD=VALUE...: sets field values (and checks the cell's first box)
cat >"$TMP/answers.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
items = {it["no"]: it for it in d["items"]}
for spec in sys.argv[3:]:
    where, value = spec.split("=", 1)
    no, party, field = where.split(":")
    c = items[int(no)]["cells"][party]
    c["options"][0]["checked"] = True
    [f for f in c["fields"] if f["id"] == field][0]["value"] = value
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF

# 3. a character CP932 cannot hold: exit 2, the file and the cell named, no partial record
"$PYTHON" "$TMP/answers.py" "$TMP/blank.json" "$TMP/bad.json" "3:contractor:remarks=吉野家の𠮷野" \
    "5:provider:remarks=絵文字😀"
"$SECHK" fill "$TMP/bad.json" -o "$TMP/bad.xlsx"
expect_status 0 utf8-holds-it "$SECHK" extract -f csv "$TMP/bad.xlsx"
grep -q '吉野家の𠮷野' "$TMP/out" && ok utf8-value || fail utf8-value "value not in the UTF-8 CSV"
expect_status 2 cp932-unmappable "$SECHK" extract -f csv --encoding cp932 "$TMP/bad.xlsx"
cp "$TMP/out" "$TMP/bad.sjis"
cp "$TMP/err" "$TMP/bad.err"
grep -q "bad.xlsx" "$TMP/err" && ok unmappable-file || fail unmappable-file "$(cat "$TMP/err")"
grep -q "I11" "$TMP/err" && grep -q "No.3" "$TMP/err" && ok unmappable-cell || fail unmappable-cell "$(cat "$TMP/err")"
grep -q "U+20BB7" "$TMP/err" && ok unmappable-char || fail unmappable-char "$(cat "$TMP/err")"
[ "$(wc -l <"$TMP/err")" -ge 1 ] && [ "$(grep -c '^sechk: ' "$TMP/err")" -eq "$(wc -l <"$TMP/err")" ] &&
    ok unmappable-msg-form || fail unmappable-msg-form "$(cat "$TMP/err")"
# --cp932-fallback: 〓 for each such character, each listed on stderr with its cell; exit 0
expect_status 0 cp932-fallback "$SECHK" extract -f csv --encoding cp932 --cp932-fallback "$TMP/bad.xlsx"
iconv -f CP932 -t UTF-8 "$TMP/out" | grep -q '吉野家の〓野' && ok fallback-geta || fail fallback-geta "no 〓 in the value"
iconv -f CP932 -t UTF-8 "$TMP/out" | grep -q '絵文字〓' && ok fallback-geta-2 || fail fallback-geta-2 "no 〓 for the emoji"
[ "$(grep -c 'U+20BB7' "$TMP/err")" -eq 1 ] && grep 'U+20BB7' "$TMP/err" | grep -q "I11 (No.3 contractor)" &&
    ok fallback-listed || fail fallback-listed "$(cat "$TMP/err")"
grep -q 'U+1F600' "$TMP/err" && ok fallback-listed-2 || fail fallback-listed-2 "$(cat "$TMP/err")"
[ "$(wc -l <"$TMP/err")" -eq 2 ] && ok fallback-lines || fail fallback-lines "$(cat "$TMP/err")"
cp "$TMP/bad.err" "$TMP/err"
if iconv -f CP932 -t UTF-8 "$TMP/bad.sjis" 2>/dev/null | "$PYTHON" -c '
import csv, io, sys
text = sys.stdin.read()
assert text == "" or text.endswith("\r\n"), "output ends inside a record"
for r in csv.reader(io.StringIO(text, newline="")):
    assert len(r) == 8, r
    assert not r[7].startswith("吉野家"), "partial value %r" % r[7]
'; then ok unmappable-no-partial; else fail unmappable-no-partial "a partial or malformed record was written"; fi

# 4. OWASP CSV injection: = + - @ and their full-width forms get a leading apostrophe (CSV only)
"$PYTHON" "$TMP/answers.py" "$TMP/blank.json" "$TMP/inj.json" "1:provider:remarks==1+1" \
    "2:provider:disclosure=＝SUM(A1)" "2:provider:remarks=+81-3-0000" "4:provider:law=-5" "4:provider:remarks=@cmd" \
    "6:provider:remarks=＋1" "8:provider:remarks=－1" "10:provider:free-text=＠x" "10:provider:remarks=a=b" \
    "11:provider:remarks=10〜20―30"
"$SECHK" fill "$TMP/inj.json" -o "$TMP/inj.xlsx"
"$SECHK" extract -f csv "$TMP/inj.xlsx" >"$TMP/inj.csv"
"$SECHK" extract "$TMP/inj.xlsx" >"$TMP/inj.out.json"
if "$PYTHON" - "$TMP/inj.csv" "$TMP/inj.out.json" <<'EOF'; then ok injection; else fail injection "see above"; fi
import csv, io, json, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="utf-8", newline="").read(), newline="")))
val = {(r[1], r[2], r[4]): r[7] for r in rows[1:] if r[3] == "field"}
want = {("1", "provider", "remarks"): "'=1+1", ("2", "provider", "disclosure"): "'＝SUM(A1)",
        ("2", "provider", "remarks"): "'+81-3-0000", ("4", "provider", "law"): "'-5",
        ("4", "provider", "remarks"): "'@cmd", ("6", "provider", "remarks"): "'＋1",
        ("8", "provider", "remarks"): "'－1", ("10", "provider", "free-text"): "'＠x",
        ("10", "provider", "remarks"): "a=b"}
bad = [(k, val.get(k), v) for k, v in want.items() if val.get(k) != v]
for k, g, w in bad:
    print("  csv %s: %r, want %r" % (k, g, w), file=sys.stderr)
# the JSON keeps the value as typed
d = json.load(open(sys.argv[2], encoding="utf-8"))
j = {(str(it["no"]), p, f["id"]): f["value"] for it in d["items"] for p, c in it["cells"].items() if c
     for f in c["fields"]}
for k, v in want.items():
    if j[k] != v.lstrip("'") or (v.startswith("'") and j[k].startswith("'")):
        bad.append(k)
        print("  json %s: %r" % (k, j[k]), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
tr -d '\r' <"$TMP/inj.csv" | grep -qx "$TMP/inj.xlsx,1,provider,option,conform,適合,true," && ok option-row ||
    fail option-row "no plain option row"

# 5. CP932 pitfalls: U+301C WAVE DASH is written as 0x8160 (read back as U+FF5E), U+2015 as 0x815C
"$SECHK" extract -f csv --encoding cp932 "$TMP/inj.xlsx" >"$TMP/inj.sjis"
grep -qF "$(printf '10\201\140\062\060\201\134\063\060')" "$TMP/inj.sjis" && ok cp932-wave-dash || fail cp932-wave-dash \
    "10〜20―30 not written as 10 0x8160 20 0x815C 30"
finish
