#!/usr/bin/env bash
# scripts/test.sh: the whole test suite on a throwaway cluster.
#
# Installs what it needs, builds and installs the extension, starts a
# private PostgreSQL 15 cluster, runs pg_regress (sql/ + expected/) and
# pgTAP (test/pgtap/*.sql through pg_prove), then the shell TAP scripts of
# test/pipeline/ (the main job, end to end), test/doc/ (the documents'
# SQL examples against their shown output) and test/robust/ (fuzzing,
# cancellation, concurrency, memory, privileges, upgrade) through prove,
# removes the cluster, and exits non-zero if anything failed.
#
# Each shell TAP script runs against the same cluster: PGHOST/PGPORT/PGUSER,
# AIM_ROOT, AIM_TMP (the cluster's scratch directory; server log in
# $AIM_TMP/server.log), AIM_PGBIN and AIM_PG_CONFIG are exported.  A script
# creates and drops its own database.
#
# AIM_SUITES (default "regress pgtap pipeline doc robust") picks the parts to run
# while developing; CI and the README's command always run all of them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$AIM_ROOT"

# the suite always runs against its own cluster, never a server from the
# environment
unset PGHOST PGPORT PGUSER PGDATABASE PGHOSTADDR

# test-only packages: pg_cron (scheduled refresh), sqlsmith (fuzzing),
# psycopg2 (the client example), pgbench comes with postgresql-client
AIM_PACKAGES+=(postgresql-$AIM_PG_MAJOR-cron sqlsmith python3-psycopg2)
AIM_PG_CONF_EXTRA="shared_preload_libraries = 'pg_cron'
cron.database_name = 'aimarketing_pipeline'
cron.use_background_workers = on
${AIM_PG_CONF_EXTRA:-}"

aim_ensure_packages
aim_build_install
aim_cluster_start
export AIM_ROOT AIM_TMP AIM_PGBIN AIM_PG_CONFIG AIM_SERVER_USER
# pg_cron's scheduler connects to cron.database_name as soon as it exists
# and keeps that connection: create it up front, for test/pipeline/
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE aimarketing_pipeline"

AIM_SUITES=${AIM_SUITES:-regress pgtap pipeline doc robust}
suite() { case " $AIM_SUITES " in *" $1 "*) return 0 ;; esac; return 1; }

fail=0
passed=0
failed=0

# count_tap FILE: add the tests and failures of a prove/pg_prove summary
count_tap() {
	local total bad
	total=$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$1" | tail -1)
	bad=$(sed -n 's/^.*Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$1" |
		awk '{s += $1} END {print s + 0}')
	passed=$((passed + ${total:-0} - bad))
	failed=$((failed + bad))
}

if suite regress; then
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
fi

if suite pgtap; then
	aim_log "pgTAP"
	psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE aimarketing_pgtap"
	psql -X -q -v ON_ERROR_STOP=1 -d aimarketing_pgtap \
		-c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION aimarketing"
	if pg_prove --failures -d aimarketing_pgtap test/pgtap/*.sql 2>&1 | tee "$AIM_TMP/pgtap.out"; then
		:
	else
		fail=1
	fi
	count_tap "$AIM_TMP/pgtap.out"
fi

shopt -s nullglob
scripts=()
suite pipeline && scripts+=(test/pipeline/*.sh)
suite doc && scripts+=(test/doc/*.sh)
suite robust && scripts+=(test/robust/*.sh)
if [ ${#scripts[@]} -gt 0 ]; then
	aim_log "pipeline and robustness scripts"
	if prove --failures --comments --timer -e bash "${scripts[@]}" 2>&1 | tee "$AIM_TMP/prove.out"; then
		:
	else
		fail=1
	fi
	count_tap "$AIM_TMP/prove.out"
fi
[ "$fail" = 1 ] && [ "$failed" = 0 ] && failed=1

echo
echo "test: $passed passed, $failed failed"
exit "$fail"
