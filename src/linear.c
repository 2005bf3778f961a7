/*-------------------------------------------------------------------------
 *
 * linear.c
 *	  Linear regression: ordinary least squares and ridge.
 *
 *	  linear_fit(features, y [, l2])				aggregate: coefficients
 *	  linear_summary(features, y [, l2 [, names]])	aggregate: jsonb report
 *
 *	  linear_predict(features, coefficients), b0 + sum bi xi, is
 *	  churn_logit's C function (logistic.c): the same linear predictor.
 *
 * The state is an ordinary float8[] of co-moments, as core's regr_* keep:
 * the row count, the means of the d features and of y, and the centred
 * cross-products of (x1 .. xd, y), updated one row at a time (Welford's
 * update, in blocks of LINEAR_BLOCK rows merged into the running moments)
 * and merged with Chan's formula in the combine function.  An
 * ordinary-type state needs no serialisation, so partial aggregates travel
 * between parallel workers, and Citus pushes the aggregate down to its
 * workers.  Raw sums of products would be cheaper per row but lose the
 * digits of the centred moments to cancellation wherever means are large
 * next to the spread (timestamps, money in cents).
 *
 * The fit solves the centred normal equations (Sxx + l2 I) w = Sxy, with
 * Sxx scaled to unit diagonal first (so the units of a feature do not
 * matter) and factored by Cholesky in long double, with one step of
 * iterative refinement; the intercept is mean(y) - mean(x) w.  The error
 * of the coefficients is then that of the co-moments themselves, about
 * the machine epsilon times the condition number of the correlation
 * matrix of the features.
 *
 * linear_summary reports what statsmodels' OLS(...).fit() and its
 * summary() report, with the same definitions; p-values come from the
 * regularised incomplete beta function (continued fraction, with a
 * prefactor computed without the cancellation of log-gamma differences).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "aimarketing.h"

#define LINEAR_MAX_FEATURES		1000

/* the alignment of long double (at most 16 on the platforms PostgreSQL runs on) */
#define ALIGNOF_LONG_DOUBLE_PAD	16

/*
 * A feature whose centred variance is explained by the features before it
 * up to this fraction (1 - R^2 below it) makes the design singular: its
 * coefficient would have fewer than about six correct digits.
 */
#define LINEAR_PIVOT_TOL		1e-10

/*
 * State layout (float8[]), p = d + 1, T = p (p + 1) / 2:
 *	[0] n, the number of rows
 *	[1] d, the number of features
 *	[2] l2
 *	[3] the number of bytes of term names at the end (0: none)
 *	[4] b, the rows of the current block (0 <= b < LINEAR_BLOCK)
 *	[5 .. 5+p) the means of x1 .. xd, y of the n - b rows merged so far
 *	then T centred cross-products of those rows, upper triangle by rows
 *	then p means and T cross-products of the b rows of the current block
 *	then the names, d NUL-terminated strings, 8 bytes per element
 *
 * Rows are added to the block by Welford's update and the block is merged
 * into the running moments with Chan's formula every LINEAR_BLOCK rows:
 * the rounding errors of the sums then grow like sqrt(LINEAR_BLOCK) +
 * sqrt(n / LINEAR_BLOCK) instead of sqrt(n), for one merge per block.
 *
 * The empty state (INITCOND) is '{0}'; the first row makes the full one.
 */
#define ST_N		0
#define ST_D		1
#define ST_L2		2
#define ST_NAMES	3
#define ST_BLOCK	4
#define ST_HEADER	5

#define LINEAR_BLOCK	1024

static inline int
Moments(int d)
{
	int			p = d + 1;

	return p + p * (p + 1) / 2;
}

static inline int
StateLength(int d, int names_bytes)
{
	return ST_HEADER + 2 * Moments(d) + (names_bytes + 7) / 8;
}

/* A parsed state: pointers into the array's data. */
typedef struct LinState
{
	double		n;
	int			d;
	double		l2;
	int			names_bytes;
	double		block;			/* rows in the block */
	float8	   *mean;			/* p: of all rows once Collapse()d */
	float8	   *cp;				/* T, upper triangle by rows */
	float8	   *bmean;			/* p: the block's */
	float8	   *bcp;			/* T */
	const char *names;			/* names_bytes, or NULL */
} LinState;

/*
 * Parse and check a state array; false for the empty state.  Anything that
 * the transition and combine functions cannot have made is an error (the
 * support functions can be called by hand).
 */
