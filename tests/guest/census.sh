#!/bin/bash
# Guest tests of the module's census and processes files: modes, format,
# exact counts around a workload (alwork census), and the ANON_VMA_LAZY
# estimate proved against the real thing on our kernel: the same workload
# with vm.anon_vma_lazy 0 (estimate) and 1 (actual) in one boot.
. tests/guest/lib.sh

N=64
T=/tmp/al-census
mkdir -p $T
S=/proc/sys/vm/anon_vma_lazy
# insmod, 2 files x (mode, write) and the 2 sizes (7), the simulation on
# (1); check_run: 13 own line keys + 13 (26); sim_run: 12; stock: one run
# of each and the no-lazy check; ours: a run of each with the sysctl 0
# and one with 1, 6 + 4 + 10 "estimate = actual"; snapshots (6), the empty
# comm (1), truncation (7), sim_max_vmas (3); rmmod and its check (2);
# hooks=prepare,upgrade (3).
CHECK_RUN=$((13 + 13))
SIM_RUN=12
MORE=$((6 + 1 + 7 + 3 + 2 + 3))
if [ $HAVE_LAZY = 0 ]; then
	plan $((8 + CHECK_RUN + SIM_RUN + 1 + MORE))
else
	plan $((8 + 2 * CHECK_RUN + 2 * SIM_RUN + 6 + 4 + 10 + MORE))
fi

if ! insmod "$KO" 2> $T/insmod.err; then
	fail "insmod" "$(cat $T/insmod.err)"
	exit 1
fi
pass "insmod"

for f in census processes; do
	expect "mode of $f" "$(stat -c %a $DBG/$f 2>&1)" 400
	run_work $T/w write $DBG/$f "1" && expect "$f refuses writes" "$(val $T/w write.result)" EINVAL
done

# Sizes are those of the running kernel's structs: the anon_vma cache is
# never merged (SLAB_TYPESAFE_BY_RCU), so SLUB shows its object size.
expect "anon_vma_size is the anon_vma cache's object size" \
	"$(awk '$1 == "anon_vma_size" { print $2 }' $DBG/census)" \
	"$(cat /sys/kernel/slab/anon_vma/object_size)"
# vma, anon_vma, same_vma (2 pointers), rb (3 words), rb_subtree_last:
# 8 words on x86_64 in 6.1 and 6.12 (no CONFIG_DEBUG_VM_RB in either).
expect "anon_vma_chain_size" "$(awk '$1 == "anon_vma_chain_size" { print $2 }' $DBG/census)" 64
# The simulation's entries (module/sim.c): their slab's object and slot
# sizes, for the README's memory per tracked VMA (a line, not a check;
# SLUB may merge the cache into another of the same size).
echo "# sim_vma slab: object_size $(cat /sys/kernel/slab/sim_vma/object_size 2>&1) slab_size $(cat /sys/kernel/slab/sim_vma/slab_size 2>&1)"
# Every hook loaded: the simulation runs, with its default bound.
expect "simulation active, sim_max_vmas 1000000" \
	"$(awk '$1 == "sim_active" { a = $2 } $1 == "sim_max_vmas" { m = $2 } END { print a "/" m }' $DBG/census)" \
	1/1000000

# One run of alwork census N. Its reads happen in one process that
# allocates nothing between them (static buffers, stdio only at the end);
# the other processes of the guest (init, this shell) wait meanwhile, so
# the system-wide census moves exactly as the workload's own line: the
# tolerance is 0. Expected values, with L = 1 when new faults make lazy
# roots (vm.anon_vma_lazy=1), else 0:
#   fault N: N mmaps of one page each, faulted: __anon_vma_prepare() per
#     VMA gives a new anon_vma + one chain entry (L=0: regular, and the
#     estimate says lazy root: chain of 1, linked by nobody else), or a
#     lazy root with neither (L=1).
#   fork: dup_mmap() copies every VMA; anon_vma_fork() upgrades each lazy
#     root first (L=1), then gives each child VMA the parent's chain plus
#     its own new anon_vma and entry. So, with P = the parent's VMAs with
#     an anon_vma before the fork: child regular = P, child est_parent = P
#     (own anon_vma linked by it alone), child anon_vmas = parent's + P,
#     child chains = parent's + P; the parent keeps no lazy root and no
#     estimated one (its anon_vmas now also hold the child's entries).
# The estimate is exact for VMAs born after the load (the module's
# simulation tracks them: include/anonlazy.h, "The exact part"): each
# fresh faulted VMA is an exact would-be lazy root (exact_vmas,
# exact_lazy), and after the fork every VMA of parent and child is
# exactly regular: the child's est_parent is 0 (parent links, part 2,
# are estimated only by the bound, for VMAs older than the load).
declare -A V
# load FILE: its "key value" lines into V[FILE:key] (no awk per value:
# a process start costs ~0.1 s under TCG).
load() {
	local k v
	while read -r k v; do V[$1:$k]=$v; done < "$1"
}

