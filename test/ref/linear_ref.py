#!/usr/bin/python3
"""Reference figures for linear_fit and linear_summary.

Run with Debian's interpreter (python3-statsmodels 0.13.5, python3-sklearn,
python3-numpy, python3-mpmath):
    /usr/bin/python3 test/ref/linear_ref.py
Writes, under test/data/:
  linear_pts.csv   set, id, f (a float8[] literal), y: the synthetic sets
  linear_ref.csv   case_name, term, field, value: the reference numbers

Sets and cases:
  small        300 rows, 3 features, a seeded linear model with noise
  ill          3000 rows, 5 features: a timestamp-sized feature (1.3e9 +
               seconds), money in cents, and two features that are almost
               linear combinations of the others (1 - R^2 about 1e-3):
               statsmodels' condition number about 1e10, mostly from the
               units
  harsh        the same with ten times less noise in the near-collinear
               features (1 - R^2 about 1e-5), condition number about 6e11
  customers    the bundled Online Retail orders: for each customer with an
               order before 2011-06-01, log1p of the revenue of the next
               90 days from ln(1 + x) of recency, frequency, monetary,
               tenure and average basket as of the cut-off (the churn
               recipe's features); revenue = quantity x unit price summed
               exactly (Decimal), then rounded to a double, as
               sum(numeric)::float8 does
For each set, the exact least-squares solution of the doubles (normal
equations in rational arithmetic) and, from it with mpmath (50 digits),
statsmodels' definitions: per term coefficient, std_error, t, p_value;
r_squared, adj_r_squared, f_statistic, f_p_value, log_likelihood, aic, bic,
condition_number, n, df_resid.  statsmodels' own figures (0.13.5,
OLS(y, add_constant(X)).fit()) with the prefix sm_; the ones it computes in
double precision are themselves off by up to ~1e-11 on 'ill' and 'harsh'.
numpy's lstsq coefficients as 'lstsq'.
scikit-learn's Ridge(alpha) coefficients (intercept first) as 'ridge_<alpha>'
and its score as 'ridge_<alpha>_r2', on 'small' and 'customers' (on the
ill-conditioned sets scikit-learn solves the unscaled normal equations and
warns that its result may not be accurate).
"""
import csv
import datetime as dt
import gzip
import math
import os
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import Ridge

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, '..', '..')
out_dir = os.path.join(root, 'test', 'data')
refs = []
mpmath.mp.dps = 50


def mp_float(v):
    return float(mpmath.mpf(v.numerator) / v.denominator)


def add(case, term, field, value):
    refs.append((case, term, field, repr(float(value))))


def t_two_sided(t, df):
    x = mpmath.mpf(df) / (df + mpmath.mpf(t) ** 2)
    return mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, x, regularized=True)


def f_upper(f, d1, d2):
    x = mpmath.mpf(d2) / (d2 + d1 * mpmath.mpf(f))
    return mpmath.betainc(mpmath.mpf(d2) / 2, mpmath.mpf(d1) / 2, 0, x, regularized=True)


