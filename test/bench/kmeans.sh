#!/usr/bin/env bash
# test/bench/kmeans.sh: the kmeans aggregate (scan included) against
# scikit-learn's KMeans fit on the same numbers already in a numpy array,
# plus kmeans_assign throughput against a bare scan, and the full
# silhouette (silhouette_score) against scikit-learn's silhouette_score.
#
# Not a test: prints a plain-text report and, at the end, machine-readable
# "BENCH name=... ours_ms=... alt_ms=... ratio=..." lines (ratio = ours /
# scikit-learn for kmeans, the issue's goal is ratio <= 1, stretch <= 0.5;
# ours / bare scan for kmeans_assign).
#
# Data: BENCH_ROWS points in BENCH_DIM dimensions, overlapping Gaussian
# blobs: BENCH_K centres drawn from N(0, 1.5^2) per coordinate, each point
# a uniformly drawn centre plus N(0, 1) noise per coordinate (numpy
# default_rng(BENCH_SEED)).  Generated once with numpy (Debian's
# /usr/bin/python3), written to the cluster's temporary directory as .npy
# (for scikit-learn) and as text arrays with Python's shortest round-trip
# repr (COPY into t(f float8[])); a COPY back out is compared with the file,
# so both sides cluster bit-identical numbers.
#
# Fixed work on both sides: k = BENCH_K, seed 0, max_iter = BENCH_ITER,
# tolerance 0: both stop early only on strict convergence (no label
# changes), and the report shows the iterations each ran.  When they differ
# (with the default data both converge before 30 iterations), the side that
# ran more is also timed with max_iter = the other's count ("equal work"),
# and max_iter = 1 runs split fixed costs from the cost per iteration.
#
#   ours:         SELECT kmeans(f, k, 0, max_iter, 0) FROM t, serial and
#                 with 2 parallel workers (parallel scan and accumulation;
#                 seeding and iterations run in the leader)
#   scikit-learn: KMeans(n_clusters=k, n_init=1, algorithm='lloyd',
#                 max_iter, tol=0, init='k-means++', random_state=0).fit(X),
#                 X in memory; time.perf_counter around fit() only; its
#                 default threads (OpenMP, one per core); run with
#                 OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from the
#                 environment (they can slow OpenBLAS down); the report
#                 lists threadpoolctl's view and the BLAS/LAPACK/OpenMP
#                 libraries the process mapped (Debian's default libblas3
#                 is the reference BLAS, which threadpoolctl does not list)
#
# Needs aimarketing installed into PostgreSQL 15 first (scripts/test.sh does
# it); AIM_BENCH_BUILD=1 builds and installs it before running.  Runs on its
# own throwaway cluster with shared_buffers = 2GB (the table, ~110 MB, is
# loaded into shared_buffers with pg_prewarm, so runs measure CPU, not I/O).
#
#   BENCH_ROWS=1000000    points
#   BENCH_DIM=8           features per point
#   BENCH_K=8             clusters (and blob centres)
#   BENCH_ITER=30         max_iter on both sides
#   BENCH_SEED=42         numpy seed of the data
#   BENCH_RUNS=5          timed runs / fits per measurement (after one warm-up)
#   BENCH_FIXED_RUNS=3    timed runs of the max_iter = 1 breakdown (both sides)
#   BENCH_SIL_ROWS=20000  rows of the full silhouette comparison
#   BENCH_SIL_SAMPLE=5000 sample_size of the sampled silhouette (all rows)
#
# Full silhouette: the first BENCH_SIL_ROWS points of the data with their
# clusters from our model (kmeans_assign), in a table ts(f, c) loaded from
# the same numbers as a numpy array X, labels y.
#
#   ours:         SELECT silhouette_score(f, c) FROM ts, serial (the
#                 distances are computed by the leader in any plan); wall
#                 clock (psql \timing) and the backend's CPU time
#                 (/proc/<pid>/schedstat over the timed runs)
#   scikit-learn: silhouette_score(X, y) (Euclidean; its chunked
#                 pairwise_distances, BLAS threads); time.perf_counter and
#                 time.process_time (CPU of all its threads) around the call
#
# and the sampled form over all BENCH_ROWS rows: silhouette_score(f, c,
# BENCH_SIL_SAMPLE) vs silhouette_score(X, y, sample_size=BENCH_SIL_SAMPLE,
# random_state=0) (different samples: the values differ a little).
#
# Takes about 3-4 minutes on 2 cores.
set -euo pipefail
AIM_EXTRA_PACKAGES="python3-sklearn python3-numpy ${AIM_EXTRA_PACKAGES:-}"
. "$(dirname "$0")/bench_lib.sh"

ROWS=${BENCH_ROWS:-$(bench_size 1000000 100000)}
DIM=${BENCH_DIM:-8}
K=${BENCH_K:-8}
ITER=${BENCH_ITER:-30}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-5}
FIXED_RUNS=${BENCH_FIXED_RUNS:-3}
SIL_ROWS=${BENCH_SIL_ROWS:-$(bench_size 20000 5000)}
SIL_SAMPLE=${BENCH_SIL_SAMPLE:-5000}
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

