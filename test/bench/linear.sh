#!/usr/bin/env bash
# test/bench/linear.sh: the linear_fit aggregate (scan included) against
# statsmodels' OLS(...).fit() and numpy's lstsq on the same numbers already
# in memory, and against the best plain SQL: the 78 sums of products of
# (1, x1 .. x10, y) in one scan, the input of the normal equations.
#
# Not a test: prints a plain-text report and, at the end, machine-readable
# "BENCH name=... ours_ms=... alt_ms=... ratio=..." lines (ratio = ours /
# alternative; the issue's goal is linear_fit <= 0.5 x statsmodels serially
# and a real speed-up with 2 parallel workers) and RESULT lines.
#
# Data: BENCH_ROWS rows x 10 features (numpy default_rng(BENCH_SEED)):
# standard normals, except x2 = x1 + 0.1 N(0,1) (correlated), x5 in cents
# (1e4 + 100 N), x9 a timestamp-sized 1.3e9 + 1e6 U(0,1); y = 1 + the
# features times (0.5, -0.25, 1, 0, 2, 1e-3, -0.5, 0.25, 1e-6, 0.1) + N(0,1).
# Written as text with Python's shortest round-trip repr and COPYed into
# t(f float8[], y float8) and w(x1 .. x10, y float8); both sides fit
# bit-identical numbers.
#
#   ours:         SELECT linear_fit(f, y) FROM t (and linear_summary), serial
#                 and with 2 parallel workers; wall clock with psql \timing
#                 and the backend's CPU time (/proc/<pid>/schedstat) per run
#   plain SQL:    SELECT count(*), sum(x1), ..., sum(x1 * x1), ... sum(y * y)
#                 FROM w: 78 float8 sums in one scan (the numbers the
#                 normal equations need; solving them is left out)
#   statsmodels:  sm.OLS(y, X1).fit() with X1 = add_constant(X) built before
#                 the clock starts; numpy: np.linalg.lstsq(X1, y); both with
#                 their default threads; time.perf_counter and
#                 time.process_time (CPU of all the process's threads)
#   accuracy:     the difference of our coefficients, statsmodels' and
#                 lstsq's from lstsq on the centred, unit-variance columns
#                 (mapped back), relative to max(|b|, its standard error):
#                 x4's true coefficient is 0
#
# Needs aimarketing installed into PostgreSQL 15 first (scripts/test.sh does
# it); AIM_BENCH_BUILD=1 builds and installs it before running.  Runs on its
# own throwaway cluster with shared_buffers = 2GB (tables prewarmed).
#
#   BENCH_ROWS=1000000    rows
#   BENCH_SEED=42         numpy seed
#   BENCH_RUNS=5          timed runs per measurement (after one warm-up)
set -euo pipefail
AIM_EXTRA_PACKAGES="python3-statsmodels python3-numpy ${AIM_EXTRA_PACKAGES:-}"
. "$(dirname "$0")/bench_lib.sh"

ROWS=${BENCH_ROWS:-$(bench_size 1000000 100000)}
SEED=${BENCH_SEED:-42}
RUNS=${BENCH_RUNS:-5}
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

bench_header "aimarketing benchmark: linear_fit() vs statsmodels OLS, numpy lstsq and plain SQL sums"
[ "$(bench_sql "SELECT count(*) FROM pg_proc WHERE proname = 'linear_fit'")" != 0 ] ||
	bench_die "the installed aimarketing has no linear_fit(): install a build that has it"
echo "python:      $($PY -c 'import sys, numpy, statsmodels; print("%s, numpy %s, statsmodels %s" % (sys.version.split()[0], numpy.__version__, statsmodels.__version__))')"
echo

DATA=$AIM_TMP/bench
mkdir -p "$DATA"

echo "data: $ROWS rows x 10 features, numpy default_rng($SEED) (see the script's header)"
$PY - "$ROWS" "$SEED" "$DATA" <<'PY'
import sys
import numpy as np

