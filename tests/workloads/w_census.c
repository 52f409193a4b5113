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
 *
 * censussnap: snapshot generations and times: census then processes (one
 *   snapshot), census again (a new one), processes at once (reused), then
 *   after ANONLAZY_CENSUS_REUSE_NS processes (a new one); prints each
 *   read's generation and time_ns and CLOCK_MONOTONIC around them.
 *
 * censuscomm: with an empty comm (prctl(PR_SET_NAME, "")), the own line of
 *   processes: parsed, and its comm (comm.comm).
 *
 * censustrunc N: fault N VMAs, read census and the own line, set the
 *   module's census_max_chains to the census's chains - 1 (this process
 *   walked last: it does not fit), read both again, restore the bound;
 *   prints the census before and after (trunc.before.<key>,
 *   trunc.after.<key>), the own line before (trunc.own.<col>) and what
 *   the N faults added to it (trunc.faulted.<col>), and whether it has a
 *   line after (trunc.own_row_after).
 *
 * censussim N C: the simulation behind the exact estimate, in phases,
 *   each followed by a read of census and the own line (absolute,
 *   <phase>.census.<key>, <phase>.proc.<col>): start; fault (N fresh
 *   VMAs); exitchild (a child forked that exits at once: every VMA was
 *   shared once); split (N fresh two-page VMAs faulted, the second page
 *   of each unmapped); reuse (N pairs of adjacent one-page VMAs, the
 *   second's first fault reusing the first's anon_vma); reusefork (a
 *   child forked that exits at once: the pairs' lazy roots upgraded,
 *   each pair's second sharing its first's anon_vma again); peak (the
 *   first batch of the churn mapped); churn
 *   (C VMAs faulted and unmapped, 1000 at a time: the state is back).
 *   With AL_BPF_CENSUS=SOCK (anonlazy-bpf --stats-socket SOCK), each
 *   phase also asks that socket for its census section, right after the
 *   module's files, and prints its keys as <phase>.bpf.<key>.
 *
 * censusbench P V F T R: P processes, each with V one-page VMAs of
 *   alternating protection (F of them faulted, none adjacent to another
 *   faulted one); the first one, the victim, toggles the protection of a
 *   VMA of its own in a loop for T seconds, timing each mprotect(), first
 *   with no census running, then while another process reads census in a
 *   loop; then R census reads alone. Prints bench.* lines.
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
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
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

/* The snapshot a processes text or census values came from. */
struct snap_id {
	unsigned long long gen, time_ns;
};

static struct snap_id last_proc_snap;
static char last_comm[64];

/*
 * Parse processes text: the snapshot line, the header line, then lines of
 * numbers and a comm. Finds pid's line when pid > 0 (returns 1 when found;
 * its comm in last_comm). -1: bad.
 */
static int parse_processes(const char *s, pid_t pid, struct proc_vals *out)
{
	int found = 0, n = 0;

	if (sscanf(s, ANONLAZY_PROCESSES_SNAP_FMT "%n", &last_proc_snap.gen,
		   &last_proc_snap.time_ns, &n) != 2 || !n || s[n - 1] != '\n')
		return -1;
	s += n;
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
		if (!end || end == s || end - s >= (long)sizeof(last_comm))
			return -1;
		for (const char *c = s; c < end; c++)
			if (*c <= 0x20 || *c >= 0x7f)
				return -1;
		if (pid > 0 && pv.v[ANONLAZY_PROC_PID] == (unsigned long long)pid) {
			*out = pv;
			memcpy(last_comm, s, (size_t)(end - s));
			last_comm[end - s] = '\0';
			found = 1;
		}
		s = end + 1;
	}
	return found;
}

/* The census section of anonlazy-bpf at sock, its keys had into b. */
struct bpf_vals {
	unsigned long long v[ANONLAZY_NR_CENSUS_KEYS];
	int has[ANONLAZY_NR_CENSUS_KEYS];
};

