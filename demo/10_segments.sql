-- demo/10_segments.sql: pipeline step 1, customer segments.
--
-- RFM features per customer from aim_shop.sales, k chosen over k = 2..8 with
-- kmeans_inertia and kmeans_silhouette, the k-means model, each customer's
-- segment and the segment profile.  Everything is a materialized view in
-- schema aim_mart with a unique index, so that aim_mart.refresh()
-- (demo/60_refresh.sql) can REFRESH ... CONCURRENTLY while BI tools read.
--
--   aim_mart.customer_rfm       customer_id, recency, frequency, monetary, features
--   aim_mart.segment_k          k, inertia, silhouette, best (k = 2..8)
--   aim_mart.segment_settings   the k in use (chosen once by the rule below), seed
--   aim_mart.segment_model      k, centroids: the first model numbered by spend
--                               (segment 1 = highest), then each refresh
--                               warm-started from the previous day's model
--                               and renumbered after it (kmeans_match)
--   aim_mart.segment_history    as_of, k, centroids: the model of each day
--                               (aim_mart.keep_segment_model(), called by
--                               aim_mart.refresh() after segment_model)
--   aim_mart.customer_segments  customer_id, segment, recency, frequency, monetary
--   aim_mart.segment_profile    segment, customers, mean R/F/M, revenue share
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
CREATE SCHEMA IF NOT EXISTS aim_mart;
DROP MATERIALIZED VIEW IF EXISTS aim_mart.customer_rfm CASCADE;
DROP TABLE IF EXISTS aim_mart.segment_settings CASCADE;
DROP TABLE IF EXISTS aim_mart.segment_history CASCADE;
DROP FUNCTION IF EXISTS aim_mart.keep_segment_model();
RESET client_min_messages;

\echo
\echo '== 1. Customer segments (RFM features, kmeans, kmeans_inertia, kmeans_silhouette) =='

-- RFM as of the day after the last sale: recency in days, frequency in
-- orders, monetary in spend; log1p, then standardised over the customers
CREATE MATERIALIZED VIEW aim_mart.customer_rfm AS
WITH as_of AS (
  SELECT max(ordered_at)::date + 1 AS day FROM aim_shop.sales
), per_customer AS (
  SELECT s.customer_id, a.day - max(s.ordered_at)::date AS recency,
         count(DISTINCT s.invoice_no) AS frequency, sum(s.amount) AS monetary
    FROM aim_shop.sales s CROSS JOIN as_of a
   WHERE s.customer_id IS NOT NULL
   GROUP BY s.customer_id, a.day
), logged AS (
  SELECT *, ln(1 + recency) AS r, ln(1 + frequency) AS f, ln(1 + monetary::float8) AS m
    FROM per_customer
)
SELECT customer_id, recency, frequency, monetary,
       ARRAY[(r - avg(r) OVER ()) / stddev_pop(r) OVER (),
             (f - avg(f) OVER ()) / stddev_pop(f) OVER (),
             (m - avg(m) OVER ()) / stddev_pop(m) OVER ()] AS features
  FROM logged;
CREATE UNIQUE INDEX ON aim_mart.customer_rfm (customer_id);

-- choosing k: one kmeans per k (seed 0), then inertia and silhouette of
-- each model in one pass.  Two segments (active/lapsed) always score the
-- best silhouette on RFM data but give no campaign plan, so the rule is:
-- the highest silhouette among k = 3..8 (ties: the smaller k).  The view is
-- refreshed nightly, so the curve stays in sight.
CREATE MATERIALIZED VIEW aim_mart.segment_k AS
WITH models AS (
  SELECT k, kmeans(r.features, k, 0) AS centroids
    FROM aim_mart.customer_rfm r CROSS JOIN generate_series(2, 8) k
   GROUP BY k
), scored AS (
  SELECT m.k, kmeans_inertia(r.features, m.centroids) AS inertia,
         kmeans_silhouette(r.features, m.centroids) AS silhouette
    FROM models m CROSS JOIN aim_mart.customer_rfm r
   GROUP BY m.k
)
SELECT k, round(inertia::numeric, 6) AS inertia, round(silhouette::numeric, 9) AS silhouette,
       k = (SELECT k FROM scored WHERE k >= 3
             ORDER BY round(silhouette::numeric, 9) DESC, k LIMIT 1) AS best
  FROM scored;
CREATE UNIQUE INDEX ON aim_mart.segment_k (k);

-- the k in use is a decision, recorded once: a refresh retrains the
-- centroids on new data but does not switch k under the campaigns that
-- target segments (when two k score nearly the same, one day of orders can
-- swap them).  To change it: UPDATE aim_mart.segment_settings SET k = ...;
-- then SELECT * FROM aim_mart.refresh();
CREATE TABLE aim_mart.segment_settings (
  k         int NOT NULL CHECK (k BETWEEN 2 AND 8),
  seed      int NOT NULL,
  chosen_on date NOT NULL,
  one_row   boolean PRIMARY KEY DEFAULT true CHECK (one_row));
INSERT INTO aim_mart.segment_settings (k, seed, chosen_on)
SELECT k, 0, current_date FROM aim_mart.segment_k WHERE best;

-- the model of each day (as of the day after its last order), so that the
-- next day's refresh can start from it
CREATE TABLE aim_mart.segment_history (
  as_of     date PRIMARY KEY,
  k         int NOT NULL,
  centroids float8[] NOT NULL);

