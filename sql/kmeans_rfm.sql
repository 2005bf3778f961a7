--
-- kmeans on real data: the Online Retail customers (UCI, CC BY 4.0, see
-- data/README.md), RFM features built in SQL, compared with scikit-learn.
--
-- The reference (test/data/kmeans_rfm_sklearn.csv) is the median inertia of
-- KMeans(init='k-means++', n_init=1) over random_state 0..4 for k = 2..8,
-- computed by test/ref/kmeans_rfm_ref.py on the same features.  Our median
-- over seeds 0..4 must be within 1% of it, or better.
--
SET extra_float_digits = 0;

CREATE TABLE retail_raw (invoice text, stock_code text, description text,
                         quantity int, invoice_date timestamp,
                         unit_price numeric, customer_id numeric, country text);
\copy retail_raw FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS lines, count(DISTINCT customer_id) AS customers FROM retail_raw;

-- the RFM recipe of the README (and demo/02_segmentation.sql): clean lines,
-- per-customer recency (days from the last order to the day after the last
-- date in the data), frequency (invoices), monetary (spend); log1p;
-- standardised
CREATE TABLE rfm AS
WITH clean AS (
  SELECT customer_id::int AS customer_id, invoice, invoice_date,
         quantity * unit_price AS amount
    FROM retail_raw
   WHERE customer_id IS NOT NULL AND invoice !~ '^[CA]'
     AND quantity > 0 AND unit_price > 0
), per_customer AS (
  SELECT customer_id,
         (SELECT max(invoice_date)::date + 1 FROM retail_raw) - max(invoice_date)::date AS recency,
         count(DISTINCT invoice) AS frequency,
         sum(amount) AS monetary
    FROM clean GROUP BY customer_id
), logged AS (
  SELECT customer_id, ln(1 + recency) AS r, ln(1 + frequency) AS f,
         ln(1 + monetary::float8) AS m
    FROM per_customer
)
SELECT customer_id,
       ARRAY[(r - avg(r) OVER ()) / stddev_pop(r) OVER (),
             (f - avg(f) OVER ()) / stddev_pop(f) OVER (),
             (m - avg(m) OVER ()) / stddev_pop(m) OVER ()] AS features
  FROM logged;
SELECT count(*) AS customers FROM rfm;

CREATE TABLE sklearn_ref (k int, median_inertia float8, min_inertia float8, max_inertia float8);
\copy sklearn_ref FROM 'test/data/kmeans_rfm_sklearn.csv' WITH (FORMAT csv, HEADER true)

-- one model per (k, seed), in one pass of GROUP BY
CREATE TABLE models AS
SELECT k, seed, kmeans(features, k, seed) AS centroids
  FROM rfm, generate_series(2, 8) k, generate_series(0, 4) seed
 GROUP BY k, seed;

CREATE TABLE quality AS
SELECT m.k, m.seed, kmeans_inertia(r.features, m.centroids) AS inertia,
       kmeans_silhouette(r.features, m.centroids) AS silhouette
  FROM models m CROSS JOIN rfm r
 GROUP BY m.k, m.seed;

SELECT q.k, percentile_cont(0.5) WITHIN GROUP (ORDER BY q.inertia)
              <= 1.01 * s.median_inertia AS within_1pct_of_sklearn,
       min(q.inertia) <= 1.01 * s.min_inertia AS best_within_1pct
  FROM quality q JOIN sklearn_ref s USING (k)
 GROUP BY q.k, s.median_inertia, s.min_inertia
 ORDER BY q.k;

-- inertia falls with k; silhouettes are in (0, 1)
SELECT bool_and(i1.inertia > i2.inertia) AS inertia_decreases
  FROM (SELECT k, min(inertia) inertia FROM quality GROUP BY k) i1
  JOIN (SELECT k, min(inertia) inertia FROM quality GROUP BY k) i2 ON i2.k = i1.k + 1;
SELECT bool_and(silhouette > 0 AND silhouette < 1) AS silhouettes_in_range FROM quality;

-- run to strict convergence (tolerance 0), the model is a fixed point of
-- Lloyd's iteration: each centroid is the mean of the customers that
-- kmeans_assign() gives it, so kmeans_assign agrees with the final Lloyd
-- assignment of every training point
WITH m AS (SELECT kmeans(features, 5, 0, 1000, 0) AS centroids FROM rfm),
a AS (SELECT kmeans_assign(r.features, m.centroids) AS c, r.features FROM rfm r, m),
means AS (SELECT c, avg(features[1]) x, avg(features[2]) y, avg(features[3]) z, count(*) n
            FROM a GROUP BY c)
SELECT count(*) AS clusters, sum(n) AS customers,
       max(greatest(abs(x - m.centroids[c][1]), abs(y - m.centroids[c][2]),
                    abs(z - m.centroids[c][3]))) < 1e-9 AS centroids_are_means
  FROM means, m;

DROP TABLE retail_raw, rfm, sklearn_ref, models, quality;
