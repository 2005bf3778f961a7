/*-------------------------------------------------------------------------
 *
 * kmeans.c
 *	  k-means customer segmentation.
 *
 *	  kmeans(features, k [, seed, max_iter, tolerance, n_init])
 *												aggregate: centroids
 *	  kmeans(features, k, init [, max_iter, tolerance])
 *												aggregate: warm start
 *	  kmeans_assign(features, centroids)		the nearest centroid
 *	  kmeans_inertia(features, centroids)		aggregate
 *	  kmeans_silhouette(features, centroids)	aggregate
 *	  kmeans_centroids(centroids)				centroids as rows
 *	  kmeans_match(new, old)					new renumbered after old
 *
 * The kmeans aggregate collects the points (an internal state: the row
 * buffer of rowbuf.h, not bound by the 1 GB palloc limit; partial states of
 * parallel workers are concatenated), then in the final function:
 *
 *	1. puts the points in the canonical order of rowbuf.c: sorted by a
 *	   64-bit hash of their coordinates (ties by the coordinates), so that
 *	   seeding and every floating-point sum see the same sequence whatever
 *	   the row order or the parallel plan, and the result is bit-for-bit
 *	   reproducible;
 *	2. seeds with greedy k-means++ (Arthur & Vassilvitskii, "k-means++: the
 *	   advantages of careful seeding", SODA 2007; the greedy variant with
 *	   2 + ln k local trials per centre is scikit-learn's), n_init times
 *	   from one random stream, keeping the run of least inertia; or, for
 *	   the warm start, takes the given centroids;
 *	3. runs Lloyd iterations accelerated with Hamerly's bounds (G. Hamerly,
 *	   "Making k-means even faster", SDM 2010): an upper bound on the
 *	   distance to the own centre and a lower bound on the distance to any
 *	   other let most points skip the distance computations.  The
 *	   assignment is exactly Lloyd's: a point is skipped only when its
 *	   centre is nearest by a safety margin; otherwise all distances are
 *	   computed by the nearest-centroid kernel kmeans_assign() uses.
 *
 * Convergence follows scikit-learn: stop when no point changes cluster, or
 * when the sum of squared centre shifts is at most tolerance times the mean
 * per-feature variance of the data, or after max_iter iterations.  An empty
 * cluster is re-seeded with the point farthest from its centre.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "common/pg_prng.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "aimarketing.h"
#include "rowbuf.h"

/*
 * Check a centroid matrix against a feature vector of d elements and return
 * its data; *k receives the number of centroids.
 */
static const float8 *
CentroidsArg(ArrayType *carr, int d, int *k)
{
	const float8 *c;
	int			cols;

	c = AimMatrixArg(carr, "centroids", k, &cols);
	if (cols != d)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("centroids array row length %d does not match features array length %d",
						cols, d),
				 errdetail("Each row of the k x d centroid array must have as many elements as the feature vector.")));
	return c;
}

/* ---------------------------------------------------------------------
 * The nearest-centroid kernel
 * ---------------------------------------------------------------------
 */

/*
 * Squared Euclidean distance with four independent accumulators.
 *
 * The fixed accumulation order makes the result independent of compiler
 * flags (no reassociation is needed to vectorise it), which matters because
 * every caller that must agree on a nearest centroid uses this function.
 */
static inline double
SqDist(const float8 *a, const float8 *b, int n)
{
	double		s0 = 0.0,
				s1 = 0.0,
				s2 = 0.0,
				s3 = 0.0;
	int			i = 0;

	for (; i + 4 <= n; i += 4)
	{
		double		d0 = a[i] - b[i];
		double		d1 = a[i + 1] - b[i + 1];
		double		d2 = a[i + 2] - b[i + 2];
		double		d3 = a[i + 3] - b[i + 3];

		s0 += d0 * d0;
		s1 += d1 * d1;
		s2 += d2 * d2;
		s3 += d3 * d3;
	}
	for (; i < n; i++)
	{
		double		d = a[i] - b[i];

		s0 += d * d;
	}
	return (s0 + s1) + (s2 + s3);
}

/*
 * Squared distance of x * s to c * s, s a power of two: scaling by a power
 * of two is exact, so x*s - c*s is the rounded difference times s and the
 * order of the distances is the one exact arithmetic would give, without
 * overflow once s brings every coordinate below 1 (see ScaleExponent).
 */
static inline double
ScaledSqDist(const float8 *x, const float8 *c, int d, double s)
{
	double		dist = 0.0;

	for (int i = 0; i < d; i++)
	{
		double		diff = x[i] * s - c[i] * s;

		dist += diff * diff;
	}
	return dist;
}

/*
 * The exponent e that brings the largest magnitude of x and of the k
 * centroids c to [0.5, 1) when scaled by 2^-e.
 */
static int
ScaleExponent(const float8 *x, const float8 *c, int k, int d)
{
	double		m = 0.0;
	int			e;

	for (int i = 0; i < d; i++)
		m = Max(m, fabs(x[i]));
	for (int i = 0; i < k * d; i++)
		m = Max(m, fabs(c[i]));
	(void) frexp(m, &e);
	return e;
}

/*
 * Below this squared distance to the nearest centroid, squared differences
 * that underflowed (each less than DBL_MIN, lost or subnormal) can weigh
 * more than rounding: the distances are then recomputed on scaled data.
 */
#define UNDERFLOW_DIST(d)	((d) * (DBL_MIN / DBL_EPSILON))

/*
 * The nearest centroid (0-based) of x among the k centroids stored
 * row-major in c; ties go to the lowest index.  *d1 and *d2 receive the
 * smallest and second smallest squared distances (d2 is Infinity for one
 * centroid), *allfinite whether every distance was finite, so that the
 * caller can diagnose non-finite input or overflow.
 *
 * scale 0 computes the distances of the data as given (SqDist); a power of
 * two, those of the data times scale (ScaledSqDist), the path for
 * distances that overflowed or underflowed.  Every caller inlines it with
 * a constant scale 0 on its fast path, so the loop has no branch on it.
 */
static pg_attribute_always_inline int
Nearest(const float8 *x, const float8 *c, int k, int d, double scale,
		double *d1, double *d2, bool *allfinite)
{
	double		b1 = 0.0,
				b2 = INFINITY;
	int			j1 = 0;
	bool		fin = true;

	for (int j = 0; j < k; j++)
	{
		const float8 *cj = c + (size_t) j * d;
		double		dist = scale == 0.0 ? SqDist(x, cj, d) :
			ScaledSqDist(x, cj, d, scale);

		fin &= isfinite(dist);
		if (j == 0 || dist < b1)
		{
			if (j > 0)
				b2 = b1;
			b1 = dist;
			j1 = j;
		}
		else if (dist < b2)
			b2 = dist;
	}
	*d1 = b1;
	*d2 = b2;
	*allfinite = fin;
	return j1;
}

/*
 * kmeans_assign(features float8[], centroids float8[]) returns int
 *
 * Index (1-based) of the centroid nearest to features in squared Euclidean
 * distance; ties go to the lowest index.  NaN and infinite coordinates are
 * rejected, in the features and in every centroid.
 */
PG_FUNCTION_INFO_V1(aim_kmeans_assign);
Datum
aim_kmeans_assign(PG_FUNCTION_ARGS)
{
	ArrayType  *farr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *carr = PG_GETARG_ARRAYTYPE_P(1);
	const float8 *x,
			   *c;
	int			d,
				k,
				best;
	double		d1,
				d2;
	bool		allfinite;

	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	c = CentroidsArg(carr, d, &k);

	best = Nearest(x, c, k, d, 0.0, &d1, &d2, &allfinite);
	if (unlikely(!allfinite || d1 < UNDERFLOW_DIST(d)))
	{
		/* bad input, overflow, or tiny coordinates */
		if (!allfinite)
		{
			AimCheckFinite(farr, x, d, "features");
			AimCheckFiniteMatrix(carr, c, k, d, "centroids");
		}
		best = Nearest(x, c, k, d, ldexp(1.0, -ScaleExponent(x, c, k, d)),
					   &d1, &d2, &allfinite);
	}
	PG_RETURN_INT32(best + 1);
}

