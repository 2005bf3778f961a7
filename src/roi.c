/*-------------------------------------------------------------------------
 *
 * roi.c
 *	  Campaign return aggregates: roi(revenue, cost) = (R - C) / C and
 *	  roas(revenue, cost) = R / C, where R and C are the sums of revenue and
 *	  cost over the rows where both are non-NULL.  NULL for no such rows or
 *	  a zero total cost.
 *
 * float8 flavour: the state is a float8[3] {N, R, C}, as core's regr_*
 * aggregates keep theirs, updated in place when called as an aggregate.
 * It is an ordinary type, so parallel query (and Citus) can ship partial
 * states without serialisation.  Like core's sum(float8) it has no inverse
 * transition function: floating-point subtraction is not exact.
 *
 * numeric flavour: exact.  The state is a bytea (again an ordinary type)
 * with a fixed layout holding, for revenue and for cost, an int128 sum of
 * the values scaled by 10^scale.  The numeric values are decoded straight
 * from their on-disk form without detoasting copies, so the per-row cost is
 * a few integer operations, like core's sum(int8) accumulating in int128.
 * A value whose digits or scale do not fit, or a sum that would overflow
 * int128, is added with numeric arithmetic into an overflow numeric that is
 * stored after the fixed part; the total is always exact.  NaN and
 * infinities are counted, as core's numeric sum does, so that the inverse
 * transition function (moving window frames) stays exact too.  The result
 * is computed by numeric_sub()/numeric_div() from sums carrying the same
 * display scale as sum(numeric) would, so roi(r, c) returns exactly what
 * (sum(r) - sum(c)) / sum(c) returns.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"

#include "aimarketing.h"

#ifndef HAVE_INT128
#error "aimarketing needs a compiler with a 128-bit integer type"
#endif

/* ---------------------------------------------------------------------
 * float8 flavour
 * ---------------------------------------------------------------------
 */

/* a + b, with float8pl's overflow rule: Inf only from Inf input */
static inline float8
AddNoOverflow(float8 a, float8 b)
{
	float8		r = a + b;

	if (unlikely(isinf(r)) && !isinf(a) && !isinf(b))
		float_overflow_error();
	return r;
}

/*
 * roi_float8_accum(state float8[], revenue float8, cost float8)
 *
 * STRICT, so rows where revenue or cost is NULL never get here.
 */
PG_FUNCTION_INFO_V1(aim_roi_float8_accum);
Datum
aim_roi_float8_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *sarr = PG_GETARG_ARRAYTYPE_P(0);
	float8		rev = PG_GETARG_FLOAT8(1);
	float8		cost = PG_GETARG_FLOAT8(2);
	float8	   *s = AimFloat8StateArg(sarr, 3, "roi_float8_accum");
	float8		v[3];

	v[0] = s[0] + 1.0;
	v[1] = AddNoOverflow(s[1], rev);
	v[2] = AddNoOverflow(s[2], cost);
	return AimFloat8StateResult(fcinfo, sarr, v, 3);
}

/* roi_float8_combine(state1 float8[], state2 float8[]) */
PG_FUNCTION_INFO_V1(aim_roi_float8_combine);
Datum
aim_roi_float8_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a1 = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *a2 = PG_GETARG_ARRAYTYPE_P(1);
	float8	   *s1 = AimFloat8StateArg(a1, 3, "roi_float8_combine");
	float8	   *s2 = AimFloat8StateArg(a2, 3, "roi_float8_combine");
	float8		v[3];

	if (s2[0] == 0.0)
		PG_RETURN_ARRAYTYPE_P(a1);
	if (s1[0] == 0.0 && AggCheckCallContext(fcinfo, NULL))
		return AimFloat8StateResult(fcinfo, a1, s2, 3);
	v[0] = s1[0] + s2[0];
	v[1] = AddNoOverflow(s1[1], s2[1]);
	v[2] = AddNoOverflow(s1[2], s2[2]);
	return AimFloat8StateResult(fcinfo, a1, v, 3);
}

