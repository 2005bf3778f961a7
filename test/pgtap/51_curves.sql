-- 51_curves.sql: the classifier-evaluation aggregates that share roc_auc's
-- state (src/classifier_eval.c): roc_auc with weights, roc_curve,
-- precision_recall_curve, average_precision and gains_table.
--
--  1. against scikit-learn 1.2.1 (roc_curve, precision_recall_curve,
--     roc_auc_score, average_precision_score, with and without
--     sample_weight, drop_intermediate both ways) on data with many ties,
--     coarse scores, continuous scores and the churn model's scores: every
--     point, fpr/tpr/precision/recall within 1e-12, thresholds exact (the
--     first ROC threshold is Infinity, as in scikit-learn >= 1.3);
--  2. gains_table against an independent pandas computation, bins 10, 4,
--     20 (empty bins with ties) and 1: counts and score ranges exact, rates
--     within 1e-12;
--  3. properties: the four label types agree, weight 1 is the unweighted
--     result bit for bit, weight 0 removes a row, an integer weight k is
--     the row k times, equal scores share a bin whatever the row order;
--  4. NULL semantics: NULL score, label or weight skip the row; no rows,
--     one class, no positive;
--  5. errors: SQLSTATE, message and detail of every bad input;
--  6. determinism and plans: row order, the BI idiom (unnest, GROUP BY),
--     window frames, parallel plans equal to the serial one, several
--     aggregates sharing one state;
--  7. crafted serialized states (the weight bits, the parameter).
--
-- The reference values come from test/ref/curves_ref.py (see
-- test/data/README.md), so this file needs no Python.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
SET extra_float_digits = 1;

BEGIN;
SELECT plan(114);

\ir helpers.psql

CREATE TEMP TABLE pts (set text, id int, score float8, label int, weight float8);
\copy pts FROM 'test/data/curves_pts.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE roc_ref (set text, weighted boolean, drop_intermediate boolean, k int,
                           fpr float8, tpr float8, threshold float8);
\copy roc_ref FROM 'test/data/curves_roc_ref.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE pr_ref (set text, weighted boolean, k int, precision float8, recall float8,
                          threshold float8);
\copy pr_ref FROM 'test/data/curves_pr_ref.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE auc_ref (set text, weighted boolean, roc_auc float8, average_precision float8);
\copy auc_ref FROM 'test/data/curves_auc_ref.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE gains_ref (set text, bins int, bin int, customers bigint, positives bigint,
                             min_score float8, max_score float8, response_rate float8, lift float8,
                             cumulative_gain float8, cumulative_lift float8);
\copy gains_ref FROM 'test/data/curves_gains_ref.csv' WITH (FORMAT csv, HEADER true)


--------------------------------------------------------------------------
-- 1. against scikit-learn (32)
--------------------------------------------------------------------------

-- our points, numbered from 0 as the reference's
CREATE TEMP TABLE roc_got AS
SELECT c.set, c.weighted, c.drop_intermediate, p.k - 1 AS k, p.fpr, p.tpr, p.threshold
  FROM (SELECT DISTINCT set, weighted, drop_intermediate FROM roc_ref) c,
       LATERAL (SELECT CASE WHEN c.weighted THEN roc_curve(score, label, weight, c.drop_intermediate)
                            WHEN c.drop_intermediate THEN roc_curve(score, label)
                            ELSE roc_curve(score, label, 1, false) END AS curve
                  FROM pts WHERE pts.set = c.set) g,
       unnest(g.curve) WITH ORDINALITY p(fpr, tpr, threshold, k);

SELECT is((SELECT count(*)::int FROM roc_got g WHERE g.set = c.set AND g.weighted = c.weighted
                                               AND g.drop_intermediate = c.drop_intermediate),
          c.n, format('roc_curve %s%s%s: the %s points of scikit-learn''s roc_curve', c.set,
                      CASE WHEN c.weighted THEN ', weighted' ELSE '' END,
                      CASE WHEN c.drop_intermediate THEN '' ELSE ', all points' END, c.n))
  FROM (SELECT set, weighted, drop_intermediate, count(*)::int AS n FROM roc_ref GROUP BY 1, 2, 3) c
 ORDER BY c.set, c.weighted, c.drop_intermediate;
SELECT is((SELECT count(*)::int FROM roc_ref r FULL JOIN roc_got g USING (set, weighted, drop_intermediate, k)
            WHERE NOT (pg_temp.within(g.fpr, r.fpr, 1e-12) AND pg_temp.within(g.tpr, r.tpr, 1e-12)
                       AND g.threshold = r.threshold)
               OR g.k IS NULL OR r.k IS NULL),
          0, 'roc_curve: every point of every case has scikit-learn''s fpr and tpr (1e-12) and threshold (exact)');
