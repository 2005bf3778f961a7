/*-------------------------------------------------------------------------
 *
 * sqlreader.c
 *	  The reader of SQL-text input (see sqlreader.h): run the query
 *	  read-only with the caller's privileges, check its plan, and stream its
 *	  rows to the consumer's DestReceiver function.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "executor/tuptable.h"
#include "tcop/dest.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "readonly_guard.h"
#include "sqlreader.h"

/*
 * Report that the query's result columns do not have the expected shape:
 * "<argname> must return <shape>", with a detail and an optional hint.
 */
void
AimQueryColumnsError(const AimQuery *q, const char *shape, const char *detail,
					 const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("%s must return %s", q->argname, shape),
			 errdetail("%s", detail),
			 hint ? errhint("%s", hint) : 0));
}

/*
 * Report that result column attno (from 1), the query's colname column, is
 * unusable: "the <colname> column of <argname> <problem>", with its type in
 * the detail.
 */
void
AimQueryColumnError(const AimQuery *q, TupleDesc desc, int attno,
					const char *colname, const char *problem, const char *hint)
{
	static const char *const ordinal[] = {"first", "second", "third", "fourth"};
	const char *type = format_type_be(TupleDescAttr(desc, attno - 1)->atttypid);

	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("the %s column of %s %s", colname, q->argname, problem),
			 attno <= lengthof(ordinal) ?
			 errdetail("The %s column is of type %s.", ordinal[attno - 1], type) :
			 errdetail("Column %d is of type %s.", attno, type),
			 hint ? errhint("%s", hint) : 0));
}

/* Set up how the values of a column of type typid are read. */
void
AimColumnInit(AimColumn *c, Oid typid, MemoryContext cxt)
{
	Oid			base = getBaseType(typid);
	Oid			outfn;
	bool		isvarlena;

	c->typid = base;
	switch (base)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			c->kind = AIM_KEY_INT;
			break;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
			c->kind = AIM_KEY_TEXT;
			break;
		default:
			c->kind = AIM_KEY_OUTPUT;
			getTypeOutputInfo(base, &outfn, &isvarlena);
			fmgr_info_cxt(outfn, &c->outfn, cxt);
			break;
	}
	get_typlenbyvalalign(base, &c->typlen, &c->typbyval, &c->typalign);
}

/*
 * The text of key id of dictionary d, which holds the values of column c
 * and keeps its keys, as (pointer, length); integers are formatted into
 * buf (at least MAXINT8LEN + 1 bytes).
 */
void
AimColumnIdText(const AimColumn *c, const AimDict *d, uint32 id, char *buf,
				const char **p, uint32 *len)
{
	Assert(d->keep_keys && id < d->n);
	if (c->kind == AIM_KEY_INT)
	{
		*len = pg_lltoa(d->ikeys[id], buf);
		*p = buf;
	}
	else
	{
		*p = d->skeys[id].ptr;
		*len = d->skeys[id].len;
	}
}

static void
ReceiverStartup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
ReceiverShutdown(DestReceiver *self)
{
}

static void
ReceiverDestroy(DestReceiver *self)
{
}

/* error context: say that the query runs read-only, and for whom */
static void
QueryErrorContext(void *arg)
{
	const AimQuery *q = (const AimQuery *) arg;

	errcontext("%s of %s(), which runs read-only", q->argname, q->caller);
}

/*
 * Check the prepared query: one read-only query, whose result columns the
 * consumer accepts.
 */
static void
CheckPlan(SPIPlanPtr plan, const AimQuery *q)
{
	List	   *sources = SPI_plan_get_plan_sources(plan);
	CachedPlanSource *ps;

	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("%s must contain exactly one query", q->argname),
				 errdetail("It contains %d statements.", list_length(sources))));
	ps = (CachedPlanSource *) linitial(sources);
	AimReadOnlyCheckPlan(ps);
	/* a SELECT always has a result descriptor, perhaps of no columns */
	if (ps->resultDesc == NULL)
		elog(ERROR, "query of %s has no result descriptor", q->argname);
	q->describe(q->arg, ps->resultDesc);
}

/* prepare, check and run the query, under the read-only guard */
static void
RunGuarded(const AimQuery *q, DestReceiver *dest)
{
	AimReadOnlyScope scope;

	AimReadOnlyBegin(&scope, q->argname, q->hint);
	PG_TRY();
	{
		SPIPrepareOptions popts;
		SPIExecuteOptions eopts;
		SPIPlanPtr	plan;
		int			rc;

		memset(&popts, 0, sizeof(popts));
		popts.parseMode = RAW_PARSE_DEFAULT;
		popts.cursorOptions = CURSOR_OPT_PARALLEL_OK;
		plan = SPI_prepare_extended(q->sql, &popts);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare_extended failed: %s",
				 SPI_result_code_string(SPI_result));
		CheckPlan(plan, q);

		memset(&eopts, 0, sizeof(eopts));
		eopts.read_only = true;
		eopts.tcount = 0;
		eopts.dest = dest;
		rc = SPI_execute_plan_extended(plan, &eopts);
		if (rc < 0)
			elog(ERROR, "SPI_execute_plan_extended failed: %s",
				 SPI_result_code_string(rc));
	}
	PG_FINALLY();
	{
		AimReadOnlyEnd(&scope);
	}
	PG_END_TRY();
}

/*
 * Run the query q->sql read-only with the caller's privileges: check it
 * (one read-only query, result columns accepted by q->describe), then hand
 * its rows to q->receiveSlot one by one.
 */
void
AimQueryRun(const AimQuery *q)
{
	AimRowReceiver recv;
	ErrorContextCallback errcb;

	memset(&recv, 0, sizeof(recv));
	recv.pub.receiveSlot = q->receiveSlot;
	recv.pub.rStartup = ReceiverStartup;
	recv.pub.rShutdown = ReceiverShutdown;
	recv.pub.rDestroy = ReceiverDestroy;
	recv.pub.mydest = DestNone;
	recv.arg = q->arg;
	recv.rowcxt = AllocSetContextCreate(CurrentMemoryContext, "query row",
										ALLOCSET_SMALL_SIZES);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	errcb.callback = QueryErrorContext;
	errcb.arg = (void *) q;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	RunGuarded(q, &recv.pub);

	error_context_stack = errcb.previous;
	SPI_finish();
	MemoryContextDelete(recv.rowcxt);
}