/* roi_float8_final(state float8[]): (R - C) / C */
PG_FUNCTION_INFO_V1(aim_roi_float8_final);
Datum
aim_roi_float8_final(PG_FUNCTION_ARGS)
{
	float8	   *s = AimFloat8StateArg(PG_GETARG_ARRAYTYPE_P(0), 3,
									  "roi_float8_final");

	if (s[0] == 0.0 || s[2] == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(float8_div(float8_mi(s[1], s[2]), s[2]));
}

/* roas_float8_final(state float8[]): R / C */
PG_FUNCTION_INFO_V1(aim_roas_float8_final);
Datum
aim_roas_float8_final(PG_FUNCTION_ARGS)
{
	float8	   *s = AimFloat8StateArg(PG_GETARG_ARRAYTYPE_P(0), 3,
									  "roas_float8_final");

	if (s[0] == 0.0 || s[2] == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(float8_div(s[1], s[2]));
}

/* ---------------------------------------------------------------------
 * numeric flavour
 * ---------------------------------------------------------------------
 */

/*
 * Decoding of numeric's on-disk format (see the comments at the head of
 * src/backend/utils/adt/numeric.c).  A numeric is a varlena whose payload
 * starts with a 16-bit header word.  Its two top bits say which form it is:
 *	 00 / 01	long form, positive / negative: the header is followed by an
 *				int16 weight, then the digits; the low 14 bits are dscale.
 *	 10			short form: sign bit 0x2000, dscale in bits 0x1F80, a 7-bit
 *				signed weight in 0x007F; the digits follow the header.
 *	 11			special value: 0xC000 NaN, 0xD000 +Infinity, 0xF000 -Infinity.
 * Digits are int16 in base 10000, most significant first; the value is
 * sum(digit[i] * 10000^(weight - i)).  This format is what is stored on
 * disk, so it cannot change without breaking pg_upgrade.
 */
#define NUMDEC_SIGN_MASK		0xC000
#define NUMDEC_NEG				0x4000
#define NUMDEC_SHORT			0x8000
#define NUMDEC_SPECIAL			0xC000
#define NUMDEC_EXT_MASK			0xF000
#define NUMDEC_NAN				0xC000
#define NUMDEC_PINF				0xD000
#define NUMDEC_SHORT_NEG		0x2000
#define NUMDEC_SHORT_DSCALE		0x1F80
#define NUMDEC_SHORT_DSCALE_SHIFT 7
#define NUMDEC_SHORT_WSIGN		0x0040
#define NUMDEC_SHORT_WMASK		0x003F
#define NUMDEC_DSCALE_MASK		0x3FFF
#define NUMDEC_DEC_DIGITS		4

/* the largest scale and digit count that always fit an int128 */
#define ROI_MAX_SCALE			36
#define ROI_MAX_DIGITS			9

typedef enum NumKind
{
	NUMKIND_FINITE,
	NUMKIND_NAN,
	NUMKIND_PINF,
	NUMKIND_NINF
} NumKind;

/* A decoded numeric: kind, display scale, and if it fits, value * 10^scale. */
typedef struct DecodedNumeric
{
	NumKind		kind;
	bool		fits;			/* value and scale hold the exact value */
	int			dscale;			/* display scale */
	int			scale;			/* multiple of 4, value is scaled by 10^scale */
	int128		value;
} DecodedNumeric;

static const int128 Pow10Int128[] = {
	(int128) 1,
	(int128) 10,
	(int128) 100,
	(int128) 1000,
	(int128) 10000,
	(int128) 100000,
	(int128) 1000000,
	(int128) 10000000,
	(int128) 100000000,
	(int128) 1000000000,
	(int128) 10000000000LL,
	(int128) 100000000000LL,
	(int128) 1000000000000LL,
	(int128) 10000000000000LL,
	(int128) 100000000000000LL,
	(int128) 1000000000000000LL,
	(int128) 10000000000000000LL,
	(int128) 100000000000000000LL,
	(int128) 1000000000000000000LL,
	(int128) 1000000000000000000LL * 10,
	(int128) 1000000000000000000LL * 100,
	(int128) 1000000000000000000LL * 1000,
	(int128) 1000000000000000000LL * 10000,
	(int128) 1000000000000000000LL * 100000,
	(int128) 1000000000000000000LL * 1000000,
	(int128) 1000000000000000000LL * 10000000,
	(int128) 1000000000000000000LL * 100000000,
	(int128) 1000000000000000000LL * 1000000000,
	(int128) 1000000000000000000LL * 10000000000LL,
	(int128) 1000000000000000000LL * 100000000000LL,
	(int128) 1000000000000000000LL * 1000000000000LL,
	(int128) 1000000000000000000LL * 10000000000000LL,
	(int128) 1000000000000000000LL * 100000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000LL,
	(int128) 1000000000000000000LL * 10000000000000000LL,
	(int128) 1000000000000000000LL * 100000000000000000LL,
	(int128) 1000000000000000000LL * 1000000000000000000LL
};

static inline uint16
ReadU16(const char *p)
{
	uint16		v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Decode the numeric datum d.  Short varlena headers are read in place: no
 * detoasting copy is made unless the value is compressed or out of line.
 */
static void
DecodeNumeric(Datum d, DecodedNumeric *out)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	const char *p;
	Size		len;
	uint16		hdr;
	int			weight,
				ndigits;
	bool		neg;
	const char *digits;
	int64		acc64 = 0;
	int128		acc;
	int			i,
				scale;

	if (VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v))
		v = pg_detoast_datum_packed(v);
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	if (len < sizeof(uint16))
		elog(ERROR, "invalid numeric datum of %zu bytes", len);
	hdr = ReadU16(p);

	out->fits = false;
	out->value = 0;
	out->scale = 0;
	out->dscale = 0;

	if ((hdr & NUMDEC_SIGN_MASK) == NUMDEC_SPECIAL)
	{
		switch (hdr & NUMDEC_EXT_MASK)
		{
			case NUMDEC_NAN:
				out->kind = NUMKIND_NAN;
				break;
			case NUMDEC_PINF:
				out->kind = NUMKIND_PINF;
				break;
			default:
				out->kind = NUMKIND_NINF;
				break;
		}
		return;
	}
	out->kind = NUMKIND_FINITE;

	if ((hdr & NUMDEC_SIGN_MASK) == NUMDEC_SHORT)
	{
		neg = (hdr & NUMDEC_SHORT_NEG) != 0;
		out->dscale = (hdr & NUMDEC_SHORT_DSCALE) >> NUMDEC_SHORT_DSCALE_SHIFT;
		weight = (hdr & NUMDEC_SHORT_WMASK);
		if (hdr & NUMDEC_SHORT_WSIGN)
			weight |= ~NUMDEC_SHORT_WMASK;
		digits = p + sizeof(uint16);
		ndigits = (len - sizeof(uint16)) / sizeof(int16);
	}
	else
	{
		int16		w;

		if (len < 2 * sizeof(uint16))
			elog(ERROR, "invalid numeric datum of %zu bytes", len);
		neg = (hdr & NUMDEC_SIGN_MASK) == NUMDEC_NEG;
		out->dscale = hdr & NUMDEC_DSCALE_MASK;
		memcpy(&w, p + sizeof(uint16), sizeof(int16));
		weight = w;
		digits = p + 2 * sizeof(uint16);
		ndigits = (len - 2 * sizeof(uint16)) / sizeof(int16);
	}

	if (ndigits == 0)
	{
		out->fits = true;
		return;
	}
	if (ndigits > ROI_MAX_DIGITS)
		return;

	/* value * 10^(4 * (ndigits - 1 - weight)) by Horner's rule */
	for (i = 0; i < ndigits && i < 4; i++)
		acc64 = acc64 * 10000 + (int16) ReadU16(digits + i * sizeof(int16));
	acc = acc64;
	for (; i < ndigits; i++)
		acc = acc * 10000 + (int16) ReadU16(digits + i * sizeof(int16));

	scale = NUMDEC_DEC_DIGITS * (ndigits - 1 - weight);
	if (scale < 0)
	{
		/* trailing zero groups of an integer: multiply them back in */
		if (-scale > ROI_MAX_SCALE ||
			__builtin_mul_overflow(acc, Pow10Int128[-scale], &acc))
			return;
		scale = 0;
	}
	else if (scale > ROI_MAX_SCALE)
		return;

	out->value = neg ? -acc : acc;
	out->scale = scale;
	out->fits = true;
}

/* One side (revenue or cost) of the numeric state. */
typedef struct RoiNumSide
{
	int128		sum;			/* sum of the values that fit, * 10^scale */
	int32		scale;			/* multiple of 4, at most ROI_MAX_SCALE */
	int32		maxdscale;		/* largest display scale of current inputs */
	int64		maxdscale_count;	/* inputs with that display scale */
	int64		nan_count;
	int64		pinf_count;
	int64		ninf_count;
	uint32		extra_off;		/* offset of the overflow numeric, or 0 */
	uint32		extra_len;		/* its varlena size */
} RoiNumSide;

#define ROI_NUM_MAGIC	0x524F4931	/* "ROI1" */

typedef struct RoiNumState
{
	int32		vl_len_;		/* varlena header: this is a bytea */
	uint32		magic;
	int64		n;				/* rows with both values non-NULL */
	RoiNumSide	side[2];		/* 0 = revenue, 1 = cost */
	/* overflow numerics, if any, follow at MAXALIGNed offsets */
} RoiNumState;

#define ROI_NUM_FIXED	MAXALIGN(sizeof(RoiNumState))

/* the overflow numeric of a side, or NULL */
static inline Numeric
SideExtra(const RoiNumState *st, int s)
{
	if (st->side[s].extra_off == 0)
		return NULL;
	return (Numeric) ((char *) st + st->side[s].extra_off);
}

/* Validate a state that came from outside: sizes, magic, offsets. */
static void
CheckRoiNumState(const RoiNumState *st, const char *caller)
{
	Size		size = VARSIZE(st);

	if (size < ROI_NUM_FIXED || st->magic != ROI_NUM_MAGIC || st->n < 0)
		AimInvalidState("%s: invalid roi state", caller);
	for (int s = 0; s < 2; s++)
	{
		const RoiNumSide *sd = &st->side[s];

		if (sd->scale < 0 || sd->scale > ROI_MAX_SCALE ||
			sd->scale % NUMDEC_DEC_DIGITS != 0 ||
			sd->maxdscale < 0 || sd->maxdscale > NUMDEC_DSCALE_MASK ||
			sd->maxdscale_count < 0 || sd->nan_count < 0 ||
			sd->pinf_count < 0 || sd->ninf_count < 0)
			AimInvalidState("%s: invalid roi state", caller);
		if (sd->extra_off != 0 &&
			(sd->extra_off < ROI_NUM_FIXED ||
			 sd->extra_off % MAXIMUM_ALIGNOF != 0 ||
			 sd->extra_len < VARHDRSZ + sizeof(uint16) ||
			 (Size) sd->extra_off + sd->extra_len > size ||
			 VARSIZE((char *) st + sd->extra_off) != sd->extra_len ||
			 VARATT_IS_EXTENDED((char *) st + sd->extra_off)))
			AimInvalidState("%s: invalid roi state", caller);
	}
}

/*
 * Fetch state argument argno.  The returned state may be modified in place
 * only if *inplace says so: we are in an aggregate and the datum is our own
 * aligned, uncompressed copy in the aggregate's memory.
 */
static RoiNumState *
GetRoiNumState(FunctionCallInfo fcinfo, int argno, bool *inplace,
			   const char *caller)
{
	struct varlena *v = (struct varlena *) PG_GETARG_POINTER(argno);
	RoiNumState *st;

	if (VARATT_IS_EXTENDED(v) || ((uintptr_t) v) % MAXIMUM_ALIGNOF != 0)
	{
		st = (RoiNumState *) pg_detoast_datum_copy(v);
		if (inplace)
			*inplace = false;
	}
	else
	{
		st = (RoiNumState *) v;
		if (inplace)
			*inplace = AggCheckCallContext(fcinfo, NULL) != 0;
	}
	CheckRoiNumState(st, caller);
	return st;
}

/* A new state built from the fixed part of st and the given extras. */
static RoiNumState *
BuildRoiNumState(const RoiNumState *fixed, Numeric extra0, Numeric extra1)
{
	Size		size = ROI_NUM_FIXED;
	Size		off0 = 0,
				off1 = 0;
	RoiNumState *st;

	if (extra0)
	{
		off0 = size;
		size += MAXALIGN(VARSIZE(extra0));
	}
	if (extra1)
	{
		off1 = size;
		size += MAXALIGN(VARSIZE(extra1));
	}
	st = (RoiNumState *) palloc0(size);
	memcpy(st, fixed, sizeof(RoiNumState));
	SET_VARSIZE(st, size);
	st->side[0].extra_off = off0;
	st->side[0].extra_len = extra0 ? VARSIZE(extra0) : 0;
	st->side[1].extra_off = off1;
	st->side[1].extra_len = extra1 ? VARSIZE(extra1) : 0;
	if (extra0)
		memcpy((char *) st + off0, extra0, VARSIZE(extra0));
	if (extra1)
		memcpy((char *) st + off1, extra1, VARSIZE(extra1));
	return st;
}

/* An empty state, in the current memory context. */
static RoiNumState *
NewRoiNumState(void)
{
	RoiNumState *st = (RoiNumState *) palloc0(ROI_NUM_FIXED);

	SET_VARSIZE(st, ROI_NUM_FIXED);
	st->magic = ROI_NUM_MAGIC;
	return st;
}

/* Format sum / 10^scale as a numeric with exactly dscale decimals. */
static Numeric
Int128ToNumeric(int128 sum, int scale, int dscale)
{
	char	   *buf;
	char		digits[48];
	int			nd = 0;
	uint128		mag;
	char	   *p;
	int			intdigits;

	/* drop decimals beyond dscale: they are zero by construction */
	while (scale > dscale)
	{
		Assert(sum % 10 == 0);
		sum /= 10;
		scale--;
	}
	/* sign, up to 40 digits, point, dscale decimals, NUL */
	buf = palloc(48 + scale + dscale);
	p = buf;
	mag = sum < 0 ? -(uint128) sum : (uint128) sum;
	do
	{
		digits[nd++] = '0' + (int) (mag % 10);
		mag /= 10;
	} while (mag != 0);
	if (sum < 0)
		*p++ = '-';
	intdigits = nd - scale;
	if (intdigits <= 0)
		*p++ = '0';
	else
		for (int i = 0; i < intdigits; i++)
			*p++ = digits[nd - 1 - i];
	if (dscale > 0)
	{
		*p++ = '.';
		for (int i = scale - 1; i >= 0; i--)
			*p++ = (i < nd) ? digits[i] : '0';
		for (int i = scale; i < dscale; i++)
			*p++ = '0';
	}
	*p = '\0';
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* The exact finite total of a side, ignoring NaN/Inf counts and dscale. */
static Numeric
SideFiniteTotal(const RoiNumState *st, int s)
{
	const RoiNumSide *sd = &st->side[s];
	Numeric		total = Int128ToNumeric(sd->sum, sd->scale, sd->scale);
	Numeric		extra = SideExtra(st, s);

	if (extra)
		total = DatumGetNumeric(DirectFunctionCall2(numeric_add,
													NumericGetDatum(total),
													NumericGetDatum(extra)));
	return total;
}

/*
 * Try to add sign * dn to the int128 sum of a side, in place.  Returns false
 * (and changes nothing) if it does not fit.
 */
static inline bool
SideAddInt(RoiNumSide *sd, const DecodedNumeric *dn, int sign)
{
	int128		sum = sd->sum;
	int128		val = dn->value;
	int			scale = sd->scale;

	if (!dn->fits)
		return false;
	if (dn->scale > scale)
	{
		if (__builtin_mul_overflow(sum, Pow10Int128[dn->scale - scale], &sum))
			return false;
		scale = dn->scale;
	}
	else if (dn->scale < scale)
	{
		if (__builtin_mul_overflow(val, Pow10Int128[scale - dn->scale], &val))
			return false;
	}
	if (sign > 0 ? __builtin_add_overflow(sum, val, &sum)
		: __builtin_sub_overflow(sum, val, &sum))
		return false;
	sd->sum = sum;
	sd->scale = scale;
	return true;
}

/*
 * Add (sign = 1) or remove (sign = -1) one value on side s.  Returns the
 * state, which is st updated in place when inplace is true and no overflow
 * numeric had to change, else a new palloc'd state.  *ok is set false when
 * a removal makes the display scale unknown (the caller then asks for a
 * restart of the moving aggregate).
 */
static RoiNumState *
SideUpdate(RoiNumState *st, int s, Datum value, int sign, bool inplace,
		   bool *ok)
{
	DecodedNumeric dn;
	RoiNumSide *sd;

	/* work on a private copy if we may not scribble on st */
	if (!inplace)
	{
		RoiNumState *copy = (RoiNumState *) palloc(VARSIZE(st));

		memcpy(copy, st, VARSIZE(st));
		st = copy;
	}
	sd = &st->side[s];

	DecodeNumeric(value, &dn);
	switch (dn.kind)
	{
		case NUMKIND_NAN:
			sd->nan_count += sign;
			return st;
		case NUMKIND_PINF:
			sd->pinf_count += sign;
			return st;
		case NUMKIND_NINF:
			sd->ninf_count += sign;
			return st;
		case NUMKIND_FINITE:
			break;
	}

	/* display scale bookkeeping, as core's numeric sum does it */
	if (sign > 0)
	{
		if (dn.dscale > sd->maxdscale)
		{
			sd->maxdscale = dn.dscale;
			sd->maxdscale_count = 1;
		}
		else if (dn.dscale == sd->maxdscale)
			sd->maxdscale_count++;
	}
	else if (dn.dscale == sd->maxdscale)
	{
		if (sd->maxdscale_count > 1 || sd->maxdscale == 0)
			sd->maxdscale_count--;
		else
		{
			*ok = false;
			return st;
		}
	}

	if (likely(SideAddInt(sd, &dn, sign)))
		return st;

	/* slow path: fold everything of this side into the overflow numeric */
	{
		Numeric		total = SideFiniteTotal(st, s);
		Numeric		extra0,
					extra1;

		total = DatumGetNumeric(DirectFunctionCall2(sign > 0 ? numeric_add : numeric_sub,
													NumericGetDatum(total),
													value));
		sd->sum = 0;
		extra0 = (s == 0) ? total : SideExtra(st, 0);
		extra1 = (s == 1) ? total : SideExtra(st, 1);
		return BuildRoiNumState(st, extra0, extra1);
	}
}

/* Shared body of the transition and inverse transition functions. */
static Datum
RoiNumericStep(FunctionCallInfo fcinfo, int sign, const char *caller)
{
	RoiNumState *st;
	RoiNumState *res;
	bool		inplace = false;
	bool		ok = true;

	/*
	 * Rows with a NULL revenue or cost do not count.  On a NULL state return
	 * an empty state rather than NULL: a moving aggregate's transition
	 * function must not return NULL (that means "restart" only for the
	 * inverse).
	 */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(NewRoiNumState());
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	if (PG_ARGISNULL(0))
	{
		if (sign < 0)
			AimInvalidState("%s: cannot remove a row from an empty state", caller);
		st = NewRoiNumState();
		inplace = true;			/* a fresh private object */
	}
	else
		st = GetRoiNumState(fcinfo, 0, &inplace, caller);

	if (sign < 0 && st->n == 0)
		AimInvalidState("%s: cannot remove a row from an empty state", caller);

	res = SideUpdate(st, 0, PG_GETARG_DATUM(1), sign, inplace, &ok);
	if (ok)
		res = SideUpdate(res, 1, PG_GETARG_DATUM(2), sign, res == st ? inplace : true, &ok);
	if (!ok)
		PG_RETURN_NULL();		/* moving aggregate: restart the frame */
	res->n += sign;
	PG_RETURN_POINTER(res);
}

/* roi_numeric_accum(state bytea, revenue numeric, cost numeric) */
PG_FUNCTION_INFO_V1(aim_roi_numeric_accum);
Datum
aim_roi_numeric_accum(PG_FUNCTION_ARGS)
{
	return RoiNumericStep(fcinfo, 1, "roi_numeric_accum");
}

/* roi_numeric_inv(state bytea, revenue numeric, cost numeric) */
PG_FUNCTION_INFO_V1(aim_roi_numeric_inv);
Datum
aim_roi_numeric_inv(PG_FUNCTION_ARGS)
{
	return RoiNumericStep(fcinfo, -1, "roi_numeric_inv");
}

/* Merge side s of b into side s of a (a is private).  May rebuild a. */
static RoiNumState *
SideMerge(RoiNumState *a, const RoiNumState *b, int s)
{
	RoiNumSide *sa = &a->side[s];
	const RoiNumSide *sb = &b->side[s];
	DecodedNumeric dn;
	Numeric		eb = SideExtra(b, s);

	sa->nan_count += sb->nan_count;
	sa->pinf_count += sb->pinf_count;
	sa->ninf_count += sb->ninf_count;
	if (sb->maxdscale > sa->maxdscale)
	{
		sa->maxdscale = sb->maxdscale;
		sa->maxdscale_count = sb->maxdscale_count;
	}
	else if (sb->maxdscale == sa->maxdscale)
		sa->maxdscale_count += sb->maxdscale_count;

	dn.kind = NUMKIND_FINITE;
	dn.fits = true;
	dn.value = sb->sum;
	dn.scale = sb->scale;
	dn.dscale = sb->maxdscale;
	if (eb == NULL && SideAddInt(sa, &dn, 1))
		return a;

	/* slow path: exact numeric total of both */
	{
		Numeric		total = SideFiniteTotal(a, s);
		Numeric		totb = SideFiniteTotal(b, s);

		total = DatumGetNumeric(DirectFunctionCall2(numeric_add,
													NumericGetDatum(total),
													NumericGetDatum(totb)));
		sa->sum = 0;
		return BuildRoiNumState(a,
								s == 0 ? total : SideExtra(a, 0),
								s == 1 ? total : SideExtra(a, 1));
	}
}

/* roi_numeric_combine(state1 bytea, state2 bytea) */
PG_FUNCTION_INFO_V1(aim_roi_numeric_combine);
Datum
aim_roi_numeric_combine(PG_FUNCTION_ARGS)
{
	RoiNumState *a,
			   *b;
	bool		inplace;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = GetRoiNumState(fcinfo, 1, NULL, "roi_numeric_combine");
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(b);	/* the executor copies it into its context */

	a = GetRoiNumState(fcinfo, 0, &inplace, "roi_numeric_combine");
	if (!inplace)
	{
		RoiNumState *copy = (RoiNumState *) palloc(VARSIZE(a));

		memcpy(copy, a, VARSIZE(a));
		a = copy;
	}
	a->n += b->n;
	a = SideMerge(a, b, 0);
	a = SideMerge(a, b, 1);
	PG_RETURN_POINTER(a);
}

/* The sum of side s as sum(numeric) would return it. */
static Numeric
SideSum(const RoiNumState *st, int s)
{
	const RoiNumSide *sd = &st->side[s];
	Numeric		extra = SideExtra(st, s);
	Numeric		total;

	if (sd->nan_count > 0 || (sd->pinf_count > 0 && sd->ninf_count > 0))
		return DatumGetNumeric(DirectFunctionCall3(numeric_in,
												   CStringGetDatum("NaN"),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)));
	if (sd->pinf_count > 0 || sd->ninf_count > 0)
		return DatumGetNumeric(DirectFunctionCall3(numeric_in,
												   CStringGetDatum(sd->pinf_count > 0 ? "Infinity" : "-Infinity"),
												   ObjectIdGetDatum(InvalidOid),
												   Int32GetDatum(-1)));
	if (extra == NULL)
		return Int128ToNumeric(sd->sum, sd->scale, sd->maxdscale);

	/* overflow numeric involved: add, then fix the display scale */
	total = SideFiniteTotal(st, s);
	return DatumGetNumeric(DirectFunctionCall2(numeric_round,
											   NumericGetDatum(total),
											   Int32GetDatum(sd->maxdscale)));
}

/*
 * Sums of revenue and cost for a final function; false if the result is
 * NULL (no rows, or a total cost of zero).
 */
static bool
RoiNumericSums(FunctionCallInfo fcinfo, Numeric *rev, Numeric *cost,
			   const char *caller)
{
	RoiNumState *st;

	if (PG_ARGISNULL(0))
		return false;
	st = GetRoiNumState(fcinfo, 0, NULL, caller);
	if (st->n == 0)
		return false;
	*cost = SideSum(st, 1);
	if (!numeric_is_nan(*cost) && !numeric_is_inf(*cost) &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(*cost),
										  NumericGetDatum(int64_to_numeric(0)))) == 0)
		return false;
	*rev = SideSum(st, 0);
	return true;
}

/* roi_numeric_final(state bytea): (R - C) / C */
PG_FUNCTION_INFO_V1(aim_roi_numeric_final);
Datum
aim_roi_numeric_final(PG_FUNCTION_ARGS)
{
	Numeric		rev,
				cost;

	if (!RoiNumericSums(fcinfo, &rev, &cost, "roi_numeric_final"))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div,
										DirectFunctionCall2(numeric_sub,
															NumericGetDatum(rev),
															NumericGetDatum(cost)),
										NumericGetDatum(cost)));
}

/* roas_numeric_final(state bytea): R / C */
PG_FUNCTION_INFO_V1(aim_roas_numeric_final);
Datum
aim_roas_numeric_final(PG_FUNCTION_ARGS)
{
	Numeric		rev,
				cost;

	if (!RoiNumericSums(fcinfo, &rev, &cost, "roas_numeric_final"))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall2(numeric_div,
										NumericGetDatum(rev),
										NumericGetDatum(cost)));
}