n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(seed)
X = rng.standard_normal((n, 10))
X[:, 1] = X[:, 0] + 0.1 * X[:, 1]
X[:, 4] = 1e4 + 100 * X[:, 4]
X[:, 8] = 1.3e9 + 1e6 * rng.random(n)
beta = np.array([0.5, -0.25, 1, 0, 2, 1e-3, -0.5, 0.25, 1e-6, 0.1])
y = 1 + X @ beta + rng.standard_normal(n)
np.save(out + "/X.npy", X)
np.save(out + "/y.npy", y)
with open(out + "/t.copy", "w") as ft, open(out + "/w.copy", "w") as fw:
    for row, v in zip(X.tolist(), y.tolist()):
        r = list(map(repr, row))
        ft.write("{" + ",".join(r) + "}\t" + repr(v) + "\n")
        fw.write("\t".join(r) + "\t" + repr(v) + "\n")
PY
{
	echo "BEGIN;"
	echo "CREATE TABLE t (f float8[] NOT NULL, y float8 NOT NULL);"
	echo "COPY t FROM STDIN;"
	cat "$DATA/t.copy"
	echo '\.'
	echo "CREATE TABLE w (x1 float8, x2 float8, x3 float8, x4 float8, x5 float8, x6 float8,"
	echo "                x7 float8, x8 float8, x9 float8, x10 float8, y float8);"
	echo "COPY w FROM STDIN;"
	cat "$DATA/w.copy"
	echo '\.'
	echo "COMMIT;"
} | "${BENCH_PSQL[@]}" >/dev/null
rm -f "$DATA/t.copy" "$DATA/w.copy"
bench_sql "VACUUM ANALYZE t" "VACUUM ANALYZE w" >/dev/null
echo "  $(bench_sql "SELECT format('table t: %s rows, %s; table w: %s', count(*), pg_size_pretty(pg_table_size('t')),
	pg_size_pretty(pg_table_size('w'))) FROM t")"
echo "  $(bench_prewarm t)"
echo "  $(bench_prewarm w)"
echo

SERIAL="SET max_parallel_workers_per_gather = 0; SET jit = off;"
PARALLEL="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET jit = off;"

# the 78 sums of products of (1, x1 .. x10, y), upper triangle
SUMS=$($PY - <<'PY'
v = ["x%d" % i for i in range(1, 11)] + ["y"]
terms = ["count(*)"] + ["sum(%s)" % a for a in v]
terms += ["sum(%s * %s)" % (v[i], v[j]) for i in range(len(v)) for j in range(i, len(v))]
assert len(terms) == 78
print(", ".join(terms))
PY
)
Q_FIT="SELECT linear_fit(f, y) FROM t"
Q_SUM="SELECT linear_summary(f, y) -> 'r_squared' FROM t"
Q_SQL="SELECT $SUMS FROM w"

# cpu_run RUNS SETTINGS QUERY: the backend's CPU time per run (ms, from
# /proc/<pid>/schedstat, the leader only) after one warm-up; sets CPU_MEDIAN
cpu_run() {
	local runs=$1 settings=$2 query=$3 script out i
	script=$(
		printf '%s\n' "$settings"
		printf 'SELECT pg_backend_pid() AS bench_pid \\gset\n'
		printf '\\setenv BENCH_PID :bench_pid\n'
		printf '%s;\n' "$query"
		for ((i = 0; i < runs; i++)); do
			printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
			printf '%s;\n' "$query"
		done
		printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
	)
	out=$(printf '%s\n' "$script" | "${BENCH_PSQL[@]}" 2>&1) || bench_die "query failed: $query"
	CPU_TIMES=$(printf '%s\n' "$out" | awk '$1 == "CPU" {if (n++) printf "%.1f ", ($2 - p) / 1e6; p = $2}')
	CPU_MEDIAN=$(printf '%s\n' $CPU_TIMES | bench_median)
}

