// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-top's readers (userspace/top_snap.c, top_slab.c,
 * top_file.c) on the recorded debugfs trees of tests/host/data/top/ and
 * on texts made here. Every number checked is the one written in those
 * files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "top_file.h"
#include "top_snap.h"

#define DATA "tests/host/data/top/"
#define MAX64 UINT64_MAX

static struct top_snap snap;
static char err[2048];

static int tree(const char *name)
{
	char dir[256], slab[256];

	snprintf(dir, sizeof(dir), DATA "%s", name);
	snprintf(slab, sizeof(slab), DATA "%s/slabinfo", name);
	err[0] = '\0';
	return top_snap_read(dir, slab, &snap, err, sizeof(err));
}

static const struct top_proc *row_of(uint64_t pid)
{
	for (size_t i = 0; i < snap.procs.n; i++)
		if (snap.procs.rows[i].col[ANONLAZY_PROC_PID] == pid)
			return &snap.procs.rows[i];
	return NULL;
}

static uint64_t sum_hist(int kind)
{
	uint64_t s = 0;

	for (int b = 0; b < ANONLAZY_LATENCY_BUCKETS; b++)
		s += snap.lat.hist[kind][b];
	return s;
}

static void test_normal(void)
{
	const struct top_proc *r;
	int all = 1;

	CHECK(tree("normal") == 0, "top snap: normal tree reads");
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		all &= snap.stats.s.present[i] && !snap.stats.disabled[i];
	CHECK(all && snap.stats.n_extra == 0, "top snap: normal: every counter, none disabled or unknown");
	CHECK(snap.stats.s.val[ANONLAZY_PREPARE_CALLS] == 1523 &&
	      snap.stats.s.val[ANONLAZY_LAZY_ROOTS] == 1311 &&
	      snap.stats.s.val[ANONLAZY_UPGRADES_FORK] == 80 &&
	      snap.stats.s.val[ANONLAZY_WALK_ANON_LOCKED] == 64,
	      "top snap: normal: stats values");
	CHECK(snap.lat.present && snap.lat.hist[ANONLAZY_KIND_ANON][11] == 30 &&
	      snap.lat.hist[ANONLAZY_KIND_ANON][10] == 20 &&
	      snap.lat.hist[ANONLAZY_KIND_LAZY][19] == 1 &&
	      snap.lat.hist[ANONLAZY_KIND_FILE][17] == 1,
	      "top snap: normal: latency buckets by lo_ns = 2^b");
	CHECK(sum_hist(ANONLAZY_KIND_ANON) == 64 && sum_hist(ANONLAZY_KIND_FILE) == 16 &&
	      sum_hist(ANONLAZY_KIND_LAZY) == 16 && sum_hist(ANONLAZY_KIND_KSM) == 0,
	      "top snap: normal: each histogram adds up to its walk counter");
	CHECK(snap.probes.present && snap.probes.n == 9 &&
	      !strcmp(snap.probes.p[0].symbol, "anon_vma_lazy_make_root") &&
	      !strcmp(snap.probes.p[3].kind, "kprobe") &&
	      !strcmp(snap.probes.p[8].state, "attached"),
	      "top snap: normal: 9 probes, in file order");
	CHECK(snap.census.present && snap.census.val[ANONLAZY_CENSUS_VMAS] == 180 &&
	      snap.census.val[ANONLAZY_CENSUS_EST_SAVED_BYTES] == 3328 &&
	      snap.census.val[ANONLAZY_CENSUS_GENERATION] == 7 &&
	      snap.census.val[ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS] == 114000,
	      "top snap: normal: census keys, first to last");
	r = row_of(97);
	CHECK(snap.procs.present && snap.procs.n == 4 && snap.procs.generation == 7 &&
	      snap.procs.time_ns == 69376962000ULL && r && !strcmp(r->comm, "sh") &&
	      r->col[ANONLAZY_PROC_VMAS] == 61 && r->col[ANONLAZY_PROC_CHAINS] == 31 &&
	      r->col[ANONLAZY_PROC_EST_SAVED_BYTES] == 1408,
	      "top snap: normal: processes rows by column name");
	CHECK(snap.slab.status == 0 && snap.slab.c[TOP_SLAB_ANON_VMA].active_objs == 312 &&
	      snap.slab.c[TOP_SLAB_ANON_VMA_CHAIN].active_objs == 640 &&
	      snap.slab.c[TOP_SLAB_VMA].objsize == 176 &&
	      top_slab_kb(&snap.slab.c[TOP_SLAB_ANON_VMA]) == 312 * 104 / 1024,
	      "top snap: normal: slabinfo of the three caches, KB of active objects");
}

