// SPDX-License-Identifier: GPL-2.0
/*
 * Migration between two NUMA nodes with move_pages() and mbind(), alone
 * and with the pages shared with a child (MPOL_MF_MOVE_ALL).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integ.h"

#define N 64
#define MPOL_BIND_ 2
#define MPOL_MF_MOVE_ (1 << 1)
#define MPOL_MF_MOVE_ALL_ (1 << 2)

static long move_pages_(void **pages, const int *nodes, int *status, int flags)
{
	return syscall(SYS_move_pages, 0, N, pages, nodes, status, flags);
}

/* How many of the N pages are on node. */
static int on_node(char *p, int node)
{
	void *pages[N];
	int status[N], n = 0;

	for (int i = 0; i < N; i++)
		pages[i] = p + i * al_page;
	if (move_pages_(pages, NULL, status, 0))
		return -1;
	for (int i = 0; i < N; i++)
		n += status[i] == node;
	return n;
}

static bool move_all(char *p, int node, int flags)
{
	void *pages[N];
	int nodes[N], status[N];

	for (int i = 0; i < N; i++) {
		pages[i] = p + i * al_page;
		nodes[i] = node;
	}
	return move_pages_(pages, nodes, status, flags) == 0;
}

int t_migrate(void)
{
	unsigned long mask = 1;
	int to_child[2], status;
	char *p, c = 0;
	pid_t pid;

	if (access("/sys/devices/system/node/node1", F_OK)) {
		skip("migrate: the machine has one NUMA node");
		return 0;
	}
	p = al_map_isolated(N);
	fill(p, N, 13);
	ok(move_all(p, 1, MPOL_MF_MOVE_) && on_node(p, 1) == N,
	   "migrate: move_pages moves all %d pages to node 1", N);
	ok(bad_pages(p, N, 13) == 0, "migrate: data intact on node 1");
	/* Migration pins a lazy root across the move instead of upgrading it. */
	expect_state(0, p, "lazy", "migrate: after move_pages, no upgrade");
	ok(syscall(SYS_mbind, p, N * al_page, MPOL_BIND_, &mask, 64, MPOL_MF_MOVE_) == 0 &&
	   on_node(p, 0) == N, "migrate: mbind moves them back to node 0");
	ok(bad_pages(p, N, 13) == 0, "migrate: data intact on node 0");
	expect_state(0, p, "lazy", "migrate: after mbind, no upgrade");

	if (pipe(to_child))
		al_die("pipe");
	pid = fork();
	if (pid == 0) {
		if (read(to_child[0], &c, 1) != 1)
			_exit(3);
		_exit(bad_pages(p, N, 13) ? 1 : 0);
	}
	ok(move_all(p, 1, MPOL_MF_MOVE_ALL_) && on_node(p, 1) == N,
	   "migrate: MPOL_MF_MOVE_ALL moves pages shared with a child");
	if (write(to_child[1], &c, 1) != 1)
		al_die("pipe write");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		al_die("waitpid");
	ok(WEXITSTATUS(status) == 0 && bad_pages(p, N, 13) == 0,
	   "migrate: parent and child both see the data after the move");
	munmap(p, N * al_page);
	return 0;
}