def exact_ols(X, y):
    """OLS of the doubles X, y in exact rational arithmetic (normal
    equations with Fractions), then statsmodels' formulas with mpmath."""
    n, d = X.shape
    p = d + 1
    rows = [[Fraction(1)] + [Fraction(float(v)) for v in r] for r in X]
    yy = [Fraction(float(v)) for v in y]
    xtx = [[sum(r[i] * r[j] for r in rows) for j in range(p)] for i in range(p)]
    xty = [sum(r[i] * v for r, v in zip(rows, yy)) for i in range(p)]
    # Gauss-Jordan on [X'X | X'y | I]
    m = [xtx[i][:] + [xty[i]] + [Fraction(int(i == j)) for j in range(p)] for i in range(p)]
    for c in range(p):
        piv = next(r for r in range(c, p) if m[r][c] != 0)
        m[c], m[piv] = m[piv], m[c]
        pv = m[c][c]
        m[c] = [v / pv for v in m[c]]
        for r in range(p):
            if r != c and m[r][c] != 0:
                f = m[r][c]
                m[r] = [a - f * b for a, b in zip(m[r], m[c])]
    beta = [m[i][p] for i in range(p)]
    inv = [m[i][p + 1:] for i in range(p)]
    ybar = sum(yy) / n
    ssr = sum((v - sum(b * x for b, x in zip(beta, r))) ** 2 for r, v in zip(rows, yy))
    tss = sum((v - ybar) ** 2 for v in yy)
    def mp(v):
        if isinstance(v, Fraction):
            return mpmath.mpf(v.numerator) / v.denominator
        return mpmath.mpf(v)
    df_resid = n - p
    sigma2 = mp(ssr) / df_resid
    se = [mpmath.sqrt(sigma2 * mp(inv[j][j])) for j in range(p)]
    t = [mp(beta[j]) / se[j] for j in range(p)]
    r2 = 1 - mp(ssr) / mp(tss)
    fval = ((mp(tss) - mp(ssr)) / d) / sigma2
    llf = -mp(n) / 2 * (mpmath.log(2 * mpmath.pi) + mpmath.log(mp(ssr) / n) + 1)
    ev = mpmath.eigsy(mpmath.matrix([[mp(v) for v in r] for r in xtx]), eigvals_only=True)
    ev = sorted(ev[i] for i in range(p))
    return dict(beta=beta, se=se, t=t, p=[t_two_sided(v, df_resid) for v in t],
                r_squared=r2, adj_r_squared=1 - mp(n - 1) / df_resid * (1 - r2),
                f_statistic=fval, f_p_value=f_upper(fval, d, df_resid),
                log_likelihood=llf, aic=-2 * llf + 2 * p,
                bic=-2 * llf + mpmath.log(n) * p,
                condition_number=mpmath.sqrt(ev[-1] / ev[0]), n=n, df_resid=df_resid)


def reference(case, X, y, terms, alphas=()):
    Xc = sm.add_constant(X, has_constant='add')
    r = sm.OLS(y, Xc).fit()
    e = exact_ols(X, y)
    for j, term in enumerate(terms):
        add(case, term, 'coefficient', mp_float(e['beta'][j]))
        add(case, term, 'std_error', e['se'][j])
        add(case, term, 't', e['t'][j])
        add(case, term, 'p_value', e['p'][j])
        add(case, term, 'sm_coefficient', r.params[j])
        add(case, term, 'sm_std_error', r.bse[j])
        add(case, term, 'sm_t', r.tvalues[j])
        add(case, term, 'sm_p_value', r.pvalues[j])
    for k in ('r_squared', 'adj_r_squared', 'f_statistic', 'f_p_value',
              'log_likelihood', 'aic', 'bic', 'condition_number', 'n', 'df_resid'):
        add(case, '', k, e[k])
    lst = np.linalg.lstsq(Xc, y, rcond=None)[0]
    for j, term in enumerate(terms):
        add(case, term, 'lstsq', lst[j])
    for k, v in (('r_squared', r.rsquared), ('adj_r_squared', r.rsquared_adj),
                 ('f_statistic', r.fvalue), ('f_p_value', r.f_pvalue),
                 ('log_likelihood', r.llf), ('aic', r.aic), ('bic', r.bic),
                 ('condition_number', r.condition_number)):
        add(case, '', 'sm_' + k, v)
    for a in alphas:
        m = Ridge(alpha=a, solver='cholesky').fit(X, y)
        coef = np.concatenate([[m.intercept_], m.coef_])
        for j, term in enumerate(terms):
            add(case, term, 'ridge_%g' % a, coef[j])
        add(case, '', 'ridge_%g_r2' % a, m.score(X, y))


pts = []


def keep(name, X, y):
    for i, (row, v) in enumerate(zip(X, y)):
        pts.append((name, i + 1, '{' + ','.join(repr(float(x)) for x in row) + '}',
                    repr(float(v))))


