/*-------------------------------------------------------------------------
 *
 * basket.c
 *	  Market-basket analysis: frequent_itemsets() and apriori_rules().
 *
 * Both functions take the baskets as the text of a query, which runs
 * through SPI read-only and with the caller's privileges, and return their
 * result in materialize mode through a tuplestore (which spills to disk
 * beyond work_mem).
 *
 * Input.  The query returns either two columns (basket id, item) of any
 * types, one row per basket line, in any order, or one array column, one
 * basket per row.  Items are compared by their text form (integers by
 * value, which is the same thing; text, varchar and char by their bytes;
 * every other type through its output function), and so are basket ids.
 * The rows are received one by one by a DestReceiver, without first
 * materialising the query's result: ids and items are interned in hash
 * tables (small non-negative integers in a direct-indexed array), so each
 * row costs a few memory accesses.
 *
 * Counting.  An itemset is frequent when its support, count / N as a
 * float8 (the value shown in the support column), is at least min_support;
 * N counts every basket, empty ones included.  Duplicate items in a basket
 * count once.
 *
 * Mining.  Depth-first search over projected databases with occurrence
 * delivery and database reduction, the scheme of LCM (T. Uno, M. Kiyomi,
 * H. Arimura, "LCM ver. 2: efficient mining algorithms for
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
 * Metrics are computed from the exact counts (leverage with a 128-bit
 * integer numerator), so they are correctly rounded or within an ulp or
 * two; mlxtend computes the same formulas from rounded supports.
 *
 * Read-only.  The query is prepared first and must be a single SELECT (or
 * VALUES or TABLE) that neither modifies data nor locks rows.  It is then
 * executed with SPI's read_only flag, with the backend's XactReadOnly set
 * (so any write by a function it calls fails exactly as in a READ ONLY
 * transaction), and with hooks that reject INSERT, UPDATE, DELETE, MERGE
 * (ExecutorStart) and COPY FROM (ProcessUtility) on any table, temporary
 * ones included, which a READ ONLY transaction would allow.  An object
 * access hook also refuses the functions that write large objects (which
 * PostgreSQL 15 allows in a READ ONLY transaction; 16 refuses them) and the
 * creation or removal of any database object.  The one write left is
 * nextval()/setval() on a temporary sequence, as in a READ ONLY
 * transaction.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "access/tupdesc.h"
#include "access/xact.h"
#include "catalog/objectaccess.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "port/pg_bitutils.h"
#include "tcop/cmdtag.h"
#include "tcop/dest.h"
#include "tcop/utility.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/tuplestore.h"

#include "aimarketing.h"

/*
 * Integer keys in [0, AIM_DIRECT_KEYS) are interned through a
 * direct-indexed array (12 bytes an entry) as long as it stays dense: it
 * grows to cover a key only if it then has at most AIM_DIRECT_SPARSITY
 * entries per key seen so far (or AIM_DIRECT_MIN entries).  Other keys go
 * through a hash table.
 */
#define AIM_DIRECT_KEYS		(1 << 22)
#define AIM_DIRECT_MIN		(1 << 16)
#define AIM_DIRECT_SPARSITY	16

/* the largest number of baskets and of basket lines we index with uint32 */
#define AIM_MAX_COUNT		((uint64) PG_UINT32_MAX - 1)

/* rules are generated from itemsets of at most this many items */
#define AIM_MAX_RULE_ITEMS	62

/* ---------------------------------------------------------------------
 * Interning of keys: basket ids and items
 * ---------------------------------------------------------------------
 */

/* a string key: bytes (not NUL-terminated) and length */
typedef struct AimBytes
{
	const char *ptr;
	uint32		len;
} AimBytes;

typedef struct AimIntEntry
{
	int64		key;
	uint32		id;
	char		status;
} AimIntEntry;

typedef struct AimStrEntry
{
	AimBytes	key;
	uint32		hash;
	uint32		id;
	char		status;
} AimStrEntry;

/* MurmurHash3's 64-bit finaliser (PostgreSQL 15 has only the 32-bit one) */
static inline uint32
AimHashInt64(uint64 k)
{
	k ^= k >> 33;
	k *= UINT64CONST(0xff51afd7ed558ccd);
	k ^= k >> 33;
	k *= UINT64CONST(0xc4ceb9fe1a85ec53);
	k ^= k >> 33;
	return (uint32) k;
}

#define SH_PREFIX		aim_ihash
#define SH_ELEMENT_TYPE	AimIntEntry
#define SH_KEY_TYPE		int64
#define SH_KEY			key
#define SH_HASH_KEY(tb, key)	AimHashInt64((uint64) (key))
#define SH_EQUAL(tb, a, b)		((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

static inline bool
AimBytesEqual(AimBytes a, AimBytes b)
{
	return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

#define SH_PREFIX		aim_shash
#define SH_ELEMENT_TYPE	AimStrEntry
#define SH_KEY_TYPE		AimBytes
#define SH_KEY			key
#define SH_HASH_KEY(tb, key)	hash_bytes((const unsigned char *) (key).ptr, (int) (key).len)
#define SH_EQUAL(tb, a, b)		AimBytesEqual(a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)		((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* how the values of a column (or of array elements) become keys */
typedef enum AimKeyKind
{
	AIM_KEY_INT,				/* int2, int4, int8: by value */
	AIM_KEY_TEXT,				/* text, varchar, bpchar: their bytes */
	AIM_KEY_OUTPUT				/* anything else: the output function */
} AimKeyKind;

/*
 * The entry of a small integer key: its id + 1 (0: not seen yet), and for
 * the array form the item's count and the last basket it was in, kept
 * here so that each item of a basket costs one memory access.
 */
typedef struct AimDirect
{
	uint32		id1;
	uint32		mark;
	uint32		count;
} AimDirect;

/* a dictionary that numbers distinct keys 0, 1, 2, ... in order of arrival */
typedef struct AimDict
{
	MemoryContext cxt;
	uint32		n;				/* keys so far */
	bool		keep_keys;		/* remember id -> key (items, not baskets) */
	/* integer keys */
	AimDirect  *direct;			/* by key, for small keys; or NULL */
	uint32		ndirect;		/* allocated length of direct */
	int64		hash_min;		/* smallest non-negative key in ih */
	aim_ihash_hash *ih;
	int64	   *ikeys;			/* id -> key, if keep_keys */
	/* string keys */
	aim_shash_hash *sh;
	AimBytes   *skeys;			/* id -> key, if keep_keys */
	uint32		keycap;			/* allocated length of ikeys/skeys */
	char	   *arena;			/* copies of string keys */
	Size		arena_free;
} AimDict;

static void
AimDictInit(AimDict *d, MemoryContext cxt, bool keep_keys)
{
	memset(d, 0, sizeof(*d));
	d->hash_min = PG_INT64_MAX;
	d->cxt = cxt;
	d->keep_keys = keep_keys;
}

/* copy len bytes into the dictionary's arena */
static const char *
AimDictCopy(AimDict *d, const char *p, uint32 len)
{
	char	   *r;

	if (len > d->arena_free)
	{
		Size		sz = Max((Size) 64 * 1024, (Size) len);

		d->arena = MemoryContextAllocHuge(d->cxt, sz);
		d->arena_free = sz;
	}
	r = d->arena;
	if (len > 0)
		memcpy(r, p, len);
	d->arena += len;
	d->arena_free -= len;
	return r;
}

/* room for one more id -> key entry */
static void
AimDictGrowKeys(AimDict *d, bool strings)
{
	if (!d->keep_keys || d->n < d->keycap)
		return;
	d->keycap = d->keycap == 0 ? 1024 : d->keycap * 2;
	if (strings)
		d->skeys = d->skeys == NULL ?
			MemoryContextAllocHuge(d->cxt, sizeof(AimBytes) * d->keycap) :
			repalloc_huge(d->skeys, sizeof(AimBytes) * d->keycap);
	else
		d->ikeys = d->ikeys == NULL ?
			MemoryContextAllocHuge(d->cxt, sizeof(int64) * d->keycap) :
			repalloc_huge(d->ikeys, sizeof(int64) * d->keycap);
}

static void
AimDictCheckFull(AimDict *d)
{
	if ((uint64) d->n >= AIM_MAX_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct baskets or items in baskets_sql"),
				 errdetail("At most %u are supported.", (uint32) AIM_MAX_COUNT)));
}

