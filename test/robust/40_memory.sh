#!/usr/bin/env bash
# test/robust/40_memory.sh: more than 1 GB of aggregate state, running out
# of memory, and millions of rules.
#
# (a) kmeans and logistic_fit keep every row in memory (a huge allocation,
#     past the 1 GB palloc limit).  Over 1.28 GB of features:
#       - serially, both work (no "invalid memory alloc request size", no
#         crash); peak backend RSS (VmHWM) and times are reported;
#       - with 2 parallel workers and the leader, each partial state is a
#         third of the data and passes through serialize/deserialize: the
#         results equal the serial ones bit for bit;
#       - with a single worker doing all the work (leader participation off),
#         the one partial state exceeds what a bytea can hold (1 GB): the
#         error must be the clear one, 54000 program_limit_exceeded with a
#         hint to disable parallel query;
#       - with the backend's address space limited (prlimit --as on the
#         backend process), the state cannot grow: the error must be 53200
#         out of memory, and the backend lives on.
#     CI default: 4 million rows of float8[40]; AIM_ROBUST_BIG=1: 20 million
#     rows of float8[8] (the same 1.28 GB in five times as many rows; the
#     data generation alone writes a 2.6 GB table).
# (b) apriori_rules returns its rules through a tuplestore, which spills to
#     a temporary file beyond work_mem: 3.3 million rules with work_mem =
#     4MB must leave the backend's peak RSS far below the size of the rules
#     and write temporary files; with work_mem = 2GB (control) the peak RSS
#     grows by about the size of the rules.
# The server log must show no crash and no invalid-alloc error.
#
# Cost (2-core machine): about 2 minutes; peak memory about 4 GB in the
# leader plus 1 GB in the parallel workers (20M x 8: 4.8 GB + 1 GB).
set -u
. "$AIM_ROOT/test/tap.sh"

tap_scratch memory
DB=$TAP_DB WORK=$TAP_WORK

if [ "${AIM_ROBUST_BIG:-0}" = 1 ]; then
	ROWS=20000000 DIMS=8
else
	ROWS=4000000 DIMS=40
fi
K=4
LOG=${AIM_TMP:+$AIM_TMP/server.log}
log_start=$( [ -n "$LOG" ] && [ -f "$LOG" ] && stat -c %s "$LOG" || echo 0)

tap_plan 36

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
t0=$(date +%s.%N)
tap_ok "$ROWS rows of float8[$DIMS] generated" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
CREATE EXTENSION aimarketing;
-- peak resident set size of this backend, in MB (/proc/self is the backend)
CREATE FUNCTION aim_vmhwm_mb() RETURNS bigint LANGUAGE sql AS
\$\$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+) kB'))[1]::bigint / 1024 \$\$;
CREATE FUNCTION aim_vmsize_kb() RETURNS bigint LANGUAGE sql AS
\$\$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmSize:\s+(\d+) kB'))[1]::bigint \$\$;
SELECT setseed(0.5);
-- 4096 random base vectors; row g is base vector g % 4096 with its last
-- coordinate replaced by g / ROWS, so every row is distinct
CREATE UNLOGGED TABLE base AS
SELECT i, ARRAY(SELECT random() + 0 * i FROM generate_series(1, $DIMS - 1)) AS f
  FROM generate_series(0, 4095) i;
CREATE UNLOGGED TABLE big AS
SELECT b.f || (g::float8 / $ROWS) AS f,
       random() < 0.5 + 0.3 * (b.f[1] - b.f[2]) AS y
  FROM generate_series(1, $ROWS) g JOIN base b ON b.i = g % 4096;
-- 2000 dense baskets of 20 items, each present with probability 0.9
CREATE UNLOGGED TABLE bk AS
SELECT b, i FROM generate_series(1, 2000) b, generate_series(1, 20) i
 WHERE random() < 0.9;
SQL
gen_secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
tap_diag "data generation: ${gen_secs}s, table $(tap_sql "SELECT pg_size_pretty(pg_table_size('big'))"), features $(tap_sql "SELECT round($ROWS::numeric * $DIMS * 8 / 1e9, 2)") GB of float8"

# run_measured NAME SETTINGS STATEMENT: the statement in a fresh session
# after SETTINGS; leaves RESULT lines (value, code, secs, hwm, pid) in
# $WORK/NAME.out and psql's stderr in $WORK/NAME.err
run_measured() {
	cat >"$WORK/$1.sql" <<PSQL
\pset tuples_only on
\pset format unaligned
$2
SELECT pg_backend_pid() AS pid0 \gset
SELECT clock_timestamp() AS t0 \gset
SELECT 'RESULT value ' || ($3)::text;
\echo RESULT code :SQLSTATE
SELECT 'RESULT secs ' || round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 1);
SELECT 'RESULT hwm ' || aim_vmhwm_mb();
SELECT 'RESULT alive ' || (pg_backend_pid() = :pid0);
PSQL
	psql -X -q -v VERBOSITY=verbose -d "$DB" -f "$WORK/$1.sql" >"$WORK/$1.out" 2>"$WORK/$1.err"
}
result() { sed -n "s/^RESULT $2 //p" "$WORK/$1.out" | head -1; }
no_alloc_error() { ! grep -qi 'invalid memory alloc request size' "$WORK/$1.err"; }