check_run() {
	local tag=$1 lazy=$2 o=$3
	load $o
	local sz=$(( ${V[$o:total.anon_vma_size]} + ${V[$o:total.anon_vma_chain_size]} ))
	local reg lz
	if [ "$lazy" = 1 ]; then reg=0; lz=$N; else reg=$N; lz=0; fi
	for k in vmas regular lazy anon_vmas chains est_lazy est_parent est_saved_bytes \
		exact_vmas exact_lazy bound_vmas bound_lazy bound_parent; do
		local want
		case $k in
		vmas) want=$N ;;
		regular) want=$reg ;;
		lazy) want=$lz ;;
		anon_vmas | chains | est_lazy | exact_vmas | exact_lazy) want=$reg ;;
		est_parent | bound_vmas | bound_lazy | bound_parent) want=0 ;;
		est_saved_bytes) want=$((reg * sz)) ;;
		esac
		expect "$tag: fault $N: own line $k" "${V[$o:fault.proc.$k]}" "$want"
	done
	expect "$tag: fault $N: own line none/parent unchanged" \
		"${V[$o:fault.proc.none]}/${V[$o:fault.proc.parent]}" 0/0
	# The system-wide census, tolerance 0 (see above).
	local m=""
	for k in vmas:vmas vmas_regular:regular vmas_lazy:lazy vmas_parent:parent \
		anon_vmas:anon_vmas anon_vma_chains:chains est_lazy_roots:est_lazy \
		est_parent_links:est_parent est_saved_bytes:est_saved_bytes \
		est_exact_vmas:exact_vmas est_exact_lazy_roots:exact_lazy \
		est_bound_vmas:bound_vmas est_bound_lazy_roots:bound_lazy \
		est_bound_parent_links:bound_parent; do
		[ -n "${V[$o:fault.census.${k%:*}]}" ] &&
			[ "${V[$o:fault.census.${k%:*}]}" = "${V[$o:fault.proc.${k#*:}]}" ] ||
			m="$m ${k%:*}=${V[$o:fault.census.${k%:*}]}/${V[$o:fault.proc.${k#*:}]}"
	done
	expect "$tag: fault $N: census delta equals the workload's own line" "${m:-same}" same
	expect "$tag: fault $N: anon_vma/chain bytes" \
		"${V[$o:fault.census.anon_vma_bytes]}/${V[$o:fault.census.anon_vma_chain_bytes]}" \
		"$((reg * ${V[$o:total.anon_vma_size]}))/$((reg * ${V[$o:total.anon_vma_chain_size]}))"
	expect "$tag: fault $N: est_saved anon_vmas/chains" \
		"${V[$o:fault.census.est_saved_anon_vmas]}/${V[$o:fault.census.est_saved_chains]}" "$reg/$reg"
	# Each fault is a successful __anon_vma_prepare(): tracked, lazy.
	expect "$tag: fault $N: the simulation tracks N more VMAs, N would-be lazy" \
		"${V[$o:fault.census.sim_tracked]}/${V[$o:fault.census.sim_tracked_lazy]}/${V[$o:fault.census.sim_dropped]}" \
		"$N/$N/0"

	local P=$(( ${V[$o:fault.abs.regular]} + ${V[$o:fault.abs.lazy]} ))
	expect "$tag: fork: child regular = parent's VMAs with an anon_vma" \
		"${V[$o:fork.child.regular]}/${V[$o:fork.child.lazy]}" "$P/0"
	expect "$tag: fork: child exactly regular, no estimate (est_parent/est_lazy/exact_vmas/bound_vmas)" \
		"${V[$o:fork.child.est_parent]}/${V[$o:fork.child.est_lazy]}/${V[$o:fork.child.exact_vmas]}/${V[$o:fork.child.bound_vmas]}" \
		"0/0/$P/0"
	expect "$tag: fork: child anon_vmas = parent's + own" \
		"${V[$o:fork.child.anon_vmas]}" $(( ${V[$o:fork.parent.anon_vmas]} + P ))
	expect "$tag: fork: child chains = parent's + own" \
		"${V[$o:fork.child.chains]}" $(( ${V[$o:fork.parent.chains]} + P ))
	expect "$tag: fork: parent regular, no lazy, no estimate left" \
		"${V[$o:fork.parent.regular]}/${V[$o:fork.parent.lazy]}/${V[$o:fork.parent.est_lazy]}/${V[$o:fork.parent.est_parent]}" \
		"$P/0/0/0"
	expect "$tag: fork: parent's lazy roots upgraded (anon_vmas, chains)" \
		"$(( ${V[$o:fork.parent.anon_vmas]} - ${V[$o:fault.abs.anon_vmas]} ))/$(( ${V[$o:fork.parent.chains]} - ${V[$o:fault.abs.chains]} ))" \
		"${V[$o:fault.abs.lazy]}/${V[$o:fault.abs.lazy]}"
	expect "$tag: fork: census delta = the child's line" \
		"${V[$o:fork.census.processes]} ${V[$o:fork.census.vmas]} ${V[$o:fork.census.vmas_parent]} ${V[$o:fork.census.est_parent_links]}" \
		"1 ${V[$o:fork.child.vmas]} 0 0"
	expect "$tag: nothing truncated, no invalid tag" \
		"${V[$o:total.truncated]}/${V[$o:total.vmas_invalid]}" 0/0
}