/*
 * Make the direct-indexed array cover key (0 <= key < AIM_DIRECT_KEYS), if
 * it stays dense and covers no key already in the hash table; returns
 * whether it does.
 */
static bool
AimDictGrowDirect(AimDict *d, int64 key)
{
	uint32		newlen = Max(d->ndirect, 1024);

	while (newlen <= (uint64) key)
		newlen *= 2;
	newlen = Min(newlen, AIM_DIRECT_KEYS);
	if ((newlen > AIM_DIRECT_MIN &&
		 newlen / AIM_DIRECT_SPARSITY > (uint64) d->n + 1) ||
		newlen > d->hash_min)
		return false;
	if (d->direct == NULL)
		d->direct = MemoryContextAllocZero(d->cxt, sizeof(AimDirect) * newlen);
	else
	{
		d->direct = repalloc(d->direct, sizeof(AimDirect) * newlen);
		memset(d->direct + d->ndirect, 0,
			   sizeof(AimDirect) * (newlen - d->ndirect));
	}
	d->ndirect = newlen;
	return true;
}

/* give the direct-indexed key its id */
static void
AimDictNewDirect(AimDict *d, int64 key)
{
	AimDictCheckFull(d);
	AimDictGrowKeys(d, false);
	if (d->keep_keys)
		d->ikeys[d->n] = key;
	d->direct[key].id1 = d->n + 1;
	d->n++;
}

/* the id of an integer key, assigning the next one if it is new */
static inline uint32
AimDictInt(AimDict *d, int64 key)
{
	AimIntEntry *e;
	bool		found;

	if ((uint64) key < d->ndirect ||
		(key >= 0 && key < AIM_DIRECT_KEYS && AimDictGrowDirect(d, key)))
	{
		if (unlikely(d->direct[key].id1 == 0))
			AimDictNewDirect(d, key);
		return d->direct[key].id1 - 1;
	}

	if (d->ih == NULL)
		d->ih = aim_ihash_create(d->cxt, 1024, NULL);
	e = aim_ihash_insert(d->ih, key, &found);
	if (!found)
	{
		/* the direct-indexed array must never grow over a hashed key */
		if (key >= 0 && key < d->hash_min)
			d->hash_min = key;
		AimDictCheckFull(d);
		AimDictGrowKeys(d, false);
		if (d->keep_keys)
			d->ikeys[d->n] = key;
		e->id = d->n++;
	}
	return e->id;
}

/* the id of a string key, assigning the next one if it is new */
static inline uint32
AimDictBytes(AimDict *d, const char *p, uint32 len)
{
	AimBytes	k;
	AimStrEntry *e;
	bool		found;

	if (d->sh == NULL)
		d->sh = aim_shash_create(d->cxt, 1024, NULL);
	k.ptr = p;
	k.len = len;
	e = aim_shash_insert(d->sh, k, &found);
	if (!found)
	{
		AimDictCheckFull(d);
		/* the entry must point at memory that outlives the row */
		e->key.ptr = AimDictCopy(d, p, len);
		AimDictGrowKeys(d, true);
		if (d->keep_keys)
			d->skeys[d->n] = e->key;
		e->id = d->n++;
	}
	return e->id;
}

/* ---------------------------------------------------------------------
 * Receiving the basket query's rows
 * ---------------------------------------------------------------------
 */

/* what we know about one input column */
typedef struct AimColumn
{
	Oid			typid;			/* base type of the column, or element type */
	AimKeyKind	kind;
	FmgrInfo	outfn;			/* for AIM_KEY_OUTPUT */
	int16		typlen;			/* element storage, for arrays */
	bool		typbyval;
	char		typalign;
} AimColumn;

/* array form: an item's count so far, and the last basket (number + 1) */
typedef struct AimSeen
{
	uint32		mark;
	uint32		count;
} AimSeen;

typedef struct AimInput
{
	MemoryContext cxt;			/* input data, freed after AimPrepare() */
	MemoryContext keepcxt;		/* the miner's context */
	MemoryContext rowcxt;		/* reset after rows that allocate */
	bool		array_form;		/* one array column, else (id, item) */
	const char *caller;			/* SQL name of the calling function */
	AimColumn	idcol;			/* two-column form: basket id */
	AimColumn	itemcol;		/* item, or array element */
	AimDict		baskets;		/* basket id -> basket number */
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
	AimSeen    *seen;
	uint32		itemcap;
	/* last basket id seen (two-column form), to skip repeated lookups */
	bool		have_last;
	int64		last_int;
	char	   *last_str;
	uint32		last_len;
	uint32		last_cap;
	uint32		last_basket;
} AimInput;

typedef struct AimReceiver
{
	DestReceiver pub;
	AimInput   *in;
} AimReceiver;

/* Set up how the values of a column of type typid are read. */
static void
AimColumnInit(AimColumn *c, Oid typid, MemoryContext cxt)
{
	Oid			base = getBaseType(typid);
	Oid			outfn;
	bool		isvarlena;

	c->typid = base;
	switch (base)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			c->kind = AIM_KEY_INT;
			break;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			c->kind = AIM_KEY_TEXT;
			break;
		default:
			c->kind = AIM_KEY_OUTPUT;
			getTypeOutputInfo(base, &outfn, &isvarlena);
			fmgr_info_cxt(outfn, &c->outfn, cxt);
			break;
	}
	get_typlenbyvalalign(base, &c->typlen, &c->typbyval, &c->typalign);
}

static inline int64
AimIntValue(Oid typid, Datum d)
{
	switch (typid)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		default:
			return DatumGetInt64(d);
	}
}

/*
 * The text form of a non-integer value as (pointer, length).  Text-like
 * values are read in place (detoasted if needed); others go through the
 * output function.  Returns true if memory in the row context was used.
 */
static inline bool
AimValueBytes(AimColumn *c, Datum d, const char **p, uint32 *len)
{
	if (c->kind == AIM_KEY_TEXT)
	{
		struct varlena *v = (struct varlena *) DatumGetPointer(d);
		struct varlena *dv = pg_detoast_datum_packed(v);

		*p = VARDATA_ANY(dv);
		*len = VARSIZE_ANY_EXHDR(dv);
		return dv != v;
	}
	else
	{
		char	   *s = OutputFunctionCall(&c->outfn, d);

		*p = s;
		*len = strlen(s);
		return true;
	}
}

/* the id of an item value */
static inline uint32
AimItemId(AimInput *in, Datum d, bool *used_rowcxt)
{
	AimColumn  *c = &in->itemcol;
	const char *p;
	uint32		len;

	if (c->kind == AIM_KEY_INT)
		return AimDictInt(&in->items, AimIntValue(c->typid, d));
	if (AimValueBytes(c, d, &p, &len))
		*used_rowcxt = true;
	return AimDictBytes(&in->items, p, len);
}

