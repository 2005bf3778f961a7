#!/usr/bin/env bash
# scripts/bench.sh: run every benchmark (test/bench/*.sh) and write one
# report, BENCHMARKS.md at the top of the repository, with a chart of the
# ratios (doc/benchmarks.png, gnuplot).  `make benchmarks` runs it.
#
# Each benchmark runs on its own throwaway cluster, prints a plain-text
# report (kept in test/bench/out/<name>.txt) and tab-separated RESULT lines
# (test/bench/bench_lib.sh, bench_result); scripts/bench_report.py turns
# those into BENCHMARKS.md.  Not a test: nothing here passes or fails on
# the figures.
#
#   AIM_BENCH_QUICK=1    smaller data and fewer runs (a few minutes instead
#                        of ~15-25; the report says so)
#   AIM_BENCH_ONLY="kmeans roi"   run only these benchmarks (the report then
#                        lists only them)
#   BENCH_* variables are passed on to the scripts (see each script's header)
set -euo pipefail
AIM_EXTRA_PACKAGES="python3-sklearn python3-numpy gnuplot-nox ${AIM_EXTRA_PACKAGES:-}"
. "$(dirname "$0")/lib.sh"
cd "$AIM_ROOT"
unset PGHOST PGPORT PGUSER PGDATABASE PGHOSTADDR

aim_ensure_packages
aim_build_install
# the benchmarks (separate scripts) use this server: for a major built from
# source, the copy aim_build_install made for this run
export AIM_PG_MAJOR AIM_PGBIN

out=$AIM_ROOT/test/bench/out
mkdir -p "$out" "$AIM_ROOT/doc"
names=()
if [ -n "${AIM_BENCH_ONLY:-}" ]; then
	read -r -a names <<<"$AIM_BENCH_ONLY"
else
	for f in test/bench/*.sh; do
		n=$(basename "$f" .sh)
		[ "$n" = bench_lib ] || names+=("$n")
	done
fi

started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t0=$(date +%s)
: >"$out/results.tsv"
: >"$out/timings.tsv"
status=0
for n in "${names[@]}"; do
	aim_log "benchmark $n$([ "${AIM_BENCH_QUICK:-0}" = 1 ] && echo ' (quick mode)')"
	s=$(date +%s)
	if AIM_BENCH_QUICK=${AIM_BENCH_QUICK:-0} bash "test/bench/$n.sh" >"$out/$n.txt" 2>&1; then
		rc=0
	else
		rc=$?
		status=1
		aim_log "benchmark $n failed (exit $rc); see $out/$n.txt"
		tail -n 20 "$out/$n.txt" >&2
	fi
	printf '%s\t%s\t%s\n' "$n" "$(($(date +%s) - s))" "$rc" >>"$out/timings.tsv"
	grep -P '^RESULT\t' "$out/$n.txt" | sed "s/^RESULT\t/$n\t/" >>"$out/results.tsv" || true
done

aim_log "writing BENCHMARKS.md and doc/benchmarks.png"
/usr/bin/python3 scripts/bench_report.py \
	--results "$out/results.tsv" --timings "$out/timings.tsv" --outdir "$out" \
	--report "$AIM_ROOT/BENCHMARKS.md" --chart "$AIM_ROOT/doc/benchmarks.png" \
	--started "$started" --load-start "$load_start" --elapsed "$(($(date +%s) - t0))" \
	--pgbin "$AIM_PGBIN" --quick "${AIM_BENCH_QUICK:-0}" \
	--command "$([ "${AIM_BENCH_QUICK:-0}" = 1 ] && echo 'AIM_BENCH_QUICK=1 ')${AIM_BENCH_ONLY:+AIM_BENCH_ONLY=\"$AIM_BENCH_ONLY\" }make benchmarks"
exit "$status"
