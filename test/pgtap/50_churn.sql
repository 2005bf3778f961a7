-- 50_churn.sql: behaviour of logistic_fit, logistic_summary and roc_auc,
-- complementing sql/churn_model.sql (pg_regress), which shows typical
-- output on a small synthetic set and the README's churn recipe.  Here:
--
--  1. logistic_fit against scikit-learn on data sets that churn_model.sql
--     does not have: features of very different scales (1e-3 .. 1e3), an
--     unbalanced set (5% positives), L2 fits with C = 0.1, 1 and 10 (l2 =
--     1 / C), correlated features, an intercept-only model: coefficients
--     within 1e-6 relative of a tightly converged scikit-learn fit (checked
--     by a Newton polish in numpy); logistic_summary's standard errors, z,
--     p-values and log-likelihood against numpy's closed-form inverse
--     Hessian; the optimality conditions checked in SQL with churn_score;
--     max_iter as a count of Newton steps;
--  2. every bad input: SQLSTATE, message, detail and hint (the hint that
--     suggests l2 appears only when l2 = 0);
--  3. NULL semantics: NULL rows skipped, no rows or only NULL rows give
--     NULL, roc_auc of one class is NULL;
--  4. roc_auc against scikit-learn's roc_auc_score on random data with ties,
--     and hand-computed cases;
--  5. determinism: row order, defaults of the shorter overloads, window
--     frames, and parallel plans (Partial/Finalize Aggregate, workers
--     checked with EXPLAIN ANALYZE; a table created in this transaction is
--     visible to them), bit for bit;
--  6. the support functions with internal arguments: crafted bytea states
--     reaching logistic_deserialize and roc_auc_deserialize (as in
--     30_kmeans.sql), and the magic number that stops a user aggregate from
--     pairing them with another aggregate's state;
--  7. statement_timeout cancels a long logistic_fit (57014; the latency is
--     test/robust/20_cancel.sh's).
--
-- The reference values of 1 and 4 come from test/ref/logistic_more_ref.py
-- (numpy, scikit-learn), which wrote them to test/data/logistic_more_*.csv
-- and roc_auc_ties_*.csv (see test/data/README.md), so this file needs no
-- Python.
--
-- Section 8 pins defects found when this suite was written, since fixed.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;
SET extra_float_digits = 1;

BEGIN;
SELECT plan(235);

\ir helpers.psql

-- the reference data of 1 and 4, written by test/ref/logistic_more_ref.py
-- (paths from the repository's root, where pg_prove runs psql)
-- logistic regression data: (set, id, features, label)
CREATE TEMP TABLE ref_logit_pts (set text, id int, f float8[], y boolean);
\copy ref_logit_pts FROM 'test/data/logistic_more_pts.csv' WITH (FORMAT csv, HEADER true)
-- reference fits: coefficients (intercept first), standard errors, z,
-- p-values, unpenalised log-likelihood, rows, positives, and where the
-- coefficients come from
CREATE TEMP TABLE ref_logit (case_name text, set text, l2 float8, coef float8[],
                             se float8[], z float8[], p float8[], loglik float8,
                             n int, positives int, source text);
\copy ref_logit FROM 'test/data/logistic_more_ref.csv' WITH (FORMAT csv, HEADER true)
-- roc_auc data: (set, id, score, label)
CREATE TEMP TABLE ref_auc_rows (set text, id int, score float8, label boolean);
\copy ref_auc_rows FROM 'test/data/roc_auc_ties_pts.csv' WITH (FORMAT csv, HEADER true)
-- (set, distinct scores, roc_auc_score)
CREATE TEMP TABLE ref_auc (set text, distinct_scores int, auc float8);
\copy ref_auc FROM 'test/data/roc_auc_ties_ref.csv' WITH (FORMAT csv, HEADER true)

--------------------------------------------------------------------------
-- 1. logistic_fit and logistic_summary against scikit-learn and numpy (54)
--------------------------------------------------------------------------

-- the rows of a case: intercept_only has no features
CREATE TEMP VIEW case_rows AS
SELECT r.case_name, p.id, CASE WHEN r.case_name = 'intercept_only' THEN '{}' ELSE p.f END AS f, p.y
  FROM ref_logit r JOIN ref_logit_pts p USING (set);

CREATE TEMP TABLE fit AS
SELECT r.*, m.b, m.s
  FROM ref_logit r,
       LATERAL (SELECT logistic_fit(c.f, c.y, r.l2) AS b, logistic_summary(c.f, c.y, r.l2) AS s
                  FROM case_rows c WHERE c.case_name = r.case_name) m;

-- the summary's terms as arrays, in term order
CREATE TEMP TABLE summ AS
SELECT f.case_name,
       array_agg((e->>'coefficient')::float8 ORDER BY o) AS coef,
       array_agg((e->>'std_error')::float8 ORDER BY o) AS se,
       array_agg((e->>'z')::float8 ORDER BY o) AS z,
       array_agg((e->>'p_value')::float8 ORDER BY o) AS p,
       array_agg((e->>'odds_ratio')::float8 ORDER BY o) AS odds,
       array_agg(e->>'term' ORDER BY o) AS terms
  FROM fit f, jsonb_array_elements(f.s->'terms') WITH ORDINALITY a(e, o)
 GROUP BY f.case_name;

SELECT pg_temp.near_all(f.b, f.coef,
                        format('%s: logistic_fit(f, y, %s) is scikit-learn''s coefficients (1e-6 relative)',
                               f.case_name, f.l2), 1e-6)
  FROM fit f ORDER BY f.case_name;

SELECT pg_temp.near_all(s.se, f.se,
                        format('%s: logistic_summary''s standard errors are sqrt(diag(H^-1)) of numpy''s '
                               'closed-form Hessian (penalised with l2) (1e-6 relative)', f.case_name), 1e-6)
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;

SELECT pg_temp.near_all(s.z || s.p, f.z || f.p,
                        format('%s: z = coefficient / std_error and p = erfc(|z| / sqrt 2) (1e-6 relative)',
                               f.case_name), 1e-6)
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;

SELECT pg_temp.near_all(ARRAY[(f.s->>'log_likelihood')::float8, (f.s->>'aic')::float8],
                        ARRAY[f.loglik, 2 * cardinality(f.coef) - 2 * f.loglik],
                        format('%s: the unpenalised log-likelihood, and aic = 2 p - 2 log-likelihood (1e-9)',
                               f.case_name), 1e-9)
  FROM fit f ORDER BY f.case_name;

SELECT is(format('n %s, positives %s, l2 %s, converged %s, terms %s',
                 f.s->'n', f.s->'positives', (f.s->>'l2')::float8, f.s->'converged', s.terms),
          format('n %s, positives %s, l2 %s, converged true, terms %s', f.n, f.positives, f.l2,
                 ARRAY['intercept'] || ARRAY(SELECT 'x' || j FROM generate_series(1, cardinality(f.coef) - 1) j)),
          format('%s: logistic_summary''s n, positives, l2, converged and term names', f.case_name))
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;

SELECT ok(s.coef = f.b AND (SELECT bool_and(abs(o - exp(c)) <= 1e-15 * exp(c)) FROM unnest(s.odds, s.coef) u(o, c)),
          format('%s: the summary''s coefficients are logistic_fit''s, bit for bit, and odds_ratio = exp(coefficient)',
                 f.case_name))
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;

-- the optimality conditions, with churn_score and no reference: at the
-- fit, sum((y - p) x_j) = 0 for the intercept (x_0 = 1) and l2 * b_j for
-- the others (relative to sum(|x_j|))
SELECT is((SELECT count(*)::int
             FROM (SELECT j, sum((c.y::int - churn_score(c.f, f.b)) * CASE WHEN j = 0 THEN 1 ELSE c.f[j] END) AS g,
                          sum(abs(CASE WHEN j = 0 THEN 1 ELSE c.f[j] END)) AS scale
                     FROM case_rows c, generate_series(0, cardinality(f.b) - 1) j
                    WHERE c.case_name = f.case_name
                    GROUP BY j) q
            WHERE NOT abs(q.g - CASE WHEN q.j = 0 THEN 0 ELSE f.l2 * f.b[q.j + 1] END) <= 1e-10 * q.scale),
          0,
          format('%s: the gradient of the penalised log-likelihood is zero at the fit: '
                 'sum((y - churn_score(f, b)) x) = l2 b, intercept unpenalised', f.case_name))
  FROM fit f ORDER BY f.case_name;

-- max_iter counts Newton steps.  Intercept only, from b = 0: the first
-- step is 4 (positives / n - 1/2), the second b1 + (positives - n s) /
-- (n s (1 - s)) with s = 1 / (1 + e^-b1)
SET LOCAL client_min_messages = error;     -- "did not converge" warnings
CREATE TEMP TABLE newton AS
SELECT (SELECT logistic_fit(f, y, 0, 1) FROM case_rows WHERE case_name = 'intercept_only') AS b1,
       (SELECT logistic_fit(f, y, 0, 2) FROM case_rows WHERE case_name = 'intercept_only') AS b2,
       (SELECT count(*) FROM case_rows WHERE case_name = 'intercept_only')::float8 AS n,
       (SELECT count(*) FILTER (WHERE y) FROM case_rows WHERE case_name = 'intercept_only')::float8 AS pos;
SET LOCAL client_min_messages = warning;
SELECT pg_temp.near(b1[1], 4 * (pos / n - 0.5), 'intercept only, max_iter = 1: one Newton step from 0')
  FROM newton;
SELECT pg_temp.near(b2[1], b1[1] + (pos - n * s) / (n * s * (1 - s)),
                    'intercept only, max_iter = 2: a second Newton step')
  FROM newton, LATERAL (SELECT 1 / (1 + exp(-b1[1])) AS s) x;
-- converged after the summary's "iterations": max_iter = iterations gives
-- the model, max_iter = iterations - 1 stops one (small) step short
SET LOCAL client_min_messages = error;
SELECT is((SELECT logistic_fit(c.f, c.y, 0, (f.s->>'iterations')::int) FROM case_rows c
            WHERE c.case_name = f.case_name), f.b,
          format('%s: max_iter = %s, the summary''s iterations, gives the converged model',
                 f.case_name, f.s->>'iterations'))
  FROM fit f WHERE f.case_name = 'scales_none';
SELECT isnt((SELECT logistic_fit(c.f, c.y, 0, (f.s->>'iterations')::int - 1) FROM case_rows c
              WHERE c.case_name = f.case_name), f.b,
            format('%s: max_iter = %s stops before the last step', f.case_name, (f.s->>'iterations')::int - 1))
  FROM fit f WHERE f.case_name = 'scales_none';
SET LOCAL client_min_messages = warning;

-- 1000 features are accepted (one Newton step of a penalised model)
SET LOCAL client_min_messages = error;
SELECT is((SELECT cardinality(logistic_fit(array_fill(i::float8, ARRAY[1000]), i % 2 = 0, 1.0, 1))
             FROM generate_series(1, 2) i),
          1001, 'logistic_fit takes 1000 features (1001 coefficients)');
SET LOCAL client_min_messages = warning;

--------------------------------------------------------------------------
-- 2. bad input
--------------------------------------------------------------------------

CREATE TEMP TABLE aim_err (
    id      serial PRIMARY KEY,
    stmt    text NOT NULL,
    code    text NOT NULL,
    msg     text NOT NULL,
    detail  text,               -- expected DETAIL; NULL: not checked
    hint    text                -- expected HINT; NULL: not checked; '': none
);

-- the features
INSERT INTO aim_err (stmt, code, msg, detail, hint) VALUES
($$SELECT logistic_fit(f, y) FROM (VALUES ('{1,2}'::float8[], true), ('{NaN,2}', false)) v(f, y)$$,
 '22023', 'array "features" must not contain NaN or infinity', 'Element [1] is NaN.', NULL),
($$SELECT logistic_fit(f, y, 1) FROM (VALUES ('{1,Infinity}'::float8[], true)) v(f, y)$$,
 '22023', 'array "features" must not contain NaN or infinity', 'Element [2] is Infinity.', NULL),
($$SELECT logistic_summary(f, y) FROM (VALUES ('{0}'::float8[], false), ('{-Infinity}', true)) v(f, y)$$,
 '22023', 'array "features" must not contain NaN or infinity', 'Element [1] is -Infinity.', NULL),
($$SELECT logistic_fit('{1,2,3,NaN}', true, 0, 5)$$,
 '22023', 'array "features" must not contain NaN or infinity', 'Element [4] is NaN.', NULL),
($$SELECT logistic_fit('{{1,2},{3,4}}'::float8[], true)$$, '2202E',
 'array "features" must be one-dimensional, not 2-dimensional', NULL, NULL),
($$SELECT logistic_summary(f, y) FROM (VALUES ('{1}'::float8[], true), ('{{1}}', false)) v(f, y)$$, '2202E',
 'array "features" must be one-dimensional, not 2-dimensional', NULL, NULL),
($$SELECT logistic_fit(ARRAY[1, NULL]::float8[], true)$$, '22004',
 'array "features" must not contain nulls', NULL, NULL),
($$SELECT logistic_summary(f, y, 0.5) FROM (VALUES ('{1,2}'::float8[], true), ('{NULL,2}', false)) v(f, y)$$,
 '22004', 'array "features" must not contain nulls', NULL, NULL),
($$SELECT logistic_fit(f, y) FROM (VALUES ('{1,2}'::float8[], true), ('{1,2,3}', false)) v(f, y)$$, '2202E',
 'features array length 3 differs from 2, the length in earlier rows', NULL,
 'Every row must have the same number of features.'),
($$SELECT logistic_summary(f, y ORDER BY o)
    FROM (VALUES ('{1}'::float8[], true, 1), (NULL, false, 2), ('{}', false, 3)) v(f, y, o)$$, '2202E',
 'features array length 0 differs from 1, the length in earlier rows', NULL,
 'Every row must have the same number of features.'),
($$SELECT logistic_fit(array_fill(1::float8, ARRAY[1001]), true)$$, '54000',
 'logistic regression supports at most 1000 features, not 1001', NULL, NULL),
($$SELECT logistic_summary(f, true, 1) FROM (VALUES (array_fill(0::float8, ARRAY[5000]))) v(f)$$, '54000',
 'logistic regression supports at most 1000 features, not 5000', NULL, NULL);

-- the parameters: a NULL one is an error even on a row that is skipped
INSERT INTO aim_err (stmt, code, msg, detail, hint) VALUES
($$SELECT logistic_fit('{1}', true, -1)$$, '22023', 'l2 must be a finite number >= 0, not -1', NULL, NULL),
($$SELECT logistic_fit('{1}', true, -1e-300, 10)$$, '22023',
 'l2 must be a finite number >= 0, not -1e-300', NULL, NULL),
($$SELECT logistic_summary('{1}', true, 'NaN')$$, '22023', 'l2 must be a finite number >= 0, not NaN', NULL, NULL),
($$SELECT logistic_fit('{1}', true, 'Infinity')$$, '22023',
 'l2 must be a finite number >= 0, not Infinity', NULL, NULL),
($$SELECT logistic_fit('{1}', true, '-Infinity')$$, '22023',
 'l2 must be a finite number >= 0, not -Infinity', NULL, NULL),
($$SELECT logistic_fit('{1}', true, NULL)$$, '22004',
 'logistic regression parameter l2 must not be null', NULL, NULL),
($$SELECT logistic_fit(NULL::float8[], NULL::boolean, NULL::float8)$$, '22004',
 'logistic regression parameter l2 must not be null', NULL, NULL),
($$SELECT logistic_summary(f, true, l) FROM (VALUES ('{1}'::float8[], 1::float8), ('{2}', NULL)) v(f, l)$$,
 '22004', 'logistic regression parameter l2 must not be null', NULL, NULL),
($$SELECT logistic_fit('{1}', true, 0, 0)$$, '22023', 'max_iter must be at least 1, not 0', NULL, NULL),
($$SELECT logistic_fit('{1}', true, 1, -2147483648)$$, '22023',
 'max_iter must be at least 1, not -2147483648', NULL, NULL),
($$SELECT logistic_fit('{1}', true, 0, NULL)$$, '22004',
 'logistic regression parameter max_iter must not be null', NULL, NULL),
($$SELECT logistic_fit(NULL::float8[], true, 0, NULL)$$, '22004',
 'logistic regression parameter max_iter must not be null', NULL, NULL),
-- a parameter that changes between rows: the detail names both values
($$SELECT logistic_fit(f, y, l) FROM (VALUES ('{1}'::float8[], true, 1::float8), ('{2}', false, 2)) v(f, y, l)$$,
 '22023', 'logistic regression parameter l2 must be the same for every row',
 'Earlier rows had l2 = 1, this row has l2 = 2.', NULL),
($$SELECT logistic_summary(f, y, l) FROM (VALUES ('{1}'::float8[], true, 0::float8), ('{2}', false, 0.5)) v(f, y, l)$$,
 '22023', 'logistic regression parameter l2 must be the same for every row',
 'Earlier rows had l2 = 0, this row has l2 = 0.5.', NULL),
($$SELECT logistic_fit(f, y, 0, m) FROM (VALUES ('{1}'::float8[], true, 10), ('{2}', false, 20)) v(f, y, m)$$,
 '22023', 'logistic regression parameter max_iter must be the same for every row',
 'Earlier rows had max_iter = 10, this row has max_iter = 20.', NULL),
-- roc_auc
($$SELECT roc_auc(s, l) FROM (VALUES (1::float8, true), ('NaN', false)) v(s, l)$$, '22023',
 'score must not be NaN', NULL, NULL);

-- the data: separable classes, one class, a constant or collinear feature.
-- The hint suggests an L2 penalty only when there is none.
INSERT INTO aim_err (stmt, code, msg, detail, hint) VALUES
($$SELECT logistic_fit(ARRAY[x], x > 0) FROM generate_series(-5, 5) x$$, '22000',
 'logistic regression does not converge: the classes are perfectly separable', 
 'Some coefficients grow without bound; after 31 iterations every row is classified with probability 1.',
 'Add an L2 penalty: logistic_fit(features, label, 1.0).'),
($$SELECT logistic_summary(ARRAY[x, y], x - 2 * y > 0.5) FROM generate_series(-3, 3) x, generate_series(-3, 3) y$$,
 '22000', 'logistic regression does not converge: the classes are perfectly separable', NULL,
 'Add an L2 penalty: logistic_fit(features, label, 1.0).'),
($$SELECT logistic_fit(ARRAY[x], true) FROM generate_series(1, 5) x$$, '22000',
 'logistic regression needs rows of both classes', 'All 5 rows have label true.', ''),
($$SELECT logistic_summary(ARRAY[x], x > 10, 1.0) FROM generate_series(1, 5) x$$, '22000',
 'logistic regression needs rows of both classes', 'All 5 rows have label false.', ''),
-- rows skipped for a NULL do not count
($$SELECT logistic_fit(f, y) FROM (VALUES ('{1}'::float8[], true), ('{2}', true), ('{3}', NULL), (NULL, false)) v(f, y)$$,
 '22000', 'logistic regression needs rows of both classes', 'All 2 rows have label true.', ''),
($$SELECT logistic_fit(ARRAY[x, 1], x % 3 = 0) FROM generate_series(-5, 5) x$$, '22000',
 'logistic regression cannot be fitted: the design matrix is singular',
 'Feature 2 is constant: its effect cannot be told apart from the intercept''s.',
 'Remove the feature, or add an L2 penalty: logistic_fit(features, label, 1.0).'),
($$SELECT logistic_fit(ARRAY[2.5, x], x % 3 = 0) FROM generate_series(-5, 5) x$$, '22000',
 'logistic regression cannot be fitted: the design matrix is singular',
 'Feature 1 is constant: its effect cannot be told apart from the intercept''s.',
 'Remove the feature, or add an L2 penalty: logistic_fit(features, label, 1.0).'),
($$SELECT logistic_fit(ARRAY[x, x * x, 3 - 2 * x], x % 3 = 0, 0, 10) FROM generate_series(-5, 5) x$$, '22000',
 'logistic regression cannot be fitted: the design matrix is singular',
 'Feature 3 is a linear combination of the intercept and the features before it, or the fitted probabilities are all 0 or 1.',
 'Remove the feature, or add an L2 penalty: logistic_fit(features, label, 1.0).'),
($$SELECT logistic_summary(ARRAY[x, 2 * x], x % 3 = 0) FROM generate_series(-5, 5) x$$, '22000',
 'logistic regression cannot be fitted: the design matrix is singular',
 'Feature 2 is a linear combination of the intercept and the features before it, or the fitted probabilities are all 0 or 1.',
 'Remove the feature, or add an L2 penalty: logistic_fit(features, label, 1.0).'),
-- with an L2 penalty too small to help, the same error without the hint
($$SELECT logistic_fit(ARRAY[x, 2 * x], x % 3 = 0, 1e-300) FROM generate_series(-5, 5) x$$, '22000',
 'logistic regression cannot be fitted: the design matrix is singular',
 'Feature 2 is a linear combination of the intercept and the features before it, or the fitted probabilities are all 0 or 1.',
 ''),
($$SELECT logistic_summary(ARRAY[x, 1], x % 3 = 0, 1e-300) FROM generate_series(-5, 5) x$$, '22000',
 'logistic regression cannot be fitted: the design matrix is singular',
 'Feature 2 is constant: its effect cannot be told apart from the intercept''s.',
 '');

SELECT throws_ok(stmt, code, msg, format('%s: %s %s', regexp_replace(stmt, '\s+', ' ', 'g'), code, msg))
  FROM aim_err ORDER BY id;

SELECT is((pg_temp.aim_err(stmt)).detail, detail, format('%s: detail', regexp_replace(stmt, '\s+', ' ', 'g')))
  FROM aim_err WHERE detail IS NOT NULL ORDER BY id;

-- separable classes with a negligible penalty: the penalised optimum is
-- finite but far out, so Newton stops at max_iter with a WARNING and
-- reports converged = false (not an error)
SET LOCAL client_min_messages = error;
SELECT is((SELECT logistic_summary(ARRAY[x], x > 0, 1e-300)->>'converged' FROM generate_series(-5, 5) x),
          'false', 'separable data, l2 = 1e-300: converged = false after max_iter');
SELECT ok((SELECT (logistic_fit(ARRAY[x], x > 0, 1e-300))[2] > 10 FROM generate_series(-5, 5) x),
          'separable data, l2 = 1e-300: a large finite slope');
RESET client_min_messages;

SELECT is(coalesce((pg_temp.aim_err(stmt)).hint, ''), hint,
          format('%s: %s', regexp_replace(stmt, '\s+', ' ', 'g'), CASE WHEN hint = '' THEN 'no hint' ELSE 'hint' END))
  FROM aim_err WHERE hint IS NOT NULL ORDER BY id;

-- separable classes: the detail says after how many iterations
SELECT matches((pg_temp.aim_err(stmt)).detail,
               '^Some coefficients grow without bound; after [0-9]+ iterations every row is classified with probability 1\.$',
               format('%s: detail', regexp_replace(stmt, '\s+', ' ', 'g')))
  FROM aim_err WHERE msg ~ 'separable' ORDER BY id;

-- with a real L2 penalty the same data have a model
SELECT is((SELECT ARRAY[cardinality(logistic_fit(ARRAY[x], x > 0, 1.0)),
                        cardinality(logistic_fit(ARRAY[x, 1], x % 3 = 0, 0.5)),
                        cardinality(logistic_fit(ARRAY[x, 2 * x], x % 3 = 0, 0.1))]
             FROM generate_series(-5, 5) x),
          ARRAY[2, 3, 3],
          'with l2 > 0, separable data, a constant and a collinear feature have a model');

--------------------------------------------------------------------------
-- 3. NULL semantics (9)
--------------------------------------------------------------------------

-- rows with NULL features or a NULL label are skipped, wherever they come
-- after the first row (a NULL first row crashes the backend: section 8)
CREATE TEMP TABLE with_nulls AS
SELECT id, f, y, CASE WHEN id = 1 THEN '0' ELSE md5(id::text) END AS o
  FROM ref_logit_pts WHERE set = 'correlated'
UNION ALL SELECT -i, NULL, i % 2 = 0, md5(i::text || 'nf') FROM generate_series(1, 50) i
UNION ALL SELECT -100 - i, ARRAY[i, -i, i, 1e6]::float8[], NULL, md5(i::text || 'ny') FROM generate_series(1, 50) i;
SELECT is((SELECT logistic_fit(f, y ORDER BY o) FROM with_nulls),
          (SELECT b FROM fit WHERE case_name = 'correlated_none'),
          'logistic_fit: rows with NULL features or label are skipped, wherever they come');
SELECT is((SELECT logistic_summary(f, y, 10 ORDER BY o) FROM with_nulls),
          (SELECT s FROM fit WHERE case_name = 'correlated_c01'),
          'logistic_summary: rows with NULL features or label are skipped (n counts the others)');
SELECT is((SELECT roc_auc(s, l ORDER BY o)
             FROM (SELECT score, label, CASE WHEN id = 1 THEN '0' ELSE md5(id::text) END
                     FROM ref_auc_rows WHERE set = 'ties_light'
                   UNION ALL SELECT NULL, i % 2 = 0, md5(i::text) FROM generate_series(1, 50) i
                   UNION ALL SELECT i, NULL, md5(i::text || 'n') FROM generate_series(1, 50) i) v(s, l, o)),
          (SELECT roc_auc(score, label) FROM ref_auc_rows WHERE set = 'ties_light'),
          'roc_auc: rows with a NULL score or label are skipped');

-- no rows, only NULL rows: NULL
SELECT is((SELECT ARRAY[logistic_fit(f, y)::text, logistic_fit(f, y, 1)::text, logistic_fit(f, y, 1, 5)::text,
                        logistic_summary(f, y)::text, logistic_summary(f, y, 1)::text]
             FROM ref_logit_pts WHERE false),
          ARRAY[NULL, NULL, NULL, NULL, NULL]::text[],
          'logistic_fit and logistic_summary of no rows are NULL');
SELECT is((SELECT roc_auc(score, label) FROM ref_auc_rows WHERE false), NULL::float8,
          'roc_auc of no rows is NULL');
-- roc_auc of one class is NULL (undefined, as corr() for a constant)
SELECT is((SELECT roc_auc(score, true) FROM ref_auc_rows), NULL::float8,
          'roc_auc with every label true is NULL');
SELECT is((SELECT roc_auc(score, false) FROM ref_auc_rows), NULL::float8,
          'roc_auc with every label false is NULL');
SELECT is((SELECT roc_auc(s, l) FROM (VALUES (1::float8, true), (2, true), (NULL, false), (3, NULL)) v(s, l)),
          NULL::float8, 'roc_auc: the other class only on rows with a NULL is still one class: NULL');
SELECT is((SELECT roc_auc(s, l) FROM (VALUES (5::float8, false)) v(s, l)), NULL::float8,
          'roc_auc of one row is NULL');

--------------------------------------------------------------------------
-- 4. roc_auc (15)
--------------------------------------------------------------------------

SELECT pg_temp.near((SELECT roc_auc(score, label) FROM ref_auc_rows a WHERE a.set = r.set), r.auc,
                    format('%s: roc_auc is scikit-learn''s roc_auc_score (1e-12)', r.set))
  FROM ref_auc r ORDER BY r.set;
SELECT is((SELECT count(DISTINCT score)::int FROM ref_auc_rows a WHERE a.set = r.set), r.distinct_scores,
          format('%s: %s distinct scores among %s rows (ties)', r.set, r.distinct_scores,
                 (SELECT count(*) FROM ref_auc_rows a WHERE a.set = r.set)))
  FROM ref_auc r ORDER BY r.set;
-- ties count one half both ways: reversing the scores or the labels gives
-- 1 - auc; a strictly increasing transformation changes nothing
SELECT is((SELECT count(*)::int FROM ref_auc r,
                  LATERAL (SELECT roc_auc(score, label) AS auc, roc_auc(-score, label) AS rev_s,
                                  roc_auc(score, NOT label) AS rev_l, roc_auc(2 * score + 1, label) AS lin
                             FROM ref_auc_rows a WHERE a.set = r.set) q
            WHERE NOT (abs(q.rev_s - (1 - q.auc)) <= 1e-15 AND abs(q.rev_l - (1 - q.auc)) <= 1e-15
                       AND q.lin = q.auc)),
          0, 'roc_auc(-score) = roc_auc(score, NOT label) = 1 - roc_auc(score); roc_auc(2 score + 1) = roc_auc(score)');

-- by hand
SELECT is((SELECT roc_auc(7, i % 3 = 0) FROM generate_series(1, 30) i), 0.5::float8,
          'every score tied: 0.5');
SELECT is((SELECT roc_auc(s, l) FROM (VALUES (1::float8, false), (2, true), (2, false), (3, true), (3, true)) v(s, l)),
          11 / 12::float8, 'positives {2, 3, 3}, negatives {1, 2}: 5.5 of 6 pairs, 11/12');
SELECT is((SELECT roc_auc(s, l) FROM (VALUES ('-0'::float8, true), (0, false)) v(s, l)), 0.5::float8,
          '-0 and 0 are the same score: a tie');
SELECT is((SELECT ARRAY[roc_auc(s, l), roc_auc(-s, l)]
             FROM (VALUES (0::float8, false), (5e-324, true)) v(s, l)),
          '{1,0}'::float8[], 'the smallest subnormal above 0 ranks above 0, its negative below');
SELECT is((SELECT roc_auc(s, l)
             FROM (VALUES ('-1.7976931348623157e308'::float8, false), (-1e-300, false), (1e-300, true),
                          ('1.7976931348623157e308', true), ('Infinity', false)) v(s, l)),
          4 / 6::float8, 'extreme finite scores and an infinity are ordered: 4 of 6 pairs');
SELECT is((SELECT roc_auc(-s, l) FROM (VALUES (1::float8, true), (2, false)) v(s, l)), 1::float8,
          'one pair, ordered: 1');
-- 200000 rows: score i, label "i even": the positive 2j ranks above j of
-- the 100000 negatives, so the AUC is sum(j) / 100000^2 = 100001 / 200000
SELECT is((SELECT roc_auc(i, i % 2 = 0) FROM generate_series(1, 200000) i), 100001 / 200000::float8,
          '200000 rows, score i, label i even: exactly 100001/200000');
SELECT is((SELECT roc_auc(-i, i % 2 = 0) FROM generate_series(1, 200000) i), 99999 / 200000::float8,
          'and the reversed scores: exactly 99999/200000');

--------------------------------------------------------------------------
-- 5. determinism, defaults, windows, GROUP BY, parallel plans (20)
--------------------------------------------------------------------------

-- row order: bit for bit
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT set FROM ref_logit_pts) s
            WHERE (SELECT logistic_fit(f, y ORDER BY id) FROM ref_logit_pts p WHERE p.set = s.set)
                  IS DISTINCT FROM (SELECT logistic_fit(f, y ORDER BY id DESC) FROM ref_logit_pts p WHERE p.set = s.set)
               OR (SELECT logistic_fit(f, y ORDER BY id) FROM ref_logit_pts p WHERE p.set = s.set)
                  IS DISTINCT FROM (SELECT logistic_fit(f, y ORDER BY md5(id::text)) FROM ref_logit_pts p
                                     WHERE p.set = s.set)),
          0, 'logistic_fit: the same coefficients, bit for bit, for the rows in three orders (3 data sets)');
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT set FROM ref_logit_pts) s
            WHERE (SELECT logistic_summary(f, y, 0.25 ORDER BY id) FROM ref_logit_pts p WHERE p.set = s.set)
                  IS DISTINCT FROM (SELECT logistic_summary(f, y, 0.25 ORDER BY md5(id::text)) FROM ref_logit_pts p
                                     WHERE p.set = s.set)),
          0, 'logistic_summary: the same report for the rows in two orders (3 data sets)');
