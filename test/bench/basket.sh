#!/usr/bin/env bash
# test/bench/basket.sh: frequent_itemsets() and apriori_rules() on the FIMI
# retail data (88,162 supermarket baskets, test/data/retail.dat.gz), in both
# input forms, against the peers' figures and against a level-wise Apriori
# written in plain SQL.
#
# Not a test: prints a plain-text report and, at the end, machine-readable
# "BENCH name=... ours_ms=... alt_ms=... ratio=..." lines (ratio = ours /
# alternative; below 1 means we are faster; speedup = alternative / ours).
#
#   - retail.dat loaded as a (basket_id int, item int) table (908,576 rows)
#     and as one int[] row per basket (also one text[] row per basket at two
#     supports); each timed query is SELECT count(*) FROM <function>(...),
#     so the scan of the basket query, the hashing of ids and items, the
#     mining and the tuple output are all included
#   - min_support 0.01, 0.005, 0.002, 0.001; rules at min_confidence 0.2
#   - the cost of the twelve rule metrics: 187,196 rules (min_support
#     0.0003, min_confidence 0) through apriori_rules (14 columns) and a
#     nine-column definition of the same C function, and a metric filter
#   - median of BENCH_RUNS runs after one warm-up, psql \timing (wall
#     clock), tables in shared_buffers; peak backend memory (bench_lib.sh)
#   - peers: mlxtend cannot be installed here (no PyPI access), so its
#     figures, and those of Christian Borgelt's fpgrowth (C), are the ones
#     measured on this project's machine kind and recorded in
#     ../shared/oracles/README.md (copied below); they are not re-measured.
#     The goals (issue 4): at least 50x faster than mlxtend, and within 2x
#     of Borgelt's times with the array input form.
#   - frequent_itemsets(..., kind): counts and times of all, closed and
#     maximal itemsets on retail.dat (0.005 to 0.0005) and the dense FIMI
#     mushroom (0.2, 0.1), with the backend CPU time of each
#   - plain SQL: a level-wise Apriori (plpgsql driving k-way self-joins of
#     the order lines, restricted to frequent items, each level joined to
#     the frequent (k-1)-prefixes) at min_support 0.01, BENCH_PLAIN_RUNS
#     runs, checked to find the same itemsets
#
# Needs aimarketing installed into PostgreSQL 15 first (scripts/test.sh does
# it); AIM_BENCH_BUILD=1 builds and installs it before running.  Runs on its
# own throwaway cluster.
#
#   BENCH_RUNS=5          timed runs per query (after one warm-up)
#   BENCH_PLAIN_RUNS=3    timed runs of the plain-SQL Apriori (after one warm-up)
#   AIM_BENCH_PGBIN=dir   use the PostgreSQL 15 binaries in dir instead of the
#                         system's (a relocated copy, for development)
#
# Takes about 2 minutes on 2 cores, mostly the plain-SQL runs.
set -euo pipefail
. "$(dirname "$0")/bench_lib.sh"

RUNS=${BENCH_RUNS:-5}
PLAIN_RUNS=${BENCH_PLAIN_RUNS:-3}
if [ -n "${AIM_BENCH_PGBIN:-}" ]; then
	AIM_PGBIN=$AIM_BENCH_PGBIN
	AIM_PG_CONFIG=$AIM_PGBIN/pg_config
fi
DATA=$AIM_ROOT/test/data/retail.dat.gz
[ -f "$DATA" ] || bench_die "missing $DATA"

export AIM_PG_CONF_EXTRA="shared_buffers = 1GB
wal_level = minimal
max_wal_senders = 0
${AIM_PG_CONF_EXTRA:-}"
bench_setup
export PGOPTIONS="-c client_min_messages=warning"
bench_sql "CREATE DATABASE aimbench" >/dev/null
export PGDATABASE=aimbench
bench_sql "CREATE EXTENSION aimarketing" >/dev/null

bench_header "aimarketing benchmark: frequent_itemsets / apriori_rules on FIMI retail.dat"

