#!/usr/bin/python3
"""Reference values for test/pgtap/30_kmeans.sql.

Run with Debian's interpreter, which has numpy and scikit-learn
(apt-get install python3-numpy python3-sklearn):

    /usr/bin/python3 test/ref/kmeans_small_ref.py

It writes four CSV files into test/data/ (see test/data/README.md), which
test/pgtap/30_kmeans.sql loads with \copy, so the pgTAP suite needs no
Python.  Everything is seeded; the output is reproducible (the files in the
repository were written with numpy 1.24.2 and scikit-learn 1.2.1):

  kmeans_blobs.csv          set, id, blob, f: the points of 1
  kmeans_blobs_sklearn.csv  set, k, n, inertia, centres: scikit-learn's fit
  kmeans_quality_pts.csv    set, id, f: the points of 2
  kmeans_quality.csv        set, centroids, inertia, silhouette

1. Well-separated blobs (the k-means optimum is the partition into blobs,
   which is unique): 3 blobs in 2-D, 4 blobs in 5-D, 5 blobs of unequal
   sizes and spreads in 3-D, and two groups of unequal size in 1-D.  For
   each, scikit-learn's KMeans(n_clusters=k, n_init=10, random_state=0)
   gives the optimal inertia and cluster_centers_.  The script asserts that
   scikit-learn did find the blob partition and that its centres are the
   blob means (computed exactly with fractions), so the reference is the
   optimum and not merely what scikit-learn happened to return.

2. kmeans_inertia / kmeans_silhouette of random points against a given
   centroid array: inertia = sum over the points of the squared distance to
   the nearest centroid; simplified silhouette = mean over the points of
   (b - a) / max(a, b), a and b the Euclidean distances to the nearest and
   the second-nearest centroid (0 when a = b = 0, as scikit-learn's
   silhouette_samples turns 0/0 into 0).  Computed twice: with numpy (and
   sklearn.metrics.pairwise_distances_argmin_min for the nearest distance),
   and exactly (fractions for the squared distances, decimal square roots
   at 50 digits); the exact value is printed and numpy must agree to 1e-13.

Coordinates are rounded to 6 decimals before use, so the literals are short
and both sides parse the same decimal strings to the same doubles.  Floats
are written with repr(), which PostgreSQL's float8 input reads back
exactly; arrays as PostgreSQL array literals.
"""

import csv
import math
import os
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import pairwise_distances_argmin_min

getcontext().prec = 50

SEED = 20240917
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')


