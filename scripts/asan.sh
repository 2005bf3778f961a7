#!/usr/bin/env bash
# scripts/asan.sh: the pg_regress suite and the pgTAP suite against a build
# of aimarketing instrumented with AddressSanitizer and UndefinedBehavior-
# Sanitizer (gcc -fsanitize=address,undefined), and fail if either sanitizer
# reports anything.  `make asan-check` runs it; test/robust/90_asan.sh runs
# it inside scripts/test.sh.
#
# PostgreSQL itself is not instrumented, so the server runs with Debian's
# libasan preloaded (LD_PRELOAD in a wrapper given to pg_ctl -p; the
# postmaster forks every backend, so they all inherit it).  Nothing is
# installed into the PostgreSQL of AIM_PGBIN (Debian's, or a build from
# source: AIM_PG_MAJOR, scripts/lib.sh): the script copies that PostgreSQL
# tree (lib, share, include; pg_config and postgres find their paths
# relative to their own location) into its temporary directory,
# builds the extension from a copy of the source there (so the repository's
# object files stay uninstrumented) and installs it into the copy.
#
# Steps, each printed as "asan: <step>: ok|FAILED ..." (90_asan.sh reads
# these lines):
#   instrumented   the library references __asan_/__ubsan_ symbols
#   active         a backend that loaded the library has libasan mapped
#   ubsan-selftest a deliberate too large shift in a test function is
#                  reported
#   selftest       a deliberate heap overflow past a large palloc chunk in a
#                  separately built test function is caught and reported
#   pg_regress     make installcheck passes
#   pgTAP          pg_prove test/pgtap/*.sql passes
#   reports        no AddressSanitizer / UBSan report ("runtime error:") in
#                  the sanitizer logs or the server log, no backend crash
#
# What ASan can see here: PostgreSQL's palloc carves small chunks out of
# big malloc'd blocks, so an overrun inside a memory-context block is not
# caught (valgrind.sh is no better: Debian's server is not built with
# USE_VALGRIND).  Caught: overruns of chunks above 8 kB (each its own
# malloc block: every vector, model and state of real size), of malloc'd
# memory, of stack and global arrays, use of freed large chunks, and, from
# UBSan, bad shifts, misaligned access, out-of-bounds indexing of arrays of
# known size, invalid bool/enum loads, NULL dereference, division by zero
# (not signed overflow: PostgreSQL's flags include -fwrapv, which defines
# it).  Leak detection is off
# (memory contexts are freed wholesale).
#
#   AIM_KEEP=1   keep the temporary directory (logs, copy, cluster)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
AIM_PACKAGES+=(libasan8 libubsan1)
cd "$AIM_ROOT"
unset PGHOST PGPORT PGUSER PGDATABASE PGHOSTADDR PGOPTIONS

t_start=$(date +%s)
aim_ensure_packages

run=$(mktemp -d "${TMPDIR:-/tmp}/aim-asan.XXXXXX")
chmod 755 "$run"
asan_cleanup() {
	aim_cluster_stop
	if [ "${AIM_KEEP:-0}" = 1 ]; then
		aim_log "kept $run"
	else
		rm -rf "$run"
	fi
}
trap asan_cleanup EXIT
trap 'exit 130' INT TERM

status=0
step() { # step NAME ok|FAILED [detail]
	echo "asan: $1: $2${3:+ ($3)} [$(($(date +%s) - t_start)) s]"
	[ "$2" = ok ] || status=1
}

# ------------------------------------------------------------ private PostgreSQL
# the tree of AIM_PGBIN, in Debian's layout (<usr>/lib/postgresql/MAJOR/bin,
# <usr>/share/postgresql/MAJOR, <usr>/include/postgresql: a package, or a
# relocated copy of one) or a source build's (<prefix>/bin, lib, share,
# include: scripts/build_pg.sh)
if [ "$(basename "$(dirname "$AIM_PGBIN")")" = "$AIM_PG_MAJOR" ] &&
	[ "$(basename "$(dirname "$(dirname "$AIM_PGBIN")")")" = postgresql ]; then
	src_usr=$(cd "$AIM_PGBIN/../../../.." && pwd)
	pg=$run/pg/usr
	aim_log "copying the PostgreSQL tree of $src_usr into $pg"
	mkdir -p "$pg/lib/postgresql" "$pg/share/postgresql" "$pg/include"
	cp -a "$src_usr/lib/postgresql/$AIM_PG_MAJOR" "$pg/lib/postgresql/"
	cp -a "$src_usr/share/postgresql/$AIM_PG_MAJOR" "$pg/share/postgresql/"
	cp -a "$src_usr/include/postgresql" "$pg/include/"
	AIM_PGBIN=$pg/lib/postgresql/$AIM_PG_MAJOR/bin
else
	src_prefix=$(cd "$AIM_PGBIN/.." && pwd)
	pg=$run/pg
	aim_log "copying the PostgreSQL tree of $src_prefix into $pg"
	cp -a "$src_prefix" "$pg"
	AIM_PGBIN=$pg/bin
