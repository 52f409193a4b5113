#!/bin/bash
# Guest tests of anonlazy.ko: files, probes, reset, exact counter deltas of
# the alwork scenarios, unload and reload. Run by make check on every test
# kernel (scripts/vm-run.sh ... -- tests/guest/module.sh).
. tests/guest/lib.sh

# What each scenario must add is derived from the kernel code it drives;
# the comments say which calls produce each number.
N_FAULT=64
N_FORK=32
N_PAGEOUT=64
# threadfault: V fresh VMAs, each faulted by T threads at once (T = the
# guest's CPUs, one thread on each).
N_TVMAS=256
N_THREADS=$(nproc)
# forkstorm: a process per CPU with N VMAs forks K times, all at once.
N_STORM=100
K_STORM=20
K_STORM_MISS=50
# The counters of the prepare group (hooks=prepare), and the upgrade
# group's: the other counters are disabled when only these are hooked.
PREPARE_COUNTERS="prepare_calls prepare_attached lazy_roots"
UPGRADE_COUNTERS="upgrades upgrades_fork upgrades_clone upgrades_mremap upgrades_ksm upgrades_other"
T=/tmp/al
mkdir -p $T
# probes_missed VAR: the probes' missed= summed; stats_missed VAR: the
# stats file's missed value. Shell builtins only: reading them starts no
# process (see maxactive=1 below).
probes_missed() {
	local l s=0 lines
	mapfile -t lines < $DBG/probes
	for l in "${lines[@]}"; do
		if [[ $l =~ \ attached\ missed=([0-9]+)$ ]]; then
			s=$((s + BASH_REMATCH[1]))
		fi
	done
	printf -v "$1" %s "$s"
}
stats_missed() {
	local l v= lines
	mapfile -t lines < $DBG/stats
	for l in "${lines[@]}"; do
		if [[ $l =~ ^missed\ ([0-9]+)$ ]]; then
			v=${BASH_REMATCH[1]}
		fi
	done
	printf -v "$1" %s "$v"
}
# The plan (lib.sh): insmod, 3 modes, 7 probes, the upgrade and make_root
# probes (13); stats: names, lines, disabled, missed (4); reset, its 7
# refusals, '1', stats read-only (10); fault (5); threadfault (4);
# forkstorm (2); fork (6); split (7); mremap (5); pageout (9); rmmod, no
# file, no kprobe (3); load again (2); hooks= (1 + 1 + 6 + 1 + 2 + 2 + 1);
# hooks=prepare (3); maxactive=1 (1 + 3 + 2); 3 bad hooks= x 3.
plan $((13 + 4 + 10 + 5 + 4 + 2 + 6 + 7 + 5 + 9 + 3 + 2 + 14 + 3 + 6 + 3 * 3))

if [ ! -f "$KO" ]; then
	fail "module built for $(uname -r)" "missing $KO"
	exit 1
fi
if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"

# Files and their modes: root-only.
for f in stats:400 probes:400 reset:200; do
	expect "mode of ${f%:*}" "$(stat -c %a $DBG/${f%:*} 2>&1)" "${f#*:}"
done

# Every probe of the first version attaches on both test kernels; the
# ANON_VMA_LAZY one only where the kernel has the feature, and elsewhere
# say why they did not.
for sym in __anon_vma_prepare anon_vma_fork anon_vma_clone unlink_anon_vmas \
	rmap_walk_anon rmap_walk_file rmap_walk_ksm; do
	expect "probe $sym" "$(awk -v s=$sym '$1 == s { print $3 }' $DBG/probes)" attached