bench_header "aimarketing benchmark: kmeans() vs scikit-learn KMeans (Lloyd)"

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
echo "data: $ROWS points x $DIM features, $K overlapping Gaussian blobs: centres ~ N(0, 1.5^2) per coordinate,"
echo "  each point = a uniformly drawn centre + N(0, 1) noise; numpy default_rng($SEED)"
t0=$(date +%s.%N)
$PY - "$ROWS" "$DIM" "$K" "$SEED" "$DATA" <<'PY'
import sys
import numpy as np

n, d, k, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = np.random.default_rng(seed)
centres = rng.normal(0.0, 1.5, size=(k, d))
labels = rng.integers(0, k, size=n)
X = centres[labels] + rng.standard_normal((n, d))
X = np.ascontiguousarray(X, dtype=np.float64)
np.save(out + "/X.npy", X)
np.save(out + "/true_centres.npy", centres)
np.save(out + "/true_labels.npy", labels)
# Python's repr is the shortest string that reads back as the same double
with open(out + "/t.copy", "w") as fh:
    for row in X.tolist():
        fh.write("{" + ",".join(map(repr, row)) + "}\n")
sizes = np.bincount(labels, minlength=k)
# inertia of the generating centres: a yardstick for the fitted ones
gen_inertia = float(((X - centres[labels]) ** 2).sum())
dc = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(-1))
dc = dc[np.triu_indices(k, 1)]
print("  blob sizes %d..%d; distance between blob centres %.2f..%.2f (median %.2f; noise sd 1 per coordinate)"
      % (sizes.min(), sizes.max(), dc.min(), dc.max(), np.median(dc)))