static void read_bpf_census(const char *sock, struct bpf_vals *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static const char req[] = "census\n";
	ssize_t n, len = 0;
	char *s, *nl;
	int fd;

	if (strlen(sock) >= sizeof(sa.sun_path))
		al_die("%s: too long for a socket path", sock);
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		al_die("%s: %s", sock, strerror(errno));
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)sizeof(req) - 1)
		al_die("%s: write: %s", sock, strerror(errno));
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, text + len, TEXT_MAX - 1 - (size_t)len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		al_die("%s: read: %s", sock, strerror(errno));
	text[len] = '\0';
	memset(b, 0, sizeof(*b));
	for (s = text; *s; s = nl + 1) {
		unsigned long long v;
		int kl, k;

		nl = strchr(s, '\n');
		if (!nl || sscanf(s, "%*s %llu", &v) != 1)
			al_die("%s: census: malformed:\n%s", sock, text);
		kl = (int)strcspn(s, " ");
		for (k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
			if ((int)strlen(anonlazy_census_names[k]) == kl &&
			    !strncmp(s, anonlazy_census_names[k], (size_t)kl))
				break;
		if (k == ANONLAZY_NR_CENSUS_KEYS || b->has[k])
			al_die("%s: census: unknown or repeated key:\n%s", sock, text);
		b->v[k] = v;
		b->has[k] = 1;
	}
	if (!b->has[ANONLAZY_CENSUS_VMAS])
		al_die("%s: census: no vmas key:\n%s", sock, text);
}

static void print_bpf(const char *phase, const struct bpf_vals *b)
{
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		if (b->has[k])
			printf("%s.bpf.%s %llu\n", phase, anonlazy_census_names[k],
			       b->v[k]);
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
		al_die("processes: no line for pid %d, or malformed:\n%s",
		       (int)pid, text);
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

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL +
	       (unsigned long long)ts.tv_nsec;
}

int w_censussnap(int argc, char **argv)
{
	struct census_vals c;
	struct proc_vals p;
	unsigned long long t0, t1;
	struct timespec wait = {
		.tv_sec = (time_t)(ANONLAZY_CENSUS_REUSE_NS / 1000000000ULL) + 1,
	};
	pid_t self = getpid();

	(void)argv;
	if (argc != 1)
		al_die("usage: censussnap");
	memset(text, 0, sizeof(text));
	t0 = mono_ns();
	read_census(&c);
	t1 = mono_ns();
	read_proc(self, &p);
	printf("snap.t0 %llu\nsnap.t1 %llu\n", t0, t1);
	printf("snap.census1.gen %llu\nsnap.census1.time %llu\n",
	       c.v[ANONLAZY_CENSUS_GENERATION], c.v[ANONLAZY_CENSUS_TIME_NS]);
	printf("snap.proc1.gen %llu\nsnap.proc1.time %llu\n",
	       last_proc_snap.gen, last_proc_snap.time_ns);
	read_census(&c);
	printf("snap.census2.gen %llu\nsnap.census2.time %llu\n",
	       c.v[ANONLAZY_CENSUS_GENERATION], c.v[ANONLAZY_CENSUS_TIME_NS]);
	read_proc(self, &p);
	printf("snap.proc2.gen %llu\nsnap.proc2.time %llu\n",
	       last_proc_snap.gen, last_proc_snap.time_ns);
	while (nanosleep(&wait, &wait) && errno == EINTR)
		;
	t0 = mono_ns();
	read_proc(self, &p);
	t1 = mono_ns();
	printf("snap.t2 %llu\nsnap.t3 %llu\n", t0, t1);
	printf("snap.proc3.gen %llu\nsnap.proc3.time %llu\n",
	       last_proc_snap.gen, last_proc_snap.time_ns);
	return 0;
}

