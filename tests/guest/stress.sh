#!/bin/bash
# Concurrency tests of the module: census and processes read in a loop
# while processes fork, fault, COW, split, vfork, page out and exit; then
# the module loaded and unloaded in a loop while that workload runs. What
# would fail is the kernel: vm-run's verdict checks the log for oops,
# WARNING, KASAN, lockdep, RCU stall and hung-task reports. The suite adds
# what userspace can see: every read parses, every load and unload works,
# and the workload itself keeps its data and finishes.
. tests/guest/lib.sh

T=/tmp/al-stress
mkdir -p $T
READ_S=15	# guest seconds of reading while the workload churns
CYCLES=8	# load/unload cycles while it churns again

zram_swap_on 256M || skip "pageout in the workload" "no zram swap: churn runs without MADV_PAGEOUT"
KILLS=3		# readers killed inside a census
RM_CYCLES=5	# loads and unloads while every file is read
# insmod; the churn and its two readers (1 + 2 x 2); the killed readers
# (1 + 3 x KILLS + 1); rmmod; the load/unload cycles (2); rmmod while
# reading (RM_CYCLES + 1); no file or kprobe left (2).
plan $((1 + 5 + 1 + 3 * KILLS + 1 + 1 + 2 + RM_CYCLES + 1 + 2))

if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"

# 1. Two readers (one per CPU) against the churn, for the same READ_S
# seconds, so every read overlaps forks and exits.
"$ALWORK" churn $READ_S > $T/churn1 2> $T/churn1.err &
churn=$!
"$ALWORK" readloop $READ_S processes census > $T/r2 2> $T/r2.err &
r2=$!
run_work $T/r1 readloop $READ_S census processes
wait $r2 || fail "second reader" "exit $?: $(cat $T/r2.err)"
if wait $churn; then
	expect "churn during reads: finished with its data intact" \
		"$(grep -c '^churn.iterations [1-9]' $T/churn1)" 1
else
	fail "churn during reads" "exit $?: $(cat $T/churn1.err)"
fi
for r in r1 r2; do
	expect "reader $r: every census/processes read parsed" "$(val $T/$r readloop.bad)" 0
	expect "reader $r: read during the churn" "$(grep -c '^readloop.reads [1-9]' $T/$r)" 1
done

