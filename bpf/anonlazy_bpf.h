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
 */
#ifndef ANONLAZY_BPF_H
#define ANONLAZY_BPF_H

#define AL_BPF_MAX_PROCS	16384
#define AL_BPF_MAX_CALLS	10240
#define AL_BPF_COMM_LEN		16

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