int w_censuscomm(int argc, char **argv)
{
	struct proc_vals p;

	(void)argv;
	if (argc != 1)
		al_die("usage: censuscomm");
	if (prctl(PR_SET_NAME, "", 0, 0, 0))
		al_die("prctl(PR_SET_NAME): %s", strerror(errno));
	read_census((struct census_vals[1]){});
	read_proc(getpid(), &p);
	printf("comm.parsed 1\ncomm.comm %s\n", last_comm);
	printf("comm.vmas %llu\n", p.v[ANONLAZY_PROC_VMAS]);
	return 0;
}

static void print_abs(const char *phase, const struct census_vals *c,
		      const struct proc_vals *p)
{
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		printf("%s.census.%s %llu\n", phase, anonlazy_census_names[k],
		       c->v[k]);
	for (int k = 0; k < ANONLAZY_NR_PROC_COLS; k++)
		printf("%s.proc.%s %llu\n", phase, anonlazy_proc_cols[k],
		       p->v[k]);
}

#define SIM_BATCH 1000

/* A child that shares every VMA and exits at once. */
static void fork_exit_child(void)
{
	pid_t child = fork();
	int status;

	if (child < 0)
		al_die("fork: %s", strerror(errno));
	if (child == 0)
		_exit(0);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		al_die("waitpid: child did not exit cleanly");
}

#define SIM_MAX_CHURN 10000000UL

int w_censussim(int argc, char **argv)
{
	static char *batch[SIM_BATCH];
	static struct bpf_vals b[8];
	const char *bsock = getenv("AL_BPF_CENSUS");
	struct census_vals c[8];
	struct proc_vals p[8];
	unsigned long n, churn, done = 0;
	pid_t self = getpid();

	if (argc != 3)
		al_die("usage: censussim N C");
	n = al_count_arg(argv[1], MAX_VMAS);
	churn = al_count_arg(argv[2], SIM_MAX_CHURN);
	memset(text, 0, sizeof(text));
	read_census(&c[0]);
	read_proc(self, &p[0]);
	if (bsock)
		read_bpf_census(bsock, &b[0]);
	read_census(&c[0]);
	read_proc(self, &p[0]);
	if (bsock)
		read_bpf_census(bsock, &b[0]);

	/* fault: N fresh VMAs, each would be a lazy root */
	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	read_census(&c[1]);
	read_proc(self, &p[1]);
	if (bsock)
		read_bpf_census(bsock, &b[1]);

	/* exitchild: a child shares every VMA, and exits at once */
	fork_exit_child();
	read_census(&c[2]);
	read_proc(self, &p[2]);
	if (bsock)
		read_bpf_census(bsock, &b[2]);

	/* split: N fresh two-page VMAs, faulted, their second page unmapped */
	for (unsigned long i = 0; i < n; i++) {
		char *v = al_map_isolated(2);

		al_touch(v, 2, (char)i);
		if (munmap(v + al_page, al_page))
			al_die("munmap: %s", strerror(errno));
	}
	read_census(&c[3]);
	read_proc(self, &p[3]);
	if (bsock)
		read_bpf_census(bsock, &b[3]);

	/*
	 * reuse: N fresh two-page VMAs, the second page made executable (a
	 * VMA of its own, its anon_vma compatible: access flags aside), the
	 * first page faulted, then the second: its first fault reuses the
	 * first's anon_vma (find_mergeable_anon_vma()). Two VMAs, one
	 * anon_vma, two chain entries; a lazy kernel makes two lazy roots.
	 */
	for (unsigned long i = 0; i < n; i++) {
		char *v = al_map_isolated(2);

		if (mprotect(v + al_page, al_page, PROT_READ | PROT_WRITE | PROT_EXEC))
			al_die("mprotect: %s", strerror(errno));
		al_touch(v, 1, (char)i);
		al_touch(v + al_page, 1, (char)i);
	}
	read_census(&c[6]);
	read_proc(self, &p[6]);
	if (bsock)
		read_bpf_census(bsock, &b[6]);

	/*
	 * reusefork: a child shares every VMA and exits at once. The fork
	 * upgrades the pairs' lazy roots in address order: each first gets
	 * an anon_vma, each second shares it (anon_vma_lazy_upgrade() takes
	 * a compatible neighbour's, as the first fault did with the sysctl
	 * 0): N anon_vmas and 2N chain entries either way.
	 */
	fork_exit_child();
	read_census(&c[7]);
	read_proc(self, &p[7]);
	if (bsock)
		read_bpf_census(bsock, &b[7]);

	/* churn: C VMAs faulted and unmapped, SIM_BATCH at a time */
	while (done < churn) {
		unsigned long k = churn - done < SIM_BATCH ? churn - done : SIM_BATCH;

		for (unsigned long i = 0; i < k; i++) {
			batch[i] = al_map_isolated(1);
			al_touch(batch[i], 1, (char)i);
		}
		if (!done) {
			read_census(&c[4]);
			read_proc(self, &p[4]);
			if (bsock)
				read_bpf_census(bsock, &b[4]);
		}
		for (unsigned long i = 0; i < k; i++)
			if (munmap(batch[i], al_page))
				al_die("munmap: %s", strerror(errno));
		done += k;
	}
	read_census(&c[5]);
	read_proc(self, &p[5]);
	if (bsock)
		read_bpf_census(bsock, &b[5]);

	printf("sim.n %lu\nsim.churn %lu\nsim.batch %lu\n", n, churn,
	       churn < SIM_BATCH ? churn : (unsigned long)SIM_BATCH);
	print_abs("start", &c[0], &p[0]);
	print_bpf("start", &b[0]);
	print_abs("fault", &c[1], &p[1]);
	print_bpf("fault", &b[1]);
	print_abs("exitchild", &c[2], &p[2]);
	print_bpf("exitchild", &b[2]);
	print_abs("split", &c[3], &p[3]);
	print_bpf("split", &b[3]);
	print_abs("reuse", &c[6], &p[6]);
	print_bpf("reuse", &b[6]);
	print_abs("reusefork", &c[7], &p[7]);
	print_bpf("reusefork", &b[7]);
	print_abs("peak", &c[4], &p[4]);
	print_bpf("peak", &b[4]);
	print_abs("churn", &c[5], &p[5]);
	print_bpf("churn", &b[5]);
	return 0;
}

