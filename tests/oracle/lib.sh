# Shared host-side helpers of the FleetMerge kernel-oracle scripts (source me
# from bash). Locates the oracle harness (a sibling checkout "shared" of this
# repository, or $FLEETMERGE_ORACLE_DIR) and sources its lib/common.sh, which
# provides pattern, mkguest, sha, now_s, elapsed and require_build.
#
# The oracle folder is only read; everything is written to the OUTDIR given to
# a script or to mktemp folders.

FM_TESTS_ORACLE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

fm_die() { echo "${FM_NAME:-oracle}: $*" >&2; exit 2; }

fm_find_oracle() {
	if [ -n "${FLEETMERGE_ORACLE_DIR:-}" ]; then
		printf '%s\n' "$FLEETMERGE_ORACLE_DIR"
		return
	fi
	local top
	top=$(git -C "$FM_TESTS_ORACLE" rev-parse --show-toplevel 2>/dev/null) ||
		top=$(cd "$FM_TESTS_ORACLE/../.." && pwd)
	printf '%s\n' "$top/../shared/oracle"
}
FM_ORACLE=$(fm_find_oracle)
[ -x "$FM_ORACLE/run-vm.sh" ] && [ -f "$FM_ORACLE/lib/common.sh" ] ||
	fm_die "oracle harness not found at $FM_ORACLE (set FLEETMERGE_ORACLE_DIR)"
FM_ORACLE=$(cd "$FM_ORACLE" && pwd)
# shellcheck source=/dev/null
. "$FM_ORACLE/lib/common.sh"

# fm_guest OUT_SCRIPT BODY VAR=VALUE...: oracle GUEST_LIB + our guest helpers
# (guest/lib.sh) + variables + BODY.
fm_guest() {
	local out=$1 body=$2 tmp
	shift 2
	tmp=$(mktemp /tmp/fm-oracle-body.XXXXXX)
	cat "$FM_TESTS_ORACLE/guest/lib.sh" "$body" > "$tmp"
	mkguest "$out" "$tmp" "$@"
	rm -f "$tmp"
}

# fm_run_vm OUTDIR GUEST_SCRIPT IMG...: runs the VM, guest stdout ->
# OUTDIR/guest.out, stderr -> OUTDIR/guest.err, timings -> OUTDIR/vm-times.txt,
# kernel console -> OUTDIR/console.log. Returns 0 only if the guest script
# exited 0 and printed DONE; otherwise prints the tail of the output.
fm_run_vm() {
	local out=$1 g=$2 rc
	shift 2
	set +e
	ORACLE_QUIET=1 ORACLE_TIMES=$out/vm-times.txt ORACLE_CONSOLE=$out/console.log \
		"$FM_ORACLE/run-vm.sh" "$g" "$@" > "$out/guest.out" 2> "$out/guest.err"
	rc=$?
	set -e
	if [ $rc -ne 0 ] || ! grep -q '^DONE$' "$out/guest.out"; then
		echo "${FM_NAME:-oracle}: VM run failed (rc=$rc)" >&2
		tail -n 20 "$out/guest.out" >&2
		tail -n 20 "$out/guest.err" >&2
		return 1
	fi
}

# fm_gv OUTDIR KEY: first value of "KEY value" in guest.out
fm_gv() { sed -n "s/^$2 //p" "$1/guest.out" | head -n1; }

# fm_cow_summary N IMG: result.txt lines describing a COW image
fm_cow_summary() {
	local n=$1 img=$2 dump
	dump=$("$FM_ORACLE/lib/cow-dump.sh" "$img")
	echo "cow_header cow$n $(od -An -tx1 -N16 "$img" | tr -s ' ' | sed 's/^ //')"
	read -r magic valid version chunk < <(od -An -tu4 -N16 "$img")
	echo "cow_valid cow$n $valid"
	echo "cow_exceptions cow$n $(echo "$dump" | grep -c '^E ' || true)"
	echo "cow_last_exception cow$n $(echo "$dump" | grep '^E ' | tail -n1)"
	echo "cow_dump_summary cow$n $(echo "$dump" | tail -n1)"
}

# fm_vm_times OUTDIR PREFIX: timing lines (kept out of result.txt, which is
# meant to be reproducible)
fm_vm_times() { sed "s/^/$2/" "$1/vm-times.txt"; }

# fm_kmsg OUTDIR: kernel messages the guest collected (timestamps and kworker
# numbers stripped: they vary between runs)
fm_kmsg() {
	sed -n 's/^KMSG //p' "$1/guest.out" | sed 's/^\[ *[0-9.]*\] //;s/^kworker\/[^ ]*: /kworker: /' |
		grep -vE 'CONFIG_IMA_DISABLE_HTABLE|uevent: version|ioctl: .*initialised' | sed 's/^/kmsg /' || true
}
