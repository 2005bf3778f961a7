/*-------------------------------------------------------------------------
 *
 * ets.c
 *	  Exponential smoothing (Holt-Winters) for many series at once:
 *
 *	  ets_fit(value float8, options jsonb ORDER BY t)	aggregate: jsonb model
 *	  ets_forecast(model jsonb, horizon int)			rows (step, forecast)
 *
 * The model is statsmodels' ExponentialSmoothing (holtwinters/model.py,
 * 0.13.5) in component form, with trend none, additive or damped additive
 * and seasonality none, additive or multiplicative of period m:
 *
 *	  yhat(t) = (l(t-1) + phi b(t-1)) o s(t-m)
 *	  l(t) = alpha (y(t) o^-1 s(t-m)) + (1 - alpha) (l(t-1) + phi b(t-1))
 *	  b(t) = beta (l(t) - l(t-1)) + (1 - beta) phi b(t-1)
 *	  s(t) = gamma (y(t) o^-1 (l(t-1) + phi b(t-1))) + (1 - gamma) s(t-m)
 *
 * with o = + or x; the arithmetic follows statsmodels' _predict term by
 * term, so fitted values, SSE and forecasts agree with it to rounding.
 * Initial states are statsmodels' heuristic (_initialization_heuristic in
 * tsa/exponential_smoothing/initialization.py: a 2 x m centred moving
 * average over up to five cycles, seasonal averages of the detrended
 * series, and a straight line through the first ten trend values) or
 * given by the caller.
 *
 * Free smoothing parameters are optimised with the initial states held at
 * their values, on the series divided by its mean (so the tolerances do
 * not depend on the currency), inside statsmodels' region: alpha in
 * [sqrt(eps), 1 - sqrt(eps)], beta <= alpha, gamma <= 1 - alpha, phi in
 * [0.8, 0.995].  The region is mapped onto the unit cube as statsmodels'
 * to_restricted does (beta = u alpha, gamma = u (1 - alpha)).  A grid
 * (GridStarts) gives five starts in different basins (the SSE has local
 * minima, often at the bounds); a loose Nelder-Mead run from each, with
 * trial points projected onto the cube, picks the best basin; Nelder-Mead
 * restarted from its best vertex until a restart no longer improves the
 * SSE (1e-12 relative) polishes it.  Nelder-Mead because the objective is
 * cheap (one pass over the series), has at most four variables, and has
 * kinks where a parameter meets its bound, which derivative-based methods
 * with numeric gradients (statsmodels' SLSQP) handle badly; the restarts
 * undo the simplex collapses that plain Nelder-Mead is known for.
 *
 * The aggregate keeps the values in a row buffer (rowbuf.h).  It has no
 * combine function: the values are a sequence, and their order (the ORDER
 * BY of the call) is the model, so partial states of parallel workers
 * cannot be merged; PostgreSQL never runs an aggregate with ORDER BY in
 * parallel anyway.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/json.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "aimarketing.h"
#include "rowbuf.h"

#define ETS_STATE_MAGIC	0x45545331	/* "ETS1" */

#define ETS_MAX_PERIOD	10000
#define ETS_MAX_HORIZON	1000000
#define ETS_NM_MAX_ITER	10000	/* Nelder-Mead iterations, all runs */
#define ETS_NM_RESTARTS 20
#define ETS_FTOL		1e-12	/* relative change of the scaled SSE */
#define ETS_XTOL		1e-9	/* simplex size on the unit cube */
#define ETS_SCREEN_FTOL	1e-8	/* the same, for comparing the starts */
#define ETS_SCREEN_XTOL	1e-4

#define ETS_VALID_OPTIONS "trend, seasonal, period, alpha, beta, gamma, phi, " \
	"initialization, initial_level, initial_trend, initial_seasonals, " \
	"statsmodels_compat, fitted"

typedef enum
{
	ETS_NONE = 0,
	ETS_ADD,
	ETS_DAMPED,					/* trend only */
	ETS_MUL						/* seasonal only */
} EtsKind;

/* index of a smoothing parameter in EtsSpec.par/fixed */
enum
{
	P_ALPHA = 0, P_BETA, P_GAMMA, P_PHI, N_PARAMS
};

static const char *const param_names[N_PARAMS] = {"alpha", "beta", "gamma", "phi"};

/* A model specification: the options, then what the fit found. */
typedef struct EtsSpec
{
	EtsKind		trend;
	EtsKind		seasonal;
	int			m;				/* period; 0 without seasonality */
	bool		fixed[N_PARAMS];
	double		par[N_PARAMS];
	bool		known;			/* initialization 'known' */
	bool		has_level,
				has_trend0;
	double		l0,
				b0;
	double	   *s0;				/* m initial seasonals, or NULL */
	int			ns0;
	bool		compat;			/* statsmodels 0.13.5's seasonal forecasts */
	bool		want_fitted;
} EtsSpec;

/* The result of one pass of the recursions. */
typedef struct EtsRun
{
	double		sse;
	double		level,
				slope;
	double	   *seasonals;		/* m final states in forecast order */
	double		compat_seasonal;	/* what 0.13.5 uses at steps m, 2m, ... */
	double	   *fitted;			/* n one-step predictions, or NULL */
} EtsRun;

/* What the optimiser did. */
typedef struct EtsOpt
{
	int			iterations;
	int			evaluations;
	bool		converged;
	const char *reason;			/* why not converged */
} EtsOpt;

/* The aggregate state: the values in order, and the options of the group. */
typedef struct EtsState
{
	AimRowBuf	buf;
	Jsonb	   *options;
} EtsState;

/* ----------------------------------------------------------------
 * Options
 * ----------------------------------------------------------------
 */

static void
OptionTypeError(const char *key, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("ets_fit option \"%s\" must be %s", key, what)));
}

static double
OptionNumber(const char *key, JsonbValue *v)
{
	if (v->type != jbvNumeric)
		OptionTypeError(key, "a number");
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8,
											  NumericGetDatum(v->val.numeric)));
}

