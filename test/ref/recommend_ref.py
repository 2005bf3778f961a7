#!/usr/bin/python3
"""Independent reference for item_neighbors, recommend_items and the ranking
metrics (issue 12).  The definitions are written out in test/ref/RECOMMEND.md;
this file implements them with numpy/scipy and nothing of the extension.

Run with Debian's interpreter (apt-get install python3-numpy python3-scipy
python3-pandas):

    /usr/bin/python3 test/ref/recommend_ref.py eval      # Online Retail time split figures
    /usr/bin/python3 test/ref/recommend_ref.py outputs   # writes test/data/recommend_*.csv.gz
    /usr/bin/python3 test/ref/recommend_ref.py toy       # the hand-checkable toy tables
    /usr/bin/python3 test/ref/recommend_ref.py thin      # Complete Journey sample, last quarter held out
    /usr/bin/python3 test/ref/recommend_ref.py timing    # median of 5 runs on the full catalogue
    /usr/bin/python3 test/ref/recommend_ref.py variants  # the definitions that do NOT match the figures
    /usr/bin/python3 test/ref/recommend_ref.py selfcheck # vectorised code vs plain loops

Paths are relative to the repository root (run it from there).
"""

import gzip
import math
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp

RETAIL = "data/online_retail.csv.gz"
CJ = "../shared/data/completejourney/transactions_sample.csv.gz"
CUTOFF = "2011-09-01 00:00:00"
SIMILARITIES = ("cosine", "cosine_weighted", "bm25", "jaccard", "confidence",
                "lift", "ease")
K1, B = 1.2, 0.75


def bkey(s):
    """Sort key: the item / customer text in byte order (COLLATE "C")."""
    return s.encode("utf-8")


# --------------------------------------------------------------------------
# interactions
# --------------------------------------------------------------------------

