/*-------------------------------------------------------------------------
 *
 * classifier_eval.c
 *	  Evaluation of a binary classifier's scores (such as churn_score's)
 *	  against true labels, as aggregates over (score, label [, weight]):
 *	  roc_auc, roc_curve, precision_recall_curve, average_precision and
 *	  gains_table.
 *
 * All of them share one state: the rows as sort keys in a row buffer
 * (rowbuf.h), with one transition function for every input form, and one
 * combine, serialize and deserialize function.  A row is an AimSortKey:
 * key holds the order-preserving bits of the score; idx holds the label in
 * its lowest bit and the bits of the weight above it, 0 standing for
 * weight 1 (so that an unweighted state is made of 0/1 labels).  The
 * state also holds the parameter of the aggregate (gains_table's bins,
 * roc_curve's drop_intermediate), which must be the same on every row.
 *
 * The final functions work on the distinct scores in decreasing order
 * with the cumulative weights of the positives and of the negatives at or
 * above each (scikit-learn's _binary_clf_curve): made by one radix sort of
 * a copy of the rows, and cached in the state, so that the aggregates of
 * one query that share the state (roc_auc, roc_curve and average_precision
 * of the same rows) sort once.  The unweighted area is exact: the pairs
 * (positive, negative) ranked correctly are counted in 128-bit integers,
 * ties counting one half (the Mann-Whitney statistic, which equals the
 * trapezoidal area that roc_auc_score computes).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "aimarketing.h"
#include "rowbuf.h"

#define AUC_STATE_MAGIC	0x41554331	/* "AUC1" */

/* gains_table's largest number of bins */
#define GAINS_MAX_BINS	10000

/*
 * The parameter: gains_table's bins (1 to GAINS_MAX_BINS), roc_curve's
 * drop_intermediate (DROP_TRUE, DROP_FALSE), or none given yet.
 */
#define PARAM_UNSET		(-1)
#define DROP_TRUE		(-2)
#define DROP_FALSE		(-3)

/* The distinct scores in decreasing order, with cumulative weights. */
typedef struct AucGroups
{
	int64		ng;				/* distinct scores */
	int64		nrows;			/* rows they were made of */
	bool		weighted;		/* some weight is not 1 */
	float8	   *score;			/* ng scores, decreasing */
	float8	   *tp;				/* weight of the positives scoring >= score[i] */
	float8	   *fp;				/* weight of the negatives scoring >= score[i] */
	int64	   *rows;			/* rows scoring >= score[i] */
} AucGroups;

/* The state: rows of AimSortKey (see above), the parameter, the cache */
typedef struct AucState
{
	AimRowBuf	buf;
	int32		param;			/* bins or drop_intermediate; PARAM_UNSET */
	AucGroups  *groups;			/* cache of the groups of the first n rows */
} AucState;

/* The serialised header: n, then the parameter */
typedef struct AucHeader
{
	int64		n;
	int64		param;
} AucHeader;

/* The input forms of the transition function, told by their arguments */
typedef enum AucForm
{
	FORM_PLAIN,					/* (score, label) */
	FORM_WEIGHT,				/* (score, label, weight float8) */
	FORM_WEIGHT_DROP,			/* (score, label, weight, drop_intermediate) */
	FORM_BINS					/* (score, label, bins int) */
} AucForm;

static AucState *
GetState(FunctionCallInfo fcinfo, int argno)
{
	return AimRowBufGet(fcinfo, argno, AUC_STATE_MAGIC, "roc_auc");
}

static AucState *
NewState(MemoryContext ctx, int32 param)
{
	AucState   *st = MemoryContextAllocZero(ctx, sizeof(AucState));

	AimRowBufInit(&st->buf, AUC_STATE_MAGIC, "roc_auc", 0, sizeof(AimSortKey));
	st->param = param;
	return st;
}

