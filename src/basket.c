/*-------------------------------------------------------------------------
 *
 * basket.c
 *	  Market-basket analysis: frequent_itemsets() and apriori_rules(), their
 *	  arguments, rule generation and output rows.
 *
 * Both functions take the baskets as the text of a query, which runs
 * read-only with the caller's privileges (sqlreader.c, readonly_guard.c),
 * and return their result in materialize mode through a tuplestore (which
 * spills to disk beyond work_mem).
 *
 * Input (basket_input.c).  The query returns either two columns (basket
 * id, item) of any types, one row per basket line, in any order, or one
 * array column, one basket per row.  Items are compared by their text form
 * (integers by value, which is the same thing; text, varchar and char by
 * their bytes; every other type through its output function), and so are
 * basket ids.  The rows are received one by one, without first
 * materialising the query's result: ids and items are interned in key
 * dictionaries (keydict.h), so each row costs a few memory accesses.
 *
 * Counting.  An itemset is frequent when its support, count / N as a
 * float8 (the value shown in the support column), is at least min_support;
 * N counts every basket, empty ones included.  Duplicate items in a basket
 * count once.
 *
 * Mining (basket_mine.c).  Depth-first search over projected databases
 * with occurrence delivery and database reduction, the scheme of LCM (T.
 * Uno, M. Kiyomi, H. Arimura, "LCM ver. 2: efficient mining algorithms for
 * frequent/closed/maximal itemsets", FIMI 2004), which enumerates the same
 * itemsets as FP-growth (J. Han, J. Pei, Y. Yin, "Mining frequent patterns
 * without candidate generation", SIGMOD 2000) without building trees.
 * Frequent items get ranks in order of decreasing support; each basket
 * becomes the ascending array of the ranks of its frequent items.  The
 * conditional database of an itemset P whose smallest rank is i is the
 * list of the prefixes (items ranked before i) of the baskets containing
 * P.  One pass over it counts every extension; the items found infrequent
 * are then dropped from it (they cannot be in any extension of its
 * extensions either), and a second pass delivers, for each frequent
 * extension j, the prefixes of j's occurrences: the conditional database
 * of P + {j}.  It is delivered as a contiguous copy when the copies of all
 * extensions stay within a bound, else as (start, end) slices of P's
 * database, so that memory stays linear in the input even for very long
 * baskets.  Extensions with fewer than the minimum count of non-empty
 * prefixes are not searched further (they cannot have frequent
 * extensions).  test/bench/basket.sh compares the speed with mlxtend and
 * with Christian Borgelt's C fpgrowth.
 *
 * Rules.  apriori_rules() keeps the frequent itemsets in a prefix tree
 * whose children are stored contiguously, sorted by rank, so the count of
 * any frequent itemset is found by binary searches.  For every itemset I
 * of two or more items it generates the rules A -> I \ A for every
 * non-empty proper subset A (as mlxtend's association_rules does) whose
 * confidence count(I) / count(A) is at least min_confidence.  The
 * consequents are generated level-wise (R. Agrawal, R. Srikant, "Fast
 * algorithms for mining association rules", VLDB 1994, ap-genrules):
 * moving an item from the antecedent to the consequent can only lower the
 * confidence, so a consequent is tried only if all its one-smaller
 * subsets passed; the result is the same set as trying every subset.
 *
 * Metrics.  The twelve of mlxtend 0.25's association_rules (RuleMetrics()
 * gives the formulas) are computed from the exact counts (the differences
 * of products in 128-bit integers), so they are correctly rounded or
 * within an ulp or two; mlxtend computes the same formulas from rounded
 * supports.  A filter on any metric (metric >= min_threshold, as mlxtend's
 * association_rules(metric, min_threshold)) applies to the rules that
 * pass min_confidence, before they count towards aimarketing.max_rules; a
 * confidence threshold is folded into min_confidence, which prunes.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "aimarketing.h"
#include "basket.h"
#include "readonly_guard.h"

/* ---------------------------------------------------------------------
 * Output rows
 * ---------------------------------------------------------------------
 */

