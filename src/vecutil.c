/*-------------------------------------------------------------------------
 *
 * vecutil.c
 *	  Checking of float8[] arguments shared by every capability.
 *
 * Vectors are 1-D float8 arrays without NULL elements; matrices (k-means
 * centroids) are 2-D.  Lower bounds are ignored: only the shape matters.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "aimarketing.h"

/*
 * Check that a is a 1-D float8 array without NULLs and return its data.
 * An empty array ('{}', which has zero dimensions) is accepted with *n = 0;
 * callers that need elements use AimCheckNotEmpty().
 */
const float8 *
AimVectorArg(ArrayType *a, const char *argname, int *n)
{
	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "array \"%s\" has element type %u, expected float8",
			 argname, ARR_ELEMTYPE(a));
	if (ARR_NDIM(a) == 0)
	{
		*n = 0;
		return NULL;
	}
	if (ARR_NDIM(a) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be one-dimensional, not %d-dimensional",
						argname, ARR_NDIM(a))));
	if (ARR_HASNULL(a) && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("array \"%s\" must not contain nulls", argname)));
	*n = ARR_DIMS(a)[0];
	return (const float8 *) ARR_DATA_PTR(a);
}

/*
 * Check that a is a non-empty 2-D float8 array without NULLs and return its
 * data in row-major order.
 */
const float8 *
AimMatrixArg(ArrayType *a, const char *argname, int *rows, int *cols)
{
	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "array \"%s\" has element type %u, expected float8",
			 argname, ARR_ELEMTYPE(a));
	if (ARR_NDIM(a) != 2)
		ereport(ERROR,
				(errcode(ARR_NDIM(a) == 0 ? ERRCODE_INVALID_PARAMETER_VALUE :
						 ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("array \"%s\" must be two-dimensional, not %d-dimensional",
						argname, ARR_NDIM(a)),
				 errhint("Pass one row per centroid, as returned by the kmeans aggregate.")));
	if (ARR_HASNULL(a) && array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("array \"%s\" must not contain nulls", argname)));
	*rows = ARR_DIMS(a)[0];
	*cols = ARR_DIMS(a)[1];
	return (const float8 *) ARR_DATA_PTR(a);
}

/*
 * Reject NaN and infinities in the data x of array a, naming the first
 * offending element by its subscript.
 */
void
AimCheckFinite(ArrayType *a, const float8 *x, int n, const char *argname)
{
	int			lb = ARR_NDIM(a) == 1 ? ARR_LBOUND(a)[0] : 1;

	for (int i = 0; i < n; i++)
	{
		if (!isfinite(x[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("array \"%s\" must not contain NaN or infinity", argname),
					 errdetail("Element [%d] is %s.", lb + i,
							   isnan(x[i]) ? "NaN" :
							   (x[i] > 0 ? "Infinity" : "-Infinity"))));
	}
}

/* Reject an empty vector. */
void
AimCheckNotEmpty(int n, const char *argname)
{
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("array \"%s\" must not be empty", argname)));
}

/* Reject NaN and infinities in a rows x cols matrix, naming the subscripts. */
void
AimCheckFiniteMatrix(ArrayType *a, const float8 *x, int rows, int cols,
					 const char *argname)
{
	int			lb0 = ARR_NDIM(a) == 2 ? ARR_LBOUND(a)[0] : 1;
	int			lb1 = ARR_NDIM(a) == 2 ? ARR_LBOUND(a)[1] : 1;

	for (int i = 0; i < rows * cols; i++)
	{
		if (!isfinite(x[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("array \"%s\" must not contain NaN or infinity", argname),
					 errdetail("Element [%d][%d] is %s.", lb0 + i / cols, lb1 + i % cols,
							   isnan(x[i]) ? "NaN" :
							   (x[i] > 0 ? "Infinity" : "-Infinity"))));
	}
}
