-- 30_kmeans.sql: behaviour of the kmeans aggregate, kmeans_inertia,
-- kmeans_silhouette and kmeans_centroids, complementing sql/kmeans.sql
-- (pg_regress), which shows typical output.  Here:
--
--  1. against scikit-learn on well-separated blobs (2-D, 5-D, 3-D with
--     unequal blobs, 1-D), whose k-means optimum is unique: our inertia is
--     scikit-learn's KMeans(n_init=10) inertia to 1e-6 relative and our
--     centroids are its cluster_centers_ up to row order to 1e-9;
--  2. kmeans_inertia and kmeans_silhouette of random points for given
--     centroids against exact values (checked with numpy), to 1e-12;
--  3. Lloyd's algorithm itself: a converged model (tolerance 0) is a fixed
--     point, every centroid the mean of the points kmeans_assign gives it;
--     max_iter = m + 1 is one Lloyd step from max_iter = m; the inertia
--     never increases with max_iter; the tolerance stops where
--     scikit-learn's rule says;
--  4. determinism: row order, insertion order, NULL rows, the defaults of
--     the shorter overloads, seeds, window frames, GROUP BY, and parallel
--     plans (Partial/Finalize aggregate, workers checked with EXPLAIN
--     ANALYZE; a table created in this transaction is visible to them);
--  5. every bad input: SQLSTATE, message, detail and hint;
--  6. the support functions with internal arguments cannot be called from
--     SQL, and the one route by which a crafted bytea does reach
--     kmeans_deserialize (a user aggregate that borrows a core bytea
--     serialization function, in a parallel plan) is stopped by its checks;
--     a user aggregate that pairs kmeans support functions with another
--     aggregate's internal state is stopped by the state's magic number;
--  7. statement_timeout cancels a long kmeans, in the seeding and in the
--     Lloyd iterations (57014; the latency is test/robust/20_cancel.sh's).
--
-- The reference values of 1 and 2 come from test/ref/kmeans_small_ref.py
-- (numpy, scikit-learn), which wrote them to test/data/kmeans_*.csv (see
-- test/data/README.md), so this file needs no Python.
--
-- Section 8 pins defects found when this suite was written, since fixed.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
SET extra_float_digits = 1;

BEGIN;
SELECT plan(225);

\ir helpers.psql

-- the reference data of 1 and 2, written by test/ref/kmeans_small_ref.py
-- (paths from the repository's root, where pg_prove runs psql)
-- well-separated blobs: (set, id, blob, features)
CREATE TEMP TABLE ref_blob_pts (set text, id int, blob int, f float8[]);
\copy ref_blob_pts FROM 'test/data/kmeans_blobs.csv' WITH (FORMAT csv, HEADER true)
-- scikit-learn's KMeans(n_clusters=k, n_init=10, random_state=0):
-- (set, k, n, inertia_, cluster_centers_ sorted by coordinates)
CREATE TEMP TABLE ref_blob_sk (set text, k int, n int, inertia float8, centres float8[]);
\copy ref_blob_sk FROM 'test/data/kmeans_blobs_sklearn.csv' WITH (FORMAT csv, HEADER true)
-- random points for kmeans_inertia / kmeans_silhouette: (set, id, features)
CREATE TEMP TABLE ref_q_pts (set text, id int, f float8[]);
\copy ref_q_pts FROM 'test/data/kmeans_quality_pts.csv' WITH (FORMAT csv, HEADER true)
-- (set, centroids, inertia, simplified silhouette), exact and checked with numpy
CREATE TEMP TABLE ref_q (set text, centroids float8[], inertia float8, silhouette float8);
\copy ref_q FROM 'test/data/kmeans_quality.csv' WITH (FORMAT csv, HEADER true)

--------------------------------------------------------------------------
-- 1. against scikit-learn on well-separated blobs (16)
--------------------------------------------------------------------------

CREATE TEMP TABLE blob_model AS
SELECT s.set, s.k, s.inertia AS sk_inertia, s.centres AS sk_centres,
       (SELECT kmeans(p.f, s.k) FROM ref_blob_pts p WHERE p.set = s.set) AS c
  FROM ref_blob_sk s;

-- the optimum: a unique partition, so any correct k-means finds its inertia
SELECT pg_temp.near((SELECT kmeans_inertia(p.f, m.c) FROM ref_blob_pts p WHERE p.set = m.set),
                    m.sk_inertia,
                    format('%s: kmeans_inertia(f, kmeans(f, %s)) is scikit-learn''s optimal inertia',
                           m.set, m.k),
                    1e-6)
  FROM blob_model m ORDER BY m.set;

SELECT is(pg_temp.same_rows(m.c, m.sk_centres, 1e-9), 'ok',
          format('%s: the centroids are scikit-learn''s cluster_centers_ up to row order (1e-9)',
                 m.set))
  FROM blob_model m ORDER BY m.set;

-- the clusters are the blobs: k distinct (blob, cluster) pairs and k clusters
SELECT is((SELECT format('%s pairs, %s clusters',
                         count(DISTINCT (p.blob, kmeans_assign(p.f, m.c))),
                         count(DISTINCT kmeans_assign(p.f, m.c)))
             FROM ref_blob_pts p WHERE p.set = m.set),
          format('%s pairs, %s clusters', m.k, m.k),
          format('%s: kmeans_assign with the model recovers the %s blobs', m.set, m.k))
  FROM blob_model m ORDER BY m.set;

-- our inertia is scikit-learn's quantity: its centres give its inertia_
SELECT pg_temp.near((SELECT kmeans_inertia(p.f, m.sk_centres) FROM ref_blob_pts p
                      WHERE p.set = m.set),
                    m.sk_inertia,
                    format('%s: kmeans_inertia of scikit-learn''s centres is its inertia_', m.set))
  FROM blob_model m ORDER BY m.set;

--------------------------------------------------------------------------
-- 2. kmeans_inertia and kmeans_silhouette for given centroids (15)
--------------------------------------------------------------------------

SELECT pg_temp.near((SELECT kmeans_inertia(p.f, r.centroids) FROM ref_q_pts p WHERE p.set = r.set),
                    r.inertia,
                    format('%s: kmeans_inertia is the sum of squared distances to the nearest centroid',
                           r.set))
  FROM ref_q r ORDER BY r.set;

SELECT pg_temp.near((SELECT kmeans_silhouette(p.f, r.centroids) FROM ref_q_pts p
                      WHERE p.set = r.set),
                    r.silhouette,
                    format('%s: kmeans_silhouette is the mean of (b - a) / max(a, b)', r.set))
  FROM ref_q r ORDER BY r.set;

-- row order does not matter, and rows with a NULL argument are skipped
-- (STRICT transition functions)
CREATE TEMP TABLE q_mixed AS
SELECT p.f, r.centroids AS c, md5(p.id::text) AS o
  FROM ref_q_pts p JOIN ref_q r USING (set) WHERE set = 'uniform_3d_k5'
UNION ALL SELECT NULL, centroids, md5('null features') FROM ref_q WHERE set = 'uniform_3d_k5'
UNION ALL SELECT '{100,100,100}', NULL, md5('null centroids');
SELECT pg_temp.near((SELECT kmeans_inertia(f, c ORDER BY o) FROM q_mixed),
                    (SELECT inertia FROM ref_q WHERE set = 'uniform_3d_k5'),
                    'kmeans_inertia: any row order, NULL features or centroids skipped');
SELECT pg_temp.near((SELECT kmeans_silhouette(f, c ORDER BY o) FROM q_mixed),
                    (SELECT silhouette FROM ref_q WHERE set = 'uniform_3d_k5'),
                    'kmeans_silhouette: any row order, NULL features or centroids skipped');
SELECT is((SELECT ARRAY[kmeans_inertia(f, c), kmeans_silhouette(f, c)]
             FROM (VALUES (NULL::float8[], '{{1}}'::float8[]), ('{1}', NULL)) v(f, c)),
          ARRAY[NULL, NULL]::float8[],
          'kmeans_inertia and kmeans_silhouette of only NULL rows are NULL');

-- as window aggregates (the float8[] state is updated in place under an
-- aggregate): a running frame, and a moving frame restarted for each row
CREATE TEMP TABLE q_win AS
SELECT p.id, p.f, r.centroids AS c,
       (SELECT kmeans_inertia(x.f, x.c) FROM (SELECT p.f, r.centroids) x(f, c)) AS one_inertia,
       (SELECT kmeans_silhouette(x.f, x.c) FROM (SELECT p.f, r.centroids) x(f, c)) AS one_sil
  FROM ref_q_pts p JOIN ref_q r USING (set) WHERE set = 'normal_1d_k3';
SELECT is((SELECT count(*)::int
             FROM (SELECT kmeans_inertia(f, c) OVER w AS got, sum(one_inertia) OVER w AS want
                     FROM q_win WINDOW w AS (ORDER BY id)) s
            WHERE NOT abs(got - want) <= 1e-12 * want),
          0, 'kmeans_inertia OVER (ORDER BY id) is the running sum of the per-row inertias');
SELECT is((SELECT count(*)::int
             FROM (SELECT kmeans_silhouette(f, c) OVER w AS got, avg(one_sil) OVER w AS want
                     FROM q_win WINDOW w AS (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING)) s
            WHERE NOT abs(got - want) <= 1e-12 * abs(want)),
          0, 'kmeans_silhouette over a moving frame is the mean of the per-row silhouettes');

--------------------------------------------------------------------------
-- 3. Lloyd's algorithm (11)
--------------------------------------------------------------------------

-- 3000 points, six overlapping Gaussian blobs in 3-D (pseudo-random, seeded)
DO $$BEGIN PERFORM setseed(0.25); END $$;
CREATE TEMP TABLE km_ov AS
SELECT id, ARRAY[3 * cos(j) + n[1], 3 * sin(j) + n[2], 0.5 * j + n[3]]::float8[] AS f
  FROM (SELECT id, id % 6 AS j,
               ARRAY(SELECT sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
                       FROM generate_series(1, 3) WHERE id > 0) AS n
          FROM generate_series(1, 3000) id) s;

-- run to convergence (tolerance 0), the model is a fixed point of Lloyd's
-- iteration: kmeans_assign of every training point gives the final
-- assignment, whose cluster means are the centroids
CREATE TEMP TABLE ov_conv AS
SELECT seed, kmeans(f, 6, seed, 1000, 0) AS c
  FROM km_ov, generate_series(0, 3) seed GROUP BY seed;
SELECT is((SELECT format('%s clusters, %s coordinates off', count(DISTINCT j),
                         count(*) FILTER (WHERE NOT abs(mu - m.c[j][t]) <= 1e-12 * greatest(1, abs(mu))))
             FROM (SELECT a.j, t, avg(a.f[t]) AS mu
                     FROM (SELECT kmeans_assign(f, m.c) AS j, f FROM km_ov) a,
                          generate_series(1, 3) t
                    GROUP BY a.j, t) q),
          '6 clusters, 0 coordinates off',
          format('seed %s, converged: every centroid is the mean of the training points kmeans_assign gives it',
                 m.seed))
  FROM ov_conv m ORDER BY m.seed;

-- max_iter = m + 1 is one Lloyd step from max_iter = m (same seeding):
-- the means of the clusters that kmeans_assign forms with the model of m
-- (checked for m = 1 .. 11; the models up to m = 40 serve the tolerance
-- test below, which on these data stops after a few dozen iterations)
CREATE TEMP TABLE ov_steps AS
SELECT m, kmeans(f, 6, 7, m, 0) AS c FROM km_ov, generate_series(1, 40) m GROUP BY m;
SELECT is((SELECT format('%s clusters, %s coordinates off', count(DISTINCT (q.m, q.j)),
                         count(*) FILTER (WHERE NOT abs(q.mu - nxt.c[q.j][q.t])
                                                    <= 1e-12 * greatest(1, abs(q.mu))))
             FROM (SELECT s.m, a.j, t, avg(a.f[t]) AS mu
                     FROM ov_steps s,
                          LATERAL (SELECT kmeans_assign(o.f, s.c) AS j, o.f FROM km_ov o) a,
                          generate_series(1, 3) t
                    WHERE s.m < 12
                    GROUP BY s.m, a.j, t) q
             JOIN ov_steps nxt ON nxt.m = q.m + 1),
          '66 clusters, 0 coordinates off',
          'kmeans(f, 6, 7, m + 1, 0) is one Lloyd step from kmeans(f, 6, 7, m, 0), m = 1 .. 11');

CREATE TEMP TABLE ov_inertia AS
SELECT s.m, kmeans_inertia(o.f, s.c) AS inertia FROM ov_steps s, km_ov o GROUP BY s.m;
SELECT is((SELECT count(*)::int FROM ov_inertia a JOIN ov_inertia b ON b.m = a.m + 1
            WHERE b.inertia > a.inertia * (1 + 1e-12)),
          0, 'the inertia never increases with max_iter (m = 1 .. 40)');
SELECT ok((SELECT inertia FROM ov_inertia WHERE m = 1) > (SELECT inertia FROM ov_inertia WHERE m = 40),
          'and the iterations do improve on the first one');

SELECT is((SELECT kmeans(f, 6, 7, 50, 0) FROM km_ov), (SELECT kmeans(f, 6, 7, 1000, 0) FROM km_ov),
          'converged within 50 iterations: max_iter 50 and 1000 give the same model');

-- scikit-learn's stopping rule: after the first iteration whose centre
-- shift (the sum over the centroids of the squared distance moved) is at
-- most tolerance times the mean per-feature population variance
SELECT is((SELECT kmeans(f, 6, 7, 300, 1e-4) FROM km_ov),
          (SELECT c FROM ov_steps
            WHERE m = (SELECT min(s.m)
                         FROM ov_steps s JOIN ov_steps p ON p.m = s.m - 1,
                              (SELECT 1e-4 * (var_pop(f[1]) + var_pop(f[2]) + var_pop(f[3])) / 3
                                 FROM km_ov) tol(abs)
                        WHERE (SELECT sum((a - b) ^ 2) FROM unnest(s.c, p.c) u(a, b)) <= tol.abs)),
          'tolerance 1e-4 stops after the first iteration whose squared shift is <= 1e-4 x mean variance'
          || ' (m = 2 .. 40)');
SELECT isnt((SELECT kmeans(f, 6, 7, 300, 1e-4) FROM km_ov), (SELECT kmeans(f, 6, 7, 300, 0) FROM km_ov),
            'and on these data that is before convergence (the tolerance matters)');
SELECT is((SELECT kmeans(f, 6, 7, 300, 1e10) FROM km_ov), (SELECT c FROM ov_steps WHERE m = 1),
          'a tolerance above any shift stops after the first iteration');

--------------------------------------------------------------------------
-- 4. determinism, defaults, windows, GROUP BY, parallel plans (19)
--------------------------------------------------------------------------

SELECT is((SELECT kmeans(f, 6, 3 ORDER BY id DESC) FROM km_ov),
          (SELECT kmeans(f, 6, 3 ORDER BY id) FROM km_ov),
          'the same model for the rows in reverse order');
SELECT is((SELECT kmeans(f, 6, 3 ORDER BY md5(id::text)) FROM km_ov),
          (SELECT kmeans(f, 6, 3 ORDER BY id) FROM km_ov),
          'the same model for the rows in a shuffled order');
CREATE TEMP TABLE km_ov_rev AS SELECT * FROM km_ov ORDER BY id DESC;
CREATE TEMP TABLE km_ov_shuf AS SELECT * FROM km_ov ORDER BY md5(id::text);
SELECT is((SELECT kmeans(f, 6, 3) FROM km_ov_rev), (SELECT kmeans(f, 6, 3) FROM km_ov_shuf),
          'the same model for the data inserted in two different orders');
SELECT is((SELECT kmeans(f, 6, 3 ORDER BY o)
             FROM (SELECT f, md5(id::text) AS o FROM km_ov
                   UNION ALL
                   SELECT NULL, md5(i::text || 'null') FROM generate_series(1, 500) i) s),
          (SELECT kmeans(f, 6, 3) FROM km_ov),
          'rows with NULL features are skipped wherever they come');

-- the shorter overloads are the longest one with the documented defaults
SELECT is((SELECT kmeans(f, 6) FROM km_ov), (SELECT kmeans(f, 6, 0, 300, 1e-4) FROM km_ov),
          'kmeans(f, k) is kmeans(f, k, 0, 300, 1e-4)');
SELECT is((SELECT kmeans(f, 6, 5) FROM km_ov), (SELECT kmeans(f, 6, 5, 300, 1e-4) FROM km_ov),
          'kmeans(f, k, seed) is kmeans(f, k, seed, 300, 1e-4)');
SELECT is((SELECT kmeans(f, 6, 5, 40) FROM km_ov), (SELECT kmeans(f, 6, 5, 40, 1e-4) FROM km_ov),
          'kmeans(f, k, seed, max_iter) is kmeans(f, k, seed, max_iter, 1e-4)');
SELECT isnt((SELECT kmeans(f, 6, 5) FROM km_ov), (SELECT kmeans(f, 6, 5, 300, 0) FROM km_ov),
            'and the default tolerance is not 0 (on these data it stops earlier)');

-- seeds
SELECT isnt((SELECT kmeans(f, 6, 1, 1, 0) FROM km_ov), (SELECT kmeans(f, 6, 2, 1, 0) FROM km_ov),
            'the seed is used: seeds 1 and 2 give different first iterations');
SELECT is((SELECT kmeans(f, 6, -2147483648 ORDER BY id) FROM km_ov),
          (SELECT kmeans(f, 6, -2147483648 ORDER BY id DESC) FROM km_ov),
          'seed -2147483648 is accepted and reproducible');
SELECT is((SELECT kmeans(f, 6, 2147483647 ORDER BY id) FROM km_ov),
          (SELECT kmeans(f, 6, 2147483647 ORDER BY id DESC) FROM km_ov),
          'seed 2147483647 is accepted and reproducible');

-- window frames: the final function runs once per frame on a state that
-- keeps growing, so it must leave the state as it found it
CREATE TEMP TABLE km_win AS
SELECT g, ARRAY[10 * g + i % 3, 1.5 * i]::float8[] AS f
  FROM generate_series(1, 5) g, generate_series(1, 6) i;
SELECT is((SELECT count(*)::int
             FROM (SELECT g, kmeans(f, 2, 3) OVER (ORDER BY g) AS c FROM km_win) w
            WHERE c IS DISTINCT FROM (SELECT kmeans(x.f, 2, 3) FROM km_win x WHERE x.g <= w.g)),
          0, 'kmeans OVER (ORDER BY g): every frame gets the model of its own rows');

SELECT is((SELECT count(*)::int
             FROM (SELECT id % 3 AS g, kmeans(f, 4, 2) AS c FROM km_ov GROUP BY 1) a
            WHERE c IS DISTINCT FROM (SELECT kmeans(o.f, 4, 2) FROM km_ov o WHERE o.id % 3 = a.g)),
          0, 'GROUP BY: every group gets the model of its own rows');

-- Parallel plans.  The table is created in this transaction; parallel
-- workers share the transaction's snapshot, so they see it (the plan is
-- checked below).  Queries run through EXECUTE (pg_temp.run, aim_err):
-- pgTAP's functions are parallel-unsafe and would keep a query that calls
-- them serial.
DO $$BEGIN PERFORM setseed(0.5); END $$;
CREATE TABLE aim_km_par AS
SELECT id, ARRAY[(id % 5) * 2 + random(), (id % 7) + random(), random() * 3,
                 (id % 3) - random()]::float8[] AS f
  FROM generate_series(1, 40000) id;
ANALYZE aim_km_par;
CREATE TEMP TABLE par_serial AS
SELECT kmeans(f, 6, 11) AS c,
       ARRAY[kmeans_inertia(f, '{{0,0,0,0},{5,3,1,1},{8,6,2,0}}'),
             kmeans_silhouette(f, '{{0,0,0,0},{5,3,1,1},{8,6,2,0}}')] AS q
  FROM aim_km_par;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

SELECT matches(pg_temp.plan_of($$SELECT kmeans(f, 6, 11) FROM aim_km_par$$),
               'Finalize Aggregate.*Workers Launched: [12].*Partial Aggregate.*Parallel Seq Scan',
               'the parallel plan: Partial Aggregate in launched workers, Finalize Aggregate above');
SELECT is(pg_temp.run($$SELECT kmeans(f, 6, 11) FROM aim_km_par$$)::float8[], (SELECT c FROM par_serial),
          'parallel plan (leader not participating): the same model as the serial plan');
SELECT is((SELECT count(*)::int
             FROM unnest(pg_temp.run($$SELECT ARRAY[kmeans_inertia(f, '{{0,0,0,0},{5,3,1,1},{8,6,2,0}}'),
                                                    kmeans_silhouette(f, '{{0,0,0,0},{5,3,1,1},{8,6,2,0}}')]
                                         FROM aim_km_par$$)::float8[],
                         (SELECT q FROM par_serial)) u(got, want)
            WHERE NOT abs(got - want) <= 1e-12 * abs(want)),
          0, 'parallel plan: kmeans_inertia and kmeans_silhouette as in the serial plan (1e-12)');
SET parallel_leader_participation = on;
SELECT is(pg_temp.run($$SELECT kmeans(f, 6, 11) FROM aim_km_par$$)::float8[], (SELECT c FROM par_serial),
          'parallel plan (leader participating): the same model as the serial plan');
SET parallel_leader_participation = off;
-- the checks hold across workers (in the transition or combine function)
SELECT ok((SELECT code = '2202E' AND msg ~ '^features array length [23] differs from [23], the length in earlier rows$'
             FROM pg_temp.aim_err($$SELECT kmeans(CASE WHEN id > 20000 THEN f[1:3] ELSE f[1:2] END, 2)
                                      FROM aim_km_par$$)),
          'parallel plan: rows of two lengths are an error (2202E)');
SELECT ok((SELECT code = '22023' AND msg = 'kmeans parameter k must be the same for every row'
             FROM pg_temp.aim_err($$SELECT kmeans(f, CASE WHEN id > 20000 THEN 3 ELSE 2 END)
                                      FROM aim_km_par$$)),
          'parallel plan: a k that changes between rows is an error (22023)');

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

--------------------------------------------------------------------------
-- 5. bad input
--------------------------------------------------------------------------

CREATE TEMP TABLE aim_err (
    id      serial PRIMARY KEY,
    stmt    text NOT NULL,
    code    text NOT NULL,
    msg     text NOT NULL,
    detail  text,               -- expected DETAIL; NULL: not checked
    hint    text                -- expected HINT; NULL: not checked
);

-- the parameters (km_ov has 3000 distinct points)
INSERT INTO aim_err (stmt, code, msg, detail) VALUES
($$SELECT kmeans(f, 0) FROM km_ov$$, '22023', 'k must be between 1 and 100000, not 0', NULL),
($$SELECT kmeans(f, -1, 0, 10, 0) FROM km_ov$$, '22023', 'k must be between 1 and 100000, not -1', NULL),
($$SELECT kmeans(f, -2147483648) FROM km_ov$$, '22023',
 'k must be between 1 and 100000, not -2147483648', NULL),
($$SELECT kmeans(f, 100001) FROM km_ov$$, '22023', 'k must be between 1 and 100000, not 100001', NULL),
($$SELECT kmeans(f, 2147483647, 1) FROM km_ov$$, '22023',
 'k must be between 1 and 100000, not 2147483647', NULL),
-- 100000 passes the range check and meets the next one
($$SELECT kmeans(f, 100000) FROM km_ov$$, '22023',
 'k = 100000 is larger than the number of distinct points, 3000', NULL),
($$SELECT kmeans(f, NULL) FROM km_ov$$, '22004', 'kmeans parameter k must not be null', NULL),
-- a NULL parameter is an error even on a row that is skipped
($$SELECT kmeans(NULL::float8[], NULL::int)$$, '22004', 'kmeans parameter k must not be null', NULL),
($$SELECT kmeans(f, 2, NULL::int) FROM km_ov$$, '22004', 'kmeans parameter seed must not be null', NULL),
($$SELECT kmeans(f, 2, 0, NULL) FROM km_ov$$, '22004', 'kmeans parameter max_iter must not be null', NULL),
($$SELECT kmeans(f, 2, 0, 10, NULL) FROM km_ov$$, '22004',
 'kmeans parameter tolerance must not be null', NULL),
($$SELECT kmeans(f, 2, 0, 0) FROM km_ov$$, '22023', 'max_iter must be at least 1, not 0', NULL),
($$SELECT kmeans(f, 2, 0, -5, 0) FROM km_ov$$, '22023', 'max_iter must be at least 1, not -5', NULL),
($$SELECT kmeans(f, 2, 0, 10, -1) FROM km_ov$$, '22023',
 'tolerance must be a finite number >= 0, not -1', NULL),
($$SELECT kmeans(f, 2, 0, 10, -1e-300) FROM km_ov$$, '22023',
 'tolerance must be a finite number >= 0, not -1e-300', NULL),
($$SELECT kmeans(f, 2, 0, 10, 'NaN') FROM km_ov$$, '22023',
 'tolerance must be a finite number >= 0, not NaN', NULL),
($$SELECT kmeans(f, 2, 0, 10, 'Infinity') FROM km_ov$$, '22023',
 'tolerance must be a finite number >= 0, not Infinity', NULL),
($$SELECT kmeans(f, 2, 0, 10, '-Infinity') FROM km_ov$$, '22023',
 'tolerance must be a finite number >= 0, not -Infinity', NULL),
-- a parameter that changes between rows: the detail names both values
($$SELECT kmeans(f, k) FROM (VALUES ('{1}'::float8[], 2), ('{2}', 3)) v(f, k)$$, '22023',
 'kmeans parameter k must be the same for every row', 'Earlier rows had k = 2, this row has k = 3.'),
($$SELECT kmeans(f, 2, s) FROM (VALUES ('{1}'::float8[], 5), ('{2}', -5)) v(f, s)$$, '22023',
 'kmeans parameter seed must be the same for every row',
 'Earlier rows had seed = 5, this row has seed = -5.'),
($$SELECT kmeans(f, 2, 0, m) FROM (VALUES ('{1}'::float8[], 10), ('{2}', 11)) v(f, m)$$, '22023',
 'kmeans parameter max_iter must be the same for every row',
 'Earlier rows had max_iter = 10, this row has max_iter = 11.'),
($$SELECT kmeans(f, 2, 0, 10, t) FROM (VALUES ('{1}'::float8[], 1e-4::float8), ('{2}', 1e-3)) v(f, t)$$,
 '22023', 'kmeans parameter tolerance must be the same for every row',
 'Earlier rows had tolerance = 0.0001, this row has tolerance = 0.001.'),
-- a changed parameter is caught on a later row whose features are NULL too
($$SELECT kmeans(f, k) FROM (VALUES ('{1}'::float8[], 2), (NULL, 3)) v(f, k)$$, '22023',
 'kmeans parameter k must be the same for every row', 'Earlier rows had k = 2, this row has k = 3.'),
-- and after a first row whose features are NULL
($$SELECT kmeans(f, k ORDER BY o) FROM (VALUES (NULL::float8[], 2, 1), ('{1}', 1, 2)) v(f, k, o)$$,
 '22023', 'kmeans parameter k must be the same for every row',
 'Earlier rows had k = 2, this row has k = 1.'),
($$SELECT kmeans(f, 2, 0, m ORDER BY o)
    FROM (VALUES (NULL::float8[], 10, 1), (NULL, 10, 2), ('{1}', 12, 3)) v(f, m, o)$$,
 '22023', 'kmeans parameter max_iter must be the same for every row',
 'Earlier rows had max_iter = 10, this row has max_iter = 12.'),
($$SELECT kmeans(f, 2, 0, 10, t ORDER BY o)
    FROM (VALUES (NULL::float8[], 0::float8, 1), (NULL, 1e-4, 2)) v(f, t, o)$$,
 '22023', 'kmeans parameter tolerance must be the same for every row',
 'Earlier rows had tolerance = 0, this row has tolerance = 0.0001.');

-- the features
INSERT INTO aim_err (stmt, code, msg, detail, hint) VALUES
($$SELECT kmeans(f, 2) FROM (VALUES ('{1,2}'::float8[]), ('{1,2,3}')) v(f)$$, '2202E',
 'features array length 3 differs from 2, the length in earlier rows', '',
 'Every row must have the same number of features.'),
($$SELECT kmeans(f, 2) FROM (VALUES ('{1,2,3}'::float8[]), (NULL), ('{4}')) v(f)$$, '2202E',
 'features array length 1 differs from 3, the length in earlier rows', NULL,
 'Every row must have the same number of features.'),
($$SELECT kmeans(f, 2) FROM (VALUES ('{{1,2},{3,4}}'::float8[])) v(f)$$, '2202E',
 'array "features" must be one-dimensional, not 2-dimensional', NULL, NULL),
($$SELECT kmeans(f, 1) FROM (VALUES ('{1}'::float8[]), ('{{1}}')) v(f)$$, '2202E',
 'array "features" must be one-dimensional, not 2-dimensional', NULL, NULL),
($$SELECT kmeans(f, 2) FROM (VALUES ('{1,2}'::float8[]), ('{1,NULL}')) v(f)$$, '22004',
 'array "features" must not contain nulls', NULL, NULL),
($$SELECT kmeans(f, 2) FROM (VALUES ('{}'::float8[])) v(f)$$, '22023',
 'array "features" must not be empty', '', NULL),
($$SELECT kmeans(f, 2) FROM (VALUES ('{1,2}'::float8[]), ('{NaN,2}')) v(f)$$, '22023',
 'array "features" must not contain NaN or infinity', 'Element [1] is NaN.', NULL),
($$SELECT kmeans(f, 2) FROM (VALUES ('{1,2}'::float8[]), ('{1,Infinity}')) v(f)$$, '22023',
 'array "features" must not contain NaN or infinity', 'Element [2] is Infinity.', NULL),
($$SELECT kmeans(f, 2) FROM (VALUES ('{-Infinity}'::float8[])) v(f)$$, '22023',
 'array "features" must not contain NaN or infinity', 'Element [1] is -Infinity.', NULL),
-- fewer distinct points than k; -0 and 0 are the same point
($$SELECT kmeans(f, 3) FROM (VALUES ('{0,0}'::float8[]), ('{1,1}'), ('{0,0}'), ('{1,1}')) v(f)$$,
 '22023', 'k = 3 is larger than the number of distinct points, 2', NULL, NULL),
($$SELECT kmeans(f, 2) FROM (VALUES ('{0,0}'::float8[]), ('{-0,-0}'), ('{0,-0}')) v(f)$$,
 '22023', 'k = 2 is larger than the number of distinct points, 1', NULL, NULL);

-- kmeans_inertia, kmeans_silhouette and kmeans_centroids: the centroids
INSERT INTO aim_err (stmt, code, msg, detail, hint) VALUES
($$SELECT kmeans_inertia(f, '{1,2,3}') FROM km_ov$$, '2202E',
 'array "centroids" must be two-dimensional, not 1-dimensional', NULL,
 'Pass one row per centroid, as returned by the kmeans aggregate.'),
($$SELECT kmeans_silhouette(f, '{{{1,2,3}}}') FROM km_ov$$, '2202E',
 'array "centroids" must be two-dimensional, not 3-dimensional', NULL,
 'Pass one row per centroid, as returned by the kmeans aggregate.'),
($$SELECT kmeans_inertia(f, '{}') FROM km_ov$$, '22023',
 'array "centroids" must be two-dimensional, not 0-dimensional', NULL,
 'Pass one row per centroid, as returned by the kmeans aggregate.'),
($$SELECT kmeans_silhouette(f, '{{1,2},{3,4}}') FROM km_ov$$, '2202E',
 'centroids array row length 2 does not match features array length 3',
 'Each row of the k x d centroid array must have as many elements as the feature vector.', NULL),
($$SELECT kmeans_inertia(f, c) FROM (VALUES ('{1,2}'::float8[], '{{1,2}}'::float8[]),
                                            ('{1,2}', '{{1,2,3}}')) v(f, c)$$, '2202E',
 'centroids array row length 3 does not match features array length 2', NULL, NULL),
($$SELECT kmeans_inertia(f, '{{1,2,3},{NULL,2,3}}') FROM km_ov$$, '22004',
 'array "centroids" must not contain nulls', NULL, NULL),
($$SELECT kmeans_silhouette(f, '{{1,2,3},{4,5,NaN}}') FROM km_ov$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [2][3] is NaN.', NULL),
($$SELECT kmeans_inertia(f, '{{Infinity,2,3}}') FROM km_ov$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [1][1] is Infinity.', NULL),
($$SELECT kmeans_silhouette(f, '{{1,2,3},{-Infinity,0,0}}') FROM km_ov$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [2][1] is -Infinity.', NULL),
-- the features
($$SELECT kmeans_inertia(f, '{{1}}') FROM (VALUES ('{}'::float8[])) v(f)$$, '22023',
 'array "features" must not be empty', NULL, NULL),
($$SELECT kmeans_silhouette(f, '{{1,2}}') FROM (VALUES ('{{1,2}}'::float8[])) v(f)$$, '2202E',
 'array "features" must be one-dimensional, not 2-dimensional', NULL, NULL),
($$SELECT kmeans_inertia(f, '{{1,2}}') FROM (VALUES ('{1,NULL}'::float8[])) v(f)$$, '22004',
 'array "features" must not contain nulls', NULL, NULL),
($$SELECT kmeans_silhouette(f, '{{1,2},{3,4}}') FROM (VALUES ('{1,NaN}'::float8[])) v(f)$$, '22023',
 'array "features" must not contain NaN or infinity', 'Element [2] is NaN.', NULL),
-- the nearest squared distance overflows (kmeans_silhouette, which works
-- with distances, not their squares, has no such limit: section 8)
($$SELECT kmeans_inertia(f, '{{-1e200,0}}') FROM (VALUES ('{1e200,0}'::float8[])) v(f)$$, '22003',
 'squared distance to the nearest centroid is out of range for type double precision', NULL,
 'Scale the features.'),
($$SELECT kmeans_inertia(f, '{{-1e200,0},{0,1e200}}') FROM (VALUES ('{1e200,0}'::float8[])) v(f)$$,
 '22003', 'squared distance to the nearest centroid is out of range for type double precision', NULL,
 'Scale the features.'),
-- every centroid is checked for NaN and infinity, not only the nearest two
($$SELECT kmeans_inertia('{1,2}', '{{1,2},{3,4},{NaN,0}}')$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [3][1] is NaN.', NULL),
($$SELECT kmeans_silhouette('{1,2}', '{{1,2},{3,4},{0,-Infinity}}')$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [3][2] is -Infinity.', NULL),
($$SELECT kmeans_inertia('{1e300,0}', '{{1e300,0},{-1e300,0},{Infinity,0}}')$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [3][1] is Infinity.', NULL),
-- kmeans_centroids
($$SELECT * FROM kmeans_centroids('{1,2}')$$, '2202E',
 'array "centroids" must be two-dimensional, not 1-dimensional', '',
 'Pass one row per centroid, as returned by the kmeans aggregate.'),
($$SELECT * FROM kmeans_centroids('{{{1}},{{2}}}')$$, '2202E',
 'array "centroids" must be two-dimensional, not 3-dimensional', NULL, NULL),
($$SELECT * FROM kmeans_centroids('{}')$$, '22023',
 'array "centroids" must be two-dimensional, not 0-dimensional', NULL, NULL),
($$SELECT * FROM kmeans_centroids('{{1,2},{3,NULL}}')$$, '22004',
 'array "centroids" must not contain nulls', NULL, NULL),
($$SELECT * FROM kmeans_centroids('{{1,Infinity}}')$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [1][2] is Infinity.', NULL),
($$SELECT * FROM kmeans_centroids('{{1,2},{NaN,4}}')$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [2][1] is NaN.', NULL),
($$SELECT * FROM kmeans_centroids('{{1},{2},{-Infinity}}')$$, '22023',
 'array "centroids" must not contain NaN or infinity', 'Element [3][1] is -Infinity.', NULL),
-- the float8[2] state of kmeans_inertia / kmeans_silhouette passed by hand
($$SELECT kmeans_inertia_final('{1,2,3}')$$, '22023',
 'kmeans_inertia_final: expected 2-element float8 array', NULL, NULL),
($$SELECT kmeans_silhouette_final('{}')$$, '22023',
 'kmeans_silhouette_final: expected 2-element float8 array', NULL, NULL),
($$SELECT kmeans_pair_combine('{0,0}', '{{1,2}}')$$, '22023',
 'kmeans_pair_combine: expected 2-element float8 array', NULL, NULL),
($$SELECT kmeans_inertia_accum('{0}', '{1}', '{{1}}')$$, '22023',
 'kmeans_inertia_accum: expected 2-element float8 array', NULL, NULL),
($$SELECT kmeans_silhouette_accum('{0,NULL}', '{1}', '{{1}}')$$, '22023',
 'kmeans_silhouette_accum: expected 2-element float8 array', NULL, NULL);

--------------------------------------------------------------------------
-- 6. the support functions with internal arguments
--------------------------------------------------------------------------
-- No SQL expression has type internal: NULL does not resolve to it, it
-- cannot be cast to, and PL/pgSQL variables cannot have it.  So
-- kmeans_accum, kmeans_combine, kmeans_serialize, kmeans_final and
-- kmeans_deserialize (whose second argument is internal) cannot be called
-- by hand, and their "called in non-aggregate context" checks are a second
-- line of defence.
INSERT INTO aim_err (stmt, code, msg) VALUES
($$SELECT kmeans_final(NULL)$$, '42883', 'function kmeans_final(unknown) does not exist'),
($$SELECT kmeans_final(NULL::internal)$$, '42846', 'cannot cast type unknown to internal'),
($$SELECT kmeans_final(kmeans_accum(NULL, '{1,2}'::float8[], 2))$$, '42883',
 'function kmeans_accum(unknown, double precision[], integer) does not exist'),
($$SELECT kmeans_accum(NULL, '{1,2}'::float8[], 2, 0, 10, 0::float8)$$, '42883',
 'function kmeans_accum(unknown, double precision[], integer, integer, integer, double precision) does not exist'),
($$SELECT kmeans_combine(NULL, NULL)$$, '42883',
 'function kmeans_combine(unknown, unknown) does not exist'),
($$SELECT kmeans_serialize(NULL)$$, '42883', 'function kmeans_serialize(unknown) does not exist'),
($$SELECT kmeans_deserialize('\x0200000001000000'::bytea, NULL)$$, '42883',
 'function kmeans_deserialize(bytea, unknown) does not exist'),
($$SELECT kmeans_deserialize('\x0200000001000000'::bytea, NULL::internal)$$, '42846',
 'cannot cast type unknown to internal'),
($$SELECT kmeans_final(x) FROM (SELECT NULL::internal) s(x)$$, '42846',
 'cannot cast type unknown to internal'),
($$DO 'DECLARE s internal; BEGIN NULL; END'$$, '0A000', 'variable "s" has pseudo-type internal');

SELECT throws_ok(stmt, code, msg, format('%s: %s %s', regexp_replace(stmt, '\s+', ' ', 'g'), code, msg))
  FROM aim_err ORDER BY id;

SELECT is((pg_temp.aim_err(stmt)).detail, detail, format('%s: detail', regexp_replace(stmt, '\s+', ' ', 'g')))
  FROM aim_err WHERE detail IS NOT NULL ORDER BY id;

SELECT is((pg_temp.aim_err(stmt)).hint, hint, format('%s: hint', regexp_replace(stmt, '\s+', ' ', 'g')))
  FROM aim_err WHERE hint IS NOT NULL ORDER BY id;

-- There is one way to hand kmeans_deserialize a bytea of one's choosing:
-- a user aggregate whose serialization function is core's
-- bytea_string_agg_finalfn (internal -> bytea: the bytes string_agg
-- collected) and whose deserialization function is kmeans_deserialize.  In
-- a parallel plan each worker's concatenated bytes go to kmeans_deserialize.
-- Its checks must reject every malformed state, and a well-formed one must
-- go through the same checks as real data.  (Run serially, such an
-- aggregate hands string_agg's state to kmeans_final: mixing the
-- internal-state functions of different aggregates is something
-- CREATE AGGREGATE allows for any aggregate, core's included; every kmeans
-- support function checks the magic number at the start of its state and
-- rejects a foreign one, tested at the end of this section.
-- pg_temp.craft refuses to run unless the plan is parallel.)

-- a state in the layout of KmeansSerial (src/kmeans.c), little-endian: the
-- header, the k x init_d values of the warm start's init, the points
CREATE FUNCTION pg_temp.kstate(k int, d int, seed int, max_iter int, tol float8, n int8,
                               pts float8[] DEFAULT '{}', n_init int DEFAULT 1,
                               init_d int DEFAULT 0, init float8[] DEFAULT '{}')
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
SELECT pg_temp.le(int4send(k)) || pg_temp.le(int4send(d)) || pg_temp.le(int4send(seed))
       || pg_temp.le(int4send(max_iter)) || pg_temp.le(float8send(tol)) || pg_temp.le(int8send(n))
       || pg_temp.le(int4send(n_init)) || pg_temp.le(int4send(init_d))
       || coalesce((SELECT string_agg(pg_temp.le(float8send(x)), ''::bytea ORDER BY o)
                      FROM unnest(init) WITH ORDINALITY u(x, o)), ''::bytea)
       || coalesce((SELECT string_agg(pg_temp.le(float8send(x)), ''::bytea ORDER BY o)
                      FROM unnest(pts) WITH ORDINALITY u(x, o)), ''::bytea)
$$;

-- the layout is the real one: kmeans_serialize as a final function
CREATE AGGREGATE aim_test_kmeans_state(float8[], int, int, int, float8) (
    SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = kmeans_serialize);
SELECT is((SELECT aim_test_kmeans_state(f, 2, -7, 10, 0.5)
             FROM (VALUES ('{0,0.25}'::float8[]), ('{1,-3}')) v(f)),
          pg_temp.kstate(2, 2, -7, 10, 0.5, 2, '{0,0.25,1,-3}'),
          'kmeans_serialize writes the state layout that the crafted states below use');
CREATE AGGREGATE aim_test_kmeans_wstate(float8[], int, float8[]) (
    SFUNC = kmeans_accum_init, STYPE = internal, FINALFUNC = kmeans_serialize);
SELECT is((SELECT aim_test_kmeans_wstate(f, 2, '{{1,2},{3,4}}')
             FROM (VALUES ('{0,0.25}'::float8[]), ('{1,-3}')) v(f)),
          pg_temp.kstate(2, 2, 0, 300, 1e-4, 2, '{0,0.25,1,-3}', 1, 2, '{1,2,3,4}'),
          'kmeans_serialize writes the warm start''s init between the header and the points');

CREATE AGGREGATE aim_test_craft(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal,
    SERIALFUNC = bytea_string_agg_finalfn, DESERIALFUNC = kmeans_deserialize,
    COMBINEFUNC = kmeans_combine, FINALFUNC = kmeans_final, PARALLEL = SAFE);

-- run aim_test_craft over aim_km_par with one non-NULL row holding st
CREATE FUNCTION pg_temp.craft(st bytea) RETURNS float8[] LANGUAGE sql AS $$
SELECT pg_temp.craft_parallel('aim_test_craft', 'aim_km_par', st)::float8[]
$$;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

CREATE TEMP TABLE aim_craft (id serial, what text, st bytea, code text, msg text);
INSERT INTO aim_craft (what, st, code, msg) VALUES
('shorter than the header', '\x01', '22023', 'invalid kmeans state of 1 bytes'),
('k = 0', pg_temp.kstate(0, 1, 0, 10, 0, 1, '{1}'), '22023', 'invalid kmeans state'),
('k = 100001', pg_temp.kstate(100001, 1, 0, 10, 0, 1, '{1}'), '22023', 'invalid kmeans state'),
('d = -1', pg_temp.kstate(1, -1, 0, 10, 0, 0), '22023', 'invalid kmeans state'),
-- d = 0 is the state of rows whose features were all NULL: it has no points
('d = 0, n = 1', pg_temp.kstate(1, 0, 0, 10, 0, 1), '22023', 'invalid kmeans state'),
('n = -1', pg_temp.kstate(1, 1, 0, 10, 0, -1, '{1}'), '22023', 'invalid kmeans state'),
('max_iter = 0', pg_temp.kstate(1, 1, 0, 0, 0, 1, '{1}'), '22023', 'invalid kmeans state'),
('tolerance NaN', pg_temp.kstate(1, 1, 0, 10, 'NaN', 1, '{1}'), '22023', 'invalid kmeans state'),
('tolerance -1', pg_temp.kstate(1, 1, 0, 10, -1, 1, '{1}'), '22023', 'invalid kmeans state'),
('n = 3, two points', pg_temp.kstate(1, 1, 0, 10, 0, 3, '{1,2}'), '22023', 'invalid kmeans state'),
('n = 1, d = 2, three coordinates', pg_temp.kstate(1, 2, 0, 10, 0, 1, '{1,2,3}'), '22023',
 'invalid kmeans state'),
('n = 2^62 (n * d * 8 overflows)', pg_temp.kstate(1, 1, 0, 10, 0, 4611686018427387904, '{1}'),
 '22023', 'invalid kmeans state'),
('d = 2^31 - 1, one coordinate', pg_temp.kstate(1, 2147483647, 0, 10, 0, 1, '{1}'), '22023',
 'invalid kmeans state'),
('n_init = 0', pg_temp.kstate(1, 1, 0, 10, 0, 1, '{1}', 0), '22023', 'invalid kmeans state'),
('init_d = -1', pg_temp.kstate(1, 1, 0, 10, 0, 1, '{1}', 1, -1), '22023', 'invalid kmeans state'),
('init_d = 2, d = 1', pg_temp.kstate(1, 1, 0, 10, 0, 1, '{1}', 1, 2, '{1,2}'), '22023',
 'invalid kmeans state'),
('k = 2, init_d = 1, one init value and no point', pg_temp.kstate(2, 1, 0, 10, 0, 0, '{}', 1, 1, '{1}'),
 '22023', 'invalid kmeans state'),
('init_d = 2^30, k = 8 (k * init_d * 8 overflows 32 bits)',
 pg_temp.kstate(8, 0, 0, 10, 0, 0, '{}', 1, 1073741824, '{1}'), '22023', 'invalid kmeans state'),
('NaN in init', pg_temp.kstate(1, 1, 0, 10, 0, 1, '{1}', 1, 1, '{NaN}'), '22023', 'invalid kmeans state'),
-- well-formed: the usual checks apply
('k = 3, one distinct point', pg_temp.kstate(3, 1, 0, 10, 0, 3, '{5,5,5}'), '22023',
 'k = 3 is larger than the number of distinct points, 1');

SELECT throws_ok(format('SELECT pg_temp.craft(%L::bytea)', st), code, msg,
                 format('crafted state, %s: %s %s', what, code, msg))
  FROM aim_craft ORDER BY id;
SELECT is(pg_temp.same_rows(pg_temp.craft(pg_temp.kstate(2, 2, 0, 10, 0, 4, '{0,0,1,1,0,0,1,1}')),
                            '{{0,0},{1,1}}', 0),
          'ok',
          'crafted well-formed state: clustered like the same rows (up to row order)');
SELECT is(pg_temp.craft(pg_temp.kstate(2, 2, 0, 10, 0, 4, '{0,0,1,1,0,0,1,1}')),
          (SELECT kmeans(f, 2, 0, 10, 0) FROM (VALUES ('{0,0}'::float8[]), ('{1,1}'), ('{0,0}'), ('{1,1}')) v(f)),
          'crafted well-formed state: the model of the same rows, bit for bit');
SELECT is(pg_temp.craft(pg_temp.kstate(2, 1, 0, 10, 0, 4, '{0,1,5,6}', 1, 1, '{6,0}')),
          '{{5.5},{0.5}}'::float8[],
          'crafted well-formed warm start state: Lloyd from its init, in init''s order');
SELECT is(pg_temp.craft(pg_temp.kstate(1, 0, 0, 10, 0, 0)), NULL::float8[],
          'crafted well-formed state of only NULL rows (d = 0, n = 0): NULL');
SELECT is(pg_temp.craft(pg_temp.kstate(2, 1000000, 0, 10, 0, 0)), NULL::float8[],
          'crafted well-formed state of no points (d = 1000000): NULL');
-- NaN and infinite coordinates cannot come from kmeans_accum;
-- kmeans_deserialize rejects them, so no crash and no NaN model
SELECT throws_ok(format('SELECT pg_temp.craft(%L::bytea)',
                        pg_temp.kstate(2, 1, 0, 10, 0, 3, '{NaN,1,2}')),
                 '22023', 'invalid kmeans state',
                 'crafted state with a NaN coordinate: 22023 invalid kmeans state');
SELECT throws_ok(format('SELECT pg_temp.craft(%L::bytea)',
                        pg_temp.kstate(2, 2, 0, 10, 0, 2, '{1,2,3,-Infinity}')),
                 '22023', 'invalid kmeans state',
                 'crafted state with a -Infinity coordinate: 22023 invalid kmeans state');

-- only-NULL rows in a parallel plan: workers whose rows all had NULL
-- features pass d = 0 states, which combine with the others
SELECT is(pg_temp.run($$SELECT kmeans(CASE WHEN id > 30000 THEN f END, 6, 11) FROM aim_km_par$$)::float8[],
          (SELECT kmeans(f, 6, 11) FROM aim_km_par WHERE id > 30000),
          'parallel plan, features NULL in three rows out of four: the model of the other rows');
SELECT is(pg_temp.run($$SELECT kmeans(NULL::float8[], 6, 11) FROM aim_km_par$$)::float8[], NULL::float8[],
          'parallel plan, every features value NULL: NULL');
SELECT ok((SELECT code = '22023' AND msg = 'kmeans parameter k must be the same for every row'
             FROM pg_temp.aim_err($$SELECT kmeans(CASE WHEN id <= 20000 THEN f END,
                                                  CASE WHEN id > 20000 THEN 3 ELSE 2 END)
                                      FROM aim_km_par$$)),
          'parallel plan: a k that changes between NULL-features rows and the others is an error (22023)');

-- kmeans_combine as the combine function of an aggregate whose partial
-- states are roc_auc's: the leader hands it roc_auc states
CREATE AGGREGATE aim_test_auc_kcombine(float8, boolean) (
    SFUNC = roc_auc_accum, STYPE = internal, COMBINEFUNC = kmeans_combine,
    SERIALFUNC = roc_auc_serialize, DESERIALFUNC = roc_auc_deserialize,
    FINALFUNC = roc_auc_final, PARALLEL = SAFE);
SELECT matches(pg_temp.explain($$SELECT aim_test_auc_kcombine(f[1], id % 2 = 0) FROM aim_km_par$$),
               'Finalize Aggregate.*Partial Aggregate',
               'aim_test_auc_kcombine runs in a parallel plan');
SELECT is((SELECT code || ': ' || msg
             FROM pg_temp.aim_err($$SELECT aim_test_auc_kcombine(f[1], id % 2 = 0) FROM aim_km_par$$)),
          '22023: kmeans: the aggregate state is not a kmeans state',
          'parallel plan: kmeans_combine given roc_auc states: 22023 not a kmeans state');

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- Serially, such user aggregates pair kmeans support functions with
-- another aggregate's internal state (string_agg's, or the state of
-- logistic_fit or roc_auc): each one checks the magic number of its state
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE AGGREGATE aim_test_foreign_final(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal, FINALFUNC = kmeans_final);
CREATE AGGREGATE aim_test_foreign_serialize(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal, FINALFUNC = kmeans_serialize);
CREATE AGGREGATE aim_test_logit_kfinal(float8[], boolean) (
    SFUNC = logistic_accum, STYPE = internal, FINALFUNC = kmeans_final);
CREATE AGGREGATE aim_test_auc_kfinal(float8, boolean) (
    SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = kmeans_serialize);
SELECT throws_ok($$SELECT aim_test_foreign_final(x, ','::bytea) FROM (VALUES ('\x01'::bytea), ('\x02')) v(x)$$,
                 '22023', 'kmeans: the aggregate state is not a kmeans state',
                 'kmeans_final given string_agg''s state: 22023 not a kmeans state');
SELECT throws_ok($$SELECT aim_test_foreign_serialize(x, ','::bytea) FROM (VALUES ('\x01'::bytea)) v(x)$$,
                 '22023', 'kmeans: the aggregate state is not a kmeans state',
                 'kmeans_serialize given string_agg''s state: 22023 not a kmeans state');
SELECT throws_ok($$SELECT aim_test_logit_kfinal(ARRAY[x], x > 1) FROM generate_series(1, 3) x$$,
                 '22023', 'kmeans: the aggregate state is not a kmeans state',
                 'kmeans_final given logistic_fit''s state: 22023 not a kmeans state');
SELECT throws_ok($$SELECT aim_test_auc_kfinal(x, x > 1) FROM generate_series(1, 3) x$$,
                 '22023', 'kmeans: the aggregate state is not a kmeans state',
                 'kmeans_serialize given roc_auc''s state: 22023 not a kmeans state');
-- and the real aggregates are not disturbed by the failed ones
SELECT is((SELECT kmeans(f, 1) FROM (VALUES ('{1}'::float8[]), ('{3}')) v(f)), '{{2}}'::float8[],
          'kmeans still works after the rejected states');
RESET max_parallel_workers_per_gather;

--------------------------------------------------------------------------
-- 7. statement_timeout (3)
--------------------------------------------------------------------------
-- Each kmeans below takes several seconds to finish (7 s, 8 s and 15 s on
-- the development machine), so the timeout finds it running, in the
-- seeding or in the Lloyd iterations, and the loops must look for
-- interrupts there.  Only the cancellation (57014) is checked here: how
-- promptly it stops is timed by test/robust/20_cancel.sh, with bounds
-- scaled to the machine (a wall-clock bound here failed under ASan).
CREATE TEMP TABLE aim_cancel (id int, what text, code text);
CREATE TEMP TABLE km_big AS
SELECT ARRAY[random(), random(), random(), random(), random(), random(), random(),
             random()] AS f
  FROM generate_series(1, 300000);

-- 300000 points generated in the statement, k = 50 (cancelled early on)
SET LOCAL statement_timeout = '200ms';
INSERT INTO aim_cancel
SELECT 1, '300000 generated 8-D points, k = 50',
       pg_temp.cancel_code($$SELECT kmeans(ARRAY[random(), random(), random(), random(), random(),
                                                 random(), random(), random()], 50, 0, 300, 0)
                               FROM generate_series(1, 300000)$$);
SET LOCAL statement_timeout = 0;

-- k-means++ seeding of 4000 centres among 40000 points (8 s uncancelled)
SET LOCAL statement_timeout = '200ms';
INSERT INTO aim_cancel
SELECT 2, 'k-means++ seeding, 40000 8-D points, k = 4000',
       pg_temp.cancel_code($$SELECT kmeans(ARRAY[random(), random(), random(), random(), random(),
                                                 random(), random(), random()], 4000, 0, 1, 0)
                               FROM generate_series(1, 40000)$$);
SET LOCAL statement_timeout = 0;

-- the Lloyd iterations: seeding takes about 1.5 s of the 15 s
SET LOCAL statement_timeout = '3s';
INSERT INTO aim_cancel
SELECT 3, 'Lloyd iterations, 300000 8-D points, k = 100',
       pg_temp.cancel_code($$SELECT kmeans(f, 100, 0, 300, 0) FROM km_big$$);
SET LOCAL statement_timeout = 0;

SELECT is(code, '57014', format('%s: statement_timeout cancels kmeans (57014)', what))
  FROM aim_cancel ORDER BY id;

--------------------------------------------------------------------------
-- 8. defects found when this suite was written, since fixed (6)
--------------------------------------------------------------------------

-- pg_temp.run(query, true): the value of a query, NULL if it fails

-- kmeans_inertia/kmeans_silhouette raised 22003 when only the distance to
-- the second-nearest centroid overflowed.  kmeans clusters {0, 1, 1e200}
-- (it rescales internally) into {{0.5},{1e200}}, and kmeans_assign places
-- every point; the quality aggregates accept the model: the inertia is
-- 0.5, the silhouette 1
SELECT pg_temp.near(pg_temp.run($$SELECT kmeans_inertia(ARRAY[x], '{{0.5},{1e200}}')
                                     FROM unnest('{0,1,1e200}'::float8[]) x$$, true)::float8,
                    0.5, 'kmeans_inertia of {0, 1, 1e200} with centroids {{0.5},{1e200}} is 0.5');
SELECT pg_temp.near(pg_temp.run($$SELECT kmeans_silhouette(ARRAY[x], '{{0.5},{1e200}}')
                                     FROM unnest('{0,1,1e200}'::float8[]) x$$, true)::float8,
                    1, 'kmeans_silhouette of {0, 1, 1e200} with centroids {{0.5},{1e200}} is 1');
-- the silhouette works with distances, so even both squared distances
-- overflowing is fine: a = sqrt(2) 1e200, b = 2e200
SELECT pg_temp.near(pg_temp.run($$SELECT kmeans_silhouette(f, '{{-1e200,0},{0,1e200}}')
                                     FROM (VALUES ('{1e200,0}'::float8[])) v(f)$$, true)::float8,
                    1 - sqrt(0.5), 'kmeans_silhouette of {1e200,0} with centroids {{-1e200,0},{0,1e200}} is 1 - sqrt(2)/2');
-- kmeans_silhouette returned NaN when a distance itself (not only its
-- square) exceeded the largest double: x = 1e308 with a centroid at -1e308
-- (found by test/robust/11_fuzz_random.sh).  a = 0, b = 2e308: 1
SELECT pg_temp.near(pg_temp.run($$SELECT kmeans_silhouette(f, '{{1e308},{-1e308}}')
                                     FROM (VALUES ('{1e308}'::float8[])) v(f)$$, true)::float8,
                    1, 'kmeans_silhouette of {1e308} with centroids {{1e308},{-1e308}} is 1');
-- both distances beyond the largest double, the farther centroid first:
-- a = 2e308, b = 2.5e308, (b - a) / b = 0.2
SELECT pg_temp.near(pg_temp.run($$SELECT kmeans_silhouette(f, '{{-1.5e308},{-1e308}}')
                                     FROM (VALUES ('{1e308}'::float8[])) v(f)$$, true)::float8,
                    0.2, 'kmeans_silhouette of {1e308} with centroids {{-1.5e308},{-1e308}} is 0.2');
-- kmeans_assign and kmeans_silhouette compared squared distances that had
-- underflowed to 0 for tiny coordinates: every point went to centroid 1
-- and the silhouette was 0, though the kmeans aggregate (which rescales)
-- separates such data.  Now they rescale too.
SELECT is(kmeans_assign('{0.7e-300}', '{{0},{1e-300}}'), 2,
          'kmeans_assign of {0.7e-300} with centroids {{0},{1e-300}} is 2 (squared distances underflow)');
SELECT pg_temp.near(pg_temp.run($$SELECT kmeans_silhouette(f, '{{0},{1e-300},{2e-300}}')
                                     FROM (VALUES ('{0.7e-300}'::float8[])) v(f)$$, true)::float8,
                    4.0 / 7, 'kmeans_silhouette of {0.7e-300} with centroids {{0},{1e-300},{2e-300}} is 4/7');
SELECT is((WITH blobs AS (SELECT ARRAY[(b * 10 + (i % 7) / 7.0) * 2::float8^(-600),
                                       (b * 5 + (i % 5) / 5.0) * 2::float8^(-600)]::float8[] AS f
                            FROM generate_series(0, 2) b, generate_series(1, 50) i),
                model AS (SELECT kmeans(f, 3) AS c FROM blobs)
           SELECT array_agg(n ORDER BY n)
             FROM (SELECT count(*) AS n FROM blobs, model GROUP BY kmeans_assign(f, c)) s),
          '{50,50,50}'::bigint[],
          'kmeans_assign splits blobs scaled by 2^-600 into the 3 clusters of the kmeans aggregate');
-- the inertia of huge but representable squared distances: the scaled
-- recomputation is only for overflowed ones
SELECT pg_temp.near(pg_temp.run($$SELECT kmeans_inertia(ARRAY[x], '{{0},{1e200}}')
                                     FROM unnest('{1e150,1e200}'::float8[]) x$$, true)::float8,
                    1e300, 'kmeans_inertia of {1e150, 1e200} with centroids {{0},{1e200}} is 1e300');

-- kmeans_inertia/kmeans_silhouette accepted NaN or infinity in a centroid
-- that was neither nearest nor second nearest.  kmeans_assign rejects such
-- centroid arrays (10_errors.sql); the quality aggregates only noticed a
-- non-finite nearest or second-nearest distance (and a NaN distance never
-- compares as smaller, so a NaN centroid after the first was never either)
-- (kmeans_inertia with a NaN in the third of three centroids: section 5)
SELECT throws_ok($$SELECT kmeans_silhouette(f, '{{1,2,3},{4,5,6},{-Infinity,0,0}}') FROM km_ov$$, '22023',
                 'array "centroids" must not contain NaN or infinity',
                 'kmeans_silhouette rejects a -Infinity in the third of three centroids');

-- a parameter that changed on a row with NULL features was caught only if
-- that row was not first
SELECT is((SELECT coalesce(code, 'no error') FROM pg_temp.aim_err(
              $$SELECT kmeans(f, k ORDER BY o) FROM (VALUES (NULL::float8[], 2, 1), ('{1}', 1, 2)) v(f, k, o)$$)),
          (SELECT coalesce(code, 'no error') FROM pg_temp.aim_err(
              $$SELECT kmeans(f, k ORDER BY o DESC) FROM (VALUES (NULL::float8[], 2, 1), ('{1}', 1, 2)) v(f, k, o)$$)),
          'the same rows in either order: the same outcome for a k that changes on a NULL-features row');

-- the squared distances are summed as computed, not squared back from a
-- square root (sqrt(2)^2 = 2.0000000000000004)
SELECT is((SELECT kmeans_inertia(f, '{{0,0}}') FROM (VALUES ('{1,1}'::float8[]), ('{3,0}')) v(f)),
          11::float8, 'kmeans_inertia is the exact sum of squared distances: 2 + 9 = 11');

SELECT * FROM finish();
ROLLBACK;
