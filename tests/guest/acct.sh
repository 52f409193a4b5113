#!/bin/bash
# Guest tests of the module's event accounting (issue 4): upgrades by
# cause, anon_vmas allocated by fork, unlinks by state, rmap walks that took
# the anon_vma lock, the latency histograms. Run by make check on every test
# kernel (scripts/vm-run.sh ... -- tests/guest/acct.sh).
. tests/guest/lib.sh

# Every number is derived from the kernel code the scenario drives; the
# comments say which calls produce it.
N_FAULT=64
N_FORK=32
N_UNMAP=48
N_PAGEOUT=64
T=/tmp/al-acct
mkdir -p $T

CAUSES="fork clone mremap ksm other"
NC=5	# causes
# insmod, latency's mode, 4 probes (6); fault: NC causes + 5 (10); unmap
# (4); fork: 3 phases x 5 + 1 + 2 + 1 (19); forkreuse (9); split: 2 x 2 +
# 3 (7); mremap (5); latency: 3 + 4 kinds + 4 (11); reset, missed, rmmod
# (3).
plan $((6 + NC + 5 + 4 + 3 * 5 + 1 + 2 + 1 + 9 + 2 * 2 + 3 + 5 + 3 + 4 + 4 + 3))

# causes_ok FILE PHASE: the per-cause upgrade counters add up to upgrades.
causes_sum() {
	local f=$1 ph=$2 c s=0
	for c in $CAUSES; do
		s=$((s + $(val "$f" "$ph.upgrades_$c")))
	done
	echo $s
}

if [ ! -f "$KO" ]; then
	fail "module built for $(uname -r)" "missing $KO"
	exit 1
fi
if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"
expect "mode of latency" "$(stat -c %a $DBG/latency 2>&1)" 400
for sym in anon_vma_fork rmap_walk_anon rmap_walk_file rmap_walk_ksm; do
	expect "probe $sym is a kretprobe" \
		"$(awk -v s=$sym '$1 == s { print $2, $3 }' $DBG/probes)" "kretprobe attached"
done

# fault N: first faults only; nothing upgraded, forked, torn down or walked.
if run_work $T/fault fault $N_FAULT; then
	for c in $CAUSES; do
		expect "fault $N_FAULT: upgrades_$c" "$(val $T/fault fault.upgrades_$c)" 0
	done
	for c in fork_attached unlink_lazy unlink_regular walk_anon_locked parent_links; do
		expect "fault $N_FAULT: $c" "$(val $T/fault fault.$c)" 0
	done
fi

# unmap N: munmap of N whole faulted VMAs calls unlink_anon_vmas once each
# (free_pgtables), finding a lazy root (vma | 1) or a regular anon_vma.
if run_work $T/unmap unmap $N_UNMAP; then
	expect "unmap $N_UNMAP: unlink_calls" "$(val $T/unmap unmap.unlink_calls)" $N_UNMAP
	expect "unmap $N_UNMAP: unlink_lazy" "$(val $T/unmap unmap.unlink_lazy)" "$(on $N_UNMAP 0)"
	expect "unmap $N_UNMAP: unlink_regular" "$(val $T/unmap unmap.unlink_regular)" "$(on 0 $N_UNMAP)"
	expect "unmap $N_UNMAP: no upgrade, no clone" \
		"$(val $T/unmap unmap.upgrades)/$(val $T/unmap unmap.clone_calls)" 0/0
fi