# One run of alwork censussim N C (tests/workloads/w_census.c): phases
# start, fault, exitchild, split, peak, churn, each read as absolute
# values; like census N, in one process, tolerance 0. With reg = N when
# the faults make regular VMAs (sysctl 0, stock), 0 when lazy roots:
#   start: a process started after the load has every regular VMA exact.
#   fault: N fresh VMAs, N exact would-be lazy roots (tracked: N, lazy N).
#   exitchild: a child forked and exited at once. The patched kernel
#     upgraded every lazy root at the fork, and nothing makes it lazy
#     again: the parent has no saving left, and the simulation says so
#     (the structural bound alone would call each of its VMAs, linked by
#     nobody else again, a lazy root: the error of issue 16). The child's
#     tracked VMAs are gone; the parent's are regular now.
#   split: N fresh two-page VMAs, faulted, their second page unmapped: the
#     split upgrades (clone), the unmapped half is forgotten, the kept
#     half stays regular: N regular, exact, none would-be lazy.
#   reuse: N pairs of adjacent one-page VMAs (the second executable: no
#     merge), both faulted: the second's first fault reuses the first's
#     anon_vma (find_mergeable_anon_vma()), so N anon_vmas and 2N chain
#     entries, where a lazy kernel makes 2N lazy roots and neither. The
#     exact estimate: 2N would-be lazy roots, and each pair's anon_vma
#     saved once (every entry to it is a would-be lazy root's): N anon_vma
#     and 2N chain sizes (with the sysctl 1: 2N lazy, nothing else).
#   reusefork: a child forked and exited: the fork upgraded the pairs'
#     lazy roots in address order, each pair's second sharing its first's
#     new anon_vma (the upgrade takes a compatible neighbour's, 0010): so
#     N anon_vmas and 2N chain entries either way, no estimate left. A
#     kernel whose upgrade always allocates shows 2N anon_vmas here.
#   peak: the churn's first batch (1000 VMAs) mapped: tracked + 1000.
#   churn: C VMAs faulted and unmapped: the state is back where it was.
# 1,000,000 VMAs churned on the default kernels; 5,000 on the debug one
# (KASAN, lockdep, kmemleak), where one VMA's churn takes about 20 ms
# under TCG (10,000 took 237 s): a million would take hours. The flat
# state is shown at full size on ours and stock.
SIM_CHURN=1000000
case $(uname -r) in
*-debug*) SIM_CHURN=5000 ;;
esac
echo "census: the simulation's churn: $SIM_CHURN VMAs on $(uname -r)"
sim_run() {
	local tag=$1 lazy=$2 o=$3
	load $o
	local sz=$(( ${V[$o:start.census.anon_vma_size]} + ${V[$o:start.census.anon_vma_chain_size]} ))
	local reg=$N
	[ "$lazy" = 1 ] && reg=0
	# d FROM TO KEY: KEY's change between two phases; "missing" when either
	# phase lacks it (bash arithmetic would read a missing value as 0).
	d() {
		local a=${V[$o:$1.$3]} b=${V[$o:$2.$3]}
		if [ -n "$a" ] && [ -n "$b" ]; then echo $((b - a)); else echo missing; fi
	}
	expect "$tag: sim: a process started after the load: every regular VMA exact" \
		"${V[$o:start.proc.exact_vmas]}/${V[$o:start.proc.bound_vmas]}" \
		"${V[$o:start.proc.regular]}/0"
	expect "$tag: sim: fault $N: exact_vmas/exact_lazy/est_lazy/bound_lazy/est_saved_bytes" \
		"$(d start fault proc.exact_vmas)/$(d start fault proc.exact_lazy)/$(d start fault proc.est_lazy)/$(d start fault proc.bound_lazy)/$(d start fault proc.est_saved_bytes)" \
		"$reg/$reg/$reg/0/$((reg * sz))"
	expect "$tag: sim: fault $N: tracked/lazy/dropped" \
		"$(d start fault census.sim_tracked)/$(d start fault census.sim_tracked_lazy)/$(d start fault census.sim_dropped)" \
		"$N/$N/0"
	expect "$tag: sim: a child exited: the parent's est_lazy/exact_lazy/est_parent/bound_vmas/est_saved_bytes" \
		"${V[$o:exitchild.proc.est_lazy]}/${V[$o:exitchild.proc.exact_lazy]}/${V[$o:exitchild.proc.est_parent]}/${V[$o:exitchild.proc.bound_vmas]}/${V[$o:exitchild.proc.est_saved_bytes]}" \
		0/0/0/0/0
	expect "$tag: sim: a child exited: every VMA regular and exact (regular/exact_vmas, lazy)" \
		"${V[$o:exitchild.proc.regular]}/${V[$o:exitchild.proc.exact_vmas]}/${V[$o:exitchild.proc.lazy]}" \
		"$(( ${V[$o:fault.proc.regular]} + ${V[$o:fault.proc.lazy]} ))/$(( ${V[$o:fault.proc.regular]} + ${V[$o:fault.proc.lazy]} ))/0"
	expect "$tag: sim: a child exited: its VMAs forgotten, the parent's still tracked" \
		"$(d fault exitchild census.sim_tracked)" 0
	expect "$tag: sim: a child exited: the parent's would-be lazy roots regular" \
		"$(d fault exitchild census.sim_tracked_lazy)" \
		"$(( -(${V[$o:fault.proc.exact_lazy]} + ${V[$o:fault.proc.lazy]}) ))"
	expect "$tag: sim: split $N, half unmapped: regular/exact_vmas/lazy/exact_lazy/est_lazy/est_saved_bytes" \
		"$(d exitchild split proc.regular)/$(d exitchild split proc.exact_vmas)/$(d exitchild split proc.lazy)/$(d exitchild split proc.exact_lazy)/$(d exitchild split proc.est_lazy)/$(d exitchild split proc.est_saved_bytes)" \
		"$N/$N/0/0/0/0"
	local avsz=${V[$o:start.census.anon_vma_size]} chsz=${V[$o:start.census.anon_vma_chain_size]}
	local r2=$((2 * reg)) l2=$((2 * N - 2 * reg))
	expect "$tag: sim: reuse $N: anon_vmas/chains/lazy/exact_lazy/est_lazy/est_saved_bytes" \
		"$(d split reuse proc.anon_vmas)/$(d split reuse proc.chains)/$(d split reuse proc.lazy)/$(d split reuse proc.exact_lazy)/$(d split reuse proc.est_lazy)/$(d split reuse proc.est_saved_bytes)" \
		"$reg/$r2/$l2/$r2/$r2/$((reg * avsz + r2 * chsz))"
	expect "$tag: sim: reuse $N, a child exited: anon_vmas/chains/lazy/est_lazy/exact_lazy/est_saved_bytes" \
		"$(d reuse reusefork proc.anon_vmas)/$(d reuse reusefork proc.chains)/$(d reuse reusefork proc.lazy)/${V[$o:reusefork.proc.est_lazy]}/${V[$o:reusefork.proc.exact_lazy]}/${V[$o:reusefork.proc.est_saved_bytes]}" \
		"$((N - reg))/$((2 * N - r2))/$((-l2))/0/0/0"
	expect "$tag: sim: churn: its first batch tracked (tracked/lazy)" \
		"$(d reusefork peak census.sim_tracked)/$(d reusefork peak census.sim_tracked_lazy)" \
		"${V[$o:sim.batch]}/${V[$o:sim.batch]}"
	expect "$tag: sim: churn of $SIM_CHURN VMAs: state flat (tracked/lazy/dropped/exact_vmas)" \
		"$(d reusefork churn census.sim_tracked)/$(d reusefork churn census.sim_tracked_lazy)/$(d reusefork churn census.sim_dropped)/$(d reusefork churn proc.exact_vmas)" \
		0/0/0/0
}