/* ---------------------------------------------------------------------
 * kmeans aggregate: state, accumulation, combine, serialisation
 * ---------------------------------------------------------------------
 */

#define KMEANS_DEFAULT_SEED		0
#define KMEANS_DEFAULT_MAX_ITER 300
#define KMEANS_DEFAULT_TOL		1e-4
#define KMEANS_MAX_K			100000

#define KMEANS_MAX_N_INIT		1000

/*
 * Parameters of one call, from the aggregate's arguments.  init is the
 * warm start's k x init_d centroid array (NULL for k-means++ seeding), in
 * the state's memory context once the state holds it.
 */
typedef struct KmeansParams
{
	int32		k;
	int32		seed;
	int32		max_iter;
	double		tol;
	int32		n_init;
	int32		init_d;			/* columns of init; 0 without init */
	float8	   *init;
} KmeansParams;

/*
 * The transition state: the points in a row buffer (rowbuf.h), whose width
 * is the number of dimensions, fixed by the first non-NULL row (0 until
 * then).  8 * d bytes per row (plus the geometric growth slack); the final
 * function needs about as much again (see aim_kmeans_final).
 */
#define KMEANS_STATE_MAGIC	0x4B4D4E31	/* "KMN1" */

typedef struct KmeansState
{
	AimRowBuf	buf;			/* the points, row-major */
	KmeansParams p;
	char	   *init_raw;		/* the init datum last checked, as stored */
	Size		init_rawlen;
} KmeansState;

static void CheckParams(const KmeansParams *p);

/*
 * The parameters of kmeans(features, k [, seed, max_iter, tolerance,
 * n_init]).
 */
static void
GetParams(FunctionCallInfo fcinfo, KmeansParams *p)
{
	int			nargs = PG_NARGS();
	static const char *const names[] = {"k", "seed", "max_iter", "tolerance",
	"n_init"};

	for (int i = 2; i < nargs; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("kmeans parameter %s must not be null", names[i - 2])));
	p->k = PG_GETARG_INT32(2);
	p->seed = nargs > 3 ? PG_GETARG_INT32(3) : KMEANS_DEFAULT_SEED;
	p->max_iter = nargs > 4 ? PG_GETARG_INT32(4) : KMEANS_DEFAULT_MAX_ITER;
	p->tol = nargs > 5 ? PG_GETARG_FLOAT8(5) : KMEANS_DEFAULT_TOL;
	p->n_init = nargs > 6 ? PG_GETARG_INT32(6) : 1;
	p->init_d = 0;
	p->init = NULL;
	CheckParams(p);
}

/*
 * The parameters of the warm start, kmeans(features, k, init [, max_iter,
 * tolerance]).  With get_init false, init is left NULL (the caller knows
 * the argument is the one already checked).
 */
static void
GetParamsInit(FunctionCallInfo fcinfo, KmeansParams *p, bool get_init)
{
	int			nargs = PG_NARGS();
	static const char *const names[] = {"k", "init", "max_iter", "tolerance"};

	for (int i = 2; i < nargs; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("kmeans parameter %s must not be null", names[i - 2])));
	p->k = PG_GETARG_INT32(2);
	p->seed = KMEANS_DEFAULT_SEED;
	p->max_iter = nargs > 4 ? PG_GETARG_INT32(4) : KMEANS_DEFAULT_MAX_ITER;
	p->tol = nargs > 5 ? PG_GETARG_FLOAT8(5) : KMEANS_DEFAULT_TOL;
	p->n_init = 1;
	p->init_d = 0;
	p->init = NULL;
	CheckParams(p);
	if (get_init)
	{
		ArrayType  *iarr = PG_GETARG_ARRAYTYPE_P(3);
		int			rows;

		p->init = (float8 *) AimMatrixArg(iarr, "init", &rows, &p->init_d);
		if (rows != p->k)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("init array has %d rows, but k is %d", rows, p->k),
					 errdetail("The init array must hold k centroids, one per row.")));
		AimCheckNotEmpty(p->init_d, "init");
		AimCheckFiniteMatrix(iarr, p->init, rows, p->init_d, "init");
	}
}

/* Range checks common to both variants. */
static void
CheckParams(const KmeansParams *p)
{
	if (p->k < 1 || p->k > KMEANS_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k must be between 1 and %d, not %d", KMEANS_MAX_K, p->k)));
	if (p->max_iter < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_iter must be at least 1, not %d", p->max_iter)));
	if (!(p->tol >= 0.0) || isinf(p->tol))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance must be a finite number >= 0, not %g", p->tol)));
	if (p->n_init < 1 || p->n_init > KMEANS_MAX_N_INIT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n_init must be between 1 and %d, not %d",
						KMEANS_MAX_N_INIT, p->n_init)));
}

/* Complain if a row's parameters differ from those the state was built with. */
static void
CheckSameParams(const KmeansParams *st, const KmeansParams *p)
{
	const char *what = NULL;
	char		was[64],
				now[64];

	if (st->k != p->k)
	{
		what = "k";
		snprintf(was, sizeof(was), "%d", st->k);
		snprintf(now, sizeof(now), "%d", p->k);
	}
	else if (st->seed != p->seed)
	{
		what = "seed";
		snprintf(was, sizeof(was), "%d", st->seed);
		snprintf(now, sizeof(now), "%d", p->seed);
	}
	else if (st->max_iter != p->max_iter)
	{
		what = "max_iter";
		snprintf(was, sizeof(was), "%d", st->max_iter);
		snprintf(now, sizeof(now), "%d", p->max_iter);
	}
	else if (st->tol != p->tol)
	{
		what = "tolerance";
		strlcpy(was, float8out_internal(st->tol), sizeof(was));
		strlcpy(now, float8out_internal(p->tol), sizeof(now));
	}
	else if (st->n_init != p->n_init)
	{
		what = "n_init";
		snprintf(was, sizeof(was), "%d", st->n_init);
		snprintf(now, sizeof(now), "%d", p->n_init);
	}
	else if (p->init != NULL &&
			 (st->init == NULL || st->init_d != p->init_d ||
			  memcmp(st->init, p->init,
					 (size_t) p->k * p->init_d * sizeof(float8)) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kmeans parameter init must be the same for every row")));
	if (what)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kmeans parameter %s must be the same for every row", what),
				 errdetail("Earlier rows had %s = %s, this row has %s = %s.",
						   what, was, what, now)));
}

static KmeansState *
GetState(FunctionCallInfo fcinfo, int argno)
{
	return AimRowBufGet(fcinfo, argno, KMEANS_STATE_MAGIC, "kmeans");
}

/* Fix the dimensions on the first non-NULL row, check them afterwards. */
static void
CheckSameDims(KmeansState *st, int d)
{
	if (st->buf.width == 0)
	{
		if (st->p.init != NULL && st->p.init_d != d)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("init array row length %d does not match features array length %d",
							st->p.init_d, d),
					 errdetail("Each row of the k x d init array must have as many elements as the feature vector.")));
		AimRowBufSetWidth(&st->buf, d);
	}
	else
		AimCheckFeatureCount(d, st->buf.width);
}

