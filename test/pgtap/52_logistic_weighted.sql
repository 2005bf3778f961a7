-- 52_logistic_weighted.sql: logistic_fit_weighted and
-- logistic_summary_weighted (issue 14), a weight per row:
--
--  1. against scikit-learn's LogisticRegression with sample_weight (and
--     class_weight='balanced', whose weights are computed here in SQL, by
--     label) and statsmodels' GLM(..., freq_weights=w): coefficients within
--     1e-6 relative, standard errors and z within 1e-8, p-values within
--     1e-6, the log-likelihood within 1e-9, on random weights with zeros,
--     integer weights, class weights and the README's churn data; the
--     optimality conditions checked in SQL with churn_score;
--  2. properties: all weights 1 give the unweighted results bit for bit
--     (every overload, integer labels); integer weights w equal the rows
--     repeated w times (1e-10); rows of weight 0 are the rows left out, bit
--     for bit; weights times 2^k give the same coefficients bit for bit
--     (and the log-likelihood times 2^k, standard errors over 2^(k/2));
--     weights times 1e300 or 1e-300 the same within 1e-12; weights times c
--     with l2 times c the same model (scikit-learn's C mapping); row order;
--  3. bad input: SQLSTATE, message, hint;
--  4. NULL semantics: NULL weights skip the row, as NULL features and
--     labels do; rows of weight 0 are skipped before they are read; only
--     zero or NULL weights give NULL;
--  5. parallel plans give the serial results bit for bit;
--  6. crafted weighted states reaching logistic_deserialize.
--
-- The reference values of 1 come from test/ref/logistic_weighted_ref.py
-- (numpy, scikit-learn, statsmodels), which wrote them to
-- test/data/logistic_weighted_*.csv (see test/data/README.md), so this file
-- needs no Python.
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

-- (set, id, features, label, weight)
CREATE TEMP TABLE wpts (set text, id int, f float8[], y boolean, w float8);
\copy wpts FROM 'test/data/logistic_weighted_pts.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE wref (case_name text, set text, l2 float8, coef float8[], se float8[], z float8[],
                        p float8[], loglik float8, n int, positives int, weight_sum float8,
                        positive_weight float8, source text);
\copy wref FROM 'test/data/logistic_weighted_ref.csv' WITH (FORMAT csv, HEADER true)

--------------------------------------------------------------------------
-- 1. against scikit-learn and statsmodels (49)
--------------------------------------------------------------------------

-- class weights are weights by label: scikit-learn's 'balanced' is
-- n / (2 n_class), computed here with window functions
CREATE TEMP VIEW wrows AS
SELECT set, id, f, y, w,
       count(*) OVER (PARTITION BY set)::float8 / (2 * count(*) OVER (PARTITION BY set, y)) AS cw
  FROM wpts;
SELECT is((SELECT count(*)::int FROM wrows WHERE set IN ('unbalanced', 'churn') AND cw IS DISTINCT FROM w),
          0, 'the class weights n / (2 n_class) computed in SQL are scikit-learn''s compute_sample_weight(''balanced''), bit for bit');

-- the rows of a case: its own weights, or the SQL class weights
CREATE TEMP VIEW case_rows AS
SELECT r.case_name, r.l2, p.id, p.f, p.y,
       CASE WHEN r.case_name IN ('unbalanced_none', 'churn_balanced') THEN p.cw ELSE p.w END AS w
  FROM wref r JOIN wrows p USING (set);

CREATE TEMP TABLE fit AS
SELECT r.*, m.b, m.s
  FROM wref r,
       LATERAL (SELECT logistic_fit_weighted(c.f, c.y, c.w, r.l2) AS b,
                       logistic_summary_weighted(c.f, c.y, c.w, r.l2) AS s
                  FROM case_rows c WHERE c.case_name = r.case_name) m;

CREATE TEMP TABLE summ AS
SELECT f.case_name,
       array_agg((e->>'coefficient')::float8 ORDER BY o) AS coef,
       array_agg((e->>'std_error')::float8 ORDER BY o) AS se,
       array_agg((e->>'z')::float8 ORDER BY o) AS z,
       array_agg((e->>'p_value')::float8 ORDER BY o) AS p,
       array_agg((e->>'odds_ratio')::float8 ORDER BY o) AS odds
  FROM fit f, jsonb_array_elements(f.s->'terms') WITH ORDINALITY a(e, o)
 GROUP BY f.case_name;

SELECT pg_temp.near_all(f.b, f.coef,
                        format('%s: logistic_fit_weighted(f, y, w, %s) is scikit-learn''s coefficients (1e-6 relative; %s)',
                               f.case_name, f.l2, f.source), 1e-6)
  FROM fit f ORDER BY f.case_name;
