--
-- logistic_fit, logistic_summary, roc_auc: against scikit-learn and numpy
-- (test/ref/logistic_ref.py; figures in test/data/logistic_ref.csv)
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

CREATE TABLE ref (case_name text, term text, value float8);
\copy ref FROM 'test/data/logistic_ref.csv' WITH (FORMAT csv, HEADER true)
-- reference values of a case, in term order
CREATE FUNCTION pg_temp.ref(c text) RETURNS float8[] LANGUAGE sql AS
  $$ SELECT array_agg(value ORDER BY ordinality) FROM
       (SELECT value, row_number() OVER () AS ordinality FROM ref WHERE case_name = c) s $$;
-- largest relative difference of two vectors
CREATE FUNCTION pg_temp.maxrel(a float8[], b float8[]) RETURNS float8 LANGUAGE sql AS
  $$ SELECT max(abs(x - y) / abs(y)) FROM unnest(a, b) u(x, y) $$;

-- a small synthetic set: 200 rows, 3 features
CREATE TABLE small (x1 float8, x2 float8, x3 float8, y boolean);
\copy small FROM 'test/data/logit_small.csv' WITH (FORMAT csv, HEADER true)

SELECT pg_temp.maxrel(logistic_fit(ARRAY[x1, x2, x3], y), pg_temp.ref('small_none')) < 1e-6
         AS matches_sklearn_unpenalised,
       pg_temp.maxrel(logistic_fit(ARRAY[x1, x2, x3], y, 2.0), pg_temp.ref('small_c05')) < 1e-6
         AS matches_sklearn_c_0_5
  FROM small;

-- the summary: standard errors, z and p-values from the closed-form inverse
-- Hessian (numpy), and the log-likelihood
WITH s AS (SELECT logistic_summary(ARRAY[x1, x2, x3], y) AS j FROM small),
t AS (SELECT array_agg((e->>'std_error')::float8 ORDER BY o) se,
             array_agg((e->>'z')::float8 ORDER BY o) z,
             array_agg((e->>'p_value')::float8 ORDER BY o) p,
             array_agg(e->>'term' ORDER BY o) terms,
             array_agg(abs(ln((e->>'odds_ratio')::float8) - (e->>'coefficient')::float8) < 1e-12 ORDER BY o) odds_ok
        FROM s, jsonb_array_elements(j->'terms') WITH ORDINALITY a(e, o))
SELECT terms, pg_temp.maxrel(se, pg_temp.ref('small_se')) < 1e-6 AS se_ok,
       pg_temp.maxrel(z, pg_temp.ref('small_z')) < 1e-6 AS z_ok,
       pg_temp.maxrel(p, pg_temp.ref('small_p')) < 1e-5 AS p_ok,
       odds_ok,
       abs((j->>'log_likelihood')::float8 - (pg_temp.ref('small_ll'))[1]) < 1e-8 AS loglik_ok,
       abs((j->>'aic')::float8 - (8 - 2 * (pg_temp.ref('small_ll'))[1])) < 1e-8 AS aic_ok,
       j->'n' AS n, j->'converged' AS converged, (j->>'iterations')::int < 15 AS few_iterations
  FROM s, t;

-- deterministic: same coefficients, bit for bit, whatever the row order
SELECT (SELECT logistic_fit(ARRAY[x1, x2, x3], y) FROM (SELECT * FROM small ORDER BY x1) s) =
       (SELECT logistic_fit(ARRAY[x1, x2, x3], y) FROM (SELECT * FROM small ORDER BY x2 DESC) s)
       AS order_independent;

-- NULL features or labels are skipped
SELECT (SELECT logistic_fit(ARRAY[x1, x2, x3], y) FROM small) =
       (SELECT logistic_fit(f, l) FROM (SELECT ARRAY[x1, x2, x3] f, y l FROM small
                                        UNION ALL SELECT NULL, true
                                        UNION ALL SELECT '{1,2,3}', NULL) s)
       AS nulls_skipped;