static char *
OptionString(const char *key, JsonbValue *v)
{
	if (v->type != jbvString)
		OptionTypeError(key, "a string");
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* A keyword option: the index of its value among names[0..n-1]. */
static EtsKind
OptionKeyword(const char *key, JsonbValue *v, const char *const *names,
			  const EtsKind *kinds, int n, const char *valid)
{
	char	   *s = OptionString(key, v);

	for (int i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return kinds[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value \"%s\" for ets_fit option \"%s\"", s, key),
			 errhint("Valid values are %s.", valid)));
	pg_unreachable();
}

/* The elements of an array option of numbers. */
static double *
OptionArray(const char *key, JsonbValue *v, int *n)
{
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	e;
	double	   *out;
	int			k = 0;

	if (v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		OptionTypeError(key, "an array of numbers");
	out = palloc((JsonContainerSize(v->val.binary.data) + 1) * sizeof(double));
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &e, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (e.type != jbvNumeric)
			OptionTypeError(key, "an array of numbers");
		out[k] = OptionNumber(key, &e);
		if (!isfinite(out[k]))
			OptionTypeError(key, "an array of finite numbers");
		k++;
	}
	*n = k;
	return out;
}

/* Store one option of the options object in spec. */
static void
SetOption(EtsSpec *spec, const char *key, JsonbValue *v)
{
	static const char *const trend_names[] = {"none", "add", "damped"};
	static const EtsKind trend_kinds[] = {ETS_NONE, ETS_ADD, ETS_DAMPED};
	static const char *const seas_names[] = {"none", "add", "mul"};
	static const EtsKind seas_kinds[] = {ETS_NONE, ETS_ADD, ETS_MUL};

	if (strcmp(key, "trend") == 0)
		spec->trend = OptionKeyword(key, v, trend_names, trend_kinds, 3,
									"\"none\", \"add\" and \"damped\"");
	else if (strcmp(key, "seasonal") == 0)
		spec->seasonal = OptionKeyword(key, v, seas_names, seas_kinds, 3,
									   "\"none\", \"add\" and \"mul\"");
	else if (strcmp(key, "period") == 0)
	{
		double		p = OptionNumber(key, v);

		if (p != floor(p) || p < 2 || p > ETS_MAX_PERIOD)
			OptionTypeError(key, "an integer between 2 and " CppAsString2(ETS_MAX_PERIOD));
		spec->m = (int) p;
	}
	else if (strcmp(key, "initialization") == 0)
	{
		static const char *const init_names[] = {"heuristic", "known"};
		static const EtsKind init_kinds[] = {ETS_NONE, ETS_ADD};

		spec->known = OptionKeyword(key, v, init_names, init_kinds, 2,
									"\"heuristic\" and \"known\"") == ETS_ADD;
	}
	else if (strcmp(key, "initial_level") == 0 || strcmp(key, "initial_trend") == 0)
	{
		double		x = OptionNumber(key, v);

		if (!isfinite(x))
			OptionTypeError(key, "a finite number");
		if (key[8] == 'l')
			spec->has_level = true, spec->l0 = x;
		else
			spec->has_trend0 = true, spec->b0 = x;
	}
	else if (strcmp(key, "initial_seasonals") == 0)
		spec->s0 = OptionArray(key, v, &spec->ns0);
	else if (strcmp(key, "statsmodels_compat") == 0 || strcmp(key, "fitted") == 0)
	{
		if (v->type != jbvBool)
			OptionTypeError(key, "a boolean");
		if (key[0] == 's')
			spec->compat = v->val.boolean;
		else
			spec->want_fitted = v->val.boolean;
	}
	else
	{
		for (int i = 0; i < N_PARAMS; i++)
		{
			if (strcmp(key, param_names[i]) == 0)
			{
				spec->fixed[i] = true;
				spec->par[i] = OptionNumber(key, v);
				return;
			}
		}
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unrecognized ets_fit option \"%s\"", key),
				 errhint("Valid options are " ETS_VALID_OPTIONS ".")));
	}
}

static void
OptionConflict(const char *key, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("ets_fit option \"%s\" %s", key, why)));
}

/* Check that the options of spec make a model. */
static void
CheckSpec(EtsSpec *spec)
{
	const double *p = spec->par;

	if (spec->seasonal != ETS_NONE && spec->m == 0)
		OptionConflict("period", "is required with a seasonal component");
	if (spec->seasonal == ETS_NONE && spec->m != 0)
		OptionConflict("period", "requires \"seasonal\" \"add\" or \"mul\"");
	if (spec->fixed[P_BETA] && spec->trend == ETS_NONE)
		OptionConflict("beta", "requires a trend");
	if (spec->fixed[P_GAMMA] && spec->seasonal == ETS_NONE)
		OptionConflict("gamma", "requires a seasonal component");
	if (spec->fixed[P_PHI] && spec->trend != ETS_DAMPED)
		OptionConflict("phi", "requires \"trend\": \"damped\"");
	for (int i = 0; i < N_PARAMS; i++)
		if (spec->fixed[i] && !(p[i] >= 0.0 && p[i] <= 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ets_fit option \"%s\" must be between 0 and 1, not %g",
							param_names[i], p[i])));
	if (spec->fixed[P_ALPHA] && spec->fixed[P_BETA] && p[P_BETA] > p[P_ALPHA])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ets_fit option \"beta\" must not exceed \"alpha\""),
				 errdetail("beta is %g, alpha is %g.", p[P_BETA], p[P_ALPHA])));
	if (spec->fixed[P_ALPHA] && spec->fixed[P_GAMMA] && p[P_GAMMA] > 1.0 - p[P_ALPHA])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ets_fit option \"gamma\" must not exceed 1 - \"alpha\""),
				 errdetail("gamma is %g, alpha is %g.", p[P_GAMMA], p[P_ALPHA])));
	if (spec->known)
	{
		if (!spec->has_level)
			OptionConflict("initialization", "\"known\" requires \"initial_level\"");
		if (spec->trend != ETS_NONE && !spec->has_trend0)
			OptionConflict("initialization", "\"known\" requires \"initial_trend\" with a trend");
		if (spec->seasonal != ETS_NONE && spec->s0 == NULL)
			OptionConflict("initialization", "\"known\" requires \"initial_seasonals\" with a seasonal component");
		if (spec->s0 != NULL && spec->ns0 != spec->m)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ets_fit option \"initial_seasonals\" must have \"period\" elements"),
					 errdetail("It has %d elements, the period is %d.", spec->ns0, spec->m)));
	}
	else if (spec->has_level || spec->has_trend0 || spec->s0 != NULL)
		OptionConflict(spec->has_level ? "initial_level" :
					   spec->has_trend0 ? "initial_trend" : "initial_seasonals",
					   "requires \"initialization\": \"known\"");
	if (spec->trend == ETS_NONE && spec->has_trend0)
		OptionConflict("initial_trend", "requires a trend");
	if (spec->seasonal == ETS_NONE && spec->s0 != NULL)
		OptionConflict("initial_seasonals", "requires a seasonal component");
	if (spec->seasonal == ETS_MUL && spec->s0 != NULL)
		for (int j = 0; j < spec->ns0; j++)
			if (spec->s0[j] <= 0.0)
				OptionConflict("initial_seasonals", "must be positive with multiplicative seasonality");
	if (spec->trend != ETS_DAMPED)
		spec->fixed[P_PHI] = true, spec->par[P_PHI] = 1.0;
	if (spec->trend == ETS_NONE)
		spec->fixed[P_BETA] = true, spec->par[P_BETA] = 0.0;
	if (spec->seasonal == ETS_NONE)
		spec->fixed[P_GAMMA] = true, spec->par[P_GAMMA] = 0.0;
}

