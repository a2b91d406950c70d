#!/bin/sh
# tests/web: the page (build/web/sechk.html) in headless Chromium, driven by
# puppeteer-core (installed under build/node; it uses /usr/bin/chromium and
# downloads no browser), compared with the CLI on the same files: every file
# of samples/ and a few hostile files of tests/corpus/bad.
#
# Prints a SKIP line (and "0 passed, 0 failed" for tests/run-tests.sh) and
# exits 0 when emscripten, chromium, node or the libraries' sources are
# missing (`make deps-web` installs them).  Brings the page up to date first
# (tools/build-web.sh: nothing to do when nothing changed; the libraries take
# minutes the first time), under a lock, as the plain and asan runs of the
# suite may start together.
# Environment: SECHK (default build/sechk), PYTHON, CHROMIUM, WEB_PAGE,
# WEB_SCREENSHOT (a PNG path: take a screenshot after the run).
set -eu
SECHK=${SECHK:-build/sechk}
PYTHON=${PYTHON:-/usr/bin/python3}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
PAGE=${WEB_PAGE:-build/web/sechk.html}
PUPPETEER=${PUPPETEER:-puppeteer-core@22.15.0}

skip() {
    echo "SKIP: tests/web: $* (run 'make deps-web web')"
    echo "0 passed, 0 failed"
    exit 0
}
command -v emcc >/dev/null 2>&1 || skip "emscripten (emcc) is missing"
[ -x "$CHROMIUM" ] || skip "chromium ($CHROMIUM) is missing"
command -v node >/dev/null 2>&1 || skip "node is missing"
[ -x "$SECHK" ] || { echo "tests/web: $SECHK not built" >&2; exit 2; }
mkdir -p build
exec 9>build/.web-test.lock
command -v flock >/dev/null 2>&1 && flock 9
if [ -z "${WEB_PAGE:-}" ]; then
    ls build/web-src/*.version >/dev/null 2>&1 || skip "the libraries' Debian sources (build/web-src) are missing"
    { make --no-print-directory build/gen/default_tables.c && sh tools/build-web.sh; } >build/web-build.log 2>&1 || {
        tail -n 20 build/web-build.log
        echo "tests/web: make web failed (build/web-build.log)"
        echo "0 passed, 1 failed"
        exit 1
    }
fi
if [ ! -f build/node/node_modules/puppeteer-core/package.json ]; then
    command -v npm >/dev/null 2>&1 || skip "npm is missing"
    npm install --prefix build/node --no-audit --no-fund --silent "$PUPPETEER" >/dev/null 2>&1 ||
        skip "puppeteer-core could not be installed under build/node (no network?)"
fi
flock -u 9 2>/dev/null || true

tmp=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "tests/web: keeping $tmp"; else trap 'rm -rf "$tmp"' EXIT INT TERM; fi
mkdir -p "$tmp/in" "$tmp/page" "$tmp/cli"
cp samples/*.xlsx "$tmp/in/"
for f in empty legacy-xls lol-sheet deflate-garbage text-bomb-ratio deep-200k sheets-2000 encoding-invalid \
    formula-only cfb-encrypted ods-renamed; do
    cp "tests/corpus/bad/$f.xlsx" "$tmp/in/"
done
# over the 100 MiB file-size limit (sparse): refused before the page reads it
truncate -s 105906176 "$tmp/in/huge.xlsx"
# a folder as a reviewer gets it: nested, a lock file, a hidden file, a note,
# and two names that meet in a case-insensitive folder
mkdir -p "$tmp/folder/subm/a" "$tmp/folder/subm/b"
cp samples/deficient.xlsx samples/development.xlsx "$tmp/folder/subm/a/"
cp samples/operation.xlsx "$tmp/folder/subm/a/Deficient.xlsx"
cp samples/disposal.xlsx "$tmp/folder/subm/b/"
cp samples/disposal.xlsx "$tmp/folder/subm/~\$disposal.xlsx"
cp samples/disposal.xlsx "$tmp/folder/subm/.hidden.xlsx"
echo note >"$tmp/folder/subm/readme.txt"
SECHK=$(cd "$(dirname "$SECHK")" && pwd)/$(basename "$SECHK")
NODE_PATH=$(pwd)/build/node/node_modules SCREENSHOT=${WEB_SCREENSHOT:-} CHROMIUM=$CHROMIUM FOLDER=$tmp/folder/subm \
    node tests/web/drive.js "$PAGE" "$tmp/page" "$tmp"/in/*.xlsx
FOLDER=$tmp/folder/subm "$PYTHON" tests/web/check.py "$SECHK" "$tmp/in" "$tmp/page" "$tmp/cli"