static void test_bad_trees(void)
{
	CHECK(tree("empty") == -1 && strstr(err, DATA "empty/stats: empty file"),
	      "top snap: empty tree: stats named as empty");
	CHECK(tree("truncated") == -1 &&
	      strstr(err, DATA "truncated/processes:5: ") &&
	      strstr(err, "truncated") && strstr(err, "'345 45 24'"),
	      "top snap: truncated tree: file, line 5 and its content named");
	CHECK(tree("garbage") == -1 && strstr(err, DATA "garbage/stats:3: ") &&
	      strstr(err, "'?ELF??? ??junk'"),
	      "top snap: garbage tree: file, line 3 and its content named (bytes as ?)");
	CHECK(tree("nonexistent") == -1 && strstr(err, "nonexistent/stats: no such file"),
	      "top snap: a missing stats file is named");
}

static void test_huge(void)
{
	const struct top_proc *r;
	int all = 1;

	CHECK(tree("huge") == 0, "top snap: huge tree reads");
	for (int i = 0; i < ANONLAZY_NR_COUNTERS; i++)
		all &= snap.stats.s.val[i] == (i % 2 ? MAX64 - 1 : MAX64);
	CHECK(all, "top snap: huge: 2^64-1 and 2^64-2 counters exact");
	CHECK(snap.lat.hist[ANONLAZY_KIND_ANON][0] == MAX64 &&
	      snap.lat.hist[ANONLAZY_KIND_ANON][63] == MAX64 &&
	      snap.lat.hist[ANONLAZY_KIND_LAZY][63] == 1,
	      "top snap: huge: bucket 0 (0..1) and bucket 63 (2^63..2^64-1)");
	r = row_of(4194304);
	CHECK(r && r->col[ANONLAZY_PROC_EST_SAVED_BYTES] == MAX64 &&
	      snap.procs.generation == MAX64 && snap.probes.p[0].missed == MAX64 &&
	      snap.census.val[ANONLAZY_CENSUS_WALK_NS] == MAX64,
	      "top snap: huge: processes, probes, census at 2^64-1");
	CHECK(snap.slab.c[TOP_SLAB_ANON_VMA].active_objs == MAX64 &&
	      top_slab_kb(&snap.slab.c[TOP_SLAB_ANON_VMA]) == MAX64 / 1024 &&
	      top_slab_kb(&snap.slab.c[TOP_SLAB_VMA]) == 0,
	      "top snap: huge: slab KB saturates instead of wrapping");
}

static void test_unknown_missing(void)
{
	const struct top_proc *r;
	char absent[512];

	CHECK(tree("unknown") == 0, "top snap: unknown tree reads");
	CHECK(snap.stats.n_extra == 2 && !strcmp(snap.stats.extra[0].name, "future_counter") &&
	      snap.stats.extra[0].val == 42 && !strcmp(snap.stats.extra[1].name, "walk_hugetlb") &&
	      snap.stats.extra[1].val == 7 && snap.stats.s.val[ANONLAZY_MISSED] == 0 &&
	      snap.stats.s.val[ANONLAZY_PREPARE_CALLS] == 1523,
	      "top snap: unknown: a newer module's counters kept, in file order");
	r = row_of(345);
	CHECK(r && r->col[ANONLAZY_PROC_EST_SAVED_BYTES] == 640 && !strcmp(r->comm, "alwork"),
	      "top snap: unknown: a new processes column is skipped by name");
	CHECK(snap.census.val[ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS] == 114000 &&
	      sum_hist(ANONLAZY_KIND_ANON) == 64,
	      "top snap: unknown: new census key and latency kind skipped");

	CHECK(tree("missing") == 0, "top snap: missing tree reads");
	CHECK(!snap.stats.s.present[ANONLAZY_WALK_LAZY] &&
	      !snap.stats.s.present[ANONLAZY_UPGRADES_KSM] &&
	      al_stats_absent(&snap.stats.s, absent, sizeof(absent)) == 2 &&
	      !strcmp(absent, "walk_lazy upgrades_ksm"),
	      "top snap: missing: absent counters named in the header's order");
	CHECK(!snap.census.present && !snap.procs.present && !snap.lat.present &&
	      snap.probes.present, "top snap: missing: absent optional files");
}