SELECT pg_temp.near_all(s.se, f.se,
                        format('%s: standard errors are statsmodels'' GLM freq_weights ones (l2 = 0) or '
                               'the penalised Hessian''s (1e-8 relative)', f.case_name), 1e-8)
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;
SELECT pg_temp.near_all(s.z, f.z, format('%s: z (1e-8 relative)', f.case_name), 1e-8)
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;
SELECT pg_temp.near_all(s.p, f.p, format('%s: p-values (1e-6 relative)', f.case_name), 1e-6)
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;
SELECT pg_temp.near_all(ARRAY[(f.s->>'log_likelihood')::float8, (f.s->>'aic')::float8],
                        ARRAY[f.loglik, 2 * cardinality(f.coef) - 2 * f.loglik],
                        format('%s: the weighted log-likelihood sum(w loglik) and aic = 2 p - 2 log-likelihood (1e-9)',
                               f.case_name), 1e-9)
  FROM fit f ORDER BY f.case_name;
SELECT ok((f.s->>'n')::int = f.n AND (f.s->>'positives')::int = f.positives
          AND abs((f.s->>'weight_sum')::float8 - f.weight_sum) <= 1e-12 * f.weight_sum
          AND abs((f.s->>'positive_weight')::float8 - f.positive_weight) <= 1e-12 * f.positive_weight
          AND (f.s->>'l2')::float8 = f.l2 AND (f.s->>'converged')::boolean,
          format('%s: n %s and positives %s count rows of weight > 0, weight_sum %s (statsmodels'' wnobs), '
                 'positive_weight %s, l2, converged', f.case_name, f.s->'n', f.s->'positives',
                 f.s->'weight_sum', f.s->'positive_weight'))
  FROM fit f ORDER BY f.case_name;
SELECT ok(s.coef = f.b AND (SELECT bool_and(abs(o - exp(c)) <= 1e-15 * exp(c)) FROM unnest(s.odds, s.coef) u(o, c)),
          format('%s: the summary''s coefficients are logistic_fit_weighted''s, bit for bit, and odds_ratio = exp(coefficient)',
                 f.case_name))
  FROM fit f JOIN summ s USING (case_name) ORDER BY f.case_name;
-- the optimality conditions, with churn_score and no reference:
-- sum(w (y - p) x_j) = 0 for the intercept and l2 b_j for the others
SELECT is((SELECT count(*)::int
             FROM (SELECT j, sum(c.w * (c.y::int - churn_score(c.f, f.b)) * CASE WHEN j = 0 THEN 1 ELSE c.f[j] END) AS g,
                          sum(c.w * abs(CASE WHEN j = 0 THEN 1 ELSE c.f[j] END)) AS scale
                     FROM case_rows c, generate_series(0, cardinality(f.b) - 1) j
                    WHERE c.case_name = f.case_name
                    GROUP BY j) q
            WHERE NOT abs(q.g - CASE WHEN q.j = 0 THEN 0 ELSE f.l2 * f.b[q.j + 1] END) <= 1e-10 * q.scale),
          0,
          format('%s: the gradient of the penalised weighted log-likelihood is zero at the fit: '
                 'sum(w (y - churn_score(f, b)) x) = l2 b, intercept unpenalised', f.case_name))
  FROM fit f ORDER BY f.case_name;

--------------------------------------------------------------------------
-- 2. properties (17)
--------------------------------------------------------------------------

-- all weights 1: the unweighted results, bit for bit, every overload
SET LOCAL client_min_messages = error;     -- max_iter 3: "did not converge"
SELECT is((SELECT ARRAY[logistic_fit_weighted(f, y, 1)::text, logistic_fit_weighted(f, y, 1, 0.5)::text,
                        logistic_fit_weighted(f, y, 1, 0, 3)::text,
                        (logistic_summary_weighted(f, y, 1) - 'weight_sum' - 'positive_weight')::text,
                        (logistic_summary_weighted(f, y, 1, 2) - 'weight_sum' - 'positive_weight')::text,
                        (logistic_summary_weighted(f, y, 1, 0, ARRAY['a', 'b', 'c']) - 'weight_sum' - 'positive_weight')::text,
                        logistic_fit_weighted(f, y::int, 1)::text, logistic_fit_weighted(f, y::int::int2, 1, 0.5)::text,
                        logistic_fit_weighted(f, y::int::int8, 1, 0, 3)::text]
             FROM wpts WHERE set = 'random'),
          (SELECT ARRAY[logistic_fit(f, y)::text, logistic_fit(f, y, 0.5)::text, logistic_fit(f, y, 0, 3)::text,
                        logistic_summary(f, y)::text, logistic_summary(f, y, 2)::text,
                        logistic_summary(f, y, 0, ARRAY['a', 'b', 'c'])::text,
                        logistic_fit(f, y)::text, logistic_fit(f, y, 0.5)::text, logistic_fit(f, y, 0, 3)::text]
             FROM wpts WHERE set = 'random'),
          'random: all weights 1 give the unweighted fits and summaries bit for bit (every overload, integer labels)');
