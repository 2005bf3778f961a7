#!/usr/bin/env bash
# test/bench/churn.sh: the logistic_fit aggregate (scan included) against
# scikit-learn's LogisticRegression fit on the same numbers already in a
# numpy array; churn_score throughput against a bare scan; roc_auc,
# roc_curve and average_precision against scikit-learn's roc_auc_score,
# roc_curve and average_precision_score on the same scores.
#
# Not a test: prints a plain-text report and, at the end, machine-readable
# "BENCH name=... ours_ms=... alt_ms=... ratio=..." lines (ratio = ours /
# scikit-learn lbfgs for logistic_fit, the issue's goal is ratio <= 1 with
# coefficients equal within 1e-6 relative; ours / bare scan for
# churn_score; ours / scikit-learn for roc_auc).
#
# Data: BENCH_ROWS rows x 10 standard-normal features (numpy
# default_rng(BENCH_SEED)), labels drawn from a known logistic model:
# intercept 0.3, coefficients 1, -0.5, 0.25, -1, 0.1, 0.7, -0.2, 0.05, 0.4,
# -0.6 (the classes overlap: no separation).  Generated once with numpy
# (Debian's /usr/bin/python3), written to the cluster's temporary directory
# as .npy (for scikit-learn) and as text with Python's shortest round-trip
# repr (COPY into t(f float8[], y boolean)); a COPY back out is compared
# with the file, so both sides fit bit-identical numbers.
#
#   ours:         SELECT logistic_fit(f, y) FROM t, serial and with 2
#                 parallel workers (parallel scan and row collection; the
#                 Newton iterations run in the leader); iterations from a
#                 run with aimarketing.progress = on
#   scikit-learn: LogisticRegression(penalty=None, solver='lbfgs') and
#                 (solver='newton-cg'), default tol and max_iter, .fit(X, y)
#                 with X, y in memory; time.perf_counter around fit() only;
#                 its default threads (BLAS, one per core); run with
#                 OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from the
#                 environment (they can slow OpenBLAS down); the report lists
#                 threadpoolctl's view and the BLAS/LAPACK/OpenMP libraries
#                 the process mapped
#   reference:    the maximum-likelihood coefficients to full precision:
#                 Newton's method in numpy (float64, iterated until the step
#                 is below 1e-15 relative), cross-checked with
#                 newton-cg tol=1e-10 (untimed; tol=1e-12 is below the
#                 rounding of its gradient over 1M rows: it runs max_iter
#                 iterations, minutes); every fit is compared with it
#   churn_score:  SELECT sum(churn_score(f, <our coefficients>)) FROM t
#                 against sum(cardinality(f)) (the same scan, fetching the
#                 array), checked against numpy's sigmoid of the same rows
#   weighted:     SELECT logistic_fit_weighted(f, y, w) FROM tw, tw = t with
#                 w = 0 where |x2| < 0.15 (about 12% of the rows), else
#                 1 + floor(4 |x1|) / 4 (exact in SQL and numpy alike),
#                 serial and with 2 workers, against scikit-learn's
#                 LogisticRegression(penalty=None, solver='lbfgs') and
#                 ('newton-cg') .fit(X, y, sample_weight=w) on the same
#                 arrays (every row, the zero-weight ones included, as a
#                 scikit-learn user has them), both compared with a weighted
#                 Newton's method in numpy; and logistic_fit_weighted(f, y, 1)
#                 over t, which must be logistic_fit(f, y) bit for bit (the
#                 cost of the weight)
#   roc_auc:      SELECT roc_auc(churn_score(f, <coefficients>), y) FROM t
#                 (and over a table of precomputed scores) against
#                 roc_auc_score(y, scores) on the very scores PostgreSQL
#                 computed (COPY out: exact round-trip text)
#   curves:       over the table s(score, y) of those scores (about as many
#                 distinct scores as rows): cardinality(roc_curve(score, y))
#                 (the whole array built, not sent to the client),
#                 average_precision(score, y), and the two in one query
#                 (one shared state, one sort), against roc_curve(y, s) and
#                 average_precision_score(y, s) on the same scores in memory;
#                 also gains_table(score, y) (no scikit-learn counterpart) and
#                 the scores rounded to 3 decimals (1,001 distinct: heavy ties)
#
# Needs aimarketing installed into PostgreSQL 15 first (scripts/test.sh does
# it); AIM_BENCH_BUILD=1 builds and installs it before running; AIM_PGBIN
# runs another server build (scripts/lib.sh).  Runs on its own throwaway
# cluster with shared_buffers = 2GB (the table, ~130 MB, is loaded into
# shared_buffers with pg_prewarm, so runs measure CPU, not I/O).
#
#   BENCH_ROWS=1000000    rows
#   BENCH_SEED=42         numpy seed of the data
#   BENCH_RUNS=5          timed runs / fits per measurement (after one warm-up)
#   BENCH_FIXED_RUNS=3    timed runs of the max_iter = 1 breakdown
#   BENCH_SCORE_ROUNDS=3  rounds of (bare scan, churn_score), BENCH_RUNS each
#
# Takes about 1-2 minutes on 2 cores.
set -euo pipefail
AIM_EXTRA_PACKAGES="python3-sklearn python3-numpy ${AIM_EXTRA_PACKAGES:-}"
. "$(dirname "$0")/bench_lib.sh"

ROWS=${BENCH_ROWS:-$(bench_size 1000000 100000)}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-5}
FIXED_RUNS=${BENCH_FIXED_RUNS:-3}
SCORE_ROUNDS=${BENCH_SCORE_ROUNDS:-3}
# the generating model: intercept, then one coefficient per feature
TRUE_COEF="0.3 1 -0.5 0.25 -1 0.1 0.7 -0.2 0.05 0.4 -0.6"
DIM=$(($(wc -w <<<"$TRUE_COEF") - 1))
# Debian's python3 (python3-numpy, python3-sklearn); the python3 first on
# PATH may be another build without them
PY=/usr/bin/python3

export AIM_PG_CONF_EXTRA="shared_buffers = 2GB
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
${AIM_PG_CONF_EXTRA:-}"
bench_setup
bench_sql "CREATE DATABASE aimbench" >/dev/null
export PGDATABASE=aimbench
bench_sql "CREATE EXTENSION aimarketing" >/dev/null

bench_header "aimarketing benchmark: logistic_fit() vs scikit-learn LogisticRegression; churn_score, roc_auc"
for fn in logistic_fit logistic_summary roc_auc churn_score; do
	[ "$(bench_sql "SELECT count(*) FROM pg_proc WHERE proname = '$fn'")" != 0 ] ||
		bench_die "the installed aimarketing has no $fn() (library dir $(bench_sql "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'")): install a build that has it, or point AIM_PGBIN at one"
done

echo "library dir: $(bench_sql "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'") (server's PKGLIBDIR; AIM_PGBIN ${AIM_PGBIN})"
# scikit-learn's side runs without these (see the machine notes: they can
# slow OpenBLAS down); report them so a reader knows
for v in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; do
	if [ -n "${!v+x}" ]; then
		echo "environment: $v=${!v} (removed for the scikit-learn fits)"
	fi
done
echo "python:      $($PY -c 'import sys, numpy, scipy, sklearn; print("%s, numpy %s, scipy %s, scikit-learn %s" % (sys.version.split()[0], numpy.__version__, scipy.__version__, sklearn.__version__))')"
echo

