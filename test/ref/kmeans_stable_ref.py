#!/usr/bin/python3
"""Reference values for section 9 of test/pgtap/30_kmeans.sql: n_init, warm
start and kmeans_match (issue 13, "segments that stay put").

Run with Debian's interpreter (python3-numpy, python3-sklearn, python3-scipy):

    /usr/bin/python3 test/ref/kmeans_stable_ref.py

Everything is seeded; the output is reproducible (the files in the
repository were written with numpy 1.24.2, scikit-learn 1.2.1 and scipy
1.10.1).  It writes into test/data/:

  kmeans_stable_pts.csv    set, id, f: the points
  kmeans_warm_sklearn.csv  set, k, tol, init, centres, inertia, n_iter:
                           KMeans(n_clusters=k, init=init, n_init=1,
                           algorithm='lloyd', tol=tol).fit(points), the
                           centres in init's row order (a warm start keeps
                           the numbering)
  kmeans_ninit_sklearn.csv set, k, inertia_n10, inertia_n1_min,
                           inertia_n1_max: KMeans(n_init=10,
                           random_state=0).inertia_, and the least and
                           largest inertia_ of n_init=1 over random_state
                           0..19 (how much a single run can miss)
  kmeans_match_ref.csv     case, old, new, matched, cost: the rows of new
                           renumbered by scipy.optimize.linear_sum_assignment
                           on the squared distances (row i of old takes
                           new[col_ind[i]]), and the total squared distance

The warm-start sets overlap (Gaussian clusters closer than their spread), so
Lloyd takes several iterations from the init; the init rows are data points
chosen at random, none a duplicate.  The n_init sets are many blobs, where a
single k-means++ run can merge two blobs and split another.  Coordinates are
rounded to 6 decimals, floats written with repr() so both sides parse the
same doubles.  The match cases are random (unique optimum with probability
1): k from 1 to 200 and d from 1 to 6, old and new drawn independently.
"""

import csv
import os

# scikit-learn's OpenMP reductions sum in an order that depends on the
# threads, so that a near-tie can flip between runs: one thread
os.environ['OMP_NUM_THREADS'] = '1'

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from scipy.optimize import linear_sum_assignment  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402

SEED = 20261204
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')


def write_csv(name, header, rows):
    with open(os.path.join(DATA, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def lloyd(X, init):
    """Lloyd's algorithm from init with direct squared differences (no
    |x|^2 - 2 x.c + |c|^2 expansion), until no label changes."""
    c = init.copy()
    labels = None
    while True:
        d2 = ((X[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
        new = d2.argmin(axis=1)
        if labels is not None and (new == labels).all():
            return c
        labels = new
        c = np.array([X[labels == j].mean(axis=0) for j in range(len(c))])


def sql_array(v):
    return "{" + ",".join(repr(float(x)) for x in v) + "}"


def sql_matrix(m):
    return "{" + ",".join(sql_array(r) for r in m) + "}"


rng = np.random.default_rng(SEED)
pts = []

# warm start sets: (name, n, d, k, spread)
warm = []
for name, n, d, k, spread in [('warm_2d_k4', 400, 2, 4, 1.3),
                              ('warm_3d_k6', 600, 3, 6, 1.2),
                              ('warm_5d_k3', 300, 5, 3, 2.0)]:
    means = rng.normal(0, 2.0, size=(k, d))
    lab = rng.integers(0, k, size=n)
    X = np.round(means[lab] + rng.normal(0, spread, size=(n, d)), 6)
    X = np.unique(X, axis=0)
    rng.shuffle(X)
    for i, x in enumerate(X):
        pts.append((name, i + 1, sql_array(x)))
    init = X[rng.choice(len(X), size=k, replace=False)]
    for tol in (0.0, 1e-4):
        km = KMeans(n_clusters=k, init=init, n_init=1, algorithm='lloyd',
                    tol=tol, max_iter=300).fit(X)
        assert km.n_iter_ > 2, (name, km.n_iter_)
        # the reference is Lloyd's path itself: sklearn's distances (by the
        # |x|^2 expansion) must not have flipped a near-tie on the way
        if tol == 0.0:
            assert np.abs(lloyd(X, init) - km.cluster_centers_).max() < 1e-9, name
        assert len(set(km.labels_)) == k
        warm.append((name, k, repr(tol), sql_matrix(init),
                     sql_matrix(km.cluster_centers_), repr(float(km.inertia_)),
                     km.n_iter_))

# n_init sets: many blobs
ninit = []
for name, d, k, per, box in [('ninit_2d_k12', 2, 12, 40, 30), ('ninit_3d_k15', 3, 15, 30, 8)]:
    means = rng.uniform(-box, box, size=(k, d))
    X = np.round(np.vstack([m + rng.normal(0, 1.0, size=(per, d)) for m in means]), 6)
    X = np.unique(X, axis=0)
    rng.shuffle(X)
    for i, x in enumerate(X):
        pts.append((name, i + 1, sql_array(x)))
    best = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_
    singles = [KMeans(n_clusters=k, n_init=1, random_state=s).fit(X).inertia_
               for s in range(20)]
    assert max(singles) > best * 1.05, (name, best, max(singles))
    ninit.append((name, k, repr(float(best)), repr(float(min(singles))),
                  repr(float(max(singles)))))

# kmeans_match against linear_sum_assignment
match = []
case = 0
for k, d in [(1, 1), (2, 1), (3, 2), (4, 3), (5, 2), (8, 4), (10, 1), (16, 3),
             (25, 2), (40, 5), (60, 6), (100, 3), (200, 2)]:
    for rep in range(2 if k < 100 else 1):
        case += 1
        old = np.round(rng.normal(0, 1, size=(k, d)), 6)
        new = np.round(old[rng.permutation(k)] + rng.normal(0, 0.7, size=(k, d)), 6)
        cost = ((old[:, None, :] - new[None, :, :]) ** 2).sum(axis=2)
        row, col = linear_sum_assignment(cost)
        assert list(row) == list(range(k))
        match.append((case, sql_matrix(old), sql_matrix(new), sql_matrix(new[col]),
                      repr(float(cost[row, col].sum()))))

write_csv('kmeans_stable_pts.csv', ['set', 'id', 'f'], pts)
write_csv('kmeans_warm_sklearn.csv',
          ['set', 'k', 'tol', 'init', 'centres', 'inertia', 'n_iter'], warm)
write_csv('kmeans_ninit_sklearn.csv',
          ['set', 'k', 'inertia_n10', 'inertia_n1_min', 'inertia_n1_max'], ninit)
write_csv('kmeans_match_ref.csv', ['case', 'old', 'new', 'matched', 'cost'], match)
print('numpy %s, scikit-learn %s, scipy %s: %d points, %d warm, %d n_init, %d match cases'
      % (np.__version__, sklearn.__version__, scipy.__version__, len(pts), len(warm),
         len(ninit), len(match)))
