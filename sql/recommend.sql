--
-- item_neighbors() and recommend_items() on hand-checkable data: the toy
-- case of test/ref/RECOMMEND.md section 10 (weights, a repeated row, a
-- one-item customer, k larger than the catalogue, ties, min_common 2) and
-- a pseudo-random weighted set, each against a plain-SQL computation of
-- the definitions of RECOMMEND.md sections 2-4 over all pairs; EASE^R
-- against the exact fractions of section 10; determinism, key types, NULL
-- and zero weights; bad input with its SQLSTATE.
--
-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

-- the toy rows (customer, item, weight); c5 buys A twice (weight 2)
CREATE TABLE toy (customer text, item text, weight float8);
INSERT INTO toy VALUES
  ('c1', 'A', 1), ('c1', 'B', 2), ('c1', 'C', 1),
  ('c2', 'A', 1), ('c2', 'B', 1),
  ('c3', 'B', 3), ('c3', 'C', 1), ('c3', 'D', 1),
  ('c4', 'C', 1), ('c4', 'D', 2), ('c4', 'E', 1),
  ('c5', 'A', 1), ('c5', 'A', 1);

--
-- The reference, in plain SQL, over the rows of table src (the toy rows
-- first, pseudo-random ones below): pairs with their summed weight (NULL
-- items and weights skipped, zero sums dropped), per-item and per-customer
-- counts, bm25 weights, co-occurrence over all pairs i <> j.
--
CREATE TABLE src (customer text, item text, weight float8);
CREATE VIEW v_ref_pair AS
  SELECT customer, item, sum(weight) AS w FROM src
   WHERE item IS NOT NULL AND weight IS NOT NULL
   GROUP BY 1, 2 HAVING sum(weight) <> 0;
CREATE TABLE ref_pair AS SELECT * FROM v_ref_pair;
CREATE UNIQUE INDEX ON ref_pair (customer, item);
CREATE VIEW v_ref_item AS
  SELECT item, count(*) AS n, sqrt(sum(w * w)) AS norm, sum(w) AS rowsum FROM ref_pair GROUP BY 1;
CREATE TABLE ref_item AS SELECT * FROM v_ref_item;
-- implicit's bm25_weight of the item x customer matrix: idf per customer
-- from the number of items I, length normalisation per item
CREATE VIEW v_ref_bm25 AS
  SELECT p.customer, p.item,
         ((p.w * 2.2) / (1.2 * (0.25 + (0.75 * i.rowsum) / (SELECT avg(rowsum) FROM ref_item)) + p.w))
           * (ln((SELECT count(*) FROM ref_item)::float8) - ln(1 + c.df::float8)) AS v
    FROM ref_pair p JOIN ref_item i USING (item)
    JOIN (SELECT customer, count(*) AS df FROM ref_pair GROUP BY 1) c USING (customer);
CREATE TABLE ref_bm25 AS SELECT * FROM v_ref_bm25;
CREATE VIEW v_ref_co AS
  SELECT a.item AS i, b.item AS j, count(*) AS c, sum(a.w * b.w) AS dot, sum(x.v * y.v) AS bm25
    FROM ref_pair a JOIN ref_pair b ON b.customer = a.customer AND b.item <> a.item
    JOIN ref_bm25 x ON x.customer = a.customer AND x.item = a.item
    JOIN ref_bm25 y ON y.customer = b.customer AND y.item = b.item
   GROUP BY 1, 2;
CREATE TABLE ref_co AS SELECT * FROM v_ref_co;
-- every pair's similarity, the formulas of RECOMMEND.md section 2 in its
-- evaluation order
CREATE VIEW v_ref_sim AS
  SELECT s.name AS sim, co.i AS item, co.j AS neighbor, co.c AS common,
         CASE s.name
           WHEN 'cosine' THEN co.c / sqrt(ni.n::float8 * nj.n::float8)
           WHEN 'cosine_weighted' THEN co.dot / (ni.norm * nj.norm)
           WHEN 'bm25' THEN co.bm25
           WHEN 'jaccard' THEN co.c / (ni.n + nj.n - co.c)::float8
           WHEN 'confidence' THEN co.c / ni.n::float8
           WHEN 'lift' THEN (co.c::float8 * (SELECT count(DISTINCT customer) FROM ref_pair))
                            / (ni.n::float8 * nj.n::float8)
         END AS similarity
    FROM ref_co co JOIN ref_item ni ON ni.item = co.i JOIN ref_item nj ON nj.item = co.j,
         (VALUES ('cosine'), ('cosine_weighted'), ('bm25'), ('jaccard'), ('confidence'), ('lift')) s(name);
CREATE TABLE ref_sim AS SELECT * FROM v_ref_sim;
CREATE INDEX ON ref_sim (sim, item);
-- the reference of the rows now in src, in tables
CREATE FUNCTION pg_temp.ref_load() RETURNS void LANGUAGE plpgsql AS $f$
BEGIN
  TRUNCATE ref_pair, ref_item, ref_bm25, ref_co, ref_sim;
  INSERT INTO ref_pair SELECT * FROM v_ref_pair;
  INSERT INTO ref_item SELECT * FROM v_ref_item;
  INSERT INTO ref_bm25 SELECT * FROM v_ref_bm25;
  ANALYZE ref_pair, ref_bm25;
  INSERT INTO ref_co SELECT * FROM v_ref_co;
  INSERT INTO ref_sim SELECT * FROM v_ref_sim;
  ANALYZE ref_pair, ref_item, ref_co, ref_sim;