print("  inertia around the generating centres %.6g" % gen_inertia)
PY
t1=$(date +%s.%N)
{
	echo "BEGIN;"
	echo "CREATE TABLE t (f float8[] NOT NULL);"
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
echo "  $(bench_sql "SELECT format('table t: %s rows, %s (heap %s pages, %s bytes/row on disk); element count %s..%s',
	count(*), pg_size_pretty(pg_table_size('t')), pg_relation_size('t') / 8192,
	round(pg_table_size('t')::numeric / count(*)), min(cardinality(f)), max(cardinality(f)))
	FROM t")"
# the table must hold exactly the numbers scikit-learn gets: PostgreSQL
# prints float8 as the shortest round-trip string too, so COPY back out
# (heap order = load order) should reproduce the file byte for byte
"${BENCH_PSQL[@]}" -c "SET max_parallel_workers_per_gather = 0" \
	-c "COPY (SELECT f FROM t) TO STDOUT" >"$DATA/t.out"
if cmp -s "$DATA/t.copy" "$DATA/t.out"; then
	data_check="identical (COPY TO output = loaded file, byte for byte)"
else
	data_check=$($PY - "$DATA" <<'PY'
import sys
import numpy as np
out = sys.argv[1]
X = np.load(out + "/X.npy")
rows = [list(map(float, l.strip()[1:-1].split(","))) for l in open(out + "/t.out")]
Y = np.array(rows, dtype=np.float64)
if Y.shape != X.shape:
    print("MISMATCH: shapes %s vs %s" % (Y.shape, X.shape))
elif np.array_equal(X, Y):
    print("identical values (text differs from the file, values are equal)")
else:
    print("MISMATCH: %d of %d values differ" % (int((X != Y).sum()), X.size))
PY
)
fi
rm -f "$DATA/t.out"
echo "  table vs numpy array: $data_check"
echo "  $(bench_prewarm t)"
echo

SERIAL="SET max_parallel_workers_per_gather = 0; SET jit = off;"
PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET jit = off;"
Q_KM="SELECT kmeans(f, $K, 0, $ITER, 0) FROM t"
Q_KM1="SELECT kmeans(f, $K, 0, 1, 0) FROM t"
# bench_report with the model (k x d centroids) cut short
bench_report_model() {
	local full=$BENCH_RESULT
	[ ${#BENCH_RESULT} -le 90 ] || BENCH_RESULT="${BENCH_RESULT:0:90}...}"
	bench_report "$1"
	BENCH_RESULT=$full
}
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
bench_run "$RUNS" "$SERIAL" "$Q_KM"
bench_report_model "kmeans(f, $K, 0, $ITER, 0)"
km_ms=$BENCH_MEDIAN km_model=$BENCH_RESULT km_same=$BENCH_SAME km_mem=$BENCH_MEM km_times=$BENCH_TIMES
bench_run "$FIXED_RUNS" "$SERIAL" "$Q_KM1"
bench_report_model "kmeans(f, $K, 0, 1, 0) (fixed costs)"
km1_ms=$BENCH_MEDIAN
bench_run "$FIXED_RUNS" "$SERIAL" "SELECT kmeans(f, 1, 0, 1, 0) FROM t"
bench_report_model "kmeans(f, 1, 0, 1, 0) (no clustering)"
kk1_ms=$BENCH_MEDIAN
echo "  (max_iter = 1: scan, collecting the points, canonical sort, k-means++ seeding and one"
echo "   assignment + update; the $ITER-iteration run minus this is the cost of the remaining iterations."
echo "   k = 1, max_iter = 1: the same without the clustering work: scan, collect, canonical sort, variance)"
echo

case $km_model in
'{{'*'}}') ;;
*) bench_die "kmeans returned no model: $km_model" ;;
esac
printf '%s\n' "$km_model" >"$DATA/ours_model.txt"

# ---------------------------------------------------------------- ours, parallel
bench_parallel_plan "$Q_KM" kmeans
bench_run "$RUNS" "$PARALLEL" "SELECT count(*) FROM t"
bench_report "count(*) (scan only)"
pcount_ms=$BENCH_MEDIAN
bench_run "$RUNS" "$PARALLEL" "$Q_KM"
bench_report_model "kmeans(f, $K, 0, $ITER, 0)"
pkm_ms=$BENCH_MEDIAN pkm_model=$BENCH_RESULT pkm_same=$BENCH_SAME pkm_mem=$BENCH_MEM
bench_run "$FIXED_RUNS" "$PARALLEL" "$Q_KM1"
bench_report_model "kmeans(f, $K, 0, 1, 0) (fixed costs)"
pkm1_ms=$BENCH_MEDIAN
if [ "$pkm_model" = "$km_model" ] && [ "$pkm_same" = yes ] && [ "$km_same" = yes ]; then
	det_check="identical centroids in every serial and parallel run"
else
	det_check="MISMATCH: serial runs same=$km_same, parallel runs same=$pkm_same, parallel = serial: $([ "$pkm_model" = "$km_model" ] && echo yes || echo no)"
fi
echo "  determinism: $det_check"
echo

# ---------------------------------------------------------------- kmeans_assign
M="'$km_model'::float8[]"
echo "kmeans_assign over all rows with the serial model (serial):"
bench_run "$RUNS" "$SERIAL" "SELECT sum(kmeans_assign(f, $M)) FROM t"
bench_report "sum(kmeans_assign(f, <model>))"
asg_ms=$BENCH_MEDIAN asg_res=$BENCH_RESULT asg_hwm=$BENCH_HWM_MB asg_priv=$BENCH_PRIV_MB
echo "  (bare scan = sum(cardinality(f)): the same scan, fetching the array through fmgr, one sum())"
echo

# ---------------------------------------------------------------- untimed
echo "untimed runs:"
echo "  the model (kmeans(f, $K, 0, $ITER, 0), serial): $km_model"
progress=$(bench_sql "$SERIAL" "SET aimarketing.progress = on" "$Q_KM" 2>&1 >/dev/null)
prog_iters=$(printf '%s\n' "$progress" | grep -c 'kmeans iteration ' || true)
ours_iters=$(printf '%s\n' "$progress" | sed -n 's/.*kmeans: .* \([0-9][0-9]*\) iterations.*/\1/p' | tail -n 1)
echo "  with aimarketing.progress = on ($prog_iters per-iteration NOTICEs); first, last two and final NOTICE:"
printf '%s\n' "$progress" | grep 'kmeans iteration ' | sed -n '1p' | sed 's/^/    /'
printf '%s\n' "$progress" | grep 'kmeans iteration ' | tail -n 2 | sed 's/^/    /'
printf '%s\n' "$progress" | grep 'kmeans: ' | sed 's/^/    /'
ours_inertia=$(bench_sql "$SERIAL" "SELECT kmeans_inertia(f, $M) FROM t")
echo "  kmeans_inertia(f, <model>) = $ours_inertia"
# every row's assignment, in heap order (= the numpy array's order), for
# the cross-checks in numpy below
"${BENCH_PSQL[@]}" -c "SET max_parallel_workers_per_gather = 0" \
	-c "COPY (SELECT kmeans_assign(f, $M) FROM t) TO STDOUT" >"$DATA/ours_assign.txt"
echo

# ---------------------------------------------------------------- scikit-learn
echo "scikit-learn: KMeans(n_clusters=$K, n_init=1, algorithm='lloyd', max_iter=$ITER, tol=0, init='k-means++',"
echo "  random_state=0).fit(X), X the same array in memory (float64, C order); time.perf_counter around fit();"
echo "  one warm-up fit, then median of $RUNS fits (and $FIXED_RUNS with max_iter=1); default threads;"
echo "  run as: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY; load avg before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  (its OpenMP threads use both cores: another busy process on the machine slows it more than our"
echo "   single backend; the fit times are listed so that outliers show)"
sk_out=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY - "$DATA" "$K" "$ITER" "$RUNS" "$FIXED_RUNS" "$ROWS" "${ours_iters:-0}" <<'PY'
import sys
import time

import numpy as np

out, k, max_iter, runs, fixed_runs, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
ours_iters = int(sys.argv[7])
X = np.load(out + "/X.npy")
assert X.shape[0] == n and X.flags["C_CONTIGUOUS"] and X.dtype == np.float64

import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from scipy.optimize import linear_sum_assignment


def fit(iters):
    km = KMeans(n_clusters=k, n_init=1, algorithm="lloyd", max_iter=iters, tol=0,
                init="k-means++", random_state=0)
    t0 = time.perf_counter()
    km.fit(X)
    return (time.perf_counter() - t0) * 1000.0, km


fit(max_iter)  # warm-up
res = [fit(max_iter) for _ in range(runs)]
times = [r[0] for r in res]
km = res[-1][1]
inertias = sorted(set(float(r[1].inertia_) for r in res))
fixed = [fit(1)[0] for _ in range(fixed_runs)]
# equal work: if ours stopped (strict convergence) before scikit-learn did,
# also time scikit-learn with max_iter = our iteration count
eq = None
if 0 < ours_iters < km.n_iter_:
    fit(ours_iters)
    eq = [fit(ours_iters) for _ in range(runs)]

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
import os
maps = set()
with open("/proc/self/maps") as fh:
    for line in fh:
        path = line.split()[-1] if len(line.split()) >= 6 else ""
        base = os.path.basename(path)
        if base.startswith("lib") and any(w in base for w in ("blas", "lapack", "gomp")):
            maps.add(os.path.realpath(path))
print("    libraries mapped: " + (", ".join(sorted(maps)) or "none found"))
print("  fit times, ms: " + " ".join("%.1f" % t for t in times) + " (median %.1f, min %.1f)"
      % (float(np.median(times)), min(times)))
print("  max_iter=1 fit times, ms: " + " ".join("%.1f" % t for t in fixed))
print("  n_iter_ %d, inertia_ %.17g (%d distinct inertia_ over the %d timed fits)"
      % (km.n_iter_, km.inertia_, len(inertias), runs))

# cross-checks of our model, in numpy (untimed)
C = np.array([float(v) for v in open(out + "/ours_model.txt").read().strip().replace("{", "").replace("}", "").split(",")])
C = C.reshape(k, X.shape[1])
ours_assign = np.loadtxt(out + "/ours_assign.txt", dtype=np.int64)
lab = np.empty(n, dtype=np.int64)
mind = np.empty(n)
for s in range(0, n, 100000):
    D = ((X[s:s + 100000, None, :] - C[None, :, :]) ** 2).sum(-1)
    lab[s:s + 100000] = D.argmin(1)        # ties: lowest index, as kmeans_assign
    mind[s:s + 100000] = D.min(1)
np_inertia = float(np.sum(mind))
mism = int((ours_assign - 1 != lab).sum())
ari = adjusted_rand_score(km.labels_, lab)
Cs = km.cluster_centers_
cost = np.sqrt(((C[:, None, :] - Cs[None, :, :]) ** 2).sum(-1))
r, c = linear_sum_assignment(cost)
true_c = np.load(out + "/true_centres.npy")
true_lab = np.load(out + "/true_labels.npy")
print("  our model checked in numpy: kmeans_assign vs numpy argmin over all rows: %d mismatches; inertia %.17g"
      % (mism, np_inertia))
print("  our clusters vs scikit-learn's: adjusted Rand index %.6f; centroids matched one to one (Hungarian):"
      " distance max %.3g, mean %.3g" % (ari, cost[r, c].max(), cost[r, c].mean()))
print("  adjusted Rand index vs the generating blobs: ours %.4f, scikit-learn %.4f"
      % (adjusted_rand_score(true_lab, lab), adjusted_rand_score(true_lab, km.labels_)))
print("SK median_ms=%.3f" % float(np.median(times)))
print("SK fixed_ms=%.3f" % float(np.median(fixed)))
if eq is not None:
    print("  max_iter=%d fit times, ms: %s; n_iter_ %d, inertia_ %.17g"
          % (ours_iters, " ".join("%.1f" % r[0] for r in eq), eq[-1][1].n_iter_, eq[-1][1].inertia_))
    print("SK eq_ms=%.3f" % float(np.median([r[0] for r in eq])))
    print("SK eq_iters=%d" % eq[-1][1].n_iter_)
print("SK n_iter=%d" % km.n_iter_)
print("SK inertia=%.17g" % km.inertia_)
print("SK distinct_inertia=%d" % len(inertias))
print("SK np_inertia=%.17g" % np_inertia)
print("SK assign_mismatches=%d" % mism)
print("SK ari=%.6f" % ari)
print("SK version=%s" % sklearn.__version__)
PY
)
printf '%s\n' "$sk_out" | grep -v '^SK '
sk() { printf '%s\n' "$sk_out" | sed -n "s/^SK $1=//p"; }
sk_ms=$(sk median_ms) sk1_ms=$(sk fixed_ms) sk_iters=$(sk n_iter) sk_inertia=$(sk inertia)
np_inertia=$(sk np_inertia) asg_mism=$(sk assign_mismatches) ari=$(sk ari)
echo

