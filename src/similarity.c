/*-------------------------------------------------------------------------
 *
 * similarity.c
 *	  cosine_sim() and pearson_sim(): similarity of two float8[] vectors.
 *
 * Both take one pass (cosine) or two passes (Pearson) over the data with
 * independent accumulators and no allocation.  When the fast computation
 * is not finite or a norm underflows, a slow path rejects NaN/Infinity
 * inputs and otherwise recomputes on copies scaled by a power of two, so
 * that finite inputs of any magnitude (1e-300 or 1e300) give the right
 * answer instead of NULL or NaN.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "utils/array.h"

#include "aimarketing.h"

/* Check that two vectors have the same length. */
static void
CheckSameLength(int na, int nb)
{
	if (na != nb)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("arrays \"a\" and \"b\" have different lengths %d and %d",
						na, nb)));
}

/* Largest absolute value of x (x is known to be finite). */
static double
MaxAbs(const float8 *x, int n)
{
	double		m = 0.0;

	for (int i = 0; i < n; i++)
		m = Max(m, fabs(x[i]));
	return m;
}

/* dot = a.b, aa = a.a, bb = b.b, each with two interleaved accumulators. */
static inline void
DotNorms(const float8 *a, const float8 *b, int n,
		 double *dot, double *aa, double *bb)
{
	double		d0 = 0.0,
				d1 = 0.0,
				a0 = 0.0,
				a1 = 0.0,
				b0 = 0.0,
				b1 = 0.0;
	int			i = 0;

	for (; i + 2 <= n; i += 2)
	{
		double		x0 = a[i],
					x1 = a[i + 1],
					y0 = b[i],
					y1 = b[i + 1];

		d0 += x0 * y0;
		d1 += x1 * y1;
		a0 += x0 * x0;
		a1 += x1 * x1;
		b0 += y0 * y0;
		b1 += y1 * y1;
	}
	if (i < n)
	{
		double		x0 = a[i],
					y0 = b[i];

		d0 += x0 * y0;
		a0 += x0 * x0;
		b0 += y0 * y0;
	}
	*dot = d0 + d1;
	*aa = a0 + a1;
	*bb = b0 + b1;
}

/*
 * A copy of x scaled by the power of two that brings its largest magnitude
 * m to [0.5, 1).  ldexp() on each element is exact (barring underflow of
 * elements negligible next to m), and unlike multiplying by 2^-e it cannot
 * overflow when m is subnormal.
 */
static float8 *
ScaledCopy(const float8 *x, int n, double m)
{
	float8	   *y = palloc(n * sizeof(float8));
	int			e;

	(void) frexp(m, &e);
	for (int i = 0; i < n; i++)
		y[i] = ldexp(x[i], -e);
	return y;
}

/*
 * sqrt(x) * sqrt(y), computed as sqrt(x * y) when the product is a normal
 * number: sqrt(x * x) == x exactly in IEEE arithmetic, so the similarity of
 * a vector with itself is exactly 1.
 */
static inline double
SqrtProduct(double x, double y)
{
	double		p = x * y;

	if (isfinite(p) && p >= DBL_MIN)
		return sqrt(p);
	return sqrt(x) * sqrt(y);
}

/*
 * cosine_sim(a float8[], b float8[]) returns float8
 *
 * a.b / (|a| |b|), clamped to [-1, 1].  NULL when either vector is all zeros
 * (the angle is undefined, as corr() is undefined for zero variance).
 */
PG_FUNCTION_INFO_V1(aim_cosine_sim);
Datum
aim_cosine_sim(PG_FUNCTION_ARGS)
{
	ArrayType  *aarr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *barr = PG_GETARG_ARRAYTYPE_P(1);
	const float8 *a,
			   *b;
	int			na,
				nb;
	double		dot,
				aa,
				bb,
				sim;

	a = AimVectorArg(aarr, "a", &na);
	b = AimVectorArg(barr, "b", &nb);
	CheckSameLength(na, nb);
	AimCheckNotEmpty(na, "a");

	DotNorms(a, b, na, &dot, &aa, &bb);

	if (unlikely(!isfinite(dot) || !isfinite(aa) || !isfinite(bb) ||
				 aa < DBL_MIN || bb < DBL_MIN))
	{
		/* slow path: reject non-finite input, else rescale and retry */
		double		ma,
					mb;

		AimCheckFinite(aarr, a, na, "a");
		AimCheckFinite(barr, b, nb, "b");
		ma = MaxAbs(a, na);
		mb = MaxAbs(b, nb);
		if (ma == 0.0 || mb == 0.0)
			PG_RETURN_NULL();
		DotNorms(ScaledCopy(a, na, ma), ScaledCopy(b, nb, mb), na,
				 &dot, &aa, &bb);
	}

	sim = dot / SqrtProduct(aa, bb);
	if (sim > 1.0)
		sim = 1.0;
	else if (sim < -1.0)
		sim = -1.0;
	PG_RETURN_FLOAT8(sim);
}

