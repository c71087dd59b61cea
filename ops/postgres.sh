#!/usr/bin/env bash
# A private PostgreSQL for FleetMerge's tests and for trying the node with --persistence postgres.
#   ops/postgres.sh start    init (first time) and start; fine when already running
#   ops/postgres.sh stop     stop it (fine when not running)
#   ops/postgres.sh status   exit 0 when running
#   ops/postgres.sh url      print the Npgsql connection string
# Listens on 127.0.0.1 only, port $FLEETMERGE_PG_PORT (55432); data in $FLEETMERGE_PG_DIR
# (/tmp/fleetmerge-pg). User, password and database: fleetmerge. Installs Debian's PostgreSQL
# (apt-get, as root) when no /usr/lib/postgresql/*/bin/initdb exists. As root, the server runs
# as the postgres user (runuser).
set -euo pipefail

dir=${FLEETMERGE_PG_DIR:-/tmp/fleetmerge-pg}
port=${FLEETMERGE_PG_PORT:-55432}
data=$dir/data
run=$dir/run
log=$dir/postgres.log
url="Host=127.0.0.1;Port=$port;Database=fleetmerge;Username=fleetmerge;Password=fleetmerge"

say() { echo "ops/postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

bindir() {
	local initdb
	initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
	[ -n "$initdb" ] && dirname "$initdb"
}

apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1 && return 0
	# A fresh machine has no (or stale) package lists: update once and retry.
	apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

install_postgres() {
	[ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
	say "installing PostgreSQL from Debian's packages"
	apt_install postgresql-common
	# Our cluster is private: don't let the package create and start its own "main" cluster.
	if [ -f /etc/postgresql-common/createcluster.conf ] && ! grep -q '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
		echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf
	fi
	apt_install postgresql
}

# Runs a PostgreSQL binary as the cluster's owner.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
	local bin
	bin=$(bindir) || return 1
	[ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

psql_super() {
	as_owner "$(bindir)/psql" -h "$run" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

start() {
	local bin
	bin=$(bindir) || { install_postgres; bin=$(bindir) || die "no initdb after installing PostgreSQL"; }
	if running; then
		say "already running ($data, 127.0.0.1:$port)"
		return 0
	fi
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	if [ ! -f "$data/PG_VERSION" ]; then
		say "creating a cluster in $data"
		as_owner mkdir -p "$data" "$run"
		# Local socket: peer (the owner runs psql); TCP: password (scram).
		as_owner "$bin/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
			--auth-local=peer --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
			|| { cat "$dir/initdb.log" >&2; die "initdb failed"; }
	fi
	as_owner mkdir -p "$run"
	say "starting on 127.0.0.1:$port (log $log)"
	as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $run" start >/dev/null \
		|| { tail -20 "$log" >&2 || true; die "the server did not start (is port $port taken? set FLEETMERGE_PG_PORT)"; }
	psql_super <<-SQL
		DO \$\$ BEGIN
		  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fleetmerge') THEN
		    CREATE ROLE fleetmerge LOGIN PASSWORD 'fleetmerge' CREATEDB;
		  END IF;
		END \$\$;
	SQL
	if [ "$(psql_super -c "SELECT 1 FROM pg_database WHERE datname = 'fleetmerge'")" != 1 ]; then
		psql_super -c "CREATE DATABASE fleetmerge OWNER fleetmerge"
	fi
	say "ready: $url"
}

stop() {
	if running; then
		as_owner "$(bindir)/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
		say "stopped"
	fi
}

case "${1:-}" in
	start) start ;;
	stop) stop ;;
	status) running ;;
	url) echo "$url" ;;
	*) echo "usage: ops/postgres.sh start|stop|status|url" >&2; exit 2 ;;
esac
