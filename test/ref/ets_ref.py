#!/usr/bin/python3
"""Reference results for sql/ets.sql: statsmodels 0.13.5's ExponentialSmoothing.

Series (written to test/data/ets_series.csv: series, t, value):
  revenue     weekly shop revenue of the bundled Online Retail orders
              (data/online_retail.csv.gz): clean sales (InvoiceNo not
              starting with C or A, Quantity > 0, UnitPrice > 0, rows without
              CustomerID included), Quantity x UnitPrice summed exactly
              (Decimal) then converted to float, Monday weeks 2010-12-06 ..
              2011-11-28 (52 weeks), zero-filled
  p_<code>    the same for the three products with the highest revenue among
              those sold in every one of the 48 weeks 2011-01-03 .. 2011-11-28
              (the shop was closed in the week of 2010-12-27): positive series;
              product codes start with a digit (no postage or fee codes)

Cases (test/data/ets_ref.csv: case_name, series, n_train, options, quantity,
idx, value), each fitted on the first n_train values:
  fixed parameters, ExponentialSmoothing(..., initialization_method=
  'heuristic' or 'known').fit(..., optimized=False): initial states,
  fitted values, SSE, AIC, AICc, BIC, forecasts as statsmodels returns
  them (forecast_compat, with 0.13.5's seasonal bug at steps m, 2m, ...)
  and textbook forecasts computed here from statsmodels' final states
  (forecast);
  optimised parameters: statsmodels' own fit of y / mean(y) with the
  initial states held at their heuristic values (initialization_method=
  'estimated' and fix_params on initial_level, initial_trend and every
  initial_seasonal.i, default SLSQP from its brute-force start): its SSE
  in the units of y (sse_statsmodels = SSE(y / mean) * mean^2), which
  ets_fit must not exceed.
Run with Debian's /usr/bin/python3 (python3-statsmodels 0.13.5).
"""
import csv
import datetime
import gzip
import json
import os
import warnings
from collections import defaultdict
from decimal import Decimal

import numpy as np
import statsmodels
from statsmodels.tsa.exponential_smoothing.initialization import \
    _initialization_heuristic
from statsmodels.tsa.holtwinters import ExponentialSmoothing

assert statsmodels.__version__.startswith("0.13.5"), statsmodels.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
DATA = os.path.join(ROOT, "test", "data")


def weekly_series():
    rev = defaultdict(Decimal)
    prod = defaultdict(lambda: defaultdict(Decimal))
    with gzip.open(os.path.join(ROOT, "data", "online_retail.csv.gz"), "rt") as f:
        for row in csv.DictReader(f):
            if row["InvoiceNo"][:1] in ("C", "A"):
                continue
            q = int(row["Quantity"])
            p = Decimal(row["UnitPrice"])
            if q <= 0 or p <= 0:
                continue
            d = datetime.datetime.strptime(row["InvoiceDate"], "%Y-%m-%d %H:%M:%S").date()
            wk = d - datetime.timedelta(days=d.weekday())
            rev[wk] += q * p
            prod[row["StockCode"].upper()][wk] += q * p
    start = datetime.date(2010, 12, 6)
    weeks = [start + datetime.timedelta(weeks=i) for i in range(52)]
    series = {"revenue": [float(rev.get(w, Decimal(0))) for w in weeks]}
    # the shop was closed in the week of 2010-12-27: products from 2011-01-03
    full = [(sum(v.values()), code) for code, v in prod.items()
            if code[:1].isdigit() and all(v.get(w, 0) > 0 for w in weeks[4:])]
    for _, code in sorted(full, reverse=True)[:3]:
        series["p_" + code] = [float(prod[code][w]) for w in weeks[4:]]
    return series


def sm_model(y, opts, init=None):
    trend = opts.get("trend", "none")
    seasonal = opts.get("seasonal", "none")
    kw = dict(trend=None if trend == "none" else "add",
              damped_trend=trend == "damped",
              seasonal=None if seasonal == "none" else seasonal,
              seasonal_periods=opts.get("period"))
    if init is not None:
        return ExponentialSmoothing(y, initialization_method=init, **kw)
    if opts.get("initialization") == "known":
        return ExponentialSmoothing(
            y, initialization_method="known",
            initial_level=opts["initial_level"],
            initial_trend=opts.get("initial_trend"),
            initial_seasonal=opts.get("initial_seasonals"), **kw)
    return ExponentialSmoothing(y, initialization_method="heuristic", **kw)


