/*-------------------------------------------------------------------------
 *
 * readonly_guard.h
 *	  Running a caller's SQL-text query so that it cannot write: see
 *	  readonly_guard.c for what is refused and how.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AIM_READONLY_GUARD_H
#define AIM_READONLY_GUARD_H

#include "utils/plancache.h"

/*
 * One guarded query, from AimReadOnlyBegin() to AimReadOnlyEnd(); scopes
 * nest (a function called by a guarded query may run another one).
 */
typedef struct AimReadOnlyScope
{
	const char *argname;		/* the query's argument: "baskets_sql" */
	const char *hint;			/* errhint of the errors: what to pass */
	bool		save_read_only; /* XactReadOnly before the scope */
	struct AimReadOnlyScope *outer;
} AimReadOnlyScope;

extern void AimReadOnlyGuardInit(void);
extern void AimReadOnlyBegin(AimReadOnlyScope *scope, const char *argname,
							 const char *hint);
extern void AimReadOnlyEnd(AimReadOnlyScope *scope);
extern void AimReadOnlyCheckPlan(CachedPlanSource *ps);

#endif							/* AIM_READONLY_GUARD_H */
