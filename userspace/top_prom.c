// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top --prometheus. */
#define _GNU_SOURCE
#include "top_prom.h"

#include <inttypes.h>
#include <string.h>

/* A HELP text: backslash and newline escaped. */
static void help(FILE *out, const char *name, const char *text, const char *type)
{
	fprintf(out, "# HELP %s ", name);
	for (; *text; text++) {
		if (*text == '\\')
			fputs("\\\\", out);
		else if (*text == '\n')
			fputs("\\n", out);
		else
			fputc(*text, out);
	}
	fprintf(out, "\n# TYPE %s %s\n", name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *out, const char *v)
{
	fputc('"', out);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(out, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", out);
		else
			fputc(*v, out);
	}
	fputc('"', out);
}

static void counters(FILE *out, const struct top_frame *f)
{
	const struct top_stats *st = &f->cur->stats;
	char name[TOP_NAME_MAX + 32];
	bool any = false;

	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		if (!st->s.present[i])
			continue;
		snprintf(name, sizeof(name), "anonlazy_%s_total", anonlazy_counter_names[i]);
		help(out, name, anonlazy_counter_descs[i], "counter");
		fprintf(out, "%s %" PRIu64 "\n", name, st->s.val[i]);
	}
	/* a newer module's counters: one family, the name as a label */
	for (int i = 0; i < st->n_extra; i++) {
		if (!i)
			help(out, "anonlazy_unknown_total",
			     "counters of the module unknown to this anonlazy-top (a newer module), by name",
			     "counter");
		fprintf(out, "anonlazy_unknown_total{name=\"%s\"} %" PRIu64 "\n",
			st->extra[i].name, st->extra[i].val);
	}
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		if (!st->s.present[i])
			continue;
		if (!any)
			help(out, "anonlazy_stats_enabled",
			     "1 when some attached probe feeds the counter, 0 when the stats file lists it as disabled",
			     "gauge");
		any = true;
		fprintf(out, "anonlazy_stats_enabled{name=\"%s\"} %d\n",
			anonlazy_counter_names[i], !st->disabled[i]);
	}
}

static void sys(FILE *out, const struct top_frame *f)
{
	const struct top_sys *s = &f->cur->sys;

	help(out, "anonlazy_kernel_anon_vma_lazy",
	     "1 when the running kernel has ANON_VMA_LAZY (" ANONLAZY_SYSCTL_PATH " exists)",
	     "gauge");
	fprintf(out, "anonlazy_kernel_anon_vma_lazy %d\n", s->has_lazy);
	if (s->sysctl >= 0) {
		help(out, "anonlazy_sysctl_anon_vma_lazy", "the value of vm.anon_vma_lazy",
		     "gauge");
		fprintf(out, "anonlazy_sysctl_anon_vma_lazy %d\n", s->sysctl);
	}
}

static void slab(FILE *out, const struct top_frame *f)
{
	const struct top_slab *s = &f->cur->slab;
	bool any = false;

	if (s->status)
		return;
	for (int k = 0; k < TOP_NR_SLAB; k++)
		any |= s->c[k].present;
	if (!any)
		return;
	help(out, "anonlazy_slab_active_objects",
	     "active objects of the slab cache (/proc/slabinfo)", "gauge");
	for (int k = 0; k < TOP_NR_SLAB; k++)
		if (s->c[k].present)
			fprintf(out, "anonlazy_slab_active_objects{cache=\"%s\"} %" PRIu64 "\n",
				top_slab_names[k], s->c[k].active_objs);
	help(out, "anonlazy_slab_active_bytes",
	     "active objects times object size of the slab cache (/proc/slabinfo)", "gauge");
	for (int k = 0; k < TOP_NR_SLAB; k++)
		if (s->c[k].present)
			fprintf(out, "anonlazy_slab_active_bytes{cache=\"%s\"} %" PRIu64 "\n",
				top_slab_names[k], top_slab_kb(&s->c[k]) * 1024);
}

