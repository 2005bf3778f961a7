-- 40_basket.sql: the contract of frequent_itemsets() and apriori_rules()
-- (DESIGN.md, issue 4): signatures and labels, every bad input with its
-- SQLSTATE and message, read-only execution with the caller's privileges,
-- and the results against an independent brute-force computation in plain
-- SQL (every subset of every basket counted) on random baskets.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;

BEGIN;
SELECT plan(94);
\ir helpers.psql

--
-- arguments, results, strictness (8); their existence, VOLATILE, PARALLEL
-- UNSAFE and no SECURITY DEFINER are checked with every other function's
-- in 00_api.sql
--
SELECT function_returns('frequent_itemsets', ARRAY['text', 'double precision', 'integer'],
                        'setof record', 'frequent_itemsets returns a set');
SELECT function_returns('apriori_rules', ARRAY['text', 'double precision', 'double precision', 'integer',
                                               'text', 'double precision'],
                        'setof record', 'apriori_rules returns a set');
SELECT is(pg_get_function_arguments('frequent_itemsets(text, float8, int)'::regprocedure),
          'baskets_sql text, min_support double precision, max_len integer DEFAULT NULL::integer',
          'frequent_itemsets arguments: max_len defaults to NULL (no limit)');
SELECT is(pg_get_function_arguments('apriori_rules(text, float8, float8, int, text, float8)'::regprocedure),
          'baskets_sql text, min_support double precision, min_confidence double precision DEFAULT 0.5, max_len integer DEFAULT NULL::integer, metric text DEFAULT ''confidence''::text, min_threshold double precision DEFAULT NULL::double precision',
          'apriori_rules arguments: min_confidence defaults to 0.5, max_len to NULL, metric to confidence, min_threshold to NULL (no filter)');
SELECT is(pg_get_function_result('frequent_itemsets(text, float8, int)'::regprocedure),
          'TABLE(itemset text[], support double precision, count bigint)',
          'frequent_itemsets result columns');
SELECT is(pg_get_function_result('apriori_rules(text, float8, float8, int, text, float8)'::regprocedure),
          'TABLE(antecedent text[], consequent text[], antecedent_support double precision, consequent_support double precision, support double precision, confidence double precision, lift double precision, leverage double precision, conviction double precision, representativity double precision, zhangs_metric double precision, jaccard double precision, certainty double precision, kulczynski double precision)',
          'apriori_rules result columns: 0.1.0''s nine in their places, then mlxtend''s other five');
SELECT isnt_strict('frequent_itemsets', ARRAY['text', 'double precision', 'integer'],
                   'frequent_itemsets is not STRICT (NULL max_len means no limit)');
SELECT isnt_strict('apriori_rules', ARRAY['text', 'double precision', 'double precision', 'integer',
                                          'text', 'double precision'],
                   'apriori_rules is not STRICT (NULL max_len means no limit, NULL min_threshold no filter)');

--
-- the classic five baskets (Tan, Steinbach & Kumar, table 6.1), and the
-- settings, defined once the library is loaded (12)
--
CREATE TEMP TABLE aim_lines (basket_id int, item text);
INSERT INTO aim_lines VALUES
  (1, 'bread'), (1, 'milk'),
  (2, 'bread'), (2, 'diapers'), (2, 'beer'), (2, 'eggs'),
  (3, 'milk'), (3, 'diapers'), (3, 'beer'), (3, 'cola'),
  (4, 'bread'), (4, 'milk'), (4, 'diapers'), (4, 'beer'),
  (5, 'bread'), (5, 'milk'), (5, 'diapers'), (5, 'cola');

