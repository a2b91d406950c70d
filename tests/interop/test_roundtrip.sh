# Interop: fill then extract gives back the same answers — 200 seeded random
# answer sets (tests/interop/test_roundtrip.py), then a few fixed values that
# are easy to get wrong.
. tests/e2e/lib.sh

# (each case counts as one assertion)
if SECHK="$SECHK" "$PYTHON" tests/interop/test_roundtrip.py --cases "${ROUNDTRIP_CASES:-200}" >"$TMP/rt.log" 2>&1; then
    ok roundtrip-random
else
    fail roundtrip-random "$(tail -n 1 "$TMP/rt.log")"
    head -n 40 "$TMP/rt.log" >&2
fi
n=$(sed -n 's/^test_roundtrip: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$TMP/rt.log")
if [ -n "$n" ]; then
    pass=$((pass + ${n% *}))
    fails=$((fails + ${n#* }))
fi

# fixed values, each in No.1's 備考 (provider) and No.16's 認証（その他：…） (contractor)
"$SECHK" template -o "$TMP/blank.xlsx" --date 2026-04-01
"$SECHK" extract "$TMP/blank.xlsx" >"$TMP/blank.json"
check_value() {
    name=$1 value=$2
    "$PYTHON" - "$TMP/blank.json" "$TMP/v.json" "$value" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for it in d["items"]:
    if it["no"] == 1:
        c = it["cells"]["provider"]
        c["options"][0]["checked"] = True
        c["fields"][[f["id"] for f in c["fields"]].index("remarks")]["value"] = sys.argv[3]
    if it["no"] == 16:
        c = it["cells"]["contractor"]
        c["options"][0]["checked"] = True
        c["fields"][[f["id"] for f in c["fields"]].index("auth-other")]["value"] = sys.argv[3]
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
EOF
    rm -f "$TMP/v.xlsx"
    if ! "$SECHK" fill "$TMP/v.json" -o "$TMP/v.xlsx" 2>"$TMP/err"; then
        fail "value-$name" "fill failed: $(head -c 300 "$TMP/err")"
        return
    fi
    got=$("$SECHK" extract "$TMP/v.xlsx" | "$PYTHON" -c '
import json, sys
d = json.load(sys.stdin)
v = {}
for it in d["items"]:
    for party, c in it["cells"].items():
        for f in (c or {}).get("fields", []):
            v[(it["no"], party, f["id"])] = f["value"]
print(json.dumps([v.get((1, "provider", "remarks")), v.get((16, "contractor", "auth-other"))], ensure_ascii=False))')
    want=$("$PYTHON" -c 'import json, sys; print(json.dumps([sys.argv[1]] * 2, ensure_ascii=False))' "$value")
    if [ "$got" = "$want" ]; then ok "value-$name"; else fail "value-$name" "wrote $want, read $got"; fi
}
check_value xml-specials '<a href="x">&amp;</a> '"'"'q'"'"
check_value excel-escape-A 'コード_x0041_を記載'            # written as _x005F_x0041_, read back as typed
check_value excel-escape-CR '改行は_x000D_と書く'           # a literal _x000D_ is text, not a line break
check_value two-lines '1行目
2行目'
check_value parentheses 'FIDO2（生体認証）'                 # parentheses inside （その他：…）
check_value csv-lead '=1+1'
finish