SERIAL="SET max_parallel_workers_per_gather = 0;"
PARALLEL="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;"
# two workers planned, one launched (max_parallel_workers), leader not
# participating: that worker scans and accumulates the whole table
ONE_WORKER="$PARALLEL
SET parallel_leader_participation = off; SET max_parallel_workers = 1;"
KMEANS="SELECT md5(c::text) || ' ' || array_length(c, 1) || 'x' || array_length(c, 2)
          FROM (SELECT kmeans(f, $K, 0, 1) AS c FROM big) s"
LOGIT="SELECT md5(c::text) || ' ' || array_length(c, 1)
         FROM (SELECT logistic_fit(f, y) AS c FROM big) s"

# (a) serially
for fn in kmeans logistic_fit; do
	[ $fn = kmeans ] && stmt=$KMEANS want="${K}x$DIMS" || { stmt=$LOGIT want=$((DIMS + 1)); }
	run_measured "${fn}_serial" "$SERIAL" "$stmt"
	tap_is "$(result "${fn}_serial" code)" 00000 "$fn over 1.28 GB of features, serially: no error"
	tap_is "$(result "${fn}_serial" value | cut -d' ' -f2)" "$want" "$fn, serially: a result of the right shape"
	tap_ok "$fn, serially: no invalid-alloc error" no_alloc_error "${fn}_serial"
	tap_diag "$fn serial: $(result "${fn}_serial" secs)s, peak backend RSS $(result "${fn}_serial" hwm) MB"
	[ "$TAP_FAILED" = 0 ] || tap_diag "$(cat "$WORK/${fn}_serial.err")"
done

# (a) parallel: 2 workers and the leader; then one worker holding it all
plan=$(PGOPTIONS="-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c max_parallel_workers_per_gather=2" \
	tap_sql "EXPLAIN (COSTS OFF) SELECT kmeans(f, $K, 0, 1), logistic_fit(f, y) FROM big")
tap_ok "the parallel plan has partial aggregates (so states are serialized)" grep -q "Partial Aggregate" <<<"$plan"
for fn in kmeans logistic_fit; do
	[ $fn = kmeans ] && stmt=$KMEANS || stmt=$LOGIT
	run_measured "${fn}_parallel" "$PARALLEL" "$stmt"
	tap_is "$(result "${fn}_parallel" code)" 00000 "$fn, 2 parallel workers + leader: no error"
	tap_is "$(result "${fn}_parallel" value)" "$(result "${fn}_serial" value)" \
		"$fn, parallel: the serial result, bit for bit"
	tap_diag "$fn parallel: $(result "${fn}_parallel" secs)s, peak leader RSS $(result "${fn}_parallel" hwm) MB"

	run_measured "${fn}_one_worker" "$ONE_WORKER" "$stmt"
	tap_is "$(result "${fn}_one_worker" code)" 54000 \
		"$fn, one worker with all 1.28 GB: program_limit_exceeded (a bytea holds at most 1 GB)"
	tap_ok "$fn, one worker: the error says why" \
		grep -q "partial state of [0-9]* rows is too large to pass between parallel workers" "$WORK/${fn}_one_worker.err"
	tap_ok "$fn, one worker: the hint says what to do" \
		grep -q "HINT:  Disable parallel query for this statement: SET max_parallel_workers_per_gather = 0." "$WORK/${fn}_one_worker.err"
	tap_is "$(result "${fn}_one_worker" alive)" true "$fn, one worker: the backend lives on"
	[ "$TAP_FAILED" = 0 ] || tap_diag "$(cat "$WORK/${fn}_one_worker.err")"
done