# ---------------------------------------------------------------- data
echo "data: $DATA (FIMI retail, T. Brijs; see test/data/README.md)"
t0=$(date +%s.%N)
bench_sql "CREATE TEMP TABLE retail_lines (line text)" \
	"\\copy retail_lines FROM PROGRAM 'gzip -dc $DATA'" \
	"CREATE TABLE retail_arrays AS
	 SELECT row_number() OVER ()::int AS basket_id, string_to_array(rtrim(line), ' ')::int[] AS items
	   FROM retail_lines" \
	"CREATE TABLE retail_pairs AS SELECT basket_id, unnest(items) AS item FROM retail_arrays" \
	"CREATE TABLE retail_text AS SELECT basket_id, items::text[] AS items FROM retail_arrays" >/dev/null
bench_sql "VACUUM ANALYZE retail_arrays" "VACUUM ANALYZE retail_pairs" "VACUUM ANALYZE retail_text" >/dev/null
t1=$(date +%s.%N)
printf '  loaded in %.1f s\n' "$(bench_calc '%f' "$t1 - $t0")"
echo "  $(bench_sql "SELECT format('retail_arrays: %s baskets (int[]), %s; retail_pairs: %s (basket_id, item) rows, %s; retail_text: %s; %s distinct items',
	(SELECT count(*) FROM retail_arrays), pg_size_pretty(pg_table_size('retail_arrays')),
	(SELECT count(*) FROM retail_pairs), pg_size_pretty(pg_table_size('retail_pairs')),
	pg_size_pretty(pg_table_size('retail_text')),
	(SELECT count(DISTINCT item) FROM retail_pairs))")"
for t in retail_arrays retail_pairs retail_text; do
	echo "  $(bench_prewarm $t)"
done
echo

SET="SET jit = off;"
Q_ARR="SELECT items FROM retail_arrays"
Q_PAIRS="SELECT basket_id, item FROM retail_pairs"
Q_TEXT="SELECT items FROM retail_text"

# peers (../shared/oracles/README.md): mlxtend fpgrowth, mlxtend
# association_rules, Borgelt fpgrowth (whole process); '-' = not measured
declare -A MLX_FP=([0.01]=1370 [0.005]=1730 [0.002]=2970 [0.001]=-)
declare -A MLX_AR=([0.01]=3 [0.005]=140 [0.002]=- [0.001]=-)
declare -A BORGELT=([0.01]=60 [0.005]=60 [0.002]=100 [0.001]=140)
# reference counts: itemsets from mlxtend (shared/oracles/README.md),
# rules from mlxtend at 0.01 and 0.005
declare -A EXP_IS=([0.01]=159 [0.005]=580 [0.002]=2691 [0.001]=7589)
declare -A EXP_R=([0.01]=179 [0.005]=630 [0.002]=- [0.001]=-)

echo "timings: median of $RUNS runs after one warm-up run, psql \\timing (wall clock), jit = off"
echo
echo "scan alone (what reading the baskets costs any in-database method):"
bench_run "$RUNS" "$SET" "SELECT count(*) FROM retail_arrays"
bench_report "count(*) FROM retail_arrays"
scan_arr_ms=$BENCH_MEDIAN
bench_run "$RUNS" "$SET" "SELECT count(*) FROM retail_pairs"
bench_report "count(*) FROM retail_pairs"
scan_pairs_ms=$BENCH_MEDIAN
echo

mem_mb() { sed -n 's/.*private peak ~\([0-9]*\) MB.*/\1/p' <<<"$1"; }
speedup() { if [ "$1" = - ]; then echo -; else bench_calc '%.1f' "$1 / $2"; fi; }
ratio() { if [ "$1" = - ]; then echo -; else bench_calc '%.2f' "$2 / $1"; fi; }

