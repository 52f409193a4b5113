// SPDX-License-Identifier: GPL-2.0
/*
 * census N: read the module's census and processes files around two steps,
 * in one process that allocates nothing in between (static buffers, no
 * stdio until the end), and print what moved:
 *   base     the process as it starts (absolute: base.proc.<col>)
 *   fault    N fresh separate VMAs faulted: deltas of the census
 *            (fault.census.<key>) and of the own line (fault.proc.<col>)
 *   fork     a child forked that waits on a pipe: the parent's own line
 *            after (fork.parent.<col>) and the child's (fork.child.<col>),
 *            absolute; the census delta (fork.census.<key>)
 *
 * churn T: for T seconds, fork/exit children that fault, COW, split and
 * vfork, with MADV_PAGEOUT when swap is on; prints churn.iterations.
 *
 * readloop T FILE...: read the census and processes files in a loop for T
 * seconds, checking every read's format; prints readloop.reads and
 * readloop.bad (reads that did not parse).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096
#define TEXT_MAX (4 << 20)

static char text[TEXT_MAX];

struct census_vals {
	unsigned long long v[ANONLAZY_NR_CENSUS_KEYS];
};

struct proc_vals {
	unsigned long long v[ANONLAZY_NR_PROC_COLS];
};

static const char *path_of(const char *file)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", ANONLAZY_DEBUGFS_PATH, file);
	return path;
}

/* Read a whole file into text[]; returns its length or -1 (errno set). */
static ssize_t slurp(const char *path)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, text + len, TEXT_MAX - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -1;
	text[len] = '\0';
	return len;
}

/* Parse census text: every key once, in the header's order. 0 or -1. */
static int parse_census(const char *s, struct census_vals *out)
{
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++) {
		size_t kl = strlen(anonlazy_census_names[k]);
		char *end;

		if (strncmp(s, anonlazy_census_names[k], kl) || s[kl] != ' ' ||
		    s[kl + 1] < '0' || s[kl + 1] > '9')
			return -1;
		errno = 0;
		out->v[k] = strtoull(s + kl + 1, &end, 10);
		if (errno || *end != '\n')
			return -1;
		s = end + 1;
	}
	return *s ? -1 : 0;
}

/*
 * Parse processes text: the header line, then lines of numbers and a
 * comm. Finds pid's line when pid > 0 (returns 1 when found). -1: bad.
 */
static int parse_processes(const char *s, pid_t pid, struct proc_vals *out)
{
	int found = 0;

	for (int k = 0; k < ANONLAZY_NR_PROC_COLS; k++) {
		size_t kl = strlen(anonlazy_proc_cols[k]);

		if (strncmp(s, anonlazy_proc_cols[k], kl) || s[kl] != ' ')
			return -1;
		s += kl + 1;
	}
	if (strncmp(s, ANONLAZY_PROC_COMM_COL "\n", 5))
		return -1;
	s += 5;
	while (*s) {
		struct proc_vals pv;
		char *end;

		for (int k = 0; k < ANONLAZY_NR_PROC_COLS; k++) {
			if (*s < '0' || *s > '9')
				return -1;
			errno = 0;
			pv.v[k] = strtoull(s, &end, 10);
			if (errno || *end != ' ')
				return -1;
			s = end + 1;
		}
		end = strchr(s, '\n');
		if (!end || end == s)
			return -1;
		for (const char *c = s; c < end; c++)
			if (*c <= 0x20 || *c >= 0x7f)
				return -1;
		s = end + 1;
		if (pid > 0 && pv.v[ANONLAZY_PROC_PID] == (unsigned long long)pid) {
			*out = pv;
			found = 1;
		}
	}
	return found;
}

static void read_census(struct census_vals *c)
{
	if (slurp(path_of(ANONLAZY_CENSUS_FILE)) < 0)
		al_die("census: %s", strerror(errno));
	if (parse_census(text, c))
		al_die("census: malformed:\n%s", text);
}

static void read_proc(pid_t pid, struct proc_vals *p)
{
	if (slurp(path_of(ANONLAZY_PROCESSES_FILE)) < 0)
		al_die("processes: %s", strerror(errno));
	if (parse_processes(text, pid, p) != 1)
		al_die("processes: no line for pid %d, or malformed", (int)pid);
}

static void print_census_delta(const char *phase, const struct census_vals *a,
			       const struct census_vals *b)
{
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		printf("%s.census.%s %lld\n", phase, anonlazy_census_names[k],
		       (long long)(b->v[k] - a->v[k]));
}

static void print_proc(const char *phase, const struct proc_vals *a,
		       const struct proc_vals *b)
{
	for (int k = 0; k < ANONLAZY_NR_PROC_COLS; k++)
		printf("%s.%s %lld\n", phase, anonlazy_proc_cols[k],
		       (long long)(b->v[k] - (a ? a->v[k] : 0)));
}

