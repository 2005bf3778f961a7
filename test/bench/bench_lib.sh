# test/bench/bench_lib.sh: shared helpers for the benchmark scripts
# (sourced by test/bench/similarity.sh and test/bench/roi.sh; not run alone).
#
# The benchmarks need the extension already installed into PostgreSQL 15
# (scripts/test.sh does that).  Set AIM_BENCH_BUILD=1 to build and install
# it first.  Each benchmark runs on its own throwaway cluster (scripts/lib.sh),
# never on a server named by PGHOST & co.
#
# Timing method: every measured query runs in a fresh psql session that
# first applies the session settings (e.g. max_parallel_workers_per_gather),
# then runs the query once as a warm-up and BENCH_RUNS more times with
# psql's \timing (client-side wall-clock time of the whole statement:
# parse, plan, execute, one result row over the Unix socket).  The median of
# the timed runs is reported, with every run listed.  The result of each run
# is captured too, so the scripts can check results and that every run gave
# the same answer.  After the runs, the backend's /proc/<pid>/status is read
# (the script can read it: it runs as root or as the server's OS user) for
# its peak resident size.

. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

# Quick mode (AIM_BENCH_QUICK=1, for development; scripts/bench.sh passes it
# on): smaller data and fewer timed runs unless set explicitly.  The
# scripts take their default sizes through bench_size FULL QUICK.
if [ "${AIM_BENCH_QUICK:-0}" = 1 ]; then
	: "${BENCH_RUNS:=2}" "${BENCH_PLAIN_RUNS:=1}" "${BENCH_FIXED_RUNS:=1}" \
		"${BENCH_SCORE_ROUNDS:=1}" "${BENCH_JIT:=0}"
fi
bench_size() { if [ "${AIM_BENCH_QUICK:-0}" = 1 ]; then echo "$2"; else echo "$1"; fi; }

bench_die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# bench_setup: packages, optional build, throwaway cluster, checks that the
# extension is installed.  Pass extra postgresql.conf lines in
# AIM_PG_CONF_EXTRA before calling.
bench_setup() {
	unset PGHOST PGPORT PGUSER PGDATABASE PGHOSTADDR
	aim_ensure_packages
	if [ "${AIM_BENCH_BUILD:-0}" = 1 ]; then
		aim_build_install
	fi
	local sharedir
	sharedir=$("$AIM_PG_CONFIG" --sharedir)
	[ -f "$sharedir/extension/aimarketing.control" ] ||
		bench_die "aimarketing is not installed into PostgreSQL $AIM_PG_MAJOR; run scripts/test.sh first, or rerun with AIM_BENCH_BUILD=1"
	aim_cluster_start
	BENCH_PSQL=(psql -X -q -At -v ON_ERROR_STOP=1)
}

# bench_sql SQL...: run SQL (each argument one -c) and print its output
bench_sql() {
	local args=() s
	for s in "$@"; do args+=(-c "$s"); done
	"${BENCH_PSQL[@]}" "${args[@]}"
}

# bench_header TITLE: the machine, software and time of the run
bench_header() {
	local cpu libdir so
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	libdir=$("$AIM_PG_CONFIG" --pkglibdir)
	so="$libdir/aimarketing.so"
	BENCH_SO=$so
	BENCH_SO_MTIME=$(stat -c %Y "$so" 2>/dev/null || echo '?')
	echo "=================================================================="
	echo "$1"
	echo "=================================================================="
	echo "date:        $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "host:        $(uname -srm)"
	echo "cpu:         ${cpu:-unknown} (nproc $(nproc))"
	echo "memory:      $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
	echo "load avg:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min at start; other work on the machine makes figures noisy)"
	echo "postgresql:  $(bench_sql 'SELECT version()')"
	echo "aimarketing: extension $(bench_sql "SELECT extversion FROM pg_extension WHERE extname = 'aimarketing'")," \
		"library $so built $(date -u -r "$so" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null || echo '?')"
	echo "source:      git $(git -C "$AIM_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(
		[ -n "$(git -C "$AIM_ROOT" status --porcelain -- src sql 2>/dev/null)" ] && echo ' (src/ or sql/ modified)')"
	echo "server:      $(bench_sql "SELECT format('shared_buffers %s, work_mem %s, jit %s (benchmarks set jit per session)', current_setting('shared_buffers'), current_setting('work_mem'), current_setting('jit'))")"
	echo
}

