# End-to-end: password-protected workbooks and legacy formats (issue 17).
#
# Fixtures are made here by tools other than sechk: the npm package
# officecrypto-tool (tests/crypto/encrypt.js) writes Agile and Standard
# encryption, Debian's python3-msoffcrypto-tool decrypts each back to the
# original bytes with verify_integrity=True, and LibreOffice writes .xls and
# .ods copies.  Each copy must give exactly the plain sample's answers; the
# hostile variants (tests/crypto/cfb_tool.py: wrong password, truncated
# package, altered data, absurd spin count, huge declared sizes, a looping
# chain) must exit 2 with one line naming the file and the reason.
# officecrypto-tool is installed under build/node-crypto on first use (npm, a
# test-only package, never a dependency of sechk). Parts whose tools are
# missing (no npm or no network) print a SKIP line:
#   npm install --prefix build/node-crypto officecrypto-tool@0.0.19   (or OFFICECRYPTO_DIR=...)
#   apt-get install python3-msoffcrypto-tool libreoffice-calc-nogui
. tests/e2e/lib.sh

NODE_MOD=${OFFICECRYPTO_DIR:-$ROOT/build/node-crypto/node_modules/officecrypto-tool}
if [ -z "${OFFICECRYPTO_DIR:-}" ] && [ ! -d "$NODE_MOD" ] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$ROOT/build"
    ( # the plain and asan runs may start together: one installs, the other waits
        command -v flock >/dev/null 2>&1 && flock 8
        [ -d "$NODE_MOD" ] || npm install --prefix "$ROOT/build/node-crypto" --no-audit --no-fund --silent \
            officecrypto-tool@0.0.19 >/dev/null 2>&1 || true
    ) 8>"$ROOT/build/.node-crypto.lock"
fi
SAMPLE=$ROOT/samples/deficient.xlsx
PW='秘密 pass-1'
WRONG='secret pass-1'
printf '%s\n' "$PW" >"$TMP/pw.txt"
printf '%s\n' "$WRONG" >"$TMP/wrong.txt"
mkdir -p "$TMP/tmpdir"
export TMPDIR="$TMP/tmpdir"

# same_answers NAME JSON: the answers equal the plain sample's, source aside.
cat >"$TMP/same.py" <<'EOF'
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
for x in (a, b):
    x.pop("source")
sys.exit(0 if a == b else 1)
EOF
"$SECHK" extract "$SAMPLE" >"$TMP/plain.json"
same_answers() {
    if "$PYTHON" "$TMP/same.py" "$TMP/plain.json" "$2"; then ok "$1"; else fail "$1" "answers differ from the plain sample's"; fi
}

# one_line NAME REASON: exit 2 was seen; stderr is one line naming the file and REASON.
one_line() {
    if [ "$(wc -l <"$TMP/err")" -ne 1 ]; then
        fail "$1-one-line" "$(wc -l <"$TMP/err") lines: $(head -c 400 "$TMP/err")"
    elif ! grep -Fq -- "$2" "$TMP/err"; then
        fail "$1-reason" "want \"$2\": $(cat "$TMP/err")"
    else
        ok "$1"
    fi
}

# ---- what a CFB file is, without any tool ------------------------------------
expect_status 2 xls-named "$SECHK" extract "$ROOT/tests/corpus/bad/legacy-xls.xlsx" </dev/null
one_line xls-ja "Excel 97-2003 形式（.xls）のブックです。--convert を付けると"
expect_status 2 xls-named-en "$SECHK" extract --lang en "$ROOT/tests/corpus/bad/legacy-xls.xlsx" </dev/null
one_line xls-en "an Excel 97-2003 workbook (.xls); with --convert"
expect_status 2 enc-named "$SECHK" extract "$ROOT/tests/corpus/bad/cfb-encrypted.xlsx" </dev/null
one_line enc-ja "パスワード付きのブックです（Agile 暗号化）。--password-file または環境変数 SECHK_PASSWORD"
expect_status 2 pwfile-missing "$SECHK" extract --password-file "$TMP/none.txt" "$SAMPLE" </dev/null
one_line pwfile-missing-msg "パスワードファイルを開けません"
expect_status 2 password-arg-refused "$SECHK" extract --password="$PW" "$SAMPLE" </dev/null
grep -Fq "コマンドラインでは渡せません" "$TMP/err" && ! grep -Fq "$PW" "$TMP/err" && ok password-arg-msg ||
    fail password-arg-msg "$(cat "$TMP/err")"

