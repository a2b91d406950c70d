# End-to-end: the man page (mandoc -Tlint clean, renders with man -l, shows
# ■/□, has its sections, names every option of every command's --help and of
# `sechk help limits`) and the README's Japanese opening.
. tests/e2e/lib.sh

MAN=$ROOT/docs/sechk.1
if command -v mandoc >/dev/null 2>&1; then
    mandoc -Tlint "$MAN" >"$TMP/lint" 2>&1 && [ ! -s "$TMP/lint" ] && ok mandoc-lint || fail mandoc-lint "$(cat "$TMP/lint")"
    mandoc -Tutf8 "$MAN" 2>/dev/null | sed 's/.\x08//g' >"$TMP/man.txt"
else
    fail mandoc-lint "mandoc is not installed (tools/deps.sh installs it)"
    : >"$TMP/man.txt"
fi
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man -l "$MAN" >"$TMP/man-l.txt" 2>"$TMP/man-l.err" && ok man-l || fail man-l "man -l failed"
    [ ! -s "$TMP/man-l.err" ] && ok man-l-quiet || fail man-l-quiet "$(head -n 3 "$TMP/man-l.err")"
    grep -q "■/□" "$TMP/man-l.txt" && ok man-l-marks || fail man-l-marks "no ■/□ in man -l's output"
fi
grep -q "回答（■/□" "$TMP/man.txt" && ok man-marks-ja || fail man-marks-ja "no ■/□ in the Japanese description"
grep -q "the ■/□ markers" "$TMP/man.txt" && ok man-marks-en || fail man-marks-en "no ■/□ in the English description"
grep -q "□/□\|\\\\(sq" "$MAN" "$TMP/man.txt" && fail man-no-sq "□/□ or \\(sq left" || ok man-no-sq
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS ENVIRONMENT "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
    grep -qx "$s" "$TMP/man.txt" && ok "man-section-$s" || fail "man-section-$s" "no $s section"
done
# each command has its own OPTIONS subsection, and an example
for c in template extract check review fill batch diff; do
    grep -qx "   $c" "$TMP/man.txt" && ok "man-options-$c" || fail "man-options-$c" "no OPTIONS subsection $c"
    sed -n '/^EXAMPLES/,/^SEE ALSO/p' "$TMP/man.txt" | grep -q "sechk $c\|sechk .*$c" && ok "man-example-$c" ||
        case $c in fill | template) ok "man-example-$c" ;; *) fail "man-example-$c" "no example of $c" ;; esac
done
# every option that a --help names is described in the man page (as a tag line)
sed 's/\\-/-/g' "$MAN" >"$TMP/man.src"
n_opts=0
for c in template extract check review fill batch diff; do
    "$SECHK" $c --help >"$TMP/help.txt"
    for opt in $(grep -o -- '\(^\|[ [,]\)--\?[a-z][a-z0-9-]*' "$TMP/help.txt" | sed 's/^[ [,]*//' | grep '^-' | sort -u); do
        n_opts=$((n_opts + 1))
        grep -Eq -- "^\.[A-Z]+ (.*[ \"])?$opt([ \"]|\$)" "$TMP/man.src" && ok "man-has-$c$opt" ||
            fail "man-has-$c$opt" "$opt of sechk $c --help is not described in docs/sechk.1"
    done
done
"$SECHK" help limits >"$TMP/help.txt"
for opt in $(grep -o -- '--max-[a-z-]*' "$TMP/help.txt" | sort -u); do
    n_opts=$((n_opts + 1))
    grep -q -- "^\.BI $opt \" N\"" "$TMP/man.src" && ok "man-has-limit$opt" || fail "man-has-limit$opt" "$opt not described"
done
[ "$n_opts" -ge 60 ] && ok option-count || fail option-count "only $n_opts options found in the help texts"

# the README opens in Japanese for staff, with the two set-up commands
R=$ROOT/README.md
head -n 1 "$R" | grep -q "セキュリティチェックリスト" && ok readme-ja-title || fail readme-ja-title "$(head -n 1 "$R")"
ja_line=$(grep -n "^## 職員の方へ" "$R" | head -n 1 | cut -d: -f1)
en_line=$(grep -n "^## For developers" "$R" | head -n 1 | cut -d: -f1)
[ -n "$ja_line" ] && [ -n "$en_line" ] && [ "$ja_line" -lt "$en_line" ] && ok readme-order ||
    fail readme-order "the Japanese section must come before the English one"
for cmd in "make deps demo" "make test"; do
    sed -n "1,${en_line:-1}p" "$R" | grep -Fq "$cmd" && ok "readme-ja-$cmd" || fail "readme-ja-$cmd" "not in the Japanese section"
done
for c in template check review batch diff extract; do
    sed -n "1,${en_line:-1}p" "$R" | grep -q "^sechk $c" && ok "readme-ja-$c" || fail "readme-ja-$c" "no example of $c"
done
finish
