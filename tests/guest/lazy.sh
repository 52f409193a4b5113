#!/bin/bash
# Guest tests of our kernel's ANON_VMA_LAZY switches: the config option,
# and vm.anon_vma_lazy (bool, 0600, default 0, settable at boot).
. tests/guest/lib.sh
S=/proc/sys/vm/anon_vma_lazy
want=0
grep -q 'sysctl.vm.anon_vma_lazy=1' /proc/cmdline && want=1
# the config option, the sysctl's mode, value at boot, set 1, set 0, and
# unreadable by others (6); the walk racing UFFDIO_MOVE (6)
plan $((6 + 6))

expect "CONFIG_ANON_VMA_LAZY=y" \
	"$(zcat /proc/config.gz | grep -c '^CONFIG_ANON_VMA_LAZY=y$')" 1
if [ ! -e $S ]; then
	fail "sysctl vm.anon_vma_lazy" "$S missing"
	exit 1
fi
expect "vm.anon_vma_lazy mode" "$(stat -c %a $S)" 600
expect "vm.anon_vma_lazy after boot" "$(cat $S)" "$want"
echo 1 > $S && expect "vm.anon_vma_lazy set to 1" "$(cat $S)" 1
echo 0 > $S && expect "vm.anon_vma_lazy set to 0" "$(cat $S)" 0
echo "$want" > $S
expect "vm.anon_vma_lazy not readable by others" \
	"$(setpriv --reuid=65534 --regid=65534 --clear-groups cat $S 2>/dev/null || echo denied)" denied

# Issue 11 item 4: a lazy rmap walk that waited for the lock of the root
# its folio named, while UFFDIO_MOVE gave the folio another lazy root,
# must look again. alrace.ko stalls the walk right there, every round
# (tests/kmod/alrace.c, alwork idlemove: a page_idle walk of a page moved
# meanwhile to a VMA where it is young must find it young). Before the
# fix (0003 without its "goto again") every round read the page idle.
# With the sysctl 1 for the run: the race is between two lazy roots.
R=20
ko=out/kmod-alrace/$(uname -r)/alrace.ko
echo 1 > $S
if insmod "$ko" 2> /tmp/alrace.err; then
	"$ALWORK" idlemove $R > /tmp/idlemove.out 2> /tmp/idlemove.err ||
		echo "info: alwork idlemove: $(cat /tmp/idlemove.err)"
	im() { awk -v k="idlemove.$1" '$1 == k { print $2 }' /tmp/idlemove.out; }
	expect "idlemove $R: every walk stalled before its lazy lock (alrace)" "$(im stalled)" $R
	expect "idlemove $R: the page moved to the other lazy root in each stall" "$(im moved)" $R
	expect "idlemove $R: every stall lasted until the move (no timeout)" "$(im stall_timeouts)" 0
	expect "idlemove $R: the walk found the moved page young (rounds read idle)" \
		"$(im idle_after_move)" 0
	expect "idlemove $R: the page kept its data" "$(im data_bad)" 0
	rmmod alrace 2> /tmp/alrace.err && pass "rmmod alrace" || fail "rmmod alrace" "$(cat /tmp/alrace.err)"
else
	fail "insmod alrace.ko" "$(cat /tmp/alrace.err) (scripts/build-module.sh KERNEL alrace)"
fi
echo "$want" > $S
exit $al_failed
