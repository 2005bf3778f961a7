#!/usr/bin/python3
"""demo/80_bi_client.py: a client reading the marts, as a BI tool would.

Connects with psycopg2 (Debian package python3-psycopg2) using the usual
libpq environment (PGHOST, PGPORT, PGDATABASE, PGUSER) and runs parameterised
queries over the materialized views of the pipeline: each segment with its
value and its churn risk, then one customer's recommended products with
their names (--customer; by default the customer with the most orders).
Prints tables, or CSV with --csv (what a BI tool or a spreadsheet import
would take): the segments, or the recommendations when --customer is given.

    /usr/bin/python3 demo/80_bi_client.py [--min-risk-band 4] [--customer ID] [--csv]
"""
import argparse
import csv
import sys

import psycopg2

QUERY = """
SELECT p.segment,
       p.customers,
       p.avg_spend,
       p.revenue_share_pct,
       round(avg(s.p_churn)::numeric, 4) AS avg_p_churn,
       count(*) FILTER (WHERE s.risk_band >= %(min_band)s) AS at_risk,
       coalesce(sum(c.monetary) FILTER (WHERE s.risk_band >= %(min_band)s), 0)
         AS revenue_at_risk
  FROM aim_mart.segment_profile p
  JOIN aim_mart.customer_segments c ON c.segment = p.segment
  JOIN aim_mart.churn_scores s ON s.customer_id = c.customer_id
 GROUP BY p.segment, p.customers, p.avg_spend, p.revenue_share_pct
 ORDER BY p.segment
"""

# one customer's top 10 (aim_mart.customer_recommendations, step 3) with the
# products' names; score NULL = filled with a popular product
RECOMMENDATIONS = """
SELECT r.rank,
       r.stock_code,
       p.description,
       round(r.score::numeric, 4) AS score,
       r.method
  FROM aim_mart.customer_recommendations r
  JOIN aim_shop.products p USING (stock_code)
 WHERE r.customer_id = %(customer)s
 ORDER BY r.rank
"""

CUSTOMER = """
SELECT c.customer_id, c.segment, c.frequency AS orders, c.monetary AS spend,
       s.risk_band AS churn_risk_band
  FROM aim_mart.customer_segments c
  JOIN aim_mart.churn_scores s USING (customer_id)
 WHERE c.customer_id = coalesce(%(customer)s,
         (SELECT customer_id FROM aim_mart.customer_segments
           WHERE customer_id IN (SELECT customer_id FROM aim_mart.customer_recommendations)
           ORDER BY frequency DESC, customer_id LIMIT 1))
"""


def print_table(names, rows):
    """Print rows under their column names: text left-aligned, numbers right."""
    cells = [names] + [[str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(names))]
    left = [bool(rows) and isinstance(rows[0][i], str) for i in range(len(names))]
    for n, r in enumerate(cells):
        print("  ".join(v.ljust(w) if lft else v.rjust(w)
                        for v, w, lft in zip(r, widths, left)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-risk-band", type=int, default=4,
                    help="churn risk band counted as at risk (1..5, default 4: p >= 0.6)")
    ap.add_argument("--customer", type=int,
                    help="customer id whose recommendations to show (default: most orders)")
    ap.add_argument("--csv", action="store_true",
                    help="print CSV with a header: the segments, or the recommendations with --customer")
    args = ap.parse_args()
    if not 1 <= args.min_risk_band <= 5:
        ap.error("--min-risk-band must be between 1 and 5")

    # "" = connection parameters from the libpq environment
    with psycopg2.connect("", application_name="aimarketing-bi-client") as conn:
        conn.set_session(readonly=True)
        with conn.cursor() as cur:
            cur.execute(QUERY, {"min_band": args.min_risk_band})
            names = [d.name for d in cur.description]
            rows = cur.fetchall()
            cur.execute(CUSTOMER, {"customer": args.customer})
            who = cur.fetchone()
            if who is not None:
                cur.execute(RECOMMENDATIONS, {"customer": who[0]})
                rec_names = [d.name for d in cur.description]
                recs = cur.fetchall()
    if args.customer is not None and (who is None or not recs):
        sys.exit(f"{sys.argv[0]}: no recommendations for customer {args.customer}")

    if args.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        if args.customer is not None:
            out.writerow(rec_names)
            out.writerows(recs)
        else:
            out.writerow(names)
            out.writerows(rows)
        return
    print(f"Segments, value and churn risk (at risk = risk band >= {args.min_risk_band}):")
    print_table(names, rows)
    if who is not None:
        print()
        print(f"Recommended for customer {who[0]} (segment {who[1]}, {who[2]} orders, "
              f"spend {who[3]:.2f}, churn risk band {who[4]}), by {recs[0][4] if recs else '-'}:")
        print_table(rec_names[:4], [r[:4] for r in recs])


if __name__ == "__main__":
    main()
