// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes and kretprobes on the anon_vma and rmap entry points, and the
 * anon_vma tracepoints of kernels that have them. Symbols are resolved
 * when the module loads: one that is missing or cannot be probed on this
 * kernel is recorded with its error and costs only its counters, which
 * stats then lists as disabled.
 *
 * Arguments and return values are read at their C type's width: the ABI
 * leaves the upper bits of a register holding an int, a bool or an enum
 * unspecified, so (int)regs_return_value() for an int, (u8) for a bool,
 * (unsigned int) for an enum argument.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/sched/clock.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/rmap.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "anonlazy_mod.h"
#include "trace.h"

/* The tag bits of vma->anon_vma, as the shared header defines them. */
static __always_inline unsigned long vma_anon_tag(struct vm_area_struct *vma)
{
	return (unsigned long)READ_ONCE(vma->anon_vma) & ANONLAZY_TREE_MASK;
}

/*
 * Set before the probes go live when anon_vma_lazy_make_root() is probed:
 * lazy_roots then counts what it returns, and __anon_vma_prepare()'s
 * return no longer counts lazy roots.
 */
static bool lazy_from_make_root;

/* __anon_vma_prepare(vma): the slow path of a VMA's first anon fault. */
struct prepare_data {
	struct vm_area_struct *vma;
	int before;
};

static int prepare_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct prepare_data *d = (struct prepare_data *)ri->data;

	d->vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	d->before = anonlazy_tree_state((unsigned long)READ_ONCE(d->vma->anon_vma));
	return 0;
}

static int prepare_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct prepare_data *d = (struct prepare_data *)ri->data;
	unsigned long av;

	anonlazy_count(ANONLAZY_PREPARE_CALLS);
	if ((int)regs_return_value(regs))
		return 0;
	/* The VMA cannot go away: its mm's mmap_lock is held across the call. */
	av = (unsigned long)READ_ONCE(d->vma->anon_vma);
	if (!av)
		return 0;
	/* Under ANON_VMA_LAZY this fault would have made a lazy root. */
	anonlazy_sim_prepare(d->vma);
	if ((av & ANONLAZY_TREE_MASK) == ANONLAZY_TREE_VMA) {
		/*
		 * Fallback, for a kernel whose anon_vma_lazy_make_root() says
		 * nothing: two threads faulting a fresh VMA at once both
		 * return here with the tag set, and both count.
		 */
		if (!lazy_from_make_root) {
			anonlazy_count(ANONLAZY_LAZY_ROOTS);
			trace_lazy_root(d->vma, d->before, ANONLAZY_ST_LAZY);
		}
	} else if (!(av & ANONLAZY_TREE_MASK)) {
		anonlazy_count(ANONLAZY_PREPARE_ATTACHED);
	}
	return 0;
}

/*
 * bool anon_vma_lazy_make_root(vma) (ANON_VMA_LAZY, patch 0007): under
 * the mm's page_table_lock it stores the lazy root tag if vma->anon_vma
 * is still NULL, and returns true exactly when it did. Threads that fault
 * the fresh VMA at once all call it; one stores, the others return false.
 */
struct make_root_data {
	struct vm_area_struct *vma;
};

static int make_root_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct make_root_data *d = (struct make_root_data *)ri->data;

	d->vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	return 0;
}

static int make_root_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct make_root_data *d = (struct make_root_data *)ri->data;

	if (!(u8)regs_return_value(regs))
		return 0;
	anonlazy_count(ANONLAZY_LAZY_ROOTS);
	/* It found NULL under the lock; the caller holds the mmap_lock. */
	trace_lazy_root(d->vma, ANONLAZY_ST_NONE, ANONLAZY_ST_LAZY);
	return 0;
}

/*
 * anon_vma_lazy_upgrade(vma, cause) (ANON_VMA_LAZY kernels only) returns 1
 * when it turned a lazy root into a regular anon_vma, 0 when there was
 * nothing to do, or an error. The cause (enum anonlazy_upgrade_cause) says
 * which path asked.
 */
struct upgrade_data {
	struct vm_area_struct *vma;
	unsigned int cause;	/* an enum argument: its low 32 bits */
	int before;
};

static int upgrade_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct upgrade_data *d = (struct upgrade_data *)ri->data;

	d->vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	d->cause = (unsigned int)regs_get_kernel_argument(regs, 1);
	d->before = anonlazy_tree_state((unsigned long)READ_ONCE(d->vma->anon_vma));
	return 0;
}

