#!/bin/bash
# make bench: measurements, not tests.
#  1. Slab cost: boots our kernel with slab_nomerge and prints the anon_vma /
#     anon_vma_chain slab cost of a few workloads with vm.anon_vma_lazy 0
#     and 1, measured in one boot -> docs/bench-slab.md.
#  2. Probe overhead: in one boot of each kernel (ours: vm.anon_vma_lazy 0
#     and 1; stock), a fork-heavy and a pageout-heavy workload with the
#     module unloaded and loaded, anonlazy-bpf with and without its
#     per-process rows, a bpftrace script, and the ratios
#     -> docs/bench-overhead.md (its "Per-hit cost" section, part 6's, is
#     kept); the module's latency file of the last pageout run with every
#     hook on ours -> docs/bench-latency-ours-lazy0.txt and -lazy1.txt.
#  3. Census at scale: 200 processes x 5000 VMAs (250000 faulted), census
#     rate, mmap_lock holds and a concurrent mprotect loop's worst case,
#     on stock and on ours (vm.anon_vma_lazy 0 and 1), 4 GiB guests
#     -> docs/bench-census.md.
#  4. Upgrade lock hold: a process upgrades a big lazy root (mprotect of
#     one page of an S MiB VMA, every page faulted) while another walks the
#     rmaps of its own lazy VMAs one at a time (page_idle, MADV_PAGEOUT);
#     the mprotect's time and the other process's worst walk during it and
#     in a baseline window, vm.anon_vma_lazy 0 and 1, one boot
#     -> docs/bench-upgrade.md, one
#     section per kernel, VMAs of 1 GiB and 4 GiB: ours by default;
#     AL_BENCH_KERNEL=dev (the kernel-env.sh dev tree) writes or replaces
#     the dev section and keeps the others.
#  5. Time cost next to slab saving: in one boot of our kernel (slab_nomerge),
#     vm.anon_vma_lazy 0 and 1 in turn, 7 runs each: the first fault of N
#     one-page VMAs, the first fork (lazy 1: upgrades them all) and a second
#     one, munmap with and without a fork before, MADV_PAGEOUT of P pages in
#     P VMAs; and anon_vma / anon_vma_chain objects per faulted VMA
#     -> docs/bench-cost.md. AL_BENCH_KERNEL=dev measures the dev tree
#     instead (the doc names the kernel); AL_BENCH_COST="N P REPS" (default
#     "1000 512 21"; fewer REPS for a quick try).
#  6. Per-hit cost of each mechanism: in one boot of each kernel (ours,
#     stock), getppid() in a loop with nothing attached and with one probe
#     on its kernel function: fentry, fexit, kprobe, kretprobe (bpftrace)
#     and a module kprobe and kretprobe (tests/kmod/almech.c); ns per hit
#     -> the section "Per-hit cost of each mechanism" of
#     docs/bench-overhead.md, replaced, the rest kept. AL_BENCH_MECH="CALLS
#     REPS" (default "200000 9").
#  7. anonlazy-top's own cost: in one boot of our kernel, the module
#     loaded and 1000 sleeping processes (20 x alwork hold 10 49),
#     anonlazy-top at a 1 s interval for 30 frames, as text (-C) and with
#     --json: wall and CPU time (user + sys), CPU % of one core, census
#     snapshots per frame (target: under 1% and at most one a frame)
#     -> docs/bench-top.md.
#  8. The census's estimate against the real saving, on real programs
#     (issue 16): two boots of our kernel, vm.anon_vma_lazy 0 and 1, the
#     module loaded, then python3 (a Pool(4), http.server), bash
#     subshells, perl children, awk and sort started and kept alive
#     (scripts/guest/bench-simreal.sh); their processes rows summed. The
#     estimate of the 0 boot against the difference of the two boots
#     (target: within 5%) -> docs/bench-simreal.md.
#
# Then, whichever part ran, the figures of what docs/ holds, as make plots
# draws them (scripts/plots.sh -> docs/img/).
#
#   scripts/bench.sh [slab|overhead|census|upgrade|cost|mech|top|simreal]
#   (default: all eight)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
what=${1:-all}
case $what in
all | slab | overhead | census | upgrade | cost | mech | top | simreal) ;;
*) echo "bench: unknown part '$what' (slab, overhead, census, upgrade, cost, mech, top or simreal)" >&2; exit 2 ;;
esac
scripts/setup.sh > /dev/null
make -s userspace
# (not for the upgrade or cost part on dev alone: that needs no build of ours)
ours_release=
ours_key=
if { [ "$what" != upgrade ] && [ "$what" != cost ]; } || [ "${AL_BENCH_KERNEL:-ours}" = ours ]; then
	eval "$(scripts/kernel-env.sh ours 2>/dev/null)"
	ours_release=$KERNEL_RELEASE
	ours_key=$KERNEL_KEY
fi
mkdir -p docs

# guest NAME KERNEL [vm-run options] -- SCRIPT: one boot, the log on failure
guest() {
	local name=$1 kernel=$2
	shift 2
	if ! scripts/vm-run.sh --kernel "$kernel" --name "$name" "$@" > /dev/null; then
		cat "out/vm/$name/guest.log" >&2 2>/dev/null || true
		echo "bench: the measurement on $kernel failed; nothing written to docs/" >&2
		exit 1
	fi
}

