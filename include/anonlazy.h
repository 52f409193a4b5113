/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy: the one header shared by the kernel module, the BPF programs
 * and userspace. Counter names and order, the ANON_VMA_LAZY tag values and
 * the debugfs file formats live here and nowhere else.
 *
 * No includes: the includer brings its own integer types (linux/types.h,
 * vmlinux.h or stdint.h).
 */
#ifndef ANONLAZY_H
#define ANONLAZY_H

/*
 * Tags in the low bits of vma->anon_vma on a kernel with ANON_VMA_LAZY.
 * A VMA is 8-byte aligned, so bits 0..2 are free.
 *   0                     regular anon_vma (or NULL)
 *   ANONLAZY_TREE_VMA     lazy root: the value is the VMA itself | 1
 *   ANONLAZY_TREE_PARENT  parent-linked child: the parent VMA | 2
 */
#define ANONLAZY_TREE_MASK	0x3UL
#define ANONLAZY_TREE_VMA	0x1UL
#define ANONLAZY_TREE_PARENT	0x2UL

/*
 * Tags in the low bits of folio->mapping. Linux 6.12 uses 0x1 (anon),
 * 0x2 (non-LRU movable) and 0x3 (KSM); the seed series' lazy tag 0x2 would
 * be read as "movable" there. Lazy folios instead set bit 2 on top of the
 * anon bit: mapping = vma | 0x5. Every anon_vma, KSM stable node and
 * address_space is at least 8-byte aligned, so bit 2 is otherwise clear.
 */
#define ANONLAZY_MAPPING_MASK		0x7UL
#define ANONLAZY_MAPPING_FLAGS		0x3UL
#define ANONLAZY_MAPPING_ANON		0x1UL
#define ANONLAZY_MAPPING_MOVABLE	0x2UL
#define ANONLAZY_MAPPING_KSM		0x3UL
#define ANONLAZY_MAPPING_LAZY_BIT	0x4UL
#define ANONLAZY_MAPPING_LAZY		0x5UL

/*
 * Why a lazy root was upgraded to a regular anon_vma: the second argument
 * of anon_vma_lazy_upgrade(vma, cause) on an ANON_VMA_LAZY kernel (enum
 * anon_vma_lazy_cause in the patched mm/internal.h, same values).
 */
enum anonlazy_upgrade_cause {
	ANONLAZY_UPGRADE_OTHER,		/* migration, mm_take_all_locks() */
	ANONLAZY_UPGRADE_FORK,		/* anon_vma_fork() */
	ANONLAZY_UPGRADE_CLONE,		/* split, merge: anon_vma_clone() */
	ANONLAZY_UPGRADE_MREMAP,	/* copy_vma() */
	ANONLAZY_UPGRADE_KSM,		/* KSM merging */
	ANONLAZY_NR_UPGRADE_CAUSES
};

/*
 * /proc/PID/smaps on an ANON_VMA_LAZY kernel: one line per VMA,
 * "AnonVMA:        <state>", state one of the strings below.
 */
#define ANONLAZY_SMAPS_KEY		"AnonVMA:"
#define ANONLAZY_STATE_NONE		"none"
#define ANONLAZY_STATE_REGULAR		"regular"
#define ANONLAZY_STATE_LAZY		"lazy"
#define ANONLAZY_STATE_PARENT		"parent"

/* The kernel's run-time switch: /proc/sys/vm/anon_vma_lazy. */
#define ANONLAZY_SYSCTL_PATH	"/proc/sys/vm/anon_vma_lazy"

/* debugfs: /sys/kernel/debug/anon_vma_lazy/{stats,probes,reset} */
#define ANONLAZY_DEBUGFS_DIR	"anon_vma_lazy"
#define ANONLAZY_STATS_FILE	"stats"
#define ANONLAZY_PROBES_FILE	"probes"
#define ANONLAZY_RESET_FILE	"reset"
#define ANONLAZY_DEBUGFS_PATH	"/sys/kernel/debug/" ANONLAZY_DEBUGFS_DIR

/*
 * stats: one line per counter, in the order below:  "<name> <u64>\n".
 *   Then, only when some counters are not counted, one more line naming
 *   them, in the same order, separated by one space:
 *     "disabled <name> <name>...\n"
 *   A counter is disabled when none of the probes that feed it is attached:
 *   their hook group is off (hooks=) or they failed to attach (probes says
 *   why). A disabled counter keeps its "<name> <u64>" line, whose value
 *   (0) means nothing. "disabled" is no counter's name: a reader that skips
 *   lines whose first word it does not know skips this one.
 * probes: one line per probe, in registration order:
 *   "<symbol> <kind> attached missed=<n>\n"
 *   "<symbol> <kind> failed error=<-errno> <hint>\n"
 *   "<symbol> <kind> off group=<group>\n"
 *   kind: kprobe, kretprobe, or tracepoint. Two probes use a tracepoint
 *   where the kernel has it (an ANON_VMA_LAZY kernel with patch 0009):
 *   the line then names the tracepoint, anon_vma_lazy_root instead of the
 *   kretprobe on anon_vma_lazy_make_root, and anon_vma_lazy_upgrade
 *   (tracepoint) instead of the kretprobe of the same name.
 *   missed: the hits this probe's handlers did not see since the module
 *   loaded (not reset): the kprobe's nmissed (a hit while another kprobe
 *   handler ran on that CPU) plus, for a kretprobe, the kretprobe's
 *   nmissed (no free instance for one more call in flight: maxactive), as
 *   the kernel's own kprobe events count them; 0 for a tracepoint, which
 *   calls its probes every time. The stats counter "missed" is their sum
 *   over every probe, and reset zeroes it as any other.
 * reset: writing "1" makes every counter read 0 again; anything else is
 *   refused with -EINVAL.
 */
#define ANONLAZY_STATS_FMT	"%s %llu\n"
#define ANONLAZY_STATS_DISABLED	"disabled"
#define ANONLAZY_PROBE_MISSED	"missed="
#define ANONLAZY_PROBE_ATTACHED	"attached"
#define ANONLAZY_PROBE_FAILED	"failed"
#define ANONLAZY_PROBE_OFF	"off"
/* The <hint> of a failed probe, by the error its registration returned. */
#define ANONLAZY_HINT_ENOENT	"not in kallsyms: inlined, renamed or absent on this kernel"
#define ANONLAZY_HINT_EINVAL	"not probeable: blacklisted, notrace or not a function entry"
#define ANONLAZY_HINT_EBUSY	"already in use by another tracer"

