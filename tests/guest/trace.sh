#!/bin/bash
# Guest tests of the module's trace events (system anon_vma_lazy) through
# perf and ftrace: exact event counts per scenario, matched against the
# scenario's own counters or addresses. Run by make check on every kernel.
. tests/guest/lib.sh

N=64
N_FORK=32
N_PAGEOUT=16
T=/tmp/al-trace
mkdir -p $T
export HOME=$T
tracefs_on
N_TP=16
# insmod and the events' listing (3); faultmap (5); fork (4); pageout: 4
# kinds + 1 + pid = tgid (6); pageout in a thread (2); ftrace (1); rmmod
# and the events gone (2); the kernel's anon_vma events: their listing (1),
# and where the kernel has them tpmap's (8)
plan $((3 + 5 + 4 + 4 + 1 + 1 + 2 + 1 + 2 + 1 + HAVE_LAZY * 8))

if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"

expect "the four events exist in tracefs" \
	"$(ls $TRACEFS/events/anon_vma_lazy 2>/dev/null | grep -v -E '^(enable|filter)$' | sort | tr '\n' ' ')" \
	"lazy_root parent_link rmap_walk upgrade "
expect "perf list shows them" \
	"$(perf list 'anon_vma_lazy:*' 2>/dev/null | grep -c 'anon_vma_lazy:')" 4

# record NAME ALWORK-ARGS...: perf record every anon_vma_lazy event on all
# CPUs while alwork runs; alwork's output in $T/NAME.out, the events of
# processes named alwork in $T/NAME.ev (perf script, one a line).
record() {
	local name=$1
	shift
	local t0=$SECONDS
	# No build-ids: nothing here needs symbols, and collecting them reads
	# every mapped DSO (slow under TCG).
	if ! perf record -q -B -N -o $T/$name.data -e 'anon_vma_lazy:*' -a -- \
		"$ALWORK" "$@" > $T/$name.out 2> $T/$name.err; then
		fail "perf record alwork $*" "$(tail -n 3 $T/$name.err)"
		return 1
	fi
	if ! perf script -i $T/$name.data > $T/$name.script 2> $T/$name.err; then
		fail "perf script ($name)" "$(tail -n 3 $T/$name.err)"
		return 1
	fi
	grep ' comm=alwork ' $T/$name.script > $T/$name.ev
	echo "info: perf record + script of alwork $*: $((SECONDS - t0)) s"
	return 0
}

# fault N: each of the N fresh VMAs' first fault makes it a lazy root
# (lazy) in __anon_vma_prepare(): one lazy_root event per VMA, state
# none->lazy. Start-up faults of alwork itself add events for other VMAs;
# they are matched by address, not counted.
if record fault faultmap $N; then
	awk '$1 == "faultmap.vma" { print $2 }' $T/fault.out > $T/fault.vmas
	expect "faultmap: $N VMAs listed" "$(wc -l < $T/fault.vmas)" $N
	got=$(grep 'anon_vma_lazy:lazy_root:' $T/fault.ev |
		sed -n 's/.* vma=\([0-9a-f]*\)-.*/\1/p' | grep -c -x -F -f $T/fault.vmas)
	expect "perf: lazy_root events of the $N VMAs" "$got" "$(on $N 0)"
	expect "perf: lazy_root events, all processes" \
		"$([ "$(grep -c 'anon_vma_lazy:lazy_root:' $T/fault.script)" -gt 0 ] && echo some || echo none)" \
		"$(on some none)"
	expect "perf: lazy_root state none->lazy" \
		"$(grep 'anon_vma_lazy:lazy_root:' $T/fault.ev | grep -c -v 'state=none->lazy$')" 0
	expect "faultmap: lazy_roots counter" "$(val $T/fault.out faultmap.lazy_roots)" "$(on $N 0)"
fi

