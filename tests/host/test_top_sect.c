// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-top's reader of anonlazy-bpf's multi-section
 * text (userspace/top_sect.c) and of its processes section, the events
 * per process (userspace/top_events.c), on texts made here.
 */
#define _GNU_SOURCE
#include <string.h>

#include "check.h"
#include "top_snap.h"

static struct top_snap snap;
static char err[2048];

#define HDR "pid prepare_calls prepare_attached fork_calls clone_calls unlink_calls walk_anon walk_ksm walk_file lazy_roots parent_links upgrades walk_lazy upgrades_fork upgrades_clone upgrades_mremap upgrades_ksm upgrades_other fork_attached unlink_lazy unlink_regular walk_anon_locked comm\n"

static const char four[] =
	"== stats\n"
	"prepare_calls 70\nfork_calls 3\nmissed 2\n"
	"disabled walk_ksm\n"
	"== latency\n"
	"kind lo_ns hi_ns count\n"
	"anon 1024 2047 5\nlazy 2048 4095 7\n"
	"== probes\n"
	"__anon_vma_prepare fentry attached missed=1\n"
	"anon_vma_fork fexit attached missed=1\n"
	"anon_vma_lazy_upgrade kprobe failed error=-2 not in kallsyms\n"
	"== processes\n"
	"dropped_events 4\n"
	HDR
	"1 60 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 init\n"
	"345 10 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 alwork\n";

static int rd(const char *text)
{
	err[0] = '\0';
	return top_snap_read_text("/tmp/al.sock", text, strlen(text), NULL, &snap,
				  err, sizeof(err));
}

