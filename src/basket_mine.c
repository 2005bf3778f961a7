/*-------------------------------------------------------------------------
 *
 * basket_mine.c
 *	  The frequent itemsets of the baskets: depth-first search over
 *	  projected (conditional) databases, with occurrence delivery and
 *	  database reduction, as in LCM (see basket.c for the references).
 *
 * A conditional database is the list of the prefixes (items ranked before
 * the itemset's smallest rank) of the transactions that contain the
 * itemset, each a slice occ[i] = [start, end) of an array of ranks.  For
 * an itemset the search:
 *
 *	 1. copies its database into a contiguous buffer if it is big and
 *		scattered (CopyDatabase);
 *	 2. counts every item of it (CountItems; the root's counts were taken
 *		while the transactions were built);
 *	 3. keeps the frequent items as extensions (FrequentExtensions) and
 *		emits each extension as a frequent itemset (EmitItemsets);
 *	 4. drops the infrequent items and the transactions left with fewer than
 *		two items (ReduceDatabase);
 *	 5. delivers to each extension that can have frequent extensions of its
 *		own its conditional database, as copies of the prefixes or as
 *		slices of this one (PlanDelivery, Deliver);
 *	 6. searches each of them in turn (Mine, recursively).
 *
 * The closed and maximal itemsets are found by the same search with
 * perfect extensions and superset checks (MineCondensed, below).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "aimarketing.h"
#include "basket.h"

/*
 * A conditional database of at least this many items that is scattered
 * over its parent's array (its prefixes are slices of the baskets) is first
 * copied into a contiguous buffer: each prefix costs a cache miss, and the
 * database is read at least twice.
 */
#define AIM_COPY_MIN_ITEMS	2048

/*
 * Children's databases are delivered as copies (contiguous, read without
 * cache misses) when all of them together take at most this many items
 * more than AIM_COPY_FACTOR times the parent's database; else as slices
 * of the parent's database, so that memory stays linear in the input even
 * for very long baskets (the copies take the sum over baskets of
 * length^2 / 2).
 */
#define AIM_COPY_FACTOR		8
#define AIM_COPY_SLACK		((uint64) 4 * 1024 * 1024)

/* scan loops check for interrupts every this many baskets */
#define AIM_CFI_EVERY		4096

/* a conditional database: the slices occ[0 .. nocc) of items[] */
typedef struct CondDb
{
	int32	   *items;
	AimOcc	   *occ;
	uint64		nocc;
	uint64		len;			/* items in all the slices */
	bool		own;			/* contiguous, and ours to overwrite */
	int32	   *citems;			/* a copy we made (items), or NULL */
	AimOcc	   *cocc;			/* ... and its occurrences (occ) */
} CondDb;

/* the frequent extensions of an itemset, and their databases */
typedef struct Extensions
{
	int32	   *ext;			/* ranks, ascending */
	int			nf;
	/* the occurrences of ext[k] are buf[off[k] .. off[k + 1]) */
	uint64	   *off;
	uint64	   *plen;			/* items in the database of ext[k] */
	uint32	   *count;			/* the count of ext[k] */
	AimOcc	   *buf;
	bool		copy;			/* the databases are copies in cbuf, else
								 * slices of the parent's */
	int32	   *cbuf;
} Extensions;

/* where the next occurrence, and its copied prefix, of an extension go */
typedef struct DeliverySlot
{
	AimOcc	   *occ;
	int32	   *items;
} DeliverySlot;

static void
TooManyItemsets(AimMiner *m)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s() found more than %d %s itemsets",
					m->caller, aim_max_itemsets, m->kindname),
			 errdetail_plural("The search stopped after " UINT64_FORMAT " itemsets, the longest of %d item.",
							  "The search stopped after " UINT64_FORMAT " itemsets, the longest of %d items.",
							  m->longest, m->nitemsets, m->longest),
			 m->kind == AIM_ITEMSETS_ALL ?
			 errhint("Raise min_support, set max_len, or raise aimarketing.max_itemsets.") :
			 errhint("Raise min_support or aimarketing.max_itemsets (max_len limits the itemsets returned, not those found).")));
}

/*
 * Count the n itemsets of depth + 1 items found as extensions of the
 * current itemset; fail as soon as there are too many.
 */
