#!/usr/bin/env bash
# test/bench/forecast.sh: ets_fit + ets_forecast for every product of the
# bundled orders in one GROUP BY, against statsmodels 0.13.5 fitting the
# same series one by one in a loop.
#
# Not a test: prints a plain-text report and, at the end, machine-readable
# "BENCH name=... ours_ms=... alt_ms=... ratio=..." and RESULT lines (ratio =
# ours / statsmodels; the issue's goal is ratio <= 0.05, i.e. 20x faster).
#
# Data: data/online_retail.csv.gz, clean sales (InvoiceNo not starting with
# C or A, Quantity > 0, UnitPrice > 0), product codes upper-cased and the
# non-product codes of demo/00_load.sql left out; weekly revenue of every
# product sold in at least 10 of the 52 complete Monday weeks 2010-12-06 ..
# 2011-11-28, zero-filled: 2,867 series of 52 values in table weekly
# (stock_code, week, revenue).
#
#   ours:        one query from the table: ets_fit(revenue, options ORDER BY
#                week) ... GROUP BY stock_code, then ets_forecast(model, 8)
#                for each; "Holt" = {"trend": "add"}; "SES + Holt + damped" =
#                three ets_fit calls in the same GROUP BY ({}, add, damped)
#                and their 3 x 8 forecasts.  Wall-clock time (psql \timing,
#                bench_lib.sh) and the backend's CPU time
#                (/proc/<pid>/schedstat, field 1, around each run).
#   statsmodels: /usr/bin/python3, ExponentialSmoothing(y, trend=...,
#                damped_trend=...).fit() and .forecast(8) for each series
#                (its defaults: initialization_method 'estimated', SLSQP
#                from a brute-force start), the series built as numpy arrays
#                from the rows (list of (stock_code, week, revenue) in
#                order, as a DB driver returns them) inside the timing;
#                process CPU time and wall time; OPENBLAS_NUM_THREADS=1
#                (tiny arrays: threads only add overhead).  Warnings are
#                counted, not shown.
#   same objective: once, untimed in the ratio: statsmodels on y / mean(y)
#                with the initial states held at their heuristic values
#                (fix_params), as ets_fit optimises; how often our SSE is no
#                worse (1e-9 relative), for Holt.
#
#   BENCH_RUNS=5          timed runs of our queries (after one warm-up)
#   BENCH_SM_RUNS=3       timed statsmodels loops per model set
#   BENCH_SERIES=0        fit only the first N series (0: all; quick mode 300)
#
# Takes about 5 minutes on 2 cores (statsmodels' loops dominate).
set -euo pipefail
AIM_EXTRA_PACKAGES="python3-statsmodels python3-numpy ${AIM_EXTRA_PACKAGES:-}"
. "$(dirname "$0")/bench_lib.sh"

RUNS=${BENCH_RUNS:-5}
SM_RUNS=${BENCH_SM_RUNS:-$(bench_size 3 1)}
SERIES=${BENCH_SERIES:-$(bench_size 0 300)}
PY=/usr/bin/python3

bench_setup
bench_sql "CREATE DATABASE aimbench" >/dev/null
export PGDATABASE=aimbench
bench_sql "CREATE EXTENSION aimarketing" >/dev/null
bench_header "aimarketing benchmark: ets_fit + ets_forecast per product vs statsmodels ExponentialSmoothing in a loop"
[ "$(bench_sql "SELECT count(*) FROM pg_proc WHERE proname = 'ets_fit'")" != 0 ] ||
	bench_die "the installed aimarketing has no ets_fit(): install a build that has it, or point AIM_PGBIN at one"
echo "python:      $($PY -c 'import sys, numpy, statsmodels; print("%s, numpy %s, statsmodels %s" % (sys.version.split()[0], numpy.__version__, statsmodels.__version__))')"
echo

# ---------------------------------------------------------------- data
DATA=$AIM_TMP/bench
mkdir -p "$DATA"
cd "$AIM_ROOT"
bench_sql "CREATE TABLE order_lines (invoice text, stock_code text, description text,
                                     quantity int, invoice_date timestamp,
                                     unit_price numeric, customer_id numeric, country text)" >/dev/null