SELECT is((SELECT count(*)::int FROM ref_auc r
            WHERE (SELECT roc_auc(score, label ORDER BY id) FROM ref_auc_rows a WHERE a.set = r.set)
                  IS DISTINCT FROM (SELECT roc_auc(score, label ORDER BY md5(id::text)) FROM ref_auc_rows a
                                     WHERE a.set = r.set)),
          0, 'roc_auc: the same value for the rows in two orders (2 data sets)');
-- data inserted in two orders (no ORDER BY: the scan order)
CREATE TEMP TABLE scales_rev AS SELECT * FROM ref_logit_pts WHERE set = 'scales' ORDER BY id DESC;
CREATE TEMP TABLE scales_shuf AS SELECT * FROM ref_logit_pts WHERE set = 'scales' ORDER BY md5(id::text);
SELECT is((SELECT logistic_fit(f, y) FROM scales_rev), (SELECT logistic_fit(f, y) FROM scales_shuf),
          'logistic_fit: the same coefficients for the data inserted in two orders');

-- the shorter overloads: l2 = 0, max_iter = 100
SELECT is((SELECT ARRAY[logistic_fit(f, y), logistic_fit(f, y, 0), logistic_fit(f, y, 0, 100)]
             FROM ref_logit_pts WHERE set = 'scales'),
          (SELECT ARRAY[b, b, b] FROM fit WHERE case_name = 'scales_none'),
          'logistic_fit(f, y) = logistic_fit(f, y, 0) = logistic_fit(f, y, 0, 100)');