static int upgrade_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct upgrade_data *d = (struct upgrade_data *)ri->data;

	if ((int)regs_return_value(regs) != 1)
		return 0;
	anonlazy_count(ANONLAZY_UPGRADES);
	anonlazy_count(anonlazy_upgrade_counter(d->cause));
	/* The caller holds the VMA's mmap_lock: it is still there. */
	trace_upgrade(d->vma, (int)d->cause, d->before,
		      anonlazy_tree_state((unsigned long)READ_ONCE(d->vma->anon_vma)));
	return 0;
}

/*
 * The anon_vma tracepoints of ANON_VMA_LAZY kernels (patch 0009): where
 * the kernel has them, they replace the two return probes above. A
 * tracepoint calls its probe with the event's arguments, from the thread
 * that made the change and only when it made one: no entry trap, no
 * kretprobe instance to run out of, nothing missed. The prototypes are
 * the events' TP_PROTO (include/trace/events/anon_vma.h), with a void
 * *data first; the cause enum is passed as the int it is.
 */
static void tp_lazy_root(void *data, struct vm_area_struct *vma)
{
	anonlazy_count(ANONLAZY_LAZY_ROOTS);
	trace_lazy_root(vma, ANONLAZY_ST_NONE, ANONLAZY_ST_LAZY);
}

static void tp_lazy_upgrade(void *data, struct vm_area_struct *vma,
			    struct anon_vma *anon_vma, unsigned int cause,
			    unsigned long nr_folios)
{
	anonlazy_count(ANONLAZY_UPGRADES);
	anonlazy_count(anonlazy_upgrade_counter(cause));
	trace_upgrade(vma, (int)cause, ANONLAZY_ST_LAZY, ANONLAZY_ST_REGULAR);
}

/*
 * anon_vma_fork(vma, pvma): the child's VMA either reuses an anon_vma of
 * the parent's chain (anon_vma_clone() picks one with no VMA and fewer
 * than two children) or gets a new one, allocated after the clone and
 * linked by anon_vma_chain_assign() at the head of the child's chain.
 * anon_vma_clone() copies the parent's chain in order (it walks it in
 * reverse and adds each link at the head), so after a reuse the child's
 * first link names the same anon_vma as the parent's first link; after an
 * allocation it names the new one, which is on no chain of the parent.
 * Both chains are stable here: dup_mmap() holds both mmap_locks for write.
 */
struct fork_data {
	struct vm_area_struct *vma;
	struct vm_area_struct *pvma;
	int before;
};

static int fork_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct fork_data *d = (struct fork_data *)ri->data;

	anonlazy_count(ANONLAZY_FORK_CALLS);
	d->vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	d->pvma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 1);
	/* The child's copy of the parent's value, as vm_area_dup() left it. */
	d->before = anonlazy_tree_state((unsigned long)READ_ONCE(d->vma->anon_vma));
	return 0;
}

static struct anon_vma *first_link(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	avc = list_first_entry_or_null(&vma->anon_vma_chain,
				       struct anon_vma_chain, same_vma);
	return avc ? READ_ONCE(avc->anon_vma) : NULL;
}

static int fork_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct fork_data *d = (struct fork_data *)ri->data;
	unsigned long av;

	if ((int)regs_return_value(regs))
		return 0;
	av = (unsigned long)READ_ONCE(d->vma->anon_vma);
	if (!av)
		return 0;
	if ((av & ANONLAZY_TREE_MASK) == ANONLAZY_TREE_PARENT) {
		anonlazy_count(ANONLAZY_PARENT_LINKS);
		trace_parent_link(d->vma, d->before, ANONLAZY_ST_PARENT);
		return 0;
	}
	if (av & ANONLAZY_TREE_MASK)
		return 0;
	if (first_link(d->vma) == (struct anon_vma *)av &&
	    first_link(d->pvma) != (struct anon_vma *)av)
		anonlazy_count(ANONLAZY_FORK_ATTACHED);
	return 0;
}

/*
 * anon_vma_clone(dst, src): a second VMA shares src's folios; the patched
 * kernel upgrades a lazy src here, so for the simulation both are regular.
 * Both VMAs are held by the caller's mmap_lock.
 */
static int clone_pre(struct kprobe *p, struct pt_regs *regs)
{
	anonlazy_count(ANONLAZY_CLONE_CALLS);
	anonlazy_sim_clone((struct vm_area_struct *)regs_get_kernel_argument(regs, 0),
			   (struct vm_area_struct *)regs_get_kernel_argument(regs, 1));
	return 0;
}

