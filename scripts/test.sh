#!/usr/bin/env bash
# scripts/test.sh: the whole test suite on a throwaway cluster, for each
# PostgreSQL major of AIM_PG_MAJORS in turn.
#
# For each major: installs what it needs (for a major Debian does not
# package here, builds it once into a cache: scripts/build_pg.sh), builds
# and installs the extension, starts a private cluster, runs pg_regress
# (sql/ + expected/) and pgTAP (test/pgtap/*.sql through pg_prove), then the
# shell TAP scripts of test/pipeline/ (the main job, end to end), test/doc/
# (the documents' SQL examples against their shown output) and test/robust/
# (fuzzing, cancellation, concurrency, memory, privileges, upgrade) through
# prove, removes the cluster, and prints
# "test (PostgreSQL <version>): N passed, M failed".  The last line sums the
# majors, "test: N passed, M failed"; the exit status is non-zero if
# anything failed on any major.
#
#   AIM_PG_MAJORS   the majors to test, in order (default "15"; "15 17" when
#                   CI=true: CI always tests both)
#   AIM_PGBIN       a server build to use for the major its pg_config
#                   reports (AIM_PGBIN_<MAJOR> for a given major); the other
#                   majors use their default (scripts/lib.sh)
#
# Each shell TAP script runs against the same cluster: PGHOST/PGPORT/PGUSER,
# AIM_ROOT, AIM_TMP (the cluster's scratch directory; server log in
# $AIM_TMP/server.log), AIM_PG_MAJOR, AIM_PGBIN and AIM_PG_CONFIG are
# exported, and AIM_PGBIN comes first in PATH.  A script creates and drops
# its own database.
#
# AIM_SUITES (default "regress pgtap pipeline doc robust") picks the parts to run
# while developing; CI and the README's command always run all of them.
set -euo pipefail

if [ -z "${AIM_TEST_ONE_MAJOR:-}" ]; then
	if [ "${CI:-}" = true ]; then
		majors=${AIM_PG_MAJORS:-15 17}
	else
		majors=${AIM_PG_MAJORS:-${AIM_PG_MAJOR:-15}}
	fi
	self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
	out=$(mktemp "${TMPDIR:-/tmp}/aim-test.XXXXXX")
	trap 'rm -f "$out"' EXIT
	status=0
	passed=0
	failed=0
	lines=()
	for m in $majors; do
		# a preset AIM_PGBIN serves the major it was built for
		bin=${AIM_PGBIN:-}
		if [ -n "$bin" ]; then
			bm=$({ "$bin/pg_config" --version 2>/dev/null || true; } |
				sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
			if [ -z "$bm" ]; then
				# a mistyped path must not fall back to another server
				echo "test.sh: AIM_PGBIN=$bin has no working pg_config" >&2
				exit 1
			fi
			if [ "$bm" != "$m" ]; then
				v=AIM_PGBIN_$m
				[ -n "${!v:-}" ] ||
					printf '==> PostgreSQL %s: AIM_PGBIN (%s) is PostgreSQL %s; using the default for %s\n' \
						"$m" "$bin" "${bm:-?}" "$m" >&2
				bin=
			fi
		fi
		printf '\n==> PostgreSQL %s: the test suite\n' "$m" >&2
		t0=$(date +%s)
		set +e
		AIM_TEST_ONE_MAJOR=1 AIM_PG_MAJOR=$m AIM_PGBIN=$bin bash "$self" 2>&1 | tee "$out"
		rc=${PIPESTATUS[0]}
		set -e
		summary=$(sed -n 's/^test: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out" | tail -1)
		version=$(sed -n 's/^==> testing PostgreSQL \([^ ]*\) .*/\1/p' "$out" | tail -1)
		if [ -z "$summary" ]; then
			summary="0 1" # it stopped before running the tests
			[ "$rc" != 0 ] || rc=1
		fi
		p=${summary% *}
		f=${summary#* }
		[ "$rc" = 0 ] || { status=1; [ "$f" != 0 ] || f=1; }
		passed=$((passed + p))
		failed=$((failed + f))
		lines+=("test (PostgreSQL ${version:-$m}): $p passed, $f failed ($(($(date +%s) - t0)) s)")
	done
	echo
	printf '%s\n' "${lines[@]}"
	echo "test: $passed passed, $failed failed"
	exit "$status"
fi

# ------------------------------------------------------------ one major
. "$(dirname "$0")/lib.sh"
cd "$AIM_ROOT"

# the suite always runs against its own cluster, never a server from the
# environment
unset PGHOST PGPORT PGUSER PGDATABASE PGHOSTADDR

# test-only packages: pg_cron (scheduled refresh), sqlsmith (fuzzing),
# psycopg2 (the client example), pgbench comes with postgresql-client
# shellcheck disable=SC2046
AIM_PACKAGES+=($(aim_pg_package cron) sqlsmith python3-psycopg2)

aim_ensure_packages
aim_build_install
aim_log "testing PostgreSQL $("$AIM_PG_CONFIG" --version | cut -d" " -f2) ($AIM_PGBIN)"
if [ -f "$("$AIM_PG_CONFIG" --pkglibdir)/pg_cron.so" ]; then
	AIM_PG_CONF_EXTRA="shared_preload_libraries = 'pg_cron'
cron.database_name = 'aimarketing_pipeline'
cron.use_background_workers = on
${AIM_PG_CONF_EXTRA:-}"
else
	# (the pipeline script's scheduler tests fail without it)
	aim_log "pg_cron is not installed in PostgreSQL $AIM_PG_MAJOR: the server runs without it"
fi
aim_cluster_start
export AIM_ROOT AIM_TMP AIM_PG_MAJOR AIM_PGBIN AIM_PG_CONFIG AIM_SERVER_USER
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
