# test/tap.sh: a few TAP helpers for the shell test scripts of test/pipeline/
# and test/robust/ (run by scripts/test.sh through prove).  Source it:
#
#   . "$AIM_ROOT/test/tap.sh"
#   tap_plan 3
#   tap_ok "server answers" psql -X -c 'SELECT 1'
#   tap_is "$(tap_sql 'SELECT 1+1')" 2 "addition"
#
# tap_sql runs one statement in $TAP_DB (default: $PGDATABASE) and prints the
# unaligned, tuples-only result; it fails (non-zero) on any SQL error.

TAP_N=0
TAP_FAILED=0
TAP_DB=${TAP_DB:-${PGDATABASE:-postgres}}

tap_plan() { echo "1..$1"; }

# TAP_TIMING=1: a diagnostic line with the seconds since the previous test
TAP_T0=$(date +%s.%N)

tap_result() { # tap_result STATUS DESCRIPTION
	TAP_N=$((TAP_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $TAP_N - $2"
	else
		echo "not ok $TAP_N - $2"
		TAP_FAILED=$((TAP_FAILED + 1))
	fi
	if [ "${TAP_TIMING:-0}" = 1 ]; then
		local t1
		t1=$(date +%s.%N)
		awk -v a="$TAP_T0" -v b="$t1" 'BEGIN { printf "# %.1f s\n", b - a }'
		TAP_T0=$t1
	fi
}

tap_diag() { printf '# %s\n' "$@" | sed '2,$s/^/# /'; }

# tap_ok DESCRIPTION COMMAND...: passes when the command exits 0; its output
# is shown as diagnostics when it fails
tap_ok() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	tap_result "$rc" "$desc"
	[ "$rc" = 0 ] || tap_diag "$out"
	return 0
}

# tap_is GOT EXPECTED DESCRIPTION
tap_is() {
	if [ "$1" = "$2" ]; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		tap_diag "got:      '$1'" "expected: '$2'"
	fi
}

tap_sql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$TAP_DB" -c "$1"
}

# tap_sqlstate SQL: prints the SQLSTATE the statement raises, or "ok"
tap_sqlstate() {
	psql -X -q -A -t -d "$TAP_DB" -v ON_ERROR_STOP=1 -v VERBOSITY=sqlstate \
		-c '\set VERBOSITY sqlstate' -c "$1" 2>&1 >/dev/null |
		sed -n 's/^ERROR: *\([0-9A-Z]\{5\}\).*/\1/p' | head -1 | grep . || echo ok
}

# tap_scratch NAME [CLEANUP-SQL]: a database of the script's own, TAP_DB =
# aim_robust_NAME_<pid> (not created: the script decides how), and a scratch
# directory TAP_WORK; at exit the database is dropped (after CLEANUP-SQL, run
# in postgres, e.g. to drop a role) and the directory removed
tap_scratch() {
	TAP_DB=aim_robust_$1_$$
	TAP_WORK=$(mktemp -d "${TMPDIR:-/tmp}/aim_$1.XXXXXX")
	TAP_CLEANUP_SQL=${2:-}
	export TAP_DB
	trap tap_scratch_cleanup EXIT
}
tap_scratch_cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $TAP_DB" \
		${TAP_CLEANUP_SQL:+-c "$TAP_CLEANUP_SQL"} >/dev/null 2>&1
	rm -rf "$TAP_WORK"
}

# exit status for the end of a script
tap_done() { [ "$TAP_FAILED" = 0 ]; }
