--
-- ets_fit, ets_forecast: Holt-Winters exponential smoothing against
-- statsmodels 0.13.5 (test/ref/ets_ref.py; figures in test/data/ets_ref.csv,
-- series in test/data/ets_series.csv)
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

-- the weekly revenue of the bundled orders: clean sales, revenue summed as
-- numeric, the 52 complete Monday weeks 2010-12-06 .. 2011-11-28, zero-filled
CREATE TABLE order_lines (invoice text, stock_code text, description text,
                          quantity int, invoice_date timestamp,
                          unit_price numeric, customer_id numeric, country text);
\copy order_lines FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE TABLE weekly AS
SELECT w::date AS week, row_number() OVER (ORDER BY w) AS t,
       coalesce(r.revenue, 0)::float8 AS revenue
  FROM generate_series('2010-12-06'::timestamp, '2011-11-28', '1 week') w
  LEFT JOIN (SELECT date_trunc('week', invoice_date) AS week, sum(quantity * unit_price) AS revenue
               FROM order_lines
              WHERE invoice !~ '^[CA]' AND quantity > 0 AND unit_price > 0
              GROUP BY 1) r ON r.week = w;

CREATE TABLE series (series text, t int, value float8);
\copy series FROM 'test/data/ets_series.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE ref (case_name text, series text, n_train int, options jsonb,
                  quantity text, idx int, value float8);
\copy ref FROM 'test/data/ets_ref.csv' WITH (FORMAT csv, HEADER true)

-- the same series as the reference script's
SELECT count(*) AS weeks, bool_and(w.revenue = s.value) AS same_as_reference,
       sum(w.revenue) FILTER (WHERE w.revenue = 0) AS closed_week
  FROM weekly w JOIN series s ON s.series = 'revenue' AND s.t = w.t;

-- the measured target: damped trend, alpha 0.5, beta 0.1, phi 0.9, trained
-- on the first 44 weeks
CREATE TABLE target AS
SELECT ets_fit(revenue, '{"trend": "damped", "alpha": 0.5, "beta": 0.1, "phi": 0.9}' ORDER BY week) AS m
  FROM weekly WHERE t <= 44;
SELECT abs((m->>'initial_level')::float8 / 212762.8819999999 - 1) < 1e-12 AS initial_level,
       abs((m->>'initial_trend')::float8 / -10700.271454545444 - 1) < 1e-12 AS initial_trend,
       abs((m->>'sse')::float8 / 157823845685.27386 - 1) < 1e-12 AS sse,
       m->'converged' AS converged, m->'iterations' AS iterations, m->'optimized' AS optimized
  FROM target;
SELECT step, abs(forecast / CASE step WHEN 1 THEN 292807.15640578035
                                      ELSE 299300.3517314178 END - 1) < 1e-12 AS matches
  FROM target, ets_forecast(m, 2);

-- every fixed-parameter case: initial states, fitted values, SSE, AIC,
-- AICc, BIC, textbook forecasts and 0.13.5's forecasts (statsmodels_compat)
-- within 1e-9 relative of statsmodels
CREATE TABLE fixed AS
SELECT c.case_name, c.options,
       ets_fit(s.value, c.options || '{"fitted": true}' ORDER BY s.t) AS m,
       ets_fit(s.value, c.options || '{"statsmodels_compat": true}' ORDER BY s.t) AS m_compat
  FROM (SELECT DISTINCT case_name, series, n_train, options FROM ref
         WHERE case_name LIKE 'fixed%') c
  JOIN series s ON s.series = c.series AND s.t <= c.n_train
 GROUP BY c.case_name, c.options;
CREATE TABLE ours AS
SELECT case_name, 'initial_level' AS quantity, 0 AS idx, (m->>'initial_level')::float8 AS value FROM fixed
UNION ALL SELECT case_name, 'initial_trend', 0, (m->>'initial_trend')::float8 FROM fixed WHERE m->>'initial_trend' IS NOT NULL
UNION ALL SELECT case_name, 'initial_seasonal', o::int, v::float8 FROM fixed,
          jsonb_array_elements_text(CASE WHEN jsonb_typeof(m->'initial_seasonals') = 'array' THEN m->'initial_seasonals' END) WITH ORDINALITY a(v, o)
UNION ALL SELECT case_name, 'fitted', o::int, v::float8 FROM fixed, jsonb_array_elements_text(m->'fitted') WITH ORDINALITY a(v, o)
UNION ALL SELECT case_name, q, 0, (m->>q)::float8 FROM fixed, unnest('{sse,aic,aicc,bic}'::text[]) q WHERE m->>q IS NOT NULL
UNION ALL SELECT case_name, 'forecast', f.step, f.forecast FROM fixed,
          ets_forecast(m, (SELECT max(idx) FROM ref r WHERE r.case_name = fixed.case_name AND quantity = 'forecast')) f
UNION ALL SELECT case_name, 'forecast_compat', f.step, f.forecast FROM fixed,
          ets_forecast(m_compat, (SELECT max(idx) FROM ref r WHERE r.case_name = fixed.case_name AND quantity = 'forecast')) f;
