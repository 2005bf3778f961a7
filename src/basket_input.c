/*-------------------------------------------------------------------------
 *
 * basket_input.c
 *	  The baskets of frequent_itemsets() and apriori_rules(): received from
 *	  the rows of the baskets query (through sqlreader.h), then turned into
 *	  the miner's transactions.
 *
 * The query returns either two columns (basket id, item) of any types, one
 * row per basket line, in any order, or one array column, one basket per
 * row.  Basket ids and items are numbered by key dictionaries as the rows
 * arrive; the two-column form keeps one (basket, item) pair per row, the
 * array form the baskets themselves, dropping duplicate items and counting
 * items on the way.  Once every row is in, the pairs are grouped by basket,
 * the frequent items get ranks in order of decreasing count, and each
 * basket becomes the ascending array of the ranks of its frequent items.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "basket.h"
#include "sqlreader.h"

/* array form: an item's count so far, and the last basket (number + 1) */
typedef struct ItemSeen
{
	uint32		mark;
	uint32		count;
} ItemSeen;

/* the baskets as the rows arrive */
typedef struct BasketInput
{
	MemoryContext cxt;			/* input data, freed after Prepare() */
	MemoryContext keepcxt;		/* the miner's context */
	const AimQuery *q;
	bool		array_form;		/* one array column, else (id, item) */
	AimColumn	idcol;			/* two-column form: basket id */
	AimColumn	itemcol;		/* item, or array element */
	AimDict		baskets;		/* basket id -> basket number */
	AimKeyRun	lastbasket;		/* the basket id of the previous row */
	AimDict		items;			/* item -> item id; keeps the keys */
	uint32		nbaskets;
	/* two-column form: one (basket, item) pair per row with an item */
	uint32	   *pair_basket;
	uint32	   *pair_item;
	/* array form: items of basket b are items[start[b] .. start[b + 1]) */
	uint32	   *bitems;
	uint32	   *bstart;
	uint32		bstart_cap;
	uint64		nlines;			/* pairs or items so far */
	uint64		lines_cap;
	/* array form: per item id, the count and the last basket it was in */
	ItemSeen   *seen;
	uint32		itemcap;
} BasketInput;

#define BASKET_SHAPE "two columns (basket_id, item) or one array column"

/* room for n more lines (pairs or array items) */
static void
ReserveLines(BasketInput *in, uint64 n)
{
	uint64		need = in->nlines + n;

	if (need <= in->lines_cap)
		return;
	if (need > AIM_MAX_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many basket lines in baskets_sql"),
				 errdetail("At most %u items in all baskets are supported.",
						   (uint32) AIM_MAX_COUNT)));
	in->lines_cap = Max(in->lines_cap * 2, Max(need, 65536));
	in->lines_cap = Min(in->lines_cap, AIM_MAX_COUNT);
	if (in->array_form)
	{
		/* in the miner's context: the transactions are built over it */
		in->bitems = AimGrowHuge(in->bitems, in->keepcxt, sizeof(uint32) * in->lines_cap);
	}
	else
	{
		in->pair_basket = AimGrowHuge(in->pair_basket, in->cxt, sizeof(uint32) * in->lines_cap);
		in->pair_item = AimGrowHuge(in->pair_item, in->cxt, sizeof(uint32) * in->lines_cap);
	}
}

/* ---------------------------------------------------------------------
 * Array form: one row is one basket
 * ---------------------------------------------------------------------
 */

/* grow seen[] to hold item id x */
static void
GrowItemArrays(BasketInput *in, uint32 x)
{
	uint32		cap = Max(in->itemcap, 1024);

	while (cap <= x)
		cap = cap > PG_UINT32_MAX / 2 ? PG_UINT32_MAX : cap * 2;
	in->seen = AimGrowHuge(in->seen, in->cxt, sizeof(ItemSeen) * cap);
	memset(in->seen + in->itemcap, 0, sizeof(ItemSeen) * (cap - in->itemcap));
	in->itemcap = cap;
}

