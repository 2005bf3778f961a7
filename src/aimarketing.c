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

/*
 * Module load: reserve the "aimarketing." GUC prefix so that a misspelt
 * setting is reported instead of silently creating a placeholder.
 */
void
_PG_init(void)
{
	MarkGUCPrefixReserved("aimarketing");
}