/* room for n more lines (pairs or array items) */
static void
AimReserveLines(AimInput *in, uint64 n)
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
		in->bitems = in->bitems == NULL ?
			MemoryContextAllocHuge(in->keepcxt, sizeof(uint32) * in->lines_cap) :
			repalloc_huge(in->bitems, sizeof(uint32) * in->lines_cap);
	}
	else
	{
		in->pair_basket = in->pair_basket == NULL ?
			MemoryContextAllocHuge(in->cxt, sizeof(uint32) * in->lines_cap) :
			repalloc_huge(in->pair_basket, sizeof(uint32) * in->lines_cap);
		in->pair_item = in->pair_item == NULL ?
			MemoryContextAllocHuge(in->cxt, sizeof(uint32) * in->lines_cap) :
			repalloc_huge(in->pair_item, sizeof(uint32) * in->lines_cap);
	}
}

/* array form: grow seen[] to hold item id x */
static void
AimGrowItemArrays(AimInput *in, uint32 x)
{
	uint32		cap = Max(in->itemcap, 1024);

	while (cap <= x)
		cap = cap > PG_UINT32_MAX / 2 ? PG_UINT32_MAX : cap * 2;
	in->seen = in->seen == NULL ?
		MemoryContextAllocHuge(in->cxt, sizeof(AimSeen) * cap) :
		repalloc_huge(in->seen, sizeof(AimSeen) * cap);
	memset(in->seen + in->itemcap, 0, sizeof(AimSeen) * (cap - in->itemcap));
	in->itemcap = cap;
}

/*
 * Array form: add item x to the current basket, unless it is already in
 * it; count it.  The caller has reserved room for the line.
 */
static inline void
AimArrayAddItem(AimInput *in, uint32 x)
{
	AimSeen    *e;

	if (unlikely(x >= in->itemcap))
		AimGrowItemArrays(in, x);
	e = &in->seen[x];
	if (e->mark != in->nbaskets)
	{
		e->mark = in->nbaskets;
		e->count++;
		in->bitems[in->nlines++] = x;
	}
}

/*
 * Array form: add the integer item key to the current basket (see
 * AimArrayAddItem); small keys keep their count in their direct entry.
 */
static inline void
AimArrayAddInt(AimInput *in, int64 key)
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
		AimArrayAddInt(in, key);
	else
		AimArrayAddItem(in, AimDictInt(d, key));
}

/* array form: start a new basket */
static void
AimNewArrayBasket(AimInput *in)
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
		in->bstart = in->bstart == NULL ?
			MemoryContextAllocHuge(in->cxt, sizeof(uint32) * in->bstart_cap) :
			repalloc_huge(in->bstart, sizeof(uint32) * in->bstart_cap);
	}
	if (in->nbaskets == 0)
		in->bstart[0] = 0;
	in->nbaskets++;
	in->bstart[in->nbaskets] = (uint32) in->nlines;
}

/*
 * Array form: one row is one basket.  NULL arrays and NULL elements add
 * no item, so they give an empty basket.
 */
static void
AimReceiveArray(AimInput *in, Datum d, bool isnull, bool *used_rowcxt)
{
	struct varlena *v;
	struct varlena *dv;
	const char *p;
	int32		ndim;
	int32		dataoffset;
	int32		nitems;
	const char *bitmap;
	const char *data;
	AimColumn  *c = &in->itemcol;

	AimNewArrayBasket(in);
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
	AimReserveLines(in, nitems);

	if (c->kind == AIM_KEY_INT && c->typlen == 4 && bitmap == NULL)
	{
		/*
		 * The common case, int[] without NULLs: AimArrayAddInt() by hand,
		 * with the hot fields in locals.
		 */
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
				AimArrayAddInt(in, x);
				direct = d->direct;
				ndirect = d->ndirect;
				out = in->bitems + in->nlines;
			}
		}
		in->nlines = out - in->bitems;
	}
	else if (c->kind == AIM_KEY_INT)
	{
		int			sz = c->typlen;

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
			AimArrayAddInt(in, key);
		}
	}
	else
	{
		/* general case: an aligned copy and deconstruct_array() */
		ArrayType  *a = DatumGetArrayTypeP(d);
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
			AimArrayAddItem(in, AimItemId(in, elems[i], used_rowcxt));
		}
	}
	in->bstart[in->nbaskets] = (uint32) in->nlines;
}

/* two-column form: the basket number of a basket id */
static inline uint32
AimBasketOf(AimInput *in, Datum d, bool *used_rowcxt)
{
	AimColumn  *c = &in->idcol;
	uint32		b;

	if (c->kind == AIM_KEY_INT)
	{
		int64		key = AimIntValue(c->typid, d);

		/* rows of a basket usually arrive together */
		if (in->have_last && in->last_int == key)
			return in->last_basket;
		b = AimDictInt(&in->baskets, key);
		in->last_int = key;
	}
	else
	{
		const char *p;
		uint32		len;

		if (AimValueBytes(c, d, &p, &len))
			*used_rowcxt = true;
		if (in->have_last && in->last_len == len &&
			memcmp(in->last_str, p, len) == 0)
			return in->last_basket;
		b = AimDictBytes(&in->baskets, p, len);
		if (len > in->last_cap)
		{
			in->last_cap = Max(len, 64);
			in->last_str = in->last_str == NULL ?
				MemoryContextAlloc(in->cxt, in->last_cap) :
				repalloc(in->last_str, in->last_cap);
		}
		memcpy(in->last_str, p, len);
		in->last_len = len;
	}
	in->have_last = true;
	in->last_basket = b;
	return b;
}

static bool
AimReceiveSlot(TupleTableSlot *slot, DestReceiver *self)
{
	AimInput   *in = ((AimReceiver *) self)->in;
	MemoryContext old = MemoryContextSwitchTo(in->rowcxt);
	bool		used_rowcxt = false;

	slot_getallattrs(slot);
	if (in->array_form)
		AimReceiveArray(in, slot->tts_values[0], slot->tts_isnull[0],
						&used_rowcxt);
	else
	{
		uint32		b;

		if (slot->tts_isnull[0])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("basket id must not be null"),
					 errdetail("The first column of baskets_sql's result is NULL in a row."),
					 errhint("Filter such rows out (WHERE basket_id IS NOT NULL), or give them a basket id with coalesce().")));
		b = AimBasketOf(in, slot->tts_values[0], &used_rowcxt);
		if (b >= in->nbaskets)
			in->nbaskets = b + 1;
		/* a NULL item adds no item, but its basket still counts */
		if (!slot->tts_isnull[1])
		{
			uint32		item = AimItemId(in, slot->tts_values[1], &used_rowcxt);

			AimReserveLines(in, 1);
			in->pair_basket[in->nlines] = b;
			in->pair_item[in->nlines] = item;
			in->nlines++;
		}
	}
	MemoryContextSwitchTo(old);
	if (used_rowcxt)
		MemoryContextReset(in->rowcxt);
	return true;
}

static void
AimReceiverStartup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
AimReceiverShutdown(DestReceiver *self)
{
}

static void
AimReceiverDestroy(DestReceiver *self)
{
}

/* ---------------------------------------------------------------------
 * Running the basket query read-only
 * ---------------------------------------------------------------------
 */

/* > 0 while a basket query runs: the hooks then reject writes */
static int	aim_basket_query_depth = 0;
static ExecutorStart_hook_type aim_prev_executor_start = NULL;
static ProcessUtility_hook_type aim_prev_process_utility = NULL;
static object_access_hook_type aim_prev_object_access = NULL;