declare -A FI_A FI_P AR_A AR_P NIS NR MEM_FI MEM_AR SAME HWM_FI HWM_AR
SUPPORTS=(0.01 0.005 0.002 0.001)
for s in "${SUPPORTS[@]}"; do
	echo "min_support $s:"
	bench_run "$RUNS" "$SET" "SELECT count(*) FROM frequent_itemsets('$Q_ARR', $s)"
	bench_report "frequent_itemsets, int[] per basket"
	FI_A[$s]=$BENCH_MEDIAN NIS[$s]=$BENCH_RESULT MEM_FI[$s]=$(mem_mb "$BENCH_MEM") HWM_FI[$s]=$BENCH_HWM_MB
	bench_run "$RUNS" "$SET" "SELECT count(*) FROM frequent_itemsets('$Q_PAIRS', $s)"
	bench_report "frequent_itemsets, (basket_id, item) rows"
	FI_P[$s]=$BENCH_MEDIAN
	[ "$BENCH_RESULT" = "${NIS[$s]}" ] || echo "  WARNING: the two forms found different numbers of itemsets"
	bench_run "$RUNS" "$SET" "SELECT count(*) FROM apriori_rules('$Q_ARR', $s, 0.2)"
	bench_report "apriori_rules, int[] per basket"
	AR_A[$s]=$BENCH_MEDIAN NR[$s]=$BENCH_RESULT MEM_AR[$s]=$(mem_mb "$BENCH_MEM") HWM_AR[$s]=$BENCH_HWM_MB
	bench_run "$RUNS" "$SET" "SELECT count(*) FROM apriori_rules('$Q_PAIRS', $s, 0.2)"
	bench_report "apriori_rules, (basket_id, item) rows"
	AR_P[$s]=$BENCH_MEDIAN
	[ "$BENCH_RESULT" = "${NR[$s]}" ] || echo "  WARNING: the two forms found different numbers of rules"
	if [ "$s" = 0.01 ] || [ "$s" = 0.001 ]; then
		bench_run "$RUNS" "$SET" "SELECT count(*) FROM frequent_itemsets('$Q_TEXT', $s)"
		bench_report "frequent_itemsets, text[] per basket"
	fi
	# the forms agree row for row (not timed)
	SAME[$s]=$(bench_sql "SELECT CASE WHEN
		(SELECT count(*) FROM (SELECT * FROM frequent_itemsets('$Q_ARR', $s)
		                       EXCEPT ALL SELECT * FROM frequent_itemsets('$Q_PAIRS', $s)) d) = 0 AND
		(SELECT count(*) FROM (SELECT * FROM frequent_itemsets('$Q_PAIRS', $s)
		                       EXCEPT ALL SELECT * FROM frequent_itemsets('$Q_ARR', $s)) d) = 0 AND
		(SELECT count(*) FROM (SELECT * FROM apriori_rules('$Q_ARR', $s, 0.2)
		                       EXCEPT ALL SELECT * FROM apriori_rules('$Q_PAIRS', $s, 0.2)) d) = 0 AND
		(SELECT count(*) FROM (SELECT * FROM apriori_rules('$Q_PAIRS', $s, 0.2)
		                       EXCEPT ALL SELECT * FROM apriori_rules('$Q_ARR', $s, 0.2)) d) = 0
		THEN 'identical' ELSE 'DIFFERENT' END")
	exp_is=${EXP_IS[$s]} exp_r=${EXP_R[$s]}
	echo "  itemsets ${NIS[$s]} (mlxtend: $exp_is), rules ${NR[$s]} (mlxtend: $exp_r); the two forms' rows: ${SAME[$s]}"
	{ [ "${NIS[$s]}" = "$exp_is" ] && { [ "$exp_r" = - ] || [ "${NR[$s]}" = "$exp_r" ]; }; } ||
		echo "  WARNING: counts differ from mlxtend's"
	echo
done

# ---------------------------------------------------------------- kinds
# frequent_itemsets(..., kind): all, closed and maximal itemsets of the same
# baskets.  Besides the wall-clock medians, the backend's CPU time per run
# (/proc/<pid>/schedstat, less noisy on a shared machine), median of the
# same runs.  retail.dat is sparse (almost every frequent itemset is
# closed); FIMI mushroom (8,124 baskets, test/data/mushroom.dat.gz) is
# dense, where the closed and maximal itemsets are a small part of all.

# cpu_run RUNS QUERY: CPU_MEDIAN, the median backend CPU ms of RUNS runs
# after one warm-up (each run in the same session)
cpu_run() {
	local runs=$1 query=$2 i out
	out=$({
		printf '%s\n' "$SET" 'SELECT pg_backend_pid() AS bench_pid \gset' '\setenv BENCH_PID :bench_pid'
		printf '%s;\n' "$query"
		for ((i = 0; i < runs; i++)); do
			printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
			printf '%s;\n' "$query"
			printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
		done
	} | "${BENCH_PSQL[@]}" 2>&1) || bench_die "query failed: $query"
	CPU_MEDIAN=$(printf '%s\n' "$out" | awk '$1 == "CPU" {if (n++ % 2) print ($2 - t) / 1e6; else t = $2}' | bench_median)
}

echo "frequent_itemsets(..., kind): all, closed, maximal (int[] baskets):"
bench_sql "CREATE TEMP TABLE mushroom_lines (line text)" \
	"\\copy mushroom_lines FROM PROGRAM 'gzip -dc $AIM_ROOT/test/data/mushroom.dat.gz'" \
	"CREATE TABLE mushroom_arrays AS
	 SELECT string_to_array(rtrim(line), ' ')::int[] AS items FROM mushroom_lines" \
	"VACUUM ANALYZE mushroom_arrays" >/dev/null
Q_MUSH="SELECT items FROM mushroom_arrays"
declare -A K_N K_MS K_CPU
# the closed and maximal itemsets of mlxtend's frequent itemsets, filtered
# in Python (test/ref/itemsets_closed_ref.py, test/data/itemsets_closed_retail.csv)
declare -A EXP_K=([retail:0.01:closed]=159 [retail:0.01:maximal]=78
                  [retail:0.005:closed]=580 [retail:0.005:maximal]=284)
KCASES=("retail 0.005" "retail 0.002" "retail 0.001" "retail 0.0005" "mushroom 0.2" "mushroom 0.1")
for c in "${KCASES[@]}"; do
	read -r data s <<<"$c"
	q=$Q_ARR
	[ "$data" = mushroom ] && q=$Q_MUSH
	echo "$data, min_support $s:"
	for kind in all closed maximal; do
		bench_run "$RUNS" "$SET" "SELECT count(*) FROM frequent_itemsets('$q', $s, NULL, '$kind')"
		bench_report "$kind"
		cpu_run "$RUNS" "SELECT count(*) FROM frequent_itemsets('$q', $s, NULL, '$kind')"
		printf '  %-40s backend CPU median %.1f ms\n' "" "$CPU_MEDIAN"
		K_N[$c:$kind]=$BENCH_RESULT K_MS[$c:$kind]=$BENCH_MEDIAN K_CPU[$c:$kind]=$CPU_MEDIAN
		exp=${EXP_K[$data:$s:$kind]:-}
		if [ -n "$exp" ] && [ "$exp" != "$BENCH_RESULT" ]; then
			echo "  WARNING: $BENCH_RESULT $kind itemsets, mlxtend's filtered: $exp"
		fi
	done
	echo
done
echo "summary of kinds (counts; wall-clock and backend CPU medians, ms):"
printf '  %-16s %9s %9s %9s | %9s %9s %9s | %9s %9s %9s\n' case all closed maximal \
	"all ms" "closed ms" "max ms" "all cpu" "closed cpu" "max cpu"
for c in "${KCASES[@]}"; do
	printf '  %-16s %9s %9s %9s | %9.1f %9.1f %9.1f | %9.1f %9.1f %9.1f\n' "$c" \
		"${K_N[$c:all]}" "${K_N[$c:closed]}" "${K_N[$c:maximal]}" \
		"${K_MS[$c:all]}" "${K_MS[$c:closed]}" "${K_MS[$c:maximal]}" \
		"${K_CPU[$c:all]}" "${K_CPU[$c:closed]}" "${K_CPU[$c:maximal]}"
	for kind in closed maximal; do
		bench_result basket "frequent_itemsets $kind int[], ${c% *} support ${c#* }" \
			"${K_N[$c:$kind]} of ${K_N[$c:all]} itemsets" "${K_MS[$c:$kind]}" \
			"frequent_itemsets all (before any filtering)" "${K_MS[$c:all]}" - -
		bench_line "name=frequent_itemsets_$kind data=${c% *} min_support=${c#* } itemsets=${K_N[$c:$kind]}" \
			"ours_ms=${K_MS[$c:$kind]} ours_cpu_ms=${K_CPU[$c:$kind]} alt=kind_all alt_itemsets=${K_N[$c:all]}" \
			"alt_ms=${K_MS[$c:all]} alt_cpu_ms=${K_CPU[$c:all]}" \
			"ratio=$(bench_calc '%.3f' "${K_CPU[$c:$kind]} / ${K_CPU[$c:all]}")"
	done
done
echo "  ratio in the BENCH lines: backend CPU of the kind / of kind 'all' (what filtering all"
echo "  itemsets afterwards costs at least)"
echo

# ---------------------------------------------------------------- rule metrics
# the cost of mlxtend's twelve metrics (0.2.0) over 0.1.0's nine columns:
# many rules (every split of every itemset at min_support 0.0003), through
# apriori_rules and through a nine-column definition of the same C function
# (0.1.0's result shape: the same work but five columns fewer in the
# tuplestore), and with a filter on Zhang's metric
RULE_S=0.0003
echo "rule metrics: min_support $RULE_S, min_confidence 0 (every split of every itemset), int[] baskets:"
bench_sql "CREATE FUNCTION rules_9_columns(baskets_sql text, min_support float8, min_confidence float8,
	                                      max_len int DEFAULT NULL)
	RETURNS TABLE (antecedent text[], consequent text[], antecedent_support float8,
	               consequent_support float8, support float8, confidence float8, lift float8,
	               leverage float8, conviction float8)
	AS '\$libdir/aimarketing', 'aim_apriori_rules' LANGUAGE C VOLATILE CALLED ON NULL INPUT" >/dev/null
