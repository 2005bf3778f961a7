-- demo/70_append_day.sql: pipeline step 7, a new day of orders arrives.
--
-- Appends the next day of the file that is not loaded yet (the loader held
-- back 2011-12-09) and refreshes every view concurrently, as the nightly
-- job would.  Run it again for the following day; once the whole file is
-- loaded it appends nothing.  Also shows that refreshing unchanged data
-- changes nothing (the views' fingerprints stay the same).
--
--   psql -f demo/70_append_day.sql     (on a database where the pipeline ran)
\set ON_ERROR_STOP 1
\pset footer off

\echo
\echo '== 7. A new day of orders: append, refresh concurrently, compare =='

CREATE TEMP TABLE before_append AS
SELECT (SELECT count(*) FROM aim_mart.customer_rfm) AS customers,
       (SELECT k FROM aim_mart.segment_model) AS k,
       (SELECT k FROM aim_mart.segment_k WHERE best) AS best_k,
       (SELECT count(*) FROM aim_mart.basket_rules) AS rules,
       (SELECT auc FROM aim_mart.churn_evaluation) AS auc,
       (SELECT count(*) FROM aim_mart.product_neighbors) AS neighbor_pairs,
       (SELECT string_agg(method || ' ' || round(ndcg_10, 4), ', ' ORDER BY ndcg_10 DESC)
          FROM aim_mart.recommendation_evaluation) AS ndcg_10,
       (SELECT count(DISTINCT customer_id) FROM aim_mart.customer_recommendations) AS recommended_customers,
       (SELECT max(ordered_at) FROM aim_shop.orders) AS last_order;

-- each customer's segment and features, and the model, before the new day
CREATE TEMP TABLE segments_before AS
SELECT s.customer_id, s.segment, s.frequency, r.features
  FROM aim_mart.customer_segments s JOIN aim_mart.customer_rfm r USING (customer_id);
CREATE TEMP TABLE segment_model_before AS SELECT k, centroids FROM aim_mart.segment_model;

\echo 'Appending the next day of orders:'
SELECT * FROM aim_shop.append_next_day();

\echo 'Refreshing (the nightly job''s command):'
SELECT * FROM aim_mart.refresh();

\echo 'What the new day changed:'
SELECT 'customers' AS figure, b.customers::text AS before, (SELECT count(*) FROM aim_mart.customer_rfm)::text AS after
  FROM before_append b
UNION ALL SELECT 'segments in use (k)', b.k::text, (SELECT k FROM aim_mart.segment_model)::text FROM before_append b
UNION ALL SELECT 'best k by silhouette', b.best_k::text, (SELECT k FROM aim_mart.segment_k WHERE best)::text
  FROM before_append b
UNION ALL SELECT 'basket rules', b.rules::text, (SELECT count(*) FROM aim_mart.basket_rules)::text FROM before_append b
UNION ALL SELECT 'held-out AUC', round(b.auc::numeric, 4)::text,
                 (SELECT round(auc::numeric, 4) FROM aim_mart.churn_evaluation)::text FROM before_append b
UNION ALL SELECT 'product neighbour pairs', b.neighbor_pairs::text,
                 (SELECT count(*) FROM aim_mart.product_neighbors)::text FROM before_append b
UNION ALL SELECT 'NDCG@10 by method', b.ndcg_10,
                 (SELECT string_agg(method || ' ' || round(ndcg_10, 4), ', ' ORDER BY ndcg_10 DESC)
                    FROM aim_mart.recommendation_evaluation) FROM before_append b
UNION ALL SELECT 'customers with recommendations', b.recommended_customers::text,
                 (SELECT count(DISTINCT customer_id) FROM aim_mart.customer_recommendations)::text
  FROM before_append b
UNION ALL SELECT 'last order', b.last_order::text, (SELECT max(ordered_at) FROM aim_shop.orders)::text
  FROM before_append b;

\echo 'Segment stability: customers whose segment changed with the new day,'
\echo 'by the refresh in use (warm start from yesterday''s model + kmeans_match),'
\echo 'by a refit from k-means++ seeds numbered by spend (the v1 refresh), and'
\echo 'by yesterday''s model kept as it was (only the customer''s own features moved):'
CREATE TEMP TABLE segment_stability AS
WITH refit AS (
  SELECT d.day, (SELECT array_agg(c.centroid ORDER BY c.centroid[3] DESC, c.cluster)
                   FROM kmeans_centroids(kmeans(d.features, s.k, s.seed)) c) AS centroids
    FROM (SELECT 'before' AS day, features FROM segments_before
          UNION ALL SELECT 'after', features FROM aim_mart.customer_rfm) d
   CROSS JOIN aim_mart.segment_settings s
   GROUP BY d.day, s.k, s.seed
)
SELECT b.customer_id, a.frequency <> b.frequency AS ordered,
       a.segment <> b.segment AS changed,
       kmeans_assign(b.features, (SELECT centroids FROM refit WHERE day = 'before'))
         <> kmeans_assign(r.features, (SELECT centroids FROM refit WHERE day = 'after')) AS changed_refit,
       kmeans_assign(r.features, (SELECT centroids FROM segment_model_before)) <> b.segment AS changed_frozen
  FROM segments_before b
  JOIN aim_mart.customer_segments a USING (customer_id)
  JOIN aim_mart.customer_rfm r USING (customer_id);
SELECT CASE WHEN ordered THEN 'ordered on the new day' ELSE 'no new order' END AS customers,
       count(*) AS "count",
       count(*) FILTER (WHERE changed) AS "changed: warm + match",
       count(*) FILTER (WHERE changed_refit) AS "changed: v1 refit",
       count(*) FILTER (WHERE changed_frozen) AS "changed: own features"
  FROM segment_stability GROUP BY ordered
UNION ALL
SELECT 'all', count(*), count(*) FILTER (WHERE changed), count(*) FILTER (WHERE changed_refit),
       count(*) FILTER (WHERE changed_frozen)
  FROM segment_stability
ORDER BY 1 DESC;

CREATE TEMP TABLE fingerprint_before AS SELECT * FROM aim_mart.fingerprint();
SELECT count(*) AS views_refreshed FROM aim_mart.refresh();
SELECT count(*) AS views, count(*) FILTER (WHERE a.md5 = b.md5) AS unchanged
  FROM aim_mart.fingerprint() a JOIN fingerprint_before b USING (view_name);

DROP TABLE before_append, fingerprint_before;
DROP TABLE segments_before, segment_model_before, segment_stability;
