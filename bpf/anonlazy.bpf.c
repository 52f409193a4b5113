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
 * The savings simulation (include/anonlazy.h, "The exact part"), as
 * module/sim.c keeps it: VMA -> 1 would be a lazy root, 0 regular.
 * sim_on is set by the loader once the prepare, clone and unlink
 * programs are all attached; sim_dropped counts the VMAs the full map had
 * no room for.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, AL_BPF_SIM_MAX_VMAS);
	__type(key, u64);
	__type(value, u32);
} sim SEC(".maps");

bool sim_on;
__u64 sim_dropped;

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
 * Track vma in the given state, or count it dropped (the map is full).
 * A VMA's state is written by the threads holding its mm's mmap_lock: a
 * plain store, as module/sim.c's; two threads faulting one fresh VMA at
 * once both store 1.
 */
static __always_inline void sim_track(struct vm_area_struct *vma, u32 lazy)
{
	u64 key = (unsigned long)vma;
	u32 *v;

	if (!sim_on)
		return;
	v = bpf_map_lookup_elem(&sim, &key);
	if (v) {
		*v = lazy;
		return;
	}
	if (!bpf_map_update_elem(&sim, &key, &lazy, BPF_NOEXIST))
		return;
	/* Another CPU inserted it first, or there is no room. */
	v = bpf_map_lookup_elem(&sim, &key);
	if (v)
		*v = lazy;
	else
		__sync_fetch_and_add(&sim_dropped, 1);
}