static KmeansState *
NewState(MemoryContext ctx, const KmeansParams *p)
{
	KmeansState *st = MemoryContextAlloc(ctx, sizeof(KmeansState));

	AimRowBufInit(&st->buf, KMEANS_STATE_MAGIC, "kmeans", 0, 0);
	st->p = *p;
	st->init_raw = NULL;
	st->init_rawlen = 0;
	if (p->init != NULL)
	{
		Size		sz = (size_t) p->k * p->init_d * sizeof(float8);

		st->p.init = MemoryContextAlloc(ctx, sz);
		memcpy(st->p.init, p->init, sz);
	}
	return st;
}

/*
 * Add the features of the current row (argument 1) to the state; NULL
 * features skip the row.
 */
static Datum
AccumRow(FunctionCallInfo fcinfo, KmeansState *st, MemoryContext aggctx)
{
	ArrayType  *farr;
	const float8 *x;
	float8	   *slot;
	int			d;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);

	/* fast path: copy straight from the (packed) datum into the buffer */
	slot = st->buf.width > 0 ? AimRowBufRoom(&st->buf) : NULL;
	if (slot != NULL &&
		AimVectorCopyPacked(PG_GETARG_DATUM(1), slot, st->buf.width, &d) &&
		d == st->buf.width)
	{
		AimRowBufPush(&st->buf);
		PG_RETURN_POINTER(st);
	}

	farr = PG_GETARG_ARRAYTYPE_P(1);
	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	AimCheckFinite(farr, x, d, "features");
	CheckSameDims(st, d);
	memcpy(AimRowBufNext(&st->buf, aggctx), x, d * sizeof(float8));
	AimRowBufPush(&st->buf);
	PG_RETURN_POINTER(st);
}

/*
 * kmeans_accum(state internal, features float8[], k int [, seed int,
 *				max_iter int, tolerance float8, n_init int])
 *
 * Rows whose features are NULL are skipped; the parameters are checked on
 * every row and must not change.
 */
PG_FUNCTION_INFO_V1(aim_kmeans_accum);
Datum
aim_kmeans_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	KmeansState *st;
	KmeansParams p;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "kmeans_accum called in non-aggregate context");
	st = GetState(fcinfo, 0);

	/*
	 * The state is made on the first row, even one with NULL features, so
	 * that the parameters of every row are compared with the first's.
	 */
	GetParams(fcinfo, &p);
	if (st == NULL)
		st = NewState(aggctx, &p);
	else
	{
		/* a warm start state: a user aggregate mixing support functions */
		if (st->p.init != NULL)
			AimInvalidState("invalid kmeans state");
		CheckSameParams(&st->p, &p);
	}
	return AccumRow(fcinfo, st, aggctx);
}

/*
 * kmeans_accum_init(state internal, features float8[], k int,
 *					 init float8[] [, max_iter int, tolerance float8])
 *
 * As kmeans_accum, for the warm start.  The init array is parsed and
 * compared with the state's only when its datum, as stored (a TOAST
 * pointer for a large model read from a table), differs byte for byte
 * from the previous row's, so that a model costs little per row.
 */
PG_FUNCTION_INFO_V1(aim_kmeans_accum_init);
Datum
aim_kmeans_accum_init(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	KmeansState *st;
	KmeansParams p;
	bool		same_init;
	char	   *raw = NULL;
	Size		rawlen = 0;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "kmeans_accum_init called in non-aggregate context");
	st = GetState(fcinfo, 0);
	if (!PG_ARGISNULL(3))
	{
		raw = DatumGetPointer(PG_GETARG_DATUM(3));
		rawlen = VARSIZE_ANY(raw);
	}
	same_init = st != NULL && raw != NULL && st->init_rawlen == rawlen &&
		memcmp(st->init_raw, raw, rawlen) == 0;
	GetParamsInit(fcinfo, &p, !same_init);
	if (st == NULL)
		st = NewState(aggctx, &p);
	else
	{
		/* not a warm start state: a user aggregate mixing support functions */
		if (st->p.init == NULL)
			AimInvalidState("invalid kmeans state");
		CheckSameParams(&st->p, &p);
	}
	if (!same_init)
	{
		if (st->init_raw != NULL)
			pfree(st->init_raw);
		st->init_raw = MemoryContextAlloc(aggctx, rawlen);
		memcpy(st->init_raw, raw, rawlen);
		st->init_rawlen = rawlen;
	}
	return AccumRow(fcinfo, st, aggctx);
}

/* An empty state with the parameters of b (for AimRowBufCombine). */
static void *
EmptyLike(MemoryContext ctx, const void *b)
{
	return NewState(ctx, &((const KmeansState *) b)->p);
}

/* b's parameters and dimensions must be a's (for AimRowBufCombine). */
static void
CheckLike(void *a, const void *b)
{
	KmeansState *sa = a;
	const KmeansState *sb = b;

	/* one warm start state and one not: a crafted or foreign state */
	if ((sa->p.init == NULL) != (sb->p.init == NULL))
		AimInvalidState("invalid kmeans state");
	CheckSameParams(&sa->p, &sb->p);
	if (sb->buf.width != 0)
		CheckSameDims(sa, sb->buf.width);
}

/* kmeans_combine(internal, internal): concatenate the point buffers */
PG_FUNCTION_INFO_V1(aim_kmeans_combine);
Datum
aim_kmeans_combine(PG_FUNCTION_ARGS)
{
	return AimRowBufCombine(fcinfo, KMEANS_STATE_MAGIC, "kmeans",
							"kmeans_combine", EmptyLike, CheckLike);
}

/*
 * Serialised form: this header, then the k * init_d float8s of init, then
 * the n * d float8s of the points.
 */
typedef struct KmeansSerial
{
	int32		k;
	int32		d;
	int32		seed;
	int32		max_iter;
	double		tol;
	int64		n;
	int32		n_init;
	int32		init_d;
} KmeansSerial;

/* kmeans_serialize(internal) returns bytea */
PG_FUNCTION_INFO_V1(aim_kmeans_serialize);
Datum
aim_kmeans_serialize(PG_FUNCTION_ARGS)
{
	KmeansState *st;
	KmeansSerial hdr;
	Size		initsz;
	char	   *head;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "kmeans_serialize called in non-aggregate context");
	st = GetState(fcinfo, 0);
	memset(&hdr, 0, sizeof(hdr));
	hdr.k = st->p.k;
	hdr.d = st->buf.width;
	hdr.seed = st->p.seed;
	hdr.max_iter = st->p.max_iter;
	hdr.tol = st->p.tol;
	hdr.n = st->buf.n;
	hdr.n_init = st->p.n_init;
	hdr.init_d = st->p.init != NULL ? st->p.init_d : 0;
	initsz = (size_t) hdr.k * hdr.init_d * sizeof(float8);
	head = palloc(sizeof(hdr) + initsz);
	memcpy(head, &hdr, sizeof(hdr));
	if (initsz > 0)
		memcpy(head + sizeof(hdr), st->p.init, initsz);
	PG_RETURN_BYTEA_P(AimRowBufSerialize(&st->buf, head, sizeof(hdr) + initsz));
}

