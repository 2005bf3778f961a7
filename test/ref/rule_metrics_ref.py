#!/usr/bin/python3
"""Reference rule metrics for sql/basket_rules.sql: mlxtend 0.25's
association_rules(), re-implemented from its source.

mlxtend cannot be installed here (no PyPI access), so this script carries
the code path of mlxtend 0.25.0's mlxtend/frequent_patterns/
association_rules.py that runs without missing values (null_values=False,
so disAC = disA = disC = dis_int = dis_int_ = 0 and num_itemsets unused
except in representativity, where it cancels): the same loop over the
frequent itemsets and their antecedents (combinations of len(k) - 1 down to
1 items), the candidate score of `metric` compared with `>= min_threshold`,
then every metric computed with numpy from the supports with the same
expressions in the same order, so the values are the ones mlxtend returns:

    confidence = sAC / sA            lift = confidence / sC
    leverage = sAC - sA * sC         conviction = (1 - sC) / (1 - confidence),
                                                  inf where confidence >= 1
    representativity = (N - 0) / N = 1
    zhangs_metric = leverage / max(sAC * (1 - sA), sA * (sC - sAC)),
                    0 where that denominator is 0
    jaccard = sAC / (sA + sC - sAC)
    certainty = (confidence - sC) / (1 - sC), 0 where 1 - sC is 0
    kulczynski = (sAC / sA + sAC / sC) / 2

Run with Debian's interpreter (pandas, numpy):

    /usr/bin/python3 test/ref/rule_metrics_ref.py

Input: mlxtend's own frequent itemsets, test/data/oracles/*.itemsets.csv
(fpgrowth's supports, as mlxtend passed them to association_rules).

Checks, before anything is written (the script fails otherwise):
  * metric='confidence' at the oracle's min_threshold gives exactly the
    oracle's rules (test/data/oracles/<set>.csv, written by mlxtend 0.25
    itself): the same (antecedent, consequent) pairs and the nine shared
    columns bit for bit (with num_itemsets = N, as the oracles were made:
    confidence is then (sAC N) / (sA N), which differs from sAC / sA in
    the last bits; the supports must be read with float_precision=
    'round_trip', pandas' default parser is not correctly rounded);
  * the hand-computed metrics of two small cases, the zero-denominator
    cases among them (an item in every basket: certainty 0; sA = 1 and
    sC = sAC: zhangs_metric 0/0 -> 0; confidence 1: conviction inf).

Output (test/data/, gzipped, see test/data/README.md):
  rule_metrics_ref.csv.gz  set, min_support, antecedent, consequent and the
                         twelve metrics of every rule at min_confidence 0
                         (metric='confidence', min_threshold=0), for each
                         oracle itemset file
  rule_filter_ref.csv.gz   set, min_support, metric, min_threshold,
                         antecedent, consequent: the rules mlxtend keeps
                         with association_rules(metric=..., min_threshold=...)
                         for every metric at one or two thresholds

Rows are sorted (as strings), so the files do not depend on Python's hash
seed.  Itemsets are written as their items in text order joined by '|'; floats
with repr() (the shortest string that reads back as the same double);
infinity as Infinity.
"""

import gzip
import io
import math
import os
import sys
from itertools import combinations

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, '..', 'data')
ORACLES = os.path.join(DATA, 'oracles')

# the oracle itemset files: (set name, min_support, oracle rules file,
# its min_confidence)
SETS = [
    ('retail', 0.01, 'retail_s0.01_c0.2', 0.2),
    ('retail', 0.005, 'retail_s0.005_c0.2', 0.2),
    ('online_retail', 0.02, 'online_retail_s0.02_c0.3', 0.3),
]

METRICS = ['antecedent support', 'consequent support', 'support',
           'confidence', 'lift', 'representativity', 'leverage',
           'conviction', 'zhangs_metric', 'jaccard', 'certainty',
           'kulczynski']
# the extension's column names and order
COLUMNS = ['antecedent_support', 'consequent_support', 'support',
           'confidence', 'lift', 'leverage', 'conviction',
           'representativity', 'zhangs_metric', 'jaccard', 'certainty',
           'kulczynski']

# thresholds of the filter reference (column name -> thresholds)
FILTERS = {
    'antecedent_support': [0.05],
    'consequent_support': [0.1],
    'support': [0.012],
    'confidence': [0.5],
    'lift': [1.5, 3.0],
    'leverage': [0.001],
    'conviction': [1.2, math.inf],
    'representativity': [1.0],
    'zhangs_metric': [0.0, 0.5],
    'jaccard': [0.1],
    'certainty': [0.1],
    'kulczynski': [0.3],
}


