-- demo/04_basket.sql: market-basket rules over the invoices of the bundled
-- Online Retail orders ("customers who bought X also bought Y").
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
DROP SCHEMA IF EXISTS aim_demo_basket CASCADE;
CREATE SCHEMA aim_demo_basket;
SET search_path = aim_demo_basket, public;

\echo
\echo '== 7. Basket rules (frequent_itemsets, apriori_rules) over the invoices =='
CREATE TABLE order_lines (invoice text, stock_code text, description text,
                          quantity int, invoice_date timestamp,
                          unit_price numeric, customer_id numeric, country text);
\copy order_lines FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
-- product lines of real sales: no cancellations, no postage/fees/manual lines
CREATE VIEW invoice_items AS
SELECT invoice, upper(stock_code) AS item
  FROM order_lines
 WHERE invoice !~ '^[CA]' AND quantity > 0 AND unit_price > 0
   AND upper(stock_code) !~ '^(POST|DOT|M|D|C2|S|B|BANK CHARGES|AMAZONFEE|CRUK|PADS|DCGS.*|GIFT_.*)$';
CREATE TABLE products AS
SELECT DISTINCT ON (upper(stock_code)) upper(stock_code) AS item, trim(description) AS description
  FROM order_lines WHERE description IS NOT NULL ORDER BY upper(stock_code), description;

\echo 'Itemsets in at least 2% of the invoices, by size:'
SELECT cardinality(itemset) AS size, count(*) AS itemsets, max(support)::numeric(6,4) AS top_support
  FROM frequent_itemsets('SELECT invoice, item FROM aim_demo_basket.invoice_items', 0.02)
 GROUP BY 1 ORDER BY 1;

\echo 'Top rules by lift (support >= 1%, confidence >= 50%):'
CREATE MATERIALIZED VIEW basket_rules AS
SELECT * FROM apriori_rules('SELECT invoice, item FROM aim_demo_basket.invoice_items', 0.01, 0.5);
SELECT (SELECT string_agg(p.description, ' + ') FROM unnest(antecedent) a JOIN products p ON p.item = a) AS bought,
       (SELECT string_agg(p.description, ' + ') FROM unnest(consequent) c JOIN products p ON p.item = c) AS also_bought,
       round(support::numeric, 4) AS support, round(confidence::numeric, 3) AS confidence,
       round(lift::numeric, 1) AS lift
  FROM basket_rules ORDER BY lift DESC, antecedent, consequent LIMIT 8;

\echo 'Customers who bought the WHITE HANGING HEART T-LIGHT HOLDER (85123A) also bought (support >= 0.5%):'
SELECT (SELECT string_agg(p.description, ' + ') FROM unnest(consequent) c JOIN products p ON p.item = c) AS also_bought,
       round(confidence::numeric, 3) AS confidence, round(lift::numeric, 1) AS lift
  FROM apriori_rules('SELECT invoice, item FROM aim_demo_basket.invoice_items', 0.005, 0.1, 2)
 WHERE antecedent = '{85123A}' ORDER BY confidence DESC, consequent LIMIT 5;

RESET search_path;
DROP SCHEMA aim_demo_basket CASCADE;
