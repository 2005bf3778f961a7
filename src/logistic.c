/*-------------------------------------------------------------------------
 *
 * logistic.c
 *	  Churn prediction with a logistic model.
 *
 *	  churn_score(features, coefficients)		1 / (1 + exp(-(b0 + sum bi xi)))
 *	  churn_logit(features, coefficients)		b0 + sum bi xi
 *	  logistic_fit(features, label [, l2, max_iter])		aggregate: coefficients
 *	  logistic_summary(features, label [, l2] [, names])	aggregate: jsonb report
 *	  logistic_fit_weighted(features, label, weight [, l2, max_iter])
 *	  logistic_summary_weighted(features, label, weight [, l2] [, names])
 *				the same with a weight per row (scikit-learn's sample_weight,
 *				statsmodels' freq_weights)
 *
 *	  The label is a boolean, or a smallint, integer or bigint holding 0 or 1.
 *
 *	  roc_auc, which evaluates such scores, is in roc_auc.c.
 *
 * logistic_fit keeps the rows in memory (an internal state: a row buffer,
 * rowbuf.h, of d + 1 float8 per row, d + 2 with weights) and maximises
 * the (optionally L2-penalised) log-likelihood by Newton's method
 * (iteratively reweighted least squares) with step halving: each
 * iteration is one pass over the rows accumulating the gradient and the
 * Hessian, then a Cholesky solve.  Newton's method
 * converges quadratically, to full double precision in a handful of
 * iterations, which is what lets the coefficients agree with any other
 * exact solver to many digits.  The rows are put in the canonical order of
 * rowbuf.c first, so the sums, and hence the coefficients, are the same
 * bit for bit whatever the scan or parallel plan delivered.
 *
 * With weights, each row's contributions to the log-likelihood, gradient
 * and Hessian are multiplied by its weight; rows of weight 0 are not kept.
 * The weights are divided by an even power of two near the largest one
 * (so that 1e300 or 1e-300 weights neither overflow nor underflow the
 * sums; weights whose largest is in [1, 4) are left alone), which
 * divides the log-likelihood by the same power: l2 is divided by it too
 * (the same minimiser), and the log-likelihood and standard errors are
 * converted back exactly.  A weighted row is its features, label and weight, hashed
 * without the weight, so that rows of weight 1 take the canonical order of
 * the same rows unweighted: all weights 1 give the unweighted fit bit for
 * bit.
 *
 * Each feature column is divided by a power of two near its largest
 * magnitude before the fit (exactly, unless a value becomes subnormal), and
 * the coefficients and standard errors are multiplied back: the fit is
 * then the same whatever the units of a column, from 1e-300 to 1e300,
 * where the sums of the Hessian would otherwise underflow or overflow.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <limits.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

#include "aimarketing.h"
#include "rowbuf.h"

/* b0 + sum(b[i+1] * x[i]) with two accumulators. */
static inline double
LinearPredictor(const float8 *x, const float8 *b, int d)
{
	double		s0 = b[0],
				s1 = 0.0;
	int			i = 0;

	for (; i + 2 <= d; i += 2)
	{
		s0 += b[i + 1] * x[i];
		s1 += b[i + 2] * x[i + 1];
	}
	if (i < d)
		s0 += b[i + 1] * x[i];
	return s0 + s1;
}

/*
 * A double with an unbounded exponent: m * 2^e, with 0.5 <= |m| < 1 or
 * m = 0.  Used to redo the linear predictor when products overflowed.
 */
typedef struct WideDouble
{
	double		m;
	int			e;
} WideDouble;

static inline WideDouble
WideMake(double m, int e)
{
	WideDouble	w;
	int			k;

	w.m = frexp(m, &k);
	w.e = (w.m == 0.0) ? 0 : e + k;
	return w;
}

/* a + b, rounded like a double addition with no exponent limit */
static inline WideDouble
WideAdd(WideDouble a, WideDouble b)
{
	if (a.m == 0.0)
		return b;
	if (b.m == 0.0)
		return a;
	if (a.e < b.e)
	{
		WideDouble	t = a;

		a = b;
		b = t;
	}
	/* b is negligible next to a beyond 60 binary orders of magnitude */
	if (a.e - b.e > 60)
		return a;
	return WideMake(a.m + ldexp(b.m, b.e - a.e), a.e);
}

/*
 * b0 + sum(b[i+1] * x[i]) when products overflowed in both directions (the
 * fast sum was Inf - Inf = NaN).  Each product is formed as a WideDouble
 * from the frexp() mantissas (rounded as a double product would be) and
 * summed without overflow, so exactly cancelling huge terms leave the small
 * ones, as they would in double arithmetic with an unlimited exponent.
 */
static double
WideLinearPredictor(const float8 *x, const float8 *b, int d)
{
	WideDouble	acc = WideMake(b[0], 0);

	for (int i = 0; i < d; i++)
	{
		int			eb,
					ex;
		double		mb = frexp(b[i + 1], &eb),
					mx = frexp(x[i], &ex);

		acc = WideAdd(acc, WideMake(mb * mx, eb + ex));
	}
	/* back to double: overflows to +-Infinity, underflows to 0 */
	if (acc.e > DBL_MAX_EXP)
		return acc.m > 0 ? get_float8_infinity() : -get_float8_infinity();
	return ldexp(acc.m, acc.e);
}

/* Logistic function that cannot overflow for any finite or infinite z. */
static inline double
Sigmoid(double z)
{
	if (z >= 0.0)
		return 1.0 / (1.0 + exp(-z));
	else
	{
		double		e = exp(z);

		return e / (1.0 + e);
	}
}

