#!/usr/bin/python3
"""demo/80_bi_client.py: a client reading the marts, as a BI tool would.

Connects with psycopg2 (Debian package python3-psycopg2) using the usual
libpq environment (PGHOST, PGPORT, PGDATABASE, PGUSER), runs one parameterised
query over the materialized views of the pipeline -- each segment with its
value and its churn risk -- and prints the rows as a table, or as CSV with
--csv (what a BI tool or a spreadsheet import would take).

    /usr/bin/python3 demo/80_bi_client.py [--min-risk-band 4] [--csv]
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--min-risk-band", type=int, default=4,
                    help="churn risk band counted as at risk (1..5, default 4: p >= 0.6)")
    ap.add_argument("--csv", action="store_true", help="print CSV with a header")
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

    if args.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(names)
        out.writerows(rows)
        return
    cells = [names] + [[str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(names))]
    print(f"Segments, value and churn risk (at risk = risk band >= {args.min_risk_band}):")
    for n, r in enumerate(cells):
        print("  ".join(v.rjust(w) for v, w in zip(r, widths)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