/* the read-only error, with a detail saying what the query tried */
static void
AimReadOnlyError(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
			 errmsg("baskets_sql must be a read-only query"),
			 errdetail("%s", what),
			 errhint("Pass a SELECT that returns (basket_id, item) rows or one array of items per basket.")));
}

/*
 * While a basket query runs, refuse to start any executor that would
 * modify a table, including a temporary table (which XactReadOnly alone
 * would allow), whether the statement is the basket query itself or runs
 * inside a function it calls.
 */
static void
AimExecutorStart(QueryDesc *queryDesc, int eflags)
{
	if (aim_basket_query_depth > 0 &&
		!(eflags & EXEC_FLAG_EXPLAIN_ONLY) &&
		(queryDesc->operation != CMD_SELECT ||
		 queryDesc->plannedstmt->hasModifyingCTE))
	{
		char	   *detail = psprintf("A function it calls tried to execute %s.",
									  GetCommandTagName(CreateCommandTag((Node *) queryDesc->plannedstmt)));

		AimReadOnlyError(detail);
	}
	if (aim_prev_executor_start)
		aim_prev_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
}

/*
 * While a basket query runs, refuse COPY FROM, which XactReadOnly allows
 * into a temporary table (every other writing utility statement fails on
 * XactReadOnly, temporary tables or not).
 */
static void
AimProcessUtility(PlannedStmt *pstmt, const char *queryString,
				  bool readOnlyTree, ProcessUtilityContext context,
				  ParamListInfo params, QueryEnvironment *queryEnv,
				  DestReceiver *dest, QueryCompletion *qc)
{
	if (aim_basket_query_depth > 0 &&
		IsA(pstmt->utilityStmt, CopyStmt) &&
		((CopyStmt *) pstmt->utilityStmt)->is_from)
		AimReadOnlyError("A function it calls tried to execute COPY FROM.");
	if (aim_prev_process_utility)
		aim_prev_process_utility(pstmt, queryString, readOnlyTree, context,
								 params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
}

/* does the built-in function write large objects? */
static bool
AimWritesLargeObject(Oid fn)
{
	switch (fn)
	{
		case F_LO_CREAT:
		case F_LO_CREATE:
		case F_LO_FROM_BYTEA:
		case F_LO_IMPORT_TEXT:
		case F_LO_IMPORT_TEXT_OID:
		case F_LO_PUT:
		case F_LO_TRUNCATE:
		case F_LO_TRUNCATE64:
		case F_LO_UNLINK:
		case F_LOWRITE:
			return true;
		default:
			return false;
	}
}

/*
 * While a basket query runs, refuse the functions that write large objects
 * (PostgreSQL 15 allows them in a READ ONLY transaction), checked when an
 * expression calling them is set up, and the creation or removal of any
 * database object, whatever C code attempts it (a READ ONLY transaction
 * refuses the SQL commands that do so, not every function).  The check is
 * made when an expression is set up, so a PL/pgSQL simple expression that
 * already ran earlier in the same transaction (and so already wrote that
 * large object outside the basket query) is not checked again.
 */
static void
AimObjectAccess(ObjectAccessType access, Oid classId, Oid objectId,
				int subId, void *arg)
{
	if (aim_basket_query_depth > 0)
	{
		if (access == OAT_FUNCTION_EXECUTE && AimWritesLargeObject(objectId))
			AimReadOnlyError(psprintf("A function it calls tried to execute %s(), which writes large objects.",
									  get_func_name(objectId)));
		if (access == OAT_POST_CREATE || access == OAT_DROP)
			AimReadOnlyError("A function it calls tried to create or drop a database object.");
	}
	if (aim_prev_object_access)
		aim_prev_object_access(access, classId, objectId, subId, arg);
}

/* Install the executor, utility and object access hooks (from _PG_init). */
void
AimBasketInit(void)
{
	aim_prev_object_access = object_access_hook;
	object_access_hook = AimObjectAccess;
	aim_prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = AimExecutorStart;
	aim_prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = AimProcessUtility;
}

/* does the query, or any subquery of it, lock rows (FOR UPDATE/SHARE)? */
static bool
AimLocksRowsWalker(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
	{
		Query	   *q = (Query *) node;

		if (q->rowMarks != NIL)
			return true;
		return query_tree_walker(q, AimLocksRowsWalker, context, 0);
	}
	return expression_tree_walker(node, AimLocksRowsWalker, context);
}

/*
 * Check the prepared basket query: one read-only query returning either
 * (basket_id, item) or one array column.  Sets in->array_form and the
 * column readers.
 */
static void
AimCheckBasketPlan(SPIPlanPtr plan, AimInput *in)
{
	List	   *sources = SPI_plan_get_plan_sources(plan);
	CachedPlanSource *ps;
	ListCell   *lc;
	TupleDesc	desc;

	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("baskets_sql must contain exactly one query"),
				 errdetail("It contains %d statements.", list_length(sources))));
	ps = (CachedPlanSource *) linitial(sources);

	if (ps->commandTag != CMDTAG_SELECT)
		AimReadOnlyError(psprintf("It is a statement of type %s.",
								  GetCommandTagName(ps->commandTag)));
	foreach(lc, ps->query_list)
	{
		Query	   *q = lfirst_node(Query, lc);

		if (q->commandType != CMD_SELECT || q->utilityStmt != NULL)
			AimReadOnlyError(psprintf("It is a statement of type %s.",
									  GetCommandTagName(CreateCommandTag((Node *) q))));
		if (q->hasModifyingCTE)
			AimReadOnlyError("Its WITH clause contains a data-modifying statement.");
		if (AimLocksRowsWalker((Node *) q, NULL))
			AimReadOnlyError("It locks rows with FOR UPDATE or FOR SHARE.");
	}

	desc = ps->resultDesc;
	if (desc == NULL || (desc->natts != 1 && desc->natts != 2))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("baskets_sql must return two columns (basket_id, item) or one array column"),
				 errdetail("It returns %d columns.", desc ? desc->natts : 0)));
	if (desc->natts == 1)
	{
		Oid			typid = TupleDescAttr(desc, 0)->atttypid;
		Oid			elemtype = get_element_type(getBaseType(typid));

		if (!OidIsValid(elemtype))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("baskets_sql must return two columns (basket_id, item) or one array column"),
					 errdetail("It returns one column, of type %s.",
							   format_type_be(typid)),
					 errhint("Return the basket id and the item, or array_agg(item) grouped by basket.")));
		in->array_form = true;
		AimColumnInit(&in->itemcol, elemtype, in->cxt);
	}
	else
	{
		Oid			idtype = TupleDescAttr(desc, 0)->atttypid;
		Oid			itemtype = TupleDescAttr(desc, 1)->atttypid;

		if (OidIsValid(get_element_type(getBaseType(itemtype))))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the item column of baskets_sql must not be an array"),
					 errdetail("The second column is of type %s.",
							   format_type_be(itemtype)),
					 errhint("Return only the array column (one basket per row), or unnest() it into (basket_id, item) rows.")));
		in->array_form = false;
		AimColumnInit(&in->idcol, idtype, in->cxt);
		AimColumnInit(&in->itemcol, itemtype, in->cxt);
	}
}

/* error context: say that the query runs read-only, and for whom */
static void
AimBasketQueryContext(void *arg)
{
	errcontext("baskets_sql of %s(), which runs read-only", (const char *) arg);
}

/*
 * Run the basket query read-only with the caller's privileges and collect
 * its rows into in.
 */