/* Sums for Pearson: a means pass and a centred pass. */
static void
PearsonSums(const float8 *a, const float8 *b, int n,
			double *sxy, double *sxx, double *syy, bool *constant)
{
	double		mx0 = 0.0,
				mx1 = 0.0,
				my0 = 0.0,
				my1 = 0.0;
	double		mx,
				my,
				ex = 0.0,
				ey = 0.0,
				xy0 = 0.0,
				xy1 = 0.0,
				xx0 = 0.0,
				xx1 = 0.0,
				yy0 = 0.0,
				yy1 = 0.0;
	bool		samex = true,
				samey = true;
	int			i;

	for (i = 0; i + 2 <= n; i += 2)
	{
		mx0 += a[i];
		mx1 += a[i + 1];
		my0 += b[i];
		my1 += b[i + 1];
		samex &= (a[i] == a[0]) & (a[i + 1] == a[0]);
		samey &= (b[i] == b[0]) & (b[i + 1] == b[0]);
	}
	if (i < n)
	{
		mx0 += a[i];
		my0 += b[i];
		samex &= (a[i] == a[0]);
		samey &= (b[i] == b[0]);
	}
	mx = (mx0 + mx1) / n;
	my = (my0 + my1) / n;

	for (i = 0; i + 2 <= n; i += 2)
	{
		double		dx0 = a[i] - mx,
					dx1 = a[i + 1] - mx,
					dy0 = b[i] - my,
					dy1 = b[i + 1] - my;

		ex += dx0 + dx1;
		ey += dy0 + dy1;
		xy0 += dx0 * dy0;
		xy1 += dx1 * dy1;
		xx0 += dx0 * dx0;
		xx1 += dx1 * dx1;
		yy0 += dy0 * dy0;
		yy1 += dy1 * dy1;
	}
	if (i < n)
	{
		double		dx0 = a[i] - mx,
					dy0 = b[i] - my;

		ex += dx0;
		ey += dy0;
		xy0 += dx0 * dy0;
		xx0 += dx0 * dx0;
		yy0 += dy0 * dy0;
	}

	/*
	 * Corrected two-pass algorithm (Chan, Golub & LeVeque 1983): subtracting
	 * the squared sum of the residuals removes the error of the mean.
	 */
	*sxy = (xy0 + xy1) - ex * ey / n;
	*sxx = (xx0 + xx1) - ex * ex / n;
	*syy = (yy0 + yy1) - ey * ey / n;
	*constant = samex || samey;
}

/*
 * pearson_sim(a float8[], b float8[]) returns float8
 *
 * Pearson correlation of the elements of a and b, clamped to [-1, 1].  NULL
 * for fewer than two elements or when either vector is constant, as corr().
 */
PG_FUNCTION_INFO_V1(aim_pearson_sim);
Datum
aim_pearson_sim(PG_FUNCTION_ARGS)
{
	ArrayType  *aarr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *barr = PG_GETARG_ARRAYTYPE_P(1);
	const float8 *a,
			   *b;
	int			na,
				nb;
	double		sxy,
				sxx,
				syy,
				r;
	bool		constant;

	a = AimVectorArg(aarr, "a", &na);
	b = AimVectorArg(barr, "b", &nb);
	CheckSameLength(na, nb);
	if (na < 2)
	{
		/* still reject non-finite input, whatever the length */
		AimCheckFinite(aarr, a, na, "a");
		AimCheckFinite(barr, b, nb, "b");
		PG_RETURN_NULL();
	}

	PearsonSums(a, b, na, &sxy, &sxx, &syy, &constant);

	if (unlikely(!isfinite(sxy) || !isfinite(sxx) || !isfinite(syy) ||
				 sxx < DBL_MIN || syy < DBL_MIN))
	{
		AimCheckFinite(aarr, a, na, "a");
		AimCheckFinite(barr, b, nb, "b");
		if (constant)
			PG_RETURN_NULL();
		PearsonSums(ScaledCopy(a, na, MaxAbs(a, na)), ScaledCopy(b, nb, MaxAbs(b, nb)),
					na, &sxy, &sxx, &syy, &constant);
		if (sxx <= 0.0 || syy <= 0.0)
			PG_RETURN_NULL();
	}
	else if (constant)
		PG_RETURN_NULL();

	r = sxy / SqrtProduct(sxx, syy);
	if (r > 1.0)
		r = 1.0;
	else if (r < -1.0)
		r = -1.0;
	PG_RETURN_FLOAT8(r);
}
