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