# ---------------------------------------------------------------- equal work
# With tolerance 0 both sides still stop at strict convergence (no label
# changes), which the data may reach before max_iter: then also time the
# side that ran more iterations with max_iter = the other's count.
eq_iters='' eq_ours_ms='' eq_sk_ms=''
if [ -n "${ours_iters:-}" ] && [ "$ours_iters" != "$sk_iters" ]; then
	if [ "$ours_iters" -lt "$sk_iters" ]; then
		eq_iters=$ours_iters eq_ours_ms=$km_ms eq_sk_ms=$(sk eq_ms)
		echo "equal work: scikit-learn with max_iter = $ours_iters (our iteration count; it ran $(sk eq_iters)): $eq_sk_ms ms"
	else
		eq_iters=$sk_iters eq_sk_ms=$sk_ms
		echo "equal work: ours with max_iter = $sk_iters (scikit-learn's iteration count), serial:"
		bench_run "$RUNS" "$SERIAL" "SELECT kmeans(f, $K, 0, $sk_iters, 0) FROM t"
		bench_report_model "kmeans(f, $K, 0, $sk_iters, 0)"
		eq_ours_ms=$BENCH_MEDIAN
	fi
	echo
fi

# ---------------------------------------------------------------- checks
relerr() { awk -v a="$1" -v b="$2" 'BEGIN {
	d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
	if (m == 0) print (d == 0 ? 0 : "inf"); else printf "%.3g\n", d / m }'; }
