/*-------------------------------------------------------------------------
 *
 * ease.c
 *	  The EASE^R item-item weights (Steck 2019, "Embarrassingly Shallow
 *	  Autoencoders for Sparse Data"): the similarity 'ease' of
 *	  item_neighbors() and recommend_items() (recommend.c).
 *
 * With X the customer x item matrix of RecMatrix values and l2 = lambda:
 *
 *	G = X'X + l2 I,  P = G^-1,  B_ij = -P_ij / P_jj (i != j),  B_ii = 0
 *
 * B is dense, nitem x nitem, so the catalogue size is capped by
 * aimarketing.ease_max_items.  Memory: 8 nitem^2 bytes (G is factored,
 * inverted and turned into B in place, in the one buffer returned), plus
 * 8 ncust^2 bytes in the dual form; time: nitem^3 flops (Cholesky nitem^3/3,
 * inverse 2 nitem^3/3) plus building G (sum over customers of their item
 * count squared, halved).
 *
 * Dual form.  With l2 > 0 the Woodbury identity gives
 * P = (I - X'(XX' + l2 I)^-1 X) / l2: the ncust x ncust matrix
 * K = XX' + l2 I is inverted instead (ncust^3 flops) and Q = X' K^-1 X is
 * formed one row at a time from the sparse X (nnz * ncust + nnz * nitem / 2
 * multiply-adds, scratch ncust doubles).  It is used with fewer customers
 * than items when that costs less by the measured model of ease_use_dual():
 * not on Online Retail (3,317 customers, 3,394 items), where it would take
 * 1.29 s against 0.85.
 *
 * l2 >= 0.  l2 > 0 makes G positive definite for any X; l2 = 0 (plain
 * least squares, always solved in the primal form) works only when X'X is
 * non-singular, i.e. no item's column is a combination of others, which
 * fails for instance with fewer customers than items.  A pivot that is not
 * positive, or below nitem * DBL_EPSILON times its diagonal element of G
 * (numerically singular: P would be noise), raises 22000 naming the pivot.
 *
 * The solver.  G is symmetric positive definite, so P comes from its
 * Cholesky factor: G = LL', P = L^-T L^-1, computed in place with the same
 * blocked algorithms as LAPACK's dpotrf (right-looking), dtrtri and dlauum,
 * written here so that the work is cut into BLAS-3 calls (dgemm, dsyrk,
 * dtrsm, dtrmm) on blocks of EASE_NB columns with CHECK_FOR_INTERRUPTS()
 * between them: no call runs longer than a fraction of a second at
 * ease_max_items, so cancel and statement_timeout act within about that.
 * No error is ever raised inside a BLAS call (no longjmp out of it).
 *
 * The BLAS is Debian's OpenBLAS, serial variant (libopenblas0-serial),
 * linked by path with a run path (Makefile), whatever the system's
 * libblas.so.3 alternative points to: it starts no threads, so no signal
 * meant for the backend lands on a BLAS thread, nothing is left half-way
 * in another thread by fork or by an error, and no core is taken from the
 * other backends.  One input gives bit-identical output on every run (one
 * thread: the same kernel, blocking and summation order every time), but
 * OpenBLAS picks its kernels by CPU (or OPENBLAS_CORETYPE), so another CPU
 * may differ in the last bits (Haswell vs AVX-512 kernels here: 7e-16
 * relative).
 *
 * Measured on the Online Retail train matrix (3,317 customers, 3,394
 * items, 162,825 pairs, l2 = 500; 2-core AMD EPYC shared with other jobs,
 * load average 6-7, so CPU seconds; medians of 5), OpenBLAS 0.3.21 on its
 * Haswell kernels (OPENBLAS_CORETYPE=Haswell, as set on these machines):
 *
 *	this file:						0.83 s (Gram 0.08, Cholesky 0.24,
 *									inverse 0.51, B 0.01), 1.49 s wall;
 *									0.64 s on the AVX-512 kernels
 *	dpotrf + dpotri, whole:			the same: blocking costs nothing
 *	blocked Cholesky in plain C:	factor alone 1.30-1.50 s vs 0.25 s
 *	(4x4 register tiles, AVX2		(trailing update ~10 GFLOP/s vs 50+):
 *	clones, no FMA as the Makefile	6x slower, so not pursued
 *	forbids contraction)
 *	numpy 1.24 np.linalg.inv(G)		2.68 s wall, 1.62 s CPU (LU: 8/3 n^3
 *	(OpenBLAS pthread, 2 threads,	flops against n^3 here); Haswell
 *	AVX-512 kernels)				kernels 4.58 s wall; serial 2.1 s CPU
 *
 * and at 10,000 items (20,000 customers, 398,781 pairs): 18.1 s CPU,
 * 800 MB, at most 0.094 s CPU between two interrupt checks.  EASE_NB: 256
 * beats 128, 384 and 512 (0.83 s against 0.92, 0.84 and 0.86).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "aimarketing.h"
#include "recommend.h"

/* block size of the factorisation and inverse (measured: file header) */
#define EASE_NB		256