/* a text[] of the items of the given ranks, sorted by their text */
static Datum
ItemArray(AimMiner *m, const int32 *ranks, int n)
{
	int32		pos[AIM_MAX_RULE_ITEMS + 2];
	int32	   *p = pos;
	Datum		elems_local[AIM_MAX_RULE_ITEMS + 2];
	Datum	   *elems = elems_local;

	if (n > AIM_MAX_RULE_ITEMS + 2)
	{
		p = palloc(sizeof(int32) * n);
		elems = palloc(sizeof(Datum) * n);
	}
	for (int i = 0; i < n; i++)
		p[i] = (int32) m->textpos[ranks[i]];
	AimSortInts(p, n);
	for (int i = 0; i < n; i++)
		elems[i] = m->itemtext[m->nfreq + p[i]];
	return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/* frequent_itemsets(): the output row of the itemset of ranks[0 .. n) */
void
AimBasketPutItemset(AimMiner *m, const int32 *ranks, int n, uint32 count)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MemoryContext old = MemoryContextSwitchTo(m->rowcxt);

	values[0] = ItemArray(m, ranks, n);
	values[1] = Float8GetDatum((double) count / (double) m->n);
	values[2] = Int64GetDatum((int64) count);
	tuplestore_putvalues(m->tupstore, m->tupdesc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(m->rowcxt);
}

/* the ranks of path[] at the bits set (want = true) or clear in mask */
static int
MaskRanks(const int32 *path, int k, uint64 mask, bool want, int32 *out)
{
	int			n = 0;

	for (int b = 0; b < k; b++)
		if (((mask >> b) & 1) == (uint64) want)
			out[n++] = path[b];
	return n;
}

/*
 * The metrics of a rule, in the order of apriori_rules()'s columns after
 * the antecedent and the consequent (0.1.0's nine columns first, then the
 * five added in 0.2.0); RULE_NMETRICS_V1 is the number of 0.1.0's.
 */
typedef enum RuleMetric
{
	RM_ANTECEDENT_SUPPORT,
	RM_CONSEQUENT_SUPPORT,
	RM_SUPPORT,
	RM_CONFIDENCE,
	RM_LIFT,
	RM_LEVERAGE,
	RM_CONVICTION,
	RM_REPRESENTATIVITY,
	RM_ZHANGS_METRIC,
	RM_JACCARD,
	RM_CERTAINTY,
	RM_KULCZYNSKI,
	RULE_NMETRICS
} RuleMetric;

#define RULE_NMETRICS_V1	(RM_CONVICTION + 1)

/* the metric names, as the columns are named */
static const char *const rule_metric_names[RULE_NMETRICS] = {
	[RM_ANTECEDENT_SUPPORT] = "antecedent_support",
	[RM_CONSEQUENT_SUPPORT] = "consequent_support",
	[RM_SUPPORT] = "support",
	[RM_CONFIDENCE] = "confidence",
	[RM_LIFT] = "lift",
	[RM_LEVERAGE] = "leverage",
	[RM_CONVICTION] = "conviction",
	[RM_REPRESENTATIVITY] = "representativity",
	[RM_ZHANGS_METRIC] = "zhangs_metric",
	[RM_JACCARD] = "jaccard",
	[RM_CERTAINTY] = "certainty",
	[RM_KULCZYNSKI] = "kulczynski",
};

/*
 * The metrics of the rule A -> C, where cI, cA and cC are the counts of
 * A + C, A and C among N baskets.  mlxtend 0.25's association_rules()
 * defines them from the supports sX = cX / N; they are computed here from
 * the counts, the differences of products exactly in 128-bit integers:
 *
 *	confidence = sAC / sA = cI / cA
 *	lift = confidence / sC = cI N / (cA cC)
 *	leverage = sAC - sA sC = (cI N - cA cC) / N^2
 *	conviction = (1 - sC) / (1 - confidence) = (N - cC) cA / (N (cA - cI)),
 *		Infinity when confidence is 1
 *	representativity = 1 (mlxtend: the share of baskets without missing
 *		values among the rule's items; baskets here have no missing values)
 *	zhangs_metric = leverage / max(sAC (1 - sA), sA (sC - sAC))
 *		= (cI N - cA cC) / max(cI (N - cA), cA (cC - cI)), 0 when the
 *		denominator is 0 (then sA = 1 and sC = sAC, so the leverage is 0 too)
 *	jaccard = sAC / (sA + sC - sAC) = cI / (cA + cC - cI)
 *	certainty = (confidence - sC) / (1 - sC) = (cI N - cA cC) / (cA (N - cC)),
 *		0 when sC = 1
 *	kulczynski = (sAC / sA + sAC / sC) / 2 = (cI / cA + cI / cC) / 2
 */
static void
RuleMetrics(uint64 N, uint32 cI, uint32 cA, uint32 cC, double *v)
{
	double		n = (double) N;
	int128		levnum = (int128) cI * (int128) N - (int128) cA * (int128) cC;
	int128		z1 = (int128) cI * (int128) (N - cA);
	int128		z2 = (int128) cA * (int128) (cC - cI);
	int128		zden = Max(z1, z2);

	v[RM_ANTECEDENT_SUPPORT] = (double) cA / n;
	v[RM_CONSEQUENT_SUPPORT] = (double) cC / n;
	v[RM_SUPPORT] = (double) cI / n;
	v[RM_CONFIDENCE] = (double) cI / (double) cA;
	v[RM_LIFT] = ((double) cI * n) / ((double) cA * (double) cC);
	v[RM_LEVERAGE] = (double) levnum / (n * n);
	if (cA == cI)
		v[RM_CONVICTION] = get_float8_infinity();
	else
		v[RM_CONVICTION] = ((double) (N - cC) * (double) cA) /
			(n * (double) (cA - cI));
	v[RM_REPRESENTATIVITY] = 1.0;
	v[RM_ZHANGS_METRIC] = zden == 0 ? 0.0 : (double) levnum / (double) zden;
	v[RM_JACCARD] = (double) cI / ((double) cA + (double) cC - (double) cI);
	if (cC == N)
		v[RM_CERTAINTY] = 0.0;
	else
		v[RM_CERTAINTY] = (double) levnum /
			((double) cA * (double) (N - cC));
	v[RM_KULCZYNSKI] = 0.5 * ((double) cI / (double) cA +
							  (double) cI / (double) cC);
}

/*
 * apriori_rules(): the output row of the rule A -> C, unless the metric
 * filter rejects it (only the rules output count towards the limit).
 */
static void
PutRule(AimMiner *m, const int32 *path, int k, uint64 cmask,
		uint32 cI, uint32 cA, uint32 cC)
{
	int32		ante[AIM_MAX_RULE_ITEMS];
	int32		cons[AIM_MAX_RULE_ITEMS];
	double		metrics[RULE_NMETRICS];
	Datum		values[2 + RULE_NMETRICS];
	bool		nulls[2 + RULE_NMETRICS] = {false};
	int			na;
	int			nc;
	MemoryContext old;

	RuleMetrics(m->n, cI, cA, cC, metrics);
	if (m->metric >= 0 && !(metrics[m->metric] >= m->min_threshold))
		return;

	if (m->nrules >= (uint64) aim_max_rules)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() found more than %d rules", m->caller, aim_max_rules),
				 errhint("Raise min_support or min_confidence, set max_len, or raise aimarketing.max_rules.")));
	m->nrules++;

	na = MaskRanks(path, k, cmask, false, ante);
	nc = MaskRanks(path, k, cmask, true, cons);
	old = MemoryContextSwitchTo(m->rowcxt);
	values[0] = ItemArray(m, ante, na);
	values[1] = ItemArray(m, cons, nc);
	/* 0.1.0's definition of the function has only the first nine metrics */
	for (int i = 0; i < m->tupdesc->natts - 2; i++)
		values[2 + i] = Float8GetDatum(metrics[i]);
	tuplestore_putvalues(m->tupstore, m->tupdesc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(m->rowcxt);
}

