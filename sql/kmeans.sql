--
-- kmeans aggregate, kmeans_inertia, kmeans_silhouette, kmeans_centroids
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

-- three well-separated blobs: the centroids are the blob means
CREATE TEMP TABLE blobs AS
SELECT b, i, ARRAY[b * 100 + 3 * sin(i), -50 * b + 3 * cos(1.3 * i)]::float8[] AS f
  FROM generate_series(0, 2) b, generate_series(1, 100) i;
WITH model AS (SELECT kmeans(f, 3) AS c FROM blobs),
rows AS (SELECT * FROM kmeans_centroids((SELECT c FROM model))),
truth AS (SELECT b, avg(f[1]) x, avg(f[2]) y FROM blobs GROUP BY b)
SELECT t.b, round(r.centroid[1]::numeric, 6) AS x, round(r.centroid[2]::numeric, 6) AS y,
       abs(r.centroid[1] - t.x) < 1e-9 AND abs(r.centroid[2] - t.y) < 1e-9 AS is_blob_mean
  FROM rows r JOIN truth t ON abs(r.centroid[1] - t.x) < 1
 ORDER BY t.b;

-- the same model whatever the row order, and with NULL rows mixed in
SELECT (SELECT kmeans(f, 3) FROM (SELECT f FROM blobs ORDER BY i, b) s) =
       (SELECT kmeans(f, 3) FROM (SELECT f FROM blobs ORDER BY md5(i::text || b::text)) s)
       AS order_independent,
       (SELECT kmeans(f, 3) FROM blobs) =
       (SELECT kmeans(f, 3) FROM (SELECT f FROM blobs UNION ALL SELECT NULL) s)
       AS nulls_skipped;

-- coordinates whose squares overflow (or underflow) double: same blobs
WITH model AS (SELECT kmeans(ARRAY[f[1] * 2::float8^600, f[2] * 2::float8^600], 3) AS c,
                      kmeans(ARRAY[f[1] * 2::float8^(-600), f[2] * 2::float8^(-600)], 3) AS t FROM blobs),
truth AS (SELECT b, avg(f[1]) x, avg(f[2]) y FROM blobs GROUP BY b)
SELECT count(*) AS matched
  FROM truth,
       model, kmeans_centroids(c) r, kmeans_centroids(t) q
 WHERE abs(r.centroid[1] / 2::float8^600 - x) < 1e-9 AND abs(r.centroid[2] / 2::float8^600 - y) < 1e-9
   AND abs(q.centroid[1] * 2::float8^600 - x) < 1e-9 AND abs(q.centroid[2] * 2::float8^600 - y) < 1e-9;

-- seeds: each is reproducible
SELECT (SELECT kmeans(f, 5, 7) FROM blobs) = (SELECT kmeans(f, 5, 7) FROM blobs) AS seed_7_stable,
       (SELECT kmeans(f, 5, -3, 10, 0.5) FROM blobs) = (SELECT kmeans(f, 5, -3, 10, 0.5) FROM blobs) AS all_params_stable;

-- k = 1 is the mean
SELECT abs(c[1][1] - (SELECT avg(f[1]) FROM blobs)) < 1e-12 AND
       abs(c[1][2] - (SELECT avg(f[2]) FROM blobs)) < 1e-12 AS k1_is_mean,
       array_dims(c) AS dims
  FROM (SELECT kmeans(f, 1) AS c FROM blobs) s;

-- one-dimensional data
SELECT c FROM (SELECT kmeans(ARRAY[x], 2) AS c
                 FROM unnest('{1,2,3,10,11,12}'::float8[]) x) s;
SELECT array_agg(kmeans_assign(ARRAY[x], c) ORDER BY x) AS labels
  FROM unnest('{1,2,3,10,11,12}'::float8[]) x,
       (SELECT kmeans(ARRAY[x], 2) AS c FROM unnest('{1,2,3,10,11,12}'::float8[]) x) m;