DATA=$AIM_TMP/bench
mkdir -p "$DATA"

# ---------------------------------------------------------------- data
echo "data: $ROWS rows x $DIM standard-normal features, numpy default_rng($SEED); label ~ Bernoulli(sigmoid(b0 + x.b))"
echo "  with (b0, b) = ($(tr ' ' ',' <<<"$TRUE_COEF" | sed 's/,/, /g'))"
t0=$(date +%s.%N)
$PY - "$ROWS" "$SEED" "$DATA" $TRUE_COEF <<'PY'
import sys
import numpy as np

n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
beta = np.array([float(v) for v in sys.argv[4:]])
d = beta.size - 1
rng = np.random.default_rng(seed)
X = np.ascontiguousarray(rng.standard_normal((n, d)), dtype=np.float64)
eta = beta[0] + X @ beta[1:]
p = 1.0 / (1.0 + np.exp(-eta))
y = rng.random(n) < p
np.save(out + "/X.npy", X)
np.save(out + "/y.npy", y)
# Python's repr is the shortest string that reads back as the same double
with open(out + "/t.copy", "w") as fh:
    for row, lab in zip(X.tolist(), y.tolist()):
        fh.write("{" + ",".join(map(repr, row)) + "}\t" + ("t" if lab else "f") + "\n")
print("  positives %d of %d (%.2f%%); true probabilities %.4f..%.4f, mean %.4f"
      % (int(y.sum()), n, 100.0 * y.mean(), p.min(), p.max(), p.mean()))
PY
t1=$(date +%s.%N)
{
	echo "BEGIN;"
	echo "CREATE TABLE t (f float8[] NOT NULL, y boolean NOT NULL);"
	echo "COPY t FROM STDIN;"
	cat "$DATA/t.copy"
	echo '\.'
	echo "COMMIT;"
} | "${BENCH_PSQL[@]}" >/dev/null
t2=$(date +%s.%N)
bench_sql "VACUUM ANALYZE t" >/dev/null
t3=$(date +%s.%N)
printf '  generated (numpy + text file) in %.1f s, COPY in %.1f s, VACUUM ANALYZE in %.1f s\n' \
	"$(bench_calc '%f' "$t1 - $t0")" "$(bench_calc '%f' "$t2 - $t1")" "$(bench_calc '%f' "$t3 - $t2")"
echo "  $(bench_sql "SELECT format('table t: %s rows, %s (heap %s pages, %s bytes/row on disk); element count %s..%s; y true in %s rows',
	count(*), pg_size_pretty(pg_table_size('t')), pg_relation_size('t') / 8192,
	round(pg_table_size('t')::numeric / count(*)), min(cardinality(f)), max(cardinality(f)), count(*) FILTER (WHERE y))
	FROM t")"
# the table must hold exactly the numbers scikit-learn gets: PostgreSQL
# prints float8 as the shortest round-trip string too, so COPY back out
# (heap order = load order) should reproduce the file byte for byte
"${BENCH_PSQL[@]}" -c "SET max_parallel_workers_per_gather = 0" \
	-c "COPY (SELECT f, y FROM t) TO STDOUT" >"$DATA/t.out"
if cmp -s "$DATA/t.copy" "$DATA/t.out"; then
	data_check="identical (COPY TO output = loaded file, byte for byte)"
else
	data_check=$($PY - "$DATA" <<'PY'
import sys
import numpy as np
out = sys.argv[1]
X = np.load(out + "/X.npy")
y = np.load(out + "/y.npy")
rows, labs = [], []
for l in open(out + "/t.out"):
    a, b = l.rstrip("\n").split("\t")
    rows.append(list(map(float, a[1:-1].split(","))))
    labs.append(b == "t")
Y = np.array(rows, dtype=np.float64)
L = np.array(labs)
if Y.shape != X.shape or L.shape != y.shape:
    print("MISMATCH: shapes %s, %s vs %s, %s" % (Y.shape, L.shape, X.shape, y.shape))
elif np.array_equal(X, Y) and np.array_equal(y, L):
    print("identical values (text differs from the file, values are equal)")
else:
    print("MISMATCH: %d of %d values and %d of %d labels differ"
          % (int((X != Y).sum()), X.size, int((y != L).sum()), y.size))
PY
)
fi
rm -f "$DATA/t.out" "$DATA/t.copy"
echo "  table vs numpy arrays: $data_check"
echo "  $(bench_prewarm t)"
echo

SERIAL="SET max_parallel_workers_per_gather = 0; SET jit = off;"
PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET jit = off;"
Q_FIT="SELECT logistic_fit(f, y) FROM t"
# first number of a bench_run memory text ("VmHWM 123 MB (private peak ~45 MB)")
mem_mb() { printf '%s\n' "$1" | sed -n 's/^VmHWM \([0-9]*\) MB.*/\1/p'; }
priv_mb() { printf '%s\n' "$1" | sed -n 's/.*private peak ~\([0-9]*\) MB.*/\1/p'; }

# ---------------------------------------------------------------- ours, serial
echo "timings: median of $RUNS runs after one warm-up run, psql \\timing (wall clock: parse, plan, scan,"
echo "aggregate, result), one psql session per query, table in shared_buffers, jit = off"
echo
echo "serial (max_parallel_workers_per_gather = 0):"
bench_run "$RUNS" "$SERIAL" "SELECT count(*) FROM t"
bench_report "count(*) (scan only)"
count_ms=$BENCH_MEDIAN
bench_run "$RUNS" "$SERIAL" "SELECT sum(cardinality(f)) FROM t"
bench_report "bare: sum(cardinality(f))"
bare_ms=$BENCH_MEDIAN
bench_run "$RUNS" "$SERIAL" "$Q_FIT"
bench_report "logistic_fit(f, y)"
fit_ms=$BENCH_MEDIAN fit_coef=$BENCH_RESULT fit_same=$BENCH_SAME fit_mem=$BENCH_MEM fit_times=$BENCH_TIMES
case $fit_coef in
'{'*'}') ;;
*) bench_die "logistic_fit returned no model: $fit_coef" ;;
esac
printf '%s\n' "$fit_coef" >"$DATA/ours_coef.txt"
# max_iter = 1 (it warns that it did not converge: client_min_messages
# keeps the WARNING out of the results): scan, row collection, canonical
# order and two passes over the rows (at zero, and after the first step)
bench_run "$FIXED_RUNS" "$SERIAL SET client_min_messages = error;" "SELECT logistic_fit(f, y, 0, 1) FROM t"
BENCH_RESULT="${BENCH_RESULT:0:60}...}"
bench_report "logistic_fit(f, y, 0, 1) (max_iter = 1)"
fit1_ms=$BENCH_MEDIAN
echo

# ---------------------------------------------------------------- ours, parallel
bench_parallel_plan "$Q_FIT" logistic_fit
bench_run "$RUNS" "$PARALLEL" "SELECT count(*) FROM t"
bench_report "count(*) (scan only)"
pcount_ms=$BENCH_MEDIAN
bench_run "$RUNS" "$PARALLEL" "$Q_FIT"
bench_report "logistic_fit(f, y)"
pfit_ms=$BENCH_MEDIAN pfit_coef=$BENCH_RESULT pfit_same=$BENCH_SAME pfit_mem=$BENCH_MEM pfit_times=$BENCH_TIMES
if [ "$pfit_coef" = "$fit_coef" ] && [ "$pfit_same" = yes ] && [ "$fit_same" = yes ]; then
	det_check="identical coefficients in every serial and parallel run"
