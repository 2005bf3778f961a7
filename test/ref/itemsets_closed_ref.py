#!/usr/bin/python3
"""Reference closed and maximal itemsets for frequent_itemsets(..., kind).

Writes into test/data/:

  itemsets_closed_baskets.csv  db, basket, item: 24 seeded random small
      databases (sparse, dense, correlated, with items in every basket, with
      repeated long baskets, with empty baskets: an empty item field, read
      as NULL, is an empty basket).
  itemsets_closed_ref.csv  db, min_support, kind, itemset, count: for each
      database and its min_support, every frequent itemset ('all'), counted
      by brute force over every subset of every basket, and the closed and
      maximal ones by their definitions, checked against every frequent
      itemset:
        closed:  no proper superset with the same count;
        maximal: no frequent proper superset.
  itemsets_closed_retail.csv  min_support, kind, itemset, count: the closed
      and maximal itemsets of FIMI retail.dat at min_support 0.01 and 0.005,
      filtered as above from mlxtend 0.25's fpgrowth output (every frequent
      itemset, test/data/oracles/retail_s*_c0.2.itemsets.csv).

An itemset is frequent when count / N >= min_support (N counts every
basket, empty ones included), as in the extension.  Itemsets are PostgreSQL
text[] literals with the items in byte order.  Seeded: reruns reproduce the
files byte for byte.  Run: /usr/bin/python3 test/ref/itemsets_closed_ref.py
"""
import csv
import itertools
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data')


def literal(itemset):
    return '{' + ','.join(sorted(itemset)) + '}'


def brute_force(baskets, min_support):
    """every frequent itemset -> count, by counting every subset of every basket"""
    n = len(baskets)
    counts = {}
    for b in baskets:
        items = sorted(set(b))
        for k in range(1, len(items) + 1):
            for s in itertools.combinations(items, k):
                counts[s] = counts.get(s, 0) + 1
    return {frozenset(s): c for s, c in counts.items() if c / n >= min_support}


def condense(frequent):
    """the closed and the maximal itemsets among frequent (itemset -> count)"""
    closed, maximal = {}, {}
    sets = list(frequent.items())
    for s, c in sets:
        supersets = [(t, d) for t, d in sets if len(t) > len(s) and s < t]
        if all(d != c for _, d in supersets):
            closed[s] = c
        if not supersets:
            maximal[s] = c
    return closed, maximal


def random_databases():
    rng = random.Random(20261204)
    dbs = []
    for db in range(1, 25):
        nitems = rng.randint(3, 10)
        items = ['i%02d' % i for i in range(1, nitems + 1)]
        nb = rng.randint(4, 60)
        shape = db % 4
        baskets = []
        for _ in range(nb):
            if shape == 0:      # sparse, independent
                b = [x for x in items if rng.random() < 0.3]
            elif shape == 1:    # dense
                b = [x for x in items if rng.random() < 0.75]
            elif shape == 2:    # correlated: one draw per basket, rarer items later
                u = rng.random()
                b = [x for i, x in enumerate(items) if u < 0.9 / (i + 1) ** 0.5]
            else:               # mixed, with some repeated long baskets
                if rng.random() < 0.3:
                    b = items[: nitems - 1]
                else:
                    b = [x for x in items if rng.random() < 0.5]
            baskets.append(b)
        if db % 5 == 0:
            # two items in every basket: perfect extensions of the empty itemset
            baskets = [sorted(set(b) | {'a', 'b'}) for b in baskets]
        if db % 7 == 0:
            baskets += [[] for _ in range(rng.randint(1, 4))]
        min_support = rng.choice([0.05, 0.1, 0.2, 0.3, 0.5, 1.0 / len(baskets)])
        dbs.append((db, baskets, min_support))
    return dbs


def write_random():
    with open(os.path.join(DATA, 'itemsets_closed_baskets.csv'), 'w', newline='') as fb, \
            open(os.path.join(DATA, 'itemsets_closed_ref.csv'), 'w', newline='') as fr:
        wb = csv.writer(fb, lineterminator='\n')
        wr = csv.writer(fr, lineterminator='\n')
        wb.writerow(['db', 'basket', 'item'])
        wr.writerow(['db', 'min_support', 'kind', 'itemset', 'count'])
        totals = {'all': 0, 'closed': 0, 'maximal': 0}
        for db, baskets, min_support in random_databases():
            for i, b in enumerate(baskets, 1):
                if not b:
                    wb.writerow([db, i, ''])
                for x in b:
                    wb.writerow([db, i, x])
            frequent = brute_force(baskets, min_support)
            closed, maximal = condense(frequent)
            for kind, sets in (('all', frequent), ('closed', closed), ('maximal', maximal)):
                totals[kind] += len(sets)
                for s in sorted(sets, key=literal):
                    wr.writerow([db, repr(min_support), kind, literal(s), sets[s]])
        print('random databases:', totals)


def write_retail():
    with open(os.path.join(DATA, 'itemsets_closed_retail.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['min_support', 'kind', 'itemset', 'count'])
        for ms in ('0.01', '0.005'):
            path = os.path.join(DATA, 'oracles', 'retail_s%s_c0.2.itemsets.csv' % ms)
            with open(path) as o:
                frequent = {frozenset(r['itemset'].split('|')): int(r['count'])
                            for r in csv.DictReader(o)}
            closed, maximal = condense(frequent)
            print('retail %s: %d frequent, %d closed, %d maximal'
                  % (ms, len(frequent), len(closed), len(maximal)))
            for kind, sets in (('closed', closed), ('maximal', maximal)):
                for s in sorted(sets, key=literal):
                    w.writerow([ms, kind, literal(s), sets[s]])


if __name__ == '__main__':
    write_random()
    write_retail()
