// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: printing, in the formats of include/anonlazy.h. */
#include "bpf_print.h"

#include <stdlib.h>
#include <string.h>

/* As module/debugfs.c's stats_show(). */
void al_print_stats(FILE *f, const uint64_t *val, const bool *counted)
{
	bool any = false;
	int i;

	for (i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		fprintf(f, ANONLAZY_STATS_FMT, anonlazy_counter_names[i],
			(unsigned long long)val[i]);
	for (i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		if (counted[i])
			continue;
		fprintf(f, "%s %s", any ? "" : ANONLAZY_STATS_DISABLED,
			anonlazy_counter_names[i]);
		any = true;
	}
	if (any)
		fputc('\n', f);
}

/* As module/latency.c's anonlazy_latency_show(). */
void al_print_latency(FILE *f, const struct al_bpf_hist *h)
{
	fputs(ANONLAZY_LATENCY_HEADER, f);
	for (int k = 0; k < ANONLAZY_NR_WALK_KINDS; k++) {
		for (int b = 0; b < ANONLAZY_LATENCY_BUCKETS; b++) {
			unsigned long long lo = b ? 1ULL << b : 0;
			unsigned long long hi = b < 63 ? (1ULL << (b + 1)) - 1 : UINT64_MAX;

			if (h->b[k][b])
				fprintf(f, ANONLAZY_LATENCY_FMT,
					anonlazy_walk_kind_names[k], lo, hi,
					(unsigned long long)h->b[k][b]);
		}
	}
}

/* As module/probes.c's anonlazy_probes_show(). */
void al_print_probe(FILE *f, const struct al_probe_line *p)
{
	switch (p->state) {
	case AL_PROBE_OFF:
		fprintf(f, "%s %s %s group=%s\n", p->symbol, p->mech,
			ANONLAZY_PROBE_OFF, p->group);
		break;
	case AL_PROBE_ATTACHED:
		fprintf(f, "%s %s %s " ANONLAZY_PROBE_MISSED "%llu\n", p->symbol,
			p->mech, ANONLAZY_PROBE_ATTACHED,
			(unsigned long long)p->missed);
		break;
	case AL_PROBE_FAILED:
		fprintf(f, "%s %s %s error=%d %s\n", p->symbol, p->mech,
			ANONLAZY_PROBE_FAILED, p->err, p->hint);
		break;
	}
}

void al_comm_clean(const char *comm, char *out)
{
	size_t i;

	for (i = 0; i < AL_BPF_COMM_LEN && comm[i]; i++)
		out[i] = comm[i] > 0x20 && comm[i] < 0x7f ? comm[i] : '?';
	out[i] = '\0';
	if (!i)
		strcpy(out, ANONLAZY_PROC_EMPTY_COMM);
}

static int by_tgid(const void *a, const void *b)
{
	uint32_t x = ((const struct al_proc_row *)a)->tgid;
	uint32_t y = ((const struct al_proc_row *)b)->tgid;

	return x < y ? -1 : x > y;
}

void al_print_procs(FILE *f, struct al_proc_row *rows, size_t n,
		    uint64_t dropped)
{
	char comm[AL_BPF_COMM_LEN + 1];
	int i;

	fprintf(f, AL_BPF_DROPPED_KEY " %llu\n", (unsigned long long)dropped);
	fputs(anonlazy_proc_cols[ANONLAZY_PROC_PID], f);
	for (i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		if (i != ANONLAZY_MISSED)
			fprintf(f, " %s", anonlazy_counter_names[i]);
	fprintf(f, " %s\n", ANONLAZY_PROC_COMM_COL);
	if (n)
		qsort(rows, n, sizeof(*rows), by_tgid);
	for (size_t r = 0; r < n; r++) {
		fprintf(f, "%u", rows[r].tgid);
		for (i = 0; i < ANONLAZY_NR_COUNTERS; i++)
			if (i != ANONLAZY_MISSED)
				fprintf(f, " %llu", (unsigned long long)rows[r].p.c[i]);
		al_comm_clean(rows[r].p.comm, comm);
		fprintf(f, " %s\n", comm);
	}
}

void al_print_procs_off(FILE *f)
{
	fputs(AL_BPF_PROCS_OFF "\n", f);
}

bool al_census_key_counted(int k)
{
	switch (k) {
	case ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS:
	case ANONLAZY_CENSUS_LOCK_DROPS:
	case ANONLAZY_CENSUS_LEFT_OUT:
	case ANONLAZY_CENSUS_EXITED:
	case ANONLAZY_CENSUS_LOCK_HOLDS:
	case ANONLAZY_CENSUS_LOCK_HOLDS_OVER_1MS:
	case ANONLAZY_CENSUS_LOCK_HOLDS_OVER_10MS:
	case ANONLAZY_CENSUS_LOCK_HOLD_MAX_VMAS:
	case ANONLAZY_CENSUS_LOCK_STEP_MAX_NS:
	case ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS:
		return false;
	default:
		return k >= 0 && k < ANONLAZY_NR_CENSUS_KEYS;
	}
}

void al_print_census(FILE *f, const uint64_t *t)
{
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		if (al_census_key_counted(k))
			fprintf(f, ANONLAZY_CENSUS_FMT, anonlazy_census_names[k],
				(unsigned long long)t[k]);
}

void al_print_census_off(FILE *f, int err)
{
	fprintf(f, AL_BPF_CENSUS_OFF ": %s\n", strerror(-err));
}