else
	det_check="MISMATCH: serial runs same=$fit_same, parallel runs same=$pfit_same, parallel = serial: $([ "$pfit_coef" = "$fit_coef" ] && echo yes || echo no)"
fi
echo "  determinism: $det_check"
echo

# ---------------------------------------------------------------- weighted
echo "weighted: logistic_fit_weighted(f, y, w) over tw = t with w = 0 where |x2| < 0.15, else 1 + floor(4 |x1|) / 4:"
bench_sql "SET max_parallel_workers_per_gather = 0" \
	"CREATE TABLE tw AS SELECT f, y, CASE WHEN abs(f[2]) < 0.15 THEN 0 ELSE 1 + floor(4 * abs(f[1])) / 4 END::float8 AS w FROM t" \
	"VACUUM ANALYZE tw" >/dev/null
echo "  $(bench_prewarm tw)"
echo "  $(bench_sql "SELECT format('table tw: %s rows, %s; weight 0 in %s rows, weights %s..%s, sum %s',
	count(*), pg_size_pretty(pg_table_size('tw')), count(*) FILTER (WHERE w = 0), min(w), max(w), sum(w)) FROM tw")"
Q_WFIT="SELECT logistic_fit_weighted(f, y, w) FROM tw"
bench_run "$RUNS" "$SERIAL" "$Q_WFIT"
bench_report "serial: logistic_fit_weighted(f, y, w)"
wfit_ms=$BENCH_MEDIAN wfit_coef=$BENCH_RESULT wfit_same=$BENCH_SAME wfit_mem=$BENCH_MEM wfit_times=$BENCH_TIMES
case $wfit_coef in
'{'*'}') ;;
*) bench_die "logistic_fit_weighted returned no model: $wfit_coef" ;;
esac
printf '%s\n' "$wfit_coef" >"$DATA/ours_wcoef.txt"
bench_run "$RUNS" "$PARALLEL" "$Q_WFIT"
bench_report "2 workers: logistic_fit_weighted(f, y, w)"
pwfit_ms=$BENCH_MEDIAN pwfit_coef=$BENCH_RESULT pwfit_same=$BENCH_SAME pwfit_mem=$BENCH_MEM
if [ "$pwfit_coef" = "$wfit_coef" ] && [ "$pwfit_same" = yes ] && [ "$wfit_same" = yes ]; then
	wdet_check="identical coefficients in every serial and parallel run"
else
	wdet_check="MISMATCH: serial runs same=$wfit_same, parallel runs same=$pwfit_same, parallel = serial: $([ "$pwfit_coef" = "$wfit_coef" ] && echo yes || echo no)"
fi
echo "  determinism: $wdet_check"
bench_run "$RUNS" "$SERIAL" "SELECT logistic_fit_weighted(f, y, 1) FROM t"
bench_report "serial: logistic_fit_weighted(f, y, 1) over t"
w1_ms=$BENCH_MEDIAN
w1_check=$([ "$BENCH_RESULT" = "$fit_coef" ] && echo "logistic_fit(f, y)'s coefficients, bit for bit" ||
	echo "MISMATCH with logistic_fit(f, y): $BENCH_RESULT")
echo "  weight 1: $w1_check; $w1_ms ms vs logistic_fit $fit_ms ms"
wsk_out=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY - "$DATA" "$RUNS" <<'PY'
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

out, runs = sys.argv[1], int(sys.argv[2])
X = np.load(out + "/X.npy")
y = np.load(out + "/y.npy")
w = np.where(np.abs(X[:, 1]) < 0.15, 0.0, 1.0 + np.floor(4.0 * np.abs(X[:, 0])) / 4.0)
ours = np.array([float(v) for v in open(out + "/ours_wcoef.txt").read().strip()[1:-1].split(",")])

# the reference: weighted Newton's method to full precision
Xt = np.column_stack([np.ones(len(X)), X])
yf = y.astype(np.float64)
ref = np.zeros(Xt.shape[1])
for it in range(100):
    p = 1.0 / (1.0 + np.exp(-(Xt @ ref)))
    step = np.linalg.solve(Xt.T @ (Xt * (w * p * (1 - p))[:, None]), Xt.T @ (w * (yf - p)))
    ref = ref + step
    if np.max(np.abs(step) / (1 + np.abs(ref))) < 1e-15:
        break
rel = lambda a: float(np.max(np.abs(a - ref) / np.abs(ref)))
for solver in ("lbfgs", "newton-cg"):
    times, conv = [], False
    for i in range(runs + 1):
        m = LogisticRegression(penalty=None, solver=solver)
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter("always")
            t0 = time.perf_counter()
            m.fit(X, y, sample_weight=w)
            t1 = time.perf_counter()
        conv = conv or any(issubclass(x.category, ConvergenceWarning) for x in ws)
        if i > 0:
            times.append((t1 - t0) * 1000.0)
    coef = np.concatenate([m.intercept_, m.coef_[0]])
    print("  scikit-learn %s, sample_weight=w: fit times, ms: %s (median %.1f); n_iter_ %d; ConvergenceWarning: %s;"
          " max relative difference from the reference %.3g"
          % (solver, " ".join("%.1f" % t for t in times), float(np.median(times)), int(m.n_iter_[0]),
             "yes" if conv else "no", rel(coef)))
    print("SKW %s_ms=%.3f" % (solver.replace("-", ""), float(np.median(times))))
    print("SKW %s_rel=%.3g" % (solver.replace("-", ""), rel(coef)))
print("  reference (weighted Newton in numpy, %d iterations); ours vs the reference: max relative difference %.3g"
      % (it + 1, rel(ours)))
print("SKW ours_rel=%.3g" % rel(ours))
PY
)
printf '%s\n' "$wsk_out" | grep -v '^SKW '
skw() { printf '%s\n' "$wsk_out" | sed -n "s/^SKW $1=//p"; }
wlb_ms=$(skw lbfgs_ms) wnc_ms=$(skw newtoncg_ms) wrel=$(skw ours_rel)
echo

# ---------------------------------------------------------------- churn_score, roc_auc
C="'$fit_coef'::float8[]"
Q_SCORE="SELECT sum(churn_score(f, $C)) FROM t"
Q_AUC="SELECT roc_auc(churn_score(f, $C), y) FROM t"
echo "churn_score and roc_auc with the serial model (serial):"
# churn_score's own cost is small next to the scan, and timings here move
# by 10-20% from one session to the next: alternate the bare scan and the
# churn_score query for $SCORE_ROUNDS rounds and take the median of all
# the timed runs of each
bare_pool='' score_pool='' score_results=''
for ((r = 1; r <= SCORE_ROUNDS; r++)); do
	bench_run "$RUNS" "$SERIAL" "SELECT sum(cardinality(f)) FROM t"
	bench_report "round $r: bare: sum(cardinality(f))"
	bare_pool+=" $BENCH_TIMES"
	bench_run "$RUNS" "$SERIAL" "$Q_SCORE"
	bench_report "round $r: sum(churn_score(f, <coef>))"
	score_pool+=" $BENCH_TIMES" score_hwm=$BENCH_HWM_MB score_priv=$BENCH_PRIV_MB
	score_results+="$BENCH_RESULT $BENCH_SAME"$'\n'