if [ $HAVE_LAZY = 0 ]; then
	# Stock: the kernel cannot make lazy states; the estimate shows.
	run_work $T/c census $N && check_run "census" 0 $T/c
	run_work $T/s censussim $N $SIM_CHURN && sim_run "census" 0 $T/s
	expect "no lazy or parent-linked VMA anywhere" \
		"$(awk '$1 ~ /^vmas_(lazy|parent)$/ { s += $2 } END { print s + 0 }' $DBG/census)" 0
else
	echo 0 > $S
	run_work $T/c0 census $N && check_run "census lazy=0" 0 $T/c0
	run_work $T/s0 censussim $N $SIM_CHURN && sim_run "census lazy=0" 0 $T/s0
	echo 1 > $S
	run_work $T/c1 census $N && check_run "census lazy=1" 1 $T/c1
	run_work $T/s1 censussim $N $SIM_CHURN && sim_run "census lazy=1" 1 $T/s1
	echo "$LAZY" > $S
	if [ -s $T/c0 ] && [ -s $T/c1 ]; then
		# The proof: the estimate with the sysctl 0 is what the kernel does
		# with it 1, for the workload's N VMAs (exact: same workload,
		# tolerance 0, see above) ...
		expect "estimate = actual: est_lazy_roots (0) = lazy roots (1)" \
			"${V[$T/c0:fault.census.est_lazy_roots]}" "${V[$T/c1:fault.census.vmas_lazy]}"
		expect "estimate = actual: saved anon_vmas (0) = anon_vmas (0) - (1)" \
			"${V[$T/c0:fault.census.est_saved_anon_vmas]}" \
			$(( ${V[$T/c0:fault.census.anon_vmas]} - ${V[$T/c1:fault.census.anon_vmas]} ))
		expect "estimate = actual: saved chains (0) = chains (0) - (1)" \
			"${V[$T/c0:fault.census.est_saved_chains]}" \
			$(( ${V[$T/c0:fault.census.anon_vma_chains]} - ${V[$T/c1:fault.census.anon_vma_chains]} ))
		expect "estimate = actual: saved bytes (0) = bytes (0) - (1)" \
			"${V[$T/c0:fault.census.est_saved_bytes]}" \
			$(( ${V[$T/c0:fault.census.anon_vma_bytes]} + ${V[$T/c0:fault.census.anon_vma_chain_bytes]} - ${V[$T/c1:fault.census.anon_vma_bytes]} - ${V[$T/c1:fault.census.anon_vma_chain_bytes]} ))
		# ... and for the whole fresh process (its exec-time VMAs too):
		# everything the estimate calls a lazy root is one, nothing else.
		expect "estimate = actual: whole process at start, est_lazy (0) = lazy (1)" \
			"${V[$T/c0:base.proc.est_lazy]}" "${V[$T/c1:base.proc.lazy]}"
		expect "estimate = actual: whole process at start, anon_vmas saved" \
			"$(( ${V[$T/c0:base.proc.anon_vmas]} - ${V[$T/c0:base.proc.est_lazy]} ))" \
			"${V[$T/c1:base.proc.anon_vmas]}"
		# After the fork both kernels agree: lazy roots are upgraded.
		for k in regular anon_vmas chains est_parent; do
			expect "estimate = actual: after fork, child $k the same" \
				"${V[$T/c0:fork.child.$k]}" "${V[$T/c1:fork.child.$k]}"
		done
	fi
	if [ -s $T/s0 ] && [ -s $T/s1 ]; then
		# The simulation against the kernel, phase by phase, for the
		# whole process: what the sysctl-0 estimate says would be lazy
		# roots is what the kernel made with 1, and what it says would
		# be saved is the difference in anon_vma and chain bytes.
		avsz=${V[$T/s0:start.census.anon_vma_size]}
		chsz=${V[$T/s0:start.census.anon_vma_chain_size]}
		for ph in fault exitchild split reuse reusefork; do
			expect "estimate = actual: censussim $ph: est_lazy (0) = lazy (1)" \
				"${V[$T/s0:$ph.proc.est_lazy]}" "${V[$T/s1:$ph.proc.lazy]}"
			expect "estimate = actual: censussim $ph: est_saved_bytes (0) = bytes (0) - (1)" \
				"${V[$T/s0:$ph.proc.est_saved_bytes]}" \
				$(( (${V[$T/s0:$ph.proc.anon_vmas]} - ${V[$T/s1:$ph.proc.anon_vmas]}) * avsz + (${V[$T/s0:$ph.proc.chains]} - ${V[$T/s1:$ph.proc.chains]}) * chsz ))
		done
	fi
