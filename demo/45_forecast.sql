-- demo/45_forecast.sql: pipeline step 4b, weekly revenue forecasts.
--
-- Weekly revenue (Monday weeks, complete weeks only, zero-filled) of the whole
-- shop, of the five countries with the most revenue (the customer's country:
-- orders without a customer have none, so they count in the shop's series
-- only) and of each customer segment of step 1 (the revenue, over the whole
-- history, of the customers now in that segment).  Every series gets three
-- Holt-Winters models in one GROUP BY (ets_fit: no trend, additive trend,
-- damped trend; parameters optimised), the one with the lowest AIC is kept,
-- and it forecasts the next 8 weeks.  The data covers one year, so there is
-- no yearly seasonality to fit (statsmodels' heuristic needs two cycles).
--
-- Hold-out accuracy: the same choice refitted without the last 8 weeks,
-- which it then forecasts.  MASE = MAE of the 8 forecasts / in-sample MAE of
-- the one-step naive forecast of the training weeks (Hyndman and Koehler's
-- scale; with one year of weekly data the seasonal-naive forecast of period
-- 52 has no history for the hold-out, so the scale is the naive one, m = 1).
-- naive_mase is the same measure for the naive forecast (the last training
-- week repeated): a model is worth its keep where mase < naive_mase.
--
--   aim_mart.weekly_revenue      series_kind, series, week, revenue
--   aim_mart.forecast_models     series_kind, series, trend, model (jsonb), aic
--   aim_mart.revenue_forecast    series_kind, series, week, step, forecast
--   aim_mart.forecast_accuracy   series_kind, series, trend, mae, mase, naive_mase
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
CREATE SCHEMA IF NOT EXISTS aim_mart;
DROP MATERIALIZED VIEW IF EXISTS aim_mart.weekly_revenue CASCADE;
RESET client_min_messages;

\echo
\echo '== 4b. Forecasts: weekly revenue, 8 weeks ahead (ets_fit, ets_forecast) =='

CREATE MATERIALIZED VIEW aim_mart.weekly_revenue AS
WITH span AS (
  -- the first Monday on or after the first sale, the last complete week
  SELECT date_trunc('week', min(ordered_at) + interval '6 days')::date AS first_week,
         date_trunc('week', max(ordered_at)::date + 1)::date - 7 AS last_week
    FROM aim_shop.sales
), lines AS (
  SELECT date_trunc('week', s.ordered_at)::date AS week, s.amount,
         c.country, g.segment
    FROM aim_shop.sales s
    LEFT JOIN aim_shop.customers c ON c.customer_id = s.customer_id
    LEFT JOIN aim_mart.customer_segments g ON g.customer_id = s.customer_id
), top_countries AS (
  SELECT l.country FROM lines l, span
   WHERE l.country IS NOT NULL AND l.week BETWEEN span.first_week AND span.last_week
   GROUP BY l.country ORDER BY sum(l.amount) DESC, l.country LIMIT 5
), series AS (
  SELECT 'shop' AS series_kind, 'all' AS series
  UNION ALL SELECT 'country', country FROM top_countries
  UNION ALL SELECT DISTINCT 'segment', segment::text FROM aim_mart.customer_segments
), totals AS (
  SELECT k.series_kind, k.series, l.week, sum(l.amount) AS revenue
    FROM lines l
    JOIN series k ON k.series_kind = 'shop'
                  OR (k.series_kind = 'country' AND k.series = l.country)
                  OR (k.series_kind = 'segment' AND k.series = l.segment::text)
   GROUP BY 1, 2, 3
)
SELECT k.series_kind, k.series, w::date AS week,
       coalesce(t.revenue, 0)::float8 AS revenue      -- a week without sales is 0
  FROM span
 CROSS JOIN series k
 CROSS JOIN generate_series(span.first_week, span.last_week, interval '1 week') w
  LEFT JOIN totals t ON t.series_kind = k.series_kind AND t.series = k.series AND t.week = w;
CREATE UNIQUE INDEX ON aim_mart.weekly_revenue (series_kind, series, week);

-- three models per series in one GROUP BY; the lowest AIC wins
CREATE MATERIALIZED VIEW aim_mart.forecast_models AS
SELECT DISTINCT ON (series_kind, series)
       series_kind, series, trend, model, (model->>'aic')::float8 AS aic
  FROM (SELECT r.series_kind, r.series, o.trend,
               ets_fit(r.revenue, jsonb_build_object('trend', o.trend) ORDER BY r.week) AS model
          FROM aim_mart.weekly_revenue r
         CROSS JOIN unnest(ARRAY['none', 'add', 'damped']) o(trend)
         GROUP BY 1, 2, 3) m
 ORDER BY series_kind, series, (model->>'aic')::float8, trend;
CREATE UNIQUE INDEX ON aim_mart.forecast_models (series_kind, series);

CREATE MATERIALIZED VIEW aim_mart.revenue_forecast AS
SELECT m.series_kind, m.series,
       (SELECT max(week) FROM aim_mart.weekly_revenue) + 7 * f.step AS week,
       f.step, f.forecast
  FROM aim_mart.forecast_models m, ets_forecast(m.model, 8) f;
CREATE UNIQUE INDEX ON aim_mart.revenue_forecast (series_kind, series, step);

-- the chosen trend refitted without the last 8 weeks, scored on them (the
-- averages in week order: a float8 sum depends on the order of its terms,
-- and a refresh of unchanged data must give the same digits)
CREATE MATERIALIZED VIEW aim_mart.forecast_accuracy AS
WITH cut AS (
  SELECT max(week) - 7 * 8 AS last_train FROM aim_mart.weekly_revenue
), train AS (
  SELECT r.series_kind, r.series, m.trend,
         ets_fit(r.revenue, jsonb_build_object('trend', m.trend) ORDER BY r.week) AS model,
         (array_agg(r.revenue ORDER BY r.week DESC))[1] AS last_value
    FROM aim_mart.weekly_revenue r
    JOIN aim_mart.forecast_models m USING (series_kind, series)
   CROSS JOIN cut
   WHERE r.week <= cut.last_train
   GROUP BY 1, 2, 3
), naive_scale AS (
  -- in-sample MAE of the one-step naive forecast (y(t-1) for y(t))
  SELECT series_kind, series, avg(abs(revenue - prev) ORDER BY week) AS scale
    FROM (SELECT r.series_kind, r.series, r.week, r.revenue,
                 lag(r.revenue) OVER (PARTITION BY r.series_kind, r.series ORDER BY r.week) AS prev
            FROM aim_mart.weekly_revenue r, cut WHERE r.week <= cut.last_train) s
   WHERE prev IS NOT NULL
   GROUP BY 1, 2
), errors AS (
  SELECT t.series_kind, t.series, t.trend,
         avg(abs(r.revenue - f.forecast) ORDER BY f.step) AS mae,
         avg(abs(r.revenue - t.last_value) ORDER BY f.step) AS naive_mae
    FROM train t
   CROSS JOIN cut
   CROSS JOIN LATERAL ets_forecast(t.model, 8) f
    JOIN aim_mart.weekly_revenue r
      ON r.series_kind = t.series_kind AND r.series = t.series
     AND r.week = cut.last_train + 7 * f.step
   GROUP BY 1, 2, 3
)
SELECT e.series_kind, e.series, e.trend, e.mae,
       e.mae / nullif(s.scale, 0) AS mase, e.naive_mae / nullif(s.scale, 0) AS naive_mase
  FROM errors e JOIN naive_scale s USING (series_kind, series);
CREATE UNIQUE INDEX ON aim_mart.forecast_accuracy (series_kind, series);

COMMENT ON MATERIALIZED VIEW aim_mart.weekly_revenue IS
  'weekly revenue (complete Monday weeks, zero-filled) of the shop, its top 5 countries and each segment';
COMMENT ON MATERIALIZED VIEW aim_mart.forecast_models IS
  'per series, the Holt-Winters model (ets_fit, trend none/add/damped) with the lowest AIC';
COMMENT ON MATERIALIZED VIEW aim_mart.revenue_forecast IS
  'weekly revenue forecasts of every series, 8 weeks after the last complete week';
COMMENT ON MATERIALIZED VIEW aim_mart.forecast_accuracy IS
  'hold-out accuracy of each series'' model on its last 8 weeks: MAE, MASE and the naive forecast''s MASE';

\echo 'Models (lowest AIC of no / additive / damped trend) and hold-out accuracy on the last 8 weeks:'
SELECT m.series_kind, m.series, m.trend,
       round((m.model->>'alpha')::numeric, 3) AS alpha,
       round((m.model->>'beta')::numeric, 3) AS beta,
       round((m.model->>'phi')::numeric, 3) AS phi,
       round(a.mase::numeric, 2) AS mase, round(a.naive_mase::numeric, 2) AS naive_mase
  FROM aim_mart.forecast_models m JOIN aim_mart.forecast_accuracy a USING (series_kind, series)
 ORDER BY m.series_kind DESC, m.series;

\echo 'Revenue forecast, next 8 weeks (thousands):'
SELECT series_kind, series,
       array_agg(round((forecast / 1000)::numeric, 1) ORDER BY step) AS next_8_weeks
  FROM aim_mart.revenue_forecast
 GROUP BY series_kind, series ORDER BY series_kind DESC, series;