SELECT is((SELECT logistic_summary(f, y) FROM ref_logit_pts WHERE set = 'scales'),
          (SELECT s FROM fit WHERE case_name = 'scales_none'),
          'logistic_summary(f, y) = logistic_summary(f, y, 0)');
SELECT is((SELECT logistic_fit(f, y, 10, 100) FROM ref_logit_pts WHERE set = 'correlated'),
          (SELECT b FROM fit WHERE case_name = 'correlated_c01'),
          'logistic_fit(f, y, l2) = logistic_fit(f, y, l2, 100)');

-- GROUP BY: every group gets the model of its own rows
SELECT is((SELECT count(*)::int
             FROM (SELECT set, logistic_fit(f, y) AS b FROM ref_logit_pts GROUP BY set) g
            WHERE b IS DISTINCT FROM (SELECT logistic_fit(p.f, p.y) FROM ref_logit_pts p WHERE p.set = g.set)),
          0, 'GROUP BY: every group gets the model of its own rows');

-- window frames: the final functions run once per frame on a state that
-- keeps growing, so they must leave it as they found it
SELECT is((SELECT count(*)::int
             FROM (SELECT g, logistic_fit(f, y) OVER w AS b, logistic_summary(f, y, 1) OVER w AS s
                     FROM (SELECT (id - 1) / 100 AS g, f, y FROM ref_logit_pts WHERE set = 'correlated') x
                   WINDOW w AS (ORDER BY g)) q
            WHERE b IS DISTINCT FROM (SELECT logistic_fit(f, y) FROM ref_logit_pts
                                       WHERE set = 'correlated' AND (id - 1) / 100 <= q.g)
               OR s IS DISTINCT FROM (SELECT logistic_summary(f, y, 1) FROM ref_logit_pts
                                       WHERE set = 'correlated' AND (id - 1) / 100 <= q.g)),
          0, 'logistic_fit and logistic_summary OVER (ORDER BY g): every frame gets the model of its own rows');