if [ "$what" = all ] || [ "$what" = slab ]; then
	guest bench-slab ours --append slab_nomerge -- bash scripts/guest/bench-slab.sh
	{
		echo "# anon_vma slab cost with and without ANON_VMA_LAZY"
		echo
		echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d), kernel $ours_release"
		echo "(key $ours_key), QEMU TCG guest, 2 vCPUs, 2 GiB, slab_nomerge."
		echo "Each row: the slab objects and KB a workload holds (active objects"
		echo "while it runs minus before it started), with vm.anon_vma_lazy 0 and"
		echo "then 1, in the same boot."
		echo
		cat out/vm/bench-slab/guest.log
		echo
		echo "Without a fork, every faulted VMA is a lazy root: no anon_vma, no"
		echo "anon_vma_chain. A fork upgrades the parent's lazy roots and gives each"
		echo "child VMA its own anon_vma, as without the feature: the saving there"
		echo "waits for parent-linked children (part 2 of the kernel work)."
	} > docs/bench-slab.md
	cat docs/bench-slab.md
fi

# section TITLE LOG [LEVEL]: a kernel's tables, then its individual runs
# (not its latency lines: they go to docs/bench-latency-ours-lazy*.txt)
section() {
	echo "${3:-##} $1"
	echo
	grep -v -e '^runs ' -e '^latency ' "$2"
	echo
	echo '```'
	grep '^runs ' "$2"
	echo '```'
}

# The per-hit section of docs/bench-overhead.md (part 6) between its
# markers, as the last run of that part wrote it; nothing when absent.
MECH_BEGIN='<!-- section mech -->'
MECH_END='<!-- end mech -->'
mech_section() {
	[ -f docs/bench-overhead.md ] || return 0
	awk -v b="$MECH_BEGIN" -v e="$MECH_END" \
		'$0 == b { on = 1 } on { print } $0 == e { on = 0 }' docs/bench-overhead.md
}

if [ "$what" = all ] || [ "$what" = overhead ]; then
	scripts/build-module.sh ours > /dev/null
	scripts/build-module.sh stock > /dev/null
	make -s bpf
	eval "$(scripts/kernel-env.sh stock)"
	stock_release=$KERNEL_RELEASE
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	guest bench-overhead-ours ours --timeout 1800 -- bash scripts/guest/bench-overhead.sh
	guest bench-overhead-stock stock --timeout 1800 -- bash scripts/guest/bench-overhead.sh
	load1=$(cut -d' ' -f1-3 /proc/loadavg)
	mech_old=$(mech_section)
	# the module's latency file of our kernel's last pageout run with
	# every hook, as the guest printed it ("latency lazy=L: LINE")
	for l in 0 1; do
		sed -n "s/^latency lazy=$l: //p" out/vm/bench-overhead-ours/guest.log \
			> "out/vm/bench-overhead-ours/latency-lazy$l.txt"
		if ! head -n1 "out/vm/bench-overhead-ours/latency-lazy$l.txt" | grep -qx 'kind lo_ns hi_ns count'; then
			echo "bench: no 'latency lazy=$l: ' lines in out/vm/bench-overhead-ours/guest.log; nothing written to docs/" >&2
			exit 1
		fi
	done
	{
		echo "# The cost of counting: the module, anonlazy-bpf, bpftrace"
		echo
		echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d), QEMU TCG guests, 2 vCPUs,"
		echo "2 GiB, one boot per kernel: ours ($ours_release, key $ours_key)"
		echo "and stock Debian ($stock_release). Host load (1, 5, 15 min, $(nproc) host"
		echo "CPUs) before: $load0; after: $load1. \`scripts/guest/bench-overhead.sh\`"
		echo "runs each workload with nothing attached, with anonlazy.ko loaded with"
		echo "every hook (the default) and with \`hooks=prepare,upgrade\` (lazy roots"
		echo "and upgrades only), under \`anonlazy-bpf\` (every counter and the walk"
		echo "histograms, no module; fentry/fexit on both kernels; its per-process"
		echo "rows off, the default), under \`anonlazy-bpf --processes\` (the same and"
		echo "the per-process rows) and under a bpftrace script that counts the same"
		echo "functions with kprobes and kretprobes and times the walks (what a user"
		echo "would write instead), 9 times each in rotating order, and gives the"
		echo "median of each; the individual runs follow each table. The work is"
		echo "timed inside alwork, after the tool has attached. Targets: the module"
		echo "at most 2% slower (ratio <= 1.020); anonlazy-bpf at most 5% on fork +"
		echo "exit and 2% on pageout, and below both the module and bpftrace."
		echo
		echo "Where the time goes. Every hook hit costs its path time and both"
		echo "workloads are made of little else: fork + exit hits three hooks per VMA"
		echo "(anon_vma_fork, anon_vma_clone, unlink_anon_vmas), 3000 per op; each"
		echo "kernel's second table gives what each tool adds per VMA. The cost of"
		echo "one hit of each mechanism, measured apart in guests booted the same"
		echo "way, is in \"Per-hit cost of each mechanism\" at the end (part \`mech\` of"
		echo "\`scripts/bench.sh\`): fentry, fexit, kprobe and kretprobe with a"
		echo "counting bpftrace program, and a module's kprobe and kretprobe, on"
		echo "getppid()'s kernel function. Three of those hits, by the mechanisms"
		echo "each tool uses, set against its per-VMA cost, split that cost between"
		echo "the mechanisms and the tool's own work. anonlazy-bpf's own work per"
		echo "hit: the lookup of its per-CPU counter and a plain add (no lock prefix:"
		echo "one program writes each per-CPU slot, and none runs twice at once on a"
		echo "CPU; bpf/anonlazy.bpf.c says why); with \`--processes\` also a hash lookup"
		echo "of the caller's row and an atomic add on it (the row is shared by the"
		echo "process's threads), which is why the rows are off by default: the"
		echo "\`--processes\` column shows what they cost. anon_vma_fork is fexit (it"
		echo "reads the result), whose trampoline calls the function itself. Before"
		echo "these changes (rows always on, every add atomic) anonlazy-bpf measured"
		echo "1.25-1.47 on fork + exit, the module 1.14-1.21, bpftrace 1.35-1.92."
		echo "Where a tool misses its target, its per-VMA cost less three hits of its"
		echo "mechanisms is what its own programs or handlers add. Natively the published costs"
		echo "(fentry ~10 ns, kprobe ~18 ns, kretprobe ~45 ns) are small against a"
		echo "few hundred ns of fork work per VMA, and their order may differ from"
		echo "TCG's; native costs are not measured here."
		echo
		echo "Read the ratios against the noise: the spread of the unloaded runs of"
		echo "a row (TCG follows the host's load, and reclaim into zram varies from"
		echo "run to run) is the floor below which a ratio says nothing: a row whose"
		echo "unloaded runs spread wider than its ratios are from 1, or whose loaded"
		echo "runs come out faster than its unloaded ones, measures the host, not the"
		echo "tool. The host's load before and after the run is given under each"
		echo "kernel when the run recorded it."
		echo
		echo "- fork + exit: a process holding 1000 faulted anonymous VMAs forks a"
		echo "  child that exits at once, 20 times a run (after one warm-up fork,"
		echo "  which upgrades the lazy roots on a lazy kernel). Per VMA and fork the"
		echo "  module sees anon_vma_fork (kretprobe), anon_vma_clone and"
		echo "  unlink_anon_vmas (kprobes); anonlazy-bpf the same three (fexit,"
		echo "  fentry, fentry)."
		echo "- fault + MADV_PAGEOUT: 32 rounds of writing 512 pages of one VMA"
		echo "  (first fault, then swap-in from zram) and paging them all out;"
		echo "  each page paged out is one rmap walk (kretprobe or fentry + fexit,"
		echo "  timed)."
		echo
		section "Our kernel" out/vm/bench-overhead-ours/guest.log
		echo
		section "Stock Debian kernel" out/vm/bench-overhead-stock/guest.log
		echo
		echo "The rmap walk latency of the last pageout run with every hook on our"
		echo "kernel (the module's \`latency\` file, read before its unload), with"
		echo "vm.anon_vma_lazy 0 and 1: \`docs/bench-latency-ours-lazy0.txt\` and"
		echo "\`-lazy1.txt\`, drawn in \`docs/img/bench-latency.png\` (make plots)."
		if [ -n "$mech_old" ]; then
			echo
			echo "$mech_old"
		fi
	} > docs/bench-overhead.md
	for l in 0 1; do
		cp "out/vm/bench-overhead-ours/latency-lazy$l.txt" "docs/bench-latency-ours-lazy$l.txt"
	done
	cat docs/bench-overhead.md
