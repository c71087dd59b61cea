#!/usr/bin/env bash
# Prints every benchmark figure with its baseline measured in the same run and the ratio.
#   ops/bench.sh [--quick] [--json FILE]
# --quick: 64 MiB volumes and 3 iterations (about a minute); default 256 MiB and 7 iterations.
# Images go to $FLEETMERGE_BENCH_DIR (default /tmp/fleetmerge-bench) and are removed afterwards.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
args=()
while [ $# -gt 0 ]; do
	case $1 in
		--quick) export FLEETMERGE_BENCH_MIB=${FLEETMERGE_BENCH_MIB:-64}; args+=(--quick) ;;
		--json) args+=(--json "$(realpath -m "$2")"); shift ;;
		*) echo "usage: ops/bench.sh [--quick] [--json FILE]" >&2; exit 2 ;;
	esac
	shift
done
dotnet build "$repo/src/FleetMerge.Bench" -c Release --nologo -v q > /dev/null
log=$(mktemp /tmp/fleetmerge-bench.XXXXXX)
dotnet "$repo/src/FleetMerge.Bench/bin/Release/net10.0/FleetMerge.Bench.dll" "${args[@]}" > "$log" 2>&1 || { tail -40 "$log" >&2; exit 1; }
# BenchmarkDotNet's own summary tables, then ours.
sed -n '/^| *Method\|^| *Description\|^|-\|^| /p' "$log" | head -40
sed -n '/^FleetMerge storage figures/,$p' "$log"
rm -f "$log"