/*
 * Add item x to the current basket, unless it is already in it; count it.
 * The caller has reserved room for the line.
 */
static inline void
ArrayAddItem(BasketInput *in, uint32 x)
{
	ItemSeen   *e;

	if (unlikely(x >= in->itemcap))
		GrowItemArrays(in, x);
	e = &in->seen[x];
	if (e->mark != in->nbaskets)
	{
		e->mark = in->nbaskets;
		e->count++;
		in->bitems[in->nlines++] = x;
	}
}

/*
 * Add the integer item key to the current basket (see ArrayAddItem());
 * small keys keep their count in their direct entry of the dictionary.
 */
static inline void
ArrayAddInt(BasketInput *in, int64 key)
{
	AimDict    *d = &in->items;

	if ((uint64) key < d->ndirect)
	{
		AimDirect  *e = &d->direct[key];

		if (e->mark != in->nbaskets)
		{
			if (unlikely(e->id1 == 0))
				AimDictNewDirect(d, key);
			e->mark = in->nbaskets;
			e->count++;
			in->bitems[in->nlines++] = e->id1 - 1;
		}
	}
	else if (key >= 0 && key < AIM_DIRECT_KEYS && AimDictGrowDirect(d, key))
		ArrayAddInt(in, key);
	else
		ArrayAddItem(in, AimDictInt(d, key));
}

/* start a new basket */
static void
NewArrayBasket(BasketInput *in)
{
	if ((uint64) in->nbaskets + 1 >= AIM_MAX_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many baskets in baskets_sql"),
				 errdetail("At most %u baskets are supported.",
						   (uint32) AIM_MAX_COUNT - 1)));
	if (in->nbaskets + 2 > in->bstart_cap)
	{
		in->bstart_cap = Max(in->bstart_cap * 2, 16384);
		in->bstart = AimGrowHuge(in->bstart, in->cxt, sizeof(uint32) * in->bstart_cap);
	}
	if (in->nbaskets == 0)
		in->bstart[0] = 0;
	in->nbaskets++;
	in->bstart[in->nbaskets] = (uint32) in->nlines;
}

/*
 * The items of an int4[] without NULLs at data: ArrayAddInt() by hand, with
 * the hot fields in locals (the common case).
 */
static void
AddInt4Items(BasketInput *in, const char *data, int nitems)
{
	AimDict    *d = &in->items;
	AimDirect  *direct = d->direct;
	uint32		ndirect = d->ndirect;
	uint32		nb = in->nbaskets;
	uint32	   *out = in->bitems + in->nlines;

	for (int i = 0; i < nitems; i++)
	{
		int32		x;

		memcpy(&x, data + i * sizeof(int32), sizeof(x));
		if ((uint32) x < ndirect)
		{
			AimDirect  *e = &direct[x];

			if (e->mark != nb)
			{
				if (unlikely(e->id1 == 0))
					AimDictNewDirect(d, x);
				e->mark = nb;
				e->count++;
				*out++ = e->id1 - 1;
			}
		}
		else
		{
			in->nlines = out - in->bitems;
			ArrayAddInt(in, x);
			direct = d->direct;
			ndirect = d->ndirect;
			out = in->bitems + in->nlines;
		}
	}
	in->nlines = out - in->bitems;
}

/* the items of an int2[], int4[] or int8[] at data, with its NULL bitmap */
static void
AddIntItems(BasketInput *in, const char *data, const char *bitmap, int nitems)
{
	int			sz = in->itemcol.typlen;

	for (int i = 0; i < nitems; i++)
	{
		int64		key;

		if (bitmap && !(bitmap[i / 8] & (1 << (i % 8))))
			continue;
		if (sz == 4)
		{
			int32		x;

			memcpy(&x, data, sizeof(x));
			key = x;
		}
		else if (sz == 8)
			memcpy(&key, data, sizeof(key));
		else
		{
			int16		x;

			memcpy(&x, data, sizeof(x));
			key = x;
		}
		data += sz;
		ArrayAddInt(in, key);
	}
}

