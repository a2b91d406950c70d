# Interop: the blank template read back with openpyxl equals the template file.
. tests/e2e/lib.sh
"$SECHK" template -o "$TMP/blank.xlsx" --project "テスト事業" --service "テストクラウド" --date 2026-04-01
if PYTHONPATH=tests/interop "$PYTHON" tests/interop/check_template.py "$TMP/blank.xlsx" templates/default.xml \
    "テスト事業" "テストクラウド" "2026年4月1日"; then ok openpyxl; else fail openpyxl "cells differ"; fi
"$SECHK" template -o "$TMP/a4.xlsx" --project "テスト事業" --service "テストクラウド" --date 2026-04-01 --paper a4
if PYTHONPATH=tests/interop "$PYTHON" tests/interop/check_template.py "$TMP/a4.xlsx" templates/default.xml \
    "テスト事業" "テストクラウド" "2026年4月1日" 9; then ok openpyxl-a4; else fail openpyxl-a4 "--paper a4"; fi
expect_status 2 bad-paper "$SECHK" template -o "$TMP/b4.xlsx" --paper b4
finish
