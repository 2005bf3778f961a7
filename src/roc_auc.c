/*-------------------------------------------------------------------------
 *
 * roc_auc.c
 *	  roc_auc(score, label): aggregate, the area under the ROC curve of
 *	  scores (such as churn_score's) against true labels.
 *
 * State: (score, label) pairs as sort keys, in a row buffer (rowbuf.h).
 * The final function sorts them (radix sort of the scores' order-preserving
 * bit patterns) and counts, exactly in 128-bit integers, the pairs
 * (positive, negative) ranked correctly, ties counting one half: the
 * Mann-Whitney statistic, which equals the trapezoidal area under the ROC
 * curve that scikit-learn's roc_auc_score computes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "aimarketing.h"
#include "rowbuf.h"

#define AUC_STATE_MAGIC	0x41554331	/* "AUC1" */

/* The state: rows of AimSortKey, key: ordered bits of the score; idx: label */
typedef struct AucState
{
	AimRowBuf	buf;
} AucState;

static AucState *
GetState(FunctionCallInfo fcinfo, int argno)
{
	return AimRowBufGet(fcinfo, argno, AUC_STATE_MAGIC, "roc_auc");
}

static AucState *
NewState(MemoryContext ctx)
{
	AucState   *st = MemoryContextAlloc(ctx, sizeof(AucState));

	AimRowBufInit(&st->buf, AUC_STATE_MAGIC, "roc_auc", 0, sizeof(AimSortKey));
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

/*
 * roc_auc_accum(state internal, score float8, label)
 *
 * label is a boolean, or a smallint, integer or bigint holding 0 or 1.
 */
PG_FUNCTION_INFO_V1(aim_roc_auc_accum);
Datum
aim_roc_auc_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	AucState   *st;
	AimSortKey *pair;
	float8		score;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "roc_auc_accum called in non-aggregate context");
	st = GetState(fcinfo, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return AimRowBufResult(fcinfo, st); /* NULL until a row counts */
	score = PG_GETARG_FLOAT8(1);
	if (isnan(score))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score must not be NaN")));
	if (st == NULL)
		st = NewState(aggctx);
	pair = AimRowBufNext(&st->buf, aggctx);
	pair->key = OrderedBits(score);
	pair->idx = AimLabelArg(fcinfo, 2) != 0.0 ? 1 : 0;
	AimRowBufPush(&st->buf);
	PG_RETURN_POINTER(st);
}

/* An empty state (for AimRowBufCombine). */
static void *
EmptyLike(MemoryContext ctx, const void *b)
{
	return NewState(ctx);
}

/* roc_auc_combine(internal, internal) */
PG_FUNCTION_INFO_V1(aim_roc_auc_combine);
Datum
aim_roc_auc_combine(PG_FUNCTION_ARGS)
{
	return AimRowBufCombine(fcinfo, AUC_STATE_MAGIC, "roc_auc",
							"roc_auc_combine", EmptyLike, NULL);
}

/* roc_auc_serialize(internal) returns bytea: n, then the pairs */
PG_FUNCTION_INFO_V1(aim_roc_auc_serialize);
Datum
aim_roc_auc_serialize(PG_FUNCTION_ARGS)
{
	AucState   *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "roc_auc_serialize called in non-aggregate context");
	st = GetState(fcinfo, 0);
	PG_RETURN_BYTEA_P(AimRowBufSerialize(&st->buf, &st->buf.n, sizeof(int64)));
}

/* roc_auc_deserialize(bytea, internal) returns internal */
PG_FUNCTION_INFO_V1(aim_roc_auc_deserialize);
Datum
aim_roc_auc_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	AucState   *st;
	int64		n;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "roc_auc_deserialize called in non-aggregate context");
	AimRowBufReadHeader(in, &n, sizeof(int64), "roc_auc");
	st = NewState(CurrentMemoryContext);
	AimRowBufLoad(&st->buf, in, sizeof(int64), n);
	for (int64 i = 0; i < st->buf.n; i++)
	{
		const AimSortKey *pair = AimRowBufRow(&st->buf, i);

		if (pair->idx != 0 && pair->idx != 1)
			AimInvalidState("invalid roc_auc state");
	}
	PG_RETURN_POINTER(st);
}

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
	AucState   *st = GetState(fcinfo, 0);
	AimSortKey *keys;
	int64		n;
	uint128		num2 = 0;		/* twice the count of correctly ordered pairs */
	int64		pos = 0,
				neg = 0,
				negbelow = 0;

	if (st == NULL || st->buf.n == 0)
		PG_RETURN_NULL();
	n = st->buf.n;
	keys = AimHugeAlloc(n, sizeof(AimSortKey));
	memcpy(keys, st->buf.rows, n * sizeof(AimSortKey));
	AimRadixSort(keys, n, 64);
	for (int64 i = 0; i < n;)
	{
		int64		gp = 0,
					gn = 0,
					j = i;

		while (j < n && keys[j].key == keys[i].key)
		{
			if (keys[j].idx)
				gp++;
			else
				gn++;
			j++;
		}
		num2 += (uint128) gp * (uint128) (2 * negbelow + gn);
		negbelow += gn;
		pos += gp;
		neg += gn;
		i = j;
	}
	pfree(keys);
	if (pos == 0 || neg == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) num2 / (2.0 * (double) pos * (double) neg));
}