def fixed_case(w, name, sname, y, n, opts, horizon):
    y = np.array(y[:n])
    mod = sm_model(y, opts)
    r = mod.fit(smoothing_level=opts.get("alpha"), smoothing_trend=opts.get("beta"),
                smoothing_seasonal=opts.get("gamma"), damping_trend=opts.get("phi"),
                optimized=False)
    rows = [("initial_level", 0, r.params["initial_level"])]
    if opts.get("trend", "none") != "none":
        rows.append(("initial_trend", 0, r.params["initial_trend"]))
    m = opts.get("period", 0)
    if m:
        rows += [("initial_seasonal", j + 1, v)
                 for j, v in enumerate(r.params["initial_seasons"])]
    rows += [("fitted", i + 1, v) for i, v in enumerate(r.fittedvalues)]
    rows += [("sse", 0, r.sse), ("aic", 0, r.aic), ("bic", 0, r.bic)]
    if np.isfinite(r.aicc):
        rows.append(("aicc", 0, r.aicc))
    fc = r.forecast(horizon)
    rows += [("forecast_compat", h + 1, v) for h, v in enumerate(fc)]
    # the textbook forecast from statsmodels' final states
    phi = opts.get("phi", 1.0) if opts.get("trend") == "damped" else 1.0
    lvl = r.level[-1]
    b = r.trend[-1] if opts.get("trend", "none") != "none" else 0.0
    for h in range(1, horizon + 1):
        f = lvl + b * (np.cumsum(phi ** np.arange(1, h + 1))[-1]
                       if opts.get("trend") == "damped" else h)
        if m:
            s = r.season[-m + (h - 1) % m]
            f = f + s if opts["seasonal"] == "add" else f * s
        rows.append(("forecast", h, f))
    for q, i, v in rows:
        w.writerow([name, sname, n, json.dumps(opts, sort_keys=True), q, i, repr(float(v))])


def optimised_case(w, name, sname, y, n, opts):
    y = np.array(y[:n])
    mean = y.mean()
    ys = y / mean
    trend = opts.get("trend", "none")
    seasonal = opts.get("seasonal", "none")
    l0, b0, s0 = _initialization_heuristic(
        ys, False if trend == "none" else "add",
        False if seasonal == "none" else seasonal, opts.get("period"))
    mod = sm_model(ys, opts, init="estimated")
    fix = {"initial_level": l0}
    if trend != "none":
        fix["initial_trend"] = b0
    if seasonal != "none":
        fix.update({"initial_seasonal.%d" % j: v for j, v in enumerate(s0)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with mod.fix_params(fix):
            r = mod.fit()
    w.writerow([name, sname, n, json.dumps(opts, sort_keys=True), "sse_statsmodels", 0,
                repr(float(r.sse * mean ** 2))])
    w.writerow([name, sname, n, json.dumps(opts, sort_keys=True), "statsmodels_warnings", 0,
                len(caught)])


def main():
    series = weekly_series()
    with open(os.path.join(DATA, "ets_series.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "t", "value"])
        for s, y in series.items():
            for t, v in enumerate(y):
                w.writerow([s, t + 1, repr(v)])
    forms = [dict(trend=t, seasonal=s, **({"period": p} if s != "none" else {}))
             for t in ("none", "add", "damped") for s in ("none", "add", "mul")
             for p in ((4,) if s != "none" else (None,))]
    with open(os.path.join(DATA, "ets_ref.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["case_name", "series", "n_train", "options", "quantity", "idx", "value"])
        k = 0
        for sname, y in series.items():
            for form in forms:
                if form["seasonal"] == "mul" and min(y) <= 0:
                    continue
                opts = dict(form, alpha=0.5)
                if form["trend"] != "none":
                    opts["beta"] = 0.1
                if form["trend"] == "damped":
                    opts["phi"] = 0.9
                if form["seasonal"] != "none":
                    opts["gamma"] = 0.2
                k += 1
                fixed_case(w, "fixed%02d" % k, sname, y, 44, opts,
                           2 * form.get("period", 4) + 1)
                optimised_case(w, "opt%02d" % k, sname, y, 44 if sname == "revenue" else 48, form)
        # a longer period (13 weeks) and the statsmodels_compat steps 13, 26
        y = series["revenue"]
        opts = dict(trend="damped", seasonal="add", period=13, alpha=0.3, beta=0.05,
                    gamma=0.1, phi=0.95)
        fixed_case(w, "fixed_p13", "revenue", y, 52, opts, 27)
        optimised_case(w, "opt_p13", "revenue", y, 52,
                       dict(trend="damped", seasonal="add", period=13))
        # known initial states
        opts = dict(trend="add", seasonal="add", period=4, alpha=0.4, beta=0.2,
                    gamma=0.3, initialization="known", initial_level=150000.0,
                    initial_trend=1000.0,
                    initial_seasonals=[5000.0, -2000.0, 1000.0, -4000.0])
        fixed_case(w, "fixed_known", "revenue", y, 44, opts, 9)


if __name__ == "__main__":
    main()