"${BENCH_PSQL[@]}" -c "\\copy order_lines FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)" >/dev/null
LIMIT_SQL=""
[ "$SERIES" != 0 ] && LIMIT_SQL="ORDER BY code LIMIT $SERIES"
bench_sql "CREATE TABLE weekly AS
WITH sw AS (
  SELECT upper(stock_code) AS code, date_trunc('week', invoice_date)::date AS week,
         sum(quantity * unit_price)::float8 AS revenue
    FROM order_lines
   WHERE invoice !~ '^[CA]' AND quantity > 0 AND unit_price > 0
     AND invoice_date >= '2010-12-06' AND invoice_date < '2011-12-05'
     AND upper(stock_code) !~ '^(POST|DOT|M|D|C2|S|B|BANK CHARGES|AMAZONFEE|CRUK|PADS|DCGS.*|GIFT_.*)\$'
   GROUP BY 1, 2
), keep AS (
  SELECT code FROM sw GROUP BY code HAVING count(*) >= 10 $LIMIT_SQL
)
SELECT k.code AS stock_code, w::date AS week, coalesce(sw.revenue, 0) AS revenue
  FROM keep k
 CROSS JOIN generate_series('2010-12-06'::timestamp, '2011-11-28', '1 week') w
  LEFT JOIN sw ON sw.code = k.code AND sw.week = w" >/dev/null
bench_sql "VACUUM ANALYZE weekly" >/dev/null
NSERIES=$(bench_sql "SELECT count(DISTINCT stock_code) FROM weekly")
NROWS=$(bench_sql "SELECT count(*) FROM weekly")
echo "data: $NSERIES weekly series x 52 weeks ($NROWS rows, table weekly $(bench_sql "SELECT pg_size_pretty(pg_table_size('weekly'))"))"
bench_sql "COPY (SELECT stock_code, week, revenue FROM weekly ORDER BY stock_code, week) TO STDOUT" >"$DATA/weekly.tsv"
echo

# ---------------------------------------------------------------- ours
HOLT="SELECT count(*) || ' forecasts, sum ' || round(sum(f.forecast)::numeric)
  FROM (SELECT stock_code, ets_fit(revenue, '{\"trend\": \"add\"}' ORDER BY week) AS m
          FROM weekly GROUP BY stock_code) s
 CROSS JOIN LATERAL ets_forecast(s.m, 8) f"
THREE="SELECT count(*) || ' forecasts, sum ' || round(sum(f.forecast)::numeric)
  FROM (SELECT stock_code, ets_fit(revenue, '{}' ORDER BY week) AS a,
               ets_fit(revenue, '{\"trend\": \"add\"}' ORDER BY week) AS b,
               ets_fit(revenue, '{\"trend\": \"damped\"}' ORDER BY week) AS c
          FROM weekly GROUP BY stock_code) s
 CROSS JOIN LATERAL (SELECT * FROM ets_forecast(s.a, 8) UNION ALL SELECT * FROM ets_forecast(s.b, 8)
                     UNION ALL SELECT * FROM ets_forecast(s.c, 8)) f"
SETTINGS="SET jit = off; SET max_parallel_workers_per_gather = 0;"

# cpu_runs QUERY: the backend's CPU time (ms) of each of RUNS runs after a
# warm-up, from /proc/<pid>/schedstat; sets CPU_TIMES and CPU_MEDIAN
cpu_runs() {
	local out i
	out=$(
		{
			printf '%s\n' "$SETTINGS"
			printf 'SELECT pg_backend_pid() AS bench_pid \\gset\n\\setenv BENCH_PID :bench_pid\n'
			for ((i = 0; i <= RUNS; i++)); do
				printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
				printf '%s;\n' "$1"
			done
			printf '%s\n' "\\! awk '{print \"CPU\", \$1}' /proc/\$BENCH_PID/schedstat"
		} | "${BENCH_PSQL[@]}" 2>&1
	)
	CPU_TIMES=$(printf '%s\n' "$out" | awk '$1 == "CPU" {if (n++) printf "%.1f\n", ($2 - prev) / 1e6; prev = $2}' |
		tail -n "$RUNS" | tr '\n' ' ')
	CPU_TIMES=${CPU_TIMES% }
	CPU_MEDIAN=$(printf '%s\n' $CPU_TIMES | bench_median)
}