SET LOCAL client_min_messages = warning;
SELECT is((SELECT ARRAY[logistic_fit_weighted(f, y, 1)::text,
                        (logistic_summary_weighted(f, y, 1.0, 0.1) - 'weight_sum' - 'positive_weight')::text]
             FROM wpts WHERE set = s.set),
          (SELECT ARRAY[logistic_fit(f, y)::text, logistic_summary(f, y, 0.1)::text] FROM wpts WHERE set = s.set),
          format('%s: all weights 1 give the unweighted fit and summary bit for bit', s.set))
  FROM (VALUES ('unbalanced'), ('churn')) s(set);
SELECT is((SELECT ARRAY[s->>'weight_sum', s->>'positive_weight', s->>'n', s->>'positives']
             FROM (SELECT logistic_summary_weighted(f, y, 1) AS s FROM wpts WHERE set = 'churn') q),
          (SELECT ARRAY[count(*), count(*) FILTER (WHERE y), count(*), count(*) FILTER (WHERE y)]::text[]
             FROM wpts WHERE set = 'churn'),
          'churn: with all weights 1, weight_sum = n and positive_weight = positives');

-- integer weights: the rows repeated w times
CREATE TEMP TABLE rep AS
SELECT (SELECT logistic_summary_weighted(f, y, w) FROM wpts WHERE set = 'integer') AS sw,
       (SELECT logistic_summary(f, y) FROM wpts, generate_series(1, w::int) WHERE set = 'integer') AS sr,
       (SELECT logistic_fit_weighted(f, y, w, 1) FROM wpts WHERE set = 'integer') AS bw1,
       (SELECT logistic_fit(f, y, 1) FROM wpts, generate_series(1, w::int) WHERE set = 'integer') AS br1;
SELECT pg_temp.near_all(
         ARRAY(SELECT (e->>k)::float8 FROM rep, jsonb_array_elements(sw->'terms') WITH ORDINALITY a(e, o),
                      unnest(ARRAY['coefficient', 'std_error', 'z']) k ORDER BY o, k),
         ARRAY(SELECT (e->>k)::float8 FROM rep, jsonb_array_elements(sr->'terms') WITH ORDINALITY a(e, o),
                      unnest(ARRAY['coefficient', 'std_error', 'z']) k ORDER BY o, k),
         'integer weights: coefficients, standard errors and z of the rows repeated w times (1e-10)', 1e-10);
SELECT pg_temp.near_all(ARRAY[(sw->>'log_likelihood')::float8, (sw->>'aic')::float8],
                        ARRAY[(sr->>'log_likelihood')::float8, (sr->>'aic')::float8],
                        'integer weights: log-likelihood and aic of the rows repeated w times (1e-10)', 1e-10)
  FROM rep;
SELECT pg_temp.near_all(bw1, br1, 'integer weights, l2 = 1: the coefficients of the rows repeated w times (1e-10)', 1e-10)
  FROM rep;
SELECT is(ARRAY[sw->>'weight_sum', sw->>'positive_weight'], ARRAY[sr->>'n', sr->>'positives'],
          'integer weights: weight_sum and positive_weight are n and positives of the repeated rows')
  FROM rep;

-- rows of weight 0 are the rows left out
SELECT is((SELECT ARRAY[logistic_fit_weighted(f, y, w)::text, logistic_summary_weighted(f, y, w, 0.5)::text]
             FROM wpts WHERE set = 'random'),
          (SELECT ARRAY[logistic_fit_weighted(f, y, w)::text, logistic_summary_weighted(f, y, w, 0.5)::text]
             FROM wpts WHERE set = 'random' AND w > 0),
          'rows of weight 0 are left out: the fit and summary of the other rows, bit for bit');

