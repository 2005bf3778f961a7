/* aimarketing--0.1.0.sql: install script for version 0.1.0 */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION aimarketing" to load this file. \quit

--
-- similarity
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
-- k-means
--

CREATE FUNCTION kmeans_assign(features float8[], centroids float8[]) RETURNS int
	AS 'MODULE_PATHNAME', 'aim_kmeans_assign'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION kmeans_assign(float8[], float8[]) IS
	'1-based index of the centroid (row of a k x d array) nearest to features in squared Euclidean distance; ties go to the lowest index';

--
-- churn
--

CREATE FUNCTION churn_score(features float8[], coefficients float8[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'aim_churn_score'
	LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION churn_score(float8[], float8[]) IS
	'logistic score 1 / (1 + exp(-(b0 + sum bi xi))) with coefficients = intercept then one per feature; overflow-free';

--
-- roi and roas, float8
--

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

--
-- roi and roas, numeric (exact)
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