class Interactions:
    """Customer x item matrix of summed weights.

    pairs: iterable of (customer text, item text, weight).  Repeated pairs
    add their weights; pairs whose summed weight is 0 are dropped (they are
    not interactions).  Items and customers are numbered in byte order of
    their text, so "ties by item text" is "ties by smaller index".
    """

    def __init__(self, customers, items, weights=None):
        customers = np.asarray(customers, dtype=object)
        items = np.asarray(items, dtype=object)
        if weights is None:
            weights = np.ones(len(items))
        weights = np.asarray(weights, dtype=np.float64)
        if np.any(~np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError("weights must be finite and >= 0")
        self.items = sorted(set(items), key=bkey)
        self.customers = sorted(set(customers), key=bkey)
        ii = {t: n for n, t in enumerate(self.items)}
        cc = {t: n for n, t in enumerate(self.customers)}
        r = np.fromiter((cc[c] for c in customers), dtype=np.int64, count=len(customers))
        c = np.fromiter((ii[t] for t in items), dtype=np.int64, count=len(items))
        X = sp.coo_matrix((weights, (r, c)),
                          shape=(len(self.customers), len(self.items))).tocsr()
        X.sum_duplicates()
        X.eliminate_zeros()
        # items / customers left with no positive weight disappear
        keep_i = np.flatnonzero(np.diff(X.tocsc().indptr) > 0)
        keep_c = np.flatnonzero(np.diff(X.indptr) > 0)
        X = X[keep_c][:, keep_i].tocsr()
        self.items = [self.items[n] for n in keep_i]
        self.customers = [self.customers[n] for n in keep_c]
        X.sort_indices()
        self.X = X                                     # weights
        self.Xb = X.copy()
        self.Xb.data[:] = 1.0                          # binary
        self.n_item = np.asarray(self.Xb.sum(axis=0)).ravel()   # distinct customers per item

    @property
    def shape(self):
        return self.X.shape


# --------------------------------------------------------------------------
# similarities
# --------------------------------------------------------------------------

def bm25_item_matrix(X):
    """implicit's bm25_weight(X.T, K1=1.2, B=0.75): rows = items (documents),
    columns = customers (terms).  Returns the weighted items x customers csr."""
    M = sp.coo_matrix(X.T)                 # items x customers, summed weights
    N = float(M.shape[0])                  # number of items
    df = np.bincount(M.col, minlength=M.shape[1])   # distinct items per customer
    idf = math.log(N) - np.log1p(df)       # per customer
    row_sums = np.ravel(M.sum(axis=1))     # per item: sum of its weights
    avg = row_sums.mean()
    length_norm = (1.0 - B) + B * row_sums / avg
    data = M.data * (K1 + 1.0) / (K1 * length_norm[M.row] + M.data) * idf[M.col]
    return sp.csr_matrix((data, (M.row, M.col)), shape=M.shape)


def common_matrix(ia):
    """common[i, j] = number of customers who have both i and j (sparse)."""
    Xb = ia.Xb.tocsc()
    return (Xb.T @ Xb).tocsr()


def similarity_sparse(ia, kind):
    """Sparse items x items similarity over the co-occurring pairs
    (common >= 1), same structure as common_matrix; diagonal included."""
    C = common_matrix(ia)
    C.sort_indices()
    rows = np.repeat(np.arange(C.shape[0]), np.diff(C.indptr))
    cols = C.indices
    c = C.data
    n = ia.n_item
    ni, nj = n[rows], n[cols]
    if kind == "cosine":
        s = c / np.sqrt(ni * nj)
    elif kind == "jaccard":
        s = c / (ni + nj - c)
    elif kind == "confidence":
        s = c / ni
    elif kind == "lift":
        s = c * float(ia.shape[0]) / (ni * nj)
    elif kind == "cosine_weighted":
        X = ia.X.tocsc()
        norm = np.sqrt(np.asarray(X.multiply(X).sum(axis=0)).ravel())
        s = _on_pattern((X.T @ X).tocsr(), C, rows, cols) / (norm[rows] * norm[cols])
    elif kind == "bm25":
        W = bm25_item_matrix(ia.X)
        s = _on_pattern((W @ W.T).tocsr(), C, rows, cols)
    else:
        raise ValueError(kind)
    return sp.csr_matrix((s, C.indices, C.indptr), shape=C.shape), C


def _on_pattern(D, C, rows, cols):
    """D's values on C's sparsity pattern (the co-occurring pairs).  The
    patterns are equal unless a weighted dot product is an exact 0 (an idf
    of 0), which scipy may drop; then read them densely."""
    D.sort_indices()
    if np.array_equal(D.indptr, C.indptr) and np.array_equal(D.indices, C.indices):
        return D.data.copy()
    return D.toarray()[rows, cols]


def ease_B(ia, l2):
    """EASE^R weights on the (weighted) customer x item matrix X:
    G = X'X + l2 I, P = G^-1, B = I - P diag(1/diag P), diag B = 0,
    i.e. B_ij = -P_ij / P_jj for i != j."""
    X = ia.X
    G = (X.T @ X).toarray()
    G[np.diag_indices_from(G)] += l2
    P = np.linalg.inv(G)
    Bm = -P / np.diag(P)[np.newaxis, :]
    Bm[np.diag_indices_from(Bm)] = 0.0
    return Bm


def ease_scores(ia, l2, form=None):
    """X B for every customer and item (dense customers x items).

    primal: B from ease_B (items x items inverse).
    dual (Woodbury, for customers < items): with K = X X' + l2 I (customers
    x customers) and M = K^-1, X P = M X and
    diag P_j = (1 - sum_u X_uj (M X)_uj) / l2, so
    X B = X - (M X) diag(1 / diag P)  (the diagonal of B is zero by itself).
    form None = dual when customers < items."""
    X = ia.X
    if form is None:
        form = "dual" if X.shape[0] < X.shape[1] else "primal"
    if form == "primal":
        return X @ ease_B(ia, l2)
    Xd = X.toarray()
    K = Xd @ Xd.T
    K[np.diag_indices_from(K)] += l2
    MX = np.linalg.solve(K, Xd)
    dP = (1.0 - np.einsum("uj,uj->j", Xd, MX)) / l2
    return Xd - MX / dP[np.newaxis, :]


def topk_rows(S, C, k, min_common, dense_B=None):
    """Neighbour lists: for every item i, the k items j != i with
    common[i,j] >= min_common of largest similarity, ties by smaller j
    (= item text in byte order).  Returns list of arrays per item:
    (j, sim, common)."""
    out = []
    n = C.shape[0]
    for i in range(n):
        lo, hi = C.indptr[i], C.indptr[i + 1]
        js = C.indices[lo:hi]
        cm = C.data[lo:hi]
        if dense_B is not None:
            sv = dense_B[i, js]
        else:
            sv = S.data[lo:hi]
        m = (js != i) & (cm >= min_common)
        js, cm, sv = js[m], cm[m], sv[m]
        order = np.lexsort((js, -sv))[:k]
        out.append((js[order], sv[order], cm[order]))
    return out


def item_neighbors(ia, k=20, similarity="cosine", min_common=1, l2=500.0):
    if similarity == "ease":
        C = common_matrix(ia)
        C.sort_indices()
        Bm = ease_B(ia, l2)
        return topk_rows(None, C, k, min_common, dense_B=Bm)
    S, C = similarity_sparse(ia, similarity)
    return topk_rows(S, C, k, min_common)


def neighbor_matrix(lists, n):
    rows, cols, vals = [], [], []
    for i, (js, sv, _) in enumerate(lists):
        rows.append(np.full(len(js), i))
        cols.append(js)
        vals.append(sv)
    rows = np.concatenate(rows)
    cols = np.concatenate(cols)
    vals = np.concatenate(vals)
    N = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    P = sp.csr_matrix((np.ones(len(vals)), (rows, cols)), shape=(n, n))
    return N, P


# --------------------------------------------------------------------------
# recommendations
# --------------------------------------------------------------------------

def popularity_order(ia):
    """Items by distinct customers descending, ties by item text."""
    return np.lexsort((np.arange(len(ia.items)), -ia.n_item))


def recommend_items(ia, k=10, similarity="cosine", neighbors=20,
                    exclude_owned=True, l2=500.0, min_common=1):
    """Returns {customer index: [(item index, score or None, source)]}.

    score(u, j) = sum_i w_ui * sim(i, j) over the customer's items i such that
    j is among i's `neighbors` nearest (item_neighbors with k = neighbors;
    None = every co-occurring j).  Candidates are the j reached that way (for
    ease: every item, score = X B; for popular: every item, score = n_j).
    Owned items are removed when exclude_owned; the rest is sorted by score
    descending, ties by item text, and cut at k; short lists are filled with
    the most popular items not already listed (and not owned when
    exclude_owned), score None, source 'popular'."""
    n_items = len(ia.items)
    X = ia.X
    pop = popularity_order(ia)
    if similarity == "popular":
        scores = None
    elif similarity == "ease":
        scores = ease_scores(ia, l2)    # dense customers x items
    else:
        lists = item_neighbors(ia, k=(neighbors if neighbors is not None else n_items),
                               similarity=similarity, min_common=min_common, l2=l2)
        Nm, Pm = neighbor_matrix(lists, n_items)
        Sc = (X @ Nm).tocsr()
        Rc = (ia.Xb @ Pm).tocsr()       # reachability pattern
        Sc.sort_indices()
        Rc.sort_indices()
    out = {}
    for u in range(X.shape[0]):
        owned = X.indices[X.indptr[u]:X.indptr[u + 1]]
        if similarity == "popular":
            cand = np.arange(n_items)
            sv = ia.n_item.astype(np.float64)
        elif similarity == "ease":
            cand = np.arange(n_items)
            sv = scores[u]
        else:
            cand = Rc.indices[Rc.indptr[u]:Rc.indptr[u + 1]]
            row = Sc.getrow(u).toarray().ravel()
            sv = row[cand]
        if exclude_owned:
            m = ~np.isin(cand, owned)
            cand, sv = cand[m], sv[m]
        order = np.lexsort((cand, -sv))[:k]
        rec = [(int(cand[o]), float(sv[o]), "score") for o in order]
        if len(rec) < k:
            taken = set(int(j) for j, _, _ in rec)
            if exclude_owned:
                taken |= set(int(j) for j in owned)
            for j in pop:
                if len(rec) >= k:
                    break
                if int(j) not in taken:
                    rec.append((int(j), None, "popular"))
        out[u] = rec
    return out


# --------------------------------------------------------------------------
# metrics (binary relevance)
# --------------------------------------------------------------------------

def _hits(recommended, relevant, k):
    """Positions r = 1..min(k, len) whose element is relevant and was not
    seen earlier in the list (a duplicate keeps its position but is never a
    hit again).  NULL (None) is never relevant."""
    rel = set(x for x in relevant if x is not None)
    seen = set()
    hits = []
    for r, x in enumerate(recommended[:k], start=1):
        if x is None:
            continue
        if x in rel and x not in seen:
            hits.append(r)
        seen.add(x)
    return rel, hits


def metric(name, recommended, relevant, k):
    if relevant is None:
        return None
    rel, hits = _hits(recommended, relevant, k)
    if not rel:
        return None
    if name == "hit":
        return 1.0 if hits else 0.0
    if name == "precision":
        return len(hits) / k
    if name == "recall":
        return len(hits) / len(rel)
    if name == "ndcg":
        dcg = sum(1.0 / math.log2(r + 1) for r in hits)
        idcg = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(rel), k) + 1))
        return dcg / idcg
    if name == "ap":
        s = 0.0
        for h, r in enumerate(hits, start=1):
            s += h / r                  # precision@r at a hit position
        return s / min(len(rel), k)
    raise ValueError(name)


