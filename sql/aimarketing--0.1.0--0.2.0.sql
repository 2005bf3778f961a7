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
-- full silhouette (silhouette.c)
--
-- silhouette_score's internal state is the rows (label and features).  The
-- transition functions are not STRICT: rows with NULL features or cluster
-- are skipped, NULL parameters are errors.

CREATE FUNCTION silhouette_accum(internal, float8[], int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_silhouette_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION silhouette_accum(internal, float8[], int) IS
	'aggregate transition function for silhouette_score(float8[], int)';

CREATE FUNCTION silhouette_accum(internal, float8[], int, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_silhouette_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION silhouette_accum(internal, float8[], int, int) IS
	'aggregate transition function for silhouette_score(float8[], int, int)';

CREATE FUNCTION silhouette_accum(internal, float8[], int, int, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_silhouette_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION silhouette_accum(internal, float8[], int, int, int) IS
	'aggregate transition function for silhouette_score(float8[], int, int, int)';

CREATE FUNCTION silhouette_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_silhouette_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION silhouette_combine(internal, internal) IS
	'aggregate combine function for silhouette_score';

CREATE FUNCTION silhouette_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'aim_silhouette_serialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION silhouette_serialize(internal) IS
	'aggregate serialization function for silhouette_score';

CREATE FUNCTION silhouette_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_silhouette_deserialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION silhouette_deserialize(bytea, internal) IS
	'aggregate deserialization function for silhouette_score';

CREATE FUNCTION silhouette_final(internal) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_silhouette_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION silhouette_final(internal) IS
	'aggregate final function for silhouette_score: the pairwise distances';

CREATE AGGREGATE silhouette_score(features float8[], cluster int) (
	SFUNC = silhouette_accum, STYPE = internal, FINALFUNC = silhouette_final,
	COMBINEFUNC = silhouette_combine, SERIALFUNC = silhouette_serialize,
	DESERIALFUNC = silhouette_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE silhouette_score(float8[], int) IS
	'mean silhouette coefficient (b - a) / max(a, b) over all rows, a the mean Euclidean distance to the rest of the own cluster, b the smallest mean distance to another cluster, as scikit-learn''s silhouette_score; 0 for a point alone in its cluster; NULL unless 2 <= clusters < rows; n^2/2 distances';

CREATE AGGREGATE silhouette_score(features float8[], cluster int, sample_size int) (
	SFUNC = silhouette_accum, STYPE = internal, FINALFUNC = silhouette_final,
	COMBINEFUNC = silhouette_combine, SERIALFUNC = silhouette_serialize,
	DESERIALFUNC = silhouette_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE silhouette_score(float8[], int, int) IS
	'silhouette_score over a deterministic sample of sample_size rows (seed 0; all rows when there are no more), drawn from the rows in a canonical order, so the same data gives the same sample whatever the row order';

CREATE AGGREGATE silhouette_score(features float8[], cluster int, sample_size int, seed int) (
	SFUNC = silhouette_accum, STYPE = internal, FINALFUNC = silhouette_final,
	COMBINEFUNC = silhouette_combine, SERIALFUNC = silhouette_serialize,
	DESERIALFUNC = silhouette_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE silhouette_score(float8[], int, int, int) IS
	'silhouette_score over a deterministic sample of sample_size rows drawn with the given seed from the rows in a canonical order';

--
-- weighted logistic regression: logistic_fit_weighted, logistic_summary_weighted
-- (logistic.c)
--
-- A weight per row (scikit-learn's sample_weight, statsmodels'
-- freq_weights), always right after the label.  Their own names: as
-- logistic_fit(features, label, weight, l2) the call logistic_fit(f, y, w, 1)
-- would resolve to the existing (features, label, l2, max_iter) overload
-- (an int literal matches max_iter exactly), and aggregates take no named
-- arguments.  Transition functions are not STRICT: rows with NULL
-- features, label or weight are skipped, NULL parameters are errors.

CREATE FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted with an L2 penalty';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8, float8, int) IS
	'aggregate transition function for logistic_fit_weighted with an L2 penalty and an iteration limit';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], boolean, float8, float8, text[]) IS
	'aggregate transition function for logistic_summary_weighted with an L2 penalty and term names';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted, smallint labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted with an L2 penalty, smallint labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8, float8, int) IS
	'aggregate transition function for logistic_fit_weighted with an L2 penalty and an iteration limit, smallint labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], smallint, float8, float8, text[]) IS
	'aggregate transition function for logistic_summary_weighted with an L2 penalty and term names, smallint labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], int, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], int, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted, int labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], int, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], int, float8, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted with an L2 penalty, int labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], int, float8, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], int, float8, float8, int) IS
	'aggregate transition function for logistic_fit_weighted with an L2 penalty and an iteration limit, int labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], int, float8, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], int, float8, float8, text[]) IS
	'aggregate transition function for logistic_summary_weighted with an L2 penalty and term names, int labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted, bigint labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8, float8) IS
	'aggregate transition function for logistic_fit_weighted and logistic_summary_weighted with an L2 penalty, bigint labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8, float8, int) IS
	'aggregate transition function for logistic_fit_weighted with an L2 penalty and an iteration limit, bigint labels';

CREATE FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8, float8, text[]) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_weighted_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_weighted_accum(internal, float8[], bigint, float8, float8, text[]) IS
	'aggregate transition function for logistic_summary_weighted with an L2 penalty and term names, bigint labels';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label boolean, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], boolean, float8) IS
	'logistic regression coefficients (intercept first) maximising sum(weight * log-likelihood), as scikit-learn''s sample_weight; rows of weight 0 are left out';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label boolean, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], boolean, float8, float8) IS
	'weighted logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; l2 = 1 / C of scikit-learn';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label boolean, weight float8, l2 float8, max_iter int) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], boolean, float8, float8, int) IS
	'weighted logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label boolean, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], boolean, float8) IS
	'weighted logistic regression report as jsonb: per term coefficient, standard error (statsmodels'' freq_weights), z, p-value, odds ratio; log-likelihood, AIC, weight sums';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label boolean, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], boolean, float8, float8) IS
	'weighted logistic regression report as jsonb, with an L2 penalty';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label boolean, weight float8, l2 float8, names text[]) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], boolean, float8, float8, text[]) IS
	'weighted logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature)';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label smallint, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], smallint, float8) IS
	'logistic regression coefficients (intercept first) maximising sum(weight * log-likelihood), as scikit-learn''s sample_weight; rows of weight 0 are left out; label a smallint 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label smallint, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], smallint, float8, float8) IS
	'weighted logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; l2 = 1 / C of scikit-learn; label a smallint 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label smallint, weight float8, l2 float8, max_iter int) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], smallint, float8, float8, int) IS
	'weighted logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations; label a smallint 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label smallint, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], smallint, float8) IS
	'weighted logistic regression report as jsonb: per term coefficient, standard error (statsmodels'' freq_weights), z, p-value, odds ratio; log-likelihood, AIC, weight sums; label a smallint 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label smallint, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], smallint, float8, float8) IS
	'weighted logistic regression report as jsonb, with an L2 penalty; label a smallint 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label smallint, weight float8, l2 float8, names text[]) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], smallint, float8, float8, text[]) IS
	'weighted logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature); label a smallint 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label int, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], int, float8) IS
	'logistic regression coefficients (intercept first) maximising sum(weight * log-likelihood), as scikit-learn''s sample_weight; rows of weight 0 are left out; label an int 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label int, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], int, float8, float8) IS
	'weighted logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; l2 = 1 / C of scikit-learn; label an int 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label int, weight float8, l2 float8, max_iter int) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], int, float8, float8, int) IS
	'weighted logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations; label an int 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label int, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], int, float8) IS
	'weighted logistic regression report as jsonb: per term coefficient, standard error (statsmodels'' freq_weights), z, p-value, odds ratio; log-likelihood, AIC, weight sums; label an int 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label int, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], int, float8, float8) IS
	'weighted logistic regression report as jsonb, with an L2 penalty; label an int 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label int, weight float8, l2 float8, names text[]) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], int, float8, float8, text[]) IS
	'weighted logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature); label an int 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label bigint, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], bigint, float8) IS
	'logistic regression coefficients (intercept first) maximising sum(weight * log-likelihood), as scikit-learn''s sample_weight; rows of weight 0 are left out; label a bigint 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label bigint, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], bigint, float8, float8) IS
	'weighted logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; l2 = 1 / C of scikit-learn; label a bigint 0 or 1';

