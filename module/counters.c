// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU event counters. Increments never take a lock; a read sums every
 * possible CPU. A reset does not write the per-CPU slots (a handler running
 * on another CPU could lose or resurrect an increment): it records the sums
 * at that moment as a baseline that later reads subtract. "missed" is the
 * kprobes' own nmissed, read and baselined the same way.
 */
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "anonlazy_mod.h"

DEFINE_PER_CPU(struct anonlazy_pcpu, anonlazy_pcpu);

static DEFINE_MUTEX(baseline_lock);
static u64 baseline[ANONLAZY_NR_COUNTERS];

static void counters_sum(u64 *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(u64) * ANONLAZY_NR_COUNTERS);
	for_each_possible_cpu(cpu) {
		const struct anonlazy_pcpu *p = per_cpu_ptr(&anonlazy_pcpu, cpu);

		for (i = 0; i < ANONLAZY_NR_COUNTERS; i++)
			sum[i] += READ_ONCE(p->c[i]);
	}
	/* Not a per-CPU count: the probes' own nmissed, summed (its slot stays 0). */
	sum[ANONLAZY_MISSED] = anonlazy_probes_missed();
}

void anonlazy_counters_read(u64 *out)
{
	int i;

	mutex_lock(&baseline_lock);
	counters_sum(out);
	for (i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		out[i] -= baseline[i];
	mutex_unlock(&baseline_lock);
}

void anonlazy_counters_reset(void)
{
	mutex_lock(&baseline_lock);
	counters_sum(baseline);
	mutex_unlock(&baseline_lock);
}