/*
 * Hook groups: the module parameter hooks= names the groups whose probes
 * to attach, comma-separated ("all", the default, is every group). A group
 * left out costs nothing on its path; its counters are listed in the
 * stats file's "disabled" line, and each of its probes is shown in probes
 * as
 *   "<symbol> <kind> off group=<group>\n".
 * An unknown name makes the load fail with -EINVAL.
 */
enum anonlazy_hook_group {
	ANONLAZY_HOOK_PREPARE,	/* __anon_vma_prepare, anon_vma_lazy_make_root:
				 * prepare_*, lazy_roots
				 */
	ANONLAZY_HOOK_FORK,	/* anon_vma_fork: fork_*, parent_links */
	ANONLAZY_HOOK_CLONE,	/* anon_vma_clone: clone_calls */
	ANONLAZY_HOOK_UNLINK,	/* unlink_anon_vmas: unlink_* */
	ANONLAZY_HOOK_WALK,	/* rmap_walk_{anon,file,ksm}: walk_*, latency */
	ANONLAZY_HOOK_UPGRADE,	/* anon_vma_lazy_upgrade: upgrades* */
	ANONLAZY_NR_HOOK_GROUPS
};

static const char * const anonlazy_hook_names[ANONLAZY_NR_HOOK_GROUPS] = {
	[ANONLAZY_HOOK_PREPARE] = "prepare",
	[ANONLAZY_HOOK_FORK] = "fork",
	[ANONLAZY_HOOK_CLONE] = "clone",
	[ANONLAZY_HOOK_UNLINK] = "unlink",
	[ANONLAZY_HOOK_WALK] = "walk",
	[ANONLAZY_HOOK_UPGRADE] = "upgrade",
};

#define ANONLAZY_HOOKS_ALL	"all"

/*
 * The counters. Append only: readers match by name, the module prints them
 * in this order. Each has a name (the stats file's first column) and a
 * one-line description; designated initialisers keep the tables in step
 * with the enum, and the host tests check that no slot is empty.
 */
enum anonlazy_counter {
	ANONLAZY_PREPARE_CALLS,
	ANONLAZY_PREPARE_ATTACHED,
	ANONLAZY_FORK_CALLS,
	ANONLAZY_CLONE_CALLS,
	ANONLAZY_UNLINK_CALLS,
	ANONLAZY_WALK_ANON,
	ANONLAZY_WALK_KSM,
	ANONLAZY_WALK_FILE,
	ANONLAZY_LAZY_ROOTS,
	ANONLAZY_PARENT_LINKS,
	ANONLAZY_UPGRADES,
	ANONLAZY_WALK_LAZY,
	ANONLAZY_UPGRADES_FORK,
	ANONLAZY_UPGRADES_CLONE,
	ANONLAZY_UPGRADES_MREMAP,
	ANONLAZY_UPGRADES_KSM,
	ANONLAZY_UPGRADES_OTHER,
	ANONLAZY_FORK_ATTACHED,
	ANONLAZY_UNLINK_LAZY,
	ANONLAZY_UNLINK_REGULAR,
	ANONLAZY_WALK_ANON_LOCKED,
	ANONLAZY_MISSED,
	ANONLAZY_NR_COUNTERS
};

static const char * const anonlazy_counter_names[ANONLAZY_NR_COUNTERS] = {
	[ANONLAZY_PREPARE_CALLS] = "prepare_calls",
	[ANONLAZY_PREPARE_ATTACHED] = "prepare_attached",
	[ANONLAZY_FORK_CALLS] = "fork_calls",
	[ANONLAZY_CLONE_CALLS] = "clone_calls",
	[ANONLAZY_UNLINK_CALLS] = "unlink_calls",
	[ANONLAZY_WALK_ANON] = "walk_anon",
	[ANONLAZY_WALK_KSM] = "walk_ksm",
	[ANONLAZY_WALK_FILE] = "walk_file",
	[ANONLAZY_LAZY_ROOTS] = "lazy_roots",
	[ANONLAZY_PARENT_LINKS] = "parent_links",
	[ANONLAZY_UPGRADES] = "upgrades",
	[ANONLAZY_WALK_LAZY] = "walk_lazy",
	[ANONLAZY_UPGRADES_FORK] = "upgrades_fork",
	[ANONLAZY_UPGRADES_CLONE] = "upgrades_clone",
	[ANONLAZY_UPGRADES_MREMAP] = "upgrades_mremap",
	[ANONLAZY_UPGRADES_KSM] = "upgrades_ksm",
	[ANONLAZY_UPGRADES_OTHER] = "upgrades_other",
	[ANONLAZY_FORK_ATTACHED] = "fork_attached",
	[ANONLAZY_UNLINK_LAZY] = "unlink_lazy",
	[ANONLAZY_UNLINK_REGULAR] = "unlink_regular",
	[ANONLAZY_WALK_ANON_LOCKED] = "walk_anon_locked",
	[ANONLAZY_MISSED] = "missed",
};

