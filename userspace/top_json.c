// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top --json. */
#define _GNU_SOURCE
#include "top_json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void top_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);	/* bytes, not UTF-8 */
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void delta_fields(FILE *out, struct top_delta d)
{
	if (d.valid)
		fprintf(out, ",\"delta\":%" PRIu64 ",\"rate\":%.3f,\"reset\":%s",
			d.delta, d.rate, d.reset ? "true" : "false");
	else
		fprintf(out, ",\"delta\":null,\"rate\":null,\"reset\":false");
}

static void counters(FILE *out, const struct top_frame *f)
{
	const struct top_stats *st = &f->cur->stats;
	bool first = true;

	fprintf(out, ",\"counters\":{");
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		if (!st->s.present[i])
			continue;
		fprintf(out, "%s\"%s\":{\"group\":\"%s\",\"known\":true,\"disabled\":%s,\"total\":%" PRIu64,
			first ? "" : ",", anonlazy_counter_names[i],
			top_group_name(top_counter_group(anonlazy_counter_names[i])),
			st->disabled[i] ? "true" : "false", st->s.val[i]);
		delta_fields(out, top_counter_delta(f, i));
		fprintf(out, "}");
		first = false;
	}
	for (int i = 0; i < st->n_extra; i++) {
		fprintf(out, "%s\"%s\":{\"group\":\"%s\",\"known\":false,\"disabled\":false,\"total\":%" PRIu64,
			first ? "" : ",", st->extra[i].name,
			top_group_name(top_counter_group(st->extra[i].name)),
			st->extra[i].val);
		delta_fields(out, top_extra_delta(f, i));
		fprintf(out, "}");
		first = false;
	}
	fprintf(out, "},\"absent\":[");
	first = true;
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		if (!st->s.present[i]) {
			fprintf(out, "%s\"%s\"", first ? "" : ",", anonlazy_counter_names[i]);
			first = false;
		}
	fprintf(out, "]");
}

static void slab(FILE *out, const struct top_frame *f)
{
	const struct top_slab *s = &f->cur->slab;

	fprintf(out, ",\"slab\":{\"file\":");
	top_json_str(out, f->o->slabinfo);
	fprintf(out, ",\"error\":");
	if (s->status)
		top_json_str(out, strerror(s->status));
	else
		fprintf(out, "null");
	fprintf(out, ",\"caches\":{");
	for (int k = 0; k < TOP_NR_SLAB; k++) {
		const struct top_slab_cache *c = &s->c[k];

		fprintf(out, "%s\"%s\":", k ? "," : "", top_slab_names[k]);
		if (s->status || !c->present) {
			fprintf(out, "null");
			continue;
		}
		fprintf(out, "{\"objects\":%" PRIu64 ",\"objsize\":%" PRIu64 ",\"kb\":%" PRIu64 ",\"delta\":",
			c->active_objs, c->objsize, top_slab_kb(c));
		if (f->prev && !f->prev->slab.status && f->prev->slab.c[k].present) {
			bool neg;
			uint64_t m = top_gauge_delta(f->prev->slab.c[k].active_objs,
						     c->active_objs, &neg);

			fprintf(out, "%s%" PRIu64, neg ? "-" : "", m);
		} else {
			fprintf(out, "null");
		}
		fprintf(out, "}");
	}
	fprintf(out, "}}");
}

static void census(FILE *out, const struct top_frame *f)
{
	const struct top_census *c = &f->cur->census;
	bool first = true;

	fprintf(out, ",\"census\":");
	if (!c->present) {
		fprintf(out, "null");
		return;
	}
	fprintf(out, "{");
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		if (c->has[k]) {
			fprintf(out, "%s\"%s\":%" PRIu64, first ? "" : ",",
				anonlazy_census_names[k], c->val[k]);
			first = false;
		}
	fprintf(out, "}");
}

static void latency(FILE *out, const struct top_frame *f)
{
	fprintf(out, ",\"latency\":");
	if (!f->cur->lat.present) {
		fprintf(out, "null");
		return;
	}
	fprintf(out, "{\"scope\":\"%s\"", f->prev ? "interval" : "total");
	for (int k = 0; k < ANONLAZY_NR_WALK_KINDS; k++) {
		bool first = true;

		fprintf(out, ",\"%s\":[", anonlazy_walk_kind_names[k]);
		for (int b = 0; b < ANONLAZY_LATENCY_BUCKETS; b++) {
			uint64_t c = top_hist(f, k, b);
			uint64_t lo = b == 0 ? 0 : (uint64_t)1 << b;
			uint64_t hi = b == 0 ? 1 : b == 63 ? UINT64_MAX :
				((uint64_t)1 << (b + 1)) - 1;

			if (!c)
				continue;
			fprintf(out, "%s{\"lo_ns\":%" PRIu64 ",\"hi_ns\":%" PRIu64 ",\"count\":%" PRIu64 "}",
				first ? "" : ",", lo, hi, c);
			first = false;
		}
		fprintf(out, "]");
	}
	fprintf(out, "}");
}