static void
AimRunBasketQuery(const char *sql, AimInput *in)
{
	bool		save_read_only = XactReadOnly;
	AimReceiver recv;
	ErrorContextCallback errcb;

	memset(&recv, 0, sizeof(recv));
	recv.pub.receiveSlot = AimReceiveSlot;
	recv.pub.rStartup = AimReceiverStartup;
	recv.pub.rShutdown = AimReceiverShutdown;
	recv.pub.rDestroy = AimReceiverDestroy;
	recv.pub.mydest = DestNone;
	recv.in = in;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	errcb.callback = AimBasketQueryContext;
	errcb.arg = (void *) in->caller;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	PG_TRY();
	{
		SPIPrepareOptions popts;
		SPIExecuteOptions eopts;
		SPIPlanPtr	plan;
		int			rc;

		XactReadOnly = true;
		aim_basket_query_depth++;

		memset(&popts, 0, sizeof(popts));
		popts.parseMode = RAW_PARSE_DEFAULT;
		popts.cursorOptions = CURSOR_OPT_PARALLEL_OK;
		plan = SPI_prepare_extended(sql, &popts);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare_extended failed: %s",
				 SPI_result_code_string(SPI_result));
		AimCheckBasketPlan(plan, in);

		memset(&eopts, 0, sizeof(eopts));
		eopts.read_only = true;
		eopts.tcount = 0;
		eopts.dest = &recv.pub;
		rc = SPI_execute_plan_extended(plan, &eopts);
		if (rc < 0)
			elog(ERROR, "SPI_execute_plan_extended failed: %s",
				 SPI_result_code_string(rc));
	}
	PG_FINALLY();
	{
		XactReadOnly = save_read_only;
		aim_basket_query_depth--;
	}
	PG_END_TRY();

	error_context_stack = errcb.previous;
	SPI_finish();
}

/* ---------------------------------------------------------------------
 * Mining
 * ---------------------------------------------------------------------
 */

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
	uint64		nrules;
} AimMiner;

static int
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

/* a text[] of the items of the given ranks, sorted by their text */
static Datum
AimItemArray(AimMiner *m, const int32 *ranks, int n)
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

static void
AimCountItemset(AimMiner *m)
{
	if (m->nitemsets >= (uint64) aim_max_itemsets)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() found more than %d frequent itemsets",
						m->caller, aim_max_itemsets),
				 errhint("Raise min_support, set max_len, or raise aimarketing.max_itemsets.")));
	m->nitemsets++;
}

/* frequent_itemsets(): one output row */
static void
AimPutItemset(AimMiner *m, const int32 *ranks, int n, uint32 count)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MemoryContext old = MemoryContextSwitchTo(m->rowcxt);

	values[0] = AimItemArray(m, ranks, n);
	values[1] = Float8GetDatum((double) count / (double) m->n);
	values[2] = Int64GetDatum((int64) count);
	tuplestore_putvalues(m->tupstore, m->tupdesc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(m->rowcxt);
}

/* rules: append nodes to the prefix tree */
static uint64
AimAddNodes(AimMiner *m, uint64 parent, const int32 *ext, int n)
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
		if (m->node_item == NULL)
		{
			m->node_item = MemoryContextAllocHuge(m->cxt, sizeof(int32) * cap);
			m->node_count = MemoryContextAllocHuge(m->cxt, sizeof(uint32) * cap);
			m->node_first = MemoryContextAllocHuge(m->cxt, sizeof(uint32) * cap);
			m->node_nchild = MemoryContextAllocHuge(m->cxt, sizeof(uint32) * cap);
		}
		else
		{
			m->node_item = repalloc_huge(m->node_item, sizeof(int32) * cap);
			m->node_count = repalloc_huge(m->node_count, sizeof(uint32) * cap);
			m->node_first = repalloc_huge(m->node_first, sizeof(uint32) * cap);
			m->node_nchild = repalloc_huge(m->node_nchild, sizeof(uint32) * cap);
		}
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

