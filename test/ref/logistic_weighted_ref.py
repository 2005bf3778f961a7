#!/usr/bin/python3
"""Reference values for test/pgtap/52_logistic_weighted.sql.

Run with Debian's interpreter, which has numpy, scikit-learn and statsmodels
(apt-get install python3-numpy python3-sklearn python3-statsmodels):

    /usr/bin/python3 test/ref/logistic_weighted_ref.py

It writes two CSV files into test/data/ (see test/data/README.md), which
test/pgtap/52_logistic_weighted.sql loads with \\copy, so the pgTAP suite
needs no Python.  Everything is seeded; the output is reproducible (the
files in the repository were written with numpy 1.24.2, scikit-learn 1.2.1
and statsmodels 0.13.5):

  logistic_weighted_pts.csv  set, id, f, y, w: the data sets below
  logistic_weighted_ref.csv  case_name, set, l2, coef, se, z, p, loglik, n,
                             positives, weight_sum, positive_weight, source

Data sets (features rounded to 6 significant digits, weights to 3, so the
literals are short and both sides parse the same decimal strings to the
same doubles; floats written with repr(), arrays as PostgreSQL array
literals):

  random      500 rows, 3 features, weights uniform in [0.2, 5], one row in
              ten of weight 0
  integer     300 rows, 2 features, integer weights 0..4 (the pgTAP suite
              compares them with rows repeated w times)
  unbalanced  800 rows, 3 features, about 8% positives; w holds
              scikit-learn's class weights 'balanced', n / (2 n_class) (the
              pgTAP suite computes the same weights in SQL)
  churn       the README's churn recipe on the bundled Online Retail orders
              (features as of 2011-06-01, label "no order in the following
              90 days", as test/ref/logistic_ref.py computes them), w the
              'balanced' class weights

Cases (aimarketing's l2 is scikit-learn's 1 / C: scikit-learn minimises
0.5 |b[1:]|^2 + C sum(w_i loss_i), which is maximising
sum(w_i loglik_i) - (1 / (2 C)) |b[1:]|^2; the intercept is not
penalised):

  random_none       sample_weight=w, unpenalised
  random_c1         C = 1 (l2 = 1)
  random_c01        C = 0.1 (l2 = 10)
  integer_none      sample_weight=w (integers)
  unbalanced_none   class_weight='balanced' (no sample_weight)
  churn_balanced    class_weight='balanced'

For each case: the coefficients of scikit-learn's
LogisticRegression(solver='newton-cg', tol=1e-12) (intercept first),
checked by polishing them with a weighted Newton's method in numpy: if they
differ by more than 1e-10 relative, the polished ones are the reference
(said on stderr and in the source column).  Unpenalised cases: standard
errors, z, p-values and the log-likelihood of statsmodels'
GLM(y, X, family=Binomial(), freq_weights=w) fitted by IRLS to tol 1e-13,
whose coefficients must agree with the reference to 1e-9 (checked);
n and positives count the rows of weight > 0, weight_sum is statsmodels'
wnobs (sum of the weights).  Penalised cases: the closed-form penalised
Hessian X' diag(w p (1 - p)) X + l2 (non-intercept diagonal) in numpy, as
logistic_summary documents for l2 > 0.
"""

import csv
import datetime as dt
import gzip
import math
import os
import sys

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_sample_weight

SEED = 20261204
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
DATA = os.path.join(ROOT, 'test', 'data')


def r6(x):
    return float('%.6g' % x)