/*
 * unlink_anon_vmas(vma): the tag of vma->anon_vma at entry says what is
 * torn down. NULL (no anonymous memory) and parent-linked are neither.
 */
static int unlink_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct vm_area_struct *vma;
	unsigned long av;

	anonlazy_count(ANONLAZY_UNLINK_CALLS);
	vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	av = (unsigned long)READ_ONCE(vma->anon_vma);
	if ((av & ANONLAZY_TREE_MASK) == ANONLAZY_TREE_VMA)
		anonlazy_count(ANONLAZY_UNLINK_LAZY);
	else if (av && !(av & ANONLAZY_TREE_MASK))
		anonlazy_count(ANONLAZY_UNLINK_REGULAR);
	anonlazy_sim_unlink(vma);
	return 0;
}

/*
 * rmap_walk_anon(folio, rwc, locked), rmap_walk_file(folio, rwc, locked),
 * rmap_walk_ksm(folio, rwc): the walkers every rmap walk ends in. The
 * exported rmap_walk() and rmap_walk_locked() are only dispatchers, and
 * their callers in mm/rmap.c (try_to_unmap, try_to_migrate,
 * folio_referenced, folio_mkclean) inline them, so probing them misses
 * most walks.
 *
 * The entry counts the walk by the folio's kind and notes the time; the
 * return adds the duration to the kind's histogram. The clock is
 * sched_clock(), as ftrace's "local" clock: the TSC in ns, where
 * ktime_get_ns() reads the clocksource (on a machine whose TSCs are not
 * synchronised, as in any QEMU TCG guest, the HPET: an MMIO read per
 * call), and local_clock() clamps an unstable TSC to the last tick's time
 * plus one tick, so with a late tick it stands still and a walk reads
 * 0 ns. sched_clock() is monotonic on one CPU; a walk that sleeps and returns
 * on another is timed across the two CPUs' TSCs, and a negative span
 * counts as 0.
 *
 * A walk of a regular anon folio took the anon_vma lock itself unless its
 * caller held it (locked) or it only tried and failed (rwc->try_lock,
 * rwc->contended set by rmap_walk_anon_lock() or
 * folio_lock_anon_vma_read(), 6.1 and 6.12 alike). rwc lives in the
 * caller's frame, alive until we return.
 */
struct walk_data {
	u64 start;
	struct rmap_walk_control *rwc;
	u8 kind;
	bool check_lock;
};

static __always_inline int walk_begin(struct kretprobe_instance *ri,
				      struct pt_regs *regs, bool anon)
{
	struct walk_data *d = (struct walk_data *)ri->data;
	struct folio *folio = (struct folio *)regs_get_kernel_argument(regs, 0);
	int kind = anonlazy_walk_kind((unsigned long)READ_ONCE(folio->mapping));

	anonlazy_count(anonlazy_walk_kind_counter[kind]);
	d->kind = kind;
	/* bool locked: the low byte */
	d->check_lock = anon && kind == ANONLAZY_KIND_ANON &&
			!(u8)regs_get_kernel_argument(regs, 2);
	d->rwc = (struct rmap_walk_control *)regs_get_kernel_argument(regs, 1);
	d->start = sched_clock();
	return 0;
}

static int walk_anon_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return walk_begin(ri, regs, true);
}

static int walk_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return walk_begin(ri, regs, false);
}

static int walk_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct walk_data *d = (struct walk_data *)ri->data;
	u64 now = sched_clock();
	u64 ns = now > d->start ? now - d->start : 0;

	anonlazy_latency_add(d->kind, ns);
	trace_rmap_walk(d->kind, ns);
	if (d->check_lock &&
	    !(READ_ONCE(d->rwc->try_lock) && READ_ONCE(d->rwc->contended)))
		anonlazy_count(ANONLAZY_WALK_ANON_LOCKED);
	return 0;
}

struct anonlazy_probe {
	bool is_ret;
	bool wanted;		/* its group is in hooks= */
	bool attached;
	u8 group;		/* enum anonlazy_hook_group */
	int err;
	u64 feeds;		/* the counters it increments, BIT_ULL(counter) */
	/*
	 * A tracepoint that does this probe's job, tried first where set:
	 * tp is the kernel's when it has one, and on_tp says the probe
	 * runs there instead of on the kprobe or kretprobe below.
	 */
	const char *tp_name;
	void *tp_func;
	struct tracepoint *tp;
	bool on_tp;
	union {
		struct kprobe kp;
		struct kretprobe krp;
	};
};

