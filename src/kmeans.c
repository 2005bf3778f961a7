/*-------------------------------------------------------------------------
 *
 * kmeans.c
 *	  k-means customer segmentation.
 *
 *	  kmeans(features, k [, seed, max_iter, tolerance])	aggregate: centroids
 *	  kmeans_assign(features, centroids)				the nearest centroid
 *	  kmeans_inertia(features, centroids)				aggregate
 *	  kmeans_silhouette(features, centroids)			aggregate
 *	  kmeans_centroids(centroids)						centroids as rows
 *
 * The kmeans aggregate collects the points (an internal state: a flat
 * float8 buffer in a huge allocation, so it is not bound by the 1 GB palloc
 * limit; partial states of parallel workers are concatenated), then in the
 * final function:
 *
 *	1. puts the points in a canonical order: sorted by a 64-bit hash of their
 *	   coordinates (ties by the coordinates), so that seeding and every
 *	   floating-point sum see the same sequence whatever the row order or
 *	   the parallel plan, and the result is bit-for-bit reproducible;
 *	2. seeds with greedy k-means++ (Arthur & Vassilvitskii, "k-means++: the
 *	   advantages of careful seeding", SODA 2007; the greedy variant with
 *	   2 + ln k local trials per centre is scikit-learn's);
 *	3. runs Lloyd iterations accelerated with Hamerly's bounds (G. Hamerly,
 *	   "Making k-means even faster", SDM 2010): an upper bound on the
 *	   distance to the own centre and a lower bound on the distance to any
 *	   other let most points skip the distance computations.  The
 *	   assignment is exactly Lloyd's: a point is skipped only when its
 *	   centre is nearest by a safety margin; otherwise all distances are
 *	   computed with the arithmetic kmeans_assign() uses.
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

/*
 * Below this squared distance to the nearest centroid, squared differences
 * that underflowed (each less than DBL_MIN, lost or subnormal) can weigh
 * more than rounding: the distances are then recomputed on scaled data.
 */
#define UNDERFLOW_DIST(d)	((d) * (DBL_MIN / DBL_EPSILON))

/*
 * Nearest centroid when a squared distance overflowed, or underflowed (see
 * UNDERFLOW_DIST).  All coordinates are
 * scaled by one power of two that brings the largest to [0.5, 1): scaling by
 * a power of two is exact, so x*s - c*s is the rounded difference times s
 * and the order of the distances is the one exact arithmetic would give,
 * without overflow (each squared term is at most 4).
 */
static int
NearestScaled(const float8 *x, const float8 *c, int k, int d)
{
	double		m = 0.0,
				best = 0.0,
				s;
	int			bestj = 0,
				e;

	for (int i = 0; i < d; i++)
		m = Max(m, fabs(x[i]));
	for (int i = 0; i < k * d; i++)
		m = Max(m, fabs(c[i]));
	(void) frexp(m, &e);
	s = ldexp(1.0, -e);

	for (int j = 0; j < k; j++)
	{
		const float8 *cj = c + (size_t) j * d;
		double		dist = 0.0;

		for (int i = 0; i < d; i++)
		{
			double		diff = x[i] * s - cj[i] * s;

			dist += diff * diff;
		}
		if (j == 0 || dist < best)
		{
			best = dist;
			bestj = j;
		}
	}
	return bestj;
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
	double		bestdist;

	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	c = CentroidsArg(carr, d, &k);

	best = AimNearest(x, c, k, d, &bestdist);
	if (unlikely(best < 0))
	{
		/* some distance was not finite: bad input, or overflow */
		AimCheckFinite(farr, x, d, "features");
		AimCheckFiniteMatrix(carr, c, k, d, "centroids");
		best = NearestScaled(x, c, k, d);
	}
	else if (unlikely(bestdist < UNDERFLOW_DIST(d)))
		best = NearestScaled(x, c, k, d);	/* tiny coordinates */
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

/*
 * The transition state.  internal rather than an ordinary type: the point
 * buffer grows to n * d doubles and is appended to in place; an array state
 * would be copied per row.  8 * d bytes per row (plus the geometric growth
 * slack); the final function needs about as much again (see KmeansRun).
 */
#define KMEANS_STATE_MAGIC	0x4B4D4E31	/* "KMN1" */

typedef struct KmeansState
{
	uint32		magic;			/* KMEANS_STATE_MAGIC */
	int32		k;
	int32		d;				/* dimensions, fixed by the first non-NULL
								 * row; 0 until then */
	int32		seed;
	int32		max_iter;
	double		tol;
	int64		n;				/* points stored */
	int64		cap;			/* capacity, in points */
	float8	   *pts;			/* n * d coordinates, row-major */
	uint64	   *hashes;			/* AimRowHash() of each point */
} KmeansState;

/* Parameters of one call, from the aggregate's arguments. */
typedef struct KmeansParams
{
	int32		k;
	int32		seed;
	int32		max_iter;
	double		tol;
} KmeansParams;

static void
KmeansGetParams(FunctionCallInfo fcinfo, KmeansParams *p)
{
	int			nargs = PG_NARGS();
	static const char *const names[] = {"k", "seed", "max_iter", "tolerance"};

	for (int i = 2; i < nargs; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("kmeans parameter %s must not be null", names[i - 2])));
	p->k = PG_GETARG_INT32(2);
	p->seed = nargs > 3 ? PG_GETARG_INT32(3) : KMEANS_DEFAULT_SEED;
	p->max_iter = nargs > 4 ? PG_GETARG_INT32(4) : KMEANS_DEFAULT_MAX_ITER;
	p->tol = nargs > 5 ? PG_GETARG_FLOAT8(5) : KMEANS_DEFAULT_TOL;

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
}