-- duplicated points: as many distinct points as k is enough
SELECT kmeans(f, 2) FROM (SELECT '{0,0}'::float8[] FROM generate_series(1, 5)
                          UNION ALL SELECT '{1,1}' FROM generate_series(1, 5)) v(f);
SELECT pg_temp.try($$SELECT kmeans(f, 3) FROM (SELECT '{0,0}'::float8[] FROM generate_series(1, 5)
                          UNION ALL SELECT '{1,1}' FROM generate_series(1, 5)) v(f)$$);

-- ties: the point 2 is equidistant from centroids {1} and {3}; the model
-- of the training data agrees with kmeans_assign for every point
SELECT kmeans_assign('{2}', '{{1},{3}}') AS tie_lowest;

-- many seeds on awkward data (heavy duplicates, outliers): never NaN, and
-- always k distinct centroids
CREATE TEMP TABLE awkward AS
SELECT ARRAY[CASE WHEN i % 10 < 8 THEN 0 ELSE i % 7 END,
             CASE WHEN i % 13 = 0 THEN 1000 ELSE 0 END]::float8[] AS f
  FROM generate_series(1, 200) i;
SELECT count(*) AS models,
       bool_and(c::text NOT LIKE '%NaN%') AS no_nan,
       bool_and((SELECT count(DISTINCT r.centroid) FROM kmeans_centroids(c) r) = 4) AS distinct_centroids
  FROM (SELECT seed, kmeans(f, 4, seed) AS c
          FROM awkward, generate_series(0, 19) seed GROUP BY seed) s;

-- progress reporting, on request
SET aimarketing.progress = on;
SELECT kmeans(ARRAY[x], 2, 0, 5) FROM unnest('{1,2,3,10,11,12}'::float8[]) x;
RESET aimarketing.progress;

-- max_iter bounds the work: one iteration from the same seeding
SELECT (SELECT kmeans(f, 3, 0, 1) FROM blobs) IS NOT NULL AS one_iteration;

-- no rows, only NULL rows: NULL
SELECT kmeans(f, 2) IS NULL AS no_rows FROM blobs WHERE false;
SELECT kmeans(NULL::float8[], 2) IS NULL AS null_rows FROM generate_series(1, 3);

-- kmeans_inertia and kmeans_silhouette by hand:
-- points 0, 1, 10, 11 and centroids 0.5, 10.5: inertia 4 * 0.25 = 1;
-- silhouettes (10.5-0.5)/10.5 and (9.5-0.5)/9.5, twice each
SELECT kmeans_inertia(ARRAY[x], '{{0.5},{10.5}}') AS inertia,
       round(kmeans_silhouette(ARRAY[x], '{{0.5},{10.5}}')::numeric, 12) AS silhouette,
       round(((10.0 / 10.5 + 9.0 / 9.5) / 2)::numeric, 12) AS by_hand,
       kmeans_silhouette(ARRAY[x], '{{5}}') IS NULL AS one_centroid
  FROM unnest('{0,1,10,11}'::float8[]) x;
SELECT kmeans_inertia(f, '{{0}}') IS NULL AS no_rows FROM blobs WHERE false;

-- choosing k in one GROUP BY
WITH models AS (SELECT k, kmeans(f, k) AS c FROM blobs, generate_series(2, 5) k GROUP BY k)
SELECT m.k, round(kmeans_inertia(b.f, m.c)::numeric, 2) AS inertia,
       round(kmeans_silhouette(b.f, m.c)::numeric, 4) AS silhouette
  FROM models m CROSS JOIN blobs b GROUP BY m.k ORDER BY m.k;

-- kmeans_centroids
SELECT * FROM kmeans_centroids('{{1,2},{3,4},{5,6}}');
SELECT * FROM kmeans_centroids('{{7}}');

-- parallel: Partial/Finalize aggregate, same model as serial
CREATE TABLE kmeans_par AS
SELECT ARRAY[(i % 97) + sin(i), (i % 89) * 0.5 + cos(i)]::float8[] AS f
  FROM generate_series(1, 30000) i;
