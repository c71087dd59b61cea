# Guest body of kernel-merge.sh. Variables: NCOW, CHUNKS.
# Disks: /dev/vda origin, disk i = COW i (1 = the merging snapshot; 2.. =
# other snapshots of the same origin, loaded as plain `snapshot` targets).
ORIG=/dev/vda
SZ=$(blockdev --getsz $ORIG)
echo "KERNEL $(uname -r)"
echo "ORIGIN_SECTORS $SZ"
set -- $CHUNKS
C1=$1

# 1. the merging snapshot's view before the merge: load it as a plain
#    snapshot, hash, remove (a valid persistent store is only read).
if dmsetup create snap1 --table "0 $SZ snapshot $ORIG $(devk 1) P $C1" 2>/tmp/create.err; then
	echo "TABLE before snap1 $(dmsetup table snap1)"
	echo "STATUS before snap1 $(dmsetup status snap1)"
	echo "SHA view1_before $(shadev /dev/mapper/snap1)"
	dmsetup remove snap1
else
	echo "CREATE_FAILED snap1 $(tr '\n' ' ' < /tmp/create.err)"
fi
dropcaches
echo "SHA cow1_before_merge $(shadev $(devk 1))"

# 2. the other snapshots: ordinary snapshot targets of the same origin bdev
#    (the kernel finds them through the origin device and gives them their
#    copies before each merge batch overwrites origin chunks)
OTHERS=""
i=2
shift
for c in "$@"; do
	if ! dmsetup create snap$i --table "0 $SZ snapshot $ORIG $(devk $i) P $c" 2>/tmp/create.err; then
		echo "CREATE_FAILED snap$i $(tr '\n' ' ' < /tmp/create.err)"
		kmsg
		exit 1
	fi
	echo "TABLE before snap$i $(dmsetup table snap$i)"
	echo "STATUS before snap$i $(dmsetup status snap$i)"
	echo "SHA view${i}_before $(shadev /dev/mapper/snap$i)"
	OTHERS="$OTHERS $i"
	i=$((i + 1))
done

# 3. the merge: snapshot-merge takes the origin's place (no snapshot-origin
#    loaded); it starts when the table is resumed (dmsetup create resumes).
t0=$(now)
if ! dmsetup create merge --table "0 $SZ snapshot-merge $ORIG $(devk 1) P $C1" 2>/tmp/create.err; then
	echo "MERGE_CREATE_FAILED $(tr '\n' ' ' < /tmp/create.err)"
	kmsg
	echo "DONE"
	exit 0
fi
echo "TABLE merge $(dmsetup table merge)"
for i in $OTHERS; do echo "TABLE merge_others snap$i $(dmsetup table snap$i)"; done
prev=""
n=0
k=0
while :; do
	st=$(dmsetup status merge)
	t=$(now)
	lines="merge $st"
	for i in $OTHERS; do lines="$lines
snap$i $(dmsetup status snap$i)"; done
	if [ "$lines" != "$prev" ]; then
		k=$((k + 1))
		echo "$lines" | while read -r l; do echo "SAMPLE $k $t $l"; done
		prev=$lines
	fi
	set -- $st
	case "$4" in
	*/*) [ "${4%/*}" = "$5" ] && break ;;
	*) echo "MERGE_STOPPED $st"; break ;;
	esac
	n=$((n + 1))
	if [ $n -gt 6000 ]; then echo "MERGE_TIMEOUT $st"; break; fi
	sleep 0.05
done
echo "TIME merge_s $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b - a}')"
echo "STATUS final merge $(dmsetup status merge)"
for i in $OTHERS; do echo "STATUS final snap$i $(dmsetup status snap$i)"; done

dropcaches
echo "SHA merged_origin $(shadev /dev/mapper/merge)"
for i in $OTHERS; do echo "SHA view${i}_after $(shadev /dev/mapper/snap$i)"; done
dmsetup remove merge
for i in $OTHERS; do dmsetup remove snap$i; done
dropcaches
echo "SHA vda $(shadev $ORIG)"
i=1
while [ $i -le "$NCOW" ]; do echo "SHA cow$i $(shadev $(devk $i))"; i=$((i + 1)); done
kmsg
echo "DONE"