SELECT count(DISTINCT r.case_name) AS cases, count(*) AS values_compared,
       count(o.value) AS values_found,
       max(abs(o.value - r.value) / abs(r.value)) FILTER (WHERE r.value <> 0) < 1e-9 AS within_1e_9,
       max(abs(o.value - r.value) / abs(r.value)) FILTER (WHERE r.value <> 0) < 1e-12 AS within_1e_12
  FROM ref r LEFT JOIN ours o USING (case_name, quantity, idx)
 WHERE r.case_name LIKE 'fixed%';
-- per kind of value
SELECT r.quantity, count(*) AS n,
       bool_and(abs(o.value - r.value) <= 1e-9 * abs(r.value)) AS within_1e_9
  FROM ref r JOIN ours o USING (case_name, quantity, idx)
 WHERE r.case_name LIKE 'fixed%'
 GROUP BY r.quantity ORDER BY r.quantity;
-- the two forecasts differ exactly at steps m, 2m, ...
SELECT f.case_name, array_agg(a.step ORDER BY a.step) AS steps_that_differ
  FROM fixed f, ets_forecast(f.m, 27) a JOIN ets_forecast(f.m_compat, 27) b USING (step)
 WHERE a.forecast <> b.forecast AND f.case_name IN ('fixed02', 'fixed_p13')
 GROUP BY f.case_name ORDER BY 1;

-- optimised parameters (initial states held at their heuristic values):
-- the SSE is no worse than statsmodels' own fit of y / mean(y) with the
-- states held fixed, and every fit converged
CREATE TABLE optimised AS
SELECT c.case_name, c.sse_statsmodels,
       ets_fit(s.value, c.options ORDER BY s.t) AS m
  FROM (SELECT case_name, series, n_train, options, value AS sse_statsmodels FROM ref
         WHERE quantity = 'sse_statsmodels') c
  JOIN series s ON s.series = c.series AND s.t <= c.n_train
 GROUP BY c.case_name, c.sse_statsmodels, c.options;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE (m->>'sse')::float8 <= sse_statsmodels * (1 + 1e-9)) AS no_worse,
       count(*) FILTER (WHERE (m->>'sse')::float8 < sse_statsmodels * (1 - 1e-6)) AS better_by_1e_6,
       bool_and((m->>'converged')::boolean) AS all_converged,
       bool_and((m->>'iterations')::int > 0) AS all_iterated
  FROM optimised;
-- the parameters stay inside statsmodels' region
SELECT bool_and((m->>'alpha')::float8 BETWEEN 0 AND 1) AS alpha,
       bool_and(coalesce((m->>'beta')::float8 <= (m->>'alpha')::float8, true)) AS beta_le_alpha,
       bool_and(coalesce((m->>'gamma')::float8 <= 1 - (m->>'alpha')::float8, true)) AS gamma_le_1_minus_alpha,
       bool_and(coalesce((m->>'phi')::float8 BETWEEN 0.8 AND 0.995, true)) AS phi
  FROM optimised;
-- the model is the same whatever the scale of the series (the objective is
-- scale-free): revenue in cents (the optimum is flat to 1e-12 relative in
-- the SSE, so the parameters agree to about 1e-8)
SELECT abs((a.m->>'alpha')::float8 - (b.m->>'alpha')::float8) < 1e-6 AS same_alpha,
       abs((a.m->>'sse')::float8 * 10000 / (b.m->>'sse')::float8 - 1) < 1e-9 AS sse_scales
  FROM (SELECT ets_fit(revenue, '{"trend": "add"}' ORDER BY t) m FROM weekly WHERE t <= 44) a,
       (SELECT ets_fit(revenue * 100, '{"trend": "add"}' ORDER BY t) m FROM weekly WHERE t <= 44) b;
-- a parameter held fixed stays fixed
SELECT m->'alpha' AS alpha, m->'optimized' AS optimized, (m->>'beta')::float8 <= 0.3 AS beta_le_alpha
  FROM (SELECT ets_fit(revenue, '{"trend": "damped", "alpha": 0.3}' ORDER BY t) m
          FROM weekly WHERE t <= 44) s;

-- GROUP BY fits one model per series, equal to fitting each alone; the
-- rows may arrive in any order, the ORDER BY of the call decides
SELECT count(*) AS series,
       bool_and(g.m = (SELECT ets_fit(value, '{"trend": "damped"}' ORDER BY t) FROM series s2
                        WHERE s2.series = g.series)) AS same_as_alone
  FROM (SELECT series, ets_fit(value, '{"trend": "damped"}' ORDER BY t) AS m
          FROM (SELECT * FROM series ORDER BY random()) s GROUP BY series) g;

