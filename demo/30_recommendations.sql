-- demo/30_recommendations.sql: pipeline step 3, product recommendations.
--
-- Purchases are (customer, product) pairs of aim_shop.sales (products only,
-- no postage or fees).  Three marts and the method in use:
--
--   aim_mart.recommend(method, trained_before, k)
--       the one definition of each method, used by the marts below:
--       recommend_items() over the purchases before trained_before, with
--       popular / cosine (20 neighbours) / bm25 (all neighbours, weight =
--       invoices) / ease (l2 = 500), top k excluding owned products
--   aim_mart.product_neighbors         stock_code, neighbor, cosine, common, rank:
--       each product's 20 nearest by cosine (item_neighbors), for "customers
--       who bought this also bought" on a product page
--   aim_mart.recommendation_evaluation method, trained_before, customers,
--       ndcg_10, hr_10, precision_10, recall_10, map_10: a time split relative
--       to the end of the data (as the churn step): train on the purchases
--       before end - 90 days, relevant = the products each customer first
--       bought in the last 90 days
--   aim_mart.recommendation_settings   the method in use (chosen once: the best
--       NDCG@10 of the evaluation, never below popularity), recorded like
--       segment_settings; change it with UPDATE, then aim_mart.refresh()
--   aim_mart.customer_recommendations  customer_id, rank, stock_code, score, method:
--       every customer's top 10 by the method in use, over all purchases
--
-- The cut-off is computed here rather than with aim_mart.data_end() (step 4
-- creates that function, and re-running step 4 drops it with CASCADE).
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
CREATE SCHEMA IF NOT EXISTS aim_mart;
-- the top-100 cosine_sim marts of earlier versions of this step
DROP MATERIALIZED VIEW IF EXISTS aim_mart.product_vectors CASCADE;
DROP MATERIALIZED VIEW IF EXISTS aim_mart.product_neighbors CASCADE;
DROP MATERIALIZED VIEW IF EXISTS aim_mart.recommendation_evaluation CASCADE;
DROP MATERIALIZED VIEW IF EXISTS aim_mart.customer_recommendations CASCADE;
DROP TABLE IF EXISTS aim_mart.recommendation_settings CASCADE;
DROP FUNCTION IF EXISTS aim_mart.recommend(text, timestamp, int) CASCADE;
RESET client_min_messages;

\echo
\echo '== 3. Recommendations (item_neighbors, recommend_items, ndcg_at_k, hit_at_k, ...) =='

CREATE FUNCTION aim_mart.recommend(method text, trained_before timestamp, k int DEFAULT 10)
RETURNS TABLE (customer_id int, stock_code text, score float8, rank int)
-- the search_path of its creation: materialized views call it, and from
-- PostgreSQL 17 on they run with search_path = pg_catalog, pg_temp
LANGUAGE sql SET search_path FROM CURRENT AS $$
  SELECT r.customer::int, r.item, r.score, r.rank
    FROM recommend_items(
           format($q$SELECT customer_id, stock_code, %s FROM aim_shop.sales
                      WHERE customer_id IS NOT NULL AND is_product AND ordered_at < %L
                      GROUP BY customer_id, stock_code$q$,
                  CASE method WHEN 'bm25' THEN 'count(DISTINCT invoice_no)' ELSE '1' END,
                  trained_before),
           k, method,
           CASE method WHEN 'cosine' THEN 20 END,   -- NULL: all neighbours (bm25)
           true, 500) r
$$;
COMMENT ON FUNCTION aim_mart.recommend(text, timestamp, int) IS
  'top-k products per customer by popular, cosine (20 neighbours), bm25 (all, invoice weights) or ease, trained on purchases before trained_before';

CREATE MATERIALIZED VIEW aim_mart.product_neighbors AS
SELECT item AS stock_code, neighbor, similarity AS cosine, common, rank
  FROM item_neighbors($$SELECT DISTINCT customer_id, stock_code FROM aim_shop.sales
                        WHERE customer_id IS NOT NULL AND is_product$$, 20, 'cosine');
CREATE UNIQUE INDEX ON aim_mart.product_neighbors (stock_code, neighbor);

CREATE MATERIALIZED VIEW aim_mart.recommendation_evaluation AS
WITH split AS (
  SELECT (max(ordered_at)::date + 1 - 90)::timestamp AS cutoff FROM aim_shop.sales
), methods (method, position) AS (
  VALUES ('popular', 1), ('cosine', 2), ('bm25', 3), ('ease', 4)
), lists AS (
  SELECT m.method, r.customer_id, array_agg(r.stock_code ORDER BY r.rank) AS products
    FROM split s CROSS JOIN methods m
   CROSS JOIN LATERAL aim_mart.recommend(m.method, s.cutoff, 10) r
   GROUP BY m.method, r.customer_id
), relevant AS (
  -- products bought on or after the cut-off and never before it
  SELECT n.customer_id, array_agg(DISTINCT n.stock_code) AS products
    FROM aim_shop.sales n CROSS JOIN split s
   WHERE n.customer_id IS NOT NULL AND n.is_product AND n.ordered_at >= s.cutoff
     AND NOT EXISTS (SELECT FROM aim_shop.sales o
                      WHERE o.customer_id = n.customer_id AND o.stock_code = n.stock_code
                        AND o.ordered_at < s.cutoff)
   GROUP BY n.customer_id
)
-- numeric means: exact, so the figures do not depend on the rows' order
SELECT l.method, s.cutoff::date AS trained_before, count(*) AS customers,
       round(avg(ndcg_at_k(l.products, v.products, 10)::numeric), 6) AS ndcg_10,
       round(avg(hit_at_k(l.products, v.products, 10)::numeric), 6) AS hr_10,
       round(avg(precision_at_k(l.products, v.products, 10)::numeric), 6) AS precision_10,
       round(avg(recall_at_k(l.products, v.products, 10)::numeric), 6) AS recall_10,
       round(avg(average_precision_at_k(l.products, v.products, 10)::numeric), 6) AS map_10
  FROM lists l
  JOIN relevant v USING (customer_id)
  JOIN methods m USING (method)
 CROSS JOIN split s
 GROUP BY l.method, m.position, s.cutoff
 ORDER BY m.position;
