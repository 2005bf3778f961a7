#!/usr/bin/env bash
# test/doc/20_demo.sh: the SQL examples of demo/README.md, run on the marts
# of the main job (the document's "doctest: setup" line names the demo steps
# that build them) and compared with what the document shows.
set -uo pipefail
cd "$AIM_ROOT"
. test/tap.sh
tap_scratch doc_demo
psql -X -q -d postgres -c "CREATE DATABASE $TAP_DB" &&
	tap_sql "CREATE EXTENSION aimarketing" >/dev/null ||
	{ echo "Bail out! cannot create database $TAP_DB"; exit 1; }
/usr/bin/python3 test/doc/doctest.py -d "$TAP_DB" demo/README.md
