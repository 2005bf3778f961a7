-- demo/50_campaigns.sql: pipeline step 5, campaign ROI.
--
-- ILLUSTRATIVE DATA.  The Online Retail file has no marketing data, so this
-- step invents three campaigns (aim_mart.campaigns: the segments each one
-- targeted, its dates and its cost per contact).  The revenue side is real:
-- the sales of the targeted customers during the campaign.  The segments are
-- today's (step 1) while the campaigns lie in the past, and there is no
-- control group, so the figures show how roi/roas report a campaign, not the
-- effect of any real campaign.
--
--   aim_mart.campaigns           campaign_id, name, channel, starts, ends, cost_per_contact
--   aim_mart.campaign_segments   campaign_id, segment            (who was targeted)
--   aim_mart.campaign_contacts   campaign_id, customer_id, segment, revenue, cost
--   aim_mart.campaign_weekly     campaign_id, week, revenue, cost (cost in the first week)
--   aim_mart.campaign_roi        view: roi/roas by campaign and by campaign x segment
--   aim_mart.campaign_running_roi  view: cumulative ROI week by week (window frame)
\set ON_ERROR_STOP 1
\pset footer off
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS aimarketing;
CREATE SCHEMA IF NOT EXISTS aim_mart;
DROP TABLE IF EXISTS aim_mart.campaign_segments, aim_mart.campaigns CASCADE;
RESET client_min_messages;

\echo
\echo '== 5. Campaign ROI (roi, roas; ILLUSTRATIVE campaigns over the real sales) =='

CREATE TABLE aim_mart.campaigns (
  campaign_id      int PRIMARY KEY,
  name             text NOT NULL,
  channel          text NOT NULL,
  starts           date NOT NULL,
  ends             date NOT NULL,          -- inclusive
  cost_per_contact numeric(10,2) NOT NULL CHECK (cost_per_contact >= 0),
  CHECK (ends >= starts));
INSERT INTO aim_mart.campaigns VALUES
  (1, 'Autumn newsletter',     'email',     '2011-09-05', '2011-09-18', 0.05),
  (2, 'Loyalty double points', 'email+app', '2011-10-03', '2011-10-30', 8.00),
  (3, 'VIP Christmas preview', 'catalogue+call', '2011-11-01', '2011-11-30', 35.00);

CREATE TABLE aim_mart.campaign_segments (
  campaign_id int REFERENCES aim_mart.campaigns,
  segment     int,
  PRIMARY KEY (campaign_id, segment));
-- newsletter: every segment; loyalty: the two highest-spend segments;
-- VIP catalogue: segment 1 (segments are numbered by spend, step 1)
INSERT INTO aim_mart.campaign_segments
SELECT 1, segment FROM aim_mart.segment_profile
UNION ALL SELECT 2, segment FROM aim_mart.segment_profile WHERE segment <= 2
UNION ALL SELECT 3, 1;

COMMENT ON TABLE aim_mart.campaigns IS
  'ILLUSTRATIVE campaigns (the data set has no marketing costs): dates and cost per contact';
COMMENT ON TABLE aim_mart.campaign_segments IS 'ILLUSTRATIVE: the segments each campaign targeted';

-- one row per contacted customer: the sales during the campaign, and the
-- contact's cost; exact numeric money on both sides
CREATE MATERIALIZED VIEW aim_mart.campaign_contacts AS
SELECT c.campaign_id, cs.customer_id, cs.segment,
       coalesce((SELECT sum(s.amount) FROM aim_shop.sales s
                  WHERE s.customer_id = cs.customer_id
                    AND s.ordered_at >= c.starts AND s.ordered_at < c.ends + 1), 0) AS revenue,
       c.cost_per_contact AS cost
  FROM aim_mart.campaigns c
  JOIN aim_mart.campaign_segments t ON t.campaign_id = c.campaign_id
  JOIN aim_mart.customer_segments cs ON cs.segment = t.segment;
CREATE UNIQUE INDEX ON aim_mart.campaign_contacts (campaign_id, customer_id);
COMMENT ON MATERIALIZED VIEW aim_mart.campaign_contacts IS
  'ILLUSTRATIVE campaigns: each targeted customer''s sales during the campaign and the contact''s cost';

