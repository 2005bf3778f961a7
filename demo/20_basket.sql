-- demo/20_basket.sql: pipeline step 2, basket rules over the invoices.
--
-- Association rules between products bought on the same invoice (every
-- sale, with or without a known customer; postage, fees and manual lines are
-- not products), kept as a materialized view that serves both the top rules
-- and "customers who bought X also bought" lookups.
--
--   aim_mart.basket_rules   antecedent, consequent, supports, confidence,
--                           lift, leverage, conviction, representativity,
--                           zhangs_metric, jaccard, certainty, kulczynski
--                           (support >= 0.5 %, confidence >= 10 %, <= 3 items)
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
CREATE SCHEMA IF NOT EXISTS aim_mart;
DROP MATERIALIZED VIEW IF EXISTS aim_mart.basket_rules CASCADE;
RESET client_min_messages;

\echo
\echo '== 2. Basket rules (apriori_rules over the invoices) =='

-- the query text is run read-only with the caller's rights; it names its
-- tables with their schema, so the view does not depend on search_path
CREATE MATERIALIZED VIEW aim_mart.basket_rules AS
SELECT *
  FROM apriori_rules('SELECT invoice_no, stock_code FROM aim_shop.sales WHERE is_product',
                     0.005, 0.1, 3);
CREATE UNIQUE INDEX ON aim_mart.basket_rules (antecedent, consequent);
CREATE INDEX ON aim_mart.basket_rules USING gin (antecedent);
COMMENT ON MATERIALIZED VIEW aim_mart.basket_rules IS
  'association rules between products on the same invoice (support >= 0.005, confidence >= 0.1, at most 3 items)';

-- rules with product names, for people and BI tools
CREATE VIEW aim_mart.basket_rules_named AS
SELECT (SELECT string_agg(p.description, ' + ' ORDER BY p.description)
          FROM unnest(r.antecedent) a JOIN aim_shop.products p ON p.stock_code = a) AS bought,
       (SELECT string_agg(p.description, ' + ' ORDER BY p.description)
          FROM unnest(r.consequent) c JOIN aim_shop.products p ON p.stock_code = c) AS also_bought,
       r.*
  FROM aim_mart.basket_rules r;
COMMENT ON VIEW aim_mart.basket_rules_named IS 'aim_mart.basket_rules with product descriptions';

SELECT count(*) AS rules, count(*) FILTER (WHERE lift > 1) AS with_lift_above_1,
       max(cardinality(antecedent) + cardinality(consequent)) AS max_items
  FROM aim_mart.basket_rules;

\echo 'Top rules by lift (support >= 1 %, confidence >= 50 %; for each set of items, its most confident rule):'
SELECT bought, also_bought, round(support::numeric, 4) AS support,
       round(confidence::numeric, 3) AS confidence, round(lift::numeric, 1) AS lift
  FROM (SELECT DISTINCT ON (items) *
          FROM (SELECT r.*, ARRAY(SELECT unnest(r.antecedent || r.consequent) ORDER BY 1) AS items
                  FROM aim_mart.basket_rules_named r
                 WHERE r.support >= 0.01 AND r.confidence >= 0.5) s
         ORDER BY items, confidence DESC, antecedent) best
 ORDER BY lift DESC, items
 LIMIT 8;

\echo 'The most common combinations (highest support, confidence >= 50 %):'
SELECT bought, also_bought, round(support::numeric, 4) AS support,
       round(confidence::numeric, 3) AS confidence, round(lift::numeric, 1) AS lift
  FROM (SELECT DISTINCT ON (items) *
          FROM (SELECT r.*, ARRAY(SELECT unnest(r.antecedent || r.consequent) ORDER BY 1) AS items
                  FROM aim_mart.basket_rules_named r WHERE r.confidence >= 0.5) s
         ORDER BY items, confidence DESC, antecedent) best
 ORDER BY support DESC, items
 LIMIT 5;

\echo 'Customers who bought the WHITE HANGING HEART T-LIGHT HOLDER (85123A) also bought:'
SELECT also_bought, round(confidence::numeric, 3) AS confidence, round(lift::numeric, 1) AS lift
  FROM aim_mart.basket_rules_named
 WHERE antecedent = '{85123A}'
 ORDER BY confidence DESC, consequent
 LIMIT 5;
