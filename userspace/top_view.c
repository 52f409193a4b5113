// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top: deltas, rates, groups and the processes a frame shows. */
#define _GNU_SOURCE
#include "top_view.h"

#include <stdlib.h>
#include <string.h>

struct top_delta top_delta(uint64_t prev, uint64_t cur, double secs)
{
	struct top_delta d = { .valid = true };

	if (cur >= prev) {
		d.delta = cur - prev;
	} else {
		d.reset = true;		/* someone wrote reset, or a reload */
		d.delta = cur;
	}
	d.rate = secs > 0 ? (double)d.delta / secs : 0;
	return d;
}

double top_frame_secs(const struct top_frame *f)
{
	return f->prev ? f->cur->t - f->prev->t : 0;
}

struct top_delta top_counter_delta(const struct top_frame *f, int idx)
{
	struct top_delta none = { 0 };

	if (!f->prev || !f->prev->stats.s.present[idx] ||
	    !f->cur->stats.s.present[idx])
		return none;
	return top_delta(f->prev->stats.s.val[idx], f->cur->stats.s.val[idx],
			 top_frame_secs(f));
}

struct top_delta top_extra_delta(const struct top_frame *f, int i)
{
	struct top_delta none = { 0 };
	const struct top_extra *e = &f->cur->stats.extra[i];

	if (!f->prev)
		return none;
	for (int j = 0; j < f->prev->stats.n_extra; j++)
		if (!strcmp(f->prev->stats.extra[j].name, e->name))
			return top_delta(f->prev->stats.extra[j].val, e->val,
					 top_frame_secs(f));
	return none;
}

/* The header's group of a counter it lists; "other" for one it does not. */
int top_counter_group(const char *name)
{
	int i = al_counter_index(name);

	return i < 0 ? TOP_GROUP_OTHER : anonlazy_counter_group[i];
}

const char *top_group_name(int g)
{
	return g >= 0 && g < ANONLAZY_NR_HOOK_GROUPS ? anonlazy_hook_names[g] : "other";
}

uint64_t top_hist(const struct top_frame *f, int kind, int b)
{
	uint64_t c = f->cur->lat.hist[kind][b];

	if (!f->prev || !f->prev->lat.present)
		return c;
	return top_delta(f->prev->lat.hist[kind][b], c, 0).delta;
}

uint64_t top_gauge_delta(uint64_t prev, uint64_t cur, bool *neg)
{
	*neg = cur < prev;
	return cur >= prev ? cur - prev : prev - cur;
}

/* qsort has no context argument in C11: the key of the sort under way. */
static const struct top_proc *sort_rows;
static int sort_key;

static int cmp_proc(const void *a, const void *b)
{
	const struct top_proc *x = &sort_rows[*(const size_t *)a];
	const struct top_proc *y = &sort_rows[*(const size_t *)b];
	uint64_t px = x->col[ANONLAZY_PROC_PID], py = y->col[ANONLAZY_PROC_PID];
	int c = 0;

	if (sort_key == TOP_SORT_COMM) {
		c = strcmp(x->comm, y->comm);
	} else if (sort_key != ANONLAZY_PROC_PID) {
		uint64_t vx = x->col[sort_key], vy = y->col[sort_key];

		c = vx > vy ? -1 : vx < vy;
	}
	if (c)
		return c;
	return px < py ? -1 : px > py;
}

size_t top_select_procs(const struct top_frame *f, size_t *idx, size_t max)
{
	const struct top_procs *p = &f->cur->procs;
	size_t n = 0;

	if (!p->present || !max)
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (f->o->pid < 0 || p->rows[i].col[ANONLAZY_PROC_PID] == (uint64_t)f->o->pid)
			n++;
	{
		size_t *all = malloc((n ? n : 1) * sizeof(*all)), k = 0;

		if (!all)
			return 0;
		for (size_t i = 0; i < p->n; i++)
			if (f->o->pid < 0 ||
			    p->rows[i].col[ANONLAZY_PROC_PID] == (uint64_t)f->o->pid)
				all[k++] = i;
		sort_rows = p->rows;
		sort_key = f->o->sort;
		qsort(all, n, sizeof(*all), cmp_proc);
		if (n > max)
			n = max;
		memcpy(idx, all, n * sizeof(*idx));
		free(all);
	}
	return n;
}

uint64_t top_event_calls(const struct top_event_row *r)
{
	static const int calls[] = {
		ANONLAZY_PREPARE_CALLS, ANONLAZY_FORK_CALLS, ANONLAZY_CLONE_CALLS,
		ANONLAZY_UNLINK_CALLS, ANONLAZY_WALK_ANON, ANONLAZY_WALK_KSM,
		ANONLAZY_WALK_FILE, ANONLAZY_WALK_LAZY,
	};
	uint64_t s = 0;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		s += r->c[calls[i]];
	return s;
}

struct top_delta top_event_delta(const struct top_frame *f,
				 const struct top_event_row *r)
{
	struct top_delta none = { 0 };
	const struct top_events *p;
	size_t lo = 0, hi;

	if (!f->prev || !f->prev->events.present)
		return none;
	/* rows are by pid, as anonlazy-bpf prints them */
	p = &f->prev->events;
	hi = p->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->rows[mid].pid < r->pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == p->n || p->rows[lo].pid != r->pid)
		return top_delta(0, top_event_calls(r), top_frame_secs(f));
	return top_delta(top_event_calls(&p->rows[lo]), top_event_calls(r),
			 top_frame_secs(f));
}

static const struct top_event_row *sort_events;

static int cmp_event(const void *a, const void *b)
{
	const struct top_event_row *x = &sort_events[*(const size_t *)a];
	const struct top_event_row *y = &sort_events[*(const size_t *)b];
	int c = 0;

	if (sort_key == TOP_SORT_COMM) {
		c = strcmp(x->comm, y->comm);
	} else if (sort_key != ANONLAZY_PROC_PID) {
		uint64_t vx = top_event_calls(x), vy = top_event_calls(y);

		c = vx > vy ? -1 : vx < vy;
	}
	if (c)
		return c;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

size_t top_select_events(const struct top_frame *f, size_t *idx, size_t max)
{
	const struct top_events *p = &f->cur->events;
	size_t n = 0, *all;

	if (!p->present || !max)
		return 0;
	all = malloc((p->n ? p->n : 1) * sizeof(*all));
	if (!all)
		return 0;
	for (size_t i = 0; i < p->n; i++)
		if (f->o->pid < 0 || p->rows[i].pid == (uint64_t)f->o->pid)
			all[n++] = i;
	sort_events = p->rows;
	sort_key = f->o->sort;
	qsort(all, n, sizeof(*all), cmp_event);
	if (n > max)
		n = max;
	memcpy(idx, all, n * sizeof(*idx));
	free(all);
	return n;
}
