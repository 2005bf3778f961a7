-- 56_ets.sql: behaviour of ets_fit and ets_forecast, complementing
-- sql/ets.sql (pg_regress), which compares them with statsmodels 0.13.5 on
-- the bundled orders.  Here:
--
--  1. hand-computed recursions (simple, Holt, additive and multiplicative
--     seasonal with known initial states) and the forecasts that follow;
--  2. every bad input as SQLSTATE, message, detail and hint;
--  3. NULL semantics and the model as data: a model edited by hand, a
--     model of another aggregate's state (a user aggregate mixing support
--     functions), window frames (the final function runs on a growing
--     state and must not change it);
--  4. determinism: the same model whatever the physical row order.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;

BEGIN;
SELECT plan(31);
\ir helpers.psql

CREATE TEMP TABLE s3 (t int, v float8);
INSERT INTO s3 VALUES (1, 1), (2, 2), (3, 3);

--
-- 1. hand-computed recursions
--
-- simple smoothing, alpha 0.5, l0 = 0: levels 0.5, 1.25, 2.125; one-step
-- predictions 0, 0.5, 1.25; SSE 1 + 2.25 + 3.0625
CREATE TEMP TABLE m1 AS
SELECT ets_fit(v, '{"alpha": 0.5, "initialization": "known", "initial_level": 0, "fitted": true}' ORDER BY t) AS m
  FROM s3;
SELECT is((SELECT m->'fitted' FROM m1), '[0, 0.5, 1.25]'::jsonb, 'simple smoothing: one-step predictions');
SELECT pg_temp.near((SELECT (m->>'sse')::float8 FROM m1), 6.3125, 'simple smoothing: SSE');
SELECT is((SELECT array_agg(forecast ORDER BY step) FROM m1, ets_forecast(m, 3)),
          '{2.125,2.125,2.125}'::float8[], 'simple smoothing: flat forecasts at the last level');
-- statsmodels' AIC: n log(SSE / n) + 2k, k = 2 (alpha, l0)
SELECT pg_temp.near((SELECT (m->>'aic')::float8 FROM m1), 3 * ln(6.3125 / 3) + 4, 'AIC as statsmodels defines it');
-- Holt, alpha 0.5, beta 0.5, l0 = 0, b0 = 1 on 1, 2, 3: the line is followed
-- exactly, so every prediction is right and the SSE is 0
CREATE TEMP TABLE m2 AS
SELECT ets_fit(v, '{"trend": "add", "alpha": 0.5, "beta": 0.5, "initialization": "known", "initial_level": 0, "initial_trend": 1}' ORDER BY t) AS m
  FROM s3;
SELECT is((SELECT (m->>'sse')::float8 FROM m2), 0::float8, 'Holt on a straight line: SSE 0');
SELECT is((SELECT array_agg(forecast ORDER BY step) FROM m2, ets_forecast(m, 3)),
          '{4,5,6}'::float8[], 'Holt on a straight line: the line continues');
SELECT is((SELECT m->'aic' FROM m2), 'null'::jsonb, 'AIC of a perfect fit (log 0) is JSON null');
-- damped, alpha 1, beta 0: the level is the last value (3) and the trend
-- is damped once per period (1 x 0.9^3), and the forecasts approach
-- l + b phi / (1 - phi)
SELECT ok((SELECT abs(max(forecast) FILTER (WHERE step = 2000) - (3 + 0.729 * 0.9 / 0.1)) < 1e-9
             FROM (SELECT ets_fit(v, '{"trend": "damped", "alpha": 1, "beta": 0, "phi": 0.9, "initialization": "known", "initial_level": 0, "initial_trend": 1}' ORDER BY t) m
                     FROM s3) s, ets_forecast(m, 2000)),
          'damped trend: the forecasts converge to l + b phi / (1 - phi)');
-- additive seasonality with gamma 0 keeps the seasonals; alpha 0 keeps the level
SELECT is((SELECT array_agg(forecast ORDER BY step)
             FROM (SELECT ets_fit(v, '{"seasonal": "add", "period": 2, "alpha": 0, "gamma": 0, "initialization": "known", "initial_level": 10, "initial_seasonals": [1, -1]}' ORDER BY t) m
                     FROM s3) s, ets_forecast(m, 4)),
          '{9,11,9,11}'::float8[], 'additive seasonality: the seasonals in the order of the coming periods');