/* where the next occurrence, and its copied prefix, of an extension go */
typedef struct AimSlot
{
	AimOcc	   *occ;
	int32	   *items;
} AimSlot;

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
AimMine(AimMiner *m, uint64 node, int depth, int32 *items,
		AimOcc *occ, uint64 nocc, uint64 len, bool own)
{
	AimCount   *cnt = m->cnt;
	int32	   *touched = m->touched;
	int			nt = 0;
	int			nf = 0;
	int32	   *ext;
	uint64		first = 0;
	uint64		total = 0;
	uint64		copy_total = 0;
	uint64		dropped = 0;
	uint64	   *off;
	uint64	   *plen;
	AimSlot    *slots;
	AimOcc	   *buf;
	int32	   *cbuf = NULL;
	int32	   *citems = NULL;	/* our own copy of the database, if any */
	AimOcc	   *cocc = NULL;
	bool		copy;

	check_stack_depth();
	CHECK_FOR_INTERRUPTS();

	if (!own && depth > 0 && len >= AIM_COPY_MIN_ITEMS)
	{
		uint64		w = 0;

		citems = MemoryContextAllocHuge(m->cxt, sizeof(int32) * len);
		cocc = MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * nocc);
		for (uint64 i = 0; i < nocc; i++)
		{
			uint32		n = occ[i].end - occ[i].start;

			cocc[i].start = (uint32) w;
			memcpy(citems + w, items + occ[i].start, sizeof(int32) * n);
			w += n;
			cocc[i].end = (uint32) w;
		}
		Assert(w == len);
		items = citems;
		occ = cocc;
		own = true;
	}

	/*
	 * Count every item in the prefixes: occurrences, those with a non-empty
	 * prefix (which can have extensions), and the length of those prefixes.
	 * For the whole database (the root) AimPrepare() has done it while
	 * building the baskets.
	 */
	if (depth == 0)
	{
		for (uint32 r = 0; r < m->nfreq; r++)
			touched[nt++] = (int32) r;
	}
	for (uint64 i0 = 0; i0 < nocc && depth > 0; i0 += AIM_CFI_EVERY)
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

	/* the frequent extensions, ascending by rank */
	ext = palloc(sizeof(int32) * Max(nt, 1));
	for (int t = 0; t < nt; t++)
	{
		int32		x = touched[t];

		if (cnt[x].n >= m->minc)
			ext[nf++] = x;
		else
		{
			dropped += cnt[x].n;
			memset(&cnt[x], 0, sizeof(AimCount));
		}
	}
	AimSortInts(ext, nf);
	/* at the root every frequent item is an extension: ranks 0..nfreq-1 */
	Assert(node != PG_UINT64_MAX || (uint32) nf == m->nfreq);

	/* emit them */
	for (int k = 0; k < nf; k++)
		AimCountItemset(m);
	if (m->rules)
		first = AimAddNodes(m, node, ext, nf);
	else
	{
		for (int k = 0; k < nf; k++)
		{
			m->path[depth] = ext[k];
			AimPutItemset(m, m->path, depth + 1, cnt[ext[k]].n);
		}
	}

	if (nf < 2 || (m->max_len != 0 && depth + 1 >= m->max_len))
	{
		/* no extension can have a frequent extension */
		for (int k = 0; k < nf; k++)
			memset(&cnt[ext[k]], 0, sizeof(AimCount));
		pfree(ext);
		if (citems)
		{
			pfree(citems);
			pfree(cocc);
		}
		return;
	}

	/*
	 * Database reduction: drop the infrequent items, which can be in no
	 * frequent extension of this itemset's extensions either, and the
	 * baskets left with fewer than two items, so that the searches below
	 * do not scan them again and again.  In place if the database is ours,
	 * else into a new copy.  Frequent items are those whose count is still
	 * set.
	 */
	if (dropped > 0 && (own || dropped > len / 8))
	{
		uint64		w = 0;
		uint64		n = 0;
		int32	   *fitems = items;
		AimOcc	   *focc = occ;

		if (!own)
		{
			citems = fitems = MemoryContextAllocHuge(m->cxt, sizeof(int32) * (len - dropped));
			cocc = focc = MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * nocc);
		}
		for (int k = 0; k < nf; k++)
		{
			cnt[ext[k]].n2 = 0;
			cnt[ext[k]].prefix = 0;
		}
		for (uint64 i = 0; i < nocc; i++)
		{
			uint64		s2 = w;
			uint32		e = occ[i].end;

			if ((i % AIM_CFI_EVERY) == AIM_CFI_EVERY - 1)
				CHECK_FOR_INTERRUPTS();
			/* branch-free: every item is written, only frequent ones kept */
			for (uint32 p = occ[i].start; p < e; p++)
			{
				int32		x = items[p];
				AimCount   *c = &cnt[x];
				uint32		keep = (c->n != 0);

				c->n2 += keep & (w > s2);
				c->prefix += keep * (w - s2);
				fitems[w] = x;
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
		items = fitems;
		occ = focc;
		nocc = n;
		len = w;
	}

	/*
	 * Deliver the databases of the extensions that may have frequent
	 * extensions (those with at least minc non-empty prefixes): copies of
	 * the prefixes if they are not too big, else slices.
	 */
	off = palloc(sizeof(uint64) * (nf + 1));
	plen = palloc(sizeof(uint64) * nf);
	for (int k = 0; k < nf; k++)
	{
		int32		x = ext[k];

		off[k] = total;
		plen[k] = 0;
		if (cnt[x].n2 >= m->minc)
		{
			m->slot[x] = k;
			total += cnt[x].n2;
			plen[k] = cnt[x].prefix;
			copy_total += cnt[x].prefix;
		}
		memset(&cnt[x], 0, sizeof(AimCount));
	}
	off[nf] = total;
	copy = copy_total <= AIM_COPY_FACTOR * len + AIM_COPY_SLACK;

	buf = total > 0 ? MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * total) : NULL;
	if (copy && copy_total > 0)
		cbuf = MemoryContextAllocHuge(m->cxt, sizeof(int32) * copy_total);
	slots = palloc(sizeof(AimSlot) * Max(nf, 1));
	{
		uint64		c = 0;

		for (int k = 0; k < nf; k++)
		{
			slots[k].occ = buf + off[k];
			slots[k].items = cbuf + c;
			if (copy)
				c += plen[k];
		}
	}
	for (uint64 i0 = 0; i0 < nocc && total > 0; i0 += AIM_CFI_EVERY)
	{
		uint64		iend = Min(nocc, i0 + AIM_CFI_EVERY);

		CHECK_FOR_INTERRUPTS();
		for (uint64 i = i0; i < iend; i++)
		{
			uint32		s = occ[i].start;
			uint32		e = occ[i].end;

			for (uint32 p = s + 1; p < e; p++)
			{
				int32		k = m->slot[items[p]];

				if (k >= 0)
				{
					AimSlot    *sl = &slots[k];
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
	for (int k = 0; k < nf; k++)
		m->slot[ext[k]] = -1;
	pfree(slots);
	/* the databases are delivered: free ours before going deeper */
	if (copy && citems)
	{
		pfree(citems);
		pfree(cocc);
		citems = NULL;
	}

	/* recurse */
	for (int k = 0; k < nf; k++)
	{
		uint64		n = off[k + 1] - off[k];

		if (n == 0)
			continue;
		m->path[depth] = ext[k];
		AimMine(m, m->rules ? first + k : 0, depth + 1, copy ? cbuf : items,
				buf + off[k], n, plen[k], copy);
	}
	if (buf)
		pfree(buf);
	if (cbuf)
		pfree(cbuf);
	if (citems)
	{
		pfree(citems);
		pfree(cocc);
	}
	pfree(plen);
	pfree(off);
	pfree(ext);
}

/* ---------------------------------------------------------------------
 * Rules
 * ---------------------------------------------------------------------
 */

/* the count of a frequent itemset given by its ranks in descending order */
static uint32
AimLookup(AimMiner *m, const int32 *ranks, int n)
{
	uint64		node = (uint64) ranks[0];	/* the root's children are 0..nfreq-1 */

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

/* the ranks of path[] at the bits set (want = true) or clear in mask */
static int
AimMaskRanks(const int32 *path, int k, uint64 mask, bool want, int32 *out)
{
	int			n = 0;

	for (int b = 0; b < k; b++)
		if (((mask >> b) & 1) == (uint64) want)
			out[n++] = path[b];
	return n;
}

static int
AimCmpUint64(const void *a, const void *b)
{
	uint64		x = *(const uint64 *) a;
	uint64		y = *(const uint64 *) b;

	return (x > y) - (x < y);
}

static bool
AimMaskIn(const uint64 *set, int n, uint64 mask)
{
	int			lo = 0,
				hi = n;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (set[mid] == mask)
			return true;
		if (set[mid] < mask)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* one rule A -> C as an output row */
static void
AimPutRule(AimMiner *m, const int32 *path, int k, uint64 cmask,
		   uint32 cI, uint32 cA, uint32 cC)
{
	int32		ante[AIM_MAX_RULE_ITEMS];
	int32		cons[AIM_MAX_RULE_ITEMS];
	int			na = AimMaskRanks(path, k, cmask, false, ante);
	int			nc = AimMaskRanks(path, k, cmask, true, cons);
	double		n = (double) m->n;
	double		conf = (double) cI / (double) cA;
	int128		levnum;
	Datum		values[9];
	bool		nulls[9] = {false};
	MemoryContext old;

	if (m->nrules >= (uint64) aim_max_rules)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() found more than %d rules", m->caller, aim_max_rules),
				 errhint("Raise min_support or min_confidence, set max_len, or raise aimarketing.max_rules.")));
	m->nrules++;

	old = MemoryContextSwitchTo(m->rowcxt);
	values[0] = AimItemArray(m, ante, na);
	values[1] = AimItemArray(m, cons, nc);
	values[2] = Float8GetDatum((double) cA / n);
	values[3] = Float8GetDatum((double) cC / n);
	values[4] = Float8GetDatum((double) cI / n);
	values[5] = Float8GetDatum(conf);
	/* lift = conf / sC = cI N / (cA cC) */
	values[6] = Float8GetDatum(((double) cI * n) / ((double) cA * (double) cC));
	/* leverage = sAC - sA sC = (cI N - cA cC) / N^2, numerator exact */
	levnum = (int128) cI * (int128) m->n - (int128) cA * (int128) cC;
	values[7] = Float8GetDatum((double) levnum / (n * n));
	/* conviction = (1 - sC) / (1 - conf) = (N - cC) cA / (N (cA - cI)) */
	if (cA == cI)
		values[8] = Float8GetDatum(get_float8_infinity());
	else
		values[8] = Float8GetDatum(((double) (m->n - cC) * (double) cA) /
								   (n * (double) (cA - cI)));
	tuplestore_putvalues(m->tupstore, m->tupdesc, values, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(m->rowcxt);
}

/*
 * All rules A -> I \ A of the itemset I = path[0 .. k) with count cI.
 * Consequents are bit masks over path positions, generated level-wise:
 * a consequent of m + 1 items is tried only if every one of its m-item
 * subsets gave a rule (otherwise its confidence is below the threshold).
 */
static void
AimRulesForItemset(AimMiner *m, const int32 *path, int k, uint32 cI)
{
	uint64	   *cur;
	uint64	   *next;
	int			ncur = 0;
	int			cap = 64;
	int32		tmp[AIM_MAX_RULE_ITEMS];

	if (k > AIM_MAX_RULE_ITEMS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s() cannot generate rules from an itemset of %d items",
						m->caller, k),
				 errdetail("At most %d items are supported.", AIM_MAX_RULE_ITEMS),
				 errhint("Set max_len.")));

	cur = palloc(sizeof(uint64) * cap);

	/* one-item consequents */
	for (int b = 0; b < k; b++)
	{
		uint64		c = (uint64) 1 << b;
		int			na = AimMaskRanks(path, k, c, false, tmp);
		uint32		cA = AimLookup(m, tmp, na);

		if ((double) cI / (double) cA >= m->min_confidence)
		{
			AimPutRule(m, path, k, c, cI, cA, m->node_count[path[b]]);
			if (ncur == cap)
			{
				cap *= 2;
				cur = repalloc_huge(cur, sizeof(uint64) * cap);
			}
			cur[ncur++] = c;
		}
	}

	/* larger consequents, while the antecedent stays non-empty */
	for (int size = 2; size < k && ncur > 0; size++)
	{
		int			nnext = 0;
		int			ncap = 64;

		CHECK_FOR_INTERRUPTS();
		next = palloc(sizeof(uint64) * ncap);
		/* cur is sorted, so membership tests can use binary search */
		for (int i = 0; i < ncur; i++)
		{
			uint64		h = cur[i];
			int			top = pg_leftmost_one_pos64(h);

			for (int b = top + 1; b < k; b++)
			{
				uint64		c = h | ((uint64) 1 << b);
				bool		ok = true;
				uint64		rest;

				/* every subset c minus one bit must have given a rule */
				rest = h;
				while (rest != 0 && ok)
				{
					uint64		bit = rest & (~rest + 1);

					ok = AimMaskIn(cur, ncur, c & ~bit);
					rest &= rest - 1;
				}
				if (!ok)
					continue;
				{
					int			na = AimMaskRanks(path, k, c, false, tmp);
					uint32		cA = AimLookup(m, tmp, na);

					if ((double) cI / (double) cA >= m->min_confidence)
					{
						int			nc = AimMaskRanks(path, k, c, true, tmp);
						uint32		cC = AimLookup(m, tmp, nc);

						AimPutRule(m, path, k, c, cI, cA, cC);
						if (nnext == ncap)
						{
							ncap *= 2;
							next = repalloc_huge(next, sizeof(uint64) * ncap);
						}
						next[nnext++] = c;
					}
				}
			}
		}
		pfree(cur);
		qsort(next, nnext, sizeof(uint64), AimCmpUint64);
		cur = next;
		ncur = nnext;
	}
	pfree(cur);
}

/* walk the prefix tree below node, generating the rules of every itemset */
static void
AimRulesWalk(AimMiner *m, uint64 first, uint32 nchild, int depth)
{
	check_stack_depth();
	for (uint32 c = 0; c < nchild; c++)
	{
		uint64		node = first + c;

		CHECK_FOR_INTERRUPTS();
		m->path[depth] = m->node_item[node];
		if (depth + 1 >= 2)
			AimRulesForItemset(m, m->path, depth + 1, m->node_count[node]);
		if (m->node_nchild[node] > 0)
			AimRulesWalk(m, m->node_first[node], m->node_nchild[node], depth + 1);
	}
}

/* ---------------------------------------------------------------------
 * From collected rows to ranked baskets
 * ---------------------------------------------------------------------
 */

/* the text of item id as (pointer, length); ints are formatted into buf */
static void
AimItemText(AimInput *in, uint32 id, char *buf, const char **p, uint32 *len)
{
	if (in->itemcol.kind == AIM_KEY_INT)
	{
		*len = pg_lltoa(in->items.ikeys[id], buf);
		*p = buf;
	}
	else
	{
		*p = in->items.skeys[id].ptr;
		*len = in->items.skeys[id].len;
	}
}

typedef struct AimTextSort
{
	const char *p;
	uint32		len;
	uint32		id;
	uint32		count;
	uint32		textpos;
} AimTextSort;

/* byte order, a prefix first: the order of COLLATE "C" */
static int
AimCmpText(const void *a, const void *b)
{
	const AimTextSort *x = a;
	const AimTextSort *y = b;
	int			r = memcmp(x->p, y->p, Min(x->len, y->len));

	if (r != 0)
		return r;
	return (x->len > y->len) - (x->len < y->len);
}

/* more frequent first; ties in text order */
static int
AimCmpRank(const void *a, const void *b)
{
	const AimTextSort *x = a;
	const AimTextSort *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->textpos > y->textpos) - (x->textpos < y->textpos);
}

/*
 * Turn the collected rows into the miner's transactions: group the pairs
 * by basket, drop duplicate items, count, keep the frequent items as ranks.
 */
static void
AimPrepare(AimInput *in, AimMiner *m, double min_support)
{
	uint32		nb = in->nbaskets;
	uint32		nitems = in->items.n;
	uint32	   *bstart = NULL;
	uint32	   *bitems = NULL;
	uint32	   *count = NULL;
	uint32	   *rank;
	uint64		minc;
	uint64		w;
	AimTextSort *ts;
	uint32		nfreq = 0;
	char		numbuf[MAXINT8LEN + 1];
	uint32		ntrans = 0;

	m->n = nb;

	/* group the two-column form's pairs by basket (counting sort) */
	if (!in->array_form)
	{
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
		bitems = MemoryContextAllocHuge(m->cxt, sizeof(uint32) * Max(in->nlines, 1));
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
	}
	CHECK_FOR_INTERRUPTS();

	if (in->array_form)
	{
		/* duplicates were dropped and items counted as rows arrived */
		bstart = in->bstart;
		bitems = in->bitems;
		count = MemoryContextAllocExtended(in->cxt, sizeof(uint32) * Max(nitems, 1),
										   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		for (uint32 x = 0; x < nitems && x < in->itemcap; x++)
			count[x] = in->seen[x].count;
		/* small integer items keep their counts in the dictionary */
		for (uint32 k = 0; k < in->items.ndirect; k++)
			if (in->items.direct[k].id1 != 0)
				count[in->items.direct[k].id1 - 1] += in->items.direct[k].count;
	}
	else
	{
		/* drop duplicate items within baskets (compacting in place); count */
		uint32	   *mark;

		count = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * Max(nitems, 1));
		mark = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * Max(nitems, 1));
		memset(count, 0, sizeof(uint32) * nitems);
		memset(mark, 0, sizeof(uint32) * nitems);
		w = 0;
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
	}

	if (nb == 0)
		return;

	/*
	 * The minimum count: the smallest c with (double) c / N >= min_support,
	 * so that "frequent" means exactly "support column >= min_support".
	 */
	minc = (uint64) ceil(min_support * (double) nb);
	minc = Max(minc, 1);
	while (minc > 1 && (double) (minc - 1) / (double) nb >= min_support)
		minc--;
	while ((double) minc / (double) nb < min_support)
		minc++;
	m->minc = (uint32) Min(minc, (uint64) PG_UINT32_MAX);
	if (minc > nb)
		return;					/* cannot happen for min_support <= 1 */

	/* the frequent items, in text order then by rank */
	for (uint32 x = 0; x < nitems; x++)
		if (count[x] >= m->minc)
			nfreq++;
	m->nfreq = nfreq;
	if (nfreq == 0)
		return;
	ts = MemoryContextAllocHuge(m->cxt, sizeof(AimTextSort) * nfreq);
	{
		char	   *numtext = NULL;
		Size		numfree = 0;
		uint32		j = 0;

		for (uint32 x = 0; x < nitems; x++)
		{
			const char *p;
			uint32		len;

			if (count[x] < m->minc)
				continue;
			AimItemText(in, x, numbuf, &p, &len);
			if (p == numbuf)
			{
				/* keep formatted integers */
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
			ts[j].p = p;
			ts[j].len = len;
			ts[j].id = x;
			ts[j].count = count[x];
			j++;
		}
	}
	qsort(ts, nfreq, sizeof(AimTextSort), AimCmpText);
	for (uint32 j = 0; j < nfreq; j++)
		ts[j].textpos = j;

	/*
	 * itemtext[nfreq + textpos] is the text datum of the item at that
	 * position in text order; ranks map to text positions via textpos[].
	 */
	m->itemtext = MemoryContextAllocHuge(m->cxt, sizeof(Datum) * 2 * (Size) nfreq);
	for (uint32 j = 0; j < nfreq; j++)
	{
		MemoryContext old = MemoryContextSwitchTo(m->cxt);

		m->itemtext[nfreq + j] = PointerGetDatum(cstring_to_text_with_len(ts[j].p, ts[j].len));
		MemoryContextSwitchTo(old);
	}
	qsort(ts, nfreq, sizeof(AimTextSort), AimCmpRank);
	rank = MemoryContextAllocHuge(in->cxt, sizeof(uint32) * Max(nitems, 1));
	memset(rank, 0xff, sizeof(uint32) * nitems);
	m->textpos = MemoryContextAllocHuge(m->cxt, sizeof(uint32) * nfreq);
	for (uint32 r = 0; r < nfreq; r++)
	{
		rank[ts[r].id] = r;
		m->textpos[r] = ts[r].textpos;
		m->itemtext[r] = m->itemtext[nfreq + ts[r].textpos];
	}
	pfree(ts);
	CHECK_FOR_INTERRUPTS();

	/* scratch arrays */
	m->cnt = MemoryContextAllocHuge(m->cxt, sizeof(AimCount) * nfreq);
	m->slot = MemoryContextAllocHuge(m->cxt, sizeof(int32) * nfreq);
	/* one more: AimMine() stores into touched[nt] whether or not it is new */
	m->touched = MemoryContextAllocHuge(m->cxt, sizeof(int32) * (nfreq + 1));
	m->path = MemoryContextAllocHuge(m->cxt, sizeof(int32) * (nfreq + 1));
	memset(m->cnt, 0, sizeof(AimCount) * nfreq);
	memset(m->slot, 0xff, sizeof(int32) * nfreq);

	/*
	 * The transactions: frequent items as ascending ranks, written over the
	 * item ids (which is why bitems lives in the miner's context).  The
	 * counts of the root of the search are taken on the way, while each
	 * basket is in cache.
	 */
	m->titems = (int32 *) bitems;
	m->trans = MemoryContextAllocHuge(m->cxt, sizeof(AimOcc) * (Size) nb);
	w = 0;
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
	pfree(rank);
}

/* ---------------------------------------------------------------------
 * SQL-callable functions
 * ---------------------------------------------------------------------
 */

/* check the arguments common to both functions */
static void
AimBasketArgs(FunctionCallInfo fcinfo, const char *caller, int max_len_arg,
			  char **sql, double *min_support, int *max_len)
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

/* collect the baskets and rank the frequent items */
static void
AimBasketSetup(FunctionCallInfo fcinfo, const char *caller, const char *sql,
			   double min_support, int max_len, bool rules,
			   MemoryContext cxt, AimInput *in, AimMiner *m)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;

	memset(in, 0, sizeof(*in));
	memset(m, 0, sizeof(*m));
	in->cxt = AllocSetContextCreate(cxt, "basket input", ALLOCSET_DEFAULT_SIZES);
	in->rowcxt = AllocSetContextCreate(cxt, "basket row", ALLOCSET_SMALL_SIZES);
	in->caller = caller;
	in->keepcxt = cxt;
	AimDictInit(&in->baskets, in->cxt, false);
	AimDictInit(&in->items, in->cxt, true);

	m->cxt = cxt;
	m->rowcxt = AllocSetContextCreate(cxt, "basket output row", ALLOCSET_DEFAULT_SIZES);
	m->caller = caller;
	m->rules = rules;
	m->max_len = max_len;
	m->tupstore = rsinfo->setResult;
	m->tupdesc = rsinfo->setDesc;

	AimRunBasketQuery(sql, in);

	old = MemoryContextSwitchTo(cxt);
	AimPrepare(in, m, min_support);
	MemoryContextSwitchTo(old);
	/* the input (dictionaries, baskets) is no longer needed */
	MemoryContextDelete(in->cxt);
	in->cxt = NULL;
	MemoryContextDelete(in->rowcxt);
}

