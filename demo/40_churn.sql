-- demo/40_churn.sql: pipeline step 4, churn model and scores.
--
-- Features per customer as of a cut-off day (log1p of recency, orders,
-- spend, tenure, average basket); churned = no order in the following 90
-- days.  Cut-offs are relative to the end of the data, so that each refresh
-- retrains on the latest complete periods:
--   training:   features as of end - 180 days, labels from the next 90 days
--   evaluation: features as of end -  90 days, labels from the last 90 days
--   scoring:    features as of the end, for every customer
--
--   aim_mart.churn_features(cutoff, horizon)  the feature function
--   aim_mart.churn_model       trained_as_of, coefficients, summary (jsonb)
--   aim_mart.churn_evaluation  evaluated_as_of, customers, churned, auc
--   aim_mart.churn_scores      customer_id, p_churn, risk_band
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
CREATE SCHEMA IF NOT EXISTS aim_mart;
DROP FUNCTION IF EXISTS aim_mart.churn_features(date, int) CASCADE;
DROP FUNCTION IF EXISTS aim_mart.data_end() CASCADE;
RESET client_min_messages;

\echo
\echo '== 4. Churn (logistic_fit, logistic_summary, churn_score, roc_auc) =='

-- the day after the last sale
CREATE FUNCTION aim_mart.data_end() RETURNS date
LANGUAGE sql STABLE AS $$ SELECT max(ordered_at)::date + 1 FROM aim_shop.sales $$;
COMMENT ON FUNCTION aim_mart.data_end() IS 'the day after the last sale in aim_shop.sales';

CREATE FUNCTION aim_mart.churn_features(cutoff date, horizon int)
RETURNS TABLE (customer_id int, features float8[], churned boolean)
LANGUAGE sql STABLE AS $$
  WITH past AS (
    SELECT s.customer_id, min(s.ordered_at)::date AS first_order,
           max(s.ordered_at)::date AS last_order,
           count(DISTINCT s.invoice_no) AS orders, sum(s.amount)::float8 AS spend
      FROM aim_shop.sales s
     WHERE s.customer_id IS NOT NULL AND s.ordered_at < cutoff
     GROUP BY s.customer_id
  ), future AS (
    SELECT DISTINCT s.customer_id FROM aim_shop.sales s
     WHERE s.customer_id IS NOT NULL
       AND s.ordered_at >= cutoff AND s.ordered_at < cutoff + horizon
  )
  SELECT p.customer_id,
         ARRAY[ln(1 + (cutoff - p.last_order)), ln(1 + p.orders), ln(1 + p.spend),
               ln(1 + (cutoff - p.first_order)), ln(1 + p.spend / p.orders)],
         f.customer_id IS NULL
    FROM past p LEFT JOIN future f ON f.customer_id = p.customer_id
$$;
COMMENT ON FUNCTION aim_mart.churn_features(date, int) IS
  'churn features of every customer as of cutoff, churned = no order in the next horizon days';

CREATE MATERIALIZED VIEW aim_mart.churn_model AS
SELECT c.cutoff AS trained_as_of,
       logistic_fit(f.features, f.churned) AS coefficients,
       logistic_summary(f.features, f.churned) AS summary
  FROM (SELECT aim_mart.data_end() - 180 AS cutoff OFFSET 0) c   -- OFFSET 0: computed once
 CROSS JOIN LATERAL aim_mart.churn_features(c.cutoff, 90) f
 GROUP BY c.cutoff;
CREATE UNIQUE INDEX ON aim_mart.churn_model (trained_as_of);

CREATE MATERIALIZED VIEW aim_mart.churn_evaluation AS
SELECT c.cutoff AS evaluated_as_of, count(*) AS customers,
       count(*) FILTER (WHERE f.churned) AS churned,
       roc_auc(churn_score(f.features, m.coefficients), f.churned) AS auc
  FROM (SELECT aim_mart.data_end() - 90 AS cutoff OFFSET 0) c
 CROSS JOIN LATERAL aim_mart.churn_features(c.cutoff, 90) f
 CROSS JOIN aim_mart.churn_model m
 GROUP BY c.cutoff;
CREATE UNIQUE INDEX ON aim_mart.churn_evaluation (evaluated_as_of);

CREATE MATERIALIZED VIEW aim_mart.churn_scores AS
SELECT f.customer_id, p.p_churn, width_bucket(p.p_churn, 0, 1, 5) AS risk_band
  FROM (SELECT aim_mart.data_end() AS cutoff OFFSET 0) c
 CROSS JOIN LATERAL aim_mart.churn_features(c.cutoff, 0) f
 CROSS JOIN aim_mart.churn_model m
 CROSS JOIN LATERAL (SELECT churn_score(f.features, m.coefficients) AS p_churn) p;
CREATE UNIQUE INDEX ON aim_mart.churn_scores (customer_id);

COMMENT ON MATERIALIZED VIEW aim_mart.churn_model IS
  'logistic churn model trained as of data_end() - 180 days (90-day horizon)';
COMMENT ON MATERIALIZED VIEW aim_mart.churn_evaluation IS
  'held-out ROC AUC of the churn model as of data_end() - 90 days';
COMMENT ON MATERIALIZED VIEW aim_mart.churn_scores IS
  'churn probability of every customer as of data_end(); risk_band 1 (0-0.2) .. 5 (0.8-1)';

\echo 'Model (features as of the training cut-off, churn = no order within 90 days):'
SELECT CASE t->>'term' WHEN 'x1' THEN 'log recency' WHEN 'x2' THEN 'log orders'
                       WHEN 'x3' THEN 'log spend' WHEN 'x4' THEN 'log tenure'
                       WHEN 'x5' THEN 'log avg basket' ELSE t->>'term' END AS term,
       round((t->>'coefficient')::numeric, 4) AS coefficient,
       round((t->>'std_error')::numeric, 4) AS std_error,
       round((t->>'odds_ratio')::numeric, 3) AS odds_ratio,
       to_char((t->>'p_value')::float8, '9.99EEEE') AS p_value
  FROM aim_mart.churn_model, jsonb_array_elements(summary->'terms') t;
SELECT trained_as_of, summary->'n' AS customers, summary->'positives' AS churned,
       summary->'iterations' AS iterations,
       round((summary->>'log_likelihood')::numeric, 2) AS log_likelihood
  FROM aim_mart.churn_model;

\echo 'Held-out evaluation (scored as of the evaluation cut-off, against who churned):'
SELECT evaluated_as_of, customers, churned, round(auc::numeric, 4) AS auc
  FROM aim_mart.churn_evaluation;

\echo 'Churn risk today, by band:'
SELECT risk_band, round(min(p_churn)::numeric, 2) AS from_p, round(max(p_churn)::numeric, 2) AS to_p,
       count(*) AS customers
  FROM aim_mart.churn_scores GROUP BY risk_band ORDER BY risk_band;
