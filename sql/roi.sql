--
-- roi and roas
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

CREATE TEMP TABLE spend (campaign text, channel text, day int,
                         revenue numeric, cost numeric);
INSERT INTO spend VALUES
  ('spring', 'email',  1, 120.50,   40.25),
  ('spring', 'email',  2,  80.125,  40.25),
  ('spring', 'search', 1, 300,     150.0001),
  ('spring', 'search', 2, NULL,     20),      -- no revenue: skipped
  ('summer', 'email',  1,  10,      NULL),    -- no cost: skipped
  ('summer', 'search', 1,   0,      35.5),
  ('summer', 'search', 2,  90.99,   35.5),
  ('winter', 'email',  1,  50,       0),      -- zero total cost
  ('autumn', 'email',  1, NULL,     NULL);

-- exact numeric: equal to the plain-SQL formula over the same rows
SELECT campaign, roi(revenue, cost), roas(revenue, cost),
       (sum(revenue) - sum(cost)) / nullif(sum(cost), 0) AS plain_roi
  FROM spend WHERE revenue IS NOT NULL AND cost IS NOT NULL OR campaign = 'autumn'
 GROUP BY campaign ORDER BY campaign;

-- NULL-pair rows are skipped: same as filtering them out
SELECT roi(revenue, cost) =
       (SELECT (sum(revenue) - sum(cost)) / sum(cost) FROM spend
         WHERE revenue IS NOT NULL AND cost IS NOT NULL) AS skip_nulls
  FROM spend;

-- no rows, only NULL rows, zero cost: NULL
SELECT roi(revenue, cost) IS NULL AS no_rows FROM spend WHERE false;
SELECT roi(revenue, cost) IS NULL AS null_rows FROM spend WHERE campaign = 'autumn';
SELECT roi(revenue, cost) IS NULL AS zero_cost, roas(revenue, cost) IS NULL AS zero_cost_roas
  FROM spend WHERE campaign = 'winter';
-- costs that cancel out to zero
SELECT roi(r, c) IS NULL AS cancelled FROM (VALUES (1.0, 5.25), (2.0, -5.25)) v(r, c);

-- many decimals, exact, and the result's scale is that of the plain formula
SELECT roi(r, c), (sum(r) - sum(c)) / sum(c) AS plain
  FROM (VALUES (0.1, 0.3), (0.2, 0.000000000000000000000000000001),
               (1234567890.123456789, 98765.4321)) v(r, c);

-- beyond 128-bit integers: 50 digits, 1e-60, 1e40 (the overflow path)
SELECT roi(r, c) = (sum(r) - sum(c)) / sum(c) AS exact_big,
       roas(r, c)::text = (sum(r) / sum(c))::text AS same_text
  FROM (VALUES (12345678901234567890123456789012345678901234567890, 3.5),
               (1e-60, 1e40), (170141183460469231731687303715884105727, 1),
               (170141183460469231731687303715884105727, 1)) v(r, c);

-- NaN and infinities follow numeric arithmetic
SELECT roi(r, c) AS nan_rev FROM (VALUES ('NaN'::numeric, 1.0)) v(r, c);
SELECT roi(r, c) AS inf_rev, roas(r, c) AS inf_roas
  FROM (VALUES ('Infinity'::numeric, 2.0), (1, 1)) v(r, c);
SELECT roi(r, c) AS inf_cost FROM (VALUES (5.0, 'Infinity'::numeric)) v(r, c);

-- float8 flavour
SELECT roi(revenue::float8, cost::float8) AS roi_f8,
       roas(revenue::float8, cost::float8) AS roas_f8,
       (sum(revenue::float8) - sum(cost::float8)) / sum(cost::float8) AS plain_f8
  FROM spend WHERE campaign = 'spring'
   AND revenue IS NOT NULL AND cost IS NOT NULL;