asg_expect=$(awk '{s += $1} END {printf "%d\n", s}' "$DATA/ours_assign.txt")
inertia_ratio=$(bench_calc '%.6f' "$ours_inertia / $sk_inertia")
echo "checks:"
echo "  data: table = numpy array: $data_check"
echo "  determinism: $det_check"
echo "  sum(kmeans_assign) $asg_res (timed query) vs $asg_expect (row by row dump): $([ "$asg_res" = "$asg_expect" ] && echo same || echo MISMATCH);" \
	"row by row vs numpy argmin: $asg_mism mismatches"
echo "  kmeans_inertia $ours_inertia vs numpy with our centroids $np_inertia: relative difference $(relerr "$ours_inertia" "$np_inertia")"
echo "  iterations: ours $ours_iters (NOTICE lines $prog_iters), scikit-learn n_iter_ $sk_iters (max_iter $ITER)"
if [ "${ours_iters:-0}" != "$ITER" ] || [ "$sk_iters" != "$ITER" ]; then
	echo "  NOTE: not both ran $ITER iterations (strict convergence stops earlier): the work differs"
fi
echo "  inertia: ours $ours_inertia, scikit-learn $sk_inertia, ours/scikit-learn $inertia_ratio" \
	"($(awk -v r="$inertia_ratio" 'BEGIN {print (r <= 1.01) ? "within 1% or better" : "MORE THAN 1% WORSE"}'))"
echo "  partitions: adjusted Rand index ours vs scikit-learn $ari"
echo

# ---------------------------------------------------------------- silhouette
# the first SIL_ROWS points with our clusters, as a table and as numpy arrays
$PY - "$DATA" "$SIL_ROWS" <<'PY'
import sys
import numpy as np
out, m = sys.argv[1], int(sys.argv[2])
X = np.load(out + "/X.npy")[:m]
y = np.loadtxt(out + "/ours_assign.txt", dtype=np.int64)
np.save(out + "/sil_y_all.npy", y)
y = y[:m]
np.save(out + "/sil_X.npy", X)
np.save(out + "/sil_y.npy", y)
with open(out + "/ts.copy", "w") as fh:
    for row, c in zip(X.tolist(), y.tolist()):
        fh.write("{" + ",".join(map(repr, row)) + "}\t%d\n" % c)
PY
{
	echo "BEGIN;"
	echo "CREATE TABLE ts (f float8[] NOT NULL, c int NOT NULL);"
	echo "COPY ts FROM STDIN;"
	cat "$DATA/ts.copy"
	echo '\.'
	echo "COMMIT;"
} | "${BENCH_PSQL[@]}" >/dev/null
bench_sql "VACUUM ANALYZE ts" >/dev/null
# ta(f, c): every point with its cluster, for the sampled form
bench_sql "CREATE TABLE ta AS SELECT f, kmeans_assign(f, $M) AS c FROM t" "VACUUM ANALYZE ta" >/dev/null
echo "  $(bench_prewarm ta)"

# sil_cpu QUERY: the backend's CPU time per run (ms), median of RUNS runs
# after a warm-up, from /proc/<pid>/schedstat (ns on CPU) around each run
sil_cpu() {
	local script out
	script=$(
		printf '%s\n' "$SERIAL"
		printf 'SELECT pg_backend_pid() AS bench_pid \\gset\n'
		printf '\\setenv BENCH_PID :bench_pid\n'
		printf '%s;\n' "$1"
		for ((i = 0; i < RUNS; i++)); do
			printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
			printf '%s;\n' "$1"
		done
		printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
	)
	out=$(printf '%s\n' "$script" | "${BENCH_PSQL[@]}" 2>&1)
	printf '%s\n' "$out" | awk '$1 == "CPU" {if (NR > 0 && prev != "") print ($2 - prev) / 1e6; prev = $2}' | bench_median
}

