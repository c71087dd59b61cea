#!/usr/bin/env bash
# Reproducer (MergeConcurrencyTests): two `cow merge` runs of the same files at once. Nothing
# stops the second (the files are opened FileShare.Read, i.e. a shared lock), it merges the whole
# table, and the first, still running, then reads the areas the second zeroed as full areas of
# (0, 0) entries and copies COW chunk 0 (the store header "SnAp…") over origin chunk 0.
#   tests/FleetMerge.Cli.Tests/Crash/repro-concurrent-merge.sh [FLEETMERGE...]
# Default: dotnet src/FleetMerge.Cli/bin/Release/net10.0/fleetmerge.dll (dotnet build -c Release first).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
if [ $# -gt 0 ]; then FM=("$@"); else FM=(dotnet "$repo/src/FleetMerge.Cli/bin/Release/net10.0/fleetmerge.dll"); fi
d=$(mktemp -d "${TMPDIR:-/tmp}/fleetmerge-concurrent-XXXXXX")
cd "$d"
head -c 48M /dev/urandom > origin.img
"${FM[@]}" cow format snap.cow --size 50M > /dev/null
head -c 40M /dev/urandom > new.bin
"${FM[@]}" cow write --origin origin.img --cow snap.cow --to origin --offset 0 --in new.bin > /dev/null
"${FM[@]}" cow read --origin origin.img --cow snap.cow --out expected.img > /dev/null

"${FM[@]}" cow merge --origin origin.img --cow snap.cow --max-rate 15M > first.out 2>&1 & # ~2.7 s
first=$!
sleep 0.5
echo "second run: $("${FM[@]}" cow merge --origin origin.img --cow snap.cow 2>&1)"
wait "$first" && echo "first run:  $(cat first.out)"
if cmp -s origin.img expected.img; then
	echo "origin == snapshot view: not reproduced"; rm -rf "$d"; exit 0
fi
cmp origin.img expected.img | head -1 || true
cmp -s -n 4096 origin.img snap.cow && echo "origin chunk 0 == COW chunk 0 (the store header):" && head -c 16 origin.img | od -A d -t x1
echo "reproduced; files in $d"
exit 1
