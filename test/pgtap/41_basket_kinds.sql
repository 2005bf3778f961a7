-- 41_basket_kinds.sql: frequent_itemsets(baskets_sql, min_support, max_len,
-- kind) (issue 14): the closed and the maximal itemsets.
--
--   closed:  frequent itemsets with no proper superset of the same support;
--   maximal: frequent itemsets with no frequent proper superset;
--   max_len: only those of at most max_len items are returned (mlxtend's
--            fpmax(max_len) does the same).
--
-- Against the brute force of test/ref/itemsets_closed_ref.py on 24 random
-- small databases (every subset of every basket counted, then the two
-- definitions checked against every frequent itemset), against mlxtend's
-- every frequent itemset of FIMI retail.dat filtered in Python, and on a
-- hand-checked case.  Signatures and labels of the function are checked
-- with every other function's in 00_api.sql.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;

BEGIN;
SELECT plan(36);
\ir helpers.psql

--
-- arguments and results (4)
--
SELECT function_returns('frequent_itemsets', ARRAY['text', 'double precision', 'integer', 'text'],
                        'setof record', 'frequent_itemsets(..., kind) returns a set');
SELECT is(pg_get_function_arguments('frequent_itemsets(text, float8, int, text)'::regprocedure),
          'baskets_sql text, min_support double precision, max_len integer, kind text',
          'frequent_itemsets(..., kind) arguments: no defaults (the three-argument form is kind ''all'')');
SELECT is(pg_get_function_result('frequent_itemsets(text, float8, int, text)'::regprocedure),
          'TABLE(itemset text[], support double precision, count bigint)',
          'frequent_itemsets(..., kind) result columns: those of frequent_itemsets');
SELECT isnt_strict('frequent_itemsets', ARRAY['text', 'double precision', 'integer', 'text'],
                   'frequent_itemsets(..., kind) is not STRICT (NULL max_len means no limit)');

--
-- the classic five baskets (Tan, Steinbach & Kumar, table 6.1) at
-- min_support 0.4: 17 frequent itemsets, of which 11 closed and 4
-- maximal, found by hand (6)
--
CREATE TEMP TABLE aim_lines (basket_id int, item text);
INSERT INTO aim_lines VALUES
  (1, 'bread'), (1, 'milk'),
  (2, 'bread'), (2, 'diapers'), (2, 'beer'), (2, 'eggs'),
  (3, 'milk'), (3, 'diapers'), (3, 'beer'), (3, 'cola'),
  (4, 'bread'), (4, 'milk'), (4, 'diapers'), (4, 'beer'),
  (5, 'bread'), (5, 'milk'), (5, 'diapers'), (5, 'cola');

SELECT results_eq(
    $$SELECT itemset, count FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'closed')
       ORDER BY cardinality(itemset), itemset$$,
    $$VALUES ('{bread}'::text[], 4::bigint), ('{diapers}', 4), ('{milk}', 4),
             ('{beer,diapers}', 3), ('{bread,diapers}', 3), ('{bread,milk}', 3), ('{diapers,milk}', 3),
             ('{beer,bread,diapers}', 2), ('{beer,diapers,milk}', 2), ('{bread,diapers,milk}', 2),
             ('{cola,diapers,milk}', 2)$$,
    'closed itemsets of the five baskets: beer (3) goes with diapers, cola (2) with milk, ...');
SELECT results_eq(
    $$SELECT itemset, support FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'maximal')
       ORDER BY itemset$$,
    $$VALUES ('{beer,bread,diapers}'::text[], 0.4::float8), ('{beer,diapers,milk}', 0.4),
             ('{bread,diapers,milk}', 0.4), ('{cola,diapers,milk}', 0.4)$$,
    'maximal itemsets of the five baskets: the four frequent triples');
SELECT is((SELECT count(*)::int FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'all')),
          17, 'kind ''all'': the 17 frequent itemsets');
SELECT set_eq($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'all')$$,
              $$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4)$$,
              'kind ''all'' = the three-argument form');
SELECT set_eq($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, 2, 'closed')$$,
              $$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'closed')
                 WHERE cardinality(itemset) <= 2$$,
              'closed with max_len 2: the closed itemsets of at most 2 items');
SELECT is((SELECT count(*)::int FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, 2, 'maximal')),
          0, 'maximal with max_len 2: none (every maximal itemset has 3 items)');