-- weights times 2^10: the same coefficients (with l2 times 2^10 too), the
-- log-likelihood times 2^10, standard errors over 2^5, all exactly
SELECT is((SELECT ARRAY[logistic_fit_weighted(f, y, w * 1024)::text,
                        logistic_fit_weighted(f, y, w * 1024, 1024 * 0.5)::text,
                        ((s->>'log_likelihood')::float8 / 1024)::text,
                        ((s->'terms'->1->>'std_error')::float8 * 32)::text]
             FROM wpts, LATERAL (SELECT logistic_summary_weighted(f, y, w * 1024) AS s
                                   FROM wpts WHERE set = 'random') q
            WHERE set = 'random' GROUP BY s),
          (SELECT ARRAY[logistic_fit_weighted(f, y, w)::text, logistic_fit_weighted(f, y, w, 0.5)::text,
                        (s->>'log_likelihood')::float8::text, (s->'terms'->1->>'std_error')::float8::text]
             FROM wpts, LATERAL (SELECT logistic_summary_weighted(f, y, w) AS s FROM wpts WHERE set = 'random') q
            WHERE set = 'random' GROUP BY s),
          'weights times 1024: coefficients bit for bit (l2 times 1024 too), log-likelihood times 1024, '
          'standard errors over 32, exactly');
-- weights times 1e300 and 1e-300: no overflow or underflow
SELECT pg_temp.near_all(
         (SELECT logistic_fit_weighted(f, y, w * c) || ARRAY(SELECT (e->>'std_error')::float8 * sqrt(c)
                                                                FROM jsonb_array_elements(logistic_summary_weighted(f, y, w * c)->'terms') e)
            FROM wpts WHERE set = 'random'),
         (SELECT logistic_fit_weighted(f, y, w) || ARRAY(SELECT (e->>'std_error')::float8
                                                           FROM jsonb_array_elements(logistic_summary_weighted(f, y, w)->'terms') e)
            FROM wpts WHERE set = 'random'),
         format('weights times %s: the same coefficients, standard errors over sqrt(%s) (1e-12)', c, c), 1e-12)
  FROM (VALUES (1e300::float8), (1e-300)) v(c);
-- weights times 3 with l2 times 3: the same model (scikit-learn's C
-- multiplies the weighted loss: C and sample_weight trade off)
SELECT pg_temp.near_all((SELECT logistic_fit_weighted(f, y, 3 * w, 3 * 0.7) FROM wpts WHERE set = 'random'),
                        (SELECT logistic_fit_weighted(f, y, w, 0.7) FROM wpts WHERE set = 'random'),
                        'weights times 3 and l2 times 3: the same coefficients (1e-12)', 1e-12);
-- row order does not matter
SELECT is((SELECT logistic_fit_weighted(f, y, w, 0.1 ORDER BY md5(id::text)) FROM wpts WHERE set = 'churn')::text,
          (SELECT logistic_fit_weighted(f, y, w, 0.1 ORDER BY id DESC) FROM wpts WHERE set = 'churn')::text,
          'the fit does not depend on the row order, bit for bit');
-- a weight that is a numeric or an integer column
SELECT is((SELECT logistic_fit_weighted(f, y, w::int) FROM wpts WHERE set = 'integer')::text,
          (SELECT logistic_fit_weighted(f, y, w::numeric) FROM wpts WHERE set = 'integer')::text,
          'weights given as int or numeric (implicit casts to float8) give the same fit');
-- weights 300 orders of magnitude apart: the intercept-only optimum is
-- ln(positive weight / negative weight) exactly (hand formula); rows far
-- on the wrong side (e^-z below the double epsilon) must still count in
-- the objective, or the step halving stalls at z = -37 (found by the fuzzer)
SELECT pg_temp.near((SELECT b[1] FROM (SELECT logistic_fit_weighted(f, y, w, 0, 2000)
                                 FROM (VALUES ('{}'::float8[], false, 1e300::float8),
                                              ('{}'::float8[], false, 1e300::float8),
                                              ('{}'::float8[], true, 1.0::float8)) v(f, y, w)) s(b)),
            ln(1 / 2e300::numeric)::float8,
            'weights 1e300 against 1: the intercept is ln(1 / 2e300) (converges in about 700 Newton steps)', 1e-14::float8);
-- GROUP BY: one model per group
SELECT is((SELECT array_agg(b::text ORDER BY set)
             FROM (SELECT set, logistic_fit_weighted(f, y, w) AS b FROM wpts
                    WHERE set IN ('integer', 'random') GROUP BY set) g),
          ARRAY[(SELECT logistic_fit_weighted(f, y, w) FROM wpts WHERE set = 'integer')::text,
                (SELECT logistic_fit_weighted(f, y, w) FROM wpts WHERE set = 'random')::text],
          'GROUP BY set: the model of each group');

--------------------------------------------------------------------------
-- 3. bad input (23)
--------------------------------------------------------------------------

