-- 60_privileges.sql: privileges and safety (issue 7).
--
--  * an unprivileged role (NOSUPERUSER, no grant but SELECT on the test
--    tables it reads) may execute every function and aggregate of the
--    extension, and gets the right answer from each (the list comes from
--    pg_depend, so a function added later without a call here fails the
--    coverage test);
--  * nothing is SECURITY DEFINER, nothing carries SET options, every
--    function is C (no SQL body resolving names at run time), the
--    extension is not trusted (only a superuser installs it);
--  * frequent_itemsets/apriori_rules run baskets_sql, item_neighbors/
--    recommend_items interactions_sql, with the caller's rights: table and
--    column privileges, row-level security, views;
--  * baskets_sql cannot write: DML, data-modifying CTEs, functions that
--    write (permanent or temporary tables, sequences, large objects, DDL,
--    TRUNCATE, row locks, a switch back to read-write), COPY, several
--    statements; the data is unchanged afterwards.  The one write left is
--    nextval() on a temporary sequence, pinned here as documented;
--  * a hostile search_path (a schema of another user first, shadowing
--    pg_catalog functions and operators with more specific signatures and
--    the aggregates' support functions with identical ones) changes no
--    result and none of its objects is called.
--
-- The install script under a hostile search_path, the upgrade path and
-- DROP EXTENSION are checked in test/robust/50_upgrade.sh.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;

BEGIN;
SELECT plan(713);

CREATE ROLE aim_priv_alice NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS;
CREATE ROLE aim_priv_bob NOSUPERUSER;
CREATE ROLE aim_priv_mallory NOSUPERUSER;

-- the functions and aggregates of the extension
CREATE TEMP VIEW aim_priv_procs AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.proname, p.prokind,
       'internal'::regtype = ANY (p.proargtypes) AS takes_internal
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_depend d
    ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
 WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'aimarketing')
   AND d.deptype = 'e';
GRANT SELECT ON aim_priv_procs TO PUBLIC;