/* ---------------------------------------------------------------------
 * Rules
 * ---------------------------------------------------------------------
 */

/* the count of a frequent itemset given by its ranks in descending order */
static uint32
Lookup(AimMiner *m, const int32 *ranks, int n)
{
	uint64		node;

	if (n == 0)
		return (uint32) m->n;	/* the empty itemset: every basket */
	node = (uint64) ranks[0];	/* the root's children are 0..nfreq-1 */
	for (int j = 1; j < n; j++)
	{
		uint32		lo = m->node_first[node];
		uint32		hi = lo + m->node_nchild[node];
		int32		want = ranks[j];
		bool		found = false;

		while (lo < hi)
		{
			uint32		mid = lo + (hi - lo) / 2;
			int32		it = m->node_item[mid];

			if (it == want)
			{
				node = mid;
				found = true;
				break;
			}
			if (it < want)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!found)
			elog(ERROR, "subset of a frequent itemset is missing from the prefix tree");
	}
	return m->node_count[node];
}

/* a growing list of consequents: bit masks over the itemset's positions */
typedef struct MaskList
{
	uint64	   *masks;
	int			n;
	int			cap;
} MaskList;

static void
MaskListInit(MaskList *l)
{
	l->n = 0;
	l->cap = 64;
	l->masks = palloc(sizeof(uint64) * l->cap);
}

