#!/usr/bin/python3
"""Reference values for test/pgtap/20_values.sql.

Run with Debian's interpreter, which has numpy, scipy and scikit-learn
(apt-get install python3-numpy python3-scipy python3-sklearn):

    /usr/bin/python3 test/ref/similarity_ref.py

It writes five CSV files into test/data/ (see test/data/README.md), which
test/pgtap/20_values.sql loads with \copy, so the pgTAP suite needs no
Python (the files in the repository were written with numpy 1.24.2, scipy
1.10.1 and scikit-learn 1.2.1):

  similarity_ref.csv            name, a, b, cosine, pearson
  churn_score_ref.csv           name, features, coefficients, want
  kmeans_assign_centroids.csv   centroids: one 5 x 6 array
  kmeans_assign_pts.csv         id, features, want: 40 points, nearest
                                centroid (1-based)
  kmeans_assign_overflow.csv    name, features, centroids, want

Every value is computed twice, independently of the extension's C code:

  * with the usual library call: sklearn.metrics.pairwise.cosine_similarity,
    numpy.corrcoef, scipy.special.expit, numpy.argmin of squared distances;
  * exactly: the stored doubles are converted to fractions.Fraction, sums and
    products are exact, and the square root / exponential is taken with
    decimal at 60 significant digits, then rounded once to a double.

The exact value is the one written; the script asserts that the library
value agrees with it to 1e-13 relative (or that both are 0).  Vectors whose
squares overflow or underflow a double (1e200, 1e-200, subnormals) are given
to the libraries multiplied by an exact power of two (numpy.ldexp), which
changes neither the cosine nor the correlation, because the libraries would
otherwise overflow to inf/nan themselves.

Floats are written with repr(), the shortest string that reads back as the
same double, which PostgreSQL's float8 input parses exactly; arrays as
PostgreSQL array literals.
"""

import csv
import math
import os
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
from scipy.special import expit
from sklearn.metrics.pairwise import cosine_similarity

getcontext().prec = 60
getcontext().Emin = -999999
getcontext().Emax = 999999

SEED = 20240601


def frac_to_decimal(q):
    return Decimal(q.numerator) / Decimal(q.denominator)


def decimal_to_float(d):
    # Decimal -> str -> float rounds once, correctly
    return float(str(d))


def exact_cosine(a, b):
    fa = [Fraction(x) for x in a]
    fb = [Fraction(x) for x in b]
    dot = sum(x * y for x, y in zip(fa, fb))
    aa = sum(x * x for x in fa)
    bb = sum(y * y for y in fb)
    if aa == 0 or bb == 0:
        return None
    return decimal_to_float(frac_to_decimal(dot) /
                            (frac_to_decimal(aa) * frac_to_decimal(bb)).sqrt())


def exact_pearson(a, b):
    n = len(a)
    fa = [Fraction(x) for x in a]
    fb = [Fraction(x) for x in b]
    ma = sum(fa) / n
    mb = sum(fb) / n
    sxy = sum((x - ma) * (y - mb) for x, y in zip(fa, fb))
    sxx = sum((x - ma) ** 2 for x in fa)
    syy = sum((y - mb) ** 2 for y in fb)
    if n < 2 or sxx == 0 or syy == 0:
        return None
    return decimal_to_float(frac_to_decimal(sxy) /
                            (frac_to_decimal(sxx) * frac_to_decimal(syy)).sqrt())


def unit_scaled(v):
    """v times the power of two that brings max |v| into [0.5, 1): exact."""
    v = np.asarray(v, dtype=np.float64)
    m = np.max(np.abs(v))
    if m == 0:
        return v
    _, e = math.frexp(m)
    return np.ldexp(v, -e)


def lib_cosine(a, b):
    a = unit_scaled(a).reshape(1, -1)
    b = unit_scaled(b).reshape(1, -1)
    return float(cosine_similarity(a, b)[0, 0])


def lib_pearson(a, b):
    return float(np.corrcoef(unit_scaled(a), unit_scaled(b))[0, 1])


def agree(exact, lib, what):
    if exact == 0.0:
        assert abs(lib) <= 1e-15, (what, exact, lib)
    else:
        assert abs(lib - exact) <= 1e-13 * abs(exact), (what, exact, lib)


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data')


