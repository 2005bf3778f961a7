#!/usr/bin/env bash
# test/robust/50_upgrade.sh: the life cycle of the extension in a database.
#
#  * upgrade path: for every released version V (every install script
#    sql/aimarketing--V.sql, discovered from the directory so that future
#    versions are covered), CREATE EXTENSION aimarketing VERSION 'V' then
#    ALTER EXTENSION aimarketing UPDATE gives exactly the catalogue of a
#    fresh install of the default version: a normalised description of
#    every member (signature, labels, arguments and defaults, result, C
#    symbol, comment, ACL; aggregates' support functions, state types and
#    initial values; types, operators, casts; every dependency of every
#    member) and the member definitions of pg_dump --binary-upgrade.  For
#    the default version itself the UPDATE is a no-op that says so.
#  * DROP EXTENSION leaves nothing behind: every database-local catalogue
#    (pg_proc, pg_type, pg_class, pg_operator, pg_namespace, pg_depend,
#    pg_description, pg_init_privs, ... all of them) is identical before
#    CREATE EXTENSION and after DROP, for every version; a user view and a
#    materialized view on the extension block a plain DROP (2BP01) and go
#    with DROP ... CASCADE, again leaving the catalogues as they were.
#  * install under a hostile search_path: CREATE EXTENSION ... SCHEMA
#    target with search_path = evil, pg_catalog, evil holding functions
#    with the names and signatures of the aggregates' support functions and
#    domains named like the built-in types, gives the same catalogue as a
#    clean install (nothing refers to evil) and correct results; an
#    ordinary role cannot install the extension (it is not trusted).
#
# Run by scripts/test.sh (PGHOST/PGPORT/PGUSER set, cwd = repository root).
set -u
. "$AIM_ROOT/test/tap.sh"
cd "$AIM_ROOT"

P=aim_upgrade_$$
ROLE=${P}_user
DBS=()
cleanup() {
	local d
	for d in "${DBS[@]}"; do
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1
	done
	psql -X -q -d postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
	rm -rf "$W"
}
W=$(mktemp -d "${TMPDIR:-/tmp}/aim_upgrade.XXXXXX")
trap cleanup EXIT

newdb() { # newdb NAME: a fresh database
	DBS+=("$1")
	psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $1" >/dev/null
}
sqldb() { # sqldb DB SQL: unaligned tuples, fails on error
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}
sqlstate() { # sqlstate DB SQL: the SQLSTATE raised, or ok
	TAP_DB=$1 tap_sqlstate "$2"
}

# the versions: one install script per released version
# (aimarketing--V.sql; aimarketing--A--B.sql are upgrade scripts)
VERSIONS=()
ALLV=()
for f in sql/aimarketing--*.sql; do
	v=${f#sql/aimarketing--}
	v=${v%.sql}
	case $v in *--*) ;; *) VERSIONS+=("$v") ;; esac
	# every version named by a script, install or update
	ALLV+=("${v%%--*}" "${v##*--}")
done
DEFAULT=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" aimarketing.control)