-- an intercept-only model: the log-odds of the positive rate
SELECT abs(b[1] - ln(avg(y::int) / (1 - avg(y::int)))) < 1e-12 AS intercept_only
  FROM (SELECT logistic_fit('{}'::float8[], y) AS b FROM small) m, small
 GROUP BY b;

-- churn_score with the fitted coefficients, and roc_auc
SELECT round(roc_auc(churn_score(ARRAY[x1, x2, x3], m.b), y)::numeric, 6) AS train_auc
  FROM small, (SELECT logistic_fit(ARRAY[x1, x2, x3], y) AS b FROM small) m;

-- the churn recipe of the README on the bundled Online Retail orders
CREATE TABLE order_lines (invoice text, stock_code text, description text,
                          quantity int, invoice_date timestamp,
                          unit_price numeric, customer_id numeric, country text);
\copy order_lines FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE VIEW clean_lines AS
SELECT customer_id::int AS customer_id, invoice, invoice_date, quantity * unit_price AS amount
  FROM order_lines
 WHERE customer_id IS NOT NULL AND invoice !~ '^[CA]' AND quantity > 0 AND unit_price > 0;
CREATE FUNCTION churn_features(cutoff date, horizon int)
RETURNS TABLE (customer_id int, features float8[], churned boolean)
LANGUAGE sql STABLE AS $$
  WITH past AS (
    SELECT customer_id, min(invoice_date)::date AS first_order,
           max(invoice_date)::date AS last_order,
           count(DISTINCT invoice) AS orders, sum(amount)::float8 AS spend
      FROM clean_lines WHERE invoice_date < cutoff GROUP BY customer_id
  ), future AS (
    SELECT DISTINCT customer_id FROM clean_lines
     WHERE invoice_date >= cutoff AND invoice_date < cutoff + horizon
  )
  SELECT p.customer_id,
         ARRAY[ln(1 + (cutoff - p.last_order)), ln(1 + p.orders), ln(1 + p.spend),
               ln(1 + (cutoff - p.first_order)), ln(1 + p.spend / p.orders)],
         f.customer_id IS NULL
    FROM past p LEFT JOIN future f USING (customer_id)
$$;
CREATE TABLE churn_model AS
SELECT logistic_fit(features, churned) AS b, logistic_summary(features, churned) AS s
  FROM churn_features('2011-06-01', 90);
SELECT pg_temp.maxrel(b, pg_temp.ref('churn_none')) < 1e-6 AS coefficients_match_sklearn,
       (s->>'n')::int = (pg_temp.ref('churn_ll'))[2] AS n_ok,
       (s->>'positives')::int = (pg_temp.ref('churn_ll'))[3] AS positives_ok,
       abs((s->>'log_likelihood')::float8 - (pg_temp.ref('churn_ll'))[1]) < 1e-6 AS loglik_ok,
       pg_temp.maxrel(ARRAY(SELECT (e->>'std_error')::float8
                              FROM jsonb_array_elements(s->'terms') e), pg_temp.ref('churn_se')) < 1e-6 AS se_ok,
       pg_temp.maxrel(ARRAY(SELECT (e->>'p_value')::float8
                              FROM jsonb_array_elements(s->'terms') e), pg_temp.ref('churn_p')) < 1e-6 AS p_ok
  FROM churn_model;
-- scored on the next period, the held-out AUC equals scikit-learn's
SELECT count(*) = (pg_temp.ref('churn_auc'))[2] AS n_ok,
       abs(roc_auc(churn_score(f.features, m.b), f.churned) - (pg_temp.ref('churn_auc'))[1]) < 1e-9 AS auc_matches_sklearn,
       roc_auc(churn_score(f.features, m.b), f.churned) > 0.5 AS better_than_chance
  FROM churn_features('2011-09-01', 90) f, churn_model m;

