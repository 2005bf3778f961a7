-- demo/99_cleanup.sql: remove what the pipeline created (schemas aim_shop
-- and aim_mart, the pg_cron job), so that a demo run against an existing
-- database leaves only the extension behind.  scripts/demo.sh skips this
-- step when AIM_KEEP_DATA=1.
SET client_min_messages = warning;
SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') AS have_cron \gset
\if :have_cron
SELECT cron.unschedule(jobid) FROM cron.job WHERE jobname = 'aimarketing-nightly-refresh' \g /dev/null
\endif
DROP SCHEMA IF EXISTS aim_mart CASCADE;
DROP SCHEMA IF EXISTS aim_shop CASCADE;