# A normalised description of the extension's members, run with the
# extension's schema as search_path (so its own objects print unqualified
# and anything elsewhere, qualified).  Sorted; no OIDs.
DESCRIBE=$(cat <<'SQL'
SELECT set_config('search_path', (SELECT quote_ident(n.nspname) FROM pg_catalog.pg_extension e
                                    JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
                                   WHERE e.extname = 'aimarketing'), false) IS NULL;
WITH ext AS (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'aimarketing'),
mem AS (
	SELECT d.classid, d.objid, d.objsubid
	  FROM pg_catalog.pg_depend d, ext
	 WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass
	   AND d.refobjid = ext.oid AND d.deptype = 'e'
),
lines AS (
	SELECT 'extension ' || e.extname || ' version ' || e.extversion || ' relocatable ' || e.extrelocatable
	       || ' config ' || coalesce(e.extconfig::text, '-') || ' ' || coalesce(e.extcondition::text, '-') AS l
	  FROM pg_catalog.pg_extension e WHERE e.extname = 'aimarketing'
	UNION ALL
	SELECT 'member ' || pg_catalog.pg_describe_object(m.classid, m.objid, m.objsubid)
	       || ' comment ' || coalesce((SELECT description FROM pg_catalog.pg_description c
	                                    WHERE c.classoid = m.classid AND c.objoid = m.objid
	                                      AND c.objsubid = m.objsubid), '-')
	       || ' initprivs ' || coalesce((SELECT i.privtype::text || i.initprivs::text FROM pg_catalog.pg_init_privs i
	                                      WHERE i.classoid = m.classid AND i.objoid = m.objid
	                                        AND i.objsubid = m.objsubid), '-')
	  FROM mem m
	UNION ALL
	SELECT pg_catalog.format('function %s kind %s volatile %s strict %s parallel %s secdef %s leakproof %s '
	                         'retset %s cost %s rows %s support %s lang %s args (%s) result %s '
	                         'src %s bin %s config %s acl %s owner-is-superuser %s',
	                         p.oid::pg_catalog.regprocedure, p.prokind, p.provolatile, p.proisstrict,
	                         p.proparallel, p.prosecdef, p.proleakproof, p.proretset, p.procost,
	                         p.prorows, p.prosupport, l.lanname,
	                         pg_catalog.pg_get_function_arguments(p.oid),
	                         pg_catalog.pg_get_function_result(p.oid), p.prosrc,
	                         coalesce(p.probin, '-'), coalesce(p.proconfig::text, '-'),
	                         coalesce(p.proacl::text, '-'),
	                         (SELECT rolsuper FROM pg_catalog.pg_roles r WHERE r.oid = p.proowner))
	  FROM mem m JOIN pg_catalog.pg_proc p ON m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = m.objid
	  JOIN pg_catalog.pg_language l ON l.oid = p.prolang
	UNION ALL
	SELECT pg_catalog.format('aggregate %s kind %s direct %s trans %s final %s combine %s serial %s '
	                         'deserial %s mtrans %s minv %s mfinal %s finalextra %s mfinalextra %s '
	                         'finalmodify %s mfinalmodify %s sortop %s stype %s sspace %s '
	                         'mstype %s msspace %s init %s minit %s',
	                         a.aggfnoid::pg_catalog.regprocedure, a.aggkind, a.aggnumdirectargs,
	                         a.aggtransfn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggfinalfn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggcombinefn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggserialfn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggdeserialfn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggmtransfn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggminvtransfn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggmfinalfn::pg_catalog.oid::pg_catalog.regprocedure,
	                         a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
	                         a.aggsortop::pg_catalog.regoperator, a.aggtranstype::pg_catalog.regtype,
	                         a.aggtransspace, a.aggmtranstype::pg_catalog.regtype, a.aggmtransspace,
	                         coalesce(a.agginitval, '-'), coalesce(a.aggminitval, '-'))
	  FROM mem m JOIN pg_catalog.pg_aggregate a ON m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
	                                            AND a.aggfnoid = m.objid
	UNION ALL
	SELECT pg_catalog.format('type %s type %s len %s byval %s align %s storage %s category %s in %s out %s '
	                         'recv %s send %s typmodin %s typmodout %s analyze %s subscript %s elem %s '
	                         'base %s notnull %s default %s',
	                         t.oid::pg_catalog.regtype, t.typtype, t.typlen, t.typbyval, t.typalign,
	                         t.typstorage, t.typcategory, t.typinput::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typoutput::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typreceive::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typsend::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typmodin::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typmodout::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typanalyze::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typsubscript::pg_catalog.oid::pg_catalog.regprocedure,
	                         t.typelem::pg_catalog.regtype, t.typbasetype::pg_catalog.regtype,
	                         t.typnotnull, coalesce(t.typdefault, '-'))
	  FROM mem m JOIN pg_catalog.pg_type t ON m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = m.objid
	UNION ALL
	SELECT pg_catalog.format('operator %s code %s commutator %s negator %s restrict %s join %s merges %s hashes %s',
	                         o.oid::pg_catalog.regoperator, o.oprcode::pg_catalog.oid::pg_catalog.regprocedure,
	                         o.oprcom::pg_catalog.regoperator, o.oprnegate::pg_catalog.regoperator,
	                         o.oprrest::pg_catalog.oid::pg_catalog.regprocedure,
	                         o.oprjoin::pg_catalog.oid::pg_catalog.regprocedure, o.oprcanmerge, o.oprcanhash)
	  FROM mem m JOIN pg_catalog.pg_operator o ON m.classid = 'pg_catalog.pg_operator'::pg_catalog.regclass
	                                           AND o.oid = m.objid
	UNION ALL
	SELECT pg_catalog.format('cast %s -> %s func %s context %s method %s', c.castsource::pg_catalog.regtype,
	                         c.casttarget::pg_catalog.regtype, c.castfunc::pg_catalog.regprocedure,
	                         c.castcontext, c.castmethod)
	  FROM mem m JOIN pg_catalog.pg_cast c ON m.classid = 'pg_catalog.pg_cast'::pg_catalog.regclass AND c.oid = m.objid
	UNION ALL
	SELECT 'depend ' || pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) || ' -> '
	       || CASE WHEN d.refclassid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
	                    AND d.refobjid = (SELECT extnamespace FROM pg_catalog.pg_extension
	                                       WHERE extname = 'aimarketing')
	               THEN 'the extension''s schema'
	               ELSE pg_catalog.pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) END
	       || ' ' || d.deptype::text
	  FROM pg_catalog.pg_depend d JOIN mem m USING (classid, objid)
	 WHERE d.deptype <> 'e'
)
SELECT l FROM lines ORDER BY l COLLATE "C";
SQL
)

