--
-- churn_score
--
SET extra_float_digits = 0;

-- errors are shown as "SQLSTATE: message [detail]" (pg_temp.try, sql/try.psql)
\set ECHO none
\i sql/try.psql
\set ECHO all

-- z = 0.5 + 1*1 - 1*2 = -0.5; 1 / (1 + e^0.5) = 0.377540668798145
SELECT churn_score('{1,2}', '{0.5,1,-1}') AS score,
       1 / (1 + exp(0.5)) AS by_hand;

-- exactly representable limits
SELECT churn_score('{0}', '{0,1}') AS half,
       churn_score('{40}', '{0,1}') AS z40,
       churn_score('{-40}', '{0,1}') AS z_minus40,
       churn_score('{800}', '{0,1}') AS z800,
       churn_score('{-800}', '{0,1}') AS z_minus800,
       churn_score('{-745}', '{0,1}') > 0 AS z_minus745_positive;

-- products that overflow double: z is +/-Infinity, the score 1 or 0
SELECT churn_score('{1e300}', '{0,1e300}') AS plus_overflow,
       churn_score('{-1e300}', '{0,1e300}') AS minus_overflow,
       churn_score('{1e300,-1e300}', '{1,1e300,2e300}') AS opposite_overflows;
-- one partial sum overflows to +Infinity, the total is -1.4e308
SELECT churn_score('{1e154,1e154,1e154}', '{0,2e154,-1.7e154,-1.7e154}') AS partial_overflow;
-- huge products that cancel exactly leave the small terms: z = 0 + 0 + 5
SELECT churn_score('{1e300,-1e300,5}', '{0,1e300,1e300,1}') AS cancelling,
       1 / (1 + exp(-5.0::float8)) AS sigmoid_5;

-- symmetry: s(z) + s(-z) = 1
SELECT round((churn_score('{3.7}', '{0,1}') + churn_score('{-3.7}', '{0,1}'))::numeric, 15) AS symmetric;

-- intercept-only model: no features, one coefficient
SELECT churn_score('{}', '{0}') AS intercept_only,
       round(churn_score('{}', '{2}')::numeric, 12) AS intercept_2;

-- scoring a table
CREATE TEMP TABLE cust (id int, f float8[]);
INSERT INTO cust VALUES (1, '{10,1,50}'), (2, '{200,8,900}'), (3, '{45,3,120}');
SELECT id, round(churn_score(f, '{-1.0,0.02,-0.3,-0.001}')::numeric, 6) AS p_churn
  FROM cust ORDER BY id;

SELECT churn_score(NULL, '{1}') IS NULL AS strict_null;

-- errors
SELECT pg_temp.try($$SELECT churn_score('{1,2}', '{1,2}')$$);
SELECT pg_temp.try($$SELECT churn_score('{1,2}', '{1,2,3,4}')$$);
SELECT pg_temp.try($$SELECT churn_score('{1}', '{}')$$);
SELECT pg_temp.try($$SELECT churn_score('{1,2}', '{0,NULL,2}')$$);
SELECT pg_temp.try($$SELECT churn_score('{1,2}', '{0,1,Infinity}')$$);
SELECT pg_temp.try($$SELECT churn_score('{-Infinity}', '{0,0}')$$);