def metric_dict(num_itemsets):
    """mlxtend 0.25's metric_dict with null_values=False (every dis* = 0)."""
    def confidence(sAC, sA, sC):
        return (sAC * (num_itemsets - 0)) / (sA * (num_itemsets - 0) - 0)

    def conviction(sAC, sA, sC):
        conf = np.asarray(confidence(sAC, sA, sC), dtype=float)
        sC = np.asarray(sC, dtype=float)
        out = np.empty(conf.shape, dtype=float)
        if not len(out.shape):
            out = out[np.newaxis]
            conf = conf[np.newaxis]
            sC = sC[np.newaxis]
        out[:] = np.inf
        out[conf < 1.0] = (1.0 - sC[conf < 1.0]) / (1.0 - conf[conf < 1.0])
        return out

    def leverage(sAC, sA, sC):
        return sAC - sA * sC

    def zhangs_metric(sAC, sA, sC):
        denominator = np.maximum(sAC * (1 - sA), sA * (sC - sAC))
        numerator = leverage(sAC, sA, sC)
        with np.errstate(divide='ignore', invalid='ignore'):
            return np.where(denominator == 0, 0, numerator / denominator)

    def jaccard(sAC, sA, sC):
        return sAC / (sA + sC - sAC)

    def certainty(sAC, sA, sC):
        num = confidence(sAC, sA, sC) - sC
        denom = 1 - sC
        with np.errstate(divide='ignore', invalid='ignore'):
            return np.where(denom == 0, 0, num / denom)

    def kulczynski(sAC, sA, sC):
        conf_AC = sAC * (num_itemsets - 0) / (sA * (num_itemsets - 0) - 0)
        conf_CA = sAC * (num_itemsets - 0) / (sC * (num_itemsets - 0) - 0)
        return (conf_AC + conf_CA) / 2

    return {
        'antecedent support': lambda sAC, sA, sC: sA,
        'consequent support': lambda sAC, sA, sC: sC,
        'support': lambda sAC, sA, sC: sAC,
        'confidence': confidence,
        'lift': lambda sAC, sA, sC: confidence(sAC, sA, sC) / sC,
        'representativity': lambda sAC, sA, sC: (num_itemsets - 0) / num_itemsets,
        'leverage': leverage,
        'conviction': conviction,
        'zhangs_metric': zhangs_metric,
        'jaccard': jaccard,
        'certainty': certainty,
        'kulczynski': kulczynski,
    }


def association_rules(itemsets, num_itemsets, metric, min_threshold):
    """mlxtend 0.25's association_rules(df, num_itemsets, metric=...,
    min_threshold=...) for a dict {frozenset: support}: a DataFrame with
    antecedents, consequents and the twelve metrics."""
    md = metric_dict(num_itemsets)
    ante, cons, sups = [], [], []
    for k, sAC in itemsets.items():
        for idx in range(len(k) - 1, 0, -1):
            for c in combinations(k, r=idx):
                antecedent = frozenset(c)
                consequent = k.difference(antecedent)
                sA = itemsets[antecedent]
                sC = itemsets[consequent]
                score = md[metric](sAC, sA, sC)
                if score >= min_threshold:
                    ante.append(antecedent)
                    cons.append(consequent)
                    sups.append([sAC, sA, sC])
    df = pd.DataFrame({'antecedents': ante, 'consequents': cons})
    if not sups:
        for m in METRICS:
            df[m] = []
        return df
    s = np.array(sups).T.astype(float)
    for m in METRICS:
        v = md[m](s[0], s[1], s[2])
        df[m] = np.broadcast_to(v, s[0].shape) if np.ndim(v) == 0 else v
    return df


def key(itemset):
    return '|'.join(sorted(itemset))


def fmt(x):
    if x == math.inf:
        return 'Infinity'
    return repr(float(x))


def load_itemsets(name):
    df = pd.read_csv(os.path.join(ORACLES, name + '.itemsets.csv'),
                     dtype={'itemset': str}, float_precision='round_trip')
    itemsets = {frozenset(s.split('|')): sup
                for s, sup in zip(df['itemset'], df['support'])}
    # N from any itemset: count / support, the same for all of them
    n = {round(c / s) for c, s in zip(df['count'], df['support'])}
    assert len(n) == 1, n
    return itemsets, n.pop()


def check_oracle(rules, name, min_confidence):
    oracle = pd.read_csv(os.path.join(ORACLES, name + '.csv'),
                         dtype={'antecedent': str, 'consequent': str},
                         float_precision='round_trip')
    ours = rules[rules['confidence'] >= min_confidence]
    got = {(key(a), key(c)): row for a, c, row in
           zip(ours['antecedents'], ours['consequents'],
               ours[METRICS].itertuples(index=False))}
    want = {(a, c): row for a, c, row in
            zip(oracle['antecedent'], oracle['consequent'],
                oracle.iloc[:, 2:].itertuples(index=False))}
    assert set(got) == set(want), (name, len(got), len(want))
    shared = ['antecedent support', 'consequent support', 'support',
              'confidence', 'lift', 'leverage', 'conviction']
    for k, w in want.items():
        g = dict(zip(METRICS, got[k]))
        for m, wv in zip(shared, w):
            assert g[m] == wv, (name, k, m, g[m], wv)
    return len(want)