/* columns per dgemm call in the dlauum step, to bound its duration */
#define EASE_CHUNK	1024

/* Fortran BLAS/LAPACK (OpenBLAS), with gfortran's hidden string lengths */
extern void dpotrf_(const char *uplo, const int *n, double *a, const int *lda,
					int *info, size_t luplo);
extern void dtrtri_(const char *uplo, const char *diag, const int *n,
					double *a, const int *lda, int *info, size_t luplo,
					size_t ldiag);
extern void dlauum_(const char *uplo, const int *n, double *a, const int *lda,
					int *info, size_t luplo);
extern void dtrsm_(const char *side, const char *uplo, const char *transa,
				   const char *diag, const int *m, const int *n,
				   const double *alpha, const double *a, const int *lda,
				   double *b, const int *ldb, size_t l1, size_t l2,
				   size_t l3, size_t l4);
extern void dtrmm_(const char *side, const char *uplo, const char *transa,
				   const char *diag, const int *m, const int *n,
				   const double *alpha, const double *a, const int *lda,
				   double *b, const int *ldb, size_t l1, size_t l2,
				   size_t l3, size_t l4);
extern void dsyrk_(const char *uplo, const char *trans, const int *n,
				   const int *k, const double *alpha, const double *a,
				   const int *lda, const double *beta, double *c,
				   const int *ldc, size_t l1, size_t l2);
extern void dgemm_(const char *transa, const char *transb, const int *m,
				   const int *n, const int *k, const double *alpha,
				   const double *a, const int *lda, const double *b,
				   const int *ldb, const double *beta, double *c,
				   const int *ldc, size_t l1, size_t l2);

static const double one = 1.0;
static const double minus_one = -1.0;

/*
 * Column-major element (r, c) of the n x n matrix a, as BLAS sees it.  The
 * buffers are symmetric, so the row-major upper triangle the callers fill
 * (a[r * n + c], r <= c) is the column-major lower triangle used here.
 */
#define CM(a, n, r, c)	((a) + (int64) (c) * (n) + (r))

static bool ease_use_dual(const RecMatrix *m, double l2);
static void ease_check_size(const RecMatrix *m, bool dual);
static void ease_cholesky(double *a, int n, const double *diag, double l2);
static void ease_inverse_from_cholesky(double *a, int n);
static void ease_symmetrize(double *a, int n);
static double *ease_primal_gram(const RecMatrix *m, double l2);
static double *ease_dual_gram(const RecMatrix *m, double l2);
static double *ease_dual_inverse(const RecMatrix *m, const double *kinv,
								 double l2);
static void ease_pivot_error(int n, int pivot, double value, double l2);

/*
 * The EASE^R weights of the items of m: a palloc'd (huge) nitem x nitem
 * row-major matrix B, B[i * nitem + j] = B_ij, zero diagonal; row i holds
 * the weights with which item i predicts every item j.  l2 >= 0 (the SQL
 * layer rejects negative and non-finite values).  nitem must not exceed
 * aimarketing.ease_max_items (54000 otherwise).
 */