/*
 * churn_score(features float8[], coefficients float8[]) returns float8
 *
 * coefficients holds the intercept followed by one weight per feature, the
 * layout logistic_fit() returns.  The sigmoid is evaluated in the form that
 * cannot overflow (exp of a non-positive argument only), so |z| of any size
 * gives a value in [0, 1]: exactly 1 for z > ~37, exactly 0 below ~-745.
 * An empty feature vector with a one-element coefficient array is an
 * intercept-only model.
 */
static double
ModelLinearPredictor(FunctionCallInfo fcinfo)
{
	ArrayType  *farr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *barr = PG_GETARG_ARRAYTYPE_P(1);
	const float8 *x,
			   *b;
	int			d,
				nb;
	double		z;

	x = AimVectorArg(farr, "features", &d);
	b = AimVectorArg(barr, "coefficients", &nb);
	if (nb != d + 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("coefficients array length %d does not match %d, the features array length plus one",
						nb, d + 1),
				 errdetail("The coefficients hold the intercept followed by one coefficient per feature.")));

	z = LinearPredictor(x, b, d);
	if (unlikely(!isfinite(z)))
	{
		/* Inf/NaN inputs are errors; overflow from finite ones is not */
		AimCheckFinite(farr, x, d, "features");
		AimCheckFinite(barr, b, nb, "coefficients");
		/* a partial sum may have overflowed while the total does not */
		z = WideLinearPredictor(x, b, d);
	}
	return z;
}

PG_FUNCTION_INFO_V1(aim_churn_score);
Datum
aim_churn_score(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(Sigmoid(ModelLinearPredictor(fcinfo)));
}

/*
 * churn_logit(features float8[], coefficients float8[]) returns float8
 *
 * The linear predictor z = b0 + sum bi xi (the log-odds) that churn_score
 * passes through the sigmoid: it ranks without the ties that the score's
 * saturation at exactly 1 (z above ~37) and 0 creates.  Computed without
 * spurious overflow like churn_score: +-Infinity only when z itself is
 * beyond the double range.
 */
PG_FUNCTION_INFO_V1(aim_churn_logit);
Datum
aim_churn_logit(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(ModelLinearPredictor(fcinfo));
}

/*
 * The 0/1 label of argument argno: a boolean, or a smallint, integer or
 * bigint that must be 0 or 1.  Also used by roc_auc.
 */
double
AimLabelArg(FunctionCallInfo fcinfo, int argno)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	int64		v;

	switch (type)
	{
		case BOOLOID:
			return PG_GETARG_BOOL(argno) ? 1.0 : 0.0;
		case INT2OID:
			v = PG_GETARG_INT16(argno);
			break;
		case INT4OID:
			v = PG_GETARG_INT32(argno);
			break;
		case INT8OID:
			v = PG_GETARG_INT64(argno);
			break;
		default:
			elog(ERROR, "unexpected label type %u", type);
	}
	if (v != 0 && v != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("label must be 0 or 1, not " INT64_FORMAT, v),
				 errhint("An integer label is 1 for the positive class (churned) and 0 for the negative one.")));
	return (double) v;
}

/* ---------------------------------------------------------------------
 * logistic_fit and logistic_summary: state and accumulation
 * ---------------------------------------------------------------------
 */

#define LOGIT_DEFAULT_MAX_ITER	100
#define LOGIT_MAX_FEATURES		1000

/*
 * The transition state: a row buffer (rowbuf.h) of rows of d features
 * followed by the label (0 or 1) and, for the weighted aggregates, the
 * weight (finite, > 0), and the parameters.
 */
#define LOGIT_STATE_MAGIC	0x4C4F4731	/* "LOG1" */

typedef struct LogitState
{
	AimRowBuf	buf;			/* n rows of d + 1 (+ 1 weighted) values */
	int32		d;
	bool		weighted;		/* rows carry a weight */
	int32		max_iter;
	double		l2;
	ArrayType  *names;			/* logistic_summary's term names, or NULL */
} LogitState;

/*
 * The optional arguments from argument first on (after the label, or the
 * weight), told apart by their types: l2 (float8), max_iter (int) and
 * names (text[]).
 */
static void
GetParams(FunctionCallInfo fcinfo, int first, double *l2, int32 *max_iter,
		  ArrayType **names)
{
	int			nargs = PG_NARGS();

	*l2 = 0.0;
	*max_iter = LOGIT_DEFAULT_MAX_ITER;
	*names = NULL;
	for (int i = first; i < nargs; i++)
	{
		Oid			type = get_fn_expr_argtype(fcinfo->flinfo, i);
		const char *what = type == FLOAT8OID ? "l2" :
			type == INT4OID ? "max_iter" : "names";

		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("logistic regression parameter %s must not be null",
							what)));
		if (type == FLOAT8OID)
			*l2 = PG_GETARG_FLOAT8(i);
		else if (type == INT4OID)
			*max_iter = PG_GETARG_INT32(i);
		else if (type == TEXTARRAYOID)
			*names = PG_GETARG_ARRAYTYPE_P(i);
		else
			elog(ERROR, "unexpected argument type %u", type);
	}
	if (!(*l2 >= 0.0) || isinf(*l2))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("l2 must be a finite number >= 0, not %g", *l2)));
	if (*max_iter < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_iter must be at least 1, not %d", *max_iter)));
}

/* names must be a one-dimensional text[] of d non-NULL elements */
static void
CheckNames(ArrayType *names, int d)
{
	int			n = ArrayGetNItems(ARR_NDIM(names), ARR_DIMS(names));

	if (ARR_NDIM(names) > 1 || n != d)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("names must be a one-dimensional array with one element per feature"),
				 errdetail("Features: %d; elements of names: %d; dimensions: %d.",
						   d, n, ARR_NDIM(names))));
	if (array_contains_nulls(names))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("names must not contain nulls")));
}

/* are two names arrays (NULL: none) the same? */
static bool
SameNames(const ArrayType *a, const ArrayType *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return VARSIZE(a) == VARSIZE(b) && memcmp(a, b, VARSIZE(a)) == 0;
}

