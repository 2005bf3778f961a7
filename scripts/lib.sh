# scripts/lib.sh: the one place that knows how to get from a bare Debian 12
# machine to a running throwaway PostgreSQL cluster with aimarketing
# installed.  Sourced by scripts/test.sh, scripts/demo.sh and test/bench/*.sh.
#
#   aim_ensure_packages   install missing Debian packages (sudo if not root)
#                         and, for a major built from source, build it
#                         (scripts/build_pg.sh, cached); sets AIM_PGBIN
#   aim_build_install     build with PGXS and install into the PostgreSQL of
#                         AIM_PGBIN (or under AIM_DESTDIR, a relocated private
#                         copy; a major built from source: into a private
#                         copy of the cached tree, made for this run)
#   aim_cluster_start     initdb + start a private cluster; exports PG* vars;
#                         stopped and removed at exit (AIM_KEEP=1 keeps it)
#
# Which PostgreSQL:
#   AIM_PG_MAJOR          the major (default: that of a preset AIM_PGBIN,
#                         else 15)
#   AIM_PGBIN             the bin directory of the server to use (default:
#                         Debian's /usr/lib/postgresql/MAJOR/bin when the
#                         distribution packages that major, else the tree
#                         scripts/build_pg.sh builds into its cache);
#                         AIM_PGBIN_<MAJOR> (e.g. AIM_PGBIN_17) overrides it
#                         for one major; its pg_config must report MAJOR
#
# The cluster listens only on a Unix socket in its own temporary directory
# (no TCP port, so it cannot clash with another server), runs as the
# invoking user, or as the system user "aimarketing" when invoked as root
# (postgres refuses to run as root).

AIM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# aim_pg_major_of BINDIR: the major of the pg_config there (15, 17, ...)
aim_pg_major_of() {
	{ "$1/pg_config" --version 2>/dev/null || true; } | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p'
}

if [ -z "${AIM_PG_MAJOR:-}" ]; then
	if [ -n "${AIM_PGBIN:-}" ]; then
		AIM_PG_MAJOR=$(aim_pg_major_of "$AIM_PGBIN")
		[ -n "$AIM_PG_MAJOR" ] || {
			echo "lib.sh: AIM_PGBIN=$AIM_PGBIN has no working pg_config" >&2
			exit 1
		}
	else
		AIM_PG_MAJOR=15
	fi
fi
_aim_v=AIM_PGBIN_$AIM_PG_MAJOR
[ -n "${!_aim_v:-}" ] && AIM_PGBIN=${!_aim_v}
unset _aim_v
# AIM_PG_DEBIAN=1: the distribution packages this major (server, headers,
# pgTAP, pg_cron come from Debian packages); else AIM_PG_FROM_SOURCE=1 when
# no AIM_PGBIN is given: scripts/build_pg.sh builds it, and
# aim_ensure_packages sets AIM_PGBIN
# (the release's own major counts even before apt's lists are fetched)
case $(. /etc/os-release 2>/dev/null && echo "${ID:-}-${VERSION_CODENAME:-}") in
debian-bookworm) _aim_distro_major=15 ;;
debian-trixie) _aim_distro_major=17 ;;
*) _aim_distro_major= ;;
esac
if [ "$AIM_PG_MAJOR" = "$_aim_distro_major" ] ||
	[ -x "/usr/lib/postgresql/$AIM_PG_MAJOR/bin/pg_config" ] ||
	apt-cache show "postgresql-server-dev-$AIM_PG_MAJOR" >/dev/null 2>&1; then
	AIM_PG_DEBIAN=1
else
	AIM_PG_DEBIAN=0
fi
unset _aim_distro_major
AIM_PG_FROM_SOURCE=0
if [ -z "${AIM_PGBIN:-}" ]; then
	if [ "$AIM_PG_DEBIAN" = 1 ]; then
		AIM_PGBIN=/usr/lib/postgresql/$AIM_PG_MAJOR/bin
	else
		AIM_PG_FROM_SOURCE=1
	fi
fi
AIM_PG_CONFIG=${AIM_PGBIN:+$AIM_PGBIN/pg_config}