#define PARAM_PATH "/sys/module/anonlazy/parameters/" \
	ANONLAZY_CENSUS_MAX_CHAINS_PARAM

static void write_param(const char *val)
{
	int fd = open(PARAM_PATH, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		al_die("%s: %s", PARAM_PATH, strerror(errno));
	close(fd);
}

int w_censustrunc(int argc, char **argv)
{
	static char old[32], val[32];
	struct census_vals c0, c1;
	struct proc_vals pb, p0, p1;
	unsigned long n;
	ssize_t len;
	int fd, row;

	if (argc != 2)
		al_die("usage: censustrunc N");
	n = al_count_arg(argv[1], MAX_VMAS);
	memset(text, 0, sizeof(text));
	fd = open(PARAM_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (len = read(fd, old, sizeof(old) - 1)) <= 0)
		al_die("%s: %s", PARAM_PATH, strerror(errno));
	close(fd);
	old[len] = '\0';
	read_census(&c0);
	read_proc(getpid(), &pb);
	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	read_census(&c0);
	read_proc(getpid(), &p0);
	read_census(&c0);
	read_proc(getpid(), &p0);
	snprintf(val, sizeof(val), "%llu",
		 c0.v[ANONLAZY_CENSUS_CHAINS] - 1);
	write_param(val);
	read_census(&c1);
	if (slurp(path_of(ANONLAZY_PROCESSES_FILE)) < 0)
		al_die("processes: %s", strerror(errno));
	row = parse_processes(text, getpid(), &p1);
	write_param(old);
	if (row < 0)
		al_die("processes: malformed:\n%s", text);
	for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
		printf("trunc.before.%s %llu\ntrunc.after.%s %llu\n",
		       anonlazy_census_names[k], c0.v[k],
		       anonlazy_census_names[k], c1.v[k]);
	print_proc("trunc.own", NULL, &p0);
	print_proc("trunc.faulted", &pb, &p0);
	printf("trunc.own_row_after %d\n", row);
	printf("trunc.proc_gen_after %llu\n", last_proc_snap.gen);
	return 0;
}

/* censusbench */
#define LAT_MAX (1 << 21)
static unsigned int lat[LAT_MAX];

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

struct mprot_result {
	unsigned long long n, max_ns, p99_ns, p50_ns;
};

/* T seconds of mprotect() toggling the protection of one VMA. */
static void mprotect_loop(char *v, unsigned long secs, struct mprot_result *r)
{
	unsigned long long end = mono_ns() + secs * 1000000000ULL;
	unsigned long n = 0;

	while (n < LAT_MAX) {
		unsigned long long t0 = mono_ns(), t1;
		int prot = n & 1 ? PROT_READ | PROT_WRITE : PROT_READ;

		if (mprotect(v, al_page, prot))
			al_die("mprotect: %s", strerror(errno));
		t1 = mono_ns();
		lat[n++] = (unsigned int)(t1 - t0 > ~0U ? ~0U : t1 - t0);
		if (t1 >= end)
			break;
	}
	qsort(lat, n, sizeof(lat[0]), cmp_uint);
	r->n = n;
	r->max_ns = lat[n - 1];
	r->p99_ns = lat[(n * 99) / 100];
	r->p50_ns = lat[n / 2];
}

/* V one-page VMAs, alternately read-write and read-only; F faulted. */
static void bench_build(unsigned long v, unsigned long f)
{
	char *p = mmap(NULL, v * al_page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		al_die("mmap %lu pages: %s", v, strerror(errno));
	if (madvise(p, v * al_page, MADV_NOHUGEPAGE))
		al_die("madvise: %s", strerror(errno));
	for (unsigned long i = 1; i < v; i += 2)
		if (mprotect(p + i * al_page, al_page, PROT_READ))
			al_die("mprotect: %s", strerror(errno));
	/* Every fourth VMA: read-write, and no faulted neighbour to share. */
	for (unsigned long i = 0; i < f; i++)
		p[4 * i * al_page] = 1;
}

static void xwrite(int fd, const void *b, size_t n)
{
	if (write(fd, b, n) != (ssize_t)n)
		al_die("pipe write: %s", strerror(errno));
}

static void xread(int fd, void *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)b + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			al_die("pipe read: %s", r ? strerror(errno) : "EOF");
		got += (size_t)r;
	}
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

struct reader_result {
	unsigned long long reads, hold_max_ns, walk_max_ns, drops;
	unsigned long long holds, holds_1ms, holds_10ms, hold_max_vmas;
	unsigned long long step_max_ns, hold_max_busy_ns;
};

#define BENCH_ROUNDS 3

int w_censusbench(int argc, char **argv)
{
	unsigned long np, nv, nf, secs, reps;
	int ready[2], go[2], cmd[2], res[2], rres[2];
	pid_t victim = 0, reader;
	char c;

	if (argc != 6)
		al_die("usage: censusbench P V F T R");
	np = al_count_arg(argv[1], 10000);
	nv = al_count_arg(argv[2], 60000);
	nf = al_count_arg(argv[3], 60000);
	secs = seconds_arg(argv[4]);
	reps = al_count_arg(argv[5], 100);
	if (4 * (nf - 1) >= nv)
		al_die("censusbench: F must be at most V/4");
	if (pipe(ready) || pipe(go) || pipe(cmd) || pipe(res) || pipe(rres))
		al_die("pipe: %s", strerror(errno));
	unpin();
	for (unsigned long i = 0; i < np; i++) {
		pid_t pid = fork();

		if (pid < 0)
			al_die("fork: %s", strerror(errno));
		if (pid) {
			if (!i)
				victim = pid;
			continue;
		}
		close(go[1]);
		bench_build(nv - (i ? 0 : 1), nf);
		if (i) {
			xwrite(ready[1], "r", 1);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
		/* The victim: one VMA more, its own, toggled by mprotect. */
		char *v = al_map_isolated(1);

		pin_to(0);
		al_touch(v, 1, 1);
		xwrite(ready[1], "r", 1);
		for (;;) {
			struct mprot_result r;

			xread(cmd[0], &c, 1);
			if (c != 'm')
				_exit(0);
			mprotect_loop(v, secs, &r);
			xwrite(res[1], &r, sizeof(r));
		}
	}
	for (unsigned long i = 0; i < np; i++)
		xread(ready[0], &c, 1);

	/*
	 * BENCH_ROUNDS rounds of the mprotect loop alone, then with a census
	 * reader running: a slow moment of the host shows in one round, not
	 * in every one.
	 */
	for (int round = 0; round < BENCH_ROUNDS; round++) {
		struct mprot_result base, during;
		struct reader_result rr;

		xwrite(cmd[1], "m", 1);
		xread(res[0], &base, sizeof(base));
		stop = 0;
		reader = fork();
		if (reader < 0)
			al_die("fork: %s", strerror(errno));
		if (reader == 0) {
			struct reader_result r = { 0 };
			struct census_vals cv;
			const unsigned long long *x = cv.v;

			signal(SIGTERM, on_stop);
			pin_to(1);
			while (!stop) {
				read_census(&cv);
				r.reads++;
				if (x[ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS] > r.hold_max_ns)
					r.hold_max_ns = x[ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS];
				if (x[ANONLAZY_CENSUS_WALK_NS] > r.walk_max_ns)
					r.walk_max_ns = x[ANONLAZY_CENSUS_WALK_NS];
				r.drops += x[ANONLAZY_CENSUS_LOCK_DROPS];
				r.holds += x[ANONLAZY_CENSUS_LOCK_HOLDS];
				r.holds_1ms += x[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_1MS];
				r.holds_10ms += x[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_10MS];
				if (x[ANONLAZY_CENSUS_LOCK_HOLD_MAX_VMAS] > r.hold_max_vmas)
					r.hold_max_vmas = x[ANONLAZY_CENSUS_LOCK_HOLD_MAX_VMAS];
				if (x[ANONLAZY_CENSUS_LOCK_STEP_MAX_NS] > r.step_max_ns)
					r.step_max_ns = x[ANONLAZY_CENSUS_LOCK_STEP_MAX_NS];
				if (x[ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS] > r.hold_max_busy_ns)
					r.hold_max_busy_ns = x[ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS];
			}
			xwrite(rres[1], &r, sizeof(r));
			_exit(0);
		}
		xwrite(cmd[1], "m", 1);
		xread(res[0], &during, sizeof(during));
		kill(reader, SIGTERM);
		xread(rres[0], &rr, sizeof(rr));
		waitpid(reader, NULL, 0);
		printf("bench.round%d.base.n %llu\nbench.round%d.base.max_ns %llu\n"
		       "bench.round%d.base.p99_ns %llu\nbench.round%d.base.p50_ns %llu\n",
		       round, base.n, round, base.max_ns, round, base.p99_ns,
		       round, base.p50_ns);
		printf("bench.round%d.census.n %llu\nbench.round%d.census.max_ns %llu\n"
		       "bench.round%d.census.p99_ns %llu\nbench.round%d.census.p50_ns %llu\n",
		       round, during.n, round, during.max_ns, round, during.p99_ns,
		       round, during.p50_ns);
		printf("bench.round%d.reader.reads %llu\nbench.round%d.reader.lock_hold_max_ns %llu\n"
		       "bench.round%d.reader.walk_max_ns %llu\nbench.round%d.reader.lock_drops %llu\n"
		       "bench.round%d.reader.lock_holds %llu\nbench.round%d.reader.lock_holds_over_one_ms %llu\n"
		       "bench.round%d.reader.lock_holds_over_ten_ms %llu\n"
		       "bench.round%d.reader.lock_hold_max_vmas %llu\n"
		       "bench.round%d.reader.lock_step_max_ns %llu\n"
		       "bench.round%d.reader.lock_hold_max_busy_ns %llu\n",
		       round, rr.reads, round, rr.hold_max_ns, round, rr.walk_max_ns,
		       round, rr.drops, round, rr.holds, round, rr.holds_1ms,
		       round, rr.holds_10ms, round, rr.hold_max_vmas,
		       round, rr.step_max_ns, round, rr.hold_max_busy_ns);
	}

	/* R census reads alone. */
	pin_to(1);
	for (unsigned long i = 0; i < reps; i++) {
		struct census_vals cv;
		unsigned long long t0 = mono_ns(), t1;

		read_census(&cv);
		t1 = mono_ns();
		printf("bench.read%lu.vmas %llu\n", i, cv.v[ANONLAZY_CENSUS_VMAS]);
		printf("bench.read%lu.walk_ns %llu\n", i, cv.v[ANONLAZY_CENSUS_WALK_NS]);
		printf("bench.read%lu.open_read_ns %llu\n", i, t1 - t0);
		printf("bench.read%lu.lock_hold_max_ns %llu\n", i,
		       cv.v[ANONLAZY_CENSUS_LOCK_HOLD_MAX_NS]);
		printf("bench.read%lu.lock_drops %llu\n", i, cv.v[ANONLAZY_CENSUS_LOCK_DROPS]);
		printf("bench.read%lu.processes %llu\n", i, cv.v[ANONLAZY_CENSUS_PROCESSES]);
		printf("bench.read%lu.vmas_regular %llu\n", i, cv.v[ANONLAZY_CENSUS_VMAS_REGULAR]);
		printf("bench.read%lu.vmas_lazy %llu\n", i, cv.v[ANONLAZY_CENSUS_VMAS_LAZY]);
		printf("bench.read%lu.truncated %llu\n", i, cv.v[ANONLAZY_CENSUS_TRUNCATED]);
		printf("bench.read%lu.lock_holds %llu\n", i, cv.v[ANONLAZY_CENSUS_LOCK_HOLDS]);
		printf("bench.read%lu.lock_holds_over_one_ms %llu\n", i,
		       cv.v[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_1MS]);
		printf("bench.read%lu.lock_holds_over_ten_ms %llu\n", i,
		       cv.v[ANONLAZY_CENSUS_LOCK_HOLDS_OVER_10MS]);
		printf("bench.read%lu.lock_hold_max_vmas %llu\n", i,
		       cv.v[ANONLAZY_CENSUS_LOCK_HOLD_MAX_VMAS]);
		printf("bench.read%lu.lock_step_max_ns %llu\n", i,
		       cv.v[ANONLAZY_CENSUS_LOCK_STEP_MAX_NS]);
		printf("bench.read%lu.lock_hold_max_busy_ns %llu\n", i,
		       cv.v[ANONLAZY_CENSUS_LOCK_HOLD_MAX_BUSY_NS]);
	}
	xwrite(cmd[1], "q", 1);
	close(go[1]);
	while (wait(NULL) > 0)
		;
	printf("bench.victim_pid %d\n", (int)victim);
	printf("bench.processes %lu\nbench.vmas_per_process %lu\nbench.faulted_per_process %lu\n",
	       np, nv, nf);
	return 0;
}
