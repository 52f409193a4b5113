#!/bin/bash
# The emulator check behind the stress suite's --single-thread (README,
# "stress"): load and unload a probe module CYC times while alwork churns
# (fork, fault, page out, exit), so probes are armed and disarmed on
# functions other CPUs are running. Not part of make check: under
# multi-threaded TCG it crashes the guest now and then, whichever module.
#
#   scripts/vm-run.sh [--single-thread] -- env MOD=anonlazy|almech CYC=200 \
#       bash scripts/guest/probe-cycles.sh
#
# MOD=anonlazy: anonlazy.ko with every hook, its census, processes and
# stats read between load and unload. MOD=almech: tests/kmod/almech.c, one
# kprobe or kretprobe, on unlink_anon_vmas or anon_vma_clone in turn (build
# it with scripts/build-module.sh KERNEL almech).
. tests/guest/lib.sh
T=/tmp/al-cycles
mkdir -p $T
CYC=${CYC:-200}
MOD=${MOD:-anonlazy}
case $MOD in
anonlazy) ko=$KO ;;
almech) ko=out/kmod-almech/$(uname -r)/almech.ko ;;
*) echo "probe-cycles: MOD=$MOD: want anonlazy or almech" >&2; exit 2 ;;
esac
plan 2
zram_swap_on 256M || echo "probe-cycles: no zram swap: churn runs without MADV_PAGEOUT"
"$ALWORK" churn 3600 > $T/churn 2> $T/churn.err &
churn=$!
ok=0
for i in $(seq "$CYC"); do
	args=
	if [ "$MOD" = almech ]; then
		case $((i % 4)) in
		0) args="sym=unlink_anon_vmas kind=kprobe" ;;
		1) args="sym=unlink_anon_vmas kind=kretprobe" ;;
		2) args="sym=anon_vma_clone kind=kprobe" ;;
		3) args="sym=anon_vma_clone kind=kretprobe" ;;
		esac
	fi
	# shellcheck disable=SC2086 # args: zero or more module parameters
	insmod "$ko" $args 2> $T/insmod.err || { fail "cycle $i: insmod" "$(cat $T/insmod.err)"; break; }
	if [ "$MOD" = anonlazy ]; then
		cat $DBG/census $DBG/processes $DBG/stats > /dev/null 2> $T/cat.err ||
			fail "cycle $i: read" "$(cat $T/cat.err)"
	fi
	rmmod "$MOD" 2> $T/rmmod.err || { fail "cycle $i: rmmod" "$(cat $T/rmmod.err)"; break; }
	ok=$((ok + 1))
	echo "cycle $i ok $args"
done
expect "$MOD: load/unload cycles during the churn" $ok "$CYC"
if kill $churn 2> /dev/null; then
	wait $churn 2> /dev/null
	pass "churn kept running through the cycles"
else
	fail "churn during the cycles" "ended early: $(cat $T/churn.err)"
fi