CREATE AGGREGATE logistic_fit_weighted(features float8[], label bigint, weight float8, l2 float8, max_iter int) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit_weighted(float8[], bigint, float8, float8, int) IS
	'weighted logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations; label a bigint 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label bigint, weight float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], bigint, float8) IS
	'weighted logistic regression report as jsonb: per term coefficient, standard error (statsmodels'' freq_weights), z, p-value, odds ratio; log-likelihood, AIC, weight sums; label a bigint 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label bigint, weight float8, l2 float8) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], bigint, float8, float8) IS
	'weighted logistic regression report as jsonb, with an L2 penalty; label a bigint 0 or 1';

CREATE AGGREGATE logistic_summary_weighted(features float8[], label bigint, weight float8, l2 float8, names text[]) (
	SFUNC = logistic_weighted_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary_weighted(float8[], bigint, float8, float8, text[]) IS
	'weighted logistic regression report as jsonb with an L2 penalty, its terms named by names (one per feature); label a bigint 0 or 1';

--
-- closed and maximal itemsets (basket_mine.c, basket_store.c)
--
-- An overload, not a new default argument: 0.1.0's frequent_itemsets(text,
-- float8, int DEFAULT NULL) stays (views and materialized views built on it
-- survive ALTER EXTENSION UPDATE), and a kind with a default would make
-- every call with three arguments ambiguous ("function is not unique").
-- So kind is the fourth argument of a four-argument form without defaults;
-- NULL max_len means no limit, as before.

