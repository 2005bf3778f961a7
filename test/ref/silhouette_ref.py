#!/usr/bin/python3
"""Reference values for silhouette_score (test/pgtap/32_silhouette.sql).

Run with Debian's interpreter, which has numpy and scikit-learn
(apt-get install python3-numpy python3-sklearn):

    /usr/bin/python3 test/ref/silhouette_ref.py

It writes four CSV files into test/data/ (see test/data/README.md), which
the pgTAP suite loads with \\copy, so it needs no Python.  Everything is
seeded; the output is reproducible (the files in the repository were
written with numpy 1.24.2 and scikit-learn 1.2.1):

  silhouette_pts.csv      set, id, cluster, f: the points of every set
  silhouette_ref.csv      set, n, k, sklearn, direct: the two references
  silhouette_rfm.csv.gz   id, f, k2 .. k8: the Online Retail RFM features
                          (built as test/ref/kmeans_rfm_ref.py builds them)
                          and scikit-learn's KMeans(n_init=10,
                          random_state=0) labels (1-based) for k = 2..8,
                          fitted on one thread
  silhouette_rfm_ref.csv  k, n, sklearn, direct: their silhouettes

Two references for each set:

  sklearn  sklearn.metrics.silhouette_score(X, labels) (Euclidean);
  direct   the same definition computed independently: each distance from
           the coordinate differences, sqrt(sum (x - y)^2) (one rounding
           per operation, so within a few units in the last place), the
           per-cluster sums and the final mean with math.fsum (exactly
           rounded), a(i) over the other points of i's cluster, b(i) the
           smallest mean over the other clusters, s(i) = (b - a) / max(a, b),
           0 for a point alone in its cluster and for a = b = 0.

scikit-learn computes distances as sqrt(|x|^2 + |y|^2 - 2 x.y), which is
inexact for short distances: equal points come out about 1e-8 |x| apart
instead of 0, and points far from the origin lose more digits.  The
script prints, and the CSV keeps, both values; the sets where they differ
by more than 1e-12 ("duplicates", "offset") show where scikit-learn itself
is off.  silhouette_score computes the distances as the direct reference
does, so the suite compares it with `direct` everywhere and with `sklearn`
where scikit-learn is accurate (|sklearn - direct| <= 1e-13).

The sets:
  blobs_k2      120 points in 2-D, 2 blobs
  blobs_k3_5d   300 points in 5-D, 3 blobs
  blobs_k6      400 points in 3-D, 6 blobs of unequal sizes and spreads
  random_k4     200 uniform points in 4-D, random labels (overlapping
                clusters: negative coefficients)
  singletons    100 points in 2-D, 3 blobs plus 5 clusters of one point
  ties          a 6 x 6 integer grid in 2-D cut into 4 quadrants: equal
                distances everywhere, b(i) tied between clusters
  duplicates    blobs_k2's first 60 points twice each, plus 10 points
                repeated with another label
  labels        80 points in 3-D with labels -1 (noise, as DBSCAN's),
                0, 7 and 2147483647
  offset        200 points in 3-D, 3 blobs, 1e6 away from the origin
  pair          the smallest defined case: 3 points, clusters {1, 2} and {3}

Coordinates are rounded to 6 decimals (the RFM features are kept whole), so
both sides parse the same decimal strings to the same doubles.  Floats are
written with repr(), which PostgreSQL's float8 input reads back exactly.
"""
import csv
import datetime as dt
import gzip
import math
import os
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'data')


def direct(X, labels):
    """The silhouette from coordinate differences and exactly rounded sums."""
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    ids = sorted(set(labels.tolist()))
    members = {c: np.flatnonzero(labels == c) for c in ids}
    s = []
    for i in range(len(X)):
        dist = np.sqrt(((X - X[i]) ** 2).sum(axis=1))
        own = labels[i]
        if len(members[own]) == 1:
            s.append(0.0)
            continue
        a = math.fsum(dist[members[own]]) / (len(members[own]) - 1)
        b = min(math.fsum(dist[members[c]]) / len(members[c])
                for c in ids if c != own)
        m = max(a, b)
        s.append(0.0 if m == 0 else (b - a) / m)
    return math.fsum(s) / len(s)


def arr(v):
    return '{' + ','.join(repr(float(x)) for x in v) + '}'


def blobs(n, d, k, seed, std=1.0):
    X, y = make_blobs(n_samples=n, n_features=d, centers=k, cluster_std=std,
                      random_state=seed)
    return np.round(X, 6), y


sets = []
X, y = blobs(120, 2, 2, 1)
sets.append(('blobs_k2', X, y))
sets.append(('blobs_k3_5d',) + blobs(300, 5, 3, 2, 2.5))
X, y = make_blobs(n_samples=[150, 100, 60, 40, 30, 20], n_features=3,
                  cluster_std=[0.5, 1.0, 1.5, 0.8, 2.0, 1.2], random_state=3)