fi

if [ "$what" = all ] || [ "$what" = mech ]; then
	read -r mcalls mreps <<< "${AL_BENCH_MECH:-200000 9}"
	scripts/build-module.sh ours almech > /dev/null
	scripts/build-module.sh stock almech > /dev/null
	eval "$(scripts/kernel-env.sh stock)"
	stock_release=$KERNEL_RELEASE
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	guest bench-mech-ours ours -- bash scripts/guest/bench-mech.sh "$mcalls" "$mreps"
	guest bench-mech-stock stock -- bash scripts/guest/bench-mech.sh "$mcalls" "$mreps"
	new=$(mktemp)
	{
		echo "$MECH_BEGIN"
		echo "## Per-hit cost of each mechanism"
		echo
		echo "Measured by \`scripts/bench.sh mech\` on $(date -u +%Y-%m-%d), QEMU TCG guests,"
		echo "2 vCPUs, 2 GiB, one boot per kernel: ours ($ours_release, key $ours_key)"
		echo "and stock Debian ($stock_release). Host load (1, 5, 15 min, $(nproc) host CPUs)"
		echo "before: $load0; after: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		echo "What one probe hit costs, each mechanism measured alone on one cheap"
		echo "function: \`scripts/guest/bench-mech.sh $mcalls $mreps\` times \`alwork syscallbench $mcalls\`"
		echo "(getppid() through syscall(2), $mcalls times: one call of its kernel"
		echo "function, \`__x64_sys_getppid\` or its alias \`__do_sys_getppid\`, each) with"
		echo "nothing attached and with one probe on that function: a bpftrace"
		echo "program \`{ @hits = count(); }\` as \`kfunc:\` (fentry), \`kretfunc:\` (fexit),"
		echo "\`kprobe:\` and \`kretprobe:\`, then almech.ko (\`tests/kmod/almech.c\`), a"
		echo "kprobe or a kretprobe whose handler does \`this_cpu_inc()\`. Per hit ="
		echo "ns per call attached - ns per call bare, medians of $mreps runs each (bare:"
		echo "the runs just before and after that block, so that drift cancels);"
		echo "each block checks that its probe counted every call. A BPF row"
		echo "includes its program's run (bpftrace's per-CPU map update) and a"
		echo "module row its handler's: within a family the difference is the"
		echo "mechanism's. Under TCG every instruction is emulated, so these are"
		echo "TCG's costs, not a native machine's; they are what the fork + exit"
		echo "rows above pay per hook hit (anonlazy-bpf: fexit on anon_vma_fork,"
		echo "fentry on anon_vma_clone and unlink_anon_vmas; the module: a"
		echo "kretprobe and two kprobes; the bpftrace script: kprobes and a"
		echo "kretprobe)."
		echo
		section "Our kernel" out/vm/bench-mech-ours/guest.log "###"
		echo
		section "Stock Debian kernel" out/vm/bench-mech-stock/guest.log "###"
		echo "$MECH_END"
	} > "$new"
	doc=docs/bench-overhead.md
	rest=$(mktemp)
	if [ -f $doc ]; then
		awk -v b="$MECH_BEGIN" -v e="$MECH_END" \
			'$0 == b { skip = 1 } !skip { print } $0 == e { skip = 0 }' $doc > "$rest"
	else
		echo "# The cost of counting: the module, anonlazy-bpf, bpftrace" > "$rest"
	fi
	{ cat "$rest"; echo; cat "$new"; } | cat -s > $doc
	rm -f "$new" "$rest"
	cat $doc
