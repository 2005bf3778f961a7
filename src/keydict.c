/*-------------------------------------------------------------------------
 *
 * keydict.c
 *	  Key dictionaries (keydict.h): what runs once per new key.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "keydict.h"

/*
 * The direct-indexed array grows to cover a key only if it then has at
 * most AIM_DIRECT_SPARSITY entries per key seen so far (or
 * AIM_DIRECT_MIN entries): 12 bytes an entry.
 */
#define AIM_DIRECT_MIN		(1 << 16)
#define AIM_DIRECT_SPARSITY	16

/*
 * Set up an empty dictionary in cxt.  keep_keys: remember the key of each
 * id (AimDict.ikeys or .skeys).  what names the keys for the error raised
 * when there are too many: "too many distinct <what>".
 */
void
AimDictInit(AimDict *d, MemoryContext cxt, bool keep_keys, const char *what)
{
	memset(d, 0, sizeof(*d));
	d->hash_min = PG_INT64_MAX;
	d->cxt = cxt;
	d->keep_keys = keep_keys;
	d->what = what;
}

/* copy len bytes into the dictionary's arena */
static const char *
DictCopy(AimDict *d, const char *p, uint32 len)
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
DictGrowKeys(AimDict *d, bool strings)
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
DictCheckFull(AimDict *d)
{
	if ((uint64) d->n >= AIM_MAX_COUNT)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct %s", d->what),
				 errdetail("At most %u are supported.", (uint32) AIM_MAX_COUNT)));
}

/*
 * Make the direct-indexed array cover key (0 <= key < AIM_DIRECT_KEYS), if
 * it stays dense and covers no key already in the hash table; returns
 * whether it does.
 */
bool
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

/* give the new direct-indexed key (key < d->ndirect) its id */
void
AimDictNewDirect(AimDict *d, int64 key)
{
	DictCheckFull(d);
	DictGrowKeys(d, false);
	if (d->keep_keys)
		d->ikeys[d->n] = key;
	d->direct[key].id1 = d->n + 1;
	d->n++;
}

/* the id of a new integer key that was just entered in the hash table */
uint32
AimDictNewInt(AimDict *d, int64 key)
{
	/* the direct-indexed array must never grow over a hashed key */
	if (key >= 0 && key < d->hash_min)
		d->hash_min = key;
	DictCheckFull(d);
	DictGrowKeys(d, false);
	if (d->keep_keys)
		d->ikeys[d->n] = key;
	return d->n++;
}

/*
 * The id of a new string key that was just entered in the hash table:
 * its bytes are copied into the dictionary, and the entry pointed at them,
 * since the caller's bytes live only as long as the row they came from.
 */
uint32
AimDictNewBytes(AimDict *d, AimBytes *key)
{
	DictCheckFull(d);
	key->ptr = DictCopy(d, key->ptr, key->len);
	DictGrowKeys(d, true);
	if (d->keep_keys)
		d->skeys[d->n] = *key;
	return d->n++;
}
