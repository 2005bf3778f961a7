/*-------------------------------------------------------------------------
 *
 * aimarketing.c
 *	  Module magic and initialisation for the aimarketing extension.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "aimarketing.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* aimarketing.progress: progress NOTICEs from long computations */
bool		aim_progress = false;

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
	MarkGUCPrefixReserved("aimarketing");
}
