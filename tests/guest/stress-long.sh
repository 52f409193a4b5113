#!/bin/bash
# make stress: the module loaded and unloaded STRESS_CYCLES times (1000 by
# default) while processes fork, fault, COW, page out, merge with KSM and
# exit, and while two shells read every debugfs file in a loop; then the
# counters checked exact right after one more load, the module unloaded
# for good, and (on a kernel with kmemleak: the debug kernel) a leak scan.
# What would fail is the kernel: vm-run's verdict checks its log for oops,
# WARNING, KASAN, lockdep, RCU stall and hung-task reports. This suite
# adds what userspace sees: every load and unload works, the load keeps
# its data (alwork churn and alinteg check what they wrote), the counters
# are exact after the last load, nothing is left behind, nothing leaks.
#
# Boot it with vm-run --single-thread: under QEMU's multi-threaded TCG a
# vCPU now and then runs an int3 that ftrace had already patched out,
# whichever module is loaded (README, "stress").
. tests/guest/lib.sh

T=/tmp/al-stress-long
mkdir -p $T
CYCLES=${STRESS_CYCLES:-1000}
N_FAULT=64
READERS=2
# the cycles, the churn, alinteg, the readers (4); the load after them,
# fault N_FAULT's three counters, rmmod, no directory, no kprobe (7);
# kmemleak (1)
plan $((4 + 7 + 1))

zram_swap_on 256M || skip "pageout in the load" "no zram swap: churn runs without MADV_PAGEOUT"
echo 1 > /sys/kernel/mm/ksm/run 2> /dev/null ||
	skip "KSM in the load" "no /sys/kernel/mm/ksm/run"
KMEMLEAK=/sys/kernel/debug/kmemleak
# what kmemleak knew before the cycles is not ours: marked reported
[ -e $KMEMLEAK ] && echo clear > $KMEMLEAK

rm -f $T/stop $T/churn.* $T/integ.* $T/read.*
# The load, until $T/stop: alwork churn in 20 s rounds (each checks its
# data and exits non-zero if it lost any), alinteg's KSM, fork and swap
# tests in a loop (data checks of their own). Each round's status is kept.
(
	r=0
	while [ ! -e $T/stop ]; do
		r=$((r + 1))
		"$ALWORK" churn 20 > $T/churn.out 2> $T/churn.err
		echo $? >> $T/churn.rc
	done
) &
churn=$!
(
	while [ ! -e $T/stop ]; do
		out/bin/alinteg ksm fork swap > $T/integ.out 2> $T/integ.err
		echo $? >> $T/integ.rc
		grep '^FAIL' $T/integ.out >> $T/integ.fails
	done
) &
integ=$!
# The readers: every file under $DBG, with builtins, errors expected while
# the module is away; a count of reads per reader.
for j in $(seq $READERS); do
	debugfs_reader $T/read.$j $T/stop &
done

ok=0
refused=0
for i in $(seq "$CYCLES"); do
	insmod "$KO" 2> $T/insmod.err || { fail "cycle $i: insmod" "$(cat $T/insmod.err)"; break; }
	tries=$(rmmod_retry $T/rmmod.err)
	refused=$((refused + tries))
	if [ -e /sys/module/anonlazy ]; then
		fail "cycle $i: rmmod" "still loaded after $tries tries: $(cat $T/rmmod.err)"
		break
	fi
	ok=$((ok + 1))
	[ $((i % 50)) -eq 0 ] && echo "info: $i cycles, rmmod refused $refused times so far"
	[ "$CYCLES" -le 20 ] && echo "info: cycle $i done at $(cut -d' ' -f1 /proc/uptime) s, rmmod refused $tries times"
done
echo "info: cycles $ok rmmod_refused $refused"
expect "load/unload cycles under fork, fault, pageout, KSM and readers" $ok "$CYCLES"

touch $T/stop
wait $churn $integ
wait
rounds=$(wc -l < $T/churn.rc)
expect "churn rounds that lost data or failed (of $rounds)" \
	"$(grep -cvx 0 $T/churn.rc)" 0
runs=$(wc -l < $T/integ.rc)
expect "alinteg ksm fork swap runs that failed (of $runs)" \
	"$(( $(grep -cvx 0 $T/integ.rc) + $(cat $T/integ.fails 2> /dev/null | wc -l) ))" 0
reads=$(cat $T/read.* 2> /dev/null | awk '{ s += $1 } END { print s + 0 }')
echo "info: $reads reads of debugfs files during the cycles"
expect "readers read files during the cycles" "$([ "$reads" -gt 0 ] && echo yes || echo "no reads")" yes

# The counters right after the last load, with the load stopped: exact.
if insmod "$KO" 2> $T/insmod.err; then
	pass "load after the cycles"
	fault_exact "after the cycles" $N_FAULT $T/fault
	rmmod anonlazy 2> $T/rmmod.err && pass "rmmod" || fail "rmmod" "$(cat $T/rmmod.err)"
else
	fail "load after the cycles" "$(cat $T/insmod.err)"
fi
expect "debugfs directory gone" "$(test -e $DBG && echo present || echo gone)" gone
expect "no kprobe left" "$(grep -c -E 'anon_vma|rmap_walk' /sys/kernel/debug/kprobes/list 2>/dev/null || true)" 0

# kmemleak: two scans after the last unload (an object is reported once
# it stayed unreferenced across a scan); what it lists now is new.
if [ -e $KMEMLEAK ]; then
	echo scan > $KMEMLEAK
	sleep 5
	echo scan > $KMEMLEAK
	cat $KMEMLEAK > $T/kmemleak
	n=$(grep -c '^unreferenced object' $T/kmemleak)
	[ "$n" -gt 0 ] && head -n 40 $T/kmemleak
	expect "kmemleak: objects leaked during the cycles" "$n" 0
else
	case $AL_KERNEL in
	debug*) fail "kmemleak" "the debug kernel has no $KMEMLEAK" ;;
	# by design: only the debug kernel is built with kmemleak
	*) echo "SKIP: $AL_KERNEL: kmemleak: this kernel is built without it (the debug kernel runs this check)" ;;
	esac
fi
exit $al_failed
