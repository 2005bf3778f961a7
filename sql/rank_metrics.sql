-- Ranking metrics: hit_at_k, precision_at_k, recall_at_k, ndcg_at_k,
-- average_precision_at_k.  Expected values are written out from the
-- definitions (lg(x) below is the base-2 logarithm in float8), not from the
-- code.
CREATE FUNCTION pg_temp.lg(x float8) RETURNS float8 LANGUAGE sql AS 'SELECT ln(x) / ln(2)';

-- one list, relevant {b,e,x}: b at rank 2, e at rank 5
SELECT k,
       hit_at_k(r, rel, k) AS hit,
       precision_at_k(r, rel, k) = hits::float8 / k AS precision_ok,
       recall_at_k(r, rel, k) = hits::float8 / 3 AS recall_ok,
       abs(ndcg_at_k(r, rel, k) - dcg / (SELECT sum(1 / pg_temp.lg(i + 1)) FROM generate_series(1, least(3, k)) i)) < 1e-12 AS ndcg_ok,
       abs(average_precision_at_k(r, rel, k) - ap / least(3, k)) < 1e-12 AS ap_ok
FROM (VALUES (1, 0, 0::float8, 0::float8),
             (2, 1, 1 / pg_temp.lg(3), 1 / 2.0),
             (3, 1, 1 / pg_temp.lg(3), 1 / 2.0),
             (5, 2, 1 / pg_temp.lg(3) + 1 / pg_temp.lg(6), 1 / 2.0 + 2 / 5.0),
             (10, 2, 1 / pg_temp.lg(3) + 1 / pg_temp.lg(6), 1 / 2.0 + 2 / 5.0)) AS v(k, hits, dcg, ap),
     (SELECT '{a,b,c,d,e}'::text[] AS r, '{b,e,x}'::text[] AS rel) AS l
ORDER BY k;

-- the figures themselves, rounded, for k = 3 and 5
SELECT round(precision_at_k('{a,b,c,d,e}'::text[], '{b,e,x}', 3)::numeric, 6) AS p3,
       round(ndcg_at_k('{a,b,c,d,e}'::text[], '{b,e,x}', 3)::numeric, 6) AS ndcg3,
       round(average_precision_at_k('{a,b,c,d,e}'::text[], '{b,e,x}', 5)::numeric, 6) AS ap5;

-- a perfect list scores 1 everywhere; a list with no relevant item 0
SELECT hit_at_k(a, a, 3), precision_at_k(a, a, 3), recall_at_k(a, a, 3),
       ndcg_at_k(a, a, 3), average_precision_at_k(a, a, 3)
FROM (VALUES ('{7,8,9}'::int[])) v(a);
SELECT hit_at_k('{1,2}'::int[], '{3}', 2), ndcg_at_k('{1,2}'::int[], '{3}', 2),
       average_precision_at_k('{1,2}'::int[], '{3}', 2);

-- more relevant items than k: recall divides by |relevant|, NDCG and AP by k
SELECT recall_at_k('{1,2}'::int[], '{1,2,3,4}', 2) AS recall,
       ndcg_at_k('{1,2}'::int[], '{1,2,3,4}', 2) AS ndcg,
       average_precision_at_k('{1,2}'::int[], '{1,2,3,4}', 2) AS ap;

-- a list shorter than k counts as padded with irrelevant items
SELECT precision_at_k('{1}'::int[], '{1}', 4) AS precision,
       ndcg_at_k('{1}'::int[], '{1}', 4) AS ndcg;

-- a repeated element keeps its position but is never a hit again: in
-- {b,b,a,e} e is at position 4, and {e,e} has one hit
SELECT abs(ndcg_at_k('{b,b,a,e}'::text[], '{e}', 4) - 1 / pg_temp.lg(5)) < 1e-12 AS ndcg_rank4,
       ndcg_at_k('{b,b,a,e}'::text[], '{e}', 3) AS ndcg_cut_at_3,
       precision_at_k('{e,e}'::text[], '{e,f}', 2) AS precision_dup,
       recall_at_k('{e,e}'::text[], '{e,f}', 2) AS recall_dup,
       average_precision_at_k('{e,e}'::text[], '{e,f}', 2) AS ap_dup;
-- duplicates in relevant count once
SELECT recall_at_k('{1}'::int[], '{1,1,2,2}', 5) AS recall;

-- a NULL element of recommended keeps its position and is never relevant;
-- NULLs in relevant are ignored
SELECT hit_at_k('{NULL,5}'::int[], '{5,NULL}', 1) AS hit1,
       hit_at_k('{NULL,5}'::int[], '{5,NULL}', 2) AS hit2,
       abs(ndcg_at_k('{NULL,5}'::int[], '{5,NULL}', 2) - 1 / pg_temp.lg(3)) < 1e-12 AS ndcg2,
       recall_at_k('{NULL,5}'::int[], '{5,NULL}', 2) AS recall2;

