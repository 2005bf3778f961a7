#!/usr/bin/env bash
# test/doc/10_readme.sh: the SQL examples of data/README.md and README.md are
# run and their output compared with what the documents show (the block
# convention is in test/doc/doctest.py and TESTING.md).  One database of its
# own with the extension; data/README.md's load block loads the bundled
# orders into order_lines, which README.md's recipes then use.
# TESTING.md has no SQL; only its links and paths are checked.
set -uo pipefail
cd "$AIM_ROOT"
. test/tap.sh
tap_scratch doc_readme
psql -X -q -d postgres -c "CREATE DATABASE $TAP_DB" &&
	tap_sql "CREATE EXTENSION aimarketing" >/dev/null ||
	{ echo "Bail out! cannot create database $TAP_DB"; exit 1; }
/usr/bin/python3 test/doc/doctest.py -d "$TAP_DB" data/README.md README.md TESTING.md
