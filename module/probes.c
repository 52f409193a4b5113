// SPDX-License-Identifier: GPL-2.0
/*
 * kprobes and kretprobes on the anon_vma and rmap entry points. Symbols are
 * resolved when the module loads: one that is missing or cannot be probed
 * on this kernel is recorded with its error and costs only its counters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/mm_types.h>
#include <linux/ptrace.h>
#include <linux/seq_file.h>

#include "anonlazy_mod.h"

/* The tag bits of vma->anon_vma, as the shared header defines them. */
static __always_inline unsigned long vma_anon_tag(struct vm_area_struct *vma)
{
	return (unsigned long)READ_ONCE(vma->anon_vma) & ANONLAZY_TREE_MASK;
}

/* __anon_vma_prepare(vma): the slow path of a VMA's first anon fault. */
struct prepare_data {
	struct vm_area_struct *vma;
};

static int prepare_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct prepare_data *d = (struct prepare_data *)ri->data;

	d->vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 0);
	return 0;
}

static int prepare_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct prepare_data *d = (struct prepare_data *)ri->data;
	unsigned long av;

	anonlazy_count(ANONLAZY_PREPARE_CALLS);
	if (regs_return_value(regs))
		return 0;
	/* The VMA cannot go away: its mm's mmap_lock is held across the call. */
	av = (unsigned long)READ_ONCE(d->vma->anon_vma);
	if (!av)
		return 0;
	if ((av & ANONLAZY_TREE_MASK) == ANONLAZY_TREE_VMA)
		anonlazy_count(ANONLAZY_LAZY_ROOTS);
	else if (!(av & ANONLAZY_TREE_MASK))
		anonlazy_count(ANONLAZY_PREPARE_ATTACHED);
	return 0;
}

/*
 * anon_vma_lazy_upgrade(vma) (ANON_VMA_LAZY kernels only) returns 1 when
 * it turned a lazy root into a regular anon_vma, 0 when there was nothing
 * to do, or an error.
 */
static int upgrade_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	if (regs_return_value(regs) == 1)
		anonlazy_count(ANONLAZY_UPGRADES);
	return 0;
}

static int fork_pre(struct kprobe *p, struct pt_regs *regs)
{
	anonlazy_count(ANONLAZY_FORK_CALLS);
	return 0;
}

static int clone_pre(struct kprobe *p, struct pt_regs *regs)
{
	anonlazy_count(ANONLAZY_CLONE_CALLS);
	return 0;
}

static int unlink_pre(struct kprobe *p, struct pt_regs *regs)
{
	anonlazy_count(ANONLAZY_UNLINK_CALLS);
	return 0;
}

/*
 * rmap_walk_anon(folio, rwc, locked), rmap_walk_file(folio, rwc, locked),
 * rmap_walk_ksm(folio, rwc): the walkers every rmap walk ends in. The
 * exported rmap_walk() and rmap_walk_locked() are only dispatchers, and
 * their callers in mm/rmap.c (try_to_unmap, try_to_migrate,
 * folio_referenced, folio_mkclean) inline them, so probing them misses
 * most walks.
 */
static int walk_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct folio *folio = (struct folio *)regs_get_kernel_argument(regs, 0);

	anonlazy_count(anonlazy_walk_counter((unsigned long)READ_ONCE(folio->mapping)));
	return 0;
}

struct anonlazy_probe {
	bool is_ret;
	bool attached;
	int err;
	union {
		struct kprobe kp;
		struct kretprobe krp;
	};
};

#define KPROBE(sym, handler) {						\
	.kp = { .symbol_name = sym, .pre_handler = handler },		\
}

#define KRETPROBE(sym, entry, ret, size) {				\
	.is_ret = true,							\
	.krp = {							\
		.kp = { .symbol_name = sym },				\
		.entry_handler = entry,					\
		.handler = ret,						\
		.data_size = size,					\
	},								\
}

static struct anonlazy_probe probes[] = {
	KRETPROBE("__anon_vma_prepare", prepare_entry, prepare_return,
		  sizeof(struct prepare_data)),
	KPROBE("anon_vma_fork", fork_pre),
	KPROBE("anon_vma_clone", clone_pre),
	KPROBE("unlink_anon_vmas", unlink_pre),
	KPROBE("rmap_walk_anon", walk_pre),
	KPROBE("rmap_walk_file", walk_pre),
	KPROBE("rmap_walk_ksm", walk_pre),
	/* ANON_VMA_LAZY kernels only: elsewhere these fail with -ENOENT. */
	KRETPROBE("anon_vma_lazy_upgrade", NULL, upgrade_return, 0),
};

static const char *probe_symbol(const struct anonlazy_probe *p)
{
	return p->is_ret ? p->krp.kp.symbol_name : p->kp.symbol_name;
}

static const char *probe_hint(int err)
{
	switch (err) {
	case -ENOENT:
		return "not in kallsyms: inlined, renamed or absent on this kernel";
	case -EINVAL:
		return "not probeable: blacklisted, notrace or not a function entry";
	case -EBUSY:
		return "already in use by another tracer";
	default:
		return "";
	}
}

void anonlazy_probes_register(void)
{
	struct anonlazy_probe *p;
	int attached = 0;

	for (p = probes; p < probes + ARRAY_SIZE(probes); p++) {
		if (p->is_ret) {
			/* Enough instances for every CPU nested a few deep. */
			p->krp.maxactive = max_t(int, 16, 4 * num_possible_cpus());
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
	}
	pr_info("%d of %zu probes attached\n", attached, ARRAY_SIZE(probes));
}

void anonlazy_probes_unregister(void)
{
	struct kretprobe *krps[ARRAY_SIZE(probes)];
	struct kprobe *kps[ARRAY_SIZE(probes)];
	int nk = 0, nr = 0;
	struct anonlazy_probe *p;

	for (p = probes; p < probes + ARRAY_SIZE(probes); p++) {
		if (!p->attached)
			continue;
		if (p->is_ret)
			krps[nr++] = &p->krp;
		else
			kps[nk++] = &p->kp;
		p->attached = false;
	}
	/* One RCU grace period for each kind instead of one per probe. */
	if (nk)
		unregister_kprobes(kps, nk);
	if (nr)
		unregister_kretprobes(krps, nr);
}

void anonlazy_probes_show(struct seq_file *m)
{
	const struct anonlazy_probe *p;

	for (p = probes; p < probes + ARRAY_SIZE(probes); p++) {
		const char *kind = p->is_ret ? "kretprobe" : "kprobe";

		if (p->attached)
			seq_printf(m, "%s %s %s missed=%lu\n", probe_symbol(p), kind,
				   ANONLAZY_PROBE_ATTACHED,
				   p->is_ret ? (unsigned long)p->krp.nmissed :
					       p->kp.nmissed);
		else
			seq_printf(m, "%s %s %s error=%d %s\n", probe_symbol(p), kind,
				   ANONLAZY_PROBE_FAILED, p->err,
				   probe_hint(p->err));
	}
}