-- no relevant element: undefined, NULL
SELECT hit_at_k('{1}'::int[], '{}', 1) IS NULL AS empty,
       ndcg_at_k('{1}'::int[], '{NULL}', 1) IS NULL AS only_null,
       recall_at_k('{}'::int[], '{}', 1) IS NULL AS both_empty;
-- an empty list scores 0
SELECT hit_at_k('{}'::int[], '{1}', 3), average_precision_at_k('{}'::int[], '{1}', 3);

-- NULL arguments: NULL (strict)
SELECT hit_at_k(NULL::int[], '{1}', 3) IS NULL AS rec_null,
       hit_at_k('{1}'::int[], NULL, 3) IS NULL AS rel_null,
       hit_at_k('{1}'::int[], '{1}', NULL) IS NULL AS k_null;

-- any element type with an equality: bigint, numeric (1.0 = 1.00), text
-- under the call's collation
SELECT hit_at_k('{10000000000}'::bigint[], '{10000000000}', 1) AS bigint,
       hit_at_k('{1.0}'::numeric[], '{1.00}', 1) AS numeric,
       hit_at_k(ARRAY['ä'], ARRAY['ä' COLLATE "C"], 1) AS text_c;
-- lower bounds do not matter: arrays are read in subscript order
SELECT abs(ndcg_at_k('[5:6]={1,2}'::int[], '{2}', 2) - 1 / pg_temp.lg(3)) < 1e-12 AS bounds_ignored;

-- a type with equality but no hash function (money: compared pairwise)
SELECT recall_at_k('{1,2,2,3}'::money[], '{3,3,4}', 4) AS recall_money,
       abs(ndcg_at_k('{1,2,2,3}'::money[], '{3,3,4}', 4) - 1 / pg_temp.lg(5) / (1 + 1 / pg_temp.lg(3))) < 1e-12 AS ndcg_money,
       precision_at_k('{3,3}'::money[], '{3}', 2) AS precision_dup_money;

-- the worked examples of test/ref/RECOMMEND.md section 10.  First:
-- [A, B, A, NULL, C] against {A, C, D} at k = 4: the only hit is A at rank
-- 1 (the second A is a duplicate, NULL is never relevant, C is beyond k):
-- NDCG = 1 / (1 + 1/lg 3 + 1/lg 4), precision 1/4, recall 1/3,
-- AP = (1/1) / min(3, 4)
SELECT hit_at_k(r, rel, 4) AS hit,
       ndcg_at_k(r, rel, 4) AS ndcg,
       abs(ndcg_at_k(r, rel, 4) - 1 / (1 + 1 / pg_temp.lg(3) + 1 / pg_temp.lg(4))) < 1e-15 AS ndcg_ok,
       precision_at_k(r, rel, 4) AS precision,
       recall_at_k(r, rel, 4) = 1 / 3.0::float8 AS recall_ok,
       average_precision_at_k(r, rel, 4) = 1 / 3.0::float8 AS ap_ok
FROM (VALUES ('{A,B,A,NULL,C}'::text[], '{A,C,D}'::text[])) v(r, rel);
-- second: [X, A, Y, C] against {C, A} at k = 3: one hit, A at rank 2:
-- NDCG = (1/lg 3) / (1 + 1/lg 3), precision 1/3, recall 1/2, AP = (1/2) / 2
SELECT hit_at_k(r, rel, 3) AS hit,
       ndcg_at_k(r, rel, 3) AS ndcg,
       abs(ndcg_at_k(r, rel, 3) - (1 / pg_temp.lg(3)) / (1 + 1 / pg_temp.lg(3))) < 1e-15 AS ndcg_ok,
       precision_at_k(r, rel, 3) = 1 / 3.0::float8 AS precision_ok,
       recall_at_k(r, rel, 3) AS recall,
       average_precision_at_k(r, rel, 3) AS ap
FROM (VALUES ('{X,A,Y,C}'::text[], '{C,A}'::text[])) v(r, rel);
-- and one hit in a one-element list at k = 10 against three relevant:
-- NDCG = 1 / (1 + 1/lg 3 + 1/lg 4) again, precision 1/10, AP = 1/3
SELECT ndcg_at_k('{A}'::text[], '{A,B,C}', 10) = ndcg_at_k('{A,B,A,NULL,C}'::text[], '{A,C,D}', 4) AS ndcg_same,
       precision_at_k('{A}'::text[], '{A,B,C}', 10) AS precision,
       average_precision_at_k('{A}'::text[], '{A,B,C}', 10) = 1 / 3.0::float8 AS ap_ok;

-- bad input
SELECT hit_at_k('{1}'::int[], '{1}', 0);
SELECT ndcg_at_k('{1}'::int[], '{1}', -5);
SELECT precision_at_k('{{1,2},{3,4}}'::int[], '{1}', 2);
SELECT recall_at_k('{1}'::int[], '{{1}}'::int[], 2);
SELECT hit_at_k('{1}'::int[], '{1}'::bigint[], 1);
SELECT hit_at_k(ARRAY['(1,2)'::point], ARRAY['(1,2)'::point], 1);