CREATE TEMP TABLE aim_err (
    id      serial PRIMARY KEY,
    stmt    text NOT NULL,
    code    text NOT NULL,
    msg     text NOT NULL,
    detail  text,
    hint    text
);
INSERT INTO aim_err (stmt, code, msg, detail, hint) VALUES
($$SELECT logistic_fit_weighted(f, y, w) FROM (VALUES ('{1}'::float8[], true, 1::float8), ('{2}', false, -1)) v(f, y, w)$$,
 '22023', 'weight must be a finite number >= 0, not -1', NULL,
 'A row of weight 0 is left out of the fit; a row with a NULL weight is skipped.'),
($$SELECT logistic_fit_weighted(f, y, w, 1) FROM (VALUES ('{1}'::float8[], true, 'NaN'::float8)) v(f, y, w)$$,
 '22023', 'weight must be a finite number >= 0, not NaN', NULL, NULL),
($$SELECT logistic_summary_weighted(f, y, w) FROM (VALUES ('{1}'::float8[], true, 'Infinity'::float8)) v(f, y, w)$$,
 '22023', 'weight must be a finite number >= 0, not Infinity', NULL, NULL),
($$SELECT logistic_summary_weighted(f, y::int, w, 0) FROM (VALUES ('{1}'::float8[], true, '-Infinity'::float8)) v(f, y, w)$$,
 '22023', 'weight must be a finite number >= 0, not -Infinity', NULL, NULL),
($$SELECT logistic_fit_weighted(f, y, w, 0, 5) FROM (VALUES ('{1}'::float8[], true, '-1e-300'::float8)) v(f, y, w)$$,
 '22023', 'weight must be a finite number >= 0, not -1e-300', NULL, NULL),
-- a negative weight is an error wherever it comes, and in every overload
($$SELECT logistic_summary_weighted(f, y, w, 0, '{a}') FROM (VALUES ('{1}'::float8[], true, 0::float8), ('{1}', false, -2)) v(f, y, w)$$,
 '22023', 'weight must be a finite number >= 0, not -2', NULL, NULL),
-- the parameters after the weight
($$SELECT logistic_fit_weighted(f, y, 1, -1) FROM (VALUES ('{1}'::float8[], true)) v(f, y)$$,
 '22023', 'l2 must be a finite number >= 0, not -1', NULL, NULL),
($$SELECT logistic_fit_weighted(f, y, 1, 0, 0) FROM (VALUES ('{1}'::float8[], true)) v(f, y)$$,
 '22023', 'max_iter must be at least 1, not 0', NULL, NULL),
($$SELECT logistic_fit_weighted(f, y, 1, NULL) FROM (VALUES ('{1}'::float8[], true)) v(f, y)$$,
 '22004', 'logistic regression parameter l2 must not be null', NULL, NULL),
($$SELECT logistic_fit_weighted(f, y, 1, 0, NULL) FROM (VALUES ('{1}'::float8[], true)) v(f, y)$$,
 '22004', 'logistic regression parameter max_iter must not be null', NULL, NULL),
($$SELECT logistic_summary_weighted(f, y, 1, 0, NULL) FROM (VALUES ('{1}'::float8[], true)) v(f, y)$$,
 '22004', 'logistic regression parameter names must not be null', NULL, NULL),
($$SELECT logistic_summary_weighted(f, y, 1, 0, '{a,b}') FROM (VALUES ('{1}'::float8[], true)) v(f, y)$$,
 '2202E', 'names must be a one-dimensional array with one element per feature', NULL, NULL),
($$SELECT logistic_fit_weighted(f, y, w, w) FROM (VALUES ('{1}'::float8[], true, 1::float8), ('{2}', false, 2)) v(f, y, w)$$,
 '22023', 'logistic regression parameter l2 must be the same for every row',
 'Earlier rows had l2 = 1, this row has l2 = 2.', NULL),
-- the rows
($$SELECT logistic_fit_weighted(f, y, 1) FROM (VALUES ('{1,2}'::float8[], true), ('{1}', false)) v(f, y)$$,
 '2202E', 'features array length 1 differs from 2, the length in earlier rows', NULL, NULL),
($$SELECT logistic_fit_weighted(f, y, 2) FROM (VALUES ('{1,NaN}'::float8[], true)) v(f, y)$$,
 '22023', 'array "features" must not contain NaN or infinity', 'Element [2] is NaN.', NULL),
($$SELECT logistic_fit_weighted(ARRAY[x], x % 3, 1) FROM generate_series(1, 20) x$$,
 '22023', 'label must be 0 or 1, not 2', NULL, NULL),
-- both classes among the rows of weight > 0
($$SELECT logistic_fit_weighted(ARRAY[x], x > 3, CASE WHEN x > 3 THEN 0 ELSE 1 END) FROM generate_series(1, 6) x$$,
 '22000', 'logistic regression needs rows of both classes', 'All 3 rows have label false.', NULL),
