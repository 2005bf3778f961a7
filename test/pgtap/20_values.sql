-- 20_values.sql: values against independent references.
--
-- cosine_sim, pearson_sim, churn_score and kmeans_assign are compared with
-- values computed by test/ref/similarity_ref.py (numpy / scikit-learn /
-- scipy, cross-checked there against exact rational arithmetic), which
-- wrote them to test/data/ (similarity_ref.csv, churn_score_ref.csv,
-- kmeans_assign_*.csv; see test/data/README.md), so this file needs no
-- Python; floats are compared to
-- 1e-12 relative, and results that are exactly representable (0, 0.5, 1,
-- -1, NULL, a cluster number) exactly.  They are also compared with the
-- same formulas written in plain SQL and with core's corr().
--
-- roi and roas are compared with the plain-SQL expression they stand for,
-- (sum(r) - sum(c)) / nullif(sum(c), 0) over the rows where both are
-- non-NULL: numeric results exactly, value and display scale (text form),
-- including window frames (the moving-aggregate inverse), GROUP BY,
-- GROUPING SETS and FILTER, and the combine function.
--
-- Some tests pin defects found when this suite was written and since fixed:
-- subnormal rescaling, exact self-similarity, a partial sum overflowing in
-- churn_score, and moving frames that start on a NULL pair.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
SET extra_float_digits = 1;

BEGIN;
SELECT plan(285);

\ir helpers.psql

--------------------------------------------------------------------------
-- cosine_sim
--------------------------------------------------------------------------