static void
CountItemsets(AimMiner *m, int depth, int n)
{
	if (n == 0)
		return;
	m->longest = Max(m->longest, depth + 1);
	if (m->nitemsets + n > (uint64) aim_max_itemsets)
	{
		m->nitemsets = (uint64) aim_max_itemsets;
		TooManyItemsets(m);
	}
	m->nitemsets += n;
	if (m->rules)
	{
		/* each gives 2^(depth + 1) - 2 candidate rules */
		uint64		each = depth + 1 >= 64 ? PG_UINT64_MAX :
			((uint64) 1 << (depth + 1)) - 2;
		uint64		add;

		if (each != 0 && (uint64) n > PG_UINT64_MAX / each)
			add = PG_UINT64_MAX;
		else
			add = each * (uint64) n;
		m->candidates = add > PG_UINT64_MAX - m->candidates ?
			PG_UINT64_MAX : m->candidates + add;
	}
}

/*
 * A lower bound known before the search below an itemset P of depth items
 * and count cP: if c of its frequent extensions occur in every basket that
 * holds P (their count is cP), P plus any subset of them is frequent, so
 * the search will find at least the sum over s >= 2 of C(c, s) itemsets of
 * depth + s items (up to max_len) beyond the extensions themselves.  Fail
 * at once when they cannot fit under aimarketing.max_itemsets: a few long
 * identical baskets would otherwise be enumerated up to the limit (2^k
 * itemsets) first.
 */
static void
CheckClosureBound(AimMiner *m, int depth, uint32 cP, const Extensions *x)
{
	int			c = 0;
	int			smax;
	double		left = (double) aim_max_itemsets - (double) m->nitemsets;
	double		binom,
				more = 0.0;

	for (int k = 0; k < x->nf; k++)
		c += (m->cnt[x->ext[k]].n == cP);
	smax = c;
	if (m->max_len != 0)
		smax = Min(smax, m->max_len - depth);
	/* C(c, s) for s = 1, 2, ..., as doubles (no overflow before Inf) */
	binom = c;
	for (int s = 2; s <= smax && more <= left; s++)
	{
		binom = binom * (double) (c - s + 1) / (double) s;
		more += binom;
	}
	if (!(more > left))
		return;
	if (depth == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() found more than %d frequent itemsets",
						m->caller, aim_max_itemsets),
				 errdetail("All %u baskets hold the same %d frequent items: their subsets alone make at least %.0f frequent itemsets, of up to %d items.",
						   cP, c, more, smax),
				 errhint("Raise min_support, set max_len, or raise aimarketing.max_itemsets.")));
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s() found more than %d frequent itemsets",
					m->caller, aim_max_itemsets),
			 errdetail_plural("After " UINT64_FORMAT " itemsets, the search reached an itemset of %d item found in %u baskets that all hold the same %d other frequent items: its supersets among them alone make at least %.0f more frequent itemsets, of up to %d items.",
							  "After " UINT64_FORMAT " itemsets, the search reached an itemset of %d items found in %u baskets that all hold the same %d other frequent items: its supersets among them alone make at least %.0f more frequent itemsets, of up to %d items.",
							  depth, m->nitemsets, depth, cP, c, more, depth + smax),
			 errhint("Raise min_support, set max_len, or raise aimarketing.max_itemsets.")));
}

/*
 * Rules: append the nodes of the extensions ext[0 .. n) to the prefix tree
 * as the children of parent (PG_UINT64_MAX: the root); returns the first.
 */
static uint64
AddNodes(AimMiner *m, uint64 parent, const int32 *ext, int n)
{
	uint64		first = m->nnodes;

	if (m->nnodes + n > PG_UINT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() found too many frequent itemsets", m->caller),
				 errhint("Raise min_support or set max_len.")));
	if (m->nnodes + n > m->nodes_cap)
	{
		uint64		cap = Max(m->nodes_cap * 2, m->nnodes + n);

		cap = Max(cap, 1024);
		m->node_item = AimGrowHuge(m->node_item, m->cxt, sizeof(int32) * cap);
		m->node_count = AimGrowHuge(m->node_count, m->cxt, sizeof(uint32) * cap);
		m->node_first = AimGrowHuge(m->node_first, m->cxt, sizeof(uint32) * cap);
		m->node_nchild = AimGrowHuge(m->node_nchild, m->cxt, sizeof(uint32) * cap);
		m->nodes_cap = cap;
	}
	for (int k = 0; k < n; k++)
	{
		m->node_item[first + k] = ext[k];
		m->node_count[first + k] = m->cnt[ext[k]].n;
		m->node_first[first + k] = 0;
		m->node_nchild[first + k] = 0;
	}
	if (parent != PG_UINT64_MAX)
	{
		m->node_first[parent] = (uint32) first;
		m->node_nchild[parent] = (uint32) n;
	}
	m->nnodes += n;
	return first;
}