/*
 * A census key as a metric name, in base units (promtool's lint): "_ns"
 * keys become "_seconds" (value / 1e9), "_ms" ones "_millisecond"
 * (lock_holds_over_one_ms: a count of holds longer than 1 ms).
 * Returns the divisor of the value.
 */
static double census_name(int k, char *buf, size_t size)
{
	const char *key = anonlazy_census_names[k];
	size_t n = strlen(key);

	if (n > 3 && !strcmp(key + n - 3, "_ns")) {
		snprintf(buf, size, "anonlazy_census_%.*s_seconds", (int)(n - 3), key);
		return 1e9;
	}
	if (n > 3 && !strcmp(key + n - 3, "_ms")) {
		snprintf(buf, size, "anonlazy_census_%.*s_millisecond", (int)(n - 3), key);
		return 1;
	}
	snprintf(buf, size, "anonlazy_census_%s", key);
	return 1;
}

static void census(FILE *out, const struct top_frame *f)
{
	const struct top_census *c = &f->cur->census;
	char name[96], text[160];

	if (!c->present)
		return;
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++) {
		double div;

		if (!c->has[k])
			continue;
		div = census_name(k, name, sizeof(name));
		snprintf(text, sizeof(text),
			 "census key %s of the latest snapshot (include/anonlazy.h)%s",
			 anonlazy_census_names[k], div > 1 ? ", in seconds" : "");
		help(out, name, text, "gauge");
		if (div > 1)
			fprintf(out, "%s %.9f\n", name, (double)c->val[k] / div);
		else
			fprintf(out, "%s %" PRIu64 "\n", name, c->val[k]);
	}
}

static void latency(FILE *out, const struct top_frame *f)
{
	const struct top_latency *l = &f->cur->lat;
	bool any = false;

	if (!l->present)
		return;
	for (int k = 0; k < ANONLAZY_NR_WALK_KINDS; k++)
		for (int b = 0; b < ANONLAZY_LATENCY_BUCKETS; b++) {
			uint64_t lo = b == 0 ? 0 : (uint64_t)1 << b;
			uint64_t hi = b == 0 ? 1 : b == 63 ? UINT64_MAX :
				((uint64_t)1 << (b + 1)) - 1;

			if (!l->hist[k][b])
				continue;
			if (!any)
				help(out, "anonlazy_walk_latency_walks_total",
				     "rmap walks that took lo_ns to hi_ns nanoseconds, by folio kind (log2 buckets)",
				     "counter");
			any = true;
			fprintf(out, "anonlazy_walk_latency_walks_total{kind=\"%s\",lo_ns=\"%" PRIu64 "\",hi_ns=\"%" PRIu64 "\"} %" PRIu64 "\n",
				anonlazy_walk_kind_names[k], lo, hi, l->hist[k][b]);
		}
}

static void probes(FILE *out, const struct top_frame *f)
{
	const struct top_probes *p = &f->cur->probes;

	if (!p->present || !p->n)
		return;
	help(out, "anonlazy_probe_attached", "1 when the probe is attached, 0 when failed or off",
	     "gauge");
	for (int i = 0; i < p->n; i++) {
		fprintf(out, "anonlazy_probe_attached{symbol=");
		label(out, p->p[i].symbol);
		fprintf(out, ",kind=");
		label(out, p->p[i].kind);
		fprintf(out, "} %d\n", !strcmp(p->p[i].state, ANONLAZY_PROBE_ATTACHED));
	}
	help(out, "anonlazy_probe_missed_total",
	     "hits of an attached probe that no handler saw", "counter");
	for (int i = 0; i < p->n; i++) {
		if (strcmp(p->p[i].state, ANONLAZY_PROBE_ATTACHED))
			continue;
		fprintf(out, "anonlazy_probe_missed_total{symbol=");
		label(out, p->p[i].symbol);
		fprintf(out, ",kind=");
		label(out, p->p[i].kind);
		fprintf(out, "} %" PRIu64 "\n", p->p[i].missed);
	}
}

void top_render_prom(FILE *out, const struct top_frame *f)
{
	counters(out, f);
	sys(out, f);
	slab(out, f);
	census(out, f);
	latency(out, f);
	probes(out, f);
}
