-- demo/99_cleanup.sql: remove the demo's loaded orders (schema aim_shop),
-- so that a demo run against an existing database leaves only the
-- extension behind.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS aim_shop CASCADE;