static const char * const anonlazy_counter_descs[ANONLAZY_NR_COUNTERS] = {
	[ANONLAZY_PREPARE_CALLS] = "__anon_vma_prepare() calls (first anon fault of a VMA)",
	[ANONLAZY_PREPARE_ATTACHED] = "prepare calls that returned with an anon_vma attached",
	[ANONLAZY_FORK_CALLS] = "anon_vma_fork() calls (one per VMA copied by fork)",
	[ANONLAZY_CLONE_CALLS] = "anon_vma_clone() calls (split, merge, copy, mremap)",
	[ANONLAZY_UNLINK_CALLS] = "unlink_anon_vmas() calls (teardown of a VMA)",
	[ANONLAZY_WALK_ANON] = "rmap walks of regular anon folios",
	[ANONLAZY_WALK_KSM] = "rmap walks of KSM folios",
	[ANONLAZY_WALK_FILE] = "rmap walks of file-backed folios",
	[ANONLAZY_LAZY_ROOTS] = "VMAs made lazy roots (ANON_VMA_LAZY)",
	[ANONLAZY_PARENT_LINKS] = "child VMAs made parent-linked (ANON_VMA_LAZY)",
	[ANONLAZY_UPGRADES] = "lazy roots upgraded to a regular anon_vma",
	[ANONLAZY_WALK_LAZY] = "rmap walks of lazy folios",
	[ANONLAZY_UPGRADES_FORK] = "upgrades by anon_vma_fork() (fork)",
	[ANONLAZY_UPGRADES_CLONE] = "upgrades by anon_vma_clone() (split, merge)",
	[ANONLAZY_UPGRADES_MREMAP] = "upgrades by copy_vma() (mremap move)",
	[ANONLAZY_UPGRADES_KSM] = "upgrades by KSM merging",
	[ANONLAZY_UPGRADES_OTHER] = "upgrades by anything else (migration, mm_take_all_locks)",
	[ANONLAZY_FORK_ATTACHED] = "anon_vma_fork() calls that allocated the child an anon_vma",
	[ANONLAZY_UNLINK_LAZY] = "unlink_anon_vmas() of a lazy root",
	[ANONLAZY_UNLINK_REGULAR] = "unlink_anon_vmas() of a VMA with a regular anon_vma",
	[ANONLAZY_WALK_ANON_LOCKED] = "regular anon rmap walks that took the anon_vma lock",
	[ANONLAZY_MISSED] = "probe hits no handler saw (every probe's missed=, summed)",
};

/*
 * The hook group whose probes feed each counter (the groups of hooks=, and
 * how readers group the stats); ANONLAZY_NR_HOOK_GROUPS for a counter no
 * group owns (missed). The probe tables of the module (module/probes.c)
 * and the BPF loader (userspace/bpf_pick.c) give each probe a group and
 * the counters it feeds: those are counters of that group.
 */
#define ANONLAZY_GROUP_NONE	ANONLAZY_NR_HOOK_GROUPS
static const unsigned char anonlazy_counter_group[ANONLAZY_NR_COUNTERS] = {
	[ANONLAZY_PREPARE_CALLS] = ANONLAZY_HOOK_PREPARE,
	[ANONLAZY_PREPARE_ATTACHED] = ANONLAZY_HOOK_PREPARE,
	[ANONLAZY_LAZY_ROOTS] = ANONLAZY_HOOK_PREPARE,
	[ANONLAZY_FORK_CALLS] = ANONLAZY_HOOK_FORK,
	[ANONLAZY_PARENT_LINKS] = ANONLAZY_HOOK_FORK,
	[ANONLAZY_FORK_ATTACHED] = ANONLAZY_HOOK_FORK,
	[ANONLAZY_CLONE_CALLS] = ANONLAZY_HOOK_CLONE,
	[ANONLAZY_UNLINK_CALLS] = ANONLAZY_HOOK_UNLINK,
	[ANONLAZY_UNLINK_LAZY] = ANONLAZY_HOOK_UNLINK,
	[ANONLAZY_UNLINK_REGULAR] = ANONLAZY_HOOK_UNLINK,
	[ANONLAZY_WALK_ANON] = ANONLAZY_HOOK_WALK,
	[ANONLAZY_WALK_KSM] = ANONLAZY_HOOK_WALK,
	[ANONLAZY_WALK_FILE] = ANONLAZY_HOOK_WALK,
	[ANONLAZY_WALK_LAZY] = ANONLAZY_HOOK_WALK,
	[ANONLAZY_WALK_ANON_LOCKED] = ANONLAZY_HOOK_WALK,
	[ANONLAZY_UPGRADES] = ANONLAZY_HOOK_UPGRADE,
	[ANONLAZY_UPGRADES_FORK] = ANONLAZY_HOOK_UPGRADE,
	[ANONLAZY_UPGRADES_CLONE] = ANONLAZY_HOOK_UPGRADE,
	[ANONLAZY_UPGRADES_MREMAP] = ANONLAZY_HOOK_UPGRADE,
	[ANONLAZY_UPGRADES_KSM] = ANONLAZY_HOOK_UPGRADE,
	[ANONLAZY_UPGRADES_OTHER] = ANONLAZY_HOOK_UPGRADE,
	[ANONLAZY_MISSED] = ANONLAZY_GROUP_NONE,
};

/* The counter an upgrade of the given cause adds to (besides "upgrades"). */
static inline int anonlazy_upgrade_counter(unsigned long cause)
{
	switch (cause) {
	case ANONLAZY_UPGRADE_FORK:
		return ANONLAZY_UPGRADES_FORK;
	case ANONLAZY_UPGRADE_CLONE:
		return ANONLAZY_UPGRADES_CLONE;
	case ANONLAZY_UPGRADE_MREMAP:
		return ANONLAZY_UPGRADES_MREMAP;
	case ANONLAZY_UPGRADE_KSM:
		return ANONLAZY_UPGRADES_KSM;
	default:
		return ANONLAZY_UPGRADES_OTHER;
	}
}

/*
 * The kinds of folio an rmap walk is timed under (the latency file), in
 * the order of the walk counters they match.
 */
enum anonlazy_walk_kind {
	ANONLAZY_KIND_ANON,
	ANONLAZY_KIND_KSM,
	ANONLAZY_KIND_FILE,
	ANONLAZY_KIND_LAZY,
	ANONLAZY_NR_WALK_KINDS
};

static const char * const anonlazy_walk_kind_names[ANONLAZY_NR_WALK_KINDS] = {
	[ANONLAZY_KIND_ANON] = "anon",
	[ANONLAZY_KIND_KSM] = "ksm",
	[ANONLAZY_KIND_FILE] = "file",
	[ANONLAZY_KIND_LAZY] = "lazy",
};

static const int anonlazy_walk_kind_counter[ANONLAZY_NR_WALK_KINDS] = {
	[ANONLAZY_KIND_ANON] = ANONLAZY_WALK_ANON,
	[ANONLAZY_KIND_KSM] = ANONLAZY_WALK_KSM,
	[ANONLAZY_KIND_FILE] = ANONLAZY_WALK_FILE,
	[ANONLAZY_KIND_LAZY] = ANONLAZY_WALK_LAZY,
};