double *
RecEaseWeights(const RecMatrix *m, double l2)
{
	int			n = m->nitem;
	bool		dual = ease_use_dual(m, l2);
	double	   *p;
	double	   *d;

	Assert(l2 >= 0 && !isinf(l2));
	ease_check_size(m, dual);
	if (n == 0)
		return palloc(sizeof(double));

	if (dual)
	{
		int			c = m->ncust;
		double	   *k = ease_dual_gram(m, l2);
		double	   *kdiag = palloc_array(double, Max(c, 1));

		for (int u = 0; u < c; u++)
			kdiag[u] = *CM(k, c, u, u);
		ease_cholesky(k, c, kdiag, l2);
		ease_inverse_from_cholesky(k, c);
		ease_symmetrize(k, c);
		pfree(kdiag);
		p = ease_dual_inverse(m, k, l2);
		pfree(k);
	}
	else
	{
		double	   *gdiag = palloc_array(double, n);

		p = ease_primal_gram(m, l2);
		for (int i = 0; i < n; i++)
			gdiag[i] = *CM(p, n, i, i);
		ease_cholesky(p, n, gdiag, l2);
		ease_inverse_from_cholesky(p, n);
		pfree(gdiag);
	}

	/*
	 * P is in the column-major lower triangle (row-major upper: p[i * n + j],
	 * i <= j).  B_ij = -P_ij / P_jj and B_ji = -P_ij / P_ii, in place, by
	 * tiles so that the transposed writes stay in cache.
	 */
	d = palloc_array(double, n);
	for (int i = 0; i < n; i++)
		d[i] = p[(int64) i * n + i];
	for (int i0 = 0; i0 < n; i0 += 64)
	{
		CHECK_FOR_INTERRUPTS();
		for (int j0 = i0; j0 < n; j0 += 64)
		{
			for (int i = i0; i < Min(i0 + 64, n); i++)
			{
				double	   *row = p + (int64) i * n;

				for (int j = Max(j0, i + 1); j < Min(j0 + 64, n); j++)
				{
					double		pij = row[j];

					p[(int64) j * n + i] = -pij / d[i];
					row[j] = -pij / d[j];
				}
			}
		}
	}
	for (int i = 0; i < n; i++)
		p[(int64) i * n + i] = 0.0;
	pfree(d);
	return p;
}

/*
 * The dual form when it costs less: ncust^3 for K^-1 plus the sparse
 * products, nnz * (ncust + nitem / 2) multiply-adds that run about
 * EASE_SPARSE_COST times slower than the BLAS-3 ones, against nitem^3.
 * Measured on Online Retail (3,317 customers, 3,394 items, 162,825 pairs;
 * CPU seconds): primal 0.85 (Gram 0.08, Cholesky 0.24, inverse 0.51),
 * dual 1.29 (Gram 0.09, Cholesky 0.23, inverse 0.47, X'K^-1 X 0.44), so
 * "fewer customers than items" alone would pick the slower form there.
 */
#define EASE_SPARSE_COST 28.0

static bool
ease_use_dual(const RecMatrix *m, double l2)
{
	double		c = m->ncust;
	double		n = m->nitem;

	if (l2 <= 0 || m->ncust >= m->nitem)
		return false;
	return c * c * c + EASE_SPARSE_COST * m->nnz * (c + n / 2) < n * n * n;
}

/* 54000 when the dense matrices would exceed aimarketing.ease_max_items */
static void
ease_check_size(const RecMatrix *m, bool dual)
{
	double		bytes;

	if (m->nitem <= aim_ease_max_items)
		return;
	bytes = 8.0 * m->nitem * m->nitem;
	if (dual)
		bytes += 8.0 * m->ncust * m->ncust;
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many items for EASE^R: %d items would need %.0f MB of memory",
					m->nitem, ceil(bytes / (1024.0 * 1024.0))),
			 errdetail("EASE^R computes a dense item x item matrix; aimarketing.ease_max_items is %d.",
					   aim_ease_max_items),
			 errhint("Use another similarity, filter out rare items, or raise aimarketing.ease_max_items.")));
}

/*
 * G = X'X + l2 I, zeroed huge buffer, row-major upper triangle: for each
 * customer, the outer product of its values (items ascending, so every
 * pair lands above the diagonal), customers in ascending order.
 */
static double *
ease_primal_gram(const RecMatrix *m, double l2)
{
	int			n = m->nitem;
	double	   *g;

	g = MemoryContextAllocExtended(CurrentMemoryContext,
								   (Size) n * n * sizeof(double),
								   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int32 u = 0; u < m->ncust; u++)
	{
		int64		end = m->cptr[u + 1];

		CHECK_FOR_INTERRUPTS();
		for (int64 p = m->cptr[u]; p < end; p++)
		{
			double	   *row = g + (int64) m->cidx[p] * n;
			double		v = m->cval[p];

			for (int64 q = p; q < end; q++)
				row[m->cidx[q]] += v * m->cval[q];
		}
	}
	for (int i = 0; i < n; i++)
	{
		double	   *gii = g + (int64) i * n + i;

		*gii += l2;
		if (!isfinite(*gii))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("EASE^R Gram matrix overflows at item %d", i + 1),
					 errdetail("The sum of the squared weights of the item is not finite."),
					 errhint("Scale the weights down.")));
	}
	return g;
}

