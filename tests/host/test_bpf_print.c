// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-bpf's output (userspace/bpf_print.c): stats as
 * the module prints them (the project's own reader parses them back),
 * latency, probes and the per-process table (or its off line), exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/types.h>
#include <string.h>

#include "check.h"
#include "bpf_print.h"
#include "stats.h"

static char buf[65536];
static FILE *f;

static void begin(void)
{
	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf) - 1, "w");
}

static const char *end(void)
{
	fclose(f);
	return buf;
}

static void test_stats(void)
{
	uint64_t val[ANONLAZY_NR_COUNTERS];
	bool counted[ANONLAZY_NR_COUNTERS];
	struct al_stats s;
	char why[256], last[256];
	const char *nl;
	int ok = 1;

	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++) {
		val[i] = (uint64_t)i * 10 + 1;
		counted[i] = true;
	}
	val[ANONLAZY_MISSED] = UINT64_MAX;
	begin();
	al_print_stats(f, val, counted);
	end();
	CHECK(!al_stats_parse(buf, strlen(buf), &s, why, sizeof(why)),
	      "print: stats parse with the stats reader");
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		ok &= s.present[i] && s.val[i] == val[i];
	CHECK(ok, "print: every counter parses back to its value, 2^64-1 too");
	CHECK(!strncmp(buf, "prepare_calls 1\nprepare_attached 11\n", 36) &&
	      strstr(buf, "\nmissed 18446744073709551615\n"),
	      "print: in the header's order, one 'name value' line each");
	CHECK(!strstr(buf, ANONLAZY_STATS_DISABLED), "print: no disabled line when all count");

	counted[ANONLAZY_LAZY_ROOTS] = false;
	counted[ANONLAZY_UPGRADES_KSM] = false;
	counted[ANONLAZY_UPGRADES] = false;
	begin();
	al_print_stats(f, val, counted);
	end();
	nl = strrchr(buf, '\n');
	while (nl > buf && nl[-1] != '\n')
		nl--;
	snprintf(last, sizeof(last), "%s", nl);
	CHECK(!strcmp(last, "disabled lazy_roots upgrades upgrades_ksm\n"),
	      "print: the disabled line lists what is not counted, in order");
	CHECK(!al_stats_parse(buf, strlen(buf), &s, why, sizeof(why)) &&
	      s.present[ANONLAZY_LAZY_ROOTS] && s.val[ANONLAZY_LAZY_ROOTS] == 81,
	      "print: the reader skips the disabled line; the counter keeps its line");
}

static void test_latency(void)
{
	struct al_bpf_hist h;

	memset(&h, 0, sizeof(h));
	begin();
	al_print_latency(f, &h);
	CHECK(!strcmp(end(), "kind lo_ns hi_ns count\n"), "print: empty latency: the header only");

	h.b[ANONLAZY_KIND_LAZY][63] = 2;
	h.b[ANONLAZY_KIND_ANON][11] = 13;
	h.b[ANONLAZY_KIND_ANON][0] = 1;
	h.b[ANONLAZY_KIND_FILE][1] = 4;
	begin();
	al_print_latency(f, &h);
	CHECK(!strcmp(end(),
		      "kind lo_ns hi_ns count\n"
		      "anon 0 1 1\n"
		      "anon 2048 4095 13\n"
		      "file 2 3 4\n"
		      "lazy 9223372036854775808 18446744073709551615 2\n"),
	      "print: latency rows by kind then bucket, the module's bounds");
}

static void test_probes(void)
{
	struct al_probe_line a = {
		.symbol = "rmap_walk_anon", .mech = "fexit",
		.state = AL_PROBE_ATTACHED, .missed = 7,
	};
	struct al_probe_line b = {
		.symbol = "anon_vma_lazy_upgrade", .mech = "kretprobe",
		.state = AL_PROBE_FAILED, .err = -2,
		.hint = "not in this kernel's BTF or kallsyms: inlined, renamed or absent on this kernel",
	};
	struct al_probe_line c = {
		.symbol = "anon_vma_clone", .mech = "fentry",
		.state = AL_PROBE_OFF, .group = "clone",
	};

	begin();
	al_print_probe(f, &a);
	al_print_probe(f, &b);
	al_print_probe(f, &c);
	CHECK(!strcmp(end(),
		      "rmap_walk_anon fexit attached missed=7\n"
		      "anon_vma_lazy_upgrade kretprobe failed error=-2 not in this kernel's BTF or kallsyms: inlined, renamed or absent on this kernel\n"
		      "anon_vma_clone fentry off group=clone\n"),
	      "print: probes lines as the module's, the mechanism second");
}

