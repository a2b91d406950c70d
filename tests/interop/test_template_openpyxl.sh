# Interop: the blank template read back with openpyxl equals the template file.
. tests/e2e/lib.sh
"$SECHK" template -o "$TMP/blank.xlsx" --project "テスト事業" --service "テストクラウド" --date 2026-04-01
if PYTHONPATH=tests/interop "$PYTHON" tests/interop/check_template.py "$TMP/blank.xlsx" templates/default.xml \
    "テスト事業" "テストクラウド" "2026年4月1日"; then ok openpyxl; else fail openpyxl "cells differ"; fi
finish