/* K = XX' + l2 I, likewise from the items' outer products */
static double *
ease_dual_gram(const RecMatrix *m, double l2)
{
	int			c = m->ncust;
	double	   *k;

	k = MemoryContextAllocExtended(CurrentMemoryContext,
								   (Size) c * c * sizeof(double),
								   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int32 i = 0; i < m->nitem; i++)
	{
		int64		end = m->iptr[i + 1];

		CHECK_FOR_INTERRUPTS();
		for (int64 p = m->iptr[i]; p < end; p++)
		{
			double	   *row = k + (int64) m->iidx[p] * c;
			double		v = m->ival[p];

			for (int64 q = p; q < end; q++)
				row[m->iidx[q]] += v * m->ival[q];
		}
	}
	for (int u = 0; u < c; u++)
	{
		double	   *kuu = k + (int64) u * c + u;

		*kuu += l2;
		if (!isfinite(*kuu))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("EASE^R Gram matrix overflows at customer %d", u + 1),
					 errdetail("The sum of the squared weights of the customer is not finite."),
					 errhint("Scale the weights down.")));
	}
	return k;
}

/*
 * P = (I - X'K^-1 X) / l2 from the full symmetric K^-1 (c x c), into a new
 * nitem x nitem buffer, row-major upper triangle.  Row i of X'K^-1 X:
 * v = sum over the customers u of item i of x_ui K^-1[u, :] (contiguous
 * rows), then Q_ij = sum over the customers u of item j of x_uj v[u].
 */
static double *
ease_dual_inverse(const RecMatrix *m, const double *kinv, double l2)
{
	int			n = m->nitem;
	int			c = m->ncust;
	double	   *p;
	double	   *v = palloc_array(double, Max(c, 1));

	p = MemoryContextAllocExtended(CurrentMemoryContext,
								   (Size) n * n * sizeof(double),
								   MCXT_ALLOC_HUGE);
	for (int32 i = 0; i < n; i++)
	{
		double	   *row = p + (int64) i * n;

		CHECK_FOR_INTERRUPTS();
		memset(v, 0, sizeof(double) * c);
		for (int64 a = m->iptr[i]; a < m->iptr[i + 1]; a++)
		{
			const double *krow = kinv + (int64) m->iidx[a] * c;
			double		x = m->ival[a];

			for (int u = 0; u < c; u++)
				v[u] += x * krow[u];
		}
		for (int32 j = i; j < n; j++)
		{
			double		q = 0.0;

			for (int64 b = m->iptr[j]; b < m->iptr[j + 1]; b++)
				q += m->ival[b] * v[m->iidx[b]];
			row[j] = ((i == j ? 1.0 : 0.0) - q) / l2;
		}
	}
	pfree(v);
	return p;
}

/*
 * In-place Cholesky factor L of the n x n matrix a (column-major lower
 * triangle), right-looking by blocks of EASE_NB columns: factor the
 * diagonal block, solve the panel below it, update the trailing matrix
 * one block column at a time.  diag holds the diagonal of the matrix
 * before factoring, for the singularity test.
 */
static void
ease_cholesky(double *a, int n, const double *diag, double l2)
{
	for (int k = 0; k < n; k += EASE_NB)
	{
		int			kb = Min(EASE_NB, n - k);
		int			rest = n - k - kb;
		int			info = 0;

		CHECK_FOR_INTERRUPTS();
		dpotrf_("L", &kb, CM(a, n, k, k), &n, &info, 1);
		if (info > 0)
			ease_pivot_error(n, k + info, *CM(a, n, k + info - 1, k + info - 1),
							 l2);
		if (info < 0)
			elog(ERROR, "dpotrf: illegal argument %d", -info);
		for (int j = k; j < k + kb; j++)
		{
			double		ljj = *CM(a, n, j, j);

			if (ljj * ljj <= diag[j] * n * DBL_EPSILON)
				ease_pivot_error(n, j + 1, ljj * ljj, l2);
		}
		if (rest == 0)
			break;
		dtrsm_("R", "L", "T", "N", &rest, &kb, &one, CM(a, n, k, k), &n,
			   CM(a, n, k + kb, k), &n, 1, 1, 1, 1);
		for (int j = k + kb; j < n; j += EASE_NB)
		{
			int			jb = Min(EASE_NB, n - j);
			int			below = n - j - jb;

			CHECK_FOR_INTERRUPTS();
			dsyrk_("L", "N", &jb, &kb, &minus_one, CM(a, n, j, k), &n,
				   &one, CM(a, n, j, j), &n, 1, 1);
			if (below > 0)
				dgemm_("N", "T", &below, &jb, &kb, &minus_one,
					   CM(a, n, j + jb, k), &n, CM(a, n, j, k), &n,
					   &one, CM(a, n, j + jb, j), &n, 1, 1);
		}
	}
}

