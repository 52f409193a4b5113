#!/bin/bash
# Guest tests of our kernel's ANON_VMA_LAZY switches: the config option,
# and vm.anon_vma_lazy (bool, 0600, default 0, settable at boot).
. tests/guest/lib.sh
S=/proc/sys/vm/anon_vma_lazy
want=0
grep -q 'sysctl.vm.anon_vma_lazy=1' /proc/cmdline && want=1
# the config option, the sysctl's mode, value at boot, set 1, set 0, and
# unreadable by others
plan 6

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
exit $al_failed