/* mine all frequent itemsets (the root: the whole transaction database) */
static void
AimMineAll(AimMiner *m)
{
	MemoryContext old = MemoryContextSwitchTo(m->cxt);

	if (m->nfreq > 0)
		AimMine(m, PG_UINT64_MAX, 0, m->titems, m->trans, m->ntrans,
				m->ntitems, false);
	MemoryContextSwitchTo(old);
}

/*
 * frequent_itemsets(baskets_sql text, min_support float8,
 *					 max_len int DEFAULT NULL)
 *	 RETURNS TABLE (itemset text[], support float8, count bigint)
 */
PG_FUNCTION_INFO_V1(aim_frequent_itemsets);
Datum
aim_frequent_itemsets(PG_FUNCTION_ARGS)
{
	char	   *sql;
	double		min_support;
	int			max_len;
	MemoryContext cxt;
	AimInput	in;
	AimMiner	m;

	AimBasketArgs(fcinfo, "frequent_itemsets", 2, &sql, &min_support, &max_len);
	InitMaterializedSRF(fcinfo, 0);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "frequent_itemsets",
								ALLOCSET_DEFAULT_SIZES);
	AimBasketSetup(fcinfo, "frequent_itemsets", sql, min_support, max_len,
				   false, cxt, &in, &m);
	AimMineAll(&m);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/*
 * apriori_rules(baskets_sql text, min_support float8,
 *				 min_confidence float8 DEFAULT 0.5, max_len int DEFAULT NULL)
 *	 RETURNS TABLE (antecedent text[], consequent text[],
 *					antecedent_support float8, consequent_support float8,
 *					support float8, confidence float8, lift float8,
 *					leverage float8, conviction float8)
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
	AimInput	in;
	AimMiner	m;

	AimBasketArgs(fcinfo, "apriori_rules", 3, &sql, &min_support, &max_len);
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
	InitMaterializedSRF(fcinfo, 0);

	cxt = AllocSetContextCreate(CurrentMemoryContext, "apriori_rules",
								ALLOCSET_DEFAULT_SIZES);
	AimBasketSetup(fcinfo, "apriori_rules", sql, min_support, max_len,
				   true, cxt, &in, &m);
	m.min_confidence = min_confidence;
	AimMineAll(&m);
	if (m.nnodes > 0)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		AimRulesWalk(&m, 0, m.nfreq, 0);
		MemoryContextSwitchTo(old);
	}
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
