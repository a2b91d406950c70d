# End-to-end: hostile inputs and output safety (issue 7, docs/security.md).
#
# Every case of the committed corpus (tests/corpus/bad/) and of the big one
# generated here by tests/make_corpus.py must make `sechk extract -o OUT`
# exit 2 with exactly one line on stderr that names the file and the reason,
# within 20 s and 1 GiB of address space, leaving no output (nor temporary)
# file and no byte of /etc/passwd or /etc/hostname anywhere.  Then the
# output side: an output that is the input (also through a symlink or a
# hard link), a folder, a missing or unwritable folder, a FIFO, a full disk.
# Under valgrind (tests/valgrind, SECHK_UNDER_VALGRIND=1) and for a sanitizer
# build the time limit is longer and the memory limit is off.
. tests/e2e/lib.sh

if [ -n "${SECHK_UNDER_VALGRIND:-}" ]; then
    TIME_LIMIT=900
    MEM_KB=unlimited
elif grep -aq __asan_init "$SECHK" 2>/dev/null; then
    # AddressSanitizer reserves terabytes of address space: no ulimit -v
    TIME_LIMIT=60
    MEM_KB=unlimited
else
    TIME_LIMIT=20
    MEM_KB=1048576
fi
BIG=$TMP/big
OUT=$TMP/outputs
mkdir -p "$OUT"
"$PYTHON" tests/make_corpus.py big "$BIG"
"$PYTHON" tests/make_corpus.py valid "$TMP"
VALID=$TMP/valid.xlsx
HOSTNAME_TEXT=$(cat /etc/hostname 2>/dev/null || true)

# leaks FILE...: true if a file shows /etc/passwd or /etc/hostname content.
leaks() {
    grep -Eq 'root:[^:]*:0:0:|/bin/(ba|da)?sh$|nologin' "$@" 2>/dev/null && return 0
    if [ "${#HOSTNAME_TEXT}" -ge 6 ]; then
        grep -Fq "$HOSTNAME_TEXT" "$@" 2>/dev/null && return 0
    fi
    return 1
}

# run_limited DIR CMD...: runs CMD in DIR under the time and memory limits;
# stdout to $TMP/stdout, stderr to $TMP/err, exit status in $rc.
run_limited() {
    dir=$1
    shift
    set +e
    (
        ulimit -v "$MEM_KB"
        cd "$dir" && exec timeout -s KILL "$TIME_LIMIT" "$@"
    ) >"$TMP/stdout" 2>"$TMP/err"
    rc=$?
    set -e
}

# one_line NAME FILE REASON: stderr is one line "sechk: FILE: ...REASON...".
one_line() {
    if [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
        fail "$1-one-line" "$(wc -l <"$TMP/err") lines: $(head -c 400 "$TMP/err")"
    elif ! head -n 1 "$TMP/err" | grep -Fq "sechk: $2: "; then
        fail "$1-names-file" "$(cat "$TMP/err")"
    elif ! grep -Fq -- "$3" "$TMP/err"; then
        fail "$1-reason" "want \"$3\": $(cat "$TMP/err")"
    else
        ok "$1"
    fi
}

# check_case DIR NAME REASON OPTS: one hostile file through `sechk extract`
# (only the files HOSTILE_SUBSET names, when it is set: tests/valgrind).
check_case() {
    dir=$1; name=$2; reason=$3; opts=$4
    if [ -n "${HOSTILE_SUBSET:-}" ]; then
        case " $(echo $HOSTILE_SUBSET) " in *" $name "*) ;; *) return 0 ;; esac
    fi
    ran=$((ran + 1))
    out=$OUT/$name.json
    # shellcheck disable=SC2086 # opts are words
    run_limited "$dir" "$SECHK" extract --lang en $opts -o "$out" "$name"
    if [ "$rc" -gt 128 ]; then
        fail "$name-crash" "killed by signal $((rc - 128)) (crash, or over $TIME_LIMIT s)"
        return
    fi
    [ "$rc" -eq 2 ] && ok "$name-exit" || fail "$name-exit" "exit $rc, want 2: $(head -c 300 "$TMP/err")"
    one_line "$name" "$name" "$reason"
    grep -Eq 'parser error|libxml|^[^s]|^$' "$TMP/err" && fail "$name-noise" "$(cat "$TMP/err")" || ok "$name-noise"
    [ ! -s "$TMP/stdout" ] && ok "$name-stdout" || fail "$name-stdout" "output on stdout with -o"
    if [ -e "$out" ] || ls -a "$OUT" | grep -q "^\.$name\.json\."; then
        fail "$name-no-output" "an output or temporary file was left behind"
        rm -f "$out" "$OUT/.$name.json."*
    else
        ok "$name-no-output"
    fi
    leaks "$TMP/stdout" "$TMP/err" && fail "$name-leak" "local file content in the output" || ok "$name-leak"
}