-- run a statement and undo it: 'ok', or the error
CREATE FUNCTION pg_temp.aim_try(q text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE q;
	RAISE EXCEPTION 'undo' USING ERRCODE = 'AIM00';
EXCEPTION
	WHEN SQLSTATE 'AIM00' THEN
		RETURN 'ok';
	WHEN OTHERS THEN
		RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END
$f$;

-- evaluate a statement returning one value, as text; an error comes back
-- as 'ERROR sqlstate: message' (the caller's role and search_path apply)
CREATE FUNCTION pg_temp.aim_eval(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	r text;
BEGIN
	EXECUTE q INTO r;
	RETURN r;
EXCEPTION WHEN OTHERS THEN
	RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM;
END
$f$;

--
-- the role
--
SELECT ok(NOT rolsuper AND NOT rolbypassrls AND NOT rolcreatedb AND NOT rolcreaterole,
          'aim_priv_alice is an ordinary role')
  FROM pg_roles WHERE rolname = 'aim_priv_alice';
SELECT is((SELECT count(*)::int FROM pg_auth_members WHERE member = 'aim_priv_alice'::regrole),
          0, 'aim_priv_alice is a member of no role');
SELECT ok((SELECT bool_and(superuser AND NOT trusted) FROM pg_available_extension_versions
            WHERE name = 'aimarketing'),
          'the extension is not trusted: only a superuser can install any version of it');

--
-- labels of every function
--
SELECT is(ARRAY(SELECT sig FROM aim_priv_procs p JOIN pg_proc USING (oid)
                 WHERE prosecdef ORDER BY 1), '{}'::text[],
          'no function or aggregate is SECURITY DEFINER');
SELECT is(ARRAY(SELECT sig FROM aim_priv_procs p JOIN pg_proc USING (oid)
                 WHERE proconfig IS NOT NULL ORDER BY 1), '{}'::text[],
          'no function carries SET options (proconfig is NULL)');
SELECT is(ARRAY(SELECT sig || ' ' || l.lanname
                  FROM aim_priv_procs p JOIN pg_proc f USING (oid)
                  JOIN pg_language l ON l.oid = f.prolang
                 WHERE p.prokind <> 'a' AND l.lanname NOT IN ('c', 'internal')
                   AND NOT (l.lanname = 'sql' AND f.prosqlbody IS NOT NULL)
                 ORDER BY 1), '{}'::text[],
          'every function is C (or SQL with a BEGIN ATOMIC body, parsed at install): nothing resolves names at run time');
SELECT is(ARRAY(SELECT DISTINCT format('%s: %s', a.aggfnoid::regprocedure, s.fn::regprocedure)
                  FROM pg_aggregate a
                  JOIN aim_priv_procs p ON p.oid = a.aggfnoid
                  CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                                  a.aggserialfn, a.aggdeserialfn, a.aggmtransfn,
                                                  a.aggminvtransfn, a.aggmfinalfn]::oid[]) AS s(fn)
                 WHERE s.fn <> 0 AND s.fn NOT IN (SELECT oid FROM aim_priv_procs)
                 ORDER BY 1), '{}'::text[],
          'every support function of every aggregate is a function of the extension');

--
-- test data.  alice owns aim_priv_mine (so a write would be allowed but for
-- the read-only rule) and may SELECT the two tables of postgres; bob's
-- tables are private, column-restricted, or row-restricted.
--
CREATE TABLE aim_priv_mine (basket int, item text);
INSERT INTO aim_priv_mine VALUES (1, 'a'), (1, 'b'), (2, 'a'), (2, 'b'), (3, 'a'), (3, 'c');
ALTER TABLE aim_priv_mine OWNER TO aim_priv_alice;
CREATE SEQUENCE aim_priv_seq;
ALTER SEQUENCE aim_priv_seq OWNER TO aim_priv_alice;
CREATE TABLE aim_priv_pts (f float8[]);
INSERT INTO aim_priv_pts VALUES ('{0,0}'), ('{0,1}'), ('{10,10}'), ('{10,11}');
CREATE TABLE aim_priv_lg (x float8, y boolean);
INSERT INTO aim_priv_lg VALUES (0, false), (1, false), (2, true), (3, false), (4, true), (5, true);
GRANT SELECT ON aim_priv_pts, aim_priv_lg TO aim_priv_alice;

CREATE TABLE aim_priv_bob (basket int, item text);
INSERT INTO aim_priv_bob VALUES (1, 'x'), (1, 'y');
CREATE TABLE aim_priv_cols (basket int, item text, secret text);
INSERT INTO aim_priv_cols VALUES (1, 'a', 's1'), (1, 'b', 's2'), (2, 'a', 's3');
GRANT SELECT (basket, item) ON aim_priv_cols TO aim_priv_alice;
CREATE TABLE aim_priv_rls (basket int, item text, owner name);
INSERT INTO aim_priv_rls VALUES
	(1, 'a', 'aim_priv_alice'), (1, 'b', 'aim_priv_alice'), (2, 'a', 'aim_priv_alice'),
	(3, 'c', 'aim_priv_alice'),
	(4, 'x', 'aim_priv_bob'), (4, 'y', 'aim_priv_bob'), (5, 'x', 'aim_priv_bob');
ALTER TABLE aim_priv_rls ENABLE ROW LEVEL SECURITY;
CREATE POLICY aim_priv_own ON aim_priv_rls USING (owner = current_user);
GRANT SELECT ON aim_priv_rls TO aim_priv_alice;
CREATE VIEW aim_priv_bobview AS
	SELECT * FROM frequent_itemsets('SELECT basket, item FROM aim_priv_bob', 0.1);
GRANT SELECT ON aim_priv_bobview TO aim_priv_alice;
ALTER TABLE aim_priv_bob OWNER TO aim_priv_bob;
ALTER TABLE aim_priv_cols OWNER TO aim_priv_bob;
ALTER TABLE aim_priv_rls OWNER TO aim_priv_bob;
ALTER VIEW aim_priv_bobview OWNER TO aim_priv_bob;

--
-- every function and aggregate, called by alice with small valid arguments
-- and checked against a hand-computed value; the EXECUTE privilege of each;
-- the functions taking internal cannot be called from SQL at all
--
CREATE TEMP TABLE aim_priv_calls (id serial, fn regprocedure, call text, expected text);
GRANT SELECT ON aim_priv_calls TO PUBLIC;
INSERT INTO aim_priv_calls (fn, call, expected) VALUES
('cosine_sim(float8[],float8[])', $$SELECT cosine_sim('{1,0}', '{2,0}')$$, '1'),
('pearson_sim(float8[],float8[])', $$SELECT pearson_sim('{1,2,3}', '{2,4,6}')$$, '1'),
('kmeans_assign(float8[],float8[])', $$SELECT kmeans_assign('{0,0}', '{{5,5},{1,1}}')$$, '2'),
('churn_score(float8[],float8[])', $$SELECT churn_score('{3}', '{0,0}')$$, '0.5'),
('kmeans_centroids(float8[])',
 $$SELECT pg_catalog.string_agg(cluster || ':' || centroid::text, ' ' ORDER BY cluster)
     FROM kmeans_centroids('{{1,2},{3,4}}')$$, '1:{1,2} 2:{3,4}'),
-- float8 roi/roas: state {n, sum revenue, sum cost}
('roi_float8_accum(float8[],float8,float8)', $$SELECT roi_float8_accum('{0,0,0}', 3, 2)$$, '{1,3,2}'),
('roi_float8_combine(float8[],float8[])', $$SELECT roi_float8_combine('{1,3,2}', '{1,5,2}')$$, '{2,8,4}'),
('roi_float8_final(float8[])', $$SELECT roi_float8_final('{2,8,4}')$$, '1'),
('roas_float8_final(float8[])', $$SELECT roas_float8_final('{2,8,4}')$$, '2'),
('roi(float8,float8)', $$SELECT roi(r, c) FROM (VALUES (3::float8, 2::float8), (5, 2)) v(r, c)$$, '1'),
('roas(float8,float8)', $$SELECT roas(r, c) FROM (VALUES (3::float8, 2::float8), (5, 2)) v(r, c)$$, '2'),
-- numeric roi/roas: an opaque bytea state, checked through the finals
('roi_numeric_accum(bytea,numeric,numeric)',
 $$SELECT roi_numeric_final(roi_numeric_accum(roi_numeric_accum(NULL, 3, 2), 5, 2))::float8$$, '1'),
('roi_numeric_inv(bytea,numeric,numeric)',
 $$SELECT roi_numeric_final(roi_numeric_inv(roi_numeric_accum(roi_numeric_accum(NULL, 3, 2), 9, 1), 9, 1))::float8$$,
 '0.5'),
('roi_numeric_combine(bytea,bytea)',
 $$SELECT roas_numeric_final(roi_numeric_combine(roi_numeric_accum(NULL, 3, 2), roi_numeric_accum(NULL, 5, 2)))::float8$$,
 '2'),
('roi_numeric_final(bytea)', $$SELECT roi_numeric_final(roi_numeric_accum(NULL, 3, 2))::float8$$, '0.5'),
('roas_numeric_final(bytea)', $$SELECT roas_numeric_final(roi_numeric_accum(NULL, 3, 2))::float8$$, '1.5'),
('roi(numeric,numeric)', $$SELECT roi(r, c)::float8 FROM (VALUES (3::numeric, 2::numeric), (5, 2)) v(r, c)$$, '1'),
('roas(numeric,numeric)', $$SELECT roas(r, c)::float8 FROM (VALUES (3::numeric, 2::numeric), (5, 2)) v(r, c)$$, '2'),
('roi(numeric,numeric)',
 $$SELECT pg_catalog.string_agg(x::float8::text, ' ' ORDER BY i)
     FROM (SELECT i, roi(r, c) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS x
             FROM (VALUES (1, 3::numeric, 2::numeric), (2, 5, 2), (3, 1, 1)) v(i, r, c)) w$$,
 '0.5 1 1 (moving aggregate, inverse transition)'),
-- k-means
('kmeans(float8[],integer)',
 $$SELECT pg_catalog.string_agg(centroid::text, ';' ORDER BY centroid::text)
     FROM kmeans_centroids((SELECT kmeans(f, 2) FROM public.aim_priv_pts))$$, '{0,0.5};{10,10.5}'),
('kmeans(float8[],integer,integer)',
 $$SELECT pg_catalog.string_agg(centroid::text, ';' ORDER BY centroid::text)
     FROM kmeans_centroids((SELECT kmeans(f, 2, 7) FROM public.aim_priv_pts))$$, '{0,0.5};{10,10.5}'),
('kmeans(float8[],integer,integer,integer)',
 $$SELECT pg_catalog.string_agg(centroid::text, ';' ORDER BY centroid::text)
     FROM kmeans_centroids((SELECT kmeans(f, 2, 7, 50) FROM public.aim_priv_pts))$$, '{0,0.5};{10,10.5}'),
('kmeans(float8[],integer,integer,integer,float8)',
 $$SELECT pg_catalog.string_agg(centroid::text, ';' ORDER BY centroid::text)
     FROM kmeans_centroids((SELECT kmeans(f, 2, 7, 50, 1e-6) FROM public.aim_priv_pts))$$, '{0,0.5};{10,10.5}'),
('kmeans(float8[],integer,integer,integer,float8,integer)',
 $$SELECT pg_catalog.string_agg(centroid::text, ';' ORDER BY centroid::text)
     FROM kmeans_centroids((SELECT kmeans(f, 2, 7, 50, 1e-6, 3) FROM public.aim_priv_pts))$$, '{0,0.5};{10,10.5}'),
('kmeans(float8[],integer,float8[])',
 $$SELECT kmeans(f, 2, '{{9,9},{1,1}}'::float8[]) FROM public.aim_priv_pts$$, '{{10,10.5},{0,0.5}}'),
('kmeans(float8[],integer,float8[],integer,float8)',
 $$SELECT kmeans(f, 2, '{{1,1},{9,9}}'::float8[], 50, 1e-6) FROM public.aim_priv_pts$$, '{{0,0.5},{10,10.5}}'),
('kmeans_match(float8[],float8[])', $$SELECT kmeans_match('{{10},{0}}', '{{1},{9}}')$$, '{{0},{10}}'),
('kmeans_inertia_accum(float8[],float8[],float8[])',
 $$SELECT pg_catalog.round(kmeans_inertia_final(kmeans_inertia_accum('{0,0}', '{1,1}', '{{0,0},{3,3}}'))::numeric, 9)$$,
 '2.000000000'),
('kmeans_silhouette_accum(float8[],float8[],float8[])',
 $$SELECT kmeans_silhouette_final(kmeans_silhouette_accum('{0,0}', '{0,0}', '{{0,0},{3,4}}'))$$, '1'),
('kmeans_pair_combine(float8[],float8[])', $$SELECT kmeans_pair_combine('{1,2}', '{3,4}')$$, '{4,6}'),
('kmeans_inertia_final(float8[])', $$SELECT kmeans_inertia_final('{2,7}')$$, '7'),
('kmeans_silhouette_final(float8[])', $$SELECT kmeans_silhouette_final('{4,2}')$$, '0.5'),
('kmeans_inertia(float8[],float8[])',
 $$SELECT kmeans_inertia(f, '{{0,0.5},{10,10.5}}') FROM public.aim_priv_pts$$, '1'),
('kmeans_silhouette(float8[],float8[])',
 $$SELECT pg_catalog.round(kmeans_silhouette(f, '{{0,0.5},{10,10.5}}')::numeric, 6) FROM public.aim_priv_pts$$,
 '0.964634'),
-- logistic regression and AUC
('logistic_fit(float8[],boolean)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit(float8[],boolean,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y, 1) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit(float8[],boolean,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary(float8[],boolean)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') FROM (SELECT logistic_summary(ARRAY[x], y) FROM public.aim_priv_lg) t(s)$$,
 'true 6'),
('logistic_summary(float8[],boolean,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary(ARRAY[x], y, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('roc_auc(float8,boolean)',
 $$SELECT roc_auc(s, l) FROM (VALUES (0.1::float8, false), (0.4, false), (0.35, true), (0.8, true)) v(s, l)$$, '0.75'),
-- 0.2.0: integer labels, term names, churn_logit (issue 13)
('churn_logit(float8[],float8[])', $$SELECT churn_logit('{3}', '{0.5,2}')$$, '6.5'),
('logistic_fit(float8[],smallint)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::smallint) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit(float8[],smallint,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::smallint, 1) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit(float8[],smallint,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::smallint, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary(float8[],smallint)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') FROM (SELECT logistic_summary(ARRAY[x], y::int::smallint) FROM public.aim_priv_lg) t(s)$$,
 'true 6'),
