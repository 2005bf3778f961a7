#!/usr/bin/env bash
# scripts/build_pg.sh MAJOR: build a PostgreSQL major that the distribution
# does not package (today: 17 on Debian 12) from Debian's source packages,
# once, into a cache directory, with what the test suite needs on it, and
# print the bin directory of the result.  scripts/lib.sh calls it when
# AIM_PG_MAJOR is such a major; it can be run by hand.
#
# What it builds, each from a pinned Debian 13 (trixie) source package whose
# files are checked against the SHA-256 sums below:
#   PostgreSQL   (build tools from Debian packages: build-essential, bison,
#                flex, perl, zlib1g-dev, bzip2)
#                the upstream tarball of postgresql-17 (the .dsc is checked
#                too, and must list that tarball's sum); Debian's patches
#                are not applied (they only adapt paths and packaging):
#                ./configure --prefix=<cache> --without-icu --without-readline
#                (zlib on), make -j, make install, contrib not built
#   pgTAP        pure SQL: make install with PGXS against the new tree
#   pg_cron      make install with PGXS against the new tree (optional: if
#                its source cannot be had, the tree is built without it and
#                scripts/test.sh runs without the scheduler; see below)
#
# Where the files come from: the Debian archive that apt is configured with
# (the URIs of the entry for this system's release in /etc/apt/sources.list
# and /etc/apt/sources.list.d/; no host name is written here), fetched with
# apt's own downloader (apt-helper, so apt's proxy settings apply), from the
# pool path of the source package.  A pinned version may be gone from the
# archive (the mirror moves on to the next point release): then the script
# says which file it could not get and how to supply it:
#   AIM_PG_SRC_DIR=DIR     take the files from DIR first (any file of the
#                          pinned names, e.g. downloaded elsewhere; they are
#                          verified like downloads)
#   AIM_DEBIAN_MIRROR=URI  fetch from this Debian archive instead (the URI
#                          of the directory holding pool/)
#
#   AIM_PG_CACHE           cache directory (default ~/.cache/aimarketing,
#                          or $XDG_CACHE_HOME/aimarketing); the tree is
#                          $AIM_PG_CACHE/postgresql-<version>, complete when
#                          it holds .aim-complete (a half-built tree is
#                          removed and built again)
#   AIM_BUILD_JOBS         make -j (default: the number of CPUs)
#
# Output: progress on stderr, the bin directory on stdout; exit 1 if
# PostgreSQL itself cannot be built.  Concurrent runs wait for each other
# (flock on the cache).
set -euo pipefail
aim_log() { printf '==> %s\n' "$*" >&2; }

major=${1:?usage: build_pg.sh MAJOR}

# ------------------------------------------------------------ pins
# file names and SHA-256 sums of the Debian 13 source packages used
case $major in
17)
	PG_VERSION=17.11
	PG_SRCPKG=postgresql-17
	PG_DSC=postgresql-17_17.11-0+deb13u1.dsc
	PG_DSC_SHA256=bf148ae423a982707c3f60672c3a072ef62b701bd9f5df847d9f4b8c9b3e3b18
	PG_ORIG=postgresql-17_17.11.orig.tar.bz2
	PG_ORIG_SHA256=dd27f2b3c59e73ed14aa3324901242bf69a032a6347805f274e6260322d42979
	PGTAP_SRCPKG=pgtap
	PGTAP_ORIG=pgtap_1.3.3.orig.tar.gz
	PGTAP_ORIG_SHA256=325ea79d0d2515bce96bce43f6823dcd3effbd6c54cb2a4d6c2384fffa3a14c7
	CRON_SRCPKG=pg-cron
	CRON_ORIG=pg-cron_1.6.5.orig.tar.gz
	CRON_ORIG_SHA256=0118080f995fec67e25e58d44c66953e7b2bf5a47bb0602fd2ad147ea646d808
	;;
*)
	echo "build_pg.sh: no pinned source for PostgreSQL $major (known: 17)" >&2
	exit 1
	;;
esac

cache=${AIM_PG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aimarketing}
prefix=$cache/postgresql-$PG_VERSION
srcdir=$cache/sources
vendored=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/sources
jobs=${AIM_BUILD_JOBS:-$(nproc)}
# what the tree was built from: a tree built from other pins is rebuilt
stamp_text="postgresql $PG_ORIG_SHA256 configure --without-icu --without-readline"

# the server is built and the extensions are there (a missing one is tried
# again on every call: a failed download costs a second)
core_done() {
	[ -f "$prefix/.aim-complete" ] && [ -x "$prefix/bin/pg_config" ] &&
		[ "$(head -n 1 "$prefix/.aim-complete")" = "$stamp_text" ]
}
ext_done() { [ -f "$prefix/share/extension/$1.control" ]; } # ext_done NAME
done_already() { core_done && ext_done pgtap && ext_done pg_cron; }
if done_already; then
	echo "$prefix/bin"
	exit 0