fi

if [ "$what" = all ] || [ "$what" = census ]; then
	scripts/build-module.sh ours > /dev/null
	scripts/build-module.sh stock > /dev/null
	eval "$(scripts/kernel-env.sh stock)"
	stock_release=$KERNEL_RELEASE
	guest bench-census-stock stock --mem-gb 4 -- bash scripts/guest/bench-census.sh
	guest bench-census-ours ours --mem-gb 4 -- bash scripts/guest/bench-census.sh
	guest bench-census-ours-lazy ours --mem-gb 4 --append sysctl.vm.anon_vma_lazy=1 \
		-- bash scripts/guest/bench-census.sh
	{
		echo "# The census at scale"
		echo
		echo "Measured by \`make bench\` (\`scripts/bench.sh census\`) on $(date -u +%Y-%m-%d),"
		echo "QEMU TCG guests, 2 vCPUs, 4 GiB, one boot per kernel: stock Debian"
		echo "($stock_release), ours ($ours_release, key $ours_key) with"
		echo "vm.anon_vma_lazy 0 and with 1. Host load while measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "(1, 5, 15 min) on $(nproc) host CPUs."
		echo
		echo "\`scripts/guest/bench-census.sh\` (\`alwork censusbench 200 5000 1250 3 5\`):"
		echo "200 processes, each with 5000 one-page anonymous VMAs of alternating"
		echo "protection, every fourth one faulted (1250 a process, none next to"
		echo "another faulted one), so about 1,000,000 VMAs and 250,000 of them"
		echo "with an anon_vma (or a lazy root). Then:"
		echo
		echo "- rate: 5 census reads with nothing else running; VMAs / the"
		echo "  snapshot's own \`walk_ns\` (guest CLOCK_MONOTONIC), and VMAs / the"
		echo "  reader's open + read time;"
		echo "- mmap_lock: every census read (those 5 and the ones during the"
		echo "  mprotect loop) reports its holds: how many, how many over 1 ms and"
		echo "  10 ms, the longest, and the most VMAs looked at in one hold;"
		echo "- mprotect: the first of the 200 processes (walked by every census)"
		echo "  toggles the protection of a VMA of its own for 3 s on vCPU 0,"
		echo "  timing each call, with no census running, then for 3 s while another"
		echo "  process reads census in a loop on vCPU 1; 3 rounds. The target"
		echo "  compares worst cases: the median of the rounds' worst cases, and"
		echo "  the worst of all rounds."
		echo
		echo "Guest time under TCG is host time: a vCPU thread the host does not"
		echo "run for a while (other guests, builds) stalls whatever the guest was"
		echo "doing, a lock hold included. The no-census mprotect rounds show the"
		echo "size of those stalls on the same boot."
		echo
		for k in stock ours ours-lazy; do
			case $k in
			stock) echo "## Stock Debian kernel" ;;
			ours) echo "## Our kernel, vm.anon_vma_lazy=0" ;;
			ours-lazy) echo "## Our kernel, vm.anon_vma_lazy=1" ;;
			esac
			echo
			grep -v '^raw ' "out/vm/bench-census-$k/guest.log"
			echo
		done
	} > docs/bench-census.md
	cat docs/bench-census.md
fi