END $f$;
-- ranked neighbour lists: similarity descending, then byte order
CREATE FUNCTION pg_temp.ref_neighbors(s text, min_common int)
RETURNS TABLE (item text, neighbor text, similarity float8, common bigint, rank bigint)
LANGUAGE sql AS $$
  SELECT item, neighbor, similarity, common,
         row_number() OVER (PARTITION BY item ORDER BY similarity DESC, neighbor COLLATE "C")
    FROM ref_sim WHERE sim = s AND common >= min_common
$$;
-- item_neighbors(query, k, s, min_common) against the reference: rows,
-- rows whose (item, rank) disagree (another neighbour, common or a
-- similarity off by more than tol relative), and whether every similarity
-- is the reference's double exactly.  A neighbour may differ from the
-- reference only where two reference similarities are within tol.
CREATE FUNCTION pg_temp.check_neighbors(q text, k int, s text, min_common int, tol float8)
RETURNS TABLE (rows bigint, ref_rows bigint, bad bigint, exact boolean)
LANGUAGE sql AS $$
  WITH got AS (SELECT * FROM item_neighbors(q, k, s, min_common)),
       ref AS (SELECT * FROM pg_temp.ref_neighbors(s, min_common)),
       j AS (SELECT g.item AS gi, g.neighbor AS gn, g.similarity AS gs, g.common AS gc,
                    r.neighbor AS rn, r.similarity AS rs, r.common AS rc,
                    coalesce(g.item, r.item) AS item
               FROM got g FULL JOIN (SELECT * FROM ref WHERE rank <= k) r
                 ON r.item = g.item AND r.rank = g.rank)
  SELECT (SELECT count(*) FROM got), (SELECT count(*) FROM ref WHERE rank <= k),
         count(*) FILTER (
           WHERE gi IS NULL OR rn IS NULL
              OR abs(gs - rs) > tol * greatest(1, abs(rs))
              OR (gn <> rn AND NOT EXISTS (
                    SELECT 1 FROM ref r2 WHERE r2.item = j.item AND r2.neighbor = j.gn
                       AND r2.common = j.gc AND abs(r2.similarity - j.gs) <= tol * greatest(1, abs(j.gs))))
              OR (gn = rn AND gc <> rc)),
         bool_and(gs = rs AND gn = rn)
    FROM j
$$;
-- recommend_items(query, k, s, neighbors, exclude_owned) by the
-- definition of RECOMMEND.md section 4 over the reference lists, with the
-- popularity fill (score NULL)
CREATE FUNCTION pg_temp.ref_recommend(s text, k int, nbrs int, excl boolean)
RETURNS TABLE (customer text, item text, score float8, rank bigint)
LANGUAGE sql AS $$
  WITH nb AS (SELECT * FROM pg_temp.ref_neighbors(s, 1) WHERE nbrs IS NULL OR rank <= nbrs),
       cand AS (SELECT o.customer, nb.neighbor AS item, sum(o.w * nb.similarity) AS score
                  FROM ref_pair o JOIN nb ON nb.item = o.item
                 GROUP BY 1, 2),
       kept AS (SELECT c.*, row_number() OVER (PARTITION BY c.customer
                                              ORDER BY c.score DESC, c.item COLLATE "C") AS rank
                  FROM cand c
                  LEFT JOIN ref_pair o ON excl AND o.customer = c.customer AND o.item = c.item
                 WHERE o.item IS NULL),
       top AS (SELECT * FROM kept WHERE rank <= k),
       ntop AS (SELECT customer, count(*) AS m FROM top GROUP BY 1),
       fill AS (SELECT u.customer, i.item, NULL::float8 AS score,
                       coalesce(nt.m, 0) + row_number() OVER (PARTITION BY u.customer
                                                              ORDER BY i.n DESC, i.item COLLATE "C") AS rank
                  FROM (SELECT DISTINCT customer FROM ref_pair) u CROSS JOIN ref_item i
                  LEFT JOIN ntop nt ON nt.customer = u.customer
                  LEFT JOIN top t ON t.customer = u.customer AND t.item = i.item
                  LEFT JOIN ref_pair o ON excl AND o.customer = u.customer AND o.item = i.item
                 WHERE t.item IS NULL AND o.item IS NULL)
  SELECT * FROM top UNION ALL SELECT * FROM fill WHERE rank <= k
$$;
-- recommend_items against it: rows, disagreeing (customer, rank) (another
-- item is allowed only where the reference scores it within tol of it)
CREATE FUNCTION pg_temp.check_recommend(q text, k int, s text, nbrs int, excl boolean, tol float8)
RETURNS TABLE (rows bigint, ref_rows bigint, filled bigint, bad bigint)
LANGUAGE sql AS $$
  WITH got AS (SELECT * FROM recommend_items(q, k, s, nbrs, excl)),
       ref AS (SELECT * FROM pg_temp.ref_recommend(s, k, nbrs, excl)),
       j AS (SELECT g.customer AS gu, g.item AS gi, g.score AS gs, r.item AS ri, r.score AS rs,
                    coalesce(g.customer, r.customer) AS customer
               FROM got g FULL JOIN ref r ON r.customer = g.customer AND r.rank = g.rank)
  SELECT (SELECT count(*) FROM got), (SELECT count(*) FROM ref),
         (SELECT count(*) FROM got WHERE score IS NULL),
         count(*) FILTER (
           WHERE gu IS NULL OR ri IS NULL OR (gs IS NULL) <> (rs IS NULL)
              OR abs(gs - rs) > tol * greatest(1, abs(rs))
              OR (gi <> ri AND (gs IS NULL OR NOT EXISTS (
                    SELECT 1 FROM ref r2 WHERE r2.customer = j.customer AND r2.item = j.gi
                       AND abs(r2.score - j.gs) <= tol * greatest(1, abs(j.gs))))))
    FROM j
$$;

INSERT INTO src SELECT * FROM toy;
SELECT pg_temp.ref_load();