/* kmeans_deserialize(bytea, internal) returns internal */
PG_FUNCTION_INFO_V1(aim_kmeans_deserialize);
Datum
aim_kmeans_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	KmeansSerial hdr;
	KmeansParams p;
	KmeansState *st;
	const float8 *pts;
	Size		initsz;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "kmeans_deserialize called in non-aggregate context");
	AimRowBufReadHeader(in, &hdr, sizeof(hdr), "kmeans");
	if (hdr.k < 1 || hdr.k > KMEANS_MAX_K || hdr.d < 0 ||
		hdr.max_iter < 1 || !(hdr.tol >= 0.0) || isinf(hdr.tol) ||
		hdr.n_init < 1 || hdr.n_init > KMEANS_MAX_N_INIT ||
		hdr.init_d < 0 || (hdr.init_d > 0 && hdr.d > 0 && hdr.init_d != hdr.d) ||
		(uint64) hdr.k * hdr.init_d >
		(VARSIZE_ANY_EXHDR(in) - sizeof(hdr)) / sizeof(float8))
		AimInvalidState("invalid kmeans state");
	initsz = (size_t) hdr.k * hdr.init_d * sizeof(float8);
	p.k = hdr.k;
	p.seed = hdr.seed;
	p.max_iter = hdr.max_iter;
	p.tol = hdr.tol;
	p.n_init = hdr.n_init;
	p.init_d = hdr.init_d;
	p.init = NULL;
	if (initsz > 0)
	{
		p.init = palloc(initsz);
		memcpy(p.init, VARDATA_ANY(in) + sizeof(hdr), initsz);
		for (int i = 0; i < hdr.k * hdr.init_d; i++)
			if (!isfinite(p.init[i]))
				AimInvalidState("invalid kmeans state");
	}
	st = NewState(CurrentMemoryContext, &p);
	if (hdr.d > 0)
		AimRowBufSetWidth(&st->buf, hdr.d);
	AimRowBufLoad(&st->buf, in, sizeof(hdr) + initsz, hdr.n);
	/* kmeans_accum never stores NaN or infinity */
	pts = (const float8 *) st->buf.rows;
	for (int64 i = 0; i < st->buf.n * hdr.d; i++)
		if (!isfinite(pts[i]))
			AimInvalidState("invalid kmeans state");
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------
 * kmeans aggregate: the clustering
 * ---------------------------------------------------------------------
 */

/*
 * Greedy k-means++ seeding, as scikit-learn's _kmeans_plusplus: the first
 * centre is a uniformly random point; each next one is the best, by the
 * resulting potential (sum of squared distances to the nearest centre), of
 * 2 + floor(ln k) candidates drawn with probability proportional to the
 * squared distance to the nearest centre chosen so far.  The candidates of
 * a step are evaluated together in one pass over the points.
 */
#define KMEANS_MAX_TRIALS	16

static void
KmeansPlusPlus(const float8 *x, int64 n, int d, int k, pg_prng_state *rng,
			   float8 *centres)
{
	int			trials = Min(2 + (int) floor(log((double) k)), KMEANS_MAX_TRIALS);
	double	   *closest = AimHugeAlloc(n, sizeof(double));
	double	   *cum = AimHugeAlloc(n, sizeof(double));
	double		pot = 0.0;
	int64		first = (int64) pg_prng_uint64_range(rng, 0, n - 1);

	memcpy(centres, x + (size_t) first * d, d * sizeof(float8));
	for (int64 i = 0; i < n; i++)
	{
		closest[i] = SqDist(x + (size_t) i * d, centres, d);
		pot += closest[i];
	}

	for (int c = 1; c < k; c++)
	{
		int64		cand[KMEANS_MAX_TRIALS] = {0};
		double		candpot[KMEANS_MAX_TRIALS];
		const float8 *cx[KMEANS_MAX_TRIALS];
		double		run = 0.0;
		int			best = 0;
		const float8 *bx;

		/* cumulative weights, for drawing candidates */
		for (int64 i = 0; i < n; i++)
		{
			run += closest[i];
			cum[i] = run;
		}
		pot = run;

		for (int t = 0; t < trials; t++)
		{
			double		r = pg_prng_double(rng) * pot;
			int64		lo = 0,
						hi = n - 1;

			/* first index whose cumulative weight exceeds r: weight > 0 */
			while (lo < hi)
			{
				int64		mid = lo + (hi - lo) / 2;

				if (cum[mid] > r)
					hi = mid;
				else
					lo = mid + 1;
			}
			cand[t] = lo;
			cx[t] = x + (size_t) lo * d;
			candpot[t] = 0.0;
		}

		/* the potential each candidate would leave, in one pass */
		for (int64 i = 0; i < n; i++)
		{
			const float8 *xi = x + (size_t) i * d;

			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			for (int t = 0; t < trials; t++)
			{
				double		dist = SqDist(xi, cx[t], d);

				candpot[t] += Min(closest[i], dist);
			}
		}
		for (int t = 1; t < trials; t++)
			if (candpot[t] < candpot[best])
				best = t;

		bx = x + (size_t) cand[best] * d;
		memcpy(centres + (size_t) c * d, bx, d * sizeof(float8));
		for (int64 i = 0; i < n; i++)
		{
			double		dist = SqDist(x + (size_t) i * d, bx, d);

			if (dist < closest[i])
				closest[i] = dist;
		}
	}
	pfree(closest);
	pfree(cum);
}

/*
 * Safety margin of the bound tests: a point skips its distance computations
 * only if its centre is nearer than any other by this relative margin, far
 * above the rounding error of the bounds, so that skipping never changes an
 * assignment (ties included) compared with computing every distance.
 */
#define HAMERLY_MARGIN	(1.0 - 1e-9)

/* The working set of Lloyd's iterations (see KmeansLloyd). */
typedef struct Lloyd
{
	const float8 *x;			/* n points of d coordinates, canonical order */
	int64		n;
	int			d;
	int			k;
	float8	   *centres;		/* k current centres */
	int		   *label;			/* centre of each point */
	double	   *upper;			/* distance to the own centre, upper bound */
	double	   *lower;			/* distance to any other, lower bound */
	float8	   *newc;			/* k new centres */
	double	   *sums;			/* k sums of the points of each cluster */
	int64	   *count;			/* points per cluster */
	double	   *shift;			/* how far each centre moved */
	double	   *half;			/* half the distance to the nearest other */
	double		maxs;			/* the largest shift, of centre maxj */
	double		maxs2;			/* the second largest shift */
	int			maxj;
	int64		cmask;			/* interrupt check period, minus 1 */
} Lloyd;

/*
 * Full assignment of point x: nearest centre, its distance and the second
 * smallest distance (Euclidean), as the bounds.
 */
static inline int
AssignFull(const float8 *x, const float8 *centres, int k, int d,
		   double *upper, double *lower)
{
	double		d1,
				d2;
	bool		allfinite;
	int			j = Nearest(x, centres, k, d, 0.0, &d1, &d2, &allfinite);

	*upper = sqrt(d1);
	*lower = sqrt(d2);
	return j;
}

/* Allocate the working set and make the first, full, assignment. */
static void
LloydStart(Lloyd *L, const float8 *x, int64 n, int d, int k, float8 *centres)
{
	L->x = x;
	L->n = n;
	L->d = d;
	L->k = k;
	L->centres = centres;
	L->label = AimHugeAlloc(n, sizeof(int));
	L->upper = AimHugeAlloc(n, sizeof(double));
	L->lower = AimHugeAlloc(n, sizeof(double));
	L->newc = palloc((size_t) k * d * sizeof(float8));
	L->sums = palloc((size_t) k * d * sizeof(double));
	L->count = palloc(k * sizeof(int64));
	L->shift = palloc(k * sizeof(double));
	L->half = palloc(k * sizeof(double));

	/* check for interrupts about every 2^22 multiply-adds of assignment */
	L->cmask = 1;
	while (L->cmask < 65536 && L->cmask * k * d < (INT64CONST(1) << 22))
		L->cmask <<= 1;
	L->cmask--;

	for (int64 i = 0; i < n; i++)
	{
		L->label[i] = AssignFull(x + (size_t) i * d, centres, k, d,
								 &L->upper[i], &L->lower[i]);
		if ((i & L->cmask) == 0)
			CHECK_FOR_INTERRUPTS();
	}
}