SELECT is((SELECT count(*)::int
             FROM (SELECT id, roc_auc(score, label) OVER (ORDER BY id ROWS BETWEEN 99 PRECEDING AND CURRENT ROW) AS auc
                     FROM ref_auc_rows WHERE set = 'ties_light' AND id <= 300) q
            WHERE auc IS DISTINCT FROM (SELECT roc_auc(score, label) FROM ref_auc_rows
                                         WHERE set = 'ties_light' AND id BETWEEN q.id - 99 AND q.id)),
          0, 'roc_auc over a moving frame: every frame gets the AUC of its own rows');

-- Parallel plans.  The table is created in this transaction; parallel
-- workers share the transaction's snapshot, so they see it (the plan is
-- checked below).  Queries run through EXECUTE (pg_temp.run, aim_err):
-- pgTAP's functions are parallel-unsafe and would keep a query that calls
-- them serial.
CREATE TABLE aim_churn_par AS
SELECT id, ARRAY[sin(id), cos(id * 0.7), (id % 11) / 5.0, ((id::int8 * 7919) % 1000) / 1000.0]::float8[] AS f,
       sin(id * 1.3) + 0.8 * sin(id) - 0.3 * cos(id * 0.7) + ((id::int8 * 104729) % 997) / 997.0 > 0.6 AS y
  FROM generate_series(1, 40000) id;