echo "full silhouette: $SIL_ROWS points x $DIM features (the first of the data), clusters = our model's"
echo "  ($(bench_calc '%.0f' "$SIL_ROWS * ($SIL_ROWS - 1) / 2") distances); serial:"
Q_SIL="SELECT silhouette_score(f, c) FROM ts"
bench_run "$RUNS" "$SERIAL" "$Q_SIL"
bench_report "silhouette_score(f, c)"
sil_ms=$BENCH_MEDIAN sil_res=$BENCH_RESULT sil_same=$BENCH_SAME sil_mem=$BENCH_MEM
sil_cpu_ms=$(sil_cpu "$Q_SIL")
echo "  backend CPU time per run (schedstat): median $sil_cpu_ms ms"
Q_SILS="SELECT silhouette_score(f, c, $SIL_SAMPLE) FROM ta"
echo "sampled silhouette: all $ROWS points, sample_size $SIL_SAMPLE (scan and collection of every row included):"
bench_run "$RUNS" "$SERIAL" "$Q_SILS"
bench_report "silhouette_score(f, c, $SIL_SAMPLE)"
sils_ms=$BENCH_MEDIAN sils_res=$BENCH_RESULT sils_same=$BENCH_SAME
sils_cpu_ms=$(sil_cpu "$Q_SILS")
echo "  backend CPU time per run (schedstat): median $sils_cpu_ms ms"
bench_run "$RUNS" "$PARALLEL" "$Q_SILS"
bench_report "silhouette_score(f, c, $SIL_SAMPLE), 2 workers"
psils_ms=$BENCH_MEDIAN psils_res=$BENCH_RESULT
echo "  the same sample in the parallel plan: $([ "$psils_res" = "$sils_res" ] && echo yes || echo NO)"
echo "scikit-learn silhouette_score (load avg before: $(cut -d' ' -f1-3 /proc/loadavg)):"
sil_out=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $PY - "$DATA" "$RUNS" "$SIL_SAMPLE" <<'PY'
import math
import sys
import time

import numpy as np
from sklearn.metrics import silhouette_score

out, runs, sample = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = np.load(out + "/sil_X.npy")
y = np.load(out + "/sil_y.npy")


def timed(f):
    c0, t0 = time.process_time(), time.perf_counter()
    v = f()
    return (time.perf_counter() - t0) * 1000.0, (time.process_time() - c0) * 1000.0, v


timed(lambda: silhouette_score(X, y))  # warm-up
res = [timed(lambda: silhouette_score(X, y)) for _ in range(runs)]
wall = [r[0] for r in res]
cpu = [r[1] for r in res]
print("  silhouette_score(X, y), %d x %d: wall ms %s (median %.1f); CPU ms (all threads) %s (median %.1f); value %r"
      % (X.shape[0], X.shape[1], " ".join("%.1f" % t for t in wall), float(np.median(wall)),
         " ".join("%.1f" % t for t in cpu), float(np.median(cpu)), res[-1][2]))
Xa = np.load(out + "/X.npy")
ya = np.load(out + "/sil_y_all.npy")
timed(lambda: silhouette_score(Xa, ya, sample_size=sample, random_state=0))
ress = [timed(lambda: silhouette_score(Xa, ya, sample_size=sample, random_state=0)) for _ in range(runs)]
print("  silhouette_score(X, y, sample_size=%d, random_state=0), %d rows: wall ms %s (median %.1f);"
      " CPU ms %s (median %.1f); value %r"
      % (sample, Xa.shape[0], " ".join("%.1f" % r[0] for r in ress), float(np.median([r[0] for r in ress])),
         " ".join("%.1f" % r[1] for r in ress), float(np.median([r[1] for r in ress])), ress[-1][2]))
print("SIL wall_ms=%.3f" % float(np.median(wall)))
print("SIL cpu_ms=%.3f" % float(np.median(cpu)))
print("SIL value=%r" % res[-1][2])
print("SIL sample_wall_ms=%.3f" % float(np.median([r[0] for r in ress])))
print("SIL sample_cpu_ms=%.3f" % float(np.median([r[1] for r in ress])))
print("SIL sample_value=%r" % ress[-1][2])
PY
)
printf '%s\n' "$sil_out" | grep -v '^SIL '
silk() { printf '%s\n' "$sil_out" | sed -n "s/^SIL $1=//p"; }
sk_sil_ms=$(silk wall_ms) sk_sil_cpu=$(silk cpu_ms) sk_sil=$(silk value)
sk_sils_ms=$(silk sample_wall_ms) sk_sils=$(silk sample_value) sk_sils_cpu=$(silk sample_cpu_ms)
sil_ratio=$(bench_calc '%.3f' "$sil_ms / $sk_sil_ms")
sil_cpu_ratio=$(bench_calc '%.3f' "$sil_cpu_ms / $sk_sil_cpu")
sils_ratio=$(bench_calc '%.3f' "$sils_ms / $sk_sils_ms")
sils_cpu_ratio=$(bench_calc '%.3f' "$sils_cpu_ms / $sk_sils_cpu")
echo "  value: ours $sil_res, scikit-learn $sk_sil, difference $(awk -v a="$sil_res" -v b="$sk_sil" 'BEGIN {d = a - b; printf "%.3g\n", d < 0 ? -d : d}')" \
	"(same in every run: $sil_same)"
