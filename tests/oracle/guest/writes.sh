# Guest body of kernel-writes.sh. Variables: NSNAP, CHUNKS, STORES, EVERY, WRITES.
# Disks: /dev/vda origin; COW of snapshot i (1..NSNAP) = disk i; view of
# snapshot i = disk NSNAP+i (receives a copy of the snapshot's view).
ORIG=/dev/vda
SZ=$(blockdev --getsz $ORIG)
echo "KERNEL $(uname -r)"
echo "ORIGIN_SECTORS $SZ"

st_all() {
	for _i in $SNAPS; do echo "STATUS $1 snap$_i $(dmsetup status snap$_i 2>&1)"; done
}

SNAPS=""
i=1
set -- $STORES
for c in $CHUNKS; do
	cow=$(devk $i)
	echo "COW_SECTORS snap$i $(blockdev --getsz $cow)"
	if ! dmsetup create snap$i --table "0 $SZ snapshot $ORIG $cow $1 $c" 2>/tmp/create.err; then
		echo "CREATE_FAILED snap$i $(tr '\n' ' ' < /tmp/create.err)"
		kmsg
		exit 1
	fi
	SNAPS="$SNAPS $i"
	i=$((i + 1))
	shift
done
dmsetup create origin --table "0 $SZ snapshot-origin $ORIG"
for i in $SNAPS; do echo "TABLE snap$i $(dmsetup table snap$i)"; done
echo "TABLE origin $(dmsetup table origin)"
st_all created

t0=$(now)
last=""
nfail=0
while read -r seq tgt off len tag gen phase; do
	[ -n "$seq" ] || continue
	if [ -n "$last" ] && [ "$phase" != "$last" ]; then
		st_all "after_phase_$last"
	fi
	last=$phase
	case $tgt in
	origin) dev=/dev/mapper/origin ;;
	snap) dev=/dev/mapper/snap1 ;;
	*) dev=/dev/mapper/$tgt ;;
	esac
	trywr "$seq" "$dev" "$off" "$len" "$tag" "$gen" || nfail=$((nfail + 1))
	if [ "$EVERY" = 1 ]; then
		st_all "after_seq_$seq"
	fi
done <<EOF
$WRITES
EOF
[ -z "$last" ] || st_all "after_phase_$last"
echo "TIME writes_s $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b - a}')"
for d in origin $(for i in $SNAPS; do echo snap$i; done); do
	m=$(dmsetup info -c --noheadings -o minor $d | tr -d ' ')
	echo "IOSTAT $d $(awk '{print "write_ios=" $5, "write_sectors=" $7}' /sys/block/dm-$m/stat)"
done

dropcaches
echo "SHA origin_view $(shadev /dev/mapper/origin)"
for i in $SNAPS; do
	h=$(shadev /dev/mapper/snap$i)
	echo "SHA view$i $h"
	if [ "$h" != unreadable ]; then
		dd if=/dev/mapper/snap$i of=$(devk $((NSNAP + i))) bs=1M oflag=direct 2>/dev/null ||
			echo "VIEW_COPY_FAILED snap$i"
	fi
done
st_all final
echo "INFO $(dmsetup info -c --noheadings -o name,major,minor,attr,open,segments | tr '\n' ';')"

dmsetup remove origin
for i in $SNAPS; do dmsetup remove snap$i; done
dropcaches
for i in $SNAPS; do echo "SHA cow$i $(shadev $(devk $i))"; done
kmsg
echo "DONE"