/* Bits of a double whose unsigned order is the numeric order. */
static inline uint64
OrderedBits(double v)
{
	uint64		b;

	if (v == 0.0)
		v = 0.0;				/* -0.0 ties with 0.0 */
	memcpy(&b, &v, sizeof(b));
	return (b & UINT64CONST(0x8000000000000000)) ? ~b : (b | UINT64CONST(0x8000000000000000));
}

/* The double of OrderedBits(). */
static inline double
FromOrderedBits(uint64 b)
{
	double		v;

	b = (b & UINT64CONST(0x8000000000000000)) ? (b & ~UINT64CONST(0x8000000000000000)) : ~b;
	memcpy(&v, &b, sizeof(v));
	return v;
}

/* The weight of a row's idx (0 above the label bit: weight 1). */
static inline double
RowWeight(uint64 idx)
{
	uint64		wbits = idx >> 1;
	double		w;

	if (wbits == 0)
		return 1.0;
	memcpy(&w, &wbits, sizeof(w));
	return w;
}

/* The idx of a row of label 0 or 1 and weight w > 0 (finite). */
static inline int64
RowIdx(int label, double w)
{
	uint64		wbits = 0;

	if (w != 1.0)
		memcpy(&wbits, &w, sizeof(wbits));
	return (int64) ((wbits << 1) | (uint64) label);
}

/* The input form of the transition function called. */
static AucForm
FormOf(FunctionCallInfo fcinfo)
{
	if (PG_NARGS() == 5)
		return FORM_WEIGHT_DROP;
	if (PG_NARGS() == 4)
		return get_fn_expr_argtype(fcinfo->flinfo, 3) == INT4OID ? FORM_BINS : FORM_WEIGHT;
	return FORM_PLAIN;
}

/*
 * The parameter of a row (PARAM_UNSET for the forms without one), checked;
 * a NULL parameter is an error.
 */
static int32
ParamArg(FunctionCallInfo fcinfo, AucForm form)
{
	int32		bins;

	if (form == FORM_WEIGHT_DROP)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("roc_curve parameter drop_intermediate must not be null")));
		return PG_GETARG_BOOL(4) ? DROP_TRUE : DROP_FALSE;
	}
	if (form != FORM_BINS)
		return PARAM_UNSET;
	if (PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("gains_table parameter bins must not be null")));
	bins = PG_GETARG_INT32(3);
	if (bins < 1 || bins > GAINS_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be between 1 and %d, not %d", GAINS_MAX_BINS, bins)));
	return bins;
}

/* Raise the error for a parameter that differs between rows. */
static void
ParamMismatch(int32 param, int32 was)
{
	if (param > 0 && was > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gains_table parameter bins must be the same for every row"),
				 errdetail("Earlier rows had bins = %d, this row has bins = %d.", was, param)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("roc_curve parameter drop_intermediate must be the same for every row"),
			 errdetail("Earlier rows had drop_intermediate = %s, this row has drop_intermediate = %s.",
					   was == DROP_TRUE ? "true" : "false",
					   param == DROP_TRUE ? "true" : "false")));
}

/* The weight argument of a row, checked: finite and not negative. */
static float8
WeightArg(FunctionCallInfo fcinfo)
{
	float8		w = PG_GETARG_FLOAT8(3);

	if (!(w >= 0.0) || isinf(w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be a finite number not less than 0, not %s",
						float8out_internal(w)),
				 errhint("A weight of 0 leaves the row out; a NULL weight skips it like a NULL score or label.")));
	return w;
}

/*
 * roc_auc_accum(state internal, score float8, label [, weight float8
 *				 [, drop_intermediate boolean]] | [, bins int])
 *
 * label is a boolean, or a smallint, integer or bigint holding 0 or 1.
 * Rows with a NULL score, label or weight, or a weight of 0, are skipped.
 */
