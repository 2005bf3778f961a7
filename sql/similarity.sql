--
-- cosine_sim and pearson_sim
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

-- reference values: cos = 32 / (sqrt(14) * sqrt(77)) = 0.974631846197...
-- pearson of (1,2,3) and (2,4,7): 5/sqrt(2*(38/3)*...) computed by hand below
SELECT cosine_sim('{1,2,3}', '{4,5,6}') AS cos,
       32 / (sqrt(14) * sqrt(77)) AS cos_by_hand;
SELECT pearson_sim('{1,2,3}', '{2,4,7}') AS r,
       corr(x, y) AS r_core
  FROM unnest('{1,2,3}'::float8[], '{2,4,7}'::float8[]) u(x, y);

-- exact limits: parallel, anti-parallel, orthogonal
SELECT cosine_sim('{1,2,3}', '{2,4,6}') AS parallel,
       cosine_sim('{1,2,3}', '{-3,-6,-9}') AS antiparallel,
       cosine_sim('{1,0}', '{0,5}') AS orthogonal;
SELECT pearson_sim('{1,2,3,4}', '{10,20,30,40}') AS plus_one,
       pearson_sim('{1,2,3,4}', '{4,3,2,1}') AS minus_one;

-- integer and real arrays reach float8[] through implicit casts
SELECT cosine_sim(ARRAY[1,2,3], ARRAY[4,5,6]) AS from_int,
       round(cosine_sim(ARRAY[1.5,2.5]::real[], ARRAY[2.5,1.5]::real[])::numeric, 12) AS from_real;

-- lower bounds do not matter, only the elements
SELECT cosine_sim('[0:2]={1,2,3}', '{4,5,6}') = cosine_sim('{1,2,3}', '{4,5,6}') AS lbound_ignored;

-- magnitudes where naive sums of squares overflow or underflow
SELECT cosine_sim('{1e200,2e200}', '{2e200,4e200}') AS huge,
       cosine_sim('{1e-200,2e-200}', '{3e-200,-1e-200}') AS tiny_orthogonal,
       round(cosine_sim('{1e-200,1e-200}', '{1e-200,0}')::numeric, 12) AS tiny_45deg,
       round(pearson_sim('{1e200,2e200,4e200}', '{1,2,4}')::numeric, 12) AS huge_pearson,
       round(pearson_sim('{1e-300,2e-300,4e-300}', '{1,2,4}')::numeric, 12) AS tiny_pearson;

-- subnormal magnitudes; a vector with itself is exactly 1
SELECT cosine_sim('{5e-324,0}', '{1,0}') AS subnormal,
       round(pearson_sim('{1e-310,2e-310,4e-310}', '{1,2,4}')::numeric, 12) AS subnormal_pearson,
       cosine_sim('{0.1,0.7,0.3}', '{0.1,0.7,0.3}') AS self_cos,
       pearson_sim('{0.1,0.7,0.3}', '{0.1,0.7,0.3}') AS self_pearson,
       pearson_sim('{1,2}', '{3,5}') AS two_points;

-- undefined cases give NULL (as corr() does)
SELECT cosine_sim('{0,0,0}', '{1,2,3}') IS NULL AS zero_vector,
       pearson_sim('{1,1,1}', '{1,2,3}') IS NULL AS constant,
       pearson_sim('{0.1,0.1,0.1,0.1,0.1}', '{1,2,3,4,5}') IS NULL AS constant_inexact,
       pearson_sim('{5}', '{7}') IS NULL AS one_element,
       pearson_sim('{}', '{}') IS NULL AS empty;

-- STRICT: NULL arguments give NULL
SELECT cosine_sim(NULL, '{1}') IS NULL AS n1, pearson_sim('{1,2}', NULL) IS NULL AS n2;

-- a pairwise similarity matrix, the way an analyst uses it
CREATE TEMP TABLE item_vec (item text, v float8[]);
INSERT INTO item_vec VALUES
  ('mug',    '{5,0,3,0,1}'),
  ('teapot', '{4,0,4,0,0}'),
  ('candle', '{0,6,0,2,0}');
SELECT a.item, b.item AS other, round(cosine_sim(a.v, b.v)::numeric, 6) AS cos,
       round(pearson_sim(a.v, b.v)::numeric, 6) AS pearson
  FROM item_vec a JOIN item_vec b ON a.item < b.item
 ORDER BY a.item, b.item;

-- errors
SELECT pg_temp.try($$SELECT pearson_sim('{1,2}', '{1,2,3,4}')$$);
SELECT pg_temp.try($$SELECT pearson_sim('{1,2}', '{{1},{2}}')$$);
SELECT pg_temp.try($$SELECT cosine_sim('{1,NaN}', '{1,2}')$$);
SELECT pg_temp.try($$SELECT cosine_sim('{1,2}', '{Infinity,2}')$$);
SELECT pg_temp.try($$SELECT cosine_sim('[0:1]={1,NaN}', '{1,2}')$$);
