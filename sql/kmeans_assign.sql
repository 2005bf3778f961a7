--
-- kmeans_assign
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

-- nearest of three centroids, 1-based
SELECT kmeans_assign('{0,0}', '{{0,0},{5,5},{10,10}}') AS c1,
       kmeans_assign('{4,6}', '{{0,0},{5,5},{10,10}}') AS c2,
       kmeans_assign('{9,12}', '{{0,0},{5,5},{10,10}}') AS c3;

-- ties go to the lowest index
SELECT kmeans_assign('{0}', '{{-1},{1}}') AS tie_1d,
       kmeans_assign('{1,1}', '{{2,2},{0,0},{2,0},{0,2}}') AS tie_4way,
       kmeans_assign('{3,3}', '{{1,1},{1,1}}') AS duplicate_centroids;

-- k = 1 and d = 1
SELECT kmeans_assign('{42}', '{{7}}') AS k1;

-- integer arrays work through the implicit cast
SELECT kmeans_assign(ARRAY[1,2], ARRAY[[0,0],[1,2]]) AS from_int;

-- the squared distance overflows double here, the answer is still exact
SELECT kmeans_assign('{1e200,1e200}', '{{-1e200,-1e200},{2e200,2e200},{1.1e200,0.9e200}}') AS huge;

-- agreement with a brute-force nearest centroid in plain SQL
CREATE TEMP TABLE pts AS
  SELECT i, ARRAY[sin(i), cos(i * 1.7), (i % 7) / 3.0]::float8[] AS f
    FROM generate_series(1, 500) i;
CREATE TEMP TABLE cents (j int, c float8[]);
INSERT INTO cents VALUES (1, '{0,0,0}'), (2, '{1,1,1}'), (3, '{-1,0.5,2}'), (4, '{0.5,-1,0.5}');
SELECT count(*) AS disagreements
  FROM pts p
 WHERE kmeans_assign(p.f, (SELECT array_agg(c ORDER BY j)
                             FROM (SELECT j, c FROM cents) s)::float8[]) <>
       (SELECT j FROM cents
         ORDER BY (f[1]-c[1])^2 + (f[2]-c[2])^2 + (f[3]-c[3])^2, j LIMIT 1);

SELECT kmeans_assign(NULL, '{{1}}') IS NULL AS strict_null;

-- errors
SELECT pg_temp.try($$SELECT kmeans_assign('{}', '{{1}}')$$);
SELECT pg_temp.try($$SELECT kmeans_assign('{{1,2}}', '{{1,2}}')$$);
SELECT pg_temp.try($$SELECT kmeans_assign('{1,NULL}', '{{1,2}}')$$);
SELECT pg_temp.try($$SELECT kmeans_assign('{1,2}', '{{{1,2}}}')$$);
SELECT pg_temp.try($$SELECT kmeans_assign('{1,2}', '{{1,2},{NULL,3}}')$$);
SELECT pg_temp.try($$SELECT kmeans_assign('{1,NaN}', '{{1,2}}')$$);
SELECT pg_temp.try($$SELECT kmeans_assign('{1,2}', '{{1,2},{Infinity,0}}')$$);
SELECT pg_temp.try($$SELECT kmeans_assign('{1,2}', '{{-Infinity,2},{0,0}}')$$);