/* make the scattered database db a contiguous copy of our own */
static void
CopyDatabase(AimMiner *m, CondDb *db)
{
	uint64		w = 0;

	db->citems = MemoryContextAllocHuge(m->cxt, sizeof(int32) * db->len);
	db->cocc = MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * db->nocc);
	for (uint64 i = 0; i < db->nocc; i++)
	{
		uint32		n = db->occ[i].end - db->occ[i].start;

		db->cocc[i].start = (uint32) w;
		memcpy(db->citems + w, db->items + db->occ[i].start, sizeof(int32) * n);
		w += n;
		db->cocc[i].end = (uint32) w;
	}
	Assert(w == db->len);
	db->items = db->citems;
	db->occ = db->cocc;
	db->own = true;
}

/* free the copy of the database we made, if any */
static void
FreeCopy(CondDb *db)
{
	if (db->citems)
	{
		pfree(db->citems);
		pfree(db->cocc);
		db->citems = NULL;
		db->cocc = NULL;
	}
}

/*
 * Count every item in the prefixes of db: occurrences, those with a
 * non-empty prefix (which can have extensions), and the length of those
 * prefixes.  Lists the items found in m->touched; returns how many.
 */
static int
CountItems(AimMiner *m, const CondDb *db)
{
	AimCount   *cnt = m->cnt;
	int32	   *touched = m->touched;
	const int32 *items = db->items;
	const AimOcc *occ = db->occ;
	uint64		nocc = db->nocc;
	int			nt = 0;

	for (uint64 i0 = 0; i0 < nocc; i0 += AIM_CFI_EVERY)
	{
		uint64		iend = Min(nocc, i0 + AIM_CFI_EVERY);

		CHECK_FOR_INTERRUPTS();
		for (uint64 i = i0; i < iend; i++)
		{
			uint32		s = occ[i].start;
			uint32		e = occ[i].end;
			AimCount   *c = &cnt[items[s]];

			/* the first item: its prefix is empty */
			touched[nt] = items[s];
			nt += (c->n++ == 0);
			for (uint32 p = s + 1; p < e; p++)
			{
				c = &cnt[items[p]];
				touched[nt] = items[p];
				nt += (c->n++ == 0);
				c->n2++;
				c->prefix += p - s;
			}
		}
	}
	return nt;
}

/*
 * The frequent items among the nt counted ones, ascending by rank, into
 * x->ext and x->nf; the counts of the others are cleared.  Returns the
 * number of occurrences of the infrequent items.
 */
static uint64
FrequentExtensions(AimMiner *m, int nt, Extensions *x)
{
	AimCount   *cnt = m->cnt;
	uint64		dropped = 0;

	x->ext = palloc(sizeof(int32) * Max(nt, 1));
	x->nf = 0;
	for (int t = 0; t < nt; t++)
	{
		int32		r = m->touched[t];

		if (cnt[r].n >= m->minc)
			x->ext[x->nf++] = r;
		else
		{
			dropped += cnt[r].n;
			memset(&cnt[r], 0, sizeof(AimCount));
		}
	}
	AimSortInts(x->ext, x->nf);
	return dropped;
}

/*
 * Emit the extensions of the itemset m->path[0 .. depth) as frequent
 * itemsets: output rows, or (rules) children of its node in the prefix
 * tree, the first of which is returned.
 */
static uint64
EmitItemsets(AimMiner *m, uint64 node, int depth, const Extensions *x)
{
	CountItemsets(m, depth, x->nf);
	if (m->rules)
		return AddNodes(m, node, x->ext, x->nf);
	for (int k = 0; k < x->nf; k++)
	{
		m->path[depth] = x->ext[k];
		AimBasketPutItemset(m, m->path, depth + 1, m->cnt[x->ext[k]].n);
	}
	return 0;
}

/*
 * Database reduction: drop the infrequent items (those whose count was
 * cleared), which can be in no frequent extension of this itemset's
 * extensions either, and the baskets left with fewer than two items, so
 * that the searches below do not scan them again and again.  In place if
 * the database is ours, else into a new copy.  The counts of non-empty
 * prefixes are taken again.
 */