static void
CheckSame(const LogitState *st, int d, double l2, int32 max_iter,
		  const ArrayType *names, bool weighted)
{
	/* only a user aggregate pairing the support functions wrongly */
	if (weighted != st->weighted)
		AimInvalidState("logistic regression: weighted and unweighted states cannot be combined");
	AimCheckFeatureCount(d, st->d);
	if (l2 != st->l2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic regression parameter l2 must be the same for every row"),
				 errdetail("Earlier rows had l2 = %s, this row has l2 = %s.",
						   float8out_internal(st->l2), float8out_internal(l2))));
	if (max_iter != st->max_iter)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic regression parameter max_iter must be the same for every row"),
				 errdetail("Earlier rows had max_iter = %d, this row has max_iter = %d.",
						   st->max_iter, max_iter)));
	if (!SameNames(st->names, names))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic regression parameter names must be the same for every row")));
}

static LogitState *
GetState(FunctionCallInfo fcinfo, int argno)
{
	return AimRowBufGet(fcinfo, argno, LOGIT_STATE_MAGIC, "logistic regression");
}

static LogitState *
NewState(MemoryContext ctx, int d, double l2, int32 max_iter,
		 const ArrayType *names, bool weighted)
{
	LogitState *st = MemoryContextAlloc(ctx, sizeof(LogitState));

	AimRowBufInit(&st->buf, LOGIT_STATE_MAGIC, "logistic regression",
				  d + 1 + (weighted ? 1 : 0), 0);
	/* the weight is not hashed: see the head of the file */
	AimRowBufSetHashWidth(&st->buf, d + 1);
	st->d = d;
	st->weighted = weighted;
	st->l2 = l2;
	st->max_iter = max_iter;
	st->names = NULL;
	if (names != NULL)
	{
		st->names = MemoryContextAlloc(ctx, VARSIZE(names));
		memcpy(st->names, names, VARSIZE(names));
	}
	return st;
}

/*
 * The weight of a weighted row (argument 3): a finite number >= 0, else
 * error 22023.
 */
static double
WeightArg(FunctionCallInfo fcinfo)
{
	double		w = PG_GETARG_FLOAT8(3);

	if (!(w >= 0.0) || isinf(w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be a finite number >= 0, not %s",
						float8out_internal(w)),
				 errhint("A row of weight 0 is left out of the fit; a row with a NULL weight is skipped.")));
	return w;
}

/*
 * The transition functions, unweighted (the parameters from argument 3
 * on) and weighted (the weight in argument 3, the parameters from 4 on).
 * Rows with NULL features, label or weight are skipped, and so are rows of
 * weight 0, before their features and label are read.
 */
static Datum
LogitAccum(FunctionCallInfo fcinfo, bool weighted)
{
	MemoryContext aggctx;
	LogitState *st;
	ArrayType  *farr;
	const float8 *x;
	float8	   *row;
	double		l2;
	int32		max_iter;
	ArrayType  *names;
	double		label,
				weight = 1.0;
	int			d;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in non-aggregate context",
			 weighted ? "logistic_weighted_accum" : "logistic_accum");
	st = GetState(fcinfo, 0);
	GetParams(fcinfo, weighted ? 4 : 3, &l2, &max_iter, &names);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (weighted && PG_ARGISNULL(3)))
		return AimRowBufResult(fcinfo, st); /* NULL until a row counts */
	if (weighted && (weight = WeightArg(fcinfo)) == 0.0)
		return AimRowBufResult(fcinfo, st);
	label = AimLabelArg(fcinfo, 2);

	/* fast path: copy straight from the (packed) datum into the buffer */
	row = st != NULL ? AimRowBufRoom(&st->buf) : NULL;
	if (row != NULL &&
		AimVectorCopyPacked(PG_GETARG_DATUM(1), row, st->d, &d) && d == st->d)
		CheckSame(st, d, l2, max_iter, names, weighted);
	else
	{
		farr = PG_GETARG_ARRAYTYPE_P(1);
		x = AimVectorArg(farr, "features", &d);
		AimCheckFinite(farr, x, d, "features");
		if (d > LOGIT_MAX_FEATURES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("logistic regression supports at most %d features, not %d",
							LOGIT_MAX_FEATURES, d)));
		if (st == NULL)
		{
			if (names != NULL)
				CheckNames(names, d);
			st = NewState(aggctx, d, l2, max_iter, names, weighted);
		}
		else
			CheckSame(st, d, l2, max_iter, names, weighted);
		row = AimRowBufNext(&st->buf, aggctx);
		if (d > 0)
			memcpy(row, x, d * sizeof(float8));
	}
	row[d] = label;
	if (weighted)
		row[d + 1] = weight;
	AimRowBufPush(&st->buf);
	PG_RETURN_POINTER(st);
}

/*
 * logistic_accum(state internal, features float8[], label
 *				  [, l2 float8 [, max_iter int]] [, names text[]])
 *
 * label is a boolean, smallint, integer or bigint.
 */
PG_FUNCTION_INFO_V1(aim_logistic_accum);
Datum
aim_logistic_accum(PG_FUNCTION_ARGS)
{
	return LogitAccum(fcinfo, false);
}

/*
 * logistic_weighted_accum(state internal, features float8[], label,
 *						   weight float8 [, l2 float8 [, max_iter int]]
 *						   [, names text[]])
 */
PG_FUNCTION_INFO_V1(aim_logistic_weighted_accum);
Datum
aim_logistic_weighted_accum(PG_FUNCTION_ARGS)
{
	return LogitAccum(fcinfo, true);
}

/* An empty state with the parameters of b (for AimRowBufCombine). */
static void *
EmptyLike(MemoryContext ctx, const void *b)
{
	const LogitState *sb = b;

	return NewState(ctx, sb->d, sb->l2, sb->max_iter, sb->names,
					sb->weighted);
}

