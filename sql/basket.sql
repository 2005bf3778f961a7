--
-- frequent_itemsets() and apriori_rules() on hand-checked baskets: metrics,
-- duplicates, NULLs, empty and one-item baskets, max_len, both input
-- forms, item text forms, limits, errors, read-only enforcement and
-- privileges.  Real data against mlxtend is in basket_oracle.sql.
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

--
-- The classic five baskets (Tan, Steinbach & Kumar, "Introduction to Data
-- Mining", table 6.1), as order lines (basket_id, item):
--   1 bread, milk
--   2 bread, diapers, beer, eggs
--   3 milk, diapers, beer, cola
--   4 bread, milk, diapers, beer
--   5 bread, milk, diapers, cola
--
CREATE TABLE lines (basket_id int, item text);
INSERT INTO lines VALUES
  (1, 'bread'), (1, 'milk'),
  (2, 'bread'), (2, 'diapers'), (2, 'beer'), (2, 'eggs'),
  (3, 'milk'), (3, 'diapers'), (3, 'beer'), (3, 'cola'),
  (4, 'bread'), (4, 'milk'), (4, 'diapers'), (4, 'beer'),
  (5, 'bread'), (5, 'milk'), (5, 'diapers'), (5, 'cola');

-- min_support 0.6 = 3 of 5 baskets: bread, milk, diapers 4/5, beer 3/5;
-- pairs {bread,milk}, {bread,diapers}, {milk,diapers}, {beer,diapers} 3/5
SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.6)
 ORDER BY cardinality(itemset), itemset;

-- rules at confidence >= 0.5 from those pairs, by hand:
--   bread -> milk: conf = 3/4 = 0.75, lift = 0.75 / 0.8 = 0.9375,
--     leverage = 0.6 - 0.8 * 0.8 = -0.04, conviction = (1 - 0.8) / (1 - 0.75) = 0.8
--   diapers -> beer: conf = 3/4, lift = 0.75 / 0.6 = 1.25,
--     leverage = 0.6 - 0.8 * 0.6 = 0.12, conviction = (1 - 0.6) / 0.25 = 1.6
--   beer -> diapers: conf = 3/3 = 1, lift = 1 / 0.8 = 1.25, leverage 0.12,
--     conviction = Infinity (confidence 1)
-- and mlxtend 0.25's other five: representativity 1 (no missing values);
--   zhangs_metric = leverage / max(sAC (1 - sA), sA (sC - sAC)):
--     bread -> milk: -0.04 / max(0.6 * 0.2, 0.8 * 0.2) = -0.25,
--     diapers -> beer: 0.12 / max(0.6 * 0.2, 0.8 * 0) = 1,
--     beer -> diapers: 0.12 / max(0.6 * 0.4, 0.6 * 0.2) = 0.5;
--   jaccard = sAC / (sA + sC - sAC): 0.6 / 1 = 0.6, and 0.6 / 0.8 = 0.75
--     for diapers and beer;
--   certainty = (conf - sC) / (1 - sC): (0.75 - 0.8) / 0.2 = -0.25,
--     (0.75 - 0.6) / 0.4 = 0.375, (1 - 0.8) / 0.2 = 1;
--   kulczynski = (conf(A -> C) + conf(C -> A)) / 2: 0.75, and
--     (0.75 + 1) / 2 = 0.875 for diapers and beer
SELECT * FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6)
 ORDER BY antecedent, consequent;
-- the filter: Zhang's metric at least 0.5 keeps the diapers-beer pair only;
-- a confidence threshold adds to min_confidence
SELECT antecedent, consequent, zhangs_metric
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0, NULL, 'zhangs_metric', 0.5)
 ORDER BY antecedent, consequent;
SELECT count(*) AS conf_ge_0_8
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0.5, NULL, 'confidence', 0.8);
SELECT count(*) AS conf_ge_0_8_and_lift_ge_1_1
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0.8, NULL, 'lift', 1.1);
-- a NULL min_threshold filters nothing; 'Infinity' keeps the rules of
-- confidence 1 by their conviction
SELECT count(*) FILTER (WHERE n_null = 8) AS null_threshold_keeps_8,
       count(*) FILTER (WHERE n_inf = 1) AS infinite_conviction_1
  FROM (SELECT (SELECT count(*) FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0, NULL,
                                                   'jaccard', NULL)) AS n_null,
               (SELECT count(*) FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0, NULL,
                                                   'conviction', 'Infinity')) AS n_inf) c;
