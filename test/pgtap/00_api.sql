-- 00_api.sql: the SQL surface of aimarketing as DESIGN.md and STYLE.md
-- sections 5 and 8 promise it: signatures, return types, labels
-- (IMMUTABLE, STRICT as declared, PARALLEL SAFE), COMMENT ON, no SECURITY
-- DEFINER, and aggregates that are combinable (numeric ones with an exact
-- moving-aggregate inverse) over ordinary, non-internal state types.
--
-- The catalogue-wide checks (parallel safety, comments, SECURITY DEFINER,
-- state types) cover every function the extension owns (pg_depend deptype
-- 'e'), so functions added later are held to the same rules.  The one
-- documented exception: functions that run a query passed as text
-- (frequent_itemsets, apriori_rules) are VOLATILE and PARALLEL UNSAFE
-- (STYLE.md section 8); they are listed in aim_runs_sql below, and their
-- own contract is in 40_basket.sql.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;

BEGIN;
SELECT plan(90);

-- the functions and aggregates of the extension, as regprocedure text
CREATE TEMP VIEW aim_ext_procs AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.prokind
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_depend d
    ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
 WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension
                      WHERE extname = 'aimarketing')
   AND d.deptype = 'e';

--
-- existence with exact argument types (17)
--
SELECT has_function('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                    'cosine_sim(float8[], float8[]) exists');
SELECT has_function('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                    'pearson_sim(float8[], float8[]) exists');
SELECT has_function('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                    'kmeans_assign(float8[], float8[]) exists');
SELECT has_function('churn_score', ARRAY['double precision[]', 'double precision[]'],
                    'churn_score(float8[], float8[]) exists');
SELECT has_function('roi', ARRAY['double precision', 'double precision'],
                    'roi(float8, float8) exists');
SELECT has_function('roi', ARRAY['numeric', 'numeric'],
                    'roi(numeric, numeric) exists');
SELECT has_function('roas', ARRAY['double precision', 'double precision'],
                    'roas(float8, float8) exists');
SELECT has_function('roas', ARRAY['numeric', 'numeric'],
                    'roas(numeric, numeric) exists');
SELECT has_function('roi_float8_accum',
                    ARRAY['double precision[]', 'double precision', 'double precision'],
                    'roi_float8_accum(float8[], float8, float8) exists');
SELECT has_function('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                    'roi_float8_combine(float8[], float8[]) exists');
SELECT has_function('roi_float8_final', ARRAY['double precision[]'],
                    'roi_float8_final(float8[]) exists');
SELECT has_function('roas_float8_final', ARRAY['double precision[]'],
                    'roas_float8_final(float8[]) exists');
SELECT has_function('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                    'roi_numeric_accum(bytea, numeric, numeric) exists');
SELECT has_function('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                    'roi_numeric_inv(bytea, numeric, numeric) exists');
SELECT has_function('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                    'roi_numeric_combine(bytea, bytea) exists');
SELECT has_function('roi_numeric_final', ARRAY['bytea'],
                    'roi_numeric_final(bytea) exists');
SELECT has_function('roas_numeric_final', ARRAY['bytea'],
                    'roas_numeric_final(bytea) exists');

-- the extension owns at least these (later versions may add more)
SELECT is(ARRAY(SELECT unnest(ARRAY['cosine_sim(double precision[],double precision[])',
          'pearson_sim(double precision[],double precision[])',
          'kmeans_assign(double precision[],double precision[])',
          'churn_score(double precision[],double precision[])',
          'roi(double precision,double precision)',
          'roi(numeric,numeric)',
          'roas(double precision,double precision)',
          'roas(numeric,numeric)',
          'roi_float8_accum(double precision[],double precision,double precision)',
          'roi_float8_combine(double precision[],double precision[])',
          'roi_float8_final(double precision[])',
          'roas_float8_final(double precision[])',
          'roi_numeric_accum(bytea,numeric,numeric)',
          'roi_numeric_inv(bytea,numeric,numeric)',
          'roi_numeric_combine(bytea,bytea)',
          'roi_numeric_final(bytea)',
          'roas_numeric_final(bytea)'])
                EXCEPT SELECT sig FROM aim_ext_procs ORDER BY 1),
          '{}'::text[],
          'the extension owns all 17 functions and aggregates of version 0.1.0');

--
-- return types (17)
--
SELECT function_returns('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'cosine_sim returns float8');
SELECT function_returns('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'pearson_sim returns float8');
SELECT function_returns('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                        'integer', 'kmeans_assign returns int');
SELECT function_returns('churn_score', ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'churn_score returns float8');
SELECT function_returns('roi', ARRAY['double precision', 'double precision'],
                        'double precision', 'roi(float8, float8) returns float8');
SELECT function_returns('roi', ARRAY['numeric', 'numeric'],
                        'numeric', 'roi(numeric, numeric) returns numeric');
SELECT function_returns('roas', ARRAY['double precision', 'double precision'],
                        'double precision', 'roas(float8, float8) returns float8');
SELECT function_returns('roas', ARRAY['numeric', 'numeric'],
                        'numeric', 'roas(numeric, numeric) returns numeric');
SELECT function_returns('roi_float8_accum',
                        ARRAY['double precision[]', 'double precision', 'double precision'],
                        'double precision[]', 'roi_float8_accum returns float8[]');
SELECT function_returns('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                        'double precision[]', 'roi_float8_combine returns float8[]');
SELECT function_returns('roi_float8_final', ARRAY['double precision[]'],
                        'double precision', 'roi_float8_final returns float8');
SELECT function_returns('roas_float8_final', ARRAY['double precision[]'],
                        'double precision', 'roas_float8_final returns float8');
SELECT function_returns('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                        'bytea', 'roi_numeric_accum returns bytea');
SELECT function_returns('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                        'bytea', 'roi_numeric_inv returns bytea');
SELECT function_returns('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                        'bytea', 'roi_numeric_combine returns bytea');
SELECT function_returns('roi_numeric_final', ARRAY['bytea'],
                        'numeric', 'roi_numeric_final returns numeric');
SELECT function_returns('roas_numeric_final', ARRAY['bytea'],
                        'numeric', 'roas_numeric_final returns numeric');

--
-- volatility: everything is IMMUTABLE (17)
--
SELECT volatility_is('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'cosine_sim is IMMUTABLE');
SELECT volatility_is('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'pearson_sim is IMMUTABLE');
SELECT volatility_is('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'kmeans_assign is IMMUTABLE');
SELECT volatility_is('churn_score', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'churn_score is IMMUTABLE');
SELECT volatility_is('roi', ARRAY['double precision', 'double precision'],
                     'immutable', 'roi(float8, float8) is IMMUTABLE');
SELECT volatility_is('roi', ARRAY['numeric', 'numeric'],
                     'immutable', 'roi(numeric, numeric) is IMMUTABLE');
SELECT volatility_is('roas', ARRAY['double precision', 'double precision'],
                     'immutable', 'roas(float8, float8) is IMMUTABLE');
SELECT volatility_is('roas', ARRAY['numeric', 'numeric'],
                     'immutable', 'roas(numeric, numeric) is IMMUTABLE');
SELECT volatility_is('roi_float8_accum',
                     ARRAY['double precision[]', 'double precision', 'double precision'],
                     'immutable', 'roi_float8_accum is IMMUTABLE');
SELECT volatility_is('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'roi_float8_combine is IMMUTABLE');
SELECT volatility_is('roi_float8_final', ARRAY['double precision[]'],
                     'immutable', 'roi_float8_final is IMMUTABLE');
SELECT volatility_is('roas_float8_final', ARRAY['double precision[]'],
                     'immutable', 'roas_float8_final is IMMUTABLE');
SELECT volatility_is('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                     'immutable', 'roi_numeric_accum is IMMUTABLE');
SELECT volatility_is('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                     'immutable', 'roi_numeric_inv is IMMUTABLE');
SELECT volatility_is('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                     'immutable', 'roi_numeric_combine is IMMUTABLE');
SELECT volatility_is('roi_numeric_final', ARRAY['bytea'],
                     'immutable', 'roi_numeric_final is IMMUTABLE');
SELECT volatility_is('roas_numeric_final', ARRAY['bytea'],
                     'immutable', 'roas_numeric_final is IMMUTABLE');

--
-- strictness as declared (13): the user-facing functions and the float8
-- helpers are STRICT; the numeric transition, inverse and combine functions
-- are not (their state starts NULL and NULL rows must be skipped by hand)
--
SELECT is_strict('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                 'cosine_sim is STRICT');
SELECT is_strict('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                 'pearson_sim is STRICT');
SELECT is_strict('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                 'kmeans_assign is STRICT');
SELECT is_strict('churn_score', ARRAY['double precision[]', 'double precision[]'],
                 'churn_score is STRICT');
SELECT is_strict('roi_float8_accum',
                 ARRAY['double precision[]', 'double precision', 'double precision'],
                 'roi_float8_accum is STRICT (skips NULL rows)');
SELECT is_strict('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                 'roi_float8_combine is STRICT');
SELECT is_strict('roi_float8_final', ARRAY['double precision[]'],
                 'roi_float8_final is STRICT');
SELECT is_strict('roas_float8_final', ARRAY['double precision[]'],
                 'roas_float8_final is STRICT');
SELECT is_strict('roi_numeric_final', ARRAY['bytea'],
                 'roi_numeric_final is STRICT');
SELECT is_strict('roas_numeric_final', ARRAY['bytea'],
                 'roas_numeric_final is STRICT');
SELECT isnt_strict('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                   'roi_numeric_accum is not STRICT');
SELECT isnt_strict('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                   'roi_numeric_inv is not STRICT');
SELECT isnt_strict('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                   'roi_numeric_combine is not STRICT');

--
-- kinds (8)
--
SELECT is_aggregate('roi', ARRAY['double precision', 'double precision'],
                    'roi(float8, float8) is an aggregate');
SELECT is_aggregate('roi', ARRAY['numeric', 'numeric'],
                    'roi(numeric, numeric) is an aggregate');
SELECT is_aggregate('roas', ARRAY['double precision', 'double precision'],
                    'roas(float8, float8) is an aggregate');
SELECT is_aggregate('roas', ARRAY['numeric', 'numeric'],
                    'roas(numeric, numeric) is an aggregate');
SELECT isnt_aggregate('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                      'cosine_sim is a plain function');
SELECT isnt_aggregate('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                      'pearson_sim is a plain function');
SELECT isnt_aggregate('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                      'kmeans_assign is a plain function');
SELECT isnt_aggregate('churn_score', ARRAY['double precision[]', 'double precision[]'],
                      'churn_score is a plain function');

--
-- catalogue-wide rules over everything the extension owns (8)
--
SELECT cmp_ok((SELECT count(*)::int FROM aim_ext_procs), '>=', 17,
              'pg_depend finds the extension''s functions');
-- the functions that run SQL text through SPI: the query may call
-- functions that are not parallel safe, and must not run inside a parallel
-- operation (src/basket.c), so they are VOLATILE and PARALLEL UNSAFE
CREATE TEMP VIEW aim_runs_sql (sig) AS VALUES
    ('apriori_rules(text,double precision,double precision,integer)'),
    ('frequent_itemsets(text,double precision,integer)');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE p.proparallel <> 's'
                   AND a.sig NOT IN (SELECT sig FROM aim_runs_sql) ORDER BY 1),
          '{}'::text[],
          'every function and aggregate of the extension is PARALLEL SAFE, except those that run SQL text');
SELECT is(ARRAY(SELECT a.sig || ': ' || p.provolatile::text || ' ' || p.proparallel::text
                  FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE a.sig IN (SELECT sig FROM aim_runs_sql) ORDER BY 1),
          ARRAY['apriori_rules(text,double precision,double precision,integer): v u',
                'frequent_itemsets(text,double precision,integer): v u'],
          'the functions that run SQL text (and only they) are VOLATILE and PARALLEL UNSAFE');
SELECT is(ARRAY(SELECT sig FROM aim_ext_procs
                 WHERE obj_description(oid, 'pg_proc') IS NULL
                    OR obj_description(oid, 'pg_proc') = '' ORDER BY 1),
          '{}'::text[],
          'every function and aggregate of the extension has a COMMENT');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE p.prosecdef ORDER BY 1),
          '{}'::text[],
          'no function of the extension is SECURITY DEFINER');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE p.proconfig IS NOT NULL ORDER BY 1),
          '{}'::text[],
          'no function of the extension carries a SET clause');
-- DESIGN.md prefers ordinary state types (Citus pushdown); kmeans keeps an
-- internal point buffer on purpose (src/kmeans.c) and must then serialize
SELECT is(ARRAY(SELECT DISTINCT p.proname::text FROM aim_ext_procs a
                  JOIN pg_aggregate g ON g.aggfnoid = a.oid
                  JOIN pg_proc p ON p.oid = a.oid
                 WHERE g.aggtranstype = 'internal'::regtype
                    OR g.aggmtranstype = 'internal'::regtype ORDER BY 1),
          '{kmeans}'::text[],
          'only kmeans keeps an internal state (DESIGN.md: ordinary types for Citus pushdown)');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a
                  JOIN pg_aggregate g ON g.aggfnoid = a.oid
                 WHERE g.aggtranstype = 'internal'::regtype
                   AND (g.aggserialfn = 0 OR g.aggdeserialfn = 0) ORDER BY 1),
          '{}'::text[],
          'every aggregate with an internal state has serialize and deserialize functions');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a
                  JOIN pg_aggregate g ON g.aggfnoid = a.oid
                 WHERE g.aggcombinefn = 0 ORDER BY 1),
          '{}'::text[],
          'every aggregate of the extension has a combine function');

--
-- the four roi/roas aggregates: combine, inverse, state types (8)
--
SELECT is((SELECT aggcombinefn::regproc::text FROM pg_aggregate
            WHERE aggfnoid = 'roi(float8, float8)'::regprocedure),
          'roi_float8_combine', 'roi(float8, float8) combines with roi_float8_combine');
SELECT is((SELECT aggcombinefn::regproc::text FROM pg_aggregate
            WHERE aggfnoid = 'roas(float8, float8)'::regprocedure),
          'roi_float8_combine', 'roas(float8, float8) combines with roi_float8_combine');
SELECT is((SELECT aggcombinefn::regproc::text || ' ' || aggminvtransfn::regproc::text
             FROM pg_aggregate
            WHERE aggfnoid = 'roi(numeric, numeric)'::regprocedure AND aggcombinefn <> 0
              AND aggminvtransfn <> 0),
          'roi_numeric_combine roi_numeric_inv',
          'roi(numeric, numeric) has a combine function and a moving-aggregate inverse');
SELECT is((SELECT aggcombinefn::regproc::text || ' ' || aggminvtransfn::regproc::text
             FROM pg_aggregate
            WHERE aggfnoid = 'roas(numeric, numeric)'::regprocedure AND aggcombinefn <> 0
              AND aggminvtransfn <> 0),
          'roi_numeric_combine roi_numeric_inv',
          'roas(numeric, numeric) has a combine function and a moving-aggregate inverse');
SELECT is((SELECT aggminvtransfn::oid FROM pg_aggregate
            WHERE aggfnoid = 'roi(float8, float8)'::regprocedure),
          0::oid, 'roi(float8, float8) has no inverse (float subtraction is not exact)');
SELECT is((SELECT aggminvtransfn::oid FROM pg_aggregate
            WHERE aggfnoid = 'roas(float8, float8)'::regprocedure),
          0::oid, 'roas(float8, float8) has no inverse (float subtraction is not exact)');
SELECT is((SELECT array_agg(DISTINCT format_type(aggtranstype, NULL)
                            || '/' || agginitval)
             FROM pg_aggregate
            WHERE aggfnoid IN ('roi(float8, float8)'::regprocedure,
                               'roas(float8, float8)'::regprocedure)),
          ARRAY['double precision[]/{0,0,0}'],
          'float8 roi/roas keep a float8[3] state starting at {0,0,0}');
SELECT is((SELECT array_agg(DISTINCT format_type(aggtranstype, NULL) || '/'
                            || format_type(aggmtranstype, NULL) || '/'
                            || coalesce(agginitval, 'no initcond'))
             FROM pg_aggregate
            WHERE aggfnoid IN ('roi(numeric, numeric)'::regprocedure,
                               'roas(numeric, numeric)'::regprocedure)),
          ARRAY['bytea/bytea/no initcond'],
          'numeric roi/roas keep a bytea state (plain and moving)');

SELECT * FROM finish();
ROLLBACK;