static bool
ParseState(ArrayType *a, LinState *st, const char *caller)
{
	float8	   *v;
	int			len;
	double		dd,
				nb;

	if (ARR_NDIM(a) != 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		AimInvalidState("%s: invalid linear regression state", caller);
	len = ARR_DIMS(a)[0];
	v = (float8 *) ARR_DATA_PTR(a);
	if (len == 1)
	{
		if (v[0] != 0.0)
			AimInvalidState("%s: invalid linear regression state", caller);
		return false;
	}
	if (len < ST_HEADER)
		AimInvalidState("%s: invalid linear regression state", caller);
	dd = v[ST_D];
	nb = v[ST_NAMES];
	if (!(dd >= 0 && dd <= LINEAR_MAX_FEATURES && dd == floor(dd)) ||
		!(nb >= 0 && nb <= (double) len * 8 && nb == floor(nb)) ||
		len != StateLength((int) dd, (int) nb) ||
		!(v[ST_N] >= 1 && v[ST_N] <= 9007199254740992.0 && v[ST_N] == floor(v[ST_N])) ||
		!(v[ST_BLOCK] >= 0 && v[ST_BLOCK] < LINEAR_BLOCK &&
		  v[ST_BLOCK] <= v[ST_N] && v[ST_BLOCK] == floor(v[ST_BLOCK])) ||
		!(v[ST_L2] >= 0 && isfinite(v[ST_L2])))
		AimInvalidState("%s: invalid linear regression state", caller);
	st->n = v[ST_N];
	st->d = (int) dd;
	st->l2 = v[ST_L2];
	st->names_bytes = (int) nb;
	st->block = v[ST_BLOCK];
	st->mean = v + ST_HEADER;
	st->cp = st->mean + st->d + 1;
	st->bmean = st->mean + Moments(st->d);
	st->bcp = st->bmean + st->d + 1;
	st->names = NULL;
	if (st->names_bytes > 0)
		st->names = (const char *) (st->mean + 2 * Moments(st->d));
	return true;
}

/*
 * Chan's merge of the moments (mb, cb) of nb rows into (ma, ca) of na rows:
 * with delta = mb - ma, ma += delta nb / n, ca += cb + delta delta' na nb / n.
 */
static void
MergeMoments(float8 *ma, float8 *ca, double na, const float8 *mb,
			 const float8 *cb, double nb, int p)
{
	double		n = na + nb,
				fa,
				fab;
	double		delta[LINEAR_MAX_FEATURES + 1];

	if (nb == 0.0)
		return;
	fa = nb / n;
	fab = na * nb / n;
	for (int i = 0; i < p; i++)
	{
		delta[i] = mb[i] - ma[i];
		ma[i] += delta[i] * fa;
	}
	for (int i = 0, k = 0; i < p; i++)
		for (int j = i; j < p; j++, k++)
			ca[k] += cb[k] + fab * delta[i] * delta[j];
}

/* Merge the block of state v into its running moments and empty it. */
static void
FlushBlock(float8 *v, int d)
{
	int			p = d + 1;
	float8	   *mean = v + ST_HEADER;
	float8	   *bmean = mean + Moments(d);

	MergeMoments(mean, mean + p, v[ST_N] - v[ST_BLOCK], bmean, bmean + p,
				 v[ST_BLOCK], p);
	memset(bmean, 0, Moments(d) * sizeof(float8));
	v[ST_BLOCK] = 0.0;
}

/*
 * The moments of all the rows of a parsed state, for the final functions:
 * st->mean and st->cp then point to a merged copy.
 */
static void
Collapse(LinState *st)
{
	int			m = Moments(st->d),
				p = st->d + 1;
	float8	   *copy;

	if (st->block == 0.0)
		return;
	copy = palloc(m * sizeof(float8));
	memcpy(copy, st->mean, m * sizeof(float8));
	MergeMoments(copy, copy + p, st->n - st->block, st->bmean, st->bcp,
				 st->block, p);
	st->mean = copy;
	st->cp = copy + p;
	st->bmean = st->bcp = NULL;
	st->block = 0.0;
}

/* index of (i, j), i <= j, in the packed upper triangle of a p x p matrix */
static inline int
TriIndex(int i, int j, int p)
{
	return i * p - i * (i - 1) / 2 + (j - i);
}

/* ---------------------------------------------------------------------
 * Transition and combine functions
 * ---------------------------------------------------------------------
 */

/* per-call-site cache: a row buffer and the last names argument seen */
typedef struct LinCache
{
	int			cap;
	float8	   *z;				/* cap + 1: the features, then y */
	struct varlena *names_arg;	/* copy of the last names argument */
	char	   *names_enc;		/* its encoding (EncodeNames) */
	int			names_bytes;
} LinCache;

static LinCache *
GetCache(FunctionCallInfo fcinfo, int d)
{
	LinCache   *c = fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LinCache));
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->z == NULL || c->cap < d)
	{
		int			cap = Max(d, 16);

		if (c->z)
			pfree(c->z);
		c->z = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
								  (cap + 1) * sizeof(float8));
		c->cap = cap;
	}
	return c;
}

/*
 * The names argument as d NUL-terminated strings (cached while the
 * argument does not change).
 */
static const char *
EncodeNames(FunctionCallInfo fcinfo, ArrayType *names, int d, int *nbytes)
{
	LinCache   *c = GetCache(fcinfo, d);
	Datum	   *elems;
	int			n;
	StringInfoData buf;

	if (c->names_arg != NULL && VARSIZE(c->names_arg) == VARSIZE(names) &&
		memcmp(c->names_arg, names, VARSIZE(names)) == 0)
	{
		*nbytes = c->names_bytes;
		return c->names_enc;
	}
	n = ArrayGetNItems(ARR_NDIM(names), ARR_DIMS(names));
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
	deconstruct_array(names, TEXTOID, -1, false, TYPALIGN_INT, &elems, NULL, &n);
	initStringInfo(&buf);
	for (int i = 0; i < n; i++)
	{
		char	   *s = TextDatumGetCString(elems[i]);

		appendBinaryStringInfo(&buf, s, strlen(s) + 1);
	}
	if (c->names_arg)
		pfree(c->names_arg);
	if (c->names_enc)
		pfree(c->names_enc);
	c->names_arg = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE(names));
	memcpy(c->names_arg, names, VARSIZE(names));
	c->names_enc = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, buf.len + 1);
	memcpy(c->names_enc, buf.data, buf.len);
	c->names_bytes = buf.len;
	*nbytes = buf.len;
	return c->names_enc;
}

