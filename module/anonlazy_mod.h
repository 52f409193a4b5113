/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy module internals: per-CPU counters, probes, debugfs.
 */
#ifndef ANONLAZY_MOD_H
#define ANONLAZY_MOD_H

#include <linux/types.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "anonlazy.h"

struct anonlazy_pcpu {
	u64 c[ANONLAZY_NR_COUNTERS];
};

DECLARE_PER_CPU(struct anonlazy_pcpu, anonlazy_pcpu);

/* Hot path: called from probe handlers, preemption already off. */
static __always_inline void anonlazy_count(enum anonlazy_counter idx)
{
	this_cpu_inc(anonlazy_pcpu.c[idx]);
}

struct anonlazy_lat_pcpu {
	u64 b[ANONLAZY_NR_WALK_KINDS][ANONLAZY_LATENCY_BUCKETS];
};

DECLARE_PER_CPU(struct anonlazy_lat_pcpu, anonlazy_lat_pcpu);

/* Hot path: one walk of the given kind took ns nanoseconds. */
static __always_inline void anonlazy_latency_add(int kind, u64 ns)
{
	this_cpu_inc(anonlazy_lat_pcpu.b[kind][ns > 1 ? ilog2(ns) : 0]);
}

/* latency.c */
void anonlazy_latency_show(struct seq_file *m);
void anonlazy_latency_reset(void);

/* counters.c */
void anonlazy_counters_read(u64 *out);
void anonlazy_counters_reset(void);

/* probes.c */
int anonlazy_probes_register(void);
void anonlazy_probes_unregister(void);
void anonlazy_probes_show(struct seq_file *m);
unsigned long anonlazy_probes_missed(void);
bool anonlazy_counter_counted(int idx);

/* debugfs.c */
int anonlazy_debugfs_init(void);
void anonlazy_debugfs_exit(void);

/*
 * census.c: the census and processes files, in the debugfs directory;
 * anonlazy_census_exit() frees the latest snapshot at unload.
 */
struct dentry;
void anonlazy_census_create(struct dentry *dir);
void anonlazy_census_exit(void);

/*
 * sim.c: the simulation of ANON_VMA_LAZY's rules behind the census's exact
 * estimate (include/anonlazy.h). init before the probes, start once they
 * are attached (hooked: prepare, clone and unlink all are), exit after
 * they are gone. The hooks run in probe context.
 */
struct vm_area_struct;
enum {
	ANONLAZY_SIM_UNTRACKED,
	ANONLAZY_SIM_REGULAR,
	ANONLAZY_SIM_LAZY,
};

int anonlazy_sim_init(void);
void anonlazy_sim_start(bool hooked);
void anonlazy_sim_exit(void);
void anonlazy_sim_prepare(struct vm_area_struct *vma);
void anonlazy_sim_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
void anonlazy_sim_unlink(struct vm_area_struct *vma);
int anonlazy_sim_state(struct vm_area_struct *vma);
void anonlazy_sim_totals(u64 *t);

#endif /* ANONLAZY_MOD_H */
