#!/usr/bin/env bash
# The reliability report card: SIGKILL, power loss, fuzzing, disk full, journal restarts and API abuse,
# each trial checked byte for byte against an independent model. One line per scenario: trials run,
# failures, data lost (must be 0) and the seed that replays it.
#
#   ops/torture.sh [--trials N] [--seed S] [--only SCENARIO,...] [--trial K] [--jobs J] [--dir DIR] [--list]
#
#   --trials N   trials per scenario (default: 1000 for engine scenarios, 100 for node and cluster ones)
#   --seed S     the run's seed (default random, printed); each trial's seed derives from it, the
#                scenario's name and the trial's number
#   --only LIST  only these scenarios (--list names them)
#   --trial K    replay trial K of the one scenario given with --only (as printed for a failure)
#   --jobs J     trials of a scenario run in parallel where the scenario allows it (default: CPUs)
#   --dir DIR    work directory (default /tmp/fleetmerge-torture-SEED, removed when all pass); failing
#                trials' directories are kept with their log
#
# Needs root for the disk-full scenarios (a small tmpfs is mounted) and PostgreSQL for the cluster
# ones (ops/postgres.sh starts it on 127.0.0.1). Exit 0 when every trial passed, 1 on any failure,
# 2 on bad arguments.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
case " $* " in *" -h "* | *" --help "*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
log=$(mktemp /tmp/fleetmerge-torture-build.XXXXXX)
trap 'rm -f "$log"' EXIT
echo "torture: building the CLI, the node and the torture harness (Release)" >&2
for project in FleetMerge.Cli FleetMerge.Node FleetMerge.Torture; do
	dotnet build "$repo/src/$project" -c Release --nologo -v q > "$log" 2>&1 || { tail -30 "$log" >&2; echo "ops/torture.sh: build failed" >&2; exit 2; }
done
export FLEETMERGE_NODE_DLL=$repo/src/FleetMerge.Node/bin/Release/net10.0/fleetmerge-node.dll
export FLEETMERGE_CLI_DLL=$repo/src/FleetMerge.Cli/bin/Release/net10.0/fleetmerge.dll
export FLEETMERGE_REPO=$repo
exec dotnet "$repo/src/FleetMerge.Torture/bin/Release/net10.0/fleetmerge-torture.dll" "$@"