/* The optional l2 (argument 3) and names (argument 4). */
static void
GetParams(FunctionCallInfo fcinfo, double *l2, ArrayType **names)
{
	*l2 = 0.0;
	*names = NULL;
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("linear regression parameter l2 must not be null")));
		*l2 = PG_GETARG_FLOAT8(3);
		if (!(*l2 >= 0.0) || isinf(*l2))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("l2 must be a finite number >= 0, not %g", *l2)));
	}
	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("linear regression parameter names must not be null")));
		*names = PG_GETARG_ARRAYTYPE_P(4);
	}
}

/* the parameters of a row (or of another state) must be those of st */
static void
CheckSame(const LinState *st, int d, double l2, const char *names, int nbytes)
{
	AimCheckFeatureCount(d, st->d);
	if (l2 != st->l2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("linear regression parameter l2 must be the same for every row"),
				 errdetail("Earlier rows had l2 = %s, this row has l2 = %s.",
						   float8out_internal(st->l2), float8out_internal(l2))));
	if (nbytes != st->names_bytes ||
		(nbytes > 0 && memcmp(names, st->names, nbytes) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("linear regression parameter names must be the same for every row")));
}

/* A new state array for the first row z (p values) or an empty moment set. */
static ArrayType *
NewState(int d, double l2, const char *names, int nbytes)
{
	int			len = StateLength(d, nbytes);
	ArrayType  *a;
	float8	   *v;
	Size		size = ARR_OVERHEAD_NONULLS(1) + (Size) len * sizeof(float8);

	a = palloc0(size);
	SET_VARSIZE(a, size);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = FLOAT8OID;
	ARR_DIMS(a)[0] = len;
	ARR_LBOUND(a)[0] = 1;
	v = (float8 *) ARR_DATA_PTR(a);
	v[ST_D] = d;
	v[ST_L2] = l2;
	v[ST_NAMES] = nbytes;
	if (nbytes > 0)
		memcpy(v + ST_HEADER + 2 * Moments(d), names, nbytes);
	return a;
}

/*
 * Welford's update of the block's moments by one row z = (x1 .. xd, y):
 * delta = z - mean; mean += delta / (b + 1); C += b / (b + 1) delta delta';
 * a full block is merged into the running moments.
 */
static void
AddRow(float8 *v, const float8 *z, int d)
{
	int			p = d + 1;
	float8	   *mean = v + ST_HEADER + Moments(d);
	float8	   *cp = mean + p;
	double		b = v[ST_BLOCK],
				r = 1.0 / (b + 1.0),
				f = b * r;
	double		delta[LINEAR_MAX_FEATURES + 1],
				fd[LINEAR_MAX_FEATURES + 1];

	for (int i = 0; i < p; i++)
	{
		delta[i] = z[i] - mean[i];
		mean[i] += delta[i] * r;
		fd[i] = f * delta[i];
	}
	for (int i = 0; i < p; i++)
	{
		double		fi = fd[i];
		const double *dj = delta + i;

		for (int j = 0; j < p - i; j++)
			cp[j] += fi * dj[j];
		cp += p - i;
	}
	v[ST_N] += 1.0;
	v[ST_BLOCK] = b + 1.0;
	if (v[ST_BLOCK] >= LINEAR_BLOCK)
		FlushBlock(v, d);
}

/*
 * linear_accum(state float8[], features float8[], y float8
 *				[, l2 float8 [, names text[]]]) returns float8[]
 *
 * Rows with NULL features or NULL y are skipped, as logistic_fit does.
 */
PG_FUNCTION_INFO_V1(aim_linear_accum);
Datum
aim_linear_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state = PG_ARGISNULL(0) ? NULL : PG_GETARG_ARRAYTYPE_P(0);
	LinState	st;
	bool		have;
	double		l2,
				y;
	ArrayType  *names;
	const char *enc = NULL;
	int			nbytes = 0;
	int			d;
	LinCache   *c;
	float8	   *z;

	/* a NULL state (only by hand: the aggregates start from '{0}') is empty */
	have = state != NULL && ParseState(state, &st, "linear_accum");
	GetParams(fcinfo, &l2, &names);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_ARRAYTYPE_P(state);
	}
	y = PG_GETARG_FLOAT8(2);
	if (!isfinite(y))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("y must not be NaN or infinity"),
				 errdetail("The value is %s.", float8out_internal(y))));

	/* the features into the row buffer: straight from a packed datum */
	c = GetCache(fcinfo, have ? st.d : 0);
	if (!have || !AimVectorCopyPacked(PG_GETARG_DATUM(1), c->z, st.d, &d))
	{
		ArrayType  *farr = PG_GETARG_ARRAYTYPE_P(1);
		const float8 *x = AimVectorArg(farr, "features", &d);

		AimCheckFinite(farr, x, d, "features");
		if (d > LINEAR_MAX_FEATURES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("linear regression supports at most %d features, not %d",
							LINEAR_MAX_FEATURES, d)));
		c = GetCache(fcinfo, d);
		if (d > 0)
			memcpy(c->z, x, d * sizeof(float8));
	}
	z = c->z;
	z[d] = y;
	if (names != NULL)
		enc = EncodeNames(fcinfo, names, d, &nbytes);

	if (!have)
	{
		/* the first row: a new state, copied into the aggregate's context */
		ArrayType  *a = NewState(d, l2, enc, nbytes);

		AddRow((float8 *) ARR_DATA_PTR(a), z, d);
		PG_RETURN_ARRAYTYPE_P(a);
	}
	CheckSame(&st, d, l2, enc, nbytes);

	/* in an aggregate the state is ours to update, as core's regr_* do */
	if (!AggCheckCallContext(fcinfo, NULL))
	{
		ArrayType  *copy = palloc(VARSIZE(state));

		memcpy(copy, state, VARSIZE(state));
		state = copy;
	}
	AddRow((float8 *) ARR_DATA_PTR(state), z, d);
	PG_RETURN_ARRAYTYPE_P(state);
}

