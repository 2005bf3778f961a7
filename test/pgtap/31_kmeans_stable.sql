-- 31_kmeans_stable.sql: segments that stay put between refreshes (issue
-- 13): kmeans with n_init, the warm start kmeans(features, k, init [,
-- max_iter, tolerance]) and kmeans_match.
--
--  1. warm start against scikit-learn's KMeans(init=array, n_init=1,
--     algorithm='lloyd') on overlapping clusters (several iterations from
--     the init): the same centroids in init's row order to 1e-9 and the
--     same inertia to 1e-9, with tolerance 0 and 1e-4; a converged model
--     is a fixed point; permuting init permutes the result;
--  2. n_init against scikit-learn's KMeans(n_init=10) on many blobs, where
--     one k-means++ run can miss: n_init = 1 is the plain aggregate, the
--     inertia never increases with n_init (the runs share one random
--     stream, so n runs are a prefix of n + 1), n_init = 20 is within
--     1e-3 of scikit-learn's n_init = 10;
--  3. determinism: row order and parallel plans, for both variants;
--  4. kmeans_match against scipy.optimize.linear_sum_assignment on 24
--     random cases (k up to 200), hand cases with ties (the documented
--     rule: among assignments of equal total squared distance, the most
--     centroids keep their number), k = 300, extra new centroids;
--  5. bad input: SQLSTATE and message.
--
-- Reference values: test/ref/kmeans_stable_ref.py (numpy, scikit-learn,
-- scipy), written to test/data/kmeans_{stable_pts,warm_sklearn,
-- ninit_sklearn,match_ref}.csv, so this file needs no Python.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
SET extra_float_digits = 1;

BEGIN;
SELECT plan(48);

\ir helpers.psql

CREATE TEMP TABLE st_pts (set text, id int, f float8[]);
\copy st_pts FROM 'test/data/kmeans_stable_pts.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE st_warm (set text, k int, tol float8, init float8[], centres float8[],
                           inertia float8, n_iter int);
\copy st_warm FROM 'test/data/kmeans_warm_sklearn.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE st_ninit (set text, k int, inertia_n10 float8, inertia_n1_min float8,
                            inertia_n1_max float8);
\copy st_ninit FROM 'test/data/kmeans_ninit_sklearn.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE st_match (id int, old float8[], new float8[], matched float8[], cost float8);
\copy st_match FROM 'test/data/kmeans_match_ref.csv' WITH (FORMAT csv, HEADER true)

-- the largest absolute difference of two arrays of the same shape
CREATE FUNCTION pg_temp.maxabs(a float8[], b float8[]) RETURNS float8 LANGUAGE sql AS $$
  SELECT CASE WHEN array_dims(a) = array_dims(b)
              THEN (SELECT max(abs(x - y)) FROM unnest(a, b) u(x, y)) END $$;
-- the rows of a k x d array in reverse order
CREATE FUNCTION pg_temp.reversed(c float8[]) RETURNS float8[] LANGUAGE sql AS $$
  SELECT array_agg(r.centroid ORDER BY r.cluster DESC) FROM kmeans_centroids(c) r $$;
-- total squared distance between the rows of a and b, row i with row i
CREATE FUNCTION pg_temp.pair_cost(a float8[], b float8[]) RETURNS float8 LANGUAGE sql AS $$
  SELECT sum((x - y) ^ 2) FROM unnest(a, b) u(x, y) $$;

--------------------------------------------------------------------------
-- 1. warm start against scikit-learn (14)
--------------------------------------------------------------------------

CREATE TEMP TABLE st_warm_fit AS
SELECT w.*, (SELECT kmeans(p.f, w.k, w.init, 300, w.tol) FROM st_pts p WHERE p.set = w.set) AS c
  FROM st_warm w;

SELECT cmp_ok(pg_temp.maxabs(c, centres), '<=', 1e-9::float8,
              format('%s, tolerance %s: warm start gives scikit-learn''s centres in init''s order (1e-9)',
                     set, tol))
  FROM st_warm_fit ORDER BY set, tol;

