-- demo/60_refresh.sql: pipeline step 6, keeping the marts fresh.
--
--   aim_mart.refresh()       REFRESH MATERIALIZED VIEW CONCURRENTLY of every
--                            view of steps 1-5 (and 4b), in dependency order, in one
--                            transaction (readers see all old or all new)
--   aim_mart.fingerprint()   md5 of each materialized view's rows, to show
--                            that a refresh of unchanged data changes nothing
--   pg_cron job "aimarketing-nightly-refresh" at 02:30 every night, when the
--   server has pg_cron loaded for this database (scripts/demo.sh's cluster
--   does: shared_preload_libraries = 'pg_cron')
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS aim_mart;
DROP FUNCTION IF EXISTS aim_mart.refresh(), aim_mart.fingerprint();
RESET client_min_messages;

\echo
\echo '== 6. Refresh: REFRESH MATERIALIZED VIEW CONCURRENTLY, scheduled with pg_cron =='

CREATE FUNCTION aim_mart.refresh()
RETURNS TABLE (view_name regclass, row_count bigint, ms numeric)
LANGUAGE plpgsql AS $fn$
DECLARE
  t0 timestamptz;
BEGIN
  -- dependency order: each view after the views it reads
  FOREACH view_name IN ARRAY ARRAY[
      'aim_mart.customer_rfm', 'aim_mart.segment_k', 'aim_mart.segment_model',
      'aim_mart.customer_segments', 'aim_mart.segment_profile',
      'aim_mart.basket_rules',
      'aim_mart.product_neighbors', 'aim_mart.recommendation_evaluation',
      'aim_mart.customer_recommendations',
      'aim_mart.churn_model', 'aim_mart.churn_evaluation', 'aim_mart.churn_scores',
      'aim_mart.weekly_revenue', 'aim_mart.forecast_models', 'aim_mart.revenue_forecast',
      'aim_mart.forecast_accuracy',
      'aim_mart.campaign_contacts', 'aim_mart.campaign_weekly']::regclass[]
  LOOP
    t0 := clock_timestamp();
    EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', view_name);
    -- the day's segment model, tomorrow's warm start (demo/10_segments.sql)
    IF view_name = 'aim_mart.segment_model'::regclass THEN
      PERFORM aim_mart.keep_segment_model();
    END IF;
    EXECUTE format('SELECT count(*) FROM %s', view_name) INTO row_count;
    ms := round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
    RETURN NEXT;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION aim_mart.refresh() IS
  'refresh every aim_mart materialized view concurrently, in dependency order';

CREATE FUNCTION aim_mart.fingerprint()
RETURNS TABLE (view_name regclass, row_count bigint, md5 text)
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  FOR view_name IN
    SELECT format('%I.%I', schemaname, matviewname)::regclass
      FROM pg_matviews WHERE schemaname = 'aim_mart' ORDER BY matviewname
  LOOP
    EXECUTE format('SELECT count(*), md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) FROM %s t',
                   E'\n', '', view_name)
      INTO row_count, md5;
    RETURN NEXT;
  END LOOP;
END
$fn$;
COMMENT ON FUNCTION aim_mart.fingerprint() IS
  'row count and md5 of the rows of every aim_mart materialized view';

-- schedule the nightly refresh when pg_cron runs for this database
SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_cron')
       AND current_setting('shared_preload_libraries') ~ 'pg_cron'
       AND coalesce(current_setting('cron.database_name', true), 'postgres') = current_database()
       AS have_cron \gset
\if :have_cron
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_cron;
RESET client_min_messages;
SELECT cron.schedule('aimarketing-nightly-refresh', '30 2 * * *',
                     'SELECT count(*) FROM aim_mart.refresh()') AS jobid \gset
\echo 'pg_cron jobs:'
SELECT jobid, jobname, schedule, command FROM cron.job ORDER BY jobid;
\else
\echo 'pg_cron is not loaded for this database: no job scheduled (see the README, "Scheduling").'
\endif

\echo 'Refreshing every view concurrently:'
SELECT * FROM aim_mart.refresh();
