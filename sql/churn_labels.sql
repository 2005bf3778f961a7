--
-- churn models as analysts have them (issue 13, section 4): integer 0/1
-- labels, term names in logistic_summary, the linear predictor churn_logit,
-- roc_auc on one class, and logistic_fit at any feature scale (against
-- scikit-learn: test/ref/logistic_scale_ref.py, test/data/logistic_scale_ref.csv)
--
SET extra_float_digits = 0;

\set ECHO none
\i sql/try.psql
\set ECHO all

CREATE TABLE cl_ref (case_name text, term text, value float8);
\copy cl_ref FROM 'test/data/logistic_scale_ref.csv' WITH (FORMAT csv, HEADER true)
CREATE FUNCTION pg_temp.ref(c text) RETURNS float8[] LANGUAGE sql AS
  $$ SELECT array_agg(value ORDER BY ordinality) FROM
       (SELECT value, row_number() OVER () AS ordinality FROM cl_ref WHERE case_name = c) s $$;
-- largest relative difference of two vectors
CREATE FUNCTION pg_temp.maxrel(a float8[], b float8[]) RETURNS float8 LANGUAGE sql AS
  $$ SELECT max(abs(x - y) / abs(y)) FROM unnest(a, b) u(x, y) $$;

-- 40 customers: y = churned (x % 2 = 0 or x % 5 = 0), features x % 7, x % 3
CREATE TABLE cl_cust AS
  SELECT x, (x % 7)::float8 AS f1, (x % 3)::float8 AS f2,
         (x % 2 = 0 OR x % 5 = 0) AS churned
    FROM generate_series(1, 40) x;

--
-- integer labels: the same fit, summary and AUC as the boolean
--
SELECT logistic_fit(ARRAY[f1, f2], churned::int::smallint) = logistic_fit(ARRAY[f1, f2], churned) AS int2_fit,
       logistic_fit(ARRAY[f1, f2], churned::int) = logistic_fit(ARRAY[f1, f2], churned) AS int4_fit,
       logistic_fit(ARRAY[f1, f2], churned::int::bigint) = logistic_fit(ARRAY[f1, f2], churned) AS int8_fit,
       logistic_fit(ARRAY[f1, f2], churned::int, 0.5) = logistic_fit(ARRAY[f1, f2], churned, 0.5) AS int4_l2,
       logistic_fit(ARRAY[f1, f2], churned::int::bigint, 0.5, 50) = logistic_fit(ARRAY[f1, f2], churned, 0.5, 50) AS int8_l2_iter,
       logistic_summary(ARRAY[f1, f2], churned::int::smallint) = logistic_summary(ARRAY[f1, f2], churned) AS int2_summary,
       logistic_summary(ARRAY[f1, f2], churned::int::bigint, 1.0) = logistic_summary(ARRAY[f1, f2], churned, 1.0) AS int8_summary_l2,
       roc_auc(f1 + f2, churned::int::smallint) = roc_auc(f1 + f2, churned) AS int2_auc,
       roc_auc(f1 + f2, churned::int) = roc_auc(f1 + f2, churned) AS int4_auc,
       roc_auc(f1 + f2, churned::int::bigint) = roc_auc(f1 + f2, churned) AS int8_auc
  FROM cl_cust;
-- matches scikit-learn, with a literal integer label column
SELECT pg_temp.maxrel(logistic_fit(ARRAY[f1, f2], CASE WHEN churned THEN 1 ELSE 0 END),
                      pg_temp.ref('two')) < 1e-9 AS int_label_matches_sklearn
  FROM cl_cust;
-- NULL labels are skipped, as for boolean
SELECT logistic_fit(ARRAY[f1], CASE WHEN x = 3 THEN NULL ELSE churned::int END) =
       logistic_fit(ARRAY[f1], CASE WHEN x = 3 THEN NULL ELSE churned END) AS null_skipped
  FROM cl_cust;
-- any other value: 22023 naming it, whichever aggregate and integer type
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[f1], x % 3) FROM cl_cust$$) AS fit_2,
       pg_temp.try($$SELECT logistic_fit(ARRAY[f1], (-(x % 2))::smallint, 1.0) FROM cl_cust$$) AS fit_minus_1,
       pg_temp.try($$SELECT logistic_summary(ARRAY[f1], x::bigint * 1000000000000) FROM cl_cust$$) AS summary_big,
       pg_temp.try($$SELECT roc_auc(f1, (x % 2 + 1)::smallint) FROM cl_cust$$) AS auc_1_2;
SELECT pg_temp.try_hint($$SELECT roc_auc(f1, 2) FROM cl_cust$$) AS hint;