static void probes(FILE *out, const struct top_frame *f)
{
	const struct top_probes *p = &f->cur->probes;

	fprintf(out, ",\"probes\":");
	if (!p->present) {
		fprintf(out, "null");
		return;
	}
	fprintf(out, "[");
	for (int i = 0; i < p->n; i++) {
		const struct top_probe *q = &p->p[i];

		fprintf(out, "%s{\"symbol\":", i ? "," : "");
		top_json_str(out, q->symbol);
		fprintf(out, ",\"kind\":");
		top_json_str(out, q->kind);
		fprintf(out, ",\"state\":\"%s\"", q->state);
		if (!strcmp(q->state, ANONLAZY_PROBE_ATTACHED))
			fprintf(out, ",\"missed\":%" PRIu64, q->missed);
		else if (!strcmp(q->state, ANONLAZY_PROBE_FAILED))
			fprintf(out, ",\"error\":%lld", q->error);
		else
			fprintf(out, ",\"group\":\"%s\"", q->group);
		fprintf(out, "}");
	}
	fprintf(out, "]");
}

static void procs(FILE *out, const struct top_frame *f)
{
	const struct top_procs *p = &f->cur->procs;
	size_t *idx, n;

	fprintf(out, ",\"processes\":");
	if (!p->present) {
		fprintf(out, "null");
		return;
	}
	idx = malloc((size_t)f->o->rows * sizeof(*idx));
	n = idx ? top_select_procs(f, idx, (size_t)f->o->rows) : 0;
	fprintf(out, "{\"generation\":%" PRIu64 ",\"time_ns\":%" PRIu64 ",\"total\":%zu,\"sort\":\"%s\",\"rows\":[",
		p->generation, p->time_ns, p->n, top_sort_name(f->o->sort));
	for (size_t r = 0; r < n; r++) {
		const struct top_proc *row = &p->rows[idx[r]];

		fprintf(out, "%s{", r ? "," : "");
		for (int c = 0; c < ANONLAZY_NR_PROC_COLS; c++)
			fprintf(out, "%s\"%s\":%" PRIu64, c ? "," : "", anonlazy_proc_cols[c],
				row->col[c]);
		fprintf(out, ",\"comm\":");
		top_json_str(out, row->comm);
		fprintf(out, "}");
	}
	fprintf(out, "]}");
	free(idx);
}

/* The BPF source's events per process: the rows -p, -s and -r select. */
static void events(FILE *out, const struct top_frame *f)
{
	const struct top_events *p = &f->cur->events;
	size_t *idx, n;

	fprintf(out, ",\"process_events_off\":%s,\"process_events_dropped\":",
		p->off ? "true" : "false");
	if (!p->present) {
		fprintf(out, "null,\"process_events\":null");
		return;
	}
	idx = malloc((size_t)f->o->rows * sizeof(*idx));
	n = idx ? top_select_events(f, idx, (size_t)f->o->rows) : 0;
	fprintf(out, "%" PRIu64 ",\"process_events\":[", p->dropped);
	for (size_t r = 0; r < n; r++) {
		const struct top_event_row *row = &p->rows[idx[r]];
		struct top_delta d = top_event_delta(f, row);
		bool first = true;

		fprintf(out, "%s{\"pid\":%" PRIu64 ",\"comm\":", r ? "," : "", row->pid);
		top_json_str(out, row->comm);
		fprintf(out, ",\"calls\":%" PRIu64, top_event_calls(row));
		if (d.valid)
			fprintf(out, ",\"calls_delta\":%" PRIu64 ",\"calls_rate\":%.3f",
				d.delta, d.rate);
		else
			fprintf(out, ",\"calls_delta\":null,\"calls_rate\":null");
		fprintf(out, ",\"counters\":{");
		for (int c = 0; c < ANONLAZY_NR_COUNTERS; c++) {
			if (!p->has[c])
				continue;
			fprintf(out, "%s\"%s\":%" PRIu64, first ? "" : ",",
				anonlazy_counter_names[c], row->c[c]);
			first = false;
		}
		fprintf(out, "}}");
	}
	fprintf(out, "]");
	free(idx);
}

void top_render_json(FILE *out, const struct top_frame *f)
{
	const struct top_sys *s = &f->cur->sys;

	fprintf(out, "{\"schema\":\"%s\",\"seq\":%" PRIu64 ",\"elapsed_s\":%.3f,\"interval_s\":",
		TOP_JSON_SCHEMA, f->seq, f->elapsed);
	if (f->prev)
		fprintf(out, "%.3f", top_frame_secs(f));
	else
		fprintf(out, "null");
	fprintf(out, ",\"kernel\":{\"release\":");
	top_json_str(out, s->release);
	fprintf(out, ",\"anon_vma_lazy\":%s,\"sysctl\":", s->has_lazy ? "true" : "false");
	if (s->sysctl >= 0)
		fprintf(out, "%d", s->sysctl);
	else
		fprintf(out, "null");
	fprintf(out, "},\"source\":\"%s\",\"debugfs\":", f->source);
	if (f->src == TOP_SRC_BPF)
		fprintf(out, "null,\"bpf_socket\":");
	top_json_str(out, f->where ? f->where : f->o->debugfs);
	if (f->src != TOP_SRC_BPF)
		fprintf(out, ",\"bpf_socket\":null");
	fprintf(out, ",\"recorded\":%s",
		f->src != TOP_SRC_BPF && f->o->debugfs_given ? "true" : "false");
	counters(out, f);
	slab(out, f);
	census(out, f);
	latency(out, f);
	probes(out, f);
	procs(out, f);
	events(out, f);
	fprintf(out, "}\n");
}
