/*-------------------------------------------------------------------------
 *
 * vecutil.c
 *	  Checking of float8[] arguments shared by every capability, and of the
 *	  aggregate states that support functions can be handed by hand.
 *
 * Vectors are 1-D float8 arrays without NULL elements; matrices (k-means
 * centroids) are 2-D.  Lower bounds are ignored: only the shape matters.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
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

/*
 * A row's features array must have as many elements as the earlier rows'
 * (the aggregates that take one features array per row: kmeans,
 * logistic_fit, linear_fit, silhouette_score).
 */
void
AimCheckFeatureCount(int d, int earlier)
{
	if (d != earlier)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("features array length %d differs from %d, the length in earlier rows",
						d, earlier),
				 errhint("Every row must have the same number of features.")));
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

/*
 * Copy the elements of a float8[] argument into dst without detoasting it
 * first.  Small arrays are stored with a 1-byte varlena header, and
 * PG_GETARG_ARRAYTYPE_P would palloc an aligned copy of each one: the
 * aggregates that keep every row copy the elements straight from the
 * packed datum instead.  Returns the number of elements (at most maxn) and
 * true when the datum is an ordinary 1-D float8 array without NULLs and
 * with finite values; false for anything else, and the caller then takes
 * the ordinary path, which reports the precise error.
 */
bool
AimVectorCopyPacked(Datum datum, float8 *dst, int maxn, int *n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(datum);
	const char *p;
	int32		ndim,
				dataoffset,
				dim;
	Oid			elemtype;
	Size		overhead;

	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
		return false;			/* compressed or out of line */
	p = VARDATA_ANY(v);
	if (VARSIZE_ANY_EXHDR(v) < sizeof(ArrayType) - VARHDRSZ)
		return false;
	/* the fields after vl_len_, as laid out in ArrayType */
	memcpy(&ndim, p, sizeof(int32));
	memcpy(&dataoffset, p + sizeof(int32), sizeof(int32));
	memcpy(&elemtype, p + 2 * sizeof(int32), sizeof(Oid));
	if (ndim != 1 || dataoffset != 0 || elemtype != FLOAT8OID)
		return false;
	memcpy(&dim, p + sizeof(ArrayType) - VARHDRSZ, sizeof(int32));
	overhead = ARR_OVERHEAD_NONULLS(1);
	if (dim < 0 || dim > maxn ||
		VARSIZE_ANY_EXHDR(v) != overhead - VARHDRSZ + (Size) dim * sizeof(float8))
		return false;
	memcpy(dst, p + overhead - VARHDRSZ, (Size) dim * sizeof(float8));
	for (int i = 0; i < dim; i++)
		if (!isfinite(dst[i]))
			return false;
	*n = dim;
	return true;
}

/*
 * Report an aggregate state that its support function cannot have made: a
 * malformed float8[] state, a serialised state with bad fields, or the
 * internal state of another aggregate.  Support functions are callable by
 * hand (and a user-defined aggregate can mix them), so this is a user
 * error, 22023, with the message fmt: "<function>: ..." or "invalid <what>
 * state".
 */
void
AimInvalidState(const char *fmt,...)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&buf, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg_internal("%s", buf.data)));
	pg_unreachable();
}

/*
 * Check the shape of a float8[nelems] aggregate state (as core's
 * check_float8_array does for float8_accum) and return its data.
 */
float8 *
AimFloat8StateArg(ArrayType *a, int nelems, const char *caller)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != nelems || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != FLOAT8OID)
		AimInvalidState("%s: expected %d-element float8 array", caller, nelems);
	return (float8 *) ARR_DATA_PTR(a);
}

/*
 * The new value of a float8[nelems] state a: under an aggregate the state
 * is ours to scribble on, as core's float8_accum does, and values are
 * written into it; called directly, a new array is built.
 */
Datum
AimFloat8StateResult(FunctionCallInfo fcinfo, ArrayType *a,
					 const float8 *values, int nelems)
{
	Datum		d[4];

	Assert(nelems <= lengthof(d));
	if (AggCheckCallContext(fcinfo, NULL))
	{
		memmove(ARR_DATA_PTR(a), values, nelems * sizeof(float8));
		PG_RETURN_ARRAYTYPE_P(a);
	}
	for (int i = 0; i < nelems; i++)
		d[i] = Float8GetDatum(values[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, nelems, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/*
 * Append a number of a jsonb report to buf: as ', "key": v' (key NULL: v
 * alone), finite values with 17 significant digits (they read back as the
 * same double), anything else as JSON null.  logistic_summary,
 * linear_summary and ets_fit build their reports with it.
 */
void
AimJsonNumber(StringInfo buf, const char *key, double v)
{
	if (key != NULL)
		appendStringInfo(buf, ", \"%s\": ", key);
	if (isfinite(v))
		appendStringInfo(buf, "%.17g", v);
	else
		appendStringInfoString(buf, "null");
}

/* Append ', "key": [v0, v1, ...]' to buf, or ', "key": null' if v is NULL. */
void
AimJsonNumbers(StringInfo buf, const char *key, const double *v, int n)
{
	appendStringInfo(buf, ", \"%s\": ", key);
	if (v == NULL)
	{
		appendStringInfoString(buf, "null");
		return;
	}
	appendStringInfoChar(buf, '[');
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(buf, ", ");
		AimJsonNumber(buf, NULL, v[i]);
	}
	appendStringInfoChar(buf, ']');
}