describe() { # describe DB: the normalised description, on stdout
	printf '%s\n' "$DESCRIBE" | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" | sed 1d
}

# the member definitions of pg_dump --binary-upgrade (which dumps extension
# members), without comments, session settings and the dump's random key
dump() {
	"$AIM_PGBIN/pg_dump" --schema-only --binary-upgrade -d "$1" |
		grep -v -e '^--' -e '^$' -e '^\\restrict' -e '^\\unrestrict' -e 'binary_upgrade_set_next_' -e '^SET '
}

# A snapshot of every database-local catalogue: the OIDs of the rows of
# catalogues that have them, an md5 of the sorted rows of the others
# (statistics and large-object data left out: they change by themselves).
SNAPSHOT_SQL=$(cat <<'SQL'
SELECT pg_catalog.format(
	CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'oid')
	     THEN 'SELECT %1$L || '' '' || count(*) || '' '' || coalesce(pg_catalog.md5(pg_catalog.string_agg(oid::text, '','' ORDER BY oid)), ''-'') FROM pg_catalog.%1$I'
	     ELSE 'SELECT %1$L || '' '' || count(*) || '' '' || coalesce(pg_catalog.md5(pg_catalog.string_agg(t::text, '','' ORDER BY t::text COLLATE "C")), ''-'') FROM pg_catalog.%1$I t'
	END, c.relname)
  FROM pg_catalog.pg_class c
 WHERE c.relnamespace = 'pg_catalog'::pg_catalog.regnamespace AND c.relkind = 'r' AND NOT c.relisshared
   AND c.relname NOT IN ('pg_statistic', 'pg_statistic_ext_data', 'pg_largeobject')
 ORDER BY c.relname
SQL
)
snapshot() { # snapshot DB FILE
	printf '%s \\gexec\n' "$SNAPSHOT_SQL" | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" >"$2"
}
same_files() { # same_files A B DESCRIPTION: identical, or the diff as diagnostics
	if cmp -s "$1" "$2"; then
		tap_result 0 "$3"
	else
		tap_result 1 "$3"
		tap_diag "$(diff "$1" "$2" | head -40)"
	fi
}

