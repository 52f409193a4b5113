// SPDX-License-Identifier: GPL-2.0
/*
 * census and processes: the anon_vma state of every process, from a
 * snapshot taken when a file is opened, and what ANON_VMA_LAZY would save
 * (rules and snapshot semantics in include/anonlazy.h).
 *
 * Safety and latency:
 * - One snapshot at a time (census_mutex, killable). It and the latest
 *   snapshot's pointer live under that mutex; each snapshot is refcounted.
 * - mms are collected under RCU with mmgrab() on the task's ->mm under
 *   task_lock(), deduplicated (threads, CLONE_VM), then each is pinned
 *   with mmget_not_zero() only for its walk and released with
 *   mmput_async(): an exiting process is never held up by a reader and
 *   its address space is never torn down in the reader. An mm whose users
 *   are gone by then is skipped (no row). mmdrop() after the walk.
 * - Each mm is walked under mmap_read_lock_killable() the way
 *   show_smaps_rollup() does: every few VMAs, when a writer waits for the
 *   lock (mmap_lock_is_contended()), the CPU is wanted, or it has held
 *   the lock for CENSUS_HOLD_NS (so no writer ever waits longer), the
 *   walk drops the lock, reschedules, locks again and resumes after the
 *   end of the last VMA it counted, skipping a VMA that starts before it
 *   (one merged with a counted one meanwhile). No mm is walked twice.
 * - A VMA's anon_vma and its anon_vma_chain list are read under the mm's
 *   page_table_lock: __anon_vma_prepare() links the chain and publishes
 *   vma->anon_vma under it; an ANON_VMA_LAZY upgrade, which may run under
 *   the read lock, links the chain before it publishes the anon_vma
 *   (release, under the same spinlock), so a list is walked only when the
 *   VMA reads regular. Every other change of the list takes the mmap_lock
 *   for writing. Only pointers are read: no anon_vma is dereferenced, and
 *   a tagged value never is.
 * - Nothing is allocated under the mmap_lock or the spinlock: the chain
 *   buffer is sized from map_count before locking; one that turns out too
 *   small is grown with the lock dropped, and the walk resumes.
 * - Each regular VMA is looked up in the simulation's table (sim.c) under
 *   rcu_read_lock(), inside the page_table_lock: a lookup allocates
 *   nothing and takes no lock; a tracked VMA is estimated exactly, any
 *   other by the structural bound (include/anonlazy.h, "The exact part").
 * - The work is bounded (CENSUS_MAX_PROCS, census_max_chains): an mm that
 *   does not fit is left out whole, with no row. The sorts are radix
 *   passes in chunks with cond_resched() between them; a killed reader
 *   stops the walk and the sort between two mms or chunks.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/hugetlb_inline.h>
#include <linux/kernel.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "anonlazy_mod.h"

#define CENSUS_MAX_PROCS	65536
#define CENSUS_CHECK_EVERY	4	/* VMAs between contention checks */
#define CENSUS_CLOCK_EVERY	64	/* VMAs between looks at the clock */
#define CENSUS_HOLD_NS		1000000	/* longest hold, contended or not */
#define CENSUS_CHUNK		65536	/* entries between cond_resched()s */

static unsigned long census_max_chains = 1UL << 22;
module_param_named(census_max_chains, census_max_chains, ulong, 0600);
MODULE_PARM_DESC(census_max_chains,
		 "most anon_vma_chain entries one census records (default 4194304)");

struct census_proc {
	struct mm_struct *mm;	/* mmgrab()bed while the snapshot is taken */
	pid_t pid;
	bool shown;		/* walked and kept: it has a row */
	char comm[TASK_COMM_LEN];
	u64 st[ANONLAZY_NR_CSTS];
	u64 anon_vmas;		/* distinct within the process */
	u64 chains;
	u64 est_lazy, est_parent;	/* the bound's (untracked VMAs) */
	u64 exact_vmas, exact_lazy;	/* regular VMAs the sim tracks */
	u64 bound_vmas;			/* regular VMAs it does not */
	u64 exact_saved_avs, exact_saved_chains;
};

