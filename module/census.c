// SPDX-License-Identifier: GPL-2.0
/*
 * census and processes: the anon_vma state of every process, computed when
 * the file is opened, and what ANON_VMA_LAZY would save (rules in
 * include/anonlazy.h).
 *
 * Safety:
 * - mms are collected under RCU, each with mmget_not_zero() on the task's
 *   ->mm under task_lock(), so an exiting task cannot free one under us;
 *   mms shared by threads and CLONE_VM processes are walked once.
 * - Each mm is walked under mmap_read_lock_killable(). A VMA's anon_vma
 *   and its anon_vma_chain list are read under the mm's page_table_lock:
 *   __anon_vma_prepare() links the chain and publishes vma->anon_vma
 *   under it; an ANON_VMA_LAZY upgrade, which may run under the read
 *   lock, links the chain before it publishes the anon_vma (release,
 *   under the same spinlock), so a list is walked only when the VMA
 *   reads regular. Every other change of the list takes the mmap_lock
 *   for writing. Only pointers are read: no anon_vma is dereferenced,
 *   and a tagged value never is.
 * - Nothing is allocated under the mmap_lock or the spinlock: a buffer
 *   that turns out too small is grown after unlocking and the mm walked
 *   again. The work is bounded (CENSUS_MAX_*); a fatal signal ends it
 *   with -EINTR.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/hugetlb_inline.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/rmap.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "anonlazy_mod.h"

#define CENSUS_MAX_PROCS	65536
#define CENSUS_MAX_AVCS		BIT(22)	/* 32 MiB of pointers */
#define CENSUS_MAX_VMAS		BIT(22)
#define CENSUS_RETRIES		4

enum { ST_NONE, ST_REGULAR, ST_LAZY, ST_PARENT, ST_INVALID, NR_ST };

struct census_proc {
	struct mm_struct *mm;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u64 st[NR_ST];
	u64 anon_vmas;		/* distinct within the process */
	u64 est_lazy, est_parent;
	unsigned long avc_start, avc_end;	/* its slice of avcs[] */
	unsigned long vma_start, vma_end;	/* its slice of vmas[] */
};

/* A regular VMA: its own anon_vma and the length of its chain (0: hugetlb). */
struct census_vma {
	unsigned long av;
	unsigned long chain;
};

struct census {
	struct census_proc *procs;
	unsigned long nprocs;
	unsigned long *avcs;		/* avc->anon_vma of every chain entry */
	unsigned long navcs, cap_avcs;
	struct census_vma *vmas;
	unsigned long nvmas, cap_vmas;
	bool truncated;
	u64 total[ANONLAZY_NR_CENSUS_KEYS];
};

static int census_grow(void **buf, unsigned long *cap, unsigned long need,
		       size_t size, unsigned long max)
{
	unsigned long ncap = max(need + need / 2, 256UL);
	void *nbuf;

	if (need > max)
		return -E2BIG;
	ncap = min(ncap, max);
	nbuf = kvmalloc_array(ncap, size, GFP_KERNEL);
	if (!nbuf)
		return -ENOMEM;
	if (*buf)
		memcpy(nbuf, *buf, *cap * size);
	kvfree(*buf);
	*buf = nbuf;
	*cap = ncap;
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

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Take a reference on the mm of every user process (the first of its
 * threads that still has one), then drop the duplicates.
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
			struct mm_struct *mm;

			task_lock(t);
			mm = t->mm;
			if (mm && mmget_not_zero(mm)) {
				e->mm = mm;
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
	c->nprocs = 0;
	for (i = 0; i < n; i++) {
		if (c->nprocs && c->procs[c->nprocs - 1].mm == c->procs[i].mm) {
			mmput(c->procs[i].mm);
			continue;
		}
		c->procs[c->nprocs++] = c->procs[i];
	}
	sort(c->procs, c->nprocs, sizeof(*c->procs), cmp_pid, NULL);
	return 0;
}

static unsigned int vma_state(unsigned long av)
{
	if (!av)
		return ST_NONE;
	switch (av & ANONLAZY_TREE_MASK) {
	case 0:
		return ST_REGULAR;
	case ANONLAZY_TREE_VMA:
		return ST_LAZY;
	case ANONLAZY_TREE_PARENT:
		return ST_PARENT;
	default:
		return ST_INVALID;
	}
}

/*
 * One pass over an mm's VMAs under its mmap_lock. Records what fits in the
 * buffers; returns the avcs and regular VMAs it found in *need_avcs and
 * *need_vmas so that the caller can grow them and try again.
 */
static int census_walk_mm(struct census *c, struct census_proc *e,
			  unsigned long *need_avcs, unsigned long *need_vmas)
{
	VMA_ITERATOR(vmi, e->mm, 0);
	struct mm_struct *mm = e->mm;
	unsigned long navcs = c->navcs, nvmas = c->nvmas;
	struct vm_area_struct *vma;

	memset(e->st, 0, sizeof(e->st));
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for_each_vma(vmi, vma) {
		struct anon_vma_chain *avc;
		unsigned long av, chain = 0;
		unsigned int st;

		spin_lock(&mm->page_table_lock);
		av = (unsigned long)vma->anon_vma;
		st = vma_state(av);
		if (st == ST_REGULAR) {
			list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
				if (navcs < c->cap_avcs)
					c->avcs[navcs] = (unsigned long)avc->anon_vma;
				navcs++;
				chain++;
			}
		}
		spin_unlock(&mm->page_table_lock);
		e->st[st]++;
		if (st == ST_REGULAR) {
			if (nvmas < c->cap_vmas) {
				c->vmas[nvmas].av = av;
				/* hugetlb keeps the regular path: not estimated */
				c->vmas[nvmas].chain =
					is_vm_hugetlb_page(vma) ? 0 : chain;
			}
			nvmas++;
		}
	}
	mmap_read_unlock(mm);
	*need_avcs = navcs;
	*need_vmas = nvmas;
	return 0;
}