sets.append(('blobs_k6', np.round(X, 6), y))
rng = np.random.default_rng(4)
sets.append(('random_k4', np.round(rng.uniform(-5, 5, (200, 4)), 6),
             rng.integers(1, 5, 200)))
X, y = blobs(95, 2, 3, 5)
Xs = np.round(rng.uniform(-20, 20, (5, 2)), 6)
sets.append(('singletons', np.vstack([X, Xs]),
             np.concatenate([y, np.arange(10, 15)])))
g = np.array([(i, j) for i in range(6) for j in range(6)], dtype=float)
sets.append(('ties', g, (g[:, 0] >= 3) * 2 + (g[:, 1] >= 3)))
X, y = sets[0][1], sets[0][2]
sets.append(('duplicates', np.vstack([X[:60], X[:60], X[60:70]]),
             np.concatenate([y[:60], y[:60], 1 - y[60:70]])))
X, y = blobs(80, 3, 4, 6)
sets.append(('labels', X, np.array([-1, 0, 7, 2147483647])[y]))
X, y = blobs(200, 3, 3, 7)
sets.append(('offset', X + 1e6, y))
sets.append(('pair', np.array([[0.0, 0.0], [1.0, 0.0], [4.0, 0.0]]),
             np.array([1, 1, 2])))

with open(os.path.join(data, 'silhouette_pts.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['set', 'id', 'cluster', 'f'])
    for name, X, y in sets:
        for i, (x, c) in enumerate(zip(X, y), 1):
            w.writerow([name, i, int(c), arr(x)])

print('# scikit-learn %s, numpy %s' % (sklearn.__version__, np.__version__),
      file=sys.stderr)
with open(os.path.join(data, 'silhouette_ref.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['set', 'n', 'k', 'sklearn', 'direct'])
    for name, X, y in sets:
        sk = float(silhouette_score(X, y))
        dr = direct(X, y)
        print('%-12s n=%4d k=%2d sklearn=%r direct=%r diff=%.3g'
              % (name, len(X), len(set(y.tolist())), sk, dr, sk - dr),
              file=sys.stderr)
        w.writerow([name, len(X), len(set(y.tolist())), repr(sk), repr(dr)])

# The Online Retail RFM features, built as test/ref/kmeans_rfm_ref.py and
# the README recipe build them, with scikit-learn's k-means labels.
path = os.path.join(here, '..', '..', 'data', 'online_retail.csv.gz')
last, invoices, money, maxts = {}, {}, {}, None
with gzip.open(path, 'rt', encoding='utf-8', newline='') as f:
    for row in csv.DictReader(f):
        ts = dt.datetime.strptime(row['InvoiceDate'], '%Y-%m-%d %H:%M:%S')
        if maxts is None or ts > maxts:
            maxts = ts
        inv, cid = row['InvoiceNo'], row['CustomerID']
        q, p = int(row['Quantity']), float(row['UnitPrice'])
        if cid == '' or inv.startswith('C') or inv.startswith('A') or q <= 0 or p <= 0:
            continue
        cid = int(float(cid))
        last[cid] = max(last.get(cid, ts), ts)
        invoices.setdefault(cid, set()).add(inv)
        money[cid] = money.get(cid, 0.0) + q * p
snapshot = maxts.date() + dt.timedelta(days=1)
ids = sorted(last)
X = np.log1p(np.column_stack([
    np.array([(snapshot - last[c].date()).days for c in ids], dtype=float),
    np.array([len(invoices[c]) for c in ids], dtype=float),
    np.array([money[c] for c in ids], dtype=float)]))
X = (X - X.mean(axis=0)) / X.std(axis=0)
# one thread: KMeans' OpenMP sums depend on the thread count (and their
# scheduling), which can change the labels from run to run
with threadpool_limits(limits=1):
    labels = {k: KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).labels_
              for k in range(2, 9)}
with open(os.path.join(data, 'silhouette_rfm_ref.csv'), 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['k', 'n', 'sklearn', 'direct'])
    for k in range(2, 9):
        sk = float(silhouette_score(X, labels[k]))
        dr = direct(X, labels[k])
        print('rfm k=%d sklearn=%r direct=%r diff=%.3g' % (k, sk, dr, sk - dr),
              file=sys.stderr)
        w.writerow([k, len(X), repr(sk), repr(dr)])
with gzip.GzipFile(os.path.join(data, 'silhouette_rfm.csv.gz'), 'wb',
                   mtime=0) as gz:
    text = ['id,f,' + ','.join('k%d' % k for k in range(2, 9))]
    for i, c in enumerate(ids):
        text.append('%d,"%s",%s' % (c, arr(X[i]),
                                    ','.join(str(int(labels[k][i]) + 1)
                                             for k in range(2, 9))))
    gz.write(('\n'.join(text) + '\n').encode())