SELECT is((SELECT array_agg(forecast ORDER BY step)
             FROM (SELECT ets_fit(v, '{"seasonal": "mul", "period": 2, "alpha": 0, "gamma": 0, "initialization": "known", "initial_level": 10, "initial_seasonals": [1.5, 0.5]}' ORDER BY t) m
                     FROM s3) s, ets_forecast(m, 4)),
          '{5,15,5,15}'::float8[], 'multiplicative seasonality: level times seasonal');
-- gamma 1, alpha 0: each seasonal becomes y - 10 (-9, -8, then -7 for the
-- first period again); the next periods are the second (-8) and the first
-- (-7).  statsmodels_compat: at steps m, 2m, ... the seasonal that the last
-- observation used, before its update (-9)
SELECT is((SELECT array_agg(forecast ORDER BY step)
             FROM (SELECT ets_fit(v, '{"seasonal": "add", "period": 2, "alpha": 0, "gamma": 1, "statsmodels_compat": true, "initialization": "known", "initial_level": 10, "initial_seasonals": [0, 0]}' ORDER BY t) m
                     FROM s3) s, ets_forecast(m, 4)),
          '{2,1,2,1}'::float8[], 'statsmodels_compat: steps 2 and 4 use the state one cycle older');
SELECT is((SELECT array_agg(forecast ORDER BY step)
             FROM (SELECT ets_fit(v, '{"seasonal": "add", "period": 2, "alpha": 0, "gamma": 1, "initialization": "known", "initial_level": 10, "initial_seasonals": [0, 0]}' ORDER BY t) m
                     FROM s3) s, ets_forecast(m, 4)),
          '{2,3,2,3}'::float8[], 'textbook forecasts: the latest seasonal of each period');

--
-- 2. bad input
--
SELECT throws_ok($$SELECT ets_fit(v, '{}' ORDER BY t) FROM (VALUES (1, 1.0::float8), (2, NULL)) s(t, v)$$,
                 '22004', 'ets_fit value must not be null', 'a NULL value: 22004');
SELECT is((pg_temp.aim_err($$SELECT ets_fit(v, '{}' ORDER BY t) FROM (VALUES (1, 1.0::float8), (2, NULL)) s(t, v)$$)).hint,
          'Give every period a value: fill missing periods with generate_series(...) LEFT JOIN ... coalesce(value, 0).',
          'the NULL-value hint shows how to fill missing periods');
SELECT throws_ok($$SELECT ets_fit(v, '{"seasonal": "mul", "period": 2, "initialization": "known", "initial_level": 1, "initial_seasonals": [1, 1]}' ORDER BY t) FROM (VALUES (1, 1.0::float8), (2, 0), (3, 2)) s(t, v)$$,
                 '22023', 'multiplicative seasonality requires positive values', 'a zero value with multiplicative seasonality: 22023');
SELECT is((pg_temp.aim_err($$SELECT ets_fit(v, '{"seasonal": "mul", "period": 2, "initialization": "known", "initial_level": 1, "initial_seasonals": [1, 1]}' ORDER BY t) FROM (VALUES (1, 1.0::float8), (2, -0.5), (3, 2)) s(t, v)$$)).detail,
          'Value 2 of the series is -0.5.', 'the detail names the position and the value');
SELECT throws_ok($$SELECT ets_fit(x::float8, '{"seasonal": "add", "period": 12}' ORDER BY x) FROM generate_series(1, 23) x$$,
                 '22023', 'heuristic seasonal initialization needs at least 24 values, the series has 23',
                 'fewer than two full periods: 22023');
SELECT throws_ok($$SELECT ets_fit(x::float8, '{"level": 1}' ORDER BY x) FROM generate_series(1, 20) x$$,
                 '22023', 'unrecognized ets_fit option "level"', 'an unknown option: 22023');
SELECT throws_ok($$SELECT ets_fit(x::float8, '{"phi": 0.9, "trend": "damped", "alpha": -0.1}' ORDER BY x) FROM generate_series(1, 20) x$$,
                 '22023', 'ets_fit option "alpha" must be between 0 and 1, not -0.1', 'alpha out of range: 22023');
