#!/bin/sh
# Runs every end-to-end (tests/e2e/*.sh) and interop (tests/interop/*.sh)
# script with SECHK pointing at the binary under test, then prints a tally.
# SKIP_INTEROP=1 skips the interop scripts (the sanitizer pass does).
set -u
: "${SECHK:=build/sechk}"
: "${PYTHON:=/usr/bin/python3}"
export SECHK PYTHON
pass=0; fail=0; failed=""
scripts=$(ls tests/e2e/*.sh 2>/dev/null)
if [ "${SKIP_INTEROP:-0}" != 1 ]; then
    scripts="$scripts $(ls tests/interop/*.sh 2>/dev/null)"
fi
for s in $scripts; do
    if sh "$s"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); failed="$failed $s"
        echo "FAIL: $s"
    fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "e2e: failed:$failed"; exit 1; }