-- test/data/similarity_ref.csv, written by test/ref/similarity_ref.py (path
-- from the repository's root, where pg_prove runs psql)
CREATE TEMP TABLE ref_sim (name text, a float8[], b float8[], cosine float8, pearson float8);
\copy ref_sim FROM 'test/data/similarity_ref.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE ref_cosine AS SELECT name, a, b, cosine AS want FROM ref_sim;

SELECT pg_temp.near(cosine_sim(a, b), want, 'cosine_sim: ' || name)
  FROM ref_cosine WHERE name <> 'subnormal' ORDER BY name;
-- the same with the arguments swapped: the formula is symmetric
SELECT pg_temp.near(cosine_sim(b, a), want, 'cosine_sim swapped: ' || name)
  FROM ref_cosine WHERE name <> 'subnormal' ORDER BY name;

SELECT pg_temp.near(cosine_sim(a, b), want, 'cosine_sim: ' || name)
  FROM ref_cosine WHERE name = 'subnormal';
SELECT pg_temp.near(cosine_sim(b, a), want, 'cosine_sim swapped: ' || name)
  FROM ref_cosine WHERE name = 'subnormal';

-- exactly representable results
SELECT is(cosine_sim('{1,0,0}', '{0,5,0}'), 0::float8, 'cosine_sim of orthogonal axes is exactly 0');
SELECT is(cosine_sim('{1,2}', '{-2,1}'), 0::float8, 'cosine_sim of orthogonal vectors is exactly 0');
SELECT is(cosine_sim('{3,4}', '{6,8}'), 1::float8, 'cosine_sim of parallel vectors is exactly 1');
SELECT is(cosine_sim('{3,4}', '{-6,-8}'), -1::float8, 'cosine_sim of anti-parallel vectors is exactly -1');
SELECT is(cosine_sim(ARRAY[3 * 2::float8 ^ 600, 4 * 2::float8 ^ 600],
                     ARRAY[6 * 2::float8 ^ -700, 8 * 2::float8 ^ -700]), 1::float8,
          'cosine_sim of parallel vectors of extreme magnitudes is exactly 1');
SELECT is(cosine_sim('{2.5}', '{-1e-300}'), -1::float8, 'cosine_sim of 1-element vectors of opposite sign is -1');
SELECT is(cosine_sim('{0,0,0}', '{1,2,3}'), NULL, 'cosine_sim with a zero vector a is NULL');
SELECT is(cosine_sim('{1,2,3}', '{0,-0.0,0}'), NULL, 'cosine_sim with a zero vector b (with -0) is NULL');
SELECT is(cosine_sim('{0}', '{0}'), NULL, 'cosine_sim of two zero vectors is NULL');
-- the smallest subnormal is not zero
SELECT is(cosine_sim('{5e-324,0}', '{1,0}'), 1::float8, 'cosine_sim with a subnormal vector is 1, not NULL or NaN');

-- other array types reach float8[] through implicit casts; bounds do not matter
SELECT pg_temp.near(cosine_sim(ARRAY[1, 2, 3], ARRAY[4, 5, 6]), 0.9746318461970763,
                    'cosine_sim(int[], int[]) through the implicit cast');
SELECT pg_temp.near(cosine_sim('{1.0,2.0,3.0}'::numeric[], '{4,5,6}'::numeric[]), 0.9746318461970763,
                    'cosine_sim(numeric[], numeric[]) through the implicit cast');
SELECT is(cosine_sim('[0:2]={1,2,3}', '[5:7]={4,5,6}'), cosine_sim('{1,2,3}', '{4,5,6}'),
          'cosine_sim ignores the lower bounds of the arrays');

-- against the formula written in plain SQL, on 100 pseudo-random pairs
CREATE TEMP TABLE aim_pairs AS
SELECT p, array_agg(x ORDER BY i) AS a, array_agg(y ORDER BY i) AS b
  FROM (SELECT p, i,
               sin(p * 12.9898 + i * 78.233) * 43758.5453 - floor(sin(p * 12.9898 + i * 78.233) * 43758.5453) - 0.5 AS x,
               cos(p * 4.1414 + i * 3.7) * 1000 AS y
          FROM generate_series(1, 100) p, generate_series(1, 64) i) s
 GROUP BY p;

SELECT is((SELECT format('%s/%s', count(*) FILTER (WHERE abs(cosine_sim(a, b) - want) > 1e-12 * greatest(abs(want), 1e-3)),
                         count(*))
             FROM (SELECT a, b,
                          (SELECT sum(x * y) / sqrt(sum(x * x) * sum(y * y))
                             FROM unnest(a, b) u(x, y)) AS want
                     FROM aim_pairs) s),
          '0/100', 'cosine_sim agrees with sum(x*y)/sqrt(sum(x*x)*sum(y*y)) on 100 pairs');
SELECT is((SELECT count(*)::int FROM aim_pairs
            WHERE NOT cosine_sim(a, b) BETWEEN -1 AND 1
               OR NOT cosine_sim(a, a) BETWEEN 0.999999999999999 AND 1),
          0, 'cosine_sim stays in [-1, 1] and cosine_sim(a, a) is 1 to 1e-15');

SELECT is((SELECT count(*)::int FROM aim_pairs
            WHERE cosine_sim(a, a) <> 1
               OR cosine_sim(a, ARRAY(SELECT -x FROM unnest(a) x)) <> -1),
          0, 'cosine_sim(a, a) is exactly 1 and cosine_sim(a, -a) exactly -1');

--------------------------------------------------------------------------
-- pearson_sim
--------------------------------------------------------------------------

CREATE TEMP TABLE ref_pearson AS SELECT name, a, b, pearson AS want FROM ref_sim;

SELECT pg_temp.near(pearson_sim(a, b), want, 'pearson_sim: ' || name)
  FROM ref_pearson WHERE name <> 'subnormal' ORDER BY name;
SELECT pg_temp.near(pearson_sim(b, a), want, 'pearson_sim swapped: ' || name)
  FROM ref_pearson WHERE name <> 'subnormal' ORDER BY name;

SELECT pg_temp.near(pearson_sim(a, b), want, 'pearson_sim: ' || name)
  FROM ref_pearson WHERE name = 'subnormal';
SELECT pg_temp.near(pearson_sim(b, a), want, 'pearson_sim swapped: ' || name)
  FROM ref_pearson WHERE name = 'subnormal';

SELECT is(pearson_sim('{1,2,3}', '{2,-4,2}'), 0::float8, 'pearson_sim of uncorrelated vectors is exactly 0');
SELECT is(pearson_sim('{0,0,2,2}', '{1,1,5,5}'), 1::float8, 'pearson_sim of perfectly correlated vectors is exactly 1');
SELECT is(pearson_sim('{0,0,2,2}', '{5,5,1,1}'), -1::float8, 'pearson_sim of perfectly anti-correlated vectors is exactly -1');
SELECT is(pearson_sim('{7,7,7}', '{1,2,3}'), NULL, 'pearson_sim with a constant vector a is NULL');
SELECT is(pearson_sim('{1,2,3}', '{1e300,1e300,1e300}'), NULL, 'pearson_sim with a constant huge vector b is NULL');
SELECT is(pearson_sim('{0,0}', '{0,0}'), NULL, 'pearson_sim of two constant vectors is NULL');
SELECT is(pearson_sim('{1e-300,1e-300,1e-300,1e-300}', '{4,3,2,1}'), NULL, 'pearson_sim with a constant tiny vector is NULL');

-- against core's corr() on the same 100 pairs
SELECT is((SELECT format('%s/%s', count(*) FILTER (WHERE abs(pearson_sim(a, b) - want) > 1e-12 * greatest(abs(want), 1e-3)),
                         count(*))
             FROM (SELECT a, b, (SELECT corr(y, x) FROM unnest(a, b) u(x, y)) AS want
                     FROM aim_pairs) s),
          '0/100', 'pearson_sim agrees with core corr() on 100 pairs');
SELECT is((SELECT count(*)::int FROM aim_pairs
            WHERE pearson_sim(a, ARRAY(SELECT 1e6 + 3 * x FROM unnest(a) x))
                  NOT BETWEEN 0.999999999999 AND 1),
          0, 'pearson_sim of a vector and an affine image of it is 1 to 1e-12');

SELECT is((SELECT count(*)::int FROM aim_pairs
            WHERE pearson_sim(a, a) <> 1
               OR pearson_sim(a, ARRAY(SELECT -x FROM unnest(a) x)) <> -1
               OR pearson_sim('{1,2,3}', '{2,4,6}') <> 1
               OR pearson_sim('{1,2}', '{3,5}') <> 1),
          0, 'pearson_sim of exactly linearly related vectors is exactly +-1');

--------------------------------------------------------------------------
-- churn_score
--------------------------------------------------------------------------

CREATE TEMP TABLE ref_churn (name text, features float8[], coefficients float8[], want float8);
\copy ref_churn FROM 'test/data/churn_score_ref.csv' WITH (FORMAT csv, HEADER true)

-- results the sigmoid reaches exactly (0, 0.5, 1) must be exact
SELECT is(churn_score(features, coefficients), want, 'churn_score exactly: ' || name)
  FROM ref_churn WHERE want IN (0, 0.5, 1) AND name NOT LIKE '%outweighed' ORDER BY name;
SELECT pg_temp.near(churn_score(features, coefficients), want, 'churn_score: ' || name)
  FROM ref_churn WHERE want NOT IN (0, 0.5, 1) ORDER BY name;

SELECT is(churn_score(features, coefficients), want, 'churn_score exactly: ' || name)
  FROM ref_churn WHERE name LIKE '%outweighed' ORDER BY name;

-- shape of the curve over z in [-60, 60]: within [0, 1], non-decreasing,
-- and s(z) + s(-z) = 1 to rounding
SELECT is((SELECT count(*)::int
             FROM (SELECT z, churn_score('{}', ARRAY[z]) AS s,
                          churn_score('{}', ARRAY[-z]) AS t,
                          lag(churn_score('{}', ARRAY[z])) OVER (ORDER BY z) AS prev
                     FROM (SELECT g / 8.0::float8 AS z FROM generate_series(-480, 480) g) zs) q
            WHERE s NOT BETWEEN 0 AND 1 OR s < prev OR abs(s + t - 1) > 2.3e-16),
          0, 'churn_score is a monotone sigmoid with s(z) + s(-z) = 1');
-- the linear predictor written in plain SQL
SELECT pg_temp.near(churn_score(features, coefficients),
                    (SELECT 1 / (1 + exp(-(coefficients[1] + sum(x * b))))
                       FROM unnest(features, coefficients[2:]) u(x, b)),
                    'churn_score agrees with 1/(1+exp(-(b0 + sum(b*x)))) in plain SQL',
                    1e-12)
  FROM ref_churn WHERE name = 'random 8 features';

--------------------------------------------------------------------------
-- kmeans_assign
--------------------------------------------------------------------------

CREATE TEMP TABLE ref_kmeans (id int, features float8[], want int);
\copy ref_kmeans FROM 'test/data/kmeans_assign_pts.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE ref_kmeans_centroids (centroids float8[]);
\copy ref_kmeans_centroids FROM 'test/data/kmeans_assign_centroids.csv' WITH (FORMAT csv, HEADER true)

SELECT is(ARRAY(SELECT kmeans_assign(features, (SELECT centroids FROM ref_kmeans_centroids))
                  FROM ref_kmeans ORDER BY id),
          ARRAY(SELECT want FROM ref_kmeans ORDER BY id),
          'kmeans_assign of 40 points to 5 centroids in 6 dimensions matches numpy argmin');

CREATE TEMP TABLE ref_kmeans_big (name text, features float8[], centroids float8[], want int);
\copy ref_kmeans_big FROM 'test/data/kmeans_assign_overflow.csv' WITH (FORMAT csv, HEADER true)

SELECT is(kmeans_assign(features, centroids), want, 'kmeans_assign: ' || name)
  FROM ref_kmeans_big ORDER BY name;

-- ties go to the lowest index
SELECT is(kmeans_assign('{0,0}', '{{1,0},{0,1},{-1,0}}'), 1, 'kmeans_assign: three-way tie goes to centroid 1');
SELECT is(kmeans_assign('{0,0}', '{{5,5},{1,0},{0,1}}'), 2, 'kmeans_assign: tie between 2 and 3 goes to 2');
SELECT is(kmeans_assign('{1,1}', '{{3,3},{1,1},{1,1}}'), 2, 'kmeans_assign: duplicate centroids, the first wins');
SELECT is(kmeans_assign('{0.5}', '{{1},{0}}'), 1, 'kmeans_assign: midpoint goes to the lower index');
SELECT is(kmeans_assign('{2,2,2,2,2}', '{{3,2,2,2,2},{2,2,2,2,1},{2,2,3,2,2}}'), 1,
          'kmeans_assign: tie in 5 dimensions (tail of the unrolled loop)');
SELECT is(kmeans_assign('{1,2,3}', '{{9,9,9},{1,2,3.0000000001},{1,2,3}}'), 3,
          'kmeans_assign: a near tie is not a tie');
-- k = 1
SELECT is(kmeans_assign('{1,2}', '{{7,8}}'), 1, 'kmeans_assign with k = 1');
SELECT is(kmeans_assign('{1e300,-1e300}', '{{-1e300,1e300}}'), 1, 'kmeans_assign with k = 1 and overflowing distance');
SELECT is(kmeans_assign('{1,2,3}', '[0:1][5:7]={{9,9,9},{1,2,3}}'), 2,
          'kmeans_assign numbers rows from 1 whatever the lower bounds');

-- against the same rule in plain SQL: 300 points, 7 centroids, 4 dimensions
CREATE TEMP TABLE aim_pts AS
SELECT p, array_agg(sin(p * 1.3 + i * 0.7) * 10 ORDER BY i) AS x
  FROM generate_series(1, 300) p, generate_series(1, 4) i GROUP BY p;
CREATE TEMP TABLE aim_cents AS
SELECT k, array_agg(cos(k * 2.1 + i * 1.9) * 8 ORDER BY i) AS c
  FROM generate_series(1, 7) k, generate_series(1, 4) i GROUP BY k;
SELECT is((SELECT format('%s/%s', count(*) FILTER (WHERE got IS DISTINCT FROM want), count(*))
             FROM (SELECT kmeans_assign(x, (SELECT array_agg(c ORDER BY k) FROM aim_cents)) AS got,
                          (SELECT k FROM aim_cents
                            ORDER BY (SELECT sum((u - v) ^ 2) FROM unnest(x, c) w(u, v)), k
                            LIMIT 1) AS want
                     FROM aim_pts) s),
          '0/300', 'kmeans_assign agrees with the nearest centroid computed in plain SQL');

--------------------------------------------------------------------------
-- roi and roas, numeric: exact, against (sum(r) - sum(c)) / sum(c)
--------------------------------------------------------------------------

CREATE TEMP TABLE aim_sets (set text, id serial, r numeric, c numeric);
INSERT INTO aim_sets (set, r, c) VALUES
('many decimals', 1234.567890123456789012345678901234, 987.654321098765432109876543210987),
('many decimals', 0.000000000000000000000000000001, 12.5),
('many decimals', 99999999999999999999.99999999999999, 3.33333333333333333333333333333333),
('many decimals', -17.125, 0.001),
('mixed scales', 1.5, 2.25),
('mixed scales', 3.125, 1),
('mixed scales', 10, 0.5),
('mixed scales', 7.25, 3.125),
('mixed scales', 0.0001, 2.00),
('beyond int128', 1e40, 3),
('beyond int128', 1e-40, 7.5),
('beyond int128', 12345678901234567890123456789012345678901234567890, 1.25),
('beyond int128', -98765432109876543210987654321098765432109876543210.0123456789, 1e-40),
('beyond int128', 0.1, 1e40),
('int128 limits', 170141183460469231731687303715884105727, 1),
('int128 limits', -170141183460469231731687303715884105728, 2),
('int128 limits', 170141183460469231731687303715884105727, 0.5),
('int128 sum overflow', 100000000000000000000000000000000000000, 1),
('int128 sum overflow', 100000000000000000000000000000000000000, 1),
('int128 sum overflow', 99999999999999999999999999999999999999, 3),
('scale 36 and a large integer', 0.000000000000000000000000000000000001, 1),
('scale 36 and a large integer', 1000000000000000000000000000000, 1),
('scale 36 and a large integer', 0.5, 0.000000000000000000000000000000000001),
('50-digit values', 12345678901234567890123456789012345678901234567890, 98765432109876543210987654321098765432109876543210),
('50-digit values', 0.12345678901234567890123456789012345678901234567890, 0.00000000000000000000000000000000000000000000000001),
('single row', 3, 2),
('negative values', -5.5, 2),
('negative values', 1, 0.25),
('negative total cost', 10, -5),
('negative total cost', 2, 1),
('zero total cost', 5, 2),
('zero total cost', 3, -2),
('zero cost with scale', 1.5, 0.000),
('NaN revenue', 'NaN', 1),
('NaN revenue', 2, 3),
('NaN cost', 1, 'NaN'),
('Infinity revenue', 'Infinity', 2),
('Infinity revenue', 1, 1),
('-Infinity revenue', '-Infinity', 2),
('Infinity cost', 1, 'Infinity'),
('-Infinity cost', 5, '-Infinity'),
('-Infinity cost', 1, 2),
('Infinity minus Infinity', 'Infinity', 1),
('Infinity minus Infinity', '-Infinity', 1),
('Infinity both', 'Infinity', 'Infinity'),
('all pairs NULL', NULL, 1),
('all pairs NULL', 2, NULL),
('all pairs NULL', NULL, NULL),
('some pairs NULL', NULL, 5),
('some pairs NULL', 10, 4),
('some pairs NULL', 3, NULL),
('some pairs NULL', 7.5, 2.5),
('some pairs NULL', NULL, NULL);

-- the plain-SQL expression, over the rows where both values are non-NULL
CREATE TEMP VIEW aim_sets_ref AS
SELECT set,
       roi(r, c) AS roi, roas(r, c) AS roas,
       (sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
        - sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL))
       / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0) AS roi_want,
       sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
       / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0) AS roas_want
  FROM aim_sets GROUP BY set;

