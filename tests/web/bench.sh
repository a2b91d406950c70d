#!/bin/sh
# Timing of the page (not a test): one file and 100 files in headless
# Chromium, against the CLI on the same files (sechk review for one file,
# sechk batch for 100).  Prints one line per measurement.
# Environment as tests/web/run.sh; N (default 100).
set -eu
SECHK=${SECHK:-build/sechk}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
PAGE=${WEB_PAGE:-build/web/sechk.html}
N=${N:-100}
[ -x "$CHROMIUM" ] && [ -f "$PAGE" ] && [ -f build/node/node_modules/puppeteer-core/package.json ] || {
    echo "SKIP: web bench: needs chromium, $PAGE and build/node (make deps-web web; tests/web/run.sh)"
    exit 0
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/one" "$tmp/many"
cp samples/deficient.xlsx "$tmp/one/"
i=0
while [ $i -lt "$N" ]; do
    for f in samples/*.xlsx; do
        [ $i -lt "$N" ] || break
        cp "$f" "$tmp/many/$(printf %03d $i)-$(basename "$f")"
        i=$((i + 1))
    done
done
now() { date +%s.%N; }
page() { # label dir
    rm -rf "$tmp/p"
    mkdir -p "$tmp/p"
    NODE_PATH=$(pwd)/build/node/node_modules BENCH=1 CHROMIUM=$CHROMIUM node tests/web/drive.js "$PAGE" "$tmp/p" "$2"/*.xlsx
    /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print("page %s: load %.2f s, run %.2f s (%d rows)" % (sys.argv[2], r["load_ms"]/1000, r["run_ms"]/1000, len(r["rows"])))' \
        "$tmp/p/result.json" "$1"
}
page "1 file" "$tmp/one"
page "$N files" "$tmp/many"
t0=$(now)
"$SECHK" review "$tmp/one/deficient.xlsx" -o "$tmp/one.review.xlsx" || true
t1=$(now)
"$SECHK" batch "$tmp/many" -o "$tmp/cli-many" -j 1 2>/dev/null || true
t2=$(now)
"$SECHK" batch "$tmp/many" -o "$tmp/cli-many2" 2>/dev/null || true
t3=$(now)
echo "$t0 $t1 $t2 $t3 $N" | awk '{printf "cli 1 file (review): %.2f s; cli %d files (batch -j 1): %.2f s; (batch, all cores): %.2f s\n", $2-$1, $5, $3-$2, $4-$3}'