static int ps(const char *text, struct top_stats *st)
{
	err[0] = '\0';
	return top_parse_stats("S", text, strlen(text), st, err, sizeof(err));
}

static void test_texts(void)
{
	static struct top_stats st;
	struct top_latency lat;
	static struct top_probes pr;
	struct top_census ce;
	struct top_procs pp;
	struct top_slab sl;
	const char *t;

	CHECK(ps("prepare_calls 1\nfork_calls 2\ndisabled fork_calls walk_ksm nope\n", &st) == 0 &&
	      st.disabled[ANONLAZY_FORK_CALLS] && st.disabled[ANONLAZY_WALK_KSM] &&
	      !st.disabled[ANONLAZY_PREPARE_CALLS] && st.n_extra == 0,
	      "top stats: the disabled line marks its counters");
	CHECK(ps("prepare_calls 1\nnew_one 5\nnew_one 6\n", &st) == -1 &&
	      strstr(err, "S:3: ") && strstr(err, "twice") && strstr(err, "'new_one 6'"),
	      "top stats: an unknown counter twice is refused, line named");
	CHECK(ps("prepare_calls 1\nnew_hist 1 2 3\n", &st) == 0 && st.n_extra == 0,
	      "top stats: an unknown line of another shape is skipped");
	CHECK(ps("prepare_calls 1\nfork_calls x\n", &st) == -1 && strstr(err, "S:2: ") &&
	      strstr(err, "'fork_calls x'"),
	      "top stats: stats.c's errors get the line's content");
	CHECK(ps("prepare_calls 1\nFOO 1\n", &st) == -1 && strstr(err, "S:2: "),
	      "top stats: a line that is no name is refused");

	t = "kind lo_ns hi_ns count\nanon 4 8 1\n";
	CHECK(top_parse_latency("L", t, strlen(t), &lat, err, sizeof(err)) == -1 &&
	      strstr(err, "L:2: not a log2 bucket"), "top latency: hi must be 2^(b+1)-1");
	t = "kind lo_ns hi_ns count\nanon 4 7 1\nanon 4 7 2\n";
	CHECK(top_parse_latency("L", t, strlen(t), &lat, err, sizeof(err)) == -1 &&
	      strstr(err, "L:3: bucket appears twice"), "top latency: a bucket twice");
	t = "kind lo hi count\n";
	CHECK(top_parse_latency("L", t, strlen(t), &lat, err, sizeof(err)) == -1 &&
	      strstr(err, "L:1: not the header"), "top latency: a wrong header");

	t = "anon_vma_lazy_upgrade kretprobe failed error=-2 not in kallsyms: inlined\n"
	    "rmap_walk_ksm kretprobe off group=walk\n"
	    "anon_vma_fork fentry attached missed=3\n";
	CHECK(top_parse_probes("P", t, strlen(t), &pr, err, sizeof(err)) == 0 && pr.n == 3 &&
	      pr.p[0].error == -2 && !strcmp(pr.p[0].state, "failed") &&
	      !strcmp(pr.p[1].group, "walk") && pr.p[2].missed == 3 &&
	      !strcmp(pr.p[2].kind, "fentry"),
	      "top probes: failed with its hint, off with its group, attached with missed");
	t = "rmap_walk_ksm kretprobe attached missed=3 extra\n";
	CHECK(top_parse_probes("P", t, strlen(t), &pr, err, sizeof(err)) == -1 &&
	      strstr(err, "P:1: "), "top probes: trailing words after missed= refused");
	t = "rmap_walk_ksm kretprobe sleeping\n";
	CHECK(top_parse_probes("P", t, strlen(t), &pr, err, sizeof(err)) == -1,
	      "top probes: an unknown state refused");

	t = "vmas 3\nvmas 4\n";
	CHECK(top_parse_census("C", t, strlen(t), &ce, err, sizeof(err)) == -1 &&
	      strstr(err, "C:2: key appears twice"), "top census: a key twice");
	t = "vmas -3\n";
	CHECK(top_parse_census("C", t, strlen(t), &ce, err, sizeof(err)) == -1 &&
	      strstr(err, "'vmas -3'"), "top census: a negative value refused");

	t = "generation 1 time_ns 2\npid vmas comm\n5 6 a b\n";
	CHECK(top_parse_processes("R", t, strlen(t), &pp, err, sizeof(err)) == -1 &&
	      strstr(err, "R:3: "), "top processes: a row wider than the header");
	free(pp.rows);
	t = "generation 1 time_ns 2\nvmas comm\n";
	CHECK(top_parse_processes("R", t, strlen(t), &pp, err, sizeof(err)) == -1 &&
	      strstr(err, "no 'pid' column"), "top processes: a header without pid");
	free(pp.rows);
	t = "generation 1 time_ns 2\npid comm\n5 a\"b\\c\n";
	CHECK(top_parse_processes("R", t, strlen(t), &pp, err, sizeof(err)) == 0 &&
	      pp.n == 1 && !strcmp(pp.rows[0].comm, "a\"b\\c"),
	      "top processes: a comm with quotes and backslashes is kept");
	free(pp.rows);
	{
		static const char *const bad[] = {
			"5 a\x1b[2J\n", "5 \x7f\n", "5 caf\xc3\xa9\n", "5 a\tb\n",
			"5 a\rb\n", "5 \x01\n",
		};
		int refused = 0;

		for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			char text[128];

			snprintf(text, sizeof(text), "generation 1 time_ns 2\npid comm\n%s", bad[i]);
			if (top_parse_processes("R", text, strlen(text), &pp, err, sizeof(err)) == -1 &&
			    strstr(err, "R:3: a comm byte outside 0x21..0x7e") &&
			    !strpbrk(err, "\x1b\x7f\t\r\x01"))
				refused++;
			else
				printf("# %u: %s\n", i, err);
			free(pp.rows);
		}
		CHECK(refused == 6,
		      "top processes: a comm byte outside 0x21..0x7e (ESC, DEL, UTF-8, tab, CR, ^A) refused, quoted as '?'");
	}

	t = "slabinfo - version: 2.1\nanon_vma 1 2\n";
	CHECK(top_parse_slabinfo("I", t, strlen(t), &sl, err, sizeof(err)) == -1 &&
	      strstr(err, "I:2: "), "top slabinfo: a short line of our cache refused");
	t = "slabinfo - version: 2.1\nanon_vma_chain2 x\nvm_area_struct 5 6 7 8\n";
	CHECK(top_parse_slabinfo("I", t, strlen(t), &sl, err, sizeof(err)) == 0 &&
	      !sl.c[TOP_SLAB_ANON_VMA].present && sl.c[TOP_SLAB_VMA].active_objs == 5,
	      "top slabinfo: other caches skipped, a merged cache absent");
	t = "anon_vma 1 2 3\n";
	CHECK(top_parse_slabinfo("I", t, strlen(t), &sl, err, sizeof(err)) == -1 &&
	      !strcmp(err, "I:1: not slabinfo (want 'slabinfo - version: 2....' first): 'anon_vma 1 2 3'") &&
	      top_parse_slabinfo("I", "\x7f" "ELF\x02\n", 5, &sl, err, sizeof(err)) == -1 &&
	      strstr(err, "I:1: not slabinfo") &&
	      top_parse_slabinfo("I", "", 0, &sl, err, sizeof(err)) == -1 &&
	      strstr(err, "I: empty file"),
	      "top slabinfo: a file that is not slabinfo (no header, binary, empty) refused");
}

