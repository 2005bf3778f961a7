/*-------------------------------------------------------------------------
 *
 * rank_metrics.c
 *	  Ranking metrics for evaluating recommendations: hit_at_k,
 *	  precision_at_k, recall_at_k, ndcg_at_k and average_precision_at_k,
 *	  each (recommended anyarray, relevant anyarray, k int) -> float8.
 *
 * Relevance is binary: an element of "recommended" is relevant when it
 * equals (by its type's default equality, under the call's collation) an
 * element of "relevant".  Both arrays are read as lists in subscript order
 * whatever their bounds.  Position r (1-based) of "recommended" is a hit
 * when its element is not NULL, is in "relevant" and did not occur at an
 * earlier position: a repeated element keeps its position (later elements
 * are not shifted up) but is never a hit again.  With R the set of
 * distinct non-NULL relevant elements and rel_r = 1 at a hit:
 *
 *	hit@k		1 if rel_r = 1 for some r <= k, else 0
 *	precision@k	(sum of rel_r, r <= k) / k
 *	recall@k	(sum of rel_r, r <= k) / |R|
 *	ndcg@k		(sum of rel_r / log2(r + 1), r <= k) /
 *				(sum of 1 / log2(r + 1), r <= min(|R|, k))
 *	AP@k		(sum of precision@r * rel_r, r <= k) / min(|R|, k)
 *
 * A list shorter than k is scored as if padded with irrelevant items, an
 * empty one scores 0.  An empty R gives NULL (the metric is undefined, as
 * corr() is for zero variance).  Membership is tested with a hash table of
 * R when the element type has a hash function (linear cost), else by
 * pairwise comparison.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

typedef enum RankMetric
{
	RANK_HIT,
	RANK_PRECISION,
	RANK_RECALL,
	RANK_NDCG,
	RANK_AP
} RankMetric;

/* element type information, kept in fn_extra across calls */
typedef struct ElemInfo
{
	Oid			elemtype;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	TypeCacheEntry *typentry;
} ElemInfo;

/* a set of distinct non-NULL elements */
typedef struct ElemSet
{
	const ElemInfo *info;
	Oid			collation;
	bool		hashed;			/* open addressing, else a plain list */
	int			n;				/* elements stored */
	int			mask;			/* table size - 1, when hashed */
	Datum	   *values;
	uint32	   *hashes;
	bool	   *used;
	bool	   *deleted;
} ElemSet;

static const ElemInfo *
elem_info(FunctionCallInfo fcinfo, Oid elemtype)
{
	ElemInfo   *info = (ElemInfo *) fcinfo->flinfo->fn_extra;

	if (info == NULL || info->elemtype != elemtype)
	{
		if (info == NULL)
			info = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(ElemInfo));
		info->elemtype = elemtype;
		get_typlenbyvalalign(elemtype, &info->typlen, &info->typbyval,
							 &info->typalign);
		info->typentry = lookup_type_cache(elemtype,
										   TYPECACHE_EQ_OPR_FINFO |
										   TYPECACHE_HASH_PROC_FINFO);
		if (!OidIsValid(info->typentry->eq_opr_finfo.fn_oid))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("could not identify an equality operator for type %s",
							format_type_be(elemtype))));
		fcinfo->flinfo->fn_extra = info;
	}
	return info;
}

/* the elements of a as a list; NULLs are kept (nulls[i]) for the caller */
static void
array_elems(ArrayType *a, const ElemInfo *info, const char *argname,
			Datum **values, bool **nulls, int *n)
{
	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional, not %d-dimensional",
						argname, ARR_NDIM(a))));
	deconstruct_array(a, info->elemtype, info->typlen, info->typbyval,
					  info->typalign, values, nulls, n);
}

static void
set_init(ElemSet *s, const ElemInfo *info, Oid collation, int capacity)
{
	s->info = info;
	s->collation = collation;
	s->n = 0;
	s->hashed = OidIsValid(info->typentry->hash_proc_finfo.fn_oid);
	if (s->hashed)
	{
		int			size = 8;

		while (size < 2 * capacity)
			size *= 2;
		s->mask = size - 1;
		s->values = palloc(size * sizeof(Datum));
		s->hashes = palloc(size * sizeof(uint32));
		s->used = palloc0(size * sizeof(bool));
		s->deleted = palloc0(size * sizeof(bool));
	}
	else
	{
		s->mask = 0;
		s->values = palloc(Max(capacity, 1) * sizeof(Datum));
		s->hashes = NULL;
		s->used = NULL;
		s->deleted = NULL;
	}
}

static bool
elems_equal(const ElemSet *s, Datum a, Datum b)
{
	return DatumGetBool(FunctionCall2Coll(&s->info->typentry->eq_opr_finfo,
										  s->collation, a, b));
}

/*
 * Add v to the set unless an equal element is there; returns true if it
 * was added.
 */