ANALYZE aim_churn_par;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL client_min_messages = error;     -- max_iter 3: "did not converge"
CREATE TEMP TABLE par_serial AS
SELECT logistic_fit(f, y)::text AS b, logistic_fit(f, y, 0.5)::text AS b_l2,
       logistic_fit(f, y, 0, 3)::text AS b_3, logistic_summary(f, y)::text AS s,
       logistic_summary(f, y, 2)::text AS s_l2, roc_auc(f[1] + f[2], y)::text AS auc
  FROM aim_churn_par;
SET LOCAL client_min_messages = warning;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;

SELECT matches(pg_temp.plan_of($$SELECT logistic_fit(f, y), logistic_summary(f, y), roc_auc(f[1], y) FROM aim_churn_par$$),
               'Finalize Aggregate.*Workers Launched: [12].*Partial Aggregate.*Parallel Seq Scan',
               'the parallel plan: Partial Aggregate in launched workers, Finalize Aggregate above');
SET LOCAL client_min_messages = error;     -- max_iter 3: "did not converge"
SELECT is(ARRAY[pg_temp.run($$SELECT logistic_fit(f, y) FROM aim_churn_par$$),
                pg_temp.run($$SELECT logistic_fit(f, y, 0.5) FROM aim_churn_par$$),
                pg_temp.run($$SELECT logistic_fit(f, y, 0, 3) FROM aim_churn_par$$)],
          (SELECT ARRAY[b, b_l2, b_3] FROM par_serial),
          'parallel plan (leader not participating): logistic_fit, all three overloads, as in the serial plan');
SET LOCAL client_min_messages = warning;
SELECT is(ARRAY[pg_temp.run($$SELECT logistic_summary(f, y) FROM aim_churn_par$$),
                pg_temp.run($$SELECT logistic_summary(f, y, 2) FROM aim_churn_par$$)],
          (SELECT ARRAY[s, s_l2] FROM par_serial),
          'parallel plan (leader not participating): logistic_summary, both overloads, as in the serial plan');
SELECT is(pg_temp.run($$SELECT roc_auc(f[1] + f[2], y) FROM aim_churn_par$$), (SELECT auc FROM par_serial),
          'parallel plan (leader not participating): roc_auc as in the serial plan');
SET LOCAL parallel_leader_participation = on;
SELECT is(ARRAY[pg_temp.run($$SELECT logistic_fit(f, y) FROM aim_churn_par$$),
                pg_temp.run($$SELECT logistic_summary(f, y, 2) FROM aim_churn_par$$),
                pg_temp.run($$SELECT roc_auc(f[1] + f[2], y) FROM aim_churn_par$$)],
          (SELECT ARRAY[b, s_l2, auc] FROM par_serial),
          'parallel plan (leader participating): logistic_fit, logistic_summary and roc_auc as in the serial plan');
SET LOCAL parallel_leader_participation = off;
-- the checks hold across workers (in the transition or combine function)
SELECT ok((SELECT code = '2202E' AND msg ~ '^features array length [34] differs from [34], the length in earlier rows$'
             FROM pg_temp.aim_err($$SELECT logistic_fit(CASE WHEN id > 20000 THEN f[1:3] ELSE f END, y)
                                      FROM aim_churn_par$$)),
          'parallel plan: rows of two lengths are an error (2202E)');
SELECT ok((SELECT code = '22023' AND msg = 'logistic regression parameter l2 must be the same for every row'
             FROM pg_temp.aim_err($$SELECT logistic_summary(f, y, CASE WHEN id > 20000 THEN 1 ELSE 2 END)
                                      FROM aim_churn_par$$)),
          'parallel plan: an l2 that changes between rows is an error (22023)');
SELECT ok((SELECT code = '22023' AND msg = 'logistic regression parameter max_iter must be the same for every row'
             FROM pg_temp.aim_err($$SELECT logistic_fit(f, y, 0, CASE WHEN id > 20000 THEN 50 ELSE 100 END)
                                      FROM aim_churn_par$$)),
          'parallel plan: a max_iter that changes between rows is an error (22023)');
SELECT ok((SELECT code = '22000' AND msg = 'logistic regression needs rows of both classes'
             FROM pg_temp.aim_err($$SELECT logistic_fit(f, true) FROM aim_churn_par$$)),
          'parallel plan: one class is an error (22000)');
SELECT is(pg_temp.run($$SELECT roc_auc(f[1], id > 40000) FROM aim_churn_par$$), NULL,
          'parallel plan: roc_auc of one class is NULL');

SET LOCAL parallel_setup_cost = DEFAULT;
SET LOCAL parallel_tuple_cost = DEFAULT;
SET LOCAL min_parallel_table_scan_size = DEFAULT;
SET LOCAL max_parallel_workers_per_gather = DEFAULT;
SET LOCAL parallel_leader_participation = DEFAULT;

--------------------------------------------------------------------------
-- 6. the support functions with internal arguments
--------------------------------------------------------------------------
-- As for kmeans (30_kmeans.sql): they cannot be called from SQL, a user
-- aggregate whose serialization function is core's bytea_string_agg_finalfn
-- hands their deserialization functions a bytea of one's choosing in a
-- parallel plan, and a user aggregate can pair them with another
-- aggregate's internal state, which the magic number at the start of each
-- state catches.
INSERT INTO aim_err (stmt, code, msg) VALUES
($$SELECT logistic_final(NULL)$$, '42883', 'function logistic_final(unknown) does not exist'),
($$SELECT logistic_accum(NULL, '{1}'::float8[], true)$$, '42883',
 'function logistic_accum(unknown, double precision[], boolean) does not exist'),