echo "  sampled: ours $sils_res, scikit-learn $sk_sils (different samples of $SIL_SAMPLE)"
echo "  ours / scikit-learn: wall $sil_ratio ($sil_ms / $sk_sil_ms ms), CPU $sil_cpu_ratio ($sil_cpu_ms / $sk_sil_cpu ms);" \
	"sampled (our scan and collection of $ROWS rows included) wall $sils_ratio, CPU $sils_cpu_ratio"
echo

# ---------------------------------------------------------------- summary
# Lloyd's assignment step costs n*k*d multiply-adds per iteration (the
# update step n*d adds more); "Lloyd rate" = that work over the wall time.
# Hamerly's bounds skip most distance computations, so ours can go past
# what plain Lloyd could do.
madds=$(bench_calc '%.0f' "$ROWS * $K * $DIM")
rate() { bench_calc '%.2f' "$madds * $2 / ($1 / 1000) / 1e9"; }
per_iter() { if [ "$3" -gt 1 ]; then bench_calc '%.1f' "($1 - $2) / ($3 - 1)"; else echo n/a; fi; }
iters=${ours_iters:-$ITER}
ratio=$(bench_calc '%.3f' "$km_ms / $sk_ms")
pratio=$(bench_calc '%.3f' "$pkm_ms / $sk_ms")
goal() { awk -v r="$1" 'BEGIN {
	if (r + 0 <= 0.5) print "meets goal <= 1 and stretch <= 0.5"
	else if (r + 0 <= 1) print "meets goal <= 1 (stretch <= 0.5 missed)"
	else print "MISSES goal <= 1" }'; }
echo "summary ($ROWS points x $DIM features, k = $K, max_iter = $ITER, tolerance 0; Lloyd: n*k*d = $madds multiply-adds per iteration):"
printf '  %-34s %10s %10s %10s %9s %12s %14s\n' "" total_ms fixed_ms per_iter iters "vs sklearn" "Lloyd rate"
printf '  %-34s %10.1f %10.1f %10s %9s %12s %9s GMA/s  %s\n' "ours, serial" "$km_ms" "$km1_ms" \
	"$(per_iter "$km_ms" "$km1_ms" "$iters")" "$iters" "$ratio" "$(rate "$km_ms" "$iters")" "$(goal "$ratio")"
printf '  %-34s %10.1f %10.1f %10s %9s %12s %9s GMA/s  %s\n' "ours, 2 parallel workers" "$pkm_ms" "$pkm1_ms" \
	"$(per_iter "$pkm_ms" "$pkm1_ms" "$iters")" "$iters" "$pratio" "$(rate "$pkm_ms" "$iters")" "$(goal "$pratio")"
printf '  %-34s %10.1f %10.1f %10s %9s %12s %9s GMA/s\n' "scikit-learn $(sk version) (lloyd)" "$sk_ms" "$sk1_ms" \
	"$(per_iter "$sk_ms" "$sk1_ms" "$sk_iters")" "$sk_iters" "1" "$(rate "$sk_ms" "$sk_iters")"
if [ -n "$eq_iters" ]; then
	eq_ratio=$(bench_calc '%.3f' "$eq_ours_ms / $eq_sk_ms")
	echo "  equal work ($eq_iters iterations on both sides): ours serial $eq_ours_ms ms, scikit-learn $eq_sk_ms ms," \
		"ours/scikit-learn $eq_ratio"
fi
echo "  (fixed_ms: the max_iter = 1 run; per_iter: (total - fixed) / (iterations - 1); GMA/s: n*k*d*iterations"
echo "   multiply-adds / total time / 1e9, the work plain Lloyd would do, so ours with Hamerly's bounds is an"
echo "   equivalent rate; a bare scan is count(*) $count_ms ms serial, $pcount_ms ms parallel, sum(cardinality(f)) $bare_ms ms)"
echo "  ours, serial, where the time goes: bare scan $bare_ms ms; collect + canonical sort + variance" \
	"$(bench_calc '%.1f' "$kk1_ms - $bare_ms") ms (kmeans(f, 1, 0, 1, 0) $kk1_ms ms - bare scan);" \
	"seeding + first iteration $(bench_calc '%.1f' "$km1_ms - $kk1_ms") ms; the other $((iters - 1)) iterations" \
	"$(bench_calc '%.1f' "$km_ms - $km1_ms") ms"
it_rate() { if [ "$1" = n/a ]; then echo n/a; else bench_calc '%.2f' "$madds / ($1 / 1000) / 1e9"; fi; }
echo "  per iteration (after the first): ours $(per_iter "$km_ms" "$km1_ms" "$iters") ms =" \
	"$(it_rate "$(per_iter "$km_ms" "$km1_ms" "$iters")") GMA/s Lloyd-equivalent (Hamerly skips most distances)," \
	"scikit-learn $(per_iter "$sk_ms" "$sk1_ms" "$sk_iters") ms = $(it_rate "$(per_iter "$sk_ms" "$sk1_ms" "$sk_iters")") GMA/s"
