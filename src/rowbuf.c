/*-------------------------------------------------------------------------
 *
 * rowbuf.c
 *	  The row buffer of the aggregates that keep every row in memory
 *	  (kmeans, logistic_fit and logistic_summary, roc_auc): the state's
 *	  allocation and growth, combine, serialisation and deserialisation,
 *	  and the canonical order of its rows; with the huge allocations and the
 *	  radix sort they use.  See rowbuf.h.
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
#include "rowbuf.h"

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
 * The canonical order of the n rows of w values: sort keys (the hash and
 * the row's index) sorted by hash, and by values among equal hashes (equal
 * rows are then adjacent).  hashes holds AimRowHash() of each row (of its
 * leading values, see AimRowBufSetHashWidth), computed when the row was
 * stored, while it was in cache; the values compared are the whole row's.
 */
static AimSortKey *
CanonicalKeys(const float8 *rows, const uint64 *hashes, int64 n, int w)
{
	AimSortKey *keys = AimHugeAlloc(n, sizeof(AimSortKey));

	for (int64 i = 0; i < n; i++)
	{
		keys[i].key = hashes[i];
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
	return keys;
}

/*
 * A copy of the n rows of w values in canonical order (CanonicalKeys);
 * -0.0 becomes 0.0.  *ndistinct receives the number of distinct rows.
 */
static float8 *
CanonicalRows(const float8 *rows, const uint64 *hashes, int64 n, int w,
			  int64 *ndistinct)
{
	AimSortKey *keys = CanonicalKeys(rows, hashes, n, w);
	float8	   *out = AimHugeAlloc(n * w, sizeof(float8));
	int64		distinct = 0;

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

/* ---------------------------------------------------------------------
 * The row buffer
 * ---------------------------------------------------------------------
 */

/*
 * Initialise an empty buffer.  width > 0: rows of width float8 values,
 * hashed; width 0: opaque rows of rowsize bytes.  A buffer of float8 rows
 * whose width is only known from the first row (kmeans) is made with
 * width 0 and rowsize 0, and gets its width from AimRowBufSetWidth().
 */
void
AimRowBufInit(AimRowBuf *rb, uint32 magic, const char *what, int width,
			  Size rowsize)
{
	memset(rb, 0, sizeof(AimRowBuf));
	rb->magic = magic;
	rb->what = what;
	if (width > 0)
		AimRowBufSetWidth(rb, width);
	else
		rb->rowsize = rowsize;
}

/* Fix the width of an empty buffer of hashed float8 rows. */
void
AimRowBufSetWidth(AimRowBuf *rb, int width)
{
	Assert(rb->n == 0 && rb->rows == NULL && width > 0);
	rb->width = width;
	rb->hashwidth = width;
	rb->rowsize = (Size) width * sizeof(float8);
}

/*
 * Hash only the first hashwidth values of each row of an empty buffer of
 * hashed float8 rows (the canonical order still compares whole rows among
 * equal hashes).
 */
void
AimRowBufSetHashWidth(AimRowBuf *rb, int hashwidth)
{
	Assert(rb->n == 0 && rb->width > 0 && hashwidth > 0 &&
		   hashwidth <= rb->width);
	rb->hashwidth = hashwidth;
}

/*
 * The state in argument argno, NULL if the argument is NULL.  The magic
 * number is checked: a user aggregate could mix support functions.
 */
void *
AimRowBufGet(FunctionCallInfo fcinfo, int argno, uint32 magic,
			 const char *what)
{
	AimRowBuf  *rb;

	if (PG_ARGISNULL(argno))
		return NULL;
	rb = (AimRowBuf *) PG_GETARG_POINTER(argno);
	if (rb->magic != magic)
		AimInvalidState("%s: the aggregate state is not a %s state", what, what);
	return rb;
}

/* Make room for extra more rows in ctx, growing geometrically. */
void
AimRowBufReserve(AimRowBuf *rb, int64 extra, MemoryContext ctx)
{
	int64		need = rb->n + extra;
	int64		newcap;

	Assert(rb->rowsize > 0);
	if (need <= rb->cap)
		return;
	newcap = Max(need, Max(rb->cap * 2, 1024));
	if ((uint64) newcap > MaxAllocHugeSize / Max(rb->rowsize, sizeof(uint64)))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for %s: " INT64_FORMAT, rb->what, need)));
	if (rb->rows == NULL)
		rb->rows = MemoryContextAllocHuge(ctx, newcap * rb->rowsize);
	else
		rb->rows = repalloc_huge(rb->rows, newcap * rb->rowsize);
	if (rb->width > 0 && rb->hashes == NULL)
		rb->hashes = MemoryContextAllocHuge(ctx, newcap * sizeof(uint64));
	else if (rb->width > 0)
		rb->hashes = repalloc_huge(rb->hashes, newcap * sizeof(uint64));
	rb->cap = newcap;
}

/* Append the rows of b to a (the caller checked that they are alike). */
void
AimRowBufConcat(AimRowBuf *a, const AimRowBuf *b, MemoryContext ctx)
{
	Assert(a->rowsize == b->rowsize && a->width == b->width &&
		   a->hashwidth == b->hashwidth);
	if (b->n == 0)
		return;
	AimRowBufReserve(a, b->n, ctx);
	memcpy(AimRowBufRow(a, a->n), b->rows, (Size) b->n * b->rowsize);
	if (a->width > 0)
		memcpy(a->hashes + a->n, b->hashes, b->n * sizeof(uint64));
	a->n += b->n;
}

/*
 * A combine function (internal, internal) returns internal, fn naming it:
 * the rows of the second state appended to the first (which is made, in
 * the aggregate's context, when the first is NULL).
 */
Datum
AimRowBufCombine(FunctionCallInfo fcinfo, uint32 magic, const char *what,
				 const char *fn, AimRowBufEmptyLike empty_like,
				 AimRowBufCheckLike check_like)
{
	MemoryContext aggctx;
	AimRowBuf  *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in non-aggregate context", fn);
	a = AimRowBufGet(fcinfo, 0, magic, what);
	b = AimRowBufGet(fcinfo, 1, magic, what);
	if (b == NULL)
		return AimRowBufResult(fcinfo, a);
	if (a == NULL)
		a = empty_like(aggctx, b);
	if (check_like)
		check_like(a, b);
	AimRowBufConcat(a, b, aggctx);
	PG_RETURN_POINTER(a);
}

/* Return the internal state, or NULL when there is none yet. */
Datum
AimRowBufResult(FunctionCallInfo fcinfo, void *state)
{
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/*
 * The serialised state: the capability's fixed header hdr (which holds n),
 * then the rows.  A partial state must fit one varlena (1 GB); past that
 * the error says to run the statement without parallel workers.
 */
bytea *
AimRowBufSerialize(const AimRowBuf *rb, const void *hdr, Size hdrlen)
{
	Size		payload = (Size) rb->n * rb->rowsize;
	bytea	   *out;

	if (payload > MaxAllocSize - VARHDRSZ - hdrlen)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s partial state of " INT64_FORMAT " rows is too large to pass between parallel workers",
						rb->what, rb->n),
				 errhint("Disable parallel query for this statement: SET max_parallel_workers_per_gather = 0.")));
	out = palloc(VARHDRSZ + hdrlen + payload);
	SET_VARSIZE(out, VARHDRSZ + hdrlen + payload);
	memcpy(VARDATA(out), hdr, hdrlen);
	if (payload > 0)
		memcpy(VARDATA(out) + hdrlen, rb->rows, payload);
	return out;
}

