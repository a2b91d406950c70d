#!/bin/sh
# The suite's entry for tests/web (tests/jobs.sh runs tests/web/test_*.sh):
# the page in headless Chromium against the CLI; see tests/web/run.sh.
exec sh "$(dirname "$0")/run.sh" "$@"