SELECT is(roi, roi_want, 'roi value: ' || set) FROM aim_sets_ref ORDER BY set;
SELECT is(roi::text, roi_want::text, 'roi text: ' || set) FROM aim_sets_ref ORDER BY set;
SELECT is(roas, roas_want, 'roas value: ' || set) FROM aim_sets_ref ORDER BY set;
SELECT is(roas::text, roas_want::text, 'roas text: ' || set) FROM aim_sets_ref ORDER BY set;

-- the reference is not vacuous: the special results do occur
SELECT is((SELECT string_agg(set || '=' || coalesce(roi::text, 'NULL'), ', ' ORDER BY set COLLATE "C")
             FROM aim_sets_ref
            WHERE roi IS NULL OR roi = 'NaN' OR roi IN ('Infinity', '-Infinity')),
          '-Infinity cost=NaN, -Infinity revenue=-Infinity, Infinity both=NaN, '
          'Infinity cost=NaN, Infinity minus Infinity=NaN, Infinity revenue=Infinity, '
          'NaN cost=NaN, NaN revenue=NaN, all pairs NULL=NULL, zero cost with scale=NULL, '
          'zero total cost=NULL',
          'roi is NULL for zero total cost or no complete pairs, NaN or infinite as the plain expression');
-- hand-computed: (21.8751 - 8.875) / 8.875 = 1.4648 exactly
SELECT is((SELECT array[roi, roas] FROM aim_sets_ref WHERE set = 'mixed scales'),
          array[1.4648, 2.4648], 'roi and roas of mixed scales, hand-computed');