METRICS = ("ndcg", "hit", "precision", "recall", "ap")


# --------------------------------------------------------------------------
# Online Retail
# --------------------------------------------------------------------------

def load_retail(path=RETAIL):
    df = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str,
                                  "CustomerID": str}, keep_default_na=False)
    q = pd.to_numeric(df["Quantity"])
    p = pd.to_numeric(df["UnitPrice"])
    inv = df["InvoiceNo"]
    keep = (~inv.str.startswith("C") & ~inv.str.startswith("A") & (q > 0) & (p > 0)
            & (df["CustomerID"] != ""))
    df = df[keep].copy()
    # CustomerID is written 17850.0: the customer text is the integer
    df["customer"] = df["CustomerID"].astype(float).astype(np.int64).astype(str)
    df["item"] = df["StockCode"].str.upper()
    df["date"] = df["InvoiceDate"]
    return df[["InvoiceNo", "customer", "item", "date"]]


def retail_split(df):
    train = df[df["date"] < CUTOFF]
    test = df[df["date"] >= CUTOFF]
    return train, test


def binary_ia(train):
    p = train[["customer", "item"]].drop_duplicates()
    return Interactions(p["customer"].values, p["item"].values)


def invoice_ia(train):
    g = train.groupby(["customer", "item"])["InvoiceNo"].nunique().reset_index()
    return Interactions(g["customer"].values, g["item"].values, g["InvoiceNo"].values)


def relevant_sets(train, test):
    before = set(zip(train["customer"], train["item"]))
    train_c = set(train["customer"])
    rel = {}
    for c, i in set(zip(test["customer"], test["item"])):
        if c in train_c and (c, i) not in before:
            rel.setdefault(c, set()).add(i)
    return rel


def evaluate(ia, recs, rel, k=10):
    sums = {m: 0.0 for m in METRICS}
    n = 0
    for u, cust in enumerate(ia.customers):
        if cust not in rel:
            continue
        lst = [ia.items[j] for j, _, _ in recs[u]]
        for m in METRICS:
            sums[m] += metric(m, lst, rel[cust], k)
        n += 1
    return n, {m: sums[m] / n for m in METRICS}


EVAL_METHODS = (
    # label, weights, similarity, neighbors
    ("popularity", "binary", "popular", None),
    ("cosine K=20", "binary", "cosine", 20),
    ("bm25 all neighbours", "invoices", "bm25", None),
    ("EASE lambda=500", "binary", "ease", None),
)