# ---- encrypted copies ----------------------------------------------------------
have_enc=yes
if ! command -v node >/dev/null 2>&1 || [ ! -d "$NODE_MOD" ]; then
    echo "SKIP encrypted fixtures: node or officecrypto-tool missing (npm install --prefix build/node-crypto officecrypto-tool@0.0.19)"
    have_enc=
elif ! "$PYTHON" -c 'import msoffcrypto' 2>/dev/null; then
    echo "SKIP encrypted fixtures: python3-msoffcrypto-tool missing (apt-get install python3-msoffcrypto-tool)"
    have_enc=
fi

if [ -n "$have_enc" ]; then
    mkdir -p "$TMP/enc"
    for kind in agile standard; do
        SECHK_TEST_PASSWORD=$PW OFFICECRYPTO_DIR=$NODE_MOD node tests/crypto/encrypt.js "$SAMPLE" \
            "$TMP/enc/$kind.xlsx" - "$kind"
    done
    # the second implementation: msoffcrypto decrypts each to the sample's bytes
    cat >"$TMP/verify.py" <<'EOF'
import io, sys, msoffcrypto
orig = open(sys.argv[1], "rb").read()
f = msoffcrypto.OfficeFile(open(sys.argv[2], "rb"))
assert f.type == sys.argv[3], f.type
f.load_key(password=sys.argv[4])
out = io.BytesIO()
f.decrypt(out, verify_integrity=True)
sys.exit(0 if out.getvalue() == orig else 1)
EOF
    for kind in agile standard; do
        expect_status 0 "msoffcrypto-$kind" "$PYTHON" "$TMP/verify.py" "$SAMPLE" "$TMP/enc/$kind.xlsx" "$kind" "$PW"
        expect_status 1 "$kind-check" "$SECHK" check --password-file "$TMP/pw.txt" "$TMP/enc/$kind.xlsx"
        expect_status 0 "$kind-extract" "$SECHK" extract --password-file "$TMP/pw.txt" "$TMP/enc/$kind.xlsx"
        cp "$TMP/out" "$TMP/$kind.json"
        same_answers "$kind-answers" "$TMP/$kind.json"
        sum=$(sha256sum "$TMP/enc/$kind.xlsx" | cut -d' ' -f1)
        grep -Fq "\"sha256\": \"$sum\"" "$TMP/$kind.json" && ok "$kind-sha256" || fail "$kind-sha256" "not the encrypted file's"
        expect_status 0 "$kind-env" env SECHK_PASSWORD="$PW" "$SECHK" extract -o "$TMP/$kind-env.json" "$TMP/enc/$kind.xlsx"
        same_answers "$kind-env-answers" "$TMP/$kind-env.json"
        expect_status 2 "$kind-wrong" "$SECHK" extract --password-file "$TMP/wrong.txt" "$TMP/enc/$kind.xlsx"
        one_line "$kind-wrong-msg" "パスワードが違います"
        expect_status 2 "$kind-wrong-en" "$SECHK" extract --lang en --password-file "$TMP/wrong.txt" "$TMP/enc/$kind.xlsx"
        one_line "$kind-wrong-en-msg" "wrong password"
        expect_status 2 "$kind-nopw" env -u SECHK_PASSWORD "$SECHK" extract "$TMP/enc/$kind.xlsx" </dev/null
        one_line "$kind-nopw-msg" "パスワード付きのブックです"
        expect_status 1 "$kind-review" "$SECHK" review --password-file "$TMP/pw.txt" -o "$TMP/$kind.review.xlsx" \
            "$TMP/enc/$kind.xlsx"
    done
    expect_status 2 standard-nopw-kind env -u SECHK_PASSWORD "$SECHK" extract --lang en "$TMP/enc/standard.xlsx" </dev/null
    one_line standard-nopw-kind-msg "a password-protected workbook (Standard encryption)"

    # diff and review --previous open encrypted workbooks too (the same answers: no change)
    expect_status 0 diff-encrypted "$SECHK" diff --password-file "$TMP/pw.txt" "$SAMPLE" "$TMP/enc/agile.xlsx"
    grep -Fq "変更点: なし" "$TMP/out" && ok diff-encrypted-same || fail diff-encrypted-same "$(head -n 4 "$TMP/out")"
    expect_status 0 diff-encrypted-env env SECHK_PASSWORD="$PW" "$SECHK" diff -f json "$TMP/enc/standard.xlsx" \
        "$TMP/enc/agile.xlsx"
    expect_status 2 diff-encrypted-nopw env -u SECHK_PASSWORD "$SECHK" diff "$SAMPLE" "$TMP/enc/agile.xlsx" </dev/null
    one_line diff-encrypted-nopw-msg "パスワード付きのブックです（Agile 暗号化）"
    expect_status 1 review-previous-encrypted "$SECHK" review --password-file "$TMP/pw.txt" \
        --previous "$TMP/enc/standard.xlsx" -o "$TMP/prev.review.xlsx" "$TMP/enc/agile.xlsx"
    [ -s "$TMP/prev.review.xlsx" ] && ok review-previous-written || fail review-previous-written "no review copy"
    # the review copy of an encrypted workbook carries its 事業名 (read from the one decrypted opening)
    "$SECHK" extract -o "$TMP/proj.json" "$SAMPLE"
    "$SECHK" fill "$TMP/proj.json" --project "〇〇県 暗号化確認事業" -o "$TMP/proj.xlsx"
    SECHK_TEST_PASSWORD=$PW OFFICECRYPTO_DIR=$NODE_MOD node tests/crypto/encrypt.js "$TMP/proj.xlsx" \
        "$TMP/enc/proj.xlsx" - agile
    expect_status 1 review-project "$SECHK" review --password-file "$TMP/pw.txt" -o "$TMP/proj.review.xlsx" \
        "$TMP/enc/proj.xlsx"
    "$PYTHON" - "$TMP/proj.review.xlsx" <<'PY' && ok review-project-name || fail review-project-name "事業名 missing"
