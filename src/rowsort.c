/*-------------------------------------------------------------------------
 *
 * rowsort.c
 *	  Sorting helpers shared by the in-memory aggregates: huge allocations,
 *	  an LSD radix sort of 64-bit keys, and the canonical order of a set of
 *	  fixed-width float8 rows.
 *
 * The canonical order is what makes kmeans and logistic_fit deterministic:
 * rows are sorted by a hash of their values (ties by the values), so the
 * same multiset of rows gives the same sequence, and hence bit-for-bit the
 * same floating-point sums, whatever order the scan or the parallel workers
 * delivered them in.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "aimarketing.h"

/* Allocate n elements of size sz in the current context, huge if needed. */
void *
AimHugeAlloc(int64 n, Size sz)
{
	if (n < 0 || (n > 0 && (uint64) n > MaxAllocHugeSize / sz))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows to hold in memory: " INT64_FORMAT, n)));
	return MemoryContextAllocHuge(CurrentMemoryContext, Max(n, 1) * sz);
}

/*
 * LSD radix sort of keys by the low nbits bits of key, 11 bits per pass
 * (2048 buckets stay in cache); stable, so keys equal in those bits keep
 * their input order.
 */
void
AimRadixSort(AimSortKey *keys, int64 n, int nbits)
{
	AimSortKey *tmp = AimHugeAlloc(n, sizeof(AimSortKey));
	AimSortKey *src = keys,
			   *dst = tmp;
	int64	   *count = palloc(2048 * sizeof(int64));

	for (int shift = 0; shift < nbits; shift += 11)
	{
		int64		sum = 0;
		uint64		mask = (nbits - shift >= 11) ? 0x7FF : ((UINT64CONST(1) << (nbits - shift)) - 1);

		memset(count, 0, 2048 * sizeof(int64));
		for (int64 i = 0; i < n; i++)
			count[(src[i].key >> shift) & mask]++;
		/* a pass where every key has the same digit changes nothing */
		if (n > 0 && count[(src[0].key >> shift) & mask] == n)
			continue;
		for (int b = 0; b < 2048; b++)
		{
			int64		c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (int64 i = 0; i < n; i++)
			dst[count[(src[i].key >> shift) & mask]++] = src[i];
		{
			AimSortKey *t = src;

			src = dst;
			dst = t;
		}
		CHECK_FOR_INTERRUPTS();
	}
	if (src != keys)
		memcpy(keys, src, n * sizeof(AimSortKey));
	pfree(tmp);
	pfree(count);
}

/* Lexicographic comparison of two rows. */
static inline int
RowCmp(const float8 *a, const float8 *b, int w)
{
	for (int i = 0; i < w; i++)
	{
		if (a[i] < b[i])
			return -1;
		if (a[i] > b[i])
			return 1;
	}
	return 0;
}

/*
 * A copy of the n rows of w values in canonical order: by hash, and by
 * values among equal hashes (equal rows are then adjacent); -0.0 becomes
 * 0.0.  hashes, if not NULL, holds AimRowHash() of each row, computed by
 * the caller while the row was in cache.  *ndistinct receives the number
 * of distinct rows.
 */
float8 *
AimCanonicalRows(const float8 *rows, const uint64 *hashes, int64 n, int w,
				 int64 *ndistinct)
{
	AimSortKey *keys = AimHugeAlloc(n, sizeof(AimSortKey));
	float8	   *out = AimHugeAlloc(n * w, sizeof(float8));
	int64		distinct = 0;

	for (int64 i = 0; i < n; i++)
	{
		keys[i].key = hashes ? hashes[i] : AimRowHash(rows + (size_t) i * w, w);
		keys[i].idx = i;
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	/*
	 * Sorting on 33 bits of the hash gives few ties among a billion rows;
	 * runs of equal low bits are then ordered by the whole hash and by the
	 * values (insertion sort: the runs are tiny), which fixes the order.
	 */
	AimRadixSort(keys, n, 33);
	for (int64 i = 1; i < n; i++)
	{
		AimSortKey	key = keys[i];
		int64		j = i - 1;
		const uint64 lowmask = (UINT64CONST(1) << 33) - 1;

		if ((keys[j].key & lowmask) != (key.key & lowmask))
			continue;
		while (j >= 0 && (keys[j].key & lowmask) == (key.key & lowmask) &&
			   (keys[j].key > key.key ||
				(keys[j].key == key.key &&
				 RowCmp(rows + (size_t) keys[j].idx * w,
						rows + (size_t) key.idx * w, w) > 0)))
		{
			keys[j + 1] = keys[j];
			j--;
		}
		keys[j + 1] = key;
	}

	for (int64 i = 0; i < n; i++)
	{
		float8	   *o = out + (size_t) i * w;
		const float8 *src = rows + (size_t) keys[i].idx * w;

		if (i + 16 < n)
			__builtin_prefetch(rows + (size_t) keys[i + 16].idx * w);
		/* -0.0 equals 0.0: store one of them so the output cannot differ */
		for (int t = 0; t < w; t++)
			o[t] = src[t] == 0.0 ? 0.0 : src[t];
		if (i == 0 || RowCmp(o - w, o, w) != 0)
			distinct++;
	}
	pfree(keys);
	*ndistinct = distinct;
	return out;
}

/*
 * The serialised form of an in-memory aggregate state: a bytea holding the
 * fixed header hdr, then the n rows of data (payload bytes).  A partial
 * state must fit one varlena (1 GB); past that the error says to run the
 * statement without parallel workers.  what names the aggregate.
 */
bytea *
AimSerializeRows(const void *hdr, Size hdrlen, const void *data, Size payload,
				 int64 n, const char *what)
{
	bytea	   *out;

	if (payload > MaxAllocSize - VARHDRSZ - hdrlen)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s partial state of " INT64_FORMAT " rows is too large to pass between parallel workers",
						what, n),
				 errhint("Disable parallel query for this statement: SET max_parallel_workers_per_gather = 0.")));
	out = palloc(VARHDRSZ + hdrlen + payload);
	SET_VARSIZE(out, VARHDRSZ + hdrlen + payload);
	memcpy(VARDATA(out), hdr, hdrlen);
	if (payload > 0)
		memcpy(VARDATA(out) + hdrlen, data, payload);
	return out;
}
