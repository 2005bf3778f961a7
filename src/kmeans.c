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
				 errmsg("centroids have %d columns but features have %d elements",
						cols, d),
				 errdetail("Each row of the k x d centroid array must have as many elements as the feature vector.")));
	return c;
}

/*
 * Nearest centroid when the fast computation overflowed: long double has
 * the exponent range to square any difference of finite doubles.
 */
static int
NearestLongDouble(const float8 *x, const float8 *c, int k, int d)
{
	long double best = 0.0L;
	int			bestj = 0;

	for (int j = 0; j < k; j++)
	{
		const float8 *cj = c + (size_t) j * d;
		long double dist = 0.0L;

		for (int i = 0; i < d; i++)
		{
			long double diff = (long double) x[i] - (long double) cj[i];

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
		AimCheckFinite(x, d, "features");
		AimCheckFiniteMatrix(c, k, d, "centroids");
		best = NearestLongDouble(x, c, k, d);
	}
	PG_RETURN_INT32(best + 1);
}
