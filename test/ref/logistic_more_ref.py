#!/usr/bin/python3
"""Reference values for test/pgtap/50_churn.sql.

Run with Debian's interpreter, which has numpy and scikit-learn
(apt-get install python3-numpy python3-sklearn):

    /usr/bin/python3 test/ref/logistic_more_ref.py

It writes four CSV files into test/data/ (see test/data/README.md), which
test/pgtap/50_churn.sql loads with \copy, so the pgTAP suite needs no
Python.  Everything is seeded; the output is reproducible (the files in the
repository were written with numpy 1.24.2 and scikit-learn 1.2.1):

  logistic_more_pts.csv   set, id, f, y: the three data sets below
  logistic_more_ref.csv   case_name, set, l2, coef, se, z, p, loglik, n,
                          positives, source: the reference fits
  roc_auc_ties_pts.csv    set, id, score, label: the roc_auc data
  roc_auc_ties_ref.csv    set, distinct_scores, auc
It complements test/ref/logistic_ref.py (sql/churn_model.sql), whose data
sets are not repeated here.

Data sets (features rounded to 6 significant digits, so the literals are
short and both sides parse the same decimal strings to the same doubles;
floats are written with repr(), which PostgreSQL's float8 input reads back
exactly, arrays as PostgreSQL array literals):

  scales       300 rows, 5 features of standard deviations 1e-3, 1e-1, 1,
               1e1, 1e3 (coefficients from about 1e-3 to 1e3)
  unbalanced   600 rows, 3 features, about 5% positives
  correlated   250 rows, 4 features, two of them strongly correlated

Cases (aimarketing's l2 is scikit-learn's 1 / C: both maximise
loglik - (1 / (2 C)) |b[1:]|^2, the intercept not penalised):

  scales_none        unpenalised
  scales_c1          C = 1 (l2 = 1)
  unbalanced_none    unpenalised
  correlated_none    unpenalised
  correlated_c01     C = 0.1 (l2 = 10)
  correlated_c10     C = 10 (l2 = 0.1)
  intercept_only     no features, the labels of unbalanced: the closed form
                     b0 = log(positives / negatives)

For each case: the coefficients of scikit-learn's
LogisticRegression(solver='newton-cg', tol=1e-12) (intercept first),
checked by polishing them with Newton's method in numpy: if the polished
coefficients differ from scikit-learn's by more than 1e-10 relative, the
polished ones are the reference (the script says so on stderr and in the
source column).  Then, at those coefficients, the closed-form negative Hessian
H = X' W X (+ l2 on the diagonal of the penalised terms) and its inverse:
standard errors sqrt(diag(H^-1)), z = b / se, two-sided normal p-values
erfc(|z| / sqrt(2)), and the unpenalised log-likelihood.

roc_auc:  sklearn.metrics.roc_auc_score on random data with ties, also
computed exactly (Mann-Whitney with fractions) and checked to 1e-15:

  ties_heavy   3000 rows, the score one of 41 values k / 8 - 2
  ties_light   2000 rows, normal scores rounded to 2 decimals
"""

import csv
import math
import os
import sys
from fractions import Fraction

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

SEED = 20261124


def r6(x):
    return float('%.6g' % x)


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')


def write_csv(name, header, rows):
    with open(os.path.join(DATA, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def sql_array(v):
    return "{" + ",".join(repr(float(x)) for x in v) + "}"


def design(X):
    return np.column_stack([np.ones(len(X)), X])


def loglik(Xt, y, b):
    z = Xt @ b
    return math.fsum(y * z - np.logaddexp(0, z))


def newton_polish(X, y, b, l2):
    """Newton's method from b on loglik - (l2 / 2) |b[1:]|^2."""
    Xt = design(X)
    pen = np.full(Xt.shape[1], l2)
    pen[0] = 0.0
    for _ in range(50):
        z = Xt @ b
        p = 1 / (1 + np.exp(-z))
        g = Xt.T @ (y - p) - pen * b
        H = Xt.T @ (Xt * (p * (1 - p))[:, None]) + np.diag(pen)
        step = np.linalg.solve(H, g)
        b = b + step
        if np.max(np.abs(step) / (1 + np.abs(b))) < 1e-15:
            break
    return b


def closed_form(X, y, b, l2):
    Xt = design(X)
    z = Xt @ b
    p = 1 / (1 + np.exp(-z))
    pen = np.full(Xt.shape[1], l2)
    pen[0] = 0.0
    H = Xt.T @ (Xt * (p * (1 - p))[:, None]) + np.diag(pen)
    cov = np.linalg.inv(H)
    se = np.sqrt(np.diag(cov))
    zz = b / se
    pv = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in zz])
    return se, zz, pv, loglik(Xt, y, b)


def sk_fit(X, y, C):
    kw = dict(penalty=None) if C is None else dict(C=C)
    m = LogisticRegression(solver='newton-cg', tol=1e-12, max_iter=10000, **kw)
    m.fit(X, y)
    return np.concatenate([m.intercept_, m.coef_[0]])


def data_sets():
    rng = np.random.default_rng(SEED)
    sets = {}

    n = 300
    scales = np.array([1e-3, 1e-1, 1.0, 1e1, 1e3])
    X = np.vectorize(r6)(rng.normal(size=(n, 5)) * scales)
    beta = np.array([0.8, -0.6, 0.5, 0.7, -0.4]) / scales
    z = -0.3 + X @ beta
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(float)
    sets['scales'] = (X, y)

    n = 600
    X = np.vectorize(r6)(rng.normal(size=(n, 3)))
    z = -3.6 + X @ np.array([0.9, -0.5, 0.3])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(float)
    sets['unbalanced'] = (X, y)

    n = 250
    x1 = rng.normal(size=n)
    x2 = x1 + 0.3 * rng.normal(size=n)
    x3 = rng.uniform(-1, 1, size=n)
    x4 = rng.integers(0, 4, size=n).astype(float)
    X = np.vectorize(r6)(np.column_stack([x1, x2, x3, x4]))
    z = 0.4 + X @ np.array([1.0, 0.8, -1.2, 0.3])
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(float)
    sets['correlated'] = (X, y)
    return sets


