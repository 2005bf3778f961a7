/*-------------------------------------------------------------------------
 *
 * readonly_guard.c
 *	  Running a caller's SQL-text query so that neither it nor anything it
 *	  calls can write.
 *
 * The functions that take their input as the text of a query run it with
 * their caller's privileges and promise to only read.  SPI's read-only
 * mode (SPI_execute_plan_extended() with read_only = true) does not keep
 * that promise alone.  It checks the statements of the query itself, as
 * they execute, with CommandIsReadOnly(): no INSERT, UPDATE, DELETE,
 * MERGE, SELECT FOR UPDATE/SHARE, data-modifying WITH or utility
 * statement, refused with "<command> is not allowed in a non-volatile
 * function".  Everything below the query escapes it:
 *
 *	- the statements of a VOLATILE function the query calls (PL/pgSQL and
 *	  SQL functions apply the check only when they are STABLE or IMMUTABLE):
 *	  INSERT, UPDATE, DELETE, MERGE, COPY FROM, row locks, DDL on any
 *	  table, and nextval()/setval() on any sequence;
 *	- C functions, which write what they like: in PostgreSQL 15 the
 *	  large-object functions that write (lo_creat, lo_create, lo_from_bytea,
 *	  lo_import, lo_put, lo_truncate, lo_truncate64, lo_unlink, lowrite) do
 *	  not check for a read-only transaction (16 refuses them there), and an
 *	  extension's C function may create or drop catalog objects directly.
 *
 * How each hole is closed, while a guarded query runs (AimReadOnlyBegin()
 * to AimReadOnlyEnd()):
 *
 *	1. The query itself: AimReadOnlyCheckPlan() refuses it before it runs
 *	   unless it is one SELECT (or VALUES, TABLE) without a data-modifying
 *	   WITH and without row locks, with a message that says so.
 *	2. Writes to permanent objects by called functions: XactReadOnly is set,
 *	   so they fail as in a READ ONLY transaction: DML (checked by
 *	   ExecCheckXactReadOnly()), SELECT FOR UPDATE/SHARE, DDL and every
 *	   other writing utility statement, COPY FROM, nextval()/setval().
 *	3. Writes to temporary tables, which a READ ONLY transaction allows:
 *	   the ExecutorStart hook refuses any executor that is not a plain
 *	   SELECT (INSERT, UPDATE, DELETE, MERGE, or a data-modifying WITH), and
 *	   the ProcessUtility hook refuses COPY FROM (which XactReadOnly allows
 *	   into a temporary table, and which does not go through the executor).
 *	   Creating or dropping a temporary object is already refused by
 *	   XactReadOnly.
 *	4. Large-object writes: the object access hook refuses the functions
 *	   listed above when an expression calling them is set up
 *	   (OAT_FUNCTION_EXECUTE, from ExecInitFunc()).
 *	5. Objects created or dropped by C code: the object access hook refuses
 *	   OAT_POST_CREATE and OAT_DROP (this also refuses CLUSTER, which builds
 *	   a new heap).
 *
 * What is left is what a READ ONLY transaction allows and the hooks do not
 * see: nextval()/setval() on a temporary sequence, row locks taken by a
 * called function on a temporary table, and what changes no data: ANALYZE
 * and REINDEX (statistics and indexes), LOCK, advisory locks, LISTEN,
 * NOTIFY, SET, PREPARE, DECLARE, DISCARD, CHECKPOINT.  (Checked on
 * PostgreSQL 15 with a VOLATILE function running each statement above from
 * a guarded query.)  One large-object hole is left too: PL/pgSQL sets up a
 * simple expression once per transaction, so one calling a large-object
 * writer that already ran earlier in the transaction, outside any guarded
 * query, is not checked again.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/objectaccess.h"
#include "executor/executor.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "tcop/cmdtag.h"
#include "tcop/utility.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"

#include "readonly_guard.h"

/* the innermost guarded query, or NULL: the hooks then reject writes */
static AimReadOnlyScope *current_scope = NULL;
static ExecutorStart_hook_type prev_executor_start = NULL;
static ProcessUtility_hook_type prev_process_utility = NULL;
static object_access_hook_type prev_object_access = NULL;

/* the read-only error, with a detail saying what the query tried */
static void
ReadOnlyError(const char *what)
{
	Assert(current_scope != NULL);
	ereport(ERROR,
			(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
			 errmsg("%s must be a read-only query", current_scope->argname),
			 errdetail("%s", what),
			 errhint("%s", current_scope->hint)));
}

/*
 * While a guarded query runs, refuse to start any executor that would
 * modify a table, including a temporary table (which XactReadOnly alone
 * would allow), whether the statement is the query itself or runs inside a
 * function it calls.
 */
static void
GuardExecutorStart(QueryDesc *queryDesc, int eflags)
{
	if (current_scope != NULL &&
		!(eflags & EXEC_FLAG_EXPLAIN_ONLY) &&
		(queryDesc->operation != CMD_SELECT ||
		 queryDesc->plannedstmt->hasModifyingCTE))
	{
		char	   *detail = psprintf("A function it calls tried to execute %s.",
									  GetCommandTagName(CreateCommandTag((Node *) queryDesc->plannedstmt)));

		ReadOnlyError(detail);
	}
	if (prev_executor_start)
		prev_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
}

