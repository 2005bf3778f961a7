-- 00_api.sql: the SQL surface of aimarketing as DESIGN.md and STYLE.md
-- sections 5 and 8 promise it: signatures, return types, labels
-- (IMMUTABLE, STRICT as declared, PARALLEL SAFE), COMMENT ON, no SECURITY
-- DEFINER, and aggregates that are combinable (numeric ones with an exact
-- moving-aggregate inverse) over ordinary state types, except the in-memory
-- aggregates (kmeans, logistic_fit, logistic_summary, roc_auc, and
-- roc_curve, precision_recall_curve, average_precision and gains_table,
-- which share roc_auc's state), whose internal states have serialization
-- functions.
--
-- The catalogue-wide checks (parallel safety, comments, SECURITY DEFINER,
-- state types) cover every function the extension owns (pg_depend deptype
-- 'e'), so functions added later are held to the same rules.  The one
-- documented exception: functions that run a query passed as text
-- (frequent_itemsets, apriori_rules, item_neighbors, recommend_items) are VOLATILE and PARALLEL UNSAFE
-- (STYLE.md section 8); they are listed in aim_runs_sql below, and the rest
-- of their contract (arguments, result columns, strictness) is in
-- 40_basket.sql.
--
-- A second documented exception: ets_fit (src/ets.c) has no combine
-- function, and so no serialize/deserialize either.  Its input is a
-- sequence whose order (the ORDER BY of the call) is the model, so
-- partial states of parallel workers cannot be merged, and PostgreSQL
-- never runs an aggregate with ORDER BY in parallel anyway; the
-- catalogue-wide combine and serialize checks below name it as their one
-- exception.
--
-- This file is the one place for these labels (pg_regress has no copy).
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off
SET client_min_messages = warning;

BEGIN;
SELECT plan(446);

-- the functions and aggregates of the extension, as regprocedure text
CREATE TEMP VIEW aim_ext_procs AS
SELECT p.oid, p.oid::regprocedure::text AS sig, p.prokind
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_depend d
    ON d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid
 WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_catalog.pg_extension
                      WHERE extname = 'aimarketing')
   AND d.deptype = 'e';

--
-- existence with exact argument types (78), and the exact list (1)
--
SELECT has_function('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                    'cosine_sim(float8[], float8[]) exists');
SELECT has_function('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                    'pearson_sim(float8[], float8[]) exists');
SELECT has_function('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                    'kmeans_assign(float8[], float8[]) exists');
SELECT has_function('churn_score', ARRAY['double precision[]', 'double precision[]'],
                    'churn_score(float8[], float8[]) exists');
SELECT has_function('frequent_itemsets', ARRAY['text', 'double precision', 'integer', 'text'],
                    'frequent_itemsets(text, float8, int, text) exists (kind: all, closed, maximal)');
SELECT has_function('roi', ARRAY['double precision', 'double precision'],
                    'roi(float8, float8) exists');
SELECT has_function('roi', ARRAY['numeric', 'numeric'],
                    'roi(numeric, numeric) exists');
SELECT has_function('roas', ARRAY['double precision', 'double precision'],
                    'roas(float8, float8) exists');
SELECT has_function('roas', ARRAY['numeric', 'numeric'],
                    'roas(numeric, numeric) exists');
SELECT has_function('roi_float8_accum',
                    ARRAY['double precision[]', 'double precision', 'double precision'],
                    'roi_float8_accum(float8[], float8, float8) exists');
SELECT has_function('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                    'roi_float8_combine(float8[], float8[]) exists');
SELECT has_function('roi_float8_final', ARRAY['double precision[]'],
                    'roi_float8_final(float8[]) exists');
SELECT has_function('roas_float8_final', ARRAY['double precision[]'],
                    'roas_float8_final(float8[]) exists');
SELECT has_function('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                    'roi_numeric_accum(bytea, numeric, numeric) exists');
SELECT has_function('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                    'roi_numeric_inv(bytea, numeric, numeric) exists');
SELECT has_function('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                    'roi_numeric_combine(bytea, bytea) exists');
SELECT has_function('roi_numeric_final', ARRAY['bytea'],
                    'roi_numeric_final(bytea) exists');
SELECT has_function('roas_numeric_final', ARRAY['bytea'],
                    'roas_numeric_final(bytea) exists');
-- k-means: the four kmeans overloads, the quality aggregates, the model as
-- rows, and the support functions of the aggregates
SELECT has_function('kmeans', ARRAY['double precision[]', 'integer'],
                    'kmeans(float8[], int) exists');
SELECT has_function('kmeans', ARRAY['double precision[]', 'integer', 'integer'],
                    'kmeans(float8[], int, int) exists');
SELECT has_function('kmeans', ARRAY['double precision[]', 'integer', 'integer', 'integer'],
                    'kmeans(float8[], int, int, int) exists');
SELECT has_function('kmeans',
                    ARRAY['double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                    'kmeans(float8[], int, int, int, float8) exists');
SELECT has_function('kmeans_inertia', ARRAY['double precision[]', 'double precision[]'],
                    'kmeans_inertia(float8[], float8[]) exists');
SELECT has_function('kmeans_silhouette', ARRAY['double precision[]', 'double precision[]'],
                    'kmeans_silhouette(float8[], float8[]) exists');
SELECT has_function('kmeans_centroids', ARRAY['double precision[]'],
                    'kmeans_centroids(float8[]) exists');
SELECT has_function('kmeans_accum', ARRAY['internal', 'double precision[]', 'integer'],
                    'kmeans_accum(internal, float8[], int) exists');
SELECT has_function('kmeans_accum',
                    ARRAY['internal', 'double precision[]', 'integer', 'integer'],
                    'kmeans_accum(internal, float8[], int, int) exists');
SELECT has_function('kmeans_accum',
                    ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer'],
                    'kmeans_accum(internal, float8[], int, int, int) exists');
SELECT has_function('kmeans_accum',
                    ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                    'kmeans_accum(internal, float8[], int, int, int, float8) exists');
SELECT has_function('kmeans_combine', ARRAY['internal', 'internal'],
                    'kmeans_combine(internal, internal) exists');
SELECT has_function('kmeans_serialize', ARRAY['internal'],
                    'kmeans_serialize(internal) exists');
SELECT has_function('kmeans_deserialize', ARRAY['bytea', 'internal'],
                    'kmeans_deserialize(bytea, internal) exists');
SELECT has_function('kmeans_final', ARRAY['internal'], 'kmeans_final(internal) exists');
SELECT has_function('kmeans_inertia_accum',
                    ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                    'kmeans_inertia_accum(float8[], float8[], float8[]) exists');
SELECT has_function('kmeans_silhouette_accum',
                    ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                    'kmeans_silhouette_accum(float8[], float8[], float8[]) exists');
SELECT has_function('kmeans_pair_combine',
                    ARRAY['double precision[]', 'double precision[]'],
                    'kmeans_pair_combine(float8[], float8[]) exists');
SELECT has_function('kmeans_inertia_final', ARRAY['double precision[]'],
                    'kmeans_inertia_final(float8[]) exists');
SELECT has_function('kmeans_silhouette_final', ARRAY['double precision[]'],
                    'kmeans_silhouette_final(float8[]) exists');

-- churn: logistic_fit (three overloads), logistic_summary (two), roc_auc,
-- and the support functions of these aggregates
SELECT has_function('logistic_fit', ARRAY['double precision[]', 'boolean'],
                    'logistic_fit(float8[], boolean) exists');
SELECT has_function('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision'],
                    'logistic_fit(float8[], boolean, float8) exists');
SELECT has_function('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision', 'integer'],
                    'logistic_fit(float8[], boolean, float8, int) exists');
SELECT has_function('logistic_summary', ARRAY['double precision[]', 'boolean'],
                    'logistic_summary(float8[], boolean) exists');
SELECT has_function('logistic_summary', ARRAY['double precision[]', 'boolean', 'double precision'],
                    'logistic_summary(float8[], boolean, float8) exists');
SELECT has_function('roc_auc', ARRAY['double precision', 'boolean'],
                    'roc_auc(float8, boolean) exists');
SELECT has_function('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean'],
                    'logistic_accum(internal, float8[], boolean) exists');
SELECT has_function('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision'],
                    'logistic_accum(internal, float8[], boolean, float8) exists');
SELECT has_function('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision', 'integer'],
                    'logistic_accum(internal, float8[], boolean, float8, int) exists');
SELECT has_function('logistic_combine', ARRAY['internal', 'internal'],
                    'logistic_combine(internal, internal) exists');
SELECT has_function('logistic_serialize', ARRAY['internal'],
                    'logistic_serialize(internal) exists');
SELECT has_function('logistic_deserialize', ARRAY['bytea', 'internal'],
                    'logistic_deserialize(bytea, internal) exists');
SELECT has_function('logistic_final', ARRAY['internal'],
                    'logistic_final(internal) exists');
SELECT has_function('logistic_summary_final', ARRAY['internal'],
                    'logistic_summary_final(internal) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'boolean'],
                    'roc_auc_accum(internal, float8, boolean) exists');
SELECT has_function('roc_auc_combine', ARRAY['internal', 'internal'],
                    'roc_auc_combine(internal, internal) exists');
SELECT has_function('roc_auc_serialize', ARRAY['internal'],
                    'roc_auc_serialize(internal) exists');
SELECT has_function('roc_auc_deserialize', ARRAY['bytea', 'internal'],
                    'roc_auc_deserialize(bytea, internal) exists');
SELECT has_function('roc_auc_final', ARRAY['internal'],
                    'roc_auc_final(internal) exists');

-- weighted logistic regression (version 0.2.0, issue 14): the boolean-label
-- forms (the integer-label ones are in the exact list below)
SELECT has_function('logistic_fit_weighted', ARRAY['double precision[]', 'boolean', 'double precision'],
                    'logistic_fit_weighted(float8[], boolean, float8) exists');
SELECT has_function('logistic_fit_weighted', ARRAY['double precision[]', 'boolean', 'double precision', 'double precision'],
                    'logistic_fit_weighted(float8[], boolean, float8, float8) exists');
SELECT has_function('logistic_fit_weighted', ARRAY['double precision[]', 'boolean', 'double precision', 'double precision', 'integer'],
                    'logistic_fit_weighted(float8[], boolean, float8, float8, int) exists');
SELECT has_function('logistic_summary_weighted', ARRAY['double precision[]', 'boolean', 'double precision'],
                    'logistic_summary_weighted(float8[], boolean, float8) exists');
SELECT has_function('logistic_summary_weighted', ARRAY['double precision[]', 'boolean', 'double precision', 'double precision'],
                    'logistic_summary_weighted(float8[], boolean, float8, float8) exists');
SELECT has_function('logistic_summary_weighted', ARRAY['double precision[]', 'boolean', 'double precision', 'double precision', 'text[]'],
                    'logistic_summary_weighted(float8[], boolean, float8, float8, text[]) exists');
SELECT has_function('logistic_weighted_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision'],
                    'logistic_weighted_accum(internal, float8[], boolean, float8) exists');
SELECT has_function('logistic_weighted_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision', 'double precision'],
                    'logistic_weighted_accum(internal, float8[], boolean, float8, float8) exists');
SELECT has_function('logistic_weighted_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision', 'double precision', 'integer'],
                    'logistic_weighted_accum(internal, float8[], boolean, float8, float8, int) exists');
SELECT has_function('logistic_weighted_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision', 'double precision', 'text[]'],
                    'logistic_weighted_accum(internal, float8[], boolean, float8, float8, text[]) exists');

-- classifier evaluation (version 0.2.0, issue 14): roc_auc with weights,
-- roc_curve, precision_recall_curve, average_precision, gains_table, their
-- transition forms and final functions (56), and one check of their
-- return types, kinds and strictness (1)
SELECT has_function('average_precision', ARRAY['double precision', 'bigint'],
                    'average_precision(float8, bigint) exists');
SELECT has_function('average_precision', ARRAY['double precision', 'bigint', 'double precision'],
                    'average_precision(float8, bigint, float8) exists');
SELECT has_function('average_precision', ARRAY['double precision', 'boolean'],
                    'average_precision(float8, boolean) exists');
SELECT has_function('average_precision', ARRAY['double precision', 'boolean', 'double precision'],
                    'average_precision(float8, boolean, float8) exists');
SELECT has_function('average_precision', ARRAY['double precision', 'integer'],
                    'average_precision(float8, int) exists');
SELECT has_function('average_precision', ARRAY['double precision', 'integer', 'double precision'],
                    'average_precision(float8, int, float8) exists');
SELECT has_function('average_precision', ARRAY['double precision', 'smallint'],
                    'average_precision(float8, smallint) exists');
SELECT has_function('average_precision', ARRAY['double precision', 'smallint', 'double precision'],
                    'average_precision(float8, smallint, float8) exists');
SELECT has_function('average_precision_final', ARRAY['internal'],
                    'average_precision_final(internal) exists');
SELECT has_function('gains_final', ARRAY['internal'],
                    'gains_final(internal) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'bigint'],
                    'gains_table(float8, bigint) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'bigint', 'integer'],
                    'gains_table(float8, bigint, int) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'boolean'],
                    'gains_table(float8, boolean) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'boolean', 'integer'],
                    'gains_table(float8, boolean, int) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'integer'],
                    'gains_table(float8, int) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'integer', 'integer'],
                    'gains_table(float8, int, int) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'smallint'],
                    'gains_table(float8, smallint) exists');