# bench_median: median of the numbers on stdin
bench_median() {
	sort -g | awk '{v[NR] = $1} END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2];
		else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_calc EXPR: floating-point arithmetic with awk, printf format first
#   bench_calc '%.2f' '3 / 2'
bench_calc() { awk "BEGIN {printf \"$1\\n\", $2}"; }

# bench_run RUNS SETTINGS QUERY
#   Runs QUERY once (warm-up) and then RUNS times in one psql session after
#   SETTINGS (SQL, e.g. "SET jit = off;").  Sets:
#     BENCH_MEDIAN   median of the timed runs, ms
#     BENCH_TIMES    the timed runs, ms, space-separated
#     BENCH_RESULT   the query's output (first row) in the last run
#     BENCH_SAME     yes if every run (warm-up included) gave the same output
#     BENCH_DISTINCT how many different outputs the runs gave
#     BENCH_MEM      peak memory of the backend, as text
#     BENCH_HWM_MB   the backend's VmHWM, MB
#     BENCH_PRIV_MB  VmHWM less shared and file-backed pages, MB
bench_run() {
	local runs=$1 settings=$2 query=$3 out i
	BENCH_RUNS_DONE=$runs
	local script
	script=$(
		printf '%s\n' "$settings"
		printf 'SELECT pg_backend_pid() AS bench_pid \\gset\n'
		printf '\\setenv BENCH_PID :bench_pid\n'
		printf '\\timing on\n'
		for ((i = 0; i <= runs; i++)); do
			printf '%s;\n' "$query"
		done
		printf '\\timing off\n'
		# VmHWM counts every shared_buffers page the backend touched too;
		# subtracting the shared and file-backed pages still mapped at the
		# end estimates its private (palloc/malloc) peak
		printf '%s\n' "\\! awk '/^(VmHWM|RssShmem|RssFile):/ {print \"MEM\", \$1, \$2}' /proc/\$BENCH_PID/status"
	)
	out=$(printf '%s\n' "$script" | "${BENCH_PSQL[@]}" 2>&1) || {
		printf '%s\n' "$out" >&2
		bench_die "query failed: $query"
	}
	BENCH_TIMES=$(printf '%s\n' "$out" | awk '/^Time: / {print $2}' | tail -n "$runs" | tr '\n' ' ')
	BENCH_TIMES=${BENCH_TIMES% }
	BENCH_MEDIAN=$(printf '%s\n' $BENCH_TIMES | bench_median)
	local results
	results=$(printf '%s\n' "$out" | grep -v -E '^(Time: |MEM )')
	BENCH_RESULT=$(printf '%s\n' "$results" | tail -n 1)
	BENCH_DISTINCT=$(printf '%s\n' "$results" | sort -u | wc -l)
	if [ "$BENCH_DISTINCT" = 1 ]; then
		BENCH_SAME=yes
	else
		BENCH_SAME=no
	fi
	BENCH_MEM=$(printf '%s\n' "$out" | awk '
		$1 == "MEM" {v[$2] = $3}
		END {
			if (!("VmHWM:" in v)) { print "n/a"; exit }
			printf "VmHWM %.0f MB (private peak ~%.0f MB)", v["VmHWM:"] / 1024,
				(v["VmHWM:"] - v["RssShmem:"] - v["RssFile:"]) / 1024 }')
	BENCH_HWM_MB=$(printf '%s\n' "$BENCH_MEM" | sed -n 's/^VmHWM \([0-9]*\) MB.*/\1/p')
	BENCH_PRIV_MB=$(printf '%s\n' "$BENCH_MEM" | sed -n 's/.*private peak ~\(-\{0,1\}[0-9]*\) MB.*/\1/p')
	BENCH_HWM_MB=${BENCH_HWM_MB:--} BENCH_PRIV_MB=${BENCH_PRIV_MB:--}
}

# bench_report LABEL: one line for the last bench_run
bench_report() {
	printf '  %-40s median %10.1f ms   runs: %s\n' "$1" "$BENCH_MEDIAN" "$BENCH_TIMES"
	printf '  %-40s result %s%s; %s\n' "" "$BENCH_RESULT" \
		"$([ "$BENCH_SAME" = yes ] && echo ' (same in every run)' ||
			echo " (runs differ: $BENCH_DISTINCT different results in $((${BENCH_RUNS_DONE} + 1)) runs)")" "$BENCH_MEM"
}

# bench_prewarm TABLE: load TABLE into shared_buffers (a sequential scan of a
# table bigger than shared_buffers/4 goes through a small ring buffer and
# would not stay cached) and print how much of it is cached
bench_prewarm() {
	bench_sql "CREATE EXTENSION IF NOT EXISTS pg_prewarm" \
		"CREATE EXTENSION IF NOT EXISTS pg_buffercache" >/dev/null
	bench_sql "SELECT pg_prewarm('$1')" >/dev/null
	bench_sql "SELECT format('%s of %s pages of $1 in shared_buffers',
			(SELECT count(*) FROM pg_buffercache
			  WHERE relfilenode = pg_relation_filenode('$1')
			    AND reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
			    AND relforknumber = 0),
			pg_relation_size('$1') / current_setting('block_size')::int)"
}