/* Complain if a row's parameters differ from those the state was built with. */
static void
KmeansCheckSameParams(const KmeansState *st, const KmeansParams *p)
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
	if (what)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kmeans parameter %s must be the same for every row", what),
				 errdetail("Earlier rows had %s = %s, this row has %s = %s.",
						   what, was, what, now)));
}

/* Check (internal) states: a user aggregate could mix support functions. */
static KmeansState *
KmeansGetState(FunctionCallInfo fcinfo, int argno)
{
	KmeansState *st;

	if (PG_ARGISNULL(argno))
		return NULL;
	st = (KmeansState *) PG_GETARG_POINTER(argno);
	if (st->magic != KMEANS_STATE_MAGIC)
		elog(ERROR, "kmeans: the aggregate state is not a kmeans state");
	return st;
}

/* Fix the dimensions on the first non-NULL row, check them afterwards. */
static void
KmeansCheckSameDims(KmeansState *st, int d)
{
	if (st->d == 0)
		st->d = d;
	else if (d != st->d)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("features array length %d differs from %d, the length in earlier rows",
						d, st->d),
				 errhint("Every row must have the same number of features.")));
}

/* Make room for extra more points, growing geometrically. */
static void
KmeansReserve(KmeansState *st, int64 extra, MemoryContext ctx)
{
	int64		need = st->n + extra;
	int64		newcap;
	Size		bytes;

	if (need <= st->cap)
		return;
	newcap = Max(need, Max(st->cap * 2, 1024));
	if ((uint64) newcap > MaxAllocHugeSize / ((Size) st->d * sizeof(float8)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many points for kmeans: " INT64_FORMAT, need)));
	bytes = (Size) newcap * st->d * sizeof(float8);
	if (st->pts == NULL)
	{
		st->pts = MemoryContextAllocHuge(ctx, bytes);
		st->hashes = MemoryContextAllocHuge(ctx, newcap * sizeof(uint64));
	}
	else
	{
		st->pts = repalloc_huge(st->pts, bytes);
		st->hashes = repalloc_huge(st->hashes, newcap * sizeof(uint64));
	}
	st->cap = newcap;
}

static KmeansState *
KmeansNewState(MemoryContext ctx, const KmeansParams *p, int d)
{
	KmeansState *st = MemoryContextAllocZero(ctx, sizeof(KmeansState));

	st->magic = KMEANS_STATE_MAGIC;
	st->k = p->k;
	st->seed = p->seed;
	st->max_iter = p->max_iter;
	st->tol = p->tol;
	st->d = d;
	return st;
}

/*
 * kmeans_accum(state internal, features float8[], k int [, seed int,
 *				max_iter int, tolerance float8])
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
	ArrayType  *farr;
	const float8 *x;
	int			d;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "kmeans_accum called in non-aggregate context");
	st = KmeansGetState(fcinfo, 0);

	/*
	 * The state is made on the first row, even one with NULL features, so
	 * that the parameters of every row are compared with the first's.
	 */
	KmeansGetParams(fcinfo, &p);
	if (st == NULL)
		st = KmeansNewState(aggctx, &p, 0);
	else
		KmeansCheckSameParams(st, &p);
	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();	/* no state yet: stay NULL */
		PG_RETURN_POINTER(st);
	}

	/* fast path: copy straight from the (packed) datum into the buffer */
	if (st->d > 0 && st->n < st->cap &&
		AimVectorCopyPacked(PG_GETARG_DATUM(1), st->pts + (size_t) st->n * st->d,
							st->d, &d) && d == st->d)
	{
		st->hashes[st->n] = AimRowHash(st->pts + (size_t) st->n * d, d);
		st->n++;
		PG_RETURN_POINTER(st);
	}

	farr = PG_GETARG_ARRAYTYPE_P(1);
	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	AimCheckFinite(farr, x, d, "features");
	KmeansCheckSameDims(st, d);
	KmeansReserve(st, 1, aggctx);
	memcpy(st->pts + (size_t) st->n * d, x, d * sizeof(float8));
	st->hashes[st->n] = AimRowHash(x, d);
	st->n++;
	PG_RETURN_POINTER(st);
}

