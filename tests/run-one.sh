#!/bin/sh
# Runs one job of tests/run-tests.sh: LOGDIR "LABEL<TAB>COMMAND".
set -u
log=$1
label=${2%%	*}
cmd=${2#*	}
f=$log/$(echo "$label" | tr '/' '_')
s=$(date +%s)
sh -c "$cmd" >"$f.log" 2>&1 </dev/null
rc=$?
echo "$rc" >"$f.rc"
t=$(($(date +%s) - s))
if [ "$rc" -eq 0 ]; then st="ok  "; else st="FAIL"; fi
printf '  %s %-44s %4ss  %s\n' "$st" "$label" "$t" "$(grep -E '[0-9]+ passed, [0-9]+ failed|^\[  (PASSED|FAILED)  \]' "$f.log" | tail -n 1)"