--
-- roc_auc on one class: NULL (the area is undefined; scikit-learn raises
-- "Only one class present"), so a grouped query goes on with the groups
-- that have both classes.  1/2 labels cast to boolean are all true.
--
SELECT roc_auc(f1, (x % 2 + 1)::boolean) AS all_true,
       roc_auc(f1, 0) AS all_0,
       roc_auc(f1, 1::bigint) AS all_1
  FROM cl_cust;
SELECT x % 2 = 0 AS even, roc_auc(f1, churned) IS NULL AS auc_null
  FROM cl_cust GROUP BY 1 ORDER BY 1;

--
-- logistic_summary with names: the terms say the names
--
SELECT t->>'term' AS term, round((t->>'coefficient')::numeric, 9) AS coefficient
  FROM (SELECT logistic_summary(ARRAY[f1, f2], churned, 0, ARRAY['recency_days', 'orders "per" year']) AS s
          FROM cl_cust) q,
       jsonb_array_elements(s->'terms') t;
-- the same report as without names, but for the terms' names
SELECT (SELECT jsonb_path_query_array(s, '$.terms[*].term') FROM
          (SELECT logistic_summary(ARRAY[f1, f2], churned::int, 0.5, ARRAY['a', 'b']) s FROM cl_cust) q) AS names,
       (SELECT s1 - 'terms' = s2 - 'terms' AND
               jsonb_path_query_array(s1, '$.terms[*].coefficient') =
               jsonb_path_query_array(s2, '$.terms[*].coefficient') AND
               jsonb_path_query_array(s1, '$.terms[*].std_error') =
               jsonb_path_query_array(s2, '$.terms[*].std_error')
          FROM (SELECT logistic_summary(ARRAY[f1, f2], churned::int, 0.5, ARRAY['a', 'b']) s1,
                       logistic_summary(ARRAY[f1, f2], churned, 0.5) s2 FROM cl_cust) q) AS same_report;
SELECT pg_temp.try($$SELECT logistic_summary(ARRAY[f1, f2], churned, 0, ARRAY['a']) FROM cl_cust$$) AS too_few,
       pg_temp.try($$SELECT logistic_summary(ARRAY[f1], churned, 0, ARRAY[['a']]) FROM cl_cust$$) AS two_dims,
       pg_temp.try($$SELECT logistic_summary(ARRAY[f1], churned, 0, ARRAY[NULL::text]) FROM cl_cust$$) AS null_name,
       pg_temp.try($$SELECT logistic_summary(ARRAY[f1], churned, 0, NULL::text[]) FROM cl_cust$$) AS null_names,
       pg_temp.try($$SELECT logistic_summary(ARRAY[f1], churned, 0, ARRAY['a' || (x % 2)]) FROM cl_cust$$) AS varying;
-- a parallel plan (serialised states carry the names) gives the serial result
CREATE TABLE cl_big AS
  SELECT x, ARRAY[x % 7, (x * 13) % 11]::float8[] AS f, ((x * 7) % 5 < 2)::int AS y
    FROM generate_series(1, 30000) x;
ANALYZE cl_big;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT logistic_summary(f, y, 0, ARRAY['a', 'b']) FROM cl_big;
CREATE TEMP TABLE cl_par AS SELECT logistic_summary(f, y, 0, ARRAY['a', 'b']) AS s, roc_auc(f[1], y) AS auc FROM cl_big;
RESET max_parallel_workers_per_gather;
SELECT p.s = q.s AS summary_same, p.auc = q.auc AS auc_same,
       jsonb_path_query_array(p.s, '$.terms[*].term') AS terms
  FROM cl_par p, (SELECT logistic_summary(f, y, 0, ARRAY['a', 'b']) AS s, roc_auc(f[1], y) AS auc FROM cl_big) q;

--
-- churn_logit: the linear predictor, which does not saturate
--
SELECT churn_logit(ARRAY[2, 3], ARRAY[0.5, 1, -1]) AS z,
       churn_logit('{}', ARRAY[-1.5]) AS intercept_only,
       abs(churn_logit(ARRAY[0.3, -2], ARRAY[0.1, 2, 0.7]) -
           ln(churn_score(ARRAY[0.3, -2], ARRAY[0.1, 2, 0.7]) /
              (1 - churn_score(ARRAY[0.3, -2], ARRAY[0.1, 2, 0.7])))) < 1e-12 AS is_log_odds;
-- above z = 37 the scores tie at exactly 1; the logits keep the order
SELECT z, churn_score(ARRAY[z], ARRAY[0, 1]) = 1 AS score_is_1, churn_logit(ARRAY[z], ARRAY[0, 1]) AS logit
  FROM unnest(ARRAY[36.0, 37.0, 40.0, 800.0]) z;
