#!/usr/bin/python3
"""test/robust/fuzz_random.py: random-argument fuzzer for every function and
aggregate of the aimarketing extension (driven by 11_fuzz_random.sh).

It lists the extension's functions from pg_proc through pg_depend, so a new
function without a generator here makes the run fail instead of being
silently skipped.  Each call must either return or raise an SQLSTATE from the
allow-list below; anything else (an internal error, a lost connection, a
statement timeout) is a failure and the offending statement is printed.
Returned values are checked against properties that hold for any input
(CHECKS), and parallel plans against serial ones.

Deterministic for a given seed: AIM_FUZZ_SEED (default 20240501).  Bounded
by AIM_FUZZ_CALLS (default 20000) and AIM_FUZZ_SECONDS (default 60).
Connection from the libpq environment (PGHOST, PGPORT, PGUSER) and
AIM_FUZZ_DB.  Writes a JSON summary to the file named by AIM_FUZZ_SUMMARY.
"""
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter

import psycopg2
import psycopg2.extensions

SEED = int(os.environ.get("AIM_FUZZ_SEED", "20240501"))
MAX_CALLS = int(os.environ.get("AIM_FUZZ_CALLS", "20000"))
MAX_SECONDS = float(os.environ.get("AIM_FUZZ_SECONDS", "60"))
DB = os.environ.get("AIM_FUZZ_DB", "postgres")
SUMMARY = os.environ.get("AIM_FUZZ_SUMMARY")

# ---------------------------------------------------------------------------
# The allow-list.
#
# SQLSTATEs the C code raises with ereport() (grep errcode src/*.c):
#   2202E array_subscript_error      22004 null_value_not_allowed
#   22023 invalid_parameter_value    22000 data_exception
#   22003 numeric_value_out_of_range 42804 datatype_mismatch
#   54000 program_limit_exceeded     25006 read_only_sql_transaction
#   42601 syntax_error
# plus those PostgreSQL's own arithmetic raises inside our functions
# (float8/numeric overflow and underflow, 22003; division by zero, 22012).
OWN = {"2202E", "22004", "22023", "22000", "22003", "42804", "54000",
       "25006", "42601", "22012"}
# Basket functions run an arbitrary query text: whatever a bad or failing
# query raises is legitimate too (syntax, undefined objects, bad casts,
# division by zero in the query, unsupported features).
BASKET_CLASSES = ("42", "22", "0A", "21")
# Support functions (transition/combine/final) are callable directly with a
# hand-made state; they reject a malformed state with 22023 (core's
# float8_accum would raise XX000 there; we give a proper SQLSTATE).  XX000 is
# never allowed.

rng = random.Random(SEED)

# The fuzzer looks for crashes and undocumented errors, not for slow
# inputs: a combinatorial explosion of itemsets (min_support 1e-9 over a
# basket of 30 items) is cut short by these limits with a documented error.
LIMITS = ("SET aimarketing.max_itemsets = 100000; SET aimarketing.max_rules = 200000;"
          " SET aimarketing.progress = off")

# ---------------------------------------------------------------------------
# value generators (SQL literals)

SPECIAL = [0.0, -0.0, float("nan"), float("inf"), float("-inf"), 1e300, -1e300,
           1e308, -1e308, 1.7976931348623157e308, 5e-324, -5e-324,
           2.2250738585072014e-308, 1e-300, 1.0, -1.0, 0.5]


def fl(x):
    if x != x:
        return "NaN"
    if x == float("inf"):
        return "Infinity"
    if x == float("-inf"):
        return "-Infinity"
    return repr(x)


def rnum(special=0.15):
    r = rng.random()
    if r < special:
        return rng.choice(SPECIAL)
    if r < 0.35:
        return float(rng.randint(-5, 5))
    if r < 0.45:
        return rng.gauss(0, 1) * 10 ** rng.randint(-20, 20)
    return rng.gauss(0, 3)


# finite but extreme magnitudes, whose squares, sums or differences overflow
# or underflow
EXTREME = [1e308, -1e308, 1.7976931348623157e308, -1.7976931348623157e308, 1.5e308,
           -1.5e308, 1e200, -1e200, 1e154, -1e154, 0.0, 1.0, 5e-324, -5e-324,
           1e-300, -1e-300, 1e-160]


def elems(n, nulls=0.0, special=0.15):
    out = []
    extreme = rng.random() < 0.08
    for _ in range(n):
        if nulls and rng.random() < nulls:
            out.append("NULL")
        elif extreme:
            out.append(fl(rng.choice(EXTREME)))
        else:
            out.append(fl(rnum(special)))
    return out


def arr_lit(body):
    return "'%s'::float8[]" % body


def vec(n=None, clean=False):
    """a float8[] literal: usually 1-D of length n, sometimes malformed"""
    if n is None:
        n = rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 8, rng.randint(0, 40)])
        if rng.random() < 0.01:
            n = rng.choice([999, 1000, 1001, 4096])
    if clean:
        return arr_lit("{%s}" % ",".join(elems(n, 0, 0.0)))
    r = rng.random()
    if r < 0.05:
        return "NULL::float8[]"
    if r < 0.10:
        return "'{}'::float8[]"
    if r < 0.16:                              # 2-D / 3-D
        a, b = rng.randint(1, 3), rng.randint(1, 3)
        if rng.random() < 0.5:
            return arr_lit("{%s}" % ",".join(
                "{%s}" % ",".join(elems(b)) for _ in range(a)))
        return arr_lit("{%s}" % ",".join(
            "{%s}" % ",".join("{%s}" % ",".join(elems(2)) for _ in range(b))
            for _ in range(a)))
    if r < 0.20 and n > 0:                    # odd lower bound
        lb = rng.choice([0, -3, 7, 2147483646 - n])
        return arr_lit("[%d:%d]={%s}" % (lb, lb + n - 1, ",".join(elems(n))))
    if r < 0.28:                              # NULL elements
        return arr_lit("{%s}" % ",".join(elems(n, nulls=0.3)))
    if r < 0.36:                              # integer array, implicit cast
        return "'{%s}'::int[]" % ",".join(str(rng.randint(-9, 9)) for _ in range(n))
    return arr_lit("{%s}" % ",".join(elems(n, special=0.1 if r < 0.7 else 0.0)))


def matrix(k=None, d=None):
    """a k x d centroid literal, sometimes malformed"""
    if k is None:
        k = rng.choice([1, 2, 2, 3, 4, rng.randint(1, 12)])
    if d is None:
        d = rng.choice([1, 2, 3, 4])
    r = rng.random()
    if r < 0.12:
        return vec()
    if r < 0.16:
        return "NULL::float8[]"
    special = 0.08 if r < 0.5 else 0.0
    nulls = 0.05 if r < 0.25 else 0.0
    body = "{%s}" % ",".join("{%s}" % ",".join(elems(d, nulls, special))
                             for _ in range(k))
    if r > 0.95:
        body = "[0:%d][5:%d]=%s" % (k - 1, 5 + d - 1, body)
    return arr_lit(body)


def rint(kind="k"):
    r = rng.random()
    if r < 0.05:
        return "NULL::int"
    if r < 0.15:
        return str(rng.choice([0, -1, -2147483648, 2147483647, 1000000, 100000]))
    if kind == "k":
        return str(rng.choice([1, 2, 2, 3, 3, 4, 5, 8, 20, 64]))
    if kind == "seed":
        return str(rng.randint(-2 ** 31, 2 ** 31 - 1))
    if kind == "iter":
        return str(rng.choice([1, 2, 5, 10, 300]))
    if kind == "maxlen":
        return str(rng.choice([1, 2, 3, 4]))
    return str(rng.randint(-3, 10))


def rfloat(kind="l2"):
    r = rng.random()
    if r < 0.05:
        return "NULL::float8"
    if r < 0.25:
        return "'%s'::float8" % fl(rng.choice(SPECIAL + [-1.0, -1e-9]))
    if kind == "support":
        return "'%s'::float8" % fl(rng.choice([0.0, 1e-9, 0.01, 0.1, 0.2, 0.3, 0.5, 1.0]))
    if kind == "conf":
        return "'%s'::float8" % fl(rng.choice([0.0, 0.1, 0.5, 0.8, 1.0]))
    return "'%s'::float8" % fl(rng.choice([0.0, 1e-4, 0.01, 1.0, 10.0, 1e6]))


def rnumeric(monsters=True):
    """a numeric literal; monsters: 1e131071 and 16383 decimals too (core's
    numeric division of those takes ~0.1 s, so not in every row of a
    moving window frame)"""
    r = rng.random()
    if r < 0.08:
        return "NULL::numeric"
    if r < 0.25 and not monsters:
        return "'%s'::numeric" % rng.choice([
            "NaN", "Infinity", "-Infinity", "0", "-0", "0.000", "1e100", "-1e100",
            "1e-100", "9" * 40, "-" + "9" * 40, "170141183460469231731687303715884105727",
            "0.000000000000000000000000000000000001"])
    if r < 0.25:
        return "'%s'::numeric" % rng.choice([
            "NaN", "Infinity", "-Infinity", "0", "-0", "0.000", "1e100", "-1e100",
            "1e-100", "9" * 40, "-" + "9" * 40, "1" + "0" * 1000,
            "0." + "0" * 1000 + "1", "1e131071", "-1e131071",
            "0." + "3" * 16383, "170141183460469231731687303715884105727",
            "0.000000000000000000000000000000000001"])
    if r < 0.5:
        return "%d.%02d" % (rng.randint(-1000, 100000), rng.randint(0, 99))
    return "'%s'::numeric" % repr(round(rnum(0.0), rng.randint(0, 8)))


