// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of the anonlazy module (include/anonlazy.h), counted by BPF
 * programs instead of kprobes, plus per-process counts when the loader
 * asks for them (per_process). One CO-RE object for the stock 6.1 kernel
 * and ours.
 *
 * Every probed function has two twins: fentry/fexit programs, which take a
 * BPF trampoline, and kprobe/kretprobe programs. The loader
 * (userspace/anonlazy-bpf.c) picks one twin per function at load time and
 * leaves the other unloaded; a function missing on this kernel (the
 * ANON_VMA_LAZY ones on 6.1) has neither.
 *
 * Each function's programs count what module/probes.c's probes on it
 * count, under the same conditions. The differences that follow from the
 * mechanism:
 *   - fexit sees the arguments at the return, so the functions whose
 *     kretprobe only saves arguments at its entry have no fentry program,
 *     and anon_vma_fork() calls are counted at the return instead of the
 *     entry (the same number once the calls in flight have returned);
 *   - a kretprobe's entry saves what its return needs in the calls map,
 *     keyed by thread and function; a call whose entry finds the map full
 *     is not counted at all, as a kretprobe call that finds no instance,
 *     and adds to calls_dropped (part of "missed");
 *   - walks are timed with bpf_ktime_get_ns(), not sched_clock().
 *
 * Arguments and return values of type bool, int or enum are truncated to
 * their width, as the module does: the upper bits of their registers are
 * unspecified.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "anonlazy.h"
#include "anonlazy_bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ANONLAZY_NR_COUNTERS);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct al_bpf_hist);
} latency SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, AL_BPF_MAX_PROCS);
	__type(key, u32);
	__type(value, struct al_bpf_proc);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, AL_BPF_MAX_CALLS);
	__type(key, struct al_bpf_call_key);
	__type(value, struct al_bpf_call);
} calls SEC(".maps");

bool lazy_from_make_root;
__u64 procs_dropped;
__u64 calls_dropped;

/*
 * Per-process rows (anonlazy-bpf --processes), set by the loader before
 * the load. Off, the verifier knows proc() returns NULL (a frozen .rodata
 * value): every program's lookup and update of procs is dead code, which
 * it removes, and count() skips the row. The loader then also leaves
 * on_exec unloaded and shrinks procs to one entry.
 */
const volatile bool per_process;

/* A new row for tgid, named by its thread group leader's comm; or NULL. */
static __always_inline struct al_bpf_proc *proc_new(u32 tgid)
{
	struct al_bpf_proc zero = {};
	struct task_struct *task;
	struct al_bpf_proc *p;

	task = (struct task_struct *)bpf_get_current_task();
	BPF_CORE_READ_STR_INTO(&zero.comm, task, group_leader, comm);
	bpf_map_update_elem(&procs, &tgid, &zero, BPF_NOEXIST);
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p)
		__sync_fetch_and_add(&procs_dropped, 1);
	return p;
}

/* The calling process's counters, created on its first event; or NULL. */
static __always_inline struct al_bpf_proc *proc(void)
{
	struct al_bpf_proc *p;
	u32 tgid;

	if (!per_process)
		return NULL;
	tgid = bpf_get_current_pid_tgid() >> 32;
	p = bpf_map_lookup_elem(&procs, &tgid);
	return p ? p : proc_new(tgid);
}

/*
 * A row names its process as ps does, by the comm of its last exec: the
 * row is made at the process's first event, which for a program started
 * by a shell, or by anonlazy-bpf itself, comes before its exec (the
 * old image's own faults and its fork).
 */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	u32 tgid = BPF_CORE_READ(p, tgid);
	struct al_bpf_proc *row;

	if (!per_process)
		return 0;
	row = bpf_map_lookup_elem(&procs, &tgid);
	if (row)
		BPF_CORE_READ_STR_INTO(&row->comm, p, comm);
	return 0;
}

