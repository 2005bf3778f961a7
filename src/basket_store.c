/*-------------------------------------------------------------------------
 *
 * basket_store.c
 *	  The closed or maximal itemsets found so far by frequent_itemsets(kind),
 *	  and the one question the search asks of them: does a stored itemset
 *	  contain this one (with this count)?
 *
 * Closed itemsets are asked for a superset with the same count: they are
 * chained by count in a hash table.  Maximal itemsets are asked for any
 * superset: each is listed in the bucket of each of its items, so the
 * itemsets that can contain a query are all in the bucket of any one of
 * the query's items, and the search scans the smallest bucket among those
 * it is offered.  A 64-bit signature per itemset (one bit per rank modulo
 * 64) rejects most non-supersets before their items are compared.  This is the
 * role of the CFI/MFI trees of FPclose and FPmax (G. Grahne, J. Zhu,
 * "Efficiently using prefix-trees in mining frequent itemsets", FIMI 2003)
 * and of the hash of closed sets of CHARM (M. J. Zaki, C.-J. Hsiao, "CHARM:
 * an efficient algorithm for closed itemset mining", SDM 2002).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "aimarketing.h"
#include "basket.h"

/* does the ascending array y[0 .. ny) hold every element of s[0 .. ns)? */
static inline bool
Contains(const int32 *y, uint32 ny, const int32 *s, int ns)
{
	uint32		i = 0;

	for (int k = 0; k < ns; k++)
	{
		while (i < ny && y[i] < s[k])
			i++;
		if (i == ny || y[i] != s[k])
			return false;
		i++;
	}
	return true;
}

/* the hash chain of the entries of (count, rank r) */
static inline uint64
EntryHash(const AimSetStore *st, uint32 count, int32 r)
{
	uint64		key = ((uint64) count << 32) | (uint32) r;

	return ((key * UINT64CONST(0x9E3779B97F4A7C15)) >> 20) & (st->nhead - 1);
}

/* does stored itemset s contain a[0 .. na) + b[0 .. nb) (sig, need items)? */
static inline bool
SetContains(const AimSetStore *st, uint32 s, const int32 *a, int na,
			const int32 *b, int nb, uint64 sig, uint32 need)
{
	const int32 *y;

	if (st->len[s] < need || (sig & ~st->sig[s]) != 0)
		return false;
	y = st->items + st->off[s];
	return Contains(y, st->len[s], a, na) && Contains(y, st->len[s], b, nb);
}

/*
 * Is there a stored itemset that contains the union of a[0 .. na) and
 * b[0 .. nb) (both ascending; na + nb > 0; sig their signature) and has
 * the given count (closed) or any count (maximal)?  Closed: the chain
 * scanned is that of the count and the highest rank (the rarest item).
 * Maximal: the bucket scanned is the smallest of those of a's items and
 * of b's last item.
 */
bool
AimStoreHasSuperset(AimMiner *m, const int32 *a, int na, const int32 *b,
					int nb, uint64 sig, uint32 count)
{
	AimSetStore *st = &m->store;
	uint32		need = (uint32) (na + nb);
	int32		pivot;

	Assert(na + nb > 0);
	if (st->n == 0)
		return false;
	if (m->kind == AIM_ITEMSETS_CLOSED)
	{
		pivot = na > 0 ? a[na - 1] : b[nb - 1];
		if (nb > 0 && b[nb - 1] > pivot)
			pivot = b[nb - 1];
		for (uint32 e = st->head[EntryHash(st, count, pivot)];
			 e != PG_UINT32_MAX; e = st->ent_next[e])
		{
			uint32		s = st->ent_set[e];

			if (st->items[e] == pivot && st->count[s] == count &&
				SetContains(st, s, a, na, b, nb, sig, need))
				return true;
		}
		return false;
	}
	pivot = nb > 0 ? b[nb - 1] : a[0];
	for (int k = 0; k < na; k++)
		if (st->bn[a[k]] < st->bn[pivot])
			pivot = a[k];
	for (uint32 i = 0; i < st->bn[pivot]; i++)
		if (SetContains(st, st->bucket[pivot][i], a, na, b, nb, sig, need))
			return true;
	return false;
}

/*
 * Closed: enter the items of set s (entries off[s] .. off[s] + len[s)),
 * doubling the table when the entries outnumber half its chains.
 */