SELECT is((SELECT count(*)::int FROM roc_ref r JOIN roc_got g USING (set, weighted, drop_intermediate, k)
            WHERE NOT r.weighted AND (g.fpr <> r.fpr OR g.tpr <> r.tpr)),
          0, 'roc_curve without weights: fpr and tpr bit for bit (exact counts)');

CREATE TEMP TABLE pr_got AS
SELECT c.set, c.weighted, p.k - 1 AS k, p.precision, p.recall, p.threshold
  FROM (SELECT DISTINCT set, weighted FROM pr_ref) c,
       LATERAL (SELECT CASE WHEN c.weighted THEN precision_recall_curve(score, label, weight)
                            ELSE precision_recall_curve(score, label) END AS curve
                  FROM pts WHERE pts.set = c.set) g,
       unnest(g.curve) WITH ORDINALITY p(precision, recall, threshold, k);
SELECT is((SELECT count(*)::int FROM pr_got g WHERE g.set = c.set AND g.weighted = c.weighted),
          c.n, format('precision_recall_curve %s%s: the %s points of scikit-learn''s', c.set,
                      CASE WHEN c.weighted THEN ', weighted' ELSE '' END, c.n))
  FROM (SELECT set, weighted, count(*)::int AS n FROM pr_ref GROUP BY 1, 2) c
 ORDER BY c.set, c.weighted;
SELECT is((SELECT count(*)::int FROM pr_ref r FULL JOIN pr_got g USING (set, weighted, k)
            WHERE NOT (pg_temp.within(g.precision, r.precision, 1e-12) AND pg_temp.within(g.recall, r.recall, 1e-12)
                       AND g.threshold IS NOT DISTINCT FROM r.threshold)
               OR g.k IS NULL OR r.k IS NULL),
          0, 'precision_recall_curve: every point has scikit-learn''s precision and recall (1e-12) and threshold (exact; NULL last)');

SELECT pg_temp.near(CASE WHEN r.weighted THEN q.auc_w ELSE q.auc END, r.roc_auc,
                    format('roc_auc %s%s is scikit-learn''s roc_auc_score (1e-12)', r.set,
                           CASE WHEN r.weighted THEN ' with sample_weight' ELSE '' END))
  FROM auc_ref r,
       LATERAL (SELECT roc_auc(score, label) AS auc, roc_auc(score, label, weight) AS auc_w
                  FROM pts WHERE pts.set = r.set) q
 WHERE r.roc_auc IS NOT NULL
 ORDER BY r.set, r.weighted;
SELECT pg_temp.near(CASE WHEN r.weighted THEN q.ap_w ELSE q.ap END, r.average_precision,
                    format('average_precision %s%s is scikit-learn''s average_precision_score (1e-12)', r.set,
                           CASE WHEN r.weighted THEN ' with sample_weight' ELSE '' END))
  FROM auc_ref r,
       LATERAL (SELECT average_precision(score, label) AS ap, average_precision(score, label, weight) AS ap_w
                  FROM pts WHERE pts.set = r.set) q
 ORDER BY r.set, r.weighted;

--------------------------------------------------------------------------
-- 2. gains_table against pandas (5)
--------------------------------------------------------------------------

CREATE TEMP TABLE gains_got AS
SELECT c.set, c.bins, g.*
  FROM (SELECT DISTINCT set, bins FROM gains_ref) c,
       LATERAL (SELECT CASE WHEN c.bins = 10 THEN gains_table(score, label)
                            ELSE gains_table(score, label, c.bins) END AS t
                  FROM pts WHERE pts.set = c.set) q,
       unnest(q.t) g;
SELECT is((SELECT count(*)::int FROM gains_ref r FULL JOIN gains_got g USING (set, bins, bin)
            WHERE g.bin IS NULL OR r.bin IS NULL
               OR g.customers <> r.customers OR g.positives <> r.positives
               OR g.min_score IS DISTINCT FROM r.min_score OR g.max_score IS DISTINCT FROM r.max_score),
          0, 'gains_table: every bin of every case has pandas'' customers, positives and score range');
SELECT is((SELECT count(*)::int FROM gains_ref r JOIN gains_got g USING (set, bins, bin)
            WHERE NOT (pg_temp.within(g.response_rate, r.response_rate, 1e-12) AND pg_temp.within(g.lift, r.lift, 1e-12)
                       AND pg_temp.within(g.cumulative_gain, r.cumulative_gain, 1e-12)
                       AND pg_temp.within(g.cumulative_lift, r.cumulative_lift, 1e-12))),
          0, 'gains_table: response rate, lift, cumulative gain and lift as pandas'' (1e-12; NULL in empty bins)');
