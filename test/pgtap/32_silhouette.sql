-- 32_silhouette.sql: silhouette_score, the full silhouette (issue 14).
--
--  1. against two references written by test/ref/silhouette_ref.py into
--     test/data (so this file needs no Python): scikit-learn's
--     silhouette_score, and the same definition computed directly (each
--     distance from the coordinate differences, sums exactly rounded with
--     math.fsum).  Within 1e-12 (absolute) of the direct value on every
--     set, and of scikit-learn's where scikit-learn is itself accurate; on
--     the sets where it is not (duplicate points, data far from the
--     origin: its |x|^2 + |y|^2 - 2x.y distances lose digits) we are the
--     nearer to the direct value.  The Online Retail RFM features with
--     scikit-learn's k-means labels for k = 2..8 likewise;
--  2. the definition by hand: a point alone in its cluster scores 0, a = b
--     = 0 scores 0, labels are any int (negative, 0, 2^31 - 1), the score
--     does not change when the features are scaled by a power of two (the
--     huge and tiny values that go through the rescaling path included);
--  3. NULL rules: rows with a NULL features or cluster value are skipped;
--     no rows, one cluster, or as many clusters as rows: NULL;
--  4. sample_size and seed: a sample as large as the data is the data; the
--     sample does not depend on row order or the plan; seeds differ; the
--     default seed is 0; a sample of one or two rows is NULL;
--  5. determinism: row order, duplicated rows placed anywhere, GROUP BY,
--     and parallel plans (Partial/Finalize aggregate, checked with EXPLAIN
--     ANALYZE) give the same bits;
--  6. every bad input: SQLSTATE and message;
--  7. crafted serialized states reaching silhouette_deserialize through a
--     user aggregate in a parallel plan are checked; a foreign internal
--     state is rejected by its magic number;
--  8. statement_timeout cancels a long silhouette_score (57014).
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
SET extra_float_digits = 1;

BEGIN;
SELECT plan(96);

\ir helpers.psql


--------------------------------------------------------------------------
-- 1. references (10 + 10 + 2 + 7 + 7 = 36)
--------------------------------------------------------------------------
-- (set, id, cluster, features) and (set, n, k, sklearn, direct)
CREATE TEMP TABLE sil_pts (set text, id int, cluster int, f float8[]);
\copy sil_pts FROM 'test/data/silhouette_pts.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE sil_ref (set text, n int, k int, sklearn float8, direct float8);
\copy sil_ref FROM 'test/data/silhouette_ref.csv' WITH (FORMAT csv, HEADER true)
-- the RFM features with scikit-learn's labels for k = 2..8, and the scores
CREATE TEMP TABLE sil_rfm (id int, f float8[], k2 int, k3 int, k4 int, k5 int, k6 int,
                           k7 int, k8 int);
\copy sil_rfm FROM PROGRAM 'gzip -dc test/data/silhouette_rfm.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE sil_rfm_ref (k int, n int, sklearn float8, direct float8);
\copy sil_rfm_ref FROM 'test/data/silhouette_rfm_ref.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE sil_got AS
SELECT set, silhouette_score(f, cluster) AS s, count(*)::int AS n, count(DISTINCT cluster)::int AS k
  FROM sil_pts GROUP BY set;

SELECT pg_temp.near_abs(g.s, r.direct,
                     format('%s (n = %s, k = %s): the direct reference (1e-12)', r.set, r.n, r.k))
  FROM sil_ref r JOIN sil_got g USING (set) ORDER BY r.set;