/*
 * The kind of a folio, from folio->mapping: the one decoder of the tags
 * above (the module's rmap walk probe calls it, tests/host checks it); its
 * counter is anonlazy_walk_kind_counter[kind].
 */
static inline int anonlazy_walk_kind(unsigned long mapping)
{
	if ((mapping & ANONLAZY_MAPPING_MASK) == ANONLAZY_MAPPING_LAZY)
		return ANONLAZY_KIND_LAZY;
	if ((mapping & ANONLAZY_MAPPING_FLAGS) == ANONLAZY_MAPPING_KSM)
		return ANONLAZY_KIND_KSM;
	if (mapping & ANONLAZY_MAPPING_ANON)
		return ANONLAZY_KIND_ANON;
	return ANONLAZY_KIND_FILE;
}

/*
 * latency: rmap walk durations (entry to return of rmap_walk_anon,
 * rmap_walk_ksm, rmap_walk_file) as log2 histograms in nanoseconds, one per
 * walk kind. Bucket 0 holds 0..1 ns, bucket b >= 1 holds 2^b .. 2^(b+1)-1.
 * The file is a header line, then one row per non-empty bucket, kinds in
 * the order above, buckets ascending:
 *   "kind lo_ns hi_ns count\n"
 *   "<kind> <lo_ns> <hi_ns> <count>\n"
 * Writing "1" to reset empties the histograms too.
 */
#define ANONLAZY_LATENCY_FILE		"latency"
#define ANONLAZY_LATENCY_HEADER		"kind lo_ns hi_ns count\n"
#define ANONLAZY_LATENCY_FMT		"%s %llu %llu %llu\n"
#define ANONLAZY_LATENCY_BUCKETS	64

/*
 * A VMA's anon_vma state, decoded from vma->anon_vma (the tracepoints'
 * state fields); the names are the smaps strings above.
 */
enum anonlazy_state {
	ANONLAZY_ST_NONE,
	ANONLAZY_ST_REGULAR,
	ANONLAZY_ST_LAZY,
	ANONLAZY_ST_PARENT,
	ANONLAZY_NR_STATES
};

static inline int anonlazy_tree_state(unsigned long anon_vma)
{
	if (!anon_vma)
		return ANONLAZY_ST_NONE;
	switch (anon_vma & ANONLAZY_TREE_MASK) {
	case ANONLAZY_TREE_VMA:
		return ANONLAZY_ST_LAZY;
	case ANONLAZY_TREE_PARENT:
		return ANONLAZY_ST_PARENT;
	default:
		return ANONLAZY_ST_REGULAR;
	}
}

/*
 * Trace events, system "anon_vma_lazy" (defined by the module):
 *   lazy_root    a VMA's first anon fault made it a lazy root
 *   parent_link  fork made a child VMA parent-linked (part 2 kernels)
 *   upgrade      a lazy root became regular, with its cause
 *   rmap_walk    one rmap walk: folio kind and duration in ns
 * Each carries, in this order, pid (the thread's id, task->pid), tgid (its
 * process's id, task->tgid: what userspace calls the pid) and comm of the
 * task; the first three the VMA's start and end and its state before and
 * after. Printed as "pid=<pid> tgid=<tgid> comm=<comm> ...".
 */
#define ANONLAZY_TRACE_SYSTEM	"anon_vma_lazy"