/* Parse the options object of ets_fit into spec (defaults: simple smoothing). */
static void
ParseOptions(Jsonb *options, EtsSpec *spec)
{
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	k,
				v;

	memset(spec, 0, sizeof(EtsSpec));
	if (options != NULL)
	{
		if (!JB_ROOT_IS_OBJECT(options))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ets_fit options must be a JSON object"),
					 errhint("Valid options are " ETS_VALID_OPTIONS ".")));
		it = JsonbIteratorInit(&options->root);
		while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			char	   *key;

			if (tok != WJB_KEY)
				continue;
			key = pnstrdup(k.val.string.val, k.val.string.len);
			tok = JsonbIteratorNext(&it, &v, true);
			Assert(tok == WJB_VALUE);
			SetOption(spec, key, &v);
		}
	}
	CheckSpec(spec);
}

/* ----------------------------------------------------------------
 * The recursions and the initial states
 * ----------------------------------------------------------------
 */

/*
 * One pass of the recursions over y[0..n-1] with parameters par and
 * initial states l0, b0, s0[0..m-1] (s0[j] is the seasonal of y[j]).
 * Returns the SSE of the one-step predictions; fills run (if not NULL)
 * with the final states and, if run->fitted is set, the predictions.
 * ring is workspace for m values.
 */
static double
Smooth(const EtsSpec *spec, const double *par, const double *y, int n,
	   double l0, double b0, const double *s0, double *ring, EtsRun *run)
{
	const double alpha = par[P_ALPHA],
				alphac = 1.0 - alpha,
				beta = par[P_BETA],
				betac = 1.0 - beta,
				gamma = par[P_GAMMA],
				gammac = 1.0 - gamma,
				phi = par[P_PHI];
	const int	m = spec->m;
	const bool	has_trend = spec->trend != ETS_NONE;
	double		l = l0,
				b = has_trend ? b0 : 0.0,
				sse = 0.0,
				old_s = 0.0;
	int			j = 0;

	if (m > 0)
		memcpy(ring, s0, m * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		double		pb = phi * b,	/* statsmodels' dampen(b, phi) */
					lt = l + pb,	/* trended(l, dampen(b, phi)) */
					yhat,
					lnew,
					err;

		if (!has_trend)
			lt = l;
		if (spec->seasonal == ETS_ADD)
		{
			old_s = ring[j];
			yhat = lt + old_s;
			lnew = alpha * y[i] - alpha * old_s + alphac * lt;
			ring[j] = gamma * y[i] - gamma * lt + gammac * old_s;
		}
		else if (spec->seasonal == ETS_MUL)
		{
			old_s = ring[j];
			yhat = lt * old_s;
			lnew = alpha * y[i] / old_s + alphac * lt;
			ring[j] = gamma * y[i] / lt + gammac * old_s;
		}
		else
		{
			yhat = lt;
			lnew = alpha * y[i] + alphac * lt;
		}
		if (has_trend)
			b = beta * (lnew - l) + betac * pb;
		l = lnew;
		if (m > 0 && ++j == m)
			j = 0;
		err = yhat - y[i];
		sse += err * err;
		if (run != NULL && run->fitted != NULL)
			run->fitted[i] = yhat;
	}
	if (run != NULL)
	{
		run->sse = sse;
		run->level = l;
		run->slope = b;
		run->compat_seasonal = old_s;
		for (int h = 0; h < m; h++)
			run->seasonals[h] = ring[(j + h) % m];
	}
	return sse;
}

/*
 * The SSE of Smooth() without its bookkeeping, for the optimiser: the
 * same arithmetic (so the same value), with the seasonal form chosen once
 * outside the loop.  Without a trend b0 is 0 and beta 0, so b stays 0 and
 * l + phi b is l.
 */