CREATE FUNCTION frequent_itemsets(baskets_sql text, min_support float8,
                                  max_len int, kind text)
	RETURNS TABLE (itemset text[], support float8, count bigint)
	AS 'MODULE_PATHNAME', 'aim_frequent_itemsets'
	LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION frequent_itemsets(text, float8, int, text) IS
	'frequent itemsets of the baskets returned by baskets_sql of the given kind: all, closed (no proper superset with the same support) or maximal (no frequent proper superset); only those of at most max_len items are returned (NULL: no limit)';

--
-- rules: all of mlxtend's rule metrics, a filter on any metric (basket.c)
--
-- apriori_rules gains five result columns (after 0.1.0's nine, which keep
-- their places) and the arguments metric and min_threshold.  A function's
-- result type cannot be changed in place, and an overload beside 0.1.0's
-- would make the calls with defaults ambiguous, so it is dropped and
-- created again, as contrib's pg_stat_statements does in its updates: a
-- view on it blocks the update (drop the view, update, create it again),
-- and privileges granted or revoked on it are back to the default
-- (EXECUTE for PUBLIC).  The C function also serves 0.1.0's definition
-- (the nine columns) until the update.

DROP FUNCTION apriori_rules(text, float8, float8, int);

CREATE FUNCTION apriori_rules(baskets_sql text, min_support float8,
                              min_confidence float8 DEFAULT 0.5,
                              max_len int DEFAULT NULL,
                              metric text DEFAULT 'confidence',
                              min_threshold float8 DEFAULT NULL)
	RETURNS TABLE (antecedent text[], consequent text[],
	               antecedent_support float8, consequent_support float8,
	               support float8, confidence float8, lift float8,
	               leverage float8, conviction float8,
	               representativity float8, zhangs_metric float8,
	               jaccard float8, certainty float8, kulczynski float8)
	AS 'MODULE_PATHNAME', 'aim_apriori_rules'
	LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION apriori_rules(text, float8, float8, int, text, float8) IS
	'association rules antecedent -> consequent over the frequent itemsets of the baskets returned by baskets_sql, with confidence at least min_confidence and, unless min_threshold is NULL, the named metric at least min_threshold; the metrics of mlxtend 0.25''s association_rules (conviction is Infinity when confidence is 1, representativity 1, zhangs_metric 0 for a zero denominator, certainty 0 when the consequent is in every basket)';