# fork N (phases warmup, base, more; see w_fork.c). anon_vma_fork() gives
# every child VMA whose parent VMA has an anon_vma a new one: the parent's
# chains hold no anon_vma without a VMA (exec gave a fresh mm, the earlier
# children's anon_vmas were freed at their exit), so nothing is reused.
# Lazy, it first upgrades each lazy parent VMA with cause FORK. The child
# faults no new VMA (prepare_calls 0), so at its exit unlink_anon_vmas sees
# exactly the VMAs fork_attached counted, all regular.
if run_work $T/fork fork $N_FORK; then
	for ph in warmup base more; do
		expect "fork $ph: upgrades by cause add up" "$(causes_sum $T/fork $ph)" \
			"$(val $T/fork $ph.upgrades)"
		expect "fork $ph: all upgrades by fork" "$(val $T/fork $ph.upgrades_fork)" \
			"$(val $T/fork $ph.upgrades)"
		expect "fork $ph: child exit unlinks what fork attached" \
			"$(val $T/fork $ph.unlink_regular)" "$(val $T/fork $ph.fork_attached)"
		expect "fork $ph: no lazy unlink" "$(val $T/fork $ph.unlink_lazy)" 0
		expect "fork $ph: no parent link" "$(val $T/fork $ph.parent_links)" 0
	done
	expect "fork $N_FORK more: upgrades_fork" "$(val $T/fork more.upgrades_fork)" "$(on $N_FORK 0)"
	for c in fork_attached unlink_regular; do
		b=$(val $T/fork base.$c)
		m=$(val $T/fork more.$c)
		expect "fork with $N_FORK more VMAs: $c" "$((m - b))" $N_FORK
	done
	# Every VMA the process had faulted has an anon_vma by then.
	expect "fork base: fork_attached > 0 (the stack, data, heap)" \
		"$([ "$(val $T/fork base.fork_attached)" -gt 0 ] && echo yes)" yes
fi

# forkreuse N (see w_forkreuse.c). chain: this process (K VMAs with an
# anon_vma, N of them fresh; all lazy roots with the sysctl 1, upgraded by
# the first fork) forks C1, C1 forks C2 and exits: both forks allocate K
# anon_vmas (every anon_vma on the parent's chains still has its VMA), C1's
# exit unlinks K regular VMAs. reuse: C2 forks C3 once C1 is gone: C1's
# anon_vma has no VMA and one child, so all K VMAs of C3 reuse one and
# anon_vma_fork() allocates nothing; C3's exit unlinks K regular VMAs.
N_REUSE=16
if run_work $T/reuse forkreuse $N_REUSE; then
	K=$(val $T/reuse chain.unlink_regular)
	expect "forkreuse: K covers the $N_REUSE fresh VMAs" \
		"$([ "${K:-0}" -ge $N_REUSE ] && echo yes)" yes
	expect "forkreuse chain: no prepare" "$(val $T/reuse chain.prepare_calls)" 0
	expect "forkreuse chain: fork_attached = 2K" "$(val $T/reuse chain.fork_attached)" $((2 * K))
	# Lazy: the first fork upgrades each lazy root smaps showed just before
	# (the fresh ones at least; exec and start-up leave some regular).
	L=$(val $T/reuse forkreuse.lazy_vmas)
	expect "forkreuse: lazy roots before the fork cover the fresh VMAs" \
		"$([ "${L:-0}" -ge "$(on $N_REUSE 0)" ] && echo yes)" yes
	expect "forkreuse chain: upgrades_fork = lazy roots before" \
		"$(val $T/reuse chain.upgrades_fork)" "$(on "$L" 0)"
	expect "forkreuse reuse: fork_calls = half of chain's" \
		"$((2 * $(val $T/reuse reuse.fork_calls)))" "$(val $T/reuse chain.fork_calls)"
	expect "forkreuse reuse: fork_attached" "$(val $T/reuse reuse.fork_attached)" 0
	expect "forkreuse reuse: C3's exit unlinks K regular VMAs" \
		"$(val $T/reuse reuse.unlink_regular)" $K
	expect "forkreuse reuse: no prepare, no upgrade" \
		"$(val $T/reuse reuse.prepare_calls)/$(val $T/reuse reuse.upgrades)" 0/0
fi