import sys, zipfile
sys.exit(0 if "〇〇県 暗号化確認事業" in zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode() else 1)
PY
    # the letter's options beside the password's (their option values once collided)
    expect_status 1 review-letter "$SECHK" review --to "株式会社テスト 御中" --password-file "$TMP/pw.txt" \
        --paper a4 -o "$TMP/letter.review.xlsx" "$TMP/enc/agile.xlsx"
    "$PYTHON" - "$TMP/letter.review.xlsx" <<'PY' && ok review-letter-to || fail review-letter-to "宛先 missing"
import sys, zipfile
sys.exit(0 if "株式会社テスト 御中" in zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode() else 1)
PY

    # the prompt on a terminal (script(1) gives sechk a pty): no echo
    if command -v script >/dev/null 2>&1; then
        printf '%s\n' "$PW" >"$TMP/typed.txt"
        set +e
        (sleep 2; cat "$TMP/typed.txt") | env -u SECHK_PASSWORD timeout 60 script -qec \
            "'$SECHK' extract -o '$TMP/prompted.json' '$TMP/enc/agile.xlsx'" /dev/null >"$TMP/tty.txt" 2>&1
        set -e
        [ -f "$TMP/prompted.json" ] && same_answers prompt-answers "$TMP/prompted.json" || fail prompt-answers "no output"
        grep -Fq "パスワード:" "$TMP/tty.txt" && ! grep -Fq "pass-1" "$TMP/tty.txt" && ok prompt-no-echo ||
            fail prompt-no-echo "$(cat "$TMP/tty.txt")"
    else
        echo "SKIP password prompt: script(1) missing"
    fi

    # a password file as Windows Notepad writes it: a UTF-8 BOM and CRLF
    printf '\357\273\277%s\r\n' "$PW" >"$TMP/pw-bom.txt"
    expect_status 0 pwfile-bom-crlf "$SECHK" extract --password-file "$TMP/pw-bom.txt" "$TMP/enc/agile.xlsx"

    # a password file of PATH<TAB>PASSWORD lines
    printf 'elsewhere/agile.xlsx\tnot this one\nagile.xlsx\t%s\nstandard.xlsx\t%s\n' "$PW" "$PW" >"$TMP/pairs.txt"
    expect_status 0 pairs "$SECHK" extract --password-file "$TMP/pairs.txt" -o "$TMP/pairs.json" \
        "$TMP/enc/agile.xlsx" "$TMP/enc/standard.xlsx"

    # hostile variants, each rewritten by a second CFB writer (reasons in the
    # library's English: --lang en)
    C=tests/crypto/cfb_tool.py
    "$PYTHON" $C "$TMP/enc/agile.xlsx" "$TMP/control.xlsx" none
    expect_status 0 rewritten-control "$SECHK" extract --password-file "$TMP/pw.txt" -o "$TMP/control.json" "$TMP/control.xlsx"
    same_answers rewritten-control-answers "$TMP/control.json"
    while IFS='|' read -r name src change reason; do
        "$PYTHON" $C "$TMP/enc/$src.xlsx" "$TMP/$name.xlsx" "$change"
        expect_status 2 "$name" "$SECHK" extract --lang en --password-file "$TMP/pw.txt" -o "$TMP/$name.json" \
            "$TMP/$name.xlsx"
        one_line "$name-msg" "$reason"
        [ ! -e "$TMP/$name.json" ] && ok "$name-no-output" || fail "$name-no-output" "an output was written"
    done <<'EOF'