/* the items of an array of any type: an aligned copy, deconstruct_array() */
static void
AddAnyItems(BasketInput *in, Datum d, bool *used_rowcxt)
{
	ArrayType  *a = DatumGetArrayTypeP(d);
	AimColumn  *c = &in->itemcol;
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	*used_rowcxt = true;
	deconstruct_array(a, ARR_ELEMTYPE(a), c->typlen, c->typbyval,
					  c->typalign, &elems, &nulls, &n);
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			continue;
		ArrayAddItem(in, AimColumnId(c, &in->items, elems[i], used_rowcxt));
	}
}

/*
 * One row, one basket.  NULL arrays and NULL elements add no item, so they
 * give an empty basket.
 */
static void
ReceiveArray(BasketInput *in, Datum d, bool isnull, bool *used_rowcxt)
{
	struct varlena *v;
	struct varlena *dv;
	const char *p;
	int32		ndim;
	int32		dataoffset;
	int32		nitems;
	const char *bitmap;
	const char *data;

	NewArrayBasket(in);
	if (isnull)
		return;

	/*
	 * Read the array header in place, without copying a short-header
	 * (packed) array to an aligned one: after its 1-byte or 4-byte length
	 * word an array has the same bytes either way, with offsets relative
	 * to a 4-byte header.  Reads are unaligned, hence the memcpy()s.
	 */
	v = (struct varlena *) DatumGetPointer(d);
	dv = pg_detoast_datum_packed(v);
	if (dv != v)
		*used_rowcxt = true;
	p = VARDATA_ANY(dv);
	memcpy(&ndim, p, sizeof(int32));
	memcpy(&dataoffset, p + sizeof(int32), sizeof(int32));
	if (ndim == 0)
		return;
	if (ndim != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("basket arrays must be one-dimensional, not %d-dimensional",
						ndim),
				 errhint("Flatten the array, or return one (basket_id, item) row per item.")));
	memcpy(&nitems, p + 3 * sizeof(int32), sizeof(int32));
	if (nitems <= 0)
		return;
	bitmap = dataoffset != 0 ? p + 3 * sizeof(int32) + 2 * sizeof(int32) : NULL;
	data = p - VARHDRSZ + (dataoffset != 0 ? dataoffset : ARR_OVERHEAD_NONULLS(1));
	ReserveLines(in, nitems);

	if (in->itemcol.kind == AIM_KEY_INT && in->itemcol.typlen == 4 &&
		bitmap == NULL)
		AddInt4Items(in, data, nitems);
	else if (in->itemcol.kind == AIM_KEY_INT)
		AddIntItems(in, data, bitmap, nitems);
	else
		AddAnyItems(in, d, used_rowcxt);
	in->bstart[in->nbaskets] = (uint32) in->nlines;
}

/* ---------------------------------------------------------------------
 * Two-column form: one row is one basket line
 * ---------------------------------------------------------------------
 */

static void
ReceivePair(BasketInput *in, Datum *values, bool *isnull, bool *used_rowcxt)
{
	uint32		b;

	if (isnull[0])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("basket id must not be null"),
				 errdetail("The first column of baskets_sql's result is NULL in a row."),
				 errhint("Filter such rows out (WHERE basket_id IS NOT NULL), or give them a basket id with coalesce().")));
	/* rows of a basket usually arrive together */
	b = AimColumnRunId(&in->idcol, &in->baskets, &in->lastbasket, values[0],
					   used_rowcxt);
	if (b >= in->nbaskets)
		in->nbaskets = b + 1;
	/* a NULL item adds no item, but its basket still counts */
	if (!isnull[1])
	{
		uint32		item = AimColumnId(&in->itemcol, &in->items, values[1],
									   used_rowcxt);

		ReserveLines(in, 1);
		in->pair_basket[in->nlines] = b;
		in->pair_item[in->nlines] = item;
		in->nlines++;
	}
}