/*
 * linear_combine(float8[], float8[]) returns float8[]
 *
 * Chan's merge of two sets of moments: the first state's block, then the
 * second state's running moments and block, into the first state's
 * running moments (MergeMoments).
 */
PG_FUNCTION_INFO_V1(aim_linear_combine);
Datum
aim_linear_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a1 = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *a2 = PG_GETARG_ARRAYTYPE_P(1);
	LinState	s1,
				s2;
	bool		have1 = ParseState(a1, &s1, "linear_combine"),
				have2 = ParseState(a2, &s2, "linear_combine");
	ArrayType  *res;
	float8	   *v;
	int			p;

	if (!have2)
		PG_RETURN_ARRAYTYPE_P(a1);
	if (!have1)
	{
		res = palloc(VARSIZE(a2));
		memcpy(res, a2, VARSIZE(a2));
		PG_RETURN_ARRAYTYPE_P(res);
	}
	CheckSame(&s1, s2.d, s2.l2, s2.names, s2.names_bytes);
	if (AggCheckCallContext(fcinfo, NULL))
		res = a1;
	else
	{
		res = palloc(VARSIZE(a1));
		memcpy(res, a1, VARSIZE(a1));
		(void) ParseState(res, &s1, "linear_combine");
	}
	v = (float8 *) ARR_DATA_PTR(res);
	p = s1.d + 1;
	FlushBlock(v, s1.d);
	MergeMoments(s1.mean, s1.cp, s1.n, s2.mean, s2.cp, s2.n - s2.block, p);
	MergeMoments(s1.mean, s1.cp, s1.n + s2.n - s2.block, s2.bmean, s2.bcp,
				 s2.block, p);
	v[ST_N] = s1.n + s2.n;
	PG_RETURN_ARRAYTYPE_P(res);
}

/* ---------------------------------------------------------------------
 * The fit
 * ---------------------------------------------------------------------
 */

typedef struct LinFit
{
	int			d;
	int			p;				/* d + 1 */
	double		n;
	double		l2;
	double	   *beta;			/* p: intercept, then w */
	double	   *scale;			/* d: sqrt of the diagonal of Sxx + l2 I */
	long double *chol;			/* d x d: Cholesky factor of the scaled matrix */
	double		syy;			/* centred sum of squares of y */
	double		ssr;			/* sum of squared residuals */
	const float8 *mean;			/* p: means of x1 .. xd, y */
	const char *names;			/* d strings, or NULL */
} LinFit;

/* Sxx[i][j] (+ l2 on the diagonal) from the packed moments */
static inline double
Sxx(const LinState *st, int i, int j)
{
	int			p = st->d + 1;

	return i <= j ? st->cp[TriIndex(i, j, p)] : st->cp[TriIndex(j, i, p)];
}

static void
ReportSingular(int j, bool constant)
{
	if (constant)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("linear regression cannot be fitted: the design matrix is singular"),
				 errdetail("Feature %d is constant: its effect cannot be told apart from the intercept's.",
						   j + 1),
				 errhint("Remove the feature, or add an L2 penalty: linear_fit(features, y, 1.0).")));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("linear regression cannot be fitted: the design matrix is singular"),
			 errdetail("Feature %d is a linear combination of the intercept and the features before it, or there are fewer rows than coefficients.",
					   j + 1),
			 errhint("Remove the feature, or add an L2 penalty: linear_fit(features, y, 1.0).")));
}

/*
 * n zeroed long doubles, aligned as the type requires (16 bytes on x86-64,
 * beyond palloc's MAXALIGN).  Freed with the memory context.
 */
static long double *
AllocLongDoubles(Size n)
{
	char	   *p = palloc0(n * sizeof(long double) + ALIGNOF_LONG_DOUBLE_PAD);

	return (long double *) TYPEALIGN(ALIGNOF_LONG_DOUBLE_PAD, p);
}

/*
 * Cholesky factorisation (lower triangle, long double) of the d x d matrix
 * D^-1 (Sxx + l2 I) D^-1, D = diag(scale), which has a unit diagonal.  A
 * pivot below LINEAR_PIVOT_TOL is a singular design (22000).
 */
