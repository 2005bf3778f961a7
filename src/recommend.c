/*-------------------------------------------------------------------------
 *
 * recommend.c
 *	  item_neighbors() and recommend_items(): implicit-feedback item-based
 *	  collaborative filtering over any (customer, item[, weight]) query.
 *
 * The query text runs through the extension's one reader of SQL-text
 * input (sqlreader.h: read-only, the caller's rights, the same plan checks
 * and errors as the basket functions).  Its rows become the customer x
 * item matrix (item_similarity.c), repeated pairs adding their weights
 * (1 a row without a weight column); a pair whose weights add up to 0 is
 * no interaction.  NULL items and NULL weights skip the row; a NULL
 * customer is an error.
 *
 * item_neighbors() gives, for every item, its k most similar other items
 * (item_similarity.c; ease: the EASE^R weights of ease.c).  recommend_items()
 * scores, for every customer u and item j,
 *
 *	score(u, j) = sum over u's items i of w_ui * sim(i, j)
 *
 * over the j among i's `neighbors` nearest (all of them for NULL; for ease
 * every item: the scores are X B), drops the items u owns when asked, and
 * keeps the k best; a customer with fewer than k candidates gets the most
 * popular items (most distinct customers) it does not have, with a NULL
 * score.  "popular" scores every item by its number of customers.
 *
 * Ties, everywhere, go to the item whose text comes first in byte order
 * (COLLATE "C"), so the output is the same whatever the database's
 * collation and the order of the query's rows.
 *
 * Memory, for n query rows, p distinct (customer, item) pairs, I items and
 * C customers: 16 n bytes while reading plus the key dictionaries (the
 * texts of the keys), then 24 p + 8 (C + I) for the matrix, 20 I for the
 * co-occurrence accumulator and 20 I k for the neighbour lists (with
 * neighbors => NULL, 20 bytes per co-occurring item pair instead); ease
 * needs 8 I^2 for its weights plus its solver's scratch (ease.c).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "aimarketing.h"
#include "recommend.h"
#include "rowbuf.h"
#include "sqlreader.h"

/* the query's rows, as dense ids */
typedef struct RecInput
{
	const AimQuery *q;
	MemoryContext cxt;
	AimColumn	custcol;
	AimColumn	itemcol;
	Oid			wtype;			/* base type of the weight, or InvalidOid */
	AimDict		custs;
	AimDict		items;
	AimKeyRun	run;
	uint32	   *cust;
	uint32	   *item;
	double	   *w;
	int64		n;
	int64		cap;
} RecInput;

/* the texts of a dictionary's keys, and their byte order */
typedef struct RecNames
{
	int32		n;
	Datum	   *text;			/* text datums, by id */
	int32	   *rank;			/* id -> position in byte order */
	int32	   *byrank;			/* position -> id */
} RecNames;

/* ---------------------------------------------------------------------
 * Reading the interactions
 * ---------------------------------------------------------------------
 */

static void
interactions_describe(void *arg, TupleDesc desc)
{
	RecInput   *in = arg;
	Oid			itemtype;

	if (desc->natts != 2 && desc->natts != 3)
		AimQueryColumnsError(in->q,
							 "two columns (customer, item) or three (customer, item, weight)",
							 psprintf("It returns %d columns.", desc->natts),
							 NULL);
	itemtype = getBaseType(TupleDescAttr(desc, 1)->atttypid);
	if (OidIsValid(get_element_type(itemtype)))
		AimQueryColumnError(in->q, desc, 2, "item", "must not be an array",
							"Return one row per (customer, item): unnest() the array.");
	AimColumnInit(&in->custcol, TupleDescAttr(desc, 0)->atttypid, in->cxt);
	AimColumnInit(&in->itemcol, TupleDescAttr(desc, 1)->atttypid, in->cxt);
	in->wtype = InvalidOid;
	if (desc->natts == 3)
	{
		Oid			wtype = getBaseType(TupleDescAttr(desc, 2)->atttypid);

		if (wtype != INT2OID && wtype != INT4OID && wtype != INT8OID &&
			wtype != FLOAT4OID && wtype != FLOAT8OID && wtype != NUMERICOID)
			AimQueryColumnError(in->q, desc, 3, "weight", "must be a number",
								"Return an integer, float or numeric weight, or cast it to float8.");
		in->wtype = wtype;
	}
}