static bool
set_add(ElemSet *s, Datum v)
{
	if (s->hashed)
	{
		uint32		h = DatumGetUInt32(FunctionCall1Coll(&s->info->typentry->hash_proc_finfo,
														 s->collation, v));
		int			i = h & s->mask;

		while (s->used[i])
		{
			if (s->hashes[i] == h && elems_equal(s, s->values[i], v))
				return false;
			i = (i + 1) & s->mask;
		}
		s->used[i] = true;
		s->hashes[i] = h;
		s->values[i] = v;
		s->n++;
		return true;
	}
	for (int i = 0; i < s->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (elems_equal(s, s->values[i], v))
			return false;
	}
	s->values[s->n++] = v;
	return true;
}

/*
 * Remove the element equal to v from the set; returns false if there was
 * none.  A hashed set keeps the slot (marked deleted) so that probe chains
 * stay intact.
 */
static bool
set_remove(ElemSet *s, Datum v)
{
	if (s->hashed)
	{
		uint32		h = DatumGetUInt32(FunctionCall1Coll(&s->info->typentry->hash_proc_finfo,
														 s->collation, v));
		int			i = h & s->mask;

		while (s->used[i])
		{
			if (!s->deleted[i] && s->hashes[i] == h &&
				elems_equal(s, s->values[i], v))
			{
				s->deleted[i] = true;
				s->n--;
				return true;
			}
			i = (i + 1) & s->mask;
		}
		return false;
	}
	for (int i = 0; i < s->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (elems_equal(s, s->values[i], v))
		{
			s->values[i] = s->values[--s->n];
			return true;
		}
	}
	return false;
}

/*
 * The metric of the first k positions of recommended against the relevant
 * set.  Returns false (the SQL result is NULL) when there is
 * no relevant element.
 */
static bool
rank_metric(FunctionCallInfo fcinfo, RankMetric metric, float8 *result)
{
	ArrayType  *rec = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *relv = PG_GETARG_ARRAYTYPE_P(1);
	int32		k = PG_GETARG_INT32(2);
	const ElemInfo *info;
	Datum	   *recv,
			   *relvals;
	bool	   *recnulls,
			   *relnulls;
	int			nrec,
				nrel;
	ElemSet		relevant;
	int			nrelevant;
	int			hits = 0;
	double		dcg = 0.0,
				ap = 0.0;

	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be at least 1, not %d", k)));
	/* the polymorphic signature guarantees equal element types */
	Assert(ARR_ELEMTYPE(rec) == ARR_ELEMTYPE(relv));
	info = elem_info(fcinfo, ARR_ELEMTYPE(rec));
	array_elems(rec, info, "recommended", &recv, &recnulls, &nrec);
	array_elems(relv, info, "relevant", &relvals, &relnulls, &nrel);

	set_init(&relevant, info, PG_GET_COLLATION(), nrel);
	for (int i = 0; i < nrel; i++)
		if (!relnulls[i])
			set_add(&relevant, relvals[i]);
	if (relevant.n == 0)
		return false;
	nrelevant = relevant.n;

	/* a hit is removed from the relevant set, so that it counts once */
	for (int r = 1; r <= Min(nrec, k); r++)
	{
		Datum		v = recv[r - 1];

		if (recnulls[r - 1] || !set_remove(&relevant, v))
			continue;
		hits++;
		dcg += 1.0 / log2(r + 1.0);
		ap += (double) hits / r;
	}

	switch (metric)
	{
		case RANK_HIT:
			*result = hits > 0 ? 1.0 : 0.0;
			break;
		case RANK_PRECISION:
			*result = (double) hits / k;
			break;
		case RANK_RECALL:
			*result = (double) hits / nrelevant;
			break;
		case RANK_NDCG:
			{
				double		ideal = 0.0;
				int			m = Min(nrelevant, k);

				for (int i = 1; i <= m; i++)
					ideal += 1.0 / log2(i + 1.0);
				*result = dcg / ideal;
			}
			break;
		case RANK_AP:
			*result = ap / Min(nrelevant, k);
			break;
	}
	return true;
}

#define RANK_FUNCTION(sqlname, metric) \
PG_FUNCTION_INFO_V1(sqlname); \
Datum \
sqlname(PG_FUNCTION_ARGS) \
{ \
	float8		result; \
\
	if (!rank_metric(fcinfo, metric, &result)) \
		PG_RETURN_NULL(); \
	PG_RETURN_FLOAT8(result); \
}

RANK_FUNCTION(aim_hit_at_k, RANK_HIT)
RANK_FUNCTION(aim_precision_at_k, RANK_PRECISION)
RANK_FUNCTION(aim_recall_at_k, RANK_RECALL)
RANK_FUNCTION(aim_ndcg_at_k, RANK_NDCG)
RANK_FUNCTION(aim_average_precision_at_k, RANK_AP)
