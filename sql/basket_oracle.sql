--
-- frequent_itemsets() and apriori_rules() on real data against mlxtend
-- 0.25.0 (fpgrowth + association_rules(metric='confidence')), whose output
-- is in test/data/oracles/ (see test/data/README.md): the same itemsets
-- and the same (antecedent, consequent) pairs, every number within 1e-9.
--
--   retail: FIMI retail.dat (88,162 Belgian supermarket baskets, T. Brijs),
--           at min_support 0.01 and 0.005, min_confidence 0.2, both input
--           forms (908,576 (basket_id, item) rows, and one int[] per basket)
--   online retail: UCI Online Retail invoices (data/online_retail.csv.gz),
--           at min_support 0.02, min_confidence 0.3
--
-- and, for dense data, FIMI mushroom and chess against independent
-- reference counts.
--
SET extra_float_digits = 0;

CREATE TABLE retail_lines (line text);
\copy retail_lines FROM PROGRAM 'gzip -dc test/data/retail.dat.gz'
CREATE TABLE retail_baskets AS
SELECT row_number() OVER () AS basket_id, string_to_array(rtrim(line), ' ')::int[] AS items
  FROM retail_lines;
CREATE TABLE retail_items AS
SELECT basket_id, unnest(items) AS item FROM retail_baskets;
SELECT (SELECT count(*) FROM retail_baskets) AS baskets,
       (SELECT count(*) FROM retail_items) AS lines,
       (SELECT count(DISTINCT item) FROM retail_items) AS items;

-- the oracles: itemsets and rules, items joined by '|' in text order
CREATE TABLE oracle_itemsets (source text, min_support float8,
                              itemset text, support float8, count bigint);
CREATE TABLE oracle_rules (source text, min_support float8, min_confidence float8,
                           antecedent text, consequent text,
                           antecedent_support float8, consequent_support float8,
                           support float8, confidence float8, lift float8,
                           leverage float8, conviction float8);
CREATE TEMP TABLE load_itemsets (itemset text, support float8, count bigint);
CREATE TEMP TABLE load_rules (antecedent text, consequent text,
                              antecedent_support float8, consequent_support float8,
                              support float8, confidence float8, lift float8,
                              leverage float8, conviction float8);
\copy load_itemsets FROM 'test/data/oracles/retail_s0.01_c0.2.itemsets.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO oracle_itemsets SELECT 'retail', 0.01, * FROM load_itemsets;
TRUNCATE load_itemsets;
\copy load_itemsets FROM 'test/data/oracles/retail_s0.005_c0.2.itemsets.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO oracle_itemsets SELECT 'retail', 0.005, * FROM load_itemsets;
TRUNCATE load_itemsets;
\copy load_itemsets FROM 'test/data/oracles/online_retail_s0.02_c0.3.itemsets.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO oracle_itemsets SELECT 'online_retail', 0.02, * FROM load_itemsets;
\copy load_rules FROM 'test/data/oracles/retail_s0.01_c0.2.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO oracle_rules SELECT 'retail', 0.01, 0.2, * FROM load_rules;
TRUNCATE load_rules;
\copy load_rules FROM 'test/data/oracles/retail_s0.005_c0.2.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO oracle_rules SELECT 'retail', 0.005, 0.2, * FROM load_rules;
TRUNCATE load_rules;
\copy load_rules FROM 'test/data/oracles/online_retail_s0.02_c0.3.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO oracle_rules SELECT 'online_retail', 0.02, 0.3, * FROM load_rules;
SELECT source, min_support, count(*) AS oracle_itemsets
  FROM oracle_itemsets GROUP BY 1, 2 ORDER BY 1, 2 DESC;
SELECT source, min_support, min_confidence, count(*) AS oracle_rules,
       count(*) FILTER (WHERE conviction = 'Infinity') AS infinite_conviction
  FROM oracle_rules GROUP BY 1, 2, 3 ORDER BY 1, 2 DESC;

-- our results in the same shape
CREATE TABLE ours_itemsets (source text, form text, min_support float8,
                            itemset text, support float8, count bigint);
CREATE TABLE ours_rules (source text, form text, min_support float8, min_confidence float8,
                         antecedent text, consequent text,
                         antecedent_support float8, consequent_support float8,
                         support float8, confidence float8, lift float8,
                         leverage float8, conviction float8);
INSERT INTO ours_itemsets
SELECT 'retail', f.form, s.min_support, array_to_string(i.itemset, '|'), i.support, i.count
  FROM (VALUES (0.01::float8), (0.005)) s(min_support),
       (VALUES ('pairs', 'SELECT basket_id, item FROM retail_items'),
               ('arrays', 'SELECT items FROM retail_baskets')) f(form, q),
       frequent_itemsets(f.q, s.min_support) i;
