#!/usr/bin/env bash
# Merge torture: builds random snapshot scenarios with the real CLI, SIGKILLs `fleetmerge cow merge`
# at random instants (often several times in a row), lets the last run finish and checks the bytes.
#
#   ops/torture.sh [--trials N] [--seed S] [--jobs J] [--reuse R] [--cli PATH] [--dir DIR]
#
#   --trials N  kill trials (default 300); each ends with a merge run to completion
#   --seed S    base seed (default random, printed): the same seed gives the same scenario shapes,
#               offsets, lengths, rates and kill delays (data bytes come from /dev/urandom)
#   --jobs J    trials run in J parallel workers (default: number of CPUs)
#   --reuse R   kill trials per scenario, each from a fresh copy of the scenario (default 3)
#   --cli PATH  the fleetmerge to test (a published binary, e.g. out/bin/fleetmerge); default:
#               `dotnet build src/FleetMerge.Cli -c Release` and its fleetmerge.dll. It must be the
#               process itself (or exec it, as ops/fleetmerge does): a wrapper that forks leaves
#               the merge running after the kill, and the rerun is then refused by the writer
#               lock (tests/FleetMerge.Cli.Tests/Crash/repro-concurrent-merge.sh)
#   --dir DIR   work directory (default: a new one under ${TMPDIR:-/tmp})
#
# A scenario: an origin of 32–64 MiB of random bytes; snapshot 1 (4K chunks) with many exceptions
# (long runs and single chunks written in random order, over many metadata areas, plus snapshot
# writes); half the time snapshot 2 (16K chunks, --also) created part way through the writes, with
# writes of its own. Every write is applied to model files with dd too. Expected: snapshot 1's view
# (`cow read`, checked against the model) becomes the origin; snapshot 2's view never changes.
# Checked after every kill: `cow verify` clean on every COW, the table never grows, and (every other
# kill) both snapshot views still read as expected. At the end: exit 0, origin == expected,
# verify clean, snapshot 1's table empty with status allocated == metadata, snapshot 2 unchanged.
#
# Last line: "torture: N trials, N kills, N failures"; exit 1 on any failure, and each failing
# trial's directory is kept (pristine/ = the scenario before the merge, log = what was done).
set -uo pipefail
export LC_ALL=C
repo=$(cd "$(dirname "$0")/.." && pwd)

trials=300 seed="" jobs=$(nproc 2>/dev/null || echo 2) reuse=3 cli="" dir=""
while [ $# -gt 0 ]; do
	case "$1" in
	--trials) trials=$2; shift 2 ;;
	--seed) seed=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--reuse) reuse=$2; shift 2 ;;
	--cli) cli=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "ops/torture.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
for n in "$trials" "$jobs" "$reuse"; do
	[[ "$n" =~ ^[0-9]+$ ]] || { echo "ops/torture.sh: '$n' is not a number" >&2; exit 2; }
done
[ "$jobs" -ge 1 ] && [ "$reuse" -ge 1 ] || { echo "ops/torture.sh: --jobs and --reuse must be >= 1" >&2; exit 2; }
[ -n "$seed" ] || seed=$(( (RANDOM << 15 | RANDOM) ))
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "ops/torture.sh: --seed must be a number" >&2; exit 2; }

if [ -z "$cli" ]; then
	echo "torture: building the CLI (dotnet build src/FleetMerge.Cli -c Release)"
	dotnet build "$repo/src/FleetMerge.Cli" -c Release --nologo -v q > /tmp/fleetmerge-torture-build.log 2>&1 || {
		tail -20 /tmp/fleetmerge-torture-build.log >&2
		echo "ops/torture.sh: build failed" >&2
		exit 2
	}
	rm -f /tmp/fleetmerge-torture-build.log
	FM=(dotnet "$repo/src/FleetMerge.Cli/bin/Release/net10.0/fleetmerge.dll")
else
	FM=("$cli")
fi
[ -n "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/fleetmerge-torture-$seed-XXXXXX")
mkdir -p "$dir"
echo "torture: $trials trials, seed $seed, $jobs jobs, $reuse trials per scenario, cli ${FM[*]}, dir $dir"