def rbool():
    return rng.choice(["true", "false", "true", "false", "NULL::boolean"])


def rlabel(typ):
    """a label of type typ: boolean, or an integer that is mostly 0 or 1"""
    if typ == "boolean":
        return rbool()
    return "%s::%s" % (rng.choice(["0", "1", "0", "1", "NULL", "2", "-1", "32767"]), typ)


def sig_args(sig):
    """the argument types of a regprocedure text"""
    inner = sig[sig.index("(") + 1:sig.rindex(")")]
    return [a.strip() for a in inner.split(",")] if inner else []


def rbytea(valid_states):
    r = rng.random()
    if r < 0.08:
        return "NULL::bytea"
    if r < 0.25:
        n = rng.choice([0, 1, 4, 8, 16, 100, 112, 120, 128, 200])
        return "'\\x%s'::bytea" % bytes(rng.getrandbits(8) for _ in range(n)).hex()
    if r < 0.45 or not valid_states:
        # a valid state from a direct call
        return "roi_numeric_accum(NULL, %s, %s)" % (rnumeric(), rnumeric())
    b = bytearray(rng.choice(valid_states))
    for _ in range(rng.randint(1, 4)):     # mutate a few bytes
        op = rng.random()
        if op < 0.7 and b:
            i = rng.randrange(len(b))
            b[i] = rng.getrandbits(8)
        elif op < 0.85:
            b = b[:rng.randrange(len(b) + 1)]
        else:
            b += bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 16)))
    return "'\\x%s'::bytea" % bytes(b).hex()


def rstate(n):
    """a float8[] aggregate state: usually of the right length"""
    if rng.random() < 0.7:
        return arr_lit("{%s}" % ",".join(
            fl(rng.choice([0.0, 1.0, 2.0, 3.5, 100.0, -1.0])) if rng.random() < 0.8
            else fl(rnum(0.5)) for _ in range(n)))
    return vec()


# ---------------------------------------------------------------------------
# row sets for aggregates

def rows_sql(cols, gen_row, nrows=None):
    """FROM clause over nrows generated rows: cols = [(name, type)]"""
    if nrows is None:
        nrows = rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 13, 30, rng.randint(0, 60)])
    if nrows == 0:
        return "(SELECT %s WHERE false) t" % ", ".join(
            "NULL::%s AS %s" % (t, c) for c, t in cols)
    if rng.random() < 0.1:                     # all-NULL rows
        rows = ["(%s)" % ", ".join("NULL::%s" % t for _, t in cols)
                for _ in range(nrows)]
    else:
        rows = ["(%s)" % ", ".join("(%s)::%s" % (v, t) for v, (_, t)
                                   in zip(gen_row(), cols))
                for _ in range(nrows)]
    return "(VALUES %s) t(%s)" % (", ".join(rows), ", ".join(c for c, _ in cols))


def agg_query(call, cols, gen_row):
    frm = rows_sql(cols, gen_row)
    r = rng.random()
    if r < 0.1:
        return "SELECT %s FROM %s GROUP BY (%s) IS NULL" % (call, frm, cols[0][0])
    if r < 0.15:
        return "SELECT %s FILTER (WHERE %s IS NOT NULL) FROM %s" % (call, cols[0][0], frm)
    return "SELECT %s FROM %s" % (call, frm)


def feature_row_gen(d, with_label=False, label_type="boolean"):
    def g():
        dd = d if rng.random() < 0.93 else rng.randint(0, 4)
        f = vec(dd) if rng.random() < 0.25 else vec(dd, clean=True)
        if rng.random() < 0.08:
            f = "NULL"
        return [f] + ([rlabel(label_type)] if with_label else [])
    return g


# kmeans(features, k [, seed, max_iter, tolerance, n_init]) and the warm
# start kmeans(features, k, init [, max_iter, tolerance])
def gen_kmeans(sig, nargs):
    if sig.startswith("kmeans(double precision[],integer,double precision[]"):
        return gen_kmeans_init(nargs)
    d = rng.choice([1, 2, 3, 5] + ([200] if rng.random() < 0.05 else []))
    k, seed, it, tol = rint("k"), rint("seed"), rint("iter"), rfloat("tol")
    params = [k, seed, it, tol, rint("n_init")][:nargs - 1]
    if rng.random() < 0.1:
        # a parameter that varies per row
        extra = [("p%d" % i, "int") for i in range(nargs - 1)]
        call = "kmeans(f, %s)" % ", ".join(
            "p%d::float8" % i if i == 3 else "p%d" % i for i in range(nargs - 1))

        def g():
            return feature_row_gen(d)() + [rint("k") for _ in extra]
        return agg_query(call, [("f", "float8[]")] + extra, g)
    call = "kmeans(f, %s)" % ", ".join(params)
    return agg_query(call, [("f", "float8[]")], feature_row_gen(d))


def gen_kmeans_init(nargs):
    d = rng.choice([1, 2, 3, 5])
    k = rng.choice([1, 2, 3, 4])
    init = matrix(k=k if rng.random() < 0.85 else None, d=d if rng.random() < 0.85 else None)
    kk = str(k) if rng.random() < 0.85 else rint("k")
    params = [kk, init, rint("iter"), rfloat("tol")][:nargs - 1]
    if rng.random() < 0.1:
        # an init that varies per row
        def g():
            return feature_row_gen(d)() + [matrix(k=k, d=d)]
        call = "kmeans(f, %s)" % ", ".join([kk, "i"] + params[2:])
        return agg_query(call, [("f", "float8[]"), ("i", "float8[]")], g)
    return agg_query("kmeans(f, %s)" % ", ".join(params), [("f", "float8[]")],
                     feature_row_gen(d))


def gen_kmeans_quality(name):
    d = rng.choice([1, 2, 3])
    c = matrix(d=d if rng.random() < 0.85 else None)
    if rng.random() < 0.1:
        def g():
            return feature_row_gen(d)() + [matrix(d=d)]
        return agg_query("%s(f, c)" % name, [("f", "float8[]"), ("c", "float8[]")], g)
    return agg_query("%s(f, %s)" % (name, c), [("f", "float8[]")], feature_row_gen(d))


# silhouette_score(features, cluster [, sample_size [, seed]])
def gen_silhouette(nargs):
    d = rng.choice([1, 2, 3, 5] + ([200] if rng.random() < 0.05 else []))
    params = [rint("k"), rint("seed")][:nargs - 2]

    def cluster():
        r = rng.random()
        if r < 0.05:
            return "NULL"
        if r < 0.1:
            return str(rng.choice([-2147483648, 2147483647, -1, 0]))
        return str(rng.randint(1, rng.choice([1, 2, 3, 5])))

    if params and rng.random() < 0.1:
        # a parameter that varies per row
        extra = [("p%d" % i, "int") for i in range(len(params))]

        def g():
            return feature_row_gen(d)() + [cluster()] + [rint("k") for _ in extra]
        call = "silhouette_score(f, c, %s)" % ", ".join(n for n, _ in extra)
        return agg_query(call, [("f", "float8[]"), ("c", "int")] + extra, g)
    call = "silhouette_score(f, c%s)" % "".join(", " + p for p in params)
    return agg_query(call, [("f", "float8[]"), ("c", "int")],
                     lambda: feature_row_gen(d)() + [cluster()])


def rnames(d):
    """a names argument for d features: mostly right, sometimes not"""
    n = d if rng.random() < 0.85 else rng.choice([0, 1, d + 1])
    r = rng.random()
    if r < 0.05:
        return "NULL::text[]"
    elems = ["'%s'" % rng.choice(["recency_days", "x", "", "a\"b", "é", "n/a"]) for _ in range(n)]
    if r < 0.1 and elems:
        elems[0] = "NULL"
    return "ARRAY[%s]::text[]" % ", ".join(elems)


# logistic_fit/logistic_summary(features, label [, l2 [, max_iter]] [, names])
def gen_logistic(name, sig):
    types = sig_args(sig)
    label_type = {"smallint": "smallint", "integer": "integer",
                  "bigint": "bigint"}.get(types[1], "boolean")
    d = rng.choice([0, 1, 2, 3, 3, 5, 8] + ([1001] if rng.random() < 0.05 else []))
    params = ["f", "y"]
    for t in types[2:]:
        params.append(rfloat("l2") if t == "double precision" else
                      rint("iter") if t == "integer" else rnames(d))
    if rng.random() < 0.1 and len(types) == 3 and types[2] == "double precision":
        def g():
            return feature_row_gen(d, True, label_type)() + [rfloat("l2")]
        return agg_query("%s(f, y, l)" % name,
                         [("f", "float8[]"), ("y", label_type), ("l", "float8")], g)
    if rng.random() < 0.1 and types[-1] == "text[]":
        # names that vary per row
        def g():
            return feature_row_gen(d, True, label_type)() + [rnames(d)]
        return agg_query("%s(%s, nm)" % (name, ", ".join(params[:-1])),
                         [("f", "float8[]"), ("y", label_type), ("nm", "text[]")], g)
    # a separable, a random and a constant label pattern
    return agg_query("%s(%s)" % (name, ", ".join(params)),
                     [("f", "float8[]"), ("y", label_type)], feature_row_gen(d, True, label_type))