-- the zero denominators (test/ref/rule_metrics_ref.py has the same case):
-- 'a' is in every basket, so for b -> a certainty is 0 (1 - sC = 0) and
-- conviction Infinity; for a -> b, sA = 1 and sC = sAC make Zhang's
-- denominator 0: the metric is 0 as in mlxtend
SELECT antecedent, consequent, confidence, conviction, zhangs_metric, jaccard, certainty, kulczynski
  FROM apriori_rules('VALUES (1, ''a''), (1, ''b''), (2, ''a''), (2, ''b''), (3, ''a''), (3, ''c''), (4, ''a'')',
                     0.2, 0)
 ORDER BY antecedent, consequent;

-- the textbook rule {milk, diapers} -> {beer} at min_support 0.4:
-- support 2/5 = 0.4, confidence 2/3, lift (2/3) / (3/5) = 10/9,
-- leverage 0.4 - 0.6 * 0.6 = 0.04, conviction (1 - 0.6) / (1 - 2/3) = 1.2
SELECT antecedent, consequent, antecedent_support, consequent_support, support,
       abs(confidence - 2.0 / 3) < 1e-15 AS conf_is_2_3,
       abs(lift - 10.0 / 9) < 1e-15 AS lift_is_10_9,
       abs(leverage - 0.04) < 1e-15 AS leverage_is_0_04,
       abs(conviction - 1.2) < 1e-14 AS conviction_is_1_2
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.4, 0.6)
 WHERE antecedent = '{diapers,milk}' AND consequent = '{beer}';

-- every non-empty proper subset is an antecedent (mlxtend): the 3-itemset
-- {beer, diapers, milk} gives 6 rules at min_confidence 0
SELECT antecedent, consequent, round(confidence::numeric, 6) AS confidence
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.4, 0)
 WHERE antecedent || consequent <@ '{beer,diapers,milk}'
   AND cardinality(antecedent) + cardinality(consequent) = 3
 ORDER BY antecedent, consequent;

-- the default min_confidence is 0.5; named arguments work
SELECT count(*) AS rules_default,
       (SELECT count(*) FROM apriori_rules('SELECT basket_id, item FROM lines', 0.4, 0.5)) AS rules_0_5,
       (SELECT count(*) FROM apriori_rules(baskets_sql => 'SELECT basket_id, item FROM lines',
                                           min_support => 0.4, max_len => 2)) AS rules_pairs_only
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.4);

-- a confidence exactly at the threshold is kept (3/4 >= 0.75)
SELECT count(*) FILTER (WHERE confidence = 0.75) AS at_threshold, count(*) AS rules
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0.75);

--
-- The two input forms give identical results: (basket_id, item) rows and
-- one array per basket (any order of rows, any array order)
--
SELECT (SELECT count(*) FROM (
          SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.2)
          EXCEPT
          SELECT * FROM frequent_itemsets('SELECT array_agg(item ORDER BY md5(item)) FROM lines GROUP BY basket_id', 0.2)) d)
       AS itemsets_only_in_pairs,
       (SELECT count(*) FROM (
          SELECT * FROM frequent_itemsets('SELECT array_agg(item) FROM lines GROUP BY basket_id', 0.2)
          EXCEPT
          SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.2)) d)
       AS itemsets_only_in_arrays,
       (SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.2)) AS itemsets;
SELECT (SELECT count(*) FROM (
          SELECT * FROM apriori_rules('SELECT basket_id, item FROM lines ORDER BY md5(item || basket_id)', 0.2, 0.1)
          EXCEPT
          SELECT * FROM apriori_rules('SELECT array_agg(item) FROM lines GROUP BY basket_id', 0.2, 0.1)) d)
       AS rules_only_in_pairs,
       (SELECT count(*) FROM (
          SELECT * FROM apriori_rules('SELECT array_agg(item) FROM lines GROUP BY basket_id', 0.2, 0.1)
          EXCEPT
          SELECT * FROM apriori_rules('SELECT basket_id, item FROM lines ORDER BY md5(item || basket_id)', 0.2, 0.1)) d)
       AS rules_only_in_arrays,
       (SELECT count(*) FROM apriori_rules('SELECT basket_id, item FROM lines', 0.2, 0.1)) AS rules;