done
score_sum=$BENCH_RESULT
score_bare_ms=$(printf '%s\n' $bare_pool | bench_median)
score_ms=$(printf '%s\n' $score_pool | bench_median)
score_same=$([ "$(printf '%s' "$score_results" | sort -u | wc -l)" = 1 ] && echo yes || echo no)
echo "  pooled medians of $((SCORE_ROUNDS * RUNS)) runs each: bare scan $score_bare_ms ms, churn_score $score_ms ms" \
	"(same sum in every run: $score_same)"
bench_run "$RUNS" "$SERIAL" "$Q_AUC"
bench_report "roc_auc(churn_score(f, <coef>), y)"
auc_ms=$BENCH_MEDIAN auc=$BENCH_RESULT auc_mem=$BENCH_MEM auc_same=$BENCH_SAME auc_hwm=$BENCH_HWM_MB auc_priv=$BENCH_PRIV_MB
# the scores once more as a table of their own: roc_auc alone, as
# roc_auc_score gets an array of scores already computed
bench_sql "SET max_parallel_workers_per_gather = 0" \
	"CREATE TABLE s AS SELECT churn_score(f, $C) AS score, y FROM t" \
	"VACUUM ANALYZE s" >/dev/null
bench_sql "SELECT pg_prewarm('s')" >/dev/null
bench_run "$RUNS" "$SERIAL" "SELECT count(*) FROM s"
bench_report "table s(score, y): count(*)"
scount_ms=$BENCH_MEDIAN
bench_run "$RUNS" "$SERIAL" "SELECT roc_auc(score, y) FROM s"
bench_report "table s(score, y): roc_auc(score, y)"
sauc_ms=$BENCH_MEDIAN sauc=$BENCH_RESULT
# the curves over the same table (the array built in the backend, only its
# length sent: scikit-learn's arrays stay in memory too)
bench_run "$RUNS" "$SERIAL" "SELECT cardinality(roc_curve(score, y)) FROM s"
bench_report "table s: cardinality(roc_curve(score, y))"
roc_ms=$BENCH_MEDIAN roc_points=$BENCH_RESULT roc_hwm=$BENCH_HWM_MB roc_priv=$BENCH_PRIV_MB
bench_run "$RUNS" "$SERIAL" "SELECT average_precision(score, y) FROM s"
bench_report "table s: average_precision(score, y)"
ap_ms=$BENCH_MEDIAN ap=$BENCH_RESULT ap_hwm=$BENCH_HWM_MB ap_priv=$BENCH_PRIV_MB
bench_run "$RUNS" "$SERIAL" "SELECT cardinality(roc_curve(score, y)), average_precision(score, y) FROM s"
bench_report "table s: roc_curve and average_precision"
both_ms=$BENCH_MEDIAN
bench_run "$RUNS" "$SERIAL" "SELECT cardinality(roc_curve(score, y, 1, false)) FROM s"
bench_report "table s: roc_curve, every point"
roc_all_ms=$BENCH_MEDIAN roc_all_points=$BENCH_RESULT
bench_run "$RUNS" "$SERIAL" "SELECT cardinality(precision_recall_curve(score, y)) FROM s"
bench_report "table s: precision_recall_curve"
pr_ms=$BENCH_MEDIAN pr_points=$BENCH_RESULT
bench_run "$RUNS" "$SERIAL" "SELECT gains_table(score, y)::text FROM s"
bench_report "table s: gains_table (deciles)"
gains_ms=$BENCH_MEDIAN
# heavy ties: the scores rounded to 3 decimals, in a table of their own
# (the rounding untimed, as numpy's is)
bench_sql "SET max_parallel_workers_per_gather = 0" \
	"CREATE TABLE s3 AS SELECT round(score::numeric, 3)::float8 AS score, y FROM s" \
	"VACUUM ANALYZE s3" "SELECT pg_prewarm('s3')" >/dev/null
bench_run "$RUNS" "$SERIAL" "SELECT cardinality(roc_curve(score, y)) FROM s3"
bench_report "table s3 (scores rounded to 3 decimals): roc_curve"
roc3_ms=$BENCH_MEDIAN roc3_points=$BENCH_RESULT
fit_plan_ok=$plan_ok
bench_parallel_plan "SELECT cardinality(roc_curve(score, y)) FROM s" roc_curve
curve_plan_ok=$plan_ok plan_ok=$fit_plan_ok
bench_run "$RUNS" "$PARALLEL" "SELECT cardinality(roc_curve(score, y)), average_precision(score, y) FROM s"
bench_report "table s, 2 workers: roc_curve and average_precision"
pboth_ms=$BENCH_MEDIAN
# every score, in heap order (= the numpy array's order): shortest
# round-trip text, so scikit-learn ranks exactly the numbers we ranked
"${BENCH_PSQL[@]}" -c "SET max_parallel_workers_per_gather = 0" \
	-c "COPY (SELECT score FROM s) TO STDOUT" >"$DATA/ours_scores.txt"
echo "  (bare scan = sum(cardinality(f)): the same scan, fetching (detoasting) the array through fmgr, one sum())"
echo

# ---------------------------------------------------------------- untimed
echo "untimed runs:"
echo "  the model (logistic_fit(f, y), serial): $fit_coef"
progress=$(bench_sql "$SERIAL" "SET aimarketing.progress = on" "$Q_FIT" 2>&1 >/dev/null)
prog_lines=$(printf '%s\n' "$progress" | grep -c 'logistic regression iteration ' || true)
ours_iters=$(printf '%s\n' "$progress" | sed -n 's/.*logistic regression iteration \([0-9][0-9]*\):.*/\1/p' | tail -n 1)
ours_conv=$(printf '%s\n' "$progress" | grep -q 'logistic regression iteration [0-9]*: converged' && echo yes || echo no)
halved=$(printf '%s\n' "$progress" | grep 'step scale' | grep -vc 'step scale 1$' || true)
# passes over the rows, from the code's structure (src/logistic.c): one at the
# start, one per iteration that is not the last and one per step halving
# (scale 2^-k: k halvings); the converged step is taken without a pass
passes=$(printf '%s\n' "$progress" | sed -n 's/.*step scale \([0-9.e+-]*\)$/\1/p' |
	awk 'BEGIN {p = 1} {p += 1 + int(log(1 / $1) / log(2) + 0.5)} END {print p}')
