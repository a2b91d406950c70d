#!/bin/sh
# Prints the jobs of tests/run-tests.sh, one "LABEL<TAB>COMMAND" a line,
# the slow ones first so that the parallel run ends together.
#   plain     unit binaries (build/tests), tests/e2e, tests/interop, tests/web
#   asan      the same against build/asan (ASan+UBSan)
#   valgrind  tests/valgrind/*.sh: every subcommand, one hostile file of each
#             class and a batch with a crashing worker, under memcheck
set -eu
PY=${PYTHON:-/usr/bin/python3}
# slow scripts first (seconds in a plain run, largest first); the rest after
SLOW="test_rules test_roundtrip test_hostile test_layout_variants test_review test_batch"

line() { # line CONFIG BUILD FILE: the job that runs one script against BUILD
    printf '%s/%s/%s\t%sSECHK=%s/sechk PYTHON=%s sh %s\n' "$1" "$(basename "$(dirname "$3")")" \
        "$(basename "$3" .sh)" "$(extra "$1")" "$2" "$PY" "$3"
}
extra() { [ "$1" = asan ] && echo "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1 " || true; }
build_of() { [ "$1" = asan ] && echo build/asan || echo build; }

for c in "$@"; do
    case $c in
    plain | asan | valgrind) ;;
    *) echo "jobs.sh: unknown configuration '$c' (plain, asan, valgrind)" >&2; exit 2 ;;
    esac
done
# valgrind first: its jobs are the slowest
for c in "$@"; do
    [ "$c" = valgrind ] || continue
    for f in tests/valgrind/test_*.sh; do
        [ -f "$f" ] && printf 'valgrind/%s\tSECHK_REAL=build/sechk PYTHON=%s sh %s\n' "$(basename "$f" .sh)" "$PY" "$f"
    done
done
# then the slow scripts of every build (the sanitizer build first), then the rest
for s in $SLOW; do
    for c in asan plain; do
        case " $* " in *" $c "*) ;; *) continue ;; esac
        for d in tests/e2e tests/interop tests/web; do
            [ -f "$d/$s.sh" ] && line "$c" "$(build_of "$c")" "$d/$s.sh"
        done
    done
done
for c in asan plain; do
    case " $* " in *" $c "*) ;; *) continue ;; esac
    b=$(build_of "$c")
    for d in tests/e2e tests/interop tests/web; do
        for f in "$d"/test_*.sh; do
            [ -f "$f" ] || continue
            case " $SLOW " in *" $(basename "$f" .sh) "*) ;; *) line "$c" "$b" "$f" ;; esac
        done
    done
    for t in "$b"/tests/test_*; do
        [ -x "$t" ] && printf '%s/unit/%s\t%s%s\n' "$c" "$(basename "$t")" "$(extra "$c")" "$t"
    done
done
