// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-top's frames (userspace/top_view.c) and their
 * renderers (top_text.c, top_json.c, top_prom.c): deltas and rates from
 * two snapshots of the recorded normal tree, the second with known
 * increments, rendered to memory and checked for the exact numbers.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "top_json.h"
#include "top_prom.h"
#include "top_text.h"
#include "top_view.h"

#define DATA "tests/host/data/top/"

static struct top_snap a, b;
static struct top_opts o;

static char *render(void (*fn)(FILE *, const struct top_frame *),
		    const struct top_frame *f)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);

	fn(m, f);
	fclose(m);
	return buf;
}

static void test_delta(void)
{
	struct top_delta d = top_delta(100, 250, 3.0);
	bool neg;

	CHECK(d.valid && !d.reset && d.delta == 150 && d.rate == 50.0,
	      "top delta: 150 in 3 s is 50/s");
	d = top_delta(1000, 40, 2.0);
	CHECK(d.reset && d.delta == 40 && d.rate == 20.0,
	      "top delta: a counter that went down counts from 0");
	d = top_delta(UINT64_MAX - 1, UINT64_MAX, 0);
	CHECK(d.delta == 1 && d.rate == 0, "top delta: at 2^64-1, zero interval");
	CHECK(top_gauge_delta(10, 3, &neg) == 7 && neg &&
	      top_gauge_delta(3, 10, &neg) == 7 && !neg &&
	      top_gauge_delta(0, UINT64_MAX, &neg) == UINT64_MAX && !neg,
	      "top delta: signed gauge deltas");
}

static void test_groups(void)
{
	int other = 0, ok = 1;

	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		other += top_counter_group(anonlazy_counter_names[i]) == TOP_GROUP_OTHER;
	CHECK(other == 1 && top_counter_group("missed") == TOP_GROUP_OTHER,
	      "top groups: every counter but missed is in a hook group");
	ok &= top_counter_group("lazy_roots") == ANONLAZY_HOOK_PREPARE;
	ok &= top_counter_group("parent_links") == ANONLAZY_HOOK_FORK;
	ok &= top_counter_group("fork_attached") == ANONLAZY_HOOK_FORK;
	ok &= top_counter_group("walk_anon_locked") == ANONLAZY_HOOK_WALK;
	ok &= top_counter_group("upgrades") == ANONLAZY_HOOK_UPGRADE;
	ok &= top_counter_group("unlink_lazy") == ANONLAZY_HOOK_UNLINK;
	ok &= top_counter_group("clone_calls") == ANONLAZY_HOOK_CLONE;
	ok &= top_counter_group("future_counter") == TOP_GROUP_OTHER;
	ok &= !strcmp(top_group_name(TOP_GROUP_OTHER), "other");
	CHECK(ok, "top groups: as the header's hook group comments name them");
}