('logistic_summary(float8[],smallint,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary(ARRAY[x], y::int::smallint, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('logistic_fit(float8[],integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::integer) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit(float8[],integer,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::integer, 1) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit(float8[],integer,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::integer, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary(float8[],integer)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') FROM (SELECT logistic_summary(ARRAY[x], y::int::integer) FROM public.aim_priv_lg) t(s)$$,
 'true 6'),
('logistic_summary(float8[],integer,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary(ARRAY[x], y::int::integer, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('logistic_fit(float8[],bigint)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::bigint) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit(float8[],bigint,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::bigint, 1) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit(float8[],bigint,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit(ARRAY[x], y::int::bigint, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary(float8[],bigint)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') FROM (SELECT logistic_summary(ARRAY[x], y::int::bigint) FROM public.aim_priv_lg) t(s)$$,
 'true 6'),
('logistic_summary(float8[],bigint,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary(ARRAY[x], y::int::bigint, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('logistic_summary(float8[],boolean,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary(ARRAY[x], y, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('logistic_summary(float8[],smallint,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary(ARRAY[x], y::int::smallint, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('logistic_summary(float8[],integer,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary(ARRAY[x], y::int, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('logistic_summary(float8[],bigint,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary(ARRAY[x], y::int::bigint, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('roc_auc(float8,smallint)',
 $$SELECT roc_auc(s, l) FROM (VALUES (0.1::float8, 0::smallint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$, '0.75'),
('roc_auc(float8,integer)',
 $$SELECT roc_auc(s, l) FROM (VALUES (0.1::float8, 0::integer), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$, '0.75'),
('roc_auc(float8,bigint)',
 $$SELECT roc_auc(s, l) FROM (VALUES (0.1::float8, 0::bigint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$, '0.75'),
-- classifier evaluation (0.2.0): weighted roc_auc, the curves, gains_table
('roc_auc(float8,boolean,float8)',
 $$SELECT roc_auc(s, l, w) FROM (VALUES (0.1::float8, false, 1::float8), (0.4, false, 2), (0.35, true, 0.5), (0.8, true, 1)) v(s, l, w)$$,
 '0.7777777777777778'),
('roc_curve(float8,boolean)',
 $$SELECT roc_curve(s, l)::text FROM (VALUES (0.1::float8, false), (0.4, false), (0.35, true), (0.8, true)) v(s, l)$$,
 '{"(0,0,Infinity)","(0,0.5,0.8)","(0.5,0.5,0.4)","(0.5,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,boolean,float8)',
 $$SELECT roc_curve(s, l, w)::text FROM (VALUES (0.1::float8, false, 1::float8), (0.4, false, 2), (0.35, true, 0.5), (0.8, true, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,boolean,float8,boolean)',
 $$SELECT roc_curve(s, l, w, false)::text FROM (VALUES (0.1::float8, false, 1::float8), (0.4, false, 2), (0.35, true, 0.5), (0.8, true, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('precision_recall_curve(float8,boolean)',
 $$SELECT precision_recall_curve(s, l)::text FROM (VALUES (0.1::float8, false), (0.4, false), (0.35, true), (0.8, true)) v(s, l)$$,
 '{"(0.5,1,0.1)","(0.6666666666666666,1,0.35)","(0.5,0.5,0.4)","(1,0.5,0.8)","(1,0,)"}'),
('precision_recall_curve(float8,boolean,float8)',
 $$SELECT precision_recall_curve(s, l, w)::text FROM (VALUES (0.1::float8, false, 1::float8), (0.4, false, 2), (0.35, true, 0.5), (0.8, true, 1)) v(s, l, w)$$,
 '{"(0.3333333333333333,1,0.1)","(0.42857142857142855,1,0.35)","(0.3333333333333333,0.6666666666666666,0.4)","(1,0.6666666666666666,0.8)","(1,0,)"}'),
('average_precision(float8,boolean)',
 $$SELECT average_precision(s, l) FROM (VALUES (0.1::float8, false), (0.4, false), (0.35, true), (0.8, true)) v(s, l)$$,
 '0.8333333333333333'),
('average_precision(float8,boolean,float8)',
 $$SELECT average_precision(s, l, w) FROM (VALUES (0.1::float8, false, 1::float8), (0.4, false, 2), (0.35, true, 0.5), (0.8, true, 1)) v(s, l, w)$$,
 '0.8095238095238095'),
('gains_table(float8,boolean)',
 $$SELECT gains_table(s, l)::text FROM (VALUES (0.1::float8, false), (0.4, false), (0.35, true), (0.8, true)) v(s, l)$$,
 '{"(1,1,1,0.8,0.8,1,2,0.5,2)","(2,0,0,,,,,0.5,2)","(3,1,0,0.4,0.4,0,0,0.5,1)","(4,0,0,,,,,0.5,1)","(5,0,0,,,,,0.5,1)","(6,1,1,0.35,0.35,1,2,1,1.3333333333333333)","(7,0,0,,,,,1,1.3333333333333333)","(8,1,0,0.1,0.1,0,0,1,1)","(9,0,0,,,,,1,1)","(10,0,0,,,,,1,1)"}'),
('gains_table(float8,boolean,integer)',
 $$SELECT gains_table(s, l, 2)::text FROM (VALUES (0.1::float8, false), (0.4, false), (0.35, true), (0.8, true)) v(s, l)$$,
 '{"(1,2,1,0.4,0.8,0.5,1,0.5,1)","(2,2,1,0.1,0.35,0.5,1,1,1)"}'),
('roc_auc(float8,smallint,float8)',
 $$SELECT roc_auc(s, l, w) FROM (VALUES (0.1::float8, 0::smallint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '0.7777777777777778'),
('roc_curve(float8,smallint)',
 $$SELECT roc_curve(s, l)::text FROM (VALUES (0.1::float8, 0::smallint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(0,0,Infinity)","(0,0.5,0.8)","(0.5,0.5,0.4)","(0.5,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,smallint,float8)',
 $$SELECT roc_curve(s, l, w)::text FROM (VALUES (0.1::float8, 0::smallint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,smallint,float8,boolean)',
 $$SELECT roc_curve(s, l, w, false)::text FROM (VALUES (0.1::float8, 0::smallint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('precision_recall_curve(float8,smallint)',
 $$SELECT precision_recall_curve(s, l)::text FROM (VALUES (0.1::float8, 0::smallint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(0.5,1,0.1)","(0.6666666666666666,1,0.35)","(0.5,0.5,0.4)","(1,0.5,0.8)","(1,0,)"}'),
('precision_recall_curve(float8,smallint,float8)',
 $$SELECT precision_recall_curve(s, l, w)::text FROM (VALUES (0.1::float8, 0::smallint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0.3333333333333333,1,0.1)","(0.42857142857142855,1,0.35)","(0.3333333333333333,0.6666666666666666,0.4)","(1,0.6666666666666666,0.8)","(1,0,)"}'),
('average_precision(float8,smallint)',
 $$SELECT average_precision(s, l) FROM (VALUES (0.1::float8, 0::smallint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '0.8333333333333333'),
('average_precision(float8,smallint,float8)',
 $$SELECT average_precision(s, l, w) FROM (VALUES (0.1::float8, 0::smallint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '0.8095238095238095'),
('gains_table(float8,smallint)',
 $$SELECT gains_table(s, l)::text FROM (VALUES (0.1::float8, 0::smallint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(1,1,1,0.8,0.8,1,2,0.5,2)","(2,0,0,,,,,0.5,2)","(3,1,0,0.4,0.4,0,0,0.5,1)","(4,0,0,,,,,0.5,1)","(5,0,0,,,,,0.5,1)","(6,1,1,0.35,0.35,1,2,1,1.3333333333333333)","(7,0,0,,,,,1,1.3333333333333333)","(8,1,0,0.1,0.1,0,0,1,1)","(9,0,0,,,,,1,1)","(10,0,0,,,,,1,1)"}'),
('gains_table(float8,smallint,integer)',
 $$SELECT gains_table(s, l, 2)::text FROM (VALUES (0.1::float8, 0::smallint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(1,2,1,0.4,0.8,0.5,1,0.5,1)","(2,2,1,0.1,0.35,0.5,1,1,1)"}'),
('roc_auc(float8,integer,float8)',
 $$SELECT roc_auc(s, l, w) FROM (VALUES (0.1::float8, 0::integer, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '0.7777777777777778'),
('roc_curve(float8,integer)',
 $$SELECT roc_curve(s, l)::text FROM (VALUES (0.1::float8, 0::integer), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(0,0,Infinity)","(0,0.5,0.8)","(0.5,0.5,0.4)","(0.5,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,integer,float8)',
 $$SELECT roc_curve(s, l, w)::text FROM (VALUES (0.1::float8, 0::integer, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,integer,float8,boolean)',
 $$SELECT roc_curve(s, l, w, false)::text FROM (VALUES (0.1::float8, 0::integer, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('precision_recall_curve(float8,integer)',
 $$SELECT precision_recall_curve(s, l)::text FROM (VALUES (0.1::float8, 0::integer), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(0.5,1,0.1)","(0.6666666666666666,1,0.35)","(0.5,0.5,0.4)","(1,0.5,0.8)","(1,0,)"}'),
('precision_recall_curve(float8,integer,float8)',
 $$SELECT precision_recall_curve(s, l, w)::text FROM (VALUES (0.1::float8, 0::integer, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0.3333333333333333,1,0.1)","(0.42857142857142855,1,0.35)","(0.3333333333333333,0.6666666666666666,0.4)","(1,0.6666666666666666,0.8)","(1,0,)"}'),
('average_precision(float8,integer)',
 $$SELECT average_precision(s, l) FROM (VALUES (0.1::float8, 0::integer), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '0.8333333333333333'),
('average_precision(float8,integer,float8)',
 $$SELECT average_precision(s, l, w) FROM (VALUES (0.1::float8, 0::integer, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '0.8095238095238095'),
('gains_table(float8,integer)',
 $$SELECT gains_table(s, l)::text FROM (VALUES (0.1::float8, 0::integer), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(1,1,1,0.8,0.8,1,2,0.5,2)","(2,0,0,,,,,0.5,2)","(3,1,0,0.4,0.4,0,0,0.5,1)","(4,0,0,,,,,0.5,1)","(5,0,0,,,,,0.5,1)","(6,1,1,0.35,0.35,1,2,1,1.3333333333333333)","(7,0,0,,,,,1,1.3333333333333333)","(8,1,0,0.1,0.1,0,0,1,1)","(9,0,0,,,,,1,1)","(10,0,0,,,,,1,1)"}'),
('gains_table(float8,integer,integer)',
 $$SELECT gains_table(s, l, 2)::text FROM (VALUES (0.1::float8, 0::integer), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(1,2,1,0.4,0.8,0.5,1,0.5,1)","(2,2,1,0.1,0.35,0.5,1,1,1)"}'),
('roc_auc(float8,bigint,float8)',
 $$SELECT roc_auc(s, l, w) FROM (VALUES (0.1::float8, 0::bigint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '0.7777777777777778'),
('roc_curve(float8,bigint)',
 $$SELECT roc_curve(s, l)::text FROM (VALUES (0.1::float8, 0::bigint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(0,0,Infinity)","(0,0.5,0.8)","(0.5,0.5,0.4)","(0.5,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,bigint,float8)',
 $$SELECT roc_curve(s, l, w)::text FROM (VALUES (0.1::float8, 0::bigint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('roc_curve(float8,bigint,float8,boolean)',
 $$SELECT roc_curve(s, l, w, false)::text FROM (VALUES (0.1::float8, 0::bigint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0,0,Infinity)","(0,0.6666666666666666,0.8)","(0.6666666666666666,0.6666666666666666,0.4)","(0.6666666666666666,1,0.35)","(1,1,0.1)"}'),
('precision_recall_curve(float8,bigint)',
 $$SELECT precision_recall_curve(s, l)::text FROM (VALUES (0.1::float8, 0::bigint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(0.5,1,0.1)","(0.6666666666666666,1,0.35)","(0.5,0.5,0.4)","(1,0.5,0.8)","(1,0,)"}'),
('precision_recall_curve(float8,bigint,float8)',
 $$SELECT precision_recall_curve(s, l, w)::text FROM (VALUES (0.1::float8, 0::bigint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '{"(0.3333333333333333,1,0.1)","(0.42857142857142855,1,0.35)","(0.3333333333333333,0.6666666666666666,0.4)","(1,0.6666666666666666,0.8)","(1,0,)"}'),
('average_precision(float8,bigint)',
 $$SELECT average_precision(s, l) FROM (VALUES (0.1::float8, 0::bigint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '0.8333333333333333'),
('average_precision(float8,bigint,float8)',
 $$SELECT average_precision(s, l, w) FROM (VALUES (0.1::float8, 0::bigint, 1::float8), (0.4, 0, 2), (0.35, 1, 0.5), (0.8, 1, 1)) v(s, l, w)$$,
 '0.8095238095238095'),
('gains_table(float8,bigint)',
 $$SELECT gains_table(s, l)::text FROM (VALUES (0.1::float8, 0::bigint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(1,1,1,0.8,0.8,1,2,0.5,2)","(2,0,0,,,,,0.5,2)","(3,1,0,0.4,0.4,0,0,0.5,1)","(4,0,0,,,,,0.5,1)","(5,0,0,,,,,0.5,1)","(6,1,1,0.35,0.35,1,2,1,1.3333333333333333)","(7,0,0,,,,,1,1.3333333333333333)","(8,1,0,0.1,0.1,0,0,1,1)","(9,0,0,,,,,1,1)","(10,0,0,,,,,1,1)"}'),
('gains_table(float8,bigint,integer)',
 $$SELECT gains_table(s, l, 2)::text FROM (VALUES (0.1::float8, 0::bigint), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)$$,
 '{"(1,2,1,0.4,0.8,0.5,1,0.5,1)","(2,2,1,0.1,0.35,0.5,1,1,1)"}'),
-- basket analysis: baskets {a,b} {a,b} {a,c}
('frequent_itemsets(text,float8,integer)',
 $$SELECT pg_catalog.string_agg(itemset::text || ':' || count, ' ' ORDER BY itemset::text)
     FROM frequent_itemsets('SELECT basket, item FROM public.aim_priv_mine', 0.3)$$,
 '{a,b}:2 {a,c}:1 {a}:3 {b}:2 {c}:1'),
('frequent_itemsets(text,float8,integer)',
 $$SELECT pg_catalog.string_agg(itemset::text || ':' || count, ' ' ORDER BY itemset::text)
     FROM frequent_itemsets('VALUES (ARRAY[''a'', ''b'']), (ARRAY[''a''])', 0.5, 1)$$,
 '{a}:2 {b}:1'),
('frequent_itemsets(text,float8,integer,text)',
 $$SELECT pg_catalog.string_agg(itemset::text || ':' || count, ' ' ORDER BY itemset::text)
     FROM frequent_itemsets('SELECT basket, item FROM public.aim_priv_mine', 0.3, NULL, 'closed')$$,
 '{a,b}:2 {a,c}:1 {a}:3'),
('apriori_rules(text,float8,float8,integer,text,float8)',
 $$SELECT pg_catalog.string_agg(antecedent::text || '->' || consequent::text, ' '
                                ORDER BY antecedent::text, consequent::text)
     FROM apriori_rules('SELECT basket, item FROM public.aim_priv_mine', 0.3, 0.6)$$,
 '{a}->{b} {b}->{a} {c}->{a}'),
('apriori_rules(text,float8,float8,integer,text,float8)',
 $$SELECT pg_catalog.string_agg(antecedent::text || '->' || consequent::text || ' '
                                || pg_catalog.round(lift::numeric, 4), ' '
                                ORDER BY antecedent::text, consequent::text)
     FROM apriori_rules('SELECT basket, item FROM public.aim_priv_mine', 0.5, 0.5, 2, 'lift', 1)$$,
 '{a}->{b} 1.0000 {b}->{a} 1.0000'),
-- recommendations: customers (baskets) 1 {a,b}, 2 {a,b}, 3 {a,c}; cosine
-- a-b 2/sqrt(3*2), a-c 1/sqrt(3*1)
('item_neighbors(text,integer,text,integer,float8)',
 $$SELECT pg_catalog.string_agg(item || '>' || neighbor || ':' || pg_catalog.round(similarity::numeric, 4),
                                ' ' ORDER BY item, rank)
     FROM item_neighbors('SELECT basket, item FROM public.aim_priv_mine')$$,
 'a>b:0.8165 a>c:0.5774 b>a:0.8165 c>a:0.5774'),
('recommend_items(text,integer,text,integer,boolean,float8)',
 $$SELECT pg_catalog.string_agg(customer || ':' || item || ':' || pg_catalog.round(score::numeric, 4),
                                ' ' ORDER BY customer, rank)
     FROM recommend_items('SELECT basket, item FROM public.aim_priv_mine', 2)$$,
 '1:c:0.5774 2:c:0.5774 3:b:0.8165'),
-- exponential smoothing: simple smoothing of 1, 2, 3 from level 0 with
-- alpha 0.5 ends at 2.125; a Holt model at level 2, trend 1
('ets_fit(float8,jsonb)',
 $$SELECT m->>'final_level' FROM (SELECT ets_fit(v, '{"alpha": 0.5, "initialization": "known", "initial_level": 0}' ORDER BY t)
                                    FROM (VALUES (1, 1::float8), (2, 2), (3, 3)) s(t, v)) x(m)$$, '2.125'),
('ets_forecast(jsonb,integer)',
 $$SELECT pg_catalog.string_agg(step || ':' || forecast, ' ' ORDER BY step)
     FROM ets_forecast('{"trend": "add", "seasonal": "none", "final_level": 2, "final_trend": 1}', 2)$$, '1:3 2:4'),
('hit_at_k(anyarray,anyarray,integer)', $$SELECT hit_at_k(ARRAY['x', 'b'], ARRAY['b'], 2)$$, '1'),
('precision_at_k(anyarray,anyarray,integer)', $$SELECT precision_at_k(ARRAY['a', 'b'], ARRAY['b'], 2)$$, '0.5'),
('recall_at_k(anyarray,anyarray,integer)', $$SELECT recall_at_k(ARRAY['a', 'b'], ARRAY['b', 'c'], 2)$$, '0.5'),
('ndcg_at_k(anyarray,anyarray,integer)', $$SELECT ndcg_at_k(ARRAY[2, 1], ARRAY[2], 2)$$, '1'),
-- 0.2.0: weighted logistic regression (issue 14): weight 2 with l2 2 is the
-- unweighted model with l2 1
('logistic_fit_weighted(float8[],boolean,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y, 2) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit_weighted(float8[],boolean,float8,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y, 2, 2) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit_weighted(float8[],boolean,float8,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y, 2, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary_weighted(float8[],boolean,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') || ' ' || (s->>'weight_sum') FROM (SELECT logistic_summary_weighted(ARRAY[x], y, 2) FROM public.aim_priv_lg) t(s)$$,
 'true 6 12'),
('logistic_summary_weighted(float8[],boolean,float8,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary_weighted(ARRAY[x], y, 2, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('logistic_summary_weighted(float8[],boolean,float8,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary_weighted(ARRAY[x], y, 2, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('logistic_fit_weighted(float8[],smallint,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int::smallint, 2) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit_weighted(float8[],smallint,float8,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int::smallint, 2, 2) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit_weighted(float8[],smallint,float8,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int::smallint, 2, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary_weighted(float8[],smallint,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') || ' ' || (s->>'weight_sum') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int::smallint, 2) FROM public.aim_priv_lg) t(s)$$,
 'true 6 12'),
('logistic_summary_weighted(float8[],smallint,float8,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int::smallint, 2, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('logistic_summary_weighted(float8[],smallint,float8,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int::smallint, 2, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('logistic_fit_weighted(float8[],integer,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int, 2) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit_weighted(float8[],integer,float8,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int, 2, 2) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit_weighted(float8[],integer,float8,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int, 2, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary_weighted(float8[],integer,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') || ' ' || (s->>'weight_sum') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int, 2) FROM public.aim_priv_lg) t(s)$$,
 'true 6 12'),
('logistic_summary_weighted(float8[],integer,float8,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int, 2, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('logistic_summary_weighted(float8[],integer,float8,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int, 2, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('logistic_fit_weighted(float8[],bigint,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int::bigint, 2) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_fit_weighted(float8[],bigint,float8,float8)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int::bigint, 2, 2) FROM public.aim_priv_lg) s(b)$$, '{-1.9176,0.7671}'),
('logistic_fit_weighted(float8[],bigint,float8,float8,integer)',
 $$SELECT ARRAY[pg_catalog.round(b[1]::numeric, 4), pg_catalog.round(b[2]::numeric, 4)]::text
     FROM (SELECT logistic_fit_weighted(ARRAY[x], y::int::bigint, 2, 0, 100) FROM public.aim_priv_lg) s(b)$$, '{-3.0351,1.2140}'),
('logistic_summary_weighted(float8[],bigint,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'n') || ' ' || (s->>'weight_sum') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int::bigint, 2) FROM public.aim_priv_lg) t(s)$$,
 'true 6 12'),
('logistic_summary_weighted(float8[],bigint,float8,float8)',
 $$SELECT (s->>'converged') || ' ' || (s->>'l2') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int::bigint, 2, 1) FROM public.aim_priv_lg) t(s)$$,
 'true 1'),
('logistic_summary_weighted(float8[],bigint,float8,float8,text[])',
 $$SELECT (s->>'converged') || ' ' || (s->'terms'->1->>'term') FROM (SELECT logistic_summary_weighted(ARRAY[x], y::int::bigint, 2, 0, '{days}') FROM public.aim_priv_lg) t(s)$$,
 'true days'),
('average_precision_at_k(anyarray,anyarray,integer)',
 $$SELECT average_precision_at_k(ARRAY['x', 'b'], ARRAY['b'], 2)$$, '0.5'),
-- the full silhouette of {0} {1} | {4}: (3/4 + 2/3 + 0) / 3 = 17/36
('silhouette_score(float8[],integer)',
 $$SELECT pg_catalog.round(silhouette_score(f, c)::numeric, 4)
     FROM (VALUES ('{0}'::float8[], 1), ('{1}', 1), ('{4}', 2)) v(f, c)$$, '0.4722'),
('silhouette_score(float8[],integer,integer)',
 $$SELECT pg_catalog.round(silhouette_score(f, c, 3)::numeric, 4)
     FROM (VALUES ('{0}'::float8[], 1), ('{1}', 1), ('{4}', 2)) v(f, c)$$, '0.4722'),
('silhouette_score(float8[],integer,integer,integer)',
 $$SELECT pg_catalog.round(silhouette_score(f, c, 5, 9)::numeric, 4)
     FROM (VALUES ('{0}'::float8[], 1), ('{1}', 1), ('{4}', 2)) v(f, c)$$, '0.4722'),
-- 0.2.0: linear regression (issue 16); state {n, d, l2, name bytes, rows in
-- the block, means and centred cross-products merged, the block's}; the
-- points (0, 1), (1, 3), (2, 5) lie on 1 + 2x
('linear_accum(float8[],float8[],float8)', $$SELECT linear_accum('{0}', '{2}', 5)$$, '{1,1,0,0,1,0,0,0,0,0,2,5,0,0,0}'),
('linear_accum(float8[],float8[],float8,float8)',
 $$SELECT linear_accum('{0}', '{2}', 5, 0.5)$$, '{1,1,0.5,0,1,0,0,0,0,0,2,5,0,0,0}'),
('linear_accum(float8[],float8[],float8,float8,text[])',
 $$SELECT pg_catalog.array_length(linear_accum('{0}', '{2}', 5, 0, '{a}'), 1)$$, '16'),
('linear_combine(float8[],float8[])',
 $$SELECT linear_combine('{1,1,0,0,1,0,0,0,0,0,2,5,0,0,0}', '{1,1,0,0,1,0,0,0,0,0,4,9,0,0,0}')$$,
 '{2,1,0,0,0,3,7,2,4,8,0,0,0,0,0}'),
('linear_final(float8[])', $$SELECT linear_final('{2,1,0,0,0,3,7,2,4,8,0,0,0,0,0}')$$, '{1,2}'),
('linear_summary_final(float8[])',
 $$SELECT (s->>'n') || ' ' || (s->>'r_squared') FROM linear_summary_final('{2,1,0,0,0,3,7,2,4,8,0,0,0,0,0}') s$$, '2 1'),
('linear_predict(float8[],float8[])', $$SELECT linear_predict('{3}', '{0.5,2}')$$, '6.5'),
('linear_fit(float8[],float8)',
 $$SELECT linear_fit(ARRAY[x], y) FROM (VALUES (0::float8, 1::float8), (1, 3), (2, 5)) v(x, y)$$, '{1,2}'),
('linear_fit(float8[],float8,float8)',
 $$SELECT linear_fit(ARRAY[x], y, 2) FROM (VALUES (0::float8, 1::float8), (1, 3), (2, 5)) v(x, y)$$, '{2,1}'),
('linear_summary(float8[],float8)',
 $$SELECT (s->>'n') || ' ' || (s->>'r_squared')
     FROM (SELECT linear_summary(ARRAY[x], y) FROM (VALUES (0::float8, 1::float8), (1, 3), (2, 5)) v(x, y)) t(s)$$,
 '3 1'),
('linear_summary(float8[],float8,float8)',
 $$SELECT s->>'l2'
     FROM (SELECT linear_summary(ARRAY[x], y, 2) FROM (VALUES (0::float8, 1::float8), (1, 3), (2, 5)) v(x, y)) t(s)$$,
 '2'),
('linear_summary(float8[],float8,float8,text[])',
 $$SELECT s->'terms'->1->>'term'
     FROM (SELECT linear_summary(ARRAY[x], y, 0, '{price}') FROM (VALUES (0::float8, 1::float8), (1, 3), (2, 5)) v(x, y)) t(s)$$,
 'price');
-- the moving-aggregate row above has a note in its expected value
UPDATE aim_priv_calls SET expected = '0.5 1 1' WHERE expected LIKE '% (moving%';

SELECT is(ARRAY(SELECT sig FROM aim_priv_procs
                 WHERE NOT takes_internal AND oid NOT IN (SELECT fn FROM aim_priv_calls)
                 ORDER BY 1), '{}'::text[],
          'every function and aggregate callable from SQL has a call here');
SELECT is(ARRAY(SELECT sig FROM aim_priv_procs p
                 WHERE takes_internal AND NOT EXISTS (
                       SELECT 1 FROM pg_aggregate a
                        WHERE p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                                        a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn)
                          AND a.aggfnoid IN (SELECT fn FROM aim_priv_calls))
                 ORDER BY 1), '{}'::text[],
          'every function taking internal supports an aggregate that has a call here');
SELECT is(ARRAY(SELECT fn::text FROM aim_priv_calls WHERE fn IS NULL OR fn NOT IN (SELECT oid FROM aim_priv_procs)),
          '{}'::text[], 'every call here is of a function of the extension');

SELECT ok(has_function_privilege('aim_priv_alice', oid, 'EXECUTE'),
          format('aim_priv_alice may execute %s', sig))
  FROM aim_priv_procs ORDER BY sig;

SET LOCAL ROLE aim_priv_alice;
CREATE TEMP TABLE aim_priv_got AS
	SELECT id, pg_temp.aim_eval(call) AS got FROM aim_priv_calls;
-- a function taking internal cannot be called from SQL at all: no value of
-- type internal can be written
CREATE TEMP TABLE aim_priv_direct AS
	SELECT sig, pg_temp.aim_eval(format('SELECT %I.%I(%s)', n.nspname, p.proname,
	                                    array_to_string(array_fill('NULL'::text, ARRAY[f.pronargs]), ', ')))
	           AS got
	  FROM aim_priv_procs p JOIN pg_proc f USING (oid)
	  JOIN pg_namespace n ON n.oid = f.pronamespace
	 WHERE takes_internal;
RESET ROLE;

SELECT is(g.got, c.expected, format('as aim_priv_alice: %s', regexp_replace(c.call, '\s+', ' ', 'g')))
  FROM aim_priv_calls c JOIN aim_priv_got g USING (id) ORDER BY id;
SELECT matches(got, '^ERROR 42883: function .* does not exist$',
               format('%s cannot be called from SQL', sig))
  FROM aim_priv_direct ORDER BY sig;

-- state values forged in SQL are rejected, not trusted
SET LOCAL ROLE aim_priv_alice;
SELECT throws_like($$SELECT roi_numeric_final('\x0000000000000000000000000000000000000000'::bytea)$$,
                   '%invalid roi state%', 'a forged numeric roi state is rejected');
SELECT throws_like($$SELECT roi_float8_final('{1}')$$, '%expected 3-element float8 array%',
                   'a forged float8 roi state is rejected');
SELECT throws_like($$SELECT kmeans_pair_combine('{1}', '{1,2}')$$, '%expected 2-element float8 array%',
                   'a forged k-means quality state is rejected');
RESET ROLE;

--
-- baskets_sql runs with the caller's rights
--
SET LOCAL ROLE aim_priv_alice;
SELECT throws_ok($$SELECT * FROM frequent_itemsets('SELECT basket, item FROM aim_priv_bob', 0.1)$$,
                 '42501', 'permission denied for table aim_priv_bob',
                 'frequent_itemsets: a table of another role without GRANT gives 42501');
SELECT throws_ok($$SELECT * FROM apriori_rules('SELECT basket, item FROM aim_priv_bob', 0.1)$$,
                 '42501', 'permission denied for table aim_priv_bob',
                 'apriori_rules: a table of another role without GRANT gives 42501');
SELECT throws_ok($$SELECT * FROM aim_priv_bobview$$, '42501', 'permission denied for table aim_priv_bob',
                 'through a view of the owner: the function still runs as the querying role');
SELECT is((SELECT string_agg(itemset::text || ':' || count, ' ' ORDER BY itemset::text)
             FROM frequent_itemsets('SELECT basket, item FROM aim_priv_cols', 0.1)),
          '{a,b}:1 {a}:2 {b}:1', 'the granted columns can be read');
SELECT throws_ok($$SELECT * FROM frequent_itemsets('SELECT basket, secret FROM aim_priv_cols', 0.1)$$,
                 '42501', 'permission denied for table aim_priv_cols',
                 'a column not granted gives 42501');
SELECT throws_ok($$SELECT * FROM apriori_rules('SELECT basket, item FROM aim_priv_cols WHERE secret > ''''', 0.1)$$,
                 '42501', 'permission denied for table aim_priv_cols',
                 'a column not granted, used only in WHERE, gives 42501');
SELECT is((SELECT string_agg(itemset::text || ':' || count || ':' || round(support::numeric, 4), ' '
                             ORDER BY itemset::text)
             FROM frequent_itemsets('SELECT basket, item FROM aim_priv_rls', 0.01)),
          '{a,b}:1:0.3333 {a}:2:0.6667 {b}:1:0.3333 {c}:1:0.3333',
          'row-level security: only the 3 visible baskets count (support over 3, not 5)');
SELECT is((SELECT string_agg(antecedent::text || '->' || consequent::text || ' ' || round(support::numeric, 4),
                             ' ' ORDER BY antecedent::text)
             FROM apriori_rules('SELECT basket, item FROM aim_priv_rls', 0.3, 0.5)),
          '{a}->{b} 0.3333 {b}->{a} 0.3333', 'row-level security: apriori_rules sees only the visible rows');
-- interactions_sql of item_neighbors and recommend_items likewise
SELECT throws_ok($$SELECT * FROM item_neighbors('SELECT basket, item FROM aim_priv_bob')$$,
                 '42501', 'permission denied for table aim_priv_bob',
                 'item_neighbors: a table of another role without GRANT gives 42501');
SELECT throws_ok($$SELECT * FROM recommend_items('SELECT basket, item FROM aim_priv_bob', 5, 'ease')$$,
                 '42501', 'permission denied for table aim_priv_bob',
                 'recommend_items: a table of another role without GRANT gives 42501');
SELECT throws_ok($$SELECT * FROM item_neighbors('SELECT basket, secret FROM aim_priv_cols', 5, 'jaccard')$$,
                 '42501', 'permission denied for table aim_priv_cols',
                 'item_neighbors: a column not granted gives 42501');
SELECT throws_ok($$SELECT * FROM recommend_items('SELECT basket, item, length(secret) FROM aim_priv_cols')$$,
                 '42501', 'permission denied for table aim_priv_cols',
                 'recommend_items: a column not granted, as the weight, gives 42501');
SELECT is((SELECT string_agg(item || '>' || neighbor || ':' || common, ' ' ORDER BY item, rank)
             FROM item_neighbors('SELECT basket, item FROM aim_priv_rls', 5, 'confidence')),
          'a>b:1 b>a:1', 'row-level security: item_neighbors sees only the visible rows');
SELECT is((SELECT string_agg(customer || ':' || item || ':' || coalesce(score::text, 'fill'), ' '
                             ORDER BY customer, rank)
             FROM recommend_items('SELECT basket, item FROM aim_priv_rls', 1, 'popular')),
          '1:c:1 2:b:1 3:a:2', 'row-level security: recommend_items sees only the visible rows');
RESET ROLE;
SELECT is((SELECT string_agg(itemset::text || ':' || count, ' ' ORDER BY itemset::text)
             FROM frequent_itemsets('SELECT basket, item FROM aim_priv_rls WHERE item >= ''x''', 0.01)),
          '{x,y}:1 {x}:2 {y}:1', 'control: the superuser (RLS bypass) sees the other rows');

--
-- baskets_sql cannot write: each statement through frequent_itemsets, every
-- fifth one also through apriori_rules
--
CREATE FUNCTION aim_priv_write(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN INSERT INTO aim_priv_mine VALUES (99, 'w'); RETURN i; END $f$;
CREATE FUNCTION aim_priv_update(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN EXECUTE 'UPDATE aim_priv_mine SET item = ''u'''; RETURN i; END $f$;
CREATE FUNCTION aim_priv_delete(i text) RETURNS text LANGUAGE sql AS $f$
DELETE FROM aim_priv_mine RETURNING i $f$;
CREATE FUNCTION aim_priv_alter(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN ALTER TABLE aim_priv_mine ADD COLUMN z int; RETURN i; END $f$;
CREATE FUNCTION aim_priv_drop(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN DROP TABLE aim_priv_mine; RETURN i; END $f$;
CREATE FUNCTION aim_priv_truncate(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN TRUNCATE aim_priv_mine; RETURN i; END $f$;
CREATE FUNCTION aim_priv_mktemp(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN CREATE TEMP TABLE aim_priv_made (n int); RETURN i; END $f$;
CREATE FUNCTION aim_priv_tmpwrite(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN INSERT INTO aim_priv_tmp VALUES (1); RETURN i; END $f$;
CREATE FUNCTION aim_priv_lock(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN PERFORM * FROM aim_priv_mine FOR UPDATE; RETURN i; END $f$;
CREATE FUNCTION aim_priv_readwrite(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	PERFORM set_config('transaction_read_only', 'off', true);
	INSERT INTO aim_priv_mine VALUES (98, 'rw');
	RETURN i;
END $f$;
CREATE FUNCTION aim_priv_lo(i text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE o oid;
BEGIN o := lo_creat(-1); RETURN i; END $f$;

SET LOCAL ROLE aim_priv_alice;
CREATE TEMP TABLE aim_priv_tmp (n int);
CREATE TEMP SEQUENCE aim_priv_tseq;
CREATE TEMP TABLE aim_priv_lobj AS SELECT lo_from_bytea(0, 'large object') AS o;
-- controls: outside a basket query each of these writes works (and is
-- undone by aim_try)
SELECT is(pg_temp.aim_try($$SELECT aim_priv_write('x'), aim_priv_update('x'), aim_priv_delete('x'),
                                   aim_priv_alter('x'), aim_priv_truncate('x'), aim_priv_drop('x')$$),
          'ok', 'control: outside a basket query alice may write, alter, truncate and drop her table');
SELECT is(pg_temp.aim_try($$SELECT aim_priv_mktemp('x'), aim_priv_tmpwrite('x'), aim_priv_lo('x'),
                                   aim_priv_lock('x'), aim_priv_readwrite('x')$$),
          'ok', 'control: ... create and write a temporary table, create a large object, lock rows');
SELECT is(pg_temp.aim_try($$SELECT nextval('aim_priv_seq'), setval('aim_priv_seq', 5),
                                   lo_put((SELECT o FROM aim_priv_lobj), 0, 'LARGE'),
                                   lo_unlink((SELECT o FROM aim_priv_lobj))$$),
          'ok', 'control: ... move her sequence, write and remove her large object');

CREATE TEMP TABLE aim_priv_before AS
SELECT (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM aim_priv_mine t) AS data,
       (SELECT count(*) FROM pg_attribute WHERE attrelid = 'aim_priv_mine'::regclass AND attnum > 0) AS cols,
       (SELECT last_value FROM aim_priv_seq) AS seq,
       (SELECT count(*) FROM aim_priv_tmp) AS tmp,
       (SELECT count(*) FROM pg_largeobject_metadata) AS los,
       lo_get((SELECT o FROM aim_priv_lobj)) AS lo;
SELECT is((SELECT count(*)::int FROM aim_priv_mine), 6, 'control: the controls were undone');

CREATE TEMP TABLE aim_priv_ro (id serial, q text, code text);
INSERT INTO aim_priv_ro (q, code) VALUES
-- the statement itself
('INSERT INTO aim_priv_mine VALUES (9, ''z'') RETURNING basket, item', '25006'),
('UPDATE aim_priv_mine SET item = ''z'' RETURNING basket, item', '25006'),
('DELETE FROM aim_priv_mine RETURNING basket, item', '25006'),
('MERGE INTO aim_priv_mine m USING (SELECT 9 AS b) s ON m.basket = s.b WHEN NOT MATCHED THEN INSERT VALUES (9, ''z'')', '25006'),
('WITH d AS (DELETE FROM aim_priv_mine RETURNING *) SELECT basket, item FROM d', '25006'),
('WITH i AS (INSERT INTO aim_priv_mine VALUES (9, ''z'') RETURNING *) SELECT 1, 2', '25006'),
('SELECT basket, item FROM aim_priv_mine FOR UPDATE', '25006'),
('CREATE TEMP TABLE aim_priv_ctas AS SELECT basket, item FROM aim_priv_mine', '25006'),
('SELECT basket, item INTO TEMP aim_priv_into FROM aim_priv_mine', '25006'),
('COPY aim_priv_mine TO STDOUT', '25006'),
('EXPLAIN ANALYZE DELETE FROM aim_priv_mine', '25006'),
('TRUNCATE aim_priv_mine', '25006'),
('DO $$BEGIN DELETE FROM aim_priv_mine; END$$', '25006'),
('SELECT 1, 2; DELETE FROM aim_priv_mine', '42601'),
-- functions it calls
('SELECT basket, aim_priv_write(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_update(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_delete(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_alter(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_drop(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_truncate(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_mktemp(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_tmpwrite(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_lock(item) FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_readwrite(item) FROM aim_priv_mine', '25001'),
('SELECT basket, nextval(''aim_priv_seq'') FROM aim_priv_mine', '25006'),
('SELECT basket, setval(''aim_priv_seq'', 5) FROM aim_priv_mine', '25006'),
('SELECT basket, lo_create(0) FROM aim_priv_mine', '25006'),
('SELECT basket, lo_put((SELECT o FROM aim_priv_lobj), 0, ''LARGE'')::text FROM aim_priv_mine', '25006'),
('SELECT basket, lo_unlink((SELECT o FROM aim_priv_lobj)) FROM aim_priv_mine', '25006'),
('SELECT basket, lowrite(lo_open((SELECT o FROM aim_priv_lobj), 131072), ''LARGE'') FROM aim_priv_mine', '25006'),
('SELECT basket, aim_priv_lo(item) FROM aim_priv_mine', '25006');

SELECT is(pg_temp.aim_eval(format('SELECT count(*) FROM %s(%L, 0.1)', fn, q)) ~ ('^ERROR ' || code || ':'),
          true, format('%s(%s): %s', fn, q, code))
  FROM aim_priv_ro, (VALUES ('frequent_itemsets'), ('apriori_rules')) f(fn)
 WHERE fn = 'frequent_itemsets' OR id % 5 = 0
 ORDER BY id, fn;
-- interactions_sql likewise: every third statement through item_neighbors,
-- the next one through recommend_items
SELECT is(pg_temp.aim_eval(format('SELECT count(*) FROM %s(%L)', fn, q)) ~ ('^ERROR ' || code || ':'),
          true, format('%s(%s): %s', fn, q, code))
  FROM aim_priv_ro, (VALUES ('item_neighbors', 0), ('recommend_items', 1)) f(fn, r)
 WHERE id % 3 = r
 ORDER BY id, fn;

SELECT is((SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM aim_priv_mine t),
          (SELECT data FROM aim_priv_before), 'aim_priv_mine: the rows are unchanged');
SELECT is((SELECT count(*) FROM pg_attribute WHERE attrelid = 'aim_priv_mine'::regclass AND attnum > 0),
          (SELECT cols FROM aim_priv_before), 'aim_priv_mine: the columns are unchanged');
SELECT is((SELECT last_value FROM aim_priv_seq), (SELECT seq FROM aim_priv_before),
          'the permanent sequence did not move');
SELECT is((SELECT count(*) FROM aim_priv_tmp), (SELECT tmp FROM aim_priv_before),
          'nothing was written to the temporary table');
SELECT is(ARRAY[(SELECT count(*) FROM pg_largeobject_metadata)::text, encode(lo_get((SELECT o FROM aim_priv_lobj)), 'escape')],
          (SELECT ARRAY[los::text, encode(lo, 'escape')] FROM aim_priv_before),
          'no large object was created, written or removed');
SELECT lives_ok($$INSERT INTO aim_priv_tmp VALUES (2)$$,
                'after the refused writes the session writes again (the read-only state is restored)');

-- the documented gap: nextval()/setval() on a temporary sequence work, as
-- in a READ ONLY transaction (nothing outside the session can see it)
SELECT is((SELECT string_agg(itemset::text, ' ' ORDER BY itemset::text)
             FROM frequent_itemsets('SELECT 1, nextval(''aim_priv_tseq'')', 0.1)),
          '{1}', 'documented gap: nextval() on a temporary sequence is allowed');
SELECT is((SELECT last_value FROM aim_priv_tseq), 1::bigint, '... and the temporary sequence moved');
RESET ROLE;

-- COPY FROM inside a function (a superuser's: only they may COPY FROM a
-- file) into a temporary table, which a READ ONLY transaction would allow
CREATE TEMP TABLE aim_priv_copied (t text);
CREATE FUNCTION pg_temp.aim_priv_copy(i text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN COPY aim_priv_copied FROM PROGRAM 'echo copied'; RETURN i; END $f$;
SELECT throws_ok($$SELECT * FROM frequent_itemsets('SELECT 1, pg_temp.aim_priv_copy(''x'')', 0.1)$$,
                 '25006', 'baskets_sql must be a read-only query',
                 'COPY FROM into a temporary table, in a function it calls: 25006');
SELECT is((SELECT count(*)::int FROM aim_priv_copied), 0, '... and nothing was copied');

--
-- hostile search_path
--
-- mallory's schema, readable by all, shadows with more specific signatures
-- what pg_catalog offers only polymorphically (unnest, array_length,
-- count, =, <@, @>, ||) and, with identical signatures, every support
-- function of the extension's aggregates; each shadow logs its call
--
CREATE SCHEMA aim_priv_evil AUTHORIZATION aim_priv_mallory;
SET LOCAL ROLE aim_priv_mallory;
GRANT USAGE ON SCHEMA aim_priv_evil TO PUBLIC;
CREATE TABLE aim_priv_evil.calls (fn text);
GRANT INSERT, SELECT ON aim_priv_evil.calls TO PUBLIC;
CREATE FUNCTION aim_priv_evil.logged(fn text) RETURNS void LANGUAGE sql
	AS $f$INSERT INTO aim_priv_evil.calls VALUES (fn)$f$;
CREATE FUNCTION aim_priv_evil.unnest(a text[]) RETURNS SETOF text LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('unnest(text[])'); SELECT 'hijacked'::text$f$;
CREATE FUNCTION aim_priv_evil.unnest(a float8[]) RETURNS SETOF float8 LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('unnest(float8[])'); SELECT 42::float8$f$;
CREATE FUNCTION aim_priv_evil.array_length(a float8[], d int) RETURNS int LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('array_length(float8[])'); SELECT 42$f$;
CREATE FUNCTION aim_priv_evil.array_length(a text[], d int) RETURNS int LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('array_length(text[])'); SELECT 42$f$;
CREATE FUNCTION aim_priv_evil.count_step(s bigint, v text) RETURNS bigint LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('count(text)'); SELECT 42::bigint$f$;
CREATE AGGREGATE aim_priv_evil.count(text) (SFUNC = aim_priv_evil.count_step, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION aim_priv_evil.arr_eq(a float8[], b float8[]) RETURNS boolean LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('=(float8[])'); SELECT false$f$;
CREATE OPERATOR aim_priv_evil.= (FUNCTION = aim_priv_evil.arr_eq, LEFTARG = float8[], RIGHTARG = float8[]);
CREATE FUNCTION aim_priv_evil.txt_eq(a text[], b text[]) RETURNS boolean LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('=(text[])'); SELECT false$f$;
CREATE OPERATOR aim_priv_evil.= (FUNCTION = aim_priv_evil.txt_eq, LEFTARG = text[], RIGHTARG = text[]);
CREATE OPERATOR aim_priv_evil.<@ (FUNCTION = aim_priv_evil.txt_eq, LEFTARG = text[], RIGHTARG = text[]);
CREATE OPERATOR aim_priv_evil.@> (FUNCTION = aim_priv_evil.txt_eq, LEFTARG = text[], RIGHTARG = text[]);
CREATE FUNCTION aim_priv_evil.txt_cat(a text[], b text) RETURNS text[] LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('||(text[], text)'); SELECT '{hijacked}'::text[]$f$;
CREATE OPERATOR aim_priv_evil.|| (FUNCTION = aim_priv_evil.txt_cat, LEFTARG = text[], RIGHTARG = text);
CREATE FUNCTION aim_priv_evil.num_add(a numeric, b int) RETURNS numeric LANGUAGE sql
	AS $f$SELECT aim_priv_evil.logged('+(numeric, int)'); SELECT 42::numeric$f$;
CREATE OPERATOR aim_priv_evil.+ (FUNCTION = aim_priv_evil.num_add, LEFTARG = numeric, RIGHTARG = int);
DO $do$
DECLARE
	f record;
BEGIN
	FOR f IN
		SELECT DISTINCT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
		       pg_get_function_result(p.oid) AS res
		  FROM aim_priv_procs e JOIN pg_proc p USING (oid)
		 WHERE NOT e.takes_internal AND e.prokind = 'f'
		   AND EXISTS (SELECT 1 FROM pg_aggregate a
		                WHERE p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggmtransfn,
		                                a.aggminvtransfn, a.aggmfinalfn))
	LOOP
		EXECUTE format('CREATE FUNCTION aim_priv_evil.%I(%s) RETURNS %s LANGUAGE sql AS %L',
		               f.proname, f.args, f.res,
		               format('SELECT aim_priv_evil.logged(%L); SELECT NULL::%s', f.proname, f.res));
	END LOOP;
END
$do$;
RESET ROLE;

SET LOCAL ROLE aim_priv_alice;
SET LOCAL search_path = aim_priv_evil, public;
-- controls: in alice's own SQL the shadows win
SELECT is(pg_temp.aim_eval($$SELECT unnest(ARRAY['a', 'b'])$$), 'hijacked',
          'control: under the hostile search_path unnest(text[]) is mallory''s');
SELECT is(pg_temp.aim_eval($$SELECT roi_float8_accum('{0,0,0}', 3, 2)$$), NULL,
          'control: ... and so is roi_float8_accum called by name');
SELECT ok((SELECT count(*) FROM aim_priv_evil.calls) >= 2, 'control: the shadows log their calls');
CREATE TEMP TABLE aim_priv_calls_before AS SELECT count(*) AS n FROM aim_priv_evil.calls;
-- every call of the coverage list whose function is not itself shadowed
-- (aggregates are called by name, their support functions by OID)
CREATE TEMP TABLE aim_priv_hostile AS
	SELECT id, pg_temp.aim_eval(call) AS got
	  FROM aim_priv_calls c
	 WHERE NOT EXISTS (SELECT 1 FROM pg_proc p
	                    WHERE p.pronamespace = 'aim_priv_evil'::regnamespace
	                      AND p.proname = (SELECT proname FROM pg_proc WHERE oid = c.fn));
-- the query text resolves in the caller's search_path (by design):
-- a table of mallory's shadows alice's
SET LOCAL ROLE aim_priv_mallory;
CREATE TABLE aim_priv_evil.aim_priv_mine (basket int, item text);
INSERT INTO aim_priv_evil.aim_priv_mine VALUES (1, 'evil');
GRANT SELECT ON aim_priv_evil.aim_priv_mine TO PUBLIC;
SET LOCAL ROLE aim_priv_alice;
CREATE TEMP TABLE aim_priv_resolved AS
	SELECT pg_temp.aim_eval($$SELECT string_agg(itemset::text, ' ') FROM
	                          frequent_itemsets('SELECT basket, item FROM aim_priv_mine', 0.1)$$) AS unqualified,
	       pg_temp.aim_eval($$SELECT string_agg(itemset::text, ' ' ORDER BY itemset::text) FROM
	                          frequent_itemsets('SELECT basket, item FROM public.aim_priv_mine', 0.5, 1)$$) AS qualified;
RESET ROLE;
RESET search_path;

SELECT is(h.got, c.expected,
          format('under a hostile search_path: %s', regexp_replace(c.call, '\s+', ' ', 'g')))
  FROM aim_priv_calls c JOIN aim_priv_hostile h USING (id) ORDER BY id;
SELECT is(ARRAY(SELECT DISTINCT p.proname::text FROM aim_priv_procs e JOIN pg_proc p USING (oid)
                 JOIN pg_aggregate a ON p.oid IN (a.aggtransfn, a.aggfinalfn, a.aggcombinefn)
                 WHERE NOT e.takes_internal
                EXCEPT
                SELECT proname::text FROM pg_proc WHERE pronamespace = 'aim_priv_evil'::regnamespace),
          '{}'::text[], 'mallory shadowed every aggregate support function callable from SQL');
SELECT is(ARRAY(SELECT fn FROM aim_priv_evil.calls OFFSET (SELECT n FROM aim_priv_calls_before)),
          '{}'::text[], 'no shadow was called by the extension');
SELECT is((SELECT unqualified || ' / ' || qualified FROM aim_priv_resolved), '{evil} / {a} {b}',
          'baskets_sql resolves names in the caller''s search_path (qualify them if it is not trusted)');

SELECT * FROM finish();
ROLLBACK;