SELECT throws_ok($$SELECT ets_fit(x::float8, '{"fitted": 1}' ORDER BY x) FROM generate_series(1, 20) x$$,
                 '22023', 'ets_fit option "fitted" must be a boolean', 'an option of the wrong type: 22023');
SELECT throws_ok($$SELECT ets_fit(x::float8, '{"initialization": "estimated"}' ORDER BY x) FROM generate_series(1, 20) x$$,
                 '22023', 'invalid value "estimated" for ets_fit option "initialization"', 'an unknown initialization: 22023');
SELECT throws_ok($$SELECT * FROM ets_forecast((SELECT m FROM m1), -1)$$,
                 '22023', 'horizon must be between 1 and 1000000, not -1', 'horizon < 1: 22023');
SELECT throws_ok($$SELECT * FROM ets_forecast('{"trend": "none", "seasonal": "add", "period": 2, "final_level": 1, "final_seasonals": [1]}', 2)$$,
                 '22023', 'invalid ets model: "final_seasonals" must have "period" elements', 'a model edited by hand: 22023');
-- a user aggregate that pairs ets_fit's final function with roc_auc's state
CREATE AGGREGATE pg_temp.mixed(float8, boolean) (SFUNC = roc_auc_accum, STYPE = internal,
                                                  FINALFUNC = ets_fit_final);
SELECT throws_ok($$SELECT pg_temp.mixed(x::float8, x % 2 = 0) FROM generate_series(1, 5) x$$,
                 '22023', 'ets_fit: the aggregate state is not a ets_fit state',
                 'another aggregate''s state reaching ets_fit_final: 22023');

--
-- 3. NULL semantics and the model as data
--
SELECT is((SELECT ets_fit(v, '{}' ORDER BY t) FROM s3 WHERE false), NULL, 'no rows: NULL');
SELECT is((SELECT count(*)::int FROM ets_forecast(NULL, 5)), 0, 'ets_forecast of NULL: no rows (STRICT)');
SELECT is((SELECT count(*)::int FROM ets_forecast((SELECT m FROM m1), NULL)), 0, 'ets_forecast with a NULL horizon: no rows');
-- window frames: a running fit equals the fit of each prefix
CREATE TEMP TABLE w AS SELECT x AS t, (100 + 10 * sin(x) + x)::float8 AS v FROM generate_series(1, 30) x;
SELECT is((SELECT count(*)::int FROM
             (SELECT t, ets_fit(v, '{"trend": "add", "initialization": "known", "initial_level": 100, "initial_trend": 1}')
                          OVER (ORDER BY t) AS m FROM w) r
            WHERE r.m = (SELECT ets_fit(v, '{"trend": "add", "initialization": "known", "initial_level": 100, "initial_trend": 1}' ORDER BY t)
                           FROM w w2 WHERE w2.t <= r.t)),
          30, 'a running fit over a window frame equals the fit of each prefix');
-- the forecasts of a model that went through text and back are the same
SELECT is((SELECT array_agg(forecast ORDER BY step) FROM ets_forecast((SELECT m::text::jsonb FROM m2), 3)),
          (SELECT array_agg(forecast ORDER BY step) FROM m2, ets_forecast(m, 3)),
          'a model stored as text forecasts the same');

--
-- 4. determinism
--
SELECT is((SELECT ets_fit(v, '{"trend": "damped", "seasonal": "add", "period": 4}' ORDER BY t)
             FROM (SELECT * FROM w ORDER BY v DESC) s),
          (SELECT ets_fit(v, '{"trend": "damped", "seasonal": "add", "period": 4}' ORDER BY t) FROM w),
          'the model depends on the ORDER BY of the call, not on the physical order');
SELECT ok((SELECT (m->>'converged')::boolean AND (m->>'iterations')::int > 0
             FROM (SELECT ets_fit(v, '{"trend": "damped", "seasonal": "add", "period": 4}' ORDER BY t) m FROM w) s),
          'an optimised fit reports iterations and convergence');

SELECT * FROM finish();
ROLLBACK;
