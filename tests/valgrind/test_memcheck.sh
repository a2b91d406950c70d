# valgrind memcheck over a representative subset (make test-full): every
# subcommand once, on the samples, with its output compared to the same
# command's output without valgrind; and a batch with a crashing worker.
# tests/valgrind-sechk.sh makes any memory error or definite leak exit 99.
. tests/e2e/lib.sh
: "${SECHK_REAL:=build/sechk}"
case "$SECHK_REAL" in /*) ;; *) SECHK_REAL="$ROOT/$SECHK_REAL" ;; esac
if ! command -v valgrind >/dev/null 2>&1; then
    fail valgrind "valgrind missing (make deps installs it)"
    finish
    exit 1
fi
VG="$ROOT/tests/valgrind-sechk.sh"
export SECHK_REAL SOURCE_DATE_EPOCH=1767225600
S1=$ROOT/samples/deficient.xlsx
S2=$ROOT/samples/operation.xlsx

# same NAME WANT-STATUS ARGS...: `sechk ARGS` under valgrind and without it,
# with "@" in ARGS standing for the output folder of each run; the exit
# status, stdout and every output file must be equal.
same() {
    name=$1 want=$2
    shift 2
    mkdir -p "$TMP/$name.vg" "$TMP/$name.plain"
    for run in vg plain; do
        d=$TMP/$name.$run
        set --  "$@"
        args=""
        for a in "$@"; do args="$args '$(printf '%s' "$a" | sed "s#@#$d#g; s#'#'\\\\''#g")'"; done
        if [ $run = vg ]; then bin=$VG; else bin=$SECHK_REAL; fi
        set +e
        eval "\"$bin\" $args" >"$d.stdout" 2>"$d.stderr"
        echo $? >"$d.rc"
        set -e
    done
    rc=$(cat "$TMP/$name.vg.rc")
    if [ "$rc" = 99 ]; then
        fail "$name-memcheck" "valgrind: $(head -c 1500 "$TMP/$name.vg.stderr")"
    elif [ "$rc" != "$want" ]; then
        fail "$name-exit" "exit $rc, want $want: $(head -c 300 "$TMP/$name.vg.stderr")"
    else
        ok "$name-exit"
    fi
    [ "$(cat "$TMP/$name.plain.rc")" = "$rc" ] && ok "$name-exit-same" || fail "$name-exit-same" "plain exit differs"
    sed "s#$TMP/$name.vg#@#g" "$TMP/$name.vg.stdout" >"$TMP/$name.a"
    sed "s#$TMP/$name.plain#@#g" "$TMP/$name.plain.stdout" >"$TMP/$name.b"
    cmp -s "$TMP/$name.a" "$TMP/$name.b" && ok "$name-stdout" || fail "$name-stdout" "stdout differs under valgrind"
    if diff -r "$TMP/$name.vg" "$TMP/$name.plain" >/dev/null; then ok "$name-files"; else
        fail "$name-files" "$(diff -rq "$TMP/$name.vg" "$TMP/$name.plain" | head -5)"
    fi
}

same template 0 template -o @/blank.xlsx --project P --service S --date 2026-04-01
same template-rules 0 template --rules
same extract-json 0 extract "$S1" "$S2"
same extract-csv 0 extract -f csv "$S1" -o @/a.csv
same extract-cp932 0 extract -f csv --encoding cp932 "$S2" -o @/a.csv
same check-text 1 check "$S1" --lang en
same check-json 1 check -f json "$S1" "$S2"
same review 1 review "$S1" -o @/r.xlsx
"$SECHK_REAL" extract "$S2" >"$TMP/answers.json"
same fill 0 fill "$TMP/answers.json" -o @/f.xlsx
same batch 1 batch "$ROOT/samples" -o @/out -j 2
same diff 1 diff "$S1" "$S2"
# diff.xlsx is not pinned to SOURCE_DATE_EPOCH: under memcheck, compared by its cells' text only
expect_status 1 diff-xlsx "$VG" diff "$S1" "$S2" -o "$TMP/d-vg.xlsx"
"$SECHK_REAL" diff "$S1" "$S2" -o "$TMP/d-plain.xlsx" >/dev/null 2>&1 || true
for x in d-vg d-plain; do unzip -p "$TMP/$x.xlsx" xl/sharedStrings.xml >"$TMP/$x.sst" 2>/dev/null || true; done
[ -s "$TMP/d-vg.sst" ] && cmp -s "$TMP/d-vg.sst" "$TMP/d-plain.sst" && ok diff-xlsx-same || fail diff-xlsx-same "texts differ"
same diff-json 1 diff -f json "$TMP/answers.json" "$S1"

# a batch whose worker crashes on one file: reported, the others done
HOOKS=$(testhooks)
if [ -z "$HOOKS" ]; then
    fail testhooks "cannot build tests/shim/testhooks.c"
else
    mkdir -p "$TMP/in"
    cp "$S1" "$TMP/in/a.xlsx"; cp "$S1" "$TMP/in/b.xlsx"; cp "$S2" "$TMP/in/c.xlsx"
    expect_status 2 crash env LD_PRELOAD="$HOOKS" SECHK_TEST_CRASH=b.xlsx "$VG" batch "$TMP/in" -o "$TMP/crash" \
        -j 2 --no-review --lang en
    grep -q "b.xlsx: worker crashed" "$TMP/err" && ok crash-reported || fail crash-reported "$(head -c 1500 "$TMP/err")"
    [ -s "$TMP/crash/a.json" ] && [ -s "$TMP/crash/c.json" ] && ok crash-others || fail crash-others "others not done"
fi
finish
