#!/usr/bin/env bash
# Prints every benchmark figure with its baseline measured in the same run and the ratio.
#   ops/bench.sh [--quick] [--json FILE] [--only storage,merge,start,recovery,fleet]
# storage: the engine's writes, reads and merges (BenchmarkDotNet, in process);
# merge: a merge through a real node against the offline `fleetmerge cow merge` of the same data;
# start: a real node's start-to-ready, empty and populated data directory;
# recovery: a volume actor's recovery from a 20000-event SQLite journal, with and without Akka snapshots;
# fleet: peak memory of one node with 1000 simulated hosts (also with --quick); three real nodes with
#   1000 simulated hosts (300 with --quick) and a PostgreSQL fleet journal (ops/postgres.sh, a fresh
#   database): a snapshot campaign over all of them against one over 30, memory per host,
#   coordinator failover after SIGKILL.
# --quick: 64 MiB volumes and fewer iterations (under 5 minutes); default 256 MiB (about 15 minutes).
# Progress and the time each part took go to stderr, the figures to stdout. Images go to $FLEETMERGE_BENCH_DIR (default
# /tmp/fleetmerge-bench) and are removed afterwards.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
args=()
while [ $# -gt 0 ]; do
	case $1 in
		--quick) export FLEETMERGE_BENCH_MIB=${FLEETMERGE_BENCH_MIB:-64}; args+=(--quick) ;;
		--json) args+=(--json "$(realpath -m "$2")"); shift ;;
		--only) args+=(--only "$2"); shift ;;
		*) echo "usage: ops/bench.sh [--quick] [--json FILE] [--only storage,merge,start,recovery,fleet]" >&2; exit 2 ;;
	esac
	shift
done
only=storage,merge,start,recovery,fleet
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[i]}" != --only ] || only=${args[i + 1]}; done
log=$(mktemp /tmp/fleetmerge-bench.XXXXXX)
trap 'rm -f "$log"' EXIT
started=$SECONDS
echo "bench: building the bench, the node and the CLI (Release)" >&2
# The node and CLI figures run the real executables from their own build outputs, as ops/node.sh
# and ops/fleetmerge do; the bench project builds both (one MSBuild run instead of one per project).
dotnet build "$repo/src/FleetMerge.Bench" -c Release --nologo -v q > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
echo "bench: built in $((SECONDS - started)) s" >&2
export FLEETMERGE_NODE_DLL=$repo/src/FleetMerge.Node/bin/Release/net10.0/fleetmerge-node.dll
export FLEETMERGE_CLI_DLL=$repo/src/FleetMerge.Cli/bin/Release/net10.0/fleetmerge.dll
if [[ ,$only, == *,fleet,* ]]; then
	# The fleet journal of the fleet figures' cluster; the bench makes (and drops) its own database there.
	"$repo/ops/postgres.sh" start > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
	export FLEETMERGE_BENCH_POSTGRES=$("$repo/ops/postgres.sh" url)
fi
dotnet "$repo/src/FleetMerge.Bench/bin/Release/net10.0/FleetMerge.Bench.dll" "${args[@]}" > "$log" || {
	tail -40 "$log" >&2
	exit 1
}
echo "bench: $((SECONDS - started)) s in all, build included" >&2
# BenchmarkDotNet's own summary tables, then ours.
sed -n '/^| *Method\|^| *Description\|^|-\|^| /p' "$log" | head -40
sed -n '/^FleetMerge figures/,$p' "$log"
