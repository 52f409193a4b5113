// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top: the text screen. */
#define _GNU_SOURCE
#include "top_text.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"

static int digits(uint64_t v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

void top_bar(char *buf, uint64_t count, uint64_t max, int width)
{
	int n = 0;

	if (max)
		n = (int)((long double)count * width / max);
	if (count && !n)
		n = 1;		/* a bucket with walks is never blank */
	for (int i = 0; i < width; i++)
		buf[i] = i < n ? '*' : ' ';
	buf[width] = '\0';
}

static void header(FILE *out, const struct top_frame *f)
{
	const struct top_sys *s = &f->cur->sys;
	unsigned long up = (unsigned long)f->elapsed;
	char q[AL_QUOTE_MAX];

	fprintf(out, "anonlazy-top - kernel %s, ANON_VMA_LAZY %s", s->release,
		s->has_lazy ? "yes" : "no");
	if (s->has_lazy) {
		if (s->sysctl >= 0)
			fprintf(out, " (vm.anon_vma_lazy=%d)", s->sysctl);
		else
			fprintf(out, " (vm.anon_vma_lazy unreadable)");
	}
	fprintf(out, ", source %s%s (%s), up %lu:%02lu:%02lu\n", f->source,
		f->src != TOP_SRC_BPF && f->o->debugfs_given ? " recorded" : "",
		al_escs(f->where ? f->where : f->o->debugfs, q, sizeof(q)),
		up / 3600, up / 60 % 60, up % 60);
	if (f->status)
		fprintf(out, "%s\n", f->status);
}

static void rate_str(char *buf, size_t n, struct top_delta d, bool disabled)
{
	if (disabled)
		snprintf(buf, n, "off");
	else if (!d.valid)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.1f%s", d.rate, d.reset ? "*" : "");
}

static void counters(FILE *out, const struct top_frame *f)
{
	const struct top_stats *st = &f->cur->stats;
	char rate[48], absent[1024];
	bool any_reset = false;

	fprintf(out, "\n%-24s %20s %12s  %s\n", "COUNTER", "TOTAL", "/s", "DESCRIPTION");
	for (int g = 0; g < TOP_NR_GROUPS; g++) {
		bool head = false;

		for (int i = 0; i < ANONLAZY_NR_COUNTERS + st->n_extra; i++) {
			bool known = i < ANONLAZY_NR_COUNTERS;
			const char *name = known ? anonlazy_counter_names[i] :
				st->extra[i - ANONLAZY_NR_COUNTERS].name;
			struct top_delta d;

			if (top_counter_group(name) != g)
				continue;
			if (known && !st->s.present[i])
				continue;	/* listed below */
			if (!head)
				fprintf(out, "%s\n", top_group_name(g));
			head = true;
			d = known ? top_counter_delta(f, i) :
				top_extra_delta(f, i - ANONLAZY_NR_COUNTERS);
			any_reset |= d.reset;
			rate_str(rate, sizeof(rate), d, known && st->disabled[i]);
			fprintf(out, "  %-22s %20" PRIu64 " %12s  %s\n", name,
				known ? st->s.val[i] : st->extra[i - ANONLAZY_NR_COUNTERS].val,
				rate, known ? anonlazy_counter_descs[i] :
				"(not in this anonlazy-top's header: a newer module?)");
		}
	}
	if (al_stats_absent(&st->s, absent, sizeof(absent)))
		fprintf(out, "absent from stats (an older module?): %s\n", absent);
	if (any_reset)
		fprintf(out, "* went down since the last frame (%s): counted from 0\n",
			f->src == TOP_SRC_BPF ? "anonlazy-bpf restarted" :
			"reset written, or the module reloaded");
}

static void slab(FILE *out, const struct top_frame *f)
{
	const struct top_slab *s = &f->cur->slab;
	char q[AL_QUOTE_MAX];

	al_escs(f->o->slabinfo, q, sizeof(q));
	fprintf(out, "\n%-24s %20s %12s %12s\n", "SLAB", "OBJECTS", "KB", "DELTA");
	if (s->status) {
		fprintf(out, "  %s: %s%s\n", q, strerror(s->status),
			s->status == EACCES ? " (slabinfo is root-only: run as root)" : "");
		return;
	}
	for (int k = 0; k < TOP_NR_SLAB; k++) {
		const struct top_slab_cache *c = &s->c[k];
		char delta[32] = "-";

		if (!c->present) {
			fprintf(out, "  %-22s no line in %s (merged into another cache? boot with slab_nomerge)\n",
				top_slab_names[k], q);
			continue;
		}
		if (f->prev && !f->prev->slab.status && f->prev->slab.c[k].present) {
			bool neg;
			uint64_t m = top_gauge_delta(f->prev->slab.c[k].active_objs,
						     c->active_objs, &neg);

			snprintf(delta, sizeof(delta), "%c%" PRIu64, neg ? '-' : '+', m);
		}
		fprintf(out, "  %-22s %20" PRIu64 " %12" PRIu64 " %12s\n",
			top_slab_names[k], c->active_objs, top_slab_kb(c), delta);
	}
}

static void cval(char *buf, size_t n, const struct top_census *c, int k)
{
	if (c->has[k])
		snprintf(buf, n, "%" PRIu64, c->val[k]);
	else
		snprintf(buf, n, "-");
}

/*
 * The estimate's two parts (a module with the simulation): exact, for the
 * VMAs born since the load, and the structural bound for the others.
 */
static void census_split(FILE *out, const struct top_census *c)
{
	char v[6][24];

	cval(v[0], 24, c, ANONLAZY_CENSUS_EST_EXACT_VMAS);
	cval(v[1], 24, c, ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS);
	cval(v[2], 24, c, ANONLAZY_CENSUS_EST_EXACT_SAVED_ANON_VMAS);
	cval(v[3], 24, c, ANONLAZY_CENSUS_EST_EXACT_SAVED_CHAINS);
	cval(v[4], 24, c, ANONLAZY_CENSUS_EST_EXACT_SAVED_BYTES);
	fprintf(out, "    exact (simulated, VMAs born since the load): vmas %s, lazy roots %s, anon_vmas %s, chains %s, %s bytes\n",
		v[0], v[1], v[2], v[3], v[4]);
	cval(v[0], 24, c, ANONLAZY_CENSUS_EST_BOUND_VMAS);
	cval(v[1], 24, c, ANONLAZY_CENSUS_EST_BOUND_LAZY_ROOTS);
	cval(v[2], 24, c, ANONLAZY_CENSUS_EST_BOUND_PARENT_LINKS);
	cval(v[3], 24, c, ANONLAZY_CENSUS_EST_BOUND_SAVED_ANON_VMAS);
	cval(v[4], 24, c, ANONLAZY_CENSUS_EST_BOUND_SAVED_CHAINS);
	cval(v[5], 24, c, ANONLAZY_CENSUS_EST_BOUND_SAVED_BYTES);
	fprintf(out, "    bound (structural, older VMAs): vmas %s, lazy roots %s, parent links %s, anon_vmas %s, chains %s, %s bytes\n",
		v[0], v[1], v[2], v[3], v[4], v[5]);
	cval(v[0], 24, c, ANONLAZY_CENSUS_SIM_TRACKED);
	cval(v[1], 24, c, ANONLAZY_CENSUS_SIM_TRACKED_LAZY);
	cval(v[2], 24, c, ANONLAZY_CENSUS_SIM_DROPPED);
	cval(v[3], 24, c, ANONLAZY_CENSUS_SIM_MAX_VMAS);
	if (c->val[ANONLAZY_CENSUS_SIM_ACTIVE])
		fprintf(out, "  simulation: on, tracking %s VMAs (%s would-be lazy), %s dropped (sim_max_vmas %s)\n",
			v[0], v[1], v[2], v[3]);
	else
		fprintf(out, "  simulation: off (hooks= leaves out prepare, clone or unlink): the estimate is all bound\n");
}

static void census(FILE *out, const struct top_frame *f)
{
	const struct top_census *c = &f->cur->census;
	char v[12][24];

	if (f->src == TOP_SRC_BPF && !c->present) {
		fprintf(out, "\nCENSUS: none from this anonlazy-bpf (its census iterator is not attached, or it is older)\n");
		return;
	}
	if (!c->present) {
		fprintf(out, "\nCENSUS: no %s file (an older module)\n", ANONLAZY_CENSUS_FILE);
		return;
	}
	cval(v[0], 24, c, ANONLAZY_CENSUS_GENERATION);
	fprintf(out, "\nCENSUS (generation %s, walk %.1f ms)\n", v[0],
		c->has[ANONLAZY_CENSUS_WALK_NS] ?
		(double)c->val[ANONLAZY_CENSUS_WALK_NS] / 1e6 : 0.0);
	cval(v[0], 24, c, ANONLAZY_CENSUS_PROCESSES);
	cval(v[1], 24, c, ANONLAZY_CENSUS_VMAS);
	cval(v[2], 24, c, ANONLAZY_CENSUS_VMAS_NONE);
	cval(v[3], 24, c, ANONLAZY_CENSUS_VMAS_REGULAR);
	cval(v[4], 24, c, ANONLAZY_CENSUS_VMAS_LAZY);
	cval(v[5], 24, c, ANONLAZY_CENSUS_VMAS_PARENT);
	cval(v[6], 24, c, ANONLAZY_CENSUS_VMAS_INVALID);
	fprintf(out, "  processes %s  vmas %s: none %s, regular %s, lazy %s, parent %s, invalid %s\n",
		v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
	cval(v[0], 24, c, ANONLAZY_CENSUS_ANON_VMAS);
	cval(v[1], 24, c, ANONLAZY_CENSUS_ANON_VMA_BYTES);
	cval(v[2], 24, c, ANONLAZY_CENSUS_CHAINS);
	cval(v[3], 24, c, ANONLAZY_CENSUS_CHAIN_BYTES);
	fprintf(out, "  anon_vmas %s (%s bytes)  anon_vma_chains %s (%s bytes)\n",
		v[0], v[1], v[2], v[3]);
	cval(v[0], 24, c, ANONLAZY_CENSUS_EST_LAZY_ROOTS);
	cval(v[1], 24, c, ANONLAZY_CENSUS_EST_PARENT_LINKS);
	cval(v[2], 24, c, ANONLAZY_CENSUS_EST_SAVED_ANON_VMAS);
	cval(v[3], 24, c, ANONLAZY_CENSUS_EST_SAVED_CHAINS);
	cval(v[4], 24, c, ANONLAZY_CENSUS_EST_SAVED_BYTES);
	fprintf(out, "  ANON_VMA_LAZY would save (estimate): lazy roots %s, parent links %s, anon_vmas %s, chains %s, %s bytes\n",
		v[0], v[1], v[2], v[3], v[4]);
	if (c->has[ANONLAZY_CENSUS_SIM_ACTIVE])
		census_split(out, c);
	if (c->has[ANONLAZY_CENSUS_TRUNCATED] && c->val[ANONLAZY_CENSUS_TRUNCATED] &&
	    !c->has[ANONLAZY_CENSUS_LEFT_OUT]) {
		/* anonlazy-bpf's: what did not fit was not counted */
		fprintf(out, "  truncated: a bound of anonlazy-bpf's census was hit: the counts are partial\n");
	} else if (c->has[ANONLAZY_CENSUS_TRUNCATED] && c->val[ANONLAZY_CENSUS_TRUNCATED]) {
		cval(v[0], 24, c, ANONLAZY_CENSUS_LEFT_OUT);
		fprintf(out, "  truncated: %s mms left out by the census bounds (census_max_chains)\n",
			v[0]);
	}
	if (f->cur->procs.present && c->has[ANONLAZY_CENSUS_GENERATION] &&
	    f->cur->procs.generation != c->val[ANONLAZY_CENSUS_GENERATION])
		fprintf(out, "  processes below are of generation %" PRIu64
			" (another reader took a snapshot in between)\n",
			f->cur->procs.generation);
}

static uint64_t bucket_hi(int b)
{
	return b == 0 ? 1 : b == 63 ? UINT64_MAX : ((uint64_t)1 << (b + 1)) - 1;
}

/* Histogram lines cut may still show (INT_MAX: no limit). */
static int hist_room(const struct top_text_cut *cut)
{
	return cut->hist_max < 0 ? INT_MAX : cut->hist_max - cut->hist_shown;
}

/* Count a histogram line; true when it is shown: on, and room left. */
static bool hist_line(struct top_text_cut *cut, bool on)
{
	cut->hist_lines++;
	if (!on || hist_room(cut) <= 0)
		return false;
	cut->hist_shown++;
	return true;
}

/*
 * One pair of histograms side by side, kinds a and b, bcc's log2 layout:
 * the rows from the first bucket with walks to the last; a run of more
 * than two empty rows between them is one "..." row. Within cut's
 * limit: the column line only with room for a row under it, then the
 * rows there is room for.
 */
static void hist_pair(FILE *out, const struct top_frame *f, int a, int b,
		      struct top_text_cut *cut)
{
	uint64_t max_a = 0, max_b = 0;
	int lo = -1, hi = -1, w, cw = 8, empty = 0;
	bool on = hist_room(cut) >= 2;
	char bar_a[TOP_BAR_WIDTH + 1], bar_b[TOP_BAR_WIDTH + 1];

	for (int i = 0; i < ANONLAZY_LATENCY_BUCKETS; i++) {
		uint64_t ca = top_hist(f, a, i), cb = top_hist(f, b, i);

		if (ca || cb) {
			if (lo < 0)
				lo = i;
			hi = i;
		}
		if (ca > max_a)
			max_a = ca;
		if (cb > max_b)
			max_b = cb;
	}
	if (lo < 0) {
		if (hist_line(cut, true))
			fprintf(out, "  %s, %s: no walks\n", anonlazy_walk_kind_names[a],
				anonlazy_walk_kind_names[b]);
		return;
	}
	w = digits(bucket_hi(hi));
	if (digits(max_a) > cw)
		cw = digits(max_a);
	if (digits(max_b) > cw)
		cw = digits(max_b);
	if (hist_line(cut, on))
		fprintf(out, "  %*s : %-*s %-*s   %-*s %s\n", 2 * w + 4, "nsecs",
			cw, anonlazy_walk_kind_names[a], TOP_BAR_WIDTH + 2, "distribution",
			cw, anonlazy_walk_kind_names[b], "distribution");
	for (int i = lo; i <= hi; i++) {
		uint64_t l = i == 0 ? 0 : (uint64_t)1 << i;
		uint64_t ca = top_hist(f, a, i), cb = top_hist(f, b, i);

		if (!ca && !cb) {
			int j = i;

			while (!top_hist(f, a, j) && !top_hist(f, b, j))
				j++;
			if (j - i > 2) {
				if (!empty++ && hist_line(cut, on))
					fprintf(out, "  %*s\n", 2 * w + 4, "...");
				i = j - 1;
				continue;
			}
		}
		empty = 0;
		if (!hist_line(cut, on))
			continue;
		top_bar(bar_a, ca, max_a, TOP_BAR_WIDTH);
		top_bar(bar_b, cb, max_b, TOP_BAR_WIDTH);
		fprintf(out, "  %*" PRIu64 " -> %-*" PRIu64 " : %-*" PRIu64 " |%s|   %-*" PRIu64 " |%s|\n",
			w, l, w, bucket_hi(i), cw, ca, bar_a, cw, cb, bar_b);
	}
}

static void latency(FILE *out, const struct top_frame *f, struct top_text_cut *cut)
{
	bool other = false;

	if (!f->cur->lat.present) {
		fprintf(out, "\nRMAP WALK LATENCY: no %s file (an older module)\n",
			ANONLAZY_LATENCY_FILE);
		return;
	}
	fprintf(out, "\nRMAP WALK LATENCY (ns, %s): regular anon beside lazy\n",
		f->prev ? "this interval" : f->src == TOP_SRC_BPF ?
		"since anonlazy-bpf started" : "since the module loaded or reset");
	hist_pair(out, f, ANONLAZY_KIND_ANON, ANONLAZY_KIND_LAZY, cut);
	for (int i = 0; i < ANONLAZY_LATENCY_BUCKETS; i++)
		other |= top_hist(f, ANONLAZY_KIND_FILE, i) || top_hist(f, ANONLAZY_KIND_KSM, i);
	if (other)
		hist_pair(out, f, ANONLAZY_KIND_FILE, ANONLAZY_KIND_KSM, cut);
}

static void probes(FILE *out, const struct top_frame *f)
{
	const struct top_probes *p = &f->cur->probes;
	int att = 0, off = 0, failed = 0;
	uint64_t missed = 0;

	if (!p->present)
		return;
	for (int i = 0; i < p->n; i++) {
		if (!strcmp(p->p[i].state, ANONLAZY_PROBE_ATTACHED)) {
			att++;
			missed += p->p[i].missed;
		} else if (!strcmp(p->p[i].state, ANONLAZY_PROBE_OFF)) {
			off++;
		} else {
			failed++;
		}
	}
	fprintf(out, "\nPROBES: %d attached (missed %" PRIu64 "), %d off, %d failed",
		att, missed, off, failed);
	for (int i = 0, first = 1; i < p->n; i++)
		if (!strcmp(p->p[i].state, ANONLAZY_PROBE_FAILED)) {
			fprintf(out, "%s%s %s error %lld", first ? ": " : ", ",
				p->p[i].symbol, p->p[i].kind, p->p[i].error);
			first = 0;
		}
	fprintf(out, "\n");
}

/* Count n rows; how many of them cut's limit shows. */
static size_t rows_shown(struct top_text_cut *cut, size_t n)
{
	size_t shown = n;

	if (cut->rows_max >= 0 && shown > (size_t)cut->rows_max)
		shown = (size_t)cut->rows_max;
	cut->rows += (int)n;
	cut->rows_shown += (int)shown;
	return shown;
}

static void procs(FILE *out, const struct top_frame *f, struct top_text_cut *cut)
{
	static const int cols[] = {
		ANONLAZY_PROC_VMAS, ANONLAZY_PROC_NONE, ANONLAZY_PROC_REGULAR,
		ANONLAZY_PROC_LAZY, ANONLAZY_PROC_PARENT, ANONLAZY_PROC_ANON_VMAS,
		ANONLAZY_PROC_CHAINS, ANONLAZY_PROC_EST_LAZY_ROOTS,
		ANONLAZY_PROC_EST_PARENT_LINKS, ANONLAZY_PROC_EST_SAVED_BYTES,
	};
	const struct top_procs *p = &f->cur->procs;
	int ncols = (int)(sizeof(cols) / sizeof(cols[0]));
	int w[16], wpid = 7, wcomm = 4;
	size_t *idx, n, shown;

	if (!p->present) {
		fprintf(out, "\nPROCESSES: no %s file (an older module)\n",
			ANONLAZY_PROCESSES_FILE);
		return;
	}
	idx = malloc((size_t)f->o->rows * sizeof(*idx));
	if (!idx)
		return;
	n = top_select_procs(f, idx, (size_t)f->o->rows);
	fprintf(out, "\nPROCESSES (generation %" PRIu64 ": %zu rows, by %s, first %d)\n",
		p->generation, p->n, top_sort_name(f->o->sort), f->o->rows);
	if (f->o->pid >= 0 && !n) {
		fprintf(out, "  no row for pid %ld (no such process, or not a user mm)\n",
			f->o->pid);
		free(idx);
		return;
	}
	for (int c = 0; c < ncols; c++)
		w[c] = (int)strlen(anonlazy_proc_cols[cols[c]]);
	for (size_t r = 0; r < n; r++) {
		const struct top_proc *row = &p->rows[idx[r]];
		int d = digits(row->col[ANONLAZY_PROC_PID]);

		if (d > wpid)
			wpid = d;
		if ((int)strlen(row->comm) > wcomm)
			wcomm = (int)strlen(row->comm);
		for (int c = 0; c < ncols; c++) {
			d = digits(row->col[cols[c]]);
			if (d > w[c])
				w[c] = d;
		}
	}
	fprintf(out, "  %*s %-*s", wpid, "PID", wcomm, "COMM");
	for (int c = 0; c < ncols; c++) {
		char up[32];
		size_t k;

		for (k = 0; anonlazy_proc_cols[cols[c]][k] && k < sizeof(up) - 1; k++)
			up[k] = (char)toupper((unsigned char)anonlazy_proc_cols[cols[c]][k]);
		up[k] = '\0';
		fprintf(out, " %*s", w[c], up);
	}
	fprintf(out, "\n");
	shown = rows_shown(cut, n);
	for (size_t r = 0; r < shown; r++) {
		const struct top_proc *row = &p->rows[idx[r]];

		fprintf(out, "  %*" PRIu64 " %-*s", wpid, row->col[ANONLAZY_PROC_PID],
			wcomm, row->comm);
		for (int c = 0; c < ncols; c++)
			fprintf(out, " %*" PRIu64, w[c], row->col[cols[c]]);
		fprintf(out, "\n");
	}
	free(idx);
}

/* The BPF source's events per process, instead of the census's processes. */
static void events(FILE *out, const struct top_frame *f, struct top_text_cut *cut)
{
	static const int cols[] = {
		ANONLAZY_PREPARE_CALLS, ANONLAZY_FORK_CALLS, ANONLAZY_CLONE_CALLS,
		ANONLAZY_UNLINK_CALLS, ANONLAZY_WALK_ANON, ANONLAZY_WALK_LAZY,
		ANONLAZY_WALK_FILE, ANONLAZY_WALK_KSM, ANONLAZY_LAZY_ROOTS,
		ANONLAZY_PARENT_LINKS, ANONLAZY_UPGRADES,
	};
	static const char * const heads[] = {
		"PREPARE", "FORK", "CLONE", "UNLINK", "WALK_ANON", "WALK_LAZY",
		"WALK_FILE", "WALK_KSM", "LAZY_ROOTS", "PARENT_LINKS", "UPGRADES",
	};
	const struct top_events *p = &f->cur->events;
	int ncols = (int)(sizeof(cols) / sizeof(cols[0]));
	int w[16], wpid = 7, wcomm = 4, wcalls = 5, wrate = 6;
	char rate[48];
	size_t *idx, n, shown;

	if (p->off) {
		fprintf(out, "\nPROCESS EVENTS (bpf): off in anonlazy-bpf (its per-process rows: start it with --processes)\n");
		return;
	}
	if (!p->present) {
		fprintf(out, "\nPROCESS EVENTS (bpf): no processes section from anonlazy-bpf\n");
		return;
	}
	idx = malloc((size_t)f->o->rows * sizeof(*idx));
	if (!idx)
		return;
	n = top_select_events(f, idx, (size_t)f->o->rows);
	fprintf(out, "\nPROCESS EVENTS (bpf, since anonlazy-bpf started: %zu rows, %" PRIu64
		" events dropped, by %s, first %d)\n", p->n, p->dropped,
		f->o->sort == TOP_SORT_COMM || f->o->sort == ANONLAZY_PROC_PID ?
		top_sort_name(f->o->sort) : "calls", f->o->rows);
	if (f->o->pid >= 0 && !n) {
		fprintf(out, "  no row for pid %ld (it caused no event)\n", f->o->pid);
		free(idx);
		return;
	}
	for (int c = 0; c < ncols; c++)
		w[c] = (int)strlen(heads[c]);
	for (size_t r = 0; r < n; r++) {
		const struct top_event_row *row = &p->rows[idx[r]];

		if (digits(row->pid) > wpid)
			wpid = digits(row->pid);
		if ((int)strlen(row->comm) > wcomm)
			wcomm = (int)strlen(row->comm);
		if (digits(top_event_calls(row)) > wcalls)
			wcalls = digits(top_event_calls(row));
		for (int c = 0; c < ncols; c++)
			if (digits(row->c[cols[c]]) > w[c])
				w[c] = digits(row->c[cols[c]]);
	}
	fprintf(out, "  %*s %-*s %*s %*s", wpid, "PID", wcomm, "COMM", wcalls, "CALLS",
		wrate, "/s");
	for (int c = 0; c < ncols; c++)
		fprintf(out, " %*s", w[c], heads[c]);
	fprintf(out, "\n");
	shown = rows_shown(cut, n);
	for (size_t r = 0; r < shown; r++) {
		const struct top_event_row *row = &p->rows[idx[r]];

		rate_str(rate, sizeof(rate), top_event_delta(f, row), false);
		fprintf(out, "  %*" PRIu64 " %-*s %*" PRIu64 " %*s", wpid, row->pid,
			wcomm, row->comm, wcalls, top_event_calls(row), wrate, rate);
		for (int c = 0; c < ncols; c++) {
			if (p->has[cols[c]])
				fprintf(out, " %*" PRIu64, w[c], row->c[cols[c]]);
			else
				fprintf(out, " %*s", w[c], "-");
		}
		fprintf(out, "\n");
	}
	free(idx);
}

void top_render_text_cut(FILE *out, const struct top_frame *f, struct top_text_cut *cut)
{
	struct top_text_cut all = { .hist_max = -1, .rows_max = -1 };

	if (!cut)
		cut = &all;
	cut->hist_lines = cut->hist_shown = cut->rows = cut->rows_shown = 0;
	header(out, f);
	counters(out, f);
	slab(out, f);
	census(out, f);
	latency(out, f, cut);
	probes(out, f);
	if (f->src == TOP_SRC_BPF)
		events(out, f, cut);
	else
		procs(out, f, cut);
}

void top_render_text(FILE *out, const struct top_frame *f)
{
	top_render_text_cut(out, f, NULL);
}
