#!/bin/bash
# kernel-merge.sh OUTDIR ORIGIN_IMG COW_IMG CHUNK [COW2_IMG CHUNK2 ...]
#
# Merges snapshot 1 (COW_IMG, chunk CHUNK sectors) back into the origin with
# the real kernel's snapshot-merge target, the way LVM does it:
#   merge = "0 SZ snapshot-merge /dev/vda /dev/vdb P CHUNK"
# COW2_IMG ... are loaded first as ordinary snapshots of the same origin
#   snapK = "0 SZ snapshot /dev/vda <cowK> P CHUNKK"
# so that the kernel (which finds snapshots by origin bdev) gives them their
# copies of every origin chunk the merge overwrites; their views must not change.
# Before the merge snapshot 1 is loaded once as a plain snapshot to hash its
# view (view1_before) and removed again. The script polls dmsetup status until
# sectors_allocated == metadata_sectors (or the status is not numeric, e.g.
# Invalid).
#
# The input images are copied (never modified) to OUTDIR/origin.img,
# cow1.img, cow2.img ...; after the run they hold the merged origin and the
# final COWs. result.txt: key value lines (tests/fixtures/kernel/README.md);
# cowN-dump.txt; guest.out, guest.err, console.log, vm-times.txt, timing.txt.
# Exit: 0 VM ran (check lines say whether the merge did what it should);
# 1 harness failure; 2 usage; 3 VM ran but a check failed.
set -euo pipefail
FM_NAME=kernel-merge
usage() { echo "usage: $0 OUTDIR ORIGIN_IMG COW_IMG CHUNK [COW2_IMG CHUNK2 ...]" >&2; exit 2; }
[ $# -ge 4 ] && [ $(($# % 2)) -eq 0 ] || usage
OUT=$1
ORIGIN_IN=$2
shift 2
. "$(dirname "$0")/lib.sh"
T0=$(now_s)
COWS_IN=()
CH=()
while [ $# -gt 0 ]; do
	[ -f "$1" ] || fm_die "COW image $1 not found"
	[[ "$2" =~ ^[0-9]+$ ]] || fm_die "bad chunk size $2"
	COWS_IN+=("$(realpath "$1")")
	CH+=("$2")
	shift 2
done
N=${#COWS_IN[@]}
[ "$N" -le 25 ] || fm_die "too many COWs"
[ -f "$ORIGIN_IN" ] || fm_die "origin image $ORIGIN_IN not found"
ORIGIN_IN=$(realpath "$ORIGIN_IN")

require_build
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
for f in "$ORIGIN_IN" "${COWS_IN[@]}"; do
	case $f in "$OUT"/origin.img | "$OUT"/cow[0-9]*.img) fm_die "input $f would be overwritten: use another OUTDIR" ;; esac
done
rm -f "$OUT"/origin.img "$OUT"/cow[0-9]*.img "$OUT"/cow[0-9]*-dump.txt "$OUT/result.txt"
cp --sparse=always "$ORIGIN_IN" "$OUT/origin.img"
IMGS=("$OUT/origin.img")
for ((i = 1; i <= N; i++)); do
	cp --sparse=always "${COWS_IN[i - 1]}" "$OUT/cow$i.img"
	IMGS+=("$OUT/cow$i.img")
done
SHA_IN_ORIGIN=$(sha "$OUT/origin.img")
SHA_IN_COW=()
for ((i = 1; i <= N; i++)); do SHA_IN_COW[i]=$(sha "$OUT/cow$i.img"); done

W=$(mktemp -d /tmp/fm-kernel-merge.XXXXXX)
trap 'rm -rf "$W"' EXIT
fm_guest "$W/guest.sh" "$FM_TESTS_ORACLE/guest/merge.sh" "NCOW=$N" "CHUNKS='${CH[*]}'"
T1=$(now_s)
fm_run_vm "$OUT" "$W/guest.sh" "${IMGS[@]}" || exit 1
T_VM=$(elapsed "$T1")
gv() { fm_gv "$OUT" "$1"; }

SHA_ORIGIN=$(sha "$OUT/origin.img")
{
	echo "kernel $(gv KERNEL)"
	echo "merge_chunks ${CH[*]}"
	echo "sha256 input_origin.img $SHA_IN_ORIGIN"
	for ((i = 1; i <= N; i++)); do echo "sha256 input_cow$i.img ${SHA_IN_COW[i]}"; done
	sed -n 's/^TABLE /table /p' "$OUT/guest.out"
	sed -n 's/^CREATE_FAILED /error create /p;s/^MERGE_CREATE_FAILED /error create_merge /p' "$OUT/guest.out"
	sed -n 's/^STATUS before /status before /p' "$OUT/guest.out"
	sed -n 's/^SAMPLE \([0-9]*\) [0-9.]* /status sample_\1 /p' "$OUT/guest.out"
	sed -n 's/^STATUS final /status final /p' "$OUT/guest.out"
	sed -n 's/^MERGE_STOPPED /merge_stopped /p;s/^MERGE_TIMEOUT /merge_timeout /p' "$OUT/guest.out"
	echo "status_samples $(sed -n 's/^SAMPLE \([0-9]*\) .*/\1/p' "$OUT/guest.out" | tail -n1)"
	echo "sha256 view1_before $(gv 'SHA view1_before')"
	for ((i = 2; i <= N; i++)); do
		echo "sha256 view${i}_before $(gv "SHA view${i}_before")"
		echo "sha256 view${i}_after $(gv "SHA view${i}_after")"
	done
	echo "sha256 merged_origin $(gv 'SHA merged_origin')"
	echo "sha256 origin.img $SHA_ORIGIN"
	for ((i = 1; i <= N; i++)); do echo "sha256 cow$i.img $(sha "$OUT/cow$i.img")"; done
	for ((i = 1; i <= N; i++)); do
		"$FM_ORACLE/lib/cow-dump.sh" "$OUT/cow$i.img" > "$OUT/cow$i-dump.txt"
		fm_cow_summary "$i" "$OUT/cow$i.img"
	done
	fm_kmsg "$OUT"
} > "$W/result"
ck() { if [ -n "$2" ] && [ "$2" = "$3" ]; then echo "check $1 ok"; else echo "check $1 FAIL"; fi; }
{
	ck merged_origin_eq_view1_before "$(gv 'SHA merged_origin')" "$(gv 'SHA view1_before')"
	ck origin.img_eq_merged_origin "$SHA_ORIGIN" "$(gv 'SHA merged_origin')"
	ck origin.img_host_vs_guest "$SHA_ORIGIN" "$(gv 'SHA vda')"
	ck cow1_untouched_by_plain_load "$(gv 'SHA cow1_before_merge')" "${SHA_IN_COW[1]}"
	for ((i = 2; i <= N; i++)); do
		ck "view${i}_before_eq_after" "$(gv "SHA view${i}_after")" "$(gv "SHA view${i}_before")"
	done
	for ((i = 1; i <= N; i++)); do ck "cow$i.img_host_vs_guest" "$(sha "$OUT/cow$i.img")" "$(gv "SHA cow$i")"; done
	merge_fin=$(sed -n 's/^STATUS final merge //p' "$OUT/guest.out" | awk '{split($4, a, "/"); print (a[1] == $5 ? "done" : $4)}')
	ck merge_finished "$merge_fin" done
} >> "$W/result"
fail=0
grep -q ' FAIL$' "$W/result" && fail=1
mv "$W/result" "$OUT/result.txt"
TOTAL=$(elapsed "$T0")
{
	fm_vm_times "$OUT" vm_
	echo "guest_merge_s $(gv 'TIME merge_s')"
	sed -n 's/^SAMPLE \([0-9]*\) \([0-9.]*\) /sample_\1 t=\2 /p' "$OUT/guest.out"
	echo "vm_wall_s $T_VM"
	echo "total_s $TOTAL"
} > "$OUT/timing.txt"
final=$(sed -n 's/^status final merge [0-9]* [0-9]* [a-z-]* //p' "$OUT/result.txt")
echo "$FM_NAME: final merge ${final:-none} after $(gv 'TIME merge_s')s, $(sed -n 's/^status_samples //p' "$OUT/result.txt") samples, checks $([ $fail = 0 ] && echo ok || echo FAILED: $(grep ' FAIL$' "$OUT/result.txt" | cut -d' ' -f2 | tr '\n' ' ')), ${TOTAL}s -> $OUT"
[ $fail = 0 ] || exit 3