--
-- existing calls keep their meaning; named arguments (4)
--
SELECT set_eq($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL)$$,
              $$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'all')$$,
              'frequent_itemsets(sql, s, NULL) is still every frequent itemset');
SELECT set_eq($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, 2)$$,
              $$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, 2, 'all')$$,
              'frequent_itemsets(sql, s, 2) is still every frequent itemset of at most 2 items');
SELECT set_eq($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, max_len => NULL, kind => 'maximal')$$,
              $$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'maximal')$$,
              'named arguments: max_len => NULL, kind => ''maximal''');
SELECT set_eq($$SELECT * FROM frequent_itemsets('SELECT array_agg(item) FROM aim_lines GROUP BY basket_id', 0.4, NULL, 'closed')$$,
              $$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.4, NULL, 'closed')$$,
              'closed: the array form gives the same as the two-column form');

--
-- bad arguments and limits (9)
--
CREATE TEMP TABLE aim_err (
    id      serial PRIMARY KEY,
    stmt    text NOT NULL,
    code    text NOT NULL,
    msg     text NOT NULL,
    detail  text
);
INSERT INTO aim_err (stmt, code, msg, detail) VALUES
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.4, NULL, 'max')$$, '22023',
 'unknown itemset kind "max"', 'Valid kinds are: all, closed, maximal.'),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.4, NULL, 'Closed')$$, '22023',
 'unknown itemset kind "Closed"', 'Valid kinds are: all, closed, maximal.'),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.4, NULL, '')$$, '22023',
 'unknown itemset kind ""', 'Valid kinds are: all, closed, maximal.'),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.4, NULL, NULL)$$, '22004',
 'kind must not be null', NULL),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0, NULL, 'closed')$$, '22023',
 'min_support must be greater than 0 and at most 1, not 0', NULL),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.4, 0, 'maximal')$$, '22023',
 'max_len must be at least 1, not 0', NULL),
($$SET LOCAL aimarketing.max_itemsets = 10; SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.4, NULL, 'closed')$$,
 '54000', 'frequent_itemsets() found more than 10 closed itemsets', NULL);

SELECT throws_ok(stmt, code, msg, format('%s: %s %s', regexp_replace(stmt, '\s+', ' ', 'g'), code, msg))
  FROM aim_err ORDER BY id;
SELECT lives_ok($$SET LOCAL aimarketing.max_itemsets = 11; SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.4, NULL, 'closed')$$,
                'aimarketing.max_itemsets counts the closed itemsets: 11 is enough for the 11');
SELECT is((pg_temp.aim_err(stmt)).detail, detail, format('%s: detail', stmt))
  FROM aim_err WHERE id = 1;
RESET aimarketing.max_itemsets;				-- the SET LOCALs above

--
-- repeated long baskets: every subset is frequent (2^40 itemsets, refused
-- at once), but there is one closed and one maximal itemset (3)
--
CREATE TEMP TABLE aim_same AS
SELECT b, ARRAY(SELECT 'i' || lpad(i::text, 2, '0') FROM generate_series(1, 40) i) AS items
  FROM generate_series(1, 5) b
 UNION ALL SELECT 6, '{i01,x}';
SELECT throws_ok($$SET LOCAL aimarketing.max_itemsets = 1000; SELECT * FROM frequent_itemsets('SELECT items FROM aim_same', 0.5)$$,
                 '54000', 'frequent_itemsets() would find more than 1000 frequent itemsets',
                 'all: 40 items in 5 of 6 baskets are refused before the search');
SET aimarketing.max_itemsets = 1000;
SELECT results_eq($$SELECT cardinality(itemset), count FROM frequent_itemsets('SELECT items FROM aim_same', 0.5, NULL, 'closed')
                     ORDER BY 1$$,
                  $$VALUES (1, 6::bigint), (40, 5)$$,
                  'closed: {i01} (6 baskets) and the 40 items (5 baskets), even under max_itemsets 1000');
SELECT results_eq($$SELECT cardinality(itemset), count FROM frequent_itemsets('SELECT items FROM aim_same', 0.5, NULL, 'maximal')$$,
                  $$VALUES (40, 5::bigint)$$,
                  'maximal: the 40 items');
RESET aimarketing.max_itemsets;