/* b's parameters must be a's (for AimRowBufCombine). */
static void
CheckLike(void *a, const void *b)
{
	const LogitState *sb = b;

	CheckSame(a, sb->d, sb->l2, sb->max_iter, sb->names, sb->weighted);
}

/* logistic_combine(internal, internal) */
PG_FUNCTION_INFO_V1(aim_logistic_combine);
Datum
aim_logistic_combine(PG_FUNCTION_ARGS)
{
	return AimRowBufCombine(fcinfo, LOGIT_STATE_MAGIC, "logistic regression",
							"logistic_combine", EmptyLike, CheckLike);
}

/*
 * Serialised form: this header, then names_len bytes of the names array
 * (0: none), then n * (d + 1 + weighted) float8s.  weighted was a zero pad
 * before the weighted aggregates: unweighted states are serialised as
 * they were.
 */
typedef struct LogitSerial
{
	int32		d;
	int32		max_iter;
	double		l2;
	int64		n;
	int32		names_len;
	int32		weighted;		/* 1: rows end with a weight, else 0 */
} LogitSerial;

/* logistic_serialize(internal) returns bytea */
PG_FUNCTION_INFO_V1(aim_logistic_serialize);
Datum
aim_logistic_serialize(PG_FUNCTION_ARGS)
{
	LogitState *st;
	LogitSerial hdr;
	char	   *head;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "logistic_serialize called in non-aggregate context");
	st = GetState(fcinfo, 0);
	memset(&hdr, 0, sizeof(hdr));
	hdr.d = st->d;
	hdr.max_iter = st->max_iter;
	hdr.l2 = st->l2;
	hdr.n = st->buf.n;
	hdr.weighted = st->weighted ? 1 : 0;
	hdr.names_len = st->names ? VARSIZE(st->names) : 0;
	head = palloc(sizeof(hdr) + hdr.names_len);
	memcpy(head, &hdr, sizeof(hdr));
	if (st->names)
		memcpy(head + sizeof(hdr), st->names, hdr.names_len);
	PG_RETURN_BYTEA_P(AimRowBufSerialize(&st->buf, head,
										 sizeof(hdr) + hdr.names_len));
}

/* logistic_deserialize(bytea, internal) returns internal */
PG_FUNCTION_INFO_V1(aim_logistic_deserialize);
Datum
aim_logistic_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	LogitSerial hdr;
	LogitState *st;
	ArrayType  *names = NULL;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "logistic_deserialize called in non-aggregate context");
	AimRowBufReadHeader(in, &hdr, sizeof(hdr), "logistic regression");
	if (hdr.d < 0 || hdr.d > LOGIT_MAX_FEATURES ||
		hdr.max_iter < 1 || !(hdr.l2 >= 0.0) || isinf(hdr.l2) ||
		hdr.names_len < 0 || (hdr.weighted != 0 && hdr.weighted != 1) ||
		(Size) hdr.names_len > VARSIZE_ANY_EXHDR(in) - sizeof(hdr))
		AimInvalidState("invalid logistic regression state");
	if (hdr.names_len > 0)
	{
		names = palloc(hdr.names_len);
		memcpy(names, VARDATA_ANY(in) + sizeof(hdr), hdr.names_len);
		if ((Size) hdr.names_len < sizeof(ArrayType) ||
			VARSIZE(names) != (Size) hdr.names_len ||
			ARR_ELEMTYPE(names) != TEXTOID || ARR_NDIM(names) != 1 ||
			ARR_HASNULL(names) || ARR_DIMS(names)[0] != hdr.d)
			AimInvalidState("invalid logistic regression state");
	}
	st = NewState(CurrentMemoryContext, hdr.d, hdr.l2, hdr.max_iter, names,
				  hdr.weighted == 1);
	AimRowBufLoad(&st->buf, in, sizeof(hdr) + hdr.names_len, hdr.n);

	/*
	 * LogitAccum stores finite features, a 0/1 label and a finite weight >
	 * 0
	 */
	for (int64 r = 0; r < st->buf.n; r++)
	{
		const float8 *row = AimRowBufRow(&st->buf, r);

		for (int j = 0; j < hdr.d; j++)
			if (!isfinite(row[j]))
				AimInvalidState("invalid logistic regression state");
		if (row[hdr.d] != 0.0 && row[hdr.d] != 1.0)
			AimInvalidState("invalid logistic regression state");
		if (st->weighted && !(row[hdr.d + 1] > 0.0 && isfinite(row[hdr.d + 1])))
			AimInvalidState("invalid logistic regression state");
	}
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------
 * logistic regression: Newton's method
 * ---------------------------------------------------------------------
 */

/* The result of a fit. */
typedef struct LogitFit
{
	int			p;				/* d + 1 parameters, intercept first */
	double	   *beta;
	double	   *hess;			/* p x lda negative Hessian at beta (penalised) */
	int			lda;			/* row stride of hess */
	double		loglik;			/* unpenalised log-likelihood at beta */
	int		   *scale_exp;		/* feature j + 1 was divided by
								 * 2^scale_exp[j + 1] (beta and hess are of
								 * the scaled problem); [0] = 0 */
	bool	   *constant;		/* [j + 1]: feature j + 1 is constant */
	int			iterations;
	bool		converged;
	int64		n;
	int64		positives;
	int			weight_exp;		/* weights were divided by 2^weight_exp (even):
								 * loglik is of the original weights, hess of
								 * the divided ones */
	double		weight_sum;		/* sum of the weights (weighted fits) */
	double		positive_weight;	/* sum of the weights of label 1 */
} LogitFit;