spin-absurd|agile|spin=4000000000|hash rounds, more than 10000000
spin-over-cap|agile|spin=10000001|hash rounds, more than 10000000
hmac-start|agile|flip=100|fails its integrity check (HMAC)
hmac-end|agile|flip=-40|fails its integrity check (HMAC)
declared-huge|agile|declared=4611686018427387904|(limit --max-file-bytes)
declared-beyond|agile|declared=100000|the encrypted package is truncated
package-cut|agile|cut=9000|the encrypted package is truncated
chain-loop|agile|loop|chain is broken or loops
dirsize-huge|agile|dirsize=4000000000|more than the file holds
std-declared-huge|standard|declared=18446744073709551615|(limit --max-file-bytes)
std-cut|standard|cut=9000|the encrypted package is truncated
std-damaged|standard|flip=-40|damaged zip
EOF
    # a file cut in half: the CFB chains leave the file
    head -c 12000 "$TMP/enc/agile.xlsx" >"$TMP/half.xlsx"
    expect_status 2 half "$SECHK" extract --lang en --password-file "$TMP/pw.txt" "$TMP/half.xlsx"
    one_line half-msg "damaged OLE/CFB container"
fi

# ---- legacy formats through LibreOffice -------------------------------------------
have_soffice=yes
if ! command -v soffice >/dev/null 2>&1; then
    echo "SKIP legacy formats: soffice missing (apt-get install libreoffice-calc-nogui)"
    have_soffice=
fi
if [ -n "$have_soffice" ]; then
    mkdir -p "$TMP/lo"
    for ext in xls ods; do
        soffice -env:UserInstallation="file://$TMP/lo-profile" --headless --norestore \
            --convert-to "$ext" --outdir "$TMP/lo" "$SAMPLE" >/dev/null 2>&1
    done
    expect_status 2 xls-no-convert "$SECHK" extract "$TMP/lo/deficient.xls"
    one_line xls-no-convert-msg "Excel 97-2003 形式（.xls）"
    expect_status 2 ods-no-convert "$SECHK" extract "$TMP/lo/deficient.ods"
    one_line ods-no-convert-msg "OpenDocument スプレッドシート（.ods）です。--convert を付けると"
    for ext in xls ods; do
        expect_status 0 "$ext-convert" "$SECHK" extract --convert -o "$TMP/$ext.json" "$TMP/lo/deficient.$ext"
        same_answers "$ext-convert-answers" "$TMP/$ext.json"
        grep -Eq '"converted_by": "LibreOffice [0-9]' "$TMP/$ext.json" && ok "$ext-converted-by" ||
            fail "$ext-converted-by" "$(grep -F source -A5 "$TMP/$ext.json")"
    done
    # (an empty PATH would also hide valgrind from tests/valgrind-sechk.sh)
    if [ -z "${SECHK_UNDER_VALGRIND:-}" ]; then
        mkdir -p "$TMP/nobin"
        expect_status 2 no-soffice env PATH="$TMP/nobin" "$SECHK" extract --convert "$TMP/lo/deficient.xls"
        one_line no-soffice-msg "apt-get install libreoffice-calc-nogui"
    fi
    [ -z "$(ls -A "$TMPDIR")" ] && ok convert-folder-removed || fail convert-folder-removed "$(ls -A "$TMPDIR")"
fi

# ---- the conversion's time limit, with a LibreOffice that never finishes ------------
mkdir -p "$TMP/fakebin" "$TMP/slow"
printf '#!/bin/sh\necho $$ >"%s/fake.pid"\nexec sleep 300\n' "$TMP" >"$TMP/fakebin/soffice"
chmod +x "$TMP/fakebin/soffice"
cp "$ROOT/tests/corpus/bad/legacy-xls.xlsx" "$TMP/slow/old.xlsx"
expect_status 2 convert-timeout env PATH="$TMP/fakebin:$PATH" "$SECHK" batch "$TMP/slow" -o "$TMP/slowout" -j 1 \
    --max-seconds 3 --convert --no-review --lang en
grep -Fq "did not finish the conversion within 2.4 s" "$TMP/err" && ok convert-timeout-msg ||
    fail convert-timeout-msg "$(cat "$TMP/err")"
if [ ! -f "$TMP/fake.pid" ]; then
    fail convert-timeout-killed "the fake soffice never ran"
elif kill -0 "$(cat "$TMP/fake.pid")" 2>/dev/null; then
    fail convert-timeout-killed "the fake soffice still runs"
