--
-- Every function of the extension with its labels: a forgotten IMMUTABLE,
-- STRICT or PARALLEL SAFE shows up as a diff here.  Also: every object has
-- a comment, and nothing is SECURITY DEFINER.
--
SELECT p.oid::regprocedure AS function, p.prokind, p.provolatile,
       p.proisstrict, p.proparallel, p.prosecdef,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS has_comment
  FROM pg_depend d
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'aimarketing'
  JOIN pg_proc p ON p.oid = d.objid AND d.classid = 'pg_proc'::regclass
 WHERE d.deptype = 'e'
 ORDER BY p.proname, p.oid::regprocedure::text;

-- aggregates: support functions and parallel support
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggtransfn, a.aggcombinefn,
       a.aggfinalfn, a.aggmtransfn, a.aggminvtransfn, a.aggtranstype::regtype
  FROM pg_aggregate a
  JOIN pg_depend d ON d.objid = a.aggfnoid AND d.classid = 'pg_proc'::regclass
       AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'aimarketing'
 ORDER BY a.aggfnoid::regprocedure::text;