/*
 * census and processes: one line of counts per mm (threads and CLONE_VM
 * sharers count once), from a snapshot of every process's mm.
 *
 * Snapshots. Both files are printed from the module's latest snapshot,
 * taken by walking every user process's mm; only one is taken at a time.
 * Each carries a generation (1 for the first snapshot since the module
 * loaded, +1 for each new one) and time_ns, CLOCK_MONOTONIC when it
 * started. When a snapshot is taken:
 *   - opening census takes a new one, unless one started after this
 *     open began (another reader's, taken while this open waited for it):
 *     that one is as fresh, and is used;
 *   - opening processes uses the latest snapshot if it started after this
 *     open began, or was complete at most ANONLAZY_CENSUS_REUSE_NS before
 *     this open began; else it takes a new one.
 * So "read census, then processes" gives two files of one snapshot
 * (same generation and time_ns) unless more than ANONLAZY_CENSUS_REUSE_NS
 * passed in between; a reader that needs them to agree compares the
 * generations and reads both again when they differ. The text is made at
 * open: reading an open file never changes.
 *
 * A snapshot walks one mm at a time under its mmap_lock for reading, and
 * drops the lock whenever a writer waits for it, the CPU is wanted or it
 * has held it for 1 ms, then resumes after the last VMA counted: a VMA
 * that changes while the lock is dropped is counted once, in its old or
 * its new shape. A process that exits before its mm is walked has no row
 * (exited counts them). lock_* keys describe the mmap_lock holds. Within
 * a hold the walk looks at the clock every 64 VMAs: lock_step_max_ns is
 * the longest time between two looks (64 VMAs of work, or the vCPU not
 * running: under QEMU TCG guest time is host time), and
 * lock_hold_max_busy_ns the longest hold less its longest step.
 *
 * A VMA's state is the tag of vma->anon_vma (never dereferenced):
 *   none     NULL: no anonymous folios (file mappings, unfaulted anon)
 *   regular  an anon_vma (tag 0)
 *   lazy     ANONLAZY_TREE_VMA: a lazy root
 *   parent   ANONLAZY_TREE_PARENT: a parent-linked child
 *   invalid  tag 3: never made by any kernel (counted, so a test sees it)
 * anon_vmas: distinct anon_vma pointers on the VMAs' anon_vma_chain lists;
 * chains: entries on those lists (each belongs to one VMA). Bytes are
 * counts times sizeof(struct anon_vma) and sizeof(struct anon_vma_chain)
 * of the running kernel (the slab may round them up).
 *
 * The estimate: what ANON_VMA_LAZY (lazy roots, part 1, and parent-linked
 * children, part 2) would save over the VMAs that are regular now. With
 * mult(av) = the number of chain entries, system-wide, that point to av (=
 * the VMAs in av's interval tree), a regular VMA whose own anon_vma is av:
 *   est lazy root:   its chain has 1 entry and mult(av) == 1. Its anon_vma
 *                    is its own root (a chain of one has no ancestor), and
 *                    no other VMA (split, merge, fork child) shares it: it
 *                    would be a lazy root, needing neither av nor the entry.
 *   est parent link: its chain has 2 or more entries (a fork child's VMA:
 *                    linked to its ancestors' anon_vmas too) and
 *                    mult(av) == 1 (no sibling half, no descendant links
 *                    to av): it would be parent-linked, needing neither
 *                    its own av nor the entry to it; the entries to the
 *                    ancestors stay.
 * Each such VMA saves one anon_vma and one chain entry. hugetlb VMAs are
 * left out (they keep the regular path in our kernel). The kernel never
 * turns a regular VMA back lazy, so on a system where sharing has ended
 * (a child exited, a split half was unmapped) the estimate is an upper
 * bound of what the design would save; on one where nothing shared has
 * ended, it is what the design gives (tests/guest/census.sh proves it).
 * KSM also upgrades a lazy root when it merges one of its pages: VMAs with
 * KSM-merged pages are counted as if it did not.
 *
 * The exact part (issue 16). From its load, the module simulates
 * ANON_VMA_LAZY's rules (part 1, lazy roots) event by event, from the
 * probes it already has, in a table keyed by the VMA (module/sim.c):
 *   __anon_vma_prepare(vma) that succeeds   vma would be a lazy root;
 *   anon_vma_clone(dst, src), src with an anon_vma (fork, split, merge,
 *     mremap: the patched kernel upgrades src there)   src and dst would
 *     be regular;
 *   unlink_anon_vmas(vma)                   vma is forgotten.
 * A regular VMA the table holds is estimated exactly ("exact"): when the
 * simulation says lazy root, its chain entries would not exist, nor would
 * an anon_vma all of whose entries are such (mult(av) entries, every one
 * of a would-be lazy root); parent links (part 2) are not simulated, so an
 * exact VMA is never one. Every other regular VMA (born before the load,
 * or not tracked because the table was full: sim_dropped) keeps the
 * structural rule above ("bound"). est_* = est_exact_* + est_bound_*, and
 * in processes est_lazy = exact_lazy + bound_lazy, est_parent =
 * bound_parent. sim_active is 1 only when the prepare, clone and unlink
 * probes are all attached (hooks=); with it 0 nothing is tracked and the
 * whole estimate is the bound. Not simulated: the upgrades by KSM,
 * device migration and mm_take_all_locks(), which call no
 * anon_vma_clone() (such a VMA stays would-be lazy for the simulation).
 *
 * Bounds: at most 65536 processes, and at most census_max_chains chain
 * entries in all (module parameter, default 4194304). An mm that does not
 * fit is left out whole: it has no processes row and adds nothing to any
 * total; left_out counts such mms and truncated reads 1.
 */
#define ANONLAZY_CENSUS_FILE	"census"
#define ANONLAZY_PROCESSES_FILE	"processes"
#define ANONLAZY_CENSUS_REUSE_NS	1000000000ULL
#define ANONLAZY_CENSUS_MAX_CHAINS_PARAM "census_max_chains"
#define ANONLAZY_SIM_MAX_VMAS_PARAM "sim_max_vmas"
#define ANONLAZY_SIM_MAX_VMAS_DEFAULT 1000000

/* census: one "<key> <u64>\n" line per key, in this order. Append only. */
enum anonlazy_census_key {
	ANONLAZY_CENSUS_PROCESSES,	/* mms walked (= processes rows) */
	ANONLAZY_CENSUS_VMAS,
	ANONLAZY_CENSUS_VMAS_NONE,
	ANONLAZY_CENSUS_VMAS_REGULAR,
	ANONLAZY_CENSUS_VMAS_LAZY,
	ANONLAZY_CENSUS_VMAS_PARENT,
	ANONLAZY_CENSUS_VMAS_INVALID,
	ANONLAZY_CENSUS_ANON_VMAS,
	ANONLAZY_CENSUS_CHAINS,
	ANONLAZY_CENSUS_ANON_VMA_SIZE,
	ANONLAZY_CENSUS_CHAIN_SIZE,
	ANONLAZY_CENSUS_ANON_VMA_BYTES,
	ANONLAZY_CENSUS_CHAIN_BYTES,
	ANONLAZY_CENSUS_EST_LAZY_ROOTS,
	ANONLAZY_CENSUS_EST_PARENT_LINKS,
	ANONLAZY_CENSUS_EST_SAVED_ANON_VMAS,
	ANONLAZY_CENSUS_EST_SAVED_CHAINS,
	ANONLAZY_CENSUS_EST_SAVED_BYTES,
	ANONLAZY_CENSUS_TRUNCATED,	/* 1: a bound was hit, counts partial */
	ANONLAZY_CENSUS_GENERATION,	/* the snapshot's generation */
	ANONLAZY_CENSUS_TIME_NS,	/* CLOCK_MONOTONIC at its start */
	ANONLAZY_CENSUS_WALK_NS,	/* how long it took */
	ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS, /* longest mmap_lock hold */
	ANONLAZY_CENSUS_LOCK_DROPS,	/* times the lock was dropped midway */
	ANONLAZY_CENSUS_LEFT_OUT,	/* mms left out by the bounds */
	ANONLAZY_CENSUS_EXITED,		/* mms gone before their walk */
	ANONLAZY_CENSUS_LOCK_HOLDS,	/* mmap_lock holds in all */
	ANONLAZY_CENSUS_LOCK_HOLDS_OVER_1MS,	/* of them, longer than 1 ms */
	ANONLAZY_CENSUS_LOCK_HOLDS_OVER_10MS,	/* and longer than 10 ms */
	ANONLAZY_CENSUS_LOCK_HOLD_MAX_VMAS,	/* most VMAs seen in one hold */
	ANONLAZY_CENSUS_LOCK_STEP_MAX_NS,	/* longest between two clock looks */
	ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS,	/* longest hold less its step */
	/* The estimate's split (below): est_* = est_exact_* + est_bound_*. */
	ANONLAZY_CENSUS_EST_EXACT_VMAS,		/* regular VMAs the sim tracks */
	ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS,	/* of them, would-be lazy roots */
	ANONLAZY_CENSUS_EST_EXACT_SAVED_ANON_VMAS,
	ANONLAZY_CENSUS_EST_EXACT_SAVED_CHAINS,
	ANONLAZY_CENSUS_EST_EXACT_SAVED_BYTES,
	ANONLAZY_CENSUS_EST_BOUND_VMAS,		/* regular VMAs it does not */
	ANONLAZY_CENSUS_EST_BOUND_LAZY_ROOTS,
	ANONLAZY_CENSUS_EST_BOUND_PARENT_LINKS,
	ANONLAZY_CENSUS_EST_BOUND_SAVED_ANON_VMAS,
	ANONLAZY_CENSUS_EST_BOUND_SAVED_CHAINS,
	ANONLAZY_CENSUS_EST_BOUND_SAVED_BYTES,
	ANONLAZY_CENSUS_SIM_ACTIVE,	/* 1: prepare, clone, unlink all hooked */
	ANONLAZY_CENSUS_SIM_TRACKED,	/* VMAs in the sim's table */
	ANONLAZY_CENSUS_SIM_TRACKED_LAZY,	/* of them, would-be lazy */
	ANONLAZY_CENSUS_SIM_DROPPED,	/* VMAs not tracked: table full */
	ANONLAZY_CENSUS_SIM_MAX_VMAS,	/* the module parameter */
	ANONLAZY_NR_CENSUS_KEYS
};

