/*-------------------------------------------------------------------------
 *
 * aimarketing.h
 *	  Shared declarations for the aimarketing extension: argument checking
 *	  for float8[] vectors and the small numeric kernels that more than one
 *	  capability uses (so that, for example, kmeans_assign() and the k-means
 *	  aggregate compute distances with exactly the same arithmetic).
 *
 *-------------------------------------------------------------------------
 */
#ifndef AIMARKETING_H
#define AIMARKETING_H

#include "postgres.h"

#include <math.h>

#include "utils/array.h"

/* aimarketing.c: settings */
extern bool aim_progress;
extern int	aim_max_itemsets;
extern int	aim_max_rules;
extern int	aim_ease_max_items;

/* basket.c: module initialisation (the read-only hooks) */
extern void AimBasketInit(void);

/* rowsort.c: huge allocations, radix sort, canonical row order */
typedef struct AimSortKey
{
	uint64		key;
	int64		idx;
} AimSortKey;

extern void *AimHugeAlloc(int64 n, Size sz);
extern void AimRadixSort(AimSortKey *keys, int64 n, int nbits);
extern bytea *AimSerializeRows(const void *hdr, Size hdrlen, const void *data,
							   Size payload, int64 n, const char *what);
extern float8 *AimCanonicalRows(const float8 *rows, const uint64 *hashes,
								int64 n, int w, int64 *ndistinct);

/*
 * Hash of a row's values for the canonical order, with -0.0 hashed as 0.0:
 * a multiply-xorshift mix of the 64-bit patterns (integer arithmetic only,
 * so the order is the same on every platform).
 */
static inline uint64
AimRowHash(const float8 *x, int w)
{
	uint64		h = UINT64CONST(0x9e3779b97f4a7c15) ^ (uint64) w;

	for (int i = 0; i < w; i++)
	{
		float8		v = x[i] == 0.0 ? 0.0 : x[i];
		uint64		bits;

		memcpy(&bits, &v, sizeof(bits));
		h = (h ^ bits) * UINT64CONST(0xff51afd7ed558ccd);
		h ^= h >> 29;
	}
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 32;
	return h;
}

/* vecutil.c: argument checking */
extern const float8 *AimVectorArg(ArrayType *a, const char *argname, int *n);
extern const float8 *AimMatrixArg(ArrayType *a, const char *argname,
								  int *rows, int *cols);
extern void AimCheckFinite(ArrayType *a, const float8 *x, int n,
						   const char *argname);
extern void AimCheckFiniteMatrix(ArrayType *a, const float8 *x, int rows,
								 int cols, const char *argname);
extern void AimCheckNotEmpty(int n, const char *argname);
extern bool AimVectorCopyPacked(Datum datum, float8 *dst, int maxn, int *n);

/*
 * Squared Euclidean distance with four independent accumulators.
 *
 * The fixed accumulation order makes the result independent of compiler
 * flags (no reassociation is needed to vectorise it), which matters because
 * every caller that must agree on a nearest centroid uses this function.
 */
static inline double
AimSqDist(const float8 *a, const float8 *b, int n)
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
 * Nearest centroid (0-based) of x among k centroids stored row-major in c.
 * Ties go to the lowest index.  Returns -1 if some distance was not finite,
 * so that the caller can diagnose non-finite input or overflow.
 */
static inline int
AimNearest(const float8 *x, const float8 *c, int k, int d, double *bestdist)
{
	double		best = 0.0;
	int			bestj = 0;
	bool		allfinite = true;

	for (int j = 0; j < k; j++)
	{
		double		dist = AimSqDist(x, c + (size_t) j * d, d);

		allfinite &= isfinite(dist);
		if (j == 0 || dist < best)
		{
			best = dist;
			bestj = j;
		}
	}
	if (bestdist)
		*bestdist = best;
	return allfinite ? bestj : -1;
}

/* Logistic function that cannot overflow for any finite or infinite z. */
static inline double
AimSigmoid(double z)
{
	if (z >= 0.0)
		return 1.0 / (1.0 + exp(-z));
	else
	{
		double		e = exp(z);

		return e / (1.0 + e);
	}
}

#endif							/* AIMARKETING_H */