/* one row of the query */
static inline bool
ReceiveBasketRow(void *arg, Datum *values, bool *isnull)
{
	BasketInput *in = (BasketInput *) arg;
	bool		used_rowcxt = false;

	if (in->array_form)
		ReceiveArray(in, values[0], isnull[0], &used_rowcxt);
	else
		ReceivePair(in, values, isnull, &used_rowcxt);
	return used_rowcxt;
}

/* the reader's consumer: its DestReceiver function */
static bool
ReceiveBasketSlot(TupleTableSlot *slot, DestReceiver *self)
{
	return AimReceiveRow(slot, self, ReceiveBasketRow);
}

/*
 * The reader's consumer: check that the query returns either (basket_id,
 * item) or one array column, and set up the column readers.
 */
static void
DescribeBaskets(void *arg, TupleDesc desc)
{
	BasketInput *in = (BasketInput *) arg;

	if (desc->natts != 1 && desc->natts != 2)
		AimQueryColumnsError(in->q, BASKET_SHAPE,
							 psprintf("It returns %d columns.", desc->natts),
							 NULL);
	if (desc->natts == 1)
	{
		Oid			typid = TupleDescAttr(desc, 0)->atttypid;
		Oid			elemtype = get_element_type(getBaseType(typid));

		if (!OidIsValid(elemtype))
			AimQueryColumnsError(in->q, BASKET_SHAPE,
								 psprintf("It returns one column, of type %s.",
										  format_type_be(typid)),
								 "Return the basket id and the item, or array_agg(item) grouped by basket.");
		in->array_form = true;
		AimColumnInit(&in->itemcol, elemtype, in->cxt);
	}
	else
	{
		Oid			idtype = TupleDescAttr(desc, 0)->atttypid;
		Oid			itemtype = TupleDescAttr(desc, 1)->atttypid;

		if (OidIsValid(get_element_type(getBaseType(itemtype))))
			AimQueryColumnError(in->q, desc, 2, "item", "must not be an array",
								"Return only the array column (one basket per row), or unnest() it into (basket_id, item) rows.");
		in->array_form = false;
		AimColumnInit(&in->idcol, idtype, in->cxt);
		AimColumnInit(&in->itemcol, itemtype, in->cxt);
	}
}

/* ---------------------------------------------------------------------
 * From the received rows to the miner's transactions
 * ---------------------------------------------------------------------
 */

/*
 * Two-column form: group the pairs by basket (a counting sort) into
 * *bstart (in the input's context) and *bitems (in the miner's: the
 * transactions are built over it); free the pairs.
 */
static void
GroupPairs(BasketInput *in, uint32 **bstartp, uint32 **bitemsp)
{
	uint32		nb = in->nbaskets;
	uint32	   *bstart;
	uint32	   *bitems;
	uint32	   *pos;

	bstart = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * ((Size) nb + 1));
	memset(bstart, 0, sizeof(uint32) * ((Size) nb + 1));
	for (uint64 i = 0; i < in->nlines; i++)
	{
		if ((i & 0xfffff) == 0xfffff)
			CHECK_FOR_INTERRUPTS();
		bstart[in->pair_basket[i] + 1]++;
	}
	for (uint32 b = 0; b < nb; b++)
		bstart[b + 1] += bstart[b];
	bitems = MemoryContextAllocHuge(in->keepcxt, sizeof(uint32) * Max(in->nlines, 1));
	pos = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * Max(nb, 1));
	memcpy(pos, bstart, sizeof(uint32) * nb);
	for (uint64 i = 0; i < in->nlines; i++)
	{
		if ((i & 0xfffff) == 0xfffff)
			CHECK_FOR_INTERRUPTS();
		bitems[pos[in->pair_basket[i]]++] = in->pair_item[i];
	}
	pfree(pos);
	if (in->pair_basket != NULL)
	{
		pfree(in->pair_basket);
		pfree(in->pair_item);
		in->pair_basket = in->pair_item = NULL;
	}
	*bstartp = bstart;
	*bitemsp = bitems;
}