static void
FactorScaled(const LinState *st, const double *scale, double l2,
			 long double *l)
{
	int			d = st->d;

	for (int j = 0; j < d; j++)
	{
		long double s = 1.0L;

		CHECK_FOR_INTERRUPTS();
		for (int k = 0; k < j; k++)
			s -= l[(size_t) j * d + k] * l[(size_t) j * d + k];
		if (!(s > LINEAR_PIVOT_TOL))
			ReportSingular(j, false);
		l[(size_t) j * d + j] = sqrtl(s);
		for (int i = j + 1; i < d; i++)
		{
			long double t = Sxx(st, j, i) / scale[i] / scale[j];

			for (int k = 0; k < j; k++)
				t -= l[(size_t) i * d + k] * l[(size_t) j * d + k];
			l[(size_t) i * d + j] = t / l[(size_t) j * d + j];
		}
		for (int i = 0; i < j; i++)
			l[(size_t) i * d + j] = 0.0L;
	}
}

/* Solve L L' x = b in place (long double). */
static void
CholSolve(const long double *l, int d, long double *b)
{
	for (int i = 0; i < d; i++)
	{
		long double s = b[i];

		for (int k = 0; k < i; k++)
			s -= l[(size_t) i * d + k] * b[k];
		b[i] = s / l[(size_t) i * d + i];
	}
	for (int i = d - 1; i >= 0; i--)
	{
		long double s = b[i];

		for (int k = i + 1; k < d; k++)
			s -= l[(size_t) k * d + i] * b[k];
		b[i] = s / l[(size_t) i * d + i];
	}
}

/*
 * Fit from a parsed state: coefficients (intercept first), residual sum of
 * squares.  The scaled system A u = D^-1 Sxy, w = D^-1 u, is solved with
 * one step of iterative refinement against A.
 */