tap_plan $((7 + 7 * ${#VERSIONS[@]} + 9 + 8))

#
# versions (6)
#
tap_diag "install scripts: ${VERSIONS[*]}; default_version $DEFAULT"
tap_ok "at least one released version is found in sql/" test "${#VERSIONS[@]}" -ge 1
# the default version is installed from its own script or, as contrib's
# modules do, from an older version's script and the update scripts
found=$(sqldb postgres "SELECT CASE WHEN '$DEFAULT' = ANY (string_to_array('${VERSIONS[*]}', ' ')) THEN 'yes'
	WHEN EXISTS (SELECT 1 FROM pg_extension_update_paths('aimarketing') p
	              WHERE p.source = ANY (string_to_array('${VERSIONS[*]}', ' '))
	                AND p.target = '$DEFAULT' AND p.path IS NOT NULL) THEN 'yes' ELSE 'no' END")
tap_is "$found" yes "default_version $DEFAULT has an install script or an update path from one"
tap_is "$(grep -c '^EXTVERSION *= *'"$DEFAULT"'$' Makefile)" 1 "the Makefile's EXTVERSION is the default version"
tap_is "$(sqldb postgres "SELECT default_version FROM pg_available_extensions WHERE name = 'aimarketing'")" \
	"$DEFAULT" "the server's default version is $DEFAULT"
tap_is "$(sqldb postgres "SELECT string_agg(version, ' ' ORDER BY version) FROM pg_available_extension_versions WHERE name = 'aimarketing'")" \
	"$(printf '%s\n' "${ALLV[@]}" | sort -u | paste -sd' ')" "the server has exactly the versions of sql/"
missing=$(sqldb postgres "SELECT string_agg(v, ' ') FROM unnest(string_to_array('${VERSIONS[*]}', ' ')) v
	WHERE v <> '$DEFAULT' AND NOT EXISTS (SELECT 1 FROM pg_extension_update_paths('aimarketing') p
	                                      WHERE p.source = v AND p.target = '$DEFAULT' AND p.path IS NOT NULL)")
tap_is "$missing" "" "every older version has an update path to $DEFAULT"

#
# the reference: a fresh install of the default version
#
newdb "${P}_ref"
sqldb "${P}_ref" "CREATE EXTENSION aimarketing" >/dev/null
describe "${P}_ref" >"$W/ref.describe"
dump "${P}_ref" >"$W/ref.dump"
tap_diag "reference catalogue: $(grep -c '' "$W/ref.describe") description lines, $(grep -c '^CREATE' "$W/ref.dump") CREATE statements in the dump"
tap_is "$(grep -c '^member ' "$W/ref.describe") $(grep -c '^ALTER EXTENSION aimarketing ADD ' "$W/ref.dump")" \
	"$(sqldb "${P}_ref" "SELECT count(*) || ' ' || count(*) FILTER (WHERE NOT (classid = 'pg_type'::regclass
		       AND EXISTS (SELECT FROM pg_type t WHERE t.oid = objid AND t.typcategory = 'A')))
		  FROM pg_depend WHERE deptype = 'e'
		   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'aimarketing')")" \
	"control: the description and the dump cover every member of the extension (PostgreSQL 17 records the array types of the composite types as members too; pg_dump adds them with their element type)"

#
# every version: install, update, compare; drop leaves nothing (7 each)
#
for v in "${VERSIONS[@]}"; do
	db="${P}_v$(echo "$v" | tr -c '0-9a-z\n' _)"
	newdb "$db"
	snapshot "$db" "$W/$v.before"
	tap_is "$(sqldb "$db" "CREATE EXTENSION aimarketing VERSION '$v'; SELECT extversion FROM pg_extension WHERE extname = 'aimarketing'")" \
		"$v" "$v: CREATE EXTENSION aimarketing VERSION '$v'"
	out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET client_min_messages = notice" \
		-c "ALTER EXTENSION aimarketing UPDATE" 2>&1) && rc=0 || rc=$?
	if [ "$v" = "$DEFAULT" ]; then
		case $out in
		*"version \"$v\" of extension \"aimarketing\" is already installed"*) tap_result 0 "$v: ALTER EXTENSION UPDATE says it is already at $v" ;;
		*) tap_result 1 "$v: ALTER EXTENSION UPDATE says it is already at $v"; tap_diag "$out" ;;
		esac
	else
		tap_is "$rc" 0 "$v: ALTER EXTENSION aimarketing UPDATE"
		[ "$rc" = 0 ] || tap_diag "$out"
	fi
	tap_is "$(sqldb "$db" "SELECT extversion FROM pg_extension WHERE extname = 'aimarketing'")" \
		"$DEFAULT" "$v: now at version $DEFAULT"
	describe "$db" >"$W/$v.describe"
	same_files "$W/ref.describe" "$W/$v.describe" "$v: updated catalogue = fresh $DEFAULT catalogue (members, labels, comments, aggregates, dependencies)"
	dump "$db" >"$W/$v.dump"
	same_files "$W/ref.dump" "$W/$v.dump" "$v: updated pg_dump --binary-upgrade = fresh $DEFAULT dump"
	tap_is "$(sqldb "$db" "SELECT roi(r, c)::text || ' ' || cosine_sim('{1,0}', '{1,1}')::numeric(6,4)
	                       FROM (VALUES (3::numeric, 2::numeric)) v(r, c)")" \
		"0.50000000000000000000 0.7071" "$v: the updated extension computes"
	sqldb "$db" "DROP EXTENSION aimarketing" >/dev/null
	snapshot "$db" "$W/$v.after"
	same_files "$W/$v.before" "$W/$v.after" "$v: after DROP EXTENSION every catalogue is as before CREATE EXTENSION"
done

#
# DROP with dependent user objects (9)
#
db="${P}_drop"
newdb "$db"
snapshot "$db" "$W/drop.before"
tap_diag "catalogues compared: $(grep -c '' "$W/drop.before")"
tap_ok "the snapshot covers pg_proc, pg_type, pg_class, pg_operator, pg_namespace, pg_description, pg_depend, pg_aggregate, pg_init_privs" \
	bash -c "for c in pg_proc pg_type pg_class pg_operator pg_namespace pg_description pg_depend pg_aggregate pg_init_privs; do grep -q \"^\$c \" '$W/drop.before' || exit 1; done"
sqldb "$db" "CREATE EXTENSION aimarketing" >/dev/null
snapshot "$db" "$W/drop.during"
tap_ok "control: the snapshot sees the extension's objects" bash -c "! cmp -s '$W/drop.before' '$W/drop.during'"
sqldb "$db" "CREATE TABLE pts (f float8[]);
	INSERT INTO pts VALUES ('{0,0}'), ('{0,1}'), ('{9,9}');
	CREATE VIEW sim AS SELECT cosine_sim(f, '{1,1}') AS s FROM pts;
	CREATE MATERIALIZED VIEW seg AS SELECT * FROM kmeans_centroids((SELECT kmeans(f, 2) FROM pts))" >/dev/null
tap_is "$(sqldb "$db" "SELECT count(*) FROM seg")" 2 "a materialized view on kmeans_centroids(kmeans(...))"
tap_is "$(sqlstate "$db" "DROP EXTENSION aimarketing")" 2BP01 "DROP EXTENSION with a dependent view and materialized view: 2BP01"
tap_is "$(sqldb "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('sim', 'seg')") $(sqldb "$db" "SELECT extversion FROM pg_extension WHERE extname = 'aimarketing'")" \
	"2 $DEFAULT" "... and nothing was dropped"
tap_is "$(sqlstate "$db" "DROP EXTENSION aimarketing CASCADE")" ok "DROP EXTENSION aimarketing CASCADE"
tap_is "$(sqldb "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('sim', 'seg')")" 0 "... dropped the view and the materialized view"
sqldb "$db" "DROP TABLE pts" >/dev/null
snapshot "$db" "$W/drop.after"
same_files "$W/drop.before" "$W/drop.after" "after DROP ... CASCADE (and the user's table) every catalogue is as before"
tap_is "$(sqldb "$db" "SELECT count(*) FROM pg_proc WHERE proname IN ('cosine_sim', 'kmeans', 'apriori_rules', 'roi')")" 0 \
	"no function of the extension is left"

#
# install under a hostile search_path; untrusted (8)
#
db="${P}_hostile"
newdb "$db"
# evil shadows every function of the extension that SQL can declare (same
# name and signature: the aggregates' support functions among them) and the built-in type names; each records a call
shadows=$(sqldb "${P}_ref" "SELECT string_agg(format('CREATE FUNCTION evil.%I(%s) RETURNS %s LANGUAGE sql AS %L;',
		p.proname, pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid),
		format('INSERT INTO evil.calls VALUES (%L); SELECT NULL::%s', p.proname, pg_get_function_result(p.oid))), E'\n')
	FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
	 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'aimarketing')
	WHERE p.prokind = 'f' AND NOT 'internal'::regtype = ANY (p.proargtypes)
	  AND p.prorettype <> 'internal'::regtype AND NOT p.proretset")