static void
LloydEnd(Lloyd *L)
{
	pfree(L->label);
	pfree(L->upper);
	pfree(L->lower);
	pfree(L->newc);
	pfree(L->sums);
	pfree(L->count);
	pfree(L->shift);
	pfree(L->half);
}

/*
 * M-step: the means of the clusters, summed in canonical order, into newc.
 * Returns the number of empty clusters.
 */
static int
LloydMeans(Lloyd *L)
{
	const float8 *x = L->x;
	const int  *label = L->label;
	double	   *sums = L->sums;
	int64	   *count = L->count;
	int			d = L->d,
				k = L->k,
				nempty = 0;
	int64		n = L->n;

	memset(sums, 0, (size_t) k * d * sizeof(double));
	memset(count, 0, k * sizeof(int64));
	CHECK_FOR_INTERRUPTS();
	for (int64 i = 0; i < n; i++)
	{
		double	   *s = sums + (size_t) label[i] * d;
		const float8 *xi = x + (size_t) i * d;

		for (int t = 0; t < d; t++)
			s[t] += xi[t];
		count[label[i]]++;
	}
	for (int j = 0; j < k; j++)
	{
		if (count[j] == 0)
			nempty++;
		else
			for (int t = 0; t < d; t++)
				L->newc[(size_t) j * d + t] = sums[(size_t) j * d + t] / count[j];
	}
	return nempty;
}

/*
 * Empty clusters take the points farthest from their centres (as
 * scikit-learn does), which then leave their old clusters' means.  The
 * distances are computed afresh from the current centres; ties go to the
 * lowest index.
 */
static void
LloydReseed(Lloyd *L, int nempty)
{
	int			d = L->d;

	for (int e = 0; e < nempty; e++)
	{
		int			j = -1,
					old;
		int64		far = -1;
		double		fard = -1.0;
		const float8 *xf;

		for (int jj = 0; jj < L->k; jj++)
			if (L->count[jj] == 0)
			{
				j = jj;
				break;
			}
		CHECK_FOR_INTERRUPTS();
		for (int64 i = 0; i < L->n; i++)
		{
			double		dist = sqrt(SqDist(L->x + (size_t) i * d,
										   L->centres + (size_t) L->label[i] * d, d));

			if (L->count[L->label[i]] > 1 && dist > fard)
			{
				fard = dist;
				far = i;
			}
		}
		if (far < 0)
			elog(ERROR, "kmeans: no point to re-seed an empty cluster");
		old = L->label[far];
		xf = L->x + (size_t) far * d;
		for (int t = 0; t < d; t++)
		{
			L->sums[(size_t) old * d + t] -= xf[t];
			L->newc[(size_t) old * d + t] = L->sums[(size_t) old * d + t] / (L->count[old] - 1);
			L->newc[(size_t) j * d + t] = xf[t];
		}
		L->count[old]--;
		L->count[j] = 1;
		L->label[far] = j;
		L->upper[far] = 0.0;
		L->lower[far] = 0.0;	/* forces a full assignment next time */
	}
}

/*
 * The centre shifts, the largest two of them; the new centres become
 * current.  Returns the sum of the squared shifts.
 */
static double
LloydShift(Lloyd *L)
{
	int			d = L->d;
	double		shift2 = 0.0;

	L->maxs = 0.0;
	L->maxs2 = 0.0;
	L->maxj = 0;
	for (int j = 0; j < L->k; j++)
	{
		double		s2 = SqDist(L->newc + (size_t) j * d, L->centres + (size_t) j * d, d);

		shift2 += s2;
		L->shift[j] = sqrt(s2);
		if (L->shift[j] > L->maxs)
		{
			L->maxs2 = L->maxs;
			L->maxs = L->shift[j];
			L->maxj = j;
		}
		else if (L->shift[j] > L->maxs2)
			L->maxs2 = L->shift[j];
	}
	memcpy(L->centres, L->newc, (size_t) L->k * d * sizeof(float8));
	return shift2;
}

/* The inertia of the current assignment, for progress messages. */
static double
LloydInertia(const Lloyd *L)
{
	double		inertia = 0.0;

	for (int64 i = 0; i < L->n; i++)
		inertia += SqDist(L->x + (size_t) i * L->d,
						  L->centres + (size_t) L->label[i] * L->d, L->d);
	return inertia;
}

/*
 * E-step with Hamerly's bounds: the bounds follow the centres, and only
 * the points whose bounds no longer prove their centre nearest are
 * reassigned.  Returns the number of points that changed cluster.
 */
static int64
LloydAssign(Lloyd *L)
{
	/* locals: the stores below must not make the compiler reload L */
	const float8 *x = L->x,
			   *centres = L->centres;
	int			d = L->d,
				k = L->k,
				maxj = L->maxj;
	int		   *label = L->label;
	double	   *upper = L->upper,
			   *lower = L->lower;
	const double *shift = L->shift,
			   *half = L->half;
	double		maxs = L->maxs,
				maxs2 = L->maxs2;
	int64		n = L->n,
				cmask = L->cmask,
				moved = 0;

	for (int j = 0; j < k; j++)
	{
		double		m = INFINITY;

		CHECK_FOR_INTERRUPTS();
		for (int jj = 0; jj < k; jj++)
			if (jj != j)
				m = Min(m, SqDist(centres + (size_t) j * d,
								  centres + (size_t) jj * d, d));
		L->half[j] = 0.5 * sqrt(m);
	}

	for (int64 i = 0; i < n; i++)
	{
		int			a = label[i];
		double		m;
		const float8 *xi = x + (size_t) i * d;

		if ((i & cmask) == 0)
			CHECK_FOR_INTERRUPTS();
		upper[i] += shift[a];
		lower[i] -= (a == maxj) ? maxs2 : maxs;
		m = Max(half[a], lower[i]);
		if (upper[i] < m * HAMERLY_MARGIN)
			continue;
		upper[i] = sqrt(SqDist(xi, centres + (size_t) a * d, d));
		if (upper[i] < m * HAMERLY_MARGIN)
			continue;
		label[i] = AssignFull(xi, centres, k, d, &upper[i], &lower[i]);
		if (label[i] != a)
			moved++;
	}
	return moved;
}

/*
 * Lloyd's algorithm with Hamerly's bounds.  x: n points in canonical order;
 * centres: k initial centres, overwritten with the result; unscale2 turns
 * squared distances of the (possibly rescaled) data back into the user's
 * units for progress messages.  Returns the number of iterations run.
 */
static int
KmeansLloyd(const float8 *x, int64 n, int d, int k, int max_iter,
			double tol_abs, double unscale2, float8 *centres)
{
	Lloyd		L;
	int			iter;

	LloydStart(&L, x, n, d, k, centres);
	for (iter = 1;; iter++)
	{
		int			nempty = LloydMeans(&L);
		double		shift2;

		LloydReseed(&L, nempty);
		shift2 = LloydShift(&L);
		if (aim_progress)
			ereport(NOTICE,
					(errmsg("kmeans iteration %d: inertia %g, centre shift %g (tolerance %g), %d empty clusters re-seeded",
							iter, LloydInertia(&L) * unscale2, shift2 * unscale2,
							tol_abs * unscale2, nempty)));
		if (iter >= max_iter || shift2 <= tol_abs)
			break;
		if (LloydAssign(&L) == 0)
		{
			/*
			 * Strict convergence: the next M-step would reproduce the same
			 * centres (same labels, same summation order).
			 */
			iter++;
			break;
		}
	}
	LloydEnd(&L);
	return iter;
}

/*
 * The inertia of centres: the sum over the points, in canonical order, of
 * the squared distance to the nearest centre (the final assignment, as
 * scikit-learn's inertia_).
 */