static void
ReduceDatabase(AimMiner *m, CondDb *db, const Extensions *x, uint64 dropped)
{
	AimCount   *cnt = m->cnt;
	const int32 *items = db->items;
	const AimOcc *occ = db->occ;
	int32	   *fitems = db->items;
	AimOcc	   *focc = db->occ;
	uint64		base = 0;
	uint64		w;
	uint64		n = 0;

	/*
	 * In place, the database is rewritten from its first occurrence: a
	 * delivered copy is one region of a buffer shared with its siblings,
	 * which may not have been searched yet (MineCondensed).
	 */
	if (db->own && db->nocc > 0)
		base = occ[0].start;
	else if (!db->own)
	{
		db->citems = fitems = MemoryContextAllocHuge(m->cxt, sizeof(int32) * (db->len - dropped));
		db->cocc = focc = MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * db->nocc);
	}
	for (int k = 0; k < x->nf; k++)
	{
		cnt[x->ext[k]].n2 = 0;
		cnt[x->ext[k]].prefix = 0;
	}
	w = base;
	for (uint64 i = 0; i < db->nocc; i++)
	{
		uint64		s2 = w;
		uint32		e = occ[i].end;

		if ((i % AIM_CFI_EVERY) == AIM_CFI_EVERY - 1)
			CHECK_FOR_INTERRUPTS();
		/* branch-free: every item is written, only frequent ones kept */
		for (uint32 p = occ[i].start; p < e; p++)
		{
			int32		r = items[p];
			AimCount   *c = &cnt[r];
			uint32		keep = (c->n != 0);

			c->n2 += keep & (w > s2);
			c->prefix += keep * (w - s2);
			fitems[w] = r;
			w += keep;
		}
		if (w - s2 >= 2)
		{
			focc[n].start = (uint32) s2;
			focc[n].end = (uint32) w;
			n++;
		}
		else
			w = s2;
	}
	db->items = fitems;
	db->occ = focc;
	db->nocc = n;
	db->len = w - base;
}

/*
 * Plan the delivery of the databases of the extensions that may have
 * frequent extensions (those with at least minc non-empty prefixes): their
 * delivery slots and sizes, and whether they are copies (if they are not
 * too big) or slices.  Clears the counts.
 */
static void
PlanDelivery(AimMiner *m, const CondDb *db, Extensions *x)
{
	AimCount   *cnt = m->cnt;
	uint64		total = 0;
	uint64		copy_total = 0;

	x->off = palloc(sizeof(uint64) * (x->nf + 1));
	x->plen = palloc(sizeof(uint64) * x->nf);
	x->count = palloc(sizeof(uint32) * x->nf);
	for (int k = 0; k < x->nf; k++)
	{
		int32		r = x->ext[k];

		x->off[k] = total;
		x->plen[k] = 0;
		x->count[k] = cnt[r].n;
		if (cnt[r].n2 >= m->minc)
		{
			m->slot[r] = k;
			total += cnt[r].n2;
			x->plen[k] = cnt[r].prefix;
			copy_total += cnt[r].prefix;
		}
		memset(&cnt[r], 0, sizeof(AimCount));
	}
	x->off[x->nf] = total;
	x->copy = copy_total <= AIM_COPY_FACTOR * db->len + AIM_COPY_SLACK;
	x->buf = total > 0 ? MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * total) : NULL;
	x->cbuf = NULL;
	if (x->copy && copy_total > 0)
		x->cbuf = MemoryContextAllocHuge(m->cxt, sizeof(int32) * copy_total);
}

/*
 * Deliver the planned databases: one pass over db hands each occurrence of
 * a planned extension (an item with a slot) its prefix.  Clears the slots.
 */