# --- helpers -------------------------------------------------------------------------------------
R=0
rnd() { R=$(( ((RANDOM << 15) | RANDOM) % $1 )); } # 0 <= R < $1, from bash's seeded generator
fm() { "${FM[@]}" "$@"; }
json_num() { sed -n "s/.*\"$1\": *\([0-9]*\).*/\1/p" | head -1; }
json_str() { sed -n "s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" | head -1; }
log() { echo "$*" >> "$T/log"; }
FAIL="" SETUP_ERR="" SCEN="" SSEED=0 TWO=0 WRITES=0 OB=0 CHUNKS=0 KILLS=0 MIDKILLS=0
fail() { [ -n "$FAIL" ] || FAIL="$*"; log "FAIL: $*"; }

# Where two files differ: first byte and the first differing 4K chunks.
difference() {
	cmp -l "$1" "$2" 2>&1 | awk '
		/EOF/ { print; exit }
		{ c = int(($1 - 1) / 4096); if (!(c in seen)) { seen[c] = 1; n++; if (n <= 12) list = list " " c } }
		END { if (n) printf "%d 4K chunks differ:%s%s\n", n, list, (n > 12 ? " ..." : "") }'
}

# A write through the CLI and the same bytes into the model files.
#   write_data TARGET(origin|snapshot) OFFSET LENGTH MODEL COWS...
write_data() {
	local to=$1 off=$2 len=$3 model=$4; shift 4
	local args=() c
	for c in "$@"; do args+=(--cow "$c"); done
	rnd 4
	if [ "$R" -eq 0 ]; then # a fill byte: --byte
		rnd 256; local b=$R
		head -c "$len" /dev/zero | tr '\000' "\\$(printf %03o "$b")" > "$S/data.bin"
		fm cow write --origin "$S/origin.img" "${args[@]}" --to "$to" --offset "$off" --byte "$b" --length "$len" > /dev/null 2>> "$S/errors" ||
			{ SETUP_ERR="cow write --byte failed: $(tail -1 "$S/errors")"; return 1; }
	else
		head -c "$len" /dev/urandom > "$S/data.bin"
		fm cow write --origin "$S/origin.img" "${args[@]}" --to "$to" --offset "$off" --in "$S/data.bin" > /dev/null 2>> "$S/errors" ||
			{ SETUP_ERR="cow write --in failed: $(tail -1 "$S/errors")"; return 1; }
	fi
	dd if="$S/data.bin" of="$model" bs=1M seek="$off" oflag=seek_bytes conv=notrunc status=none
	WRITES=$((WRITES + 1))
}

# Random writes: runs RUNS, singles SINGLES, snapshot writes SNAPW into the first COW; COWS...
write_mix() {
	local runs=$1 singles=$2 snapw=$3; shift 3
	local kinds=() k i off len
	for ((i = 0; i < runs; i++)); do kinds+=(run); done
	for ((i = 0; i < singles; i++)); do kinds+=(single); done
	for ((i = 0; i < snapw; i++)); do kinds+=(snap); done
	for ((i = ${#kinds[@]} - 1; i > 0; i--)); do # shuffle
		rnd $((i + 1)); k=${kinds[i]}; kinds[i]=${kinds[R]}; kinds[R]=$k
	done
	for k in "${kinds[@]}"; do
		case $k in
		run)
			rnd $((CHUNKS)); off=$((R * 4096))
			rnd 3000; len=$(((R + 1) * 4096))
			rnd 3; if [ "$R" -eq 0 ]; then rnd 4096; off=$((off + R)); rnd 4096; len=$((len - R)); fi
			[ "$off" -lt "$OB" ] || off=$((OB - 1))
			[ $((off + len)) -le "$OB" ] || len=$((OB - off))
			write_data origin "$off" "$len" "$S/model-origin" "$@" || return 1 ;;
		single)
			rnd $((CHUNKS)); off=$((R * 4096)); rnd 2048; off=$((off + R))
			[ "$off" -lt "$OB" ] || off=$((OB - 1))
			rnd $((4096 - off % 4096)); len=$((R + 1))
			[ $((off + len)) -le "$OB" ] || len=$((OB - off))
			write_data origin "$off" "$len" "$S/model-origin" "$@" || return 1 ;;
		snap)
			rnd $((OB - 1)); off=$R; rnd $((64 * 4096)); len=$((R + 1))
			[ $((off + len)) -le "$OB" ] || len=$((OB - off))
			write_data snapshot "$off" "$len" "$S/model-view1" "$@" || return 1 ;;
		esac
	done
}