--
-- classifier evaluation: weighted roc_auc, roc_curve,
-- precision_recall_curve, average_precision, gains_table
-- (classifier_eval.c, formerly roc_auc.c)
--
-- Every aggregate here keeps roc_auc's state (the rows in memory, one
-- internal state shared by roc_auc and these aggregates, so that a query
-- computing several of them over the same rows sorts them once): the
-- transition function roc_auc_accum has one overload per input form, and
-- roc_auc_combine, roc_auc_serialize and roc_auc_deserialize serve all.
-- The curves are arrays of composite values, one element per point or
-- bin: unnest() turns them into rows for a BI tool.
--

CREATE TYPE roc_point AS (fpr float8, tpr float8, threshold float8);
COMMENT ON TYPE roc_point IS
	'a point of roc_curve: false-positive rate, true-positive rate, and the score threshold (rows scoring >= threshold are predicted positive)';

CREATE TYPE pr_point AS (precision float8, recall float8, threshold float8);
COMMENT ON TYPE pr_point IS
	'a point of precision_recall_curve: precision and recall of predicting positive the rows scoring >= threshold (the last point, recall 0, has a NULL threshold)';

CREATE TYPE gains_row AS (bin int, customers bigint, positives bigint,
                          min_score float8, max_score float8,
                          response_rate float8, lift float8,
                          cumulative_gain float8, cumulative_lift float8);
COMMENT ON TYPE gains_row IS
	'a row of gains_table: bin (1 = highest scores), its customers and positives, its score range, response rate (positives / customers), lift (response rate / overall rate), cumulative gain (share of all positives in bins 1..bin) and cumulative lift';

CREATE FUNCTION roc_curve_final(internal) RETURNS roc_point[]
	AS 'MODULE_PATHNAME', 'aim_roc_curve_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_curve_final(internal) IS
	'aggregate final function for roc_curve';

CREATE FUNCTION precision_recall_final(internal) RETURNS pr_point[]
	AS 'MODULE_PATHNAME', 'aim_precision_recall_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION precision_recall_final(internal) IS
	'aggregate final function for precision_recall_curve';

CREATE FUNCTION average_precision_final(internal) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_average_precision_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION average_precision_final(internal) IS
	'aggregate final function for average_precision';

CREATE FUNCTION gains_final(internal) RETURNS gains_row[]
	AS 'MODULE_PATHNAME', 'aim_gains_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION gains_final(internal) IS
	'aggregate final function for gains_table';
-- boolean labels
CREATE FUNCTION roc_auc_accum(internal, float8, boolean, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, boolean, float8) IS
	'aggregate transition function for roc_auc, roc_curve, precision_recall_curve and average_precision with weights';
CREATE FUNCTION roc_auc_accum(internal, float8, boolean, float8, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, boolean, float8, boolean) IS
	'aggregate transition function for roc_curve with weights and drop_intermediate';
CREATE FUNCTION roc_auc_accum(internal, float8, boolean, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, boolean, int) IS
	'aggregate transition function for gains_table with a number of bins';