SELECT is((SELECT count(*)::int FROM gains_got WHERE set = 'coarse' AND bins = 20 AND customers = 0), 11,
          'coarse scores (9 distinct) in 20 bins: 11 bins are empty, as pandas has them');
SELECT is((SELECT array_agg(customers ORDER BY bin) FROM gains_got WHERE set = 'distinct' AND bins = 10),
          '{100,100,100,100,100,100,100,100,100,100}'::bigint[],
          '1000 distinct scores in 10 bins: 100 customers each');
SELECT is((SELECT array_agg(customers ORDER BY bin) FROM gains_got WHERE set = 'distinct' AND bins = 20)
          = (SELECT array_agg(50::bigint) FROM generate_series(1, 20))
          AND (SELECT cumulative_gain = 1 AND cumulative_lift = 1 FROM gains_got
                WHERE set = 'distinct' AND bins = 20 AND bin = 20),
          true, 'distinct scores in 20 bins: 50 each; the last bin gains every positive, cumulative lift 1');

--------------------------------------------------------------------------
-- 3. properties (12)
--------------------------------------------------------------------------

-- the label types agree
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT set FROM pts WHERE set <> 'positives') s,
                  LATERAL (SELECT roc_curve(score, label) AS a, roc_curve(score, label::boolean) AS b,
                                  roc_curve(score, label::smallint) AS c, roc_curve(score, label::bigint) AS d,
                                  precision_recall_curve(score, label, weight)::text AS e,
                                  precision_recall_curve(score, label::boolean, weight)::text AS f,
                                  average_precision(score, label::smallint, weight) AS g,
                                  average_precision(score, label::bigint, weight) AS h,
                                  gains_table(score, label)::text AS i, gains_table(score, label::boolean)::text AS j,
                                  gains_table(score, label::smallint, 7)::text AS k,
                                  gains_table(score, label::bigint, 7)::text AS l,
                                  roc_auc(score, label, weight) AS m, roc_auc(score, label::boolean, weight) AS n,
                                  roc_auc(score, label::smallint, weight) AS o, roc_auc(score, label::bigint, weight) AS p
                             FROM pts WHERE pts.set = s.set) q
            WHERE NOT (a::text = b::text AND a::text = c::text AND a::text = d::text AND e = f AND g = h
                       AND i = j AND k = l AND m = n AND m = o AND m = p)),
          0, 'boolean, smallint, int and bigint labels give the same results (4 data sets)');
-- weight 1 is the unweighted result, bit for bit (the exact path)
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT set FROM pts) s,
                  LATERAL (SELECT roc_auc(score, label) IS NOT DISTINCT FROM roc_auc(score, label, 1) AS a,
                                  roc_curve(score, label)::text IS NOT DISTINCT FROM roc_curve(score, label, 1)::text AS b,
                                  roc_curve(score, label, 1, true)::text IS NOT DISTINCT FROM roc_curve(score, label)::text AS c,
                                  average_precision(score, label) = average_precision(score, label, 1) AS d,
                                  precision_recall_curve(score, label)::text
                                    = precision_recall_curve(score, label, 1)::text AS e
                             FROM pts WHERE pts.set = s.set) q
            WHERE NOT (a AND b AND c AND d AND e)),
          0, 'weight 1 everywhere gives the unweighted results bit for bit (5 data sets)');
-- weight 0 removes the row
SELECT is((SELECT ARRAY[roc_auc(score, label, weight)::text, roc_curve(score, label, weight)::text,
                        average_precision(score, label, weight)::text]
             FROM pts WHERE set = 'ties'),
          (SELECT ARRAY[roc_auc(score, label, weight)::text, roc_curve(score, label, weight)::text,
                        average_precision(score, label, weight)::text]
             FROM pts WHERE set = 'ties' AND weight > 0),
          'a weight of 0 leaves the row out (ties: 316 rows of weight 0)');
SELECT is((SELECT count(*)::int FROM pts WHERE set = 'ties' AND weight = 0), 316,
          'the ties set has 316 rows of weight 0');
-- an integer weight k is the row repeated k times (coarse: weights n / 4)
SELECT pg_temp.near((SELECT roc_auc(score, label, weight * 4) FROM pts WHERE set = 'coarse'),
                    (SELECT roc_auc(score, label) FROM pts, generate_series(1, (weight * 4)::int)
                      WHERE set = 'coarse'),
                    'an integer weight k counts the row k times: roc_auc');
