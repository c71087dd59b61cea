#!/usr/bin/env bash
# A FleetMerge cluster of real node processes on this machine (127.0.0.1), for trying things by
# hand and for failure drills.
#   ops/cluster.sh up [N] [-- NODE-OPTIONS…]   build once, start PostgreSQL and N nodes (default 3)
#   ops/cluster.sh status                       pid, alive, API and what the node sees of the cluster
#   ops/cluster.sh kill NODE                    SIGKILL (node1, node2, …): a crash, no goodbye
#   ops/cluster.sh restart NODE                 start it again with the same options (stops it first if running)
#   ops/cluster.sh down                         stop every node (SIGTERM, SIGKILL after 30 s)
# Nodes 1-3 come from cluster-config/loopback-3.conf (node1 and node2 are the seeds and the
# coordinator nodes; node3 is host,api); node K > 3 gets akka port 4100+K, API port 7500+K, roles
# host,api. Every node keeps its host journal in its own SQLite file and shares the fleet journal
# in the PostgreSQL database $FLEETMERGE_CLUSTER_DB (fleetmerge_cluster), created on first use.
# Files: ${FLEETMERGE_CLUSTER_DIR:-/tmp/fleetmerge-cluster}/nodeK/ (data, api-token), nodeK.log
# (logs), nodeK.out (the ready line), nodeK.pid, nodeK.args (the options, for restart).
# Options after `--` go to every node started by that `up` (and are kept for restart), e.g.
#   ops/cluster.sh up 3 -- --simulate-hosts 10     (node K simulates sim-((K-1)*10+1) … sim-(K*10))
# Safe to re-run: `up` leaves running nodes alone; data stays until you remove the directory.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${FLEETMERGE_CLUSTER_DIR:-/tmp/fleetmerge-cluster}
db=${FLEETMERGE_CLUSTER_DB:-fleetmerge_cluster}
topology=$repo/cluster-config/loopback-3.conf
dll=$repo/src/FleetMerge.Node/bin/Release/net10.0/fleetmerge-node.dll
ready_timeout=${FLEETMERGE_CLUSTER_READY_TIMEOUT:-120}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { echo "ops/cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }
usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# ---------------------------------------------------------------- nodes

valid_name() { [[ $1 =~ ^node[1-9][0-9]*$ ]] || die "'$1' is not a node name (node1, node2, …)"; }
number() { echo "${1#node}"; }

# The pid of NODE when its process is alive and is that node (not a reused pid), else nothing.
pid_of() {
	local name=$1 pid
	[ -f "$dir/$name.pid" ] || return 0
	pid=$(cat "$dir/$name.pid")
	[[ $pid =~ ^[0-9]+$ ]] || return 0
	if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--data-dir $dir/$name "; then
		echo "$pid"
	fi
}

known_nodes() {
	local f
	for f in "$dir"/node*.args; do
		[ -e "$f" ] || continue
		basename "$f" .args
	done | sort -V
}

api_of() { sed -n 's/^fleetmerge-node ready: api \(http[^ ]*\) .*/\1/p' "$dir/$1.out" 2>/dev/null | tail -1; }

# How often a pattern occurs in a text (0 is an answer, not a failure).
count() { { grep -o "$1" <<<"$2" || true; } | wc -l; }

port_taken() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# The options of node K, one per line (so that restart can read them back exactly).
node_args() {
	local k=$1 name=node$1 pg=$2
	shift 2
	printf '%s\n' --data-dir "$dir/$name" --host-id "$name" --cluster-config "$topology" --fleet-postgres "$pg"
	if [ "$k" -le 3 ]; then
		printf '%s\n' --cluster-node "$name"
	else
		printf '%s\n' --akka-port $((4100 + k)) --api-port $((7500 + k)) --roles host,api
	fi
	[ $# -eq 0 ] || printf '%s\n' "$@"
	# --simulate-hosts N on every node: node K simulates sim-((K-1)*N+1) … so host ids never collide.
	local args=("$@") i sims="" first=""
	for ((i = 0; i < ${#args[@]}; i++)); do
		case ${args[i]} in
			--simulate-hosts) sims=${args[i + 1]:-} ;;
			--simulate-first) first=${args[i + 1]:-} ;;
		esac
	done
	if [[ $sims =~ ^[0-9]+$ ]] && [ -z "$first" ]; then
		printf '%s\n' --simulate-first $(((k - 1) * sims + 1))
	fi
}

start_node() {
	local name=$1 pid args=()
	mapfile -t args <"$dir/$name.args"
	local k
	k=$(number "$name")
	local akka=$((4100 + k)) api=$((7500 + k))
	for port in $akka $api; do
		if port_taken "$port"; then die "$name: port $port is in use (another program, or a node of another cluster); free it or stop that first"; fi
	done
	mkdir -p "$dir/$name"
	: >"$dir/$name.out"
	setsid nohup dotnet "$dll" "${args[@]}" >"$dir/$name.out" 2>>"$dir/$name.log" </dev/null &
	echo $! >"$dir/$name.pid"
}

wait_ready() {
	local name=$1 pid waited=0
	pid=$(cat "$dir/$name.pid")
	while [ -z "$(api_of "$name")" ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			say "$name exited before it was ready; the end of $dir/$name.log:"
			tail -15 "$dir/$name.log" >&2 || true
			exit 1
		fi
		[ "$waited" -lt "$ready_timeout" ] || die "$name is not ready after $ready_timeout s (see $dir/$name.log)"
		sleep 1
		waited=$((waited + 1))
	done
}

print_node() { printf '%-7s %-24s token %s\n' "$1" "$(api_of "$1")" "$dir/$1/api-token"; }

stop_pids() {
	local signal_wait=$1
	shift
	local pids=("$@") alive waited=0
	[ ${#pids[@]} -gt 0 ] || return 0
	kill -TERM "${pids[@]}" 2>/dev/null || true
	while :; do
		alive=()
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
		[ ${#alive[@]} -gt 0 ] || return 0
		if [ "$waited" -ge "$signal_wait" ]; then
			say "still running after ${signal_wait} s, SIGKILL: ${alive[*]}"
			kill -KILL "${alive[@]}" 2>/dev/null || true
			return 0
		fi
		sleep 1
		waited=$((waited + 1))
	done
}

# ---------------------------------------------------------------- PostgreSQL

fleet_postgres() {
	"$repo/ops/postgres.sh" start
	local url port psql
	url=$("$repo/ops/postgres.sh" url)
	port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$url")
	psql=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
	[ -n "$psql" ] || psql=$(command -v psql) || die "no psql found (ops/postgres.sh installs PostgreSQL)"
	[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || die "FLEETMERGE_CLUSTER_DB '$db' is not a plain database name (a-z, 0-9, _)"
	local pg=(env PGPASSWORD=fleetmerge "$psql" -h 127.0.0.1 -p "$port" -U fleetmerge -d fleetmerge -v ON_ERROR_STOP=1 -qAt)
	if [ "$("${pg[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
		"${pg[@]}" -c "CREATE DATABASE $db OWNER fleetmerge" >/dev/null || die "cannot create the database $db"
		say "created the database $db"
	fi
	echo "${url/Database=fleetmerge/Database=$db}"
}

# ---------------------------------------------------------------- commands

up() {
	local n=3 extra=()
	if [ $# -gt 0 ] && [ "$1" != "--" ]; then
		[[ $1 =~ ^[1-9][0-9]?$ ]] || die "up: '$1' is not a number of nodes (1 to 99)"
		n=$1
		shift
	fi
	if [ $# -gt 0 ]; then
		[ "$1" = "--" ] || die "up: unexpected '$1' (node options go after --)"
		shift
		extra=("$@")
	fi
	[ "$n" -ge 3 ] || say "warning: $n node(s): keep-majority needs 3 to survive the loss of one"
	mkdir -p "$dir"
	say "building the node (Release)"
	dotnet build "$repo/src/FleetMerge.Node" -c Release --nologo -v q -clp:ErrorsOnly -clp:NoSummary 1>&2 || die "the build failed"
	local pg
	pg=$(fleet_postgres)

	local started=() k name
	for k in $(seq 1 "$n"); do
		name=node$k
		if [ -n "$(pid_of "$name")" ]; then
			say "$name is already running (pid $(pid_of "$name"))"
			continue
		fi
		node_args "$k" "$pg" "${extra[@]}" >"$dir/$name.args"
		start_node "$name"
		started+=("$name")
	done
	for name in "${started[@]}"; do wait_ready "$name"; done
	for k in $(seq 1 "$n"); do print_node "node$k"; done
}

status() {
	local name pid api token answer members up unreachable any=0
	for name in $(known_nodes); do
		any=1
		pid=$(pid_of "$name")
		api=$(api_of "$name")
		if [ -z "$pid" ]; then
			printf '%-7s %-8s %-24s\n' "$name" "dead" "${api:--}"
			continue
		fi
		answer=""
		if [ -n "$api" ] && command -v curl >/dev/null && [ -r "$dir/$name/api-token" ]; then
			token=$(cat "$dir/$name/api-token")
			answer=$(curl -s -m 5 -H "Authorization: Bearer $token" "$api/api/v1/cluster" || true)
		fi
		if [ -n "$answer" ] && grep -q '"members"' <<<"$answer"; then
			members=$(count '"reachability":"[a-z]*"' "$answer")
			up=$(count '"status":"up"' "$answer")
			unreachable=$(count '"reachability":"unreachable"' "$answer")
			printf '%-7s pid %-7s %-24s sees %d members (%d up, %d unreachable)\n' "$name" "$pid" "$api" "$members" "$up" "$unreachable"
		else
			printf '%-7s pid %-7s %-24s API not answering\n' "$name" "$pid" "${api:--}"
		fi
	done
	[ "$any" = 1 ] || say "no nodes in $dir (ops/cluster.sh up)"
}

kill_node() {
	local name=$1 pid
	valid_name "$name"
	pid=$(pid_of "$name")
	[ -n "$pid" ] || die "$name is not running"
	kill -KILL "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
	say "$name killed (SIGKILL, pid $pid)"
}

restart_node() {
	local name=$1 pid
	valid_name "$name"
	[ -f "$dir/$name.args" ] || die "$name was never started here (ops/cluster.sh up)"
	pid=$(pid_of "$name")
	if [ -n "$pid" ]; then
		say "stopping $name (pid $pid)"
		stop_pids 30 "$pid"
	fi
	[ -f "$dll" ] || die "$dll is missing (ops/cluster.sh up builds it)"
	start_node "$name"
	wait_ready "$name"
	print_node "$name"
}

down() {
	local name pid pids=()
	for name in $(known_nodes); do
		pid=$(pid_of "$name")
		[ -z "$pid" ] || pids+=("$pid")
	done
	if [ ${#pids[@]} -eq 0 ]; then
		say "no node is running"
		return 0
	fi
	say "stopping ${#pids[@]} node(s)"
	stop_pids 30 "${pids[@]}"
	for name in $(known_nodes); do rm -f "$dir/$name.pid"; done
	say "stopped (data stays in $dir)"
}

case "${1:-}" in
	up) shift; up "$@" ;;
	status) status ;;
	kill) [ $# -eq 2 ] || usage; kill_node "$2" ;;
	restart) [ $# -eq 2 ] || usage; restart_node "$2" ;;
	down) down ;;
	*) usage ;;
esac
