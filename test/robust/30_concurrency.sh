#!/usr/bin/env bash
# test/robust/30_concurrency.sh: the functions under concurrent load, with
# parallel plans forced on, give the results of a serial run.
#
# pgbench, 8 clients on 2 threads for AIM_CONCURRENCY_SECS (default 20)
# seconds, runs three custom scripts at random:
#   rowfuncs.sql  cosine_sim, pearson_sim, kmeans_assign and churn_score of
#                 every row, compared row by row with a table computed
#                 serially before the run (bit-identical: IS DISTINCT FROM);
#   aggs.sql      kmeans, logistic_fit, logistic_summary, roc_auc, roi and
#                 roas (numeric), compared bit for bit (as text) with the
#                 serial results, which they are designed to reproduce under
#                 any parallel plan; kmeans_inertia, kmeans_silhouette and
#                 roi/roas (float8), compared with a relative tolerance of
#                 1e-12: they are plain float8 sums, which (like
#                 sum(float8)) group differently under each parallel plan;
#   basket.sql    apriori_rules and frequent_itemsets, the whole result
#                 compared with the serial one (EXCEPT ALL both ways).
# Every client runs with parallel_setup_cost = parallel_tuple_cost = 0,
# min_parallel_table_scan_size = 0 and max_parallel_workers_per_gather = 2
# (EXPLAIN checks once that the aggregate plans are parallel; with 8
# clients and max_parallel_workers = 4, some executions get workers and
# some run in the leader alone: both must match).  A mismatch raises an
# error in the transaction (aim_check), which aborts the pgbench client;
# the test then fails on pgbench's exit status, its "aborted" report and
# its failed-transaction count.
set -u
. "$AIM_ROOT/test/tap.sh"

SECS=${AIM_CONCURRENCY_SECS:-20}
tap_scratch concurrency
DB=$TAP_DB WORK=$TAP_WORK

tap_plan 12

# the aggregates, as one query: run serially for the reference, then by
# every pgbench client under parallel plans
AGGS_SQL="SELECT kmeans(f, 4, 1)::text AS km,
       logistic_fit(f, label)::text AS lf,
       logistic_summary(f, label)::text AS ls,
       roc_auc(score, label)::text AS auc,
       roi(rev, cost)::text AS roi_n,
       roas(rev, cost)::text AS roas_n,
       kmeans_inertia(f, (SELECT centroids FROM model)) AS inertia,
       kmeans_silhouette(f, (SELECT centroids FROM model)) AS silhouette,
       roi(rev::float8, cost::float8) AS roi_f,
       roas(rev::float8, cost::float8) AS roas_f
  FROM pts"

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $DB" >/dev/null
tap_ok "inputs and serial references computed" psql -X -q -v ON_ERROR_STOP=1 \
	-v aggs_sql="$AGGS_SQL" -d "$DB" <<'SQL'
CREATE EXTENSION aimarketing;
SET max_parallel_workers_per_gather = 0;
SELECT setseed(0.17);
CREATE TABLE pts AS
SELECT id,
       ARRAY[random(), random(), random() * 2, random() - 0.5, random(), random()] AS f,
       round((random() * 1000)::numeric, 2) AS rev,
       round((random() * 800)::numeric, 2) AS cost
  FROM generate_series(1, 20000) id;
ALTER TABLE pts ADD label boolean, ADD score float8;
UPDATE pts SET label = random() < 1 / (1 + exp(-(f[1] - f[2] + f[3] - 1))),
               score = round((f[1] - f[2] + random())::numeric, 2);
ALTER TABLE pts ADD PRIMARY KEY (id);
CREATE TABLE bk AS
SELECT b, 'item' || i AS item FROM generate_series(1, 600) b, generate_series(1, 14) i
 WHERE random() + 0 * b < 0.4 + i * 0.03;	-- b: a qual on i alone would be
							-- evaluated once per item
VACUUM ANALYZE pts;
ANALYZE bk;

-- raises when a result differs from the serial run (parallel safe, so it
-- does not keep the queries that use it from being parallel)
CREATE FUNCTION aim_check(ok boolean, what text) RETURNS boolean
LANGUAGE plpgsql PARALLEL SAFE AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'result differs from the serial run: %', what;
    END IF;
    RETURN true;
END $$;
CREATE FUNCTION near(a float8, b float8) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN a = b OR abs(a - b) <= 1e-12 * abs(b);

-- the serial references
CREATE TABLE model AS
SELECT kmeans(f, 4, 1) AS centroids, logistic_fit(f, label) AS coef FROM pts;
CREATE TABLE rowref AS
SELECT id,
       cosine_sim(f, '{0.5,0.1,1,0,0.3,0.9}') AS cos,
       pearson_sim(f, '{0.5,0.1,1,0,0.3,0.9}') AS pear,
       kmeans_assign(f, (SELECT centroids FROM model)) AS asg,
       churn_score(f, (SELECT coef FROM model)) AS churn
  FROM pts;
CREATE TABLE aggref AS :aggs_sql;
CREATE TABLE rules_ref AS
SELECT * FROM apriori_rules('SELECT b, item FROM bk', 0.15, 0.6);
CREATE TABLE itemsets_ref AS
SELECT * FROM frequent_itemsets('SELECT b, item FROM bk', 0.15);
SQL