static const char * const anonlazy_census_names[ANONLAZY_NR_CENSUS_KEYS] = {
	[ANONLAZY_CENSUS_PROCESSES] = "processes",
	[ANONLAZY_CENSUS_VMAS] = "vmas",
	[ANONLAZY_CENSUS_VMAS_NONE] = "vmas_none",
	[ANONLAZY_CENSUS_VMAS_REGULAR] = "vmas_regular",
	[ANONLAZY_CENSUS_VMAS_LAZY] = "vmas_lazy",
	[ANONLAZY_CENSUS_VMAS_PARENT] = "vmas_parent",
	[ANONLAZY_CENSUS_VMAS_INVALID] = "vmas_invalid",
	[ANONLAZY_CENSUS_ANON_VMAS] = "anon_vmas",
	[ANONLAZY_CENSUS_CHAINS] = "anon_vma_chains",
	[ANONLAZY_CENSUS_ANON_VMA_SIZE] = "anon_vma_size",
	[ANONLAZY_CENSUS_CHAIN_SIZE] = "anon_vma_chain_size",
	[ANONLAZY_CENSUS_ANON_VMA_BYTES] = "anon_vma_bytes",
	[ANONLAZY_CENSUS_CHAIN_BYTES] = "anon_vma_chain_bytes",
	[ANONLAZY_CENSUS_EST_LAZY_ROOTS] = "est_lazy_roots",
	[ANONLAZY_CENSUS_EST_PARENT_LINKS] = "est_parent_links",
	[ANONLAZY_CENSUS_EST_SAVED_ANON_VMAS] = "est_saved_anon_vmas",
	[ANONLAZY_CENSUS_EST_SAVED_CHAINS] = "est_saved_chains",
	[ANONLAZY_CENSUS_EST_SAVED_BYTES] = "est_saved_bytes",
	[ANONLAZY_CENSUS_TRUNCATED] = "truncated",
	[ANONLAZY_CENSUS_GENERATION] = "generation",
	[ANONLAZY_CENSUS_TIME_NS] = "time_ns",
	[ANONLAZY_CENSUS_WALK_NS] = "walk_ns",
	[ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS] = "lock_hold_max_ns",
	[ANONLAZY_CENSUS_LOCK_DROPS] = "lock_drops",
	[ANONLAZY_CENSUS_LEFT_OUT] = "left_out",
	[ANONLAZY_CENSUS_EXITED] = "exited",
	[ANONLAZY_CENSUS_LOCK_HOLDS] = "lock_holds",
	[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_1MS] = "lock_holds_over_one_ms",
	[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_10MS] = "lock_holds_over_ten_ms",
	[ANONLAZY_CENSUS_LOCK_HOLD_MAX_VMAS] = "lock_hold_max_vmas",
	[ANONLAZY_CENSUS_LOCK_STEP_MAX_NS] = "lock_step_max_ns",
	[ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS] = "lock_hold_max_busy_ns",
	[ANONLAZY_CENSUS_EST_EXACT_VMAS] = "est_exact_vmas",
	[ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS] = "est_exact_lazy_roots",
	[ANONLAZY_CENSUS_EST_EXACT_SAVED_ANON_VMAS] = "est_exact_saved_anon_vmas",
	[ANONLAZY_CENSUS_EST_EXACT_SAVED_CHAINS] = "est_exact_saved_chains",
	[ANONLAZY_CENSUS_EST_EXACT_SAVED_BYTES] = "est_exact_saved_bytes",
	[ANONLAZY_CENSUS_EST_BOUND_VMAS] = "est_bound_vmas",
	[ANONLAZY_CENSUS_EST_BOUND_LAZY_ROOTS] = "est_bound_lazy_roots",
	[ANONLAZY_CENSUS_EST_BOUND_PARENT_LINKS] = "est_bound_parent_links",
	[ANONLAZY_CENSUS_EST_BOUND_SAVED_ANON_VMAS] = "est_bound_saved_anon_vmas",
	[ANONLAZY_CENSUS_EST_BOUND_SAVED_CHAINS] = "est_bound_saved_chains",
	[ANONLAZY_CENSUS_EST_BOUND_SAVED_BYTES] = "est_bound_saved_bytes",
	[ANONLAZY_CENSUS_SIM_ACTIVE] = "sim_active",
	[ANONLAZY_CENSUS_SIM_TRACKED] = "sim_tracked",
	[ANONLAZY_CENSUS_SIM_TRACKED_LAZY] = "sim_tracked_lazy",
	[ANONLAZY_CENSUS_SIM_DROPPED] = "sim_dropped",
	[ANONLAZY_CENSUS_SIM_MAX_VMAS] = "sim_max_vmas",
};

