-- demo/02_segmentation.sql: customer segmentation of the bundled Online
-- Retail orders (data/README.md) with RFM features and k-means, as the
-- README's recipe.  Works in a schema of its own, dropped at the end.
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
DROP SCHEMA IF EXISTS aim_demo_segments CASCADE;
CREATE SCHEMA aim_demo_segments;
SET search_path = aim_demo_segments, public;

\echo
\echo '== 5. Customer segmentation (kmeans on RFM features, Online Retail data) =='
CREATE TABLE order_lines (invoice text, stock_code text, description text,
                          quantity int, invoice_date timestamp,
                          unit_price numeric, customer_id numeric, country text);
\copy order_lines FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)

-- 1. RFM features per customer: log1p, then standardised
CREATE MATERIALIZED VIEW customer_rfm AS
WITH clean AS (
  SELECT customer_id::int AS customer_id, invoice, invoice_date,
         quantity * unit_price AS amount
    FROM order_lines
   WHERE customer_id IS NOT NULL AND invoice !~ '^[CA]'   -- no cancellations
     AND quantity > 0 AND unit_price > 0
), per_customer AS (
  SELECT customer_id,
         (SELECT max(invoice_date)::date + 1 FROM order_lines) - max(invoice_date)::date AS recency,
         count(DISTINCT invoice) AS frequency,
         sum(amount) AS monetary
    FROM clean GROUP BY customer_id
), logged AS (
  SELECT *, ln(1 + recency) AS r, ln(1 + frequency) AS f, ln(1 + monetary::float8) AS m
    FROM per_customer
)
SELECT customer_id, recency, frequency, monetary,
       ARRAY[(r - avg(r) OVER ()) / stddev_pop(r) OVER (),
             (f - avg(f) OVER ()) / stddev_pop(f) OVER (),
             (m - avg(m) OVER ()) / stddev_pop(m) OVER ()] AS features
  FROM logged;
CREATE UNIQUE INDEX ON customer_rfm (customer_id);

-- 2. choosing k: inertia and silhouette for k = 2..8 in one GROUP BY
\echo 'Choosing k:'
WITH models AS (
  SELECT k, kmeans(features, k) AS centroids
    FROM customer_rfm, generate_series(2, 8) k GROUP BY k
)
SELECT k, round(kmeans_inertia(features, centroids)::numeric, 1) AS inertia,
       round(kmeans_silhouette(features, centroids)::numeric, 3) AS silhouette
  FROM models CROSS JOIN customer_rfm
 GROUP BY k ORDER BY k;

-- 3. the model, kept in a table
CREATE TABLE segment_model AS
SELECT 4 AS k, kmeans(features, 4, 0) AS centroids FROM customer_rfm;

-- 4. segments, as a materialized view with a unique index (so that
--    REFRESH MATERIALIZED VIEW CONCURRENTLY works)
CREATE MATERIALIZED VIEW customer_segments AS
SELECT r.customer_id, kmeans_assign(r.features, m.centroids) AS segment,
       r.recency, r.frequency, r.monetary
  FROM customer_rfm r CROSS JOIN segment_model m;
CREATE UNIQUE INDEX ON customer_segments (customer_id);

-- 5. the segment profile
\echo 'Segment profile (k = 4):'
SELECT segment, count(*) AS customers,
       round(avg(recency)) AS avg_recency_days,
       round(avg(frequency), 1) AS avg_orders,
       round(avg(monetary), 2) AS avg_spend,
       round(100 * sum(monetary) / sum(sum(monetary)) OVER (), 1) AS revenue_share_pct
  FROM customer_segments
 GROUP BY segment ORDER BY segment;

\echo 'The model as rows (for a BI tool):'
SELECT cluster, ARRAY(SELECT round(v::numeric, 3) FROM unnest(centroid) v) AS centroid
  FROM segment_model, kmeans_centroids(centroids);

REFRESH MATERIALIZED VIEW CONCURRENTLY customer_rfm;
REFRESH MATERIALIZED VIEW CONCURRENTLY customer_segments;

RESET search_path;
DROP SCHEMA aim_demo_segments CASCADE;