/* kmeans_combine(internal, internal): concatenate the point buffers */
PG_FUNCTION_INFO_V1(aim_kmeans_combine);
Datum
aim_kmeans_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	KmeansState *a,
			   *b;
	KmeansParams p;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "kmeans_combine called in non-aggregate context");
	a = KmeansGetState(fcinfo, 0);
	b = KmeansGetState(fcinfo, 1);
	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();	/* no state yet: stay NULL */
		PG_RETURN_POINTER(a);
	}
	p.k = b->k;
	p.seed = b->seed;
	p.max_iter = b->max_iter;
	p.tol = b->tol;
	if (a == NULL)
		a = KmeansNewState(aggctx, &p, b->d);
	else
	{
		KmeansCheckSameParams(a, &p);
		if (b->d != 0)
			KmeansCheckSameDims(a, b->d);
	}
	if (b->n > 0)
	{
		KmeansReserve(a, b->n, aggctx);
		memcpy(a->pts + (size_t) a->n * a->d, b->pts,
			   (size_t) b->n * b->d * sizeof(float8));
		memcpy(a->hashes + a->n, b->hashes, b->n * sizeof(uint64));
		a->n += b->n;
	}
	PG_RETURN_POINTER(a);
}

/* Serialised form: this header, then n * d float8s. */
typedef struct KmeansSerial
{
	int32		k;
	int32		d;
	int32		seed;
	int32		max_iter;
	double		tol;
	int64		n;
} KmeansSerial;

/* kmeans_serialize(internal) returns bytea */
PG_FUNCTION_INFO_V1(aim_kmeans_serialize);
Datum
aim_kmeans_serialize(PG_FUNCTION_ARGS)
{
	KmeansState *st;
	KmeansSerial hdr;
	Size		payload;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "kmeans_serialize called in non-aggregate context");
	st = KmeansGetState(fcinfo, 0);
	payload = (Size) st->n * st->d * sizeof(float8);
	memset(&hdr, 0, sizeof(hdr));
	hdr.k = st->k;
	hdr.d = st->d;
	hdr.seed = st->seed;
	hdr.max_iter = st->max_iter;
	hdr.tol = st->tol;
	hdr.n = st->n;
	PG_RETURN_BYTEA_P(AimSerializeRows(&hdr, sizeof(hdr), st->pts, payload,
									   st->n, "kmeans"));
}

