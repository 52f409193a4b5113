/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the BPF programs (bpf/anonlazy.bpf.c) and their loader
 * (userspace/anonlazy-bpf.c) share: the layout of the maps and their
 * sizes. Counter names and order, tag values and file formats are those of
 * include/anonlazy.h, which the includer includes first, with its own
 * __u32 and __u64 (vmlinux.h or linux/types.h).
 *
 * Maps:
 *   counters   per-CPU array, one u64 per enum anonlazy_counter
 *   latency    per-CPU array of one struct al_bpf_hist: the rmap walk
 *              log2 histograms of the latency file
 *   procs      hash: tgid -> struct al_bpf_proc, the counters of each
 *              process that caused an event, and its comm; never
 *              deleted, so a run that sees more than AL_BPF_MAX_PROCS
 *              processes has no row for the later ones (procs_dropped);
 *              with per_process off, never used (one entry)
 *   calls      hash: (thread, function) -> struct al_bpf_call, what an
 *              entry program saved for the return program of one call
 *   sim        hash: VMA -> 1 (would be a lazy root) or 0 (regular), the
 *              savings simulation of module/sim.c, with its rules
 *              (include/anonlazy.h, "The exact part"); a VMA is forgotten
 *              at its unlink_anon_vmas(), so the map holds live VMAs only.
 *              At most AL_BPF_SIM_MAX_VMAS (sim_dropped counts the rest).
 *              Its memory: the buckets, 16 bytes per slot allocated at the
 *              load (4 MiB), and per tracked VMA a 64-byte hash element
 *              (48 of htab_elem, the 8-byte key, the value padded to
 *              8), which bpf_mem_alloc() allocates with its 8-byte
 *              header from its 96-byte size class: 96 bytes (6.1, 6.12)
 *   avs, mms   the census's scratch maps (census_iter, below), empty
 *              between two runs
 * The census: census_iter, a task_vma iterator the loader runs for each
 * census section (one at a time), walks every mm once and leaves in
 * census[] the census keys of include/anonlazy.h that it counts (the
 * loader's list, bpf_census.c), with the module's rules. Its bounds:
 * AL_BPF_CENSUS_MAX_AVS distinct anon_vmas, AL_BPF_CENSUS_MAX_MMS mms,
 * AL_BPF_CENSUS_MAX_CHAIN entries in a VMA's chain; past one, what does
 * not fit is not counted and truncated reads 1 (the module leaves out a
 * whole mm instead).
 * Read-only (.rodata), set by the loader before the load:
 *   per_process          count each process's row in procs
 * Globals (.bss):
 *   lazy_from_make_root  set by the loader once anon_vma_lazy_make_root
 *                        is attached: lazy_roots then counts what it
 *                        returns, not what __anon_vma_prepare() leaves
 *   procs_dropped        events of processes the full procs map had no
 *                        room for (counted in counters, not in procs)
 *   calls_dropped        calls not seen because the full calls map had
 *                        no room for their entry (a kretprobe's missed)
 *   sim_on               set by the loader once the prepare, clone and
 *                        unlink programs are all attached: the simulation
 *                        runs (sim_active)
 *   sim_dropped          VMAs the full sim map had no room for
 *   census[]             the last census's keys, by enum anonlazy_census_key
 */
#ifndef ANONLAZY_BPF_H
#define ANONLAZY_BPF_H

#define AL_BPF_MAX_PROCS	16384
#define AL_BPF_MAX_CALLS	10240
#define AL_BPF_COMM_LEN		16
#define AL_BPF_SIM_MAX_VMAS	262144
#define AL_BPF_CENSUS_MAX_AVS	262144
#define AL_BPF_CENSUS_MAX_MMS	65536
#define AL_BPF_CENSUS_MAX_CHAIN	1024

/* The census's count of one anon_vma. */
struct al_bpf_av {
	__u32 entries;	/* chain entries to it: mult(av) */
	__u32 lazy;	/* of them, entries of would-be lazy roots */
	__u32 own_one;	/* untracked VMAs whose own it is, chain of 1 */
	__u32 own_more;	/* the same, with a longer chain */
};

struct al_bpf_proc {
	__u64 c[ANONLAZY_NR_COUNTERS];
	char comm[AL_BPF_COMM_LEN];	/* the thread group leader's */
};

struct al_bpf_hist {
	__u64 b[ANONLAZY_NR_WALK_KINDS][ANONLAZY_LATENCY_BUCKETS];
};

/*
 * The functions probed, in the loader's attach order (its table in
 * userspace/bpf_skel.c names their programs); a call's key in calls.
 */
enum al_bpf_fn {
	AL_FN_MAKE_ROOT,
	AL_FN_PREPARE,
	AL_FN_FORK,
	AL_FN_CLONE,
	AL_FN_UNLINK,
	AL_FN_WALK_ANON,
	AL_FN_WALK_FILE,
	AL_FN_WALK_KSM,
	AL_FN_UPGRADE,
	AL_NR_FNS
};

struct al_bpf_call_key {
	__u32 tid;
	__u32 fn;	/* enum al_bpf_fn */
};

struct al_bpf_call {
	__u64 arg0;
	__u64 arg1;
	__u64 start;	/* walks: bpf_ktime_get_ns() at entry */
	__u32 kind;	/* walks: enum anonlazy_walk_kind */
	__u32 check_lock;	/* walks: count walk_anon_locked at return */
};

#endif /* ANONLAZY_BPF_H */