echo "ours (serial, jit off):"
bench_run "$RUNS" "$SETTINGS" "$HOLT"
bench_report "Holt: ets_fit + ets_forecast(8)"
HOLT_WALL=$BENCH_MEDIAN HOLT_MEM=$BENCH_HWM_MB HOLT_PRIV=$BENCH_PRIV_MB
cpu_runs "$HOLT"
HOLT_CPU=$CPU_MEDIAN
printf '  %-40s backend CPU median %8.1f ms   runs: %s\n' "" "$HOLT_CPU" "$CPU_TIMES"
bench_run "$RUNS" "$SETTINGS" "$THREE"
bench_report "SES + Holt + damped, 3 x 8 forecasts"
THREE_WALL=$BENCH_MEDIAN THREE_MEM=$BENCH_HWM_MB THREE_PRIV=$BENCH_PRIV_MB
cpu_runs "$THREE"
THREE_CPU=$CPU_MEDIAN
printf '  %-40s backend CPU median %8.1f ms   runs: %s\n' "" "$THREE_CPU" "$CPU_TIMES"
echo "  convergence: $(bench_sql "SELECT format('%s of %s fits converged (Holt), median %s iterations, max %s',
	count(*) FILTER (WHERE (m->>'converged')::boolean), count(*),
	percentile_disc(0.5) WITHIN GROUP (ORDER BY (m->>'iterations')::int), max((m->>'iterations')::int))
	FROM (SELECT ets_fit(revenue, '{\"trend\": \"add\"}' ORDER BY week) AS m FROM weekly GROUP BY stock_code) s")"
bench_sql "COPY (SELECT stock_code, (m->>'sse')::float8 FROM
                  (SELECT stock_code, ets_fit(revenue, '{\"trend\": \"add\"}' ORDER BY week) AS m
                     FROM weekly GROUP BY stock_code) s ORDER BY 1) TO STDOUT" >"$DATA/ours_sse.tsv"
echo

# ---------------------------------------------------------------- statsmodels
echo "statsmodels (one series at a time, arrays built from the rows inside the timing):"
SM_OUT=$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $PY - "$DATA" "$SM_RUNS" <<'PY'
import sys
import time
import warnings

import numpy as np
from statsmodels.tsa.exponential_smoothing.initialization import _initialization_heuristic
from statsmodels.tsa.holtwinters import ExponentialSmoothing

data, runs = sys.argv[1], int(sys.argv[2])
rows = []
with open(data + "/weekly.tsv") as f:
    for line in f:
        code, week, rev = line.rstrip("\n").split("\t")
        rows.append((code, week, float(rev)))

MODELS = {"holt": [dict(trend="add")],
          "three": [dict(), dict(trend="add"), dict(trend="add", damped_trend=True)]}


def loop(models):
    series = {}
    for code, _, rev in rows:
        series.setdefault(code, []).append(rev)
    nwarn = nfc = 0
    total = 0.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for code, vals in series.items():
            y = np.asarray(vals, dtype=np.float64)
            for kw in models:
                r = ExponentialSmoothing(y, **kw).fit()
                fc = r.forecast(8)
                nfc += len(fc)
                total += fc.sum()
        nwarn = len(caught)
    return nfc, total, nwarn


for name, models in MODELS.items():
    for i in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        nfc, total, nwarn = loop(models)
        c1, w1 = time.process_time(), time.perf_counter()
        print("RUN %s %.1f %.1f %d %.0f %d" % (name, (c1 - c0) * 1e3, (w1 - w0) * 1e3, nfc, total, nwarn))

# the same objective as ets_fit: y / mean(y), initial states held at the
# heuristic values (untimed)
ours = {}
with open(data + "/ours_sse.tsv") as f:
    for line in f:
        code, sse = line.split("\t")
        ours[code] = float(sse)
series = {}
for code, _, rev in rows:
    series.setdefault(code, []).append(rev)
