/*-------------------------------------------------------------------------
 *
 * keydict.h
 *	  Key dictionaries: number the distinct values of a column 0, 1, 2, ...
 *	  in order of arrival.
 *
 * A key is either an int64 (the values of integer columns) or a string of
 * bytes (the text form of any other value).  Small non-negative integer
 * keys are looked up in a direct-indexed array, other keys in a hash table
 * (lib/simplehash.h), so that a lookup costs a few memory accesses.  The
 * lookups are inline functions here because they run once per input value;
 * what runs once per new key is in keydict.c.
 *
 * Used by the reader of SQL-text queries (sqlreader.h), which maps column
 * values to keys.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AIM_KEYDICT_H
#define AIM_KEYDICT_H

#include "common/hashfn.h"
#include "port/pg_bitutils.h"
#include "utils/memutils.h"

/*
 * Integer keys in [0, AIM_DIRECT_KEYS) are interned through the
 * direct-indexed array as long as it stays dense (see AimDictGrowDirect()).
 */
#define AIM_DIRECT_KEYS		(1 << 22)

/* the largest number of keys (and of input lines) we number with uint32 */
#define AIM_MAX_COUNT		((uint64) PG_UINT32_MAX - 1)

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

/*
 * The entry of a small integer key: its id + 1 (0: not seen yet), and two
 * counters that belong to the dictionary's user, who may keep per-key data
 * there so that one memory access serves both the lookup and the update
 * (the basket reader keeps an item's count and the last basket it was in).
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
	const char *what;			/* for "too many distinct %s" */
	uint32		n;				/* keys so far */
	bool		keep_keys;		/* remember id -> key */
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

extern void AimDictInit(AimDict *d, MemoryContext cxt, bool keep_keys,
						const char *what);
extern bool AimDictGrowDirect(AimDict *d, int64 key);
extern void AimDictNewDirect(AimDict *d, int64 key);
extern uint32 AimDictNewInt(AimDict *d, int64 key);
extern uint32 AimDictNewBytes(AimDict *d, AimBytes *key);

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
		e->id = AimDictNewInt(d, key);
	return e->id;
}

/*
 * The id of a string key, assigning the next one if it is new; the bytes
 * need to live only until the call returns.
 */
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
		e->id = AimDictNewBytes(d, &e->key);
	return e->id;
}

#endif							/* AIM_KEYDICT_H */