SELECT results_eq(
    $$SELECT itemset, support, count FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.6)
       ORDER BY cardinality(itemset), itemset$$,
    $$VALUES ('{beer}'::text[], 0.6::float8, 3::bigint), ('{bread}', 0.8, 4), ('{diapers}', 0.8, 4),
             ('{milk}', 0.8, 4), ('{beer,diapers}', 0.6, 3), ('{bread,diapers}', 0.6, 3),
             ('{bread,milk}', 0.6, 3), ('{diapers,milk}', 0.6, 3)$$,
    'frequent itemsets of the five baskets at min_support 0.6');
SELECT results_eq(
    $$SELECT antecedent, consequent, antecedent_support, consequent_support, support,
             confidence, lift, round(leverage::numeric, 12)::float8, conviction
        FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6)
       ORDER BY antecedent, consequent$$,
    $$VALUES ('{beer}'::text[], '{diapers}'::text[], 0.6::float8, 0.8::float8, 0.6::float8, 1::float8, 1.25::float8, 0.12::float8, 'Infinity'::float8),
             ('{bread}', '{diapers}', 0.8, 0.8, 0.6, 0.75, 0.9375, -0.04, 0.8),
             ('{bread}', '{milk}', 0.8, 0.8, 0.6, 0.75, 0.9375, -0.04, 0.8),
             ('{diapers}', '{beer}', 0.8, 0.6, 0.6, 0.75, 1.25, 0.12, 1.6),
             ('{diapers}', '{bread}', 0.8, 0.8, 0.6, 0.75, 0.9375, -0.04, 0.8),
             ('{diapers}', '{milk}', 0.8, 0.8, 0.6, 0.75, 0.9375, -0.04, 0.8),
             ('{milk}', '{bread}', 0.8, 0.8, 0.6, 0.75, 0.9375, -0.04, 0.8),
             ('{milk}', '{diapers}', 0.8, 0.8, 0.6, 0.75, 0.9375, -0.04, 0.8)$$,
    'rules of the five baskets at min_support 0.6, hand-computed metrics');
SELECT results_eq(
    $$SELECT round(confidence::numeric, 12), round(lift::numeric, 12),
             round(leverage::numeric, 12), round(conviction::numeric, 12)
        FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.4, 0.6)
       WHERE antecedent = '{diapers,milk}' AND consequent = '{beer}'$$,
    $$VALUES (0.666666666667, 1.111111111111, 0.040000000000, 1.200000000000)$$,
    '{milk, diapers} -> {beer}: confidence 2/3, lift 10/9, leverage 0.04, conviction 1.2');
SELECT results_eq(
    $$SELECT antecedent, consequent, representativity, zhangs_metric, jaccard, certainty, kulczynski
        FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6)
       WHERE cardinality(antecedent) = 1 AND antecedent[1] IN ('beer', 'bread', 'diapers')
       ORDER BY antecedent, consequent$$,
    $$VALUES ('{beer}'::text[], '{diapers}'::text[], 1::float8, 0.5::float8, 0.75::float8, 1::float8, 0.875::float8),
             ('{bread}', '{diapers}', 1, -0.25, 0.6, -0.25, 0.75),
             ('{bread}', '{milk}', 1, -0.25, 0.6, -0.25, 0.75),
             ('{diapers}', '{beer}', 1, 1, 0.75, 0.375, 0.875),
             ('{diapers}', '{bread}', 1, -0.25, 0.6, -0.25, 0.75),
             ('{diapers}', '{milk}', 1, -0.25, 0.6, -0.25, 0.75)$$,
    'mlxtend''s other five metrics, hand-computed: zhang = leverage / max(sAC (1 - sA), sA (sC - sAC)), jaccard, certainty, kulczynski');
