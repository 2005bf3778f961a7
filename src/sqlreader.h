/*-------------------------------------------------------------------------
 *
 * sqlreader.h
 *	  The reader of SQL-text input: functions that take their data as the
 *	  text of a query (frequent_itemsets(), apriori_rules()) run it through
 *	  this reader, which knows nothing of what the rows mean.
 *
 * AimQueryRun() prepares the query, checks that it is one read-only query
 * (readonly_guard.h), lets the caller check its result columns, then runs
 * it read-only with the caller's privileges and streams its rows to the
 * caller one by one, without materialising the result.  Errors name the
 * function and its SQL-text argument, and an error context line says that
 * the query runs read-only.
 *
 * A consumer:
 *
 *	 describe(arg, desc): checks the number and kinds of the result
 *	   columns, reporting unusable ones with AimQueryColumnsError() or
 *	   AimQueryColumnError(), and sets up an AimColumn for each column whose
 *	   values it maps to ids (AimColumnInit());
 *	 a row function fn(arg, values, isnull): takes one row, mapping values
 *	   to dense ids with AimColumnId() (any value) or AimColumnRunId() (a
 *	   column whose equal values usually arrive together, such as a basket
 *	   or customer id) into key dictionaries (keydict.h); AimColumnIdText()
 *	   gives the text of an id back for output;
 *	 receiveSlot(slot, self): one line, return AimReceiveRow(slot, self, fn).
 *
 * Values are compared by their text form: integers by value (which is the
 * same thing), text, varchar and char by their bytes, every other type
 * through its output function.
 *
 *-------------------------------------------------------------------------
 */
#ifndef AIM_SQLREADER_H
#define AIM_SQLREADER_H

#include "access/detoast.h"
#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "tcop/dest.h"

#include "keydict.h"

/* how the values of a column (or of array elements) become keys */
typedef enum AimKeyKind
{
	AIM_KEY_INT,				/* int2, int4, int8: by value */
	AIM_KEY_TEXT,				/* text, varchar, bpchar: their bytes */
	AIM_KEY_OUTPUT				/* anything else: the output function */
} AimKeyKind;

/* what we know about one input column */
typedef struct AimColumn
{
	Oid			typid;			/* base type of the column, or element type */
	AimKeyKind	kind;
	FmgrInfo	outfn;			/* for AIM_KEY_OUTPUT */
	int16		typlen;			/* element storage, for arrays */
	bool		typbyval;
	char		typalign;
} AimColumn;

/*
 * The last key of a column whose equal values usually arrive together:
 * AimColumnRunId() returns its id without a dictionary lookup while the run
 * lasts.  Starts zeroed.
 */
typedef struct AimKeyRun
{
	bool		valid;
	uint32		id;
	int64		last_int;
	char	   *last_str;		/* in the dictionary's context */
	uint32		last_len;
	uint32		last_cap;
} AimKeyRun;

/* a query given as SQL text, and its consumer */
typedef struct AimQuery
{
	const char *sql;
	const char *caller;			/* SQL name of the function: "apriori_rules" */
	const char *argname;		/* its argument holding sql: "baskets_sql" */
	const char *hint;			/* errhint of the read-only errors: what to
								 * pass instead */
	/* check the result columns and set up their readers */
	void		(*describe) (void *arg, TupleDesc desc);
	/* the consumer's DestReceiver function: see AimReceiveRow() */
	bool		(*receiveSlot) (TupleTableSlot *slot, DestReceiver *self);
	void	   *arg;			/* the consumer's state */
} AimQuery;

/* the DestReceiver of the query's rows */
typedef struct AimRowReceiver
{
	DestReceiver pub;
	MemoryContext rowcxt;		/* reset after rows that allocate in it */
	void	   *arg;			/* AimQuery.arg */
} AimRowReceiver;

/*
 * A row function: takes one row, in the row context, and returns true if
 * it allocated there (*used_rowcxt of the AimColumn functions).
 */
typedef bool (*AimRowFunc) (void *arg, Datum *values, bool *isnull);

extern void AimQueryRun(const AimQuery *q);
extern void AimQueryColumnsError(const AimQuery *q, const char *shape,
								 const char *detail, const char *hint) pg_attribute_noreturn();