/*
 * Which adds must be atomic. A per-CPU slot (counters, latency) takes a
 * plain add: a lookup gives this CPU's slot, and the program stays on
 * this CPU until it returns (kprobe and kretprobe programs run with
 * preemption disabled, fentry and fexit programs with migration
 * disabled). A plain add could still lose a count if another program hit
 * on the same CPU between its load and its store: possible for fentry and
 * fexit programs, which are preemptible. It cannot happen here:
 *   - a program never runs twice at once on one CPU: the trampoline skips
 *     a program already running on this CPU (prog->active, counted in
 *     the program's recursion misses, our "missed"), and a kprobe program
 *     is skipped while any kprobe program runs on it (bpf_prog_active);
 *   - every slot has one writing program: each counter is fed by one
 *     program of one function (the loader's table, bpf_pick.c), the walk
 *     counters and histograms of a kind by the walk function of that
 *     kind, which rmap_walk() chose by the same folio->mapping bits; the
 *     one counter two functions feed, lazy_roots, __anon_vma_prepare()'s
 *     programs count only while anon_vma_lazy_make_root is not attached.
 * A process's row is shared by its threads on every CPU, and the .bss
 * counters by everyone: their adds stay atomic.
 *
 * The compiler knows every index is in range and would drop the check;
 * the verifier needs it where the index comes from a table of the
 * header's.
 */
static __always_inline void count(struct al_bpf_proc *p, u64 idx)
{
	u32 key;
	u64 *v;

	barrier_var(idx);
	if (idx >= ANONLAZY_NR_COUNTERS)
		return;
	if (p)
		__sync_fetch_and_add(&p->c[idx], 1);
	key = idx;
	v = bpf_map_lookup_elem(&counters, &key);
	if (v)
		*v += 1;
}

static __always_inline u32 log2_u64(u64 v)
{
	u32 r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r;
}

/* Bucket 0 holds 0..1 ns, bucket b 2^b..2^(b+1)-1 (include/anonlazy.h). */
static __always_inline void hist_add(u32 kind, u64 ns)
{
	u32 b = ns > 1 ? log2_u64(ns) : 0;
	struct al_bpf_hist *h;
	u32 zero = 0;

	if (kind >= ANONLAZY_NR_WALK_KINDS || b >= ANONLAZY_LATENCY_BUCKETS)
		return;
	h = bpf_map_lookup_elem(&latency, &zero);
	if (h)
		h->b[kind][b] += 1;	/* per-CPU, one writer: see count() */
}

/* A kretprobe's entry: save what its return needs. False: no room. */
static __always_inline bool call_save(u32 fn, struct al_bpf_call *c)
{
	struct al_bpf_call_key key = {
		.tid = (u32)bpf_get_current_pid_tgid(),
		.fn = fn,
	};

	if (bpf_map_update_elem(&calls, &key, c, BPF_ANY)) {
		__sync_fetch_and_add(&calls_dropped, 1);
		return false;
	}
	return true;
}

/* Its return: take what the entry saved. False: the entry was not seen. */
static __always_inline bool call_take(u32 fn, struct al_bpf_call *c)
{
	struct al_bpf_call_key key = {
		.tid = (u32)bpf_get_current_pid_tgid(),
		.fn = fn,
	};
	struct al_bpf_call *saved;

	saved = bpf_map_lookup_elem(&calls, &key);
	if (!saved)
		return false;
	*c = *saved;
	bpf_map_delete_elem(&calls, &key);
	return true;
}

static __always_inline unsigned long vma_anon(struct vm_area_struct *vma)
{
	return (unsigned long)BPF_CORE_READ(vma, anon_vma);
}

/*
 * bool anon_vma_lazy_make_root(vma) (ANON_VMA_LAZY, patch 0007) returns
 * true exactly when it stored the lazy root tag.
 */
static __always_inline void make_root_done(u8 made)
{
	if (made)
		count(proc(), ANONLAZY_LAZY_ROOTS);
}

SEC("fexit/anon_vma_lazy_make_root")
int BPF_PROG(fexit_make_root, struct vm_area_struct *vma, u64 ret)
{
	make_root_done((u8)ret);
	return 0;
}

SEC("kretprobe/anon_vma_lazy_make_root")
int BPF_KRETPROBE(kretprobe_make_root, u64 ret)
{
	make_root_done((u8)ret);
	return 0;
}

/*
 * The kernel's anon_vma_lazy_root tracepoint (patch 0009), where it has
 * it: fired once per lazy root made, by the thread that made it.
 */
SEC("tp_btf/anon_vma_lazy_root")
int BPF_PROG(tp_lazy_root, struct vm_area_struct *vma)
{
	make_root_done(1);
	return 0;
}