--
-- the brute force on 24 random databases: every kind, both input forms,
-- max_len as a filter (6)
--
CREATE TEMP TABLE aim_kb (db int, basket int, item text);
\copy aim_kb FROM 'test/data/itemsets_closed_baskets.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE aim_kref (db int, min_support float8, kind text, itemset text[], count bigint);
\copy aim_kref FROM 'test/data/itemsets_closed_ref.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE aim_kdb AS SELECT DISTINCT db, min_support FROM aim_kref;
CREATE TEMP VIEW aim_kgot AS
SELECT d.db, k.kind, f.itemset, f.count
  FROM aim_kdb d, (VALUES ('all'), ('closed'), ('maximal')) k(kind),
       LATERAL frequent_itemsets(format('SELECT basket, item FROM aim_kb WHERE db = %s', d.db),
                                 d.min_support, NULL, k.kind) f;

SELECT cmp_ok((SELECT count(*)::int FROM aim_kref WHERE kind = 'closed'), '<',
              (SELECT count(*)::int FROM aim_kref WHERE kind = 'all'),
              'the random databases have frequent itemsets that are not closed');
SELECT set_eq($$SELECT db, itemset, count FROM aim_kgot WHERE kind = 'closed'$$,
              $$SELECT db, itemset, count FROM aim_kref WHERE kind = 'closed'$$,
              'closed itemsets of the 24 random databases = brute force');
SELECT set_eq($$SELECT db, itemset, count FROM aim_kgot WHERE kind = 'maximal'$$,
              $$SELECT db, itemset, count FROM aim_kref WHERE kind = 'maximal'$$,
              'maximal itemsets of the 24 random databases = brute force');
SELECT set_eq($$SELECT db, itemset, count FROM aim_kgot WHERE kind = 'all'$$,
              $$SELECT db, itemset, count FROM aim_kref WHERE kind = 'all'$$,
              'all frequent itemsets of the 24 random databases = brute force');
SELECT set_eq($$SELECT d.db, k.kind, f.itemset, f.count
                  FROM aim_kdb d, (VALUES ('closed'), ('maximal')) k(kind),
                       LATERAL frequent_itemsets(
                           format('SELECT array_agg(item) FROM aim_kb WHERE db = %s GROUP BY basket', d.db),
                           d.min_support, NULL, k.kind) f$$,
              $$SELECT db, kind, itemset, count FROM aim_kref WHERE kind <> 'all'$$,
              'closed and maximal, array form (empty baskets as {NULL}) = brute force');
SELECT set_eq($$SELECT d.db, k.kind, f.itemset, f.count
                  FROM aim_kdb d, (VALUES ('closed'), ('maximal')) k(kind),
                       LATERAL frequent_itemsets(format('SELECT basket, item FROM aim_kb WHERE db = %s', d.db),
                                                 d.min_support, 2, k.kind) f$$,
              $$SELECT db, kind, itemset, count FROM aim_kref WHERE kind <> 'all' AND cardinality(itemset) <= 2$$,
              'closed and maximal with max_len 2 = those of at most 2 items');

--
-- FIMI retail.dat: mlxtend's frequent itemsets filtered in Python (4)
--
CREATE TEMP TABLE aim_retail_lines (line text);
\copy aim_retail_lines FROM PROGRAM 'gzip -dc test/data/retail.dat.gz'
CREATE TEMP TABLE aim_retail AS
SELECT string_to_array(rtrim(line), ' ')::int[] AS items FROM aim_retail_lines;
CREATE TEMP TABLE aim_rref (min_support float8, kind text, itemset text[], count bigint);
\copy aim_rref FROM 'test/data/itemsets_closed_retail.csv' WITH (FORMAT csv, HEADER true)

SELECT set_eq(format($$SELECT itemset, count FROM frequent_itemsets('SELECT items FROM aim_retail', %s, NULL, %L)$$, s, k),
              format($$SELECT itemset, count FROM aim_rref WHERE min_support = %s AND kind = %L$$, s, k),
              format('retail.dat at min_support %s: the %s itemsets (%s) = mlxtend''s itemsets filtered',
                     s, k, (SELECT count(*) FROM aim_rref WHERE min_support = s AND kind = k)))
  FROM (VALUES (0.01::float8), (0.005)) a(s), (VALUES ('closed'), ('maximal')) b(k)
 ORDER BY s DESC, k;

SELECT * FROM finish();
ROLLBACK;