done
# Where the kernel has its anon_vma tracepoints (ours, patch 0009), the
# two ANON_VMA_LAZY probes are those: the lines name the tracepoints.
if [ $HAVE_LAZY = 1 ]; then
	expect "probe anon_vma_lazy_upgrade: the tracepoint" \
		"$(awk '$1 == "anon_vma_lazy_upgrade" { print $2, $3 }' $DBG/probes)" "tracepoint attached"
	expect "probe anon_vma_lazy_root: the tracepoint, instead of a kretprobe on anon_vma_lazy_make_root" \
		"$(awk '$1 == "anon_vma_lazy_root" || $1 == "anon_vma_lazy_make_root" { print $1, $2, $3 }' $DBG/probes)" \
		"anon_vma_lazy_root tracepoint attached"
else
	for sym in anon_vma_lazy_upgrade anon_vma_lazy_make_root; do
		expect "probe $sym: missing, with the reason" \
			"$(awk -v s=$sym '$1 == s { print $2, $3, $4 }' $DBG/probes)" "kretprobe failed error=-2"
	done
fi

# stats lists the header's counters, in its order, one "name value" a line,
# then a "disabled" line naming the counters no attached probe feeds: on a
# kernel without ANON_VMA_LAZY the upgrade counters (its probe failed);
# elsewhere none, and no such line. lazy_roots stays counted there: the
# __anon_vma_prepare probe feeds it (and finds no lazy root).
cat $DBG/stats > $T/stats0
cat $DBG/probes > $T/probes0
grep -v '^disabled' $T/stats0 > $T/stats0.counters
expect "stats names and order" "$(awk '{ print $1 }' $T/stats0.counters | tr '\n' ' ')" \
	"$("$ALWORK" names | tr '\n' ' ')"
expect "stats lines are 'name u64'" \
	"$(grep -c -v -E '^[a-z_]+ [0-9]+$' $T/stats0.counters)" 0
expect "stats disabled line" "$(grep -c '^disabled' $T/stats0)/$(grep '^disabled' $T/stats0)" \
	"$([ $HAVE_LAZY = 1 ] && echo 0/ || echo "1/disabled $UPGRADE_COUNTERS")"
# missed: the probes' missed=, summed (no reset yet: both since the load).
expect "stats missed = the probes' missed=, summed" \
	"$(awk '$1 == "missed" && NF == 2 { print $2 }' $T/stats0)" \
	"$(sed -n 's/.* attached missed=\([0-9]*\)$/\1/p' $T/probes0 | awk '{ s += $1 } END { print s + 0 }')"

# reset, then an immediate read in the same process: everything 0.
if run_work $T/reset reset; then
	expect "reset zeroes all counters" \
		"$(awk '$2 != 0' $T/reset | wc -l)" 0
fi

# Anything but "1" is refused with EINVAL; so is a write to a read-only file.
for s in 0 2 11 abc -1 "1 1" " "; do
	run_work $T/w write $DBG/reset "$s" &&
		expect "reset refuses '$s'" "$(val $T/w write.result)" EINVAL
done
run_work $T/w write $DBG/reset "1" && expect "reset takes '1'" "$(val $T/w write.result)" OK
run_work $T/w write $DBG/stats "1" && expect "stats refuses writes" "$(val $T/w write.result)" EINVAL

# fault N: each fresh VMA's first fault calls __anon_vma_prepare once and
# attaches a new anon_vma (no neighbour to share one with), or, lazy, makes
# the VMA a lazy root.
if run_work $T/fault fault $N_FAULT; then
	expect "fault $N_FAULT: prepare_calls" "$(val $T/fault fault.prepare_calls)" $N_FAULT
	expect "fault $N_FAULT: prepare_attached" "$(val $T/fault fault.prepare_attached)" "$(on 0 $N_FAULT)"
	expect "fault $N_FAULT: lazy_roots" "$(val $T/fault fault.lazy_roots)" "$(on $N_FAULT 0)"
	expect "fault $N_FAULT: no upgrade" "$(val $T/fault fault.upgrades)" 0
	expect "fault $N_FAULT: no fork or clone" \
		"$(val $T/fault fault.fork_calls)/$(val $T/fault fault.clone_calls)" 0/0
fi