SELECT is((SELECT roc_curve(score, label, weight * 4, false)::text FROM pts WHERE set = 'coarse'),
          (SELECT roc_curve(score, label, 1, false)::text FROM pts, generate_series(1, (weight * 4)::int)
            WHERE set = 'coarse'),
          'an integer weight k counts the row k times: roc_curve, every point');
SELECT is((SELECT precision_recall_curve(score, label, weight * 4)::text FROM pts WHERE set = 'coarse'),
          (SELECT precision_recall_curve(score, label)::text FROM pts, generate_series(1, (weight * 4)::int)
            WHERE set = 'coarse'),
          'an integer weight k counts the row k times: precision_recall_curve');
-- scaling every weight changes nothing (dyadic weights: the sums are exact)
SELECT is((SELECT ARRAY[roc_curve(score, label, weight)::text, average_precision(score, label, weight)::text]
             FROM pts WHERE set = 'coarse'),
          (SELECT ARRAY[roc_curve(score, label, weight * 8)::text, average_precision(score, label, weight * 8)::text]
             FROM pts WHERE set = 'coarse'),
          'scaling the weights by 8 changes no point');
-- by hand: the README's example
SELECT is((SELECT roc_curve(s, l)::text FROM (VALUES (0.1, 0), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)),
          '{"(0,0,Infinity)","(0,0.5,0.8)","(0.5,0.5,0.4)","(0.5,1,0.35)","(1,1,0.1)"}',
          'roc_curve of scikit-learn''s documented example');
SELECT pg_temp.near((SELECT average_precision(s, l) FROM (VALUES (0.1, 0), (0.4, 0), (0.35, 1), (0.8, 1)) v(s, l)),
                    1 * 0.5 + 2 / 3.0 * 0.5, 'average_precision of the same: 1/2 + 2/3 * 1/2', 1e-15);
-- gains: equal scores share a bin, whatever the order; one bin
SELECT is((SELECT gains_table(s, l, 3)::text FROM (VALUES (5, 1), (5, 0), (5, 1), (1, 0)) v(s, l)),
          '{"(1,3,2,5,5,0.6666666666666666,1.3333333333333333,1,1.3333333333333333)",'
          '"(2,0,0,,,,,1,1.3333333333333333)","(3,1,0,1,1,0,0,1,1)"}',
          'gains_table: three tied rows fill bin 1, bin 2 stays empty, bin 1 + floor(3 * 3 / 4) = 3 gets the last');
SELECT is((SELECT gains_table(7, i % 3 = 0, 4)::text FROM generate_series(1, 30) i),
          '{"(1,30,10,7,7,0.3333333333333333,1,1,1)","(2,0,0,,,,,1,1)","(3,0,0,,,,,1,1)","(4,0,0,,,,,1,1)"}',
          'gains_table: every score equal: one bin holds every row');

--------------------------------------------------------------------------
-- 4. NULL semantics (14)
--------------------------------------------------------------------------

CREATE TEMP TABLE with_nulls AS
SELECT score, label, weight, md5(id::text) AS o FROM pts WHERE set = 'ties'
UNION ALL SELECT NULL, i % 2, 1, md5(i::text || 's') FROM generate_series(1, 40) i
UNION ALL SELECT i / 40.0, NULL, 1, md5(i::text || 'l') FROM generate_series(1, 40) i
UNION ALL SELECT i / 40.0, i % 2, NULL, md5(i::text || 'w') FROM generate_series(1, 40) i;
SELECT is((SELECT ARRAY[roc_auc(score, label, weight ORDER BY o)::text,
                        roc_curve(score, label, weight ORDER BY o)::text,
                        roc_curve(score, label, weight, false ORDER BY o)::text,
                        precision_recall_curve(score, label, weight ORDER BY o)::text,
                        average_precision(score, label, weight ORDER BY o)::text]
             FROM with_nulls),
          (SELECT ARRAY[roc_auc(score, label, weight)::text, roc_curve(score, label, weight)::text,
                        roc_curve(score, label, weight, false)::text,
                        precision_recall_curve(score, label, weight)::text,
                        average_precision(score, label, weight)::text]
             FROM pts WHERE set = 'ties'),
          'rows with a NULL score, label or weight are skipped (weighted forms)');
SELECT is((SELECT ARRAY[roc_curve(score, label ORDER BY o)::text, gains_table(score, label ORDER BY o)::text,
                        gains_table(score, label, 4 ORDER BY o)::text]
             FROM with_nulls WHERE weight IS NOT NULL),
          (SELECT ARRAY[roc_curve(score, label)::text, gains_table(score, label)::text,
                        gains_table(score, label, 4)::text]
             FROM pts WHERE set = 'ties'),
          'rows with a NULL score or label are skipped (roc_curve, gains_table)');