/*
 * int __anon_vma_prepare(vma): on success the VMA holds a regular anon_vma
 * (prepare_attached) or, on an ANON_VMA_LAZY kernel whose make_root is
 * not probed, a lazy root. The caller holds the mmap_lock: vma stays.
 */
static __always_inline void prepare_done(struct vm_area_struct *vma, int ret)
{
	struct al_bpf_proc *p = proc();
	unsigned long av;

	count(p, ANONLAZY_PREPARE_CALLS);
	if (ret)
		return;
	av = vma_anon(vma);
	if (!av)
		return;
	if ((av & ANONLAZY_TREE_MASK) == ANONLAZY_TREE_VMA) {
		if (!lazy_from_make_root)
			count(p, ANONLAZY_LAZY_ROOTS);
	} else if (!(av & ANONLAZY_TREE_MASK)) {
		count(p, ANONLAZY_PREPARE_ATTACHED);
	}
}

SEC("fexit/__anon_vma_prepare")
int BPF_PROG(fexit_prepare, struct vm_area_struct *vma, u64 ret)
{
	prepare_done(vma, (int)ret);
	return 0;
}

SEC("kprobe/__anon_vma_prepare")
int BPF_KPROBE(kprobe_prepare, struct vm_area_struct *vma)
{
	struct al_bpf_call c = { .arg0 = (unsigned long)vma };

	call_save(AL_FN_PREPARE, &c);
	return 0;
}

SEC("kretprobe/__anon_vma_prepare")
int BPF_KRETPROBE(kretprobe_prepare, u64 ret)
{
	struct al_bpf_call c;

	if (call_take(AL_FN_PREPARE, &c))
		prepare_done((struct vm_area_struct *)c.arg0, (int)ret);
	return 0;
}

/*
 * The anon_vma of a VMA's first anon_vma_chain link, or 0:
 * list_first_entry_or_null(&vma->anon_vma_chain, struct anon_vma_chain,
 * same_vma)->anon_vma.
 */
static __always_inline unsigned long first_link(struct vm_area_struct *vma)
{
	unsigned long head, next, avc;

	head = (unsigned long)vma +
	       bpf_core_field_offset(struct vm_area_struct, anon_vma_chain);
	next = (unsigned long)BPF_CORE_READ(vma, anon_vma_chain.next);
	if (!next || next == head)
		return 0;
	avc = next - bpf_core_field_offset(struct anon_vma_chain, same_vma);
	return (unsigned long)BPF_CORE_READ((struct anon_vma_chain *)avc,
					    anon_vma);
}

/*
 * int anon_vma_fork(vma, pvma): module/probes.c says why the child's
 * first link names the parent's first anon_vma after a reuse and the new
 * one after an allocation. dup_mmap() holds both mmap_locks for write.
 */
static __always_inline void fork_done(struct al_bpf_proc *p,
				      struct vm_area_struct *vma,
				      struct vm_area_struct *pvma, int ret)
{
	unsigned long av;

	if (ret)
		return;
	av = vma_anon(vma);
	if (!av)
		return;
	if ((av & ANONLAZY_TREE_MASK) == ANONLAZY_TREE_PARENT) {
		count(p, ANONLAZY_PARENT_LINKS);
		return;
	}
	if (av & ANONLAZY_TREE_MASK)
		return;
	if (first_link(vma) == av && first_link(pvma) != av)
		count(p, ANONLAZY_FORK_ATTACHED);
}

SEC("fexit/anon_vma_fork")
int BPF_PROG(fexit_fork, struct vm_area_struct *vma,
	     struct vm_area_struct *pvma, u64 ret)
{
	struct al_bpf_proc *p = proc();

	count(p, ANONLAZY_FORK_CALLS);
	fork_done(p, vma, pvma, (int)ret);
	return 0;
}

SEC("kprobe/anon_vma_fork")
int BPF_KPROBE(kprobe_fork, struct vm_area_struct *vma,
	       struct vm_area_struct *pvma)
{
	struct al_bpf_call c = {
		.arg0 = (unsigned long)vma,
		.arg1 = (unsigned long)pvma,
	};

	if (call_save(AL_FN_FORK, &c))
		count(proc(), ANONLAZY_FORK_CALLS);
	return 0;
}