echo "  with aimarketing.progress = on ($prog_lines per-iteration NOTICEs; $halved with a halved step; $passes passes over the rows):"
printf '%s\n' "$progress" | grep 'logistic regression ' | sed 's/^/    /'
IFS='|' read -r sum_iters sum_conv sum_ll sum_coef < <(bench_sql "$SERIAL" "SELECT s->>'iterations', s->>'converged', s->>'log_likelihood',
	(SELECT array_agg((e->>'coefficient')::float8 ORDER BY i) FROM jsonb_array_elements(s->'terms') WITH ORDINALITY AS a(e, i))
	FROM (SELECT logistic_summary(f, y) AS s FROM t) q")
sum_coef_check=$([ "$sum_coef" = "$fit_coef" ] && echo "same as logistic_fit's" || echo "DIFFERENT from logistic_fit's: $sum_coef")
echo "  logistic_summary(f, y): iterations ${sum_iters:-?}, converged ${sum_conv:-?}, log_likelihood ${sum_ll:-?};"
echo "    coefficients $sum_coef_check"
# where the time goes, serial and parallel: EXPLAIN ANALYZE's actual times
# (startup..total: ms spent in the node and the nodes below it); a node's
# own time is its total minus its child's
# (no reader that stops early: under pipefail a writer killed by SIGPIPE
# would end the script)
total_of() { { grep -- "$2" <<<"$1" || true; } | sed -n '1s/.*actual time=[0-9.]*\.\.\([0-9.]*\).*/\1/p'; }
echo "  EXPLAIN ANALYZE (untimed; TIMING on adds its own overhead):"
xs=$(bench_sql "$SERIAL" "EXPLAIN (ANALYZE, COSTS OFF) $Q_FIT")
printf '%s\n' "$xs" | sed 's/^/    /'
xp=$(bench_sql "$PARALLEL" "EXPLAIN (ANALYZE, COSTS OFF, VERBOSE) $Q_FIT")
printf '%s\n' "$xp" | grep -v 'Output:' | sed 's/^/    /'
xs_scan=$(total_of "$xs" 'Seq Scan') xs_agg=$(total_of "$xs" 'Aggregate')
xp_gather=$(total_of "$xp" 'Gather') xp_fin=$(total_of "$xp" 'Finalize Aggregate')
if [ -n "$xp_fin" ] && [ -n "$xp_gather" ] && [ -n "$xs_scan" ] && [ -n "$xs_agg" ]; then
	explain_note="own time of the serial Aggregate (collect the rows, canonical order, Newton):"
	explain_note+=" $(bench_calc '%.0f' "$xs_agg - $xs_scan") ms of $xs_agg;"
	explain_note+=" of the parallel plan's Finalize Aggregate in the leader (deserialise and combine the 3 partial"
	explain_note+=" states, canonical order, Newton): $(bench_calc '%.0f' "$xp_fin - $xp_gather") ms of $xp_fin"
	explain_note+=" (Gather, with the leader's own partial aggregate: $xp_gather ms)"
else
	explain_note="(could not read the actual times)"
fi
echo "  $explain_note"
echo

# ---------------------------------------------------------------- scikit-learn
echo "scikit-learn: LogisticRegression(penalty=None, solver=...) with default tol and max_iter, .fit(X, y),"
echo "  X, y the same arrays in memory (float64, C order; bool); time.perf_counter around fit(); one warm-up"
echo "  fit, then median of $RUNS fits per solver; roc_auc_score(y, scores) likewise (scores = ours, COPY out);"
echo "  default threads; run as: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY; load avg before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  (its BLAS threads can use both cores: another busy process on the machine slows it more than our"
echo "   single backend; the fit times are listed so that outliers show)"
sk_out=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY - "$DATA" "$RUNS" "$ROWS" "$score_sum" "$auc" "$roc_points" "$ap" $TRUE_COEF <<'PY'
import math
import os
import sys
import time
import warnings

import numpy as np

out, runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
score_sum, auc = float(sys.argv[4]), float(sys.argv[5])
roc_points, ap = int(sys.argv[6]), float(sys.argv[7])
true_beta = np.array([float(v) for v in sys.argv[8:]])
X = np.load(out + "/X.npy")
y = np.load(out + "/y.npy")
assert X.shape[0] == n and X.flags["C_CONTIGUOUS"] and X.dtype == np.float64

import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score, roc_curve
from scipy.special import expit


def fit(**kw):
    m = LogisticRegression(penalty=None, **kw)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        m.fit(X, y)
        ms = (time.perf_counter() - t0) * 1000.0
    conv = [x for x in w if issubclass(x.category, ConvergenceWarning)]
    other = [x for x in w if not issubclass(x.category, ConvergenceWarning)]
    coef = np.concatenate([m.intercept_, m.coef_.ravel()])
    return ms, coef, int(np.max(m.n_iter_)), conv, other


def timed(**kw):
    fit(**kw)  # warm-up
    res = [fit(**kw) for _ in range(runs)]
    return res


def loglik(b):
    eta = b[0] + X @ b[1:]
    # log(sigmoid(eta)) for y, log(sigmoid(-eta)) otherwise, overflow-free
    return float(-np.sum(np.logaddexp(0.0, np.where(y, -eta, eta))))


def relmax(a, b):
    return float(np.max(np.abs(a - b) / np.abs(b)))


def absmax(a, b):
    return float(np.max(np.abs(a - b)))


ours = np.array([float(v) for v in open(out + "/ours_coef.txt").read().strip()[1:-1].split(",")])
assert ours.size == X.shape[1] + 1

solvers = {}
for name in ("lbfgs", "newton-cg"):
    res = timed(solver=name)
    times = [r[0] for r in res]
    coefs = [r[1] for r in res]
    ms, coef, it, conv, other = res[-1]
    distinct = len(set(c.tobytes() for c in coefs))
    solvers[name] = dict(times=times, coef=coef, iters=it, conv=conv, other=other, distinct=distinct)

# the reference: Newton's method in numpy to full precision
X1 = np.hstack([np.ones((n, 1)), X])
b = np.zeros(X1.shape[1])
ref_iters = 0
for ref_iters in range(1, 51):
    pr = expit(X1 @ b)
    g = X1.T @ (y - pr)
    H = X1.T @ (X1 * (pr * (1.0 - pr))[:, None])
    step = np.linalg.solve(H, g)
    b = b + step
    if np.max(np.abs(step) / (1.0 + np.abs(b))) < 1e-15:
        break
ref = b
ref_step = float(np.max(np.abs(step) / (1.0 + np.abs(b))))
# cross-check of the reference: newton-cg with a tight tolerance (untimed;
# tol=1e-12 is out of its reach over 1M rows: max_iter iterations, minutes)
tight_ms, tight, tight_iters, tight_conv, _ = fit(solver="newton-cg", tol=1e-10, max_iter=100)
del X1

print("  threads and BLAS (threadpoolctl.threadpool_info() after the fits):")
try:
    from threadpoolctl import threadpool_info
    for p in threadpool_info():
        print("    %s %s: %s threads, %s%s" % (p.get("internal_api"), p.get("version"), p.get("num_threads"),
              p.get("filepath"), (", architecture %s" % p["architecture"]) if p.get("architecture") else ""))
except ImportError:
    print("    (threadpoolctl not importable)")
# threadpoolctl does not list the reference (netlib) BLAS: say which BLAS
# and LAPACK libraries the process really has mapped (symlinks resolved)
maps = set()
with open("/proc/self/maps") as fh:
    for line in fh:
        path = line.split()[-1] if len(line.split()) >= 6 else ""
        base = os.path.basename(path)
        if base.startswith("lib") and any(w in base for w in ("blas", "lapack", "gomp")):
            maps.add(os.path.realpath(path))
print("    libraries mapped: " + (", ".join(sorted(maps)) or "none found"))

ll_ref = loglik(ref)
fmt = lambda v: "(" + ", ".join("%.10g" % x for x in v) + ")"
for name, s in solvers.items():
    warn = "; ".join(str(w.message).split("\n")[0] for w in s["conv"][:1])
    print("  %s: fit times, ms: %s (median %.1f, min %.1f); n_iter_ %d; ConvergenceWarning: %s%s"
          % (name, " ".join("%.1f" % t for t in s["times"]), float(np.median(s["times"])), min(s["times"]),
             s["iters"], ("yes (" + warn + ")") if s["conv"] else "no",
             ("; other warnings: " + "; ".join(str(w.message) for w in s["other"][:2])) if s["other"] else ""))
    print("    coefficients %s; %d distinct result(s) over the %d timed fits" % (fmt(s["coef"]), s["distinct"], runs))
print("  reference, Newton's method in numpy: %d iterations (last relative step %.3g)" % (ref_iters, ref_step))
print("    coefficients %s" % fmt(ref))
print("  cross-check, newton-cg tol=1e-10 max_iter=100 (untimed): n_iter_ %d, ConvergenceWarning %s,"
      " max relative difference from the reference %.3g"
      % (tight_iters, "yes" if tight_conv else "no", relmax(tight, ref)))
print("  generating coefficients %s: max |reference - generating| %.3g (sampling error of %d rows)"
      % (fmt(true_beta), absmax(ref, true_beta), n))

print("  coefficients vs the reference (max over the %d terms of |a - ref| / |ref|; max |a - ref|;"
      " log-likelihood shortfall ll(ref) - ll(a)):" % ref.size)
for label, c in (("ours", ours), ("lbfgs (default tol)", solvers["lbfgs"]["coef"]),
                 ("newton-cg (default tol)", solvers["newton-cg"]["coef"]), ("newton-cg tol=1e-10", tight)):
    print("    %-26s relative %.3g, absolute %.3g, log-likelihood shortfall %.3g"
          % (label, relmax(c, ref), absmax(c, ref), ll_ref - loglik(c)))
print("  ours vs lbfgs (default tol): max relative difference %.3g (relative to lbfgs's coefficients)"
      % relmax(ours, solvers["lbfgs"]["coef"]))
print("  reference log-likelihood %.17g" % ll_ref)

# churn_score: numpy's sigmoid of the same rows with our coefficients
sc_np = expit(ours[0] + X @ ours[1:])
sc_pg = np.loadtxt(out + "/ours_scores.txt", dtype=np.float64)
assert sc_pg.shape == sc_np.shape
np_sum = math.fsum(sc_np.tolist())
sc_rel = float(np.max(np.abs(sc_pg - sc_np) / sc_np))
print("  churn_score: sum %.17g vs numpy (expit, math.fsum) %.17g: relative difference %.3g;"
      " row by row (COPY out vs expit): max relative difference %.3g, %d rows bit-identical of %d"
      % (score_sum, np_sum, abs(score_sum - np_sum) / np_sum, sc_rel, int((sc_pg == sc_np).sum()), n))
print("    scores %.6g..%.6g; distinct scores %d (ties: %d rows share a score with another)"
      % (sc_pg.min(), sc_pg.max(), np.unique(sc_pg).size, n - np.unique(sc_pg).size))

# roc_auc on the very same scores
roc_auc_score(y, sc_pg)  # warm-up
auc_times = []
for _ in range(runs):
    t0 = time.perf_counter()
    sk_auc = roc_auc_score(y, sc_pg)
    auc_times.append((time.perf_counter() - t0) * 1000.0)
np_auc = roc_auc_score(y, sc_np)
print("  roc_auc_score(y, scores): times, ms: %s (median %.1f); %.17g; ours %.17g: difference %.3g"
      % (" ".join("%.1f" % t for t in auc_times), float(np.median(auc_times)), sk_auc, auc, abs(auc - sk_auc)))
print("    (roc_auc_score on numpy's own expit scores: %.17g)" % np_auc)



# roc_curve and average_precision_score on the same scores
def timed_call(f):
    f()  # warm-up
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = f()
        ts.append((time.perf_counter() - t0) * 1000.0)
    return r, ts


(fpr, tpr, thr), roc_times = timed_call(lambda: roc_curve(y, sc_pg))
sk_ap, ap_times = timed_call(lambda: average_precision_score(y, sc_pg))
_, pr_times = timed_call(lambda: precision_recall_curve(y, sc_pg))
y3 = np.round(sc_pg, 3)
_, roc3_times = timed_call(lambda: roc_curve(y, y3))
print("  roc_curve(y, scores): times, ms: %s (median %.1f); %d points, ours %d"
      % (" ".join("%.1f" % t for t in roc_times), float(np.median(roc_times)), len(fpr), roc_points))
print("  average_precision_score(y, scores): times, ms: %s (median %.1f); %.17g, ours %.17g: difference %.3g"
      % (" ".join("%.1f" % t for t in ap_times), float(np.median(ap_times)), sk_ap, ap, abs(ap - sk_ap)))
print("  precision_recall_curve(y, scores): median %.1f ms; roc_curve on the scores rounded to 3 decimals: median %.1f ms"
      % (float(np.median(pr_times)), float(np.median(roc3_times))))
print("SK roc_ms=%.3f" % float(np.median(roc_times)))
print("SK roc_points=%d" % len(fpr))
print("SK ap_ms=%.3f" % float(np.median(ap_times)))
print("SK ap=%.17g" % sk_ap)
print("SK ap_diff=%.3g" % abs(ap - sk_ap))
print("SK pr_ms=%.3f" % float(np.median(pr_times)))
print("SK roc3_ms=%.3f" % float(np.median(roc3_times)))
print("SK lbfgs_ms=%.3f" % float(np.median(solvers["lbfgs"]["times"])))
print("SK newton_ms=%.3f" % float(np.median(solvers["newton-cg"]["times"])))
print("SK lbfgs_min=%.3f" % min(solvers["lbfgs"]["times"]))
print("SK newton_min=%.3f" % min(solvers["newton-cg"]["times"]))
print("SK lbfgs_iters=%d" % solvers["lbfgs"]["iters"])
print("SK newton_iters=%d" % solvers["newton-cg"]["iters"])
print("SK lbfgs_convwarn=%s" % ("yes" if solvers["lbfgs"]["conv"] else "no"))
print("SK newton_convwarn=%s" % ("yes" if solvers["newton-cg"]["conv"] else "no"))
print("SK ref_iters=%d" % ref_iters)
print("SK rel_ref=%.3g" % relmax(ours, ref))
print("SK rel_lbfgs=%.3g" % relmax(ours, solvers["lbfgs"]["coef"]))
print("SK rel_lbfgs_ref=%.3g" % relmax(solvers["lbfgs"]["coef"], ref))
print("SK rel_newton_ref=%.3g" % relmax(solvers["newton-cg"]["coef"], ref))
print("SK rel_tight_ref=%.3g" % relmax(tight, ref))
print("SK score_rel=%.3g" % (abs(score_sum - np_sum) / np_sum))
print("SK score_rowrel=%.3g" % sc_rel)
print("SK np_score_sum=%.17g" % np_sum)
print("SK auc_ms=%.3f" % float(np.median(auc_times)))
print("SK auc=%.17g" % sk_auc)
print("SK auc_diff=%.3g" % abs(auc - sk_auc))
print("SK version=%s" % sklearn.__version__)
PY
)
printf '%s\n' "$sk_out" | grep -v '^SK '
sk() { printf '%s\n' "$sk_out" | sed -n "s/^SK $1=//p"; }
lb_ms=$(sk lbfgs_ms) nc_ms=$(sk newton_ms) skauc_ms=$(sk auc_ms)
rel_ref=$(sk rel_ref) rel_lbfgs=$(sk rel_lbfgs) score_rel=$(sk score_rel) auc_diff=$(sk auc_diff)
echo