static int census_walk(struct census *c)
{
	unsigned long i;

	for (i = 0; i < c->nprocs; i++) {
		struct census_proc *e = &c->procs[i];
		unsigned long need_avcs, need_vmas;
		int tries, ret;

		for (tries = 0; ; tries++) {
			ret = census_walk_mm(c, e, &need_avcs, &need_vmas);
			if (ret)
				return ret;
			if (need_avcs <= c->cap_avcs && need_vmas <= c->cap_vmas)
				break;
			if (tries == CENSUS_RETRIES)
				ret = -EAGAIN;
			if (!ret && need_avcs > c->cap_avcs)
				ret = census_grow((void **)&c->avcs, &c->cap_avcs,
						  need_avcs, sizeof(*c->avcs),
						  CENSUS_MAX_AVCS);
			if (!ret && need_vmas > c->cap_vmas)
				ret = census_grow((void **)&c->vmas, &c->cap_vmas,
						  need_vmas, sizeof(*c->vmas),
						  CENSUS_MAX_VMAS);
			if (ret == -ENOMEM)
				return ret;
			if (ret) {
				/* Too big or too busy: leave this mm out. */
				c->truncated = true;
				memset(e->st, 0, sizeof(e->st));
				need_avcs = c->navcs;
				need_vmas = c->nvmas;
				break;
			}
		}
		e->avc_start = c->navcs;
		e->avc_end = need_avcs;
		e->vma_start = c->nvmas;
		e->vma_end = need_vmas;
		c->navcs = need_avcs;
		c->nvmas = need_vmas;
		/* Counted: let an exiting process's memory go at once. */
		mmput(e->mm);
		e->mm = NULL;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

static unsigned long count_distinct(const unsigned long *a, unsigned long n)
{
	unsigned long i, d = 0;

	for (i = 0; i < n; i++)
		d += !i || a[i] != a[i - 1];
	return d;
}

/* How many entries of the sorted a[0..n) equal v. */
static unsigned long count_equal(const unsigned long *a, unsigned long n,
				 unsigned long v)
{
	unsigned long lo = 0, hi = n, first;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	hi = n;
	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (a[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - first;
}

static void census_totals(struct census *c)
{
	u64 *t = c->total;
	unsigned long i, j;

	/* Distinct anon_vmas per process, then system-wide. */
	for (i = 0; i < c->nprocs; i++) {
		struct census_proc *e = &c->procs[i];

		sort(c->avcs + e->avc_start, e->avc_end - e->avc_start,
		     sizeof(*c->avcs), cmp_ulong, NULL);
		e->anon_vmas = count_distinct(c->avcs + e->avc_start,
					      e->avc_end - e->avc_start);
	}
	sort(c->avcs, c->navcs, sizeof(*c->avcs), cmp_ulong, NULL);

	for (i = 0; i < c->nprocs; i++) {
		struct census_proc *e = &c->procs[i];

		for (j = e->vma_start; j < e->vma_end; j++) {
			const struct census_vma *v = &c->vmas[j];

			if (count_equal(c->avcs, c->navcs, v->av) != 1)
				continue;
			if (v->chain == 1)
				e->est_lazy++;
			else if (v->chain > 1)
				e->est_parent++;
		}
		t[ANONLAZY_CENSUS_VMAS_NONE] += e->st[ST_NONE];
		t[ANONLAZY_CENSUS_VMAS_REGULAR] += e->st[ST_REGULAR];
		t[ANONLAZY_CENSUS_VMAS_LAZY] += e->st[ST_LAZY];
		t[ANONLAZY_CENSUS_VMAS_PARENT] += e->st[ST_PARENT];
		t[ANONLAZY_CENSUS_VMAS_INVALID] += e->st[ST_INVALID];
		t[ANONLAZY_CENSUS_EST_LAZY_ROOTS] += e->est_lazy;
		t[ANONLAZY_CENSUS_EST_PARENT_LINKS] += e->est_parent;
	}
	t[ANONLAZY_CENSUS_PROCESSES] = c->nprocs;
	t[ANONLAZY_CENSUS_VMAS] = t[ANONLAZY_CENSUS_VMAS_NONE] +
		t[ANONLAZY_CENSUS_VMAS_REGULAR] + t[ANONLAZY_CENSUS_VMAS_LAZY] +
		t[ANONLAZY_CENSUS_VMAS_PARENT] + t[ANONLAZY_CENSUS_VMAS_INVALID];
	t[ANONLAZY_CENSUS_ANON_VMAS] = count_distinct(c->avcs, c->navcs);
	t[ANONLAZY_CENSUS_CHAINS] = c->navcs;
	t[ANONLAZY_CENSUS_ANON_VMA_SIZE] = sizeof(struct anon_vma);
	t[ANONLAZY_CENSUS_CHAIN_SIZE] = sizeof(struct anon_vma_chain);
	t[ANONLAZY_CENSUS_ANON_VMA_BYTES] =
		t[ANONLAZY_CENSUS_ANON_VMAS] * sizeof(struct anon_vma);
	t[ANONLAZY_CENSUS_CHAIN_BYTES] =
		t[ANONLAZY_CENSUS_CHAINS] * sizeof(struct anon_vma_chain);
	/* Each VMA of the estimate saves its own anon_vma and one entry. */
	t[ANONLAZY_CENSUS_EST_SAVED_ANON_VMAS] =
		t[ANONLAZY_CENSUS_EST_LAZY_ROOTS] +
		t[ANONLAZY_CENSUS_EST_PARENT_LINKS];
	t[ANONLAZY_CENSUS_EST_SAVED_CHAINS] =
		t[ANONLAZY_CENSUS_EST_SAVED_ANON_VMAS];
	t[ANONLAZY_CENSUS_EST_SAVED_BYTES] =
		t[ANONLAZY_CENSUS_EST_SAVED_ANON_VMAS] *
		(sizeof(struct anon_vma) + sizeof(struct anon_vma_chain));
	t[ANONLAZY_CENSUS_TRUNCATED] = c->truncated;
}

static void census_free(struct census *c)
{
	kvfree(c->procs);
	kvfree(c->avcs);
	kvfree(c->vmas);
}

static int census_run(struct census *c)
{
	int ret;

	memset(c, 0, sizeof(*c));
	ret = census_collect(c);
	if (!ret)
		ret = census_walk(c);
	if (!ret)
		census_totals(c);
	/* The mms a failed walk did not reach. */
	if (c->procs) {
		unsigned long i;

		for (i = 0; i < c->nprocs; i++) {
			if (c->procs[i].mm)
				mmput(c->procs[i].mm);
			c->procs[i].mm = NULL;
		}
	}
	return ret;
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
#define HEADER_MAX	256

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
	for (k = 0; k < ANONLAZY_NR_PROC_COLS; k++)
		text_add(txt->buf, size, &txt->len, "%s ", anonlazy_proc_cols[k]);
	text_add(txt->buf, size, &txt->len, "%s\n", ANONLAZY_PROC_COMM_COL);
	for (i = 0; i < c->nprocs; i++) {
		const struct census_proc *e = &c->procs[i];
		u64 v[ANONLAZY_NR_PROC_COLS] = {
			[ANONLAZY_PROC_PID] = e->pid,
			[ANONLAZY_PROC_VMAS] = e->st[ST_NONE] + e->st[ST_REGULAR] +
				e->st[ST_LAZY] + e->st[ST_PARENT] + e->st[ST_INVALID],
			[ANONLAZY_PROC_NONE] = e->st[ST_NONE],
			[ANONLAZY_PROC_REGULAR] = e->st[ST_REGULAR],
			[ANONLAZY_PROC_LAZY] = e->st[ST_LAZY],
			[ANONLAZY_PROC_PARENT] = e->st[ST_PARENT],
			[ANONLAZY_PROC_ANON_VMAS] = e->anon_vmas,
			[ANONLAZY_PROC_CHAINS] = e->avc_end - e->avc_start,
			[ANONLAZY_PROC_EST_LAZY_ROOTS] = e->est_lazy,
			[ANONLAZY_PROC_EST_PARENT_LINKS] = e->est_parent,
			[ANONLAZY_PROC_EST_SAVED_BYTES] =
				(e->est_lazy + e->est_parent) *
				(sizeof(struct anon_vma) +
				 sizeof(struct anon_vma_chain)),
		};
		char comm[TASK_COMM_LEN];
		size_t j;

		for (j = 0; j < sizeof(comm) - 1 && e->comm[j]; j++)
			comm[j] = e->comm[j] > 0x20 && e->comm[j] < 0x7f ?
				  e->comm[j] : '?';
		comm[j] = '\0';
		for (k = 0; k < ANONLAZY_NR_PROC_COLS; k++)
			text_add(txt->buf, size, &txt->len, "%llu ",
				 (unsigned long long)v[k]);
		text_add(txt->buf, size, &txt->len, "%s\n", comm);
	}
	return txt;
}

static int census_open_common(struct file *file, bool procs)
{
	struct census c;
	int ret;

	ret = census_run(&c);
	if (!ret) {
		file->private_data = census_format(&c, procs);
		if (!file->private_data)
			ret = -ENOMEM;
	}
	census_free(&c);
	return ret;
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