-- zero denominators: 'a' is in every basket
SELECT results_eq(
    $$SELECT antecedent, consequent, confidence, conviction, zhangs_metric, jaccard, certainty, kulczynski
        FROM apriori_rules('VALUES (1, ''a''), (1, ''b''), (2, ''a''), (2, ''b''), (3, ''a''), (3, ''c''), (4, ''a'')', 0.2, 0)
       ORDER BY antecedent, consequent$$,
    $$VALUES ('{a}'::text[], '{b}'::text[], 0.5::float8, 1::float8, 0::float8, 0.5::float8, 0::float8, 0.75::float8),
             ('{a}', '{c}', 0.25, 1, 0, 0.25, 0, 0.625),
             ('{b}', '{a}', 1, 'Infinity', 0, 0.5, 0, 0.75),
             ('{c}', '{a}', 1, 'Infinity', 0, 0.25, 0, 0.625)$$,
    'zero denominators as mlxtend: certainty 0 when sC = 1, zhangs_metric 0 when sA = 1 and sC = sAC, conviction Infinity when confidence is 1');
SELECT results_eq(
    $$SELECT antecedent, consequent FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6, 0, NULL, 'zhangs_metric', 0.5)
       ORDER BY antecedent, consequent$$,
    $$VALUES ('{beer}'::text[], '{diapers}'::text[]), ('{diapers}', '{beer}')$$,
    'metric => zhangs_metric, min_threshold => 0.5 keeps the rules with zhangs_metric >= 0.5');
SELECT is((SELECT count(*)::int FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6, 0.8, NULL, 'lift', 1.2))
          || ' ' || (SELECT count(*)::int FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6, 0, NULL, 'conviction', 'Infinity'))
          || ' ' || (SELECT count(*)::int FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6, 0.5, NULL, 'confidence', 0.8))
          || ' ' || (SELECT count(*)::int FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6, 0.8, NULL, 'confidence', 0.1))
          || ' ' || (SELECT count(*)::int FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.6, 0, NULL, 'kulczynski', NULL)),
          '1 1 1 1 8',
          'the filter and min_confidence both apply; Infinity keeps infinite conviction; NULL min_threshold filters nothing');
-- 0.1.0's definition (nine columns) still runs on this library, until
-- ALTER EXTENSION UPDATE replaces it
CREATE FUNCTION pg_temp.aim_rules_v1(baskets_sql text, min_support float8, min_confidence float8 DEFAULT 0.5,
                                     max_len int DEFAULT NULL)
    RETURNS TABLE (antecedent text[], consequent text[], antecedent_support float8, consequent_support float8,
                   support float8, confidence float8, lift float8, leverage float8, conviction float8)
    AS '$libdir/aimarketing', 'aim_apriori_rules' LANGUAGE C VOLATILE CALLED ON NULL INPUT;
CREATE FUNCTION pg_temp.aim_rules_bad(baskets_sql text, min_support float8, min_confidence float8,
                                      max_len int, metric text, min_threshold float8)
    RETURNS TABLE (antecedent text[], consequent text[], support float8)
    AS '$libdir/aimarketing', 'aim_apriori_rules' LANGUAGE C VOLATILE CALLED ON NULL INPUT;
SELECT results_eq(
    $$SELECT * FROM pg_temp.aim_rules_v1('SELECT basket_id, item FROM aim_lines', 0.4, 0.3) ORDER BY 1, 2$$,
    $$SELECT antecedent, consequent, antecedent_support, consequent_support, support, confidence, lift,
             leverage, conviction FROM apriori_rules('SELECT basket_id, item FROM aim_lines', 0.4, 0.3) ORDER BY 1, 2$$,
    '0.1.0''s nine-column definition gives the first nine columns of 0.2.0''s');
SELECT throws_ok($$SELECT * FROM pg_temp.aim_rules_bad('TABLE aim_lines', 0.4, 0.3, NULL, 'lift', 1)$$,
                 'XX000', 'apriori_rules() must return 14 or 9 columns, not 3',
                 'a definition with another result shape is an internal error, not a crash');
SELECT set_eq(
    $$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.2)$$,
    $$SELECT * FROM frequent_itemsets('SELECT array_agg(item) FROM aim_lines GROUP BY basket_id', 0.2)$$,
    'the two input forms give the same itemsets');