/* The rows of a fit, in canonical order. */
typedef struct LogitRows
{
	const float8 *rows;			/* n rows of d features, the label and (if
								 * weighted) the weight */
	int64		n;
	int			d;
	bool		weighted;
} LogitRows;

/*
 * One pass over the rows at beta: log-likelihood, gradient g (p values)
 * and negative Hessian h (p x pp row-major, pp = p rounded up to a multiple
 * of 4) of the unpenalised log-likelihood.  Row i of h is accumulated from
 * column i rounded down to a multiple of 4, which covers the upper
 * triangle that Cholesky() reads, with fixed-length aligned loops that
 * vectorise; rows are taken four at a time so that each load and store of
 * h serves four rows.  Returns the largest |y - prob| (0: a perfect fit).
 *
 * The log-likelihood sum(y z - log(1 + e^z)) reuses the sigmoid's
 * e = exp(-|z|): log(1 + e^z) = max(z, 0) + log(1 + e), and the logs are
 * taken of products of 16 factors 1 + e (each in [1, 2], so no overflow),
 * one log call per 16 rows.
 *
 * A weighted row's contributions are multiplied by its weight wi; log(1 +
 * e) of a row of weight other than 1 is summed as wi log1p(e) on its own
 * (so rows of weight 1 are summed exactly as without weights).  log1p, not
 * log(1 + e): a row far on the wrong side (e below the double epsilon)
 * still adds wi e, which decides the optimum when weights differ by many
 * orders of magnitude (1 + e would round to 1, the objective would stop
 * following the gradient and the step halving would stall).
 */
AIM_CLONES
static double
LogitPass(const LogitRows *rs, int pp, const double *beta,
		  double *loglik, double *g, double *h)
{
	const float8 *rows = rs->rows;
	int64		n = rs->n;
	int			d = rs->d;
	bool		weighted = rs->weighted;
	int			p = d + 1;
	int			stride = weighted ? d + 2 : d + 1;
	double		lin = 0.0,
				logs = 0.0,
				wlogs = 0.0,
				prod = 1.0,
				maxres = 0.0;
	double		xt[4][LOGIT_MAX_FEATURES + 4];
	double		v[4][LOGIT_MAX_FEATURES + 4];
	int64		r = 0;
	int64		cmask = 4;

	memset(g, 0, p * sizeof(double));
	memset(h, 0, (size_t) p * pp * sizeof(double));
	memset(xt, 0, sizeof(xt));
	memset(v, 0, sizeof(v));

	/* check for interrupts about every 2^22 multiply-adds */
	while (cmask < 65536 && cmask * p * p < (INT64CONST(1) << 22))
		cmask <<= 1;
	cmask--;

	while (r < n)
	{
		int			m = (n - r >= 4) ? 4 : (int) (n - r);

		if ((r & cmask) < 4)
			CHECK_FOR_INTERRUPTS();
		for (int b = 0; b < m; b++, r++)
		{
			const float8 *x = rows + (size_t) r * stride;
			double		y = x[d];
			double		wi = weighted ? x[d + 1] : 1.0;
			double		z = beta[0],
						e,
						prob,
						res,
						wt;

			xt[b][0] = 1.0;
			for (int j = 0; j < d; j++)
			{
				xt[b][j + 1] = x[j];
				z += beta[j + 1] * x[j];
			}
			e = exp(-fabs(z));
			prob = (z >= 0.0) ? 1.0 / (1.0 + e) : e / (1.0 + e);
			res = y - prob;
			wt = wi * (prob * (1.0 - prob));
			lin += wi * (y * z - (z > 0.0 ? z : 0.0));
			if (wi == 1.0)
				prod *= 1.0 + e;
			else
				wlogs += wi * log1p(e);
			if ((r & 15) == 15)
			{
				logs += log(prod);
				prod = 1.0;
			}
			maxres = Max(maxres, fabs(res));
			res *= wi;
			for (int j = 0; j < p; j++)
			{
				g[j] += res * xt[b][j];
				v[b][j] = wt * xt[b][j];
			}
		}
		if (m == 4)
		{
			for (int i = 0; i < p; i++)
			{
				double		v0 = v[0][i],
							v1 = v[1][i],
							v2 = v[2][i],
							v3 = v[3][i];
				double	   *hrow = h + (size_t) i * pp;

				for (int j = i & ~3; j < pp; j++)
					hrow[j] += (v0 * xt[0][j] + v1 * xt[1][j]) +
						(v2 * xt[2][j] + v3 * xt[3][j]);
			}
		}
		else
		{
			for (int b = 0; b < m; b++)
				for (int i = 0; i < p; i++)
				{
					double	   *hrow = h + (size_t) i * pp;

					for (int j = i & ~3; j < pp; j++)
						hrow[j] += v[b][i] * xt[b][j];
				}
		}
	}
	*loglik = lin - (logs + log(prod)) - wlogs;
	return maxres;
}

/*
 * Cholesky factorisation of the symmetric p x p matrix a (row stride lda,
 * upper triangle used) into l (p x p, lower triangular).  Returns -1 on
 * success, else the index of the first pivot that is not positive enough.
 */
static int
Cholesky(const double *a, int lda, double *l, int p)
{
	memset(l, 0, (size_t) p * p * sizeof(double));
	for (int j = 0; j < p; j++)
	{
		double		s = a[(size_t) j * lda + j];

		CHECK_FOR_INTERRUPTS();
		for (int k = 0; k < j; k++)
			s -= l[(size_t) j * p + k] * l[(size_t) j * p + k];

		/*
		 * The pivot is what is left of column j's diagonal once the columns
		 * before it are projected out: relative to that diagonal it does
		 * not depend on the column's scale (money in cents, timestamps).
		 */
		if (!(s > 1e-13 * a[(size_t) j * lda + j]) || !isfinite(s))
			return j;
		l[(size_t) j * p + j] = sqrt(s);
		for (int i = j + 1; i < p; i++)
		{
			double		t = a[(size_t) j * lda + i];	/* upper triangle */

			for (int k = 0; k < j; k++)
				t -= l[(size_t) i * p + k] * l[(size_t) j * p + k];
			l[(size_t) i * p + j] = t / l[(size_t) j * p + j];
		}
	}
	return -1;
}

