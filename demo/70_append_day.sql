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

\echo 'Refreshing again with no new data: the views must not change.'
CREATE TEMP TABLE fingerprint_before AS SELECT * FROM aim_mart.fingerprint();
SELECT count(*) AS views_refreshed FROM aim_mart.refresh();
SELECT count(*) AS views, count(*) FILTER (WHERE a.md5 = b.md5) AS unchanged
  FROM aim_mart.fingerprint() a JOIN fingerprint_before b USING (view_name);

DROP TABLE before_append, fingerprint_before;
