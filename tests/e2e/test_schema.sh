# Every template validates against the RELAX NG schema.
. tests/e2e/lib.sh
for f in templates/*.xml; do
    if xmllint --noout --relaxng templates/template.rng "$f" 2>"$TMP/err"; then ok "$f"; else fail "$f" "$(cat "$TMP/err")"; fi
done
finish