# accumulate machine-readable lines, printed together at the end
BENCH_LINES=()
bench_line() { BENCH_LINES+=("BENCH $*"); }
# bench_result CAPABILITY CASE SIZE OURS_MS ALT_NAME ALT_MS PEAK_MB PRIVATE_MB:
# one tab-separated RESULT line for scripts/bench.sh's report (BENCHMARKS.md):
#   RESULT capability case size ours_ms alt_name alt_ms ratio peak_mb private_mb
# ratio = ours / alternative (below 1: we are faster); peak_mb is the
# backend's VmHWM over the session that timed our query (it counts the
# shared_buffers pages the scan touched), private_mb that less the shared
# and file-backed pages; "-" where not known
bench_result() {
	local ratio=-
	if [ "$4" != - ] && [ "$6" != - ] && [ -n "$4" ] && [ -n "$6" ]; then
		ratio=$(awk -v o="$4" -v a="$6" 'BEGIN {if (a + 0 > 0) printf "%.4g\n", o / a; else print "-"}')
	fi
	BENCH_LINES+=("$(printf 'RESULT\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' \
		"$1" "$2" "$3" "$4" "$5" "$6" "$ratio" "${7:--}" "${8:--}")")
}
bench_print_lines() {
	# every psql session loads the library afresh: if it was reinstalled
	# while we ran, different queries may have timed different builds
	if [ -n "${BENCH_SO:-}" ] && [ "$(stat -c %Y "$BENCH_SO" 2>/dev/null || echo '?')" != "$BENCH_SO_MTIME" ]; then
		echo
		echo "WARNING: $BENCH_SO was replaced during the benchmark; figures may mix two builds"
	fi
	echo
	local l
	for l in "${BENCH_LINES[@]}"; do echo "$l"; done
}

# bench_parallel_plan QUERY WHAT: print the plan of QUERY under the
# $PARALLEL settings and the workers EXPLAIN ANALYZE launched, warn unless
# it is a Finalize/Partial Aggregate plan with 2 workers; sets plan_ok
bench_parallel_plan() {
	local query=$1 what=$2 plan launched
	echo "parallel (max_parallel_workers_per_gather = 2, parallel_setup_cost = 0, parallel_tuple_cost = 0,"
	echo "          min_parallel_table_scan_size = 0): plan of the $what query:"
	plan=$(bench_sql "$PARALLEL" "EXPLAIN (COSTS OFF) $query")
	launched=$(bench_sql "$PARALLEL" "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) $query" |
		sed -n 's/^ *Workers Launched: //p')
	printf '%s\n' "$plan" | sed 's/^/    /'
	echo "    (EXPLAIN ANALYZE: Workers Launched: ${launched:-?})"
	plan_ok=yes
	if ! printf '%s\n' "$plan" | grep -q '^Finalize Aggregate' ||
		! printf '%s\n' "$plan" | grep -q 'Partial Aggregate' ||
		! printf '%s\n' "$plan" | grep -q 'Workers Planned: 2'; then
		plan_ok=no
		echo "    WARNING: not a Finalize/Partial Aggregate plan with 2 workers planned"
	fi
	[ "${launched:-0}" = 2 ] || echo "    WARNING: ${launched:-0} workers launched, not 2"
}