fi

# Snapshots (include/anonlazy.h): opening census takes a new one, and
# processes opened at once after it reuses it; each census open adds one
# to the generation (no other reader runs); processes opened more than
# ANONLAZY_CENSUS_REUSE_NS (1 s) after the last snapshot was complete
# takes a new one. time_ns is CLOCK_MONOTONIC at the snapshot's start,
# so it lies between the workload's clock reads around the open.
if run_work $T/snap censussnap; then
	load $T/snap
	o=$T/snap
	expect "snapshot: processes after census: same generation and time" \
		"${V[$o:snap.proc1.gen]}/${V[$o:snap.proc1.time]}" \
		"${V[$o:snap.census1.gen]}/${V[$o:snap.census1.time]}"
	expect "snapshot: census time_ns within the open" \
		"$(( ${V[$o:snap.t0]} <= ${V[$o:snap.census1.time]} && ${V[$o:snap.census1.time]} <= ${V[$o:snap.t1]} ))" 1
	expect "snapshot: the next census open is the next generation" \
		"${V[$o:snap.census2.gen]}" "$(( ${V[$o:snap.census1.gen]} + 1 ))"
	expect "snapshot: processes at once after it reuses it" \
		"${V[$o:snap.proc2.gen]}/${V[$o:snap.proc2.time]}" \
		"${V[$o:snap.census2.gen]}/${V[$o:snap.census2.time]}"
	expect "snapshot: processes 2 s later takes a new one" \
		"${V[$o:snap.proc3.gen]}" "$(( ${V[$o:snap.census2.gen]} + 1 ))"
	expect "snapshot: its time_ns within that open" \
		"$(( ${V[$o:snap.t2]} <= ${V[$o:snap.proc3.time]} && ${V[$o:snap.proc3.time]} <= ${V[$o:snap.t3]} ))" 1
