--
-- roi and roas under parallel aggregation: the plan has Partial and
-- Finalize Aggregate nodes, and the results equal the serial ones.
--
SET extra_float_digits = 0;

CREATE TABLE roi_par (g int, revenue numeric(12,2), cost numeric(12,3),
                      revenue_f float8, cost_f float8);
INSERT INTO roi_par
SELECT i % 5,
       (i::bigint * 7919 % 100000) / 100.0,
       (i::bigint * 104729 % 50000) / 1000.0 + 0.5,
       (i % 1024) / 8.0,
       ((i * 31) % 512) / 4.0 + 1
  FROM generate_series(1, 200000) i;
ANALYZE roi_par;

-- serial
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_res AS
SELECT g, roi(revenue, cost) AS roi_n, roas(revenue, cost) AS roas_n,
       roi(revenue_f, cost_f) AS roi_f, roas(revenue_f, cost_f) AS roas_f
  FROM roi_par GROUP BY g
UNION ALL
SELECT NULL, roi(revenue, cost), roas(revenue, cost),
       roi(revenue_f, cost_f), roas(revenue_f, cost_f)
  FROM roi_par;

-- force a parallel plan
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT roi(revenue, cost), roas(revenue_f, cost_f) FROM roi_par;
EXPLAIN (COSTS OFF)
SELECT g, roi(revenue, cost), roas(revenue, cost),
       roi(revenue_f, cost_f), roas(revenue_f, cost_f)
  FROM roi_par GROUP BY g;

CREATE TEMP TABLE parallel_res AS
SELECT g, roi(revenue, cost) AS roi_n, roas(revenue, cost) AS roas_n,
       roi(revenue_f, cost_f) AS roi_f, roas(revenue_f, cost_f) AS roas_f
  FROM roi_par GROUP BY g
UNION ALL
SELECT NULL, roi(revenue, cost), roas(revenue, cost),
       roi(revenue_f, cost_f), roas(revenue_f, cost_f)
  FROM roi_par;

-- numeric results are identical (exact); float8 ones too here, since the
-- inputs are multiples of 1/8 whose sums are exact in any order
SELECT count(*) AS groups,
       count(*) FILTER (WHERE s.roi_n = p.roi_n AND s.roas_n = p.roas_n
                          AND s.roi_n::text = p.roi_n::text
                          AND s.roi_f = p.roi_f AND s.roas_f = p.roas_f) AS identical
  FROM serial_res s JOIN parallel_res p ON s.g IS NOT DISTINCT FROM p.g;

-- and equal to the plain formula
SELECT roi(revenue, cost) = (sum(revenue) - sum(cost)) / sum(cost) AS equals_plain
  FROM roi_par;
SELECT roi(revenue, cost) FROM roi_par;

DROP TABLE roi_par;