struct census {
	struct kref ref;
	struct census_proc *procs;
	unsigned long nprocs;
	struct anonlazy_census_avc *avcs;	/* every chain entry */
	unsigned long navcs, cap_avcs;
	unsigned long max_chains;	/* census_max_chains when it began */
	u64 end_ns;			/* when it was complete */
	bool truncated;
	u64 hold_max_ns, holds, holds_1ms, holds_10ms, hold_max_vmas;
	u64 step_max_ns, hold_max_busy_ns;
	u64 drops, left_out, exited;
	u64 total[ANONLAZY_NR_CENSUS_KEYS];
	unsigned long cnt[ANONLAZY_RADIX_PASSES * ANONLAZY_RADIX_BUCKETS];
};

static DEFINE_MUTEX(census_mutex);
static struct census *census_latest;	/* under census_mutex */
static u64 census_generation;		/* under census_mutex */

static void census_free(struct census *c)
{
	kvfree(c->procs);
	kvfree(c->avcs);
	kfree(c);
}

static void census_release_ref(struct kref *ref)
{
	census_free(container_of(ref, struct census, ref));
}

static void census_put(struct census *c)
{
	kref_put(&c->ref, census_release_ref);
}

/*
 * Make room for want chain entries (at least need), keeping the recorded
 * c->navcs; never under a lock. -E2BIG when need is over the bound.
 */
static int census_reserve(struct census *c, unsigned long need,
			  unsigned long want)
{
	struct anonlazy_census_avc *nbuf;
	unsigned long ncap;

	if (want <= c->cap_avcs)
		return 0;
	if (need > c->max_chains)
		return -E2BIG;
	want = min(want, c->max_chains);
	if (want <= c->cap_avcs)
		return 0;
	ncap = min(max(want + want / 2, 1024UL), c->max_chains);
	nbuf = kvmalloc_array(ncap, sizeof(*nbuf), GFP_KERNEL);
	if (!nbuf)
		return -ENOMEM;
	if (c->navcs)
		memcpy(nbuf, c->avcs, c->navcs * sizeof(*nbuf));
	kvfree(c->avcs);
	c->avcs = nbuf;
	c->cap_avcs = ncap;
	return 0;
}

/* Count the processes, to size the array before collecting under RCU. */
static unsigned long census_count_procs(void)
{
	struct task_struct *p;
	unsigned long n = 0;

	rcu_read_lock();
	for_each_process(p)
		n++;
	rcu_read_unlock();
	return n;
}