static void test_frames(void)
{
	char err[1024], line[256], *t;
	struct top_frame f = { .cur = &b, .prev = &a, .o = &o, .source = "module",
			       .seq = 2, .elapsed = 2.0 };
	size_t idx[8], n;

	if (top_opts_parse(1, (char *[]){ "anonlazy-top", NULL }, &o, err, sizeof(err)) ||
	    top_snap_read(DATA "normal", DATA "normal/slabinfo", &a, err, sizeof(err)) ||
	    top_snap_read(DATA "normal", DATA "normal/slabinfo", &b, err, sizeof(err))) {
		CHECK(0, "top frames: read the normal tree twice");
		return;
	}
	/* two seconds later: 100 more prepare calls, 3 more anon walks of 2-4 us */
	a.t = 10.0;
	b.t = 12.0;
	b.stats.s.val[ANONLAZY_PREPARE_CALLS] += 100;
	b.stats.s.val[ANONLAZY_UPGRADES] = 5;	/* went down: a reset */
	b.lat.hist[ANONLAZY_KIND_ANON][11] += 3;
	b.slab.c[TOP_SLAB_ANON_VMA].active_objs -= 12;

	CHECK(top_counter_delta(&f, ANONLAZY_PREPARE_CALLS).rate == 50.0 &&
	      top_counter_delta(&f, ANONLAZY_UPGRADES).reset &&
	      top_hist(&f, ANONLAZY_KIND_ANON, 11) == 3 &&
	      top_hist(&f, ANONLAZY_KIND_ANON, 10) == 0,
	      "top frames: rates and the interval's latency from two snapshots");

	n = top_select_procs(&f, idx, 8);
	CHECK(n == 4 && b.procs.rows[idx[0]].col[ANONLAZY_PROC_PID] == 97 &&
	      b.procs.rows[idx[1]].col[ANONLAZY_PROC_PID] == 345 &&
	      b.procs.rows[idx[2]].col[ANONLAZY_PROC_PID] == 1 &&
	      b.procs.rows[idx[3]].col[ANONLAZY_PROC_PID] == 346,
	      "top frames: processes by vmas, descending");
	o.sort = TOP_SORT_COMM;
	n = top_select_procs(&f, idx, 3);
	CHECK(n == 3 && b.procs.rows[idx[0]].col[ANONLAZY_PROC_PID] == 345 &&
	      b.procs.rows[idx[1]].col[ANONLAZY_PROC_PID] == 346 &&
	      !strcmp(b.procs.rows[idx[2]].comm, "init"),
	      "top frames: by comm ascending, ties by pid, -r 3");
	o.sort = ANONLAZY_PROC_VMAS;
	o.pid = 346;
	n = top_select_procs(&f, idx, 8);
	CHECK(n == 1 && b.procs.rows[idx[0]].col[ANONLAZY_PROC_EST_SAVED_BYTES] == 256,
	      "top frames: -p 346 selects its row only");

	t = render(top_render_text, &f);
	snprintf(line, sizeof(line), "  %-22s %20d %12s  %s\n", "prepare_calls", 1623, "50.0",
		 anonlazy_counter_descs[ANONLAZY_PREPARE_CALLS]);
	CHECK(strstr(t, line) != NULL, "top text: prepare_calls 1623 at 50.0/s");
	snprintf(line, sizeof(line), "  %-22s %20d %12s  ", "upgrades", 5, "2.5*");
	CHECK(strstr(t, line) && strstr(t, "* went down since the last frame"),
	      "top text: a reset counter is marked and explained");
	snprintf(line, sizeof(line), "  %-22s %20d %12d %12s\n", "anon_vma", 300, 300 * 104 / 1024,
		 "-12");
	CHECK(strstr(t, line) != NULL, "top text: slab objects, KB and delta");
	CHECK(strstr(t, "\n  2048 -> 4095 : 3        |********************|   0        |                    |\n") &&
	      strstr(t, "this interval"),
	      "top text: the interval's histogram, anon beside lazy");
	CHECK(strstr(t, "      346 alwork   36   20      10    6      0        10     15        2          0             256\n") &&
	      !strstr(t, " sh "), "top text: the -p row, columns sized to their values");
	CHECK(strstr(t, "vmas 180: none 96, regular 50, lazy 34, parent 0, invalid 0") &&
	      strstr(t, "lazy roots 20, parent links 6, anon_vmas 26, chains 26, 3328 bytes"),
	      "top text: census gauges and the estimate");
	free(t);

	t = render(top_render_json, &f);
	CHECK(!strncmp(t, "{\"schema\":\"anonlazy-top/1\",\"seq\":2,", 34) &&
	      strstr(t, "\"prepare_calls\":{\"group\":\"prepare\",\"known\":true,\"disabled\":false,\"total\":1623,\"delta\":100,\"rate\":50.000,\"reset\":false}") &&
	      strstr(t, "\"anon_vma\":{\"objects\":300,\"objsize\":104,\"kb\":30,\"delta\":-12}") &&
	      strstr(t, "\"anon\":[{\"lo_ns\":2048,\"hi_ns\":4095,\"count\":3}]") &&
	      strstr(t, "\"rows\":[{\"pid\":346,\"vmas\":36,") &&
	      t[strlen(t) - 1] == '\n' && !strchr(t, '\n')[1],
	      "top json: one line with the frame's exact numbers");
	free(t);

	t = render(top_render_prom, &f);
	snprintf(line, sizeof(line), "# HELP anonlazy_prepare_calls_total %s\n"
		 "# TYPE anonlazy_prepare_calls_total counter\nanonlazy_prepare_calls_total 1623\n",
		 anonlazy_counter_descs[ANONLAZY_PREPARE_CALLS]);
	CHECK(strstr(t, line) && strstr(t, "# TYPE anonlazy_census_vmas gauge\nanonlazy_census_vmas 180\n") &&
	      strstr(t, "anonlazy_census_walk_seconds 0.001834000\n") &&
	      strstr(t, "anonlazy_slab_active_objects{cache=\"anon_vma\"} 300\n"),
	      "top prometheus: counters with the header's HELP, gauges, base units");
	free(t);
	top_snap_free(&a);
	top_snap_free(&b);
}

int main(void)
{
	test_init();
	test_delta();
	test_groups();
	test_frames();
	return test_exit();
}