($$SELECT logistic_summary_weighted(ARRAY[x], x > 0, 2.5) FROM generate_series(-5, 5) x$$,
 '22000', 'logistic regression does not converge: the classes are perfectly separable', NULL,
 'Add an L2 penalty: logistic_fit(features, label, 1.0).');

SELECT throws_ok(stmt, code, msg, format('%s: %s %s', regexp_replace(stmt, '\s+', ' ', 'g'), code, msg))
  FROM aim_err ORDER BY id;
SELECT is((pg_temp.aim_err(stmt)).detail, detail, format('%s: detail', regexp_replace(stmt, '\s+', ' ', 'g')))
  FROM aim_err WHERE detail IS NOT NULL ORDER BY id;
SELECT is(coalesce((pg_temp.aim_err(stmt)).hint, ''), hint, format('%s: hint', regexp_replace(stmt, '\s+', ' ', 'g')))
  FROM aim_err WHERE hint IS NOT NULL ORDER BY id;

--------------------------------------------------------------------------
-- 4. NULL semantics (8)
--------------------------------------------------------------------------

-- rows with a NULL weight, features or label are skipped, wherever they
-- come (also first)
CREATE TEMP TABLE with_nulls AS
SELECT id, f, y, w, md5(id::text) AS o FROM wpts WHERE set = 'random'
UNION ALL SELECT -i, ARRAY[i, -i, 1e6]::float8[], i % 2 = 0, NULL, md5(i::text || 'nw') FROM generate_series(1, 50) i
UNION ALL SELECT -100 - i, NULL, i % 2 = 0, 1, md5(i::text || 'nf') FROM generate_series(1, 50) i
UNION ALL SELECT -200 - i, ARRAY[i, -i, 1e6]::float8[], NULL, 1, md5(i::text || 'ny') FROM generate_series(1, 50) i
UNION ALL SELECT -1000, ARRAY[7, 7, 7]::float8[], true, NULL, '0';
SELECT is((SELECT logistic_summary_weighted(f, y, w ORDER BY o) FROM with_nulls),
          (SELECT s FROM fit WHERE case_name = 'random_none'),
          'rows with a NULL weight, features or label are skipped, wherever they come (n counts the others)');
-- NULL weights where the weights were 0: the same fit
SELECT is((SELECT logistic_fit_weighted(f, y, nullif(w, 0)) FROM wpts WHERE set = 'random')::text,
          (SELECT logistic_fit_weighted(f, y, w) FROM wpts WHERE set = 'random')::text,
          'a NULL weight skips the row as a weight of 0 does');
-- rows of weight 0 are skipped before their features and label are read;
-- a row skipped for a NULL is not checked either
SELECT is((SELECT logistic_fit_weighted(f, y, w)::text
             FROM (SELECT f, y::int, w FROM wpts WHERE set = 'random'
                   UNION ALL VALUES ('{1,2}'::float8[], 2, 0::float8), ('{NaN,1,1}', 1, 0),
                                    (NULL, 1, -1), ('{1,1,1}', NULL, '-Infinity')) v(f, y, w)),
          (SELECT logistic_fit_weighted(f, y, w) FROM wpts WHERE set = 'random')::text,
          'rows of weight 0 with a bad label, NaN features or another length, and rows with a NULL and a negative weight, are skipped');
SELECT is((SELECT logistic_fit_weighted(f, y, w) FROM wpts WHERE set = 'random' AND w = 0), NULL,
          'only rows of weight 0: NULL');
SELECT is((SELECT logistic_fit_weighted(f, y, '-0'::float8) FROM wpts WHERE set = 'random'), NULL,
          'a weight of -0 is 0: NULL');
SELECT is((SELECT ARRAY[logistic_fit_weighted(f, y, NULL)::text, logistic_fit_weighted(f, y, NULL, 1)::text,
                        logistic_fit_weighted(f, y, NULL, 1, 5)::text, logistic_summary_weighted(f, y, NULL)::text,
                        logistic_summary_weighted(f, y, NULL, 1)::text,
                        logistic_summary_weighted(f, y, NULL, 1, '{a,b,c}')::text]
             FROM wpts WHERE set = 'random'),
          ARRAY[NULL, NULL, NULL, NULL, NULL, NULL]::text[],
          'only NULL weights: NULL from every overload');
SELECT is((SELECT ARRAY[logistic_fit_weighted(f, y, w)::text, logistic_summary_weighted(f, y, w)::text]
             FROM wpts WHERE false),
          ARRAY[NULL, NULL]::text[], 'no rows: NULL');