/*
 * While a guarded query runs, refuse COPY FROM, which XactReadOnly allows
 * into a temporary table (every other writing utility statement fails on
 * XactReadOnly, temporary tables or not).
 */
static void
GuardProcessUtility(PlannedStmt *pstmt, const char *queryString,
					bool readOnlyTree, ProcessUtilityContext context,
					ParamListInfo params, QueryEnvironment *queryEnv,
					DestReceiver *dest, QueryCompletion *qc)
{
	if (current_scope != NULL &&
		IsA(pstmt->utilityStmt, CopyStmt) &&
		((CopyStmt *) pstmt->utilityStmt)->is_from)
		ReadOnlyError("A function it calls tried to execute COPY FROM.");
	if (prev_process_utility)
		prev_process_utility(pstmt, queryString, readOnlyTree, context,
							 params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context,
								params, queryEnv, dest, qc);
}

/* does the built-in function write large objects? */
static bool
WritesLargeObject(Oid fn)
{
	switch (fn)
	{
		case F_LO_CREAT:
		case F_LO_CREATE:
		case F_LO_FROM_BYTEA:
		case F_LO_IMPORT_TEXT:
		case F_LO_IMPORT_TEXT_OID:
		case F_LO_PUT:
		case F_LO_TRUNCATE:
		case F_LO_TRUNCATE64:
		case F_LO_UNLINK:
		case F_LOWRITE:
			return true;
		default:
			return false;
	}
}

/*
 * While a guarded query runs, refuse the functions that write large
 * objects, when an expression calling them is set up, and the creation or
 * removal of any database object, whatever C code attempts it (see the
 * file header, holes 4 and 5).
 */
static void
GuardObjectAccess(ObjectAccessType access, Oid classId, Oid objectId,
				  int subId, void *arg)
{
	if (current_scope != NULL)
	{
		if (access == OAT_FUNCTION_EXECUTE && WritesLargeObject(objectId))
			ReadOnlyError(psprintf("A function it calls tried to execute %s(), which writes large objects.",
								   get_func_name(objectId)));
		if (access == OAT_POST_CREATE || access == OAT_DROP)
			ReadOnlyError("A function it calls tried to create or drop a database object.");
	}
	if (prev_object_access)
		prev_object_access(access, classId, objectId, subId, arg);
}

/* Install the executor, utility and object access hooks (from _PG_init). */
void
AimReadOnlyGuardInit(void)
{
	prev_object_access = object_access_hook;
	object_access_hook = GuardObjectAccess;
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = GuardExecutorStart;
	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = GuardProcessUtility;
}

/*
 * Start guarding a query: the backend is read-only and the hooks reject
 * writes until AimReadOnlyEnd(scope), which the caller must reach on error
 * too (PG_FINALLY).  argname and hint are those of the errors raised
 * meanwhile.
 */
void
AimReadOnlyBegin(AimReadOnlyScope *scope, const char *argname,
				 const char *hint)
{
	scope->argname = argname;
	scope->hint = hint;
	scope->save_read_only = XactReadOnly;
	scope->outer = current_scope;
	XactReadOnly = true;
	current_scope = scope;
}

/* Stop guarding the query of scope, the innermost one. */
void
AimReadOnlyEnd(AimReadOnlyScope *scope)
{
	Assert(current_scope == scope);
	XactReadOnly = scope->save_read_only;
	current_scope = scope->outer;
}

/* does the query, or any subquery of it, lock rows (FOR UPDATE/SHARE)? */
static bool
LocksRowsWalker(Node *node, void *context)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
	{
		Query	   *q = (Query *) node;

		if (q->rowMarks != NIL)
			return true;
		return query_tree_walker(q, LocksRowsWalker, context, 0);
	}
	return expression_tree_walker(node, LocksRowsWalker, context);
}

/*
 * Check, before it runs, that the prepared query of the current scope is a
 * SELECT (or VALUES, TABLE) that neither modifies data nor locks rows.
 */
void
AimReadOnlyCheckPlan(CachedPlanSource *ps)
{
	ListCell   *lc;

	if (ps->commandTag != CMDTAG_SELECT)
		ReadOnlyError(psprintf("It is a statement of type %s.",
							   GetCommandTagName(ps->commandTag)));
	foreach(lc, ps->query_list)
	{
		Query	   *q = lfirst_node(Query, lc);

		if (q->commandType != CMD_SELECT || q->utilityStmt != NULL)
			ReadOnlyError(psprintf("It is a statement of type %s.",
								   GetCommandTagName(CreateCommandTag((Node *) q))));
		if (q->hasModifyingCTE)
			ReadOnlyError("Its WITH clause contains a data-modifying statement.");
		if (LocksRowsWalker((Node *) q, NULL))
			ReadOnlyError("It locks rows with FOR UPDATE or FOR SHARE.");
	}
}