static double
weight_value(Oid wtype, Datum d)
{
	switch (wtype)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		case INT8OID:
			return (double) DatumGetInt64(d);
		case FLOAT4OID:
			return DatumGetFloat4(d);
		case FLOAT8OID:
			return DatumGetFloat8(d);
		default:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
}

static bool
interactions_receive(void *arg, Datum *values, bool *isnull)
{
	RecInput   *in = arg;
	bool		used_rowcxt = false;
	double		w = 1.0;

	if (isnull[0])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("customer must not be null"),
				 errdetail("The first column of interactions_sql's result is NULL in a row."),
				 errhint("Filter such rows out (WHERE customer IS NOT NULL), or give them a customer id with coalesce().")));
	/* a NULL item or weight: no interaction */
	if (isnull[1] || (OidIsValid(in->wtype) && isnull[2]))
		return false;
	if (OidIsValid(in->wtype))
	{
		w = weight_value(in->wtype, values[2]);
		if (!(w >= 0.0) || isinf(w))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight must be a finite number at least 0, not %s",
							float8out_internal(w)),
					 errdetail("The third column of interactions_sql's result is %s in a row.",
							   float8out_internal(w)),
					 errhint("Filter or clamp such rows, e.g. WHERE weight >= 0.")));
	}
	if (in->n == in->cap)
	{
		int64		newcap = Max(in->cap * 2, 1024);

		if ((uint64) newcap > MaxAllocHugeSize / sizeof(double))
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("interactions_sql returned too many rows to hold in memory")));
		in->cust = in->cust ? repalloc_huge(in->cust, newcap * sizeof(uint32)) :
			MemoryContextAllocHuge(in->cxt, newcap * sizeof(uint32));
		in->item = in->item ? repalloc_huge(in->item, newcap * sizeof(uint32)) :
			MemoryContextAllocHuge(in->cxt, newcap * sizeof(uint32));
		in->w = in->w ? repalloc_huge(in->w, newcap * sizeof(double)) :
			MemoryContextAllocHuge(in->cxt, newcap * sizeof(double));
		in->cap = newcap;
	}
	in->cust[in->n] = AimColumnRunId(&in->custcol, &in->custs, &in->run,
									 values[0], &used_rowcxt);
	in->item[in->n] = AimColumnId(&in->itemcol, &in->items, values[1],
								  &used_rowcxt);
	in->w[in->n] = w;
	in->n++;
	return used_rowcxt;
}

static bool
interactions_slot(TupleTableSlot *slot, DestReceiver *self)
{
	return AimReceiveRow(slot, self, interactions_receive);
}

static void
interactions_read(RecInput *in, const char *caller, const char *sql)
{
	AimQuery	q = {0};

	memset(in, 0, sizeof(*in));
	in->cxt = CurrentMemoryContext;
	AimDictInit(&in->custs, in->cxt, true, "customers");
	AimDictInit(&in->items, in->cxt, true, "items");
	q.sql = sql;
	q.caller = caller;
	q.argname = "interactions_sql";
	q.hint = "Pass a SELECT returning (customer, item) or (customer, item, weight).";
	q.describe = interactions_describe;
	q.receiveSlot = interactions_slot;
	q.arg = in;
	in->q = &q;
	AimQueryRun(&q);
	in->q = NULL;
	if (in->custs.n > PG_INT32_MAX || in->items.n > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("interactions_sql returned more than %d distinct customers or items",
						PG_INT32_MAX)));
}