SELECT is((SELECT ARRAY[roc_auc(score, label, weight)::text, roc_curve(score, label)::text,
                        roc_curve(score, label, weight, false)::text, precision_recall_curve(score, label)::text,
                        average_precision(score, label, weight)::text, gains_table(score, label, 5)::text]
             FROM pts WHERE false),
          ARRAY[NULL, NULL, NULL, NULL, NULL, NULL]::text[], 'no rows: every aggregate is NULL');
SELECT is((SELECT ARRAY[roc_auc(score, label, weight)::text, roc_curve(score, label)::text,
                        precision_recall_curve(score, label)::text, average_precision(score, label)::text,
                        gains_table(score, label)::text]
             FROM pts WHERE score IS NULL OR set = 'none'),
          ARRAY[NULL, NULL, NULL, NULL, NULL]::text[], 'only skipped rows: NULL');
SELECT is((SELECT ARRAY[roc_auc(score, 0, weight)::text, roc_curve(score, 0)::text,
                        precision_recall_curve(score, 0)::text, average_precision(score, 0, weight)::text,
                        gains_table(score, 0)::text]
             FROM pts WHERE set = 'ties'),
          ARRAY[NULL, NULL, NULL, NULL, NULL]::text[],
          'no positive: every aggregate is NULL (the rates, recall and lift are undefined)');
SELECT is((SELECT ARRAY[roc_auc(score, label, weight)::text, roc_curve(score, label)::text,
                        roc_curve(score, label, weight, false)::text]
             FROM pts WHERE set = 'positives'),
          ARRAY[NULL, NULL, NULL]::text[],
          'no negative: roc_auc and roc_curve are NULL (the false-positive rate is undefined)');
SELECT is((SELECT ARRAY[average_precision(score, label), average_precision(score, label, weight)]
             FROM pts WHERE set = 'positives'),
          '{1,1}'::float8[], 'no negative: average_precision is 1 (as scikit-learn)');
SELECT is((SELECT count(*)::int FROM unnest((SELECT precision_recall_curve(score, label) FROM pts WHERE set = 'positives')) p
            WHERE p.precision = 1),
          (SELECT count(DISTINCT score)::int + 1 FROM pts WHERE set = 'positives'),
          'no negative: the precision-recall curve has precision 1 at every point');
SELECT is((SELECT count(*)::int FROM unnest((SELECT gains_table(score, label) FROM pts WHERE set = 'positives')) g
            WHERE g.customers > 0 AND (g.response_rate <> 1 OR g.lift <> 1)),
          0, 'no negative: gains_table has response rate 1 and lift 1 in every bin');
-- a class present only on rows of weight 0 (or NULL weight) is absent
SELECT is((SELECT ARRAY[roc_auc(s, l, w)::text, roc_curve(s, l, w)::text]
             FROM (VALUES (1::float8, 1, 1::float8), (2, 1, 2), (3, 0, 0), (4, 0, NULL)) v(s, l, w)),
          ARRAY[NULL, NULL]::text[], 'negatives only of weight 0 or NULL: one class, NULL');
SELECT is((SELECT average_precision(s, l, w) FROM (VALUES (1::float8, 0, 1::float8), (2, 1, 0)) v(s, l, w)),
          NULL::float8, 'a positive only of weight 0: no positive, NULL');
-- infinities are ordinary extreme scores
SELECT is((SELECT roc_curve(s, l, 1, false)::text
             FROM (VALUES ('Infinity'::float8, 1), ('-Infinity', 0), (0, 1), (0, 0)) v(s, l)),
          '{"(0,0,Infinity)","(0,0.5,Infinity)","(0.5,1,0)","(1,1,-Infinity)"}',
          'infinite scores: thresholds Infinity and -Infinity');
SELECT is((SELECT roc_curve(s, l)::text FROM (VALUES ('-0'::float8, 1), (0, 0)) v(s, l)),
          '{"(0,0,Infinity)","(1,1,0)"}', '-0 and 0 are one score (threshold 0)');
SELECT is((SELECT roc_curve(s, l, 1, true)::text FROM (VALUES (1::float8, 1), (2, 0)) v(s, l)),
          '{"(0,0,Infinity)","(1,0,2)","(1,1,1)"}', 'two rows: no point to drop');

--------------------------------------------------------------------------
-- 5. errors (16)
--------------------------------------------------------------------------