static double
Inertia(const float8 *x, int64 n, int d, int k, const float8 *centres)
{
	double		inertia = 0.0;

	for (int64 i = 0; i < n; i++)
	{
		double		d1,
					d2;
		bool		allfinite;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		(void) Nearest(x + (size_t) i * d, centres, k, d, 0.0, &d1, &d2,
					   &allfinite);
		inertia += d1;
	}
	return inertia;
}

/*
 * Mean per-feature (population) variance, scikit-learn's tolerance scale:
 * a pass for the means and one for the squared deviations, both row-wise.
 */
static double
MeanVariance(const float8 *x, int64 n, int d)
{
	double	   *mean = palloc0(d * sizeof(double));
	double	   *ss = palloc0(d * sizeof(double));
	double		total = 0.0;

	for (int64 i = 0; i < n; i++)
		for (int t = 0; t < d; t++)
			mean[t] += x[(size_t) i * d + t];
	for (int t = 0; t < d; t++)
		mean[t] /= n;
	for (int64 i = 0; i < n; i++)
		for (int t = 0; t < d; t++)
		{
			double		dv = x[(size_t) i * d + t] - mean[t];

			ss[t] += dv * dv;
		}
	for (int t = 0; t < d; t++)
		total += ss[t] / n;
	pfree(mean);
	pfree(ss);
	return total / d;
}

/*
 * Coordinates so large (or small) that squared distances would overflow
 * (or underflow) are scaled by a power of two, which is exact, and the
 * centroids scaled back: the clustering is the same.  Scales x[0..len) in
 * place if needed and returns the exponent it was divided by (0: unscaled).
 */
static int
ScaleToRange(float8 *x, int64 len)
{
	double		m = 0.0;
	int			scale_exp = 0;

	for (int64 i = 0; i < len; i++)
		m = Max(m, fabs(x[i]));
	if (m > 1e100 || (m > 0.0 && m < 1e-100))
	{
		(void) frexp(m, &scale_exp);
		for (int64 i = 0; i < len; i++)
			x[i] = ldexp(x[i], -scale_exp);
	}
	return scale_exp;
}

/*
 * The best of st->p.n_init k-means++ runs into centres; returns the
 * iterations of the winning run.  The runs draw from one random stream
 * seeded with seed, so that the first run is the one of n_init = 1; the
 * lowest inertia wins, the earliest run on ties.
 */
static int
BestOfRuns(const KmeansState *st, const float8 *x, int64 n, int d,
		   double tol_abs, int scale_exp, float8 *centres)
{
	int			k = st->p.k;
	float8	   *trial = NULL;
	double		best = 0.0;
	int			iters = 0;
	pg_prng_state rng;

	pg_prng_seed(&rng, (uint64) (int64) st->p.seed);
	if (st->p.n_init > 1)
		trial = palloc((size_t) k * d * sizeof(float8));
	for (int r = 0; r < st->p.n_init; r++)
	{
		float8	   *c = r == 0 ? centres : trial;
		double		inertia;
		int			it;

		KmeansPlusPlus(x, n, d, k, &rng, c);
		it = KmeansLloyd(x, n, d, k, st->p.max_iter, tol_abs,
						 ldexp(1.0, 2 * scale_exp), c);
		if (st->p.n_init == 1)
			return it;
		inertia = Inertia(x, n, d, k, c);
		if (aim_progress)
			ereport(NOTICE,
					(errmsg("kmeans run %d of %d: inertia %g after %d iterations",
							r + 1, st->p.n_init,
							inertia * ldexp(1.0, 2 * scale_exp), it)));
		if (r == 0 || inertia < best)
		{
			best = inertia;
			iters = it;
			if (r > 0)
				memcpy(centres, trial, (size_t) k * d * sizeof(float8));
		}
	}
	return iters;
}

/*
 * kmeans_final(state internal) returns float8[]
 *
 * The k x d centroids; NULL if no row had features.  Work memory: the
 * points once more in canonical order (8 * d bytes per point) plus about
 * 56 bytes per point of keys, bounds and labels, in a private context that
 * is freed before returning.
 */
PG_FUNCTION_INFO_V1(aim_kmeans_final);
Datum
aim_kmeans_final(PG_FUNCTION_ARGS)
{
	KmeansState *st = GetState(fcinfo, 0);
	MemoryContext work,
				old;
	float8	   *x;
	float8	   *centres;
	int64		n,
				ndistinct;
	int			iters;
	double		tol_abs;
	Datum	   *elems;
	int			dims[2],
				lbs[2] = {1, 1};
	ArrayType  *result;
	int			k,
				d,
				scale_exp = 0;

	if (st == NULL || st->buf.n == 0)
		PG_RETURN_NULL();
	n = st->buf.n;
	k = st->p.k;
	d = st->buf.width;

	work = AllocSetContextCreate(CurrentMemoryContext, "kmeans work",
								 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);

	x = AimRowBufCanonical(&st->buf, &ndistinct);
	if (ndistinct < k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k = %d is larger than the number of distinct points, " INT64_FORMAT,
						k, ndistinct)));

	scale_exp = ScaleToRange(x, n * d);

	tol_abs = st->p.tol * MeanVariance(x, n, d);
	centres = palloc((size_t) k * d * sizeof(float8));
	if (st->p.init != NULL)
	{
		/* warm start: Lloyd from the given centroids, scaled as the data */
		for (int i = 0; i < k * d; i++)
			centres[i] = ldexp(st->p.init[i], -scale_exp);
		iters = KmeansLloyd(x, n, d, k, st->p.max_iter, tol_abs,
							ldexp(1.0, 2 * scale_exp), centres);
	}
	else
		iters = BestOfRuns(st, x, n, d, tol_abs, scale_exp, centres);
	if (scale_exp != 0)
		for (int i = 0; i < k * d; i++)
			centres[i] = ldexp(centres[i], scale_exp);
	if (aim_progress)
		ereport(NOTICE,
				(errmsg("kmeans: " INT64_FORMAT " points (" INT64_FORMAT " distinct), k = %d, %d iterations",
						n, ndistinct, k, iters)));

	MemoryContextSwitchTo(old);
	elems = palloc((size_t) k * d * sizeof(Datum));
	for (int i = 0; i < k * d; i++)
		elems[i] = Float8GetDatum(centres[i]);
	dims[0] = k;
	dims[1] = d;
	result = construct_md_array(elems, NULL, 2, dims, lbs, FLOAT8OID,
								sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	MemoryContextDelete(work);
	PG_RETURN_ARRAYTYPE_P(result);
}

/* ---------------------------------------------------------------------
 * kmeans_inertia and kmeans_silhouette
 * ---------------------------------------------------------------------
 *
 * Both keep a float8[2] state {rows, sum} (an ordinary type, so partial
 * states need no serialisation), updated in place under an aggregate.
 */

/* Add (rows, sum) to the pair state in argument 0. */
static Datum
PairStateAdd(FunctionCallInfo fcinfo, const char *caller, float8 rows,
			 float8 sum)
{
	ArrayType  *sarr = PG_GETARG_ARRAYTYPE_P(0);
	float8	   *s = AimFloat8StateArg(sarr, 2, caller);
	float8		v[2];

	v[0] = s[0] + rows;
	v[1] = s[1] + sum;
	return AimFloat8StateResult(fcinfo, sarr, v, 2);
}

/*
 * The slow path of NearestTwo: the distances in the user's units (e1, e2,
 * Infinity beyond DBL_MAX) and in units of 2^e (s1, s2), ordered by the
 * scaled distance, which never overflows; the unscaled one breaks the ties
 * of scaled distances that underflowed.  allfinite: every squared distance
 * was finite, so all are recomputed scaled; else only those that
 * overflowed.
 */
