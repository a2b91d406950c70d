# Interop: the reading cases of tests/make_reading.py (issue 16) re-saved by LibreOffice
# (soffice --convert-to xlsx, one run for all, a private profile) must still read as
# specified where LibreOffice keeps the feature; make_reading.py's LO_DROPS lists what it
# does not keep (form controls lose their anchor, [$-ja-JP]ggge formats become General, notes
# lose their authors, threaded comments survive as their legacy notes).
. tests/e2e/lib.sh

if ! command -v soffice >/dev/null 2>&1; then
    echo "test_reading_libreoffice: soffice missing (make deps installs libreoffice-calc-nogui)" >&2
    exit 1
fi
SECHK=$SECHK "$PYTHON" tests/make_reading.py "$TMP/r" || fail generate "make_reading.py failed"
mkdir -p "$TMP/lo" "$TMP/home"
HOME=$TMP/home timeout 600 soffice --headless --norestore -env:UserInstallation=file://$TMP/home/lo \
    --convert-to "xlsx:Calc MS Excel 2007 XML" --outdir "$TMP/lo" "$TMP"/r/*.xlsx >"$TMP/lo.log" 2>&1 || true
n_in=$(ls "$TMP"/r/*.xlsx | wc -l)
n_out=$(ls "$TMP"/lo/*.xlsx 2>/dev/null | wc -l)
[ "$n_in" -eq "$n_out" ] && ok converted || fail converted "LibreOffice wrote $n_out of $n_in: $(tail -n 3 "$TMP/lo.log")"
SECHK=$SECHK "$PYTHON" tests/make_reading.py check "$TMP/lo" --libreoffice >"$TMP/results" || true
while IFS= read -r line; do
    case $line in
        ok\ *) ok "${line#ok }" ;;
        fail\ *) rest=${line#fail }; fail "${rest%%:*}" "${rest#*: }" ;;
    esac
done <"$TMP/results"
[ "$(grep -c '^ok ' "$TMP/results")" -ge 90 ] && ok count || fail count "fewer assertions than expected"
finish