SELECT is((SELECT roi(r, c) FROM aim_sets WHERE false), NULL, 'roi over no rows is NULL');
SELECT is((SELECT roas(r, c) FROM aim_sets WHERE false), NULL, 'roas over no rows is NULL');

-- display scale above 2000 digits, where rounding twice would change the
-- 1000-digit quotient: (1 + 5e-1001 - 4e-3001 - 1) / 1 rounds down
SELECT is((SELECT roi(r, c)::text = ((sum(r) - sum(c)) / sum(c))::text
                  AND roas(r, c)::text = (sum(r) / sum(c))::text
                  AND right(roi(r, c)::text, 3) = '000'
             FROM (VALUES (('1.' || repeat('0', 1000) || '5')::numeric, 1::numeric),
                          (('-0.' || repeat('0', 3000) || '4')::numeric, 0::numeric)) v(r, c)),
          true, 'roi and roas stay exact with a display scale of 3001');

--------------------------------------------------------------------------
-- a 200-day campaign table with varying scales, NULLs and large values
--------------------------------------------------------------------------

CREATE TEMP TABLE aim_days AS
SELECT day,
       day % 5 AS campaign,
       (day * 7) % 3 AS channel,
       CASE WHEN day % 17 = 0 THEN NULL
            WHEN day % 29 = 0 THEN round((day * 7919 % 100003)::numeric / 13, 30)
            WHEN day % 31 = 0 THEN (day * 104729 % 1000003)::numeric * 1e35
            WHEN day % 37 = 0 THEN ('1234567890123456789012345678901234567890.' || day)::numeric
            ELSE round((day * 7919 % 100003)::numeric / 7, day % 9)
       END AS r,
       CASE WHEN day % 23 = 0 THEN NULL
            WHEN day % 19 = 0 THEN 0::numeric
            WHEN day % 43 = 0 THEN round((day * 6271 % 50021)::numeric / 3, 40)
            ELSE round((day * 6271 % 50021)::numeric / 11, (day * 3) % 7) + 0.5
       END AS c
  FROM generate_series(1, 200) day;