static double
SmoothSse(const EtsSpec *spec, const double *par, const double *y, int n,
		  double l0, double b0, const double *s0, double *ring)
{
	const double alpha = par[P_ALPHA],
				alphac = 1.0 - alpha,
				beta = par[P_BETA],
				betac = 1.0 - beta,
				gamma = par[P_GAMMA],
				gammac = 1.0 - gamma,
				phi = par[P_PHI];
	const int	m = spec->m;
	double		l = l0,
				b = spec->trend != ETS_NONE ? b0 : 0.0,
				sse = 0.0;

	if (spec->seasonal == ETS_NONE)
	{
		for (int i = 0; i < n; i++)
		{
			double		pb = phi * b,
						lt = l + pb,
						lnew = alpha * y[i] + alphac * lt,
						err = lt - y[i];

			b = beta * (lnew - l) + betac * pb;
			l = lnew;
			sse += err * err;
		}
		return sse;
	}
	memcpy(ring, s0, m * sizeof(double));
	for (int i = 0, j = 0; i < n; i++)
	{
		double		pb = phi * b,
					lt = l + pb,
					s = ring[j],
					yhat,
					lnew,
					err;

		if (spec->seasonal == ETS_ADD)
		{
			yhat = lt + s;
			lnew = alpha * y[i] - alpha * s + alphac * lt;
			ring[j] = gamma * y[i] - gamma * lt + gammac * s;
		}
		else
		{
			yhat = lt * s;
			lnew = alpha * y[i] / s + alphac * lt;
			ring[j] = gamma * y[i] / lt + gammac * s;
		}
		b = beta * (lnew - l) + betac * pb;
		l = lnew;
		if (++j == m)
			j = 0;
		err = yhat - y[i];
		sse += err * err;
	}
	return sse;
}

/*
 * statsmodels' heuristic initial states (_initialization_heuristic): with
 * seasonality, the centred moving average of the first k cycles (a 2 x m
 * average for even m), the seasonals as the mean detrended value of each
 * position, normalised to sum 0 (or average 1), and the moving average
 * then stands in for the series; the level and trend are the intercept
 * (at t = 0) and slope of the least-squares line through its first ten
 * values at t = 1..10.
 */
static void
Heuristic(const EtsSpec *spec, const double *y, int n, double *l0, double *b0,
		  double *s0)
{
	const int	m = spec->m;
	const double *base = y;
	double		ybar = 0.0,
				slope = 0.0;

	if (spec->seasonal != ETS_NONE)
	{
		int			min_obs = 10 + 2 * (m / 2);
		int			kc = Max(Min(5, n / m), (min_obs + m - 1) / m);
		int			len = Min(n, m * kc);
		int			half = m / 2;
		int			lo = (m % 2 == 0) ? half : (m - 1) / 2;
		int			hi = len - 1 - lo;	/* valid centres lo..hi */
		double	   *ma = palloc((hi - lo + 1) * sizeof(double));
		double	   *cnt = palloc0(m * sizeof(double));
		double		mean = 0.0;

		memset(s0, 0, m * sizeof(double));
		for (int c = lo; c <= hi; c++)
		{
			double		v;

			if (m % 2 == 1)
			{
				double		sum = 0.0;

				for (int k = c - lo; k <= c + lo; k++)
					sum += y[k];
				v = sum / m;
			}
			else
			{
				double		s1 = 0.0,
							s2 = 0.0;

				for (int k = c - half; k < c + half; k++)
					s1 += y[k];
				for (int k = c - half + 1; k <= c + half; k++)
					s2 += y[k];
				v = (s1 / m + s2 / m) / 2.0;
			}
			ma[c - lo] = v;
			s0[c % m] += (spec->seasonal == ETS_ADD) ? y[c] - v : y[c] / v;
			cnt[c % m] += 1.0;
		}
		for (int k = 0; k < m; k++)
		{
			s0[k] /= cnt[k];
			mean += s0[k];
		}
		mean /= m;
		for (int k = 0; k < m; k++)
		{
			if (spec->seasonal == ETS_ADD)
				s0[k] -= mean;
			else
				s0[k] /= mean;
		}
		base = ma;
	}
	for (int t = 0; t < 10; t++)
		ybar += base[t];
	ybar /= 10.0;
	for (int t = 0; t < 10; t++)
		slope += (t + 1 - 5.5) * (base[t] - ybar);
	slope /= 82.5;
	*l0 = ybar - 5.5 * slope;
	*b0 = slope;
}

/* ----------------------------------------------------------------
 * The optimiser
 * ----------------------------------------------------------------
 */

/* What the objective needs: the scaled series and states. */
typedef struct EtsProblem
{
	const EtsSpec *spec;
	const double *y;
	int			n;
	double		l0,
				b0;
	const double *s0;
	double	   *ring;
	int			d;				/* free parameters */
	int			which[N_PARAMS];	/* their indexes in par */
	int			evaluations;
} EtsProblem;

#define ALPHA_EPS 1.4901161193847656e-08	/* statsmodels' LOWER_BOUND */

/*
 * The parameters of a point u of the unit cube, as statsmodels'
 * to_restricted maps them (fixed parameters narrow the free ones' range).
 */
static void
CubeToParams(const EtsProblem *pr, const double *u, double *par)
{
	const EtsSpec *spec = pr->spec;

	memcpy(par, spec->par, sizeof(double) * N_PARAMS);
	for (int k = 0; k < pr->d; k++)
	{
		int			i = pr->which[k];

		if (i == P_ALPHA)
		{
			double		lo = Max(ALPHA_EPS, spec->fixed[P_BETA] ? spec->par[P_BETA] : 0.0),
						hi = Min(1.0 - ALPHA_EPS, spec->fixed[P_GAMMA] ? 1.0 - spec->par[P_GAMMA] : 1.0);

			par[i] = lo + u[k] * (hi - lo);
		}
		else if (i == P_PHI)
			par[i] = 0.8 + u[k] * (0.995 - 0.8);
		else
			par[i] = u[k];		/* scaled below, once alpha is known */
	}
	for (int k = 0; k < pr->d; k++)
	{
		if (pr->which[k] == P_BETA)
			par[P_BETA] = u[k] * par[P_ALPHA];
		else if (pr->which[k] == P_GAMMA)
			par[P_GAMMA] = u[k] * (1.0 - par[P_ALPHA]);
	}
}

/* The objective: the SSE of the scaled series at cube point u (Inf if not finite). */
static double
Objective(EtsProblem *pr, const double *u)
{
	double		par[N_PARAMS];
	double		f;

	CubeToParams(pr, u, par);
	pr->evaluations++;
	f = SmoothSse(pr->spec, par, pr->y, pr->n, pr->l0, pr->b0, pr->s0, pr->ring);
	return isnan(f) ? get_float8_infinity() : f;
}

