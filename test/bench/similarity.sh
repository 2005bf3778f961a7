#!/usr/bin/env bash
# test/bench/similarity.sh: cosine_sim and pearson_sim against the same
# formulas in plain SQL (unnest + aggregates) and against a bare scan.
#
# Not a test: prints a plain-text report and, at the end, one
# machine-readable "BENCH name=... ours_ms=... alt_ms=... ratio=..." line per
# function (ratio = ours / plain SQL; below 1 means we are faster).
#
# Needs aimarketing installed into PostgreSQL 15 first (scripts/test.sh does
# it); AIM_BENCH_BUILD=1 builds and installs it before running.  Runs on its
# own throwaway cluster with shared_buffers = 2GB (the table is ~1.1 GB and is
# loaded into shared_buffers with pg_prewarm, so runs measure CPU, not I/O).
#
#   BENCH_ROWS=1000000    rows (pairs of vectors)
#   BENCH_DIM=64          elements per vector
#   BENCH_RUNS=5          timed runs of the fast queries (after one warm-up)
#   BENCH_PLAIN_RUNS=3    timed runs of the plain-SQL queries (after one warm-up)
#   BENCH_CHECK_ROWS=100000  rows compared one by one (function vs plain SQL)
#
# Takes about 3-4 minutes on 2 cores, mostly the plain-SQL runs.
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"

ROWS=${BENCH_ROWS:-$(bench_size 1000000 100000)}
DIM=${BENCH_DIM:-64}
RUNS=${BENCH_RUNS:-5}
PLAIN_RUNS=${BENCH_PLAIN_RUNS:-3}
CHECK_ROWS=${BENCH_CHECK_ROWS:-$(bench_size 100000 20000)}

export AIM_PG_CONF_EXTRA="shared_buffers = 2GB
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
${AIM_PG_CONF_EXTRA:-}"
bench_setup
bench_sql "CREATE DATABASE aimbench" >/dev/null
export PGDATABASE=aimbench
bench_sql "CREATE EXTENSION aimarketing" >/dev/null

bench_header "aimarketing benchmark: cosine_sim / pearson_sim vs plain SQL"

# ---------------------------------------------------------------- data
# Each row draws its own two vectors: the scalar subqueries reference the
# row's i, so they are re-run for every row (an uncorrelated subquery would
# be computed once and repeated).  Serial, so setseed makes it reproducible.
# Created and filled in one transaction: with wal_level = minimal that skips
# WAL.
echo "data: $ROWS rows, two float8[$DIM] columns a and b, random() in [0,1), setseed(0.42)"
t0=$(date +%s.%N)
bench_sql "SET max_parallel_workers_per_gather = 0;
BEGIN;
SELECT setseed(0.42);
CREATE TABLE t (id int NOT NULL, a float8[] NOT NULL, b float8[] NOT NULL);
INSERT INTO t
SELECT i,
       (SELECT array_agg(random()) FROM generate_series(1, $DIM) WHERE i > 0),
       (SELECT array_agg(random()) FROM generate_series(1, $DIM) WHERE i > 0)
  FROM generate_series(1, $ROWS) AS i;
COMMIT;" >/dev/null
t1=$(date +%s.%N)
bench_sql "VACUUM ANALYZE t" >/dev/null
t2=$(date +%s.%N)
printf '  generated in %.1f s, VACUUM ANALYZE in %.1f s\n' \
	"$(bench_calc '%f' "$t1 - $t0")" "$(bench_calc '%f' "$t2 - $t1")"
echo "  $(bench_sql "SELECT format('table t: %s rows, %s (heap %s pages, %s bytes/row on disk); arrays stored inline, uncompressed: %s',
	count(*), pg_size_pretty(pg_table_size('t')), pg_relation_size('t') / 8192,
	round(pg_table_size('t')::numeric / count(*)),
	CASE WHEN pg_relation_size(reltoastrelid) > 0 THEN 'no (TOAST used)' ELSE 'yes' END)
	FROM t, pg_class WHERE pg_class.oid = 't'::regclass GROUP BY reltoastrelid")"