measure() {
	local label=$1 settings=$2 query=$3
	bench_run "$RUNS" "$settings" "$query"
	bench_report "$label"
	cpu_run "$RUNS" "$settings" "$query"
	printf '  %-40s backend CPU median %8.1f ms   runs: %s\n' "" "$CPU_MEDIAN" "$CPU_TIMES"
}

echo "timings: median of $RUNS runs after one warm-up, psql \\timing (wall clock), one psql session per"
echo "query, tables in shared_buffers, jit = off; then the backend's CPU time in a second session"
echo "(the leader's: parallel workers' CPU is not in it).  Machine loaded: other work shares the cores."
echo
echo "serial (max_parallel_workers_per_gather = 0):"
measure "count(*) FROM t (scan only)" "$SERIAL" "SELECT count(*) FROM t"
scan_ms=$BENCH_MEDIAN
measure "linear_fit(f, y)" "$SERIAL" "$Q_FIT"
fit_ms=$BENCH_MEDIAN fit_cpu=$CPU_MEDIAN fit_mem=$BENCH_HWM_MB fit_priv=$BENCH_PRIV_MB
ours=$BENCH_RESULT
measure "linear_summary(f, y)" "$SERIAL" "$Q_SUM"
summary_ms=$BENCH_MEDIAN
measure "plain SQL: 78 sums over w" "$SERIAL" "$Q_SQL"
sql_ms=$BENCH_MEDIAN sql_cpu=$CPU_MEDIAN
echo
bench_parallel_plan "$Q_FIT" "linear_fit"
measure "linear_fit(f, y), 2 workers" "$PARALLEL" "$Q_FIT"
par_ms=$BENCH_MEDIAN par_cpu=$CPU_MEDIAN
par_result=$BENCH_RESULT
measure "plain SQL: 78 sums, 2 workers" "$PARALLEL" "$Q_SQL"
sql_par_ms=$BENCH_MEDIAN
echo

echo "statsmodels and numpy (load avg before: $(cut -d' ' -f1-3 /proc/loadavg)):"
py_out=$($PY - "$DATA" "$RUNS" "$ours" "$par_result" <<'PY'
import sys
import time

import numpy as np
import statsmodels.api as sm

out, runs = sys.argv[1], int(sys.argv[2])
ours = np.array([float(v) for v in sys.argv[3].strip("{}").split(",")])
par = np.array([float(v) for v in sys.argv[4].strip("{}").split(",")])
X = np.load(out + "/X.npy")
y = np.load(out + "/y.npy")
X1 = sm.add_constant(X, has_constant="add")


def timed(f):
    wall, cpu, res = [], [], None
    f()
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        res = f()
        wall.append(1000 * (time.perf_counter() - w0))
        cpu.append(1000 * (time.process_time() - c0))
    return float(np.median(wall)), float(np.median(cpu)), wall, res


sm_ms, sm_cpu, sm_runs, r = timed(lambda: sm.OLS(y, X1).fit())
ls_ms, ls_cpu, ls_runs, b = timed(lambda: np.linalg.lstsq(X1, y, rcond=None)[0])
print("  %-40s median %10.1f ms   CPU %8.1f ms   runs: %s" % (
    "statsmodels OLS(y, X1).fit()", sm_ms, sm_cpu, " ".join("%.1f" % v for v in sm_runs)))
print("  %-40s median %10.1f ms   CPU %8.1f ms   runs: %s" % (
    "numpy lstsq(X1, y)", ls_ms, ls_cpu, " ".join("%.1f" % v for v in ls_runs)))
# The reference: lstsq on the centred, unit-variance columns (the design
# with the timestamp-sized column is ill-conditioned only through its
# units and mean, which lstsq on the raw columns suffers from: its error
# is normwise), mapped back.  x4's true coefficient is 0: differences are
# taken relative to max(|b|, its standard error).
mu, sd = X.mean(axis=0), X.std(axis=0)
w = np.linalg.lstsq((X - mu) / sd, y - y.mean(), rcond=None)[0] / sd
ref = np.concatenate([[y.mean() - mu @ w], w])
scale = np.maximum(np.abs(ref), r.bse)
rel = lambda a: float(np.max(np.abs(a - ref) / scale))
print("  condition number (statsmodels): %.4g" % r.condition_number)
print("  max |difference| / max(|coefficient|, standard error) from lstsq on centred, scaled columns:")
print("    linear_fit %.2e (serial), %.2e (2 workers); statsmodels %.2e; lstsq on the raw columns %.2e"
      % (rel(ours), rel(par), rel(r.params), rel(b)))
print("PY sm_ms=%.3f sm_cpu=%.3f ls_ms=%.3f ls_cpu=%.3f" % (sm_ms, sm_cpu, ls_ms, ls_cpu))
PY
)
printf '%s\n' "$py_out" | grep -v '^PY '
eval "$(printf '%s\n' "$py_out" | sed -n 's/^PY //p')"
echo