static void
MaskListAdd(MaskList *l, uint64 mask)
{
	if (l->n == l->cap)
	{
		l->cap *= 2;
		l->masks = repalloc_huge(l->masks, sizeof(uint64) * l->cap);
	}
	l->masks[l->n++] = mask;
}

static int
CmpUint64(const void *a, const void *b)
{
	uint64		x = *(const uint64 *) a;
	uint64		y = *(const uint64 *) b;

	return (x > y) - (x < y);
}

/* is mask in the sorted list l? */
static bool
MaskIn(const MaskList *l, uint64 mask)
{
	int			lo = 0,
				hi = l->n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (l->masks[mid] == mask)
			return true;
		if (l->masks[mid] < mask)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * The rule A -> C of the itemset I = path[0 .. k) with count cI, whose
 * consequent C is given by the bits of cmask: emit it and return true if
 * its confidence is at least min_confidence.
 */
static bool
TryRule(AimMiner *m, const int32 *path, int k, uint32 cI, uint64 cmask)
{
	int32		tmp[AIM_MAX_RULE_ITEMS];
	int			na = MaskRanks(path, k, cmask, false, tmp);
	uint32		cA = Lookup(m, tmp, na);
	int			nc;
	uint32		cC;

	if (!((double) cI / (double) cA >= m->min_confidence))
		return false;
	nc = MaskRanks(path, k, cmask, true, tmp);
	cC = Lookup(m, tmp, nc);
	PutRule(m, path, k, cmask, cI, cA, cC);
	return true;
}

/*
 * The consequents one item larger than those of cur (sorted) that give
 * rules, sorted: each is tried only if all its one-smaller subsets are in
 * cur (otherwise its confidence is below the threshold).
 */
static MaskList
NextConsequents(AimMiner *m, const int32 *path, int k, uint32 cI,
				const MaskList *cur)
{
	MaskList	next;

	MaskListInit(&next);
	for (int i = 0; i < cur->n; i++)
	{
		uint64		h = cur->masks[i];
		int			top = pg_leftmost_one_pos64(h);

		for (int b = top + 1; b < k; b++)
		{
			uint64		c = h | ((uint64) 1 << b);
			bool		ok = true;
			uint64		rest;

			/* c minus b is h; c minus any other bit must be in cur too */
			rest = h;
			while (rest != 0 && ok)
			{
				uint64		bit = rest & (~rest + 1);

				ok = MaskIn(cur, c & ~bit);
				rest &= rest - 1;
			}
			if (ok && TryRule(m, path, k, cI, c))
				MaskListAdd(&next, c);
		}
	}
	qsort(next.masks, next.n, sizeof(uint64), CmpUint64);
	return next;
}

/*
 * All rules A -> I \ A of the itemset I = path[0 .. k) with count cI.
 * Consequents are generated level-wise, from one item up, while the
 * antecedent stays non-empty.
 */
static void
RulesForItemset(AimMiner *m, const int32 *path, int k, uint32 cI)
{
	MaskList	cur;

	if (k > AIM_MAX_RULE_ITEMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() cannot generate rules from an itemset of %d items",
						m->caller, k),
				 errdetail("At most %d items are supported.", AIM_MAX_RULE_ITEMS),
				 errhint("Set max_len.")));

	MaskListInit(&cur);
	for (int b = 0; b < k; b++)
	{
		uint64		c = (uint64) 1 << b;

		if (TryRule(m, path, k, cI, c))
			MaskListAdd(&cur, c);
	}
	for (int size = 2; size < k && cur.n > 0; size++)
	{
		MaskList	next;

		CHECK_FOR_INTERRUPTS();
		next = NextConsequents(m, path, k, cI, &cur);
		pfree(cur.masks);
		cur = next;
	}
	pfree(cur.masks);
}

