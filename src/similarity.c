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

/* The two vector arguments a and b of a similarity function. */
typedef struct VectorPair
{
	ArrayType  *aarr;
	ArrayType  *barr;
	const float8 *a;
	const float8 *b;
	int			n;				/* the common length */
} VectorPair;

/* Fetch the arguments a and b, which must have the same length. */
static void
GetVectorPair(FunctionCallInfo fcinfo, VectorPair *vp)
{
	int			nb;

	vp->aarr = PG_GETARG_ARRAYTYPE_P(0);
	vp->barr = PG_GETARG_ARRAYTYPE_P(1);
	vp->a = AimVectorArg(vp->aarr, "a", &vp->n);
	vp->b = AimVectorArg(vp->barr, "b", &nb);
	if (vp->n != nb)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("arrays \"a\" and \"b\" have different lengths %d and %d",
						vp->n, nb)));
}

/* Reject NaN and infinities in either vector. */
static void
CheckFinitePair(const VectorPair *vp)
{
	AimCheckFinite(vp->aarr, vp->a, vp->n, "a");
	AimCheckFinite(vp->barr, vp->b, vp->n, "b");
}

/*
 * Whether the fast computation must be redone: the cross term or a sum of
 * squares is not finite (non-finite input, or overflow), or a sum of
 * squares is so small that underflow may have lost precision.
 */