SELECT is((SELECT format('%s: %s | %s | %s', code, msg, detail, hint) FROM pg_temp.aim_err(stmt)), want,
          format('error: %s', stmt))
  FROM (VALUES
  (1, $$SELECT roc_auc(s, true, w) FROM (VALUES (1::float8, 1::float8), (2, -1)) v(s, w)$$,
   '22023: weight must be a finite number not less than 0, not -1 |  | A weight of 0 leaves the row out; a NULL weight skips it like a NULL score or label.'),
  (2, $$SELECT roc_curve(1, true, 'NaN')$$,
   '22023: weight must be a finite number not less than 0, not NaN |  | A weight of 0 leaves the row out; a NULL weight skips it like a NULL score or label.'),
  (3, $$SELECT average_precision(1, 1, 'Infinity')$$,
   '22023: weight must be a finite number not less than 0, not Infinity |  | A weight of 0 leaves the row out; a NULL weight skips it like a NULL score or label.'),
  (4, $$SELECT precision_recall_curve(1, 0::smallint, '-Infinity')$$,
   '22023: weight must be a finite number not less than 0, not -Infinity |  | A weight of 0 leaves the row out; a NULL weight skips it like a NULL score or label.'),
  (5, $$SELECT roc_curve('NaN', true)$$, '22023: score must not be NaN |  | '),
  (6, $$SELECT gains_table('NaN', 1)$$, '22023: score must not be NaN |  | '),
  (7, $$SELECT roc_auc(1, 2, 1)$$,
   '22023: label must be 0 or 1, not 2 |  | An integer label is 1 for the positive class (churned) and 0 for the negative one.'),
  (8, $$SELECT roc_auc(1, -1::bigint, 0)$$,
   '22023: label must be 0 or 1, not -1 |  | An integer label is 1 for the positive class (churned) and 0 for the negative one.'),
  (9, $$SELECT gains_table(1, true, 0)$$, '22023: bins must be between 1 and 10000, not 0 |  | '),
  (10, $$SELECT gains_table(1, 1, 10001)$$, '22023: bins must be between 1 and 10000, not 10001 |  | '),
  (11, $$SELECT gains_table(1, 1, NULL)$$, '22004: gains_table parameter bins must not be null |  | '),
  (12, $$SELECT gains_table(NULL, NULL::int, NULL)$$, '22004: gains_table parameter bins must not be null |  | '),
  (13, $$SELECT roc_curve(1, true, 1, NULL)$$,
   '22004: roc_curve parameter drop_intermediate must not be null |  | '),
  (14, $$SELECT gains_table(s, true, b) FROM (VALUES (1, 5), (NULL, 6)) v(s, b)$$,
   '22023: gains_table parameter bins must be the same for every row | Earlier rows had bins = 5, this row has bins = 6. | '),
  (15, $$SELECT roc_curve(s, true, 1, d) FROM (VALUES (1, true), (2, false)) v(s, d)$$,
   '22023: roc_curve parameter drop_intermediate must be the same for every row | Earlier rows had drop_intermediate = true, this row has drop_intermediate = false. | '),
  -- a row skipped for its NULL score: its weight is not looked at
  (16, $$SELECT roc_auc(s, true, w) FROM (VALUES (NULL::float8, -2::float8)) v(s, w)$$, ':  |  | ')
  ) v(n, stmt, want)
 ORDER BY n;

--------------------------------------------------------------------------
-- 6. determinism, the BI idiom, windows, parallel plans (11)
--------------------------------------------------------------------------

SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT set FROM pts) s
            WHERE (SELECT ARRAY[roc_curve(score, label, weight ORDER BY id)::text,
                                precision_recall_curve(score, label, weight ORDER BY id)::text,
                                average_precision(score, label, weight ORDER BY id)::text,
                                roc_auc(score, label, weight ORDER BY id)::text,
                                gains_table(score, label, 7 ORDER BY id)::text]
                     FROM pts WHERE pts.set = s.set)
                  IS DISTINCT FROM
                  (SELECT ARRAY[roc_curve(score, label, weight ORDER BY md5(id::text))::text,
                                precision_recall_curve(score, label, weight ORDER BY md5(id::text))::text,
                                average_precision(score, label, weight ORDER BY md5(id::text))::text,
                                roc_auc(score, label, weight ORDER BY md5(id::text))::text,
                                gains_table(score, label, 7 ORDER BY md5(id::text))::text]
                     FROM pts WHERE pts.set = s.set)),
          0, 'the same results, bit for bit, for the rows in two orders (5 data sets)');
-- the idiom of the README: rows per model
SELECT is((SELECT count(*)::int
             FROM (SELECT set, roc_curve(score, label) AS c FROM pts GROUP BY set) q, unnest(q.c) p),
          (SELECT count(*)::int FROM roc_ref WHERE NOT weighted AND drop_intermediate),
          'SELECT p.* FROM (... GROUP BY model) q, unnest(q.c) p: the points of every model');