static void
ChainAdd(AimMiner *m, uint32 s)
{
	AimSetStore *st = &m->store;
	uint64		first = st->off[s];

	if (st->nitems > st->nhead / 2)
	{
		while (st->nitems > st->nhead / 2)
			st->nhead = Max(st->nhead * 2, 4096);
		if (st->head)
			pfree(st->head);
		st->head = MemoryContextAllocHuge(m->cxt, sizeof(uint32) * st->nhead);
		memset(st->head, 0xff, sizeof(uint32) * st->nhead);
		first = 0;				/* rechain every entry */
	}
	for (uint64 e = first; e < st->nitems; e++)
	{
		uint32		t = st->ent_set[e];
		uint64		h = EntryHash(st, st->count[t], st->items[e]);

		st->ent_next[e] = st->head[h];
		st->head[h] = (uint32) e;
	}
}

/* append set s to the bucket of rank r */
static void
BucketAdd(AimMiner *m, int32 r, uint32 s)
{
	AimSetStore *st = &m->store;

	if (st->bucket == NULL)
	{
		int			flags = MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO;

		st->bucket = MemoryContextAllocExtended(m->cxt, sizeof(uint32 *) * m->nfreq, flags);
		st->bn = MemoryContextAllocExtended(m->cxt, sizeof(uint32) * m->nfreq, flags);
		st->bcap = MemoryContextAllocExtended(m->cxt, sizeof(uint32) * m->nfreq, flags);
	}
	if (st->bn[r] == st->bcap[r])
	{
		st->bcap[r] = Max(st->bcap[r] * 2, 8);
		st->bucket[r] = AimGrowHuge(st->bucket[r], m->cxt,
									sizeof(uint32) * st->bcap[r]);
	}
	st->bucket[r][st->bn[r]++] = s;
}

/* room for one more itemset of n items */
static void
StoreReserve(AimMiner *m, int n)
{
	AimSetStore *st = &m->store;

	if (st->n == st->cap)
	{
		st->cap = Max(st->cap * 2, 1024);
		st->count = AimGrowHuge(st->count, m->cxt, sizeof(uint32) * st->cap);
		st->len = AimGrowHuge(st->len, m->cxt, sizeof(uint32) * st->cap);
		st->off = AimGrowHuge(st->off, m->cxt, sizeof(uint64) * st->cap);
		st->sig = AimGrowHuge(st->sig, m->cxt, sizeof(uint64) * st->cap);
	}
	if (st->nitems + n >= PG_UINT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() found too many %s itemsets", m->caller, m->kindname),
				 errdetail("Their items number more than %u.", PG_UINT32_MAX - 1),
				 errhint("Raise min_support.")));
	if (st->nitems + n > st->items_cap)
	{
		st->items_cap = Max(st->items_cap * 2, st->nitems + n);
		st->items_cap = Max(st->items_cap, 4096);
		st->items = AimGrowHuge(st->items, m->cxt, sizeof(int32) * st->items_cap);
		if (m->kind == AIM_ITEMSETS_CLOSED)
		{
			st->ent_set = AimGrowHuge(st->ent_set, m->cxt, sizeof(uint32) * st->items_cap);
			st->ent_next = AimGrowHuge(st->ent_next, m->cxt, sizeof(uint32) * st->items_cap);
		}
	}
}

/*
 * Store the itemset that is the union of a[0 .. na) and b[0 .. nb) (both
 * ascending, disjoint) with its signature and count.  Returns its items,
 * ascending, valid until the next call.  The caller has checked the limit
 * on the number of itemsets.
 */
const int32 *
AimStoreAdd(AimMiner *m, const int32 *a, int na, const int32 *b, int nb,
			uint64 sig, uint32 count)
{
	AimSetStore *st = &m->store;
	uint32		s;
	int32	   *w;
	int			i = 0,
				j = 0;

	StoreReserve(m, na + nb);
	s = st->n++;
	st->count[s] = count;
	st->len[s] = (uint32) (na + nb);
	st->off[s] = st->nitems;
	st->sig[s] = sig;
	w = st->items + st->nitems;
	while (i < na || j < nb)
	{
		int32		r = (j == nb || (i < na && a[i] < b[j])) ? a[i++] : b[j++];

		if (m->kind == AIM_ITEMSETS_MAXIMAL)
			BucketAdd(m, r, s);
		else
			st->ent_set[w - st->items] = s;
		*w++ = r;
	}
	st->nitems += na + nb;
	if (m->kind == AIM_ITEMSETS_CLOSED)
		ChainAdd(m, s);
	return st->items + st->off[s];
}