CREATE UNIQUE INDEX ON aim_mart.recommendation_evaluation (method);

-- The method in use is a decision, recorded once (like the number of
-- segments): the best NDCG@10 of the evaluation, popularity if nothing beats
-- it.  The evaluation is refreshed every night, so a change of winner shows
-- there; switch with UPDATE aim_mart.recommendation_settings SET method = ...
CREATE TABLE aim_mart.recommendation_settings (
  method    text NOT NULL CHECK (method IN ('popular', 'cosine', 'bm25', 'ease')),
  chosen_on date NOT NULL,
  one_row   boolean PRIMARY KEY DEFAULT true CHECK (one_row));
INSERT INTO aim_mart.recommendation_settings (method, chosen_on)
SELECT method, current_date FROM aim_mart.recommendation_evaluation
 ORDER BY ndcg_10 DESC, method = 'popular' DESC, method LIMIT 1;

CREATE MATERIALIZED VIEW aim_mart.customer_recommendations AS
SELECT r.customer_id, r.rank, r.stock_code, r.score, s.method
  FROM aim_mart.recommendation_settings s
 CROSS JOIN LATERAL aim_mart.recommend(s.method, 'infinity', 10) r;
CREATE UNIQUE INDEX ON aim_mart.customer_recommendations (customer_id, rank);

COMMENT ON MATERIALIZED VIEW aim_mart.product_neighbors IS
  'each product''s 20 nearest products by cosine of their customers (item_neighbors)';
COMMENT ON MATERIALIZED VIEW aim_mart.recommendation_evaluation IS
  'popular, cosine, bm25 and ease on a time split: trained before end - 90 days, relevant = products first bought after';
COMMENT ON TABLE aim_mart.recommendation_settings IS
  'the recommendation method in use (chosen once from aim_mart.recommendation_evaluation)';
COMMENT ON MATERIALIZED VIEW aim_mart.customer_recommendations IS
  'every customer''s top 10 products they have not bought, by the method in use (score NULL: popularity fill)';

SELECT (SELECT count(DISTINCT stock_code) FROM aim_mart.product_neighbors) AS products,
       (SELECT count(*) FROM aim_mart.product_neighbors) AS neighbor_pairs,
       (SELECT count(DISTINCT customer_id) FROM aim_mart.customer_recommendations) AS customers,
       (SELECT count(*) FROM aim_mart.customer_recommendations) AS recommendations;

\echo 'Most similar pairs of products (cosine of their customers):'
SELECT pa.description AS product, pb.description AS similar_product,
       round(n.cosine::numeric, 3) AS cosine, n.common AS customers_of_both
  FROM aim_mart.product_neighbors n
  JOIN aim_shop.products pa ON pa.stock_code = n.stock_code
  JOIN aim_shop.products pb ON pb.stock_code = n.neighbor
 WHERE n.stock_code < n.neighbor AND n.common >= 20
 ORDER BY n.cosine DESC, n.stock_code, n.neighbor
 LIMIT 6;

\echo 'Bought by the same customers as the WHITE HANGING HEART T-LIGHT HOLDER (85123A):'
SELECT n.rank, p.description AS similar_product, round(n.cosine::numeric, 3) AS cosine
  FROM aim_mart.product_neighbors n
  JOIN aim_shop.products p ON p.stock_code = n.neighbor
 WHERE n.stock_code = '85123A'
 ORDER BY n.rank
 LIMIT 5;

\echo 'Which method? Held-out evaluation (top 10; popularity is the baseline to beat):'
SELECT method, trained_before, customers, round(ndcg_10, 4) AS ndcg_10, round(hr_10, 4) AS hr_10,
       round(precision_10, 4) AS precision_10, round(recall_10, 4) AS recall_10,
       round(map_10, 4) AS map_10
  FROM aim_mart.recommendation_evaluation ORDER BY ndcg_10;
SELECT method AS method_in_use FROM aim_mart.recommendation_settings;

\echo 'Recommended for customer 12347 (not yet bought):'
SELECT r.rank, r.stock_code, p.description, round(r.score::numeric, 3) AS score
  FROM aim_mart.customer_recommendations r
  JOIN aim_shop.products p USING (stock_code)
 WHERE r.customer_id = 12347
 ORDER BY r.rank;