# the explanation at the top of docs/bench-upgrade.md
upgrade_head() {
	cat <<'EOF'
# An upgrade's lazy-lock hold, seen by another process

Review issue 11, item 3. In the series before the bounded-hold fix,
`anon_vma_lazy_upgrade()` takes the lazy lock of the VMA it upgrades (one
of 256 global rw_semaphores, `hash_ptr(vma, 8)`) for writing, publishes
the new anon_vma, and keeps the lock across the walk of every page table
of the VMA (`walk_page_range_vma()`, rewriting each folio's mapping):
O(RSS), no `cond_resched()`. Every rmap walk of a lazy folio of any process
whose lazy root hashes to the same bucket takes that lock for reading, and
waits. This measures the hold and that wait, before and after a fix that
holds the lock only to publish the anon_vma.

How (`scripts/bench.sh upgrade`, `scripts/guest/bench-upgrade.sh`,
`alwork upgrade S K N` in `tests/workloads/w_upgrade.c`):

- Process B, forked before anything is faulted (so no VMA of it comes from
  a fork of a lazy root), maps N = 1024 one-page anonymous VMAs, an unmapped
  page between neighbours so none merges, and writes each: N lazy roots,
  about N / 256 = 4 of them in any one bucket. Then, on vCPU 0, until the
  end, it walks their rmaps one VMA at a time, each call timed with
  `CLOCK_MONOTONIC`, in one of two ways (a run each):
  - page_idle: the bit of the page's PFN written to
    `/sys/kernel/mm/page_idle/bitmap`: `page_idle_clear_pte_refs()` runs
    the rmap walk (`rmap_walk()`, no trylock, so it waits for the lazy
    lock) that clears the young bits, the walk `folio_referenced()` does;
  - pageout: `madvise(MADV_PAGEOUT)` of the page (reclaim:
    `try_to_unmap()` walks the rmap, no trylock), then a write to it
    (swap-in from zram, not timed).

  Only the calls on B's few VMAs in the bucket of A's VMA can wait, about
  1 call in 256, so a pass over B's 1024 VMAs must fit in the upgrade for
  it to meet them: a page_idle call is a fraction of a pageout's cost,
  and one page_idle pass is shorter than the upgrade of 1 GiB; a pageout
  pass is not, and a pageout run meets the bucket in some rounds only.
- Process A, on vCPU 1, K rounds: map a fresh S MiB VMA
  (`MADV_NOHUGEPAGE`: 4 KiB PTEs, the most entries for the walk), fault
  every page in (`MADV_POPULATE_WRITE`, no trap per page under TCG) and
  write it; `mprotect(PROT_READ)` one page in its middle, timed: the
  split clones the VMA, which upgrades the lazy root and walks all S MiB;
  then spin in user space for as long as the mprotect took, 100 ms at
  least (the baseline window: both vCPUs busy, as during the upgrade, and
  no upgrade); unmap.
- A publishes its phase in shared memory; B reads it before and after each
  call. A call that overlapped the mprotect is "during", one inside the
  baseline window is "baseline". Per round and class: calls, the longest,
  a p99 (log-linear histogram, at most 12.5% high).
- Checked, or the run fails: A's VMA is `AnonVMA: lazy` before the
  mprotect and `regular` after it (smaps; `regular` both times with the
  sysctl 0: nothing to upgrade); B's pageouts reclaim (its pages are
  swapped out after a last pass) and B's and A's data survive.

How to read it:

- A's mprotect time with vm.anon_vma_lazy=1 bounds the write hold from
  above (it adds the split, the allocations, and any wait for the lock);
  with 0 it is the split alone. The difference is the upgrade.
- B's longest call during an mprotect, against its longest in a baseline
  window: with the lock held across the walk, a walk of one of B's VMAs
  in A's bucket waits for the rest of the upgrade, so the longest call
  approaches the hold. After the fix it should look like the baseline.
- Which walks wait: `folio_referenced()` itself takes the lazy lock with a
  trylock (`rwc.try_lock`): on reclaim it does not wait, it reports
  contention and reclaim keeps the folio (and MADV_PAGEOUT ignores
  references: it does not call it). The walks that wait are the ones
  without a trylock: `try_to_unmap()` (the pageout run), page_idle's
  referenced walk (the page_idle run), and the others `rmap_walk()`
  serves. So the latency cost of an upgrade falls on those, the reclaim
  cost (folios kept) on `folio_referenced()`.
- If none of B's VMAs shares the bucket of A's VMA ((255/256)^1024, about
  2%, per round; the slab may give A's VMA the same `vm_area_struct`, so
  the same bucket, every round) B never waits.
- Guest time under TCG is host time: a vCPU thread the host does not run
  stalls whatever it was doing. The baseline windows show those stalls.
- Two sizes of A's VMA, a boot each: 1 GiB, with both of B's walks, 3
  rounds; and 4 GiB (the size the review asked for), in an 8 GiB guest,
  with page_idle only and 2 rounds, to keep each boot under 10 minutes of
  TCG on a busy host. The upgrade's walk is linear in the VMA's pages.

Rerun on the fixed kernel (a tree built with `make O=AL_DEV_OBJ`, see
`scripts/kernel-env.sh dev`) to add or replace its section, keeping this
one:

    AL_BENCH_KERNEL=dev scripts/bench.sh upgrade
EOF
}