# every row must get its own vectors (64-bit hashes: no false collisions)
echo "  $(bench_sql "SELECT format('distinct vectors: a %s, b %s of %s rows; rows with a = b: %s; element count %s..%s',
	count(DISTINCT hash_array_extended(a, 0)), count(DISTINCT hash_array_extended(b, 0)), count(*),
	count(*) FILTER (WHERE a = b),
	least(min(cardinality(a)), min(cardinality(b))), greatest(max(cardinality(a)), max(cardinality(b))))
	FROM t")"
echo "  $(bench_prewarm t)"
echo

# ---------------------------------------------------------------- timings
SERIAL="SET max_parallel_workers_per_gather = 0; SET jit = off;"
COSINE_SQL="SELECT sum(s) FROM t, LATERAL (SELECT sum(x * y) / (sqrt(sum(x * x)) * sqrt(sum(y * y))) AS s FROM unnest(a, b) AS u(x, y)) q"
PEARSON_SQL="SELECT sum(s) FROM t, LATERAL (SELECT corr(x, y) AS s FROM unnest(a, b) AS u(x, y)) q"

echo "timings: serial (max_parallel_workers_per_gather = 0), jit = off, table in shared_buffers;"
echo "median of $RUNS runs ($PLAIN_RUNS for plain SQL) after one warm-up run, psql \\timing (wall clock)"
echo

bench_run "$RUNS" "$SERIAL" "SELECT count(*) FROM t"
bench_report "count(*) (no array access)"
count_ms=$BENCH_MEDIAN

# The baseline for the functions' own cost: the same scan, reading both
# arrays' headers through the same fmgr/detoast path (no copy: the arrays
# are stored inline), plus one aggregate, but no per-element work.
bench_run "$RUNS" "$SERIAL" "SELECT sum(cardinality(a) + cardinality(b)) FROM t"
bench_report "bare: sum(cardinality(a)+cardinality(b))"
echo "  (bare scan = the same serial scan plus fetching both arrays through fmgr and the detoast"
echo "   path, as the functions do, and one sum(); no per-element work.  Own cost = function - bare.)"
bare_ms=$BENCH_MEDIAN

bench_run "$RUNS" "$SERIAL" "SELECT sum(cosine_sim(a, b)) FROM t"
bench_report "sum(cosine_sim(a, b))"
cos_ms=$BENCH_MEDIAN cos_res=$BENCH_RESULT cos_mem=$BENCH_MEM cos_hwm=$BENCH_HWM_MB cos_priv=$BENCH_PRIV_MB

bench_run "$RUNS" "$SERIAL" "SELECT sum(pearson_sim(a, b)) FROM t"
bench_report "sum(pearson_sim(a, b))"
pea_ms=$BENCH_MEDIAN pea_res=$BENCH_RESULT pea_hwm=$BENCH_HWM_MB pea_priv=$BENCH_PRIV_MB

bench_run "$PLAIN_RUNS" "$SERIAL" "$COSINE_SQL"
bench_report "plain SQL cosine (unnest + sum)"
pcos_ms=$BENCH_MEDIAN pcos_res=$BENCH_RESULT pcos_mem=$BENCH_MEM

bench_run "$PLAIN_RUNS" "$SERIAL" "$PEARSON_SQL"
bench_report "plain SQL pearson (unnest + corr)"
ppea_ms=$BENCH_MEDIAN ppea_res=$BENCH_RESULT
echo
echo "  plain SQL cosine:  $COSINE_SQL"
echo "  plain SQL pearson: $PEARSON_SQL"
echo

# ---------------------------------------------------------------- checks
relerr() { awk -v a="$1" -v b="$2" 'BEGIN {
	d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
	if (m == 0) print (d == 0 ? 0 : "inf"); else printf "%.3g\n", d / m }'; }