-- a second table with NaN and infinities in the frames
CREATE TEMP TABLE aim_days_special AS
SELECT day,
       CASE WHEN day % 37 = 0 THEN 'NaN'::numeric
            WHEN day % 41 = 0 THEN 'Infinity'::numeric
            ELSE r END AS r,
       CASE WHEN day % 43 = 0 THEN 'Infinity'::numeric
            WHEN day % 47 = 0 THEN '-Infinity'::numeric
            ELSE c END AS c
  FROM aim_days;

-- GROUP BY, GROUPING SETS, FILTER: same rows as the plain expression
SELECT results_eq(
    $$SELECT campaign, roi(r, c)::text, roas(r, c)::text
        FROM aim_days GROUP BY campaign ORDER BY campaign$$,
    $$SELECT campaign, ((sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
                         - sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL))
                        / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0))::text,
                       (sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
                        / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0))::text
        FROM aim_days GROUP BY campaign ORDER BY campaign$$,
    'roi and roas per campaign (GROUP BY) equal the plain expression');

SELECT results_eq(
    $$SELECT campaign, channel, grouping(campaign, channel), roi(r, c)::text, roas(r, c)::text
        FROM aim_days GROUP BY GROUPING SETS ((campaign), (channel), (campaign, channel), ())
       ORDER BY 3, 1, 2$$,
    $$SELECT campaign, channel, grouping(campaign, channel),
             ((sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
               - sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL))
              / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0))::text,
             (sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
              / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0))::text
        FROM aim_days GROUP BY GROUPING SETS ((campaign), (channel), (campaign, channel), ())
       ORDER BY 3, 1, 2$$,
    'roi and roas under GROUPING SETS equal the plain expression');