static void
Deliver(AimMiner *m, const CondDb *db, const Extensions *x)
{
	const int32 *items = db->items;
	const AimOcc *occ = db->occ;
	const int32 *slot = m->slot;
	int32	   *cbuf = x->cbuf;
	bool		copy = x->copy;
	DeliverySlot *slots = palloc(sizeof(DeliverySlot) * Max(x->nf, 1));
	uint64		c = 0;

	for (int k = 0; k < x->nf; k++)
	{
		slots[k].occ = x->buf + x->off[k];
		slots[k].items = cbuf + c;
		if (copy)
			c += x->plen[k];
	}
	for (uint64 i0 = 0; i0 < db->nocc && x->off[x->nf] > 0; i0 += AIM_CFI_EVERY)
	{
		uint64		iend = Min(db->nocc, i0 + AIM_CFI_EVERY);

		CHECK_FOR_INTERRUPTS();
		for (uint64 i = i0; i < iend; i++)
		{
			uint32		s = occ[i].start;
			uint32		e = occ[i].end;

			for (uint32 p = s + 1; p < e; p++)
			{
				int32		k = slot[items[p]];

				if (k >= 0)
				{
					DeliverySlot *sl = &slots[k];
					AimOcc	   *o = sl->occ++;

					if (copy)
					{
						int32	   *w = sl->items;

						o->start = (uint32) (w - cbuf);
						memcpy(w, items + s, sizeof(int32) * (p - s));
						sl->items = w + (p - s);
						o->end = (uint32) (sl->items - cbuf);
					}
					else
					{
						o->start = s;
						o->end = p;
					}
				}
			}
		}
	}
	for (int k = 0; k < x->nf; k++)
		m->slot[x->ext[k]] = -1;
	pfree(slots);
}

/*
 * Mine the conditional database of the itemset m->path[0 .. depth): the
 * slices occ[0 .. nocc) of items[], len items in all.  Emit every frequent
 * extension, then recurse into the extensions that can have frequent
 * extensions themselves.  node is the itemset's node in the prefix tree
 * (rules only; PG_UINT64_MAX for the empty itemset, whose database is
 * every basket).  If own is true the database is contiguous and ours to
 * overwrite (a copy made for us); else it may be scattered over the basket
 * array or the parent's database.
 */
static void
Mine(AimMiner *m, uint64 node, int depth, uint64 count, int32 *items,
	 AimOcc *occ, uint64 nocc, uint64 len, bool own)
{
	CondDb		db = {items, occ, nocc, len, own, NULL, NULL};
	Extensions	x;
	uint64		first;
	uint64		dropped;
	int			nt = 0;

	check_stack_depth();
	CHECK_FOR_INTERRUPTS();

	if (!own && depth > 0 && len >= AIM_COPY_MIN_ITEMS)
		CopyDatabase(m, &db);
	if (depth > 0)
		nt = CountItems(m, &db);
	else
	{
		/* the root: counted while the transactions were built (basket_input.c) */
		for (uint32 r = 0; r < m->nfreq; r++)
			m->touched[nt++] = (int32) r;
	}
	dropped = FrequentExtensions(m, nt, &x);
	/* at the root every frequent item is an extension: ranks 0..nfreq-1 */
	Assert(node != PG_UINT64_MAX || (uint32) x.nf == m->nfreq);
	first = EmitItemsets(m, node, depth, &x);
	if (count <= PG_UINT32_MAX)
		CheckClosureBound(m, depth, (uint32) count, &x);

	if (x.nf < 2 || (m->max_len != 0 && depth + 1 >= m->max_len))
	{
		/* no extension can have a frequent extension */
		for (int k = 0; k < x.nf; k++)
			memset(&m->cnt[x.ext[k]], 0, sizeof(AimCount));
		pfree(x.ext);
		FreeCopy(&db);
		return;
	}

	if (dropped > 0 && (db.own || dropped > db.len / 8))
		ReduceDatabase(m, &db, &x, dropped);
	PlanDelivery(m, &db, &x);
	Deliver(m, &db, &x);
	/* copies were delivered: free ours before going deeper */
	if (x.copy)
		FreeCopy(&db);

	for (int k = 0; k < x.nf; k++)
	{
		uint64		n = x.off[k + 1] - x.off[k];

		if (n == 0)
			continue;
		m->path[depth] = x.ext[k];
		Mine(m, m->rules ? first + k : 0, depth + 1, x.count[k],
			 x.copy ? x.cbuf : db.items, x.buf + x.off[k], n, x.plen[k],
			 x.copy);
	}
	if (x.buf)
		pfree(x.buf);
	if (x.cbuf)
		pfree(x.cbuf);
	FreeCopy(&db);
	pfree(x.count);
	pfree(x.plen);
	pfree(x.off);
	pfree(x.ext);
}