bench_run "$RUNS" "$SET" "SELECT count(*) FROM apriori_rules('$Q_ARR', $RULE_S, 0)"
bench_report "apriori_rules, 14 columns"
rm14_ms=$BENCH_MEDIAN rm_n=$BENCH_RESULT
bench_run "$RUNS" "$SET" "SELECT count(*) FROM rules_9_columns('$Q_ARR', $RULE_S, 0)"
bench_report "the same, 0.1.0's 9 columns"
rm9_ms=$BENCH_MEDIAN
[ "$BENCH_RESULT" = "$rm_n" ] || echo "  WARNING: the two definitions found different numbers of rules"
bench_run "$RUNS" "$SET" "SELECT count(*) FROM apriori_rules('$Q_ARR', $RULE_S, 0, NULL, 'zhangs_metric', 0.5)"
bench_report "apriori_rules, zhangs_metric >= 0.5"
rmf_ms=$BENCH_MEDIAN rmf_n=$BENCH_RESULT
echo "  $rm_n rules ($rmf_n with zhangs_metric >= 0.5); 14 / 9 columns: $(bench_calc '%.3f' "$rm14_ms / $rm9_ms")"
bench_line "name=apriori_rules_14_vs_9_columns min_support=$RULE_S min_confidence=0 rules=$rm_n ours_ms=$rm14_ms" \
	"alt=nine_column_definition alt_ms=$rm9_ms ratio=$(bench_calc '%.3f' "$rm14_ms / $rm9_ms")"