-- NULL rules: no rows gives NULL; a NULL model gives no forecast
SELECT ets_fit(value, '{}' ORDER BY t) IS NULL AS no_rows FROM series WHERE false;
SELECT count(*) AS forecasts_of_null FROM ets_forecast(NULL, 3);
-- NULL options are the defaults (simple exponential smoothing)
SELECT a.m = b.m AS null_options_are_defaults
  FROM (SELECT ets_fit(revenue, NULL ORDER BY t) m FROM weekly) a,
       (SELECT ets_fit(revenue, '{}' ORDER BY t) m FROM weekly) b;

-- errors
SELECT pg_temp.try_hint($$SELECT ets_fit(v, '{}' ORDER BY t) FROM (VALUES (1, 1.0), (2, NULL), (3, 2.0)) s(t, v)$$) AS null_value;
SELECT pg_temp.try($$SELECT ets_fit(v, '{}' ORDER BY t) FROM (VALUES (1, 1.0), (2, NULL), (3, 2.0)) s(t, v)$$) AS null_value_detail;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"seasonal": "mul", "period": 4}' ORDER BY t) FROM weekly$$) AS mul_with_zero;
SELECT pg_temp.try($$SELECT ets_fit(-revenue - 1, '{"seasonal": "mul", "period": 4}' ORDER BY t) FROM weekly$$) AS mul_negative;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"seasonal": "add", "period": 26}' ORDER BY t) FROM weekly WHERE t <= 44$$) AS short_for_seasonal;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"seasonal": "add", "period": 4}' ORDER BY t) FROM weekly WHERE t <= 7$$) AS short_for_heuristic;
SELECT pg_temp.try_hint($$SELECT ets_fit(revenue, '{"trend": "add", "smoothing": 0.5}' ORDER BY t) FROM weekly$$) AS unknown_option;
SELECT pg_temp.try_hint($$SELECT ets_fit(revenue, '{"trend": "mul"}' ORDER BY t) FROM weekly$$) AS bad_trend;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"trend": 1}' ORDER BY t) FROM weekly$$) AS trend_not_string;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"alpha": "0.5"}' ORDER BY t) FROM weekly$$) AS alpha_not_number;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"alpha": 1.5}' ORDER BY t) FROM weekly$$) AS alpha_out_of_range;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"trend": "add", "alpha": 0.2, "beta": 0.3}' ORDER BY t) FROM weekly$$) AS beta_above_alpha;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"seasonal": "add", "period": 4, "alpha": 0.8, "gamma": 0.3}' ORDER BY t) FROM weekly$$) AS gamma_above_1_minus_alpha;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"trend": "add", "phi": 0.9}' ORDER BY t) FROM weekly$$) AS phi_without_damped;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"beta": 0.1}' ORDER BY t) FROM weekly$$) AS beta_without_trend;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"seasonal": "add"}' ORDER BY t) FROM weekly$$) AS seasonal_without_period;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"period": 4}' ORDER BY t) FROM weekly$$) AS period_without_seasonal;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"seasonal": "add", "period": 2.5}' ORDER BY t) FROM weekly$$) AS period_not_integer;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"statsmodels_compat": "yes"}' ORDER BY t) FROM weekly$$) AS compat_not_boolean;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '[1, 2]' ORDER BY t) FROM weekly$$) AS options_not_object;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"initialization": "known"}' ORDER BY t) FROM weekly$$) AS known_without_level;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"initial_level": 1}' ORDER BY t) FROM weekly$$) AS level_without_known;
SELECT pg_temp.try($$SELECT ets_fit(revenue, '{"seasonal": "add", "period": 4, "initialization": "known", "initial_level": 1, "initial_seasonals": [1, 2]}' ORDER BY t) FROM weekly$$) AS seasonals_length;
SELECT pg_temp.try($$SELECT ets_fit(v, '{}' ORDER BY t) FROM (VALUES (1, 1.0::float8), (2, 'NaN'), (3, 2.0)) s(t, v)$$) AS nan_value;
SELECT pg_temp.try($$SELECT ets_fit(v, '{}' ORDER BY t) FROM (VALUES (1, 1.0::float8), (2, '-Infinity')) s(t, v)$$) AS inf_value;
SELECT pg_temp.try($$SELECT ets_fit(revenue, CASE WHEN t = 3 THEN '{"alpha": 0.2}' ELSE '{}' END::jsonb ORDER BY t) FROM weekly$$) AS options_differ;
SELECT pg_temp.try($$SELECT * FROM target, ets_forecast(m, 0)$$) AS horizon_zero;
SELECT pg_temp.try($$SELECT * FROM ets_forecast('{"trend": "add"}', 3)$$) AS not_a_model;
SELECT pg_temp.try($$SELECT * FROM ets_forecast('{"trend": "add", "seasonal": "none", "final_level": 1, "final_trend": "x"}', 3)$$) AS bad_model_field;
-- known initial states need no minimum length
SELECT (m->>'final_level')::float8 AS final_level, m->'converged' AS converged
  FROM (SELECT ets_fit(v, '{"initialization": "known", "initial_level": 10, "alpha": 0.5}' ORDER BY t) m
          FROM (VALUES (1, 12.0::float8), (2, 14.0)) s(t, v)) s;