ANALYZE kmeans_par;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_model AS SELECT kmeans(f, 6, 1) AS c, kmeans_inertia(f, '{{0,0},{50,20}}') AS i FROM kmeans_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT kmeans(f, 6, 1), kmeans_inertia(f, '{{0,0},{50,20}}') FROM kmeans_par;
SELECT s.c = p.c AS same_model, abs(s.i - p.i) < 1e-9 * s.i AS same_inertia
  FROM serial_model s,
       (SELECT kmeans(f, 6, 1) AS c, kmeans_inertia(f, '{{0,0},{50,20}}') AS i FROM kmeans_par) p;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
DROP TABLE kmeans_par;

-- errors
SELECT pg_temp.try($$SELECT kmeans(f, 0) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, -1) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 100001) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, NULL) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2, NULL::int) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2, 0, 0) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2, 0, 10, -1) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2, 0, 10, 'NaN') FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2, 0, 10, 'Infinity') FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 301) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, (i % 2) + 2) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2, i) FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2) FROM (VALUES ('{{1,2}}'::float8[])) v(f)$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2) FROM (VALUES ('{1,NULL}'::float8[])) v(f)$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2) FROM (VALUES ('{1,NaN}'::float8[])) v(f)$$);
SELECT pg_temp.try($$SELECT kmeans(f, 2) FROM (VALUES ('{-Infinity,1}'::float8[])) v(f)$$);
SELECT pg_temp.try($$SELECT kmeans_inertia(f, '{1,2}') FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans_inertia(f, '{{1,2,3}}') FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans_silhouette(f, '{{1,NaN}}') FROM blobs$$);
SELECT pg_temp.try($$SELECT kmeans_inertia('{1e200,1e200}', '{{-1e200,-1e200}}')$$);
-- only the second-nearest distance overflows: inertia and silhouette are fine
SELECT kmeans_inertia(ARRAY[x], '{{0.5},{1e200}}') AS inertia,
       round(kmeans_silhouette(ARRAY[x], '{{0.5},{1e200}}')::numeric, 12) AS silhouette
  FROM unnest('{0,1}'::float8[]) x;
-- (every centroid checked, not only the nearest two; a parameter change
-- caught even when the first row's features are NULL: test/pgtap/30_kmeans.sql)
SELECT pg_temp.try($$SELECT * FROM kmeans_centroids('{{1,NULL}}')$$);
SELECT pg_temp.try($$SELECT kmeans_inertia_final('{1}')$$);

-- n_init: the best of n runs by inertia (one random stream from seed, so
-- n_init = 1 is the plain aggregate and more runs never do worse)
SELECT kmeans(f, 3, 5, 300, 1e-4, 1) = kmeans(f, 3, 5) AS n_init_1_is_plain,
       kmeans_inertia(p.f, (SELECT kmeans(f, 3, 5, 300, 1e-4, 8) FROM blobs))
         <= kmeans_inertia(p.f, (SELECT kmeans(f, 3, 5) FROM blobs)) AS eight_runs_no_worse
  FROM blobs p;
-- warm start: Lloyd from given centroids, numbering kept (a literal init
-- needs its type: '...'::float8[], as kmeans(f, k, '...') could be a seed)
SELECT kmeans(ARRAY[x], 2, '{{20},{0}}'::float8[]) FROM unnest('{1,2,3,10,11,12}'::float8[]) x;
SELECT pg_temp.try($$SELECT kmeans(ARRAY[x], 2, '{{1},{2}}') FROM unnest('{1,2}'::float8[]) x$$);
SELECT pg_temp.try($$SELECT kmeans(ARRAY[x], 3, '{{1},{2}}'::float8[]) FROM unnest('{1,2,3}'::float8[]) x$$);
-- kmeans_match: new centroids renumbered after the old ones
SELECT kmeans_match('{{11.5},{2}}', '{{2},{11}}') AS renumbered,
       kmeans_match('{{0},{2}}', '{{1},{1}}') AS tie_keeps_order;