/* Solve L L' x = b in place. */
static void
CholeskySolve(const double *l, int p, double *b)
{
	CHECK_FOR_INTERRUPTS();
	for (int i = 0; i < p; i++)
	{
		double		s = b[i];

		for (int k = 0; k < i; k++)
			s -= l[(size_t) i * p + k] * b[k];
		b[i] = s / l[(size_t) i * p + i];
	}
	for (int i = p - 1; i >= 0; i--)
	{
		double		s = b[i];

		for (int k = i + 1; k < p; k++)
			s -= l[(size_t) k * p + i] * b[k];
		b[i] = s / l[(size_t) i * p + i];
	}
}

static void
ReportSingular(int pivot, double l2, const bool *constant)
{
	if (pivot == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("logistic regression cannot be fitted: the intercept is not identifiable"),
				 errdetail("The fitted probabilities are all 0 or 1.")));
	if (constant[pivot])
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("logistic regression cannot be fitted: the design matrix is singular"),
				 errdetail("Feature %d is constant: its effect cannot be told apart from the intercept's.",
						   pivot),
				 l2 > 0.0 ? 0 :
				 errhint("Remove the feature, or add an L2 penalty: logistic_fit(features, label, 1.0).")));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("logistic regression cannot be fitted: the design matrix is singular"),
			 errdetail("Feature %d is a linear combination of the intercept and the features before it, or the fitted probabilities are all 0 or 1.",
					   pivot),
			 l2 > 0.0 ? 0 :
			 errhint("Remove the feature, or add an L2 penalty: logistic_fit(features, label, 1.0).")));
}

/* The largest move of a coefficient by step, relative to its size. */
static double
RelativeStep(const double *step, const double *beta, int p)
{
	double		rel = 0.0;

	for (int j = 0; j < p; j++)
		rel = Max(rel, fabs(step[j]) / (1.0 + fabs(beta[j])));
	return rel;
}

/*
 * Step halving: the first trial = beta + t step, t = 1, 1/2, 1/4, ... (at
 * most 40 halvings), whose penalised objective does not fall below obj.
 * Returns that objective; *ll, g and h receive the log-likelihood, gradient
 * and negative Hessian at trial (LogitPass), *t the step scale and *maxres
 * LogitPass's largest residual.
 */
static double
StepHalving(const LogitRows *rs, int pp, const double *l2,
			const double *beta, const double *step, double obj,
			double *trial, double *ll, double *g, double *h, double *t,
			double *maxres)
{
	int			p = rs->d + 1;
	double		newobj;

	for (int halvings = 0;; halvings++)
	{
		double		pen = 0.0;

		for (int j = 0; j < p; j++)
			trial[j] = beta[j] + *t * step[j];
		*maxres = LogitPass(rs, pp, trial, ll, g, h);
		for (int j = 1; j < p; j++)
			pen += l2[j] * trial[j] * trial[j];
		newobj = *ll - 0.5 * pen;
		if (newobj >= obj - 1e-12 * fabs(obj) || halvings >= 40)
			return newobj;
		*t *= 0.5;
	}
}

/*
 * Fit by Newton's method with step halving.  rows are in canonical order.
 * Penalty: sum over j >= 1 of (l2[j] / 2) * beta[j]^2 subtracted from the
 * log-likelihood (l2[j] is the user's l2 rescaled for column j's scale);
 * l2_user is the user's, for the messages.
 */
static void
LogitNewton(const LogitRows *rs, const double *l2, double l2_user,
			int max_iter, LogitFit *fit)
{
	int			p = rs->d + 1;
	double	   *beta = palloc0(p * sizeof(double));
	double	   *trial = palloc(p * sizeof(double));
	double	   *step = palloc(p * sizeof(double));
	double	   *g = palloc(p * sizeof(double));
	int			pp = (p + 3) & ~3;
	double	   *h = palloc((size_t) p * pp * sizeof(double));
	double	   *l = palloc((size_t) p * p * sizeof(double));
	double		ll,
				obj,
				maxres;
	int			iter = 0;
	bool		converged = false;

	maxres = LogitPass(rs, pp, beta, &ll, g, h);
	obj = ll;
	for (;;)
	{
		int			pivot;
		double		t = 1.0,
					newobj = 0.0,
					newll = 0.0;

		/* penalised gradient and negative Hessian at beta */
		for (int j = 1; j < p; j++)
		{
			g[j] -= l2[j] * beta[j];
			h[(size_t) j * pp + j] += l2[j];
		}
		if (l2_user == 0.0 && maxres < 1e-12)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("logistic regression does not converge: the classes are perfectly separable"),
					 errdetail("Some coefficients grow without bound; after %d iterations every row is classified with probability 1.",
							   iter),
					 errhint("Add an L2 penalty: logistic_fit(features, label, 1.0).")));
		pivot = Cholesky(h, pp, l, p);
		if (pivot >= 0)
			ReportSingular(pivot, l2_user, fit->constant);
		if (iter >= max_iter)
			break;

		memcpy(step, g, p * sizeof(double));
		CholeskySolve(l, p, step);

		/*
		 * Converged when the Newton step no longer moves any coefficient by
		 * more than 1e-9 of its size: Newton's method converges
		 * quadratically, so after taking this step the error is of the order
		 * of its square, below the rounding of the sums.  The step is taken
		 * without evaluating the objective again; g and h stay those of the
		 * previous point, within that same relative error.
		 */
		{
			double		rel = RelativeStep(step, beta, p);

			if (rel <= 1e-9)
			{
				for (int j = 0; j < p; j++)
					beta[j] += step[j];
				iter++;
				converged = true;
				if (aim_progress)
					ereport(NOTICE,
							(errmsg("logistic regression iteration %d: converged, last relative step %g",
									iter, rel)));
				break;
			}
		}

		newobj = StepHalving(rs, pp, l2, beta, step, obj, trial,
							 &newll, g, h, &t, &maxres);
		iter++;
		memcpy(beta, trial, p * sizeof(double));
		ll = newll;
		obj = newobj;
		if (aim_progress)
			ereport(NOTICE,
					(errmsg("logistic regression iteration %d: log-likelihood %.17g, step scale %g",
							iter, ldexp(ll, fit->weight_exp), t)));
	}

	if (!converged)
	{
		/* h holds the penalised Hessian at beta (added above) */
		ereport(WARNING,
				(errcode(ERRCODE_WARNING),
				 errmsg("logistic regression did not converge in %d iterations", max_iter),
				 errhint("Raise max_iter; if the coefficients keep growing, the classes may be separable: add an L2 penalty.")));
	}
	fit->p = p;
	fit->lda = pp;
	fit->beta = beta;
	fit->hess = h;
	fit->loglik = ll;
	fit->iterations = iter;
	fit->converged = converged;
}