CREATE AGGREGATE roc_auc(score float8, label boolean, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, boolean, float8) IS
	'area under the ROC curve of score for label, rows weighted by weight (scikit-learn''s roc_auc_score with sample_weight); a weight of 0 leaves a row out; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, boolean) IS
	'the ROC curve of score for label as roc_point[] (fpr, tpr, threshold), as scikit-learn''s roc_curve: from (0, 0, Infinity), one point per distinct score, decreasing, collinear points dropped; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label boolean, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, boolean, float8) IS
	'the ROC curve of score for label, rows weighted by weight, as roc_point[] (scikit-learn''s roc_curve with sample_weight); NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label boolean, weight float8, drop_intermediate boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, boolean, float8, boolean) IS
	'the ROC curve of score for label, rows weighted by weight, as roc_point[]; every distinct score a point unless drop_intermediate (scikit-learn''s roc_curve); NULL unless both classes occur';
CREATE AGGREGATE precision_recall_curve(score float8, label boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, boolean) IS
	'the precision-recall curve of score for label as pr_point[] (precision, recall, threshold), as scikit-learn''s precision_recall_curve: one point per distinct score, increasing, then (1, 0, NULL); NULL when no label is positive';
CREATE AGGREGATE precision_recall_curve(score float8, label boolean, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, boolean, float8) IS
	'the precision-recall curve of score for label, rows weighted by weight, as pr_point[] (scikit-learn''s precision_recall_curve with sample_weight); NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, boolean) IS
	'average precision of score for label (scikit-learn''s average_precision_score): the sum of precision times the gain in recall at each distinct score; NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label boolean, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, boolean, float8) IS
	'average precision of score for label, rows weighted by weight (scikit-learn''s average_precision_score with sample_weight); NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, boolean) IS
	'gains and lift by decile as gains_row[]: rows ranked by decreasing score, row in bin 1 + floor(10 h / n) where h rows score strictly higher (equal scores share a bin); NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label boolean, bins int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, boolean, int) IS
	'gains and lift table over bins bins (1 to 10000) as gains_row[]: row in bin 1 + floor(bins h / n) where h rows score strictly higher (equal scores share a bin); NULL when no label is positive';
-- smallint labels
CREATE FUNCTION roc_auc_accum(internal, float8, smallint, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, smallint, float8) IS
	'aggregate transition function for roc_auc, roc_curve, precision_recall_curve and average_precision with weights, smallint labels';
CREATE FUNCTION roc_auc_accum(internal, float8, smallint, float8, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, smallint, float8, boolean) IS
	'aggregate transition function for roc_curve with weights and drop_intermediate, smallint labels';
CREATE FUNCTION roc_auc_accum(internal, float8, smallint, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, smallint, int) IS
	'aggregate transition function for gains_table with a number of bins, smallint labels';
CREATE AGGREGATE roc_auc(score float8, label smallint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, smallint, float8) IS
	'area under the ROC curve of score for a smallint label 0 or 1, rows weighted by weight (scikit-learn''s roc_auc_score with sample_weight); a weight of 0 leaves a row out; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label smallint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, smallint) IS
	'the ROC curve of score for a smallint label 0 or 1 as roc_point[] (fpr, tpr, threshold), as scikit-learn''s roc_curve: from (0, 0, Infinity), one point per distinct score, decreasing, collinear points dropped; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label smallint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, smallint, float8) IS
	'the ROC curve of score for a smallint label 0 or 1, rows weighted by weight, as roc_point[] (scikit-learn''s roc_curve with sample_weight); NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label smallint, weight float8, drop_intermediate boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, smallint, float8, boolean) IS
	'the ROC curve of score for a smallint label 0 or 1, rows weighted by weight, as roc_point[]; every distinct score a point unless drop_intermediate (scikit-learn''s roc_curve); NULL unless both classes occur';
CREATE AGGREGATE precision_recall_curve(score float8, label smallint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, smallint) IS
	'the precision-recall curve of score for a smallint label 0 or 1 as pr_point[] (precision, recall, threshold), as scikit-learn''s precision_recall_curve: one point per distinct score, increasing, then (1, 0, NULL); NULL when no label is positive';
