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

# A reader killed while the census runs: the walk stops at the next mm
# (fatal signal) or finishes; either way nothing is left behind.
for i in 1 2 3 4 5; do
	cat $DBG/processes > /dev/null &
	kill -9 $! 2> /dev/null
	wait $! 2> /dev/null
done
expect "census after killed readers" "$(awk '$1 == "truncated" { print $2 }' $DBG/census)" 0

if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi

# 2. Load, read, unload, CYCLES times, while the churn forks, faults,
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
expect "debugfs directory gone" "$(test -e $DBG && echo present || echo gone)" gone
expect "no kprobe left" "$(grep -c -E 'anon_vma|rmap_walk' /sys/kernel/debug/kprobes/list 2>/dev/null || true)" 0
exit $al_failed
