--
-- linear_fit, linear_summary, linear_predict: against the exact
-- least-squares solution, statsmodels and scikit-learn
-- (test/ref/linear_ref.py; figures in test/data/linear_ref.csv)
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

CREATE TABLE lin_pts (set text, id int, f float8[], y float8);
\copy lin_pts FROM 'test/data/linear_pts.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE lin_ref (case_name text, term text, field text, value float8);
\copy lin_ref FROM 'test/data/linear_ref.csv' WITH (FORMAT csv, HEADER true)
-- the reference terms of a case, and one field of them in term order
CREATE FUNCTION pg_temp.names(c text) RETURNS text[] LANGUAGE sql AS
  $$ SELECT array_agg(term ORDER BY o) FROM
       (SELECT term, row_number() OVER () AS o FROM lin_ref
         WHERE case_name = c AND field = 'coefficient') s WHERE term <> 'intercept' $$;
CREATE FUNCTION pg_temp.ref(c text, fld text) RETURNS float8 LANGUAGE sql AS
  $$ SELECT value FROM lin_ref WHERE case_name = c AND field = fld AND term IS NULL $$;
CREATE FUNCTION pg_temp.ref(c text, t text, fld text) RETURNS float8 LANGUAGE sql AS
  $$ SELECT value FROM lin_ref WHERE case_name = c AND field = fld AND term = t $$;
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8 LANGUAGE sql AS
  $$ SELECT CASE WHEN a = b THEN 0 ELSE abs(a - b) / abs(b) END $$;

