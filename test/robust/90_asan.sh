#!/usr/bin/env bash
# test/robust/90_asan.sh: the pg_regress and pgTAP suites against an
# AddressSanitizer + UBSan build of aimarketing (scripts/asan.sh: its own
# copy of PostgreSQL and its own second cluster, both in a temporary
# directory).  About 3 minutes on 2 busy cores.  AIM_SKIP_ASAN=1 skips it.
. "$AIM_ROOT/test/tap.sh"

if [ "${AIM_SKIP_ASAN:-0}" = 1 ]; then
	echo "1..0 # SKIP AIM_SKIP_ASAN=1"
	exit 0
fi
steps=(instrumented active ubsan-selftest selftest pg_regress pgTAP reports)
tap_plan $((${#steps[@]} + 1))

out=$(mktemp)
rc=0
AIM_PGBIN=$AIM_PGBIN timeout 900 bash "$AIM_ROOT/scripts/asan.sh" >"$out" 2>&1 || rc=$?
for s in "${steps[@]}"; do
	line=$(grep "^asan: $s: " "$out" | tail -n 1)
	case $line in
	"asan: $s: ok"*) tap_result 0 "${line#asan: }" ;;
	*) tap_result 1 "asan: $s: ${line:-step not reached}" ;;
	esac
done
tap_is "$rc" 0 "scripts/asan.sh exit status"
if [ "$rc" = 0 ]; then
	tap_diag "$(grep '^asan: done' "$out")"
else
	tap_diag "$(tail -n 150 "$out")"
fi
rm -f "$out"
[ "$TAP_FAILED" = 0 ]
