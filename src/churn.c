/*-------------------------------------------------------------------------
 *
 * churn.c
 *	  Churn scoring with a logistic model.
 *
 *	  churn_score(features, coefficients): 1 / (1 + exp(-(b0 + sum bi xi))).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/array.h"

#include "aimarketing.h"

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
 * churn_score(features float8[], coefficients float8[]) returns float8
 *
 * coefficients holds the intercept followed by one weight per feature, the
 * layout logistic_fit() returns.  The sigmoid is evaluated in the form that
 * cannot overflow (exp of a non-positive argument only), so |z| of any size
 * gives a value in [0, 1]: exactly 1 for z > ~37, exactly 0 below ~-745.
 * An empty feature vector with a one-element coefficient array is an
 * intercept-only model.
 */
PG_FUNCTION_INFO_V1(aim_churn_score);
Datum
aim_churn_score(PG_FUNCTION_ARGS)
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
				 errmsg("coefficients array has %d elements, expected %d",
						nb, d + 1),
				 errdetail("The features array has %d elements; coefficients hold the intercept followed by one coefficient per feature.",
						   d)));

	z = LinearPredictor(x, b, d);
	if (unlikely(isnan(z)))
	{
		/*
		 * NaN from finite inputs means +Inf and -Inf products met; long
		 * double has the range to add them exactly enough to get the sign.
		 */
		long double lz = b[0];

		AimCheckFinite(x, d, "features");
		AimCheckFinite(b, nb, "coefficients");
		for (int i = 0; i < d; i++)
			lz += (long double) b[i + 1] * (long double) x[i];
		z = (double) lz;
	}
	else if (unlikely(isinf(z)))
	{
		/* infinite z is fine from finite inputs (overflow), not from Inf */
		AimCheckFinite(x, d, "features");
		AimCheckFinite(b, nb, "coefficients");
	}
	PG_RETURN_FLOAT8(AimSigmoid(z));
}