# logistic_fit_weighted/logistic_summary_weighted(features, label, weight
# [, l2 [, max_iter]] [, names]): weights mostly valid (0, integers,
# fractions, 1e300, 1e-300, subnormal), sometimes NULL, negative or
# non-finite
def rweight():
    r = rng.random()
    if r < 0.06:
        return "NULL::float8"
    if r < 0.14:
        return "'%s'::float8" % fl(rng.choice(SPECIAL + [-2.0, -1e-300]))
    return "'%s'::float8" % fl(rng.choice([0.0, 0.0, 1.0, 1.0, 2.0, 3.0, 0.25, 0.5, 7.5,
                                           1e300, 1e-300, 5e-324, 1e-20]))


def gen_logistic_weighted(name, sig):
    types = sig_args(sig)
    label_type = {"smallint": "smallint", "integer": "integer",
                  "bigint": "bigint"}.get(types[1], "boolean")
    d = rng.choice([0, 1, 2, 3, 3, 5] + ([1001] if rng.random() < 0.05 else []))
    params = ["f", "y", "w"]
    for t in types[3:]:
        params.append(rfloat("l2") if t == "double precision" else
                      rint("iter") if t == "integer" else rnames(d))
    feat = feature_row_gen(d, True, label_type)
    # one weight for every row (all 1: the unweighted fit), or one per row
    if rng.random() < 0.15:
        params[2] = rweight()
        return agg_query("%s(%s)" % (name, ", ".join(params)),
                         [("f", "float8[]"), ("y", label_type)], feat)

    def g():
        return feat() + [rweight()]
    return agg_query("%s(%s)" % (name, ", ".join(params)),
                     [("f", "float8[]"), ("y", label_type), ("w", "float8")], g)


# linear_fit/linear_summary(features, y [, l2 [, names]])
def ry():
    r = rng.random()
    if r < 0.08:
        return "NULL"
    if r < 0.12:
        return "'%s'::float8" % fl(rng.choice(SPECIAL))
    return "'%s'::float8" % fl(rnum(0.1))


def gen_linear(name, sig):
    types = sig_args(sig)
    d = rng.choice([0, 1, 2, 3, 3, 5, 8] + ([1001] if rng.random() < 0.05 else []))
    params = ["f", "y"]
    for t in types[2:]:
        params.append(rfloat("l2") if t == "double precision" else rnames(d))

    def g():
        return feature_row_gen(d)() + [ry()]
    if rng.random() < 0.1 and len(types) == 3:
        # l2 that varies per row
        def gl():
            return g() + [rfloat("l2")]
        return agg_query("%s(f, y, l)" % name,
                         [("f", "float8[]"), ("y", "float8"), ("l", "float8")], gl)
    if rng.random() < 0.2 and d <= 3:
        # collinear or constant features: one column repeated or constant
        def gc():
            x = rnum(0.0)
            return ["ARRAY['%s', '%s', 7]::float8[]" % (fl(x), fl(2 * x)), ry()]
        return agg_query("%s(%s)" % (name, ", ".join(params[:2] + params[2:3])),
                         [("f", "float8[]"), ("y", "float8")], gc)
    return agg_query("%s(%s)" % (name, ", ".join(params)),
                     [("f", "float8[]"), ("y", "float8")], g)


