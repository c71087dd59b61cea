#!/bin/bash
# kernel-read.sh OUTDIR ORIGIN_IMG COW_IMG CHUNK
#
# Attaches a persistent COW store to an origin with the real kernel, one VM
# boot:  snap = "0 SZ snapshot /dev/vda /dev/vdb P CHUNK"
# The inputs are copied to OUTDIR/origin.img and OUTDIR/cow1.img first (never
# modified; note the kernel itself may write the copy, e.g. initialise a
# zeroed store or invalidate it). The snapshot view is written to
# OUTDIR/view1.img (left all zeros if the view could not be read).
# result.txt (key value):
#   kernel <uname -r>
#   table snap <dmsetup table line>          (absent if the table was refused)
#   status snap <dmsetup status line>        e.g. "0 131072 snapshot 3152/32768 24",
#                                            "0 131072 snapshot Invalid",
#                                            or "error" if the table was refused
#   error <dmsetup error text>               only if the table was refused
#   sha256 snap_view <hex>|unreadable
#   sha256 origin_view <hex>                 (origin device as the guest read it)
#   sha256 view1.img / origin.img / cow1.img (host files after the run)
#   sha256 input_origin.img / input_cow1.img
#   cow_header / cow_valid / cow_exceptions ... (decoded final cow1.img)
#   kmsg <kernel message>                    device-mapper messages
#   check ... ok|FAIL                        host file vs guest hashes
# Exit: 0 when the VM ran (whatever the kernel thought of the COW);
# 1 harness failure; 2 usage.
set -euo pipefail
FM_NAME=kernel-read
usage() { echo "usage: $0 OUTDIR ORIGIN_IMG COW_IMG CHUNK" >&2; exit 2; }
[ $# -eq 4 ] || usage
OUT=$1 ORIGIN_IN=$2 COW_IN=$3 CHUNK=$4
. "$(dirname "$0")/lib.sh"
T0=$(now_s)
[ -f "$ORIGIN_IN" ] || fm_die "origin image $ORIGIN_IN not found"
[ -f "$COW_IN" ] || fm_die "COW image $COW_IN not found"
[[ "$CHUNK" =~ ^[0-9]+$ ]] || fm_die "bad chunk size $CHUNK"
ORIGIN_IN=$(realpath "$ORIGIN_IN")
COW_IN=$(realpath "$COW_IN")
require_build
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
for f in "$ORIGIN_IN" "$COW_IN"; do
	case $f in "$OUT"/origin.img | "$OUT"/cow1.img | "$OUT"/view1.img) fm_die "input $f would be overwritten: use another OUTDIR" ;; esac
done
rm -f "$OUT"/origin.img "$OUT"/cow1.img "$OUT"/view1.img "$OUT"/cow1-dump.txt "$OUT/result.txt"
cp --sparse=always "$ORIGIN_IN" "$OUT/origin.img"
cp --sparse=always "$COW_IN" "$OUT/cow1.img"
truncate -s "$(stat -c %s "$ORIGIN_IN")" "$OUT/view1.img"
SHA_IN_ORIGIN=$(sha "$OUT/origin.img")
SHA_IN_COW=$(sha "$OUT/cow1.img")

W=$(mktemp -d /tmp/fm-kernel-read.XXXXXX)
trap 'rm -rf "$W"' EXIT
fm_guest "$W/guest.sh" "$FM_TESTS_ORACLE/guest/read.sh" "CHUNK=$CHUNK"
T1=$(now_s)
fm_run_vm "$OUT" "$W/guest.sh" "$OUT/origin.img" "$OUT/cow1.img" "$OUT/view1.img" || exit 1
T_VM=$(elapsed "$T1")
gv() { fm_gv "$OUT" "$1"; }

SNAP_VIEW=$(gv 'SHA snap_view')
{
	echo "kernel $(gv KERNEL)"
	echo "chunk $CHUNK"
	sed -n 's/^TABLE snap /table snap /p' "$OUT/guest.out"
	if grep -q '^ERROR ' "$OUT/guest.out"; then
		echo "status snap error"
		sed -n 's/^ERROR /error /p' "$OUT/guest.out"
	else
		sed -n 's/^STATUS snap /status snap /p;s/^STATUS after_read snap /status after_read snap /p' "$OUT/guest.out"
	fi
	sed -n 's/^VIEW_COPY_FAILED /view_copy_failed /p' "$OUT/guest.out"
	echo "sha256 snap_view ${SNAP_VIEW:-unreadable}"
	echo "sha256 origin_view $(gv 'SHA origin_view')"
	echo "sha256 input_origin.img $SHA_IN_ORIGIN"
	echo "sha256 input_cow1.img $SHA_IN_COW"
	echo "sha256 origin.img $(sha "$OUT/origin.img")"
	echo "sha256 cow1.img $(sha "$OUT/cow1.img")"
	echo "sha256 view1.img $(sha "$OUT/view1.img")"
	"$FM_ORACLE/lib/cow-dump.sh" "$OUT/cow1.img" > "$OUT/cow1-dump.txt"
	fm_cow_summary 1 "$OUT/cow1.img"
	fm_kmsg "$OUT"
	ck() { if [ "$2" = "$3" ]; then echo "check $1 ok"; else echo "check $1 FAIL"; fi; }
	ck origin_view_eq_input "$(gv 'SHA origin_view')" "$SHA_IN_ORIGIN"
	ck cow1.img_host_vs_guest "$(sha "$OUT/cow1.img")" "$(gv 'SHA vdb')"
	if [ -n "$SNAP_VIEW" ] && [ "$SNAP_VIEW" != unreadable ]; then
		ck view1.img_eq_snap_view "$(sha "$OUT/view1.img")" "$SNAP_VIEW"
	fi
} > "$OUT/result.txt"
TOTAL=$(elapsed "$T0")
{ fm_vm_times "$OUT" vm_; echo "vm_wall_s $T_VM"; echo "total_s $TOTAL"; } > "$OUT/timing.txt"
st=$(sed -n 's/^status snap //p' "$OUT/result.txt" | head -n1)
echo "$FM_NAME: status ${st:-?}, snap_view ${SNAP_VIEW:-unreadable}, ${TOTAL}s -> $OUT"