fi

mkdir -p "$cache" "$srcdir"
exec 9>"$cache/.lock-$PG_VERSION"
flock -n 9 || {
	aim_log "PostgreSQL $PG_VERSION: another run is building it; waiting for it"
	flock 9
}
if done_already; then # built by the run we waited for
	echo "$prefix/bin"
	exit 0
fi

# ------------------------------------------------------------ build tools
need=()
command -v gcc >/dev/null && command -v make >/dev/null || need+=(build-essential)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v bzip2 >/dev/null || need+=(bzip2)
# PostgreSQL 17's tarballs no longer carry the generated parsers and headers
command -v bison >/dev/null || need+=(bison)
command -v flex >/dev/null || need+=(flex)
command -v perl >/dev/null || need+=(perl)
[ -x /usr/lib/apt/apt-helper ] || need+=(apt)
if [ ${#need[@]} -gt 0 ]; then
	aim_log "installing build tools: ${need[*]}"
	sudo_=()
	[ "$(id -u)" = 0 ] || sudo_=(sudo)
	"${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	"${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${need[@]}" >/dev/null
fi

# ------------------------------------------------------------ sources
# the URIs of the Debian archive apt uses for this system's release
debian_uris() {
	local codename files
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	files=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	[ -n "$files" ] || return 0
	# one-line format: deb [options] URI SUITE COMPONENTS...
	# deb822 format: stanzas with Types:, URIs:, Suites:
	# shellcheck disable=SC2086
	awk -v want="$codename" '
		FNR == 1 { flush() }
		/^[ \t]*#/ { next }
		/^deb[ \t]/ {
			sub(/\[[^]]*\]/, "")
			if ($3 == want) print $2
			next
		}
		/^Types:/ { types = $0 }
		/^URIs:/ { uris = $0 }
		/^Suites:/ { suites = $0 }
		/^[ \t]*$/ { flush() }
		END { flush() }
		function flush(   n, u, s, i, j) {
			if (types ~ /(^|[ \t])deb([ \t]|$)/ && uris != "" && suites != "") {
				n = split(suites, s)
				for (i = 2; i <= n; i++)
					if (s[i] == want) {
						split(uris, u)
						for (j = 2; j in u; j++) print u[j]
					}
			}
			types = ""; uris = ""; suites = ""
		}' $files | awk '!seen[$0]++'
}

# pool directory of a source package: pool/main/p/pgtap, pool/main/libx/...
pool_dir() {
	case $1 in
	lib?*) echo "pool/main/${1:0:4}/$1" ;;
	*) echo "pool/main/${1:0:1}/$1" ;;
	esac
}