-- rows of a basket need not be adjacent, and the row order changes nothing
-- (not even the order of the output rows)
SELECT array_agg(itemset::text || ' ' || count) =
       (SELECT array_agg(itemset::text || ' ' || count)
          FROM frequent_itemsets('SELECT basket_id, item FROM lines ORDER BY md5(item), basket_id DESC', 0.2))
       AS same_rows_same_order
  FROM frequent_itemsets('SELECT basket_id, item FROM lines ORDER BY basket_id, item', 0.2);

-- VALUES and TABLE are queries too
SELECT * FROM frequent_itemsets($$VALUES (ARRAY['x','y']), (ARRAY['x'])$$, 0.5)
 ORDER BY itemset;
SELECT count(*) FROM frequent_itemsets('TABLE lines', 0.6);

--
-- Duplicates within a basket count once
--
SELECT * FROM frequent_itemsets($$VALUES (1, 'a'), (1, 'a'), (1, 'b'), (2, 'a'), (2, 'b'), (2, 'b'), (2, 'b'), (3, 'a')$$, 0.5)
 ORDER BY itemset;
SELECT * FROM frequent_itemsets($$VALUES ('{a,a,b}'::text[]), ('{b,a,b,b}'), ('{a,a,a}')$$, 0.5)
 ORDER BY itemset;

--
-- NULL items are ignored; a basket whose items are all NULL is an empty
-- basket and still counts in the denominator.  Here 4 baskets, a in 2:
-- support 0.5
--
SELECT * FROM frequent_itemsets($$VALUES (1, 'a'), (1, NULL), (2, 'a'), (2, 'b'), (3, NULL), (4, 'b'), (4, NULL)$$, 0.5)
 ORDER BY itemset;
SELECT * FROM frequent_itemsets($$VALUES ('{a,NULL}'::text[]), ('{a,b}'), ('{NULL}'), ('{b}')$$, 0.5)
 ORDER BY itemset;
-- in the array form a NULL array or an empty array is an empty basket
SELECT * FROM frequent_itemsets($$VALUES ('{a,b}'::text[]), (NULL), ('{}'), ('{a}')$$, 0.5)
 ORDER BY itemset;
SELECT itemset, support FROM frequent_itemsets($$SELECT ARRAY[1, NULL, 3] UNION ALL SELECT ARRAY[1]$$, 1)
 ORDER BY itemset;

--
-- One-item baskets: only one-item itemsets, so no rules
--
SELECT * FROM frequent_itemsets($$VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'a')$$, 0.2)
 ORDER BY itemset;
SELECT count(*) AS rules FROM apriori_rules($$VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'a')$$, 0.2, 0);

--
-- Nothing frequent, no baskets: no rows
--
SELECT count(*) AS itemsets FROM frequent_itemsets('SELECT basket_id, item FROM lines', 1);
SELECT count(*) AS rules FROM apriori_rules('SELECT basket_id, item FROM lines', 1, 0);
SELECT count(*) AS itemsets FROM frequent_itemsets('SELECT basket_id, item FROM lines WHERE false', 0.1);
SELECT count(*) AS itemsets FROM frequent_itemsets('SELECT ARRAY[]::int[] FROM generate_series(1, 3)', 0.1);
-- an item in every basket, and min_support 1
SELECT * FROM frequent_itemsets($$VALUES ('{a,b}'::text[]), ('{a}')$$, 1);

--
-- min_support compares the support column: with 10 baskets, 0.3 keeps
-- counts of 3 and more (3 / 10 as float8 is 0.3)
--
SELECT itemset, support, count
  FROM frequent_itemsets($$SELECT g, CASE WHEN g <= 3 THEN 'x' ELSE 'y' END FROM generate_series(1, 10) g
                           UNION ALL SELECT g, 'z' FROM generate_series(1, 2) g$$, 0.3)
 ORDER BY itemset;

