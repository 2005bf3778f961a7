#!/usr/bin/env bash
# scripts/test.sh: the whole test suite on a throwaway cluster.
#
# Installs what it needs, builds and installs the extension, starts a
# private PostgreSQL 15 cluster, runs pg_regress (sql/ + expected/) and
# pgTAP (test/pgtap/*.sql through pg_prove), removes the cluster, and exits
# non-zero if anything failed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$AIM_ROOT"

# the suite always runs against its own cluster, never a server from the
# environment
unset PGHOST PGPORT PGUSER PGDATABASE PGHOSTADDR

aim_ensure_packages
aim_build_install
aim_cluster_start

fail=0
passed=0
failed=0

aim_log "pg_regress"
rm -rf results regression.diffs regression.out
if make -s PG_CONFIG="$AIM_PG_CONFIG" installcheck 2>&1 | tee "$AIM_TMP/regress.out"; then
	:
else
	fail=1
	[ -f regression.diffs ] && head -n 300 regression.diffs
fi
r_ok=$(grep -cE '^(ok|test) .* ok( |$)|^ok [0-9]+ ' "$AIM_TMP/regress.out" || true)
r_bad=$(grep -cE ' FAILED( |$)|^not ok ' "$AIM_TMP/regress.out" || true)
passed=$((passed + r_ok))
failed=$((failed + r_bad))

aim_log "pgTAP"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE aimarketing_pgtap"
psql -X -q -v ON_ERROR_STOP=1 -d aimarketing_pgtap \
	-c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION aimarketing"
if pg_prove --failures -d aimarketing_pgtap test/pgtap/*.sql 2>&1 | tee "$AIM_TMP/pgtap.out"; then
	:
else
	fail=1
fi
t_total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$AIM_TMP/pgtap.out" | tail -1)
t_bad=$(sed -n 's/^.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$AIM_TMP/pgtap.out" |
	awk '{s += $1} END {print s + 0}')
passed=$((passed + ${t_total:-0} - t_bad))
failed=$((failed + t_bad))
[ "$fail" = 1 ] && [ "$failed" = 0 ] && failed=1

echo
echo "test: $passed passed, $failed failed"
exit "$fail"