SELECT results_eq(
    $$SELECT campaign, (roi(r, c) FILTER (WHERE channel = 1))::text,
             (roas(r, c) FILTER (WHERE day > 100))::text,
             (roi(r, c) FILTER (WHERE false))::text
        FROM aim_days GROUP BY campaign ORDER BY campaign$$,
    $$SELECT campaign,
             ((sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL AND channel = 1)
               - sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL AND channel = 1))
              / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL AND channel = 1), 0))::text,
             (sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL AND day > 100)
              / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL AND day > 100), 0))::text,
             NULL::text
        FROM aim_days GROUP BY campaign ORDER BY campaign$$,
    'roi and roas with FILTER (WHERE ...) equal the plain expression');

SELECT results_eq(
    $$SELECT day % 5, roi(r, c)::text FROM aim_days_special GROUP BY 1 ORDER BY 1$$,
    $$SELECT day % 5, ((sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
                        - sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL))
                       / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0))::text
        FROM aim_days_special GROUP BY 1 ORDER BY 1$$,
    'roi per campaign with NaN and infinities equals the plain expression');

-- window frames: roi(r, c) OVER w against the plain expression OVER w, for
-- every row; both the value and the text form must agree.  Moving frames
-- run the inverse transition function.
CREATE FUNCTION pg_temp.window_mismatches(tab text, win text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    res text;
BEGIN
    EXECUTE format($q$
        SELECT format('%%s/%%s',
                      count(*) FILTER (WHERE roi IS DISTINCT FROM roi_want
                                          OR roi::text IS DISTINCT FROM roi_want::text
                                          OR roas IS DISTINCT FROM roas_want
                                          OR roas::text IS DISTINCT FROM roas_want::text),
                      count(*))
          FROM (SELECT roi(r, c) OVER w AS roi, roas(r, c) OVER w AS roas,
                       (sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w
                        - sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w)
                       / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w, 0)
                         AS roi_want,
                       sum(r) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w
                       / nullif(sum(c) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w, 0)
                         AS roas_want
                  FROM %s WINDOW w AS (%s)) s$q$, tab, win) INTO res;
    RETURN res;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- the same days without the rows where revenue or cost is NULL
CREATE TEMP TABLE aim_days_nn AS
SELECT * FROM aim_days WHERE r IS NOT NULL AND c IS NOT NULL;
CREATE TEMP TABLE aim_days_special_nn AS
SELECT * FROM aim_days_special WHERE r IS NOT NULL AND c IS NOT NULL;

SELECT is(pg_temp.window_mismatches('aim_days_nn', 'ORDER BY day ROWS 6 PRECEDING'),
          (SELECT '0/' || count(*) FROM aim_days_nn),
          'roi/roas OVER (ORDER BY day ROWS 6 PRECEDING) equal the plain expression on every row');
SELECT is(pg_temp.window_mismatches('aim_days_nn', 'ORDER BY day ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING'),
          (SELECT '0/' || count(*) FROM aim_days_nn),
          'roi/roas over a centred moving frame equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days_nn', 'PARTITION BY day % 5 ORDER BY day ROWS 4 PRECEDING'),
          (SELECT '0/' || count(*) FROM aim_days_nn),
          'roi/roas over a partitioned moving frame equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days_nn', 'ORDER BY day RANGE BETWEEN 10 PRECEDING AND CURRENT ROW'),
          (SELECT '0/' || count(*) FROM aim_days_nn),
          'roi/roas over a RANGE frame equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days_nn', 'ORDER BY day / 3 GROUPS BETWEEN 2 PRECEDING AND 1 FOLLOWING'),
          (SELECT '0/' || count(*) FROM aim_days_nn),
          'roi/roas over a GROUPS frame equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days_nn', 'ORDER BY day ROWS BETWEEN CURRENT ROW AND 5 FOLLOWING EXCLUDE CURRENT ROW'),
          (SELECT '0/' || count(*) FROM aim_days_nn),
          'roi/roas over a moving frame with EXCLUDE CURRENT ROW equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days_special_nn', 'ORDER BY day ROWS 6 PRECEDING'),
          (SELECT '0/' || count(*) FROM aim_days_special_nn),
          'roi/roas over a moving frame through NaN and infinities equal the plain expression');