sqldb "$db" "CREATE SCHEMA evil; CREATE TABLE evil.calls (fn text); GRANT ALL ON evil.calls TO PUBLIC;
	$shadows
	CREATE DOMAIN evil.float8 AS pg_catalog.float8 CHECK (VALUE IS NULL);
	CREATE DOMAIN evil.int4 AS pg_catalog.int4 CHECK (VALUE IS NULL);
	CREATE DOMAIN evil.numeric AS pg_catalog.numeric CHECK (VALUE IS NULL);
	CREATE DOMAIN evil.bytea AS pg_catalog.bytea CHECK (VALUE IS NULL);
	CREATE DOMAIN evil.text AS pg_catalog.text CHECK (VALUE IS NULL);
	CREATE DOMAIN evil.bool AS pg_catalog.bool CHECK (VALUE IS NULL);
	CREATE SCHEMA target" >/dev/null
tap_is "$(sqldb "$db" "SET search_path = evil, pg_catalog;
	SELECT pg_catalog.format('%s %s', (SELECT typnamespace::regnamespace FROM pg_type WHERE oid = 'float8'::regtype),
	                         (SELECT count(*) FROM pg_proc WHERE pronamespace = 'evil'::regnamespace))")" \
	"evil $(grep -c '' <<<"$shadows")" "control: under search_path = evil, pg_catalog the type float8 is evil's, and evil has $(grep -c '' <<<"$shadows") shadow functions"
