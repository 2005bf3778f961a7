/*-------------------------------------------------------------------------
 *
 * silhouette.c
 *	  silhouette_score(features, cluster [, sample_size [, seed]]):
 *	  aggregate, the mean silhouette coefficient of a clustering (Rousseeuw
 *	  1987), as scikit-learn's silhouette_score with the Euclidean metric.
 *
 * For a point i of cluster A, a(i) is the mean distance to the other points
 * of A and b(i) the smallest mean distance to the points of another
 * cluster; s(i) = (b - a) / max(a, b), and 0 when A has one point (or when
 * a = b = 0); the score is the mean of s(i) over the points.  Unlike
 * kmeans_silhouette (kmeans.c), which uses the distances to the centroids,
 * this needs every pairwise distance: n(n - 1) / 2 of them.
 *
 * State: the rows (cluster label, then the features) in a row buffer
 * (rowbuf.h), partial states concatenated.  The final function puts them in
 * the canonical order of rowbuf.c, draws the sample if asked (from that
 * order, with a seeded generator), sorts the points by cluster (stably) so
 * that each cluster is a contiguous range, and then, point by point, takes
 * the distances to all later points in one vectorised run (so that small
 * clusters cost no more per distance than large ones) and sums them per
 * cluster, each distance counted for both of its points; every sum runs in
 * one fixed order: the result depends only on the multiset of rows and the
 * parameters, not on the row order or the parallel plan.
 *
 * Distances are sqrt(sum_t (x_t - y_t)^2) from the differences, accurate to
 * a few units in the last place.  scikit-learn computes them from
 * |x|^2 + |y|^2 - 2 x.y, which loses the digits of short distances: equal
 * points come out about 1e-8 |x| apart, and data far from the origin
 * loses more; there the two agree only as far as scikit-learn's own
 * error allows (README.md gives figures).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/pg_prng.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "aimarketing.h"
#include "rowbuf.h"

#define SIL_STATE_MAGIC		0x53494C31	/* "SIL1" */
#define SIL_DEFAULT_SEED	0
#define SIL_COL_BLOCK		256		/* rows summed before a column flush */
#define SIL_SHORT			32		/* fewer points: a "small" cluster */
#define SIL_ROW_BLOCK		64		/* rows taken together (divides
										 * SIL_COL_BLOCK) */

/*
 * The transition state: rows of d + 1 float8 values, the label first, in a
 * hashed row buffer whose width is fixed by the first row with features
 * (0 until then).  sample_size 0: every row.
 */
typedef struct SilState
{
	AimRowBuf	buf;
	int32		sample_size;
	int32		seed;
} SilState;

static SilState *
GetState(FunctionCallInfo fcinfo, int argno)
{
	return AimRowBufGet(fcinfo, argno, SIL_STATE_MAGIC, "silhouette_score");
}

static SilState *
NewState(MemoryContext ctx, int32 sample_size, int32 seed)
{
	SilState   *st = MemoryContextAlloc(ctx, sizeof(SilState));

	AimRowBufInit(&st->buf, SIL_STATE_MAGIC, "silhouette_score", 0, 0);
	st->sample_size = sample_size;
	st->seed = seed;
	return st;
}

/* Complain if a row's parameters differ from the state's. */
static void
CheckSameParams(const SilState *st, int32 sample_size, int32 seed)
{
	const char *what = NULL;
	int32		was = 0,
				now = 0;

	if (st->sample_size != sample_size)
	{
		what = "sample_size";
		was = st->sample_size;
		now = sample_size;
	}
	else if (st->seed != seed)
	{
		what = "seed";
		was = st->seed;
		now = seed;
	}
	if (what)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("silhouette_score parameter %s must be the same for every row", what),
				 errdetail("Earlier rows had %s = %d, this row has %s = %d.",
						   what, was, what, now)));
}

/* Fix the number of features on the first row, check it afterwards. */
static void
CheckSameDims(SilState *st, int d)
{
	if (st->buf.width == 0)
		AimRowBufSetWidth(&st->buf, d + 1);
	else
		AimCheckFeatureCount(d, st->buf.width - 1);
}