SELECT is((SELECT string_agg(format('%s:%s', set, bin), ',' ORDER BY set, bin)
             FROM (SELECT set, gains_table(score, label, 2) AS g FROM pts GROUP BY set) q, unnest(q.g) p
            WHERE set IN ('coarse', 'churn')),
          'churn:1,churn:2,coarse:1,coarse:2', 'gains_table per group: bins 1 and 2 of each');
-- a moving window frame: each frame's curve (the cached sort is redone as the frame grows)
SELECT is((SELECT count(*)::int
             FROM (SELECT id, roc_curve(score, label) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS c,
                          average_precision(score, label) OVER (ORDER BY id ROWS BETWEEN 49 PRECEDING AND CURRENT ROW) AS ap
                     FROM pts WHERE set = 'churn') q
            WHERE c::text IS DISTINCT FROM (SELECT roc_curve(score, label)::text FROM pts WHERE set = 'churn' AND id <= q.id)
               OR ap IS DISTINCT FROM (SELECT average_precision(score, label) FROM pts
                                        WHERE set = 'churn' AND id BETWEEN q.id - 49 AND q.id)),
          0, 'window frames (growing and moving): every frame gets the curve of its own rows');
-- several aggregates over one shared state (one sort): the same as apart
SELECT is((SELECT ARRAY[roc_auc(score, label)::text, roc_curve(score, label)::text,
                        average_precision(score, label)::text, precision_recall_curve(score, label)::text]
             FROM pts WHERE set = 'ties'),
          ARRAY[(SELECT roc_auc(score, label)::text FROM pts WHERE set = 'ties'),
                (SELECT roc_curve(score, label)::text FROM pts WHERE set = 'ties'),
                (SELECT average_precision(score, label)::text FROM pts WHERE set = 'ties'),
                (SELECT precision_recall_curve(score, label)::text FROM pts WHERE set = 'ties')],
          'roc_auc, roc_curve, average_precision and precision_recall_curve in one query (one state) as apart');