#define CTR(name) BIT_ULL(ANONLAZY_##name)

#define KPROBE(grp, sym, handler, counters) {				\
	.group = ANONLAZY_HOOK_##grp,					\
	.feeds = (counters),						\
	.kp = { .symbol_name = sym, .pre_handler = handler },		\
}

#define KRETPROBE_TP(grp, sym, entry, ret, size, counters, tpn, tpf) { \
	.is_ret = true,							\
	.group = ANONLAZY_HOOK_##grp,					\
	.feeds = (counters),						\
	.tp_name = tpn,							\
	.tp_func = tpf,							\
	.krp = {							\
		.kp = { .symbol_name = sym },				\
		.entry_handler = entry,					\
		.handler = ret,						\
		.data_size = size,					\
	},								\
}

#define KRETPROBE(grp, sym, entry, ret, size, counters)			\
	KRETPROBE_TP(grp, sym, entry, ret, size, counters, NULL, NULL)

/*
 * Registered in this order. anon_vma_lazy_make_root comes before
 * __anon_vma_prepare, so lazy_from_make_root is settled before the
 * fallback can count.
 */
#define MAKE_ROOT 0
static struct anonlazy_probe probes[] = {
	/*
	 * ANON_VMA_LAZY kernels: the anon_vma_lazy_root tracepoint (patch
	 * 0009), else a return probe on patch 0007's bool; elsewhere -ENOENT.
	 */
	[MAKE_ROOT] = KRETPROBE_TP(PREPARE, "anon_vma_lazy_make_root",
				   make_root_entry, make_root_return,
				   sizeof(struct make_root_data), CTR(LAZY_ROOTS),
				   "anon_vma_lazy_root", tp_lazy_root),
	KRETPROBE(PREPARE, "__anon_vma_prepare", prepare_entry, prepare_return,
		  sizeof(struct prepare_data),
		  CTR(PREPARE_CALLS) | CTR(PREPARE_ATTACHED) | CTR(LAZY_ROOTS)),
	KRETPROBE(FORK, "anon_vma_fork", fork_entry, fork_return,
		  sizeof(struct fork_data),
		  CTR(FORK_CALLS) | CTR(FORK_ATTACHED) | CTR(PARENT_LINKS)),
	KPROBE(CLONE, "anon_vma_clone", clone_pre, CTR(CLONE_CALLS)),
	KPROBE(UNLINK, "unlink_anon_vmas", unlink_pre,
	       CTR(UNLINK_CALLS) | CTR(UNLINK_LAZY) | CTR(UNLINK_REGULAR)),
	/* Walks count by the folio's kind: each walker sees only its own. */
	KRETPROBE(WALK, "rmap_walk_anon", walk_anon_entry, walk_return,
		  sizeof(struct walk_data),
		  CTR(WALK_ANON) | CTR(WALK_LAZY) | CTR(WALK_ANON_LOCKED)),
	KRETPROBE(WALK, "rmap_walk_file", walk_entry, walk_return,
		  sizeof(struct walk_data), CTR(WALK_FILE)),
	KRETPROBE(WALK, "rmap_walk_ksm", walk_entry, walk_return,
		  sizeof(struct walk_data), CTR(WALK_KSM)),
	/*
	 * ANON_VMA_LAZY kernels only, the tracepoint of the same name where
	 * the kernel has it: elsewhere this fails with -ENOENT.
	 */
	KRETPROBE_TP(UPGRADE, "anon_vma_lazy_upgrade", upgrade_entry,
		     upgrade_return, sizeof(struct upgrade_data),
		     CTR(UPGRADES) | CTR(UPGRADES_FORK) | CTR(UPGRADES_CLONE) |
		     CTR(UPGRADES_MREMAP) | CTR(UPGRADES_KSM) |
		     CTR(UPGRADES_OTHER),
		     "anon_vma_lazy_upgrade", tp_lazy_upgrade),
};

/* The counters some attached probe feeds; missed always counts. */
static u64 counted;

/*
 * hooks=: the groups to attach (include/anonlazy.h). Every probe hit costs
 * its path time (a kprobe a few tens of ns, a kretprobe about twice that
 * and more): the fork path hits three per VMA, reclaim one per folio, so a
 * user who needs only some counters can leave the rest out.
 */