# ---------------------------------------------------------------- checks
within() { awk -v e="$1" -v t="$2" 'BEGIN {exit !(e + 0 <= t + 0)}'; }
ok() { if within "$1" "$2"; then echo "within $2"; else echo "NOT WITHIN $2"; fi; }
echo "checks:"
echo "  data: table = numpy arrays: $data_check"
echo "  determinism: $det_check"
echo "  coefficients: ours vs the reference (numpy Newton) max relative difference $rel_ref: $(ok "$rel_ref" 1e-6)"
echo "                (newton-cg tol=1e-10 vs the same reference: $(sk rel_tight_ref))"
echo "  coefficients: ours vs lbfgs default max relative difference $rel_lbfgs; lbfgs vs the reference $(sk rel_lbfgs_ref)," \
	"newton-cg default vs the reference $(sk rel_newton_ref)"
echo "                (the default tol = 1e-4 stops lbfgs early: its distance from the reference is its inaccuracy)"
echo "  iterations: ours $ours_iters (converged: $ours_conv; NOTICE lines $prog_lines; logistic_summary says ${sum_iters:-?}," \
	"converged ${sum_conv:-?}), scikit-learn lbfgs n_iter_ $(sk lbfgs_iters) (ConvergenceWarning: $(sk lbfgs_convwarn))," \
	"newton-cg n_iter_ $(sk newton_iters) (ConvergenceWarning: $(sk newton_convwarn)), numpy Newton $(sk ref_iters)"
