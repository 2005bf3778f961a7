--
-- The loader of the bundled Online Retail orders (demo/00_load.sql) into
-- the normalised schema "aim_shop", checked against the figures published for
-- the data set (data/README.md, from the UCI description) and against the
-- raw file.
--
\set ECHO none
\set load_until infinity
\i demo/00_load.sql
\set ECHO all

-- the file: 541,909 lines, 25,900 invoices, 4,070 stock codes (3,958 once
-- upper-cased), 4,372 customers, 38 countries
SELECT (SELECT count(*) FROM aim_shop.raw_lines) AS raw_lines,
       (SELECT count(*) FROM aim_shop.orders) AS invoices,
       (SELECT count(DISTINCT stock_code) FROM aim_shop.raw_lines) AS stock_codes,
       (SELECT count(*) FROM aim_shop.products) AS products,
       (SELECT count(*) FROM aim_shop.customers) AS customers,
       (SELECT count(DISTINCT country) FROM aim_shop.raw_lines) AS countries;

-- nothing lost on the way: every raw line is an order line, with the same
-- total, and the order kinds
SELECT (SELECT count(*) FROM aim_shop.order_lines) AS order_lines,
       (SELECT sum(amount) FROM aim_shop.order_lines) = (SELECT sum(quantity * unit_price) FROM aim_shop.raw_lines) AS same_total,
       (SELECT sum(amount) FROM aim_shop.order_lines) AS total_amount;
SELECT kind, count(*) AS invoices FROM aim_shop.orders GROUP BY kind ORDER BY kind;

-- the usual clean subset: 397,884 lines, 18,532 invoices, 4,338 customers,
-- revenue 8,911,407.904
SELECT count(*) AS lines, count(DISTINCT invoice_no) AS invoices,
       count(DISTINCT customer_id) AS customers, sum(amount) AS revenue
  FROM aim_shop.sales WHERE customer_id IS NOT NULL;

-- quirks: in the file, no invoice has two customers and 8 customers have
-- two countries (aim_shop.customers keeps one: its primary key); product codes
-- are upper-cased; the non-product codes
SELECT (SELECT count(*) FROM (SELECT invoice_no FROM aim_shop.raw_lines GROUP BY 1
                               HAVING count(DISTINCT customer_id) > 1) s) AS invoices_with_two_customers,
       (SELECT count(*) FROM (SELECT customer_id FROM aim_shop.raw_lines WHERE customer_id IS NOT NULL
                               GROUP BY 1 HAVING count(DISTINCT country) > 1) s) AS customers_in_two_countries,
       (SELECT count(*) FROM aim_shop.products WHERE stock_code <> upper(stock_code)) AS lower_case_codes,
       (SELECT count(*) FROM aim_shop.products WHERE NOT is_product) AS non_product_codes;

DROP SCHEMA aim_shop CASCADE;
