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
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

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
CountItemset(AimMiner *m)
{
	if (m->nitemsets >= (uint64) aim_max_itemsets)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() found more than %d frequent itemsets",
						m->caller, aim_max_itemsets),
				 errhint("Raise min_support, set max_len, or raise aimarketing.max_itemsets.")));
	m->nitemsets++;
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
	for (int k = 0; k < x->nf; k++)
		CountItemset(m);
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
	uint64		w = 0;
	uint64		n = 0;

	if (!db->own)
	{
		db->citems = fitems = MemoryContextAllocHuge(m->cxt, sizeof(int32) * (db->len - dropped));
		db->cocc = focc = MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * db->nocc);
	}
	for (int k = 0; k < x->nf; k++)
	{
		cnt[x->ext[k]].n2 = 0;
		cnt[x->ext[k]].prefix = 0;
	}
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
	db->len = w;
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
	for (int k = 0; k < x->nf; k++)
	{
		int32		r = x->ext[k];

		x->off[k] = total;
		x->plen[k] = 0;
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
Mine(AimMiner *m, uint64 node, int depth, int32 *items,
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
		Mine(m, m->rules ? first + k : 0, depth + 1,
			 x.copy ? x.cbuf : db.items, x.buf + x.off[k], n, x.plen[k],
			 x.copy);
	}
	if (x.buf)
		pfree(x.buf);
	if (x.cbuf)
		pfree(x.cbuf);
	FreeCopy(&db);
	pfree(x.plen);
	pfree(x.off);
	pfree(x.ext);
}

/* Mine all frequent itemsets (the root: the whole transaction database). */
void
AimBasketMine(AimMiner *m)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);

	if (m->nfreq > 0)
		Mine(m, PG_UINT64_MAX, 0, m->titems, m->trans, m->ntrans,
			 m->ntitems, false);
	MemoryContextSwitchTo(old);
}
