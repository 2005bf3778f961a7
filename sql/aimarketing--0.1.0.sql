/* aimarketing--0.1.0.sql: install script for version 0.1.0 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION aimarketing" to load this file. \quit

--
-- similarity (src/similarity.c)
--

CREATE FUNCTION cosine_sim(a float8[], b float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_cosine_sim'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cosine_sim(float8[], float8[]) IS
	'cosine similarity a.b / (|a| |b|) of two equal-length vectors; NULL if either is all zeros';

CREATE FUNCTION pearson_sim(a float8[], b float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_pearson_sim'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pearson_sim(float8[], float8[]) IS
	'Pearson correlation of the elements of two equal-length vectors; NULL for fewer than 2 elements or a constant vector';

--
-- k-means (src/kmeans.c)
--

CREATE FUNCTION kmeans_assign(features float8[], centroids float8[]) RETURNS int
	AS 'MODULE_PATHNAME', 'aim_kmeans_assign'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_assign(float8[], float8[]) IS
	'1-based index of the centroid (row of a k x d array) nearest to features in squared Euclidean distance; ties go to the lowest index';

-- the kmeans aggregate: its internal state is the collected points.  The
-- transition functions are not STRICT: a NULL features value skips the row,
-- a NULL parameter is an error.

CREATE FUNCTION kmeans_accum(internal, float8[], int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_accum(internal, float8[], int) IS
	'aggregate transition function for kmeans(float8[], int)';

CREATE FUNCTION kmeans_accum(internal, float8[], int, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_accum(internal, float8[], int, int) IS
	'aggregate transition function for kmeans(float8[], int, int)';

CREATE FUNCTION kmeans_accum(internal, float8[], int, int, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_accum(internal, float8[], int, int, int) IS
	'aggregate transition function for kmeans(float8[], int, int, int)';

CREATE FUNCTION kmeans_accum(internal, float8[], int, int, int, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_accum(internal, float8[], int, int, int, float8) IS
	'aggregate transition function for kmeans(float8[], int, int, int, float8)';

CREATE FUNCTION kmeans_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_combine(internal, internal) IS
	'aggregate combine function for kmeans';

CREATE FUNCTION kmeans_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'aim_kmeans_serialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_serialize(internal) IS
	'aggregate serialization function for kmeans';

CREATE FUNCTION kmeans_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_kmeans_deserialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_deserialize(bytea, internal) IS
	'aggregate deserialization function for kmeans';

CREATE FUNCTION kmeans_final(internal) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_kmeans_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_final(internal) IS
	'aggregate final function for kmeans: seeding and Lloyd iterations';

CREATE AGGREGATE kmeans(features float8[], k int) (
	SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = kmeans_final,
	COMBINEFUNC = kmeans_combine, SERIALFUNC = kmeans_serialize,
	DESERIALFUNC = kmeans_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans(float8[], int) IS
	'k x d centroids of k-means (k-means++ seeding, seed 0, at most 300 iterations, tolerance 1e-4)';

CREATE AGGREGATE kmeans(features float8[], k int, seed int) (
	SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = kmeans_final,
	COMBINEFUNC = kmeans_combine, SERIALFUNC = kmeans_serialize,
	DESERIALFUNC = kmeans_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans(float8[], int, int) IS
	'k x d centroids of k-means with the given seed (at most 300 iterations, tolerance 1e-4)';

CREATE AGGREGATE kmeans(features float8[], k int, seed int, max_iter int) (
	SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = kmeans_final,
	COMBINEFUNC = kmeans_combine, SERIALFUNC = kmeans_serialize,
	DESERIALFUNC = kmeans_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans(float8[], int, int, int) IS
	'k x d centroids of k-means with the given seed and iteration limit (tolerance 1e-4)';

CREATE AGGREGATE kmeans(features float8[], k int, seed int, max_iter int, tolerance float8) (
	SFUNC = kmeans_accum, STYPE = internal, FINALFUNC = kmeans_final,
	COMBINEFUNC = kmeans_combine, SERIALFUNC = kmeans_serialize,
	DESERIALFUNC = kmeans_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans(float8[], int, int, int, float8) IS
	'k x d centroids of k-means; tolerance is relative to the mean feature variance, as in scikit-learn';

-- quality (inertia, silhouette) and model rows

CREATE FUNCTION kmeans_inertia_accum(float8[], float8[], float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_kmeans_inertia_accum'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_inertia_accum(float8[], float8[], float8[]) IS
	'aggregate transition function for kmeans_inertia';

CREATE FUNCTION kmeans_silhouette_accum(float8[], float8[], float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_kmeans_silhouette_accum'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_silhouette_accum(float8[], float8[], float8[]) IS
	'aggregate transition function for kmeans_silhouette';

CREATE FUNCTION kmeans_pair_combine(float8[], float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_kmeans_pair_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_pair_combine(float8[], float8[]) IS
	'aggregate combine function for kmeans_inertia and kmeans_silhouette';

CREATE FUNCTION kmeans_inertia_final(float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_kmeans_inertia_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_inertia_final(float8[]) IS
	'aggregate final function for kmeans_inertia';

CREATE FUNCTION kmeans_silhouette_final(float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_kmeans_silhouette_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_silhouette_final(float8[]) IS
	'aggregate final function for kmeans_silhouette';

CREATE AGGREGATE kmeans_inertia(features float8[], centroids float8[]) (
	SFUNC = kmeans_inertia_accum, STYPE = float8[], INITCOND = '{0,0}',
	FINALFUNC = kmeans_inertia_final, COMBINEFUNC = kmeans_pair_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_inertia(float8[], float8[]) IS
	'sum of squared distances of the points to their nearest centroid';

CREATE AGGREGATE kmeans_silhouette(features float8[], centroids float8[]) (
	SFUNC = kmeans_silhouette_accum, STYPE = float8[], INITCOND = '{0,0}',
	FINALFUNC = kmeans_silhouette_final, COMBINEFUNC = kmeans_pair_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE kmeans_silhouette(float8[], float8[]) IS
	'mean simplified silhouette (b - a) / max(a, b), a and b the distances to the nearest and second-nearest centroid; NULL for one centroid';

CREATE FUNCTION kmeans_centroids(centroids float8[])
	RETURNS TABLE (cluster int, centroid float8[])
	AS 'MODULE_PATHNAME', 'aim_kmeans_centroids'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 8;
COMMENT ON FUNCTION kmeans_centroids(float8[]) IS
	'one row per centroid of a k x d model: its 1-based cluster number and its coordinates';

--
-- logistic regression: churn scores and models (src/logistic.c)
--

CREATE FUNCTION churn_score(features float8[], coefficients float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_churn_score'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_score(float8[], float8[]) IS
	'logistic score 1 / (1 + exp(-(b0 + sum bi xi))) with coefficients = intercept then one per feature; overflow-free';

-- logistic_fit and logistic_summary: their internal state is the rows.
-- Transition functions are not STRICT: rows with NULL features or label are
-- skipped, NULL parameters are errors.

CREATE FUNCTION logistic_accum(internal, float8[], boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], boolean) IS
	'aggregate transition function for logistic_fit and logistic_summary';

CREATE FUNCTION logistic_accum(internal, float8[], boolean, float8) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], boolean, float8) IS
	'aggregate transition function for logistic_fit and logistic_summary with an L2 penalty';

CREATE FUNCTION logistic_accum(internal, float8[], boolean, float8, int) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_accum(internal, float8[], boolean, float8, int) IS
	'aggregate transition function for logistic_fit with an L2 penalty and an iteration limit';

CREATE FUNCTION logistic_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_combine(internal, internal) IS
	'aggregate combine function for logistic_fit and logistic_summary';

CREATE FUNCTION logistic_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'aim_logistic_serialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logistic_serialize(internal) IS
	'aggregate serialization function for logistic_fit and logistic_summary';

CREATE FUNCTION logistic_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_logistic_deserialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION logistic_deserialize(bytea, internal) IS
	'aggregate deserialization function for logistic_fit and logistic_summary';

CREATE FUNCTION logistic_final(internal) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_logistic_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_final(internal) IS
	'aggregate final function for logistic_fit: Newton iterations';

CREATE FUNCTION logistic_summary_final(internal) RETURNS jsonb
	AS 'MODULE_PATHNAME', 'aim_logistic_summary_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION logistic_summary_final(internal) IS
	'aggregate final function for logistic_summary';

CREATE AGGREGATE logistic_fit(features float8[], label boolean) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], boolean) IS
	'logistic regression coefficients (intercept first) by maximum likelihood, for churn_score';

CREATE AGGREGATE logistic_fit(features float8[], label boolean, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], boolean, float8) IS
	'logistic regression coefficients with an L2 penalty (l2 / 2) * |b[1:]|^2 on the non-intercept terms; l2 = 1 / C of scikit-learn';

CREATE AGGREGATE logistic_fit(features float8[], label boolean, l2 float8, max_iter int) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_fit(float8[], boolean, float8, int) IS
	'logistic regression coefficients with an L2 penalty and at most max_iter Newton iterations';

CREATE AGGREGATE logistic_summary(features float8[], label boolean) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], boolean) IS
	'logistic regression report as jsonb: per term coefficient, standard error, z, p-value, odds ratio; log-likelihood, AIC, iterations';

CREATE AGGREGATE logistic_summary(features float8[], label boolean, l2 float8) (
	SFUNC = logistic_accum, STYPE = internal, FINALFUNC = logistic_summary_final,
	COMBINEFUNC = logistic_combine, SERIALFUNC = logistic_serialize,
	DESERIALFUNC = logistic_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE logistic_summary(float8[], boolean, float8) IS
	'logistic regression report as jsonb, with an L2 penalty';

--
-- roc_auc (src/roc_auc.c)
--

CREATE FUNCTION roc_auc_accum(internal, float8, boolean) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_accum(internal, float8, boolean) IS
	'aggregate transition function for roc_auc';

CREATE FUNCTION roc_auc_combine(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_combine(internal, internal) IS
	'aggregate combine function for roc_auc';

CREATE FUNCTION roc_auc_serialize(internal) RETURNS bytea
	AS 'MODULE_PATHNAME', 'aim_roc_auc_serialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_serialize(internal) IS
	'aggregate serialization function for roc_auc';

CREATE FUNCTION roc_auc_deserialize(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME', 'aim_roc_auc_deserialize'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_deserialize(bytea, internal) IS
	'aggregate deserialization function for roc_auc';

CREATE FUNCTION roc_auc_final(internal) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_roc_auc_final'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roc_auc_final(internal) IS
	'aggregate final function for roc_auc';

CREATE AGGREGATE roc_auc(score float8, label boolean) (
	SFUNC = roc_auc_accum, STYPE = internal, FINALFUNC = roc_auc_final,
	COMBINEFUNC = roc_auc_combine, SERIALFUNC = roc_auc_serialize,
	DESERIALFUNC = roc_auc_deserialize, PARALLEL = SAFE
);
COMMENT ON AGGREGATE roc_auc(float8, boolean) IS
	'area under the ROC curve of score for label (ties count one half, as scikit-learn''s roc_auc_score); NULL unless both classes occur';

--
-- roi and roas (src/roi.c)
--

-- float8: a float8[3] state {rows, revenue, cost}, as core's regr_* use

CREATE FUNCTION roi_float8_accum(float8[], float8, float8) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_roi_float8_accum'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roi_float8_accum(float8[], float8, float8) IS
	'aggregate transition function for roi(float8, float8) and roas(float8, float8)';

CREATE FUNCTION roi_float8_combine(float8[], float8[]) RETURNS float8[]
	AS 'MODULE_PATHNAME', 'aim_roi_float8_combine'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roi_float8_combine(float8[], float8[]) IS
	'aggregate combine function for roi(float8, float8) and roas(float8, float8)';

CREATE FUNCTION roi_float8_final(float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_roi_float8_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roi_float8_final(float8[]) IS
	'aggregate final function for roi(float8, float8)';

CREATE FUNCTION roas_float8_final(float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_roas_float8_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roas_float8_final(float8[]) IS
	'aggregate final function for roas(float8, float8)';

CREATE AGGREGATE roi(revenue float8, cost float8) (
	SFUNC = roi_float8_accum,
	STYPE = float8[],
	FINALFUNC = roi_float8_final,
	COMBINEFUNC = roi_float8_combine,
	INITCOND = '{0,0,0}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE roi(float8, float8) IS
	'return on investment (sum(revenue) - sum(cost)) / sum(cost) over rows where both are non-NULL; NULL for no rows or zero total cost';

CREATE AGGREGATE roas(revenue float8, cost float8) (
	SFUNC = roi_float8_accum,
	STYPE = float8[],
	FINALFUNC = roas_float8_final,
	COMBINEFUNC = roi_float8_combine,
	INITCOND = '{0,0,0}',
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE roas(float8, float8) IS
	'return on ad spend sum(revenue) / sum(cost) over rows where both are non-NULL; NULL for no rows or zero total cost';

-- numeric (exact)
--
-- The state is a bytea (an ordinary type, so partial aggregates travel
-- between parallel workers and Citus nodes without serialisation) holding
-- int128 sums; see src/roi.c.  The transition functions are not STRICT
-- because the state starts NULL and must be created on the first row.
--

CREATE FUNCTION roi_numeric_accum(bytea, numeric, numeric) RETURNS bytea
	AS 'MODULE_PATHNAME', 'aim_roi_numeric_accum'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roi_numeric_accum(bytea, numeric, numeric) IS
	'aggregate transition function for roi(numeric, numeric) and roas(numeric, numeric)';

CREATE FUNCTION roi_numeric_inv(bytea, numeric, numeric) RETURNS bytea
	AS 'MODULE_PATHNAME', 'aim_roi_numeric_inv'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roi_numeric_inv(bytea, numeric, numeric) IS
	'moving-aggregate inverse transition function for roi(numeric, numeric) and roas(numeric, numeric)';

CREATE FUNCTION roi_numeric_combine(bytea, bytea) RETURNS bytea
	AS 'MODULE_PATHNAME', 'aim_roi_numeric_combine'
	LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION roi_numeric_combine(bytea, bytea) IS
	'aggregate combine function for roi(numeric, numeric) and roas(numeric, numeric)';

CREATE FUNCTION roi_numeric_final(bytea) RETURNS numeric
	AS 'MODULE_PATHNAME', 'aim_roi_numeric_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roi_numeric_final(bytea) IS
	'aggregate final function for roi(numeric, numeric)';

CREATE FUNCTION roas_numeric_final(bytea) RETURNS numeric
	AS 'MODULE_PATHNAME', 'aim_roas_numeric_final'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION roas_numeric_final(bytea) IS
	'aggregate final function for roas(numeric, numeric)';

CREATE AGGREGATE roi(revenue numeric, cost numeric) (
	SFUNC = roi_numeric_accum,
	STYPE = bytea,
	FINALFUNC = roi_numeric_final,
	COMBINEFUNC = roi_numeric_combine,
	MSFUNC = roi_numeric_accum,
	MINVFUNC = roi_numeric_inv,
	MSTYPE = bytea,
	MFINALFUNC = roi_numeric_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE roi(numeric, numeric) IS
	'exact return on investment (sum(revenue) - sum(cost)) / sum(cost) over rows where both are non-NULL; NULL for no rows or zero total cost';

CREATE AGGREGATE roas(revenue numeric, cost numeric) (
	SFUNC = roi_numeric_accum,
	STYPE = bytea,
	FINALFUNC = roas_numeric_final,
	COMBINEFUNC = roi_numeric_combine,
	MSFUNC = roi_numeric_accum,
	MINVFUNC = roi_numeric_inv,
	MSTYPE = bytea,
	MFINALFUNC = roas_numeric_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE roas(numeric, numeric) IS
	'exact return on ad spend sum(revenue) / sum(cost) over rows where both are non-NULL; NULL for no rows or zero total cost';

--
-- basket analysis (src/basket.c)
--
-- Both functions run baskets_sql (read-only, with the caller's privileges),
-- so they are VOLATILE and PARALLEL UNSAFE: the query may call functions
-- that are not parallel safe, and must not run inside a parallel operation.
-- CALLED ON NULL INPUT because a NULL max_len means "no limit"; NULL in the
-- other arguments is an error.

CREATE FUNCTION frequent_itemsets(baskets_sql text, min_support float8,
                                  max_len int DEFAULT NULL)
	RETURNS TABLE (itemset text[], support float8, count bigint)
	AS 'MODULE_PATHNAME', 'aim_frequent_itemsets'
	LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION frequent_itemsets(text, float8, int) IS
	'frequent itemsets of the baskets returned by baskets_sql ((basket_id, item) rows or one array per basket): every itemset of at most max_len items whose support (share of baskets containing it) is at least min_support';

CREATE FUNCTION apriori_rules(baskets_sql text, min_support float8,
                              min_confidence float8 DEFAULT 0.5,
                              max_len int DEFAULT NULL)
	RETURNS TABLE (antecedent text[], consequent text[],
	               antecedent_support float8, consequent_support float8,
	               support float8, confidence float8, lift float8,
	               leverage float8, conviction float8)
	AS 'MODULE_PATHNAME', 'aim_apriori_rules'
	LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION apriori_rules(text, float8, float8, int) IS
	'association rules antecedent -> consequent over the frequent itemsets of the baskets returned by baskets_sql, with confidence at least min_confidence; metrics as in mlxtend''s association_rules (conviction is Infinity when confidence is 1)';