--
-- toy case: the tables of RECOMMEND.md section 10, shown, then every
-- similarity against the reference (k = 10 > the 5 items)
--
-- cosine: B's neighbours A and C tie at 2/3 (A first by byte order); E has
-- one customer
SELECT * FROM item_neighbors('SELECT customer, item FROM toy', 10, 'cosine');
-- confidence is asymmetric (D->C = 1, C->D = 2/3); C->B and C->D tie at
-- 2/3, E->C and E->D at 1
SELECT item, neighbor, similarity, common, rank
  FROM item_neighbors('SELECT customer, item FROM toy', 10, 'confidence') WHERE item IN ('C', 'D', 'E');
-- lift: C->D = 2*5/(3*2) and C->E = 1*5/(3*1) are the same double, D first
SELECT item, neighbor, similarity, rank
  FROM item_neighbors('SELECT customer, item FROM toy', 10, 'lift') WHERE item = 'C';
-- bm25 on the weights: sim(A, B) = W_A,c1 W_B,c1 + W_A,c2 W_B,c2 = 0.23793...
SELECT item, neighbor, round(similarity::numeric, 12) AS similarity, common, rank
  FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, 'bm25') WHERE item = 'A';
-- min_common 2, k 1
SELECT * FROM item_neighbors('SELECT customer, item FROM toy', 1, 'cosine', 2);

-- every similarity against the reference, on the weighted query; the
-- count-based ones to the bit (exact), the weighted ones to 1e-12 relative
-- (their sums may run in another order than SQL's)
SELECT s AS similarity, c.rows, c.ref_rows, c.bad, CASE WHEN tol = 0 THEN c.exact END AS exact
  FROM (VALUES (1, 'cosine', 0.0), (2, 'cosine_weighted', 1e-12), (3, 'bm25', 1e-12),
               (4, 'jaccard', 0.0), (5, 'confidence', 0.0), (6, 'lift', 0.0)) v(n, s, tol),
       pg_temp.check_neighbors('SELECT customer, item, weight FROM toy', 10, s, 1, tol) c
 ORDER BY n;
-- min_common 2 and k 1, 2
SELECT s AS similarity, k, c.rows, c.ref_rows, c.bad, CASE WHEN tol = 0 THEN c.exact END AS exact
  FROM (VALUES (1, 'cosine', 0.0), (2, 'cosine_weighted', 1e-12), (3, 'bm25', 1e-12),
               (4, 'jaccard', 0.0), (5, 'confidence', 0.0), (6, 'lift', 0.0)) v(n, s, tol),
       (VALUES (1), (2)) kk(k),
       pg_temp.check_neighbors('SELECT customer, item, weight FROM toy', k, s, 2, tol) c
 ORDER BY n, k;
-- the binary query gives the count-based similarities of the weighted one
SELECT s AS similarity,
       (SELECT count(*) FROM (SELECT * FROM item_neighbors('SELECT customer, item FROM toy', 10, s)
                              EXCEPT ALL
                              SELECT * FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, s)) d)
         AS differing
  FROM (VALUES ('cosine'), ('jaccard'), ('confidence'), ('lift')) v(s);

--
-- EASE^R with l2 = 1 on the weights: B_ij = -P_ij / P_jj, P = (X'X + I)^-1,
-- exactly these fractions (RECOMMEND.md section 10)
--
CREATE TABLE ease_exact (i text, j text, num int, den int);
INSERT INTO ease_exact VALUES
  ('A', 'B', 8, 33), ('A', 'C', 3, 107), ('A', 'D', -3, 32), ('A', 'E', 8, 271),
  ('B', 'A', 32, 157), ('B', 'C', 86, 321), ('B', 'D', 13, 352), ('B', 'E', -33, 271),
  ('C', 'A', 18, 157), ('C', 'B', 43, 33), ('C', 'D', 6, 11), ('C', 'E', 43, 271),
  ('D', 'A', -33, 157), ('D', 'B', 13, 132), ('D', 'C', 32, 107), ('D', 'E', 256, 813),
  ('E', 'A', 24, 157), ('E', 'B', -3, 4), ('E', 'C', 43, 214), ('E', 'D', 8, 11);
-- the lists: only pairs with a common customer (A's list is B, C: B_AE =
-- 8/271 > B_AC = 3/107 but A and E share no customer), by B_ij descending
SELECT n.item, n.neighbor, n.common, n.rank, e.num || '/' || e.den AS exact,
       abs(n.similarity - e.num::float8 / e.den) < 1e-12 AS within_1e12
  FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, 'ease', l2 => 1) n
  JOIN ease_exact e ON e.i = n.item AND e.j = n.neighbor
 ORDER BY n.item, n.rank;
-- the same lists from the fractions and the reference's common counts
SELECT count(*) AS rows,
       count(*) FILTER (WHERE n.neighbor IS DISTINCT FROM r.j OR n.common IS DISTINCT FROM r.c) AS bad
  FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, 'ease', l2 => 1) n
  FULL JOIN (SELECT e.i, e.j, co.c,
                    row_number() OVER (PARTITION BY e.i ORDER BY e.num::numeric / e.den DESC) AS rank
               FROM ease_exact e JOIN ref_co co ON co.i = e.i AND co.j = e.j) r
    ON r.i = n.item AND r.rank = n.rank;