if [ "$what" = all ] || [ "$what" = upgrade ]; then
	kernel=${AL_BENCH_KERNEL:-ours}
	bvmas=1024
	case $kernel in
	ours)
		release=$ours_release
		key=$ours_key
		title="ours: the series before the bounded-hold fix"
		;;
	dev)
		env=$(scripts/kernel-env.sh dev) || exit 1
		eval "$env"
		release=$KERNEL_RELEASE
		key=$KERNEL_KEY
		title="dev: a developer's tree (AL_DEV_SRC), e.g. the series with the bounded-hold fix"
		;;
	*) echo "bench: AL_BENCH_KERNEL=$kernel: ours or dev" >&2; exit 2 ;;
	esac
	new=$(mktemp)
	{
		echo "<!-- section $kernel -->"
		echo "## $title"
		echo
		echo "Kernel $release, key $key (\`scripts/kernel-env.sh $kernel\`), measured by"
		echo "\`$( [ "$kernel" = ours ] || echo "AL_BENCH_KERNEL=$kernel ")scripts/bench.sh upgrade\` on $(date -u +%Y-%m-%d): QEMU TCG guests,"
		echo "2 vCPUs, vm.anon_vma_lazy 0 then 1 in one boot per VMA size."
		echo
	} > "$new"
	# S MiB, K rounds, B's walks, guest GiB: 1 GiB both ways; 4 GiB (the
	# size the review asked for, an 8 GiB guest) with page_idle only, to
	# keep the boot under 10 minutes
	for run in "1024 3 idle,pageout 4" "4096 2 idle 8"; do
		read -r mib rounds hows mem <<< "$run"
		name=bench-upgrade-$kernel-$mib
		load0=$(cut -d' ' -f1-3 /proc/loadavg)
		guest "$name" "$kernel" --mem-gb "$mem" --timeout 900 \
			-- bash scripts/guest/bench-upgrade.sh "$mib" "$rounds" $bvmas "${hows//,/ }"
		{
			echo "### A's VMA: $mib MiB"
			echo
			echo "$mem GiB guest, \`alwork upgrade $mib $rounds $bvmas ${hows//,/|}\`,"
			echo "$(awk '$1 == "seconds" { print $2 }' "out/vm/$name/verdict") s. Host load (1, 5, 15 min, $(nproc) host CPUs) before: $load0;"
			echo "after: $(cut -d' ' -f1-3 /proc/loadavg)."
			echo
			grep -v '^raw ' "out/vm/$name/guest.log" | sed 's/^### /#### /'
		} >> "$new"
	done
	echo "<!-- end $kernel -->" >> "$new"
	# the other kernels' sections, as the last runs wrote them
	doc=docs/bench-upgrade.md
	others=$(mktemp)
	if [ -f $doc ]; then
		awk -v k="$kernel" '
			/^<!-- section / { name = $3; keep = (name != k) }
			keep { print }
			/^<!-- end / { keep = 0 }' $doc > "$others"
	fi
	{
		upgrade_head
		echo
		# ours (before) first, then dev (after)
		if [ "$kernel" = ours ]; then cat "$new"; echo; cat "$others"; else cat "$others"; echo; cat "$new"; fi
	} | cat -s > $doc
	rm -f "$new" "$others"
	cat $doc
fi

if [ "$what" = all ] || [ "$what" = cost ]; then
	kernel=${AL_BENCH_KERNEL:-ours}
	case $kernel in
	ours)
		release=$ours_release
		key=$ours_key
		;;
	dev)
		env=$(scripts/kernel-env.sh dev) || exit 1
		eval "$env"
		release=$KERNEL_RELEASE
		key=$KERNEL_KEY
		;;
	*) echo "bench: AL_BENCH_KERNEL=$kernel: ours or dev" >&2; exit 2 ;;
	esac
	read -r cn cp creps <<< "${AL_BENCH_COST:-1000 512 21}"
	name=bench-cost-$kernel
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	guest "$name" "$kernel" --append slab_nomerge \
		-- bash scripts/guest/bench-cost.sh "$cn" "$cp" "$creps"
	{
		echo "# What ANON_VMA_LAZY costs in time, next to the slab it saves"
		echo
		echo "Measured by \`$( [ "$kernel" = ours ] || echo "AL_BENCH_KERNEL=$kernel ")scripts/bench.sh cost\` on $(date -u +%Y-%m-%d), kernel $release"
		echo "(key $key, \`scripts/kernel-env.sh $kernel\`), QEMU TCG guest, 2 vCPUs, 2 GiB,"
		echo "slab_nomerge, one boot, $(awk '$1 == "seconds" { print $2 }' "out/vm/$name/verdict") s. Host load (1, 5, 15 min, $(nproc) host CPUs)"
		echo "before: $load0; after: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		echo "\`scripts/guest/bench-cost.sh $cn $cp $creps\` runs \`alwork costbench $cn $cp\`"
		echo "(\`tests/workloads/w_costbench.c\`) $creps times with vm.anon_vma_lazy=0 and"
		echo "$creps times with 1, alternating (0 1, 1 0, 0 1, ...; one run of each first,"
		echo "not counted), and gives the median of each value. One run, one process"
		echo "pinned to vCPU 0, each part timed with \`CLOCK_MONOTONIC\`:"
		echo
		echo "- fault: the first write to each of $cn fresh one-page anonymous VMAs"
		echo "  (an unmapped page between neighbours: none merges or shares an"
		echo "  anon_vma). Lazy 0: an anon_vma and an anon_vma_chain each; lazy 1:"
		echo "  a lazy root each, no allocation."
		echo "- munmap, never forked: $cn more such VMAs faulted, then unmapped one"
		echo "  by one before the process has forked (lazy 1: lazy roots torn down)."
		echo "- first fork: fork() + the child's \`_exit(0)\` + \`waitpid()\` while"
		echo "  holding the first $cn faulted VMAs; lazy 1: the fork upgrades every"
		echo "  lazy root (an anon_vma and a chain for the parent's VMA, its page"
		echo "  table walked to rewrite the folio's mapping) before copying it."
		echo "- second fork: the same again, nothing left to upgrade."
		echo "- munmap after the forks: those $cn VMAs unmapped one by one (regular"
		echo "  anon_vmas either way)."
		echo "- MADV_PAGEOUT: $cp one-page VMAs side by side, protections RW and RWX"
		echo "  in turn (none mergeable), made after the forks (lazy 1: lazy roots);"
		echo "  4 rounds of writing every page (first fault, then swap-in from zram)"
		echo "  and one \`madvise(MADV_PAGEOUT)\` over all $cp, timed: one rmap walk a"
		echo "  page, of a lazy folio (lazy 1) or through its anon_vma (lazy 0)."
		echo "- slab: active objects of the anon_vma and anon_vma_chain caches in"
		echo "  \`/proc/slabinfo\` (each cache shrunk first through"
		echo "  \`/sys/kernel/slab/CACHE/shrink\`, so that the free objects of per-CPU"
		echo "  slabs are not counted as active), before the first $cn VMAs are"
		echo "  faulted, after, and after the first fork (its child gone): per VMA,"
		echo "  (after - before) / $cn. alwork's own few lazy roots, upgraded by the"
		echo "  fork too, show in the after-fork row."
		echo
		echo "Guest time under TCG is host time: read each ratio against the spread"
		echo "of its row's runs below (TCG follows the host's load). Interference"
		echo "only adds time, and a row's runs are often bimodal, so the fastest run"
		echo "of each mode is the steadier comparison; the median includes the noise."
		echo
		grep -v '^runs ' "out/vm/$name/guest.log"
		echo
		echo "Each run's values, in run order (ns per operation; objects and bytes"
		echo "per VMA):"
		echo
		echo '```'
		grep '^runs ' "out/vm/$name/guest.log"
		echo '```'
	} | cat -s > docs/bench-cost.md
	cat docs/bench-cost.md