# threadfault V T: T threads fault each of V fresh VMAs at once. Each
# thread that finds vma->anon_vma NULL calls __anon_vma_prepare(), and the
# mm's page_table_lock lets one of them set it: V anon_vmas or lazy roots,
# however many calls raced (prepare_calls - V of them lost). lazy_roots
# counts what anon_vma_lazy_make_root() says it did, so exactly V; every
# call returns with the VMA's anon_vma attached (regular), so
# prepare_attached = prepare_calls.
# Whether the threads race depends on the host running both vCPUs at
# once (TCG): a run in which no call lost a race is run again, up to 3
# times, and every check below applies to the last run.
tf_ok=0
for try in 1 2 3; do
	run_work $T/tf threadfault $N_TVMAS $N_THREADS || break
	tf_ok=1
	tp=$(val $T/tf threadfault.prepare_calls)
	echo "info: threadfault $N_TVMAS x $N_THREADS threads, run $try: $tp prepare calls, $((tp - N_TVMAS)) lost a race"
	[ "$tp" -gt $N_TVMAS ] && break
done
if [ $tf_ok -eq 1 ]; then
	# The threads did race, or the exact count below would prove nothing.
	expect "threadfault: threads raced in __anon_vma_prepare (calls > VMAs)" \
		"$([ "$tp" -gt $N_TVMAS ] && echo yes || echo "no: $tp")" yes
	expect "threadfault $N_TVMAS VMAs: lazy_roots" "$(val $T/tf threadfault.lazy_roots)" "$(on $N_TVMAS 0)"
	expect "threadfault: prepare_attached" "$(val $T/tf threadfault.prepare_attached)" "$(on 0 "$tp")"
	expect "threadfault: data intact" "$(val $T/tf threadfault.intact)" 1
fi

# forkstorm N K: every fork calls anon_vma_fork once per VMA of the forking
# process; the workload counts them. Nothing is missed with the default
# number of kretprobe instances.
if run_work $T/storm forkstorm $N_STORM $K_STORM; then
	expect "forkstorm: fork_calls = VMAs x forks" \
		"$(val $T/storm forkstorm.fork_calls)" "$(val $T/storm forkstorm.fork_expected)"
	expect "forkstorm: nothing missed" \
		"$(val $T/storm forkstorm.missed)/$(val $T/storm forkstorm.probes_missed)" 0/0
fi

# fork N: dup_mmap calls anon_vma_fork once per copied VMA, which calls
# anon_vma_clone for each one with an anon_vma; the child's exit calls
# unlink_anon_vmas once per VMA. N more faulted VMAs: exactly N more each.
if run_work $T/fork fork $N_FORK; then
	for c in fork_calls clone_calls unlink_calls; do
		b=$(val $T/fork base.$c)
		m=$(val $T/fork more.$c)
		expect "fork with $N_FORK more VMAs: $c" "$((m - b))" $N_FORK
	done
	# Lazy: anon_vma_fork() upgrades each of the N lazy roots first; the
	# warm-up fork left none of the process's own.
	expect "fork: no lazy root left after the warm-up fork" \
		"$(val $T/fork base.upgrades)" 0
	expect "fork with $N_FORK more VMAs: upgrades" \
		"$(val $T/fork more.upgrades)" "$(on $N_FORK 0)"
	expect "fork: no prepare in parent or child" \
		"$(val $T/fork base.prepare_calls)/$(val $T/fork more.prepare_calls)" 0/0
fi

# split: one __split_vma (one anon_vma_clone) for mprotect of the head;
# two splits and one torn-down VMA for munmap of the middle.
if run_work $T/split split; then
	expect "mprotect head: clone_calls" "$(val $T/split mprotect_head.clone_calls)" 1
	expect "mprotect head: unlink_calls" "$(val $T/split mprotect_head.unlink_calls)" 0
	expect "mprotect head: upgrades" "$(val $T/split mprotect_head.upgrades)" "$(on 1 0)"
	expect "munmap middle: clone_calls" "$(val $T/split munmap_middle.clone_calls)" 2
	expect "munmap middle: unlink_calls" "$(val $T/split munmap_middle.unlink_calls)" 1
	# The first split upgrades the lazy root; the second finds it regular.
	expect "munmap middle: upgrades" "$(val $T/split munmap_middle.upgrades)" "$(on 1 0)"
	expect "split: data intact" "$(val $T/split split.intact)" 1
