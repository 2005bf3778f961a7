--
-- apriori_rules(): all twelve of mlxtend 0.25's rule metrics and the filter
-- on any metric, against test/ref/rule_metrics_ref.py (mlxtend's
-- association_rules re-implemented from its source, equal bit for bit to
-- mlxtend's own output in test/data/oracles/; see test/data/README.md):
--
--   * every rule of every frequent itemset (min_confidence 0) of retail.dat
--     at min_support 0.01 and 0.005 and of Online Retail at 0.02: the same
--     (antecedent, consequent) pairs, every metric within 1e-12 (relative
--     for lift and conviction); mlxtend computes from rounded supports, we
--     from the exact counts
--   * association_rules(metric=m, min_threshold=t) for every metric at one
--     or two thresholds: the same rules as apriori_rules(..., 0, NULL, m, t)
--
SET extra_float_digits = 0;

CREATE TABLE rules_lines (line text);
\copy rules_lines FROM PROGRAM 'gzip -dc test/data/retail.dat.gz'
CREATE TABLE rules_retail AS
SELECT string_to_array(rtrim(line), ' ') AS items FROM rules_lines;
CREATE TABLE rules_online_raw (invoice text, stock_code text, description text,
                               quantity int, invoice_date timestamp,
                               unit_price numeric, customer_id numeric, country text);
\copy rules_online_raw FROM PROGRAM 'gzip -dc data/online_retail.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE TABLE rules_online AS
SELECT invoice, stock_code FROM rules_online_raw
 WHERE invoice !~ '^[CA]' AND quantity > 0 AND unit_price > 0;
SELECT (SELECT count(*) FROM rules_retail) AS retail_baskets,
       (SELECT count(DISTINCT invoice) FROM rules_online) AS online_baskets;

-- the reference
CREATE TABLE ref_rules (set text, min_support float8, antecedent text, consequent text,
                        antecedent_support float8, consequent_support float8,
                        support float8, confidence float8, lift float8,
                        leverage float8, conviction float8, representativity float8,
                        zhangs_metric float8, jaccard float8, certainty float8,
                        kulczynski float8);
\copy ref_rules FROM PROGRAM 'gzip -dc test/data/rule_metrics_ref.csv.gz' WITH (FORMAT csv, HEADER true)
CREATE TABLE ref_filter (set text, min_support float8, metric text, min_threshold float8,
                         antecedent text, consequent text);
\copy ref_filter FROM PROGRAM 'gzip -dc test/data/rule_filter_ref.csv.gz' WITH (FORMAT csv, HEADER true)
SELECT set, min_support, count(*) AS rules,
       count(*) FILTER (WHERE conviction = 'Infinity') AS infinite_conviction,
       count(*) FILTER (WHERE zhangs_metric < 0) AS negative_zhang
  FROM ref_rules GROUP BY 1, 2 ORDER BY 1, 2 DESC;

CREATE TABLE rules_sets (set text, min_support float8, q text);
INSERT INTO rules_sets VALUES
  ('retail', 0.01, 'SELECT items FROM rules_retail'),
  ('retail', 0.005, 'SELECT items FROM rules_retail'),
  ('online_retail', 0.02, 'SELECT invoice, stock_code FROM rules_online');

-- ours: every rule at min_confidence 0, items joined as in the reference
CREATE TABLE our_rules AS
SELECT s.set, s.min_support, array_to_string(r.antecedent, '|') AS antecedent,
       array_to_string(r.consequent, '|') AS consequent,
       r.antecedent_support, r.consequent_support, r.support, r.confidence, r.lift,
       r.leverage, r.conviction, r.representativity, r.zhangs_metric, r.jaccard,
       r.certainty, r.kulczynski
  FROM rules_sets s, apriori_rules(s.q, s.min_support, 0) r;

-- the same rules
SELECT s.set, s.min_support,
       (SELECT count(*) FROM ref_rules f WHERE f.set = s.set AND f.min_support = s.min_support
           AND NOT EXISTS (SELECT FROM our_rules o WHERE o.set = f.set AND o.min_support = f.min_support
                              AND o.antecedent = f.antecedent AND o.consequent = f.consequent)) AS missing,
       (SELECT count(*) FROM our_rules o WHERE o.set = s.set AND o.min_support = s.min_support
           AND NOT EXISTS (SELECT FROM ref_rules f WHERE o.set = f.set AND o.min_support = f.min_support
                              AND o.antecedent = f.antecedent AND o.consequent = f.consequent)) AS extra
  FROM rules_sets s ORDER BY 1, 2 DESC;

-- every metric: the largest difference, absolute (relative for lift and
-- conviction), below 1e-12 (below 1e-13: conviction's reaches 1.3e-14,
-- mlxtend's 1 - confidence cancels), and the infinities in the same places
SELECT m.metric, max(m.diff) < 1e-12 AS within_1e_12,
       max(m.diff) < 1e-13 AS within_1e_13,
       bool_and(m.same_inf) AS same_infinities
  FROM our_rules o
  JOIN ref_rules f USING (set, min_support, antecedent, consequent),
       LATERAL (VALUES
         ('antecedent_support', abs(o.antecedent_support - f.antecedent_support), true),
         ('consequent_support', abs(o.consequent_support - f.consequent_support), true),
         ('support', abs(o.support - f.support), true),
         ('confidence', abs(o.confidence - f.confidence), true),
         ('lift', abs(o.lift - f.lift) / f.lift, true),
         ('leverage', abs(o.leverage - f.leverage), true),
         ('conviction', CASE WHEN f.conviction = 'Infinity' THEN 0
                             ELSE abs(o.conviction - f.conviction) / f.conviction END,
          (o.conviction = 'Infinity') = (f.conviction = 'Infinity')),
         ('representativity', abs(o.representativity - f.representativity), true),
         ('zhangs_metric', abs(o.zhangs_metric - f.zhangs_metric), true),
         ('jaccard', abs(o.jaccard - f.jaccard), true),
         ('certainty', abs(o.certainty - f.certainty), true),
         ('kulczynski', abs(o.kulczynski - f.kulczynski), true)) m(metric, diff, same_inf)
 GROUP BY m.metric ORDER BY min(array_position(ARRAY['antecedent_support', 'consequent_support',
          'support', 'confidence', 'lift', 'leverage', 'conviction', 'representativity',
          'zhangs_metric', 'jaccard', 'certainty', 'kulczynski'], m.metric));

-- the filter: apriori_rules(q, s, 0, NULL, metric, t) keeps the rules
-- mlxtend's association_rules(metric=..., min_threshold=t) keeps
CREATE TABLE our_filter AS
SELECT s.set, s.min_support, t.metric, t.min_threshold,
       array_to_string(r.antecedent, '|') AS antecedent,
       array_to_string(r.consequent, '|') AS consequent
  FROM rules_sets s
  JOIN (SELECT DISTINCT set, min_support, metric, min_threshold FROM ref_filter) t USING (set, min_support),
       apriori_rules(s.q, s.min_support, 0, NULL, t.metric, t.min_threshold) r;
SELECT t.metric, t.min_threshold,
       string_agg(format('%s/%s', t.set, t.min_support), ' ' ORDER BY t.set, t.min_support DESC) AS sets,
       sum(t.n_ref) AS ref_rules,
       sum((SELECT count(*) FROM ((SELECT antecedent, consequent FROM ref_filter f
                                    WHERE (f.set, f.min_support, f.metric, f.min_threshold)
                                          = (t.set, t.min_support, t.metric, t.min_threshold)
                                   EXCEPT
                                   SELECT antecedent, consequent FROM our_filter o
                                    WHERE (o.set, o.min_support, o.metric, o.min_threshold)
                                          = (t.set, t.min_support, t.metric, t.min_threshold))
                                  UNION ALL
                                  (SELECT antecedent, consequent FROM our_filter o
                                    WHERE (o.set, o.min_support, o.metric, o.min_threshold)
                                          = (t.set, t.min_support, t.metric, t.min_threshold)
                                   EXCEPT
                                   SELECT antecedent, consequent FROM ref_filter f
                                    WHERE (f.set, f.min_support, f.metric, f.min_threshold)
                                          = (t.set, t.min_support, t.metric, t.min_threshold))) d)) AS differing
  FROM (SELECT set, min_support, metric, min_threshold, count(*) AS n_ref
          FROM ref_filter GROUP BY 1, 2, 3, 4) t
 GROUP BY t.metric, t.min_threshold
 ORDER BY t.metric, t.min_threshold;

-- the filter and min_confidence together: both apply
SELECT (SELECT count(*) FROM apriori_rules('SELECT items FROM rules_retail', 0.01, 0.2, NULL, 'lift', 1.5))
         AS ours,
       (SELECT count(*) FROM ref_filter f JOIN ref_rules r USING (set, min_support, antecedent, consequent)
         WHERE f.set = 'retail' AND f.min_support = 0.01 AND f.metric = 'lift' AND f.min_threshold = 1.5
           AND r.confidence >= 0.2) AS reference;

-- a BI-style view: the strongest rules of Online Retail by Zhang's metric,
-- then by lift
SELECT antecedent, consequent, round(confidence::numeric, 4) AS confidence,
       round(lift::numeric, 2) AS lift, round(zhangs_metric::numeric, 4) AS zhang,
       round(jaccard::numeric, 4) AS jaccard, round(kulczynski::numeric, 4) AS kulczynski
  FROM apriori_rules('SELECT invoice, stock_code FROM rules_online', 0.02, 0.5, NULL,
                     'zhangs_metric', 0.95)
 ORDER BY zhangs_metric DESC, lift DESC, antecedent, consequent
 LIMIT 5;

DROP TABLE rules_lines, rules_retail, rules_online_raw, rules_online, ref_rules, ref_filter,
           rules_sets, our_rules, our_filter;
