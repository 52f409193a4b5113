// SPDX-License-Identifier: GPL-2.0
/*
 * forkstorm N K: one worker process per online CPU, each pinned to its
 * CPU, maps and faults N separate VMAs, then all fork K children at once
 * (each child exits at once). Made to overlap calls of anon_vma_fork()
 * on every CPU: loaded with maxactive=1, the kretprobe has one instance,
 * and a call made while another is in flight is missed.
 *
 * dup_mmap() calls anon_vma_fork() once per VMA of the forking process
 * (none is VM_DONTCOPY or VM_WIPEONFORK here), so the calls are exactly
 * K times each worker's VMA count, read from /proc/self/maps before its
 * first fork ([vsyscall] is the gate area, no VMA of the mm): each one is
 * counted in fork_calls or missed, never both.
 *
 * Prints forkstorm.workers, forkstorm.fork_expected (the calls made),
 * forkstorm.fork_missed (anon_vma_fork's missed= in probes, after minus
 * before), forkstorm.probes_missed (every probe's missed=, summed, after
 * minus before) and the deltas of the stats counters.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096
#define MAX_FORKS 100000
#define MAX_WORKERS 64

static char buf[1 << 20];

/* Read a whole file into buf; its length. */
static size_t slurp(const char *path)
{
	size_t len = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		al_die("%s: %s", path, strerror(errno));
	while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	if (r < 0)
		al_die("%s: read: %s", path, strerror(errno));
	close(fd);
	buf[len] = '\0';
	return len;
}

/* missed= of the probes file: of symbol sym, or of all when sym is NULL. */
static unsigned long long probes_missed(const char *sym)
{
	unsigned long long sum = 0;
	char *line, *save = NULL;

	slurp(ANONLAZY_DEBUGFS_PATH "/" ANONLAZY_PROBES_FILE);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *m = strstr(line, " " ANONLAZY_PROBE_MISSED);
		size_t n = strcspn(line, " ");

		if (!m || (sym && (strlen(sym) != n || strncmp(line, sym, n))))
			continue;
		sum += strtoull(m + 1 + strlen(ANONLAZY_PROBE_MISSED), NULL, 10);
	}
	return sum;
}

/* The VMAs of this process: lines of /proc/self/maps but the gate area. */
static unsigned long count_vmas(void)
{
	size_t len = slurp("/proc/self/maps");
	unsigned long n = 0;

	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n - (strstr(buf, "[vsyscall]") != NULL);
}

static void worker(int cpu, unsigned long n, unsigned long k, int ready, int go)
{
	unsigned long long calls;
	cpu_set_t set;
	char c;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		al_die("sched_setaffinity: %s", strerror(errno));
	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	calls = (unsigned long long)count_vmas() * k;
	if (write(ready, &calls, sizeof(calls)) != sizeof(calls))
		al_die("worker: write: %s", strerror(errno));
	if (read(go, &c, 1) != 1)
		al_die("worker: read: %s", strerror(errno));
	for (unsigned long i = 0; i < k; i++)
		al_fork_reap();
	_exit(0);
}

int w_forkstorm(int argc, char **argv)
{
	unsigned long long expected = 0, fm0, pm0, fm1, pm1;
	int ready[2], go[2], nw, status;
	pid_t pids[MAX_WORKERS];
	struct al_stats a, b;
	unsigned long n, k;

	if (argc != 3)
		al_die("usage: forkstorm N K");
	n = al_count_arg(argv[1], MAX_VMAS);
	k = al_count_arg(argv[2], MAX_FORKS);
	nw = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nw < 2)
		nw = 2;
	if (nw > MAX_WORKERS)
		nw = MAX_WORKERS;
	if (pipe(ready) || pipe(go))
		al_die("pipe: %s", strerror(errno));
	fflush(stdout);
	for (int w = 0; w < nw; w++) {
		pids[w] = fork();
		if (pids[w] < 0)
			al_die("fork: %s", strerror(errno));
		if (pids[w] == 0)
			worker(w, n, k, ready[1], go[0]);
	}
	for (int w = 0; w < nw; w++) {
		unsigned long long calls;

		if (read(ready[0], &calls, sizeof(calls)) != sizeof(calls))
			al_die("a worker died before it was ready");
		expected += calls;
	}

	fm0 = probes_missed("anon_vma_fork");
	pm0 = probes_missed(NULL);
	al_snap(&a);
	if (write(go[1], "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg",
		  (size_t)nw) != nw)
		al_die("write: %s", strerror(errno));
	for (int w = 0; w < nw; w++)
		if (waitpid(pids[w], &status, 0) != pids[w] || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			al_die("worker %d failed", w);
	al_snap(&b);
	fm1 = probes_missed("anon_vma_fork");
	pm1 = probes_missed(NULL);

	printf("forkstorm.workers %d\n", nw);
	printf("forkstorm.fork_expected %llu\n", expected);
	printf("forkstorm.fork_missed %llu\n", fm1 - fm0);
	printf("forkstorm.probes_missed %llu\n", pm1 - pm0);
	al_print_delta("forkstorm", &a, &b);
	return 0;
}