SELECT pg_temp.near((SELECT kmeans_inertia(p.f, w.c) FROM st_pts p WHERE p.set = w.set), w.inertia,
                    format('%s, tolerance %s: the inertia is scikit-learn''s (1e-9)', w.set, w.tol), 1e-9)
  FROM st_warm_fit w ORDER BY w.set, w.tol;

-- a model converged with tolerance 0 is a fixed point of the warm start
SELECT is((SELECT kmeans(f, 4, (SELECT kmeans(f, 4, 3, 300, 0) FROM st_pts WHERE set = 'warm_3d_k6'))
             FROM st_pts WHERE set = 'warm_3d_k6'),
          (SELECT kmeans(f, 4, 3, 300, 0) FROM st_pts WHERE set = 'warm_3d_k6'),
          'warm start from a converged model returns that model, bit for bit');

-- init's numbering is kept: reversing init's rows reverses the result
SELECT is((SELECT kmeans(p.f, w.k, pg_temp.reversed(w.init)) FROM st_pts p WHERE p.set = w.set),
          pg_temp.reversed((SELECT kmeans(p.f, w.k, w.init) FROM st_pts p WHERE p.set = w.set)),
          'warm start: init''s rows reversed give the same centroids reversed')
  FROM st_warm w WHERE w.set = 'warm_5d_k3' AND w.tol = 0;

--------------------------------------------------------------------------
-- 2. n_init (7)
--------------------------------------------------------------------------

CREATE TEMP TABLE st_ninit_fit AS
SELECT s.set, s.k, s.inertia_n10, n,
       (SELECT kmeans_inertia(p.f, (SELECT kmeans(q.f, s.k, 0, 300, 1e-4, n) FROM st_pts q
                                     WHERE q.set = s.set))
          FROM st_pts p WHERE p.set = s.set) AS inertia
  FROM st_ninit s CROSS JOIN (VALUES (1), (2), (3), (5), (10), (20)) v(n);

SELECT is((SELECT count(*)::int FROM st_ninit s CROSS JOIN generate_series(0, 2) seed
            WHERE (SELECT kmeans(f, s.k, seed, 300, 1e-4, 1) FROM st_pts p WHERE p.set = s.set)
                  IS DISTINCT FROM (SELECT kmeans(f, s.k, seed) FROM st_pts p WHERE p.set = s.set)),
          0, 'n_init = 1 is the aggregate without n_init (2 sets, seeds 0-2)');

SELECT is((SELECT array_agg(n ORDER BY n) FROM (
             SELECT n, inertia < lag(inertia) OVER (ORDER BY n) * (1 + 1e-12) OR n = 1 AS ok
               FROM st_ninit_fit f WHERE f.set = s.set) t WHERE NOT ok), NULL,
          format('%s: the inertia never increases with n_init (1, 2, 3, 5, 10, 20)', s.set))
  FROM st_ninit s ORDER BY s.set;

SELECT cmp_ok(f.inertia, '<=', f.inertia_n10 * (1 + 1e-3),
              format('%s: n_init = 20 is within 1e-3 of scikit-learn''s n_init = 10 inertia', f.set))
  FROM st_ninit_fit f WHERE n = 20 ORDER BY f.set;

-- the 15 blobs in 3-D: one run merges blobs, ten runs do not
SELECT cmp_ok((SELECT inertia FROM st_ninit_fit WHERE set = 'ninit_3d_k15' AND n = 1), '>',
              (SELECT inertia FROM st_ninit_fit WHERE set = 'ninit_3d_k15' AND n = 10) * 1.05,
              'ninit_3d_k15: n_init = 10 improves on one run by more than 5 %');

SELECT is((SELECT kmeans(f, 15, 7, 300, 1e-4, 4 ORDER BY md5(id::text)) FROM st_pts WHERE set = 'ninit_3d_k15'),
          (SELECT kmeans(f, 15, 7, 300, 1e-4, 4 ORDER BY id DESC) FROM st_pts WHERE set = 'ninit_3d_k15'),
          'n_init: the same model for any row order');