-- min_common 2: only A-B, B-A, B-C, C-B, C-D, D-C remain
SELECT item, neighbor, rank FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, 'ease', 2, 1);
-- recommend_items' ease scores are X B over every item (exclude_owned off,
-- k = 5: all 25 scores), to 1e-12 of the exact sums of fractions
SELECT count(*) AS scores,
       count(*) FILTER (WHERE abs(r.score - x.exact) < 1e-12) AS within_1e12,
       count(*) FILTER (WHERE r.score IS NULL) AS nulls
  FROM recommend_items('SELECT customer, item, weight FROM toy', 5, 'ease', exclude_owned => false, l2 => 1) r
  JOIN (SELECT p.customer, e.j AS item, sum(p.w * e.num::numeric / e.den)::float8 AS exact
          FROM ref_pair p JOIN ease_exact e ON e.i = p.item
         GROUP BY 1, 2
        UNION ALL
        -- no owned item other than j itself (B_jj = 0): score 0 (c5, A)
        SELECT u.customer, i.item, 0
          FROM (SELECT DISTINCT customer FROM ref_pair) u CROSS JOIN ref_item i
         WHERE NOT EXISTS (SELECT 1 FROM ref_pair p JOIN ease_exact e ON e.i = p.item
                            WHERE p.customer = u.customer AND e.j = i.item)) x
    ON x.customer = r.customer AND x.item = r.item;
-- ... and their order: by score, then byte order
SELECT count(*) AS misordered
  FROM (SELECT rank, lag(score) OVER w AS prev_score, score, lag(item) OVER w AS prev_item, item
          FROM recommend_items('SELECT customer, item, weight FROM toy', 5, 'ease', exclude_owned => false, l2 => 1)
        WINDOW w AS (PARTITION BY customer ORDER BY rank)) s
 WHERE prev_score < score OR (prev_score = score AND prev_item COLLATE "C" > item);

--
-- recommend_items on the toy case (RECOMMEND.md section 10's tables;
-- score NULL = a popularity fill)
--
-- cosine, neighbors 1: c2 owns A and B, each the other's only neighbour,
-- so three fills (C: 3 customers, D: 2, E: 1); c3's only candidate is A =
-- w_B sim(B, A) = 3 * 2/3 = 2
SELECT * FROM recommend_items('SELECT customer, item, weight FROM toy', 3, 'cosine', 1);
-- cosine, all neighbours: c4 (C 1, D 2, E 1): B = 1*(2/3) + 2*(1/sqrt 6)
SELECT * FROM recommend_items('SELECT customer, item, weight FROM toy', 3, 'cosine', NULL);
-- bm25, all neighbours
SELECT customer, item, round(score::numeric, 12) AS score, rank
  FROM recommend_items('SELECT customer, item, weight FROM toy', 3, 'bm25', NULL);
-- ease, l2 = 1 (every item is a candidate: no fill); rounded, as OpenBLAS
-- kernels differ by CPU in the last bits
SELECT customer, item, round(score::numeric, 12) AS score, rank
  FROM recommend_items('SELECT customer, item, weight FROM toy', 3, 'ease', l2 => 1);
-- popular: distinct customers per item (A, B, C 3; D 2; E 1), ties by byte order
SELECT * FROM recommend_items('SELECT customer, item, weight FROM toy', 3, 'popular');
-- exclude_owned off: owned items come back, as neighbours of other owned
-- items (self is never one) or as fills
SELECT * FROM recommend_items('SELECT customer, item, weight FROM toy', 2, 'cosine', 1, false);
SELECT * FROM recommend_items('SELECT customer, item FROM toy', 2, 'popular', exclude_owned => false)
 WHERE customer IN ('c4', 'c5');
-- k larger than the catalogue: a customer gets at most the items it does
-- not own (c4 owns 3 of 5)
SELECT customer, count(*) AS items, count(score) AS scored
  FROM recommend_items('SELECT customer, item, weight FROM toy', 10, 'jaccard', NULL)
 GROUP BY 1 ORDER BY 1;

-- every item-based similarity against the reference, neighbors 1, 2, NULL,
-- exclude_owned on and off
SELECT s AS similarity, nbrs, excl, c.*
  FROM (VALUES (1, 'cosine'), (2, 'cosine_weighted'), (3, 'bm25'), (4, 'jaccard'),
               (5, 'confidence'), (6, 'lift')) v(n, s),
       (VALUES (1), (2), (NULL)) nb(nbrs), (VALUES (true), (false)) e(excl),
       pg_temp.check_recommend('SELECT customer, item, weight FROM toy', 3, s, nbrs, excl, 1e-12) c
 ORDER BY n, nbrs NULLS LAST, excl DESC;

--
-- a larger pseudo-random weighted set: 120 customers, 25 items named so
-- that byte order differs from numeric order (i1, i10, i11, ..., i2),
-- integer weights 0..3 (zero pairs are no interaction, many ties), a few
-- rows repeated, an item and a customer whose weights are all 0
--
TRUNCATE src;
INSERT INTO src
SELECT 'u' || u, 'i' || i, (h >> 8) % 4
  FROM generate_series(1, 120) u, generate_series(1, 25) i,
       LATERAL (SELECT abs(hashint8(u * 1000 + i)) AS h) x
 WHERE h % 100 < 25 + 40 * (i % 3 = 0)::int;
INSERT INTO src SELECT customer, item, 1 FROM src WHERE abs(hashtext(customer || item)) % 7 = 0;
INSERT INTO src VALUES ('u999', 'i1', 0), ('u1', 'i999', 0), ('u2', 'i999', 0);
SELECT pg_temp.ref_load();
SELECT count(*) AS rows, count(*) FILTER (WHERE weight = 0) AS zero_rows,
       (SELECT count(*) FROM ref_pair) AS pairs, (SELECT count(*) FROM ref_item) AS items,
       (SELECT count(DISTINCT customer) FROM ref_pair) AS customers
  FROM src;