echo "  churn_score: sum vs numpy relative difference $score_rel: $(ok "$score_rel" 1e-9);" \
	"row by row max relative difference $(sk score_rowrel)"
echo "  roc_curve: ours $roc_points points, roc_curve $(sk roc_points) points:" \
	"$([ "$roc_points" = "$(sk roc_points)" ] && echo same || echo DIFFERENT);" \
	"average_precision: ours $ap vs average_precision_score $(sk ap): difference $(sk ap_diff): $(ok "$(sk ap_diff)" 1e-12)"
echo "  roc_auc: ours $auc vs roc_auc_score $(sk auc): difference $auc_diff: $(ok "$auc_diff" 1e-12);" \
	"over table s: $sauc ($([ "$sauc" = "$auc" ] && echo same || echo DIFFERENT)); every run same: $auc_same"
echo

# ---------------------------------------------------------------- summary
goal() { awk -v r="$1" 'BEGIN {print (r + 0 <= 1) ? "meets goal <= 1" : "MISSES goal <= 1"}'; }
r_lb=$(bench_calc '%.3f' "$fit_ms / $lb_ms")
r_nc=$(bench_calc '%.3f' "$fit_ms / $nc_ms")
pr_lb=$(bench_calc '%.3f' "$pfit_ms / $lb_ms")
pr_nc=$(bench_calc '%.3f' "$pfit_ms / $nc_ms")
echo "summary ($ROWS rows x $DIM features; scan alone: count(*) $count_ms ms serial, $pcount_ms ms parallel;" \
	"sum(cardinality(f)) $bare_ms ms):"
minof() { printf '%s\n' $1 | sort -g | head -n 1; }
printf '  %-34s %10s %10s %12s %14s %8s\n' "" median_ms min_ms "vs lbfgs" "vs newton-cg" iters
printf '  %-34s %10.1f %10.1f %12s %14s %8s  %s\n' "ours, serial" "$fit_ms" "$(minof "$fit_times")" "$r_lb" "$r_nc" \
	"$ours_iters" "$(goal "$r_lb")"
printf '  %-34s %10.1f %10.1f %12s %14s %8s  %s\n' "ours, 2 parallel workers" "$pfit_ms" "$(minof "$pfit_times")" "$pr_lb" "$pr_nc" \
	"$ours_iters" "$(goal "$pr_lb")"
printf '  %-34s %10.1f %10.1f %12s %14s %8s\n' "scikit-learn $(sk version) lbfgs" "$lb_ms" "$(sk lbfgs_min)" 1 "" "$(sk lbfgs_iters)"
printf '  %-34s %10.1f %10.1f %12s %14s %8s\n' "scikit-learn $(sk version) newton-cg" "$nc_ms" "$(sk newton_min)" "" 1 "$(sk newton_iters)"
echo "  (vs: median / median; the runs are listed above: this machine's timings vary from run to run)"
per_pass=n/a
if [ "${passes:-0}" -gt 2 ]; then
	per_pass=$(bench_calc '%.1f' "($fit_ms - $fit1_ms) / ($passes - 2)")
fi
echo "  ours, serial, where the time goes: bare scan $bare_ms ms; max_iter = 1 run $fit1_ms ms (scan, collect the rows," \
	"canonical order, 2 passes over the rows); $passes passes in the full fit: each further pass ~$per_pass ms"
echo "  parallel speed-up of logistic_fit (serial / 2 workers): $(bench_calc '%.2f' "$fit_ms / $pfit_ms")x" \
	"(canonical order and the Newton passes run in the leader)"
echo "  EXPLAIN ANALYZE: $explain_note"
echo "  coefficients: ours vs reference $rel_ref (goal 1e-6), ours vs lbfgs $rel_lbfgs, lbfgs vs reference $(sk rel_lbfgs_ref)"
score_ratio=$(bench_calc '%.3f' "$score_ms / $score_bare_ms")
score_own=$(bench_calc '%.1f' "($score_ms - $score_bare_ms) * 1e6 / $ROWS")
echo "  churn_score: $score_ms ms vs bare scan $score_bare_ms ms = ${score_ratio}x (pooled medians, alternating rounds);" \
	"$(bench_calc '%.2f' "$ROWS / ($score_ms / 1000) / 1e6") M rows/s; own cost ~$score_own ns/row$(
		awk -v o="$score_own" 'BEGIN {if (o + 0 < 0) print " (negative: below the session-to-session noise of these timings)"}')"
auc_ratio=$(bench_calc '%.3f' "$auc_ms / $skauc_ms")
sauc_ratio=$(bench_calc '%.3f' "$sauc_ms / $skauc_ms")
echo "  roc_auc: roc_auc(churn_score(f, coef), y) over t $auc_ms ms (churn_score alone $score_ms ms);" \
	"roc_auc(score, y) over table s $sauc_ms ms (count(*) of s $scount_ms ms);"
echo "           roc_auc_score on the score array in memory $skauc_ms ms: ratios ${auc_ratio}x (t) and ${sauc_ratio}x (s)"
wr_lb=$(bench_calc '%.3f' "$wfit_ms / $wlb_ms")
wr_nc=$(bench_calc '%.3f' "$wfit_ms / $wnc_ms")
pwr_lb=$(bench_calc '%.3f' "$pwfit_ms / $wlb_ms")
echo "  weighted (tw, $ROWS rows of which $(bench_sql "SELECT count(*) FILTER (WHERE w > 0) FROM tw") of weight > 0):" \
	"logistic_fit_weighted serial $wfit_ms ms, 2 workers $pwfit_ms ms; scikit-learn sample_weight lbfgs $wlb_ms ms," \
	"newton-cg $wnc_ms ms: ratios ${wr_lb}x (serial / lbfgs, $(goal "$wr_lb")), ${pwr_lb}x (2 workers / lbfgs)," \
	"${wr_nc}x (serial / newton-cg)"
echo "    coefficients: ours vs the weighted reference $wrel (goal 1e-6; lbfgs $(skw lbfgs_rel), newton-cg $(skw newtoncg_rel));" \
	"$wdet_check; weight 1 over t: $w1_ms ms ($w1_check)"