static char *hooks = ANONLAZY_HOOKS_ALL;
module_param(hooks, charp, 0400);
MODULE_PARM_DESC(hooks,
		 "hook groups to attach, comma-separated: prepare, fork, clone, unlink, walk, upgrade, or all (default)");

/*
 * maxactive=: instances of each kretprobe, the calls it can follow at
 * once; 0 (the default) sizes it for the machine. A call that finds none
 * free is missed (missed=N in probes, the stats counter "missed"); the
 * tests set 1 to make misses happen.
 */
/* At most what tracefs's kretprobes take (KRETPROBE_MAXACTIVE_MAX) */
#define ANONLAZY_MAXACTIVE_MAX 4096
static int maxactive;
module_param(maxactive, int, 0400);
MODULE_PARM_DESC(maxactive,
		 "kretprobe instances per probe, 0 to 4096 (0: max(64, 16 * possible CPUs), the default)");

/* The groups hooks= names, as a mask; -EINVAL for a name it does not know. */
static int hooks_mask(unsigned int *mask)
{
	char *copy, *rest, *name;
	int err = 0;

	copy = kstrdup(hooks, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	*mask = 0;
	rest = copy;
	while ((name = strsep(&rest, ","))) {
		int g;

		name = strim(name);
		if (!strcmp(name, ANONLAZY_HOOKS_ALL)) {
			*mask |= (1U << ANONLAZY_NR_HOOK_GROUPS) - 1;
			continue;
		}
		g = match_string(anonlazy_hook_names, ANONLAZY_NR_HOOK_GROUPS, name);
		if (g < 0) {
			pr_err("hooks=%s: no hook group '%s' (prepare, fork, clone, unlink, walk, upgrade, all)\n",
			       hooks, name);
			err = -EINVAL;
			break;
		}
		*mask |= 1U << g;
	}
	kfree(copy);
	return err;
}

/* A probe is shown by its tracepoint when the kernel has that. */
static const char *probe_symbol(const struct anonlazy_probe *p)
{
	if (p->tp)
		return p->tp_name;
	return p->is_ret ? p->krp.kp.symbol_name : p->kp.symbol_name;
}

static const char *probe_kind(const struct anonlazy_probe *p)
{
	if (p->tp)
		return "tracepoint";
	return p->is_ret ? "kretprobe" : "kprobe";
}

struct tp_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void tp_match(struct tracepoint *tp, void *priv)
{
	struct tp_lookup *l = priv;

	if (!strcmp(tp->name, l->name))
		l->tp = tp;
}

/* The kernel's tracepoint of that name (modules' are not searched). */
static struct tracepoint *find_tracepoint(const char *name)
{
	struct tp_lookup l = { .name = name };

	for_each_kernel_tracepoint(tp_match, &l);
	return l.tp;
}

static const char *probe_hint(int err)
{
	switch (err) {
	case -ENOENT:
		return ANONLAZY_HINT_ENOENT;
	case -EINVAL:
		return ANONLAZY_HINT_EINVAL;
	case -EBUSY:
		return ANONLAZY_HINT_EBUSY;
	default:
		return "";
	}
}

/*
 * The kprobe or kretprobe on sym is attached, through ftrace: its handlers
 * then run in the probed function's own (process) context with preemption
 * off, where the simulation may allocate (GFP_ATOMIC) and take the
 * rhashtable's bucket locks. An int3-based kprobe runs its handler in an
 * NMI-like context, where neither is allowed: no simulation then.
 */
static bool probe_attached(const char *sym)
{
	const struct anonlazy_probe *p;

	for (p = probes; p < probes + ARRAY_SIZE(probes); p++) {
		const struct kprobe *kp = p->is_ret ? &p->krp.kp : &p->kp;

		if (!strcmp(kp->symbol_name, sym))
			return p->attached && !p->on_tp &&
			       (kp->flags & KPROBE_FLAG_FTRACE);
	}
	return false;
}

int anonlazy_probes_register(void)
{
	struct anonlazy_probe *p;
	unsigned int mask;
	int attached = 0, err;

	BUILD_BUG_ON(ANONLAZY_NR_COUNTERS > 64);
	if (maxactive < 0 || maxactive > ANONLAZY_MAXACTIVE_MAX) {
		pr_err("maxactive=%d: want 0 (automatic) to %d\n", maxactive,
		       ANONLAZY_MAXACTIVE_MAX);
		return -EINVAL;
	}
	err = hooks_mask(&mask);
	if (err)
		return err;
	counted = CTR(MISSED);
	lazy_from_make_root = false;
	for (p = probes; p < probes + ARRAY_SIZE(probes); p++) {
		p->wanted = mask & (1U << p->group);
		p->attached = false;
		p->on_tp = false;
		p->tp = p->tp_name ? find_tracepoint(p->tp_name) : NULL;
		if (!p->wanted)
			continue;
		if (p->tp) {
			p->err = tracepoint_probe_register(p->tp, p->tp_func, NULL);
			p->on_tp = !p->err;
		} else if (p->is_ret) {
			/*
			 * Instances for the calls in flight at once: walks and
			 * forks sleep, so more than one per CPU. A call that
			 * finds none left is not seen (missed=N in probes).
			 */
			p->krp.maxactive = maxactive ? maxactive :
				max_t(int, 64, 16 * num_possible_cpus());
			p->err = register_kretprobe(&p->krp);
		} else {
			p->err = register_kprobe(&p->kp);
		}
		p->attached = !p->err;
		if (p->err)
			pr_info("%s: not attached (%d): %s\n", probe_symbol(p), p->err,
				probe_hint(p->err));
		else
			attached++;
		if (p->attached) {
			counted |= p->feeds;
			if (p == &probes[MAKE_ROOT])
				lazy_from_make_root = true;
		}
	}
	pr_info("%d of %zu probes attached (hooks=%s)\n", attached,
		ARRAY_SIZE(probes), hooks);
	anonlazy_sim_start(probe_attached("__anon_vma_prepare") &&
			   probe_attached("anon_vma_clone") &&
			   probe_attached("unlink_anon_vmas"));
	return 0;
}

void anonlazy_probes_unregister(void)
{
	struct kretprobe *krps[ARRAY_SIZE(probes)];
	struct kprobe *kps[ARRAY_SIZE(probes)];
	int nk = 0, nr = 0, ntp = 0;
	struct anonlazy_probe *p;

	for (p = probes; p < probes + ARRAY_SIZE(probes); p++) {
		if (!p->attached)
			continue;
		if (p->on_tp) {
			tracepoint_probe_unregister(p->tp, p->tp_func, NULL);
			ntp++;
		} else if (p->is_ret) {
			krps[nr++] = &p->krp;
		} else {
			kps[nk++] = &p->kp;
		}
		p->attached = false;
		p->on_tp = false;
	}
	/* One RCU grace period for each kind instead of one per probe. */
	if (nk)
		unregister_kprobes(kps, nk);
	if (nr)
		unregister_kretprobes(krps, nr);
	/* No tracepoint probe still runs when the module's text goes. */
	if (ntp)
		tracepoint_synchronize_unregister();
}

/* What the kernel counted as missed for one probe, as its kprobe events do. */
static unsigned long probe_missed(const struct anonlazy_probe *p)
{
	if (p->on_tp)
		return 0;	/* a tracepoint calls every probe, always */
	if (!p->is_ret)
		return READ_ONCE(p->kp.nmissed);
	return READ_ONCE(p->krp.kp.nmissed) +
	       (unsigned long)READ_ONCE(p->krp.nmissed);
}

unsigned long anonlazy_probes_missed(void)
{
	const struct anonlazy_probe *p;
	unsigned long sum = 0;

	for (p = probes; p < probes + ARRAY_SIZE(probes); p++)
		if (p->attached)
			sum += probe_missed(p);
	return sum;
}

bool anonlazy_counter_counted(int idx)
{
	return counted & BIT_ULL(idx);
}

void anonlazy_probes_show(struct seq_file *m)
{
	const struct anonlazy_probe *p;

	for (p = probes; p < probes + ARRAY_SIZE(probes); p++) {
		const char *kind = probe_kind(p);

		if (!p->wanted)
			seq_printf(m, "%s %s %s group=%s\n", probe_symbol(p), kind,
				   ANONLAZY_PROBE_OFF, anonlazy_hook_names[p->group]);
		else if (p->attached)
			seq_printf(m, "%s %s %s " ANONLAZY_PROBE_MISSED "%lu\n",
				   probe_symbol(p), kind, ANONLAZY_PROBE_ATTACHED,
				   probe_missed(p));
		else
			seq_printf(m, "%s %s %s error=%d %s\n", probe_symbol(p), kind,
				   ANONLAZY_PROBE_FAILED, p->err,
				   probe_hint(p->err));
	}
}
