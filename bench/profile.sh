#!/bin/sh
# sechk benchmarks: the profile behind docs/performance.md (`make bench-profile`).
#
# callgrind counts instructions, which the load of a shared machine does not
# move, so its numbers compare runs made at different times:
#   one-check       sechk check on the 36-item file (extract + check)
#   one-review      sechk review on it
#   one-floor       the bare libzip + xmlTextReader pass over it
#   big-extract     sechk extract on a $ROWS-row sheet
#   big-floor       the bare pass over that sheet (big-floor-sax: SAX2 instead)
#   batch.PID       sechk batch -j 1 --no-review over 100 files: the parent
#                   and the worker (forked, so callgrind follows it into its
#                   own file)
# Writes DIR/NAME.callgrind (open with kcachegrind or callgrind_annotate),
# DIR/NAME.txt (callgrind_annotate, inclusive), DIR/summary.md (bench/cg_summary.py:
# totals, self cost by library, sechk's top functions) and DIR/totals.txt.
# Then massif on the big sheet (heap peak and where it is), perf stat
# (software events only: this VM has no hardware counters) over 20 runs of
# the 36-item check and of the floor, and perf record on the big sheet.
# Takes about two minutes.
set -eu
: "${SECHK:=build/sechk}" "${FLOOR:=build/bench/floor_xmlreader}" "${BENCH_DIR:=build/bench}"
: "${PYTHON:=python3}" "${ROWS:=10000}" "${RUNONE:=build/bench/runone}"
OUT=$BENCH_DIR/profile
mkdir -p "$OUT"
rm -f "$OUT"/*.callgrind "$OUT"/*.txt "$OUT"/*.md "$OUT"/*.massif "$OUT"/big.perf.data*

# Inputs: the same generator and seeds as `make bench`.
BIG=$("$PYTHON" bench/run_bench.py --sechk "$SECHK" --floor "$FLOOR" --runone "$RUNONE" --dir "$BENCH_DIR" \
      --bigsheet "$ROWS")
ONE=$BENCH_DIR/files/f0000.xlsx

total() { sed -n 's/^summary: *//p' "$1" | tail -1; }

cg() { # NAME COMMAND...: callgrind one command, stdout discarded
    name=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$name.callgrind" "$@" >/dev/null 2>"$OUT/$name.log" || true
    callgrind_annotate --inclusive=yes --auto=no --threshold=99 "$OUT/$name.callgrind" >"$OUT/$name.txt" 2>&1 || true
    printf '%-22s %15s Ir  %s\n' "$name" "$(total "$OUT/$name.callgrind")" "$*" >>"$OUT/totals.txt"
}

cg one-check "$SECHK" check "$ONE"
cg one-review "$SECHK" review "$ONE" -o "$OUT/one.review.xlsx"
cg one-floor "$FLOOR" "$ONE"
cg big-extract "$SECHK" extract "$BIG"
cg big-floor "$FLOOR" "$BIG"
cg big-floor-sax "$FLOOR" -s "$BIG"

# The batch: the parent and each forked worker write their own file.
files=$(ls "$BENCH_DIR"/files/f0*.xlsx | head -100)
rm -rf "$OUT/batch-out"
# shellcheck disable=SC2086
valgrind --tool=callgrind --callgrind-out-file="$OUT/batch.%p.callgrind" \
    "$SECHK" batch $files -o "$OUT/batch-out" -j 1 --no-review >/dev/null 2>"$OUT/batch.log" || true
rm -rf "$OUT/batch-out"
for f in "$OUT"/batch.*.callgrind; do
    callgrind_annotate --inclusive=yes --auto=no --threshold=99 "$f" >"${f%.callgrind}.txt" 2>&1 || true
    printf '%-22s %15s Ir  %s\n' "$(basename "$f")" "$(total "$f")" "batch -j 1 --no-review, 100 files" \
        >>"$OUT/totals.txt"
done

"$PYTHON" bench/cg_summary.py --top 20 "$OUT"/one-check.callgrind "$OUT"/one-review.callgrind \
    "$OUT"/one-floor.callgrind "$OUT"/big-extract.callgrind "$OUT"/big-floor.callgrind \
    "$OUT"/batch.*.callgrind >"$OUT/summary.md"

valgrind --tool=massif --massif-out-file="$OUT/big-extract.massif" "$SECHK" extract "$BIG" >/dev/null 2>&1 || true
ms_print "$OUT/big-extract.massif" >"$OUT/big-extract.massif.txt" 2>&1 || true

if perf stat -e task-clock true >/dev/null 2>&1; then
    perf stat -r 20 -e task-clock,context-switches,cpu-migrations,page-faults "$SECHK" check "$ONE" \
        >/dev/null 2>"$OUT/perf-stat-one-check.txt" || true
    perf stat -r 20 -e task-clock,context-switches,cpu-migrations,page-faults "$FLOOR" "$ONE" \
        >/dev/null 2>"$OUT/perf-stat-one-floor.txt" || true
    if perf record -q -F 999 -o "$OUT/big.perf.data" "$SECHK" extract "$BIG" >/dev/null 2>&1; then
        perf report -i "$OUT/big.perf.data" --stdio --sort dso,symbol 2>/dev/null | grep -v '^$' | head -80 \
            >"$OUT/perf-report-big.txt" || true
    fi
fi
cat "$OUT/totals.txt"
echo "bench-profile: $OUT (summary.md: where the instructions go)"