def write_csv(name, header, rows):
    with open(os.path.join(DATA, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def sql_array(v):
    return "{" + ",".join(repr(float(x)) for x in v) + "}"


def design(X):
    return np.column_stack([np.ones(len(X)), X])


def loglik(Xt, y, w, b):
    z = Xt @ b
    return math.fsum(w * (y * z - np.logaddexp(0, z)))


def newton_polish(X, y, w, b, l2):
    """Newton's method from b on sum(w loglik) - (l2 / 2) |b[1:]|^2."""
    Xt = design(X)
    pen = np.full(Xt.shape[1], l2)
    pen[0] = 0.0
    for _ in range(50):
        z = Xt @ b
        p = 1 / (1 + np.exp(-z))
        g = Xt.T @ (w * (y - p)) - pen * b
        H = Xt.T @ (Xt * (w * p * (1 - p))[:, None]) + np.diag(pen)
        step = np.linalg.solve(H, g)
        b = b + step
        if np.max(np.abs(step) / (1 + np.abs(b))) < 1e-15:
            break
    return b


def sk_fit(X, y, C, w=None, class_weight=None):
    kw = dict(penalty=None) if C is None else dict(C=C)
    m = LogisticRegression(solver='newton-cg', tol=1e-12, max_iter=10000,
                           class_weight=class_weight, **kw)
    m.fit(X, y, sample_weight=w)
    return np.concatenate([m.intercept_, m.coef_[0]])


def statsmodels_fit(X, y, w, b_ref):
    """statsmodels' GLM with freq_weights: standard errors, z, p, loglik."""
    res = sm.GLM(y, design(X), family=sm.families.Binomial(),
                 freq_weights=w).fit(tol=1e-13, maxiter=100)
    rel = float(np.max(np.abs(res.params - b_ref) / np.abs(b_ref)))
    assert rel < 1e-9, ('statsmodels coefficients differ', rel)
    pv = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in res.tvalues])
    assert np.allclose(pv, res.pvalues, rtol=1e-9, atol=1e-300), 'p-values'
    return res.bse, res.tvalues, pv, float(res.llf), float(res.model.wnobs)


def closed_form(X, y, w, b, l2):
    Xt = design(X)
    z = Xt @ b
    p = 1 / (1 + np.exp(-z))
    pen = np.full(Xt.shape[1], l2)
    pen[0] = 0.0
    H = Xt.T @ (Xt * (w * p * (1 - p))[:, None]) + np.diag(pen)
    se = np.sqrt(np.diag(np.linalg.inv(H)))
    zz = b / se
    pv = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in zz])
    return se, zz, pv, loglik(Xt, y, w, b), math.fsum(w)