fi

# mremap move: copy_vma clones the VMA once, the old one is torn down once.
if run_work $T/mremap mremap; then
	expect "mremap move: clone_calls" "$(val $T/mremap move.clone_calls)" 1
	expect "mremap move: unlink_calls" "$(val $T/mremap move.unlink_calls)" 1
	expect "mremap move: prepare_calls" "$(val $T/mremap move.prepare_calls)" 0
	expect "mremap move: upgrades" "$(val $T/mremap move.upgrades)" "$(on 1 0)"
	expect "mremap move: data intact" "$(val $T/mremap move.intact)" 1
fi

# pageout N: reclaim unmaps each 4 KiB folio with one rmap walk
# (try_to_unmap), and zram writes synchronously, so nothing walks the folio
# again. Before Linux 6.10 ("mm: madvise: pageout: ignore references rather
# than clearing young"), reclaim_folio_list() also checked references first:
# folio_referenced(), one more walk per folio.
kver=$(uname -r)
kmaj=${kver%%.*}
kmin=${kver#*.}
kmin=${kmin%%[.-]*}
if [ "$kmaj" -lt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -lt 10 ]; }; then
	WALKS_PER_PAGE=2
else
	WALKS_PER_PAGE=1
fi
W=$((N_PAGEOUT * WALKS_PER_PAGE))
if zram_swap_on 256M; then
	if run_work $T/pageout pageout $N_PAGEOUT; then
		expect "pageout $N_PAGEOUT anon: swapped" "$(val $T/pageout pageout.swapped)" $N_PAGEOUT
		# Lazy, the same walks reach the VMA through the folio alone.
		expect "pageout $N_PAGEOUT anon: walk_$(on lazy anon)" \
			"$(val $T/pageout pageout.walk_$(on lazy anon))" $W
		expect "pageout anon: no other walks" \
			"$(val $T/pageout pageout.walk_file)/$(val $T/pageout pageout.walk_ksm)/$(val $T/pageout pageout.walk_$(on anon lazy))" 0/0/0
		expect "pageout anon: no upgrade" "$(val $T/pageout pageout.upgrades)" 0
		expect "pageout anon: data intact after swap-in" "$(val $T/pageout pageout.intact)" 1
		expect "pageout $N_PAGEOUT shmem: evicted" "$(val $T/pageout pageout_file.evicted)" $N_PAGEOUT
		expect "pageout $N_PAGEOUT shmem: walk_file" "$(val $T/pageout pageout_file.walk_file)" $W
		expect "pageout shmem: no anon walks" "$(val $T/pageout pageout_file.walk_anon)" 0
		expect "pageout shmem: data intact" "$(val $T/pageout pageout_file.intact)" 1
	fi
else
	fail "zram swap" "could not set up /dev/zram0 as swap"
fi

# Unload: no file, no probe left behind.
if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi
expect "debugfs directory gone" "$(test -e $DBG && echo present || echo gone)" gone
expect "no kprobe left" "$(grep -c -E 'anon_vma|rmap_walk' /sys/kernel/debug/kprobes/list 2>/dev/null || true)" 0

# Load again: it starts from zero and counts again.
if insmod "$KO" 2> $T/insmod.err; then
	pass "insmod again"
	if run_work $T/fault2 fault 8; then
		expect "after reload, fault 8: prepare_calls" "$(val $T/fault2 fault.prepare_calls)" 8
	fi
	rmmod anonlazy || fail "rmmod again" "exit $?"
else
	fail "insmod again" "$(cat $T/insmod.err)"
fi