def sql_array(v):
    return "{" + ",".join(repr(float(x)) for x in v) + "}"


def sql_matrix(m):
    return "{" + ",".join("{" + ",".join(repr(float(x)) for x in row) + "}"
                          for row in m) + "}"


def write_csv(name, header, rows):
    with open(os.path.join(DATA, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)


def similarity_cases():
    rng = np.random.default_rng(SEED)
    a64 = rng.standard_normal(64)
    b64 = rng.standard_normal(64)
    c64 = 0.8 * a64 + 0.6 * rng.standard_normal(64)   # correlated with a64
    u64 = rng.uniform(0.0, 1000.0, 64)                # spend-like, positive
    v64 = rng.uniform(0.0, 1000.0, 64)
    o64 = 1e6 + rng.uniform(0.0, 1.0, 64)             # large common offset
    p64 = 1e6 + 0.5 * (o64 - 1e6) + 0.5 * rng.uniform(0.0, 1.0, 64)
    base_a = [1.5, -2.0, 3.25, 0.0, 7.0]
    base_b = [2.0, 1.0, -1.0, 4.0, 0.5]
    cases = [
        ("random 64-element normal vectors", a64, b64),
        ("random 64-element correlated vectors", a64, c64),
        ("random 64-element positive vectors", u64, v64),
        ("64-element vectors with a 1e6 offset", o64, p64),
        ("odd length 5", base_a, base_b),
        ("small 3-element", [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
        ("huge 1e200 magnitudes", [x * 1e200 for x in base_a],
         [x * 1e200 for x in base_b]),
        ("tiny 1e-200 magnitudes", [x * 1e-200 for x in base_a],
         [x * 1e-200 for x in base_b]),
        ("huge against tiny", [x * 1e200 for x in base_a],
         [x * 1e-200 for x in base_b]),
        ("near DBL_MAX", [1.7e308, -1.7e308, 1e308, 5e307],
         [1.0, 2.0, 3.0, 4.0]),
        ("sums overflow (1e308, 1.5e308, 1.7e308)", [1e308, 1.5e308, 1.7e308, -1.7e308],
         [1.0, 2.0, 3.0, 5.0]),
        ("subnormal", [5e-324, 1e-323, 1.5e-323, -2e-323],
         [1e-323, 5e-324, 2.5e-323, 5e-324]),
    ]
    rows = []
    for name, a, b in cases:
        ce = exact_cosine(a, b)
        pe = exact_pearson(a, b)
        agree(ce, lib_cosine(a, b), "cosine " + name)
        agree(pe, lib_pearson(a, b), "pearson " + name)
        rows.append((name, sql_array(a), sql_array(b), repr(float(ce)), repr(float(pe))))
    # cosine_sim and pearson_sim: (name, a, b, expected cosine, expected pearson)
    write_csv('similarity_ref.csv', ('name', 'a', 'b', 'cosine', 'pearson'), rows)


def exact_sigmoid(features, coefficients):
    z = Fraction(coefficients[0]) + sum(
        Fraction(b) * Fraction(x) for b, x in zip(coefficients[1:], features))
    if z > 10 ** 6:
        return 1.0
    if z < -10 ** 6:
        return 0.0
    dz = frac_to_decimal(z)
    return decimal_to_float(Decimal(1) / (Decimal(1) + (-dz).exp()))


def sigmoid_cases():
    rng = np.random.default_rng(SEED + 1)
    x8 = rng.standard_normal(8)
    b9 = 0.5 * rng.standard_normal(9)
    cases = [
        ("random 8 features", x8, b9),
        ("z = 0", [1.0, 2.0], [0.0, 2.0, -1.0]),
        ("z = 1", [], [1.0]),
        ("z = -1", [], [-1.0]),
        ("z = 40", [4.0], [0.0, 10.0]),
        ("z = -40", [4.0], [0.0, -10.0]),
        ("z = 700", [], [700.0]),
        ("z = -700", [], [-700.0]),
        ("z = 800", [], [800.0]),
        ("z = -800", [], [-800.0]),
        ("intercept only", [], [0.3]),
        ("product overflows to +inf", [1e300], [0.0, 1e300]),
        ("product overflows to -inf", [-1e300], [0.0, 1e300]),
        ("z = 1e308 + 1e308", [1e308, 1e308], [0.0, 1.0, 1.0]),
        ("opposite overflows cancel", [1e300, 1e300], [0.0, 1e300, -1e300]),
        ("opposite overflows, positive wins", [1e300, 1e300], [0.0, 2e300, -1e300]),
        ("opposite overflows, negative wins", [1e300, 1e300], [0.0, 1e300, -2e300]),
        # one product overflows to +inf, the finite negative ones outweigh it
        ("one overflow outweighed", [1e154, 1e154, 1e154],
         [0.0, 2e154, -1.7e154, -1.7e154]),
        ("partial sum overflow outweighed", [1e154] * 5,
         [0.0, 1.7e154, -1.7e154, 1.7e154, -0.05e154, -1.7e154]),
    ]
    rows = []
    for name, x, b in cases:
        e = exact_sigmoid(x, b)
        # the library gets z rounded once to a double (+-inf beyond range)
        zq = Fraction(b[0]) + sum(Fraction(bi) * Fraction(xi)
                                  for bi, xi in zip(b[1:], x))
        z = float(zq) if abs(zq) < 2 ** 1023 else (math.inf if zq > 0 else -math.inf)
        lib = float(expit(z))
        agree(e, lib, "sigmoid " + name)
        rows.append((name, sql_array(x), sql_array(b), repr(float(e))))
    # churn_score: (name, features, coefficients, expected)
    write_csv('churn_score_ref.csv', ('name', 'features', 'coefficients', 'want'), rows)


def exact_nearest(x, c):
    best, bestj = None, None
    for j, row in enumerate(c):
        d = sum((Fraction(xi) - Fraction(ci)) ** 2 for xi, ci in zip(x, row))
        if best is None or d < best:
            best, bestj = d, j
    return bestj + 1


def kmeans_cases():
    rng = np.random.default_rng(SEED + 2)
    cent = rng.standard_normal((5, 6)) * 3.0
    pts = rng.standard_normal((40, 6)) * 3.0
    lib = [int(np.argmin(((cent - p) ** 2).sum(axis=1))) + 1 for p in pts]
    ex = [exact_nearest(p, cent) for p in pts]
    assert lib == ex, (lib, ex)
    # kmeans_assign: 5 x 6 centroids, 40 points and their 1-based nearest
    # centroid
    write_csv('kmeans_assign_centroids.csv', ('centroids',), [(sql_matrix(cent),)])
    write_csv('kmeans_assign_pts.csv', ('id', 'features', 'want'),
              [(i + 1, sql_array(p), k) for i, (p, k) in enumerate(zip(pts, ex))])
    cases = [
        ("1-D, distances overflow", [1e200], [[-1e200], [2.5e200]]),
        ("2-D, distances overflow", [1e200, 0.0], [[-1e200, 0.0], [1e200, 1e200]]),
        ("overflowing tie", [0.0], [[1e200], [-1e200]]),
        ("overflowing near tie", [0.0], [[1.0000000001e200], [1e200]]),
        ("overflowing, third wins", [1e300, -1e300],
         [[-1e300, 1e300], [1e300, 1e300], [1e300, -1.5e300]]),
    ]
    rows = []
    for name, x, c in cases:
        xs = np.asarray(x)
        cs = np.asarray(c)
        # numpy in extended precision, which has the range for these squares
        libk = int(np.argmin(((cs.astype(np.longdouble) - xs.astype(np.longdouble)) ** 2)
                             .sum(axis=1))) + 1
        e = exact_nearest(x, c)
        assert libk == e, (name, libk, e)
        rows.append((name, sql_array(x), sql_matrix(c), e))
    # kmeans_assign overflow cases: (name, features, centroids, expected)
    write_csv('kmeans_assign_overflow.csv', ('name', 'features', 'centroids', 'want'), rows)


if __name__ == "__main__":
    similarity_cases()
    sigmoid_cases()
    kmeans_cases()
    print("test/ref/similarity_ref.py: wrote similarity_ref.csv, churn_score_ref.csv,"
          " kmeans_assign_centroids.csv, kmeans_assign_pts.csv, kmeans_assign_overflow.csv"
          " (numpy %s, seed %d)" % (np.__version__, SEED))