--
-- max_len limits the itemset size; NULL means no limit
--
SELECT cardinality(itemset) AS size, count(*)
  FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.4)
 GROUP BY 1 ORDER BY 1;
SELECT cardinality(itemset) AS size, count(*)
  FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.4, 2)
 GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.4, 1);
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.4, NULL);
SELECT cardinality(antecedent) + cardinality(consequent) AS size, count(*)
  FROM apriori_rules('SELECT basket_id, item FROM lines', 0.4, 0, 2)
 GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM apriori_rules('SELECT basket_id, item FROM lines', 0.4, 0, 1);

--
-- Items are compared and sorted by their text form, in byte order
-- (COLLATE "C"): '10' before '9', 'B' before 'a'
--
SELECT itemset FROM frequent_itemsets($$VALUES (ARRAY[9, 10, 100]), (ARRAY[10, 9])$$, 1);
SELECT itemset FROM frequent_itemsets($$VALUES (ARRAY['b', 'B', 'a', 'é']), (ARRAY['a', 'B', 'b', 'é'])$$, 1);
-- numeric 1.0 and 1.00 are different items (different text); 1.0 is one
SELECT itemset, count FROM frequent_itemsets($$VALUES (1, 1.0), (1, 1.00), (2, 1.0)$$, 0.5)
 ORDER BY itemset;
-- items and basket ids of other types: dates, booleans, bigint, a domain,
-- text basket ids
CREATE DOMAIN product_code AS text CHECK (VALUE ~ '^[A-Z0-9]+$');
SELECT itemset, count FROM frequent_itemsets(
  $$VALUES ('inv-1'::text, 'A1'::product_code), ('inv-1', 'B2'), ('inv-2', 'A1'), ('inv-3', 'B2'), ('inv-3', 'A1')$$, 0.6)
 ORDER BY itemset;
SELECT itemset, count FROM frequent_itemsets(
  $$VALUES (date '2011-12-01', true), ('2011-12-01', false), ('2011-12-02', true)$$, 0.5)
 ORDER BY itemset;
SELECT itemset, count FROM frequent_itemsets(
  $$VALUES (5000000000::bigint, -7::bigint), (5000000000, 9000000000), (-1, -7)$$, 0.5)
 ORDER BY itemset;
SELECT itemset, count FROM frequent_itemsets(
  $$VALUES (ARRAY[1.5, 2]::float8[]), (ARRAY[2, 1.5, 1e300]::float8[])$$, 1)
 ORDER BY itemset;
-- integer items small and large, negative, dense and sparse (interned by
-- a direct-indexed array or a hash table)
SELECT itemset, count FROM frequent_itemsets(
  $$VALUES (ARRAY[0, 4000000, 5, 3999999]), (ARRAY[4000000, 0, 70000]),
           (ARRAY[70000, 5, -3]), (ARRAY[3999999, -3, 2000000, 65000])$$, 0.5)
 ORDER BY itemset;

--
-- Rules with conviction Infinity (confidence 1) and negative leverage
--
SELECT antecedent, consequent, confidence, lift, leverage, conviction
  FROM apriori_rules($$VALUES ('{a,b}'::text[]), ('{a,b}'), ('{a}'), ('{c}')$$, 0.5, 0)
 ORDER BY antecedent, consequent;

--
-- Many itemsets and rules go through the tuplestore, which spills to disk
-- beyond work_mem: 12 items in every one of 3 baskets give 2^12 - 1
-- itemsets and 3^12 - 2^13 + 1 rules (every split of every itemset)
--
SET work_mem = '64kB';
SELECT count(*) AS itemsets, 2 ^ 12 - 1 AS expected
  FROM frequent_itemsets('SELECT ARRAY(SELECT generate_series(1, 12)) FROM generate_series(1, 3)', 0.5);
SELECT count(*) AS rules, 3 ^ 12 - 2 ^ 13 + 1 AS expected,
       bool_and(confidence = 1 AND conviction = 'Infinity' AND lift = 1 AND leverage = 0) AS all_certain
  FROM apriori_rules('SELECT ARRAY(SELECT generate_series(1, 12)) FROM generate_series(1, 3)', 0.5, 0);
RESET work_mem;