static void
NearestTwoScaled(const float8 *x, const float8 *c, int k, int d,
				 bool allfinite, double *a, double *b, double *as,
				 double *bs, double *a2)
{
	int			e = ScaleExponent(x, c, k, d);
	double		s = ldexp(1.0, -e),
				e1 = 0.0,
				e2 = INFINITY,
				s1 = 0.0,
				s2 = INFINITY,
				q1 = 0.0;

	for (int j = 0; j < k; j++)
	{
		const float8 *cj = c + (size_t) j * d;
		double		dist = SqDist(x, cj, d);
		double		sq = dist;
		double		sdist;

		if (isfinite(dist) && !allfinite)
		{
			dist = sqrt(dist);
			sdist = ldexp(dist, -e);
		}
		else
		{
			sdist = sqrt(ScaledSqDist(x, cj, d, s));
			dist = ldexp(sdist, e); /* Infinity beyond DBL_MAX */
		}
		if (j == 0 || sdist < s1 || (sdist == s1 && dist < e1))
		{
			if (j > 0)
			{
				e2 = e1;
				s2 = s1;
			}
			e1 = dist;
			s1 = sdist;
			q1 = sq;
		}
		else if (sdist < s2 || (sdist == s2 && dist < e2))
		{
			e2 = dist;
			s2 = sdist;
		}
	}
	*a = e1;
	*b = e2;
	*as = (allfinite || !isfinite(e2)) ? s1 : e1;
	*bs = (allfinite || !isfinite(e2)) ? s2 : e2;
	*a2 = q1;
}

/*
 * Euclidean distances of x to its nearest and second-nearest centroid (a
 * and b; b is Infinity for one centroid), with the checks of
 * kmeans_assign: every centroid must be finite.  Squared distances that
 * overflow from finite inputs are recomputed on data scaled by a power of
 * two, 2^-e, and so are all of them when the nearest squared distance is
 * so small that underflow matters (UNDERFLOW_DIST).  A distance itself can
 * exceed the largest double (x = 1e308, a centroid at -1e308), or be
 * subnormal, so (as, bs) is the pair for ratios such as the silhouette's:
 * the distances in scaled units when b overflowed or everything was
 * rescaled, else a and b.  *a2 is the squared distance to the nearest
 * centroid as summed (not a squared square root, which would round).
 * Returns the number of centroids.
 */
static int
NearestTwo(ArrayType *farr, ArrayType *carr, double *a, double *b,
		   double *as, double *bs, double *a2)
{
	const float8 *x,
			   *c;
	int			d,
				k;
	double		b1,
				b2;
	bool		allfinite;

	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	c = CentroidsArg(carr, d, &k);
	(void) Nearest(x, c, k, d, 0.0, &b1, &b2, &allfinite);
	if (likely(allfinite && b1 >= UNDERFLOW_DIST(d)))
	{
		*a = *as = sqrt(b1);
		*b = *bs = sqrt(b2);
		*a2 = b1;
		return k;
	}

	/*
	 * Non-finite input, or overflow: distances of the overflowed ones; or
	 * tiny distances (allfinite): all of them.
	 */
	AimCheckFinite(farr, x, d, "features");
	AimCheckFiniteMatrix(carr, c, k, d, "centroids");
	NearestTwoScaled(x, c, k, d, allfinite, a, b, as, bs, a2);
	return k;
}

/* kmeans_inertia_accum(state float8[], features float8[], centroids float8[]) */
PG_FUNCTION_INFO_V1(aim_kmeans_inertia_accum);
Datum
aim_kmeans_inertia_accum(PG_FUNCTION_ARGS)
{
	double		a,
				b,
				as,
				bs,
				d1;

	(void) AimFloat8StateArg(PG_GETARG_ARRAYTYPE_P(0), 2, "kmeans_inertia_accum");
	(void) NearestTwo(PG_GETARG_ARRAYTYPE_P(1), PG_GETARG_ARRAYTYPE_P(2),
					  &a, &b, &as, &bs, &d1);
	if (isinf(d1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("squared distance to the nearest centroid is out of range for type double precision"),
				 errhint("Scale the features.")));
	return PairStateAdd(fcinfo, "kmeans_inertia_accum", 1.0, d1);
}

/* kmeans_silhouette_accum(state float8[], features float8[], centroids float8[]) */
PG_FUNCTION_INFO_V1(aim_kmeans_silhouette_accum);
Datum
aim_kmeans_silhouette_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *sarr = PG_GETARG_ARRAYTYPE_P(0);
	double		a,
				b,
				as,
				bs,
				a2,
				sil;
	int			k;

	(void) AimFloat8StateArg(sarr, 2, "kmeans_silhouette_accum");
	k = NearestTwo(PG_GETARG_ARRAYTYPE_P(1), PG_GETARG_ARRAYTYPE_P(2),
				   &a, &b, &as, &bs, &a2);
	if (k < 2)
		PG_RETURN_ARRAYTYPE_P(sarr);	/* undefined for one cluster */
	/* the ratio, from the distances or the same scaled (see NearestTwo) */
	a = as;
	b = bs;
	sil = (b > 0.0) ? (b - a) / b : 0.0;	/* b >= a, so max(a, b) = b */
	return PairStateAdd(fcinfo, "kmeans_silhouette_accum", 1.0, sil);
}

/* kmeans_pair_combine(float8[], float8[]) */
PG_FUNCTION_INFO_V1(aim_kmeans_pair_combine);
Datum
aim_kmeans_pair_combine(PG_FUNCTION_ARGS)
{
	float8	   *s2;

	(void) AimFloat8StateArg(PG_GETARG_ARRAYTYPE_P(0), 2, "kmeans_pair_combine");
	s2 = AimFloat8StateArg(PG_GETARG_ARRAYTYPE_P(1), 2, "kmeans_pair_combine");
	return PairStateAdd(fcinfo, "kmeans_pair_combine", s2[0], s2[1]);
}

/* kmeans_inertia_final(float8[]): the sum; NULL for no rows */
PG_FUNCTION_INFO_V1(aim_kmeans_inertia_final);
Datum
aim_kmeans_inertia_final(PG_FUNCTION_ARGS)
{
	float8	   *s = AimFloat8StateArg(PG_GETARG_ARRAYTYPE_P(0), 2, "kmeans_inertia_final");

	if (s[0] == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[1]);
}

/* kmeans_silhouette_final(float8[]): the mean; NULL for no rows or k = 1 */
PG_FUNCTION_INFO_V1(aim_kmeans_silhouette_final);
Datum
aim_kmeans_silhouette_final(PG_FUNCTION_ARGS)
{
	float8	   *s = AimFloat8StateArg(PG_GETARG_ARRAYTYPE_P(0), 2, "kmeans_silhouette_final");

	if (s[0] == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[1] / s[0]);
}

/*
 * kmeans_centroids(centroids float8[]) returns table(cluster int,
 * centroid float8[]): one row per centroid, 1-based.
 */