def rlinstate():
    """a linear regression state {n, d, l2, name bytes, rows in the block,
    moments, the block's}: usually of a length that fits its d"""
    r = rng.random()
    if r < 0.15:
        return "'{0}'::float8[]"
    if r < 0.3:
        return rstate(rng.choice([1, 5, 9, 15]))
    d = rng.choice([0, 1, 2])
    p = d + 1
    body = [fl(rng.choice([1.0, 2.0, 3.0, 0.5, -1.0, 1e300])), str(d),
            fl(rng.choice([0.0, 0.0, 1.0, -1.0])), rng.choice(["0", "0", "3", "9"]),
            rng.choice(["0", "1", "1", "2", "1023", "1024"])]
    body += [fl(rnum(0.1)) for _ in range(2 * (p + p * (p + 1) // 2) + rng.choice([0, 0, 0, 1]))]
    return arr_lit("{%s}" % ",".join(body))


def gen_roc_auc(sig):
    label_type = sig_args(sig)[1]

    def g():
        s = rng.choice(["NULL", "'%s'" % fl(rnum(0.2)), str(rng.randint(0, 3))])
        return [s, rlabel(label_type)]
    return agg_query("roc_auc(s, y)", [("s", "float8"), ("y", label_type)], g)


def rweight():
    """a row weight: mostly positive, sometimes 0, NULL, negative or special"""
    r = rng.random()
    if r < 0.05:
        return "NULL"
    if r < 0.08:
        return "'%s'" % fl(rng.choice(SPECIAL + [-1.0, -1e-300]))
    if r < 0.2:
        return "0"
    return "'%s'" % fl(rng.choice([1.0, 0.25, 2.5, 1e-300, 5e-324, 1e300, rng.random() * 3]))


# roc_auc(score, label, weight), roc_curve(score, label [, weight
# [, drop_intermediate]]), precision_recall_curve and average_precision
# (score, label [, weight]), gains_table(score, label [, bins]): one state
def gen_curve(name, sig):
    types = sig_args(sig)
    label_type = types[1]
    cols = [("s", "float8"), ("y", label_type)]
    args = ["s", "y"]
    if len(types) >= 3 and types[2] == "double precision":
        cols.append(("w", "float8"))
        args.append("w")
    drop = rbool() if len(types) == 4 else None
    bins = None
    if len(types) == 3 and types[2] == "integer":
        bins = rint("k") if rng.random() < 0.8 else str(rng.choice([1, 10000, 10001]))
    vary = rng.random() < 0.1

    def g():
        row = [rng.choice(["NULL", "'%s'" % fl(rnum(0.2)), str(rng.randint(0, 3))]), rlabel(label_type)]
        if "w" in args:
            row.append(rweight())
        if vary and drop is not None:
            row.append(rbool())
        elif vary and bins is not None:
            row.append(rint("k"))
        return row
    if drop is not None:
        if vary:
            cols.append(("d", "boolean"))
        args.append("d" if vary else drop)
    if bins is not None:
        if vary:
            cols.append(("b", "integer"))
        args.append("b" if vary else bins)
    call = "%s(%s)" % (name, ", ".join(args))
    if name in ("roc_curve", "precision_recall_curve", "gains_table") and rng.random() < 0.5:
        # the rows, as a BI tool reads them
        return "SELECT p.* FROM (%s) q(c), unnest(q.c) p" % agg_query(call, cols, g)
    return agg_query(call, cols, g)


def gen_roi(name, typ):
    if typ == "numeric":
        def g():
            return [rnumeric(), rnumeric()]
    else:
        def g():
            return [rng.choice(["NULL", "'%s'" % fl(rnum(0.2)), str(rng.randint(0, 100))])
                    for _ in range(2)]
    cols = [("r", typ), ("c", typ)]
    if typ == "numeric" and rng.random() < 0.3:
        # moving window: the inverse transition function
        frm = rows_sql([("i", "int")] + cols,
                       lambda: [str(rng.randint(0, 9)), rnumeric(False), rnumeric(False)])
        frame = rng.choice(["ROWS BETWEEN 2 PRECEDING AND CURRENT ROW",
                            "ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING",
                            "ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING",
                            "RANGE BETWEEN 1 PRECEDING AND CURRENT ROW"])
        return "SELECT %s(r, c) OVER (ORDER BY i %s) FROM %s" % (name, frame, frm)
    return agg_query("%s(r, c)" % name, cols, g)


# baskets_sql texts
ITEMS = ["'a'", "'b'", "'c'", "'d'", "'e'", "'milk'", "'bread'", "NULL", "''",
         "'é'", "'a b'"]


def basket_sql():
    r = rng.random()
    nb = rng.choice([0, 1, 2, 3, 5, 10, 20])
    if r < 0.30:                               # (basket_id, item) pairs
        rows = []
        for b in range(nb):
            bid = "NULL" if rng.random() < 0.05 else str(b)
            for _ in range(rng.randint(0, 6)):
                rows.append("(%s, %s)" % (bid, rng.choice(ITEMS)))
        idt, itt = rng.choice([("int", "text"), ("text", "int"), ("bigint", "text"),
                               ("float8", "text"), ("text", "text"), ("int", "varchar"),
                               ("int", "float8"), ("int", "jsonb"), ("int", "bool"),
                               ("int[]", "text"), ("int", "numeric"), ("date", "text")])
        if not rows:
            return "SELECT NULL::%s, NULL::%s WHERE false" % (idt, itt)
        cast = {"text": "::text", "varchar": "::varchar"}

        def conv(v, t):
            if v == "NULL":
                return "NULL::" + t
            if t in ("int", "bigint", "float8", "numeric"):
                return "(length(%s::text) + 1)::%s" % (v, t) if v.startswith("'") else "%s::%s" % (v, t)
            if t == "jsonb":
                return "to_jsonb(%s::text)" % v
            if t == "bool":
                return "(length(%s::text) %% 2 = 0)" % v
            if t == "int[]":
                return "ARRAY[%s::int]" % v
            if t == "date":
                return "date '2024-01-01' + %s::int" % v
            return v + cast.get(t, "::" + t)
        rows = [tuple(x.strip() for x in row[1:-1].split(", ", 1)) for row in rows]
        return "SELECT b, i FROM (VALUES %s) v(b, i)" % ", ".join(
            "(%s, %s)" % (conv(b, idt), conv(i, itt)) for b, i in rows)
    if r < 0.50:                               # one array per basket
        rows = []
        for _ in range(nb):
            if rng.random() < 0.1:
                rows.append("(NULL::text[])")
            else:
                rows.append("(ARRAY[%s]::text[])" % ", ".join(
                    rng.choice(ITEMS) for _ in range(rng.randint(0, 6))))
        if not rows:
            return "SELECT NULL::text[] WHERE false"
        q = "SELECT a FROM (VALUES %s) v(a)" % ", ".join(rows)
        if rng.random() < 0.2:
            q = q.replace("text[]", rng.choice(["varchar[]", "name[]"]))
        return q
    if r < 0.55:                               # nested call
        return "SELECT itemset FROM frequent_itemsets($q$SELECT ARRAY['a','b'] FROM generate_series(1, %d)$q$, 0.5)" % rng.randint(1, 5)
    return rng.choice([
        "", " ", ";", "  ;  ", "SELEC 1", "SELECT", "SELECT 1", "SELECT 1, 2, 3",
        "SELECT 1, ARRAY[1]", "SELECT ARRAY[[1,2],[3,4]]",
        "SELECT ARRAY[[ 'a','b'],['c','d']]", "SELECT '{}'::text[]",
        "SELECT 1, 'a'; SELECT 2, 'b'", "SELECT 1/0, 'a'",
        "SELECT g, 'x' || (g % 3) FROM generate_series(1, 50) g",
        "SELECT * FROM no_such_table", "SELECT b, i FROM fz_baskets",
        "SELECT i, b FROM fz_baskets", "SELECT items FROM fz_arrays",
        "TABLE fz_baskets", "VALUES (1, 'a'), (1, 'b'), (2, 'a')",
        "INSERT INTO fz_baskets VALUES (99, 'z') RETURNING b, i",
        "UPDATE fz_baskets SET i = i RETURNING b, i",
        "DELETE FROM fz_baskets RETURNING b, i",
        "WITH d AS (DELETE FROM fz_baskets RETURNING *) SELECT b, i FROM d",
        "SELECT b, i FROM fz_baskets FOR UPDATE",
        "SELECT b, i FROM fz_baskets FOR SHARE",
        "CREATE TABLE fz_x (a int)", "DROP TABLE fz_baskets",
        "TRUNCATE fz_baskets", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s",
        "VACUUM", "ANALYZE fz_baskets", "SHOW work_mem", "SET work_mem = '1MB'",
        "EXPLAIN SELECT 1, 'a'", "COPY fz_baskets TO STDOUT",
        "COPY fz_baskets FROM STDIN", "DO $$BEGIN END$$", "LISTEN fz",
        "NOTIFY fz", "PREPARE p AS SELECT 1, 'a'", "EXECUTE p",
        "SELECT nextval('fz_seq'), 'a'", "SELECT fz_write(), 'a'",
        "SELECT NULL, NULL", "SELECT NULL::int, NULL::text",
        "SELECT NULL", "SELECT NULL::text[]", "SELECT NULL::int[][]",
        "SELECT $1, 'a'", "SELECT 1, 'a' \\g",
        "SELECT row(1,2), 'a'", "SELECT 1, row(1,'a')",
        "SELECT 'x'::text, g FROM generate_series(1, 30) g",
        "SELECT 'x'::text, g FROM generate_series(1, 10) g",
        "SELECT g % 4, g FROM generate_series(1, 24) g",
        "SELECT array_agg(g) FROM generate_series(1, 8) g GROUP BY g % 3",
        "SELECT ARRAY[NULL, NULL]::text[] FROM generate_series(1, 3)",
        "SELECT repeat('x', 10000), 'y'",
        "SELECT 1, 'a' UNION ALL SELECT 1, 'a'",
        "/* comment only */", "-- comment only",
        "SELECT pg_sleep(0), 'a'",
        "SELECT b, i FROM fz_baskets WHERE b = 1 / (b - b)",
        "SELECT '\\x00'::bytea, 'a'", "SELECT 1, '\\x00'::bytea",
        "SELECT (1,'a')::fz_pair", "SELECT ARRAY[(1,'a')::fz_pair]",
        "SELECT ARRAY[1.5, NULL, 'NaN']::float8[]",
        "SELECT ARRAY['Infinity', '-0']::float8[] FROM generate_series(1,4)",
        "SELECT 1, pg_sleep(0)", "SELECT 1, 'a'::\"char\"", "SELECT 1, 'a'::char(5)",
        "SELECT ARRAY[row(1, 'a'), row(2, NULL)] FROM generate_series(1, 3)",
        "SELECT most_common_vals FROM pg_stats", "SELECT 1, textout('a')",
        "SELECT 1, x FROM unnest('{NaN,-0,0,Infinity,-Infinity}'::float8[]) x",
        "SELECT x, 1 FROM unnest('{NaN,-0,0,Infinity,-Infinity,NaN}'::float8[]) x",
        "SELECT 1, x FROM unnest('{1.0,1.00,1,NaN}'::numeric[]) x",
        "SELECT ARRAY['{}'::jsonb, 'null', '[]']",
        "SELECT g % 2, '\\x00ff'::bytea FROM generate_series(1, 4) g",
        "SELECT 1, g FROM generate_series(1, 63) g",
        "SELECT array_agg(g) FROM generate_series(1, 70) g",
        "SELECT ARRAY(SELECT generate_series(1, 3000))",
        "SELECT g / 100, g % 100 FROM generate_series(1, 20000) g",
        "SELECT ARRAY[1,2]::int2vector", "SELECT ARRAY[1]::oidvector",
        "SELECT '[1,2]'::int4range, 1", "SELECT 1, '[1,2]'::int4range",
        "SELECT '{[1,2]}'::int4multirange",
        "SELECT 1, NULL::unknown", "SELECT 1, $$a$$ COLLATE \"C\"",
        "SELECT * FROM frequent_itemsets('SELECT 1, 2', 0.5)",
        "SELECT * FROM apriori_rules('SELECT 1, 2', 0.5)",
        "SELECT count, support FROM frequent_itemsets('SELECT 1, 2', 0.5)",
    ])


RULE_METRICS = ["'%s'" % m for m in (
    "antecedent_support", "consequent_support", "support", "confidence", "lift", "leverage",
    "conviction", "representativity", "zhangs_metric", "jaccard", "certainty", "kulczynski")]


def gen_basket(name, nargs):
    sql = basket_sql()
    if rng.random() < 0.04:
        q = "NULL::text"
    else:
        q = "$fz$%s$fz$" % sql if "$fz$" not in sql else "NULL::text"
    args = [q, rfloat("support")]
    if name == "apriori_rules":
        args.append(rfloat("conf"))
    args.append(rint("maxlen"))
    if name == "apriori_rules":
        # metric and min_threshold: every metric, wrong names, NULL; any
        # threshold, NaN and the infinities among them
        args.append(rng.choice(RULE_METRICS + ["NULL::text", "'Lift'", "''", "'antecedent support'"]))
        args.append(rng.choice(["NULL::float8", "'NaN'::float8", "'Infinity'::float8",
                                "'-Infinity'::float8", "0", "-1", "0.5", "1", "1.5", "1e300"]))
    # sometimes leave the defaults in place
    cut = rng.choice([2, len(args), len(args)]) if name == "frequent_itemsets" \
        else rng.choice([2, 3, 4, len(args), len(args)])
    return "SELECT * FROM %s(%s)" % (name, ", ".join(args[:max(2, cut)]))


# frequent_itemsets(baskets_sql, min_support, max_len, kind): the basket
# query texts, and kinds valid, misspelt, empty, NULL or of another type
KINDS = ["'all'", "'closed'", "'maximal'", "'closed'", "'maximal'", "'Closed'",
         "'max'", "''", "' closed'", "NULL", "NULL::text", "1", "'maximal'::varchar",
         "repeat('x', 3000)", "'all\\0'"]


def gen_itemsets_kind():
    sql = basket_sql()
    if rng.random() < 0.04:
        q = "NULL::text"
    else:
        q = "$fz$%s$fz$" % sql if "$fz$" not in sql else "NULL::text"
    args = [q, rfloat("support"), rint("maxlen"), rng.choice(KINDS)]
    if rng.random() < 0.2:
        return "SELECT * FROM frequent_itemsets(%s, %s, max_len => %s, kind => %s)" % tuple(args)
    return "SELECT * FROM frequent_itemsets(%s)" % ", ".join(args)


# interactions_sql texts of item_neighbors / recommend_items: (customer,
# item) or (customer, item, weight) rows of many types, with NULLs, repeated
# pairs and every kind of weight (0, negative, NaN, infinite, huge, tiny,
# numeric, not a number at all), or any of the basket query texts (wrong
# shapes, statements that write, several statements, errors in the query)
CUSTS = ["'c1'", "'c2'", "'c3'", "'c4'", "''", "'é'", "NULL"]
WEIGHTS = ["1", "2", "3", "0", "0.5", "-1", "'NaN'", "'Infinity'", "'-Infinity'",
           "1e308", "1e-300", "5e-324", "1e154", "NULL", "1e15", "-0"]


def interactions_sql():
    r = rng.random()
    if r < 0.30:
        return basket_sql()
    if r < 0.40:
        return rng.choice([
            "SELECT b, i FROM fz_baskets", "SELECT b, i, b FROM fz_baskets",
            "SELECT b, i, 1.5 FROM fz_baskets", "SELECT i, b FROM fz_baskets",
            "SELECT b, i, i FROM fz_baskets", "SELECT b, ARRAY[i] FROM fz_baskets",
            "SELECT b, i, b - 5 FROM fz_baskets", "SELECT b, i, NULL::float8 FROM fz_baskets",
            "SELECT b, i, 0 FROM fz_baskets", "SELECT NULL::int, i FROM fz_baskets",
            "SELECT b % 2, i, (b * 1e300)::float8 FROM fz_baskets",
            "SELECT g % 50, g % 97, g % 3 FROM generate_series(1, 5000) g",
            "SELECT g % 400, (g * 7919) % 300 FROM generate_series(1, 6000) g",
            "SELECT g % 3, g FROM generate_series(1, 400) g",
            "SELECT 1, g FROM generate_series(1, 300) g",
            "SELECT g, 1 FROM generate_series(1, 300) g",
            "SELECT b, i, b::numeric / 3 FROM fz_baskets",
            "SELECT b, i, 'NaN'::numeric FROM fz_baskets",
            "SELECT b, i, 'Infinity'::numeric FROM fz_baskets",
            "SELECT b, i, 1e400::numeric FROM fz_baskets",
            "SELECT b, i, true FROM fz_baskets", "SELECT b, i, '1'::text FROM fz_baskets",
            "SELECT b, i, 1, 2 FROM fz_baskets", "SELECT b FROM fz_baskets",
            "SELECT b, i, fz_write() FROM fz_baskets",
            "SELECT b, i, nextval('fz_seq') FROM fz_baskets",
        ])
    n = rng.choice([0, 1, 2, 3, 5, 8, 13, 30, rng.randint(0, 80)])
    ncust = rng.choice([1, 2, 3, 5, 10])
    nitem = rng.choice([1, 2, 3, 5, 10, 30])
    weighted = rng.random() < 0.6
    ctype = rng.choice(["text", "int", "bigint", "numeric", "varchar", "float8", "date", "bool"])
    itype = rng.choice(["text", "int", "bigint", "numeric", "varchar", "float8", "bytea",
                        "jsonb", "int[]", "uuid"])
    wtype = rng.choice(["float8", "float8", "int", "int2", "bigint", "numeric", "float4", "text"])

    def cust():
        if rng.random() < 0.03:
            return "NULL::%s" % ctype
        c = rng.randint(1, ncust)
        if ctype in ("text", "varchar"):
            return "'c%d'::%s" % (c, ctype)
        if ctype == "date":
            return "(date '2024-01-01' + %d)" % c
        if ctype == "bool":
            return "%s" % ("true" if c % 2 else "false")
        return "%d::%s" % (c, ctype)

    def item():
        if rng.random() < 0.05:
            return "NULL::%s" % itype
        i = rng.randint(1, nitem)
        if itype in ("text", "varchar"):
            return "'%s'::%s" % (rng.choice(["i%d" % i, "i%d" % i, "é%d" % i, "%d" % i]), itype)
        if itype == "bytea":
            return "'\\x%02x'::bytea" % i
        if itype == "jsonb":
            return "'%d'::jsonb" % i
        if itype == "int[]":
            return "ARRAY[%d]" % i
        if itype == "uuid":
            return "'00000000-0000-0000-0000-%012d'::uuid" % i
        return "%d::%s" % (i, itype)

    def weight():
        w = rng.choice(WEIGHTS) if rng.random() < 0.3 else str(rng.randint(1, 4))
        if wtype == "text":
            return "%s::text" % w
        if wtype in ("int", "int2", "bigint") and not w.lstrip("-").isdigit():
            return "NULL::%s" % wtype if w == "NULL" else "1::%s" % wtype
        return "(%s)::%s" % (w, wtype)

    if n == 0:
        return "SELECT NULL::text, NULL::text WHERE false"
    rows = ["(%s)" % ", ".join([cust(), item()] + ([weight()] if weighted else []))
            for _ in range(n)]
    cols = "c, i, w" if weighted else "c, i"
    q = "SELECT %s FROM (VALUES %s) v(%s)" % (cols, ", ".join(rows), cols)
    if rng.random() < 0.2:
        q += " ORDER BY md5(v::text)"
    return q


SIMILARITIES = ["'cosine'", "'cosine_weighted'", "'bm25'", "'jaccard'", "'confidence'",
                "'lift'", "'ease'"]


def gen_recommend(name):
    sql = interactions_sql()
    if rng.random() < 0.03:
        q = "NULL::text"
    else:
        q = "$fz$%s$fz$" % sql if "$fz$" not in sql else "NULL::text"
    sim = rng.choice(SIMILARITIES) if rng.random() < 0.9 else rng.choice(
        ["'popular'", "'Cosine'", "''", "'pearson'", "NULL::text"])
    if name == "recommend_items" and rng.random() < 0.15:
        sim = "'popular'"
    l2 = rfloat("l2") if rng.random() < 0.5 else rng.choice(["1", "500", "0"])
    if name == "item_neighbors":
        args = [q, rint("k"), sim, rint("min") if rng.random() < 0.5 else "1", l2]
    else:
        nb = rng.choice(["NULL::int", rint("k"), rint("k")])
        args = [q, rint("k"), sim, nb, rbool(), l2]
    cut = rng.choice([1, 2, 3, len(args), len(args), len(args)])
    return "SELECT * FROM %s(%s)" % (name, ", ".join(args[:cut]))


METRICS = ("hit_at_k", "precision_at_k", "recall_at_k", "ndcg_at_k", "average_precision_at_k")


def gen_metric(name):
    typ = rng.choice(["int", "text", "float8", "numeric", "money", "point", "bigint"])
    pool = ["1", "2", "3", "4", "5", "NULL"]

    def arr():
        r = rng.random()
        if r < 0.05:
            return "NULL::%s[]" % typ
        if r < 0.10:
            return "'{}'::%s[]" % typ
        if r < 0.14:
            if typ == "point":
                return "'{{\"(1,0)\",\"(2,0)\"},{\"(3,0)\",\"(4,0)\"}}'::point[]"
            return "'{{1,2},{3,4}}'::%s[]" % typ
        if r < 0.17:
            if typ == "point":
                return "'[3:4]={\"(1,0)\",\"(2,0)\"}'::point[]"
            return "'[3:4]={1,2}'::%s[]" % typ
        n = rng.choice([1, 2, 3, 5, 10, 30, rng.randint(0, 300)])
        if typ == "point":
            return "ARRAY[%s]::point[]" % ", ".join("'(%d,0)'" % rng.randint(1, 5) for _ in range(n))
        if typ == "money" or typ == "text":
            return "ARRAY[%s]::%s[]" % (", ".join(
                "'%s'" % rng.randint(1, 9) if rng.random() > 0.1 else "NULL" for _ in range(n)), typ)
        return "ARRAY[%s]::%s[]" % (", ".join(
            rng.choice(pool) if rng.random() < 0.5 else str(rng.randint(1, 40)) for _ in range(n)), typ)
    return "SELECT %s(%s, %s, %s)" % (name, arr(), arr(), rint("k"))


# ets_fit(value, options ORDER BY t) and ets_forecast(model, horizon): random
# options (valid ones mostly, wrong names, types and ranges too) over short
# and long series with NULL, zero, negative and non-finite values
def ets_options():
    if rng.random() < 0.05:
        return rng.choice(["NULL::jsonb", "'[1]'::jsonb", "'3'::jsonb", "'{}'::jsonb"])
    o = {}
    if rng.random() < 0.7:
        o["trend"] = rng.choice(["none", "add", "damped", "damped", "mul", 1])
    if rng.random() < 0.5:
        o["seasonal"] = rng.choice(["none", "add", "mul", "Add"])
        o["period"] = rng.choice([2, 3, 4, 7, 12, 0, 1, 2.5, "4", 100000])
    for k in ("alpha", "beta", "gamma", "phi"):
        if rng.random() < 0.2:
            o[k] = rng.choice([0, 0.1, 0.5, 0.9, 1, -0.1, 1.5, 1e300, "x"])
    if rng.random() < 0.15:
        o["initialization"] = rng.choice(["known", "heuristic", "estimated"])
        o["initial_level"] = rng.choice([0, 10, -5, 1e308, "a"])
        o["initial_trend"] = rng.choice([0, 1, -1e308])
        o["initial_seasonals"] = rng.choice([[1, 1], [1, 2, 3, 4], [], [0.5] * 12, "x", [None]])
    for k in ("statsmodels_compat", "fitted"):
        if rng.random() < 0.1:
            o[k] = rng.choice([True, False, "yes"])
    if rng.random() < 0.03:
        o["level"] = 1
    return "'%s'::jsonb" % json.dumps(o).replace("'", "''")


def gen_ets():
    n = rng.choice([0, 1, 2, 5, 9, 10, 11, 24, 30, 52, 200])
    opts = ets_options()

    def g():
        r = rng.random()
        v = ("NULL" if r < 0.02 else "'%s'" % fl(rnum(0.03)) if r < 0.3
             else repr(abs(rng.gauss(100, 30)) + 1))
        return [str(rng.randint(0, 10 ** 6)), v]
    call = "ets_fit(v, %s ORDER BY t)" % opts
    frm = rows_sql([("t", "int"), ("v", "float8")], g, n)
    if rng.random() < 0.1:
        return "SELECT g, %s FROM (SELECT t, v, t %% 3 AS g FROM %s) s GROUP BY g" % (call, frm)
    return "SELECT %s FROM %s" % (call, frm)


def gen_ets_forecast():
    h = rng.choice(["1", "2", "8", "0", "-1", "NULL::int", "1000000", "1000001"])
    r = rng.random()
    if r < 0.6:
        n = rng.choice([10, 12, 30])
        vals = ", ".join("(%d, %r)" % (i, abs(rng.gauss(50, 10)) + 1) for i in range(n))
        model = "(SELECT ets_fit(v, %s ORDER BY t) FROM (VALUES %s) s(t, v))" % (ets_options(), vals)
    else:
        m = {"trend": rng.choice(["none", "add", "damped", "x", None]),
             "seasonal": rng.choice(["none", "add", "mul", None]),
             "period": rng.choice([2, 4, 0, 1.5, None]),
             "phi": rng.choice([0.9, 2, None, "a"]),
             "final_level": rng.choice([1, -1e308, 1e308, None, "a"]),
             "final_trend": rng.choice([1, 1e308, None]),
             "final_seasonals": rng.choice([[1, 2], [1, 2, 3, 4], [], None, "x"]),
             "statsmodels_compat": rng.choice([True, False, None]),
             "compat_seasonal": rng.choice([1, None])}
        m = {k: v for k, v in m.items() if rng.random() < 0.85}
        model = "'%s'::jsonb" % json.dumps(m)
        if rng.random() < 0.05:
            model = rng.choice(["NULL::jsonb", "'[]'::jsonb", "'1'::jsonb"])
    return "SELECT * FROM ets_forecast(%s, %s)" % (model, h)


# direct calls of functions (including support functions with ordinary types)
def gen_direct(sig, valid_states):
    name = sig.split("(")[0]
    if name in ("cosine_sim", "pearson_sim"):
        n = rng.choice([0, 1, 2, 3, 5, 10])
        b = vec(n if rng.random() < 0.85 else None)
        return "SELECT %s(%s, %s)" % (name, vec(n), b)
    if name == "kmeans_assign":
        d = rng.choice([1, 2, 3])
        return "SELECT kmeans_assign(%s, %s)" % (vec(d), matrix(d=d if rng.random() < 0.85 else None))
    if name in ("churn_score", "churn_logit"):
        d = rng.choice([0, 1, 2, 3])
        return "SELECT %s(%s, %s)" % (name, vec(d), vec(d + 1 if rng.random() < 0.85 else None))
    if name == "kmeans_centroids":
        return "SELECT * FROM kmeans_centroids(%s)" % matrix()
    if name == "kmeans_match":
        d = rng.choice([1, 2, 3])
        k = rng.choice([1, 2, 3, 5, 8])
        return "SELECT kmeans_match(%s, %s)" % (
            matrix(k=k + rng.choice([0, 0, 0, 1, -1]), d=d if rng.random() < 0.9 else None),
            matrix(k=k, d=d))
    if name == "linear_accum":
        n = sig.count(",")
        extra = []
        if n >= 3:
            extra.append(rfloat("l2"))
        if n >= 4:
            extra.append(rnames(rng.choice([0, 1, 2])))
        return "SELECT linear_accum(%s)" % ", ".join(
            [rlinstate(), vec(rng.choice([0, 1, 2])), ry()] + extra)
    if name == "linear_combine":
        return "SELECT linear_combine(%s, %s)" % (rlinstate(), rlinstate())
    if name in ("linear_final", "linear_summary_final"):
        return "SELECT %s(%s)" % (name, rlinstate())
    if name == "linear_predict":
        d = rng.choice([0, 1, 2, 3])
        return "SELECT linear_predict(%s, %s)" % (vec(d), vec(d + 1 if rng.random() < 0.85 else None))
    if name == "roi_float8_accum":
        return "SELECT roi_float8_accum(%s, %s, %s)" % (
            rstate(3), rfloat("x"), rfloat("x"))
    if name == "roi_float8_combine":
        return "SELECT roi_float8_combine(%s, %s)" % (rstate(3), rstate(3))
    if name in ("roi_float8_final", "roas_float8_final"):
        return "SELECT %s(%s)" % (name, rstate(3))
    if name in ("kmeans_inertia_accum", "kmeans_silhouette_accum"):
        d = rng.choice([1, 2, 3])
        return "SELECT %s(%s, %s, %s)" % (name, rstate(2), vec(d), matrix(d=d))
    if name == "kmeans_pair_combine":
        return "SELECT kmeans_pair_combine(%s, %s)" % (rstate(2), rstate(2))
    if name in ("kmeans_inertia_final", "kmeans_silhouette_final"):
        return "SELECT %s(%s)" % (name, rstate(2))
    if name in ("roi_numeric_accum", "roi_numeric_inv"):
        return "SELECT %s(%s, %s, %s)" % (name, rbytea(valid_states),
                                          rnumeric(), rnumeric())
    if name == "roi_numeric_combine":
        return "SELECT roi_numeric_combine(%s, %s)" % (rbytea(valid_states),
                                                      rbytea(valid_states))
    if name in ("roi_numeric_final", "roas_numeric_final"):
        return "SELECT %s(%s)" % (name, rbytea(valid_states))
    return None


# ---------------------------------------------------------------------------
# properties every returned value must have, whatever the input (non-finite
# inputs are rejected with an error, so they do not excuse a NaN)

def _num(v):
    return isinstance(v, (int, float))


def _in(v, lo, hi):
    return v is None or (_num(v) and lo <= v <= hi)


def _finite_nested(v):
    if isinstance(v, list):
        return all(_finite_nested(x) for x in v)
    return _num(v) and math.isfinite(v)


def _check_itemsets(rows):
    for itemset, support, count in rows:
        if not itemset or len(set(itemset)) != len(itemset) or None in itemset:
            return "itemset %r is empty, has duplicates or NULLs" % (itemset,)
        if not (0 < support <= 1) or count < 1:
            return "support %r, count %r out of range" % (support, count)
    return None


def _check_rules(rows):
    for ant, cons, asup, csup, sup, conf, lift, lev, conv, rep, zhang, jac, cert, kulc in rows:
        if not ant or not cons or set(ant) & set(cons):
            return "antecedent %r and consequent %r overlap or are empty" % (ant, cons)
        eps = 1e-12
        if not (0 < sup <= min(asup, csup) + eps and asup <= 1 and csup <= 1):
            return "supports %r %r %r inconsistent" % (asup, csup, sup)
        if not (0 <= conf <= 1 + eps) or not (lift >= 0) or not (-0.25 - eps <= lev <= 0.25 + eps) \
                or not (conv >= 0):
            return "metrics %r out of range" % ([conf, lift, lev, conv],)
        # certainty = (conf - sC) / (1 - sC) has no lower bound but -sC / (1 - sC)
        if rep != 1 or not (-1 - eps <= zhang <= 1 + eps) or not (0 < jac <= 1 + eps) \
                or not (cert <= 1 + eps) or not (0 < kulc <= 1 + eps):
            return "metrics %r out of range" % ([rep, zhang, jac, cert, kulc],)
    return None


def _check_neighbors(rows):
    """ranks 1..n per item, best first, no self, finite similarity, common >= 1"""
    last = {}
    for item, nb, sim, common, rank in rows:
        if item is None or nb is None or item == nb:
            return "item %r with neighbour %r" % (item, nb)
        if not (_num(sim) and math.isfinite(sim)) or common is None or common < 1:
            return "similarity %r or common %r" % (sim, common)
        prev = last.get(item)
        if rank != (prev[0] + 1 if prev else 1) or (prev and prev[1] < sim):
            return "item %r: rank %r after %r, or not sorted" % (item, rank, prev)
        last[item] = (rank, sim)
    return None


def _check_recommendations(rows):
    """ranks 1..n per customer, scored rows first, sorted, no repeated item"""
    last = {}
    seen = set()
    for cust, item, score, rank in rows:
        if cust is None or item is None or (cust, item) in seen:
            return "customer %r item %r (repeated or NULL)" % (cust, item)
        seen.add((cust, item))
        if score is not None and not (_num(score) and math.isfinite(score)):
            return "score %r" % (score,)
        prev = last.get(cust)
        if rank != (prev[0] + 1 if prev else 1):
            return "customer %r: rank %r after %r" % (cust, rank, prev)
        if prev and (prev[1] is None and score is not None
                     or prev[1] is not None and score is not None and prev[1] < score):
            return "customer %r: scores not sorted (%r then %r)" % (cust, prev[1], score)
        last[cust] = (rank, score)
    return None


CHECKS = {
    "cosine_sim": lambda rows: None if all(_in(r[0], -1, 1) for r in rows) else "not in [-1, 1]",
    "pearson_sim": lambda rows: None if all(_in(r[0], -1, 1) for r in rows) else "not in [-1, 1]",
    "churn_score": lambda rows: None if all(_in(r[0], 0, 1) for r in rows) else "not in [0, 1]",
    "churn_logit": lambda rows: None if all(r[0] is None or r[0] == r[0] for r in rows) else "NaN",
    "roc_auc": lambda rows: None if all(_in(r[0], 0, 1 + 1e-12) for r in rows) else "not in [0, 1]",
    "average_precision": lambda rows: None if all(_in(r[0], 0, 1 + 1e-12) for r in rows)
    else "not in [0, 1]",
    "kmeans_silhouette": lambda rows: None if all(_in(r[0], 0, 1) for r in rows) else "not in [0, 1]",
    "silhouette_score": lambda rows: None if all(_in(r[0], -1, 1) for r in rows) else "not in [-1, 1]",
    "kmeans_inertia": lambda rows: None if all(_in(r[0], 0, math.inf) for r in rows) else "negative or NaN",
    "kmeans_assign": lambda rows: None if all(r[0] is None or r[0] >= 1 for r in rows) else "below 1",
    "kmeans": lambda rows: None if all(r[0] is None or (isinstance(r[0], list) and isinstance(r[0][0], list)
                                                        and _finite_nested(r[0])) for r in rows)
    else "not a finite k x d array",
    "logistic_fit": lambda rows: None if all(r[0] is None or _finite_nested(r[0]) for r in rows)
    else "non-finite coefficients",
    "logistic_fit_weighted": lambda rows: None if all(r[0] is None or _finite_nested(r[0]) for r in rows)
    else "non-finite coefficients",
    "linear_fit": lambda rows: None if all(r[0] is None or _finite_nested(r[0]) for r in rows)
    else "non-finite coefficients",
    "linear_predict": lambda rows: None if all(r[0] is None or r[0] == r[0] for r in rows) else "NaN",
    "kmeans_match": lambda rows: None if all(r[0] is None or (isinstance(r[0], list) and isinstance(r[0][0], list)
                                                              and _finite_nested(r[0])) for r in rows)
    else "not a finite k x d array",
    "kmeans_centroids": lambda rows: None if [r[0] for r in rows] == list(range(1, len(rows) + 1))
    and all(_finite_nested(r[1]) for r in rows) else "clusters not 1..k or non-finite",
    "frequent_itemsets": _check_itemsets,
    "apriori_rules": _check_rules,
    "item_neighbors": _check_neighbors,
    "recommend_items": _check_recommendations,
    "ets_fit": lambda rows: None if all(r[-1] is None or (isinstance(r[-1], dict) and isinstance(r[-1].get("converged"), bool)
                                                          and (r[-1].get("sse") is None or r[-1]["sse"] >= 0))
                                        for r in rows) else "not a model with converged and SSE >= 0",
    "ets_forecast": lambda rows: None if [r[0] for r in rows] == list(range(1, len(rows) + 1))
    else "steps not 1..horizon",
    "hit_at_k": lambda rows: None if all(r[0] in (None, 0.0, 1.0) for r in rows) else "not 0, 1 or NULL",
    "precision_at_k": lambda rows: None if all(_in(r[0], 0, 1) for r in rows) else "not in [0, 1]",
    "recall_at_k": lambda rows: None if all(_in(r[0], 0, 1) for r in rows) else "not in [0, 1]",
    "ndcg_at_k": lambda rows: None if all(_in(r[0], 0, 1 + 1e-12) for r in rows) else "not in [0, 1]",
    "average_precision_at_k": lambda rows: None if all(_in(r[0], 0, 1 + 1e-12) for r in rows)
    else "not in [0, 1]",
}


SUPPORT = {"linear_accum", "linear_combine", "linear_final", "linear_summary_final",
           "roi_float8_accum", "roi_float8_combine", "roi_float8_final",
           "roas_float8_final", "kmeans_inertia_accum", "kmeans_silhouette_accum",
           "kmeans_pair_combine", "kmeans_inertia_final", "kmeans_silhouette_final",
           "roi_numeric_accum", "roi_numeric_inv", "roi_numeric_combine",
           "roi_numeric_final", "roas_numeric_final"}


def generator_for(sig, kind, nargs, valid_states):
    """a function returning one random SQL statement for target sig"""
    name = sig.split("(")[0]
    if kind == "a":
        if name == "kmeans":
            return lambda: gen_kmeans(sig, nargs)
        if name in ("kmeans_inertia", "kmeans_silhouette"):
            return lambda: gen_kmeans_quality(name)
        if name in ("logistic_fit", "logistic_summary"):
            return lambda: gen_logistic(name, sig)
        if name in ("linear_fit", "linear_summary"):
            return lambda: gen_linear(name, sig)
        if name in ("logistic_fit_weighted", "logistic_summary_weighted"):
            return lambda: gen_logistic_weighted(name, sig)
        if name == "roc_auc" and len(sig_args(sig)) == 2:
            return lambda: gen_roc_auc(sig)
        if name == "silhouette_score":
            return lambda: gen_silhouette(nargs)
        if name in ("roc_auc", "roc_curve", "precision_recall_curve", "average_precision",
                    "gains_table"):
            return lambda: gen_curve(name, sig)
        if name in ("roi", "roas"):
            typ = "numeric" if "numeric" in sig else "float8"
            return lambda: gen_roi(name, typ)
        if name == "ets_fit":
            return gen_ets
        return None
    if name == "frequent_itemsets" and nargs == 4:
        return gen_itemsets_kind
    if name in ("frequent_itemsets", "apriori_rules"):
        return lambda: gen_basket(name, nargs)
    if name in ("item_neighbors", "recommend_items"):
        return lambda: gen_recommend(name)
    if name in METRICS:
        return lambda: gen_metric(name)
    if name == "ets_forecast":
        return gen_ets_forecast
    if gen_direct(sig, valid_states) is None:
        return None
    return lambda: gen_direct(sig, valid_states)


# ---------------------------------------------------------------------------
# running

def main():
    t0 = time.monotonic()
    # numeric as text: Decimal cannot hold numeric's Infinity
    num = psycopg2.extensions.new_type((1700,), "NUMERIC_TEXT", lambda v, c: v)
    psycopg2.extensions.register_type(num)
    psycopg2.extensions.register_type(
        psycopg2.extensions.new_array_type((1231,), "NUMERIC_TEXT[]", num))
    conn = psycopg2.connect(dbname=DB, application_name="aim_fuzz")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SET statement_timeout = '20s'")
    cur.execute("SET max_parallel_workers_per_gather = 0")
    cur.execute(LIMITS)
    cur.execute("SELECT pg_backend_pid()")
    pid0 = cur.fetchone()[0]

    cur.execute("""
        SELECT p.oid::regprocedure::text, p.prokind, p.pronargs,
               'internal'::regtype = ANY (p.proargtypes::oid[])
        FROM pg_proc p
        JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
             AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
        JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'aimarketing'
        ORDER BY 1""")
    procs = cur.fetchall()
    # which aggregates use each support function
    cur.execute("""
        SELECT a.aggfnoid::regprocedure::text, f.oid::regprocedure::text
        FROM pg_aggregate a
        CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
              a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn,
              a.aggmfinalfn]::oid[]) u(fn)
        JOIN pg_proc f ON f.oid = u.fn
        WHERE a.aggfnoid IN (SELECT objid FROM pg_depend
                             WHERE refobjid = (SELECT oid FROM pg_extension
                                               WHERE extname = 'aimarketing')
                               AND classid = 'pg_proc'::regclass)""")
    used_by = {}
    for agg, fn in cur.fetchall():
        used_by.setdefault(fn, set()).add(agg)

    # a few valid numeric roi states, to mutate
    valid_states = []
    for v in ["1.5, 2", "'1e100', 3", "-7, '0.001'", "'NaN', 1", "1, 1"]:
        cur.execute("SELECT roi_numeric_accum(roi_numeric_accum(NULL, %s), 2.25, 1.125)" % v)
        valid_states.append(bytes(cur.fetchone()[0]))

    # tables and objects the basket texts refer to
    cur.execute("""
        DROP TABLE IF EXISTS fz_baskets, fz_arrays, fz_par;
        DROP TYPE IF EXISTS fz_pair;
        DROP SEQUENCE IF EXISTS fz_seq;
        CREATE TABLE fz_baskets (b int, i text);
        INSERT INTO fz_baskets SELECT g / 3, 'i' || (g % 5) FROM generate_series(1, 30) g;
        CREATE TABLE fz_arrays (items text[]);
        INSERT INTO fz_arrays VALUES ('{a,b}'), ('{a}'), (NULL), ('{b,NULL}'), ('{}');
        CREATE TYPE fz_pair AS (a int, b text);
        CREATE SEQUENCE fz_seq;
        CREATE OR REPLACE FUNCTION fz_write() RETURNS int LANGUAGE sql
            AS 'INSERT INTO fz_baskets VALUES (0, ''w'') RETURNING 1';
        CREATE TABLE fz_par (g int, f float8[], y boolean, s float8, r numeric, c numeric);
        INSERT INTO fz_par SELECT g,
               CASE WHEN g % 101 = 0 THEN NULL
                    ELSE ARRAY[g % 7 + (g % 13) / 13.0, (g * 13) % 11, g % 3 * 1e-3]::float8[] END,
               CASE WHEN g % 89 = 0 THEN NULL ELSE (g * 7) % 5 < 2 END,
               CASE WHEN g % 97 = 0 THEN NULL ELSE ((g * 31) % 97) / 97.0 END,
               CASE WHEN g % 83 = 0 THEN NULL ELSE (g % 50) * 1.01 END,
               1 + g % 20 + (g % 7) * 0.001
        FROM generate_series(1, 3000) g;
        ANALYZE fz_par""")

    targets = []          # (sig, generator)
    missing = []          # functions without a way to be called
    for sig, kind, nargs, has_internal in procs:
        if has_internal:
            if sig not in used_by:
                missing.append(sig + " (internal argument, used by no aggregate)")
            continue
        g = generator_for(sig, kind, nargs, valid_states)
        if g is None:
            missing.append(sig + " (no generator in fuzz_random.py)")
        else:
            targets.append((sig, g))

    stats = Counter()
    calls_per = Counter()
    errors = Counter()
    messages = Counter()
    ok_per = Counter()
    slowest = [0.0, None]
    time_per = Counter()
    bad = []
    crashed = None

    def run(sig, sql, support):
        nonlocal crashed
        stats["calls"] += 1
        calls_per[sig] += 1
        t = time.monotonic()
        setting = rng.random() < 0.05
        outcome = None
        try:
            if setting:
                # a low itemset limit, or progress notices
                cur.execute(rng.choice(["SET aimarketing.max_itemsets = 3",
                                        "SET aimarketing.max_rules = 2",
                                        "SET aimarketing.progress = on"]))
            cur.execute(sql)
            rows = cur.fetchall() if cur.description is not None else []
            stats["ok"] += 1
            ok_per[sig] += 1
            check = CHECKS.get(sig.split("(")[0])
            problem = check(rows) if check and not support else None
            if problem:
                bad.append({"function": sig, "sql": sql, "sqlstate": "-----",
                            "message": "wrong result: %s: %r" % (problem, rows[:3])})
            outcome = ("ok", rows)
        except psycopg2.Error as e:
            code = e.pgcode
            if code is None or isinstance(e, (psycopg2.OperationalError,
                                              psycopg2.InterfaceError)) and conn.closed:
                crashed = {"sql": sql[:2000], "error": str(e)}
                return
            errors[code] += 1
            outcome = ("error", code)
            msg = e.diag.message_primary or ""
            messages[(code, re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "N", msg))] += 1
            name = sig.split("(")[0]
            ok = code in OWN
            if name in ("frequent_itemsets", "apriori_rules", "item_neighbors",
                        "recommend_items"):
                ok = ok or code.startswith(BASKET_CLASSES)
            if name in METRICS:
                # an element type without equality (point[]): core's 42883
                ok = ok or code == "42883"
            if "invalid memory alloc request size" in msg:
                ok = False
            if not ok:
                bad.append({"function": sig, "sql": sql, "sqlstate": code,
                            "message": msg})
        finally:
            dt = time.monotonic() - t
            time_per[sig] += dt
            if dt > slowest[0]:
                slowest[:] = [dt, sql]
            if setting and not conn.closed:
                try:
                    cur.execute(LIMITS)
                except psycopg2.Error:
                    pass
            conn.notices.clear()
        return outcome

    # round robin over the targets, so that each one is called early
    i = 0
    while stats["calls"] < MAX_CALLS and time.monotonic() - t0 < MAX_SECONDS \
            and crashed is None and len(bad) < 50 and targets:
        sig, g = targets[i % len(targets)]
        i += 1
        run(sig, g(), sig.split("(")[0] in SUPPORT)

    # parallel plans: partial aggregation with serialize/deserialize/combine.
    # The result must be the one of a serial plan: exactly for the
    # aggregates that promise determinism whatever the plan (kmeans,
    # logistic regression, roc_auc, exact numeric roi), to rounding for the
    # float sums.
    plans_partial = 0
    parallel_queries = 0
    parallel_values = 0         # of which returned a non-NULL value
    PARALLEL = ("SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0;"
                " SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;"
                " SET parallel_leader_participation = off")
    SERIAL = "SET max_parallel_workers_per_gather = 0"

    def same(x, y, exact):
        if exact or not isinstance(x, float) or not isinstance(y, float):
            if isinstance(x, (list, tuple)) and isinstance(y, (list, tuple)) and not exact:
                return len(x) == len(y) and all(same(a, b, exact) for a, b in zip(x, y))
            return x == y or (x != x and y != y)
        return x == y or abs(x - y) <= 1e-9 * max(abs(x), abs(y))

    for _ in range(3):
        if crashed is not None:
            break
        par = [
            ("kmeans(double precision[],integer)", "kmeans(f, %s)" % rint("k"), True),
            ("kmeans(double precision[],integer,integer,integer,double precision)",
             "kmeans(f, 3, %s, %s, %s)" % (rint("seed"), rint("iter"), rfloat("tol")), True),
            ("kmeans_inertia(double precision[],double precision[])",
             "kmeans_inertia(f, %s)" % matrix(d=3), False),
            ("kmeans_silhouette(double precision[],double precision[])",
             "kmeans_silhouette(f, %s)" % matrix(d=3), False),
            ("logistic_fit(double precision[],boolean,double precision)",
             "logistic_fit(f, y, %s)" % rfloat("l2"), True),
            ("logistic_summary(double precision[],boolean)", "logistic_summary(f, y)", True),
            ("logistic_summary(double precision[],integer,double precision,text[])",
             "logistic_summary(f, y::int, %s, ARRAY['a', 'b', 'c'])" % rfloat("l2"), True),
            ("logistic_fit_weighted(double precision[],boolean,double precision,double precision)",
             "logistic_fit_weighted(f, y, (g %% 4) * 0.75, %s)" % rfloat("l2"), True),
            ("logistic_summary_weighted(double precision[],bigint,double precision)",
             "logistic_summary_weighted(f, y::int::bigint, nullif(g % 5, 1))", True),
            ("linear_fit(double precision[],double precision,double precision)",
             "linear_fit(f, s, %s)" % rfloat("l2"), False),
            ("roc_auc(double precision,boolean)", "roc_auc(s, y)", True),
            ("silhouette_score(double precision[],integer)", "silhouette_score(f, g % 4)", True),
            ("silhouette_score(double precision[],integer,integer,integer)",
             "silhouette_score(f, g %% 5, %s, %s)" % (rint("k"), rint("seed")), True),
            ("roc_auc(double precision,bigint)", "roc_auc(s, y::int::bigint)", True),
            ("roc_auc(double precision,boolean,double precision)", "roc_auc(s, y, (g % 4) / 2.0)", True),
            ("roc_curve(double precision,boolean,double precision,boolean)",
             "roc_curve(s, y, (g %% 5) / 4.0, %s)" % rng.choice(["true", "false"]), True),
            ("precision_recall_curve(double precision,integer)", "precision_recall_curve(s, y::int)", True),
            ("average_precision(double precision,boolean,double precision)",
             "average_precision(s, y, 1 + (g % 3))", True),
            ("gains_table(double precision,boolean,integer)", "gains_table(s, y, %s)" % rng.choice([1, 4, 10]),
             True),
            ("roi(numeric,numeric)", "roi(r, c)", True),
            ("roas(numeric,numeric)", "roas(r, c)", True),
            ("roi(double precision,double precision)", "roi(r::float8, c::float8)", False),
            ("roas(double precision,double precision)", "roas(r::float8, c::float8)", False),
        ]
        for sig, call, exact in par:
            where = rng.choice(["true", "true", "false", "s < 0.5", "s > 2", "f IS NULL",
                                "y IS NOT NULL"])
            group = rng.choice(["", "", " GROUP BY g % 3 ORDER BY g % 3"])
            sql = "SELECT %s FROM fz_par WHERE %s%s" % (call, where, group)
            cur.execute(PARALLEL)
            cur.execute("EXPLAIN (COSTS OFF) " + sql)
            if any("Partial Aggregate" in r[0] or "Partial HashAggregate" in r[0]
                   or "Partial GroupAggregate" in r[0] for r in cur.fetchall()):
                plans_partial += 1
            parallel_queries += 1
            p_out = run(sig, sql, False)
            if crashed:
                break
            cur.execute(SERIAL)
            s_out = run(sig, sql, False)
            if crashed:
                break
            if p_out is None or s_out is None:
                continue
            if p_out[0] == "ok" and p_out[1] and p_out[1][0][0] is not None:
                parallel_values += 1
            if p_out[0] != s_out[0] or not (
                    p_out[1] == s_out[1] if p_out[0] == "error"
                    else same(p_out[1], s_out[1], exact)):
                bad.append({"function": sig, "sql": sql, "sqlstate": "-----",
                            "message": "parallel and serial plans differ: %r vs %r"
                            % (str(p_out)[:300], str(s_out)[:300])})
        cur.execute(SERIAL)

    alive = False
    same_backend = False
    writable = False
    if crashed is None:
        try:
            cur.execute("SELECT pg_backend_pid()")
            same_backend = cur.fetchone()[0] == pid0
            alive = True
            # the basket functions run their query read-only: after all
            # those errors, the session must be able to write again
            cur.execute("SHOW transaction_read_only")
            ro = cur.fetchone()[0]
            cur.execute("CREATE TEMP TABLE fz_w (a int); INSERT INTO fz_w VALUES (1);"
                        " DROP TABLE fz_w")
            writable = ro == "off"
        except psycopg2.Error as e:
            print("after the run: %s" % e, file=sys.stderr)

    uncalled = sorted(s for s, _ in targets if calls_per[s] == 0)
    # internal-argument support functions count as called through an
    # aggregate that was called
    for sig, kind, nargs, has_internal in procs:
        if has_internal and sig in used_by and \
                not any(calls_per[a] > 0 for a in used_by[sig]):
            uncalled.append(sig + " (none of its aggregates was called)")

    summary = {
        "seed": SEED,
        "functions": len(procs),
        "targets": len(targets),
        "calls": stats["calls"],
        "ok": stats["ok"],
        "errors": dict(sorted(errors.items())),
        "per_function": {s: [calls_per[s], ok_per[s], round(time_per[s], 2)]
                         for s in sorted(calls_per)},
        "messages": sorted(([c, m, n] for (c, m), n in messages.items()),
                           key=lambda x: (x[0], -x[2])),
        "bad": bad,
        "crashed": crashed,
        "missing": missing,
        "uncalled": uncalled,
        "parallel_partial_plans": plans_partial,
        "parallel_queries": parallel_queries,
        "parallel_values": parallel_values,
        "alive": alive,
        "same_backend": same_backend,
        "writable": writable,
        "slowest": [round(slowest[0], 2), (slowest[1] or "")[:int(os.environ.get("AIM_FUZZ_SQL_CHARS", "300"))]],
        "seconds": round(time.monotonic() - t0, 1),
        "min_calls_per_target": min(calls_per[s] for s, _ in targets) if targets else 0,
    }
    if SUMMARY:
        with open(SUMMARY, "w") as f:
            json.dump(summary, f, indent=1)
    else:
        json.dump(summary, sys.stdout, indent=1)
    conn.close()


if __name__ == "__main__":
    main()
