# valgrind memcheck: tests/e2e/test_hostile.sh on one hostile file of each
# class (zip structure, compression, XML/DTD, references, strings, encoding,
# containers, limits) and its output-side cases.
: "${SECHK_REAL:=build/sechk}"
case "$SECHK_REAL" in /*) ;; *) SECHK_REAL="$PWD/$SECHK_REAL" ;; esac
export SECHK_REAL
SECHK=$PWD/tests/valgrind-sechk.sh SECHK_UNDER_VALGRIND=1 \
HOSTILE_SUBSET="empty.xlsx text.xlsx truncated-cdir.xlsx zip64-lying-offset.xlsx bad-crc-deflated.xlsx
deflate-garbage.xlsx method-bzip2.xlsx text-bomb-ratio.xlsx xxe-sheet.xlsx lol-strings.xlsx deep-200k.xlsx
ns-scope-300.xlsx rels-outside.xlsx dotdot-name.xlsx ref-xfe1.xlsx row-beyond-grid.xlsx sst-index-huge.xlsx
invalid-utf8.xlsx encoding-invalid.xlsx cfb-encrypted.xlsx legacy-xls.xlsx ods-renamed.xlsx markers-257.xlsx
sheets-2000.xlsx" exec sh tests/e2e/test_hostile.sh