/*
 * silhouette_accum(state internal, features float8[], cluster int
 *					[, sample_size int [, seed int]])
 *
 * Rows whose features or cluster are NULL are skipped; the parameters must
 * not be NULL and must not change from row to row.
 */
PG_FUNCTION_INFO_V1(aim_silhouette_accum);
Datum
aim_silhouette_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	SilState   *st;
	int			nargs = PG_NARGS();
	int32		sample_size = 0,
				seed = SIL_DEFAULT_SEED;
	ArrayType  *farr;
	const float8 *x;
	float8	   *row;
	int			d;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "silhouette_accum called in non-aggregate context");
	st = GetState(fcinfo, 0);
	for (int i = 3; i < nargs; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("silhouette_score parameter %s must not be null",
							i == 3 ? "sample_size" : "seed")));
	if (nargs > 3)
	{
		sample_size = PG_GETARG_INT32(3);
		if (sample_size < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sample_size must be at least 1, not %d", sample_size)));
	}
	if (nargs > 4)
		seed = PG_GETARG_INT32(4);

	/*
	 * The state is made on the first row, even one that is skipped, so that
	 * the parameters of every row are compared with the first's.
	 */
	if (st == NULL)
		st = NewState(aggctx, sample_size, seed);
	else
		CheckSameParams(st, sample_size, seed);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);

	/* fast path: copy straight from the (packed) datum into the buffer */
	row = st->buf.width > 0 ? AimRowBufRoom(&st->buf) : NULL;
	if (row != NULL &&
		AimVectorCopyPacked(PG_GETARG_DATUM(1), row + 1, st->buf.width - 1, &d) &&
		d == st->buf.width - 1)
	{
		row[0] = (float8) PG_GETARG_INT32(2);
		AimRowBufPush(&st->buf);
		PG_RETURN_POINTER(st);
	}

	farr = PG_GETARG_ARRAYTYPE_P(1);
	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	AimCheckFinite(farr, x, d, "features");
	CheckSameDims(st, d);
	row = AimRowBufNext(&st->buf, aggctx);
	row[0] = (float8) PG_GETARG_INT32(2);
	memcpy(row + 1, x, d * sizeof(float8));
	AimRowBufPush(&st->buf);
	PG_RETURN_POINTER(st);
}

/* An empty state with the parameters of b (for AimRowBufCombine). */
static void *
EmptyLike(MemoryContext ctx, const void *b)
{
	const SilState *sb = b;

	return NewState(ctx, sb->sample_size, sb->seed);
}

/* b's parameters and dimensions must be a's (for AimRowBufCombine). */
static void
CheckLike(void *a, const void *b)
{
	SilState   *sa = a;
	const SilState *sb = b;

	CheckSameParams(sa, sb->sample_size, sb->seed);
	if (sb->buf.width != 0)
		CheckSameDims(sa, sb->buf.width - 1);
}

/* silhouette_combine(internal, internal): concatenate the row buffers */
PG_FUNCTION_INFO_V1(aim_silhouette_combine);
Datum
aim_silhouette_combine(PG_FUNCTION_ARGS)
{
	return AimRowBufCombine(fcinfo, SIL_STATE_MAGIC, "silhouette_score",
							"silhouette_combine", EmptyLike, CheckLike);
}

/* Serialised form: this header, then the n rows of d + 1 float8s. */
typedef struct SilSerial
{
	int32		d;
	int32		sample_size;
	int32		seed;
	int32		pad;
	int64		n;
} SilSerial;

/* silhouette_serialize(internal) returns bytea */
PG_FUNCTION_INFO_V1(aim_silhouette_serialize);
Datum
aim_silhouette_serialize(PG_FUNCTION_ARGS)
{
	SilState   *st;
	SilSerial	hdr;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "silhouette_serialize called in non-aggregate context");
	st = GetState(fcinfo, 0);
	memset(&hdr, 0, sizeof(hdr));
	hdr.d = st->buf.width > 0 ? st->buf.width - 1 : 0;
	hdr.sample_size = st->sample_size;
	hdr.seed = st->seed;
	hdr.n = st->buf.n;
	PG_RETURN_BYTEA_P(AimRowBufSerialize(&st->buf, &hdr, sizeof(hdr)));
}

