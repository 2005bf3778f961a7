#!/usr/bin/python3
"""Reference values for test/pgtap/51_curves.sql.

Run with Debian's interpreter, which has numpy, pandas and scikit-learn
(apt-get install python3-numpy python3-pandas python3-sklearn):

    /usr/bin/python3 test/ref/curves_ref.py

It writes five CSV files into test/data/ (see test/data/README.md), which
test/pgtap/51_curves.sql loads with \\copy, so the pgTAP suite needs no
Python.  Everything is seeded; the output is reproducible (the files in the
repository were written with numpy 1.24.2, pandas 1.5.3 and scikit-learn
1.2.1):

  curves_pts.csv      set, id, score, label, weight: the data sets below
  curves_roc_ref.csv  set, weighted, drop_intermediate, k, fpr, tpr,
                      threshold: sklearn.metrics.roc_curve, point k
                      (0-based)
  curves_pr_ref.csv   set, weighted, k, precision, recall, threshold:
                      sklearn.metrics.precision_recall_curve
  curves_auc_ref.csv  set, weighted, roc_auc, average_precision:
                      roc_auc_score and average_precision_score
  curves_gains_ref.csv set, bins, bin, customers, positives, min_score,
                      max_score, response_rate, lift, cumulative_gain,
                      cumulative_lift: the gains table computed with
                      pandas, independently of the extension's code

The first point of roc_curve: scikit-learn 1.2.1 gives it the threshold
max(score) + 1, scikit-learn 1.3 and later +inf; aimarketing follows the
later versions, so the file has Infinity there (the script checks that the
installed version gave max + 1 or inf before replacing it).

Data sets (floats written with repr(), which PostgreSQL's float8 input
reads back exactly):

  ties       3,000 rows, scores rounded to 2 decimals (many ties), labels
             drawn with a probability rising with the score; weights
             uniform in (0, 3), one in ten 0
  coarse     500 rows, ten integer scores 0..9 (heavy ties, so the gains
             bins are uneven and some empty); weights multiples of 1/4
             (every sum exact), some 0
  distinct   1,000 rows, continuous scores (no ties), lognormal weights
  churn      the churn model's scores: scikit-learn's unpenalised
             LogisticRegression on test/data/logit_small.csv (the data of
             sql/churn_model.sql), its predicted probabilities; weight 1
             for the churned, 3 for the others (class weights)
  positives  20 rows, every label 1 (average precision 1, precision-recall
             curve defined; roc_curve undefined)
"""
import csv
import math
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (average_precision_score, precision_recall_curve,
                             roc_auc_score, roc_curve)

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data')


def make_sets():
    rng = np.random.default_rng(20261204)
    sets = {}

    n = 3000
    s = np.round(rng.uniform(0, 1, n), 2)
    y = (rng.uniform(0, 1, n) < 1 / (1 + np.exp(-4 * (s - 0.5)))).astype(int)
    w = rng.uniform(0, 3, n)
    w[rng.uniform(0, 1, n) < 0.1] = 0.0
    sets['ties'] = (s, y, w)

    n = 500
    s = rng.integers(0, 10, n).astype(float)
    s[s == 9] = 8.0  # fewer distinct scores than bins
    y = (rng.uniform(0, 1, n) < (s + 1) / 12).astype(int)
    w = rng.integers(0, 9, n) / 4.0
    sets['coarse'] = (s, y, w)

    n = 1000
    s = rng.normal(0, 1, n)
    y = (rng.uniform(0, 1, n) < 1 / (1 + np.exp(-1.5 * s))).astype(int)
    w = np.exp(rng.normal(0, 0.5, n))
    sets['distinct'] = (s, y, w)

    small = pd.read_csv(os.path.join(DATA, 'logit_small.csv'))
    x = small[['x1', 'x2', 'x3']].to_numpy()
    y = (small['y'] == 't').astype(int).to_numpy()
    model = LogisticRegression(penalty='none', tol=1e-12, max_iter=10000).fit(x, y)
    s = model.predict_proba(x)[:, 1]
    w = np.where(y == 1, 1.0, 3.0)
    sets['churn'] = (s, y, w)

    n = 20
    s = np.round(rng.uniform(0, 1, n), 1)
    sets['positives'] = (s, np.ones(n, dtype=int), rng.uniform(0.5, 2, n))
    return sets


