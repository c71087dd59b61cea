#!/usr/bin/env bash
# Runs a FleetMerge node from a checkout, in the foreground: builds it (Release, quietly, build
# output on stderr) and then runs it with your arguments. Ctrl-C stops it cleanly.
#   ops/node.sh                                   # ./data, API on http://127.0.0.1:7420
#   ops/node.sh --data-dir /srv/fm --api-port 0   # any option; ops/node.sh --help lists them
# stdout carries one line, "fleetmerge-node ready: api URL data DIR persistence KIND", when the
# node is up; logs go to stderr.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$repo/src/FleetMerge.Node" -c Release --nologo -v q -clp:ErrorsOnly 1>&2
exec dotnet "$repo/src/FleetMerge.Node/bin/Release/net10.0/fleetmerge-node.dll" "$@"