echo "  parallel speed-up of kmeans (serial / 2 workers): $(bench_calc '%.2f' "$km_ms / $pkm_ms")x (the iterations run in the leader)"
asg_ratio=$(bench_calc '%.3f' "$asg_ms / $bare_ms")
asg_own=$(bench_calc '%.1f' "($asg_ms - $bare_ms) * 1e6 / $ROWS")
echo "  kmeans_assign: $asg_ms ms vs bare scan $bare_ms ms = ${asg_ratio}x; $(bench_calc '%.2f' "$ROWS / ($asg_ms / 1000) / 1e6") M rows/s;" \
	"own cost ~$asg_own ns/row"
echo "  inertia ours/scikit-learn $inertia_ratio; iterations ours $iters, scikit-learn $sk_iters"
echo "  memory: kmeans serial $km_mem; parallel (leader) $pkm_mem"
echo "          (the points: $(bench_calc '%.0f' "$ROWS * $DIM * 8 / 1048576") MB of float8 data)"
echo "  load avg at the end: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min)"

bench_line "name=kmeans_serial rows=$ROWS dim=$DIM k=$K max_iter=$ITER ours_ms=$km_ms alt_ms=$sk_ms ratio=$ratio" \
	"fixed_ms=$km1_ms alt_fixed_ms=$sk1_ms iters=$iters alt_iters=$sk_iters inertia=$ours_inertia alt_inertia=$sk_inertia" \
	"inertia_ratio=$inertia_ratio gmadds=$(rate "$km_ms" "$iters") alt_gmadds=$(rate "$sk_ms" "$sk_iters")" \
	"vmhwm_mb=$(mem_mb "$km_mem") private_mb=$(priv_mb "$km_mem")" \
	${eq_iters:+"eq_iters=$eq_iters eq_ours_ms=$eq_ours_ms eq_alt_ms=$eq_sk_ms eq_ratio=$eq_ratio"}
bench_line "name=kmeans_parallel2 rows=$ROWS dim=$DIM k=$K max_iter=$ITER ours_ms=$pkm_ms alt_ms=$sk_ms ratio=$pratio" \
	"serial_ms=$km_ms speedup=$(bench_calc '%.2f' "$km_ms / $pkm_ms") plan_ok=$plan_ok" \
	"same_model=$([ "$pkm_model" = "$km_model" ] && [ "$pkm_same" = yes ] && echo yes || echo no)" \
	"gmadds=$(rate "$pkm_ms" "$iters") vmhwm_mb=$(mem_mb "$pkm_mem") private_mb=$(priv_mb "$pkm_mem")"
bench_line "name=kmeans_assign rows=$ROWS dim=$DIM k=$K ours_ms=$asg_ms alt_ms=$bare_ms ratio=$asg_ratio" \
	"own_ns_per_row=$asg_own mismatches=$asg_mism"
bench_line "name=silhouette_full rows=$SIL_ROWS dim=$DIM k=$K ours_ms=$sil_ms alt_ms=$sk_sil_ms ratio=$sil_ratio" \
	"ours_cpu_ms=$sil_cpu_ms alt_cpu_ms=$sk_sil_cpu cpu_ratio=$sil_cpu_ratio value=$sil_res alt_value=$sk_sil"
bench_line "name=silhouette_sampled rows=$ROWS sample=$SIL_SAMPLE dim=$DIM k=$K ours_ms=$sils_ms alt_ms=$sk_sils_ms" \
	"ratio=$sils_ratio ours_cpu_ms=$sils_cpu_ms alt_cpu_ms=$sk_sils_cpu cpu_ratio=$sils_cpu_ratio" \
	"parallel_ms=$psils_ms value=$sils_res alt_value=$sk_sils"
SK="scikit-learn $(sk version) KMeans (lloyd, $(nproc) threads)"
bench_result kmeans "kmeans, serial" "$ROWS x $DIM, k $K" "$km_ms" "$SK" "$sk_ms" "$(mem_mb "$km_mem")" "$(priv_mb "$km_mem")"
bench_result kmeans "kmeans, 2 workers" "$ROWS x $DIM, k $K" "$pkm_ms" "$SK" "$sk_ms" "$(mem_mb "$pkm_mem")" "$(priv_mb "$pkm_mem")"
bench_result kmeans kmeans_assign "$ROWS x $DIM, k $K" "$asg_ms" "bare scan" "$bare_ms" "$asg_hwm" "$asg_priv"
bench_result kmeans "silhouette_score, full" "$SIL_ROWS x $DIM, k $K" "$sil_ms" \
	"scikit-learn $(sk version) silhouette_score" "$sk_sil_ms" "$(mem_mb "$sil_mem")" "$(priv_mb "$sil_mem")"
bench_result kmeans "silhouette_score, sample $SIL_SAMPLE" "$ROWS x $DIM, k $K" "$sils_ms" \
	"scikit-learn $(sk version) silhouette_score(sample_size)" "$sk_sils_ms" - -
bench_print_lines