SELECT is(current_setting('aimarketing.max_itemsets'), '10000000',
          'aimarketing.max_itemsets defaults to 10 million');
SELECT is(current_setting('aimarketing.max_rules'), '100000000',
          'aimarketing.max_rules defaults to 100 million');

--
-- bad input: SQLSTATE and message (and detail where there is one) (50)
--
CREATE TEMP TABLE aim_err (
    id      serial PRIMARY KEY,
    stmt    text NOT NULL,
    code    text NOT NULL,
    msg     text NOT NULL,
    detail  text
);
INSERT INTO aim_err (stmt, code, msg, detail) VALUES
-- arguments
($$SELECT * FROM frequent_itemsets(NULL, 0.1)$$, '22004', 'baskets_sql must not be null', NULL),
($$SELECT * FROM apriori_rules(NULL, 0.1)$$, '22004', 'baskets_sql must not be null', NULL),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', NULL)$$, '22004', 'min_support must not be null', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, NULL)$$, '22004', 'min_confidence must not be null', NULL),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0)$$, '22023',
 'min_support must be greater than 0 and at most 1, not 0', NULL),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', -1e-9)$$, '22023',
 'min_support must be greater than 0 and at most 1, not -1e-09', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 1.0000001)$$, '22023',
 'min_support must be greater than 0 and at most 1, not 1.0000001', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 'NaN')$$, '22023',
 'min_support must be greater than 0 and at most 1, not NaN', NULL),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 'Infinity')$$, '22023',
 'min_support must be greater than 0 and at most 1, not Infinity', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, -0.5)$$, '22023',
 'min_confidence must be between 0 and 1, not -0.5', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, 2)$$, '22023',
 'min_confidence must be between 0 and 1, not 2', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, 'NaN')$$, '22023',
 'min_confidence must be between 0 and 1, not NaN', NULL),
($$SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.1, 0)$$, '22023',
 'max_len must be at least 1, not 0', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, 0.5, -3)$$, '22023',
 'max_len must be at least 1, not -3', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, 0.5, NULL, NULL, 1)$$, '22004',
 'metric must not be null', NULL),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, 0.5, NULL, 'lifts', NULL)$$, '22023',
 'unknown rule metric "lifts"',
 'Valid metrics are: antecedent_support, consequent_support, support, confidence, lift, leverage, conviction, representativity, zhangs_metric, jaccard, certainty, kulczynski.'),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, 0.5, NULL, 'antecedent support', 0.1)$$, '22023',
 'unknown rule metric "antecedent support"',
 'Valid metrics are: antecedent_support, consequent_support, support, confidence, lift, leverage, conviction, representativity, zhangs_metric, jaccard, certainty, kulczynski.'),
($$SELECT * FROM apriori_rules('TABLE aim_lines', 0.1, 0.5, NULL, 'lift', 'NaN')$$, '22023',
 'min_threshold must not be NaN', NULL),
-- the query
($$SELECT * FROM frequent_itemsets('SELEKT 1', 0.1)$$, '42601', 'syntax error at or near "SELEKT"', NULL),
($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_no_such_table', 0.1)$$, '42P01',
 'relation "aim_no_such_table" does not exist', NULL),
($$SELECT * FROM frequent_itemsets('SELECT basket_id, no_such_column FROM aim_lines', 0.1)$$, '42703',
 'column "no_such_column" does not exist', NULL),
($$SELECT * FROM frequent_itemsets('', 0.1)$$, '42601',
 'baskets_sql must contain exactly one query', 'It contains 0 statements.'),
($$SELECT * FROM apriori_rules('TABLE aim_lines; TABLE aim_lines', 0.1)$$, '42601',
 'baskets_sql must contain exactly one query', 'It contains 2 statements.'),
($$SELECT * FROM frequent_itemsets('SELECT 1, 2, 3', 0.1)$$, '42804',
 'baskets_sql must return two columns (basket_id, item) or one array column', 'It returns 3 columns.'),
