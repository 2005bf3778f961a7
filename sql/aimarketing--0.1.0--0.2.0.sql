/* aimarketing--0.1.0--0.2.0.sql: from version 0.1.0 to 0.2.0 (recommendations) */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION aimarketing UPDATE TO '0.2.0'" to load this file. \quit

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