def roc_rows(name, s, y, w):
    rows = []
    for weighted in (False, True):
        if y.min() == y.max():
            continue
        for drop in (True, False):
            fpr, tpr, thr = roc_curve(y, s, sample_weight=w if weighted else None,
                                      drop_intermediate=drop)
            assert thr[0] == thr[1] + 1 or math.isinf(thr[0]), sklearn.__version__
            thr = thr.copy()
            thr[0] = math.inf
            for k in range(len(fpr)):
                rows.append([name, weighted, drop, k, repr(float(fpr[k])),
                             repr(float(tpr[k])), 'Infinity' if k == 0 else repr(float(thr[k]))])
    return rows


def pr_rows(name, s, y, w):
    rows = []
    for weighted in (False, True):
        p, r, thr = precision_recall_curve(y, s, sample_weight=w if weighted else None)
        assert len(p) == len(thr) + 1
        for k in range(len(p)):
            rows.append([name, weighted, k, repr(float(p[k])), repr(float(r[k])),
                         repr(float(thr[k])) if k < len(thr) else ''])
    return rows


def auc_rows(name, s, y, w):
    rows = []
    for weighted in (False, True):
        sw = w if weighted else None
        auc = repr(float(roc_auc_score(y, s, sample_weight=sw))) if y.min() != y.max() else ''
        ap = repr(float(average_precision_score(y, s, sample_weight=sw)))
        rows.append([name, weighted, auc, ap])
    return rows


def gains_rows(name, s, y, bins):
    """The gains table: a row goes to bin 1 + floor(bins * h / n), h the
    rows with a strictly higher score (pandas' rank, method 'min')."""
    df = pd.DataFrame({'score': s, 'label': y})
    n = len(df)
    higher = df['score'].rank(method='min', ascending=False).astype(int) - 1
    df['bin'] = 1 + (bins * higher) // n
    base = df['label'].mean()
    g = df.groupby('bin').agg(customers=('label', 'size'), positives=('label', 'sum'),
                              min_score=('score', 'min'), max_score=('score', 'max'))
    g = g.reindex(range(1, bins + 1))
    g['customers'] = g['customers'].fillna(0).astype(int)
    g['positives'] = g['positives'].fillna(0).astype(int)
    g['response_rate'] = g['positives'] / g['customers'].replace(0, np.nan)
    g['lift'] = g['response_rate'] / base
    g['cumulative_gain'] = g['positives'].cumsum() / df['label'].sum()
    cumc = g['customers'].cumsum().replace(0, np.nan)
    g['cumulative_lift'] = g['positives'].cumsum() / cumc / base

    def f(v):
        return '' if pd.isna(v) else repr(float(v))
    return [[name, bins, b, int(r.customers), int(r.positives), f(r.min_score), f(r.max_score),
             f(r.response_rate), f(r.lift), f(r.cumulative_gain), f(r.cumulative_lift)]
            for b, r in g.iterrows()]


def write(fname, header, rows):
    with open(os.path.join(DATA, fname), 'w', newline='') as fh:
        wr = csv.writer(fh, lineterminator='\n')
        wr.writerow(header)
        wr.writerows(rows)


def main():
    sets = make_sets()
    pts, roc, pr, auc, gains = [], [], [], [], []
    for name, (s, y, w) in sets.items():
        for i in range(len(s)):
            pts.append([name, i + 1, repr(float(s[i])), int(y[i]), repr(float(w[i]))])
        roc += roc_rows(name, s, y, w)
        pr += pr_rows(name, s, y, w)
        auc += auc_rows(name, s, y, w)
        for bins in (10, 4, 20, 1):
            gains += gains_rows(name, s, y, bins)
    write('curves_pts.csv', ['set', 'id', 'score', 'label', 'weight'], pts)
    write('curves_roc_ref.csv', ['set', 'weighted', 'drop_intermediate', 'k', 'fpr', 'tpr', 'threshold'], roc)
    write('curves_pr_ref.csv', ['set', 'weighted', 'k', 'precision', 'recall', 'threshold'], pr)
    write('curves_auc_ref.csv', ['set', 'weighted', 'roc_auc', 'average_precision'], auc)
    write('curves_gains_ref.csv', ['set', 'bins', 'bin', 'customers', 'positives', 'min_score',
                                   'max_score', 'response_rate', 'lift', 'cumulative_gain',
                                   'cumulative_lift'], gains)


if __name__ == '__main__':
    main()