fi
AIM_PG_CONFIG=$AIM_PGBIN/pg_config
pkglibdir=$("$AIM_PG_CONFIG" --pkglibdir)
case $pkglibdir in
"$run"/*) ;;
*)
	echo "asan: the copied pg_config reports $pkglibdir, outside $run: not relocatable, giving up" >&2
	exit 1
	;;
esac

# ------------------------------------------------------------ build
# a copy of the working tree (uncommitted changes included), without the
# repository's object files
bld=$run/src
mkdir -p "$bld"
tar -C "$AIM_ROOT" --exclude=.git --exclude='*.o' --exclude='*.so' --exclude='*.bc' \
	--exclude=./results --exclude=./tmp_check -cf - . | tar -C "$bld" -xf -
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -g"
aim_log "building aimarketing with $SAN"
make -C "$bld" -s PG_CONFIG="$AIM_PG_CONFIG" COPT="$SAN" >"$run/build.log" 2>&1 || {
	cat "$run/build.log" >&2
	exit 1
}
grep -E 'warning|error' "$run/build.log" >&2 || true
make -C "$bld" -s PG_CONFIG="$AIM_PG_CONFIG" install >/dev/null
so=$pkglibdir/aimarketing.so
n_asan=$(nm -D --undefined-only "$so" | grep -c ' __asan_report_' || true)
n_ubsan=$(nm -D --undefined-only "$so" | grep -c ' __ubsan_handle_' || true)
if [ "$n_asan" -gt 0 ] && [ "$n_ubsan" -gt 0 ]; then
	step instrumented ok "$so: $n_asan __asan_report_* and $n_ubsan __ubsan_handle_* symbols"
else
	step instrumented FAILED "$so: $n_asan __asan_report_*, $n_ubsan __ubsan_handle_* symbols"
fi

# a deliberately faulty function, to prove that a report is caught: reads
# one byte past a chunk bigger than 8 kB (a malloc block of its own)
mkdir -p "$run/selftest"
cat >"$run/selftest/asan_selftest.c" <<'C'
#include "postgres.h"
#include "fmgr.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(asan_selftest);
Datum
asan_selftest(PG_FUNCTION_ARGS)
{
	int32		n = PG_GETARG_INT32(0);
	volatile char *p = palloc0(n);

	PG_RETURN_INT32(p[n + PG_GETARG_INT32(1)]);
}

PG_FUNCTION_INFO_V1(ubsan_selftest);
Datum
ubsan_selftest(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_INT32(0) << PG_GETARG_INT32(1));
}
C
gcc -shared -fPIC $SAN -I"$("$AIM_PG_CONFIG" --includedir-server)" \
	-o "$run/selftest/asan_selftest.so" "$run/selftest/asan_selftest.c"
chmod -R a+rX "$run/selftest"

# ------------------------------------------------------------ server
libasan=$(readlink -f "$(gcc -print-file-name=libasan.so)")
[ -f "$libasan" ] || { echo "asan: libasan not found ($libasan)" >&2; exit 1; }
# libgpg-error (a dependency of the server) calls bindtextdomain() from its
# constructor, before libasan's has run: the first malloc inside it starts
# ASan, whose start-up calls dlerror(), which needs the gettext lock that
# bindtextdomain() holds: the server hangs before main().  A preloaded
# bindtextdomain() that mallocs before calling the real one starts ASan
# outside the lock.
cat >"$run/early.c" <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

char *
bindtextdomain(const char *domain, const char *dir)
{
	static char *(*real) (const char *, const char *);

	void	   *volatile p = malloc(1);	/* volatile: gcc drops a malloc+free pair */

	free(p);
	if (!real)
		real = (char *(*) (const char *, const char *)) dlsym(RTLD_NEXT, "bindtextdomain");
	return real(domain, dir);
}
C
gcc -shared -fPIC -O0 -o "$run/aim-asan-early.so" "$run/early.c" -ldl
chmod 755 "$run/aim-asan-early.so"
logs=$run/logs
mkdir -p "$logs"
chmod 1777 "$logs"
wrapper=$run/postgres-asan
cat >"$wrapper" <<WRAP
#!/bin/sh
# postgres with libasan preloaded (the instrumented aimarketing.so needs it
# first in the link order); every forked backend inherits it
LD_PRELOAD="$libasan $run/aim-asan-early.so"
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1:verify_asan_link_order=0:log_path=$logs/asan:disable_coredump=1
UBSAN_OPTIONS=print_stacktrace=1:log_path=$logs/asan
export LD_PRELOAD ASAN_OPTIONS UBSAN_OPTIONS
exec $AIM_PGBIN/postgres "\$@"
WRAP
chmod 755 "$wrapper"
AIM_POSTGRES=$wrapper AIM_START_TIMEOUT=120 AIM_PG_CONF_EXTRA="shared_buffers = 128MB
jit = off
restart_after_crash = on" aim_cluster_start || { asan_cleanup; exit 1; }
trap asan_cleanup EXIT
psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