/*
 * Two-column form: drop duplicate items within the grouped baskets
 * (compacting them in place); returns the count of each item id.
 */
static uint32 *
DedupeAndCount(BasketInput *in, uint32 *bstart, uint32 *bitems)
{
	uint32		nb = in->nbaskets;
	uint32		nitems = in->items.n;
	uint32	   *count;
	uint32	   *mark;
	uint64		w = 0;

	count = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * Max(nitems, 1));
	mark = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * Max(nitems, 1));
	memset(count, 0, sizeof(uint32) * nitems);
	memset(mark, 0, sizeof(uint32) * nitems);
	for (uint32 b = 0; b < nb; b++)
	{
		uint32		s = bstart[b];
		uint32		e = bstart[b + 1];

		if ((b & 0xffff) == 0xffff)
			CHECK_FOR_INTERRUPTS();
		bstart[b] = (uint32) w;
		for (uint32 p = s; p < e; p++)
		{
			uint32		x = bitems[p];

			if (mark[x] != b + 1)
			{
				mark[x] = b + 1;
				count[x]++;
				bitems[w++] = x;
			}
		}
	}
	bstart[nb] = (uint32) w;
	pfree(mark);
	CHECK_FOR_INTERRUPTS();
	return count;
}

/*
 * Array form: the count of each item id, kept as the rows arrived
 * (duplicates were dropped then too).
 */
static uint32 *
ArrayCounts(BasketInput *in)
{
	uint32		nitems = in->items.n;
	uint32	   *count;

	count = MemoryContextAllocExtended(in->cxt, sizeof(uint32) * Max(nitems, 1),
									   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (uint32 x = 0; x < nitems && x < in->itemcap; x++)
		count[x] = in->seen[x].count;
	/* small integer items keep their counts in the dictionary */
	for (uint32 k = 0; k < in->items.ndirect; k++)
		if (in->items.direct[k].id1 != 0)
			count[in->items.direct[k].id1 - 1] += in->items.direct[k].count;
	return count;
}

/*
 * The minimum count of a frequent itemset: the smallest c with
 * (double) c / N >= min_support, so that "frequent" means exactly "support
 * column >= min_support".
 */
static uint64
MinimumCount(uint32 nb, double min_support)
{
	uint64		minc;

	minc = (uint64) ceil(min_support * (double) nb);
	minc = Max(minc, 1);
	while (minc > 1 && (double) (minc - 1) / (double) nb >= min_support)
		minc--;
	while ((double) minc / (double) nb < min_support)
		minc++;
	return minc;
}

/* a frequent item, to be sorted by text and then by rank */
typedef struct FrequentItem
{
	const char *p;
	uint32		len;
	uint32		id;
	uint32		count;
	uint32		textpos;
} FrequentItem;

/* byte order, a prefix first: the order of COLLATE "C" */
static int
CmpText(const void *a, const void *b)
{
	const FrequentItem *x = a;
	const FrequentItem *y = b;
	int			r = memcmp(x->p, y->p, Min(x->len, y->len));

	if (r != 0)
		return r;
	return (x->len > y->len) - (x->len < y->len);
}

/* more frequent first; ties in text order */
static int
CmpRank(const void *a, const void *b)
{
	const FrequentItem *x = a;
	const FrequentItem *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->textpos > y->textpos) - (x->textpos < y->textpos);
}

/*
 * The m->nfreq frequent items with their text (formatted integers are kept
 * in the miner's context), in item id order.
 */
