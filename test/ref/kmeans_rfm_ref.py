#!/usr/bin/python3
"""Reference k-means inertias on the Online Retail customers (scikit-learn).

Builds the RFM features exactly as sql/kmeans_rfm.sql and the README recipe
do: clean lines (customer known, invoice not starting with C or A, quantity
> 0, unit price > 0); per customer recency = days from the date of the last
purchase to the day after the last date in the data, frequency = invoices,
monetary = sum(quantity * unit price); each log1p-transformed and
standardised with the population standard deviation.  Then, for k = 2..8,
KMeans(init='k-means++', n_init=1, random_state=s) for s = 0..4, and prints
k, the median, min and max inertia as CSV (test/data/kmeans_rfm_sklearn.csv).

Run with Debian's interpreter: /usr/bin/python3 test/ref/kmeans_rfm_ref.py
(python3-sklearn, python3-numpy).
"""
import csv
import datetime as dt
import gzip
import os
import sys

import numpy as np
import sklearn
from sklearn.cluster import KMeans

here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, '..', '..', 'data', 'online_retail.csv.gz')

last = {}
invoices = {}
money = {}
maxts = None
with gzip.open(path, 'rt', encoding='utf-8', newline='') as f:
    for row in csv.DictReader(f):
        ts = dt.datetime.strptime(row['InvoiceDate'], '%Y-%m-%d %H:%M:%S')
        if maxts is None or ts > maxts:
            maxts = ts
        inv = row['InvoiceNo']
        cid = row['CustomerID']
        q = int(row['Quantity'])
        p = float(row['UnitPrice'])
        if cid == '' or inv.startswith('C') or inv.startswith('A') or q <= 0 or p <= 0:
            continue
        cid = int(float(cid))
        last[cid] = max(last.get(cid, ts), ts)
        invoices.setdefault(cid, set()).add(inv)
        money[cid] = money.get(cid, 0.0) + q * p

snapshot = maxts.date() + dt.timedelta(days=1)
ids = sorted(last)
R = np.array([(snapshot - last[c].date()).days for c in ids], dtype=float)
F = np.array([len(invoices[c]) for c in ids], dtype=float)
M = np.array([money[c] for c in ids], dtype=float)
X = np.log1p(np.column_stack([R, F, M]))
X = (X - X.mean(axis=0)) / X.std(axis=0)

print('# scikit-learn %s, numpy %s, %d customers' % (sklearn.__version__, np.__version__, len(ids)), file=sys.stderr)
print('k,median_inertia,min_inertia,max_inertia')
for k in range(2, 9):
    inertias = [KMeans(n_clusters=k, init='k-means++', n_init=1, random_state=s).fit(X).inertia_
                for s in range(5)]
    print('%d,%r,%r,%r' % (k, float(np.median(inertias)), min(inertias), max(inertias)))