SEC("kretprobe/anon_vma_fork")
int BPF_KRETPROBE(kretprobe_fork, u64 ret)
{
	struct al_bpf_call c;

	if (call_take(AL_FN_FORK, &c))
		fork_done(proc(), (struct vm_area_struct *)c.arg0,
			  (struct vm_area_struct *)c.arg1, (int)ret);
	return 0;
}

/* int anon_vma_clone(dst, src): every call. */
SEC("fentry/anon_vma_clone")
int BPF_PROG(fentry_clone)
{
	count(proc(), ANONLAZY_CLONE_CALLS);
	return 0;
}

SEC("kprobe/anon_vma_clone")
int BPF_KPROBE(kprobe_clone)
{
	count(proc(), ANONLAZY_CLONE_CALLS);
	return 0;
}

/*
 * void unlink_anon_vmas(vma): the tag at entry says what is torn down;
 * NULL and parent-linked are neither lazy nor regular.
 */
static __always_inline void unlink_begin(struct vm_area_struct *vma)
{
	struct al_bpf_proc *p = proc();
	unsigned long av = vma_anon(vma);

	count(p, ANONLAZY_UNLINK_CALLS);
	if ((av & ANONLAZY_TREE_MASK) == ANONLAZY_TREE_VMA)
		count(p, ANONLAZY_UNLINK_LAZY);
	else if (av && !(av & ANONLAZY_TREE_MASK))
		count(p, ANONLAZY_UNLINK_REGULAR);
}

SEC("fentry/unlink_anon_vmas")
int BPF_PROG(fentry_unlink, struct vm_area_struct *vma)
{
	unlink_begin(vma);
	return 0;
}

SEC("kprobe/unlink_anon_vmas")
int BPF_KPROBE(kprobe_unlink, struct vm_area_struct *vma)
{
	unlink_begin(vma);
	return 0;
}

/*
 * rmap_walk_anon(folio, rwc, locked), rmap_walk_file(folio, rwc, locked),
 * rmap_walk_ksm(folio, rwc): counted at the entry by the folio's kind,
 * which is saved with the time for the return; a walk whose entry found
 * no room in calls is neither counted nor timed. A walk of a regular anon
 * folio took the anon_vma lock itself unless its caller held it (locked)
 * or it only tried and failed (rwc->try_lock and rwc->contended), read
 * at the return; rwc lives in the caller's frame until the walk returns.
 * fexit has it as an argument; the kprobe saves it for the kretprobe
 * (rwc 0: not needed).
 */
static __always_inline void walk_begin(u32 fn, struct folio *folio,
				       unsigned long rwc, bool anon, u8 locked)
{
	unsigned long mapping = (unsigned long)BPF_CORE_READ(folio, mapping);
	const int *counter = anonlazy_walk_kind_counter;
	u32 kind = anonlazy_walk_kind(mapping);
	struct al_bpf_call c = {
		.arg1 = rwc,
		.kind = kind,
		.check_lock = anon && kind == ANONLAZY_KIND_ANON && !locked,
	};

	c.start = bpf_ktime_get_ns();
	/*
	 * The header's table, kept in .rodata: clang 14 would put it in a
	 * .rodata.cst16 section, which has no BTF and which libbpf refuses.
	 */
	barrier_var(counter);
	if (call_save(fn, &c))
		count(proc(), counter[kind]);
}

/* rwc: fexit's argument, or what the kprobe saved. */
static __always_inline void walk_end(u32 fn, struct rmap_walk_control *rwc)
{
	u64 now = bpf_ktime_get_ns();
	struct al_bpf_call c;

	if (!call_take(fn, &c))
		return;
	hist_add(c.kind, now > c.start ? now - c.start : 0);
	if (!c.check_lock)
		return;
	if (!rwc)
		rwc = (struct rmap_walk_control *)c.arg1;
	if (!(BPF_CORE_READ(rwc, try_lock) && BPF_CORE_READ(rwc, contended)))
		count(proc(), ANONLAZY_WALK_ANON_LOCKED);
}

SEC("fentry/rmap_walk_anon")
int BPF_PROG(fentry_walk_anon, struct folio *folio,
	     struct rmap_walk_control *rwc, u64 locked)
{
	walk_begin(AL_FN_WALK_ANON, folio, 0, true, (u8)locked);
	return 0;
}

