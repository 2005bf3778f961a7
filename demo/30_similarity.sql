-- demo/30_similarity.sql: pipeline step 3, item-to-item similarity.
--
-- Each of the 100 products bought by the most customers becomes a vector
-- over the customers (how many of the customer's orders contain it); two
-- products are similar when the same customers buy them (cosine_sim).
--
--   aim_mart.product_vectors     stock_code, customers, orders_per_customer
--   aim_mart.product_similarity  product_a, product_b, cosine (a <> b)
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
CREATE SCHEMA IF NOT EXISTS aim_mart;
DROP MATERIALIZED VIEW IF EXISTS aim_mart.product_vectors CASCADE;
RESET client_min_messages;

\echo
\echo '== 3. Item-to-item similarity (cosine_sim over customer purchase vectors) =='

CREATE MATERIALIZED VIEW aim_mart.product_vectors AS
WITH lines AS (
  SELECT stock_code, customer_id, invoice_no
    FROM aim_shop.sales WHERE customer_id IS NOT NULL AND is_product
), top_products AS (
  SELECT stock_code, count(DISTINCT customer_id) AS customers
    FROM lines GROUP BY stock_code
   ORDER BY customers DESC, stock_code LIMIT 100
), bought AS (
  SELECT l.stock_code, l.customer_id, count(DISTINCT l.invoice_no) AS orders
    FROM lines l JOIN top_products t USING (stock_code)
   GROUP BY l.stock_code, l.customer_id
), buyers AS (
  -- the vectors' coordinates: every customer with a product sale, in id order
  SELECT customer_id, row_number() OVER (ORDER BY customer_id) AS pos
    FROM (SELECT DISTINCT customer_id FROM lines) c
)
SELECT t.stock_code, t.customers,
       array_agg(coalesce(b.orders, 0)::float8 ORDER BY u.pos) AS orders_per_customer
  FROM top_products t
 CROSS JOIN buyers u
  LEFT JOIN bought b ON b.stock_code = t.stock_code AND b.customer_id = u.customer_id
 GROUP BY t.stock_code, t.customers;
CREATE UNIQUE INDEX ON aim_mart.product_vectors (stock_code);

CREATE MATERIALIZED VIEW aim_mart.product_similarity AS
SELECT a.stock_code AS product_a, b.stock_code AS product_b,
       cosine_sim(a.orders_per_customer, b.orders_per_customer) AS cosine
  FROM aim_mart.product_vectors a
  JOIN aim_mart.product_vectors b ON a.stock_code <> b.stock_code;
CREATE UNIQUE INDEX ON aim_mart.product_similarity (product_a, product_b);

COMMENT ON MATERIALIZED VIEW aim_mart.product_vectors IS
  'the 100 products with most customers, as vectors of orders per customer (customers in id order)';
COMMENT ON MATERIALIZED VIEW aim_mart.product_similarity IS
  'cosine similarity of two products'' customer purchase vectors';

SELECT count(*) AS products, min(customers) AS min_customers, max(customers) AS max_customers,
       max(cardinality(orders_per_customer)) AS vector_length
  FROM aim_mart.product_vectors;

\echo 'Most similar pairs of popular products:'
SELECT pa.description AS product, pb.description AS similar_product,
       round(s.cosine::numeric, 3) AS cosine
  FROM aim_mart.product_similarity s
  JOIN aim_shop.products pa ON pa.stock_code = s.product_a
  JOIN aim_shop.products pb ON pb.stock_code = s.product_b
 WHERE s.product_a < s.product_b
 ORDER BY s.cosine DESC, s.product_a, s.product_b
 LIMIT 6;

\echo 'Bought by the same customers as the WHITE HANGING HEART T-LIGHT HOLDER (85123A):'
SELECT p.description AS similar_product, round(s.cosine::numeric, 3) AS cosine
  FROM aim_mart.product_similarity s
  JOIN aim_shop.products p ON p.stock_code = s.product_b
 WHERE s.product_a = '85123A'
 ORDER BY s.cosine DESC, s.product_b
 LIMIT 5;