/* silhouette_deserialize(bytea, internal) returns internal */
PG_FUNCTION_INFO_V1(aim_silhouette_deserialize);
Datum
aim_silhouette_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	SilSerial	hdr;
	SilState   *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "silhouette_deserialize called in non-aggregate context");
	AimRowBufReadHeader(in, &hdr, sizeof(hdr), "silhouette_score");
	if (hdr.d < 0 || hdr.d >= MaxAllocSize / sizeof(float8) ||
		hdr.sample_size < 0 || (hdr.d == 0 && hdr.n != 0))
		AimInvalidState("invalid silhouette_score state");
	st = NewState(CurrentMemoryContext, hdr.sample_size, hdr.seed);
	if (hdr.d > 0)
		AimRowBufSetWidth(&st->buf, hdr.d + 1);
	AimRowBufLoad(&st->buf, in, sizeof(hdr), hdr.n);
	/* silhouette_accum stores int32 labels and finite features only */
	for (int64 i = 0; i < st->buf.n; i++)
	{
		const float8 *row = AimRowBufRow(&st->buf, i);

		if (!(row[0] >= PG_INT32_MIN && row[0] <= PG_INT32_MAX) ||
			row[0] != floor(row[0]))
			AimInvalidState("invalid silhouette_score state");
		for (int t = 1; t <= hdr.d; t++)
			if (!isfinite(row[t]))
				AimInvalidState("invalid silhouette_score state");
	}
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------
 * The final function
 * ---------------------------------------------------------------------
 */

/*
 * The points of the final function, sorted by cluster: point i's features
 * row-major in x (x[i * d + t]) and transposed in xt (xt[t * ld + i]), so
 * that the distances of one point to a run of others are computed a vector
 * at a time; clusters c = 0..k-1 are the ranges start[c] .. start[c + 1].
 */
typedef struct SilData
{
	int64		n;
	int			d;
	int64		k;
	int64		ld;
	float8	   *x;
	float8	   *xt;
	int64	   *start;
} SilData;

/*
 * Four doubles in a vector (GCC's vector extension): a v4d maps onto one
 * AVX2 register or two SSE2 ones, and every lane does the same IEEE
 * operations in the same order on any instruction set.
 */
typedef double v4d __attribute__((vector_size(32)));

/* unaligned load and store of four doubles */
#define LoadV4(dst, p)	memcpy(&(dst), (p), sizeof(v4d))
#define StoreV4(p, src) memcpy((p), &(src), sizeof(v4d))

/*
 * The square roots of the four lanes, in place (one vsqrtpd on AVX2;
 * vectors never pass by value: ABI)
 */
static inline void
SqrtV4(v4d *v)
{
	v4d			r = {sqrt((*v)[0]), sqrt((*v)[1]), sqrt((*v)[2]), sqrt((*v)[3])};

	*v = r;
}

/*
 * dist[j] = the distance of the point x (d features) to point j of xt, for
 * j0 <= j < j1: sqrt(sum_t (y_t - x_t)^2), summed over t in order, whether
 * the point falls in a vector of eight or in the tail, so that d(i, j) =
 * d(j, i) exactly.
 */
static AIM_CLONES void
PointDistances(const float8 *restrict x, const float8 *restrict xt, int64 ld,
			   int d, int64 j0, int64 j1, double *restrict dist)
{
	int64		j = j0;

	for (; j + 8 <= j1; j += 8)
	{
		v4d			acc0 = {0},
					acc1 = {0};

		for (int t = 0; t < d; t++)
		{
			const float8 *y = xt + (size_t) t * ld + j;
			v4d			y0,
						y1;

			LoadV4(y0, y);
			LoadV4(y1, y + 4);
			y0 -= x[t];
			y1 -= x[t];
			acc0 += y0 * y0;
			acc1 += y1 * y1;
		}
		SqrtV4(&acc0);
		SqrtV4(&acc1);
		StoreV4(dist + j, acc0);
		StoreV4(dist + j + 4, acc1);
	}
	for (; j < j1; j++)
	{
		double		acc = 0.0;

		for (int t = 0; t < d; t++)
		{
			double		diff = xt[(size_t) t * ld + j] - x[t];

			acc += diff * diff;
		}
		dist[j] = sqrt(acc);
	}
}

