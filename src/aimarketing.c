/*-------------------------------------------------------------------------
 *
 * aimarketing.c
 *	  Module magic and initialisation for the aimarketing extension.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "fmgr.h"
#include "utils/guc.h"

#include "aimarketing.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* aimarketing.progress: progress NOTICEs from long computations */
bool		aim_progress = false;

/* aimarketing.max_itemsets, aimarketing.max_rules: basket analysis limits */
int			aim_max_itemsets = 10000000;
int			aim_max_rules = 100000000;

/*
 * aimarketing.ease_max_items: catalogue size limit of the EASE^R similarity
 * (8 nitem^2 bytes; the maximum 46340 keeps nitem^2 below 2^31 for LAPACK's
 * 32-bit index arithmetic)
 */
int			aim_ease_max_items = 10000;

/*
 * Module load: define the settings, and reserve the "aimarketing." GUC
 * prefix so that a misspelt setting is reported instead of silently
 * creating a placeholder.
 */
void
_PG_init(void)
{
	DefineCustomBoolVariable("aimarketing.progress",
							 "Reports the progress of long computations (k-means iterations) as NOTICEs.",
							 NULL,
							 &aim_progress,
							 false,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	DefineCustomIntVariable("aimarketing.max_itemsets",
							"Sets the largest number of frequent itemsets frequent_itemsets() and apriori_rules() may find.",
							"Beyond it they fail instead of running on: a too low min_support can make the number of itemsets explode.",
							&aim_max_itemsets,
							10000000, 1, INT_MAX,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("aimarketing.max_rules",
							"Sets the largest number of rules apriori_rules() may return.",
							"Rules are kept in a tuplestore that spills to temporary files, so this limits disk use.",
							&aim_max_rules,
							100000000, 1, INT_MAX,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("aimarketing.ease_max_items",
							"Sets the largest number of items the EASE^R similarity ('ease') accepts.",
							"EASE^R holds a dense items x items matrix: 8 bytes times the square of the item count (800 MB at the default), twice that at most in its dual form, and its time grows with the cube of the item count.",
							&aim_ease_max_items,
							10000, 1, 46340,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("aimarketing");
	AimBasketInit();
}