# hooks=: only the groups named attach. The others show "off group=G" in
# probes and cost nothing: their counters stay 0 through a fork that
# would move them by N_FORK, while prepare and upgrade count as before.
H=prepare,upgrade
if insmod "$KO" hooks=$H 2> $T/insmod.err; then
	pass "insmod hooks=$H"
	expect "hooks=$H: __anon_vma_prepare attached" \
		"$(awk '$1 == "__anon_vma_prepare" { print $3 }' $DBG/probes)" attached
	for sg in anon_vma_fork:fork anon_vma_clone:clone unlink_anon_vmas:unlink \
		rmap_walk_anon:walk rmap_walk_file:walk rmap_walk_ksm:walk; do
		expect "hooks=$H: ${sg%:*} off" \
			"$(awk -v s=${sg%:*} '$1 == s { print $3, $4 }' $DBG/probes)" "off group=${sg#*:}"
	done
	expect "hooks=$H: anon_vma_lazy_upgrade" \
		"$(awk '$1 == "anon_vma_lazy_upgrade" { print $3 }' $DBG/probes)" \
		"$([ $HAVE_LAZY = 1 ] && echo attached || echo failed)"
	if run_work $T/hfault fault $N_FAULT; then
		expect "hooks=$H, fault $N_FAULT: prepare_calls" "$(val $T/hfault fault.prepare_calls)" $N_FAULT
		expect "hooks=$H, fault $N_FAULT: lazy_roots" "$(val $T/hfault fault.lazy_roots)" "$(on $N_FAULT 0)"
	fi
	if run_work $T/hfork fork $N_FORK; then
		expect "hooks=$H, fork with $N_FORK more VMAs: fork/clone/unlink/walk counters stay 0" \
			"$(val $T/hfork more.fork_calls)/$(val $T/hfork more.clone_calls)/$(val $T/hfork more.unlink_calls)/$(val $T/hfork more.walk_anon)" 0/0/0/0
		expect "hooks=$H, fork with $N_FORK more VMAs: upgrades" \
			"$(val $T/hfork more.upgrades)" "$(on $N_FORK 0)"
	fi
	# Those zeros are marked: every counter but the prepare group's, the
	# upgrade group's (where its probe attached) and missed is disabled.
	keep="$PREPARE_COUNTERS missed"
	[ $HAVE_LAZY = 1 ] && keep="$keep $UPGRADE_COUNTERS"
	expect "hooks=$H: stats disabled line" "$(grep '^disabled' $DBG/stats)" \
		"disabled $("$ALWORK" names | grep -v -x -F "$(echo $keep | tr ' ' '\n')" | tr '\n' ' ' | sed 's/ $//')"
	rmmod anonlazy || fail "rmmod hooks=$H" "exit $?"
else
	fail "insmod hooks=$H" "$(cat $T/insmod.err)"
fi

# hooks=prepare: every other group's counters are disabled, the upgrade
# ones too; missed, the probes' own, never is.
if insmod "$KO" hooks=prepare 2> $T/insmod.err; then
	pass "insmod hooks=prepare"
	expect "hooks=prepare: stats disabled line" "$(grep '^disabled' $DBG/stats)" \
		"disabled $("$ALWORK" names | grep -v -x -F "$(echo $PREPARE_COUNTERS missed | tr ' ' '\n')" | tr '\n' ' ' | sed 's/ $//')"
	expect "hooks=prepare: the counter lines are all there" \
		"$(grep -v '^disabled' $DBG/stats | awk '{ print $1 }' | tr '\n' ' ')" "$("$ALWORK" names | tr '\n' ' ')"
	rmmod anonlazy || fail "rmmod hooks=prepare" "exit $?"
else
	fail "insmod hooks=prepare" "$(cat $T/insmod.err)"
fi