CREATE AGGREGATE precision_recall_curve(score float8, label smallint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, smallint, float8) IS
	'the precision-recall curve of score for a smallint label 0 or 1, rows weighted by weight, as pr_point[] (scikit-learn''s precision_recall_curve with sample_weight); NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label smallint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, smallint) IS
	'average precision of score for a smallint label 0 or 1 (scikit-learn''s average_precision_score): the sum of precision times the gain in recall at each distinct score; NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label smallint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, smallint, float8) IS
	'average precision of score for a smallint label 0 or 1, rows weighted by weight (scikit-learn''s average_precision_score with sample_weight); NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label smallint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, smallint) IS
	'gains and lift by decile as gains_row[]: rows ranked by decreasing score, row in bin 1 + floor(10 h / n) where h rows score strictly higher (equal scores share a bin); a smallint label 0 or 1; NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label smallint, bins int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, smallint, int) IS
	'gains and lift table over bins bins (1 to 10000) as gains_row[]: row in bin 1 + floor(bins h / n) where h rows score strictly higher (equal scores share a bin); a smallint label 0 or 1; NULL when no label is positive';
-- int labels
CREATE FUNCTION roc_auc_accum(internal, float8, int, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, int, float8) IS
	'aggregate transition function for roc_auc, roc_curve, precision_recall_curve and average_precision with weights, int labels';
CREATE FUNCTION roc_auc_accum(internal, float8, int, float8, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, int, float8, boolean) IS
	'aggregate transition function for roc_curve with weights and drop_intermediate, int labels';
CREATE FUNCTION roc_auc_accum(internal, float8, int, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, int, int) IS
	'aggregate transition function for gains_table with a number of bins, int labels';
CREATE AGGREGATE roc_auc(score float8, label int, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, int, float8) IS
	'area under the ROC curve of score for a int label 0 or 1, rows weighted by weight (scikit-learn''s roc_auc_score with sample_weight); a weight of 0 leaves a row out; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, int) IS
	'the ROC curve of score for a int label 0 or 1 as roc_point[] (fpr, tpr, threshold), as scikit-learn''s roc_curve: from (0, 0, Infinity), one point per distinct score, decreasing, collinear points dropped; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label int, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, int, float8) IS
	'the ROC curve of score for a int label 0 or 1, rows weighted by weight, as roc_point[] (scikit-learn''s roc_curve with sample_weight); NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label int, weight float8, drop_intermediate boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, int, float8, boolean) IS
	'the ROC curve of score for a int label 0 or 1, rows weighted by weight, as roc_point[]; every distinct score a point unless drop_intermediate (scikit-learn''s roc_curve); NULL unless both classes occur';
CREATE AGGREGATE precision_recall_curve(score float8, label int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, int) IS
	'the precision-recall curve of score for a int label 0 or 1 as pr_point[] (precision, recall, threshold), as scikit-learn''s precision_recall_curve: one point per distinct score, increasing, then (1, 0, NULL); NULL when no label is positive';
CREATE AGGREGATE precision_recall_curve(score float8, label int, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, int, float8) IS
	'the precision-recall curve of score for a int label 0 or 1, rows weighted by weight, as pr_point[] (scikit-learn''s precision_recall_curve with sample_weight); NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, int) IS
	'average precision of score for a int label 0 or 1 (scikit-learn''s average_precision_score): the sum of precision times the gain in recall at each distinct score; NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label int, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, int, float8) IS
	'average precision of score for a int label 0 or 1, rows weighted by weight (scikit-learn''s average_precision_score with sample_weight); NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, int) IS
	'gains and lift by decile as gains_row[]: rows ranked by decreasing score, row in bin 1 + floor(10 h / n) where h rows score strictly higher (equal scores share a bin); a int label 0 or 1; NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label int, bins int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, int, int) IS
	'gains and lift table over bins bins (1 to 10000) as gains_row[]: row in bin 1 + floor(bins h / n) where h rows score strictly higher (equal scores share a bin); a int label 0 or 1; NULL when no label is positive';
