--
-- frequent_itemsets(baskets_sql, min_support, max_len, kind): the closed
-- and the maximal itemsets (issue 14), on a case checked by hand.
--
\set ECHO none
\i sql/try.psql
\set ECHO all

-- the classic five baskets (Tan, Steinbach & Kumar, table 6.1)
CREATE TABLE kb (order_id int, product text);
INSERT INTO kb VALUES
  (1, 'bread'), (1, 'milk'),
  (2, 'bread'), (2, 'diapers'), (2, 'beer'), (2, 'eggs'),
  (3, 'milk'), (3, 'diapers'), (3, 'beer'), (3, 'cola'),
  (4, 'bread'), (4, 'milk'), (4, 'diapers'), (4, 'beer'),
  (5, 'bread'), (5, 'milk'), (5, 'diapers'), (5, 'cola');

-- at min_support 0.4 (2 baskets) 17 itemsets are frequent
SELECT * FROM frequent_itemsets('SELECT order_id, product FROM kb', 0.4)
 ORDER BY cardinality(itemset), itemset;
-- closed: no superset in as many baskets.  {beer} (3) always comes with
-- diapers, {cola} (2) with milk, {bread,beer} (2) with diapers: gone.
SELECT * FROM frequent_itemsets('SELECT order_id, product FROM kb', 0.4, NULL, 'closed')
 ORDER BY cardinality(itemset), itemset;
-- maximal: no frequent superset; no 4 items are in 2 baskets
SELECT * FROM frequent_itemsets('SELECT order_id, product FROM kb', 0.4, NULL, 'maximal')
 ORDER BY itemset;
-- max_len filters what is returned: the closed itemsets of 1 item are
-- those of the unlimited search (not {beer} or {cola})
SELECT * FROM frequent_itemsets('SELECT order_id, product FROM kb', 0.4, 1, 'closed')
 ORDER BY itemset;
SELECT count(*) FROM frequent_itemsets('SELECT order_id, product FROM kb', 0.4, 2, 'maximal');
-- 'all' is the three-argument form
SELECT count(*) FROM frequent_itemsets('SELECT order_id, product FROM kb', 0.4, NULL, 'all');
-- every basket holds bread and milk: the empty itemset's perfect extensions
SELECT * FROM frequent_itemsets('VALUES (ARRAY[''bread'', ''milk'']), (ARRAY[''milk'', ''bread'', ''jam''])',
                                0.5, NULL, 'closed') ORDER BY itemset;
SELECT * FROM frequent_itemsets('VALUES (ARRAY[''bread'', ''milk'']), (ARRAY[''milk'', ''bread'', ''jam''])',
                                0.5, NULL, 'maximal');
-- no basket, or nothing frequent: no row
SELECT count(*) FROM frequent_itemsets('SELECT order_id, product FROM kb WHERE false', 0.1, NULL, 'closed');
SELECT count(*) FROM frequent_itemsets('SELECT order_id, product FROM kb', 1, NULL, 'maximal');

-- 5 identical baskets of 40 items: 2^40 - 1 frequent itemsets, one closed
-- and maximal
CREATE TABLE kx AS SELECT b, i FROM generate_series(1, 5) b, generate_series(1, 40) i;
SELECT pg_temp.try($$SELECT count(*) FROM frequent_itemsets('SELECT b, i FROM kx', 0.5)$$);
SELECT cardinality(itemset), support, count
  FROM frequent_itemsets('SELECT b, i FROM kx', 0.5, NULL, 'closed');
SELECT cardinality(itemset), support, count
  FROM frequent_itemsets('SELECT b, i FROM kx', 0.5, NULL, 'maximal');

-- bad arguments
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE kb', 0.4, NULL, 'maximum')$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE kb', 0.4, NULL, 'CLOSED')$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE kb', 0.4, NULL, NULL)$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE kb', 0.4, -1, 'closed')$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE kb', 1.5, NULL, 'closed')$$);
-- aimarketing.max_itemsets counts the closed (maximal) itemsets found
SET aimarketing.max_itemsets = 3;
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE kb', 0.4, NULL, 'closed')$$);
SELECT pg_temp.try($$SELECT * FROM frequent_itemsets('TABLE kb', 0.4, NULL, 'maximal')$$);
-- ... whatever max_len: it limits the itemsets returned, not those found
SELECT pg_temp.try_hint($$SELECT * FROM frequent_itemsets('TABLE kb', 0.4, 1, 'closed')$$);
RESET aimarketing.max_itemsets;

DROP TABLE kb, kx;