/* unlink_anon_vmas(vma): the VMA goes, or loses its anon_vma. */
static __always_inline void sim_forget(struct vm_area_struct *vma)
{
	u64 key = (unsigned long)vma;

	if (sim_on)
		bpf_map_delete_elem(&sim, &key);
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
	/* Under ANON_VMA_LAZY this fault would have made a lazy root. */
	sim_track(vma, 1);
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

/*
 * int anon_vma_clone(dst, src): every call. A second VMA shares src's
 * folios: the patched kernel upgrades a lazy src here, so for the
 * simulation both are regular. The caller's mmap_lock holds both.
 */
static __always_inline void clone_begin(struct vm_area_struct *dst,
					struct vm_area_struct *src)
{
	count(proc(), ANONLAZY_CLONE_CALLS);
	if (!sim_on || !vma_anon(src))
		return;
	sim_track(src, 0);
	sim_track(dst, 0);
}

SEC("fentry/anon_vma_clone")
int BPF_PROG(fentry_clone, struct vm_area_struct *dst,
	     struct vm_area_struct *src)
{
	clone_begin(dst, src);
	return 0;
}

SEC("kprobe/anon_vma_clone")
int BPF_KPROBE(kprobe_clone, struct vm_area_struct *dst,
	       struct vm_area_struct *src)
{
	clone_begin(dst, src);
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
	sim_forget(vma);
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

/*
 * The census (include/anonlazy.h and bpf/anonlazy_bpf.h, "census"): a
 * task_vma iterator the loader runs when asked, which counts what
 * module/census.c counts system-wide, with the same rules, in three maps:
 *   avs   anon_vma -> struct al_bpf_av: its chain entries (mult(av)),
 *         how many are of would-be lazy roots, and the chain lengths of
 *         the untracked regular VMAs whose own anon_vma it is
 *   mms   the mms walked (a process's threads and CLONE_VM children
 *         share one, and the iterator may visit it more than once)
 *   sim   read only: the state of each tracked VMA
 * Its last call (vma NULL) totals avs and sim into census[], and empties
 * avs and mms for the next run. One census runs at a time (the loader's
 * lock), so its maps and globals have one writer.
 *
 * The iterator holds each mm's mmap_lock for reading while it visits the
 * mm's VMAs. That keeps every VMA and its anon_vma_chain list but one
 * case: a fault's __anon_vma_prepare() links the first entry, under the
 * page_table_lock, and then publishes vma->anon_vma; an ANON_VMA_LAZY
 * upgrade does the same with a release. So the list is read only after
 * the VMA reads regular (x86, the one target, keeps the order of those
 * two stores and of these loads: seen regular, the entry is seen), with
 * probe reads that cannot fault. Nothing else changes a list without the
 * mmap_lock held for writing.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, AL_BPF_CENSUS_MAX_AVS);
	__type(key, u64);
	__type(value, struct al_bpf_av);
} avs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, AL_BPF_CENSUS_MAX_MMS);
	__type(key, u64);
	__type(value, u8);
} mms SEC(".maps");

__u64 census[ANONLAZY_NR_CENSUS_KEYS];
/*
 * The walk's position: the task being visited, whether to skip it, and
 * the end of the last VMA counted in it. The iterator drops the mmap_lock
 * when a writer waits and goes on after that VMA's end: a VMA starting
 * before it was merged with one counted, and is skipped, as
 * module/census.c does.
 */
__u64 census_task;
bool census_skip;
__u64 census_last_end;
/* A run started and not ended (its reader went away): avs, mms not empty. */
bool census_dirty;

#define VM_HUGETLB_FLAG	0x00400000UL	/* VM_HUGETLB, 6.1 and 6.12 */

static __always_inline void cadd(u32 key, u64 n)
{
	barrier_var(key);
	if (key < ANONLAZY_NR_CENSUS_KEYS)
		census[key] += n;
}

/* The entry of av, made on its first sight; NULL: no room (truncated). */
static __always_inline struct al_bpf_av *av_get(u64 av)
{
	struct al_bpf_av zero = {}, *a;

	a = bpf_map_lookup_elem(&avs, &av);
	if (a)
		return a;
	bpf_map_update_elem(&avs, &av, &zero, BPF_NOEXIST);
	a = bpf_map_lookup_elem(&avs, &av);
	if (!a)
		census[ANONLAZY_CENSUS_TRUNCATED] = 1;
	return a;
}

struct chain_walk {
	u64 pos;	/* the list_head of the next entry */
	u64 head;	/* &vma->anon_vma_chain */
	u64 own;	/* vma->anon_vma */
	u32 n;		/* entries seen */
	bool lazy;	/* a would-be lazy root's */
	bool own_seen;	/* the entry of own was seen */
};

static long chain_step(u32 i, struct chain_walk *w)
{
	struct anon_vma_chain *avc;
	struct al_bpf_av *a;
	u64 av;

	if (w->pos == w->head || !w->pos)
		return 1;
	avc = (void *)(w->pos - bpf_core_field_offset(struct anon_vma_chain,
						      same_vma));
	av = (unsigned long)BPF_CORE_READ(avc, anon_vma);
	a = av_get(av);
	if (a) {
		a->entries++;
		if (w->lazy)
			a->lazy++;
	}
	if (av == w->own)
		w->own_seen = true;
	w->n++;
	w->pos = (unsigned long)BPF_CORE_READ(avc, same_vma.next);
	return 0;
}

/*
 * A new task: walk its mm unless that was walked (a thread or a CLONE_VM
 * child the iterator did not skip), or there is no room to remember it.
 */
static __always_inline void census_new_task(u64 task, u64 mm)
{
	u8 one = 1;

	census_task = task;
	census_skip = true;
	census_last_end = 0;
	if (bpf_map_lookup_elem(&mms, &mm))
		return;
	if (bpf_map_update_elem(&mms, &mm, &one, BPF_NOEXIST)) {
		census[ANONLAZY_CENSUS_TRUNCATED] = 1;
		return;
	}
	census_skip = false;
	census[ANONLAZY_CENSUS_PROCESSES]++;
}

static __always_inline void census_vma(struct vm_area_struct *vma)
{
	u64 av = (unsigned long)BPF_CORE_READ(vma, anon_vma);
	int st = anonlazy_census_state(av);
	struct chain_walk w = {};
	struct al_bpf_av *a;
	u64 key = (unsigned long)vma;
	u32 *sim_lazy = NULL;
	bool est;

	cadd(ANONLAZY_CENSUS_VMAS_NONE + st, 1);
	if (st != ANONLAZY_CST_REGULAR)
		return;
	est = !(vma->vm_flags & VM_HUGETLB_FLAG);
	if (est)
		sim_lazy = bpf_map_lookup_elem(&sim, &key);
	w.head = (unsigned long)vma +
		 bpf_core_field_offset(struct vm_area_struct, anon_vma_chain);
	w.pos = (unsigned long)BPF_CORE_READ(vma, anon_vma_chain.next);
	w.own = av;
	w.lazy = sim_lazy && *sim_lazy;
	bpf_loop(AL_BPF_CENSUS_MAX_CHAIN, chain_step, &w, 0);
	if (w.pos != w.head)
		census[ANONLAZY_CENSUS_TRUNCATED] = 1;
	census[ANONLAZY_CENSUS_CHAINS] += w.n;
	if (!est)
		return;	/* hugetlb keeps the regular path: not estimated */
	if (sim_lazy) {
		/* Exact: the simulation says what it would be. */
		census[ANONLAZY_CENSUS_EST_EXACT_VMAS]++;
		if (w.lazy) {
			census[ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS]++;
			/* A would-be lazy root has no chain entry. */
			census[ANONLAZY_CENSUS_EST_EXACT_SAVED_CHAINS] += w.n;
		}
		return;
	}
	census[ANONLAZY_CENSUS_EST_BOUND_VMAS]++;
	if (!w.own_seen)
		return;
	a = bpf_map_lookup_elem(&avs, &av);
	if (!a)
		return;
	if (w.n == 1)
		a->own_one++;
	else
		a->own_more++;
}

/* The last call: each anon_vma, once, then forgotten. */
static long census_av(struct bpf_map *map, u64 *av, struct al_bpf_av *a,
		      void *unused)
{
	census[ANONLAZY_CENSUS_ANON_VMAS]++;
	/* Nor would an anon_vma that only would-be lazy roots link to. */
	if (a->lazy == a->entries)
		census[ANONLAZY_CENSUS_EST_EXACT_SAVED_ANON_VMAS]++;
	/* Linked by one VMA alone, its own: the structural bound. */
	if (a->entries == 1 && a->own_one)
		census[ANONLAZY_CENSUS_EST_BOUND_LAZY_ROOTS]++;
	if (a->entries == 1 && a->own_more)
		census[ANONLAZY_CENSUS_EST_BOUND_PARENT_LINKS]++;
	bpf_map_delete_elem(&avs, av);
	return 0;
}

static long census_forget_av(struct bpf_map *map, u64 *key, void *val,
			     void *unused)
{
	bpf_map_delete_elem(&avs, key);
	return 0;
}

static long census_forget_mm(struct bpf_map *map, u64 *key, void *val,
			     void *unused)
{
	bpf_map_delete_elem(&mms, key);
	return 0;
}

static long census_sim(struct bpf_map *map, u64 *vma, u32 *lazy,
		       void *unused)
{
	census[ANONLAZY_CENSUS_SIM_TRACKED]++;
	if (*lazy)
		census[ANONLAZY_CENSUS_SIM_TRACKED_LAZY]++;
	return 0;
}

static __always_inline void census_end(void)
{
	u64 *t = census;

	bpf_for_each_map_elem(&avs, census_av, NULL, 0);
	bpf_for_each_map_elem(&mms, census_forget_mm, NULL, 0);
	bpf_for_each_map_elem(&sim, census_sim, NULL, 0);
	anonlazy_census_derive(t, bpf_core_type_size(struct anon_vma),
			       bpf_core_type_size(struct anon_vma_chain));
	t[ANONLAZY_CENSUS_SIM_ACTIVE] = sim_on;
	t[ANONLAZY_CENSUS_SIM_DROPPED] = sim_dropped;
	census_dirty = false;
}

SEC("iter/task_vma")
int census_iter(struct bpf_iter__task_vma *ctx)
{
	struct vm_area_struct *vma = ctx->vma;
	u64 task = (unsigned long)ctx->task;

	if (ctx->meta->seq_num == 0) {
		/* The first call: start afresh. */
		for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
			census[k] = 0;
		census_task = 0;
		if (census_dirty) {
			bpf_for_each_map_elem(&avs, census_forget_av, NULL, 0);
			bpf_for_each_map_elem(&mms, census_forget_mm, NULL, 0);
		}
		census_dirty = true;
	}
	if (!vma) {
		census_end();
		return 0;
	}
	if (task != census_task)
		census_new_task(task, (unsigned long)BPF_CORE_READ(vma, vm_mm));
	if (census_skip || vma->vm_start < census_last_end)
		return 0;
	census_last_end = vma->vm_end;
	census_vma(vma);
	return 0;
}