# (a) out of memory: limit the address space of one backend (prlimit on
# its process) to its current size + 600 MB, less than the rows need
for fn in kmeans logistic_fit; do
	[ $fn = kmeans ] && stmt=$KMEANS || stmt=$LOGIT
	mkfifo "$WORK/oom_$fn.in"
	psql -X -q -A -t -v VERBOSITY=verbose -d "$DB" <"$WORK/oom_$fn.in" >"$WORK/oom_$fn.out" 2>"$WORK/oom_$fn.err" &
	bg=$!
	exec 9>"$WORK/oom_$fn.in"
	echo "$SERIAL SET application_name = 'aim_oom_$fn';" >&9
	pid=
	for _ in $(seq 1 100); do
		pid=$(tap_sql "SELECT pid FROM pg_stat_activity WHERE application_name = 'aim_oom_$fn'")
		[ -n "$pid" ] && break
		sleep 0.1
	done
	vmsize=$(sed -n 's/^VmSize:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/${pid:-0}/status" 2>/dev/null)
	lim=$(( (${vmsize:-0} + 600 * 1024) * 1024 ))
	# as the server's OS user: lowering a limit of one's own process needs
	# no privilege (root in a container may lack CAP_SYS_RESOURCE)
	as_server=()
	[ "$(id -u)" = 0 ] && as_server=(runuser -u "${AIM_SERVER_USER:-aimarketing}" --)
	"${as_server[@]}" prlimit --pid "${pid:-0}" --as="$lim:$lim" 2>"$WORK/prlimit.err" && ok=0 || ok=1
	tap_is "$ok" 0 "$fn, out of memory: address space of backend ${pid:-?} limited to $((lim / 1048576)) MB"
	echo "SELECT 'RESULT value ' || ($stmt)::text;" >&9
	echo '\echo RESULT code :SQLSTATE' >&9
	echo "SELECT 'RESULT alive ' || (pg_backend_pid() = ${pid:-0}) || ' ' || count(*) FROM bk;" >&9
	exec 9>&-
	wait "$bg"
	tap_is "$(sed -n 's/^RESULT code //p' "$WORK/oom_$fn.out")" 53200 "$fn, out of memory: SQLSTATE 53200 out_of_memory"
	tap_ok "$fn, out of memory: no invalid-alloc error" no_alloc_error "oom_$fn"
	tap_is "$(sed -n 's/^RESULT alive //p' "$WORK/oom_$fn.out")" "true $(tap_sql 'SELECT count(*) FROM bk')" \
		"$fn, out of memory: the same backend answers the next query"
	[ "$TAP_FAILED" = 0 ] || tap_diag "$(cat "$WORK/oom_$fn.err" "$WORK/prlimit.err")"
done

# (b) millions of rules with work_mem = 4MB: the tuplestore spills
RULES="SELECT count(*) || ' ' || sum(pg_column_size(r.*))
         FROM apriori_rules('SELECT b, i FROM bk', 0.5, 0.0) r"
temp_bytes() { # the database's temp_bytes, once it differs from $1 (a
	# session's statistics reach pg_stat_database when it exits), or after 15 s
	local v
	for _ in $(seq 1 30); do
		sleep 0.5
		v=$(tap_sql "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()")
		[ "$v" != "$1" ] && break
	done
	echo "$v"
}
tb0=$(temp_bytes none)
run_measured rules_4mb "SET work_mem = '4MB'; SELECT 'RESULT hwm0 ' || aim_vmhwm_mb();" "$RULES"
tb1=$(temp_bytes "$tb0")
run_measured rules_2gb "SET work_mem = '2GB'; SELECT 'RESULT hwm0 ' || aim_vmhwm_mb();" "$RULES"
read -r nrules outbytes <<<"$(result rules_4mb value)"
out_mb=$(( ${outbytes:-0} / 1048576 ))
grow4=$(( $(result rules_4mb hwm) - $(result rules_4mb hwm0) ))
grow2g=$(( $(result rules_2gb hwm) - $(result rules_2gb hwm0) ))
temp_mb=$(( (${tb1:-0} - ${tb0:-0}) / 1048576 ))
tap_diag "apriori_rules: $nrules rules, $out_mb MB as tuples; work_mem 4MB: $(result rules_4mb secs)s, peak RSS +$grow4 MB, temporary files $temp_mb MB; work_mem 2GB: $(result rules_2gb secs)s, peak RSS +$grow2g MB"
tap_is "$(result rules_4mb code)" 00000 "apriori_rules with work_mem = 4MB: no error"
tap_ok "apriori_rules: millions of rules ($nrules)" test "${nrules:-0}" -ge 3000000
tap_ok "apriori_rules, work_mem = 4MB: peak RSS growth ($grow4 MB) below a quarter of the rules' size ($out_mb MB)" \
	test "$grow4" -lt $((out_mb / 4))
tap_ok "apriori_rules, work_mem = 4MB: the rules went to temporary files ($temp_mb MB)" \
	test "$temp_mb" -ge $((out_mb / 2))
tap_is "$(result rules_2gb value)" "$(result rules_4mb value)" "apriori_rules, work_mem = 2GB: the same rules"
tap_ok "control: with work_mem = 2GB the peak RSS grows by at least half the rules' size ($grow2g MB)" \
	test "$grow2g" -ge $((out_mb / 2))

# no crash, no invalid alloc in the server log during this script
if [ -n "$LOG" ] && [ -f "$LOG" ]; then
	tail -c +$((log_start + 1)) "$LOG" >"$WORK/server.log"
	tap_ok "server log: no backend terminated by a signal" \
		bash -c '! grep -E "terminated by signal|server process .* was terminated|PANIC" "$1"' _ "$WORK/server.log"
	tap_ok "server log: no invalid memory alloc request" \
		bash -c '! grep -i "invalid memory alloc request size" "$1"' _ "$WORK/server.log"
else
	tap_result 0 "server log: no backend terminated by a signal # SKIP no AIM_TMP/server.log"
	tap_result 0 "server log: no invalid memory alloc request # SKIP no AIM_TMP/server.log"
fi

tap_done