/* kmeans_deserialize(bytea, internal) returns internal */
PG_FUNCTION_INFO_V1(aim_kmeans_deserialize);
Datum
aim_kmeans_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	Size		len = VARSIZE_ANY_EXHDR(in);
	KmeansSerial hdr;
	KmeansParams p;
	KmeansState *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "kmeans_deserialize called in non-aggregate context");
	if (len < sizeof(hdr))
		elog(ERROR, "invalid kmeans state of %zu bytes", len);
	memcpy(&hdr, VARDATA_ANY(in), sizeof(hdr));
	if (hdr.k < 1 || hdr.k > KMEANS_MAX_K || hdr.d < 0 || hdr.n < 0 ||
		(hdr.d == 0 && hdr.n != 0) ||
		hdr.max_iter < 1 || !(hdr.tol >= 0.0) || isinf(hdr.tol) ||
		(uint64) hdr.n > (len - sizeof(hdr)) / sizeof(float8) ||
		len - sizeof(hdr) != (Size) hdr.n * hdr.d * sizeof(float8))
		elog(ERROR, "invalid kmeans state");
	p.k = hdr.k;
	p.seed = hdr.seed;
	p.max_iter = hdr.max_iter;
	p.tol = hdr.tol;
	st = KmeansNewState(CurrentMemoryContext, &p, hdr.d);
	if (hdr.n > 0)
	{
		KmeansReserve(st, hdr.n, CurrentMemoryContext);
		memcpy(st->pts, VARDATA_ANY(in) + sizeof(hdr),
			   (Size) hdr.n * hdr.d * sizeof(float8));
		st->n = hdr.n;
		/* kmeans_accum never stores NaN or infinity */
		for (int64 i = 0; i < hdr.n * hdr.d; i++)
			if (!isfinite(st->pts[i]))
				elog(ERROR, "invalid kmeans state");
		for (int64 i = 0; i < hdr.n; i++)
			st->hashes[i] = AimRowHash(st->pts + (size_t) i * hdr.d, hdr.d);
	}
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
		closest[i] = AimSqDist(x + (size_t) i * d, centres, d);
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
				double		dist = AimSqDist(xi, cx[t], d);

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
			double		dist = AimSqDist(x + (size_t) i * d, bx, d);

			if (dist < closest[i])
				closest[i] = dist;
		}
	}
	pfree(closest);
	pfree(cum);
}

/*
 * Full assignment of point x: nearest centre (ties to the lowest index, the
 * arithmetic of kmeans_assign), its distance and the second smallest
 * distance (Euclidean).
 */
