// SPDX-License-Identifier: GPL-2.0
/*
 * forkreuse N: fault N more separate VMAs, then
 *   chain: fork C1, which forks C2 and exits (measured in this process,
 *          from before the first fork to after C1 is reaped);
 *   reuse: C2, once C1 is gone, forks C3, which exits at once (measured
 *          in C2).
 * forkreuse.lazy_vmas is how many lazy roots /proc/self/smaps showed just
 * before the first fork.
 * C2's VMAs are chained to three anon_vmas (ours, C1's, its own); C1's has
 * no VMA left and one child (C2's), so anon_vma_clone() lets every VMA of
 * C3 reuse it: anon_vma_fork() allocates nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "scenarios.h"

#define MAX_VMAS 4096

static void reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		al_die("waitpid: child did not exit cleanly");
}

/* C2: wait until C1 is reaped, then fork C3 between two snapshots. */
static void grandchild(int go, int done)
{
	struct al_stats a, b;
	char c;
	pid_t pid;

	if (read(go, &c, 1) != 1)
		_exit(3);
	al_snap(&a);
	pid = fork();
	if (pid < 0)
		_exit(4);
	if (pid == 0)
		_exit(0);
	reap(pid);
	al_snap(&b);
	al_print_delta("reuse", &a, &b);
	fflush(stdout);
	close(done);
	_exit(0);
}

/* VMAs /proc/self/smaps shows as lazy roots (0 without ANON_VMA_LAZY). */
static unsigned long count_lazy_vmas(void)
{
	char line[256], state[32];
	unsigned long n = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		al_die("/proc/self/smaps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, ANONLAZY_SMAPS_KEY " %31s", state) == 1 &&
		    !strcmp(state, ANONLAZY_STATE_LAZY))
			n++;
	fclose(f);
	return n;
}

int w_forkreuse(int argc, char **argv)
{
	struct al_stats a, b;
	int go[2], done[2];
	unsigned long n;
	pid_t c1;
	char c = 1;

	if (argc != 2)
		al_die("usage: forkreuse N");
	n = al_count_arg(argv[1], MAX_VMAS);
	for (unsigned long i = 0; i < n; i++)
		al_touch(al_map_isolated(1), 1, (char)i);
	if (pipe(go) || pipe(done))
		al_die("pipe: %s", strerror(errno));
	printf("forkreuse.n %lu\n", n);
	al_snap(&a);
	count_lazy_vmas();
	printf("forkreuse.lazy_vmas %lu\n", count_lazy_vmas());
	fflush(stdout);

	al_snap(&a);
	c1 = fork();
	if (c1 < 0)
		al_die("fork: %s", strerror(errno));
	if (c1 == 0) {
		pid_t c2 = fork();

		if (c2 < 0)
			_exit(5);
		if (c2 == 0) {
			close(go[1]);
			close(done[0]);
			grandchild(go[0], done[1]);
		}
		_exit(0);
	}
	reap(c1);
	al_snap(&b);
	al_print_delta("chain", &a, &b);
	fflush(stdout);

	close(done[1]);
	if (write(go[1], &c, 1) != 1)
		al_die("write: %s", strerror(errno));
	/* C2 closes its end when it has printed; EOF then. */
	if (read(done[0], &c, 1) != 0)
		al_die("grandchild did not finish");
	return 0;
}