fi

if [ "$what" = all ] || [ "$what" = top ]; then
	scripts/build-module.sh ours > /dev/null
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	guest bench-top ours -- bash scripts/guest/bench-top.sh
	{
		echo "# What anonlazy-top costs to run"
		echo
		echo "Measured by \`make bench\` (\`scripts/bench.sh top\`) on $(date -u +%Y-%m-%d), kernel"
		echo "$ours_release (key $ours_key), QEMU TCG guest, 2 vCPUs, 2 GiB, one boot,"
		echo "$(awk '$1 == "seconds" { print $2 }' out/vm/bench-top/verdict) s. Host load (1, 5, 15 min, $(nproc) host CPUs) before: $load0;"
		echo "after: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		echo "Issue 13: reading is cheap. Target: at a 1 s interval anonlazy-top"
		echo "uses under 1% of a core with 1,000 processes, and reads the census at"
		echo "most once a frame. \`scripts/guest/bench-top.sh\` loads anonlazy.ko,"
		echo "starts 1000 processes that sleep (20 \`alwork hold 10 49\`: each parent"
		echo "faults 10 one-page anonymous VMAs and forks 49 children that keep a"
		echo "copy), waits until all of them exist, then runs anonlazy-top for 30"
		echo "frames 1 s apart, as text (\`-C\`) and then with \`--json\`, its output to"
		echo "a file. Wall and CPU time are the run's own (bash's \`time\`: the"
		echo "child's rusage, from its start to its exit). The system time includes"
		echo "the census walks: the census is taken in the reader's \`open()\` of the"
		echo "\`census\` file, a walk of every process's VMAs. Census snapshots: the"
		echo "census file's \`generation\` (one per snapshot taken, whoever opened it)"
		echo "read before and after the run, minus the after read's own snapshot; one"
		echo "a frame means \`processes\`, read right after \`census\`, reused that"
		echo "snapshot. The last column says whether both targets were met. Under"
		echo "TCG every instruction is emulated and guest time is host time: a"
		echo "native machine spends less CPU on the same frames, and a busy host"
		echo "stretches both the wall and the CPU time of a run."
		echo
		cat out/vm/bench-top/guest.log
	} | cat -s > docs/bench-top.md
	cat docs/bench-top.md
fi

