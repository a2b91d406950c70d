# End-to-end: `sechk extract` of every sample equals its golden file.
# samples/NAME.expected.json is `sechk extract samples/NAME.xlsx` run from the
# repository root (tests/make_samples.py writes both; --golden-only refreshes
# the JSON after a deliberate change).
. tests/e2e/lib.sh

n=0
for x in samples/*.xlsx; do
    name=$(basename "$x" .xlsx)
    want=samples/$name.expected.json
    n=$((n + 1))
    if [ ! -f "$want" ]; then
        fail "golden-$name" "no $want (run tests/make_samples.py --golden-only)"
        continue
    fi
    set +e
    "$SECHK" extract "$x" >"$TMP/$name.json" 2>"$TMP/$name.err"
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
        fail "golden-$name" "extract exit $rc: $(head -c 300 "$TMP/$name.err")"
        continue
    fi
    if diff -u "$want" "$TMP/$name.json" >"$TMP/$name.diff"; then
        ok "golden-$name"
    else
        fail "golden-$name" "extract differs from $want (first lines of the diff):"
        head -n 40 "$TMP/$name.diff" | sed 's/^/    /' >&2
    fi
    # the file's own facts, independent of the golden file
    sum=$(sha256sum "$x" | cut -d' ' -f1)
    grep -q "\"sha256\": \"$sum\"" "$TMP/$name.json" && ok "sha256-$name" || fail "sha256-$name" "sha256 is not $sum"
    grep -q "\"path\": \"samples/$name.xlsx\"" "$TMP/$name.json" && ok "path-$name" || fail "path-$name" "source.path"
done
[ "$n" -ge 6 ] && ok sample-count || fail sample-count "only $n samples (at least 6 wanted)"
for s in conformant-selection deficient operation libreoffice-resaved excel-style; do
    [ -f "samples/$s.xlsx" ] && ok "have-$s" || fail "have-$s" "samples/$s.xlsx missing"
done

# several inputs give an array whose elements are the single-file outputs; -o writes the same bytes
set -- samples/*.xlsx
"$SECHK" extract "$@" >"$TMP/all.json"
if "$PYTHON" - "$TMP/all.json" "$@" <<'EOF'; then ok array; else fail array "array of $# extracts differs from the golden files"; fi
import json, sys
got = json.load(open(sys.argv[1], encoding="utf-8"))
files = sys.argv[2:]
assert isinstance(got, list) and len(got) == len(files), "not an array of %d" % len(files)
for g, f in zip(got, files):
    want = json.load(open(f[:-5] + ".expected.json", encoding="utf-8"))
    assert g == want, f
    # every finding carries its message (a message cut inside a UTF-8 character made jansson drop it)
    for it in g["items"]:
        for fd in it["findings"]:
            assert isinstance(fd.get("message"), str) and fd["message"], (f, it["no"], fd)
EOF
"$SECHK" extract samples/deficient.xlsx -o "$TMP/o.json"
cmp -s "$TMP/o.json" samples/deficient.expected.json && ok output-file || fail output-file "-o output differs from stdout"

# files other programs wrote read the same answers as the sechk-written file they came from
# (only source.path/sha256/sheet dropped; rows and refs moved by the known offset: see
# tests/interop/variants.py answers_view)
pair() {
    if "$PYTHON" tests/interop/variants.py compare "samples/$1.expected.json" "samples/$2.expected.json" "$3" \
        >"$TMP/pair" 2>&1; then
        ok "same-$2"
    else
        fail "same-$2" "$2 reads differently from $1:"
        cat "$TMP/pair" >&2
    fi
}
pair conformant-selection excel-style excel-style
pair operation libreoffice-resaved libreoffice

# what the samples are meant to be (guards the generator and the golden files alike)
expect_status 0 check-conformant "$SECHK" check samples/conformant-selection.xlsx
grep -q '"phase": "selection"' samples/conformant-selection.expected.json && ok conformant-phase || fail conformant-phase "not selection"
expect_status 0 check-operation "$SECHK" check samples/operation.xlsx --phase operation
expect_status 0 check-development "$SECHK" check samples/development.xlsx
grep -q '"phase": "development"' samples/development.expected.json && ok development-phase || fail development-phase \
    "auto phase of a development submission (No.24's 開発以降 block answered) is not development"
expect_status 0 check-disposal "$SECHK" check samples/disposal.xlsx
expect_status 1 check-deficient "$SECHK" check samples/deficient.xlsx
"$SECHK" check -f json samples/deficient.xlsx >"$TMP/def.json" || true
for code in child-without-parent conflict nonconforming slot-empty disposal-invalid value-too-low only-option \
    year-month-missing text-altered marker-missing unanswered implied-missing; do
    grep -q "\"code\": \"$code\"" "$TMP/def.json" && ok "deficient-$code" || fail "deficient-$code" "no $code finding"
done
finish