-- overflow-safe: products beyond the double range that cancel
SELECT churn_logit(ARRAY[1e200, 1e200, 3], ARRAY[0.25, 1e200, -1e200, 2]) AS cancelled,
       churn_logit(ARRAY[1e200], ARRAY[0, 1e200]) AS overflow,
       churn_logit(ARRAY[1e200], ARRAY[0, -1e200]) AS minus_overflow;
SELECT pg_temp.try($$SELECT churn_logit(ARRAY[1, 2], ARRAY[1, 2])$$) AS bad_length,
       pg_temp.try($$SELECT churn_logit(ARRAY['NaN'::float8], ARRAY[1, 2])$$) AS nan,
       churn_logit(NULL, ARRAY[1]) IS NULL AS strict;

--
-- scale equivariance: feature x % 7 times s; the coefficient times s must
-- be scikit-learn's unscaled coefficient (to 1e-10 relative), with no
-- warning, from 1e-300 to 1e300
--
SELECT logistic_fit(ARRAY[(x % 7) * 1e-200]::float8[], x % 2 = 0 OR x % 5 = 0)
  FROM generate_series(1, 40) x;
SELECT s, pg_temp.maxrel(ARRAY[b[1], b[2] * s], pg_temp.ref('one')) < 1e-10 AS matches_sklearn
  FROM (SELECT s, logistic_fit(ARRAY[f1 * s], churned) AS b
          FROM cl_cust, unnest(ARRAY[1e-300, 1e-200, 1e-160, 1e-100, 1e-10, 1, 1e10, 1e100,
                                  1e160, 1e200, 1e300]::float8[]) s
         GROUP BY s) q
 ORDER BY s;
-- two features at opposite ends of the range, and against the unscaled fit
SELECT pg_temp.maxrel(ARRAY[b[1], b[2] * 1e250, b[3] * 1e-250], pg_temp.ref('two')) < 1e-10 AS two_scales,
       pg_temp.maxrel(ARRAY[b[1], b[2] * 1e250, b[3] * 1e-250],
                      (SELECT logistic_fit(ARRAY[f1, f2], churned) FROM cl_cust)) < 1e-10 AS as_unscaled
  FROM (SELECT logistic_fit(ARRAY[f1 * 1e250, f2 * 1e-250], churned) AS b FROM cl_cust) q;
-- the summary: standard errors scale, z and p-values do not
SELECT bool_and(abs((a->>'std_error')::float8 * sc - (b->>'std_error')::float8) <= 1e-10 * (b->>'std_error')::float8) AS std_errors,
       bool_and(abs((a->>'z')::float8 - (b->>'z')::float8) <= 1e-10 * abs((b->>'z')::float8)) AS z_values
  FROM (SELECT logistic_summary(ARRAY[f1 * 1e-200, f2 * 1e160], churned) AS s1,
               logistic_summary(ARRAY[f1, f2], churned) AS s2 FROM cl_cust) q,
       jsonb_array_elements(s1->'terms') WITH ORDINALITY a(a, i)
       JOIN jsonb_array_elements(s2->'terms') WITH ORDINALITY b(b, j) ON i = j
       JOIN (VALUES (1, 1.0::float8), (2, 1e-200), (3, 1e160)) v(k, sc) ON k = i;
-- an L2 penalty is on the coefficients in the units given: the same
-- objective at any scale, so l2 * s^2 at scale s gives the same fit
SELECT pg_temp.maxrel(ARRAY[b[1], b[2] * 1e-100],
                      (SELECT logistic_fit(ARRAY[f1], churned, 2.0) FROM cl_cust)) < 1e-10 AS penalised
  FROM (SELECT logistic_fit(ARRAY[f1 * 1e-100], churned, 2.0e-200) AS b FROM cl_cust) q;
-- "constant" only when the feature is constant
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[f1, 1e-300], churned) FROM cl_cust$$) AS constant_tiny,
       pg_temp.try($$SELECT logistic_fit(ARRAY[f1 * 1e200, f1 * 2e200], churned) FROM cl_cust$$) AS collinear_huge,
       pg_temp.try($$SELECT logistic_fit(ARRAY[f1, 0], churned) FROM cl_cust$$) AS constant_zero,
       pg_temp.try($$SELECT logistic_summary(ARRAY[f1 * 1e-300, f2], churned) FROM cl_cust$$) AS tiny_fits;
-- a coefficient beyond the double range (features of subnormal size) is
-- an error, not Infinity
SELECT pg_temp.try($$SELECT logistic_fit(ARRAY[f1 * 1e-320], churned) FROM cl_cust$$) AS subnormal;
