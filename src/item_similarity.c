/*-------------------------------------------------------------------------
 *
 * item_similarity.c
 *	  The customer x item interaction matrix and item-item similarities
 *	  computed from it: the kernel behind item_neighbors() and
 *	  recommend_items() (recommend.c).
 *
 * The matrix is held twice, by customer (CSR) and by item (CSC), with the
 * weights of repeated (customer, item) rows added up.  The similarity of
 * items i and j comes from their common customers:
 *
 *	c_ij	number of customers with both (binary co-occurrence)
 *	d_ij	sum over those customers of v_ui * v_uj
 *
 * where v is the weight (cosine_weighted) or its BM25 re-weighting (bm25);
 * one pass over the customers of i computes both for every j at once
 * (cost: the sum over customers of their item count squared), with a
 * dense accumulator over the items and a list of the ones touched.  Sums
 * run over customers in ascending id order, so d_ij and d_ji are the same
 * floating-point number and a result never depends on the order in which
 * the query delivered its rows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "aimarketing.h"
#include "recommend.h"
#include "rowbuf.h"

/* implicit's bm25_weight() parameters, as the issue and DESIGN.md fix them */
#define BM25_K1		1.2
#define BM25_B		0.75

static const char *const similarity_names[] = {
	[SIM_COSINE] = "cosine",
	[SIM_COSINE_WEIGHTED] = "cosine_weighted",
	[SIM_BM25] = "bm25",
	[SIM_JACCARD] = "jaccard",
	[SIM_CONFIDENCE] = "confidence",
	[SIM_LIFT] = "lift",
	[SIM_EASE] = "ease",
	[SIM_POPULAR] = "popular",
};

/*
 * The similarity named s.  "popular" is accepted only where allow_popular
 * (recommend_items: the baseline needs no similarity).
 */
RecSimilarity
RecSimilarityByName(const char *s, bool allow_popular)
{
	int			last = allow_popular ? SIM_POPULAR : SIM_EASE;
	StringInfoData names;

	for (int i = 0; i <= last; i++)
		if (strcmp(s, similarity_names[i]) == 0)
			return (RecSimilarity) i;

	initStringInfo(&names);
	for (int i = 0; i <= last; i++)
		appendStringInfo(&names, "%s%s", i == 0 ? "" : ", ", similarity_names[i]);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown similarity \"%s\"", s),
			 errdetail("Valid similarities are: %s.", names.data)));
	pg_unreachable();
}

/*
 * 22003 unless v (a similarity, a bm25 weight or a score computed from the
 * weights) is a finite number: finite but huge weights overflow products
 * and sums of squares, subnormal ones underflow to 0 (a weighted cosine
 * would then divide by a zero norm).
 */
void
RecCheckFinite(double v, RecSimilarity sim, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s is out of range", similarity_names[sim], what),
				 errdetail("The weights are too large or too small for double precision arithmetic."),
				 errhint("Scale the weights into a moderate range, e.g. divide them by their maximum.")));
}

/* ---------------------------------------------------------------------
 * Building the matrix
 * ---------------------------------------------------------------------
 */

/*
 * Stable counting sort of the positions perm[0..n) by key[perm[p]] in
 * [0, range): the building block of the two-pass sort by (customer, item).
 */