extern void AimQueryColumnError(const AimQuery *q, TupleDesc desc, int attno,
								const char *colname, const char *problem,
								const char *hint) pg_attribute_noreturn();

extern void AimColumnInit(AimColumn *c, Oid typid, MemoryContext cxt);
extern void AimColumnIdText(const AimColumn *c, const AimDict *d, uint32 id,
							char *buf, const char **p, uint32 *len);

/*
 * The body of a consumer's receiveSlot: hand the row to fn in the row
 * context, which is reset if fn used it.  The consumer's receiveSlot is a
 * static function that only calls this with its fn, so that fn is inlined
 * there: a row costs no call through a pointer beyond the executor's own.
 */
static inline bool
AimReceiveRow(TupleTableSlot *slot, DestReceiver *self, AimRowFunc fn)
{
	AimRowReceiver *r = (AimRowReceiver *) self;
	MemoryContext old = MemoryContextSwitchTo(r->rowcxt);
	bool		used_rowcxt;

	slot_getallattrs(slot);
	used_rowcxt = fn(r->arg, slot->tts_values, slot->tts_isnull);
	MemoryContextSwitchTo(old);
	if (used_rowcxt)
		MemoryContextReset(r->rowcxt);
	return true;
}

/* the value of an AIM_KEY_INT column */
static inline int64
AimColumnInt(const AimColumn *c, Datum d)
{
	switch (c->typid)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		default:
			return DatumGetInt64(d);
	}
}

/*
 * The text form of a value of a non-integer column as (pointer, length).
 * Text-like values are read in place (detoasted if needed); others go
 * through the output function.  Returns true if memory in the current
 * (row) context was used.
 */
static inline bool
AimColumnBytes(AimColumn *c, Datum d, const char **p, uint32 *len)
{
	if (c->kind == AIM_KEY_TEXT)
	{
		struct varlena *v = (struct varlena *) DatumGetPointer(d);
		struct varlena *dv = pg_detoast_datum_packed(v);

		*p = VARDATA_ANY(dv);
		*len = VARSIZE_ANY_EXHDR(dv);
		return dv != v;
	}
	else
	{
		char	   *s = OutputFunctionCall(&c->outfn, d);

		*p = s;
		*len = strlen(s);
		return true;
	}
}

/*
 * The id in dict of a (non-NULL) value of column c; sets *used_rowcxt if
 * memory in the row context was used.
 */
static inline uint32
AimColumnId(AimColumn *c, AimDict *dict, Datum d, bool *used_rowcxt)
{
	const char *p;
	uint32		len;

	if (c->kind == AIM_KEY_INT)
		return AimDictInt(dict, AimColumnInt(c, d));
	if (AimColumnBytes(c, d, &p, &len))
		*used_rowcxt = true;
	return AimDictBytes(dict, p, len);
}

/* AimColumnId() for a column whose equal values usually arrive together */
static inline uint32
AimColumnRunId(AimColumn *c, AimDict *dict, AimKeyRun *run, Datum d,
			   bool *used_rowcxt)
{
	uint32		id;

	if (c->kind == AIM_KEY_INT)
	{
		int64		key = AimColumnInt(c, d);

		if (run->valid && run->last_int == key)
			return run->id;
		id = AimDictInt(dict, key);
		run->last_int = key;
	}
	else
	{
		const char *p;
		uint32		len;

		if (AimColumnBytes(c, d, &p, &len))
			*used_rowcxt = true;
		if (run->valid && run->last_len == len &&
			memcmp(run->last_str, p, len) == 0)
			return run->id;
		id = AimDictBytes(dict, p, len);
		if (len > run->last_cap)
		{
			run->last_cap = Max(len, 64);
			run->last_str = run->last_str == NULL ?
				MemoryContextAlloc(dict->cxt, run->last_cap) :
				repalloc(run->last_str, run->last_cap);
		}
		memcpy(run->last_str, p, len);
		run->last_len = len;
	}
	run->valid = true;
	run->id = id;
	return id;
}

#endif							/* AIM_SQLREADER_H */