le = n = 0
ratios = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for code, vals in series.items():
        y = np.asarray(vals)
        mean = y.mean()
        ys = y / mean
        l0, b0, _ = _initialization_heuristic(ys, "add", False, None)
        mod = ExponentialSmoothing(ys, trend="add", initialization_method="estimated")
        with mod.fix_params({"initial_level": l0, "initial_trend": b0}):
            sse = mod.fit().sse * mean ** 2
        n += 1
        le += ours[code] <= sse * (1 + 1e-9)
        ratios.append(ours[code] / sse if sse > 0 else 1.0)
print("SAME %d %d %.6f %.6f" % (le, n, float(np.median(ratios)), float(np.min(ratios))))
PY
)
sm_median() { printf '%s\n' "$SM_OUT" | awk -v m="$1" -v f="$2" '$1 == "RUN" && $2 == m {print $f}' | bench_median; }
sm_list() { printf '%s\n' "$SM_OUT" | awk -v m="$1" -v f="$2" '$1 == "RUN" && $2 == m {printf "%s ", $f}'; }
for m in holt three; do
	label=$([ $m = holt ] && echo "Holt" || echo "SES + Holt + damped")
	printf '  %-40s CPU median %10.1f ms   runs: %s\n' "$label" "$(sm_median $m 3)" "$(sm_list $m 3)"
	printf '  %-40s wall median %9.1f ms   runs: %s\n' "" "$(sm_median $m 4)" "$(sm_list $m 4)"
	printf '  %-40s %s\n' "" "$(printf '%s\n' "$SM_OUT" | awk -v m=$m '$1 == "RUN" && $2 == m {r = $5 " forecasts, sum " $6 ", " $7 " warnings"} END {print r}')"
done
read -r _ SAME_LE SAME_N SAME_MED SAME_MIN <<<"$(printf '%s\n' "$SM_OUT" | grep '^SAME')"
echo "  same objective as ets_fit (y / mean, heuristic states held): our Holt SSE no worse in $SAME_LE of $SAME_N series;"
echo "    ours / statsmodels SSE: median $SAME_MED, min $SAME_MIN"
echo

SM_HOLT_CPU=$(sm_median holt 3) SM_HOLT_WALL=$(sm_median holt 4)
SM_THREE_CPU=$(sm_median three 3) SM_THREE_WALL=$(sm_median three 4)
echo "ratios (ours / statsmodels; goal <= 0.05):"
printf '  Holt:                CPU %.4f (%.0fx faster), wall %.4f\n' \
	"$(bench_calc '%f' "$HOLT_CPU / $SM_HOLT_CPU")" "$(bench_calc '%f' "$SM_HOLT_CPU / $HOLT_CPU")" \
	"$(bench_calc '%f' "$HOLT_WALL / $SM_HOLT_WALL")"
printf '  SES + Holt + damped: CPU %.4f (%.0fx faster), wall %.4f\n' \
	"$(bench_calc '%f' "$THREE_CPU / $SM_THREE_CPU")" "$(bench_calc '%f' "$SM_THREE_CPU / $THREE_CPU")" \
	"$(bench_calc '%f' "$THREE_WALL / $SM_THREE_WALL")"

bench_line "name=ets_holt series=$NSERIES ours_ms=$HOLT_WALL ours_cpu_ms=$HOLT_CPU alt_ms=$SM_HOLT_WALL alt_cpu_ms=$SM_HOLT_CPU ratio=$(bench_calc '%.4f' "$HOLT_CPU / $SM_HOLT_CPU")"
bench_line "name=ets_ses_holt_damped series=$NSERIES ours_ms=$THREE_WALL ours_cpu_ms=$THREE_CPU alt_ms=$SM_THREE_WALL alt_cpu_ms=$SM_THREE_CPU ratio=$(bench_calc '%.4f' "$THREE_CPU / $SM_THREE_CPU")"
bench_result forecasting "Holt per product" "$NSERIES series" "$HOLT_WALL" "statsmodels loop" "$SM_HOLT_WALL" "$HOLT_MEM" "$HOLT_PRIV"
bench_result forecasting "SES + Holt + damped per product" "$NSERIES series" "$THREE_WALL" "statsmodels loop" "$SM_THREE_WALL" "$THREE_MEM" "$THREE_PRIV"
bench_print_lines