/*
 * From the Cholesky factor L (column-major lower), P = L^-T L^-1 in the
 * lower triangle: L^-1 in place as LAPACK's blocked dtrtri (block columns
 * from the last; the product with the already inverted trailing triangle
 * split by row blocks, bottom up, so each call is small), then L^-T L^-1
 * in place as LAPACK's blocked dlauum.
 */
static void
ease_inverse_from_cholesky(double *a, int n)
{
	int			info = 0;
	int			last = ((n - 1) / EASE_NB) * EASE_NB;

	for (int j = last; j >= 0; j -= EASE_NB)
	{
		int			jb = Min(EASE_NB, n - j);
		int			below = n - j - jb;

		if (below > 0)
		{
			int			lastr = ((n - 1) / EASE_NB) * EASE_NB;

			/* A(j+jb:, j-block) := inv(L22) * A(j+jb:, j-block) */
			for (int r = lastr; r >= j + jb; r -= EASE_NB)
			{
				int			rb = Min(EASE_NB, n - r);
				int			inner = r - (j + jb);

				CHECK_FOR_INTERRUPTS();
				dtrmm_("L", "L", "N", "N", &rb, &jb, &one, CM(a, n, r, r), &n,
					   CM(a, n, r, j), &n, 1, 1, 1, 1);
				if (inner > 0)
					dgemm_("N", "N", &rb, &jb, &inner, &one,
						   CM(a, n, r, j + jb), &n, CM(a, n, j + jb, j), &n,
						   &one, CM(a, n, r, j), &n, 1, 1);
			}
			/* ... * -inv(L11) */
			dtrsm_("R", "L", "N", "N", &below, &jb, &minus_one,
				   CM(a, n, j, j), &n, CM(a, n, j + jb, j), &n, 1, 1, 1, 1);
		}
		dtrtri_("L", "N", &jb, CM(a, n, j, j), &n, &info, 1, 1);
		if (info != 0)
			elog(ERROR, "dtrtri failed: %d", info);
	}

	/* P = inv(L)' inv(L), lower triangle, by block rows */
	for (int i = 0; i < n; i += EASE_NB)
	{
		int			ib = Min(EASE_NB, n - i);
		int			below = n - i - ib;

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			dtrmm_("L", "L", "T", "N", &ib, &i, &one, CM(a, n, i, i), &n,
				   CM(a, n, i, 0), &n, 1, 1, 1, 1);
		dlauum_("L", &ib, CM(a, n, i, i), &n, &info, 1);
		if (info != 0)
			elog(ERROR, "dlauum failed: %d", info);
		if (below > 0)
		{
			for (int c0 = 0; c0 < i; c0 += EASE_CHUNK)
			{
				int			cw = Min(EASE_CHUNK, i - c0);

				CHECK_FOR_INTERRUPTS();
				dgemm_("T", "N", &ib, &cw, &below, &one, CM(a, n, i + ib, i), &n,
					   CM(a, n, i + ib, c0), &n, &one, CM(a, n, i, c0), &n,
					   1, 1);
			}
			dsyrk_("L", "T", &ib, &below, &one, CM(a, n, i + ib, i), &n,
				   &one, CM(a, n, i, i), &n, 1, 1);
		}
	}
}

/* copy the column-major lower triangle to the upper one, by tiles */
static void
ease_symmetrize(double *a, int n)
{
	for (int c0 = 0; c0 < n; c0 += 64)
	{
		CHECK_FOR_INTERRUPTS();
		for (int r0 = c0; r0 < n; r0 += 64)
			for (int c = c0; c < Min(c0 + 64, n); c++)
				for (int r = Max(r0, c + 1); r < Min(r0 + 64, n); r++)
					*CM(a, n, c, r) = *CM(a, n, r, c);
	}
}

/* 22000: the (regularised) Gram matrix is not numerically positive definite */
static void
ease_pivot_error(int n, int pivot, double value, double l2)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("EASE^R Gram matrix is not positive definite at pivot %d of %d",
					pivot, n),
			 errdetail("The Cholesky pivot is %g, zero up to rounding errors.", value),
			 l2 == 0 ?
			 errhint("With l2 = 0 the matrix is singular whenever a column of the interaction matrix is a combination of others; use l2 > 0.") :
			 errhint("Use a larger l2 relative to the weights.")));
}