CASES = [
    ('scales_none', 'scales', None),
    ('scales_c1', 'scales', 1.0),
    ('unbalanced_none', 'unbalanced', None),
    ('correlated_none', 'correlated', None),
    ('correlated_c01', 'correlated', 0.1),
    ('correlated_c10', 'correlated', 10.0),
]


def auc_exact(score, label):
    pos = [s for s, l in zip(score, label) if l]
    neg = sorted(s for s, l in zip(score, label) if not l)
    num = Fraction(0)
    import bisect
    for s in pos:
        lo = bisect.bisect_left(neg, s)
        hi = bisect.bisect_right(neg, s)
        num += lo + Fraction(hi - lo, 2)
    return num / (len(pos) * len(neg))


def emit():
    sets = data_sets()
    # logistic regression data: (set, id, features, label)
    rows = []
    for name in ('scales', 'unbalanced', 'correlated'):
        X, y = sets[name]
        for i, (x, lab) in enumerate(zip(X, y)):
            rows.append((name, i + 1, sql_array(x), 'true' if lab else 'false'))
    write_csv('logistic_more_pts.csv', ('set', 'id', 'f', 'y'), rows)

    out = []
    for case, setname, C in CASES:
        X, y = sets[setname]
        l2 = 0.0 if C is None else 1.0 / C
        b_sk = sk_fit(X, y, C)
        b_pol = newton_polish(X, y, b_sk.copy(), l2)
        diff = float(np.max(np.abs(b_sk - b_pol) / np.abs(b_pol)))
        note = 'scikit-learn (Newton polish agrees to %.1e)' % diff
        b = b_sk
        if diff > 1e-10:
            b = b_pol
            note = 'Newton-polished (scikit-learn was %.1e off)' % diff
            print('%s: using the polished coefficients, scikit-learn was %.3g off'
                  % (case, diff), file=sys.stderr)
        se, zz, pv, ll = closed_form(X, y, b, l2)
        # a relative test of a coefficient that is zero within its
        # uncertainty would test rounding, not the fit: none is
        assert np.all(np.abs(zz) > 1e-3), (case, zz)
        out.append((case, setname, l2, b, se, zz, pv, ll, len(y), int(y.sum()), note))

    # intercept only: the labels of unbalanced
    _, y = sets['unbalanced']
    n, pos = len(y), int(y.sum())
    b0 = math.log(pos / (n - pos))
    p = pos / n
    se0 = 1 / math.sqrt(n * p * (1 - p))
    ll0 = pos * math.log(p) + (n - pos) * math.log(1 - p)
    out.append(('intercept_only', 'unbalanced', 0.0, np.array([b0]), np.array([se0]),
                np.array([b0 / se0]), np.array([math.erfc(abs(b0 / se0) / math.sqrt(2))]),
                ll0, n, pos, 'closed form'))

    # reference fits: coefficients (intercept first), standard errors, z,
    # p-values, unpenalised log-likelihood, rows, positives, and where the
    # coefficients come from
    rows = []
    for case, setname, l2, b, se, zz, pv, ll, n, pos, note in out:
        rows.append((case, setname, repr(float(l2)), sql_array(b), sql_array(se),
                     sql_array(zz), sql_array(pv), repr(float(ll)), n, pos, note))
    write_csv('logistic_more_ref.csv', ('case_name', 'set', 'l2', 'coef', 'se', 'z', 'p',
                                        'loglik', 'n', 'positives', 'source'), rows)

    # roc_auc
    rng = np.random.default_rng(SEED + 1)
    m = 3000
    k = rng.integers(0, 41, size=m)
    s_heavy = k / 8.0 - 2.0
    l_heavy = (rng.uniform(size=m) < 0.15 + 0.5 * k / 40).astype(int)
    m = 2000
    s_light = np.round(rng.normal(size=m), 2)
    l_light = (rng.uniform(size=m) < 1 / (1 + np.exp(-1.5 * s_light))).astype(int)
    # roc_auc data: (set, id, score, label)
    rows = []
    for name, s, l in (('ties_heavy', s_heavy, l_heavy), ('ties_light', s_light, l_light)):
        for i, (sc, lab) in enumerate(zip(s, l)):
            rows.append((name, i + 1, repr(float(sc)), 'true' if lab else 'false'))
    write_csv('roc_auc_ties_pts.csv', ('set', 'id', 'score', 'label'), rows)
    # (set, distinct scores, roc_auc_score)
    rows = []
    for name, s, l in (('ties_heavy', s_heavy, l_heavy), ('ties_light', s_light, l_light)):
        auc = roc_auc_score(l, s)
        exact = auc_exact(list(map(float, s)), list(l))
        assert abs(auc - float(exact)) <= 1e-15, (name, auc, exact)
        rows.append((name, len(set(s.tolist())), repr(float(auc))))
    write_csv('roc_auc_ties_ref.csv', ('set', 'distinct_scores', 'auc'), rows)


if __name__ == "__main__":
    emit()
    print("test/ref/logistic_more_ref.py: wrote logistic_more_pts.csv, logistic_more_ref.csv,"
          " roc_auc_ties_pts.csv, roc_auc_ties_ref.csv (numpy %s, scikit-learn %s)"
          % (np.__version__, sklearn.__version__))