SELECT is(pg_temp.window_mismatches(
              '(SELECT day, round(r, 2) AS r, round(c, 2) AS c FROM aim_days_nn) t',
              'ORDER BY day ROWS 6 PRECEDING'),
          (SELECT '0/' || count(*) FROM aim_days_nn),
          'roi/roas over a moving frame of money values (scale 2) equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days', 'ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW'),
          '0/200', 'roi/roas running totals (with NULL pairs) equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days', 'ORDER BY day ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING'),
          '0/200', 'roi/roas over a shrinking frame (with NULL pairs) equal the plain expression');
-- the frames are not vacuous: all 7-day frames have a finite result
SELECT is((SELECT format('%s finite of %s', count(*) FILTER (WHERE x NOT IN ('NaN', 'Infinity', '-Infinity')), count(*))
             FROM (SELECT roi(r, c) OVER (ORDER BY day ROWS 6 PRECEDING) AS x FROM aim_days_nn) s),
          (SELECT format('%s finite of %s', count(*), count(*)) FROM aim_days_nn),
          'every 7-day frame has a finite result');

-- Moving frames over rows with a NULL revenue or cost: the transition
-- function returns NULL for a NULL pair while its state is still NULL (at
-- the start of a partition or after a frame restart), which the window
-- executor rejects for a moving aggregate.
SELECT is(pg_temp.window_mismatches('aim_days', 'ORDER BY day ROWS 6 PRECEDING'), '0/200',
          'roi/roas OVER (ROWS 6 PRECEDING) with NULL pairs equal the plain expression on every row');
SELECT is(pg_temp.window_mismatches('aim_days', 'ORDER BY day ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING'), '0/200',
          'roi/roas over a centred moving frame with NULL pairs equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days', 'PARTITION BY day % 5 ORDER BY day ROWS 4 PRECEDING'), '0/200',
          'roi/roas over a partitioned moving frame with NULL pairs equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days', 'ORDER BY day RANGE BETWEEN 10 PRECEDING AND CURRENT ROW'), '0/200',
          'roi/roas over a RANGE frame with NULL pairs equal the plain expression');
SELECT is(pg_temp.window_mismatches('aim_days_special', 'ORDER BY day ROWS 6 PRECEDING'), '0/200',
          'roi/roas over a moving frame with NULL pairs, NaN and infinities equal the plain expression');
SELECT is(pg_temp.window_mismatches(
              '(VALUES (1, NULL::numeric, 1::numeric), (2, 5, 2)) v(day, r, c)',
              'ORDER BY day ROWS 2 PRECEDING'), '0/2',
          'a moving frame whose first row has a NULL revenue');
SELECT is(pg_temp.window_mismatches('aim_days', 'ORDER BY day ROWS 0 PRECEDING'), '0/200',
          'one-row frames equal the plain expression');
SELECT is(pg_temp.window_mismatches(
              '(SELECT day, CASE WHEN day % 10 = 1 THEN NULL ELSE round(r, 2) END AS r, round(c, 2) AS c FROM aim_days) t',
              'ORDER BY day ROWS 6 PRECEDING'), '0/200',
          'a moving frame of money values with NULL pairs');

--------------------------------------------------------------------------
-- the combine function: partial states merged in any grouping give the
-- same result as one pass
--------------------------------------------------------------------------

CREATE AGGREGATE pg_temp.roi_state(numeric, numeric) (SFUNC = roi_numeric_accum, STYPE = bytea);
CREATE AGGREGATE pg_temp.roi_merge(bytea) (SFUNC = roi_numeric_combine, STYPE = bytea);
CREATE AGGREGATE pg_temp.roi8_state(float8, float8) (
    SFUNC = roi_float8_accum, STYPE = float8[], INITCOND = '{0,0,0}');
CREATE AGGREGATE pg_temp.roi8_merge(float8[]) (
    SFUNC = roi_float8_combine, STYPE = float8[], INITCOND = '{0,0,0}');

-- one state per row, merged: every set of aim_sets
SELECT is((SELECT string_agg(set, ', ' ORDER BY set)
             FROM (SELECT set, roi_numeric_final(pg_temp.roi_merge(s ORDER BY id)) AS got,
                          roas_numeric_final(pg_temp.roi_merge(s ORDER BY id DESC)) AS got2
                     FROM (SELECT set, id, pg_temp.roi_state(r, c) AS s
                             FROM aim_sets GROUP BY set, id) p
                    GROUP BY set) m
             JOIN aim_sets_ref USING (set)
            WHERE got::text IS DISTINCT FROM roi::text
               OR got2::text IS DISTINCT FROM roas::text),
          NULL, 'merging one state per row gives roi and roas of every set');
-- states of 1, 2, 3, 4 and 7 slices of the 200 days, merged
SELECT is((SELECT string_agg(n::text, ', ')
             FROM generate_series(1, 7) n
            WHERE n IN (1, 2, 3, 4, 7)
              AND (SELECT roi_numeric_final(pg_temp.roi_merge(s))::text
                          || roas_numeric_final(pg_temp.roi_merge(s))::text
                     FROM (SELECT pg_temp.roi_state(r, c) AS s FROM aim_days GROUP BY day % n) p)
                  IS DISTINCT FROM
                  (SELECT roi(r, c)::text || roas(r, c)::text FROM aim_days)),
          NULL, 'merging 1, 2, 3, 4 or 7 partial states of the 200 days gives the one-pass result');