#define ANONLAZY_CENSUS_FMT	"%s %llu\n"

/*
 * processes: a first line naming the snapshot,
 *   "generation <u64> time_ns <u64>\n"
 * (the census file's generation and time_ns of the same snapshot), a
 * header line naming the columns, then one line per mm walked, sorted by
 * pid: the columns below as "%llu" separated by one space, then the comm,
 * last. The comm is never empty and holds no space: bytes outside
 * 0x21..0x7e are printed as '?', and an empty comm (prctl(PR_SET_NAME,
 * "")) as ANONLAZY_PROC_EMPTY_COMM. pid is the thread group id of the
 * first task found using the mm. Append only (before the comm).
 */
#define ANONLAZY_PROCESSES_SNAP_FMT	"generation %llu time_ns %llu\n"
#define ANONLAZY_PROC_EMPTY_COMM	"?"

enum anonlazy_proc_col {
	ANONLAZY_PROC_PID,
	ANONLAZY_PROC_VMAS,
	ANONLAZY_PROC_NONE,
	ANONLAZY_PROC_REGULAR,
	ANONLAZY_PROC_LAZY,
	ANONLAZY_PROC_PARENT,
	ANONLAZY_PROC_ANON_VMAS,	/* distinct within the process */
	ANONLAZY_PROC_CHAINS,
	ANONLAZY_PROC_EST_LAZY_ROOTS,
	ANONLAZY_PROC_EST_PARENT_LINKS,
	ANONLAZY_PROC_EST_SAVED_BYTES,
	ANONLAZY_PROC_EXACT_VMAS,	/* regular VMAs the sim tracks */
	ANONLAZY_PROC_EXACT_LAZY,	/* of them, would-be lazy roots */
	ANONLAZY_PROC_BOUND_VMAS,	/* regular VMAs it does not track */
	ANONLAZY_PROC_BOUND_LAZY,	/* of them, est lazy roots (bound) */
	ANONLAZY_PROC_BOUND_PARENT,	/* and est parent links (bound) */
	ANONLAZY_NR_PROC_COLS
};

static const char * const anonlazy_proc_cols[ANONLAZY_NR_PROC_COLS] = {
	[ANONLAZY_PROC_PID] = "pid",
	[ANONLAZY_PROC_VMAS] = "vmas",
	[ANONLAZY_PROC_NONE] = "none",
	[ANONLAZY_PROC_REGULAR] = "regular",
	[ANONLAZY_PROC_LAZY] = "lazy",
	[ANONLAZY_PROC_PARENT] = "parent",
	[ANONLAZY_PROC_ANON_VMAS] = "anon_vmas",
	[ANONLAZY_PROC_CHAINS] = "chains",
	[ANONLAZY_PROC_EST_LAZY_ROOTS] = "est_lazy",
	[ANONLAZY_PROC_EST_PARENT_LINKS] = "est_parent",
	[ANONLAZY_PROC_EST_SAVED_BYTES] = "est_saved_bytes",
	[ANONLAZY_PROC_EXACT_VMAS] = "exact_vmas",
	[ANONLAZY_PROC_EXACT_LAZY] = "exact_lazy",
	[ANONLAZY_PROC_BOUND_VMAS] = "bound_vmas",
	[ANONLAZY_PROC_BOUND_LAZY] = "bound_lazy",
	[ANONLAZY_PROC_BOUND_PARENT] = "bound_parent",
};

#define ANONLAZY_PROC_COMM_COL	"comm"

/*
 * The census algorithm's pure parts (the module calls these; host tests
 * can too).
 *
 * A VMA's census state, from vma->anon_vma: the tree states above, plus
 * "invalid" for tag 3.
 */
enum anonlazy_census_state {
	ANONLAZY_CST_NONE,
	ANONLAZY_CST_REGULAR,
	ANONLAZY_CST_LAZY,
	ANONLAZY_CST_PARENT,
	ANONLAZY_CST_INVALID,
	ANONLAZY_NR_CSTS
};

static inline int anonlazy_census_state(unsigned long anon_vma)
{
	if (!anon_vma)
		return ANONLAZY_CST_NONE;
	switch (anon_vma & ANONLAZY_TREE_MASK) {
	case 0:
		return ANONLAZY_CST_REGULAR;
	case ANONLAZY_TREE_VMA:
		return ANONLAZY_CST_LAZY;
	case ANONLAZY_TREE_PARENT:
		return ANONLAZY_CST_PARENT;
	default:
		return ANONLAZY_CST_INVALID;
	}
}

/*
 * The estimate for a regular VMA whose own anon_vma has mult chain
 * entries system-wide and whose chain has chain entries (0: left out of
 * the estimate, hugetlb).
 */
enum anonlazy_census_est {
	ANONLAZY_EST_NONE,
	ANONLAZY_EST_LAZY_ROOT,
	ANONLAZY_EST_PARENT_LINK,
};

static inline int anonlazy_census_estimate(unsigned long chain,
					   unsigned long mult)
{
	if (!chain || mult != 1)
		return ANONLAZY_EST_NONE;
	return chain == 1 ? ANONLAZY_EST_LAZY_ROOT : ANONLAZY_EST_PARENT_LINK;
}

/*
 * The census keys derived from the counted ones, for both censuses
 * (module/census.c, bpf/anonlazy.bpf.c): vmas from its states; the sizes
 * of an anon_vma and a chain entry and their bytes; the bound's savings
 * (each of its VMAs saves its own anon_vma and one entry); the bytes of
 * both parts; and the estimate, the exact part plus the bound. t holds
 * the keys by enum anonlazy_census_key.
 */