SELECT s AS similarity, k, mc AS min_common, c.rows, c.ref_rows, c.bad, CASE WHEN tol = 0 THEN c.exact END AS exact
  FROM (VALUES (1, 'cosine', 0.0), (2, 'cosine_weighted', 1e-12), (3, 'bm25', 1e-12),
               (4, 'jaccard', 0.0), (5, 'confidence', 0.0), (6, 'lift', 0.0)) v(n, s, tol),
       (VALUES (5, 1), (30, 1), (3, 4)) kk(k, mc),
       pg_temp.check_neighbors('SELECT customer, item, weight FROM src', k, s, mc, tol) c
 ORDER BY n, k, mc;
SELECT s AS similarity, nbrs, c.*
  FROM (VALUES (1, 'cosine'), (2, 'cosine_weighted'), (3, 'bm25'), (4, 'jaccard'),
               (5, 'confidence'), (6, 'lift')) v(n, s),
       (VALUES (3), (NULL)) nb(nbrs),
       pg_temp.check_recommend('SELECT customer, item, weight FROM src', 8, s, nbrs, true, 1e-12) c
 ORDER BY n, nbrs NULLS LAST;
-- popular: the distinct customers of each item
SELECT count(*) AS rows, count(*) FILTER (WHERE r.score IS DISTINCT FROM i.n::float8) AS bad_scores
  FROM recommend_items('SELECT customer, item, weight FROM src', 8, 'popular') r
  JOIN ref_item i USING (item);
-- EASE^R: B is the solution of min ||X - X B||^2 + l2 ||B||^2 with a zero
-- diagonal, whose optimality conditions are, for every i <> j,
--   (X'X B)_ij + l2 B_ij = (X'X)_ij
-- and X B is recommend_items' score matrix (exclude_owned off, k = every
-- item), so (X'S)_ij + l2 B_ij - (X'X)_ij must vanish for every pair of
-- item_neighbors (B_ij) and the reference's dot products (X'X)_ij
CREATE FUNCTION pg_temp.ease_kkt(q text, l2 float8)
RETURNS TABLE (pairs bigint, within_1e9 bigint)
LANGUAGE sql AS $$
  WITH s AS (SELECT * FROM recommend_items(q, 100000, 'ease', exclude_owned => false, l2 => l2)),
       xs AS (SELECT p.item AS i, s.item AS j, sum(p.w * s.score) AS v
                FROM ref_pair p JOIN s USING (customer) GROUP BY 1, 2)
  SELECT count(*),
         count(*) FILTER (WHERE abs(xs.v + l2 * n.similarity - co.dot) <= 1e-9 * greatest(1, co.dot))
    FROM item_neighbors(q, 100000, 'ease', 1, l2) n
    JOIN ref_co co ON co.i = n.item AND co.j = n.neighbor
    JOIN xs ON xs.i = n.item AND xs.j = n.neighbor
$$;
SELECT * FROM pg_temp.ease_kkt('SELECT customer, item, weight FROM src', 10);
-- (a control: the same lists with another l2 do not satisfy it)
SELECT pairs, within_1e9 < pairs AS fails_as_it_should
  FROM (SELECT count(*) AS pairs,
               count(*) FILTER (WHERE abs(xs.v + 10 * n.similarity - co.dot) <= 1e-9 * greatest(1, co.dot)) AS within_1e9
          FROM item_neighbors('SELECT customer, item, weight FROM src', 100000, 'ease', 1, 11) n
          JOIN ref_co co ON co.i = n.item AND co.j = n.neighbor
          JOIN (SELECT p.item AS i, s.item AS j, sum(p.w * s.score) AS v
                  FROM ref_pair p
                  JOIN recommend_items('SELECT customer, item, weight FROM src', 100, 'ease',
                                       exclude_owned => false, l2 => 10) s USING (customer)
                 GROUP BY 1, 2) xs ON xs.i = n.item AND xs.j = n.neighbor) c;
-- the same in the dual (Woodbury) form, which ease.c picks by its cost
-- model for few customers and many items (here 12 and about 300)
CREATE TABLE src_narrow AS SELECT * FROM src;
TRUNCATE src;
INSERT INTO src
SELECT 'w' || u, 'p' || i, 1 + (h >> 12) % 3
  FROM generate_series(1, 12) u, generate_series(1, 300) i,
       LATERAL (SELECT abs(hashint8(u * 7919 + i * 13)) AS h) x
 WHERE h % 12 = 0;
SELECT pg_temp.ref_load();
SELECT count(*) AS pairs, count(DISTINCT customer) AS customers, count(DISTINCT item) AS items FROM ref_pair;
SELECT * FROM pg_temp.ease_kkt('SELECT customer, item, weight FROM src', 1);
-- the wide set's other similarities, for good measure
SELECT s AS similarity, c.rows, c.ref_rows, c.bad, CASE WHEN tol = 0 THEN c.exact END AS exact
  FROM (VALUES (1, 'cosine', 0.0), (2, 'bm25', 1e-12), (3, 'lift', 0.0)) v(n, s, tol),
       pg_temp.check_neighbors('SELECT customer, item, weight FROM src', 20, s, 1, tol) c
 ORDER BY n;
TRUNCATE src;
INSERT INTO src SELECT * FROM src_narrow;
SELECT pg_temp.ref_load();

--
-- determinism: the same rows in another order, with repeated rows split
-- and rows that are no interaction added (NULL item, NULL weight, zero
-- weight: a pair, an item and a customer with only zero weights) give
-- the same output, bit for bit (ease: to 1e-12; its matrix has one more,
-- empty, item)
--
CREATE TABLE toy_split (customer text, item text, weight float8);
INSERT INTO toy_split VALUES
  ('c1', 'A', 1), ('c1', 'B', 0.5), ('c1', 'B', 1.5), ('c1', 'C', 1),
  ('c2', 'A', 1), ('c2', 'B', 1), ('c2', 'E', 0),
  ('c3', 'B', 1), ('c3', 'B', 1), ('c3', 'B', 1), ('c3', 'C', 1), ('c3', 'D', 1),
  ('c4', 'C', 1), ('c4', 'D', 2), ('c4', 'E', 1),
  ('c5', 'A', 1), ('c5', 'A', 1),
  ('c1', NULL, 1), ('c2', 'C', NULL), ('c6', 'A', 0), ('c1', 'F', 0);