echo "ratios (below 1: linear_fit is faster):"
printf '  linear_fit serial / statsmodels:        %.3f (wall), %.3f (our backend CPU / its process CPU)\n' \
	"$(bench_calc '%f' "$fit_ms / $sm_ms")" "$(bench_calc '%f' "$fit_cpu / $sm_cpu")"
printf '  linear_fit serial / numpy lstsq:        %.3f\n' "$(bench_calc '%f' "$fit_ms / $ls_ms")"
printf '  linear_fit serial / plain SQL 78 sums:  %.3f (wall), %.3f (backend CPU)\n' \
	"$(bench_calc '%f' "$fit_ms / $sql_ms")" "$(bench_calc '%f' "$fit_cpu / $sql_cpu")"
printf '  linear_fit 2 workers / serial:          %.3f (speed-up %.2fx)\n' \
	"$(bench_calc '%f' "$par_ms / $fit_ms")" "$(bench_calc '%f' "$fit_ms / $par_ms")"
printf '  linear_fit 2 workers / statsmodels:     %.3f\n' "$(bench_calc '%f' "$par_ms / $sm_ms")"
printf '  scan alone / linear_fit serial:         %.3f\n' "$(bench_calc '%f' "$scan_ms / $fit_ms")"

bench_line "name=linear_fit_vs_statsmodels rows=$ROWS ours_ms=$fit_ms alt_ms=$sm_ms ratio=$(bench_calc '%.4f' "$fit_ms / $sm_ms")"
bench_line "name=linear_fit_vs_lstsq rows=$ROWS ours_ms=$fit_ms alt_ms=$ls_ms ratio=$(bench_calc '%.4f' "$fit_ms / $ls_ms")"
bench_line "name=linear_fit_vs_plain_sql rows=$ROWS ours_ms=$fit_ms alt_ms=$sql_ms ratio=$(bench_calc '%.4f' "$fit_ms / $sql_ms")"
bench_line "name=linear_fit_parallel_vs_serial rows=$ROWS ours_ms=$par_ms alt_ms=$fit_ms ratio=$(bench_calc '%.4f' "$par_ms / $fit_ms")"
bench_line "name=linear_summary_vs_statsmodels rows=$ROWS ours_ms=$summary_ms alt_ms=$sm_ms ratio=$(bench_calc '%.4f' "$summary_ms / $sm_ms")"
bench_result regression "linear_fit 10 features" "$ROWS rows" "$fit_ms" "statsmodels OLS" "$sm_ms" "$fit_mem" "$fit_priv"
bench_result regression "linear_fit 10 features" "$ROWS rows" "$fit_ms" "numpy lstsq" "$ls_ms" "$fit_mem" "$fit_priv"
bench_result regression "linear_fit 10 features" "$ROWS rows" "$fit_ms" "plain SQL 78 sums" "$sql_ms" "$fit_mem" "$fit_priv"
bench_result regression "linear_fit 10 features, 2 workers" "$ROWS rows" "$par_ms" "linear_fit serial" "$fit_ms" - -
bench_result regression "plain SQL 78 sums, 2 workers" "$ROWS rows" "$sql_par_ms" "plain SQL serial" "$sql_ms" - -
bench_print_lines