static void
Fit(const LinState *st, LinFit *fit)
{
	int			d = st->d,
				p = d + 1;
	long double *u = AllocLongDoubles(Max(d, 1));
	long double *r = AllocLongDoubles(Max(d, 1));
	double		b0,
				ssr;

	fit->d = d;
	fit->p = p;
	fit->n = st->n;
	fit->l2 = st->l2;
	fit->mean = st->mean;
	fit->names = st->names;
	fit->beta = palloc(p * sizeof(double));
	fit->scale = palloc(Max(d, 1) * sizeof(double));
	fit->chol = AllocLongDoubles((size_t) Max(d, 1) * Max(d, 1));
	fit->syy = st->cp[TriIndex(d, d, p)];

	/*
	 * Finite inputs whose squares (or their sums) overflow: an error, as
	 * core's regr_* raise it (they check on every row; checking once here
	 * costs nothing per row, and Inf and NaN stay in the moments).
	 */
	for (int i = 0; i < p + p * (p + 1) / 2; i++)
		if (!isfinite(st->mean[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("linear regression sums of squares are out of range for type double precision"),
					 errhint("Divide the features or y by a power of ten.")));

	for (int j = 0; j < d; j++)
	{
		double		sjj = Sxx(st, j, j);

		if (sjj == 0.0 && st->l2 == 0.0)
			ReportSingular(j, true);
		fit->scale[j] = sqrt(sjj + st->l2);
	}
	FactorScaled(st, fit->scale, st->l2, fit->chol);

	for (int j = 0; j < d; j++)
		u[j] = (long double) Sxx(st, j, d) / fit->scale[j];
	CholSolve(fit->chol, d, u);
	/* refinement: r = D^-1 Sxy - A u, u += A^-1 r */
	for (int i = 0; i < d; i++)
	{
		long double s = (long double) Sxx(st, i, d) / fit->scale[i];

		for (int j = 0; j < d; j++)
		{
			long double a = (long double) Sxx(st, i, j) +
				(i == j ? st->l2 : 0.0);

			s -= a / fit->scale[i] / fit->scale[j] * u[j];
		}
		r[i] = s;
	}
	CholSolve(fit->chol, d, r);
	for (int j = 0; j < d; j++)
		u[j] += r[j];

	b0 = st->mean[d];
	for (int j = 0; j < d; j++)
	{
		fit->beta[j + 1] = (double) (u[j] / fit->scale[j]);
		b0 -= st->mean[j] * fit->beta[j + 1];
	}
	fit->beta[0] = b0;
	for (int j = 0; j < p; j++)
		if (!isfinite(fit->beta[j]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("linear regression coefficient %d is out of range for type double precision", j),
					 errhint("Divide the features or y by a power of ten.")));

	/*
	 * Residual sum of squares Syy - 2 w'Sxy + w'Sxx w; for OLS the last two
	 * terms are -w'Sxy at the solution.
	 */
	{
		long double wsxy = 0.0L,
					wsw = 0.0L;

		for (int i = 0; i < d; i++)
		{
			wsxy += (long double) fit->beta[i + 1] * Sxx(st, i, d);
			for (int j = 0; j < d; j++)
				wsw += (long double) fit->beta[i + 1] * Sxx(st, i, j) * fit->beta[j + 1];
		}
		ssr = (double) ((long double) fit->syy - 2.0L * wsxy + wsw);
	}
	fit->ssr = Max(ssr, 0.0);
}

/*
 * linear_final(state float8[]) returns float8[]
 *
 * The coefficients, intercept first: the layout linear_predict takes.
 * NULL when no row had both features and y.
 */
PG_FUNCTION_INFO_V1(aim_linear_final);
Datum
aim_linear_final(PG_FUNCTION_ARGS)
{
	LinState	st;
	LinFit		fit;
	Datum	   *elems;

	if (!ParseState(PG_GETARG_ARRAYTYPE_P(0), &st, "linear_final"))
		PG_RETURN_NULL();
	Collapse(&st);
	Fit(&st, &fit);
	elems = palloc(fit.p * sizeof(Datum));
	for (int j = 0; j < fit.p; j++)
		elems[j] = Float8GetDatum(fit.beta[j]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, fit.p, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* ---------------------------------------------------------------------
 * Distributions: the regularised incomplete beta function
 * ---------------------------------------------------------------------
 */

/*
 * delta(z) = lgamma(z) - ((z - 1/2) log z - z + log(2 pi) / 2), the
 * remainder of Stirling's formula: its asymptotic series for z >= 10
 * (error below 1e-17), else by difference.
 */
static double
StirlingDelta(double z)
{
	/* B(2k) / (2k (2k - 1)), k = 7 .. 1 */
	static const double coef[] = {1.0 / 156, -691.0 / 360360, 1.0 / 1188,
	-1.0 / 1680, 1.0 / 1260, -1.0 / 360, 1.0 / 12};

	if (z >= 10.0)
	{
		double		r2 = 1.0 / (z * z),
					sum = 0.0;

		for (int k = 0; k < lengthof(coef); k++)
			sum = sum * r2 + coef[k];
		return sum / z;
	}
	return lgamma(z) - ((z - 0.5) * log(z) - z + 0.5 * log(2.0 * M_PI));
}

static inline double
LogRatio(double num, double den, double diff)
{
	/* log(num / den) where diff = num - den was computed accurately */
	double		u = diff / den;

	if (fabs(u) < 0.5)
		return log1p(u);
	return log(num) - log(den);
}

/*
 * log(x^a y^b / B(a, b)), y = 1 - x given separately (both accurate).
 * Written around x0 = a / (a + b) so that no log-gamma of a large argument
 * is subtracted from another (which would lose digits to cancellation
 * when the degrees of freedom run into the millions):
 *	a log(x / x0) + b log(y / y0) + log(ab / (a + b)) / 2 - log(2 pi) / 2
 *	- delta(a) - delta(b) + delta(a + b).
 */
static double
LogBetaPrefactor(double x, double y, double a, double b)
{
	double		x0 = a / (a + b),
				y0 = b / (a + b);
	double		dx;

	/* x - x0 = y0 - y: take the form whose operands are small */
	dx = (x < 0.5) ? x - x0 : y0 - y;
	return a * LogRatio(x, x0, dx) + b * LogRatio(y, y0, -dx) +
		0.5 * log(a * b / (a + b)) - 0.5 * log(2.0 * M_PI) -
		StirlingDelta(a) - StirlingDelta(b) + StirlingDelta(a + b);
}

/*
 * The continued fraction of I_x(a, b) (modified Lentz), in long double,
 * with x = 1 - y formed in long double when x is near 1: with a large
 * (degrees of freedom in the millions) the fraction is as sensitive to x
 * as the prefactor, and x rounded to a double would cost digits.
 */
static long double
BetaContinuedFraction(double x, double y, double a, double b)
{
	const long double tiny = 1e-300L;
	long double xl = x < 0.5 ? (long double) x : 1.0L - (long double) y;
	long double c = 1.0L,
				dd,
				h;

	/* 1 - (a + b) x / (a + 1), without the cancellation */
	dd = ((long double) a * (1.0L - xl) + 1.0L - (long double) b * xl) / (a + 1.0L);
	if (fabsl(dd) < tiny)
		dd = tiny;
	dd = 1.0L / dd;
	h = dd;
	for (int m = 1; m <= 1000000; m++)
	{
		long double m2 = 2.0L * m,
					aa,
					del;

		aa = m * (b - m) * xl / ((a - 1.0L + m2) * (a + m2));
		dd = 1.0L + aa * dd;
		if (fabsl(dd) < tiny)
			dd = tiny;
		c = 1.0L + aa / c;
		if (fabsl(c) < tiny)
			c = tiny;
		dd = 1.0L / dd;
		h *= dd * c;
		aa = -(a + m) * (a + b + m) * xl / ((a + m2) * (a + 1.0L + m2));
		dd = 1.0L + aa * dd;
		if (fabsl(dd) < tiny)
			dd = tiny;
		c = 1.0L + aa / c;
		if (fabsl(c) < tiny)
			c = tiny;
		dd = 1.0L / dd;
		del = dd * c;
		h *= del;
		if (fabsl(del - 1.0L) <= 1e-19L)
			break;
	}
	return h;
}

/*
 * I_x(a, b), the regularised incomplete beta function, with y = 1 - x
 * given separately.  The continued fraction converges fast for
 * x < (a + 1) / (a + b + 2); beyond, 1 - I_y(b, a).  Checked against
 * mpmath (50 digits) for the t and F tails that linear_summary reports,
 * degrees of freedom from 3 to 10^7: within about 3e-14 relative.
 */
static double
IncompleteBeta(double x, double y, double a, double b)
{
	if (x <= 0.0)
		return 0.0;
	if (y <= 0.0)
		return 1.0;
	if (x < (a + 1.0) / (a + b + 2.0))
		return (double) (expl((long double) LogBetaPrefactor(x, y, a, b)) *
						 BetaContinuedFraction(x, y, a, b) / a);
	return (double) (1.0L - expl((long double) LogBetaPrefactor(y, x, b, a)) *
					 BetaContinuedFraction(y, x, b, a) / b);
}

/* two-sided p-value of Student's t with df degrees of freedom */
static double
StudentTwoSided(double t, double df)
{
	double		t2 = t * t;

	if (isnan(t))
		return t;
	if (isinf(t))
		return 0.0;
	/* I_{df / (df + t^2)}(df / 2, 1 / 2) */
	return IncompleteBeta(df / (df + t2), t2 / (df + t2), 0.5 * df, 0.5);
}

/* upper tail of the F distribution with (d1, d2) degrees of freedom */
static double
FUpperTail(double f, double d1, double d2)
{
	double		s = d2 + d1 * f;

	if (isnan(f))
		return f;
	if (isinf(f))
		return 0.0;
	if (f <= 0.0)
		return 1.0;
	/* I_{d2 / (d2 + d1 f)}(d2 / 2, d1 / 2) */
	return IncompleteBeta(d2 / s, d1 * f / s, 0.5 * d2, 0.5 * d1);
}

/* ---------------------------------------------------------------------
 * linear_summary
 * ---------------------------------------------------------------------
 */

/*
 * The singular values of the design matrix X = [1, x1 .. xd] from its
 * Cholesky factor: X'X = L L' with L = [[sqrt(n), 0], [sqrt(n) xbar, D Ls]]
 * (Ls the factor of the scaled centred matrix), by one-sided Jacobi
 * rotations on the columns of L', which find small singular values to high
 * relative accuracy.  Returns sqrt(max / min), statsmodels'
 * condition_number (it takes the singular values of X).
 */
static double
ConditionNumber(const LinFit *fit)
{
	int			p = fit->p,
				d = fit->d;
	long double *m = AllocLongDoubles((size_t) p * p);
	double		smax = 0.0,
				smin = DBL_MAX;

	/* column j of M = L' is row j of L; stored column-major: m[j * p + i] */
	m[0] = sqrtl(fit->n);
	for (int j = 1; j < p; j++)
	{
		m[(size_t) j * p] = sqrtl(fit->n) * fit->mean[j - 1];
		for (int k = 0; k < j; k++)
			m[(size_t) j * p + k + 1] = (long double) fit->scale[j - 1] *
				fit->chol[(size_t) (j - 1) * d + k];
	}
	for (int sweep = 0; sweep < 60; sweep++)
	{
		bool		rotated = false;

		CHECK_FOR_INTERRUPTS();
		for (int i = 0; i < p - 1; i++)
			for (int j = i + 1; j < p; j++)
			{
				long double *ci = m + (size_t) i * p,
						   *cj = m + (size_t) j * p;
				long double alpha = 0,
							beta = 0,
							gamma = 0,
							zeta,
							t,
							c,
							s;

				for (int k = 0; k < p; k++)
				{
					alpha += ci[k] * ci[k];
					beta += cj[k] * cj[k];
					gamma += ci[k] * cj[k];
				}
				if (gamma == 0 || fabsl(gamma) <= 1e-18L * sqrtl(alpha * beta))
					continue;
				rotated = true;
				zeta = (beta - alpha) / (2 * gamma);
				t = (zeta >= 0 ? 1.0L : -1.0L) / (fabsl(zeta) + sqrtl(1 + zeta * zeta));
				c = 1 / sqrtl(1 + t * t);
				s = c * t;
				for (int k = 0; k < p; k++)
				{
					long double a = ci[k],
								b = cj[k];

					ci[k] = c * a - s * b;
					cj[k] = s * a + c * b;
				}
			}
		if (!rotated)
			break;
	}
	for (int j = 0; j < p; j++)
	{
		long double s = 0;

		for (int k = 0; k < p; k++)
			s += m[(size_t) j * p + k] * m[(size_t) j * p + k];
		smax = Max(smax, (double) sqrtl(s));
		smin = Min(smin, (double) sqrtl(s));
	}
	return smax / smin;
}

/*
 * The names section of a state must hold d NUL-terminated strings in the
 * database encoding (it is written by the transition function, but a
 * state can be made by hand).
 */
static void
CheckNamesSection(const LinFit *fit, int nbytes)
{
	int			count = 0;

	if (fit->names == NULL)
		return;
	if (fit->names[nbytes - 1] != '\0')
		AimInvalidState("invalid linear regression state");
	for (int i = 0; i < nbytes; count++)
	{
		int			len = strlen(fit->names + i);

		if (!pg_verifymbstr(fit->names + i, len, true))
			AimInvalidState("invalid linear regression state");
		i += len + 1;
	}
	if (count != fit->d)
		AimInvalidState("invalid linear regression state");
}

/* The names of the terms (intercept, then names or x1, x2, ...). */
static void
AppendTermName(StringInfo buf, const LinFit *fit, int j, const char **pos)
{
	if (j == 0)
		appendStringInfoString(buf, "{\"term\": \"intercept\"");
	else if (fit->names != NULL)
	{
		appendStringInfoString(buf, ", {\"term\": ");
		escape_json(buf, *pos);
		*pos += strlen(*pos) + 1;
	}
	else
		appendStringInfo(buf, ", {\"term\": \"x%d\"", j);
}

/*
 * The standard errors of the OLS coefficients: sigma^2 (X'X)^-1, whose
 * slope block is sigma^2 Sxx^-1 = sigma^2 D^-1 A^-1 D^-1 and whose
 * intercept entry is sigma^2 (1/n + xbar' Sxx^-1 xbar).  Diagonals as
 * squared column norms of Ls^-1 (triangular inverse, long double).
 */
static void
StandardErrors(const LinFit *fit, double sigma2, double *se)
{
	int			d = fit->d;
	long double *v = AllocLongDoubles(Max(d, 1));
	long double *diag = AllocLongDoubles(Max(d, 1));
	long double q = 0;

	/* xbar' Sxx^-1 xbar = |Ls^-1 D^-1 xbar|^2 */
	for (int i = 0; i < d; i++)
	{
		long double s = (long double) fit->mean[i] / fit->scale[i];

		for (int k = 0; k < i; k++)
			s -= fit->chol[(size_t) i * d + k] * v[k];
		v[i] = s / fit->chol[(size_t) i * d + i];
		q += v[i] * v[i];
	}
	se[0] = sqrt(sigma2 * (double) (1.0L / fit->n + q));
	/* column j of Ls^-1 by forward substitution on e_j */
	for (int j = 0; j < d; j++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int i = 0; i < j; i++)
			v[i] = 0;
		v[j] = 1.0L / fit->chol[(size_t) j * d + j];
		diag[j] += v[j] * v[j];
		for (int i = j + 1; i < d; i++)
		{
			long double s = 0;

			for (int k = j; k < i; k++)
				s -= fit->chol[(size_t) i * d + k] * v[k];
			v[i] = s / fit->chol[(size_t) i * d + i];
			diag[j] += v[i] * v[i];
		}
	}
	/* (A^-1)_jj = sum over i of (Ls^-1)_ij^2: column norms */
	for (int j = 0; j < d; j++)
		se[j + 1] = sqrt(sigma2 * (double) diag[j]) / fit->scale[j];
}

/*
 * linear_summary_final(state float8[]) returns jsonb
 *
 * With l2 = 0, as statsmodels' OLS(y, add_constant(X)).fit() defines them:
 * per term coefficient, std_error, t, p_value (two-sided, Student's t with
 * df_resid); r_squared, adj_r_squared, f_statistic and f_p_value,
 * log_likelihood, aic, bic, condition_number, n, df_model, df_resid.
 * With l2 > 0 (ridge) only the coefficients, n, df_model, df_resid and
 * r_squared (scikit-learn's Ridge.score on the training rows) are defined;
 * the other fields are null.
 */
PG_FUNCTION_INFO_V1(aim_linear_summary_final);
Datum
aim_linear_summary_final(PG_FUNCTION_ARGS)
{
	LinState	st;
	LinFit		fit;
	StringInfoData buf;
	double	   *se;
	double		n,
				df_model,
				df_resid,
				r2,
				sigma2,
				llf;
	bool		ols;
	const char *pos;

	if (!ParseState(PG_GETARG_ARRAYTYPE_P(0), &st, "linear_summary_final"))
		PG_RETURN_NULL();
	Collapse(&st);
	Fit(&st, &fit);
	CheckNamesSection(&fit, st.names_bytes);
	ols = fit.l2 == 0.0;
	n = fit.n;
	df_model = fit.d;
	df_resid = n - fit.p;
	r2 = 1.0 - fit.ssr / fit.syy;
	sigma2 = df_resid > 0 ? fit.ssr / df_resid : get_float8_nan();
	llf = -0.5 * n * (log(2.0 * M_PI) + log(fit.ssr / n) + 1.0);
	se = palloc(fit.p * sizeof(double));
	if (ols)
		StandardErrors(&fit, sigma2, se);

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"n\": %.17g, \"df_model\": %d, \"df_resid\": %.17g",
					 n, fit.d, df_resid);
	AimJsonNumber(&buf, "l2", fit.l2);
	AimJsonNumber(&buf, "r_squared", r2);
	if (ols)
	{
		double		f = ((fit.syy - fit.ssr) / df_model) / sigma2;

		AimJsonNumber(&buf, "adj_r_squared",
				   1.0 - (n - 1.0) / df_resid * (1.0 - r2));
		AimJsonNumber(&buf, "f_statistic", df_model > 0 ? f : get_float8_nan());
		AimJsonNumber(&buf, "f_p_value", df_model > 0 && df_resid > 0 ?
				   FUpperTail(f, df_model, df_resid) : get_float8_nan());
		AimJsonNumber(&buf, "log_likelihood", llf);
		AimJsonNumber(&buf, "aic", -2.0 * llf + 2.0 * fit.p);
		AimJsonNumber(&buf, "bic", -2.0 * llf + log(n) * fit.p);
		AimJsonNumber(&buf, "condition_number", ConditionNumber(&fit));
	}
	else
	{
		const char *nulls[] = {"adj_r_squared", "f_statistic", "f_p_value",
		"log_likelihood", "aic", "bic", "condition_number"};

		for (int i = 0; i < lengthof(nulls); i++)
			AimJsonNumber(&buf, nulls[i], get_float8_nan());
	}
	appendStringInfoString(&buf, ", \"terms\": [");
	pos = fit.names;
	for (int j = 0; j < fit.p; j++)
	{
		double		t = ols ? fit.beta[j] / se[j] : get_float8_nan();

		AppendTermName(&buf, &fit, j, &pos);
		AimJsonNumber(&buf, "coefficient", fit.beta[j]);
		AimJsonNumber(&buf, "std_error", ols ? se[j] : get_float8_nan());
		AimJsonNumber(&buf, "t", t);
		AimJsonNumber(&buf, "p_value", ols && df_resid > 0 ?
				   StudentTwoSided(t, df_resid) : get_float8_nan());
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}
