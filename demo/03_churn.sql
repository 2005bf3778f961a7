-- demo/03_churn.sql: a churn model on the bundled Online Retail orders, as
-- the README's recipe: features as of a cut-off date, churn = no order in
-- the following 90 days, fitted on one period and scored on the next.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
DROP SCHEMA IF EXISTS aim_demo_churn CASCADE;
CREATE SCHEMA aim_demo_churn;
SET search_path = aim_demo_churn, public;

\echo
\echo '== 6. Churn model (logistic_fit, logistic_summary, churn_score, roc_auc) =='
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
SELECT logistic_fit(features, churned) AS coefficients,
       logistic_summary(features, churned) AS summary
  FROM churn_features('2011-06-01', 90);

\echo 'Model fitted on the customers as of 2011-06-01 (churn = no order within 90 days):'
SELECT CASE t->>'term' WHEN 'x1' THEN 'log recency' WHEN 'x2' THEN 'log orders'
                       WHEN 'x3' THEN 'log spend' WHEN 'x4' THEN 'log tenure'
                       WHEN 'x5' THEN 'log avg basket' ELSE t->>'term' END AS term,
       round((t->>'coefficient')::numeric, 4) AS coefficient,
       round((t->>'std_error')::numeric, 4) AS std_error,
       round((t->>'odds_ratio')::numeric, 3) AS odds_ratio,
       to_char((t->>'p_value')::float8, '9.99EEEE') AS p_value
  FROM churn_model, jsonb_array_elements(summary->'terms') t;
SELECT summary->'n' AS customers, summary->'positives' AS churned,
       summary->'iterations' AS iterations,
       round((summary->>'log_likelihood')::numeric, 2) AS log_likelihood,
       round((summary->>'aic')::numeric, 2) AS aic
  FROM churn_model;

\echo 'Held-out: scored as of 2011-09-01, AUC against who actually churned:'
SELECT count(*) AS customers,
       round(roc_auc(churn_score(f.features, m.coefficients), f.churned)::numeric, 4) AS auc
  FROM churn_features('2011-09-01', 90) f, churn_model m;

\echo 'Customers most likely to churn at the end of the data (materialized view):'
CREATE MATERIALIZED VIEW churn_scores AS
SELECT f.customer_id, churn_score(f.features, m.coefficients) AS p_churn
  FROM churn_features('2011-12-10', 0) f, churn_model m;
CREATE UNIQUE INDEX ON churn_scores (customer_id);
SELECT width_bucket(p_churn, 0, 1, 5) AS risk_band,
       round(min(p_churn)::numeric, 2) AS from_p, round(max(p_churn)::numeric, 2) AS to_p,
       count(*) AS customers
  FROM churn_scores GROUP BY 1 ORDER BY 1;

RESET search_path;
DROP SCHEMA aim_demo_churn CASCADE;