-- bigint labels
CREATE FUNCTION roc_auc_accum(internal, float8, bigint, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, bigint, float8) IS
	'aggregate transition function for roc_auc, roc_curve, precision_recall_curve and average_precision with weights, bigint labels';
CREATE FUNCTION roc_auc_accum(internal, float8, bigint, float8, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, bigint, float8, boolean) IS
	'aggregate transition function for roc_curve with weights and drop_intermediate, bigint labels';
CREATE FUNCTION roc_auc_accum(internal, float8, bigint, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, bigint, int) IS
	'aggregate transition function for gains_table with a number of bins, bigint labels';
CREATE AGGREGATE roc_auc(score float8, label bigint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, bigint, float8) IS
	'area under the ROC curve of score for a bigint label 0 or 1, rows weighted by weight (scikit-learn''s roc_auc_score with sample_weight); a weight of 0 leaves a row out; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label bigint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, bigint) IS
	'the ROC curve of score for a bigint label 0 or 1 as roc_point[] (fpr, tpr, threshold), as scikit-learn''s roc_curve: from (0, 0, Infinity), one point per distinct score, decreasing, collinear points dropped; NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label bigint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, bigint, float8) IS
	'the ROC curve of score for a bigint label 0 or 1, rows weighted by weight, as roc_point[] (scikit-learn''s roc_curve with sample_weight); NULL unless both classes occur';