# split: the first __split_vma() of a lazy VMA upgrades it in
# anon_vma_clone() (cause CLONE); the second finds it regular. munmap of
# the middle tears down one VMA, a clone of the upgraded root: regular.
if run_work $T/split split; then
	for ph in mprotect_head munmap_middle; do
		expect "split $ph: upgrades_clone" "$(val $T/split $ph.upgrades_clone)" "$(on 1 0)"
		expect "split $ph: upgrades by cause add up" "$(causes_sum $T/split $ph)" \
			"$(val $T/split $ph.upgrades)"
	done
	expect "mprotect head: no unlink" \
		"$(val $T/split mprotect_head.unlink_lazy)/$(val $T/split mprotect_head.unlink_regular)" 0/0
	expect "munmap middle: unlink_regular" "$(val $T/split munmap_middle.unlink_regular)" 1
	expect "munmap middle: unlink_lazy" "$(val $T/split munmap_middle.unlink_lazy)" 0
fi

# mremap move: copy_vma() upgrades the lazy root (cause MREMAP) before
# anon_vma_clone(), which then finds it regular; the old VMA, upgraded, is
# torn down once.
if run_work $T/mremap mremap; then
	expect "mremap move: upgrades_mremap" "$(val $T/mremap move.upgrades_mremap)" "$(on 1 0)"
	expect "mremap move: upgrades_clone" "$(val $T/mremap move.upgrades_clone)" 0
	expect "mremap move: upgrades by cause add up" "$(causes_sum $T/mremap move)" \
		"$(val $T/mremap move.upgrades)"
	expect "mremap move: unlink_regular" "$(val $T/mremap move.unlink_regular)" 1
	expect "mremap move: unlink_lazy" "$(val $T/mremap move.unlink_lazy)" 0
fi

# latency N: MADV_PAGEOUT of N pages walks each folio once (try_to_unmap,
# locked false, no try-lock: the walker takes the anon_vma lock), twice
# before 6.10 (folio_referenced first: a try-lock that succeeds in a quiet
# guest). A lazy walk takes the root's hashed lock, not an anon_vma's.
# Every walk counted at entry adds one to its kind's histogram on return.
kver=$(uname -r)
kmaj=${kver%%.*}
kmin=${kver#*.}
kmin=${kmin%%[.-]*}
if [ "$kmaj" -lt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -lt 10 ]; }; then
	W=$((N_PAGEOUT * 2))
else
	W=$N_PAGEOUT
fi
KIND=$(on lazy anon)
if zram_swap_on 256M; then
	if run_work $T/lat latency $N_PAGEOUT; then
		expect "latency $N_PAGEOUT: swapped" "$(val $T/lat latency.swapped)" $N_PAGEOUT
		expect "latency $N_PAGEOUT: walk_$KIND" "$(val $T/lat latency.walk_$KIND)" $W
		expect "latency $N_PAGEOUT: walk_anon_locked" "$(val $T/lat latency.walk_anon_locked)" "$(on 0 $W)"
		for k in anon lazy ksm file; do
			expect "latency $N_PAGEOUT: histogram $k total = walk_$k" \
				"$(val $T/lat latency.hist_$k)" "$(val $T/lat latency.walk_$k)"
		done
		expect "latency $N_PAGEOUT: histogram $KIND total" "$(val $T/lat latency.hist_$KIND)" $W
		# A walk takes microseconds: one in the 0..1 ns bucket means the
		# clock stood still (local_clock() does between late ticks).
		expect "latency $N_PAGEOUT: no $KIND walk timed 0 ns" "$(val $T/lat latency.zero_$KIND)" 0
		expect "latency: rows well formed" "$(val $T/lat latency.format_ok)" 1
		expect "latency: data intact after swap-in" "$(val $T/lat latency.intact)" 1
	fi
else
	fail "zram swap" "could not set up /dev/zram0 as swap"
fi
cp $DBG/latency $T/latency.txt
echo "latency after the scenarios:"
sed 's/^/  /' $T/latency.txt

# reset empties the histograms: only the header is left.
echo 1 > $DBG/reset
expect "reset empties latency" "$(cat $DBG/latency)" "kind lo_ns hi_ns count"

# Nothing was missed: every kretprobe found a free instance.
expect_empty "no probe missed a call" \
	"$(awk '$3 == "attached" && $4 != "missed=0"' $DBG/probes | tr '\n' ' ')"

if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi
exit $al_failed