SELECT s AS similarity,
       (SELECT count(*) FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, s, l2 => 1)) AS rows,
       (SELECT count(*) FROM (
          SELECT * FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, s, l2 => 1)
          EXCEPT ALL
          SELECT * FROM item_neighbors($q$SELECT customer, item, weight FROM toy_split
                                          ORDER BY md5(customer || coalesce(item, '-') || coalesce(weight::text, '-'))$q$,
                                       10, s, l2 => 1)) d) AS differing,
       (SELECT count(*) FROM (
          SELECT * FROM recommend_items('SELECT customer, item, weight FROM toy', 4, s, NULL, l2 => 1)
          EXCEPT ALL
          SELECT * FROM recommend_items($q$SELECT customer, item, weight FROM toy_split
                                           ORDER BY md5(coalesce(item, '-') || customer || coalesce(weight::text, '-')) DESC$q$,
                                        4, s, NULL, l2 => 1)) d) AS differing_recs
  FROM (VALUES (1, 'cosine'), (2, 'cosine_weighted'), (3, 'bm25'), (4, 'jaccard'),
               (5, 'confidence'), (6, 'lift')) v(n, s)
 ORDER BY n;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE b.neighbor IS DISTINCT FROM a.neighbor OR abs(a.similarity - b.similarity) > 1e-12)
         AS differing
  FROM item_neighbors('SELECT customer, item, weight FROM toy', 10, 'ease', l2 => 1) a
  FULL JOIN item_neighbors('SELECT customer, item, weight FROM toy_split ORDER BY md5(customer || item)',
                           10, 'ease', l2 => 1) b USING (item, rank);
SELECT count(*) AS rows,
       count(*) FILTER (WHERE b.item IS DISTINCT FROM a.item OR abs(a.score - b.score) > 1e-12) AS differing
  FROM recommend_items('SELECT customer, item, weight FROM toy', 4, 'ease', l2 => 1) a
  FULL JOIN recommend_items('SELECT customer, item, weight FROM toy_split ORDER BY md5(item || customer)',
                            4, 'ease', l2 => 1) b USING (customer, rank);
-- the customer (c6) and the item (F) with only zero weights appear nowhere
SELECT (SELECT count(*) FROM recommend_items('SELECT * FROM toy_split', 5, 'popular', exclude_owned => false)
         WHERE customer = 'c6' OR item = 'F') AS zero_weight_rows,
       (SELECT count(*) FROM item_neighbors('SELECT * FROM toy_split', 10, 'bm25')
         WHERE item = 'F' OR neighbor = 'F') AS zero_weight_neighbors;
-- the pseudo-random set: natural order against a shuffled one
SELECT s AS similarity,
       (SELECT count(*) FROM (
          SELECT * FROM item_neighbors('SELECT customer, item, weight FROM src', 10, s)
          EXCEPT ALL
          SELECT * FROM item_neighbors('SELECT customer, item, weight FROM src ORDER BY md5(item || customer || weight)',
                                       10, s)) d) AS differing,
       (SELECT count(*) FROM (
          SELECT * FROM recommend_items('SELECT customer, item, weight FROM src', 5, s, NULL)
          EXCEPT ALL
          SELECT * FROM recommend_items('SELECT customer, item, weight FROM src ORDER BY md5(customer || weight || item)',
                                        5, s, NULL)) d) AS differing_recs
  FROM (VALUES (1, 'cosine'), (2, 'cosine_weighted'), (3, 'bm25'), (4, 'jaccard'),
               (5, 'confidence'), (6, 'lift')) v(n, s)
 ORDER BY n;

--
-- key and weight types: integer, bigint, numeric, varchar and domain keys
-- are compared as their text (ties by byte order of it: '10' < '2'), any
-- numeric weight type
--
CREATE DOMAIN item_code AS varchar(10) CHECK (VALUE <> '');
CREATE DOMAIN amount AS int CHECK (VALUE >= 0);
CREATE TABLE toy_typed AS
SELECT substr(customer, 2)::int AS cust_int, substr(customer, 2)::bigint AS cust_big,
       m.code AS item_int, m.code::numeric AS item_num, ('x' || m.code)::varchar AS item_vc,
       ('x' || m.code)::item_code AS item_dom,
       weight::int2 AS w2, weight::int4 AS w4, weight::int8 AS w8, weight::float4 AS wf4,
       weight::numeric AS wnum, weight::int::amount AS wdom, weight
  FROM toy JOIN (VALUES ('A', 5), ('B', 10), ('C', 2), ('D', 30), ('E', 4)) m(item, code) USING (item);
-- B (10) has A (5) and C (2) tied at 2/3: '2' comes first in byte order
SELECT * FROM item_neighbors('SELECT cust_int, item_int FROM toy_typed', 10, 'cosine') WHERE item = '10';
SELECT q,
       (SELECT count(*) FROM (
          SELECT * FROM item_neighbors('SELECT cust_int::text, item_int::text, weight FROM toy_typed', 10, 'bm25')
          EXCEPT ALL SELECT * FROM item_neighbors(q, 10, 'bm25')) d) AS differing,
       (SELECT count(*) FROM (
          SELECT * FROM recommend_items('SELECT cust_int::text, item_int::text, weight FROM toy_typed', 3, 'cosine_weighted', NULL)
          EXCEPT ALL SELECT * FROM recommend_items(q, 3, 'cosine_weighted', NULL)) d) AS differing_recs
  FROM (VALUES ('SELECT cust_int, item_int, w2 FROM toy_typed'),
               ('SELECT cust_big, item_int, w4 FROM toy_typed'),
               ('SELECT cust_int, item_num, w8 FROM toy_typed'),
               ('SELECT cust_int::text, item_int::varchar, wf4 FROM toy_typed'),
               ('SELECT cust_int, item_int, wnum FROM toy_typed'),
               ('SELECT cust_int, item_int, wdom FROM toy_typed')) v(q);
