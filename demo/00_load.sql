-- demo/00_load.sql: load the bundled UCI Online Retail orders
-- (data/online_retail.csv.gz, CC BY 4.0, see data/README.md) into a
-- normalised order schema "aim_shop":
--
--   aim_shop.raw_lines    the file as it is (541,909 rows, line_no = file order)
--   aim_shop.products     stock_code (upper-cased), description, is_product
--   aim_shop.customers    customer_id, country
--   aim_shop.orders       invoice_no, customer_id, ordered_at, kind
--   aim_shop.order_lines  line_id, invoice_no, stock_code, quantity, unit_price, amount
--   aim_shop.load_orders(from, until)  moves raw lines dated in a range into
--                         orders/order_lines (initial load and daily append)
--   aim_shop.append_next_day()  the daily append: the next day of the file
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

CREATE TABLE aim_shop.raw_lines (line_no bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                                 invoice_no text, stock_code text, description text,
                                 quantity int, invoice_date timestamp,
                                 unit_price numeric, customer_id numeric, country text);
\copy aim_shop.raw_lines (invoice_no, stock_code, description, quantity, invoice_date, unit_price, customer_id, country) FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE INDEX ON aim_shop.raw_lines (invoice_date);

-- master data (products, customers) comes from the whole file, as a shop's
-- catalogue and customer accounts exist before their orders do
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

CREATE TABLE aim_shop.orders (
  invoice_no  text PRIMARY KEY,
  customer_id int REFERENCES aim_shop.customers,
  ordered_at  timestamp NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('sale', 'cancellation', 'adjustment')));
CREATE TABLE aim_shop.order_lines (
  line_id     bigint PRIMARY KEY,        -- the line's number in the file
  invoice_no  text NOT NULL REFERENCES aim_shop.orders,
  stock_code  text NOT NULL REFERENCES aim_shop.products,
  quantity    int NOT NULL,
  unit_price  numeric NOT NULL,
  amount      numeric NOT NULL);
CREATE INDEX ON aim_shop.order_lines (invoice_no);
CREATE INDEX ON aim_shop.orders (customer_id);
CREATE INDEX ON aim_shop.orders (ordered_at);

-- load_orders(from, until): moves the file's lines dated in [from, until)
-- into orders and order_lines; the initial load and the daily append
-- (demo/70_append_day.sql) both go through it.  Returns the number of new
-- orders and lines.
CREATE FUNCTION aim_shop.load_orders(load_from timestamp, load_until timestamp,
                                     OUT orders bigint, OUT lines bigint)
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO aim_shop.orders (invoice_no, customer_id, ordered_at, kind)
  SELECT invoice_no, min(customer_id)::int, min(invoice_date),
         CASE left(invoice_no, 1) WHEN 'C' THEN 'cancellation'
                                  WHEN 'A' THEN 'adjustment' ELSE 'sale' END
    FROM aim_shop.raw_lines
   WHERE invoice_date >= load_from AND invoice_date < load_until
   GROUP BY invoice_no
  ON CONFLICT (invoice_no) DO NOTHING;     -- an invoice spanning the boundary
  GET DIAGNOSTICS orders = ROW_COUNT;
  INSERT INTO aim_shop.order_lines (line_id, invoice_no, stock_code, quantity, unit_price, amount)
  SELECT line_no, invoice_no, upper(stock_code), quantity, unit_price, quantity * unit_price
    FROM aim_shop.raw_lines
   WHERE invoice_date >= load_from AND invoice_date < load_until;
  GET DIAGNOSTICS lines = ROW_COUNT;
END
$fn$;
COMMENT ON FUNCTION aim_shop.load_orders(timestamp, timestamp) IS
  'move the raw file lines dated in [load_from, load_until) into orders and order_lines';

-- append_next_day(): the daily load -- moves the earliest day of the file
-- not yet loaded into orders and order_lines (demo/70_append_day.sql).
-- Returns that day and the number of new orders and lines; day is NULL
-- when the whole file is loaded.
CREATE FUNCTION aim_shop.append_next_day(OUT day date, OUT orders bigint, OUT lines bigint)
LANGUAGE plpgsql AS $fn$
BEGIN
  SELECT min(r.invoice_date)::date INTO day
    FROM aim_shop.raw_lines r
   WHERE NOT EXISTS (SELECT 1 FROM aim_shop.order_lines l WHERE l.line_id = r.line_no);
  IF day IS NULL THEN
    orders := 0;
    lines := 0;
    RETURN;
  END IF;
  SELECT l.orders, l.lines INTO orders, lines FROM aim_shop.load_orders(day, day + 1) l;
END
$fn$;
COMMENT ON FUNCTION aim_shop.append_next_day() IS
  'load the earliest day of the raw file not yet in order_lines (the daily append)';

-- By default the last day of the file (2011-12-09) is held back, so that the
-- pipeline can show a new day of orders arriving (demo/70_append_day.sql);
-- run with -v load_until=infinity to load everything.
\if :{?load_until}
\else
\set load_until 2011-12-09
\endif
SELECT * FROM aim_shop.load_orders('-infinity', :'load_until');

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