/* ---------------------------------------------------------------------
 * Closed and maximal itemsets
 *
 * The same search, with three changes (the ideas of LCM, CHARM, FPclose
 * and FPmax; see basket.c):
 *
 *	 - perfect extensions: an item of the database found in every one of
 *	   its baskets belongs to every closed or maximal itemset of the
 *	   subtree, so it joins the current itemset m->cset (and is flagged in
 *	   m->inset, so the databases below drop it) instead of being searched;
 *	 - the extensions are searched in descending rank order, which visits
 *	   an itemset's closure, and every maximal itemset containing it,
 *	   before the itemset itself (its first item outside the itemset ranks
 *	   above the itemset's item at the point where their paths part);
 *	 - the itemsets kept so far (basket_store.c) decide: an itemset is
 *	   closed unless a kept itemset with the same count contains it, and
 *	   then nothing below it is closed either (they have the same baskets
 *	   as supersets of that itemset); an itemset without extensions is
 *	   maximal unless a kept itemset contains it, and a subtree whose
 *	   items all lie in a kept itemset is skipped.
 *
 * max_len limits the itemsets returned, not the search: whether an
 * itemset is closed or maximal depends on its longer supersets.
 * ---------------------------------------------------------------------
 */

/*
 * Keep the closed or maximal itemset that is the union of a[0 .. na) and
 * b[0 .. nb) (ascending): store it and output it unless it is longer than
 * max_len.
 */
static void
KeepItemset(AimMiner *m, const int32 *a, int na, const int32 *b, int nb,
			uint64 sig, uint32 count)
{
	const int32 *set;
	int			n = na + nb;

	if (m->nitemsets >= (uint64) aim_max_itemsets)
		TooManyItemsets(m);
	m->nitemsets++;
	m->longest = Max(m->longest, n);
	set = AimStoreAdd(m, a, na, b, nb, sig, count);
	if (m->max_len == 0 || n <= m->max_len)
		AimBasketPutItemset(m, set, n, count);
}

/*
 * Split the nt counted items of the database of the current itemset (count
 * cP) into its frequent extensions (x->ext, ascending) and its perfect
 * extensions, which join m->cset; the counts of the others (infrequent,
 * perfect, or already in the itemset) are cleared.  Returns the number of
 * occurrences of the cleared items.
 */
static uint64
SplitExtensions(AimMiner *m, int nt, uint32 cP, Extensions *x)
{
	AimCount   *cnt = m->cnt;
	uint64		dropped = 0;

	x->ext = palloc(sizeof(int32) * Max(nt, 1));
	x->nf = 0;
	for (int t = 0; t < nt; t++)
	{
		int32		r = m->touched[t];

		if (cnt[r].n >= m->minc && cnt[r].n < cP && !m->inset[r])
			x->ext[x->nf++] = r;
		else
		{
			if (cnt[r].n == cP && !m->inset[r])
			{
				m->cset[m->nset++] = r;
				m->inset[r] = true;
			}
			dropped += cnt[r].n;
			memset(&cnt[r], 0, sizeof(AimCount));
		}
	}
	AimSortInts(x->ext, x->nf);
	return dropped;
}

/*
 * The current itemset C = cset[0 .. nset) (cs: ascending; sig: its
 * signature) with count cP, whose frequent extensions are x: keep it if it
 * is closed (or, if it has no extension, maximal).  Returns false if
 * nothing below it can be kept.
 */
static bool
NodeItemset(AimMiner *m, const int32 *cs, uint64 sig, uint32 cP,
			const Extensions *x)
{
	int			n = m->nset;

	if (m->kind == AIM_ITEMSETS_CLOSED)
	{
		if (n == 0)
			return true;		/* the empty itemset (root) */
		if (AimStoreHasSuperset(m, cs, n, NULL, 0, sig, cP))
			return false;
		KeepItemset(m, cs, n, NULL, 0, sig, cP);
		return true;
	}
	if (x->nf == 0)
	{
		if (n > 0 && !AimStoreHasSuperset(m, cs, n, NULL, 0, sig, 0))
			KeepItemset(m, cs, n, NULL, 0, sig, cP);
		return false;
	}
	/* maximal: is every itemset below already in a kept one? */
	for (int k = 0; k < x->nf; k++)
		sig |= AIM_SIG(x->ext[k]);
	return !AimStoreHasSuperset(m, cs, n, x->ext, x->nf, sig, 0);
}