PG_FUNCTION_INFO_V1(aim_roc_auc_accum);
Datum
aim_roc_auc_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	AucState   *st;
	AimSortKey *pair;
	AucForm		form;
	int32		param;
	float8		score,
				w = 1.0;
	bool		weighted;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "roc_auc_accum called in non-aggregate context");
	st = GetState(fcinfo, 0);
	form = FormOf(fcinfo);
	param = ParamArg(fcinfo, form);
	if (param != PARAM_UNSET)
	{
		/* the parameter is kept (and checked) on rows that are skipped too */
		if (st == NULL)
			st = NewState(aggctx, param);
		else if (st->param == PARAM_UNSET)
			st->param = param;
		else if (st->param != param)
			ParamMismatch(param, st->param);
	}
	weighted = (form == FORM_WEIGHT || form == FORM_WEIGHT_DROP);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (weighted && PG_ARGISNULL(3)))
		return AimRowBufResult(fcinfo, st); /* NULL until a row counts */
	score = PG_GETARG_FLOAT8(1);
	if (isnan(score))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score must not be NaN")));
	if (weighted)
		w = WeightArg(fcinfo);
	if (w == 0.0)
	{
		(void) AimLabelArg(fcinfo, 2);	/* still an error if not 0 or 1 */
		return AimRowBufResult(fcinfo, st);
	}
	if (st == NULL)
		st = NewState(aggctx, param);
	pair = AimRowBufNext(&st->buf, aggctx);
	pair->key = OrderedBits(score);
	pair->idx = RowIdx(AimLabelArg(fcinfo, 2) != 0.0 ? 1 : 0, w);
	AimRowBufPush(&st->buf);
	PG_RETURN_POINTER(st);
}

/* An empty state with the parameter of b (for AimRowBufCombine). */
static void *
EmptyLike(MemoryContext ctx, const void *b)
{
	return NewState(ctx, ((const AucState *) b)->param);
}

/* The parameters of two partial states must agree. */
static void
CheckLike(void *a, const void *b)
{
	AucState   *sa = a;
	const AucState *sb = b;

	if (sb->param == PARAM_UNSET)
		return;
	if (sa->param == PARAM_UNSET)
		sa->param = sb->param;
	else if (sa->param != sb->param)
		ParamMismatch(sb->param, sa->param);
}

/* roc_auc_combine(internal, internal) */
PG_FUNCTION_INFO_V1(aim_roc_auc_combine);
Datum
aim_roc_auc_combine(PG_FUNCTION_ARGS)
{
	return AimRowBufCombine(fcinfo, AUC_STATE_MAGIC, "roc_auc",
							"roc_auc_combine", EmptyLike, CheckLike);
}

/* roc_auc_serialize(internal) returns bytea: n, the parameter, the pairs */
PG_FUNCTION_INFO_V1(aim_roc_auc_serialize);
Datum
aim_roc_auc_serialize(PG_FUNCTION_ARGS)
{
	AucState   *st;
	AucHeader	hdr;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "roc_auc_serialize called in non-aggregate context");
	st = GetState(fcinfo, 0);
	hdr.n = st->buf.n;
	hdr.param = st->param;
	PG_RETURN_BYTEA_P(AimRowBufSerialize(&st->buf, &hdr, sizeof(hdr)));
}

/* roc_auc_deserialize(bytea, internal) returns internal */
PG_FUNCTION_INFO_V1(aim_roc_auc_deserialize);
Datum
aim_roc_auc_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	AucState   *st;
	AucHeader	hdr;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "roc_auc_deserialize called in non-aggregate context");
	AimRowBufReadHeader(in, &hdr, sizeof(hdr), "roc_auc");
	if (hdr.param < DROP_FALSE || hdr.param == 0 || hdr.param > GAINS_MAX_BINS)
		AimInvalidState("invalid roc_auc state");
	st = NewState(CurrentMemoryContext, (int32) hdr.param);
	AimRowBufLoad(&st->buf, in, sizeof(hdr), hdr.n);
	for (int64 i = 0; i < st->buf.n; i++)
	{
		const AimSortKey *pair = AimRowBufRow(&st->buf, i);

		/* the weight: 1 (0 bits), or positive and finite */
		if (((uint64) pair->idx >> 1) >= UINT64CONST(0x7FF0000000000000))
			AimInvalidState("invalid roc_auc state");
	}
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------
 * The groups of equal scores
 * ---------------------------------------------------------------------
 */

