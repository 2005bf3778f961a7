#!/usr/bin/env bash
# test/robust/10_sqlsmith.sh: a bounded sqlsmith run against a database with
# the extension and small order tables (float8[] feature columns, numeric
# money columns, booleans, NULLs), so that sqlsmith's random queries reach
# our functions and aggregates.
#
# sqlsmith runs as an ordinary (non-superuser) role, so its random calls of
# catalog functions cannot signal other backends or write server files.  It
# is bounded by a query count (AIM_SQLSMITH_QUERIES, default 6000) and a
# time limit (AIM_SQLSMITH_SECONDS, default 60); AIM_SQLSMITH_SEED (default
# 1) seeds it.  It passes only if the server never restarted (same
# pg_postmaster_start_time(), no crash in the server log), no internal error
# (SQLSTATE class XX or 58) was raised from our C sources, and our
# functions were actually called.
set -uo pipefail
. "$AIM_ROOT/test/tap.sh"

PY=/usr/bin/python3
ROLE=aim_smith_$$
SEED=${AIM_SQLSMITH_SEED:-1}
MAXQ=${AIM_SQLSMITH_QUERIES:-6000}
SECS=${AIM_SQLSMITH_SECONDS:-60}
tap_scratch sqlsmith "DROP ROLE IF EXISTS $ROLE"
DB=$TAP_DB WORK=$TAP_WORK

tap_plan 7

if ! command -v sqlsmith >/dev/null; then
	echo "Bail out! sqlsmith is not installed (Debian package sqlsmith)"
	exit 1
fi

# the database, owned by the unprivileged role; the extension is created by
# the superuser.  Every statement of the role is logged with its SQLSTATE and
# source location when it fails, and function calls are counted.
psql -X -q -v ON_ERROR_STOP=1 -d postgres <<SQL &&
CREATE ROLE $ROLE LOGIN;
CREATE DATABASE $DB OWNER $ROLE;
ALTER DATABASE $DB SET track_functions = 'all';
ALTER DATABASE $DB SET log_error_verbosity = 'verbose';
SQL
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "CREATE EXTENSION aimarketing" &&
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -U "$ROLE" <<'SQL'
-- small order tables with NULLs, empty arrays and special values, in the
-- shapes our functions take (float8[] features, numeric money, booleans)
DO $$BEGIN PERFORM setseed(0.42); END$$;
CREATE TABLE customers (
	customer_id int PRIMARY KEY,
	segment text,
	features float8[],
	churned boolean,
	score float8,
	spend numeric(12, 2)
);
INSERT INTO customers
SELECT g, (ARRAY['gold', 'silver', 'bronze', NULL])[1 + g % 4],
	CASE WHEN g % 17 = 0 THEN NULL
		WHEN g % 29 = 0 THEN '{}'::float8[]
		WHEN g % 31 = 0 THEN ARRAY['NaN', 1, 2]::float8[]
		WHEN g % 37 = 0 THEN ARRAY[1e300, -1e300, 5e-324]::float8[]
		ELSE ARRAY[round(random() * 100), random() * 10, g % 5]::float8[] END,
	CASE WHEN g % 13 = 0 THEN NULL ELSE random() > 0.6 END,
	CASE WHEN g % 11 = 0 THEN NULL ELSE random() END,
	CASE WHEN g % 19 = 0 THEN NULL ELSE round((random() * 1000)::numeric, 2) END
FROM generate_series(1, 300) g;

CREATE TABLE orders (
	order_id int PRIMARY KEY,
	customer_id int REFERENCES customers,
	ordered_at date,
	revenue numeric(12, 2),
	cost numeric(12, 2),
	revenue_f float8,
	cost_f float8
);
INSERT INTO orders
SELECT g, 1 + (g * 7) % 300, date '2023-01-01' + g % 365,
	CASE WHEN g % 23 = 0 THEN NULL ELSE round((random() * 500)::numeric, 2) END,
	CASE WHEN g % 31 = 0 THEN NULL WHEN g % 41 = 0 THEN 0
		ELSE round((random() * 200)::numeric, 2) END,
	CASE WHEN g % 23 = 0 THEN NULL ELSE random() * 500 END,
	CASE WHEN g % 37 = 0 THEN NULL WHEN g % 41 = 0 THEN 0 ELSE random() * 200 END
FROM generate_series(1, 600) g;

CREATE TABLE order_lines (
	order_id int REFERENCES orders,
	line_no int,
	item text,
	qty int,
	price numeric(10, 2),
	embedding float8[],
	PRIMARY KEY (order_id, line_no)
);
INSERT INTO order_lines
SELECT o, l, CASE WHEN (o + l) % 43 = 0 THEN NULL ELSE 'item' || ((o * l + o) % 25) END,
	1 + (o + l) % 4, round((random() * 50)::numeric, 2),
	CASE WHEN (o * l) % 19 = 0 THEN NULL ELSE ARRAY[random(), random()] END