INSERT INTO ours_rules
SELECT 'retail', f.form, s.min_support, 0.2,
       array_to_string(r.antecedent, '|'), array_to_string(r.consequent, '|'),
       r.antecedent_support, r.consequent_support, r.support, r.confidence,
       r.lift, r.leverage, r.conviction
  FROM (VALUES (0.01::float8), (0.005)) s(min_support),
       (VALUES ('pairs', 'SELECT basket_id, item FROM retail_items'),
               ('arrays', 'SELECT items FROM retail_baskets')) f(form, q),
       apriori_rules(f.q, s.min_support, 0.2) r;

-- Online Retail: invoices are baskets, StockCode exactly as written, the
-- rows mlxtend saw (no cancellations or adjustments, positive quantity
-- and price)
CREATE TABLE online_raw (invoice text, stock_code text, description text,
                         quantity int, invoice_date timestamp,
                         unit_price numeric, customer_id numeric, country text);
\copy online_raw FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE VIEW online_lines AS
SELECT invoice, stock_code FROM online_raw
 WHERE invoice !~ '^[CA]' AND quantity > 0 AND unit_price > 0;
SELECT count(DISTINCT invoice) AS baskets, count(DISTINCT stock_code) AS items
  FROM online_lines;
INSERT INTO ours_itemsets
SELECT 'online_retail', f.form, 0.02, array_to_string(i.itemset, '|'), i.support, i.count
  FROM (VALUES ('pairs', 'SELECT invoice, stock_code FROM online_lines'),
               ('arrays', 'SELECT array_agg(stock_code) FROM online_lines GROUP BY invoice')) f(form, q),
       frequent_itemsets(f.q, 0.02) i;
INSERT INTO ours_rules
SELECT 'online_retail', f.form, 0.02, 0.3,
       array_to_string(r.antecedent, '|'), array_to_string(r.consequent, '|'),
       r.antecedent_support, r.consequent_support, r.support, r.confidence,
       r.lift, r.leverage, r.conviction
  FROM (VALUES ('pairs', 'SELECT invoice, stock_code FROM online_lines'),
               ('arrays', 'SELECT array_agg(stock_code) FROM online_lines GROUP BY invoice')) f(form, q),
       apriori_rules(f.q, 0.02, 0.3) r;

-- itemsets: same sets, same counts, supports within 1e-9
SELECT o.source, f.form, o.min_support,
       count(*) FILTER (WHERE u.itemset IS NULL) AS missing,
       (SELECT count(*) FROM ours_itemsets x
         WHERE x.source = o.source AND x.form = f.form AND x.min_support = o.min_support
           AND NOT EXISTS (SELECT FROM oracle_itemsets y
                            WHERE y.source = x.source AND y.min_support = x.min_support
                              AND y.itemset = x.itemset)) AS extra,
       bool_and(u.count = o.count) AS same_counts,
       max(abs(u.support - o.support)) <= 1e-9 AS supports_within_1e_9
  FROM oracle_itemsets o
 CROSS JOIN (VALUES ('pairs'), ('arrays')) f(form)
  LEFT JOIN ours_itemsets u ON u.source = o.source AND u.form = f.form
       AND u.min_support = o.min_support AND u.itemset = o.itemset
 GROUP BY o.source, f.form, o.min_support
 ORDER BY o.source, f.form, o.min_support DESC;