verify() { # verify FILE SHA256
	[ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

# fetch SRCPKG FILE SHA256: put a verified FILE into $srcdir; returns 1 with
# a message if no source has it
fetch() {
	local pkg=$1 file=$2 sum=$3 dest=$srcdir/$2 uri tried=()
	if [ -f "$dest" ]; then
		verify "$dest" "$sum" && return 0
		aim_log "$dest does not match its pinned SHA-256: fetching it again"
		rm -f "$dest"
	fi
	# a copy shipped in the repository (scripts/sources/README.md): pg_cron's
	# Debian 13 source, which the archive reached here does not serve
	if [ -f "$vendored/$file" ] && verify "$vendored/$file" "$sum"; then
		cp "$vendored/$file" "$dest"
		return 0
	fi
	if [ -n "${AIM_PG_SRC_DIR:-}" ] && [ -f "$AIM_PG_SRC_DIR/$file" ]; then
		if verify "$AIM_PG_SRC_DIR/$file" "$sum"; then
			cp "$AIM_PG_SRC_DIR/$file" "$dest"
			return 0
		fi
		echo "build_pg.sh: $AIM_PG_SRC_DIR/$file does not match the pinned SHA-256 $sum" >&2
		return 1
	fi
	local uris
	if [ -n "${AIM_DEBIAN_MIRROR:-}" ]; then
		uris=$AIM_DEBIAN_MIRROR
	else
		uris=$(debian_uris)
	fi
	for uri in $uris; do
		tried+=("$uri")
		if /usr/lib/apt/apt-helper -q download-file "${uri%/}/$(pool_dir "$pkg")/$file" \
			"$dest.part" "SHA256:$sum" >"$dest.log" 2>&1; then
			mv "$dest.part" "$dest"
			rm -f "$dest.log"
			verify "$dest" "$sum" && return 0
		fi
		rm -f "$dest.part"
	done
	{
		echo "build_pg.sh: cannot get $file (source package $pkg, pinned SHA-256 $sum)"
		if [ ${#tried[@]} -eq 0 ]; then
			echo "  no Debian archive for this release ($(. /etc/os-release && echo "${VERSION_CODENAME:-?}")) found in apt's sources."
		else
			echo "  not found in ${AIM_DEBIAN_MIRROR:+AIM_DEBIAN_MIRROR, }${AIM_DEBIAN_MIRROR:-the Debian archive apt is configured with} ($(pool_dir "$pkg")/$file):"
			grep '^E:' "$dest.log" 2>/dev/null | sed 's/^/    /' | sed 's#[a-z]*://[^/ ]*#<archive>#g' | tail -n 3
			echo "  (the archive may have moved on to a later point release)"
		fi
		echo "  Put the file in a directory and set AIM_PG_SRC_DIR to it, or set"
		echo "  AIM_DEBIAN_MIRROR to the URI of a Debian archive (snapshot) that has it."
	} >&2
	rm -f "$dest.log"
	return 1
}

build=$(mktemp -d "$cache/build-$PG_VERSION.XXXXXX")
trap 'rm -rf "$build"' EXIT
t0=$(date +%s)

# ------------------------------------------------------------ PostgreSQL
if ! core_done; then
	fetch "$PG_SRCPKG" "$PG_DSC" "$PG_DSC_SHA256" || exit 1
	fetch "$PG_SRCPKG" "$PG_ORIG" "$PG_ORIG_SHA256" || exit 1
	# the .dsc must list the tarball with the same sum
	grep -qE "^ $PG_ORIG_SHA256 [0-9]+ $PG_ORIG\$" "$srcdir/$PG_DSC" || {
		echo "build_pg.sh: $PG_DSC does not list $PG_ORIG with SHA-256 $PG_ORIG_SHA256" >&2
		exit 1
	}
	aim_log "sources verified: $PG_DSC, $PG_ORIG"
	rm -rf "$prefix"
	aim_log "building PostgreSQL $PG_VERSION into $prefix (make -j$jobs; a few minutes)"
	tar -C "$build" -xjf "$srcdir/$PG_ORIG"
	pgsrc=$(echo "$build"/postgresql-*)
	(
		cd "$pgsrc"
		./configure --prefix="$prefix" --without-icu --without-readline >"$build/configure.log" 2>&1 ||
			{ tail -n 30 "$build/configure.log"; exit 1; }
		make -j"$jobs" -s >"$build/make.log" 2>&1 || { tail -n 50 "$build/make.log"; exit 1; }
		make -s install >"$build/install.log" 2>&1 || { tail -n 30 "$build/install.log"; exit 1; }
	) >&2 || {
		rm -rf "$prefix"
		echo "build_pg.sh: building PostgreSQL $PG_VERSION failed (logs above)" >&2
		exit 1
	}
	{
		echo "$stamp_text"
		echo "built $(date -u '+%Y-%m-%d %H:%M:%S UTC') in $(($(date +%s) - t0)) s with make -j$jobs"
	} >"$prefix/.aim-complete"
	aim_log "PostgreSQL $PG_VERSION built in $(($(date +%s) - t0)) s"
fi

# ------------------------------------------------------------ extensions
# with PGXS against the new tree; a missing one leaves the tree usable
pgxs_install() { # pgxs_install NAME SRCPKG TARBALL SHA256
	local dir
	fetch "$2" "$3" "$4" || return 1
	mkdir -p "$build/$1"
	tar -C "$build/$1" -xzf "$srcdir/$3"
	dir=$(echo "$build/$1"/*/)
	make -C "$dir" -s PG_CONFIG="$prefix/bin/pg_config" >"$build/$1.log" 2>&1 &&
		make -C "$dir" -s PG_CONFIG="$prefix/bin/pg_config" install >>"$build/$1.log" 2>&1 || {
		tail -n 30 "$build/$1.log" >&2
		return 1
	}
	aim_log "$1 $(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$prefix/share/extension/$1.control") installed from $3"
}
if ! ext_done pgtap; then
	pgxs_install pgtap "$PGTAP_SRCPKG" "$PGTAP_ORIG" "$PGTAP_ORIG_SHA256" ||
		aim_log "pgTAP: not installed (see above): the pgTAP suite cannot run on PostgreSQL $PG_VERSION"
fi
if ! ext_done pg_cron; then
	pgxs_install pg_cron "$CRON_SRCPKG" "$CRON_ORIG" "$CRON_ORIG_SHA256" ||
		aim_log "pg_cron: not installed (see above): the suite runs without it on PostgreSQL $PG_VERSION"
fi
echo "$prefix/bin"