PG_FUNCTION_INFO_V1(aim_kmeans_centroids);
Datum
aim_kmeans_centroids(PG_FUNCTION_ARGS)
{
	ArrayType  *carr = PG_GETARG_ARRAYTYPE_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const float8 *c;
	int			k,
				d;
	Datum	   *elems;

	c = AimMatrixArg(carr, "centroids", &k, &d);
	AimCheckFiniteMatrix(carr, c, k, d, "centroids");
	InitMaterializedSRF(fcinfo, 0);
	elems = palloc(d * sizeof(Datum));
	for (int j = 0; j < k; j++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		for (int t = 0; t < d; t++)
			elems[t] = Float8GetDatum(c[(size_t) j * d + t]);
		values[0] = Int32GetDatum(j + 1);
		values[1] = PointerGetDatum(construct_array(elems, d, FLOAT8OID, sizeof(float8),
													FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * kmeans_match: renumbering a new model after an old one
 * ---------------------------------------------------------------------
 */

/*
 * A cost of the assignment problem: the squared distance, then (on equal
 * distances) the number of centroids that change number.  Costs compare
 * lexicographically and add component-wise, an ordered group, so the
 * Hungarian algorithm below minimises the distance first and, among the
 * assignments of the same total distance, keeps the most centroids at
 * their own number.
 */
typedef struct MatchCost
{
	double		dist;
	int64		moves;
} MatchCost;

static inline bool
CostLess(MatchCost a, MatchCost b)
{
	return a.dist < b.dist || (a.dist == b.dist && a.moves < b.moves);
}

/*
 * Minimum-cost assignment of the n rows (old centroids) to distinct
 * columns (new centroids) of the n x m matrix dist, n <= m: the Hungarian
 * algorithm in its shortest augmenting path form with potentials (Kuhn
 * 1955, Munkres 1957; the O(n^2 m) formulation of Jonker and Volgenant):
 * each row in turn is added by a Dijkstra-like search over the columns.
 * The cost of row i, column j is (dist[i][j], i != j).  Ties between
 * searches go to the lowest column, so the result is deterministic.
 * col_of_row[i] receives the column of row i.
 */
static void
Hungarian(const double *dist, int n, int m, int *col_of_row)
{
	MatchCost  *u = palloc0((n + 1) * sizeof(MatchCost));
	MatchCost  *v = palloc0((m + 1) * sizeof(MatchCost));
	MatchCost  *minv = palloc((m + 1) * sizeof(MatchCost));
	int		   *p = palloc0((m + 1) * sizeof(int));	/* row of column j, 1-based */
	int		   *way = palloc0((m + 1) * sizeof(int));
	bool	   *used = palloc((m + 1) * sizeof(bool));
	const MatchCost inf = {INFINITY, 0};

	for (int i = 1; i <= n; i++)
	{
		int			j0 = 0;

		p[0] = i;
		for (int j = 0; j <= m; j++)
		{
			minv[j] = inf;
			used[j] = false;
		}
		do
		{
			int			i0 = p[j0],
						j1 = 0;
			MatchCost	delta = inf;

			CHECK_FOR_INTERRUPTS();
			used[j0] = true;
			for (int j = 1; j <= m; j++)
			{
				MatchCost	cur;

				if (used[j])
					continue;
				cur.dist = dist[(size_t) (i0 - 1) * m + (j - 1)] - u[i0].dist - v[j].dist;
				cur.moves = (i0 != j) - u[i0].moves - v[j].moves;
				if (CostLess(cur, minv[j]))
				{
					minv[j] = cur;
					way[j] = j0;
				}
				if (j1 == 0 || CostLess(minv[j], delta))
				{
					delta = minv[j];
					j1 = j;
				}
			}
			for (int j = 0; j <= m; j++)
			{
				if (used[j])
				{
					u[p[j]].dist += delta.dist;
					u[p[j]].moves += delta.moves;
					v[j].dist -= delta.dist;
					v[j].moves -= delta.moves;
				}
				else
				{
					minv[j].dist -= delta.dist;
					minv[j].moves -= delta.moves;
				}
			}
			j0 = j1;
		} while (p[j0] != 0);
		/* augment along the path found */
		do
		{
			int			j1 = way[j0];

			p[j0] = p[j1];
			j0 = j1;
		} while (j0 != 0);
	}
	for (int j = 1; j <= m; j++)
		if (p[j] != 0)
			col_of_row[p[j] - 1] = j - 1;
	pfree(u);
	pfree(v);
	pfree(minv);
	pfree(p);
	pfree(way);
	pfree(used);
}

#define KMEANS_MATCH_MAX_K	10000

/*
 * kmeans_match(new_centroids float8[], old_centroids float8[]) returns
 * float8[]
 *
 * The rows of new_centroids renumbered so that new centroid i takes the
 * number of the old centroid it is assigned to, the assignment minimising
 * the total squared Euclidean distance between the matched pairs (an
 * optimal assignment, found by the Hungarian algorithm in O(k^3)).  Among
 * assignments of the same total, the one that leaves the most new
 * centroids at their own number wins; remaining ties are broken the same
 * way every time (see Hungarian).  With more new centroids than old ones,
 * the unmatched new centroids follow, in their order.
 */
PG_FUNCTION_INFO_V1(aim_kmeans_match);
Datum
aim_kmeans_match(PG_FUNCTION_ARGS)
{
	ArrayType  *narr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *oarr = PG_GETARG_ARRAYTYPE_P(1);
	const float8 *nc,
			   *oc;
	int			kn,
				ko,
				d,
				dold,
				next;
	double	   *dist;
	int		   *col_of_row;
	bool	   *taken;
	double		m = 0.0,
				scale = 1.0;
	Datum	   *elems;
	int			dims[2],
				lbs[2] = {1, 1};

	nc = AimMatrixArg(narr, "new_centroids", &kn, &d);
	oc = AimMatrixArg(oarr, "old_centroids", &ko, &dold);
	AimCheckFiniteMatrix(narr, nc, kn, d, "new_centroids");
	AimCheckFiniteMatrix(oarr, oc, ko, dold, "old_centroids");
	if (d != dold)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("new_centroids row length %d does not match old_centroids row length %d",
						d, dold)));
	if (kn < ko)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new_centroids has %d rows, fewer than the %d of old_centroids",
						kn, ko),
				 errdetail("Every old centroid must be matched by a new one.")));
	if (kn > KMEANS_MATCH_MAX_K || (size_t) kn * ko > MaxAllocSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("kmeans_match supports at most %d centroids, not %d",
						KMEANS_MATCH_MAX_K, kn)));

	/*
	 * Squared distances of coordinates beyond 1e100 (or below 1e-100) could
	 * overflow (underflow): the distances are then those of the data scaled
	 * by a power of two, which is exact and keeps their order.
	 */
	for (int i = 0; i < kn * d; i++)
		m = Max(m, fabs(nc[i]));
	for (int i = 0; i < ko * d; i++)
		m = Max(m, fabs(oc[i]));
	if (m > 1e100 || (m > 0.0 && m < 1e-100))
	{
		int			e;

		(void) frexp(m, &e);
		scale = ldexp(1.0, -e);
	}

	dist = palloc((size_t) ko * kn * sizeof(double));
	for (int i = 0; i < ko; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int j = 0; j < kn; j++)
			dist[(size_t) i * kn + j] = scale == 1.0 ?
				SqDist(oc + (size_t) i * d, nc + (size_t) j * d, d) :
				ScaledSqDist(oc + (size_t) i * d, nc + (size_t) j * d, d, scale);
	}
	col_of_row = palloc(ko * sizeof(int));
	Hungarian(dist, ko, kn, col_of_row);

	elems = palloc((size_t) kn * d * sizeof(Datum));
	taken = palloc0(kn * sizeof(bool));
	for (int i = 0; i < ko; i++)
	{
		taken[col_of_row[i]] = true;
		for (int t = 0; t < d; t++)
			elems[(size_t) i * d + t] =
				Float8GetDatum(nc[(size_t) col_of_row[i] * d + t]);
	}
	next = ko;
	for (int j = 0; j < kn; j++)
		if (!taken[j])
		{
			for (int t = 0; t < d; t++)
				elems[(size_t) next * d + t] = Float8GetDatum(nc[(size_t) j * d + t]);
			next++;
		}
	dims[0] = kn;
	dims[1] = d;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, NULL, 2, dims, lbs, FLOAT8OID,
											 sizeof(float8), FLOAT8PASSBYVAL,
											 TYPALIGN_DOUBLE));
}