-- week by week: the contacts' sales in each campaign week, all costs in the
-- first week (the mailing goes out on day one)
CREATE MATERIALIZED VIEW aim_mart.campaign_weekly AS
WITH weeks AS (
  SELECT c.campaign_id, w::date AS week, c.starts, c.ends
    FROM aim_mart.campaigns c,
         generate_series(date_trunc('week', c.starts), c.ends, interval '1 week') w
)
SELECT w.campaign_id, w.week,
       coalesce((SELECT sum(s.amount)
                   FROM aim_mart.campaign_contacts k
                   JOIN aim_shop.sales s ON s.customer_id = k.customer_id
                  WHERE k.campaign_id = w.campaign_id
                    AND s.ordered_at >= greatest(w.week, w.starts)
                    AND s.ordered_at < least(w.week + 7, w.ends + 1)), 0) AS revenue,
       CASE WHEN w.week = date_trunc('week', w.starts)
            THEN (SELECT sum(k.cost) FROM aim_mart.campaign_contacts k
                   WHERE k.campaign_id = w.campaign_id)
            ELSE 0 END AS cost
  FROM weeks w;
CREATE UNIQUE INDEX ON aim_mart.campaign_weekly (campaign_id, week);
COMMENT ON MATERIALIZED VIEW aim_mart.campaign_weekly IS
  'ILLUSTRATIVE campaigns: contacts'' sales per campaign week, costs booked in the first week';

CREATE VIEW aim_mart.campaign_roi AS
SELECT c.campaign_id, c.name AS campaign, k.segment,
       count(*) AS contacts,
       count(*) FILTER (WHERE k.revenue > 0) AS buyers,
       sum(k.revenue) AS revenue, sum(k.cost) AS cost,
       roi(k.revenue, k.cost) AS roi, roas(k.revenue, k.cost) AS roas
  FROM aim_mart.campaign_contacts k
  JOIN aim_mart.campaigns c USING (campaign_id)
 GROUP BY GROUPING SETS ((c.campaign_id, c.name), (c.campaign_id, c.name, k.segment));
COMMENT ON VIEW aim_mart.campaign_roi IS
  'ILLUSTRATIVE campaigns: roi and roas per campaign (segment NULL) and per campaign and segment';

CREATE VIEW aim_mart.campaign_running_roi AS
SELECT w.campaign_id, c.name AS campaign, w.week, w.revenue, w.cost,
       sum(w.revenue) OVER running AS revenue_to_date,
       sum(w.cost) OVER running AS cost_to_date,
       roi(w.revenue, w.cost) OVER running AS roi_to_date,
       roas(w.revenue, w.cost) OVER running AS roas_to_date
  FROM aim_mart.campaign_weekly w
  JOIN aim_mart.campaigns c USING (campaign_id)
WINDOW running AS (PARTITION BY w.campaign_id ORDER BY w.week
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
COMMENT ON VIEW aim_mart.campaign_running_roi IS
  'ILLUSTRATIVE campaigns: cumulative revenue, cost, roi and roas week by week';

\echo 'The (illustrative) campaigns:'
SELECT c.campaign_id AS id, c.name, c.channel, c.starts, c.ends, c.cost_per_contact,
       (SELECT string_agg(segment::text, ',' ORDER BY segment) FROM aim_mart.campaign_segments t
         WHERE t.campaign_id = c.campaign_id) AS segments
  FROM aim_mart.campaigns c ORDER BY c.campaign_id;

\echo 'ROI and ROAS by campaign, then by targeted segment.'
\echo 'Revenue = all sales of the targeted customers during the campaign (no control group),'
\echo 'so ROI here overstates what a campaign caused: wholesale customers order anyway.'
SELECT campaign, coalesce(segment::text, 'all') AS segment, contacts, buyers,
       round(revenue, 2) AS revenue, cost, round(roi, 2) AS roi, round(roas, 2) AS roas
  FROM aim_mart.campaign_roi
 ORDER BY campaign_id, segment NULLS FIRST;

\echo 'Running ROI by week (window frame from the campaign start):'
SELECT campaign, week, round(revenue, 2) AS revenue, cost,
       round(roi_to_date, 2) AS roi_to_date, round(roas_to_date, 2) AS roas_to_date
  FROM aim_mart.campaign_running_roi
 ORDER BY campaign_id, week;