static inline double
Clamp01(double x)
{
	return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

#define ETS_STARTS	5			/* Nelder-Mead runs, from the best grid points */

/*
 * The grid levels of one coordinate of the unit cube: denser near 0 (the
 * small smoothing parameters that weekly sales series often want) and
 * with both ends (beta = alpha, gamma = 1 - alpha, phi at its bounds:
 * where the SSE has local minima that a start inside misses).
 */
static const double grid12[] = {0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9, 1};
static const double grid6[] = {0, 0.03, 0.12, 0.35, 0.7, 1};
static const double grid5[] = {0, 0.05, 0.25, 0.6, 1};

/*
 * Up to ETS_STARTS starting points from a grid on the cube (12^d points up
 * to two free parameters, 6^3 for three, 5^4 for four), as statsmodels
 * also starts from a grid (its brute-force step): the best point, then
 * the next best that is at least two grid steps (in some coordinate) from
 * every start chosen so far, so that the starts lie in different basins.
 * Fills starts[k] and their values fstart[k], best first; returns how
 * many.
 */
static int
GridStarts(EtsProblem *pr, double starts[][N_PARAMS], double *fstart)
{
	int			d = pr->d,
				nlev = d <= 2 ? lengthof(grid12) : d == 3 ? lengthof(grid6) : lengthof(grid5),
				total = 1,
				nkept = 0;
	const double *lev = d <= 2 ? grid12 : d == 3 ? grid6 : grid5;
	double	   *f;
	bool	   *used;
	int			chosen[ETS_STARTS];

	for (int k = 0; k < d; k++)
		total *= nlev;
	f = palloc(total * sizeof(double));
	used = palloc0(total * sizeof(bool));
	for (int g = 0; g < total; g++)
	{
		double		u[N_PARAMS];

		for (int k = 0, r = g; k < d; k++, r /= nlev)
			u[k] = lev[r % nlev];
		f[g] = Objective(pr, u);
	}
	while (nkept < ETS_STARTS)
	{
		int			best = -1;

		for (int g = 0; g < total; g++)
		{
			bool		far = true;

			if (used[g] || (best >= 0 && !(f[g] < f[best])))
				continue;
			for (int c = 0; c < nkept && far; c++)
			{
				int			steps = 0;

				for (int k = 0, r1 = g, r2 = chosen[c]; k < d; k++, r1 /= nlev, r2 /= nlev)
					steps = Max(steps, abs(r1 % nlev - r2 % nlev));
				far = steps >= 2;
			}
			if (far)
				best = g;
			else
				used[g] = true;
		}
		if (best < 0)
			break;
		used[best] = true;
		chosen[nkept] = best;
		fstart[nkept] = f[best];
		for (int k = 0, r = best; k < d; k++, r /= nlev)
			starts[nkept][k] = lev[r % nlev];
		nkept++;
	}
	pfree(f);
	pfree(used);
	return nkept;
}

/*
 * One Nelder-Mead run on the unit cube from x (best point in and out,
 * value *fx), with the standard coefficients (reflection 1, expansion 2,
 * contraction and shrink 1/2) and every trial point projected onto the
 * cube.  Stops when the values of the simplex agree to ftol relative and
 * its vertices to xtol, or after *budget iterations (returns
 * false then).
 */
static bool
NelderMead(EtsProblem *pr, double *x, double *fx, double ftol, double xtol,
		   int *budget, int *iters)
{
	int			d = pr->d;
	double		s[N_PARAMS + 1][N_PARAMS],
				f[N_PARAMS + 1],
				c[N_PARAMS],
				xr[N_PARAMS],
				xe[N_PARAMS];

	for (int v = 0; v <= d; v++)
	{
		memcpy(s[v], x, d * sizeof(double));
		if (v > 0)
			s[v][v - 1] += (x[v - 1] <= 0.5) ? 0.1 : -0.1;
		f[v] = v == 0 ? *fx : Objective(pr, s[v]);
	}
	for (;;)
	{
		int			lo = 0,
					hi = 0,
					nh = 0;
		double		size = 0.0,
					fr;

		CHECK_FOR_INTERRUPTS();
		for (int v = 1; v <= d; v++)
		{
			if (f[v] < f[lo])
				lo = v;
			if (f[v] >= f[hi])
				hi = v;
		}
		nh = (hi == 0) ? 1 : 0;
		for (int v = 0; v <= d; v++)
			if (v != hi && f[v] >= f[nh])
				nh = v;
		for (int v = 0; v <= d; v++)
			for (int k = 0; k < d; k++)
				size = Max(size, fabs(s[v][k] - s[lo][k]));
		if (f[hi] - f[lo] <= ftol * fabs(f[lo]) + DBL_MIN && size <= xtol)
		{
			memcpy(x, s[lo], d * sizeof(double));
			*fx = f[lo];
			return true;
		}
		if (*budget <= 0)
		{
			memcpy(x, s[lo], d * sizeof(double));
			*fx = f[lo];
			return false;
		}
		(*budget)--;
		(*iters)++;
		for (int k = 0; k < d; k++)
		{
			c[k] = 0.0;
			for (int v = 0; v <= d; v++)
				if (v != hi)
					c[k] += s[v][k];
			c[k] /= d;
			xr[k] = Clamp01(2.0 * c[k] - s[hi][k]);
		}
		fr = Objective(pr, xr);
		if (fr < f[lo])
		{
			double		fe;

			for (int k = 0; k < d; k++)
				xe[k] = Clamp01(3.0 * c[k] - 2.0 * s[hi][k]);
			fe = Objective(pr, xe);
			memcpy(s[hi], fe < fr ? xe : xr, d * sizeof(double));
			f[hi] = Min(fe, fr);
		}
		else if (fr < f[nh])
		{
			memcpy(s[hi], xr, d * sizeof(double));
			f[hi] = fr;
		}
		else
		{
			bool		outside = fr < f[hi];
			double		fc;

			for (int k = 0; k < d; k++)
				xe[k] = outside ? c[k] + 0.5 * (xr[k] - c[k]) : c[k] + 0.5 * (s[hi][k] - c[k]);
			fc = Objective(pr, xe);
			if (fc < (outside ? fr : f[hi]))
			{
				memcpy(s[hi], xe, d * sizeof(double));
				f[hi] = fc;
			}
			else
			{
				for (int v = 0; v <= d; v++)
				{
					if (v == lo)
						continue;
					for (int k = 0; k < d; k++)
						s[v][k] = s[lo][k] + 0.5 * (s[v][k] - s[lo][k]);
					f[v] = Objective(pr, s[v]);
				}
			}
		}
	}
}

/*
 * Polish the minimum at x (value *fx): Nelder-Mead runs to the final
 * tolerances, each restarted from the best vertex of the last, until a
 * restart improves the SSE by no more than ETS_FTOL relative (converged)
 * or a limit is reached (not converged, and why).
 */
static void
Polish(EtsProblem *pr, double *x, double *fx, int *budget, EtsOpt *opt)
{
	opt->converged = true;
	for (int r = 0;; r++)
	{
		double		before = *fx;

		if (!NelderMead(pr, x, fx, ETS_FTOL, ETS_XTOL, budget, &opt->iterations))
		{
			opt->converged = false;
			opt->reason = "iteration limit reached";
			return;
		}
		if (r > 0 && before - *fx <= ETS_FTOL * fabs(*fx) + DBL_MIN)
			return;
		if (r == ETS_NM_RESTARTS)
		{
			opt->converged = false;
			opt->reason = "restart limit reached";
			return;
		}
	}
}

/*
 * Optimise the free smoothing parameters of spec (written into spec->par)
 * on y scaled by 1/scale, the initial states held at l0, b0, s0.
 */
static void
Optimise(EtsSpec *spec, const double *y, int n, double l0, double b0,
		 const double *s0, EtsOpt *opt)
{
	EtsProblem	pr;
	double		scale = 0.0,
				u[N_PARAMS],
				fu,
				par[N_PARAMS],
				starts[ETS_STARTS][N_PARAMS],
				fstart[ETS_STARTS];
	int			nstarts;
	double	   *ys,
			   *ss = NULL;
	int			budget = ETS_NM_MAX_ITER;

	memset(opt, 0, sizeof(EtsOpt));
	memset(&pr, 0, sizeof(pr));
	pr.spec = spec;
	for (int i = 0; i < N_PARAMS; i++)
		if (!spec->fixed[i])
			pr.which[pr.d++] = i;
	opt->converged = true;
	if (pr.d == 0)
		return;

	/* the scale-free objective: the series divided by its mean */
	for (int i = 0; i < n; i++)
		scale += y[i];
	scale = fabs(scale / n);
	if (scale == 0.0 || !isfinite(scale))
		scale = 1.0;
	ys = palloc(n * sizeof(double));
	for (int i = 0; i < n; i++)
		ys[i] = y[i] / scale;
	if (spec->m > 0)
	{
		ss = palloc(spec->m * sizeof(double));
		for (int j = 0; j < spec->m; j++)
			ss[j] = spec->seasonal == ETS_ADD ? s0[j] / scale : s0[j];
		pr.ring = palloc(spec->m * sizeof(double));
	}
	pr.y = ys;
	pr.n = n;
	pr.l0 = l0 / scale;
	pr.b0 = b0 / scale;
	pr.s0 = ss;

	nstarts = GridStarts(&pr, starts, fstart);
	/* screening: a loose run from each start, to find the best basin */
	fu = get_float8_infinity();
	for (int st = 0; st < nstarts; st++)
	{
		double		x[N_PARAMS],
					fx = fstart[st];

		memcpy(x, starts[st], pr.d * sizeof(double));
		(void) NelderMead(&pr, x, &fx, ETS_SCREEN_FTOL, ETS_SCREEN_XTOL,
						  &budget, &opt->iterations);
		if (fx < fu || st == 0)
		{
			fu = fx;
			memcpy(u, x, pr.d * sizeof(double));
		}
	}
	Polish(&pr, u, &fu, &budget, opt);
	if (!isfinite(fu))
	{
		opt->converged = false;
		opt->reason = "the SSE is not finite anywhere on the search grid";
	}
	opt->evaluations = pr.evaluations;
	CubeToParams(&pr, u, par);
	memcpy(spec->par, par, sizeof(par));
}

/* ----------------------------------------------------------------
 * ets_fit
 * ----------------------------------------------------------------
 */

static EtsState *
GetState(FunctionCallInfo fcinfo, int argno)
{
	return AimRowBufGet(fcinfo, argno, ETS_STATE_MAGIC, "ets_fit");
}

/*
 * ets_fit_accum(state internal, value float8, options jsonb) returns internal
 *
 * Keeps the value; a NULL value is an error (the recursions need every
 * period), and the options must be the same on every row of a group.
 */
PG_FUNCTION_INFO_V1(aim_ets_fit_accum);
Datum
aim_ets_fit_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	EtsState   *st;
	Jsonb	   *options = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	float8	   *row;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "ets_fit_accum called in non-aggregate context");
	st = GetState(fcinfo, 0);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("ets_fit value must not be null"),
				 errdetail("Row %lld of the series is null.",
						   (long long) (st == NULL ? 1 : st->buf.n + 1)),
				 errhint("Give every period a value: fill missing periods with "
						 "generate_series(...) LEFT JOIN ... coalesce(value, 0).")));
	if (st == NULL)
	{
		st = MemoryContextAlloc(aggctx, sizeof(EtsState));
		AimRowBufInit(&st->buf, ETS_STATE_MAGIC, "ets_fit", 0, sizeof(float8));
		st->options = NULL;
		if (options != NULL)
		{
			st->options = MemoryContextAlloc(aggctx, VARSIZE(options));
			memcpy(st->options, options, VARSIZE(options));
		}
	}
	else if ((options == NULL) != (st->options == NULL) ||
			 (options != NULL &&
			  (VARSIZE(options) != VARSIZE(st->options) ||
			   memcmp(options, st->options, VARSIZE(options)) != 0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ets_fit options must be the same for every row of a series")));
	row = AimRowBufNext(&st->buf, aggctx);
	*row = PG_GETARG_FLOAT8(1);
	AimRowBufPush(&st->buf);
	PG_RETURN_POINTER(st);
}

/* Reject values the model cannot take, naming the first (1-based) position. */
static void
CheckSeries(const EtsSpec *spec, const double *y, int64 n)
{
	for (int64 i = 0; i < n; i++)
	{
		if (!isfinite(y[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ets_fit value must be finite"),
					 errdetail("Value %lld of the series is %s.", (long long) i + 1,
							   isnan(y[i]) ? "NaN" : (y[i] > 0 ? "Infinity" : "-Infinity"))));
		if (spec->seasonal == ETS_MUL && y[i] <= 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("multiplicative seasonality requires positive values"),
					 errdetail("Value %lld of the series is %.15g.", (long long) i + 1, y[i]),
					 errhint("Use \"seasonal\": \"add\", or model a positive series.")));
	}
	if (n > INT_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("ets_fit series is too long: %lld values", (long long) n)));
	if (spec->known)
		return;
	if (n < 10)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("heuristic initialization needs at least 10 values, the series has %lld",
						(long long) n),
				 errhint("Give the initial states with \"initialization\": \"known\".")));
	if (spec->seasonal != ETS_NONE &&
		(n < 2 * spec->m || n < 10 + 2 * (spec->m / 2)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("heuristic seasonal initialization needs at least %d values, the series has %lld",
						Max(2 * spec->m, 10 + 2 * (spec->m / 2)), (long long) n),
				 errdetail("Period %d needs two full cycles and 10 + 2 * (period / 2) values, as statsmodels does.",
						   spec->m),
				 errhint("Give the initial states with \"initialization\": \"known\".")));
}

