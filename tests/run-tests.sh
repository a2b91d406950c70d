#!/bin/sh
# Runs the test suite's jobs in parallel and prints one total.
#
#   tests/run-tests.sh CONFIG...
#
# CONFIG is plain (the normal build), asan (build/asan, ASan+UBSan) or
# valgrind (a representative subset under valgrind memcheck).  Each job (a
# cmocka binary, or one script of tests/e2e, tests/interop, tests/web,
# tests/valgrind) runs on its own with its output in build/test-logs/; the
# jobs run TEST_JOBS at a time (default: cores + 1), longest first.  A job's
# count comes from its last "N passed, N failed" line (cmocka: its PASSED /
# FAILED lines); a job that exits non-zero, or prints no count, is a failure.
set -u
cd "$(dirname "$0")/.."
JOBS=${TEST_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
LOG=${TEST_LOG:-build/test-logs}
rm -rf "$LOG"
mkdir -p "$LOG"
start=$(date +%s)
sh tests/jobs.sh "$@" >"$LOG/jobs.tsv" || exit 2
echo "test: $(wc -l <"$LOG/jobs.tsv") jobs ($*), $JOBS at a time; logs in $LOG/"
tr '\n' '\0' <"$LOG/jobs.tsv" | xargs -0 -n 1 -P "$JOBS" sh tests/run-one.sh "$LOG"

pass=0
fail=0
failed=""
tab=$(printf '\t')
while IFS="$tab" read -r label cmd; do
    f=$LOG/$(echo "$label" | tr '/' '_')
    rc=$(cat "$f.rc" 2>/dev/null || echo 99)
    line=$(grep -E '(^|[ :])[0-9]+ passed, [0-9]+ failed' "$f.log" | tail -n 1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/.*(^|[ :])([0-9]+) passed, ([0-9]+) failed.*/\2/')
        n=$(echo "$line" | sed -E 's/.*(^|[ :])([0-9]+) passed, ([0-9]+) failed.*/\3/')
    else
        p=$(sed -n -E 's/^\[  PASSED  \] ([0-9]+) test.*/\1/p' "$f.log" | awk '{s += $1} END {print s + 0}')
        n=$(sed -n -E 's/^\[  FAILED  \] ([0-9]+) test.*/\1/p' "$f.log" | awk '{s += $1} END {print s + 0}')
        if ! grep -q '^\[  PASSED  \]' "$f.log"; then
            echo "test: $label printed no 'N passed, N failed' line" >&2
            n=$((n + 1))
        fi
    fi
    [ "$rc" -ne 0 ] && [ "$n" -eq 0 ] && n=1
    pass=$((pass + p))
    fail=$((fail + n))
    if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
        failed="$failed $label"
        echo "---- $label (exit $rc): last lines of $f.log" >&2
        tail -n 30 "$f.log" >&2
    fi
done <"$LOG/jobs.tsv"
took=$(($(date +%s) - start))
[ -z "$failed" ] || echo "test: failed:$failed"
echo "test: $* took $((took / 60)) min $((took % 60)) s"
echo "test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