static int
name_cmp(const void *pa, const void *pb, void *arg)
{
	const Datum *names = arg;
	text	   *a = DatumGetTextPP(names[*(const int32 *) pa]);
	text	   *b = DatumGetTextPP(names[*(const int32 *) pb]);
	int			la = VARSIZE_ANY_EXHDR(a),
				lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	return c != 0 ? c : (la > lb) - (la < lb);
}

/* the keys of dict as text, and their byte order */
static RecNames *
names_build(const AimColumn *col, const AimDict *dict)
{
	RecNames   *nm = palloc(sizeof(RecNames));
	char		buf[32];

	nm->n = (int32) dict->n;
	nm->text = palloc_array(Datum, Max(nm->n, 1));
	nm->rank = palloc_array(int32, Max(nm->n, 1));
	nm->byrank = palloc_array(int32, Max(nm->n, 1));
	for (int32 id = 0; id < nm->n; id++)
	{
		const char *p;
		uint32		len;

		AimColumnIdText(col, dict, id, buf, &p, &len);
		nm->text[id] = PointerGetDatum(cstring_to_text_with_len(p, len));
		nm->byrank[id] = id;
	}
	qsort_arg(nm->byrank, nm->n, sizeof(int32), name_cmp, nm->text);
	for (int32 r = 0; r < nm->n; r++)
		nm->rank[nm->byrank[r]] = r;
	return nm;
}

/*
 * Renumber the keys in byte order of their text: ids[0..n) are mapped to
 * their rank, and nm's texts follow.  Afterwards id order is byte order,
 * so the matrix, every sum over customers or items and every tie-break are
 * the same whatever order the query delivered its rows in.
 */
static void
names_canonical(RecNames *nm, uint32 *ids, int64 n)
{
	Datum	   *text = palloc_array(Datum, Max(nm->n, 1));

	for (int64 p = 0; p < n; p++)
		ids[p] = nm->rank[ids[p]];
	for (int32 r = 0; r < nm->n; r++)
	{
		text[r] = nm->text[nm->byrank[r]];
		nm->rank[r] = nm->byrank[r] = r;
	}
	pfree(nm->text);
	nm->text = text;
}

/* ---------------------------------------------------------------------
 * Arguments
 * ---------------------------------------------------------------------
 */

static void
arg_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name)));
}