tap_is "$(sqlstate "$db" "SET search_path = evil, pg_catalog; CREATE EXTENSION aimarketing SCHEMA target")" ok \
	"CREATE EXTENSION aimarketing SCHEMA target under search_path = evil, pg_catalog"
describe "$db" >"$W/hostile.describe"
same_files "$W/ref.describe" "$W/hostile.describe" "the hostile install's catalogue = a clean install's (every reference resolved to the extension or pg_catalog)"
tap_is "$(sqldb "$db" "SELECT count(*) FROM pg_depend d JOIN pg_depend e ON e.classid = d.classid AND e.objid = d.objid
		AND e.refclassid = 'pg_extension'::regclass AND e.deptype = 'e'
		WHERE (pg_identify_object(d.refclassid, d.refobjid, 0)).schema = 'evil'")" 0 "no member of the extension depends on anything in evil"
tap_is "$(sqldb "$db" "SELECT count(*) FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
		JOIN unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
		                  a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn]::oid[]) s(fn) ON s.fn <> 0
		JOIN pg_proc f ON f.oid = s.fn
		WHERE p.pronamespace = 'target'::regnamespace AND f.pronamespace <> 'target'::regnamespace")" 0 \
	"every support function of every aggregate is in target"
tap_is "$(sqldb "$db" "SET search_path = evil, pg_catalog;
	SELECT pg_catalog.format('%s %s %s', target.roi(r, c), target.roas(r::pg_catalog.float8, c::pg_catalog.float8),
	                         target.kmeans_inertia(ARRAY[r, c]::pg_catalog.float8[], '{{3,2}}'))
	  FROM (VALUES (3::pg_catalog.numeric, 2::pg_catalog.numeric)) v(r, c)")" \
	"0.50000000000000000000 1.5 0" "under the hostile search_path the aggregates compute"
tap_is "$(sqldb "$db" "SELECT count(*) FROM evil.calls")" 0 "no shadow function was called"
sqldb postgres "CREATE ROLE $ROLE" >/dev/null
sqldb "$db" "GRANT CREATE ON SCHEMA evil TO $ROLE" >/dev/null
tap_is "$(sqlstate "$db" "DROP EXTENSION aimarketing; SET ROLE $ROLE; CREATE EXTENSION aimarketing SCHEMA evil")" 42501 \
	"an ordinary role cannot install the extension (not trusted): 42501"

tap_done
