/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-bpf: its output, in the formats of the module's debugfs files
 * (include/anonlazy.h): stats, latency and probes as the module prints
 * them, and a per-process table the module does not have.
 *
 * processes (the loader's own; the module's processes file is a census),
 * with --processes:
 *   "dropped_events <u64>\n"   events of processes the full map had no
 *                              room for (counted in stats, not here)
 *   "pid <counter>... comm\n"  the header: every counter of stats but
 *                              missed, in its order
 *   "<tgid> <u64>... <comm>\n" one row per process that caused an event,
 *                              by tgid; comm is the thread group leader's
 *                              at its first event, as the census prints
 *                              comms: bytes outside 0x21..0x7e as '?', an
 *                              empty one as ANONLAZY_PROC_EMPTY_COMM
 * without --processes, the one line AL_BPF_PROCS_OFF: no table, which a
 * reader could take for "no process caused an event".
 * probes: one line per probed function, in attach order, the module's
 * line with the mechanism it got in the second column: fentry or kprobe
 * (at its entry), fexit or kretprobe (at its return, with an entry program
 * where it needs one); missed= is what the kernel counted for its programs
 * (recursion misses, bpf_prog_info.recursion_misses).
 * census: the module's census file (include/anonlazy.h), counted by the
 * census_iter program (bpf/anonlazy_bpf.h) with the module's rules, each
 * time the section is printed: its keys in the module's order, less
 * those of the module's mmap_lock holds and bounds, which the iterator
 * has not (al_census_key_counted()); a reader takes a missing key as
 * "not measured", never as 0. There is no processes file with it.
 * Where the iterator could not be attached, the one line
 * "AL_BPF_CENSUS_OFF: <why>".
 */
#ifndef AL_BPF_PRINT_H
#define AL_BPF_PRINT_H

#include <linux/types.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "anonlazy.h"
#include "anonlazy_bpf.h"

#define AL_BPF_DROPPED_KEY	"dropped_events"
#define AL_BPF_CENSUS_OFF	"off: no census"
/* The processes section without --processes; readers match the "off:". */
#define AL_BPF_PROCS_OFF_KEY	"off:"
#define AL_BPF_PROCS_OFF	AL_BPF_PROCS_OFF_KEY \
	" the per-process rows are off: start anonlazy-bpf with --processes"

void al_print_stats(FILE *f, const uint64_t *val, const bool *counted);
void al_print_latency(FILE *f, const struct al_bpf_hist *h);

enum al_probe_state {
	AL_PROBE_ATTACHED,
	AL_PROBE_FAILED,
	AL_PROBE_OFF,
};

struct al_probe_line {
	const char *symbol;
	const char *mech;	/* fentry, fexit, kprobe, kretprobe */
	enum al_probe_state state;
	uint64_t missed;	/* attached */
	int err;		/* failed: -errno */
	const char *hint;	/* failed */
	const char *group;	/* off */
};

void al_print_probe(FILE *f, const struct al_probe_line *p);

struct al_proc_row {
	uint32_t tgid;
	struct al_bpf_proc p;
};

/* Sorts rows by tgid. */
void al_print_procs(FILE *f, struct al_proc_row *rows, size_t n,
		    uint64_t dropped);

/* The processes section when the rows are off: AL_BPF_PROCS_OFF. */
void al_print_procs_off(FILE *f);

/* Whether the census section has key k (enum anonlazy_census_key). */
bool al_census_key_counted(int k);
/* The census section of the keys t (by enum anonlazy_census_key). */
void al_print_census(FILE *f, const uint64_t *t);
/* The census section without the iterator (err: -errno of its attach). */
void al_print_census_off(FILE *f, int err);

/* The comm as the census prints it, into out (AL_BPF_COMM_LEN + 1). */
void al_comm_clean(const char *comm, char *out);

#endif /* AL_BPF_PRINT_H */
