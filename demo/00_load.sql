-- demo/00_load.sql: load the bundled UCI Online Retail orders
-- (data/online_retail.csv.gz, CC BY 4.0, see data/README.md) into a
-- normalised order schema "aim_shop":
--
--   aim_shop.raw_lines    the file as it is (541,909 rows), for audit
--   aim_shop.products     stock_code (upper-cased), description, is_product
--   aim_shop.customers    customer_id, country
--   aim_shop.orders       invoice_no, customer_id, ordered_at, kind
--   aim_shop.order_lines  invoice_no, stock_code, quantity, unit_price, amount
--   aim_shop.sales        view: the lines that are real product sales
--
-- The data's quirks, and what this loader does with them:
--   * CustomerID is written as a decimal ("17850.0") and is empty on 24.9 %
--     of the rows: loaded as numeric, cast to int; orders without a customer
--     keep customer_id NULL (they are real sales, but cannot be segmented).
--   * Invoices starting with "C" are cancellations (negative quantities),
--     "A" are bad-debt adjustments: orders.kind = 'cancellation' or
--     'adjustment'; aim_shop.sales leaves them out.
--   * Negative quantities outside cancellations are stock adjustments with
--     price 0 and no customer; zero prices are free items or corrections:
--     kept in order_lines, left out of aim_shop.sales (quantity > 0, price > 0).
--   * Non-product stock codes (postage, fees, manual lines, discounts...):
--     products.is_product = false; aim_shop.sales leaves them out.
--   * Stock codes differ in case for the same product (84796a/84796A):
--     upper-cased.  Several descriptions per code: the most frequent wins.
--   * 43 invoices have lines a minute apart: ordered_at is the earliest.
--   * 8 customers appear under two countries: the most frequent wins.
--   * 5,268 rows are exact duplicates of another row: kept, as in the
--     source (they cannot be told apart from a genuine repeat line).
-- Published figures for the usual clean subset (no C/A invoices, quantity
-- and price > 0, known customer): 397,884 lines, 18,532 invoices, 4,338
-- customers, revenue 8,911,407.904; sql/shop_load.sql checks them.
\set ON_ERROR_STOP 1
\echo
\echo '== 0. Loading the bundled Online Retail orders into schema aim_shop =='
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS aim_shop CASCADE;
CREATE SCHEMA aim_shop;

CREATE TABLE aim_shop.raw_lines (invoice_no text, stock_code text, description text,
                             quantity int, invoice_date timestamp,
                             unit_price numeric, customer_id numeric, country text);
\copy aim_shop.raw_lines FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)

CREATE TABLE aim_shop.products AS
WITH codes AS (
  SELECT DISTINCT upper(stock_code) AS code FROM aim_shop.raw_lines
), descriptions AS (
  -- the most frequent description of each code (ties: alphabetical)
  SELECT DISTINCT ON (code) code, description
    FROM (SELECT upper(stock_code) AS code, trim(description) AS description, count(*) AS n
            FROM aim_shop.raw_lines WHERE description IS NOT NULL GROUP BY 1, 2) s
   ORDER BY code, n DESC, description
)
SELECT c.code AS stock_code, d.description,
       c.code !~ '^(POST|DOT|M|D|C2|S|B|BANK CHARGES|AMAZONFEE|CRUK|PADS|DCGS.*|GIFT_.*)$' AS is_product
  FROM codes c LEFT JOIN descriptions d ON d.code = c.code;
ALTER TABLE aim_shop.products ADD PRIMARY KEY (stock_code);

CREATE TABLE aim_shop.customers AS
SELECT DISTINCT ON (customer_id::int) customer_id::int AS customer_id, country
  FROM (SELECT customer_id, country, count(*) AS n FROM aim_shop.raw_lines
         WHERE customer_id IS NOT NULL GROUP BY 1, 2) s
 ORDER BY customer_id::int, n DESC, country;
ALTER TABLE aim_shop.customers ADD PRIMARY KEY (customer_id);

CREATE TABLE aim_shop.orders AS
SELECT invoice_no, min(customer_id)::int AS customer_id, min(invoice_date) AS ordered_at,
       CASE left(invoice_no, 1) WHEN 'C' THEN 'cancellation'
                                WHEN 'A' THEN 'adjustment' ELSE 'sale' END AS kind
  FROM aim_shop.raw_lines GROUP BY invoice_no;
ALTER TABLE aim_shop.orders ADD PRIMARY KEY (invoice_no),
  ADD FOREIGN KEY (customer_id) REFERENCES aim_shop.customers;

CREATE TABLE aim_shop.order_lines AS
SELECT row_number() OVER () AS line_id, invoice_no, upper(stock_code) AS stock_code,
       quantity, unit_price, quantity * unit_price AS amount
  FROM aim_shop.raw_lines;
ALTER TABLE aim_shop.order_lines ADD PRIMARY KEY (line_id),
  ADD FOREIGN KEY (invoice_no) REFERENCES aim_shop.orders,
  ADD FOREIGN KEY (stock_code) REFERENCES aim_shop.products;
CREATE INDEX ON aim_shop.order_lines (invoice_no);
CREATE INDEX ON aim_shop.orders (customer_id);

CREATE VIEW aim_shop.sales AS
SELECT o.invoice_no, o.customer_id, o.ordered_at, l.stock_code, l.quantity,
       l.unit_price, l.amount, p.is_product
  FROM aim_shop.order_lines l
  JOIN aim_shop.orders o USING (invoice_no)
  JOIN aim_shop.products p USING (stock_code)
 WHERE o.kind = 'sale' AND l.quantity > 0 AND l.unit_price > 0;

ANALYZE aim_shop.raw_lines, aim_shop.products, aim_shop.customers, aim_shop.orders, aim_shop.order_lines;
RESET client_min_messages;
SELECT (SELECT count(*) FROM aim_shop.order_lines) AS order_lines,
       (SELECT count(*) FROM aim_shop.orders) AS orders,
       (SELECT count(*) FROM aim_shop.customers) AS customers,
       (SELECT count(*) FROM aim_shop.products) AS products,
       (SELECT sum(amount) FROM aim_shop.sales WHERE customer_id IS NOT NULL) AS revenue_known_customers;