static inline void anonlazy_census_derive(unsigned long long *t,
					  unsigned long long av_size,
					  unsigned long long chain_size)
{
	t[ANONLAZY_CENSUS_VMAS] = t[ANONLAZY_CENSUS_VMAS_NONE] +
		t[ANONLAZY_CENSUS_VMAS_REGULAR] + t[ANONLAZY_CENSUS_VMAS_LAZY] +
		t[ANONLAZY_CENSUS_VMAS_PARENT] + t[ANONLAZY_CENSUS_VMAS_INVALID];
	t[ANONLAZY_CENSUS_ANON_VMA_SIZE] = av_size;
	t[ANONLAZY_CENSUS_CHAIN_SIZE] = chain_size;
	t[ANONLAZY_CENSUS_ANON_VMA_BYTES] = t[ANONLAZY_CENSUS_ANON_VMAS] * av_size;
	t[ANONLAZY_CENSUS_CHAIN_BYTES] = t[ANONLAZY_CENSUS_CHAINS] * chain_size;
	t[ANONLAZY_CENSUS_EST_BOUND_SAVED_ANON_VMAS] =
		t[ANONLAZY_CENSUS_EST_BOUND_LAZY_ROOTS] +
		t[ANONLAZY_CENSUS_EST_BOUND_PARENT_LINKS];
	t[ANONLAZY_CENSUS_EST_BOUND_SAVED_CHAINS] =
		t[ANONLAZY_CENSUS_EST_BOUND_SAVED_ANON_VMAS];
	t[ANONLAZY_CENSUS_EST_BOUND_SAVED_BYTES] =
		t[ANONLAZY_CENSUS_EST_BOUND_SAVED_ANON_VMAS] * av_size +
		t[ANONLAZY_CENSUS_EST_BOUND_SAVED_CHAINS] * chain_size;
	t[ANONLAZY_CENSUS_EST_EXACT_SAVED_BYTES] =
		t[ANONLAZY_CENSUS_EST_EXACT_SAVED_ANON_VMAS] * av_size +
		t[ANONLAZY_CENSUS_EST_EXACT_SAVED_CHAINS] * chain_size;
	t[ANONLAZY_CENSUS_EST_LAZY_ROOTS] =
		t[ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS] +
		t[ANONLAZY_CENSUS_EST_BOUND_LAZY_ROOTS];
	t[ANONLAZY_CENSUS_EST_PARENT_LINKS] =
		t[ANONLAZY_CENSUS_EST_BOUND_PARENT_LINKS];
	t[ANONLAZY_CENSUS_EST_SAVED_ANON_VMAS] =
		t[ANONLAZY_CENSUS_EST_EXACT_SAVED_ANON_VMAS] +
		t[ANONLAZY_CENSUS_EST_BOUND_SAVED_ANON_VMAS];
	t[ANONLAZY_CENSUS_EST_SAVED_CHAINS] =
		t[ANONLAZY_CENSUS_EST_EXACT_SAVED_CHAINS] +
		t[ANONLAZY_CENSUS_EST_BOUND_SAVED_CHAINS];
	t[ANONLAZY_CENSUS_EST_SAVED_BYTES] =
		t[ANONLAZY_CENSUS_EST_EXACT_SAVED_BYTES] +
		t[ANONLAZY_CENSUS_EST_BOUND_SAVED_BYTES];
}

/*
 * One chain entry as the census records it: the anon_vma it points to,
 * the index of its process's row, and, on the entry of the VMA's own
 * anon_vma (vma->anon_vma), the VMA's chain length (0 on the others, on
 * hugetlb VMAs, and on VMAs the simulation tracks: those are estimated
 * exactly, not by the bound); sim_lazy on every entry of a VMA the
 * simulation calls a would-be lazy root. Sorted by av, stably (entries are recorded process by
 * process, so a group of equal av stays in process order): a group's size
 * is mult(av), and its changes of proc count each process once.
 */
struct anonlazy_census_avc {
	unsigned long av;
	unsigned int proc;
	unsigned int own_chain : 31;
	unsigned int sim_lazy : 1;	/* an entry of a would-be lazy root */
};

/*
 * LSD radix sort of the entries by av, 8 bits a pass, in steps the caller
 * may interleave with rescheduling: count every pass's digits in one go
 * (anonlazy_radix_count over any split of the array, cnt zeroed,
 * ANONLAZY_RADIX_PASSES x ANONLAZY_RADIX_BUCKETS), then per pass
 * anonlazy_radix_starts (0: every entry has the same digit, skip the
 * pass) and anonlazy_radix_scatter over the array in order, from src to
 * dst; swap src and dst after each pass that was not skipped.
 */
#define ANONLAZY_RADIX_BITS	8
#define ANONLAZY_RADIX_BUCKETS	256UL	/* 1 << ANONLAZY_RADIX_BITS */
#define ANONLAZY_RADIX_PASSES	(sizeof(unsigned long) * 8 / ANONLAZY_RADIX_BITS)

static inline void anonlazy_radix_count(const struct anonlazy_census_avc *a,
					unsigned long lo, unsigned long hi,
					unsigned long *cnt)
{
	unsigned long i;
	unsigned int p;

	for (i = lo; i < hi; i++)
		for (p = 0; p < ANONLAZY_RADIX_PASSES; p++)
			cnt[p * ANONLAZY_RADIX_BUCKETS +
			    ((a[i].av >> (p * ANONLAZY_RADIX_BITS)) &
			     (ANONLAZY_RADIX_BUCKETS - 1))]++;
}

/* Counts of one pass into start positions; 0 when the pass is a no-op. */
static inline int anonlazy_radix_starts(unsigned long *cnt, unsigned long n)
{
	unsigned long b, sum = 0;

	for (b = 0; b < ANONLAZY_RADIX_BUCKETS; b++) {
		unsigned long c = cnt[b];

		if (c == n)
			return 0;
		cnt[b] = sum;
		sum += c;
	}
	return 1;
}

static inline void anonlazy_radix_scatter(const struct anonlazy_census_avc *src,
					  unsigned long lo, unsigned long hi,
					  unsigned int pass, unsigned long *pos,
					  struct anonlazy_census_avc *dst)
{
	unsigned long i;

	for (i = lo; i < hi; i++)
		dst[pos[(src[i].av >> (pass * ANONLAZY_RADIX_BITS)) &
			(ANONLAZY_RADIX_BUCKETS - 1)]++] = src[i];
}

/* The end of the group of entries equal to a[i].av in sorted a[0..n). */
static inline unsigned long anonlazy_census_group_end(const struct anonlazy_census_avc *a,
						      unsigned long i,
						      unsigned long n)
{
	unsigned long j = i + 1;

	while (j < n && a[j].av == a[i].av)
		j++;
	return j;
}

#endif /* ANONLAZY_H */
