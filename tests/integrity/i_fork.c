// SPDX-License-Identifier: GPL-2.0
/*
 * fork + COW in both directions: the child sees the parent's data, each
 * side's writes stay its own, and the parent's pages are reusable after
 * the child is gone.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integ.h"

#define N 64
#define H (N / 2)

static void sync_write(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		_exit(100);
}

static void sync_read(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		_exit(101);
}

int t_fork(void)
{
	int to_child[2], to_parent[2], status;
	char *p = al_map_isolated(N);
	pid_t pid;

	fill(p, N, 1);
	expect_state(0, p, "lazy", "fork: before the fork, the faulted VMA");
	if (pipe(to_child) || pipe(to_parent))
		al_die("pipe");
	pid = fork();
	if (pid < 0)
		al_die("fork");
	if (pid == 0) {
		int bits = 0;

		bits |= bad_pages(p, N, 1) ? 1 : 0;	/* inherited data */
		fill(p, H, 2);				/* COW in the child */
		sync_write(to_parent[1]);
		sync_read(to_child[0]);			/* parent wrote its half */
		bits |= bad_pages(p, H, 2) ? 2 : 0;
		bits |= bad_pages_from(p, H, H, 1) ? 4 : 0;
		_exit(bits);
	}
	sync_read(to_parent[0]);
	/* Part 1 of the series: fork upgrades the parent, the child gets its own. */
	expect_state(0, p, "regular", "fork: the parent after the fork");
	expect_state(pid, p, "regular", "fork: the child");
	ok(bad_pages(p, N, 1) == 0, "fork: the child's writes stay in the child");
	fill(p + H * al_page, H, 3);			/* COW in the parent */
	sync_write(to_child[1]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		al_die("waitpid");
	ok(!(WEXITSTATUS(status) & 1), "fork: the child sees the parent's data");
	ok(!(WEXITSTATUS(status) & 2), "fork: the child keeps its own writes");
	ok(!(WEXITSTATUS(status) & 4), "fork: the parent's writes stay in the parent");
	ok(bad_pages(p, H, 1) == 0 && bad_pages(p + H * al_page, H, 3) == 0,
	   "fork: the parent keeps its data and its writes");

	/* Child gone: every page is the parent's alone again; write them all. */
	fill(p, N, 4);
	ok(bad_pages(p, N, 4) == 0, "fork: pages reused after the child exits");

	/* Two generations: the grandchild sees the data through both forks. */
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0)
			_exit(bad_pages(p, N, 4) ? 1 : 0);
		if (waitpid(g, &status, 0) != g || !WIFEXITED(status))
			_exit(2);
		fill(p, N, 5);
		_exit(WEXITSTATUS(status) | (bad_pages(p, N, 5) ? 4 : 0));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		al_die("waitpid");
	ok(WEXITSTATUS(status) == 0, "fork: grandchild and child see the right data");
	ok(bad_pages(p, N, 4) == 0, "fork: the parent is untouched by two generations");
	munmap(p, N * al_page);
	return 0;
}
