#!/usr/bin/env bash
# scripts/demo.sh: the main job.
#
# Installs what it needs, builds and installs aimarketing, and runs the demo
# (demo/*.sql, in order) with psql.  By default it runs on a throwaway
# cluster that it creates and removes; if PGHOST, PGPORT or PGDATABASE is
# set, it runs against that existing server instead (the extension must be
# installable there: this script installs it into the local PostgreSQL 15).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$AIM_ROOT"

aim_ensure_packages
aim_build_install
if [ -n "${PGHOST:-}${PGPORT:-}${PGDATABASE:-}" ]; then
	aim_log "using the server from the environment (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGDATABASE=${PGDATABASE:-})"
else
	aim_cluster_start
fi

for f in demo/[0-9]*.sql; do
	aim_log "running $f"
	psql -X -q -v ON_ERROR_STOP=1 -f "$f"
done
aim_log "demo finished"