($$SELECT * FROM frequent_itemsets('SELECT', 0.1)$$, '42804',
 'baskets_sql must return two columns (basket_id, item) or one array column', 'It returns 0 columns.'),
($$SELECT * FROM frequent_itemsets('SELECT item FROM aim_lines', 0.1)$$, '42804',
 'baskets_sql must return two columns (basket_id, item) or one array column',
 'It returns one column, of type text.'),
($$SELECT * FROM apriori_rules('SELECT 1, ARRAY[1, 2]', 0.1)$$, '42804',
 'the item column of baskets_sql must not be an array', 'The second column is of type integer[].'),
($$SELECT * FROM frequent_itemsets('SELECT ARRAY[[1, 2], [3, 4]]', 0.1)$$, '2202E',
 'basket arrays must be one-dimensional, not 2-dimensional', NULL),
($$SELECT * FROM frequent_itemsets('SELECT NULL::text, item FROM aim_lines', 0.1)$$, '22004',
 'basket id must not be null', 'The first column of baskets_sql''s result is NULL in a row.'),
-- read-only
($$SELECT * FROM frequent_itemsets('INSERT INTO aim_lines VALUES (9, ''x'') RETURNING *', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'It is a statement of type INSERT.'),
($$SELECT * FROM frequent_itemsets('UPDATE aim_lines SET item = ''x'' RETURNING *', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'It is a statement of type UPDATE.'),
($$SELECT * FROM apriori_rules('DELETE FROM aim_lines RETURNING *', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'It is a statement of type DELETE.'),
($$SELECT * FROM apriori_rules('WITH d AS (DELETE FROM aim_lines RETURNING *) TABLE d', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'Its WITH clause contains a data-modifying statement.'),
($$SELECT * FROM frequent_itemsets('SELECT * FROM aim_lines FOR UPDATE', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'It locks rows with FOR UPDATE or FOR SHARE.'),
($$SELECT * FROM frequent_itemsets('SELECT * INTO aim_copy FROM aim_lines', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'It is a statement of type SELECT INTO.'),
($$SELECT * FROM frequent_itemsets('DROP TABLE aim_lines', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'It is a statement of type DROP TABLE.'),
($$SELECT * FROM frequent_itemsets('SELECT basket_id, aim_log(item) FROM aim_lines', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'A function it calls tried to execute INSERT.'),
($$SELECT * FROM frequent_itemsets('SELECT basket_id, aim_log_temp(item) FROM aim_lines', 0.1)$$, '25006',
 'baskets_sql must be a read-only query', 'A function it calls tried to execute INSERT.'),
($$SELECT * FROM frequent_itemsets('SELECT nextval(''aim_seq''), item FROM aim_lines', 0.1)$$, '25006',
 'cannot execute nextval() in a read-only transaction', NULL),
-- limits
($$SET LOCAL aimarketing.max_itemsets = 5; SELECT * FROM frequent_itemsets('TABLE aim_lines', 0.2)$$, '54000',
 'frequent_itemsets() would find more than 5 frequent itemsets', NULL),
($$SET LOCAL aimarketing.max_rules = 1; SELECT * FROM apriori_rules('TABLE aim_lines', 0.6)$$, '54000',
 'apriori_rules() found 8 frequent itemsets, which can give more than 1 rule', NULL);

CREATE TABLE aim_audit (n int);
CREATE SEQUENCE aim_seq;
CREATE FUNCTION aim_log(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN INSERT INTO aim_audit VALUES (1); RETURN i; END $f$;
CREATE TEMP TABLE aim_scratch (n int);
CREATE FUNCTION aim_log_temp(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN INSERT INTO aim_scratch VALUES (1); RETURN i; END $f$;

SELECT throws_ok(stmt, code, msg, format('%s: %s %s', regexp_replace(stmt, '\s+', ' ', 'g'), code, msg))
  FROM aim_err ORDER BY id;
SELECT is((pg_temp.aim_err(stmt)).detail, detail, format('%s: detail', stmt))
  FROM aim_err WHERE detail IS NOT NULL ORDER BY id;

--
-- read-only: nothing changed; the session is writable again (3)
--
SELECT is((SELECT count(*)::int FROM aim_lines), 18, 'aim_lines unchanged by the rejected statements');
SELECT is((SELECT count(*)::int FROM aim_audit) + (SELECT count(*)::int FROM aim_scratch)
          + (SELECT last_value::int FROM aim_seq), 1,
          'no row was written by a function, and the sequence did not move');
SELECT lives_ok($$INSERT INTO aim_audit VALUES (2)$$, 'writes work again after the basket functions');

--
-- privileges: the query runs with the caller's rights (3)
--
CREATE ROLE aim_basket_reader;
CREATE TABLE aim_secret AS SELECT * FROM aim_lines;
GRANT SELECT ON aim_lines TO aim_basket_reader;
SET LOCAL ROLE aim_basket_reader;
SELECT throws_ok($$SELECT * FROM frequent_itemsets('SELECT basket_id, item FROM aim_secret', 0.1)$$,
                 '42501', 'permission denied for table aim_secret',
                 'a table the caller may not read: 42501');
SELECT throws_ok($$SELECT * FROM apriori_rules('SELECT basket_id, item FROM aim_secret', 0.1)$$,
                 '42501', 'permission denied for table aim_secret',
                 'the same for apriori_rules');
SELECT is((SELECT count(*)::int FROM frequent_itemsets('SELECT basket_id, item FROM aim_lines', 0.6)), 8,
          'a table the caller may read works');
RESET ROLE;

--
-- against a brute-force computation on random baskets (9): every subset of
-- every basket counted in plain SQL; 310 baskets over 12 items (10 of
-- them empty), min_support 0.05, min_confidence 0.3
--
SELECT setseed(0.42);
CREATE TEMP TABLE aim_rnd AS
SELECT b AS basket_id,
       ARRAY(SELECT 'i' || lpad(i::text, 2, '0') FROM generate_series(1, 12) i
              WHERE random() < 0.75 / sqrt(i) + 0 * b ORDER BY 1) AS items  -- correlated: one draw per basket
  FROM generate_series(1, 300) b
 UNION ALL
SELECT b, '{}' FROM generate_series(301, 310) b;
-- every non-empty subset of every basket, as a sorted text[]
CREATE TEMP TABLE aim_ref_counts AS
SELECT s.itemset, count(*) AS cnt
  FROM aim_rnd r,
       LATERAL (SELECT ARRAY(SELECT r.items[j] FROM generate_subscripts(r.items, 1) j
                              WHERE (m >> (j - 1)) & 1 = 1 ORDER BY r.items[j] COLLATE "C") AS itemset
                  FROM generate_series(1, (1 << cardinality(r.items)) - 1) m) s
 GROUP BY s.itemset;
CREATE TEMP VIEW aim_ref_itemsets AS
SELECT itemset, cnt::float8 / 310 AS support, cnt AS count
  FROM aim_ref_counts WHERE cnt::float8 / 310 >= 0.05;
CREATE TEMP VIEW aim_ref_rules AS
SELECT a.itemset AS antecedent, c.itemset AS consequent,
       a.cnt::float8 / 310 AS antecedent_support, c.cnt::float8 / 310 AS consequent_support,
       i.support, i.count::float8 / a.cnt AS confidence,
       (i.count::float8 / a.cnt) / (c.cnt::float8 / 310) AS lift,
       i.support - (a.cnt::float8 / 310) * (c.cnt::float8 / 310) AS leverage,
       CASE WHEN i.count = a.cnt THEN 'Infinity'::float8
            ELSE (1 - c.cnt::float8 / 310) / (1 - i.count::float8 / a.cnt) END AS conviction,
       1::float8 AS representativity,
       CASE WHEN greatest(i.support * (1 - a.cnt::float8 / 310),
                          (a.cnt::float8 / 310) * (c.cnt::float8 / 310 - i.support)) = 0 THEN 0
            ELSE (i.support - (a.cnt::float8 / 310) * (c.cnt::float8 / 310))
                 / greatest(i.support * (1 - a.cnt::float8 / 310),
                            (a.cnt::float8 / 310) * (c.cnt::float8 / 310 - i.support)) END AS zhangs_metric,
       i.support / (a.cnt::float8 / 310 + c.cnt::float8 / 310 - i.support) AS jaccard,
       CASE WHEN c.cnt = 310 THEN 0
            ELSE (i.count::float8 / a.cnt - c.cnt::float8 / 310) / (1 - c.cnt::float8 / 310) END AS certainty,
       (i.count::float8 / a.cnt + i.count::float8 / c.cnt) / 2 AS kulczynski
  FROM aim_ref_itemsets i,
       LATERAL generate_series(1, (1 << cardinality(i.itemset)) - 2) m,
       LATERAL (SELECT ARRAY(SELECT i.itemset[j] FROM generate_subscripts(i.itemset, 1) j
                              WHERE (m >> (j - 1)) & 1 = 1 ORDER BY i.itemset[j] COLLATE "C") AS ante,
                       ARRAY(SELECT i.itemset[j] FROM generate_subscripts(i.itemset, 1) j
                              WHERE (m >> (j - 1)) & 1 = 0 ORDER BY i.itemset[j] COLLATE "C") AS cons) s
  JOIN aim_ref_counts a ON a.itemset = s.ante
  JOIN aim_ref_counts c ON c.itemset = s.cons
 WHERE cardinality(i.itemset) >= 2 AND i.count::float8 / a.cnt >= 0.3;

SELECT cmp_ok((SELECT count(*)::int FROM aim_ref_itemsets WHERE cardinality(itemset) >= 4), '>', 0,
              'the random baskets have frequent itemsets of 4 or more items');
SELECT set_eq($$SELECT itemset, count FROM frequent_itemsets('SELECT items FROM aim_rnd', 0.05)$$,
              $$SELECT itemset, count FROM aim_ref_itemsets$$,
              'frequent_itemsets (arrays) = every subset counted by brute force');
-- the pairs form: empty baskets as a row with a NULL item
SELECT set_eq($$SELECT itemset, count FROM frequent_itemsets(
                  'SELECT basket_id, item FROM aim_rnd LEFT JOIN LATERAL unnest(items) item ON true', 0.05)$$,
              $$SELECT itemset, count FROM aim_ref_itemsets$$,
              'frequent_itemsets (pairs, empty baskets included) = brute force');
SELECT set_eq($$SELECT itemset, count FROM frequent_itemsets('SELECT items FROM aim_rnd', 0.05, 2)$$,
              $$SELECT itemset, count FROM aim_ref_itemsets WHERE cardinality(itemset) <= 2$$,
              'frequent_itemsets with max_len 2 = brute force up to pairs');
SELECT set_eq($$SELECT antecedent, consequent FROM apriori_rules('SELECT items FROM aim_rnd', 0.05, 0.3)$$,
              $$SELECT antecedent, consequent FROM aim_ref_rules$$,
              'apriori_rules = every split of every frequent itemset with confidence >= 0.3');
SELECT is((SELECT max(greatest(abs(o.antecedent_support - r.antecedent_support),
                               abs(o.consequent_support - r.consequent_support),
                               abs(o.support - r.support),
                               abs(o.confidence - r.confidence),
                               abs(o.lift - r.lift) / r.lift,
                               abs(o.leverage - r.leverage),
                               CASE WHEN r.conviction = 'Infinity' THEN
                                    CASE WHEN o.conviction = 'Infinity' THEN 0 ELSE 1 END
                                    ELSE abs(o.conviction - r.conviction) / r.conviction END,
                               abs(o.representativity - r.representativity),
                               abs(o.zhangs_metric - r.zhangs_metric),
                               abs(o.jaccard - r.jaccard),
                               abs(o.certainty - r.certainty),
                               abs(o.kulczynski - r.kulczynski))) < 1e-12
             FROM apriori_rules('SELECT items FROM aim_rnd', 0.05, 0.3) o
             JOIN aim_ref_rules r USING (antecedent, consequent)),
          true, 'every metric of every rule within 1e-12 of the brute-force formulas (mlxtend''s, from the supports)');
-- the filter on each metric (thresholds away from the values' ties)
SELECT is((SELECT string_agg(format('%s >= %s: %s', t.metric, t.threshold, d.n), ', ' ORDER BY t.metric)
             FROM (VALUES ('antecedent_support', 0.3013), ('consequent_support', 0.3013), ('support', 0.1013),
                          ('confidence', 0.6137), ('lift', 1.0137), ('leverage', 0.00731),
                          ('conviction', 1.0731), ('representativity', 1), ('zhangs_metric', 0.3137),
                          ('jaccard', 0.3317), ('certainty', 0.0531), ('kulczynski', 0.4519)) t(metric, threshold),
                  LATERAL (SELECT count(*) AS n FROM (
                             (SELECT antecedent, consequent
                                FROM apriori_rules('SELECT items FROM aim_rnd', 0.05, 0.3, NULL, t.metric, t.threshold)
                              EXCEPT ALL
                              SELECT antecedent, consequent FROM aim_ref_rules r
                               WHERE (to_jsonb(r) ->> t.metric)::float8 >= t.threshold)
                             UNION ALL
                             (SELECT antecedent, consequent FROM aim_ref_rules r
                               WHERE (to_jsonb(r) ->> t.metric)::float8 >= t.threshold
                              EXCEPT ALL
                              SELECT antecedent, consequent
                                FROM apriori_rules('SELECT items FROM aim_rnd', 0.05, 0.3, NULL, t.metric, t.threshold))) x) d
            WHERE d.n > 0),
          NULL,
          'apriori_rules(..., metric, min_threshold) = the brute-force rules with that metric >= min_threshold, for every metric');
SELECT set_eq($$SELECT antecedent, consequent FROM apriori_rules('SELECT items FROM aim_rnd', 0.05, 0)$$,
              $$SELECT a.itemset AS antecedent, c.itemset AS consequent FROM aim_ref_itemsets i,
                       LATERAL generate_series(1, (1 << cardinality(i.itemset)) - 2) m,
                       LATERAL (SELECT ARRAY(SELECT i.itemset[j] FROM generate_subscripts(i.itemset, 1) j
                                              WHERE (m >> (j - 1)) & 1 = 1 ORDER BY i.itemset[j] COLLATE "C") AS ante,
                                       ARRAY(SELECT i.itemset[j] FROM generate_subscripts(i.itemset, 1) j
                                              WHERE (m >> (j - 1)) & 1 = 0 ORDER BY i.itemset[j] COLLATE "C") AS cons) s
                  JOIN aim_ref_counts a ON a.itemset = s.ante
                  JOIN aim_ref_counts c ON c.itemset = s.cons$$,
              'apriori_rules at min_confidence 0 = every split of every frequent itemset');
SELECT is((SELECT count(*)::int FROM apriori_rules('SELECT items FROM aim_rnd', 0.05, 0.3, 2)),
          (SELECT count(*)::int FROM aim_ref_rules WHERE cardinality(antecedent) + cardinality(consequent) <= 2),
          'apriori_rules with max_len 2 = the brute-force rules of pairs');

SELECT * FROM finish();
ROLLBACK;