# every case: the committed corpus, then the big ones
n=0
ran=0
for dir in "$ROOT/tests/corpus/bad" "$BIG"; do
    [ -f "$dir/expect.tsv" ] || { fail corpus "no $dir/expect.tsv"; continue; }
    tab=$(printf '\t')
    while IFS="$tab" read -r name reason opts; do
        check_case "$dir" "$name" "$reason" "$opts"
        n=$((n + 1))
    done <"$dir/expect.tsv"
done
[ "$n" -ge 40 ] && ok corpus-size || fail corpus-size "only $n cases"
if [ -n "${HOSTILE_SUBSET:-}" ]; then
    want=$(echo $HOSTILE_SUBSET | wc -w)
    [ "$ran" -eq "$want" ] && ok subset-size || fail subset-size "$ran of the $want HOSTILE_SUBSET files found"
fi

# the committed files are exactly what the generator makes
"$PYTHON" tests/make_corpus.py small "$TMP/regen"
diff -r "$ROOT/tests/corpus/bad" "$TMP/regen" >/dev/null && ok corpus-current ||
    fail corpus-current "tests/corpus/bad differs from tests/make_corpus.py small: regenerate it"

# `check` refuses them the same way (several at once: one line each)
run_limited "$ROOT/tests/corpus/bad" "$SECHK" check -f json xxe-strings.xlsx lol-sheet.xlsx empty.xlsx
[ "$rc" -eq 2 ] && ok check-exit || fail check-exit "exit $rc"
[ "$(wc -l <"$TMP/err")" -eq 3 ] && ok check-lines || fail check-lines "$(cat "$TMP/err")"
leaks "$TMP/stdout" "$TMP/err" && fail check-leak "local file content" || ok check-leak

# a file name with a newline stays on one line
cp "$ROOT/tests/corpus/bad/text.xlsx" "$TMP/a
b.xlsx"
run_limited "$TMP" "$SECHK" extract "a
b.xlsx"
[ "$rc" -eq 2 ] && ok newline-name-exit || fail newline-name-exit "exit $rc"
[ "$(wc -l <"$TMP/err")" -eq 1 ] && ok newline-name-one-line || fail newline-name-one-line "$(cat "$TMP/err")"

# ---- limits: each option lowered on the valid workbook ---------------------
run_limited "$TMP" "$SECHK" extract valid.xlsx
[ "$rc" -eq 0 ] && ok valid-reads || fail valid-reads "exit $rc: $(cat "$TMP/err")"
for l in "max-file-bytes 100" "max-entries 3" "max-entry-bytes 100" "max-total-bytes 1000" \
    "max-cells 3" "max-strings 2" "max-string-bytes 5"; do
    opt=${l% *}
    run_limited "$TMP" "$SECHK" extract --lang en --$l valid.xlsx
    [ "$rc" -eq 2 ] && ok "$opt-exit" || fail "$opt-exit" "exit $rc"
    one_line "$opt" valid.xlsx "(limit --$opt)"
    grep -Fq "raise the limit with --$opt N" "$TMP/err" && ok "$opt-hint" || fail "$opt-hint" "$(cat "$TMP/err")"