def churn_set(cutoff, horizon_days=90):
    """test/ref/logistic_ref.py's churn features (the README's recipe)."""
    lines = []
    path = os.path.join(ROOT, 'data', 'online_retail.csv.gz')
    with gzip.open(path, 'rt', encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            inv, cid = row['InvoiceNo'], row['CustomerID']
            q, p = int(row['Quantity']), float(row['UnitPrice'])
            if cid == '' or inv[0] in 'CA' or q <= 0 or p <= 0:
                continue
            ts = dt.datetime.strptime(row['InvoiceDate'], '%Y-%m-%d %H:%M:%S')
            lines.append((int(float(cid)), inv, ts, q * p))
    cut = dt.datetime.combine(cutoff, dt.time())
    end = cut + dt.timedelta(days=horizon_days)
    first, last, invs, money, future = {}, {}, {}, {}, set()
    for cid, inv, ts, amt in lines:
        if ts < cut:
            first[cid] = min(first.get(cid, ts), ts)
            last[cid] = max(last.get(cid, ts), ts)
            invs.setdefault(cid, set()).add(inv)
            money[cid] = money.get(cid, 0.0) + amt
        elif ts < end:
            future.add(cid)
    feats, labels = [], []
    for c in sorted(last):
        recency = (cutoff - last[c].date()).days
        tenure = (cutoff - first[c].date()).days
        freq = len(invs[c])
        mon = money[c]
        feats.append([math.log1p(recency), math.log1p(freq), math.log1p(mon),
                      math.log1p(tenure), math.log1p(mon / freq)])
        labels.append(0 if c in future else 1)
    return np.array(feats), np.array(labels, dtype=float)


def data_sets():
    rng = np.random.default_rng(SEED)
    sets = {}

    n = 500
    X = np.vectorize(r6)(rng.normal(size=(n, 3)) * np.array([1.0, 2.0, 0.5]))
    z = 0.2 + X @ np.array([0.9, -0.4, 1.5])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(float)
    w = np.round(rng.uniform(0.2, 5.0, size=n), 3)
    w[rng.uniform(size=n) < 0.1] = 0.0
    sets['random'] = (X, y, w)

    n = 300
    X = np.vectorize(r6)(rng.normal(size=(n, 2)))
    z = -0.5 + X @ np.array([1.1, 0.6])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(float)
    w = rng.integers(0, 5, size=n).astype(float)
    sets['integer'] = (X, y, w)

    n = 800
    X = np.vectorize(r6)(rng.normal(size=(n, 3)))
    z = -3.0 + X @ np.array([0.8, -0.6, 0.4])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(float)
    sets['unbalanced'] = (X, y, compute_sample_weight('balanced', y))

    X, y = churn_set(dt.date(2011, 6, 1))
    sets['churn'] = (X, y, compute_sample_weight('balanced', y))
    return sets


# case, set, C (None: unpenalised), class_weight
CASES = [
    ('random_none', 'random', None, None),
    ('random_c1', 'random', 1.0, None),
    ('random_c01', 'random', 0.1, None),
    ('integer_none', 'integer', None, None),
    ('unbalanced_none', 'unbalanced', None, 'balanced'),
    ('churn_balanced', 'churn', None, 'balanced'),
]


def emit():
    sets = data_sets()
    rows = []
    for name in ('random', 'integer', 'unbalanced', 'churn'):
        X, y, w = sets[name]
        for i, (x, lab, wt) in enumerate(zip(X, y, w)):
            rows.append((name, i + 1, sql_array(x), 'true' if lab else 'false', repr(float(wt))))
    write_csv('logistic_weighted_pts.csv', ('set', 'id', 'f', 'y', 'w'), rows)

    out = []
    for case, setname, C, cw in CASES:
        X, y, w = sets[setname]
        l2 = 0.0 if C is None else 1.0 / C
        # class weights: scikit-learn's own 'balanced', not our w
        b_sk = sk_fit(X, y, C, w=None if cw else w, class_weight=cw)
        b_pol = newton_polish(X, y, w, b_sk.copy(), l2)
        diff = float(np.max(np.abs(b_sk - b_pol) / np.abs(b_pol)))
        note = 'scikit-learn (Newton polish agrees to %.1e)' % diff
        b = b_sk
        if diff > 1e-10:
            b = b_pol
            note = 'Newton-polished (scikit-learn was %.1e off)' % diff
            print('%s: using the polished coefficients, scikit-learn was %.3g off'
                  % (case, diff), file=sys.stderr)
        if C is None:
            se, zz, pv, ll, wsum = statsmodels_fit(X, y, w, b)
            note += '; statsmodels GLM freq_weights'
        else:
            se, zz, pv, ll, wsum = closed_form(X, y, w, b, l2)
            note += '; numpy penalised Hessian'
        assert np.all(np.abs(zz) > 1e-3), (case, zz)
        keep = w > 0
        out.append((case, setname, repr(float(l2)), sql_array(b), sql_array(se),
                    sql_array(zz), sql_array(pv), repr(float(ll)), int(keep.sum()),
                    int(y[keep].sum()), repr(float(wsum)), repr(float(math.fsum(w[y == 1]))), note))
    write_csv('logistic_weighted_ref.csv',
              ('case_name', 'set', 'l2', 'coef', 'se', 'z', 'p', 'loglik', 'n', 'positives',
               'weight_sum', 'positive_weight', 'source'), out)


if __name__ == "__main__":
    emit()
    print("test/ref/logistic_weighted_ref.py: wrote logistic_weighted_pts.csv, logistic_weighted_ref.csv"
          " (numpy %s, scikit-learn %s, statsmodels %s)"
          % (np.__version__, sklearn.__version__, statsmodels.__version__))
