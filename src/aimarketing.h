/*-------------------------------------------------------------------------
 *
 * aimarketing.h
 *	  Declarations shared by more than one source file of the aimarketing
 *	  extension: the settings, argument and state checking of vecutil.c,
 *	  and the attribute that builds AVX2 clones of numeric kernels.
 *
 *	  The row buffer of the in-memory aggregates (kmeans, logistic_fit,
 *	  roc_auc) has its own header, rowbuf.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AIMARKETING_H
#define AIMARKETING_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/array.h"

/* aimarketing.c: settings */
extern bool aim_progress;
extern int	aim_max_itemsets;
extern int	aim_max_rules;
extern int	aim_ease_max_items;

/* basket.c: module initialisation (the read-only hooks) */
extern void AimBasketInit(void);

/*
 * Numeric kernels are built twice on x86-64 with GCC, for AVX2 and for the
 * baseline, and the dynamic loader picks one at run time.  Their loops do
 * the same IEEE operations in the same order in both clones (no FMA:
 * -ffp-contract=off), so the results do not depend on the clone.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define AIM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define AIM_CLONES
#endif

/* vecutil.c: argument checking */
extern const float8 *AimVectorArg(ArrayType *a, const char *argname, int *n);
extern const float8 *AimMatrixArg(ArrayType *a, const char *argname,
								  int *rows, int *cols);
extern void AimCheckFinite(ArrayType *a, const float8 *x, int n,
						   const char *argname);
extern void AimCheckFiniteMatrix(ArrayType *a, const float8 *x, int rows,
								 int cols, const char *argname);
extern void AimCheckNotEmpty(int n, const char *argname);
extern void AimCheckFeatureCount(int d, int earlier);
extern bool AimVectorCopyPacked(Datum datum, float8 *dst, int maxn, int *n);

/* logistic.c: the 0/1 label of a boolean or integer argument */
extern double AimLabelArg(FunctionCallInfo fcinfo, int argno);

/* vecutil.c: aggregate states handed to support functions */
extern void AimInvalidState(const char *fmt,...) pg_attribute_printf(1, 2) pg_attribute_noreturn();
extern float8 *AimFloat8StateArg(ArrayType *a, int nelems, const char *caller);
extern Datum AimFloat8StateResult(FunctionCallInfo fcinfo, ArrayType *a,
								  const float8 *values, int nelems);

/* vecutil.c: the numbers of the jsonb reports (model summaries) */
extern void AimJsonNumber(StringInfo buf, const char *key, double v);
extern void AimJsonNumbers(StringInfo buf, const char *key, const double *v, int n);

#endif							/* AIMARKETING_H */
