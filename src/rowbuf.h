/*-------------------------------------------------------------------------
 *
 * rowbuf.h
 *	  The row buffer: the internal state of the aggregates that keep every
 *	  row in memory (kmeans, logistic_fit and logistic_summary, roc_auc).
 *
 * A buffer holds n fixed-size rows in one huge allocation that grows
 * geometrically, so it is not bound by the 1 GB palloc limit.  A
 * capability's state embeds an AimRowBuf as its first member; the magic
 * number there tells the states of different aggregates apart when a user
 * aggregate mixes support functions.  Partial states of parallel workers
 * are concatenated; the serialised form is the capability's fixed header
 * (holding n) followed by the rows.
 *
 * Rows of float8 values (kmeans points, logistic regression rows) are
 * "hashed": the buffer keeps a hash of each row, taken while the row is in
 * cache, for the canonical order that makes the final functions
 * deterministic (AimRowBufCanonical).  The hash may cover only the first
 * hashwidth values of a row (logistic regression's weighted rows hash
 * their features and label, not the weight, so that rows of weight 1 are
 * put in the order of the same rows without weights).
 *
 *-------------------------------------------------------------------------
 */
#ifndef AIM_ROWBUF_H
#define AIM_ROWBUF_H

#include "postgres.h"

#include "fmgr.h"

typedef struct AimRowBuf
{
	uint32		magic;			/* the owning aggregate's state magic */
	int32		width;			/* float8 per hashed row; 0: opaque rows */
	int32		hashwidth;		/* leading float8s hashed, <= width */
	Size		rowsize;		/* bytes per row; 0 until the first row */
	const char *what;			/* the aggregate, for messages */
	int64		n;				/* rows stored */
	int64		cap;			/* capacity, in rows */
	char	   *rows;			/* n * rowsize bytes */
	uint64	   *hashes;			/* AimRowHash() of each row, if width > 0 */
} AimRowBuf;

/* A sort key: 64 bits to sort by, and what the key belongs to. */
typedef struct AimSortKey
{
	uint64		key;
	int64		idx;
} AimSortKey;

extern void *AimHugeAlloc(int64 n, Size sz);
extern void AimRadixSort(AimSortKey *keys, int64 n, int nbits);

extern void AimRowBufInit(AimRowBuf *rb, uint32 magic, const char *what,
						  int width, Size rowsize);
extern void AimRowBufSetWidth(AimRowBuf *rb, int width);
extern void AimRowBufSetHashWidth(AimRowBuf *rb, int hashwidth);
extern void *AimRowBufGet(FunctionCallInfo fcinfo, int argno, uint32 magic,
						  const char *what);
extern void AimRowBufReserve(AimRowBuf *rb, int64 extra, MemoryContext ctx);
extern void AimRowBufConcat(AimRowBuf *a, const AimRowBuf *b,
							MemoryContext ctx);

/*
 * What a combine function knows of its capability's state: how to make an
 * empty state with the parameters of b, and how to check that b's rows and
 * parameters agree with a's (raising the user's error if not).
 */
typedef void *(*AimRowBufEmptyLike) (MemoryContext ctx, const void *b);
typedef void (*AimRowBufCheckLike) (void *a, const void *b);

extern Datum AimRowBufCombine(FunctionCallInfo fcinfo, uint32 magic,
							  const char *what, const char *fn,
							  AimRowBufEmptyLike empty_like,
							  AimRowBufCheckLike check_like);
extern Datum AimRowBufResult(FunctionCallInfo fcinfo, void *state);
extern bytea *AimRowBufSerialize(const AimRowBuf *rb, const void *hdr,
								 Size hdrlen);
extern void AimRowBufReadHeader(bytea *in, void *hdr, Size hdrlen,
								const char *what);
extern void AimRowBufLoad(AimRowBuf *rb, bytea *in, Size hdrlen, int64 n);
extern float8 *AimRowBufCanonical(const AimRowBuf *rb, int64 *ndistinct);
extern AimSortKey *AimRowBufCanonicalOrder(const AimRowBuf *rb);

/*
 * Hash of a row's values for the canonical order, with -0.0 hashed as 0.0:
 * a multiply-xorshift mix of the 64-bit patterns (integer arithmetic only,
 * so the order is the same on every platform).
 */
static inline uint64
AimRowHash(const float8 *x, int w)
{
	uint64		h = UINT64CONST(0x9e3779b97f4a7c15) ^ (uint64) w;

	for (int i = 0; i < w; i++)
	{
		float8		v = x[i] == 0.0 ? 0.0 : x[i];
		uint64		bits;

		memcpy(&bits, &v, sizeof(bits));
		h = (h ^ bits) * UINT64CONST(0xff51afd7ed558ccd);
		h ^= h >> 29;
	}
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 32;
	return h;
}

/* Row i of the buffer. */
static inline void *
AimRowBufRow(const AimRowBuf *rb, int64 i)
{
	return rb->rows + (Size) i * rb->rowsize;
}

/* The next free row, or NULL when the buffer is full. */
static inline void *
AimRowBufRoom(const AimRowBuf *rb)
{
	return rb->n < rb->cap ? AimRowBufRow(rb, rb->n) : NULL;
}

/* The next free row, growing the buffer if needed. */
static inline void *
AimRowBufNext(AimRowBuf *rb, MemoryContext ctx)
{
	if (rb->n >= rb->cap)
		AimRowBufReserve(rb, 1, ctx);
	return AimRowBufRow(rb, rb->n);
}

/* Keep the row just written at AimRowBufRoom()/AimRowBufNext(). */
static inline void
AimRowBufPush(AimRowBuf *rb)
{
	if (rb->width > 0)
		rb->hashes[rb->n] = AimRowHash((const float8 *) AimRowBufRow(rb, rb->n),
									   rb->hashwidth);
	rb->n++;
}

#endif							/* AIM_ROWBUF_H */