static FrequentItem *
CollectFrequent(BasketInput *in, AimMiner *m, const uint32 *count)
{
	FrequentItem *fi = MemoryContextAllocHuge(m->cxt, sizeof(FrequentItem) * m->nfreq);
	char		numbuf[MAXINT8LEN + 1];
	char	   *numtext = NULL;
	Size		numfree = 0;
	uint32		j = 0;

	for (uint32 x = 0; x < in->items.n; x++)
	{
		const char *p;
		uint32		len;

		if (count[x] < m->minc)
			continue;
		AimColumnIdText(&in->itemcol, &in->items, x, numbuf, &p, &len);
		if (p == numbuf)
		{
			if (numfree < len)
			{
				numfree = 64 * 1024;
				numtext = MemoryContextAlloc(m->cxt, numfree);
			}
			memcpy(numtext, p, len);
			p = numtext;
			numtext += len;
			numfree -= len;
		}
		fi[j].p = p;
		fi[j].len = len;
		fi[j].id = x;
		fi[j].count = count[x];
		j++;
	}
	Assert(j == m->nfreq);
	return fi;
}

/*
 * Rank the frequent items (count >= m->minc): sets m->nfreq, m->itemtext
 * and m->textpos, and returns the rank of each item id (PG_UINT32_MAX for
 * the infrequent ones), or NULL if no item is frequent.
 */
static uint32 *
RankItems(BasketInput *in, AimMiner *m, const uint32 *count)
{
	uint32		nitems = in->items.n;
	uint32		nfreq = 0;
	FrequentItem *fi;
	uint32	   *rank;

	for (uint32 x = 0; x < nitems; x++)
		if (count[x] >= m->minc)
			nfreq++;
	m->nfreq = nfreq;
	if (nfreq == 0)
		return NULL;
	fi = CollectFrequent(in, m, count);
	qsort(fi, nfreq, sizeof(FrequentItem), CmpText);
	for (uint32 j = 0; j < nfreq; j++)
		fi[j].textpos = j;

	/*
	 * itemtext[nfreq + textpos] is the text datum of the item at that
	 * position in text order; ranks map to text positions via textpos[].
	 */
	m->itemtext = MemoryContextAllocHuge(m->cxt, sizeof(Datum) * 2 * (Size) nfreq);
	for (uint32 j = 0; j < nfreq; j++)
	{
		MemoryContext old = MemoryContextSwitchTo(m->cxt);

		m->itemtext[nfreq + j] = PointerGetDatum(cstring_to_text_with_len(fi[j].p, fi[j].len));
		MemoryContextSwitchTo(old);
	}
	qsort(fi, nfreq, sizeof(FrequentItem), CmpRank);
	rank = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * Max(nitems, 1));
	memset(rank, 0xff, sizeof(uint32) * nitems);
	m->textpos = MemoryContextAllocHuge(m->cxt, sizeof(uint32) * nfreq);
	for (uint32 r = 0; r < nfreq; r++)
	{
		rank[fi[r].id] = r;
		m->textpos[r] = fi[r].textpos;
		m->itemtext[r] = m->itemtext[nfreq + fi[r].textpos];
	}
	pfree(fi);
	CHECK_FOR_INTERRUPTS();
	return rank;
}

/* the miner's scratch arrays, indexed by rank */
static void
AllocScratch(AimMiner *m)
{
	uint32		nfreq = m->nfreq;

	m->cnt = MemoryContextAllocHuge(m->cxt, sizeof(AimCount) * nfreq);
	m->slot = MemoryContextAllocHuge(m->cxt, sizeof(int32) * nfreq);
	/* one more: the miner stores into touched[nt] whether or not it is new */
	m->touched = MemoryContextAllocHuge(m->cxt, sizeof(int32) * (nfreq + 1));
	m->path = MemoryContextAllocHuge(m->cxt, sizeof(int32) * (nfreq + 1));
	memset(m->cnt, 0, sizeof(AimCount) * nfreq);
	memset(m->slot, 0xff, sizeof(int32) * nfreq);
}

/*
 * The transactions: each basket's frequent items as ascending ranks,
 * written over the item ids (which is why bitems lives in the miner's
 * context).  The counts of the root of the search are taken on the way,
 * while each basket is in cache.
 */
