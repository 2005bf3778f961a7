# scripts/lib.sh: the one place that knows how to get from a bare Debian 12
# machine to a running throwaway PostgreSQL cluster with aimarketing
# installed.  Sourced by scripts/test.sh, scripts/demo.sh and test/bench/*.sh.
#
#   aim_ensure_packages   install missing Debian packages (sudo if not root)
#   aim_build_install     build with PGXS and install into PostgreSQL 15
#                         (or under AIM_DESTDIR, a relocated private copy)
#   aim_cluster_start     initdb + start a private cluster; exports PG* vars;
#                         stopped and removed at exit (AIM_KEEP=1 keeps it)
#
# The cluster listens only on a Unix socket in its own temporary directory
# (no TCP port, so it cannot clash with another server), runs as the
# invoking user, or as the system user "aimarketing" when invoked as root
# (postgres refuses to run as root).

AIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AIM_PG_MAJOR=15
# AIM_PGBIN may be preset to run another (e.g. relocated private) server build
AIM_PGBIN=${AIM_PGBIN:-/usr/lib/postgresql/$AIM_PG_MAJOR/bin}
AIM_PG_CONFIG=$AIM_PGBIN/pg_config
AIM_PACKAGES=(
	postgresql-$AIM_PG_MAJOR
	postgresql-server-dev-$AIM_PG_MAJOR
	postgresql-$AIM_PG_MAJOR-pgtap
	libtap-parser-sourcehandler-pgtap-perl
	build-essential
	libopenblas0-serial
	${AIM_EXTRA_PACKAGES:-}
)

aim_log() { printf '==> %s\n' "$*" >&2; }

# run a command as root: directly when we are root, else through sudo
aim_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

aim_ensure_packages() {
	local missing=() p
	for p in "${AIM_PACKAGES[@]}"; do
		[ -n "$p" ] || continue
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		aim_log "installing Debian packages: ${missing[*]}"
		aim_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		aim_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null
	fi
}

aim_build_install() {
	aim_log "building aimarketing"
	make -C "$AIM_ROOT" -s PG_CONFIG="$AIM_PG_CONFIG" ${AIM_MAKE_FLAGS:-} >/dev/null
	if [ -n "${AIM_DESTDIR:-}" ]; then
		# a relocated private copy of PostgreSQL (see AIM_PGBIN)
		aim_log "installing aimarketing under $AIM_DESTDIR"
		make -C "$AIM_ROOT" -s PG_CONFIG="$AIM_PG_CONFIG" DESTDIR="$AIM_DESTDIR" install >/dev/null
		return
	fi
	aim_log "installing aimarketing into PostgreSQL $AIM_PG_MAJOR"
	aim_root make -C "$AIM_ROOT" -s PG_CONFIG="$AIM_PG_CONFIG" install >/dev/null
}

# run a command as the cluster's OS user
aim_as_server() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$AIM_SERVER_USER" -- "$@"
	else
		"$@"
	fi
}

aim_cluster_stop() {
	if [ -n "${AIM_TMP:-}" ] && [ -d "$AIM_TMP/data" ]; then
		aim_as_server "$AIM_PGBIN/pg_ctl" -D "$AIM_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	if [ -n "${AIM_TMP:-}" ] && [ "${AIM_KEEP:-0}" != 1 ]; then
		rm -rf "$AIM_TMP"
	elif [ -n "${AIM_TMP:-}" ]; then
		aim_log "kept cluster files in $AIM_TMP"
	fi
}

aim_cluster_start() {
	if [ "$(id -u)" = 0 ]; then
		AIM_SERVER_USER=aimarketing
		id -u "$AIM_SERVER_USER" >/dev/null 2>&1 ||
			useradd --system --user-group --no-create-home \
				--shell /usr/sbin/nologin "$AIM_SERVER_USER"
	else
		AIM_SERVER_USER=$(id -un)
	fi
	AIM_TMP=$(mktemp -d "${TMPDIR:-/tmp}/aimarketing.XXXXXX")
	trap aim_cluster_stop EXIT
	trap 'exit 130' INT TERM
	mkdir -p "$AIM_TMP/sock"
	chmod 755 "$AIM_TMP"
	[ "$(id -u)" = 0 ] && chown -R "$AIM_SERVER_USER:" "$AIM_TMP"
	AIM_PORT=$((50000 + $$ % 10000))

	aim_log "creating a throwaway cluster in $AIM_TMP (socket $AIM_TMP/sock, port $AIM_PORT)"
	aim_as_server "$AIM_PGBIN/initdb" -D "$AIM_TMP/data" -U postgres --auth=trust \
		--no-locale -E UTF8 --no-sync >"$AIM_TMP/initdb.log" 2>&1 || {
		cat "$AIM_TMP/initdb.log" >&2
		return 1
	}
	cat >>"$AIM_TMP/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$AIM_TMP/sock'
port = $AIM_PORT
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 256MB
max_worker_processes = 8
max_parallel_workers = 4
max_parallel_workers_per_gather = 2
log_min_messages = warning
${AIM_PG_CONF_EXTRA:-}
CONF
	# AIM_POSTGRES: another postgres executable (a valgrind wrapper, say)
	aim_as_server "$AIM_PGBIN/pg_ctl" -D "$AIM_TMP/data" -l "$AIM_TMP/server.log" -w \
		-t "${AIM_START_TIMEOUT:-60}" ${AIM_POSTGRES:+-p "$AIM_POSTGRES"} \
		start >/dev/null || {
		cat "$AIM_TMP/server.log" >&2
		return 1
	}
	export PGHOST="$AIM_TMP/sock" PGPORT="$AIM_PORT" PGUSER=postgres PGDATABASE=postgres
	unset PGPASSWORD PGSERVICE PGOPTIONS
}
