# Interop: the same answers read back from layout variants of a filled workbook.
# tests/interop/variants.py writes each variant (XML rewriting, openpyxl,
# LibreOffice), checks that the variant file really has its change, and
# compares the two extracts: only source.path and source.sha256 are dropped
# (and source.sheet for the renamed sheet of excel-style); rows and cell
# addresses are compared after moving the original's by the variant's known
# offset; options, fields, altered, statuses and findings must be equal.
. tests/e2e/lib.sh

if ! command -v soffice >/dev/null 2>&1; then
    echo "test_layout_variants: soffice missing (make deps installs libreoffice-calc-nogui)" >&2
    exit 1
fi
V="$PYTHON tests/interop/variants.py"
names=$($V names)
for src in operation deficient; do
    mkdir -p "$TMP/$src"
    "$SECHK" extract "samples/$src.xlsx" >"$TMP/$src/orig.json"
    if ! HOME=$TMP SECHK="$SECHK" $V make "samples/$src.xlsx" "$TMP/$src" >"$TMP/make.log" 2>&1; then
        fail "make-$src" "variants.py make failed: $(tail -n 5 "$TMP/make.log")"
        continue
    fi
    for v in $names; do
        x=$TMP/$src/$v.xlsx
        if [ ! -s "$x" ]; then
            fail "$src-$v" "variant not written"
            continue
        fi
        set +e
        "$SECHK" extract "$x" >"$TMP/$src/$v.json" 2>"$TMP/err"
        rc=$?
        set -e
        if [ "$rc" -ne 0 ]; then
            fail "$src-$v" "extract exit $rc: $(head -c 300 "$TMP/err")"
            continue
        fi
        sheet=$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"]["sheet"])' "$TMP/$src/$v.json")
        if $V check "$v" "$x" "$sheet" >"$TMP/chk" 2>&1; then ok "$src-$v-made"; else
            fail "$src-$v-made" "$(cat "$TMP/chk")"
        fi
        if $V compare "$TMP/$src/orig.json" "$TMP/$src/$v.json" "$v" >"$TMP/cmp" 2>&1; then ok "$src-$v"; else
            fail "$src-$v" "answers differ from samples/$src.xlsx:"
            cat "$TMP/cmp" >&2
        fi
    done
done
finish