--
-- Limits: aimarketing.max_itemsets and aimarketing.max_rules
--
SET aimarketing.max_itemsets = 10;
SELECT pg_temp.try_hint($$SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.2)$$);
SELECT pg_temp.try_hint($$SELECT count(*) FROM apriori_rules('SELECT basket_id, item FROM lines', 0.2)$$);
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.6);
RESET aimarketing.max_itemsets;
SET aimarketing.max_rules = 5;
SELECT pg_temp.try_hint($$SELECT count(*) FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6)$$);
RESET aimarketing.max_rules;
SHOW aimarketing.max_itemsets;
SHOW aimarketing.max_rules;

-- cancellation: statement_timeout stops the mining of 2^25 - 1 itemsets,
-- and the generation of 3^19 - 2^20 + 1 rules from 2^19 - 1 itemsets (20
-- items would give more candidate rules than max_rules can allow)
SET aimarketing.max_itemsets = 2147483647;
SET aimarketing.max_rules = 2147483647;
SET statement_timeout = '200ms';
SELECT count(*) FROM frequent_itemsets('SELECT ARRAY(SELECT generate_series(1, 25)) FROM generate_series(1, 3)', 0.5);
SELECT count(*) FROM apriori_rules('SELECT ARRAY(SELECT generate_series(1, 19)) FROM generate_series(1, 3)', 0.5, 0);
RESET statement_timeout;
RESET aimarketing.max_itemsets;
RESET aimarketing.max_rules;

--
-- Bad arguments
--
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets(NULL, 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE lines', NULL)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, NULL)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE lines', 0)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE lines', -0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE lines', 1.5)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE lines', 'NaN')$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0, 0.5)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, -0.1)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, 1.01)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, 'NaN')$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE lines', 0.1, 0)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, 0.5, -1)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, 0.5, NULL, NULL, 1)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, 0.5, NULL, 'Lift', 1)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('TABLE lines', 0.1, 0.5, NULL, 'lift', 'NaN')$$);
SELECT pg_temp.try_hint($$SELECT * FROM frequent_itemsets('TABLE lines', 2)$$);
SELECT pg_temp.try_hint($$SELECT * FROM frequent_itemsets('TABLE lines', 0.5, 0)$$);

--
-- Bad queries
--
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELEC basket_id, item FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM no_such_table', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT 1, 2; SELECT 3, 4', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, item, 1 FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT FROM lines', 0.1)$$);
SELECT pg_temp.try_hint($$SELECT * FROM frequent_itemsets('SELECT item FROM lines', 0.1)$$);
SELECT pg_temp.try_hint($$SELECT * FROM frequent_itemsets('SELECT basket_id, array_agg(item) FROM lines GROUP BY 1', 0.1)$$);
SELECT pg_temp.try_hint($$SELECT * FROM frequent_itemsets('SELECT ARRAY[[1,2],[3,4]]', 0.1)$$);
SELECT pg_temp.try_hint($$SELECT * FROM frequent_itemsets('SELECT NULL::int, item FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT 1 / 0, 2', 0.1)$$);