SEC("fexit/rmap_walk_anon")
int BPF_PROG(fexit_walk_anon, struct folio *folio,
	     struct rmap_walk_control *rwc)
{
	walk_end(AL_FN_WALK_ANON, rwc);
	return 0;
}

SEC("kprobe/rmap_walk_anon")
int BPF_KPROBE(kprobe_walk_anon, struct folio *folio,
	       struct rmap_walk_control *rwc, u64 locked)
{
	walk_begin(AL_FN_WALK_ANON, folio, (unsigned long)rwc, true, (u8)locked);
	return 0;
}

SEC("kretprobe/rmap_walk_anon")
int BPF_KRETPROBE(kretprobe_walk_anon)
{
	walk_end(AL_FN_WALK_ANON, NULL);
	return 0;
}

SEC("fentry/rmap_walk_file")
int BPF_PROG(fentry_walk_file, struct folio *folio)
{
	walk_begin(AL_FN_WALK_FILE, folio, 0, false, 0);
	return 0;
}

SEC("fexit/rmap_walk_file")
int BPF_PROG(fexit_walk_file)
{
	walk_end(AL_FN_WALK_FILE, NULL);
	return 0;
}

SEC("kprobe/rmap_walk_file")
int BPF_KPROBE(kprobe_walk_file, struct folio *folio)
{
	walk_begin(AL_FN_WALK_FILE, folio, 0, false, 0);
	return 0;
}

SEC("kretprobe/rmap_walk_file")
int BPF_KRETPROBE(kretprobe_walk_file)
{
	walk_end(AL_FN_WALK_FILE, NULL);
	return 0;
}

SEC("fentry/rmap_walk_ksm")
int BPF_PROG(fentry_walk_ksm, struct folio *folio)
{
	walk_begin(AL_FN_WALK_KSM, folio, 0, false, 0);
	return 0;
}

SEC("fexit/rmap_walk_ksm")
int BPF_PROG(fexit_walk_ksm)
{
	walk_end(AL_FN_WALK_KSM, NULL);
	return 0;
}

SEC("kprobe/rmap_walk_ksm")
int BPF_KPROBE(kprobe_walk_ksm, struct folio *folio)
{
	walk_begin(AL_FN_WALK_KSM, folio, 0, false, 0);
	return 0;
}

SEC("kretprobe/rmap_walk_ksm")
int BPF_KRETPROBE(kretprobe_walk_ksm)
{
	walk_end(AL_FN_WALK_KSM, NULL);
	return 0;
}

/*
 * int anon_vma_lazy_upgrade(vma, cause) (ANON_VMA_LAZY kernels only)
 * returns 1 when it turned a lazy root regular; cause is an enum.
 */
static __always_inline void upgrade_done(unsigned int cause, int ret)
{
	struct al_bpf_proc *p;

	if (ret != 1)
		return;
	p = proc();
	count(p, ANONLAZY_UPGRADES);
	count(p, anonlazy_upgrade_counter(cause));
}

SEC("fexit/anon_vma_lazy_upgrade")
int BPF_PROG(fexit_upgrade, struct vm_area_struct *vma, u64 cause, u64 ret)
{
	upgrade_done((unsigned int)cause, (int)ret);
	return 0;
}

SEC("kprobe/anon_vma_lazy_upgrade")
int BPF_KPROBE(kprobe_upgrade, struct vm_area_struct *vma, u64 cause)
{
	struct al_bpf_call c = { .arg1 = (unsigned int)cause };

	call_save(AL_FN_UPGRADE, &c);
	return 0;
}

SEC("kretprobe/anon_vma_lazy_upgrade")
int BPF_KRETPROBE(kretprobe_upgrade, u64 ret)
{
	struct al_bpf_call c;

	if (call_take(AL_FN_UPGRADE, &c))
		upgrade_done((unsigned int)c.arg1, (int)ret);
	return 0;
}

/*
 * The kernel's anon_vma_lazy_upgrade tracepoint (patch 0009), where it has
 * it: fired once per upgrade done; the cause (an enum) is its third
 * argument.
 */
SEC("tp_btf/anon_vma_lazy_upgrade")
int BPF_PROG(tp_lazy_upgrade, struct vm_area_struct *vma,
	     struct anon_vma *anon_vma, u64 cause)
{
	upgrade_done((unsigned int)cause, 1);
	return 0;
}
