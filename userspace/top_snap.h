/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top: one snapshot of the module's debugfs directory (stats,
 * latency, probes, census, processes), parsed with the formats of
 * include/anonlazy.h, plus the system facts of the header line.
 */
#ifndef ANONLAZY_TOP_SNAP_H
#define ANONLAZY_TOP_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anonlazy.h"
#include "stats.h"
#include "top_file.h"
#include "top_slab.h"

#define TOP_NAME_MAX	TOP_WORD_MAX
#define TOP_MAX_EXTRA	64	/* counters this header does not know */
#define TOP_MAX_PROBES	64
#define TOP_COMM_MAX	64

/* A counter the stats file has and include/anonlazy.h does not. */
struct top_extra {
	char name[TOP_NAME_MAX];
	uint64_t val;
};

struct top_stats {
	struct al_stats s;			/* the known counters */
	bool disabled[ANONLAZY_NR_COUNTERS];	/* named by "disabled" */
	int n_extra;
	struct top_extra extra[TOP_MAX_EXTRA];	/* in file order */
};

struct top_latency {
	bool present;				/* the file exists */
	uint64_t hist[ANONLAZY_NR_WALK_KINDS][ANONLAZY_LATENCY_BUCKETS];
};

struct top_probe {
	char symbol[TOP_NAME_MAX];
	char kind[16];			/* kprobe, kretprobe (fentry, ... from BPF) */
	char state[16];			/* attached, failed, off */
	uint64_t missed;		/* attached */
	long long error;		/* failed: -errno */
	char group[16];			/* off */
};

struct top_probes {
	bool present;
	int n;
	struct top_probe p[TOP_MAX_PROBES];
};

struct top_census {
	bool present;
	bool has[ANONLAZY_NR_CENSUS_KEYS];
	uint64_t val[ANONLAZY_NR_CENSUS_KEYS];
};

struct top_proc {
	uint64_t col[ANONLAZY_NR_PROC_COLS];
	char comm[TOP_COMM_MAX];
};

struct top_procs {
	bool present;
	uint64_t generation, time_ns;
	size_t n;
	struct top_proc *rows;		/* malloc'd, by pid as in the file */
};

/*
 * anonlazy-bpf's processes section (userspace/bpf_print.h): the events
 * each process caused, by tgid, since anonlazy-bpf started; not the
 * module's census processes file.
 */
#define TOP_EVENTS_DROPPED	"dropped_events"	/* bpf_print.h's AL_BPF_DROPPED_KEY */
/* The section's first word when anonlazy-bpf runs without --processes. */
#define TOP_EVENTS_OFF		"off:"			/* bpf_print.h's AL_BPF_PROCS_OFF_KEY */

struct top_event_row {
	uint64_t pid;				/* the tgid */
	uint64_t c[ANONLAZY_NR_COUNTERS];	/* 0 where the header has no column */
	char comm[TOP_COMM_MAX];
};

struct top_events {
	bool present;				/* a table (rows may be none) */
	bool off;				/* no table: the rows are off */
	uint64_t dropped;			/* events of processes not in the map */
	bool has[ANONLAZY_NR_COUNTERS];		/* the header names the counter */
	size_t n;
	struct top_event_row *rows;		/* malloc'd, by pid as in the text */
};

/* The running kernel: the header line. */
struct top_sys {
	char release[128];		/* uname -r */
	bool has_lazy;			/* ANONLAZY_SYSCTL_PATH exists */
	int sysctl;			/* its value; -1 when unreadable */
};

struct top_snap {
	double t;			/* CLOCK_MONOTONIC, seconds */
	struct top_sys sys;
	struct top_stats stats;
	struct top_latency lat;
	struct top_probes probes;
	struct top_census census;
	struct top_procs procs;
	struct top_events events;		/* the BPF source only */
	struct top_slab slab;
};

/*
 * The parsers, on a file's text. file is the path errors name. Each
 * returns 0, or -1 with one line in err: "FILE:LINE: what: 'content'".
 */
int top_parse_stats(const char *file, const char *text, size_t len,
		    struct top_stats *out, char *err, size_t errlen);
int top_parse_latency(const char *file, const char *text, size_t len,
		      struct top_latency *out, char *err, size_t errlen);
int top_parse_probes(const char *file, const char *text, size_t len,
		     struct top_probes *out, char *err, size_t errlen);
int top_parse_census(const char *file, const char *text, size_t len,
		     struct top_census *out, char *err, size_t errlen);
int top_parse_processes(const char *file, const char *text, size_t len,
			struct top_procs *out, char *err, size_t errlen);

/* anonlazy-bpf's processes section (top_events.c). */
int top_parse_events(const char *file, const char *text, size_t len,
		     struct top_events *out, char *err, size_t errlen);

/*
 * Where the directory stands: 0 when dir is there and readable; else an
 * errno value, with one line in err naming the cause and the fix (debugfs
 * not mounted, module not loaded, permission denied, not a directory).
 * is_default: dir is the module's own path (not --debugfs).
 */
int top_check_dir(const char *dir, bool is_default, char *err, size_t errlen);

/* Fill sys from uname() and ANONLAZY_SYSCTL_PATH. */
void top_read_sys(struct top_sys *sys);

/*
 * Read a snapshot of dir: stats (required), latency, probes, census then
 * processes (each optional: absent files leave present false), and the
 * slab caches of slabinfo (NULL: none). Frees what out held before.
 * Returns 0, or -1 with one line in err.
 */
int top_snap_read(const char *dir, const char *slabinfo,
		  struct top_snap *out, char *err, size_t errlen);

/*
 * A snapshot of anonlazy-bpf's answer to a request (top_sect.c): text of
 * len bytes from name (the socket's path, for errors), in its
 * multi-section format: each section after a line "== <section>", stats
 * (required), latency, probes and processes (the events of each process:
 * top_parse_events()), each parsed by the parser of its format; an
 * unknown section is skipped. A text without any "==" line is the stats
 * alone (an anonlazy-bpf older than requests). There is no census. Then
 * the slab caches as top_snap_read(). Returns 0, or -1 with one line in
 * err ("NAME (section S):LINE: what: 'content'").
 */
int top_snap_read_text(const char *name, const char *text, size_t len,
		       const char *slabinfo, struct top_snap *out,
		       char *err, size_t errlen);

/* The steps both readers share: a fresh snapshot (time, sys), and its slab. */
void top_snap_begin(struct top_snap *out);
int top_snap_slab(const char *slabinfo, struct top_snap *out,
		  char *err, size_t errlen);

void top_snap_free(struct top_snap *s);

#endif /* ANONLAZY_TOP_SNAP_H */