/*
 * The extension j (count cj) of the current itemset (cs, sig as in
 * NodeItemset()) has no frequent extension of its own: keep C + {j} if it
 * is closed or maximal.
 */
static void
LeafItemset(AimMiner *m, const int32 *cs, uint64 sig, int32 j, uint32 cj)
{
	sig |= AIM_SIG(j);
	if (!AimStoreHasSuperset(m, cs, m->nset, &j, 1, sig, cj))
		KeepItemset(m, cs, m->nset, &j, 1, sig, cj);
}

static void MineCondensed(AimMiner *m, int depth, uint32 count, int32 *items,
						  AimOcc *occ, uint64 nocc, uint64 len, bool own);

/*
 * Search the extensions x of the current itemset (cs, sig as in
 * NodeItemset()), whose databases were delivered, in descending rank
 * order.
 */
static void
SearchExtensions(AimMiner *m, int depth, const int32 *cs, uint64 sig,
				 const CondDb *db, const Extensions *x)
{
	uint64	   *psig = palloc(sizeof(uint64) * x->nf);
	uint64		acc = 0;

	/* psig[k]: the signature of ext[0 .. k] */
	for (int k = 0; k < x->nf; k++)
		psig[k] = acc |= AIM_SIG(x->ext[k]);
	for (int k = x->nf - 1; k >= 0; k--)
	{
		int32		j = x->ext[k];
		uint64		n = x->off[k + 1] - x->off[k];

		CHECK_FOR_INTERRUPTS();
		/* maximal: skip j if C + {j} + ext[0 .. k) lies in a kept itemset */
		if (m->kind == AIM_ITEMSETS_MAXIMAL &&
			AimStoreHasSuperset(m, cs, m->nset, x->ext, k + 1,
								sig | psig[k], 0))
			continue;
		if (n == 0)
		{
			LeafItemset(m, cs, sig, j, x->count[k]);
			continue;
		}
		m->path[depth] = j;
		m->cset[m->nset++] = j;
		m->inset[j] = true;
		MineCondensed(m, depth + 1, x->count[k],
					  x->copy ? x->cbuf : db->items, x->buf + x->off[k], n,
					  x->plen[k], x->copy);
		m->inset[j] = false;
		m->nset--;
	}
	pfree(psig);
}

/*
 * Mine the closed or maximal itemsets below the itemset m->path[0 .. depth)
 * (with its perfect extensions, m->cset[0 .. m->nset)) of count count,
 * whose database is as for Mine().
 */
static void
MineCondensed(AimMiner *m, int depth, uint32 count, int32 *items,
			  AimOcc *occ, uint64 nocc, uint64 len, bool own)
{
	CondDb		db = {items, occ, nocc, len, own, NULL, NULL};
	Extensions	x;
	int			nset0 = m->nset;
	int32	   *cs;
	uint64		sig = 0;
	uint64		dropped;
	int			nt = 0;

	check_stack_depth();
	CHECK_FOR_INTERRUPTS();

	if (!own && depth > 0 && len >= AIM_COPY_MIN_ITEMS)
		CopyDatabase(m, &db);
	if (depth > 0)
		nt = CountItems(m, &db);
	else
	{
		for (uint32 r = 0; r < m->nfreq; r++)
			m->touched[nt++] = (int32) r;
	}
	dropped = SplitExtensions(m, nt, count, &x);
	cs = palloc(sizeof(int32) * Max(m->nset, 1));
	memcpy(cs, m->cset, sizeof(int32) * m->nset);
	AimSortInts(cs, m->nset);
	for (int k = 0; k < m->nset; k++)
		sig |= AIM_SIG(cs[k]);

	if (NodeItemset(m, cs, sig, count, &x) && x.nf > 0)
	{
		if (dropped > 0 && (db.own || dropped > db.len / 8))
			ReduceDatabase(m, &db, &x, dropped);
		PlanDelivery(m, &db, &x);
		Deliver(m, &db, &x);
		if (x.copy)
			FreeCopy(&db);
		SearchExtensions(m, depth, cs, sig, &db, &x);
		if (x.buf)
			pfree(x.buf);
		if (x.cbuf)
			pfree(x.cbuf);
		pfree(x.count);
		pfree(x.plen);
		pfree(x.off);
	}
	else
	{
		for (int k = 0; k < x.nf; k++)
			memset(&m->cnt[x.ext[k]], 0, sizeof(AimCount));
	}
	/* the perfect extensions found here leave the itemset */
	for (int k = nset0; k < m->nset; k++)
		m->inset[m->cset[k]] = false;
	m->nset = nset0;
	FreeCopy(&db);
	pfree(cs);
	pfree(x.ext);
}