FROM generate_series(1, 600) o, generate_series(1, 1 + o % 4) l;

-- a model, as a segment table would hold it
CREATE TABLE segment_models (model_id int PRIMARY KEY, centroids float8[], coefficients float8[]);
INSERT INTO segment_models VALUES
	(1, '{{10,1,0},{50,5,2},{90,9,4}}', '{-1,0.01,0.1,0.2}'),
	(2, '{{0,0,0}}', '{0,0,0,0}'),
	(3, NULL, NULL);
-- per-customer feature vectors without NULLs, so that sqlsmith's column
-- references give our strict functions values to work on
CREATE TABLE customer_features (
	customer_id int PRIMARY KEY REFERENCES customers,
	rfm float8[],
	basket float8[],
	centroids float8[],
	coefficients float8[],
	churned boolean,
	score float8
);
INSERT INTO customer_features
SELECT g, ARRAY[g % 90, g % 7, (g * 37) % 1000 / 10.0]::float8[],
	ARRAY[random(), random()],
	'{{10,1,0},{50,5,2},{90,9,4}}'::float8[],
	ARRAY[-1, 0.01, 0.1, 0.2]::float8[],
	g % 3 = 0, random()
FROM generate_series(1, 300) g;
ANALYZE customers, orders, order_lines, segment_models, customer_features;
SQL
tap_is "$?" 0 "fresh database $DB with the extension and order tables"

start0=$(psql -X -A -t -d postgres -c "SELECT pg_postmaster_start_time()")
log0=$(stat -c %s "$AIM_TMP/server.log" 2>/dev/null || echo 0)

# sqlsmith connects through the socket directory; it sets its own
# statement_timeout (1 s) and reconnects when a connection breaks, so its
# exit status says little: 0 after --max-queries, 124 when the time limit
# stopped it first, anything else is a failure to run at all.
t0=$(date +%s)
(cd "$WORK" && timeout -k 10 "$SECS" sqlsmith \
	--target="host=$PGHOST port=$PGPORT dbname=$DB user=$ROLE" \
	--seed="$SEED" --max-queries="$MAXQ" --exclude-catalog \
	--dump-all-queries --verbose >"$WORK/queries.sql" 2>"$WORK/sqlsmith.err")
rc=$?
t1=$(date +%s)
case $rc in
0 | 124) tap_result 0 "sqlsmith ran (exit $rc, $((t1 - t0)) s)" ;;
*)
	tap_result 1 "sqlsmith ran (exit $rc)"
	tap_diag "$(tail -n 20 "$WORK/sqlsmith.err")"
	;;
esac

# queries generated (--dump-all-queries ends each one with ";" at the end
# of a line)
nq=$(grep -c ';$' "$WORK/queries.sql" || true)
tap_ok "sqlsmith sent queries ($nq)" test "${nq:-0}" -ge 100

tap_is "$(psql -X -A -t -d "$DB" -c 'SELECT 1' 2>&1)" 1 "the server answers after the run"

start1=$(psql -X -A -t -d postgres -c "SELECT pg_postmaster_start_time()")
tail -c +"$((log0 + 1))" "$AIM_TMP/server.log" >"$WORK/server.log"
crash=$(grep -E "terminated by signal|server process .* was terminated|all server processes terminated|database system was interrupted" \
	"$WORK/server.log" | head -5)
tap_is "$start1|$crash" "$start0|" "the server did not restart and logged no crash"
[ -z "$crash" ] || tap_diag "$crash"

# internal errors raised from our sources (log_error_verbosity = verbose
# gives "ERROR:  XX000: message" then "LOCATION:  function, file.c:line"),
# and "invalid memory alloc request size" from any source in a statement
# that calls one of our functions.  None is allowed: support functions
# called directly with a malformed state raise 22023 (AimInvalidState()).
"$PY" - "$WORK/server.log" "$AIM_ROOT/src" >"$WORK/internal" 2>&1 <<'PY'
import os, re, sys
from collections import Counter
ours = {f for f in os.listdir(sys.argv[2]) if f.endswith(".c")}
names = ("cosine_sim|pearson_sim|kmeans\\w*|frequent_itemsets|apriori_rules|"
         "roi\\w*|roas\\w*|logistic_\\w+|churn_score|roc_auc\\w*|"
         "item_neighbors|recommend_items|hit_at_k|precision_at_k|recall_at_k|"
         "ndcg_at_k|average_precision\\w*|silhouette_\\w+|linear_\\w+|ets_\\w+|"
         "roc_curve\\w*|precision_recall_\\w+|gains_\\w+")
