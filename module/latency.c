// SPDX-License-Identifier: GPL-2.0
/*
 * rmap walk latency: per-CPU log2 histograms of walk durations in
 * nanoseconds, one per walk kind (include/anonlazy.h). Like the counters,
 * a reset records a baseline instead of writing other CPUs' buckets.
 */
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "anonlazy_mod.h"

DEFINE_PER_CPU(struct anonlazy_lat_pcpu, anonlazy_lat_pcpu);

static DEFINE_MUTEX(lat_lock);
static u64 lat_baseline[ANONLAZY_NR_WALK_KINDS][ANONLAZY_LATENCY_BUCKETS];
static u64 lat_sum[ANONLAZY_NR_WALK_KINDS][ANONLAZY_LATENCY_BUCKETS];

static void latency_sum(u64 (*sum)[ANONLAZY_LATENCY_BUCKETS])
{
	int cpu, k, b;

	memset(sum, 0, sizeof(lat_sum));
	for_each_possible_cpu(cpu) {
		const struct anonlazy_lat_pcpu *p = per_cpu_ptr(&anonlazy_lat_pcpu, cpu);

		for (k = 0; k < ANONLAZY_NR_WALK_KINDS; k++)
			for (b = 0; b < ANONLAZY_LATENCY_BUCKETS; b++)
				sum[k][b] += READ_ONCE(p->b[k][b]);
	}
}

void anonlazy_latency_show(struct seq_file *m)
{
	int k, b;

	mutex_lock(&lat_lock);
	latency_sum(lat_sum);
	seq_puts(m, ANONLAZY_LATENCY_HEADER);
	for (k = 0; k < ANONLAZY_NR_WALK_KINDS; k++) {
		for (b = 0; b < ANONLAZY_LATENCY_BUCKETS; b++) {
			u64 n = lat_sum[k][b] - lat_baseline[k][b];
			u64 lo = b ? 1ULL << b : 0;
			u64 hi = b < 63 ? (1ULL << (b + 1)) - 1 : U64_MAX;

			if (n)
				seq_printf(m, ANONLAZY_LATENCY_FMT,
					   anonlazy_walk_kind_names[k],
					   (unsigned long long)lo,
					   (unsigned long long)hi,
					   (unsigned long long)n);
		}
	}
	mutex_unlock(&lat_lock);
}

void anonlazy_latency_reset(void)
{
	mutex_lock(&lat_lock);
	latency_sum(lat_baseline);
	mutex_unlock(&lat_lock);
}