SELECT has_function('gains_table', ARRAY['double precision', 'smallint', 'integer'],
                    'gains_table(float8, smallint, int) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'bigint'],
                    'precision_recall_curve(float8, bigint) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'bigint', 'double precision'],
                    'precision_recall_curve(float8, bigint, float8) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'boolean'],
                    'precision_recall_curve(float8, boolean) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'boolean', 'double precision'],
                    'precision_recall_curve(float8, boolean, float8) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'integer'],
                    'precision_recall_curve(float8, int) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'integer', 'double precision'],
                    'precision_recall_curve(float8, int, float8) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'smallint'],
                    'precision_recall_curve(float8, smallint) exists');
SELECT has_function('precision_recall_curve', ARRAY['double precision', 'smallint', 'double precision'],
                    'precision_recall_curve(float8, smallint, float8) exists');
SELECT has_function('precision_recall_final', ARRAY['internal'],
                    'precision_recall_final(internal) exists');
SELECT has_function('roc_auc', ARRAY['double precision', 'bigint', 'double precision'],
                    'roc_auc(float8, bigint, float8) exists');
SELECT has_function('roc_auc', ARRAY['double precision', 'boolean', 'double precision'],
                    'roc_auc(float8, boolean, float8) exists');
SELECT has_function('roc_auc', ARRAY['double precision', 'integer', 'double precision'],
                    'roc_auc(float8, int, float8) exists');
SELECT has_function('roc_auc', ARRAY['double precision', 'smallint', 'double precision'],
                    'roc_auc(float8, smallint, float8) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'bigint', 'double precision'],
                    'roc_auc_accum(internal, float8, bigint, float8) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'bigint', 'double precision', 'boolean'],
                    'roc_auc_accum(internal, float8, bigint, float8, boolean) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'bigint', 'integer'],
                    'roc_auc_accum(internal, float8, bigint, int) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'boolean', 'double precision'],
                    'roc_auc_accum(internal, float8, boolean, float8) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'boolean', 'double precision', 'boolean'],
                    'roc_auc_accum(internal, float8, boolean, float8, boolean) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'boolean', 'integer'],
                    'roc_auc_accum(internal, float8, boolean, int) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'integer', 'double precision'],
                    'roc_auc_accum(internal, float8, int, float8) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'integer', 'double precision', 'boolean'],
                    'roc_auc_accum(internal, float8, int, float8, boolean) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'integer', 'integer'],
                    'roc_auc_accum(internal, float8, int, int) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'smallint', 'double precision'],
                    'roc_auc_accum(internal, float8, smallint, float8) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'smallint', 'double precision', 'boolean'],
                    'roc_auc_accum(internal, float8, smallint, float8, boolean) exists');
SELECT has_function('roc_auc_accum', ARRAY['internal', 'double precision', 'smallint', 'integer'],
                    'roc_auc_accum(internal, float8, smallint, int) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'bigint'],
                    'roc_curve(float8, bigint) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'bigint', 'double precision'],
                    'roc_curve(float8, bigint, float8) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'bigint', 'double precision', 'boolean'],
                    'roc_curve(float8, bigint, float8, boolean) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'boolean'],
                    'roc_curve(float8, boolean) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'boolean', 'double precision'],
                    'roc_curve(float8, boolean, float8) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'boolean', 'double precision', 'boolean'],
                    'roc_curve(float8, boolean, float8, boolean) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'integer'],
                    'roc_curve(float8, int) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'integer', 'double precision'],
                    'roc_curve(float8, int, float8) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'integer', 'double precision', 'boolean'],
                    'roc_curve(float8, int, float8, boolean) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'smallint'],
                    'roc_curve(float8, smallint) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'smallint', 'double precision'],
                    'roc_curve(float8, smallint, float8) exists');
SELECT has_function('roc_curve', ARRAY['double precision', 'smallint', 'double precision', 'boolean'],
                    'roc_curve(float8, smallint, float8, boolean) exists');
SELECT has_function('roc_curve_final', ARRAY['internal'],
                    'roc_curve_final(internal) exists');
SELECT is(ARRAY(SELECT a.sig || ' ' || a.prokind::text || ' ' || pg_get_function_result(a.oid) || ' '
                         || p.proisstrict::text
                  FROM aim_ext_procs a JOIN pg_proc p USING (oid)
                 WHERE a.sig IN ('average_precision(double precision,bigint)',
                                 'average_precision(double precision,bigint,double precision)',
                                 'average_precision(double precision,boolean)',
                                 'average_precision(double precision,boolean,double precision)',
                                 'average_precision(double precision,integer)',
                                 'average_precision(double precision,integer,double precision)',
                                 'average_precision(double precision,smallint)',
                                 'average_precision(double precision,smallint,double precision)',
                                 'average_precision_final(internal)',
                                 'gains_final(internal)',
                                 'gains_table(double precision,bigint)',
                                 'gains_table(double precision,bigint,integer)',
                                 'gains_table(double precision,boolean)',
                                 'gains_table(double precision,boolean,integer)',
                                 'gains_table(double precision,integer)',
                                 'gains_table(double precision,integer,integer)',
                                 'gains_table(double precision,smallint)',
                                 'gains_table(double precision,smallint,integer)',
                                 'precision_recall_curve(double precision,bigint)',
                                 'precision_recall_curve(double precision,bigint,double precision)',
                                 'precision_recall_curve(double precision,boolean)',
                                 'precision_recall_curve(double precision,boolean,double precision)',
                                 'precision_recall_curve(double precision,integer)',
                                 'precision_recall_curve(double precision,integer,double precision)',
                                 'precision_recall_curve(double precision,smallint)',
                                 'precision_recall_curve(double precision,smallint,double precision)',
                                 'precision_recall_final(internal)',
                                 'roc_auc(double precision,bigint,double precision)',
                                 'roc_auc(double precision,boolean,double precision)',
                                 'roc_auc(double precision,integer,double precision)',
                                 'roc_auc(double precision,smallint,double precision)',
                                 'roc_auc_accum(internal,double precision,bigint,double precision)',
                                 'roc_auc_accum(internal,double precision,bigint,double precision,boolean)',
                                 'roc_auc_accum(internal,double precision,bigint,integer)',
                                 'roc_auc_accum(internal,double precision,boolean,double precision)',
                                 'roc_auc_accum(internal,double precision,boolean,double precision,boolean)',
                                 'roc_auc_accum(internal,double precision,boolean,integer)',
                                 'roc_auc_accum(internal,double precision,integer,double precision)',
                                 'roc_auc_accum(internal,double precision,integer,double precision,boolean)',
                                 'roc_auc_accum(internal,double precision,integer,integer)',
                                 'roc_auc_accum(internal,double precision,smallint,double precision)',
                                 'roc_auc_accum(internal,double precision,smallint,double precision,boolean)',
                                 'roc_auc_accum(internal,double precision,smallint,integer)',
                                 'roc_curve(double precision,bigint)',
                                 'roc_curve(double precision,bigint,double precision)',
                                 'roc_curve(double precision,bigint,double precision,boolean)',
                                 'roc_curve(double precision,boolean)',
                                 'roc_curve(double precision,boolean,double precision)',
                                 'roc_curve(double precision,boolean,double precision,boolean)',
                                 'roc_curve(double precision,integer)',
                                 'roc_curve(double precision,integer,double precision)',
                                 'roc_curve(double precision,integer,double precision,boolean)',
                                 'roc_curve(double precision,smallint)',
                                 'roc_curve(double precision,smallint,double precision)',
                                 'roc_curve(double precision,smallint,double precision,boolean)',
                                 'roc_curve_final(internal)')
                 ORDER BY a.sig COLLATE "C"),
          ARRAY['average_precision(double precision,bigint) a double precision false',
                'average_precision(double precision,bigint,double precision) a double precision false',
                'average_precision(double precision,boolean) a double precision false',
                'average_precision(double precision,boolean,double precision) a double precision false',
                'average_precision(double precision,integer) a double precision false',
                'average_precision(double precision,integer,double precision) a double precision false',
                'average_precision(double precision,smallint) a double precision false',
                'average_precision(double precision,smallint,double precision) a double precision false',
                'average_precision_final(internal) f double precision false',
                'gains_final(internal) f gains_row[] false',
                'gains_table(double precision,bigint) a gains_row[] false',
                'gains_table(double precision,bigint,integer) a gains_row[] false',
                'gains_table(double precision,boolean) a gains_row[] false',
                'gains_table(double precision,boolean,integer) a gains_row[] false',
                'gains_table(double precision,integer) a gains_row[] false',
                'gains_table(double precision,integer,integer) a gains_row[] false',
                'gains_table(double precision,smallint) a gains_row[] false',
                'gains_table(double precision,smallint,integer) a gains_row[] false',
                'precision_recall_curve(double precision,bigint) a pr_point[] false',
                'precision_recall_curve(double precision,bigint,double precision) a pr_point[] false',
                'precision_recall_curve(double precision,boolean) a pr_point[] false',
                'precision_recall_curve(double precision,boolean,double precision) a pr_point[] false',
                'precision_recall_curve(double precision,integer) a pr_point[] false',
                'precision_recall_curve(double precision,integer,double precision) a pr_point[] false',
                'precision_recall_curve(double precision,smallint) a pr_point[] false',
                'precision_recall_curve(double precision,smallint,double precision) a pr_point[] false',
                'precision_recall_final(internal) f pr_point[] false',
                'roc_auc(double precision,bigint,double precision) a double precision false',
                'roc_auc(double precision,boolean,double precision) a double precision false',
                'roc_auc(double precision,integer,double precision) a double precision false',
                'roc_auc(double precision,smallint,double precision) a double precision false',
                'roc_auc_accum(internal,double precision,bigint,double precision) f internal false',
                'roc_auc_accum(internal,double precision,bigint,double precision,boolean) f internal false',
                'roc_auc_accum(internal,double precision,bigint,integer) f internal false',
                'roc_auc_accum(internal,double precision,boolean,double precision) f internal false',
                'roc_auc_accum(internal,double precision,boolean,double precision,boolean) f internal false',
                'roc_auc_accum(internal,double precision,boolean,integer) f internal false',
                'roc_auc_accum(internal,double precision,integer,double precision) f internal false',
                'roc_auc_accum(internal,double precision,integer,double precision,boolean) f internal false',
                'roc_auc_accum(internal,double precision,integer,integer) f internal false',
                'roc_auc_accum(internal,double precision,smallint,double precision) f internal false',
                'roc_auc_accum(internal,double precision,smallint,double precision,boolean) f internal false',
                'roc_auc_accum(internal,double precision,smallint,integer) f internal false',
                'roc_curve(double precision,bigint) a roc_point[] false',
                'roc_curve(double precision,bigint,double precision) a roc_point[] false',
                'roc_curve(double precision,bigint,double precision,boolean) a roc_point[] false',
                'roc_curve(double precision,boolean) a roc_point[] false',
                'roc_curve(double precision,boolean,double precision) a roc_point[] false',
                'roc_curve(double precision,boolean,double precision,boolean) a roc_point[] false',
                'roc_curve(double precision,integer) a roc_point[] false',
                'roc_curve(double precision,integer,double precision) a roc_point[] false',
                'roc_curve(double precision,integer,double precision,boolean) a roc_point[] false',
                'roc_curve(double precision,smallint) a roc_point[] false',
                'roc_curve(double precision,smallint,double precision) a roc_point[] false',
                'roc_curve(double precision,smallint,double precision,boolean) a roc_point[] false',
                'roc_curve_final(internal) f roc_point[] false'],
          'the classifier-evaluation aggregates return float8 or arrays of roc_point, pr_point, gains_row; none is STRICT');

