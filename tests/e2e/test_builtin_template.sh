# End-to-end: the built-in template (static tables generated at build time by
# tools/mktables.c) behaves as templates/default.xml loaded from the file:
# the same rules and due tables, the same check results on every sample, the
# same blank workbook.  (tests/unit/test_template.c compares the two loaded
# templates member by member.)
. tests/e2e/lib.sh

# same_output NAME ARGS...: `sechk ARGS` and `sechk ARGS --template
# templates/default.xml` exit alike and print the same bytes.
same_output() {
    name=$1; shift
    set +e
    "$SECHK" "$@" >"$TMP/builtin.out" 2>"$TMP/builtin.err"; a=$?
    "$SECHK" "$@" --template "$ROOT/templates/default.xml" >"$TMP/file.out" 2>"$TMP/file.err"; b=$?
    set -e
    if [ "$a" -ne "$b" ]; then
        fail "$name" "exit $a with the built-in template, $b with the file"
    elif ! cmp -s "$TMP/builtin.out" "$TMP/file.out"; then
        fail "$name" "output differs: $(diff "$TMP/builtin.out" "$TMP/file.out" | head -5)"
    elif [ ! -s "$TMP/builtin.out" ]; then
        fail "$name" "no output"
    else
        ok "$name"
    fi
}

same_output rules template --rules
same_output due template --due
grep -q '^| ' "$TMP/builtin.out" && ok due-is-a-table || fail due-is-a-table "$(head -2 "$TMP/builtin.out")"
for f in "$ROOT"/samples/*.xlsx; do
    b=$(basename "$f" .xlsx)
    same_output "check-json-$b" check -f json "$f"
    same_output "check-text-$b" check --lang en "$f"
done
same_output extract-json extract "$ROOT/samples/operation.xlsx"
same_output extract-csv extract -f csv --layout item "$ROOT/samples/operation.xlsx"

# a blank workbook: the same parts (docProps/core.xml holds the time of writing)
expect_status 0 blank-builtin "$SECHK" template -o "$TMP/builtin.xlsx" --date 2026-04-01 --project P
expect_status 0 blank-file "$SECHK" template -o "$TMP/file.xlsx" --date 2026-04-01 --project P \
    --template "$ROOT/templates/default.xml"
if "$PYTHON" - "$TMP/builtin.xlsx" "$TMP/file.xlsx" <<'PY'
import sys, zipfile
a, b = (zipfile.ZipFile(p) for p in sys.argv[1:3])
names = sorted(n for n in a.namelist() if n != "docProps/core.xml")
assert names == sorted(n for n in b.namelist() if n != "docProps/core.xml"), "parts differ"
assert len(names) > 5, names
for n in names:
    assert a.read(n) == b.read(n), n
PY
then ok blank-same; else fail blank-same "the blank workbooks differ"; fi

finish