-- The worst relative difference of each field of a summary s from the
-- reference (prefix '' for the exact solution, 'sm_' for statsmodels').
-- A p-value moves t^2 times as much as t does (relative), so its
-- difference is divided by max(1, t^2).
CREATE FUNCTION pg_temp.compare(c text, s jsonb, prefix text DEFAULT '')
RETURNS TABLE (field text, worst float8) LANGUAGE sql AS $$
  SELECT k, max(pg_temp.rel((e->>k)::float8, pg_temp.ref(c, e->>'term', prefix || k)) /
                CASE WHEN k = 'p_value' THEN greatest(1, ((e->>'t')::float8) ^ 2) ELSE 1 END)
    FROM jsonb_array_elements(s->'terms') e,
         unnest(ARRAY['coefficient', 'std_error', 't', 'p_value']) k
   WHERE pg_temp.ref(c, e->>'term', prefix || k) <> 0
   GROUP BY k
  UNION ALL
  SELECT k, pg_temp.rel((s->>k)::float8, pg_temp.ref(c, prefix || k)) /
            CASE WHEN k = 'f_p_value' THEN greatest(1, (s->>'f_statistic')::float8) ELSE 1 END
    FROM unnest(ARRAY['r_squared', 'adj_r_squared', 'f_statistic', 'f_p_value',
                      'log_likelihood', 'aic', 'bic', 'condition_number']) k
   WHERE pg_temp.ref(c, prefix || k) <> 0
$$;

CREATE TABLE lin_summary AS
SELECT set, linear_summary(f, y, 0, pg_temp.names(set)) AS s, linear_fit(f, y) AS b
  FROM lin_pts GROUP BY set;

-- every field within 1e-10 of the exact solution on 'small' (300 rows) and
-- 'ill' (statsmodels' condition number 2e11: a timestamp-sized feature,
-- cents, two nearly collinear features); 1e-8 on 'harsh' (ten times
-- closer to collinear, condition number 6e11)
SELECT l.set, c.field, c.worst < CASE l.set WHEN 'harsh' THEN 1e-8 ELSE 1e-10 END AS within
  FROM lin_summary l, pg_temp.compare(l.set, l.s) c
 ORDER BY 1, 2;
-- statsmodels itself on the same sets: the same tolerance
SELECT l.set, bool_and(c.worst < CASE l.set WHEN 'harsh' THEN 1e-8 ELSE 1e-10 END) AS all_within
  FROM lin_summary l, pg_temp.compare(l.set, l.s, 'sm_') c
 GROUP BY 1 ORDER BY 1;
-- n, degrees of freedom, term names; linear_fit is the summary's coefficients
SELECT set, s->'n' AS n, s->'df_model' AS df_model, s->'df_resid' AS df_resid,
       ARRAY(SELECT e->>'term' FROM jsonb_array_elements(s->'terms') e) AS terms,
       b = ARRAY(SELECT (e->>'coefficient')::float8 FROM jsonb_array_elements(s->'terms') e)
         AS fit_equals_summary
  FROM lin_summary ORDER BY set;

-- ridge: scikit-learn's Ridge(alpha = l2)
SELECT set, l2,
       (SELECT max(pg_temp.rel(b[o], pg_temp.ref(set, t, 'ridge_' || l2)))
          FROM unnest(ARRAY['intercept'] || pg_temp.names(set)) WITH ORDINALITY u(t, o)) < 1e-10
         AS coefficients_match,
       pg_temp.rel((s->>'r_squared')::float8, pg_temp.ref(set, 'ridge_' || l2 || '_r2')) < 1e-10
         AS r_squared_matches
  FROM (SELECT set, l2, linear_fit(f, y, l2) AS b, linear_summary(f, y, l2) AS s
          FROM lin_pts, (VALUES (0.5::float8), (10)) v(l2) WHERE set = 'small'
         GROUP BY set, l2) m
 ORDER BY l2;
-- with l2 > 0 the fields without a ridge definition are null
SELECT jsonb_strip_nulls(linear_summary(f, y, 0.5) - 'terms') AS model,
       jsonb_strip_nulls(linear_summary(f, y, 0.5)->'terms'->1) - 'coefficient' AS term
  FROM lin_pts WHERE set = 'small';

-- linear_predict: residuals sum to zero, and R^2 from the predictions
SELECT abs(sum(y - linear_predict(f, b))) < 1e-9 AS residuals_sum_to_zero,
       pg_temp.rel(1 - sum((y - linear_predict(f, b)) ^ 2) / (var_pop(y) * count(*)),
                   pg_temp.ref('small', 'r_squared')) < 1e-12 AS r_squared_ok
  FROM lin_pts, (SELECT b FROM lin_summary WHERE set = 'small') m
 WHERE set = 'small';

-- the customer regression of the bundled orders: log1p of the revenue of
-- the 90 days after 2011-06-01 from the churn recipe's RFM features
CREATE TABLE order_lines (invoice text, stock_code text, description text,
                          quantity int, invoice_date timestamp,
                          unit_price numeric, customer_id numeric, country text);
\copy order_lines FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE TABLE customer_value AS
WITH clean AS (
  SELECT customer_id::int AS customer_id, invoice, invoice_date, quantity * unit_price AS amount
    FROM order_lines
   WHERE customer_id IS NOT NULL AND invoice !~ '^[CA]' AND quantity > 0 AND unit_price > 0
), past AS (
  SELECT customer_id, min(invoice_date)::date AS first_order, max(invoice_date)::date AS last_order,
         count(DISTINCT invoice) AS orders, sum(amount)::float8 AS spend
    FROM clean WHERE invoice_date < '2011-06-01' GROUP BY customer_id
), future AS (
  SELECT customer_id, sum(amount)::float8 AS revenue
    FROM clean WHERE invoice_date >= '2011-06-01' AND invoice_date < '2011-08-30'
   GROUP BY customer_id
)
SELECT p.customer_id,
       ARRAY[ln(1 + ('2011-06-01' - p.last_order)), ln(1 + p.orders), ln(1 + p.spend),
             ln(1 + ('2011-06-01' - p.first_order)), ln(1 + p.spend / p.orders)] AS features,
       ln(1 + coalesce(f.revenue, 0)) AS log_revenue
  FROM past p LEFT JOIN future f USING (customer_id);
CREATE TABLE customer_model AS
SELECT linear_summary(features, log_revenue, 0, pg_temp.names('customers')) AS s,
       linear_fit(features, log_revenue, 5) AS ridge
  FROM customer_value;
SELECT c.field, c.worst < 1e-10 AS within
  FROM customer_model m, pg_temp.compare('customers', m.s) c ORDER BY 1;
SELECT s->'n' AS n, round((s->>'r_squared')::numeric, 4) AS r_squared,
       (SELECT max(pg_temp.rel(ridge[o], pg_temp.ref('customers', t, 'ridge_5')))
          FROM unnest(ARRAY['intercept'] || pg_temp.names('customers')) WITH ORDINALITY u(t, o)) < 1e-10
         AS ridge_matches_sklearn
  FROM customer_model;
SELECT e->>'term' AS term, round((e->>'coefficient')::numeric, 4) AS coef,
       round((e->>'std_error')::numeric, 4) AS se, round((e->>'t')::numeric, 2) AS t,
       round((e->>'p_value')::numeric, 4) AS p
  FROM customer_model, jsonb_array_elements(s->'terms') e;

-- parallel: Partial and Finalize Aggregate; within 1e-12 of the serial fit
CREATE TABLE lin_par AS
SELECT ARRAY[sin(i), cos(i * 0.7), (i % 11) / 5.0, 1e6 + i % 1000]::float8[] AS f,
       3 + 2 * sin(i) - cos(i * 0.7) + 0.3 * ((i % 11) / 5.0) + 0.01 * (i % 1000) + sin(i * 1.3) AS y,
       i % 3 AS g
  FROM generate_series(1, 200000) i;
ANALYZE lin_par;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_fit AS
SELECT g, linear_fit(f, y) AS b, linear_summary(f, y) AS s FROM lin_par GROUP BY ROLLUP (g);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT linear_fit(f, y), linear_summary(f, y) FROM lin_par;
CREATE TEMP TABLE parallel_fit AS
SELECT g, linear_fit(f, y) AS b, linear_summary(f, y) AS s FROM lin_par GROUP BY ROLLUP (g);
SELECT s.g, (SELECT max(pg_temp.rel(x, z)) FROM unnest(p.b, s.b) u(x, z)) < 1e-12 AS same_coefficients,
       pg_temp.rel((p.s->>'r_squared')::float8, (s.s->>'r_squared')::float8) < 1e-12 AS same_r_squared,
       (SELECT max(pg_temp.rel((e->>'std_error')::float8, (o->>'std_error')::float8))
          FROM jsonb_array_elements(p.s->'terms') WITH ORDINALITY a(e, i)
          JOIN jsonb_array_elements(s.s->'terms') WITH ORDINALITY c(o, j) ON i = j) < 1e-12 AS same_std_errors
  FROM serial_fit s JOIN parallel_fit p ON s.g IS NOT DISTINCT FROM p.g ORDER BY s.g;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- NULL rows are skipped (features or y); no rows, or only NULL rows: NULL
SELECT (SELECT linear_fit(f, y) FROM lin_pts WHERE set = 'small') =
       (SELECT linear_fit(f, y) FROM (SELECT f, y FROM lin_pts WHERE set = 'small'
                                      UNION ALL SELECT NULL, 1
                                      UNION ALL SELECT '{1,2,3}', NULL) s) AS nulls_skipped;
SELECT linear_fit(f, y) IS NULL AS no_rows, linear_summary(f, y) IS NULL AS no_rows_summary
  FROM lin_pts WHERE false;
SELECT linear_fit(f, y) AS only_null_rows
  FROM (VALUES (NULL::float8[], 1::float8), ('{1}', NULL)) v(f, y);

-- small models by hand: the intercept-only model is the mean; a line
-- through two points; an exact fit has no standard errors
SELECT linear_fit('{}'::float8[], y) AS mean_only FROM (VALUES (1), (2), (6)) v(y);
SELECT linear_fit(ARRAY[x], 3 - 2 * x) AS exact_line FROM generate_series(0, 1) x;
SELECT s->'df_resid' AS df_resid, s->'terms'->1->'std_error' AS std_error,
       s->'r_squared' AS r_squared
  FROM (SELECT linear_summary(ARRAY[x], 3 - 2 * x) AS s FROM generate_series(0, 1) x) m;
-- a constant feature or a collinear one is singular (22000, with a hint);
-- with an L2 penalty both have a fit
SELECT pg_temp.try_hint($$SELECT linear_fit(ARRAY[x, 5], x) FROM generate_series(1, 10) x$$);
SELECT pg_temp.try_hint($$SELECT linear_fit(ARRAY[x, x * x, 2 * x + 1], x % 3) FROM generate_series(1, 10) x$$);
SELECT pg_temp.try($$SELECT linear_fit(ARRAY[x, x * x, x ^ 3], x % 3) FROM generate_series(1, 3) x$$);
SELECT linear_fit(ARRAY[x, 5], x, 1) AS constant_with_l2,
       array_length(linear_fit(ARRAY[x, 2 * x], x % 3, 0.1), 1) AS collinear_with_l2
  FROM generate_series(1, 10) x;

-- bad input
SELECT pg_temp.try($$SELECT linear_fit(CASE WHEN y > 0 THEN f ELSE f[1:2] END, y) FROM lin_pts WHERE set = 'small'$$);
SELECT pg_temp.try($$SELECT linear_fit(ARRAY[f[1], 'NaN'], y) FROM lin_pts$$);
SELECT pg_temp.try($$SELECT linear_fit(f, 'Infinity') FROM lin_pts$$);
SELECT pg_temp.try($$SELECT linear_fit(ARRAY[[1, 2]]::float8[], 1)$$);
SELECT pg_temp.try($$SELECT linear_fit(ARRAY[1, NULL]::float8[], 1)$$);
SELECT pg_temp.try($$SELECT linear_fit(f, y, -1) FROM lin_pts$$);
SELECT pg_temp.try($$SELECT linear_fit(f, y, 'Infinity') FROM lin_pts$$);
SELECT pg_temp.try($$SELECT linear_fit(f, y, NULL) FROM lin_pts$$);
SELECT pg_temp.try($$SELECT linear_fit(f, y, id) FROM lin_pts$$);
SELECT pg_temp.try($$SELECT linear_fit(array_fill(1.0::float8, ARRAY[1001]), 1)$$);
SELECT pg_temp.try($$SELECT linear_summary(f, y, 0, ARRAY['a']) FROM lin_pts WHERE set = 'small'$$);
SELECT pg_temp.try($$SELECT linear_summary(f, y, 0, ARRAY['a', NULL, 'c']) FROM lin_pts WHERE set = 'small'$$);
SELECT pg_temp.try($$SELECT linear_summary(f, y, 0, NULL) FROM lin_pts WHERE set = 'small'$$);
SELECT pg_temp.try($$SELECT linear_summary(f, y, 0, ARRAY['a', 'b', id::text]) FROM lin_pts WHERE set = 'small'$$);
SELECT pg_temp.try($$SELECT linear_predict('{1,2}', '{1,2}')$$);
-- states made by hand
SELECT pg_temp.try($$SELECT linear_final('{1,2,3}')$$);
SELECT pg_temp.try($$SELECT linear_final('{5}')$$);
SELECT pg_temp.try($$SELECT linear_combine('{0}', '{1,0,0,0,1}')$$);
SELECT pg_temp.try($$SELECT linear_combine('{1,1,0,0,1,0,0,0,0,0,1,2,0,0,0}', '{1,0,0,0,1,0,0,1,0}')$$);
SELECT linear_final('{0}') IS NULL AS empty_state;
-- the support functions called directly build new arrays
SELECT linear_final(linear_combine(linear_accum('{0}', '{1}', 2), linear_accum(linear_accum('{0}', '{2}', 3), '{4}', 7)))
       AS by_hand;

DROP TABLE lin_pts, lin_ref, lin_summary, order_lines, customer_value, customer_model, lin_par;