static void test_procs(void)
{
	struct al_proc_row rows[3];
	char header[1024] = "pid";
	char want[4096], comm[AL_BPF_COMM_LEN + 1];
	size_t n;
	int w = 0;

	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		if (i != ANONLAZY_MISSED) {
			n = strlen(header);
			snprintf(header + n, sizeof(header) - n, " %s", anonlazy_counter_names[i]);
		}
	memset(rows, 0, sizeof(rows));
	rows[0].tgid = 300;
	strcpy(rows[0].p.comm, "alwork");
	rows[0].p.c[ANONLAZY_PREPARE_CALLS] = 64;
	rows[0].p.c[ANONLAZY_WALK_ANON_LOCKED] = 5;
	rows[0].p.c[ANONLAZY_MISSED] = 99;	/* not a column */
	rows[1].tgid = 7;
	rows[2].tgid = 4294967295U;
	memcpy(rows[2].p.comm, "a b\001\xe9xxxxxxxxxxxx", AL_BPF_COMM_LEN);	/* no NUL */
	rows[2].p.c[ANONLAZY_LAZY_ROOTS] = 1;
	begin();
	al_print_procs(f, rows, 3, 12);
	end();

	/* al_print_procs() sorted rows by tgid: 7, 300, 4294967295. */
	w += snprintf(want + w, sizeof(want) - w, "dropped_events 12\n%s comm\n", header);
	for (int r = 0; r < 3; r++) {
		static const char * const comms[] = { "?", "alwork", "a?b??xxxxxxxxxxx" };

		w += snprintf(want + w, sizeof(want) - w, "%u", rows[r].tgid);
		for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
			if (i != ANONLAZY_MISSED)
				w += snprintf(want + w, sizeof(want) - w, " %llu",
					      (unsigned long long)rows[r].p.c[i]);
		w += snprintf(want + w, sizeof(want) - w, " %s\n", comms[r]);
	}
	CHECK(rows[0].tgid == 7 && rows[1].tgid == 300 && rows[2].tgid == 4294967295U,
	      "print: processes are sorted by tgid");
	CHECK(strstr(buf, "\n300 64 0 ") && strstr(buf, " 5 alwork\n") &&
	      !strstr(buf, " 99 "), "print: a row's values; missed is no column");
	CHECK(!strcmp(buf, want), "print: processes: dropped line, header, rows by pid, clean comms");
	if (strcmp(buf, want))
		printf("# got:\n%s# want:\n%s", buf, want);
	al_comm_clean("", comm);
	CHECK(!strcmp(comm, ANONLAZY_PROC_EMPTY_COMM), "print: an empty comm prints as ?");
	begin();
	al_print_procs(f, rows, 0, 0);
	end();
	snprintf(want, sizeof(want), "dropped_events 0\n%s comm\n", header);
	CHECK(!strcmp(buf, want), "print: no process: the dropped line and the header");
}

static void test_procs_off(void)
{
	begin();
	al_print_procs_off(f);
	CHECK(!strcmp(end(), "off: the per-process rows are off: start anonlazy-bpf with --processes\n"),
	      "print: processes off: one line saying so and how to turn them on");
	CHECK(!strncmp(buf, AL_BPF_PROCS_OFF_KEY " ", strlen(AL_BPF_PROCS_OFF_KEY) + 1) &&
	      strncmp(buf, AL_BPF_DROPPED_KEY, strlen(AL_BPF_DROPPED_KEY)),
	      "print: processes off: its key first, no dropped line (no table at all)");
}

static void test_census(void)
{
	uint64_t t[ANONLAZY_NR_CENSUS_KEYS];
	char want[8192];
	size_t n = 0;
	int counted = 0;

	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		t[k] = 1000 + (uint64_t)k;
	begin();
	al_print_census(f, t);
	end();
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++) {
		if (!al_census_key_counted(k))
			continue;
		counted++;
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%s %d\n",
				      anonlazy_census_names[k], 1000 + k);
	}
	CHECK(!strcmp(buf, want),
	      "print: census: each counted key, in the module's order, its value");
	/* 48 keys less the 10 of the module's mmap_lock holds and bounds */
	CHECK(counted == ANONLAZY_NR_CENSUS_KEYS - 10 && counted == 38,
	      "print: census: 38 keys counted");
	CHECK(!al_census_key_counted(ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS) &&
	      !al_census_key_counted(ANONLAZY_CENSUS_LEFT_OUT) &&
	      !al_census_key_counted(ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS) &&
	      al_census_key_counted(ANONLAZY_CENSUS_EST_EXACT_SAVED_BYTES) &&
	      al_census_key_counted(ANONLAZY_CENSUS_SIM_MAX_VMAS) &&
	      !al_census_key_counted(-1) &&
	      !al_census_key_counted(ANONLAZY_NR_CENSUS_KEYS),
	      "print: census: lock and bound keys left out, the estimate's in");
	CHECK(!strstr(buf, "lock_") && !strstr(buf, "left_out") && !strstr(buf, "exited"),
	      "print: census: no key the iterator does not measure (no silent 0)");
	begin();
	al_print_census_off(f, -ENOENT);
	CHECK(!strcmp(end(), "off: no census: No such file or directory\n"),
	      "print: census off: one line with the reason");
}

int main(void)
{
	test_init();
	test_stats();
	test_latency();
	test_probes();
	test_procs();
	test_procs_off();
	test_census();
	return test_exit();
}
