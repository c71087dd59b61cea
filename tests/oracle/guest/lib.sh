# FleetMerge guest helpers (busybox sh in the oracle VM), prepended to the
# guest bodies after the oracle's GUEST_LIB (pattern, wr, now).

# devk K: /dev/vdX of disk index K (0 = /dev/vda)
devk() {
	_k=$1
	set -- a b c d e f g h i j k l m n o p q r s t u v w x y z
	shift "$_k"
	echo "/dev/vd$1"
}
# shadev DEV: sha256 of a whole device, or "unreadable" if reading fails
shadev() {
	if _h=$(sha256sum < "$1" 2>/tmp/sha.err); then
		echo "${_h%% *}"
	else
		echo unreadable
	fi
}
# trywr SEQ DEV OFF LEN TAG GEN: the oracle's wr (one O_DIRECT bio) in a
# subshell, so a failing write (EIO from an invalid snapshot) is reported as
# "WRITE_FAILED SEQ <dd message>" instead of ending the script.
trywr() {
	_seq=$1
	shift
	if ( wr "$@" ) 2>/tmp/wr.err; then
		return 0
	fi
	echo "WRITE_FAILED $_seq $(grep -v '^write ' /tmp/wr.err | head -n1)"
	return 1
}
# kmsg: device-mapper related kernel messages
kmsg() {
	dmesg | grep -iE 'device-mapper|snapshot|dm-[0-9]|I/O error|Buffer I/O|attempt to access beyond|limit=' | sed 's/^/KMSG /' || true
}
dropcaches() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
}
