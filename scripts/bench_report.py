#!/usr/bin/python3
"""scripts/bench_report.py: BENCHMARKS.md and its chart from the RESULT lines
of test/bench/*.sh, collected by scripts/bench.sh (results.tsv: one line per
result, the benchmark's name, then bench_result's fields:

    bench capability case size ours_ms alt_name alt_ms ratio peak_mb private_mb

Standard library only, plus gnuplot for the chart; run by scripts/bench.sh.
"""
import argparse
import math
import os
import platform
import subprocess
import sys

FIELDS = ["bench", "capability", "case", "size", "ours_ms", "alt_name", "alt_ms",
          "ratio", "peak_mb", "private_mb"]


def num(v):
    try:
        x = float(v)
        return x if math.isfinite(x) else None
    except (TypeError, ValueError):
        return None


def fmt_ms(v):
    x = num(v)
    if x is None:
        return "-"
    return "%.0f" % x if x >= 100 else "%.1f" % x


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return cpu, os.cpu_count(), mem_kb / 1048576.0


def python_side():
    """scikit-learn, numpy and the BLAS the benchmarks' Python process maps"""
    code = r'''
import os, sys
import numpy, scipy, sklearn
from sklearn.cluster import KMeans  # loads the compiled parts and BLAS
libs = set()
for line in open("/proc/self/maps"):
    p = line.split()[-1] if len(line.split()) >= 6 else ""
    b = os.path.basename(p)
    if b.startswith("lib") and any(w in b for w in ("blas", "lapack", "gomp")):
        libs.add(os.path.realpath(p))
pools = []
try:
    from threadpoolctl import threadpool_info
    pools = ["%s %s (%s threads)" % (i.get("internal_api"), i.get("version") or "", i.get("num_threads"))
             for i in threadpool_info()]
except Exception:
    pass
print("Python %s, numpy %s, scipy %s, scikit-learn %s" % (sys.version.split()[0], numpy.__version__,
      scipy.__version__, sklearn.__version__))
print("BLAS/LAPACK/OpenMP libraries mapped: " + (", ".join(sorted(libs)) or "none found"))
print("threadpoolctl: " + ("; ".join(pools) or "nothing reported"))
'''
    try:
        out = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True,
                             timeout=120, env={k: v for k, v in os.environ.items()
                                               if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")})
        return out.stdout.strip().splitlines() or ["(python side: %s)" % out.stderr.strip()[-200:]]
    except Exception as e:  # noqa: BLE001 - the report says what failed
        return ["(python side not inspected: %s)" % e]


def postgres_version(pgbin):
    try:
        return subprocess.run([os.path.join(pgbin, "postgres"), "--version"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return "unknown (%s)" % e


def chart(rows, path, workdir, quick):
    """bar chart of ours / alternative, log scale, one bar per result"""
    data = os.path.join(workdir, "chart.dat")
    pts = [r for r in rows if num(r["ratio"]) and num(r["ratio"]) > 0]
    if not pts:
        return False
    with open(data, "w") as fh:
        for i, r in enumerate(pts):
            label = "%s: %s vs %s" % (r["capability"], r["case"], short_alt(r["alt_name"]))
            colour = 0x2a9d8f if num(r["ratio"]) <= 1 else 0xe76f51
            fh.write('%d %s "%s" %d\n' % (i, r["ratio"], label.replace('"', "'"), colour))
    lo = min(num(r["ratio"]) for r in pts)
    hi = max(num(r["ratio"]) for r in pts)
    ymin = 10 ** math.floor(math.log10(min(lo, 1.0)) - 0.2)
    ymax = 10 ** math.ceil(math.log10(max(hi, 1.0)) + 0.2)
    gp = os.path.join(workdir, "chart.gp")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    height = 260 + 28 * len(pts)
    with open(gp, "w") as fh:
        fh.write("""set terminal pngcairo size 1100,%d font 'sans,9' noenhanced
set output '%s'
set tmargin 3
set label 1 "aimarketing: our time / the alternative's (log scale; below 1 = we are faster)%s" at screen 0.01, screen 0.99 left font 'sans,11'
set logscale x 10
set xrange [%g:%g]
set yrange [%g:-0.7]
set ytics nomirror
set grid xtics
set key off
set style fill solid 0.8 noborder
unset ytics
set ytics ()
set xlabel "ratio (ours / alternative)"
set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb '#444444' dt 2
plot '%s' using (sqrt(%g * $2)):1:(%g):2:($1 - 0.35):($1 + 0.35):4:ytic(3) with boxxyerror lc rgb variable, \\
     '' using ($2):1:(sprintf(" %%.3g", $2)) with labels left font 'sans,8'
""" % (height, path, " (QUICK MODE)" if quick else "", ymin, ymax, len(pts) - 0.3, data,
             ymin, ymin))
    try:
        subprocess.run(["gnuplot", gp], check=True, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        print("bench_report: gnuplot failed: %s" % getattr(e, "stderr", e), file=sys.stderr)
        return False
    return True


def short_alt(a):
    return a.replace("recorded", "rec.").replace("scikit-learn", "sklearn")


def main():
    ap = argparse.ArgumentParser()
    for opt in ("results", "timings", "outdir", "report", "chart", "started", "load-start",
                "elapsed", "pgbin", "quick", "command"):
        ap.add_argument("--" + opt, required=True)
    a = ap.parse_args()
    quick = a.quick == "1"

    rows = []
    with open(a.results) as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) == len(FIELDS):
                rows.append(dict(zip(FIELDS, f)))
    timings = []
    with open(a.timings) as fh:
        for line in fh:
            f = line.split()
            if len(f) == 3:
                timings.append(f)

    cpu, ncpu, mem_gb = machine()
    root = os.path.dirname(os.path.abspath(a.report))
    try:
        git = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "src", "sql"],
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        git, dirty = "?", ""
    load_end = open("/proc/loadavg").read().split()[:3]
    chart_ok = chart(rows, a.chart, a.outdir, quick)

    L = []
    L.append("# aimarketing benchmarks")
    L.append("")
    if quick:
        L.append("> **QUICK MODE** (`AIM_BENCH_QUICK=1`): data sets about a tenth of the full size and "
                 "2 timed runs per query (1 for plain SQL). For development only: fixed costs weigh more "
                 "at these sizes, so the ratios are not the project's figures. Run `make benchmarks` for "
                 "the full report.")
        L.append("")
    L.append("Generated by `%s` (scripts/bench.sh) on %s; all benchmarks took %.1f min." %
             (a.command, a.started, int(a.elapsed) / 60.0))
    L.append("")
    L.append("**Machine.** %s, %d logical CPUs, %.1f GiB RAM; %s %s (%s); %s; aimarketing git %s%s." %
             (cpu, ncpu, mem_gb, platform.system(), platform.release(), platform.machine(),
              postgres_version(a.pgbin), git or "?", " (src/ or sql/ modified)" if dirty else ""))
    L.append("")
    L.append("**scikit-learn side.** " + " ".join("%s." % line.rstrip(".") for line in python_side()))
    L.append("")
    L.append("Load average (1/5/15 min) at the start %s, at the end %s. The machine is shared with other "
             "work (on 2 cores a load above ~2 means the benchmarks competed for CPU): figures are noisy, "
             "scikit-learn's multi-threaded side suffers more from that than our single backend." %
             (a.load_start.replace(" ", "/"), "/".join(load_end)))
    L.append("")
    L.append("**Method.** Every query runs in a fresh psql session on a throwaway cluster with the table "
             "in shared_buffers (pg_prewarm), jit off: one warm-up run, then %s timed runs (psql "
             "`\\timing`, wall clock: parse, plan, scan, compute, result); the table gives the median. "
             "scikit-learn times only `fit()` (or `roc_auc_score`) on data already in memory, same number of "
             "runs. *ratio* = our time / the alternative's (below 1: we are faster; *speed-up* is its "
             "inverse). *peak MB* is the backend's VmHWM at the end of the session that timed our query "
             "(it counts the shared_buffers pages the scan touched), *private MB* that less its shared and "
             "file-backed pages (an estimate of palloc/malloc use). Alternatives marked *recorded* are "
             "figures measured once on this machine kind (mlxtend cannot be installed here; see "
             "test/bench/basket.sh), not re-run. The details, checks (same results as the alternative, "
             "determinism, plans) and every individual run are in each script's output, "
             "test/bench/out/<name>.txt." % ("2 (plain SQL: 1)" if quick else "5 (plain SQL: 3)"))
    L.append("")
    if chart_ok:
        L.append("![ours / alternative, log scale](%s)" % os.path.relpath(a.chart, root))
        L.append("")
    L.append("| capability | case | size | ours ms | alternative | alt. ms | ratio | speed-up | peak MB | private MB |")
    L.append("|---|---|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        ratio = num(r["ratio"])
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["capability"], r["case"], r["size"], fmt_ms(r["ours_ms"]), r["alt_name"], fmt_ms(r["alt_ms"]),
            "%.3g" % ratio if ratio else "-", "%.3gx" % (1 / ratio) if ratio else "-",
            r["peak_mb"], r["private_mb"]))
    L.append("")
    L.append("Bare-scan rows (kmeans_assign, churn_score) compare against the same scan fetching the same "
             "arrays without the function: the ratio is the cost the function adds, not a competitor.")
    L.append("")
    L.append("| benchmark | wall time | exit status |")
    L.append("|---|---:|---:|")
    for n, secs, rc in timings:
        L.append("| test/bench/%s.sh | %.1f min | %s |" % (n, int(secs) / 60.0, rc))
    missing = [n for n, _, rc in timings if rc != "0"]
    if missing:
        L.append("")
        L.append("**Failed:** %s: their rows are missing or incomplete; see test/bench/out/." % ", ".join(missing))
    L.append("")
    with open(a.report, "w") as fh:
        fh.write("\n".join(L))
    print("bench_report: %d results -> %s%s" % (len(rows), a.report, ", chart %s" % a.chart if chart_ok else ""))


if __name__ == "__main__":
    main()