($$SELECT logistic_deserialize('\x00'::bytea, NULL::internal)$$, '42846', 'cannot cast type unknown to internal'),
($$SELECT roc_auc_final(NULL)$$, '42883', 'function roc_auc_final(unknown) does not exist'),
($$SELECT roc_auc_accum(NULL, 1::float8, true)$$, '42883',
 'function roc_auc_accum(unknown, double precision, boolean) does not exist');
SELECT throws_ok(stmt, code, msg, format('%s: %s %s', regexp_replace(stmt, '\s+', ' ', 'g'), code, msg))
  FROM aim_err WHERE code IN ('42883', '42846') ORDER BY id;

-- states in the layouts of LogitSerial and of roc_auc_serialize
-- (src/logistic.c), little-endian
-- d, max_iter, l2, n, names_len, padding, names_len bytes of a names array
-- (logistic_summary's names; none here), then n rows of d features and the
-- label (0 or 1)
CREATE FUNCTION pg_temp.lstate(d int, max_iter int, l2 float8, n int8, r float8[] DEFAULT '{}',
                               names bytea DEFAULT '', names_len int DEFAULT NULL)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
SELECT pg_temp.le(int4send(d)) || pg_temp.le(int4send(max_iter)) || pg_temp.le(float8send(l2))
       || pg_temp.le(int8send(n))
       || pg_temp.le(int4send(coalesce(names_len, length(names)))) || pg_temp.le(int4send(0)) || names
       || coalesce((SELECT string_agg(pg_temp.le(float8send(x)), ''::bytea ORDER BY o)
                      FROM unnest(r) WITH ORDINALITY u(x, o)), ''::bytea)
$$;
-- n, then n pairs (the score's bits in an order-preserving form, label)
CREATE FUNCTION pg_temp.astate(n int8, s float8[] DEFAULT '{}', l int8[] DEFAULT '{}')
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
-- n, the parameter (-1: none; 51_curves.sql tests the others), the pairs
SELECT pg_temp.le(int8send(n)) || pg_temp.le(int8send(-1))
       || coalesce((SELECT string_agg(pg_temp.le(int8send(pg_temp.okey(x))) || pg_temp.le(int8send(y)),
                                      ''::bytea ORDER BY o)
                      FROM unnest(s, l) WITH ORDINALITY u(x, y, o)), ''::bytea)
$$;

-- the layouts are the real ones: the serialization functions as final functions
CREATE AGGREGATE aim_test_logit_state(float8[], boolean, float8, int) (
    SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_serialize);
CREATE AGGREGATE aim_test_auc_state(float8, boolean) (
    SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_serialize);
SELECT is((SELECT aim_test_logit_state(f, y, 0.5, 7)
             FROM (VALUES ('{0,0.25}'::float8[], true), ('{1,-3}', false)) v(f, y)),
          pg_temp.lstate(2, 7, 0.5, 2, '{0,0.25,1,1,-3,0}'),
          'logistic_serialize writes the state layout that the crafted states below use');
SELECT is((SELECT aim_test_auc_state(s, l)
             FROM (VALUES (0.5::float8, true), (-2, false), ('-0', true), ('-Infinity', false)) v(s, l)),
          pg_temp.astate(4, '{0.5,-2,0,-Infinity}', '{1,0,1,0}'),
          'roc_auc_serialize writes the state layout that the crafted states below use');

CREATE AGGREGATE aim_test_lcraft(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal,
    SERIALFUNC = bytea_string_agg_finalfn, DESERIALFUNC = logistic_deserialize,
    COMBINEFUNC = logistic_combine, FINALFUNC = logistic_final, PARALLEL = SAFE);
CREATE AGGREGATE aim_test_scraft(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal,
    SERIALFUNC = bytea_string_agg_finalfn, DESERIALFUNC = logistic_deserialize,
    COMBINEFUNC = logistic_combine, FINALFUNC = logistic_summary_final, PARALLEL = SAFE);
CREATE AGGREGATE aim_test_acraft(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal,
    SERIALFUNC = bytea_string_agg_finalfn, DESERIALFUNC = roc_auc_deserialize,
    COMBINEFUNC = roc_auc_combine, FINALFUNC = roc_auc_final, PARALLEL = SAFE);

-- run aggregate agg over aim_churn_par with one non-NULL row holding st,
-- in a parallel plan (or fail)
CREATE FUNCTION pg_temp.craft(agg text, st bytea) RETURNS text LANGUAGE sql AS $$
SELECT pg_temp.craft_parallel(agg, 'aim_churn_par', st)
$$;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;

CREATE TEMP TABLE aim_craft (id serial, agg text, what text, st bytea, code text, msg text);
INSERT INTO aim_craft (agg, what, st, code, msg) VALUES
('aim_test_lcraft', 'shorter than the header', '\x0102', '22023', 'invalid logistic regression state of 2 bytes'),
('aim_test_scraft', 'names beyond the state', pg_temp.lstate(1, 100, 0, 0, '{}', '\x00', 1000), '22023',
 'invalid logistic regression state'),
('aim_test_scraft', 'names not an array', pg_temp.lstate(1, 100, 0, 1, '{1,1}', '\x0000000000000000000000000000000000000000'),
 '22023', 'invalid logistic regression state'),
('aim_test_scraft', 'names_len negative', pg_temp.lstate(1, 100, 0, 0, '{}', '', -4), '22023',
 'invalid logistic regression state'),
('aim_test_lcraft', 'd = -1', pg_temp.lstate(-1, 100, 0, 0), '22023', 'invalid logistic regression state'),
('aim_test_lcraft', 'd = 1001', pg_temp.lstate(1001, 100, 0, 0), '22023', 'invalid logistic regression state'),
('aim_test_lcraft', 'n = -1', pg_temp.lstate(1, 100, 0, -1), '22023', 'invalid logistic regression state'),
('aim_test_lcraft', 'max_iter = 0', pg_temp.lstate(1, 0, 0, 1, '{1,1}'), '22023',
 'invalid logistic regression state'),
('aim_test_lcraft', 'l2 = -1', pg_temp.lstate(1, 100, -1, 1, '{1,1}'), '22023', 'invalid logistic regression state'),
('aim_test_lcraft', 'l2 NaN', pg_temp.lstate(1, 100, 'NaN', 1, '{1,1}'), '22023',
 'invalid logistic regression state'),
('aim_test_lcraft', 'n = 2, one row', pg_temp.lstate(1, 100, 0, 2, '{1,1}'), '22023',
 'invalid logistic regression state'),
('aim_test_lcraft', 'n = 1, d = 1, three values', pg_temp.lstate(1, 100, 0, 1, '{1,1,0}'), '22023',
 'invalid logistic regression state'),
('aim_test_lcraft', 'n = 2^62 + 1 (n (d + 1) 8 wraps to 16)', pg_temp.lstate(1, 100, 0, 4611686018427387905, '{1,1}'),
 '22023', 'invalid logistic regression state'),
('aim_test_lcraft', 'a NaN feature', pg_temp.lstate(1, 100, 0, 2, '{1,1,NaN,0}'), '22023',
 'invalid logistic regression state'),
('aim_test_lcraft', 'an infinite feature', pg_temp.lstate(2, 100, 0, 1, '{1,-Infinity,1}'), '22023',
 'invalid logistic regression state'),
('aim_test_scraft', 'label 2', pg_temp.lstate(1, 100, 0, 2, '{1,1,2,2}'), '22023', 'invalid logistic regression state'),
('aim_test_scraft', 'label 0.5', pg_temp.lstate(1, 100, 0, 2, '{1,1,2,0.5}'), '22023',
 'invalid logistic regression state'),
-- well-formed: the usual checks apply
('aim_test_lcraft', 'one class', pg_temp.lstate(1, 100, 0, 2, '{1,1,2,1}'), '22000',
 'logistic regression needs rows of both classes'),
('aim_test_acraft', 'shorter than the header', '\x01020304', '22023', 'invalid roc_auc state of 4 bytes'),
('aim_test_acraft', 'n = -1', pg_temp.astate(-1), '22023', 'invalid roc_auc state'),
('aim_test_acraft', 'n = 2, one pair', pg_temp.astate(2, '{1}', '{1}'), '22023', 'invalid roc_auc state'),
-- the label is the lowest bit, the weight's bits are above it (0: weight 1)
('aim_test_acraft', 'weight bits of NaN', pg_temp.astate(2, '{1,2}', '{1,-4503599627370495}'), '22023',
 'invalid roc_auc state'),
('aim_test_acraft', 'label -1 (weight bits of NaN)', pg_temp.astate(2, '{1,2}', '{-1,0}'), '22023',
 'invalid roc_auc state');

SELECT throws_ok(format('SELECT pg_temp.craft(%L, %L::bytea)', agg, st), code, msg,
                 format('crafted %s state, %s: %s %s', CASE WHEN agg = 'aim_test_acraft' THEN 'roc_auc'
                                                            ELSE 'logistic regression' END, what, code, msg))
  FROM aim_craft ORDER BY id;

-- well-formed states: the result of the same rows
SELECT is(pg_temp.craft('aim_test_lcraft', pg_temp.lstate(1, 100, 0, 4, '{1,0,2,1,3,0,4,1}')),
          (SELECT logistic_fit(ARRAY[x], y)::text FROM (VALUES (1, false), (2, true), (3, false), (4, true)) v(x, y)),
          'crafted well-formed logistic state: the model of the same rows');
SELECT is(pg_temp.craft('aim_test_scraft', pg_temp.lstate(1, 100, 0.5, 4, '{1,0,2,1,3,0,4,1}')),
          (SELECT logistic_summary(ARRAY[x], y, 0.5)::text
             FROM (VALUES (1, false), (2, true), (3, false), (4, true)) v(x, y)),
          'crafted well-formed logistic state with l2: the summary of the same rows');
SELECT pg_temp.near((pg_temp.craft('aim_test_lcraft', pg_temp.lstate(0, 100, 0, 3, '{0,1,1}'))::float8[])[1],
                    ln(2), 'crafted well-formed state of no features: the intercept-only model, ln 2');
SELECT is(pg_temp.craft('aim_test_lcraft', pg_temp.lstate(1000, 100, 0, 0)), NULL,
          'crafted well-formed state of no rows (d = 1000): NULL');
SELECT is(pg_temp.craft('aim_test_acraft', pg_temp.astate(5, '{0.5,-2,0,-Infinity,3}', '{1,0,1,0,0}')),
          (SELECT roc_auc(s, l)::text
             FROM (VALUES (0.5::float8, true), (-2, false), (0, true), ('-Infinity', false), (3, false)) v(s, l)),
          'crafted well-formed roc_auc state: the AUC of the same rows');
SELECT is(pg_temp.craft('aim_test_acraft', pg_temp.astate(0)), NULL,
          'crafted well-formed roc_auc state of no rows: NULL');

-- kmeans_combine, logistic_combine and roc_auc_combine as the combine
-- function of an aggregate whose partial states are another's: the leader
-- hands them foreign states
CREATE AGGREGATE aim_test_km_lcombine(float8[], int) (
    SFUNC = kmeans_accum, STYPE = internal, COMBINEFUNC = logistic_combine,
    SERIALFUNC = kmeans_serialize, DESERIALFUNC = kmeans_deserialize,
    FINALFUNC = kmeans_final, PARALLEL = SAFE);
CREATE AGGREGATE aim_test_logit_acombine(float8[], boolean) (
    SFUNC = logistic_accum, STYPE = internal, COMBINEFUNC = roc_auc_combine,
    SERIALFUNC = logistic_serialize, DESERIALFUNC = logistic_deserialize,
    FINALFUNC = logistic_final, PARALLEL = SAFE);
SELECT matches(pg_temp.explain($$SELECT aim_test_km_lcombine(f, 2) FROM aim_churn_par$$)
               || pg_temp.explain($$SELECT aim_test_logit_acombine(f, y) FROM aim_churn_par$$),
               'Finalize Aggregate.*Partial Aggregate.*Finalize Aggregate.*Partial Aggregate',
               'the aggregates with a foreign combine function run in parallel plans');
SELECT is((SELECT code || ': ' || msg FROM pg_temp.aim_err($$SELECT aim_test_km_lcombine(f, 2) FROM aim_churn_par$$)),
          '22023: logistic regression: the aggregate state is not a logistic regression state',
          'parallel plan: logistic_combine given kmeans states: 22023 not a logistic regression state');
SELECT is((SELECT code || ': ' || msg FROM pg_temp.aim_err($$SELECT aim_test_logit_acombine(f, y) FROM aim_churn_par$$)),
          '22023: roc_auc: the aggregate state is not a roc_auc state',
          'parallel plan: roc_auc_combine given logistic regression states: 22023 not a roc_auc state');

SET LOCAL parallel_setup_cost = DEFAULT;
SET LOCAL parallel_tuple_cost = DEFAULT;
SET LOCAL min_parallel_table_scan_size = DEFAULT;
SET LOCAL max_parallel_workers_per_gather = DEFAULT;
SET LOCAL parallel_leader_participation = DEFAULT;

-- Serially, final and serialization functions given a foreign state:
-- string_agg's, or another aggregate's of this extension
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE AGGREGATE aim_test_sa_lfinal(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal, FINALFUNC = logistic_final);
CREATE AGGREGATE aim_test_sa_sfinal(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal, FINALFUNC = logistic_summary_final);
CREATE AGGREGATE aim_test_sa_lserial(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal, FINALFUNC = logistic_serialize);
CREATE AGGREGATE aim_test_sa_afinal(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal, FINALFUNC = roc_auc_final);
CREATE AGGREGATE aim_test_sa_aserial(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal, FINALFUNC = roc_auc_serialize);
CREATE AGGREGATE aim_test_km_lfinal(float8[], int) (
    SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = logistic_final);
CREATE AGGREGATE aim_test_logit_afinal(float8[], boolean) (
    SFUNC = logistic_accum, STYPE = internal, FINALFUNC = roc_auc_final);
CREATE AGGREGATE aim_test_auc_sfinal(float8, boolean) (
    SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = logistic_summary_final);
CREATE AGGREGATE aim_test_auc_lserial(float8, boolean) (
    SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = logistic_serialize);

CREATE TEMP TABLE aim_magic (id serial, stmt text, msg text);
INSERT INTO aim_magic (stmt, msg) VALUES
($$SELECT aim_test_sa_lfinal(x, ','::bytea) FROM (VALUES ('\x01'::bytea), ('\x02')) v(x)$$,
 'logistic regression: the aggregate state is not a logistic regression state'),
($$SELECT aim_test_sa_sfinal(x, ','::bytea) FROM (VALUES ('\x01'::bytea)) v(x)$$,
 'logistic regression: the aggregate state is not a logistic regression state'),
($$SELECT aim_test_sa_lserial(x, ','::bytea) FROM (VALUES ('\x01'::bytea)) v(x)$$,
 'logistic regression: the aggregate state is not a logistic regression state'),
($$SELECT aim_test_sa_afinal(x, ','::bytea) FROM (VALUES ('\x01'::bytea), ('\x02')) v(x)$$,
 'roc_auc: the aggregate state is not a roc_auc state'),
($$SELECT aim_test_sa_aserial(x, ','::bytea) FROM (VALUES ('\x01'::bytea)) v(x)$$,
 'roc_auc: the aggregate state is not a roc_auc state'),
($$SELECT aim_test_km_lfinal(ARRAY[x], 2) FROM generate_series(1, 3) x$$,
 'logistic regression: the aggregate state is not a logistic regression state'),
($$SELECT aim_test_logit_afinal(ARRAY[x], x > 1) FROM generate_series(1, 3) x$$,
 'roc_auc: the aggregate state is not a roc_auc state'),
($$SELECT aim_test_auc_sfinal(x, x > 1) FROM generate_series(1, 3) x$$,
 'logistic regression: the aggregate state is not a logistic regression state'),
($$SELECT aim_test_auc_lserial(x, x > 1) FROM generate_series(1, 3) x$$,
 'logistic regression: the aggregate state is not a logistic regression state');
SELECT throws_ok(stmt, '22023', msg, format('%s: 22023 %s', regexp_replace(stmt, '\s+', ' ', 'g'), msg))
  FROM aim_magic ORDER BY id;
SET LOCAL max_parallel_workers_per_gather = DEFAULT;
-- and the real aggregates are not disturbed by the rejected states
SELECT is((SELECT logistic_fit(f, y) || roc_auc(f[1], y) FROM ref_logit_pts WHERE set = 'scales'),
          (SELECT b || (SELECT roc_auc(f[1], y) FROM scales_rev) FROM fit WHERE case_name = 'scales_none'),
          'logistic_fit and roc_auc still work after the rejected states');

--------------------------------------------------------------------------
-- 7. statement_timeout (2)
--------------------------------------------------------------------------
-- Only the cancellation (57014) is checked here: how promptly it stops is
-- timed by test/robust/20_cancel.sh, with bounds scaled to the machine (a
-- wall-clock bound here failed under ASan).
CREATE TEMP TABLE aim_cancel (id int, what text, code text);

-- 2,000,000 rows of 20 features generated in the statement (windows of a
-- random array), cancelled while they are collected (3.4 s uncancelled on
-- the development machine)
SET LOCAL statement_timeout = '1s';
INSERT INTO aim_cancel
SELECT 1, '2000000 generated rows x 20 features',
       pg_temp.cancel_code($$SELECT logistic_fit(r.a[i:i + 19], (i::int8 * 7919) % 13 < 6)
                               FROM (SELECT ARRAY(SELECT random() FROM generate_series(1, 2000020)) AS a) r,
                                    generate_series(1, 2000000) i$$);
SET LOCAL statement_timeout = 0;

-- 200000 rows of 100 features, nearly separable: collected in 0.4 s, then
-- 23 Newton iterations (3.2 s in all uncancelled); cancelled in the
-- iterations
SET LOCAL statement_timeout = '800ms';
INSERT INTO aim_cancel
SELECT 2, 'Newton iterations, 200000 rows x 100 features',
       pg_temp.cancel_code($$SELECT logistic_fit(r.a[i:i + 99], r.a[i] + 0.002 * r.a[i + 150] > 0.501)
                               FROM (SELECT ARRAY(SELECT random() FROM generate_series(1, 200200)) AS a) r,
                                    generate_series(1, 200000) i$$);
SET LOCAL statement_timeout = 0;

SELECT is(code, '57014', format('%s: statement_timeout cancels logistic_fit (57014)', what))
  FROM aim_cancel ORDER BY id;

--------------------------------------------------------------------------
-- 8. defects found when this suite was written, since fixed (14)
--------------------------------------------------------------------------

-- the value of a query as text, NULL if it fails: pg_temp.run(query, true)

-- A first row with NULL features, label or score leaves the state NULL
-- (this once returned a NULL pointer as a non-NULL state and crashed).
SELECT is((SELECT logistic_fit(f, y ORDER BY o)
             FROM (SELECT f, y, o FROM with_nulls UNION ALL SELECT NULL, true, '') v),
          (SELECT b FROM fit WHERE case_name = 'correlated_none'),
          'logistic_fit: a first row with NULL features is skipped');
SELECT is((SELECT logistic_summary(f, y, 10 ORDER BY o)
             FROM (SELECT f, y, o FROM with_nulls UNION ALL SELECT '{1,2,3,4}', NULL, '') v),
          (SELECT s FROM fit WHERE case_name = 'correlated_c01'),
          'logistic_summary: a first row with a NULL label is skipped');
SELECT is((SELECT roc_auc(s, l ORDER BY o)
             FROM (SELECT score, label, id FROM ref_auc_rows WHERE set = 'ties_light'
                   UNION ALL SELECT NULL, true, 0) v(s, l, o)),
          (SELECT roc_auc(score, label) FROM ref_auc_rows WHERE set = 'ties_light'),
          'roc_auc: a first row with a NULL score is skipped');
SELECT is((SELECT ARRAY[logistic_fit(f, y)::text, logistic_summary(f, y, 0.5)::text]
             FROM (VALUES (NULL::float8[], true), ('{1}', NULL), (NULL, NULL)) v(f, y)),
          ARRAY[NULL, NULL]::text[],
          'logistic_fit and logistic_summary of only NULL rows are NULL');
SELECT is((SELECT roc_auc(s, l) FROM (VALUES (NULL::float8, true), (1, NULL)) v(s, l)), NULL::float8,
          'roc_auc of only NULL rows is NULL');
SELECT is((SELECT coalesce(code, 'no error') FROM pg_temp.aim_err(
              $$SELECT logistic_fit(f, y, l ORDER BY o)
                  FROM (VALUES (NULL::float8[], true, 2::float8, 1), ('{1}', true, 1, 2), ('{2}', false, 1, 3),
                               ('{3}', true, 1, 4)) v(f, y, l, o)$$)),
          (SELECT coalesce(code, 'no error') FROM pg_temp.aim_err(
              $$SELECT logistic_fit(f, y, l ORDER BY o DESC)
                  FROM (VALUES (NULL::float8[], true, 2::float8, 1), ('{1}', true, 1, 2), ('{2}', false, 1, 3),
                               ('{3}', true, 1, 4)) v(f, y, l, o)$$)),
          'an l2 that differs on a NULL-features row: the same outcome whatever the row order');
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT is(pg_temp.run($$SELECT logistic_fit(CASE WHEN id > 30000 THEN f END, y) FROM aim_churn_par$$),
          (SELECT logistic_fit(f, y)::text FROM aim_churn_par WHERE id > 30000),
          'parallel plan, features NULL in three rows out of four: the model of the other rows');
SELECT is(pg_temp.run($$SELECT roc_auc(CASE WHEN id > 40000 THEN f[1] END, y) FROM aim_churn_par$$), NULL,
          'parallel plan, every score NULL: NULL');

-- Newton's method is scale-equivariant: multiplying a feature by c divides
-- its coefficient by c, and the singularity test (each pivot relative to
-- its own column's diagonal) does not depend on the scale either
SELECT pg_temp.near_all(pg_temp.run($$SELECT logistic_fit(ARRAY[(i % 7) * 1e6]::float8[], (i * 7919) % 13 < 6)
                                        FROM generate_series(1, 1000) i$$, true)::float8[],
                        (SELECT ARRAY[b[1], b[2] / 1e6]
                           FROM (SELECT logistic_fit(ARRAY[i % 7]::float8[], (i * 7919) % 13 < 6) AS b
                                   FROM generate_series(1, 1000) i) m),
                        'a feature multiplied by 1e6 (values up to 6e6): its coefficient divided by 1e6', 1e-9);
SELECT pg_temp.near_all(pg_temp.run($$SELECT logistic_fit(ARRAY[(i % 7) * 1e-7]::float8[], (i * 7919) % 13 < 6)
                                        FROM generate_series(1, 1000) i$$, true)::float8[],
                        (SELECT ARRAY[b[1], b[2] * 1e7]
                           FROM (SELECT logistic_fit(ARRAY[i % 7]::float8[], (i * 7919) % 13 < 6) AS b
                                   FROM generate_series(1, 1000) i) m),
                        'a feature multiplied by 1e-7: its coefficient multiplied by 1e7', 1e-9);
SELECT pg_temp.near_all(pg_temp.run($$SELECT logistic_fit(ARRAY[(i % 7) * 1e-4, (i % 11) * 1e4]::float8[],
                                                          (i * 7919) % 13 < 6)
                                        FROM generate_series(1, 1000) i$$, true)::float8[],
                        (SELECT ARRAY[b[1], b[2] * 1e4, b[3] / 1e4]
                           FROM (SELECT logistic_fit(ARRAY[i % 7, i % 11]::float8[], (i * 7919) % 13 < 6) AS b
                                   FROM generate_series(1, 1000) i) m),
                        'features multiplied by 1e-4 and 1e4: their coefficients multiplied by 1e4 and 1e-4', 1e-9);

-- LogitPass looks for interrupts at intervals scaled to the number of
-- features: a pass over 20000 rows of 1000 features is cancelled promptly
-- (how promptly: test/robust/20_cancel.sh)
SET LOCAL statement_timeout = '700ms';
INSERT INTO aim_cancel
SELECT 3, 'Newton iterations, 20000 rows x 1000 features',
       pg_temp.cancel_code($$SELECT logistic_fit(r.a[i:i + 999], (i * 7919) % 13 < 6, 1.0)
                               FROM (SELECT ARRAY(SELECT random() FROM generate_series(1, 21000)) AS a) r,
                                    generate_series(1, 20000) i$$);
SET LOCAL statement_timeout = 0;
SELECT is(code, '57014', format('%s: statement_timeout cancels logistic_fit (57014)', what))
  FROM aim_cancel WHERE id = 3;

SELECT is((pg_temp.aim_err($$SELECT logistic_fit(f, true, l)
                               FROM (VALUES ('{1}'::float8[], 1::float8), ('{2}', 1.0000001)) v(f, l)$$)).detail,
          'Earlier rows had l2 = 1, this row has l2 = 1.0000001.',
          'l2 = 1 then 1.0000001: the detail tells the two values apart');

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT throws_ok(format('SELECT pg_temp.craft(%L, %L::bytea)', 'aim_test_lcraft',
                        pg_temp.lstate(1, 100, 'Infinity', 4, '{1,0,2,1,3,0,4,1}')),
                 '22023', 'invalid logistic regression state',
                 'crafted logistic regression state, l2 Infinity: 22023 invalid logistic regression state');

SELECT * FROM finish();
ROLLBACK;