SELECT is((SELECT roi_numeric_final(pg_temp.roi_merge(s))::text
             FROM (SELECT pg_temp.roi_state(r, c) AS s FROM aim_days_special GROUP BY day % 6) p),
          (SELECT roi(r, c)::text FROM aim_days_special),
          'merging partial states with NaN and infinities gives the one-pass result');
-- NULL and empty partial states are neutral
SELECT is(roi_numeric_final(roi_numeric_combine(NULL, roi_numeric_accum(NULL, 3, 2))), 0.5,
          'combine(NULL, state) is the state');
SELECT is(roi_numeric_final(roi_numeric_combine(roi_numeric_accum(NULL, 3, 2), NULL)), 0.5,
          'combine(state, NULL) is the state');
SELECT is(roi_numeric_final(roi_numeric_accum(roi_numeric_accum(NULL, 3, 2), NULL, 7)), 0.5,
          'the transition function skips a NULL revenue');
SELECT is(roi_numeric_final(roi_numeric_inv(roi_numeric_accum(roi_numeric_accum(NULL, 1.25, 4.00), 3, 2), 3, 2))::text,
          ((1.25 - 4.00) / 4.00)::text,
          'the inverse transition function removes a row exactly');
SELECT is(roi_numeric_inv(roi_numeric_accum(roi_numeric_accum(NULL, 3, 2), 1.25, 4), 1.25, 4), NULL,
          'removing the only row of the largest display scale asks for a restart (NULL)');

--------------------------------------------------------------------------
-- roi and roas, float8: equal to the plain float8 expression
--------------------------------------------------------------------------

SELECT pg_temp.near(roi(r::float8, c::float8),
                    (sum(r::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
                     - sum(c::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL))
                    / nullif(sum(c::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0),
                    'roi float8: ' || set)
  FROM aim_sets GROUP BY set ORDER BY set;
SELECT pg_temp.near(roas(r::float8, c::float8),
                    sum(r::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL)
                    / nullif(sum(c::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL), 0),
                    'roas float8: ' || set)
  FROM aim_sets GROUP BY set ORDER BY set;
SELECT is((SELECT roi(r, c) FROM (VALUES (NULL::float8, 1::float8), (2, NULL)) v(r, c)), NULL,
          'roi float8 over no complete pairs is NULL');
SELECT is((SELECT roas(r, c) FROM (VALUES (1::float8, 2::float8), (1, -2)) v(r, c)), NULL,
          'roas float8 with zero total cost is NULL');
SELECT is((SELECT roi(r, c) FROM (VALUES (1e308::float8, 1e-300::float8)) v(r, c) WHERE false), NULL,
          'roi float8 over no rows is NULL');

SELECT is((SELECT count(*)::int
             FROM (SELECT roi(r::float8, c::float8) OVER w AS got, roas(r::float8, c::float8) OVER w AS got2,
                          (sum(r::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w
                           - sum(c::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w)
                          / nullif(sum(c::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w, 0) AS want,
                          sum(r::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w
                          / nullif(sum(c::float8) FILTER (WHERE r IS NOT NULL AND c IS NOT NULL) OVER w, 0) AS want2
                     FROM (SELECT day, round(r, 2) AS r, c FROM aim_days) t
                   WINDOW w AS (ORDER BY day ROWS 6 PRECEDING)) s
            WHERE NOT (got IS NOT DISTINCT FROM want OR abs(got - want) <= 1e-12 * abs(want))
               OR NOT (got2 IS NOT DISTINCT FROM want2 OR abs(got2 - want2) <= 1e-12 * abs(want2))),
          0, 'roi/roas float8 OVER (ROWS 6 PRECEDING) equal the plain float8 expression on every row');
SELECT is((SELECT count(*)::int
             FROM (SELECT campaign, roi(r::float8, c::float8) AS got,
                          (sum(r::float8) - sum(c::float8)) / nullif(sum(c::float8), 0) AS want
                     FROM aim_days WHERE r IS NOT NULL AND c IS NOT NULL
                    GROUP BY campaign) s
            WHERE NOT abs(got - want) <= 1e-12 * abs(want)),
          0, 'roi float8 per campaign equals the plain float8 expression');
SELECT pg_temp.near(roi8, want, 'merging float8 partial states gives the one-pass result')
  FROM (SELECT roi_float8_final(pg_temp.roi8_merge(s)) AS roi8
          FROM (SELECT pg_temp.roi8_state(r::float8, c::float8) AS s
                  FROM aim_days GROUP BY day % 4) p) m,
       (SELECT roi(r::float8, c::float8) AS want FROM aim_days) o;

SELECT * FROM finish();
ROLLBACK;
