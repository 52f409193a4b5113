/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top: what a frame shows, derived from two snapshots: counter
 * deltas and rates, the counters' groups, latency of the interval, the
 * processes selected and sorted. Shared by the text, JSON and Prometheus
 * renderers.
 */
#ifndef ANONLAZY_TOP_VIEW_H
#define ANONLAZY_TOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "top_opts.h"
#include "top_snap.h"

struct top_frame {
	const struct top_snap *cur;
	const struct top_snap *prev;	/* NULL: the first frame, no rates */
	const struct top_opts *o;
	const char *source;		/* "module" or "bpf" */
	enum top_source src;		/* TOP_SRC_MODULE or TOP_SRC_BPF */
	const char *where;		/* the directory or socket; NULL: o->debugfs */
	double elapsed;			/* seconds since the tool started */
	uint64_t seq;			/* frame number, from 1 */
	const char *status;		/* a line under the header (keys), or NULL */
};

struct top_delta {
	bool valid;			/* there is a previous snapshot */
	bool reset;			/* the counter went down: counted from 0 */
	uint64_t delta;
	double rate;			/* per second */
};

/* cur - prev over secs; a counter that went down counts from 0 (reset). */
struct top_delta top_delta(uint64_t prev, uint64_t cur, double secs);

/* The interval of the frame in seconds (0 on the first). */
double top_frame_secs(const struct top_frame *f);

/* Known counter idx, and the i-th unknown one (matched by name). */
struct top_delta top_counter_delta(const struct top_frame *f, int idx);
struct top_delta top_extra_delta(const struct top_frame *f, int i);

/*
 * Counter groups: the hook groups of include/anonlazy.h
 * (anonlazy_counter_group[]), then "other" (missed, and any name the
 * header does not list).
 */
#define TOP_GROUP_OTHER		ANONLAZY_NR_HOOK_GROUPS
#define TOP_NR_GROUPS		(ANONLAZY_NR_HOOK_GROUPS + 1)
int top_counter_group(const char *name);
const char *top_group_name(int g);

/*
 * The latency shown for kind and bucket b: the interval's walks when
 * there is a previous snapshot, else every walk since the module loaded.
 */
uint64_t top_hist(const struct top_frame *f, int kind, int b);

/* Signed difference of a gauge: *neg and the magnitude. */
uint64_t top_gauge_delta(uint64_t prev, uint64_t cur, bool *neg);

/*
 * The processes rows to show: -p's only, sorted by -s (comm and pid
 * ascending, the others descending, ties by pid), at most max. Indexes
 * into f->cur->procs.rows; returns how many.
 */
size_t top_select_procs(const struct top_frame *f, size_t *idx, size_t max);

/*
 * The BPF source's events per process: a row's calls (the probed
 * functions' calls and walks: prepare, fork, clone, unlink, the four walk
 * kinds), their delta since the previous frame (matched by pid), and
 * the rows to show: -p's only, by pid or comm for -s pid or comm, else
 * by calls descending (ties by pid), at most max. Indexes into
 * f->cur->events.rows; returns how many.
 */
uint64_t top_event_calls(const struct top_event_row *r);
struct top_delta top_event_delta(const struct top_frame *f,
				 const struct top_event_row *r);
size_t top_select_events(const struct top_frame *f, size_t *idx, size_t max);

#endif /* ANONLAZY_TOP_VIEW_H */