# Builds a scenario in $S; sets TWO (0/1) and SCEN. Returns 1 with SETUP_ERR when the set-up itself fails.
build_scenario() {
	rm -rf "$S"; mkdir -p "$S"
	WRITES=0
	rnd 33; OB=$(((32 + R) << 20))
	rnd 5; if [ "$R" -eq 0 ]; then rnd 31; OB=$((OB + (R + 1) * 512)); fi # a ragged last chunk
	CHUNKS=$(((OB + 4095) / 4096))
	local cow=$((((OB + OB / 256 + 65536) >> 20) + 2 << 20))
	head -c "$OB" /dev/urandom > "$S/origin.img"
	cp "$S/origin.img" "$S/model-origin"; cp "$S/origin.img" "$S/model-view1"
	fm cow format "$S/snap1.cow" --size "$cow" --chunk-size 4K > /dev/null 2>> "$S/errors" || { SETUP_ERR="cow format failed: $(tail -1 "$S/errors")"; return 1; }
	rnd 2; TWO=$R
	local runs singles snapw
	rnd 9; runs=$((8 + R)); rnd 21; singles=$((10 + R)); rnd 4; snapw=$((1 + R))
	if [ "$TWO" -eq 1 ]; then
		write_mix $((runs / 2 + 1)) $((singles / 2)) 1 "$S/snap1.cow" || return 1
		cp "$S/model-origin" "$S/model-view2"
		fm cow format "$S/snap2.cow" --size "$cow" --chunk-size 16K > /dev/null 2>> "$S/errors" || { SETUP_ERR="cow format failed: $(tail -1 "$S/errors")"; return 1; }
		write_mix $((runs - runs / 2)) $((singles - singles / 2)) "$snapw" "$S/snap1.cow" "$S/snap2.cow" || return 1
		# Writes of snapshot 2's own (the snapshot write goes to the first --cow).
		local i off len
		rnd 3
		for ((i = 0; i <= R; i++)); do
			rnd $((OB - 1)); off=$R; rnd $((16 * 16384)); len=$((R + 1))
			[ $((off + len)) -le "$OB" ] || len=$((OB - off))
			write_data snapshot "$off" "$len" "$S/model-view2" "$S/snap2.cow" "$S/snap1.cow" || return 1
		done
	else
		write_mix "$runs" "$singles" "$snapw" "$S/snap1.cow" || return 1
	fi
	rm -f "$S/data.bin"
	# FleetMerge's views before the merge, checked against the model.
	cmp -s "$S/origin.img" "$S/model-origin" || { SETUP_ERR="origin differs from the model before the merge: $(difference "$S/model-origin" "$S/origin.img")"; return 1; }
	fm cow read --origin "$S/origin.img" --cow "$S/snap1.cow" --out "$S/expected1" > /dev/null 2>> "$S/errors" || { SETUP_ERR="cow read failed: $(tail -1 "$S/errors")"; return 1; }
	cmp -s "$S/expected1" "$S/model-view1" || { SETUP_ERR="snapshot 1 view differs from the model: $(difference "$S/model-view1" "$S/expected1")"; return 1; }
	if [ "$TWO" -eq 1 ]; then
		fm cow read --origin "$S/origin.img" --cow "$S/snap2.cow" --out "$S/expected2" > /dev/null 2>> "$S/errors" || { SETUP_ERR="cow read failed: $(tail -1 "$S/errors")"; return 1; }
		cmp -s "$S/expected2" "$S/model-view2" || { SETUP_ERR="snapshot 2 view differs from the model: $(difference "$S/model-view2" "$S/expected2")"; return 1; }
	fi
	rm -f "$S/model-origin" "$S/model-view1" "$S/model-view2"
	mkdir -p "$S/pristine"
	cp --sparse=always "$S/origin.img" "$S"/snap*.cow "$S/pristine/"
	local ex
	ex=$(fm cow inspect "$S/snap1.cow" --json | json_num exceptions)
	SCEN="origin $OB bytes, $( [ "$TWO" -eq 1 ] && echo 2 snapshots || echo 1 snapshot), $WRITES writes, $ex exceptions"
}

cows() { if [ "$TWO" -eq 1 ]; then echo "$T/snap1.cow $T/snap2.cow"; else echo "$T/snap1.cow"; fi; }
merge_args() { MA=(cow merge --origin "$T/origin.img" --cow "$T/snap1.cow"); [ "$TWO" -eq 0 ] || MA+=(--also "$T/snap2.cow"); }