def check_hand():
    # four baskets {a,b} {a,b} {a,c} {a}: a is in every basket
    n = 4
    items = {frozenset('a'): 1.0, frozenset('b'): 0.5, frozenset('c'): 0.25,
             frozenset('ab'): 0.5, frozenset('ac'): 0.25}
    r = association_rules(items, n, 'confidence', 0.0)
    got = {(key(a), key(c)): dict(zip(METRICS, row)) for a, c, row in
           zip(r['antecedents'], r['consequents'], r[METRICS].itertuples(index=False))}
    # b -> a: confidence 1, sC = 1: conviction inf, certainty 0 (1 - sC = 0),
    # zhangs_metric 0 / max(0.5 * 0, 0.5 * 0.5) = 0
    want = {('b', 'a'): dict(confidence=1.0, lift=1.0, leverage=0.0, conviction=math.inf,
                             zhangs_metric=0.0, jaccard=0.5, certainty=0.0, kulczynski=0.75),
            # a -> b: sA = 1 and sC = sAC: zhangs_metric's denominator is 0
            ('a', 'b'): dict(confidence=0.5, lift=1.0, leverage=0.0, conviction=1.0,
                             zhangs_metric=0.0, jaccard=0.5, certainty=0.0, kulczynski=0.75),
            ('a', 'c'): dict(confidence=0.25, lift=1.0, leverage=0.0, conviction=1.0,
                             zhangs_metric=0.0, jaccard=0.25, certainty=0.0, kulczynski=0.625),
            ('c', 'a'): dict(confidence=1.0, lift=1.0, leverage=0.0, conviction=math.inf,
                             zhangs_metric=0.0, jaccard=0.25, certainty=0.0, kulczynski=0.625)}
    assert set(got) == set(want), got.keys()
    for k, w in want.items():
        assert got[k]['representativity'] == 1.0
        for m, v in w.items():
            assert got[k][m] == v, (k, m, got[k][m], v)
    # the five baskets of Tan, Steinbach & Kumar (table 6.1), min_support 0.6:
    # {diapers} -> {beer}: cI 3, cA 4, cC 3 of 5
    s = {frozenset(['beer']): 0.6, frozenset(['diapers']): 0.8,
         frozenset(['beer', 'diapers']): 0.6}
    r = association_rules(s, 5, 'confidence', 0.0)
    row = r[[key(a) == 'diapers' for a in r['antecedents']]].iloc[0]
    # zhang = 0.12 / max(0.6 * 0.2, 0.8 * 0) = 1; certainty = (0.75 - 0.6) / 0.4
    for m, v in dict(zhangs_metric=1.0, jaccard=0.75, certainty=0.375,
                     kulczynski=0.875).items():
        assert abs(row[m] - v) <= 1e-15, (m, row[m], v)


def main():
    check_hand()
    print('hand-computed cases: ok')
    metrics_out = []
    filter_out = []
    for setname, min_support, name, min_confidence in SETS:
        itemsets, n = load_itemsets(name)
        rules = association_rules(itemsets, n, 'confidence', 0.0)
        nr = check_oracle(rules, name, min_confidence)
        print(f'{name}: N = {n}, {len(itemsets)} itemsets, {len(rules)} rules at '
              f'min_confidence 0; the {nr} rules at {min_confidence} = mlxtend\'s '
              f'oracle, bit for bit')
        for a, c, row in zip(rules['antecedents'], rules['consequents'],
                             rules[METRICS].itertuples(index=False)):
            v = dict(zip(METRICS, row))
            metrics_out.append([setname, repr(min_support), key(a), key(c)] +
                               [fmt(v[m.replace('_support', ' support')]) for m in COLUMNS])
        for col, thresholds in FILTERS.items():
            m = col.replace('_support', ' support')
            for t in thresholds:
                f = association_rules(itemsets, n, m, t)
                print(f'  {col} >= {t}: {len(f)} rules')
                for a, c in zip(f['antecedents'], f['consequents']):
                    filter_out.append([setname, repr(min_support), col, fmt(t), key(a), key(c)])
    metrics_out.sort()
    filter_out.sort()
    with gzip.GzipFile(os.path.join(DATA, 'rule_metrics_ref.csv.gz'), 'wb', mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding='ascii', newline='') as fh:
        fh.write(','.join(['set', 'min_support', 'antecedent', 'consequent'] + COLUMNS) + '\n')
        for r in metrics_out:
            fh.write(','.join(r) + '\n')
    with gzip.GzipFile(os.path.join(DATA, 'rule_filter_ref.csv.gz'), 'wb', mtime=0) as gz, \
            io.TextIOWrapper(gz, encoding='ascii', newline='') as fh:
        fh.write('set,min_support,metric,min_threshold,antecedent,consequent\n')
        for r in filter_out:
            fh.write(','.join(r) + '\n')
    print(f'wrote {len(metrics_out)} rules and {len(filter_out)} filtered rules')


if __name__ == '__main__':
    sys.exit(main())