static int cmp_mm(const void *a, const void *b)
{
	const struct census_proc *x = a, *y = b;

	if (x->mm != y->mm)
		return x->mm < y->mm ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct census_proc *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/*
 * mmgrab() the mm of every user process (the first of its threads that
 * still has one), then drop the duplicates.
 */
static int census_collect(struct census *c)
{
	struct task_struct *p, *t;
	unsigned long cap, i, n = 0;

	cap = min(census_count_procs() + 64, (unsigned long)CENSUS_MAX_PROCS);
	c->procs = kvcalloc(cap, sizeof(*c->procs), GFP_KERNEL);
	if (!c->procs)
		return -ENOMEM;

	rcu_read_lock();
	for_each_process(p) {
		if (p->flags & PF_KTHREAD)
			continue;
		if (n == cap) {
			c->truncated = true;
			break;
		}
		for_each_thread(p, t) {
			struct census_proc *e = &c->procs[n];

			task_lock(t);
			if (t->mm) {
				e->mm = t->mm;
				mmgrab(e->mm);
				e->pid = task_tgid_nr(t);
				strscpy(e->comm, t->comm, sizeof(e->comm));
			}
			task_unlock(t);
			if (e->mm) {
				n++;
				break;
			}
		}
	}
	rcu_read_unlock();

	/* CLONE_VM processes share an mm: keep the lowest pid's entry. */
	sort(c->procs, n, sizeof(*c->procs), cmp_mm, NULL);
	cond_resched();
	c->nprocs = 0;
	for (i = 0; i < n; i++) {
		if (c->nprocs && c->procs[c->nprocs - 1].mm == c->procs[i].mm) {
			mmdrop(c->procs[i].mm);
			continue;
		}
		c->procs[c->nprocs++] = c->procs[i];
	}
	sort(c->procs, c->nprocs, sizeof(*c->procs), cmp_pid, NULL);
	cond_resched();
	return 0;
}

/*
 * One hold of an mm's mmap_lock: when it began, the last look at the
 * clock, the longest time between two looks (at most CENSUS_CLOCK_EVERY
 * VMAs of work: much more is the vCPU not running), the VMAs looked at.
 */
struct census_hold {
	u64 t0, last, step_max, vmas;
};

static void census_hold_begin(struct census_hold *h)
{
	h->t0 = ktime_get_ns();
	h->last = h->t0;
	h->step_max = 0;
	h->vmas = 0;
}

/* Look at the clock; the time held so far. */
static u64 census_hold_clock(struct census_hold *h)
{
	u64 now = ktime_get_ns();

	h->step_max = max(h->step_max, now - h->last);
	h->last = now;
	return now - h->t0;
}

static void census_unlock(struct census *c, struct mm_struct *mm,
			  struct census_hold *h)
{
	u64 held;

	mmap_read_unlock(mm);
	held = census_hold_clock(h);
	c->hold_max_vmas = max(c->hold_max_vmas, h->vmas);
	c->hold_max_ns = max(c->hold_max_ns, held);
	c->step_max_ns = max(c->step_max_ns, h->step_max);
	c->hold_max_busy_ns = max(c->hold_max_busy_ns, held - h->step_max);
	c->holds++;
	c->holds_1ms += held > 1000000;
	c->holds_10ms += held > 10000000;
}

/*
 * Walk one mm (pinned by the caller), proc index idx. Records every chain
 * entry in c->avcs and the VMA counts in e. Returns 0, -EINTR, -ENOMEM or
 * -E2BIG (the caller leaves the mm out).
 */
static int census_walk_mm(struct census *c, struct census_proc *e,
			  unsigned int idx)
{
	struct mm_struct *mm = e->mm;
	unsigned long last_end = 0, n = c->navcs;
	struct vma_iterator vmi;
	struct vm_area_struct *vma;
	unsigned int since_check, since_clock;
	struct census_hold h;
	int ret;

	ret = census_reserve(c, n, n + READ_ONCE(mm->map_count));
	if (ret)
		return ret;
relock:
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	census_hold_begin(&h);
	since_check = 0;
	since_clock = 0;
	vma_iter_init(&vmi, mm, last_end);
	for_each_vma(vmi, vma) {
		struct anon_vma_chain *avc;
		unsigned long av, chain = 0, first = n;
		unsigned int own_chain = 0;
		int st, sim = ANONLAZY_SIM_UNTRACKED;

		h.vmas++;
		if (++since_check >= CENSUS_CHECK_EVERY) {
			bool yield = mmap_lock_is_contended(mm) || need_resched();

			since_check = 0;
			since_clock += CENSUS_CHECK_EVERY;
			if (!yield && since_clock >= CENSUS_CLOCK_EVERY) {
				since_clock = 0;
				yield = census_hold_clock(&h) > CENSUS_HOLD_NS;
			}
			if (yield) {
				census_unlock(c, mm, &h);
				c->drops++;
				cond_resched();
				if (fatal_signal_pending(current))
					return -EINTR;
				goto relock;
			}
		}
		/* Merged with a VMA counted before the lock was dropped. */
		if (vma->vm_start < last_end)
			continue;

		spin_lock(&mm->page_table_lock);
		av = (unsigned long)vma->anon_vma;
		st = anonlazy_census_state(av);
		if (st == ANONLAZY_CST_REGULAR) {
			list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
				if (n < c->cap_avcs) {
					c->avcs[n].av = (unsigned long)avc->anon_vma;
					c->avcs[n].proc = idx;
					c->avcs[n].own_chain = 0;
					c->avcs[n].sim_lazy = 0;
				}
				n++;
				chain++;
			}
		}
		spin_unlock(&mm->page_table_lock);

		if (n > c->cap_avcs) {
			/* Does not fit: grow unlocked, resume at this VMA. */
			unsigned long need = n;

			census_unlock(c, mm, &h);
			c->drops++;
			n = first;
			c->navcs = n;
			ret = census_reserve(c, need,
					     need + READ_ONCE(mm->map_count));
			if (ret)
				return ret;
			goto relock;
		}
		if (st == ANONLAZY_CST_REGULAR && !is_vm_hugetlb_page(vma))
			sim = anonlazy_sim_state(vma);
		if (sim != ANONLAZY_SIM_UNTRACKED) {
			/* Exact: the simulation says what it would be. */
			e->exact_vmas++;
			if (sim == ANONLAZY_SIM_LAZY) {
				e->exact_lazy++;
				for (; first < n; first++)
					c->avcs[first].sim_lazy = 1;
			}
		} else if (st == ANONLAZY_CST_REGULAR && !is_vm_hugetlb_page(vma)) {
			/* hugetlb keeps the regular path: not estimated */
			e->bound_vmas++;
			own_chain = chain;
			for (; first < n; first++) {
				if (c->avcs[first].av == av) {
					c->avcs[first].own_chain = own_chain;
					break;
				}
			}
		}
		e->st[st]++;
		e->chains += chain;
		last_end = vma->vm_end;
	}
	census_unlock(c, mm, &h);
	c->navcs = n;
	return 0;
}

