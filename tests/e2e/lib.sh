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

# finish: print the tally of this script and exit non-zero on failures.
finish() {
    echo "$(basename "$0"): $pass passed, $fails failed"
    [ "$fails" -eq 0 ]
}