-- recommendations (version 0.2.0): the ranking metrics, item_neighbors and
-- recommend_items
SELECT has_function('hit_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                    'hit_at_k(anyarray, anyarray, int) exists');
SELECT has_function('precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                    'precision_at_k(anyarray, anyarray, int) exists');
SELECT has_function('recall_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                    'recall_at_k(anyarray, anyarray, int) exists');
SELECT has_function('ndcg_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                    'ndcg_at_k(anyarray, anyarray, int) exists');
SELECT has_function('average_precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                    'average_precision_at_k(anyarray, anyarray, int) exists');
SELECT has_function('item_neighbors',
                    ARRAY['text', 'integer', 'text', 'integer', 'double precision'],
                    'item_neighbors(text, int, text, int, float8) exists');
SELECT has_function('ets_fit', ARRAY['double precision', 'jsonb'],
                    'ets_fit(float8, jsonb) exists');
SELECT has_function('ets_fit_accum', ARRAY['internal', 'double precision', 'jsonb'],
                    'ets_fit_accum(internal, float8, jsonb) exists');
SELECT has_function('ets_fit_final', ARRAY['internal'], 'ets_fit_final(internal) exists');
SELECT has_function('ets_forecast', ARRAY['jsonb', 'integer'],
                    'ets_forecast(jsonb, int) exists');
SELECT has_function('recommend_items',
                    ARRAY['text', 'integer', 'text', 'integer', 'boolean', 'double precision'],
                    'recommend_items(text, int, text, int, boolean, float8) exists');
-- the full silhouette (issue 14): three overloads and their support functions
SELECT has_function('silhouette_score', ARRAY['double precision[]', 'integer'],
                    'silhouette_score(float8[], int) exists');
SELECT has_function('silhouette_score', ARRAY['double precision[]', 'integer', 'integer'],
                    'silhouette_score(float8[], int, int) exists');
SELECT has_function('silhouette_score', ARRAY['double precision[]', 'integer', 'integer', 'integer'],
                    'silhouette_score(float8[], int, int, int) exists');
SELECT has_function('silhouette_accum', ARRAY['internal', 'double precision[]', 'integer'],
                    'silhouette_accum(internal, float8[], int) exists');
SELECT has_function('silhouette_accum', ARRAY['internal', 'double precision[]', 'integer', 'integer'],
                    'silhouette_accum(internal, float8[], int, int) exists');
SELECT has_function('silhouette_accum',
                    ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer'],
                    'silhouette_accum(internal, float8[], int, int, int) exists');
SELECT has_function('silhouette_combine', ARRAY['internal', 'internal'],
                    'silhouette_combine(internal, internal) exists');
SELECT has_function('silhouette_serialize', ARRAY['internal'],
                    'silhouette_serialize(internal) exists');
SELECT has_function('silhouette_deserialize', ARRAY['bytea', 'internal'],
                    'silhouette_deserialize(bytea, internal) exists');
SELECT has_function('silhouette_final', ARRAY['internal'],
                    'silhouette_final(internal) exists');

-- linear regression (version 0.2.0): linear_fit (two overloads),
-- linear_summary (three), linear_predict and the support functions
SELECT has_function('linear_fit', ARRAY['double precision[]', 'double precision'],
                    'linear_fit(float8[], float8) exists');
SELECT has_function('linear_fit', ARRAY['double precision[]', 'double precision', 'double precision'],
                    'linear_fit(float8[], float8, float8) exists');
SELECT has_function('linear_summary', ARRAY['double precision[]', 'double precision'],
                    'linear_summary(float8[], float8) exists');
SELECT has_function('linear_summary', ARRAY['double precision[]', 'double precision', 'double precision'],
                    'linear_summary(float8[], float8, float8) exists');
SELECT has_function('linear_summary',
                    ARRAY['double precision[]', 'double precision', 'double precision', 'text[]'],
                    'linear_summary(float8[], float8, float8, text[]) exists');
SELECT has_function('linear_predict', ARRAY['double precision[]', 'double precision[]'],
                    'linear_predict(float8[], float8[]) exists');
SELECT has_function('linear_accum',
                    ARRAY['double precision[]', 'double precision[]', 'double precision'],
                    'linear_accum(float8[], float8[], float8) exists');
SELECT has_function('linear_accum',
                    ARRAY['double precision[]', 'double precision[]', 'double precision', 'double precision'],
                    'linear_accum(float8[], float8[], float8, float8) exists');
SELECT has_function('linear_accum',
                    ARRAY['double precision[]', 'double precision[]', 'double precision', 'double precision', 'text[]'],
                    'linear_accum(float8[], float8[], float8, float8, text[]) exists');
SELECT has_function('linear_combine', ARRAY['double precision[]', 'double precision[]'],
                    'linear_combine(float8[], float8[]) exists');
SELECT has_function('linear_final', ARRAY['double precision[]'],
                    'linear_final(float8[]) exists');
SELECT has_function('linear_summary_final', ARRAY['double precision[]'],
                    'linear_summary_final(float8[]) exists');

-- the extension owns exactly these: a function added later must be added
-- here, and so to the checks of this file
SELECT is(ARRAY(SELECT unnest(ARRAY['cosine_sim(double precision[],double precision[])',
          'pearson_sim(double precision[],double precision[])',
          'kmeans_assign(double precision[],double precision[])',
          'churn_score(double precision[],double precision[])',
          'roi(double precision,double precision)',
          'roi(numeric,numeric)',
          'roas(double precision,double precision)',
          'roas(numeric,numeric)',
          'roi_float8_accum(double precision[],double precision,double precision)',
          'roi_float8_combine(double precision[],double precision[])',
          'roi_float8_final(double precision[])',
          'roas_float8_final(double precision[])',
          'roi_numeric_accum(bytea,numeric,numeric)',
          'roi_numeric_inv(bytea,numeric,numeric)',
          'roi_numeric_combine(bytea,bytea)',
          'roi_numeric_final(bytea)',
          'roas_numeric_final(bytea)',
          'kmeans(double precision[],integer)',
          'kmeans(double precision[],integer,integer)',
          'kmeans(double precision[],integer,integer,integer)',
          'kmeans(double precision[],integer,integer,integer,double precision)',
          'kmeans_inertia(double precision[],double precision[])',
          'kmeans_silhouette(double precision[],double precision[])',
          'kmeans_centroids(double precision[])',
          'kmeans_accum(internal,double precision[],integer)',
          'kmeans_accum(internal,double precision[],integer,integer)',
          'kmeans_accum(internal,double precision[],integer,integer,integer)',
          'kmeans_accum(internal,double precision[],integer,integer,integer,double precision)',
          'kmeans_combine(internal,internal)',
          'kmeans_serialize(internal)',
          'kmeans_deserialize(bytea,internal)',
          'kmeans_final(internal)',
          'kmeans(double precision[],integer,integer,integer,double precision,integer)',
          'kmeans(double precision[],integer,double precision[])',
          'kmeans(double precision[],integer,double precision[],integer,double precision)',
          'kmeans_accum(internal,double precision[],integer,integer,integer,double precision,integer)',
          'kmeans_accum_init(internal,double precision[],integer,double precision[])',
          'kmeans_accum_init(internal,double precision[],integer,double precision[],integer,double precision)',
          'kmeans_match(double precision[],double precision[])',
          'kmeans_inertia_accum(double precision[],double precision[],double precision[])',
          'kmeans_silhouette_accum(double precision[],double precision[],double precision[])',
          'kmeans_pair_combine(double precision[],double precision[])',
          'kmeans_inertia_final(double precision[])',
          'kmeans_silhouette_final(double precision[])',
          'logistic_fit(double precision[],boolean)',
          'logistic_fit(double precision[],boolean,double precision)',
          'logistic_fit(double precision[],boolean,double precision,integer)',
          'logistic_summary(double precision[],boolean)',
          'logistic_summary(double precision[],boolean,double precision)',
          'roc_auc(double precision,boolean)',
          -- 0.2.0: integer labels, term names, churn_logit (issue 13)
          'churn_logit(double precision[],double precision[])',
          'logistic_fit(double precision[],smallint)',
          'logistic_fit(double precision[],integer)',
          'logistic_fit(double precision[],bigint)',
          'logistic_fit(double precision[],smallint,double precision)',
          'logistic_fit(double precision[],integer,double precision)',
          'logistic_fit(double precision[],bigint,double precision)',
          'logistic_fit(double precision[],smallint,double precision,integer)',
          'logistic_fit(double precision[],integer,double precision,integer)',
          'logistic_fit(double precision[],bigint,double precision,integer)',
          'logistic_summary(double precision[],smallint)',
          'logistic_summary(double precision[],integer)',
          'logistic_summary(double precision[],bigint)',
          'logistic_summary(double precision[],smallint,double precision)',
          'logistic_summary(double precision[],integer,double precision)',
          'logistic_summary(double precision[],bigint,double precision)',
          'logistic_summary(double precision[],boolean,double precision,text[])',
          'logistic_summary(double precision[],smallint,double precision,text[])',
          'logistic_summary(double precision[],integer,double precision,text[])',
          'logistic_summary(double precision[],bigint,double precision,text[])',
          'roc_auc(double precision,smallint)',
          'roc_auc(double precision,integer)',
          'roc_auc(double precision,bigint)',
          'logistic_accum(internal,double precision[],smallint)',
          'logistic_accum(internal,double precision[],integer)',
          'logistic_accum(internal,double precision[],bigint)',
          'logistic_accum(internal,double precision[],smallint,double precision)',
          'logistic_accum(internal,double precision[],integer,double precision)',
          'logistic_accum(internal,double precision[],bigint,double precision)',
          'logistic_accum(internal,double precision[],smallint,double precision,integer)',
          'logistic_accum(internal,double precision[],integer,double precision,integer)',
          'logistic_accum(internal,double precision[],bigint,double precision,integer)',
          'logistic_accum(internal,double precision[],boolean,double precision,text[])',
          'logistic_accum(internal,double precision[],smallint,double precision,text[])',
          'logistic_accum(internal,double precision[],integer,double precision,text[])',
          'logistic_accum(internal,double precision[],bigint,double precision,text[])',
          'roc_auc_accum(internal,double precision,smallint)',
          'roc_auc_accum(internal,double precision,integer)',
          'roc_auc_accum(internal,double precision,bigint)',
          'logistic_accum(internal,double precision[],boolean)',
          'logistic_accum(internal,double precision[],boolean,double precision)',
          'logistic_accum(internal,double precision[],boolean,double precision,integer)',
          'logistic_combine(internal,internal)',
          'logistic_serialize(internal)',
          'logistic_deserialize(bytea,internal)',
          'logistic_final(internal)',
          'logistic_summary_final(internal)',
          'roc_auc_accum(internal,double precision,boolean)',
          'roc_auc_combine(internal,internal)',
          'roc_auc_serialize(internal)',
          'roc_auc_deserialize(bytea,internal)',
          'roc_auc_final(internal)',
          -- 0.2.0: classifier evaluation (issue 14)
          'average_precision(double precision,bigint)',
          'average_precision(double precision,bigint,double precision)',
          'average_precision(double precision,boolean)',
          'average_precision(double precision,boolean,double precision)',
          'average_precision(double precision,integer)',
          'average_precision(double precision,integer,double precision)',
          'average_precision(double precision,smallint)',
          'average_precision(double precision,smallint,double precision)',
          'average_precision_final(internal)',
          'gains_final(internal)',
          'gains_table(double precision,bigint)',
          'gains_table(double precision,bigint,integer)',
          'gains_table(double precision,boolean)',
          'gains_table(double precision,boolean,integer)',
          'gains_table(double precision,integer)',
          'gains_table(double precision,integer,integer)',
          'gains_table(double precision,smallint)',
          'gains_table(double precision,smallint,integer)',
          'precision_recall_curve(double precision,bigint)',
          'precision_recall_curve(double precision,bigint,double precision)',
          'precision_recall_curve(double precision,boolean)',
          'precision_recall_curve(double precision,boolean,double precision)',
          'precision_recall_curve(double precision,integer)',
          'precision_recall_curve(double precision,integer,double precision)',
          'precision_recall_curve(double precision,smallint)',
          'precision_recall_curve(double precision,smallint,double precision)',
          'precision_recall_final(internal)',
          'roc_auc(double precision,bigint,double precision)',
          'roc_auc(double precision,boolean,double precision)',
          'roc_auc(double precision,integer,double precision)',
          'roc_auc(double precision,smallint,double precision)',
          'roc_auc_accum(internal,double precision,bigint,double precision)',
          'roc_auc_accum(internal,double precision,bigint,double precision,boolean)',
          'roc_auc_accum(internal,double precision,bigint,integer)',
          'roc_auc_accum(internal,double precision,boolean,double precision)',
          'roc_auc_accum(internal,double precision,boolean,double precision,boolean)',
          'roc_auc_accum(internal,double precision,boolean,integer)',
          'roc_auc_accum(internal,double precision,integer,double precision)',
          'roc_auc_accum(internal,double precision,integer,double precision,boolean)',
          'roc_auc_accum(internal,double precision,integer,integer)',
          'roc_auc_accum(internal,double precision,smallint,double precision)',
          'roc_auc_accum(internal,double precision,smallint,double precision,boolean)',
          'roc_auc_accum(internal,double precision,smallint,integer)',
          'roc_curve(double precision,bigint)',
          'roc_curve(double precision,bigint,double precision)',
          'roc_curve(double precision,bigint,double precision,boolean)',
          'roc_curve(double precision,boolean)',
          'roc_curve(double precision,boolean,double precision)',
          'roc_curve(double precision,boolean,double precision,boolean)',
          'roc_curve(double precision,integer)',
          'roc_curve(double precision,integer,double precision)',
          'roc_curve(double precision,integer,double precision,boolean)',
          'roc_curve(double precision,smallint)',
          'roc_curve(double precision,smallint,double precision)',
          'roc_curve(double precision,smallint,double precision,boolean)',
          'roc_curve_final(internal)',
          'frequent_itemsets(text,double precision,integer)',
          'frequent_itemsets(text,double precision,integer,text)',
          'apriori_rules(text,double precision,double precision,integer,text,double precision)',
          'hit_at_k(anyarray,anyarray,integer)',
          'precision_at_k(anyarray,anyarray,integer)',
          'recall_at_k(anyarray,anyarray,integer)',
          'ndcg_at_k(anyarray,anyarray,integer)',
          'average_precision_at_k(anyarray,anyarray,integer)',
          'item_neighbors(text,integer,text,integer,double precision)',
          'recommend_items(text,integer,text,integer,boolean,double precision)',
          -- 0.2.0: the full silhouette (issue 14)
          'silhouette_score(double precision[],integer)',
          'silhouette_score(double precision[],integer,integer)',
          'silhouette_score(double precision[],integer,integer,integer)',
          'silhouette_accum(internal,double precision[],integer)',
          'silhouette_accum(internal,double precision[],integer,integer)',
          'silhouette_accum(internal,double precision[],integer,integer,integer)',
          'silhouette_combine(internal,internal)',
          'silhouette_serialize(internal)',
          'silhouette_deserialize(bytea,internal)',
          'silhouette_final(internal)',
          -- 0.2.0: weighted logistic regression (issue 14)
          'logistic_fit_weighted(double precision[],boolean,double precision)',
          'logistic_fit_weighted(double precision[],boolean,double precision,double precision)',
          'logistic_fit_weighted(double precision[],boolean,double precision,double precision,integer)',
          'logistic_summary_weighted(double precision[],boolean,double precision)',
          'logistic_summary_weighted(double precision[],boolean,double precision,double precision)',
          'logistic_summary_weighted(double precision[],boolean,double precision,double precision,text[])',
          'logistic_fit_weighted(double precision[],smallint,double precision)',
          'logistic_fit_weighted(double precision[],smallint,double precision,double precision)',
          'logistic_fit_weighted(double precision[],smallint,double precision,double precision,integer)',
          'logistic_summary_weighted(double precision[],smallint,double precision)',
          'logistic_summary_weighted(double precision[],smallint,double precision,double precision)',
          'logistic_summary_weighted(double precision[],smallint,double precision,double precision,text[])',
          'logistic_fit_weighted(double precision[],integer,double precision)',
          'logistic_fit_weighted(double precision[],integer,double precision,double precision)',
          'logistic_fit_weighted(double precision[],integer,double precision,double precision,integer)',
          'logistic_summary_weighted(double precision[],integer,double precision)',
          'logistic_summary_weighted(double precision[],integer,double precision,double precision)',
          'logistic_summary_weighted(double precision[],integer,double precision,double precision,text[])',
          'logistic_fit_weighted(double precision[],bigint,double precision)',
          'logistic_fit_weighted(double precision[],bigint,double precision,double precision)',
          'logistic_fit_weighted(double precision[],bigint,double precision,double precision,integer)',
          'logistic_summary_weighted(double precision[],bigint,double precision)',
          'logistic_summary_weighted(double precision[],bigint,double precision,double precision)',
          'logistic_summary_weighted(double precision[],bigint,double precision,double precision,text[])',
          'logistic_weighted_accum(internal,double precision[],boolean,double precision)',
          'logistic_weighted_accum(internal,double precision[],boolean,double precision,double precision)',
          'logistic_weighted_accum(internal,double precision[],boolean,double precision,double precision,integer)',
          'logistic_weighted_accum(internal,double precision[],boolean,double precision,double precision,text[])',
          'logistic_weighted_accum(internal,double precision[],smallint,double precision)',
          'logistic_weighted_accum(internal,double precision[],smallint,double precision,double precision)',
          'logistic_weighted_accum(internal,double precision[],smallint,double precision,double precision,integer)',
          'logistic_weighted_accum(internal,double precision[],smallint,double precision,double precision,text[])',
          'logistic_weighted_accum(internal,double precision[],integer,double precision)',
          'logistic_weighted_accum(internal,double precision[],integer,double precision,double precision)',
          'logistic_weighted_accum(internal,double precision[],integer,double precision,double precision,integer)',
          'logistic_weighted_accum(internal,double precision[],integer,double precision,double precision,text[])',
          'logistic_weighted_accum(internal,double precision[],bigint,double precision)',
          'logistic_weighted_accum(internal,double precision[],bigint,double precision,double precision)',
          'logistic_weighted_accum(internal,double precision[],bigint,double precision,double precision,integer)',
          'logistic_weighted_accum(internal,double precision[],bigint,double precision,double precision,text[])',
          -- 0.2.0: linear regression (issue 16)
          'linear_fit(double precision[],double precision)',
          'linear_fit(double precision[],double precision,double precision)',
          'linear_summary(double precision[],double precision)',
          'linear_summary(double precision[],double precision,double precision)',
          'linear_summary(double precision[],double precision,double precision,text[])',
          'linear_predict(double precision[],double precision[])',
          'linear_accum(double precision[],double precision[],double precision)',
          'linear_accum(double precision[],double precision[],double precision,double precision)',
          'linear_accum(double precision[],double precision[],double precision,double precision,text[])',
          'linear_combine(double precision[],double precision[])',
          'linear_final(double precision[])',
          'linear_summary_final(double precision[])',
          -- 0.2.0: exponential smoothing (issue 16)
          'ets_fit(double precision,jsonb)',
          'ets_fit_accum(internal,double precision,jsonb)',
          'ets_fit_final(internal)',
          'ets_forecast(jsonb,integer)'])
                ORDER BY 1),
          ARRAY(SELECT sig FROM aim_ext_procs ORDER BY 1),
          'the extension owns exactly the 234 functions and aggregates of version 0.2.0');

--
-- return types (67)
--
SELECT function_returns('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'cosine_sim returns float8');
SELECT function_returns('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'pearson_sim returns float8');
SELECT function_returns('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                        'integer', 'kmeans_assign returns int');
SELECT function_returns('churn_score', ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'churn_score returns float8');
SELECT function_returns('roi', ARRAY['double precision', 'double precision'],
                        'double precision', 'roi(float8, float8) returns float8');
SELECT function_returns('roi', ARRAY['numeric', 'numeric'],
                        'numeric', 'roi(numeric, numeric) returns numeric');
SELECT function_returns('roas', ARRAY['double precision', 'double precision'],
                        'double precision', 'roas(float8, float8) returns float8');
SELECT function_returns('roas', ARRAY['numeric', 'numeric'],
                        'numeric', 'roas(numeric, numeric) returns numeric');
SELECT function_returns('roi_float8_accum',
                        ARRAY['double precision[]', 'double precision', 'double precision'],
                        'double precision[]', 'roi_float8_accum returns float8[]');
SELECT function_returns('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                        'double precision[]', 'roi_float8_combine returns float8[]');
SELECT function_returns('roi_float8_final', ARRAY['double precision[]'],
                        'double precision', 'roi_float8_final returns float8');
SELECT function_returns('roas_float8_final', ARRAY['double precision[]'],
                        'double precision', 'roas_float8_final returns float8');
SELECT function_returns('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                        'bytea', 'roi_numeric_accum returns bytea');
SELECT function_returns('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                        'bytea', 'roi_numeric_inv returns bytea');
SELECT function_returns('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                        'bytea', 'roi_numeric_combine returns bytea');
SELECT function_returns('roi_numeric_final', ARRAY['bytea'],
                        'numeric', 'roi_numeric_final returns numeric');
SELECT function_returns('roas_numeric_final', ARRAY['bytea'],
                        'numeric', 'roas_numeric_final returns numeric');
-- kmeans_centroids returns TABLE(...), which the catalogue records as setof record
SELECT function_returns('kmeans', ARRAY['double precision[]', 'integer'],
                        'double precision[]', 'kmeans(float8[], int) returns float8[]');
SELECT function_returns('kmeans',
                        ARRAY['double precision[]', 'integer', 'integer'],
                        'double precision[]', 'kmeans(float8[], int, int) returns float8[]');
SELECT function_returns('kmeans',
                        ARRAY['double precision[]', 'integer', 'integer', 'integer'],
                        'double precision[]', 'kmeans(float8[], int, int, int) returns float8[]');
SELECT function_returns('kmeans',
                        ARRAY['double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                        'double precision[]', 'kmeans(float8[], int, int, int, float8) returns float8[]');
SELECT function_returns('kmeans_inertia', ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'kmeans_inertia returns float8');
SELECT function_returns('kmeans_silhouette',
                        ARRAY['double precision[]', 'double precision[]'],
                        'double precision', 'kmeans_silhouette returns float8');
SELECT function_returns('kmeans_centroids', ARRAY['double precision[]'],
                        'setof record', 'kmeans_centroids returns setof record');
SELECT function_returns('kmeans_accum',
                        ARRAY['internal', 'double precision[]', 'integer'],
                        'internal', 'kmeans_accum(internal, float8[], int) returns internal');
SELECT function_returns('kmeans_accum',
                        ARRAY['internal', 'double precision[]', 'integer', 'integer'],
                        'internal', 'kmeans_accum(internal, float8[], int, int) returns internal');
SELECT function_returns('kmeans_accum',
                        ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer'],
                        'internal', 'kmeans_accum(internal, float8[], int, int, int) returns internal');
SELECT function_returns('kmeans_accum',
                        ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                        'internal', 'kmeans_accum(internal, float8[], int, int, int, float8) returns internal');
SELECT function_returns('kmeans_combine', ARRAY['internal', 'internal'],
                        'internal', 'kmeans_combine returns internal');
SELECT function_returns('kmeans_serialize', ARRAY['internal'],
                        'bytea', 'kmeans_serialize returns bytea');
SELECT function_returns('kmeans_deserialize', ARRAY['bytea', 'internal'],
                        'internal', 'kmeans_deserialize returns internal');
SELECT function_returns('kmeans_final', ARRAY['internal'],
                        'double precision[]', 'kmeans_final returns float8[]');
SELECT function_returns('kmeans_inertia_accum',
                        ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                        'double precision[]', 'kmeans_inertia_accum returns float8[]');
SELECT function_returns('kmeans_silhouette_accum',
                        ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                        'double precision[]', 'kmeans_silhouette_accum returns float8[]');
SELECT function_returns('kmeans_pair_combine',
                        ARRAY['double precision[]', 'double precision[]'],
                        'double precision[]', 'kmeans_pair_combine returns float8[]');
SELECT function_returns('kmeans_inertia_final', ARRAY['double precision[]'],
                        'double precision', 'kmeans_inertia_final returns float8');
SELECT function_returns('kmeans_silhouette_final', ARRAY['double precision[]'],
                        'double precision', 'kmeans_silhouette_final returns float8');

-- churn aggregates and their support functions
SELECT function_returns('logistic_fit', ARRAY['double precision[]', 'boolean'],
                        'double precision[]', 'logistic_fit(float8[], boolean) returns float8[]');
SELECT function_returns('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision'],
                        'double precision[]', 'logistic_fit(float8[], boolean, float8) returns float8[]');
SELECT function_returns('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision', 'integer'],
                        'double precision[]', 'logistic_fit(float8[], boolean, float8, int) returns float8[]');
SELECT function_returns('logistic_summary', ARRAY['double precision[]', 'boolean'],
                        'jsonb', 'logistic_summary(float8[], boolean) returns jsonb');
SELECT function_returns('logistic_summary', ARRAY['double precision[]', 'boolean', 'double precision'],
                        'jsonb', 'logistic_summary(float8[], boolean, float8) returns jsonb');
SELECT function_returns('roc_auc', ARRAY['double precision', 'boolean'],
                        'double precision', 'roc_auc(float8, boolean) returns float8');
SELECT function_returns('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean'],
                        'internal', 'logistic_accum(internal, float8[], boolean) returns internal');
SELECT function_returns('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision'],
                        'internal', 'logistic_accum(internal, float8[], boolean, float8) returns internal');
SELECT function_returns('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision', 'integer'],
                        'internal', 'logistic_accum(internal, float8[], boolean, float8, int) returns internal');
SELECT function_returns('logistic_combine', ARRAY['internal', 'internal'],
                        'internal', 'logistic_combine returns internal');
SELECT function_returns('logistic_serialize', ARRAY['internal'],
                        'bytea', 'logistic_serialize returns bytea');
SELECT function_returns('logistic_deserialize', ARRAY['bytea', 'internal'],
                        'internal', 'logistic_deserialize returns internal');
SELECT function_returns('logistic_final', ARRAY['internal'],
                        'double precision[]', 'logistic_final returns float8[]');
SELECT function_returns('logistic_summary_final', ARRAY['internal'],
                        'jsonb', 'logistic_summary_final returns jsonb');
SELECT function_returns('roc_auc_accum', ARRAY['internal', 'double precision', 'boolean'],
                        'internal', 'roc_auc_accum returns internal');
SELECT function_returns('roc_auc_combine', ARRAY['internal', 'internal'],
                        'internal', 'roc_auc_combine returns internal');
SELECT function_returns('roc_auc_serialize', ARRAY['internal'],
                        'bytea', 'roc_auc_serialize returns bytea');
SELECT function_returns('roc_auc_deserialize', ARRAY['bytea', 'internal'],
                        'internal', 'roc_auc_deserialize returns internal');
SELECT function_returns('roc_auc_final', ARRAY['internal'],
                        'double precision', 'roc_auc_final returns float8');
SELECT function_returns('hit_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                        'double precision', 'hit_at_k returns float8');
SELECT function_returns('precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                        'double precision', 'precision_at_k returns float8');
SELECT function_returns('recall_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                        'double precision', 'recall_at_k returns float8');
SELECT function_returns('ndcg_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                        'double precision', 'ndcg_at_k returns float8');
SELECT function_returns('average_precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                        'double precision', 'average_precision_at_k returns float8');
SELECT function_returns('ets_fit', ARRAY['double precision', 'jsonb'], 'jsonb',
                        'ets_fit returns jsonb');
SELECT function_returns('ets_fit_accum', ARRAY['internal', 'double precision', 'jsonb'],
                        'internal', 'ets_fit_accum returns internal');
SELECT function_returns('ets_fit_final', ARRAY['internal'], 'jsonb',
                        'ets_fit_final returns jsonb');
SELECT function_returns('ets_forecast', ARRAY['jsonb', 'integer'], 'setof record',
                        'ets_forecast returns setof record');
-- item_neighbors and recommend_items return TABLE(...) (setof record)
SELECT function_returns('item_neighbors',
                        ARRAY['text', 'integer', 'text', 'integer', 'double precision'],
                        'setof record', 'item_neighbors returns setof record');
SELECT function_returns('recommend_items',
                        ARRAY['text', 'integer', 'text', 'integer', 'boolean', 'double precision'],
                        'setof record', 'recommend_items returns setof record');

--
-- volatility: everything is IMMUTABLE except the functions that run SQL text (67)
--
SELECT volatility_is('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'cosine_sim is IMMUTABLE');
SELECT volatility_is('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'pearson_sim is IMMUTABLE');
SELECT volatility_is('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'kmeans_assign is IMMUTABLE');
SELECT volatility_is('churn_score', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'churn_score is IMMUTABLE');
SELECT volatility_is('roi', ARRAY['double precision', 'double precision'],
                     'immutable', 'roi(float8, float8) is IMMUTABLE');
SELECT volatility_is('roi', ARRAY['numeric', 'numeric'],
                     'immutable', 'roi(numeric, numeric) is IMMUTABLE');
SELECT volatility_is('roas', ARRAY['double precision', 'double precision'],
                     'immutable', 'roas(float8, float8) is IMMUTABLE');
SELECT volatility_is('roas', ARRAY['numeric', 'numeric'],
                     'immutable', 'roas(numeric, numeric) is IMMUTABLE');
SELECT volatility_is('roi_float8_accum',
                     ARRAY['double precision[]', 'double precision', 'double precision'],
                     'immutable', 'roi_float8_accum is IMMUTABLE');
SELECT volatility_is('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'roi_float8_combine is IMMUTABLE');
SELECT volatility_is('roi_float8_final', ARRAY['double precision[]'],
                     'immutable', 'roi_float8_final is IMMUTABLE');
SELECT volatility_is('roas_float8_final', ARRAY['double precision[]'],
                     'immutable', 'roas_float8_final is IMMUTABLE');
SELECT volatility_is('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                     'immutable', 'roi_numeric_accum is IMMUTABLE');
SELECT volatility_is('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                     'immutable', 'roi_numeric_inv is IMMUTABLE');
SELECT volatility_is('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                     'immutable', 'roi_numeric_combine is IMMUTABLE');
SELECT volatility_is('roi_numeric_final', ARRAY['bytea'],
                     'immutable', 'roi_numeric_final is IMMUTABLE');
SELECT volatility_is('roas_numeric_final', ARRAY['bytea'],
                     'immutable', 'roas_numeric_final is IMMUTABLE');
SELECT volatility_is('kmeans', ARRAY['double precision[]', 'integer'],
                     'immutable', 'kmeans(float8[], int) is IMMUTABLE');
SELECT volatility_is('kmeans', ARRAY['double precision[]', 'integer', 'integer'],
                     'immutable', 'kmeans(float8[], int, int) is IMMUTABLE');
SELECT volatility_is('kmeans', ARRAY['double precision[]', 'integer', 'integer', 'integer'],
                     'immutable', 'kmeans(float8[], int, int, int) is IMMUTABLE');
SELECT volatility_is('kmeans',
                     ARRAY['double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                     'immutable', 'kmeans(float8[], int, int, int, float8) is IMMUTABLE');
SELECT volatility_is('kmeans_inertia', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'kmeans_inertia is IMMUTABLE');
SELECT volatility_is('kmeans_silhouette', ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'kmeans_silhouette is IMMUTABLE');
SELECT volatility_is('kmeans_centroids', ARRAY['double precision[]'],
                     'immutable', 'kmeans_centroids is IMMUTABLE');
SELECT volatility_is('kmeans_accum', ARRAY['internal', 'double precision[]', 'integer'],
                     'immutable', 'kmeans_accum(internal, float8[], int) is IMMUTABLE');
SELECT volatility_is('kmeans_accum',
                     ARRAY['internal', 'double precision[]', 'integer', 'integer'],
                     'immutable', 'kmeans_accum(internal, float8[], int, int) is IMMUTABLE');
SELECT volatility_is('kmeans_accum',
                     ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer'],
                     'immutable', 'kmeans_accum(internal, float8[], int, int, int) is IMMUTABLE');
SELECT volatility_is('kmeans_accum',
                     ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                     'immutable', 'kmeans_accum(internal, float8[], int, int, int, float8) is IMMUTABLE');
SELECT volatility_is('kmeans_combine', ARRAY['internal', 'internal'],
                     'immutable', 'kmeans_combine is IMMUTABLE');
SELECT volatility_is('kmeans_serialize', ARRAY['internal'],
                     'immutable', 'kmeans_serialize is IMMUTABLE');
SELECT volatility_is('kmeans_deserialize', ARRAY['bytea', 'internal'],
                     'immutable', 'kmeans_deserialize is IMMUTABLE');
SELECT volatility_is('kmeans_final', ARRAY['internal'],
                     'immutable', 'kmeans_final is IMMUTABLE');
SELECT volatility_is('kmeans_inertia_accum',
                     ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                     'immutable', 'kmeans_inertia_accum is IMMUTABLE');
SELECT volatility_is('kmeans_silhouette_accum',
                     ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                     'immutable', 'kmeans_silhouette_accum is IMMUTABLE');
SELECT volatility_is('kmeans_pair_combine',
                     ARRAY['double precision[]', 'double precision[]'],
                     'immutable', 'kmeans_pair_combine is IMMUTABLE');
SELECT volatility_is('kmeans_inertia_final', ARRAY['double precision[]'],
                     'immutable', 'kmeans_inertia_final is IMMUTABLE');
SELECT volatility_is('kmeans_silhouette_final', ARRAY['double precision[]'],
                     'immutable', 'kmeans_silhouette_final is IMMUTABLE');

SELECT volatility_is('logistic_fit', ARRAY['double precision[]', 'boolean'],
                     'immutable', 'logistic_fit(float8[], boolean) is IMMUTABLE');
SELECT volatility_is('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision'],
                     'immutable', 'logistic_fit(float8[], boolean, float8) is IMMUTABLE');
SELECT volatility_is('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision', 'integer'],
                     'immutable', 'logistic_fit(float8[], boolean, float8, int) is IMMUTABLE');
SELECT volatility_is('logistic_summary', ARRAY['double precision[]', 'boolean'],
                     'immutable', 'logistic_summary(float8[], boolean) is IMMUTABLE');
SELECT volatility_is('logistic_summary', ARRAY['double precision[]', 'boolean', 'double precision'],
                     'immutable', 'logistic_summary(float8[], boolean, float8) is IMMUTABLE');
SELECT volatility_is('roc_auc', ARRAY['double precision', 'boolean'],
                     'immutable', 'roc_auc(float8, boolean) is IMMUTABLE');
SELECT volatility_is('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean'],
                     'immutable', 'logistic_accum(internal, float8[], boolean) is IMMUTABLE');
SELECT volatility_is('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision'],
                     'immutable', 'logistic_accum(internal, float8[], boolean, float8) is IMMUTABLE');
SELECT volatility_is('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision', 'integer'],
                     'immutable', 'logistic_accum(internal, float8[], boolean, float8, int) is IMMUTABLE');
SELECT volatility_is('logistic_combine', ARRAY['internal', 'internal'],
                     'immutable', 'logistic_combine is IMMUTABLE');
SELECT volatility_is('logistic_serialize', ARRAY['internal'],
                     'immutable', 'logistic_serialize is IMMUTABLE');
SELECT volatility_is('logistic_deserialize', ARRAY['bytea', 'internal'],
                     'immutable', 'logistic_deserialize is IMMUTABLE');
SELECT volatility_is('logistic_final', ARRAY['internal'],
                     'immutable', 'logistic_final is IMMUTABLE');
SELECT volatility_is('logistic_summary_final', ARRAY['internal'],
                     'immutable', 'logistic_summary_final is IMMUTABLE');
SELECT volatility_is('roc_auc_accum', ARRAY['internal', 'double precision', 'boolean'],
                     'immutable', 'roc_auc_accum is IMMUTABLE');
SELECT volatility_is('roc_auc_combine', ARRAY['internal', 'internal'],
                     'immutable', 'roc_auc_combine is IMMUTABLE');
SELECT volatility_is('roc_auc_serialize', ARRAY['internal'],
                     'immutable', 'roc_auc_serialize is IMMUTABLE');
SELECT volatility_is('roc_auc_deserialize', ARRAY['bytea', 'internal'],
                     'immutable', 'roc_auc_deserialize is IMMUTABLE');
SELECT volatility_is('roc_auc_final', ARRAY['internal'],
                     'immutable', 'roc_auc_final is IMMUTABLE');
SELECT volatility_is('hit_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                     'immutable', 'hit_at_k is IMMUTABLE');
SELECT volatility_is('precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                     'immutable', 'precision_at_k is IMMUTABLE');
SELECT volatility_is('recall_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                     'immutable', 'recall_at_k is IMMUTABLE');
SELECT volatility_is('ndcg_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                     'immutable', 'ndcg_at_k is IMMUTABLE');
SELECT volatility_is('average_precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                     'immutable', 'average_precision_at_k is IMMUTABLE');
SELECT volatility_is('ets_fit', ARRAY['double precision', 'jsonb'], 'immutable',
                     'ets_fit is IMMUTABLE');
SELECT volatility_is('ets_fit_accum', ARRAY['internal', 'double precision', 'jsonb'],
                     'immutable', 'ets_fit_accum is IMMUTABLE');
SELECT volatility_is('ets_fit_final', ARRAY['internal'], 'immutable',
                     'ets_fit_final is IMMUTABLE');
SELECT volatility_is('ets_forecast', ARRAY['jsonb', 'integer'], 'immutable',
                     'ets_forecast is IMMUTABLE');
-- except the functions that run SQL text (see aim_runs_sql below)
SELECT volatility_is('item_neighbors',
                     ARRAY['text', 'integer', 'text', 'integer', 'double precision'],
                     'volatile', 'item_neighbors is VOLATILE (it runs SQL text)');
SELECT volatility_is('recommend_items',
                     ARRAY['text', 'integer', 'text', 'integer', 'boolean', 'double precision'],
                     'volatile', 'recommend_items is VOLATILE (it runs SQL text)');

--
-- strictness as declared (50): the user-facing functions and the float8
-- helpers are STRICT; the numeric transition, inverse and combine functions
-- are not (their state starts NULL and NULL rows must be skipped by hand);
-- neither are the kmeans, logistic and roc_auc transition, combine and
-- final functions (a NULL features, label or score skips the row but a NULL
-- parameter is an error, and the internal state starts NULL), while their
-- serialize/deserialize functions are STRICT (PostgreSQL never passes them
-- a NULL state)
--
SELECT is_strict('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                 'cosine_sim is STRICT');
SELECT is_strict('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                 'pearson_sim is STRICT');
SELECT is_strict('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                 'kmeans_assign is STRICT');
SELECT is_strict('churn_score', ARRAY['double precision[]', 'double precision[]'],
                 'churn_score is STRICT');
SELECT is_strict('roi_float8_accum',
                 ARRAY['double precision[]', 'double precision', 'double precision'],
                 'roi_float8_accum is STRICT (skips NULL rows)');
SELECT is_strict('roi_float8_combine', ARRAY['double precision[]', 'double precision[]'],
                 'roi_float8_combine is STRICT');
SELECT is_strict('roi_float8_final', ARRAY['double precision[]'],
                 'roi_float8_final is STRICT');
SELECT is_strict('roas_float8_final', ARRAY['double precision[]'],
                 'roas_float8_final is STRICT');
SELECT is_strict('roi_numeric_final', ARRAY['bytea'],
                 'roi_numeric_final is STRICT');
SELECT is_strict('roas_numeric_final', ARRAY['bytea'],
                 'roas_numeric_final is STRICT');
SELECT isnt_strict('roi_numeric_accum', ARRAY['bytea', 'numeric', 'numeric'],
                   'roi_numeric_accum is not STRICT');
SELECT isnt_strict('roi_numeric_inv', ARRAY['bytea', 'numeric', 'numeric'],
                   'roi_numeric_inv is not STRICT');
SELECT isnt_strict('roi_numeric_combine', ARRAY['bytea', 'bytea'],
                   'roi_numeric_combine is not STRICT');
SELECT is_strict('kmeans_centroids', ARRAY['double precision[]'],
                 'kmeans_centroids is STRICT');
SELECT isnt_strict('kmeans_accum', ARRAY['internal', 'double precision[]', 'integer'],
                   'kmeans_accum(internal, float8[], int) is not STRICT');
SELECT isnt_strict('kmeans_accum',
                   ARRAY['internal', 'double precision[]', 'integer', 'integer'],
                   'kmeans_accum(internal, float8[], int, int) is not STRICT');
SELECT isnt_strict('kmeans_accum',
                   ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer'],
                   'kmeans_accum(internal, float8[], int, int, int) is not STRICT');
SELECT isnt_strict('kmeans_accum',
                   ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                   'kmeans_accum(internal, float8[], int, int, int, float8) is not STRICT');
SELECT isnt_strict('kmeans_combine', ARRAY['internal', 'internal'],
                   'kmeans_combine is not STRICT');
SELECT is_strict('kmeans_serialize', ARRAY['internal'], 'kmeans_serialize is STRICT');
SELECT is_strict('kmeans_deserialize', ARRAY['bytea', 'internal'],
                 'kmeans_deserialize is STRICT');
SELECT isnt_strict('kmeans_final', ARRAY['internal'], 'kmeans_final is not STRICT');
SELECT is_strict('kmeans_inertia_accum',
                 ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                 'kmeans_inertia_accum is STRICT');
SELECT is_strict('kmeans_silhouette_accum',
                 ARRAY['double precision[]', 'double precision[]', 'double precision[]'],
                 'kmeans_silhouette_accum is STRICT');
SELECT is_strict('kmeans_pair_combine', ARRAY['double precision[]', 'double precision[]'],
                 'kmeans_pair_combine is STRICT');
SELECT is_strict('kmeans_inertia_final', ARRAY['double precision[]'],
                 'kmeans_inertia_final is STRICT');
SELECT is_strict('kmeans_silhouette_final', ARRAY['double precision[]'],
                 'kmeans_silhouette_final is STRICT');

SELECT isnt_strict('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean'],
                   'logistic_accum(internal, float8[], boolean) is not STRICT');
SELECT isnt_strict('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision'],
                   'logistic_accum(internal, float8[], boolean, float8) is not STRICT');
SELECT isnt_strict('logistic_accum', ARRAY['internal', 'double precision[]', 'boolean', 'double precision', 'integer'],
                   'logistic_accum(internal, float8[], boolean, float8, int) is not STRICT');
SELECT isnt_strict('logistic_combine', ARRAY['internal', 'internal'],
                   'logistic_combine is not STRICT');
SELECT is_strict('logistic_serialize', ARRAY['internal'],
                 'logistic_serialize is STRICT');
SELECT is_strict('logistic_deserialize', ARRAY['bytea', 'internal'],
                 'logistic_deserialize is STRICT');
SELECT isnt_strict('logistic_final', ARRAY['internal'],
                   'logistic_final is not STRICT');
SELECT isnt_strict('logistic_summary_final', ARRAY['internal'],
                   'logistic_summary_final is not STRICT');
SELECT isnt_strict('roc_auc_accum', ARRAY['internal', 'double precision', 'boolean'],
                   'roc_auc_accum is not STRICT');
SELECT isnt_strict('roc_auc_combine', ARRAY['internal', 'internal'],
                   'roc_auc_combine is not STRICT');
SELECT is_strict('roc_auc_serialize', ARRAY['internal'],
                 'roc_auc_serialize is STRICT');
SELECT is_strict('roc_auc_deserialize', ARRAY['bytea', 'internal'],
                 'roc_auc_deserialize is STRICT');
SELECT isnt_strict('roc_auc_final', ARRAY['internal'],
                   'roc_auc_final is not STRICT');
SELECT is_strict('hit_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                 'hit_at_k is STRICT');
SELECT is_strict('precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                 'precision_at_k is STRICT');
SELECT is_strict('recall_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                 'recall_at_k is STRICT');
SELECT is_strict('ndcg_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                 'ndcg_at_k is STRICT');
SELECT is_strict('average_precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                 'average_precision_at_k is STRICT');
-- ets_fit_accum sees NULL values (an error: the caller fills missing
-- periods) and NULL options (the defaults); the final function and
-- ets_forecast are STRICT
SELECT isnt_strict('ets_fit_accum', ARRAY['internal', 'double precision', 'jsonb'],
                   'ets_fit_accum is not STRICT');
SELECT is_strict('ets_fit_final', ARRAY['internal'], 'ets_fit_final is STRICT');
SELECT is_strict('ets_forecast', ARRAY['jsonb', 'integer'], 'ets_forecast is STRICT');
-- NULL arguments are errors (22004), except recommend_items' neighbors
-- (NULL = every neighbour), so neither is STRICT
SELECT isnt_strict('item_neighbors',
                   ARRAY['text', 'integer', 'text', 'integer', 'double precision'],
                   'item_neighbors is not STRICT');
SELECT isnt_strict('recommend_items',
                   ARRAY['text', 'integer', 'text', 'integer', 'boolean', 'double precision'],
                   'recommend_items is not STRICT');

--
-- kinds (30)
--
SELECT is_aggregate('roi', ARRAY['double precision', 'double precision'],
                    'roi(float8, float8) is an aggregate');
SELECT is_aggregate('roi', ARRAY['numeric', 'numeric'],
                    'roi(numeric, numeric) is an aggregate');
SELECT is_aggregate('roas', ARRAY['double precision', 'double precision'],
                    'roas(float8, float8) is an aggregate');
SELECT is_aggregate('roas', ARRAY['numeric', 'numeric'],
                    'roas(numeric, numeric) is an aggregate');
SELECT isnt_aggregate('cosine_sim', ARRAY['double precision[]', 'double precision[]'],
                      'cosine_sim is a plain function');
SELECT isnt_aggregate('pearson_sim', ARRAY['double precision[]', 'double precision[]'],
                      'pearson_sim is a plain function');
SELECT isnt_aggregate('kmeans_assign', ARRAY['double precision[]', 'double precision[]'],
                      'kmeans_assign is a plain function');
SELECT isnt_aggregate('churn_score', ARRAY['double precision[]', 'double precision[]'],
                      'churn_score is a plain function');
SELECT is_aggregate('kmeans', ARRAY['double precision[]', 'integer'],
                    'kmeans(float8[], int) is an aggregate');
SELECT is_aggregate('kmeans', ARRAY['double precision[]', 'integer', 'integer'],
                    'kmeans(float8[], int, int) is an aggregate');
SELECT is_aggregate('kmeans', ARRAY['double precision[]', 'integer', 'integer', 'integer'],
                    'kmeans(float8[], int, int, int) is an aggregate');
SELECT is_aggregate('kmeans',
                    ARRAY['double precision[]', 'integer', 'integer', 'integer', 'double precision'],
                    'kmeans(float8[], int, int, int, float8) is an aggregate');
SELECT is_aggregate('kmeans_inertia', ARRAY['double precision[]', 'double precision[]'],
                    'kmeans_inertia(float8[], float8[]) is an aggregate');
SELECT is_aggregate('kmeans_silhouette', ARRAY['double precision[]', 'double precision[]'],
                    'kmeans_silhouette(float8[], float8[]) is an aggregate');
SELECT isnt_aggregate('kmeans_centroids', ARRAY['double precision[]'],
                      'kmeans_centroids is a plain function');
SELECT isnt_aggregate('hit_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                      'hit_at_k is a plain function');
SELECT isnt_aggregate('precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                      'precision_at_k is a plain function');
SELECT isnt_aggregate('recall_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                      'recall_at_k is a plain function');
SELECT isnt_aggregate('ndcg_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                      'ndcg_at_k is a plain function');
SELECT isnt_aggregate('average_precision_at_k', ARRAY['anyarray', 'anyarray', 'integer'],
                      'average_precision_at_k is a plain function');
SELECT isnt_aggregate('item_neighbors',
                      ARRAY['text', 'integer', 'text', 'integer', 'double precision'],
                      'item_neighbors is a plain function');
SELECT is_aggregate('ets_fit', ARRAY['double precision', 'jsonb'], 'ets_fit is an aggregate');
SELECT isnt_aggregate('ets_forecast', ARRAY['jsonb', 'integer'], 'ets_forecast is a plain function');
SELECT isnt_aggregate('recommend_items',
                      ARRAY['text', 'integer', 'text', 'integer', 'boolean', 'double precision'],
                      'recommend_items is a plain function');

SELECT is_aggregate('logistic_fit', ARRAY['double precision[]', 'boolean'],
                    'logistic_fit(float8[], boolean) is an aggregate');
SELECT is_aggregate('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision'],
                    'logistic_fit(float8[], boolean, float8) is an aggregate');
SELECT is_aggregate('logistic_fit', ARRAY['double precision[]', 'boolean', 'double precision', 'integer'],
                    'logistic_fit(float8[], boolean, float8, int) is an aggregate');
SELECT is_aggregate('logistic_summary', ARRAY['double precision[]', 'boolean'],
                    'logistic_summary(float8[], boolean) is an aggregate');
SELECT is_aggregate('logistic_summary', ARRAY['double precision[]', 'boolean', 'double precision'],
                    'logistic_summary(float8[], boolean, float8) is an aggregate');
SELECT is_aggregate('roc_auc', ARRAY['double precision', 'boolean'],
                    'roc_auc(float8, boolean) is an aggregate');

-- the aggregates are exactly these 123 (every other function of the
-- extension is a plain function: no procedure, no window function), none
-- declared STRICT
SELECT is(ARRAY(SELECT sig || ' ' || prokind::text || ' ' || p.proisstrict::text
                  FROM aim_ext_procs a JOIN pg_proc p USING (oid, prokind)
                 WHERE prokind <> 'f' ORDER BY sig COLLATE "C"),
          ARRAY['average_precision(double precision,bigint) a false',
                'average_precision(double precision,bigint,double precision) a false',
                'average_precision(double precision,boolean) a false',
                'average_precision(double precision,boolean,double precision) a false',
                'average_precision(double precision,integer) a false',
                'average_precision(double precision,integer,double precision) a false',
                'average_precision(double precision,smallint) a false',
                'average_precision(double precision,smallint,double precision) a false',
                'ets_fit(double precision,jsonb) a false',
                'gains_table(double precision,bigint) a false',
                'gains_table(double precision,bigint,integer) a false',
                'gains_table(double precision,boolean) a false',
                'gains_table(double precision,boolean,integer) a false',
                'gains_table(double precision,integer) a false',
                'gains_table(double precision,integer,integer) a false',
                'gains_table(double precision,smallint) a false',
                'gains_table(double precision,smallint,integer) a false',
                'kmeans(double precision[],integer) a false',
                'kmeans(double precision[],integer,double precision[]) a false',
                'kmeans(double precision[],integer,double precision[],integer,double precision) a false',
                'kmeans(double precision[],integer,integer) a false',
                'kmeans(double precision[],integer,integer,integer) a false',
                'kmeans(double precision[],integer,integer,integer,double precision) a false',
                'kmeans(double precision[],integer,integer,integer,double precision,integer) a false',
                'kmeans_inertia(double precision[],double precision[]) a false',
                'kmeans_silhouette(double precision[],double precision[]) a false',
                'linear_fit(double precision[],double precision) a false',
                'linear_fit(double precision[],double precision,double precision) a false',
                'linear_summary(double precision[],double precision) a false',
                'linear_summary(double precision[],double precision,double precision) a false',
                'linear_summary(double precision[],double precision,double precision,text[]) a false',
                'logistic_fit(double precision[],bigint) a false',
                'logistic_fit(double precision[],bigint,double precision) a false',
                'logistic_fit(double precision[],bigint,double precision,integer) a false',
                'logistic_fit(double precision[],boolean) a false',
                'logistic_fit(double precision[],boolean,double precision) a false',
                'logistic_fit(double precision[],boolean,double precision,integer) a false',
                'logistic_fit(double precision[],integer) a false',
                'logistic_fit(double precision[],integer,double precision) a false',
                'logistic_fit(double precision[],integer,double precision,integer) a false',
                'logistic_fit(double precision[],smallint) a false',
                'logistic_fit(double precision[],smallint,double precision) a false',
                'logistic_fit(double precision[],smallint,double precision,integer) a false',
                'logistic_fit_weighted(double precision[],bigint,double precision) a false',
                'logistic_fit_weighted(double precision[],bigint,double precision,double precision) a false',
                'logistic_fit_weighted(double precision[],bigint,double precision,double precision,integer) a false',
                'logistic_fit_weighted(double precision[],boolean,double precision) a false',
                'logistic_fit_weighted(double precision[],boolean,double precision,double precision) a false',
                'logistic_fit_weighted(double precision[],boolean,double precision,double precision,integer) a false',
                'logistic_fit_weighted(double precision[],integer,double precision) a false',
                'logistic_fit_weighted(double precision[],integer,double precision,double precision) a false',
                'logistic_fit_weighted(double precision[],integer,double precision,double precision,integer) a false',
                'logistic_fit_weighted(double precision[],smallint,double precision) a false',
                'logistic_fit_weighted(double precision[],smallint,double precision,double precision) a false',
                'logistic_fit_weighted(double precision[],smallint,double precision,double precision,integer) a false',
                'logistic_summary(double precision[],bigint) a false',
                'logistic_summary(double precision[],bigint,double precision) a false',
                'logistic_summary(double precision[],bigint,double precision,text[]) a false',
                'logistic_summary(double precision[],boolean) a false',
                'logistic_summary(double precision[],boolean,double precision) a false',
                'logistic_summary(double precision[],boolean,double precision,text[]) a false',
                'logistic_summary(double precision[],integer) a false',
                'logistic_summary(double precision[],integer,double precision) a false',
                'logistic_summary(double precision[],integer,double precision,text[]) a false',
                'logistic_summary(double precision[],smallint) a false',
                'logistic_summary(double precision[],smallint,double precision) a false',
                'logistic_summary(double precision[],smallint,double precision,text[]) a false',
                'logistic_summary_weighted(double precision[],bigint,double precision) a false',
                'logistic_summary_weighted(double precision[],bigint,double precision,double precision) a false',
                'logistic_summary_weighted(double precision[],bigint,double precision,double precision,text[]) a false',
                'logistic_summary_weighted(double precision[],boolean,double precision) a false',
                'logistic_summary_weighted(double precision[],boolean,double precision,double precision) a false',
                'logistic_summary_weighted(double precision[],boolean,double precision,double precision,text[]) a false',
                'logistic_summary_weighted(double precision[],integer,double precision) a false',
                'logistic_summary_weighted(double precision[],integer,double precision,double precision) a false',
                'logistic_summary_weighted(double precision[],integer,double precision,double precision,text[]) a false',
                'logistic_summary_weighted(double precision[],smallint,double precision) a false',
                'logistic_summary_weighted(double precision[],smallint,double precision,double precision) a false',
                'logistic_summary_weighted(double precision[],smallint,double precision,double precision,text[]) a false',
                'precision_recall_curve(double precision,bigint) a false',
                'precision_recall_curve(double precision,bigint,double precision) a false',
                'precision_recall_curve(double precision,boolean) a false',
                'precision_recall_curve(double precision,boolean,double precision) a false',
                'precision_recall_curve(double precision,integer) a false',
                'precision_recall_curve(double precision,integer,double precision) a false',
                'precision_recall_curve(double precision,smallint) a false',
                'precision_recall_curve(double precision,smallint,double precision) a false',
                'roas(double precision,double precision) a false',
                'roas(numeric,numeric) a false',
                'roc_auc(double precision,bigint) a false',
                'roc_auc(double precision,bigint,double precision) a false',
                'roc_auc(double precision,boolean) a false',
                'roc_auc(double precision,boolean,double precision) a false',
                'roc_auc(double precision,integer) a false',
                'roc_auc(double precision,integer,double precision) a false',
                'roc_auc(double precision,smallint) a false',
                'roc_auc(double precision,smallint,double precision) a false',
                'roc_curve(double precision,bigint) a false',
                'roc_curve(double precision,bigint,double precision) a false',
                'roc_curve(double precision,bigint,double precision,boolean) a false',
                'roc_curve(double precision,boolean) a false',
                'roc_curve(double precision,boolean,double precision) a false',
                'roc_curve(double precision,boolean,double precision,boolean) a false',
                'roc_curve(double precision,integer) a false',
                'roc_curve(double precision,integer,double precision) a false',
                'roc_curve(double precision,integer,double precision,boolean) a false',
                'roc_curve(double precision,smallint) a false',
                'roc_curve(double precision,smallint,double precision) a false',
                'roc_curve(double precision,smallint,double precision,boolean) a false',
                'roi(double precision,double precision) a false',
                'roi(numeric,numeric) a false',
                'silhouette_score(double precision[],integer) a false',
                'silhouette_score(double precision[],integer,integer) a false',
                'silhouette_score(double precision[],integer,integer,integer) a false'],
          'the 123 aggregates (none STRICT) are the only functions of the extension that are not plain functions');

--
-- catalogue-wide rules over everything the extension owns (8)
--
SELECT is((SELECT count(*)::int FROM aim_ext_procs), 234,
          'pg_depend finds the extension''s 234 functions');
-- the functions that run SQL text through SPI: the query may call
-- functions that are not parallel safe, and must not run inside a parallel
-- operation (src/basket.c), so they are VOLATILE and PARALLEL UNSAFE
CREATE TEMP VIEW aim_runs_sql (sig) AS VALUES
    ('apriori_rules(text,double precision,double precision,integer,text,double precision)'),
    ('frequent_itemsets(text,double precision,integer)'),
    ('frequent_itemsets(text,double precision,integer,text)'),
    ('item_neighbors(text,integer,text,integer,double precision)'),
    ('recommend_items(text,integer,text,integer,boolean,double precision)');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE p.proparallel <> 's'
                   AND a.sig NOT IN (SELECT sig FROM aim_runs_sql) ORDER BY 1),
          '{}'::text[],
          'every function and aggregate of the extension is PARALLEL SAFE, except those that run SQL text');
SELECT is(ARRAY(SELECT a.sig || ': ' || p.provolatile::text || ' ' || p.proparallel::text
                  FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE a.sig IN (SELECT sig FROM aim_runs_sql) ORDER BY 1),
          ARRAY['apriori_rules(text,double precision,double precision,integer,text,double precision): v u',
                'frequent_itemsets(text,double precision,integer): v u',
                'frequent_itemsets(text,double precision,integer,text): v u',
                'item_neighbors(text,integer,text,integer,double precision): v u',
                'recommend_items(text,integer,text,integer,boolean,double precision): v u'],
          'the functions that run SQL text (and only they) are VOLATILE and PARALLEL UNSAFE');
SELECT is(ARRAY(SELECT sig FROM aim_ext_procs
                 WHERE obj_description(oid, 'pg_proc') IS NULL
                    OR obj_description(oid, 'pg_proc') = '' ORDER BY 1),
          '{}'::text[],
          'every function and aggregate of the extension has a COMMENT');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE p.prosecdef ORDER BY 1),
          '{}'::text[],
          'no function of the extension is SECURITY DEFINER');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE p.proconfig IS NOT NULL ORDER BY 1),
          '{}'::text[],
          'no function of the extension carries a SET clause');
-- DESIGN.md prefers ordinary state types (Citus pushdown); kmeans keeps an
-- internal point buffer on purpose (src/kmeans.c), logistic_fit,
-- logistic_summary and roc_auc keep their rows in memory on purpose
-- (src/logistic.c, src/classifier_eval.c; roc_curve,
-- precision_recall_curve, average_precision and gains_table share
-- roc_auc's state), and they must then serialize
SELECT is(ARRAY(SELECT DISTINCT p.proname::text FROM aim_ext_procs a
                  JOIN pg_aggregate g ON g.aggfnoid = a.oid
                  JOIN pg_proc p ON p.oid = a.oid
                 WHERE g.aggtranstype = 'internal'::regtype
                    OR g.aggmtranstype = 'internal'::regtype ORDER BY 1),
          '{average_precision,ets_fit,gains_table,kmeans,logistic_fit,logistic_fit_weighted,logistic_summary,logistic_summary_weighted,precision_recall_curve,roc_auc,roc_curve,silhouette_score}'::text[],
          'only the in-memory aggregates (ets_fit, kmeans, logistic_fit, logistic_summary and their weighted forms, roc_auc and the curves sharing its state, silhouette_score) keep an internal state (DESIGN.md: ordinary types for Citus pushdown)');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a
                  JOIN pg_aggregate g ON g.aggfnoid = a.oid
                 WHERE g.aggtranstype = 'internal'::regtype
                   AND (g.aggserialfn = 0 OR g.aggdeserialfn = 0) ORDER BY 1),
          ARRAY['ets_fit(double precision,jsonb)'],
          'every aggregate with an internal state has serialize and deserialize functions, except ets_fit (no combine function: see the head of this file)');
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a
                  JOIN pg_aggregate g ON g.aggfnoid = a.oid
                 WHERE g.aggcombinefn = 0 ORDER BY 1),
          ARRAY['ets_fit(double precision,jsonb)'],
          'every aggregate of the extension has a combine function, except ets_fit (ordered input: see the head of this file)');

--
-- the four roi/roas aggregates: transition and final functions, combine,
-- inverse, state types (9)
--
SELECT is(ARRAY(SELECT format('%s: %s/%s/%s', aggfnoid::regprocedure, aggtransfn, aggfinalfn,
                              aggmtransfn)
                  FROM pg_aggregate
                 WHERE aggfnoid IN ('roi(float8, float8)'::regprocedure, 'roas(float8, float8)'::regprocedure,
                                    'roi(numeric, numeric)'::regprocedure,
                                    'roas(numeric, numeric)'::regprocedure)
                 ORDER BY 1),
          ARRAY['roas(double precision,double precision): roi_float8_accum/roas_float8_final/-',
                'roas(numeric,numeric): roi_numeric_accum/roas_numeric_final/roi_numeric_accum',
                'roi(double precision,double precision): roi_float8_accum/roi_float8_final/-',
                'roi(numeric,numeric): roi_numeric_accum/roi_numeric_final/roi_numeric_accum'],
          'roi/roas: transition, final and moving transition functions (roas shares roi''s state)');
SELECT is((SELECT aggcombinefn::regproc::text FROM pg_aggregate
            WHERE aggfnoid = 'roi(float8, float8)'::regprocedure),
          'roi_float8_combine', 'roi(float8, float8) combines with roi_float8_combine');
SELECT is((SELECT aggcombinefn::regproc::text FROM pg_aggregate
            WHERE aggfnoid = 'roas(float8, float8)'::regprocedure),
          'roi_float8_combine', 'roas(float8, float8) combines with roi_float8_combine');
SELECT is((SELECT aggcombinefn::regproc::text || ' ' || aggminvtransfn::regproc::text
             FROM pg_aggregate
            WHERE aggfnoid = 'roi(numeric, numeric)'::regprocedure AND aggcombinefn <> 0
              AND aggminvtransfn <> 0),
          'roi_numeric_combine roi_numeric_inv',
          'roi(numeric, numeric) has a combine function and a moving-aggregate inverse');
SELECT is((SELECT aggcombinefn::regproc::text || ' ' || aggminvtransfn::regproc::text
             FROM pg_aggregate
            WHERE aggfnoid = 'roas(numeric, numeric)'::regprocedure AND aggcombinefn <> 0
              AND aggminvtransfn <> 0),
          'roi_numeric_combine roi_numeric_inv',
          'roas(numeric, numeric) has a combine function and a moving-aggregate inverse');
SELECT is((SELECT aggminvtransfn::oid FROM pg_aggregate
            WHERE aggfnoid = 'roi(float8, float8)'::regprocedure),
          0::oid, 'roi(float8, float8) has no inverse (float subtraction is not exact)');
SELECT is((SELECT aggminvtransfn::oid FROM pg_aggregate
            WHERE aggfnoid = 'roas(float8, float8)'::regprocedure),
          0::oid, 'roas(float8, float8) has no inverse (float subtraction is not exact)');
SELECT is((SELECT array_agg(DISTINCT format_type(aggtranstype, NULL)
                            || '/' || agginitval)
             FROM pg_aggregate
            WHERE aggfnoid IN ('roi(float8, float8)'::regprocedure,
                               'roas(float8, float8)'::regprocedure)),
          ARRAY['double precision[]/{0,0,0}'],
          'float8 roi/roas keep a float8[3] state starting at {0,0,0}');
SELECT is((SELECT array_agg(DISTINCT format_type(aggtranstype, NULL) || '/'
                            || format_type(aggmtranstype, NULL) || '/'
                            || coalesce(agginitval, 'no initcond'))
             FROM pg_aggregate
            WHERE aggfnoid IN ('roi(numeric, numeric)'::regprocedure,
                               'roas(numeric, numeric)'::regprocedure)),
          ARRAY['bytea/bytea/no initcond'],
          'numeric roi/roas keep a bytea state (plain and moving)');

--
-- the k-means aggregates (6)
--
-- each kmeans overload: its own transition function (same argument types
-- after the internal state), an internal state with combine, serialize and
-- deserialize functions (parallel aggregation), and a final function that
-- leaves the state alone (READ_ONLY), so that it can run as a window
-- aggregate, where the final function is called once per frame
SELECT is((SELECT format('%s/%s/%s/%s/%s/%s/%s/%s', aggtransfn::regprocedure,
                         format_type(aggtranstype, NULL), aggfinalfn, aggcombinefn,
                         aggserialfn, aggdeserialfn, aggfinalmodify,
                         coalesce(agginitval, 'no initcond'))
             FROM pg_aggregate WHERE aggfnoid = sig::regprocedure),
          format('kmeans_accum(internal,%s)/internal/kmeans_final/kmeans_combine/'
                 'kmeans_serialize/kmeans_deserialize/r/no initcond', args),
          format('%s: kmeans_accum, internal state, combine, serialize, deserialize, '
                 'read-only final function', sig))
  FROM (VALUES (1, 'kmeans(float8[], int)',
                'double precision[],integer'),
               (2, 'kmeans(float8[], int, int)',
                'double precision[],integer,integer'),
               (3, 'kmeans(float8[], int, int, int)',
                'double precision[],integer,integer,integer'),
               (4, 'kmeans(float8[], int, int, int, float8)',
                'double precision[],integer,integer,integer,double precision'))
       v(n, sig, args)
 ORDER BY n;
-- kmeans_inertia and kmeans_silhouette: an ordinary float8[2] state (Citus
-- can push them down), a shared combine function, no serialization needed
SELECT is((SELECT format('%s/%s/%s/%s/%s/%s/%s', aggtransfn, format_type(aggtranstype, NULL),
                         agginitval, aggfinalfn, aggcombinefn, aggserialfn::oid,
                         aggdeserialfn::oid)
             FROM pg_aggregate WHERE aggfnoid = sig::regprocedure),
          want, format('%s: float8[] state {0,0}, %s', sig, want))
  FROM (VALUES (1, 'kmeans_inertia(float8[], float8[])',
                'kmeans_inertia_accum/double precision[]/{0,0}/kmeans_inertia_final/kmeans_pair_combine/0/0'),
               (2, 'kmeans_silhouette(float8[], float8[])',
                'kmeans_silhouette_accum/double precision[]/{0,0}/kmeans_silhouette_final/kmeans_pair_combine/0/0'))
       v(n, sig, want)
 ORDER BY n;

--
-- the churn aggregates (6)
--
-- logistic_fit, logistic_summary and roc_auc, as kmeans: the transition
-- function overload with the aggregate's argument types after the internal
-- state (logistic_fit and logistic_summary share logistic_accum), combine,
-- serialize and deserialize functions, and a read-only final function
SELECT is((SELECT format('%s/%s/%s/%s/%s/%s/%s/%s', aggtransfn::regprocedure,
                         format_type(aggtranstype, NULL), aggfinalfn, aggcombinefn,
                         aggserialfn, aggdeserialfn, aggfinalmodify,
                         coalesce(agginitval, 'no initcond'))
             FROM pg_aggregate WHERE aggfnoid = sig::regprocedure),
          want,
          format('%s: %s', sig, want))
  FROM (VALUES (1, 'logistic_fit(float8[], boolean)',
                'logistic_accum(internal,double precision[],boolean)/internal/logistic_final/'
                'logistic_combine/logistic_serialize/logistic_deserialize/r/no initcond'),
               (2, 'logistic_fit(float8[], boolean, float8)',
                'logistic_accum(internal,double precision[],boolean,double precision)/internal/'
                'logistic_final/logistic_combine/logistic_serialize/logistic_deserialize/r/no initcond'),
               (3, 'logistic_fit(float8[], boolean, float8, int)',
                'logistic_accum(internal,double precision[],boolean,double precision,integer)/'
                'internal/logistic_final/logistic_combine/logistic_serialize/logistic_deserialize/'
                'r/no initcond'),
               (4, 'logistic_summary(float8[], boolean)',
                'logistic_accum(internal,double precision[],boolean)/internal/logistic_summary_final/'
                'logistic_combine/logistic_serialize/logistic_deserialize/r/no initcond'),
               (5, 'logistic_summary(float8[], boolean, float8)',
                'logistic_accum(internal,double precision[],boolean,double precision)/internal/'
                'logistic_summary_final/logistic_combine/logistic_serialize/logistic_deserialize/'
                'r/no initcond'),
               (6, 'roc_auc(float8, boolean)',
                'roc_auc_accum(internal,double precision,boolean)/internal/roc_auc_final/'
                'roc_auc_combine/roc_auc_serialize/roc_auc_deserialize/r/no initcond'))
       v(n, sig, want)
 ORDER BY n;

-- argument names, as DESIGN.md spells them (psql's \df, BI tools) (26)
SELECT is(pg_get_function_arguments(sig::regprocedure), want,
          format('%s has the arguments %s', sig, want))
  FROM (VALUES (1, 'kmeans(float8[], int)', 'features double precision[], k integer'),
               (2, 'kmeans(float8[], int, int)',
                'features double precision[], k integer, seed integer'),
               (3, 'kmeans(float8[], int, int, int)',
                'features double precision[], k integer, seed integer, max_iter integer'),
               (4, 'kmeans(float8[], int, int, int, float8)',
                'features double precision[], k integer, seed integer, max_iter integer, '
                'tolerance double precision'),
               (5, 'kmeans_inertia(float8[], float8[])',
                'features double precision[], centroids double precision[]'),
               (6, 'kmeans_silhouette(float8[], float8[])',
                'features double precision[], centroids double precision[]'),
               (7, 'kmeans_centroids(float8[])', 'centroids double precision[]'),
               (8, 'logistic_fit(float8[], boolean)', 'features double precision[], label boolean'),
               (9, 'logistic_fit(float8[], boolean, float8)',
                'features double precision[], label boolean, l2 double precision'),
               (10, 'logistic_fit(float8[], boolean, float8, int)',
                'features double precision[], label boolean, l2 double precision, max_iter integer'),
               (11, 'logistic_summary(float8[], boolean)',
                'features double precision[], label boolean'),
               (12, 'logistic_summary(float8[], boolean, float8)',
                'features double precision[], label boolean, l2 double precision'),
               (13, 'roc_auc(float8, boolean)', 'score double precision, label boolean'),
               (14, 'hit_at_k(anyarray, anyarray, int)',
                'recommended anyarray, relevant anyarray, k integer'),
               (15, 'precision_at_k(anyarray, anyarray, int)',
                'recommended anyarray, relevant anyarray, k integer'),
               (16, 'recall_at_k(anyarray, anyarray, int)',
                'recommended anyarray, relevant anyarray, k integer'),
               (17, 'ndcg_at_k(anyarray, anyarray, int)',
                'recommended anyarray, relevant anyarray, k integer'),
               (18, 'average_precision_at_k(anyarray, anyarray, int)',
                'recommended anyarray, relevant anyarray, k integer'),
               (19, 'item_neighbors(text, int, text, int, float8)',
                'interactions_sql text, k integer DEFAULT 20, similarity text DEFAULT ''cosine''::text, '
                'min_common integer DEFAULT 1, l2 double precision DEFAULT 500'),
               (20, 'recommend_items(text, int, text, int, boolean, float8)',
                'interactions_sql text, k integer DEFAULT 10, similarity text DEFAULT ''cosine''::text, '
                'neighbors integer DEFAULT 20, exclude_owned boolean DEFAULT true, '
                'l2 double precision DEFAULT 500'),
               (21, 'ets_fit(float8, jsonb)', 'value double precision, options jsonb'),
               (22, 'ets_forecast(jsonb, int)', 'model jsonb, horizon integer'))
       v(n, sig, want)
 ORDER BY n;
SELECT is(pg_get_function_result('kmeans_centroids(float8[])'::regprocedure),
          'TABLE(cluster integer, centroid double precision[])',
          'kmeans_centroids returns TABLE(cluster int, centroid float8[])');
SELECT is(pg_get_function_result('item_neighbors(text, int, text, int, float8)'::regprocedure),
          'TABLE(item text, neighbor text, similarity double precision, common bigint, rank integer)',
          'item_neighbors returns TABLE(item text, neighbor text, similarity float8, common bigint, rank int)');
SELECT is(pg_get_function_result('recommend_items(text, int, text, int, boolean, float8)'::regprocedure),
          'TABLE(customer text, item text, score double precision, rank integer)',
          'recommend_items returns TABLE(customer text, item text, score float8, rank int)');
SELECT is(pg_get_function_result('ets_forecast(jsonb, int)'::regprocedure),
          'TABLE(step integer, forecast double precision)',
          'ets_forecast returns TABLE(step int, forecast float8)');

-- silhouette_score (issue 14), as kmeans: its own transition function
-- overload, an internal state (the rows) with combine, serialize and
-- deserialize functions, a read-only final function; argument names; the
-- transition, combine and final functions are not STRICT (a NULL row is
-- skipped, a NULL parameter is an error, the state starts NULL), the
-- serialization functions are (16)
SELECT is((SELECT format('%s/%s/%s/%s/%s/%s/%s/%s', aggtransfn::regprocedure,
                         format_type(aggtranstype, NULL), aggfinalfn, aggcombinefn,
                         aggserialfn, aggdeserialfn, aggfinalmodify,
                         coalesce(agginitval, 'no initcond'))
             FROM pg_aggregate WHERE aggfnoid = sig::regprocedure),
          format('silhouette_accum(internal,%s)/internal/silhouette_final/silhouette_combine/'
                 'silhouette_serialize/silhouette_deserialize/r/no initcond', args),
          format('%s: silhouette_accum, internal state, combine, serialize, deserialize, '
                 'read-only final function', sig))
  FROM (VALUES (1, 'silhouette_score(float8[], int)', 'double precision[],integer'),
               (2, 'silhouette_score(float8[], int, int)', 'double precision[],integer,integer'),
               (3, 'silhouette_score(float8[], int, int, int)',
                'double precision[],integer,integer,integer'))
       v(n, sig, args)
 ORDER BY n;
SELECT is(pg_get_function_arguments(sig::regprocedure), want,
          format('%s has the arguments %s', sig, want))
  FROM (VALUES (1, 'silhouette_score(float8[], int)',
                'features double precision[], cluster integer'),
               (2, 'silhouette_score(float8[], int, int)',
                'features double precision[], cluster integer, sample_size integer'),
               (3, 'silhouette_score(float8[], int, int, int)',
                'features double precision[], cluster integer, sample_size integer, seed integer'))
       v(n, sig, want)
 ORDER BY n;
SELECT is_aggregate('silhouette_score', ARRAY['double precision[]', 'integer'],
                    'silhouette_score(float8[], int) is an aggregate');
SELECT is_aggregate('silhouette_score', ARRAY['double precision[]', 'integer', 'integer'],
                    'silhouette_score(float8[], int, int) is an aggregate');
SELECT is_aggregate('silhouette_score', ARRAY['double precision[]', 'integer', 'integer', 'integer'],
                    'silhouette_score(float8[], int, int, int) is an aggregate');
SELECT isnt_strict('silhouette_accum', ARRAY['internal', 'double precision[]', 'integer'],
                   'silhouette_accum(internal, float8[], int) is not STRICT');
SELECT isnt_strict('silhouette_accum', ARRAY['internal', 'double precision[]', 'integer', 'integer'],
                   'silhouette_accum(internal, float8[], int, int) is not STRICT');
SELECT isnt_strict('silhouette_accum',
                   ARRAY['internal', 'double precision[]', 'integer', 'integer', 'integer'],
                   'silhouette_accum(internal, float8[], int, int, int) is not STRICT');
SELECT isnt_strict('silhouette_combine', ARRAY['internal', 'internal'],
                   'silhouette_combine is not STRICT');
SELECT is_strict('silhouette_serialize', ARRAY['internal'], 'silhouette_serialize is STRICT');
SELECT is_strict('silhouette_deserialize', ARRAY['bytea', 'internal'],
                 'silhouette_deserialize is STRICT');
SELECT isnt_strict('silhouette_final', ARRAY['internal'], 'silhouette_final is not STRICT');

-- Functions with an internal argument cannot be called from SQL (no SQL
-- expression has type internal); the only such functions are the support
-- functions of ets_fit, kmeans, logistic_fit/logistic_summary and roc_auc, so any
-- new one gets looked at here.  Those that do not return internal either
-- are STRICT or cope with a NULL state. (1)
SELECT is(ARRAY(SELECT a.sig FROM aim_ext_procs a JOIN pg_proc p ON p.oid = a.oid
                 WHERE 'internal'::regtype = ANY (p.proargtypes::oid[])
                 ORDER BY a.sig COLLATE "C"),
          ARRAY['average_precision_final(internal)',
                'ets_fit_accum(internal,double precision,jsonb)',
                'ets_fit_final(internal)',
                'gains_final(internal)',
                'kmeans_accum(internal,double precision[],integer)',
                'kmeans_accum(internal,double precision[],integer,integer)',
                'kmeans_accum(internal,double precision[],integer,integer,integer)',
                'kmeans_accum(internal,double precision[],integer,integer,integer,double precision)',
                'kmeans_accum(internal,double precision[],integer,integer,integer,double precision,integer)',
                'kmeans_accum_init(internal,double precision[],integer,double precision[])',
                'kmeans_accum_init(internal,double precision[],integer,double precision[],integer,double precision)',
                'kmeans_combine(internal,internal)',
                'kmeans_deserialize(bytea,internal)',
                'kmeans_final(internal)',
                'kmeans_serialize(internal)',
                'logistic_accum(internal,double precision[],bigint)',
                'logistic_accum(internal,double precision[],bigint,double precision)',
                'logistic_accum(internal,double precision[],bigint,double precision,integer)',
                'logistic_accum(internal,double precision[],bigint,double precision,text[])',
                'logistic_accum(internal,double precision[],boolean)',
                'logistic_accum(internal,double precision[],boolean,double precision)',
                'logistic_accum(internal,double precision[],boolean,double precision,integer)',
                'logistic_accum(internal,double precision[],boolean,double precision,text[])',
                'logistic_accum(internal,double precision[],integer)',
                'logistic_accum(internal,double precision[],integer,double precision)',
                'logistic_accum(internal,double precision[],integer,double precision,integer)',
                'logistic_accum(internal,double precision[],integer,double precision,text[])',
                'logistic_accum(internal,double precision[],smallint)',
                'logistic_accum(internal,double precision[],smallint,double precision)',
                'logistic_accum(internal,double precision[],smallint,double precision,integer)',
                'logistic_accum(internal,double precision[],smallint,double precision,text[])',
                'logistic_combine(internal,internal)',
                'logistic_deserialize(bytea,internal)',
                'logistic_final(internal)',
                'logistic_serialize(internal)',
                'logistic_summary_final(internal)',
                'logistic_weighted_accum(internal,double precision[],bigint,double precision)',
                'logistic_weighted_accum(internal,double precision[],bigint,double precision,double precision)',
                'logistic_weighted_accum(internal,double precision[],bigint,double precision,double precision,integer)',
                'logistic_weighted_accum(internal,double precision[],bigint,double precision,double precision,text[])',
                'logistic_weighted_accum(internal,double precision[],boolean,double precision)',
                'logistic_weighted_accum(internal,double precision[],boolean,double precision,double precision)',
                'logistic_weighted_accum(internal,double precision[],boolean,double precision,double precision,integer)',
                'logistic_weighted_accum(internal,double precision[],boolean,double precision,double precision,text[])',
                'logistic_weighted_accum(internal,double precision[],integer,double precision)',
                'logistic_weighted_accum(internal,double precision[],integer,double precision,double precision)',
                'logistic_weighted_accum(internal,double precision[],integer,double precision,double precision,integer)',
                'logistic_weighted_accum(internal,double precision[],integer,double precision,double precision,text[])',
                'logistic_weighted_accum(internal,double precision[],smallint,double precision)',
                'logistic_weighted_accum(internal,double precision[],smallint,double precision,double precision)',
                'logistic_weighted_accum(internal,double precision[],smallint,double precision,double precision,integer)',
                'logistic_weighted_accum(internal,double precision[],smallint,double precision,double precision,text[])',
                'precision_recall_final(internal)',
                'roc_auc_accum(internal,double precision,bigint)',
                'roc_auc_accum(internal,double precision,bigint,double precision)',
                'roc_auc_accum(internal,double precision,bigint,double precision,boolean)',
                'roc_auc_accum(internal,double precision,bigint,integer)',
                'roc_auc_accum(internal,double precision,boolean)',
                'roc_auc_accum(internal,double precision,boolean,double precision)',
                'roc_auc_accum(internal,double precision,boolean,double precision,boolean)',
                'roc_auc_accum(internal,double precision,boolean,integer)',
                'roc_auc_accum(internal,double precision,integer)',
                'roc_auc_accum(internal,double precision,integer,double precision)',
                'roc_auc_accum(internal,double precision,integer,double precision,boolean)',
                'roc_auc_accum(internal,double precision,integer,integer)',
                'roc_auc_accum(internal,double precision,smallint)',
                'roc_auc_accum(internal,double precision,smallint,double precision)',
                'roc_auc_accum(internal,double precision,smallint,double precision,boolean)',
                'roc_auc_accum(internal,double precision,smallint,integer)',
                'roc_auc_combine(internal,internal)',
                'roc_auc_deserialize(bytea,internal)',
                'roc_auc_final(internal)',
                'roc_auc_serialize(internal)',
                'roc_curve_final(internal)',
                'silhouette_accum(internal,double precision[],integer)',
                'silhouette_accum(internal,double precision[],integer,integer)',
                'silhouette_accum(internal,double precision[],integer,integer,integer)',
                'silhouette_combine(internal,internal)',
                'silhouette_deserialize(bytea,internal)',
                'silhouette_final(internal)',
                'silhouette_serialize(internal)'],
          'the functions taking internal are exactly the support functions of the in-memory aggregates');

SELECT * FROM finish();
ROLLBACK;