SELECT roi(r, c) IS NULL AS f8_zero_cost FROM (VALUES (1.0::float8, 0.0::float8)) v(r, c);
SELECT roi(r, c) AS f8_nan FROM (VALUES ('NaN'::float8, 1.0::float8)) v(r, c);
-- overflow from finite inputs is an error, as in sum(float8)
SELECT pg_temp.try($$SELECT roi(r, c) FROM (VALUES (1.7e308::float8, 1::float8), (1.7e308, 1)) v(r, c)$$);

-- FILTER, GROUPING SETS
SELECT roi(revenue, cost) FILTER (WHERE channel = 'email') AS email,
       roi(revenue, cost) FILTER (WHERE channel = 'search') AS search
  FROM spend;
SELECT campaign, channel, roi(revenue, cost), roas(revenue, cost)
  FROM spend WHERE campaign IN ('spring', 'summer')
 GROUP BY GROUPING SETS ((campaign, channel), (campaign), ())
 ORDER BY campaign NULLS LAST, channel NULLS LAST;

-- window functions: running and moving frames, checked row by row against
-- plain SQL over the same frame (the numeric flavour uses its exact
-- inverse transition; scales vary so the display-scale bookkeeping and its
-- restart are exercised too)
CREATE TEMP TABLE daily AS
  SELECT d AS day,
         round((100 + 37 * sin(d))::numeric, (d % 4)) AS revenue,
         round((40 + 11 * cos(d * 1.3))::numeric, (d % 3) + 1) AS cost
    FROM generate_series(1, 200) d;
UPDATE daily SET cost = NULL WHERE day % 17 = 0;
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE w_roi IS DISTINCT FROM p_roi) AS roi_mismatches,
       count(*) FILTER (WHERE w_roi::text IS DISTINCT FROM p_roi::text) AS text_mismatches
  FROM (SELECT roi(revenue, cost) OVER w AS w_roi,
               (sum(revenue) FILTER (WHERE cost IS NOT NULL) OVER w -
                sum(cost) OVER w) / nullif(sum(cost) OVER w, 0) AS p_roi
          FROM daily
        WINDOW w AS (ORDER BY day ROWS 6 PRECEDING)) s;
SELECT day, revenue, cost,
       roi(revenue, cost) OVER w7 AS roi_7d,
       roas(revenue, cost) OVER (ORDER BY day) AS roas_running
  FROM daily WHERE day <= 8
WINDOW w7 AS (ORDER BY day ROWS 6 PRECEDING)
 ORDER BY day;
-- float8 in a moving frame (no inverse: the frame is recomputed)
SELECT count(*) FILTER (WHERE abs(w - p) > 1e-12 * abs(p)) AS f8_mismatches
  FROM (SELECT roi(revenue::float8, cost::float8) OVER w AS w,
               (sum(revenue::float8) FILTER (WHERE cost IS NOT NULL) OVER w -
                sum(cost::float8) OVER w) / sum(cost::float8) OVER w AS p
          FROM daily
        WINDOW w AS (ORDER BY day ROWS 6 PRECEDING)) s;

-- the support functions validate states they did not make
SELECT pg_temp.try($$SELECT roi_float8_final('{1,2}')$$);
SELECT pg_temp.try($$SELECT roi_float8_combine('{1,2,3}', '{{1,2,3}}')$$);
SELECT pg_temp.try($$SELECT roi_numeric_accum('\x31494f52'::bytea, 1, 1)$$);
-- called directly they still compute (no aggregate context)
SELECT roi_float8_final(roi_float8_accum('{0,0,0}', 30, 10)) AS direct_f8,
       roi_numeric_final(roi_numeric_accum(NULL, 30, 10)) AS direct_numeric,
       roas_numeric_final(roi_numeric_combine(roi_numeric_accum(NULL, 30, 10),
                                              roi_numeric_accum(NULL, 3.5, 2))) AS direct_combine;
-- a moving frame that starts on a row with a NULL side
SELECT d, roi(r, c) OVER (ORDER BY d ROWS 2 PRECEDING)
  FROM (VALUES (1, NULL::numeric, 1::numeric), (2, 5, 2), (3, 1.25, NULL),
               (4, 7.5, 2.5)) v(d, r, c)
 ORDER BY d;