static int census_walk(struct census *c)
{
	unsigned long i;

	for (i = 0; i < c->nprocs; i++) {
		struct census_proc *e = &c->procs[i];
		unsigned long start = c->navcs;
		int ret = 0;

		if (mmget_not_zero(e->mm)) {
			ret = census_walk_mm(c, e, i);
			/* Its teardown, if ours is the last user, not here. */
			mmput_async(e->mm);
			if (!ret) {
				e->shown = true;
			} else if (ret == -E2BIG) {
				/* Too big: leave this mm out, whole. */
				c->truncated = true;
				c->left_out++;
				c->navcs = start;
				ret = 0;
			}
		} else {
			c->exited++;
		}
		mmdrop(e->mm);
		e->mm = NULL;
		if (!ret && fatal_signal_pending(current))
			ret = -EINTR;
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/*
 * Between two chunks of the sort: reschedule, and stop for a reader that
 * was killed (a census of millions of chains sorts for a while).
 */
static int census_sort_break(void)
{
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

/* Sort c->avcs by av (stable), rescheduling between chunks. */
static int census_sort(struct census *c)
{
	struct anonlazy_census_avc *src = c->avcs, *dst;
	unsigned long n = c->navcs, lo;
	unsigned int p;
	int ret = 0;

	if (n < 2)
		return 0;
	dst = kvmalloc_array(n, sizeof(*dst), GFP_KERNEL);
	if (!dst)
		return -ENOMEM;
	memset(c->cnt, 0, sizeof(c->cnt));
	for (lo = 0; lo < n && !ret; lo += CENSUS_CHUNK) {
		anonlazy_radix_count(src, lo, min(lo + CENSUS_CHUNK, n), c->cnt);
		ret = census_sort_break();
	}
	for (p = 0; p < ANONLAZY_RADIX_PASSES && !ret; p++) {
		unsigned long *pos = c->cnt + p * ANONLAZY_RADIX_BUCKETS;

		if (!anonlazy_radix_starts(pos, n))
			continue;
		for (lo = 0; lo < n && !ret; lo += CENSUS_CHUNK) {
			anonlazy_radix_scatter(src, lo, min(lo + CENSUS_CHUNK, n),
					       p, pos, dst);
			ret = census_sort_break();
		}
		swap(src, dst);
	}
	if (ret) {
		/* c->avcs is one of the two; census_put() frees it. */
		kvfree(src == c->avcs ? dst : src);
		return ret;
	}
	/* src holds the sorted entries; free the other buffer. */
	kvfree(dst);
	c->avcs = src;
	c->cap_avcs = n;
	return 0;
}

/* What avs anon_vmas and chains anon_vma_chain entries take in slab. */
static u64 saved_bytes(u64 avs, u64 chains)
{
	return avs * sizeof(struct anon_vma) +
	       chains * sizeof(struct anon_vma_chain);
}

static void census_totals(struct census *c)
{
	const struct anonlazy_census_avc *a = c->avcs;
	u64 *t = c->total;
	unsigned long i, j, end, distinct = 0;

	for (i = 0; i < c->navcs; i = end) {
		unsigned long lazy = 0;

		end = anonlazy_census_group_end(a, i, c->navcs);
		distinct++;
		for (j = i; j < end; j++) {
			struct census_proc *e = &c->procs[a[j].proc];

			if (j == i || a[j].proc != a[j - 1].proc)
				e->anon_vmas++;
			if (a[j].sim_lazy) {
				/* A would-be lazy root has no chain entry. */
				e->exact_saved_chains++;
				lazy++;
			}
			switch (anonlazy_census_estimate(a[j].own_chain, end - i)) {
			case ANONLAZY_EST_LAZY_ROOT:
				e->est_lazy++;
				break;
			case ANONLAZY_EST_PARENT_LINK:
				e->est_parent++;
				break;
			}
		}
		/* Nor would an anon_vma that only would-be lazy roots link to. */
		if (lazy == end - i)
			c->procs[a[i].proc].exact_saved_avs++;
		if ((distinct & (CENSUS_CHUNK - 1)) == 0)
			cond_resched();
	}

	for (i = 0; i < c->nprocs; i++) {
		const struct census_proc *e = &c->procs[i];

		if (!e->shown)
			continue;
		t[ANONLAZY_CENSUS_PROCESSES]++;
		t[ANONLAZY_CENSUS_VMAS_NONE] += e->st[ANONLAZY_CST_NONE];
		t[ANONLAZY_CENSUS_VMAS_REGULAR] += e->st[ANONLAZY_CST_REGULAR];
		t[ANONLAZY_CENSUS_VMAS_LAZY] += e->st[ANONLAZY_CST_LAZY];
		t[ANONLAZY_CENSUS_VMAS_PARENT] += e->st[ANONLAZY_CST_PARENT];
		t[ANONLAZY_CENSUS_VMAS_INVALID] += e->st[ANONLAZY_CST_INVALID];
		t[ANONLAZY_CENSUS_EST_EXACT_VMAS] += e->exact_vmas;
		t[ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS] += e->exact_lazy;
		t[ANONLAZY_CENSUS_EST_EXACT_SAVED_ANON_VMAS] += e->exact_saved_avs;
		t[ANONLAZY_CENSUS_EST_EXACT_SAVED_CHAINS] += e->exact_saved_chains;
		t[ANONLAZY_CENSUS_EST_BOUND_VMAS] += e->bound_vmas;
		t[ANONLAZY_CENSUS_EST_BOUND_LAZY_ROOTS] += e->est_lazy;
		t[ANONLAZY_CENSUS_EST_BOUND_PARENT_LINKS] += e->est_parent;
	}
	t[ANONLAZY_CENSUS_ANON_VMAS] = distinct;
	t[ANONLAZY_CENSUS_CHAINS] = c->navcs;
	anonlazy_census_derive(t, sizeof(struct anon_vma),
			       sizeof(struct anon_vma_chain));
	anonlazy_sim_totals(t);
	t[ANONLAZY_CENSUS_TRUNCATED] = c->truncated;
	t[ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS] = c->hold_max_ns;
	t[ANONLAZY_CENSUS_LOCK_DROPS] = c->drops;
	t[ANONLAZY_CENSUS_LEFT_OUT] = c->left_out;
	t[ANONLAZY_CENSUS_EXITED] = c->exited;
	t[ANONLAZY_CENSUS_LOCK_HOLDS] = c->holds;
	t[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_1MS] = c->holds_1ms;
	t[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_10MS] = c->holds_10ms;
	t[ANONLAZY_CENSUS_LOCK_HOLD_MAX_VMAS] = c->hold_max_vmas;
	t[ANONLAZY_CENSUS_LOCK_STEP_MAX_NS] = c->step_max_ns;
	t[ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS] = c->hold_max_busy_ns;
}

/* Take a new snapshot; census_mutex held. */
static struct census *census_take(void)
{
	struct census *c;
	unsigned long i;
	u64 start = ktime_get_ns();
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	kref_init(&c->ref);
	c->max_chains = READ_ONCE(census_max_chains);
	ret = census_collect(c);
	if (!ret)
		ret = census_walk(c);
	/* The mms a failed walk did not reach. */
	for (i = 0; c->procs && i < c->nprocs; i++) {
		if (c->procs[i].mm)
			mmdrop(c->procs[i].mm);
		c->procs[i].mm = NULL;
	}
	if (!ret)
		ret = census_sort(c);
	if (ret) {
		census_put(c);
		return ERR_PTR(ret);
	}
	census_totals(c);
	/* The chain entries are counted: only the rows stay. */
	kvfree(c->avcs);
	c->avcs = NULL;
	c->navcs = 0;
	c->cap_avcs = 0;
	c->total[ANONLAZY_CENSUS_GENERATION] = ++census_generation;
	c->total[ANONLAZY_CENSUS_TIME_NS] = start;
	c->end_ns = ktime_get_ns();
	c->total[ANONLAZY_CENSUS_WALK_NS] = c->end_ns - start;
	return c;
}

/*
 * The snapshot an open of census (procs false) or processes (procs true)
 * that began at opened reads; a reference for the caller.
 */
static struct census *census_get(bool procs, u64 opened)
{
	struct census *c;

	if (mutex_lock_killable(&census_mutex))
		return ERR_PTR(-EINTR);
	c = census_latest;
	/* Started before this open, and (census) or stale (processes). */
	if (c && c->total[ANONLAZY_CENSUS_TIME_NS] < opened &&
	    (!procs || opened > c->end_ns + ANONLAZY_CENSUS_REUSE_NS))
		c = NULL;
	if (!c) {
		c = census_take();
		if (!IS_ERR(c)) {
			if (census_latest)
				census_put(census_latest);
			census_latest = c;
		}
	}
	if (!IS_ERR(c))
		kref_get(&c->ref);
	mutex_unlock(&census_mutex);
	return c;
}

void anonlazy_census_exit(void)
{
	mutex_lock(&census_mutex);
	if (census_latest)
		census_put(census_latest);
	census_latest = NULL;
	mutex_unlock(&census_mutex);
}

/* The text a reader gets, made once per open(). */
struct census_text {
	size_t len;
	char buf[];
};

static void text_add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vscnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	*len += n;
}

#define PROC_LINE_MAX	(ANONLAZY_NR_PROC_COLS * 21 + TASK_COMM_LEN + 2)
#define HEADER_MAX	512

/* comm as printed: never empty, no byte outside 0x21..0x7e. */
static void census_comm(char *out, const char *comm)
{
	size_t j;

	for (j = 0; j < TASK_COMM_LEN - 1 && comm[j]; j++)
		out[j] = comm[j] > 0x20 && comm[j] < 0x7f ? comm[j] : '?';
	out[j] = '\0';
	if (!j)
		strscpy(out, ANONLAZY_PROC_EMPTY_COMM, TASK_COMM_LEN);
}

static struct census_text *census_format(const struct census *c, bool procs)
{
	size_t size = procs ? HEADER_MAX + c->nprocs * PROC_LINE_MAX :
			      ANONLAZY_NR_CENSUS_KEYS * 48;
	struct census_text *txt;
	unsigned long i;
	int k;

	txt = kvmalloc(struct_size(txt, buf, size), GFP_KERNEL);
	if (!txt)
		return NULL;
	txt->len = 0;
	if (!procs) {
		for (k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
			text_add(txt->buf, size, &txt->len, ANONLAZY_CENSUS_FMT,
				 anonlazy_census_names[k],
				 (unsigned long long)c->total[k]);
		return txt;
	}
	text_add(txt->buf, size, &txt->len, ANONLAZY_PROCESSES_SNAP_FMT,
		 (unsigned long long)c->total[ANONLAZY_CENSUS_GENERATION],
		 (unsigned long long)c->total[ANONLAZY_CENSUS_TIME_NS]);
	for (k = 0; k < ANONLAZY_NR_PROC_COLS; k++)
		text_add(txt->buf, size, &txt->len, "%s ", anonlazy_proc_cols[k]);
	text_add(txt->buf, size, &txt->len, "%s\n", ANONLAZY_PROC_COMM_COL);
	for (i = 0; i < c->nprocs; i++) {
		const struct census_proc *e = &c->procs[i];
		u64 v[ANONLAZY_NR_PROC_COLS] = {
			[ANONLAZY_PROC_PID] = e->pid,
			[ANONLAZY_PROC_VMAS] = e->st[ANONLAZY_CST_NONE] +
				e->st[ANONLAZY_CST_REGULAR] +
				e->st[ANONLAZY_CST_LAZY] +
				e->st[ANONLAZY_CST_PARENT] +
				e->st[ANONLAZY_CST_INVALID],
			[ANONLAZY_PROC_NONE] = e->st[ANONLAZY_CST_NONE],
			[ANONLAZY_PROC_REGULAR] = e->st[ANONLAZY_CST_REGULAR],
			[ANONLAZY_PROC_LAZY] = e->st[ANONLAZY_CST_LAZY],
			[ANONLAZY_PROC_PARENT] = e->st[ANONLAZY_CST_PARENT],
			[ANONLAZY_PROC_ANON_VMAS] = e->anon_vmas,
			[ANONLAZY_PROC_CHAINS] = e->chains,
			[ANONLAZY_PROC_EST_LAZY_ROOTS] = e->exact_lazy + e->est_lazy,
			[ANONLAZY_PROC_EST_PARENT_LINKS] = e->est_parent,
			[ANONLAZY_PROC_EST_SAVED_BYTES] =
				saved_bytes(e->est_lazy + e->est_parent +
					    e->exact_saved_avs,
					    e->est_lazy + e->est_parent +
					    e->exact_saved_chains),
			[ANONLAZY_PROC_EXACT_VMAS] = e->exact_vmas,
			[ANONLAZY_PROC_EXACT_LAZY] = e->exact_lazy,
			[ANONLAZY_PROC_BOUND_VMAS] = e->bound_vmas,
			[ANONLAZY_PROC_BOUND_LAZY] = e->est_lazy,
			[ANONLAZY_PROC_BOUND_PARENT] = e->est_parent,
		};
		char comm[TASK_COMM_LEN];

		if (!e->shown)
			continue;
		census_comm(comm, e->comm);
		for (k = 0; k < ANONLAZY_NR_PROC_COLS; k++)
			text_add(txt->buf, size, &txt->len, "%llu ",
				 (unsigned long long)v[k]);
		text_add(txt->buf, size, &txt->len, "%s\n", comm);
	}
	return txt;
}

static int census_open_common(struct file *file, bool procs)
{
	struct census *c = census_get(procs, ktime_get_ns());

	if (IS_ERR(c))
		return PTR_ERR(c);
	file->private_data = census_format(c, procs);
	census_put(c);
	return file->private_data ? 0 : -ENOMEM;
}

static int census_open(struct inode *inode, struct file *file)
{
	return census_open_common(file, false);
}

static int processes_open(struct inode *inode, struct file *file)
{
	return census_open_common(file, true);
}

static ssize_t census_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	const struct census_text *txt = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, txt->buf, txt->len);
}

static int census_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

static const struct file_operations census_fops = {
	.owner = THIS_MODULE,
	.open = census_open,
	.read = census_read,
	.release = census_release,
	.llseek = default_llseek,
};

static const struct file_operations processes_fops = {
	.owner = THIS_MODULE,
	.open = processes_open,
	.read = census_read,
	.release = census_release,
	.llseek = default_llseek,
};

void anonlazy_census_create(struct dentry *dir)
{
	debugfs_create_file(ANONLAZY_CENSUS_FILE, 0400, dir, NULL, &census_fops);
	debugfs_create_file(ANONLAZY_PROCESSES_FILE, 0400, dir, NULL,
			    &processes_fops);
}
