# Guest body of kernel-read.sh. Variables: CHUNK.
# Disks: /dev/vda origin, /dev/vdb COW, /dev/vdc receives the snapshot view.
ORIG=/dev/vda
COW=/dev/vdb
VIEW=/dev/vdc
SZ=$(blockdev --getsz $ORIG)
echo "KERNEL $(uname -r)"
echo "ORIGIN_SECTORS $SZ"
echo "COW_SECTORS $(blockdev --getsz $COW)"
echo "SHA origin_view $(shadev $ORIG)"
if dmsetup create snap --table "0 $SZ snapshot $ORIG $COW P $CHUNK" 2>/tmp/create.err; then
	echo "TABLE snap $(dmsetup table snap)"
	echo "STATUS snap $(dmsetup status snap)"
	h=$(shadev /dev/mapper/snap)
	echo "SHA snap_view $h"
	if [ "$h" != unreadable ]; then
		dd if=/dev/mapper/snap of=$VIEW bs=1M oflag=direct 2>/dev/null || echo "VIEW_COPY_FAILED snap"
	fi
	echo "STATUS after_read snap $(dmsetup status snap)"
	dmsetup remove snap
else
	echo "ERROR $(tr '\n' ' ' < /tmp/create.err)"
	dmsetup remove snap 2>/dev/null || true
fi
dropcaches
echo "SHA vdb $(shadev $COW)"
kmsg
echo "DONE"