# fork N: the upgrades in the three forks the counters measure are all in
# anon_vma_fork() (cause fork), one per lazy root. alwork's start-up (exec,
# the static binary's RELRO mprotect) may upgrade too, outside the windows
# and not by fork: shown, not counted.
if record fork fork $N_FORK; then
	up=0
	for ph in warmup base more; do
		up=$((up + $(val $T/fork.out $ph.upgrades_fork)))
	done
	expect "perf: upgrade cause=fork events = upgrades_fork counted" \
		"$(grep 'anon_vma_lazy:upgrade:' $T/fork.ev | grep -c ' cause=fork ')" $up
	expect "perf: upgrades of the $N_FORK more VMAs" "$(val $T/fork.out more.upgrades_fork)" "$(on $N_FORK 0)"
	expect "perf: every upgrade state=lazy->regular" \
		"$(grep 'anon_vma_lazy:upgrade:' $T/fork.ev | grep -c -v ' state=lazy->regular$')" 0
	grep 'anon_vma_lazy:upgrade:' $T/fork.ev | grep -v ' cause=fork ' | sed 's/^/info: start-up upgrade: /'
	expect "perf: no parent_link (part 2 not in this kernel)" \
		"$(grep -c 'anon_vma_lazy:parent_link:' $T/fork.script)" 0
fi

# pageout N: every rmap walk alwork's MADV_PAGEOUT makes is one rmap_walk
# event in its context, kind as counted.
if zram_swap_on 256M; then
	if record pageout pageout $N_PAGEOUT; then
		for k in anon lazy file ksm; do
			want=$(($(val $T/pageout.out pageout.walk_$k) + $(val $T/pageout.out pageout_file.walk_$k)))
			expect "perf: rmap_walk kind=$k events = walk_$k" \
				"$(grep 'anon_vma_lazy:rmap_walk:' $T/pageout.ev | grep -c " kind=$k ")" $want
		done
		expect "perf: rmap_walk durations > 0" \
			"$(grep 'anon_vma_lazy:rmap_walk:' $T/pageout.ev | grep -c ' ns=0$')" 0
		# alwork has one thread: its id is the process's. Every event
		# line must carry both, equal (none at all is a failure).
		n=$(grep -c 'anon_vma_lazy:' $T/pageout.ev)
		expect "perf: pid = tgid in a single-threaded process's events" \
			"$(sed -n 's/.* pid=\([0-9]*\) tgid=\([0-9]*\) comm=.*/\1 \2/p' $T/pageout.ev | awk '$1 == $2' | wc -l)" \
			"$([ "$n" -gt 0 ] && echo "$n" || echo "some events")"
	fi
	# The same pageout in a second thread: its events carry the thread's
	# id as pid and the process's as tgid.
	if record tpage inthread pageout $N_PAGEOUT; then
		tp=$(val $T/tpage.out inthread.pid)
		tt=$(val $T/tpage.out inthread.tid)
		expect "inthread: a thread that is not the first (tid != pid)" \
			"$([ -n "$tt" ] && [ "$tt" != "$tp" ] && echo yes || echo "no: tid '$tt' pid '$tp'")" yes
		want=0
		for k in anon lazy file ksm; do
			want=$((want + $(val $T/tpage.out pageout.walk_$k) + $(val $T/tpage.out pageout_file.walk_$k)))
		done
		expect "perf: the thread's rmap_walk events: pid=TID tgid=PID, one per walk counted" \
			"$(grep -c "anon_vma_lazy:rmap_walk: pid=$tt tgid=$tp comm=alwork " $T/tpage.ev)" \
			"$([ "$want" -gt 0 ] && echo "$want" || echo "some walks counted")"
	fi
else
	fail "zram swap" "could not set up /dev/zram0 as swap"
fi

# ftrace: the same lazy_root event through tracefs.
if [ -d $TRACEFS/events/anon_vma_lazy/lazy_root ]; then
	echo > $TRACEFS/trace
	echo 1 > $TRACEFS/events/anon_vma_lazy/lazy_root/enable
	run_work $T/ft.out faultmap 8
	echo 0 > $TRACEFS/events/anon_vma_lazy/lazy_root/enable
	awk '$1 == "faultmap.vma" { print $2 }' $T/ft.out > $T/ft.vmas
	got=$(grep 'lazy_root:' $TRACEFS/trace | grep ' comm=alwork ' |
		sed -n 's/.* vma=\([0-9a-f]*\)-.*/\1/p' | grep -c -x -F -f $T/ft.vmas)
	expect "ftrace: lazy_root events of 8 VMAs" "$got" "$(on 8 0)"
