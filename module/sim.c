// SPDX-License-Identifier: GPL-2.0
/*
 * The simulation behind the census's exact estimate (include/anonlazy.h,
 * "The exact part"): which VMAs would be lazy roots under ANON_VMA_LAZY,
 * decided event by event from the probes the module has anyway:
 *   __anon_vma_prepare(vma) returned 0 with an anon_vma   vma lazy;
 *   anon_vma_clone(dst, src) with src->anon_vma set       src, dst regular
 *     (the patched anon_vma_clone() upgrades src: fork via anon_vma_fork(),
 *     split, merge via dup_anon_vma(), mremap via copy_vma());
 *   unlink_anon_vmas(vma)                                 vma forgotten.
 *
 * One rhashtable keyed by the VMA's address. Its entries are allocated in
 * probe context (GFP_ATOMIC, from a cache of their own) and freed after an
 * RCU grace period, so the census may look a VMA up under rcu_read_lock().
 * At most sim_max_vmas entries: a VMA beyond that is counted as dropped
 * and left to the structural bound. A VMA is never freed without
 * unlink_anon_vmas() once it has an anon_vma (free_pgtables(), the merge
 * and the error paths all call it), so the table holds live VMAs only and
 * its size follows theirs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/mm_types.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "anonlazy_mod.h"

struct sim_vma {
	struct rhash_head node;
	unsigned long key;		/* the struct vm_area_struct * */
	struct rcu_head rcu;
	int lazy;			/* 1: would be a lazy root */
};

static const struct rhashtable_params sim_params = {
	.key_len = sizeof(unsigned long),
	.key_offset = offsetof(struct sim_vma, key),
	.head_offset = offsetof(struct sim_vma, node),
	.automatic_shrinking = true,
};

static unsigned long sim_max_vmas = ANONLAZY_SIM_MAX_VMAS_DEFAULT;
module_param(sim_max_vmas, ulong, 0600);
MODULE_PARM_DESC(sim_max_vmas,
		 "most VMAs the savings simulation tracks (default 1000000)");

static struct rhashtable sim_table;
static struct kmem_cache *sim_cache;
static bool sim_table_ok;	/* the table exists */
static bool sim_on;		/* the three probes are attached */
static atomic_long_t sim_lazy = ATOMIC_LONG_INIT(0);
static atomic_long_t sim_dropped = ATOMIC_LONG_INIT(0);

int anonlazy_sim_init(void)
{
	int ret;

	sim_cache = KMEM_CACHE(sim_vma, 0);
	if (!sim_cache)
		return -ENOMEM;
	ret = rhashtable_init(&sim_table, &sim_params);
	if (ret) {
		kmem_cache_destroy(sim_cache);
		sim_cache = NULL;
		return ret;
	}
	sim_table_ok = true;
	return 0;
}

/* After every probe is attached: true only when prepare, clone, unlink are. */
void anonlazy_sim_start(bool hooked)
{
	WRITE_ONCE(sim_on, sim_table_ok && hooked);
}

static void sim_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(sim_cache, container_of(head, struct sim_vma, rcu));
}

static void sim_free_now(void *ptr, void *arg)
{
	kmem_cache_free(sim_cache, ptr);
}

/* After the probes are gone and no census can run. */
void anonlazy_sim_exit(void)
{
	WRITE_ONCE(sim_on, false);
	if (!sim_table_ok)
		return;
	/* No reader is left: entries go at once, and the queued ones... */
	rhashtable_free_and_destroy(&sim_table, sim_free_now, NULL);
	/* ... are freed before their cache. */
	rcu_barrier();
	kmem_cache_destroy(sim_cache);
	sim_cache = NULL;
	sim_table_ok = false;
	atomic_long_set(&sim_lazy, 0);
	atomic_long_set(&sim_dropped, 0);
}

static struct sim_vma *sim_find(struct vm_area_struct *vma)
{
	unsigned long key = (unsigned long)vma;

	return rhashtable_lookup(&sim_table, &key, sim_params);
}

/* Set a tracked VMA's state, keeping the lazy count. */
static void sim_set(struct sim_vma *e, int lazy)
{
	int old = xchg(&e->lazy, lazy);

	if (old && !lazy)
		atomic_long_dec(&sim_lazy);
	else if (!old && lazy)
		atomic_long_inc(&sim_lazy);
}

/* Track vma in the given state, or count it dropped. Probe context. */
static void sim_track(struct vm_area_struct *vma, int lazy)
{
	struct sim_vma *e, *old;

	rcu_read_lock();
	e = sim_find(vma);
	if (e) {
		sim_set(e, lazy);
		goto out;
	}
	if (atomic_read(&sim_table.nelems) >= READ_ONCE(sim_max_vmas))
		goto drop;
	e = kmem_cache_alloc(sim_cache, GFP_ATOMIC | __GFP_NOWARN);
	if (!e)
		goto drop;
	e->key = (unsigned long)vma;
	e->lazy = lazy;
	old = rhashtable_lookup_get_insert_fast(&sim_table, &e->node, sim_params);
	if (!old) {
		if (lazy)
			atomic_long_inc(&sim_lazy);
		goto out;
	}
	/* Another CPU inserted it first (two threads faulting the VMA). */
	kmem_cache_free(sim_cache, e);
	if (!IS_ERR(old)) {
		sim_set(old, lazy);
		goto out;
	}
drop:
	atomic_long_inc(&sim_dropped);
out:
	rcu_read_unlock();
}

void anonlazy_sim_prepare(struct vm_area_struct *vma)
{
	if (READ_ONCE(sim_on))
		sim_track(vma, 1);
}

void anonlazy_sim_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (!READ_ONCE(sim_on) || !READ_ONCE(src->anon_vma))
		return;
	sim_track(src, 0);
	sim_track(dst, 0);
}

void anonlazy_sim_unlink(struct vm_area_struct *vma)
{
	struct sim_vma *e;

	if (!READ_ONCE(sim_on))
		return;
	rcu_read_lock();
	e = sim_find(vma);
	if (e && !rhashtable_remove_fast(&sim_table, &e->node, sim_params)) {
		if (e->lazy)
			atomic_long_dec(&sim_lazy);
		call_rcu(&e->rcu, sim_free_rcu);
	}
	rcu_read_unlock();
}

/* The census: whether vma is tracked, and as what. */
int anonlazy_sim_state(struct vm_area_struct *vma)
{
	struct sim_vma *e;
	int st = ANONLAZY_SIM_UNTRACKED;

	if (!READ_ONCE(sim_on))
		return st;
	rcu_read_lock();
	e = sim_find(vma);
	if (e)
		st = READ_ONCE(e->lazy) ? ANONLAZY_SIM_LAZY : ANONLAZY_SIM_REGULAR;
	rcu_read_unlock();
	return st;
}

void anonlazy_sim_totals(u64 *t)
{
	bool on = READ_ONCE(sim_on);

	t[ANONLAZY_CENSUS_SIM_ACTIVE] = on;
	t[ANONLAZY_CENSUS_SIM_TRACKED] = sim_table_ok ?
		atomic_read(&sim_table.nelems) : 0;
	t[ANONLAZY_CENSUS_SIM_TRACKED_LAZY] = max(0L, atomic_long_read(&sim_lazy));
	t[ANONLAZY_CENSUS_SIM_DROPPED] = atomic_long_read(&sim_dropped);
	t[ANONLAZY_CENSUS_SIM_MAX_VMAS] = READ_ONCE(sim_max_vmas);
}