# maxactive=1: one instance per kretprobe, so a call of anon_vma_fork
# while another CPU's is in flight is missed. forkstorm overlaps them on
# every CPU. Each call is counted or missed: fork_calls + anon_vma_fork's
# missed = the calls made; the stats counter missed moves as the probes'
# missed=, summed; reset zeroes it and leaves the probes' totals.
if insmod "$KO" maxactive=1 2> $T/insmod.err; then
	pass "insmod maxactive=1"
	if run_work $T/miss forkstorm $N_STORM $K_STORM_MISS; then
		m=$(val $T/miss forkstorm.missed)
		fm=$(val $T/miss forkstorm.fork_missed)
		echo "info: forkstorm with maxactive=1: $m missed, $fm of them anon_vma_fork"
		expect "maxactive=1, forkstorm: calls missed" "$([ "$fm" -gt 0 ] && echo yes || echo "no: '$fm'")" yes
		expect "maxactive=1, forkstorm: fork_calls + anon_vma_fork missed = VMAs x forks" \
			"$(($(val $T/miss forkstorm.fork_calls) + fm))" "$(val $T/miss forkstorm.fork_expected)"
		expect "maxactive=1, forkstorm: stats missed = the probes' missed=, summed" \
			"$m" "$(val $T/miss forkstorm.probes_missed)"
	fi
	# The two checks below compare the stats file with the probes file,
	# read one after the other. With maxactive=1 any two overlapping
	# calls are a miss, so any process running meanwhile (this shell's
	# own pipelines: sed and awk side by side) can add one between the
	# reads. Each check therefore reads in a window of shell builtins
	# only (no process started) and reads probes again at its end: equal
	# totals prove nothing was missed inside it, and the comparison is
	# exact. A window that was disturbed (the total grew) is tried again,
	# up to 5 times; a total that shrank is a failure, not a disturbance.
	quiet=0
	for try in 1 2 3 4 5; do
		probes_missed p1
		stats_missed s1
		probes_missed p2
		[ "$p2" -gt "$p1" ] || { quiet=1; break; }
		echo "info: maxactive=1, since the load: $((p2 - p1)) missed during the reads (try $try): again"
	done
	expect "maxactive=1: stats missed = probes' since the load, and again probes'" \
		"$s1 $p2$([ $quiet = 1 ] || echo " (5 windows disturbed)")$([ "${p1:-0}" -gt 0 ] || echo " (no missed= in probes)")" \
		"$p1 $p1"
	quiet=0
	for try in 1 2 3 4 5; do
		probes_missed p1
		echo 1 > $DBG/reset
		stats_missed s2
		probes_missed p2
		[ "$p2" -gt "$p1" ] || { quiet=1; break; }
		echo "info: maxactive=1, reset: $((p2 - p1)) missed during the reads (try $try): again"
	done
	expect "maxactive=1: reset zeroes missed, probes keep their totals" \
		"$s2 $p2$([ $quiet = 1 ] || echo " (5 windows disturbed)")$([ "${p1:-0}" -gt 0 ] || echo " (no missed= in probes)")" \
		"0 $p1"
	rmmod anonlazy || fail "rmmod maxactive=1" "exit $?"
else
	fail "insmod maxactive=1" "$(cat $T/insmod.err)"
fi

# A group it does not know, or none at all, fails the load with EINVAL and
# says which name; nothing stays loaded.
for h in bogus prepare,bogus ""; do
	dmesg -C
	if insmod "$KO" "hooks=$h" 2> $T/insmod.err; then
		fail "insmod hooks='$h' refused" "it loaded"
		rmmod anonlazy
		continue
	fi
	# kmod's insmod words EINVAL from the module's init this way
	expect "insmod hooks='$h': EINVAL (Invalid parameters)" \
		"$(grep -c 'Invalid parameters' $T/insmod.err)" 1
	bad=${h##*,}
	expect "insmod hooks='$h': the log names '$bad'" \
		"$(dmesg | grep -c "hooks=$h: no hook group '$bad'")" 1
	expect "insmod hooks='$h': not loaded" "$(grep -c '^anonlazy ' /proc/modules)" 0
done

exit $al_failed