static void
counting_sort(const uint32 *key, uint32 range, const int64 *perm, int64 *out,
			  int64 n)
{
	int64	   *start = palloc0_array(int64, (Size) range + 1);

	for (int64 p = 0; p < n; p++)
		start[key[perm[p]] + 1]++;
	for (uint32 b = 0; b < range; b++)
		start[b + 1] += start[b];
	for (int64 p = 0; p < n; p++)
	{
		if ((p & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		out[start[key[perm[p]]]++] = perm[p];
	}
	pfree(start);
}

/*
 * Drop the pairs whose weights add up to 0: they are no interaction (a
 * customer or an item left with none has no neighbours and gets no
 * recommendations).
 */
static void
drop_zero_pairs(RecMatrix *m)
{
	int64		out = 0,
				start = 0;

	for (int32 u = 0; u < m->ncust; u++)
	{
		int64		end = m->cptr[u + 1];

		for (int64 p = start; p < end; p++)
			if (m->cval[p] != 0.0)
			{
				m->cidx[out] = m->cidx[p];
				m->cval[out] = m->cval[p];
				out++;
			}
		start = end;
		m->cptr[u + 1] = out;
		if (out > m->cptr[u])
			m->ncust_active++;
	}
	m->nnz = out;
}

/*
 * The matrix of n (customer, item, weight) rows with ncust customers and
 * nitem items (dense ids).  Repeated pairs add their weights.  w may be
 * NULL (every row weighs 1).  Pairs whose weights add up to 0 are dropped.
 */
RecMatrix *
RecMatrixBuild(const uint32 *cust, const uint32 *item, const double *w,
			   int64 n, int32 ncust, int32 nitem)
{
	RecMatrix  *m = palloc0(sizeof(RecMatrix));
	int64	   *perm = AimHugeAlloc(n, sizeof(int64));
	int64	   *tmp = AimHugeAlloc(n, sizeof(int64));
	int64		nnz = 0;

	for (int64 p = 0; p < n; p++)
		perm[p] = p;
	/* by item, then stably by customer: (customer, item) order */
	counting_sort(item, nitem, perm, tmp, n);
	counting_sort(cust, ncust, tmp, perm, n);
	pfree(tmp);

	m->ncust = ncust;
	m->nitem = nitem;
	m->cptr = palloc0_array(int64, (Size) ncust + 1);
	m->cidx = AimHugeAlloc(n, sizeof(int32));
	m->cval = AimHugeAlloc(n, sizeof(double));
	for (int64 p = 0; p < n; p++)
	{
		int64		r = perm[p];
		double		wr = w ? w[r] : 1.0;

		if (nnz > 0 && m->cidx[nnz - 1] == (int32) item[r] &&
			p > 0 && cust[perm[p - 1]] == cust[r])
			m->cval[nnz - 1] += wr;
		else
		{
			m->cidx[nnz] = item[r];
			m->cval[nnz] = wr;
			m->cptr[cust[r] + 1]++;
			nnz++;
		}
	}
	pfree(perm);
	for (int32 u = 0; u < ncust; u++)
		m->cptr[u + 1] += m->cptr[u];
	m->nnz = nnz;
	drop_zero_pairs(m);
	RecMatrixTranspose(m);
	return m;
}

/* the by-item copy (CSC) of the by-customer matrix, with the same values */
void
RecMatrixTranspose(RecMatrix *m)
{
	int64	   *next;

	m->iptr = palloc0_array(int64, (Size) m->nitem + 1);
	m->iidx = AimHugeAlloc(m->nnz, sizeof(int32));
	m->ival = AimHugeAlloc(m->nnz, sizeof(double));
	for (int64 p = 0; p < m->nnz; p++)
		m->iptr[m->cidx[p] + 1]++;
	m->nitem_active = 0;
	for (int32 i = 0; i < m->nitem; i++)
	{
		if (m->iptr[i + 1] > 0)
			m->nitem_active++;
		m->iptr[i + 1] += m->iptr[i];
	}
	next = palloc_array(int64, (Size) m->nitem);
	memcpy(next, m->iptr, sizeof(int64) * m->nitem);
	/* customers in ascending order within each item */
	for (int32 u = 0; u < m->ncust; u++)
		for (int64 p = m->cptr[u]; p < m->cptr[u + 1]; p++)
		{
			int64		q = next[m->cidx[p]]++;

			m->iidx[q] = u;
			m->ival[q] = m->cval[p];
		}
	pfree(next);
}

/*
 * Replace the values by implicit's bm25_weight(X, K1, B) of the item x
 * customer matrix X (rows are items): with N the number of items (that
 * have a pair),
 *
 *	idf_u		= log(N) - log(1 + number of items of customer u)
 *	len_i		= (1 - B) + B * (sum of row i) / (mean row sum)
 *	v_ui		= x_ui * (K1 + 1) / (K1 * len_i + x_ui) * idf_u
 */
void
RecMatrixBM25(RecMatrix *m)
{
	double	   *idf = palloc_array(double, (Size) Max(m->ncust, 1));
	double	   *len = palloc_array(double, (Size) Max(m->nitem, 1));
	double		total = 0.0,
				mean;

	for (int32 u = 0; u < m->ncust; u++)
		idf[u] = log((double) m->nitem_active) - log1p((double) (m->cptr[u + 1] - m->cptr[u]));
	for (int32 i = 0; i < m->nitem; i++)
	{
		double		s = 0.0;

		for (int64 p = m->iptr[i]; p < m->iptr[i + 1]; p++)
			s += m->ival[p];
		len[i] = s;
		total += s;
	}
	mean = total / m->nitem_active;
	for (int32 i = 0; i < m->nitem; i++)
		len[i] = (1.0 - BM25_B) + BM25_B * len[i] / mean;
	for (int32 u = 0; u < m->ncust; u++)
		for (int64 p = m->cptr[u]; p < m->cptr[u + 1]; p++)
		{
			double		x = m->cval[p];

			m->cval[p] = x * (BM25_K1 + 1.0) / (BM25_K1 * len[m->cidx[p]] + x) * idf[u];
			RecCheckFinite(m->cval[p], SIM_BM25, "weight");
		}
	for (int32 i = 0; i < m->nitem; i++)
		for (int64 p = m->iptr[i]; p < m->iptr[i + 1]; p++)
		{
			double		x = m->ival[p];

			m->ival[p] = x * (BM25_K1 + 1.0) / (BM25_K1 * len[i] + x) * idf[m->iidx[p]];
		}
	pfree(idf);
	pfree(len);
}

/* ---------------------------------------------------------------------
 * Co-occurrence of one item with all others
 * ---------------------------------------------------------------------
 */

RecAccum *
RecAccumCreate(const RecMatrix *m)
{
	RecAccum   *a = palloc(sizeof(RecAccum));

	a->count = palloc0_array(int64, (Size) Max(m->nitem, 1));
	a->dot = palloc0_array(double, (Size) Max(m->nitem, 1));
	a->touched = palloc_array(int32, (Size) Max(m->nitem, 1));
	a->ntouched = 0;
	return a;
}

/*
 * c_ij (count) and d_ij (dot, when want_dot) for item i and every j that
 * shares a customer with it, j = i included; the touched list names them.
 */
void
RecAccumItem(const RecMatrix *m, RecAccum *a, int32 i, bool want_dot)
{
	/*
	 * Locals, not a->...: the stores into touched[] (int32) could otherwise
	 * alias a->ntouched and force a reload and store of it, and of the
	 * array pointers, for every pair (the loop is the whole cost of the
	 * co-occurrence similarities).
	 */
	int64	   *restrict count = a->count;
	double	   *restrict dot = a->dot;
	int32	   *restrict touched = a->touched;
	const int64 *cptr = m->cptr;
	const int32 *cidx = m->cidx;
	const double *cval = m->cval;
	int32		nt = a->ntouched;

	for (int32 t = 0; t < nt; t++)
	{
		count[touched[t]] = 0;
		dot[touched[t]] = 0.0;
	}
	nt = 0;

	for (int64 p = m->iptr[i]; p < m->iptr[i + 1]; p++)
	{
		int32		u = m->iidx[p];
		int64		end = cptr[u + 1];

		if (want_dot)
		{
			double		vi = m->ival[p];

			for (int64 q = cptr[u]; q < end; q++)
			{
				int32		j = cidx[q];

				if (count[j]++ == 0)
					touched[nt++] = j;
				dot[j] += vi * cval[q];
			}
		}
		else
		{
			for (int64 q = cptr[u]; q < end; q++)
			{
				int32		j = cidx[q];

				if (count[j]++ == 0)
					touched[nt++] = j;
			}
		}
		if ((p & 0xFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	a->ntouched = nt;
}

/* per-item statistics a similarity needs: customers and the value norm */
RecItemStats *
RecItemStatsCompute(const RecMatrix *m)
{
	RecItemStats *s = palloc(sizeof(RecItemStats));

	s->ncust = palloc_array(int64, (Size) Max(m->nitem, 1));
	s->norm = palloc_array(double, (Size) Max(m->nitem, 1));
	for (int32 i = 0; i < m->nitem; i++)
	{
		double		ss = 0.0;

		for (int64 p = m->iptr[i]; p < m->iptr[i + 1]; p++)
			ss += m->ival[p] * m->ival[p];
		s->ncust[i] = m->iptr[i + 1] - m->iptr[i];
		s->norm[i] = sqrt(ss);
	}
	return s;
}

/*
 * The similarity of i and j from their co-occurrence, always defined
 * (returns true); weights that over- or underflow raise 22003.
 * Inlined into RecNeighborsCompute()'s loop over every co-occurring pair.
 */
pg_attribute_always_inline bool
RecPairSimilarity(RecSimilarity sim, const RecItemStats *s, int32 ncust,
				  int32 i, int32 j, int64 c, double d, double *out)
{
	double		ni = (double) s->ncust[i],
				nj = (double) s->ncust[j];

	switch (sim)
	{
		case SIM_COSINE:
			*out = c / sqrt(ni * nj);
			return true;
		case SIM_COSINE_WEIGHTED:
			/* a norm is 0 only by underflow: zero pairs were dropped */
			*out = d / (s->norm[i] * s->norm[j]);
			RecCheckFinite(*out, sim, "similarity");
			return true;
		case SIM_BM25:
			*out = d;
			RecCheckFinite(*out, sim, "similarity");
			return true;
		case SIM_JACCARD:
			*out = c / (double) (s->ncust[i] + s->ncust[j] - c);
			return true;
		case SIM_CONFIDENCE:
			*out = c / ni;
			return true;
		case SIM_LIFT:
			*out = ((double) c * ncust) / (ni * nj);	/* ncust: active */
			return true;
		default:
			elog(ERROR, "similarity %d is not computed from co-occurrence", (int) sim);
	}
	return false;
}

/* ---------------------------------------------------------------------
 * Neighbour lists
 * ---------------------------------------------------------------------
 */

static int
cand_cmp_best_first(const void *pa, const void *pb)
{
	const RecCand *a = pa;
	const RecCand *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return (a->rank > b->rank) - (a->rank < b->rank);
}

/* append item i's list (cands, best first) to nb, growing it as needed */
static void
neighbors_append(RecNeighbors *nb, int64 *cap, int32 i, const RecCand *cands,
				 int n)
{
	int64		at = nb->ptr[i];

	if (at + n > *cap)
	{
		int64		newcap = Max(*cap * 2, at + n);

		nb->idx = repalloc_huge(nb->idx, newcap * sizeof(int32));
		nb->sim = repalloc_huge(nb->sim, newcap * sizeof(double));
		nb->common = repalloc_huge(nb->common, newcap * sizeof(int64));
		*cap = newcap;
	}
	for (int c = 0; c < n; c++)
	{
		nb->idx[at + c] = cands[c].item;
		nb->sim[at + c] = cands[c].score;
		nb->common[at + c] = cands[c].common;
	}
	nb->ptr[i + 1] = at + n;
}

/*
 * For every item, its k most similar other items (k = 0: every item that
 * shares at least min_common customers with it), best first, ties by rank.
 * For a co-occurrence similarity (not ease).
 */
RecNeighbors *
RecNeighborsCompute(const RecMatrix *m, RecSimilarity sim, int k,
					int min_common, const int32 *rank)
{
	RecNeighbors *nb = palloc0(sizeof(RecNeighbors));
	RecAccum   *acc = RecAccumCreate(m);
	RecItemStats *st = RecItemStatsCompute(m);
	bool		want_dot = (sim == SIM_COSINE_WEIGHTED || sim == SIM_BM25);
	int			kk = k > 0 ? Min(k, Max(m->nitem - 1, 0)) : Max(m->nitem, 1);
	RecTopK		top;
	RecCand    *all = NULL;
	int64		cap = (int64) Max(m->nitem, 1) * Max(kk, 1);

	Assert(sim != SIM_EASE && sim != SIM_POPULAR);
	if (k == 0)
	{
		all = palloc_array(RecCand, Max(m->nitem, 1));
		cap = Max(m->nnz, 16);
	}
	else
		RecTopKInit(&top, kk);
	nb->nitem = m->nitem;
	nb->ptr = palloc0_array(int64, (Size) m->nitem + 1);
	nb->idx = AimHugeAlloc(cap, sizeof(int32));
	nb->sim = AimHugeAlloc(cap, sizeof(double));
	nb->common = AimHugeAlloc(cap, sizeof(int64));

	for (int32 i = 0; i < m->nitem; i++)
	{
		int			n = 0;

		RecAccumItem(m, acc, i, want_dot);
		if (k > 0)
			RecTopKReset(&top);
		for (int32 t = 0; t < acc->ntouched; t++)
		{
			int32		j = acc->touched[t];
			int64		c = acc->count[j];
			double		s;

			if (j == i || c < min_common ||
				!RecPairSimilarity(sim, st, m->ncust_active, i, j, c, acc->dot[j], &s))
				continue;
			if (k > 0)
				RecTopKAdd(&top, s, rank[j], j, c);
			else
				all[n++] = (RecCand) {s, rank[j], j, c};
		}
		if (k > 0)
			n = RecTopKSorted(&top);
		else
			qsort(all, n, sizeof(RecCand), cand_cmp_best_first);
		neighbors_append(nb, &cap, i, k > 0 ? top.heap : all, n);
	}
	return nb;
}