# --- small synthetic set
rng = np.random.default_rng(20261204)
n = 300
X = np.column_stack([rng.normal(size=n), rng.uniform(-2, 2, size=n),
                     rng.integers(0, 5, size=n).astype(float)])
y = 1.5 + 2.0 * X[:, 0] - 0.7 * X[:, 1] + 0.05 * X[:, 2] + rng.normal(size=n)
keep('small', X, y)
reference('small', X, y, ['intercept', 'x1', 'x2', 'x3'], alphas=(0.5, 10.0))

# --- ill-conditioned sets: a timestamp-sized feature, money in cents, and
# two features that are almost linear combinations of the others; 'ill'
# with noise scale 1, 'harsh' with 0.1 (1 - R^2 of near2 on u about 1e-5)
def ill_set(name, noise):
    n = 3000
    ts = 1.3e9 + np.round(rng.uniform(0, 3e7, size=n))          # seconds
    cents = np.round(rng.lognormal(8, 1, size=n))               # money in cents
    u = rng.normal(size=n)
    near1 = ts * 1e-6 + cents * 1e-3 + 0.5 * noise * rng.normal(size=n)
    near2 = u + 0.03 * noise * rng.normal(size=n)
    X = np.column_stack([ts, cents, u, near1, near2])
    y = (3.0 + 2e-7 * (ts - 1.3e9) + 1e-4 * cents + 0.5 * u - 0.2 * near1
         + 0.3 * near2 + rng.normal(size=n))
    keep(name, X, y)
    reference(name, X, y, ['intercept', 'ts', 'cents', 'u', 'near1', 'near2'])


ill_set('ill', 1.0)
ill_set('harsh', 0.1)

# --- customers of the bundled orders
lines = []
with gzip.open(os.path.join(root, 'data', 'online_retail.csv.gz'), 'rt',
               encoding='utf-8', newline='') as f:
    for row in csv.DictReader(f):
        inv, cid = row['InvoiceNo'], row['CustomerID']
        q, p = int(row['Quantity']), Decimal(row['UnitPrice'])
        if cid == '' or inv[0] in 'CA' or q <= 0 or p <= 0:
            continue
        ts_ = dt.datetime.strptime(row['InvoiceDate'], '%Y-%m-%d %H:%M:%S')
        lines.append((int(Decimal(cid)), inv, ts_, q * p))

cutoff = dt.date(2011, 6, 1)
cut = dt.datetime.combine(cutoff, dt.time())
end = cut + dt.timedelta(days=90)
first, last, invs, money, future = {}, {}, {}, {}, {}
for cid, inv, ts_, amt in lines:
    if ts_ < cut:
        first[cid] = min(first.get(cid, ts_), ts_)
        last[cid] = max(last.get(cid, ts_), ts_)
        invs.setdefault(cid, set()).add(inv)
        money[cid] = money.get(cid, Decimal(0)) + amt
    elif ts_ < end:
        future[cid] = future.get(cid, Decimal(0)) + amt
feats, target = [], []
for c in sorted(last):
    freq = len(invs[c])
    mon = float(money[c])
    feats.append([math.log1p((cutoff - last[c].date()).days), math.log1p(freq),
                  math.log1p(mon), math.log1p((cutoff - first[c].date()).days),
                  math.log1p(mon / freq)])
    target.append(math.log1p(float(future.get(c, Decimal(0)))))
reference('customers', np.array(feats), np.array(target),
          ['intercept', 'recency', 'frequency', 'monetary', 'tenure', 'avg_basket'],
          alphas=(5.0,))

with open(os.path.join(out_dir, 'linear_pts.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['set', 'id', 'f', 'y'])
    w.writerows(pts)
with open(os.path.join(out_dir, 'linear_ref.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['case_name', 'term', 'field', 'value'])
    w.writerows(refs)
