/*-------------------------------------------------------------------------
 *
 * basket.h
 *	  Market-basket analysis, shared by its three files:
 *
 *	  basket_input.c  the baskets from the query's rows (two-column or
 *					  array form), then as ranked transactions for the miner
 *	  basket_mine.c   the frequent itemsets (LCM-style depth-first search),
 *					  all of them or the closed or maximal ones
 *	  basket_store.c  the closed or maximal itemsets found so far, for the
 *					  superset checks of that search
 *	  basket.c		  frequent_itemsets() and apriori_rules(): arguments,
 *					  rule generation, output rows
 *
 * See basket.c for the algorithms and their references.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AIM_BASKET_H
#define AIM_BASKET_H

#include "funcapi.h"
#include "utils/tuplestore.h"

/* rules are generated from itemsets of at most this many items */
#define AIM_MAX_RULE_ITEMS	62

/* the prefix items[start .. end) of one basket in a conditional database */
typedef struct AimOcc
{
	uint32		start;
	uint32		end;
} AimOcc;

/* what the counting pass learns about one item of a conditional database */
typedef struct AimCount
{
	uint32		n;				/* occurrences */
	uint32		n2;				/* ... with a non-empty prefix */
	uint64		prefix;			/* total length of those prefixes */
} AimCount;

/* which frequent itemsets frequent_itemsets() returns */
typedef enum AimItemsetKind
{
	AIM_ITEMSETS_ALL,
	AIM_ITEMSETS_CLOSED,		/* no proper superset of equal count */
	AIM_ITEMSETS_MAXIMAL		/* no frequent proper superset */
} AimItemsetKind;

/* the itemset signature bit of a rank: a superset's bits cover a subset's */
#define AIM_SIG(r)	((uint64) 1 << ((uint32) (r) & 63))

/*
 * The closed or maximal itemsets found so far (basket_store.c): set s has
 * count[s] and the ranks items[off[s] .. off[s] + len[s]), ascending.
 * Maximal: the sets holding rank r are bucket[r][0 .. bn[r]).  Closed:
 * each set s is entered under (count[s], r) for each of its ranks r; the
 * entries whose key hashes to h are chained from head[h] through
 * ent_next[], entry e being of set ent_set[e] (PG_UINT32_MAX ends a chain).
 */
typedef struct AimSetStore
{
	uint32		n;
	uint32		cap;
	uint32	   *count;
	uint32	   *len;
	uint64	   *off;
	uint64	   *sig;
	int32	   *items;
	uint64		nitems;
	uint64		items_cap;
	uint32	  **bucket;
	uint32	   *bn;
	uint32	   *bcap;
	uint32	   *head;
	uint64		nhead;			/* a power of 2, or 0 */
	uint32	   *ent_set;		/* one entry per stored item: items[e] */
	uint32	   *ent_next;
} AimSetStore;

/* one run of frequent_itemsets() or apriori_rules() */
typedef struct AimMiner
{
	MemoryContext cxt;
	MemoryContext rowcxt;		/* output arrays; reset after each row */
	const char *caller;
	bool		rules;			/* apriori_rules: build the prefix tree */

	/* parameters */
	uint32		minc;			/* minimum count of a frequent itemset */
	int			max_len;		/* 0: no limit */
	double		min_confidence;
	int			metric;			/* rules only: filter on this metric ... */
	double		min_threshold;	/* ... at least this; metric < 0: none */
	uint64		n;				/* baskets (N) */

	/* frequent items, by rank (0 = most frequent) */
	uint32		nfreq;
	Datum	   *itemtext;		/* text datum of each rank */
	uint32	   *textpos;		/* position of each rank in text order */

	/* the baskets as ascending arrays of ranks */
	int32	   *titems;
	uint64		ntitems;
	AimOcc	   *trans;
	uint32		ntrans;

	/* scratch, indexed by rank; all zero / -1 between uses */
	AimCount   *cnt;			/* counts in the conditional database */
	int32	   *slot;			/* delivery slot, or -1 */
	int32	   *touched;

	/* the current itemset, ranks in descending order */
	int32	   *path;

	/* prefix tree of frequent itemsets (rules only) */
	int32	   *node_item;
	uint32	   *node_count;
	uint32	   *node_first;
	uint32	   *node_nchild;
	uint64		nnodes;
	uint64		nodes_cap;

	/* output */
	Tuplestorestate *tupstore;
	TupleDesc	tupdesc;
	uint64		nitemsets;
	int			longest;		/* items in the longest itemset found */
	uint64		candidates;		/* rules only: sum of 2^k - 2 over the
								 * itemsets found (saturating) */
	uint64		nrules;

	/* closed or maximal itemsets (frequent_itemsets(kind)) */
	AimItemsetKind kind;
	const char *kindname;		/* "frequent", "closed" or "maximal" */
	int32	   *cset;			/* the current itemset with its perfect
								 * extensions, cset[0 .. nset) */
	int			nset;
	bool	   *inset;			/* by rank: in cset[] */
	AimSetStore store;
} AimMiner;

/* basket_input.c */
extern void AimBasketLoad(AimMiner *m, const char *sql, double min_support);

/* basket_mine.c */
extern void AimBasketMine(AimMiner *m);

/* basket_store.c */
extern bool AimStoreHasSuperset(AimMiner *m, const int32 *a, int na,
								const int32 *b, int nb, uint64 sig,
								uint32 count);
extern const int32 *AimStoreAdd(AimMiner *m, const int32 *a, int na,
								const int32 *b, int nb, uint64 sig,
								uint32 count);

/* basket.c */
extern void AimBasketPutItemset(AimMiner *m, const int32 *ranks, int n,
								uint32 count);

/* allocate p (if NULL, in cxt) or reallocate it to size bytes, huge allowed */
static inline void *
AimGrowHuge(void *p, MemoryContext cxt, Size size)
{
	return p == NULL ? MemoryContextAllocHuge(cxt, size) : repalloc_huge(p, size);
}

/* qsort() comparator of int32 */
static inline int
AimCmpInt32(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* sort a small array of ints ascending */
static inline void
AimSortInts(int32 *a, int n)
{
	if (n > 16)
	{
		qsort(a, n, sizeof(int32), AimCmpInt32);
		return;
	}
	for (int i = 1; i < n; i++)
	{
		int32		x = a[i];
		int			j = i - 1;

		while (j >= 0 && a[j] > x)
		{
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = x;
	}
}

#endif							/* AIM_BASKET_H */