/* Copy the fixed header of a serialised state into hdr. */
void
AimRowBufReadHeader(bytea *in, void *hdr, Size hdrlen, const char *what)
{
	Size		len = VARSIZE_ANY_EXHDR(in);

	if (len < hdrlen)
		AimInvalidState("invalid %s state of %zu bytes", what, len);
	memcpy(hdr, VARDATA_ANY(in), hdrlen);
}

/*
 * Load the n rows that follow the header of a serialised state into the
 * empty buffer rb (whose width is set), in the current memory context.
 * The caller validates the header fields and then the rows' values.
 */
void
AimRowBufLoad(AimRowBuf *rb, bytea *in, Size hdrlen, int64 n)
{
	Size		payload = VARSIZE_ANY_EXHDR(in) - hdrlen;

	Assert(rb->n == 0);
	if (n < 0 ||
		(rb->rowsize == 0 ? n != 0 || payload != 0 :
		 (uint64) n > payload / rb->rowsize || payload != (Size) n * rb->rowsize))
		AimInvalidState("invalid %s state", rb->what);
	if (n == 0)
		return;
	AimRowBufReserve(rb, n, CurrentMemoryContext);
	memcpy(rb->rows, VARDATA_ANY(in) + hdrlen, payload);
	rb->n = n;
	for (int64 i = 0; rb->width > 0 && i < n; i++)
		rb->hashes[i] = AimRowHash((const float8 *) AimRowBufRow(rb, i),
								   rb->hashwidth);
}

/*
 * A copy of the float8 rows of rb in canonical order (see CanonicalRows),
 * in the current memory context; *ndistinct receives the number of
 * distinct rows.
 */
float8 *
AimRowBufCanonical(const AimRowBuf *rb, int64 *ndistinct)
{
	Assert(rb->width > 0);
	return CanonicalRows((const float8 *) rb->rows, rb->hashes, rb->n,
						 rb->width, ndistinct);
}

/*
 * The canonical order of the float8 rows of rb without copying them: n
 * sort keys, in the current memory context, whose idx fields are the rows'
 * indices in canonical order (see CanonicalKeys).  For a caller that needs
 * only some rows (a sample), or reads them in place.
 */
AimSortKey *
AimRowBufCanonicalOrder(const AimRowBuf *rb)
{
	Assert(rb->width > 0);
	return CanonicalKeys((const float8 *) rb->rows, rb->hashes, rb->n,
						 rb->width);
}