entries, cur = [], None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^\S+ \S+ \S+ \[\d+\] (\w+):  (.*)", line)
    if m:
        if m.group(1) in ("ERROR", "FATAL", "PANIC"):
            cur = {"level": m.group(1), "msg": m.group(2), "loc": "", "stmt": ""}
            entries.append(cur)
        elif cur is not None and m.group(1) == "LOCATION":
            cur["loc"] = m.group(2)
        elif cur is not None and m.group(1) == "STATEMENT":
            cur["stmt"] = m.group(2)
        elif cur is not None and m.group(1) in ("DETAIL", "HINT", "CONTEXT", "QUERY"):
            pass
        else:
            cur = None
    elif cur is not None and cur["stmt"]:
        cur["stmt"] += " " + line.strip()
ours_raised = Counter()
for e in entries:
    m = re.match(r"([0-9A-Z]{5}): (.*)", e["msg"])
    code, msg = (m.group(1), m.group(2)) if m else ("?????", e["msg"])
    src = e["loc"].rsplit(", ", 1)[-1].split(":")[0]
    bad = False
    if src in ours:
        ours_raised[e["loc"].split(",")[0]] += 1
    if (code.startswith(("XX", "58")) or e["level"] == "PANIC") and src in ours:
        bad = True
    if "invalid memory alloc request size" in msg and re.search(r"\b(%s)\(" % names, e["stmt"]):
        bad = True
    if bad:
        print("%s %s (%s)\n    %s" % (e["level"], e["msg"], e["loc"], e["stmt"][:400]))
print("OURS %d %s" % (sum(ours_raised.values()),
                      ", ".join("%s %d" % kv for kv in ours_raised.most_common())))
PY
internal=$(grep -v '^OURS ' "$WORK/internal")
ours=$(sed -n 's/^OURS //p' "$WORK/internal")
tap_is "$internal" "" "no internal error (XX/58) raised from our C sources"

# did sqlsmith reach our objects?  Queries that mention them, and calls of
# our functions counted by track_functions (aggregates' transition functions
# are not counted there, only direct calls)
mentions=$(grep -oE "\b(cosine_sim|pearson_sim|kmeans[a-z_]*|frequent_itemsets|apriori_rules|roi[a-z0-9_]*|roas[a-z0-9_]*|logistic_[a-z_]+|churn_score|roc_auc[a-z_]*|item_neighbors|recommend_items|hit_at_k|precision_at_k|recall_at_k|ndcg_at_k|average_precision[a-z_]*|silhouette_[a-z_]+|linear_[a-z_]+|ets_[a-z_]+|roc_curve[a-z_]*|precision_recall_[a-z_]+|gains_[a-z_]+)\(" \
	"$WORK/queries.sql" | sort | uniq -c | sort -rn)
nmention=$(echo "$mentions" | awk '{s += $1} END {print s + 0}')
ndistinct=$(echo "$mentions" | grep -c . || true)
calls=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	calls=$(psql -X -A -t -d "$DB" -c "
		SELECT coalesce(sum(s.calls), 0) || ' ' || count(*) || ' '
			|| coalesce(string_agg(s.funcname || ' ' || s.calls, ', '), '')
		FROM pg_stat_user_functions s
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = s.funcid
			AND d.deptype = 'e'
		JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'aimarketing'
		WHERE s.calls > 0")
	read -r ncalls nfuncs funcs <<<"$calls"
	[ "${ncalls:-0}" -gt 0 ] 2>/dev/null && break
	sleep 0.5 # the statistics of sqlsmith's backend arrive when it exits
done
# executed: calls counted by track_functions, plus errors our C code raised
# (an aggregate's transition function is not counted by track_functions)
executed=$((${ncalls:-0} + ${ours%% *}))
tap_ok "sqlsmith exercised our objects: $nmention calls of $ndistinct of them in its queries; executed: ${ncalls} counted calls of ${nfuncs} functions (pg_stat_user_functions) + ${ours%% *} errors raised by our code" \
	test "$nmention" -gt 0 -a "$executed" -gt 0

tap_diag "seed $SEED, $nq queries in $((t1 - t0)) s, $(grep -c '^[^ ]* [^ ]* [^ ]* \[[0-9]*\] ERROR: ' "$WORK/server.log" || true) of them failed (server log)"
tap_diag "executed calls: ${funcs:-none}; errors raised by our code: ${ours#* }"
tap_diag "our objects in the queries: $(echo "$mentions" | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1}')"

tap_done