check_verify() {
	local c out
	for c in $(cows); do
		out=$(fm cow verify "$c" --origin "$T/origin.img" 2>&1) || { fail "cow verify $(basename "$c") $1: $out"; return 1; }
	done
}

check_views() {
	fm cow read --origin "$T/origin.img" --cow "$T/snap1.cow" --out "$T/view1" > /dev/null 2>> "$T/log" || { fail "cow read snapshot 1 $1 failed"; return 1; }
	cmp -s "$T/view1" "$S/expected1" || { fail "snapshot 1 view $1: $(difference "$S/expected1" "$T/view1")"; return 1; }
	rm -f "$T/view1"
	if [ "$TWO" -eq 1 ]; then
		fm cow read --origin "$T/origin.img" --cow "$T/snap2.cow" --out "$T/view2" > /dev/null 2>> "$T/log" || { fail "cow read snapshot 2 $1 failed"; return 1; }
		cmp -s "$T/view2" "$S/expected2" || { fail "snapshot 2 view $1: $(difference "$S/expected2" "$T/view2")"; return 1; }
		rm -f "$T/view2"
	fi
}

# One trial in $T from the scenario in $S. Sets KILLS.
run_trial() {
	rm -rf "$T"; mkdir -p "$T"
	cp --sparse=always "$S/pristine/"* "$T/"
	KILLS=0 MIDKILLS=0
	merge_args
	local remaining after status k target dur rate delay pid rc speed
	remaining=$(fm cow inspect "$T/snap1.cow" --json | json_num exceptions)
	rnd 5; target=$((1 + R))
	for ((k = 1; k <= target && remaining > 0; k++)); do
		# Mostly throttled runs of 0.5–2 s; one in four at full speed, where flushes and commits take
		# a larger share of the time.
		rnd 4
		if [ "$k" -gt 1 ] && [ "$R" -eq 0 ]; then # (a first run at full speed would often just finish)
			dur=0 rate=0 speed=()
			rnd 200; delay=$((50 + R))
		else
			rnd 1500; dur=$((500 + R))
			rate=$((remaining * 4096 * 1000 / dur)); [ "$rate" -ge 65536 ] || rate=65536
			speed=(--max-rate "$rate")
			rnd $((150 + dur * 95 / 100)); delay=$((30 + R))
		fi
		"${FM[@]}" "${MA[@]}" "${speed[@]}" > "$T/merge-$k.out" 2>&1 &
		pid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -KILL "$pid" 2> /dev/null
		{ wait "$pid"; } 2> /dev/null; rc=$? # (no "Killed" notice)
		after=$(fm cow inspect "$T/snap1.cow" --json | json_num exceptions)
		log "run $k: ${speed[*]:-full speed}${speed[*]:+ (~${dur}ms)}, kill at ${delay}ms: exit $rc, $remaining -> $after exceptions"
		if [ "$rc" -eq 137 ]; then
			KILLS=$((KILLS + 1))
			[ -z "$after" ] || [ "$after" -ge "$remaining" ] || [ "$after" -eq 0 ] || MIDKILLS=$((MIDKILLS + 1))
		elif [ "$rc" -ne 0 ]; then
			fail "merge run $k exited $rc: $(tail -1 "$T/merge-$k.out")"; return
		fi
		[ -n "$after" ] && [ "$after" -le "$remaining" ] || { fail "table grew from $remaining to '$after' exceptions in run $k"; return; }
		if [ "$rc" -eq 137 ]; then
			check_verify "after kill $KILLS (${delay}ms into run $k, $after exceptions left)" || return
			if [ $((k % 2)) -eq 1 ]; then check_views "after kill $KILLS (${delay}ms into run $k)" || return; fi
		fi
		remaining=$after
	done
	timeout -s KILL 600 "${FM[@]}" "${MA[@]}" > "$T/merge-final.out" 2>&1
	rc=$?
	log "final run: exit $rc"
	[ "$rc" -eq 0 ] || { fail "final merge run exited $rc: $(tail -1 "$T/merge-final.out")"; return; }
	cmp -s "$T/origin.img" "$S/expected1" || { fail "merged origin != snapshot 1 view before the merge: $(difference "$S/expected1" "$T/origin.img")"; return; }
	check_verify "after the merge" || return
	local json
	json=$(fm cow inspect "$T/snap1.cow" --json)
	after=$(echo "$json" | json_num exceptions); status=$(echo "$json" | json_str status)
	[ "$after" = 0 ] || { fail "$after exceptions left after the merge"; return; }
	[[ "$status" =~ ^([0-9]+)/[0-9]+\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] ||
		{ fail "status '$status' after the merge: allocated != metadata"; return; }
	if [ "$TWO" -eq 1 ]; then
		fm cow read --origin "$T/origin.img" --cow "$T/snap2.cow" --out "$T/view2" > /dev/null 2>> "$T/log" || { fail "cow read snapshot 2 after the merge failed"; return; }
		cmp -s "$T/view2" "$S/expected2" || { fail "snapshot 2 view after the merge: $(difference "$S/expected2" "$T/view2")"; return; }
	fi
}

# Worker W runs trials W, W+J, W+2J, ...; a new scenario every --reuse trials of its own.
worker() {
	local w=$1 t i=0 tseed broken=0
	S="$dir/w$w-scenario"
	for ((t = w; t < trials; t += jobs)); do
		T="$dir/w$w-trial"
		FAIL=""
		if [ $((i % reuse)) -eq 0 ] || [ "$broken" -eq 1 ]; then
			tseed=$(((seed + t * 7919) % 2147483647)); RANDOM=$tseed
			rm -rf "$T"; mkdir -p "$T"
			SCEN="" SETUP_ERR="" SSEED=$tseed
			broken=0
			build_scenario || { fail "scenario set-up: $SETUP_ERR"; broken=1; cp -r --sparse=always "$S" "$T/scenario"; }
		fi
		i=$((i + 1))
		if [ -z "$FAIL" ]; then
			RANDOM=$(((seed + t * 104729 + 1) % 2147483647))
			run_trial
		else
			KILLS=0
		fi
		if [ -n "$FAIL" ]; then
			local keep="$dir/failed-trial-$t"
			rm -rf "$keep"; mv "$T" "$keep" 2> /dev/null || mkdir -p "$keep"
			[ -d "$S/pristine" ] && cp -r --sparse=always "$S/pristine" "$keep/"
			cp "$S"/expected* "$keep/" 2> /dev/null
			echo "trial $t FAIL kills $KILLS scenario-seed $SSEED: $FAIL (kept: $keep)"
		else
			echo "trial $t ok kills $KILLS ($MIDKILLS after committed groups) scenario-seed $SSEED ($SCEN)"
		fi
	done
	rm -rf "$S" "$dir/w$w-trial"
}

start=$SECONDS
pids=()
for ((w = 0; w < jobs && w < trials; w++)); do
	worker "$w" > "$dir/worker-$w.log" 2>&1 &
	pids+=($!)
done
# Live progress: one line per finished trial.
tail -q -n +1 -F "$dir"/worker-*.log 2> /dev/null &
tailpid=$!
for p in "${pids[@]}"; do wait "$p"; done
sleep 0.3; kill "$tailpid" 2> /dev/null; wait "$tailpid" 2> /dev/null

done_trials=$(cat "$dir"/worker-*.log | grep -c '^trial ')
kills=$(cat "$dir"/worker-*.log | awk '/^trial / { for (i = 1; i < NF; i++) if ($i == "kills") k += $(i+1) } END { print k + 0 }')
failures=$(cat "$dir"/worker-*.log | grep -c '^trial [0-9]* FAIL')
missing=$((trials - done_trials))
mid=$(cat "$dir"/worker-*.log | awk '/^trial .* ok kills/ { gsub(/\(/, "", $6); m += $6 } END { print m + 0 }')
echo "torture: seed $seed (replay: --seed $seed --jobs $jobs --reuse $reuse), $((SECONDS - start))s, $mid kills landed after some groups were committed"
if [ "$failures" -gt 0 ] || [ "$missing" -gt 0 ]; then
	[ "$missing" -eq 0 ] || echo "torture: $missing trials did not report (see $dir/worker-*.log)"
	grep -h '^trial [0-9]* FAIL' "$dir"/worker-*.log
	echo "torture: failing trials kept in $dir"
	echo "torture: $done_trials trials, $kills kills, $((failures + missing)) failures"
	exit 1
fi
rm -rf "$dir"
echo "torture: $done_trials trials, $kills kills, 0 failures"
