/*
 * aimarketing--0.1.0--0.2.0.sql: from version 0.1.0 to 0.2.0: stable segments,
 * churn models with integer labels and names, ranking metrics, recommendations;
 * one section per capability, in the order of the C files
 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION aimarketing UPDATE TO '0.2.0'" to load this file. \quit

--
-- stable segments: k-means with n_init and warm start, kmeans_match (kmeans.c)
--

CREATE FUNCTION kmeans_accum(internal, float8[], int, int, int, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_accum(internal, float8[], int, int, int, float8, int) IS
	'aggregate transition function for kmeans(float8[], int, int, int, float8, int)';

CREATE AGGREGATE kmeans(features float8[], k int, seed int, max_iter int, tolerance float8, n_init int) (
	SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = kmeans_final,
	COMBINEFUNC = kmeans_combine, SERIALFUNC = kmeans_serialize,
	DESERIALFUNC = kmeans_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans(float8[], int, int, int, float8, int) IS
	'k x d centroids of the best of n_init k-means runs by inertia (k-means++ seeds drawn in turn from one stream seeded with seed; ties: the earliest run)';

CREATE FUNCTION kmeans_accum_init(internal, float8[], int, float8[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_accum_init'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_accum_init(internal, float8[], int, float8[]) IS
	'aggregate transition function for kmeans(float8[], int, float8[])';

CREATE FUNCTION kmeans_accum_init(internal, float8[], int, float8[], int, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_accum_init'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_accum_init(internal, float8[], int, float8[], int, float8) IS
	'aggregate transition function for kmeans(float8[], int, float8[], int, float8)';

CREATE AGGREGATE kmeans(features float8[], k int, init float8[]) (
	SFUNC = kmeans_accum_init, STYPE = internal, FINALFUNC = kmeans_final,
	COMBINEFUNC = kmeans_combine, SERIALFUNC = kmeans_serialize,
	DESERIALFUNC = kmeans_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans(float8[], int, float8[]) IS
	'k x d centroids of k-means warm-started from init, a k x d centroid array such as yesterday''s model (Lloyd iterations from those centroids; at most 300 iterations, tolerance 1e-4)';

CREATE AGGREGATE kmeans(features float8[], k int, init float8[], max_iter int, tolerance float8) (
	SFUNC = kmeans_accum_init, STYPE = internal, FINALFUNC = kmeans_final,
	COMBINEFUNC = kmeans_combine, SERIALFUNC = kmeans_serialize,
	DESERIALFUNC = kmeans_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans(float8[], int, float8[], int, float8) IS
	'k x d centroids of k-means warm-started from the k x d centroid array init, with the given iteration limit and tolerance';

CREATE FUNCTION kmeans_match(new_centroids float8[], old_centroids float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_kmeans_match'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_match(float8[], float8[]) IS
	'the rows of new_centroids renumbered to minimise the total squared distance to old_centroids (optimal assignment, Hungarian algorithm), so that segment numbers persist; ties keep the most centroids at their own number; extra new centroids follow in their order';

--
-- churn models: integer labels, term names, the linear predictor (logistic.c,
-- roc_auc.c)
--

CREATE FUNCTION churn_logit(features float8[], coefficients float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_churn_logit'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_logit(float8[], float8[]) IS
	'linear predictor (log-odds) b0 + sum bi xi of a logistic model, coefficients = intercept then one per feature: churn_score without the sigmoid, so ranks do not tie where the score saturates at 0 or 1; overflow-free';

-- Transition functions for integer labels (0 or 1; any other value is an
-- error) and for logistic_summary's names; not STRICT, as in 0.1.0.  The
-- names come after l2 (0 for no penalty): a form (features, label, names)
-- would make logistic_summary(f, y, '0.5') ambiguous.

CREATE FUNCTION logistic_accum(internal, float8[], smallint) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], smallint) IS
	'aggregate transition function for logistic_fit and logistic_summary, smallint labels';

CREATE FUNCTION logistic_accum(internal, float8[], smallint, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], smallint, float8) IS
	'aggregate transition function for logistic_fit and logistic_summary with an L2 penalty, smallint labels';

CREATE FUNCTION logistic_accum(internal, float8[], smallint, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], smallint, float8, int) IS
	'aggregate transition function for logistic_fit with an L2 penalty and an iteration limit, smallint labels';

CREATE FUNCTION logistic_accum(internal, float8[], int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], int) IS
	'aggregate transition function for logistic_fit and logistic_summary, int labels';

CREATE FUNCTION logistic_accum(internal, float8[], int, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], int, float8) IS
	'aggregate transition function for logistic_fit and logistic_summary with an L2 penalty, int labels';

CREATE FUNCTION logistic_accum(internal, float8[], int, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], int, float8, int) IS
	'aggregate transition function for logistic_fit with an L2 penalty and an iteration limit, int labels';

CREATE FUNCTION logistic_accum(internal, float8[], bigint) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], bigint) IS
	'aggregate transition function for logistic_fit and logistic_summary, bigint labels';

CREATE FUNCTION logistic_accum(internal, float8[], bigint, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], bigint, float8) IS
	'aggregate transition function for logistic_fit and logistic_summary with an L2 penalty, bigint labels';

CREATE FUNCTION logistic_accum(internal, float8[], bigint, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], bigint, float8, int) IS
	'aggregate transition function for logistic_fit with an L2 penalty and an iteration limit, bigint labels';

CREATE FUNCTION logistic_accum(internal, float8[], boolean, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], boolean, float8, text[]) IS
	'aggregate transition function for logistic_summary with an L2 penalty and term names, boolean labels';

CREATE FUNCTION logistic_accum(internal, float8[], smallint, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], smallint, float8, text[]) IS
	'aggregate transition function for logistic_summary with an L2 penalty and term names, smallint labels';

CREATE FUNCTION logistic_accum(internal, float8[], int, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], int, float8, text[]) IS
	'aggregate transition function for logistic_summary with an L2 penalty and term names, int labels';

CREATE FUNCTION logistic_accum(internal, float8[], bigint, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], bigint, float8, text[]) IS
	'aggregate transition function for logistic_summary with an L2 penalty and term names, bigint labels';

CREATE AGGREGATE logistic_fit(features float8[], label smallint) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], smallint) IS
	'logistic regression coefficients (intercept first) by maximum likelihood, for churn_score; label a smallint 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label smallint, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], smallint, float8) IS
	'logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; label a smallint 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label smallint, l2 float8, max_iter int) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], smallint, float8, int) IS
	'logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations; label a smallint 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label smallint) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], smallint) IS
	'logistic regression report as jsonb: per term coefficient, standard error, z, p-value, odds ratio; log-likelihood, AIC, iterations; label a smallint 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label smallint, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], smallint, float8) IS
	'logistic regression report as jsonb, with an L2 penalty; label a smallint 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label int) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], int) IS
	'logistic regression coefficients (intercept first) by maximum likelihood, for churn_score; label a int 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label int, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], int, float8) IS
	'logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; label a int 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label int, l2 float8, max_iter int) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], int, float8, int) IS
	'logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations; label a int 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label int) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], int) IS
	'logistic regression report as jsonb: per term coefficient, standard error, z, p-value, odds ratio; log-likelihood, AIC, iterations; label a int 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label int, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], int, float8) IS
	'logistic regression report as jsonb, with an L2 penalty; label a int 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label bigint) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], bigint) IS
	'logistic regression coefficients (intercept first) by maximum likelihood, for churn_score; label a bigint 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label bigint, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], bigint, float8) IS
	'logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; label a bigint 0 or 1';

CREATE AGGREGATE logistic_fit(features float8[], label bigint, l2 float8, max_iter int) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], bigint, float8, int) IS
	'logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations; label a bigint 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label bigint) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], bigint) IS
	'logistic regression report as jsonb: per term coefficient, standard error, z, p-value, odds ratio; log-likelihood, AIC, iterations; label a bigint 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label bigint, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], bigint, float8) IS
	'logistic regression report as jsonb, with an L2 penalty; label a bigint 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label boolean, l2 float8, names text[]) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], boolean, float8, text[]) IS
	'logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature)';

CREATE AGGREGATE logistic_summary(features float8[], label smallint, l2 float8, names text[]) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], smallint, float8, text[]) IS
	'logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature); label a smallint 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label int, l2 float8, names text[]) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], int, float8, text[]) IS
	'logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature); label a int 0 or 1';

CREATE AGGREGATE logistic_summary(features float8[], label bigint, l2 float8, names text[]) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], bigint, float8, text[]) IS
	'logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature); label a bigint 0 or 1';

CREATE FUNCTION roc_auc_accum(internal, float8, smallint) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, smallint) IS
	'aggregate transition function for roc_auc, smallint labels';

CREATE AGGREGATE roc_auc(score float8, label smallint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, smallint) IS
	'area under the ROC curve of score for a smallint label 0 or 1 (ties count one half, as scikit-learn''s roc_auc_score); NULL unless both classes occur';

CREATE FUNCTION roc_auc_accum(internal, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, int) IS
	'aggregate transition function for roc_auc, int labels';

CREATE AGGREGATE roc_auc(score float8, label int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, int) IS
	'area under the ROC curve of score for a int label 0 or 1 (ties count one half, as scikit-learn''s roc_auc_score); NULL unless both classes occur';

CREATE FUNCTION roc_auc_accum(internal, float8, bigint) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, bigint) IS
	'aggregate transition function for roc_auc, bigint labels';

CREATE AGGREGATE roc_auc(score float8, label bigint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, bigint) IS
	'area under the ROC curve of score for a bigint label 0 or 1 (ties count one half, as scikit-learn''s roc_auc_score); NULL unless both classes occur';

--
-- ranking metrics (rank_metrics.c)
--

CREATE FUNCTION hit_at_k(recommended anyarray, relevant anyarray, k int) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_hit_at_k'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION hit_at_k(anyarray, anyarray, int) IS
	'1 if any of the first k distinct recommended elements is relevant, else 0; NULL when relevant has no element';

CREATE FUNCTION precision_at_k(recommended anyarray, relevant anyarray, k int) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_precision_at_k'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION precision_at_k(anyarray, anyarray, int) IS
	'relevant elements among the first k distinct recommended ones, divided by k; NULL when relevant has no element';

CREATE FUNCTION recall_at_k(recommended anyarray, relevant anyarray, k int) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_recall_at_k'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION recall_at_k(anyarray, anyarray, int) IS
	'relevant elements among the first k distinct recommended ones, divided by the number of distinct relevant elements; NULL when relevant has no element';

CREATE FUNCTION ndcg_at_k(recommended anyarray, relevant anyarray, k int) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_ndcg_at_k'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ndcg_at_k(anyarray, anyarray, int) IS
	'normalised discounted cumulative gain of the first k distinct recommended elements (binary relevance, gain 1/log2(rank+1), ideal over min(|relevant|, k) hits); NULL when relevant has no element';

CREATE FUNCTION average_precision_at_k(recommended anyarray, relevant anyarray, k int) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_average_precision_at_k'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION average_precision_at_k(anyarray, anyarray, int) IS
	'sum of precision@r at each relevant rank r <= k, divided by min(|relevant|, k); NULL when relevant has no element';

--
-- recommendations (recommend.c, item_similarity.c, ease.c, topk.c)
--

CREATE FUNCTION item_neighbors(interactions_sql text, k int DEFAULT 20,
                               similarity text DEFAULT 'cosine',
                               min_common int DEFAULT 1, l2 float8 DEFAULT 500)
	RETURNS TABLE (item text, neighbor text, similarity float8, common bigint, rank int)
	AS 'MODULE_PATHNAME', 'aim_item_neighbors'
	LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION item_neighbors(text, int, text, int, float8) IS
	'for every item of the (customer, item[, weight]) query, its k most similar other items sharing at least min_common customers: cosine, cosine_weighted, bm25, jaccard, confidence, lift or ease (EASE^R with ridge l2); ties by item text in byte order';

CREATE FUNCTION recommend_items(interactions_sql text, k int DEFAULT 10,
                                similarity text DEFAULT 'cosine',
                                neighbors int DEFAULT 20,
                                exclude_owned boolean DEFAULT true,
                                l2 float8 DEFAULT 500)
	RETURNS TABLE (customer text, item text, score float8, rank int)
	AS 'MODULE_PATHNAME', 'aim_recommend_items'
	LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION recommend_items(text, int, text, int, boolean, float8) IS
	'top-k items for every customer of the (customer, item[, weight]) query: score = sum of the customer''s weights times the similarity over each owned item''s nearest neighbors (all for NULL; X B for ease); popular = items by customers; short lists filled with popular items (score NULL)';

--
-- exponential smoothing (ets.c)
--
-- ets_fit has no combine function: the values are a sequence in the order
-- of the call's ORDER BY, so partial states cannot be merged (and
-- PostgreSQL never runs an aggregate with ORDER BY in parallel).
--

CREATE FUNCTION ets_fit_accum(internal, float8, jsonb) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_ets_fit_accum'
	LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION ets_fit_accum(internal, float8, jsonb) IS
	'transition function of ets_fit: keeps the values of the series in order';

CREATE FUNCTION ets_fit_final(internal) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'aim_ets_fit_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ets_fit_final(internal) IS
	'final function of ets_fit: fits the exponential smoothing model';

CREATE AGGREGATE ets_fit(value float8, options jsonb) (
	SFUNC = ets_fit_accum,
	STYPE = internal,
	FINALFUNC = ets_fit_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE ets_fit(float8, jsonb) IS
	'Holt-Winters exponential smoothing of the values in the order of the call''s ORDER BY (statsmodels'' ExponentialSmoothing): options trend (none, add, damped), seasonal (none, add, mul), period, fixed alpha/beta/gamma/phi, initialization (heuristic, known); free parameters optimised on the series divided by its mean; returns the model as jsonb';

CREATE FUNCTION ets_forecast(model jsonb, horizon int)
	RETURNS TABLE (step int, forecast float8)
	AS 'MODULE_PATHNAME', 'aim_ets_forecast'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION ets_forecast(jsonb, int) IS
	'forecasts of an ets_fit model for steps 1..horizon (statsmodels_compat: steps m, 2m, ... as statsmodels 0.13.5 computes them)';