-- the model for that k.  The first one: kmeans from k-means++ seeds, its
-- segments renumbered by the centroid's spend (feature 3), highest first.
-- Every later one: yesterday's centroids moved to today's data (the warm
-- start runs Lloyd's iterations from them), renumbered after yesterday's
-- by kmeans_match, so that "segment 1" keeps its meaning.  The warm start
-- stops once the centres move less than 1e-3 of the mean feature variance
-- (tolerance, as scikit-learn's tol): RFM data has no sharp clusters, and
-- iterating to 1e-4 lets the centres slide along flat directions of the
-- inertia (for 0.04 % of inertia on the appended day of the bundled file),
-- moving three times as many customers (demo/70_append_day.sql measures
-- it).  "Yesterday" is the latest model of an earlier day, so refreshing
-- twice on the same data gives the same model.
CREATE MATERIALIZED VIEW aim_mart.segment_model AS
WITH today AS (
  SELECT max(ordered_at)::date + 1 AS as_of FROM aim_shop.orders
), prev AS (
  SELECT h.centroids
    FROM aim_mart.segment_history h CROSS JOIN today t CROSS JOIN aim_mart.segment_settings c
   WHERE h.as_of < t.as_of AND h.k = c.k
   ORDER BY h.as_of DESC LIMIT 1
), warm AS (
  SELECT kmeans_match(kmeans(r.features, c.k, p.centroids, 300, 1e-3), p.centroids) AS centroids
    FROM aim_mart.customer_rfm r CROSS JOIN aim_mart.segment_settings c CROSS JOIN prev p
   GROUP BY c.k, p.centroids
), cold AS (
  SELECT (SELECT array_agg(c.centroid ORDER BY c.centroid[3] DESC, c.cluster)
            FROM kmeans_centroids(f.centroids) c) AS centroids
    FROM (SELECT kmeans(r.features, c.k, c.seed) AS centroids
            FROM aim_mart.customer_rfm r CROSS JOIN aim_mart.segment_settings c
           GROUP BY c.k, c.seed) f
   WHERE NOT EXISTS (SELECT FROM prev)
)
SELECT c.k, coalesce((SELECT centroids FROM warm), (SELECT centroids FROM cold)) AS centroids
  FROM aim_mart.segment_settings c;
CREATE UNIQUE INDEX ON aim_mart.segment_model (k);

-- record the model in use as today's (aim_mart.refresh() calls it after
-- refreshing segment_model)
CREATE FUNCTION aim_mart.keep_segment_model() RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO aim_mart.segment_history (as_of, k, centroids)
  SELECT (SELECT max(ordered_at)::date + 1 FROM aim_shop.orders), k, centroids
    FROM aim_mart.segment_model
  ON CONFLICT (as_of) DO UPDATE SET k = excluded.k, centroids = excluded.centroids
$fn$;
SELECT aim_mart.keep_segment_model();

CREATE MATERIALIZED VIEW aim_mart.customer_segments AS
SELECT r.customer_id, kmeans_assign(r.features, m.centroids) AS segment,
       r.recency, r.frequency, r.monetary
  FROM aim_mart.customer_rfm r CROSS JOIN aim_mart.segment_model m;
CREATE UNIQUE INDEX ON aim_mart.customer_segments (customer_id);
CREATE INDEX ON aim_mart.customer_segments (segment);

CREATE MATERIALIZED VIEW aim_mart.segment_profile AS
SELECT segment, count(*) AS customers,
       round(avg(recency), 1) AS avg_recency_days,
       round(avg(frequency), 2) AS avg_orders,
       round(avg(monetary), 2) AS avg_spend,
       sum(monetary) AS revenue,
       round(100 * sum(monetary) / sum(sum(monetary)) OVER (), 2) AS revenue_share_pct
  FROM aim_mart.customer_segments
 GROUP BY segment;
CREATE UNIQUE INDEX ON aim_mart.segment_profile (segment);

COMMENT ON MATERIALIZED VIEW aim_mart.customer_rfm IS
  'RFM per customer as of the day after the last sale, with standardised log1p features';
COMMENT ON MATERIALIZED VIEW aim_mart.segment_k IS
  'inertia and silhouette of kmeans for k = 2..8; best = highest silhouette among k >= 3';
COMMENT ON TABLE aim_mart.segment_settings IS
  'the number of segments in use (chosen once from aim_mart.segment_k) and the kmeans seed';
COMMENT ON MATERIALIZED VIEW aim_mart.segment_model IS
  'k-means centroids for the k in use: first numbered by spend (1 = highest), then warm-started from the previous day''s model and renumbered after it';
COMMENT ON TABLE aim_mart.segment_history IS
  'the segment model of each day (as of the day after its last order), the warm start of the next day''s refresh';
COMMENT ON FUNCTION aim_mart.keep_segment_model() IS
  'record aim_mart.segment_model as the model of the current day in aim_mart.segment_history';
COMMENT ON MATERIALIZED VIEW aim_mart.customer_segments IS 'each customer''s segment';
COMMENT ON MATERIALIZED VIEW aim_mart.segment_profile IS
  'segment size, mean recency/frequency/spend and revenue share';

\echo 'Choosing k (silhouette: higher is better; the best for k >= 3 is taken):'
SELECT g.k, round(g.inertia::numeric, 1) AS inertia, round(g.silhouette::numeric, 4) AS silhouette,
       CASE WHEN g.k = s.k THEN '<- in use' ELSE '' END AS " "
  FROM aim_mart.segment_k g CROSS JOIN aim_mart.segment_settings s ORDER BY g.k;

\echo 'Segment profile (segment 1 = highest spend):'
SELECT segment, customers, avg_recency_days, avg_orders, avg_spend,
       revenue_share_pct AS "revenue %"
  FROM aim_mart.segment_profile ORDER BY segment;
