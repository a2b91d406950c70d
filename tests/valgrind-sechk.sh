#!/bin/sh
# Runs sechk ($SECHK_REAL, default build/sechk) under valgrind memcheck: any
# memory error or definite leak makes it exit 99 (tests/valgrind, `make test-full`).
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "${SECHK_REAL:-build/sechk}" "$@"