-- where scikit-learn is accurate, its value; elsewhere ours is the nearer
-- to the direct value (scikit-learn's error is in the reference file)
SELECT CASE WHEN abs(r.sklearn - r.direct) <= 1e-13
            THEN pg_temp.near_abs(g.s, r.sklearn,
                               format('%s: scikit-learn''s silhouette_score (1e-12)', r.set))
            ELSE ok(abs(g.s - r.direct) < abs(r.sklearn - r.direct) / 1000,
                    format('%s: scikit-learn is off by %s here; we are 1000 times nearer the direct value',
                           r.set, abs(r.sklearn - r.direct)::numeric(10, 3)))
       END
  FROM sil_ref r JOIN sil_got g USING (set) ORDER BY r.set;
SELECT is((SELECT array_agg(set ORDER BY set) FROM sil_ref WHERE abs(sklearn - direct) > 1e-13),
          '{duplicates,offset}'::text[],
          'scikit-learn strays from the direct value on duplicate points and far from the origin only');
SELECT is((SELECT count(*)::int FROM sil_ref r JOIN sil_got g USING (set)
            WHERE g.n = r.n AND g.k = r.k), 10, 'the ten sets loaded whole');

CREATE TEMP TABLE sil_rfm_got AS
SELECT k, (SELECT silhouette_score(f, CASE k WHEN 2 THEN k2 WHEN 3 THEN k3 WHEN 4 THEN k4
                                             WHEN 5 THEN k5 WHEN 6 THEN k6 WHEN 7 THEN k7
                                             ELSE k8 END)
             FROM sil_rfm) AS s
  FROM generate_series(2, 8) k;
SELECT pg_temp.near_abs(g.s, r.sklearn,
                     format('Online Retail RFM, %s customers, k = %s: scikit-learn (1e-12)', r.n, r.k))
  FROM sil_rfm_ref r JOIN sil_rfm_got g USING (k) ORDER BY k;
SELECT pg_temp.near_abs(g.s, r.direct,
                     format('Online Retail RFM, k = %s: the direct reference (1e-12)', r.k))
  FROM sil_rfm_ref r JOIN sil_rfm_got g USING (k) ORDER BY k;

--------------------------------------------------------------------------
-- 2. the definition by hand (9)
--------------------------------------------------------------------------
-- {0} {1} | {4}: s = 3/4, 2/3 and 0 (alone in its cluster)
SELECT pg_temp.near_abs(silhouette_score(f, c), 17.0 / 36, '{0} {1} | {4}: (3/4 + 2/3 + 0) / 3', 1e-15)
  FROM (VALUES ('{0}'::float8[], 1), ('{1}', 1), ('{4}', 2)) v(f, c);
-- two clusters of equal points: a = 0, b = 5, s = 1 for all
SELECT is(silhouette_score(f, c), 1::float8, 'two clusters of equal points 5 apart: 1')
  FROM (VALUES ('{0,0}'::float8[], 1), ('{0,0}', 1), ('{3,4}', 2), ('{3,4}', 2)) v(f, c);
-- every point at the same place: a = b = 0, s = 0 (scikit-learn's 0/0 -> 0)
SELECT is(silhouette_score(f, c), 0::float8, 'all points equal: a = b = 0 scores 0')
  FROM (VALUES ('{7,7}'::float8[], 1), ('{7,7}', 1), ('{7,7}', 2), ('{7,7}', 2)) v(f, c);
-- labels are names only: renaming them changes nothing
SELECT is((SELECT silhouette_score(f, CASE cluster WHEN -1 THEN 5 WHEN 0 THEN 6 WHEN 7 THEN 7
                                                   ELSE 8 END)
             FROM sil_pts WHERE set = 'labels'),
          (SELECT s FROM sil_got WHERE set = 'labels'),
          'labels -1, 0, 7, 2147483647 renamed 5..8: the same bits');
-- the silhouette is a ratio of distances: scaling the features by a power
-- of two (exact) leaves it alone, whether or not the values need rescaling
-- inside (|x| > 1e100 or < 1e-100); only the canonical order of the rows,
-- hence the order of the sums, changes
SELECT pg_temp.near_abs((SELECT silhouette_score(ARRAY(SELECT x * 2 ^ e FROM unnest(f) x), cluster)
                        FROM sil_pts WHERE set = 'blobs_k6'),
                     (SELECT s FROM sil_got WHERE set = 'blobs_k6'),
                     format('blobs_k6 scaled by 2^%s: the same score (1e-15)', e), 1e-15)
  FROM unnest(ARRAY[3, -7, 600, -600]) e;
-- a one-row cluster far away: b of the others is its distance
SELECT pg_temp.near_abs(silhouette_score(f, c), (0 + 9.0 / 10 + 8.0 / 9) / 3,
                     '{10} alone, {0} {1}: (0 + 9/10 + 8/9) / 3', 1e-15)
  FROM (VALUES ('{10}'::float8[], 2), ('{0}', 1), ('{1}', 1)) v(f, c);

--------------------------------------------------------------------------
-- 3. NULL rules (8)
--------------------------------------------------------------------------
SELECT is((SELECT silhouette_score(f, cluster) FROM sil_pts WHERE false), NULL::float8,
          'no rows: NULL');
SELECT is((SELECT silhouette_score(f, cluster)
             FROM (SELECT CASE WHEN id % 4 = 0 THEN NULL ELSE f END AS f, cluster
                     FROM sil_pts WHERE set = 'blobs_k6') t),
          (SELECT silhouette_score(f, cluster) FROM sil_pts WHERE set = 'blobs_k6' AND id % 4 <> 0),
          'rows with NULL features are skipped');
SELECT is((SELECT silhouette_score(f, CASE WHEN id % 3 = 0 THEN NULL ELSE cluster END)
             FROM sil_pts WHERE set = 'blobs_k6'),
          (SELECT silhouette_score(f, cluster) FROM sil_pts WHERE set = 'blobs_k6' AND id % 3 <> 0),
          'rows with a NULL cluster are skipped');
SELECT is(silhouette_score(NULL::float8[], c), NULL::float8, 'every features value NULL: NULL')
  FROM generate_series(1, 3) c;
SELECT is(silhouette_score(f, 1), NULL::float8, 'one cluster: NULL (scikit-learn raises)')
  FROM sil_pts WHERE set = 'blobs_k2';
SELECT is(silhouette_score(f, id), NULL::float8,
          'every point in its own cluster: NULL (scikit-learn raises)')
  FROM sil_pts WHERE set = 'blobs_k2';
SELECT is(silhouette_score(f, c), NULL::float8, 'a single row: NULL')
  FROM (VALUES ('{1,2}'::float8[], 1)) v(f, c);
SELECT is((SELECT array_agg(round(s::numeric, 12) ORDER BY g)
             FROM (SELECT g, silhouette_score(f, c) AS s
                     FROM (VALUES (1, '{0}'::float8[], 1), (1, '{1}', 1), (1, '{4}', 2),
                                  (2, '{0}', 1), (2, '{1}', 1)) v(g, f, c)
                    GROUP BY g) t),
          ARRAY[round(17.0 / 36, 12), NULL],
          'GROUP BY: an undefined group is NULL, the others go on');

--------------------------------------------------------------------------
-- 4. sample_size and seed (9)
--------------------------------------------------------------------------
SELECT is((SELECT silhouette_score(f, cluster, 400) FROM sil_pts WHERE set = 'blobs_k6'),
          (SELECT s FROM sil_got WHERE set = 'blobs_k6'),
          'sample_size = n: the score of all rows, bit for bit');
SELECT is((SELECT silhouette_score(f, cluster, 100000, 5) FROM sil_pts WHERE set = 'blobs_k6'),
          (SELECT s FROM sil_got WHERE set = 'blobs_k6'),
          'sample_size > n: the score of all rows');
SELECT is((SELECT silhouette_score(f, cluster, 150) FROM sil_pts WHERE set = 'blobs_k6'),
          (SELECT silhouette_score(f, cluster, 150, 0) FROM sil_pts WHERE set = 'blobs_k6'),
          'the default seed is 0');
SELECT is((SELECT silhouette_score(f, cluster, 150, 3)
             FROM (SELECT * FROM sil_pts WHERE set = 'blobs_k6' ORDER BY md5(id::text)) t),
          (SELECT silhouette_score(f, cluster, 150, 3)
             FROM (SELECT * FROM sil_pts WHERE set = 'blobs_k6' ORDER BY id DESC) t),
          'a sample does not depend on the row order');
SELECT is((SELECT count(DISTINCT s)::int
             FROM (SELECT seed, silhouette_score(f, cluster, 150, seed) AS s
                     FROM sil_pts, generate_series(1, 5) seed
                    WHERE set = 'blobs_k6' GROUP BY seed) t),
          5, 'five seeds, five samples, five scores');
SELECT ok((SELECT bool_and(s <> (SELECT s FROM sil_got WHERE set = 'blobs_k6') AND
                           abs(s - (SELECT s FROM sil_got WHERE set = 'blobs_k6')) < 0.1)
             FROM (SELECT seed, silhouette_score(f, cluster, 150, seed) AS s
                     FROM sil_pts, generate_series(1, 5) seed
                    WHERE set = 'blobs_k6' GROUP BY seed) t),
          'samples of 150 of 400 rows: other scores than the full one, within 0.1 of it');
SELECT is(silhouette_score(f, cluster, 1), NULL::float8, 'a sample of one row: NULL')
  FROM sil_pts WHERE set = 'blobs_k6';
SELECT is(silhouette_score(f, cluster, 2, 8), NULL::float8,
          'a sample of two rows: NULL (one cluster, or one row per cluster)')
  FROM sil_pts WHERE set = 'blobs_k6';
-- the sample is drawn from the rows, duplicates included: two copies of
-- every row give the full score of the doubled data with sample_size 2n
SELECT is((SELECT silhouette_score(f, cluster, 800) FROM sil_pts, generate_series(1, 2)
            WHERE set = 'blobs_k6'),
          (SELECT silhouette_score(f, cluster) FROM sil_pts, generate_series(1, 2)
            WHERE set = 'blobs_k6'),
          'rows repeated: sample_size counts rows, not distinct points');

--------------------------------------------------------------------------
-- 5. determinism and parallel plans (9)
--------------------------------------------------------------------------
SELECT is((SELECT silhouette_score(f, cluster)
             FROM (SELECT * FROM sil_pts WHERE set = 'random_k4' ORDER BY md5(id::text)) t),
          (SELECT s FROM sil_got WHERE set = 'random_k4'),
          'row order: the same bits');
SELECT is((SELECT silhouette_score(f, cluster)
             FROM (SELECT * FROM sil_pts WHERE set = 'duplicates' ORDER BY random()) t),
          (SELECT s FROM sil_got WHERE set = 'duplicates'),
          'duplicate rows in a random order: the same bits');

-- Parallel plans.  The table is created in this transaction; parallel
-- workers share the transaction's snapshot, so they see it.  Queries run
-- through EXECUTE (pg_temp.run, aim_err): pgTAP's functions are
-- parallel-unsafe and would keep a query that calls them serial.
DO $$BEGIN PERFORM setseed(0.25); END $$;
CREATE TABLE aim_sil_par AS
SELECT id, ARRAY[(id % 5) * 2 + random(), (id % 7) + random(), random() * 3]::float8[] AS f,
       (id % 5) + 1 AS c
  FROM generate_series(1, 30000) id;
ANALYZE aim_sil_par;
CREATE TEMP TABLE sil_serial AS
SELECT silhouette_score(f, c) AS s, silhouette_score(f, c, 3000, 4) AS s_sample FROM aim_sil_par;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT matches(pg_temp.plan_of($$SELECT silhouette_score(f, c) FROM aim_sil_par$$),
               'Finalize Aggregate.*Workers Launched: [12].*Partial Aggregate.*Parallel Seq Scan',
               'the parallel plan: Partial Aggregate in launched workers, Finalize Aggregate above');
SELECT is(pg_temp.run($$SELECT silhouette_score(f, c) FROM aim_sil_par$$)::float8,
          (SELECT s FROM sil_serial),
          'parallel plan (leader not participating): the bits of the serial plan');
SELECT is(pg_temp.run($$SELECT silhouette_score(f, c, 3000, 4) FROM aim_sil_par$$)::float8,
          (SELECT s_sample FROM sil_serial),
          'parallel plan: the same sample as the serial plan');
SET parallel_leader_participation = on;
SELECT is(pg_temp.run($$SELECT silhouette_score(f, c) FROM aim_sil_par$$)::float8,
          (SELECT s FROM sil_serial),
          'parallel plan (leader participating): the bits of the serial plan');
SET parallel_leader_participation = off;
SELECT is(pg_temp.run($$SELECT silhouette_score(CASE WHEN id > 20000 THEN f END, c) FROM aim_sil_par$$)::float8,
          (SELECT silhouette_score(f, c) FROM aim_sil_par WHERE id > 20000),
          'parallel plan, features NULL in two thirds of the rows: the score of the others');
SELECT ok((SELECT code = '2202E' AND msg ~ '^features array length [23] differs from [23], the length in earlier rows$'
             FROM pg_temp.aim_err($$SELECT silhouette_score(CASE WHEN id > 15000 THEN f ELSE f[1:2] END, c)
                                      FROM aim_sil_par$$)),
          'parallel plan: rows of two lengths are an error (2202E)');
SELECT ok((SELECT code = '22023' AND msg = 'silhouette_score parameter sample_size must be the same for every row'
             FROM pg_temp.aim_err($$SELECT silhouette_score(f, c, CASE WHEN id > 15000 THEN 10 ELSE 20 END)
                                      FROM aim_sil_par$$)),
          'parallel plan: a sample_size that changes between rows is an error (22023)');
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--------------------------------------------------------------------------
-- 6. bad input (13)
--------------------------------------------------------------------------
CREATE TEMP TABLE sil_err (id serial, stmt text, code text, msg text);
INSERT INTO sil_err (stmt, code, msg) VALUES
($$SELECT silhouette_score(f, 1) FROM (VALUES ('{1,2}'::float8[]), ('{1,2,3}')) v(f)$$,
 '2202E', 'features array length 3 differs from 2, the length in earlier rows'),
($$SELECT silhouette_score('{{1,2},{3,4}}'::float8[], 1)$$,
 '2202E', 'array "features" must be one-dimensional, not 2-dimensional'),
($$SELECT silhouette_score('{1,NULL}'::float8[], 1)$$,
 '22004', 'array "features" must not contain nulls'),
($$SELECT silhouette_score('{1,NaN}'::float8[], 1)$$,
 '22023', 'array "features" must not contain NaN or infinity'),
($$SELECT silhouette_score(f, 1) FROM (VALUES ('{1,2}'::float8[]), ('{-Infinity,2}')) v(f)$$,
 '22023', 'array "features" must not contain NaN or infinity'),
($$SELECT silhouette_score('{}'::float8[], 1)$$,
 '22023', 'array "features" must not be empty'),
($$SELECT silhouette_score('{1}'::float8[], 1, 0)$$,
 '22023', 'sample_size must be at least 1, not 0'),
($$SELECT silhouette_score('{1}'::float8[], 1, -5, 1)$$,
 '22023', 'sample_size must be at least 1, not -5'),
($$SELECT silhouette_score('{1}'::float8[], 1, NULL)$$,
 '22004', 'silhouette_score parameter sample_size must not be null'),
($$SELECT silhouette_score('{1}'::float8[], 1, 10, NULL)$$,
 '22004', 'silhouette_score parameter seed must not be null'),
($$SELECT silhouette_score(f, 1, 10, s) FROM (VALUES (NULL::float8[], 1), ('{1}', 2)) v(f, s)$$,
 '22023', 'silhouette_score parameter seed must be the same for every row'),
($$SELECT silhouette_score(f, 1, n) FROM (VALUES ('{1}'::float8[], 5), ('{1}', 6)) v(f, n)$$,
 '22023', 'silhouette_score parameter sample_size must be the same for every row'),
($$SELECT silhouette_score(f, 1) FROM (VALUES (NULL::float8[]), ('{1,2}'), ('{1}')) v(f)$$,
 '2202E', 'features array length 1 differs from 2, the length in earlier rows');
SELECT is((SELECT code || ' ' || msg FROM pg_temp.aim_err(stmt)), code || ' ' || msg,
          format('%s: %s', regexp_replace(stmt, '\s+', ' ', 'g'), code))
  FROM sil_err ORDER BY id;

--------------------------------------------------------------------------
-- 7. crafted states (10, and the foreign state 1)
--------------------------------------------------------------------------
-- a state in the layout of SilSerial (src/silhouette.c), little-endian:
-- d, sample_size, seed, padding, n, then n rows of (label, d features)
CREATE FUNCTION pg_temp.sstate(d int, sample_size int, seed int, n int8, rows float8[] DEFAULT '{}')
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
SELECT pg_temp.le(int4send(d)) || pg_temp.le(int4send(sample_size)) || pg_temp.le(int4send(seed))
       || pg_temp.le(int4send(0)) || pg_temp.le(int8send(n))
       || coalesce((SELECT string_agg(pg_temp.le(float8send(x)), ''::bytea ORDER BY o)
                      FROM unnest(rows) WITH ORDINALITY u(x, o)), ''::bytea)
$$;
CREATE AGGREGATE aim_test_sil_state(float8[], int, int, int) (
    SFUNC = silhouette_accum, STYPE = internal, FINALFUNC = silhouette_serialize);
SELECT is((SELECT aim_test_sil_state(f, c, 7, -3)
             FROM (VALUES ('{0.5,2}'::float8[], 4), ('{1,-3}', -1)) v(f, c)),
          pg_temp.sstate(2, 7, -3, 2, '{4,0.5,2,-1,1,-3}'),
          'silhouette_serialize writes the layout the crafted states below use');

CREATE AGGREGATE aim_test_sil_craft(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal,
    SERIALFUNC = bytea_string_agg_finalfn, DESERIALFUNC = silhouette_deserialize,
    COMBINEFUNC = silhouette_combine, FINALFUNC = silhouette_final, PARALLEL = SAFE);
-- run aim_test_sil_craft over aim_sil_par with one non-NULL row holding st
CREATE FUNCTION pg_temp.scraft(st bytea) RETURNS float8 LANGUAGE sql AS $$
SELECT pg_temp.craft_parallel('aim_test_sil_craft', 'aim_sil_par', st)::float8
$$;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT throws_ok(format('SELECT pg_temp.scraft(%L::bytea)', st), '22023', msg,
                 format('crafted state, %s: 22023 %s', what, msg))
  FROM (VALUES (1, 'shorter than the header', '\x01'::bytea, 'invalid silhouette_score state of 1 bytes'),
               (2, 'd = -1', pg_temp.sstate(-1, 0, 0, 0), 'invalid silhouette_score state'),
               (3, 'sample_size = -1', pg_temp.sstate(1, -1, 0, 1, '{1,5}'), 'invalid silhouette_score state'),
               (4, 'd = 0, n = 1', pg_temp.sstate(0, 0, 0, 1), 'invalid silhouette_score state'),
               (5, 'n = 3, two rows', pg_temp.sstate(1, 0, 0, 3, '{1,5,2,6}'), 'invalid silhouette_score state'),
               (6, 'label 1.5', pg_temp.sstate(1, 0, 0, 2, '{1.5,5,2,6}'), 'invalid silhouette_score state'),
               (7, 'label 2^31', pg_temp.sstate(1, 0, 0, 2, '{2147483648,5,2,6}'), 'invalid silhouette_score state'),
               (8, 'a NaN feature', pg_temp.sstate(1, 0, 0, 2, '{1,NaN,2,6}'), 'invalid silhouette_score state'))
       v(n, what, st, msg)
 ORDER BY n;
SELECT pg_temp.near_abs(pg_temp.scraft(pg_temp.sstate(1, 0, 0, 3, '{1,0,1,1,2,4}')), 17.0 / 36,
                     'crafted well-formed state: the score of the same rows', 1e-15);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- a user aggregate pairing kmeans' transition function with
-- silhouette_final: the magic number rejects the foreign state (1)
CREATE AGGREGATE aim_test_sil_mixed(float8[], int) (
    SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = silhouette_final);
SELECT throws_ok($$SELECT aim_test_sil_mixed(f, 2) FROM (VALUES ('{1}'::float8[]), ('{2}')) v(f)$$,
                 '22023', 'silhouette_score: the aggregate state is not a silhouette_score state',
                 'a kmeans state handed to silhouette_final: 22023');

--------------------------------------------------------------------------
-- 8. cancel (1)
--------------------------------------------------------------------------
-- 150000 points: 1.1e10 distances, several seconds uncancelled
CREATE TEMP TABLE sil_big AS
SELECT ARRAY[random(), random(), random(), random()]::float8[] AS f, (i % 2) + 1 AS c
  FROM generate_series(1, 150000) i;
SET LOCAL statement_timeout = '500ms';
SELECT is(pg_temp.cancel_code($$SELECT silhouette_score(f, c) FROM sil_big$$), '57014',
          'statement_timeout cancels silhouette_score in the distance loop (57014)');
SET LOCAL statement_timeout = 0;

SELECT * FROM finish();
ROLLBACK;