/*
 * The distances of the point x to the points j0 .. j1 - 1 of xt, as
 * PointDistances computes them, without storing them: each is added to
 * col[j], and their sum is returned, summed in eight partial sums added in
 * a fixed order.  One pass for a long run of points of one cluster.
 */
static AIM_CLONES double
FusedDistances(const float8 *restrict x, const float8 *restrict xt, int64 ld,
			   int d, int64 j0, int64 j1, double *restrict col)
{
	v4d			s0 = {0},
				s1 = {0};
	double		tail = 0.0;
	int64		j = j0;

	for (; j + 8 <= j1; j += 8)
	{
		v4d			acc0 = {0},
					acc1 = {0},
					c0,
					c1;

		for (int t = 0; t < d; t++)
		{
			const float8 *y = xt + (size_t) t * ld + j;
			v4d			y0,
						y1;

			LoadV4(y0, y);
			LoadV4(y1, y + 4);
			y0 -= x[t];
			y1 -= x[t];
			acc0 += y0 * y0;
			acc1 += y1 * y1;
		}
		SqrtV4(&acc0);
		SqrtV4(&acc1);
		LoadV4(c0, col + j);
		LoadV4(c1, col + j + 4);
		c0 += acc0;
		c1 += acc1;
		StoreV4(col + j, c0);
		StoreV4(col + j + 4, c1);
		s0 += acc0;
		s1 += acc1;
	}
	for (; j < j1; j++)
	{
		double		acc = 0.0;
		double		dist;

		for (int t = 0; t < d; t++)
		{
			double		diff = xt[(size_t) t * ld + j] - x[t];

			acc += diff * diff;
		}
		dist = sqrt(acc);
		col[j] += dist;
		tail += dist;
	}
	return (((s0[0] + s0[1]) + (s0[2] + s0[3])) +
			((s1[0] + s1[1]) + (s1[2] + s1[3]))) + tail;
}

/*
 * The sum of dist[j0 .. j1), in four partial sums added in a fixed order;
 * each dist[j] is also added to col[j].
 */
static inline double
SegmentSum(const double *restrict dist, int64 j0, int64 j1,
		   double *restrict col)
{
	v4d			s = {0};
	double		tail = 0.0;
	int64		j = j0;

	for (; j + 4 <= j1; j += 4)
	{
		v4d			v,
					c;

		LoadV4(v, dist + j);
		LoadV4(c, col + j);
		c += v;
		StoreV4(col + j, c);
		s += v;
	}
	for (; j < j1; j++)
	{
		col[j] += dist[j];
		tail += dist[j];
	}
	return ((s[0] + s[1]) + (s[2] + s[3])) + tail;
}

/*
 * The work arrays of Coefficients, each of one double per point: own[i]
 * the sum of the distances to the rest of i's cluster, best[i] the
 * smallest mean distance to another cluster so far, dist one point's
 * distances, colsum and blk the column sums of the current cluster; and
 * per cluster, runend[b]: for a cluster of fewer than SIL_SHORT points,
 * the first cluster after it (or k) that is not so small.
 */
typedef struct SilWork
{
	double	   *own;
	double	   *best;
	double	   *dist;
	double	   *colsum;
	double	   *blk;
	int64	   *runend;
} SilWork;

/*
 * The sum of the distances of point i to the points j0 .. j1 - 1 (j0 > i),
 * each added to col[j]: in one pass for a long run, else from dist.
 */
static inline double
RunSum(const SilData *D, int64 i, int64 j0, int64 j1, SilWork *W, double *col)
{
	if (j1 - j0 >= SIL_SHORT)
		return FusedDistances(D->x + (size_t) i * D->d, D->xt, D->ld, D->d,
							  j0, j1, col);
	PointDistances(D->x + (size_t) i * D->d, D->xt, D->ld, D->d, j0, j1,
				   W->dist);
	return SegmentSum(W->dist, j0, j1, col);
}