# 2. A reader killed inside a census. The census must be observably slow
# first: hold groups (alwork hold: HOLD_VMAS faulted VMAs, HOLD_KIDS
# children sharing them) are added until a census (the shorter of two)
# takes at least SLOW_MS (at most HOLD_MAX groups). Then, KILLS times: a
# reader starts, a subshell that marks that it is about to open census
# and opens it (the census runs in open()); once the mark is there it is
# given a quarter of a census; it must still be running, and its system
# time must have grown meanwhile (nothing but the open is left for it to
# do in the kernel); SIGKILL; it must die of the signal, and sooner than
# half a census (the walk stops at the fatal signal).
#
# Times in ms, guest clock. Everything timed runs as shell builtins: a
# process start costs 0.1 s and more under TCG (single-threaded: more), so
# neither the census (opened with exec 3<, not cat) nor a wait (read -t
# on a FIFO nobody writes, not sleep) starts one. Guest time under TCG
# follows the host's load, so a census may end sooner than the one
# measured: a reader that finished before its kill is tried again with
# half the wait (up to 6 tries).
HOLD_VMAS=4000
HOLD_KIDS=15
HOLD_MAX=16
SLOW_MS=400
mkfifo $T/never 2> /dev/null
exec 4<> $T/never
# pause_ms MS: wait MS ms without starting a process
pause_ms() {
	local s
	printf -v s '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
	read -r -t "$s" -u 4 _
}
# census_ms: FULL := the shorter of two census opens, in ms (each open of
# census takes a new snapshot; one read can be stalled by the host)
census_ms() {
	local t0 t1 a=-1 k
	for k in 1 2; do
		t0=${EPOCHREALTIME/./}
		exec 3< $DBG/census
		t1=${EPOCHREALTIME/./}
		exec 3<&-
		t1=$(((t1 - t0) / 1000))
		[ $a -lt 0 ] || [ $t1 -lt $a ] && a=$t1
	done
	FULL=$a
}
holds=()
census_ms
while [ "$FULL" -lt $SLOW_MS ] && [ ${#holds[@]} -lt $HOLD_MAX ]; do
	# its own session and process group (setsid does not fork: a job of a
	# non-interactive shell leads no group), so that one kill stops the
	# group's children too
	setsid "$ALWORK" hold $HOLD_VMAS $HOLD_KIDS > $T/hold.${#holds[@]} 2> $T/hold.err &
	holds+=($!)
	for _ in $(seq 600); do
		grep -q '^ready' $T/hold.$((${#holds[@]} - 1)) && break
		kill -0 ${holds[-1]} 2> /dev/null || break
		sleep 0.1
	done
	census_ms
done
full=$FULL
echo "info: census: $full ms with ${#holds[@]} hold groups of $((HOLD_VMAS * (HOLD_KIDS + 1))) VMAs"
expect "killed reader: the census takes at least $SLOW_MS ms (slow enough to be inside it)" \
	"$([ "$full" -ge $SLOW_MS ] && echo yes || echo "no: $full ms with ${#holds[@]} groups")" yes
for i in $(seq $KILLS); do
	wait_ms=$((full / 4))
	for try in 1 2 3 4 5 6; do
		rm -f $T/opening
		( : > $T/opening; exec 3< $DBG/census ) &
		r=$!
		marked=no
		# (no $(seq ...) here: that would start a process)
		for ((k = 0; k < 1000000; k++)); do
			[ -e $T/opening ] && { marked=yes; break; }
			kill -0 $r 2> /dev/null || break
		done
		st0=()
		read -r -a st0 < /proc/$r/stat 2> /dev/null
		pause_ms $wait_ms
		st1=()
		read -r -a st1 < /proc/$r/stat 2> /dev/null
		t0=${EPOCHREALTIME/./}
		kill -9 $r 2> /dev/null
		wait $r 2> /dev/null
		rc=$?
		t1=${EPOCHREALTIME/./}
		dt=$(( (t1 - t0) / 1000 ))
		# /proc/PID/stat: field 3 the state, field 15 the system time (ticks)
		s0=${st0[14]:-} s1=${st1[14]:-} st=${st1[2]:-}
		echo "info: killed reader $i, try $try: marked $marked, waited $wait_ms ms, state '$st', system time '$s0' -> '$s1' ticks, exit $rc, reaped $dt ms after SIGKILL"
		[ $rc -eq 0 ] || break
		wait_ms=$((wait_ms / 2))
	done
	expect "killed reader $i: inside the census when killed (alive, in the kernel)" \
		"$([ $marked = yes ] && [ -n "$st" ] && [ "$st" != Z ] && [ "${s1:-0}" -gt "${s0:-0}" ] && echo yes ||
			echo "no: marked $marked, state '$st', system time '$s0' -> '$s1' ticks")" yes
	expect "killed reader $i: died of SIGKILL" "$rc" 137
	expect "killed reader $i: the census stopped at the signal" \
		"$([ $dt -lt $((full / 2)) ] && echo yes || echo "no: $dt ms after the kill, census $full ms")" yes
done
exec 4<&-
for h in "${holds[@]}"; do
	kill -TERM -- -"$h" 2> /dev/null
done
wait "${holds[@]}" 2> /dev/null
expect "census after killed readers" "$(awk '$1 == "truncated" { print $2 }' $DBG/census)" 0

if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi

# 3. Load, read, unload, CYCLES times, while the churn forks, faults,
# pages out and exits: probes come and go under running handlers.
"$ALWORK" churn 3600 > $T/churn2 2> $T/churn2.err &
churn=$!
ok=0
for i in $(seq $CYCLES); do
	insmod "$KO" 2> $T/insmod.err || { fail "load cycle $i: insmod" "$(cat $T/insmod.err)"; break; }
	cat $DBG/census $DBG/processes $DBG/stats > /dev/null 2> $T/cat.err ||
		fail "load cycle $i: read" "$(cat $T/cat.err)"
	rmmod anonlazy 2> $T/rmmod.err || { fail "load cycle $i: rmmod" "$(cat $T/rmmod.err)"; break; }
	ok=$((ok + 1))
done
expect "load/unload cycles during the churn" $ok $CYCLES
if kill -0 $churn 2> /dev/null; then
	kill $churn
	wait $churn 2> /dev/null
	pass "churn kept running through the cycles"
else
	wait $churn
	fail "churn during load/unload" "ended early: $(cat $T/churn2.err)"
fi

# 4. rmmod while every debugfs file is being read: RM_CYCLES times, load,
# start RM_READERS readers that open and read every file under $DBG in a
# loop (errors expected once the files go), and unload while they run.
# The readers are shells reading with builtins (mapfile), no process
# started per read: a reader is almost always inside an open file (a
# process start costs ~0.1 s under TCG, a read far less), so rmmod runs
# against open files and racing opens. An open file holds the module
# (its fops' owner): rmmod is refused then and retried. The readers must
# have read the files, still be running when the module is gone, and
# the kernel log stays clean (vm-run's verdict).
RM_READERS=2
rmok=0
for i in $(seq $RM_CYCLES); do
	insmod "$KO" 2> $T/insmod.err || { fail "rmmod while reading, cycle $i: insmod" "$(cat $T/insmod.err)"; break; }
	readers=()
	for j in $(seq $RM_READERS); do
		debugfs_reader $T/rmread.$j &
		readers+=($!)
	done
	# until each reader has read a file
	for _ in $(seq 300); do
		[ "$(cat $T/rmread.* 2> /dev/null | wc -l)" -eq $RM_READERS ] && break
		sleep 0.1
	done
	tries=$(rmmod_retry $T/rmmod.err)
	alive=0
	for r in "${readers[@]}"; do
		kill -0 $r 2> /dev/null && alive=$((alive + 1))
	done
	kill "${readers[@]}" 2> /dev/null
	wait "${readers[@]}" 2> /dev/null
	reads=$(cat $T/rmread.* 2> /dev/null | awk '{ s += $1 } END { print s + 0 }')
	rm -f $T/rmread.*
	echo "info: rmmod while reading, cycle $i: $reads reads, rmmod refused $tries times"
	if [ -e /sys/module/anonlazy ]; then
		fail "rmmod while reading, cycle $i" "still loaded after $tries tries: $(cat $T/rmmod.err)"
		break
	fi
	expect "rmmod while reading, cycle $i: readers read files, and ran until it was gone" \
		"$([ "$reads" -gt 0 ] && echo "$alive" || echo "no reads")" $RM_READERS
	rmok=$((rmok + 1))
done
expect "rmmod while reading: cycles" $rmok $RM_CYCLES
expect "debugfs directory gone" "$(test -e $DBG && echo present || echo gone)" gone
expect "no kprobe left" "$(grep -c -E 'anon_vma|rmap_walk' /sys/kernel/debug/kprobes/list 2>/dev/null || true)" 0
exit $al_failed