/*
 * Coefficient j of the fit in the units of the feature (or the standard
 * error, err = true): beyond the double range only when the feature's
 * values are so small that the coefficient itself is not a double.
 */
static double
Unscale(const LogitFit *fit, int j, double v, bool err)
{
	double		r = ldexp(v, -fit->scale_exp[j]);

	if (isinf(r) && isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("logistic regression %s of feature %d is out of range for type double precision",
						err ? "standard error" : "coefficient", j),
				 errdetail("The feature's values are too small (at most %g in magnitude) for its coefficient to be a double.",
						   ldexp(1.0, fit->scale_exp[j])),
				 errhint("Multiply the feature by a power of ten.")));
	return r;
}

/*
 * Weighted rows: divide the weights by 2^e, e the even number at or below
 * the exponent of the largest weight, so that the largest is in [1, 4)
 * (e = 0 when it already is: all weights 1 are left alone); set
 * fit->weight_exp to e and the sums of the weights.  See the head of the
 * file.
 */
static void
ScaleWeights(float8 *rows, int64 n, int d, LogitFit *fit)
{
	double		maxw = 0.0,
				sum = 0.0,
				possum = 0.0;
	int			e;

	for (int64 r = 0; r < n; r++)
		maxw = Max(maxw, rows[(size_t) r * (d + 2) + d + 1]);
	/* the even number at or below the exponent (maxw > 0: no row has 0) */
	e = 2 * (int) floor(ilogb(maxw) / 2.0);
	for (int64 r = 0; r < n; r++)
	{
		float8	   *x = rows + (size_t) r * (d + 2);

		x[d + 1] = ldexp(x[d + 1], -e);
		sum += x[d + 1];
		if (x[d] != 0.0)
			possum += x[d + 1];
	}
	fit->weight_exp = e;
	fit->weight_sum = ldexp(sum, e);
	fit->positive_weight = ldexp(possum, e);
}

/* Common part of the final functions: canonical order, checks, the fit. */
static bool
LogitFinal(FunctionCallInfo fcinfo, LogitFit *fit)
{
	LogitState *st = GetState(fcinfo, 0);
	float8	   *rows;
	int64		n,
				ndistinct,
				pos = 0;
	int			d;
	int			p;
	int			stride;
	double	   *l2;
	double	   *maxabs;
	LogitRows	rs;

	if (st == NULL || st->buf.n == 0)
		return false;
	n = st->buf.n;
	d = st->d;
	p = d + 1;
	stride = st->weighted ? d + 2 : d + 1;
	rows = AimRowBufCanonical(&st->buf, &ndistinct);

	/*
	 * Scale: column j is divided by 2^e, e the exponent of its largest
	 * magnitude (frexp), so that its values are within (-1, 1); the penalty
	 * on the scaled coefficient b_j 2^e is l2 / 2^(2e), the same penalty
	 * on b_j (capped where it overflows, which forces a column of values
	 * below ~1e-150 to a zero coefficient, as the penalty does anyway).
	 * Weights divided by 2^weight_exp divide the log-likelihood by it: l2
	 * is divided by it too.
	 */
	fit->scale_exp = palloc0(sizeof(int) * p);
	fit->constant = palloc0(sizeof(bool) * p);
	fit->weight_exp = 0;
	fit->weight_sum = (double) n;
	fit->positive_weight = 0.0;
	if (st->weighted)
		ScaleWeights(rows, n, d, fit);
	l2 = palloc0(sizeof(double) * p);
	maxabs = palloc0(sizeof(double) * p);
	for (int j = 0; j < d; j++)
		fit->constant[j + 1] = true;
	for (int64 r = 0; r < n; r++)
	{
		const float8 *x = rows + (size_t) r * stride;

		for (int j = 0; j < d; j++)
		{
			maxabs[j + 1] = Max(maxabs[j + 1], fabs(x[j]));
			if (x[j] != rows[j])
				fit->constant[j + 1] = false;
		}
	}
	for (int j = 1; j < p; j++)
	{
		int			e = 0;

		if (maxabs[j] > 0.0)
			(void) frexp(maxabs[j], &e);
		fit->scale_exp[j] = e;
		l2[j] = Min(ldexp(st->l2, -2 * e - fit->weight_exp), 1e300);
	}
	for (int64 r = 0; r < n; r++)
	{
		float8	   *x = rows + (size_t) r * stride;

		for (int j = 0; j < d; j++)
			x[j] = ldexp(x[j], -fit->scale_exp[j + 1]);
	}

	for (int64 r = 0; r < n; r++)
		pos += rows[(size_t) r * stride + d] != 0.0;
	if (pos == 0 || pos == n)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("logistic regression needs rows of both classes"),
				 errdetail_plural("%d row has label %s.",
								  "All %d rows have label %s.",
								  (unsigned long) Min(n, INT_MAX),
								  (int) Min(n, INT_MAX),
								  pos == 0 ? "false" : "true")));
	rs.rows = rows;
	rs.n = n;
	rs.d = d;
	rs.weighted = st->weighted;
	LogitNewton(&rs, l2, st->l2, st->max_iter, fit);
	fit->loglik = ldexp(fit->loglik, fit->weight_exp);
	fit->n = n;
	fit->positives = pos;
	if (!st->weighted)
		fit->positive_weight = (double) pos;
	pfree(rows);
	pfree(l2);
	pfree(maxabs);
	return true;
}

