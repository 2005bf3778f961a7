/*-------------------------------------------------------------------------
 *
 * recommend.h
 *	  Declarations shared by the recommendation files: the interaction
 *	  matrix and the item-item similarity kernel (item_similarity.c), the
 *	  EASE^R solver (ease.c), the bounded top-k selection (topk.c) and the
 *	  SQL functions item_neighbors() / recommend_items() (recommend.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef RECOMMEND_H
#define RECOMMEND_H

#include "postgres.h"

typedef enum RecSimilarity
{
	SIM_COSINE,
	SIM_COSINE_WEIGHTED,
	SIM_BM25,
	SIM_JACCARD,
	SIM_CONFIDENCE,
	SIM_LIFT,
	SIM_EASE,
	SIM_POPULAR					/* recommend_items() only: no similarity */
} RecSimilarity;

/*
 * The customer x item matrix, by customer (CSR: customer u's items are
 * cidx[cptr[u] .. cptr[u + 1]), ascending) and by item (CSC: item i's
 * customers are iidx[iptr[i] .. iptr[i + 1]), ascending), both with the
 * same values (the summed weights, or their BM25 re-weighting).
 */
typedef struct RecMatrix
{
	int32		ncust;
	int32		nitem;
	int32		ncust_active;	/* customers with at least one pair */
	int32		nitem_active;	/* items with at least one pair */
	int64		nnz;
	int64	   *cptr;
	int32	   *cidx;
	double	   *cval;
	int64	   *iptr;
	int32	   *iidx;
	double	   *ival;
} RecMatrix;

/* co-occurrence of one item with every other: dense, with a touched list */
typedef struct RecAccum
{
	int64	   *count;
	double	   *dot;
	int32	   *touched;
	int32		ntouched;
} RecAccum;

typedef struct RecItemStats
{
	int64	   *ncust;			/* customers per item */
	double	   *norm;			/* L2 norm of the item's values */
} RecItemStats;

/* a candidate in a top-k selection; ties go to the lower rank (byte order) */
typedef struct RecCand
{
	double		score;
	int32		rank;
	int32		item;
	int64		common;
} RecCand;

typedef struct RecTopK
{
	int			k;
	int			n;
	RecCand    *heap;			/* worst candidate at heap[0] */
} RecTopK;

/* neighbour lists: item i's are idx[ptr[i] .. ptr[i + 1]), best first */
typedef struct RecNeighbors
{
	int32		nitem;
	int64	   *ptr;
	int32	   *idx;
	double	   *sim;
	int64	   *common;
} RecNeighbors;

/* item_similarity.c */
extern RecSimilarity RecSimilarityByName(const char *s, bool allow_popular);
extern void RecCheckFinite(double v, RecSimilarity sim, const char *what);
extern RecMatrix *RecMatrixBuild(const uint32 *cust, const uint32 *item,
								 const double *w, int64 n, int32 ncust,
								 int32 nitem);
extern void RecMatrixTranspose(RecMatrix *m);
extern void RecMatrixBM25(RecMatrix *m);
extern RecAccum *RecAccumCreate(const RecMatrix *m);
extern void RecAccumItem(const RecMatrix *m, RecAccum *a, int32 i, bool want_dot);
extern RecItemStats *RecItemStatsCompute(const RecMatrix *m);
extern bool RecPairSimilarity(RecSimilarity sim, const RecItemStats *s,
							  int32 ncust, int32 i, int32 j, int64 c, double d,
							  double *out);
extern RecNeighbors *RecNeighborsCompute(const RecMatrix *m, RecSimilarity sim,
										 int k, int min_common,
										 const int32 *rank);

/* ease.c */
extern double *RecEaseWeights(const RecMatrix *m, double l2);

/* topk.c */
extern void RecTopKInit(RecTopK *t, int k);
extern void RecTopKReset(RecTopK *t);
extern void RecTopKAdd(RecTopK *t, double score, int32 rank, int32 item,
					   int64 common);
extern int	RecTopKSorted(RecTopK *t);

/* ease.c */
extern double *RecEaseWeights(const RecMatrix *m, double l2);

#endif							/* RECOMMEND_H */
