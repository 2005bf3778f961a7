#!/usr/bin/env bash
# scripts/valgrind.sh: run the pg_regress suite with every backend under
# valgrind memcheck, and fail if valgrind reports an error in aimarketing's
# code (or any error at all with AIM_VALGRIND_STRICT=1).
#
# Slow (minutes); not part of scripts/test.sh.  Reports: $AIM_TMP/valgrind.*.log
set -euo pipefail
AIM_EXTRA_PACKAGES=valgrind
. "$(dirname "$0")/lib.sh"
cd "$AIM_ROOT"
unset PGHOST PGPORT PGUSER PGDATABASE

aim_ensure_packages
aim_build_install

wrapper=$(mktemp /tmp/aim-valgrind-postgres.XXXXXX)
logdir=$(mktemp -d /tmp/aim-valgrind-logs.XXXXXX)
chmod 755 "$wrapper"
chmod 777 "$logdir"
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind --quiet --trace-children=yes --track-origins=yes \\
	--error-exitcode=0 --read-var-info=no --num-callers=30 \\
	--log-file=$logdir/valgrind.%p.log \\
	$AIM_PGBIN/postgres "\$@"
WRAP
AIM_POSTGRES=$wrapper AIM_START_TIMEOUT=300 \
	AIM_PG_CONF_EXTRA="max_parallel_workers_per_gather = 2
shared_buffers = 64MB" aim_cluster_start

status=0
make -s PG_CONFIG="$AIM_PG_CONFIG" installcheck || status=$?
aim_cluster_stop

ours=$(grep -l 'aimarketing.so' "$logdir"/valgrind.*.log 2>/dev/null || true)
any=$(grep -l 'ERROR SUMMARY: [1-9]\|^==[0-9]*== [A-Z]' "$logdir"/valgrind.*.log 2>/dev/null || true)
echo "valgrind logs: $logdir"
if [ -n "$ours" ]; then
	echo "valgrind reported errors in aimarketing code:"
	for f in $ours; do grep -B2 -A30 'aimarketing.so' "$f" | head -80; done
	status=1
elif [ -n "$any" ] && [ "${AIM_VALGRIND_STRICT:-0}" = 1 ]; then
	echo "valgrind reported errors (outside aimarketing): $any"
	status=1
else
	echo "valgrind: no errors in aimarketing code"
fi
rm -f "$wrapper"
exit $status