/*
 * A recorded tree with a FIFO or a directory where each file should be:
 * refused at once, naming the file (a FIFO's open used to wait forever
 * for a writer). In a child, killed by alarm() if it hangs.
 */
static void test_not_files(void)
{
	static const char *const files[] = {
		"stats", "latency", "probes", "census", "processes", "slabinfo",
	};
	char tmp[] = "/tmp/anonlazy-top-XXXXXX", cmd[600], path[300];
	int ok = 0;

	if (!mkdtemp(tmp))
		abort();
	for (int kind = 0; kind < 2; kind++)
		for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			char want[400];
			pid_t pid;
			int st;

			snprintf(cmd, sizeof(cmd), "rm -rf %s/t && cp -r " DATA "normal %s/t && rm %s/t/%s",
				 tmp, tmp, tmp, files[i]);
			if (system(cmd))
				abort();
			snprintf(path, sizeof(path), "%s/t/%s", tmp, files[i]);
			if (kind ? mkdir(path, 0755) : mkfifo(path, 0644))
				abort();
			snprintf(want, sizeof(want), "%s: %s", path,
				 kind ? "a directory, not a file" : "not a regular file");
			fflush(stdout);
			pid = fork();
			if (pid == 0) {
				char dir[300];

				alarm(5);
				snprintf(dir, sizeof(dir), "%s/t", tmp);
				_exit(top_snap_read(dir, path, &snap, err, sizeof(err)) == -1 &&
				      !strncmp(err, want, strlen(want)) ? 0 : (printf("# %s\n", err), 1));
			}
			if (waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st))
				ok++;
			else
				printf("# %s %s: status %#x\n", kind ? "directory" : "FIFO", files[i], st);
		}
	CHECK(ok == 12,
	      "top snap: a FIFO or a directory as each of the tree's 6 files: refused at once, named");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	if (system(cmd))
		abort();
}