--------------------------------------------------------------------------
-- 3. parallel plans (4)
--------------------------------------------------------------------------

DO $$BEGIN PERFORM setseed(0.25); END $$;
CREATE TABLE aim_st_par AS
SELECT id, ARRAY[(id % 5) * 2 + random(), (id % 7) + random(), random() * 3]::float8[] AS f
  FROM generate_series(1, 40000) id;
ANALYZE aim_st_par;
CREATE TEMP TABLE st_par_serial AS
SELECT kmeans(f, 5, 3, 300, 1e-4, 3) AS c_n,
       kmeans(f, 5, '{{0,0,0},{2,2,2},{4,4,1},{6,1,2},{9,6,3}}'::float8[]) AS c_w
  FROM aim_st_par;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

SELECT matches(pg_temp.plan_of($$SELECT kmeans(f, 5, '{{0,0,0},{2,2,2},{4,4,1},{6,1,2},{9,6,3}}'::float8[]) FROM aim_st_par$$),
               'Finalize Aggregate.*Workers Launched: [12].*Partial Aggregate.*Parallel Seq Scan',
               'warm start: a parallel plan (Partial Aggregate in launched workers)');
SELECT is(pg_temp.run($$SELECT kmeans(f, 5, '{{0,0,0},{2,2,2},{4,4,1},{6,1,2},{9,6,3}}'::float8[]) FROM aim_st_par$$)::float8[],
          (SELECT c_w FROM st_par_serial), 'warm start: the parallel plan gives the serial model');
SELECT is(pg_temp.run($$SELECT kmeans(f, 5, 3, 300, 1e-4, 3) FROM aim_st_par$$)::float8[],
          (SELECT c_n FROM st_par_serial), 'n_init: the parallel plan gives the serial model');
-- a warm start whose init differs between workers' rows is caught in the
-- combine step or the transition
SELECT is((SELECT code FROM pg_temp.aim_err($$SELECT kmeans(f, 1, CASE WHEN id % 2 = 0 THEN '{{0,0,0}}' ELSE '{{1,0,0}}' END::float8[]) FROM aim_st_par$$)),
          '22023', 'warm start, parallel plan: an init that changes between rows is an error');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--------------------------------------------------------------------------
-- 4. kmeans_match (11)
--------------------------------------------------------------------------

SELECT is((SELECT array_agg(id ORDER BY id) FROM st_match WHERE kmeans_match(new, old) IS DISTINCT FROM matched),
          NULL, 'kmeans_match renumbers as scipy''s linear_sum_assignment (24 random cases, k = 1 to 200)');
SELECT is((SELECT array_agg(id ORDER BY id) FROM st_match
            WHERE NOT abs(pg_temp.pair_cost(kmeans_match(new, old), old) - cost) <= 1e-12 * cost),
          NULL, 'kmeans_match: the total squared distance is scipy''s optimum (1e-12)');

-- ties: equal totals keep the most centroids at their own number
SELECT is(kmeans_match('{{0},{2}}', '{{1},{1}}'), '{{0},{2}}'::float8[],
          'ties: two old centroids at the same place keep the new order {{0},{2}}');
SELECT is(kmeans_match('{{2},{0}}', '{{1},{1}}'), '{{2},{0}}'::float8[],
          'ties: ... and {{2},{0}}');
SELECT is(kmeans_match('{{9},{0},{11}}', '{{0},{10},{10}}'), '{{0},{9},{11}}'::float8[],
          'ties: {9} and {11} are both 1 from the two {10}: {11} keeps number 3');
SELECT is(kmeans_match('{{1,1},{1,1},{5,5}}', '{{1,1},{5,5},{1,1}}'), '{{1,1},{5,5},{1,1}}'::float8[],
          'duplicate rows: the model of yesterday comes back as it was');
SELECT is(kmeans_match(pg_temp.reversed(old), old), old,
          'swapped numbers: a reversed model is renumbered back')
  FROM st_match WHERE id = 20;