SELECT q,
       (SELECT count(*) FROM (
          SELECT * FROM item_neighbors('SELECT cust_int::text, item_vc::text, weight FROM toy_typed', 10, 'lift')
          EXCEPT ALL SELECT * FROM item_neighbors(q, 10, 'lift')) d) AS differing
  FROM (VALUES ('SELECT cust_int, item_vc, w4 FROM toy_typed'),
               ('SELECT cust_int, item_dom, wdom FROM toy_typed'),
               ('SELECT cust_int::amount, item_dom FROM toy_typed')) v(q);
-- numeric keys are compared as text: 1.0 and 1.00 are two items
SELECT item, neighbor, similarity
  FROM item_neighbors('VALUES (1, 1.0), (1, 1.00), (2, 1.0)', 5, 'confidence');

--
-- bad input
--
-- the query: not a SELECT, writes, several statements, wrong columns
SELECT pg_temp.try($$SELECT * FROM item_neighbors('INSERT INTO toy VALUES (''c9'', ''Z'', 1) RETURNING customer, item')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('DELETE FROM toy RETURNING customer, item')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('WITH d AS (DELETE FROM toy RETURNING *) SELECT customer, item FROM d')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TRUNCATE toy')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('SELECT customer, item FROM toy; SELECT customer, item FROM toy')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('SELEC customer, item FROM toy')$$);
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('SELECT customer FROM toy')$$);
SELECT pg_temp.try_hint($$SELECT * FROM recommend_items('SELECT customer, item, weight, 1 FROM toy')$$);
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('SELECT customer, ARRAY[item] FROM toy')$$);
SELECT pg_temp.try_hint($$SELECT * FROM recommend_items('SELECT customer, item, item FROM toy')$$);
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('SELECT customer, item, weight > 1 FROM toy')$$);
-- a NULL customer is an error with a hint; NULL items and weights are skipped
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('SELECT NULL::text, item FROM toy')$$);
SELECT pg_temp.try_hint($$SELECT * FROM recommend_items('SELECT CASE WHEN item = ''E'' THEN NULL ELSE customer END, item FROM toy')$$);
-- weights: negative, NaN, infinite (float and numeric)
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('SELECT customer, item, weight - 2 FROM toy')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('SELECT customer, item, ''NaN''::float8 FROM toy')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('SELECT customer, item, ''-Infinity''::float4 FROM toy')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('SELECT customer, item, ''Infinity''::float8 FROM toy', 5, 'ease')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('SELECT customer, item, ''NaN''::numeric FROM toy', 5, 'popular')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('SELECT customer, item, -1::int2 FROM toy')$$);
-- finite weights whose products or squares overflow or underflow a double:
-- 22003 instead of a NaN or infinite similarity or score (or, for subnormal
-- weights, a weighted cosine dividing by a zero norm)
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('VALUES (1, ''a'', 1e308::float8), (1, ''b'', 1e308), (2, ''a'', 1)', 5, 'cosine_weighted')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('VALUES (1, ''a'', 5e-324::float8), (1, ''b'', 5e-324), (2, ''a'', 1)', 5, 'cosine_weighted')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('VALUES (1, ''a'', 1e308::float8), (1, ''b'', 1e308), (2, ''a'', 1)', 5, 'bm25')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('VALUES (1, ''a'', 1e308::float8), (1, ''b'', 1e308), (1, ''d'', 1e308), (2, ''a'', 1), (2, ''b'', 1), (2, ''c'', 1), (2, ''d'', 1)', 5, 'cosine')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('VALUES (1, ''a'', 1e200::float8), (1, ''b'', 1e200)', 5, 'ease')$$);
-- large weights that stay in range are fine (the cosine is scale-free)
SELECT item, neighbor, similarity
  FROM item_neighbors('VALUES (1, ''a'', 1e150::float8), (1, ''b'', 1e150), (2, ''a'', 1e150)', 5, 'cosine_weighted');
