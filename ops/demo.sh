#!/usr/bin/env bash
# The fleet demo (issue 5 §6): a three-node local cluster with 30 simulated hosts; a
# snapshot-before-upgrade campaign whose upgrade breaks some hosts; the failure budget halts it;
# a fleet rollback by merge-on-reboot; then every host's volume must be byte-identical to its
# pre-upgrade state. Exits 0 only when every check holds; the last line sums up what it proved.
#   ops/demo.sh [--keep]      (--keep leaves the cluster running afterwards)
# Simulated: the hosts (each a host agent with its own volume group, inside the three nodes),
# their upgrades (writes through the origin) and reboots (a real restart of the host agent).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
keep=0
[ "${1:-}" = "--keep" ] && keep=1
export FLEETMERGE_CLUSTER_DIR=${FLEETMERGE_CLUSTER_DIR:-/tmp/fleetmerge-demo}
hosts_per_node=10
total_hosts=$((3 * hosts_per_node))
checks=0
fail() { echo "demo: FAILED: $*" >&2; exit 1; }
ok() { checks=$((checks + 1)); echo "demo: ok: $*"; }
step() { echo; echo "== $*"; }

cleanup() { [ $keep = 1 ] || "$repo/ops/cluster.sh" down > /dev/null 2>&1 || true; }
trap cleanup EXIT

step "1. a three-node cluster on 127.0.0.1 with $hosts_per_node simulated hosts per node (one in ten has an upgrade that breaks it)"
"$repo/ops/cluster.sh" down > /dev/null 2>&1 || true
rm -rf "$FLEETMERGE_CLUSTER_DIR"
# A fresh fleet journal: campaign ids start at c1 and no earlier campaign is resumed.
export FLEETMERGE_CLUSTER_DB=fleetmerge_demo
"$repo/ops/postgres.sh" start > /dev/null
port=$("$repo/ops/postgres.sh" url | sed -n 's/.*Port=\([0-9]*\).*/\1/p')
psql=$(ls -d /usr/lib/postgresql/*/bin/psql 2> /dev/null | sort -V | tail -1)
PGPASSWORD=fleetmerge "${psql:-psql}" -h 127.0.0.1 -p "$port" -U fleetmerge -d fleetmerge -qc "DROP DATABASE IF EXISTS $FLEETMERGE_CLUSTER_DB" \
	|| fail "cannot drop the demo's fleet database $FLEETMERGE_CLUSTER_DB"
"$repo/ops/cluster.sh" up 3 -- --simulate-hosts $hosts_per_node --simulate-faults "upgrade-breaks=10%;seed=7" | tee /tmp/fleetmerge-demo.nodes
node_url=$(awk '$1 == "node1" { print $2 }' /tmp/fleetmerge-demo.nodes)
export FLEETMERGE_NODE=$node_url
export FLEETMERGE_TOKEN=$(cat "$(awk '$1 == "node1" { print $4 }' /tmp/fleetmerge-demo.nodes)")
dotnet build "$repo/src/FleetMerge.Cli" -c Release --nologo -v q -clp:ErrorsOnly > /dev/null
fm() { dotnet "$repo/src/FleetMerge.Cli/bin/Release/net10.0/fleetmerge.dll" "$@"; }
jqpy() { python3 -c "import json,sys; d=json.load(sys.stdin); $1"; }

for i in $(seq 1 180); do
	n=$(fm host list --hosts env=sim --json 2> /dev/null | jqpy "print(sum(1 for h in d if h['reachability']=='reachable'))" 2> /dev/null || echo 0)
	[ "$n" -ge $total_hosts ] && break
	sleep 1
done
[ "$n" -eq $total_hosts ] || fail "only $n of $total_hosts hosts registered with the coordinator"
ok "$total_hosts hosts registered with the coordinator"
fm cluster show
fm host list | tail -3

step "2. the pre-upgrade state of every host's volume (sha256 of the origin image)"
declare -A before
for img in "$FLEETMERGE_CLUSTER_DIR"/node*/sim/*/vgs/vg0/root.img; do
	before[$img]=$(sha256sum "$img" | cut -d' ' -f1)
done
[ ${#before[@]} -eq $total_hosts ] || fail "found ${#before[@]} origin images, expected $total_hosts"
ok "${#before[@]} origin images hashed"

step "3. snapshot-before-upgrade: canary 2, waves of 5, failure budget 2"
c1=$(fm campaign start snapshot --hosts env=sim --volumes vg0/root --size 50% --upgrade --health \
	--canary 2 --wave-size 5 --failure-budget 2 --step-timeout 2m)
echo "campaign $c1"
fm campaign status "$c1" --watch > /tmp/fleetmerge-demo.c1 && fail "campaign $c1 should have been halted by its failure budget"
tail -5 /tmp/fleetmerge-demo.c1
state=$(fm campaign status "$c1" --json | jqpy "print(d['state'])")
[ "$state" = failed ] || fail "campaign $c1 ended $state, expected failed"
failed=$(fm campaign status "$c1" --json | jqpy "print(sum(1 for h in d['hosts'] if h['outcome']=='failed'))")
halted=$(fm campaign status "$c1" --json | jqpy "print(d['halted'] or '')")
[ "$failed" -gt 2 ] || fail "campaign $c1 has $failed failed hosts; the budget of 2 should have been exceeded"
ok "campaign $c1 halted by its failure budget ($failed failed hosts): $halted"

step "4. fleet rollback by merge-on-reboot of $c1's snapshots"
c2=$(fm campaign start rollback --of "$c1" --wave-size 50% --step-timeout 2m)
echo "campaign $c2"
fm campaign status "$c2" --watch > /tmp/fleetmerge-demo.c2 || { tail -20 /tmp/fleetmerge-demo.c2; fail "rollback $c2 did not complete"; }
tail -3 /tmp/fleetmerge-demo.c2
ok "rollback $c2 completed on every host that had a snapshot"

step "5. every host's volume is byte-identical to its pre-upgrade state, and no snapshot is left"
mismatches=0
for img in "${!before[@]}"; do
	now=$(sha256sum "$img" | cut -d' ' -f1)
	[ "$now" = "${before[$img]}" ] || { echo "differs: $img"; mismatches=$((mismatches + 1)); }
done
[ $mismatches -eq 0 ] || fail "$mismatches volumes differ from their pre-upgrade state"
ok "all $total_hosts volumes byte-identical to their pre-upgrade state"
left=$(find "$FLEETMERGE_CLUSTER_DIR" -path '*/sim/*/vgs/*' -name '*.cow' | wc -l)
[ "$left" -eq 0 ] || fail "$left snapshot stores left after the rollback"
ok "no snapshot left (merged snapshots are dropped)"

echo
skipped=$(fm campaign status "$c1" --json | jqpy "print(sum(1 for h in d['hosts'] if h['outcome']=='skipped'))")
echo "demo: PASSED $checks checks: 3 nodes, $total_hosts simulated hosts; campaign $c1 halted by its failure budget after $failed broken upgrades ($skipped hosts never started); rollback $c2 by merge-on-reboot restored every volume byte for byte and left no snapshot"