SELECT is(kmeans_match('{{10,0},{0,0},{5,0},{7,1}}', '{{0,0},{5,0},{10,0}}'),
          '{{0,0},{5,0},{10,0},{7,1}}'::float8[],
          'more new centroids than old: the unmatched new ones follow, in their order');
SELECT is(kmeans_match('{{1e300},{-1e300}}', '{{-1e300},{1e300}}'), '{{-1e300},{1e300}}'::float8[],
          'coordinates near the largest double: squared distances scaled, not overflowed');

-- k = 300, the old model permuted and nudged
CREATE TEMP TABLE st_big AS
SELECT (SELECT array_agg(ARRAY[i, (i * 7919) % 301, (i * 104729) % 293]::float8[] ORDER BY i)
          FROM generate_series(1, 300) i) AS old,
       (SELECT array_agg(ARRAY[i + 0.1, (i * 7919) % 301 - 0.2, (i * 104729) % 293]::float8[]
                         ORDER BY md5(i::text))
          FROM generate_series(1, 300) i) AS new;
SELECT cmp_ok(pg_temp.maxabs(kmeans_match(new, old), old), '<=', 0.2000001::float8,
              'k = 300: every centroid goes back to its number')
  FROM st_big;
SELECT is(kmeans_match(old, old), old, 'k = 300: an unchanged model is not renumbered') FROM st_big;

--------------------------------------------------------------------------
-- 5. bad input (12)
--------------------------------------------------------------------------

SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8], 3, '{{1},{2}}'::float8[]) FROM generate_series(1, 10) x$$,
                 '2202E', 'init array has 2 rows, but k is 3', 'warm start: init must have k rows');
SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8, 1], 2, '{{1},{2}}'::float8[]) FROM generate_series(1, 10) x$$,
                 '2202E', 'init array row length 1 does not match features array length 2',
                 'warm start: init rows must have d elements');
SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8], 2, '{{1},{NaN}}'::float8[]) FROM generate_series(1, 10) x$$,
                 '22023', 'array "init" must not contain NaN or infinity', 'warm start: NaN in init');
SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8], 2, '{1,2}'::float8[]) FROM generate_series(1, 10) x$$,
                 '2202E', 'array "init" must be two-dimensional, not 1-dimensional',
                 'warm start: init must be a k x d array');
SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8], 2, NULL::float8[]) FROM generate_series(1, 10) x$$,
                 '22004', 'kmeans parameter init must not be null', 'warm start: NULL init');
SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8], 2, ARRAY[ARRAY[1], ARRAY[x]]::float8[]) FROM generate_series(1, 10) x$$,
                 '22023', 'kmeans parameter init must be the same for every row',
                 'warm start: an init computed per row must not change (same memory, new value)');
SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8], 2, 0, 300, 1e-4, 0) FROM generate_series(1, 10) x$$,
                 '22023', 'n_init must be between 1 and 1000, not 0', 'n_init 0');
SELECT throws_ok($$SELECT kmeans(ARRAY[x::float8], 2, 0, 300, 1e-4, x) FROM generate_series(1, 10) x$$,
                 '22023', 'kmeans parameter n_init must be the same for every row', 'n_init that changes');
SELECT throws_ok($$SELECT kmeans_match('{{1},{2}}', '{{1},{2},{3}}')$$,
                 '22023', 'new_centroids has 2 rows, fewer than the 3 of old_centroids',
                 'kmeans_match: fewer new centroids than old');
SELECT throws_ok($$SELECT kmeans_match('{{1,2}}', '{{1}}')$$,
                 '2202E', 'new_centroids row length 2 does not match old_centroids row length 1',
                 'kmeans_match: different dimensions');
SELECT throws_ok($$SELECT kmeans_match('{{1},{Infinity}}', '{{1},{2}}')$$,
                 '22023', 'array "new_centroids" must not contain NaN or infinity',
                 'kmeans_match: infinity');
SELECT is(kmeans_match(NULL, '{{1}}'), NULL, 'kmeans_match is strict');

SELECT * FROM finish();
ROLLBACK;
