# End-to-end: `sechk batch` over a folder of good, duplicate-named, skipped and
# hostile files: outputs per file, the summary (read back with openpyxl), exit
# status, -j 1 = -j 4, re-runs, the output folder inside an input folder,
# and containment of a file that exceeds the time or memory limit.
. tests/e2e/lib.sh

IN=$TMP/in
mkdir -p "$IN/a/sub" "$IN/b" "$IN/bad" "$IN/.git"

# good workbooks: the samples if there are any, else made with template/fill
good=$(ls samples/*.xlsx 2>/dev/null | head -n 3 || true)
if [ -n "$good" ]; then
    set -- $good
    G1=$1; G2=${2:-$1}; G3=${3:-$1}
else
    "$SECHK" template -o "$TMP/g1.xlsx" --service "テスト" --date 2026-04-01
    G1=$TMP/g1.xlsx; G2=$G1; G3=$G1
fi
cp "$G1" "$IN/top.xlsx"
cp "$G2" "$IN/a/x.xlsx"            # a/x.xlsx, a/x.xlsm and b/x.xlsx: names that meet
cp "$G3" "$IN/a/x.xlsm"
cp "$G3" "$IN/b/x.xlsx"
cp "$G1" "$IN/a/sub/deep.xlsx"
cp "$G1" "$IN/.hidden.xlsx"        # skipped: hidden
cp "$G1" "$IN/.git/in-hidden.xlsx" # skipped: hidden folder
printf 'owner' > "$IN/~\$top.xlsx" # skipped: lock file
printf 'notes' > "$IN/notes.txt"   # skipped: not a workbook
ln -s .. "$IN/a/loop"              # a symlink loop: reported, not fatal
# hostile files
: > "$IN/bad/empty.xlsx"
printf 'this is text, not a workbook\n' > "$IN/bad/text.xlsx"
head -c 3000 "$G1" > "$IN/bad/truncated.xlsx"
"$PYTHON" -c "
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('hello.txt', 'no workbook here')
" "$IN/bad/noworkbook.xlsx"
n_good=5
n_bad=4

run_batch() { # run_batch WANT NAME ARGS...: batch with status check, stderr in $TMP/err
    want=$1; name=$2; shift 2
    expect_status "$want" "$name" "$SECHK" batch "$@"
}

# --- main run: the output folder outside the inputs, -j 1 and -j 4 ---
run_batch 2 exit-2-j1 "$IN" -o "$TMP/o1" -j 1 --lang en
cp "$TMP/err" "$TMP/err1"
run_batch 2 exit-2-j4 "$IN" -o "$TMP/o4" -j 4 --lang en
for f in top.json top.review.xlsx a/x.xlsx.json a/x.xlsx.review.xlsx a/x.xlsm.json a/x.xlsm.review.xlsx \
         b/x.json b/x.review.xlsx a/sub/deep.json a/sub/deep.review.xlsx summary.xlsx summary.csv; do
    [ -s "$TMP/o1/$f" ] && ok "out-$f" || fail "out-$f" "missing $TMP/o1/$f"
done
n_json=$(find "$TMP/o1" -name '*.json' | wc -l)
[ "$n_json" -eq "$n_good" ] && ok json-count || fail json-count "$n_json JSON files, want $n_good"
find "$TMP/o1" -name '.*' ! -name .sechk.lock | grep -q . && fail no-temp "temporary files left: $(find "$TMP/o1" -name '.*')" || ok no-temp
for b in empty text truncated noworkbook; do
    grep -q "bad/$b.xlsx: " "$TMP/err1" && ok "stderr-$b" || fail "stderr-$b" "bad/$b.xlsx not reported"
    [ ! -e "$TMP/o1/bad/$b.json" ] && ok "no-out-$b" || fail "no-out-$b" "output written for a bad file"
done
grep -q "a/loop: symlink loop" "$TMP/err1" && ok loop-reported || fail loop-reported "$(cat "$TMP/err1")"
tally=$(tail -n 1 "$TMP/err1")
echo "$tally" | grep -q "^sechk: $n_good read (.* with deficiencies), $n_bad unreadable, " && ok tally \
    || fail tally "$tally"
echo "$tally" | grep -q "lock files 1" && ok tally-lock || fail tally-lock "$tally"
echo "$tally" | grep -q "hidden 2" && ok tally-hidden || fail tally-hidden "$tally"
echo "$tally" | grep -q "not workbooks 1" && ok tally-other || fail tally-other "$tally"
echo "$tally" | grep -q "link loops 1" && ok tally-loop || fail tally-loop "$tally"

# -j 1 and -j 4: the same bytes, every output
(cd "$TMP/o1" && find . -type f | sort) > "$TMP/list1"
(cd "$TMP/o4" && find . -type f | sort) > "$TMP/list4"
cmp -s "$TMP/list1" "$TMP/list4" && ok same-files || fail same-files "$(diff "$TMP/list1" "$TMP/list4" | head -5)"
differ=""
while read -r f; do
    cmp -s "$TMP/o1/$f" "$TMP/o4/$f" || differ="$differ $f"
done < "$TMP/list1"
[ -z "$differ" ] && ok j1-equals-j4 || fail j1-equals-j4 "differ:$differ"

# the summary read back: rows, counts against the per-file JSON, sheets 2 and 3
cat > "$TMP/check.py" <<'EOF'
import csv, json, os, sys
import openpyxl
out, inroot, n_good, n_bad = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
errs = []
def check(cond, msg):
    if not cond:
        errs.append(msg)
statuses = ["ok", "nonconforming", "deficient", "review", "unanswered", "not-due"]
wb = openpyxl.load_workbook(os.path.join(out, "summary.xlsx"))
check(wb.sheetnames == ["Files", "Items", "Findings", "Unreadable"], "sheets %r" % wb.sheetnames)
ws = wb["Files"]
rows = list(ws.iter_rows(values_only=True))
head, body = rows[0], rows[1:]
check(head[:12] == ("file", "service", "phase", "verdict", "conforming", "non-conforming", "deficient",
                    "to review", "unanswered", "not due", "errors", "warnings"), "header %r" % (head[:12],))
check(head[12] == "review copy" and len(head) == 13, "review column %r" % (head[12:],))
mrows = list(wb["Items"].iter_rows(values_only=True))
check(mrows[0][1] == "No.1" and mrows[0][36] == "No.36" and len(mrows[0]) == 37, "item columns %r" % (mrows[0],))
check(wb["Items"].freeze_panes == "B2", "matrix panes %r" % wb["Items"].freeze_panes)
for sh in wb.worksheets:
    check(str(sh.page_setup.paperSize) == "8" and sh.page_setup.orientation == "landscape"
          and sh.sheet_properties.pageSetUpPr.fitToPage and sh.print_title_rows
          and "&P" in (sh.oddFooter.center.text or ""), "%s: not print-ready" % sh.title)
check(len(body) == n_good + n_bad, "%d rows, want %d" % (len(body), n_good + n_bad))
paths = [r[0] for r in body]
check(paths == sorted(paths), "rows not in path order")
check(not any("/out" in p or "hidden" in p or "~$" in p for p in paths), "skipped file listed: %r" % paths)
with open(os.path.join(out, "summary.csv"), encoding="utf-8-sig", newline="") as f:
    crow = list(csv.reader(f))
check(len(crow) == len(rows), "csv rows %d, xlsx rows %d" % (len(crow), len(rows)))
# the sheet shows each file relative to the input folder; the CSV its path as given
check(all(not os.path.isabs(r[0]) for r in body), "absolute paths on the sheet")
names = {}
for i, r in enumerate(body):
    names[r[0]] = os.path.relpath(crow[i + 1][0], inroot)
total_findings = 0
for i, r in enumerate(body):
    c = crow[i + 1]
    check(os.path.relpath(c[0], inroot) == r[0] and c[3] == r[3],
          "csv row %d differs from sheet: %r / %r" % (i, c[:4], r[:4]))
    if r[3] == "unreadable":
        continue
    stem, ext = os.path.splitext(names[r[0]])
    cand = [os.path.join(out, stem + ".json"), os.path.join(out, stem + ext + ".json")]
    jp = [p for p in cand if os.path.exists(p)]
    check(len(jp) == 1, "no JSON for %s" % r[0])
    if not jp:
        continue
    j = json.load(open(jp[0], encoding="utf-8"))
    check(j["source"]["path"] == c[0], "JSON path %s vs %s" % (j["source"]["path"], c[0]))
    s = j["summary"]
    want = [s[k] for k in statuses] + [s["errors"], s["warnings"]]
    got = list(r[4:12])
    check(got == want, "%s: counts %r, JSON %r" % (r[0], got, want))
    check([str(x) for x in got] == c[4:12], "%s: csv counts %r" % (r[0], c[4:12]))
    item_status = [it["status"] for it in j["items"]]
    labels = {"ok": "conforming", "nonconforming": "non-conforming", "deficient": "deficient",
              "review": "to review", "unanswered": "unanswered", "not-due": "not due"}
    check(list(mrows[i + 1][1:37]) == [labels[x] for x in item_status], "%s: item statuses differ from JSON" % r[0])
    check(mrows[i + 1][0] == r[0], "matrix row %d: %r" % (i, mrows[i + 1][0]))
    fill = wb["Items"].cell(row=i + 2, column=2).fill.fgColor.rgb
    check(fill not in (None, "00000000"), "%s: item cell not coloured" % r[0])
    check(isinstance(r[12], str) and "review.xlsx" in r[12], "%s: review link %r" % (r[0], r[12]))
    total_findings += sum(len(it["findings"]) for it in j["items"])
    verdict = "needs correction" if s["errors"] else "to review" if s["warnings"] else "ok"
    check(r[3] == verdict, "%s: verdict %s, want %s" % (r[0], r[3], verdict))
fs = list(wb["Findings"].iter_rows(values_only=True))
check(len(fs) - 1 == total_findings, "findings sheet %d rows, JSON %d findings" % (len(fs) - 1, total_findings))
check(wb["Findings"].auto_filter.ref is not None, "findings sheet has no autofilter")
un = list(wb["Unreadable"].iter_rows(values_only=True))[1:]
bad = sorted(p for p, _ in un)
check(len(un) == n_bad and all(p.split("/")[-2] == "bad" for p in bad), "unreadable sheet %r" % (un,))
check(all(why for _, why in un), "an unreadable file without a reason")
for e in errs:
    print("  " + e)
sys.exit(1 if errs else 0)
EOF
if "$PYTHON" -c 'import openpyxl' 2>/dev/null; then
    "$PYTHON" "$TMP/check.py" "$TMP/o1" "$IN" "$n_good" "$n_bad" >&2 && ok summary-readback || fail summary-readback "see above"
else
    echo "  (python3-openpyxl missing: summary.xlsx not read back)" >&2
fi

# --- re-run into the same folder: the same result, nothing left over ---
cp -r "$TMP/o1" "$TMP/o1.first"
run_batch 2 rerun "$IN" -o "$TMP/o1" -j 2 --lang en
differ=""
while read -r f; do
    cmp -s "$TMP/o1/$f" "$TMP/o1.first/$f" || differ="$differ $f"
done < "$TMP/list1"
[ -z "$differ" ] && ok rerun-same || fail rerun-same "differ:$differ"
(cd "$TMP/o1" && find . -type f | sort) > "$TMP/list1b"
cmp -s "$TMP/list1" "$TMP/list1b" && ok rerun-files || fail rerun-files "$(diff "$TMP/list1" "$TMP/list1b" | head)"

# a file that turns bad keeps its old outputs: nothing this run did not
# write is deleted (issue 13)
cp -r "$IN" "$TMP/in2"
printf 'broken now' > "$TMP/in2/top.xlsx"
cp -r "$TMP/o1" "$TMP/o2"
run_batch 2 turned-bad "$TMP/in2" -o "$TMP/o2" --lang en
cmp -s "$TMP/o1/top.json" "$TMP/o2/top.json" && cmp -s "$TMP/o1/top.review.xlsx" "$TMP/o2/top.review.xlsx" &&
    ok stale-kept || fail stale-kept "old outputs changed or removed"

# --- the output folder inside an input folder is never read ---
run_batch 2 outdir-inside "$IN" -o "$IN/out" -j 2 --lang en
tail -n 1 "$TMP/err" | grep -q "^sechk: $n_good read" && ok outdir-inside-count || fail outdir-inside-count "$(tail -n 1 "$TMP/err")"
run_batch 2 outdir-inside-again "$IN" -o "$IN/out" -j 2 --lang en
tail -n 1 "$TMP/err" | grep -q "^sechk: $n_good read" && ok outdir-inside-again-count \
    || fail outdir-inside-again-count "$(tail -n 1 "$TMP/err")"
grep -q "output folder 1" "$TMP/err" && ok outdir-skipped || fail outdir-skipped "$(tail -n 1 "$TMP/err")"
cmp -s "$IN/out/summary.csv" "$TMP/o1/summary.csv" && ok outdir-inside-same || fail outdir-inside-same "summary differs"
rm -rf "$IN/out"
# ... but an input inside the output folder is refused
mkdir -p "$TMP/o3/sub"
cp "$G1" "$TMP/o3/sub/y.xlsx"
run_batch 2 input-in-outdir "$TMP/o3/sub" -o "$TMP/o3" --lang en
grep -q "inside the output folder" "$TMP/err" && ok input-in-outdir-msg || fail input-in-outdir-msg "$(cat "$TMP/err")"

# --- exit statuses 0 and 1, Japanese by default, CP932 summary ---
mkdir -p "$TMP/one"
cp "$G1" "$TMP/one/g.xlsx"
set +e
"$SECHK" check "$TMP/one/g.xlsx" >/dev/null 2>&1
want=$?
set -e
run_batch "$want" exit-like-check "$TMP/one" -o "$TMP/oo" --no-review
[ ! -e "$TMP/oo/g.review.xlsx" ] && ok no-review || fail no-review "review copy written"
tail -n 1 "$TMP/err" | grep -q "^sechk: 読み込み 1 件" && ok tally-ja || fail tally-ja "$(tail -n 1 "$TMP/err")"
head -c 3 "$TMP/oo/summary.csv" | od -An -tx1 | grep -q "ef bb bf" && ok csv-bom || fail csv-bom "no BOM"
run_batch "$want" cp932 "$TMP/one" -o "$TMP/oc" --no-review --encoding cp932
iconv -f CP932 -t UTF-8 "$TMP/oc/summary.csv" > "$TMP/oc.csv" && ok cp932-valid || fail cp932-valid "not CP932"
tail -c +4 "$TMP/oo/summary.csv" | cmp -s - "$TMP/oc.csv" && ok cp932-same || fail cp932-same "CP932 summary differs"
# creation times: SOURCE_DATE_EPOCH, else the input's modification time
touch -d '2025-06-30 12:00:00 UTC' "$TMP/one/g.xlsx"
run_batch "$want" created-mtime "$TMP/one" -o "$TMP/ot"
unzip -p "$TMP/ot/g.review.xlsx" docProps/core.xml | grep -q '2025-06-30T12:00:00Z' && ok created-review \
    || fail created-review "$(unzip -p "$TMP/ot/g.review.xlsx" docProps/core.xml | grep -o 'created[^<]*<' | head -1)"
unzip -p "$TMP/ot/summary.xlsx" docProps/core.xml | grep -q '2025-06-30T12:00:00Z' && ok created-summary \
    || fail created-summary "summary.xlsx not pinned to the input's time"
expect_status "$want" created-epoch env SOURCE_DATE_EPOCH=1767225600 "$SECHK" batch "$TMP/one" -o "$TMP/ot"
unzip -p "$TMP/ot/g.review.xlsx" docProps/core.xml | grep -q '2026-01-01T00:00:00Z' && ok created-epoch-review \
    || fail created-epoch-review "SOURCE_DATE_EPOCH not used"
unzip -p "$TMP/ot/summary.xlsx" docProps/core.xml | grep -q '2026-01-01T00:00:00Z' && ok created-epoch-summary \
    || fail created-epoch-summary "SOURCE_DATE_EPOCH not used"
expect_status 2 bad-epoch env SOURCE_DATE_EPOCH=soon "$SECHK" batch "$TMP/one" -o "$TMP/ot"
grep -q SOURCE_DATE_EPOCH "$TMP/err" && ok bad-epoch-msg || fail bad-epoch-msg "$(cat "$TMP/err")"
run_batch 2 no-output "$TMP/one"
run_batch 2 missing-input "$TMP/nonexistent" -o "$TMP/om"
grep -q "nonexistent" "$TMP/err" && ok missing-input-msg || fail missing-input-msg "$(cat "$TMP/err")"
run_batch 2 bad-jobs "$TMP/one" -o "$TMP/om" -j 0

# --- containment: a file past a limit costs only its own row ---
# b-slow.xlsx never finishes: tests/shim/testhooks.c makes the worker that
# opens it wait forever (SECHK_TEST_STALL); the parent's wall-clock limit must
# stop it, report it, and still do the other files.  --max-seconds is far
# above what a good file needs even under valgrind on a loaded machine: the
# assertions are about what happens, not about speed.
mkdir -p "$TMP/slow"
cp "$G1" "$TMP/slow/a-good.xlsx"
cp "$G1" "$TMP/slow/b-slow.xlsx"
cp "$G1" "$TMP/slow/c-good.xlsx"
HOOKS=$(testhooks)
if [ -z "$HOOKS" ]; then
    fail testhooks "cannot build tests/shim/testhooks.c (no C compiler?)"
else
    limit=10
    [ "${SECHK_UNDER_VALGRIND:-0}" = 1 ] && limit=60
    export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
    expect_status 2 time-limit env LD_PRELOAD="$HOOKS" SECHK_TEST_STALL=b-slow.xlsx \
        timeout -s KILL 600 "$SECHK" batch "$TMP/slow" -o "$TMP/os" -j 2 --max-seconds "$limit" --lang en --no-review
    grep -q "b-slow.xlsx: .*time limit" "$TMP/err" && ok time-limit-reason || fail time-limit-reason "$(cat "$TMP/err")"
    [ -s "$TMP/os/a-good.json" ] && [ -s "$TMP/os/c-good.json" ] && ok time-limit-others || fail time-limit-others "good files not done"
    [ ! -e "$TMP/os/b-slow.json" ] && ok time-limit-no-output || fail time-limit-no-output "output for the stopped file"
    find "$TMP/os" -name '.*' ! -name .sechk.lock | grep -q . && fail time-limit-temp "temporary files left" || ok time-limit-temp
    # a worker that crashes on b-slow.xlsx: reported, the others done, a summary
    expect_status 2 crash env LD_PRELOAD="$HOOKS" SECHK_TEST_CRASH=b-slow.xlsx \
        timeout -s KILL 600 "$SECHK" batch "$TMP/slow" -o "$TMP/ocr" -j 2 --lang en --no-review
    grep -q "b-slow.xlsx: worker crashed (signal 11" "$TMP/err" && ok crash-reason || fail crash-reason "$(cat "$TMP/err")"
    [ -s "$TMP/ocr/a-good.json" ] && [ -s "$TMP/ocr/c-good.json" ] && ok crash-others || fail crash-others "good files not done"
    grep -q "b-slow" "$TMP/ocr/summary.csv" && ok crash-summary || fail crash-summary "the crashed file is not in summary.csv"
    # in Japanese (the default), without the English in brackets
    expect_status 2 crash-ja env LD_PRELOAD="$HOOKS" SECHK_TEST_CRASH=b-slow.xlsx \
        timeout -s KILL 600 "$SECHK" batch "$TMP/slow" -o "$TMP/ocj" -j 2 --no-review
    grep -q "b-slow.xlsx: 処理中のワーカーが異常終了しました（シグナル 11: " "$TMP/err" && ok crash-reason-ja ||
        fail crash-reason-ja "$(cat "$TMP/err")"
    grep -q "worker crashed" "$TMP/err" && fail crash-reason-ja-only "English in the Japanese message" || ok crash-reason-ja-only
fi
# a worker address-space limit too small to read anything: every file is
# reported (out of memory, or the worker's death), the batch still finishes.
# (An AddressSanitizer build runs without RLIMIT_AS: its shadow memory needs
# terabytes of address space.)
if ldd "$SECHK" 2>/dev/null | grep -q libasan; then
    echo "  (sanitizer build: memory-limit case skipped)" >&2
    finish
    exit $?
fi
# (issue 13: a limit below what a worker needs at start is a usage error
# naming the minimum, instead of every file failing "out of memory")
run_batch 2 memory-limit "$TMP/slow" -o "$TMP/omem" -j 2 --max-memory-bytes 1048576 --lang en --no-review
grep -q "at least 134217728" "$TMP/err" && ok memory-limit-reported || fail memory-limit-reported "$(cat "$TMP/err")"
[ ! -e "$TMP/omem" ] && ok memory-limit-nothing || fail memory-limit-nothing "output folder made"

finish