static void
BuildTransactions(AimMiner *m, uint32 nb, const uint32 *bstart,
				  uint32 *bitems, const uint32 *rank)
{
	uint32		ntrans = 0;
	uint64		w = 0;

	m->titems = (int32 *) bitems;
	m->trans = MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * (Size) nb);
	for (uint32 b = 0; b < nb; b++)
	{
		uint64		s = w;

		/* branch-free: infrequent items are written, then overwritten */
		for (uint32 p = bstart[b]; p < bstart[b + 1]; p++)
		{
			uint32		r = rank[bitems[p]];

			m->titems[w] = (int32) r;
			w += (r != PG_UINT32_MAX);
		}
		if (w == s)
			continue;
		AimSortInts(m->titems + s, (int) (w - s));
		for (uint64 q = s; q < w; q++)
		{
			AimCount   *c = &m->cnt[m->titems[q]];

			c->n++;
			c->n2 += (q > s);
			c->prefix += q - s;
		}
		m->trans[ntrans].start = (uint32) s;
		m->trans[ntrans].end = (uint32) w;
		ntrans++;
		if ((b & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
	m->ntrans = ntrans;
	m->ntitems = w;
}

/*
 * Turn the received rows into the miner's transactions: group the pairs
 * by basket, drop duplicate items, count, keep the frequent items as
 * ranks.
 */
static void
Prepare(BasketInput *in, AimMiner *m, double min_support)
{
	uint32		nb = in->nbaskets;
	uint32	   *bstart;
	uint32	   *bitems;
	uint32	   *count;
	uint32	   *rank;
	uint64		minc;

	m->n = nb;
	if (in->array_form)
	{
		bstart = in->bstart;
		bitems = in->bitems;
	}
	else
		GroupPairs(in, &bstart, &bitems);
	CHECK_FOR_INTERRUPTS();
	/* the array form dropped duplicates and counted as the rows arrived */
	if (in->array_form)
		count = ArrayCounts(in);
	else
		count = DedupeAndCount(in, bstart, bitems);
	if (nb == 0)
		return;

	minc = MinimumCount(nb, min_support);
	m->minc = (uint32) Min(minc, (uint64) PG_UINT32_MAX);
	if (minc > nb)
		return;					/* cannot happen for min_support <= 1 */

	rank = RankItems(in, m, count);
	if (rank == NULL)
		return;
	AllocScratch(m);
	BuildTransactions(m, nb, bstart, bitems, rank);
	pfree(rank);
}

/*
 * Run the baskets query sql of m->caller, and give the miner its
 * transactions, frequent items and minimum count for min_support.
 */
void
AimBasketLoad(AimMiner *m, const char *sql, double min_support)
{
	BasketInput in;
	AimQuery	q;
	MemoryContext old;

	memset(&in, 0, sizeof(in));
	in.cxt = AllocSetContextCreate(m->cxt, "basket input", ALLOCSET_DEFAULT_SIZES);
	in.keepcxt = m->cxt;
	in.q = &q;
	AimDictInit(&in.baskets, in.cxt, false, "baskets or items in baskets_sql");
	AimDictInit(&in.items, in.cxt, true, "baskets or items in baskets_sql");

	memset(&q, 0, sizeof(q));
	q.sql = sql;
	q.caller = m->caller;
	q.argname = "baskets_sql";
	q.hint = "Pass a SELECT that returns (basket_id, item) rows or one array of items per basket.";
	q.describe = DescribeBaskets;
	q.receiveSlot = ReceiveBasketSlot;
	q.arg = &in;
	AimQueryRun(&q);

	old = MemoryContextSwitchTo(m->cxt);
	Prepare(&in, m, min_support);
	MemoryContextSwitchTo(old);
	/* the input (dictionaries, baskets) is no longer needed */
	MemoryContextDelete(in.cxt);
}