if [ "$what" = all ] || [ "$what" = simreal ]; then
	guest bench-simreal-0 ours --mem-gb 4 -- bash scripts/guest/bench-simreal.sh
	guest bench-simreal-1 ours --mem-gb 4 --append sysctl.vm.anon_vma_lazy=1 \
		-- bash scripts/guest/bench-simreal.sh
	g0=out/vm/bench-simreal-0/guest.log
	g1=out/vm/bench-simreal-1/guest.log
	v() { awk -v k="simreal.$2" '$1 == k { print $2 }' "$1"; }
	for g in $g0 $g1; do
		for k in rows anon_vmas chains lazy est_lazy est_parent est_saved_bytes exact_vmas \
			bound_vmas anon_vma_size anon_vma_chain_size sim_dropped; do
			[ -n "$(v $g $k)" ] || { echo "bench: $g: no simreal.$k" >&2; exit 1; }
		done
	done
	avsz=$(v $g0 anon_vma_size)
	chsz=$(v $g0 anon_vma_chain_size)
	real_av=$(( $(v $g0 anon_vmas) - $(v $g1 anon_vmas) ))
	real_ch=$(( $(v $g0 chains) - $(v $g1 chains) ))
	real_b=$(( real_av * avsz + real_ch * chsz ))
	est_b=$(v $g0 est_saved_bytes)
	# est_saved_bytes = anon_vmas x avsz + chains x chsz, where each would-be
	# lazy root or parent link saves one chain entry: both parts, exactly.
	est_ch=$(( $(v $g0 est_lazy) + $(v $g0 est_parent) ))
	est_av=$(( (est_b - est_ch * chsz) / avsz ))
	pct() { awk -v e="$1" -v r="$2" 'BEGIN { if (r) printf "%+.1f%%", 100 * (e - r) / r; else print "-" }'; }
	within() { awk -v e="$1" -v r="$2" 'BEGIN { d = e - r; if (d < 0) d = -d; print (r && d <= 0.05 * r) ? "met" : "NOT met" }'; }
	{
		echo "# The estimate against the real saving, on real programs"
		echo
		echo "Measured by \`make bench\` (\`scripts/bench.sh simreal\`) on $(date -u +%Y-%m-%d),"
		echo "kernel $ours_release (key $ours_key), QEMU TCG guests, 2 vCPUs, 4 GiB,"
		echo "two boots: vm.anon_vma_lazy 0, then 1. Host load (1, 5, 15 min):"
		echo "$(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		echo "Issue 16: on the same workload, the census's estimate taken with the"
		echo "sysctl 0 must be within 5% of what the kernel saves with it 1, for the"
		echo "processes started after the module was loaded."
		echo "\`scripts/guest/bench-simreal.sh\` loads the module, then starts Debian's"
		echo "own programs and keeps them alive: python3 multiprocessing.Pool(4)"
		echo "after 10000 tasks, bash with four subshells (each ran seq | sort |"
		echo "tail), perl with three forked children that filled arrays, python3"
		echo "http.server after one request, awk holding a 200000-entry array while"
		echo "its system() child sleeps, a shell whose seq | sort | sort has ended;"
		echo "ASLR off. One census then: the processes rows of every process started"
		echo "after the load, summed. The real saving is the difference between the"
		echo "two boots' sums (anon_vmas, chain entries, and their slab bytes at the"
		echo "census's own object sizes); the estimate is the 0 boot's est_lazy and"
		echo "est_saved_bytes, of which exact_vmas are the VMAs the simulation"
		echo "followed from birth and bound_vmas the rest."
		echo
		echo "| | lazy 0 | lazy 1 |"
		echo "|---|---|---|"
		for k in rows anon_vmas chains lazy est_lazy est_saved_bytes exact_vmas bound_vmas sim_dropped; do
			echo "| $k | $(v $g0 $k) | $(v $g1 $k) |"
		done
		echo
		echo "| measure | estimate (lazy 0) | real (lazy 0 - lazy 1) | error | within 5% |"
		echo "|---|---|---|---|---|"
		echo "| lazy roots: est_lazy vs lazy (1) | $(v $g0 est_lazy) | $(v $g1 lazy) | $(pct "$(v $g0 est_lazy)" "$(v $g1 lazy)") | $(within "$(v $g0 est_lazy)" "$(v $g1 lazy)") |"
		echo "| anon_vmas saved | $est_av | $real_av | $(pct "$est_av" "$real_av") | $(within "$est_av" "$real_av") |"
		echo "| chain entries saved | $est_ch | $real_ch | $(pct "$est_ch" "$real_ch") | $(within "$est_ch" "$real_ch") |"
		echo "| slab bytes saved | $est_b | $real_b ($real_av anon_vmas x $avsz + $real_ch chains x $chsz) | $(pct "$est_b" "$real_b") | $(within "$est_b" "$real_b") |"
		for k in lazy_roots:lazy_roots saved_anon_vmas:anon_vmas saved_chains:chain_entries saved_bytes:slab_bytes; do
			bpf_e=$(v $g0 bpf.est_exact_${k%:*})
			case ${k%:*} in
			lazy_roots) bpf_r=$(v $g1 lazy) ;;
			saved_anon_vmas) bpf_r=$real_av ;;
			saved_chains) bpf_r=$real_ch ;;
			saved_bytes) bpf_r=$real_b ;;
			esac
			echo "| anonlazy-bpf, exact part: $(echo ${k#*:} | tr _ " ") (est_exact_${k%:*}) | ${bpf_e:-missing} | $bpf_r | $(pct "${bpf_e:-0}" "$bpf_r") | $([ -n "$bpf_e" ] && within "$bpf_e" "$bpf_r" || echo "NOT met") |"
		done
		echo
		echo "The anonlazy-bpf rows are its census (\`-s census\`, system-wide),"
		echo "taken as it stopped, right after the module's: its exact part covers"
		echo "the VMAs born since it attached (right after the module's load), so"
		echo "the same programs' VMAs, and its own few made after its attach."
		echo "Its structural bound ($(v $g0 bpf.est_bound_lazy_roots) lazy roots, $(v $g0 bpf.est_bound_parent_links) parent links) is the older processes'."
		echo
		echo "By program (rows, anon_vmas, chains, lazy, est_lazy, est_saved_bytes):"
		echo
		echo "| comm | lazy 0 | lazy 1 |"
		echo "|---|---|---|"
		join -a1 -a2 -e- -o 0,1.2,2.2 \
			<(sed -n 's/^simreal\.comm \([^ ]*\) \(.*\)/\1 \2/p' $g0 | tr ' ' ',' | sed 's/,/ /' | sort) \
			<(sed -n 's/^simreal\.comm \([^ ]*\) \(.*\)/\1 \2/p' $g1 | tr ' ' ',' | sed 's/,/ /' | sort) |
			awk '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' | tr ',' ' '
		echo
		echo "Before patch 0010 (the upgrade shares a compatible neighbour's"
		echo "anon_vma as the eager first fault does) the same bench measured 52"
		echo "anon_vmas saved against 63 estimated (bytes +11.5%): the upgrade"
		echo "allocated an anon_vma of its own where the sysctl-0 world shared one"
		echo "(bash had one anon_vma more with the sysctl 1). The estimate follows"
		echo "the eager kernel; the kernel now does what it estimates."
	} > docs/bench-simreal.md
	cat docs/bench-simreal.md
fi

# the figures of docs/ (make plots)
scripts/plots.sh