nrules=$(tap_sql "SELECT count(*) FROM rules_ref")
nsets=$(tap_sql "SELECT count(*) FROM itemsets_ref")
tap_ok "the basket references are not trivial ($nrules rules, $nsets itemsets)" \
	test "${nrules:-0}" -ge 1000 -a "${nsets:-0}" -ge 1000

cat >"$WORK/rowfuncs.sql" <<'SQL'
SELECT aim_check(count(*) = 0, 'per-row functions (' || count(*) || ' rows differ)')
  FROM pts JOIN rowref r USING (id)
 WHERE cosine_sim(f, '{0.5,0.1,1,0,0.3,0.9}') IS DISTINCT FROM r.cos
    OR pearson_sim(f, '{0.5,0.1,1,0,0.3,0.9}') IS DISTINCT FROM r.pear
    OR kmeans_assign(f, (SELECT centroids FROM model)) IS DISTINCT FROM r.asg
    OR churn_score(f, (SELECT coef FROM model)) IS DISTINCT FROM r.churn;
SQL
cat >"$WORK/aggs.sql" <<SQL
WITH r AS ($AGGS_SQL)
SELECT aim_check(r.km = a.km, 'kmeans') AND aim_check(r.lf = a.lf, 'logistic_fit')
   AND aim_check(r.ls = a.ls, 'logistic_summary') AND aim_check(r.auc = a.auc, 'roc_auc')
   AND aim_check(r.roi_n = a.roi_n, 'roi numeric') AND aim_check(r.roas_n = a.roas_n, 'roas numeric')
   AND aim_check(near(r.inertia, a.inertia), 'kmeans_inertia')
   AND aim_check(near(r.silhouette, a.silhouette), 'kmeans_silhouette')
   AND aim_check(near(r.roi_f, a.roi_f), 'roi float8')
   AND aim_check(near(r.roas_f, a.roas_f), 'roas float8')
  FROM r, aggref a;
SQL
cat >"$WORK/basket.sql" <<'SQL'
SELECT aim_check(NOT EXISTS (SELECT * FROM apriori_rules('SELECT b, item FROM bk', 0.15, 0.6)
                             EXCEPT ALL SELECT * FROM rules_ref)
                 AND (SELECT count(*) FROM apriori_rules('SELECT b, item FROM bk', 0.15, 0.6))
                     = (SELECT count(*) FROM rules_ref), 'apriori_rules');
SELECT aim_check(NOT EXISTS (SELECT * FROM frequent_itemsets('SELECT b, item FROM bk', 0.15)
                             EXCEPT ALL SELECT * FROM itemsets_ref)
                 AND (SELECT count(*) FROM frequent_itemsets('SELECT b, item FROM bk', 0.15))
                     = (SELECT count(*) FROM itemsets_ref), 'frequent_itemsets');
SQL

export PGOPTIONS="-c parallel_setup_cost=0 -c parallel_tuple_cost=0 -c min_parallel_table_scan_size=0 -c max_parallel_workers_per_gather=2"

# the plans are parallel
plan=$(tap_sql "EXPLAIN (COSTS OFF) $AGGS_SQL")
before=$TAP_FAILED
tap_ok "the aggregates' plan is parallel (Gather over Partial Aggregate)" \
	bash -c 'grep -q "Finalize Aggregate" <<<"$1" && grep -q "Partial Aggregate" <<<"$1" && grep -q "Gather" <<<"$1"' _ "$plan"
[ "$TAP_FAILED" = "$before" ] || tap_diag "$plan"
plan=$(tap_sql "EXPLAIN (COSTS OFF) $(sed 's/;$//' "$WORK/rowfuncs.sql")")
tap_ok "the per-row functions' plan is parallel" grep -q "Gather" <<<"$plan"
# the aggregates under a parallel plan, once, outside pgbench: workers are
# free now, so this execution certainly uses them
out=$(psql -X -q -A -t -d "$DB" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $AGGS_SQL" 2>&1)
tap_ok "a parallel execution with workers launched" grep -q "Workers Launched: [12]" <<<"$out"
tap_ok "the transaction scripts pass once, in parallel mode, without pgbench" \
	psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$WORK/rowfuncs.sql" -f "$WORK/aggs.sql" -f "$WORK/basket.sql"

# the load
pgbench -n -c 8 -j 2 -T "$SECS" -f "$WORK/rowfuncs.sql" -f "$WORK/aggs.sql" \
	-f "$WORK/basket.sql" "$DB" >"$WORK/pgbench.out" 2>"$WORK/pgbench.err" && rc=0 || rc=$?
tap_is "$rc" 0 "pgbench exit status 0 (8 clients, ${SECS}s)"
tap_ok "no client aborted" bash -c '! grep -qi "abort" "$1" "$2"' _ "$WORK/pgbench.out" "$WORK/pgbench.err"
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/pgbench.out")
tap_is "${failed:-missing}" 0 "number of failed transactions: 0"
processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$WORK/pgbench.out")
for s in rowfuncs aggs basket; do
	n=$(grep -A3 "SQL script [0-9]*: .*$s.sql" "$WORK/pgbench.out" |
		sed -n 's/^ - \([0-9]*\) transactions.*/\1/p' | head -1)
	tap_ok "$s.sql ran at least 8 times (${n:-0} transactions)" test "${n:-0}" -ge 8
done
tap_diag "pgbench: ${processed:-?} transactions in ${SECS}s"
if [ "$TAP_FAILED" != 0 ]; then
	tap_diag "$(cat "$WORK/pgbench.out")" "$(head -50 "$WORK/pgbench.err")"
fi

tap_done