/*
 * The model as jsonb: the specification, parameters, initial and final
 * states, SSE and statsmodels' information criteria (k counts alpha and
 * l0, beta and b0 with a trend, phi when damped, gamma and the m
 * seasonals with seasonality, fixed or not), what the optimiser did.
 */
static Jsonb *
ModelJson(const EtsSpec *spec, int n, const EtsSpec *opts, double l0, double b0,
		  const double *s0, const EtsRun *run, const EtsOpt *opt)
{
	static const char *const kind_names[] = {"none", "add", "damped", "mul"};
	StringInfoData buf;
	int			m = spec->m;
	int			k = m + 2 * (spec->trend != ETS_NONE) + 2 + (spec->trend == ETS_DAMPED);
	double		ll = n * log(run->sse / n);
	bool		first = true;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"n\": %d, \"trend\": \"%s\", \"seasonal\": \"%s\", \"period\": ",
					 n, kind_names[spec->trend], kind_names[spec->seasonal]);
	if (m > 0)
		appendStringInfo(&buf, "%d", m);
	else
		appendStringInfoString(&buf, "null");
	AimJsonNumber(&buf, "alpha", spec->par[P_ALPHA]);
	AimJsonNumber(&buf, "beta", spec->trend != ETS_NONE ? spec->par[P_BETA] : NAN);
	AimJsonNumber(&buf, "gamma", m > 0 ? spec->par[P_GAMMA] : NAN);
	AimJsonNumber(&buf, "phi", spec->trend == ETS_DAMPED ? spec->par[P_PHI] : NAN);
	appendStringInfoString(&buf, ", \"optimized\": [");
	for (int i = 0; i < N_PARAMS; i++)
	{
		if (opts->fixed[i])
			continue;
		appendStringInfo(&buf, "%s\"%s\"", first ? "" : ", ", param_names[i]);
		first = false;
	}
	appendStringInfo(&buf, "], \"initialization\": \"%s\"",
					 spec->known ? "known" : "heuristic");
	AimJsonNumber(&buf, "initial_level", l0);
	AimJsonNumber(&buf, "initial_trend", spec->trend != ETS_NONE ? b0 : NAN);
	AimJsonNumbers(&buf, "initial_seasonals", m > 0 ? s0 : NULL, m);
	AimJsonNumber(&buf, "final_level", run->level);
	AimJsonNumber(&buf, "final_trend", spec->trend != ETS_NONE ? run->slope : NAN);
	AimJsonNumbers(&buf, "final_seasonals", m > 0 ? run->seasonals : NULL, m);
	appendStringInfo(&buf, ", \"statsmodels_compat\": %s", spec->compat ? "true" : "false");
	if (spec->compat && m > 0)
		AimJsonNumber(&buf, "compat_seasonal", run->compat_seasonal);
	AimJsonNumber(&buf, "sse", run->sse);
	AimJsonNumber(&buf, "aic", ll + 2.0 * k);
	AimJsonNumber(&buf, "aicc", n - k - 3 > 0 ?
			  ll + 2.0 * k + 2.0 * (k + 2) * (k + 3) / (n - k - 3) : NAN);
	AimJsonNumber(&buf, "bic", ll + k * log((double) n));
	appendStringInfo(&buf, ", \"iterations\": %d, \"evaluations\": %d, \"converged\": %s",
					 opt->iterations, opt->evaluations, opt->converged ? "true" : "false");
	if (!opt->converged)
	{
		appendStringInfoString(&buf, ", \"reason\": ");
		escape_json(&buf, opt->reason);
	}
	if (spec->want_fitted)
		AimJsonNumbers(&buf, "fitted", run->fitted, n);
	appendStringInfoChar(&buf, '}');
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/*
 * ets_fit_final(state internal) returns jsonb
 *
 * Fits the model to the values of the group: NULL for no rows.
 */