CREATE AGGREGATE roc_curve(score float8, label bigint, weight float8, drop_intermediate boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_curve_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_curve(float8, bigint, float8, boolean) IS
	'the ROC curve of score for a bigint label 0 or 1, rows weighted by weight, as roc_point[]; every distinct score a point unless drop_intermediate (scikit-learn''s roc_curve); NULL unless both classes occur';
CREATE AGGREGATE precision_recall_curve(score float8, label bigint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, bigint) IS
	'the precision-recall curve of score for a bigint label 0 or 1 as pr_point[] (precision, recall, threshold), as scikit-learn''s precision_recall_curve: one point per distinct score, increasing, then (1, 0, NULL); NULL when no label is positive';
CREATE AGGREGATE precision_recall_curve(score float8, label bigint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = precision_recall_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE precision_recall_curve(float8, bigint, float8) IS
	'the precision-recall curve of score for a bigint label 0 or 1, rows weighted by weight, as pr_point[] (scikit-learn''s precision_recall_curve with sample_weight); NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label bigint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, bigint) IS
	'average precision of score for a bigint label 0 or 1 (scikit-learn''s average_precision_score): the sum of precision times the gain in recall at each distinct score; NULL when no label is positive';
CREATE AGGREGATE average_precision(score float8, label bigint, weight float8) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = average_precision_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE average_precision(float8, bigint, float8) IS
	'average precision of score for a bigint label 0 or 1, rows weighted by weight (scikit-learn''s average_precision_score with sample_weight); NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label bigint) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, bigint) IS
	'gains and lift by decile as gains_row[]: rows ranked by decreasing score, row in bin 1 + floor(10 h / n) where h rows score strictly higher (equal scores share a bin); a bigint label 0 or 1; NULL when no label is positive';
CREATE AGGREGATE gains_table(score float8, label bigint, bins int) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = gains_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE gains_table(float8, bigint, int) IS
	'gains and lift table over bins bins (1 to 10000) as gains_row[]: row in bin 1 + floor(bins h / n) where h rows score strictly higher (equal scores share a bin); a bigint label 0 or 1; NULL when no label is positive';

--
-- linear regression: OLS and ridge (linear.c)
--
-- The state is an ordinary float8[] of co-moments (row count, means,
-- centred cross-products), as core's regr_* keep, so the aggregates need
-- no serialisation and run in parallel and on Citus workers.  The
-- transition functions are not STRICT: rows with NULL features or y are
-- skipped, a NULL l2 or names is an error.
--

CREATE FUNCTION linear_accum(float8[], float8[], float8) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_linear_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION linear_accum(float8[], float8[], float8) IS
	'aggregate transition function for linear_fit and linear_summary';

CREATE FUNCTION linear_accum(float8[], float8[], float8, float8) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_linear_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION linear_accum(float8[], float8[], float8, float8) IS
	'aggregate transition function for linear_fit and linear_summary with an L2 penalty';

CREATE FUNCTION linear_accum(float8[], float8[], float8, float8, text[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_linear_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION linear_accum(float8[], float8[], float8, float8, text[]) IS
	'aggregate transition function for linear_summary with an L2 penalty and term names';

CREATE FUNCTION linear_combine(float8[], float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_linear_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION linear_combine(float8[], float8[]) IS
	'aggregate combine function for linear_fit and linear_summary (Chan''s merge of co-moments)';

CREATE FUNCTION linear_final(float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_linear_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION linear_final(float8[]) IS
	'aggregate final function for linear_fit: solves the centred normal equations';

CREATE FUNCTION linear_summary_final(float8[]) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'aim_linear_summary_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION linear_summary_final(float8[]) IS
	'aggregate final function for linear_summary';

CREATE AGGREGATE linear_fit(features float8[], y float8) (
	SFUNC = linear_accum, STYPE = float8[], FINALFUNC = linear_final,
	COMBINEFUNC = linear_combine, INITCOND = '{0}', PARALLEL = SAFE
);
COMMENT ON AGGREGATE linear_fit(float8[], float8) IS
	'ordinary least squares coefficients of y on the features, intercept first, for linear_predict';

CREATE AGGREGATE linear_fit(features float8[], y float8, l2 float8) (
	SFUNC = linear_accum, STYPE = float8[], FINALFUNC = linear_final,
	COMBINEFUNC = linear_combine, INITCOND = '{0}', PARALLEL = SAFE
);
COMMENT ON AGGREGATE linear_fit(float8[], float8, float8) IS
	'ridge regression coefficients, intercept first and not penalised: penalty l2 * |b[1:]|^2 on the sum of squares, as scikit-learn''s Ridge(alpha = l2)';

CREATE AGGREGATE linear_summary(features float8[], y float8) (
	SFUNC = linear_accum, STYPE = float8[], FINALFUNC = linear_summary_final,
	COMBINEFUNC = linear_combine, INITCOND = '{0}', PARALLEL = SAFE
);
COMMENT ON AGGREGATE linear_summary(float8[], float8) IS
	'ordinary least squares report as jsonb, as statsmodels'' OLS: per term coefficient, standard error, t, p-value; R-squared, adjusted, F and its p-value, log-likelihood, AIC, BIC, condition number, n, degrees of freedom';

CREATE AGGREGATE linear_summary(features float8[], y float8, l2 float8) (
	SFUNC = linear_accum, STYPE = float8[], FINALFUNC = linear_summary_final,
	COMBINEFUNC = linear_combine, INITCOND = '{0}', PARALLEL = SAFE
);
COMMENT ON AGGREGATE linear_summary(float8[], float8, float8) IS
	'linear regression report as jsonb; with l2 > 0 (ridge) only the coefficients, n, degrees of freedom and R-squared are reported, the other fields are null';

CREATE AGGREGATE linear_summary(features float8[], y float8, l2 float8, names text[]) (
	SFUNC = linear_accum, STYPE = float8[], FINALFUNC = linear_summary_final,
	COMBINEFUNC = linear_combine, INITCOND = '{0}', PARALLEL = SAFE
);
COMMENT ON AGGREGATE linear_summary(float8[], float8, float8, text[]) IS
	'linear regression report as jsonb with the terms named by names (one per feature; pass l2 = 0 for OLS)';

CREATE FUNCTION linear_predict(features float8[], coefficients float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_churn_logit'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION linear_predict(float8[], float8[]) IS
	'prediction b0 + sum bi xi of a linear model, coefficients = intercept then one per feature (as linear_fit returns); overflow-free';

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
