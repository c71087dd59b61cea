#!/bin/bash
# kernel-writes.sh OUTDIR SPEC
#
# Runs a list of writes against real Linux dm-snapshot targets in the oracle VM
# and records what the kernel did.
#
# SPEC is a shell-sourceable file:
#   CHUNKS="8 32"                 chunk size in sectors, one per snapshot
#   ORIGIN_BYTES=67108864         origin size (multiple of 512)
#   COW_BYTES="16777216 16777216" COW device size, one per snapshot
#   WRITES=writes.txt             writes file, relative to the SPEC's folder
#   EVERY=1                       optional: dmsetup status after every write
#   STORES="P PO"                 optional: store type per snapshot (default P)
#   ORIGIN_TAG=ORIGIN ORIGIN_GEN=0  optional: initial origin pattern
# Writes file, one write per line:
#   seq target offset_bytes length_bytes tag gen phase
#   target = origin | snap (= snap1) | snap1 | snap2 ...; data = pattern(tag,
#   offset/512 .., gen) for len bytes (offset and len multiples of 512).
#
# In the VM: snapN = "0 SZ snapshot /dev/vda <cowN> <store> <chunkN>" (all
# created first), origin = "0 SZ snapshot-origin /dev/vda"; every write is one
# synchronous O_DIRECT bio, in order; a failing write is recorded
# (write_failed SEQ) and the run goes on. dmsetup status of every snapshot at
# creation, after every phase (and every write with EVERY=1) and at the end;
# sha256 of all views; views copied to viewN.img; devices removed.
#
# Outputs in OUTDIR: origin.img (final), cowN.img, viewN.img (zeros if the
# snapshot was unreadable), result.txt (key value lines, see
# tests/fixtures/kernel/README.md), cowN-dump.txt (decoded exception table),
# guest.out / guest.err / console.log / vm-times.txt / timing.txt (raw).
# Exit: 0 when the VM ran (also when writes failed); 1 harness failure;
# 2 usage/spec error; 3 VM ran but a host-model check of a readable view
# mismatched (see "check" lines).
set -euo pipefail
FM_NAME=kernel-writes
usage() { echo "usage: $0 OUTDIR SPEC" >&2; exit 2; }
[ $# -eq 2 ] || usage
OUT=$1
SPEC=$2
[ -f "$SPEC" ] || { echo "$FM_NAME: spec $SPEC not found" >&2; exit 2; }
. "$(dirname "$0")/lib.sh"
T0=$(now_s)

# ------------------------------------------------------------------ spec
CHUNKS="" ORIGIN_BYTES="" COW_BYTES="" WRITES="" EVERY=0 STORES="" ORIGIN_TAG=ORIGIN ORIGIN_GEN=0
SPEC_DIR=$(cd "$(dirname "$SPEC")" && pwd)
# shellcheck source=/dev/null
. "$SPEC"
read -r -a CH <<< "$CHUNKS"
read -r -a CB <<< "$COW_BYTES"
read -r -a ST <<< "${STORES:-}"
N=${#CH[@]}
[ "$N" -ge 1 ] && [ "$N" -le 12 ] || fm_die "CHUNKS must name 1..12 snapshots"
[ ${#CB[@]} -eq "$N" ] || fm_die "COW_BYTES needs $N values"
if [ ${#ST[@]} -eq 0 ]; then for ((i = 0; i < N; i++)); do ST[i]=P; done; fi
[ ${#ST[@]} -eq "$N" ] || fm_die "STORES needs $N values"
[ -n "$ORIGIN_BYTES" ] && [ $((ORIGIN_BYTES % 512)) -eq 0 ] || fm_die "ORIGIN_BYTES must be a multiple of 512"
for ((i = 0; i < N; i++)); do
	[ $((CB[i] % 512)) -eq 0 ] || fm_die "COW_BYTES ${CB[i]} not a multiple of 512"
done
[ -n "$WRITES" ] || fm_die "WRITES not set"
case $WRITES in /*) WF=$WRITES ;; *) WF=$SPEC_DIR/$WRITES ;; esac
[ -f "$WF" ] || fm_die "writes file $WF not found"
awk -v n="$N" -v sz="$ORIGIN_BYTES" '
	NF == 0 { next }
	NF != 7 { print "line " NR ": need 7 fields"; bad = 1; next }
	$2 != "origin" && $2 != "snap" && !($2 ~ /^snap[0-9]+$/ && substr($2, 5) + 0 >= 1 && substr($2, 5) + 0 <= n) { print "line " NR ": bad target " $2; bad = 1 }
	$3 % 512 || $4 % 512 || $4 <= 0 || $3 + $4 > sz { print "line " NR ": bad offset/length"; bad = 1 }
	END { exit bad }' "$WF" >&2 || fm_die "bad writes file $WF"
NSECT=$((ORIGIN_BYTES / 512))
NW=$(awk 'NF' "$WF" | wc -l)

# ---------------------------------------------------------------- inputs
require_build
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT"/origin.img "$OUT"/cow[0-9]*.img "$OUT"/view[0-9]*.img "$OUT"/cow[0-9]*-dump.txt "$OUT/result.txt"
pattern "$ORIGIN_TAG" 0 "$NSECT" "$ORIGIN_GEN" > "$OUT/origin.img"
SHA_ORIGIN_INITIAL=$(sha "$OUT/origin.img")
IMGS=("$OUT/origin.img")
for ((i = 1; i <= N; i++)); do truncate -s "${CB[i - 1]}" "$OUT/cow$i.img"; IMGS+=("$OUT/cow$i.img"); done
for ((i = 1; i <= N; i++)); do truncate -s "$ORIGIN_BYTES" "$OUT/view$i.img"; IMGS+=("$OUT/view$i.img"); done
cp "$WF" "$OUT/writes.txt"

# ---------------------------------------------------------------------- VM
W=$(mktemp -d /tmp/fm-kernel-writes.XXXXXX)
trap 'rm -rf "$W"' EXIT
fm_guest "$W/guest.sh" "$FM_TESTS_ORACLE/guest/writes.sh" \
	"NSNAP=$N" "CHUNKS='${CH[*]}'" "STORES='${ST[*]}'" "EVERY=${EVERY:-0}" "WRITES='$(awk 'NF' "$WF")'"
T1=$(now_s)
fm_run_vm "$OUT" "$W/guest.sh" "${IMGS[@]}" || exit 1
T_VM=$(elapsed "$T1")
gv() { fm_gv "$OUT" "$1"; }

# ------------------------------------------------- host model of the views
FAILED=$(sed -n 's/^WRITE_FAILED \([0-9]*\).*/\1/p' "$OUT/guest.out" | tr '\n' ' ')
pattern "$ORIGIN_TAG" 0 "$NSECT" "$ORIGIN_GEN" > "$W/origin"
for ((i = 1; i <= N; i++)); do cp "$W/origin" "$W/snap$i"; done
while read -r seq tgt off len tag gen phase; do
	[ -n "$seq" ] || continue
	case " $FAILED " in *" $seq "*) continue ;; esac
	[ "$tgt" = snap ] && tgt=snap1
	pattern "$tag" $((off / 512)) $((len / 512)) "$gen" |
		dd of="$W/$tgt" bs=64K iflag=fullblock seek="$off" oflag=seek_bytes conv=notrunc status=none
done < "$WF"

# ---------------------------------------------------------------- result
SHA_ORIGIN=$(sha "$OUT/origin.img")
MODEL_ORIGIN=$(sha "$W/origin")
mism=0
{
	echo "kernel $(gv KERNEL)"
	echo "spec_chunks ${CH[*]}"
	echo "spec_stores ${ST[*]}"
	echo "spec_origin_bytes $ORIGIN_BYTES"
	echo "spec_cow_bytes ${CB[*]}"
	echo "spec_origin_pattern $ORIGIN_TAG $ORIGIN_GEN"
	echo "writes $NW"
	sed -n 's/^TABLE \(snap[0-9]*\|origin\) /table \1 /p' "$OUT/guest.out"
	sed -n 's/^STATUS /status /p' "$OUT/guest.out"
	for s in $FAILED; do echo "write_failed $s"; done
	sed -n 's/^WRITE_FAILED /write_error /p' "$OUT/guest.out"
	echo "writes_failed_count $(echo $FAILED | wc -w)"
	sed -n 's/^VIEW_COPY_FAILED /view_copy_failed /p' "$OUT/guest.out"
	sed -n 's/^IOSTAT /iostat /p' "$OUT/guest.out"
	echo "sha256 origin_initial $SHA_ORIGIN_INITIAL"
	echo "sha256 origin_view $(gv 'SHA origin_view')"
	for ((i = 1; i <= N; i++)); do echo "sha256 view$i $(gv "SHA view$i")"; done
	echo "sha256 origin.img $SHA_ORIGIN"
	for ((i = 1; i <= N; i++)); do echo "sha256 cow$i.img $(sha "$OUT/cow$i.img")"; done
	for ((i = 1; i <= N; i++)); do echo "sha256 view$i.img $(sha "$OUT/view$i.img")"; done
	echo "sha256 model_origin_view $MODEL_ORIGIN"
	for ((i = 1; i <= N; i++)); do echo "sha256 model_view$i $(sha "$W/snap$i")"; done
	for ((i = 1; i <= N; i++)); do
		"$FM_ORACLE/lib/cow-dump.sh" "$OUT/cow$i.img" > "$OUT/cow$i-dump.txt"
		fm_cow_summary "$i" "$OUT/cow$i.img"
	done
	fm_kmsg "$OUT"
} > "$W/result"
# checks: guest view == host model (a view that could not be read is only noted)
ck() { # name got want
	if [ "$2" = unreadable ]; then echo "check $1 unreadable"
	elif [ "$2" = "$3" ]; then echo "check $1 ok"
	else echo "check $1 MISMATCH"; fi
}
{
	ck origin_view_vs_model "$(gv 'SHA origin_view')" "$MODEL_ORIGIN"
	ck origin.img_vs_origin_view "$SHA_ORIGIN" "$(gv 'SHA origin_view')"
	for ((i = 1; i <= N; i++)); do
		ck "view${i}_vs_model" "$(gv "SHA view$i")" "$(sha "$W/snap$i")"
		v=$(gv "SHA view$i")
		[ "$v" = unreadable ] || ck "view$i.img_vs_view$i" "$(sha "$OUT/view$i.img")" "$v"
		ck "cow$i.img_host_vs_guest" "$(sha "$OUT/cow$i.img")" "$(gv "SHA cow$i")"
	done
} >> "$W/result"
grep -q ' MISMATCH$' "$W/result" && mism=1
mv "$W/result" "$OUT/result.txt"
TOTAL=$(elapsed "$T0")
{
	fm_vm_times "$OUT" vm_
	echo "guest_writes_s $(gv 'TIME writes_s')"
	echo "vm_wall_s $T_VM"
	echo "total_s $TOTAL"
} > "$OUT/timing.txt"

finals=$(sed -n 's/^status final \(snap[0-9]*\) [0-9]* [0-9]* [a-z-]* /\1=/p' "$OUT/result.txt" | tr '\n' ' ')
echo "$FM_NAME: $NW writes, $(echo $FAILED | wc -w) failed${FAILED:+ (${FAILED% })}, final ${finals% }, checks $([ $mism = 0 ] && echo ok || echo MISMATCH), ${TOTAL}s -> $OUT"
[ $mism = 0 ] || exit 3