/* walk the prefix tree below node, generating the rules of every itemset */
static void
RulesWalk(AimMiner *m, uint64 first, uint32 nchild, int depth)
{
	check_stack_depth();
	for (uint32 c = 0; c < nchild; c++)
	{
		uint64		node = first + c;

		CHECK_FOR_INTERRUPTS();
		m->path[depth] = m->node_item[node];
		if (depth + 1 >= 2)
			RulesForItemset(m, m->path, depth + 1, m->node_count[node]);
		if (m->node_nchild[node] > 0)
			RulesWalk(m, m->node_first[node], m->node_nchild[node], depth + 1);
	}
}

/* ---------------------------------------------------------------------
 * SQL-callable functions
 * ---------------------------------------------------------------------
 */

/* Install the read-only guard of the basket queries (from _PG_init). */
void
AimBasketInit(void)
{
	AimReadOnlyGuardInit();
}

/*
 * Error context callback while itemsets or rules are written to the
 * tuplestore: when its temporary files reach temp_file_limit (SQLSTATE
 * 53400, raised by fd.c), say what reduces the output.
 */
static void
TempLimitHint(void *arg)
{
	AimMiner   *m = (AimMiner *) arg;

	if (geterrcode() == ERRCODE_CONFIGURATION_LIMIT_EXCEEDED)
	{
		if (m->rules)
			errhint("The rules of %s() spill to temporary files beyond work_mem. Raise min_support or min_confidence, set max_len, or raise temp_file_limit.",
					m->caller);
		else
			errhint("The itemsets of %s() spill to temporary files beyond work_mem. Raise min_support, set max_len, or raise temp_file_limit.",
					m->caller);
	}
}

/*
 * apriori_rules(), once the itemsets are mined and before any rule is
 * generated: fail if the candidate rules (2^k - 2 for each itemset of k
 * items, before min_confidence) can be more than aimarketing.max_rules,
 * since rule generation would then take their time and, as rules pass
 * min_confidence, temporary files up to the limit first.
 */
static void
CheckCandidateRules(AimMiner *m)
{
	char		cand[32];

	if (m->candidates <= (uint64) aim_max_rules)
		return;
	if (m->candidates == PG_UINT64_MAX)
		snprintf(cand, sizeof(cand), "more than 2^64");
	else
		snprintf(cand, sizeof(cand), UINT64_FORMAT, m->candidates);
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg_plural("%s() found " UINT64_FORMAT " frequent itemsets, which can give more than %d rule",
						   "%s() found " UINT64_FORMAT " frequent itemsets, which can give more than %d rules",
						   aim_max_rules, m->caller, m->nitemsets, aim_max_rules),
			 errdetail("The longest itemset has %d items. An itemset of k items gives 2^k - 2 candidate rules before min_confidence applies: %s in all, more than aimarketing.max_rules (%d).",
					   m->longest, cand, aim_max_rules),
			 errhint("Raise min_support, set max_len, or raise aimarketing.max_rules.")));
}

