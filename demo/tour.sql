-- demo/tour.sql: a short tour of aimarketing's functions.
-- Runs on any database where the extension can be created; it works in
-- temporary tables only, so it leaves nothing behind.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;

\echo
\echo '== 1. Item-to-item similarity (cosine_sim, pearson_sim) =='
\echo 'Purchase counts of five customers for four products.'
CREATE TEMP TABLE purchases (product text, per_customer float8[]);
INSERT INTO purchases VALUES
  ('espresso cups', '{4,0,2,5,0}'),
  ('coffee beans',  '{5,1,2,4,0}'),
  ('tea towels',    '{0,3,0,0,4}'),
  ('napkins',       '{1,4,0,1,5}');
SELECT a.product, b.product AS also_bought_by_similar_customers,
       round(cosine_sim(a.per_customer, b.per_customer)::numeric, 3) AS cosine,
       round(pearson_sim(a.per_customer, b.per_customer)::numeric, 3) AS pearson
  FROM purchases a JOIN purchases b ON a.product <> b.product
 ORDER BY a.product, cosine DESC;

\echo
\echo '== 2. Segment assignment (kmeans_assign) =='
\echo 'Three segment centroids over (log recency, log frequency, log monetary).'
CREATE TEMP TABLE customers (customer_id int, rfm float8[]);
INSERT INTO customers VALUES
  (1, '{1.1, 3.0, 7.9}'), (2, '{5.2, 0.0, 4.1}'), (3, '{2.9, 1.6, 6.0}'),
  (4, '{0.7, 3.4, 8.3}'), (5, '{5.8, 0.7, 3.6}');
SELECT customer_id, rfm,
       kmeans_assign(rfm, '{{1.0,3.2,8.0},{3.0,1.5,6.0},{5.5,0.3,4.0}}') AS segment
  FROM customers ORDER BY customer_id;

\echo
\echo '== 3. Churn scores (churn_score) =='
\echo 'Coefficients: intercept, then one per feature (days since last order, orders, spend/100).'
SELECT customer_id, features,
       round(churn_score(features, '{-2.0, 0.03, -0.4, -0.05}')::numeric, 3) AS p_churn
  FROM (VALUES (1, '{5, 12, 8.9}'::float8[]), (2, '{190, 1, 0.4}'),
               (3, '{60, 4, 2.5}')) c(customer_id, features)
 ORDER BY p_churn DESC;

\echo
\echo '== 4. Campaign return (roi, roas), exact on numeric money =='
CREATE TEMP TABLE campaign_days (campaign text, day date, revenue numeric(12,2), cost numeric(12,2));
INSERT INTO campaign_days
SELECT c, d::date,
       round((CASE c WHEN 'email' THEN 420 ELSE 900 END
              + 150 * sin(extract(doy FROM d)))::numeric, 2),
       CASE c WHEN 'email' THEN 120.00 ELSE 610.50 END
  FROM unnest(ARRAY['email', 'search']) c,
       generate_series(date '2011-11-01', date '2011-11-14', interval '1 day') d;
SELECT campaign, sum(revenue) AS revenue, sum(cost) AS cost,
       roi(revenue, cost), roas(revenue, cost)
  FROM campaign_days GROUP BY ROLLUP (campaign) ORDER BY campaign NULLS LAST;

\echo 'Seven-day moving ROI of the search campaign (window frame):'
SELECT day, revenue, cost,
       round(roi(revenue, cost) OVER (ORDER BY day ROWS 6 PRECEDING), 4) AS roi_7d
  FROM campaign_days WHERE campaign = 'search' ORDER BY day;