def write_csv(name, header, rows):
    with open(os.path.join(DATA, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def sql_array(v):
    return "{" + ",".join(repr(float(x)) for x in v) + "}"


def sql_matrix(m):
    return "{" + ",".join(sql_array(r) for r in m) + "}"


def rel_close(a, b, tol):
    return abs(a - b) <= tol * max(abs(a), abs(b))


def frac_mean(rows):
    n = len(rows)
    return [float(sum(Fraction(float(r[t])) for r in rows) / n) for t in range(len(rows[0]))]


def exact_sqdist(x, c):
    return sum((Fraction(float(a)) - Fraction(float(b))) ** 2 for a, b in zip(x, c))


def frac_sqrt(q):
    return (Decimal(q.numerator) / Decimal(q.denominator)).sqrt()


# ----------------------------------------------------------------------
# 1. blobs
# ----------------------------------------------------------------------

def make_blobs(rng, centres, sizes, sds):
    pts, lab = [], []
    for j, (c, n, sd) in enumerate(zip(centres, sizes, sds)):
        p = np.round(np.asarray(c) + sd * rng.standard_normal((n, len(c))), 6)
        pts.append(p)
        lab += [j] * n
    X = np.vstack(pts)
    lab = np.asarray(lab)
    # shuffle, so that the rows are not grouped by blob
    perm = rng.permutation(len(X))
    return X[perm], lab[perm]


def blob_sets():
    rng = np.random.default_rng(SEED)
    sets = []
    sets.append(("blobs3_2d", 3) + make_blobs(
        rng, [[0.0, 0.0], [12.0, 3.0], [4.0, 15.0]], [50, 50, 50], [1.0, 1.0, 1.0]))
    while True:
        c = rng.uniform(-30, 30, (4, 5))
        if min(np.linalg.norm(c[i] - c[j]) for i in range(4) for j in range(i)) > 20:
            break
    sets.append(("blobs4_5d", 4) + make_blobs(rng, c, [40, 40, 40, 40], [1.0] * 4))
    while True:
        c = rng.uniform(-40, 40, (5, 3))
        if min(np.linalg.norm(c[i] - c[j]) for i in range(5) for j in range(i)) > 25:
            break
    sets.append(("blobs5_3d_unequal", 5) + make_blobs(
        rng, c, [10, 25, 40, 60, 15], [0.5, 1.0, 2.0, 1.5, 0.8]))
    sets.append(("groups2_1d", 2) + make_blobs(
        rng, [[0.0], [9.0]], [45, 15], [1.0, 0.6]))
    return sets


def check_and_emit_blobs():
    rows_pts, rows_ref = [], []
    for name, k, X, lab in blob_sets():
        km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        # scikit-learn found the blob partition ...
        pairs = set(zip(km.labels_.tolist(), lab.tolist()))
        assert len(pairs) == k, (name, pairs)
        # ... its centres are the blob means ...
        means = {}
        for j in range(k):
            means[j] = frac_mean(X[lab == j])
        for c in km.cluster_centers_:
            j = min(range(k), key=lambda j: np.sum((c - means[j]) ** 2))
            assert np.allclose(c, means[j], rtol=1e-13, atol=1e-13), (name, c, means[j])
        # ... and its inertia is the exact within-blob sum of squares
        exact = float(sum(exact_sqdist(x, means[l]) for x, l in zip(X, lab)))
        assert rel_close(km.inertia_, exact, 1e-12), (name, km.inertia_, exact)
        for i, x in enumerate(X):
            rows_pts.append((name, i + 1, lab[i] + 1, sql_array(x)))
        # centres in a canonical order (by coordinates) for readability
        centres = sorted(km.cluster_centers_.tolist())
        rows_ref.append((name, k, len(X), repr(float(km.inertia_)), sql_matrix(centres)))
    # well-separated blobs
    write_csv('kmeans_blobs.csv', ('set', 'id', 'blob', 'f'), rows_pts)
    # KMeans(n_clusters=k, n_init=10, random_state=0): inertia_ and
    # cluster_centers_ sorted by coordinates
    write_csv('kmeans_blobs_sklearn.csv', ('set', 'k', 'n', 'inertia', 'centres'), rows_ref)


# ----------------------------------------------------------------------
# 2. inertia and simplified silhouette for given centroids
# ----------------------------------------------------------------------

def quality_sets():
    rng = np.random.default_rng(SEED + 1)
    sets = []
    X = np.round(rng.uniform(-5, 5, (300, 3)), 6)
    C = np.round(rng.uniform(-4, 4, (5, 3)), 6)
    sets.append(("uniform_3d_k5", X, C))
    X = np.round(rng.standard_normal((200, 1)) * 1.5, 6)
    C = np.array([[-1.0], [0.5], [2.0]])
    # a point on a centroid (a = 0, silhouette 1) and one halfway between
    # two centroids (a = b, silhouette 0)
    X = np.vstack([X, [[0.5], [-0.25]]])
    sets.append(("normal_1d_k3", X, C))
    X = np.round(rng.standard_normal((250, 8)) * 2.0 + 1.0, 6)
    C = np.round(rng.standard_normal((6, 8)) * 2.0 + 1.0, 6)
    # three points exactly on centroids
    X = np.vstack([X, C[[0, 3, 5]]])
    sets.append(("normal_8d_k6", X, C))
    X = np.round(rng.uniform(0, 1000, (150, 2)), 6)
    C = np.array([[250.0, 250.0], [750.0, 750.0]])
    sets.append(("uniform_2d_k2", X, C))
    # two equal centroids: a point on them has a = b = 0 (silhouette 0 by
    # convention); the others have a = b (silhouette 0) as well
    X = np.round(rng.uniform(-1, 1, (20, 2)), 6)
    X = np.vstack([X, [[0.0, 0.0]]])
    C = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    sets.append(("duplicate_centroids", X, C))
    return sets


def exact_quality(X, C):
    inertia = Fraction(0)
    sil = Decimal(0)
    for x in X:
        d = sorted(exact_sqdist(x, c) for c in C)
        inertia += d[0]
        a, b = frac_sqrt(d[0]), frac_sqrt(d[1])
        m = max(a, b)
        sil += (b - a) / m if m > 0 else Decimal(0)
    return float(inertia), float(sil / len(X))


def numpy_quality(X, C):
    D2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    D2.sort(axis=1)
    inertia = math.fsum(D2[:, 0])
    a, b = np.sqrt(D2[:, 0]), np.sqrt(D2[:, 1])
    m = np.maximum(a, b)
    s = np.where(m > 0, (b - a) / np.where(m > 0, m, 1.0), 0.0)
    # scikit-learn's nearest distances agree
    _, dmin = pairwise_distances_argmin_min(X, C)
    assert np.allclose(dmin, a, rtol=1e-12, atol=1e-12)
    return inertia, math.fsum(s) / len(X)


def check_and_emit_quality():
    rows_pts, rows_ref = [], []
    for name, X, C in quality_sets():
        ei, es = exact_quality(X, C)
        ni, ns = numpy_quality(X, C)
        assert rel_close(ei, ni, 1e-13), (name, ei, ni)
        assert rel_close(es, ns, 1e-13) or ei == ni == 0, (name, es, ns)
        for i, x in enumerate(X):
            rows_pts.append((name, i + 1, sql_array(x)))
        rows_ref.append((name, sql_matrix(C), repr(float(ei)), repr(float(es))))
    # random points for kmeans_inertia / kmeans_silhouette
    write_csv('kmeans_quality_pts.csv', ('set', 'id', 'f'), rows_pts)
    # inertia and simplified silhouette, exact and checked with numpy
    write_csv('kmeans_quality.csv', ('set', 'centroids', 'inertia', 'silhouette'), rows_ref)


if __name__ == "__main__":
    check_and_emit_blobs()
    check_and_emit_quality()
    print("test/ref/kmeans_small_ref.py: wrote kmeans_blobs.csv, kmeans_blobs_sklearn.csv,"
          " kmeans_quality_pts.csv, kmeans_quality.csv (numpy %s, scikit-learn %s)"
          % (np.__version__, sklearn.__version__))
