#!/usr/bin/python3
"""Reference coefficients for sql/churn_labels.sql (scale equivariance).

The issue 13 example: y = (x % 2 = 0 OR x % 5 = 0), x = 1..40, one feature
x % 7; and a two-feature case (x % 7, x % 3) on the same labels.  Fitted with
scikit-learn's LogisticRegression(penalty=None) on the unscaled features;
the SQL test fits the scaled features and compares coefficient * scale.
Writes test/data/logistic_scale_ref.csv (case, term, value).
Run with Debian's /usr/bin/python3 (python3-sklearn).
"""
import csv
import os

import numpy as np
from sklearn.linear_model import LogisticRegression

x = np.arange(1, 41)
y = ((x % 2 == 0) | (x % 5 == 0)).astype(int)
cases = {
    "one": np.column_stack([x % 7]).astype(float),
    "two": np.column_stack([x % 7, x % 3]).astype(float),
}
out = os.path.join(os.path.dirname(__file__), "..", "data", "logistic_scale_ref.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["case_name", "term", "value"])
    for name, X in cases.items():
        m = LogisticRegression(penalty=None, tol=1e-12, max_iter=10000,
                               solver="newton-cg").fit(X, y)
        w.writerow([name, "intercept", repr(float(m.intercept_[0]))])
        for j, b in enumerate(m.coef_[0]):
            w.writerow([name, "x%d" % (j + 1), repr(float(b))])