static void test_dirs(void)
{
	char tmp[] = "/tmp/anonlazy-top-XXXXXX", path[300];
	pid_t pid;
	int status;

	CHECK(top_check_dir("/nonexistent-al", false, err, sizeof(err)) == ENOENT &&
	      strstr(err, "no such directory") && strstr(err, "--debugfs"),
	      "top dir: a missing --debugfs directory");
	CHECK(top_check_dir("/nonexistent-al", true, err, sizeof(err)) == ENOENT &&
	      (strstr(err, "not loaded") || strstr(err, "debugfs is not mounted")) &&
	      (strstr(err, "insmod") || strstr(err, "mount -t debugfs")),
	      "top dir: the module's path missing: not loaded or not mounted, with the fix");
	CHECK(top_check_dir(DATA "normal/stats", false, err, sizeof(err)) == ENOTDIR,
	      "top dir: a file is not a directory");
	if (!mkdtemp(tmp))
		abort();
	CHECK(top_check_dir(tmp, false, err, sizeof(err)) == ENOENT &&
	      strstr(err, "stats: no such file"), "top dir: a directory without stats");
	snprintf(path, sizeof(path), "cp " DATA "normal/stats %s/ && chmod 700 %s", tmp, tmp);
	if (system(path))
		abort();
	CHECK(top_check_dir(tmp, false, err, sizeof(err)) == 0, "top dir: a readable copy");
	if (geteuid() != 0) {
		printf("SKIP: host: top dir: permission denied: not root\n");
	} else {
		pid = fork();
		if (pid == 0) {
			if (setgid(65534) || setuid(65534))
				_exit(3);
			_exit(top_check_dir(tmp, true, err, sizeof(err)) == EACCES &&
			      strstr(err, "permission denied") && strstr(err, "root") ? 0 : 1);
		}
		CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		      WEXITSTATUS(status) == 0, "top dir: permission denied says run as root");
	}
	snprintf(path, sizeof(path), "rm -rf %s", tmp);
	if (system(path))
		abort();
}

int main(void)
{
	test_init();
	test_normal();
	test_bad_trees();
	test_huge();
	test_unknown_missing();
	test_texts();
	test_dirs();
	test_not_files();
	top_snap_free(&snap);
	return test_exit();
}
