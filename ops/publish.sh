#!/usr/bin/env bash
# Publishes `fleetmerge` as one executable file (framework-dependent, linux-x64) into out/bin.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dotnet publish "$repo/src/FleetMerge.Cli" -c Release -r linux-x64 --self-contained false \
	-p:PublishSingleFile=true -p:DebugType=none -o "$repo/out/bin" --nologo -v q
echo "ops/publish.sh: $repo/out/bin/fleetmerge"