-- rules: same (antecedent, consequent) pairs, every metric within 1e-9
-- (relative to the value's size for the large ones: lift, conviction)
SELECT o.source, f.form, o.min_support,
       count(*) AS oracle_rules,
       count(*) FILTER (WHERE u.antecedent IS NULL) AS missing,
       (SELECT count(*) FROM ours_rules x
         WHERE x.source = o.source AND x.form = f.form AND x.min_support = o.min_support
           AND NOT EXISTS (SELECT FROM oracle_rules y
                            WHERE y.source = x.source AND y.min_support = x.min_support
                              AND y.antecedent = x.antecedent
                              AND y.consequent = x.consequent)) AS extra,
       bool_and(abs(u.antecedent_support - o.antecedent_support) <= 1e-9
                AND abs(u.consequent_support - o.consequent_support) <= 1e-9
                AND abs(u.support - o.support) <= 1e-9
                AND abs(u.confidence - o.confidence) <= 1e-9
                AND abs(u.lift - o.lift) <= 1e-9 * greatest(1, abs(o.lift))
                AND abs(u.leverage - o.leverage) <= 1e-9
                AND (u.conviction = o.conviction
                     OR abs(u.conviction - o.conviction) <= 1e-9 * greatest(1, abs(o.conviction))))
         AS metrics_within_1e_9
  FROM oracle_rules o
 CROSS JOIN (VALUES ('pairs'), ('arrays')) f(form)
  LEFT JOIN ours_rules u ON u.source = o.source AND u.form = f.form
       AND u.min_support = o.min_support
       AND u.antecedent = o.antecedent AND u.consequent = o.consequent
 GROUP BY o.source, f.form, o.min_support
 ORDER BY o.source, f.form, o.min_support DESC;

-- the largest differences from mlxtend, for the record (mlxtend computes
-- the metrics from rounded supports, we from the exact counts)
SELECT max(abs(u.confidence - o.confidence)) < 1e-14 AS confidence_1e_14,
       max(abs(u.lift - o.lift) / o.lift) < 1e-14 AS lift_rel_1e_14,
       max(abs(u.leverage - o.leverage)) < 1e-15 AS leverage_1e_15,
       max(abs(u.conviction - o.conviction) / o.conviction) < 1e-13 AS conviction_rel_1e_13
  FROM oracle_rules o
  JOIN ours_rules u ON u.source = o.source AND u.min_support = o.min_support
       AND u.antecedent = o.antecedent AND u.consequent = o.consequent;

-- a few rules, as a BI tool would chart them
SELECT antecedent, consequent, round(support::numeric, 5) AS support,
       round(confidence::numeric, 4) AS confidence, round(lift::numeric, 3) AS lift
  FROM apriori_rules('SELECT invoice, stock_code FROM online_lines', 0.02, 0.3)
 ORDER BY lift DESC, antecedent, consequent
 LIMIT 5;

-- the whole retail data at a lower support: mlxtend finds 2,691 itemsets
-- (shared/oracles/README.md), and the two forms agree row by row
SELECT cardinality(itemset) AS size, count(*)
  FROM frequent_itemsets('SELECT items FROM retail_baskets', 0.002)
 GROUP BY 1 ORDER BY 1;
SELECT count(*) AS differing_rows FROM (
  (SELECT * FROM apriori_rules('SELECT items FROM retail_baskets', 0.002, 0.2)
   EXCEPT ALL
   SELECT * FROM apriori_rules('SELECT basket_id, item FROM retail_items', 0.002, 0.2))
  UNION ALL
  (SELECT * FROM apriori_rules('SELECT basket_id, item FROM retail_items', 0.002, 0.2)
   EXCEPT ALL
   SELECT * FROM apriori_rules('SELECT items FROM retail_baskets', 0.002, 0.2))) d;

-- dense data (every basket of the same length, long itemsets): FIMI
-- mushroom and chess (UCI, CC BY 4.0) against the reference counts of an
-- independent exact-counting script (shared/data/README.md): itemsets by
-- size, and rules with a one-item consequent (that script's convention)
CREATE TABLE dense_baskets (source text, items int[]);
TRUNCATE retail_lines;
\copy retail_lines FROM PROGRAM 'gzip -dc test/data/mushroom.dat.gz'
INSERT INTO dense_baskets SELECT 'mushroom', string_to_array(rtrim(line), ' ')::int[] FROM retail_lines;
TRUNCATE retail_lines;
\copy retail_lines FROM PROGRAM 'gzip -dc test/data/chess.dat.gz'
INSERT INTO dense_baskets SELECT 'chess', string_to_array(rtrim(line), ' ')::int[] FROM retail_lines;
SELECT source, count(*) AS baskets, min(cardinality(items)), max(cardinality(items))
  FROM dense_baskets GROUP BY 1 ORDER BY 1;
SELECT 'mushroom' AS source, 0.3 AS min_support,
       array_agg(n ORDER BY size) AS itemsets_by_size,
       array_agg(n ORDER BY size) = '{28,163,455,725,712,441,169,38,4}' AS as_reference
  FROM (SELECT cardinality(itemset) AS size, count(*) AS n
          FROM frequent_itemsets($$SELECT items FROM dense_baskets WHERE source = 'mushroom'$$, 0.3)
         GROUP BY 1) s
UNION ALL
SELECT 'chess', 0.9, array_agg(n ORDER BY size),
       array_agg(n ORDER BY size) = '{13,68,167,203,128,39,4}'
  FROM (SELECT cardinality(itemset) AS size, count(*) AS n
          FROM frequent_itemsets($$SELECT items FROM dense_baskets WHERE source = 'chess'$$, 0.9)
         GROUP BY 1) s;
SELECT 'mushroom' AS source, count(*) AS rules,
       count(*) FILTER (WHERE cardinality(consequent) = 1) AS one_item_consequent,
       count(*) FILTER (WHERE cardinality(consequent) = 1) = 8030 AS as_reference
  FROM apriori_rules($$SELECT items FROM dense_baskets WHERE source = 'mushroom'$$, 0.3, 0.9)
UNION ALL
SELECT 'chess', count(*), count(*) FILTER (WHERE cardinality(consequent) = 1),
       count(*) FILTER (WHERE cardinality(consequent) = 1) = 2159
  FROM apriori_rules($$SELECT items FROM dense_baskets WHERE source = 'chess'$$, 0.9, 0.95);

DROP TABLE dense_baskets;
DROP VIEW online_lines;
DROP TABLE retail_lines, retail_baskets, retail_items, oracle_itemsets, oracle_rules,
           ours_itemsets, ours_rules, online_raw;