def cmd_eval():
    df = load_retail()
    train, test = retail_split(df)
    iab = binary_ia(train)
    iai = invoice_ia(train)
    print("train: %d customers, %d items, %d pairs"
          % (iab.shape[0], iab.shape[1], iab.X.nnz))
    rel = relevant_sets(train, test)
    rows = []
    for label, w, sim, nb in EVAL_METHODS:
        ia = iab if w == "binary" else iai
        t = time.time()
        recs = recommend_items(ia, k=10, similarity=sim, neighbors=nb)
        n, r = evaluate(ia, recs, rel)
        rows.append((label, n, r))
        filled = sum(1 for u, lst in recs.items()
                     if ia.customers[u] in rel and any(src == "popular" for _, _, src in lst))
        print("%-22s n=%d NDCG@10=%.6f HR@10=%.6f P@10=%.6f R@10=%.6f AP@10=%.6f "
              "(%d evaluated lists filled by popularity; %.1fs)"
              % (label, n, r["ndcg"], r["hit"], r["precision"], r["recall"], r["ap"],
                 filled, time.time() - t))
    return rows


def cmd_variants():
    """Definitions that were tried and do not give the issue's figures."""
    df = load_retail()
    train, test = retail_split(df)
    iab = binary_ia(train)
    iai = invoice_ia(train)
    rel = relevant_sets(train, test)

    def show(label, ia, recs):
        n, r = evaluate(ia, recs, rel)
        print("%-48s NDCG@10=%.4f HR@10=%.4f" % (label, r["ndcg"], r["hit"]))

    show("cosine K=19 (implicit: K=20 counts self)", iab,
         recommend_items(iab, 10, "cosine", 19))
    show("cosine all neighbours", iab, recommend_items(iab, 10, "cosine", None))
    show("bm25 K=20 (invoice weights)", iai, recommend_items(iai, 10, "bm25", 20))
    # bm25 with binary weights in scores but invoice weights in the matrix
    lists = item_neighbors(iai, k=len(iai.items), similarity="bm25")
    show("bm25 all, weights not in scores", iai, _recommend_from_lists(iai, lists, iai.Xb))
    show("bm25 all, binary matrix", iab, recommend_items(iab, 10, "bm25", None))
    for nb in (20, None):
        recs = recommend_items(iab, 10, "cosine", nb)
        short = sum(1 for u, l in recs.items()
                    if iab.customers[u] in rel and any(src == "popular" for _, _, src in l))
        nofill = {u: [x for x in l if x[2] == "score"] for u, l in recs.items()}
        show("cosine K=%s without the popularity fill (%d evaluated filled)" % (nb, short),
             iab, nofill)
    show("ease with top-20 neighbours", iab, _ease_topk(iab, 20))
    # EASE neighbour lists: does requiring common >= 1 change the top 20?
    Bm = ease_B(iab, 500.0)
    C = common_matrix(iab)
    C.sort_indices()
    with_c = topk_rows(None, C, 20, 1, dense_B=Bm)
    diff = 0
    for i in range(Bm.shape[0]):
        row = Bm[i].copy()
        row[i] = -np.inf
        order = np.lexsort((np.arange(len(row)), -row))[:20]
        if not np.array_equal(order, with_c[i][0]):
            diff += 1
    print("EASE top-20: items whose list changes if pairs with common = 0 may enter: %d of %d"
          % (diff, Bm.shape[0]))
    S1 = ease_scores(iab, 500.0, "primal")
    S2 = ease_scores(iab, 500.0, "dual")
    print("EASE scores primal vs dual (Woodbury): max abs difference %.3g, max abs score %.3g"
          % (np.abs(S1 - S2).max(), np.abs(S1).max()))
    show("ease primal form (the figure uses the dual)", iab,
         _recommend_from_scores(iab, S1))
    show("ease on invoice weights", iai, recommend_items(iai, 10, "ease", None))


def _recommend_from_lists(ia, lists, Xs, k=10):
    n_items = len(ia.items)
    Nm, Pm = neighbor_matrix(lists, n_items)
    Sc = (Xs @ Nm).toarray()
    R = (ia.Xb @ Pm).toarray() > 0
    out = {}
    for u in range(Xs.shape[0]):
        owned = ia.X.indices[ia.X.indptr[u]:ia.X.indptr[u + 1]]
        cand = np.flatnonzero(R[u])
        cand = cand[~np.isin(cand, owned)]
        sv = Sc[u, cand]
        order = np.lexsort((cand, -sv))[:k]
        out[u] = [(int(cand[o]), float(sv[o]), "score") for o in order]
    return out


def _recommend_from_scores(ia, S, k=10):
    out = {}
    for u in range(S.shape[0]):
        owned = ia.X.indices[ia.X.indptr[u]:ia.X.indptr[u + 1]]
        cand = np.setdiff1d(np.arange(S.shape[1]), owned)
        sv = S[u, cand]
        order = np.lexsort((cand, -sv))[:k]
        out[u] = [(int(cand[o]), float(sv[o]), "score") for o in order]
    return out


def _ease_topk(ia, nb):
    lists = item_neighbors(ia, k=nb, similarity="ease")
    return _recommend_from_lists(ia, lists, ia.X)


# --------------------------------------------------------------------------
# reference outputs
# --------------------------------------------------------------------------

def g17(x):
    return "%.17g" % x


def write_gz(path, header, rows):
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write((",".join(header) + "\n").encode())
        for r in rows:
            f.write((",".join(r) + "\n").encode())
    return os.path.getsize(path)