SELECT is((SELECT logistic_fit_weighted(f, y, w) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)
             FROM (VALUES (1, '{1}'::float8[], true, 0::float8), (2, '{2}', false, 0), (3, '{3}', true, 1)) v(id, f, y, w)
            ORDER BY id LIMIT 1), NULL,
          'a window frame of rows of weight 0 only: NULL');

--------------------------------------------------------------------------
-- 5. parallel plans (5)
--------------------------------------------------------------------------

CREATE TABLE aim_wlogit_par AS
SELECT id, ARRAY[sin(id), cos(id * 0.7), (id % 11) / 5.0]::float8[] AS f,
       sin(id * 1.3) + 0.8 * sin(id) - 0.3 * cos(id * 0.7) + ((id::int8 * 104729) % 997) / 997.0 > 0.6 AS y,
       ((id::int8 * 7919) % 13) / 4.0 AS w
  FROM generate_series(1, 40000) id;
ANALYZE aim_wlogit_par;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE par_serial AS
SELECT logistic_fit_weighted(f, y, w)::text AS b, logistic_fit_weighted(f, y, w, 0.5)::text AS b_l2,
       logistic_summary_weighted(f, y, w)::text AS s,
       logistic_summary_weighted(f, y, w, 2, '{a,b,c}')::text AS s_names
  FROM aim_wlogit_par;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT matches(pg_temp.plan_of($$SELECT logistic_fit_weighted(f, y, w) FROM aim_wlogit_par$$),
               'Finalize Aggregate.*Workers Launched: [12].*Partial Aggregate.*Parallel Seq Scan',
               'the parallel plan: Partial Aggregate in launched workers, Finalize Aggregate above');
SELECT is(ARRAY[pg_temp.run($$SELECT logistic_fit_weighted(f, y, w) FROM aim_wlogit_par$$),
                pg_temp.run($$SELECT logistic_fit_weighted(f, y, w, 0.5) FROM aim_wlogit_par$$),
                pg_temp.run($$SELECT logistic_summary_weighted(f, y, w) FROM aim_wlogit_par$$),
                pg_temp.run($$SELECT logistic_summary_weighted(f, y, w, 2, '{a,b,c}') FROM aim_wlogit_par$$)],
          (SELECT ARRAY[b, b_l2, s, s_names] FROM par_serial),
          'parallel plan (leader not participating): the weighted fits and summaries of the serial plan, bit for bit');
SET LOCAL parallel_leader_participation = on;
SELECT is(ARRAY[pg_temp.run($$SELECT logistic_fit_weighted(f, y, w) FROM aim_wlogit_par$$),
                pg_temp.run($$SELECT logistic_summary_weighted(f, y, w, 2, '{a,b,c}') FROM aim_wlogit_par$$)],
          (SELECT ARRAY[b, s_names] FROM par_serial),
          'parallel plan (leader participating): as in the serial plan');
SET LOCAL parallel_leader_participation = off;
SELECT is((SELECT code FROM pg_temp.aim_err($$SELECT logistic_fit_weighted(f, y, CASE WHEN id = 39000 THEN -1 ELSE w END)
                                                FROM aim_wlogit_par$$)),
          '22023', 'parallel plan: a negative weight in a worker''s rows is an error (22023)');
SELECT is((SELECT code FROM pg_temp.aim_err($$SELECT logistic_fit_weighted(f, y, w, CASE WHEN id > 20000 THEN 1 ELSE 2 END)
                                                FROM aim_wlogit_par$$)),
          '22023', 'parallel plan: an l2 that changes between rows is an error (22023)');
SET LOCAL parallel_setup_cost = DEFAULT;
SET LOCAL parallel_tuple_cost = DEFAULT;
SET LOCAL min_parallel_table_scan_size = DEFAULT;
SET LOCAL max_parallel_workers_per_gather = DEFAULT;
SET LOCAL parallel_leader_participation = DEFAULT;

--------------------------------------------------------------------------
-- 6. crafted weighted states (12)
--------------------------------------------------------------------------

-- the layout of LogitSerial (src/logistic.c), little-endian: d, max_iter,
-- l2, n, names_len, weighted (0 or 1), the names, then n rows of d
-- features, the label and (weighted) the weight
CREATE FUNCTION pg_temp.wstate(d int, max_iter int, l2 float8, n int8, r float8[] DEFAULT '{}',
                               weighted int DEFAULT 1)
RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
SELECT pg_temp.le(int4send(d)) || pg_temp.le(int4send(max_iter)) || pg_temp.le(float8send(l2))
       || pg_temp.le(int8send(n)) || pg_temp.le(int4send(0)) || pg_temp.le(int4send(weighted))
       || coalesce((SELECT string_agg(pg_temp.le(float8send(x)), ''::bytea ORDER BY o)
                      FROM unnest(r) WITH ORDINALITY u(x, o)), ''::bytea)
$$;
CREATE AGGREGATE aim_test_wlogit_state(float8[], boolean, float8, float8, int) (
    SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_serialize);
CREATE AGGREGATE aim_test_logit_state(float8[], boolean, float8, int) (
    SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_serialize);
SELECT is((SELECT aim_test_wlogit_state(f, y, w, 0.5, 7)
             FROM (VALUES ('{0,0.25}'::float8[], true, 2.5::float8), ('{5,5}', false, 0), ('{1,-3}', false, 1)) v(f, y, w)),
          pg_temp.wstate(2, 7, 0.5, 2, '{0,0.25,1,2.5,1,-3,0,1}'),
          'logistic_serialize of a weighted state: weighted = 1, rows of features, label and weight (weight 0 not kept)');
SELECT is((SELECT aim_test_logit_state(f, y, 0.5, 7)
             FROM (VALUES ('{0,0.25}'::float8[], true), ('{1,-3}', false)) v(f, y)),
          pg_temp.wstate(2, 7, 0.5, 2, '{0,0.25,1,1,-3,0}', 0),
          'logistic_serialize of an unweighted state: the layout of version 0.1.0 (weighted = 0 where a zero pad was)');

CREATE AGGREGATE aim_test_wcraft(bytea, bytea) (
    SFUNC = bytea_string_agg_transfn, STYPE = internal,
    SERIALFUNC = bytea_string_agg_finalfn, DESERIALFUNC = logistic_deserialize,
    COMBINEFUNC = logistic_combine, FINALFUNC = logistic_summary_final, PARALLEL = SAFE);
CREATE FUNCTION pg_temp.craft(st bytea) RETURNS text LANGUAGE sql AS $$
SELECT pg_temp.craft_parallel('aim_test_wcraft', 'aim_wlogit_par', st)
$$;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
CREATE TEMP TABLE aim_craft (id serial, what text, st bytea, code text, msg text);
INSERT INTO aim_craft (what, st, code, msg) VALUES
('weighted = 2', pg_temp.wstate(1, 100, 0, 1, '{1,1,1}', 2), '22023', 'invalid logistic regression state'),
('weighted = -1', pg_temp.wstate(1, 100, 0, 1, '{1,1,1}', -1), '22023', 'invalid logistic regression state'),
('weight 0', pg_temp.wstate(1, 100, 0, 2, '{1,1,1,2,0,0}'), '22023', 'invalid logistic regression state'),
('weight -1', pg_temp.wstate(1, 100, 0, 2, '{1,1,1,2,0,-1}'), '22023', 'invalid logistic regression state'),
('weight NaN', pg_temp.wstate(1, 100, 0, 2, '{1,1,1,2,0,NaN}'), '22023', 'invalid logistic regression state'),
('weight Infinity', pg_temp.wstate(1, 100, 0, 2, '{1,1,Infinity,2,0,1}'), '22023', 'invalid logistic regression state'),
('n = 2 rows of unweighted width', pg_temp.wstate(1, 100, 0, 2, '{1,1,2,0}'), '22023', 'invalid logistic regression state'),
('label 0.5', pg_temp.wstate(1, 100, 0, 2, '{1,0.5,1,2,0,1}'), '22023', 'invalid logistic regression state');
SELECT throws_ok(format('SELECT pg_temp.craft(%L::bytea)', st), code, msg,
                 format('crafted weighted state, %s: %s %s', what, code, msg))
  FROM aim_craft ORDER BY id;
SELECT is(pg_temp.craft(pg_temp.wstate(1, 100, 0.5, 4, '{1,0,2,2,1,0.5,3,0,1,4,1,3}')),
          (SELECT logistic_summary_weighted(ARRAY[x], y, w, 0.5)::text
             FROM (VALUES (1, false, 2::float8), (2, true, 0.5), (3, false, 1), (4, true, 3)) v(x, y, w)),
          'crafted well-formed weighted state: the summary of the same rows');
SELECT is(pg_temp.craft(pg_temp.wstate(1, 100, 0, 4, '{1,0,2,1,3,0,4,1}', 0)),
          (SELECT logistic_summary(ARRAY[x], y)::text FROM (VALUES (1, false), (2, true), (3, false), (4, true)) v(x, y)),
          'crafted well-formed unweighted state: the unweighted summary of the same rows');

SELECT * FROM finish();
ROLLBACK;