--
-- The query runs read-only: data-modifying statements are rejected before
-- they run, and writes by functions the query calls fail; nothing changes
--
CREATE TABLE audit (n int);
CREATE SEQUENCE audit_seq;
CREATE FUNCTION log_item(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN INSERT INTO audit VALUES (1); RETURN i; END $f$;
CREATE FUNCTION log_item_sql(i text) RETURNS text LANGUAGE sql VOLATILE AS $f$
INSERT INTO audit VALUES (2) RETURNING i $f$;
CREATE FUNCTION make_table(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN CREATE TABLE made_by_basket_query (x int); RETURN i; END $f$;
CREATE TEMP TABLE scratch (n int);
CREATE FUNCTION log_temp(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN INSERT INTO scratch VALUES (1); RETURN i; END $f$;
CREATE FUNCTION copy_temp(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN COPY scratch FROM PROGRAM 'echo 1'; RETURN i; END $f$;
CREATE FUNCTION copy_out(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN COPY (SELECT 1) TO PROGRAM 'cat > /dev/null'; RETURN i; END $f$;

SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('INSERT INTO audit VALUES (3) RETURNING 1, 2', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('INSERT INTO audit VALUES (3)', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('UPDATE lines SET item = item RETURNING basket_id, item', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('DELETE FROM lines RETURNING basket_id, item', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('MERGE INTO audit USING lines ON false WHEN NOT MATCHED THEN INSERT VALUES (4)', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('WITH d AS (DELETE FROM lines RETURNING *) SELECT basket_id, item FROM d', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('WITH i AS (INSERT INTO audit VALUES (5)) SELECT basket_id, item FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM lines FOR UPDATE', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT * FROM (SELECT basket_id, item FROM lines FOR SHARE) s', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, item INTO copied_lines FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('CREATE TABLE t2 AS SELECT basket_id, item FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TRUNCATE lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('EXPLAIN ANALYZE DELETE FROM lines', 0.1)$$);
-- writes from inside the query: functions in any language, DDL, sequences,
-- and even temporary tables (which a READ ONLY transaction would allow)
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, log_item(item) FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('SELECT basket_id, log_item_sql(item) FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, make_table(item) FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT nextval(''audit_seq''), item FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, log_temp(item) FROM lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, copy_temp(item) FROM lines', 0.1)$$);
-- reading is fine, even COPY TO
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, copy_out(item) FROM lines', 0.6);
-- nothing changed, and the session is writable again
SELECT (SELECT count(*) FROM audit) AS audit_rows, (SELECT count(*) FROM scratch) AS scratch_rows,
       (SELECT count(*) FROM lines) AS lines, (SELECT last_value FROM audit_seq) AS seq_last_value,
       (SELECT is_called FROM audit_seq) AS seq_called,
       to_regclass('made_by_basket_query') IS NULL AND to_regclass('copied_lines') IS NULL
         AND to_regclass('t2') IS NULL AS no_new_tables,
       current_setting('transaction_read_only') AS transaction_read_only;
-- in one transaction: a successful call, then writes work as before
BEGIN;
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.6);
SHOW transaction_read_only;
INSERT INTO audit VALUES (6);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, log_item(item) FROM lines', 0.1)$$);
INSERT INTO audit VALUES (7);
SELECT array_agg(n ORDER BY n) AS audit FROM audit;
ROLLBACK;
-- inside a READ ONLY transaction it still works, and the transaction stays read-only
BEGIN READ ONLY;
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.6);
SHOW transaction_read_only;
ROLLBACK;
-- only the basket query is read-only: the results can be written, by
-- INSERT ... SELECT, CREATE TABLE AS or a data-modifying WITH around it
CREATE TABLE saved_rules AS
SELECT * FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6);
INSERT INTO saved_rules SELECT * FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0.8);
WITH ins AS (INSERT INTO saved_rules
             SELECT * FROM apriori_rules('SELECT basket_id, item FROM lines', 0.6, 0.8)
             RETURNING antecedent)
SELECT count(*) AS inserted, (SELECT count(*) FROM saved_rules) AS before FROM ins;
SELECT count(*) AS saved FROM saved_rules;
DROP TABLE saved_rules;
-- a read-only query may call read-only functions, including the basket
-- functions themselves
SELECT count(*) FROM frequent_itemsets(
  $$SELECT itemset FROM frequent_itemsets('SELECT basket_id, item FROM lines', 0.4)$$, 0.5);

--
-- Privileges: the query runs as the caller
--
CREATE ROLE regress_basket_analyst;
CREATE TABLE secret_lines AS SELECT * FROM lines;
CREATE TABLE shared_lines AS SELECT * FROM lines;
GRANT SELECT ON shared_lines TO regress_basket_analyst;
CREATE TABLE half_lines AS SELECT * FROM lines;
GRANT SELECT (basket_id) ON half_lines TO regress_basket_analyst;
SET ROLE regress_basket_analyst;
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, item FROM shared_lines', 0.6);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM secret_lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM apriori_rules('SELECT basket_id, item FROM secret_lines', 0.1)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM half_lines', 0.1)$$);
SELECT count(*) FROM frequent_itemsets('SELECT basket_id, basket_id FROM half_lines', 0.1);
RESET ROLE;
DROP TABLE secret_lines, shared_lines, half_lines;
DROP ROLE regress_basket_analyst;