else
	fail "ftrace" "no $TRACEFS/events/anon_vma_lazy/lazy_root"
fi

# The kernel's own anon_vma events (patch 0009), which the module's
# lazy_roots and upgrade counters attach to: on an ANON_VMA_LAZY kernel,
# one event per state change, none without the feature. tpmap N prints
# the start of each VMA it makes; every expectation follows from what it
# does to them (tests/workloads/w_tpmap.c). Events are matched by start
# address: alwork's own VMAs (stack, heap, data) make events too.
if [ $HAVE_LAZY = 1 ]; then
	expect "kernel: the anon_vma events exist in tracefs" \
		"$(ls $TRACEFS/events/anon_vma 2>/dev/null | grep -v -E '^(enable|filter)$' | sort | tr '\n' ' ')" \
		"anon_vma_lazy_end anon_vma_lazy_root anon_vma_lazy_upgrade "
else
	expect "kernel: no anon_vma events without ANON_VMA_LAZY" \
		"$(test -e $TRACEFS/events/anon_vma && echo present || echo absent)" absent
fi
# or_none: its input, or "none" when that is empty
or_none() { local v; v=$(cat); echo "${v:-none}"; }
# kev ROLE EVENT: one line per EVENT on a VMA of ROLE, "<start> <rest of
# the event's fields>", from alwork's processes.
kev() {
	awk -v role="tpmap.$1" '$1 == role { print $2 }' $T/tp.out > $T/tp.$1
	grep -F " anon_vma:$2: " $T/tp.script | awk '$1 == "alwork"' |
		sed -n 's/.* start=0x\([0-9a-f]*\) end=0x[0-9a-f]*\(.*\)$/\1\2/p' |
		awk 'NR == FNR { want[$1] = 1; next } $1 in want' $T/tp.$1 - |
		sed 's/ anon_vma=[^ ]*//'
}
if [ $HAVE_LAZY = 1 ]; then
	if perf record -q -B -N -o $T/tp.data -e 'anon_vma:*' -a -- \
		"$ALWORK" tpmap $N_TP > $T/tp.out 2> $T/tp.err &&
		perf script -i $T/tp.data > $T/tp.script 2>> $T/tp.err; then
		expect "tpmap: the data survived split and mremap" "$(val $T/tp.out tpmap.intact)" 1
		expect "kernel: anon_vma_lazy_root, one per VMA" \
			"$(for r in split mremap fork keep; do kev $r anon_vma_lazy_root; done | wc -l)" \
			"$(on $((2 * N_TP + 2)) 0)"
		expect "kernel: the split VMA's upgrade" \
			"$(kev split anon_vma_lazy_upgrade | cut -d' ' -f2- | or_none)" \
			"$(on "cause=clone nr_folios=3" none)"
		expect "kernel: the moved VMA's upgrade" \
			"$(kev mremap anon_vma_lazy_upgrade | cut -d' ' -f2- | or_none)" \
			"$(on "cause=mremap nr_folios=2" none)"
		expect "kernel: one upgrade per VMA shared by the fork, cause fork, 1 folio" \
			"$(kev fork anon_vma_lazy_upgrade | grep -c ' cause=fork nr_folios=1$')" "$(on $N_TP 0)"
		expect "kernel: no other upgrade of those" \
			"$(kev fork anon_vma_lazy_upgrade | grep -c -v ' cause=fork nr_folios=1$'; kev keep anon_vma_lazy_upgrade | wc -l)" "0
0"
		expect "kernel: anon_vma_lazy_end for each lazy root kept to the exit" \
			"$(kev keep anon_vma_lazy_end | wc -l)" "$(on $N_TP 0)"
		expect "kernel: no anon_vma_lazy_end for the upgraded" \
			"$(for r in split mremap fork; do kev $r anon_vma_lazy_end; done | wc -l)" 0
	else
		fail "perf record -e anon_vma:* alwork tpmap $N_TP" "$(tail -n 3 $T/tp.err)"
	fi
fi

if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi
expect "events gone with the module" "$(test -e $TRACEFS/events/anon_vma_lazy && echo present || echo gone)" gone
exit $al_failed