-- parallel plans (as in 50_churn.sql: a table of this transaction, queries
-- through pg_temp.run because pgTAP's functions are parallel unsafe)
CREATE TABLE aim_curves_par AS
SELECT id, round((sin(id * 0.37) + ((id::int8 * 7919) % 1000) / 700.0)::numeric, 2)::float8 AS s,
       (sin(id * 0.37) + ((id::int8 * 104729) % 997) / 600.0 > 0.9)::int AS y,
       ((id % 7) / 2.0)::float8 AS w
  FROM generate_series(1, 40000) id;
ANALYZE aim_curves_par;
CREATE TEMP VIEW par_queries (n, q) AS VALUES
  (1, 'SELECT roc_curve(s, y)::text FROM aim_curves_par'),
  (2, 'SELECT roc_curve(s, y, w, false)::text FROM aim_curves_par'),
  (3, 'SELECT precision_recall_curve(s, y, w)::text FROM aim_curves_par'),
  (4, 'SELECT average_precision(s, y, w)::text FROM aim_curves_par'),
  (5, 'SELECT roc_auc(s, y::boolean, w)::text FROM aim_curves_par'),
  (6, 'SELECT gains_table(s, y)::text FROM aim_curves_par'),
  (7, 'SELECT gains_table(s, y::bigint, 13)::text FROM aim_curves_par');
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE par_serial AS SELECT n, pg_temp.run(q) AS r FROM par_queries;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT matches(pg_temp.plan_of($$SELECT roc_curve(s, y, w, false), gains_table(s, y, 13) FROM aim_curves_par$$),
               'Finalize Aggregate.*Workers Launched: [12].*Partial Aggregate.*Parallel Seq Scan',
               'the parallel plan: Partial Aggregate in launched workers, Finalize Aggregate above');
SELECT is((SELECT array_agg(n ORDER BY n) FROM par_queries p JOIN par_serial s USING (n)
            WHERE pg_temp.run(p.q) IS DISTINCT FROM s.r),
          NULL::int[], 'parallel plan (leader not participating): the 7 results as in the serial plan');
SET LOCAL parallel_leader_participation = on;
SELECT is((SELECT array_agg(n ORDER BY n) FROM par_queries p JOIN par_serial s USING (n)
            WHERE pg_temp.run(p.q) IS DISTINCT FROM s.r),
          NULL::int[], 'parallel plan (leader participating): the 7 results as in the serial plan');
SELECT is((SELECT count(*)::int FROM par_serial WHERE r IS NULL OR (n NOT IN (4, 5) AND length(r) < 500)), 0,
          'the serial results are real curves and values');
SELECT ok((SELECT code = '22023' AND msg = 'gains_table parameter bins must be the same for every row'
             FROM pg_temp.aim_err($$SELECT gains_table(s, y, CASE WHEN id > 20000 THEN 5 ELSE 4 END)
                                      FROM aim_curves_par$$)),
          'parallel plan: bins that change between rows is an error (22023)');
SELECT ok((SELECT code = '22023' AND msg ~ '^roc_curve parameter drop_intermediate must be the same'
             FROM pg_temp.aim_err($$SELECT roc_curve(s, y, w, id > 20000) FROM aim_curves_par$$)),
          'parallel plan: a drop_intermediate that changes between rows is an error (22023)');

-- crafted serialized states: the layout is n, the parameter (-1 none,
-- -2/-3 drop_intermediate true/false, or bins), then the rows (ordered
-- score bits, label | weight bits << 1), weight 1 stored as 0
-- the idx of a row: label, and the weight's bits shifted left by one
CREATE FUNCTION pg_temp.oidx(l int, w float8) RETURNS int8 LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN w = 1 THEN 0 ELSE ('x' || encode(float8send(w), 'hex'))::bit(64)::int8 << 1 END | l
$$;
CREATE FUNCTION pg_temp.cstate(n int8, param int8, s float8[] DEFAULT '{}', idx int8[] DEFAULT '{}')
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
SELECT pg_temp.le(int8send(n)) || pg_temp.le(int8send(param))
       || coalesce((SELECT string_agg(pg_temp.le(int8send(pg_temp.okey(x))) || pg_temp.le(int8send(y)),
                                      ''::bytea ORDER BY o)
                      FROM unnest(s, idx) WITH ORDINALITY u(x, y, o)), ''::bytea)
$$;
CREATE AGGREGATE aim_test_curve_state(float8, int, float8, boolean) (
    SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_serialize);
SELECT is((SELECT aim_test_curve_state(s, l, w, false)
             FROM (VALUES (0.5::float8, 1, 1::float8), (-2, 0, 2.5), (3, 1, 0.25)) v(s, l, w)),
          pg_temp.cstate(3, -3, '{0.5,-2,3}', ARRAY[1, pg_temp.oidx(0, 2.5), pg_temp.oidx(1, 0.25)]),
          'roc_auc_serialize writes the layout of the crafted states below');
CREATE AGGREGATE aim_test_curve_craft(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal,
    SERIALFUNC = bytea_string_agg_finalfn, DESERIALFUNC = roc_auc_deserialize,
    COMBINEFUNC = roc_auc_combine, FINALFUNC = roc_curve_final, PARALLEL = SAFE);
-- run it over aim_curves_par with one non-NULL row holding st, in a parallel plan
CREATE FUNCTION pg_temp.craft(st bytea) RETURNS text LANGUAGE sql AS $$
SELECT pg_temp.craft_parallel('aim_test_curve_craft', 'aim_curves_par', st)
$$;
SET LOCAL parallel_leader_participation = off;
SELECT throws_ok(format('SELECT pg_temp.craft(%L::bytea)', st), '22023', 'invalid roc_auc state',
                 format('crafted roc_auc state, %s: 22023 invalid roc_auc state', what))
  FROM (VALUES (1, 'a weight of NaN', pg_temp.cstate(1, -1, '{1}', ARRAY[(-4503599627370496)::int8 | 1])),
               (2, 'a weight of Infinity', pg_temp.cstate(1, -1, '{1}', ARRAY[pg_temp.oidx(1, 'Infinity')])),
               (3, 'parameter 0', pg_temp.cstate(1, 0, '{1}', '{1}')),
               (4, 'parameter -4', pg_temp.cstate(1, -4, '{1}', '{1}')),
               (5, 'parameter 10001', pg_temp.cstate(1, 10001, '{1}', '{1}')),
               (6, 'n = 2, one row', pg_temp.cstate(2, -1, '{1}', '{1}')),
               (7, 'the old header (n only)', pg_temp.le(int8send(1)) || pg_temp.le(int8send(pg_temp.okey(1)))
                                                || pg_temp.le(int8send(1)))) v(n, what, st)
 ORDER BY n;
SELECT is(pg_temp.craft(pg_temp.cstate(4, -3, '{0.5,-2,3,3}',
                                       ARRAY[1, pg_temp.oidx(0, 2.5), pg_temp.oidx(1, 0.25), pg_temp.oidx(0, 5e-324)])),
          (SELECT roc_curve(s, l, w, false)::text
             FROM (VALUES (0.5::float8, 1, 1::float8), (-2, 0, 2.5), (3, 1, 0.25), (3, 0, 5e-324)) v(s, l, w)),
          'crafted well-formed state with weights (one subnormal): the curve of the same rows');

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

SELECT * FROM finish();
ROLLBACK;