/* check the arguments common to both functions */
static void
BasketArgs(FunctionCallInfo fcinfo, int max_len_arg, char **sql,
		   double *min_support, int *max_len)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("baskets_sql must not be null")));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("min_support must not be null")));
	*sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	*min_support = PG_GETARG_FLOAT8(1);
	if (!(*min_support > 0.0 && *min_support <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_support must be greater than 0 and at most 1, not %s",
						float8out_internal(*min_support)),
				 errhint("min_support is a fraction of the baskets: 0.01 means 1%%.")));
	*max_len = 0;
	if (!PG_ARGISNULL(max_len_arg))
	{
		int32		ml = PG_GETARG_INT32(max_len_arg);

		if (ml < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("max_len must be at least 1, not %d", ml),
					 errhint("Pass NULL for no limit on the itemset size.")));
		*max_len = ml;
	}
}

/*
 * Set up the miner of caller in cxt, read the baskets and rank the frequent
 * items.
 */
static void
BasketSetup(FunctionCallInfo fcinfo, const char *caller, const char *sql,
			double min_support, int max_len, bool rules,
			MemoryContext cxt, AimMiner *m)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	memset(m, 0, sizeof(*m));
	m->cxt = cxt;
	m->rowcxt = AllocSetContextCreate(cxt, "basket output row", ALLOCSET_DEFAULT_SIZES);
	m->caller = caller;
	m->rules = rules;
	m->max_len = max_len;
	m->tupstore = rsinfo->setResult;
	m->tupdesc = rsinfo->setDesc;

	AimBasketLoad(m, sql, min_support);
}

/* the kinds of frequent_itemsets(), by AimItemsetKind */
static const char *const itemset_kinds[] = {
	[AIM_ITEMSETS_ALL] = "all",
	[AIM_ITEMSETS_CLOSED] = "closed",
	[AIM_ITEMSETS_MAXIMAL] = "maximal",
};

/* frequent_itemsets(): the kind argument, argument argno */
static AimItemsetKind
ItemsetKindArg(FunctionCallInfo fcinfo, int argno)
{
	char	   *s;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("kind must not be null"),
				 errhint("Pass 'all' for every frequent itemset.")));
	s = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	for (int i = 0; i < lengthof(itemset_kinds); i++)
		if (strcmp(s, itemset_kinds[i]) == 0)
			return (AimItemsetKind) i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown itemset kind \"%s\"", s),
			 errdetail("Valid kinds are: all, closed, maximal.")));
	pg_unreachable();
}

/*
 * frequent_itemsets(baskets_sql text, min_support float8,
 *					 max_len int DEFAULT NULL)
 * frequent_itemsets(baskets_sql text, min_support float8, max_len int,
 *					 kind text)
 *	 RETURNS TABLE (itemset text[], support float8, count bigint)
 *
 * kind: 'all' (the three-argument form), 'closed' or 'maximal'.
 */
PG_FUNCTION_INFO_V1(aim_frequent_itemsets);
Datum
aim_frequent_itemsets(PG_FUNCTION_ARGS)
{
	char	   *sql;
	double		min_support;
	int			max_len;
	AimItemsetKind kind = AIM_ITEMSETS_ALL;
	MemoryContext cxt;
	AimMiner	m;
	ErrorContextCallback errcb;

	BasketArgs(fcinfo, 2, &sql, &min_support, &max_len);
	if (PG_NARGS() > 3)
		kind = ItemsetKindArg(fcinfo, 3);
	InitMaterializedSRF(fcinfo, 0);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "frequent_itemsets",
								ALLOCSET_DEFAULT_SIZES);
	BasketSetup(fcinfo, "frequent_itemsets", sql, min_support, max_len,
				false, cxt, &m);
	m.kind = kind;
	m.kindname = kind == AIM_ITEMSETS_ALL ? "frequent" : itemset_kinds[kind];
	errcb.callback = TempLimitHint;
	errcb.arg = &m;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	AimBasketMine(&m);
	error_context_stack = errcb.previous;
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/*
 * The metric filter of apriori_rules(): the metric (argument 4) by name, or
 * -1 when min_threshold (argument 5) is NULL or the function is 0.1.0's
 * four-argument one.  A confidence threshold is folded into min_confidence,
 * which prunes the consequents; any other metric filters the rules that
 * pass min_confidence.
 */