/*
 * logistic_final(state internal) returns float8[]
 *
 * The coefficients, intercept first: the layout churn_score() takes.
 * NULL when no row had both features and a label.
 */
PG_FUNCTION_INFO_V1(aim_logistic_final);
Datum
aim_logistic_final(PG_FUNCTION_ARGS)
{
	LogitFit	fit;
	Datum	   *elems;

	if (!LogitFinal(fcinfo, &fit))
		PG_RETURN_NULL();
	elems = palloc(fit.p * sizeof(Datum));
	for (int j = 0; j < fit.p; j++)
		elems[j] = Float8GetDatum(Unscale(&fit, j, fit.beta[j], false));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, fit.p, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * logistic_summary_final(state internal) returns jsonb
 *
 * Per term: coefficient, standard error (square root of the diagonal of the
 * inverse of the negative Hessian of the log-likelihood at the optimum, as
 * statsmodels' Logit reports; with l2 > 0, of the penalised Hessian), z,
 * two-sided p-value from the normal distribution, odds ratio.  Also n,
 * positives, iterations, converged, log-likelihood, AIC and l2; weighted:
 * weight_sum and positive_weight (n and positives count rows of weight >
 * 0).  With weights the standard errors are statsmodels' GLM(...,
 * freq_weights=w): the Hessian sums each row's term times its weight.
 */
PG_FUNCTION_INFO_V1(aim_logistic_summary_final);
Datum
aim_logistic_summary_final(PG_FUNCTION_ARGS)
{
	LogitState *st = GetState(fcinfo, 0);
	LogitFit	fit;
	StringInfoData buf;
	double	   *l,
			   *e;
	int			p;
	Datum	   *names = NULL;
	int			nnames = 0;

	if (!LogitFinal(fcinfo, &fit))
		PG_RETURN_NULL();
	p = fit.p;
	l = palloc((size_t) p * p * sizeof(double));
	e = palloc(p * sizeof(double));
	{
		int			pivot = Cholesky(fit.hess, fit.lda, l, p);

		if (pivot >= 0)
			ReportSingular(pivot, st->l2, fit.constant);
	}
	if (st->names != NULL)
		deconstruct_array(st->names, TEXTOID, -1, false, TYPALIGN_INT,
						  &names, NULL, &nnames);

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"n\": " INT64_FORMAT ", \"positives\": " INT64_FORMAT
					 ", \"iterations\": %d, \"converged\": %s, \"l2\": ",
					 fit.n, fit.positives, fit.iterations,
					 fit.converged ? "true" : "false");
	AimJsonNumber(&buf, NULL, st->l2);
	if (st->weighted)
	{
		appendStringInfoString(&buf, ", \"weight_sum\": ");
		AimJsonNumber(&buf, NULL, fit.weight_sum);
		appendStringInfoString(&buf, ", \"positive_weight\": ");
		AimJsonNumber(&buf, NULL, fit.positive_weight);
	}
	appendStringInfoString(&buf, ", \"log_likelihood\": ");
	AimJsonNumber(&buf, NULL, fit.loglik);
	appendStringInfoString(&buf, ", \"aic\": ");
	AimJsonNumber(&buf, NULL, 2.0 * p - 2.0 * fit.loglik);
	appendStringInfoString(&buf, ", \"terms\": [");
	for (int j = 0; j < p; j++)
	{
		double		se,
					z,
					b;

		/* column j of the inverse: solve H e = unit vector j */
		memset(e, 0, p * sizeof(double));
		e[j] = 1.0;
		CholeskySolve(l, p, e);
		/* of the weights as given (fit.hess is of the divided weights) */
		se = ldexp(sqrt(e[j]), -fit.weight_exp / 2);
		z = fit.beta[j] / se;
		/* back to the units of the feature */
		b = Unscale(&fit, j, fit.beta[j], false);
		se = Unscale(&fit, j, se, true);
		if (j == 0)
			appendStringInfoString(&buf, "{\"term\": \"intercept\"");
		else if (j <= nnames)
		{
			appendStringInfoString(&buf, ", {\"term\": ");
			escape_json(&buf, TextDatumGetCString(names[j - 1]));
		}
		else
			appendStringInfo(&buf, ", {\"term\": \"x%d\"", j);
		appendStringInfoString(&buf, ", \"coefficient\": ");
		AimJsonNumber(&buf, NULL, b);
		appendStringInfoString(&buf, ", \"std_error\": ");
		AimJsonNumber(&buf, NULL, se);
		appendStringInfoString(&buf, ", \"z\": ");
		AimJsonNumber(&buf, NULL, z);
		appendStringInfoString(&buf, ", \"p_value\": ");
		AimJsonNumber(&buf, NULL, erfc(fabs(z) / M_SQRT2));
		appendStringInfoString(&buf, ", \"odds_ratio\": ");
		AimJsonNumber(&buf, NULL, exp(b));
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