int w_census(int argc, char **argv)
{
	struct census_vals c0, c1, c2;
	struct proc_vals p0, p1, p2, pc;
	unsigned long n;
	pid_t self = getpid(), child;
	int pfd[2], status;
	char b;

	if (argc != 2)
		al_die("usage: census N");
	n = al_count_arg(argv[1], MAX_VMAS);
	if (pipe(pfd))
		al_die("pipe: %s", strerror(errno));
	/* Fault in text[] and every page the reads need, then the baseline. */
	memset(text, 0, sizeof(text));
	read_census(&c0);
	read_proc(self, &p0);
	read_census(&c0);
	read_proc(self, &p0);

	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	read_census(&c1);
	read_proc(self, &p1);

	child = fork();
	if (child < 0)
		al_die("fork: %s", strerror(errno));
	if (child == 0) {
		close(pfd[1]);
		/* Wait, touching nothing, until the parent closes the pipe. */
		while (read(pfd[0], &b, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(pfd[0]);
	read_census(&c2);
	read_proc(self, &p2);
	read_proc(child, &pc);
	close(pfd[1]);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
		al_die("waitpid: child did not exit cleanly");

	printf("census.n %lu\n", n);
	print_proc("base.proc", NULL, &p0);
	print_census_delta("fault", &c0, &c1);
	print_proc("fault.proc", &p0, &p1);
	print_proc("fault.abs", NULL, &p1);
	print_census_delta("fork", &c1, &c2);
	print_proc("fork.parent", NULL, &p2);
	print_proc("fork.child", NULL, &pc);
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		printf("total.%s %llu\n", anonlazy_census_names[k], c2.v[k]);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Undo alwork's pinning to CPU 0: the stress scenarios want both CPUs. */
static void unpin(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int i = 0; i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static unsigned long seconds_arg(const char *s)
{
	return al_count_arg(s, 3600);
}

/* One child's life: fault, COW, split by mprotect, a grandchild, exit. */
static void churn_child(char *v[], int nv)
{
	pid_t g;

	for (int i = 0; i < nv; i++)
		al_touch(v[i], 2, 7);		/* COW of the parent's pages */
	if (mprotect(v[0], al_page, PROT_READ))	/* split: a clone */
		_exit(3);
	al_touch(al_map_isolated(1), 1, 1);	/* a fresh VMA of its own */
	g = fork();
	if (g == 0)
		_exit(0);
	if (g > 0)
		waitpid(g, NULL, 0);
	_exit(0);
}

/* A CLONE_VM child: one mm, two processes, for a moment. */
static void vfork_once(void)
{
	pid_t vp = vfork();

	if (vp == 0)
		_exit(0);
	if (vp > 0)
		waitpid(vp, NULL, 0);
}

int w_churn(int argc, char **argv)
{
	enum { NV = 4 };
	unsigned long iters = 0;
	double end;
	int swap;

	if (argc != 2)
		al_die("usage: churn T");
	unpin();
	end = now() + (double)seconds_arg(argv[1]);
	swap = al_have_swap();
	while (now() < end) {
		char *v[NV];
		pid_t pid;
		int status;

		for (int i = 0; i < NV; i++) {
			v[i] = al_map_isolated(2);
			al_touch(v[i], 2, (char)i);
		}
		pid = fork();
		if (pid < 0)
			al_die("fork: %s", strerror(errno));
		if (pid == 0)
			churn_child(v, NV);
		vfork_once();
		if (swap && madvise(v[1], 2 * al_page, MADV_PAGEOUT))
			al_die("madvise(MADV_PAGEOUT): %s", strerror(errno));
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			al_die("churn child failed");
		if (al_verify(v[1], 2, 1))
			al_die("churn: data lost in the parent");
		for (int i = 0; i < NV; i++)
			munmap(v[i], 2 * al_page);
		iters++;
	}
	printf("churn.iterations %lu\n", iters);
	return 0;
}

int w_readloop(int argc, char **argv)
{
	unsigned long reads = 0, bad = 0;
	double end;

	if (argc < 3)
		al_die("usage: readloop T FILE...");
	unpin();
	end = now() + (double)seconds_arg(argv[1]);
	while (now() < end) {
		for (int i = 2; i < argc; i++) {
			struct census_vals c;
			struct proc_vals p;
			int ok;

			if (slurp(path_of(argv[i])) < 0)
				al_die("%s: %s", argv[i], strerror(errno));
			if (!strcmp(argv[i], ANONLAZY_CENSUS_FILE))
				ok = !parse_census(text, &c) &&
				     c.v[ANONLAZY_CENSUS_PROCESSES] > 0 &&
				     !c.v[ANONLAZY_CENSUS_VMAS_INVALID];
			else
				ok = parse_processes(text, getpid(), &p) == 1;
			bad += !ok;
			if (!ok && bad == 1)
				fprintf(stderr, "readloop: bad %s:\n%s\n", argv[i], text);
			reads++;
		}
	}
	printf("readloop.reads %lu\nreadloop.bad %lu\n", reads, bad);
	return 0;
}