static inline int
AssignFull(const float8 *x, const float8 *c, int k, int d, double *u, double *l)
{
	double		b1 = 0.0,
				b2 = INFINITY;
	int			j1 = 0;

	for (int j = 0; j < k; j++)
	{
		double		dist = AimSqDist(x, c + (size_t) j * d, d);

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
	*u = sqrt(b1);
	*l = sqrt(b2);
	return j1;
}

/*
 * Safety margin of the bound tests: a point skips its distance computations
 * only if its centre is nearer than any other by this relative margin, far
 * above the rounding error of the bounds, so that skipping never changes an
 * assignment (ties included) compared with computing every distance.
 */
#define HAMERLY_MARGIN	(1.0 - 1e-9)

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
	int		   *label = AimHugeAlloc(n, sizeof(int));
	double	   *upper = AimHugeAlloc(n, sizeof(double));
	double	   *lower = AimHugeAlloc(n, sizeof(double));
	float8	   *newc = palloc((size_t) k * d * sizeof(float8));
	double	   *sums = palloc((size_t) k * d * sizeof(double));
	int64	   *count = palloc(k * sizeof(int64));
	double	   *shift = palloc(k * sizeof(double));
	double	   *half = palloc(k * sizeof(double));
	int			iter;
	/* check for interrupts about every 2^22 multiply-adds of assignment */
	int64		cmask = 1;

	while (cmask < 65536 && cmask * k * d < (INT64CONST(1) << 22))
		cmask <<= 1;
	cmask--;

	/* the first E-step computes everything */
	for (int64 i = 0; i < n; i++)
	{
		label[i] = AssignFull(x + (size_t) i * d, centres, k, d, &upper[i], &lower[i]);
		if ((i & cmask) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	for (iter = 1;; iter++)
	{
		double		shift2 = 0.0,
					maxs = 0.0,
					maxs2 = 0.0;
		int			maxj = 0;
		int64		moved = 0;
		int			nempty = 0;

		/* M-step: means of the clusters, summed in canonical order */
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
					newc[(size_t) j * d + t] = sums[(size_t) j * d + t] / count[j];
		}

		/*
		 * Empty clusters take the points farthest from their centres (as
		 * scikit-learn does), which then leave their old clusters' means.
		 * upper[] holds exact distances here for the points it matters
		 * for; ties go to the lowest index.
		 */
		for (int e = 0; e < nempty; e++)
		{
			int			j = -1;
			int64		far = -1;
			double		fard = -1.0;

			for (int jj = 0; jj < k; jj++)
				if (count[jj] == 0)
				{
					j = jj;
					break;
				}
			CHECK_FOR_INTERRUPTS();
			for (int64 i = 0; i < n; i++)
			{
				double		dist = sqrt(AimSqDist(x + (size_t) i * d,
												  centres + (size_t) label[i] * d, d));

				if (count[label[i]] > 1 && dist > fard)
				{
					fard = dist;
					far = i;
				}
			}
			if (far < 0)
				elog(ERROR, "kmeans: no point to re-seed an empty cluster");
			{
				int			old = label[far];
				const float8 *xf = x + (size_t) far * d;

				for (int t = 0; t < d; t++)
				{
					sums[(size_t) old * d + t] -= xf[t];
					newc[(size_t) old * d + t] = sums[(size_t) old * d + t] / (count[old] - 1);
					newc[(size_t) j * d + t] = xf[t];
				}
				count[old]--;
				count[j] = 1;
				label[far] = j;
				upper[far] = 0.0;
				lower[far] = 0.0;	/* forces a full assignment next time */
			}
		}

		/* centre shifts; the new centres become current */
		for (int j = 0; j < k; j++)
		{
			double		s2 = AimSqDist(newc + (size_t) j * d, centres + (size_t) j * d, d);

			shift2 += s2;
			shift[j] = sqrt(s2);
			if (shift[j] > maxs)
			{
				maxs2 = maxs;
				maxs = shift[j];
				maxj = j;
			}
			else if (shift[j] > maxs2)
				maxs2 = shift[j];
		}
		memcpy(centres, newc, (size_t) k * d * sizeof(float8));

		if (aim_progress)
		{
			double		inertia = 0.0;

			for (int64 i = 0; i < n; i++)
				inertia += AimSqDist(x + (size_t) i * d, centres + (size_t) label[i] * d, d);
			ereport(NOTICE,
					(errmsg("kmeans iteration %d: inertia %g, centre shift %g (tolerance %g), %d empty clusters re-seeded",
							iter, inertia * unscale2, shift2 * unscale2, tol_abs * unscale2, nempty)));
		}

		if (iter >= max_iter || shift2 <= tol_abs)
			break;

		/* bounds follow the centres */
		for (int j = 0; j < k; j++)
		{
			double		m = INFINITY;

			CHECK_FOR_INTERRUPTS();
			for (int jj = 0; jj < k; jj++)
				if (jj != j)
					m = Min(m, AimSqDist(centres + (size_t) j * d,
										 centres + (size_t) jj * d, d));
			half[j] = 0.5 * sqrt(m);
		}

		/* E-step */
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
			upper[i] = sqrt(AimSqDist(xi, centres + (size_t) a * d, d));
			if (upper[i] < m * HAMERLY_MARGIN)
				continue;
			label[i] = AssignFull(xi, centres, k, d, &upper[i], &lower[i]);
			if (label[i] != a)
				moved++;
		}
		if (moved == 0)
		{
			/*
			 * Strict convergence: the next M-step would reproduce the same
			 * centres (same labels, same summation order).
			 */
			iter++;
			break;
		}
	}

	pfree(label);
	pfree(upper);
	pfree(lower);
	pfree(newc);
	pfree(sums);
	pfree(count);
	pfree(shift);
	pfree(half);
	return iter;
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
	KmeansState *st = KmeansGetState(fcinfo, 0);
	MemoryContext work,
				old;
	float8	   *x;
	float8	   *centres;
	int64		ndistinct;
	int			iters;
	double		tol_abs;
	pg_prng_state rng;
	Datum	   *elems;
	int			dims[2],
				lbs[2] = {1, 1};
	ArrayType  *result;
	int			k,
				d,
				scale_exp = 0;

	if (st == NULL || st->n == 0)
		PG_RETURN_NULL();
	k = st->k;
	d = st->d;

	work = AllocSetContextCreate(CurrentMemoryContext, "kmeans work",
								 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);

	x = AimCanonicalRows(st->pts, st->hashes, st->n, d, &ndistinct);
	if (ndistinct < k)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k = %d is larger than the number of distinct points, " INT64_FORMAT,
						k, ndistinct)));

	/*
	 * Coordinates so large (or small) that squared distances would overflow
	 * (or underflow) are scaled by a power of two, which is exact, and the
	 * centroids scaled back: the clustering is the same.
	 */
	{
		double		m = 0.0;

		for (int64 i = 0; i < st->n * d; i++)
			m = Max(m, fabs(x[i]));
		if (m > 1e100 || (m > 0.0 && m < 1e-100))
		{
			(void) frexp(m, &scale_exp);
			for (int64 i = 0; i < st->n * d; i++)
				x[i] = ldexp(x[i], -scale_exp);
		}
	}

	tol_abs = st->tol * MeanVariance(x, st->n, d);
	centres = palloc((size_t) k * d * sizeof(float8));
	pg_prng_seed(&rng, (uint64) (int64) st->seed);
	KmeansPlusPlus(x, st->n, d, k, &rng, centres);
	iters = KmeansLloyd(x, st->n, d, k, st->max_iter, tol_abs,
						ldexp(1.0, 2 * scale_exp), centres);
	if (scale_exp != 0)
		for (int i = 0; i < k * d; i++)
			centres[i] = ldexp(centres[i], scale_exp);
	if (aim_progress)
		ereport(NOTICE,
				(errmsg("kmeans: " INT64_FORMAT " points (" INT64_FORMAT " distinct), k = %d, %d iterations",
						st->n, ndistinct, k, iters)));

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