/* order of transactions: by length, then by their ranks */
static int
CmpTrans(const void *a, const void *b, void *arg)
{
	const AimMiner *m = arg;
	const AimOcc *x = &m->trans[*(const uint32 *) a];
	const AimOcc *y = &m->trans[*(const uint32 *) b];
	uint32		nx = x->end - x->start;
	uint32		ny = y->end - y->start;

	if (nx != ny)
		return nx < ny ? -1 : 1;
	return memcmp(m->titems + x->start, m->titems + y->start,
				  sizeof(int32) * nx);
}

/* the number of non-empty itemsets of at most smax of t items */
static double
SubsetCount(int t, int smax)
{
	double		binom = 1.0,
				sum = 0.0;

	for (int s = 1; s <= Min(t, smax); s++)
	{
		binom = binom * (double) (t - s + 1) / (double) s;
		sum += binom;
	}
	return sum;
}

/*
 * Before the search: if at least minc baskets hold the same t frequent
 * items, every subset of them is frequent; fail at once if those alone
 * exceed aimarketing.max_itemsets (a few long identical baskets), instead
 * of enumerating itemsets up to the limit.  Only the baskets long enough
 * for that are compared.
 */
static void
CheckRepeatedBaskets(AimMiner *m)
{
	int			smax = m->max_len != 0 ? m->max_len : INT_MAX;
	uint32		tmin = 0;
	uint32	   *idx;
	uint32		nidx = 0;

	for (uint32 t = 1; t <= m->nfreq; t++)
		if (SubsetCount((int) Min(t, (uint32) INT_MAX), smax) > (double) aim_max_itemsets)
		{
			tmin = t;
			break;
		}
	if (tmin == 0)
		return;
	idx = palloc(sizeof(uint32) * Max(m->ntrans, 1));
	for (uint32 i = 0; i < m->ntrans; i++)
		if (m->trans[i].end - m->trans[i].start >= tmin)
			idx[nidx++] = i;
	if (nidx >= m->minc)
	{
		qsort_arg(idx, nidx, sizeof(uint32), CmpTrans, m);
		for (uint32 i = 0; i < nidx;)
		{
			uint32		j = i + 1;

			CHECK_FOR_INTERRUPTS();
			while (j < nidx && CmpTrans(&idx[i], &idx[j], m) == 0)
				j++;
			if (j - i >= m->minc)
			{
				int			t = (int) (m->trans[idx[i]].end - m->trans[idx[i]].start);

				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("%s() would find more than %d frequent itemsets",
								m->caller, aim_max_itemsets),
						 errdetail_plural("%u basket holds %d frequent items: their subsets alone are %.0f frequent itemsets, of up to %d items.",
										  "%u baskets hold the same %d frequent items: their subsets alone are %.0f frequent itemsets, of up to %d items.",
										  j - i, j - i, t, SubsetCount(t, smax), Min(t, smax)),
						 errhint("Raise min_support, set max_len, or raise aimarketing.max_itemsets.")));
			}
			i = j;
		}
	}
	pfree(idx);
}

/*
 * Mine the frequent itemsets of m->kind (the root: the whole transaction
 * database).
 */
void
AimBasketMine(AimMiner *m)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);

	if (m->kindname == NULL)
		m->kindname = "frequent";
	if (m->kind == AIM_ITEMSETS_ALL)
	{
		CheckRepeatedBaskets(m);
		if (m->nfreq > 0)
			Mine(m, PG_UINT64_MAX, 0, m->n, m->titems, m->trans, m->ntrans,
				 m->ntitems, false);
	}
	else if (m->nfreq > 0)
	{
		/* no repeated-basket check: perfect extensions make them cheap */
		Assert(!m->rules && m->n <= PG_UINT32_MAX);
		m->cset = palloc(sizeof(int32) * (m->nfreq + 1));
		m->inset = palloc0(sizeof(bool) * m->nfreq);
		m->nset = 0;
		MineCondensed(m, 0, (uint32) m->n, m->titems, m->trans, m->ntrans,
					  m->ntitems, false);
	}
	MemoryContextSwitchTo(old);
}