verdict() { awk -v e="$1" 'BEGIN {print (e != "inf" && e + 0 <= 1e-9) ? "OK (<= 1e-9)" : "MISMATCH (> 1e-9)"}'; }
cos_err=$(relerr "$cos_res" "$pcos_res")
pea_err=$(relerr "$pea_res" "$ppea_res")
echo "results: function vs plain SQL, sum over all $ROWS rows"
printf '  cosine:  %s vs %s  relative difference %s  %s\n' "$cos_res" "$pcos_res" "$cos_err" "$(verdict "$cos_err")"
printf '  pearson: %s vs %s  relative difference %s  %s\n' "$pea_res" "$ppea_res" "$pea_err" "$(verdict "$pea_err")"
echo "  row by row, first $CHECK_ROWS rows:"
bench_sql "SET max_parallel_workers_per_gather = 0; SET jit = off;
SELECT format('    %-8s %s rows, NULL mismatches %s, max |diff| %s, max relative diff %s (rows with |plain| >= 0.01)',
	f || ':', count(*), count(*) FILTER (WHERE (o IS NULL) <> (p IS NULL)),
	coalesce(max(abs(o - p))::text, '-'),
	coalesce((max(abs(o - p) / abs(p)) FILTER (WHERE abs(p) >= 0.01))::text, '-'))
FROM (SELECT 'cosine' AS f, cosine_sim(a, b) AS o,
             (SELECT sum(x * y) / (sqrt(sum(x * x)) * sqrt(sum(y * y))) FROM unnest(a, b) AS u(x, y)) AS p
        FROM t WHERE id <= $CHECK_ROWS
      UNION ALL
      SELECT 'pearson', pearson_sim(a, b), (SELECT corr(x, y) FROM unnest(a, b) AS u(x, y))
        FROM t WHERE id <= $CHECK_ROWS) s
GROUP BY f ORDER BY f"
echo

# ---------------------------------------------------------------- summary
own_ns() { bench_calc '%.0f' "($1 - $bare_ms) * 1e6 / $ROWS"; }
elem_ns() { bench_calc '%.2f' "($1 - $bare_ms) * 1e6 / $ROWS / $DIM"; }
echo "summary ($ROWS pairs of float8[$DIM]):"
printf '  %-12s %10s %12s %10s %10s %14s %12s\n' function ours_ms plain_sql_ms ours/plain speed-up "own ns/call" "ns/element"
for f in cosine pearson; do
	if [ $f = cosine ]; then o=$cos_ms p=$pcos_ms; else o=$pea_ms p=$ppea_ms; fi
	printf '  %-12s %10.1f %12.1f %10.4f %9.1fx %14s %12s\n' "${f}_sim" "$o" "$p" \
		"$(bench_calc '%.6f' "$o / $p")" "$(bench_calc '%.3f' "$p / $o")" "$(own_ns "$o")" "$(elem_ns "$o")"
done
printf '  bare scan %.1f ms (count(*) %.1f ms); own cost = (function query - bare scan) / rows\n' "$bare_ms" "$count_ms"
echo "  issue goal: at least 30x faster than plain SQL"
echo "  memory: cosine_sim query $cos_mem; plain SQL cosine $pcos_mem"

bench_line "name=cosine_sim rows=$ROWS dim=$DIM ours_ms=$cos_ms alt_ms=$pcos_ms" \
	"ratio=$(bench_calc '%.5f' "$cos_ms / $pcos_ms")" "speedup=$(bench_calc '%.2f' "$pcos_ms / $cos_ms")" \
	"bare_ms=$bare_ms own_ns_per_call=$(own_ns "$cos_ms") rel_diff=$cos_err"
bench_line "name=pearson_sim rows=$ROWS dim=$DIM ours_ms=$pea_ms alt_ms=$ppea_ms" \
	"ratio=$(bench_calc '%.5f' "$pea_ms / $ppea_ms")" "speedup=$(bench_calc '%.2f' "$ppea_ms / $pea_ms")" \
	"bare_ms=$bare_ms own_ns_per_call=$(own_ns "$pea_ms") rel_diff=$pea_err"
bench_result similarity cosine_sim "$ROWS pairs x $DIM" "$cos_ms" "plain SQL (unnest + sum)" "$pcos_ms" "$cos_hwm" "$cos_priv"
bench_result similarity pearson_sim "$ROWS pairs x $DIM" "$pea_ms" "plain SQL (unnest + corr)" "$ppea_ms" "$pea_hwm" "$pea_priv"
bench_print_lines