maps=$(psql_q -d postgres -c "LOAD 'aimarketing'" -c "SELECT pg_read_file('/proc/self/maps')")
if grep -q "$(basename "$libasan")" <<<"$maps" && grep -q "$so" <<<"$maps"; then
	step active ok "a backend maps $(basename "$libasan") and $so"
else
	step active FAILED "libasan or the instrumented library not mapped in a backend"
fi

# the self-tests: a too large shift must be reported (UBSan goes on), then
# the backend must abort with a heap-buffer-overflow report
# (synchronous_commit on: the cluster runs with it off, and the deliberate
# crash below would lose a commit whose WAL was not flushed yet)
psql_q -d postgres -c "SET synchronous_commit = on" \
	-c "CREATE FUNCTION asan_selftest(int, int) RETURNS int STRICT
	LANGUAGE C AS '$run/selftest/asan_selftest.so', 'asan_selftest'" \
	-c "CREATE FUNCTION ubsan_selftest(int, int) RETURNS int STRICT
	LANGUAGE C AS '$run/selftest/asan_selftest.so', 'ubsan_selftest'"
psql_q -d postgres -c "SELECT ubsan_selftest(1, 40)" >/dev/null 2>&1 || true
ready=$(grep -c 'ready to accept connections' "$AIM_TMP/server.log")
psql_q -d postgres -c "SELECT asan_selftest(20000, 0)" >/dev/null 2>&1 || true
# the postmaster reinitialises after the crash: wait until it says it is
# ready again (a connection made before it noticed the crash would be cut)
for _ in $(seq 1 90); do
	[ "$(grep -c 'ready to accept connections' "$AIM_TMP/server.log")" -gt "$ready" ] &&
		psql_q -d postgres -c "SELECT 1" >/dev/null 2>&1 && break
	sleep 1
done
psql_q -d postgres -c "DROP FUNCTION IF EXISTS asan_selftest(int, int)" \
	-c "DROP FUNCTION IF EXISTS ubsan_selftest(int, int)"
mkdir -p "$run/selftest/logs"
# (UBSan's runtime, loaded with the first instrumented library, writes to
# stderr: the server log)
if grep -q 'asan_selftest.c:[0-9:]* runtime error: shift exponent 40' \
	"$logs"/asan.* "$AIM_TMP/server.log" 2>/dev/null; then
	step ubsan-selftest ok "a too large shift in a test function was reported"
else
	step ubsan-selftest FAILED "the deliberate too large shift was not reported; logs: $(ls "$logs")"
fi
if grep -l 'ERROR: AddressSanitizer: heap-buffer-overflow' "$logs"/asan.* 2>/dev/null |
	xargs -r grep -l 'asan_selftest' >/dev/null 2>&1; then
	step selftest ok "a read past a 20000-byte palloc chunk was reported"
else
	step selftest FAILED "the deliberate overflow was not reported; logs: $(ls "$logs")"
fi
mv "$logs"/asan.* "$run/selftest/logs/" 2>/dev/null || true
cp "$AIM_TMP/server.log" "$run/selftest/server.log"
: >"$AIM_TMP/server.log" # the crash above is expected; later ones are not

# ------------------------------------------------------------ suites
aim_log "pg_regress (instrumented)"
if make -C "$bld" -s PG_CONFIG="$AIM_PG_CONFIG" installcheck >"$run/regress.out" 2>&1; then
	# (pg_regress 15: "test name ... ok"; 17: "ok 1 - name")
	step pg_regress ok "$(grep -cE '^(ok|test) .* ok( |$)|^ok [0-9]+ ' "$run/regress.out") tests"
else
	cat "$run/regress.out"
	[ -f "$bld/regression.diffs" ] && head -n 200 "$bld/regression.diffs"
	step pg_regress FAILED
fi

aim_log "pgTAP (instrumented)"
psql_q -d postgres -c "CREATE DATABASE aimarketing_pgtap"
psql_q -d aimarketing_pgtap -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION aimarketing"
if (cd "$bld" && pg_prove --failures -d aimarketing_pgtap test/pgtap/*.sql) >"$run/pgtap.out" 2>&1; then
	step pgTAP ok "$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$run/pgtap.out") tests"
else
	cat "$run/pgtap.out"
	step pgTAP FAILED
fi

# ------------------------------------------------------------ reports
sleep 1
reports=$(grep -lE 'ERROR: AddressSanitizer|runtime error:' "$logs"/asan.* "$AIM_TMP/server.log" 2>/dev/null || true)
crashes=$(grep -E 'terminated by signal|was terminated by exception' "$AIM_TMP/server.log" || true)
if [ -z "$reports" ] && [ -z "$crashes" ]; then
	step reports ok "no sanitizer report, no backend crash"
else
	for f in $reports; do
		echo "---- $f"
		grep -E -A40 'ERROR: AddressSanitizer|runtime error:' "$f" | head -n 80
	done
	[ -z "$crashes" ] || printf '%s\n' "---- server log:" "$crashes"
	step reports FAILED "$(printf '%s\n' $reports | grep -c .) file(s) with reports"
fi

echo "asan: done in $(($(date +%s) - t_start)) s: $([ "$status" = 0 ] && echo passed || echo FAILED)"
exit "$status"
