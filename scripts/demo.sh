#!/usr/bin/env bash
# scripts/demo.sh: the main job.
#
# Installs what it needs, builds and installs aimarketing, and runs the
# marketing pipeline of demo/ on the bundled Online Retail orders, step by
# step in file-name order (NN_*.sql with psql, NN_*.py with Debian's
# python3), printing a report with a heading per step and a progress line
# with its time on stderr.  By default it runs on a throwaway cluster that it
# creates (with pg_cron loaded, so the nightly refresh gets scheduled) and
# removes; if PGHOST, PGPORT or PGDATABASE is set, it runs against that
# existing server instead (the extension must be installable there: this
# script installs it into the PostgreSQL of scripts/lib.sh: Debian's 15 by
# default, AIM_PG_MAJOR=17 for a build from source).
#
#   AIM_REPORT=file   also write the report to a file
#   AIM_KEEP_DATA=1   skip the clean-up step (keep schemas aim_shop, aim_mart)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$AIM_ROOT"

# shellcheck disable=SC2046
AIM_PACKAGES+=($(aim_pg_package cron) python3-psycopg2)
aim_ensure_packages
aim_build_install
if [ -n "${PGHOST:-}${PGPORT:-}${PGDATABASE:-}" ]; then
	aim_log "using the server from the environment (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGDATABASE=${PGDATABASE:-})"
else
	if [ -f "$("$AIM_PG_CONFIG" --pkglibdir)/pg_cron.so" ]; then
		AIM_PG_CONF_EXTRA="shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
${AIM_PG_CONF_EXTRA:-}"
	else
		aim_log "pg_cron is not installed in PostgreSQL $AIM_PG_MAJOR: the nightly refresh cannot be scheduled"
	fi
	aim_cluster_start
fi

run_steps() {
	local f t0 t1 total0
	total0=$(date +%s.%N)
	psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION IF NOT EXISTS aimarketing"
	for f in demo/[0-9]*; do
		case "$f" in
		*/99_*) [ "${AIM_KEEP_DATA:-0}" = 1 ] && continue ;;
		esac
		t0=$(date +%s.%N)
		case "$f" in
		*.sql) psql -X -q -v ON_ERROR_STOP=1 -f "$f" ;;
		*.py)
			echo
			echo "== 8. A BI client (psycopg2) reading the marts: $f =="
			/usr/bin/python3 "$f"
			;;
		*) continue ;;
		esac
		t1=$(date +%s.%N)
		aim_log "$(awk -v f="$(basename "$f")" -v a="$t0" -v b="$t1" \
			'BEGIN { printf "step %-22s done in %5.1f s", f, b - a }')"
	done
	aim_log "$(awk -v a="$total0" -v b="$(date +%s.%N)" \
		'BEGIN { printf "pipeline finished in %.1f s", b - a }')"
}

if [ -n "${AIM_REPORT:-}" ]; then
	run_steps | tee "$AIM_REPORT"
else
	run_steps
fi