roc_ratio=$(bench_calc '%.3f' "$roc_ms / $(sk roc_ms)")
ap_ratio=$(bench_calc '%.3f' "$ap_ms / $(sk ap_ms)")
both_ratio=$(bench_calc '%.3f' "$both_ms / ($(sk roc_ms) + $(sk ap_ms))")
pr_ratio=$(bench_calc '%.3f' "$pr_ms / $(sk pr_ms)")
roc3_ratio=$(bench_calc '%.3f' "$roc3_ms / $(sk roc3_ms)")
echo "  curves over table s (count(*) $scount_ms ms): roc_curve $roc_ms ms ($roc_points points; every point: $roc_all_ms ms," \
	"$roc_all_points points) vs scikit-learn $(sk roc_ms) ms = ${roc_ratio}x;"
echo "           average_precision $ap_ms ms vs average_precision_score $(sk ap_ms) ms = ${ap_ratio}x;" \
	"both in one query (one sort) $both_ms ms vs the two calls $(bench_calc '%.1f' "$(sk roc_ms) + $(sk ap_ms)") ms = ${both_ratio}x;" \
	"2 workers: $pboth_ms ms"
echo "           precision_recall_curve $pr_ms ms vs $(sk pr_ms) ms = ${pr_ratio}x; gains_table $gains_ms ms;" \
	"scores rounded to 3 decimals: roc_curve $roc3_ms ms ($roc3_points points)" \
	"vs $(sk roc3_ms) ms = ${roc3_ratio}x"
echo "  memory: logistic_fit serial $fit_mem; parallel (leader) $pfit_mem; roc_auc over t $auc_mem"
echo "          (the rows: $(bench_calc '%.0f' "$ROWS * ($DIM + 1) * 8 / 1048576") MB as (d + 1) float8 each)"
echo "          logistic_fit_weighted serial $wfit_mem; parallel (leader) $pwfit_mem (rows of d + 2 float8)"
echo "  load avg at the end: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"

bench_line "name=logistic_fit_serial rows=$ROWS dim=$DIM ours_ms=$fit_ms alt_ms=$lb_ms ratio=$r_lb" \
	"ours_min_ms=$(minof "$fit_times") alt_min_ms=$(sk lbfgs_min) fixed_ms=$fit1_ms passes=$passes" \
	"newton_cg_ms=$nc_ms ratio_newton_cg=$r_nc iters=$ours_iters alt_iters=$(sk lbfgs_iters)" \
	"alt_convergence_warning=$(sk lbfgs_convwarn) rel_diff_ref=$rel_ref rel_diff_lbfgs=$rel_lbfgs" \
	"vmhwm_mb=$(mem_mb "$fit_mem") private_mb=$(priv_mb "$fit_mem")"
bench_line "name=logistic_fit_parallel2 rows=$ROWS dim=$DIM ours_ms=$pfit_ms alt_ms=$lb_ms ratio=$pr_lb" \
	"ratio_newton_cg=$pr_nc serial_ms=$fit_ms speedup=$(bench_calc '%.2f' "$fit_ms / $pfit_ms") plan_ok=$plan_ok" \
	"same_model=$([ "$pfit_coef" = "$fit_coef" ] && [ "$pfit_same" = yes ] && echo yes || echo no)" \
	"vmhwm_mb=$(mem_mb "$pfit_mem") private_mb=$(priv_mb "$pfit_mem")"
bench_line "name=churn_score rows=$ROWS dim=$DIM ours_ms=$score_ms alt_ms=$score_bare_ms ratio=$score_ratio" \
	"own_ns_per_row=$score_own rel_diff_numpy=$score_rel"
bench_line "name=roc_auc rows=$ROWS ours_ms=$auc_ms alt_ms=$skauc_ms ratio=$auc_ratio" \
	"precomputed_ms=$sauc_ms ratio_precomputed=$sauc_ratio auc=$auc alt_auc=$(sk auc) diff=$auc_diff"
bench_line "name=roc_curve rows=$ROWS ours_ms=$roc_ms alt_ms=$(sk roc_ms) ratio=$roc_ratio points=$roc_points" \
	"alt_points=$(sk roc_points) all_points_ms=$roc_all_ms rounded3_ms=$roc3_ms rounded3_alt_ms=$(sk roc3_ms)" \
	"rounded3_ratio=$roc3_ratio"
bench_line "name=average_precision rows=$ROWS ours_ms=$ap_ms alt_ms=$(sk ap_ms) ratio=$ap_ratio ap=$ap" \
	"alt_ap=$(sk ap) diff=$(sk ap_diff) both_ms=$both_ms both_ratio=$both_ratio parallel2_both_ms=$pboth_ms" \
	"parallel_plan_ok=$curve_plan_ok"
bench_line "name=precision_recall_curve rows=$ROWS ours_ms=$pr_ms alt_ms=$(sk pr_ms) ratio=$pr_ratio points=$pr_points"
LB="scikit-learn LogisticRegression (lbfgs)"
bench_result churn "logistic_fit, serial" "$ROWS x $DIM" "$fit_ms" "$LB" "$lb_ms" "$(mem_mb "$fit_mem")" "$(priv_mb "$fit_mem")"
bench_result churn "logistic_fit, 2 workers" "$ROWS x $DIM" "$pfit_ms" "$LB" "$lb_ms" "$(mem_mb "$pfit_mem")" "$(priv_mb "$pfit_mem")"
bench_result churn churn_score "$ROWS x $DIM" "$score_ms" "bare scan" "$score_bare_ms" "$score_hwm" "$score_priv"
bench_line "name=logistic_fit_weighted_serial rows=$ROWS dim=$DIM ours_ms=$wfit_ms alt_ms=$wlb_ms ratio=$wr_lb" \
	"newton_cg_ms=$wnc_ms ratio_newton_cg=$wr_nc parallel2_ms=$pwfit_ms ratio_parallel2=$pwr_lb weight1_ms=$w1_ms" \
	"rel_diff_ref=$wrel same_model=$([ "$pwfit_coef" = "$wfit_coef" ] && [ "$pwfit_same" = yes ] && echo yes || echo no)" \
	"vmhwm_mb=$(mem_mb "$wfit_mem") private_mb=$(priv_mb "$wfit_mem")"
LBW="scikit-learn LogisticRegression (lbfgs), sample_weight"
bench_result churn "logistic_fit_weighted, serial" "$ROWS x $DIM" "$wfit_ms" "$LBW" "$wlb_ms" "$(mem_mb "$wfit_mem")" "$(priv_mb "$wfit_mem")"
bench_result churn "logistic_fit_weighted, 2 workers" "$ROWS x $DIM" "$pwfit_ms" "$LBW" "$wlb_ms" "$(mem_mb "$pwfit_mem")" "$(priv_mb "$pwfit_mem")"
bench_result churn "roc_auc(churn_score)" "$ROWS rows" "$auc_ms" "scikit-learn roc_auc_score (in memory)" "$skauc_ms" "$auc_hwm" "$auc_priv"
bench_result churn "roc_curve(score, y)" "$ROWS rows" "$roc_ms" "scikit-learn roc_curve (in memory)" "$(sk roc_ms)" "$roc_hwm" "$roc_priv"
bench_result churn "average_precision(score, y)" "$ROWS rows" "$ap_ms" "scikit-learn average_precision_score (in memory)" "$(sk ap_ms)" "$ap_hwm" "$ap_priv"
bench_print_lines
