# Shared helpers for the end-to-end scripts (sourced).
set -eu
LC_ALL=C.UTF-8
export LC_ALL
: "${SECHK:=build/sechk}"
: "${PYTHON:=/usr/bin/python3}"
case "$SECHK" in /*) ;; *) SECHK="$PWD/$SECHK" ;; esac
ROOT=$PWD
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
fails=0
pass=0

# ok NAME: record a passing check; fail NAME MSG: record a failure.
ok() { pass=$((pass + 1)); }
fail() { echo "  FAIL $1: $2" >&2; fails=$((fails + 1)); }

# expect_status WANT NAME CMD...: run CMD, compare its exit status.
expect_status() {
    want=$1; name=$2; shift 2
    set +e
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    set -e
    if [ "$got" -eq "$want" ]; then ok "$name"; else fail "$name" "exit $got, want $want: $(head -c 300 "$TMP/err")"; fi
}

# testhooks: builds tests/shim/testhooks.c (an LD_PRELOAD library that makes
# a chosen input stall or crash the process that opens it) into $TMP and
# prints its path; empty if there is no compiler.
testhooks() {
    if [ ! -f "$TMP/testhooks.so" ]; then
        ${CC:-cc} -std=c11 -O1 -fPIC -shared -o "$TMP/testhooks.so" "$ROOT/tests/shim/testhooks.c" -ldl \
            >/dev/null 2>&1 || return 0
    fi
    echo "$TMP/testhooks.so"
}

# finish: print the tally of this script and exit non-zero on failures.
finish() {
    echo "$(basename "$0"): $pass passed, $fails failed"
    [ "$fails" -eq 0 ]
}
