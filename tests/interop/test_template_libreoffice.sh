# Interop: LibreOffice converts the blank template to PDF; the PDF has the text.
. tests/e2e/lib.sh
if ! command -v soffice >/dev/null 2>&1; then
    echo "test_template_libreoffice: soffice missing (make deps installs libreoffice-calc-nogui)" >&2
    exit 1
fi
"$SECHK" template -o "$TMP/blank.xlsx" --project "テスト事業" --service "テストクラウド" --date 2026-04-01
HOME=$TMP timeout 180 soffice --headless --norestore -env:UserInstallation=file://$TMP/lo \
    --convert-to pdf --outdir "$TMP" "$TMP/blank.xlsx" >"$TMP/lo.log" 2>&1 || true
if [ -s "$TMP/blank.pdf" ]; then ok pdf; else fail pdf "no PDF: $(cat "$TMP/lo.log")"; fi
if command -v pdftotext >/dev/null 2>&1 && [ -s "$TMP/blank.pdf" ]; then
    pdftotext "$TMP/blank.pdf" "$TMP/blank.txt"
    grep -q "セキュリティチェックリスト" "$TMP/blank.txt" && ok pdf-title || fail pdf-title "title not in PDF text"
    grep -q "ISMAP" "$TMP/blank.txt" && ok pdf-item1 || fail pdf-item1 "item 1 not in PDF text"
    grep -q "情報の流通経路全般" "$TMP/blank.txt" && ok pdf-item36 || fail pdf-item36 "item 36 not in PDF text"
fi
finish