static void
RuleFilterArgs(FunctionCallInfo fcinfo, double *min_confidence,
			   int *filter_metric, double *min_threshold)
{
	const char *name;
	double		threshold;
	int			metric = -1;

	*filter_metric = -1;
	*min_threshold = 0.0;
	if (PG_NARGS() < 6)
		return;
	if (PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("metric must not be null")));
	name = text_to_cstring(PG_GETARG_TEXT_PP(4));
	for (int i = 0; i < RULE_NMETRICS; i++)
		if (strcmp(name, rule_metric_names[i]) == 0)
			metric = i;
	if (metric < 0)
	{
		StringInfoData names;

		initStringInfo(&names);
		for (int i = 0; i < RULE_NMETRICS; i++)
			appendStringInfo(&names, "%s%s", i == 0 ? "" : ", ",
							 rule_metric_names[i]);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown rule metric \"%s\"", name),
				 errdetail("Valid metrics are: %s.", names.data)));
	}
	if (PG_ARGISNULL(5))
		return;
	threshold = PG_GETARG_FLOAT8(5);
	if (isnan(threshold))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_threshold must not be NaN")));
	if (metric == RM_CONFIDENCE)
		*min_confidence = Max(*min_confidence, threshold);
	else
	{
		*filter_metric = metric;
		*min_threshold = threshold;
	}
}

/*
 * apriori_rules(baskets_sql text, min_support float8,
 *				 min_confidence float8 DEFAULT 0.5, max_len int DEFAULT NULL,
 *				 metric text DEFAULT 'confidence',
 *				 min_threshold float8 DEFAULT NULL)
 *	 RETURNS TABLE (antecedent text[], consequent text[],
 *					antecedent_support float8, consequent_support float8,
 *					support float8, confidence float8, lift float8,
 *					leverage float8, conviction float8,
 *					representativity float8, zhangs_metric float8,
 *					jaccard float8, certainty float8, kulczynski float8)
 *
 * Also called through 0.1.0's definition, without the last two arguments
 * and the last five columns.
 */
PG_FUNCTION_INFO_V1(aim_apriori_rules);
Datum
aim_apriori_rules(PG_FUNCTION_ARGS)
{
	char	   *sql;
	double		min_support;
	double		min_confidence;
	int			max_len;
	MemoryContext cxt;
	AimMiner	m;
	int			metric;
	double		min_threshold;
	ErrorContextCallback errcb;
	int			natts;

	BasketArgs(fcinfo, 3, &sql, &min_support, &max_len);
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("min_confidence must not be null")));
	min_confidence = PG_GETARG_FLOAT8(2);
	if (!(min_confidence >= 0.0 && min_confidence <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_confidence must be between 0 and 1, not %s",
						float8out_internal(min_confidence))));
	RuleFilterArgs(fcinfo, &min_confidence, &metric, &min_threshold);
	InitMaterializedSRF(fcinfo, 0);
	natts = ((ReturnSetInfo *) fcinfo->resultinfo)->setDesc->natts;
	if (natts != 2 + RULE_NMETRICS && natts != 2 + RULE_NMETRICS_V1)
		elog(ERROR, "apriori_rules() must return %d or %d columns, not %d",
			 2 + RULE_NMETRICS, 2 + RULE_NMETRICS_V1, natts);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "apriori_rules",
								ALLOCSET_DEFAULT_SIZES);
	BasketSetup(fcinfo, "apriori_rules", sql, min_support, max_len,
				true, cxt, &m);
	m.min_confidence = min_confidence;
	m.metric = metric;
	m.min_threshold = min_threshold;
	AimBasketMine(&m);
	CheckCandidateRules(&m);
	if (m.nnodes > 0)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		errcb.callback = TempLimitHint;
		errcb.arg = &m;
		errcb.previous = error_context_stack;
		error_context_stack = &errcb;
		RulesWalk(&m, 0, m.nfreq, 0);
		error_context_stack = errcb.previous;
		MemoryContextSwitchTo(old);
	}
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