/* qsort comparator of AimSortKey by idx, as unsigned */
static int
CompareIdx(const void *a, const void *b)
{
	uint64		x = (uint64) ((const AimSortKey *) a)->idx;
	uint64		y = (uint64) ((const AimSortKey *) b)->idx;

	return (x > y) - (x < y);
}

/*
 * Sort the rows of equal scores of keys (sorted by score) by idx, when
 * they have weights: the weights of a group are then summed in the same
 * order whatever the order of the input rows (floating-point sums depend
 * on the order), so the results do not depend on the plan.  Unweighted
 * sums are exact integers: nothing to do.
 */
static void
CanonicalTies(AimSortKey *keys, int64 n)
{
	for (int64 i = 0; i < n;)
	{
		int64		j = i + 1;
		bool		weighted = ((uint64) keys[i].idx >> 1) != 0;

		while (j < n && keys[j].key == keys[i].key)
		{
			weighted |= ((uint64) keys[j].idx >> 1) != 0;
			j++;
		}
		if (weighted && j - i > 1)
			qsort(keys + i, j - i, sizeof(AimSortKey), CompareIdx);
		i = j;
		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * The groups of the rows of st, in decreasing order of score, made in the
 * memory context of the state and kept there until rows are added (a
 * window frame grows).
 */
static AucGroups *
GetGroups(AucState *st)
{
	MemoryContext ctx = GetMemoryChunkContext(st);
	MemoryContext old;
	AucGroups  *g = st->groups;
	AimSortKey *keys;
	int64		n = st->buf.n;
	float8		tp = 0.0,
				fp = 0.0;

	if (g != NULL && g->nrows == n)
		return g;
	if (g != NULL)
	{
		pfree(g->score);
		pfree(g->tp);
		pfree(g->fp);
		pfree(g->rows);
		pfree(g);
		st->groups = NULL;
	}
	keys = AimHugeAlloc(n, sizeof(AimSortKey));
	memcpy(keys, st->buf.rows, n * sizeof(AimSortKey));
	AimRadixSort(keys, n, 64);
	CanonicalTies(keys, n);

	old = MemoryContextSwitchTo(ctx);
	g = palloc0(sizeof(AucGroups));
	g->score = AimHugeAlloc(n, sizeof(float8));
	g->tp = AimHugeAlloc(n, sizeof(float8));
	g->fp = AimHugeAlloc(n, sizeof(float8));
	g->rows = AimHugeAlloc(n, sizeof(int64));
	MemoryContextSwitchTo(old);

	/* from the highest score down; a group ends where the score changes */
	for (int64 i = n - 1; i >= 0; i--)
	{
		uint64		idx = (uint64) keys[i].idx;
		double		w = RowWeight(idx);

		if ((idx >> 1) != 0)
			g->weighted = true;
		if (idx & 1)
			tp += w;
		else
			fp += w;
		if (i == 0 || keys[i - 1].key != keys[i].key)
		{
			g->score[g->ng] = FromOrderedBits(keys[i].key);
			g->tp[g->ng] = tp;
			g->fp[g->ng] = fp;
			g->rows[g->ng] = n - i;
			g->ng++;
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(keys);
	if (isinf(tp) || isinf(fp))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the sum of the weights is out of range for type double precision")));
	/* with ties, give back the room of the rows that share a group */
	if (g->ng < n / 2)
	{
		g->score = repalloc_huge(g->score, g->ng * sizeof(float8));
		g->tp = repalloc_huge(g->tp, g->ng * sizeof(float8));
		g->fp = repalloc_huge(g->fp, g->ng * sizeof(float8));
		g->rows = repalloc_huge(g->rows, g->ng * sizeof(int64));
	}
	g->nrows = n;
	st->groups = g;
	return g;
}

/* The groups of the state in argument 0, NULL if there are no rows. */
static AucGroups *
FinalGroups(FunctionCallInfo fcinfo)
{
	AucState   *st = GetState(fcinfo, 0);

	if (st == NULL || st->buf.n == 0)
		return NULL;
	return GetGroups(st);
}

/* ---------------------------------------------------------------------
 * Arrays of composite values
 * ---------------------------------------------------------------------
 */

/*
 * An array of composite values built in place: the elements (the tuples'
 * headers and data, as composite datums are stored in arrays, each aligned
 * to a double) are appended to one buffer that becomes the array's data.
 * A row without NULLs of a type whose columns are all float8 (roc_point,
 * pr_point) is a copy of a template tuple with its values written in: the
 * layout of such a tuple does not depend on the values.
 */
typedef struct RowArray
{
	TupleDesc	desc;
	Oid			elemtype;
	HeapTuple	template;		/* all-float8 types: a row of zeros */
	char	   *data;			/* the elements */
	Size		used;
	Size		size;
	int			n;
	int			cap;
} RowArray;

/* An empty array of the composite type that the final function returns. */
static void
RowArrayInit(RowArray *ra, FunctionCallInfo fcinfo, int64 cap)
{
	Oid			arraytype = get_func_rettype(fcinfo->flinfo->fn_oid);
	bool		all_float8 = true;

	ra->elemtype = get_element_type(arraytype);
	if (!OidIsValid(ra->elemtype))
		elog(ERROR, "function %u does not return an array", fcinfo->flinfo->fn_oid);
	if (cap > INT_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many points for an array: " INT64_FORMAT, cap)));
	ra->desc = lookup_rowtype_tupdesc_copy(ra->elemtype, -1);
	for (int i = 0; i < ra->desc->natts; i++)
		if (TupleDescAttr(ra->desc, i)->atttypid != FLOAT8OID ||
			TupleDescAttr(ra->desc, i)->attisdropped)
			all_float8 = false;
	ra->template = NULL;
	if (all_float8 && ra->desc->natts > 0)
	{
		Datum	   *zeros = palloc0(ra->desc->natts * sizeof(Datum));
		bool	   *nonulls = palloc0(ra->desc->natts * sizeof(bool));

		ra->template = heap_form_tuple(ra->desc, zeros, nonulls);
	}
	ra->cap = (int) Max(cap, 1);
	ra->n = 0;
	ra->used = 0;
	ra->size = (Size) ra->cap * (ra->template ? MAXALIGN(ra->template->t_len) : 64);
	ra->data = MemoryContextAllocHuge(CurrentMemoryContext, ra->size);
}

/* Room for len more bytes at the next double-aligned offset. */
static char *
RowArrayRoom(RowArray *ra, Size len)
{
	Size		at = TYPEALIGN(ALIGNOF_DOUBLE, ra->used);

	if (at + len > ra->size)
	{
		ra->size = Max(ra->size * 2, at + len);
		ra->data = repalloc_huge(ra->data, ra->size);
	}
	ra->used = at + len;
	return ra->data + at;
}

/* Append a row of values. */
static void
RowArrayAdd(RowArray *ra, Datum *values, bool *nulls)
{
	bool		anynull = false;

	Assert(ra->n < ra->cap);
	for (int i = 0; i < ra->desc->natts; i++)
		anynull |= nulls[i];
	if (ra->template != NULL && !anynull)
	{
		uint32		len = ra->template->t_len;
		HeapTupleHeader td = (HeapTupleHeader) RowArrayRoom(ra, len);
		char	   *fields;

		memcpy(td, ra->template->t_data, len);
		fields = (char *) td + td->t_hoff;
		for (int i = 0; i < ra->desc->natts; i++)
		{
			float8		v = DatumGetFloat8(values[i]);

			memcpy(fields + i * sizeof(float8), &v, sizeof(float8));
		}
	}
	else
	{
		HeapTuple	tup = heap_form_tuple(ra->desc, values, nulls);

		memcpy(RowArrayRoom(ra, tup->t_len), tup->t_data, tup->t_len);
		heap_freetuple(tup);
	}
	ra->n++;
	if ((ra->n & 0xFFFF) == 0)
		CHECK_FOR_INTERRUPTS();
}

/* The array of the rows added (it has no NULL element). */
static Datum
RowArrayResult(RowArray *ra)
{
	Size		used = TYPEALIGN(ALIGNOF_DOUBLE, ra->used);	/* as construct_array */
	Size		nbytes = ARR_OVERHEAD_NONULLS(1) + used;
	ArrayType  *arr;

	if (!AllocSizeIsValid(nbytes))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("array size exceeds the maximum allowed (%d)",
						(int) MaxAllocSize)));
	arr = palloc0(nbytes);
	SET_VARSIZE(arr, nbytes);
	arr->ndim = 1;
	arr->dataoffset = 0;
	arr->elemtype = ra->elemtype;
	ARR_DIMS(arr)[0] = ra->n;
	ARR_LBOUND(arr)[0] = 1;
	memcpy(ARR_DATA_PTR(arr), ra->data, ra->used);
	pfree(ra->data);
	PG_RETURN_ARRAYTYPE_P(arr);
}

/* ---------------------------------------------------------------------
 * The final functions
 * ---------------------------------------------------------------------
 */

/*
 * roc_auc_final(state internal) returns float8
 *
 * NULL unless both classes occur: the area is undefined with one class
 * (scikit-learn's roc_auc_score raises "Only one class present"), and NULL,
 * as for an aggregate over no rows, lets a grouped query go on with the
 * other groups.
 */
PG_FUNCTION_INFO_V1(aim_roc_auc_final);
Datum
aim_roc_auc_final(PG_FUNCTION_ARGS)
{
	AucGroups  *g = FinalGroups(fcinfo);
	float8		pos,
				neg;

	if (g == NULL)
		PG_RETURN_NULL();
	pos = g->tp[g->ng - 1];
	neg = g->fp[g->ng - 1];
	if (pos == 0.0 || neg == 0.0)
		PG_RETURN_NULL();
	if (!g->weighted)
	{
		/* exact: twice the count of correctly ordered pairs */
		uint128		num2 = 0;
		int64		negabove = 0;

		for (int64 i = 0; i < g->ng; i++)
		{
			int64		gp = (int64) g->tp[i] - (i > 0 ? (int64) g->tp[i - 1] : 0);
			int64		gn = (int64) g->fp[i] - negabove;
			int64		negbelow = (int64) neg - (int64) g->fp[i];

			num2 += (uint128) gp * (uint128) (2 * negbelow + gn);
			negabove = (int64) g->fp[i];
		}
		PG_RETURN_FLOAT8((double) num2 / (2.0 * pos * neg));
	}
	else
	{
		/* the trapezoidal rule over the normalised curve, as auc() */
		float8		area = 0.0;
		float8		x0 = 0.0,
					y0 = 0.0;

		for (int64 i = 0; i < g->ng; i++)
		{
			float8		x = g->fp[i] / neg;
			float8		y = g->tp[i] / pos;

			area += (x - x0) * (y + y0) / 2.0;
			x0 = x;
			y0 = y;
		}
		PG_RETURN_FLOAT8(area);
	}
}

/* Whether roc_curve keeps group i (scikit-learn's drop_intermediate). */
static inline bool
RocKeep(const AucGroups *g, int64 i, bool drop)
{
	if (!drop || g->ng <= 2 || i == 0 || i == g->ng - 1)
		return true;
	/* a corner: the second difference of fps or tps is not 0 */
	return ((g->fp[i + 1] - g->fp[i]) - (g->fp[i] - g->fp[i - 1])) != 0.0 ||
		((g->tp[i + 1] - g->tp[i]) - (g->tp[i] - g->tp[i - 1])) != 0.0;
}

/*
 * roc_curve_final(state internal) returns roc_point[]
 *
 * The points (fpr, tpr, threshold) of scikit-learn's roc_curve: first
 * (0, 0, Infinity), then one per distinct score, decreasing, without the
 * points collinear with their neighbours unless drop_intermediate is false.
 * NULL unless both classes occur, as roc_auc.
 */
PG_FUNCTION_INFO_V1(aim_roc_curve_final);
Datum
aim_roc_curve_final(PG_FUNCTION_ARGS)
{
	AucState   *st = GetState(fcinfo, 0);
	AucGroups  *g = FinalGroups(fcinfo);
	bool		drop;
	float8		pos,
				neg;
	RowArray	ra;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (g == NULL)
		PG_RETURN_NULL();
	drop = st->param != DROP_FALSE;	/* true unless said otherwise */
	pos = g->tp[g->ng - 1];
	neg = g->fp[g->ng - 1];
	if (pos == 0.0 || neg == 0.0)
		PG_RETURN_NULL();
	RowArrayInit(&ra, fcinfo, g->ng + 1);
	values[0] = Float8GetDatum(0.0);
	values[1] = Float8GetDatum(0.0);
	values[2] = Float8GetDatum(get_float8_infinity());
	RowArrayAdd(&ra, values, nulls);
	for (int64 i = 0; i < g->ng; i++)
	{
		if (!RocKeep(g, i, drop))
			continue;
		values[0] = Float8GetDatum(g->fp[i] / neg);
		values[1] = Float8GetDatum(g->tp[i] / pos);
		values[2] = Float8GetDatum(g->score[i]);
		RowArrayAdd(&ra, values, nulls);
	}
	return RowArrayResult(&ra);
}

/*
 * precision_recall_final(state internal) returns pr_point[]
 *
 * The rows of scikit-learn's precision_recall_curve: one per distinct
 * score, increasing, then (1, 0, NULL).  NULL when there is no positive
 * (recall is undefined).
 */
PG_FUNCTION_INFO_V1(aim_precision_recall_final);
Datum
aim_precision_recall_final(PG_FUNCTION_ARGS)
{
	AucGroups  *g = FinalGroups(fcinfo);
	float8		pos;
	RowArray	ra;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (g == NULL || (pos = g->tp[g->ng - 1]) == 0.0)
		PG_RETURN_NULL();
	RowArrayInit(&ra, fcinfo, g->ng + 1);
	for (int64 i = g->ng - 1; i >= 0; i--)
	{
		values[0] = Float8GetDatum(g->tp[i] / (g->tp[i] + g->fp[i]));
		values[1] = Float8GetDatum(g->tp[i] / pos);
		values[2] = Float8GetDatum(g->score[i]);
		RowArrayAdd(&ra, values, nulls);
	}
	values[0] = Float8GetDatum(1.0);
	values[1] = Float8GetDatum(0.0);
	nulls[2] = true;
	RowArrayAdd(&ra, values, nulls);
	return RowArrayResult(&ra);
}

/*
 * average_precision_final(state internal) returns float8
 *
 * scikit-learn's average_precision_score: the sum over the distinct scores
 * of the increase in recall times the precision, -sum(diff(recall) *
 * precision[:-1]) on precision_recall_curve's arrays.  NULL when there is
 * no positive.
 */
PG_FUNCTION_INFO_V1(aim_average_precision_final);
Datum
aim_average_precision_final(PG_FUNCTION_ARGS)
{
	AucGroups  *g = FinalGroups(fcinfo);
	float8		pos,
				sum = 0.0;

	if (g == NULL || (pos = g->tp[g->ng - 1]) == 0.0)
		PG_RETURN_NULL();
	for (int64 i = g->ng - 1; i >= 0; i--)
	{
		float8		recall = g->tp[i] / pos;
		float8		below = i > 0 ? g->tp[i - 1] / pos : 0.0;

		sum += (below - recall) * (g->tp[i] / (g->tp[i] + g->fp[i]));
	}
	PG_RETURN_FLOAT8(-sum);
}

/* What gains_table counts in one bin. */
typedef struct GainsBin
{
	int64		customers;
	int64		positives;
	float8		min_score;
	float8		max_score;
} GainsBin;

/*
 * One row of gains_table (bin b, 0-based; cum: the bins up to b; n rows,
 * pos positives).  The lifts are (p / c) / (pos / n) computed as
 * (p n) / (c pos): one rounding of exact integer products.
 */
static void
GainsRow(RowArray *ra, int b, const GainsBin *bin, const GainsBin *cum,
		 float8 n, float8 pos)
{
	Datum		values[9];
	bool		nulls[9];
	bool		empty = bin->customers == 0;
	float8		rate = (float8) bin->positives / (float8) bin->customers;

	memset(nulls, 0, sizeof(nulls));
	values[0] = Int32GetDatum(b + 1);
	values[1] = Int64GetDatum(bin->customers);
	values[2] = Int64GetDatum(bin->positives);
	values[3] = Float8GetDatum(bin->min_score);
	values[4] = Float8GetDatum(bin->max_score);
	values[5] = Float8GetDatum(rate);
	values[6] = Float8GetDatum(((float8) bin->positives * n) / ((float8) bin->customers * pos));
	values[7] = Float8GetDatum((float8) cum->positives / pos);
	values[8] = Float8GetDatum(((float8) cum->positives * n) / ((float8) cum->customers * pos));
	/* an empty bin has no scores and no rates */
	nulls[3] = nulls[4] = nulls[5] = nulls[6] = empty;
	nulls[8] = cum->customers == 0;
	RowArrayAdd(ra, values, nulls);
}

/*
 * gains_final(state internal) returns gains_row[]
 *
 * The gains and lift table: the rows ranked by decreasing score, cut into
 * bins bins (10 by default); a row goes to bin 1 + floor(bins * h / n),
 * where h is the number of rows with a strictly higher score, so equal
 * scores share a bin, and bins can be uneven or empty when scores tie.
 * NULL when there is no positive (lift is undefined).
 */
PG_FUNCTION_INFO_V1(aim_gains_final);
Datum
aim_gains_final(PG_FUNCTION_ARGS)
{
	AucState   *st = GetState(fcinfo, 0);
	AucGroups  *g = FinalGroups(fcinfo);
	int			bins;
	int64		n;
	float8		pos;
	GainsBin   *bin,
				cum;
	RowArray	ra;

	if (g == NULL || (pos = g->tp[g->ng - 1]) == 0.0)
		PG_RETURN_NULL();
	if (g->weighted)
		AimInvalidState("gains_table: the aggregate state has weighted rows");
	bins = st->param > 0 ? st->param : 10;
	n = g->nrows;
	bin = palloc0(bins * sizeof(GainsBin));
	for (int64 i = 0; i < g->ng; i++)
	{
		int64		higher = i > 0 ? g->rows[i - 1] : 0;
		int			b = (int) (((int128) bins * higher) / n);
		int64		rows = g->rows[i] - higher;
		int64		positives = (int64) g->tp[i] - (i > 0 ? (int64) g->tp[i - 1] : 0);

		if (bin[b].customers == 0)
			bin[b].max_score = g->score[i];
		bin[b].min_score = g->score[i];
		bin[b].customers += rows;
		bin[b].positives += positives;
	}
	RowArrayInit(&ra, fcinfo, bins);
	memset(&cum, 0, sizeof(cum));
	for (int b = 0; b < bins; b++)
	{
		cum.customers += bin[b].customers;
		cum.positives += bin[b].positives;
		GainsRow(&ra, b, &bin[b], &cum, (float8) n, pos);
	}
	pfree(bin);
	return RowArrayResult(&ra);
}