int main(void)
{
	const struct top_event_row *r;

	test_init();
	CHECK(rd(four) == 0, "top sect: the four sections read");
	CHECK(snap.stats.s.val[ANONLAZY_PREPARE_CALLS] == 70 &&
	      snap.stats.s.val[ANONLAZY_FORK_CALLS] == 3 && snap.stats.s.val[ANONLAZY_MISSED] == 2 &&
	      snap.stats.disabled[ANONLAZY_WALK_KSM] && !snap.stats.s.present[ANONLAZY_WALK_ANON],
	      "top sect: stats by the stats parser (values, disabled, absent)");
	CHECK(snap.lat.present && snap.lat.hist[ANONLAZY_KIND_ANON][10] == 5 &&
	      snap.lat.hist[ANONLAZY_KIND_LAZY][11] == 7,
	      "top sect: latency by the latency parser");
	CHECK(snap.probes.present && snap.probes.n == 3 &&
	      !strcmp(snap.probes.p[1].kind, "fexit") && snap.probes.p[1].missed == 1 &&
	      snap.probes.p[2].error == -2,
	      "top sect: probes by the probes parser (fentry, fexit, failed)");
	CHECK(!snap.census.present && !snap.procs.present,
	      "top sect: no census, no census processes");
	r = snap.events.rows;
	CHECK(snap.events.present && snap.events.dropped == 4 && snap.events.n == 2 &&
	      r[0].pid == 1 && !strcmp(r[0].comm, "init") &&
	      r[0].c[ANONLAZY_PREPARE_CALLS] == 60 && r[1].pid == 345 &&
	      !strcmp(r[1].comm, "alwork") && r[1].c[ANONLAZY_PREPARE_CALLS] == 10 &&
	      r[1].c[ANONLAZY_WALK_ANON_LOCKED] == 21 && r[1].c[ANONLAZY_FORK_ATTACHED] == 18 &&
	      r[1].c[ANONLAZY_MISSED] == 0 && snap.events.has[ANONLAZY_UNLINK_REGULAR] &&
	      !snap.events.has[ANONLAZY_MISSED],
	      "top sect: processes: the events of each tgid, every column at its counter");

	CHECK(rd("prepare_calls 5\nmissed 0\n") == 0 &&
	      snap.stats.s.val[ANONLAZY_PREPARE_CALLS] == 5 && !snap.lat.present &&
	      !snap.probes.present && !snap.events.present,
	      "top sect: no '==' line: the stats alone (an older anonlazy-bpf)");
	CHECK(rd("== stats\nprepare_calls 5\n== slabs\nwhatever at all\n== latency\nkind lo_ns hi_ns count\n") == 0 &&
	      snap.lat.present && snap.stats.s.val[ANONLAZY_PREPARE_CALLS] == 5,
	      "top sect: an unknown section is skipped");
	CHECK(rd("== latency\nkind lo_ns hi_ns count\n") == -1 &&
	      !strcmp(err, "/tmp/al.sock: no stats section in anonlazy-bpf's answer"),
	      "top sect: no stats section: said so");
	CHECK(rd("== stats\nprepare_calls 5\n== stats\nprepare_calls 6\n") == -1 &&
	      !strcmp(err, "/tmp/al.sock:3: section appears twice: '== stats'"),
	      "top sect: a section twice: line and content");
	CHECK(rd("== stats\nprepare_calls 5\n== probes\nanon_vma_fork fexit attached missed=x\n") == -1 &&
	      !strncmp(err, "/tmp/al.sock (section probes):1: not '<symbol> <kind>", 52),
	      "top sect: a bad line: the section named, its line counted from the section");
	CHECK(rd("== stats\nprepare_calls x\n") == -1 &&
	      strstr(err, "/tmp/al.sock (section stats):1: value of 'prepare_calls' is not"),
	      "top sect: a bad stats value: the stats parser's message, the section named");
	CHECK(rd("error: unknown section 'census'\n") == -1 &&
	      !strcmp(err, "/tmp/al.sock: anonlazy-bpf answered 'error: unknown section 'census''"),
	      "top sect: an error answer is the error");
	CHECK(rd("error: \x1b]0;owned\x07\x1b[2J\n") == -1 &&
	      !strcmp(err, "/tmp/al.sock: anonlazy-bpf answered 'error: \\x1b]0;owned\\x07\\x1b[2J'"),
	      "top sect: an error answer's control bytes escaped, not echoed");
	CHECK(rd("") == -1 && strstr(err, "/tmp/al.sock: empty answer"),
	      "top sect: an empty answer");

	CHECK(rd("== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls future_thing comm\n7 3 9 x\n") == 0 &&
	      snap.events.n == 1 && snap.events.rows[0].pid == 7 &&
	      snap.events.rows[0].c[ANONLAZY_PREPARE_CALLS] == 3 &&
	      snap.events.has[ANONLAZY_PREPARE_CALLS] && !snap.events.has[ANONLAZY_FORK_CALLS],
	      "top sect: processes: a newer column skipped, a missing one not had");
	CHECK(rd("== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls comm\n7 3\n") == -1 &&
	      !strcmp(err, "/tmp/al.sock (section processes):3: not 3 columns of the header, comm last (at most 63 bytes): '7 3'"),
	      "top sect: processes: a short row");
	CHECK(rd("== stats\nprepare_calls 1\n== processes\noff: the per-process rows are off: start anonlazy-bpf with --processes\n") == 0 &&
	      snap.events.off && !snap.events.present && !snap.events.n &&
	      snap.stats.s.present[ANONLAZY_PREPARE_CALLS],
	      "top sect: processes off (anonlazy-bpf without --processes): off, no table, the rest read");
	CHECK(rd("== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls comm\n") == 0 &&
	      snap.events.present && !snap.events.off && !snap.events.n,
	      "top sect: processes on, no row yet: present, not off");
	CHECK(rd("== stats\nprepare_calls 1\n== processes\npid prepare_calls comm\n") == -1 &&
	      strstr(err, "(section processes):1: not 'dropped_events <u64>'"),
	      "top sect: processes: no dropped_events line");
	CHECK(rd("== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls prepare_calls comm\n") == -1 &&
	      strstr(err, "(section processes):2: column 3 appears twice"),
	      "top sect: processes: a column twice");
	CHECK(rd("== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls comm\n7 3 x") == -1 &&
	      strstr(err, "(section processes):3: no newline at end (truncated?)"),
	      "top sect: processes: truncated");
	CHECK(rd("== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls comm\n7 3 x\x1b[2J\n") == -1 &&
	      strstr(err, "(section processes):3: a comm byte outside 0x21..0x7e") &&
	      !strchr(err, 0x1b) &&
	      rd("== stats\nprepare_calls 1\n== processes\ndropped_events 0\npid prepare_calls comm\n7 3 \xff\n") == -1,
	      "top sect: processes: a comm with a control or high byte refused");
	CHECK(rd("== stats\nprepare_calls 1\n== census\nprocesses 3\nvmas 40\nest_exact_lazy_roots 7\nfuture_key 9\n") == 0 &&
	      snap.census.present && snap.census.val[ANONLAZY_CENSUS_PROCESSES] == 3 &&
	      snap.census.val[ANONLAZY_CENSUS_VMAS] == 40 &&
	      snap.census.val[ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS] == 7 &&
	      snap.census.has[ANONLAZY_CENSUS_EST_EXACT_LAZY_ROOTS] &&
	      !snap.census.has[ANONLAZY_CENSUS_LOCK_DROPS] && !snap.procs.present,
	      "top sect: census by the census parser: its keys had, a missing one not, no processes file");
	CHECK(rd("== stats\nprepare_calls 1\n== census\noff: no census: No such file or directory\n") == 0 &&
	      !snap.census.present && snap.stats.s.present[ANONLAZY_PREPARE_CALLS],
	      "top sect: census off: no census, the rest read");
	CHECK(rd("== stats\nprepare_calls 1\n== census\nvmas x\n") == -1 &&
	      strstr(err, "/tmp/al.sock (section census):1: not '<key> <u64>'"),
	      "top sect: census: a bad value names its section and line");
	top_snap_free(&snap);
	return test_exit();
}