fi

# An empty comm (prctl(PR_SET_NAME, "")) keeps the processes format: the
# workload's parser wants the numbers and a comm of 0x21..0x7e bytes; an
# empty one is printed as "?".
if run_work $T/comm censuscomm; then
	expect "empty comm: the line parses, comm printed as ?" \
		"$(val $T/comm comm.parsed)/$(val $T/comm comm.comm)" "1/?"
fi

# Truncation: census_max_chains set to the census's chain entries - 1,
# with the workload (N fresh faulted VMAs) the last mm walked (highest
# pid): everything before it fits, it does not, and it is left out whole:
# no row, and every total drops by exactly its own line (its anon_vmas are
# its own: exec gave it a fresh mm, nothing shares them).
if run_work $T/trunc censustrunc $N; then
	load $T/trunc
	o=$T/trunc
	expect "truncation: before: nothing truncated or left out" \
		"${V[$o:trunc.before.truncated]}/${V[$o:trunc.before.left_out]}" 0/0
	expect "truncation: after: truncated, one mm left out" \
		"${V[$o:trunc.after.truncated]}/${V[$o:trunc.after.left_out]}" 1/1
	expect "truncation: the left-out mm has no processes row" \
		"${V[$o:trunc.own_row_after]}" 0
	expect "truncation: processes row and census from one snapshot" \
		"${V[$o:trunc.proc_gen_after]}" "${V[$o:trunc.after.generation]}"
	m=""
	for k in processes:- vmas:vmas vmas_regular:regular vmas_none:none \
		vmas_lazy:lazy vmas_parent:parent anon_vmas:anon_vmas \
		anon_vma_chains:chains est_lazy_roots:est_lazy \
		est_parent_links:est_parent est_saved_bytes:est_saved_bytes; do
		own=1
		[ "${k#*:}" = - ] || own=${V[$o:trunc.own.${k#*:}]}
		want=$(( ${V[$o:trunc.before.${k%:*}]} - own ))
		[ "${V[$o:trunc.after.${k%:*}]}" = "$want" ] ||
			m="$m ${k%:*}=${V[$o:trunc.after.${k%:*}]}/$want"
	done
	expect "truncation: every total drops by exactly the left-out line" "${m:-exact}" exact
	# The census counts a VMA's chains only when it is regular (the
	# entries on vma->anon_vma_chain): each fresh faulted VMA has one, a
	# lazy root none (no anon_vma, no anon_vma_chain).
	expect "truncation: the $N faulted VMAs put $(on 0 $N) chains in the left-out line ($(on "lazy roots" regular))" \
		"${V[$o:trunc.faulted.chains]}" "$(on 0 $N)"
	expect "truncation: the bound restored" \
		"$(cat /sys/module/anonlazy/parameters/census_max_chains)" 4194304
fi

# sim_max_vmas: with the bound 0 every VMA born meanwhile is dropped (not
# tracked, counted) and estimated by the structural bound, which for
# fresh faulted VMAs says the same: N bound lazy roots (sysctl 0).
SMV=/sys/module/anonlazy/parameters/sim_max_vmas
echo 0 > $SMV
if run_work $T/drop census $N; then
	load $T/drop
	o=$T/drop
	reg=$(on 0 $N)
	expect "sim_max_vmas 0: fault $N: dropped/tracked" \
		"${V[$o:fault.census.sim_dropped]}/${V[$o:fault.census.sim_tracked]}" "$N/0"
	expect "sim_max_vmas 0: fault $N: exact_vmas/bound_vmas/bound_lazy/est_lazy" \
		"${V[$o:fault.proc.exact_vmas]}/${V[$o:fault.proc.bound_vmas]}/${V[$o:fault.proc.bound_lazy]}/${V[$o:fault.proc.est_lazy]}" \
		"0/$reg/$reg/$reg"
fi
echo 1000000 > $SMV
expect "sim_max_vmas restored" "$(cat $SMV)" 1000000

if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod"
else
	fail "rmmod" "$(cat $T/rmmod.err)"
fi
expect "debugfs directory gone" "$(test -e $DBG && echo present || echo gone)" gone

# Without the clone and unlink hooks the simulation cannot follow the
# kernel: it is off, and the whole estimate is the structural bound.
if ! insmod "$KO" hooks=prepare,upgrade 2> $T/insmod.err; then
	fail "insmod hooks=prepare,upgrade" "$(cat $T/insmod.err)"
	exit 1
fi
run_work $T/hk fault 8 > /dev/null
load $DBG/census
expect "hooks=prepare,upgrade: sim_active/sim_tracked/est_exact_vmas/est_exact_lazy_roots" \
	"${V[$DBG/census:sim_active]}/${V[$DBG/census:sim_tracked]}/${V[$DBG/census:est_exact_vmas]}/${V[$DBG/census:est_exact_lazy_roots]}" \
	0/0/0/0
expect "hooks=prepare,upgrade: the estimate is all bound (est_lazy_roots, est_saved_bytes)" \
	"${V[$DBG/census:est_lazy_roots]}/${V[$DBG/census:est_saved_bytes]}" \
	"${V[$DBG/census:est_bound_lazy_roots]}/${V[$DBG/census:est_bound_saved_bytes]}"
if rmmod anonlazy 2> $T/rmmod.err; then
	pass "rmmod (hooks=prepare,upgrade)"
else
	fail "rmmod (hooks=prepare,upgrade)" "$(cat $T/rmmod.err)"
fi
exit $al_failed