/*
 * The rows i0 .. i1 - 1 against cluster b, or against the run of small
 * clusters that starts at b: their sums, means, and the minima in best;
 * returns the next cluster.
 */
static int64
LaterClusters(const SilData *D, int64 b, int64 i0, int64 i1, SilWork *W,
			  double *col)
{
	int64		b0 = D->start[b],
				e = W->runend[b];

	if (e == b)
	{
		/* a large cluster */
		int64		b1 = D->start[b + 1];

		for (int64 i = i0; i < i1; i++)
		{
			double		sum;

			CHECK_FOR_INTERRUPTS();
			sum = RunSum(D, i, b0, b1, W, col);

			W->best[i] = Min(W->best[i], sum / (double) (b1 - b0));
		}
		return b + 1;
	}
	/* the small clusters b .. e - 1 */
	for (int64 i = i0; i < i1; i++)
	{
		CHECK_FOR_INTERRUPTS();
		PointDistances(D->x + (size_t) i * D->d, D->xt, D->ld, D->d,
					   b0, D->start[e], W->dist);
		for (int64 c = b; c < e; c++)
		{
			double		sum = SegmentSum(W->dist, D->start[c], D->start[c + 1], col);

			W->best[i] = Min(W->best[i], sum / (double) (D->start[c + 1] - D->start[c]));
		}
	}
	return e;
}

/*
 * The pairs (i, j), i in cluster a and j > i, a j of cluster a or of a
 * later one.  For each row i: the sum of its distances to the rest of a
 * (into own[i]) and to each later cluster b (the mean updates best[i]);
 * a cluster of SIL_SHORT points or more in one pass (FusedDistances), a
 * run of smaller clusters by computing the distances of the whole run at
 * once (long vector runs even when the clusters are tiny) and then summing
 * them per cluster.  Each distance is also added to the sum of its column
 * j over the rows of a, which gives j its own sum (j in a) or its mean
 * distance to a (j in a later cluster) when the rows of a are done.  With
 * more than SIL_COL_BLOCK rows, column sums build up in blk over that many
 * rows at a time and are then added to colsum, which keeps their rounding
 * error small.  Rows go in blocks of SIL_ROW_BLOCK against one cluster (or
 * run) at a time, so that cluster's points stay in cache.  Which path a
 * sum takes depends only on the cluster sizes, so the order of every sum
 * is fixed by the data.
 */
static void
ClusterPairs(const SilData *D, int64 a, SilWork *W)
{
	int64		m = D->n,
				a0 = D->start[a],
				a1 = D->start[a + 1],
				na = a1 - a0;
	bool		blocked = na > SIL_COL_BLOCK;
	double	   *col = blocked ? W->blk : W->colsum;

	memset(W->colsum + a0, 0, (m - a0) * sizeof(double));
	if (blocked)
		memset(W->blk + a0, 0, (m - a0) * sizeof(double));
	for (int64 i0 = a0; i0 < a1; i0 += SIL_ROW_BLOCK)
	{
		int64		i1 = Min(i0 + SIL_ROW_BLOCK, a1);

		for (int64 i = i0; i < i1; i++)
		{
			CHECK_FOR_INTERRUPTS();
			W->own[i] += RunSum(D, i, i + 1, a1, W, col);
		}
		for (int64 b = a + 1; b < D->k;)
			b = LaterClusters(D, b, i0, i1, W, col);
		if (blocked && ((i1 - a0) % SIL_COL_BLOCK == 0 || i1 == a1))
		{
			for (int64 j = a0; j < m; j++)
			{
				W->colsum[j] += W->blk[j];
				W->blk[j] = 0.0;
			}
		}
	}
	for (int64 j = a0; j < a1; j++)
		W->own[j] += W->colsum[j];
	for (int64 j = a1; j < m; j++)
		W->best[j] = Min(W->best[j], W->colsum[j] / (double) na);
}

/*
 * The silhouette coefficient of every point into s, from the distance sums
 * of the clusters in order (ClusterPairs).
 */
