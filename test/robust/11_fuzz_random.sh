#!/usr/bin/env bash
# test/robust/11_fuzz_random.sh: random-argument fuzzing of every function and
# aggregate of the extension (generator: test/robust/fuzz_random.py).
#
# Every function listed in pg_proc as a member of the extension is called
# with random arguments (empty, NULL, 2-D/3-D and mismatched arrays, NULL
# elements, NaN, +-Infinity, 1e308, subnormals, -0, out-of-range k, seed,
# max_iter, tolerance, l2, min_support, min_confidence, max_len; random row
# sets for the aggregates, zero rows and all-NULL rows included; random
# baskets_sql texts for frequent_itemsets/apriori_rules).  Each call must
# return or raise an SQLSTATE of the allow-list in fuzz_random.py, and a
# returned value must have the properties every input gives it (a
# similarity in [-1, 1], a score, AUC or silhouette in [0, 1], a finite
# model, consistent itemset and rule metrics).  The aggregates also run on
# a table under forced parallel plans, where the result must equal the
# serial plan's.  The backend and the server must survive, and the session
# must still be writable after the read-only basket queries.
#
# AIM_FUZZ_SEED (default 20240501), AIM_FUZZ_CALLS (default 20000) and
# AIM_FUZZ_SECONDS (default 60) override the seed and the bounds.
set -uo pipefail
. "$AIM_ROOT/test/tap.sh"

PY=/usr/bin/python3 # the system Python has psycopg2 (python3-psycopg2)
tap_scratch fuzz
DB=$TAP_DB WORK=$TAP_WORK

tap_plan 10

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" &&
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "CREATE EXTENSION aimarketing"
tap_is "$?" 0 "fresh database $DB with the extension"

start0=$(psql -X -A -t -d postgres -c "SELECT pg_postmaster_start_time()")
log0=$(stat -c %s "$AIM_TMP/server.log" 2>/dev/null || echo 0)

t0=$(date +%s.%N)
AIM_FUZZ_DB=$DB AIM_FUZZ_SUMMARY=$WORK/summary.json \
	"$PY" "$AIM_ROOT/test/robust/fuzz_random.py" >"$WORK/out" 2>&1
rc=$?
t1=$(date +%s.%N)
tap_is "$rc" 0 "the fuzzer ran to the end"
[ "$rc" = 0 ] || tap_diag "$(tail -n 30 "$WORK/out")"

# one field of the summary
field() {
	"$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))
v = s.get(sys.argv[2])
print(json.dumps(v) if isinstance(v, (dict, list)) else v)' "$WORK/summary.json" "$1" 2>/dev/null
}

tap_is "$(field crashed)" None "no call lost the connection"
c=$(field crashed)
[ "$c" = None ] || tap_diag "crashing call: $c"

nbad=$("$PY" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["bad"]))' \
	"$WORK/summary.json" 2>/dev/null || echo "?")
tap_is "$nbad" 0 "every call returned or raised an allowed SQLSTATE"
if [ "$nbad" != 0 ]; then
	"$PY" -c 'import json, sys
for b in json.load(open(sys.argv[1]))["bad"][:20]:
    print("# %s %s: %s\n#    %s" % (b["sqlstate"], b["function"], b["message"], b["sql"][:400]))' \
		"$WORK/summary.json"
fi

tap_is "$(field missing)" "[]" "every function of the extension has a generator (or is an aggregate's internal support function)"
tap_is "$(field uncalled)" "[]" "every function and aggregate was called"

calls=$(field calls)
want=$((${AIM_FUZZ_CALLS:-20000} < 2000 ? ${AIM_FUZZ_CALLS:-20000} : 2000))
tap_ok "at least $want calls made ($calls)" test "${calls:-0}" -ge "$want"

np=$(field parallel_partial_plans)
tap_ok "parallel partial aggregation (serialize/deserialize/combine) in $np of $(field parallel_queries) plans, $(field parallel_values) non-NULL results, each equal to the serial plan's" \
	test "${np:-0}" -ge 1 -a "$(field parallel_values)" -ge 1

tap_is "$(field alive)/$(field same_backend)/$(field writable)" "True/True/True" \
	"the fuzzing backend is still alive (same pid) and can write (no read-only state left behind)"

start1=$(psql -X -A -t -d postgres -c "SELECT pg_postmaster_start_time()")
crash=$(tail -c +"$((log0 + 1))" "$AIM_TMP/server.log" 2>/dev/null |
	grep -E "terminated by signal|server process .* was terminated|all server processes terminated|database system was interrupted" |
	head -5)
tap_is "$start1|$crash" "$start0|" "the server did not restart and logged no crash"

tap_diag "seed $(field seed): $calls calls, $(field ok) returned, errors by SQLSTATE $(field errors)"
tap_diag "$(field functions) functions in the extension, $(field targets) called directly (the others through their aggregates), each at least $(field min_calls_per_target) times"
tap_diag "fuzzer $(field seconds) s ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s with start-up); slowest call $(field slowest | cut -c1-160)"

tap_done