done
for bad in 0 -1 abc 99999999999999999999 1x; do
    expect_status 2 "limit-value-$bad" "$SECHK" extract --max-cells "$bad" "$VALID"
done
for c in limits; do
    expect_status 0 "help-limits" "$SECHK" help limits
    for opt in max-file-bytes max-entry-bytes max-total-bytes max-ratio max-entries max-cells \
        max-strings max-string-bytes max-sheets; do
        grep -q -- "--$opt" "$TMP/out" || fail "help-limits-$c" "--$opt missing from $c --help"
    done
done

# ---- output side -------------------------------------------------------------
cd "$TMP"
cp valid.xlsx keep.xlsx
# refused_out NAME REASON OUTPUT: extract valid.xlsx -o OUTPUT is refused,
# the input unchanged
refused_out() {
    run_limited "$TMP" "$SECHK" extract --lang en valid.xlsx -o "$3"
    [ "$rc" -eq 2 ] && ok "$1-exit" || fail "$1-exit" "exit $rc: $(cat "$TMP/err")"
    one_line "$1" "$3" "$2"
    cmp -s valid.xlsx keep.xlsx && ok "$1-input-intact" || fail "$1-input-intact" "the input changed"
    ls -a | grep -q '^\..*\.[A-Za-z0-9]\{6\}$' && fail "$1-tmp" "temporary file left: $(ls -a)" || ok "$1-tmp"
}
refused_out out-is-input "would overwrite the input" valid.xlsx
refused_out out-is-input-dotted "would overwrite the input" ./valid.xlsx
ln -s valid.xlsx via-symlink.json
refused_out out-symlink-to-input "would overwrite the input" via-symlink.json
[ -L via-symlink.json ] && ok out-symlink-kept || fail out-symlink-kept "the symlink was replaced"
ln valid.xlsx via-hardlink.json
refused_out out-hardlink-to-input "would overwrite the input" via-hardlink.json
mkdir folder.json
refused_out out-is-folder "is a folder" folder.json
refused_out out-no-folder "does not exist" nope/out.json
refused_out out-in-proc "cannot create a file in the output folder" /proc/sechk-test.json
mkfifo fifo.json
refused_out out-is-fifo "not a regular file" fifo.json
if [ "$(id -u)" != 0 ]; then
    mkdir ro && chmod 555 ro
    refused_out out-unwritable "cannot create a file" ro/out.json
    chmod 755 ro
fi
# a full disk: the file-size limit makes the write fail (SIGXFSZ ignored)
set +e
(ulimit -f 1; exec "$SECHK" extract valid.xlsx -o big.json) >"$TMP/stdout" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" -eq 2 ] && ok full-disk-exit || fail full-disk-exit "exit $rc (a signal above 128?)"
one_line full-disk big.json "cannot write the output"
[ ! -e big.json ] && ok full-disk-no-file || fail full-disk-no-file "partial output left"
ls -a | grep -q '^\.big\.json\.' && fail full-disk-tmp "temporary file left" || ok full-disk-tmp
# a full disk on standard output
set +e
"$SECHK" extract --lang en valid.xlsx >/dev/full 2>"$TMP/err"
rc=$?
set -e
[ "$rc" -eq 2 ] && ok stdout-full-exit || fail stdout-full-exit "exit $rc"
grep -q "cannot write" "$TMP/err" && ok stdout-full-msg || fail stdout-full-msg "$(cat "$TMP/err")"
# an output symlink that is not the input is refused, link and target
# untouched (issue 13: a symlink where sechk would write is never followed
# nor replaced)
echo "precious" >target.txt
ln -s target.txt link.json
expect_status 2 out-symlink-other "$SECHK" extract valid.xlsx -o link.json
[ "$(cat target.txt)" = precious ] && ok out-symlink-target-intact || fail out-symlink-target-intact "target overwritten"
[ -L link.json ] && ok out-symlink-kept-link || fail out-symlink-kept-link "link.json was replaced"
cd "$ROOT"

finish