PG_FUNCTION_INFO_V1(aim_ets_fit_final);
Datum
aim_ets_fit_final(PG_FUNCTION_ARGS)
{
	EtsState   *st = GetState(fcinfo, 0);
	EtsSpec		spec,
				opts;
	EtsOpt		opt;
	EtsRun		run;
	const double *y;
	double		l0,
				b0;
	double	   *s0 = NULL,
			   *ring = NULL;
	int			n;

	if (st == NULL || st->buf.n == 0)
		PG_RETURN_NULL();
	ParseOptions(st->options, &spec);
	y = (const double *) st->buf.rows;
	CheckSeries(&spec, y, st->buf.n);
	n = (int) st->buf.n;
	if (spec.m > 0)
	{
		s0 = palloc(spec.m * sizeof(double));
		ring = palloc(spec.m * sizeof(double));
	}
	if (spec.known)
	{
		l0 = spec.l0;
		b0 = spec.b0;
		if (spec.m > 0)
			memcpy(s0, spec.s0, spec.m * sizeof(double));
	}
	else
		Heuristic(&spec, y, n, &l0, &b0, s0);
	opts = spec;
	Optimise(&spec, y, n, l0, b0, s0, &opt);

	memset(&run, 0, sizeof(run));
	run.seasonals = spec.m > 0 ? palloc(spec.m * sizeof(double)) : NULL;
	run.fitted = spec.want_fitted ? palloc(n * sizeof(double)) : NULL;
	Smooth(&spec, spec.par, y, n, l0, b0, s0, ring, &run);
	PG_RETURN_JSONB_P(ModelJson(&spec, n, &opts, l0, b0, s0, &run, &opt));
}

