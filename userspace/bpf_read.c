// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: reading the maps, printing a block. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpf_load.h"
#include "bpf_obj.h"

/* The kernel's count of hits a program missed (recursion). */
static uint64_t prog_missed(const struct bpf_program *p)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	if (!p || bpf_program__fd(p) < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
		return 0;
	return info.recursion_misses;
}

uint64_t al_fn_missed(const struct al_fn *f)
{
	if (f->state != AL_PROBE_ATTACHED)
		return 0;
	if (f->mech == MECH_TP)
		return prog_missed(f->tp);
	if (f->mech == MECH_FENTRY)
		return prog_missed(f->fentry) + prog_missed(f->fexit);
	return prog_missed(f->kprobe) + prog_missed(f->kretprobe);
}

static int read_counters(struct al_bpf *b, uint64_t *val, char *err,
			 size_t errlen)
{
	uint64_t *cpu = calloc((size_t)b->ncpus, sizeof(*cpu));

	if (!cpu)
		return al_bpf_fail(err, errlen, -1, "out of memory");
	for (__u32 k = 0; k < ANONLAZY_NR_COUNTERS; k++) {
		val[k] = 0;
		if (bpf_map__lookup_elem(b->skel->maps.counters, &k, sizeof(k), cpu,
					 sizeof(*cpu) * (size_t)b->ncpus, 0)) {
			free(cpu);
			return al_bpf_fail(err, errlen, -1, "reading the counters failed: %s",
				    strerror(errno));
		}
		for (int c = 0; c < b->ncpus; c++)
			val[k] += cpu[c];
	}
	free(cpu);
	val[ANONLAZY_MISSED] = b->skel->bss->calls_dropped;
	for (int i = 0; i < AL_NR_FNS; i++)
		val[ANONLAZY_MISSED] += al_fn_missed(&b->fn[i]);
	return 0;
}

static int read_latency(struct al_bpf *b, struct al_bpf_hist *sum, char *err,
			size_t errlen)
{
	struct al_bpf_hist *cpu = calloc((size_t)b->ncpus, sizeof(*cpu));
	__u32 zero = 0;

	if (!cpu)
		return al_bpf_fail(err, errlen, -1, "out of memory");
	if (bpf_map__lookup_elem(b->skel->maps.latency, &zero, sizeof(zero), cpu,
				 sizeof(*cpu) * (size_t)b->ncpus, 0)) {
		free(cpu);
		return al_bpf_fail(err, errlen, -1, "reading the latency histograms failed: %s",
			    strerror(errno));
	}
	memset(sum, 0, sizeof(*sum));
	for (int c = 0; c < b->ncpus; c++)
		for (int k = 0; k < ANONLAZY_NR_WALK_KINDS; k++)
			for (int i = 0; i < ANONLAZY_LATENCY_BUCKETS; i++)
				sum->b[k][i] += cpu[c].b[k][i];
	free(cpu);
	return 0;
}

static int print_procs(struct al_bpf *b, FILE *f, char *err, size_t errlen)
{
	const struct bpf_map *map = b->skel->maps.procs;
	struct al_proc_row *rows = NULL;
	size_t n = 0, cap = 0;
	bool first = true;
	__u32 key, cur = 0;

	while (!bpf_map__get_next_key(map, first ? NULL : &cur, &key, sizeof(key))) {
		first = false;
		cur = key;
		if (n == cap) {
			struct al_proc_row *r;

			cap = cap ? 2 * cap : 256;
			r = realloc(rows, cap * sizeof(*rows));
			if (!r) {
				free(rows);
				return al_bpf_fail(err, errlen, -1, "out of memory");
			}
			rows = r;
		}
		rows[n].tgid = key;
		/* Entries are never deleted: the lookup finds it. */
		if (!bpf_map__lookup_elem(map, &key, sizeof(key), &rows[n].p,
					  sizeof(rows[n].p), 0))
			n++;
	}
	al_print_procs(f, rows, n, b->skel->bss->procs_dropped);
	free(rows);
	return 0;
}

int al_bpf_print(struct al_bpf *b, FILE *f, unsigned int show, char *err,
		 size_t errlen)
{
	bool marks = show & (show - 1);

	for (int s = 0; s < AL_BPF_NR_SECTIONS; s++) {
		uint64_t val[ANONLAZY_NR_COUNTERS];
		struct al_bpf_hist hist;

		if (!(show & 1U << s))
			continue;
		if (marks)
			fprintf(f, "== %s\n", al_bpf_section_names[s]);
		switch (s) {
		case AL_BPF_SEC_STATS:
			if (read_counters(b, val, err, errlen))
				return -1;
			al_print_stats(f, val, b->counted);
			break;
		case AL_BPF_SEC_LATENCY:
			if (read_latency(b, &hist, err, errlen))
				return -1;
			al_print_latency(f, &hist);
			break;
		case AL_BPF_SEC_PROBES:
			for (int i = 0; i < AL_NR_FNS; i++) {
				const struct al_fn *fn = &b->fn[i];
				struct al_probe_line l = {
					.symbol = fn->symbol,
					.mech = al_fn_mech_name(fn, fn->mech == MECH_FENTRY ||
							  fn->tried_fentry),
					.state = fn->state,
					.missed = al_fn_missed(fn),
					.err = fn->err,
					.hint = fn->hint,
					.group = anonlazy_hook_names[fn->group],
				};

				al_print_probe(f, &l);
			}
			break;
		case AL_BPF_SEC_PROCESSES:
			if (!b->processes)
				al_print_procs_off(f);
			else if (print_procs(b, f, err, errlen))
				return -1;
			break;
		case AL_BPF_SEC_CENSUS:
			if (al_census_print(b, f, err, errlen))
				return -1;
			break;
		}
	}
	fflush(f);
	return 0;
}