static float8 *
CheckPairState(ArrayType *a, const char *caller)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != 2 || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: expected 2-element float8 array", caller)));
	return (float8 *) ARR_DATA_PTR(a);
}

/* Add (rows, sum) to a pair state, in place when aggregating. */
static Datum
PairStateAdd(FunctionCallInfo fcinfo, ArrayType *sarr, float8 *s,
			 float8 rows, float8 sum)
{
	if (AggCheckCallContext(fcinfo, NULL))
	{
		s[0] += rows;
		s[1] += sum;
		PG_RETURN_ARRAYTYPE_P(sarr);
	}
	else
	{
		Datum		d[2];

		d[0] = Float8GetDatum(s[0] + rows);
		d[1] = Float8GetDatum(s[1] + sum);
		PG_RETURN_ARRAYTYPE_P(construct_array(d, 2, FLOAT8OID, sizeof(float8),
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	}
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
	double		b1 = 0.0,
				b2 = INFINITY;
	bool		allfinite = true;

	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	c = CentroidsArg(carr, d, &k);
	for (int j = 0; j < k; j++)
	{
		double		dist = AimSqDist(x, c + (size_t) j * d, d);

		allfinite &= isfinite(dist);
		if (j == 0 || dist < b1)
		{
			if (j > 0)
				b2 = b1;
			b1 = dist;
		}
		else if (dist < b2)
			b2 = dist;
	}
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
	{
		double		m = 0.0,
					s,
					e1 = 0.0,
					e2 = INFINITY,
					s1 = 0.0,
					s2 = INFINITY,
					q1 = 0.0;
		int			e;

		for (int i = 0; i < d; i++)
			m = Max(m, fabs(x[i]));
		for (int i = 0; i < k * d; i++)
			m = Max(m, fabs(c[i]));
		(void) frexp(m, &e);
		s = ldexp(1.0, -e);
		for (int j = 0; j < k; j++)
		{
			const float8 *cj = c + (size_t) j * d;
			double		dist = AimSqDist(x, cj, d);
			double		sq = dist;
			double		sdist;

			if (isfinite(dist) && !allfinite)
			{
				dist = sqrt(dist);
				sdist = ldexp(dist, -e);
			}
			else
			{
				double		sd = 0.0;

				for (int i = 0; i < d; i++)
				{
					double		diff = x[i] * s - cj[i] * s;

					sd += diff * diff;
				}
				sdist = sqrt(sd);
				dist = ldexp(sdist, e);		/* Infinity beyond DBL_MAX */
			}

			/*
			 * Order by the scaled distance, which never overflows; the
			 * unscaled one breaks the ties of scaled distances that
			 * underflowed.
			 */
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
	return k;
}

/* kmeans_inertia_accum(state float8[], features float8[], centroids float8[]) */
PG_FUNCTION_INFO_V1(aim_kmeans_inertia_accum);
Datum
aim_kmeans_inertia_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *sarr = PG_GETARG_ARRAYTYPE_P(0);
	float8	   *s = CheckPairState(sarr, "kmeans_inertia_accum");
	double		a,
				b,
				as,
				bs,
				d1;

	(void) NearestTwo(PG_GETARG_ARRAYTYPE_P(1), PG_GETARG_ARRAYTYPE_P(2),
					  &a, &b, &as, &bs, &d1);
	if (isinf(d1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("squared distance to the nearest centroid is out of range for type double precision"),
				 errhint("Scale the features.")));
	return PairStateAdd(fcinfo, sarr, s, 1.0, d1);
}

/* kmeans_silhouette_accum(state float8[], features float8[], centroids float8[]) */
PG_FUNCTION_INFO_V1(aim_kmeans_silhouette_accum);
Datum
aim_kmeans_silhouette_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *sarr = PG_GETARG_ARRAYTYPE_P(0);
	float8	   *s = CheckPairState(sarr, "kmeans_silhouette_accum");
	double		a,
				b,
				as,
				bs,
				a2,
				sil;
	int			k;

	k = NearestTwo(PG_GETARG_ARRAYTYPE_P(1), PG_GETARG_ARRAYTYPE_P(2),
				   &a, &b, &as, &bs, &a2);
	if (k < 2)
		PG_RETURN_ARRAYTYPE_P(sarr);	/* undefined for one cluster */
	/* the ratio, from the distances or the same scaled (see NearestTwo) */
	a = as;
	b = bs;
	sil = (b > 0.0) ? (b - a) / b : 0.0;	/* b >= a, so max(a, b) = b */
	return PairStateAdd(fcinfo, sarr, s, 1.0, sil);
}

/* kmeans_pair_combine(float8[], float8[]) */
PG_FUNCTION_INFO_V1(aim_kmeans_pair_combine);
Datum
aim_kmeans_pair_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a1 = PG_GETARG_ARRAYTYPE_P(0);
	float8	   *s1 = CheckPairState(a1, "kmeans_pair_combine");
	float8	   *s2 = CheckPairState(PG_GETARG_ARRAYTYPE_P(1), "kmeans_pair_combine");

	return PairStateAdd(fcinfo, a1, s1, s2[0], s2[1]);
}

/* kmeans_inertia_final(float8[]): the sum; NULL for no rows */
PG_FUNCTION_INFO_V1(aim_kmeans_inertia_final);
Datum
aim_kmeans_inertia_final(PG_FUNCTION_ARGS)
{
	float8	   *s = CheckPairState(PG_GETARG_ARRAYTYPE_P(0), "kmeans_inertia_final");

	if (s[0] == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s[1]);
}

/* kmeans_silhouette_final(float8[]): the mean; NULL for no rows or k = 1 */
PG_FUNCTION_INFO_V1(aim_kmeans_silhouette_final);
Datum
aim_kmeans_silhouette_final(PG_FUNCTION_ARGS)
{
	float8	   *s = CheckPairState(PG_GETARG_ARRAYTYPE_P(0), "kmeans_silhouette_final");

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
