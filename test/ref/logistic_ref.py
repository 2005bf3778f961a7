#!/usr/bin/python3
"""Reference figures for logistic_fit, logistic_summary and roc_auc.

Run with Debian's interpreter (python3-sklearn, python3-numpy):
    /usr/bin/python3 test/ref/logistic_ref.py
Writes, under test/data/:
  logit_small.csv     200 rows (x1, x2, x3, y) of a seeded synthetic set
  auc_ties.csv        2000 (score, label) rows with heavy ties
  logistic_ref.csv    case, term, value: the reference numbers

Cases:
  small_none   scikit-learn LogisticRegression(penalty=None) on logit_small
  small_c05    the same with C = 0.5 (aimarketing l2 = 1 / C = 2)
  small_se     standard errors, z, p-values from the closed-form inverse
               Hessian (numpy), at the small_none coefficients
  churn_none   the churn recipe of the README on the bundled Online Retail
               orders: features as of 2011-06-01, label "no order in the
               following 90 days", unpenalised fit
  churn_se     standard errors and p-values of churn_none (numpy)
  churn_auc    roc_auc_score of churn_none's model on the features as of
               2011-09-01 against their labels
  auc_ties     roc_auc_score on auc_ties.csv
"""
import csv
import datetime as dt
import gzip
import math
import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, '..', '..')
out_dir = os.path.join(root, 'test', 'data')
refs = []


def fit(X, y, C=None):
    kw = dict(penalty=None) if C is None else dict(C=C)
    m = LogisticRegression(solver='newton-cg', tol=1e-12, max_iter=10000, **kw)
    m.fit(X, y)
    return np.concatenate([m.intercept_, m.coef_[0]])


def closed_form(X, y, beta):
    Xt = np.column_stack([np.ones(len(X)), X])
    z = Xt @ beta
    p = 1 / (1 + np.exp(-z))
    H = Xt.T @ (Xt * (p * (1 - p))[:, None])
    cov = np.linalg.inv(H)
    se = np.sqrt(np.diag(cov))
    zz = beta / se
    pv = np.array([math.erfc(abs(v) / math.sqrt(2)) for v in zz])
    ll = float(np.sum(y * z - np.logaddexp(0, z)))
    return se, zz, pv, ll


def add(case, names, values):
    for n, v in zip(names, values):
        refs.append((case, n, repr(float(v))))


# --- small synthetic set
rng = np.random.default_rng(20261123)
n = 200
X = np.column_stack([rng.normal(size=n), rng.uniform(-2, 2, size=n),
                     rng.integers(0, 5, size=n).astype(float)])
z = 0.3 + 1.2 * X[:, 0] - 0.7 * X[:, 1] + 0.25 * X[:, 2]
y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(int)
with open(os.path.join(out_dir, 'logit_small.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['x1', 'x2', 'x3', 'y'])
    for row, lab in zip(X, y):
        w.writerow([repr(float(v)) for v in row] + ['t' if lab else 'f'])
terms = ['intercept', 'x1', 'x2', 'x3']
b = fit(X, y)
add('small_none', terms, b)
add('small_c05', terms, fit(X, y, C=0.5))
se, zz, pv, ll = closed_form(X, y, b)
add('small_se', terms, se)
add('small_z', terms, zz)
add('small_p', terms, pv)
add('small_ll', ['loglik'], [ll])

# --- churn recipe on the Online Retail orders
lines = []
with gzip.open(os.path.join(root, 'data', 'online_retail.csv.gz'), 'rt', encoding='utf-8', newline='') as f:
    for row in csv.DictReader(f):
        inv, cid = row['InvoiceNo'], row['CustomerID']
        q, p = int(row['Quantity']), float(row['UnitPrice'])
        if cid == '' or inv[0] in 'CA' or q <= 0 or p <= 0:
            continue
        ts = dt.datetime.strptime(row['InvoiceDate'], '%Y-%m-%d %H:%M:%S')
        lines.append((int(float(cid)), inv, ts, q * p))


def churn_set(cutoff, horizon_days=90):
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
    ids = sorted(last)
    feats, labels = [], []
    for c in ids:
        recency = (cutoff - last[c].date()).days
        tenure = (cutoff - first[c].date()).days
        freq = len(invs[c])
        mon = money[c]
        feats.append([math.log1p(recency), math.log1p(freq), math.log1p(mon),
                      math.log1p(tenure), math.log1p(mon / freq)])
        labels.append(0 if c in future else 1)
    return np.array(feats), np.array(labels)


cterms = ['intercept', 'recency', 'frequency', 'monetary', 'tenure', 'avg_basket']
X1, y1 = churn_set(dt.date(2011, 6, 1))
bc = fit(X1, y1)
add('churn_none', cterms, bc)
se, zz, pv, ll = closed_form(X1, y1, bc)
add('churn_se', cterms, se)
add('churn_p', cterms, pv)
add('churn_ll', ['loglik', 'n', 'positives'], [ll, len(y1), y1.sum()])
X2, y2 = churn_set(dt.date(2011, 9, 1))
s2 = np.column_stack([np.ones(len(X2)), X2]) @ bc
add('churn_auc', ['auc', 'n'], [roc_auc_score(y2, s2), len(y2)])

# --- roc_auc with heavy ties
rng = np.random.default_rng(7)
m = 2000
score = rng.integers(0, 25, size=m) / 8.0
lab = (rng.uniform(size=m) < 0.2 + 0.6 * score / score.max()).astype(int)
with open(os.path.join(out_dir, 'auc_ties.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['score', 'label'])
    for s, l in zip(score, lab):
        w.writerow([repr(float(s)), 't' if l else 'f'])
add('auc_ties', ['auc'], [roc_auc_score(lab, score)])

with open(os.path.join(out_dir, 'logistic_ref.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['case', 'term', 'value'])
    w.writerows(refs)
