/*-------------------------------------------------------------------------
 *
 * kmeans.c
 *	  k-means customer segmentation.
 *
 *	  kmeans_assign(features, centroids): the 1-based nearest centroid.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/array.h"

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
 * Nearest centroid when a squared distance overflowed.  All coordinates are
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

	x = AimVectorArg(farr, "features", &d);
	AimCheckNotEmpty(d, "features");
	c = CentroidsArg(carr, d, &k);

	best = AimNearest(x, c, k, d, NULL);
	if (unlikely(best < 0))
	{
		/* some distance was not finite: bad input, or overflow */
		AimCheckFinite(farr, x, d, "features");
		AimCheckFiniteMatrix(carr, c, k, d, "centroids");
		best = NearestScaled(x, c, k, d);
	}
	PG_RETURN_INT32(best + 1);
}