static void
Coefficients(const SilData *D, double *s)
{
	int64		n = D->n;
	SilWork		W;

	W.own = AimHugeAlloc(n, sizeof(double));
	W.best = AimHugeAlloc(n, sizeof(double));
	W.dist = AimHugeAlloc(n, sizeof(double));
	W.colsum = AimHugeAlloc(n, sizeof(double));
	W.blk = AimHugeAlloc(n, sizeof(double));
	W.runend = AimHugeAlloc(D->k, sizeof(int64));
	for (int64 i = 0; i < n; i++)
	{
		W.own[i] = 0.0;
		W.best[i] = INFINITY;
	}
	for (int64 b = D->k - 1; b >= 0; b--)
	{
		bool		small = D->start[b + 1] - D->start[b] < SIL_SHORT;

		W.runend[b] = !small ? b : (b + 1 < D->k && W.runend[b + 1] > b + 1) ?
			W.runend[b + 1] : b + 1;
	}
	for (int64 a = 0; a < D->k; a++)
		ClusterPairs(D, a, &W);
	for (int64 c = 0; c < D->k; c++)
	{
		int64		size = D->start[c + 1] - D->start[c];

		for (int64 i = D->start[c]; i < D->start[c + 1]; i++)
		{
			double		ai,
						bi = W.best[i],
						mx;

			if (size == 1)
			{
				s[i] = 0.0;		/* scikit-learn's convention */
				continue;
			}
			ai = W.own[i] / (double) (size - 1);
			mx = Max(ai, bi);
			s[i] = mx > 0.0 ? (bi - ai) / mx : 0.0;
		}
	}
	pfree(W.own);
	pfree(W.best);
	pfree(W.dist);
	pfree(W.colsum);
	pfree(W.blk);
	pfree(W.runend);
}

/*
 * The positions in canonical order of the rows to score, in order: all n,
 * or a sample of sample_size drawn without replacement by a partial
 * Fisher-Yates shuffle of 0..n-1 with pg_prng seeded by seed, then sorted.
 * *m receives their number.
 */
static int64 *
SampleRows(int64 n, int32 sample_size, int32 seed, int64 *m)
{
	int64	   *idx = AimHugeAlloc(n, sizeof(int64));
	int64		take = (sample_size > 0 && sample_size < n) ? sample_size : n;

	for (int64 i = 0; i < n; i++)
		idx[i] = i;
	if (take < n)
	{
		pg_prng_state rng;
		AimSortKey *keys;

		pg_prng_seed(&rng, (uint64) (int64) seed);
		for (int64 i = 0; i < take; i++)
		{
			int64		r = (int64) pg_prng_uint64_range(&rng, i, n - 1);
			int64		tmp = idx[i];

			idx[i] = idx[r];
			idx[r] = tmp;
		}
		keys = AimHugeAlloc(take, sizeof(AimSortKey));
		for (int64 i = 0; i < take; i++)
		{
			keys[i].key = (uint64) idx[i];
			keys[i].idx = idx[i];
		}
		AimRadixSort(keys, take, 64);
		for (int64 i = 0; i < take; i++)
			idx[i] = keys[i].idx;
		pfree(keys);
	}
	*m = take;
	return idx;
}

/*
 * Build D from the m rows idx (in canonical order) of rows, the state's
 * rows of d + 1 values read in place: sorted by label (stably, so in
 * canonical order within a cluster), -0.0 as 0.0, the features scaled by a
 * power of two if their magnitude would overflow or underflow squared
 * distances (exact, and the silhouette does not change with the scale).
 */