else
    ok convert-timeout-killed
fi
[ -z "$(ls -A "$TMPDIR")" ] && ok convert-timeout-cleaned || fail convert-timeout-cleaned "$(ls -A "$TMPDIR")"
# stopped during a conversion (SIGTERM): LibreOffice's group is killed and its folder removed first
rm -f "$TMP/fake.pid"
set +e
env PATH="$TMP/fakebin:$PATH" "$SECHK" extract --convert -o "$TMP/stopped.json" "$TMP/slow/old.xlsx" \
    >"$TMP/out" 2>"$TMP/err" &
spid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do [ -f "$TMP/fake.pid" ] && break; sleep 0.5; done
kill -TERM "$spid"
wait "$spid"
got=$?
set -e
[ "$got" -eq 143 ] && ok convert-stopped || fail convert-stopped "exit $got, want 143: $(cat "$TMP/err")"
if [ -f "$TMP/fake.pid" ] && ! kill -0 "$(cat "$TMP/fake.pid")" 2>/dev/null; then ok convert-stopped-killed; else
    fail convert-stopped-killed "the fake soffice still runs or never ran"
fi
[ -z "$(ls -A "$TMPDIR")" ] && ok convert-stopped-cleaned || fail convert-stopped-cleaned "$(ls -A "$TMPDIR")"
[ ! -e "$TMP/stopped.json" ] && ok convert-stopped-no-output || fail convert-stopped-no-output "an output was written"

# ---- done when: one answer set per copy through batch -----------------------------
if [ -n "$have_enc" ] && [ -n "$have_soffice" ]; then
    D=$TMP/submission
    mkdir -p "$D"
    cp "$SAMPLE" "$D/plain.xlsx"
    cp "$TMP/enc/agile.xlsx" "$D/agile.xlsx"
    cp "$TMP/enc/standard.xlsx" "$D/standard.xlsx"
    cp "$TMP/lo/deficient.xls" "$D/legacy.xls"
    cp "$TMP/lo/deficient.ods" "$D/calc.ods"
    expect_status 1 batch "$SECHK" batch "$D" -o "$TMP/bout" -j 2 --password-file "$TMP/pw.txt" --convert
    for n in plain agile standard legacy calc; do
        same_answers "batch-$n" "$TMP/bout/$n.json"
    done
    grep -rqF -e "$PW" -e 'pass-1' "$TMP/bout" && fail batch-no-password "the password is in an output" || ok batch-no-password
    [ -z "$(ls -A "$TMPDIR")" ] && ok batch-convert-folders-removed || fail batch-convert-folders-removed "$(ls -A "$TMPDIR")"
    # a file whose password is not in the file is reported, and the rest read
    SECHK_TEST_PASSWORD=other OFFICECRYPTO_DIR=$NODE_MOD node tests/crypto/encrypt.js "$SAMPLE" "$D/other.xlsx" - agile
    expect_status 2 batch-wrong "$SECHK" batch "$D" -o "$TMP/bout2" -j 2 --password-file "$TMP/pw.txt" --convert
    grep -q 'other.xlsx.*パスワードが違います' "$TMP/err" && ok batch-wrong-reported || fail batch-wrong-reported "$(cat "$TMP/err")"
    [ -f "$TMP/bout2/agile.json" ] && ok batch-rest-read || fail batch-rest-read "agile.json missing"
    # a password per file: PATH<TAB>PASSWORD lines (a folder-relative path or a file name)
    printf 'submission/agile.xlsx\t%s\nstandard.xlsx\t%s\nother.xlsx\tother\n' "$PW" "$PW" >"$TMP/batch-pairs.txt"
    expect_status 1 batch-pairs "$SECHK" batch "$D" -o "$TMP/bout3" -j 2 --password-file "$TMP/batch-pairs.txt" --convert
    for n in agile standard other legacy; do
        same_answers "batch-pairs-$n" "$TMP/bout3/$n.json"
    done
    # batch --previous reads the previous round's encrypted and legacy copies the same way
    rm -f "$D/other.xlsx"
    expect_status 1 batch-previous "$SECHK" batch "$D" -o "$TMP/bout4" -j 2 --previous "$D" \
        --password-file "$TMP/pw.txt" --convert
    for n in plain agile standard legacy calc; do
        "$PYTHON" -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["changes"] == [] else 1)' \
            "$TMP/bout4/$n.diff.json" && ok "batch-previous-$n" || fail "batch-previous-$n" "changes against itself"
    done
else
    echo "SKIP batch of encrypted and legacy copies: needs officecrypto-tool, msoffcrypto and soffice"
fi

finish