def csv_text(s):
    if any(ch in s for ch in ',"\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def cmd_outputs():
    df = load_retail()
    train, _ = retail_split(df)
    iab = binary_ia(train)
    iai = invoice_ia(train)
    subset = list(range(0, len(iab.items), 10))
    # invoice-weighted matrix has the same items in the same order
    assert iab.items == iai.items
    files = {}
    for sim, ia, full in (("cosine", iab, True), ("bm25", iai, True), ("ease", iab, True),
                          ("cosine_weighted", iai, False), ("jaccard", iab, False),
                          ("confidence", iab, False), ("lift", iab, False)):
        lists = item_neighbors(ia, k=20, similarity=sim)
        items = range(len(ia.items)) if full else subset
        rows = []
        for i in items:
            js, sv, cm = lists[i]
            for r in range(len(js)):
                rows.append((csv_text(ia.items[i]), csv_text(ia.items[js[r]]), g17(sv[r]),
                             str(int(cm[r])), str(r + 1)))
        path = "test/data/recommend_neighbors_%s.csv.gz" % sim
        files[path] = write_gz(path, ("item", "neighbor", "similarity", "common", "rank"), rows)
    # recommend_items for every 10th customer (byte order of customer text)
    csub = list(range(0, len(iab.customers), 10))
    for label, w, sim, nb in (("popular", "binary", "popular", None),
                              ("cosine", "binary", "cosine", 20),
                              ("bm25", "invoices", "bm25", None),
                              ("ease", "binary", "ease", None),
                              ("jaccard", "binary", "jaccard", 20)):
        ia = iab if w == "binary" else iai
        recs = recommend_items(ia, k=10, similarity=sim, neighbors=nb)
        rows = []
        for u in csub:
            for r, (j, s, src) in enumerate(recs[u], start=1):
                rows.append((ia.customers[u], csv_text(ia.items[j]),
                             "" if s is None else g17(s), str(r), src))
        path = "test/data/recommend_items_%s.csv.gz" % label
        files[path] = write_gz(path, ("customer", "item", "score", "rank", "source"), rows)
    for p, s in files.items():
        print("%-48s %8d bytes" % (p, s))


# --------------------------------------------------------------------------
# toy cases
# --------------------------------------------------------------------------

TOY = [  # (customer, item, weight)
    ("c1", "A", 1), ("c1", "B", 2), ("c1", "C", 1),
    ("c2", "A", 1), ("c2", "B", 1),
    ("c3", "B", 3), ("c3", "C", 1), ("c3", "D", 1),
    ("c4", "C", 1), ("c4", "D", 2), ("c4", "E", 1),
    ("c5", "A", 1), ("c5", "A", 1),     # repeated row: weights add to 2; one-item customer
]


def _fmt(x):
    return "%.17g" % x


def cmd_toy():
    """Prints the toy case as the markdown tables of RECOMMEND.md (values with
    their arithmetic; EASE as exact fractions)."""
    from fractions import Fraction
    ia = Interactions([t[0] for t in TOY], [t[1] for t in TOY], [t[2] for t in TOY])
    it, cu = ia.items, ia.customers
    X = ia.X.toarray()
    Xb = (X > 0).astype(int)
    n = ia.n_item.astype(int)
    Cm = Xb.T @ Xb
    print("Weights X (customers x items, repeated rows summed):\n")
    print("| | " + " | ".join(it) + " |")
    print("|---" * (len(it) + 1) + "|")
    for u, c in enumerate(cu):
        print("| %s | %s |" % (c, " | ".join("%g" % v for v in X[u])))
    print("\nn_i (distinct customers): " + ", ".join("%s=%d" % (i, v) for i, v in zip(it, n)))
    print("\ncommon c_ij: " + ", ".join("%s%s=%d" % (it[i], it[j], Cm[i, j])
                                        for i in range(len(it)) for j in range(i + 1, len(it))
                                        if Cm[i, j] > 0) + "; customers N=%d" % len(cu))
    W = bm25_item_matrix(ia.X).toarray()
    N = len(it)
    df = Xb.sum(axis=1)
    rs = X.sum(axis=0)
    print("\nbm25: N = %d items; idf_u = ln N - ln(1+df_u): " % N
          + ", ".join("%s: df=%d idf=%s" % (c, df[u], _fmt(math.log(N) - math.log1p(df[u])))
                      for u, c in enumerate(cu)))
    print("\nrow sums (item weight totals) " + ", ".join("%s=%g" % (i, v) for i, v in zip(it, rs))
          + "; average %s; length_norm_i = 0.25 + 0.75*rowsum_i/avg: " % _fmt(rs.mean())
          + ", ".join("%s=%s" % (i, _fmt(0.25 + 0.75 * v / rs.mean())) for i, v in zip(it, rs)))
    print("\nW_iu = w*(K1+1)/(K1*length_norm_i + w)*idf_u (items x customers):\n")
    print("| | " + " | ".join(cu) + " |")
    print("|---" * (len(cu) + 1) + "|")
    for i, name in enumerate(it):
        print("| %s | %s |" % (name, " | ".join(_fmt(v) if X[u, i] else "" for u, v in enumerate(W[i]))))

    def arith(sim, i, j):
        c, a, b = Cm[i, j], n[i], n[j]
        if sim == "cosine":
            return "%d/sqrt(%d*%d)" % (c, a, b)
        if sim == "jaccard":
            return "%d/(%d+%d-%d)" % (c, a, b, c)
        if sim == "confidence":
            return "%d/%d" % (c, a)
        if sim == "lift":
            return "%d*%d/(%d*%d)" % (c, len(cu), a, b)
        if sim == "cosine_weighted":
            dot = "+".join("%g*%g" % (X[u, i], X[u, j]) for u in range(len(cu))
                           if X[u, i] and X[u, j])
            return "(%s)/(sqrt(%g)*sqrt(%g))" % (dot, (X[:, i] ** 2).sum(), (X[:, j] ** 2).sum())
        if sim == "bm25":
            return " + ".join("W_%s,%s*W_%s,%s" % (it[i], cu[u], it[j], cu[u])
                              for u in range(len(cu)) if X[u, i] and X[u, j])
        return ""

    # EASE exactly, l2 = 1
    l2 = 1
    G = [[Fraction(int(v)) for v in row] for row in (X.T @ X).astype(int)]
    for i in range(N):
        G[i][i] += l2
    P = _frac_inverse(G)
    Bf = [[Fraction(0) if i == j else -P[i][j] / P[j][j] for j in range(N)] for i in range(N)]
    Bn = ease_B(ia, float(l2))
    for i in range(N):
        for j in range(N):
            assert abs(float(Bf[i][j]) - Bn[i, j]) <= 1e-12
    print("\nEASE with l2 = 1: G = X'X + I (weights, not binary):\n")
    _mtable(it, [[str(G[i][j]) for j in range(N)] for i in range(N)])
    print("\nB = I - P diag(1/diag P), B_ij = -P_ij/P_jj, exact:\n")
    _mtable(it, [[str(Bf[i][j]) for j in range(N)] for i in range(N)])

    for sim in SIMILARITIES:
        lists = item_neighbors(ia, k=10, similarity=sim, l2=float(l2))
        print("\n#### %s%s (k = 10 > catalogue, min_common = 1)\n"
              % (sim, " (l2 = 1)" if sim == "ease" else ""))
        print("| item | neighbor | similarity | arithmetic | common | rank |")
        print("|---|---|---|---|---|---|")
        for i, (js, sv, cm) in enumerate(lists):
            for r in range(len(js)):
                j = js[r]
                ar = ("B_%s%s = %s" % (it[i], it[j], Bf[i][j])) if sim == "ease" else arith(sim, i, j)
                print("| %s | %s | %s | %s | %d | %d |" % (it[i], it[j], _fmt(sv[r]), ar, cm[r], r + 1))
    lists = item_neighbors(ia, k=10, similarity="cosine", min_common=2)
    print("\n#### cosine, min_common = 2, k = 1\n")
    print("| item | neighbor | similarity | common | rank |")
    print("|---|---|---|---|---|")
    for i, (js, sv, cm) in enumerate(item_neighbors(ia, k=1, similarity="cosine", min_common=2)):
        for r in range(len(js)):
            print("| %s | %s | %s | %d | %d |" % (it[i], it[js[r]], _fmt(sv[r]), cm[r], r + 1))
    for sim, nb in (("cosine", 1), ("cosine", None), ("bm25", None), ("ease", None),
                    ("popular", None)):
        recs = recommend_items(ia, k=3, similarity=sim, neighbors=nb, l2=1.0)
        print("\n#### recommend_items k = 3, %s, neighbors = %s%s\n"
              % (sim, "NULL" if nb is None else nb, ", l2 = 1" if sim == "ease" else ""))
        print("| customer | item | score | rank | source |")
        print("|---|---|---|---|---|")
        for u, lst in recs.items():
            for r, (j, sc, src) in enumerate(lst, start=1):
                print("| %s | %s | %s | %d | %s |" % (cu[u], it[j], "NULL" if sc is None else _fmt(sc),
                                                     r, src))
    print()
    for rec, rel, k in ((["A", "B", "A", None, "C"], ["A", "C", "D"], 4),
                        (["X", "A", "Y", "C"], ["C", "A"], 3),
                        (["A"], ["A", "B", "C"], 10),
                        (["A", "B"], [], 2)):
        print("- recommended %s, relevant %s, k = %d: " % (rec, rel, k)
              + "; ".join("%s = %s" % (m, "NULL" if metric(m, rec, rel, k) is None
                                       else _fmt(metric(m, rec, rel, k))) for m in METRICS))


def _mtable(names, cells):
    print("| | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for nme, row in zip(names, cells):
        print("| %s | %s |" % (nme, " | ".join(row)))


def _frac_inverse(A):
    """Exact Gauss-Jordan inverse over fractions."""
    n = len(A)
    M = [list(A[i]) + [1 if i == j else 0 for j in range(n)] for i in range(n)]
    for c in range(n):
        p = next(r for r in range(c, n) if M[r][c] != 0)
        M[c], M[p] = M[p], M[c]
        pv = M[c][c]
        M[c] = [v / pv for v in M[c]]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return [row[n:] for row in M]


# --------------------------------------------------------------------------
# thin data: Complete Journey sample
# --------------------------------------------------------------------------

def cmd_thin():
    df = pd.read_csv(CJ, dtype={"household_id": str, "product_id": str, "basket_id": str})
    df = df[df["quantity"] > 0]
    cut = "2017-10-01 00:00:00"
    train = df[df["transaction_timestamp"] < cut]
    test = df[df["transaction_timestamp"] >= cut]
    tr = train[["household_id", "product_id"]].drop_duplicates()
    iab = Interactions(tr["household_id"].values, tr["product_id"].values)
    g = train.groupby(["household_id", "product_id"])["basket_id"].nunique().reset_index()
    iai = Interactions(g["household_id"].values, g["product_id"].values, g["basket_id"].values)
    before = set(zip(train["household_id"], train["product_id"]))
    trc = set(train["household_id"])
    rel = {}
    for c, i in set(zip(test["household_id"], test["product_id"])):
        if c in trc and (c, i) not in before:
            rel.setdefault(c, set()).add(i)
    print("train: %d households, %d products, %d pairs; evaluated %d"
          % (iab.shape[0], iab.shape[1], iab.X.nnz, len(rel)))
    for label, ia, sim, nb in (("popularity", iab, "popular", None),
                               ("cosine K=20", iab, "cosine", 20),
                               ("bm25 all neighbours", iai, "bm25", None),
                               ("EASE lambda=500", iab, "ease", None)):
        t = time.time()
        recs = recommend_items(ia, k=10, similarity=sim, neighbors=nb)
        n, r = evaluate(ia, recs, rel)
        filled = sum(1 for u, lst in recs.items()
                     if ia.customers[u] in rel and any(src == "popular" for _, _, src in lst))
        print("%-22s n=%d NDCG@10=%.6f HR@10=%.6f P@10=%.6f R@10=%.6f AP@10=%.6f "
              "(%d evaluated lists filled by popularity; %.1fs)"
              % (label, n, r["ndcg"], r["hit"], r["precision"], r["recall"], r["ap"],
                 filled, time.time() - t))


# --------------------------------------------------------------------------
# timing
# --------------------------------------------------------------------------

def _clock(fn, runs=5):
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def cmd_timing():
    """Median of 5 runs, wall and CPU (process) time; the CPU time is the
    fairer figure on a shared machine.  'build' = from the (customer, item,
    weight) text columns to the csr matrix (sorting the texts); 'neighbours'
    = from the csr matrix to the top-20 table."""
    df = load_retail()
    p = df[["customer", "item"]].drop_duplicates()
    g = df.groupby(["customer", "item"])["InvoiceNo"].nunique().reset_index()
    print("full catalogue: %d pairs, load average %s" % (len(p), os.getloadavg()))
    for label, sim, cust, item, w in (
            ("cosine k=20", "cosine", p["customer"].values, p["item"].values, None),
            ("bm25 k=20", "bm25", g["customer"].values, g["item"].values,
             g["InvoiceNo"].values)):
        ia = Interactions(cust, item, w)
        bw, bc = _clock(lambda: Interactions(cust, item, w))
        nw, nc = _clock(lambda: item_neighbors(ia, k=20, similarity=sim))
        print("%-12s items=%d  build: median wall %.3f s cpu %.3f s;  neighbours: median wall "
              "%.3f s cpu %.3f s (wall runs %s)"
              % (label, ia.shape[1], statistics.median(bw), statistics.median(bc),
                 statistics.median(nw), statistics.median(nc), " ".join("%.3f" % x for x in nw)))
    ia = Interactions(p["customer"].values, p["item"].values)
    ew, ec = _clock(lambda: ease_B(ia, 500.0))
    print("EASE fit (%d items, customers %d): median wall %.3f s cpu %.3f s (wall runs %s)"
          % (ia.shape[1], ia.shape[0], statistics.median(ew), statistics.median(ec),
             " ".join("%.3f" % x for x in ew)))
    print("BLAS/LAPACK loaded:", blas_libraries())
    print("load average %s" % (os.getloadavg(),))


def blas_libraries():
    """The BLAS and LAPACK files this process really loaded (Debian switches
    them with update-alternatives, which numpy.show_config() does not see)."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if ("blas" in path or "lapack" in path) and "/dist-packages/" not in path:
                libs.add(os.path.realpath(path))
    return sorted(libs)


# --------------------------------------------------------------------------
# self-check: the vectorised code against plain loops over the definitions
# --------------------------------------------------------------------------

def _brute_sim(rows, sim, l2):
    """rows: list of (customer, item, weight).  Plain-python definitions."""
    w = {}
    for c, i, x in rows:
        w[(c, i)] = w.get((c, i), 0.0) + x
    w = {k: v for k, v in w.items() if v > 0}
    items = sorted({i for _, i in w}, key=bkey)
    custs = sorted({c for c, _ in w}, key=bkey)
    by_i = {i: {c: v for (c, ii), v in w.items() if ii == i} for i in items}
    n = {i: len(by_i[i]) for i in items}
    N = len(custs)
    I = len(items)
    df = {c: sum(1 for (cc, _) in w if cc == c) for c in custs}
    if sim == "bm25":
        rs = {i: sum(by_i[i].values()) for i in items}
        avg = sum(rs.values()) / I
        W = {i: {c: v * (K1 + 1.0) / (K1 * ((1 - B) + B * rs[i] / avg) + v)
                 * (math.log(I) - math.log1p(df[c])) for c, v in by_i[i].items()} for i in items}
    if sim == "ease":
        Wm = np.array([[w.get((c, i), 0.0) for i in items] for c in custs])
        P = np.linalg.inv(Wm.T @ Wm + l2 * np.eye(I))
    out = {}
    for a_, i in enumerate(items):
        for b_, j in enumerate(items):
            if i == j:
                continue
            common = len(set(by_i[i]) & set(by_i[j]))
            if common == 0:
                continue
            if sim == "cosine":
                v = common / math.sqrt(n[i] * n[j])
            elif sim == "jaccard":
                v = common / (n[i] + n[j] - common)
            elif sim == "confidence":
                v = common / n[i]
            elif sim == "lift":
                v = common * N / (n[i] * n[j])
            elif sim == "cosine_weighted":
                dot = sum(by_i[i][c] * by_i[j].get(c, 0.0) for c in by_i[i])
                v = dot / (math.sqrt(sum(x * x for x in by_i[i].values()))
                           * math.sqrt(sum(x * x for x in by_i[j].values())))
            elif sim == "bm25":
                v = sum(W[i][c] * W[j].get(c, 0.0) for c in W[i])
            elif sim == "ease":
                v = -P[a_, b_] / P[b_, b_]
            out[(i, j)] = (v, common)
    return items, custs, w, out


def cmd_selfcheck():
    rng = np.random.default_rng(12)
    worst = 0.0
    for trial in range(20):
        nc, ni = int(rng.integers(3, 25)), int(rng.integers(2, 15))
        rows = []
        for _ in range(int(rng.integers(5, 120))):
            rows.append(("u%d" % rng.integers(nc), "i%02d" % rng.integers(ni),
                         float(rng.choice([0.0, 1.0, 1.0, 2.0, 0.5, 3.0]))))
        if not any(r[2] > 0 for r in rows):
            continue
        ia = Interactions([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        for sim in SIMILARITIES:
            l2 = float(rng.choice([0.5, 1.0, 10.0]))
            items, custs, w, ref = _brute_sim(rows, sim, l2)
            assert items == ia.items and custs == ia.customers
            for k, mc in ((3, 1), (100, 1), (2, 2)):
                lists = item_neighbors(ia, k=k, similarity=sim, min_common=mc, l2=l2)
                for i, (js, sv, cm) in enumerate(lists):
                    cand = [(j, v, c) for (a_, j), (v, c) in ref.items()
                            if a_ == items[i] and c >= mc]
                    cand.sort(key=lambda t: (-t[1], bkey(t[0])))
                    cand = cand[:k]
                    got = [(items[j], float(v), int(c)) for j, v, c in zip(js, sv, cm)]
                    assert len(got) == len(cand), (sim, i)
                    for (gj, gv, gc), (rj, rv, rc) in zip(got, cand):
                        worst = max(worst, abs(gv - rv) / max(1.0, abs(rv)))
                        assert abs(gv - rv) <= 1e-9 * max(1.0, abs(rv)), (sim, gj, gv, rv)
                        assert gc == rc
                        if gj != rj:      # only allowed between near-equal values
                            assert abs(gv - rv) <= 1e-12 * max(1.0, abs(rv)), (sim, gj, rj)
            # recommend_items against the brute-force sums
            for nb in (2, None):
                if sim == "ease":
                    continue
                recs = recommend_items(ia, k=4, similarity=sim, neighbors=nb, l2=l2)
                lists = item_neighbors(ia, k=nb or 10**9, similarity=sim, l2=l2)
                nbr = {ia.items[i]: {ia.items[j]: v for j, v in zip(js, sv)}
                       for i, (js, sv, _) in enumerate(lists)}
                for u, cu in enumerate(ia.customers):
                    owned = {i: x for (c, i), x in w.items() if c == cu}
                    sc = {}
                    for i in sorted(owned, key=bkey):
                        for j, v in nbr[i].items():
                            sc[j] = sc.get(j, 0.0) + owned[i] * v
                    cand = sorted(((j, v) for j, v in sc.items() if j not in owned),
                                  key=lambda t: (-t[1], bkey(t[0])))[:4]
                    got = [(ia.items[j], s) for j, s, src in recs[u] if src == "score"]
                    assert [g[0] for g in got] == [c[0] for c in cand] or all(
                        abs(a[1] - b[1]) <= 1e-12 for a, b in zip(got, cand)), (sim, cu)
    # EASE scores: primal and dual against each other
    for trial in range(5):
        nc, ni = int(rng.integers(3, 20)), int(rng.integers(3, 20))
        rows = [("u%d" % rng.integers(nc), "i%02d" % rng.integers(ni), 1.0) for _ in range(60)]
        ia = Interactions([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
        d = np.abs(ease_scores(ia, 2.0, "primal") - ease_scores(ia, 2.0, "dual")).max()
        assert d < 1e-10, d
    # metrics against the worked examples of RECOMMEND.md
    assert abs(metric("ndcg", ["A", "B", "A", None, "C"], ["A", "C", "D"], 4)
               - 1 / (1 + 1 / math.log2(3) + 0.5)) < 1e-15
    assert metric("ap", ["X", "A", "Y", "C"], ["C", "A"], 3) == 0.25
    assert metric("hit", [], ["A"], 3) == 0.0 and metric("recall", ["A"], [], 3) is None
    print("selfcheck passed: 20 random data sets x 7 similarities x 3 (k, min_common), "
          "recommendations, EASE primal = dual; worst relative difference %.2g" % worst)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "eval"
    {"eval": cmd_eval, "outputs": cmd_outputs, "toy": cmd_toy, "thin": cmd_thin,
     "timing": cmd_timing, "variants": cmd_variants, "selfcheck": cmd_selfcheck}[cmd]()