static void
BuildData(SilData *D, const float8 *rows, int d, const int64 *idx, int64 m)
{
	AimSortKey *keys = AimHugeAlloc(m, sizeof(AimSortKey));
	double		mag = 0.0;
	int			e = 0;
	int64		k = 0;

	for (int64 i = 0; i < m; i++)
	{
		int32		label = (int32) rows[(size_t) idx[i] * (d + 1)];

		keys[i].key = (uint64) ((uint32) label ^ 0x80000000);
		keys[i].idx = idx[i];
	}
	AimRadixSort(keys, m, 32);
	for (int64 i = 0; i < m; i++)
		if (i == 0 || keys[i].key != keys[i - 1].key)
			k++;

	D->n = m;
	D->d = d;
	D->k = k;
	D->ld = m;
	D->x = AimHugeAlloc(m * d, sizeof(float8));
	D->xt = AimHugeAlloc(m * d, sizeof(float8));
	D->start = AimHugeAlloc(k + 1, sizeof(int64));
	k = 0;
	for (int64 i = 0; i < m; i++)
	{
		const float8 *src = rows + (size_t) keys[i].idx * (d + 1) + 1;

		if (i == 0 || keys[i].key != keys[i - 1].key)
			D->start[k++] = i;
		for (int t = 0; t < d; t++)
		{
			D->x[(size_t) i * d + t] = src[t] == 0.0 ? 0.0 : src[t];
			mag = Max(mag, fabs(src[t]));
		}
	}
	D->start[k] = m;
	pfree(keys);

	if (mag > 1e100 || (mag > 0.0 && mag < 1e-100))
		(void) frexp(mag, &e);
	for (int64 i = 0; i < m; i++)
		for (int t = 0; t < d; t++)
		{
			double		v = D->x[(size_t) i * d + t];

			if (e != 0)
				v = ldexp(v, -e);
			D->x[(size_t) i * d + t] = v;
			D->xt[(size_t) t * m + i] = v;
		}
}

/*
 * Sum of v[0..n) by pairwise summation (blocks of at most 128 summed in
 * order), whose rounding error grows as log n: numpy's mean, which
 * scikit-learn takes of the coefficients, sums pairwise too.
 */
static double
PairwiseSum(const double *v, int64 n)
{
	if (n <= 128)
	{
		double		s = 0.0;

		for (int64 i = 0; i < n; i++)
			s += v[i];
		return s;
	}
	return PairwiseSum(v, n / 2) + PairwiseSum(v + n / 2, n - n / 2);
}

/*
 * silhouette_final(state internal) returns float8
 *
 * The mean silhouette coefficient of the rows (or of the sample).  NULL
 * when there are no rows, and when the score is undefined: fewer than two
 * clusters, or every point in a cluster of its own (scikit-learn raises an
 * error there; NULL, like roc_auc with one class, lets a grouped query go
 * on with the other groups).  Work memory: at most about 8 (2d + 6) bytes
 * per row, in a private context freed before returning; time: the distances of
 * m(m - 1) / 2 pairs for m rows scored.
 */
PG_FUNCTION_INFO_V1(aim_silhouette_final);
Datum
aim_silhouette_final(PG_FUNCTION_ARGS)
{
	SilState   *st = GetState(fcinfo, 0);
	MemoryContext work,
				old;
	AimSortKey *order;
	int64	   *idx;
	int64		m;
	SilData		D;
	double	   *s;
	double		result = 0.0;
	bool		defined;

	if (st == NULL || st->buf.n == 0)
		PG_RETURN_NULL();

	work = AllocSetContextCreate(CurrentMemoryContext, "silhouette work",
								 ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	/* the rows to score, as positions in canonical order, then as rows */
	order = AimRowBufCanonicalOrder(&st->buf);
	idx = SampleRows(st->buf.n, st->sample_size, st->seed, &m);
	for (int64 i = 0; i < m; i++)
		idx[i] = order[idx[i]].idx;
	pfree(order);
	BuildData(&D, (const float8 *) st->buf.rows, st->buf.width - 1, idx, m);
	pfree(idx);
	defined = D.k >= 2 && D.k < m;
	if (defined)
	{
		s = AimHugeAlloc(m, sizeof(double));
		Coefficients(&D, s);
		result = PairwiseSum(s, m) / (double) m;
	}
	if (aim_progress)
		ereport(NOTICE,
				(errmsg("silhouette_score: " INT64_FORMAT " of " INT64_FORMAT " rows scored, " INT64_FORMAT " clusters",
						m, st->buf.n, D.k)));
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	if (!defined)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(result);
}