-- k, neighbors, min_common < 1
SELECT pg_temp.try($$SELECT * FROM item_neighbors('TABLE toy', 0)$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('TABLE toy', 5, 'cosine', 0)$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('TABLE toy', -3, 'ease')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TABLE toy', 0)$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TABLE toy', 5, 'cosine', 0)$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TABLE toy', 5, 'popular', -1)$$);
-- l2 < 0, NaN, infinite
SELECT pg_temp.try($$SELECT * FROM item_neighbors('TABLE toy', 5, 'ease', 1, -1)$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('TABLE toy', 5, 'ease', 1, 'NaN')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TABLE toy', 5, 'ease', l2 => 'Infinity')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TABLE toy', 5, 'cosine', l2 => -0.5)$$);
-- unknown similarity: the valid names are listed; 'popular' is no
-- similarity for item_neighbors
SELECT pg_temp.try($$SELECT * FROM item_neighbors('TABLE toy', 5, 'pearson')$$);
SELECT pg_temp.try($$SELECT * FROM item_neighbors('TABLE toy', 5, 'popular')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TABLE toy', 5, 'Cosine')$$);
-- NULL arguments (only recommend_items' neighbors may be NULL)
SELECT pg_temp.try(format('SELECT * FROM item_neighbors(%s)', args))
  FROM (VALUES ('NULL'), ('''TABLE toy'', NULL'), ('''TABLE toy'', 5, NULL'),
               ('''TABLE toy'', 5, ''cosine'', NULL'), ('''TABLE toy'', 5, ''ease'', 1, NULL')) v(args);
SELECT pg_temp.try(format('SELECT * FROM recommend_items(%s)', args))
  FROM (VALUES ('NULL'), ('''TABLE toy'', NULL'), ('''TABLE toy'', 5, NULL'),
               ('''TABLE toy'', 5, ''cosine'', 20, NULL'), ('''TABLE toy'', 5, ''ease'', 20, true, NULL'),
               ('''TABLE toy'', 5, ''cosine'', NULL')) v(args);
-- empty input, or nothing but skipped rows and zero weights: no rows
SELECT (SELECT count(*) FROM item_neighbors('SELECT customer, item FROM toy WHERE false')) AS empty_neighbors,
       (SELECT count(*) FROM item_neighbors('SELECT customer, item FROM toy WHERE false', 5, 'ease')) AS empty_ease,
       (SELECT count(*) FROM recommend_items('SELECT customer, item FROM toy WHERE false')) AS empty_recs,
       (SELECT count(*) FROM recommend_items('SELECT customer, item FROM toy WHERE false', 5, 'ease')) AS empty_ease_recs,
       (SELECT count(*) FROM recommend_items('SELECT customer, NULL::text FROM toy', 5, 'popular')) AS null_items,
       (SELECT count(*) FROM recommend_items('SELECT customer, item, 0 FROM toy', 5, 'bm25', NULL)) AS zero_weights,
       (SELECT count(*) FROM item_neighbors('SELECT customer, item, 0.0 FROM toy', 5, 'ease')) AS zero_weights_ease;
-- a single item: no neighbours; recommendations are empty lists
SELECT (SELECT count(*) FROM item_neighbors('SELECT customer, ''A'' FROM toy', 5)) AS one_item_neighbors,
       (SELECT count(*) FROM recommend_items('SELECT customer, ''A'' FROM toy', 5, 'ease')) AS one_item_recs,
       (SELECT string_agg(customer || ':' || item, ' ' ORDER BY customer)
          FROM recommend_items('SELECT customer, ''A'' FROM toy', 5, 'popular', exclude_owned => false)) AS popular_all;
-- EASE^R: above aimarketing.ease_max_items (54000), and l2 = 0 on a
-- singular Gram matrix (A and B bought by the same customers: 22000)
SET aimarketing.ease_max_items = 4;
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('TABLE toy', 5, 'ease')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('TABLE toy', 5, 'ease')$$);
SELECT count(*) AS other_similarities_unlimited FROM item_neighbors('TABLE toy', 5, 'cosine');
SET aimarketing.ease_max_items = 5;
SELECT count(*) AS at_the_limit FROM item_neighbors('TABLE toy', 5, 'ease');
RESET aimarketing.ease_max_items;
SELECT pg_temp.try_hint($$SELECT * FROM item_neighbors('VALUES (1, ''A''), (1, ''B''), (2, ''A''), (2, ''B''), (2, ''C'')', 5, 'ease', 1, 0)$$);
SELECT pg_temp.try_hint($$SELECT * FROM recommend_items('VALUES (1, ''A''), (1, ''B''), (2, ''A''), (2, ''B'')', 5, 'ease', l2 => 0)$$);
-- l2 = 0 on a non-singular Gram matrix is plain least squares: X'X =
-- [[2, 1], [1, 2]], P = [[2, -1], [-1, 2]] / 3, B_AB = B_BA = 1/2
SELECT item, neighbor, round(similarity::numeric, 12) AS similarity
  FROM item_neighbors('VALUES (1, ''A''), (2, ''A''), (2, ''B''), (3, ''B'')', 5, 'ease', 1, 0);

--
-- the query runs read-only, with the caller's rights
--
CREATE TABLE reco_audit (n int);
CREATE FUNCTION reco_log_item(i text) RETURNS text LANGUAGE plpgsql VOLATILE AS $f$
BEGIN INSERT INTO reco_audit VALUES (1); RETURN i; END $f$;
SELECT pg_temp.try($$SELECT * FROM item_neighbors('SELECT customer, reco_log_item(item) FROM toy')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('SELECT customer, reco_log_item(item), weight FROM toy', 5, 'ease')$$);
SELECT count(*) AS audit_rows, current_setting('transaction_read_only') AS transaction_read_only FROM reco_audit;
CREATE ROLE regress_reco_analyst;
CREATE TABLE secret_toy AS SELECT * FROM toy;
CREATE TABLE half_toy AS SELECT * FROM toy;
GRANT SELECT (customer, item) ON half_toy TO regress_reco_analyst;
SET ROLE regress_reco_analyst;
SELECT pg_temp.try($$SELECT * FROM item_neighbors('SELECT customer, item FROM secret_toy')$$);
SELECT pg_temp.try($$SELECT * FROM recommend_items('SELECT customer, item, weight FROM half_toy')$$);
SELECT count(*) AS granted_columns FROM recommend_items('SELECT customer, item FROM half_toy', 2, 'popular');
RESET ROLE;
DROP TABLE secret_toy, half_toy;
DROP ROLE regress_reco_analyst;
DROP VIEW v_ref_sim, v_ref_co, v_ref_bm25, v_ref_item, v_ref_pair;
DROP TABLE toy, src, ref_pair, ref_item, ref_bm25, ref_co, ref_sim, ease_exact, src_narrow,
           toy_split, toy_typed, reco_audit;
DROP DOMAIN item_code, amount;
DROP FUNCTION reco_log_item(text);