/* ----------------------------------------------------------------
 * ets_forecast
 * ----------------------------------------------------------------
 */

static void
BadModel(const char *key, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid ets model: \"%s\" %s", key, what),
			 errhint("Pass a model made by ets_fit.")));
}

/* A member of the model object, or NULL for a missing key or JSON null. */
static JsonbValue *
ModelMember(Jsonb *model, const char *key, JsonbValue *res)
{
	JsonbValue *v = getKeyJsonValueFromContainer(&model->root, key, strlen(key), res);

	return (v == NULL || v->type == jbvNull) ? NULL : v;
}

static double
ModelNumber(Jsonb *model, const char *key)
{
	JsonbValue	v;
	double		x;

	if (ModelMember(model, key, &v) == NULL || v.type != jbvNumeric)
		BadModel(key, "must be a number");
	x = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v.val.numeric)));
	if (!isfinite(x))
		BadModel(key, "must be finite");
	return x;
}

/* Read what a forecast needs from an ets_fit model into spec and run. */
static void
ReadModel(Jsonb *model, EtsSpec *spec, EtsRun *run)
{
	JsonbValue	v;
	static const char *const trend_names[] = {"none", "add", "damped"};
	static const EtsKind trend_kinds[] = {ETS_NONE, ETS_ADD, ETS_DAMPED};
	static const char *const seas_names[] = {"none", "add", "mul"};
	static const EtsKind seas_kinds[] = {ETS_NONE, ETS_ADD, ETS_MUL};

	memset(spec, 0, sizeof(EtsSpec));
	memset(run, 0, sizeof(EtsRun));
	if (!JB_ROOT_IS_OBJECT(model))
		BadModel("model", "must be a JSON object");
	if (ModelMember(model, "trend", &v) == NULL || v.type != jbvString)
		BadModel("trend", "must be a string");
	spec->trend = OptionKeyword("trend", &v, trend_names, trend_kinds, 3,
								"\"none\", \"add\" and \"damped\"");
	if (ModelMember(model, "seasonal", &v) == NULL || v.type != jbvString)
		BadModel("seasonal", "must be a string");
	spec->seasonal = OptionKeyword("seasonal", &v, seas_names, seas_kinds, 3,
								   "\"none\", \"add\" and \"mul\"");
	run->level = ModelNumber(model, "final_level");
	spec->par[P_PHI] = 1.0;
	if (spec->trend != ETS_NONE)
		run->slope = ModelNumber(model, "final_trend");
	if (spec->trend == ETS_DAMPED)
		spec->par[P_PHI] = ModelNumber(model, "phi");
	if (ModelMember(model, "statsmodels_compat", &v) != NULL && v.type == jbvBool)
		spec->compat = v.val.boolean;
	if (spec->seasonal != ETS_NONE)
	{
		double		p = ModelNumber(model, "period");

		if (p != floor(p) || p < 2 || p > ETS_MAX_PERIOD)
			BadModel("period", "must be an integer between 2 and " CppAsString2(ETS_MAX_PERIOD));
		spec->m = (int) p;
		if (ModelMember(model, "final_seasonals", &v) == NULL)
			BadModel("final_seasonals", "must be an array of numbers");
		run->seasonals = OptionArray("final_seasonals", &v, &spec->ns0);
		if (spec->ns0 != spec->m)
			BadModel("final_seasonals", "must have \"period\" elements");
		if (spec->compat)
			run->compat_seasonal = ModelNumber(model, "compat_seasonal");
	}
}

/*
 * ets_forecast(model jsonb, horizon int) returns table(step int, forecast float8)
 *
 * Forecast h = 1..horizon: (l + b (phi + ... + phi^h)) o s, with s the
 * final seasonal state of the period of step h.  With statsmodels_compat,
 * steps m, 2m, ... use the state one cycle older, as statsmodels 0.13.5
 * does (its issue 9538, fixed upstream by pull request 10230).
 */
PG_FUNCTION_INFO_V1(aim_ets_forecast);
Datum
aim_ets_forecast(PG_FUNCTION_ARGS)
{
	Jsonb	   *model = PG_GETARG_JSONB_P(0);
	int32		horizon = PG_GETARG_INT32(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EtsSpec		spec;
	EtsRun		run;
	double		damp = 0.0;

	if (horizon < 1 || horizon > ETS_MAX_HORIZON)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must be between 1 and %d, not %d", ETS_MAX_HORIZON, horizon)));
	ReadModel(model, &spec, &run);
	InitMaterializedSRF(fcinfo, 0);
	for (int h = 1; h <= horizon; h++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};
		double		f;

		if ((h & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		/* statsmodels: cumsum(phi ** arange(1, h + 1)), or h undamped */
		if (spec.trend == ETS_DAMPED)
			damp += pow(spec.par[P_PHI], h);
		else
			damp = h;
		f = run.level;
		if (spec.trend != ETS_NONE)
			f += run.slope * damp;
		if (spec.m > 0)
		{
			double		s = (spec.compat && h % spec.m == 0) ?
				run.compat_seasonal : run.seasonals[(h - 1) % spec.m];

			f = spec.seasonal == ETS_ADD ? f + s : f * s;
		}
		values[0] = Int32GetDatum(h);
		values[1] = Float8GetDatum(f);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