static int32
arg_positive(FunctionCallInfo fcinfo, int argno, const char *name)
{
	int32		v;

	arg_not_null(fcinfo, argno, name);
	v = PG_GETARG_INT32(argno);
	if (v < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be at least 1, not %d", name, v)));
	return v;
}

static double
arg_l2(FunctionCallInfo fcinfo, int argno)
{
	double		l2;

	arg_not_null(fcinfo, argno, "l2");
	l2 = PG_GETARG_FLOAT8(argno);
	if (!(l2 >= 0.0) || isinf(l2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("l2 must be a finite number at least 0, not %s",
						float8out_internal(l2))));
	return l2;
}

/*
 * The matrix of the query's interactions, re-weighted for bm25, with the
 * summed raw weights kept in *raw (by customer, as m->cval) for scoring.
 */
static RecMatrix *
matrix_for(RecInput *in, RecSimilarity sim, double **raw)
{
	RecMatrix  *m = RecMatrixBuild(in->cust, in->item,
								   OidIsValid(in->wtype) ? in->w : NULL,
								   in->n, (int32) in->custs.n,
								   (int32) in->items.n);

	/* nothing was allocated when the query returned no usable row */
	if (in->cap > 0)
	{
		pfree(in->cust);
		pfree(in->item);
		pfree(in->w);
	}
	in->cust = in->item = NULL;
	in->w = NULL;
	if (raw)
	{
		*raw = m->cval;
		if (sim == SIM_BM25)
		{
			*raw = AimHugeAlloc(m->nnz, sizeof(double));
			memcpy(*raw, m->cval, m->nnz * sizeof(double));
		}
	}
	if (sim == SIM_BM25)
		RecMatrixBM25(m);
	return m;
}

/* ---------------------------------------------------------------------
 * item_neighbors
 * ---------------------------------------------------------------------
 */

/* EASE^R neighbours: row i of B, among the items sharing min_common customers */
static RecNeighbors *
ease_neighbors(const RecMatrix *m, const double *B, int k, int min_common,
			   const int32 *rank)
{
	RecNeighbors *nb = palloc0(sizeof(RecNeighbors));
	RecAccum   *acc = RecAccumCreate(m);
	int			kk = Min(k, Max(m->nitem - 1, 1));
	RecTopK		top;
	int64		at = 0;

	RecTopKInit(&top, kk);
	nb->nitem = m->nitem;
	nb->ptr = palloc0_array(int64, (Size) m->nitem + 1);
	nb->idx = AimHugeAlloc((int64) m->nitem * kk, sizeof(int32));
	nb->sim = AimHugeAlloc((int64) m->nitem * kk, sizeof(double));
	nb->common = AimHugeAlloc((int64) m->nitem * kk, sizeof(int64));
	for (int32 i = 0; i < m->nitem; i++)
	{
		const double *row = B + (size_t) i * m->nitem;
		int			n;

		RecAccumItem(m, acc, i, false);
		RecTopKReset(&top);
		for (int32 t = 0; t < acc->ntouched; t++)
		{
			int32		j = acc->touched[t];

			if (j != i && acc->count[j] >= min_common)
				RecTopKAdd(&top, row[j], rank[j], j, acc->count[j]);
		}
		n = RecTopKSorted(&top);
		for (int c = 0; c < n; c++, at++)
		{
			nb->idx[at] = top.heap[c].item;
			nb->sim[at] = top.heap[c].score;
			nb->common[at] = top.heap[c].common;
		}
		nb->ptr[i + 1] = at;
	}
	return nb;
}

/*
 * item_neighbors(interactions_sql text, k int DEFAULT 20,
 *				  similarity text DEFAULT 'cosine', min_common int DEFAULT 1,
 *				  l2 float8 DEFAULT 500)
 *	 RETURNS TABLE (item text, neighbor text, similarity float8,
 *					common bigint, rank int)
 */
PG_FUNCTION_INFO_V1(aim_item_neighbors);
Datum
aim_item_neighbors(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *sql;
	int32		k,
				min_common;
	RecSimilarity sim;
	double		l2;
	MemoryContext cxt,
				old;
	RecInput	in;
	RecMatrix  *m;
	RecNames   *names;
	RecNeighbors *nb;

	arg_not_null(fcinfo, 0, "interactions_sql");
	k = arg_positive(fcinfo, 1, "k");
	arg_not_null(fcinfo, 2, "similarity");
	sim = RecSimilarityByName(text_to_cstring(PG_GETARG_TEXT_PP(2)), false);
	min_common = arg_positive(fcinfo, 3, "min_common");
	l2 = arg_l2(fcinfo, 4);
	sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	InitMaterializedSRF(fcinfo, 0);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "item_neighbors",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	interactions_read(&in, "item_neighbors", sql);
	names = names_build(&in.itemcol, &in.items);
	names_canonical(names, in.item, in.n);
	names_canonical(names_build(&in.custcol, &in.custs), in.cust, in.n);
	m = matrix_for(&in, sim, NULL);
	if (sim == SIM_EASE)
	{
		double	   *B = RecEaseWeights(m, l2);

		nb = ease_neighbors(m, B, k, min_common, names->rank);
		pfree(B);
	}
	else
		nb = RecNeighborsCompute(m, sim, k, min_common, names->rank);

	for (int32 r = 0; r < names->n; r++)
	{
		int32		i = names->byrank[r];

		CHECK_FOR_INTERRUPTS();
		for (int64 p = nb->ptr[i]; p < nb->ptr[i + 1]; p++)
		{
			Datum		values[5];
			bool		nulls[5] = {false};

			values[0] = names->text[i];
			values[1] = names->text[nb->idx[p]];
			values[2] = Float8GetDatum(nb->sim[p]);
			values[3] = Int64GetDatum(nb->common[p]);
			values[4] = Int32GetDatum((int32) (p - nb->ptr[i] + 1));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * recommend_items
 * ---------------------------------------------------------------------
 */

typedef struct RecScorer
{
	const RecMatrix *m;
	const double *raw;			/* w_ui, by customer */
	RecSimilarity sim;
	const RecNeighbors *nb;		/* co-occurrence similarities */
	const double *B;			/* ease */
	const RecItemStats *st;
	const int32 *rank;
	const int32 *popular;		/* items, most customers first */
	bool		exclude_owned;
	double	   *score;
	int32	   *stamp;			/* customer + 1 that touched the item */
	int32	   *owned;			/* customer + 1 that owns the item */
	int32	   *touched;
	int32	   *chosen;			/* customer + 1 that got the item */
	RecTopK		top;
} RecScorer;

static int
popularity_cmp(const void *pa, const void *pb, void *arg)
{
	const RecScorer *s = arg;
	int32		a = *(const int32 *) pa,
				b = *(const int32 *) pb;

	if (s->st->ncust[a] != s->st->ncust[b])
		return s->st->ncust[a] > s->st->ncust[b] ? -1 : 1;
	return (s->rank[a] > s->rank[b]) - (s->rank[a] < s->rank[b]);
}

/* the candidates of customer u, in s->top */
static void
score_customer(RecScorer *s, int32 u)
{
	const RecMatrix *m = s->m;
	int32		nt = 0;
	int32		mark = u + 1;

	RecTopKReset(&s->top);
	for (int64 p = m->cptr[u]; p < m->cptr[u + 1]; p++)
		s->owned[m->cidx[p]] = mark;
	if (s->sim == SIM_POPULAR)
		return;					/* emit_customer() walks the popular items */
	if (s->sim == SIM_EASE)
	{
		/* every item is a candidate: the scores are row u of X B */
		memset(s->score, 0, sizeof(double) * m->nitem);
		for (int64 p = m->cptr[u]; p < m->cptr[u + 1]; p++)
		{
			const double *row = s->B + (size_t) m->cidx[p] * m->nitem;
			double		w = s->raw[p];

			for (int32 j = 0; j < m->nitem; j++)
				s->score[j] += w * row[j];
		}
		for (int32 j = 0; j < m->nitem; j++)
			if (s->st->ncust[j] > 0 && !(s->exclude_owned && s->owned[j] == mark))
			{
				RecCheckFinite(s->score[j], s->sim, "score");
				RecTopKAdd(&s->top, s->score[j], s->rank[j], j, 0);
			}
		return;
	}
	for (int64 p = m->cptr[u]; p < m->cptr[u + 1]; p++)
	{
		int32		i = m->cidx[p];
		double		w = s->raw[p];

		for (int64 q = s->nb->ptr[i]; q < s->nb->ptr[i + 1]; q++)
		{
			int32		j = s->nb->idx[q];

			if (s->stamp[j] != mark)
			{
				s->stamp[j] = mark;
				s->score[j] = 0.0;
				s->touched[nt++] = j;
			}
			s->score[j] += w * s->nb->sim[q];
		}
	}
	for (int32 t = 0; t < nt; t++)
	{
		int32		j = s->touched[t];

		if (!(s->exclude_owned && s->owned[j] == mark))
		{
			RecCheckFinite(s->score[j], s->sim, "score");
			RecTopKAdd(&s->top, s->score[j], s->rank[j], j, 0);
		}
	}
}

/* emit customer u's list, filled up to k with popular items */
static void
emit_customer(RecScorer *s, int32 u, int k, Datum custname,
			  const RecNames *items, ReturnSetInfo *rsinfo)
{
	int			n = RecTopKSorted(&s->top);
	int32		mark = u + 1;
	int			r = 0;
	Datum		values[4];
	bool		nulls[4] = {false};

	values[0] = custname;
	for (; r < n; r++)
	{
		s->chosen[s->top.heap[r].item] = mark;
		values[1] = items->text[s->top.heap[r].item];
		values[2] = Float8GetDatum(s->top.heap[r].score);
		values[3] = Int32GetDatum(r + 1);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	/* the popular items: the list itself for "popular", else the filling */
	nulls[2] = (s->sim != SIM_POPULAR);
	for (int32 p = 0; r < k && p < s->m->nitem; p++)
	{
		int32		j = s->popular[p];

		if (s->st->ncust[j] == 0)
			break;				/* only items nobody has are left */
		if (s->chosen[j] == mark || (s->exclude_owned && s->owned[j] == mark))
			continue;
		values[1] = items->text[j];
		values[2] = Float8GetDatum((double) s->st->ncust[j]);
		values[3] = Int32GetDatum(++r);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

static void
scorer_init(RecScorer *s, const RecMatrix *m, const int32 *rank, int k)
{
	int32		nitem = Max(m->nitem, 1);

	s->m = m;
	s->rank = rank;
	s->st = RecItemStatsCompute(m);
	s->score = palloc_array(double, nitem);
	s->stamp = palloc0_array(int32, nitem);
	s->owned = palloc0_array(int32, nitem);
	s->chosen = palloc0_array(int32, nitem);
	s->touched = palloc_array(int32, nitem);
	s->popular = palloc_array(int32, nitem);
	for (int32 j = 0; j < m->nitem; j++)
		((int32 *) s->popular)[j] = j;
	qsort_arg((int32 *) s->popular, m->nitem, sizeof(int32), popularity_cmp, s);
	RecTopKInit(&s->top, Min(k, nitem));
}

/*
 * recommend_items(interactions_sql text, k int DEFAULT 10,
 *				   similarity text DEFAULT 'cosine', neighbors int DEFAULT 20,
 *				   exclude_owned boolean DEFAULT true, l2 float8 DEFAULT 500)
 *	 RETURNS TABLE (customer text, item text, score float8, rank int)
 */
PG_FUNCTION_INFO_V1(aim_recommend_items);
Datum
aim_recommend_items(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *sql;
	int32		k,
				neighbors = 0;
	double		l2;
	MemoryContext cxt,
				old;
	RecInput	in;
	RecMatrix  *m;
	RecNames   *items,
			   *custs;
	RecScorer	s = {0};
	double	   *raw;

	arg_not_null(fcinfo, 0, "interactions_sql");
	k = arg_positive(fcinfo, 1, "k");
	arg_not_null(fcinfo, 2, "similarity");
	s.sim = RecSimilarityByName(text_to_cstring(PG_GETARG_TEXT_PP(2)), true);
	if (!PG_ARGISNULL(3))
		neighbors = arg_positive(fcinfo, 3, "neighbors");
	arg_not_null(fcinfo, 4, "exclude_owned");
	s.exclude_owned = PG_GETARG_BOOL(4);
	l2 = arg_l2(fcinfo, 5);
	sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	InitMaterializedSRF(fcinfo, 0);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "recommend_items",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	interactions_read(&in, "recommend_items", sql);
	items = names_build(&in.itemcol, &in.items);
	custs = names_build(&in.custcol, &in.custs);
	names_canonical(items, in.item, in.n);
	names_canonical(custs, in.cust, in.n);
	m = matrix_for(&in, s.sim, &raw);
	s.raw = raw;
	if (s.sim == SIM_EASE)
		s.B = RecEaseWeights(m, l2);
	else if (s.sim != SIM_POPULAR)
		s.nb = RecNeighborsCompute(m, s.sim, neighbors, 1, items->rank);
	scorer_init(&s, m, items->rank, k);

	for (int32 r = 0; r < custs->n; r++)
	{
		int32		u = custs->byrank[r];

		CHECK_FOR_INTERRUPTS();
		if (m->cptr[u] == m->cptr[u + 1])
			continue;			/* all its weights added up to 0 */
		score_customer(&s, u);
		emit_customer(&s, u, k, custs->text[u], items, rsinfo);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
