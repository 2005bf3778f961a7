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

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "utils/array.h"
#include "utils/float.h"

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
 * A double with an unbounded exponent: m * 2^e, with 0.5 <= |m| < 1 or
 * m = 0.  Used to redo the linear predictor when products overflowed.
 */
typedef struct WideDouble
{
	double		m;
	int			e;
} WideDouble;

static inline WideDouble
WideMake(double m, int e)
{
	WideDouble	w;
	int			k;

	w.m = frexp(m, &k);
	w.e = (w.m == 0.0) ? 0 : e + k;
	return w;
}

/* a + b, rounded like a double addition with no exponent limit */
static inline WideDouble
WideAdd(WideDouble a, WideDouble b)
{
	if (a.m == 0.0)
		return b;
	if (b.m == 0.0)
		return a;
	if (a.e < b.e)
	{
		WideDouble	t = a;

		a = b;
		b = t;
	}
	/* b is negligible next to a beyond 60 binary orders of magnitude */
	if (a.e - b.e > 60)
		return a;
	return WideMake(a.m + ldexp(b.m, b.e - a.e), a.e);
}

/*
 * b0 + sum(b[i+1] * x[i]) when products overflowed in both directions (the
 * fast sum was Inf - Inf = NaN).  Each product is formed as a WideDouble
 * from the frexp() mantissas (rounded as a double product would be) and
 * summed without overflow, so exactly cancelling huge terms leave the small
 * ones, as they would in double arithmetic with an unlimited exponent.
 */
static double
WideLinearPredictor(const float8 *x, const float8 *b, int d)
{
	WideDouble	acc = WideMake(b[0], 0);

	for (int i = 0; i < d; i++)
	{
		int			eb,
					ex;
		double		mb = frexp(b[i + 1], &eb),
					mx = frexp(x[i], &ex);

		acc = WideAdd(acc, WideMake(mb * mx, eb + ex));
	}
	/* back to double: overflows to +-Infinity, underflows to 0 */
	if (acc.e > DBL_MAX_EXP)
		return acc.m > 0 ? get_float8_infinity() : -get_float8_infinity();
	return ldexp(acc.m, acc.e);
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
				 errmsg("coefficients array length %d does not match %d, the features array length plus one",
						nb, d + 1),
				 errdetail("The coefficients hold the intercept followed by one coefficient per feature.")));

	z = LinearPredictor(x, b, d);
	if (unlikely(!isfinite(z)))
	{
		/* Inf/NaN inputs are errors; overflow from finite ones is not */
		AimCheckFinite(farr, x, d, "features");
		AimCheckFinite(barr, b, nb, "coefficients");
		/* a partial sum may have overflowed while the total does not */
		z = WideLinearPredictor(x, b, d);
	}
	PG_RETURN_FLOAT8(AimSigmoid(z));
}