static inline bool
NeedsRescale(double cross, double aa, double bb)
{
	return !isfinite(cross) || !isfinite(aa) || !isfinite(bb) ||
		aa < DBL_MIN || bb < DBL_MIN;
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

/*
 * The kernels below use GCC/Clang vector extensions: a v4d holds four
 * doubles and each sum keeps eight lanes (two v4d), lane l accumulating the
 * elements i with i % 8 == l.  The lanes break the add latency chain and map
 * onto SSE2 or AVX2 registers; since every lane does the same IEEE
 * operations in the same order on any instruction set, the results do not
 * depend on which clone runs (no FMA contraction: -ffp-contract=off).
 */
typedef double v4d __attribute__((vector_size(32)));
typedef int64 v4l __attribute__((vector_size(32)));

/* unaligned load of four doubles (vectors never pass by value: ABI) */
#define LoadV4(dst, p)	memcpy(&(dst), (p), sizeof(v4d))

/* the eight elements of a and of b at i, as two v4d each */
#define LoadPair8(a0, a1, b0, b1, a, b, i) \
	(LoadV4(a0, (a) + (i)), LoadV4(a1, (a) + (i) + 4), \
	 LoadV4(b0, (b) + (i)), LoadV4(b1, (b) + (i) + 4))

/* sum of the eight lanes lo and hi */
static inline double
HSum(const v4d *lo, const v4d *hi)
{
	v4d			s = *lo + *hi;

	return (s[0] + s[1]) + (s[2] + s[3]);
}

/* dot = a.b, aa = a.a, bb = b.b */
AIM_CLONES
static void
DotNorms(const float8 *restrict a, const float8 *restrict b, int n,
		 double *dot, double *aa, double *bb)
{
	v4d			d0 = {0},
				d1 = {0},
				x0 = {0},
				x1 = {0},
				y0 = {0},
				y1 = {0};
	double		dt = 0.0,
				xt = 0.0,
				yt = 0.0;
	int			i = 0;

	for (; i + 8 <= n; i += 8)
	{
		v4d			a0,
					a1,
					b0,
					b1;

		LoadPair8(a0, a1, b0, b1, a, b, i);
		d0 += a0 * b0;
		d1 += a1 * b1;
		x0 += a0 * a0;
		x1 += a1 * a1;
		y0 += b0 * b0;
		y1 += b1 * b1;
	}
	for (; i < n; i++)
	{
		dt += a[i] * b[i];
		xt += a[i] * a[i];
		yt += b[i] * b[i];
	}
	*dot = HSum(&d0, &d1) + dt;
	*aa = HSum(&x0, &x1) + xt;
	*bb = HSum(&y0, &y1) + yt;
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

/* Rounding can push a correlation a hair outside [-1, 1]: clamp it. */
static inline double
ClampUnit(double v)
{
	return v > 1.0 ? 1.0 : (v < -1.0 ? -1.0 : v);
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
	VectorPair	vp;
	double		dot,
				aa,
				bb;

	GetVectorPair(fcinfo, &vp);
	AimCheckNotEmpty(vp.n, "a");

	DotNorms(vp.a, vp.b, vp.n, &dot, &aa, &bb);
	if (unlikely(NeedsRescale(dot, aa, bb)))
	{
		/* slow path: reject non-finite input, else rescale and retry */
		double		ma,
					mb;

		CheckFinitePair(&vp);
		ma = MaxAbs(vp.a, vp.n);
		mb = MaxAbs(vp.b, vp.n);
		if (ma == 0.0 || mb == 0.0)
			PG_RETURN_NULL();
		DotNorms(ScaledCopy(vp.a, vp.n, ma), ScaledCopy(vp.b, vp.n, mb), vp.n,
				 &dot, &aa, &bb);
	}
	PG_RETURN_FLOAT8(ClampUnit(dot / SqrtProduct(aa, bb)));
}

/*
 * The means pass for Pearson, eight lanes per sum (see DotNorms).
 * *constant tells whether either vector has all elements equal, decided
 * exactly rather than from a variance that rounding can leave slightly
 * above zero.
 */
AIM_CLONES
static void
PearsonMeans(const float8 *restrict a, const float8 *restrict b, int n,
			 double *meanx, double *meany, bool *constant)
{
	v4d			mx0 = {0},
				mx1 = {0},
				my0 = {0},
				my1 = {0};
	v4l			dfx = {0},
				dfy = {0};
	v4d			fa = {a[0], a[0], a[0], a[0]},
				fb = {b[0], b[0], b[0], b[0]};
	double		mxt = 0.0,
				myt = 0.0;
	bool		diffx = false,
				diffy = false;
	int			i;

	for (i = 0; i + 8 <= n; i += 8)
	{
		v4d			a0,
					a1,
					b0,
					b1;

		LoadPair8(a0, a1, b0, b1, a, b, i);
		mx0 += a0;
		mx1 += a1;
		my0 += b0;
		my1 += b1;
		dfx |= (a0 != fa) | (a1 != fa);
		dfy |= (b0 != fb) | (b1 != fb);
	}
	for (; i < n; i++)
	{
		mxt += a[i];
		myt += b[i];
		diffx |= (a[i] != a[0]);
		diffy |= (b[i] != b[0]);
	}
	diffx |= (dfx[0] | dfx[1] | dfx[2] | dfx[3]) != 0;
	diffy |= (dfy[0] | dfy[1] | dfy[2] | dfy[3]) != 0;
	*meanx = (HSum(&mx0, &mx1) + mxt) / n;
	*meany = (HSum(&my0, &my1) + myt) / n;
	*constant = !diffx || !diffy;
}

/*
 * The centred pass for Pearson: the co-moment and the second moments about
 * the means, eight lanes per sum, corrected by the two-pass algorithm of
 * Chan, Golub & LeVeque (1983): subtracting the squared sum of the
 * residuals removes the error of the mean.
 */
AIM_CLONES
static void
PearsonCentred(const float8 *restrict a, const float8 *restrict b, int n,
			   double meanx, double meany,
			   double *sxy, double *sxx, double *syy)
{
	v4d			vmx = {meanx, meanx, meanx, meanx},
				vmy = {meany, meany, meany, meany};
	v4d			ex0 = {0},
				ex1 = {0},
				ey0 = {0},
				ey1 = {0},
				xy0 = {0},
				xy1 = {0},
				xx0 = {0},
				xx1 = {0},
				yy0 = {0},
				yy1 = {0};
	double		ext = 0.0,
				eyt = 0.0,
				xyt = 0.0,
				xxt = 0.0,
				yyt = 0.0,
				sex,
				sey;
	int			i;

	for (i = 0; i + 8 <= n; i += 8)
	{
		v4d			dx0,
					dx1,
					dy0,
					dy1;

		LoadPair8(dx0, dx1, dy0, dy1, a, b, i);
		dx0 -= vmx;
		dx1 -= vmx;
		dy0 -= vmy;
		dy1 -= vmy;

		ex0 += dx0;
		ex1 += dx1;
		ey0 += dy0;
		ey1 += dy1;
		xy0 += dx0 * dy0;
		xy1 += dx1 * dy1;
		xx0 += dx0 * dx0;
		xx1 += dx1 * dx1;
		yy0 += dy0 * dy0;
		yy1 += dy1 * dy1;
	}
	for (; i < n; i++)
	{
		double		dx = a[i] - meanx,
					dy = b[i] - meany;

		ext += dx;
		eyt += dy;
		xyt += dx * dy;
		xxt += dx * dx;
		yyt += dy * dy;
	}
	sex = HSum(&ex0, &ex1) + ext;
	sey = HSum(&ey0, &ey1) + eyt;
	*sxy = (HSum(&xy0, &xy1) + xyt) - sex * sey / n;
	*sxx = (HSum(&xx0, &xx1) + xxt) - sex * sex / n;
	*syy = (HSum(&yy0, &yy1) + yyt) - sey * sey / n;
}

/* Both passes for Pearson (see PearsonMeans and PearsonCentred). */
static void
PearsonSums(const float8 *a, const float8 *b, int n,
			double *sxy, double *sxx, double *syy, bool *constant)
{
	double		meanx,
				meany;

	PearsonMeans(a, b, n, &meanx, &meany, constant);
	PearsonCentred(a, b, n, meanx, meany, sxy, sxx, syy);
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
	VectorPair	vp;
	double		sxy,
				sxx,
				syy;
	bool		constant;

	GetVectorPair(fcinfo, &vp);
	if (vp.n < 2)
	{
		/* still reject non-finite input, whatever the length */
		CheckFinitePair(&vp);
		PG_RETURN_NULL();
	}

	PearsonSums(vp.a, vp.b, vp.n, &sxy, &sxx, &syy, &constant);
	if (unlikely(NeedsRescale(sxy, sxx, syy)))
	{
		CheckFinitePair(&vp);
		if (constant)
			PG_RETURN_NULL();
		PearsonSums(ScaledCopy(vp.a, vp.n, MaxAbs(vp.a, vp.n)),
					ScaledCopy(vp.b, vp.n, MaxAbs(vp.b, vp.n)),
					vp.n, &sxy, &sxx, &syy, &constant);
		if (sxx <= 0.0 || syy <= 0.0)
			PG_RETURN_NULL();
	}
	else if (constant)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(ClampUnit(sxy / SqrtProduct(sxx, syy)));
}