bench_line "name=apriori_rules_zhang_filter min_support=$RULE_S min_confidence=0 rules=$rmf_n ours_ms=$rmf_ms" \
	"alt=unfiltered alt_ms=$rm14_ms ratio=$(bench_calc '%.3f' "$rmf_ms / $rm14_ms")"
echo

# ---------------------------------------------------------------- plain SQL
echo "plain SQL: level-wise Apriori (plpgsql, k-way self-joins of the order lines), min_support 0.01:"
bench_sql "CREATE FUNCTION sql_apriori(min_support float8)
RETURNS TABLE (itemset int[], support float8, count bigint)
LANGUAGE plpgsql AS \$fn\$
DECLARE
    n bigint;
    minc bigint;
    k int := 1;
    cols text;
    joins text;
    got bigint;
BEGIN
    SELECT count(DISTINCT basket_id) INTO n FROM retail_pairs;
    minc := ceil(min_support * n);
    DROP TABLE IF EXISTS apr_levels, apr_prev, apr_lines, apr_next;
    -- level 1: the frequent items
    CREATE TEMP TABLE apr_prev AS
    SELECT ARRAY[item] AS itemset, count(DISTINCT basket_id) AS cnt
      FROM retail_pairs GROUP BY item HAVING count(DISTINCT basket_id) >= minc;
    CREATE TEMP TABLE apr_levels AS TABLE apr_prev;
    -- the order lines of frequent items, one per (basket, item)
    CREATE TEMP TABLE apr_lines AS
    SELECT DISTINCT l.basket_id, l.item FROM retail_pairs l
      JOIN apr_prev p ON p.itemset[1] = l.item;
    ANALYZE apr_lines;
    ANALYZE apr_prev;
    LOOP
        -- level k: k self-joins of the lines on the basket, items
        -- ascending, whose (k-1)-item prefix is frequent
        k := k + 1;
        cols := 'l1.item';
        joins := 'apr_lines l1';
        FOR j IN 2..k LOOP
            joins := joins || format(' JOIN apr_lines l%s ON l%s.basket_id = l1.basket_id AND l%s.item > l%s.item',
                                     j, j, j, j - 1);
            IF j < k THEN
                cols := cols || format(', l%s.item', j);
            END IF;
        END LOOP;
        EXECUTE format('CREATE TEMP TABLE apr_next AS
                        SELECT ARRAY[%s, l%s.item] AS itemset, count(*) AS cnt
                          FROM %s JOIN apr_prev p ON p.itemset = ARRAY[%s]
                         GROUP BY 1 HAVING count(*) >= %s', cols, k, joins, cols, minc);
        SELECT count(*) INTO got FROM apr_next;
        EXIT WHEN got = 0;
        INSERT INTO apr_levels SELECT * FROM apr_next;
        DROP TABLE apr_prev;
        ALTER TABLE apr_next RENAME TO apr_prev;
        ANALYZE apr_prev;
    END LOOP;
    DROP TABLE apr_next;
    RETURN QUERY SELECT l.itemset, l.cnt::float8 / n, l.cnt FROM apr_levels l;
END \$fn\$" >/dev/null
bench_run "$PLAIN_RUNS" "$SET SET client_min_messages = warning;" "SELECT count(*) FROM sql_apriori(0.01)"
bench_report "sql_apriori(0.01)"
sql_ms=$BENCH_MEDIAN sql_n=$BENCH_RESULT
sql_same=$(bench_sql "SET client_min_messages = warning" "SELECT CASE WHEN count(*) = 0 THEN 'the same itemsets and counts' ELSE 'DIFFERENT itemsets' END FROM (
	(SELECT ARRAY(SELECT x FROM unnest(itemset::text[]) x ORDER BY x COLLATE \"C\"), count FROM sql_apriori(0.01)
	 EXCEPT SELECT itemset, count FROM frequent_itemsets('$Q_PAIRS', 0.01))
	UNION ALL
	(SELECT itemset, count FROM frequent_itemsets('$Q_PAIRS', 0.01)
	 EXCEPT SELECT ARRAY(SELECT x FROM unnest(itemset::text[]) x ORDER BY x COLLATE \"C\"), count FROM sql_apriori(0.01))) d" | tail -n 1)
echo "  plain SQL found $sql_n itemsets: $sql_same as frequent_itemsets"
echo

# ---------------------------------------------------------------- summary
echo "summary (ms, medians; mlxtend and Borgelt figures from ../shared/oracles/README.md, not re-measured here):"
printf '  %-8s %8s %7s | %9s %9s %9s | %9s %9s | %8s %8s %9s %9s | %9s\n' \
	min_sup itemsets rules "fi int[]" "fi pairs" "borgelt" "ar int[]" "ar pairs" \
	"mlx fp" "mlx fp+ar" "x mlx fi" "x mlx ar" "/borgelt"
for s in "${SUPPORTS[@]}"; do
	mlx_fp=${MLX_FP[$s]} mlx_ar=${MLX_AR[$s]} b=${BORGELT[$s]}
	if [ "$mlx_fp" = - ] || [ "$mlx_ar" = - ]; then mlx_tot=-; else mlx_tot=$((mlx_fp + mlx_ar)); fi
	printf '  %-8s %8s %7s | %9.1f %9.1f %9s | %9.1f %9.1f | %8s %8s %9s %9s | %9s\n' \
		"$s" "${NIS[$s]}" "${NR[$s]}" "${FI_A[$s]}" "${FI_P[$s]}" "$b" "${AR_A[$s]}" "${AR_P[$s]}" \
		"$mlx_fp" "$mlx_tot" "$(speedup "$mlx_fp" "${FI_A[$s]}")" "$(speedup "$mlx_tot" "${AR_A[$s]}")" \
		"$(ratio "$b" "${FI_A[$s]}")"
done
echo "  x mlx fi = mlxtend fpgrowth / our frequent_itemsets (int[]); x mlx ar = mlxtend fpgrowth + association_rules"
echo "  / our apriori_rules (int[]); /borgelt = our frequent_itemsets (int[]) / Borgelt's fpgrowth (goal <= 2)"
echo "  scan alone: retail_arrays $scan_arr_ms ms, retail_pairs $scan_pairs_ms ms"
echo "  plain SQL Apriori at 0.01: $sql_ms ms; frequent_itemsets on the same (basket_id, item) table ${FI_P[0.01]} ms:" \
	"$(bench_calc '%.0f' "$sql_ms / ${FI_P[0.01]}")x faster; on int[] baskets ${FI_A[0.01]} ms"
echo "  peak private backend memory (frequent_itemsets / apriori_rules, int[] form, each session's"
echo "  warm-up and $RUNS runs):"
for s in "${SUPPORTS[@]}"; do
	echo "    $s: ${MEM_FI[$s]:-?} MB / ${MEM_AR[$s]:-?} MB"
done

for s in "${SUPPORTS[@]}"; do
	mlx_fp=${MLX_FP[$s]} mlx_ar=${MLX_AR[$s]} b=${BORGELT[$s]}
	if [ "$mlx_fp" = - ] || [ "$mlx_ar" = - ]; then mlx_tot=-; else mlx_tot=$((mlx_fp + mlx_ar)); fi
	bench_line "name=frequent_itemsets_int_array min_support=$s itemsets=${NIS[$s]} ours_ms=${FI_A[$s]}" \
		"alt=borgelt_fpgrowth alt_ms=$b ratio=$(ratio "$b" "${FI_A[$s]}")" \
		"mlxtend_ms=$mlx_fp speedup_vs_mlxtend=$(speedup "$mlx_fp" "${FI_A[$s]}") mem_mb=${MEM_FI[$s]:-?}"
	bench_line "name=frequent_itemsets_pairs min_support=$s itemsets=${NIS[$s]} ours_ms=${FI_P[$s]}" \
		"alt=borgelt_fpgrowth alt_ms=$b ratio=$(ratio "$b" "${FI_P[$s]}")" \
		"mlxtend_ms=$mlx_fp speedup_vs_mlxtend=$(speedup "$mlx_fp" "${FI_P[$s]}")"
	bench_line "name=apriori_rules_int_array min_support=$s min_confidence=0.2 rules=${NR[$s]} ours_ms=${AR_A[$s]}" \
		"alt=mlxtend_fpgrowth_rules alt_ms=$mlx_tot ratio=$(ratio "$mlx_tot" "${AR_A[$s]}")" \
		"speedup_vs_mlxtend=$(speedup "$mlx_tot" "${AR_A[$s]}") mem_mb=${MEM_AR[$s]:-?}"
	bench_line "name=apriori_rules_pairs min_support=$s min_confidence=0.2 rules=${NR[$s]} ours_ms=${AR_P[$s]}" \
		"alt=mlxtend_fpgrowth_rules alt_ms=$mlx_tot ratio=$(ratio "$mlx_tot" "${AR_P[$s]}")" \
		"speedup_vs_mlxtend=$(speedup "$mlx_tot" "${AR_P[$s]}")"
done
bench_line "name=frequent_itemsets_vs_plain_sql min_support=0.01 ours_ms=${FI_P[0.01]} alt_ms=$sql_ms" \
	"ratio=$(bench_calc '%.4f' "${FI_P[0.01]} / $sql_ms") speedup=$(bench_calc '%.0f' "$sql_ms / ${FI_P[0.01]}")"
for s in "${SUPPORTS[@]}"; do
	mlx_fp=${MLX_FP[$s]} mlx_ar=${MLX_AR[$s]}
	if [ "$mlx_fp" = - ] || [ "$mlx_ar" = - ]; then mlx_tot=-; else mlx_tot=$((mlx_fp + mlx_ar)); fi
	bench_result basket "frequent_itemsets int[], support $s" "88162 baskets" "${FI_A[$s]}" \
		"Borgelt fpgrowth (C, recorded)" "${BORGELT[$s]}" "${HWM_FI[$s]}" "${MEM_FI[$s]:--}"
	[ "$mlx_fp" = - ] || bench_result basket "frequent_itemsets int[], support $s" "88162 baskets" "${FI_A[$s]}" \
		"mlxtend fpgrowth (recorded)" "$mlx_fp" "${HWM_FI[$s]}" "${MEM_FI[$s]:--}"
	[ "$mlx_tot" = - ] || bench_result basket "apriori_rules int[], support $s" "88162 baskets" "${AR_A[$s]}" \
		"mlxtend fpgrowth + association_rules (recorded)" "$mlx_tot" "${HWM_AR[$s]}" "${MEM_AR[$s]:--}"
done
bench_result basket "frequent_itemsets (basket_id, item), support 0.01" "908576 lines" "${FI_P[0.01]}" \
	"plain SQL level-wise Apriori" "$sql_ms" - -
bench_print_lines