# aim_pg_package [SUFFIX]: the Debian package postgresql-MAJOR[-SUFFIX], or
# nothing for a major Debian does not package here (scripts/build_pg.sh
# installs pgTAP and pg_cron into its tree)
aim_pg_package() {
	[ "$AIM_PG_DEBIAN" = 0 ] || echo "postgresql-$AIM_PG_MAJOR${1:+-$1}"
}
# shellcheck disable=SC2046
AIM_PACKAGES=(
	$(aim_pg_package)
	$([ "$AIM_PG_DEBIAN" = 0 ] || echo "postgresql-server-dev-$AIM_PG_MAJOR")
	$(aim_pg_package pgtap)
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
	if [ "$AIM_PG_FROM_SOURCE" = 1 ] && [ -z "${AIM_PGBIN:-}" ]; then
		AIM_PGBIN=$(bash "$AIM_ROOT/scripts/build_pg.sh" "$AIM_PG_MAJOR") || {
			aim_log "PostgreSQL $AIM_PG_MAJOR is not available (see above)"
			exit 1
		}
		AIM_PG_CONFIG=$AIM_PGBIN/pg_config
	fi
	local m
	m=$(aim_pg_major_of "$AIM_PGBIN")
	if [ "$m" != "$AIM_PG_MAJOR" ]; then
		aim_log "$AIM_PGBIN/pg_config ${m:+reports PostgreSQL $m, not $AIM_PG_MAJOR}${m:-does not work: not a PostgreSQL $AIM_PG_MAJOR bin directory}"
		exit 1
	fi
	# psql, pg_prove's psql, pgbench, pg_dump: those of the server
	case ":$PATH:" in
	*":$AIM_PGBIN:"*) ;;
	*) PATH=$AIM_PGBIN:$PATH ;;
	esac
	export PATH
}

aim_build_install() {
	if [ "$AIM_PG_FROM_SOURCE" = 1 ] && [ -z "${AIM_PG_RUNDIR:-}" ]; then
		# the cached tree stays as built: this run installs into a copy
		# (removed at exit; pg_config and postgres find their files
		# relative to their own location)
		AIM_PG_RUNDIR=$(mktemp -d "${TMPDIR:-/tmp}/aim-pg$AIM_PG_MAJOR.XXXXXX")
		trap aim_cluster_stop EXIT
		chmod 755 "$AIM_PG_RUNDIR"
		cp -a "$(dirname "$AIM_PGBIN")" "$AIM_PG_RUNDIR/pg"
		PATH=${PATH//"$AIM_PGBIN:"/"$AIM_PG_RUNDIR/pg/bin:"}
		AIM_PGBIN=$AIM_PG_RUNDIR/pg/bin
		AIM_PG_CONFIG=$AIM_PGBIN/pg_config
		aim_log "PostgreSQL $AIM_PG_MAJOR for this run: $AIM_PG_RUNDIR/pg (a copy of the cached build)"
	fi
	# object files built against another PostgreSQL (the last run tested
	# another major) are rebuilt: .aim-built-for names the server they were
	# built for
	local built_for
	built_for=$("$AIM_PG_CONFIG" --version)
	if [ "$(cat "$AIM_ROOT/.aim-built-for" 2>/dev/null)" != "$built_for" ]; then
		make -C "$AIM_ROOT" -s PG_CONFIG="$AIM_PG_CONFIG" clean >/dev/null
	fi
	aim_log "building aimarketing"
	make -C "$AIM_ROOT" -s PG_CONFIG="$AIM_PG_CONFIG" ${AIM_MAKE_FLAGS:-} >/dev/null
	echo "$built_for" >"$AIM_ROOT/.aim-built-for"
	if [ -n "${AIM_DESTDIR:-}" ]; then
		# a relocated private copy of PostgreSQL (see AIM_PGBIN)
		aim_log "installing aimarketing under $AIM_DESTDIR"
		make -C "$AIM_ROOT" -s PG_CONFIG="$AIM_PG_CONFIG" DESTDIR="$AIM_DESTDIR" install >/dev/null
		return
	fi
	aim_log "installing aimarketing into PostgreSQL $AIM_PG_MAJOR ($AIM_PGBIN)"
	if [ -w "$("$AIM_PG_CONFIG" --pkglibdir)" ]; then
		make -C "$AIM_ROOT" -s PG_CONFIG="$AIM_PG_CONFIG" install >/dev/null
		return
	fi
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
	if [ -n "${AIM_PG_RUNDIR:-}" ] && [ "${AIM_KEEP:-0}" != 1 ]; then
		rm -rf "$AIM_PG_RUNDIR"
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
