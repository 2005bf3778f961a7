--
-- apriori_rules and frequent_itemsets fail fast when the result explodes
-- (issue 13, section 1): before any rule or output row is written, so
-- nothing spills to temporary files, with the figures and what to change.
--
\set ECHO none
\i sql/try.psql
\set ECHO all

-- 5 identical baskets of 40 items, and 100 small ones: at min_support 0.04
-- every subset of the 40 items is frequent (2^40 - 1 itemsets)
CREATE TABLE bx AS
  SELECT b, i FROM generate_series(1, 5) b, generate_series(1, 40) i
  UNION ALL
  SELECT b, (b * 7 + j) % 50 + 100 FROM generate_series(6, 105) b, generate_series(1, 3) j;
-- 6 baskets sharing 30 items, item 200 in baskets 1-4 and 201 in 3-6, and
-- a seventh basket: no 4 of them are the same, but at min_support 0.5 all
-- subsets of the 30 items are frequent
CREATE TABLE bs AS
  SELECT b, i FROM generate_series(1, 6) b, generate_series(1, 30) i
  UNION ALL SELECT b, 200 FROM generate_series(1, 4) b
  UNION ALL SELECT b, 201 FROM generate_series(3, 6) b
  UNION ALL SELECT 7, 300;

-- temp_bytes of this database, once this session's statistics are flushed
CREATE FUNCTION pg_temp.flush() RETURNS void LANGUAGE sql AS
  $$ SELECT pg_stat_force_next_flush() $$;
CREATE FUNCTION pg_temp.temp_bytes() RETURNS bigint LANGUAGE sql AS
  $$ SELECT pg_stat_clear_snapshot();
     SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database() $$;

SET work_mem = '64kB';
SELECT pg_temp.flush();
SELECT pg_temp.temp_bytes() AS tb0 \gset

-- identical long baskets: before the search
SELECT count(*) FROM frequent_itemsets('SELECT b, i FROM bx', 0.04);
SELECT count(*) FROM apriori_rules('SELECT b, i FROM bx', 0.04, 0.5);
-- shared long baskets: as soon as the search reaches them
SET aimarketing.max_itemsets = 100000;
SELECT count(*) FROM apriori_rules('SELECT b, i FROM bs', 0.5, 0.9);
-- and when all the baskets hold them
SELECT count(*) FROM apriori_rules('SELECT b, i FROM bs WHERE b < 7', 0.5, 0.9);
RESET aimarketing.max_itemsets;
-- too many candidate rules: after the mining, before any rule
SET aimarketing.max_rules = 10000;
SELECT count(*) FROM apriori_rules('SELECT b, i FROM bx', 0.04, 0.5, 3);
SELECT count(*) FROM apriori_rules('SELECT b, i FROM bs', 0.5, 0.99, 4);
RESET aimarketing.max_rules;

-- nothing of the above wrote a temporary file
SELECT pg_temp.flush();
SELECT pg_temp.temp_bytes() - :tb0 AS temp_bytes_written;

-- the bound counts candidates before min_confidence: 2^k - 2 per itemset
SELECT sum(2 ^ cardinality(itemset) - 2) AS candidates, count(*) AS itemsets
  FROM frequent_itemsets('SELECT b, i FROM bx', 0.04, 3);
SELECT sum(2 ^ cardinality(itemset) - 2) AS candidates, count(*) AS itemsets
  FROM frequent_itemsets('SELECT b, i FROM bs', 0.5, 4);

-- whereas 60840 rules do spill beyond 64kB (the measure works)
SELECT count(*) FROM apriori_rules('SELECT b, i FROM bx', 0.04, 0.5, 3);
SELECT pg_temp.flush();
SELECT pg_temp.temp_bytes() - :tb0 > 0 AS rules_spilled;

-- with temp_file_limit, the error says what reduces the output
SET temp_file_limit = 0;
SELECT pg_temp.try_hint($$SELECT count(*) FROM apriori_rules('SELECT b, i FROM bx', 0.04, 0.5, 3)$$) AS rules;
SELECT pg_temp.try_hint($$SELECT count(*) FROM frequent_itemsets('SELECT b, i FROM bx', 0.04, 4)$$) AS itemsets;
-- the failures above come before any spill: no 53400 with no temp space
SELECT pg_temp.try($$SELECT count(*) FROM frequent_itemsets('SELECT b, i FROM bx', 0.04)$$) AS itemsets_identical,
       pg_temp.try($$SET LOCAL aimarketing.max_itemsets = 100000; SELECT count(*) FROM apriori_rules('SELECT b, i FROM bs', 0.5, 0.9)$$) AS rules_shared,
       pg_temp.try($$SET LOCAL aimarketing.max_rules = 10000; SELECT count(*) FROM apriori_rules('SELECT b, i FROM bx', 0.04, 0.5, 3)$$) AS rules_candidates;
RESET temp_file_limit;
RESET work_mem;
