/*-------------------------------------------------------------------------
 *
 * topk.c
 *	  Bounded selection of the k best candidates (highest score; equal
 *	  scores go to the lower rank, i.e. the item text first in byte order),
 *	  used for item neighbours and per-customer recommendations.
 *
 * A binary heap with the worst kept candidate at its root: adding is
 * O(log k), and the selection never depends on the order of the adds, as
 * the order "better" is total (no two candidates share a rank).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "recommend.h"

/* a is worse than b */
static inline bool
worse(const RecCand *a, const RecCand *b)
{
	return a->score < b->score || (a->score == b->score && a->rank > b->rank);
}

void
RecTopKInit(RecTopK *t, int k)
{
	t->k = k;
	t->n = 0;
	t->heap = palloc_array(RecCand, Max(k, 1));
}

void
RecTopKReset(RecTopK *t)
{
	t->n = 0;
}

static void
sift_down(RecCand *h, int n, int i)
{
	RecCand		x = h[i];

	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && worse(&h[c + 1], &h[c]))
			c++;
		if (!worse(&h[c], &x))
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = x;
}

void
RecTopKAdd(RecTopK *t, double score, int32 rank, int32 item, int64 common)
{
	RecCand		c = {score, rank, item, common};

	if (t->n < t->k)
	{
		int			i = t->n++;

		/* sift up */
		while (i > 0 && worse(&c, &t->heap[(i - 1) / 2]))
		{
			t->heap[i] = t->heap[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		t->heap[i] = c;
	}
	else if (t->k > 0 && worse(&t->heap[0], &c))
	{
		t->heap[0] = c;
		sift_down(t->heap, t->n, 0);
	}
}

/*
 * Order the kept candidates best first (heap[0] is then the best) and
 * return how many there are.  The heap is consumed: reset before reuse.
 */
int
RecTopKSorted(RecTopK *t)
{
	/* heapsort: repeatedly move the worst to the end */
	for (int end = t->n - 1; end > 0; end--)
	{
		RecCand		x = t->heap[0];

		t->heap[0] = t->heap[end];
		t->heap[end] = x;
		sift_down(t->heap, end, 0);
	}
	return t->n;
}