-- roc_auc with heavy ties equals scikit-learn's roc_auc_score
CREATE TABLE auc_ties (score float8, label boolean);
\copy auc_ties FROM 'test/data/auc_ties.csv' WITH (FORMAT csv, HEADER true)
SELECT count(DISTINCT score) AS distinct_scores, count(*) AS rows,
       abs(roc_auc(score, label) - (pg_temp.ref('auc_ties'))[1]) < 1e-12 AS auc_matches_sklearn
  FROM auc_ties;

-- roc_auc by hand: 4 positive/negative pairs, 3 ordered right, 1 tie
SELECT roc_auc(s, l) AS auc FROM (VALUES (0.1, false), (0.5, false), (0.5, true), (0.9, true)) v(s, l);
SELECT roc_auc(s, l) AS perfect, roc_auc(-s, l) AS reversed
  FROM (VALUES (1, false), (2, false), (3, true)) v(s, l);
SELECT roc_auc(s, l) AS with_infinities
  FROM (VALUES ('-Infinity'::float8, false), (0, true), ('Infinity', true), (-1, false)) v(s, l);
SELECT roc_auc(s, l) IS NULL AS one_class FROM (VALUES (1, true), (2, true)) v(s, l);
SELECT roc_auc(s, l) IS NULL AS no_rows FROM (VALUES (1, true)) v(s, l) WHERE false;
SELECT roc_auc(s, l) AS nulls_skipped
  FROM (VALUES (1, false), (2, true), (NULL, false), (0.5, NULL)) v(s, l);

-- parallel: same model and AUC as serial
CREATE TABLE logit_par AS
SELECT ARRAY[sin(i), cos(i * 0.7), (i % 11) / 5.0]::float8[] AS f,
       (sin(i * 1.3) + 0.8 * sin(i) - 0.3 * cos(i * 0.7)) > 0.1 AS y
  FROM generate_series(1, 40000) i;
ANALYZE logit_par;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_fit AS
SELECT logistic_fit(f, y) AS b, roc_auc(f[1] + f[2], y) AS auc FROM logit_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT logistic_fit(f, y), roc_auc(f[1] + f[2], y) FROM logit_par;
SELECT s.b = p.b AS same_coefficients, s.auc = p.auc AS same_auc
  FROM serial_fit s, (SELECT logistic_fit(f, y) AS b, roc_auc(f[1] + f[2], y) AS auc FROM logit_par) p;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- bad data and bad input
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x], true) FROM generate_series(-5, 5) x$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x, 2 * x], x % 3 = 0) FROM generate_series(-5, 5) x$$);
-- with an L2 penalty, separable data and redundant features have a fit
SELECT array_length(logistic_fit(ARRAY[x], x > 0, 1.0), 1) AS separable_with_l2,
       array_length(logistic_fit(ARRAY[x, 2 * x], x % 3 = 0, 0.1), 1) AS collinear_with_l2
  FROM generate_series(-5, 5) x;
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1, x2, x3], y, 0, 2) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1, 'NaN'], y) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1, 'Infinity'], y) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(CASE WHEN x1 > 0 THEN ARRAY[x1] ELSE ARRAY[x1, x2] END, y) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[[x1, x2]], y) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1, NULL], y) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1], y, -1) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1], y, 'NaN') FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1], y, NULL) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1], y, 0, 0) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[x1], y, x3) FROM small$$);
SELECT pg_temp.try($$SELECT logistic_fit(array_fill(1.0::float8, ARRAY[1001]), y) FROM small$$);
SELECT pg_temp.try($$SELECT roc_auc('NaN', true)$$);
SELECT logistic_fit(ARRAY[x1], y) IS NULL AS no_rows FROM small WHERE false;

DROP FUNCTION churn_features(date, int);
DROP TABLE ref, small, order_lines, churn_model, auc_ties, logit_par CASCADE;
